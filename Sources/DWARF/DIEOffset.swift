/// The section offset of a DIE in the section (piece) that holds its unit: `.debug_info`, or a
/// `.debug_types`/COMDAT piece for type units (DWARF 5 §7.5.1). A distinct type so unit-relative
/// reference values, string offsets and DIE positions can't be mixed up.
public struct DIEOffset: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: Int
    @inlinable public init(rawValue: Int) { self.rawValue = rawValue }
    @inlinable public init(_ rawValue: Int) { self.rawValue = rawValue }
    @inlinable public static func < (a: DIEOffset, b: DIEOffset) -> Bool { a.rawValue < b.rawValue }
    /// `0x` and eight hex digits, as llvm-dwarfdump prints DIE offsets.
    public var description: String {
        let h = String(rawValue, radix: 16)
        return "0x" + String(repeating: "0", count: max(0, 8 - h.count)) + h
    }
}
