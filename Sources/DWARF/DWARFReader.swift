/// Stands in for the base address of an empty buffer, so that a reader never holds an optional.
nonisolated(unsafe) private let emptyBase: UnsafeMutablePointer<UInt8> = .allocate(capacity: 1)

/// A bounds-checked reader over one DWARF section, valid inside a `withUnsafeBufferPointer` scope
/// (see `withReader`). Every read checks its range first and throws a `DWARFError` with the
/// section and offset; nothing traps on input.
struct DWARFReader {
    let bytes: UnsafePointer<UInt8>
    let count: Int
    let section: DWARFSectionID
    let little: Bool
    var pos: Int
    var end: Int

    init(_ buffer: UnsafeBufferPointer<UInt8>, _ section: DWARFSectionID, little: Bool, at pos: Int = 0, end: Int? = nil) {
        self.bytes = buffer.baseAddress ?? UnsafePointer(emptyBase)
        self.count = buffer.count
        self.section = section
        self.little = little
        self.pos = max(pos, 0)
        self.end = min(end ?? buffer.count, buffer.count)
    }

    @inline(__always) func need(_ n: Int) throws(DWARFError) {
        if n > end - pos || pos < 0 { throw .truncated(section: section, offset: pos, needed: n) }
    }

    @inline(__always) mutating func u8() throws(DWARFError) -> UInt8 {
        try need(1)
        let v = bytes[pos]
        pos += 1
        return v
    }

    @inline(__always) mutating func fixed(_ n: Int) throws(DWARFError) -> UInt64 {
        try need(n)
        let p = pos
        switch n {
        case 1: pos += 1; return UInt64(bytes[p])
        case 2:
            pos += 2
            let raw = UnsafeRawPointer(bytes + p).loadUnaligned(as: UInt16.self)
            return UInt64(little ? UInt16(littleEndian: raw) : UInt16(bigEndian: raw))
        case 4:
            pos += 4
            let raw = UnsafeRawPointer(bytes + p).loadUnaligned(as: UInt32.self)
            return UInt64(little ? UInt32(littleEndian: raw) : UInt32(bigEndian: raw))
        case 8:
            pos += 8
            let raw = UnsafeRawPointer(bytes + p).loadUnaligned(as: UInt64.self)
            return little ? UInt64(littleEndian: raw) : UInt64(bigEndian: raw)
        default: break
        }
        var v: UInt64 = 0
        if little {
            var k = n - 1
            while k >= 0 { v = v << 8 | UInt64(bytes[pos + k]); k -= 1 }
        } else {
            for k in 0..<n { v = v << 8 | UInt64(bytes[pos + k]) }
        }
        pos += n
        return v
    }

    @inline(__always) mutating func u16() throws(DWARFError) -> UInt16 { UInt16(try fixed(2)) }
    @inline(__always) mutating func u32() throws(DWARFError) -> UInt32 { UInt32(try fixed(4)) }
    @inline(__always) mutating func u64() throws(DWARFError) -> UInt64 { try fixed(8) }

    @inline(__always) mutating func uleb() throws(DWARFError) -> UInt64 {
        if pos < end {
            let first = bytes[pos]
            if first < 0x80 { pos += 1; return UInt64(first) }
        }
        var result: UInt64 = 0
        var shift: UInt64 = 0
        var p = pos
        while true {
            guard p < end else { throw .badLEB128(section: section, offset: pos) }
            let b = bytes[p]
            p += 1
            if shift < 64 { result |= UInt64(b & 0x7f) << shift }
            else if b & 0x7f != 0 { throw .badLEB128(section: section, offset: pos) }
            shift += 7
            if b & 0x80 == 0 { break }
        }
        pos = p
        return result
    }

    @inline(__always) mutating func sleb() throws(DWARFError) -> Int64 {
        var result: Int64 = 0
        var shift: UInt64 = 0
        var p = pos
        var b: UInt8 = 0
        repeat {
            guard p < end else { throw .badLEB128(section: section, offset: pos) }
            b = bytes[p]
            p += 1
            if shift < 64 { result |= Int64(b & 0x7f) << Int64(shift) }
            shift += 7
        } while b & 0x80 != 0
        if shift < 64 && b & 0x40 != 0 { result |= Int64(-1) << Int64(shift) }
        pos = p
        return result
    }

    @inline(__always) mutating func skip(_ n: Int) throws(DWARFError) {
        try need(n)
        pos += n
    }

    /// Skips a NUL-terminated string, returning its start.
    @inline(__always) mutating func skipCString() throws(DWARFError) -> Int {
        let start = pos
        var p = pos
        while p < end && bytes[p] != 0 { p += 1 }
        guard p < end else { throw .truncated(section: section, offset: start, needed: 1) }
        pos = p + 1
        return start
    }

    /// Reads an offset of the unit's format (4 bytes for DWARF32, 8 for DWARF64).
    @inline(__always) mutating func offset(_ is64: Bool) throws(DWARFError) -> UInt64 {
        is64 ? try u64() : UInt64(try u32())
    }
}

/// Runs `body` with a reader over a section (its memory stays valid while `data` lives).
@inline(__always)
func withReader<R>(_ data: SectionData, _ section: DWARFSectionID, little: Bool, at pos: Int = 0, end: Int? = nil,
                   _ body: (inout DWARFReader) throws(DWARFError) -> R) throws(DWARFError) -> R {
    var r = DWARFReader(data.buffer, section, little: little, at: pos, end: end)
    return try withExtendedLifetime(data) { () throws(DWARFError) -> R in try body(&r) }
}

/// The NUL-terminated string at `offset` of a section, or nil when the offset or terminator is missing.
func cString(_ data: SectionData, at offset: UInt64) -> String? { data.cString(at: offset) }
