/// Prints DIEs in the form of `llvm-dwarfdump --debug-info --show-form`: a unit header line, then
/// one block per DIE (`0x0000002e:   DW_TAG_structure_type`) with one line per attribute
/// (`DW_AT_name [DW_FORM_string]\t("s")`). Values are rendered per form; references show the
/// target's section offset; blocks and expressions show their bytes.
public struct DIEPrinter {
    public let dwarf: DWARFFile
    public init(_ dwarf: DWARFFile) { self.dwarf = dwarf }

    static func hex(_ v: UInt64, _ width: Int) -> String {
        let s = String(v, radix: 16)
        return "0x" + String(repeating: "0", count: max(0, width - s.count)) + s
    }

    public func header(_ u: UnitHeader) -> String {
        var s = "\(DIEPrinter.hex(UInt64(u.offset), 8)): \(u.kind == .type ? "Type" : "Compile") Unit: length = \(DIEPrinter.hex(u.length, u.is64 ? 16 : 8)), format = \(u.is64 ? "DWARF64" : "DWARF32"), version = \(DIEPrinter.hex(UInt64(u.version), 4))"
        if u.version >= 5 { s += ", unit_type = \(u.kind)" }
        s += ", abbr_offset = \(DIEPrinter.hex(u.abbrevOffset, 4)), addr_size = \(DIEPrinter.hex(UInt64(u.addressSize), 2))"
        if let sig = u.typeSignature { s += ", type_signature = \(DIEPrinter.hex(sig, 16))" }
        if let to = u.typeOffset { s += ", type_offset = \(DIEPrinter.hex(to, 4))" }
        if let id = u.dwoID { s += ", DWO_id = \(DIEPrinter.hex(id, 16))" }
        s += " (next unit at \(DIEPrinter.hex(UInt64(u.end), 8)))"
        return s
    }

    static let fileAttributes: Set<UInt64> = [0x3a, 0x58]   // DW_AT_decl_file, DW_AT_call_file
    /// Attributes of the exprloc class, which DWARF 2 and 3 encode with block forms.
    public static let expressionAttributes: Set<UInt64> = [0x02, 0x19, 0x2a, 0x38, 0x40, 0x46, 0x48, 0x4a, 0x4d, 0x50, 0x7e, 0x85, 0x86, 0x2111, 0x2112, 0x2113]

    /// Renders an attribute value.
    public func value(_ a: Attribute, unit: UnitHeader) -> String {
        if DIEPrinter.fileAttributes.contains(a.name.rawValue), let index = a.value.unsignedValue,
           let path = try? dwarf.fileName(index: index, unit: unit) {
            return "(\"\(path)\")"
        }
        switch a.value {
        case .inlineString, .stringOffset, .stringIndex:
            if let s = try? dwarf.string(a, unit: unit) { return "(\"\(s)\")" }
            return "(<unresolved string>)"
        case .unitReference, .sectionReference:
            guard let target = dwarf.referencedOffset(a, unit: unit) else { return "(<unresolved reference>)" }
            if let name = typeName(at: target, from: a, unit: unit, depth: 0) {
                return "(\(DIEPrinter.hex(UInt64(target.rawValue), 8)) \"\(name)\")"
            }
            return "(\(DIEPrinter.hex(UInt64(target.rawValue), 8)))"
        case .signatureReference(let s): return "(\(DIEPrinter.hex(s, 16)))"
        case .supplementaryReference(let r): return "(alt \(DIEPrinter.hex(r, 8)))"
        case .address(let v): return "(\(DIEPrinter.hex(v, 16)))"
        case .addressIndex(let i):
            if let v = try? dwarf.address(index: i, unit: unit) { return "(indexed (\(DIEPrinter.hex(i, 8))) address = \(DIEPrinter.hex(v, 16)))" }
            return "(indexed (\(DIEPrinter.hex(i, 8))) address = <unresolved>)"
        case .flag(let b):
            if a.form == DWARFForm(0x0c) { return b ? "(0x01)" : "(0x00)" }   // DW_FORM_flag, as llvm shows it
            return b ? "(true)" : "(false)"
        case .data(let v, let size):
            if a.name == .language, let n = DWARFLanguage(v).name { return "(\(n))" }
            if let n = a.name.symbolicName(of: v) { return "(\(n))" }
            return "(\(DIEPrinter.hex(v, size * 2)))"
        case .udata(let v):
            if a.name == .language, let n = DWARFLanguage(v).name { return "(\(n))" }
            if let n = a.name.symbolicName(of: v) { return "(\(n))" }
            return "(\(DIEPrinter.hex(v, 2)))"
        case .implicitConst(let v) where a.name.symbolicName(of: UInt64(bitPattern: v)) != nil:
            return "(\(a.name.symbolicName(of: UInt64(bitPattern: v)) ?? ""))"
        case .sdata(let v), .implicitConst(let v): return "(\(v))"
        case .sectionOffset(let v): return "(\(DIEPrinter.hex(v, unit.is64 ? 16 : 8)))"
        case .loclistIndex(let i): return "(indexed (\(DIEPrinter.hex(i, 8))) loclist)"
        case .rnglistIndex(let i): return "(indexed (\(DIEPrinter.hex(i, 8))) rangelist)"
        case .exprloc(let off, let len),
             .block(let off, let len) where DIEPrinter.expressionAttributes.contains(a.name.rawValue):
            if let e = try? DWARFExpression(dwarf.bytes(of: unit), offset: off, length: len, unit: unit, little: dwarf.little) {
                return "(\(e.description))"
            }
            let body = dwarf.bytes(of: unit).bytes(off..<(off + len)).map { DIEPrinter.hex(UInt64($0), 2) }.joined(separator: " ")
            return "(<\(DIEPrinter.hex(UInt64(len), 2))> \(body))"
        case .block(let off, let len):
            let body = dwarf.bytes(of: unit).bytes(off..<(off + len)).map { DIEPrinter.hex(UInt64($0), 2) }.joined(separator: " ")
            return "(<\(DIEPrinter.hex(UInt64(len), 2))> \(body))"
        case .data16(let off):
            return "(<0x10> " + dwarf.bytes(of: unit).bytes(off..<(off + 16)).map { DIEPrinter.hex(UInt64($0), 2) }.joined(separator: " ") + ")"
        }
    }

    /// The name llvm-dwarfdump shows next to a reference: the target's DW_AT_name, or for unnamed
    /// modifiers and pointers a C-like spelling ("const char *"). Nil when the target can't be read
    /// or has no name; the walk is bounded.
    func typeName(at target: DIEOffset, from a: Attribute, unit: UnitHeader, depth: Int) -> String? {
        guard depth < 16 else { return nil }
        let targetUnit: UnitHeader
        if case .unitReference = a.value { targetUnit = unit }
        else if let u = dwarf.unit(containing: target) { targetUnit = u }
        else { return nil }
        guard var c = try? dwarf.cursor(for: targetUnit, at: target), let die = try? c.next() else { return nil }
        let attrs = c.attributes
        if let n = attrs.first(named: .name), let s = try? dwarf.string(n, unit: targetUnit) { return s }
        var inner: String? = "void"                                    // no DW_AT_type: void
        if let t = attrs.first(named: .type) {
            inner = dwarf.referencedOffset(t, unit: targetUnit).flatMap { typeName(at: $0, from: t, unit: targetUnit, depth: depth + 1) }
        }
        guard let base = inner else { return nil }
        switch die.tag.rawValue {
        case 0x0f: return base + (base.hasSuffix("*") ? "*" : " *")     // pointer
        case 0x10: return base + " &"                                  // reference
        case 0x42: return base + " &&"                                 // rvalue reference
        case 0x26: return "const " + base
        case 0x35: return "volatile " + base
        case 0x37: return base + " restrict"
        case 0x01:                                                     // array: one [n] per subrange
            guard let element = inner else { return nil }
            var dims = ""
            if die.hasChildren {
                while let sub = try? c.next(), sub.depth == 1 {
                    guard sub.tag.rawValue == 0x21 else { continue }       // DW_TAG_subrange_type
                    let sa = c.attributes
                    if let n = sa.first(named: DWARFAttribute(0x37))?.value.unsignedValue { dims += "[\(n)]" }        // count
                    else if let u = sa.first(named: DWARFAttribute(0x2f))?.value.unsignedValue, u < UInt64.max { dims += "[\(u + 1)]" }   // upper_bound
                    else { dims += "[]" }
                }
            }
            return element + (dims.isEmpty ? "[]" : dims)
        default: return nil
        }
    }

    /// Prints one DIE with its attributes.
    public func print<C: Collection>(_ die: DIE, attributes: C, unit: UnitHeader, into out: inout String) where C.Element == Attribute {
        let indent = String(repeating: "  ", count: die.depth)
        out += "\(DIEPrinter.hex(UInt64(die.offset.rawValue), 8)): \(indent)\(die.tag)\n"
        for a in attributes {
            out += "              \(indent)\(a.name) [\(a.form)]\t\(value(a, unit: unit))\n"
        }
        out += "\n"
    }
}
