import XCTest
import Foundation
import BTF
import ELF
@testable import BTFEncoder
import BTFFormat
import TestSupport

/// pahole 1.31's rules (`FunctionRules`, `KfuncSets`, variables) judged by pahole 1.31 itself:
/// its output for the committed fixtures (testdata/encoder/rules, made by the command in each
/// reference file's first lines) must equal ours line for line, and the kernel must accept ours.
final class Pahole131RulesTests: XCTestCase {
    static let cases: [(object: String, features: String, reference: String)] = [
        ("rules/rules-gcc", "pahole-default", "rules/rules-gcc.default.pahole-1.31.txt"),
        ("rules/rules-gcc", "pahole-default,global_var", "rules/rules-gcc.default,global_var.pahole-1.31.txt"),
        ("rules/rules-gcc-rel.o", "pahole-default", "rules/rules-gcc-rel.o.default.pahole-1.31.txt"),
        ("rules/rules-gcc-rel.o", "pahole-default,global_var", "rules/rules-gcc-rel.o.default,global_var.pahole-1.31.txt"),
        ("kfuncs-gcc.o", "pahole-default", "kfuncs-gcc.pahole-1.31.txt"),
        ("kfuncs-bad-gcc.o", "pahole-default", "kfuncs-bad-gcc.pahole-1.31.txt"),
        ("kfuncs-arena-gcc.o", "pahole-default,attributes", "kfuncs-arena-gcc.pahole-1.31.txt"),
    ]

    func encode(_ object: String, features: String) throws -> EncodeResult {
        let set = try BTFFeatureSet.parse(["none," + features], strict: true).set
        return try Encoder.encode(path: Repo.testdata("encoder/" + object), options: EncoderOptions(features: set))
    }

    func testOutputEqualsPahole131() throws {
        var kernelJudged = true
        for c in Pahole131RulesTests.cases {
            let r = try encode(c.object, features: c.features)
            var out = TextOutput()
            RawDumper(try BTFFile(bytes: r.blob)).dump(into: &out)
            let reference = try String(contentsOfFile: Repo.testdata("encoder/" + c.reference), encoding: .utf8)
                .split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("#") }.joined(separator: "\n")
            XCTAssertEqual(out.string, reference, "\(c.object) with \(c.features)")
            XCTAssertNil(KernelValidator(bytes: r.blob).validate(), c.object)
            let v = KernelLoader.load(r.blob)
            if !v.accepted && v.errno == 1 { kernelJudged = false } else {
                XCTAssertTrue(v.accepted, "\(c.object): \(v.logTail.joined(separator: " | "))")
            }
        }
        if !kernelJudged { print("Pahole131RulesTests: BPF_BTF_LOAD needs root; kernel judge skipped") }
    }

    /// Each rule is named in --stats with its function.
    func testDecisionsAreCountedByRule() throws {
        let r = try encode("rules/rules-gcc", features: "pahole-default")
        XCTAssertEqual(r.report.examples["consistent_func: function dropped, prototypes differ between units"], "helper")
        XCTAssertEqual(r.report.examples["consistent_func: function dropped, a packed struct passed on the stack"], "many_args")
        XCTAssertEqual(r.report.counts["optimized_func: function found through a suffixed symbol only (.isra/.constprop/...)"], 2)
        // Without consistent_func every function is kept (pahole's add-all path).
        let kept = try encode("rules/rules-gcc", features: "optimized_func")
        var out = TextOutput()
        RawDumper(try BTFFile(bytes: kept.blob)).dump(into: &out)
        for name in ["helper", "many_args", "scale", "first_field", "maybe", "by_value"] {
            XCTAssertTrue(out.string.contains("FUNC '\(name)'"), name)
        }
    }

    /// pahole 1.24's set stays what it was: clones find nothing, the first unit's helper wins.
    func testPahole124SetKeepsItsRules() throws {
        let r = try encode("rules/rules-gcc", features: "pahole-1.24")
        var out = TextOutput()
        RawDumper(try BTFFile(bytes: r.blob)).dump(into: &out)
        XCTAssertFalse(out.string.contains("FUNC 'scale'"))
        XCTAssertTrue(out.string.contains("FUNC 'helper'"))
        XCTAssertTrue(out.string.contains("FUNC 'many_args'"))
    }

    /// attributes: the arena type tags carry kind_flag 1 (bpftool's text can't show it); a flag on
    /// a non-pointer is counted, not fatal (pahole fails the whole encoding there).
    func testArenaAttributes() throws {
        let r = try encode("kfuncs-arena-gcc.o", features: "pahole-default,attributes")
        let btf = try BTFFile(bytes: r.blob)
        let tags = btf.typeIDs(ofKind: .typeTag)
        XCTAssertEqual(tags.count, 3)
        for id in tags { XCTAssertEqual(btf.record(id)?.info.kindFlag, true); XCTAssertEqual(btf.name(of: id), "address_space(1)") }
        let plain = try encode("kfuncs-arena-gcc.o", features: "pahole-default")
        XCTAssertTrue(try BTFFile(bytes: plain.blob).typeIDs(ofKind: .typeTag).isEmpty, "attributes is off by default")
        let bad = try encode("kfuncs-arena-bad-gcc.o", features: "pahole-default,attributes")
        XCTAssertEqual(bad.report.examples["attributes: KF_ARENA_* flag on a type that is not a pointer (left alone; pahole fails)"], "kf_arena_bad")
    }

    /// layout: a 32-byte header and the kind-layout table between types and strings (btf-spec
    /// §1.7); the types are the same; never for split BTF.
    func testKindLayoutSection() throws {
        let plain = try encode("rules/rules-gcc", features: "pahole-default")
        let laid = try encode("rules/rules-gcc", features: "pahole-default,layout")
        let a = try BTFFile(bytes: plain.blob), b = try BTFFile(bytes: laid.blob)
        XCTAssertEqual(b.header.headerLength, 32)
        XCTAssertEqual(b.header.layoutLength, 80)
        XCTAssertEqual(b.header.layoutOffset, b.header.typeLength)
        XCTAssertEqual(a.typeCount, b.typeCount)
        var x = TextOutput(), y = TextOutput()
        RawDumper(a).dump(into: &x)
        RawDumper(b).dump(into: &y)
        XCTAssertEqual(x.string, y.string)
        // The table's bytes: INT 4/0, STRUCT 0/12, ENUM64 0/12.
        let table = Array(laid.blob[(32 + Int(b.header.layoutOffset))...].prefix(80))
        XCTAssertEqual(Array(table[4..<6]), [4, 0])
        XCTAssertEqual(Array(table[16..<18]), [0, 12])
        XCTAssertEqual(Array(table[76..<78]), [0, 12])
        let split = try Encoder.encode(path: Repo.testdata("encoder/kfuncs-gcc.o"), base: a,
                                       options: EncoderOptions(features: BTFFeatureSet.parse(["none,pahole-default,layout"], strict: true).set))
        XCTAssertEqual(try BTFFile(bytes: split.blob, base: a).header.headerLength, 24, "split BTF never gets the layout section")
    }

    func testRegisterRuleByMachine() {
        XCTAssertEqual(ParameterRegisters(machine: 62).expected, [5, 4, 1, 2, 8, 9])
        XCTAssertEqual(ParameterRegisters(machine: 183).expected, Array(0...7))
        XCTAssertEqual(ParameterRegisters(machine: 243).expected, Array(repeating: -1, count: 8))
        XCTAssertEqual(ParameterRegisters(machine: 0x1234).expected, [])
    }

    /// The function table from the symbols' bytes: a clone's key is its name up to the first
    /// `.`, found by the key's text or bytes; `.cold`/`.part` pieces have no key; an address
    /// that differs between a key's symbols makes it ambiguous (two static `helper`s here); keys
    /// sort in strcmp order.
    func testFunctionTableKeys() throws {
        let elf = try ELFFile(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: Repo.testdata("encoder/rules/rules-gcc")))))
        let symbols = try XCTUnwrap(try ELFSymbolTable(elf: elf))
        let table = ELFFunctionTable(symbols: symbols)
        let keys = table.entries.indices.map { table.key($0) }
        XCTAssertEqual(Set(keys), ["helper", "scale", "first_field", "maybe", "many_args", "_start", "use_a", "by_value", "use_b"])
        XCTAssertEqual(keys.count, Set(keys).count, "one entry per key")
        let scale = try XCTUnwrap(table.number(of: "scale"))
        XCTAssertEqual(table.firstClone(Int(scale.index)), "scale.constprop.0")
        XCTAssertFalse(table.entries[Int(scale.index)].hasExactSymbol)
        var text = "first_field"
        XCTAssertEqual(text.withUTF8 { table.number(ofBytes: $0) }, table.number(of: "first_field"))
        XCTAssertNil(table.number(of: "scale.constprop.0"))
        XCTAssertNil(table.number(of: "nothing"))
        let helper = try XCTUnwrap(table.number(of: "helper"))
        XCTAssertTrue(table.entries[Int(helper.index)].ambiguous, "two static helpers at two addresses")
        XCTAssertNil(table.firstClone(Int(helper.index)))
        let order = ELFFunctionTable.strcmpOrder(Array(table.entries.indices), table).map { table.key($0) }
        XCTAssertEqual(order, keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
        func keyLength(_ s: String) -> Int? { var s = s; return s.withUTF8 { ELFFunctionTable.keyLength(of: $0) } }
        XCTAssertEqual(keyLength("f.cold.1"), nil)
        XCTAssertEqual(keyLength("f.isra.0.part.2"), nil)
        XCTAssertEqual(keyLength("f.llvm.77"), 1)
        XCTAssertEqual(keyLength("plain"), 5)
    }
}
