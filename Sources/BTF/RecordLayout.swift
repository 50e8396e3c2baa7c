/// Kind numbers by name, for the switches on `kind.rawValue` below.
private typealias Kind = BTFKind.Number

/// Record shapes per kind (btf-spec §1.6, "Record length"): the length of the fixed tail after the
/// 12-byte common part, and of each of the `vlen` trailing elements.
public enum RecordLayout {
    public static let commonLength = 12

    /// (fixed tail bytes, bytes per vlen element) for a known kind; nil for an unknown one.
    @inline(__always)
    public static func tail(of kind: BTFKind) -> (fixed: Int, element: Int)? {
        switch kind.rawValue {
        case Kind.int: return (4, 0)            // INT data word
        case Kind.pointer, Kind.forward, Kind.typedef, Kind.volatile, Kind.const, Kind.restrict, Kind.function, Kind.float, Kind.typeTag: return (0, 0)
        case Kind.array: return (12, 0)           // btf_array
        case Kind.structure, Kind.union: return (0, 12)        // btf_member
        case Kind.enumeration: return (0, 8)            // btf_enum
        case Kind.functionProto: return (0, 8)           // btf_param
        case Kind.variable: return (4, 0)           // btf_var
        case Kind.dataSection: return (0, 12)          // btf_var_secinfo
        case Kind.declTag: return (4, 0)           // btf_decl_tag
        case Kind.enum64: return (0, 12)          // btf_enum64
        default: return nil
        }
    }

    /// Total record length, or nil for an unknown kind.
    @inline(__always)
    public static func length(kind: BTFKind, vlen: Int) -> Int? {
        guard let t = tail(of: kind) else { return nil }
        return commonLength + t.fixed + vlen * t.element
    }
}

/// The `info` word of the common type record (btf-spec §1.5). Decoded with the 2026 layout
/// (24-bit vlen, 7-bit kind), which is a superset of the old one, so nothing is lost.
public struct TypeInfo: RawRepresentable, Hashable, Sendable {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public init(kind: BTFKind, vlen: Int, kindFlag: Bool) {
        rawValue = (UInt32(kind.rawValue & 0x7f) << 24) | (UInt32(truncatingIfNeeded: vlen) & 0xFFFFFF)
            | (kindFlag ? 0x8000_0000 : 0)
    }
    @inline(__always) public var kind: BTFKind { BTFKind(rawValue: UInt8((rawValue >> 24) & 0x7f)) }
    @inline(__always) public var vlen: Int { Int(rawValue & 0xFFFFFF) }
    @inline(__always) public var kindFlag: Bool { rawValue & 0x8000_0000 != 0 }
    /// Bits that kernels up to at least 6.18 require to be zero (`~0x9f00ffff`).
    public var legacyReservedBits: UInt32 { rawValue & ~0x9f00_ffff }
}
