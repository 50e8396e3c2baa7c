import BTF
import DWARF

/// Type DIEs: base types, arrays, references into other units, and the dispatch of the rest.
extension UnitEncoder {
    /// Handles a DIE that defines a type; returns an `Open` when its children must be collected.
    /// (`a` is only read: it is passed `inout` so that the call does not copy it.)
    mutating func typeDIE(_ die: DIE, _ a: inout Attrs) throws(DWARFError) -> Open? {
        let tag = die.tag.rawValue
        switch tag {
        case DIETag.baseType, DIETag.pointerType, DIETag.referenceType, DIETag.rvalueReferenceType, DIETag.ptrToMemberType, DIETag.constType, DIETag.volatileType, DIETag.restrictType, DIETag.typedef, DIETag.structureType, DIETag.classType, DIETag.unionType, DIETag.enumerationType, DIETag.arrayType, DIETag.subroutineType, DIETag.atomicType, DIETag.unspecifiedType, DIETag.immutableType, DIETag.sharedType:
            break
        default:
            return nil
        }
        switch tag {
        case DIETag.baseType: baseType(die, a)
        case DIETag.pointerType, DIETag.referenceType, DIETag.rvalueReferenceType, DIETag.ptrToMemberType:
            if tag != 0x0f { out.report.note("C++ reference or pointer-to-member encoded as PTR", "DIE \(die.offset)") }
            guard die.hasChildren else {
                record(newID(for: die), name: 0, kind: .pointer, sizeOrType: a.type)
                return nil
            }
            // Type tags are its children; as pahole, they get IDs before the pointer.
            return Open(kind: .pointer, depth: die.depth, id: 0, name: 0, size: 0, returnType: a.type, dieOffset: die.offset.rawValue)
        case DIETag.constType: record(newID(for: die), name: 0, kind: .const, sizeOrType: a.type)
        case DIETag.volatileType: record(newID(for: die), name: 0, kind: .volatile, sizeOrType: a.type)
        case DIETag.restrictType: record(newID(for: die), name: 0, kind: .restrict, sizeOrType: a.type)
        case DIETag.atomicType, DIETag.immutableType, DIETag.sharedType:
            out.report.note("DW_TAG_\(tag == DIETag.atomicType ? "atomic" : tag == DIETag.immutableType ? "immutable" : "shared")_type dropped (BTF has no such qualifier)", "DIE \(die.offset)")
            alias(die, to: a.type)
        case DIETag.unspecifiedType:
            alias(die, to: 0)                          // unspecified type ("void", nullptr_t)
        case DIETag.typedef:
            let id = newID(for: die)
            let n = typeName(a.name)
            record(id, name: n, kind: .typedef, sizeOrType: a.type)
            if options.declTags, let t = worker.originals[n] { pendingDeclTags.append((t, id | UnitEncoder.localFlag, -1)) }
            return Open(kind: .skip, depth: die.depth, id: id, name: 0, size: 0, dieOffset: die.offset.rawValue)
        case DIETag.structureType, DIETag.classType, DIETag.unionType:
            let n = typeName(a.name)
            if a.declaration || a.byteSize == nil {
                let id = newID(for: die)
                record(id, name: n, kind: .forward, kindFlag: tag == DIETag.unionType, sizeOrType: 0)
                return die.hasChildren ? Open(kind: .skip, depth: die.depth, id: id, name: n, size: 0) : nil
            }
            // As pahole: types nested in the aggregate get their IDs first; the aggregate's is
            // assigned when it closes.
            return Open(kind: .aggregate, depth: die.depth, id: 0, name: n, size: a.byteSize ?? 0, isUnion: tag == DIETag.unionType, dieOffset: die.offset.rawValue)
        case DIETag.enumerationType:
            let id = newID(for: die)
            var signed = false
            if a.type != 0 { signed = baseTypeIsSigned(a.type) }
            return Open(kind: .enumeration, depth: die.depth, id: id, name: typeName(a.name), size: a.byteSize ?? 4, signed: signed, dieOffset: die.offset.rawValue)
        case DIETag.arrayType:
            guard die.hasChildren && !options.nestedArrays else {
                try array(die, &a)
                return nil
            }
            // The dimensions are its children, read as the walk reaches them (`addDimension`).
            needsIndexType = true
            return Open(kind: .array, depth: die.depth, id: newID(for: die), name: 0, size: 1, returnType: a.type)
        case DIETag.subroutineType:
            let id = newID(for: die)
            return Open(kind: .prototype, depth: die.depth, id: id, name: 0, size: 0, returnType: a.type)
        default: break
        }
        return nil
    }

    /// How a DW_TAG_base_type becomes BTF, as pahole does: a FLOAT for a real float of a FLOAT
    /// size (feature `float`), else an INT of 1...16 bytes with its encoding bits (signed,
    /// signed_char, signed_fixed → SIGNED; boolean → BOOL) and bit width; nil for other sizes.
    static func baseTypeShape(encoding: UInt64, size: UInt64, bitSize: UInt64?, floats: Bool) -> (kind: BTFKind, tail: [UInt32])? {
        if encoding == 0x04 && floats && [2, 4, 8, 12, 16].contains(size) { return (.float, []) }
        guard size >= 1 && size <= 16 else { return nil }
        let enc: UInt32 = [0x05, 0x06, 0x0d].contains(encoding) ? 1 : encoding == 0x02 ? 4 : 0
        return (.int, [(enc << 24) | UInt32(min(bitSize ?? size * 8, size * 8))])
    }

    mutating func baseType(_ die: DIE, _ a: Attrs) {
        let size = a.byteSize ?? 0
        let id = newID(for: die)
        let n = rawName(a)
        guard let shape = UnitEncoder.baseTypeShape(encoding: a.encoding, size: size, bitSize: a.bitSize, floats: options.floats) else {
            // `()` and other zero-size types, or wider than any BTF INT: an empty struct keeps
            // the size (and needs an identifier name).
            out.report.note("base type of size 0 or wider than 16 bytes encoded as an empty struct of its size", "DIE \(die.offset)")
            record(id, name: name(a), kind: .structure, sizeOrType: UInt32(truncatingIfNeeded: size))
            return
        }
        if shape.kind == .int {
            if n == 0 { out.report.note("unnamed base type", "DIE \(die.offset)") }
            if intTypeDIE == 0 && size == 4 && shape.tail[0] >> 24 == 1 && worker.strings.text(n) == "int" {
                intTypeDIE = UInt32(die.offset.rawValue - unit.offset)
                indexTypeID = id
            }
        }
        record(id, name: n, kind: shape.kind, sizeOrType: UInt32(size), tail: shape.tail)
    }

    /// A cursor at `offset` of this unit for following a reference: the spare one, moved there,
    /// when there is one (give it back with `recycle`), else a new one.
    mutating func lookupCursor(at offset: DIEOffset) throws(DWARFError) -> DIECursor {
        if var c = spareCursor.take() {            // moved out, not copied
            try c.restart(at: offset)
            return c
        }
        return try dwarf.cursor(for: unit, at: offset)
    }

    mutating func recycle(_ c: consuming DIECursor) { spareCursor = consume c }


    /// Whether the type at unit-relative `rel` (an enumeration's underlying type) is a signed base
    /// type, following typedefs and qualifiers; remembered per unit, as a unit's enumerations
    /// mostly share a few underlying types.
    mutating func baseTypeIsSigned(_ rel: UInt32) -> Bool {
        if let known = signedTypes[rel] { return known }
        let signed = findBaseTypeIsSigned(rel)
        signedTypes[rel] = signed
        return signed
    }

    private mutating func findBaseTypeIsSigned(_ rel: UInt32) -> Bool {
        guard var c = try? lookupCursor(at: DIEOffset(unit.offset + Int(rel))) else { return false }
        defer { recycle(c) }
        guard var cur = try? c.next() else { return false }
        // Follow typedefs/qualifiers to the base type (bounded).
        for _ in 0..<8 where cur.tag.rawValue != 0x24 {
            guard let t = c.attribute(.type), let off = dwarf.referencedOffset(t, unit: unit),
                  (try? c.restart(at: off)) != nil, let next = try? c.next() else { return false }
            cur = next
        }
        let enc = c.attribute(DWARFAttribute(0x3e))?.value.unsignedValue ?? 0
        return enc == 0x05 || enc == 0x06 || enc == 0x0d
    }

    /// The element count of one dimension (a DW_TAG_subrange_type or enumeration index):
    /// DW_AT_count, else upper bound + 1 - lower bound; a bound of -1 means flexible (0).
    static func dimension(_ s: inout Attrs) -> UInt32 {
        var n: UInt64 = 0
        if let count = s.count { n = count }
        else if let ub = s.upperBound {
            switch ub {
            case .sdata(let v) where v < 0: n = 0                       // -1: flexible
            case .data(let v, 8) where v == UInt64.max: n = 0
            default: if let v = ub.unsignedValue { n = v &+ 1 &- (s.lowerBound ?? 0) }
            }
        }
        return UInt32(clamping: n)
    }

    /// The element count of all dimensions so far, kept from overflowing as pahole does.
    static func product(_ total: UInt64, _ d: UInt32) -> UInt64 {
        total.multipliedReportingOverflow(by: UInt64(d)).overflow ? UInt64(UInt32.max) : total * UInt64(d)
    }

    /// A dimension of the open array (`Open.size`: the product so far, `vlen`: dimensions).
    static func addDimension(_ s: inout Attrs, to o: inout Open) {
        o.size = product(o.size, dimension(&s))
        o.vlen += 1
    }

    /// An array without children (no dimension: flexible), or, with `nested_arrays`, one ARRAY
    /// per dimension: its subranges read here, ahead of the walk, so that the inner arrays'
    /// IDs follow the outer one's. (`a` is only read; `inout` so that the call does not copy it.)
    mutating func array(_ die: DIE, _ a: inout Attrs) throws(DWARFError) {
        var dims: [UInt32] = []
        if die.hasChildren {
            var c = try lookupCursor(at: die.offset)
            defer { recycle(c) }
            _ = try c.next()
            while let sub = try c.next(), sub.depth >= 1 {
                guard sub.depth == 1 else { continue }
                guard sub.tag.rawValue == DIETag.subrangeType || sub.tag.rawValue == DIETag.enumerationType else { continue }
                var s = gather(c.attributes)
                dims.append(UnitEncoder.dimension(&s))
            }
        }
        if dims.isEmpty { dims = [0] }
        needsIndexType = true
        let index = UnitEncoder.localFlag        // patched to the index type at the end
        if options.nestedArrays && dims.count > 1 {
            let id = newID(for: die)
            var inner = a.type
            for d in dims.dropFirst().reversed() {
                let synthetic = syntheticID()
                arrayRecord(synthetic, element: inner, index: index, count: d)
                inner = synthetic | UnitEncoder.localFlag
            }
            arrayRecord(id, element: inner, index: index, count: dims[0])
        } else {
            var total: UInt64 = 1
            for d in dims { total = UnitEncoder.product(total, d) }
            arrayRecord(newID(for: die), element: a.type, index: index, count: UInt32(clamping: total))
        }
    }

    /// A reference into another unit (DW_FORM_ref_addr: LTO, several codegen units): an empty
    /// STRUCT with the target's name and size, so layouts and kernel rules hold (never void,
    /// which no member may have). Counted in --stats. Cached per target in this unit.
    mutating func externalType(_ absolute: Int?, from die: DIE) -> UInt32 {
        guard let absolute else {
            out.report.note("reference of an unsupported form encoded as void", "DIE \(die.offset)")
            return 0
        }
        if let known = externalTypes[absolute] { return known }
        var name: UInt32 = 0
        var size: UInt64 = 0
        // A base type in another unit is the same everywhere: encode it here.
        if let u = dwarf.unit(containing: DIEOffset(absolute)), var c = try? dwarf.cursor(for: u, at: DIEOffset(absolute)),
           let d = try? c.next(), d.tag.rawValue == 0x24 {
            let attrs = c.attributes
            let s = attrs.first(named: DWARFAttribute(0x0b))?.value.unsignedValue ?? 0
            let enc = attrs.first(named: DWARFAttribute(0x3e))?.value.unsignedValue ?? 0
            if let n = attrs.first(named: .name), let text = try? dwarf.string(n, unit: u) {
                name = worker.strings.intern(text).rawValue      // as it is, like a local base type
            }
            let bitSize = attrs.first(named: DWARFAttribute(0x0d))?.value.unsignedValue
            if let shape = UnitEncoder.baseTypeShape(encoding: enc, size: s, bitSize: bitSize, floats: options.floats) {
                let id = synthetic(name: name, kind: shape.kind, sizeOrType: UInt32(s), tail: shape.tail)
                out.report.note("base type in another unit (DW_FORM_ref_addr) encoded in the referencing unit", "DIE \(die.offset)")
                externalTypes[absolute] = id
                return id
            }
        }
        if let u = dwarf.unit(containing: DIEOffset(absolute)) {
            var off = DIEOffset(absolute)
            for step in 0..<16 {
                guard var c = try? dwarf.cursor(for: u, at: off), let d = try? c.next() else { break }
                let attrs = c.attributes
                if step == 0 || name == 0, let n = attrs.first(named: .name), let text = try? dwarf.string(n, unit: u) {
                    name = worker.strings.intern(NamePolicy.escape(text)).rawValue
                }
                if let s = attrs.first(named: DWARFAttribute(0x0b))?.value.unsignedValue { size = s; break }
                if d.tag.rawValue == 0x0f || d.tag.rawValue == 0x10 || d.tag.rawValue == 0x42 { size = UInt64(u.addressSize); break }
                guard let t = attrs.first(named: .type), let next = dwarf.referencedOffset(t, unit: u) else { break }
                off = next
            }
        }
        // An opaque struct of the target's name and size stands in until every unit is encoded;
        // then references to it go to the target's own type (or it stays, counted, if there is none).
        let id = synthetic(name: name, kind: .structure, sizeOrType: UInt32(truncatingIfNeeded: size))
        externalTypes[absolute] = id
        out.externalRefs.append((local: id & ~UnitEncoder.localFlag, target: UInt32(truncatingIfNeeded: absolute)))
        return id
    }

}
