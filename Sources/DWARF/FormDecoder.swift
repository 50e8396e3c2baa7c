/// Forms as dense codes: the standard forms keep their number (≤ 0x2c), GNU forms get 0x30–0x33,
/// anything else 0xff, so that decoding is one jump table.
enum FormCode {
    static func of(_ form: UInt64) -> UInt8 {
        switch form {
        case 0...0x2c: return UInt8(form)
        case 0x1f01: return 0x30
        case 0x1f02: return 0x31
        case 0x1f20: return 0x32
        case 0x1f21: return 0x33
        default: return 0xff
        }
    }
}

/// What form decoding needs to know about a unit, small enough to pass in registers.
struct FormContext: Sendable {
    var addressSize: Int
    var is64: Bool
    var version: UInt16
    init(addressSize: Int, is64: Bool, version: UInt16) {
        self.addressSize = addressSize
        self.is64 = is64
        self.version = version
    }
    init(_ unit: UnitHeader) {
        addressSize = Int(unit.addressSize)
        is64 = unit.is64
        version = unit.version
    }
}

/// Decoding attribute values by form (DWARF 5 §7.5.6, Table 7.6).
extension DWARFReader {
    /// Reads one value of a form given as a `FormCode`. `indirect` forms recurse, bounded.
    @inline(__always)
    mutating func value(_ code: UInt8, rawForm: UInt64, implicitConst: Int64, unit: FormContext, depth: Int = 0) throws(DWARFError) -> AttributeValue {
        let start = pos
        switch code {
        case 0x01: return .address(try fixed(unit.addressSize))
        case 0x03: let n = Int(try u16()); try skip(n); return .block(offset: pos - n, length: n)
        case 0x04: let n = Int(try u32()); try skip(n); return .block(offset: pos - n, length: n)
        case 0x05: return .data(try fixed(2), size: 2)
        case 0x06: return .data(try fixed(4), size: 4)
        case 0x07: return .data(try fixed(8), size: 8)
        case 0x08: return .inlineString(offset: try skipCString())
        case 0x09:
            let n64 = try uleb()
            guard n64 <= UInt64(end - pos) else { throw .truncated(section: section, offset: pos, needed: Int(clamping: n64)) }
            let n = Int(n64); pos += n; return .block(offset: pos - n, length: n)
        case 0x0a: let n = Int(try u8()); try skip(n); return .block(offset: pos - n, length: n)
        case 0x0b: return .data(UInt64(try u8()), size: 1)
        case 0x0c: return .flag(try u8() != 0)
        case 0x0d: return .sdata(try sleb())
        case 0x0e: return .stringOffset(try offset(unit.is64), section: .str)
        case 0x0f: return .udata(try uleb())
        case 0x10: return .sectionReference(unit.version <= 2 ? try fixed(unit.addressSize) : try offset(unit.is64))
        case 0x11: return .unitReference(UInt64(try u8()))
        case 0x12: return .unitReference(try fixed(2))
        case 0x13: return .unitReference(try fixed(4))
        case 0x14: return .unitReference(try fixed(8))
        case 0x15: return .unitReference(try uleb())
        case 0x16:
            return try indirectValue(unit: unit, depth: depth, start: start)
        case 0x17: return .sectionOffset(try offset(unit.is64))
        case 0x18:
            let n64 = try uleb()
            guard n64 <= UInt64(end - pos) else { throw .truncated(section: section, offset: pos, needed: Int(clamping: n64)) }
            let n = Int(n64); pos += n; return .exprloc(offset: pos - n, length: n)
        case 0x19: return .flag(true)
        case 0x1a: return .stringIndex(try uleb())
        case 0x1b: return .addressIndex(try uleb())
        case 0x1c: return .supplementaryReference(try fixed(4))
        case 0x1d: return .stringOffset(try offset(unit.is64), section: .supplementary)
        case 0x1e: try skip(16); return .data16(offset: pos - 16)
        case 0x1f: return .stringOffset(try offset(unit.is64), section: .lineStr)
        case 0x20: return .signatureReference(try u64())
        case 0x21: return .implicitConst(implicitConst)
        case 0x22: return .loclistIndex(try uleb())
        case 0x23: return .rnglistIndex(try uleb())
        case 0x24: return .supplementaryReference(try u64())
        case 0x25: return .stringIndex(UInt64(try u8()))
        case 0x26: return .stringIndex(try fixed(2))
        case 0x27: return .stringIndex(try fixed(3))
        case 0x28: return .stringIndex(try fixed(4))
        case 0x29: return .addressIndex(UInt64(try u8()))
        case 0x2a: return .addressIndex(try fixed(2))
        case 0x2b: return .addressIndex(try fixed(3))
        case 0x2c: return .addressIndex(try fixed(4))
        case 0x30: return .addressIndex(try uleb())
        case 0x31: return .stringIndex(try uleb())
        case 0x32: return .supplementaryReference(try offset(unit.is64))
        case 0x33: return .stringOffset(try offset(unit.is64), section: .supplementary)
        default: throw .unknownForm(section: section, offset: start, form: rawForm)
        }
    }

    /// DW_FORM_indirect: the form is in the data. Kept out of line so that `value` is not
    /// recursive and can be inlined into the DIE loop.
    @inline(never)
    mutating func indirectValue(unit: FormContext, depth: Int, start: Int) throws(DWARFError) -> AttributeValue {
        guard depth < 4 else { throw .unknownForm(section: section, offset: start, form: 0x16) }
        let actual = try uleb()
        guard actual != 0x21 else { throw .unknownForm(section: section, offset: start, form: actual) }
        return try value(FormCode.of(actual), rawForm: actual, implicitConst: 0, unit: unit, depth: depth + 1)
    }
}
