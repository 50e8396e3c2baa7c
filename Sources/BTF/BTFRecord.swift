/// A raw view of one type record as stored (btf-spec §1.5): the 12-byte common part and where
/// its tail starts. Obtained from ``BTFFile/record(_:)``; tail words are read with
/// ``BTFFile/tailWord(_:_:)`` on the file that owns the record.
public struct BTFRecord: Hashable, Sendable {
    public var id: TypeID
    /// Absolute byte offset of the record inside its blob.
    public var offset: Int
    public var nameOffset: StringOffset
    public var info: TypeInfo
    /// `size` or `type`, depending on the kind.
    public var sizeOrType: UInt32
    /// Record length in bytes.
    public var length: Int

    public var kind: BTFKind { info.kind }
    public var vlen: Int { info.vlen }
    public var kindFlag: Bool { info.kindFlag }
}
