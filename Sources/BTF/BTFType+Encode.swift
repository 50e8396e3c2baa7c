import BinaryReader

extension BTFType {
    /// Number of variable-length elements (vlen bits) of the record this model encodes to.
    public var vlen: Int {
        switch self {
        case .structure(let c), .union(let c): return c.members.count
        case .enumeration(let e): return e.values.count
        case .enum64(let e): return e.values.count
        case .functionProto(let p): return p.parameters.count
        case .dataSection(let d): return d.entries.count
        case .function(let f): return Int(f.linkage.rawValue)
        default: return 0
        }
    }

    public var kindFlag: Bool {
        switch self {
        case .structure(let c), .union(let c): return c.hasBitfieldSizes
        case .enumeration(let e): return e.isSigned
        case .enum64(let e): return e.isSigned
        case .forward(let f): return f.isUnion
        case .declTag(let t): return t.isAttribute
        case .typeTag(let t): return t.isAttribute
        default: return false
        }
    }

    /// Appends the wire record (btf-spec §1.5–1.6).
    public func encode(into w: inout ByteWriter) {
        w.u32(name.rawValue)
        w.u32(TypeInfo(kind: kind, vlen: vlen, kindFlag: kindFlag).rawValue)
        switch self {
        case .int(let t):
            w.u32(t.size); w.u32(t.data)
        case .pointer(let r), .typedef(let r), .volatile(let r), .const(let r), .restrict(let r):
            w.u32(r.type.rawValue)
        case .array(let a):
            w.u32(0); w.u32(a.elementType.rawValue); w.u32(a.indexType.rawValue); w.u32(a.count)
        case .structure(let c), .union(let c):
            w.u32(c.size)
            for m in c.members { w.u32(m.name.rawValue); w.u32(m.type.rawValue); w.u32(m.offset) }
        case .enumeration(let e):
            w.u32(e.size)
            for v in e.values { w.u32(v.name.rawValue); w.u32(v.value) }
        case .enum64(let e):
            w.u32(e.size)
            for v in e.values {
                w.u32(v.name.rawValue); w.u32(UInt32(truncatingIfNeeded: v.value)); w.u32(UInt32(truncatingIfNeeded: v.value >> 32))
            }
        case .forward:
            w.u32(0)
        case .function(let f):
            w.u32(f.proto.rawValue)
        case .functionProto(let p):
            w.u32(p.returnType.rawValue)
            for q in p.parameters { w.u32(q.name.rawValue); w.u32(q.type.rawValue) }
        case .variable(let v):
            w.u32(v.type.rawValue); w.u32(v.linkage.rawValue)
        case .dataSection(let d):
            w.u32(d.size)
            for e in d.entries { w.u32(e.type.rawValue); w.u32(e.offset); w.u32(e.size) }
        case .float(let f):
            w.u32(f.size)
        case .declTag(let t):
            w.u32(t.target.rawValue); w.u32(UInt32(bitPattern: t.componentIndex))
        case .typeTag(let t):
            w.u32(t.target.rawValue)
        }
    }
}

/// Serializes BTF: header → types → (layout) → strings, contiguous (the layout libbpf writes).
public enum BTFWriter {
    /// Encodes `types` with a ready string section.
    /// - Parameters:
    ///   - headerLength: 24 (classic) or 32 (with the zero layout fields libbpf now writes).
    public static func serialize(types: [BTFType], strings: [UInt8], endianness: Endianness = .host,
                                 headerLength: UInt32 = BTFHeader.classicLength) -> [UInt8] {
        var body = ByteWriter(endianness: endianness, capacity: types.count * 24 + strings.count + 32)
        for t in types { t.encode(into: &body) }
        return assemble(typeSection: body.bytes, strings: strings, endianness: endianness, headerLength: headerLength)
    }

    /// The kind-layout table (btf-spec §1.7) for kinds 0…19, as libbpf 1.8 writes it: per kind
    /// {fixed tail size, size of each vlen element, flags 0} (the same bytes in either byte order).
    public static let kindLayoutTable: [UInt8] = {
        // (info_sz, elem_sz) for UNKN, INT, PTR, ARRAY, STRUCT, UNION, ENUM, FWD, TYPEDEF, VOLATILE,
        // CONST, RESTRICT, FUNC, FUNC_PROTO, VAR, DATASEC, FLOAT, DECL_TAG, TYPE_TAG, ENUM64.
        let sizes: [(UInt8, UInt8)] = [(0, 0), (4, 0), (0, 0), (12, 0), (0, 12), (0, 12), (0, 8), (0, 0), (0, 0), (0, 0),
                                      (0, 0), (0, 0), (0, 0), (0, 8), (4, 0), (0, 12), (0, 0), (4, 0), (0, 0), (0, 12)]
        return sizes.flatMap { [$0.0, $0.1, 0, 0] }
    }()

    /// Joins an encoded type section and string section under a header. With `layout` (pahole's
    /// `layout`, libbpf ≥ 1.8: `kindLayoutTable`) the header has 32 bytes and the kind-layout
    /// section sits between types and strings; kernels before the 2026 UAPI reject such a header,
    /// libbpf strips the section before loading.
    public static func assemble(typeSection: [UInt8], strings: [UInt8], endianness: Endianness,
                                headerLength: UInt32 = BTFHeader.classicLength, layout: [UInt8]? = nil) -> [UInt8] {
        var h = BTFHeader()
        h.headerLength = layout == nil ? max(headerLength, BTFHeader.classicLength) : max(headerLength, BTFHeader.layoutLength)
        h.typeOffset = 0
        h.typeLength = UInt32(truncatingIfNeeded: typeSection.count)
        h.stringOffset = h.typeLength
        if let layout {
            h.layoutOffset = h.typeLength
            h.layoutLength = UInt32(truncatingIfNeeded: layout.count)
            h.stringOffset = h.layoutOffset + h.layoutLength
        }
        h.stringLength = UInt32(truncatingIfNeeded: strings.count)
        var out = h.encoded(endianness)
        out.reserveCapacity(out.count + typeSection.count + (layout?.count ?? 0) + strings.count)
        out.append(contentsOf: typeSection)
        if let layout { out.append(contentsOf: layout) }
        out.append(contentsOf: strings)
        return out
    }
}

extension BTFFile {
    /// The raw bytes of this blob's own string section.
    public var ownStringSection: [UInt8] {
        Array(data.bytes[stringSectionStart..<(stringSectionStart + Int(header.stringLength))])
    }

    /// Re-encodes this blob from its model (decode → encode), in any byte order. For BTF laid out
    /// as header, types, strings this reproduces the input byte for byte.
    public func serialized(endianness: Endianness? = nil) throws(BTFError) -> [UInt8] {
        let types = try ownTypes()
        return BTFWriter.serialize(types: types, strings: ownStringSection, endianness: endianness ?? self.endianness,
                                   headerLength: header.headerLength >= BTFHeader.layoutLength && header.layoutLength == 0
                                       ? header.headerLength : BTFHeader.classicLength)
    }
}
