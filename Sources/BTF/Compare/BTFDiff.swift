/// A type-level structural diff of two BTFs: what was added, removed or changed between two
/// kernel builds (or two encoders' outputs), independent of type IDs and type order.
///
/// Every named entity — struct, union, enum, typedef, fwd, int, float, func, var, datasec — is
/// keyed by kind and name and described by its shape: size, members (name, type spelled out, bit
/// offset and width), enumerators, prototypes. Types are spelled structurally ("const char *",
/// "struct sk_buff *", "int[4]", anonymous structs inline to a bounded depth), so two BTFs whose
/// IDs differ completely compare equal when their types do.
public struct BTFDiff: Sendable {
    public struct Change: Sendable, Hashable {
        public var key: String
        /// Shape lines only in the first BTF, and only in the second.
        public var removed: [String]
        public var added: [String]
    }

    public var onlyInFirst: [String] = []
    public var onlyInSecond: [String] = []
    public var changed: [Change] = []

    public var isEmpty: Bool { onlyInFirst.isEmpty && onlyInSecond.isEmpty && changed.isEmpty }

    /// Compares the own types of `a` and `b` (for split BTF, types reached in the base are spelled
    /// out too, but base entities are not listed).
    public init(_ a: BTFFile, _ b: BTFFile) {
        let ea = BTFDiff.entities(a), eb = BTFDiff.entities(b)
        for key in ea.keys.sorted() {
            guard let sb = eb[key] else { onlyInFirst.append(key); continue }
            let sa = ea[key] ?? []
            if sa != sb {
                let la = Set(sa.flatMap { $0 }), lb = Set(sb.flatMap { $0 })
                var removed = sa.flatMap { $0 }.filter { !lb.contains($0) }
                var added = sb.flatMap { $0 }.filter { !la.contains($0) }
                if removed.isEmpty && added.isEmpty {
                    removed = ["\(sa.count) definition(s)"]; added = ["\(sb.count) definition(s)"]
                }
                changed.append(Change(key: key, removed: removed, added: added))
            }
        }
        onlyInSecond = eb.keys.filter { ea[$0] == nil }.sorted()
    }

    /// The report as text: `-`/`+` for entities only in one side, `~` with member-level lines.
    public var text: String {
        var out = ""
        for k in onlyInFirst { out += "- \(k)\n" }
        for k in onlyInSecond { out += "+ \(k)\n" }
        for c in changed {
            out += "~ \(c.key)\n"
            for l in c.removed { out += "    - \(l)\n" }
            for l in c.added { out += "    + \(l)\n" }
        }
        return out
    }

    /// Key → shapes (one per definition with that key, sorted), each a list of lines.
    static func entities(_ file: BTFFile) -> [String: [[String]]] {
        var d = Describer(file: file)
        var out: [String: [[String]]] = [:]
        for id in file.ownTypeIDs {
            guard let (key, shape) = entity(id, in: file, describer: &d) else { continue }
            out[key, default: []].append(shape)
        }
        for k in out.keys { out[k]?.sort { $0.lexicographicallyPrecedes($1) } }
        return out
    }

    /// One named entity's key (`struct sk_buff`, `func kfree`, `typedef u32` ...) and shape
    /// lines (`size 232`, `member len: unsigned int at bit 896` ...), as the diff compares them;
    /// nil for a type that is not a named entity (pointers, anonymous types ...).
    public static func entity(_ id: TypeID, in file: BTFFile) -> (key: String, shape: [String])? {
        var d = Describer(file: file)
        return entity(id, in: file, describer: &d)
    }

    static func entity(_ id: TypeID, in file: BTFFile, describer d: inout Describer) -> (key: String, shape: [String])? {
        guard let r = file.record(id) else { return nil }
        let name = file.string(r.nameOffset)
        var key: String
        var shape: [String] = []
        switch r.kind {
        case .structure, .union:
            guard !name.isEmpty else { return nil }
            key = "\(r.kind == .structure ? "struct" : "union") \(name)"
            shape.append("size \(r.sizeOrType)")
            for m in 0..<r.vlen {
                let mn = file.string(StringOffset(file.tailWord(r, 3 * m)))
                let mt = TypeID(file.tailWord(r, 3 * m + 1))
                let off = file.tailWord(r, 3 * m + 2)
                let (bit, width) = r.kindFlag ? (off & 0xFF_FFFF, off >> 24) : (off, 0)
                shape.append("member \(mn.isEmpty ? "#\(m)" : mn): \(d.spell(mt, depth: 0)) at bit \(bit)\(width > 0 ? ", \(width) bits wide" : "")")
            }
        case .enumeration, .enum64:
            guard !name.isEmpty else { return nil }
            key = "enum \(name)"
            shape.append("size \(r.sizeOrType) \(r.kindFlag ? "signed" : "unsigned")")
            let stride = r.kind == .enum64 ? 3 : 2
            for e in 0..<r.vlen {
                let en = file.string(StringOffset(file.tailWord(r, stride * e)))
                var v = UInt64(file.tailWord(r, stride * e + 1))
                if stride == 3 { v |= UInt64(file.tailWord(r, stride * e + 2)) << 32 }
                let shown = r.kindFlag ? (stride == 3 ? "\(Int64(bitPattern: v))" : "\(Int32(bitPattern: UInt32(truncatingIfNeeded: v)))") : "\(v)"
                shape.append("\(en) = \(shown)")
            }
        case .typedef:
            key = "typedef \(name)"
            shape.append(d.spell(TypeID(r.sizeOrType), depth: 0))
        case .forward:
            key = "fwd \(r.kindFlag ? "union" : "struct") \(name)"
        case .int:
            key = "int \(name)"
            let data = file.tailWord(r, 0)
            shape.append("size \(r.sizeOrType) bits \(data & 0xff) bit offset \((data >> 16) & 0xff) encoding \(data >> 24)")
        case .float:
            key = "float \(name)"
            shape.append("size \(r.sizeOrType)")
        case .function:
            key = "func \(name)"
            shape.append("linkage \(BTFDiff.linkageName(UInt32(r.vlen)))")
            shape.append(d.prototype(TypeID(r.sizeOrType), names: true))
        case .variable:
            key = "var \(name)"
            shape.append("\(d.spell(TypeID(r.sizeOrType), depth: 0)) linkage \(BTFDiff.linkageName(file.tailWord(r, 0)))")
        case .dataSection:
            key = "datasec \(name)"
            shape.append("size \(r.sizeOrType)")
            for v in 0..<r.vlen {
                let vt = TypeID(file.tailWord(r, 3 * v))
                shape.append("\(file.name(of: vt)) at byte \(file.tailWord(r, 3 * v + 1)) size \(file.tailWord(r, 3 * v + 2))")
            }
        case .declTag:
            key = "decl_tag \(name) on \(d.spell(TypeID(r.sizeOrType), depth: 1))"
            shape.append("component \(Int32(bitPattern: file.tailWord(r, 0)))")
        default:
            return nil
        }
        return (key, shape)
    }
}

extension BTFDiff {
    /// FUNC and VAR linkage by name (btf-spec §1.6); a value the format does not define is shown
    /// as its number.
    static func linkageName(_ raw: UInt32) -> String {
        let l = BTFLinkage(rawValue: raw)
        return l.rawValue <= BTFLinkage.external.rawValue ? l.description : "\(raw) (unknown)"
    }
}

/// Spells a type reference structurally, with a bounded walk.
struct Describer {
    let file: BTFFile
    var memo: [TypeID: String] = [:]

    mutating func spell(_ id: TypeID, depth: Int) -> String {
        if id == .void { return "void" }
        if depth == 0, let m = memo[id] { return m }
        let s = spellUncached(id, depth: depth)
        if depth == 0 { memo[id] = s }
        return s
    }

    mutating func spellUncached(_ id: TypeID, depth: Int) -> String {
        guard depth < 12, let r = file.record(id) else { return "…" }
        let name = file.string(r.nameOffset)
        switch r.kind {
        case .int, .float, .typedef: return name
        case .structure, .union:
            let word = r.kind == .structure ? "struct" : "union"
            if !name.isEmpty { return "\(word) \(name)" }
            guard depth < 3 else { return "\(word) {…}" }
            var parts: [String] = []
            for m in 0..<r.vlen {
                let mn = file.string(StringOffset(file.tailWord(r, 3 * m)))
                parts.append("\(spell(TypeID(file.tailWord(r, 3 * m + 1)), depth: depth + 1)) \(mn)")
            }
            return "\(word) { \(parts.joined(separator: "; ")) } (\(r.sizeOrType))"
        case .enumeration, .enum64: return name.isEmpty ? "enum (anon, \(r.vlen) values)" : "enum \(name)"
        case .forward: return "\(r.kindFlag ? "union" : "struct") \(name)"
        case .pointer: return spell(TypeID(r.sizeOrType), depth: depth + 1) + " *"
        case .const: return "const " + spell(TypeID(r.sizeOrType), depth: depth + 1)
        case .volatile: return "volatile " + spell(TypeID(r.sizeOrType), depth: depth + 1)
        case .restrict: return spell(TypeID(r.sizeOrType), depth: depth + 1) + " restrict"
        case .typeTag: return "__tag(\(name)) " + spell(TypeID(r.sizeOrType), depth: depth + 1)
        case .array: return spell(TypeID(file.tailWord(r, 0)), depth: depth + 1) + "[\(file.tailWord(r, 2))]"
        case .functionProto: return prototype(id, names: false, depth: depth)
        case .function: return "func \(name)"
        case .variable: return "var \(name)"
        default: return "\(r.kind) \(name)"
        }
    }

    mutating func prototype(_ id: TypeID, names: Bool, depth: Int = 0) -> String {
        guard depth < 12, let r = file.record(id), r.kind == .functionProto else { return "…" }
        var params: [String] = []
        for p in 0..<r.vlen {
            let t = TypeID(file.tailWord(r, 2 * p + 1))
            if t == .void && p == r.vlen - 1 { params.append("..."); continue }
            let pn = names ? file.string(StringOffset(file.tailWord(r, 2 * p))) : ""
            params.append(spell(t, depth: depth + 1) + (pn.isEmpty ? "" : " " + pn))
        }
        return "\(spell(TypeID(r.sizeOrType), depth: depth + 1)) (\(params.joined(separator: ", ")))"
    }
}
