/// CRC-32 as genksyms, gendwarfksyms and zlib compute it (IEEE 802.3: polynomial 0x04C11DB7
/// reflected, 0xEDB88320; initial value 0xFFFFFFFF; final XOR 0xFFFFFFFF). A symbol's version is
/// the CRC-32 of its resolved symbol line (docs/symvers.md).
public struct CRC32: Sendable {
    public private(set) var state: UInt32 = 0xFFFF_FFFF
    public init() {}

    static let table: [UInt32] = (0..<256).map { i -> UInt32 in
        var c = UInt32(i)
        for _ in 0..<8 { c = (c & 1) != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    public mutating func update<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
        var c = state
        CRC32.table.withUnsafeBufferPointer { t in
            for b in bytes { c = t[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        }
        state = c
    }

    public var value: UInt32 { state ^ 0xFFFF_FFFF }

    public static func checksum<S: Sequence>(_ bytes: S) -> UInt32 where S.Element == UInt8 {
        var c = CRC32(); c.update(bytes); return c.value
    }
}

/// A type's digest: 64-bit FNV-1a over its resolved definition line (docs/symvers.md, "Digests").
/// 64 bits, so that two different type graphs practically never share a digest on the way to
/// a symbol's 32-bit CRC.
struct Digest64 {
    static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    static let prime: UInt64 = 0x0000_0100_0000_01b3
    var state = Digest64.offsetBasis

    @inline(__always)
    mutating func update(_ bytes: UnsafeBufferPointer<UInt8>) {
        var h = state
        for b in bytes { h = (h ^ UInt64(b)) &* Digest64.prime }
        state = h
    }

    mutating func update(_ bytes: [UInt8]) { bytes.withUnsafeBufferPointer { update($0) } }

    /// Hashes `v` as 16 lower-case hex digits (what `Hex.digest` spells), without allocating.
    @inline(__always)
    mutating func updateHex(_ v: UInt64) {
        var h = state
        for i in 0..<16 { h = (h ^ UInt64(Hex.digit(v, at: i))) &* Digest64.prime }
        state = h
    }
}

/// Lower-case hexadecimal, fixed width: how digests appear in resolved lines.
enum Hex {
    /// `@`: what precedes a digest in a resolved line.
    static let at: [UInt8] = [0x40]

    /// Digit `i` (0 = most significant) of `v` in 16 lower-case hex digits, as an ASCII byte.
    @inline(__always)
    static func digit(_ v: UInt64, at i: Int) -> UInt8 {
        let nibble = UInt8((v >> UInt64(60 - 4 * i)) & 0xF)
        return nibble < 10 ? 0x30 + nibble : 0x57 + nibble
    }

    static func digest(_ v: UInt64) -> [UInt8] { (0..<16).map { digit(v, at: $0) } }

    /// `0x` and 8 hex digits: how Module.symvers and `#SYMVER` lines spell a CRC.
    static func crc(_ v: UInt32) -> String {
        "0x" + String(decoding: (8..<16).map { digit(UInt64(v), at: $0) }, as: UTF8.self)
    }
}
