import BinaryReader
#if canImport(Glibc)
import Glibc
#endif

/// One entry of an `ELFSymbolTable`: the fields of the ELF spec's "Symbol Table" entry widened to
/// 64 bits, with the name left as its offset in the linked string table (`ELFSymbolTable.name`,
/// `withName`), so a pass over every symbol makes no string.
public struct ELFSymbolEntry: ELFSymbolFields, Sendable, Hashable {
    public var index: Int
    /// st_name: offset in the linked string table.
    public var nameOffset: UInt32
    public var value: UInt64
    public var size: UInt64
    /// st_info: binding in the high nibble, type in the low nibble.
    public var info: UInt8
    public var other: UInt8
    public var sectionIndex: UInt16

    @inlinable
    public init(index: Int, nameOffset: UInt32, value: UInt64, size: UInt64, info: UInt8, other: UInt8, sectionIndex: UInt16) {
        self.index = index
        self.nameOffset = nameOffset
        self.value = value
        self.size = size
        self.info = info
        self.other = other
        self.sectionIndex = sectionIndex
    }
}

/// The symbols of one SHT_SYMTAB or SHT_DYNSYM section, read on demand: the section and its
/// string table are copied once and an entry is decoded when asked for. For a kernel image
/// (190,000 symbols) this is what a pass over all of them should use; `ELFFile.symbols(in:)`
/// builds every name as a `String`.
///
/// Nothing read from the file can make it trap: a name offset past the string table, or a name
/// without its NUL, reads as the empty name (as `ELFFile.symbols(in:)` has it).
public struct ELFSymbolTable: Sendable {
    @usableFromInline let entries: [UInt8]
    @usableFromInline let strings: [UInt8]
    @usableFromInline let entrySize: Int
    @usableFromInline let is64: Bool
    @usableFromInline let little: Bool
    /// How many entries the section holds (a partial entry at its end is not one).
    public let count: Int

    /// The symbols of `section` (SHT_SYMTAB or SHT_DYNSYM) of `elf`, names from the section its
    /// sh_link names.
    public init(elf: ELFFile, section: ELFSection) throws(ELFError) {
        guard section.link < elf.sections.count else {
            throw .malformed(ParseError(section: section.name, offset: 0, reason: .invalid("sh_link \(section.link) is not a section")))
        }
        entries = try elf.contents(of: section)
        strings = try elf.contents(of: elf.sections[Int(section.link)])
        is64 = elf.elfClass == .elf64
        entrySize = is64 ? 24 : 16
        little = elf.endianness == .little
        count = entries.count / entrySize
    }

    /// The `.symtab` (or, without one, `.dynsym`) of `elf`; nil when it has neither.
    public init?(elf: ELFFile) throws(ELFError) {
        guard let s = elf.sections.first(where: { $0.type == ELFFile.SHT_SYMTAB })
                ?? elf.sections.first(where: { $0.type == ELFFile.SHT_DYNSYM }) else { return nil }
        try self.init(elf: elf, section: s)
    }

    /// Entry `i` (0 ≤ i < count).
    @inlinable
    public subscript(i: Int) -> ELFSymbolEntry {
        precondition(i >= 0 && i < count, "symbol index outside the table")
        return entries.withUnsafeBytes { b in
            let o = i * entrySize
            @inline(__always) func u16(_ at: Int) -> UInt16 { let v = b.loadUnaligned(fromByteOffset: o + at, as: UInt16.self); return little ? UInt16(littleEndian: v) : UInt16(bigEndian: v) }
            @inline(__always) func u32(_ at: Int) -> UInt32 { let v = b.loadUnaligned(fromByteOffset: o + at, as: UInt32.self); return little ? UInt32(littleEndian: v) : UInt32(bigEndian: v) }
            @inline(__always) func u64(_ at: Int) -> UInt64 { let v = b.loadUnaligned(fromByteOffset: o + at, as: UInt64.self); return little ? UInt64(littleEndian: v) : UInt64(bigEndian: v) }
            if is64 {
                return ELFSymbolEntry(index: i, nameOffset: u32(0), value: u64(8), size: u64(16),
                                      info: b[o + 4], other: b[o + 5], sectionIndex: u16(6))
            }
            return ELFSymbolEntry(index: i, nameOffset: u32(0), value: UInt64(u32(4)), size: UInt64(u32(8)),
                                  info: b[o + 12], other: b[o + 13], sectionIndex: u16(14))
        }
    }

    /// Calls `body` with the bytes of `symbol`'s name (no NUL), in place; empty when the name
    /// offset or its NUL lies outside the string table.
    public func withName<R>(_ symbol: ELFSymbolEntry, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try strings.withUnsafeBufferPointer { all in
            let at = Int(symbol.nameOffset)
            guard at < all.count, let base = all.baseAddress,
                  let nul = memchr(base + at, 0, all.count - at) else { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
            let start = base + at
            return try body(UnsafeBufferPointer(start: start, count: UnsafeRawPointer(nul) - UnsafeRawPointer(start)))
        }
    }

    /// `symbol`'s name ("" as in `withName`).
    public func name(_ symbol: ELFSymbolEntry) -> String {
        withName(symbol) { String(decoding: $0, as: UTF8.self) }
    }

    /// Whether `symbol`'s name starts with `prefix`.
    public func name(_ symbol: ELFSymbolEntry, hasPrefix prefix: StaticString) -> Bool {
        withName(symbol) { b in
            let n = prefix.utf8CodeUnitCount
            guard b.count >= n, let base = b.baseAddress else { return n == 0 }
            return memcmp(base, prefix.utf8Start, n) == 0
        }
    }

    /// The entry widened to an `ELFSymbol`, name included.
    public func symbol(_ i: Int) -> ELFSymbol {
        let e = self[i]
        return ELFSymbol(index: i, name: name(e), value: e.value, size: e.size, info: e.info, other: e.other, sectionIndex: e.sectionIndex)
    }
}
