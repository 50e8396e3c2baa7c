/// Decodes DWARF expressions (DWARF 5 §2.5, §7.7.1 Table 7.9) into operations with their operands,
/// for printing and checking. Nested expressions (DW_OP_entry_value) are decoded recursively,
/// bounded to 8 levels. Unknown opcodes stop decoding with an error naming the offset.
public struct DWARFExpression: Sendable {
    public struct Operation: Sendable, Hashable {
        public var opcode: UInt8
        public var name: String
        public var operands: [Int64]
        /// The nested expression of DW_OP_entry_value / DW_OP_GNU_entry_value.
        public var nested: [Operation]
    }

    public var operations: [Operation]

    /// Decodes `bytes[offset..<offset+length]` of a unit's section.
    public init(_ bytes: SectionData, offset: Int, length: Int, unit: UnitHeader, little: Bool) throws(DWARFError) {
        let form = FormContext(unit)
        let section = unit.section
        operations = try withReader(bytes, section, little: little, at: offset, end: offset + length) { (r) throws(DWARFError) in
            try DWARFExpression.decode(&r, form: form, depth: 0)
        }
    }

    static func decode(_ r: inout DWARFReader, form: FormContext, depth: Int) throws(DWARFError) -> [Operation] {
        var ops: [Operation] = []
        while r.pos < r.end {
            let at = r.pos
            let op = try r.u8()
            var operands: [Int64] = []
            var nested: [Operation] = []
            func u(_ v: UInt64) { operands.append(Int64(bitPattern: v)) }
            switch op {
            case 0x03: u(try r.fixed(form.addressSize))
            case 0x08, 0x15, 0x94, 0x95: u(UInt64(try r.u8()))
            case 0x09: operands.append(Int64(Int8(bitPattern: try r.u8())))
            case 0x0a, 0x98: u(try r.fixed(2))
            case 0x0b: operands.append(Int64(Int16(bitPattern: UInt16(try r.fixed(2)))))
            case 0x28, 0x2f: operands.append(Int64(Int16(bitPattern: UInt16(try r.fixed(2)))))
            case 0x0c, 0x99, 0xfa: u(try r.fixed(4))
            case 0x0d: operands.append(Int64(Int32(bitPattern: UInt32(try r.fixed(4)))))
            case 0x0e: u(try r.fixed(8))
            case 0x0f: u(try r.fixed(8))
            case 0x10, 0x23, 0x90, 0x93, 0xa1, 0xa2, 0xa8, 0xa9, 0xf7, 0xf9, 0xfb, 0xfc: u(try r.uleb())
            case 0x11, 0x91: operands.append(try r.sleb())
            case 0x70...0x8f: operands.append(try r.sleb())
            case 0x92: u(try r.uleb()); operands.append(try r.sleb())
            case 0x9d, 0xa5, 0xf5: u(try r.uleb()); u(try r.uleb())
            case 0x9a, 0xfd: u(try r.offset(form.is64))
            case 0xa0, 0xf2:
                u(form.version <= 2 ? try r.fixed(form.addressSize) : try r.offset(form.is64))
                operands.append(try r.sleb())
            case 0x9e:
                let n = try r.uleb()
                guard n <= UInt64(r.end - r.pos) else { throw .truncated(section: r.section, offset: r.pos, needed: Int(clamping: n)) }
                u(n); try r.skip(Int(n))
            case 0xa3, 0xf3:
                let n = try r.uleb()
                guard n <= UInt64(r.end - r.pos), depth < 8 else { throw .truncated(section: r.section, offset: r.pos, needed: Int(clamping: n)) }
                var inner = r
                inner.end = r.pos + Int(n)
                nested = try decode(&inner, form: form, depth: depth + 1)
                r.pos += Int(n)
            case 0xa4, 0xf4:
                u(try r.uleb())
                let n = Int(try r.u8())
                u(UInt64(n)); try r.skip(n)
            case 0xa6, 0xa7, 0xf6: u(UInt64(try r.u8())); u(try r.uleb())
            case 0x06, 0x12...0x14, 0x16...0x27, 0x29...0x2e, 0x30...0x6f, 0x96, 0x97, 0x9b, 0x9c, 0x9f, 0xe0, 0xf0:
                break
            default:
                throw .unknownForm(section: r.section, offset: at, form: UInt64(op))
            }
            ops.append(Operation(opcode: op, name: DWARFExpression.name(op), operands: operands, nested: nested))
        }
        return ops
    }

    static let names: [UInt8: String] = [
        0x03: "addr", 0x06: "deref", 0x08: "const1u", 0x09: "const1s", 0x0a: "const2u", 0x0b: "const2s",
        0x0c: "const4u", 0x0d: "const4s", 0x0e: "const8u", 0x0f: "const8s", 0x10: "constu", 0x11: "consts",
        0x12: "dup", 0x13: "drop", 0x14: "over", 0x15: "pick", 0x16: "swap", 0x17: "rot", 0x18: "xderef",
        0x19: "abs", 0x1a: "and", 0x1b: "div", 0x1c: "minus", 0x1d: "mod", 0x1e: "mul", 0x1f: "neg",
        0x20: "not", 0x21: "or", 0x22: "plus", 0x23: "plus_uconst", 0x24: "shl", 0x25: "shr", 0x26: "shra",
        0x27: "xor", 0x28: "bra", 0x29: "eq", 0x2a: "ge", 0x2b: "gt", 0x2c: "le", 0x2d: "lt", 0x2e: "ne",
        0x2f: "skip", 0x90: "regx", 0x91: "fbreg", 0x92: "bregx", 0x93: "piece", 0x94: "deref_size",
        0x95: "xderef_size", 0x96: "nop", 0x97: "push_object_address", 0x98: "call2", 0x99: "call4",
        0x9a: "call_ref", 0x9b: "form_tls_address", 0x9c: "call_frame_cfa", 0x9d: "bit_piece",
        0x9e: "implicit_value", 0x9f: "stack_value", 0xa0: "implicit_pointer", 0xa1: "addrx", 0xa2: "constx",
        0xa3: "entry_value", 0xa4: "const_type", 0xa5: "regval_type", 0xa6: "deref_type", 0xa7: "xderef_type",
        0xa8: "convert", 0xa9: "reinterpret", 0xe0: "GNU_push_tls_address", 0xf0: "GNU_uninit",
        0xf2: "GNU_implicit_pointer", 0xf3: "GNU_entry_value", 0xf4: "GNU_const_type", 0xf5: "GNU_regval_type",
        0xf6: "GNU_deref_type", 0xf7: "GNU_convert", 0xf9: "GNU_reinterpret", 0xfa: "GNU_parameter_ref",
        0xfb: "GNU_addr_index", 0xfc: "GNU_const_index", 0xfd: "GNU_variable_value",
    ]

    /// `DW_OP_…` name of an opcode.
    public static func name(_ op: UInt8) -> String {
        switch op {
        case 0x30...0x4f: return "DW_OP_lit\(op - 0x30)"
        case 0x50...0x6f: return "DW_OP_reg\(op - 0x50)"
        case 0x70...0x8f: return "DW_OP_breg\(op - 0x70)"
        default: return "DW_OP_" + (names[op] ?? "unknown_0x" + String(op, radix: 16))
        }
    }

    /// All operation names in order, nested ones after their parent.
    public var flattenedNames: [String] {
        func walk(_ ops: [Operation]) -> [String] { ops.flatMap { [$0.name] + walk($0.nested) } }
        return walk(operations)
    }

    /// `DW_OP_fbreg -20, DW_OP_deref` style text.
    public var description: String {
        func render(_ ops: [Operation]) -> String {
            ops.map { o in
                var s = o.name
                if !o.nested.isEmpty { s += "(" + render(o.nested) + ")" }
                else if !o.operands.isEmpty { s += " " + o.operands.map(String.init).joined(separator: " ") }
                return s
            }.joined(separator: ", ")
        }
        return render(operations)
    }
}
