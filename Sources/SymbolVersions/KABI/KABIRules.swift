import BTF
import ELF

/// kABI rules: gendwarfksyms' `KABI_*` rule macros (include/linux/kabi.h), which say to treat a
/// type as only declared, to leave out or fix an enumerator, to fix a type's size, or to replace
/// a type's whole string. gendwarfksyms reads them from an object's
/// `.discard.gendwarfksyms.kabi_rules` section; BTF does not carry that section (the linker
/// discards it), so the rules come from a file: a text file, one rule a line, or an object file
/// with the section. docs/symvers.md, "kABI rules".
///
/// Text form (`#` starts a comment):
///
///     declonly           NAME
///     enumerator_ignore  ENUM ENUMERATOR
///     enumerator_value   ENUM ENUMERATOR VALUE
///     byte_size          NAME BYTES
///     type_string        KEY STRING...        (KEY is s#name, u#name, e#name, t#name or a symbol)
///
/// NAME is a struct's, union's or enum's name without the keyword, as gendwarfksyms' fully
/// qualified names are for C.
public struct KABIRules: Sendable {
    struct Pair: Hashable, Sendable {
        var first: String, second: String
        init(_ a: String, _ b: String) { first = a; second = b }
    }

    var declarationOnly: Set<String> = []
    var ignoredEnumerators: Set<Pair> = []
    var enumeratorValues: [Pair: Int64] = [:]
    var byteSizes: [String: UInt32] = [:]
    /// Definition key (`s#foo`) or symbol name → replacement text.
    var typeStrings: [String: String] = [:]

    public init() {}

    public var count: Int {
        declarationOnly.count + ignoredEnumerators.count + enumeratorValues.count + byteSizes.count + typeStrings.count
    }

    /// The rule types, as gendwarfksyms names them (scripts/gendwarfksyms/kabi.c).
    public enum RuleType: String, CaseIterable, Sendable {
        case declonly, enumeratorIgnore = "enumerator_ignore", enumeratorValue = "enumerator_value"
        case byteSize = "byte_size", typeString = "type_string"
    }

    /// A rule that cannot be used: where it is, and what was expected.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var path: String
        /// Line number (text) or byte offset in the rules section (object file).
        public var location: String
        public var reason: String
        public var description: String { "\(path):\(location): \(reason)" }
    }

    /// Adds the rules of a text file or of an object's `.discard.gendwarfksyms.kabi_rules`.
    public mutating func add(contentsOf path: String) throws {
        let bytes = try BTFInput.readFile(path)
        if ELFFile.isELF(bytes) {
            let elf = try ELFFile(bytes: bytes)
            guard let section = elf.section(named: KABIRules.sectionName) else {
                throw Failure(path: path, location: "0", reason: "an object file without a \(KABIRules.sectionName) section")
            }
            try add(section: try elf.contents(of: section), path: path)
        } else {
            try add(text: String(decoding: bytes, as: UTF8.self), path: path)
        }
    }

    public static let sectionName = ".discard.gendwarfksyms.kabi_rules"
    /// KABI_RULE_VERSION: the first string of each rule in the section.
    static let sectionVersion = "1"

    /// The text form, line by line.
    public mutating func add(text: String, path: String) throws(Failure) {
        var number = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            var line = Substring(raw)
            if let hash = line.firstIndex(of: "#"), !line[..<hash].contains(where: { !$0.isWhitespace }) { continue }
            line = line.drop(while: { $0 == " " || $0 == "\t" || $0 == "\r" })
            while let last = line.last, last == " " || last == "\t" || last == "\r" { line = line.dropLast() }
            if line.isEmpty { continue }
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard let first = words.first, let type = RuleType(rawValue: first) else {
                throw Failure(path: path, location: "\(number)", reason: "unknown rule '\(words.first ?? "")' (expected one of \(RuleType.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            let rest = Array(words.dropFirst())
            switch type {
            case .typeString:
                guard rest.count >= 2 else {
                    throw Failure(path: path, location: "\(number)", reason: "expected 'type_string KEY STRING'")
                }
                let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
                let afterType = line.drop(while: { !isBlank($0) }).drop(while: isBlank)
                let value = afterType.drop(while: { !isBlank($0) }).drop(while: isBlank)
                try add(type, target: rest[0], value: String(value), path: path, location: "\(number)")
            case .declonly:
                guard rest.count == 1 else { throw Failure(path: path, location: "\(number)", reason: "expected 'declonly NAME'") }
                try add(type, target: rest[0], value: "", path: path, location: "\(number)")
            case .enumeratorIgnore:
                guard rest.count == 2 else { throw Failure(path: path, location: "\(number)", reason: "expected 'enumerator_ignore ENUM ENUMERATOR'") }
                try add(type, target: rest[0] + " " + rest[1], value: "", path: path, location: "\(number)")
            case .enumeratorValue:
                guard rest.count == 3 else { throw Failure(path: path, location: "\(number)", reason: "expected 'enumerator_value ENUM ENUMERATOR VALUE'") }
                try add(type, target: rest[0] + " " + rest[1], value: rest[2], path: path, location: "\(number)")
            case .byteSize:
                guard rest.count == 2 else { throw Failure(path: path, location: "\(number)", reason: "expected 'byte_size NAME BYTES'") }
                try add(type, target: rest[0], value: rest[1], path: path, location: "\(number)")
            }
        }
    }

    /// The section form: repeated `version\0type\0target\0value\0` (kabi.c kabi_read_rules).
    public mutating func add(section bytes: [UInt8], path: String) throws(Failure) {
        var at = 0
        func field() throws(Failure) -> String {
            guard at < bytes.count, let end = bytes[at...].firstIndex(of: 0) else {
                throw Failure(path: path, location: "byte \(at)", reason: "\(KABIRules.sectionName): a rule string is not NUL-terminated")
            }
            defer { at = end + 1 }
            return String(decoding: bytes[at..<end], as: UTF8.self)
        }
        while at < bytes.count {
            let start = at
            if bytes[at] == 0 { at += 1; continue }        // alignment padding between rules
            let version = try field()
            guard version == KABIRules.sectionVersion else {
                throw Failure(path: path, location: "byte \(start)", reason: "rule version '\(version)' (expected \(KABIRules.sectionVersion))")
            }
            let typeName = try field(), target = try field(), value = try field()
            guard let type = RuleType(rawValue: typeName) else {
                throw Failure(path: path, location: "byte \(start)", reason: "unknown rule type '\(typeName)'")
            }
            try add(type, target: target, value: value, path: path, location: "byte \(start)")
        }
    }

    mutating func add(_ type: RuleType, target: String, value: String, path: String, location: String) throws(Failure) {
        switch type {
        case .declonly:
            declarationOnly.insert(target)
        case .enumeratorIgnore, .enumeratorValue:
            let parts = target.split(separator: " ", omittingEmptySubsequences: true)
            guard parts.count == 2 else { throw Failure(path: path, location: location, reason: "\(type.rawValue): target '\(target)' is not 'ENUM ENUMERATOR'") }
            let pair = Pair(String(parts[0]), String(parts[1]))
            if type == .enumeratorIgnore { ignoredEnumerators.insert(pair); return }
            guard let v = UInt64(value) else {
                throw Failure(path: path, location: location, reason: "enumerator_value: '\(value)' is not a decimal number")
            }
            enumeratorValues[pair] = Int64(bitPattern: v)
        case .byteSize:
            guard let v = UInt32(value) else { throw Failure(path: path, location: location, reason: "byte_size: '\(value)' is not a decimal size") }
            byteSizes[target] = v
        case .typeString:
            guard !value.isEmpty else { throw Failure(path: path, location: location, reason: "type_string: empty string") }
            typeStrings[target] = value
        }
    }
}
