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
        var out: [LocationExpression] = []
        try forEachLocationExpression(value, unit: unit, limit: limit) { out.append($0); return true }
        return out
    }

    /// Calls `body` with each expression of a location-class attribute value, in list order, at
    /// most `limit`, until it returns false: for hot callers that stop at the first match and
    /// need no array per value.
    public func forEachLocationExpression(_ value: AttributeValue, unit: UnitHeader, limit: Int = 256,
                                          _ body: (LocationExpression) -> Bool) throws(DWARFError) {
        switch value {
        case .exprloc(let off, let len), .block(let off, let len):
            _ = body(LocationExpression(section: unit.section, offset: off, length: len))
        case .loclistIndex(let index):
            try locationList(at: try loclistOffset(index: index, unit: unit), unit: unit, limit: limit, body)
        case .sectionOffset(let off):
            if unit.version >= 5 { try locationList(at: off, unit: unit, limit: limit, body) }
            else { try legacyLocationList(at: off, unit: unit, limit: limit, body) }
        case .data(let off, let size) where unit.version < 4 && (size == 4 || size == 8):
            try legacyLocationList(at: off, unit: unit, limit: limit, body)     // DWARF 2/3 loclistptr
        default:
            return
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
                  _ body: (inout DWARFReader) throws(DWARFError) -> Void) throws(DWARFError) {
        let data = sections[section]
        guard offset < UInt64(data.count) else {
            throw .offsetOutOfRange(section: section, offset: offset, size: data.count, what: "location list")
        }
        return try withReader(data, section, little: little, at: Int(offset), body)
    }

    /// A DWARF 5 list (`DW_LLE_*`): `body` gets each expression until it returns false; at most
    /// `limit` expressions.
    func locationList(at offset: UInt64, unit: UnitHeader, limit: Int, _ body: (LocationExpression) -> Bool) throws(DWARFError) {
        let addressSize = Int(unit.addressSize)
        try readList(.loclists, at: offset) { (r) throws(DWARFError) in
            var seen = 0, more = true
            func expression(_ r: inout DWARFReader) throws(DWARFError) {
                let n = try r.uleb()
                guard n <= UInt64(r.end - r.pos) else { throw .truncated(section: .loclists, offset: r.pos, needed: Int(clamping: n)) }
                more = body(LocationExpression(section: .loclists, offset: r.pos, length: Int(n)))
                seen += 1
                try r.skip(Int(n))
            }
            while more && seen < limit {
                let kind = try r.u8()
                switch kind {
                case LocationListEntryKind.endOfList: return
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
        }
    }

    /// A DWARF 2–4 `.debug_loc` list, as `locationList`.
    func legacyLocationList(at offset: UInt64, unit: UnitHeader, limit: Int, _ body: (LocationExpression) -> Bool) throws(DWARFError) {
        let addressSize = Int(unit.addressSize)
        let all: UInt64 = addressSize >= 8 ? UInt64.max : (UInt64(1) << UInt64(addressSize * 8)) - 1
        try readList(.loc, at: offset) { (r) throws(DWARFError) in
            var seen = 0
            while seen < limit {
                let begin = try r.fixed(addressSize), end = try r.fixed(addressSize)
                if begin == 0 && end == 0 { return }
                if begin == all { continue }                        // base address selection
                let n = Int(try r.fixed(2))
                guard n <= r.end - r.pos else { throw .truncated(section: .loc, offset: r.pos, needed: n) }
                seen += 1
                guard body(LocationExpression(section: .loc, offset: r.pos, length: n)) else { return }
                try r.skip(n)
            }
        }
    }

    /// The operations of one expression.
    public func operations(of e: LocationExpression, unit: UnitHeader) throws(DWARFError) -> [DWARFExpression.Operation] {
        let data = e.section == unit.section ? bytes(of: unit) : sections[e.section]
        return try DWARFExpression(data, offset: e.offset, length: e.length, unit: unit, little: little).operations
    }
}
