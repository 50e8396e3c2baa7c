import BinaryReader
import Inflate

extension ELFFile {
    /// The contents of a section ready for DWARF parsing: decompressed (SHF_COMPRESSED zlib, or a
    /// legacy `.zdebug_*` twin) and, in ET_REL files, with its `.rela`/`.rel` relocations applied.
    /// Returns nil when the file has no such section.
    public func debugSection(named name: String) throws(ELFError) -> [UInt8]? {
        try debugSections(named: name).first
    }

    /// Whether `debugSections(named:)` must transform the section (decompress or relocate); when
    /// false its file bytes can be used as they are.
    public func needsPreparation(_ section: ELFSection) -> Bool {
        if section.flags & ELFSection.SHF_COMPRESSED != 0 || section.name.hasPrefix(".zdebug") { return true }
        guard type == 1 else { return false }
        return sections.contains { ($0.type == ELFFile.SHT_RELA || $0.type == ELFFile.SHT_REL) && Int($0.info) == section.index }
    }

    /// The sections of that name (or its `.zdebug_` twin), in file order.
    public func debugSectionHeaders(named name: String) -> [ELFSection] {
        let matches = sections.filter { $0.name == name }
        if matches.isEmpty, name.hasPrefix(".debug_") { return sections.filter { $0.name == ".z" + name.dropFirst() } }
        return matches
    }

    /// Every section of that name (relocatable objects repeat `.debug_info`/`.debug_types` once
    /// per COMDAT group), each prepared as by `debugSection(named:)`, in file order.
    public func debugSections(named name: String) throws(ELFError) -> [[UInt8]] {
        var out: [[UInt8]] = []
        for section in debugSectionHeaders(named: name) { out.append(try prepare(section)) }
        return out
    }

    /// The contents of a section with its compression undone: SHF_COMPRESSED (zlib; zstd and
    /// unknown types are reported) or a legacy `.zdebug_*` section. Other sections as stored.
    public func decompressedContents(of section: ELFSection) throws(ELFError) -> [UInt8] {
        let bytes = try contents(of: section)
        if section.flags & ELFSection.SHF_COMPRESSED != 0 {
            let ch = try compressionHeader(of: section)
            switch ch.type {
            case 1:
                return try inflate(Array(bytes.dropFirst(ch.headerLength)), size: ch.size, name: section.name)
            case 2:
                throw .compressedSection(name: section.name, reason: "zstd-compressed (ELFCOMPRESS_ZSTD); this build has zlib only — decompress with `objcopy --decompress-debug-sections`")
            default:
                throw .compressedSection(name: section.name, reason: "unknown compression type \(ch.type)")
            }
        }
        if section.name.hasPrefix(".zdebug") {
            // "ZLIB" + 8-byte big-endian uncompressed size + zlib stream.
            guard bytes.count >= 12, bytes[0] == 0x5a, bytes[1] == 0x4c, bytes[2] == 0x49, bytes[3] == 0x42 else {
                throw .compressedSection(name: section.name, reason: "legacy .zdebug section without the ZLIB header")
            }
            let size = bytes[4..<12].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            return try inflate(Array(bytes.dropFirst(12)), size: size, name: section.name)
        }
        return bytes
    }

    private func prepare(_ section: ELFSection) throws(ELFError) -> [UInt8] {
        var bytes = try decompressedContents(of: section)
        if type == 1 {  // ET_REL: relocations have not been applied by a linker
            try applyRelocations(to: &bytes, of: section)
        }
        return bytes
    }

    private func inflate(_ data: [UInt8], size: UInt64, name: String) throws(ELFError) -> [UInt8] {
        guard size < 1 << 34 else { throw .compressedSection(name: name, reason: "claims \(size) uncompressed bytes") }
        do {
            let out = try Inflate.decompress(data, expectedSize: Int(size), limit: Int(size) + 1)
            guard out.count == Int(size) else {
                throw ELFError.compressedSection(name: name, reason: "decompressed to \(out.count) bytes, header says \(size)")
            }
            return out
        } catch let e as ELFError {
            throw e
        } catch {
            throw .compressedSection(name: name, reason: "\(error)")
        }
    }

    /// Applies every SHT_RELA/SHT_REL section whose sh_info names `section`.
    public func applyRelocations(to bytes: inout [UInt8], of section: ELFSection) throws(ELFError) {
        let relocSections = sections.filter {
            ($0.type == ELFFile.SHT_RELA || $0.type == ELFFile.SHT_REL) && Int($0.info) == section.index
        }
        guard !relocSections.isEmpty else { return }
        for rs in relocSections {
            guard Int(rs.link) < sections.count else {
                throw .badRelocation(section: rs.name, index: 0, reason: "sh_link \(rs.link) is not a section")
            }
            let applier = RelocationApplier(elf: self, symbols: try symbols(in: sections[Int(rs.link)]))
            try applier.apply(try relocations(in: rs), to: &bytes, target: section, relocationSection: rs)
        }
    }
}
