import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// DWARF 2–5 debugging information read from a set of sections (DWARF 5 §7): unit headers are
/// parsed up front, DIEs lazily through `DIECursor`s; abbreviation tables are parsed once per
/// offset and shared.
///
/// ```swift
/// let dwarf = try DWARFFile(sections)
/// for unit in dwarf.units {
///     var cursor = try dwarf.cursor(for: unit)
///     while let die = try cursor.next() where die.tag == DWARFTag(0x13) {
///         print(try dwarf.string(cursor.attribute(.name), unit: unit) ?? "(anon)")
///     }
/// }
/// ```
public final class DWARFFile: Sendable {
    public let sections: DWARFSections
    public let units: [UnitHeader]
    /// Caches shared by every cursor; guarded so that units can be read from several threads.
    private let abbreviationCache = Mutex<[UInt64: AbbreviationTable]>([:])
    private let contexts = Mutex<[Int: UnitContext]>([:])
    private let lineTables = Mutex<[Int: LineTableFiles]>([:])

    /// Per-unit values taken from the unit DIE that other attributes need.
    public struct UnitContext: Sendable {
        public var language: DWARFLanguage?
        public var name: String?
        public var strOffsetsBase: UInt64?
        public var addrBase: UInt64?
        /// DW_AT_loclists_base: where the unit's location-list offsets start (DWARF 5).
        public var loclistsBase: UInt64?
        public var isSkeleton = false
        /// The .dwo file a skeleton unit refers to (DW_AT_dwo_name or DW_AT_GNU_dwo_name).
        public var dwoName: String?
        public var compilationDirectory: String?
        /// DW_AT_stmt_list: offset of the unit's line program in .debug_line.
        public var lineTableOffset: UInt64?
    }

    public var little: Bool { sections.isLittleEndian }

    public init(_ sections: DWARFSections) throws(DWARFError) {
        if let alt = sections.supplementaryLink { throw .supplementaryFileNotSupported(alt) }
        self.sections = sections
        var units: [UnitHeader] = []
        for section in [DWARFSectionID.info, .types] {
            for (piece, bytes) in (sections.pieces[section] ?? []).enumerated() {
                var off = 0
                while off < bytes.count {
                    var h = try UnitHeader.parse(bytes, section, at: off, little: sections.isLittleEndian)
                    h.piece = piece
                    units.append(h)
                    off = h.end
                }
            }
        }
        self.units = units
    }

    /// The abbreviation table of a unit (cached by offset).
    public func abbreviations(for unit: UnitHeader) throws(DWARFError) -> AbbreviationTable {
        if let t = abbreviationCache.withLock({ $0[unit.abbrevOffset] }) { return t }
        let abbrev = sections[.abbrev]
        guard unit.abbrevOffset < UInt64(abbrev.count) else {
            throw .abbreviationsOutOfRange(unit: unit.offset, offset: unit.abbrevOffset, size: abbrev.count)
        }
        let t = try AbbreviationTable(abbrev, at: Int(unit.abbrevOffset), little: little)
        abbreviationCache.withLock { $0[unit.abbrevOffset] = t }
        return t
    }

    /// Drops the cached abbreviation table of `unit` (a one-pass walk over a file whose units each
    /// have their own table need not keep them all).
    public func forgetAbbreviations(for unit: UnitHeader) {
        _ = abbreviationCache.withLock { $0.removeValue(forKey: unit.abbrevOffset) }
    }

    /// Parses every unit's abbreviation table now (optional: the caches are thread-safe, this only
    /// moves the work out of a parallel section).
    public func preloadAbbreviations() throws(DWARFError) {
        for u in units { _ = try abbreviations(for: u) }
    }

    /// A cursor over the DIEs of `unit`.
    public func cursor(for unit: UnitHeader) throws(DWARFError) -> DIECursor {
        DIECursor(unit: unit, bytes: bytes(of: unit), table: try abbreviations(for: unit), little: little)
    }

    /// A cursor whose first `next()` returns the DIE at `offset` (which must start a DIE of `unit`;
    /// depths and parents are then relative to it). Used to follow references.
    public func cursor(for unit: UnitHeader, at offset: DIEOffset) throws(DWARFError) -> DIECursor {
        var c = try cursor(for: unit)
        try c.restart(at: offset)          // the one check that `offset` lies in the unit
        return c
    }

    /// The unit of `section` piece `piece` whose DIEs include `offset` (binary search; units are
    /// in section order).
    public func unit(containing offset: DIEOffset, section: DWARFSectionID = .info, piece: Int = 0) -> UnitHeader? {
        var lo = 0, hi = units.count
        while lo < hi {
            let mid = (lo + hi) / 2, u = units[mid]
            if (u.section.rawValue, u.piece, u.end) <= (section.rawValue, piece, offset.rawValue) { lo = mid + 1 } else { hi = mid }
        }
        guard lo < units.count else { return nil }
        let u = units[lo]
        return u.section == section && u.piece == piece && offset.rawValue >= u.firstDIE ? u : nil
    }

    /// Lets the kernel drop the resident pages of a unit that has been read (see
    /// `SectionData.releasePages`); reading it again later still works.
    public func releasePages(of unit: UnitHeader) {
        bytes(of: unit).releasePages(unit.offset..<unit.end)
    }

    /// As `releasePages(of:)` for units `first` to `last` (in section order) at once: one
    /// system call for their whole span when they lie in one section piece.
    public func releasePages(from first: UnitHeader, through last: UnitHeader) {
        guard first.section == last.section, first.piece == last.piece, first.offset <= last.offset else {
            releasePages(of: first)
            releasePages(of: last)
            return
        }
        bytes(of: first).releasePages(first.offset..<last.end)
    }

    /// Drops the resident pages of every unit (after a scan over all unit headers, before a long
    /// walk that releases as it goes).
    public func releaseAllUnitPages() {
        for section in [DWARFSectionID.info, .types] {
            for piece in sections.pieces[section] ?? [] { piece.releasePages(0..<piece.count) }
        }
    }

    /// Drops the resident pages of the sections units refer into (strings, abbreviations,
    /// location and range lists, line tables...), all but .debug_info and .debug_types. A long
    /// walk calls this now and then, so that what it read of them once does not stay resident;
    /// pages still in use are simply read again.
    public func releaseSupportPages() {
        for (section, pieces) in sections.pieces where section != .info && section != .types {
            for piece in pieces { piece.releasePages(0..<piece.count) }
        }
    }

    /// The section bytes holding `unit`.
    public func bytes(of unit: UnitHeader) -> SectionData {
        sections.piece(unit.section, unit.piece)
    }

    /// Values from the unit DIE (language, name, str_offsets/addr bases), read once per unit.
    public func context(for unit: UnitHeader) throws(DWARFError) -> UnitContext {
        let key = contextKey(unit)
        if let c = contexts.withLock({ $0[key] }) { return c }
        var cursor = try cursor(for: unit)
        var c = UnitContext()
        if let die = try cursor.next() {
            c.isSkeleton = die.tag == .skeletonUnit || unit.kind == .skeleton
            for a in cursor.attributes {
                switch a.name {
                case .strOffsetsBase: c.strOffsetsBase = a.value.unsignedValue
                case .addrBase, .gnuAddrBase: c.addrBase = a.value.unsignedValue
                case .loclistsBase: c.loclistsBase = a.value.unsignedValue
                case .language: c.language = a.value.unsignedValue.map { DWARFLanguage($0) }
                default: break
                }
            }
            if unit.version >= 5 && c.strOffsetsBase == nil && !sections[.strOffsets].isEmpty {
                c.strOffsetsBase = UInt64(unit.is64 ? 16 : 8)  // the header of the first contribution
            }
            let contextSoFar = c
            contexts.withLock { $0[key] = contextSoFar }
            if let n = cursor.attributes.first(where: { $0.name == .name }) { c.name = try string(n, unit: unit) }
            if let d = cursor.attributes.first(where: { $0.name == DWARFAttribute(0x1b) }) {   // DW_AT_comp_dir
                c.compilationDirectory = try string(d, unit: unit)
            }
            if let l = cursor.attributes.first(where: { $0.name == DWARFAttribute(0x10) }) {   // DW_AT_stmt_list
                c.lineTableOffset = l.value.unsignedValue
            }
            if let d = cursor.attributes.first(where: { $0.name == .dwoName || $0.name == .gnuDWOName }) {
                c.dwoName = try string(d, unit: unit)
                c.isSkeleton = true
            }
        }
        let finished = c
        contexts.withLock { $0[key] = finished }
        return c
    }

    private func contextKey(_ unit: UnitHeader) -> Int {
        (unit.offset &* 64 &+ unit.piece) &* 2 &+ (unit.section == .types ? 1 : 0)
    }

    /// Throws `splitDWARFNotSupported` for a skeleton or split unit (DWARF 5 DW_UT_skeleton /
    /// DW_UT_split_*, or a DWARF 4 unit carrying DW_AT_GNU_dwo_name): its types live in a .dwo file
    /// this reader does not open, so reading the skeleton alone would silently lose them.
    public func requireComplete(_ unit: UnitHeader) throws(DWARFError) {
        var place: String { "\(unit.section.name)+0x\(String(unit.offset, radix: 16))" }
        switch unit.kind {
        case .skeleton, .splitCompile, .splitType:
            let dwo = (try? context(for: unit).dwoName).flatMap { $0 }
            throw .splitDWARFNotSupported("unit at \(place) (\(unit.kind)\(dwo.map { ", types in '\($0)'" } ?? ""))")
        default:
            let c = try context(for: unit)
            if c.isSkeleton {
                throw .splitDWARFNotSupported("unit at \(place) is a skeleton for '\(c.dwoName ?? "?")'")
            }
        }
    }


    /// The path of a DW_AT_decl_file / DW_AT_call_file index, through the unit's line table.
    public func fileName(index: UInt64, unit: UnitHeader) throws(DWARFError) -> String? {
        let c = try context(for: unit)
        guard let off = c.lineTableOffset else { return nil }
        let key = contextKey(unit)
        let table: LineTableFiles
        if let t = lineTables.withLock({ $0[key] }) { table = t } else {
            table = try LineTableFiles(sections, offset: off, unit: unit)
            lineTables.withLock { $0[key] = table }
        }
        return table.path(ofFile: index, compilationDirectory: c.compilationDirectory)
    }

    /// The text of a string-class attribute; nil when the attribute is not a string.
    public func string(_ attribute: Attribute?, unit: UnitHeader) throws(DWARFError) -> String? {
        guard let bytes = try stringBytes(attribute, unit: unit) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The bytes (without the terminating NUL) of a string-class attribute, in place: valid as
    /// long as this `DWARFFile` lives. Nil when the attribute is not a string.
    public func stringBytes(_ attribute: Attribute?, unit: UnitHeader) throws(DWARFError) -> UnsafeBufferPointer<UInt8>? {
        guard let attribute else { return nil }
        switch attribute.value {
        case .inlineString(let off):
            return cStringBytes(bytes(of: unit), at: UInt64(off))
        case .stringOffset(let off, let which):
            switch which {
            case .str: return try lookup(.str, off, "DW_FORM_strp")
            case .lineStr: return try lookup(.lineStr, off, "DW_FORM_line_strp")
            case .supplementary: throw .supplementaryFileNotSupported("string at supplementary offset 0x\(String(off, radix: 16))")
            }
        case .stringIndex(let index):
            let ctx = try context(for: unit)
            let table = sections[.strOffsets]
            guard !table.isEmpty else { throw .missingSection(.strOffsets, needed: "DW_FORM_strx") }
            let base = ctx.strOffsetsBase ?? 0
            let size = UInt64(unit.offsetSize)
            let (pos, o1) = index.multipliedReportingOverflow(by: size)
            let (at, o2) = base.addingReportingOverflow(pos)
            guard !o1, !o2, at <= UInt64(table.count), UInt64(table.count) - at >= size else {
                throw .offsetOutOfRange(section: .strOffsets, offset: at, size: table.count, what: "DW_FORM_strx index \(index)")
            }
            let off = try withReader(table, .strOffsets, little: little, at: Int(at)) { (r) throws(DWARFError) in try r.offset(unit.is64) }
            return try lookup(.str, off, "DW_FORM_strx index \(index)")
        default:
            return nil
        }
    }

    private func lookup(_ section: DWARFSectionID, _ off: UInt64, _ what: String) throws(DWARFError) -> UnsafeBufferPointer<UInt8> {
        let bytes = sections[section]
        guard let s = cStringBytes(bytes, at: off) else {
            throw .offsetOutOfRange(section: section, offset: off, size: bytes.count, what: what)
        }
        return s
    }

    /// The NUL-terminated string at `offset` of a section (without the NUL), or nil when the
    /// offset or the terminator is missing.
    private func cStringBytes(_ data: SectionData, at offset: UInt64) -> UnsafeBufferPointer<UInt8>? {
        let buffer = data.buffer
        guard offset < UInt64(buffer.count), let base = buffer.baseAddress else { return nil }
        let start = Int(offset)
        guard let nul = memchr(base + start, 0, buffer.count - start) else { return nil }
        let end = UnsafeRawPointer(nul) - UnsafeRawPointer(base)
        return UnsafeBufferPointer(start: base + start, count: end - start)
    }

    /// The section offset a reference attribute points at (nil for non-references and for
    /// signatures/supplementary references).
    public func referencedOffset(_ attribute: Attribute, unit: UnitHeader) -> DIEOffset? {
        switch attribute.value {
        case .unitReference(let r):
            let (t, o) = UInt64(unit.offset).addingReportingOverflow(r)
            return o || t > UInt64(Int.max) ? nil : DIEOffset(Int(t))
        case .sectionReference(let r):
            return r > UInt64(Int.max) ? nil : DIEOffset(Int(r))
        default:
            return nil
        }
    }

    /// The address an addrx value stands for (DWARF 5 §7.27).
    public func address(index: UInt64, unit: UnitHeader) throws(DWARFError) -> UInt64 {
        let table = sections[.addr]
        guard !table.isEmpty else { throw .missingSection(.addr, needed: "DW_FORM_addrx") }
        let base = try context(for: unit).addrBase ?? 8
        let size = UInt64(unit.addressSize)
        let (pos, o1) = index.multipliedReportingOverflow(by: size)
        let (at, o2) = base.addingReportingOverflow(pos)
        guard !o1, !o2, at <= UInt64(table.count), UInt64(table.count) - at >= size else {
            throw .offsetOutOfRange(section: .addr, offset: at, size: table.count, what: "DW_FORM_addrx index \(index)")
        }
        return try withReader(table, .addr, little: little, at: Int(at)) { (r) throws(DWARFError) in try r.fixed(Int(size)) }
    }
}

extension AttributeValue {
    /// The value as an unsigned integer, for constant and offset classes.
    @inlinable public var unsignedValue: UInt64? {
        switch self {
        case .data(let v, _), .udata(let v), .sectionOffset(let v), .address(let v): return v
        case .sdata(let v), .implicitConst(let v): return UInt64(bitPattern: v)
        default: return nil
        }
    }
}
