import XCTest
import Foundation
@testable import btfkit
import BTFEncoder
import TestSupport

/// btfkit as `pahole` (docs/pahole-front-end.md): the command line kernels pass, judged against
/// pahole 1.31's output for the committed fixtures, and a reenactment of what kbuild does with it.
final class PaholeFrontEndTests: XCTestCase {
    static let kernel612 = "encode_force,var,float,enum64,decl_tag,type_tag,optimized_func,consistent_func,decl_tag_kfuncs"
    var dir = ""
    var pahole = ""

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "btfkit-pahole-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        pahole = dir + "/pahole"
        try FileManager.default.createSymbolicLink(atPath: pahole, withDestinationPath: BTFKitCLI().binary)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

    func run(_ args: [String], env: [String: String] = [:]) throws -> (status: Int32, out: String, err: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: pahole)
        p.arguments = args
        var e = ProcessInfo.processInfo.environment
        for (k, v) in env { e[k] = v }
        p.environment = e
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), r = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: r, as: UTF8.self))
    }

    func copy(_ relative: String, _ name: String) throws -> String {
        let path = dir + "/" + name
        try FileManager.default.copyItem(atPath: Repo.testdata(relative), toPath: path)
        return path
    }

    func rawDump(_ path: String, base: String? = nil) throws -> String {
        var args = ["dump", path]
        if let base { args += ["--base", base] }
        let r = try BTFKitCLI().run(args)
        XCTAssertEqual(r.status, 0, r.err)
        return r.out
    }

    func reference(_ relative: String) throws -> String {
        try String(contentsOfFile: Repo.testdata(relative), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("#") }.joined(separator: "\n")
    }

    // MARK: parsing

    func testCommandLineParsing() throws {
        let c = try PaholeCommandLine.parse(["-J", "-j", "--btf_features=" + PaholeFrontEndTests.kernel612, "--lang_exclude=rust",
                                             "--btf_base", "vmlinux", "--btf_encode_detached=out.btf", "x.ko"])
        XCTAssertTrue(c.encode && c.jobsGiven)
        XCTAssertNil(c.jobs)
        XCTAssertEqual(c.base, "vmlinux")
        XCTAssertEqual(c.detached, "out.btf")
        XCTAssertEqual(c.languageExclude, ["rust"])
        XCTAssertEqual(c.files, ["x.ko"])
        XCTAssertEqual(try c.features().set, BTFFeatureSet.paholeDefault)
        XCTAssertEqual(try PaholeCommandLine.parse(["-Jj4", "f"]).jobs, 4)
        XCTAssertEqual(try PaholeCommandLine.parse(["--jobs=3", "-J", "f"]).jobs, 3)
        // Defaults without a list: var, decl_tag, type_tag, enum64 (and 1.31's function table).
        XCTAssertEqual(try PaholeCommandLine.parse(["-J", "f"]).features().set, BTFFeatureSet([.variables, .declTag, .typeTag, .enum64, .optimizedFunc]))
        // Old switches, in order with lists: a later list resets what came before.
        let old = try PaholeCommandLine.parse(["-J", "--btf_gen_floats", "--skip_encoding_btf_vars", "f"]).features().set
        XCTAssertTrue(old.contains(.float) && !old.contains(.variables))
        let reset = try PaholeCommandLine.parse(["-J", "--btf_gen_floats", "--btf_features=var", "f"]).features().set
        XCTAssertFalse(reset.contains(.float))
        XCTAssertTrue(try PaholeCommandLine.parse(["-J", "--btf_features=var", "--btf_gen_floats", "f"]).features().set.contains(.float))
        XCTAssertEqual(try PaholeCommandLine.parse(["-J", "--btf_gen_all", "f"]).features().set, BTFFeatureSet([.optimizedFunc]))
        XCTAssertEqual(try PaholeCommandLine.parse(["-J", "--btf_features=float", "--btf_features=var", "f"]).features().set,
                       BTFFeatureSet([.float, .variables, .optimizedFunc]), "lists add up")
        XCTAssertThrowsError(try PaholeCommandLine.parse(["-J", "--btf_features_strict=float,bogus", "f"]).features())
        for bad in [["--bogus", "f"], ["-C", "f"], ["-J", "--btf_base"], ["-jx", "f"], ["--btf_gen_floats=1"]] {
            XCTAssertThrowsError(try PaholeCommandLine.parse(bad), "\(bad)")
        }
    }

    // MARK: the binary as pahole

    func testVersionFeaturesAndUsageErrors() throws {
        XCTAssertEqual(try run(["--version"]).out, "v1.31\n")
        let supported = try run(["--supported_btf_features"]).out
        XCTAssertTrue(supported.hasPrefix("encode_force,var,float,decl_tag,type_tag,enum64,optimized_func,consistent_func,decl_tag_kfuncs"), supported)
        let bad = try run(["-J", "--bogus", "x.o"])
        XCTAssertEqual(bad.status, 64)
        XCTAssertEqual(bad.err.split(separator: "\n").count, 1)
        XCTAssertTrue(bad.err.contains("--bogus"), bad.err)
        XCTAssertEqual(try run(["x.o"]).status, 64, "without -J there is nothing to do")
        // btfkit pahole … is the same front end.
        XCTAssertEqual(try BTFKitCLI().run(["pahole", "--version"]).out, "v1.31\n")
    }

    /// `pahole -J FILE` replaces .BTF in place (ET_EXEC and ET_REL), keeping the mode; the BTF
    /// equals pahole 1.31's for the same flags; a second run gives the same bytes.
    func testInPlaceEqualsPahole131() throws {
        for (object, ref) in [("encoder/rules/rules-gcc", "encoder/rules/rules-gcc.default.pahole-1.31.txt"),
                              ("encoder/rules/rules-gcc-rel.o", "encoder/rules/rules-gcc-rel.o.default.pahole-1.31.txt")] {
            let f = try copy(object, "obj")
            XCTAssertEqual(chmod(f, 0o755), 0)
            let r = try run(["-J", "-j", "--btf_features=" + PaholeFrontEndTests.kernel612, "--lang_exclude=rust", f])
            XCTAssertEqual(r.status, 0, r.err)
            XCTAssertEqual(try rawDump(f), try reference(ref), object)
            let once = try Data(contentsOf: URL(fileURLWithPath: f))
            XCTAssertEqual(try run(["-J", "--btf_features=" + PaholeFrontEndTests.kernel612, f]).status, 0)
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: f)), once, "\(object): not idempotent")
            var st = stat()
            XCTAssertEqual(stat(f, &st), 0)
            XCTAssertEqual(st.st_mode & 0o777, 0o755)
            try FileManager.default.removeItem(atPath: f)
        }
    }

    /// What link-vmlinux.sh and Makefile.modfinal do: `pahole -J` on the image, a detached copy,
    /// then a module with `--btf_base` the image; the module's BTF is split over the image's.
    func testKbuildReenactment() throws {
        let image = try copy("encoder/rules/rules-gcc", "tmp_vmlinux1")
        let flags = ["-J", "-j", "--btf_features=" + PaholeFrontEndTests.kernel612, "--lang_exclude=rust"]
        XCTAssertEqual(try run(flags + [image]).status, 0)
        let detached = dir + "/vmlinux.btf"
        XCTAssertEqual(try run(flags + ["--btf_encode_detached=" + detached, image]).status, 0)
        XCTAssertEqual(try rawDump(detached), try rawDump(image))
        let module = try copy("encoder/kfuncs-gcc.o", "mod.ko")
        let r = try run(["-J", "--btf_features=" + PaholeFrontEndTests.kernel612, "--btf_base", image, module])
        XCTAssertEqual(r.status, 0, r.err)
        let split = try rawDump(module, base: image)
        XCTAssertTrue(split.contains("DECL_TAG 'bpf_kfunc'"), split)
        let check = try BTFKitCLI().run(["check", module, "--base", image])
        XCTAssertEqual(check.status, 0, check.out + check.err)
        // A file without DWARF: left alone, success (pahole 1.31).
        let plain = try copy("elf/exec64le", "nodwarf")
        let before = try Data(contentsOf: URL(fileURLWithPath: plain))
        XCTAssertEqual(try run(["-J", plain]).status, 0)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: plain)), before)
        // A failure (not ELF) leaves the file as it was and fails the build.
        let junk = dir + "/junk"
        try Data("not an object".utf8).write(to: URL(fileURLWithPath: junk))
        let failed = try run(["-J", junk])
        XCTAssertEqual(failed.status, 1)
        XCTAssertEqual(try String(contentsOfFile: junk, encoding: .utf8), "not an object")
        // DWARF that fails to encode, found after the new file was started (its kept bytes are
        // copied while the encoder runs): the file stays as it was, and no temporary is left.
        let broken = try copy("encoder/rules/rules-gcc", "broken")
        var bytes = try Data(contentsOf: URL(fileURLWithPath: broken))
        let abbrev = try XCTUnwrap(PaholeFrontEndTests.section(".debug_abbrev", in: bytes))
        bytes.replaceSubrange(abbrev, with: Data(repeating: 0xff, count: abbrev.count))
        try bytes.write(to: URL(fileURLWithPath: broken))
        let brokenRun = try run(["-J", "-j", "--btf_features=" + PaholeFrontEndTests.kernel612, broken])
        XCTAssertEqual(brokenRun.status, 1, brokenRun.err)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: broken)), bytes)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasPrefix(".btfkit-") }
        XCTAssertEqual(leftovers, [])
    }

    /// The byte range of a section of a little-endian ELF64 file, read from its headers.
    static func section(_ name: String, in d: Data) -> Range<Int>? {
        let b = [UInt8](d)
        func u(_ at: Int, _ n: Int) -> Int { (0..<n).reduce(0) { $0 | Int(b[at + $1]) << (8 * $1) } }
        let shoff = u(0x28, 8), shentsize = u(0x3a, 2), shnum = u(0x3c, 2), shstrndx = u(0x3e, 2)
        let names = u(shoff + shstrndx * shentsize + 0x18, 8)
        for i in 0..<shnum {
            let h = shoff + i * shentsize
            let n = names + u(h, 4)
            let text = String(decoding: b[n..<(b[n...].firstIndex(of: 0) ?? n)], as: UTF8.self)
            if text == name { return u(h + 0x18, 8)..<(u(h + 0x18, 8) + u(h + 0x20, 8)) }
        }
        return nil
    }

    /// --lang_exclude=rust (and PAHOLE_LANG_EXCLUDE) leave Rust units out; BTFKIT_RUST=1 keeps them.
    func testRustExclusionAndOptIn() throws {
        let obj = try copy("dwarf/rust-dwarf5.o", "rust.o")
        let out = dir + "/r.btf"
        XCTAssertEqual(try run(["-J", "--lang_exclude=rust", "--btf_encode_detached=" + out, obj]).status, 0)
        let excluded = try rawDump(out)
        XCTAssertEqual(try run(["-J", "--btf_encode_detached=" + out, obj], env: ["PAHOLE_LANG_EXCLUDE": "rust"]).status, 0)
        XCTAssertEqual(try rawDump(out), excluded)
        XCTAssertEqual(try run(["-J", "--lang_exclude=rust", "--btf_encode_detached=" + out, obj], env: ["BTFKIT_RUST": "1"]).status, 0)
        let kept = try rawDump(out)
        XCTAssertGreaterThan(kept.split(separator: "\n").count, excluded.split(separator: "\n").count + 5)
    }
}
