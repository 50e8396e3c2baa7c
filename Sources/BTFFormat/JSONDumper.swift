import BTF

/// Prints BTF as JSON (schema: docs/json-schema.md): `{"format":"btfkit-btf","version":2,"types":[...]}`
/// with one object per type per line, in ID order. Field names follow `bpftool -j btf dump`;
/// anonymous names are `null`; integers are exact decimal (ENUM64 values may exceed 2^53).
public struct JSONDumper {
    public let btf: BTFFile
    /// Memoized sizes and alignments for the derived layout fields.
    let layout: LayoutMemo

    public init(_ btf: BTFFile) {
        self.btf = btf
        layout = LayoutMemo(TypeView(btf))
    }

    public func dump(into out: inout TextOutput, ids: [TypeID]? = nil) {
        out.write("{\"format\":\"btfkit-btf\",\"version\":2,\"types\":[")
        var first = true
        func one(_ id: TypeID) {
            out.write(first ? "\n" : ",\n")
            first = false
            dumpType(id, into: &out)
            out.maybeFlushPublic()
        }
        if let ids { for id in ids { one(id) } } else { for id in btf.ownTypeIDs { one(id) } }
        out.write("\n]}\n")
    }

    private func name(_ off: UInt32, into out: inout TextOutput) {
        if off == 0 { out.write("null"); return }
        guard let (file, range) = btf.stringRange(StringOffset(off)) else { out.write("null"); return }
        out.jsonString(file.data.bytes[range])
    }

    private func field(_ key: StaticString, _ v: UInt32, into out: inout TextOutput) {
        out.write(",\""); out.write(key); out.write("\":"); out.decimal(v)
    }

    public func dumpType(_ id: TypeID, into out: inout TextOutput) {
        guard let r = btf.record(id) else { return }
        func w(_ i: Int) -> UInt32 { btf.tailWord(r, i) }
        out.write("{\"id\":"); out.decimal(id.rawValue)
        out.write(",\"kind\":\""); out.write(r.kind.isKnown ? r.kind.name : "UNKNOWN"); out.write("\"")
        out.write(",\"name\":"); name(r.nameOffset.rawValue, into: &out)
        // Derived layout (not in bpftool's JSON): size after typedefs/modifiers/arrays, alignment.
        switch r.kind {
        case .int, .pointer, .array, .structure, .union, .enumeration, .enum64, .float, .typedef, .const, .volatile, .restrict, .typeTag:
            out.write(",\"resolved_size\":"); out.decimal(layout.size(id.rawValue))
            out.write(",\"alignment\":"); out.decimal(layout.align(id.rawValue))
        default: break
        }
        switch r.kind {
        case .int:
            let v = w(0)
            field("size", r.sizeOrType, into: &out)
            field("bits_offset", (v >> 16) & 0xff, into: &out)
            field("nr_bits", v & 0xff, into: &out)
            out.write(",\"encoding\":\""); out.write(IntEncoding(rawValue: UInt8((v >> 24) & 0x0f)).description); out.write("\"")
        case .pointer, .const, .volatile, .restrict, .typedef:
            field("type_id", r.sizeOrType, into: &out)
        case .typeTag:
            field("type_id", r.sizeOrType, into: &out)
            out.write(r.kindFlag ? ",\"kind_flag\":1" : ",\"kind_flag\":0")
        case .array:
            field("type_id", w(0), into: &out); field("index_type_id", w(1), into: &out); field("nr_elems", w(2), into: &out)
        case .structure, .union:
            field("size", r.sizeOrType, into: &out); field("vlen", UInt32(r.vlen), into: &out)
            out.write(",\"members\":[")
            for i in 0..<r.vlen {
                if i > 0 { out.byte(0x2c) }
                let raw = w(3 * i + 2)
                out.write("{\"name\":"); name(w(3 * i), into: &out)
                field("type_id", w(3 * i + 1), into: &out)
                field("bits_offset", r.kindFlag ? raw & 0xFFFFFF : raw, into: &out)
                if r.kindFlag && raw >> 24 != 0 { field("bitfield_size", raw >> 24, into: &out) }
                let bits = r.kindFlag ? raw & 0xFFFFFF : raw
                if !(r.kindFlag && raw >> 24 != 0) && bits % 8 == 0 { field("byte_offset", bits / 8, into: &out) }
                out.write(",\"resolved_size\":"); out.decimal(layout.size(w(3 * i + 1)))
                out.byte(0x7d)
            }
            out.byte(0x5d)
        case .enumeration, .enum64:
            out.write(r.kindFlag ? ",\"encoding\":\"SIGNED\"" : ",\"encoding\":\"UNSIGNED\"")
            field("size", r.sizeOrType, into: &out); field("vlen", UInt32(r.vlen), into: &out)
            out.write(",\"values\":[")
            let stride = r.kind == .enum64 ? 3 : 2
            for i in 0..<r.vlen {
                if i > 0 { out.byte(0x2c) }
                out.write("{\"name\":"); name(w(stride * i), into: &out)
                out.write(",\"val\":")
                if r.kind == .enum64 {
                    let v = UInt64(w(3 * i + 2)) << 32 | UInt64(w(3 * i + 1))
                    if r.kindFlag { out.signedDecimal(Int64(bitPattern: v)) } else { out.decimal(v) }
                } else {
                    let v = w(2 * i + 1)
                    if r.kindFlag { out.signedDecimal(Int64(Int32(bitPattern: v))) } else { out.decimal(v) }
                }
                out.byte(0x7d)
            }
            out.byte(0x5d)
        case .forward:
            out.write(r.kindFlag ? ",\"fwd_kind\":\"union\"" : ",\"fwd_kind\":\"struct\"")
        case .function:
            field("type_id", r.sizeOrType, into: &out)
            out.write(",\"linkage\":\""); out.write(BTFLinkage(rawValue: UInt32(r.vlen)).description); out.write("\"")
        case .functionProto:
            field("ret_type_id", r.sizeOrType, into: &out); field("vlen", UInt32(r.vlen), into: &out)
            out.write(",\"params\":[")
            for i in 0..<r.vlen {
                if i > 0 { out.byte(0x2c) }
                out.write("{\"name\":"); name(w(2 * i), into: &out); field("type_id", w(2 * i + 1), into: &out); out.byte(0x7d)
            }
            out.byte(0x5d)
        case .variable:
            field("type_id", r.sizeOrType, into: &out)
            out.write(",\"linkage\":\""); out.write(BTFLinkage(rawValue: w(0)).description); out.write("\"")
        case .dataSection:
            field("size", r.sizeOrType, into: &out); field("vlen", UInt32(r.vlen), into: &out)
            out.write(",\"vars\":[")
            for i in 0..<r.vlen {
                if i > 0 { out.byte(0x2c) }
                out.write("{\"type_id\":"); out.decimal(w(3 * i))
                field("offset", w(3 * i + 1), into: &out); field("size", w(3 * i + 2), into: &out); out.byte(0x7d)
            }
            out.byte(0x5d)
        case .float:
            field("size", r.sizeOrType, into: &out)
        case .declTag:
            field("type_id", r.sizeOrType, into: &out)
            out.write(",\"component_idx\":"); out.signedDecimal(Int64(Int32(bitPattern: w(0))))
            out.write(r.kindFlag ? ",\"kind_flag\":1" : ",\"kind_flag\":0")
        default:
            out.write(",\"info\":"); out.decimal(r.info.rawValue)
        }
        out.byte(0x7d)
    }
}
