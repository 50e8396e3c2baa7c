import XCTest
import Foundation
import TestSupport

/// Runs the built `btfkit` binary the way users do: exit codes, messages, atomic output.
final class CLITests: XCTestCase {
    static let root = Repo.root

    let cli = BTFKitCLI()
    var binary: String { cli.binary }
    typealias Result = BTFKitCLI.Result
    func run(_ args: [String]) throws -> Result { try cli.run(args) }

    func tmp(_ name: String) -> String { FileManager.default.temporaryDirectory.path + "/btfkit-cli-\(getpid())-" + name }

    func testDumpMatchesGoldenAndJSONParses() throws {
        let r = try run(["dump", CLITests.root + "/testdata/bpf/core_demo.bpfel.o"])
        XCTAssertEqual(r.status, 0)
        XCTAssertEqual(r.out, try String(contentsOfFile: CLITests.root + "/testdata/bpf/core_demo.bpfel.bpftool.txt", encoding: .utf8))
        let j = try run(["dump", "--format", "json", CLITests.root + "/testdata/bpf/core_demo.bpfeb.o"])
        XCTAssertEqual(j.status, 0)
        XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(j.out.utf8)))
        let one = try run(["dump", "--id", "17", CLITests.root + "/testdata/bpf/core_demo.bpfel.o"])
        XCTAssertEqual(one.out, "[17] FLOAT 'double' size=8\n")
        let split = try run(["dump", CLITests.root + "/testdata/kernel/virtio_net-6.1.btf", "--base", CLITests.root + "/testdata/kernel/vmlinux-6.1.btf.gz"])
        XCTAssertEqual(split.status, 0)
        XCTAssertTrue(split.out.hasPrefix("[94976] "))
    }

    func testBadInputExitsOneWithLocation() throws {
        let garbage = tmp("garbage")
        try Data([0x9f, 0xeb, 1, 0, 24, 0, 0, 0, 0, 0, 0, 0, 99, 0, 0, 0]).write(to: URL(fileURLWithPath: garbage))
        defer { unlink(garbage) }
        for args in [["dump", garbage], ["info", garbage]] {
            let r = try run(args)
            XCTAssertEqual(r.status, 1, "\(args)")
            XCTAssertTrue(r.err.contains("btfkit: error:") && r.err.contains("offset"), "\(args): \(r.err)")
        }
        let check = try run(["check", garbage])
        XCTAssertEqual(check.status, 1)
        XCTAssertTrue(check.out.hasPrefix("REJECT") && check.out.contains("offset"), check.out)
        let missing = try run(["dump", "/nonexistent/file.btf"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.err.contains("cannot open"))
        let badID = try run(["dump", "--id", "9999", CLITests.root + "/testdata/bpf/core_demo.bpfel.o"])
        XCTAssertEqual(badID.status, 1)
        XCTAssertTrue(badID.err.contains("9999"))
        let notBTF = try run(["dump", CLITests.root + "/Package.swift"])
        XCTAssertEqual(notBTF.status, 1)
        XCTAssertTrue(notBTF.err.contains("magic"))
    }

    func testCheckReportsKernelWordingWithTypeAndOffset() throws {
        // clang leaves DATASEC sizes 0 for the loader to fill: the kernel rejects this as is.
        let r = try run(["check", CLITests.root + "/testdata/bpf/core_demo.bpfel.o"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.out.contains("type [30] offset 608 (0x260): size == 0 (EINVAL, meta check)"), r.out)
        let be = try run(["check", CLITests.root + "/testdata/bpf/core_demo.bpfeb.o"])
        XCTAssertEqual(be.status, 1)
        XCTAssertTrue(be.out.contains("native byte order"), be.out)
        let ok = try run(["check", CLITests.root + "/testdata/kernel/virtio_net-6.1.btf", "-B", CLITests.root + "/testdata/kernel/vmlinux-6.1.btf.gz"])
        XCTAssertEqual(ok.status, 0, ok.out + ok.err)
        XCTAssertTrue(ok.out.contains("166 types pass"))
    }

    func testCheckWithKernel() throws {
        guard getuid() == 0 else { throw XCTSkip("not root: BPF_BTF_LOAD comparison skipped") }
        let r = try run(["check", "--kernel", CLITests.root + "/testdata/kernel/vmlinux-6.18.btf.gz"])
        if r.out.contains("EPERM") || r.out.contains("errno 38") { throw XCTSkip("kernel refuses BPF_BTF_LOAD here: \(r.out)") }
        XCTAssertEqual(r.status, 0, r.out)
        XCTAssertTrue(r.out.contains("kernel: accepted"), r.out)
        let bad = try run(["check", "--kernel", CLITests.root + "/testdata/bpf/core_demo.bpfel.o"])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.out.contains("kernel log: [30] DATASEC .data size=0 vlen=1 size == 0"), bad.out)
        XCTAssertFalse(bad.out.contains("DISAGREES"))
    }

    func testOutputFileIsWrittenAtomically() throws {
        let out = tmp("out.txt")
        defer { unlink(out) }
        try "previous contents\n".write(toFile: out, atomically: false, encoding: .utf8)
        let bad = try run(["dump", "-o", out, CLITests.root + "/Package.swift"])
        XCTAssertEqual(bad.status, 1)
        XCTAssertEqual(try String(contentsOfFile: out, encoding: .utf8), "previous contents\n", "a failed run must not touch the output")
        let good = try run(["dump", "-o", out, CLITests.root + "/testdata/bpf/core_demo.bpfel.o"])
        XCTAssertEqual(good.status, 0)
        XCTAssertTrue(try String(contentsOfFile: out, encoding: .utf8).hasPrefix("[1] PTR '(anon)' type_id=0"))
        let dir = (out as NSString).deletingLastPathComponent
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasPrefix(".btfkit-") }
        XCTAssertTrue(leftovers.isEmpty, "temporary files left: \(leftovers)")
    }

    func testExtRecords() throws {
        let r = try run(["dump", "--ext", CLITests.root + "/testdata/bpf/core_demo.bpfel.o"])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.out.contains("\tinsn_off=0 type_id=4 (FUNC 'demo_prog')"), r.out)
        XCTAssertTrue(r.out.contains("kind=enumval_value type_id=9 (ENUM 'demo_state') access='2'"), r.out)
        XCTAssertTrue(r.out.contains("./testdata/bpf/core_demo.bpf.c:"), r.out)
        let big = try run(["dump", "--ext", CLITests.root + "/testdata/bpf/core_demo.bpfeb.o"])
        XCTAssertEqual(big.out, r.out, "both byte orders print the same records")
        let none = try run(["dump", "--ext", CLITests.root + "/testdata/elf/rel32le.o"])
        XCTAssertEqual(none.status, 1)
        XCTAssertTrue(none.err.contains("no .BTF.ext section"), none.err)
    }

    func testInfo() throws {
        let r = try run(["info", "--timing", CLITests.root + "/testdata/kernel/vmlinux-6.18.btf.gz"])
        XCTAssertEqual(r.status, 0)
        XCTAssertTrue(r.out.contains("types:       126585"))
        XCTAssertTrue(r.out.contains("load+index:"))
    }
}

extension CLITests {
    func testEncodeDedupDiffCommands() throws {
        let t = self
        let dir = NSTemporaryDirectory() + "btfkit-cli-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let obj = CLITests.root + "/testdata/encoder/shapes-gcc-dwarf5-O2.o"
        let enc = try t.run(["encode", obj, "-o", dir + "/a.btf", "--stats", "-j2"])
        XCTAssertEqual(enc.status, 0, enc.err)
        XCTAssertTrue(enc.out.contains("after dedup"), enc.out)
        let check = try t.run(["check", dir + "/a.btf"])
        XCTAssertEqual(check.status, 0, check.out + check.err)
        let dd = try t.run(["dedup", dir + "/a.btf", "-o", dir + "/b.btf"])
        XCTAssertEqual(dd.status, 0, dd.err)
        let same = try t.run(["diff", dir + "/a.btf", dir + "/b.btf"])
        XCTAssertEqual(same.status, 0, same.out)
        XCTAssertTrue(same.out.hasSuffix("0 changed\n"), same.out)
        let other = try t.run(["encode", CLITests.root + "/testdata/dwarf/gcc-dwarf5.o", "-o", dir + "/c.btf"])
        XCTAssertEqual(other.status, 0, other.err)
        let differ = try t.run(["diff", dir + "/a.btf", dir + "/c.btf"])
        XCTAssertEqual(differ.status, 1)
        XCTAssertTrue(differ.out.contains("- struct node"), differ.out)
        let embed = try t.run(["encode", obj, "--embed", "-o", dir + "/e.o"])
        XCTAssertEqual(embed.status, 0, embed.err)
        let dump = try t.run(["dump", dir + "/e.o"])
        XCTAssertTrue(dump.out.contains("STRUCT 'node'"), dump.out)
        let bad = try t.run(["encode", CLITests.root + "/Package.swift", "-o", dir + "/x.btf"])
        XCTAssertEqual(bad.status, 1)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/x.btf"), "no output on failure")
        // As pahole: an unknown feature name is ignored with a warning; strict makes it an error.
        let feature = try t.run(["encode", obj, "-o", dir + "/y.btf", "--btf-features", "bogus"])
        XCTAssertEqual(feature.status, 0, feature.err)
        XCTAssertTrue(feature.err.contains("unknown BTF feature 'bogus'"), feature.err)
        let strict = try t.run(["encode", obj, "-o", dir + "/y.btf", "--btf-features-strict", "bogus"])
        XCTAssertEqual(strict.status, 64, "a usage error")
        XCTAssertTrue(strict.err.contains("unknown BTF feature 'bogus'"), strict.err)
        let list = try t.run(["encode", "--list-btf-features"])
        XCTAssertEqual(list.status, 0)
        XCTAssertTrue(list.out.contains("decl_tag_kfuncs     off      on              yes"), list.out)
    }

    func testFormatsAndFilters() throws {
        let t = self
        let btf = CLITests.root + "/testdata/kernel/vmlinux-6.18.btf.gz"
        let c = try t.run(["dump", "--format", "c", btf])
        XCTAssertEqual(c.status, 0, c.err)
        XCTAssertTrue(c.out.hasPrefix("#ifndef __VMLINUX_H__"))
        XCTAssertTrue(c.out.contains("struct task_struct {"))
        let rust = try t.run(["dump", "--format", "rust", "--type", "task_struct", btf])
        XCTAssertEqual(rust.status, 0, rust.err)
        XCTAssertTrue(rust.out.contains("pub struct task_struct {"))
        let small = try t.run(["dump", "--format", "rust", "--type", "list_head", btf])
        XCTAssertTrue(small.out.contains("pub struct list_head {"))
        XCTAssertFalse(small.out.contains("pub struct task_struct {"), "the subset holds only what list_head needs")
        let kinds = try t.run(["dump", "--kind", "datasec", btf])
        XCTAssertTrue(kinds.out.hasPrefix("[126585] DATASEC '.data..percpu'"), kinds.out)
        let json = try t.run(["dump", "--format", "json", "--type", "list_head", btf])
        XCTAssertTrue(json.out.contains("\"resolved_size\":16"), json.out)
        let badKind = try t.run(["dump", "--kind", "structure", btf])
        XCTAssertEqual(badKind.status, 1)
        XCTAssertTrue(badKind.err.contains("is not a BTF kind"), badKind.err)
        let noMatch = try t.run(["dump", "--type", "no_such_type_anywhere", btf])
        XCTAssertEqual(noMatch.status, 1)
    }

    func testDwarfCommand() throws {
        let t = self
        let obj = CLITests.root + "/testdata/dwarf/gcc-dwarf5.o"
        let all = try t.run(["dwarf", obj])
        XCTAssertEqual(all.status, 0, all.err)
        XCTAssertTrue(all.out.hasPrefix("0x00000000: Compile Unit: length = "), all.out)
        XCTAssertTrue(all.out.contains("DW_AT_language [DW_FORM_data1]\t(DW_LANG_C11)"))
        XCTAssertTrue(all.out.contains("DW_AT_name [DW_FORM_strp]\t(\"sample\")"))
        // References name their target as llvm-dwarfdump does, arrays with their bounds.
        XCTAssertTrue(all.out.contains("DW_AT_type [DW_FORM_ref4]\t(0x000000d9 \"char[3]\")"), all.out)
        XCTAssertTrue(all.out.contains("DW_AT_type [DW_FORM_ref4]\t(0x00000059 \"const u64\")"))
        let one = try t.run(["dwarf", "--offset", "0xc", obj])
        XCTAssertEqual(one.status, 0)
        XCTAssertTrue(one.out.hasPrefix("0x0000000c: DW_TAG_compile_unit"))
        let cu = try t.run(["dwarf", "--cu", "5", obj])
        XCTAssertEqual(cu.status, 1)
        XCTAssertTrue(cu.err.contains("the file has 1 units"), cu.err)
        let missing = try t.run(["dwarf", "--offset", "0x3", obj])
        XCTAssertEqual(missing.status, 1)
        let notELF = try t.run(["dwarf", CLITests.root + "/Package.swift"])
        XCTAssertEqual(notELF.status, 1)
        XCTAssertTrue(notELF.err.contains("not an ELF file"), notELF.err)
        let stats = try t.run(["dwarf", "--stats", "--jobs", "2", CLITests.root + "/testdata/kernel/virtio_net-6.1.ko.gz"])
        XCTAssertEqual(stats.status, 0, stats.err)
        XCTAssertTrue(stats.out.contains("DIEs: 25133"), stats.out)
    }

    func testCoreAndMinimizeCommands() throws {
        let obj = CLITests.root + "/testdata/core/core_kinds.bpfel.o"
        let target = CLITests.root + "/testdata/kernel/vmlinux-6.18.btf.gz"
        let r = try run(["core", obj, "--target", target])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.out.contains("raw_tp/sys_enter relo #0 insn #2 (read_probed): <byte_off> [5] struct task_struct.pid (0:8 @ offset 44) => [114] struct task_struct.pid (0:92 @ offset 1264) — ALU64 imm 44 -> 1264"), r.out)
        XCTAssertTrue(r.err.contains("relocations:"), r.err)
        let j = try run(["core", obj, "--target", target, "--json"])
        let lines = j.out.split(separator: "\n")
        XCTAssertGreaterThan(lines.count, 50)
        for l in lines { XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(l.utf8)), String(l)) }
        // -o: a relocated object without CO-RE records, which relocates to nothing further.
        let out = tmp("relocated.o")
        defer { try? FileManager.default.removeItem(atPath: out) }
        XCTAssertEqual(try run(["core", obj, "--target", target, "-o", out]).status, 0)
        let again = try run(["core", out, "--target", target])
        XCTAssertEqual(again.status, 0)
        XCTAssertTrue(again.err.hasPrefix("0 relocations"), again.err)
        let dump = try run(["dump", "--ext", out])
        XCTAssertFalse(dump.out.contains("core_relo"))
        XCTAssertTrue(dump.out.contains("line_info"))
        // minimize
        let min = tmp("min.btf")
        defer { try? FileManager.default.removeItem(atPath: min) }
        let m = try run(["minimize", obj, "--target", target, "-o", min, "--stats"])
        XCTAssertEqual(m.status, 0, m.err)
        XCTAssertEqual(try run(["check", min]).status, 0)
        let viaMin = try run(["core", obj, "--target", min])
        XCTAssertEqual(viaMin.status, 0)
        // Bad input: not a BPF object, a missing file; nothing written on failure.
        let bad = try run(["core", target, "--target", target, "-o", tmp("never.o")])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.err.contains("btfkit: error:"), bad.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: tmp("never.o")))
        XCTAssertEqual(try run(["core", "/nonexistent.o"]).status, 1)
    }
}
