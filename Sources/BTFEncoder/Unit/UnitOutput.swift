import BTF
import DWARF

/// What one compilation unit contributes, with unit-local type IDs (1...types.count): its types in
/// DIE order, and the functions and variables that may become FUNC/VAR once the ELF symbol policy
/// has been applied (in unit order, by `Encoder`).
struct UnitOutput: Sendable {
    var types = BTFTypeTable()
    /// Where the type-ID fields of `types` are (word indexes, as `BTFTypeTable.typeFieldPositions`
    /// gives them): the merger shifts them to global IDs without reading every record's kind.
    var typeFieldPositions: [UInt32] = []
    /// FUNC_PROTO records, one per candidate function (type fields unit-local).
    var protos = BTFTypeTable()
    var functions: [FunctionCandidate] = []
    var variables: [VariableCandidate] = []
    var report = EncoderReport()
    /// ARRAY index fields hold `types.count + 1` (the placeholder) when the unit has arrays; the
    /// encoder points them at the index type pahole would use (see `Encoder`).
    var hasArrays = false
    /// Left out by `--lang_exclude`: nothing to append.
    var excludedByLanguage = false
    /// Unit-local ID of the unit's `int`, 0 if none.
    var intID: UInt32 = 0
    /// A Rust unit: its types may be the targets of other units' references (codegen units,
    /// LTO), so `exports` is filled.
    var isRust = false
    /// Placeholders for references into other units (DW_FORM_ref_addr): the placeholder's
    /// unit-local ID and the target DIE's .debug_info offset. The encoder points the references
    /// at the target's own type once every unit is in (see `UnitMerger.resolveExternalReferences`).
    var externalRefs: [(local: UInt32, target: UInt32)] = []
    /// .debug_info offset of each DIE that produced a type → its unit-local ID (Rust units only).
    var exports: [UInt32: UInt32] = [:]
}

struct FunctionCandidate: Sendable {
    /// String offset (shared table) of the FUNC name (a valid identifier).
    var name: UInt32
    /// String offset (shared table) of the ELF symbol name the policy must find (the linkage name for
    /// Rust, else the same as `name`).
    var symbol: UInt32
    /// Index of its FUNC_PROTO in `UnitOutput.protos`.
    var proto: Int
    var external: Bool
    /// DECL_TAG values on the function (component -1) and its parameters.
    var tags: [(value: UInt32, component: Int32)] = []
    /// A parameter arrives in another register than the calling convention's
    /// (`ParameterRegisters`; checked with consistent_func only).
    var unexpectedRegister = false
}

struct VariableCandidate: Sendable {
    var name: UInt32
    /// The ELF symbol name to match (the linkage name for Rust, else `name`).
    var symbol: UInt32
    /// Unit-local type ID.
    var type: UInt32
    var address: UInt64
    var external: Bool
}

/// See `UnitEncoder.Open.extras`.
final class OpenExtras {
    var function: FunctionCandidate?
    var prefilled: [UInt32]?
    var discriminant: (type: UInt32, bits: UInt64)?
    var variantTags: [(value: UInt32, component: Int32)] = []
    var discrValue: AttributeValue?
    /// Parameter children seen of a function whose parameters come from its abstract origin.
    var concreteParameters = 0
}

/// A worker's reusable state: its caches in front of the shared string table and the DIE → type
/// map arrays (stamped per unit, so they are never cleared).
struct EncoderWorker: Sendable {
    /// The one string table of the output. Workers intern into it directly (under its lock) on
    /// a miss of `nameCache`, so type records hold final string offsets and a finished unit needs
    /// no translation.
    let strings: SharedStrings
    /// Per unit-relative DIE offset: the entry's meaning (see `UnitEncoder.Entry`), valid when
    /// `stamp` matches the current unit.
    var entry: [UInt32] = []
    var stamp: [UInt32] = []
    var generation: UInt32 = 0
    /// Alias targets (unit-relative DIE offsets) for DIEs that produce no type of their own.
    var aliases: [UInt32] = []
    /// Member/enumerator/parameter words of the open containers, innermost last; `memberStarts`
    /// holds where each open container's words begin.
    var memberWords: [UInt32] = []
    var memberStarts: [Int] = []
    /// Where the type-ID fields of a finished unit's records are (`UnitEncoder.resolveTypeFields`).
    var fieldPositions: [UInt32] = []
    /// String section key (`UnitStrings.key`) → interned offset, across units.
    var nameCache: KeyCache
    /// The shared table's preinterned .debug_str names; the worker's own copy once it learns the
    /// names a linker left inside longer strings (`PreinternedNames.learn`).
    var preinterned: PreinternedNames
    /// Inline names of up to 7 bytes → interned offset (valid identifiers only), across units.
    var shortNames: ShortNameCache
    /// Escaped name → interned "name=<original>" for names whose escape can't be undone.
    var originals: [UInt32: UInt32] = [:]

    init(strings: SharedStrings) {
        self.strings = strings
        preinterned = strings.preinterned
        nameCache = KeyCache()
        shortNames = ShortNameCache()
    }

    /// An empty stand-in that holds no caches, for while a unit encoder has the real one.
    private init(standInFor strings: SharedStrings) {
        self.strings = strings
        preinterned = strings.preinterned
        nameCache = KeyCache(standIn: ())
        shortNames = ShortNameCache(standIn: ())
    }

    static func standIn(_ strings: SharedStrings) -> EncoderWorker { EncoderWorker(standInFor: strings) }

    mutating func prepare(size: Int) {
        if entry.count < size {
            entry = Array(repeating: 0, count: size)
            stamp = Array(repeating: 0, count: size)
        }
        generation &+= 1
        if generation == 0 {            // wrapped: clear once
            for i in stamp.indices { stamp[i] = 0 }
            generation = 1
        }
        aliases.removeAll(keepingCapacity: true)
    }
}
