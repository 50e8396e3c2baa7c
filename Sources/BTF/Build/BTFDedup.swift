/// Kind numbers by name, for the switches on `kind.rawValue` below.
private typealias Kind = BTFKind.Number

/// libbpf's BTF deduplication (btf-spec §3) over a `BTFTypeTable`: every structurally unique type
/// kept once, forward declarations resolved to their definitions, IDs rewritten. For split BTF the
/// base types come first in the same table (`baseCount` of them, IDs 1...baseCount); they are
/// preferred as canonical and never changed.
///
/// Processing order, hashing and equivalence follow libbpf, with one deliberate difference: hash
/// buckets are visited in insertion order (libbpf's order depends on its hash map internals), so
/// the output depends only on the input — byte-identical for any number of encoder threads.
public struct BTFDedup {
    /// Deduplicates `table` (base types first, then the types to dedup) and returns the kept
    /// types (the split part only when `baseCount > 0`) with IDs continuing after the base, plus
    /// `newID[oldID]` for every input ID (0 for void).
    ///
    /// Strings must already be unique (equal offset ⇔ equal string), which `StringInterner`
    /// guarantees; for split BTF, names equal to a base string must use the base offset.
    public static func deduplicate(_ table: BTFTypeTable, baseCount: Int) throws(BTFError) -> (types: BTFTypeTable, newID: [UInt32]) {
        var copy = table
        return try deduplicate(consuming: &copy, baseCount: baseCount)
    }

    /// As `deduplicate(_:baseCount:)`, taking the table's storage (left empty) instead of copying it.
    public static func deduplicate(consuming table: inout BTFTypeTable, baseCount: Int) throws(BTFError) -> (types: BTFTypeTable, newID: [UInt32]) {
        var d = DedupState(taking: &table, baseCount: baseCount)
        try d.run()
        return d.compact()
    }
}

/// Dedup fed unit by unit: append each unit's types to `table`, call `advance()` (the primitive
/// and struct passes run on what is new, while the types are hot in cache and, for a parallel
/// encoder, while later units are still being converted), then `finish()`. The result is the one
/// `BTFDedup.deduplicate` gives for the whole table.
public struct IncrementalDedup {
    var state: DedupState

    /// `base`: the base BTF's types (split mode; IDs 1...base.count), or nil.
    public init(base: BTFTypeTable?) {
        var t = base ?? BTFTypeTable()
        state = DedupState(taking: &t, baseCount: base?.count ?? 0)
        state.seedBase()
    }

    /// The types so far (base first); append new ones, then call `advance()`.
    public var table: BTFTypeTable {
        get { state.t }
        _modify { yield &state.t }
    }

    public mutating func advance() throws(BTFError) { try state.advance() }

    /// Room for about `types` types in all, so that the per-type maps do not grow (and copy)
    /// by doubling while units are appended one by one.
    public mutating func reserve(types: Int) {
        state.map.reserveCapacity(types + 1)
        state.hypot.reserveCapacity(types + 1)
    }

    /// Finishes the passes and returns the kept types (own types only in split mode) and the
    /// old → new ID map.
    public mutating func finish() throws(BTFError) -> (types: BTFTypeTable, newID: [UInt32]) {
        try finish { _ in }
    }

    /// Runs forward resolution and the reference pass (§3.3 steps 4–5) over every type appended
    /// so far, so that `finish()` has only the types appended after this call left to do: a
    /// caller can add types it is still working out meanwhile (the encoder picks the functions
    /// to emit on another thread while the units' types go through the reference pass). The
    /// types appended afterwards are deduplicated among themselves and against these, with the
    /// same result as one pass over everything as long as none of them is a struct, union, FWD or
    /// enum (those could resolve a forward declaration settled here); `mark` is called after
    /// each step, as in `finish(marking:)`.
    public mutating func settle(marking mark: (String) -> Void = { _ in }) throws(BTFError) {
        try state.settle(marking: mark)
    }

    /// As `finish()`, calling `mark` with each step's name as that step ends ("structs",
    /// "forwards", "references", "compact"): for a caller's timings.
    public mutating func finish(marking mark: (String) -> Void) throws(BTFError) -> (types: BTFTypeTable, newID: [UInt32]) {
        try state.finishPasses(marking: mark)
        let result = state.compact()
        mark("compact")
        return result
    }
}

@inline(__always) func mix(_ h: UInt64, _ v: UInt64) -> UInt64 { h &* 31 &+ v }

struct DedupState {
    var t: BTFTypeTable
    let baseCount: Int
    /// Canonical ID per ID (index = ID); `unprocessed` until decided.
    var map: [UInt32]
    static let unprocessed = UInt32.max
    static let inProgress = UInt32.max - 1
    var buckets: HashBuckets
    /// Hypothetical canonical → candidate mapping of the current comparison.
    var hypot: [UInt32]
    /// The canonical IDs `hypot` holds an entry for (a reference: the walk appends to its storage).
    var hypotList = IDList(capacity: 1024)
    /// The equivalence walk's stack of pairs still to compare.
    var walkPairs = PairStack(capacity: 256)
    var hypotAdjustCanon = false

    var scratch: [UInt32] = []
    /// dedupReference's work stack.
    var refStack: [UInt32] = []
    /// Structs/unions that became canonical (base ones first), and FWDs, in ID order: what
    /// `resolveForwards` looks at, without a scan over every type.
    var canonicalAggregates: [UInt32] = []
    var forwards: [UInt32] = []
    /// Canonical enums by their whole record, and canonical forward enums (no enumerators) by
    /// the name hash, in ID order: `enumCanonical`'s indexes.
    var enumsByContent = HashBuckets(capacity: 0)
    var forwardEnums: [UInt64: [UInt32]] = [:]

    init(taking table: inout BTFTypeTable, baseCount: Int) {
        t = BTFTypeTable()
        swap(&t, &table)
        self.baseCount = baseCount
        map = [0]
        hypot = [DedupState.unprocessed]
        buckets = HashBuckets(capacity: 1024)     // only canonical types go in: grows as needed
        extendMaps()
    }

    /// Grows `map`/`hypot` to cover types appended to `t` since the last call.
    mutating func extendMaps() {
        let n = t.count + 1
        guard map.count < n else { return }
        let first = map.count
        map.append(contentsOf: repeatElement(DedupState.unprocessed, count: n - first))
        hypot.append(contentsOf: repeatElement(DedupState.unprocessed, count: n - first))
        for id in first..<n where id <= baseCount || t.kind(id - 1) == .variable || t.kind(id - 1) == .dataSection {
            map[id] = UInt32(id)
        }
    }

    // MARK: record access (ID-based; ID 0 is void)

    @inline(__always) func start(_ id: UInt32) -> Int { t.starts[Int(id) - 1] }
    @inline(__always) func name(_ id: UInt32) -> UInt32 { t.words[start(id)] }
    @inline(__always) func info(_ id: UInt32) -> TypeInfo { TypeInfo(rawValue: t.words[start(id) + 1]) }
    @inline(__always) func kind(_ id: UInt32) -> BTFKind { id == 0 ? .unknown : info(id).kind }
    @inline(__always) func word2(_ id: UInt32) -> UInt32 { t.words[start(id) + 2] }
    @inline(__always) func tail(_ id: UInt32, _ k: Int) -> UInt32 { t.words[start(id) + 3 + k] }
    var total: Int { t.count }

    /// `DedupState.resolve(_:mapCount:_:)` for the array (a loop of its own: through the shared
    /// one with a closure, each call cost a few instructions more, and this one runs per pair).
    func resolve(_ id: UInt32) -> UInt32 {
        var id = id
        var steps = 0
        while map[Int(id)] != id && map[Int(id)] < DedupState.inProgress && steps < 1 << 20 { id = map[Int(id)]; steps += 1 }
        return id
    }

    // MARK: rules shared with the borrowed-buffer loops (`BorrowedRecords`, `EquivalenceWalk`):
    // each reads words through `word`, inlined, so both callers keep their own access.

    /// The canonical ID `id` leads to through `map` (bounded; an ID past the map is its own).
    @inline(__always) static func resolve(_ id: UInt32, mapCount: Int, _ map: (Int) -> UInt32) -> UInt32 {
        var id = id
        var steps = 0
        while Int(id) < mapCount {
            let m = map(Int(id))
            guard m != id, m < DedupState.inProgress, steps < 1 << 20 else { break }
            id = m
            steps += 1
        }
        return id
    }

    /// Records `[sa, ea)` and `[sb, eb)` hold the same words: libbpf's equality of primitive and
    /// (with canonical fields) reference types.
    @inline(__always) static func sameWords(_ sa: Int, _ ea: Int, _ sb: Int, _ eb: Int, _ word: (Int) -> UInt32) -> Bool {
        let n = ea - sa
        guard n == eb - sb, n >= 0 else { return false }
        // Record starts are word indexes of one buffer: `sa + k` and `sb + k` cannot overflow.
        var a = sa, b = sb
        while a < ea {
            if word(a) != word(b) { return false }
            a &+= 1
            b &+= 1
        }
        return true
    }

    /// Name, info, size and every member's name and offset equal, for the structs/unions whose
    /// records start at `sa` and `sb` (equal infos give equal member counts).
    @inline(__always) static func shallowStructEqual(_ sa: Int, _ sb: Int, _ word: (Int) -> UInt32) -> Bool {
        guard word(sa) == word(sb), word(sa + 1) == word(sb + 1), word(sa + 2) == word(sb + 2) else { return false }
        for m in 0..<TypeInfo(rawValue: word(sa + 1)).vlen {
            let a = sa + 3 + 3 * m, b = sb + 3 + 3 * m
            guard word(a) == word(b), word(a + 2) == word(b + 2) else { return false }
        }
        return true
    }

    /// Same name, both enums, at least one a forward enum (vlen 0); size and ENUM/ENUM64 ignored.
    @inline(__always) static func enumCompatible(_ ia: TypeInfo, _ ib: TypeInfo, sameName: Bool) -> Bool {
        let enums = (ia.kind == .enumeration || ia.kind == .enum64) && (ib.kind == .enumeration || ib.kind == .enum64)
        return enums && sameName && (ia.vlen == 0 || ib.vlen == 0)
    }

    // MARK: passes

    mutating func run() throws(BTFError) {
        seedBase()
        try advance()
        try finishPasses()
    }

    /// IDs up to here have been through the primitive and struct passes.
    var processed = 0

    /// Base types become canonical candidates first (split mode).
    mutating func seedBase() {
        processed = baseCount
        for id in 1..<(baseCount + 1) {
            let id = UInt32(id)
            switch kind(id).rawValue {
            case Kind.int, Kind.forward, Kind.float: buckets.insert(primitiveHash(id), id)
            case Kind.enumeration, Kind.enum64:
                let h = primitiveHash(id)
                buckets.insert(h, id)
                noteCanonicalEnum(id, hash: h)
            case Kind.structure, Kind.union: buckets.insert(structHash(id), id); canonicalAggregates.append(id)
            case Kind.typedef: buckets.insert(mix(mix(0, UInt64(name(id))), UInt64(info(id).rawValue)), id)
            case Kind.variable, Kind.dataSection: break
            default: buckets.insert(referenceHash(id), id)
            }
        }
    }

    /// The primitive and struct passes (§3.3 steps 2–3) over the types appended since the last
    /// call. Types only reference earlier units' types and their own, so running these passes
    /// unit by unit, in ID order, decides exactly what one run over everything would.
    mutating func advance() throws(BTFError) {
        extendMaps()
        let first = processed + 1, last = total
        guard first <= last else { return }
        for id in first...last {
            switch kind(UInt32(id)).rawValue {
            case Kind.int, Kind.enumeration, Kind.forward, Kind.float, Kind.enum64: try dedupPrimitive(UInt32(id))
            default: break
            }
        }
        for id in first...last {
            let k = kind(UInt32(id)).rawValue
            if (k == 4 || k == 5 || k == 8) && map[id] == DedupState.unprocessed { try dedupStruct(UInt32(id)) }
        }
        processed = last
    }

    /// IDs up to here have been through forward resolution and the reference pass (`settle`).
    var settled = 0

    /// Forward resolution and the reference pass (§3.3 steps 4–5) over the types not settled yet.
    mutating func finishPasses(marking mark: (String) -> Void = { _ in }) throws(BTFError) {
        try advance()
        mark("structs")
        try settle(marking: mark)
    }

    /// `IncrementalDedup.settle`: forward resolution once (the types after the first settle may
    /// not add structs or FWDs), then the reference pass over the types since the last settle.
    mutating func settle(marking mark: (String) -> Void) throws(BTFError) {
        try advance()
        let first = max(baseCount, settled) + 1, last = total
        guard first <= last else { return }
        if settled == 0 {
            resolveForwards()
            mark("forwards")
        }
        try referencePass(first...last)
        settled = last
        mark("references")
    }

    // Primitive kinds: INT, ENUM, ENUM64, FWD, FLOAT (§3.3 step 2).

    func primitiveHash(_ id: UInt32) -> UInt64 {
        let k = kind(id)
        var h = mix(0, UInt64(name(id)))
        if k == .enumeration || k == .enum64 { return h }     // name only: forward enums meet full ones
        h = mix(h, UInt64(info(id).rawValue))
        h = mix(h, UInt64(word2(id)))
        if k == .int { h = mix(h, UInt64(tail(id, 0))) }
        return h
    }

    /// Same words: name, info, size/type and the whole tail (lengths follow from info).
    @inline(__always)
    func primitiveEqual(_ a: UInt32, _ b: UInt32) -> Bool {
        DedupState.sameWords(start(a), t.end(Int(a) - 1), start(b), t.end(Int(b) - 1)) { t.words[$0] }
    }

    func isEnum(_ id: UInt32) -> Bool { let k = kind(id); return k == .enumeration || k == .enum64 }

    func enumCompatible(_ a: UInt32, _ b: UInt32) -> Bool {
        DedupState.enumCompatible(info(a), info(b), sameName: name(a) == name(b))
    }

    mutating func dedupPrimitive(_ id: UInt32) throws(BTFError) {
        if kind(id) == .forward { forwards.append(id) }
        let h = primitiveHash(id)
        var canon = id
        if isEnum(id) {
            canon = enumCanonical(id, hash: h)
        } else {
            canon = buckets.first(h) { primitiveEqual(id, $0) } ?? id
        }
        map[Int(id)] = canon
        if canon == id {
            buckets.insert(h, id)
            if isEnum(id) { noteCanonicalEnum(id, hash: h) }
        }
    }

    // STRUCT, UNION, TYPEDEF (§3.3 step 3).

    func structHash(_ id: UInt32) -> UInt64 {
        var h = mix(mix(mix(0, UInt64(name(id))), UInt64(info(id).rawValue)), UInt64(word2(id)))
        for m in 0..<info(id).vlen {
            h = mix(h, UInt64(tail(id, 3 * m)))
            h = mix(h, UInt64(tail(id, 3 * m + 2)))
        }
        return h
    }

    @inline(__always)
    func shallowStructEqual(_ a: UInt32, _ b: UInt32) -> Bool {
        DedupState.shallowStructEqual(start(a), start(b)) { t.words[$0] }
    }

    /// A necessary condition for the equivalence of structs/unions `a` and `b` that passed
    /// `shallowStructEqual`, checked before the walk: each member's type has the same name on
    /// both sides. The walk compares names first at every pair it visits, and two types that
    /// already resolve to one canonical type have one name (every map entry links same-named
    /// types), so a candidate that fails here would fail the walk, which leaves nothing behind
    /// when it fails. This keeps a bucket of many look-alikes linear: Linux 6.12 has 830 unions
    /// `{ event; handler; }` (one per tracepoint, each with its own `btf_trace_*` typedef) that
    /// all share a hash, and each new one used to walk against every earlier one.
    @inline(__always)
    func memberTypeNamesMatch(_ a: UInt32, _ b: UInt32) -> Bool {
        for m in 0..<info(a).vlen {
            let ta = tail(a, 3 * m + 1), tb = tail(b, 3 * m + 1)
            guard ta != tb else { continue }
            let na = ta == 0 || Int(ta) > total ? 0 : name(ta)
            let nb = tb == 0 || Int(tb) > total ? 0 : name(tb)
            if na != nb { return false }
        }
        return true
    }

    mutating func dedupStruct(_ id: UInt32) throws(BTFError) {
        let isTypedef = kind(id) == .typedef
        let h = isTypedef ? mix(mix(0, UInt64(name(id))), UInt64(info(id).rawValue)) : structHash(id)
        var canon = id
        buckets.candidates(h, into: &scratch)
        let candidates = scratch
        for c in candidates {
            if isTypedef {
                guard kind(c) == .typedef, name(c) == name(id), info(c) == info(id) else { continue }
            } else {
                guard kind(c) == kind(id), shallowStructEqual(id, c), memberTypeNamesMatch(id, c) else { continue }
            }
            clearHypot()
            let eq = try equivalent(id, c)
            if !eq { continue }
            mergeHypot()
            if hypotAdjustCanon { continue }
            canon = c
            break
        }
        map[Int(id)] = canon
        if canon == id {
            buckets.insert(h, id)
            if !isTypedef { canonicalAggregates.append(id) }
        }
    }

    /// §3.3 step 4: FWDs still canonical resolve to the one struct/union of their name.
    mutating func resolveForwards() {
        var byName: [UInt32: UInt32] = [:]          // name → canonical struct/union, 0 = ambiguous
        for id in canonicalAggregates {
            let k = kind(id)
            guard (k == .structure || k == .union), name(id) != 0, resolve(id) == id else { continue }
            if let prev = byName[name(id)] { if prev != id { byName[name(id)] = 0 } } else { byName[name(id)] = id }
        }
        guard baseCount < total else { return }
        for id32 in forwards where Int(id32) > baseCount {
            let id = Int(id32)
            guard kind(id32) == .forward, map[id] == id32 || map[id] == DedupState.unprocessed else { continue }
            if let target = byName[name(id32)], target != 0 {
                let want: BTFKind = info(id32).kindFlag ? .union : .structure
                if kind(target) == want { map[id] = target; continue }
            }
            map[id] = id32
        }
    }

    // Reference kinds (§3.3 step 5): the pass itself is `referencePass`.

    func referenceHash(_ id: UInt32) -> UInt64 {
        let s = start(id)
        return DedupState.referenceHash(info(id)) { t.words[s + $0] }
    }

    /// libbpf's hash of a reference record: name, info, then its type fields and tail. `word(k)`
    /// is the record's word `k` (the caller checked the record holds them all).
    @inline(__always) static func referenceHash(_ info: TypeInfo, _ word: (Int) -> UInt32) -> UInt64 {
        var h = mix(mix(0, UInt64(word(0))), UInt64(info.rawValue))
        switch info.kind.rawValue {
        case Kind.array: h = mix(mix(mix(mix(h, UInt64(word(2))), UInt64(word(3))), UInt64(word(4))), UInt64(word(5)))
        case Kind.functionProto:
            h = mix(h, UInt64(word(2)))
            for p in 0..<info.vlen { h = mix(mix(h, UInt64(word(3 + 2 * p))), UInt64(word(4 + 2 * p))) }
        case Kind.declTag: h = mix(mix(h, UInt64(word(2))), UInt64(word(3)))
        default: h = mix(h, UInt64(word(2)))
        }
        return h
    }

    // MARK: compaction and remapping (§3.3 steps 6–7)

    mutating func compact() -> (types: BTFTypeTable, newID: [UInt32]) {
        let n = total
        // The passes are over: their scratch goes, and `map` itself becomes `newID`, so this step
        // does not raise the peak memory of a big dedup by another word per type.
        buckets = HashBuckets(capacity: 0)
        canonicalAggregates = []
        forwards = []
        enumsByContent = HashBuckets(capacity: 0)
        forwardEnums = [:]
        hypot = []
        hypotList = IDList(capacity: 1)
        // 1. Kept types (canonical, not base) get their new IDs in ID order, flagged in `map`, and
        //    their records copied. A type is canonical when `resolve` stops at it: its map entry
        //    is itself (or, never after complete passes, a sentinel).
        let flag: UInt32 = 0x8000_0000
        var next = UInt32(baseCount + 1)
        var out = BTFTypeTable(firstID: UInt32(baseCount + 1))
        out.words.reserveCapacity(t.words.count / 8)
        if baseCount < n {
            for id in (baseCount + 1)...n where map[id] == UInt32(id) || map[id] >= DedupState.inProgress {
                map[id] = flag | next
                next += 1
                let s = start(UInt32(id)), e = t.end(id - 1)
                out.starts.append(out.words.count)
                out.words.append(contentsOf: t.words[s..<e])
            }
        }
        // 2. Every other ID takes the new ID at the end of its chain, flagged too: base IDs stay
        //    (they come first, so a chain into the base ends at a flagged base entry), a chain
        //    ends at the first flagged entry (a kept type, or a lower ID already done). One read
        //    of the canonical's entry per type, no separate path compression.
        map.withUnsafeMutableBufferPointer { map in
            for id in 1..<(n + 1) {
                if id <= baseCount { map[id] = flag | UInt32(id); continue }
                let m = map[id]
                if m & flag != 0 && m < DedupState.inProgress { continue }       // kept
                var c = Int(m), result: UInt32 = flag, steps = 0
                while c > 0 && c <= n && steps < 1 << 20 {
                    let mc = map[c]
                    if mc & flag != 0 && mc < DedupState.inProgress { result = mc; break }
                    c = Int(mc)
                    steps += 1
                }
                map[id] = result
            }
            // 3. The flags go.
            for id in 1..<(n + 1) { map[id] &= ~flag }
        }
        map[0] = 0
        // The input table and the map are done with (dedup is over): give their memory back now.
        var newID: [UInt32] = []
        swap(&newID, &map)
        t = BTFTypeTable()
        if baseCount < n {
            for i in 0..<out.count {
                out.rewriteTypeFields(i) { ref in Int(ref) <= n ? newID[Int(ref)] : ref }
            }
        }
        return (out, newID)
    }
}
