import ELF
#if canImport(Glibc)
import Glibc
#endif

/// pahole 1.31's ELF function table (`elf_functions__collect`; docs/pahole-1.31-rules.md §2.2),
/// used with `optimized_func`/`consistent_func`: which DWARF functions have code, found by a key
/// that ignores compiler suffixes, and which keys name more than one address.
///
/// - Every STT_FUNC symbol counts (any binding, any section).
/// - A symbol whose part after its first `.` contains `.cold` or `.part` is left out: those are
///   pieces of a function, not entry points with its signature.
/// - The key is the name up to its first `.`: `foo`, `foo.isra.0`, `foo.constprop.3` and
///   `foo.llvm.123` all have key `foo`, so the DWARF function `foo` is found through any of them.
/// - A key is ambiguous when its symbols have more than one distinct address (address 0 counts
///   as unset): two static functions of one name in different units, or `foo` next to a clone
///   `foo.isra.0` whose signature may differ. pahole 1.31 computes this flag while it merges
///   its sorted table and never for the last key; that quirk is kept (`lastKeyNeverAmbiguous`),
///   so the selected functions are pahole's.
///
/// Keys are numbered (`Key`) in the order the symbol table first names them; `FunctionCollector`
/// groups saved instances by that number and sorts only the keys it uses into strcmp order.
///
/// The table is built from the symbols' name bytes (`ELFSymbolTable`): keys live in one byte
/// arena and are found through a hash table of their own, so building it for a kernel image's
/// 100,000 functions makes no `String` per symbol.
public struct ELFFunctionTable: Sendable {
    /// A key's number: its index in `entries`.
    public struct Key: Hashable, Sendable {
        public var index: Int32
    }

    public struct Entry: Sendable {
        public var ambiguous = false
        /// Both a weak and a strong (global) definition carry this key.
        public var weakAndStrong = false
        /// Some symbol of this key has exactly the key as its name (not only clones).
        public var hasExactSymbol = false
        /// Whether a suffixed clone carries this key (`ELFFunctionTable.firstClone`).
        public var hasClone: Bool { cloneStart >= 0 }
        /// The key's bytes in the table's arena.
        var keyStart: Int32 = 0, keyLength: Int32 = 0
        /// The first clone's name (in symbol-table order) in the arena; -1 for none.
        var cloneStart: Int32 = -1, cloneLength: Int32 = 0
        /// The last address seen (0 = none yet), while the table is built.
        var address: UInt64 = 0
        var weak = false, strong = false
    }

    /// One entry per key, in the order the symbol table first names each key.
    public private(set) var entries: [Entry] = []
    /// Keys' and first clones' bytes, back to back.
    private var arena: [UInt8] = []
    /// Open addressing, one word per slot: the key hash's high 32 bits, then entry number + 1
    /// (0 = empty), so that a probe reads one word before it looks at any key.
    private var slots: [UInt64] = []
    /// pahole 1.31 never flags its alphabetically last key as ambiguous (see above).
    public static let lastKeyNeverAmbiguous = true

    public init() {}

    public init(symbols: ELFSymbolTable) {
        var capacity = 1024
        while capacity < symbols.count { capacity <<= 1 }
        slots = Array(repeating: 0, count: capacity)
        entries.reserveCapacity(symbols.count / 2)
        arena.reserveCapacity(symbols.count * 16)
        for i in 0..<symbols.count {
            let s = symbols[i]
            guard s.type == ELFSymbol.STT_FUNC else { continue }
            symbols.withName(s) { name in
                guard !name.isEmpty, let cut = ELFFunctionTable.keyLength(of: name) else { return }
                let key = UnsafeBufferPointer(rebasing: name[..<cut])
                let n = entryNumber(inserting: key)
                if cut == name.count { entries[n].hasExactSymbol = true }
                else if entries[n].cloneStart < 0 {
                    entries[n].cloneStart = Int32(truncatingIfNeeded: arena.count)
                    entries[n].cloneLength = Int32(truncatingIfNeeded: name.count)
                    arena.append(contentsOf: name)
                }
                // Ambiguity as pahole's merge sees it: an address that differs from the one before
                // it, once that one is set (non-zero).
                if entries[n].address != 0 && entries[n].address != s.value { entries[n].ambiguous = true }
                entries[n].address = s.value
                if s.sectionIndex != 0 {
                    if s.binding == ELFSymbol.STB_WEAK { entries[n].weak = true }
                    else if s.binding == ELFSymbol.STB_GLOBAL { entries[n].strong = true }
                }
            }
        }
        var last: Int?
        for n in entries.indices {
            entries[n].weakAndStrong = entries[n].weak && entries[n].strong
            if last.map({ compareKeys($0, n) < 0 }) ?? true { last = n }
        }
        if ELFFunctionTable.lastKeyNeverAmbiguous, let last { entries[last].ambiguous = false }
    }

    /// The number of `key`'s entry, a new one when the table has none.
    private mutating func entryNumber(inserting key: UnsafeBufferPointer<UInt8>) -> Int {
        let h = ELFFunctionTable.hash(key)
        if let n = find(key, hash: h) { return n }
        if (entries.count + 1) * 2 > slots.count { grow() }
        let n = entries.count
        var e = Entry()
        e.keyStart = Int32(truncatingIfNeeded: arena.count)
        e.keyLength = Int32(truncatingIfNeeded: key.count)
        arena.append(contentsOf: key)
        entries.append(e)
        place(n, hash: h)
        return n
    }

    private mutating func place(_ n: Int, hash h: UInt64) {
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while slots[i] != 0 { i = (i + 1) & mask }
        slots[i] = (h >> 32) << 32 | UInt64(n + 1)
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: 0, count: old.count * 2)
        // The low bits of a key's hash: recomputed (a slot keeps only the high ones).
        for s in old where s != 0 {
            let n = Int(s & 0xffff_ffff) - 1
            let e = entries[n]
            let h = arena.withUnsafeBufferPointer { ELFFunctionTable.hash(UnsafeBufferPointer(rebasing: $0[Int(e.keyStart)..<Int(e.keyStart + e.keyLength)])) }
            place(n, hash: h)
        }
    }

    private func find(_ key: UnsafeBufferPointer<UInt8>, hash h: UInt64) -> Int? {
        slots.withUnsafeBufferPointer { slots -> Int? in
            guard !slots.isEmpty else { return nil }
            let mask = slots.count - 1
            let high = h >> 32
            var i = Int(truncatingIfNeeded: h) & mask
            while slots[i] != 0 {
                if slots[i] >> 32 == high {
                    let n = Int(slots[i] & 0xffff_ffff) - 1
                    if keyBytes(n, equal: key) { return n }
                }
                i = (i + 1) & mask
            }
            return nil
        }
    }

    private func keyBytes(_ n: Int, equal key: UnsafeBufferPointer<UInt8>) -> Bool {
        let e = entries[n]
        guard Int(e.keyLength) == key.count else { return false }
        guard let kb = key.baseAddress else { return key.isEmpty }
        return arena.withUnsafeBufferPointer { a in
            guard let ab = a.baseAddress else { return false }
            return memcmp(ab + Int(e.keyStart), kb, key.count) == 0
        }
    }

    /// FNV-1a over the bytes, then a multiply to spread it over the slot bits.
    static func hash(_ b: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for c in b { h = (h ^ UInt64(c)) &* 0x100_0000_01b3 }
        let m = h &* 0x9E37_79B9_7F4A_7C15
        return m ^ (m >> 29)
    }

    /// The number of a key, nil when no symbol has it.
    public func number(of key: String) -> Key? {
        var key = key
        return key.withUTF8 { number(ofBytes: $0) }
    }

    /// The number of the key with these bytes, nil when no symbol has it.
    public func number(ofBytes key: UnsafeBufferPointer<UInt8>) -> Key? {
        find(key, hash: ELFFunctionTable.hash(key)).map { Key(index: Int32($0)) }
    }

    /// Key `k`'s text.
    public func key(_ k: Int) -> String {
        let e = entries[k]
        return String(decoding: arena[Int(e.keyStart)..<Int(e.keyStart + e.keyLength)], as: UTF8.self)
    }

    /// The first symbol (in symbol-table order) that is a suffixed clone carrying key `k`, if any.
    public func firstClone(_ k: Int) -> String? {
        let e = entries[k]
        guard e.cloneStart >= 0 else { return nil }
        return String(decoding: arena[Int(e.cloneStart)..<Int(e.cloneStart + e.cloneLength)], as: UTF8.self)
    }

    /// How many leading bytes of a symbol name are its key (up to its first `.`), or nil for
    /// `.cold`/`.part` pieces.
    static func keyLength(of b: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let dot = b.firstIndex(of: UInt8(ascii: ".")) else { return b.count }
        let suffix = UnsafeBufferPointer(rebasing: b[dot...])
        return contains(suffix, ".cold") || contains(suffix, ".part") ? nil : dot
    }

    private static func contains(_ b: UnsafeBufferPointer<UInt8>, _ needle: StaticString) -> Bool {
        let n = needle.utf8CodeUnitCount
        guard b.count >= n, let base = b.baseAddress else { return false }
        for i in 0...(b.count - n) where memcmp(base + i, needle.utf8Start, n) == 0 { return true }
        return false
    }

    /// strcmp of keys `a` and `b` (bytes; a key that is a prefix of the other sorts first).
    func compareKeys(_ a: Int, _ b: Int) -> Int {
        let ea = entries[a], eb = entries[b]
        return arena.withUnsafeBufferPointer { p -> Int in
            guard let base = p.baseAddress else { return 0 }
            let n = Int(min(ea.keyLength, eb.keyLength))
            if n > 0 {
                let c = memcmp(base + Int(ea.keyStart), base + Int(eb.keyStart), n)
                if c != 0 { return Int(c) }
            }
            return Int(ea.keyLength) - Int(eb.keyLength)
        }
    }

    /// Key numbers sorted by their keys in strcmp order. Each key's first 8 bytes, as a
    /// big-endian integer (zero-padded, as strcmp sees the NUL), decide most comparisons; only
    /// keys that share them are compared whole.
    static func strcmpOrder(_ keys: [Int], _ table: ELFFunctionTable) -> [Int] {
        var items = table.arena.withUnsafeBufferPointer { a in
            keys.map { k -> (prefix: UInt64, key: Int) in
                let e = table.entries[k]
                var v: UInt64 = 0
                for i in 0..<8 { v = v << 8 | UInt64(i < Int(e.keyLength) ? a[Int(e.keyStart) + i] : 0) }
                return (v, k)
            }
        }
        items.sort { a, b in a.prefix != b.prefix ? a.prefix < b.prefix : table.compareKeys(a.key, b.key) < 0 }
        return items.map(\.key)
    }
}
