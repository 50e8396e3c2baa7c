import XCTest
import Foundation
import BTF
import BTFEncoder
import BTFFormat
import TestSupport

/// Layout truth for Rust: testdata/rust/layout.rs prints `size_of` and `offset_of!` for its types;
/// the BTF we encode from the same binary's DWARF must say the same, and load in the kernel, for
/// rustc at DWARF 4 and 5, opt-level 0 and 2, codegen-units 1 and 4.
final class RustLayoutTests: XCTestCase {
    func testBTFMatchesRustLayouts() throws {
        let rustc = try ExternalTool.require("rustc", package: "rustc")
        let dir = NSTemporaryDirectory() + "btfkit-rl-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var kernelJudged = true
        for opt in [0, 2] {
            for units in [1, 4] {
                for dwarf in [4, 5] {
                    let bin = "\(dir)/layout-\(opt)-\(units)-\(dwarf)"
                    let build = try ExternalTool.capture(rustc, ["--edition", "2021", "-g", "-C", "opt-level=\(opt)", "-C", "codegen-units=\(units)",
                                                                 "-C", "dwarf-version=\(dwarf)", Repo.testdata("rust/layout.rs"), "-o", bin])
                    XCTAssertEqual(build.status, 0, String(decoding: build.err, as: UTF8.self))
                    let truth = String(decoding: try ExternalTool.run(bin, []), as: UTF8.self)
                    let result = try Encoder.encode(path: bin, options: EncoderOptions())
                    // References between codegen units point at the real types (no opaque stand-ins).
                    XCTAssertNil(result.report.counts.first { $0.key.contains("opaque struct") }, "\(bin): \(result.report.counts)")
                    XCTAssertNil(KernelValidator(bytes: result.blob).validate(), bin)
                    let v = KernelLoader.load(result.blob)
                    if !v.accepted && v.errno == 1 { kernelJudged = false } else {
                        XCTAssertTrue(v.accepted, "\(bin): kernel rejected: \(v.logTail.joined(separator: " | "))")
                    }
                    try check(truth, against: try BTFFile(bytes: result.blob), what: bin)
                    try clangAgrees(truth, btf: try BTFFile(bytes: result.blob), what: bin, dir: dir)
                }
            }
        }
        if !kernelJudged { throw XCTSkip("BPF_BTF_LOAD needs root (EPERM); layouts and validator checked, kernel judge skipped") }
    }

    func check(_ truth: String, against btf: BTFFile, what: String) throws {
        var checked = 0
        for line in truth.split(separator: "\n") {
            let parts = line.split(separator: " ")
            guard parts.count == 3 || parts.count == 2 else { continue }
            let expected = UInt64(parts[parts.count - 1]) ?? UInt64.max
            if parts.count == 3, parts[1] == "size" {
                let candidates = btf.typeIDs(named: NamePolicy.escape(String(parts[0])))
                let sizes = candidates.compactMap { try? btf.resolvedSize($0) }
                XCTAssertTrue(sizes.contains(expected), "\(what): \(parts[0]) is \(expected) bytes; BTF has \(sizes)")
            } else if parts.count == 2, let dot = parts[0].lastIndex(of: ".") {
                let typeName = NamePolicy.escape(String(parts[0][..<dot]))
                var field = String(parts[0][parts[0].index(after: dot)...])
                if field.hasPrefix("r#") { field.removeFirst(2) }                  // raw identifiers
                if field.first?.isNumber == true { field = "__" + field }          // tuple fields
                var offsets: [UInt64] = []
                for id in btf.typeIDs(named: typeName) {
                    guard let t = try? btf.type(id) else { continue }
                    switch t {
                    case .structure(let s), .union(let s):
                        for m in s.members where btf.string(m.name) == field {
                            offsets.append(UInt64(s.hasBitfieldSizes ? m.offset & 0xFF_FFFF : m.offset) / 8)
                        }
                    default: break
                    }
                }
                XCTAssertTrue(offsets.contains(expected), "\(what): \(parts[0]) is at \(expected); BTF has \(offsets)")
            } else { continue }
            checked += 1
        }
        XCTAssertGreaterThan(checked, 50, what)
    }

    /// The C header printed from our BTF, compiled by clang with a `_Static_assert` per size and
    /// per field offset that rustc printed: C's layout of the printed types must be Rust's.
    func clangAgrees(_ truth: String, btf: BTFFile, what: String, dir: String) throws {
        guard let clang = ExternalTool.find("clang") else {
            print("clang not installed (apt-get install clang): C-header layout check skipped for \(what)"); return
        }
        var header = TextOutput()
        let names = CDumper(btf).dumpReturningNames(into: &header)
        func spelled(_ id: TypeID) -> String? {
            guard let n = names[id], let r = btf.record(id) else { return nil }
            switch r.kind {
            case .structure: return "struct " + n
            case .union: return "union " + n
            case .enumeration, .enum64: return "enum " + n
            case .typedef: return n
            default: return nil
            }
        }
        func unique(_ rustName: Substring) -> TypeID? {
            let ids = btf.typeIDs(named: NamePolicy.escape(String(rustName))).filter { spelled($0) != nil }
            return ids.count == 1 ? ids[0] : nil
        }
        var asserts = "", count = 0, total = 0
        for line in truth.split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2 || (parts.count == 3 && parts[1] == "size") { total += 1 }
            if parts.count == 3, parts[1] == "size", let id = unique(parts[0]), let c = spelled(id) {
                asserts += "_Static_assert(sizeof(\(c)) == \(parts[2]), \"\(line)\");\n"
                count += 1
            } else if parts.count == 2, let dot = parts[0].lastIndex(of: "."), let id = unique(parts[0][..<dot]),
                      let c = spelled(id), btf.record(id)?.kind == .structure || btf.record(id)?.kind == .union {
                var field = String(parts[0][parts[0].index(after: dot)...])
                if field.hasPrefix("r#") { field.removeFirst(2) }                  // raw identifiers
                if field.first?.isNumber == true { field = "__" + field }
                // The member as the C header spells it: renamed where the name is not C.
                if case .structure(let st)? = try? btf.type(id), true {
                    let names = st.members.map { btf.string($0.name) }
                    if let k = names.firstIndex(of: field) { field = CIdentifiers.printable(siblings: names)[k] }
                }
                asserts += "_Static_assert(__builtin_offsetof(\(c), \(field)) == \(parts[1]), \"\(line)\");\n"
                count += 1
            }
        }
        let file = dir + "/layout-check.c"
        try (header.string + "\n" + asserts).write(toFile: file, atomically: true, encoding: .utf8)
        _ = clang
        let (failures, _) = try CHeaderCompilers.check(file, extra: ["-Wno-attributes"])
        for (compiler, err) in failures { XCTFail("\(what): \(compiler) on the printed header: \(err)") }
        XCTAssertEqual(count, total, "\(what): every size and offset rustc printed goes through clang")
        XCTAssertGreaterThan(total, 50)
    }
}
