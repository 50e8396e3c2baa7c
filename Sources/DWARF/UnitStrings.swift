#if canImport(Glibc)
import Glibc
#endif
/// Resolves string-class attributes of one unit without locks or dictionary lookups: the string
/// sections and the unit's `DW_AT_str_offsets_base` are looked up once. For hot loops (an encoder
/// reads millions of names); `DWARFFile.string(_:unit:)` is the general, throwing form.
public struct UnitStrings: @unchecked Sendable {
    let info: UnsafeBufferPointer<UInt8>
    @usableFromInline let str: UnsafeBufferPointer<UInt8>
    @usableFromInline let lineStr: UnsafeBufferPointer<UInt8>
    @usableFromInline let strOffsets: UnsafeBufferPointer<UInt8>
    @usableFromInline let strOffsetsBase: UInt64
    @usableFromInline let is64: Bool
    @usableFromInline let little: Bool
    /// Keeps the section memory alive.
    let owner: [SectionData]

    /// The bytes (without the NUL) of a string attribute; nil when it is not a string or its
    /// offset or index is out of range.
    public func bytes(_ a: Attribute) -> UnsafeBufferPointer<UInt8>? { bytes(a.value) }

    /// As `bytes(_:)`, for a value.
    public func bytes(_ value: AttributeValue) -> UnsafeBufferPointer<UInt8>? {
        switch value {
        case .inlineString(let off): return UnitStrings.cString(info, UInt64(off))
        case .stringOffset(let off, .str): return UnitStrings.cString(str, off)
        case .stringOffset(let off, .lineStr): return UnitStrings.cString(lineStr, off)
        case .stringIndex(let index):
            return strOffset(index: index).flatMap { UnitStrings.cString(str, $0) }
        default: return nil
        }
    }

    /// A key that identifies the string an attribute names without reading it: the section and
    /// offset of its bytes (strx resolved through the offsets table). Equal keys mean the same
    /// string; nil for inline strings and errors.
    @inline(__always)
    public func key(_ a: Attribute) -> UInt64? { key(a.value) }

    /// As `key(_:)`, for a value. (Inlinable: an encoder asks this for every name.)
    @inlinable
    public func key(_ value: AttributeValue) -> UInt64? {
        switch value {
        case .stringOffset(let off, .str): return off < UInt64(str.count) ? off : nil
        case .stringOffset(let off, .lineStr): return off < UInt64(lineStr.count) ? off | (1 << 62) : nil
        case .stringIndex(let index):
            return strOffset(index: index).flatMap { $0 < UInt64(str.count) ? $0 : nil }
        default: return nil
        }
    }

    /// The .debug_str offset that entry `index` of the unit's .debug_str_offsets contribution
    /// holds (DWARF 5 §7.26), nil when out of range.
    @inlinable
    func strOffset(index: UInt64) -> UInt64? {
        let size = UInt64(is64 ? 8 : 4)
        let (pos, o1) = index.multipliedReportingOverflow(by: size)
        let (at, o2) = strOffsetsBase.addingReportingOverflow(pos)
        guard !o1, !o2, at <= UInt64(strOffsets.count), UInt64(strOffsets.count) - at >= size else { return nil }
        var v: UInt64 = 0
        let n = Int(size), start = Int(at)
        for k in 0..<n {
            let b = UInt64(strOffsets[start + k])
            v |= little ? b << (8 * UInt64(k)) : b << (8 * UInt64(n - 1 - k))
        }
        return v
    }

    @inline(__always)
    static func cString(_ buffer: UnsafeBufferPointer<UInt8>, _ offset: UInt64) -> UnsafeBufferPointer<UInt8>? {
        guard offset < UInt64(buffer.count), let base = buffer.baseAddress else { return nil }
        let start = Int(offset)
        guard let nul = memchr(base + start, 0, buffer.count - start) else { return nil }
        return UnsafeBufferPointer(start: base + start, count: UnsafeRawPointer(nul) - UnsafeRawPointer(base + start))
    }
}

extension DWARFFile {
    /// The string resolver for `unit` (reads the unit DIE once for its str_offsets base).
    public func strings(for unit: UnitHeader) throws(DWARFError) -> UnitStrings {
        let ctx = try context(for: unit)
        let info = bytes(of: unit), str = sections[.str], lineStr = sections[.lineStr], offsets = sections[.strOffsets]
        return UnitStrings(info: info.buffer, str: str.buffer, lineStr: lineStr.buffer, strOffsets: offsets.buffer,
                           strOffsetsBase: ctx.strOffsetsBase ?? 0, is64: unit.is64, little: little,
                           owner: [info, str, lineStr, offsets])
    }
}
