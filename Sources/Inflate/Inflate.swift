import CZlib

/// Decompression of zlib and gzip streams through the system zlib.
public enum Inflate {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// True when the bytes start with the gzip magic (RFC 1952 §2.3.1).
    public static func isGzip(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b
    }

    /// Decompresses a zlib (RFC 1950) or gzip (RFC 1952) stream. `expectedSize`, when known,
    /// sizes the output up front; `limit` caps the output so a bomb fails instead of exhausting memory.
    public static func decompress(_ input: [UInt8], expectedSize: Int? = nil,
                                  limit: Int = 1 << 32) throws(Failure) -> [UInt8] {
        var stream = z_stream()
        // 15 + 32: accept both zlib and gzip headers.
        var rc = inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard rc == Z_OK else { throw Failure(message: "zlib: inflateInit failed (\(rc))") }
        defer { inflateEnd(&stream) }
        var output = [UInt8]()
        var chunk = max(min(expectedSize ?? input.count * 4, limit), 1 << 16)
        var produced = 0
        let result: Int32 = input.withUnsafeBufferPointer { inBuf -> Int32 in
            stream.next_in = UnsafeMutablePointer(mutating: inBuf.baseAddress)
            stream.avail_in = UInt32(clamping: inBuf.count)
            while true {
                if output.count - produced < 1 {
                    if output.count >= limit { return Z_BUF_ERROR }
                    output.append(contentsOf: repeatElement(0, count: min(chunk, limit - output.count)))
                    chunk = min(chunk * 2, 1 << 28)
                }
                let space = output.count - produced
                let r: Int32 = output.withUnsafeMutableBufferPointer { outBuf in
                    stream.next_out = outBuf.baseAddress.map { $0 + produced }
                    stream.avail_out = UInt32(clamping: space)
                    let r = inflate(&stream, Z_NO_FLUSH)
                    produced = space - Int(stream.avail_out) + produced
                    return r
                }
                if r == Z_STREAM_END { return Z_STREAM_END }
                if r != Z_OK {
                    return r
                }
                if stream.avail_in == 0 && stream.avail_out != 0 { return Z_DATA_ERROR }
            }
        }
        rc = result
        guard rc == Z_STREAM_END else {
            let what = rc == Z_BUF_ERROR ? "output exceeds limit of \(limit) bytes or input truncated" : "corrupt compressed data"
            throw Failure(message: "zlib: \(what) (code \(rc), at input byte \(stream.total_in))")
        }
        output.removeSubrange(produced...)
        return output
    }
}
