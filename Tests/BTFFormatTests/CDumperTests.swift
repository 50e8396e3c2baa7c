import XCTest
import Foundation
import BTF
import BTFFormat
import TestSupport

/// The C header printer judged by bpftool 7.1 (same text), clang and gcc (it compiles), and the
/// compilers' own layout (sizeof/offsetof of every member of every named struct and union equal
/// what BTF says).
final class CDumperTests: XCTestCase {
    static let kernels = ["vmlinux-6.1.btf.gz", "vmlinux-6.18.btf.gz"]

    func header(_ name: String) throws -> (btf: BTFFile, text: String, names: [TypeID: String]) {
        let btf = try BTFFile(bytes: try BTFInput.readMaybeCompressed(Repo.testdata("kernel/" + name)))
        var out = TextOutput()
        let names = CDumper(btf).dumpReturningNames(into: &out)
        return (btf, out.string, names)
    }

    /// Identical to bpftool 7.1 except the documented difference: we add
    /// `__attribute__((mode(byte)))` to 1-byte enums (libbpf ≥ 1.2 does too; without it a C
    /// compiler makes the enum 4 bytes and every struct holding one gets the wrong layout).
    func testSameAsBpftool() throws {
        let bpftool = try ExternalTool.require("bpftool", package: "bpftool")
        let dir = try temporaryDirectory()
        for k in CDumperTests.kernels {
            let (_, ours, _) = try header(k)
            let raw = dir + "/k.btf"
            try Data(try BTFInput.readMaybeCompressed(Repo.testdata("kernel/" + k))).write(to: URL(fileURLWithPath: raw))
            let theirs = String(decoding: try ExternalTool.run(bpftool, ["btf", "dump", "file", raw, "format", "c"]), as: UTF8.self)
            let a = theirs.split(separator: "\n", omittingEmptySubsequences: false)
            let b = ours.split(separator: "\n", omittingEmptySubsequences: false)
            XCTAssertEqual(a.count, b.count, k)
            var differences = 0
            for (x, y) in zip(a, b) where x != y {
                if x == "};" && y == "} __attribute__((mode(byte)));" { continue }
                differences += 1
                if differences < 5 { XCTFail("\(k): bpftool '\(x)' vs ours '\(y)'") }
            }
            XCTAssertEqual(differences, 0, k)
        }
    }

    /// clang (-target bpf, and for the host) and gcc compile the header; on the host, with a
    /// _Static_assert for the size of every named struct/union and the offset of every named
    /// non-bitfield member.
    func testHeaderCompilesAndLayoutMatchesBTF() throws {
        let dir = try temporaryDirectory()
        var ran = 0
        for k in CDumperTests.kernels {
            let (btf, text, names) = try header(k)
            let h = dir + "/vmlinux.h", c = dir + "/layout.c"
            try text.write(toFile: h, atomically: true, encoding: .utf8)
            let asserts = "#include \"vmlinux.h\"\n" + CDumper(btf).layoutAssertions(names: names)
            let count = asserts.split(separator: "\n").count
            XCTAssertGreaterThan(count, 10000, k)
            try asserts.write(toFile: c, atomically: true, encoding: .utf8)
            // The layout checks run for the kernel's own ABI (x86-64, the host); for the BPF target
            // the header must compile (va_list, for one, has another size there).
            let onlyHeader = dir + "/only.c"
            try "#include \"vmlinux.h\"\n".write(toFile: onlyHeader, atomically: true, encoding: .utf8)
            for (cc, args) in [("clang", ["-target", "bpf", "-fsyntax-only", onlyHeader]), ("clang", ["-fsyntax-only", c]),
                               ("gcc", ["-fsyntax-only", c])] {
                guard let compiler = ExternalTool.find(cc) else { print("CDumperTests: \(cc) not installed; skipped"); continue }
                let r = try ExternalTool.capture(compiler, args)
                let err = String(decoding: r.err, as: UTF8.self)
                XCTAssertEqual(r.status, 0, "\(cc) on \(k): \(err.prefix(2000))")
                ran += 1
            }
        }
        if ran == 0 { throw XCTSkip("neither clang nor gcc installed (apt-get install clang gcc)") }
    }

    /// `--type task_struct`: the subset (definitions it embeds, forward declarations for what
    /// it points to) compiles on its own.
    func testSubsetCompiles() throws {
        guard let clang = ExternalTool.find("clang") else { throw XCTSkip("clang not installed (apt-get install clang)") }
        let dir = try temporaryDirectory()
        let btf = try BTFFile(bytes: try BTFInput.readMaybeCompressed(Repo.testdata("kernel/vmlinux-6.18.btf.gz")))
        var out = TextOutput()
        CDumper(btf).dump(into: &out, roots: btf.typeIDs(named: "task_struct"))
        XCTAssertTrue(out.string.contains("struct task_struct {"))
        XCTAssertLessThan(out.string.count, 200_000)
        try out.string.write(toFile: dir + "/ts.h", atomically: true, encoding: .utf8)
        let r = try ExternalTool.capture(clang, ["-target", "bpf", "-fsyntax-only", "-x", "c", dir + "/ts.h"])
        XCTAssertEqual(r.status, 0, String(decoding: r.err, as: UTF8.self))
    }

    /// Inputs the fuzzer found: a pointer cycle that overflowed the stack, and a struct of 4 GB
    /// whose padding printed 2 GB. Both now print a small header.
    func testMalformedInputsStayBounded() throws {
        for f in ["printer-pointer-cycle.btf", "printer-huge-padding.btf"] {
            let btf = try BTFFile(bytes: try BTFInput.readFile(Repo.testdata("fuzz/" + f)))
            var c = TextOutput()
            CDumper(btf).dump(into: &c)
            XCTAssertLessThan(c.bytes.count, 1 << 20, f)
            var rs = TextOutput()
            RustDumper(btf).dump(into: &rs)
            XCTAssertLessThan(rs.bytes.count, 1 << 20, f)
        }
    }

    func temporaryDirectory() throws -> String {
        let dir = NSTemporaryDirectory() + "btfkit-c-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        return dir
    }
}
