import XCTest
import Foundation
import TestSupport

/// `btfkit symvers` and `btfkit symvers diff` as users run them.
final class SymversCLITests: XCTestCase {
    let cli = BTFKitCLI()
    func fixture(_ v: String) -> String { Repo.testdata("symvers/symvers-\(v).so") }

    func testFormats() throws {
        let symvers = try cli.run(["symvers", fixture("base")])
        XCTAssertEqual(symvers.status, 0, symvers.err)
        let lines = symvers.out.split(separator: "\n")
        XCTAssertEqual(lines.count, 10)
        XCTAssertTrue(lines.contains { $0.hasSuffix("\tkabi_user\tvmlinux\tEXPORT_SYMBOL_GPL\tTESTNS") }, symvers.out)
        XCTAssertTrue(lines.allSatisfy { $0.hasPrefix("0x") && $0.split(separator: "\t", omittingEmptySubsequences: false).count == 5 })

        let gd = try cli.run(["symvers", fixture("base"), "--format", "gendwarfksyms", "--module", "fixture"])
        XCTAssertEqual(gd.out.split(separator: "\n").count, 10)
        XCTAssertTrue(gd.out.hasPrefix("#SYMVER "))
        // Both formats carry the same CRCs.
        for line in lines {
            let f = line.split(separator: "\t")
            XCTAssertTrue(gd.out.contains("#SYMVER \(f[1]) \(f[0])\n"), String(line))
        }
        let json = try cli.run(["symvers", fixture("base"), "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any]
        XCTAssertEqual((object?["symbols"] as? [Any])?.count, 10)

        let dir = NSTemporaryDirectory() + "btfkit-symvers-cli-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let written = try cli.run(["symvers", fixture("base"), "-o", dir + "/Module.symvers", "--symtypes", dir + "/x.symtypes"])
        XCTAssertEqual(written.status, 0, written.err)
        XCTAssertEqual(try String(contentsOfFile: dir + "/Module.symvers", encoding: .utf8), symvers.out)
        let symtypes = try String(contentsOfFile: dir + "/x.symtypes", encoding: .utf8)
        XCTAssertTrue(symtypes.contains("s#point struct point size(8) { base(int size(4) signed) x @0; base(int size(4) signed) y @32; }\n"), symtypes)
        XCTAssertTrue(symtypes.contains("use_point func(base(int size(4) signed); ptr(s#point)) = 0x"), symtypes)

        // A name list; unknown names are listed, not versioned.
        try "use_point\nno_such_symbol\n".write(toFile: dir + "/list", atomically: true, encoding: .utf8)
        let listed = try cli.run(["symvers", fixture("base"), "--symbols", dir + "/list", "--stats"])
        XCTAssertEqual(listed.out.split(separator: "\n").count, 1)
        XCTAssertTrue(listed.err.contains("unversioned: no_such_symbol: no BTF FUNC or VAR"), listed.err)
        // The output may not be an input.
        let clobber = try cli.run(["symvers", fixture("base"), "-o", fixture("base")])
        XCTAssertEqual(clobber.status, 64)
    }

    func testExpandPrintsEachReachedDefinitionOnce() throws {
        let r = try cli.run(["symvers", fixture("base"), "--expand", "walk"])
        XCTAssertEqual(r.status, 0, r.err)
        let lines = r.out.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 4)
        XCTAssertTrue(lines[0].hasPrefix("walk func(base(int size(4) signed); ptr(s#owner)) = 0x"))
        XCTAssertEqual(Array(lines.dropFirst().map { $0.prefix { $0 != " " } }), ["s#owner", "s#list_node", "e#color"])
        let unit = try cli.run(["symvers", fixture("base"), "--expand", "peek", "--visibility", "unit"])
        XCTAssertTrue(unit.out.hasSuffix("s#hidden_in_header struct hidden_in_header {declared}\n"), unit.out)
        XCTAssertEqual(try cli.run(["symvers", fixture("base"), "--expand", "nope"]).status, 1)
    }

    func testDiffExitStatusAndReport() throws {
        let same = try cli.run(["symvers", "diff", fixture("base"), fixture("base")])
        XCTAssertEqual(same.status, 0)
        XCTAssertEqual(same.out, "0 changed (0 root causes), 0 added, 0 removed\n")
        let member = try cli.run(["symvers", "diff", fixture("base"), fixture("member")])
        XCTAssertEqual(member.status, 1)
        XCTAssertTrue(member.out.hasPrefix("~ struct point: 2 symbols\n    size 8 → size 12\n    member 'z' added: int at bit 64\n"), member.out)
        XCTAssertTrue(member.out.contains(": rename_me → struct named → struct point\n"), member.out)
        let stable = try cli.run(["symvers", "diff", fixture("base"), fixture("kabi"), "--stable"])
        XCTAssertEqual(stable.status, 0, stable.out)
        let unit = try cli.run(["symvers", "diff", fixture("base"), fixture("hidden"), "--visibility", "unit"])
        XCTAssertEqual(unit.status, 0, unit.out)
        let missing = try cli.run(["symvers", "diff", fixture("base"), "/nonexistent"])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.err.contains("/nonexistent"), missing.err)
    }

    func testBadRulesFileNamesTheLine() throws {
        let path = NSTemporaryDirectory() + "btfkit-rules-\(UUID().uuidString)"
        try "declonly point\nbyte_size point eight\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try cli.run(["symvers", fixture("base"), "--kabi-rules", path])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.err.contains("\(path):2: byte_size: 'eight' is not a decimal size"), r.err)
    }
}
