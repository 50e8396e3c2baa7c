/// CO-RE relocation kind (btf-spec §5.2, `enum bpf_core_relo_kind`), an open constant.
public struct CoreRelocationKind: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let fieldByteOffset = Self(rawValue: 0)
    public static let fieldByteSize = Self(rawValue: 1)
    public static let fieldExists = Self(rawValue: 2)
    public static let fieldSigned = Self(rawValue: 3)
    public static let fieldLShiftU64 = Self(rawValue: 4)
    public static let fieldRShiftU64 = Self(rawValue: 5)
    public static let typeIDLocal = Self(rawValue: 6)
    public static let typeIDTarget = Self(rawValue: 7)
    public static let typeExists = Self(rawValue: 8)
    public static let typeSize = Self(rawValue: 9)
    public static let enumValueExists = Self(rawValue: 10)
    public static let enumValueValue = Self(rawValue: 11)
    public static let typeMatches = Self(rawValue: 12)

    /// libbpf's spelling (`byte_off`, `enumval_value` ...), or `unknown(N)`.
    public var description: String {
        let names = ["byte_off", "byte_sz", "field_exists", "signed", "lshift_u64", "rshift_u64", "local_type_id",
                     "target_type_id", "type_exists", "type_size", "enumval_exists", "enumval_value", "type_matches"]
        return Int(rawValue) < names.count ? names[Int(rawValue)] : "unknown(\(rawValue))"
    }
}
