/// A failure reading DWARF, naming the section and byte offset (and the unit when known).
public enum DWARFError: Error, Sendable, Hashable, CustomStringConvertible {
    case truncated(section: DWARFSectionID, offset: Int, needed: Int)
    case badLEB128(section: DWARFSectionID, offset: Int)
    case badUnitLength(section: DWARFSectionID, offset: Int, length: UInt64, available: Int)
    case unsupportedVersion(section: DWARFSectionID, offset: Int, version: UInt16)
    case unsupportedUnitType(section: DWARFSectionID, offset: Int, type: UInt8)
    case badAddressSize(section: DWARFSectionID, offset: Int, size: UInt8)
    case abbreviationsOutOfRange(unit: Int, offset: UInt64, size: Int)
    case malformedAbbreviation(offset: Int, reason: String)
    case unknownAbbreviation(section: DWARFSectionID, offset: Int, code: UInt64)
    case unknownForm(section: DWARFSectionID, offset: Int, form: UInt64)
    case offsetOutOfRange(section: DWARFSectionID, offset: UInt64, size: Int, what: String)
    case badSibling(section: DWARFSectionID, offset: Int, target: UInt64)
    /// A reference to an offset that is not inside the referencing (or any) unit's DIEs.
    case referenceOutOfRange(section: DWARFSectionID, offset: Int, unit: Int)
    case missingSection(DWARFSectionID, needed: String)
    case supplementaryFileNotSupported(String)
    case splitDWARFNotSupported(String)
    case provider(String)

    public var description: String {
        func at(_ s: DWARFSectionID, _ o: Int) -> String { "\(s.name)+0x\(String(o, radix: 16))" }
        switch self {
        case let .truncated(s, o, n): return "\(at(s, o)): truncated, need \(n) more bytes"
        case let .badLEB128(s, o): return "\(at(s, o)): malformed or unterminated LEB128"
        case let .badUnitLength(s, o, l, a): return "\(at(s, o)): unit length 0x\(String(l, radix: 16)) exceeds the \(a) bytes left in the section"
        case let .unsupportedVersion(s, o, v): return "\(at(s, o)): unsupported DWARF version \(v) (2 to 5 are supported)"
        case let .unsupportedUnitType(s, o, t): return "\(at(s, o)): unknown unit type 0x\(String(t, radix: 16))"
        case let .badAddressSize(s, o, z): return "\(at(s, o)): unsupported address size \(z)"
        case let .abbreviationsOutOfRange(u, o, z): return "unit at .debug_info+0x\(String(u, radix: 16)): abbreviation offset 0x\(String(o, radix: 16)) is past .debug_abbrev (\(z) bytes)"
        case let .malformedAbbreviation(o, r): return ".debug_abbrev+0x\(String(o, radix: 16)): \(r)"
        case let .unknownAbbreviation(s, o, c): return "\(at(s, o)): abbreviation code \(c) is not in the unit's abbreviation table"
        case let .unknownForm(s, o, f): return "\(at(s, o)): unknown attribute form 0x\(String(f, radix: 16))"
        case let .offsetOutOfRange(s, o, z, w): return "\(w): offset 0x\(String(o, radix: 16)) is past the end of \(s.name) (\(z) bytes)"
        case let .badSibling(s, o, t): return "\(at(s, o)): DW_AT_sibling 0x\(String(t, radix: 16)) does not point forward inside the unit (cycle or corruption)"
        case let .referenceOutOfRange(s, o, u): return "\(at(s, o)): reference target is outside the DIEs of the unit at 0x\(String(u, radix: 16))"
        case let .missingSection(s, n): return "\(s.name) is missing but \(n) needs it"
        case let .supplementaryFileNotSupported(w): return "\(w): DWARF in a supplementary file (dwz, .gnu_debugaltlink) is not supported yet"
        case let .splitDWARFNotSupported(w): return "\(w): split DWARF (.dwo/.dwp) is not supported yet"
        case let .provider(m): return m
        }
    }
}
