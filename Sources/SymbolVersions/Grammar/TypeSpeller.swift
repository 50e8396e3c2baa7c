import BTF

/// Spells BTF types in the symbol-version grammar (docs/symvers.md, "Grammar").
///
/// A named struct, union, enum or typedef (and a forward declaration) is a *definition*: it gets
/// a line of its own, keyed `s#name`, `u#name`, `e#name` or `t#name`, and every other line names
/// it by that key. Everything else — base types, pointers, qualifiers, arrays, prototypes and
/// anonymous aggregates — is spelled inline where it is used. Type and declaration tags, type
/// IDs, the order of types and parameter names do not appear, so the spelling depends only on
/// the types (and on the kABI policy, `KABIPolicy`).
struct TypeSpeller {
    let file: BTFFile
    let policy: KABIPolicy
    var arena = LineArena()
    /// Lines that hit the nesting bound (a malformed or hostile type graph): counted, and the
    /// line says `…` where it stopped.
    var truncatedLines = 0

    /// Inline nesting bound: deeper than any real C or Rust type (libbpf stops at 32 for chains).
    static let maxDepth = 64

    /// Lines already spelled, per type ID: full definitions and declarations (index into
    /// `spelled`, -1 when not yet spelled). The arena only grows, so a line stays valid.
    var definitionIndex: [Int32]
    var declarationIndex: [Int32]
    var spelled: [SpelledLine] = []

    init(file: BTFFile, policy: KABIPolicy, typeCount: Int? = nil) {
        self.file = file
        self.policy = policy
        definitionIndex = Array(repeating: -1, count: max(typeCount ?? file.typeCount, 1))
        declarationIndex = definitionIndex
    }

    /// A definition's line, spelled once: in full, or (`declaredOnly`) as a declaration —
    /// `s#foo struct foo {declared}` — for a view in which the type is opaque.
    mutating func cachedLine(_ id: TypeID, declaredOnly: Bool) -> SpelledLine {
        let i = Int(id.rawValue)
        guard i < definitionIndex.count else { return definition(id) }
        let known = declaredOnly ? declarationIndex[i] : definitionIndex[i]
        if known >= 0 { return spelled[Int(known)] }
        let line = declaredOnly ? declaration(id) : definition(id)
        if declaredOnly { declarationIndex[i] = Int32(spelled.count) } else { definitionIndex[i] = Int32(spelled.count) }
        spelled.append(line)
        return line
    }

    /// The declaration line of `id` if some view has spelled it (`cachedLine(_:declaredOnly:)`).
    func cachedDeclaration(_ id: TypeID) -> SpelledLine? {
        let i = Int(id.rawValue)
        guard i < declarationIndex.count, declarationIndex[i] >= 0 else { return nil }
        return spelled[Int(declarationIndex[i])]
    }

    /// `s#foo struct foo {declared}`: how a type only declared is spelled.
    mutating func declaration(_ id: TypeID) -> SpelledLine {
        let start = arena.bytes.count, refStart = arena.references.count
        guard let r = file.record(id), let key = definitionKey(r) else { return definition(id) }
        write(key.prefix); writeName(r.nameOffset); write(" ")
        writeDeclared(r, key)
        return SpelledLine(bytes: start..<arena.bytes.count, references: refStart..<refStart)
    }

    /// A declaration's body: `struct foo {declared}`.
    mutating func writeDeclared(_ r: BTFRecord, _ key: DefinitionKey) {
        write(key.word); write(" "); writeName(r.nameOffset); write(" {declared}")
    }

    // MARK: Definitions and symbols

    /// The key under which a type is a definition, or nil if it is spelled inline.
    func definitionKey(_ r: BTFRecord) -> DefinitionKey? {
        guard r.nameOffset != .empty else { return nil }
        switch r.kind {
        case .structure: return .structure
        case .union: return .union
        case .enumeration, .enum64: return .enumeration
        case .typedef: return .typedef
        case .forward: return r.kindFlag ? .union : .structure
        default: return nil
        }
    }

    /// Spells a definition's line: `s#name struct name size(N) { ... }` and so on.
    mutating func definition(_ id: TypeID) -> SpelledLine {
        let start = arena.bytes.count, refStart = arena.references.count
        guard let r = file.record(id), let key = definitionKey(r) else {
            write("?#"); write("\(id.rawValue)")
            return SpelledLine(bytes: start..<arena.bytes.count, references: refStart..<refStart)
        }
        write(key.prefix); writeName(r.nameOffset); write(" ")
        let name = file.string(r.nameOffset)
        if let replaced = policy.typeString(key: key, name: name) {
            write(replaced)
        } else if r.kind == .forward || policy.isDeclarationOnly(key: key, name: name) {
            writeDeclared(r, key)
        } else if r.kind == .typedef {
            write("typedef "); writeName(r.nameOffset); write(" ")
            inline(TypeID(r.sizeOrType), depth: 0)
        } else {
            body(r, name: name, key: key, depth: 0)
        }
        return SpelledLine(bytes: start..<arena.bytes.count, references: refStart..<arena.references.count)
    }

    /// Spells an exported symbol's line: `name func(...)` for a FUNC, `name var(...)` for a VAR.
    /// With several candidates (a name the BTF has more than once, e.g. an exported function and
    /// a static one elsewhere, when the linkage does not tell them apart), each one's type in
    /// turn, separated by ` | `, in the order given.
    mutating func symbol(name: String, _ ids: [TypeID]) -> SpelledLine {
        let start = arena.bytes.count, refStart = arena.references.count
        write(name); write(" ")
        if let replaced = policy.symbolString(name) {
            write(replaced)
        } else {
            for (n, id) in ids.enumerated() {
                if n > 0 { write(" | ") }
                symbolType(id)
            }
        }
        return SpelledLine(bytes: start..<arena.bytes.count, references: refStart..<arena.references.count)
    }

    mutating func symbolType(_ id: TypeID) {
        guard let r = file.record(id) else { return }
        switch r.kind {
        case .function: inline(TypeID(r.sizeOrType), depth: 0)
        case .variable: write("var("); inline(TypeID(r.sizeOrType), depth: 0); write(")")
        default: write("kind\(r.kind.rawValue)")
        }
    }

    // MARK: Inline spelling

    /// Spells a type where it is used.
    mutating func inline(_ id: TypeID, depth: Int) {
        guard depth < TypeSpeller.maxDepth else { write("…"); truncatedLines += 1; return }
        if id == .void { write("void"); return }
        guard let r = file.record(id) else { write("?"); write("\(id.rawValue)"); return }
        if let key = definitionKey(r) {
            write(key.prefix); writeName(r.nameOffset)
            arena.references.append(TypeReference(position: Int32(truncatingIfNeeded: arena.bytes.count), target: id))
            return
        }
        switch r.kind {
        case .int:
            let data = file.tailWord(r, 0)
            write("base("); writeName(r.nameOffset); write(" size("); write(r.sizeOrType); write(")")
            let encoding = (data >> 24) & 0xF
            if encoding & IntEncodingBits.signed != 0 { write(" signed") }
            if encoding & IntEncodingBits.char != 0 { write(" char") }
            if encoding & IntEncodingBits.bool != 0 { write(" bool") }
            let bits = data & 0xFF, offset = (data >> 16) & 0xFF
            if offset != 0 || UInt64(bits) != UInt64(r.sizeOrType) * 8 { write(" bits("); write(bits); write("@"); write(offset); write(")") }
            write(")")
        case .float:
            write("base("); writeName(r.nameOffset); write(" size("); write(r.sizeOrType); write(") float)")
        case .pointer:
            write("ptr("); inline(TypeID(r.sizeOrType), depth: depth + 1); write(")")
        case .const, .volatile, .restrict, .typeTag:
            qualified(r, depth: depth)
        case .array:
            write("array["); write(file.tailWord(r, 2)); write("](")
            inline(TypeID(file.tailWord(r, 0)), depth: depth + 1); write(")")
        case .functionProto:
            write("func("); inline(TypeID(r.sizeOrType), depth: depth + 1); write(";")
            for p in 0..<r.vlen {
                let t = TypeID(file.tailWord(r, 2 * p + 1))
                write(p == 0 ? " " : ", ")
                if t == .void && p == r.vlen - 1 { write("...") } else { inline(withoutTopLevelQualifiers(t), depth: depth + 1) }
            }
            write(")")
        case .structure, .union, .enumeration, .enum64:
            body(r, name: "", key: nil, depth: depth + 1)
        default:
            // FUNC, VAR, DATASEC, DECL_TAG or an unknown kind where a type belongs: malformed,
            // spelled by kind so that the line still differs from a well-formed one.
            write("kind\(r.kind.rawValue)")
        }
    }

    /// A parameter's type without its top-level qualifiers: `void f(const int x)` and
    /// `void f(int x)` are the same function type in C (C11 6.7.6.3p15), and a definition often
    /// says `const` where its declaration does not.
    func withoutTopLevelQualifiers(_ id: TypeID) -> TypeID {
        var t = id, steps = 0
        while steps < TypeSpeller.maxDepth, let r = file.record(t),
              r.kind == .const || r.kind == .volatile || r.kind == .restrict || r.kind == .typeTag {
            t = TypeID(r.sizeOrType); steps += 1
        }
        return t
    }

    /// A run of qualifiers in one canonical order — `const(volatile(restrict(T)))` — whatever
    /// order the BTF chains them in; type tags are skipped (they change no layout or ABI).
    mutating func qualified(_ first: BTFRecord, depth: Int) {
        var isConst = false, isVolatile = false, isRestrict = false
        var target = first.id, steps = 0
        walk: while steps < TypeSpeller.maxDepth, target != .void, let r = file.record(target) {
            switch r.kind {
            case .const: isConst = true
            case .volatile: isVolatile = true
            case .restrict: isRestrict = true
            case .typeTag: break
            default: break walk
            }
            steps += 1
            target = TypeID(r.sizeOrType)
        }
        var closing = 0
        if isConst { write("const("); closing += 1 }
        if isVolatile { write("volatile("); closing += 1 }
        if isRestrict { write("restrict("); closing += 1 }
        inline(target, depth: depth + 1)
        for _ in 0..<closing { write(")") }
    }

    /// A struct, union or enum body: named (a definition line) or anonymous (inline).
    mutating func body(_ r: BTFRecord, name: String, key: DefinitionKey?, depth: Int) {
        let isEnum = r.kind == .enumeration || r.kind == .enum64
        write(isEnum ? "enum" : (r.kind == .union ? "union" : "struct"))
        if r.nameOffset != .empty { write(" "); writeName(r.nameOffset) }
        write(" size("); write(policy.byteSize(key: key, name: name) ?? r.sizeOrType); write(")")
        if isEnum {
            if r.kindFlag { write(" signed") }
            write(" {")
            enumerators(r, name: name, key: key)
            write(" }")
            return
        }
        write(" {")
        var members = MemberList(file: file, record: r)
        if policy.stable { StableKABIConventions.apply(to: &members, file: file) }
        for m in members.members {
            write(" ")
            inline(m.type, depth: depth + 1)
            if let spelled = m.spelledName {
                if !spelled.isEmpty { write(" "); write(spelled) }
            } else if m.name != .empty {
                write(" "); writeName(m.name)
            }
            write(" @"); write(m.bitOffset)
            if m.bitfieldSize != 0 { write(":"); write(m.bitfieldSize) }
            write(";")
        }
        write(" }")
    }

    mutating func enumerators(_ r: BTFRecord, name: String, key: DefinitionKey?) {
        let stride = r.kind == .enum64 ? 3 : 2
        for e in 0..<r.vlen {
            let en = StringOffset(file.tailWord(r, stride * e))
            let enumerator = file.string(en)
            if policy.ignoresEnumerator(enumName: name, enumerator) { continue }
            var v = UInt64(file.tailWord(r, stride * e + 1))
            if stride == 3 { v |= UInt64(file.tailWord(r, stride * e + 2)) << 32 }
            write(" "); writeName(en); write("=")
            if let forced = policy.enumeratorValue(enumName: name, enumerator) {
                write(r.kindFlag ? String(Int64(bitPattern: forced)) : String(forced))
            } else if r.kindFlag {
                write(stride == 3 ? String(Int64(bitPattern: v)) : String(Int32(bitPattern: UInt32(truncatingIfNeeded: v))))
            } else {
                write(String(v))
            }
            write(";")
        }
    }

    // MARK: Bytes

    @inline(__always)
    mutating func write(_ s: StaticString) {
        s.withUTF8Buffer { arena.bytes.append(contentsOf: $0) }
    }

    mutating func write(_ s: String) { arena.bytes.append(contentsOf: s.utf8) }

    mutating func write<T: BinaryInteger>(_ v: T) { write(String(v)) }

    mutating func writeName(_ offset: StringOffset) {
        guard offset != .empty, let (owner, range) = file.stringRange(offset) else { return }
        owner.data.bytes.withUnsafeBufferPointer { arena.bytes.append(contentsOf: $0[range]) }
    }
}

/// BTF_INT_ENCODING bits (btf-spec §1.6, BTF_KIND_INT).
enum IntEncodingBits {
    static let signed: UInt32 = 1
    static let char: UInt32 = 2
    static let bool: UInt32 = 4
}

/// The kinds of definition lines and their keys (`s#`, `u#`, `e#`, `t#`: genksyms' prefixes).
public enum DefinitionKey: String, Sendable, Hashable, CaseIterable {
    case structure = "s#", union = "u#", enumeration = "e#", typedef = "t#"

    var prefix: StaticString {
        switch self { case .structure: "s#"; case .union: "u#"; case .enumeration: "e#"; case .typedef: "t#" }
    }

    /// The kind of a definition key such as `s#sk_buff`.
    init?<S: StringProtocol>(key: S) {
        guard let k = DefinitionKey.allCases.first(where: { key.hasPrefix($0.rawValue) }) else { return nil }
        self = k
    }

    /// The C keyword: how kABI rules and the diff name such a type (`struct sk_buff`).
    public var word: String {
        switch self { case .structure: "struct"; case .union: "union"; case .enumeration: "enum"; case .typedef: "typedef" }
    }

}

