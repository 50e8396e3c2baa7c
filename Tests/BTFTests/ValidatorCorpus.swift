import BTF

/// Hand-built BTF blobs, each with the verdict the kernel gives (nil = accepted, else the kernel's
/// message). Each expectation was checked against kernel 6.18's BPF_BTF_LOAD, and
/// `ValidatorCorpusTests.testCorpusAgreesWithRunningKernel` re-checks it on every run where the
/// kernel is available.
struct CorpusCase {
    let name: String
    let bytes: [UInt8]
    let expect: String?
}

enum ValidatorCorpus {
    // MARK: Builders

    /// A builder holding `int` as type [1].
    static func btf(_ body: (inout BTFBuilder) -> Void) -> [UInt8] {
        var b = BTFBuilder()
        b.add(.int(BTFInt(name: b.string("int"), size: 4, encoding: .signed, bits: 32)))
        body(&b)
        return b.build()
    }

    /// Raw record words.
    static func rec(_ name: UInt32 = 0, kind: UInt8, vlen: Int = 0, kflag: Bool = false, _ st: UInt32, _ tail: [UInt32] = []) -> [UInt32] {
        [name, UInt32(kind) << 24 | UInt32(vlen) | (kflag ? 0x8000_0000 : 0), st] + tail
    }

    static func patch(_ bytes: [UInt8], at offset: Int, _ value: UInt32) -> [UInt8] {
        var b = bytes
        withUnsafeBytes(of: value.littleEndian) { for i in 0..<4 { b[offset + i] = $0[i] } }
        return b
    }

    static let i: TypeID = TypeID(1)  // the int every blob starts with

    static func ident(_ n: Int) -> String { String(repeating: "a", count: n) }

    // MARK: Cases

    static var all: [CorpusCase] {
        var c: [CorpusCase] = []
        func add(_ name: String, _ expect: String?, _ bytes: [UInt8]) { c.append(CorpusCase(name: name, bytes: bytes, expect: expect)) }
        let valid = btf { _ in }

        // Header and sections (btf-spec §2.1)
        add("minimal valid", nil, valid)
        add("blob shorter than 8 bytes", "hdr_len not found", Array(valid.prefix(6)))
        add("hdr_len past end", "btf_header not found", patch(valid, at: 4, 1000))
        add("bad magic", "Invalid magic", { var b = valid; b[0] = 0x00; return b }())
        add("big-endian blob", "btf_header not found", { var b = BTFBuilder(); b.add(.int(BTFInt(name: b.string("int"), size: 4, encoding: .signed, bits: 32))); return b.build(endianness: .big) }())
        add("version 2", "Unsupported version", { var b = valid; b[2] = 2; return b }())
        add("flags 1", "Unsupported flags", { var b = valid; b[3] = 1; return b }())
        add("32-byte header, zero layout", nil, { var b = BTFBuilder(); b.add(.int(BTFInt(name: b.string("int"), size: 4, encoding: .signed, bits: 32))); return b.build(headerLength: 32) }())
        add("32-byte header, non-zero layout", "Unsupported btf_header", { var b = BTFBuilder(); b.add(.int(BTFInt(name: b.string("int"), size: 4, encoding: .signed, bits: 32))); return patch(b.build(headerLength: 32), at: 28, 4) }())
        add("header only", "No data", { var h = BTFHeader(); h.headerLength = 24; return h.encoded(.little) }())
        add("gap between types and strings", "Unsupported section found", {
            var b = valid; b.insert(contentsOf: [0, 0, 0, 0], at: 24 + 16)
            return patch(patch(b, at: 16, 20), at: 20, UInt32(b.count - 24 - 20)) }())
        add("overlapping sections", "Section overlap found", patch(valid, at: 16, 12))
        add("trailing bytes after strings", "Unsupported section found", valid + [0, 0, 0, 0])
        add("section offset past data", "Invalid section offset", patch(valid, at: 16, 4096))
        add("section too long", "Total section length too long", patch(valid, at: 20, 4096))
        add("empty string section", "Invalid string section", { let b = Array(valid.prefix(24 + 16)); return patch(b, at: 20, 0) }())
        add("string section not starting with NUL", "Invalid string section", { var b = valid; b[24 + 16] = 0x41; return b }())
        add("string section not ending with NUL", "Invalid string section", { var b = valid; b[b.count - 1] = 0x41; return b }())
        add("no types", "No type found", { var b = BTFBuilder(); _ = b.string("x"); return b.build() }())
        func stringsFirst(_ strings: [UInt8]) -> [UInt8] {
            var b = BTFBuilder(); b.addRaw(words: rec(kind: 2, 0))
            var h = BTFHeader(); h.headerLength = 24; h.stringOffset = 0; h.stringLength = UInt32(strings.count)
            h.typeOffset = UInt32(strings.count); h.typeLength = 12
            return h.encoded(.little) + strings + b.typeSection(endianness: .little)
        }
        add("strings before types", "String section is not at the end", stringsFirst([0, 0x61, 0x62, 0]))
        add("strings before types, not NUL-started", "String section is not at the end", stringsFirst([0x41, 0x61, 0x62, 0]))
        add("truncated common record", "meta_left:4 meta_needed:12", btf { b in b.addRaw(words: [0]) })
        add("truncated INT tail", "meta_left:0 meta_needed:4", btf { b in b.addRaw(words: rec(kind: 1, 4)) })

        // Common record checks (btf-spec §2.2)
        add("reserved info bits", "Invalid btf_info", btf { b in b.addRaw(words: rec(kind: 2, vlen: 0x10000, 0)) })
        add("kind 0", "Invalid kind:0", btf { b in b.addRaw(words: rec(kind: 0, 0)) })
        add("kind 20", "Invalid kind:20", btf { b in b.addRaw(words: rec(kind: 20, 0)) })
        add("name offset past strings", "Invalid name_offset", btf { b in b.addRaw(words: rec(5000, kind: 8, 1)) })

        // INT
        add("INT vlen", "vlen != 0", btf { b in b.addRaw(words: rec(kind: 1, vlen: 1, 4, [32])) })
        add("INT kind_flag", "Invalid btf_info kind_flag", btf { b in b.addRaw(words: rec(kind: 1, kflag: true, 4, [32])) })
        add("INT reserved data bits", "Invalid int_data", btf { b in b.addRaw(words: rec(kind: 1, 4, [0x1000_0020])) })
        add("INT 129 bits", "nr_bits exceeds 128", btf { b in b.addRaw(words: rec(kind: 1, 32, [129])) })
        add("INT bits beyond size", "nr_bits exceeds type_size", btf { b in b.addRaw(words: rec(kind: 1, 4, [33])) })
        add("INT SIGNED|CHAR", "Unsupported encoding", btf { b in b.addRaw(words: rec(kind: 1, 1, [0x0300_0008])) })
        add("INT size 0 bits 0", nil, btf { b in b.addRaw(words: rec(kind: 1, 0, [0])) })
        add("INT size 3 bits 24", nil, btf { b in b.addRaw(words: rec(kind: 1, 3, [24])) })
        add("INT 128-bit", nil, btf { b in b.add(.int(BTFInt(name: b.string("__int128"), size: 16, encoding: .signed, bits: 128))) })
        add("INT with bit offset", nil, btf { b in b.addRaw(words: rec(kind: 1, 1, [0x0004_0004])) })
        add("INT name with space", nil, btf { b in b.add(.int(BTFInt(name: b.string("unsigned int"), size: 4, encoding: .none, bits: 32))) })
        add("INT BOOL", nil, btf { b in b.add(.int(BTFInt(name: b.string("_Bool"), size: 1, encoding: .bool, bits: 8))) })

        // PTR and modifiers
        add("PTR with name", "Invalid name", btf { b in b.add(.pointer(BTFReference(name: b.string("p"), type: i))) })
        add("PTR vlen", "vlen != 0", btf { b in b.addRaw(words: rec(kind: 2, vlen: 1, 1)) })
        add("PTR kind_flag", "Invalid btf_info kind_flag", btf { b in b.addRaw(words: rec(kind: 2, kflag: true, 1)) })
        add("PTR type id above 0xfffff", "Invalid type_id", btf { b in b.addRaw(words: rec(kind: 2, 0x100000)) })
        add("PTR to missing type", "Invalid type_id", btf { b in b.add(.pointer(BTFReference(type: TypeID(50)))) })
        add("PTR to void", nil, btf { b in b.add(.pointer(BTFReference(type: .void))) })
        add("CONST void", nil, btf { b in b.add(.const(BTFReference(type: .void))) })
        add("VOLATILE with name", "Invalid name", btf { b in b.add(.volatile(BTFReference(name: b.string("v"), type: i))) })
        add("RESTRICT pointer", nil, btf { b in let p = b.add(.pointer(BTFReference(type: i))); b.add(.restrict(BTFReference(type: p))) })
        add("TYPEDEF without name", "Invalid name", btf { b in b.add(.typedef(BTFReference(type: i))) })
        add("TYPEDEF name starting with digit", "Invalid name", btf { b in b.add(.typedef(BTFReference(name: b.string("1abc"), type: i))) })
        add("TYPEDEF name with dash", "Invalid name", btf { b in b.add(.typedef(BTFReference(name: b.string("a-b"), type: i))) })
        add("TYPEDEF name a.b", nil, btf { b in b.add(.typedef(BTFReference(name: b.string("a.b"), type: i))) })
        add("TYPEDEF name .ab", nil, btf { b in b.add(.typedef(BTFReference(name: b.string(".ab"), type: i))) })
        add("TYPEDEF name of 512 bytes", nil, btf { b in b.add(.typedef(BTFReference(name: b.string(ident(512)), type: i))) })
        add("TYPEDEF name of 513 bytes", "Invalid name", btf { b in b.add(.typedef(BTFReference(name: b.string(ident(513)), type: i))) })
        add("TYPEDEF to void", nil, btf { b in b.add(.typedef(BTFReference(name: b.string("v"), type: .void))) })
        add("TYPEDEF to FUNC_PROTO", nil, btf { b in let p = b.add(.functionProto(BTFFunctionProto(returnType: i, parameters: []))); b.add(.typedef(BTFReference(name: b.string("fn"), type: p))) })
        add("TYPEDEF to VAR", "Invalid type_id", btf { b in let v = b.add(.variable(BTFVariable(name: b.string("x"), type: i, linkage: .global))); b.add(.typedef(BTFReference(name: b.string("t"), type: v))) })
        add("typedef T T", "Loop detected", btf { b in b.add(.typedef(BTFReference(name: b.string("T"), type: TypeID(2)))) })
        add("PTR <-> CONST cycle", "Loop detected", btf { b in b.add(.pointer(BTFReference(type: TypeID(3)))); b.add(.const(BTFReference(type: TypeID(2)))) })
        add("CONST to FWD", nil, btf { b in let f = b.add(.forward(BTFForward(name: b.string("s"), isUnion: false))); b.add(.const(BTFReference(type: f))) })
        add("CONST to FUNC", nil, btf { b in
            let p = b.add(.functionProto(BTFFunctionProto(returnType: i, parameters: [])))
            let f = b.add(.function(BTFFunction(name: b.string("f"), proto: p, linkage: .global)))
            b.add(.const(BTFReference(type: f))) })
        add("33 CONSTs referencing forward", "Exceeded max resolving depth", btf { b in
            for k in 0..<33 { b.add(.const(BTFReference(type: TypeID(UInt32(3 + k))))) }
            b.add(.const(BTFReference(type: i))) })
        add("40 CONSTs referencing backward", nil, btf { b in
            var prev = i
            for _ in 0..<40 { prev = b.add(.const(BTFReference(type: prev))) } })
        add("32 CONSTs referencing forward", nil, btf { b in
            for k in 0..<31 { b.add(.const(BTFReference(type: TypeID(UInt32(3 + k))))) }
            b.add(.const(BTFReference(type: i))) })
        add("TYPE_TAG without value", "Invalid name", btf { b in b.add(.typeTag(BTFTypeTag(value: .empty, target: i))) })
        add("TYPE_TAG kind_flag", nil, btf { b in let t = b.add(.typeTag(BTFTypeTag(value: b.string("noderef"), target: i, isAttribute: true))); b.add(.pointer(BTFReference(type: t))) })
        add("PTR -> TYPE_TAG -> CONST -> int", nil, btf { b in
            let cst = b.add(.const(BTFReference(type: i)))
            let tag = b.add(.typeTag(BTFTypeTag(value: b.string("user"), target: cst)))
            b.add(.pointer(BTFReference(type: tag))) })
        add("PTR -> CONST -> TYPE_TAG -> int", "Type tags don't precede modifiers", btf { b in
            let tag = b.add(.typeTag(BTFTypeTag(value: b.string("user"), target: i)))
            let cst = b.add(.const(BTFReference(type: tag)))
            b.add(.pointer(BTFReference(type: cst))) })
        add("TYPEDEF -> TYPE_TAG", "Type tags don't precede modifiers", btf { b in
            let tag = b.add(.typeTag(BTFTypeTag(value: b.string("user"), target: i)))
            b.add(.typedef(BTFReference(name: b.string("t"), type: tag))) })
        add("PTR kind_flag on TYPE_TAG value with spaces", nil, btf { b in
            let tag = b.add(.typeTag(BTFTypeTag(value: b.string("a b c"), target: i)))
            b.add(.pointer(BTFReference(type: tag))) })

        // FWD
        add("FWD without name", "Invalid name", btf { b in b.add(.forward(BTFForward(name: .empty, isUnion: false))) })
        add("FWD union", nil, btf { b in b.add(.forward(BTFForward(name: b.string("u"), isUnion: true))) })
        add("FWD vlen", "vlen != 0", btf { b in b.addRaw(words: rec(b.string("s").rawValue, kind: 7, vlen: 1, 0)) })
        add("FWD type field", "type != 0", btf { b in b.addRaw(words: rec(b.string("s").rawValue, kind: 7, 1)) })

        // ARRAY
        add("ARRAY with name", "Invalid name", btf { b in b.addRaw(words: rec(b.string("a").rawValue, kind: 3, 0, [1, 1, 4])) })
        add("ARRAY element void", "Invalid elem", btf { b in b.add(.array(BTFArray(elementType: .void, indexType: i, count: 4))) })
        add("ARRAY index void", "Invalid index", btf { b in b.add(.array(BTFArray(elementType: i, indexType: .void, count: 4))) })
        add("ARRAY size field", "size != 0", btf { b in b.addRaw(words: rec(kind: 3, 16, [1, 1, 4])) })
        add("ARRAY kind_flag", "Invalid btf_info kind_flag", btf { b in b.addRaw(words: rec(kind: 3, kflag: true, 0, [1, 1, 4])) })
        add("ARRAY index is a struct", "Invalid index", btf { b in
            let s = b.add(.structure(BTFComposite(name: b.string("s"), size: 4, members: [BTFMember(name: b.string("x"), type: i, offset: 0)])))
            b.add(.array(BTFArray(elementType: i, indexType: s, count: 2))) })
        add("ARRAY of 3-bit int", "Invalid array of int", btf { b in
            let bits = b.add(.int(BTFInt(name: b.string("u3"), size: 1, encoding: .none, bits: 3)))
            b.add(.array(BTFArray(elementType: bits, indexType: i, count: 2))) })
        add("ARRAY of zero elements", nil, btf { b in b.add(.array(BTFArray(elementType: i, indexType: i, count: 0))) })
        add("ARRAY size overflows u32", "Array size overflows U32_MAX", btf { b in b.add(.array(BTFArray(elementType: i, indexType: i, count: 0x4000_0001))) })
        add("ARRAY index through typedef", nil, btf { b in
            let t = b.add(.typedef(BTFReference(name: b.string("idx"), type: i)))
            b.add(.array(BTFArray(elementType: i, indexType: t, count: 3))) })
        add("ARRAY of FWD", "Invalid elem", btf { b in
            let f = b.add(.forward(BTFForward(name: b.string("s"), isUnion: false)))
            b.add(.array(BTFArray(elementType: f, indexType: i, count: 3))) })
        add("ARRAY of FUNC_PROTO", "Invalid elem", btf { b in
            let p = b.add(.functionProto(BTFFunctionProto(returnType: i, parameters: [])))
            b.add(.array(BTFArray(elementType: p, indexType: i, count: 3))) })
        add("ARRAY of arrays", nil, btf { b in
            let inner = b.add(.array(BTFArray(elementType: i, indexType: i, count: 6)))
            b.add(.array(BTFArray(elementType: inner, indexType: i, count: 5))) })

        // STRUCT / UNION
        func member(_ b: inout BTFBuilder, _ n: String, _ t: TypeID, _ bits: UInt32) -> BTFMember { BTFMember(name: b.string(n), type: t, offset: bits) }
        add("STRUCT valid", nil, btf { b in b.add(.structure(BTFComposite(name: b.string("s"), size: 8, members: [member(&b, "a", i, 0), member(&b, "b", i, 32)]))) })
        add("STRUCT name with space", "Invalid name", btf { b in b.add(.structure(BTFComposite(name: b.string("a b"), size: 4, members: [member(&b, "a", i, 0)]))) })
        add("member name invalid", "Invalid name", btf { b in b.add(.structure(BTFComposite(name: b.string("s"), size: 4, members: [member(&b, "a-b", i, 0)]))) })
        add("member of type void", "Invalid type_id", btf { b in b.add(.structure(BTFComposite(name: b.string("s"), size: 4, members: [member(&b, "a", .void, 0)]))) })
        add("member name offset invalid", "Invalid member name_offset", btf { b in b.add(.structure(BTFComposite(name: b.string("s"), size: 4, members: [BTFMember(name: StringOffset(9999), type: i, offset: 0)]))) })
        add("UNION member at non-zero offset", "Invalid member bits_offset", btf { b in b.add(.union(BTFComposite(name: b.string("u"), size: 8, members: [member(&b, "a", i, 0), member(&b, "b", i, 32)]))) })
        add("STRUCT offsets decreasing", "Invalid member bits_offset", btf { b in b.add(.structure(BTFComposite(name: b.string("s"), size: 8, members: [member(&b, "a", i, 32), member(&b, "b", i, 0)]))) })
        add("member offset past struct size", "Member bits_offset exceeds its struct size", btf { b in b.add(.structure(BTFComposite(name: b.string("s"), size: 4, members: [member(&b, "a", i, 64)]))) })
        add("member of FWD type", "Invalid member", btf { b in
            let f = b.add(.forward(BTFForward(name: b.string("f"), isUnion: false)))
            b.add(.structure(BTFComposite(name: b.string("s"), size: 4, members: [member(&b, "a", f, 0)]))) })
        add("member of VAR type", "Invalid member", btf { b in
            let v = b.add(.variable(BTFVariable(name: b.string("x"), type: i, linkage: .global)))
            b.add(.structure(BTFComposite(name: b.string("s"), size: 4, members: [member(&b, "a", v, 0)]))) })
        add("struct A { struct A a; }", "Loop detected", btf { b in b.add(.structure(BTFComposite(name: b.string("A"), size: 4, members: [member(&b, "a", TypeID(2), 0)]))) })
        add("struct A { struct A *a; }", nil, btf { b in
            b.add(.structure(BTFComposite(name: b.string("A"), size: 8, members: [member(&b, "a", TypeID(3), 0)])))
            b.add(.pointer(BTFReference(type: TypeID(2)))) })
        add("two members at the same offset", nil, btf { b in b.add(.structure(BTFComposite(name: b.string("s"), size: 4, members: [member(&b, "a", i, 0), member(&b, "b", i, 0)]))) })
        add("anonymous member", nil, btf { b in
            let inner = b.add(.union(BTFComposite(name: .empty, size: 4, members: [member(&b, "x", i, 0)])))
            b.add(.structure(BTFComposite(name: b.string("s"), size: 4, members: [BTFMember(name: .empty, type: inner, offset: 0)]))) })
        add("int member exceeds struct", "Member exceeds struct_size", btf { b in b.add(.structure(BTFComposite(name: b.string("s"), size: 2, members: [member(&b, "a", i, 0)]))) })
        add("pointer member not byte aligned", "Member is not byte aligned", btf { b in
            let p = b.add(.pointer(BTFReference(type: i)))
            b.add(.structure(BTFComposite(name: b.string("s"), size: 16, members: [member(&b, "p", p, 4)]))) })
        add("pointer member exceeds struct", "Member exceeds struct_size", btf { b in
            let p = b.add(.pointer(BTFReference(type: i)))
            b.add(.structure(BTFComposite(name: b.string("s"), size: 4, members: [member(&b, "p", p, 0)]))) })
        add("kflag bitfields", nil, btf { b in
            b.add(.structure(BTFComposite(name: b.string("s"), size: 4, hasBitfieldSizes: true, members: [
                BTFMember(name: b.string("a"), type: i, bitOffset: 0, bitfieldSize: 3),
                BTFMember(name: b.string("b"), type: i, bitOffset: 3, bitfieldSize: 5)]))) })
        add("kflag bitfield wider than int", "Invalid member bitfield_size", btf { b in
            b.add(.structure(BTFComposite(name: b.string("s"), size: 8, hasBitfieldSizes: true, members: [
                BTFMember(name: b.string("a"), type: i, bitOffset: 0, bitfieldSize: 40)]))) })
        add("kflag member of irregular int", "Invalid member base type", btf { b in
            let u3 = b.add(.int(BTFInt(name: b.string("u3"), size: 1, encoding: .none, bits: 3)))
            b.add(.structure(BTFComposite(name: b.string("s"), size: 4, hasBitfieldSizes: true, members: [
                BTFMember(name: b.string("a"), type: u3, bitOffset: 0, bitfieldSize: 2)]))) })
        add("kflag non-bitfield int misaligned", "Invalid member offset", btf { b in
            b.add(.structure(BTFComposite(name: b.string("s"), size: 8, hasBitfieldSizes: true, members: [
                BTFMember(name: b.string("a"), type: i, bitOffset: 3, bitfieldSize: 0)]))) })
        add("kflag enum bitfield over 32 bits", "Invalid member bitfield_size", btf { b in
            let e = b.add(.enum64(BTFEnum64(name: b.string("e"), size: 8, isSigned: false, values: [BTFEnum64Value(name: b.string("E"), value: 1)])))
            b.add(.structure(BTFComposite(name: b.string("s"), size: 8, hasBitfieldSizes: true, members: [
                BTFMember(name: b.string("a"), type: e, bitOffset: 0, bitfieldSize: 33)]))) })
        add("kflag 8-byte ENUM64 in 4-byte struct", nil, btf { b in
            let e = b.add(.enum64(BTFEnum64(name: b.string("e"), size: 8, isSigned: false, values: [BTFEnum64Value(name: b.string("E"), value: 1)])))
            b.add(.structure(BTFComposite(name: b.string("s"), size: 4, hasBitfieldSizes: true, members: [
                BTFMember(name: b.string("a"), type: e, bitOffset: 0, bitfieldSize: 0)]))) })
        add("kflag pointer with bitfield size", "Invalid member bitfield_size", btf { b in
            let p = b.add(.pointer(BTFReference(type: i)))
            b.add(.structure(BTFComposite(name: b.string("s"), size: 8, hasBitfieldSizes: true, members: [
                BTFMember(name: b.string("p"), type: p, bitOffset: 0, bitfieldSize: 4)]))) })
        add("double member misaligned", "Member is not properly aligned", btf { b in
            let d = b.add(.float(BTFFloat(name: b.string("double"), size: 8)))
            b.add(.structure(BTFComposite(name: b.string("s"), size: 16, members: [member(&b, "d", d, 32)]))) })
        add("array member exceeds struct", "Member exceeds struct_size", btf { b in
            let a = b.add(.array(BTFArray(elementType: i, indexType: i, count: 4)))
            b.add(.structure(BTFComposite(name: b.string("s"), size: 8, members: [member(&b, "a", a, 0)]))) })
        add("enum member not byte aligned", "Member is not byte aligned", btf { b in
            let e = b.add(.enumeration(BTFEnum(name: b.string("e"), size: 4, isSigned: false, values: [BTFEnumValue(name: b.string("E"), value: 1)])))
            b.add(.structure(BTFComposite(name: b.string("s"), size: 8, members: [member(&b, "e", e, 4)]))) })
        add("flexible array member at the end", nil, btf { b in
            let a = b.add(.array(BTFArray(elementType: i, indexType: i, count: 0)))
            b.add(.structure(BTFComposite(name: b.string("s"), size: 4, members: [member(&b, "n", i, 0), member(&b, "data", a, 32)]))) })
        add("typedef'd member resolved", nil, btf { b in
            let t = b.add(.typedef(BTFReference(name: b.string("u"), type: i)))
            b.add(.structure(BTFComposite(name: b.string("s"), size: 4, members: [member(&b, "a", t, 0)]))) })
        add("struct member of 33-deep typedef chain", "Exceeded max resolving depth", btf { b in
            b.add(.structure(BTFComposite(name: b.string("s"), size: 4, members: [member(&b, "a", TypeID(3), 0)])))
            for k in 0..<32 { b.add(.typedef(BTFReference(name: b.string("t\(k)"), type: TypeID(UInt32(4 + k))))) }
            b.add(.typedef(BTFReference(name: b.string("tend"), type: i))) })

        // ENUM / ENUM64
        add("ENUM size 3", "Unexpected size", btf { b in b.add(.enumeration(BTFEnum(name: b.string("e"), size: 3, isSigned: false, values: []))) })
        add("ENUM size 16", "Unexpected size", btf { b in b.add(.enumeration(BTFEnum(name: b.string("e"), size: 16, isSigned: false, values: []))) })
        add("ENUM value without name", "Invalid name", btf { b in b.add(.enumeration(BTFEnum(name: b.string("e"), size: 4, isSigned: false, values: [BTFEnumValue(name: .empty, value: 1)]))) })
        add("ENUM value name offset invalid", "Invalid name_offset", btf { b in b.add(.enumeration(BTFEnum(name: b.string("e"), size: 4, isSigned: false, values: [BTFEnumValue(name: StringOffset(7777), value: 1)]))) })
        add("ENUM forward (vlen 0)", nil, btf { b in b.add(.enumeration(BTFEnum(name: b.string("e"), size: 4, isSigned: false, values: []))) })
        add("ENUM of size 8", nil, btf { b in b.add(.enumeration(BTFEnum(name: b.string("e"), size: 8, isSigned: true, values: [BTFEnumValue(name: b.string("A"), value: UInt32(bitPattern: -1))]))) })
        add("ENUM64 signed", nil, btf { b in b.add(.enum64(BTFEnum64(name: b.string("e"), size: 8, isSigned: true, values: [BTFEnum64Value(name: b.string("BIG"), value: UInt64(bitPattern: -5))]))) })
        add("anonymous ENUM", nil, btf { b in b.add(.enumeration(BTFEnum(name: .empty, size: 1, isSigned: false, values: [BTFEnumValue(name: b.string("X"), value: 3)]))) })

        // FUNC / FUNC_PROTO
        func proto(_ b: inout BTFBuilder, ret: TypeID = i, _ params: [(String, TypeID)]) -> TypeID {
            let ps = params.map { BTFParameter(name: b.string($0.0), type: $0.1) }
            return b.add(.functionProto(BTFFunctionProto(returnType: ret, parameters: ps)))
        }
        add("FUNC_PROTO with name", "Invalid name", btf { b in b.addRaw(words: rec(b.string("p").rawValue, kind: 13, 1)) })
        add("FUNC_PROTO kind_flag", "Invalid btf_info kind_flag", btf { b in b.addRaw(words: rec(kind: 13, kflag: true, 1)) })
        add("FUNC without name", "Invalid name", btf { b in let p = proto(&b, []); b.add(.function(BTFFunction(name: .empty, proto: p, linkage: .static))) })
        add("FUNC extern linkage", "Invalid func linkage", btf { b in let p = proto(&b, []); b.add(.function(BTFFunction(name: b.string("f"), proto: p, linkage: .external))) })
        add("FUNC global", nil, btf { b in let p = proto(&b, [("x", i)]); b.add(.function(BTFFunction(name: b.string("f"), proto: p, linkage: .global))) })
        add("FUNC pointing at INT", "Invalid type_id", btf { b in b.add(.function(BTFFunction(name: b.string("f"), proto: i, linkage: .static))) })
        add("FUNC with unnamed parameter", "Invalid arg#1", btf { b in let p = proto(&b, [("", i)]); b.add(.function(BTFFunction(name: b.string("f"), proto: p, linkage: .static))) })
        add("unnamed parameters without FUNC", nil, btf { b in _ = proto(&b, [("", i), ("", i)]) })
        add("varargs", nil, btf { b in let p = proto(&b, [("fmt", i), ("", .void)]); b.add(.function(BTFFunction(name: b.string("printk"), proto: p, linkage: .global))) })
        add("varargs with a name", "Invalid arg#2", btf { b in _ = proto(&b, [("fmt", i), ("rest", .void)]) })
        add("void parameter before the last", "Invalid arg#1", btf { b in _ = proto(&b, [("", .void), ("x", i)]) })
        add("return type VAR", "Invalid return type", btf { b in
            let v = b.add(.variable(BTFVariable(name: b.string("x"), type: i, linkage: .global)))
            _ = proto(&b, ret: v, []) })
        add("return type FWD", "Invalid return type", btf { b in
            let f = b.add(.forward(BTFForward(name: b.string("s"), isUnion: false)))
            _ = proto(&b, ret: f, []) })
        add("parameter of FUNC_PROTO type", "Invalid arg#1", btf { b in
            let p0 = proto(&b, [])
            _ = proto(&b, [("cb", p0)]) })
        add("parameter name not an identifier", "Invalid arg#1", btf { b in _ = proto(&b, [("a b", i)]) })
        add("parameterless prototype as {0,0}", nil, btf { b in _ = proto(&b, [("", .void)]) })
        add("pointer to FUNC_PROTO", nil, btf { b in let p = proto(&b, [("x", i)]); b.add(.pointer(BTFReference(type: p))) })
        add("pointer to FUNC", nil, btf { b in
            let p = proto(&b, [("x", i)])
            let f = b.add(.function(BTFFunction(name: b.string("f"), proto: p, linkage: .static)))
            b.add(.pointer(BTFReference(type: f))) })

        // VAR / DATASEC
        add("VAR extern", "Linkage not supported", btf { b in b.add(.variable(BTFVariable(name: b.string("x"), type: i, linkage: .external))) })
        add("VAR without name", "Invalid name", btf { b in b.add(.variable(BTFVariable(name: .empty, type: i, linkage: .global))) })
        add("VAR of void", "Invalid type_id", btf { b in b.add(.variable(BTFVariable(name: b.string("x"), type: .void, linkage: .global))) })
        add("VAR of FWD", "Invalid type_id", btf { b in
            let f = b.add(.forward(BTFForward(name: b.string("s"), isUnion: false)))
            b.add(.variable(BTFVariable(name: b.string("x"), type: f, linkage: .global))) })
        func varsec(_ b: inout BTFBuilder, name: String = ".data", size: UInt32 = 8, _ entries: [(TypeID, UInt32, UInt32)]) {
            b.add(.dataSection(BTFDataSection(name: b.string(name), size: size, entries: entries.map { BTFDataSectionEntry(type: $0.0, offset: $0.1, size: $0.2) })))
        }
        add("DATASEC valid", nil, btf { b in
            let v1 = b.add(.variable(BTFVariable(name: b.string("a"), type: i, linkage: .global)))
            let v2 = b.add(.variable(BTFVariable(name: b.string("b"), type: i, linkage: .static)))
            varsec(&b, [(v1, 0, 4), (v2, 4, 4)]) })
        add("DATASEC size 0", "size == 0", btf { b in varsec(&b, size: 0, []) })
        add("DATASEC name with space", nil, btf { b in varsec(&b, name: "my data", []) })
        add("DATASEC name with tab", "Invalid name", btf { b in varsec(&b, name: "my\tdata", []) })
        add("DATASEC name ?.data", nil, btf { b in varsec(&b, name: "?.data", []) })
        add("DATASEC entry not a VAR", "Not a VAR kind member", btf { b in varsec(&b, [(i, 0, 4)]) })
        add("DATASEC entries overlapping", "Invalid offset", btf { b in
            let v1 = b.add(.variable(BTFVariable(name: b.string("a"), type: i, linkage: .global)))
            let v2 = b.add(.variable(BTFVariable(name: b.string("b"), type: i, linkage: .global)))
            varsec(&b, [(v1, 0, 4), (v2, 2, 4)]) })
        add("DATASEC entry size 0", "Invalid size", btf { b in
            let v1 = b.add(.variable(BTFVariable(name: b.string("a"), type: i, linkage: .global)))
            varsec(&b, [(v1, 0, 0)]) })
        add("DATASEC entry past the end", "Invalid offset+size", btf { b in
            let v1 = b.add(.variable(BTFVariable(name: b.string("a"), type: i, linkage: .global)))
            varsec(&b, [(v1, 6, 4)]) })
        add("DATASEC entry smaller than its VAR", "Invalid size", btf { b in
            let v1 = b.add(.variable(BTFVariable(name: b.string("a"), type: i, linkage: .global)))
            varsec(&b, [(v1, 0, 2)]) })
        add("DATASEC entry larger than its VAR", nil, btf { b in
            let v1 = b.add(.variable(BTFVariable(name: b.string("a"), type: i, linkage: .global)))
            varsec(&b, [(v1, 0, 8)]) })
        add("DATASEC with no entries", nil, btf { b in varsec(&b, []) })
        add("CONST of DATASEC", "Invalid type_id", btf { b in varsec(&b, []); b.add(.const(BTFReference(type: TypeID(2)))) })
        add("DATASEC kind_flag", "Invalid btf_info kind_flag", btf { b in b.addRaw(words: rec(b.string(".data").rawValue, kind: 15, kflag: true, 8)) })

        // FLOAT
        add("FLOAT size 12", nil, btf { b in b.add(.float(BTFFloat(name: b.string("long double"), size: 12))) })
        add("FLOAT size 3", "Invalid type_size", btf { b in b.add(.float(BTFFloat(name: b.string("f"), size: 3))) })
        add("FLOAT vlen", "vlen != 0", btf { b in b.addRaw(words: rec(kind: 16, vlen: 1, 4)) })

        // DECL_TAG
        func tagged(_ b: inout BTFBuilder) -> TypeID {
            b.add(.structure(BTFComposite(name: b.string("s"), size: 8, members: [member(&b, "a", i, 0), member(&b, "b", i, 32)])))
        }
        add("DECL_TAG on struct", nil, btf { b in let s = tagged(&b); b.add(.declTag(BTFDeclTag(value: b.string("tag"), target: s, componentIndex: -1))) })
        add("DECL_TAG on member 1", nil, btf { b in let s = tagged(&b); b.add(.declTag(BTFDeclTag(value: b.string("tag"), target: s, componentIndex: 1))) })
        add("DECL_TAG member index out of range", "Invalid component_idx", btf { b in let s = tagged(&b); b.add(.declTag(BTFDeclTag(value: b.string("tag"), target: s, componentIndex: 2))) })
        add("DECL_TAG on VAR with index", "Invalid component_idx", btf { b in
            let v = b.add(.variable(BTFVariable(name: b.string("x"), type: i, linkage: .global)))
            b.add(.declTag(BTFDeclTag(value: b.string("tag"), target: v, componentIndex: 0))) })
        add("DECL_TAG on INT", "Invalid type_id", btf { b in b.add(.declTag(BTFDeclTag(value: b.string("tag"), target: i, componentIndex: -1))) })
        add("DECL_TAG without value", "Invalid value", btf { b in let s = tagged(&b); b.add(.declTag(BTFDeclTag(value: .empty, target: s, componentIndex: -1))) })
        add("DECL_TAG index -2", "Invalid component_idx", btf { b in let s = tagged(&b); b.add(.declTag(BTFDeclTag(value: b.string("tag"), target: s, componentIndex: -2))) })
        add("DECL_TAG on FUNC parameter", nil, btf { b in
            let p = proto(&b, [("x", i)])
            let f = b.add(.function(BTFFunction(name: b.string("f"), proto: p, linkage: .static)))
            b.add(.declTag(BTFDeclTag(value: b.string("arg"), target: f, componentIndex: 0))) })
        add("DECL_TAG kind_flag", nil, btf { b in let s = tagged(&b); b.add(.declTag(BTFDeclTag(value: b.string("aligned(8)"), target: s, componentIndex: -1, isAttribute: true))) })
        add("DECL_TAG on TYPEDEF", nil, btf { b in
            let t = b.add(.typedef(BTFReference(name: b.string("t"), type: i)))
            b.add(.declTag(BTFDeclTag(value: b.string("tag"), target: t, componentIndex: -1))) })
        add("PTR to DECL_TAG", "Invalid type_id", btf { b in
            let s = tagged(&b)
            let d = b.add(.declTag(BTFDeclTag(value: b.string("tag"), target: s, componentIndex: -1)))
            b.add(.pointer(BTFReference(type: d))) })
        return c
    }
}
