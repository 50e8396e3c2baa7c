import XCTest
import Foundation
import BTF
import SymbolVersions
import TestSupport

/// Two builds of one C file that differ by one thing each: exactly the symbols that reach the
/// change get a new version, and no other.
final class VariantTests: XCTestCase {
    static let allSymbols: Set<String> = ["use_point", "get_color", "make_handle", "scale", "rename_me", "kabi_user",
                                         "walk", "stable_fn", "exported_counter", "peek"]

    func testEachChangeChangesExactlyTheSymbolsThatReachIt() throws {
        try checkVariants(in: Repo.testdata("symvers"))
    }

    /// The same with objects gcc builds now (testdata/symvers/build.sh), when gcc is here.
    func testFreshlyCompiledVariantsAgree() throws {
        guard ExternalTool.find("gcc") != nil else { throw XCTSkip("gcc not found: the committed objects were checked, fresh ones not built") }
        let dir = NSTemporaryDirectory() + "btfkit-symvers-fresh-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try ExternalTool.capture("/bin/bash", [Repo.testdata("symvers/build.sh"), dir])
        XCTAssertEqual(r.status, 0, String(decoding: r.err, as: UTF8.self))
        try checkVariants(in: dir)
    }

    func checkVariants(in dir: String) throws {
        let base = try Fixture.crcs(Fixture.path("base", in: dir))
        XCTAssertEqual(Set(base.keys), VariantTests.allSymbols, "every export versioned, the variable too (global_var)")
        let expected: [String: Set<String>] = [
            "member": ["use_point", "rename_me"],        // struct point grows; struct named points to it
            "enum": ["get_color", "walk"],               // enum color; struct owner has one
            "typedef": ["make_handle"],                  // handle_t: unsigned int → unsigned long
            "param": ["scale"],                          // int factor → long factor
            "name": ["rename_me"],                       // struct named: count → renamed, same layout
            "kabi": ["kabi_user"],                       // KABI_USE without --stable is a change
            "hidden": ["peek"],                          // struct hidden_in_header, seen through a pointer
        ]
        for variant in Fixture.variants {
            let crcs = try Fixture.crcs(Fixture.path(variant, in: dir))
            XCTAssertEqual(Set(crcs.keys), VariantTests.allSymbols, variant)
            XCTAssertEqual(Fixture.changed(base, crcs), expected[variant], variant)
        }
    }

    func testStableModeKeepsTheVersionWhenAReservedSlotIsUsed() throws {
        let stable = KABIPolicy(stable: true)
        let base = try Fixture.crcs(Fixture.path("base"), policy: stable)
        let kabi = try Fixture.crcs(Fixture.path("kabi"), policy: stable)
        XCTAssertEqual(Fixture.changed(base, kabi), [], "KABI_USE(1, int replacement) replaces KABI_RESERVE(1)")
        // --stable does not hide real changes.
        XCTAssertEqual(Fixture.changed(base, try Fixture.crcs(Fixture.path("member"), policy: stable)), ["use_point", "rename_me"])
        // The KABI_IGNORE'd member never counts: its union is left out of the spelling.
        let set = try Fixture.versionSet(Fixture.path("base"), policy: stable)
        let line = set.definitionLines.first { $0.hasPrefix("s#kabi_struct ") } ?? ""
        XCTAssertFalse(line.contains("ignored_slot"), line)
        XCTAssertFalse(line.contains("__kabi_"), "__kabi_ names are spelled without their name: \(line)")
    }

    func testUnitVisibilityStopsAtTypesTheExportingUnitOnlyDeclares() throws {
        let base = try Fixture.crcs(Fixture.path("base"), unitVisibility: true)
        let hidden = try Fixture.crcs(Fixture.path("hidden"), unitVisibility: true)
        XCTAssertEqual(Fixture.changed(base, hidden), [], "exports.c only declares struct hidden_in_header, as genksyms would see it")
        let member = try Fixture.crcs(Fixture.path("member"), unitVisibility: true)
        XCTAssertEqual(Fixture.changed(base, member), ["use_point", "rename_me"], "types the unit has from its headers still count")
    }

    func testRulesDeclareOnlyAndFixEnumerators() throws {
        var rules = KABIRules()
        try rules.add(text: """
            # a comment, then the rules
            declonly point
            enumerator_value color GREEN 1
            enumerator_value color BLUE 2
            """, path: "rules.txt")
        let policy = KABIPolicy(stable: true, rules: rules)
        let base = try Fixture.crcs(Fixture.path("base"), policy: policy)
        XCTAssertEqual(Fixture.changed(base, try Fixture.crcs(Fixture.path("member"), policy: policy)), [], "struct point is declared only")
        XCTAssertEqual(Fixture.changed(base, try Fixture.crcs(Fixture.path("enum"), policy: policy)), [], "GREEN and BLUE keep their old values")
        // Rules change versions themselves: a rule is an ABI decision.
        XCTAssertNotEqual(base["use_point"], try Fixture.crcs(Fixture.path("base"))["use_point"])

        var ignore = KABIRules()
        try ignore.add(text: "enumerator_ignore color BLUE\nbyte_size point 8\n", path: "r")
        let withIgnore = try Fixture.crcs(Fixture.path("base"), policy: KABIPolicy(rules: ignore))
        let set = try Fixture.versionSet(Fixture.path("base"), policy: KABIPolicy(rules: ignore))
        XCTAssertFalse((set.definitionLines.first { $0.hasPrefix("e#color ") } ?? "BLUE").contains("BLUE"))
        XCTAssertEqual(withIgnore.count, VariantTests.allSymbols.count)
    }

    func testTypeStringRuleReplacesADefinition() throws {
        var rules = KABIRules()
        try rules.add(text: "type_string s#point struct point { int x ; int y ; }\n", path: "r")
        let policy = KABIPolicy(rules: rules)
        let base = try Fixture.crcs(Fixture.path("base"), policy: policy)
        XCTAssertEqual(Fixture.changed(base, try Fixture.crcs(Fixture.path("member"), policy: policy)), [])
        let set = try Fixture.versionSet(Fixture.path("base"), policy: policy)
        XCTAssertTrue(set.definitionLines.contains("s#point struct point { int x ; int y ; }"))
    }
}
