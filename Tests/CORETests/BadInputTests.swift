import BinaryReader
import BTF
@testable import CORE
import ELF
import TestSupport
import XCTest

/// Malformed objects: errors name the relocation, section and instruction; nothing traps.
final class BadInputTests: XCTestCase {
    private func object(editing edit: (inout BTFExt) -> Void) throws -> BPFObject {
        let path = Repo.testdata("core/core_kinds.bpfel.o")
        let elf = try ELFFile(mappingFile: path)
        guard let s = elf.section(named: ".BTF.ext") else { throw XCTSkip("fixture has no .BTF.ext") }
        var ext = try BTFExt(bytes: try elf.contents(of: s))
        edit(&ext)
        return try BPFObject(bytes: try elf.withSection(named: ".BTF.ext", contents: ext.serialized()))
    }

    private func firstError(_ o: BPFObject) throws -> CoreError {
        let (kernel, _) = try CoreFixtures.kernel("6.18")
        let report = CoreRelocator(object: o, target: kernel).run()
        guard let e = report.failures.first?.error else {
            XCTFail("expected a relocation failure")
            throw CoreError(.btf, "no failure")
        }
        return e
    }

    private func editRecord(_ ext: inout BTFExt, block: Int = 0, record: Int = 0, word: Int, value: UInt32) {
        ext.coreRelocations?.blocks[block].records[record][word] = value
    }

    func testMisalignedInstructionOffset() throws {
        let e = try firstError(object { editRecord(&$0, word: 0, value: 13) })
        XCTAssertEqual(e.code, .malformedExt)
        XCTAssertEqual(e.section, "raw_tp/sys_enter")
        XCTAssertEqual(e.relocation, 0)
        XCTAssertTrue(e.description.contains("relo #0"), e.description)
    }

    func testInstructionOutsideSection() throws {
        let e = try firstError(object { editRecord(&$0, word: 0, value: 8 * 100_000) })
        XCTAssertEqual(e.code, .malformedExt)
        XCTAssertTrue(e.message.contains("past the section's end"), e.message)
    }

    func testWrongInstructionClass() throws {
        // Instruction 0 of read_probed is `call bpf_get_current_task`: a JMP, which can't carry a relocation.
        let e = try firstError(object { editRecord(&$0, word: 0, value: 0) })
        XCTAssertEqual(e.code, .badInstruction)
        XCTAssertEqual(e.instruction, 0)
        XCTAssertTrue(e.description.contains("section 'raw_tp/sys_enter' relo #0 insn #0"), e.description)
    }

    func testAccessStringOutOfRange() throws {
        // Relocation 8 is list_head.prev ("0:1"); give it task_struct's "0:12:0" (list_head has 2 members).
        let o = try object { ext in
            let other = ext.coreRelocations?.blocks[0].records[7][2] ?? 0
            editRecord(&ext, record: 8, word: 2, value: other)
        }
        let e = try firstError(o)
        XCTAssertEqual(e.code, .badAccessString)
        XCTAssertEqual(e.relocation, 8)
        XCTAssertTrue(e.message.contains("member 12"), e.message)
    }

    func testAccessStringNotNumeric() throws {
        // Point the access string at a type name.
        let o = try object { ext in editRecord(&ext, word: 2, value: 1) }
        let e = try firstError(o)
        XCTAssertEqual(e.code, .badAccessString)
    }

    func testUnknownKindAndBadTypeID() throws {
        XCTAssertEqual(try firstError(object { editRecord(&$0, word: 3, value: 77) }).code, .unsupported)
        XCTAssertEqual(try firstError(object { editRecord(&$0, word: 1, value: 999_999) }).code, .badAccessString)
    }

    func testTruncatedExtIsRejected() throws {
        let path = Repo.testdata("core/core_kinds.bpfel.o")
        let elf = try ELFFile(mappingFile: path)
        let ext = try elf.contents(of: try XCTUnwrap(elf.section(named: ".BTF.ext")))
        let bytes = try elf.withSection(named: ".BTF.ext", contents: Array(ext.prefix(ext.count - 20)))
        XCTAssertThrowsError(try BPFObject(bytes: bytes)) { e in
            XCTAssertEqual((e as? CoreError)?.code, .malformedExt, "\(e)")
            XCTAssertTrue("\(e)".contains(".BTF.ext") && "\(e)".contains("offset"), "names the section and byte offset: \(e)")
        }
    }

    /// A truncated file and a code section whose size is not a whole number of instructions.
    func testTruncatedObjectAndPartialInstruction() throws {
        let path = Repo.testdata("core/core_kinds.bpfel.o")
        let original = try BinaryReader.readWholeFile(path)
        XCTAssertThrowsError(try BPFObject(bytes: Array(original.prefix(original.count / 2)))) { e in
            XCTAssertEqual((e as? CoreError)?.code, .malformedObject, "\(e)")
            XCTAssertTrue("\(e)".contains("0x"), "names where: \(e)")
        }
        // Shrink the `socket` section's sh_size by 4 bytes in its section header.
        let elf = try ELFFile(bytes: original)
        let socket = try XCTUnwrap(elf.section(named: "socket"))
        let shoff = Int(original[0x28..<0x30].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) })
        let sizeField = shoff + socket.index * 64 + 0x20
        var bytes = original
        let shrunk = socket.size - 4
        for k in 0..<8 { bytes[sizeField + k] = UInt8(truncatingIfNeeded: shrunk >> (8 * UInt64(k))) }
        XCTAssertThrowsError(try BPFObject(bytes: bytes)) { e in
            XCTAssertEqual((e as? CoreError)?.code, .malformedObject, "\(e)")
            XCTAssertTrue("\(e)".contains("'socket'") && "\(e)".contains("not a multiple of 8"), "\(e)")
        }
    }

    func testWritingRelocatedObjectRefusesFailures() throws {
        let o = try object { editRecord(&$0, word: 0, value: 0) }
        let (kernel, _) = try CoreFixtures.kernel("6.18")
        XCTAssertThrowsError(try o.relocatedELF(CoreRelocator(object: o, target: kernel).run()))
    }

    /// Random corruption of the code, .BTF and .BTF.ext: every outcome is a value or a CoreError.
    func testRandomCorruptionNeverTraps() throws {
        let path = Repo.testdata("core/core_kinds.bpfel.o")
        let original = try BinaryReader.readWholeFile(path)
        let elf = try ELFFile(bytes: original)
        let regions = [".BTF", ".BTF.ext", "raw_tp/sys_enter", "socket"].compactMap { elf.section(named: $0) }
            .map { Int($0.offset)..<Int($0.offset + $0.size) }
        // A small target (the fixture's minimal BTF of 6.18) keeps each round fast in debug builds.
        let (full, _) = try CoreFixtures.kernel("6.18")
        let kernel = try BTFFile(bytes: try MinimalBTF.build(
            target: full, reports: [CoreRelocator(object: try BPFObject(bytes: original), target: full).run()]))
        var rng = SystemRandomNumberGenerator()
        var failures = 0, opened = 0
        for _ in 0..<1000 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...6, using: &rng) {
                guard let r = regions.randomElement(using: &rng), !r.isEmpty else { continue }
                bytes[Int.random(in: r, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
            guard let o = try? BPFObject(bytes: bytes) else { continue }
            opened += 1
            let report = CoreRelocator(object: o, target: kernel).run()
            failures += report.failures.count
            if report.failures.isEmpty { _ = try? o.relocatedELF(report) }
            _ = try? MinimalBTF.build(target: kernel, reports: [report])
        }
        XCTAssertGreaterThan(opened, 200)
        print("corruption: \(opened) objects opened, \(failures) relocation errors reported")
    }
}
