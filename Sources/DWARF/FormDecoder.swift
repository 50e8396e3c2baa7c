/// Forms as dense codes (DWARF 5 §7.5.6, Table 7.6): the standard forms keep their number
/// (≤ 0x2c), the GNU forms get 0x30–0x33 and anything else `unknown`, so that decoding is one
/// jump table over named cases.
enum FormCode: UInt8, Sendable {
    case addr = 0x01, block2 = 0x03, block4 = 0x04, data2 = 0x05, data4 = 0x06, data8 = 0x07
    case string = 0x08, block = 0x09, block1 = 0x0a, data1 = 0x0b, flag = 0x0c, sdata = 0x0d
    case strp = 0x0e, udata = 0x0f, refAddr = 0x10, ref1 = 0x11, ref2 = 0x12, ref4 = 0x13
    case ref8 = 0x14, refUdata = 0x15, indirect = 0x16, secOffset = 0x17, exprloc = 0x18
    case flagPresent = 0x19, strx = 0x1a, addrx = 0x1b, refSup4 = 0x1c, strpSup = 0x1d
    case data16 = 0x1e, lineStrp = 0x1f, refSig8 = 0x20, implicitConst = 0x21, loclistx = 0x22
    case rnglistx = 0x23, refSup8 = 0x24, strx1 = 0x25, strx2 = 0x26, strx3 = 0x27, strx4 = 0x28
    case addrx1 = 0x29, addrx2 = 0x2a, addrx3 = 0x2b, addrx4 = 0x2c
    /// DW_FORM_GNU_addr_index (0x1f01), DW_FORM_GNU_str_index (0x1f02), DW_FORM_GNU_ref_alt
    /// (0x1f20), DW_FORM_GNU_strp_alt (0x1f21).
    case gnuAddrIndex = 0x30, gnuStrIndex = 0x31, gnuRefAlt = 0x32, gnuStrpAlt = 0x33
    /// A form this library does not know (it cannot be stepped over).
    case unknown = 0xff

    static func of(_ form: UInt64) -> FormCode {
        switch form {
        case 0...0x2c: return FormCode(rawValue: UInt8(form)) ?? .unknown
        case 0x1f01: return .gnuAddrIndex
        case 0x1f02: return .gnuStrIndex
        case 0x1f20: return .gnuRefAlt
        case 0x1f21: return .gnuStrpAlt
        default: return .unknown
        }
    }

    /// How many bytes a value of a form takes (DWARF 5 §7.5.6), where the data does not say.
    enum ValueSize {
        case bytes(Int)
        /// The unit's offset size: 4 (32-bit DWARF) or 8.
        case offset
        /// The unit's address size.
        case address
        /// LEB128, strings, blocks, `indirect`, `ref_addr` (its size depends on the version), and
        /// unknown forms.
        case variable
    }

    @inline(__always)
    var valueSize: ValueSize {
        switch self {
        case .flagPresent, .implicitConst: return .bytes(0)
        case .data1, .ref1, .flag, .strx1, .addrx1: return .bytes(1)
        case .data2, .ref2, .strx2, .addrx2: return .bytes(2)
        case .strx3, .addrx3: return .bytes(3)
        case .data4, .ref4, .strx4, .addrx4, .refSup4: return .bytes(4)
        case .data8, .ref8, .refSig8, .refSup8: return .bytes(8)
        case .data16: return .bytes(16)
        case .strp, .secOffset, .lineStrp, .strpSup, .gnuRefAlt, .gnuStrpAlt: return .offset
        case .addr: return .address
        default: return .variable
        }
    }

    /// The bytes a value of this form takes in a unit with these sizes; nil when the data says.
    @inline(__always)
    func byteCount(in unit: FormContext) -> Int? {
        switch valueSize {
        case .bytes(let n): return n
        case .offset: return unit.is64 ? 8 : 4
        case .address: return unit.addressSize
        case .variable: return nil
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
    mutating func value(_ code: FormCode, rawForm: UInt64, implicitConst: Int64, unit: FormContext, depth: Int = 0) throws(DWARFError) -> AttributeValue {
        let start = pos
        switch code {
        case .addr: return .address(try fixed(unit.addressSize))
        case .block2: let n = Int(try u16()); try skip(n); return .block(offset: pos - n, length: n)
        case .block4: let n = Int(try u32()); try skip(n); return .block(offset: pos - n, length: n)
        case .data2: return .data(try fixed(2), size: 2)
        case .data4: return .data(try fixed(4), size: 4)
        case .data8: return .data(try fixed(8), size: 8)
        case .string: return .inlineString(offset: try skipCString())
        case .block:
            let n64 = try uleb()
            guard n64 <= UInt64(end - pos) else { throw .truncated(section: section, offset: pos, needed: Int(clamping: n64)) }
            let n = Int(n64); pos += n; return .block(offset: pos - n, length: n)
        case .block1: let n = Int(try u8()); try skip(n); return .block(offset: pos - n, length: n)
        case .data1: return .data(UInt64(try u8()), size: 1)
        case .flag: return .flag(try u8() != 0)
        case .sdata: return .sdata(try sleb())
        case .strp: return .stringOffset(try offset(unit.is64), section: .str)
        case .udata: return .udata(try uleb())
        case .refAddr: return .sectionReference(unit.version <= 2 ? try fixed(unit.addressSize) : try offset(unit.is64))
        case .ref1: return .unitReference(UInt64(try u8()))
        case .ref2: return .unitReference(try fixed(2))
        case .ref4: return .unitReference(try fixed(4))
        case .ref8: return .unitReference(try fixed(8))
        case .refUdata: return .unitReference(try uleb())
        case .indirect:
            return try indirectValue(unit: unit, depth: depth, start: start)
        case .secOffset: return .sectionOffset(try offset(unit.is64))
        case .exprloc:
            let n64 = try uleb()
            guard n64 <= UInt64(end - pos) else { throw .truncated(section: section, offset: pos, needed: Int(clamping: n64)) }
            let n = Int(n64); pos += n; return .exprloc(offset: pos - n, length: n)
        case .flagPresent: return .flag(true)
        case .strx: return .stringIndex(try uleb())
        case .addrx: return .addressIndex(try uleb())
        case .refSup4: return .supplementaryReference(try fixed(4))
        case .strpSup: return .stringOffset(try offset(unit.is64), section: .supplementary)
        case .data16: try skip(16); return .data16(offset: pos - 16)
        case .lineStrp: return .stringOffset(try offset(unit.is64), section: .lineStr)
        case .refSig8: return .signatureReference(try u64())
        case .implicitConst: return .implicitConst(implicitConst)
        case .loclistx: return .loclistIndex(try uleb())
        case .rnglistx: return .rnglistIndex(try uleb())
        case .refSup8: return .supplementaryReference(try u64())
        case .strx1: return .stringIndex(UInt64(try u8()))
        case .strx2: return .stringIndex(try fixed(2))
        case .strx3: return .stringIndex(try fixed(3))
        case .strx4: return .stringIndex(try fixed(4))
        case .addrx1: return .addressIndex(UInt64(try u8()))
        case .addrx2: return .addressIndex(try fixed(2))
        case .addrx3: return .addressIndex(try fixed(3))
        case .addrx4: return .addressIndex(try fixed(4))
        case .gnuAddrIndex: return .addressIndex(try uleb())
        case .gnuStrIndex: return .stringIndex(try uleb())
        case .gnuRefAlt: return .supplementaryReference(try offset(unit.is64))
        case .gnuStrpAlt: return .stringOffset(try offset(unit.is64), section: .supplementary)
        case .unknown: throw .unknownForm(section: section, offset: start, form: rawForm)
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
