import XCTest
import Foundation
import BTF
import BTFEncoder
import ELF
import ObjectFile
import SymbolVersions
import TestSupport

/// Rust exports get versions from our Rust BTF, by the same grammar: Rust-for-Linux 6.12's
/// exports.o lists the exported Rust symbols (`.export_symbol`), kernel.o defines them; the mixed
/// C/Rust program is versioned after a normal link and after cross-language LTO.
final class RustTests: XCTestCase {
    func unpack(_ relative: String, to dir: String) throws -> String {
        let path = dir + "/" + (relative.split(separator: "/").last.map(String.init) ?? relative).replacingOccurrences(of: ".gz", with: "")
        try Data(try BTFInput.readMaybeCompressed(Repo.testdata(relative))).write(to: URL(fileURLWithPath: path))
        return path
    }

    func tempDir() throws -> String {
        let dir = NSTemporaryDirectory() + "btfkit-symvers-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    func testRustForLinuxExportsAreVersionedFromRustBTF() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let exportsObject = try unpack("rust-for-linux/exports.o.gz", to: dir)
        let kernel = try unpack("rust-for-linux/kernel.o.gz", to: dir)
        let table = try ExportTable(elf: try ELFFile(mappingFile: exportsObject))
        XCTAssertEqual(table.exports.count, 1578, "EXPORT_SYMBOL_RUST_GPL entries of .export_symbol")
        XCTAssertTrue(table.exports.allSatisfy { $0.kind == .gpl })
        // The exports kernel.o defines (global, not undefined).
        let elf = try ELFFile(mappingFile: kernel)
        let symtab = try XCTUnwrap(elf.sections.first { $0.type == ELFFile.SHT_SYMTAB })
        let defined = Set(try elf.symbols(in: symtab).filter { $0.binding == ELFSymbol.STB_GLOBAL && $0.sectionIndex != 0 }.map(\.name))
        let mine = table.exports.filter { defined.contains($0.name) }
        XCTAssertEqual(mine.count, 88)
        let btf = try Fixture.btf(kernel)
        let set = SymbolVersionSet(btf: btf, exports: mine)
        // 74 have a FUNC or VAR; the 14 without are 12 compiler-generated `panic_cold_explicit`
        // closures (no subprogram with their linkage name) and 2 `CLASS` lock-class-key statics
        // inside functions: listed, not versioned.
        XCTAssertEqual(set.statistics.versioned, 74)
        let without = set.versions.filter { $0.crc == nil }.map(\.export.name)
        XCTAssertEqual(without.filter { $0.hasSuffix("panic_cold_explicit") }.count, 12, "\(without)")
        XCTAssertEqual(without.filter { $0.hasSuffix("5CLASS") }.count, 2, "\(without)")
        // Rust types expanded by the grammar: enums with data are unions of variants.
        XCTAssertTrue(set.definitionLines.contains { $0.hasPrefix("e#") }, "fieldless Rust enums are enums")
        XCTAssertTrue(set.definitionLines.contains { $0.hasPrefix("u#") || $0.contains(" union size(") }, "enums with data are unions")
        // Same versions from a second encode with two threads.
        let again = SymbolVersionSet(btf: try Fixture.btf(kernel, jobs: 2), exports: mine)
        XCTAssertEqual(Fixture.crcs(set), Fixture.crcs(again))
    }

    func testMixedCAndRustAreVersionedWithAndWithoutLTO() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let names = ["rust_make_shape", "rust_shape_kind", "rust_area", "rust_free_shape", "c_scale"]
        var results: [[String: UInt32]] = []
        for file in ["mixed/mixed.gz", "mixed/mixed-lto.gz"] {
            let path = try unpack(file, to: dir)
            let btf = try Fixture.btf(path)
            let exports = names.enumerated().map { KernelExport(name: $1, kind: .symbol, section: "<list>", entryOffset: UInt64($0)) }
            let set = SymbolVersionSet(btf: btf, exports: exports)
            XCTAssertEqual(set.statistics.versioned, names.count, "\(file): \(set.unversioned)")
            results.append(Fixture.crcs(set))
        }
        // The C function's types are the same in both links.
        XCTAssertEqual(results[0]["c_scale"], results[1]["c_scale"])
    }
}
