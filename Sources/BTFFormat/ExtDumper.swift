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

    private func header(_ title: StaticString, _ s: BTFExt.Subsection?, into out: inout TextOutput) -> Bool {
        guard let s else { return false }
        out.write(title); out.write(" record_size="); out.decimal(s.recordSize); out.byte(0x0a)
        return true
    }

    public func dump(into out: inout TextOutput) {
        if header("func_info:", ext.funcInfo, into: &out) {
            for b in ext.funcInfo?.blocks ?? [] {
                out.write("  section '"); out.write(btf.string(b.sectionName)); out.write("' records="); out.decimal(b.records.count); out.byte(0x0a)
                for r in b.records {
                    out.write("\tinsn_off="); out.decimal(r.first ?? 0)
                    out.write(" type_id="); typeLabel(TypeID(r.count > 1 ? r[1] : 0), into: &out); out.byte(0x0a)
                }
            }
        }
        if header("line_info:", ext.lineInfo, into: &out) {
            for b in ext.lineInfo?.blocks ?? [] {
                out.write("  section '"); out.write(btf.string(b.sectionName)); out.write("' records="); out.decimal(b.records.count); out.byte(0x0a)
                for r in b.records {
                    let w = r + [0, 0, 0, 0]
                    out.write("\tinsn_off="); out.decimal(w[0])
                    out.write(" "); out.write(btf.string(StringOffset(w[1])))
                    out.write(":"); out.decimal(w[3] >> 10); out.write(":"); out.decimal(w[3] & 0x3ff)
                    out.write(" '"); out.write(btf.string(StringOffset(w[2]))); out.write("'\n")
                }
            }
        }
        if header("core_relo:", ext.coreRelocations, into: &out) {
            for b in ext.coreRelocations?.blocks ?? [] {
                out.write("  section '"); out.write(btf.string(b.sectionName)); out.write("' records="); out.decimal(b.records.count); out.byte(0x0a)
                for r in b.records {
                    let w = r + [0, 0, 0, 0]
                    out.write("\tinsn_off="); out.decimal(w[0])
                    out.write(" kind="); out.write(CoreRelocationKind(rawValue: w[3]).description)
                    out.write(" type_id="); typeLabel(TypeID(w[1]), into: &out)
                    out.write(" access='"); out.write(btf.string(StringOffset(w[2]))); out.write("'\n")
                }
            }
        }
    }
}
