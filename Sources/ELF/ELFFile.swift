import BinaryReader

/// ELF class (ELF spec, e_ident[EI_CLASS]).
public enum ELFClass: Sendable { case elf32, elf64 }

/// Section header fields this library uses (ELF spec "Sections"), widened to 64 bits.
public struct ELFSection: Sendable {
    public var index: Int
    public var name: String
    public var type: UInt32
    public var flags: UInt64
    public var address: UInt64
    public var offset: UInt64
    public var size: UInt64
    public var link: UInt32
    public var info: UInt32
    public var alignment: UInt64
    public var entrySize: UInt64

    public static let SHT_NOBITS: UInt32 = 8
    public static let SHF_COMPRESSED: UInt64 = 0x800
}

/// A parsed ELF file: header and section table. Section contents are read on demand.
///
/// This is the minimal reader the BTF layer needs (sections by name and index);
/// symbols and relocations live in later additions of this target.
public struct ELFFile: Sendable {
    /// The whole file, in memory or memory-mapped; sections are copied out on request.
    public let file: FileBytes
    public let elfClass: ELFClass
    public let endianness: Endianness
    public let type: UInt16
    public let machine: UInt16
    public let sections: [ELFSection]
    /// Each section's placed address (`SectionPlacement`): sh_addr, unless `withLaidOutSections()`
    /// laid out an ET_REL file's sections.
    public internal(set) var placedAddresses: [UInt64]

    /// True when the bytes start with the ELF magic.
    public static func isELF(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 4 && bytes[0] == 0x7f && bytes[1] == 0x45 && bytes[2] == 0x4c && bytes[3] == 0x46
    }

    public init(bytes: [UInt8]) throws(ELFError) {
        try self.init(file: FileBytes(bytes))
    }

    /// Opens a file by memory-mapping it: only the pages of sections actually read are loaded.
    public init(mappingFile path: String) throws(ELFError) {
        do {
            try self.init(file: FileBytes(mapping: path))
        } catch let e as ELFError {
            throw e
        } catch let e as ParseError {
            throw .malformed(e)
        } catch {
            throw .notELF
        }
    }

    public init(file: FileBytes) throws(ELFError) {
        self.file = file
        let bytes = file.prefix(64)
        guard ELFFile.isELF(bytes), bytes.count >= 16 else { throw .notELF }
        let cls: ELFClass
        switch bytes[4] {
        case 1: cls = .elf32
        case 2: cls = .elf64
        default: throw .unsupportedClass(bytes[4])
        }
        let endian: Endianness
        switch bytes[5] {
        case 1: endian = .little
        case 2: endian = .big
        default: throw .unsupportedData(bytes[5])
        }
        let buf = ByteBuffer(bytes, endianness: endian, section: "ELF header")
        self.endianness = endian
        self.elfClass = cls
        do {
            self.type = try buf.u16(at: 16)
            self.machine = try buf.u16(at: 18)
            let shoff: UInt64, shentsize: Int, shnum: Int, shstrndx: Int
            if cls == .elf64 {
                shoff = try buf.u64(at: 0x28)
                shentsize = Int(try buf.u16(at: 0x3a))
                shnum = Int(try buf.u16(at: 0x3c))
                shstrndx = Int(try buf.u16(at: 0x3e))
            } else {
                shoff = UInt64(try buf.u32(at: 0x20))
                shentsize = Int(try buf.u16(at: 0x2e))
                shnum = Int(try buf.u16(at: 0x30))
                shstrndx = Int(try buf.u16(at: 0x32))
            }
            self.sections = try ELFFile.readSections(file, endian, cls: cls, shoff: shoff, entsize: shentsize,
                                                     count: shnum, strndx: shstrndx)
            self.placedAddresses = sections.map(\.address)
        } catch let e as ParseError {
            throw .malformed(e)
        } catch let e as ELFError {
            throw e
        } catch {
            throw .notELF
        }
    }

    private static func readSections(_ file: FileBytes, _ endian: Endianness, cls: ELFClass, shoff: UInt64, entsize: Int,
                                     count: Int, strndx: Int) throws -> [ELFSection] {
        guard shoff != 0 else { return [] }
        guard let base = Int(checked: shoff), base <= file.count else {
            throw ParseError(section: "section headers", offset: 0, reason: .invalid("e_shoff 0x\(String(shoff, radix: 16)) out of range"))
        }
        let minimum = cls == .elf64 ? 64 : 40
        guard entsize >= minimum else {
            throw ParseError(section: "ELF header", offset: cls == .elf64 ? 0x3a : 0x2e,
                             reason: .invalid("e_shentsize \(entsize) smaller than \(minimum)"))
        }
        // The section header table, copied out of the file; offsets below are relative to it.
        let firstEntry = ByteBuffer(file.copy(offset: base, length: min(entsize, file.count - base)) ?? [], endianness: endian,
                                    section: "section headers")
        var total = count
        // Extended section numbering: the real count lives in section 0's sh_size.
        if count == 0 {
            let sz = cls == .elf64 ? try firstEntry.u64(at: 32) : UInt64(try firstEntry.u32(at: 20))
            guard sz < 0x100000 else {
                throw ParseError(section: "section headers", offset: base, reason: .invalid("section count \(sz) too large"))
            }
            total = Int(sz)
        }
        guard let table = file.copy(offset: base, length: total * entsize) else {
            throw ParseError(section: "section headers", offset: base,
                             reason: .truncated(needed: total * entsize, available: file.count - base))
        }
        let buf = ByteBuffer(table, endianness: endian, section: "section headers")
        var out: [ELFSection] = []
        out.reserveCapacity(total)
        var nameOffsets: [UInt32] = []
        for i in 0..<total {
            let off = i * entsize
            let nameOff = try buf.u32(at: off)
            let s: ELFSection
            if cls == .elf64 {
                s = ELFSection(index: i, name: "", type: try buf.u32(at: off + 4), flags: try buf.u64(at: off + 8),
                               address: try buf.u64(at: off + 16), offset: try buf.u64(at: off + 24),
                               size: try buf.u64(at: off + 32), link: try buf.u32(at: off + 40),
                               info: try buf.u32(at: off + 44), alignment: try buf.u64(at: off + 48),
                               entrySize: try buf.u64(at: off + 56))
            } else {
                s = ELFSection(index: i, name: "", type: try buf.u32(at: off + 4), flags: UInt64(try buf.u32(at: off + 8)),
                               address: UInt64(try buf.u32(at: off + 12)), offset: UInt64(try buf.u32(at: off + 16)),
                               size: UInt64(try buf.u32(at: off + 20)), link: try buf.u32(at: off + 24),
                               info: try buf.u32(at: off + 28), alignment: UInt64(try buf.u32(at: off + 32)),
                               entrySize: UInt64(try buf.u32(at: off + 36)))
            }
            out.append(s)
            nameOffsets.append(nameOff)
        }
        var strIndex = strndx
        if strndx == 0xffff, let first = out.first { strIndex = Int(first.link) }
        if strIndex > 0, strIndex < out.count {
            let strtab = out[strIndex]
            let names = Int(checked: strtab.offset).flatMap { o in Int(checked: strtab.size).flatMap { file.copy(offset: o, length: $0) } } ?? []
            for i in out.indices {
                out[i].name = ELFFile.cString(names, sectionOffset: 0, sectionSize: UInt64(names.count),
                                              at: UInt64(nameOffsets[i])) ?? "<bad name offset \(nameOffsets[i])>"
            }
        }
        return out
    }

    static func cString(_ bytes: [UInt8], sectionOffset: UInt64, sectionSize: UInt64, at: UInt64) -> String? {
        guard at < sectionSize, let start = Int(checked: sectionOffset &+ at), sectionOffset <= UInt64(Int.max) - at,
              let end0 = Int(checked: min(sectionOffset &+ sectionSize, UInt64(bytes.count))), start <= end0
        else { return nil }
        guard let nul = bytes[start..<end0].firstIndex(of: 0) else { return nil }
        return String(decoding: bytes[start..<nul], as: UTF8.self)
    }

    public func section(named name: String) -> ELFSection? {
        sections.first { $0.name == name }
    }

    /// The file bytes of a section, as stored (see `decompressedContents(of:)`).
    public func contents(of section: ELFSection) throws(ELFError) -> [UInt8] {
        if section.type == ELFSection.SHT_NOBITS { return [] }
        guard let off = Int(checked: section.offset), let size = Int(checked: section.size),
              let bytes = file.copy(offset: off, length: size)
        else {
            throw .sectionOutOfBounds(name: section.name, index: section.index, offset: section.offset,
                                      size: section.size, fileSize: file.count)
        }
        return bytes
    }

    /// Parses the compression header (ELF spec "Compressed Sections") of a SHF_COMPRESSED section.
    /// Returns (type, uncompressed size, header length).
    public func compressionHeader(of section: ELFSection) throws(ELFError) -> (type: UInt32, size: UInt64, headerLength: Int) {
        let bytes = try contents(of: section)
        let b = ByteBuffer(bytes, endianness: endianness, section: section.name)
        do {
            if elfClass == .elf64 {
                return (try b.u32(at: 0), try b.u64(at: 8), 24)
            } else {
                return (try b.u32(at: 0), UInt64(try b.u32(at: 4)), 12)
            }
        } catch {
            throw .malformed(error)
        }
    }
}
