/// Derived properties (btf-spec §1.8): modifier stripping, resolved size, alignment, pointer size.
/// Every walk is bounded to 32 steps, as libbpf's.
extension BTFFile {
    public static let maxResolveDepth = 32

    /// Follows TYPEDEF/VOLATILE/CONST/RESTRICT/TYPE_TAG links to the first other type.
    public func skipModifiers(_ id: TypeID) throws(BTFError) -> TypeID {
        var cur = id
        for _ in 0..<BTFFile.maxResolveDepth {
            guard let rec = record(cur) else { return cur }
            guard rec.kind.isModifier else { return cur }
            cur = TypeID(rec.sizeOrType)
        }
        throw BTFError(.tooDeep, "modifier chain longer than \(BTFFile.maxResolveDepth) (or a loop)", section: data.section, typeID: id)
    }

    /// Pointer size guessed as libbpf does: from an INT named like `long`/`unsigned long`, else 8.
    public var pointerSize: UInt32 {
        if let b = base { return b.pointerSize }
        let longNames: Set<String> = ["long", "long int", "int long", "unsigned long", "long unsigned",
                                      "unsigned long int", "unsigned int long", "long unsigned int",
                                      "long int unsigned", "int unsigned long", "int long unsigned"]
        for i in 0..<ownTypeCount {
            let r = ownRecord(i)
            if r.kind == .int, r.sizeOrType == 4 || r.sizeOrType == 8, longNames.contains(string(r.nameOffset)) {
                return r.sizeOrType
            }
        }
        return 8
    }

    /// `btf__resolve_size`: size in bytes of a type, through modifiers, VARs, DECL_TAGs and arrays.
    public func resolvedSize(_ id: TypeID) throws(BTFError) -> UInt64 {
        var cur = id
        var multiplier: UInt64 = 1
        for _ in 0..<BTFFile.maxResolveDepth {
            guard let rec = record(cur) else {
                throw BTFError(.notSized, cur == .void ? "void has no size" : "type \(cur) does not exist",
                               section: data.section, typeID: id)
            }
            switch rec.kind {
            case .int, .enumeration, .enum64, .structure, .union, .dataSection, .float:
                let (r, o) = multiplier.multipliedReportingOverflow(by: UInt64(rec.sizeOrType))
                guard !o, r <= UInt64(UInt32.max) else {
                    throw BTFError(.notSized, "size overflows 32 bits", section: data.section, typeID: id)
                }
                return r
            case .pointer:
                return multiplier * UInt64(pointerSize)
            case .typedef, .volatile, .const, .restrict, .typeTag, .variable, .declTag:
                cur = TypeID(rec.sizeOrType)
            case .array:
                let n = UInt64(tailWord(rec, 2))
                let (r, o) = multiplier.multipliedReportingOverflow(by: n)
                guard !o, r <= UInt64(UInt32.max) else {
                    throw BTFError(.notSized, "array size overflows 32 bits", section: data.section, typeID: id)
                }
                multiplier = r
                cur = TypeID(tailWord(rec, 0))
            default:
                throw BTFError(.notSized, "\(rec.kind) \(cur) has no size", section: data.section, typeID: id)
            }
        }
        throw BTFError(.tooDeep, "size resolution deeper than \(BTFFile.maxResolveDepth)", section: data.section, typeID: id)
    }

    /// `btf__align_of`: natural alignment; 1 for a packed struct/union (btf-spec §1.8).
    public func alignment(_ id: TypeID) throws(BTFError) -> UInt64 {
        try alignment(id, depth: 0)
    }

    private func alignment(_ id: TypeID, depth: Int) throws(BTFError) -> UInt64 {
        guard depth < BTFFile.maxResolveDepth else {
            throw BTFError(.tooDeep, "alignment resolution deeper than \(BTFFile.maxResolveDepth)", section: data.section, typeID: id)
        }
        guard let rec = record(id) else {
            throw BTFError(.notSized, "\(id) has no alignment", section: data.section, typeID: id)
        }
        switch rec.kind {
        case .int, .enumeration, .enum64, .float:
            return UInt64(min(pointerSize, max(rec.sizeOrType, 1)))
        case .pointer:
            return UInt64(pointerSize)
        case .typedef, .volatile, .const, .restrict, .typeTag:
            return try alignment(TypeID(rec.sizeOrType), depth: depth + 1)
        case .array:
            return try alignment(TypeID(tailWord(rec, 0)), depth: depth + 1)
        case .structure, .union:
            var maxAlign: UInt64 = 1
            for i in 0..<rec.vlen {
                let mType = TypeID(tailWord(rec, 3 * i + 1))
                let raw = tailWord(rec, 3 * i + 2)
                let bitOffset = rec.kindFlag ? raw & 0xFFFFFF : raw
                let bitfield = rec.kindFlag ? raw >> 24 : 0
                let a = try alignment(mType, depth: depth + 1)
                if bitfield == 0 && UInt64(bitOffset) % (8 * a) != 0 { return 1 }
                maxAlign = max(maxAlign, a)
            }
            if UInt64(rec.sizeOrType) % maxAlign != 0 { return 1 }
            return maxAlign
        default:
            throw BTFError(.notSized, "\(rec.kind) \(id) has no alignment", section: data.section, typeID: id)
        }
    }
}
