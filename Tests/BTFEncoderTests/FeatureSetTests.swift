import XCTest
import BTFEncoder

/// `--btf-features` lists: btfkit's syntax and pahole 1.31's (docs/pahole-1.31-rules.md §1.3).
final class FeatureSetTests: XCTestCase {
    func parse(_ lists: [String], strict: Bool = false) throws -> (Set<BTFFeature>, [String]) {
        let r = try BTFFeatureSet.parse(lists, strict: strict)
        return (r.set.features, r.ignored.map(\.name))
    }

    func testBtfkitSyntax() throws {
        XCTAssertEqual(try parse([]).0, BTFFeatureSet.pahole124.features)
        XCTAssertEqual(try parse(["-float,global_var"]).0, BTFFeatureSet.pahole124.features.subtracting([.float]).union([.globalVar]))
        XCTAssertEqual(try parse(["none,float"]).0, [.float])
        XCTAssertEqual(try parse(["none", "+decl_tag_kfuncs", "var"]).0, [.declTagKfuncs, .variables])
        XCTAssertEqual(try parse(["all"]).0, BTFFeatureSet.all.features)
        XCTAssertEqual(try parse(["pahole-1.24"]).0, [.float, .variables, .declTag, .typeTag, .enum64])
        XCTAssertEqual(try parse(["pahole-default"]).0, BTFFeatureSet.paholeDefault.features)
        let (set, ignored) = try parse(["bogus, float ,layout"])
        XCTAssertTrue(set.contains(.float) && set.contains(.layout))
        XCTAssertEqual(ignored, ["bogus"])
        XCTAssertThrowsError(try parse(["bogus"], strict: true)) { e in
            XCTAssertEqual((e as? UnknownBTFFeature)?.name, "bogus")
        }
        XCTAssertTrue(BTFFeature.allCases.allSatisfy(\.isImplemented), "every pahole 1.31 feature (and layout) is implemented")
    }

    func testPaholeSyntax() throws {
        func pahole(_ lists: [String], strict: Bool = false) throws -> Set<BTFFeature> { try BTFFeatureSet.parsePahole(lists, strict: strict).set.features }
        let defaults = BTFFeatureSet.paholeDefault.features.filter(\.isImplemented)
        // The kernel's 6.12 list: exactly these, which is pahole's default.
        XCTAssertEqual(try pahole(["encode_force,var,float,enum64,decl_tag,type_tag,optimized_func,consistent_func,decl_tag_kfuncs"]),
                       [.encodeForce, .variables, .float, .enum64, .declTag, .typeTag, .optimizedFunc, .consistentFunc, .declTagKfuncs])
        XCTAssertEqual(defaults, BTFFeatureSet.paholeDefault.features)
        XCTAssertEqual(try pahole(["default"]), defaults)
        XCTAssertEqual(try pahole(["+global_var"]), defaults.union([.globalVar]))
        XCTAssertEqual(try pahole(["default,global_var"]), defaults.union([.globalVar]))
        XCTAssertEqual(try pahole(["float", "var"]), [.float, .variables], "several lists add up")
        XCTAssertEqual(try pahole(["float,-var"]), [.float], "pahole has no '-': an unknown item")
        XCTAssertEqual(try pahole(["all"]), [], "'all' is not special since pahole 1.27")
        XCTAssertEqual(try pahole(["nested_arrays"]), [], "btfkit's own names are not pahole's")
        XCTAssertThrowsError(try pahole(["float,bogus"], strict: true))
    }

    func testOptionsFollowTheSet() {
        let o = EncoderOptions(features: BTFFeatureSet([.float, .declTag, .declTagKfuncs]))
        XCTAssertTrue(o.floats && o.declTags && o.declTagKfuncs)
        XCTAssertFalse(o.enum64 || o.typeTags || o.perCPUVariables || o.globalVariables)
        XCTAssertEqual(EncoderOptions().features, BTFFeatureSet.pahole124, "the default options are pahole 1.24's set")
    }
}
