import XCTest
import Foundation
import BTF
import BTFFormat

final class JSONDumperTests: XCTestCase {
    func json(_ btf: BTFFile) throws -> [[String: Any]] {
        var out = TextOutput()
        JSONDumper(btf).dump(into: &out)
        let obj = try JSONSerialization.jsonObject(with: Data(out.bytes)) as? [String: Any]
        XCTAssertEqual(obj?["format"] as? String, "btfkit-btf")
        XCTAssertEqual(obj?["version"] as? Int, 2)
        return obj?["types"] as? [[String: Any]] ?? []
    }

    /// Same content as `bpftool -j btf dump`, except the documented differences: anonymous names
    /// are null (bpftool: "(anon)"), tags carry "kind_flag", sized types carry "resolved_size" and
    /// "alignment", members "byte_offset" and "resolved_size", and unsigned 32-bit ENUM values are
    /// printed correctly (bpftool 7.1 sign-extends values >= 2^31 to 64 bits; docs/json-schema.md).
    func compare(_ ours: [[String: Any]], _ theirs: [[String: Any]], _ what: String) {
        XCTAssertEqual(ours.count, theirs.count, what)
        for (a, b) in zip(ours, theirs) {
            var a = a
            var b = b
            if b["kind"] as? String == "ENUM", b["encoding"] as? String == "UNSIGNED", let values = b["values"] as? [[String: Any]] {
                b["values"] = values.map { v -> [String: Any] in
                    var v = v
                    if let n = v["val"] as? NSNumber, n.uint64Value > UInt64(UInt32.max) { v["val"] = NSNumber(value: n.uint64Value & 0xffff_ffff) }
                    return v
                }
            }
            if a["name"] is NSNull { a["name"] = "(anon)" }
            for key in ["members", "params", "values"] {
                if let list = a[key] as? [[String: Any]] {
                    a[key] = list.map { m -> [String: Any] in
                        var m = m
                        if m["name"] is NSNull { m["name"] = "(anon)" }
                        if key == "members" {       // our derived layout keys (docs/json-schema.md)
                            XCTAssertTrue(m["resolved_size"] != nil || m["bitfield_size"] != nil, what)
                            m.removeValue(forKey: "byte_offset"); m.removeValue(forKey: "resolved_size")
                        }
                        return m
                    }
                }
            }
            a.removeValue(forKey: "resolved_size")
            a.removeValue(forKey: "alignment")
            a.removeValue(forKey: "kind_flag")
            if !NSDictionary(dictionary: a).isEqual(to: b) {
                return XCTFail("\(what): type \(b["id"] ?? "?") differs: ours \(a) bpftool \(b)")
            }
        }
    }

    func testMatchesBpftoolJSON() throws {
        let bpftool = try ExternalTool.require("bpftool", package: "bpftool")
        let obj = FormatFixtures.path("bpf/core_demo.bpfel.o")
        let theirs = try JSONSerialization.jsonObject(with: try ExternalTool.run(bpftool, ["-j", "btf", "dump", "file", obj])) as? [String: Any]
        compare(try json(try BTFFile(contentsOf: obj)), theirs?["types"] as? [[String: Any]] ?? [], "core_demo")
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("btfkit-json-\(getpid()).btf")
        defer { try? FileManager.default.removeItem(at: tmp) }
        let btf = try BTFFile(contentsOf: FormatFixtures.path("kernel/vmlinux-6.18.btf.gz"))
        try Data(btf.data.bytes).write(to: tmp)
        let kernel = try JSONSerialization.jsonObject(with: try ExternalTool.run(bpftool, ["-j", "btf", "dump", "file", tmp.path])) as? [String: Any]
        compare(try json(btf), kernel?["types"] as? [[String: Any]] ?? [], "vmlinux-6.18")
    }

    func testSchemaFieldsWithoutBpftool() throws {
        let types = try json(try BTFFile(contentsOf: FormatFixtures.path("bpf/core_demo.bpfel.o")))
        XCTAssertEqual(types.count, 32)
        let s = try XCTUnwrap(types.first { $0["name"] as? String == "demo_task" })
        XCTAssertEqual(s["kind"] as? String, "STRUCT")
        let members = try XCTUnwrap(s["members"] as? [[String: Any]])
        XCTAssertEqual(members[2]["bitfield_size"] as? Int, 5)
        XCTAssertEqual(members[2]["bits_offset"] as? Int, 35)
        let tag = try XCTUnwrap(types.first { $0["kind"] as? String == "TYPE_TAG" })
        XCTAssertEqual(tag["kind_flag"] as? Int, 0)
        XCTAssertTrue(types[0]["name"] is NSNull)
    }

    func testStringEscaping() {
        var out = TextOutput()
        out.jsonString(Array("a\"b\\c\n\t\u{1}".utf8) + [0xff])
        XCTAssertEqual(out.string, "\"a\\\"b\\\\c\\n\\t\\u0001\u{FFFD}\"")
    }
}
