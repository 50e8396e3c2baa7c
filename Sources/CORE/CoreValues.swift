import BinaryReader
import BTF

/// The values one relocation computes for the local spec and for a target spec (btf-spec §5.7,
/// libbpf's `bpf_core_relo_res`).
public struct CoreValue: Hashable, Sendable {
    /// What the compiler put into the instruction (computed from the local BTF).
    public var original: UInt64 = 0
    /// What the instruction gets for the target.
    public var new: UInt64 = 0
    /// The relocation can't be satisfied: the instruction is replaced by a call of helper 0xbad2310.
    public var poison = false
    /// Whether the instruction's current value must equal `original` before patching.
    public var validate = true
    /// A load/store whose field changed size in a way that can't be adjusted (signed, mixed kinds).
    public var failsSizeAdjustment = false
    public var originalSize: UInt64 = 0
    public var newSize: UInt64 = 0
}

enum CoreValues {
    private struct Field {
        var value: UInt64
        var size: UInt64 = 0
        var type: TypeID = .void
        var validate = true
    }

    /// Values of one relocation; `target` nil means no candidate matched.
    static func compute(local: CoreSpec, localTypes: CoreTypes, target: CoreSpec?, targetTypes: CoreTypes,
                        byteOrder: Endianness) throws(CoreError) -> CoreValue {
        var res = CoreValue()
        let kind = local.kind
        if kind.isFieldBased {
            guard let l = try field(kind, local, localTypes, byteOrder) else {
                throw CoreError(.btf, "local spec has no value", typeID: local.root)
            }
            res.original = l.value
            res.validate = l.validate
            res.originalSize = l.size
            guard let t = try field(kind, target, targetTypes, byteOrder) else {
                res.poison = true
                return res
            }
            res.new = t.value
            res.newSize = t.size
            if res.originalSize != res.newSize {
                let lk = localTypes.kind(l.type), tk = targetTypes.kind(t.type)
                if lk == .pointer && tk == .pointer { return res }
                if case .int(let a)? = try localTypes.type(l.type), case .int(let b)? = try targetTypes.type(t.type),
                   a.encoding != .signed, b.encoding != .signed {
                    return res
                }
                res.failsSizeAdjustment = true
            }
        } else if kind.isTypeBased {
            if kind == .typeIDLocal {
                res.original = UInt64(local.root.rawValue)
                res.new = res.original
                res.validate = false
                return res
            }
            res.original = try typeValue(kind, local, localTypes)
            res.new = try typeValue(kind, target, targetTypes)
            res.validate = kind != .typeIDTarget
        } else if kind.isEnumValueBased {
            res.original = try enumValue(kind, local, localTypes) ?? 0
            guard let v = try enumValue(kind, target, targetTypes) else {
                res.poison = true
                return res
            }
            res.new = v
        } else {
            throw CoreError(.unsupported, "unknown relocation kind \(kind.rawValue)", typeID: local.root)
        }
        return res
    }

    private static func typeValue(_ kind: CoreRelocationKind, _ spec: CoreSpec?, _ types: CoreTypes) throws(CoreError) -> UInt64 {
        guard let spec else { return 0 }
        switch kind {
        case .typeIDTarget: return UInt64(spec.root.rawValue)
        case .typeExists, .typeMatches: return 1
        case .typeSize: return try types.size(spec.root)
        default: throw CoreError(.unsupported, "unknown relocation kind \(kind.rawValue)", typeID: spec.root)
        }
    }

    /// nil = poison (ENUMVAL_VALUE without a target).
    private static func enumValue(_ kind: CoreRelocationKind, _ spec: CoreSpec?, _ types: CoreTypes) throws(CoreError) -> UInt64? {
        if kind == .enumValueExists { return spec == nil ? 0 : 1 }
        guard let spec, let acc = spec.accessors.first else { return nil }
        switch try types.type(acc.type) {
        case .enumeration(let e)? where Int(acc.index) < e.values.count:
            // libbpf stores the 32-bit value through a signed int: sign-extended to 64 bits.
            return UInt64(bitPattern: Int64(Int32(bitPattern: e.values[Int(acc.index)].value)))
        case .enum64(let e)? where Int(acc.index) < e.values.count:
            return e.values[Int(acc.index)].value
        default:
            throw CoreError(.btf, "enumerator \(acc.index) of \(types.describe(acc.type)) does not exist", typeID: acc.type)
        }
    }

    /// nil = poison (a field kind other than FIELD_EXISTS without a target).
    private static func field(_ kind: CoreRelocationKind, _ spec: CoreSpec?, _ types: CoreTypes,
                              _ byteOrder: Endianness) throws(CoreError) -> Field? {
        if kind == .fieldExists { return Field(value: spec == nil ? 0 : 1) }
        guard let spec, let acc = spec.accessors.last else { return nil }
        if acc.name == nil {
            // An array element (or the root itself): offset and size only.
            let size = try types.size(acc.type)
            switch kind {
            case .fieldByteOffset: return Field(value: spec.bitOffset / 8, size: size, type: acc.type)
            case .fieldByteSize: return Field(value: size)
            default:
                throw CoreError(.unsupported, "relocation \(kind) can't be applied to an array element", typeID: spec.root)
            }
        }
        let comp: BTFComposite
        switch try types.type(acc.type) {
        case .structure(let c)?, .union(let c)?: comp = c
        default: throw CoreError(.btf, "accessor type \(acc.type) is not a struct or union", typeID: acc.type)
        }
        guard Int(acc.index) < comp.members.count else {
            throw CoreError(.btf, "member \(acc.index) of \(types.describe(acc.type)) does not exist", typeID: acc.type)
        }
        let m = comp.members[Int(acc.index)]
        let fieldType = try types.skip(m.type)
        let memberType = try types.type(fieldType)
        let bitOff = spec.bitOffset
        var bitSize = UInt64(comp.bitfieldSize(of: m))
        let bitfield = bitSize > 0
        var byteSize: UInt64, byteOff: UInt64
        if bitfield {
            byteSize = UInt64(types.file.record(fieldType)?.sizeOrType ?? 0)
            guard byteSize > 0 else { throw CoreError(.btf, "bitfield of a type without size", typeID: fieldType) }
            byteOff = bitOff / 8 / byteSize * byteSize
            while bitOff &+ bitSize &- byteOff * 8 > byteSize * 8 {
                guard byteSize < 8 else {
                    throw CoreError(.unsupported, "bitfield can't be read with one 64-bit load", typeID: spec.root)
                }
                byteSize *= 2
                byteOff = bitOff / 8 / byteSize * byteSize
            }
        } else {
            byteSize = try types.size(fieldType)
            byteOff = bitOff / 8
            bitSize = byteSize &* 8
        }
        var f = Field(value: 0, validate: !bitfield)
        switch kind {
        case .fieldByteOffset:
            f.value = byteOff
            if !bitfield { f.size = byteSize; f.type = fieldType }
        case .fieldByteSize:
            f.value = byteSize
        case .fieldSigned:
            switch memberType {
            case .int(let i)?: f.value = i.encoding.rawValue & 1 != 0 ? 1 : 0
            case .enumeration(let e)?: f.value = e.isSigned ? 1 : 0
            case .enum64(let e)?: f.value = e.isSigned ? 1 : 0
            default: f.value = 0
            }
            f.validate = true
        case .fieldLShiftU64:
            f.value = byteOrder == .little
                ? 64 &- (bitOff &+ bitSize &- byteOff &* 8)
                : (8 &- byteSize) &* 8 &+ (bitOff &- byteOff &* 8)
        case .fieldRShiftU64:
            f.value = 64 &- bitSize
            f.validate = true
        default:
            throw CoreError(.unsupported, "unknown relocation kind \(kind.rawValue)", typeID: spec.root)
        }
        return f
    }
}
