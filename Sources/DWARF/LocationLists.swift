/// Location descriptions (DWARF 5 §2.6): a single expression (`DW_FORM_exprloc`) or a location
/// list — DWARF 5 `.debug_loclists` (§2.6.2, §7.29: `DW_LLE_*` entries, reached by
/// `DW_FORM_sec_offset` or `DW_FORM_loclistx` through `DW_AT_loclists_base`) or DWARF 2–4
/// `.debug_loc` (address pairs, a 2-byte expression length).
extension DWARFFile {
    /// Where one expression of a location lies.
    public struct LocationExpression: Sendable, Hashable {
        public var section: DWARFSectionID
        public var offset: Int
        public var length: Int
        public init(section: DWARFSectionID, offset: Int, length: Int) { self.section = section; self.offset = offset; self.length = length }
    }

    /// DW_LLE_* (DWARF 5 Table 7.30).
    public enum LocationListEntryKind {
        public static let endOfList: UInt8 = 0x00
        public static let baseAddressx: UInt8 = 0x01
        public static let startxEndx: UInt8 = 0x02
        public static let startxLength: UInt8 = 0x03
        public static let offsetPair: UInt8 = 0x04
        public static let defaultLocation: UInt8 = 0x05
        public static let baseAddress: UInt8 = 0x06
        public static let startEnd: UInt8 = 0x07
        public static let startLength: UInt8 = 0x08
    }

    /// The expressions of a location-class attribute value, in list order, at most `limit` (a
    /// malformed list cannot make this loop forever). Empty for a value that is no location.
    public func locationExpressions(_ value: AttributeValue, unit: UnitHeader, limit: Int = 256) throws(DWARFError) -> [LocationExpression] {
        switch value {
        case .exprloc(let off, let len), .block(let off, let len):
            return [LocationExpression(section: unit.section, offset: off, length: len)]
        case .loclistIndex(let index):
            return try locationList(at: try loclistOffset(index: index, unit: unit), unit: unit, limit: limit)
        case .sectionOffset(let off):
            return unit.version >= 5 ? try locationList(at: off, unit: unit, limit: limit) : try legacyLocationList(at: off, unit: unit, limit: limit)
        case .data(let off, let size) where unit.version < 4 && (size == 4 || size == 8):
            return try legacyLocationList(at: off, unit: unit, limit: limit)     // DWARF 2/3 loclistptr
        default:
            return []
        }
    }

    /// The .debug_loclists offset of list `index` (offsets are relative to DW_AT_loclists_base).
    func loclistOffset(index: UInt64, unit: UnitHeader) throws(DWARFError) -> UInt64 {
        let table = sections[.loclists]
        guard !table.isEmpty else { throw .missingSection(.loclists, needed: "DW_FORM_loclistx") }
        let base = try context(for: unit).loclistsBase ?? UInt64(unit.is64 ? 20 : 12)
        let size = UInt64(unit.is64 ? 8 : 4)
        let (pos, o1) = index.multipliedReportingOverflow(by: size)
        let (at, o2) = base.addingReportingOverflow(pos)
        guard !o1, !o2, at <= UInt64(table.count), UInt64(table.count) - at >= size else {
            throw .offsetOutOfRange(section: .loclists, offset: at, size: table.count, what: "DW_FORM_loclistx index \(index)")
        }
        let relative = try withReader(table, .loclists, little: little, at: Int(at)) { (r) throws(DWARFError) in try r.offset(unit.is64) }
        let (result, o3) = base.addingReportingOverflow(relative)
        guard !o3 else { throw .offsetOutOfRange(section: .loclists, offset: relative, size: table.count, what: "location list") }
        return result
    }

    /// Reads a list in `section` at `offset` (checked to lie inside) with `body`.
    func readList(_ section: DWARFSectionID, at offset: UInt64,
                  _ body: (inout DWARFReader) throws(DWARFError) -> [LocationExpression]) throws(DWARFError) -> [LocationExpression] {
        let data = sections[section]
        guard offset < UInt64(data.count) else {
            throw .offsetOutOfRange(section: section, offset: offset, size: data.count, what: "location list")
        }
        return try withReader(data, section, little: little, at: Int(offset), body)
    }

    func locationList(at offset: UInt64, unit: UnitHeader, limit: Int) throws(DWARFError) -> [LocationExpression] {
        let addressSize = Int(unit.addressSize)
        return try readList(.loclists, at: offset) { (r) throws(DWARFError) -> [LocationExpression] in
            var out: [LocationExpression] = []
            func expression(_ r: inout DWARFReader) throws(DWARFError) {
                let n = try r.uleb()
                guard n <= UInt64(r.end - r.pos) else { throw .truncated(section: .loclists, offset: r.pos, needed: Int(clamping: n)) }
                out.append(LocationExpression(section: .loclists, offset: r.pos, length: Int(n)))
                try r.skip(Int(n))
            }
            while out.count < limit {
                let kind = try r.u8()
                switch kind {
                case LocationListEntryKind.endOfList: return out
                case LocationListEntryKind.baseAddressx: _ = try r.uleb()
                case LocationListEntryKind.startxEndx, LocationListEntryKind.startxLength, LocationListEntryKind.offsetPair:
                    _ = try r.uleb(); _ = try r.uleb(); try expression(&r)
                case LocationListEntryKind.defaultLocation: try expression(&r)
                case LocationListEntryKind.baseAddress: _ = try r.fixed(addressSize)
                case LocationListEntryKind.startEnd: _ = try r.fixed(addressSize); _ = try r.fixed(addressSize); try expression(&r)
                case LocationListEntryKind.startLength: _ = try r.fixed(addressSize); _ = try r.uleb(); try expression(&r)
                default: throw .unknownForm(section: .loclists, offset: r.pos - 1, form: UInt64(kind))
                }
            }
            return out
        }
    }

    func legacyLocationList(at offset: UInt64, unit: UnitHeader, limit: Int) throws(DWARFError) -> [LocationExpression] {
        let addressSize = Int(unit.addressSize)
        let all: UInt64 = addressSize >= 8 ? UInt64.max : (UInt64(1) << UInt64(addressSize * 8)) - 1
        return try readList(.loc, at: offset) { (r) throws(DWARFError) -> [LocationExpression] in
            var out: [LocationExpression] = []
            while out.count < limit {
                let begin = try r.fixed(addressSize), end = try r.fixed(addressSize)
                if begin == 0 && end == 0 { return out }
                if begin == all { continue }                        // base address selection
                let n = Int(try r.fixed(2))
                guard n <= r.end - r.pos else { throw .truncated(section: .loc, offset: r.pos, needed: n) }
                out.append(LocationExpression(section: .loc, offset: r.pos, length: n))
                try r.skip(n)
            }
            return out
        }
    }

    /// The operations of one expression.
    public func operations(of e: LocationExpression, unit: UnitHeader) throws(DWARFError) -> [DWARFExpression.Operation] {
        let data = e.section == unit.section ? bytes(of: unit) : sections[e.section]
        return try DWARFExpression(data, offset: e.offset, length: e.length, unit: unit, little: little).operations
    }
}
