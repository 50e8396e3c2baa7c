/// Kind numbers by name, for the switches on `kind.rawValue` below.
private typealias Kind = BTFKind.Number

/// Types under construction in their wire form (btf-spec §1.5–1.6): every record's 32-bit words
/// back to back in host order, plus where each record starts. Encoders append to it, dedup and
/// remapping rewrite it in place, and `serialized` turns it into a BTF blob — no per-type objects,
/// so millions of pre-dedup types stay compact.
public struct BTFTypeTable: Sendable {
    public var words: [UInt32] = []
    /// `starts[i]` is the first word of the type with ID `firstID + i`.
    public var starts = RecordStarts()
    /// ID of the first type here: 1, or the base's type count for split BTF.
    public let firstID: UInt32

    public init(firstID: UInt32 = 1) { self.firstID = firstID }

    public var count: Int { starts.count }
    /// The ID the next appended type gets.
    public var nextID: TypeID { TypeID(firstID + UInt32(starts.count)) }

    @inline(__always) public func info(_ i: Int) -> TypeInfo { TypeInfo(rawValue: words[starts[i] + 1]) }
    @inline(__always) public func kind(_ i: Int) -> BTFKind { info(i).kind }
    @inline(__always) public func name(_ i: Int) -> UInt32 { words[starts[i]] }
    @inline(__always) public func sizeOrType(_ i: Int) -> UInt32 { words[starts[i] + 2] }
    /// Words of record `i` (common part and tail).
    @inline(__always) public func end(_ i: Int) -> Int { i + 1 < starts.count ? starts[i + 1] : words.count }

    /// Appends one record; `tail` must have the kind's length (`RecordLayout`).
    @discardableResult
    public mutating func append(name: StringOffset, kind: BTFKind, vlen: Int = 0, kindFlag: Bool = false,
                                sizeOrType: UInt32, tail: [UInt32] = []) -> TypeID {
        let id = nextID
        starts.append(words.count)
        words.append(name.rawValue)
        words.append(TypeInfo(kind: kind, vlen: vlen, kindFlag: kindFlag).rawValue)
        words.append(sizeOrType)
        words.append(contentsOf: tail)
        return id
    }

    /// Starts a record whose tail the caller appends to `words` next.
    @discardableResult
    public mutating func begin(name: UInt32, info: TypeInfo, sizeOrType: UInt32) -> TypeID {
        let id = nextID
        starts.append(words.count)
        words.append(name)
        words.append(info.rawValue)
        words.append(sizeOrType)
        return id
    }

    /// Calls `body` with the index in `words` of every type-ID field of record `i` (btf-spec §1.6):
    /// the type word of reference kinds, array element and index, member, parameter, datasec and
    /// return types.
    @inline(__always)
    public func forEachTypeField(_ i: Int, _ body: (Int) throws -> Void) rethrows {
        let s = starts[i]
        let info = TypeInfo(rawValue: words[s + 1])
        let t = s + 3
        switch info.kind.rawValue {
        case Kind.pointer, Kind.typedef, Kind.volatile, Kind.const, Kind.restrict, Kind.function, Kind.variable, Kind.declTag, Kind.typeTag: try body(s + 2)
        case Kind.array: try body(t); try body(t + 1)
        case Kind.structure, Kind.union: for k in 0..<info.vlen { try body(t + 3 * k + 1) }
        case Kind.functionProto:
            try body(s + 2)
            for k in 0..<info.vlen { try body(t + 2 * k + 1) }
        case Kind.dataSection: for k in 0..<info.vlen { try body(t + 3 * k) }
        default: break
        }
    }

    /// Appends to `out` the index in `words` of every type-ID field of records `range`, in
    /// `forEachTypeField`'s order: for callers in other modules that rewrite many fields, which
    /// can then do it in a loop of their own instead of through a closure call per field.
    public func typeFieldPositions(of range: Range<Int>, into out: inout [UInt32]) {
        for i in range { forEachTypeField(i) { out.append(UInt32(truncatingIfNeeded: $0)) } }
    }

    /// Replaces every type-ID field of record `i` with `f(old)` (in place, no copy of `words`).
    @inline(__always)
    public mutating func rewriteTypeFields(_ i: Int, _ f: (UInt32) throws -> UInt32) rethrows {
        let s = starts[i]
        let info = TypeInfo(rawValue: words[s + 1])
        let t = s + 3
        switch info.kind.rawValue {
        case Kind.pointer, Kind.typedef, Kind.volatile, Kind.const, Kind.restrict, Kind.function, Kind.variable, Kind.declTag, Kind.typeTag: words[s + 2] = try f(words[s + 2])
        case Kind.array: words[t] = try f(words[t]); words[t + 1] = try f(words[t + 1])
        case Kind.structure, Kind.union: for k in 0..<info.vlen { words[t + 3 * k + 1] = try f(words[t + 3 * k + 1]) }
        case Kind.functionProto:
            words[s + 2] = try f(words[s + 2])
            for k in 0..<info.vlen { words[t + 2 * k + 1] = try f(words[t + 2 * k + 1]) }
        case Kind.dataSection: for k in 0..<info.vlen { words[t + 3 * k] = try f(words[t + 3 * k]) }
        default: break
        }
    }

    /// Replaces every string-offset field of record `i` with `f(old)`.
    @inline(__always)
    public mutating func rewriteNameFields(_ i: Int, _ f: (UInt32) throws -> UInt32) rethrows {
        let s = starts[i]
        let info = TypeInfo(rawValue: words[s + 1])
        words[s] = try f(words[s])
        let t = s + 3
        switch info.kind.rawValue {
        case Kind.structure, Kind.union, Kind.enum64: for k in 0..<info.vlen { words[t + 3 * k] = try f(words[t + 3 * k]) }
        case Kind.enumeration, Kind.functionProto: for k in 0..<info.vlen { words[t + 2 * k] = try f(words[t + 2 * k]) }
        default: break
        }
    }

    /// Calls `body` with the index in `words` of every string-offset field of record `i`: the
    /// name, and member/enumerator/parameter names.
    @inline(__always)
    public func forEachNameField(_ i: Int, _ body: (Int) throws -> Void) rethrows {
        let s = starts[i]
        let info = TypeInfo(rawValue: words[s + 1])
        try body(s)
        let t = s + 3
        switch info.kind.rawValue {
        case Kind.structure, Kind.union, Kind.enum64: for k in 0..<info.vlen { try body(t + 3 * k) }
        case Kind.enumeration, Kind.functionProto: for k in 0..<info.vlen { try body(t + 2 * k) }
        default: break
        }
    }

    /// Appends another table's records (same `firstID` scheme), shifting its local type IDs by the
    /// difference in position and mapping its string offsets through `stringMap` (nil: the
    /// offsets are already this table's).
    public mutating func append(_ other: BTFTypeTable, stringMap: ((UInt32) -> UInt32)? = nil) {
        // other's own IDs start at other.firstID; here they continue after our last type.
        let shift = Int64(firstID) + Int64(count) - Int64(other.firstID)
        let wordBase = words.count
        words.append(contentsOf: other.words)
        starts.append(other.starts, movedBy: wordBase)
        let first = Int64(other.firstID)
        for i in (starts.count - other.starts.count)..<starts.count {
            if shift != 0 { rewriteTypeFields(i) { v in Int64(v) >= first ? UInt32(truncatingIfNeeded: Int64(v) + shift) : v } }
            if let stringMap { rewriteNameFields(i, stringMap) }
        }
    }

    /// As `append(_:stringMap:)` without a string map, for a table whose type-ID fields are
    /// known: `typeFieldPositions` are their word indexes in `other` (as `typeFieldPositions(of:
    /// into:)` gives them), so the shift is one loop over them instead of a switch on every
    /// record's kind. Positions outside `other` are ignored.
    public mutating func append(_ other: BTFTypeTable, typeFieldPositions: [UInt32]) {
        let shift = Int64(firstID) + Int64(count) - Int64(other.firstID)
        let wordBase = words.count
        words.append(contentsOf: other.words)
        starts.append(other.starts, movedBy: wordBase)
        guard shift != 0 else { return }
        let first = Int64(other.firstID), n = other.words.count
        words.withUnsafeMutableBufferPointer { w in
            for p in typeFieldPositions where Int(p) < n {
                let v = w[wordBase + Int(p)]
                if Int64(v) >= first { w[wordBase + Int(p)] = UInt32(truncatingIfNeeded: Int64(v) + shift) }
            }
        }
    }

    /// The type section bytes in `endianness`.
    public func typeSection(endianness: Endianness = .host) -> [UInt8] {
        var w = ByteWriter(endianness: endianness, capacity: words.count * 4)
        for x in words { w.u32(x) }
        return w.bytes
    }

    /// A complete raw BTF blob: header, this table's types and `strings`.
    public func serialized(strings: [UInt8], endianness: Endianness = .host) -> [UInt8] {
        BTFWriter.assemble(typeSection: typeSection(endianness: endianness), strings: strings, endianness: endianness)
    }
}

extension BTFTypeTable {
    /// The own types of a parsed BTF, as words in host order (IDs as stored).
    public init(_ file: BTFFile) {
        self.init(firstID: file.firstID)
        // Host byte order: the type section is already the words; copy it and take the index.
        let start = file.typeSectionStart, length = Int(file.header.typeLength)
        if file.endianness == .host, length % 4 == 0, start % 1 == 0, start >= 0, start + length <= file.data.bytes.count {
            words = [UInt32](repeating: 0, count: length / 4)
            words.withUnsafeMutableBytes { dst in
                file.data.bytes.withUnsafeBytes { src in
                    dst.copyMemory(from: UnsafeRawBufferPointer(rebasing: src[start..<(start + length)]))
                }
            }
            starts = RecordStarts(file.recordOffsets.lazy.map { (Int($0) - start) / 4 })
            if starts.allSatisfy({ $0 >= 0 && $0 + 3 <= words.count }) { return }
            words = []
            starts = RecordStarts()
        }
        for id in file.ownTypeIDs {
            guard let r = file.record(id) else { continue }
            starts.append(words.count)
            words.append(r.nameOffset.rawValue)
            words.append(r.info.rawValue)
            words.append(r.sizeOrType)
            for k in 0..<max(0, (r.length - RecordLayout.commonLength) / 4) { words.append(file.tailWord(r, k)) }
        }
    }
}
