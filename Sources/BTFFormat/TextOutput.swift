#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A byte buffer for fast text output with decimal formatting that does not allocate.
/// Either collects everything (``bytes``) or flushes to a file descriptor in large chunks.
public struct TextOutput {
    public private(set) var bytes: [UInt8] = []
    private let fd: Int32?
    private let flushThreshold = 1 << 20
    public private(set) var writeError: Int32 = 0

    /// Collects output in memory.
    public init() { fd = nil; bytes.reserveCapacity(1 << 16) }

    /// Streams output to a file descriptor (1 for stdout).
    public init(fileDescriptor: Int32) { fd = fileDescriptor; bytes.reserveCapacity(flushThreshold + 4096) }

    public var string: String { String(decoding: bytes, as: UTF8.self) }

    @inline(__always) public mutating func write(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
        maybeFlush()
    }

    @inline(__always) public mutating func write(_ s: String) {
        var s = s
        s.withUTF8 { bytes.append(contentsOf: $0) }
        maybeFlush()
    }

    @inline(__always) public mutating func write<C: Collection>(bytes b: C) where C.Element == UInt8 {
        bytes.append(contentsOf: b)
    }

    @inline(__always) public mutating func byte(_ b: UInt8) { bytes.append(b) }

    /// Unsigned decimal.
    @inline(__always) public mutating func decimal(_ v: UInt64) {
        if v < 10 { bytes.append(0x30 + UInt8(v)); return }
        var tmp: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes of scratch
        var n = v
        var len = 0
        withUnsafeMutableBytes(of: &tmp) { buf in
            while n > 0 {
                buf[23 - len] = 0x30 + UInt8(n % 10)
                n /= 10
                len += 1
            }
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: buf[(24 - len)...]))
        }
    }

    @inline(__always) public mutating func decimal(_ v: UInt32) { decimal(UInt64(v)) }
    @inline(__always) public mutating func decimal(_ v: Int) {
        if v < 0 { bytes.append(0x2d); decimal(UInt64(v.magnitude)) } else { decimal(UInt64(v)) }
    }

    /// Signed decimal.
    @inline(__always) public mutating func signedDecimal(_ v: Int64) {
        if v < 0 { bytes.append(0x2d) }
        decimal(v.magnitude)
    }

    /// Writes a JSON string literal (RFC 8259 §7) for raw bytes that are UTF-8 or not: invalid
    /// UTF-8 is replaced by U+FFFD so the output is always valid JSON.
    public mutating func jsonString<C: Collection>(_ raw: C) where C.Element == UInt8 {
        bytes.append(0x22)
        let s = String(decoding: raw, as: UTF8.self)
        for u in s.utf8 {
            switch u {
            case 0x22: bytes.append(0x5c); bytes.append(0x22)
            case 0x5c: bytes.append(0x5c); bytes.append(0x5c)
            case 0x0a: bytes.append(0x5c); bytes.append(0x6e)
            case 0x0d: bytes.append(0x5c); bytes.append(0x72)
            case 0x09: bytes.append(0x5c); bytes.append(0x74)
            case 0..<0x20:
                write("\\u00")
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                bytes.append(hex[Int(u >> 4)]); bytes.append(hex[Int(u & 15)])
            default: bytes.append(u)
            }
        }
        bytes.append(0x22)
    }

    @inline(__always) mutating func maybeFlush() {
        if fd != nil && bytes.count >= flushThreshold { flush() }
    }

    /// Writes buffered bytes to the descriptor (no-op for in-memory output).
    public mutating func flush() {
        guard let fd, !bytes.isEmpty else { return }
        var written = 0
        bytes.withUnsafeBytes { buf in
            while written < buf.count {
                let n = Glibc.write(fd, buf.baseAddress.map { $0 + written }, buf.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    writeError = errno
                    return
                }
                written += n
            }
        }
        bytes.removeAll(keepingCapacity: true)
    }
}
