import ELF
import DWARF
import Inflate
import BinaryReader

/// Opens object files (ELF, optionally gzip'd) and hands their DWARF sections — decompressed and,
/// for ET_REL files, relocated — to the DWARF reader, which itself knows nothing about ELF.
public enum ObjectFile {
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// Reads a whole file, undoing gzip compression.
    public static func read(_ path: String) throws -> [UInt8] {
        var out = try readWholeFile(path)
        if Inflate.isGzip(out) {
            do { out = try Inflate.decompress(out, limit: 1 << 33) } catch { throw Failure(description: "\(path): gzip: \(error)") }
        }
        return out
    }

    /// The DWARF of an ELF file.
    public static func dwarf(of elf: ELFFile, path: String) throws -> DWARFFile {
        if let dwo = elf.sections.first(where: { $0.name.hasPrefix(".debug_") && $0.name.hasSuffix(".dwo") }) {
            throw DWARFError.splitDWARFNotSupported("\(path) is a split DWARF object (has \(dwo.name))")
        }
        // Sections used as they are in the file are borrowed from the mapping, not copied;
        // compressed or relocated ones are prepared into a private copy.
        var sections = try DWARFSections(isLittleEndian: elf.endianness == .little) { name in
            let headers = elf.debugSectionHeaders(named: name)
            if headers.allSatisfy({ !elf.needsPreparation($0) && $0.type != ELFSection.SHT_NOBITS }) {
                let borrowed = headers.compactMap { h -> SectionData? in
                    guard let off = Int(exactly: h.offset), let len = Int(exactly: h.size),
                          let memory = elf.file.borrow(offset: off, length: len) else { return nil }
                    return SectionData(borrowing: memory, owner: elf.file)
                }
                if borrowed.count == headers.count { return borrowed }
            }
            return try elf.debugSections(named: name).map { SectionData(copying: $0) }
        }
        if let alt = elf.section(named: ".gnu_debugaltlink") {
            let bytes = (try? elf.contents(of: alt)) ?? []
            let name = String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
            sections.supplementaryLink = "\(path) links to supplementary file '\(name)'"
        }
        return try DWARFFile(sections)
    }

    /// The DWARF of an ELF file at `path`: memory-mapped, or read whole when gzip-compressed.
    public static func dwarf(path: String) throws -> DWARFFile {
        try dwarf(of: try openELF(path), path: path)
    }

    /// The ELF file at `path`: memory-mapped, or read whole when gzip-compressed. Errors name
    /// the path (`ELFError.inFile`).
    public static func openELF(_ path: String) throws -> ELFFile {
        do {
            let head = try FileBytes(mapping: path).prefix(2)
            if head.count == 2 && head[0] == 0x1f && head[1] == 0x8b { return try ELFFile(bytes: read(path)) }
            return try ELFFile(mappingFile: path)
        } catch let e as ELFError {
            if case .inFile = e { throw e }
            throw ELFError.inFile(path: path, e)
        } catch let e as ParseError {
            throw ELFError.inFile(path: path, .malformed(e))
        }
    }
}
