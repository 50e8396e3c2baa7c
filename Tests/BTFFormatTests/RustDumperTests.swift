import XCTest
import Foundation
import BTF
import BTFFormat
import TestSupport

/// Rust bindings judged by rustc: the whole output for both kernels compiles as a no_std library,
/// and const assertions of `size_of`/`offset_of!` for every struct and member equal the BTF.
final class RustDumperTests: XCTestCase {
    func compile(_ source: String, name: String, dir: String, rustc: String) throws -> (Int32, String) {
        let lib = dir + "/\(name).rs"
        // The output carries its own #![allow(...)] for C's naming: rustc must print no warning.
        try ("#![no_std]\n" + source)
            .write(toFile: lib, atomically: true, encoding: .utf8)
        let r = try ExternalTool.capture(rustc, ["--edition", "2021", "--crate-type=lib", "--emit=metadata", "-o", dir + "/\(name).rmeta", lib])
        return (r.status, String(decoding: r.err, as: UTF8.self))
    }

    func testKernelBindingsCompileWithBTFLayout() throws {
        let rustc = try ExternalTool.require("rustc", package: "rustc")
        let dir = NSTemporaryDirectory() + "btfkit-rs-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for k in ["vmlinux-6.1.btf.gz", "vmlinux-6.18.btf.gz"] {
            let btf = try BTFFile(bytes: try BTFInput.readMaybeCompressed(Repo.testdata("kernel/" + k)))
            let dumper = RustDumper(btf)
            var out = TextOutput()
            dumper.dump(into: &out)
            let asserts = dumper.layoutAssertions(names: dumper.names())
            XCTAssertGreaterThan(asserts.split(separator: "\n").count, 10000, k)
            let (status, err) = try compile(out.string + "\n" + asserts, name: "kernel", dir: dir, rustc: rustc)
            XCTAssertEqual(status, 0, "\(k): \(err.prefix(3000))")
            XCTAssertFalse(err.contains("warning"), "\(k): rustc warned: \(err.prefix(3000))")
        }
    }

    /// `--type task_struct`: the subset with everything it needs compiles on its own.
    func testSubsetCompiles() throws {
        let rustc = try ExternalTool.require("rustc", package: "rustc")
        let dir = NSTemporaryDirectory() + "btfkit-rs-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let btf = try BTFFile(bytes: try BTFInput.readMaybeCompressed(Repo.testdata("kernel/vmlinux-6.18.btf.gz")))
        let roots = btf.typeIDs(named: "task_struct")
        XCTAssertFalse(roots.isEmpty)
        var out = TextOutput()
        RustDumper(btf).dump(into: &out, roots: roots)
        XCTAssertTrue(out.string.contains("pub struct task_struct {"))
        let (status, err) = try compile(out.string, name: "task", dir: dir, rustc: rustc)
        XCTAssertEqual(status, 0, err.prefix(3000).description)
    }
}

extension RustDumperTests {
    /// A fuzzer input (split over a two-type base, as the print harness loads it) whose structs'
    /// members refer back to their struct: the alignment walk fanned out over every member at each
    /// of 32 levels and never finished. It now prints at once.
    func testSelfReferentialMembersStayLinear() throws {
        var b = BTFBuilder()
        let int = b.add(.int(BTFInt(name: b.string("int"), size: 4, encoding: .signed, bits: 32)))
        b.add(.pointer(BTFReference(type: int)))
        let base = try BTFFile(bytes: b.build())
        let btf = try BTFFile(bytes: try BTFInput.readFile(Repo.testdata("fuzz/printer-rust-align-fanout.btf")), base: base)
        let start = Date()
        var out = TextOutput()
        RustDumper(btf).dump(into: &out)
        XCTAssertLessThan(Date().timeIntervalSince(start), 5)
        XCTAssertLessThan(out.bytes.count, 1 << 20)
    }
}
