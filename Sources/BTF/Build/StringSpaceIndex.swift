#if canImport(Glibc)
import Glibc
#endif

/// Every distinct string of a BTF's string space (its base's included) → the first offset that
/// holds it, looked up by bytes: what split output needs to reuse a base's strings (btf-spec
/// §1.4, §3.6). Built in one pass over the section without making a `String` per entry (a
/// vmlinux base has about 100,000 strings), and byte-exact: two spellings that Unicode would
/// call equal stay different strings, as the kernel compares them.
public struct StringSpaceIndex: Sendable {
    /// The whole string space, offset 0 to the end of `file`'s own strings.
    private let bytes: [UInt8]
    /// Open addressing: string offset + 1, 0 = empty.
    private var slots: [UInt32]

    public init(_ file: BTFFile) {
        var chain: [BTFFile] = []
        var f: BTFFile? = file
        while let current = f { chain.append(current); f = current.base }
        var space: [UInt8] = []
        space.reserveCapacity(Int(file.stringSpaceEnd))
        for part in chain.reversed() {
            let start = part.stringSectionStart, end = start + Int(part.header.stringLength)
            let all = part.data.bytes
            if start <= end, end <= all.count { space.append(contentsOf: all[start..<end]) }
            // A section that does not end where the next one's offsets begin (checked when the
            // file was parsed, so not expected): pad so later offsets still line up.
            let want = Int(part.stringSpaceEnd)
            if space.count < want { space.append(contentsOf: repeatElement(0, count: want - space.count)) }
        }
        bytes = space
        var n = 1024
        while n < space.count / 4 { n <<= 1 }
        slots = Array(repeating: 0, count: n)
        var used = 0
        var off = 0
        defer { count = used }
        space.withUnsafeBufferPointer { b in
            while off < b.count {
                var end = off
                while end < b.count && b[end] != 0 { end += 1 }
                if end > off {
                    if (used + 1) * 2 > slots.count { grow(b) }
                    if insert(UnsafeBufferPointer(rebasing: b[off..<end]), offset: off, in: b) { used += 1 }
                }
                off = end + 1
            }
        }
    }

    /// Distinct non-empty strings held.
    public private(set) var count = 0

    /// The first offset of `string` (bytes up to a NUL), nil when the space doesn't hold it. ""
    /// is not looked up (it is offset 0 in every string space).
    public func offset(of string: UnsafeBufferPointer<UInt8>) -> UInt32? {
        let n = string.firstIndex(of: 0) ?? string.count
        guard n > 0 else { return nil }
        let s = UnsafeBufferPointer(rebasing: string[0..<n])
        return bytes.withUnsafeBufferPointer { b in
            let mask = slots.count - 1
            var i = StringInterner.hash(s) & mask
            while true {
                let slot = slots[i]
                if slot == 0 { return nil }
                if StringSpaceIndex.matches(s, at: Int(slot - 1), in: b) { return slot - 1 }
                i = (i + 1) & mask
            }
        }
    }

    public func offset(of string: String) -> UInt32? {
        var s = string
        return s.withUTF8 { offset(of: $0) }
    }

    @inline(__always)
    private static func matches(_ s: UnsafeBufferPointer<UInt8>, at off: Int, in b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard off + s.count < b.count, b[off + s.count] == 0, let bp = b.baseAddress, let sp = s.baseAddress else { return false }
        return memcmp(bp + off, sp, s.count) == 0
    }

    /// Adds `s` (found at `offset`) unless an earlier offset holds it; true when added.
    private mutating func insert(_ s: UnsafeBufferPointer<UInt8>, offset: Int, in b: UnsafeBufferPointer<UInt8>) -> Bool {
        let mask = slots.count - 1
        var i = StringInterner.hash(s) & mask
        while slots[i] != 0 {
            if StringSpaceIndex.matches(s, at: Int(slots[i] - 1), in: b) { return false }
            i = (i + 1) & mask
        }
        slots[i] = UInt32(offset + 1)
        return true
    }

    private mutating func grow(_ b: UnsafeBufferPointer<UInt8>) {
        let old = slots
        slots = Array(repeating: 0, count: old.count * 2)
        let mask = slots.count - 1
        for slot in old where slot != 0 {
            let off = Int(slot - 1)
            var end = off
            while end < b.count && b[end] != 0 { end += 1 }
            var i = StringInterner.hash(UnsafeBufferPointer(rebasing: b[off..<end])) & mask
            while slots[i] != 0 { i = (i + 1) & mask }
            slots[i] = slot
        }
    }
}
