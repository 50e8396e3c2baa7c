import BTF

/// The compatibility relations of CO-RE (btf-spec §5.5), as libbpf 1.1 defines them.
enum CoreTypeRules {
    /// `btf_kind_core_compat`: same kind, or ENUM with ENUM64.
    static func kindsCompatible(_ a: BTFKind, _ b: BTFKind) -> Bool {
        a == b || (isEnum(a) && isEnum(b))
    }

    static func isEnum(_ k: BTFKind) -> Bool { k == .enumeration || k == .enum64 }
    static func isComposite(_ k: BTFKind) -> Bool { k == .structure || k == .union }

    /// Legacy INT bit offset (the kernel rejects it for field relocations).
    private static func intBitOffset(_ t: BTFType?) -> UInt8 {
        if case .int(let i)? = t { return i.bitOffset }
        return 0
    }

    /// Two INTs without the legacy bit offset (size and signedness don't matter).
    private static func plainInts(_ local: CoreTypes, _ l: TypeID, _ target: CoreTypes, _ t: TypeID) throws(CoreError) -> Bool {
        let lb = intBitOffset(try local.type(l)), tb = intBitOffset(try target.type(t))
        return lb == 0 && tb == 0
    }

    /// Field-type compatibility, checked when a named target field is found (§5.5, first list).
    static func fieldsCompatible(_ local: CoreTypes, _ localID: TypeID, _ target: CoreTypes, _ targetID: TypeID) throws(CoreError) -> Bool {
        var l = localID, t = targetID
        for _ in 0..<BTFFile.maxResolveDepth {
            l = try local.skip(l)
            t = try target.skip(t)
            let lk = local.kind(l), tk = target.kind(t)
            if isComposite(lk) && isComposite(tk) { return true }
            guard kindsCompatible(lk, tk) else { return false }
            switch lk {
            case .pointer, .float:
                return true
            case .forward, .enumeration, .enum64:
                let ln = CoreNames.essential(local.name(l)), tn = CoreNames.essential(target.name(t))
                return ln.isEmpty || tn.isEmpty || ln == tn
            case .int:
                return try plainInts(local, l, target, t)
            case .array:
                guard case .array(let la)? = try local.type(l), case .array(let ta)? = try target.type(t) else { return false }
                l = la.elementType; t = ta.elementType
            default:
                return false
            }
        }
        throw CoreError(.btf, "field type chain deeper than \(BTFFile.maxResolveDepth)", typeID: localID)
    }

    /// Type compatibility for TYPE_EXISTS / TYPE_SIZE / TYPE_ID_TARGET (§5.5, second list).
    /// Root names were already matched by the candidate search.
    static func typesCompatible(_ local: CoreTypes, _ localID: TypeID, _ target: CoreTypes, _ targetID: TypeID,
                                level: Int = 32) throws(CoreError) -> Bool {
        guard kindsCompatible(local.kind(localID), target.kind(targetID)) else { return false }
        var l = localID, t = targetID
        var depth = 32
        while true {
            depth -= 1
            guard depth >= 0 else { throw CoreError(.btf, "type compatibility deeper than 32", typeID: localID) }
            l = try local.skip(l)
            t = try target.skip(t)
            let lk = local.kind(l), tk = target.kind(t)
            guard kindsCompatible(lk, tk) else { return false }
            switch lk {
            case .unknown, .structure, .union, .enumeration, .forward, .enum64:
                return true
            case .int:
                return try plainInts(local, l, target, t)
            case .pointer:
                guard case .pointer(let lp)? = try local.type(l), case .pointer(let tp)? = try target.type(t) else { return false }
                l = lp.type; t = tp.type
            case .array:
                guard case .array(let la)? = try local.type(l), case .array(let ta)? = try target.type(t) else { return false }
                l = la.elementType; t = ta.elementType
            case .functionProto:
                guard case .functionProto(let lp)? = try local.type(l), case .functionProto(let tp)? = try target.type(t) else { return false }
                guard lp.parameters.count == tp.parameters.count else { return false }
                for (a, b) in zip(lp.parameters, tp.parameters) {
                    guard level > 0 else { throw CoreError(.btf, "function prototype nesting deeper than 32", typeID: localID) }
                    let ok = try typesCompatible(local, try local.skip(a.type), target, try target.skip(b.type), level: level - 1)
                    if !ok { return false }
                }
                l = try local.skip(lp.returnType); t = try target.skip(tp.returnType)
            default:
                return false
            }
        }
    }

    /// TYPE_MATCHES (§5.5, third list): names, kinds and members must correspond; `behindPointer`
    /// relaxes structs/unions to a name-and-kind check.
    static func typesMatch(_ local: CoreTypes, _ localID: TypeID, _ target: CoreTypes, _ targetID: TypeID,
                           behindPointer: Bool = false, level: Int = 32) throws(CoreError) -> Bool {
        guard level > 0 else { throw CoreError(.btf, "type match nesting deeper than 32", typeID: localID) }
        var l = localID, t = targetID, behind = behindPointer
        var depth = 32
        while true {
            depth -= 1
            guard depth >= 0 else { throw CoreError(.btf, "type match chain deeper than 32", typeID: localID) }
            l = try local.skip(l)
            t = try target.skip(t)
            guard CoreNames.match(local.name(l), target.name(t)) else { return false }
            let lk = local.kind(l), tk = target.kind(t)
            let lt = try local.type(l), tt = try target.type(t)
            switch lk {
            case .unknown:
                return tk == .unknown
            case .forward:
                let lf = local.file.record(l)?.kindFlag ?? false
                let tf = target.file.record(t)?.kindFlag ?? false
                if behind && lk != tk { return (tk == .structure && !lf) || (tk == .union && lf) }
                return lk == tk && lf == tf
            case .enumeration, .enum64:
                guard isEnum(tk) else { return false }
                return enumsMatch(local, lt, target, tt)
            case .structure, .union:
                if behind {
                    if lk == tk { return true }
                    guard tk == .forward else { return false }
                    return (lk == .union) == (target.file.record(t)?.kindFlag ?? false)
                }
                guard lk == tk else { return false }
                guard let lm = members(lt), let tm = members(tt), lm.count <= tm.count else { return false }
                for m in lm {
                    var matched = false
                    let mn = local.string(m.name)
                    for c in tm where CoreNames.match(mn, target.string(c.name)) {
                        if try typesMatch(local, m.type, target, c.type, behindPointer: behind, level: level - 1) {
                            matched = true
                            break
                        }
                    }
                    if !matched { return false }
                }
                return true
            case .int:
                guard case .int(let a)? = lt, case .int(let b)? = tt else { return false }
                return a.size == b.size && (a.encoding.rawValue & 1) == (b.encoding.rawValue & 1)
            case .pointer:
                guard case .pointer(let a)? = lt, case .pointer(let b)? = tt else { return false }
                behind = true
                l = a.type; t = b.type
            case .array:
                guard case .array(let a)? = lt, case .array(let b)? = tt, a.count == b.count else { return false }
                l = a.elementType; t = b.elementType
            case .functionProto:
                guard case .functionProto(let a)? = lt, case .functionProto(let b)? = tt,
                      a.parameters.count == b.parameters.count else { return false }
                for (p, q) in zip(a.parameters, b.parameters) {
                    if !(try typesMatch(local, p.type, target, q.type, behindPointer: behind, level: level - 1)) { return false }
                }
                l = a.returnType; t = b.returnType
            default:
                return false
            }
        }
    }

    private static func members(_ t: BTFType?) -> [BTFMember]? {
        switch t {
        case .structure(let c)?, .union(let c)?: return c.members
        default: return nil
        }
    }

    /// Every local enumerator has a target enumerator of the same essential name; sizes equal.
    private static func enumsMatch(_ local: CoreTypes, _ l: BTFType?, _ target: CoreTypes, _ t: BTFType?) -> Bool {
        guard let (lsize, lnames) = enumerators(l), let (tsize, tnames) = enumerators(t) else { return false }
        guard lsize == tsize, lnames.count <= tnames.count else { return false }
        let targetNames = tnames.map { target.string($0) }
        for n in lnames {
            let ln = local.string(n)
            if !targetNames.contains(where: { CoreNames.match(ln, $0) }) { return false }
        }
        return true
    }

    static func enumerators(_ t: BTFType?) -> (size: UInt32, names: [StringOffset])? {
        switch t {
        case .enumeration(let e)?: return (e.size, e.values.map(\.name))
        case .enum64(let e)?: return (e.size, e.values.map(\.name))
        default: return nil
        }
    }
}
