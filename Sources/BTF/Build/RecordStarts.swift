/// Where each record of a `BTFTypeTable` starts, as word indexes. Stored in 32 bits: a BTF type
/// section is at most 2^32 bytes (its header's `type_len`), so every index a serializable table
/// can hold fits, and the 4 million pre-dedup types of a vmlinux take 17 MB less than with `Int`.
/// Read as `Int`, so callers index `words` with it directly.
public struct RecordStarts: RandomAccessCollection, Sendable {
    @usableFromInline var storage: [UInt32] = []

    public init() {}

    /// From word indexes (each below 2^32).
    public init<S: Sequence>(_ indexes: S) where S.Element == Int {
        storage = indexes.map { UInt32(truncatingIfNeeded: $0) }
    }

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { storage.count }
    @inlinable public var count: Int { storage.count }
    @inlinable public subscript(i: Int) -> Int { Int(storage[i]) }

    /// Appends the start of the next record (a word index below 2^32).
    @inlinable public mutating func append(_ index: Int) { storage.append(UInt32(truncatingIfNeeded: index)) }
    /// Appends another table's starts, each moved by `offset` words (its records' new place).
    public mutating func append(_ other: RecordStarts, movedBy offset: Int) {
        let first = storage.count, n = other.storage.count
        let delta = UInt32(truncatingIfNeeded: offset)
        storage.append(contentsOf: other.storage)
        storage.withUnsafeMutableBufferPointer { s in
            for i in first..<(first + n) { s[i] &+= delta }
        }
    }

    public mutating func reserveCapacity(_ n: Int) { storage.reserveCapacity(n) }
    public mutating func removeAll(keepingCapacity keep: Bool = false) { storage.removeAll(keepingCapacity: keep) }
}
