/// Phase B (btf-spec §2.2): per-record checks in ID order (`btf_check_all_metas`).
extension ValidatorState {
    mutating func checkAllMetas() throws(ValidationFailure) {
        let start = Int(hdrLen) + Int(typeOff)
        let end = start + Int(typeLen)
        var cur = start
        var id = startID
        offsets.reserveCapacity(Int(typeLen) / 24)
        while cur < end {
            let size = try checkMeta(at: cur, left: end - cur, id: id)
            if id >= ValidatorState.maxTypeID {
                throw fail("Exceeded max num of types", .E2BIG, id: id, offset: cur, phase: "meta")
            }
            offsets.append(cur)
            cur += size
            id += 1
        }
    }

    /// Checks one record; returns its length.
    private func checkMeta(at off: Int, left: Int, id: UInt32) throws(ValidationFailure) -> Int {
        let p = "meta"
        func bad(_ msg: String, _ errno: ValidationFailure.Errno = .EINVAL, at o: Int? = nil) -> ValidationFailure {
            fail(msg, errno, id: id, offset: o ?? off, phase: p)
        }
        guard left >= 12 else { throw bad("meta_left:\(left) meta_needed:12") }
        let nameOff = u32(off)
        let info = TypeInfo(rawValue: u32(off + 4))
        let st = u32(off + 8)
        let metaLeft = left - 12
        guard info.legacyReservedBits == 0 else {
            throw bad("Invalid btf_info:\(String(info.rawValue, radix: 16))", at: off + 4)
        }
        let kind = info.kind
        guard kind.isKnown else { throw bad("Invalid kind:\(kind.rawValue)", at: off + 4) }
        guard nameOffsetValid(nameOff) else { throw bad("Invalid name_offset:\(nameOff)", at: off) }
        let vlen = info.vlen
        guard let tail = RecordLayout.tail(of: kind) else { throw bad("Invalid kind:\(kind.rawValue)", at: off + 4) }
        let needed = tail.fixed + vlen * tail.element
        if needed > metaLeft { throw bad("meta_left:\(metaLeft) meta_needed:\(needed)") }
        @inline(__always) func w(_ i: Int) -> UInt32 { u32(off + 12 + 4 * i) }
        let kflagError = "Invalid btf_info kind_flag"

        switch kind {
        case .int:
            if vlen != 0 { throw bad("vlen != 0", at: off + 4) }
            if info.kindFlag { throw bad(kflagError, at: off + 4) }
            let d = w(0)
            if d & ~0x0fff_ffff != 0 { throw bad("Invalid int_data:\(String(d, radix: 16))", at: off + 12) }
            let nrBits = (d & 0xff) + ((d >> 16) & 0xff)
            if nrBits > 128 { throw bad("nr_bits exceeds 128", at: off + 12) }
            if (nrBits + 7) / 8 > st { throw bad("nr_bits exceeds type_size", at: off + 12) }
            let enc = (d >> 24) & 0x0f
            if enc != 0 && enc != 1 && enc != 2 && enc != 4 { throw bad("Unsupported encoding", .ENOTSUPP, at: off + 12) }

        case .pointer, .typedef, .volatile, .const, .restrict, .typeTag:
            if vlen != 0 { throw bad("vlen != 0", at: off + 4) }
            if info.kindFlag && !(kind == .typeTag && options.allowTagKindFlag) { throw bad(kflagError, at: off + 4) }
            if st > ValidatorState.maxTypeID { throw bad("Invalid type_id", at: off + 8) }
            if kind == .typedef {
                if nameOff == 0 || !validIdentifier(nameOff) { throw bad("Invalid name", at: off) }
            } else if kind == .typeTag {
                if !nonEmptyString(nameOff) { throw bad("Invalid name", at: off) }
            } else if nameOff != 0 {
                throw bad("Invalid name", at: off)
            }

        case .forward:
            if vlen != 0 { throw bad("vlen != 0", at: off + 4) }
            if st != 0 { throw bad("type != 0", at: off + 8) }
            if nameOff == 0 || !validIdentifier(nameOff) { throw bad("Invalid name", at: off) }

        case .array:
            if nameOff != 0 { throw bad("Invalid name", at: off) }
            if vlen != 0 { throw bad("vlen != 0", at: off + 4) }
            if info.kindFlag { throw bad(kflagError, at: off + 4) }
            if st != 0 { throw bad("size != 0", at: off + 8) }
            if w(0) == 0 || w(0) > ValidatorState.maxTypeID { throw bad("Invalid elem", at: off + 12) }
            if w(1) == 0 || w(1) > ValidatorState.maxTypeID { throw bad("Invalid index", at: off + 16) }

        case .structure, .union:
            if nameOff != 0 && !validIdentifier(nameOff) { throw bad("Invalid name", at: off) }
            var last: UInt32 = 0
            for i in 0..<vlen {
                let mo = off + 12 + 12 * i
                let mName = w(3 * i), mType = w(3 * i + 1), raw = w(3 * i + 2)
                if !nameOffsetValid(mName) { throw bad("Invalid member name_offset:\(mName)", at: mo) }
                if mName != 0 && !validIdentifier(mName) { throw bad("Invalid name", at: mo) }
                if mType == 0 || mType > ValidatorState.maxTypeID { throw bad("Invalid type_id", at: mo + 4) }
                let bitOff = info.kindFlag ? raw & 0xFFFFFF : raw
                if kind == .union && bitOff != 0 { throw bad("Invalid member bits_offset", at: mo + 8) }
                if last > bitOff { throw bad("Invalid member bits_offset", at: mo + 8) }
                if (UInt64(bitOff) + 7) / 8 > UInt64(st) { throw bad("Member bits_offset exceeds its struct size", at: mo + 8) }
                last = bitOff
            }

        case .enumeration, .enum64:
            if st > 8 || st == 0 || st & (st - 1) != 0 { throw bad("Unexpected size", at: off + 8) }
            if nameOff != 0 && !validIdentifier(nameOff) { throw bad("Invalid name", at: off) }
            let stride = kind == .enum64 ? 3 : 2
            for i in 0..<vlen {
                let eName = w(stride * i)
                let eo = off + 12 + 4 * stride * i
                if !nameOffsetValid(eName) { throw bad("Invalid name_offset:\(eName)", at: eo) }
                if eName == 0 || !validIdentifier(eName) { throw bad("Invalid name", at: eo) }
            }

        case .functionProto:
            if nameOff != 0 { throw bad("Invalid name", at: off) }
            if info.kindFlag { throw bad(kflagError, at: off + 4) }

        case .function:
            if nameOff == 0 || !validIdentifier(nameOff) { throw bad("Invalid name", at: off) }
            if vlen > 1 { throw bad("Invalid func linkage", at: off + 4) }
            if info.kindFlag { throw bad(kflagError, at: off + 4) }

        case .variable:
            if vlen != 0 { throw bad("vlen != 0", at: off + 4) }
            if info.kindFlag { throw bad(kflagError, at: off + 4) }
            if nameOff == 0 || !validIdentifier(nameOff) { throw bad("Invalid name", at: off) }
            if st == 0 || st > ValidatorState.maxTypeID { throw bad("Invalid type_id", at: off + 8) }
            let linkage = w(0)
            if linkage != 0 && linkage != 1 { throw bad("Linkage not supported", at: off + 12) }

        case .dataSection:
            if st == 0 { throw bad("size == 0", at: off + 8) }
            if info.kindFlag { throw bad(kflagError, at: off + 4) }
            if nameOff == 0 || !validSectionName(nameOff) { throw bad("Invalid name", at: off) }
            var lastEnd: UInt64 = 0
            var sum: UInt64 = 0
            for i in 0..<vlen {
                let eo = off + 12 + 12 * i
                let t = w(3 * i), o = w(3 * i + 1), s = w(3 * i + 2)
                if t == 0 || t > ValidatorState.maxTypeID { throw bad("Invalid type_id", at: eo) }
                if UInt64(o) < lastEnd || o >= st { throw bad("Invalid offset", at: eo + 4) }
                if s == 0 || s > st { throw bad("Invalid size", at: eo + 8) }
                lastEnd = UInt64(o) + UInt64(s)
                if lastEnd > UInt64(st) { throw bad("Invalid offset+size", at: eo + 4) }
                sum += UInt64(s)
            }
            if UInt64(st) < sum { throw bad("Invalid btf_info size", at: off + 8) }

        case .float:
            if vlen != 0 { throw bad("vlen != 0", at: off + 4) }
            if info.kindFlag { throw bad(kflagError, at: off + 4) }
            if ![2, 4, 8, 12, 16].contains(st) { throw bad("Invalid type_size", at: off + 8) }

        case .declTag:
            if !nonEmptyString(nameOff) { throw bad("Invalid value", at: off) }
            if vlen != 0 { throw bad("vlen != 0", at: off + 4) }
            if info.kindFlag && !options.allowTagKindFlag { throw bad(kflagError, at: off + 4) }
            if Int32(bitPattern: w(0)) < -1 { throw bad("Invalid component_idx", at: off + 12) }

        default:
            throw bad("Invalid kind:\(kind.rawValue)", at: off + 4)
        }
        return 12 + needed
    }
}
