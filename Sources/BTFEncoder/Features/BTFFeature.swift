/// The switches of DWARF → BTF encoding, with pahole's `--btf_features` names (pahole 1.26+,
/// table order of pahole 1.31; docs/encoder.md "Features", docs/pahole-1.31-rules.md §1) and
/// btfkit's own two.
public enum BTFFeature: String, CaseIterable, Sendable, Hashable {
    case encodeForce = "encode_force"
    case variables = "var"
    case float
    case declTag = "decl_tag"
    case typeTag = "type_tag"
    case enum64
    case optimizedFunc = "optimized_func"
    case consistentFunc = "consistent_func"
    case declTagKfuncs = "decl_tag_kfuncs"
    case reproducibleBuild = "reproducible_build"
    case distilledBase = "distilled_base"
    case globalVar = "global_var"
    case attributes
    case layout
    // btfkit's own
    case nestedArrays = "nested_arrays"
    case qualifiedNames = "qualified_names"

    /// In pahole's `default` set (pahole 1.31: every feature up to decl_tag_kfuncs).
    public var inPaholeDefault: Bool {
        switch self {
        case .encodeForce, .variables, .float, .declTag, .typeTag, .enum64, .optimizedFunc, .consistentFunc, .declTagKfuncs: return true
        default: return false
        }
    }

    /// A pahole feature (false for btfkit's own).
    public var isPahole: Bool { self != .nestedArrays && self != .qualifiedNames }

    /// Whether btfkit implements it. A feature that is not is treated like a name pahole does
    /// not know: ignored, or an error in strict mode; `--list-btf-features` says so.
    public var isImplemented: Bool { true }

    /// One line for `--list-btf-features`.
    public var summary: String {
        switch self {
        case .encodeForce: return "skip variables with names BTF can't hold instead of failing"
        case .variables: return "VAR + DATASEC for per-CPU variables (.data..percpu)"
        case .float: return "DW_ATE_float base types as FLOAT (else INT)"
        case .declTag: return "DECL_TAG from btf_decl_tag annotations"
        case .typeTag: return "TYPE_TAG from btf_type_tag annotations"
        case .enum64: return "enums wider than 4 bytes as ENUM64"
        case .optimizedFunc: return "pahole 1.31's function table: .isra/.constprop clones find their function"
        case .consistentFunc: return "drop functions whose prototypes differ between units or whose name has several addresses"
        case .declTagKfuncs: return "DECL_TAG bpf_kfunc (and bpf_fastcall) on the kfuncs of .BTF_ids set8 sets"
        case .reproducibleBuild: return "the same output for any thread count (always so in btfkit)"
        case .distilledBase: return "split BTF with a distilled base in .BTF.base"
        case .globalVar: return "VAR + DATASEC for every global variable"
        case .attributes: return "arena address_space TYPE_TAGs with kind_flag 1 on kfuncs"
        case .layout: return "the kind-layout section libbpf 1.8 reads (32-byte header; base BTF only)"
        case .nestedArrays: return "multi-dimensional arrays as nested ARRAYs (btfkit)"
        case .qualifiedNames: return "Rust type names with their module path (btfkit)"
        }
    }
}

/// A set of features and the named sets `--btf-features` knows.
public struct BTFFeatureSet: Sendable, Equatable {
    public var features: Set<BTFFeature>
    public init(_ features: Set<BTFFeature>) { self.features = features }

    /// What a Linux kernel built with pahole 1.24 asks for (`-J --btf_gen_floats`): float, var,
    /// decl_tag, type_tag, enum64. btfkit's default until the newer rules are all implemented.
    public static let pahole124 = BTFFeatureSet([.float, .variables, .declTag, .typeTag, .enum64])
    /// pahole's `default` (1.27+).
    public static let paholeDefault = BTFFeatureSet(Set(BTFFeature.allCases.filter(\.inPaholeDefault)))
    /// Every feature btfkit implements.
    public static let all = BTFFeatureSet(Set(BTFFeature.allCases.filter(\.isImplemented)))
    /// btfkit's default.
    public static let btfkitDefault = pahole124

    /// Names that stand for a whole set in a list.
    public static let named: [(String, BTFFeatureSet)] = [
        ("default", btfkitDefault), ("pahole-default", paholeDefault), ("pahole-1.24", pahole124), ("all", all), ("none", BTFFeatureSet([])),
    ]

    public func contains(_ f: BTFFeature) -> Bool { features.contains(f) }
}

/// An item of a feature list that names no feature btfkit implements.
public struct UnknownBTFFeature: Error, Sendable, CustomStringConvertible {
    public var name: String
    public var notImplemented: Bool
    public var description: String {
        notImplemented ? "BTF feature '\(name)' is not implemented by btfkit yet" : "unknown BTF feature '\(name)'"
    }
}

extension BTFFeatureSet {
    /// btfkit's list syntax (`btfkit encode --btf-features`): comma-separated items applied in
    /// order to `start` (btfkit's default): `name` or `+name` turns a feature on, `-name` off, and a
    /// set name (`default`, `pahole-default`, `pahole-1.24`, `all`, `none`) replaces the whole set.
    /// Several lists apply one after another. Items that are unknown or not implemented are
    /// returned in `ignored`; `strict` throws on the first instead.
    public static func parse(_ lists: [String], strict: Bool, start: BTFFeatureSet = .btfkitDefault)
        throws(UnknownBTFFeature) -> (set: BTFFeatureSet, ignored: [UnknownBTFFeature]) {
        var set = start
        var ignored: [UnknownBTFFeature] = []
        for list in lists {
            for item in list.split(separator: ",") {
                let raw = item.drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed()
                guard !raw.isEmpty else { continue }
                var name = Substring(String(raw))
                var on = true
                if name.first == "+" { name = name.dropFirst() } else if name.first == "-" { name = name.dropFirst(); on = false }
                if on, raw.first != "+", let named = named.first(where: { $0.0 == name })?.1 { set = named; continue }
                guard let f = BTFFeature(rawValue: String(name)), f.isImplemented else {
                    let u = UnknownBTFFeature(name: String(name), notImplemented: BTFFeature(rawValue: String(name)) != nil)
                    if strict { throw u }
                    ignored.append(u)
                    continue
                }
                if on { set.features.insert(f) } else { set.features.remove(f) }
            }
        }
        return (set, ignored)
    }

    /// pahole's own semantics (pahole 1.31 `parse_btf_features`), for a pahole-compatible front
    /// end: the first list starts from nothing; a list that is exactly `default`, or starts
    /// with `+`, starts by adding pahole's default set; the item `default` adds it too; other
    /// items are names. Several lists add up. `-` has no meaning (`-name` is unknown), as in
    /// pahole. Unknown and unimplemented items are ignored, or thrown with `strict`.
    public static func parsePahole(_ lists: [String], strict: Bool) throws(UnknownBTFFeature) -> (set: BTFFeatureSet, ignored: [UnknownBTFFeature]) {
        var set = BTFFeatureSet([])
        var ignored: [UnknownBTFFeature] = []
        let defaults = paholeDefault.features.filter(\.isImplemented)
        for var list in lists {
            if list == "default" { set.features.formUnion(defaults); continue }
            if list.hasPrefix("+") { set.features.formUnion(defaults); list.removeFirst() }
            for item in list.split(separator: ",").map(String.init) where !item.isEmpty {
                if item == "default" { set.features.formUnion(defaults); continue }
                guard let f = BTFFeature(rawValue: item), f.isPahole, f.isImplemented else {
                    let u = UnknownBTFFeature(name: item, notImplemented: BTFFeature(rawValue: item)?.isPahole ?? false)
                    if strict { throw u }
                    ignored.append(u)
                    continue
                }
                set.features.insert(f)
            }
        }
        return (set, ignored)
    }
}
