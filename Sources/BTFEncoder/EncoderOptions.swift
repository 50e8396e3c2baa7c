/// What `Encoder` emits. Each switch mirrors one of pahole's `--btf_features` (pahole ≥ 1.26;
/// pahole 1.24 spells them as separate `--btf_gen_*`/`--skip_encoding_btf_*` options); the README
/// has the table.
public struct EncoderOptions: Sendable {
    /// DW_ATE_float base types as BTF FLOAT (pahole `float`, 1.24 `--btf_gen_floats`); else INT.
    public var floats = true
    /// Enums wider than 4 bytes as ENUM64 (pahole `enum64`; 1.24 `--skip_encoding_btf_enum64` turns
    /// it off); else ENUM with the low 32 bits.
    public var enum64 = true
    /// DECL_TAG from btf_decl_tag annotations (pahole `decl_tag`).
    public var declTags = true
    /// TYPE_TAG from btf_type_tag annotations on pointers (pahole `type_tag`).
    public var typeTags = true
    /// VAR + DATASEC for per-CPU variables (pahole `var`; 1.24 `--skip_encoding_btf_vars` off).
    public var perCPUVariables = true
    /// VAR + DATASEC for every global variable with an address (pahole `global_var`).
    public var globalVariables = false
    /// Multi-dimensional arrays as nested ARRAYs. Off by default: pahole flattens `T a[2][3]` into
    /// one ARRAY of 6, and kernel BTF (and CO-RE against it) is built that way.
    public var nestedArrays = false
    /// Rust type names qualified with their namespace path (`core::fmt::rt::Count`, escaped),
    /// so that `a::Foo` and `b::Foo` stay apart (btfkit's own feature; off by default, as
    /// bpf-linker names types without their path).
    public var qualifiedNames = false
    /// DECL_TAG `bpf_kfunc` (and `bpf_fastcall`) on the functions of `.BTF_ids` kfunc sets
    /// (pahole `decl_tag_kfuncs`; needs `declTags`). `KfuncSets`.
    public var declTagKfuncs = false
    /// pahole 1.31's function table: clones (`foo.isra.0`) find their DWARF function, every
    /// instance is saved and one FUNC per function is emitted after the last unit
    /// (`FunctionRules`; pahole `optimized_func`).
    public var optimizedFunctions = false
    /// Drop functions whose instances' prototypes differ, or whose name has several addresses
    /// (`FunctionRules`; pahole `consistent_func`; implies the 1.31 function table).
    public var consistentFunctions = false
    /// With a base: also the distilled base and the split BTF over it (pahole `distilled_base`;
    /// `EncodeResult.distilled`).
    public var distilledBase = false
    /// Arena kfuncs' pointers through TYPE_TAG "address_space(1)" with kind_flag 1 (pahole
    /// `attributes`; needs decl_tag_kfuncs and decl_tag).
    public var typeAttributes = false
    /// The kind-layout section and a 32-byte header (pahole `layout`; base BTF only).
    public var kindLayout = false
    /// Units in these languages are left out (pahole's `--lang_exclude`; kernels exclude Rust).
    public var excludedLanguages: Set<UInt64> = []
    /// The calling convention's parameter registers (`ParameterRegisters`), set by the encoder
    /// from the ELF machine.
    var parameterRegisters: [Int] = []
    /// Worker threads for the per-unit encoding (the result is identical for any count).
    public var jobs = 1

    public init() {}

    /// The options for a feature set (`BTFFeatureSet`); jobs stay 1.
    public init(features: BTFFeatureSet) {
        for f in BTFFeature.allCases { _ = set(feature: f.rawValue, features.contains(f)) }
    }

    /// The features these options turn on.
    public var features: BTFFeatureSet {
        BTFFeatureSet(Set(BTFFeature.allCases.filter { isOn($0) }))
    }

    /// Feature names accepted by `--btf-features` (pahole's spelling where one exists), the
    /// implemented ones.
    public static var featureNames: [String] { BTFFeature.allCases.filter(\.isImplemented).map(\.rawValue) }

    /// Sets a feature by name; false when the name is unknown or not implemented. Features that
    /// change nothing in btfkit (`encode_force`: names BTF can't hold are always skipped and
    /// counted; `reproducible_build`: always so) are accepted.
    public mutating func set(feature: String, _ on: Bool) -> Bool {
        guard let f = BTFFeature(rawValue: feature), f.isImplemented else { return false }
        if let flag = EncoderOptions.flag(f) { self[keyPath: flag] = on }
        return true
    }

    func isOn(_ f: BTFFeature) -> Bool { EncoderOptions.flag(f).map { self[keyPath: $0] } ?? false }

    /// The option each feature switches (nil: accepted, changes nothing).
    static func flag(_ f: BTFFeature) -> WritableKeyPath<EncoderOptions, Bool>? {
        switch f {
        case .float: return \.floats
        case .enum64: return \.enum64
        case .declTag: return \.declTags
        case .typeTag: return \.typeTags
        case .variables: return \.perCPUVariables
        case .globalVar: return \.globalVariables
        case .nestedArrays: return \.nestedArrays
        case .qualifiedNames: return \.qualifiedNames
        case .declTagKfuncs: return \.declTagKfuncs
        case .optimizedFunc: return \.optimizedFunctions
        case .consistentFunc: return \.consistentFunctions
        case .distilledBase: return \.distilledBase
        case .attributes: return \.typeAttributes
        case .layout: return \.kindLayout
        case .encodeForce, .reproducibleBuild: return nil
        }
    }
}

/// Everything that was changed, approximated or dropped while encoding, counted by reason, so
/// nothing is lost silently.
public struct EncoderReport: Sendable {
    public var counts: [String: Int] = [:]
    /// One example (DIE offset and name) per reason.
    public var examples: [String: String] = [:]

    mutating func note(_ reason: String, _ example: @autoclosure () -> String) {
        counts[reason, default: 0] += 1
        if examples[reason] == nil { examples[reason] = example() }
    }

    mutating func merge(_ other: EncoderReport) {
        for (k, v) in other.counts { counts[k, default: 0] += v }
        for (k, v) in other.examples where examples[k] == nil { examples[k] = v }
    }
}
