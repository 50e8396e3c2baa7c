import BTF
#if canImport(Glibc)
import Glibc
#endif

/// One line of the symbol-version grammar (docs/symvers.md) as bytes in a `LineArena`, with the
/// positions at which it names another type definition (`s#foo`, `t#bar` ...).
struct SpelledLine: Sendable {
    var bytes: Range<Int>
    var references: Range<Int>
}

/// A reference from a line to a named type: the line's byte position just after the key, and
/// the type. The digest of the referenced type is inserted at that position when the line is
/// resolved.
struct TypeReference: Sendable {
    var position: Int32
    var target: TypeID
}

/// The bytes and references of every spelled line, in two flat arrays.
struct LineArena: Sendable {
    var bytes: [UInt8] = []
    var references: [TypeReference] = []

    func string(_ line: SpelledLine) -> String { String(decoding: bytes[line.bytes], as: UTF8.self) }

    /// Lexicographic byte order of two lines (the order of a cycle's members).
    func precedes(_ a: SpelledLine, _ b: SpelledLine) -> Bool {
        bytes.withUnsafeBufferPointer { buf in
            guard let base = buf.baseAddress else { return false }
            let n = min(a.bytes.count, b.bytes.count)
            let c = memcmp(base + a.bytes.lowerBound, base + b.bytes.lowerBound, n)
            return c != 0 ? c < 0 : a.bytes.count < b.bytes.count
        }
    }

    func equal(_ a: SpelledLine, _ b: SpelledLine) -> Bool { bytes[a.bytes].elementsEqual(bytes[b.bytes]) }
}
