import BTF

/// Prints BTF in the text form of `bpftool btf dump file F` (bpftool 7.1, "raw" format):
/// one line per type, `[id] KIND 'name' details`, members/values/params on tab-indented lines.
///
/// Reads raw records directly (no model decoding) so that dumping a whole kernel is fast.
public struct RawDumper {
    public let btf: BTFFile
    /// Show the original (Rust) names of escaped ones: from "name=" DECL_TAGs where btfkit left
    /// them, else by undoing the `_XX_` escapes (NamePolicy).
    public var originalNames = false
    private var originals: [UInt64: String] = [:]

    public init(_ btf: BTFFile, originalNames: Bool = false) {
        self.btf = btf
        self.originalNames = originalNames
        guard originalNames else { return }
        for id in btf.typeIDs(ofKind: .declTag) {
            guard let r = btf.record(id) else { continue }
            let value = btf.string(r.nameOffset)
            guard value.hasPrefix("name=") else { continue }
            let component = Int32(bitPattern: btf.tailWord(r, 0))
            originals[RawDumper.key(r.sizeOrType, component)] = String(value.dropFirst(5))
        }
    }

    static func key(_ id: UInt32, _ component: Int32) -> UInt64 { UInt64(id) << 32 | UInt64(UInt32(bitPattern: component)) }

    /// Writes a type's or member's name, original if asked for.
    func name(_ off: UInt32, of id: TypeID, component: Int32, into out: inout TextOutput) {
        guard originalNames, off != 0 else { return name(off, into: &out) }
        if let o = originals[RawDumper.key(id.rawValue, component)] { out.write(o); return }
        out.write(NamePolicy.unescape(btf.string(StringOffset(off))))
    }

    /// Dumps the given IDs, or every type stored in the blob (split BTF: only its own types).
    public func dump(into out: inout TextOutput, ids: [TypeID]? = nil) {
        if let ids {
            for id in ids { dumpType(id, into: &out); out.maybeFlushPublic() }
        } else {
            for id in btf.ownTypeIDs { dumpType(id, into: &out); out.maybeFlushPublic() }
        }
    }

    @inline(__always)
    func name(_ off: UInt32, into out: inout TextOutput) {
        if off == 0 { out.write("(anon)"); return }
        guard let (file, range) = btf.stringRange(StringOffset(off)) else { out.write("(invalid)"); return }
        file.data.bytes.withUnsafeBufferPointer { out.write(bytes: UnsafeBufferPointer(rebasing: $0[range])) }
    }

    public func dumpType(_ id: TypeID, into out: inout TextOutput) {
        guard let r = btf.record(id) else { return }
        out.byte(0x5b); out.decimal(id.rawValue); out.write("] ")
        let kind = r.kind
        out.write(kind.isKnown ? kind.name : "UNKNOWN")
        out.write(" '"); name(r.nameOffset.rawValue, of: id, component: -1, into: &out); out.byte(0x27)
        @inline(__always) func w(_ i: Int) -> UInt32 { btf.tailWord(r, i) }
        switch kind {
        case .int:
            let v = w(0)
            out.write(" size="); out.decimal(r.sizeOrType)
            out.write(" bits_offset="); out.decimal((v >> 16) & 0xff)
            out.write(" nr_bits="); out.decimal(v & 0xff)
            out.write(" encoding="); out.write(IntEncoding(rawValue: UInt8((v >> 24) & 0x0f)).description)
        case .pointer, .const, .volatile, .restrict, .typedef, .typeTag:
            out.write(" type_id="); out.decimal(r.sizeOrType)
        case .array:
            out.write(" type_id="); out.decimal(w(0))
            out.write(" index_type_id="); out.decimal(w(1))
            out.write(" nr_elems="); out.decimal(w(2))
        case .structure, .union:
            out.write(" size="); out.decimal(r.sizeOrType)
            out.write(" vlen="); out.decimal(UInt32(r.vlen))
            for i in 0..<r.vlen {
                let raw = w(3 * i + 2)
                let bitOffset = r.kindFlag ? raw & 0xFFFFFF : raw
                let bitSize = r.kindFlag ? raw >> 24 : 0
                out.write("\n\t'"); name(w(3 * i), of: id, component: Int32(i), into: &out)
                out.write("' type_id="); out.decimal(w(3 * i + 1))
                out.write(" bits_offset="); out.decimal(bitOffset)
                if bitSize != 0 { out.write(" bitfield_size="); out.decimal(bitSize) }
            }
        case .enumeration:
            out.write(r.kindFlag ? " encoding=SIGNED size=" : " encoding=UNSIGNED size=")
            out.decimal(r.sizeOrType)
            out.write(" vlen="); out.decimal(UInt32(r.vlen))
            for i in 0..<r.vlen {
                out.write("\n\t'"); name(w(2 * i), into: &out); out.write("' val=")
                let v = w(2 * i + 1)
                if r.kindFlag { out.signedDecimal(Int64(Int32(bitPattern: v))) } else { out.decimal(v) }
            }
        case .enum64:
            out.write(r.kindFlag ? " encoding=SIGNED size=" : " encoding=UNSIGNED size=")
            out.decimal(r.sizeOrType)
            out.write(" vlen="); out.decimal(UInt32(r.vlen))
            for i in 0..<r.vlen {
                out.write("\n\t'"); name(w(3 * i), into: &out); out.write("' val=")
                let v = UInt64(w(3 * i + 2)) << 32 | UInt64(w(3 * i + 1))
                if r.kindFlag { out.signedDecimal(Int64(bitPattern: v)); out.write("LL") } else { out.decimal(v); out.write("ULL") }
            }
        case .forward:
            out.write(r.kindFlag ? " fwd_kind=union" : " fwd_kind=struct")
        case .function:
            out.write(" type_id="); out.decimal(r.sizeOrType)
            out.write(" linkage="); out.write(BTFLinkage(rawValue: UInt32(r.vlen)).description)
        case .functionProto:
            out.write(" ret_type_id="); out.decimal(r.sizeOrType)
            out.write(" vlen="); out.decimal(UInt32(r.vlen))
            for i in 0..<r.vlen {
                out.write("\n\t'"); name(w(2 * i), into: &out)
                out.write("' type_id="); out.decimal(w(2 * i + 1))
            }
        case .variable:
            out.write(" type_id="); out.decimal(r.sizeOrType)
            out.write(", linkage="); out.write(BTFLinkage(rawValue: w(0)).description)
        case .dataSection:
            out.write(" size="); out.decimal(r.sizeOrType)
            out.write(" vlen="); out.decimal(UInt32(r.vlen))
            for i in 0..<r.vlen {
                let t = w(3 * i)
                out.write("\n\ttype_id="); out.decimal(t)
                out.write(" offset="); out.decimal(w(3 * i + 1))
                out.write(" size="); out.decimal(w(3 * i + 2))
                if Int(t) < btf.typeCount {
                    if let vt = btf.record(TypeID(t)) {
                        out.write(" ("); out.write(vt.kind.isKnown ? vt.kind.name : "UNKNOWN"); out.write(" '")
                        name(vt.nameOffset.rawValue, into: &out); out.write("')")
                    } else {
                        out.write(" (UNKNOWN '(anon)')")
                    }
                }
            }
        case .float:
            out.write(" size="); out.decimal(r.sizeOrType)
        case .declTag:
            out.write(" type_id="); out.decimal(r.sizeOrType)
            out.write(" component_idx="); out.signedDecimal(Int64(Int32(bitPattern: w(0))))
        default:
            break
        }
        out.byte(0x0a)
    }
}

extension TextOutput {
    /// Flushes when a streaming buffer is large (no-op for in-memory output).
    @inline(__always) public mutating func maybeFlushPublic() { maybeFlush() }
}
