import BinaryReader
import BTF
import ELF

extension BPFObject {
    /// A copy of the object with the report's relocated instructions written into their code
    /// sections and the CO-RE records removed from `.BTF.ext` (func_info and line_info kept), so
    /// a loader does not relocate — and fail to validate — the already patched instructions.
    /// Everything else stays byte for byte. Throws if any relocation failed.
    public func relocatedELF(_ report: CoreRelocationReport) throws(CoreError) -> [UInt8] {
        if let f = report.failures.first, let e = f.error {
            throw CoreError(.badInstruction, "not writing a relocated object: \(report.failures.count) relocation(s) failed, first: \(e)")
        }
        guard var bytes = elf.file.copy(offset: 0, length: elf.file.count) else {
            throw CoreError(.malformedObject, "cannot read the object's bytes")
        }
        for (name, insns) in report.sections {
            guard let s = elf.section(named: name), s.flags & ELFSection.SHF_COMPRESSED == 0,
                  let start = Int(exactly: s.offset), UInt64(insns.count * 8) == s.size, start + insns.count * 8 <= bytes.count else {
                throw CoreError(.malformedObject, "code section '\(name)' can't be rewritten in place")
            }
            var at = start
            for insn in insns {
                for b in insn.encoded(endianness) { bytes[at] = b; at += 1 }
            }
        }
        guard var ext, ext.coreRelocations != nil else { return bytes }
        ext.coreRelocations = nil
        do {
            let patched = try ELFFile(bytes: bytes)
            return try patched.withSection(named: ".BTF.ext", contents: ext.serialized())
        } catch {
            throw CoreError(.malformedObject, "rewriting .BTF.ext: \(error)")
        }
    }
}
