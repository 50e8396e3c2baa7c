import XCTest
import Foundation
import ELF

final class DebugSectionTests: XCTestCase {
    func load(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: ELFFileTests.root + name)))
    }

    func testRelocationsAreAppliedForEveryMachine() throws {
        // (BPF objects use SHT_REL with implicit addends against section symbols of value 0, so
        // their bytes do not change; the llvm-dwarfdump comparison checks them.)
        let bpf = try ELFFile(bytes: load("dwarf/clang-bpf.o"))
        let rel = try XCTUnwrap(bpf.sections.first { $0.type == ELFFile.SHT_REL && bpf.sections[Int($0.info)].name == ".debug_info" })
        XCTAssertTrue(try bpf.relocations(in: rel).allSatisfy { $0.addend == nil && ($0.type == 3 || $0.type == 2) })
        for name in ["dwarf/clang-aarch64.o", "dwarf/clang-riscv64.o", "dwarf/clang-s390x.o", "dwarf/gcc-dwarf5.o"] {
            let elf = try ELFFile(bytes: load(name))
            let raw = try elf.contents(of: try XCTUnwrap(elf.section(named: ".debug_info")))
            let relocated = try XCTUnwrap(try elf.debugSection(named: ".debug_info"))
            XCTAssertEqual(raw.count, relocated.count, name)
            XCTAssertNotEqual(raw, relocated, "\(name): relocations must change .debug_info (strp/line_strp offsets)")
            let rela = try XCTUnwrap(elf.sections.first { $0.type == ELFFile.SHT_RELA && elf.sections[Int($0.info)].name == ".debug_info" })
            XCTAssertGreaterThan(try elf.relocations(in: rela).count, 5, name)
        }
    }

    func testUnsupportedRelocationTypeIsNamed() throws {
        var bytes = try load("dwarf/clang-aarch64.o")
        let elf = try ELFFile(bytes: bytes)
        let rela = try XCTUnwrap(elf.sections.first { $0.type == ELFFile.SHT_RELA && elf.sections[Int($0.info)].name == ".debug_info" })
        // r_info of the first entry: low 32 bits are the type (little-endian ELF64).
        let at = Int(rela.offset) + 8
        bytes[at] = 0x0f; bytes[at + 1] = 0x27; bytes[at + 2] = 0; bytes[at + 3] = 0   // 9999
        let patched = try ELFFile(bytes: bytes)
        XCTAssertThrowsError(try patched.debugSection(named: ".debug_info")) { e in
            XCTAssertEqual("\(e)", ".rela.debug_info entry 0: unsupported relocation type 9999 for machine AArch64")
        }
    }

    func testRelocationOutsideTheSectionIsAnError() throws {
        var bytes = try load("dwarf/clang-s390x.o")
        let elf = try ELFFile(bytes: bytes)
        let rela = try XCTUnwrap(elf.sections.first { $0.type == ELFFile.SHT_RELA && elf.sections[Int($0.info)].name == ".debug_info" })
        // r_offset of the first entry (big-endian ELF64) far past the section.
        let at = Int(rela.offset)
        for k in 0..<8 { bytes[at + k] = k < 4 ? 0 : 0x7f }
        XCTAssertThrowsError(try ELFFile(bytes: bytes).debugSection(named: ".debug_info")) { e in
            XCTAssertTrue("\(e)".contains("lies outside .debug_info"), "\(e)")
        }
    }

    func testCompressedSections() throws {
        let z = try ELFFile(bytes: load("dwarf/gcc-dwarf5-zlib.o"))
        let plain = try ELFFile(bytes: load("dwarf/gcc-dwarf5.o"))
        // Same DIE layout (string offsets differ between the two compilations).
        XCTAssertEqual(try z.debugSection(named: ".debug_info")?.count, try plain.debugSection(named: ".debug_info")?.count)
        let legacy = try ELFFile(bytes: load("dwarf/gcc-dwarf4-zdebug.o"))
        XCTAssertNotNil(legacy.section(named: ".zdebug_info"))
        XCTAssertEqual(try legacy.debugSection(named: ".debug_info"),
                       try ELFFile(bytes: load("dwarf/gcc-dwarf4.o")).debugSection(named: ".debug_info"))

        // The same file claiming zstd compression: a clear error, not garbage.
        var bytes = try load("dwarf/gcc-dwarf5-zlib.o")
        let info = try XCTUnwrap(z.section(named: ".debug_info"))
        bytes[Int(info.offset)] = 2
        XCTAssertThrowsError(try ELFFile(bytes: bytes).debugSection(named: ".debug_info")) { e in
            XCTAssertTrue("\(e)".contains("zstd"), "\(e)")
        }
        // A corrupt zlib stream.
        bytes = try load("dwarf/gcc-dwarf5-zlib.o")
        for k in 30..<40 { bytes[Int(info.offset) + k] ^= 0x55 }
        XCTAssertThrowsError(try ELFFile(bytes: bytes).debugSection(named: ".debug_info"))
    }

    func testSymbols() throws {
        let elf = try ELFFile(bytes: load("dwarf/gcc-dwarf5.o"))
        let names = Set(try elf.symbols().map(\.name))
        XCTAssertTrue(names.isSuperset(of: ["sample_entry", "global_array", "tls_counter", "packed_value"]))
        let entry = try XCTUnwrap(try elf.symbols().first { $0.name == "sample_entry" })
        XCTAssertEqual(entry.type, ELFSymbol.STT_FUNC)
        let be = try ELFFile(bytes: load("elf/rel32be.o"))
        XCTAssertTrue(try be.symbols().contains { $0.name == "carrier" && $0.type == ELFSymbol.STT_FUNC })
    }

    /// The on-demand table reads every entry and name as `symbols(in:)` does, for both classes
    /// and byte orders; a name offset past the string table, or a string table without its last
    /// NUL, reads as the empty name instead of trapping.
    func testSymbolTableOnDemandEqualsSymbols() throws {
        for name in ["dwarf/gcc-dwarf5.o", "elf/rel32be.o", "dwarf/clang-s390x.o", "dwarf/clang-bpf.o"] {
            let elf = try ELFFile(bytes: load(name))
            let symtab = try XCTUnwrap(elf.sections.first { $0.type == ELFFile.SHT_SYMTAB }, name)
            let table = try ELFSymbolTable(elf: elf, section: symtab)
            let all = try elf.symbols(in: symtab)
            XCTAssertEqual(table.count, all.count, name)
            XCTAssertGreaterThan(table.count, 3, name)
            for i in 0..<table.count {
                let e = table[i], s = all[i]
                XCTAssertEqual(table.name(e), s.name, name)
                XCTAssertEqual([e.value, e.size], [s.value, s.size], name)
                XCTAssertEqual([e.info, e.other], [s.info, s.other], name)
                XCTAssertEqual(e.sectionIndex, s.sectionIndex, name)
                XCTAssertEqual(table.name(e, hasPrefix: "sample"), s.name.hasPrefix("sample"), name)
            }
        }
        var bytes = try load("dwarf/gcc-dwarf5.o")
        let elf = try ELFFile(bytes: bytes)
        let symtab = try XCTUnwrap(elf.sections.first { $0.type == ELFFile.SHT_SYMTAB })
        let strtab = elf.sections[Int(symtab.link)]
        let entry = try XCTUnwrap(try elf.symbols(in: symtab).first { $0.name == "sample_entry" })
        // st_name of that entry far past the string table.
        let at = Int(symtab.offset) + entry.index * 24
        for k in 0..<4 { bytes[at + k] = 0xff }
        // The string table's last byte (its final NUL) made a letter.
        bytes[Int(strtab.offset + strtab.size) - 1] = UInt8(ascii: "x")
        let bad = try ELFFile(bytes: bytes)
        let table = try ELFSymbolTable(elf: bad, section: symtab)
        XCTAssertEqual(table.name(table[entry.index]), "")
        let last = try XCTUnwrap((0..<table.count).filter { UInt64(table[$0].nameOffset) < strtab.size }.max { table[$0].nameOffset < table[$1].nameOffset })
        XCTAssertEqual(table.name(table[last]), "", "the last name has lost its NUL")
        XCTAssertEqual(try bad.symbols(in: symtab).map(\.name), (0..<table.count).map { table.name(table[$0]) })
    }
}
