import BinaryReader

/// Builds new BTF: add strings (deduplicated) and types, then serialize.
///
/// ```swift
/// var b = BTFBuilder()
/// let int = b.add(.int(BTFInt(name: b.string("int"), size: 4, encoding: .signed, bits: 32)))
/// let ptr = b.add(.pointer(BTFReference(type: int)))
/// let blob = b.build()          // raw BTF, host byte order
/// ```
public struct BTFBuilder: Sendable {
    /// The base when building split BTF; IDs and string offsets continue after it.
    public let base: BTFFile?
    public private(set) var types: [BTFType] = []
    /// Extra raw records (already encoded words) interleaved by position: index in `types` order.
    private var raw: [Int: [UInt32]] = [:]
    public private(set) var strings: [UInt8]
    private var stringIndex: [String: UInt32] = [:]

    public init(base: BTFFile? = nil) {
        self.base = base
        self.strings = base == nil ? [0] : []
        if base == nil { stringIndex[""] = 0 }
    }

    /// The ID the next added type will get.
    public var nextID: TypeID { TypeID((base.map { UInt32($0.typeCount) } ?? 1) + UInt32(types.count)) }

    private var stringBase: UInt32 { base?.stringSpaceEnd ?? 0 }

    /// Interns a string and returns its offset. "" is offset 0.
    public mutating func string(_ s: String) -> StringOffset {
        if s.isEmpty { return .empty }
        if let off = stringIndex[s] { return StringOffset(off) }
        let off = stringBase + UInt32(strings.count)
        strings.append(contentsOf: Array(s.utf8))
        strings.append(0)
        stringIndex[s] = off
        return StringOffset(off)
    }

    /// Appends a type and returns its ID.
    @discardableResult
    public mutating func add(_ type: BTFType) -> TypeID {
        let id = nextID
        types.append(type)
        return id
    }

    /// Appends a record given as raw 32-bit words (common part + tail) exactly as written, for
    /// producing records the model cannot express (tests of validators, unknown kinds).
    @discardableResult
    public mutating func addRaw(words: [UInt32]) -> TypeID {
        let id = nextID
        raw[types.count] = words
        types.append(.int(BTFInt(name: .empty, size: 0, data: 0)))  // placeholder, replaced when built
        return id
    }

    /// Appends raw bytes to the string section (no dedup, no terminator added).
    public mutating func appendRawStrings(_ bytes: [UInt8]) { strings.append(contentsOf: bytes) }

    /// The encoded type section.
    public func typeSection(endianness: Endianness = .host) -> [UInt8] {
        var w = ByteWriter(endianness: endianness, capacity: types.count * 24)
        for (i, t) in types.enumerated() {
            if let words = raw[i] { for x in words { w.u32(x) } } else { t.encode(into: &w) }
        }
        return w.bytes
    }

    /// Serializes header, types and strings.
    public func build(endianness: Endianness = .host, headerLength: UInt32 = BTFHeader.classicLength) -> [UInt8] {
        BTFWriter.assemble(typeSection: typeSection(endianness: endianness), strings: strings,
                           endianness: endianness, headerLength: headerLength)
    }
}
