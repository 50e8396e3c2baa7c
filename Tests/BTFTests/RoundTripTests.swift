import XCTest
@testable import BTF

/// decode → encode gives back the input, byte for byte, for every fixture; byte-order
/// conversion is lossless.
final class RoundTripTests: XCTestCase {
    func assertRoundTrip(_ btf: BTFFile, _ original: [UInt8], file: StaticString = #filePath, line: UInt = #line) throws {
        let again = try btf.serialized()
        XCTAssertEqual(again.count, original.count, file: file, line: line)
        XCTAssertTrue(again == original, "re-encoded bytes differ", file: file, line: line)
        // Other byte order and back.
        let swapped = try btf.serialized(endianness: btf.endianness.swapped)
        XCTAssertNotEqual(swapped, original, file: file, line: line)
        let swappedBase = try btf.base.map { try BTFFile(bytes: $0.serialized(endianness: $0.endianness.swapped)) }
        let reread = try BTFFile(bytes: swapped, base: swappedBase)
        XCTAssertEqual(reread.endianness, btf.endianness.swapped, file: file, line: line)
        XCTAssertEqual(reread.ownTypeCount, btf.ownTypeCount, file: file, line: line)
        XCTAssertTrue(try reread.serialized(endianness: btf.endianness) == original, "swap round trip differs", file: file, line: line)
        XCTAssertEqual(try reread.ownTypes(), try btf.ownTypes(), file: file, line: line)
    }

    func testVmlinux61() throws {
        let bytes = try BTFInput.readMaybeCompressed(Fixtures.vmlinux61)
        try assertRoundTrip(try BTFFile(bytes: bytes), bytes)
    }

    func testVmlinux618() throws {
        let bytes = try BTFInput.readMaybeCompressed(Fixtures.vmlinux618)
        try assertRoundTrip(try BTFFile(bytes: bytes), bytes)
    }

    func testSplitVirtioNet() throws {
        let bytes = try BTFInput.readFile(Fixtures.virtioBTF)
        let btf = try BTFFile(bytes: bytes, base: try Fixtures.base61)
        XCTAssertEqual(btf.firstID, 94976)
        XCTAssertEqual(btf.ownTypeCount, 166)
        try assertRoundTrip(btf, bytes)
    }

    func testModuleELFSectionEqualsDetachedBTF() throws {
        let fromELF = try BTFInput.btfBytes(fromFile: Fixtures.virtioKO)
        XCTAssertEqual(fromELF.bytes, try BTFInput.readFile(Fixtures.virtioBTF))
    }

    func testBPFObjectBothEndians() throws {
        let le = try BTFInput.btfBytes(fromFile: Fixtures.bpfLE).bytes
        let be = try BTFInput.btfBytes(fromFile: Fixtures.bpfBE).bytes
        let l = try BTFFile(bytes: le), b = try BTFFile(bytes: be)
        XCTAssertEqual(l.endianness, .little)
        XCTAssertEqual(b.endianness, .big)
        try assertRoundTrip(l, le)
        try assertRoundTrip(b, be)
        XCTAssertEqual(try l.ownTypes(), try b.ownTypes())
        XCTAssertEqual(try l.serialized(endianness: .big), be)
    }

    func testBTFExtRoundTripBothEndians() throws {
        for path in [Fixtures.bpfLE, Fixtures.bpfBE] {
            let raw = try BTFInput.readFile(path)
            let ext = try BTFInput.section(".BTF.ext", of: raw, path: path)
            let parsed = try BTFExt(bytes: ext)
            XCTAssertEqual(parsed.serialized(), ext, "\(path): .BTF.ext re-encoding differs")
            XCTAssertEqual(try BTFExt(bytes: parsed.serialized(endianness: parsed.endianness.swapped)), {
                var p = parsed; p.endianness = parsed.endianness.swapped; return p }())
            XCTAssertGreaterThanOrEqual(parsed.functions.count, 2)
            XCTAssertGreaterThan(parsed.lines.count, 5)
            XCTAssertGreaterThanOrEqual(parsed.relocations.count, 10, "every CO-RE builtin in core_demo.bpf.c gives a record")
            let btf = try BTFFile(contentsOf: path)
            let names = Set(parsed.functions.compactMap { btf.name(of: $0.1.type) })
            XCTAssertEqual(names, ["demo_prog", "helper"])
            let kinds = Set(parsed.relocations.map(\.1.kind))
            XCTAssertTrue(kinds.isSuperset(of: [0, 1, 2, 3, 4, 5, 8, 9, 10, 11]), "relocation kinds: \(kinds.sorted())")
            for (_, r) in parsed.relocations {
                XCTAssertFalse(btf.string(r.accessString).isEmpty)
            }
        }
    }

    func testBuilderDeduplicatesStringsAndProducesLoadableBTF() throws {
        var b = BTFBuilder()
        let a = b.string("task_struct"), a2 = b.string("task_struct")
        XCTAssertEqual(a, a2)
        XCTAssertEqual(b.string(""), .empty)
        let int = b.add(.int(BTFInt(name: b.string("int"), size: 4, encoding: .signed, bits: 32)))
        let ptr = b.add(.pointer(BTFReference(type: int)))
        b.add(.structure(BTFComposite(name: a, size: 16, members: [
            BTFMember(name: b.string("pid"), type: int, offset: 0),
            BTFMember(name: b.string("next"), type: ptr, offset: 64)])))
        for e in [Endianness.little, .big] {
            let btf = try BTFFile(bytes: b.build(endianness: e))
            XCTAssertEqual(btf.typeIDs(named: "task_struct"), [TypeID(3)])
            XCTAssertEqual(try btf.resolvedSize(TypeID(3)), 16)
            XCTAssertEqual(try btf.alignment(TypeID(3)), 8)
        }
        XCTAssertNil(KernelValidator(bytes: b.build()).validate())
    }

    func testSplitBuilderContinuesIDsAndStrings() throws {
        let base = try Fixtures.base61
        var b = BTFBuilder(base: base)
        let name = b.string("my_module_struct")
        XCTAssertEqual(name.rawValue, base.stringSpaceEnd)
        let intID = base.typeIDs(named: "int").first ?? .void
        let id = b.add(.structure(BTFComposite(name: name, size: 4, members: [BTFMember(name: b.string("x"), type: intID, offset: 0)])))
        XCTAssertEqual(id.rawValue, UInt32(base.typeCount))
        let split = try BTFFile(bytes: b.build(), base: base)
        XCTAssertEqual(split.name(of: id), "my_module_struct")
        XCTAssertNil(KernelValidator(bytes: b.build(), base: base).validate())
    }
}
