import XCTest
import Foundation
import ELF
import TestSupport

final class ELFFileTests: XCTestCase {
    static let root = Repo.testdata("")

    func load(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: ELFFileTests.root + name)))
    }

    func testBPFObjectsBothEndians() throws {
        for (name, endian) in [("bpf/core_demo.bpfel.o", "little"), ("bpf/core_demo.bpfeb.o", "big")] {
            let elf = try ELFFile(bytes: load(name))
            XCTAssertEqual(elf.elfClass, .elf64)
            XCTAssertEqual("\(elf.endianness)".hasPrefix(endian), true)
            XCTAssertEqual(elf.type, 1, "ET_REL")
            XCTAssertEqual(elf.machine, 247, "EM_BPF")
            let btf = try XCTUnwrap(elf.section(named: ".BTF"))
            let contents = try elf.contents(of: btf)
            XCTAssertEqual(contents.count, Int(btf.size))
            XCTAssertNotNil(elf.section(named: ".BTF.ext"))
            XCTAssertNotNil(elf.section(named: "socket"))
        }
    }

    func testClassesByteOrdersAndTypes() throws {
        let cases: [(String, ELFClass, String, UInt16, UInt16)] = [
            ("elf/rel32le.o", .elf32, "little", 1, 3),      // ET_REL, EM_386
            ("elf/rel32be.o", .elf32, "big", 1, 20),        // ET_REL, EM_PPC
            ("elf/rel64be.o", .elf64, "big", 1, 22),        // ET_REL, EM_S390
            ("elf/dyn64le.so", .elf64, "little", 3, 62),    // ET_DYN, EM_X86_64
            ("elf/exec64le", .elf64, "little", 2, 62),      // ET_EXEC, EM_X86_64
        ]
        for (name, cls, endian, type, machine) in cases {
            let elf = try ELFFile(bytes: load(name))
            XCTAssertEqual(elf.elfClass, cls, name)
            XCTAssertTrue("\(elf.endianness)".hasPrefix(endian), name)
            XCTAssertEqual(elf.type, type, name)
            XCTAssertEqual(elf.machine, machine, name)
            let btf = try XCTUnwrap(elf.section(named: ".BTF"), name)
            let bytes = try elf.contents(of: btf)
            XCTAssertEqual(Array(bytes.prefix(2)), endian == "little" ? [0x9f, 0xeb] : [0xeb, 0x9f], name)
        }
    }

    func testTruncatedAndCorruptELF() throws {
        let good = try load("bpf/core_demo.bpfel.o")
        XCTAssertThrowsError(try ELFFile(bytes: [0x7f, 0x45, 0x4c])) { e in
            guard case .notELF = e as? ELFError else { return XCTFail("\(e)") }
        }
        var badClass = good; badClass[4] = 9
        XCTAssertThrowsError(try ELFFile(bytes: badClass)) { e in
            guard case .unsupportedClass(9) = e as? ELFError else { return XCTFail("\(e)") }
        }
        // Section headers cut off: a typed error, never a trap.
        for n in [20, 64, 100, good.count / 2, good.count - 1] {
            if let elf = try? ELFFile(bytes: Array(good.prefix(n))) {
                for s in elf.sections { _ = try? elf.contents(of: s) }
            }
        }
        // A section whose range lies past the end of the file.
        var elf = try ELFFile(bytes: good)
        var sec = try XCTUnwrap(elf.section(named: ".BTF"))
        sec.offset = UInt64(good.count) + 10
        XCTAssertThrowsError(try elf.contents(of: sec)) { e in
            XCTAssertTrue("\(e)".contains(".BTF"))
        }
        // Random byte flips in the header and section table never trap.
        for i in 0..<64 {
            var m = good; m[i] ^= 0xa5
            if let e = try? ELFFile(bytes: m) { for s in e.sections { _ = try? e.contents(of: s) } }
        }
        elf = try ELFFile(bytes: good)
        XCTAssertGreaterThan(elf.sections.count, 5)
    }
}
