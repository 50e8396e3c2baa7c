/// Kind numbers by name, for the switches on `kind.rawValue` below.
private typealias Kind = BTFKind.Number

/// libbpf's type-graph equivalence (btf-spec §3.4) and the hypothetical map's merge (§3.5): the
/// struct/union pass of `DedupState` asks, for each candidate canonical type, whether the graph
/// reachable from a new struct matches the one reachable from it.
extension DedupState {
    mutating func clearHypot() {
        for c in hypotList { hypot[Int(c)] = DedupState.unprocessed }
        hypotList.removeAll(keepingCapacity: true)
        hypotAdjustCanon = false
    }

    /// §3.4: is the graph at `cand` equivalent to the one at canonical `canon`? (The hot loop of
    /// dedup: each record's words are read through its start once, each pair is resolved once,
    /// and pairs that already resolve to one type are not walked into.)
    mutating func equivalent(_ candIn: UInt32, _ canonIn: UInt32) throws(BTFError) -> Bool {
        try equivalentUnlessSame(candIn, canonIn)
    }

    /// `equivalent`'s first check: two types that already resolve to one are equivalent; else
    /// the walk, given the canonical side's resolved ID (not looked up again).
    @inline(__always)
    mutating func equivalentUnlessSame(_ cand: UInt32, _ canon: UInt32) throws(BTFError) -> Bool {
        let rCanon = resolve(canon)
        if resolve(cand) == rCanon { return true }
        return try walkEquivalence(cand, canon, resolvedCanon: rCanon)
    }

    /// The rest of `equivalent`, for two types that do not resolve to one.
    mutating func walkEquivalence(_ candIn: UInt32, _ canonIn: UInt32, resolvedCanon rCanonIn: UInt32) throws(BTFError) -> Bool {
        // A canonical FWD stands for the struct/union it resolved to.
        var canon = canonIn
        if kind(canonIn) == .forward && kind(rCanonIn) != .forward { canon = rCanonIn }
        let cand = candIn
        let recorded = hypot[Int(canon)]
        if recorded != DedupState.unprocessed {
            if recorded == cand { return true }
            return identical(recorded, cand, depth: 16)
        }
        hypot[Int(canon)] = cand
        hypotList.append(canon)
        if cand == 0 || canon == 0 { return cand == canon }
        let sc = start(cand), sn = start(canon)
        guard t.words[sc] == t.words[sn] else { return false }            // names
        let ic = TypeInfo(rawValue: t.words[sc + 1]), inn = TypeInfo(rawValue: t.words[sn + 1])
        let ck = ic.kind, nk = inn.kind
        if (ck == .forward) != (nk == .forward) {
            let fwdInfo = ck == .forward ? ic : inn
            let otherKind = ck == .forward ? nk : ck
            let fwdKind: BTFKind = fwdInfo.kindFlag ? .union : .structure
            if otherKind == fwdKind {
                if nk == .forward && Int(canon) <= baseCount { hypotAdjustCanon = true }
                return true
            }
            return false
        }
        guard ck == nk else { return false }
        equivDepth += 1
        defer { equivDepth -= 1 }
        guard equivDepth < 4096 else { return false }      // bounded walk: give up, keep both
        switch ck.rawValue {
        case Kind.int, Kind.forward, Kind.float: return primitiveEqual(cand, canon)
        case Kind.enumeration, Kind.enum64: return primitiveEqual(cand, canon) || enumCompatible(cand, canon)
        case Kind.pointer, Kind.typedef, Kind.volatile, Kind.const, Kind.restrict, Kind.function, Kind.typeTag:
            guard ic == inn else { return false }
            return try equivalentUnlessSame(t.words[sc + 2], t.words[sn + 2])
        case Kind.array:
            guard ic == inn, t.words[sc + 5] == t.words[sn + 5] else { return false }
            guard try equivalentUnlessSame(t.words[sc + 4], t.words[sn + 4]) else { return false }
            return try equivalentUnlessSame(t.words[sc + 3], t.words[sn + 3])
        case Kind.structure, Kind.union:
            guard shallowStructEqual(cand, canon) else { return false }
            for m in 0..<ic.vlen {
                guard try equivalentUnlessSame(t.words[sc + 4 + 3 * m], t.words[sn + 4 + 3 * m]) else { return false }
            }
            return true
        case Kind.functionProto:
            guard ic == inn else { return false }
            let n = ic.vlen
            for p in 0..<n where t.words[sc + 3 + 2 * p] != t.words[sn + 3 + 2 * p] { return false }
            guard try equivalentUnlessSame(t.words[sc + 2], t.words[sn + 2]) else { return false }
            for p in 0..<n {
                guard try equivalentUnlessSame(t.words[sc + 4 + 2 * p], t.words[sn + 4 + 2 * p]) else { return false }
            }
            return true
        default:
            throw BTFError(.referenceLoop, "dedup: a \(ck) is reachable from a struct member", typeID: TypeID(cand))
        }
    }

    /// Structural identity with a depth limit, for compilers' duplicate identical types in one
    /// unit (libbpf's `btf_dedup_identical_types`, without its ARRAY quirk).
    func identical(_ a: UInt32, _ b: UInt32, depth: Int) -> Bool {
        if a == b { return true }
        guard depth > 0, a != 0, b != 0 else { return false }
        let ka = kind(a)
        guard ka == kind(b), name(a) == name(b), info(a) == info(b) else { return false }
        switch ka.rawValue {
        case Kind.int, Kind.forward, Kind.float: return primitiveEqual(a, b)
        case Kind.enumeration, Kind.enum64: return primitiveEqual(a, b) || enumCompatible(a, b)
        case Kind.pointer, Kind.typedef, Kind.volatile, Kind.const, Kind.restrict, Kind.function, Kind.typeTag: return identical(word2(a), word2(b), depth: depth - 1)
        case Kind.array:
            return tail(a, 2) == tail(b, 2) && identical(tail(a, 1), tail(b, 1), depth: depth - 1)
                && identical(tail(a, 0), tail(b, 0), depth: depth - 1)
        case Kind.structure, Kind.union:
            guard shallowStructEqual(a, b) else { return false }
            for m in 0..<info(a).vlen where !identical(tail(a, 3 * m + 1), tail(b, 3 * m + 1), depth: depth - 1) { return false }
            return true
        case Kind.functionProto:
            for p in 0..<info(a).vlen where tail(a, 2 * p) != tail(b, 2 * p) { return false }
            guard identical(word2(a), word2(b), depth: depth - 1) else { return false }
            for p in 0..<info(a).vlen where !identical(tail(a, 2 * p + 1), tail(b, 2 * p + 1), depth: depth - 1) { return false }
            return true
        default: return false
        }
    }

    /// §3.5.
    mutating func mergeHypot() {
        for c0 in hypotList {
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
