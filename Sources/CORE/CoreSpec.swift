import BTF

/// One step of a CO-RE access (btf-spec §5.3): a named field of a struct/union, or an array
/// index (`name == nil`); the first accessor of a field spec is always the index applied to the
/// root as if through a pointer. For enum-value relocations the single accessor names the
/// enumerator.
public struct CoreAccessor: Hashable, Sendable {
    /// The struct/union holding the field, the array's element type, or the enum.
    public var type: TypeID
    public var index: UInt32
    public var name: String?
}

/// A local or target specification (libbpf's `bpf_core_spec`): the root type, the raw access
/// path (every level, including anonymous members), the semantically meaningful accessors, and
/// the accumulated bit offset.
public struct CoreSpec: Hashable, Sendable {
    public var root: TypeID
    public var kind: CoreRelocationKind
    public var raw: [UInt32] = []
    public var accessors: [CoreAccessor] = []
    public var bitOffset: UInt64 = 0

    public static let maxLength = 64
}

extension CoreRelocationKind {
    var isFieldBased: Bool { rawValue <= 5 }
    var isTypeBased: Bool { [6, 7, 8, 9, 12].contains(rawValue) }
    var isEnumValueBased: Bool { rawValue == 10 || rawValue == 11 }
}

extension CoreSpec {
    /// Parses an access string against the local BTF (`bpf_core_parse_spec`). Type-based kinds
    /// need exactly "0"; enum-value kinds one enumerator index; field kinds walk the path.
    static func parse(local: CoreTypes, root: TypeID, access: String, kind: CoreRelocationKind) throws(CoreError) -> CoreSpec {
        var spec = CoreSpec(root: root, kind: kind)
        guard !access.isEmpty, !access.hasPrefix(":") else {
            throw CoreError(.badAccessString, "access string '\(access)' is empty or starts with ':'", typeID: root)
        }
        if kind.isTypeBased {
            guard access == "0" else { throw CoreError(.badAccessString, "type-based relocation needs access string '0', got '\(access)'", typeID: root) }
            return spec
        }
        for part in access.split(separator: ":", omittingEmptySubsequences: false) {
            guard !part.isEmpty, part.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let v = UInt32(part), v <= Int32.max else {
                throw CoreError(.badAccessString, "access string '\(access)': '\(part)' is not a non-negative index", typeID: root)
            }
            guard spec.raw.count < CoreSpec.maxLength else {
                throw CoreError(.badAccessString, "access string '\(access)' has more than \(CoreSpec.maxLength) components", typeID: root)
            }
            spec.raw.append(v)
        }
        var id = try local.skip(root)
        let first = spec.raw[0]
        if kind.isEnumValueBased {
            guard let (_, names) = CoreTypeRules.enumerators(try local.type(id)), spec.raw.count == 1, Int(first) < names.count else {
                throw CoreError(.badAccessString, "enum-value access '\(access)' needs one index into an enum (\(local.describe(id)))", typeID: root)
            }
            spec.accessors = [CoreAccessor(type: id, index: first, name: local.string(names[Int(first)]))]
            return spec
        }
        guard kind.isFieldBased else { throw CoreError(.unsupported, "unknown relocation kind \(kind.rawValue)", typeID: root) }
        spec.accessors = [CoreAccessor(type: id, index: first, name: nil)]
        spec.bitOffset = try checkedBits(UInt64(first), try local.size(id), root)
        for (step, index) in spec.raw.enumerated().dropFirst() {
            id = try local.skip(id)
            switch try local.type(id) {
            case .structure(let c)?, .union(let c)?:
                guard Int(index) < c.members.count else {
                    throw CoreError(.badAccessString, "access '\(access)' component \(step): member \(index) of \(local.describe(id)) (it has \(c.members.count))", typeID: root)
                }
                let m = c.members[Int(index)]
                spec.bitOffset = try add(spec.bitOffset, UInt64(c.bitOffset(of: m)), root)
                if m.name != .empty {
                    let n = local.string(m.name)
                    guard !n.isEmpty else { throw CoreError(.badAccessString, "member \(index) of \(local.describe(id)) has an unreadable name", typeID: root) }
                    spec.accessors.append(CoreAccessor(type: id, index: index, name: n))
                }
                id = m.type
            case .array(let a)?:
                let element = try local.skip(a.elementType)
                let flexible = try isFlexible(local, after: spec.accessors.last, array: a)
                guard flexible || index < a.count else {
                    throw CoreError(.badAccessString, "access '\(access)' component \(step): index \(index) out of array bounds \(a.count)", typeID: root)
                }
                spec.accessors.append(CoreAccessor(type: element, index: index, name: nil))
                spec.bitOffset = try add(spec.bitOffset, try checkedBits(UInt64(index), try local.size(element), root), root)
                id = element
            default:
                throw CoreError(.badAccessString, "access '\(access)' component \(step) reaches \(local.describe(id)), not a struct, union or array", typeID: root)
            }
        }
        return spec
    }

    /// A flexible array: zero elements and the last member of the struct named by `accessor`.
    static func isFlexible(_ types: CoreTypes, after accessor: CoreAccessor?, array: BTFArray) throws(CoreError) -> Bool {
        guard let acc = accessor, acc.name != nil, array.count == 0 else { return false }
        switch try types.type(acc.type) {
        case .structure(let c)?, .union(let c)?: return Int(acc.index) == c.members.count - 1
        default: return false
        }
    }

    static func checkedBits(_ index: UInt64, _ size: UInt64, _ root: TypeID) throws(CoreError) -> UInt64 {
        let (a, o1) = index.multipliedReportingOverflow(by: size)
        let (b, o2) = a.multipliedReportingOverflow(by: 8)
        guard !o1, !o2 else { throw CoreError(.badAccessString, "offset overflows", typeID: root) }
        return b
    }

    static func add(_ a: UInt64, _ b: UInt64, _ root: TypeID) throws(CoreError) -> UInt64 {
        let (s, o) = a.addingReportingOverflow(b)
        guard !o else { throw CoreError(.badAccessString, "offset overflows", typeID: root) }
        return s
    }

    /// libbpf's spec text: `[5] struct task_struct.comm[3] (0:11:3 @ offset 67)`,
    /// `[30] enum bpf_map_type::BPF_MAP_TYPE_ARRAY = 2`, `[5] struct task_struct`.
    func formatted(_ types: CoreTypes) -> String {
        let n = types.name(root)
        var s = "\(root) \(types.kind(root).description.lowercased()) \(n.isEmpty ? "<anon>" : n)"
        if kind.isTypeBased { return s }
        if kind.isEnumValueBased, let a = accessors.first {
            switch (try? types.type(a.type)) ?? nil {
            case .enumeration(let e)? where Int(a.index) < e.values.count:
                let v = e.values[Int(a.index)].value
                s += "::\(a.name ?? "") = " + (e.isSigned ? String(Int32(bitPattern: v)) : String(v))
            case .enum64(let e)? where Int(a.index) < e.values.count:
                let v = e.values[Int(a.index)].value
                s += "::\(a.name ?? "") = " + (e.isSigned ? String(Int64(bitPattern: v)) : String(v))
            default: break
            }
            return s
        }
        for (i, a) in accessors.enumerated() {
            if let name = a.name { s += ".\(name)" } else if i > 0 || a.index > 0 { s += "[\(a.index)]" }
        }
        s += " (" + raw.map(String.init).joined(separator: ":")
        s += bitOffset % 8 != 0 ? " @ offset \(bitOffset / 8).\(bitOffset % 8))" : " @ offset \(bitOffset / 8))"
        return s
    }
}
