import BTF

/// Which DWARF functions become FUNCs: the function-selection policy (docs/encoder.md,
/// docs/pahole-1.31-rules.md §2–§4).
///
/// - `pahole124` (neither `optimized_func` nor `consistent_func`): a function needs a defined
///   STT_FUNC symbol of exactly its name; the first unit that defines a name wins; FUNCs follow
///   their unit's types. Clones (`foo.isra.0`) find nothing.
/// - `pahole131` (`optimized_func` or `consistent_func`): every instance of every function (all
///   units, inline and out-of-line copies) is saved with its prototype; they are grouped by
///   `ELFFunctionTable` key, so clones find their function; after the last unit one FUNC per group
///   is emitted, in key order, from the group's first instance. With `consistent_func`, a group
///   is dropped when its instances' prototypes differ (`PrototypeSignature`) or its key names
///   several addresses (`ELFFunctionTable.Entry.ambiguous`), a parameter sits in an unexpected
///   register (`ParameterRegisters`) or a packed struct is passed on the stack
///   (`StackStructArguments`): a BTF signature that might not
///   match the machine code is worse than none for fentry/fexit.
enum FunctionRules: Sendable, Equatable {
    case pahole124
    case pahole131(consistent: Bool)

    init(_ options: EncoderOptions) {
        if options.consistentFunctions || options.optimizedFunctions {
            self = .pahole131(consistent: options.consistentFunctions)
        } else {
            self = .pahole124
        }
    }

    var defersFunctions: Bool { self != .pahole124 }
}

/// One saved instance of a function (pahole's `btf_encoder_func_state`).
struct SavedFunction: Sendable {
    /// The ELF table key (of the DWARF name, or for Rust the linkage name).
    var key: ELFFunctionTable.Key
    /// FUNC name (shared string offset).
    var name: UInt32
    /// The FUNC_PROTO record, type IDs global (pre-dedup).
    var proto: [UInt32]
    /// Source DECL_TAGs (value, component).
    var tags: [(value: UInt32, component: Int32)]
    /// `PrototypeSignature` hash.
    var signature: UInt64
    /// A parameter in an unexpected register, and no struct parameter (`ParameterRegisters`).
    var unexpectedRegister = false
    /// A packed-looking struct passed on the stack (`StackStructArguments`).
    var uncertainLocation = false
}

/// The saved instances and the decision per group.
struct FunctionCollector: Sendable {
    private(set) var saved: [SavedFunction] = []

    mutating func save(_ f: SavedFunction) { saved.append(f) }

    /// Why a group was dropped, for `--stats`.
    static let droppedInconsistent = "consistent_func: function dropped, prototypes differ between units"
    static let droppedAmbiguous = "consistent_func: function dropped, its name has several addresses"
    static let droppedRegister = "consistent_func: function dropped, a parameter in an unexpected register"
    static let droppedStackStruct = "consistent_func: function dropped, a packed struct passed on the stack"
    static let keptThroughClone = "optimized_func: function found through a suffixed symbol only (.isra/.constprop/...)"
    static let cloneWithoutDWARF = "optimized_func: suffixed symbol with no DWARF function (no FUNC)"
    static let weakAndStrong = "weak and strong definitions of one function (one FUNC; with consistent_func, dropped if their addresses differ)"

    /// One instance per kept group, in key order (strcmp), each the group's first saved instance.
    func selected(table: ELFFunctionTable, consistent: Bool, report: inout EncoderReport) -> [SavedFunction] {
        let keyCount = table.entries.count
        // Each instance's key number, read once (iterating `saved` itself would copy, and retain,
        // every instance's arrays).
        let keyOf = saved.map { Int($0.key.index) }
        var claimed = [Bool](repeating: false, count: keyCount)
        for k in keyOf where k < keyCount { claimed[k] = true }
        // What the symbol table has that no DWARF function claims, and weak/strong pairs, in key order.
        var notable: [Int] = []
        for k in 0..<keyCount where claimed[k] ? table.entries[k].weakAndStrong : table.entries[k].hasClone {
            notable.append(k)
        }
        notable = ELFFunctionTable.strcmpOrder(notable, table)
        for k in notable {
            if !claimed[k], let clone = table.firstClone(k) { report.note(FunctionCollector.cloneWithoutDWARF, clone) }
            if claimed[k] && table.entries[k].weakAndStrong { report.note(FunctionCollector.weakAndStrong, table.key(k)) }
        }
        // The keys in use, in strcmp order; then the instances grouped by key in that order, each
        // group in unit order (a counting sort is stable, as pahole's qsort on glibc behaves).
        let used = ELFFunctionTable.strcmpOrder((0..<keyCount).filter { claimed[$0] }, table)
        var groupStart = [Int](repeating: 0, count: keyCount + 1)
        for k in keyOf where k < keyCount { groupStart[k + 1] += 1 }
        var position = [Int](repeating: 0, count: keyCount)
        var next = 0
        for k in used { position[k] = next; next += groupStart[k + 1] }
        var order = [Int](repeating: 0, count: next)
        var fill = position
        for (i, k) in keyOf.enumerated() where k < keyCount {
            order[fill[k]] = i
            fill[k] += 1
        }
        var result: [SavedFunction] = []
        result.reserveCapacity(used.count)
        for k in used {
            let group = order[position[k]..<fill[k]]
            guard let firstIndex = group.first else { continue }
            let first = saved[firstIndex]
            var inconsistent = false, unexpected = false, uncertain = false
            for i in group {
                if saved[i].signature != first.signature { inconsistent = true }
                if saved[i].unexpectedRegister { unexpected = true }
                if saved[i].uncertainLocation { uncertain = true }
            }
            let entry = table.entries[k]
            if consistent && unexpected { report.note(FunctionCollector.droppedRegister, table.key(k)); continue }
            if consistent && inconsistent { report.note(FunctionCollector.droppedInconsistent, table.key(k)); continue }
            if consistent && uncertain { report.note(FunctionCollector.droppedStackStruct, table.key(k)); continue }
            if consistent && entry.ambiguous { report.note(FunctionCollector.droppedAmbiguous, table.key(k)); continue }
            if !entry.hasExactSymbol { report.note(FunctionCollector.keptThroughClone, table.key(k)) }
            result.append(first)
        }
        return result
    }
}

extension PrototypeSignature {
    /// Whether a parameter's type is a struct, through typedefs and const (pahole's
    /// `param__is_struct`; a declared-only struct counts, a union does not).
    static func hasStructParameter(proto: [UInt32], table t: BTFTypeTable) -> Bool {
        guard proto.count >= 3 else { return false }
        var k = 4
        while k < proto.count {
            var id = proto[k]
            k += 2
            for _ in 0..<maxDepth {
                let i = Int(id) - Int(t.firstID)
                guard id != 0, i >= 0, i < t.count else { break }
                let info = t.info(i)
                if info.kind == .structure || (info.kind == .forward && !info.kindFlag) { return true }
                guard info.kind == .typedef || info.kind == .const else { break }
                id = t.words[t.starts[i] + 2]
            }
        }
        return false
    }
}
