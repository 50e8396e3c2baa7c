extension BTFDedup {
    /// Deduplicates a parsed BTF (split BTF against its base) and returns the new raw blob in
    /// host byte order: strings re-interned first (so equal strings share one offset, and split
    /// names equal to a base string use the base's), then types deduplicated, then only the
    /// strings still referenced kept.
    public static func deduplicate(_ file: BTFFile) throws(BTFError) -> (blob: [UInt8], typeCount: Int) {
        let base = file.base
        var table = BTFTypeTable(firstID: 1)
        var baseCount = 0
        var baseStrings: StringSpaceIndex?
        if let base {
            table = BTFTypeTable(base)
            baseCount = table.count
            baseStrings = StringSpaceIndex(base)
        }
        var strings = StringInterner(baseOffset: base?.stringSpaceEnd ?? 0)
        var own = BTFTypeTable(file)
        for i in 0..<own.count {
            own.rewriteNameFields(i) { old in
                let s = file.string(StringOffset(old))
                if s.isEmpty { return 0 }
                if let b = baseStrings?.offset(of: s) { return b }
                return strings.intern(s).rawValue
            }
        }
        table.append(own)            // names rewritten above
        let (types, _) = try deduplicate(table, baseCount: baseCount)
        var out = types
        let kept = out.compactStrings(from: strings)
        return (out.serialized(strings: kept), out.count)
    }
}

extension BTFTypeTable {
    /// Rewrites every own string reference into a new string section that holds only the
    /// strings still referenced, in order of first reference; offsets below `strings.baseOffset`
    /// (base strings) are left alone. Returns the new section.
    public mutating func compactStrings(from strings: StringInterner) -> [UInt8] {
        // Sized for the old section: no rehashing while it fills (it only gets smaller).
        var fresh = StringInterner(baseOffset: strings.baseOffset, strings: strings.count, bytes: strings.bytes.count)
        var memo = OffsetMap(capacity: strings.count)
        strings.bytes.withUnsafeBufferPointer { all in
            for i in 0..<count {
                rewriteNameFields(i) { old in
                    guard old != 0, old >= strings.baseOffset else { return old }
                    if let m = memo.value(old) { return m }
                    // The bytes from the old offset on: interning stops at their NUL.
                    let at = Int(old - strings.baseOffset)
                    let new = at < all.count ? fresh.intern(UnsafeBufferPointer(rebasing: all[at...])).rawValue : 0
                    memo.set(old, new)
                    return new
                }
            }
        }
        return fresh.bytes
    }
}


/// Open-addressing map from a non-zero 32-bit string offset to another: the old → new offsets of
/// `compactStrings`, sized up front for the strings there can be.
struct OffsetMap {
    private var keys: [UInt32]
    private var values: [UInt32]
    private var used = 0

    init(capacity: Int) {
        var n = 1 << 10
        while n < capacity * 2 + 2 { n <<= 1 }
        keys = Array(repeating: 0, count: n)
        values = Array(repeating: 0, count: n)
    }

    @inline(__always) private static func slot(_ k: UInt32, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (UInt64(k) &* 0x9E37_79B9_7F4A_7C15) >> 40) & mask
    }

    /// The value stored for `key` (non-zero), nil when none.
    @inline(__always) func value(_ key: UInt32) -> UInt32? {
        let mask = keys.count - 1
        var i = OffsetMap.slot(key, mask)
        while keys[i] != 0 {
            if keys[i] == key { return values[i] }
            i = (i + 1) & mask
        }
        return nil
    }

    /// Stores `value` for `key` (non-zero; not yet stored).
    mutating func set(_ key: UInt32, _ value: UInt32) {
        if (used + 1) * 2 > keys.count { grow() }
        let mask = keys.count - 1
        var i = OffsetMap.slot(key, mask)
        while keys[i] != 0 && keys[i] != key { i = (i + 1) & mask }
        if keys[i] == 0 { used += 1 }
        keys[i] = key
        values[i] = value
    }

    private mutating func grow() {
        let oldKeys = keys, oldValues = values
        keys = Array(repeating: 0, count: oldKeys.count * 2)
        values = Array(repeating: 0, count: oldKeys.count * 2)
        used = 0
        for i in oldKeys.indices where oldKeys[i] != 0 { set(oldKeys[i], oldValues[i]) }
    }
}
