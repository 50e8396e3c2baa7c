import BinaryReader

/// A symbol table entry (ELF spec "Symbol Table"), widened to 64 bits.
public struct ELFSymbol: ELFSymbolFields, Sendable, Hashable {
    public var index: Int
    public var name: String
    public var value: UInt64
    public var size: UInt64
    /// st_info: binding in the high nibble, type in the low nibble.
    public var info: UInt8
    public var other: UInt8
    public var sectionIndex: UInt16

    public static let STT_FUNC: UInt8 = 2
    public static let STT_OBJECT: UInt8 = 1
    public static let STT_SECTION: UInt8 = 3
    public static let STB_GLOBAL: UInt8 = 1
    public static let STB_WEAK: UInt8 = 2
}

/// The parts of a symbol's st_info and st_other (ELF spec "Symbol Table"), for `ELFSymbol` and
/// `ELFSymbolEntry`.
public protocol ELFSymbolFields {
    /// st_info: binding in the high nibble, type in the low nibble.
    var info: UInt8 { get }
    var other: UInt8 { get }
}

extension ELFSymbolFields {
    public var binding: UInt8 { info >> 4 }
    public var type: UInt8 { info & 0x0f }
    /// STV_* visibility.
    public var visibility: UInt8 { other & 0x3 }
}

extension ELFFile {
    public static let SHT_SYMTAB: UInt32 = 2
    public static let SHT_DYNSYM: UInt32 = 11
    public static let SHT_RELA: UInt32 = 4
    public static let SHT_REL: UInt32 = 9

    /// Symbols of a SHT_SYMTAB or SHT_DYNSYM section; names come from its linked string table.
    public func symbols(in section: ELFSection) throws(ELFError) -> [ELFSymbol] {
        let table = try ELFSymbolTable(elf: self, section: section)
        return (0..<table.count).map { table.symbol($0) }
    }

    /// `.symtab` symbols (or `.dynsym` when there is no `.symtab`).
    public func symbols() throws(ELFError) -> [ELFSymbol] {
        if let s = sections.first(where: { $0.type == ELFFile.SHT_SYMTAB }) { return try symbols(in: s) }
        if let s = sections.first(where: { $0.type == ELFFile.SHT_DYNSYM }) { return try symbols(in: s) }
        return []
    }
}
