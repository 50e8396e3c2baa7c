/// Multimap from a 64-bit type hash to type IDs, the candidates table of dedup (btf-spec §3.3):
/// the IDs stored under one hash are visited in insertion order.
///
/// Each distinct hash has one slot (open addressing, linear probing, at most half full) holding
/// the first and last of its entries; the entries of a hash are chained in insertion order. So a
/// lookup probes only among distinct hashes, however many IDs share one: Linux 6.12 has 830
/// look-alike tracepoint unions under one struct hash and thousands of anonymous enums under the
/// hash of the empty name, which as one run of slots each made every probe that reached them
/// walk the whole run.
struct HashBuckets {
    /// Per slot: the hash, and its first and last entry (index + 1; 0 = empty slot).
    private var keys: [UInt64]
    private var heads: [UInt32]
    private var tails: [UInt32]
    /// Per entry: the ID and the next entry of its hash (index + 1; 0 = last).
    private var ids: [UInt32] = []
    private var next: [UInt32] = []
    private var distinct = 0

    init(capacity: Int) {
        var n = 1024
        while n < capacity * 2 { n <<= 1 }
        keys = Array(repeating: 0, count: n)
        heads = Array(repeating: 0, count: n)
        tails = Array(repeating: 0, count: n)
        ids.reserveCapacity(capacity)
        next.reserveCapacity(capacity)
    }

    /// The slot of `hash`, or the empty slot where it would go.
    @inline(__always) private func slot(of hash: UInt64) -> Int {
        let mask = keys.count - 1
        var i = HashBuckets.home(hash, mask)
        while heads[i] != 0 && keys[i] != hash { i = (i + 1) & mask }
        return i
    }

    mutating func insert(_ hash: UInt64, _ id: UInt32) {
        if (distinct + 1) * 2 > keys.count { grow() }
        let entry = UInt32(ids.count + 1)
        ids.append(id)
        next.append(0)
        let i = slot(of: hash)
        if heads[i] == 0 {
            keys[i] = hash
            heads[i] = entry
            distinct += 1
        } else {
            next[Int(tails[i]) - 1] = entry
        }
        tails[i] = entry
    }

    /// The IDs stored under `hash`, in insertion order, into `out` (cleared first).
    func candidates(_ hash: UInt64, into out: inout [UInt32]) {
        out.removeAll(keepingCapacity: true)
        var e = heads[slot(of: hash)]
        while e != 0 {
            out.append(ids[Int(e) - 1])
            e = next[Int(e) - 1]
        }
    }

    /// The first ID stored under `hash`, in insertion order, that `match` accepts (as
    /// `candidates` then a search, without collecting them).
    @inline(__always)
    func first(_ hash: UInt64, where match: (UInt32) -> Bool) -> UInt32? {
        var e = heads[slot(of: hash)]
        while e != 0 {
            let id = ids[Int(e) - 1]
            if match(id) { return id }
            e = next[Int(e) - 1]
        }
        return nil
    }

    /// The home slot: the hash's high bits after a Fibonacci multiply (libbpf's `h * 31 + v`
    /// combiner leaves the low bits poorly mixed).
    @inline(__always) static func home(_ hash: UInt64, _ mask: Int) -> Int {
        let m = hash &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: (m >> 32) ^ m) & mask
    }

    /// Doubles the slots; the entries and their chains stay as they are.
    private mutating func grow() {
        let oldKeys = keys, oldHeads = heads, oldTails = tails
        keys = Array(repeating: 0, count: oldKeys.count * 2)
        heads = Array(repeating: 0, count: keys.count)
        tails = Array(repeating: 0, count: keys.count)
        for k in oldKeys.indices where oldHeads[k] != 0 {
            let i = slot(of: oldKeys[k])
            keys[i] = oldKeys[k]
            heads[i] = oldHeads[k]
            tails[i] = oldTails[k]
        }
    }
}
