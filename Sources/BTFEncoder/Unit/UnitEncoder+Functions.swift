import BTF
import DWARF

/// Functions, their parameters (with the parameter-register check of consistent_func) and
/// variables: the candidates `FunctionSelection` and `SymbolPolicy` decide on.
extension UnitEncoder {
    /// (`a` is only read; `inout` so that the call does not copy it.)
    @inline(__always)
    mutating func parameter(_ a: inout Attrs, into o: inout Open) {
        var n = name(a)
        var type = a.type
        if let origin = a.origin, n == 0 || type == 0, let (on, ot) = originNameAndType(origin) {
            if n == 0 { n = on }
            if type == 0 { type = ot }
        }
        if n == 0 && isRust && o.kind == .function { n = parameterName(o.vlen) }
        if n == 0 { o.hasUnnamedParam = true }
        if registers != nil && o.kind == .function { checkRegister(&a, index: o.vlen, of: &o) }
        worker.memberWords.append(n)
        worker.memberWords.append(type)
        o.vlen += 1
    }

    /// consistent_func: flags the function when parameter `index` is not where the calling
    /// convention puts it (`ParameterRegisters`). (`a` is only read.)
    mutating func checkRegister(_ a: inout Attrs, index: Int, of o: inout Open) {
        guard let registers, let loc = a.location, o.function?.unexpectedRegister == false,
              registers.isUnexpected(index: index, location: loc, dwarf: dwarf, unit: unit) else { return }
        o.function?.unexpectedRegister = true
    }

    /// The DIE a reference value points at (section offset), if it is a reference.
    func reference(_ v: AttributeValue) -> DIEOffset? {
        switch v {
        case .unitReference(let r):
            let (t, o) = UInt64(unit.offset).addingReportingOverflow(r)
            return o || t > UInt64(Int.max) ? nil : DIEOffset(Int(t))
        case .sectionReference(let r): return r > UInt64(Int.max) ? nil : DIEOffset(Int(r))
        default: return nil
        }
    }

    /// Name and type of the DIE an abstract_origin/specification points at (same unit).
    mutating func originNameAndType(_ origin: AttributeValue) -> (UInt32, UInt32)? {
        guard let off = reference(origin), off.rawValue >= unit.firstDIE, off.rawValue < unit.end,
              var c = try? dwarf.cursor(for: unit, at: off), (try? c.next()) != nil else { return nil }
        let a = gather(c.attributes)
        var n = name(a), t = a.type
        if (n == 0 || t == 0), let o2 = a.origin,
           let off2 = reference(o2), off2 != off, off2.rawValue >= unit.firstDIE, off2.rawValue < unit.end,
           var c2 = try? dwarf.cursor(for: unit, at: off2), (try? c2.next()) != nil {
            let b = gather(c2.attributes)
            if n == 0 { n = name(b) }
            if t == 0 { t = b.type }
        }
        return (n, t)
    }

    /// (`a` is only read; `inout` so that the call does not copy it.)
    mutating func function(_ die: DIE, _ a: inout Attrs) -> Open? {
        if a.declaration { return nil }
        var n = name(a)
        var ret = a.type
        var external = a.external
        var params: [UInt32] = []
        if let origin = a.origin {
            // An out-of-line instance or a definition of an earlier declaration: the prototype is
            // the origin's.
            guard let off = reference(origin), off.rawValue >= unit.firstDIE, off.rawValue < unit.end,
                  var c = try? dwarf.cursor(for: unit, at: off), let od = try? c.next() else { return nil }
            let o = gather(c.attributes)
            if n == 0 { n = name(o) }
            if ret == 0 { ret = o.typeOutside ? externalType(o.typeAbsolute == 0 ? nil : Int(o.typeAbsolute), from: od) : o.type }
            external = external || o.external
            let linkage = a.linkageName ?? o.linkageName
            if options.optimizedFunctions || options.consistentFunctions {
                // pahole 1.31 (FunctionRules): an instance's parameters are its own children
                // (names and types from their origins), so an out-of-line copy that lost a
                // parameter has another prototype than its abstract instance.
                if n == 0 { return nil }
                var own = Open(kind: .function, depth: die.depth, id: 0, name: n, size: 0, returnType: ret)
                let names = symbolNames(name: n, linkage: linkage)
                own.function = FunctionCandidate(name: names.name, symbol: names.symbol, proto: 0, external: external)
                own.dieOffset = die.offset.rawValue
                return own
            }
            var varargs = false
            var unnamed = false
            if od.hasChildren {
                while let p = try? c.next(), p.depth >= 1 {
                    guard p.depth == 1 else { continue }
                    if p.tag.rawValue == DIETag.formalParameter {
                        let pa = gather(c.attributes)
                        var pn = name(pa)
                        if pn == 0 && isRust { pn = parameterName(params.count / 2) }
                        if pn == 0 { unnamed = true }
                        params.append(pn)
                        params.append(pa.typeOutside ? externalType(pa.typeAbsolute == 0 ? nil : Int(pa.typeAbsolute), from: p) : pa.type)
                    } else if p.tag.rawValue == DIETag.unspecifiedParameters { varargs = true }
                }
            }
            if n == 0 { return nil }
            var o2 = Open(kind: .function, depth: die.depth, id: 0, name: n, size: 0, varargs: varargs, hasUnnamedParam: unnamed, returnType: ret)
            let names = symbolNames(name: n, linkage: linkage)
            o2.function = FunctionCandidate(name: names.name, symbol: names.symbol, proto: 0, external: external)
            o2.vlen = params.count / 2
            o2.prefilled = params
            return o2
        }
        if n == 0 { return nil }
        var o = Open(kind: .function, depth: die.depth, id: 0, name: n, size: 0, returnType: ret)
        let names = symbolNames(name: n, linkage: a.linkageName)
        o.function = FunctionCandidate(name: names.name, symbol: names.symbol, proto: 0, external: external)
        o.dieOffset = die.offset.rawValue
        return o
    }

    mutating func variable(_ die: DIE, _ attrs: Attrs) {
        var a = attrs
        if a.declaration { return }
        guard let loc = a.location, let address = staticAddress(loc) else { return }
        var n = name(a)
        if let origin = a.origin, let (on, ot) = originNameAndType(origin) {
            if n == 0 { n = on }
            if a.type == 0 { a.type = ot }
            if !a.external, let off = reference(origin),
               var c = try? dwarf.cursor(for: unit, at: off), (try? c.next()) != nil {
                a.external = gather(c.attributes).external
            }
        }
        guard n != 0 else { return }
        let names = symbolNames(name: n, linkage: a.linkageName)
        out.variables.append(VariableCandidate(name: names.name, symbol: names.symbol, type: a.type, address: address, external: a.external))
    }

    /// The address of a location that is exactly DW_OP_addr or DW_OP_addrx (a static variable).
    func staticAddress(_ loc: AttributeValue) -> UInt64? {
        guard case .exprloc(let off, let len) = loc else {
            if case .block(let off, let len) = loc { return addressOp(off, len) }
            return nil
        }
        return addressOp(off, len)
    }

    func addressOp(_ off: Int, _ len: Int) -> UInt64? {
        let b = dwarf.bytes(of: unit).buffer
        guard len >= 1, off >= 0, off + len <= b.count else { return nil }
        switch b[off] {
        case LocationOperation.addr:
            let size = Int(unit.addressSize)
            guard len == 1 + size else { return nil }
            var v: UInt64 = 0
            for k in 0..<size {
                let byte = UInt64(b[off + 1 + k])
                v |= dwarf.little ? byte << (8 * UInt64(k)) : byte << (8 * UInt64(size - 1 - k))
            }
            return v
        case LocationOperation.addrx, LocationOperation.gnuAddrIndex:
            var v: UInt64 = 0, shift: UInt64 = 0, i = off + 1
            while i < off + len && shift < 64 {
                v |= UInt64(b[i] & 0x7f) << shift
                if b[i] & 0x80 == 0 { break }
                shift += 7; i += 1
            }
            guard i == off + len - 1 else { return nil }
            return try? dwarf.address(index: v, unit: unit)
        default:
            return nil
        }
    }

}
