import XCTest
import DWARF
import ObjectFile
import TestSupport

/// Location descriptions (DWARF 5 §2.6): single expressions and lists, `.debug_loclists` (DWARF 5)
/// and `.debug_loc` (DWARF 2–4), read as an array or visited in place with an early stop.
final class LocationListTests: XCTestCase {
    func testVisitingEqualsTheArrayAndStopsWhenAsked() throws {
        // .debug_loclists (DWARF 5), .debug_loc through sec_offset (DWARF 4) and data4 (DWARF 2/3).
        for name in ["dwarf/gcc-dwarf5.o", "dwarf/clang-dwarf5.o", "encoder/shapes-clang-dwarf4-O2.o", "dwarf/gcc-dwarf3.o"] {
            let dwarf = try ObjectFile.dwarf(path: Repo.testdata(name))
            var lists = 0, longLists = 0
            for unit in dwarf.units {
                var c = try dwarf.cursor(for: unit)
                while try c.next() != nil {
                    for a in c.attributes where a.name == DWARFAttribute(0x02) {       // DW_AT_location
                        let all = try dwarf.locationExpressions(a.value, unit: unit)
                        var visited: [DWARFFile.LocationExpression] = []
                        try dwarf.forEachLocationExpression(a.value, unit: unit) { visited.append($0); return true }
                        XCTAssertEqual(visited, all, "\(name) \(a.offset)")
                        var first: [DWARFFile.LocationExpression] = []
                        try dwarf.forEachLocationExpression(a.value, unit: unit) { first.append($0); return false }
                        XCTAssertEqual(first, Array(all.prefix(1)), "\(name) \(a.offset): stops after the first")
                        let capped = try dwarf.locationExpressions(a.value, unit: unit, limit: 1)
                        XCTAssertEqual(capped, Array(all.prefix(1)))
                        switch a.value {
                        case .exprloc, .block: break
                        default: lists += 1
                        }
                        if all.count > 1 { longLists += 1 }
                    }
                }
            }
            XCTAssertGreaterThan(lists, 0, "\(name) has location lists")
            XCTAssertGreaterThan(longLists, 0, "\(name) has lists of several expressions")
        }
    }
}
