#if canImport(Glibc)
import Glibc
#endif

/// A BTF string section under construction (btf-spec §1.4): NUL-terminated strings back to back,
/// offset 0 holding "", each distinct string stored once. Lookup hashes the bytes (no `String`
/// is made), so interning millions of DWARF names stays cheap.
public struct StringInterner: Sendable {
    /// The section bytes so far.
    public private(set) var bytes: [UInt8] = [0]
    /// Open-addressing table of offsets (+1; 0 = empty slot).
    private var slots: [UInt32] = Array(repeating: 0, count: 1 << 12)
    private var used = 0
    /// Added to every returned offset: the string space of a base BTF for split output.
    public let baseOffset: UInt32
    /// The end of the part `init(preloading:)` copied in (0: none).
    private var preloadedEnd = 0

    public init(baseOffset: UInt32 = 0) { self.baseOffset = baseOffset }

    /// Room for about `strings` strings of `bytes` bytes in all, so that filling it does not
    /// rehash or copy on the way.
    public init(baseOffset: UInt32 = 0, strings: Int, bytes byteCount: Int) {
        self.baseOffset = baseOffset
        var n = 1 << 12
        while n < strings * 2 + 2 { n <<= 1 }
        slots = Array(repeating: 0, count: n)
        bytes.reserveCapacity(byteCount)
    }

    public var count: Int { used }

    /// Starts the section with a copy of a string section (`section`: NUL-terminated strings back
    /// to back, such as DWARF's .debug_str), so that the string at `section` offset `o` has
    /// offset `baseOffset + 1 + o` here (offset 0 stays ""). Each distinct string is indexed at
    /// its first occurrence, for which `indexed(o, bytes)` is called first: returning false
    /// leaves it out of the index (a string the caller will never intern here). A later copy of
    /// an indexed string, and any string not indexed, is never returned by `intern`. A last
    /// string without its NUL gets one.
    public init(baseOffset: UInt32 = 0, preloading section: UnsafeBufferPointer<UInt8>,
                indexed: (Int, UnsafeBufferPointer<UInt8>) -> Bool) {
        self.baseOffset = baseOffset
        bytes.reserveCapacity(section.count + 2 + section.count / 4)
        bytes.append(contentsOf: section)
        if section.last != 0 { bytes.append(0) }
        preloadedEnd = bytes.count
        // About one string per 24 bytes of a compiler's string section.
        var n = 1 << 12
        while n < section.count / 12 { n <<= 1 }
        slots = Array(repeating: 0, count: n)
        guard let base = section.baseAddress else { return }
        var o = 0
        while o < section.count {
            let end = memchr(base + o, 0, section.count - o).map { UnsafeRawPointer($0) - UnsafeRawPointer(base) } ?? section.count
            let s = UnsafeBufferPointer(start: base + o, count: end - o)
            let bytesOffset = 1 + o            // after the leading "" of offset 0
            if !s.isEmpty, case (let i, false) = find(s), indexed(o, s) { place(bytesOffset + 1, at: i) }
            o = end + 1
        }
    }

    /// A fast 64-bit hash of the bytes, eight at a time (wyhash-style multiply-xor folding).
    @inline(__always)
    static func hash(_ p: UnsafeBufferPointer<UInt8>) -> Int {
        guard let base = p.baseAddress else { return 0 }
        let raw = UnsafeRawPointer(base)
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(p.count)
        var i = 0
        while i + 8 <= p.count {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = fold(h ^ w, 0xBF58_476D_1CE4_E5B9)
            i += 8
        }
        if i < p.count {
            var w: UInt64 = 0
            var shift: UInt64 = 0
            while i < p.count { w |= UInt64(p[i]) << shift; shift += 8; i += 1 }
            h = fold(h ^ w, 0x94D0_49BB_1331_11EB)
        }
        return Int(truncatingIfNeeded: h ^ (h >> 32))
    }

    @inline(__always)
    static func fold(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let r = a.multipliedFullWidth(by: b)
        return r.high ^ r.low
    }

    /// The offset of the string that starts at byte `offset` of this section's preloaded part
    /// (`init(preloading:)`: a section offset + 1), possibly inside a longer string, as a linker
    /// leaves names that are the tail of another. When no equal string is indexed yet, the
    /// string is indexed right there, at `baseOffset + offset`, instead of being copied; nil
    /// when `offset` is not in the preloaded part.
    public mutating func intern(preloadedAt offset: Int) -> StringOffset? {
        guard offset >= 1, offset < preloadedEnd else { return nil }
        if bytes[offset] == 0 { return .empty }
        let slot = bytes.withUnsafeBufferPointer { b -> (i: Int, found: Bool)? in
            guard let base = b.baseAddress, let nul = memchr(base + offset, 0, preloadedEnd - offset) else { return nil }
            return find(UnsafeBufferPointer(start: base + offset, count: UnsafeRawPointer(nul) - UnsafeRawPointer(base + offset)))
        }
        guard let slot else { return nil }
        if slot.found { return StringOffset(baseOffset + slots[slot.i] - 1) }
        place(offset + 1, at: slot.i)
        return StringOffset(baseOffset + UInt32(offset))
    }

    /// The offset of `string` (bytes without a terminator; a NUL inside ends it), adding it if new.
    public mutating func intern(_ string: UnsafeBufferPointer<UInt8>) -> StringOffset {
        var n = 0
        while n < string.count && string[n] != 0 { n += 1 }
        let s = UnsafeBufferPointer(rebasing: string[0..<n])
        if n == 0 { return .empty }           // "" is offset 0, in split BTF the base's
        let (i, found) = find(s)
        if found { return StringOffset(baseOffset + slots[i] - 1) }
        let off = bytes.count
        bytes.append(contentsOf: s)
        bytes.append(0)
        place(off + 1, at: i)
        return StringOffset(baseOffset + UInt32(off))
    }

    /// The slot holding `s` (true), or the empty slot where it would go (false).
    @inline(__always)
    private func find(_ s: UnsafeBufferPointer<UInt8>) -> (Int, Bool) {
        let n = s.count, mask = slots.count - 1
        var i = StringInterner.hash(s) & mask
        while true {
            let slot = slots[i]
            if slot == 0 { return (i, false) }
            let off = Int(slot - 1)
            if off + n < bytes.count && bytes[off + n] == 0 {
                let same = bytes.withUnsafeBufferPointer { b in
                    guard let bp = b.baseAddress, let sp = s.baseAddress else { return false }
                    return memcmp(bp + off, sp, n) == 0
                }
                if same { return (i, true) }
            }
            i = (i + 1) & mask
        }
    }

    /// Fills empty slot `i` with `offsetPlusOne`, growing the table when half full.
    @inline(__always)
    private mutating func place(_ offsetPlusOne: Int, at i: Int) {
        slots[i] = UInt32(offsetPlusOne)
        used += 1
        if used * 2 > slots.count { grow() }
    }

    public mutating func intern(_ string: String) -> StringOffset {
        var s = string
        return s.withUTF8 { intern($0) }
    }

    /// The string at an offset this interner returned.
    public func string(at offset: StringOffset) -> String {
        guard offset.rawValue >= baseOffset else { return "" }      // a base string: not ours
        var i = Int(offset.rawValue - baseOffset)
        guard i < bytes.count else { return "" }
        let start = i
        while i < bytes.count && bytes[i] != 0 { i += 1 }
        return String(decoding: bytes[start..<i], as: UTF8.self)
    }

    private mutating func grow() {
        var bigger = [UInt32](repeating: 0, count: slots.count * 2)
        let mask = bigger.count - 1
        bytes.withUnsafeBufferPointer { b in
            for slot in slots where slot != 0 {
                let off = Int(slot - 1)
                var n = 0
                while b[off + n] != 0 { n += 1 }
                var i = StringInterner.hash(UnsafeBufferPointer(rebasing: b[off..<(off + n)])) & mask
                while bigger[i] != 0 { i = (i + 1) & mask }
                bigger[i] = slot
            }
        }
        slots = bigger
    }
}

