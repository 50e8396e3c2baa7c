import BinaryReader

extension ELFFile {
    /// A copy of this file with a non-allocated section `name` set to `contents` (ELF gABI,
    /// "Sections"): added when missing, replaced when present. The file's contents are kept as
    /// they are; a section-name table (when the name is new), the new contents and a new section
    /// header table are appended, and the ELF header is pointed at them. Program headers and every
    /// other section stay where they were, so loaders and debuggers see the same file plus one
    /// section. This is how `pahole -J` adds `.BTF` (kernel builds later link it into the image).
    ///
    /// What lies after the file's contents (the ELF header, program headers and segments, every
    /// section but the one replaced) is dropped first: an old section header table and an earlier
    /// run's copy of this section. So embedding the same contents again gives the same bytes, and
    /// the file does not grow with each run.
    public func withSection(named name: String, contents: [UInt8], alignment: Int = 8) throws(ELFError) -> [UInt8] {
        let edit = try editingSection(named: name, contents: contents, alignment: alignment)
        var out: [UInt8] = []
        out.reserveCapacity(edit.count)
        _ = edit.write { out.append(contentsOf: $0); return true }
        return out
    }

    /// The same file as `withSection` makes, described as pieces so that it can be written
    /// without a copy of the (possibly memory-mapped, hundreds of MB) original in memory.
    public func editingSection(named name: String, contents: [UInt8], alignment: Int = 8) throws(ELFError) -> SectionEdit {
        let is64 = elfClass == .elf64
        let existing = sections.firstIndex { $0.name == name }
        let keep = contentsEnd(excluding: existing)
        let headLength = min(keep, is64 ? 64 : 52)
        guard var head = file.copy(offset: 0, length: headLength), keep >= headLength else { throw .notELF }
        // What follows the kept contents; `out.count` below is an absolute file offset.
        var out = Appended(start: keep)
        let e = endianness
        let entsize = is64 ? 64 : 40
        guard let strIndex = shstrndx(), strIndex < sections.count else {
            throw .malformed(ParseError(section: "ELF header", offset: is64 ? 0x3e : 0x32, reason: .invalid("no section name table")))
        }
        let names = sections[strIndex]
        // The raw section header table, to copy every field we don't change.
        guard let shoff = Int(exactly: rawHeaderField(is64 ? 0x28 : 0x20, width: is64 ? 8 : 4)),
              let table = file.copy(offset: shoff, length: sections.count * entsize) else {
            throw .malformed(ParseError(section: "section headers", offset: 0, reason: .invalid("section header table out of range")))
        }
        func pad(_ a: Int) { while out.count % a != 0 { out.bytes.append(0) } }
        func put(_ v: UInt64, at off: Int, width: Int, into buf: inout [UInt8]) {
            for k in 0..<width {
                let shift = UInt64(e == .little ? k : width - 1 - k) * 8
                buf[off + k] = UInt8(truncatingIfNeeded: v >> shift)
            }
        }
        var headers = table
        // 1. The name: reuse an existing entry, else append a new name table (before the
        //    contents, so that a later run that replaces them keeps it).
        var nameOffset: UInt64
        if let i = existing {
            nameOffset = UInt64(headerWord(table, i * entsize, is64: is64, field: .name))
        } else {
            guard let oldNames = Int(exactly: names.offset).flatMap({ o in Int(exactly: names.size).flatMap { file.copy(offset: o, length: $0) } }) else {
                throw .malformed(ParseError(section: names.name, offset: 0, reason: .invalid("section name table out of range")))
            }
            let newNamesOffset = out.count
            out.bytes.append(contentsOf: oldNames)
            nameOffset = UInt64(oldNames.count)
            out.bytes.append(contentsOf: Array(name.utf8))
            out.bytes.append(0)
            let base = strIndex * entsize
            put(UInt64(newNamesOffset), at: base + (is64 ? 24 : 16), width: is64 ? 8 : 4, into: &headers)
            put(UInt64(out.count - newNamesOffset), at: base + (is64 ? 32 : 20), width: is64 ? 8 : 4, into: &headers)
        }
        // 2. The contents.
        pad(max(1, alignment))
        let dataOffset = out.count
        out.bytes.append(contentsOf: contents)
        // 3. The section's header.
        var entry = [UInt8](repeating: 0, count: entsize)
        put(nameOffset, at: 0, width: 4, into: &entry)
        put(1, at: 4, width: 4, into: &entry)                                   // SHT_PROGBITS
        put(UInt64(dataOffset), at: is64 ? 24 : 16, width: is64 ? 8 : 4, into: &entry)
        put(UInt64(contents.count), at: is64 ? 32 : 20, width: is64 ? 8 : 4, into: &entry)
        put(UInt64(alignment), at: is64 ? 48 : 32, width: is64 ? 8 : 4, into: &entry)
        var count = sections.count
        if let i = existing {
            headers.replaceSubrange((i * entsize)..<((i + 1) * entsize), with: entry)
        } else {
            headers.append(contentsOf: entry)
            count += 1
        }
        // 4. The new header table and the ELF header fields that point at it.
        pad(is64 ? 8 : 4)
        let newTable = out.count
        var extended = count >= 0xff00
        if rawHeaderField(is64 ? 0x3c : 0x30, width: 2) == 0 { extended = true }
        if extended { put(UInt64(count), at: is64 ? 32 : 20, width: is64 ? 8 : 4, into: &headers) }   // section 0's sh_size
        out.bytes.append(contentsOf: headers)
        guard head.count >= (is64 ? 0x3e : 0x32) else { throw .notELF }
        put(UInt64(newTable), at: is64 ? 0x28 : 0x20, width: is64 ? 8 : 4, into: &head)
        put(extended ? 0 : UInt64(count), at: is64 ? 0x3c : 0x30, width: 2, into: &head)
        return SectionEdit(file: file, head: head, kept: headLength..<keep, tail: out.bytes)
    }

    /// Bytes appended after an absolute offset.
    struct Appended {
        let start: Int
        var bytes: [UInt8] = []
        var count: Int { start + bytes.count }
    }

    /// Where the file's contents end: the furthest byte of the ELF header, the program header
    /// table, any segment's file image and any section with file contents other than `excluded`.
    /// Values come from the file: sums that overflow, or pass its end, keep the whole file.
    func contentsEnd(excluding excluded: Int?) -> Int {
        let is64 = elfClass == .elf64
        var end = UInt64(is64 ? 64 : 52)
        func extend(_ offset: UInt64, _ size: UInt64) {
            let (e, overflow) = offset.addingReportingOverflow(size)
            end = overflow ? UInt64.max : max(end, e)
        }
        let phoff = rawHeaderField(is64 ? 0x20 : 0x1c, width: is64 ? 8 : 4)
        let phentsize = rawHeaderField(is64 ? 0x36 : 0x2a, width: 2)
        let phnum = rawHeaderField(is64 ? 0x38 : 0x2c, width: 2)
        if phoff != 0 && phnum > 0 {
            extend(phoff, phentsize &* phnum)
            for k in 0..<phnum {
                let at = phoff &+ k &* phentsize
                guard let a = Int(exactly: at), let entry = file.copy(offset: a, length: is64 ? 56 : 32) else { end = UInt64.max; break }
                func field(_ o: Int, _ w: Int) -> UInt64 {
                    var v: UInt64 = 0
                    for b in 0..<w { v |= UInt64(entry[o + b]) << (8 * UInt64(endianness == .little ? b : w - 1 - b)) }
                    return v
                }
                extend(is64 ? field(8, 8) : field(4, 4), is64 ? field(32, 8) : field(16, 4))
            }
        }
        for s in sections where s.index != excluded && s.type != ELFSection.SHT_NOBITS && s.size > 0 {
            extend(s.offset, s.size)
        }
        return end >= UInt64(file.count) ? file.count : Int(end)
    }

    enum HeaderField { case name }

    func headerWord(_ table: [UInt8], _ at: Int, is64: Bool, field: HeaderField) -> UInt32 {
        var v: UInt32 = 0
        for k in 0..<4 {
            let b = UInt32(table[at + k])
            v |= endianness == .little ? b << (8 * UInt32(k)) : b << (8 * UInt32(3 - k))
        }
        return v
    }

    func rawHeaderField(_ at: Int, width: Int) -> UInt64 {
        let bytes = file.prefix(at + width)
        guard bytes.count >= at + width else { return 0 }
        var v: UInt64 = 0
        for k in 0..<width {
            let b = UInt64(bytes[at + k])
            v |= endianness == .little ? b << (8 * UInt64(k)) : b << (8 * UInt64(width - 1 - k))
        }
        return v
    }

    /// e_shstrndx, following extended numbering (SHN_XINDEX → section 0's sh_link).
    func shstrndx() -> Int? {
        let raw = Int(rawHeaderField(elfClass == .elf64 ? 0x3e : 0x32, width: 2))
        if raw == 0xffff { return sections.first.map { Int($0.link) } }
        return raw == 0 ? nil : raw
    }
}

/// A file being rewritten with one section set (`ELFFile.editingSection`): the patched ELF header,
/// the original bytes kept as they are (read from the file, mapped or not), then what is appended.
public struct SectionEdit: Sendable {
    let file: FileBytes
    /// The ELF header with its section-table fields updated.
    public let head: [UInt8]
    /// The original bytes after the header that are kept.
    public let kept: Range<Int>
    /// New name table, contents and section header table.
    public let tail: [UInt8]

    /// Length of the whole new file.
    public var count: Int { head.count + kept.count + tail.count }

    /// Hands the new file to `sink` piece by piece (the kept bytes straight from a mapped file,
    /// in chunks of at most 8 MiB otherwise); stops and returns false when `sink` does.
    public func write(_ sink: (UnsafeRawBufferPointer) -> Bool) -> Bool {
        guard head.withUnsafeBytes(sink) else { return false }
        if let borrowed = file.borrow(offset: kept.lowerBound, length: kept.count) {
            guard sink(borrowed) else { return false }
        } else {
            var at = kept.lowerBound
            while at < kept.upperBound {
                let n = min(8 << 20, kept.upperBound - at)
                guard let chunk = file.copy(offset: at, length: n), chunk.withUnsafeBytes(sink) else { return false }
                at += n
            }
        }
        return tail.withUnsafeBytes(sink)
    }
}
