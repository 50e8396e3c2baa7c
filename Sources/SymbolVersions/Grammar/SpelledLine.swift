import BTF

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
        bytes[a.bytes].lexicographicallyPrecedes(bytes[b.bytes])
    }

    func equal(_ a: SpelledLine, _ b: SpelledLine) -> Bool { bytes[a.bytes].elementsEqual(bytes[b.bytes]) }
}
