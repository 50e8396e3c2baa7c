import XCTest
import Foundation
import BTF
import BTFFormat

/// The raw dump must be line-for-line what `bpftool btf dump file` prints.
final class RawDumperTests: XCTestCase {
    func raw(_ btf: BTFFile) -> [UInt8] {
        var out = TextOutput()
        RawDumper(btf).dump(into: &out)
        return out.bytes
    }

    func assertSameLines(_ ours: [UInt8], _ theirs: Data, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        if ours.elementsEqual(theirs) { return }
        let a = String(decoding: ours, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let b = String(decoding: theirs, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let firstDiff = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }
        XCTFail("\(what): output differs from bpftool (ours \(a.count) lines, bpftool \(b.count)); first difference at line \((firstDiff?.offset ?? min(a.count, b.count)) + 1): ours '\(firstDiff?.element.0 ?? "")' bpftool '\(firstDiff?.element.1 ?? "")'", file: file, line: line)
    }

    /// Golden output recorded from bpftool 7.1, so this runs even without bpftool.
    func testBPFObjectMatchesRecordedBpftoolOutput() throws {
        let golden = try Data(contentsOf: URL(fileURLWithPath: FormatFixtures.path("bpf/core_demo.bpfel.bpftool.txt")))
        for obj in ["bpf/core_demo.bpfel.o", "bpf/core_demo.bpfeb.o"] {
            assertSameLines(raw(try BTFFile(contentsOf: FormatFixtures.path(obj))), golden, obj)
        }
    }

    func testKernelFixturesMatchBpftool() throws {
        let bpftool = try ExternalTool.require("bpftool", package: "bpftool")
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("btfkit-raw-\(getpid())")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: tmp) }
        for v in ["6.1", "6.18"] {
            let btf = try BTFFile(contentsOf: FormatFixtures.path("kernel/vmlinux-\(v).btf.gz"))
            let plain = tmp.appendingPathComponent("vmlinux-\(v).btf")
            try Data(btf.data.bytes).write(to: plain)
            let theirs = try ExternalTool.run(bpftool, ["btf", "dump", "file", plain.path])
            assertSameLines(raw(btf), theirs, "vmlinux-\(v)")
            if v == "6.1" {
                let split = try BTFFile(contentsOf: FormatFixtures.path("kernel/virtio_net-6.1.btf"), base: btf)
                let theirsSplit = try ExternalTool.run(bpftool, ["btf", "dump", "-B", plain.path, "file",
                                                                 FormatFixtures.path("kernel/virtio_net-6.1.btf")])
                assertSameLines(raw(split), theirsSplit, "virtio_net split")
            }
        }
    }

    func testRunningKernelMatchesBpftool() throws {
        let bpftool = try ExternalTool.require("bpftool", package: "bpftool")
        guard FileManager.default.isReadableFile(atPath: "/sys/kernel/btf/vmlinux") else {
            throw XCTSkip("/sys/kernel/btf/vmlinux not readable; skipped")
        }
        let btf = try BTFFile(contentsOf: "/sys/kernel/btf/vmlinux")
        assertSameLines(raw(btf), try ExternalTool.run(bpftool, ["btf", "dump", "file", "/sys/kernel/btf/vmlinux"]), "sysfs vmlinux")
    }

    func testSelectedIDsAndInvalidNames() throws {
        let btf = try BTFFile(contentsOf: FormatFixtures.path("bpf/core_demo.bpfel.o"))
        var out = TextOutput()
        RawDumper(btf).dump(into: &out, ids: [TypeID(3), TypeID(17)])
        XCTAssertEqual(out.string, "[3] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED\n[17] FLOAT 'double' size=8\n")
    }
}

/// `.BTF` read out of every kind of ELF container: ELF32/ELF64, both byte orders, ET_REL/ET_DYN/ET_EXEC.
final class ELFContainerTests: XCTestCase {
    func testEveryContainerGivesTheSameTypes() throws {
        let golden = try Data(contentsOf: URL(fileURLWithPath: FormatFixtures.path("bpf/core_demo.bpfel.bpftool.txt")))
        for name in ["rel32le.o", "rel32be.o", "rel64be.o", "dyn64le.so", "exec64le"] {
            let btf = try BTFFile(contentsOf: FormatFixtures.path("elf/" + name))
            var out = TextOutput()
            RawDumper(btf).dump(into: &out)
            XCTAssertEqual(out.string, String(decoding: golden, as: UTF8.self), name)
        }
    }

    func testELFWithoutBTFSection() throws {
        XCTAssertThrowsError(try BTFFile(contentsOf: FormatFixtures.path("kernel/../elf/../bpf/../../Package.swift"))) { e in
            XCTAssertEqual((e as? BTFError)?.code, .badMagic)
        }
        let raw = try BTFInput.readFile(FormatFixtures.path("elf/rel32le.o"))
        XCTAssertThrowsError(try BTFInput.section(".BTF.ext", of: raw, path: "rel32le.o")) { e in
            XCTAssertEqual((e as? BTFError)?.code, .noBTFSection)
            XCTAssertTrue("\(e)".contains("no .BTF.ext section"))
        }
    }
}
