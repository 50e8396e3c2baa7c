/// Struct member layout checks (btf-spec §2.4 "Member checks"): the kernel's per-kind
/// `check_member` / `check_kflag_member` operations.
extension ValidatorState {
    func checkMember(_ s: TypeView, index i: Int, memberType: TypeView) throws(ValidationFailure) {
        let raw = word(s, 3 * i + 2)
        let at = s.offset + 12 + 12 * i + 8
        if s.kflag {
            try checkKflagMember(s, raw: raw, memberType: memberType, memberTypeID: word(s, 3 * i + 1), at: at)
        } else {
            try checkPlainMember(s, bitOffset: raw, memberType: memberType, memberTypeID: word(s, 3 * i + 1), at: at)
        }
    }

    private func memberFail(_ s: TypeView, _ msg: String, at: Int) -> ValidationFailure {
        typeFail(s, msg, at: at)
    }

    /// kind_flag = 0: the offset word is a plain bit offset.
    private func checkPlainMember(_ s: TypeView, bitOffset: UInt32, memberType m: TypeView, memberTypeID: UInt32,
                                  at: Int) throws(ValidationFailure) {
        let structSize = UInt64(s.sizeOrType)
        switch m.kind {
        case .typedef, .volatile, .const, .restrict, .typeTag:
            guard let r = typeIDSize(memberTypeID) else { throw memberFail(s, "Invalid member", at: at - 4) }
            try checkPlainMember(s, bitOffset: bitOffset, memberType: r.view, memberTypeID: r.id, at: at)
        case .int:
            let d = word(m, 0)
            let intOff = (d >> 16) & 0xff
            if UInt32.max - bitOffset < intOff { throw memberFail(s, "bits_offset exceeds U32_MAX", at: at) }
            let bits = UInt64(bitOffset) + UInt64(intOff)
            let bytesOffset = bits / 8
            let copyBits = UInt64(d & 0xff) + bits % 8
            if copyBits > 128 { throw memberFail(s, "nr_copy_bits exceeds 128", at: at) }
            if structSize < bytesOffset || structSize - bytesOffset < (copyBits + 7) / 8 {
                throw memberFail(s, "Member exceeds struct_size", at: at)
            }
        case .pointer:
            if bitOffset % 8 != 0 { throw memberFail(s, "Member is not byte aligned", at: at) }
            if UInt32(truncatingIfNeeded: structSize) &- bitOffset / 8 < options.pointerSize {
                throw memberFail(s, "Member exceeds struct_size", at: at)
            }
        case .structure, .union, .enumeration, .enum64:
            if bitOffset % 8 != 0 { throw memberFail(s, "Member is not byte aligned", at: at) }
            if UInt32(truncatingIfNeeded: structSize) &- bitOffset / 8 < m.sizeOrType {
                throw memberFail(s, "Member exceeds struct_size", at: at)
            }
        case .array:
            if bitOffset % 8 != 0 { throw memberFail(s, "Member is not byte aligned", at: at) }
            let size = typeIDSize(memberTypeID)?.size ?? 0
            if UInt32(truncatingIfNeeded: structSize) &- bitOffset / 8 < size {
                throw memberFail(s, "Member exceeds struct_size", at: at)
            }
        case .float:
            let alignBits = UInt64(min(options.pointerSize, m.sizeOrType)) * 8
            if alignBits != 0 && UInt64(bitOffset) % alignBits != 0 {
                throw memberFail(s, "Member is not properly aligned", at: at)
            }
            if UInt64(bitOffset / 8) + UInt64(m.sizeOrType) > structSize {
                throw memberFail(s, "Member exceeds struct_size", at: at)
            }
        default:
            throw memberFail(s, "Invalid member", at: at - 4)
        }
    }

    /// kind_flag = 1: bits 0–23 bit offset, 24–31 bitfield size.
    private func checkKflagMember(_ s: TypeView, raw: UInt32, memberType m: TypeView, memberTypeID: UInt32,
                                  at: Int) throws(ValidationFailure) {
        let structSize = UInt64(s.sizeOrType)
        let bitfield = raw >> 24
        let bitOffset = raw & 0xFFFFFF
        switch m.kind {
        case .typedef, .volatile, .const, .restrict, .typeTag:
            guard let r = typeIDSize(memberTypeID) else { throw memberFail(s, "Invalid member", at: at - 4) }
            try checkKflagMember(s, raw: raw, memberType: r.view, memberTypeID: r.id, at: at)
        case .int:
            guard isRegularInt(m) else { throw memberFail(s, "Invalid member base type", at: at - 4) }
            let intBits = word(m, 0) & 0xff
            var nrBits = bitfield
            if nrBits == 0 {
                if bitOffset % 8 != 0 { throw memberFail(s, "Invalid member offset", at: at) }
                nrBits = intBits
            } else if nrBits > intBits {
                throw memberFail(s, "Invalid member bitfield_size", at: at)
            }
            let bytesOffset = UInt64(bitOffset / 8)
            let copyBits = UInt64(nrBits) + UInt64(bitOffset % 8)
            if copyBits > 128 { throw memberFail(s, "nr_copy_bits exceeds 128", at: at) }
            if structSize < bytesOffset || structSize - bytesOffset < (copyBits + 7) / 8 {
                throw memberFail(s, "Member exceeds struct_size", at: at)
            }
        case .enumeration, .enum64:
            var nrBits = bitfield
            if nrBits == 0 {
                if bitOffset % 8 != 0 { throw memberFail(s, "Member is not byte aligned", at: at) }
                nrBits = 32
            } else if nrBits > 32 {
                throw memberFail(s, "Invalid member bitfield_size", at: at)
            }
            if structSize < (UInt64(bitOffset) + UInt64(nrBits) + 7) / 8 {
                throw memberFail(s, "Member exceeds struct_size", at: at)
            }
        case .pointer, .structure, .union, .array, .float:
            if bitfield != 0 { throw memberFail(s, "Invalid member bitfield_size", at: at) }
            try checkPlainMember(s, bitOffset: raw, memberType: m, memberTypeID: memberTypeID, at: at)
        default:
            throw memberFail(s, "Invalid member", at: at - 4)
        }
    }

    /// Phase D (btf-spec §2.5): TYPE_TAGs must precede every other modifier in a chain.
    func checkTypeTags() throws(ValidationFailure) {
        var good = Int64(startID) - 1
        for i in 0..<offsets.count {
            let id = startID + UInt32(i)
            guard var t = view(id) else { continue }
            guard t.isModifier else { continue }
            var inTags = t.kind == .typeTag
            var limit = 32
            var cur = id
            while t.isModifier {
                if limit == 0 {
                    throw fail("Max chain length or cycle detected", .ELOOP, id: id, offset: offsets[i], phase: "type-tags")
                }
                limit -= 1
                if t.kind == .typeTag {
                    if !inTags { throw fail("Type tags don't precede modifiers", id: id, offset: offsets[i], phase: "type-tags") }
                } else if inTags {
                    inTags = false
                }
                if Int64(cur) <= good { break }
                cur = t.sizeOrType
                guard let n = view(cur) else { throw fail("Invalid type_id", id: id, offset: offsets[i], phase: "type-tags") }
                t = n
            }
            good = Int64(id)
        }
    }
}
