/// A decoded attribute value, in the class its form gives (DWARF 5 §7.5.5–7.5.6). References and
/// offsets are kept raw; `DWARFFile` resolves strings, indices and references on request.
public enum AttributeValue: Sendable, Hashable {
    case address(UInt64)
    case addressIndex(UInt64)
    /// A block or exprloc: byte range in .debug_info (or .debug_types).
    case block(offset: Int, length: Int)
    case exprloc(offset: Int, length: Int)
    /// data1/2/4/8: a constant of unspecified signedness, with its size in bytes.
    case data(UInt64, size: Int)
    case data16(offset: Int)
    case sdata(Int64)
    case udata(UInt64)
    case implicitConst(Int64)
    case flag(Bool)
    /// DW_FORM_string: the string's byte offset in the unit's section.
    case inlineString(offset: Int)
    /// strp / line_strp / strp_sup / GNU_strp_alt: an offset into a string section.
    case stringOffset(UInt64, section: StringSection)
    /// strx*: an index into .debug_str_offsets (relative to the unit's base).
    case stringIndex(UInt64)
    /// ref1/2/4/8/udata: unit-relative.
    case unitReference(UInt64)
    /// ref_addr: section-relative .debug_info offset.
    case sectionReference(UInt64)
    case signatureReference(UInt64)
    /// ref_sup4/8, GNU_ref_alt: in a supplementary file.
    case supplementaryReference(UInt64)
    case sectionOffset(UInt64)
    case loclistIndex(UInt64)
    case rnglistIndex(UInt64)

    public enum StringSection: Sendable, Hashable { case str, lineStr, supplementary }
}

/// One attribute of a DIE as read: its spec and its value.
public struct Attribute: Sendable, Hashable {
    public var name: DWARFAttribute
    public var form: DWARFForm
    public var value: AttributeValue
    /// Byte offset of the value in the unit's section.
    public var offset: Int
}
