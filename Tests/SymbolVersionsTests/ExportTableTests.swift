import XCTest
import Foundation
import BTF
import ELF
import SymbolVersions
import TestSupport

/// Export tables: the kernel's `struct kernel_symbol` in a linked file and, through relocations,
/// in an ET_REL object; Linux 6.5+ `.export_symbol` in objects; and damaged tables.
final class ExportTableTests: XCTestCase {
    func testLinkedAndRelocatableTablesGiveTheSameExports() throws {
        let linked = try Fixture.exports(Fixture.path("base"))
        let object = try Fixture.exports(Repo.testdata("symvers/exports-base.o"))
        XCTAssertEqual(linked.problems, [])
        XCTAssertEqual(object.problems, [])
        XCTAssertEqual(linked.exports.count, 10)
        func summary(_ t: ExportTable) -> [String] { t.exports.map { "\($0.name) \($0.kind) \($0.namespace)" }.sorted() }
        XCTAssertEqual(summary(linked), summary(object))
        let kabi = try XCTUnwrap(linked.exports.first { $0.name == "kabi_user" })
        XCTAssertEqual(kabi.kind, .gpl)
        XCTAssertEqual(kabi.namespace, "TESTNS")
        XCTAssertEqual(kabi.section, "__ksymtab_gpl")
        XCTAssertEqual(linked.exports.first { $0.name == "use_point" }?.kind, .symbol)
    }

    /// A name_offset that points outside __ksymtab_strings: the entry is listed as a problem, the
    /// others are read, nothing traps.
    func testAnEntryPointingOutsideItsStringsIsListedNotVersioned() throws {
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: Fixture.path("base"))))
        let elf = try ELFFile(bytes: bytes)
        let ksymtab = try XCTUnwrap(elf.section(named: "__ksymtab"))
        let at = Int(ksymtab.offset) + 4            // the first entry's name_offset
        for (i, b) in [UInt8(0x00), 0x00, 0x00, 0x40].enumerated() { bytes[at + i] = b }
        let table = try ExportTable(elf: try ELFFile(bytes: bytes))
        XCTAssertEqual(table.exports.count, 9)
        XCTAssertEqual(table.problems.count, 1)
        XCTAssertTrue(table.problems[0].description.contains("__ksymtab entry at byte 0: name_offset points outside __ksymtab_strings"), table.problems[0].description)
        let set = SymbolVersionSet(btf: try Fixture.btf(Fixture.path("base")), exports: table.exports, problems: table.problems)
        XCTAssertEqual(set.statistics.unreadableEntries, 1)
        XCTAssertEqual(set.statistics.versioned, 9)
        XCTAssertEqual(set.unversioned.count, 1)

        // Every byte of the tables overwritten: still no trap, and nothing versioned from garbage.
        for section in ["__ksymtab", "__ksymtab_gpl", "__ksymtab_strings"] {
            var damaged = Array(try Data(contentsOf: URL(fileURLWithPath: Fixture.path("base"))))
            let s = try XCTUnwrap(elf.section(named: section))
            for i in Int(s.offset)..<Int(s.offset + s.size) { damaged[i] = UInt8(truncatingIfNeeded: i &* 131) }
            let t = try ExportTable(elf: try ELFFile(bytes: damaged))
            XCTAssertLessThanOrEqual(t.exports.count, 10, section)
        }
    }

    /// Linux 6.5+ `.export_symbol` whose strings run past the section: each entry is a problem
    /// naming its byte offset, none is read as an export.
    func testExportSymbolEntriesRunningPastTheirSectionAreProblems() throws {
        var bytes = try BTFInput.readMaybeCompressed(Repo.testdata("rust-for-linux/exports.o.gz"))
        let elf = try ELFFile(bytes: bytes)
        XCTAssertEqual(try ExportTable(elf: elf).exports.count, 1578)
        let section = try XCTUnwrap(elf.section(named: ".export_symbol"))
        for i in Int(section.offset)..<Int(section.offset + section.size) { bytes[i] = 0x41 }   // no NUL left
        let table = try ExportTable(elf: try ELFFile(bytes: bytes))
        XCTAssertEqual(table.exports.count, 0)
        XCTAssertEqual(table.problems.count, 1578)
        let first = try XCTUnwrap(table.problems.min { $0.entryOffset < $1.entryOffset })
        XCTAssertEqual(first.description, ".export_symbol entry at byte 0: __export_symbol__RNvMNtNtCshBBT4i9RzFA_4core3num3fmtNtB2_4Part5write: license and namespace strings run past the section")
    }

    /// A name list (gendwarfksyms' stdin) or a Module.symvers file.
    func testSymversFilesParseAndNameTheirBadLine() throws {
        let f = try SymversFile(text: "0x12345678\tfoo\tvmlinux\tEXPORT_SYMBOL_GPL\tNS\n#SYMVER bar 0x0000abcd\n", path: "x")
        XCTAssertEqual(f.entries.map(\.name), ["foo", "bar"])
        XCTAssertEqual(f.entries[0].crc, 0x1234_5678)
        XCTAssertEqual(f.entries[0].kind, .gpl)
        XCTAssertEqual(f.entries[0].namespace, "NS")
        XCTAssertEqual(f.entries[1].crc, 0xabcd)
        XCTAssertThrowsError(try SymversFile(text: "0x1\tfoo\tvmlinux\tEXPORT_SYMBOL\n0xzz\tbar\n", path: "M")) { e in
            XCTAssertEqual("\(e)", "M:2: expected '0xCRC<TAB>name<TAB>module<TAB>export[<TAB>namespace]'")
        }
    }

    func testRulesFilesNameTheirBadLineAndSectionsParse() throws {
        var r = KABIRules()
        XCTAssertThrowsError(try r.add(text: "declonly a\n\nenumerator_value e X notanumber\n", path: "rules")) { e in
            XCTAssertEqual("\(e)", "rules:3: enumerator_value: 'notanumber' is not a decimal number")
        }
        XCTAssertThrowsError(try r.add(text: "frobnicate x\n", path: "rules")) { e in
            XCTAssertTrue("\(e)".hasPrefix("rules:1: unknown rule 'frobnicate'"), "\(e)")
        }
        XCTAssertThrowsError(try r.add(text: "declonly\n", path: "rules")) { e in
            XCTAssertEqual("\(e)", "rules:1: expected 'declonly NAME'")
        }
        // gendwarfksyms' section form: version, type, target, value, each NUL-terminated.
        var s = KABIRules()
        let section = Array("1\0declonly\0foo\0\01\0enumerator_ignore\0e A\0\0".utf8)
        try s.add(section: section, path: "obj.o")
        XCTAssertEqual(s.count, 2)
        XCTAssertThrowsError(try s.add(section: Array("2\0declonly\0foo\0\0".utf8), path: "obj.o")) { e in
            XCTAssertEqual("\(e)", "obj.o:byte 0: rule version '2' (expected 1)")
        }
        XCTAssertThrowsError(try s.add(section: Array("1\0declonly\0foo".utf8), path: "obj.o")) { e in
            XCTAssertEqual("\(e)", "obj.o:byte 11: .discard.gendwarfksyms.kabi_rules: a rule string is not NUL-terminated")
        }
    }

    func testCRC32IsTheCRCThatGenksymsAndGendwarfksymsUse() {
        XCTAssertEqual(CRC32.checksum(Array("123456789".utf8)), 0xCBF4_3926)
        // gendwarfksyms' string for a `void f(void)` (schedule), and its CRC in a 6.14+ module's __versions.
        XCTAssertEqual(CRC32.checksum(Array("subprogram ( ) -> base_type void".utf8)), 0xd272_d446)
    }
}
