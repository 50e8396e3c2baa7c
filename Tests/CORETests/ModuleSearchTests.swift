import BinaryReader
import BTF
import CORE
import Foundation
import TestSupport
import XCTest

/// Candidates from module BTF (split over vmlinux) when vmlinux has none, as libbpf does without a
/// custom target. Judged by libbpf on the same types flattened into one standalone BTF (split IDs
/// and string offsets continue the base's, so the flat blob has the same IDs).
final class ModuleSearchTests: XCTestCase {
    func testModuleCandidatesEqualLibbpfOnFlattenedBTF() throws {
        let (vmlinux, _) = try CoreFixtures.kernel("6.1")
        let module = try BTFFile(bytes: try BTFInput.readFile(Repo.testdata("kernel/virtio_net-6.1.btf")), base: vmlinux)
        let object = try CoreFixtures.object("core_module.bpfel.o")
        var loads = 0
        let report = CoreRelocator(object: object, target: vmlinux, modules: { loads += 1; return [("virtio_net", module)] }).run()
        XCTAssertEqual(loads, 1)
        XCTAssertTrue(report.failures.isEmpty, report.failures.map(\.line).joined(separator: "\n"))
        let inModule = report.results.filter { $0.targetBTF == "virtio_net" }
        let inVmlinux = report.results.filter { $0.targetBTF == "vmlinux" }
        XCTAssertGreaterThanOrEqual(inModule.count, 5, report.results.map(\.line).joined(separator: "\n"))
        XCTAssertEqual(inVmlinux.count, 1)
        XCTAssertTrue(inModule.first?.line.contains("in [virtio_net]") ?? false)

        // Without modules the module's types are missing: offsets poison, existence is 0.
        let alone = CoreRelocator(object: object, target: vmlinux).run()
        XCTAssertTrue(alone.results.contains { $0.value?.poison == true })

        // libbpf on the flattened BTF: the same relocated instructions.
        let flat = BTFWriter.assemble(
            typeSection: section(vmlinux, types: true) + section(module, types: true),
            strings: section(vmlinux, types: false) + section(module, types: false), endianness: vmlinux.endianness)
        let flatFile = try BTFFile(bytes: flat)
        XCTAssertEqual(flatFile.typeCount, module.typeCount)
        let path = CoreFixtures.scratch + "/vmlinux+virtio_net.btf"
        try Data(flat).write(to: URL(fileURLWithPath: path))
        let theirs = try CoreFixtures.libbpf("core_module.bpfel.o", target: path)
        for p in object.programs {
            let ours = report.sections[p.section] ?? []
            XCTAssertEqual(Array(ours[p.firstInstruction..<(p.firstInstruction + p.instructionCount)]), theirs.instructions[p.name], p.name)
        }
        XCTAssertEqual(theirs.values.count, report.results.count)
    }

    private func section(_ f: BTFFile, types: Bool) -> [UInt8] {
        let start = types ? f.typeSectionStart : f.stringSectionStart
        let length = Int(types ? f.header.typeLength : f.header.stringLength)
        return Array(f.data.bytes[start..<(start + length)])
    }
}
