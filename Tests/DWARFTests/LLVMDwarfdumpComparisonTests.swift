import XCTest
import Foundation
import DWARF
import ObjectFile
import TestSupport

/// Compares our DIE trees with `llvm-dwarfdump --debug-info --debug-types --show-form`: every DIE's
/// offset and tag, every attribute's name and form, in order, must be equal, and every value:
/// strings, references, signatures, constants (numeric or symbolic: DW_LANG, DW_ATE, DW_INL ...),
/// addresses (also through .debug_addr), section offsets, indices, flags, file names (through the
/// line table), expressions (the sequence of DW_OP operations, nested ones included; llvm's
/// register-name rendering of operands is not compared) and blocks (their length).
final class LLVMDwarfdumpComparisonTests: XCTestCase {
    struct LLVMAttribute { var name: String; var form: String; var value: String }
    struct LLVMDIE { var offset: Int; var tag: String; var attributes: [LLVMAttribute] }

    static let root = Repo.testdata("")

    /// Parses llvm-dwarfdump's text. Attribute values may continue over several lines.
    func parse(_ text: String) -> [LLVMDIE] {
        var dies: [LLVMDIE] = []
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(raw)
            if line.hasPrefix("0x"), let colon = line.firstIndex(of: ":") {
                let rest = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                if rest.hasPrefix("DW_TAG_") || rest.hasPrefix("DW_TAG") {
                    let off = Int(line.dropFirst(2).prefix { $0 != ":" }, radix: 16) ?? -1
                    dies.append(LLVMDIE(offset: off, tag: rest.split(separator: " ").first.map(String.init) ?? rest, attributes: []))
                }
                continue
            }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("DW_AT_"), let tab = trimmed.firstIndex(of: "\t"), dies.count > 0 {
                let head = trimmed[..<tab]
                let name = String(head.prefix { $0 != " " })
                let form = head.firstIndex(of: "[").map { String(head[head.index(after: $0)...].prefix { $0 != "]" }) } ?? ""
                dies[dies.count - 1].attributes.append(LLVMAttribute(name: name, form: form, value: String(trimmed[trimmed.index(after: tab)...])))
            } else if !trimmed.isEmpty, !trimmed.hasPrefix("NULL"), dies.count > 0, var last = dies[dies.count - 1].attributes.last,
                      !trimmed.hasSuffix("contents:"), !line.hasPrefix("0x") {
                last.value += "\n" + trimmed
                dies[dies.count - 1].attributes[dies[dies.count - 1].attributes.count - 1] = last
            }
        }
        return dies
    }

    /// Parses a number at the start of an llvm value: "(0x1f ...", "(-3)", "(12)".
    func leadingNumber(_ s: String) -> Int64? {
        var t = Substring(s)
        if t.hasPrefix("(") { t = t.dropFirst() }
        if t.hasPrefix("indexed (") { t = t.dropFirst("indexed (".count) }
        if t.hasPrefix("0x") {
            return UInt64(t.dropFirst(2).prefix { $0.isHexDigit }, radix: 16).map { Int64(bitPattern: $0) }
        }
        let digits = t.prefix { $0 == "-" || $0.isNumber }
        guard !digits.isEmpty, t.dropFirst(digits.count).first.map({ $0 == ")" || $0 == " " }) ?? true else { return nil }
        return Int64(digits)
    }

    struct Tally { var dies = 0, attributes = 0, checked = 0, unchecked = 0; var mismatches: [String] = [] }

    func compare(_ path: String, file: StaticString = #filePath, line: UInt = #line) throws -> Tally {
        let tool = try ExternalTool.require("llvm-dwarfdump", package: "llvm")
        let data = try ExternalTool.run(tool, ["--debug-info", "--debug-types", "--show-form", path], file: file, line: line)
        let theirs = parse(String(decoding: data, as: UTF8.self))

        let dwarf = try ObjectFile.dwarf(path: path)
        var ours: [(DIE, [Attribute], UnitHeader)] = []
        for unit in dwarf.units {
            var c = try dwarf.cursor(for: unit)
            while let d = try c.next() { ours.append((d, Array(c.attributes), unit)) }
        }
        var t = Tally()
        XCTAssertEqual(ours.count, theirs.count, "\(path): DIE count", file: file, line: line)
        for ((die, attrs, unit), l) in zip(ours, theirs) {
            t.dies += 1
            func mismatch(_ what: String) { if t.mismatches.count < 20 { t.mismatches.append("0x\(String(die.offset.rawValue, radix: 16)) \(die.tag): \(what)") } }
            if die.offset.rawValue != l.offset || "\(die.tag)" != l.tag { mismatch("llvm has 0x\(String(l.offset, radix: 16)) \(l.tag)"); continue }
            if attrs.count != l.attributes.count { mismatch("\(attrs.count) attributes, llvm \(l.attributes.count)"); continue }
            for (a, la) in zip(attrs, l.attributes) {
                t.attributes += 1
                if "\(a.name)" != la.name || "\(a.form)" != la.form { mismatch("\(a.name) [\(a.form)] vs llvm \(la.name) [\(la.form)]"); continue }
                if [0x3a, 0x58].contains(a.name.rawValue), let index = a.value.unsignedValue {   // decl_file, call_file
                    let ours = try dwarf.fileName(index: index, unit: unit).map { "(\"\($0)\")" } ?? "(\(index))"
                    if la.value == ours || leadingNumber(la.value) == Int64(index) { t.checked += 1 } else { mismatch("\(a.name) = \(ours), llvm \(la.value)") }
                    continue
                }
                switch a.value {
                case .inlineString, .stringOffset, .stringIndex:
                    let s = try dwarf.string(a, unit: unit) ?? "<nil>"
                    if la.value == "(\"\(s)\")" { t.checked += 1 } else { mismatch("\(a.name) = \"\(s)\", llvm \(la.value)") }
                case .unitReference, .sectionReference:
                    let target = dwarf.referencedOffset(a, unit: unit).map { Int64($0.rawValue) }
                    if target == leadingNumber(la.value) { t.checked += 1 } else { mismatch("\(a.name) -> \(target.map { String($0, radix: 16) } ?? "nil"), llvm \(la.value)") }
                case .signatureReference(let s):
                    if Int64(bitPattern: s) == leadingNumber(la.value) { t.checked += 1 } else { mismatch("\(a.name) sig, llvm \(la.value)") }
                case .flag:
                    let ours = DIEPrinter(dwarf).value(a, unit: unit)
                    if la.value == ours { t.checked += 1 } else { mismatch("\(a.name) flag \(ours), llvm \(la.value)") }
                case .address(let v):
                    if Int64(bitPattern: v) == leadingNumber(la.value) { t.checked += 1 } else { mismatch("\(a.name) address 0x\(String(v, radix: 16)), llvm \(la.value)") }
                case .addressIndex(let i):
                    let v = try dwarf.address(index: i, unit: unit)
                    // llvm 14 prints the resolved address; newer ones "indexed (N) address = 0x...".
                    let shown = la.value.contains("address = ") ? leadingNumber(String(la.value.split(separator: "=").last ?? "").trimmingCharacters(in: .whitespaces)) : leadingNumber(la.value)
                    if shown == Int64(bitPattern: v) { t.checked += 1 }
                    else { mismatch("\(a.name) addrx \(i) = 0x\(String(v, radix: 16)), llvm \(la.value)") }
                case .sectionOffset(let v), .loclistIndex(let v), .rnglistIndex(let v):
                    if Int64(bitPattern: v) == leadingNumber(la.value) { t.checked += 1 } else { mismatch("\(a.name) offset/index \(v), llvm \(la.value)") }
                case .data(let v, _) where la.value.hasPrefix("(DW_") && a.name != .language,
                     .udata(let v) where la.value.hasPrefix("(DW_") && a.name != .language:
                    let ours = a.name.symbolicName(of: v) ?? "?"
                    if la.value == "(\(ours))" { t.checked += 1 } else { mismatch("\(a.name) = \(ours), llvm \(la.value)") }
                case .implicitConst(let v) where la.value.hasPrefix("(DW_"):
                    let ours = a.name.symbolicName(of: UInt64(bitPattern: v)) ?? "?"
                    if la.value == "(\(ours))" { t.checked += 1 } else { mismatch("\(a.name) = \(ours), llvm \(la.value)") }
                case .data(let v, let size):
                    if a.name == .language {
                        if la.value == "(\(DWARFLanguage(v)))" { t.checked += 1 } else { mismatch("language \(DWARFLanguage(v)), llvm \(la.value)") }
                    } else if let n = leadingNumber(la.value) {
                        let mask: UInt64 = size >= 8 ? ~0 : (1 << UInt64(8 * size)) - 1
                        if UInt64(bitPattern: n) & mask == v & mask { t.checked += 1 } else { mismatch("\(a.name) = \(v), llvm \(la.value)") }
                    } else { t.unchecked += 1 }
                case .udata(let v):
                    if a.name == .language {
                        if la.value == "(\(DWARFLanguage(v)))" { t.checked += 1 } else { mismatch("language, llvm \(la.value)") }
                    } else if let n = leadingNumber(la.value) {
                        if UInt64(bitPattern: n) == v { t.checked += 1 } else { mismatch("\(a.name) = \(v), llvm \(la.value)") }
                    } else { t.unchecked += 1 }
                case .sdata(let v), .implicitConst(let v):
                    if let n = leadingNumber(la.value) {
                        if n == v || UInt64(bitPattern: n) == UInt64(bitPattern: v) { t.checked += 1 } else { mismatch("\(a.name) = \(v), llvm \(la.value)") }
                    } else { t.unchecked += 1 }
                case .exprloc(let off, let len) where la.value.hasPrefix("(DW_OP_"),
                     .block(let off, let len) where la.value.hasPrefix("(DW_OP_"):
                    // Compare the sequence of operations (names; llvm adds register names to operands).
                    let e = try DWARFExpression(dwarf.bytes(of: unit), offset: off, length: len, unit: unit, little: dwarf.little)
                    let theirs = la.value.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_") })
                        .filter { $0.hasPrefix("DW_OP_") }.map(String.init)
                    if e.flattenedNames == theirs { t.checked += 1 } else { mismatch("\(a.name) = \(e.description), llvm \(la.value)") }
                case .block(_, let len), .exprloc(_, let len):
                    // llvm prints blocks as "<0xN> bytes" and expressions decoded; check the length when shown.
                    if la.value.hasPrefix("(<0x"), let n = leadingNumber(String(la.value.dropFirst(2))) {
                        if n == Int64(len) { t.checked += 1 } else { mismatch("\(a.name) block of \(len) bytes, llvm \(la.value)") }
                    } else { t.unchecked += 1 }
                case .data16, .supplementaryReference:
                    t.unchecked += 1
                }
            }
        }
        XCTAssertTrue(t.mismatches.isEmpty, "\(path): differences from llvm-dwarfdump:\n" + t.mismatches.joined(separator: "\n"), file: file, line: line)
        XCTAssertEqual(t.unchecked, 0, "\(path): every value must be compared", file: file, line: line)
        return t
    }

    func testCompilerFixtures() throws {
        let files = ["gcc-dwarf2.o", "gcc-dwarf3.o", "gcc-dwarf4.o", "gcc-dwarf5.o", "gcc-dwarf5-zlib.o", "clang-dwarf5.o", "clang-dwarf4-types.o",
                     "clang-dwarf5-types.o", "rust-dwarf4.o", "rust-dwarf5.o", "gcc-dwarf4-zdebug.o",
                     "clang-aarch64.o", "clang-riscv64.o", "clang-s390x.o", "clang-bpf.o"]
        for f in files {
            let t = try compare(LLVMDwarfdumpComparisonTests.root + "dwarf/" + f)
            XCTAssertGreaterThan(t.dies, 10, f)
            print("\(f): \(t.dies) DIEs, \(t.attributes) attributes, \(t.checked) values equal, \(t.unchecked) not comparable")
        }
    }

    /// A real kernel module: ET_REL with .rela.debug_* (strp offsets, addresses, str_offsets) — only
    /// right when relocations are applied.
    func testKernelModule() throws {
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("virtio_net-\(getpid()).ko")
        defer { try? FileManager.default.removeItem(at: tmp) }
        try Data(ObjectFile.read(LLVMDwarfdumpComparisonTests.root + "kernel/virtio_net-6.1.ko.gz")).write(to: tmp)
        let t = try compare(tmp.path)
        XCTAssertGreaterThan(t.dies, 10_000)
        print("virtio_net.ko: \(t.dies) DIEs, \(t.attributes) attributes, \(t.checked) values equal, \(t.unchecked) not comparable")
    }
}
