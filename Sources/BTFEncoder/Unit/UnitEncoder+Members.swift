import BTF
import DWARF

/// Members (bit offsets, bitfields) and enumerators (values of any width).
extension UnitEncoder {

    /// A member's bit offset from DW_AT_data_member_location (constant or DW_OP_plus_uconst),
    /// nil without one. (Takes the location, not the whole `Attrs`: passing that by value
    /// copied its 274 bytes for every member.)
    static func locationBitOffset(_ location: AttributeValue?, info: SectionData) -> UInt64? {
        guard let m = location else { return nil }
        switch m {
        case .exprloc(let off, let len), .block(let off, let len): return plusUconst(off, len, info: info) * 8
        default: return (m.unsignedValue ?? 0) * 8
        }
    }

    /// A member's bit offset: from its location, else DW_AT_data_bit_offset, else 0.
    static func memberBitOffset(_ a: inout Attrs, info: SectionData) -> UInt64 {
        locationBitOffset(a.memberLocation, info: info) ?? a.dataBitOffset ?? 0
    }

    /// (`a` is only read; `inout` so that the call does not copy its 274 bytes per member.)
    @inline(__always)
    mutating func member(_ a: inout Attrs, into o: inout Open, die: DIE, info: SectionData) {
        if a.declaration { return }                           // C++ static member
        var bitOffset = UnitEncoder.locationBitOffset(a.memberLocation, info: info) ?? 0
        var bitfield: UInt64 = 0
        if let bits = a.bitSize {
            bitfield = bits
            if let dbo = a.dataBitOffset { bitOffset = dbo }
            else if let bo = a.bitOffset {
                // DWARF 2/3: bit_offset counts from the most significant bit of the storage unit.
                let storage = (a.byteSize ?? 0) * 8
                if dwarf.little { bitOffset = bitOffset &+ storage &- bo &- bits } else { bitOffset = bitOffset &+ bo }
            }
        } else if let dbo = a.dataBitOffset {
            bitOffset = dbo
        }
        if bitfield > 0 { o.bitfields = true }
        let n = name(a)
        worker.memberWords.append(n)
        worker.memberWords.append(a.type)
        worker.memberWords.append(UInt32(truncatingIfNeeded: bitOffset))
        worker.memberWords.append(UInt32(truncatingIfNeeded: bitfield))
        o.vlen += 1
    }

    static func plusUconst(_ off: Int, _ len: Int, info: SectionData) -> UInt64 {
        let b = info.buffer
        guard len >= 1, off >= 0, off + len <= b.count else { return 0 }
        if b[off] == 0x23 {                                   // DW_OP_plus_uconst ULEB128
            var v: UInt64 = 0, shift: UInt64 = 0, i = off + 1
            while i < off + len && shift < 64 {
                v |= UInt64(b[i] & 0x7f) << shift
                if b[i] & 0x80 == 0 { break }
                shift += 7; i += 1
            }
            return v
        }
        return 0
    }

    /// (`a` is only read; `inout` so that the call does not copy it.)
    mutating func enumerator(_ a: inout Attrs, into o: inout Open) {
        var v: UInt64 = 0
        if let c = a.constValue {
            switch c {
            case .sdata(let s): v = UInt64(bitPattern: s); if s < 0 { o.signed = true }
            case .data(let d, _):
                // Not sign-extended: compilers use data1/2/4 for non-negative values and sdata for
                // negative ones (gcc writes 128 as data1 0x80 in a signed enum); pahole reads it so.
                v = d
            default: v = c.unsignedValue ?? 0
            }
        }
        if o.size > 8 {
            // 128-bit enum (Rust repr(u128)/repr(i128)): no BTF enum can hold it; keep the
            // enumerator as a DECL_TAG text "NAME=VALUE" (see close).
            var hi: UInt64 = 0
            var wideBytes: Int? = nil
            switch a.constValue {
            case .data16(let off)?: wideBytes = off
            case .block(let off, 16)?: wideBytes = off            // rustc: DW_FORM_block1 of 16 bytes
            default: break
            }
            if let off = wideBytes {
                let b = dwarf.bytes(of: unit).buffer
                if off >= 0, off + 16 <= b.count {
                    v = 0
                    for k in 0..<8 {
                        let lo = UInt64(b[off + k]), h = UInt64(b[off + 8 + k])
                        if dwarf.little { v |= lo << (8 * UInt64(k)); hi |= h << (8 * UInt64(k)) }
                        else { v |= UInt64(b[off + 15 - k]) << (8 * UInt64(k)); hi |= UInt64(b[off + 7 - k]) << (8 * UInt64(k)) }
                    }
                }
            } else if case .sdata(let sv)? = a.constValue, sv < 0 {
                hi = UInt64.max
            }
            let text = (a.name.flatMap { strings.bytes($0) }.map { String(decoding: $0, as: UTF8.self) } ?? "") + "=" + UnitEncoder.decimal128(hi: hi, lo: v, signed: o.signed)
            worker.memberWords.append(worker.strings.intern(text).rawValue)
            worker.memberWords.append(0)
            worker.memberWords.append(0)
            o.vlen += 1
            return
        }
        let n = name(a)
        worker.memberWords.append(n)
        worker.memberWords.append(UInt32(truncatingIfNeeded: v))
        worker.memberWords.append(UInt32(truncatingIfNeeded: v >> 32))
        o.vlen += 1
    }

    /// The decimal text of a 128-bit value given as two 64-bit halves.
    static func decimal128(hi: UInt64, lo: UInt64, signed: Bool) -> String {
        var h = hi, l = lo
        var negative = false
        if signed && h >> 63 == 1 {
            negative = true
            (l, h) = (~l &+ 1, ~h &+ (l == 0 ? 1 : 0))
        }
        if h == 0 { return (negative ? "-" : "") + String(l) }
        var digits: [UInt8] = []
        while h != 0 || l != 0 {
            // Divide the 128-bit (h, l) by 10.
            let (qh, rh) = h.quotientAndRemainder(dividingBy: 10)
            let (ql, rl) = UInt64(10).dividingFullWidth((high: rh, low: l))
            h = qh; l = ql
            digits.append(UInt8(rl) + 0x30)
        }
        return (negative ? "-" : "") + String(decoding: digits.reversed(), as: UTF8.self)
    }

}
