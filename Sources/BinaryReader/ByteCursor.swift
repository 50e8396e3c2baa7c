/// A forward-moving reader over a ``ByteBuffer``. Reads advance the position; a failed read
/// leaves the position unchanged and throws with the offset where it failed.
public struct ByteCursor: Sendable {
    public let buffer: ByteBuffer
    public private(set) var position: Int

    public init(buffer: ByteBuffer, position: Int = 0) {
        self.buffer = buffer
        self.position = position
    }

    public var remaining: Int { max(buffer.count - position, 0) }
    public var isAtEnd: Bool { position >= buffer.count }

    public mutating func u8() throws(ParseError) -> UInt8 {
        let v = try buffer.u8(at: position); position += 1; return v
    }

    public mutating func u16() throws(ParseError) -> UInt16 {
        let v = try buffer.u16(at: position); position += 2; return v
    }

    public mutating func u32() throws(ParseError) -> UInt32 {
        let v = try buffer.u32(at: position); position += 4; return v
    }

    public mutating func u64() throws(ParseError) -> UInt64 {
        let v = try buffer.u64(at: position); position += 8; return v
    }

    public mutating func skip(_ count: Int) throws(ParseError) {
        guard count >= 0, buffer.contains(offset: position, length: count) else {
            throw ParseError(section: buffer.section, offset: position,
                             reason: .truncated(needed: count, available: remaining))
        }
        position += count
    }

    public mutating func bytes(_ count: Int) throws(ParseError) -> ArraySlice<UInt8> {
        let s = try buffer.slice(at: position, length: count)
        position += count
        return s
    }

    /// Unsigned LEB128 (DWARF 5 §7.6).
    public mutating func uleb128() throws(ParseError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        var p = position
        while true {
            guard p < buffer.count else { throw ParseError(section: buffer.section, offset: position, reason: .badLEB128) }
            let byte = buffer.bytes[p]
            p += 1
            let payload = UInt64(byte & 0x7f)
            if shift >= 64 || (shift == 63 && payload > 1) {
                if payload != 0 { throw ParseError(section: buffer.section, offset: position, reason: .badLEB128) }
            } else {
                result |= payload << shift
            }
            shift += 7
            if byte & 0x80 == 0 { break }
        }
        position = p
        return result
    }

    /// Signed LEB128 (DWARF 5 §7.6).
    public mutating func sleb128() throws(ParseError) -> Int64 {
        var result: Int64 = 0
        var shift: UInt64 = 0
        var p = position
        var byte: UInt8 = 0
        repeat {
            guard p < buffer.count else { throw ParseError(section: buffer.section, offset: position, reason: .badLEB128) }
            byte = buffer.bytes[p]
            p += 1
            if shift < 64 {
                result |= Int64(byte & 0x7f) << Int64(shift)
            }
            shift += 7
        } while byte & 0x80 != 0
        if shift < 64 && (byte & 0x40) != 0 {
            result |= Int64(-1) << Int64(shift)
        }
        position = p
        return result
    }

    /// A NUL-terminated byte string; throws when no terminator is found.
    public mutating func cString() throws(ParseError) -> ArraySlice<UInt8> {
        let start = position
        guard let end = buffer.bytes[min(start, buffer.count)...].firstIndex(of: 0) else {
            throw ParseError(section: buffer.section, offset: start, reason: .invalid("unterminated string"))
        }
        position = end + 1
        return buffer.bytes[start..<end]
    }
}
