/// The hypothetical canonical → candidate mapping of one dedup comparison (btf-spec §3.4,
/// libbpf's `hypot_map`): an open-addressing table that holds only the pairs of the current
/// comparison (a few to a few thousand), instead of one word per type ID. It stays in cache, and
/// a 4-million-type dedup does not carry a 17 MB array for it. Cleared in O(1) by a generation
/// stamp.
struct HypothesisMap {
    /// Per slot: key + 1 (0 = empty), value, and the generation that wrote it.
    private var keys: [UInt32]
    private var values: [UInt32]
    private var stamps: [UInt32]
    private var generation: UInt32 = 1
    private var used = 0

    init() {
        keys = Array(repeating: 0, count: 1024)
        values = Array(repeating: 0, count: 1024)
        stamps = Array(repeating: 0, count: 1024)
    }

    @inline(__always) private static func slot(_ k: UInt32, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (UInt64(k) &* 0x9E37_79B9_7F4A_7C15) >> 40) & mask
    }

    /// The candidate recorded for `canon`, nil when none in this comparison.
    @inline(__always) func value(_ canon: UInt32) -> UInt32? {
        let k = canon &+ 1, mask = keys.count - 1
        var i = HypothesisMap.slot(k, mask)
        while stamps[i] == generation {
            if keys[i] == k { return values[i] }
            i = (i + 1) & mask
        }
        return nil
    }

    /// Records `cand` for `canon` (which has none yet in this comparison).
    mutating func set(_ canon: UInt32, _ cand: UInt32) {
        if (used + 1) * 2 > keys.count { grow() }
        let k = canon &+ 1, mask = keys.count - 1
        var i = HypothesisMap.slot(k, mask)
        while stamps[i] == generation {
            if keys[i] == k { values[i] = cand; return }
            i = (i + 1) & mask
        }
        keys[i] = k
        values[i] = cand
        stamps[i] = generation
        used += 1
    }

    /// Forgets every pair.
    mutating func clear() {
        used = 0
        generation &+= 1
        if generation == 0 {            // wrapped: old stamps could match again
            for i in stamps.indices { stamps[i] = 0 }
            generation = 1
        }
    }

    private mutating func grow() {
        let oldKeys = keys, oldValues = values, oldStamps = stamps, live = generation
        let n = oldKeys.count * 2
        keys = Array(repeating: 0, count: n)
        values = Array(repeating: 0, count: n)
        stamps = Array(repeating: 0, count: n)
        used = 0
        for i in oldKeys.indices where oldStamps[i] == live { set(oldKeys[i] &- 1, oldValues[i]) }
    }
}
