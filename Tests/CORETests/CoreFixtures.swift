import BinaryReader
import BTF
import CORE
import ELF
import Foundation
import TestSupport
import XCTest

/// Fixture objects, kernel BTFs and the libbpf judge shared by the CORE tests.
enum CoreFixtures {
    static let objects = ["core_kinds.bpfel.o", "many_relos.bpfel.o", "gcc_reads.bpfel.o", "core_module.bpfel.o"]
    static let kernels = ["6.1", "6.18"]

    static func object(_ name: String) throws -> BPFObject {
        try BPFObject(path: Repo.testdata("core/" + name))
    }

    /// A kernel's BTF, and the path of a raw (uncompressed) copy for tools that can't read .gz.
    static func kernel(_ version: String) throws -> (btf: BTFFile, rawPath: String) {
        let gz = Repo.testdata("kernel/vmlinux-\(version).btf.gz")
        let bytes = try BTFInput.readMaybeCompressed(gz)
        let raw = scratch + "/vmlinux-\(version).btf"
        if !FileManager.default.fileExists(atPath: raw) {
            try Data(bytes).write(to: URL(fileURLWithPath: raw))
        }
        return (try BTFFile(bytes: bytes), raw)
    }

    static let scratch: String = {
        let d = NSTemporaryDirectory() + "btfkit-core-tests-\(getpid())"
        try? FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }()

    static var isRoot: Bool { getuid() == 0 }

    /// Builds testdata/core/libbpf-judge.c against the system libbpf, or skips saying why.
    static func judge() throws -> String {
        guard FileManager.default.fileExists(atPath: "/usr/include/bpf/libbpf.h") else {
            throw XCTSkip("libbpf headers missing (apt-get install libbpf-dev); comparison with libbpf skipped")
        }
        guard isRoot else { throw XCTSkip("libbpf relocates only inside bpf_object__load, which needs root; comparison skipped") }
        let out = scratch + "/libbpf-judge"
        if FileManager.default.fileExists(atPath: out) { return out }
        guard let cc = ExternalTool.find("cc") ?? ExternalTool.find("gcc") ?? ExternalTool.find("clang") else {
            throw XCTSkip("no C compiler to build the libbpf judge; comparison skipped")
        }
        let r = try ExternalTool.capture(cc, ["-O2", "-o", out, Repo.testdata("core/libbpf-judge.c"), "-lbpf"])
        guard r.status == 0 else {
            throw XCTSkip("building the libbpf judge failed: \(String(decoding: r.err, as: UTF8.self))")
        }
        return out
    }

    /// libbpf's view of one object relocated against a target: relocated instructions per program
    /// and per relocation (program, relo #) its new value, or nil when it poisoned.
    struct LibbpfResult {
        var instructions: [String: [BPFInstruction]] = [:]
        var values: [String: UInt64?] = [:]
        var log: [String] = []
    }

    /// `object` is a file name under testdata/core, or a path.
    static func libbpf(_ object: String, target raw: String) throws -> LibbpfResult {
        let path = object.contains("/") ? object : Repo.testdata("core/" + object)
        let r = try ExternalTool.capture(try judge(), [path, raw])
        var res = LibbpfResult()
        let text = String(decoding: r.out, as: UTF8.self)
        for line in text.split(separator: "\n") {
            let f = line.split(separator: " ")
            if f.first == "INSN", f.count == 8, let code = UInt8(f[3]), let dst = UInt8(f[4]), let src = UInt8(f[5]),
               let off = Int16(f[6]), let imm = Int32(f[7]) {
                res.instructions[String(f[1]), default: []].append(BPFInstruction(code: code, dst: dst, src: src, offset: off, immediate: imm))
            } else if f.first == "LOG" {
                res.log.append(String(line))
                // "LOG libbpf: prog 'NAME': relo #N: patched insn #I (KIND) imm|off|imm64 A -> B"
                guard let p = line.range(of: "prog '"), let q = line[p.upperBound...].firstIndex(of: "'"),
                      let rr = line.range(of: "relo #") else { continue }
                let prog = String(line[p.upperBound..<q])
                let num = line[rr.upperBound...].prefix { $0.isNumber }
                let key = "\(prog)#\(num)"
                if line.contains("substituting insn") {
                    res.values[key] = .some(nil)
                } else if line.contains("patched insn"), !line.contains("mem_sz"), res.values[key] == nil,
                          let arrow = line.range(of: " -> "), let v = UInt64(line[arrow.upperBound...].prefix { $0.isNumber }) {
                    res.values[key] = .some(v)
                }
            }
        }
        return res
    }
}
