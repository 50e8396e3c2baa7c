/// The primitive pass for enums (btf-spec §3.3 step 2), as libbpf decides it: an enum's hash is
/// its name alone (so that a forward enum, one with no enumerators, meets the full one), and the
/// enum takes the first canonical candidate, in insertion order, that is equal to it; on the way,
/// each canonical forward enum of its name is pointed at it (when it is a full enum), and a
/// forward enum takes the first canonical enum of its name.
///
/// Scanning every candidate of the name makes this quadratic for names many enums share: Linux
/// 6.12's anonymous enums put 5.4 million candidates through that loop. Canonical enums are
/// inserted in ID order, so the same decision is found through two indexes instead: the first
/// equal one by a hash of the whole record (`enumsByContent`), and the forward enums of the name
/// that come before it (`forwardEnums`, rarely more than a few).
extension DedupState {
    /// The canonical ID for enum `id` (primitive hash `hash`); may point canonical forward
    /// enums at `id` as the candidate loop does.
    mutating func enumCanonical(_ id: UInt32, hash: UInt64) -> UInt32 {
        if info(id).vlen == 0 {
            // A forward enum: the first canonical enum of its name, equal or compatible.
            return buckets.first(hash) { c in
                (map[Int(c)] == c || Int(c) <= baseCount) && (primitiveEqual(id, c) || enumCompatible(id, c))
            } ?? id
        }
        // A full enum: only an equal enum or a forward one is a match or a change.
        let equal = enumsByContent.first(contentHash(id)) { c in
            (map[Int(c)] == c || Int(c) <= baseCount) && primitiveEqual(id, c)
        }
        if let forwards = forwardEnums[hash] {
            for f in forwards {
                if let equal, f > equal { break }          // the loop would have stopped at `equal`
                guard map[Int(f)] == f || Int(f) <= baseCount, enumCompatible(id, f) else { continue }
                // The canonical one is the forward enum: point it at this full enum.
                map[Int(f)] = id
            }
        }
        return equal ?? id
    }

    /// Records canonical enum `id` in `enumCanonical`'s indexes (IDs arrive in increasing order).
    mutating func noteCanonicalEnum(_ id: UInt32, hash: UInt64) {
        enumsByContent.insert(contentHash(id), id)
        if info(id).vlen == 0 { forwardEnums[hash, default: []].append(id) }
    }

    /// A hash of every word of record `id`: equal records, equal hashes.
    func contentHash(_ id: UInt32) -> UInt64 {
        var h: UInt64 = 0
        for k in start(id)..<t.end(Int(id) - 1) { h = mix(h, UInt64(t.words[k])) }
        return h
    }
}
