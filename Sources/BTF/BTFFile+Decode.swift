/// Decoding raw records into the ``BTFType`` model.
extension BTFFile {
    /// The model of type `id`; nil for void. Throws for IDs past the end or unknown kinds.
    public func type(_ id: TypeID) throws(BTFError) -> BTFType? {
        if id == .void { return nil }
        guard let rec = record(id) else {
            throw BTFError(.typeIDOutOfRange, "type \(id) does not exist (last is [\(typeCount - 1)])",
                           section: data.section, typeID: id)
        }
        return try decode(rec)
    }

    /// Decodes a raw record into the model.
    public func decode(_ rec: BTFRecord) throws(BTFError) -> BTFType {
        let name = rec.nameOffset
        let st = rec.sizeOrType
        @inline(__always) func w(_ i: Int) -> UInt32 { tailWord(rec, i) }
        switch rec.kind {
        case .int: return .int(BTFInt(name: name, size: st, data: w(0)))
        case .pointer: return .pointer(BTFReference(name: name, type: TypeID(st)))
        case .typedef: return .typedef(BTFReference(name: name, type: TypeID(st)))
        case .volatile: return .volatile(BTFReference(name: name, type: TypeID(st)))
        case .const: return .const(BTFReference(name: name, type: TypeID(st)))
        case .restrict: return .restrict(BTFReference(name: name, type: TypeID(st)))
        case .array: return .array(BTFArray(elementType: TypeID(w(0)), indexType: TypeID(w(1)), count: w(2)))
        case .structure, .union:
            var members: [BTFMember] = []
            members.reserveCapacity(rec.vlen)
            for i in 0..<rec.vlen {
                members.append(BTFMember(name: StringOffset(w(3 * i)), type: TypeID(w(3 * i + 1)), offset: w(3 * i + 2)))
            }
            let c = BTFComposite(name: name, size: st, hasBitfieldSizes: rec.kindFlag, members: members)
            return rec.kind == .structure ? .structure(c) : .union(c)
        case .enumeration:
            let values = (0..<rec.vlen).map { i in BTFEnumValue(name: StringOffset(w(2 * i)), value: w(2 * i + 1)) }
            return .enumeration(BTFEnum(name: name, size: st, isSigned: rec.kindFlag, values: values))
        case .enum64:
            let values = (0..<rec.vlen).map { i in
                BTFEnum64Value(name: StringOffset(w(3 * i)), value: UInt64(w(3 * i + 2)) << 32 | UInt64(w(3 * i + 1)))
            }
            return .enum64(BTFEnum64(name: name, size: st, isSigned: rec.kindFlag, values: values))
        case .forward: return .forward(BTFForward(name: name, isUnion: rec.kindFlag))
        case .function:
            return .function(BTFFunction(name: name, proto: TypeID(st), linkage: BTFLinkage(rawValue: UInt32(rec.vlen))))
        case .functionProto:
            let params = (0..<rec.vlen).map { i in BTFParameter(name: StringOffset(w(2 * i)), type: TypeID(w(2 * i + 1))) }
            return .functionProto(BTFFunctionProto(returnType: TypeID(st), parameters: params))
        case .variable: return .variable(BTFVariable(name: name, type: TypeID(st), linkage: BTFLinkage(rawValue: w(0))))
        case .dataSection:
            let entries = (0..<rec.vlen).map { i in
                BTFDataSectionEntry(type: TypeID(w(3 * i)), offset: w(3 * i + 1), size: w(3 * i + 2))
            }
            return .dataSection(BTFDataSection(name: name, size: st, entries: entries))
        case .float: return .float(BTFFloat(name: name, size: st))
        case .declTag:
            return .declTag(BTFDeclTag(value: name, target: TypeID(st), componentIndex: Int32(bitPattern: w(0)),
                                       isAttribute: rec.kindFlag))
        case .typeTag: return .typeTag(BTFTypeTag(value: name, target: TypeID(st), isAttribute: rec.kindFlag))
        default:
            throw BTFError(.unknownKind, "cannot decode unknown kind \(rec.kind.rawValue)", section: data.section,
                           offset: rec.offset + 4, typeID: rec.id)
        }
    }

    /// Decodes every type stored in this blob, in ID order (split BTF: only its own types).
    public func ownTypes() throws(BTFError) -> [BTFType] {
        var out: [BTFType] = []
        out.reserveCapacity(ownTypeCount)
        for i in 0..<ownTypeCount { out.append(try decode(ownRecord(i))) }
        return out
    }
}
