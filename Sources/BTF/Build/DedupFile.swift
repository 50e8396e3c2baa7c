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
    ///
    /// The offsets must be `strings`' own (from its `intern` calls), which are unique per
    /// string: each old offset is copied once, found again through its number, and no string is
    /// hashed.
    public mutating func compactStrings(from strings: StringInterner) -> [UInt8] {
        var fresh: [UInt8] = [0]
        fresh.reserveCapacity(strings.bytes.count / 4)
        let base = strings.baseOffset
        var memo = IntegerMap<UInt32>(capacity: strings.count)
        strings.bytes.withUnsafeBufferPointer { all in
            for i in 0..<count {
                rewriteNameFields(i) { old in
                    guard old != 0, old >= base else { return old }
                    if let m = memo.value(old) { return m }
                    // The bytes from the old offset up to their NUL (or the section's end).
                    let at = Int(old - base)
                    var end = at
                    while end < all.count && all[end] != 0 { end += 1 }
                    var new: UInt32 = 0
                    if end > at {
                        new = base + UInt32(fresh.count)
                        fresh.append(contentsOf: UnsafeBufferPointer(rebasing: all[at..<end]))
                        fresh.append(0)
                    }
                    memo.set(old, new)
                    return new
                }
            }
        }
        return fresh
    }
}
