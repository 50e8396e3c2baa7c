import BTF
@testable import CORE
import TestSupport
import XCTest

/// Rules checked on hand-built targets: flavor names, agreement between candidates, ambiguity.
final class CandidateRulesTests: XCTestCase {
    func testEssentialNames() {
        XCTAssertEqual(CoreNames.essential("task_struct___old"), "task_struct")
        XCTAssertEqual(CoreNames.essential("a___b___c"), "a___b")
        XCTAssertEqual(CoreNames.essential("a____b"), "a____b")       // four underscores: no separator
        XCTAssertEqual(CoreNames.essential("foo___"), "foo___")         // empty flavor
        XCTAssertEqual(CoreNames.essential("___x"), "___x")
        XCTAssertEqual(CoreNames.essential("x___y"), "x")
        XCTAssertEqual(CoreNames.essential(""), "")
        XCTAssertTrue(CoreNames.match("PIDTYPE_SID___alias", "PIDTYPE_SID"))
        XCTAssertFalse(CoreNames.match("x", ""))
        XCTAssertTrue(CoreNames.match("", ""))
    }

    /// A target with `task_struct` and `task_struct___v2` (same essential name): if both put
    /// `pid` at the same offset the relocation succeeds with two candidates, otherwise it fails
    /// with libbpf's "field offset ambiguity".
    private func target(secondPidOffset: UInt32) -> BTFFile? {
        var b = BTFBuilder()
        let int = b.add(.int(BTFInt(name: b.string("int"), size: 4, encoding: .signed, bits: 32)))
        for (name, off) in [("task_struct", UInt32(64)), ("task_struct___v2", secondPidOffset)] {
            _ = b.add(.structure(BTFComposite(name: b.string(name), size: 64, members: [
                BTFMember(name: b.string("prio"), type: int, offset: 0),
                BTFMember(name: b.string("pid"), type: int, offset: off),
            ])))
        }
        return try? BTFFile(bytes: b.build())
    }

    func testCandidatesMustAgree() throws {
        let object = try CoreFixtures.object("core_kinds.bpfel.o")
        let agreeing = CoreRelocator(object: object, target: try XCTUnwrap(target(secondPidOffset: 64))).run()
        let pid = try XCTUnwrap(agreeing.results.first { $0.section == "raw_tp/sys_enter" && $0.index == 0 })
        XCTAssertNil(pid.error)
        XCTAssertEqual(pid.candidates.count, 2)
        XCTAssertEqual(pid.value?.new, 8)

        let ambiguous = CoreRelocator(object: object, target: try XCTUnwrap(target(secondPidOffset: 96))).run()
        let e = try XCTUnwrap(ambiguous.results.first { $0.section == "raw_tp/sys_enter" && $0.index == 0 }?.error)
        XCTAssertEqual(e.code, .ambiguous)
        XCTAssertTrue(e.message.contains("field offset ambiguity"), e.message)
    }

    /// Candidates that did not match are pruned after the first successful relocation of a root:
    /// later relocations of task_struct try only the matching one.
    func testCandidateListIsPruned() throws {
        var b = BTFBuilder()
        let int = b.add(.int(BTFInt(name: b.string("int"), size: 4, encoding: .signed, bits: 32)))
        _ = b.add(.structure(BTFComposite(name: b.string("task_struct"), size: 64, members: [
            BTFMember(name: b.string("pid"), type: int, offset: 64)])))
        _ = b.add(.structure(BTFComposite(name: b.string("task_struct___other"), size: 8, members: [
            BTFMember(name: b.string("x"), type: int, offset: 0)])))
        let t = try BTFFile(bytes: b.build())
        let report = CoreRelocator(object: try CoreFixtures.object("core_kinds.bpfel.o"), target: t).run()
        let first = try XCTUnwrap(report.results.first { $0.section == "raw_tp/sys_enter" && $0.index == 0 })
        XCTAssertEqual(first.candidates.count, 2)
        let later = try XCTUnwrap(report.results.first { $0.section == "raw_tp/sys_enter" && $0.index == 2 })
        XCTAssertEqual(later.candidates.count, 1)
        // tgid does not exist in this target: byte_off poisons.
        XCTAssertEqual(later.value?.poison, true)
    }
}
