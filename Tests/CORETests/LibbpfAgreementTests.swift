import BTF
@testable import CORE
import TestSupport
import XCTest

/// The judge for #7: libbpf 1.1 (the system's libbpf-dev) relocates the same committed objects
/// against the same kernel BTFs; every relocated instruction and every per-relocation value must
/// be ours.
final class LibbpfAgreementTests: XCTestCase {
    func testEveryRelocationEqualsLibbpf() throws {
        var compared = 0, instructions = 0
        var kinds = Set<UInt32>()
        for version in CoreFixtures.kernels {
            let (kernel, raw) = try CoreFixtures.kernel(version)
            for name in CoreFixtures.objects {
                let object = try CoreFixtures.object(name)
                let report = CoreRelocator(object: object, target: kernel).run()
                XCTAssertEqual(report.failures.map(\.line), [], "\(name) vs \(version)")
                let theirs = try CoreFixtures.libbpf(name, target: raw)
                // Instructions: every entry program, all of it.
                for p in object.programs {
                    guard let code = report.sections[p.section] ?? object.section(named: p.section)?.instructions else { continue }
                    let ours = Array(code[p.firstInstruction..<(p.firstInstruction + p.instructionCount)])
                    guard let libbpf = theirs.instructions[p.name] else {
                        XCTFail("libbpf printed no instructions for \(p.name) (\(name), \(version))"); continue
                    }
                    XCTAssertEqual(ours.count, libbpf.count, "\(p.name) length")
                    for (i, (a, b)) in zip(ours, libbpf).enumerated() where a != b {
                        XCTFail("\(name) vs \(version): \(p.name) insn #\(i): ours \(a), libbpf \(b)")
                    }
                    instructions += ours.count
                }
                // Values: one per relocation, poison included.
                for r in report.results where r.skipped == nil {
                    let key = "\(r.program ?? "?")#\(r.index)"
                    guard let v = theirs.values[key] else { XCTFail("libbpf logged nothing for \(key) (\(name), \(version))"); continue }
                    if r.value?.poison == true || r.patch?.hasPrefix("poisoned") == true {
                        XCTAssertNil(v, "\(key): we poisoned, libbpf patched \(String(describing: v))")
                    } else {
                        XCTAssertEqual(v, r.value?.new, "\(name) vs \(version): \(r.line)")
                    }
                    compared += 1
                    kinds.insert(r.kind.rawValue)
                }
                XCTAssertEqual(theirs.values.count, report.results.filter { $0.skipped == nil }.count, "\(name) vs \(version): relocation count")
            }
        }
        XCTAssertEqual(kinds, Set(0...12), "the fixtures must exercise every relocation kind")
        XCTAssertGreaterThan(compared, 1300)
        print("libbpf agreement: \(compared) relocations, \(instructions) instructions compared")
    }

    /// gcc 12's BPF backend writes .BTF.ext without CO-RE records: we read its object and, like
    /// libbpf, relocate nothing; the program still verifies.
    func testGCCObjectReads() throws {
        let o = try CoreFixtures.object("gcc_reads.bpfel.o")
        XCTAssertEqual(o.programs.map(\.name), ["gcc_reads"])
        XCTAssertEqual(o.license, "GPL")
        XCTAssertNotNil(o.ext)
        XCTAssertTrue(o.relocationBlocks.isEmpty)
        XCTAssertGreaterThan(o.btf.ownTypeCount, 5)
    }

    /// Big-endian objects: same relocations, the byte-order-dependent LSHIFT by the BE formula,
    /// instructions re-encoded in BE.
    func testBigEndianObjectMatchesLittleEndian() throws {
        let (kernel, _) = try CoreFixtures.kernel("6.18")
        let le = CoreRelocator(object: try CoreFixtures.object("core_kinds.bpfel.o"), target: kernel).run()
        let be = CoreRelocator(object: try CoreFixtures.object("core_kinds.bpfeb.o"), target: kernel).run()
        XCTAssertTrue(be.failures.isEmpty, be.failures.map(\.line).joined(separator: "\n"))
        // The BE compiler emits its own instruction sequence; compare per (kind, local spec).
        var little: [String: (UInt64?, String?)] = [:]
        for a in le.results where a.kind != .fieldLShiftU64 && a.kind != .typeIDLocal && a.kind != .typeIDTarget {
            little["\(a.kind) \(a.localSpecText)"] = (a.value?.new, a.targetSpecText)
        }
        var matched = 0
        for b in be.results where b.kind != .fieldLShiftU64 {
            guard let (v, spec) = little["\(b.kind) \(b.localSpecText)"] else { continue }
            XCTAssertEqual(v, b.value?.new, b.line)
            XCTAssertEqual(spec, b.targetSpecText)
            matched += 1
        }
        XCTAssertGreaterThan(matched, 30)
        // in_execve: bit 9539 in a 4-byte unit at byte 1192 → LE 60, BE 32 + 3 = 35.
        let shifts = be.results.filter { $0.kind == .fieldLShiftU64 && $0.localSpecText.contains("in_execve") }
        XCTAssertEqual(shifts.first?.value?.new, 35)
        for s in be.sections.values {
            for insn in s { XCTAssertEqual(BPFInstruction(insn.encoded(.big), at: 0, endianness: .big), insn) }
        }
    }
}

/// Fresh objects from the local clang (when it has the BPF target): relocated by us and by
/// libbpf against both kernels, the instructions must be equal.
final class FreshCompileTests: XCTestCase {
    func testLocalClangObjectEqualsLibbpf() throws {
        guard let clang = ["clang-16", "clang-15", "clang"].lazy.compactMap(ExternalTool.find).first else {
            throw XCTSkip("clang not installed (apt-get install clang); fresh-compile comparison skipped")
        }
        let out = CoreFixtures.scratch + "/fresh.o"
        let r = try ExternalTool.capture(clang, ["-target", "bpfel", "-O2", "-g", "-c", Repo.testdata("core/core_kinds.bpf.c"), "-o", out])
        guard r.status == 0 else {
            throw XCTSkip("\(clang) can't build BPF CO-RE code here: \(String(decoding: r.err, as: UTF8.self).prefix(300))")
        }
        for version in CoreFixtures.kernels {
            let (kernel, raw) = try CoreFixtures.kernel(version)
            let object = try BPFObject(path: out)
            let report = CoreRelocator(object: object, target: kernel).run()
            XCTAssertTrue(report.failures.isEmpty)
            XCTAssertGreaterThan(report.results.count, 40)
            let theirs = try CoreFixtures.libbpf(out, target: raw)
            for p in object.programs {
                let code = report.sections[p.section] ?? object.section(named: p.section)?.instructions ?? []
                XCTAssertEqual(Array(code[p.firstInstruction..<(p.firstInstruction + p.instructionCount)]), theirs.instructions[p.name], "\(p.name) vs \(version)")
            }
        }
    }
}
