import BinaryReader

/// A symbol table entry (ELF spec "Symbol Table"), widened to 64 bits.
public struct ELFSymbol: Sendable, Hashable {
    public var index: Int
    public var name: String
    public var value: UInt64
    public var size: UInt64
    /// st_info: binding in the high nibble, type in the low nibble.
    public var info: UInt8
    public var other: UInt8
    public var sectionIndex: UInt16

    public var binding: UInt8 { info >> 4 }
    public var type: UInt8 { info & 0x0f }
    /// STV_* visibility.
    public var visibility: UInt8 { other & 0x3 }

    public static let STT_FUNC: UInt8 = 2
    public static let STT_OBJECT: UInt8 = 1
    public static let STT_SECTION: UInt8 = 3
    public static let STB_GLOBAL: UInt8 = 1
    public static let STB_WEAK: UInt8 = 2
}

extension ELFFile {
    public static let SHT_SYMTAB: UInt32 = 2
    public static let SHT_DYNSYM: UInt32 = 11
    public static let SHT_RELA: UInt32 = 4
    public static let SHT_REL: UInt32 = 9

    /// Symbols of a SHT_SYMTAB or SHT_DYNSYM section; names come from its linked string table.
    public func symbols(in section: ELFSection) throws(ELFError) -> [ELFSymbol] {
        let bytes = try contents(of: section)
        let entSize = elfClass == .elf64 ? 24 : 16
        guard section.link < sections.count else {
            throw .malformed(ParseError(section: section.name, offset: 0, reason: .invalid("sh_link \(section.link) is not a section")))
        }
        let strtab = sections[Int(section.link)]
        let strings = try contents(of: strtab)
        let b = ByteBuffer(bytes, endianness: endianness, section: section.name)
        var out: [ELFSymbol] = []
        out.reserveCapacity(bytes.count / entSize)
        var off = 0
        do {
            while off + entSize <= bytes.count {
                let nameOff = try b.u32(at: off)
                let s: ELFSymbol
                if elfClass == .elf64 {
                    s = ELFSymbol(index: off / entSize, name: "", value: try b.u64(at: off + 8), size: try b.u64(at: off + 16),
                                  info: try b.u8(at: off + 4), other: try b.u8(at: off + 5), sectionIndex: try b.u16(at: off + 6))
                } else {
                    s = ELFSymbol(index: off / entSize, name: "", value: UInt64(try b.u32(at: off + 4)), size: UInt64(try b.u32(at: off + 8)),
                                  info: try b.u8(at: off + 12), other: try b.u8(at: off + 13), sectionIndex: try b.u16(at: off + 14))
                }
                var named = s
                named.name = ELFFile.cString(strings, sectionOffset: 0, sectionSize: UInt64(strings.count), at: UInt64(nameOff)) ?? ""
                out.append(named)
                off += entSize
            }
        } catch {
            throw .malformed(error)
        }
        return out
    }

    /// `.symtab` symbols (or `.dynsym` when there is no `.symtab`).
    public func symbols() throws(ELFError) -> [ELFSymbol] {
        if let s = sections.first(where: { $0.type == ELFFile.SHT_SYMTAB }) { return try symbols(in: s) }
        if let s = sections.first(where: { $0.type == ELFFile.SHT_DYNSYM }) { return try symbols(in: s) }
        return []
    }
}
