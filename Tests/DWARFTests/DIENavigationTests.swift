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
