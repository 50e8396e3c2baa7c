import BTF
import CORE
import Foundation
import TestSupport
import XCTest

/// `MinimalBTF` (bpftool gen min_core_btf): relocating against the minimal BTF gives exactly the
/// results against the full BTF, the kernel accepts it, and it equals bpftool's output.
final class MinimalBTFTests: XCTestCase {
    func testSameResultsAsFullTarget() throws {
        for version in CoreFixtures.kernels {
            let (kernel, raw) = try CoreFixtures.kernel(version)
            let objects = try ["core_kinds.bpfel.o", "many_relos.bpfel.o"].map(CoreFixtures.object)
            let full = objects.map { CoreRelocator(object: $0, target: kernel).run() }
            let bytes = try MinimalBTF.build(target: kernel, reports: full)
            let min = try BTFFile(bytes: bytes)
            XCTAssertLessThan(bytes.count, kernel.data.bytes.count / 100)
            for (object, f) in zip(objects, full) {
                let m = CoreRelocator(object: object, target: min).run()
                XCTAssertEqual(f.results.count, m.results.count)
                for (a, b) in zip(f.results, m.results) {
                    XCTAssertNil(b.error, b.line)
                    XCTAssertEqual(a.value?.poison, b.value?.poison, b.line)
                    if a.kind != .typeIDTarget { XCTAssertEqual(a.value?.new, b.value?.new, "full: \(a.line)\nmin: \(b.line)") }
                    XCTAssertEqual(a.targetSpec == nil, b.targetSpec == nil)
                }
                for (name, insns) in f.sections where !name.isEmpty {
                    // Only TYPE_ID_TARGET immediates may differ (IDs are renumbered).
                    let other = m.sections[name] ?? []
                    let differing = zip(insns, other).enumerated().filter { $0.element.0 != $0.element.1 }.map(\.offset)
                    let typeIDs = Set(f.results.filter { $0.section == name && $0.kind == .typeIDTarget }.flatMap { [$0.instruction, $0.instruction + 1] })
                    XCTAssertTrue(Set(differing).isSubset(of: typeIDs), "\(name): instructions \(differing) differ")
                }
            }
            if KernelLoader.isAvailable {
                let v = KernelLoader.load(bytes)
                XCTAssertTrue(v.accepted, "kernel rejects the minimal BTF: \(v.logTail)")
            }
            // bpftool's BTFGen on the same inputs, when installed: byte-identical.
            if let bpftool = ExternalTool.find("bpftool") {
                let out = CoreFixtures.scratch + "/bpftool-min-\(version).btf"
                _ = try ExternalTool.run(bpftool, ["gen", "min_core_btf", raw, out] +
                                         ["core_kinds.bpfel.o", "many_relos.bpfel.o"].map { Repo.testdata("core/" + $0) })
                XCTAssertEqual(Array(try Data(contentsOf: URL(fileURLWithPath: out))), bytes, "differs from bpftool gen min_core_btf (\(version))")
            } else {
                print("bpftool not installed (apt-get install bpftool): comparison with gen min_core_btf skipped")
            }
        }
    }

    func testSplitTargetIsRefused() throws {
        let base = try BTFFile(bytes: try BTFInput.readMaybeCompressed(Repo.testdata("kernel/vmlinux-6.1.btf.gz")))
        let split = try BTFFile(bytes: try BTFInput.readFile(Repo.testdata("kernel/virtio_net-6.1.btf")), base: base)
        XCTAssertThrowsError(try MinimalBTF.build(target: split, reports: []))
    }
}
