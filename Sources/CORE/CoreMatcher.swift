import BTF

/// Matching a local spec against one target candidate (btf-spec §5.6, libbpf's
/// `bpf_core_spec_match`): nil when the candidate doesn't match, else the target spec.
enum CoreMatcher {
    static func match(_ local: CoreSpec, localTypes: CoreTypes, candidate: TypeID, target: CoreTypes) throws(CoreError) -> CoreSpec? {
        var spec = CoreSpec(root: candidate, kind: local.kind)
        if local.kind.isTypeBased {
            let ok = local.kind == .typeMatches
                ? try CoreTypeRules.typesMatch(localTypes, local.root, target, candidate)
                : try CoreTypeRules.typesCompatible(localTypes, local.root, target, candidate)
            return ok ? spec : nil
        }
        if local.kind.isEnumValueBased {
            guard let acc = local.accessors.first, let wanted = acc.name else { return nil }
            let id = try target.skip(candidate)
            guard let (_, names) = CoreTypeRules.enumerators(try target.type(id)) else { return nil }
            let essential = CoreNames.essential(wanted)
            for (i, n) in names.enumerated() {
                let tn = target.string(n)
                if CoreNames.essential(tn) == essential {
                    spec.accessors = [CoreAccessor(type: id, index: UInt32(i), name: tn)]
                    spec.raw = [UInt32(i)]
                    return spec
                }
            }
            return nil
        }
        var id = candidate
        for (i, acc) in local.accessors.enumerated() {
            id = try target.skip(id)
            if acc.name != nil {
                guard let next = try matchMember(acc, localTypes: localTypes, in: id, target: target, spec: &spec) else { return nil }
                id = next
            } else {
                if i > 0 {
                    guard case .array(let a)? = try target.type(id) else { return nil }
                    let flexible = try CoreSpec.isFlexible(target, after: spec.accessors.last, array: a)
                    guard flexible || acc.index < a.count else { return nil }
                    id = try target.skip(a.elementType)
                }
                guard spec.raw.count < CoreSpec.maxLength else { throw CoreError(.badAccessString, "target access path longer than 64", typeID: candidate) }
                spec.accessors.append(CoreAccessor(type: id, index: acc.index, name: nil))
                spec.raw.append(acc.index)
                spec.bitOffset = try CoreSpec.add(spec.bitOffset, try CoreSpec.checkedBits(UInt64(acc.index), try target.size(id), candidate), candidate)
            }
        }
        return spec
    }

    /// Finds the local accessor's field by exact name in target struct/union `id`, descending
    /// depth-first into anonymous members; returns the field's type when found and compatible.
    private static func matchMember(_ acc: CoreAccessor, localTypes: CoreTypes, in id: TypeID, target: CoreTypes,
                                    spec: inout CoreSpec) throws(CoreError) -> TypeID? {
        guard let wanted = acc.name else { return nil }
        let localMember: BTFMember
        switch try localTypes.type(acc.type) {
        case .structure(let c)?, .union(let c)?:
            guard Int(acc.index) < c.members.count else { return nil }
            localMember = c.members[Int(acc.index)]
        default: return nil
        }
        var result: TypeID?
        let found = try search(wanted, localMember: localMember, localTypes: localTypes, in: id, target: target,
                               spec: &spec, result: &result, depth: 0)
        return found ? result : nil
    }

    /// Depth-first search of `wanted` among the members of `id`. libbpf's rule: a same-named but
    /// incompatible field ends the search at the top level, while inside an anonymous member the
    /// search goes on with the next member.
    private static func search(_ wanted: String, localMember: BTFMember, localTypes: CoreTypes, in id: TypeID,
                               target: CoreTypes, spec: inout CoreSpec, result: inout TypeID?, depth: Int) throws(CoreError) -> Bool {
        let sid = try target.skip(id)
        let comp: BTFComposite
        switch try target.type(sid) {
        case .structure(let c)?, .union(let c)?: comp = c
        default: return false
        }
        for (i, m) in comp.members.enumerated() {
            guard spec.raw.count < CoreSpec.maxLength else {
                throw CoreError(.badAccessString, "target access path longer than \(CoreSpec.maxLength)", typeID: sid)
            }
            let bits = UInt64(comp.bitOffset(of: m))
            spec.bitOffset = try CoreSpec.add(spec.bitOffset, bits, sid)
            spec.raw.append(UInt32(i))
            let name = target.string(m.name)
            if name.isEmpty {
                if try search(wanted, localMember: localMember, localTypes: localTypes, in: m.type, target: target,
                              spec: &spec, result: &result, depth: depth + 1) {
                    return true
                }
            } else if name == wanted {
                if try CoreTypeRules.fieldsCompatible(localTypes, localMember.type, target, m.type) {
                    spec.accessors.append(CoreAccessor(type: sid, index: UInt32(i), name: name))
                    result = m.type
                    return true
                }
                if depth == 0 { return true }
                spec.bitOffset -= bits
                spec.raw.removeLast()
                return false
            }
            spec.bitOffset -= bits
            spec.raw.removeLast()
        }
        return false
    }
}
