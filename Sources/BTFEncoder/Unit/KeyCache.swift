import BTF
import DWARF

/// Open-addressing map from a 64-bit key to a 32-bit value, key and value side by side so a
/// lookup touches one cache line.
struct KeyCache: Sendable {
    /// (No default value: `init(standIn:)` would fill and free a 128 KB array for every unit.)
    private var slots: [Slot]
    private var used = 0

    init() { slots = [Slot](repeating: Slot(), count: 1 << 14) }
    /// Holds nothing; never looked into (see `EncoderWorker.standIn`).
    init(standIn: ()) { slots = [] }

    /// Key + 1 (0 = empty) and value: 8 bytes, so more of a vmlinux's names stay in cache. Keys
    /// of 2^32 - 1 and above (line-string offsets, huge sections) are not cached.
    struct Slot: Sendable { var key: UInt32 = 0; var value: UInt32 = 0 }

    @inline(__always) static func slot(_ key: UInt32, _ mask: Int) -> Int {
        let m = UInt64(key) &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: m >> 40) & mask
    }

    @inline(__always) func lookup(_ key: UInt64) -> UInt32? {
        guard key < UInt64(UInt32.max) else { return nil }
        let k = UInt32(key) &+ 1
        return slots.withUnsafeBufferPointer { b -> UInt32? in
            let mask = b.count - 1
            var i = KeyCache.slot(k, mask)
            while true {
                let s = b[i]
                if s.key == k { return s.value }
                if s.key == 0 { return nil }
                i = (i + 1) & mask
            }
        }
    }

    mutating func insert(_ key: UInt64, _ value: UInt32) {
        guard key < UInt64(UInt32.max) else { return }
        if (used + 1) * 2 > slots.count { grow() }
        let k = UInt32(key) &+ 1, mask = slots.count - 1
        var i = KeyCache.slot(k, mask)
        while slots[i].key != 0 && slots[i].key != k { i = (i + 1) & mask }
        if slots[i].key == 0 { used += 1 }
        slots[i] = Slot(key: k, value: value)
    }

    private mutating func grow() {
        let old = slots
        slots = [Slot](repeating: Slot(), count: old.count * 2)
        let mask = slots.count - 1
        for s in old where s.key != 0 {
            var i = KeyCache.slot(s.key, mask)
            while slots[i].key != 0 { i = (i + 1) & mask }
            slots[i] = s
        }
    }
}

/// Names of up to 7 bytes, packed with their length into a 64-bit key → interned offset. Compilers
/// write such names inline in .debug_info (gcc: `DW_FORM_string` for `id`, `len`, `ops`…), where
/// `UnitStrings.key` has no section offset to cache them by; without this, each one would go to
/// the shared string table under its lock.
struct ShortNameCache: Sendable {
    private var map: IntegerMap<UInt64>

    init() { map = IntegerMap(capacity: 2048) }
    /// Holds nothing; never looked into (see `EncoderWorker.standIn`).
    init(standIn: ()) { map = IntegerMap(capacity: 0) }

    /// The packed key of `bytes` (length in the top byte, so it is never 0), nil when longer than 7.
    @inline(__always) static func key(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64? {
        guard bytes.count <= 7 else { return nil }
        var k = UInt64(bytes.count + 1) << 56
        for (i, b) in bytes.enumerated() { k |= UInt64(b) << (8 * UInt64(i)) }
        return k
    }

    @inline(__always) func lookup(_ key: UInt64) -> UInt32? { map.value(key) }
    mutating func insert(_ key: UInt64, _ value: UInt32) { map.set(key, value) }
}
