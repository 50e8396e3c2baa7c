/// An immutable byte buffer with bounds-checked, endian-aware reads at absolute offsets.
///
/// Every read checks its range and throws a ``ParseError`` naming the offset; nothing here
/// can trap on input-derived offsets.
public struct ByteBuffer: Sendable {
    public let bytes: [UInt8]
    public var endianness: Endianness
    /// Name used in errors (for example ".BTF" or a file name).
    public var section: String?

    public init(_ bytes: [UInt8], endianness: Endianness = .little, section: String? = nil) {
        self.bytes = bytes
        self.endianness = endianness
        self.section = section
    }

    public var count: Int { bytes.count }

    @inline(__always)
    public func contains(offset: Int, length: Int) -> Bool {
        offset >= 0 && length >= 0 && offset <= bytes.count && length <= bytes.count - offset
    }

    @inline(__always)
    func check(_ offset: Int, _ length: Int) throws(ParseError) {
        guard contains(offset: offset, length: length) else {
            throw ParseError(section: section, offset: offset,
                             reason: .truncated(needed: length, available: bytes.count - max(offset, 0)))
        }
    }

    @inline(__always)
    public func u8(at offset: Int) throws(ParseError) -> UInt8 {
        try check(offset, 1)
        return bytes.withUnsafeBytes { $0.load(fromByteOffset: offset, as: UInt8.self) }
    }

    @inline(__always)
    public func u16(at offset: Int) throws(ParseError) -> UInt16 {
        try check(offset, 2)
        return endianness.decode(bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: UInt16.self) })
    }

    @inline(__always)
    public func u32(at offset: Int) throws(ParseError) -> UInt32 {
        try check(offset, 4)
        return endianness.decode(bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: UInt32.self) })
    }

    @inline(__always)
    public func u64(at offset: Int) throws(ParseError) -> UInt64 {
        try check(offset, 8)
        return endianness.decode(bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: UInt64.self) })
    }

    /// A read that returns nil instead of throwing, for hot paths that already know the range is valid
    /// but must still never trap.
    @inline(__always)
    public func u32IfPresent(at offset: Int) -> UInt32? {
        guard contains(offset: offset, length: 4) else { return nil }
        return endianness.decode(bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: UInt32.self) })
    }

    /// Copies `length` bytes starting at `offset`.
    public func slice(at offset: Int, length: Int) throws(ParseError) -> ArraySlice<UInt8> {
        try check(offset, length)
        return bytes[offset..<(offset + length)]
    }

    /// A sub-buffer (copy) of a range, keeping byte order; its offsets restart at 0.
    public func subBuffer(at offset: Int, length: Int, section: String? = nil) throws(ParseError) -> ByteBuffer {
        let s = try slice(at: offset, length: length)
        return ByteBuffer(Array(s), endianness: endianness, section: section ?? self.section)
    }

    /// A cursor positioned at `offset`.
    public func cursor(at offset: Int = 0) -> ByteCursor {
        ByteCursor(buffer: self, position: offset)
    }
}
