extension BTFType {
    /// The same type with every type reference passed through `type` and every string offset
    /// through `string` — for moving a type into another BTF (new IDs, new string section).
    public func mapped(type: (TypeID) -> TypeID, string: (StringOffset) -> StringOffset) -> BTFType {
        switch self {
        case .int(var t): t.name = string(t.name); return .int(t)
        case .pointer(let r): return .pointer(BTFReference(name: string(r.name), type: type(r.type)))
        case .typedef(let r): return .typedef(BTFReference(name: string(r.name), type: type(r.type)))
        case .volatile(let r): return .volatile(BTFReference(name: string(r.name), type: type(r.type)))
        case .const(let r): return .const(BTFReference(name: string(r.name), type: type(r.type)))
        case .restrict(let r): return .restrict(BTFReference(name: string(r.name), type: type(r.type)))
        case .array(var a): a.elementType = type(a.elementType); a.indexType = type(a.indexType); return .array(a)
        case .structure(var c):
            c.name = string(c.name)
            c.members = c.members.map { BTFMember(name: string($0.name), type: type($0.type), offset: $0.offset) }
            return .structure(c)
        case .union(var c):
            c.name = string(c.name)
            c.members = c.members.map { BTFMember(name: string($0.name), type: type($0.type), offset: $0.offset) }
            return .union(c)
        case .enumeration(var e):
            e.name = string(e.name)
            e.values = e.values.map { BTFEnumValue(name: string($0.name), value: $0.value) }
            return .enumeration(e)
        case .enum64(var e):
            e.name = string(e.name)
            e.values = e.values.map { BTFEnum64Value(name: string($0.name), value: $0.value) }
            return .enum64(e)
        case .forward(var f): f.name = string(f.name); return .forward(f)
        case .function(var f): f.name = string(f.name); f.proto = type(f.proto); return .function(f)
        case .functionProto(var p):
            p.returnType = type(p.returnType)
            p.parameters = p.parameters.map { BTFParameter(name: string($0.name), type: type($0.type)) }
            return .functionProto(p)
        case .variable(var v): v.name = string(v.name); v.type = type(v.type); return .variable(v)
        case .dataSection(var d):
            d.name = string(d.name)
            d.entries = d.entries.map { BTFDataSectionEntry(type: type($0.type), offset: $0.offset, size: $0.size) }
            return .dataSection(d)
        case .float(var f): f.name = string(f.name); return .float(f)
        case .declTag(var t): t.value = string(t.value); t.target = type(t.target); return .declTag(t)
        case .typeTag(var t): t.value = string(t.value); t.target = type(t.target); return .typeTag(t)
        }
    }
}
