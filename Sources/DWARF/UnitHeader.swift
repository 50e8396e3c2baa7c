/// The kind of a unit (DWARF 5 §7.5.1, DW_UT_*), with pre-v5 units mapped to compile/type.
public enum UnitKind: Sendable, Hashable, CustomStringConvertible {
    case compile, type, partial, skeleton, splitCompile, splitType, unknown(UInt8)

    public var description: String {
        switch self {
        case .compile: return "DW_UT_compile"
        case .type: return "DW_UT_type"
        case .partial: return "DW_UT_partial"
        case .skeleton: return "DW_UT_skeleton"
        case .splitCompile: return "DW_UT_split_compile"
        case .splitType: return "DW_UT_split_type"
        case .unknown(let v): return "DW_UT_unknown_0x\(String(v, radix: 16))"
        }
    }
}

/// A unit header (DWARF 5 §7.5.1; DWARF 2–4 §7.5.1.1/§7.5.2 and .debug_types).
public struct UnitHeader: Sendable, Hashable {
    /// Section holding the unit (.debug_info, or .debug_types for DWARF 4 type units).
    public var section: DWARFSectionID
    /// Which of the sections with that name (see `DWARFSections.pieces`).
    public var piece: Int = 0
    /// Offset of the unit header in its section.
    public var offset: Int
    /// One past the last byte of the unit.
    public var end: Int
    public var is64: Bool
    public var version: UInt16
    public var kind: UnitKind
    public var abbrevOffset: UInt64
    public var addressSize: UInt8
    public var typeSignature: UInt64?
    public var typeOffset: UInt64?
    public var dwoID: UInt64?
    /// Offset of the first DIE.
    public var firstDIE: Int

    public var offsetSize: Int { is64 ? 8 : 4 }
    public var length: UInt64 { UInt64(end - offset) - (is64 ? 12 : 4) }

    /// Parses the header at `offset`.
    static func parse(_ bytes: SectionData, _ section: DWARFSectionID, at offset: Int, little: Bool) throws(DWARFError) -> UnitHeader {
        try withReader(bytes, section, little: little, at: offset) { (r) throws(DWARFError) in
            try parse(&r, bytes.count, section, at: offset)
        }
    }

    private static func parse(_ r: inout DWARFReader, _ count: Int, _ section: DWARFSectionID, at offset: Int) throws(DWARFError) -> UnitHeader {
        var length = UInt64(try r.u32())
        var is64 = false
        if length == 0xffff_ffff {
            is64 = true
            length = try r.u64()
        } else if length >= 0xffff_fff0 {
            throw .badUnitLength(section: section, offset: offset, length: length, available: count - r.pos)
        }
        guard length <= UInt64(count - r.pos), length >= 2 else {
            throw .badUnitLength(section: section, offset: offset, length: length, available: count - r.pos)
        }
        let end = r.pos + Int(length)
        r.end = end
        let version = try r.u16()
        guard version >= 2 && version <= 5 else {
            throw .unsupportedVersion(section: section, offset: offset + (is64 ? 12 : 4), version: version)
        }
        var h = UnitHeader(section: section, offset: offset, end: end, is64: is64, version: version, kind: .compile,
                           abbrevOffset: 0, addressSize: 0, typeSignature: nil, typeOffset: nil, dwoID: nil, firstDIE: 0)
        if version >= 5 {
            let ut = try r.u8()
            h.addressSize = try r.u8()
            h.abbrevOffset = try r.offset(is64)
            switch ut {
            case 0x01: h.kind = .compile
            case 0x02: h.kind = .type
            case 0x03: h.kind = .partial
            case 0x04: h.kind = .skeleton
            case 0x05: h.kind = .splitCompile
            case 0x06: h.kind = .splitType
            default: throw .unsupportedUnitType(section: section, offset: r.pos - 1 - 1 - h.offsetSize, type: ut)
            }
            switch h.kind {
            case .type, .splitType:
                h.typeSignature = try r.u64()
                h.typeOffset = try r.offset(is64)
            case .skeleton, .splitCompile:
                h.dwoID = try r.u64()
            default: break
            }
        } else {
            h.abbrevOffset = try r.offset(is64)
            h.addressSize = try r.u8()
            if section == .types {
                h.kind = .type
                h.typeSignature = try r.u64()
                h.typeOffset = try r.offset(is64)
            }
        }
        guard [1, 2, 4, 8].contains(h.addressSize) else {
            throw .badAddressSize(section: section, offset: offset, size: h.addressSize)
        }
        h.firstDIE = r.pos
        return h
    }
}
