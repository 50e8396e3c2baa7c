/// The file table of a line program header (DWARF 5 §6.2.4; DWARF 2–4 §6.2.4 with
/// include_directories/file_names), enough to turn DW_AT_decl_file/DW_AT_call_file indices into
/// paths. The line program itself is not decoded.
public struct LineTableFiles: Sendable {
    public struct Entry: Sendable { public var name: String; public var directoryIndex: UInt64 }
    public var version: UInt16
    public var directories: [String]
    public var files: [Entry]

    /// Parses the header at `offset` of .debug_line.
    public init(_ sections: DWARFSections, offset: UInt64, unit: UnitHeader) throws(DWARFError) {
        let bytes = sections[.line]
        guard offset < UInt64(bytes.count) else {
            throw .offsetOutOfRange(section: .line, offset: offset, size: bytes.count, what: "DW_AT_stmt_list")
        }
        let little = sections.isLittleEndian
        (version, directories, files) = try withReader(bytes, .line, little: little, at: Int(offset)) {
            (r) throws(DWARFError) -> (UInt16, [String], [Entry]) in
            var length = UInt64(try r.u32())
            var is64 = false
            if length == 0xffff_ffff { is64 = true; length = try r.u64() }
            guard length <= UInt64(r.end - r.pos) else {
                throw .badUnitLength(section: .line, offset: Int(offset), length: length, available: r.end - r.pos)
            }
            r.end = r.pos + Int(length)
            let version = try r.u16()
            guard version >= 2 && version <= 5 else { throw .unsupportedVersion(section: .line, offset: r.pos - 2, version: version) }
            if version >= 5 { try r.skip(2) }                   // address_size, segment_selector_size
            _ = try r.offset(is64)                               // header_length
            try r.skip(version >= 4 ? 5 : 4)                     // min_inst_length, [max_ops], default_is_stmt, line_base, line_range
            let opcodeBase = Int(try r.u8())
            try r.skip(max(opcodeBase - 1, 0))
            let form = FormContext(addressSize: Int(unit.addressSize), is64: is64, version: version)
            if version >= 5 {
                func entries(_ r: inout DWARFReader) throws(DWARFError) -> [(name: String, dir: UInt64)] {
                    let formatCount = Int(try r.u8())
                    var formats: [(UInt64, UInt64)] = []
                    for _ in 0..<formatCount { formats.append((try r.uleb(), try r.uleb())) }
                    let count = try r.uleb()
                    guard count <= UInt64(r.end - r.pos) else { throw .truncated(section: .line, offset: r.pos, needed: Int(clamping: count)) }
                    var out: [(name: String, dir: UInt64)] = []
                    for _ in 0..<count {
                        var name = "", dir: UInt64 = 0
                        for (content, formCode) in formats {
                            let start = r.pos
                            let v = try r.value(FormCode.of(formCode), rawForm: formCode, implicitConst: 0, unit: form)
                            switch content {
                            case 1: name = try LineTableFiles.text(v, sections: sections, bytes: bytes, at: start)
                            case 2: dir = v.unsignedValue ?? 0
                            default: break
                            }
                        }
                        out.append((name, dir))
                    }
                    return out
                }
                let dirs = try entries(&r).map(\.name)
                let files = try entries(&r).map { Entry(name: $0.name, directoryIndex: $0.dir) }
                return (version, dirs, files)
            }
            var dirs: [String] = []
            while true {
                let start = try r.skipCString()
                if r.pos - start == 1 { break }
                dirs.append(String(decoding: UnsafeBufferPointer(start: r.bytes + start, count: r.pos - start - 1), as: UTF8.self))
            }
            var files: [Entry] = []
            while true {
                let start = try r.skipCString()
                if r.pos - start == 1 { break }
                let name = String(decoding: UnsafeBufferPointer(start: r.bytes + start, count: r.pos - start - 1), as: UTF8.self)
                let dir = try r.uleb()
                _ = try r.uleb(); _ = try r.uleb()
                files.append(Entry(name: name, directoryIndex: dir))
            }
            return (version, dirs, files)
        }
    }

    static func text(_ v: AttributeValue, sections: DWARFSections, bytes: SectionData, at: Int) throws(DWARFError) -> String {
        switch v {
        case .inlineString(let off): return cString(bytes, at: UInt64(off)) ?? ""
        case .stringOffset(let off, .lineStr):
            guard let s = cString(sections[.lineStr], at: off) else {
                throw .offsetOutOfRange(section: .lineStr, offset: off, size: sections[.lineStr].count, what: "line table path")
            }
            return s
        case .stringOffset(let off, .str):
            guard let s = cString(sections[.str], at: off) else {
                throw .offsetOutOfRange(section: .str, offset: off, size: sections[.str].count, what: "line table path")
            }
            return s
        default: return ""
        }
    }

    /// The path of file `index` as llvm-dwarfdump shows it: compilation directory, include
    /// directory and name joined, unless one of them is already absolute.
    public func path(ofFile index: UInt64, compilationDirectory: String?) -> String? {
        let i: Int
        if version >= 5 {
            guard index < UInt64(files.count) else { return nil }
            i = Int(index)
        } else {
            guard index >= 1, index <= UInt64(files.count) else { return nil }
            i = Int(index - 1)
        }
        let entry = files[i]
        if entry.name.hasPrefix("/") { return entry.name }
        var dir = ""
        if version >= 5 {
            if entry.directoryIndex < UInt64(directories.count) { dir = directories[Int(entry.directoryIndex)] }
        } else if entry.directoryIndex > 0, entry.directoryIndex <= UInt64(directories.count) {
            dir = directories[Int(entry.directoryIndex - 1)]
        }
        var parts: [String] = []
        if let comp = compilationDirectory, !comp.isEmpty, !dir.hasPrefix("/") { parts.append(comp) }
        parts.append(dir)
        parts.append(entry.name)
        var out = ""
        for p in parts where !p.isEmpty {
            if !out.isEmpty && !out.hasSuffix("/") { out += "/" }
            out += p
        }
        return out
    }
}
