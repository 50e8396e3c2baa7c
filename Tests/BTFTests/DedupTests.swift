import XCTest
@testable import BTF
import TestSupport

/// Dedup against libbpf's contract (btf-spec §3).
final class DedupTests: XCTestCase {
    /// An already-deduplicated kernel BTF concatenated with a copy of itself comes back as it was:
    /// the copy's types all map onto the originals, except VARs and DATASECs (never merged, §3.8)
    /// and the DECL_TAGs on them.
    func testKernelBTFTwiceDedupsToItself() throws {
        for name in ["vmlinux-6.1.btf.gz", "vmlinux-6.18.btf.gz"] {
            let file = try BTFFile(bytes: try BTFInput.readMaybeCompressed(Repo.testdata("kernel/" + name)))
            let one = BTFTypeTable(file)
            var unmergeable = Set<Int>()
            for i in 0..<one.count {
                let k = one.kind(i)
                if k == .variable || k == .dataSection { unmergeable.insert(i + 1) }
            }
            for i in 0..<one.count where one.kind(i) == .declTag && unmergeable.contains(Int(one.sizeOrType(i))) { unmergeable.insert(i + 1) }
            var two = one
            two.append(one) { $0 }
            XCTAssertEqual(two.count, 2 * one.count)
            let (out, newID) = try BTFDedup.deduplicate(two, baseCount: 0)
            XCTAssertEqual(out.count, one.count + unmergeable.count, name)
            XCTAssertEqual(Array(out.words.prefix(one.words.count)), one.words, "\(name): the originals are kept unchanged")
            var wrong = 0
            for id in 1...one.count where !unmergeable.contains(id) && newID[id + one.count] != UInt32(id) { wrong += 1 }
            XCTAssertEqual(wrong, 0, "\(name): copies not mapped onto their originals")
        }
    }

    /// Forward declarations resolve to the struct of that name; a struct whose member points at
    /// the FWD in one unit and at the full struct in another is one type; duplicates collapse;
    /// a cycle through a struct terminates.
    func testForwardDeclarationsAndCycles() throws {
        var s = StringInterner()
        var t = BTFTypeTable()
        let int = t.append(name: s.intern("int"), kind: .int, sizeOrType: 4, tail: [0x0100_0020])
        // Unit 1: struct node { int v; struct node *next; } with next → FWD node.
        let fwd = t.append(name: s.intern("node"), kind: .forward, sizeOrType: 0)
        let p1 = t.append(name: .empty, kind: .pointer, sizeOrType: fwd.rawValue)
        let n1 = t.append(name: s.intern("node"), kind: .structure, vlen: 2, sizeOrType: 16,
                          tail: [s.intern("v").rawValue, int.rawValue, 0, s.intern("next").rawValue, p1.rawValue, 64])
        // Unit 2: the same struct, self-referential.
        let int2 = t.append(name: s.intern("int"), kind: .int, sizeOrType: 4, tail: [0x0100_0020])
        let n2 = t.nextID
        let p2 = TypeID(n2.rawValue + 1)
        t.append(name: s.intern("node"), kind: .structure, vlen: 2, sizeOrType: 16,
                 tail: [s.intern("v").rawValue, int2.rawValue, 0, s.intern("next").rawValue, p2.rawValue, 64])
        t.append(name: .empty, kind: .pointer, sizeOrType: n2.rawValue)
        let (out, newID) = try BTFDedup.deduplicate(t, baseCount: 0)
        XCTAssertEqual(newID[Int(int2.rawValue)], newID[Int(int.rawValue)])
        XCTAssertEqual(newID[Int(n2.rawValue)], newID[Int(n1.rawValue)])
        XCTAssertEqual(newID[Int(fwd.rawValue)], newID[Int(n1.rawValue)], "the FWD resolves to the struct")
        XCTAssertEqual(newID[Int(p2.rawValue)], newID[Int(p1.rawValue)])
        XCTAssertEqual(out.count, 3, "int, struct node, pointer")
        // The result loads as valid BTF.
        let blob = out.serialized(strings: s.bytes)
        XCTAssertNil(KernelValidator(bytes: blob).validate())
    }

    /// Reference types dedup after what they point at: equal pointer chains in two units become
    /// one; a cycle of reference types with no struct, union or typedef in it is a typed
    /// `.referenceLoop` error naming a type of the loop (never a hang or a trap); a type field
    /// past the last ID is left as it is (the record kept as its own canonical type).
    func testReferencePassChainsLoopsAndBadIDs() throws {
        var s = StringInterner()
        var t = BTFTypeTable()
        let int = t.append(name: s.intern("int"), kind: .int, sizeOrType: 4, tail: [0x0100_0020])
        let c1 = t.append(name: .empty, kind: .const, sizeOrType: int.rawValue)
        let p1 = t.append(name: .empty, kind: .pointer, sizeOrType: c1.rawValue)
        let pp1 = t.append(name: .empty, kind: .pointer, sizeOrType: p1.rawValue)
        let int2 = t.append(name: s.intern("int"), kind: .int, sizeOrType: 4, tail: [0x0100_0020])
        // Unit 2 lists the outer pointer first: its chain is deduped depth-first.
        let pp2 = t.nextID
        t.append(name: .empty, kind: .pointer, sizeOrType: pp2.rawValue + 1)
        let p2 = t.append(name: .empty, kind: .pointer, sizeOrType: pp2.rawValue + 2)
        let c2 = t.append(name: .empty, kind: .const, sizeOrType: int2.rawValue)
        let (out, newID) = try BTFDedup.deduplicate(t, baseCount: 0)
        XCTAssertEqual(out.count, 4, "int, const, pointer, pointer to pointer")
        for (a, b) in [(int, int2), (c1, c2), (p1, p2), (pp1, pp2)] { XCTAssertEqual(newID[Int(a.rawValue)], newID[Int(b.rawValue)]) }

        var loop = BTFTypeTable()
        let a = loop.append(name: .empty, kind: .pointer, sizeOrType: 2)
        loop.append(name: .empty, kind: .const, sizeOrType: a.rawValue)
        XCTAssertThrowsError(try BTFDedup.deduplicate(loop, baseCount: 0)) { error in
            guard let e = error as? BTFError else { return XCTFail("\(error)") }
            XCTAssertEqual(e.code, .referenceLoop)
            XCTAssertNotNil(e.typeID)
        }

        var bad = BTFTypeTable()
        bad.append(name: .empty, kind: .pointer, sizeOrType: 7)          // no type 7
        bad.append(name: .empty, kind: .pointer, sizeOrType: 7)
        let (kept, _) = try BTFDedup.deduplicate(bad, baseCount: 0)
        XCTAssertEqual(kept.count, 1, "two equal records, each pointing past the last ID: one kept")
    }

    /// Split mode: types equal to base types map to the base; the rest get IDs after it.
    func testSplitAgainstBase() throws {
        var s = StringInterner()
        var base = BTFTypeTable()
        base.append(name: s.intern("int"), kind: .int, sizeOrType: 4, tail: [0x0100_0020])
        base.append(name: .empty, kind: .pointer, sizeOrType: 1)
        var split = BTFTypeTable(firstID: 3)
        split.append(name: s.intern("int"), kind: .int, sizeOrType: 4, tail: [0x0100_0020])         // 3 = base 1
        split.append(name: .empty, kind: .pointer, sizeOrType: 3)                                   // 4 = base 2
        split.append(name: s.intern("long"), kind: .int, sizeOrType: 8, tail: [0x0100_0040])        // 5 new
        var all = base
        all.append(split) { $0 }
        let (out, newID) = try BTFDedup.deduplicate(all, baseCount: 2)
        XCTAssertEqual(Array(newID[3...5]), [1, 2, 3])
        XCTAssertEqual(out.count, 1)
        XCTAssertEqual(out.firstID, 3)
    }

    /// Many unions that share a hash but differ in a member's type name (Linux's one union
    /// `{ event; handler; }` per tracepoint, each handler its own typedef) are each kept, and a
    /// second unit's copy of one of them still merges with it; a member whose type is a FWD on
    /// one side and the struct of that name on the other does not stop a merge.
    func testLookAlikeUnionsAreKeptAndCopiesMerge() throws {
        var s = StringInterner()
        var t = BTFTypeTable()
        func unit(_ handlers: [Int], eventIsForward: Bool = false) -> [Int: TypeID] {
            let int = t.append(name: s.intern("int"), kind: .int, sizeOrType: 4, tail: [0x0100_0020])
            let event = eventIsForward
                ? t.append(name: s.intern("trace_event"), kind: .forward, sizeOrType: 0)
                : t.append(name: s.intern("trace_event"), kind: .structure, vlen: 1, sizeOrType: 8,
                           tail: [s.intern("id").rawValue, int.rawValue, 0])
            var unions: [Int: TypeID] = [:]
            for h in handlers {
                let handler = t.append(name: s.intern("btf_trace_\(h)"), kind: .typedef, sizeOrType: int.rawValue)
                unions[h] = t.append(name: .empty, kind: .union, vlen: 2, sizeOrType: 8,
                                     tail: [s.intern("event").rawValue, event.rawValue, 0, s.intern("handler").rawValue, handler.rawValue, 0])
            }
            return unions
        }
        let first = unit(Array(0..<40))
        let copy = unit([7, 39])
        let forwardSide = unit([12], eventIsForward: true)
        let (out, newID) = try BTFDedup.deduplicate(t, baseCount: 0)
        let kept = Set((0..<40).map { newID[Int(first[$0]!.rawValue)] })
        XCTAssertEqual(kept.count, 40, "each look-alike union is its own type")
        XCTAssertEqual(newID[Int(copy[7]!.rawValue)], newID[Int(first[7]!.rawValue)])
        XCTAssertEqual(newID[Int(copy[39]!.rawValue)], newID[Int(first[39]!.rawValue)])
        XCTAssertEqual(newID[Int(forwardSide[12]!.rawValue)], newID[Int(first[12]!.rawValue)], "FWD trace_event ≡ struct trace_event")
        XCTAssertEqual(out.count, 1 + 1 + 40 + 40, "int, struct trace_event, 40 typedefs, 40 unions")
    }

    /// `IncrementalDedup.settle` then more reference types (a FUNC_PROTO, a FUNC, pointers to
    /// settled types, one equal to a settled pointer) then `finish` gives what one dedup of the
    /// whole table gives.
    func testSettleThenAppendEqualsOneDedup() throws {
        var s = StringInterner()
        var t = BTFTypeTable()
        let int = t.append(name: s.intern("int"), kind: .int, sizeOrType: 4, tail: [0x0100_0020])
        let fwd = t.append(name: s.intern("node"), kind: .forward, sizeOrType: 0)
        let p1 = t.append(name: .empty, kind: .pointer, sizeOrType: fwd.rawValue)
        t.append(name: s.intern("node"), kind: .structure, vlen: 1, sizeOrType: 8, tail: [s.intern("next").rawValue, p1.rawValue, 0])
        let int2 = t.append(name: s.intern("int"), kind: .int, sizeOrType: 4, tail: [0x0100_0020])
        t.append(name: .empty, kind: .const, sizeOrType: int2.rawValue)
        let settledCount = t.count
        var later = BTFTypeTable(firstID: UInt32(settledCount + 1))
        let proto = later.append(name: .empty, kind: .functionProto, vlen: 1, sizeOrType: int.rawValue, tail: [0, p1.rawValue])
        later.append(name: s.intern("f"), kind: .function, sizeOrType: proto.rawValue)
        later.append(name: .empty, kind: .pointer, sizeOrType: fwd.rawValue)         // equal to p1 once the FWD resolves
        later.append(name: .empty, kind: .pointer, sizeOrType: int2.rawValue)
        var whole = t
        whole.append(later) { $0 }
        let (oneOut, oneMap) = try BTFDedup.deduplicate(whole, baseCount: 0)

        var inc = IncrementalDedup(base: nil)
        inc.table.append(t) { $0 }
        try inc.advance()
        var steps: [String] = []
        try inc.settle { steps.append($0) }
        XCTAssertEqual(steps, ["forwards", "references"])
        inc.table.append(later) { $0 }
        let (incOut, incMap) = try inc.finish()
        XCTAssertEqual(incOut.words, oneOut.words)
        XCTAssertEqual(incMap, oneMap)
        XCTAssertEqual(oneOut.count, 7, "int, FWD-resolved struct node, its pointer, const, proto, func, pointer to int")
    }

    /// Enums as libbpf dedups them (the name is the hash): a forward enum is pointed at the first
    /// full enum of its name after it, a full enum takes the first equal one, anonymous enums
    /// with different enumerators stay apart, and a forward enum after a full one takes it.
    func testEnumsForwardAndAnonymous() throws {
        var s = StringInterner()
        var t = BTFTypeTable()
        func enumeration(_ name: String, _ values: [(String, Int32)]) -> TypeID {
            t.append(name: name.isEmpty ? .empty : s.intern(name), kind: .enumeration, vlen: values.count, sizeOrType: 4,
                     tail: values.flatMap { [s.intern($0.0).rawValue, UInt32(bitPattern: $0.1)] })
        }
        let f1 = enumeration("E", [])
        let a1 = enumeration("", [("X", 1)])
        let a2 = enumeration("", [("Y", 2)])
        let e2 = enumeration("E", [("A", 1)])
        let e3 = enumeration("E", [("A", 1)])
        let a3 = enumeration("", [("Y", 2)])
        let f4 = enumeration("E", [])
        let f5 = enumeration("G", [])
        let g6 = enumeration("G", [("B", 1)])
        let g7 = enumeration("G", [("B", 2)])
        let (out, newID) = try BTFDedup.deduplicate(t, baseCount: 0)
        func same(_ a: TypeID, _ b: TypeID) -> Bool { newID[Int(a.rawValue)] == newID[Int(b.rawValue)] }
        XCTAssertTrue(same(f1, e2), "the forward enum resolves to the full one after it")
        XCTAssertTrue(same(e3, e2))
        XCTAssertTrue(same(a3, a2))
        XCTAssertFalse(same(a1, a2))
        XCTAssertTrue(same(f4, e2), "a later forward enum takes the full one")
        XCTAssertTrue(same(f5, g6))
        XCTAssertFalse(same(g7, g6))
        XCTAssertEqual(out.count, 5, "E, two anonymous enums, two G")
    }

    /// An `IncrementalDedup` is a value: a copy taken between units and the original, each fed
    /// the rest in turn, both give the one-pass result (their scratch state is not shared).
    func testIncrementalDedupCopiesAreIndependent() throws {
        let file = try BTFFile(bytes: try BTFInput.readMaybeCompressed(Repo.testdata("kernel/vmlinux-6.1.btf.gz")))
        let one = BTFTypeTable(file)
        // Two "units": the kernel's types, then a copy of them (every struct meets its twin).
        var two = one
        two.append(one) { $0 }
        let (expected, expectedMap) = try BTFDedup.deduplicate(two, baseCount: 0)
        var a = IncrementalDedup(base: nil)
        a.table.append(one) { $0 }
        try a.advance()
        var b = a
        a.table.append(one) { $0 }
        b.table.append(one) { $0 }
        // Interleaved: each advance runs thousands of comparisons through the scratch lists.
        try b.advance()
        try a.advance()
        let (outA, mapA) = try a.finish()
        let (outB, mapB) = try b.finish()
        // (Compared whole, reported briefly: these arrays hold millions of words.)
        XCTAssertTrue(outA.words == expected.words, "the original: \(outA.count) types, one pass \(expected.count)")
        XCTAssertTrue(outB.words == expected.words, "the copy: \(outB.count) types, one pass \(expected.count)")
        XCTAssertTrue(mapA == expectedMap && mapB == expectedMap, "ID maps differ from one pass's")
    }
}
