/// Byte order of a binary format, carried as a value and never assumed.
public enum Endianness: Sendable, Hashable, CustomStringConvertible {
    case little
    case big

    /// The byte order of the machine running this code.
    public static var host: Endianness {
        UInt16(1).littleEndian == 1 ? .little : .big
    }

    /// The other byte order.
    public var swapped: Endianness { self == .little ? .big : .little }

    public var description: String { self == .little ? "little-endian" : "big-endian" }

    @inline(__always)
    public func decode(_ raw: UInt16) -> UInt16 { self == .little ? UInt16(littleEndian: raw) : UInt16(bigEndian: raw) }
    @inline(__always)
    public func decode(_ raw: UInt32) -> UInt32 { self == .little ? UInt32(littleEndian: raw) : UInt32(bigEndian: raw) }
    @inline(__always)
    public func decode(_ raw: UInt64) -> UInt64 { self == .little ? UInt64(littleEndian: raw) : UInt64(bigEndian: raw) }
    @inline(__always)
    public func encode(_ value: UInt16) -> UInt16 { self == .little ? value.littleEndian : value.bigEndian }
    @inline(__always)
    public func encode(_ value: UInt32) -> UInt32 { self == .little ? value.littleEndian : value.bigEndian }
    @inline(__always)
    public func encode(_ value: UInt64) -> UInt64 { self == .little ? value.littleEndian : value.bigEndian }
}
