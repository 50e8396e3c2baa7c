import XCTest
@testable import BTF

final class ReaderTests: XCTestCase {
    func testLookupKindsAndDerivedProperties() throws {
        let btf = try Fixtures.base618
        XCTAssertEqual(btf.typeCount, 126586)
        let ls = try XCTUnwrap(btf.typeIDs(named: "list_head").first)
        guard case .structure(let s)? = try btf.type(ls) else { return XCTFail("list_head is not a struct") }
        XCTAssertEqual(s.size, 16)
        XCTAssertEqual(s.members.map { btf.string($0.name) }, ["next", "prev"])
        XCTAssertEqual(try btf.resolvedSize(ls), 16)
        XCTAssertEqual(try btf.alignment(ls), 8)
        XCTAssertEqual(btf.pointerSize, 8)
        XCTAssertEqual(btf.typeIDs(ofKind: .dataSection).count, 1)
        XCTAssertEqual(btf.typeIDs(ofKind: .float).count, 1)
        XCTAssertEqual(btf.typeIDs(ofKind: .enum64).count, 9)
        let task = try XCTUnwrap(btf.typeIDs(named: "task_struct").first)
        XCTAssertEqual(try btf.resolvedSize(task), 3264)  // bpftool: STRUCT 'task_struct' size=3264
        // typedef chains resolve to the underlying type.
        let u64 = try XCTUnwrap(btf.typeIDs(named: "u64").first)
        XCTAssertEqual(btf.record(try btf.skipModifiers(u64))?.kind, .int)
        XCTAssertEqual(try btf.resolvedSize(u64), 8)
        XCTAssertNil(try btf.type(.void))
        XCTAssertThrowsError(try btf.type(TypeID(999_999)))
        XCTAssertThrowsError(try btf.resolvedSize(.void))
    }

    func testSplitLooksUpIntoBase() throws {
        let btf = try BTFFile(contentsOf: Fixtures.virtioBTF, base: try Fixtures.base61)
        XCTAssertEqual(btf.typeIDs(named: "virtnet_info").count, 1)
        XCTAssertFalse(btf.typeIDs(named: "sk_buff").isEmpty, "base names are visible through the split")
        let vi = try XCTUnwrap(btf.typeIDs(named: "virtnet_info").first)
        XCTAssertGreaterThanOrEqual(vi.rawValue, btf.firstID)
        XCTAssertGreaterThan(try btf.resolvedSize(vi), 0)
    }

    func testEveryTypeDecodesAndReEncodesToItsRecord() throws {
        let btf = try Fixtures.base618
        for id in btf.ownTypeIDs {
            let rec = try XCTUnwrap(btf.record(id))
            let t = try XCTUnwrap(try btf.type(id))
            XCTAssertEqual(t.kind, rec.kind)
            XCTAssertEqual(t.name, rec.nameOffset)
            var w = ByteWriter(endianness: btf.endianness)
            t.encode(into: &w)
            if w.bytes.count != rec.length || Array(btf.data.bytes[rec.offset..<(rec.offset + rec.length)]) != w.bytes {
                return XCTFail("type \(id) does not re-encode to its record")
            }
        }
    }

    // MARK: Bad input: typed errors with offsets, never a trap

    func valid() -> [UInt8] { ValidatorCorpus.btf { b in
        b.add(.structure(BTFComposite(name: b.string("s"), size: 4, members: [BTFMember(name: b.string("a"), type: TypeID(1), offset: 0)])))
    } }

    func expect(_ bytes: [UInt8], _ code: BTFError.Code, offset: Int? = nil, typeID: UInt32? = nil, line: UInt = #line) {
        do {
            _ = try BTFFile(bytes: bytes)
            XCTFail("accepted bad input", line: line)
        } catch {
            XCTAssertEqual(error.code, code, "\(error)", line: line)
            if let offset { XCTAssertEqual(error.offset, offset, "\(error)", line: line) }
            if let typeID { XCTAssertEqual(error.typeID, TypeID(typeID), "\(error)", line: line) }
            XCTAssertFalse(error.description.isEmpty)
        }
    }

    func testTruncatedHeader() {
        for n in [0, 1, 2, 8, 23] { expect(Array(valid().prefix(n)), n < 2 ? .badMagic : .truncatedHeader, offset: 0) }
    }

    func testSectionsPastEndOrOverlapping() {
        expect(ValidatorCorpus.patch(valid(), at: 12, 10_000), .sectionOutOfBounds, offset: 12)
        expect(ValidatorCorpus.patch(valid(), at: 20, 10_000), .sectionOutOfBounds, offset: 20)
        expect(ValidatorCorpus.patch(valid(), at: 16, 4), .sectionOverlap, offset: 16)
        expect(ValidatorCorpus.patch(valid(), at: 8, 2), .misalignedSection, offset: 8)
        expect(ValidatorCorpus.patch(valid(), at: 4, 100_000), .badHeaderLength, offset: 4)
    }

    func testStringProblems() {
        var v = valid()
        v[v.count - 1] = 0x41
        expect(v, .unterminatedString, offset: v.count - 1)
        v = valid()
        v[24 + 16 + 12 * 1 + 12] = 0x41  // first byte of the string section
        let strStart = 24 + Int(ValidatorCorpus.u32(v, 16))
        v = valid(); v[strStart] = 0x41
        expect(v, .badStringSection, offset: strStart)
        // A member name offset outside the string section: type [2], member at 24+16+12.
        expect(ValidatorCorpus.patch(valid(), at: 24 + 16 + 12, 5000), .stringOffsetOutOfRange, offset: 24 + 16 + 12, typeID: 2)
        expect(ValidatorCorpus.patch(valid(), at: 24, 0xFFFF_FFFF), .stringOffsetOutOfRange, offset: 24, typeID: 1)
    }

    func testUnknownKindVlenOverrunAndTrailingBytes() {
        expect(ValidatorCorpus.patch(valid(), at: 24 + 4, 25 << 24), .unknownKind, offset: 28, typeID: 1)
        // vlen 5 for a struct with one member: record overruns the type section.
        expect(ValidatorCorpus.patch(valid(), at: 24 + 16 + 4, 4 << 24 | 5), .recordOverrun, offset: 40, typeID: 2)
        // Type section one word longer than its records.
        var v = valid()
        let typeLen = ValidatorCorpus.u32(v, 12)
        v.insert(contentsOf: [0, 0, 0, 0], at: 24 + Int(typeLen))
        v = ValidatorCorpus.patch(ValidatorCorpus.patch(v, at: 12, typeLen + 4), at: 16, typeLen + 4)
        expect(v, .recordOverrun, offset: 24 + Int(typeLen), typeID: 3)
    }

    func testIDsPastTheEndAndFuncNotProto() {
        // Member type id 77 does not exist.
        expect(ValidatorCorpus.patch(valid(), at: 24 + 16 + 12 + 4, 77), .typeIDOutOfRange, offset: 56, typeID: 2)
        let f = ValidatorCorpus.btf { b in b.add(.function(BTFFunction(name: b.string("f"), proto: TypeID(1), linkage: .global))) }
        expect(f, .typeIDOutOfRange, offset: 24 + 16 + 8, typeID: 2)
    }

    func testReferenceLoopsAreBoundedInDerivedProperties() throws {
        let loop = ValidatorCorpus.btf { b in
            b.add(.typedef(BTFReference(name: b.string("a"), type: TypeID(3))))
            b.add(.typedef(BTFReference(name: b.string("b"), type: TypeID(2))))
            b.add(.array(BTFArray(elementType: TypeID(4), indexType: TypeID(1), count: 2)))
            b.add(.structure(BTFComposite(name: b.string("s"), size: 4, members: [BTFMember(name: b.string("x"), type: TypeID(5), offset: 0)])))
        }
        let btf = try BTFFile(bytes: loop)
        XCTAssertThrowsError(try btf.resolvedSize(TypeID(2))) { XCTAssertEqual(($0 as? BTFError)?.code, .tooDeep) }
        XCTAssertThrowsError(try btf.skipModifiers(TypeID(2)))
        XCTAssertThrowsError(try btf.resolvedSize(TypeID(4)))
        XCTAssertThrowsError(try btf.alignment(TypeID(5)))
        XCTAssertEqual(KernelValidator(bytes: loop).validate()?.message, "Loop detected")
    }

    func testEveryPrefixAndByteFlipOfASmallBlobFailsCleanly() throws {
        // Exhaustive small mutations: no trap, and either a parse or a typed error.
        let blob = try BTFInput.btfBytes(fromFile: Fixtures.bpfLE).bytes
        for n in stride(from: 0, to: blob.count, by: 7) {
            _ = try? BTFFile(bytes: Array(blob.prefix(n)))
            _ = KernelValidator(bytes: Array(blob.prefix(n))).validate()
        }
        for i in 0..<min(blob.count, 1200) {
            var m = blob
            m[i] ^= 0xff
            if let f = try? BTFFile(bytes: m) {
                for id in f.ownTypeIDs { _ = try? f.type(id); _ = try? f.resolvedSize(id); _ = try? f.alignment(id) }
            }
            _ = KernelValidator(bytes: m).validate()
        }
    }

    func testBTFExtBadInput() {
        XCTAssertThrowsError(try BTFExt(bytes: [0x9f, 0xeb, 1, 0])) { XCTAssertEqual(($0 as? BTFError)?.code, .truncatedHeader) }
        var h = [UInt8](repeating: 0, count: 32)
        h[0] = 0x9f; h[1] = 0xeb; h[2] = 1; h[4] = 32
        // func_info at 0 with length 100 past the end.
        h = ValidatorCorpus.patch(h, at: 12, 100)
        XCTAssertThrowsError(try BTFExt(bytes: h)) {
            XCTAssertEqual(($0 as? BTFError)?.code, .badExtInfo)
            XCTAssertEqual(($0 as? BTFError)?.offset, 8)
        }
        var ok = [UInt8](repeating: 0, count: 32)
        ok[0] = 0x9f; ok[1] = 0xeb; ok[2] = 1; ok[4] = 32
        ok = ValidatorCorpus.patch(ok, at: 12, 4 + 8 + 8)
        ok += [8, 0, 0, 0,  1, 0, 0, 0,  9, 0, 0, 0,  0, 0, 0, 0,  1, 0, 0, 0]  // rec size 8, 1 block of 9 records: overrun
        XCTAssertThrowsError(try BTFExt(bytes: ok)) { XCTAssertEqual(($0 as? BTFError)?.offset, 32 + 8) }
    }
}

extension ValidatorCorpus {
    static func u32(_ b: [UInt8], _ off: Int) -> UInt32 {
        UInt32(b[off]) | UInt32(b[off + 1]) << 8 | UInt32(b[off + 2]) << 16 | UInt32(b[off + 3]) << 24
    }
}
