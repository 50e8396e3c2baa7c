/// A BTF type ID (btf-spec §1.5). ID 0 is the implicit `void`; stored types start at 1
/// (or, in split BTF, right after the base's last ID).
public struct TypeID: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public init(_ value: UInt32) { self.rawValue = value }
    public static let void = TypeID(0)
    /// Largest ID the kernel accepts (`BTF_MAX_TYPE`).
    public static let kernelMax = TypeID(0xFFFFF)
    public static func < (a: TypeID, b: TypeID) -> Bool { a.rawValue < b.rawValue }
    public var description: String { "[\(rawValue)]" }
}

/// A byte offset into the BTF string section (btf-spec §1.4). 0 is the empty name.
/// In split BTF, offsets continue after the base's string section.
public struct StringOffset: RawRepresentable, Hashable, Comparable, Sendable {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public init(_ value: UInt32) { self.rawValue = value }
    public static let empty = StringOffset(0)
    /// Largest offset the kernel accepts (`BTF_MAX_NAME_OFFSET`).
    public static let kernelMax = StringOffset(0xFFFFFF)
    public static func < (a: StringOffset, b: StringOffset) -> Bool { a.rawValue < b.rawValue }
}
