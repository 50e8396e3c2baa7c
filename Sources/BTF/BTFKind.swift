/// A BTF kind number (btf-spec §1.6), as an open constant: unknown values are kept and print as
/// `UNKNOWN(n)` instead of failing.
///
/// Adding a kind means updating: `RecordLayout.tailLength`, `BTFType` (model + decode + encode),
/// the validator's meta and resolve rules, and the raw/JSON printers.
public struct BTFKind: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let unknown = BTFKind(rawValue: 0)
    public static let int = BTFKind(rawValue: 1)
    public static let pointer = BTFKind(rawValue: 2)
    public static let array = BTFKind(rawValue: 3)
    public static let structure = BTFKind(rawValue: 4)
    public static let union = BTFKind(rawValue: 5)
    public static let enumeration = BTFKind(rawValue: 6)
    public static let forward = BTFKind(rawValue: 7)
    public static let typedef = BTFKind(rawValue: 8)
    public static let volatile = BTFKind(rawValue: 9)
    public static let const = BTFKind(rawValue: 10)
    public static let restrict = BTFKind(rawValue: 11)
    public static let function = BTFKind(rawValue: 12)
    public static let functionProto = BTFKind(rawValue: 13)
    public static let variable = BTFKind(rawValue: 14)
    public static let dataSection = BTFKind(rawValue: 15)
    public static let float = BTFKind(rawValue: 16)
    public static let declTag = BTFKind(rawValue: 17)
    public static let typeTag = BTFKind(rawValue: 18)
    public static let enum64 = BTFKind(rawValue: 19)

    /// Highest kind defined today (`BTF_KIND_MAX`).
    public static let maxKnown: UInt8 = 19

    public var isKnown: Bool { rawValue >= 1 && rawValue <= BTFKind.maxKnown }

    static let names = ["UNKNOWN", "INT", "PTR", "ARRAY", "STRUCT", "UNION", "ENUM", "FWD", "TYPEDEF",
                        "VOLATILE", "CONST", "RESTRICT", "FUNC", "FUNC_PROTO", "VAR", "DATASEC", "FLOAT",
                        "DECL_TAG", "TYPE_TAG", "ENUM64"]

    /// The kernel's / bpftool's spelling (`STRUCT`, `FUNC_PROTO` ...).
    public var name: String {
        Int(rawValue) < BTFKind.names.count ? BTFKind.names[Int(rawValue)] : "UNKNOWN(\(rawValue))"
    }

    public var description: String { name }

    /// Parses a kind name such as `struct`, `STRUCT` or `func_proto`.
    public init?(name: String) {
        let upper = name.uppercased()
        guard let i = BTFKind.names.firstIndex(of: upper), i > 0 else { return nil }
        self.rawValue = UInt8(i)
    }

    /// Kinds that only refer to another type through the size/type word (btf-spec §2.4 "modifiers").
    public var isModifier: Bool {
        self == .typedef || self == .volatile || self == .const || self == .restrict || self == .typeTag
    }

    /// Kinds whose third word is a type ID rather than a size.
    public var usesTypeField: Bool {
        isModifier || self == .pointer || self == .function || self == .functionProto || self == .variable
            || self == .declTag
    }
}

/// INT encoding bits (btf-spec §1.6 "INT data word", bits 24–27), an open set.
public struct IntEncoding: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let none = IntEncoding(rawValue: 0)
    public static let signed = IntEncoding(rawValue: 1)
    public static let char = IntEncoding(rawValue: 2)
    public static let bool = IntEncoding(rawValue: 4)

    /// bpftool's spelling: `(none)`, `SIGNED`, `CHAR`, `BOOL`, `UNKN`.
    public var description: String {
        switch rawValue {
        case 0: return "(none)"
        case 1: return "SIGNED"
        case 2: return "CHAR"
        case 4: return "BOOL"
        default: return "UNKN"
        }
    }
}

/// Linkage of a FUNC (stored in vlen) or VAR (btf-spec §1.6), an open constant.
public struct BTFLinkage: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public static let `static` = BTFLinkage(rawValue: 0)
    public static let global = BTFLinkage(rawValue: 1)
    public static let external = BTFLinkage(rawValue: 2)
    public var description: String {
        switch rawValue {
        case 0: return "static"
        case 1: return "global"
        case 2: return "extern"
        default: return "(unknown)"
        }
    }
}

extension BTFKind {
    /// The kind numbers as plain constants of this module, for hot loops that switch on
    /// `kind.rawValue`: such a switch compiles to a jump table, and its cases read as names.
    enum Number {
        static let int: UInt8 = 1
        static let pointer: UInt8 = 2
        static let array: UInt8 = 3
        static let structure: UInt8 = 4
        static let union: UInt8 = 5
        static let enumeration: UInt8 = 6
        static let forward: UInt8 = 7
        static let typedef: UInt8 = 8
        static let volatile: UInt8 = 9
        static let const: UInt8 = 10
        static let restrict: UInt8 = 11
        static let function: UInt8 = 12
        static let functionProto: UInt8 = 13
        static let variable: UInt8 = 14
        static let dataSection: UInt8 = 15
        static let float: UInt8 = 16
        static let declTag: UInt8 = 17
        static let typeTag: UInt8 = 18
        static let enum64: UInt8 = 19
    }
}
