import XCTest
import Foundation
import BTF
import SymbolVersions
import TestSupport

/// `symvers diff`: which versions changed, the shortest path to the root cause, grouped by cause.
final class DiffTests: XCTestCase {
    func diff(_ old: String, _ new: String, policy: KABIPolicy = KABIPolicy()) throws -> SymversDiff {
        let ob = try Fixture.btf(Fixture.path(old)), nb = try Fixture.btf(Fixture.path(new))
        return SymversDiff(old: try Fixture.versionSet(Fixture.path(old), btf: ob, policy: policy), oldBTF: ob,
                           new: try Fixture.versionSet(Fixture.path(new), btf: nb, policy: policy), newBTF: nb)
    }

    func testAMemberAddedIsOneCauseWithAPathPerSymbol() throws {
        let d = try diff("base", "member")
        XCTAssertEqual(d.causes.count, 1)
        let c = try XCTUnwrap(d.causes.first)
        XCTAssertEqual(c.key, "struct point")
        XCTAssertEqual(c.changes, ["size 8 → size 12", "member 'z' added: int at bit 64"])
        XCTAssertEqual(c.symbols.map(\.path), [["use_point", "struct point"], ["rename_me", "struct named", "struct point"]])
        XCTAssertEqual(d.changedCount, 2)
        XCTAssertTrue(d.text().contains("~ struct point: 2 symbols\n    size 8 → size 12\n    member 'z' added: int at bit 64\n"), d.text())
        XCTAssertTrue(d.text().hasSuffix("2 changed (1 root cause), 0 added, 0 removed\n"))
    }

    func testEachKindOfChangeIsDescribed() throws {
        XCTAssertEqual(try diff("base", "enum").causes.map(\.changes),
                       [["enumerator 'GREEN' changed: = 1 → = 5", "enumerator 'BLUE' changed: = 2 → = 6"]])
        XCTAssertEqual(try diff("base", "typedef").causes.map(\.key), ["typedef handle_t"])
        XCTAssertEqual(try diff("base", "typedef").causes.first?.changes, ["unsigned int → long unsigned int"])
        let param = try diff("base", "param")
        XCTAssertEqual(param.causes.map(\.key), ["prototype of scale"])
        XCTAssertEqual(param.causes.first?.changes, ["long int (long int x, int factor) → long int (long int x, long int factor)"])
        XCTAssertEqual(try diff("base", "name").causes.first?.changes, ["member 'count' removed (was int at bit 0)", "member 'renamed' added: int at bit 0"])
        XCTAssertTrue(try diff("base", "kabi", policy: KABIPolicy(stable: true)).isEmpty)
        XCTAssertTrue(try diff("base", "base").isEmpty)
    }

    /// With unit visibility, versions and paths stay inside what each exporting unit saw.
    func testUnitVisibilityDiff() throws {
        func unitDiff(_ old: String, _ new: String) throws -> SymversDiff {
            let ob = try Fixture.btf(Fixture.path(old)), nb = try Fixture.btf(Fixture.path(new))
            return SymversDiff(old: try Fixture.versionSet(Fixture.path(old), btf: ob, unitVisibility: true), oldBTF: ob,
                               new: try Fixture.versionSet(Fixture.path(new), btf: nb, unitVisibility: true), newBTF: nb)
        }
        XCTAssertTrue(try unitDiff("base", "hidden").isEmpty)
        let member = try unitDiff("base", "member")
        XCTAssertEqual(member.causes.map(\.key), ["struct point"])
        XCTAssertEqual(member.causes.first?.symbols.map(\.path), [["use_point", "struct point"], ["rename_me", "struct named", "struct point"]])
    }

    func testAddedAndRemovedExports() throws {
        let path = Fixture.path("base")
        let btf = try Fixture.btf(path)
        let all = try Fixture.exports(path).exports
        let fewer = SymbolVersionSet(btf: btf, exports: all.filter { $0.name != "walk" })
        let full = SymbolVersionSet(btf: btf, exports: all)
        let d = SymversDiff(old: fewer, oldBTF: btf, new: full, newBTF: btf)
        XCTAssertEqual(d.added.map(\.name), ["walk"])
        XCTAssertEqual(d.causes, [])
        let back = SymversDiff(old: full, oldBTF: btf, new: fewer, newBTF: btf)
        XCTAssertEqual(back.removed.map(\.name), ["walk"])
        XCTAssertTrue(back.text().contains("- walk (EXPORT_SYMBOL)\n"))
        XCTAssertTrue(d.json().contains("\"added\": [\"walk\"]"))
    }
}
