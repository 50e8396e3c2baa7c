import XCTest
import Foundation
import TestSupport

/// What btfkit does to files: never overwrites an input unless told to (`--in-place`), keeps a
/// replaced file's mode, owner and symlink, gives the same bytes for the same embed, leaves no
/// temporary file behind on a signal, and names the file in every error.
final class OutputSafetyTests: XCTestCase {
    let cli = BTFKitCLI()
    var dir = ""

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "btfkit-out-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

    func copyFixture(_ relative: String, as name: String) throws -> String {
        let path = dir + "/" + name
        try FileManager.default.copyItem(atPath: Repo.testdata(relative), toPath: path)
        return path
    }

    func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    /// `-o` naming an input, directly, through a symlink or a hard link: refused with 64, the
    /// input untouched, in every command that writes.
    func testOutputNamingAnInputIsRefused() throws {
        let obj = try copyFixture("encoder/sections-gcc.o", as: "obj.o")
        let bpf = try copyFixture("bpf/core_demo.bpfel.o", as: "prog.o")
        let target = Repo.testdata("kernel/vmlinux-6.18.btf.gz")
        try FileManager.default.createSymbolicLink(atPath: dir + "/link.o", withDestinationPath: obj)
        XCTAssertEqual(link(obj, dir + "/hard.o"), 0)
        try FileManager.default.createSymbolicLink(atPath: dir + "/proglink.o", withDestinationPath: bpf)
        let before = try bytes(obj), beforeBPF = try bytes(bpf)
        let cases: [[String]] = [
            ["encode", obj, "-o", obj], ["encode", obj, "-o", dir + "/link.o"], ["encode", obj, "-o", dir + "/hard.o"],
            ["encode", obj, "--embed", "-o", obj], ["dump", obj, "-o", obj], ["dump", obj, "--format", "c", "-o", dir + "/hard.o"],
            ["dedup", obj, "-o", dir + "/link.o"], ["core", bpf, "--target", target, "-o", dir + "/proglink.o"],
            ["minimize", bpf, "--target", target, "-o", bpf],
        ]
        for args in cases {
            let r = try cli.run(args)
            XCTAssertEqual(r.status, 64, "\(args): \(r.err)")
            XCTAssertTrue(r.err.contains("refusing to overwrite the input"), "\(args): \(r.err)")
        }
        XCTAssertEqual(try bytes(obj), before)
        XCTAssertEqual(try bytes(bpf), beforeBPF)
        var st = stat()
        XCTAssertEqual(lstat(dir + "/link.o", &st), 0)
        XCTAssertEqual(st.st_mode & S_IFMT, S_IFLNK, "the symlink is still a symlink")
    }

    /// `--embed --in-place`: the mode (0750) stays, a symlink stays a symlink and its target gets
    /// the new bytes, and embedding the same BTF again gives the same bytes.
    func testInPlaceKeepsModeLinkAndBytes() throws {
        let obj = try copyFixture("encoder/sections-gcc.o", as: "obj.o")
        XCTAssertEqual(chmod(obj, 0o750), 0)
        try FileManager.default.createSymbolicLink(atPath: dir + "/link.o", withDestinationPath: obj)
        var sizes: [Int] = [], digests: [Data] = []
        for _ in 0..<3 {
            let r = try cli.run(["encode", dir + "/link.o", "--embed", "--in-place"])
            XCTAssertEqual(r.status, 0, r.err)
            let b = try bytes(obj)
            sizes.append(b.count)
            digests.append(b)
        }
        XCTAssertEqual(Set(sizes).count, 1, "the file grew: \(sizes)")
        XCTAssertEqual(digests[0], digests[1])
        XCTAssertEqual(digests[1], digests[2])
        var st = stat()
        XCTAssertEqual(stat(obj, &st), 0)
        XCTAssertEqual(st.st_mode & 0o7777, 0o750, "mode kept")
        XCTAssertEqual(lstat(dir + "/link.o", &st), 0)
        XCTAssertEqual(st.st_mode & S_IFMT, S_IFLNK, "the symlink is still a symlink")
        let dump = try cli.run(["dump", obj])
        XCTAssertTrue(dump.out.contains("DATASEC '.bss'") || dump.out.contains("FUNC 'use'"), dump.out)
        // Still an object the linker takes.
        if let ld = ExternalTool.find("ld") {
            let r = try ExternalTool.capture(ld, ["-r", obj, "-o", dir + "/linked.o"])
            XCTAssertEqual(r.status, 0, String(decoding: r.err, as: UTF8.self))
        }
    }

    /// The same for a linked executable (ET_EXEC), compiled fresh when gcc is present.
    func testInPlaceOnAnExecutable() throws {
        guard let gcc = ExternalTool.find("gcc") else { throw XCTSkip("gcc not installed: ET_EXEC in-place test skipped") }
        let exe = dir + "/prog"
        try "int use(void); int main(void) { return use() == 0; }\n".write(toFile: dir + "/main.c", atomically: true, encoding: .utf8)
        let build = try ExternalTool.capture(gcc, ["-g", "-O1", "-no-pie", Repo.testdata("encoder/sections.c"), dir + "/main.c", "-o", exe])
        XCTAssertEqual(build.status, 0, String(decoding: build.err, as: UTF8.self))
        let first = try cli.run(["encode", exe, "--embed", "--in-place"])
        XCTAssertEqual(first.status, 0, first.err)
        let once = try bytes(exe)
        let second = try cli.run(["encode", exe, "--embed", "--in-place"])
        XCTAssertEqual(second.status, 0, second.err)
        XCTAssertEqual(try bytes(exe), once, "re-embedding changed the bytes")
        var st = stat()
        XCTAssertEqual(stat(exe, &st), 0)
        XCTAssertNotEqual(st.st_mode & 0o111, 0, "still executable")
        let run = try ExternalTool.capture(exe, [])
        XCTAssertEqual(run.status, 0, "the program still runs")
    }

    /// SIGINT while `dump -o` writes: no `.btfkit-*` temporary file is left, and the output is
    /// either absent or complete.
    func testInterruptedWriteLeavesNoTemporaryFile() throws {
        let input = Repo.testdata("kernel/vmlinux-6.18.btf.gz")
        let out = dir + "/types.json"
        var interruptedWhileWriting = 0
        for _ in 0..<6 {
            unlink(out)
            let p = Process()
            p.executableURL = URL(fileURLWithPath: cli.binary)
            p.arguments = ["dump", "--format", "json", input, "-o", out]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            // Wait for the temporary file to appear, then interrupt.
            let deadline = Date().addingTimeInterval(60)
            var sawTemporary = false
            while p.isRunning && Date() < deadline {
                if let names = try? FileManager.default.contentsOfDirectory(atPath: dir), names.contains(where: { $0.hasPrefix(".btfkit-") }) {
                    kill(p.processIdentifier, SIGINT)
                    sawTemporary = true
                    break
                }
            }
            p.waitUntilExit()
            if sawTemporary && p.terminationReason == .uncaughtSignal { interruptedWhileWriting += 1 }
            let left = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasPrefix(".btfkit-") }
            XCTAssertEqual(left, [], "temporary files left behind")
            if FileManager.default.fileExists(atPath: out) {
                XCTAssertNoThrow(try JSONSerialization.jsonObject(with: try bytes(out)), "a partial output")
            }
        }
        if interruptedWhileWriting == 0 { print("OutputSafetyTests: the write was never caught in progress; cleanup checked after normal exits only") }
    }

    /// Errors name the file; a directory says so; split BTF without a base suggests --base.
    func testErrorsNameTheFile() throws {
        let missing = try cli.run(["encode", dir + "/nonexistent.o"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertEqual(missing.err, "btfkit: error: \(dir)/nonexistent.o: cannot open: No such file or directory\n")
        let truncated = dir + "/truncated.o"
        try bytes(Repo.testdata("encoder/sections-gcc.o")).prefix(100).write(to: URL(fileURLWithPath: truncated))
        for command in ["encode", "dump", "dwarf", "info", "core"] {
            let r = try cli.run([command, truncated])
            XCTAssertEqual(r.status, 1, command)
            XCTAssertTrue(r.err.contains(truncated), "\(command): \(r.err)")
            let d = try cli.run([command, dir])
            XCTAssertEqual(d.status, 1, command)
            XCTAssertEqual(d.err, "btfkit: error: \(dir): is a directory\n", command)
        }
        let split = try cli.run(["dump", Repo.testdata("kernel/virtio_net-6.1.btf")])
        XCTAssertEqual(split.status, 1)
        XCTAssertTrue(split.err.contains("--base"), split.err)
    }

    /// `--version`, and usage errors exit 64 (README "Exit status").
    func testVersionAndUsageStatus() throws {
        let v = try cli.run(["--version"])
        XCTAssertEqual(v.status, 0)
        XCTAssertTrue(v.out.hasPrefix("btfkit "), v.out)
        for args in [["dump"], ["dump", "--bogus", "x"], ["encode", "x.o", "--in-place"], ["encode", "x.o", "--embed"],
                     ["encode", "x.o", "--btf-features-strict", "nonsense"], ["encode"]] {
            XCTAssertEqual(try cli.run(args).status, 64, "\(args)")
        }
        XCTAssertEqual(try cli.run(["diff", dir + "/none-a", dir + "/none-b"]).status, 2, "diff: unreadable input")
    }

    /// `diff` spells linkage by name and member offsets in bits (the two bundled kernels).
    func testDiffWordsLinkageAndBits() throws {
        let d = try cli.run(["diff", Repo.testdata("kernel/vmlinux-6.1.btf.gz"), Repo.testdata("kernel/vmlinux-6.18.btf.gz")])
        XCTAssertEqual(d.status, 1)
        XCTAssertTrue(d.out.contains(" linkage static\n"), String(d.out.prefix(2000)))
        XCTAssertTrue(d.out.contains("+ member owner: int at bit 1696\n"), String(d.out.prefix(2000)))
        XCTAssertFalse(d.out.contains(" linkage 0") || d.out.contains(" linkage 1") || d.out.contains(" @"), "numbers left")
    }
}
