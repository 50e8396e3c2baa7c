/// The value-type model of one BTF type record (btf-spec §1.6): an enum of per-kind structs.
///
/// Names are kept as ``StringOffset`` into the owning string table, so a model round-trips to the
/// same bytes; ``BTFFile/name(_:)`` and ``BTFBuilder`` turn them into text.
/// Fields the format requires to be zero (a PTR's name, an ARRAY's size word) are not modelled;
/// use ``BTFFile/record(_:)`` for the raw words.
public enum BTFType: Hashable, Sendable {
    case int(BTFInt)
    case pointer(BTFReference)
    case array(BTFArray)
    case structure(BTFComposite)
    case union(BTFComposite)
    case enumeration(BTFEnum)
    case forward(BTFForward)
    case typedef(BTFReference)
    case volatile(BTFReference)
    case const(BTFReference)
    case restrict(BTFReference)
    case function(BTFFunction)
    case functionProto(BTFFunctionProto)
    case variable(BTFVariable)
    case dataSection(BTFDataSection)
    case float(BTFFloat)
    case declTag(BTFDeclTag)
    case typeTag(BTFTypeTag)
    case enum64(BTFEnum64)

    public var kind: BTFKind {
        switch self {
        case .int: return .int
        case .pointer: return .pointer
        case .array: return .array
        case .structure: return .structure
        case .union: return .union
        case .enumeration: return .enumeration
        case .forward: return .forward
        case .typedef: return .typedef
        case .volatile: return .volatile
        case .const: return .const
        case .restrict: return .restrict
        case .function: return .function
        case .functionProto: return .functionProto
        case .variable: return .variable
        case .dataSection: return .dataSection
        case .float: return .float
        case .declTag: return .declTag
        case .typeTag: return .typeTag
        case .enum64: return .enum64
        }
    }

    /// The record's name (for tags: the tag value). Empty for anonymous and unnamed kinds.
    public var name: StringOffset {
        switch self {
        case .int(let t): return t.name
        case .pointer(let t), .typedef(let t), .volatile(let t), .const(let t), .restrict(let t): return t.name
        case .array: return .empty
        case .structure(let t), .union(let t): return t.name
        case .enumeration(let t): return t.name
        case .forward(let t): return t.name
        case .function(let t): return t.name
        case .functionProto: return .empty
        case .variable(let t): return t.name
        case .dataSection(let t): return t.name
        case .float(let t): return t.name
        case .declTag(let t): return t.value
        case .typeTag(let t): return t.value
        case .enum64(let t): return t.name
        }
    }

    /// Every type ID this type refers to, in record order (void included where stored).
    public var references: [TypeID] {
        switch self {
        case .int, .forward, .float, .enumeration, .enum64: return []
        case .pointer(let t), .typedef(let t), .volatile(let t), .const(let t), .restrict(let t): return [t.type]
        case .array(let a): return [a.elementType, a.indexType]
        case .structure(let s), .union(let s): return s.members.map(\.type)
        case .function(let f): return [f.proto]
        case .functionProto(let p): return [p.returnType] + p.parameters.map(\.type)
        case .variable(let v): return [v.type]
        case .dataSection(let d): return d.entries.map(\.type)
        case .declTag(let t): return [t.target]
        case .typeTag(let t): return [t.target]
        }
    }
}

/// INT (kind 1).
public struct BTFInt: Hashable, Sendable {
    public var name: StringOffset
    public var size: UInt32
    /// The raw data word: bits 0–7 width, 16–23 bit offset, 24–27 encoding.
    public var data: UInt32
    public init(name: StringOffset, size: UInt32, encoding: IntEncoding, bits: UInt8, bitOffset: UInt8 = 0) {
        self.name = name
        self.size = size
        self.data = UInt32(encoding.rawValue & 0x0f) << 24 | UInt32(bitOffset) << 16 | UInt32(bits)
    }
    public init(name: StringOffset, size: UInt32, data: UInt32) {
        self.name = name; self.size = size; self.data = data
    }
    public var encoding: IntEncoding { IntEncoding(rawValue: UInt8((data >> 24) & 0x0f)) }
    public var bitOffset: UInt8 { UInt8((data >> 16) & 0xff) }
    public var bits: UInt8 { UInt8(data & 0xff) }
}

/// PTR, TYPEDEF, VOLATILE, CONST, RESTRICT: a name (TYPEDEF only) and a target.
public struct BTFReference: Hashable, Sendable {
    public var name: StringOffset
    public var type: TypeID
    public init(name: StringOffset = .empty, type: TypeID) { self.name = name; self.type = type }
}

/// ARRAY (kind 3).
public struct BTFArray: Hashable, Sendable {
    public var elementType: TypeID
    public var indexType: TypeID
    public var count: UInt32
    public init(elementType: TypeID, indexType: TypeID, count: UInt32) {
        self.elementType = elementType; self.indexType = indexType; self.count = count
    }
}

/// One member of a STRUCT or UNION. `offset` is the raw word: with kind_flag set, bits 0–23 are
/// the bit offset and 24–31 the bitfield size (btf-spec §1.6).
public struct BTFMember: Hashable, Sendable {
    public var name: StringOffset
    public var type: TypeID
    public var offset: UInt32
    public init(name: StringOffset, type: TypeID, offset: UInt32) { self.name = name; self.type = type; self.offset = offset }
    public init(name: StringOffset, type: TypeID, bitOffset: UInt32, bitfieldSize: UInt8) {
        self.name = name; self.type = type; self.offset = UInt32(bitfieldSize) << 24 | (bitOffset & 0xFFFFFF)
    }
}

/// STRUCT (kind 4) or UNION (kind 5).
public struct BTFComposite: Hashable, Sendable {
    public var name: StringOffset
    public var size: UInt32
    /// kind_flag: member offsets carry bitfield sizes.
    public var hasBitfieldSizes: Bool
    public var members: [BTFMember]
    public init(name: StringOffset, size: UInt32, hasBitfieldSizes: Bool = false, members: [BTFMember]) {
        self.name = name; self.size = size; self.hasBitfieldSizes = hasBitfieldSizes; self.members = members
    }
    /// Bit offset of a member, honouring the kind_flag encoding.
    public func bitOffset(of m: BTFMember) -> UInt32 { hasBitfieldSizes ? m.offset & 0xFFFFFF : m.offset }
    /// Bitfield size of a member (0 = not a bitfield, or unknown without kind_flag).
    public func bitfieldSize(of m: BTFMember) -> UInt8 { hasBitfieldSizes ? UInt8(m.offset >> 24) : 0 }
}

/// One ENUM value; `value` is the raw 32 bits (signed when the enum is signed).
public struct BTFEnumValue: Hashable, Sendable {
    public var name: StringOffset
    public var value: UInt32
    public init(name: StringOffset, value: UInt32) { self.name = name; self.value = value }
}

/// ENUM (kind 6). `vlen == 0` is an enum forward declaration.
public struct BTFEnum: Hashable, Sendable {
    public var name: StringOffset
    public var size: UInt32
    public var isSigned: Bool
    public var values: [BTFEnumValue]
    public init(name: StringOffset, size: UInt32, isSigned: Bool, values: [BTFEnumValue]) {
        self.name = name; self.size = size; self.isSigned = isSigned; self.values = values
    }
}

/// One ENUM64 value.
public struct BTFEnum64Value: Hashable, Sendable {
    public var name: StringOffset
    public var value: UInt64
    public init(name: StringOffset, value: UInt64) { self.name = name; self.value = value }
}

/// ENUM64 (kind 19).
public struct BTFEnum64: Hashable, Sendable {
    public var name: StringOffset
    public var size: UInt32
    public var isSigned: Bool
    public var values: [BTFEnum64Value]
    public init(name: StringOffset, size: UInt32, isSigned: Bool, values: [BTFEnum64Value]) {
        self.name = name; self.size = size; self.isSigned = isSigned; self.values = values
    }
}

/// FWD (kind 7).
public struct BTFForward: Hashable, Sendable {
    public var name: StringOffset
    public var isUnion: Bool
    public init(name: StringOffset, isUnion: Bool) { self.name = name; self.isUnion = isUnion }
}

/// FUNC (kind 12); linkage lives in the vlen bits.
public struct BTFFunction: Hashable, Sendable {
    public var name: StringOffset
    public var proto: TypeID
    public var linkage: BTFLinkage
    public init(name: StringOffset, proto: TypeID, linkage: BTFLinkage) { self.name = name; self.proto = proto; self.linkage = linkage }
}

/// One FUNC_PROTO parameter; `{0, void}` last means C varargs.
public struct BTFParameter: Hashable, Sendable {
    public var name: StringOffset
    public var type: TypeID
    public init(name: StringOffset, type: TypeID) { self.name = name; self.type = type }
}

/// FUNC_PROTO (kind 13).
public struct BTFFunctionProto: Hashable, Sendable {
    public var returnType: TypeID
    public var parameters: [BTFParameter]
    public init(returnType: TypeID, parameters: [BTFParameter]) { self.returnType = returnType; self.parameters = parameters }
}

/// VAR (kind 14).
public struct BTFVariable: Hashable, Sendable {
    public var name: StringOffset
    public var type: TypeID
    public var linkage: BTFLinkage
    public init(name: StringOffset, type: TypeID, linkage: BTFLinkage) { self.name = name; self.type = type; self.linkage = linkage }
}

/// One DATASEC entry.
public struct BTFDataSectionEntry: Hashable, Sendable {
    public var type: TypeID
    public var offset: UInt32
    public var size: UInt32
    public init(type: TypeID, offset: UInt32, size: UInt32) { self.type = type; self.offset = offset; self.size = size }
}

/// DATASEC (kind 15).
public struct BTFDataSection: Hashable, Sendable {
    public var name: StringOffset
    public var size: UInt32
    public var entries: [BTFDataSectionEntry]
    public init(name: StringOffset, size: UInt32, entries: [BTFDataSectionEntry]) { self.name = name; self.size = size; self.entries = entries }
}

/// FLOAT (kind 16).
public struct BTFFloat: Hashable, Sendable {
    public var name: StringOffset
    public var size: UInt32
    public init(name: StringOffset, size: UInt32) { self.name = name; self.size = size }
}

/// DECL_TAG (kind 17). `componentIndex == -1` tags the target itself.
public struct BTFDeclTag: Hashable, Sendable {
    public var value: StringOffset
    public var target: TypeID
    public var componentIndex: Int32
    /// kind_flag: the value is a raw `__attribute__((...))` rather than `btf_decl_tag(...)`.
    public var isAttribute: Bool
    public init(value: StringOffset, target: TypeID, componentIndex: Int32, isAttribute: Bool = false) {
        self.value = value; self.target = target; self.componentIndex = componentIndex; self.isAttribute = isAttribute
    }
}

/// TYPE_TAG (kind 18).
public struct BTFTypeTag: Hashable, Sendable {
    public var value: StringOffset
    public var target: TypeID
    public var isAttribute: Bool
    public init(value: StringOffset, target: TypeID, isAttribute: Bool = false) {
        self.value = value; self.target = target; self.isAttribute = isAttribute
    }
}
