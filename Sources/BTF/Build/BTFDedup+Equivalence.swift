/// Kind numbers by name, for the switches on `kind.rawValue` below.
private typealias Kind = BTFKind.Number

/// libbpf's type-graph equivalence (btf-spec §3.4) and the hypothetical map's merge (§3.5): the
/// struct/union pass of `DedupState` asks, for each candidate canonical type, whether the graph
/// reachable from a new struct matches the one reachable from it.
extension DedupState {
    mutating func clearHypot() {
        // The scratch lists are objects: a copy of this state (a copied `IncrementalDedup`) gets
        // its own before it writes, so that copies keep value semantics.
        if !isKnownUniquelyReferenced(&hypotList) { hypotList = hypotList.copy() }
        if !isKnownUniquelyReferenced(&walkPairs) { walkPairs = PairStack(capacity: walkPairs.capacity) }
        for c in hypotList.elements { hypot[Int(c)] = DedupState.unprocessed }
        hypotList.count = 0
        hypotAdjustCanon = false
    }

    /// §3.4: is the graph at `cand` equivalent to the one at canonical `canon`? The walk runs
    /// over the records, `map` and the hypothetical map borrowed as buffers for the whole
    /// comparison (`EquivalenceWalk`), so its hot loop makes no uniqueness checks.
    mutating func equivalent(_ cand: UInt32, _ canon: UInt32) throws(BTFError) -> Bool {
        var adjust = false
        let baseCount = self.baseCount
        let list = hypotList, pairs = walkPairs
        let result: Result<Bool, BTFError> = t.words.withUnsafeBufferPointer { words in
            t.starts.storage.withUnsafeBufferPointer { starts in
                map.withUnsafeBufferPointer { map in
                    hypot.withUnsafeMutableBufferPointer { hypot in
                        let records = BorrowedRecords(words: words, starts: starts, map: map)
                        var walk = EquivalenceWalk(records: records, hypot: hypot, list: list, pending: pairs, baseCount: baseCount)
                        defer {
                            walk.giveBack(list, pairs)
                            adjust = walk.adjustCanon
                        }
                        do throws(BTFError) { return .success(try walk.equivalentUnlessSame(cand, canon)) } catch { return .failure(error) }
                    }
                }
            }
        }
        if adjust { hypotAdjustCanon = true }
        return try result.get()
    }

    /// §3.5.
    mutating func mergeHypot() {
        for c0 in hypotList.elements {
            let t0 = hypot[Int(c0)]
            let c = resolve(c0), tt = resolve(t0)
            let ck = kind(c), tk = kind(tt)
            if ck == .forward && tk != .forward { map[Int(c)] = tt }
            if hypotAdjustCanon { continue }
            if tk == .forward && ck != .forward { map[Int(tt)] = c }
            if (tk == .structure || tk == .union) && ck != .forward
                && map[Int(c)] != DedupState.unprocessed && map[Int(tt)] == DedupState.unprocessed {
                map[Int(tt)] = c
            }
        }
    }
}

/// The records and the canonical map of a dedup borrowed as buffers, for its hot loops
/// (`EquivalenceWalk`, `ReferencePass`): record access and `resolve` with every index checked
/// against its buffer, so that a type ID or record that does not fit is an answer ("not there"),
/// never a trap.
struct BorrowedRecords {
    let words: UnsafeBufferPointer<UInt32>
    let starts: UnsafeBufferPointer<UInt32>
    let map: UnsafeBufferPointer<UInt32>

    /// First word of record `id`, when it has at least `length` words in the buffer.
    @inline(__always) func start(_ id: UInt32, length: Int = 3) -> Int? {
        let i = Int(id) - 1
        guard i >= 0, i < starts.count else { return nil }
        let s = Int(starts[i])
        guard s <= words.count - length else { return nil }
        return s
    }

    /// One past the last word of record `id`.
    @inline(__always) func end(_ id: UInt32) -> Int {
        let i = Int(id)
        return i < starts.count ? min(Int(starts[i]), words.count) : words.count
    }

    /// `DedupState.resolve` on the borrowed map.
    @inline(__always) func resolve(_ id: UInt32) -> UInt32 { DedupState.resolve(id, mapCount: map.count) { map[$0] } }

    /// `DedupState.sameWords` for two records of the buffers (false when one does not fit).
    @inline(__always) func sameWords(_ a: UInt32, _ b: UInt32) -> Bool {
        guard let sa = start(a), let sb = start(b) else { return false }
        return DedupState.sameWords(sa, end(a), sb, end(b)) { words[$0] }
    }
}

/// One run of libbpf's equivalence walk (btf-spec §3.4) over borrowed buffers: the type records
/// and the canonical map (`BorrowedRecords`, read only: the walk decides nothing) and the
/// hypothetical map it fills. A type ID or record that does not fit ends the walk with "not
/// equivalent" (both types are kept), never a trap.
struct EquivalenceWalk {
    let records: BorrowedRecords
    let words: UnsafeBufferPointer<UInt32>
    let hypot: UnsafeMutableBufferPointer<UInt32>
    /// Canonical IDs given a hypothetical candidate, for `DedupState.clearHypot`/`mergeHypot`:
    /// the storage of an `IDList`, borrowed for the walk (`giveBack` returns it), appended to
    /// without any check of a Swift array's.
    private var list: UnsafeMutablePointer<UInt32>
    private var listCount: Int
    private var listCapacity: Int
    let baseCount: Int
    /// A canonical FWD of the base met a struct/union (split BTF): not really equivalent.
    var adjustCanon = false
    /// The pairs still to compare (`equivalentUnlessSame`), storage borrowed like `list`'s.
    private var pending: UnsafeMutablePointer<PendingPair>
    private var pendingCount = 0
    private var pendingCapacity: Int

    init(records: BorrowedRecords, hypot: UnsafeMutableBufferPointer<UInt32>, list: IDList, pending: PairStack, baseCount: Int) {
        self.records = records
        self.words = records.words
        self.hypot = hypot
        self.list = list.pointer
        self.listCount = list.count
        self.listCapacity = list.capacity
        self.pending = pending.pointer
        self.pendingCapacity = pending.capacity
        self.baseCount = baseCount
    }

    /// Hands the storages (perhaps moved by growing) and the list's length back.
    func giveBack(_ list: IDList, _ pending: PairStack) {
        list.pointer = self.list
        list.count = listCount
        list.capacity = listCapacity
        pending.pointer = self.pending
        pending.capacity = pendingCapacity
    }

    @inline(__always) mutating func remember(_ canon: UInt32) {
        if listCount == listCapacity { growList() }
        list[listCount] = canon
        listCount += 1
    }

    private mutating func growList() { EquivalenceWalk.double(&list, count: listCount, capacity: &listCapacity) }

    /// Moves the first `count` elements of `storage` to a new allocation twice as large.
    private static func double<Element>(_ storage: inout UnsafeMutablePointer<Element>, count: Int, capacity: inout Int) {
        let bigger = UnsafeMutablePointer<Element>.allocate(capacity: capacity * 2)
        bigger.moveInitialize(from: storage, count: count)
        storage.deallocate()
        storage = bigger
        capacity *= 2
    }

    @inline(__always) func start(_ id: UInt32) -> Int? { records.start(id) }

    @inline(__always) func resolve(_ id: UInt32) -> UInt32 { records.resolve(id) }

    @inline(__always) func primitiveEqual(_ a: UInt32, _ b: UInt32) -> Bool { records.sameWords(a, b) }

    /// `DedupState.enumCompatible` for two records of the buffers.
    @inline(__always) func enumCompatible(_ a: UInt32, _ b: UInt32) -> Bool {
        guard let sa = start(a), let sb = start(b) else { return false }
        return DedupState.enumCompatible(TypeInfo(rawValue: words[sa + 1]), TypeInfo(rawValue: words[sb + 1]), sameName: words[sa] == words[sb])
    }

    /// `DedupState.shallowStructEqual` for records at `sa` and `sb` (the caller checked both hold
    /// the members the first one's info says).
    @inline(__always) func shallowStructEqual(_ sa: Int, _ sb: Int) -> Bool {
        DedupState.shallowStructEqual(sa, sb) { words[$0] }
    }

    /// `equivalent`: two types that already resolve to one are equivalent; else their graphs are
    /// compared pair by pair (`visit`). Every composite type is equivalent only when all of its
    /// parts are, so the comparison is one depth-first run over pending pairs (an explicit stack,
    /// no recursion) that stops at the first pair that fails. Pairs are visited in the order the
    /// recursive definition visits them (a type's parts in order, each with all of its own before
    /// the next), so the hypothetical map fills exactly as libbpf's recursion fills it.
    mutating func equivalentUnlessSame(_ cand: UInt32, _ canon: UInt32) throws(BTFError) -> Bool {
        pendingCount = 0
        push(cand, canon, enclosing: 0)
        while pendingCount > 0 {
            pendingCount &-= 1
            let p = pending[pendingCount]
            guard try visit(p.cand, p.canon, resolvedCanon: p.resolvedCanon, enclosing: Int(p.enclosing)) else { return false }
        }
        return true
    }

    /// Queues a pair, unless its types already resolve to one (then it is equivalent as it is;
    /// `map` does not change during a walk, so deciding that now is deciding it when it is due).
    @inline(__always) mutating func push(_ cand: UInt32, _ canon: UInt32, enclosing: Int) {
        let rCanon = resolve(canon)
        if resolve(cand) == rCanon { return }
        if pendingCount == pendingCapacity { growPending() }
        pending[pendingCount] = PendingPair(cand: cand, canon: canon, resolvedCanon: rCanon, enclosing: UInt32(truncatingIfNeeded: enclosing))
        pendingCount &+= 1
    }

    private mutating func growPending() { EquivalenceWalk.double(&pending, count: pendingCount, capacity: &pendingCapacity) }

    /// One pair of the walk, for two types that do not resolve to one, `enclosing` compared pairs
    /// deep: false when they cannot be equivalent; else their parts are pushed (in reverse, so
    /// the first part is compared next) and the answer waits for those.
    @inline(__always)
    mutating func visit(_ candIn: UInt32, _ canonIn: UInt32, resolvedCanon rCanonIn: UInt32, enclosing: Int) throws(BTFError) -> Bool {
        // A canonical FWD stands for the struct/union it resolved to.
        var canon = canonIn
        var canonStart = canonIn == 0 ? nil : start(canonIn)
        if let s = canonStart, TypeInfo(rawValue: words[s + 1]).kind == .forward, rCanonIn != canonIn {
            let r = rCanonIn == 0 ? nil : start(rCanonIn)
            if r.map({ TypeInfo(rawValue: words[$0 + 1]).kind != .forward }) ?? true {
                canon = rCanonIn
                canonStart = r
            }
        }
        let cand = candIn
        guard Int(canon) < hypot.count else { return false }
        let recorded = hypot[Int(canon)]
        if recorded != DedupState.unprocessed {
            if recorded == cand { return true }
            return identical(recorded, cand, depth: 16)
        }
        hypot[Int(canon)] = cand
        remember(canon)
        if cand == 0 || canon == 0 { return cand == canon }
        guard let sc = start(cand), let sn = canonStart else { return false }
        guard words[sc] == words[sn] else { return false }            // names
        let ic = TypeInfo(rawValue: words[sc + 1]), inn = TypeInfo(rawValue: words[sn + 1])
        let ck = ic.kind, nk = inn.kind
        if (ck == .forward) != (nk == .forward) {
            let fwdInfo = ck == .forward ? ic : inn
            let otherKind = ck == .forward ? nk : ck
            let fwdKind: BTFKind = fwdInfo.kindFlag ? .union : .structure
            if otherKind == fwdKind {
                if nk == .forward && Int(canon) <= baseCount { adjustCanon = true }
                return true
            }
            return false
        }
        guard ck == nk else { return false }
        let depth = enclosing + 1
        guard depth < EquivalenceWalk.maxDepth else { return false }      // bounded walk: give up, keep both
        switch ck.rawValue {
        case Kind.int, Kind.forward, Kind.float: return primitiveEqual(cand, canon)
        case Kind.enumeration, Kind.enum64: return primitiveEqual(cand, canon) || enumCompatible(cand, canon)
        case Kind.pointer, Kind.typedef, Kind.volatile, Kind.const, Kind.restrict, Kind.function, Kind.typeTag:
            guard ic == inn else { return false }
            push(words[sc + 2], words[sn + 2], enclosing: depth)
            return true
        case Kind.array:
            guard ic == inn, sc <= words.count - 6, sn <= words.count - 6, words[sc + 5] == words[sn + 5] else { return false }
            // The index type (word 4), then the element type (word 3), libbpf's order.
            push(words[sc + 3], words[sn + 3], enclosing: depth)
            push(words[sc + 4], words[sn + 4], enclosing: depth)
            return true
        case Kind.structure, Kind.union:
            let n = ic.vlen
            guard sc <= words.count - 3 - 3 * n, sn <= words.count - 3 - 3 * n,
                  shallowStructEqual(sc, sn) else { return false }
            var m = n
            while m > 0 {
                m -= 1
                push(words[sc + 4 + 3 * m], words[sn + 4 + 3 * m], enclosing: depth)
            }
            return true
        case Kind.functionProto:
            guard ic == inn else { return false }
            let n = ic.vlen
            guard sc <= words.count - 3 - 2 * n, sn <= words.count - 3 - 2 * n else { return false }
            for p in 0..<n where words[sc + 3 + 2 * p] != words[sn + 3 + 2 * p] { return false }
            // The return type, then the parameters in order.
            var p = n
            while p > 0 {
                p -= 1
                push(words[sc + 4 + 2 * p], words[sn + 4 + 2 * p], enclosing: depth)
            }
            push(words[sc + 2], words[sn + 2], enclosing: depth)
            return true
        default:
            throw BTFError(.referenceLoop, "dedup: a \(ck) is reachable from a struct member", typeID: TypeID(cand))
        }
    }

    /// How many pairs deep the walk goes before it gives up (both types are then kept).
    static let maxDepth = 4096

    /// Structural identity with a depth limit, for compilers' duplicate identical types in one
    /// unit (libbpf's `btf_dedup_identical_types`, without its ARRAY quirk).
    func identical(_ a: UInt32, _ b: UInt32, depth: Int) -> Bool {
        if a == b { return true }
        guard depth > 0, a != 0, b != 0, let sa = start(a), let sb = start(b) else { return false }
        let ia = TypeInfo(rawValue: words[sa + 1])
        guard words[sa] == words[sb], words[sa + 1] == words[sb + 1] else { return false }
        let n = ia.vlen
        switch ia.kind.rawValue {
        case Kind.int, Kind.forward, Kind.float: return primitiveEqual(a, b)
        case Kind.enumeration, Kind.enum64: return primitiveEqual(a, b) || enumCompatible(a, b)
        case Kind.pointer, Kind.typedef, Kind.volatile, Kind.const, Kind.restrict, Kind.function, Kind.typeTag:
            return identical(words[sa + 2], words[sb + 2], depth: depth - 1)
        case Kind.array:
            guard sa <= words.count - 6, sb <= words.count - 6 else { return false }
            return words[sa + 5] == words[sb + 5] && identical(words[sa + 4], words[sb + 4], depth: depth - 1)
                && identical(words[sa + 3], words[sb + 3], depth: depth - 1)
        case Kind.structure, Kind.union:
            guard sa <= words.count - 3 - 3 * n, sb <= words.count - 3 - 3 * n, shallowStructEqual(sa, sb) else { return false }
            for m in 0..<n where !identical(words[sa + 4 + 3 * m], words[sb + 4 + 3 * m], depth: depth - 1) { return false }
            return true
        case Kind.functionProto:
            guard sa <= words.count - 3 - 2 * n, sb <= words.count - 3 - 2 * n else { return false }
            for p in 0..<n where words[sa + 3 + 2 * p] != words[sb + 3 + 2 * p] { return false }
            guard identical(words[sa + 2], words[sb + 2], depth: depth - 1) else { return false }
            for p in 0..<n where !identical(words[sa + 4 + 2 * p], words[sb + 4 + 2 * p], depth: depth - 1) { return false }
            return true
        default: return false
        }
    }
}

/// Storage the equivalence walk borrows for a comparison (`EquivalenceWalk`: its list of visited
/// canonical IDs and its stack of pending pairs), kept across comparisons by the dedup state and
/// freed with it. The walk keeps the pointer, count and capacity in its own fields while it runs
/// and hands them back after (`giveBack`), so its hot loop touches no object.
final class WalkStorage<Element: BitwiseCopyable> {
    @exclusivity(unchecked) var pointer: UnsafeMutablePointer<Element>
    @exclusivity(unchecked) var capacity: Int
    @exclusivity(unchecked) var count = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 1)
        pointer = .allocate(capacity: self.capacity)
    }

    deinit { pointer.deallocate() }

    var elements: UnsafeBufferPointer<Element> { UnsafeBufferPointer(start: pointer, count: count) }

    /// A storage of its own with the same elements.
    func copy() -> WalkStorage<Element> {
        let c = WalkStorage(capacity: capacity)
        c.pointer.initialize(from: pointer, count: count)
        c.count = count
        return c
    }
}

/// The canonical IDs the hypothetical map holds entries for.
typealias IDList = WalkStorage<UInt32>
/// The pairs the walk has still to compare.
typealias PairStack = WalkStorage<PendingPair>

/// A pair of types the equivalence walk has still to compare, and how many compared pairs
/// enclose it.
struct PendingPair {
    var cand: UInt32
    var canon: UInt32
    var resolvedCanon: UInt32
    var enclosing: UInt32
}
