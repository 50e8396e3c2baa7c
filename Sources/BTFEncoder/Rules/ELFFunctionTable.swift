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
public struct ELFFunctionTable: Sendable {
    /// A key's number: its index in `entries`.
    public struct Key: Hashable, Sendable {
        public var index: Int32
    }

    public struct Entry: Sendable {
        public var key: String
        public var ambiguous = false
        /// Both a weak and a strong (global) definition carry this key.
        public var weakAndStrong = false
        /// Some symbol of this key has exactly the key as its name (not only clones).
        public var hasExactSymbol = false
        /// The first symbol (in symbol-table order) that is a suffixed clone, if any.
        public var firstClone: String? { didSet { hasClone = firstClone != nil } }
        /// Whether `firstClone` is set (read without touching the string).
        public private(set) var hasClone = false
        /// The last address seen (0 = none yet), while the table is built.
        var address: UInt64 = 0
        var weak = false, strong = false
    }

    /// One entry per key, in the order the symbol table first names each key.
    public private(set) var entries: [Entry] = []
    private var numbers: [String: Int32] = [:]
    /// pahole 1.31 never flags its alphabetically last key as ambiguous (see above).
    public static let lastKeyNeverAmbiguous = true

    public init() {}

    public init(symbols: [ELFSymbol]) {
        entries.reserveCapacity(symbols.count / 2)
        numbers.reserveCapacity(symbols.count / 2)
        for s in symbols where s.type == ELFSymbol.STT_FUNC && !s.name.isEmpty {
            guard let key = ELFFunctionTable.key(of: s.name) else { continue }
            let n: Int
            if let k = numbers[key] { n = Int(k) } else {
                n = entries.count
                numbers[key] = Int32(n)
                entries.append(Entry(key: key))
            }
            if s.name.utf8.count == key.utf8.count { entries[n].hasExactSymbol = true }
            else if entries[n].firstClone == nil { entries[n].firstClone = s.name }
            // Ambiguity as pahole's merge sees it: an address that differs from the one before
            // it, once that one is set (non-zero).
            if entries[n].address != 0 && entries[n].address != s.value { entries[n].ambiguous = true }
            entries[n].address = s.value
            if s.sectionIndex != 0 {
                if s.binding == ELFSymbol.STB_WEAK { entries[n].weak = true }
                else if s.binding == ELFSymbol.STB_GLOBAL { entries[n].strong = true }
            }
        }
        var last: Int?
        for n in entries.indices {
            entries[n].weakAndStrong = entries[n].weak && entries[n].strong
            if last.map({ ELFFunctionTable.bytewiseLess(entries[$0].key, entries[n].key) }) ?? true { last = n }
        }
        if ELFFunctionTable.lastKeyNeverAmbiguous, let last { entries[last].ambiguous = false }
    }

    /// The number of a key, nil when no symbol has it.
    public func number(of key: String) -> Key? { numbers[key].map(Key.init(index:)) }

    /// The table key of a symbol name, or nil for `.cold`/`.part` pieces.
    public static func key(of symbol: String) -> String? {
        var bytes = symbol
        let cut = bytes.withUTF8 { b -> (dot: Int, piece: Bool)? in
            guard let dot = b.firstIndex(of: UInt8(ascii: ".")) else { return nil }
            let suffix = UnsafeBufferPointer(rebasing: b[dot...])
            return (dot, contains(suffix, ".cold") || contains(suffix, ".part"))
        }
        guard let cut else { return symbol }            // no suffix: the name itself, not a copy
        if cut.piece { return nil }
        return bytes.withUTF8 { String(decoding: UnsafeBufferPointer(rebasing: $0[..<cut.dot]), as: UTF8.self) }
    }

    private static func contains(_ b: UnsafeBufferPointer<UInt8>, _ needle: StaticString) -> Bool {
        let n = needle.utf8CodeUnitCount
        guard b.count >= n, let base = b.baseAddress else { return false }
        for i in 0...(b.count - n) where memcmp(base + i, needle.utf8Start, n) == 0 { return true }
        return false
    }

    /// Key numbers sorted by their keys in strcmp order. Each key's first 8 bytes, as a
    /// big-endian integer (zero-padded, as strcmp sees the NUL), decide most comparisons; only
    /// keys that share them are compared whole.
    static func strcmpOrder(_ keys: [Int], _ table: ELFFunctionTable) -> [Int] {
        var items = keys.map { k -> (prefix: UInt64, key: Int) in
            var s = table.entries[k].key
            let p = s.withUTF8 { b -> UInt64 in
                var v: UInt64 = 0
                for i in 0..<8 { v = v << 8 | UInt64(i < b.count ? b[i] : 0) }
                return v
            }
            return (p, k)
        }
        items.sort { a, b in
            a.prefix != b.prefix ? a.prefix < b.prefix : bytewiseLess(table.entries[a.key].key, table.entries[b.key].key)
        }
        return items.map(\.key)
    }

    /// strcmp order (bytes), which is pahole's sort order for keys.
    public static func bytewiseLess(_ a: String, _ b: String) -> Bool {
        var a = a, b = b
        return a.withUTF8 { x in
            b.withUTF8 { y in
                let n = min(x.count, y.count)
                if n > 0, let px = x.baseAddress, let py = y.baseAddress {
                    let c = memcmp(px, py, n)
                    if c != 0 { return c < 0 }
                }
                return x.count < y.count
            }
        }
    }
}
