/// Phase C (btf-spec §2.4): `btf_check_all_types` — the kernel's explicit-stack DFS over type
/// references, with its sink rules, loop detection, resolved sizes and member layout checks.
extension ValidatorState {
    enum Step { case pushed, popped }

    mutating func checkAllTypes() throws(ValidationFailure) {
        visit = Array(repeating: .notVisited, count: offsets.count)
        resolvedIDs = Array(repeating: 0, count: offsets.count)
        resolvedSizes = Array(repeating: 0, count: offsets.count)
        for i in 0..<offsets.count {
            let id = startID + UInt32(i)
            guard let t = view(id) else { continue }
            if t.needsResolve && !isResolved(id) { try resolve(t) }
            if t.kind == .functionProto { try checkFunctionProto(t) }
        }
    }

    // MARK: - Resolution bookkeeping

    func isResolved(_ id: UInt32) -> Bool {
        if id < startID { return true }
        let i = Int(id - startID)
        return i < visit.count && visit[i] == .resolved
    }

    /// `btf_resolved_type_id` (base types resolve through the base BTF).
    func resolvedID(_ id: UInt32) -> UInt32 {
        if id >= startID {
            let i = Int(id - startID)
            return i < resolvedIDs.count ? resolvedIDs[i] : 0
        }
        guard let base, let skipped = try? base.skipModifiers(TypeID(id)) else { return 0 }
        if let r = base.record(skipped), r.kind == .variable { return r.sizeOrType }
        return skipped.rawValue
    }

    func resolvedSize(_ id: UInt32) -> UInt32 {
        if id >= startID {
            let i = Int(id - startID)
            return i < resolvedSizes.count ? resolvedSizes[i] : 0
        }
        guard let base, let s = try? base.resolvedSize(TypeID(id)) else { return 0 }
        return UInt32(truncatingIfNeeded: s)
    }

    func resolveSink(_ next: TypeView) -> Bool {
        switch mode {
        case .tbd: return !next.needsResolve
        case .pointer: return !next.isModifier && next.kind != .pointer
        case .aggregate: return !next.isModifier && next.kind != .array && !next.isStruct
        }
    }

    mutating func push(_ t: TypeView) throws(ValidationFailure) {
        if stack.count == ValidatorState.maxResolveDepth { throw PushFailure.tooDeep.failure(self, t) }
        guard t.id >= startID else { throw PushFailure.loop.failure(self, t) }
        let i = Int(t.id - startID)
        if visit[i] != .notVisited { throw PushFailure.loop.failure(self, t) }
        visit[i] = .visited
        stack.append(Vertex(id: t.id, nextMember: 0))
        if mode == .tbd {
            if t.kind == .pointer { mode = .pointer } else if t.isStruct || t.kind == .array { mode = .aggregate }
        }
    }

    mutating func popResolved(_ resolvedID: UInt32, _ size: UInt32) {
        guard let top = stack.popLast() else { return }
        let i = Int(top.id - startID)
        resolvedIDs[i] = resolvedID
        resolvedSizes[i] = size
        visit[i] = .resolved
    }

    /// `btf_type_id_size`: follows a resolved modifier/var to a sized type; nil when there is none.
    func typeIDSize(_ id: UInt32) -> (id: UInt32, size: UInt32, view: TypeView)? {
        guard let t = view(id), !t.noSize else { return nil }
        if t.hasSize { return (id, t.sizeOrType, t) }
        if t.kind == .array { return (id, resolvedSize(id), t) }
        if t.kind == .pointer { return (id, options.pointerSize, t) }
        guard t.isModifier || t.kind == .variable else { return nil }
        let rid = resolvedID(id)
        guard let r = view(rid), !r.noSize else { return nil }
        if r.hasSize { return (rid, r.sizeOrType, r) }
        if r.kind == .array { return (rid, resolvedSize(rid), r) }
        if r.kind == .pointer { return (rid, options.pointerSize, r) }
        return nil
    }

    // MARK: - Driver

    /// `btf_resolve`: one DFS from `t`, then the final consistency check.
    mutating func resolve(_ t: TypeView) throws(ValidationFailure) {
        mode = .tbd
        stack.removeAll(keepingCapacity: true)
        try push(t)
        while let top = stack.last {
            guard let v = view(top.id) else { break }
            try resolveOne(v, nextMember: top.nextMember)
        }
        guard resolveValid(t) else {
            throw typeFail(t, "Invalid resolve state")
        }
    }

    func typeFail(_ t: TypeView, _ msg: String, _ errno: ValidationFailure.Errno = .EINVAL, at: Int? = nil) -> ValidationFailure {
        fail(msg, errno, id: t.id, offset: at ?? (t.offset >= 0 ? t.offset : nil), phase: "resolve")
    }

    private func resolveValid(_ t: TypeView) -> Bool {
        let id = t.id
        guard isResolved(id) else { return false }
        if t.isStruct || t.kind == .dataSection { return resolvedID(id) == 0 && resolvedSize(id) == 0 }
        if t.kind == .declTag || t.kind == .function { return resolvedID(id) != 0 && resolvedSize(id) == 0 }
        if t.isModifier || t.kind == .pointer || t.kind == .variable {
            guard let r = view(resolvedID(id)) else { return false }
            return !r.isModifier && r.kind != .variable && r.kind != .dataSection
        }
        if t.kind == .array {
            guard let e = typeIDSize(word(t, 0)) else { return false }
            return !e.view.isModifier && UInt64(word(t, 2)) * UInt64(e.size) == UInt64(resolvedSize(id))
        }
        return false
    }

    private mutating func resolveOne(_ v: TypeView, nextMember: Int) throws(ValidationFailure) {
        switch v.kind {
        case .typedef, .volatile, .const, .restrict, .typeTag: try resolveModifier(v)
        case .pointer: try resolvePointer(v)
        case .array: try resolveArray(v)
        case .structure, .union: try resolveStruct(v, nextMember: nextMember)
        case .variable: try resolveVariable(v)
        case .dataSection: try resolveDataSection(v, nextMember: nextMember)
        case .function: try resolveFunction(v)
        case .declTag: try resolveDeclTag(v)
        default: popResolved(0, 0)
        }
    }

    // MARK: - Per-kind resolution

    private mutating func resolveModifier(_ v: TypeView) throws(ValidationFailure) {
        let nextID = v.sizeOrType
        guard let next = view(nextID), !next.isSourceOnly else { throw typeFail(v, "Invalid type_id", at: v.offset + 8) }
        if !resolveSink(next) && !isResolved(nextID) { try push(next); return }
        try finishReference(v, nextID: nextID, next: next)
    }

    private mutating func resolvePointer(_ v: TypeView) throws(ValidationFailure) {
        let nextID = v.sizeOrType
        guard let next = view(nextID), !next.isSourceOnly else { throw typeFail(v, "Invalid type_id", at: v.offset + 8) }
        if !resolveSink(next) && !isResolved(nextID) { try push(next); return }
        if next.isModifier {
            let rid = resolvedID(nextID)
            if let r = view(rid), r.kind == .pointer, !resolveSink(r), !isResolved(rid) { try push(r); return }
        }
        try finishReference(v, nextID: nextID, next: next)
    }

    /// The common end of modifier and pointer resolution: the target must be sized, or be void,
    /// FWD or FUNC_PROTO ("typedef void t", "const void", function pointers).
    private mutating func finishReference(_ v: TypeView, nextID: UInt32, next: TypeView) throws(ValidationFailure) {
        var nextID = nextID
        var next = next
        if let sized = typeIDSize(nextID) {
            nextID = sized.id
        } else {
            if isResolved(nextID) {
                nextID = resolvedID(nextID)
                next = view(nextID) ?? ValidatorState.void
            }
            if !next.isVoid && next.kind != .forward && next.kind != .functionProto {
                throw typeFail(v, "Invalid type_id", at: v.offset + 8)
            }
        }
        popResolved(nextID, 0)
    }

    private mutating func resolveArray(_ v: TypeView) throws(ValidationFailure) {
        let indexID = word(v, 1)
        guard let index = view(indexID), !index.noSize, !index.isSourceOnly else {
            throw typeFail(v, "Invalid index", at: v.offset + 16)
        }
        if !resolveSink(index) && !isResolved(indexID) { try push(index); return }
        guard let idx = typeIDSize(indexID), idx.view.kind == .int, isRegularInt(idx.view) else {
            throw typeFail(v, "Invalid index", at: v.offset + 16)
        }
        let elemID = word(v, 0)
        guard let elem = view(elemID), !elem.noSize, !elem.isSourceOnly else {
            throw typeFail(v, "Invalid elem", at: v.offset + 12)
        }
        if !resolveSink(elem) && !isResolved(elemID) { try push(elem); return }
        guard let e = typeIDSize(elemID) else { throw typeFail(v, "Invalid elem", at: v.offset + 12) }
        if e.view.kind == .int && !isRegularInt(e.view) { throw typeFail(v, "Invalid array of int", at: v.offset + 12) }
        let n = word(v, 2)
        if n != 0 && UInt64(e.size) > UInt64(UInt32.max) / UInt64(n) {
            throw typeFail(v, "Array size overflows U32_MAX", at: v.offset + 20)
        }
        popResolved(e.id, e.size &* n)
    }

    private mutating func resolveStruct(_ v: TypeView, nextMember: Int) throws(ValidationFailure) {
        if nextMember > 0 {
            let i = nextMember - 1
            let mType = word(v, 3 * i + 1)
            guard isResolved(mType), let mt = view(mType) else { throw typeFail(v, "Invalid member") }
            try checkMember(v, index: i, memberType: mt)
        }
        var i = nextMember
        while i < v.vlen {
            let mType = word(v, 3 * i + 1)
            guard let mt = view(mType), !mt.noSize, !mt.isSourceOnly else {
                throw typeFail(v, "Invalid member", at: v.offset + 12 + 12 * i + 4)
            }
            if !resolveSink(mt) && !isResolved(mType) {
                stack[stack.count - 1].nextMember = i + 1
                try push(mt)
                return
            }
            try checkMember(v, index: i, memberType: mt)
            i += 1
        }
        popResolved(0, 0)
    }

    private mutating func resolveVariable(_ v: TypeView) throws(ValidationFailure) {
        var nextID = v.sizeOrType
        guard let next = view(nextID), !next.isSourceOnly else { throw typeFail(v, "Invalid type_id", at: v.offset + 8) }
        if !resolveSink(next) && !isResolved(nextID) { try push(next); return }
        if next.isModifier {
            let rid = resolvedID(nextID)
            if let r = view(rid), r.kind == .pointer, !resolveSink(r), !isResolved(rid) { try push(r); return }
        }
        guard let sized = typeIDSize(nextID) else { throw typeFail(v, "Invalid type_id", at: v.offset + 8) }
        nextID = sized.id
        popResolved(nextID, 0)
    }

    private mutating func resolveDataSection(_ v: TypeView, nextMember: Int) throws(ValidationFailure) {
        var i = nextMember
        while i < v.vlen {
            let eo = v.offset + 12 + 12 * i
            let varID = word(v, 3 * i)
            guard let vt = view(varID), vt.kind == .variable else { throw typeFail(v, "Not a VAR kind member", at: eo) }
            if !resolveSink(vt) && !isResolved(varID) {
                stack[stack.count - 1].nextMember = i + 1
                try push(vt)
                return
            }
            guard let sized = typeIDSize(vt.sizeOrType) else { throw typeFail(v, "Invalid type", at: eo) }
            if word(v, 3 * i + 2) < sized.size { throw typeFail(v, "Invalid size", at: eo + 8) }
            i += 1
        }
        popResolved(0, 0)
    }

    private mutating func resolveFunction(_ v: TypeView) throws(ValidationFailure) {
        guard let proto = view(v.sizeOrType), proto.kind == .functionProto else {
            throw typeFail(v, "Invalid type_id", at: v.offset + 8)
        }
        for i in 0..<proto.vlen where word(proto, 2 * i) == 0 && word(proto, 2 * i + 1) != 0 {
            throw typeFail(v, "Invalid arg#\(i + 1)", at: proto.offset >= 0 ? proto.offset + 12 + 8 * i : nil)
        }
        popResolved(v.sizeOrType, 0)
    }

    private mutating func resolveDeclTag(_ v: TypeView) throws(ValidationFailure) {
        let nextID = v.sizeOrType
        guard var next = view(nextID),
              next.kind == .function || next.isStruct || next.kind == .variable || next.kind == .typedef
        else { throw typeFail(v, "Invalid type_id", at: v.offset + 8) }
        if !resolveSink(next) && !isResolved(nextID) { try push(next); return }
        let idx = Int32(bitPattern: word(v, 0))
        if idx != -1 {
            if next.kind == .variable || next.kind == .typedef { throw typeFail(v, "Invalid component_idx", at: v.offset + 12) }
            if !next.isStruct { next = view(next.sizeOrType) ?? ValidatorState.void }
            if UInt32(bitPattern: idx) >= UInt32(next.vlen) { throw typeFail(v, "Invalid component_idx", at: v.offset + 12) }
        }
        popResolved(nextID, 0)
    }

    // MARK: - FUNC_PROTO (`btf_func_proto_check`)

    mutating func checkFunctionProto(_ t: TypeView) throws(ValidationFailure) {
        if t.sizeOrType != 0 {
            let retID = t.sizeOrType
            guard let ret = view(retID), !ret.isSourceOnly else { throw typeFail(t, "Invalid return type", at: t.offset + 8) }
            if ret.needsResolve && !isResolved(retID) { try resolve(ret) }
            guard typeIDSize(retID) != nil else { throw typeFail(t, "Invalid return type", at: t.offset + 8) }
        }
        var n = t.vlen
        if n == 0 { return }
        if word(t, 2 * (n - 1) + 1) == 0 {
            if word(t, 2 * (n - 1)) != 0 { throw typeFail(t, "Invalid arg#\(n)", at: t.offset + 12 + 8 * (n - 1)) }
            n -= 1
        }
        for i in 0..<n {
            let at = t.offset + 12 + 8 * i
            let argID = word(t, 2 * i + 1)
            guard let arg = view(argID), !arg.isSourceOnly else { throw typeFail(t, "Invalid arg#\(i + 1)", at: at + 4) }
            let nm = word(t, 2 * i)
            if nm != 0 && (!nameOffsetValid(nm) || !validIdentifier(nm)) { throw typeFail(t, "Invalid arg#\(i + 1)", at: at) }
            if arg.needsResolve && !isResolved(argID) { try resolve(arg) }
            guard typeIDSize(argID) != nil else { throw typeFail(t, "Invalid arg#\(i + 1)", at: at + 4) }
        }
    }
}

/// The two ways pushing onto the resolve stack fails.
enum PushFailure {
    case tooDeep, loop
    func failure(_ s: ValidatorState, _ t: TypeView) -> ValidationFailure {
        let root = s.stack.first.map { $0.id } ?? t.id
        let off = s.view(root).map { $0.offset >= 0 ? $0.offset : -1 } ?? -1
        switch self {
        case .tooDeep:
            return s.fail("Exceeded max resolving depth", .E2BIG, id: root, offset: off >= 0 ? off : nil, phase: "resolve")
        case .loop:
            return s.fail("Loop detected", .EEXIST, id: root, offset: off >= 0 ? off : nil, phase: "resolve")
        }
    }
}
