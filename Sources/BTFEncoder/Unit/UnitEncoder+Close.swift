import BTF
import DWARF

/// Closing collected records (structs, enums, prototypes, functions), annotations, and turning
/// unit-relative DIE offsets into unit-local IDs at the end.
extension UnitEncoder {
    /// (`a` is only read; `inout` so that the call does not copy it.)
    mutating func annotation(_ a: inout Attrs, die: DIE, open: inout [Open]) {
        // btf_decl_tag / btf_type_tag: name is the tag kind, const_value the string.
        guard let nameAttr = a.name, let kindBytes = strings.bytes(nameAttr),
              let v = a.constValue, let value = strings.bytes(v) else { return }
        let kind = String(decoding: kindBytes, as: UTF8.self)
        let valueOffset = worker.strings.intern(value).rawValue
        if kind == "btf_type_tag" {
            guard options.typeTags, let top = open.last, top.kind == .pointer, top.depth == die.depth - 1 else { return }
            // Pointer → TYPE_TAG(value) → previous target.
            open[open.count - 1].returnType = synthetic(name: valueOffset, kind: .typeTag, sizeOrType: top.returnType)
            return
        }
        guard kind == "btf_decl_tag", options.declTags, let top = open.last else { return }
        switch top.kind {
        case .aggregate:
            let component: Int32 = top.depth == die.depth - 1 ? -1 : Int32(top.vlen - 1)
            pendingDeclTags.append((valueOffset, UInt32(top.dieOffset - unit.offset), component))
        case .function, .prototype:
            let component: Int32 = top.depth == die.depth - 1 ? -1 : Int32(top.vlen - 1)
            if top.kind == .function { open[open.count - 1].function?.tags.append((valueOffset, component)) }
        case .skip:
            if top.id != 0 { pendingDeclTags.append((valueOffset, top.id | UnitEncoder.localFlag, -1)) }
        case .enumeration:
            pendingDeclTags.append((valueOffset, top.id | UnitEncoder.localFlag, -1))
        case .pointer, .array, .variantPart, .variant:
            break
        }
    }


    mutating func close(_ o: Open, parents: inout [Open]) throws(DWARFError) {
        let start = worker.memberStarts.popLast() ?? worker.memberWords.count
        // A variant's fields belong to its variant part: they stay.
        if o.kind == .variant { return }
        if o.kind == .variantPart {
            // An anonymous UNION at offset 0 of the enclosing struct, holding first `discr` — an
            // anonymous struct of the enum's size with the discriminant `value` at its true
            // offset — then one member per variant (each a struct with its fields at their true
            // offsets), with a DECL_TAG "discr=N" (or "discr=default") per variant. Nothing
            // overlaps outside the union, so the layout is also valid C.
            var tail: [UInt32] = []
            var tagShift: Int32 = 0
            if let d = o.discriminant {
                let view = synthetic(name: 0, kind: .structure, vlen: 1, sizeOrType: UInt32(truncatingIfNeeded: o.size),
                                     tail: [worker.strings.intern("value").rawValue, d.type, UInt32(truncatingIfNeeded: d.bits)])
                tail += [worker.strings.intern("discr").rawValue, view, 0]
                tagShift = 1
            }
            var k = start
            for _ in 0..<o.vlen {
                tail += [worker.memberWords[k], worker.memberWords[k + 1], 0]
                k += 4
            }
            let union = synthetic(name: 0, kind: .union, vlen: tail.count / 3, sizeOrType: UInt32(truncatingIfNeeded: o.size), tail: tail)
            for t in o.variantTags where options.declTags { pendingDeclTags.append((t.value, union, t.component + tagShift)) }
            worker.memberWords.removeSubrange(start...)
            guard !parents.isEmpty else { return }
            worker.memberWords += [0, union, 0, 0]
            parents[parents.count - 1].vlen += 1
            out.report.note("Rust enum with data: union of the discriminant view and the variants, discr DECL_TAGs", "")
            return
        }
        // The words go once the container is closed. A nested one must give them back before its
        // parent goes on; an outermost one may leave them (the next starts after them, and the
        // unit's words are dropped together when the next unit starts): no truncation per type.
        defer { if !parents.isEmpty { worker.memberWords.removeSubrange(start...) } }
        switch o.kind {
        case .variantPart, .variant:
            return
        case .aggregate:
            if !o.isUnion {       // before the record starts: fixing may add a synthetic type
                sortMembersByOffset(from: start, count: o.vlen)
                fixUnsizedTail(from: start, count: o.vlen, structSize: o.size)
            }
            let id = newID(forOffset: o.dieOffset)
            if options.declTags && !worker.originals.isEmpty {
                if let t = worker.originals[o.name] { pendingDeclTags.append((t, id | UnitEncoder.localFlag, -1)) }
                for m in 0..<o.vlen {
                    if let t = worker.originals[worker.memberWords[start + 4 * m]] { pendingDeclTags.append((t, id | UnitEncoder.localFlag, Int32(m))) }
                }
            }
            begin(id, name: o.name, kind: o.isUnion ? .union : .structure, vlen: o.vlen, kindFlag: o.bitfields,
                  sizeOrType: UInt32(truncatingIfNeeded: o.size))
            // The member words in one append, then filled in place: appended one by one, each
            // word cost a uniqueness check (three per member).
            let first = words.count, bitfields = o.bitfields
            words.append(contentsOf: repeatElement(0, count: 3 * o.vlen))
            words.withUnsafeMutableBufferPointer { w in
                worker.memberWords.withUnsafeBufferPointer { m in
                    var k = start, d = first
                    for _ in 0..<o.vlen where k + 3 < m.count && d + 2 < w.count {
                        let off = m[k + 2], bits = m[k + 3]
                        w[d] = m[k]
                        w[d + 1] = m[k + 1]
                        w[d + 2] = bitfields ? (bits << 24) | (off & 0xFF_FFFF) : off
                        k += 4
                        d += 3
                    }
                }
            }
        case .enumeration where o.size > 8:
            // TYPEDEF of a 16-byte INT, the enumerators as DECL_TAGs "NAME=VALUE" on it.
            let int = synthetic(name: worker.strings.intern(o.signed ? "i128" : "u128").rawValue, kind: .int,
                                sizeOrType: UInt32(truncatingIfNeeded: o.size), tail: [(o.signed ? 1 << 24 : 0) | 128])
            record(o.id, name: o.name, kind: .typedef, sizeOrType: int)
            var k = start
            for _ in 0..<o.vlen where options.declTags {
                pendingDeclTags.append((worker.memberWords[k], o.id | UnitEncoder.localFlag, -1))
                k += 3
            }
            out.report.note("128-bit enum encoded as a typedef of a 16-byte INT, enumerators as DECL_TAGs", "")
        case .enumeration:
            let wide = o.size > 4 && options.enum64
            begin(o.id, name: o.name, kind: wide ? .enum64 : .enumeration, vlen: o.vlen, kindFlag: o.signed,
                  sizeOrType: UInt32(truncatingIfNeeded: wide ? o.size : min(o.size, 4)))
            var k = start
            for _ in 0..<o.vlen {
                words.append(worker.memberWords[k])
                words.append(worker.memberWords[k + 1])
                if wide { words.append(worker.memberWords[k + 2]) }
                k += 3
            }
        case .prototype:
            let n = (worker.memberWords.count - start) / 2 + (o.varargs ? 1 : 0)
            begin(o.id, name: 0, kind: .functionProto, vlen: n, kindFlag: false, sizeOrType: o.returnType)
            words.append(contentsOf: worker.memberWords[start...])
            if o.varargs { words.append(0); words.append(0) }
        case .function:
            guard var f = o.function else { return }
            // pahole skips functions with an unnamed parameter (the kernel requires names).
            if o.hasUnnamedParam {
                out.report.note("function with an unnamed parameter skipped (as pahole)", "function DIE")
                return
            }
            var tail = Array(worker.memberWords[start...])
            if o.varargs { tail.append(0); tail.append(0) }
            f.proto = out.protos.count
            out.protos.append(name: .empty, kind: .functionProto, vlen: tail.count / 2, sizeOrType: o.returnType, tail: tail)
            out.functions.append(f)
        case .pointer:
            record(newID(forOffset: o.dieOffset), name: 0, kind: .pointer, sizeOrType: o.returnType)
        case .array:
            // One ARRAY of all dimensions' elements, as pahole (the index type is patched in at
            // the end); no dimension: a flexible array.
            arrayRecord(o.id, element: o.returnType, index: UnitEncoder.localFlag, count: o.vlen == 0 ? 0 : UInt32(clamping: o.size))
        case .skip:
            break
        }
    }

    /// Members in bit-offset order, stably (the kernel requires it; rustc reorders fields and
    /// lists them in declaration order). Counted in `--stats` when anything moved.
    mutating func sortMembersByOffset(from start: Int, count: Int) {
        var sorted = true
        var k = start + 4
        for _ in 1..<max(count, 1) {
            if worker.memberWords[k + 2] < worker.memberWords[k - 2] { sorted = false; break }
            k += 4
        }
        guard !sorted else { return }
        var members: [(UInt32, UInt32, UInt32, UInt32)] = []
        for m in 0..<count {
            let b = start + 4 * m
            members.append((worker.memberWords[b], worker.memberWords[b + 1], worker.memberWords[b + 2], worker.memberWords[b + 3]))
        }
        let order = members.indices.sorted { (members[$0].2, $0) < (members[$1].2, $1) }
        for (m, i) in order.enumerated() {
            let b = start + 4 * m
            (worker.memberWords[b], worker.memberWords[b + 1], worker.memberWords[b + 2], worker.memberWords[b + 3]) = members[i]
        }
        out.report.note("members sorted by offset (declared out of layout order)", "")
    }

    /// A member that starts at or past the end of its struct and has a non-zero size is the
    /// unsized tail of a dynamically sized type (Rust `CStr { inner: [i8] }` has size 0 and an `i8`
    /// member): it becomes a flexible array of its type, which is what it is, so the struct stays
    /// within its size as the kernel requires.
    /// Members are in offset order here (`sortMembersByOffset`): only a trailing run of them can
    /// start at or past the end, so the loop starts there, not at the first member.
    mutating func fixUnsizedTail(from start: Int, count: Int, structSize: UInt64) {
        let end = structSize &* 8
        var first = count
        while first > 0 && UInt64(worker.memberWords[start + 4 * (first - 1) + 2]) >= end { first -= 1 }
        for m in first..<count {
            let b = start + 4 * m
            guard worker.memberWords[b + 3] == 0, UInt64(worker.memberWords[b + 2]) >= end else { continue }
            let type = worker.memberWords[b + 1]
            guard type & UnitEncoder.localFlag == 0, type != 0, (typeByteSize(type) ?? 0) > 0 else { continue }
            needsIndexType = true
            worker.memberWords[b + 1] = synthetic(name: 0, kind: .array, sizeOrType: 0, tail: [type, UnitEncoder.localFlag, 0])
            out.report.note("unsized tail member (dynamically sized type) encoded as a flexible array", "member at bit \(worker.memberWords[b + 2])")
        }
    }

    /// The byte size of the type at unit-relative DIE offset `rel`, following typedefs and
    /// qualifiers (bounded); nil when unknown.
    mutating func typeByteSize(_ rel: UInt32) -> UInt64? {
        guard var c = try? lookupCursor(at: DIEOffset(unit.offset + Int(rel))) else { return nil }
        defer { recycle(c) }
        for step in 0..<16 {
            guard let d = try? c.next() else { return nil }
            if let size = c.attribute(DWARFAttribute(0x0b))?.value.unsignedValue { return size }
            switch d.tag.rawValue {
            case DIETag.pointerType, DIETag.referenceType, DIETag.rvalueReferenceType: return UInt64(unit.addressSize)
            case DIETag.typedef, DIETag.constType, DIETag.volatileType, DIETag.restrictType, DIETag.atomicType:
                guard step < 15, let t = c.attribute(.type), let next = dwarf.referencedOffset(t, unit: unit),
                      (try? c.restart(at: next)) != nil else { return nil }
            default: return nil
            }
        }
        return nil
    }

    /// Starts a record whose tail the caller appends to `words`.
    mutating func begin(_ id: UInt32, name: UInt32, kind: BTFKind, vlen: Int, kindFlag: Bool, sizeOrType: UInt32) {
        recordIDs.append(id)
        starts.append(words.count)
        words.append(name)
        words.append(TypeInfo(kind: kind, vlen: vlen, kindFlag: kindFlag).rawValue)
        words.append(sizeOrType)
    }

    /// Turns DIE references into unit-local IDs, orders the records by ID and adds decl tags.
    mutating func finish() {
        for (value, target, component) in pendingDeclTags {
            _ = synthetic(name: value, kind: .declTag, sizeOrType: target, tail: [UInt32(bitPattern: component)])
        }
        var sorted = true
        for k in recordIDs.indices.dropFirst() where recordIDs[k] < recordIDs[k - 1] { sorted = false; break }
        var table = BTFTypeTable()
        if sorted {
            // Moved, not shared: the type fields are rewritten in place below, and a buffer
            // this encoder still held would be copied first (a copy of every unit's records).
            swap(&table.words, &words)
            swap(&table.starts, &starts)
        } else {
            let order = recordIDs.indices.sorted { recordIDs[$0] < recordIDs[$1] }
            table.words.reserveCapacity(words.count)
            for k in order {
                let s = starts[k], e = k + 1 < starts.count ? starts[k + 1] : words.count
                table.starts.append(table.words.count)
                table.words.append(contentsOf: words[s..<e])
            }
        }
        out.hasArrays = needsIndexType
        out.intID = indexTypeID
        out.isRust = isRust
        let index = UInt32(table.count + 1), generation = worker.generation
        var protos = out.protos
        out.protos = BTFTypeTable()
        var variables = out.variables
        out.variables = []
        var positions: [UInt32] = []
        swap(&positions, &worker.fieldPositions)
        defer { swap(&positions, &worker.fieldPositions) }
        worker.entry.withUnsafeBufferPointer { entry in
            worker.stamp.withUnsafeBufferPointer { stamp in
                worker.aliases.withUnsafeBufferPointer { aliases in
                    let resolve = { (ref: UInt32) -> UInt32 in
                        UnitEncoder.resolveRef(ref, index: index, entry: entry, stamp: stamp, aliases: aliases, generation: generation)
                    }
                    UnitEncoder.resolveTypeFields(&table, positions: &positions, resolve)
                    out.typeFieldPositions = positions          // shared; the next use starts a fresh buffer
                    UnitEncoder.resolveTypeFields(&protos, positions: &positions, resolve)
                    for k in variables.indices { variables[k].type = resolve(variables[k].type) }
                    if isRust {
                        // Every DIE that produced a type, by .debug_info offset, for other units' references.
                        let size = min(unit.end - unit.offset, entry.count)
                        var exports: [UInt32: UInt32] = [:]
                        for rel in 0..<size where stamp[rel] == generation {
                            let id = resolve(UInt32(rel))
                            if id != 0 { exports[UInt32(truncatingIfNeeded: unit.offset + rel)] = id }
                        }
                        out.exports = exports
                    }
                }
            }
        }
        out.protos = protos
        out.variables = variables
        out.types = table
    }

    /// Rewrites every type-ID field of `t` through `resolve`: the field positions first (from the
    /// BTF module), then one loop here, where `resolve` is inlined. (Through `rewriteTypeFields`,
    /// in another module, each field cost a closure call.)
    @inline(__always)
    static func resolveTypeFields(_ t: inout BTFTypeTable, positions: inout [UInt32], _ resolve: (UInt32) -> UInt32) {
        positions.removeAll(keepingCapacity: true)
        t.typeFieldPositions(of: 0..<t.count, into: &positions)
        t.words.withUnsafeMutableBufferPointer { w in
            for p in positions where Int(p) < w.count { w[Int(p)] = resolve(w[Int(p)]) }
        }
    }

    static func resolveRef(_ ref: UInt32, index: UInt32, entry: UnsafeBufferPointer<UInt32>, stamp: UnsafeBufferPointer<UInt32>,
                           aliases: UnsafeBufferPointer<UInt32>, generation: UInt32) -> UInt32 {
        if ref == 0 { return 0 }
        if ref == UnitEncoder.localFlag { return index }
        if ref & UnitEncoder.localFlag != 0 { return ref & ~UnitEncoder.localFlag }
        var rel = Int(ref)
        for _ in 0..<16 {
            guard rel < entry.count, stamp[rel] == generation else { return 0 }
            let e = entry[rel]
            if e & UnitEncoder.aliasFlag == 0 { return e }
            let k = Int(e & ~UnitEncoder.aliasFlag)
            guard k < aliases.count else { return 0 }
            let target = aliases[k]
            if target == 0 { return 0 }
            rel = Int(target)
        }
        return 0
    }
}
