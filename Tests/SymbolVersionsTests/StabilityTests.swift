import XCTest
import BTF
import SymbolVersions
import TestSupport

/// The same types give the same versions whatever the BTF's type IDs and order, and whatever
/// the thread count of the encoder that made it.
final class StabilityTests: XCTestCase {
    /// The BTF with its types in reverse order (IDs renumbered, references rewritten).
    static func reversed(_ file: BTFFile) throws -> BTFFile {
        let count = file.typeCount
        func newID(_ old: TypeID) -> TypeID { old == .void ? .void : TypeID(UInt32(count) - old.rawValue) }
        var b = BTFBuilder()
        for old in (1..<UInt32(count)).reversed() {
            let t = try XCTUnwrap(try file.type(TypeID(old)))
            var builder = b
            let mapped = t.mapped(type: newID, string: { builder.string(file.string($0)) })
            b = builder
            _ = b.add(mapped)
        }
        return try BTFFile(bytes: b.build())
    }

    func testReorderingTheBTFChangesNoVersion() throws {
        for variant in ["base", "member", "kabi"] {
            let path = Fixture.path(variant)
            let btf = try Fixture.btf(path)
            let reversed = try StabilityTests.reversed(btf)
            XCTAssertEqual(reversed.typeCount, btf.typeCount)
            let a = Fixture.crcs(try Fixture.versionSet(path, btf: btf))
            let b = Fixture.crcs(try Fixture.versionSet(path, btf: reversed))
            XCTAssertEqual(a, b, variant)
            XCTAssertEqual(a.count, VariantTests.allSymbols.count)
            let stable = KABIPolicy(stable: true)
            XCTAssertEqual(Fixture.crcs(try Fixture.versionSet(path, btf: btf, policy: stable)),
                           Fixture.crcs(try Fixture.versionSet(path, btf: reversed, policy: stable)), variant)
        }
    }

    func testEncoderThreadCountChangesNoVersion() throws {
        for variant in ["base", "hidden"] {
            XCTAssertEqual(try Fixture.crcs(Fixture.path(variant), jobs: 1), try Fixture.crcs(Fixture.path(variant), jobs: 2), variant)
        }
    }

    /// A cycle (struct list_node ↔ struct owner) is hashed as one: both orders of the BTF agree,
    /// and the cycle is reported.
    func testCyclesAreHashedTogether() throws {
        let set = try Fixture.versionSet(Fixture.path("base"))
        XCTAssertEqual(set.statistics.cycles, 1)
        XCTAssertEqual(set.statistics.largestCycle, 2)
        XCTAssertTrue(set.definitionLines.contains { $0.hasPrefix("s#list_node struct list_node size(16) { ptr(s#list_node) next @0; ptr(s#owner) owner @64; }") },
                      set.definitionLines.joined(separator: "\n"))
    }
}
