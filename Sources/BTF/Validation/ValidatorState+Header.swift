/// Phase A (btf-spec §2.1): blob size, header, section tiling, string and type sections.
extension ValidatorState {
    mutating func checkHeader() throws(ValidationFailure) {
        let p = "header"
        if base != nil {
            startID = UInt32(base?.typeCount ?? 1)
            startStrOff = base?.stringSpaceEnd ?? 0
        }
        guard data.count <= ValidatorState.maxBlobSize else {
            throw fail("BTF blob of \(data.count) bytes exceeds 16 MiB", .E2BIG, phase: p)
        }
        guard data.count >= 8 else { throw fail("hdr_len not found", offset: 4, phase: p) }
        hdrLen = u32(4)
        guard Int(hdrLen) <= data.count else { throw fail("btf_header not found", offset: 4, phase: p) }
        if hdrLen > 24 {
            for i in 24..<Int(hdrLen) where data[i] != 0 {
                throw fail("Unsupported btf_header", .E2BIG, offset: i, phase: p)
            }
        }
        func field(_ off: Int) -> UInt32 { off + 4 <= Int(hdrLen) ? u32(off) : 0 }
        let magic = hdrLen >= 2 ? UInt16(data[0]) | UInt16(data[1]) << 8 : 0
        guard magic == BTFHeader.magic else { throw fail("Invalid magic", offset: 0, phase: p) }
        guard hdrLen > 2, data[2] == 1 else { throw fail("Unsupported version", .ENOTSUPP, offset: 2, phase: p) }
        guard hdrLen <= 3 || data[3] == 0 else { throw fail("Unsupported flags", .ENOTSUPP, offset: 3, phase: p) }
        typeOff = field(8); typeLen = field(12); strOff = field(16); strLen = field(20)
        if base == nil && data.count == Int(hdrLen) { throw fail("No data", offset: 4, phase: p) }
        try checkSections()
    }

    /// `btf_check_sec_info`: sections sorted by offset must tile the data after the header.
    private func checkSections() throws(ValidationFailure) {
        let p = "header"
        let expected = UInt64(data.count) - UInt64(hdrLen)
        var secs = [(off: UInt64(typeOff), len: UInt64(typeLen), field: 8), (off: UInt64(strOff), len: UInt64(strLen), field: 16)]
        secs.sort { $0.off < $1.off }
        var total: UInt64 = 0
        for s in secs {
            if expected < s.off { throw fail("Invalid section offset", offset: s.field, phase: p) }
            if total < s.off { throw fail("Unsupported section found", offset: s.field, phase: p) }
            if total > s.off { throw fail("Section overlap found", offset: s.field, phase: p) }
            if expected - total < s.len { throw fail("Total section length too long", offset: s.field + 4, phase: p) }
            total += s.len
        }
        if expected != total { throw fail("Unsupported section found", offset: Int(hdrLen) + Int(total), phase: p) }
    }

    /// `btf_parse_str_sec` (btf-spec §1.4).
    func checkStrings() throws(ValidationFailure) {
        let p = "strings"
        let start = Int(hdrLen) + Int(strOff)
        if UInt64(start) + UInt64(strLen) != UInt64(data.count) {
            throw fail("String section is not at the end", offset: 16, phase: p)
        }
        if base != nil && strLen == 0 { return }
        let end = start + Int(strLen)
        guard strLen > 0, strLen - 1 <= ValidatorState.maxNameOffset, end <= data.count, data[end - 1] == 0 else {
            throw fail("Invalid string section", offset: strLen == 0 ? 20 : end - 1, phase: p)
        }
        if base == nil && data[start] != 0 { throw fail("Invalid string section", offset: start, phase: p) }
    }

    func checkTypeSection() throws(ValidationFailure) {
        let p = "types"
        guard typeOff % 4 == 0 else { throw fail("Unaligned type_off", offset: 8, phase: p) }
        if base == nil && typeLen == 0 { throw fail("No type found", offset: 12, phase: p) }
    }

    // MARK: - Names (btf-spec §2.3)

    /// `btf_name_offset_valid`.
    func nameOffsetValid(_ off: UInt32) -> Bool {
        off <= ValidatorState.maxNameOffset && UInt64(off) < UInt64(startStrOff) + UInt64(strLen)
    }

    /// The bytes of the string at `off` (without NUL), or nil when invalid.
    func nameBytes(_ off: UInt32) -> ArraySlice<UInt8>? {
        if off < startStrOff {
            guard let base, let (file, r) = base.stringRange(StringOffset(off)) else { return nil }
            return file.data.bytes[r]
        }
        let start = Int(hdrLen) + Int(strOff) + Int(off - startStrOff)
        let end = Int(hdrLen) + Int(strOff) + Int(strLen)
        guard start < end, end <= data.count, let nul = data[start..<end].firstIndex(of: 0) else { return nil }
        return data[start..<nul]
    }

    private static func isAlpha(_ c: UInt8) -> Bool { (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) }
    private static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

    /// `btf_name_valid_identifier`: [A-Za-z_.][A-Za-z0-9_.]*, at most KSYM_NAME_LEN bytes.
    func validIdentifier(_ off: UInt32) -> Bool {
        guard let s = nameBytes(off), let first = s.first else { return false }
        guard ValidatorState.isAlpha(first) || first == 0x5f || first == 0x2e else { return false }
        guard s.count <= options.maxNameLength else { return false }
        for c in s.dropFirst() where !(ValidatorState.isAlpha(c) || ValidatorState.isDigit(c) || c == 0x5f || c == 0x2e) {
            return false
        }
        return true
    }

    /// `btf_name_valid_section`: non-empty, printable bytes, at most KSYM_NAME_LEN.
    func validSectionName(_ off: UInt32) -> Bool {
        guard let s = nameBytes(off), !s.isEmpty, s.count <= options.maxNameLength else { return false }
        return s.allSatisfy { $0 >= 0x20 && $0 < 0x7f }
    }

    /// Non-empty string (tag values).
    func nonEmptyString(_ off: UInt32) -> Bool {
        guard let s = nameBytes(off) else { return false }
        return !s.isEmpty
    }
}
