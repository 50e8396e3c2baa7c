import BTF

/// When two DWARF instances of one function have "the same" prototype, as pahole 1.31's
/// `funcs__match`/`types__match` decide it for `consistent_func` (docs/pahole-1.31-rules.md §3.2):
/// the same number of parameters (a trailing `...` counts), and matching return and parameter
/// types; parameter names don't matter.
///
/// Types match when they are the same ID, or (following both sides):
/// - CONST is transparent (pahole skips a CONST on either side when the kinds differ);
/// - PTR, VOLATILE, RESTRICT, TYPE_TAG: the same kind and matching targets;
/// - ARRAY: the same element count and matching element types;
/// - INT: the same size, encoding word and name; FLOAT: the same size and name;
/// - TYPEDEF, STRUCT, UNION, ENUM, ENUM64: the same kind and name only (a FWD counts as the STRUCT
///   or UNION its kind_flag says; anonymous aggregates match each other);
/// - FUNC_PROTO: the same parameter count and matching return types — pahole 1.31 never compares
///   a function pointer's parameter types (a quirk kept here so the selection is pahole's).
///
/// Instead of comparing pairs, each prototype is spelled once as a canonical token stream in
/// which exactly the matching types spell the same, hashed (64-bit FNV-1a, the same on every
/// machine); instances match when their hashes are equal.
struct PrototypeSignature {
    /// The spelling's hash.
    struct Spelling {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        static func += (s: inout Spelling, text: String) {
            for b in text.utf8 { s.hash = (s.hash ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
            s.hash = (s.hash ^ 0xff) &* 0x0000_0100_0000_01b3               // token end
        }
        /// A name, by its own hash (`nameHash`), as one token.
        mutating func add(name: UInt64) {
            for k in 0..<8 { hash = (hash ^ ((name >> (8 * UInt64(k))) & 0xff)) &* 0x0000_0100_0000_01b3 }
            hash = (hash ^ 0xfe) &* 0x0000_0100_0000_01b3
        }
    }

    /// FNV-1a of a name's bytes (callers cache it per string offset).
    static func nameHash(_ text: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        return h
    }

    /// Spells the FUNC_PROTO whose record words are `proto` (type IDs global, in `table`).
    static func of(proto: ArraySlice<UInt32>, table: BTFTypeTable, name: (UInt32) -> UInt64) -> UInt64 {
        var out = Spelling()
        let p = Array(proto)
        guard p.count >= 3 else { return 0 }
        let vlen = TypeInfo(rawValue: p[1]).vlen
        out += "\(vlen)("
        spell(p[2], table, name, &out, depth: 0)
        for k in 0..<vlen where 3 + 2 * k + 1 < p.count {
            out += ","
            spell(p[3 + 2 * k + 1], table, name, &out, depth: 0)
        }
        out += ")"
        return out.hash
    }

    static let maxDepth = 32

    static func spell(_ id: UInt32, _ t: BTFTypeTable, _ name: (UInt32) -> UInt64, _ out: inout Spelling, depth: Int) {
        guard id != 0 else { out += "v"; return }
        let i = Int(id) - Int(t.firstID)
        guard depth < maxDepth, i >= 0, i < t.count else { out += "#\(id)"; return }
        let s = t.starts[i]
        let info = t.info(i)
        let target = t.words[s + 2]
        func tail(_ k: Int) -> UInt32 { s + 3 + k < t.words.count ? t.words[s + 3 + k] : 0 }
        switch info.kind {
        case .const: spell(target, t, name, &out, depth: depth + 1)
        case .pointer: out += "*"; spell(target, t, name, &out, depth: depth + 1)
        case .volatile: out += "V"; spell(target, t, name, &out, depth: depth + 1)
        case .restrict: out += "R"; spell(target, t, name, &out, depth: depth + 1)
        case .typeTag: out += "T"; spell(target, t, name, &out, depth: depth + 1)
        case .array: out += "[\(tail(2))]"; spell(tail(0), t, name, &out, depth: depth + 1)
        case .int: out += "i\(target),\(tail(0))"; out.add(name: name(t.words[s]))
        case .float: out += "f\(target)"; out.add(name: name(t.words[s]))
        case .typedef: out += "t"; out.add(name: name(t.words[s]))
        case .structure: out += "s"; out.add(name: name(t.words[s]))
        case .union: out += "u"; out.add(name: name(t.words[s]))
        case .forward: out += info.kindFlag ? "u" : "s"; out.add(name: name(t.words[s]))
        case .enumeration: out += "e"; out.add(name: name(t.words[s]))
        case .enum64: out += "E"; out.add(name: name(t.words[s]))
        case .functionProto: out += "p\(info.vlen)("; spell(target, t, name, &out, depth: depth + 1); out += ")"
        default: out += "#\(id)"                       // matches only itself
        }
    }
}
