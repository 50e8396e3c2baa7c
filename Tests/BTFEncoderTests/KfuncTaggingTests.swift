import XCTest
import Foundation
import BTF
import BTFEncoder
import BTFFormat
import TestSupport

/// decl_tag_kfuncs (`KfuncSets`): judged by what pahole 1.31 made of the same objects
/// (testdata/encoder/*.pahole-1.31.txt), by the running kernel, and on Debian's 6.12 vmlinux by
/// pahole 1.31's tags (testdata/reference) when that vmlinux is at hand.
final class KfuncTaggingTests: XCTestCase {
    func encode(_ path: String, kfuncs: Bool = true) throws -> EncodeResult {
        var o = EncoderOptions()
        _ = o.set(feature: "decl_tag_kfuncs", kfuncs)
        return try Encoder.encode(path: path, options: o)
    }

    /// (tag, function) pairs of a raw bpftool-style dump.
    static func kfuncTags(inDump text: String) -> Set<String> {
        var names: [String: String] = [:]
        var tags: [(String, String)] = []
        for line in text.split(separator: "\n") where line.hasPrefix("[") {
            let parts = line.split(separator: " ")
            guard parts.count >= 3 else { continue }
            let id = String(parts[0].dropFirst().dropLast())
            let name = parts[2].trimmingCharacters(in: CharacterSet(charactersIn: "'"))
            names[id] = name
            if parts[1] == "DECL_TAG", name == "bpf_kfunc" || name == "bpf_fastcall",
               let t = parts.first(where: { $0.hasPrefix("type_id=") }) {
                tags.append((name, String(t.dropFirst("type_id=".count))))
            }
        }
        return Set(tags.map { "\($0.0) \(names[$0.1] ?? "?")" })
    }

    static func funcNames(inDump text: String) -> Set<String> {
        Set(text.split(separator: "\n").filter { $0.contains("] FUNC '") }.compactMap { $0.split(separator: "'").dropFirst().first.map(String.init) })
    }

    func dump(_ blob: [UInt8]) throws -> String {
        var out = TextOutput()
        RawDumper(try BTFFile(bytes: blob)).dump(into: &out)
        return out.string
    }

    func testTagsEqualPahole131() throws {
        for f in ["kfuncs", "kfuncs-bad"] {
            let r = try encode(Repo.testdata("encoder/\(f)-gcc.o"))
            let ours = try dump(r.blob)
            let reference = try String(contentsOfFile: Repo.testdata("encoder/\(f)-gcc.pahole-1.31.txt"), encoding: .utf8)
            XCTAssertEqual(KfuncTaggingTests.kfuncTags(inDump: ours), KfuncTaggingTests.kfuncTags(inDump: reference), f)
            XCTAssertEqual(KfuncTaggingTests.funcNames(inDump: ours), KfuncTaggingTests.funcNames(inDump: reference), f)
            XCTAssertNil(KernelValidator(bytes: r.blob).validate(), f)
            let v = KernelLoader.load(r.blob)
            if !(v.errno == 1 && !v.accepted) { XCTAssertTrue(v.accepted, "\(f): \(v.logTail.joined(separator: " | "))") }
        }
        let good = try encode(Repo.testdata("encoder/kfuncs-gcc.o"))
        XCTAssertEqual(KfuncTaggingTests.kfuncTags(inDump: try dump(good.blob)),
                       ["bpf_kfunc kf_plain", "bpf_kfunc kf_fast", "bpf_fastcall kf_fast"])
        XCTAssertEqual(good.report.counts["kfunc sets: FUNC tagged bpf_kfunc"], 2)
        // Off by default (btfkit's default is pahole 1.24's set), and needs decl_tag.
        XCTAssertTrue(KfuncTaggingTests.kfuncTags(inDump: try dump(try encode(Repo.testdata("encoder/kfuncs-gcc.o"), kfuncs: false).blob)).isEmpty)
        var noDeclTags = EncoderOptions(features: BTFFeatureSet([.declTagKfuncs, .float]))
        noDeclTags.jobs = 1
        XCTAssertTrue(KfuncTaggingTests.kfuncTags(inDump: try dump(try Encoder.encode(path: Repo.testdata("encoder/kfuncs-gcc.o"), options: noDeclTags).blob)).isEmpty)
    }

    /// A set whose count overruns it and a set header past the section's end: counted by name,
    /// nothing traps, the good kfunc keeps its tag.
    func testBadSetsAreCountedNotFatal() throws {
        let r = try encode(Repo.testdata("encoder/kfuncs-bad-gcc.o"))
        XCTAssertEqual(r.report.counts["kfunc sets: set8 count overruns its symbol or .BTF_ids"], 1)
        XCTAssertEqual(r.report.counts["kfunc sets: set8 header outside .BTF_ids (skipped)"], 1)
        XCTAssertEqual(r.report.examples["kfunc sets: set8 header outside .BTF_ids (skipped)"], "__BTF_ID__set8__truncated")
        XCTAssertEqual(KfuncTaggingTests.kfuncTags(inDump: try dump(r.blob)), ["bpf_kfunc kf_ok"])
    }

    /// Truncations of the good object's .BTF_ids section at every length: never a trap, every
    /// function still encoded.
    func testTruncatedSectionsNeverTrap() throws {
        var bytes = try BTFInput.readFile(Repo.testdata("encoder/kfuncs-gcc.o"))
        let elf = try ELFFileProbe.section(".BTF_ids", in: bytes)
        let dir = NSTemporaryDirectory() + "btfkit-kf-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Shrink the section's sh_size (the bytes stay; the section ends earlier).
        for size in stride(from: 0, through: elf.size, by: 4) {
            ELFFileProbe.setSize(size, ofSectionHeaderAt: elf.headerOffset, in: &bytes)
            let path = dir + "/k\(size).o"
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let r = try encode(path)
            XCTAssertEqual(KfuncTaggingTests.funcNames(inDump: try dump(r.blob)).count, 5, "sh_size \(size)")
        }
    }

    /// Debian's 6.12 vmlinux (BTFKIT_VMLINUX_612=path; shared/bench/get-kernel-dbg.sh-style
    /// download, not in the repo): the same 132 bpf_kfunc tags on the same functions as pahole 1.31.
    func testDebian612KfuncsEqualPahole131() throws {
        guard let path = ProcessInfo.processInfo.environment["BTFKIT_VMLINUX_612"], FileManager.default.fileExists(atPath: path) else {
            throw XCTSkip("BTFKIT_VMLINUX_612 not set to Debian's 6.12 debug vmlinux: the 6.12 kfunc comparison is skipped")
        }
        var o = EncoderOptions()
        _ = o.set(feature: "decl_tag_kfuncs", true)
        o.jobs = 2
        let ours = KfuncTaggingTests.kfuncTags(inDump: try dump(try Encoder.encode(path: path, options: o).blob))
        let reference = Set(String(decoding: try BTFInput.readMaybeCompressed(Repo.testdata("reference/pahole-1.31-linux-6.12-funcs-kfuncs.txt.gz")), as: UTF8.self)
            .split(separator: "\n").filter { $0.hasPrefix("bpf_") }.map(String.init))
        XCTAssertEqual(reference.count, 132)
        XCTAssertEqual(ours, reference)
    }
}

/// Section-header surgery for bad-input tests (ELF64 little-endian objects).
enum ELFFileProbe {
    struct Found { var headerOffset: Int; var size: Int }

    static func u64(_ b: [UInt8], _ at: Int) -> Int { (0..<8).reduce(0) { $0 | Int(b[at + $1]) << (8 * $1) } }
    static func u32(_ b: [UInt8], _ at: Int) -> Int { (0..<4).reduce(0) { $0 | Int(b[at + $1]) << (8 * $1) } }
    static func u16(_ b: [UInt8], _ at: Int) -> Int { Int(b[at]) | Int(b[at + 1]) << 8 }

    static func section(_ name: String, in b: [UInt8]) throws -> Found {
        let shoff = u64(b, 0x28), shentsize = u16(b, 0x3a), shnum = u16(b, 0x3c), shstrndx = u16(b, 0x3e)
        let strtab = u64(b, shoff + shstrndx * shentsize + 24)
        for i in 0..<shnum {
            let h = shoff + i * shentsize
            let n = strtab + u32(b, h)
            let end = b[n...].firstIndex(of: 0) ?? n
            if String(decoding: b[n..<end], as: UTF8.self) == name { return Found(headerOffset: h, size: u64(b, h + 32)) }
        }
        throw XCTSkip("no \(name) section")
    }

    static func setSize(_ size: Int, ofSectionHeaderAt h: Int, in b: inout [UInt8]) {
        for k in 0..<8 { b[h + 32 + k] = UInt8(truncatingIfNeeded: size >> (8 * k)) }
    }
}
