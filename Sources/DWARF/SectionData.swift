#if canImport(Glibc)
import Glibc
#endif

/// The bytes of one section, at a stable address for as long as this object lives: either a
/// private copy, or memory borrowed from its owner (a memory-mapped file) without copying.
public final class SectionData: @unchecked Sendable {
    public let buffer: UnsafeBufferPointer<UInt8>
    private let owner: AnyObject?
    private let owned: UnsafeMutableBufferPointer<UInt8>?

    /// A private copy of `bytes`.
    public init(copying bytes: [UInt8]) {
        let p = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(bytes.count, 1))
        _ = p.initialize(from: bytes)
        owned = p
        owner = nil
        buffer = UnsafeBufferPointer(start: p.baseAddress, count: bytes.count)
    }

    /// Memory that `owner` keeps valid (for example a mapping held by a `FileBytes`).
    public init(borrowing memory: UnsafeRawBufferPointer, owner: AnyObject) {
        self.owner = owner
        owned = nil
        buffer = memory.bindMemory(to: UInt8.self)
    }

    deinit { owned?.deallocate() }

    /// Tells the kernel the pages fully inside `range` are not needed for now (MADV_DONTNEED),
    /// so a long sequential job does not keep a whole mapped file resident. Only for memory
    /// borrowed from a read-only file mapping, where the pages are simply read again on the next
    /// access; private copies are left alone.
    public func releasePages(_ range: Range<Int>) {
        guard owned == nil, owner != nil, let base = buffer.baseAddress, !range.isEmpty else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        guard page > 0 else { return }
        let lo = max(0, range.lowerBound), hi = min(buffer.count, range.upperBound)
        let start = (Int(bitPattern: base) + lo + page - 1) / page * page
        let end = (Int(bitPattern: base) + hi) / page * page
        guard end > start, let p = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(p, end - start, Int32(MADV_DONTNEED))
    }

    public static let empty = SectionData(copying: [])

    public var count: Int { buffer.count }
    public var isEmpty: Bool { buffer.isEmpty }

    /// A copy of a range, clamped to the section.
    public func bytes(_ range: Range<Int>) -> [UInt8] {
        let lo = max(0, min(range.lowerBound, count)), hi = max(lo, min(range.upperBound, count))
        return Array(buffer[lo..<hi])
    }

    /// The NUL-terminated string at `offset`, or nil when the offset or the terminator is missing.
    public func cString(at offset: UInt64) -> String? {
        guard offset < UInt64(count), let base = buffer.baseAddress else { return nil }
        let start = Int(offset)
        var end = start
        while end < count && base[end] != 0 { end += 1 }
        guard end < count else { return nil }
        return String(decoding: UnsafeBufferPointer(start: base + start, count: end - start), as: UTF8.self)
    }
}
