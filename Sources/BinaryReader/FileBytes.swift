#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The bytes of a whole file: either an array already in memory or a read-only memory mapping,
/// so that a 600 MB vmlinux costs only the pages of the sections that are read. Ranges are
/// copied out on request (`copy`), bounds-checked.
public final class FileBytes: @unchecked Sendable {
    private let array: [UInt8]?
    private let mapping: UnsafeRawBufferPointer?
    public let count: Int

    public init(_ bytes: [UInt8]) {
        array = bytes
        mapping = nil
        count = bytes.count
    }

    /// Maps `path` read-only. Throws a `ParseError` naming the file when it cannot be opened or mapped.
    public init(mapping path: String) throws(ParseError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw ParseError(section: path, offset: 0, reason: .file("cannot open: \(String(cString: strerror(errno)))"))
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_size >= 0 else {
            throw ParseError(section: path, offset: 0, reason: .file("cannot stat: \(String(cString: strerror(errno)))"))
        }
        guard st.st_mode & S_IFMT != S_IFDIR else { throw ParseError(section: path, offset: 0, reason: .file("is a directory")) }
        let size = Int(st.st_size)
        array = nil
        count = size
        if size == 0 {
            mapping = nil
            return
        }
        guard let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED else {
            throw ParseError(section: path, offset: 0, reason: .file("cannot map \(size) bytes: \(String(cString: strerror(errno)))"))
        }
        mapping = UnsafeRawBufferPointer(start: p, count: size)
    }

    deinit {
        if let mapping, let base = mapping.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), mapping.count) }
    }

    /// A copy of `length` bytes at `offset`, or nil when the range is not inside the file.
    public func copy(offset: Int, length: Int) -> [UInt8]? {
        guard offset >= 0, length >= 0, offset <= count, length <= count - offset else { return nil }
        if let array { return Array(array[offset..<(offset + length)]) }
        guard let mapping, length > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(rebasing: mapping[offset..<(offset + length)]))
    }

    /// Drops the resident pages of the whole mapping (MADV_DONTNEED; they are read from the file
    /// again when touched). For long jobs that visit each part of a large file once.
    public func releaseResidentPages() {
        guard let mapping, let base = mapping.baseAddress, mapping.count > 0 else { return }
        _ = madvise(UnsafeMutableRawPointer(mutating: base), mapping.count, Int32(MADV_DONTNEED))
    }

    /// The memory of a range of a mapped file, valid while this object lives; nil for files held
    /// in an array (copy those) or ranges outside the file.
    public func borrow(offset: Int, length: Int) -> UnsafeRawBufferPointer? {
        guard let mapping, offset >= 0, length >= 0, offset <= count, length <= count - offset else { return nil }
        let range = UnsafeRawBufferPointer(rebasing: mapping[offset..<(offset + length)])
        // Ask the kernel to read the range ahead: it is about to be walked from start to end.
        if let base = mapping.baseAddress, length > 0 {
            let page = Int(sysconf(Int32(_SC_PAGESIZE)))
            let start = (offset / page) * page
            _ = madvise(UnsafeMutableRawPointer(mutating: base + start), offset + length - start, Int32(MADV_WILLNEED))
        }
        return range
    }

    /// The first bytes of the file (all of it when shorter).
    public func prefix(_ n: Int) -> [UInt8] { copy(offset: 0, length: min(n, count)) ?? [] }
}

/// Reads a whole file with read(2). Works for files whose reported size is 0 or wrong (sysfs),
/// where mapping would not.
public func readWholeFile(_ path: String) throws(ParseError) -> [UInt8] {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else {
        throw ParseError(section: path, offset: 0, reason: .file("cannot open: \(String(cString: strerror(errno)))"))
    }
    defer { close(fd) }
    var st = stat()
    var capacity = 1 << 16
    if fstat(fd, &st) == 0 {
        if st.st_mode & S_IFMT == S_IFDIR { throw ParseError(section: path, offset: 0, reason: .file("is a directory")) }
        if st.st_size > 0 { capacity = Int(min(st.st_size, 1 << 28)) + 1 }
    }
    var out = [UInt8](repeating: 0, count: capacity)
    var used = 0
    while true {
        if used == out.count { out.append(contentsOf: repeatElement(0, count: out.count)) }
        let n = out.withUnsafeMutableBytes { buf in read(fd, buf.baseAddress.map { $0 + used }, buf.count - used) }
        if n < 0 {
            if errno == EINTR { continue }
            throw ParseError(section: path, offset: used, reason: .file("read failed: \(String(cString: strerror(errno)))"))
        }
        if n == 0 { break }
        used += n
    }
    out.removeSubrange(used...)
    return out
}
