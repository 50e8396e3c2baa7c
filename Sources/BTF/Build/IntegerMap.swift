/// An open-addressing map from a non-zero unsigned integer key to a 32-bit value, for the hot
/// lookups of encoding and dedup (string offsets, packed short names): linear probing from a
/// Fibonacci-hashed home slot, half full at most, no deletion.
public struct IntegerMap<Key: FixedWidthInteger & UnsignedInteger & Sendable>: Sendable {
    @usableFromInline var keys: [Key]
    @usableFromInline var values: [UInt32]
    @usableFromInline var used = 0

    /// Room for about `capacity` keys before the first growth; 0 allocates nothing until the
    /// first `set`.
    public init(capacity: Int = 1024) {
        guard capacity > 0 else { keys = []; values = []; return }
        var n = 1 << 10
        while n < capacity * 2 + 2 { n <<= 1 }
        keys = Array(repeating: 0, count: n)
        values = Array(repeating: 0, count: n)
    }

    @inlinable @inline(__always) static func home(_ key: Key, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (UInt64(truncatingIfNeeded: key) &* 0x9E37_79B9_7F4A_7C15) >> 40) & mask
    }

    /// The value stored for `key` (non-zero), nil when none.
    @inlinable @inline(__always)
    public func value(_ key: Key) -> UInt32? {
        let mask = keys.count - 1
        guard mask > 0 else { return nil }
        var i = IntegerMap.home(key, mask)
        while keys[i] != 0 {
            if keys[i] == key { return values[i] }
            i = (i + 1) & mask
        }
        return nil
    }

    /// Stores `value` for `key` (non-zero), replacing what was there.
    @inlinable
    public mutating func set(_ key: Key, _ value: UInt32) {
        if (used + 1) * 2 > keys.count { grow() }
        let mask = keys.count - 1
        var i = IntegerMap.home(key, mask)
        while keys[i] != 0 && keys[i] != key { i = (i + 1) & mask }
        if keys[i] == 0 { used += 1 }
        keys[i] = key
        values[i] = value
    }

    @usableFromInline mutating func grow() {
        let oldKeys = keys, oldValues = values
        keys = Array(repeating: 0, count: max(2, oldKeys.count * 2))
        values = Array(repeating: 0, count: keys.count)
        used = 0
        for i in oldKeys.indices where oldKeys[i] != 0 { set(oldKeys[i], oldValues[i]) }
    }
}
