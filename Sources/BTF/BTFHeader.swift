import BinaryReader

/// The BTF header (btf-spec §1.2). Section offsets are relative to the end of the header.
public struct BTFHeader: Hashable, Sendable {
    public static let magic: UInt16 = 0xEB9F
    public static let classicLength: UInt32 = 24
    public static let layoutLength: UInt32 = 32

    public var version: UInt8 = 1
    public var flags: UInt8 = 0
    public var headerLength: UInt32 = 24
    public var typeOffset: UInt32 = 0
    public var typeLength: UInt32 = 0
    public var stringOffset: UInt32 = 0
    public var stringLength: UInt32 = 0
    /// Kind-layout section (btf-spec §1.7); present only when `headerLength >= 32`.
    public var layoutOffset: UInt32 = 0
    public var layoutLength: UInt32 = 0

    public init() {}

    /// Detects the byte order from the magic; nil when neither order matches.
    public static func endianness(of bytes: [UInt8]) -> Endianness? {
        guard bytes.count >= 2 else { return nil }
        if bytes[0] == 0x9F && bytes[1] == 0xEB { return .little }
        if bytes[0] == 0xEB && bytes[1] == 0x9F { return .big }
        return nil
    }

    /// Reads the header with libbpf's reading rules (btf-spec §1.3): both byte orders, 24- or 32-byte
    /// headers, sections inside the blob, types 4-aligned and before strings.
    public static func parse(_ data: ByteBuffer) throws(BTFError) -> BTFHeader {
        guard data.count >= 24 else {
            throw BTFError(.truncatedHeader, "blob of \(data.count) bytes is shorter than the 24-byte BTF header",
                           section: data.section, offset: 0)
        }
        var h = BTFHeader()
        do {
            guard try data.u16(at: 0) == magic else {
                throw BTFError(.badMagic, "bad magic 0x\(String(try data.u16(at: 0), radix: 16)) (expected 0xeb9f)",
                               section: data.section, offset: 0)
            }
            h.version = try data.u8(at: 2)
            h.flags = try data.u8(at: 3)
            h.headerLength = try data.u32(at: 4)
            h.typeOffset = try data.u32(at: 8)
            h.typeLength = try data.u32(at: 12)
            h.stringOffset = try data.u32(at: 16)
            h.stringLength = try data.u32(at: 20)
        } catch let e as ParseError {
            throw BTFError(e, code: .truncatedHeader)
        } catch let e as BTFError {
            throw e
        } catch {
            throw BTFError(.truncatedHeader, "\(error)", section: data.section, offset: 0)
        }
        guard h.version == 1 else {
            throw BTFError(.badVersion, "unsupported version \(h.version) (expected 1)", section: data.section, offset: 2)
        }
        guard h.headerLength >= classicLength, Int(h.headerLength) <= data.count else {
            throw BTFError(.badHeaderLength, "hdr_len \(h.headerLength) must be >= 24 and <= blob size \(data.count)",
                           section: data.section, offset: 4)
        }
        if h.headerLength >= layoutLength {
            h.layoutOffset = data.u32IfPresent(at: 24) ?? 0
            h.layoutLength = data.u32IfPresent(at: 28) ?? 0
        }
        let body = UInt64(data.count) - UInt64(h.headerLength)
        func end(_ off: UInt32, _ len: UInt32) -> UInt64 { UInt64(off) + UInt64(len) }
        guard h.typeOffset % 4 == 0 else {
            throw BTFError(.misalignedSection, "type_off \(h.typeOffset) is not 4-byte aligned", section: data.section, offset: 8)
        }
        guard end(h.typeOffset, h.typeLength) <= body else {
            throw BTFError(.sectionOutOfBounds,
                           "type section [\(h.typeOffset), \(end(h.typeOffset, h.typeLength))) ends past the data (\(body) bytes after the header)",
                           section: data.section, offset: 12)
        }
        guard end(h.stringOffset, h.stringLength) <= body else {
            throw BTFError(.sectionOutOfBounds,
                           "string section [\(h.stringOffset), \(end(h.stringOffset, h.stringLength))) ends past the data (\(body) bytes after the header)",
                           section: data.section, offset: 20)
        }
        guard end(h.typeOffset, h.typeLength) <= UInt64(h.stringOffset) else {
            throw BTFError(.sectionOverlap, "type section ends at \(end(h.typeOffset, h.typeLength)) after string section start \(h.stringOffset)",
                           section: data.section, offset: 16)
        }
        if h.layoutLength != 0 {
            guard h.layoutOffset % 4 == 0, h.layoutLength % 4 == 0,
                  UInt64(h.layoutOffset) >= end(h.typeOffset, h.typeLength),
                  end(h.layoutOffset, h.layoutLength) <= UInt64(h.stringOffset)
            else {
                throw BTFError(.sectionOverlap, "layout section [\(h.layoutOffset), +\(h.layoutLength)) must be 4-aligned and lie between types and strings",
                               section: data.section, offset: 24)
            }
        }
        return h
    }

    /// Serializes the header in the given byte order (24 or 32 bytes, or longer with zero padding).
    public func encoded(_ endianness: Endianness) -> [UInt8] {
        var w = ByteWriter(endianness: endianness)
        w.u16(BTFHeader.magic); w.u8(version); w.u8(flags); w.u32(headerLength)
        w.u32(typeOffset); w.u32(typeLength); w.u32(stringOffset); w.u32(stringLength)
        if headerLength >= BTFHeader.layoutLength { w.u32(layoutOffset); w.u32(layoutLength) }
        while w.bytes.count < Int(headerLength) { w.u8(0) }
        return w.bytes
    }
}

/// Appends fixed-width integers in a chosen byte order.
public struct ByteWriter: Sendable {
    public var bytes: [UInt8] = []
    public var endianness: Endianness
    public init(endianness: Endianness, capacity: Int = 0) {
        self.endianness = endianness
        bytes.reserveCapacity(capacity)
    }
    @inline(__always) public mutating func u8(_ v: UInt8) { bytes.append(v) }
    @inline(__always) public mutating func u16(_ v: UInt16) {
        withUnsafeBytes(of: endianness.encode(v)) { bytes.append(contentsOf: $0) }
    }
    @inline(__always) public mutating func u32(_ v: UInt32) {
        withUnsafeBytes(of: endianness.encode(v)) { bytes.append(contentsOf: $0) }
    }
    @inline(__always) public mutating func u64(_ v: UInt64) {
        withUnsafeBytes(of: endianness.encode(v)) { bytes.append(contentsOf: $0) }
    }
}
