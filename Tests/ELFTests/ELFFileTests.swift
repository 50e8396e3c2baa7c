import XCTest
import Foundation
import ELF

final class ELFFileTests: XCTestCase {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path + "/testdata/"
    }()

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
