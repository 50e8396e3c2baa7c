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

    func header(_ name: String, bpftoolCompatible: Bool = false) throws -> (btf: BTFFile, text: String, names: [TypeID: String]) {
        let btf = try BTFFile(bytes: try BTFInput.readMaybeCompressed(Repo.testdata("kernel/" + name)))
        var out = TextOutput()
        var dumper = CDumper(btf)
        dumper.bpftoolCompatible = bpftoolCompatible
        let names = dumper.dumpReturningNames(into: &out)
        return (btf, out.string, names)
    }

    /// With `bpftoolCompatible`, identical to bpftool 7.1, line for line.
    func testBpftoolCompatibleIsIdenticalToBpftool() throws {
        let bpftool = try ExternalTool.require("bpftool", package: "bpftool")
        let dir = try temporaryDirectory()
        for k in CDumperTests.kernels {
            let (_, ours, _) = try header(k, bpftoolCompatible: true)
            let theirs = try bpftoolHeader(bpftool, k, dir: dir)
            let a = theirs.split(separator: "\n", omittingEmptySubsequences: false)
            let b = ours.split(separator: "\n", omittingEmptySubsequences: false)
            XCTAssertEqual(a.count, b.count, k)
            var differences = 0
            for (x, y) in zip(a, b) where x != y {
                differences += 1
                if differences < 5 { XCTFail("\(k): bpftool '\(x)' vs ours '\(y)'") }
            }
            XCTAssertEqual(differences, 0, k)
        }
    }

    /// By default the header differs from bpftool's only where bpftool's is wrong, each
    /// documented: 1-byte enums get `mode(byte)` (else 4 bytes); `va_list` is the BTF's
    /// `struct __va_list_tag[1]` (24 bytes) instead of the compiler's builtin (8 under
    /// `-target bpf`); C23's keywords: `typedef _Bool bool` and `false`/`true` inside a
    /// before-C23 guard, a member named `bool` renamed `bool_`.
    func testDefaultDiffersFromBpftoolOnlyWhereDocumented() throws {
        let bpftool = try ExternalTool.require("bpftool", package: "bpftool")
        let dir = try temporaryDirectory()
        for k in CDumperTests.kernels {
            let (_, ours, _) = try header(k)
            let theirs = try bpftoolHeader(bpftool, k, dir: dir)
            try theirs.write(toFile: dir + "/theirs.h", atomically: true, encoding: .utf8)
            try ours.write(toFile: dir + "/ours.h", atomically: true, encoding: .utf8)
            let diff = try ExternalTool.capture("/usr/bin/diff", [dir + "/theirs.h", dir + "/ours.h"])
            var unexplained: [String] = []
            for line in String(decoding: diff.out, as: UTF8.self).split(separator: "\n") {
                guard line.hasPrefix("<") || line.hasPrefix(">") else { continue }
                let text = line.dropFirst(2)
                let explained = text == "};" || text == "} __attribute__((mode(byte)));"
                    || text == "#if !defined(__STDC_VERSION__) || __STDC_VERSION__ < 202311L" || text == "#endif"
                    || text == "typedef __builtin_va_list va_list;" || text == "typedef struct __va_list_tag __builtin_va_list_[1];"
                    || text == "typedef __builtin_va_list_ va_list;" || text == "" || text == "\tu32 bool;" || text == "\tu32 bool_;"
                if !explained { unexplained.append(String(line)) }
            }
            XCTAssertEqual(unexplained, [], k)
            XCTAssertTrue(ours.contains("typedef struct __va_list_tag __builtin_va_list_[1];"), k)
        }
    }

    func bpftoolHeader(_ bpftool: String, _ k: String, dir: String) throws -> String {
        let raw = dir + "/k.btf"
        try Data(try BTFInput.readMaybeCompressed(Repo.testdata("kernel/" + k))).write(to: URL(fileURLWithPath: raw))
        return String(decoding: try ExternalTool.run(bpftool, ["btf", "dump", "file", raw, "format", "c"]), as: UTF8.self)
    }

    /// clang -target bpf, clang for the host and gcc compile the header with a _Static_assert
    /// for the size of every named struct/union and the offset of every named non-bitfield
    /// member: the layout is the BTF's on the BPF target too (va_list, for one).
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
            XCTAssertTrue(asserts.contains("__builtin_offsetof(struct warn_args, args) == 8"), k)
            try asserts.write(toFile: c, atomically: true, encoding: .utf8)
            let (failures, compilers) = try CHeaderCompilers.check(c)
            for (compiler, err) in failures { XCTFail("\(compiler) on \(k): \(err)") }
            ran += compilers
        }
        if ran == 0 { throw XCTSkip("neither clang nor gcc installed (apt-get install clang gcc)") }
    }

    /// bpftool's header has the wrong layout for -target bpf: the check above has teeth.
    func testBpftoolCompatibleHeaderHasWrongBPFLayout() throws {
        guard let clang = ExternalTool.find("clang") else { throw XCTSkip("clang not installed (apt-get install clang)") }
        let dir = try temporaryDirectory()
        let (btf, text, names) = try header("vmlinux-6.18.btf.gz", bpftoolCompatible: true)
        try text.write(toFile: dir + "/vmlinux.h", atomically: true, encoding: .utf8)
        var dumper = CDumper(btf)
        dumper.bpftoolCompatible = true
        let warnArgs = dumper.layoutAssertions(names: names).split(separator: "\n").filter { $0.contains("warn_args") }
        XCTAssertEqual(warnArgs.count, 3)
        let asserts = "#include \"vmlinux.h\"\n" + warnArgs.joined(separator: "\n") + "\n"
        try asserts.write(toFile: dir + "/layout.c", atomically: true, encoding: .utf8)
        let r = try ExternalTool.capture(clang, ["-target", "bpf", "-fsyntax-only", dir + "/layout.c"])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(String(decoding: r.err, as: UTF8.self).contains("warn_args"))
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
