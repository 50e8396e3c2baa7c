import XCTest
import Foundation
import BTF
import BTFFormat

/// Compiles the BPF fixture with the local clang (not the committed object), then checks that
/// the fresh .BTF/.BTF.ext round-trip and print exactly as bpftool prints them.
final class FreshCompileTests: XCTestCase {
    func testFreshClangBPFObject() throws {
        let clang = try ExternalTool.require("clang", package: "clang")
        let bpftool = try ExternalTool.require("bpftool", package: "bpftool")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("btfkit-fresh-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for target in ["bpfel", "bpfeb"] {
            let obj = dir.appendingPathComponent("demo.\(target).o").path
            _ = try ExternalTool.run(clang, ["-target", target, "-g", "-O2", "-c", FormatFixtures.path("bpf/core_demo.bpf.c"), "-o", obj])
            let raw = try BTFInput.readFile(obj)
            let btfBytes = try BTFInput.section(".BTF", of: raw, path: obj)
            let btf = try BTFFile(bytes: btfBytes)
            XCTAssertEqual(try btf.serialized(), btfBytes, "\(target): .BTF round trip")
            let ext = try BTFInput.section(".BTF.ext", of: raw, path: obj)
            XCTAssertEqual(try BTFExt(bytes: ext).serialized(), ext, "\(target): .BTF.ext round trip")
            var out = TextOutput()
            RawDumper(btf).dump(into: &out)
            let theirs = try ExternalTool.run(bpftool, ["btf", "dump", "file", obj])
            XCTAssertEqual(out.string, String(decoding: theirs, as: UTF8.self), "\(target): dump differs from bpftool")
        }
    }
}
