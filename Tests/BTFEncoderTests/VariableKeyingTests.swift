import XCTest
import BTF
import BTFEncoder
import ELF
import TestSupport

/// In a relocatable object every section starts at address 0: variables are told apart by
/// (section, offset), never by address alone (`SectionPlacement`).
final class VariableKeyingTests: XCTestCase {
    /// testdata/encoder/sections.c: d1, d2 in .data, b1, b2 in .bss, r1 in .rodata. Each gets a
    /// VAR in the DATASEC of its own section, at its symbol's offset in that section.
    func testEveryVariableOfEverySectionIsEncoded() throws {
        let path = Repo.testdata("encoder/sections-gcc.o")
        var o = EncoderOptions()
        _ = o.set(feature: "global_var", true)
        let r = try Encoder.encode(path: path, base: nil, options: o)
        let btf = try BTFFile(bytes: r.blob)
        XCTAssertNil(KernelValidator(bytes: r.blob).validate())

        // What the symbol table says: section name and offset of each variable.
        let elf = try ELFFile(bytes: BTFInput.readFile(path))
        guard let symtab = elf.sections.first(where: { $0.type == 2 }) else { return XCTFail("no .symtab") }
        var expected: [String: (section: String, offset: UInt32)] = [:]
        for s in try elf.symbols(in: symtab) where s.type == ELFSymbol.STT_OBJECT && ["d1", "d2", "b1", "b2", "r1"].contains(s.name) {
            expected[s.name] = (elf.sections[Int(s.sectionIndex)].name, UInt32(s.value))
        }
        XCTAssertEqual(expected.count, 5)

        var found: [String: (section: String, offset: UInt32)] = [:]
        for id in btf.typeIDs(ofKind: .dataSection) {
            guard case .dataSection(let d)? = try? btf.type(id) else { continue }
            let section = btf.string(d.name)
            for e in d.entries {
                let name = btf.name(of: e.type)
                XCTAssertNil(found[name], "\(name) encoded twice")
                found[name] = (section, e.offset)
                XCTAssertEqual(e.size, 4, name)
            }
        }
        for (name, want) in expected {
            guard let got = found[name] else { XCTFail("no VAR for \(name) (\(want.section)+\(want.offset))"); continue }
            XCTAssertEqual(got.section, want.section, name)
            XCTAssertEqual(got.offset, want.offset, name)
        }
    }

    /// The placement itself: allocated sections follow each other at their alignment; debug
    /// sections stay at 0; linked files keep sh_addr.
    func testPlacementSeparatesSectionsOfAnObject() throws {
        let elf = try ELFFile(bytes: BTFInput.readFile(Repo.testdata("encoder/sections-gcc.o"))).withLaidOutSections()
        var seen: [UInt64: String] = [:]
        for s in elf.sections where s.flags & SectionPlacement.SHF_ALLOC != 0 && s.size > 0 {
            let a = elf.placedAddress(ofSection: s.index)
            XCTAssertNil(seen[a], "\(s.name) placed at the address of \(seen[a] ?? "")")
            seen[a] = s.name
            if s.alignment > 1 { XCTAssertEqual(a % s.alignment, 0, s.name) }
        }
        for s in elf.sections where s.name.hasPrefix(".debug_") { XCTAssertEqual(elf.placedAddress(ofSection: s.index), 0) }
        let exec = try ELFFile(bytes: BTFInput.readFile(Repo.testdata("elf/exec64le"))).withLaidOutSections()
        for s in exec.sections { XCTAssertEqual(exec.placedAddress(ofSection: s.index), s.address) }
        XCTAssertEqual(elf.placedAddress(ofSection: -1), 0)
        XCTAssertEqual(elf.placedAddress(ofSection: 1 << 20), 0)
        // Without the layout (what llvm-dwarfdump shows): sh_addr, 0 for every section of a .o.
        let plain = try ELFFile(bytes: BTFInput.readFile(Repo.testdata("encoder/sections-gcc.o")))
        for s in plain.sections { XCTAssertEqual(plain.placedAddress(ofSection: s.index), s.address) }
    }
}
