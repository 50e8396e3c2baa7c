import XCTest
import DWARF
import ObjectFile
import TestSupport

/// Malformed DWARF gives typed errors naming the section and offset; nothing traps.
final class DWARFBadInputTests: XCTestCase {
    /// A DWARF 4 unit: one compile_unit DIE (abbrev 1: name/string, language/data1, has children)
    /// with one base_type child (abbrev 2: name/strp, byte_size/data1, sibling/ref4).
    static let abbrev: [UInt8] = [
        1, 0x11, 1, 0x03, 0x08, 0x13, 0x0b, 0, 0,
        2, 0x24, 0, 0x03, 0x0e, 0x0b, 0x0b, 0x01, 0x13, 0, 0,
        0,
    ]
    static func info(version: UInt16 = 4, body: [UInt8]? = nil) -> [UInt8] {
        let die: [UInt8] = body ?? ([1] + Array("a.c".utf8) + [0, 0x0c]      // compile_unit "a.c", C99
            + [2, 0, 0, 0, 0, 4, 0x1b, 0, 0, 0]                                // base_type strp 0, size 4, sibling 0x1b
            + [0])
        var header: [UInt8] = []
        let length = UInt32(2 + 4 + 1 + die.count)
        withUnsafeBytes(of: length.littleEndian) { header += $0 }
        withUnsafeBytes(of: version.littleEndian) { header += $0 }
        header += [0, 0, 0, 0, 8]
        return header + die
    }

    func file(info: [UInt8], abbrev: [UInt8] = abbrev) throws -> DWARFFile {
        var s = DWARFSections(isLittleEndian: true)
        s.set(.info, info)
        s.set(.abbrev, abbrev)
        s.set(.str, Array("int\0".utf8))
        return try DWARFFile(s)
    }

    func walk(_ f: DWARFFile) throws -> Int {
        var n = 0
        for u in f.units {
            var c = try f.cursor(for: u)
            while try c.next() != nil { n += 1 }
        }
        return n
    }

    func testWellFormed() throws {
        let f = try file(info: DWARFBadInputTests.info())
        XCTAssertEqual(try walk(f), 2)
        var c = try f.cursor(for: f.units[0])
        _ = try c.next()
        XCTAssertEqual(try f.string(c.attributes.first, unit: f.units[0]), "a.c")
        let child = try XCTUnwrap(try c.next())
        XCTAssertEqual(child.tag, DWARFTag(0x24))
        XCTAssertEqual(child.parent, DIEOffset(11))
        XCTAssertEqual(try f.string(c.attributes.first, unit: f.units[0]), "int")
        XCTAssertEqual(try f.context(for: f.units[0]).language, DWARFLanguage(0x0c))
    }

    func expect(_ body: () throws -> Void, _ check: (DWARFError) -> Bool, line: UInt = #line) {
        do {
            try body()
            XCTFail("no error", line: line)
        } catch let e as DWARFError {
            XCTAssertTrue(check(e), "unexpected \(e)", line: line)
            XCTAssertTrue(e.description.contains("0x") || e.description.contains("debug"), "\(e)", line: line)
        } catch {
            XCTFail("untyped error \(error)", line: line)
        }
    }

    func testTruncatedUnitsAndLyingLengths() {
        let good = DWARFBadInputTests.info()
        for n in [1, 3, 5, 8, 10] {
            expect({ _ = try walk(try file(info: Array(good.prefix(n)))) }) {
                if case .truncated = $0 { return true }
                if case .badUnitLength = $0 { return true }
                return false
            }
        }
        var lying = good
        lying[0] = 0xff; lying[1] = 0x00
        expect({ _ = try file(info: lying) }) { if case .badUnitLength(.info, 0, _, _) = $0 { return true }; return false }
        var reserved = good
        reserved[0] = 0xf0; reserved[1] = 0xff; reserved[2] = 0xff; reserved[3] = 0xff
        expect({ _ = try file(info: reserved) }) { if case .badUnitLength = $0 { return true }; return false }
        var version = good
        version[4] = 9
        expect({ _ = try file(info: version) }) { if case .unsupportedVersion(.info, 4, 9) = $0 { return true }; return false }
    }

    func testUnknownAbbreviationAndForms() {
        var body = DWARFBadInputTests.info()
        body[11] = 7
        expect({ _ = try walk(try file(info: body)) }) { if case .unknownAbbreviation(.info, 11, 7) = $0 { return true }; return false }
        var abbrev = DWARFBadInputTests.abbrev
        abbrev[4] = 0x7f  // an unknown form
        expect({ _ = try walk(try file(info: DWARFBadInputTests.info(), abbrev: abbrev)) }) {
            if case .unknownForm(.info, _, 0x7f) = $0 { return true }; return false
        }
        expect({ _ = try walk(try file(info: DWARFBadInputTests.info(), abbrev: [1, 0x11])) }) {
            if case .badLEB128(.abbrev, _) = $0 { return true }
            if case .truncated(.abbrev, _, _) = $0 { return true }
            return false
        }
        var dup = DWARFBadInputTests.abbrev
        dup[9] = 1
        expect({ _ = try walk(try file(info: DWARFBadInputTests.info(), abbrev: dup)) }) {
            if case .malformedAbbreviation = $0 { return true }; return false
        }
    }

    func testOffsetsPastSectionEnds() throws {
        var body = DWARFBadInputTests.info()
        body[18] = 0x40  // strp offset 0x40 past .debug_str (4 bytes)
        let f = try file(info: body)
        var c = try f.cursor(for: f.units[0])
        _ = try c.next(); _ = try c.next()
        expect({ _ = try f.string(c.attributes.first, unit: f.units[0]) }) {
            if case .offsetOutOfRange(.str, 0x40, 4, _) = $0 { return true }; return false
        }
        var abbrevOffset = DWARFBadInputTests.info()
        abbrevOffset[6] = 0x99
        let g = try file(info: abbrevOffset)
        expect({ _ = try g.cursor(for: g.units[0]) }) { if case .abbreviationsOutOfRange = $0 { return true }; return false }
    }

    /// `step()` (the encoder's walk) sees the same DIEs as `next()` and throws the same typed
    /// errors on the same corrupt units; after an error it only reports the end.
    func testStepMatchesNextOnGoodAndCorruptUnits() throws {
        let f = try file(info: DWARFBadInputTests.info())
        var a = try f.cursor(for: f.units[0]), b = try f.cursor(for: f.units[0])
        while let d = try a.next() {
            let s = try b.step()
            XCTAssertFalse(s.isEnd)
            XCTAssertEqual(DIEOffset(s.offset), d.offset)
            XCTAssertEqual(s.depth, d.depth)
            XCTAssertEqual(s.tag, d.tag)
            XCTAssertEqual(s.hasChildren, d.hasChildren)
        }
        XCTAssertTrue(try b.step().isEnd)

        var unknown = DWARFBadInputTests.info()
        unknown[11] = 7
        let truncatedString = DWARFBadInputTests.info(body: [1] + Array("abc".utf8))
        let badLEB = DWARFBadInputTests.info(body: [0x80, 0x80, 0x80])
        for info in [unknown, truncatedString, badLEB] {
            let g = try file(info: info)
            var viaNext = try g.cursor(for: g.units[0]), viaStep = try g.cursor(for: g.units[0])
            var nextError: DWARFError?, stepError: DWARFError?
            do { while try viaNext.next() != nil {} } catch { nextError = error }
            do { while try !viaStep.step().isEnd {} } catch { stepError = error }
            XCTAssertNotNil(stepError)
            XCTAssertEqual(stepError.map { "\($0)" }, nextError.map { "\($0)" })
            XCTAssertTrue(try viaStep.step().isEnd, "exhausted after its first error")
        }
    }

    /// `restart(at:)` (and `cursor(for:at:)`, which goes through it) only moves inside the unit:
    /// anywhere else is a typed error naming the offset and the unit.
    func testRestartOutsideTheUnitIsATypedError() throws {
        let f = try file(info: DWARFBadInputTests.info())
        let u = f.units[0]
        var c = try f.cursor(for: u)
        try c.restart(at: DIEOffset(17))          // the base_type child
        let child = try XCTUnwrap(try c.next())
        XCTAssertEqual(child.offset, DIEOffset(17))
        XCTAssertEqual(child.tag, DWARFTag(0x24))
        for bad in [0, 5, u.end, u.end + 100] {
            expect({ try c.restart(at: DIEOffset(bad)) }) {
                if case .referenceOutOfRange(.info, bad, 0) = $0 { return true }; return false
            }
            expect({ _ = try f.cursor(for: u, at: DIEOffset(bad)) }) {
                if case .referenceOutOfRange(.info, bad, 0) = $0 { return true }; return false
            }
        }
        XCTAssertNil(try c.next(), "a failed restart leaves the cursor exhausted")
    }

    func testUnterminatedLEB128AndStrings() {
        // A compile_unit whose inline string runs to the end of the unit.
        let body: [UInt8] = [1] + Array("abc".utf8)
        expect({ _ = try walk(try file(info: DWARFBadInputTests.info(body: body))) }) {
            if case .truncated(.info, _, _) = $0 { return true }; return false
        }
        let leb: [UInt8] = [0x80, 0x80, 0x80]
        expect({ _ = try walk(try file(info: DWARFBadInputTests.info(body: leb))) }) {
            if case .badLEB128(.info, 11) = $0 { return true }; return false
        }
    }

    /// A DIE the tag filter steps over, whose values all have fixed sizes, is skipped in one
    /// step: cut short, it is the same typed error naming where its values start, by `next()`
    /// and by `step()`, and the values of one that is whole are stepped over exactly.
    func testFilteredDIEWithFixedSizesCutShort() throws {
        var filter = TagFilter()
        filter.want(DWARFTag(0x11))                   // the compile_unit only: base_type is stepped over
        let whole = try file(info: DWARFBadInputTests.info())
        var c = try whole.cursor(for: whole.units[0])
        c.filter = filter
        _ = try c.next()
        let child = try XCTUnwrap(try c.next())
        XCTAssertEqual(child.offset, DIEOffset(17))
        XCTAssertEqual(c.attributes.count, 0, "stepped over, not decoded")
        XCTAssertNil(try c.next(), "its 9 bytes of values (strp, data1, ref4) skipped exactly")
        // The base_type with 3 of its 9 bytes of values: they start at 18.
        let cut = try file(info: DWARFBadInputTests.info(body: [1] + Array("a.c".utf8) + [0, 0x0c] + [2, 0, 0, 0]))
        for viaStep in [false, true] {
            var d = try cut.cursor(for: cut.units[0])
            d.filter = filter
            expect({ if viaStep { while try !d.step().isEnd {} } else { while try d.next() != nil {} } }) {
                if case .truncated(.info, 18, 9) = $0 { return true }; return false
            }
        }
    }

    /// A subtree the tag filter skips whole is still read with care: a value cut short inside it
    /// is the same typed `.truncated` error as in a full walk, and an unknown abbreviation code
    /// inside it is `.unknownAbbreviation` at its offset; a subtree the unit's end cuts off
    /// (missing null entries) ends the walk as it would end a full one.
    func testSkippedSubtreeCutShort() throws {
        var filter = TagFilter()
        filter.want(DWARFTag(0x24))                   // base_type only: the compile_unit is not wanted
        filter.skipSubtree(of: DWARFTag(0x11))        // ... and its children are skipped with it
        let whole = try file(info: DWARFBadInputTests.info())
        var c = try whole.cursor(for: whole.units[0])
        c.filter = filter
        let unitDIE = try XCTUnwrap(try c.next())
        XCTAssertFalse(unitDIE.hasChildren, "returned without its children")
        XCTAssertNil(try c.next(), "the base_type inside was skipped with the subtree")
        let unterminated = try file(info: DWARFBadInputTests.info(body: [1] + Array("a.c".utf8) + [0, 0x0c] + [2, 0, 0, 0, 0, 4, 0x1b, 0, 0, 0]))
        var u = try unterminated.cursor(for: unterminated.units[0])
        u.filter = filter
        XCTAssertNotNil(try u.next())
        XCTAssertNil(try u.next(), "no null entries before the unit's end: the walk ends there")
        let cut = try file(info: DWARFBadInputTests.info(body: [1] + Array("a.c".utf8) + [0, 0x0c] + [2, 0, 0, 0]))
        let unknown = try file(info: DWARFBadInputTests.info(body: [1] + Array("a.c".utf8) + [0, 0x0c] + [7, 0, 0]))
        for viaStep in [false, true] {
            var d = try cut.cursor(for: cut.units[0])
            d.filter = filter
            expect({ if viaStep { while try !d.step().isEnd {} } else { while try d.next() != nil {} } }) {
                if case .truncated(.info, 18, 9) = $0 { return true }; return false
            }
            XCTAssertNil(try d.next(), "exhausted after its first error")
            var e = try unknown.cursor(for: unknown.units[0])
            e.filter = filter
            expect({ if viaStep { while try !e.step().isEnd {} } else { while try e.next() != nil {} } }) {
                if case .unknownAbbreviation(section: .info, offset: 17, code: 7) = $0 { return true }; return false
            }
        }
    }

    /// `skipChildren` without a decoded DW_AT_sibling steps over the children's bytes: a child cut
    /// short is `.truncated` naming where its values start, an unknown code inside is
    /// `.unknownAbbreviation` at its offset, and the cursor is exhausted after either.
    func testSkipChildrenByBytesCutShort() throws {
        let cut = try file(info: DWARFBadInputTests.info(body: [1] + Array("a.c".utf8) + [0, 0x0c] + [2, 0, 0, 0]))
        let unknown = try file(info: DWARFBadInputTests.info(body: [1] + Array("a.c".utf8) + [0, 0x0c] + [7, 0, 0]))
        for (f, isTruncated) in [(cut, true), (unknown, false)] {
            var c = try f.cursor(for: f.units[0])
            c.attributeFilter = AttributeFilter([.name])          // no DW_AT_sibling: stepped over by bytes
            let cu = try XCTUnwrap(try c.next())
            expect({ try c.skipChildren(of: cu) }) {
                if isTruncated, case .truncated(.info, 18, 9) = $0 { return true }
                if !isTruncated, case .unknownAbbreviation(section: .info, offset: 17, code: 7) = $0 { return true }
                return false
            }
            XCTAssertNil(try c.next(), "exhausted after its first error")
        }
    }

    /// With an attribute filter, a DIE whose values all have fixed sizes has only the wanted ones
    /// decoded, each where it is; cut short, it is a typed error naming where its values start.
    func testAttributeFilterOnFixedSizesCutShort() throws {
        let whole = try file(info: DWARFBadInputTests.info())
        var c = try whole.cursor(for: whole.units[0])
        c.attributeFilter = AttributeFilter([DWARFAttribute(0x0b)])          // byte_size only
        _ = try c.next()
        XCTAssertEqual(c.attributes.count, 0, "compile_unit: no byte_size")
        _ = try XCTUnwrap(try c.next())
        XCTAssertEqual(c.attributes.count, 1)
        XCTAssertEqual(c.attributes.first?.name, DWARFAttribute(0x0b))
        XCTAssertEqual(c.attributes.first?.value, .data(4, size: 1))
        XCTAssertEqual(c.attributes.first?.offset, 22, "after the code at 17 and the strp at 18")
        XCTAssertNil(try c.next(), "the strp and ref4 around it stepped over exactly")
        let cut = try file(info: DWARFBadInputTests.info(body: [1] + Array("a.c".utf8) + [0, 0x0c] + [2, 0, 0, 0]))
        for viaStep in [false, true] {
            var d = try cut.cursor(for: cut.units[0])
            d.attributeFilter = AttributeFilter([DWARFAttribute(0x0b)])
            expect({ if viaStep { while try !d.step().isEnd {} } else { while try d.next() != nil {} } }) {
                if case .truncated(.info, 18, 9) = $0 { return true }; return false
            }
        }
    }

    /// With an attribute filter, a DIE whose values vary in size (here an inline string cut short)
    /// fails with the same typed error, at the same offset, as without one.
    func testAttributeFilterOnVaryingSizesCutShort() throws {
        let cut = try file(info: DWARFBadInputTests.info(body: [1] + Array("abc".utf8)))
        var plain = try cut.cursor(for: cut.units[0]), picked = try cut.cursor(for: cut.units[0])
        picked.attributeFilter = AttributeFilter([DWARFAttribute(0x13)])          // language only: the name is not wanted
        var plainError: DWARFError?, pickedError: DWARFError?
        do { while try plain.next() != nil {} } catch { plainError = error }
        do { while try picked.next() != nil {} } catch { pickedError = error }
        guard case .truncated(.info, _, _)? = pickedError else { return XCTFail("\(String(describing: pickedError))") }
        XCTAssertEqual(pickedError.map { "\($0)" }, plainError.map { "\($0)" })
    }

    func testSiblingCycleIsRejected() throws {
        var body = DWARFBadInputTests.info()
        // base_type's DW_AT_sibling (unit-relative) pointing back at itself.
        body[24] = 0x12
        let f = try file(info: body)
        var c = try f.cursor(for: f.units[0])
        _ = try c.next()
        let child = try XCTUnwrap(try c.next())
        XCTAssertFalse(child.hasChildren)
        // A DIE with children whose sibling points backwards: build one.
        let abbrev: [UInt8] = [1, 0x11, 1, 0x01, 0x13, 0, 0, 2, 0x24, 0, 0, 0, 0]
        let loop = DWARFBadInputTests.info(body: [1, 0, 0, 0, 0, 2, 0])  // sibling = 0 (the unit header)
        let g = try file(info: loop, abbrev: abbrev)
        var d = try g.cursor(for: g.units[0])
        let cu = try XCTUnwrap(try d.next())
        expect({ try d.skipChildren(of: cu) }) { if case .badSibling(.info, _, 0) = $0 { return true }; return false }
        XCTAssertNil(try d.next(), "the cursor is exhausted after its first error")
    }

    /// Found by the fuzzer: an implicit_const whose SLEB128 sets bit 63's sign extension.
    func testImplicitConstSLEB128AtBit63() throws {
        let abbrev: [UInt8] = [1, 0x11, 0, 0x1c, 0x21] + Array(repeating: 0x80, count: 8) + [0x40, 0, 0, 0]
        let f = try file(info: DWARFBadInputTests.info(body: [1, 0]), abbrev: abbrev)
        var c = try f.cursor(for: f.units[0])
        _ = try c.next()
        XCTAssertEqual(c.attributes.first?.value, .implicitConst(-4_611_686_018_427_387_904))
    }

    func testSupplementaryAndSplitDWARFAreReported() {
        var s = DWARFSections(isLittleEndian: true)
        s.supplementaryLink = "x.debug links to supplementary file 'dwz.debug'"
        expect({ _ = try DWARFFile(s) }) { if case .supplementaryFileNotSupported = $0 { return true }; return false }
    }

    func testRandomMutationsNeverTrap() throws {
        let good = DWARFBadInputTests.info()
        for i in 0..<good.count {
            for x: UInt8 in [0x00, 0x7f, 0x80, 0xff] {
                var m = good; m[i] = x
                if let f = try? file(info: m) {
                    for u in f.units {
                        guard var c = try? f.cursor(for: u) else { continue }
                        while let d = try? c.next() {
                            for a in c.attributes { _ = try? f.string(a, unit: u); _ = f.referencedOffset(a, unit: u) }
                            if d.hasChildren { try? c.skipChildren(of: d) }
                        }
                    }
                }
            }
        }
    }
}

/// Split DWARF is detected and reported, never read as if the skeleton were the whole story.
final class SplitDWARFTests: XCTestCase {
    func testSkeletonUnitsAndDWOFilesAreReported() throws {
        for (name, expected) in [("split4.o", "is a skeleton for 'split4.dwo'"), ("split5.o", "DW_UT_skeleton, types in 'split5.dwo'")] {
            let dwarf = try ObjectFile.dwarf(path: Repo.testdata("dwarf/" + name))
            XCTAssertEqual(dwarf.units.count, 1)
            XCTAssertThrowsError(try dwarf.requireComplete(dwarf.units[0])) { e in
                XCTAssertTrue("\(e)".contains(expected) && "\(e)".contains("not supported yet"), "\(e)")
            }
        }
        for name in ["split4.dwo", "split5.dwo"] {
            XCTAssertThrowsError(try ObjectFile.dwarf(path: Repo.testdata("dwarf/" + name))) { e in
                XCTAssertTrue("\(e)".contains("is a split DWARF object"), "\(e)")
            }
        }
        let normal = try ObjectFile.dwarf(path: Repo.testdata("dwarf/gcc-dwarf5.o"))
        XCTAssertNoThrow(try normal.requireComplete(normal.units[0]))
    }
}
