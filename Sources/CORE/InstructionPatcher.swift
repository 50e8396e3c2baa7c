/// Writes a computed relocation value into its instruction (btf-spec §5.8, libbpf's
/// `bpf_core_patch_insn`). Returns what was done, e.g. `ALU imm 2424 -> 2576`.
enum InstructionPatcher {
    static func apply(_ v: CoreValue, to insns: inout [BPFInstruction], at index: Int) throws(CoreError) -> String {
        guard index >= 0, index < insns.count else {
            throw CoreError(.malformedExt, "instruction \(index) is outside its section (\(insns.count) instructions)")
        }
        if v.poison { return poison(&insns, at: index, why: "") }
        let insn = insns[index]
        switch insn.instructionClass {
        case .alu, .alu64:
            guard !insn.usesRegisterSource else {
                throw CoreError(.badInstruction, "\(insn.instructionClass) instruction with a register source can't be relocated (\(insn))")
            }
            let current = UInt64(bitPattern: Int64(insn.immediate))
            if v.validate && current != v.original {
                throw CoreError(.badInstruction, "unexpected \(insn.instructionClass) imm: got \(insn.immediate), expected \(v.original) -> \(v.new)")
            }
            insns[index].immediate = Int32(truncatingIfNeeded: v.new)
            return "\(insn.instructionClass) imm \(UInt32(bitPattern: insn.immediate)) -> \(v.new)"
        case .ldx, .st, .stx:
            let current = UInt64(bitPattern: Int64(insn.offset))
            if v.validate && current != v.original {
                throw CoreError(.badInstruction, "unexpected \(insn.instructionClass) off: got \(insn.offset), expected \(v.original) -> \(v.new)")
            }
            guard v.new <= UInt64(Int16.max) else {
                throw CoreError(.badInstruction, "\(insn.instructionClass) offset \(v.new) does not fit the 16-bit offset field")
            }
            if v.failsSizeAdjustment {
                return poison(&insns, at: index,
                              why: " (field size \(v.originalSize) -> \(v.newSize) can't be adjusted: not pointers or unsigned integers)")
            }
            insns[index].offset = Int16(v.new)
            var text = "\(insn.instructionClass) off \(insn.offset) -> \(v.new)"
            if v.newSize != v.originalSize {
                guard UInt64(insn.accessSize) == v.originalSize else {
                    throw CoreError(.badInstruction, "\(insn.instructionClass) accesses \(insn.accessSize) bytes, the field has \(v.originalSize)")
                }
                guard let size = BPFInstruction.sizeField(forBytes: v.newSize) else {
                    throw CoreError(.badInstruction, "new field size \(v.newSize) is not a load/store width")
                }
                insns[index].code = insn.modeField | size | insn.instructionClass.rawValue
                text += ", mem_sz \(v.originalSize) -> \(v.newSize)"
            }
            return text
        case .ld:
            guard insn.isLoadImmediate64, insn.src == 0, insn.offset == 0, index + 1 < insns.count,
                  insns[index + 1].code == 0, insns[index + 1].dst == 0, insns[index + 1].src == 0, insns[index + 1].offset == 0 else {
                throw CoreError(.badInstruction, "LD instruction is not a plain 64-bit immediate load (\(insn))")
            }
            let current = UInt64(UInt32(bitPattern: insn.immediate)) | UInt64(UInt32(bitPattern: insns[index + 1].immediate)) << 32
            if v.validate && current != v.original {
                throw CoreError(.badInstruction, "unexpected LD_IMM64 value: got \(current), expected \(v.original) -> \(v.new)")
            }
            insns[index].immediate = Int32(truncatingIfNeeded: v.new)
            insns[index + 1].immediate = Int32(truncatingIfNeeded: v.new >> 32)
            return "LD_IMM64 imm64 \(current) -> \(v.new)"
        default:
            throw CoreError(.badInstruction, "\(insn.instructionClass) instruction can't carry a CO-RE relocation (\(insn))")
        }
    }

    private static func poison(_ insns: inout [BPFInstruction], at index: Int, why: String) -> String {
        if insns[index].isLoadImmediate64, index + 1 < insns.count { insns[index + 1] = .poisoned }
        insns[index] = .poisoned
        return "poisoned" + why
    }
}
