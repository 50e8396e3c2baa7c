import BTF
import CORE
import Foundation
import TestSupport
import XCTest

/// The running kernel's verifier judges programs relocated by us against /sys/kernel/btf/vmlinux.
final class VerifierTests: XCTestCase {
    func testRelocatedProgramsLoad() throws {
        guard CoreFixtures.isRoot else { throw XCTSkip("BPF_PROG_LOAD needs root; verifier check skipped") }
        guard FileManager.default.fileExists(atPath: BTFInput.kernelBTFPath) else {
            throw XCTSkip("no /sys/kernel/btf/vmlinux on this kernel; verifier check skipped")
        }
        let kernel = try BTFFile(contentsOf: BTFInput.kernelBTFPath)
        for name in ["core_kinds.bpfel.o", "gcc_reads.bpfel.o"] {
            let object = try CoreFixtures.object(name)
            let report = CoreRelocator(object: object, target: kernel).run()
            XCTAssertTrue(report.failures.isEmpty)
            let verdicts = ProgramLoader.verify(object, report, kernel: kernel)
            XCTAssertEqual(verdicts.count, object.programs.count)
            for v in verdicts {
                XCTAssertNil(v.skipped, "\(v.program): \(v.skipped ?? "")")
                XCTAssertTrue(v.accepted, "\(v.program) rejected (errno \(v.errno)):\n" + v.logTail.joined(separator: "\n"))
            }
        }
    }

    /// The judge has teeth: the same program relocated for a kernel with another task_struct
    /// layout is rejected by this kernel's verifier (its direct loads hit the wrong members).
    func testWrongLayoutIsRejected() throws {
        guard CoreFixtures.isRoot, FileManager.default.fileExists(atPath: BTFInput.kernelBTFPath) else {
            throw XCTSkip("needs root and /sys/kernel/btf/vmlinux; verifier check skipped")
        }
        let running = try BTFFile(contentsOf: BTFInput.kernelBTFPath)
        let (old, _) = try CoreFixtures.kernel("6.1")
        let object = try CoreFixtures.object("core_kinds.bpfel.o")
        let forOld = CoreRelocator(object: object, target: old).run()
        let forRunning = CoreRelocator(object: object, target: running).run()
        let pid = { (r: CoreRelocationReport) in r.results.first { $0.program == "direct_loads" && $0.index == 0 }?.value?.new }
        guard pid(forOld) != pid(forRunning) else {
            throw XCTSkip("the running kernel has 6.1's task_struct layout; nothing to tell apart")
        }
        let v = ProgramLoader.verify(object, forOld, kernel: running).first { $0.program == "direct_loads" }
        XCTAssertEqual(v?.accepted, false, "a program relocated for 6.1 must not verify on this kernel")
    }
}
