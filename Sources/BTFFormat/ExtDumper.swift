import BTF

/// Prints `.BTF.ext` records (func_info, line_info, CO-RE relocations) with names resolved
/// against the object's `.BTF`.
public struct ExtDumper {
    public let btf: BTFFile
    public let ext: BTFExt

    public init(btf: BTFFile, ext: BTFExt) { self.btf = btf; self.ext = ext }

    private func typeLabel(_ id: TypeID, into out: inout TextOutput) {
        out.decimal(id.rawValue)
        if let r = btf.record(id) {
            out.write(" ("); out.write(r.kind.name); out.write(" '")
            out.write(r.nameOffset == .empty ? "(anon)" : btf.string(r.nameOffset)); out.write("')")
        }
    }

    /// Prints a subsection: its title and record size, then each ELF section's records.
    private func subsection(_ title: StaticString, _ s: BTFExt.Subsection?, into out: inout TextOutput,
                            record: (([UInt32], inout TextOutput) -> Void)) {
        guard let s else { return }
        out.write(title); out.write(" record_size="); out.decimal(s.recordSize); out.byte(0x0a)
        for b in s.blocks {
            out.write("  section '"); out.write(btf.string(b.sectionName)); out.write("' records=")
            out.decimal(b.records.count); out.byte(0x0a)
            for r in b.records {
                out.write("\tinsn_off="); out.decimal(r.first ?? 0)
                record(r + [0, 0, 0, 0], &out)
                out.byte(0x0a)
            }
        }
    }

    public func dump(into out: inout TextOutput) {
        subsection("func_info:", ext.funcInfo, into: &out) { w, out in
            out.write(" type_id="); typeLabel(TypeID(w[1]), into: &out)
        }
        subsection("line_info:", ext.lineInfo, into: &out) { w, out in
            out.write(" "); out.write(btf.string(StringOffset(w[1])))
            out.write(":"); out.decimal(w[3] >> 10); out.write(":"); out.decimal(w[3] & 0x3ff)
            out.write(" '"); out.write(btf.string(StringOffset(w[2]))); out.write("'")
        }
        subsection("core_relo:", ext.coreRelocations, into: &out) { w, out in
            out.write(" kind="); out.write(CoreRelocationKind(rawValue: w[3]).description)
            out.write(" type_id="); typeLabel(TypeID(w[1]), into: &out)
            out.write(" access='"); out.write(btf.string(StringOffset(w[2]))); out.write("'")
        }
    }
}
