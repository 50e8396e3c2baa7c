import XCTest
import DWARF
import ObjectFile
import TestSupport

/// Random access into the DIE tree: the unit holding an offset, a cursor started at a DIE, and
/// references followed to their targets.
final class DIENavigationTests: XCTestCase {
    static let root = Repo.testdata("dwarf/")

    func testCursorAtEveryDIEAgreesWithTheWalk() throws {
        for name in ["gcc-dwarf5.o", "clang-dwarf5-types.o", "rust-dwarf5.o", "gcc-dwarf2.o"] {
            let dwarf = try ObjectFile.dwarf(path: DIENavigationTests.root + name)
            var checked = 0
            for unit in dwarf.units {
                var walk = try dwarf.cursor(for: unit)
                while let die = try walk.next() {
                    XCTAssertEqual(dwarf.unit(containing: die.offset, section: unit.section, piece: unit.piece), unit, "\(name) \(die.offset)")
                    var at = try dwarf.cursor(for: unit, at: die.offset)
                    let again = try XCTUnwrap(at.next())
                    XCTAssertEqual(again.tag, die.tag)
                    XCTAssertEqual(again.offset, die.offset)
                    XCTAssertEqual(Array(at.attributes), Array(walk.attributes))
                    // Every reference lands on a DIE of the file.
                    for a in walk.attributes {
                        guard let target = dwarf.referencedOffset(a, unit: unit) else { continue }
                        XCTAssertNotNil(dwarf.unit(containing: target, section: unit.section, piece: unit.piece), "\(name) \(die.offset) \(a.name)")
                    }
                    checked += 1
                }
            }
            XCTAssertGreaterThan(checked, 10, name)
        }
    }

    /// A cursor with an attribute filter returns the same DIEs, each with exactly the wanted
    /// attributes of the full decode (same order, values and offsets), whether the DIE's values
    /// have fixed sizes (picked where they are) or not (decoded in turn); `restart(at:)` drops
    /// the filter.
    func testAttributeFilterKeepsExactlyTheWantedAttributes() throws {
        let wanted: [DWARFAttribute] = [.name, .type, DWARFAttribute(0x0b), DWARFAttribute(0x38), DWARFAttribute(0x1c), DWARFAttribute(0x3f)]
        for name in ["gcc-dwarf5.o", "clang-dwarf5-types.o", "rust-dwarf5.o", "gcc-dwarf2.o"] {
            let dwarf = try ObjectFile.dwarf(path: DIENavigationTests.root + name)
            var compared = 0
            for unit in dwarf.units {
                var full = try dwarf.cursor(for: unit), picked = try dwarf.cursor(for: unit)
                picked.attributeFilter = AttributeFilter(wanted)
                while let die = try full.next() {
                    let same = try XCTUnwrap(try picked.next(), "\(name) \(die.offset)")
                    XCTAssertEqual(same, die)
                    XCTAssertEqual(Array(picked.attributes), full.attributes.filter { wanted.contains($0.name) }, "\(name) \(die.offset)")
                    compared += picked.attributes.count
                }
                XCTAssertNil(try picked.next())
                if let first = dwarf.units.first, first == unit {
                    try picked.restart(at: DIEOffset(unit.firstDIE))
                    var again = try dwarf.cursor(for: unit)
                    _ = try picked.next(); _ = try again.next()
                    XCTAssertEqual(Array(picked.attributes), Array(again.attributes), "no filter after restart")
                }
            }
            XCTAssertGreaterThan(compared, 10, name)
        }
    }

    /// A tag filter's `skipSubtree`: where a DIE with such a tag is not wanted, the walk returns
    /// it without children and none of its descendants; every other DIE comes back as in the full
    /// walk, at the same depth. Through `next()` and `step()`.
    func testSkippedSubtreesAreLeftOutWhole() throws {
        let lexicalBlock = DWARFTag(0x0b), subprogram = DWARFTag(0x2e)
        var filter = TagFilter()
        for t in 0..<0x10000 where t != 0x0b { filter.want(DWARFTag(UInt64(t))) }
        filter.want(subprogram, upToDepth: 0)               // no subprogram is wanted (they are at depth 1 or more)
        filter.skipSubtree(of: lexicalBlock)
        filter.skipSubtree(of: subprogram)
        XCTAssertTrue(filter.skipsSubtree(of: subprogram))
        XCTAssertFalse(filter.skipsSubtree(of: DWARFTag(0x13)))
        for name in ["gcc-dwarf5.o", "clang-dwarf5-types.o", "rust-dwarf5.o", "gcc-dwarf2.o"] {
            let dwarf = try ObjectFile.dwarf(path: DIENavigationTests.root + name)
            var skippedHeads = 0, leftOut = 0
            for unit in dwarf.units {
                // What the walk should return: the full walk without the skipped subtrees' insides.
                var expected: [DIEStepRecord] = []
                var full = try dwarf.cursor(for: unit)
                var insideUntilDepth: Int? = nil
                while let die = try full.next() {
                    if let d = insideUntilDepth, die.depth > d { leftOut += 1; continue }
                    insideUntilDepth = nil
                    let skipped = (die.tag == lexicalBlock || die.tag == subprogram) && die.hasChildren
                    if skipped { insideUntilDepth = die.depth; skippedHeads += 1 }
                    expected.append(DIEStepRecord(offset: die.offset.rawValue, depth: die.depth, tag: die.tag, hasChildren: die.hasChildren && !skipped))
                }
                var viaNext = try dwarf.cursor(for: unit), viaStep = try dwarf.cursor(for: unit)
                viaNext.filter = filter
                viaStep.filter = filter
                var got: [DIEStepRecord] = [], stepped: [DIEStepRecord] = []
                while let die = try viaNext.next() {
                    got.append(DIEStepRecord(offset: die.offset.rawValue, depth: die.depth, tag: die.tag, hasChildren: die.hasChildren))
                }
                while true {
                    let s = try viaStep.step()
                    if s.isEnd { break }
                    stepped.append(DIEStepRecord(offset: s.offset, depth: s.depth, tag: s.tag, hasChildren: s.hasChildren))
                }
                XCTAssertEqual(got, expected, "\(name) unit \(unit.offset)")
                XCTAssertEqual(stepped, expected, "\(name) unit \(unit.offset) via step()")
            }
            XCTAssertGreaterThan(skippedHeads, 0, name)
            XCTAssertGreaterThan(leftOut, skippedHeads, name)
        }
    }

    /// `skipChildren` lands on the same next DIE whether it follows DW_AT_sibling or, with the
    /// sibling not decoded (an attribute filter without it; clang writes none), steps over the
    /// children's bytes: checked for every DIE with children, on the four compiler fixtures.
    func testSkipChildrenWithoutSiblingLandsWhereTheWalkDoes() throws {
        for name in ["gcc-dwarf5.o", "clang-dwarf5-types.o", "rust-dwarf5.o", "gcc-dwarf2.o"] {
            let dwarf = try ObjectFile.dwarf(path: DIENavigationTests.root + name)
            var skipped = 0
            for unit in dwarf.units {
                var walk = try dwarf.cursor(for: unit)
                while let die = try walk.next() {
                    guard die.hasChildren, die.depth > 0 else { continue }
                    // Where the full walk goes after the subtree: the next DIE at the same depth or above.
                    var full = try dwarf.cursor(for: unit, at: die.offset)
                    _ = try full.next()
                    var after: DIE? = nil
                    while let d = try full.next() { if d.depth <= 0 { after = d; break } }
                    for sibling in [true, false] {
                        var c = try dwarf.cursor(for: unit, at: die.offset)
                        if !sibling { c.attributeFilter = AttributeFilter([.name]) }
                        let head = try XCTUnwrap(try c.next())
                        try c.skipChildren(of: head)
                        let next = try c.next()
                        XCTAssertEqual(next?.offset, after?.offset, "\(name) \(die.offset) sibling: \(sibling)")
                        XCTAssertEqual(next?.depth, after?.depth, "\(name) \(die.offset) sibling: \(sibling)")
                    }
                    skipped += 1
                }
            }
            XCTAssertGreaterThan(skipped, 3, name)
        }
    }

    struct DIEStepRecord: Equatable {
        var offset: Int, depth: Int, tag: DWARFTag, hasChildren: Bool
    }

    func testOffsetsOutsideUnitsAreRejected() throws {
        let dwarf = try ObjectFile.dwarf(path: DIENavigationTests.root + "gcc-dwarf5.o")
        let unit = try XCTUnwrap(dwarf.units.first)
        XCTAssertNil(dwarf.unit(containing: DIEOffset(unit.end + 10)))
        XCTAssertNil(dwarf.unit(containing: DIEOffset(unit.offset)))          // the header, not a DIE
        XCTAssertThrowsError(try dwarf.cursor(for: unit, at: DIEOffset(unit.end))) { e in
            XCTAssertTrue("\(e)".contains("outside the DIEs of the unit"), "\(e)")
        }
    }
}
