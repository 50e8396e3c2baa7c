import ELF

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
public struct ELFFunctionTable: Sendable {
    public struct Entry: Sendable {
        public var symbols: [(name: String, address: UInt64)] = []
        public var ambiguous = false
        /// Both a weak and a strong (global) definition carry this key.
        public var weakAndStrong = false
        /// Some symbol of this key has exactly the key as its name (not only clones).
        public var hasExactSymbol: Bool { symbols.contains { $0.name.utf8.count == key.utf8.count } }
        var key: String
    }

    public private(set) var entries: [String: Entry] = [:]
    /// pahole 1.31 never flags its alphabetically last key as ambiguous (see above).
    public static let lastKeyNeverAmbiguous = true

    public init() {}

    public init(symbols: [ELFSymbol]) {
        var weak = Set<String>(), strong = Set<String>()
        for s in symbols where s.type == ELFSymbol.STT_FUNC && !s.name.isEmpty {
            guard let key = ELFFunctionTable.key(of: s.name) else { continue }
            entries[key, default: Entry(key: key)].symbols.append((s.name, s.value))
            if s.sectionIndex != 0 {
                if s.binding == ELFSymbol.STB_WEAK { weak.insert(key) } else if s.binding == ELFSymbol.STB_GLOBAL { strong.insert(key) }
            }
        }
        for key in weak.intersection(strong) { entries[key]?.weakAndStrong = true }
        let last = ELFFunctionTable.lastKeyNeverAmbiguous ? entries.keys.max(by: ELFFunctionTable.bytewiseLess) : nil
        for (key, e) in entries where key != last {
            var address: UInt64 = 0
            for s in e.symbols {
                if address != 0 && address != s.address { entries[key]?.ambiguous = true; break }
                address = s.address
            }
        }
    }

    /// The table key of a symbol name, or nil for `.cold`/`.part` pieces.
    public static func key(of symbol: String) -> String? {
        guard let dot = symbol.firstIndex(of: ".") else { return symbol }
        let suffix = symbol[dot...]
        if suffix.contains(".cold") || suffix.contains(".part") { return nil }
        return String(symbol[..<dot])
    }

    /// strcmp order (bytes), which is pahole's sort order for keys.
    public static func bytewiseLess(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }
}
