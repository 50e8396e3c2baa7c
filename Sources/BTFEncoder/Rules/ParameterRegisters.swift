import DWARF

/// Parameters that arrive in a register other than the calling convention's, as pahole 1.31
/// decides it for `consistent_func` (dwarf_loader.c `parameter__reg`; docs/pahole-1.31-rules.md
/// §2.3). Such a function's BTF prototype would make an fentry/fexit program read the wrong
/// registers, so it is dropped — unless one of its parameters is a struct (through typedefs and
/// const), which may take several registers and throw the mapping off anyway.
///
/// Per machine, the DWARF register of each register-passed parameter (DW_OP_reg numbers; -1:
/// "any register", never unexpected):
/// - x86-64 (6): rdi rsi rdx rcx r8 r9 = 5, 4, 1, 2, 8, 9;
/// - s390 (5): r2–r6; AArch64 and ARM (8): r0–r7;
/// - SPARC (6), MIPS, PowerPC, RISC-V, ARC (8): -1; other machines: none.
///
/// A parameter's register: over its location's expressions in order (a single expression is
/// one), after dropping a trailing DW_OP_stack_value from multi-op expressions, only one-op
/// expressions count: a lone DW_OP_regN only in the first, DW_OP_entry_value(DW_OP_regN) (also
/// the GNU opcode) in any. The first that is the expected register wins; else the last seen;
/// none found means "optimized" (never a reason to drop in pahole 1.31).
struct ParameterRegisters: Sendable {
    /// Expected DW_OP_reg number per parameter index.
    let expected: [Int]

    static let DW_OP_reg0: UInt8 = 0x50
    static let DW_OP_reg31: UInt8 = 0x6f
    static let DW_OP_stack_value: UInt8 = 0x9f
    static let DW_OP_entry_value: UInt8 = 0xa3
    static let DW_OP_GNU_entry_value: UInt8 = 0xf3

    enum Machine {
        static let sparc: UInt16 = 2, mips: UInt16 = 8, ppc: UInt16 = 20, ppc64: UInt16 = 21, s390: UInt16 = 22,
                   arm: UInt16 = 40, sparcv9: UInt16 = 43, x86_64: UInt16 = 62, aarch64: UInt16 = 183, arc: UInt16 = 45,
                   riscv: UInt16 = 243
    }

    init(machine: UInt16) {
        switch machine {
        case Machine.x86_64: expected = [5, 4, 1, 2, 8, 9]
        case Machine.s390: expected = [2, 3, 4, 5, 6]
        case Machine.arm, Machine.aarch64: expected = Array(0...7)
        case Machine.sparc, Machine.sparcv9: expected = Array(repeating: -1, count: 6)
        case Machine.mips, Machine.ppc, Machine.ppc64, Machine.riscv, Machine.arc: expected = Array(repeating: -1, count: 8)
        default: expected = []
        }
    }

    init(expected: [Int]) { self.expected = expected }

    /// The register one location expression names, as pahole reads it: a lone DW_OP_regN (only
    /// in the first entry) or a lone DW_OP_entry_value of one op (its atom: a register number
    /// for DW_OP_regN, else 1000 + the opcode), either optionally followed by DW_OP_stack_value;
    /// nil for anything else. Decoded in place: this runs for every parameter of a kernel.
    static func loneRegister(_ e: DWARFFile.LocationExpression, first: Bool, dwarf: DWARFFile, unit: UnitHeader) -> Int? {
        let data = e.section == unit.section ? dwarf.bytes(of: unit) : dwarf.sections[e.section]
        let b = data.buffer
        guard e.length >= 1, e.offset >= 0, e.offset <= b.count - e.length else { return nil }
        let end = e.offset + e.length
        let op = b[e.offset]
        // What may follow the one op: nothing, or DW_OP_stack_value.
        func alone(after k: Int) -> Bool { k == end || (k + 1 == end && b[k] == DW_OP_stack_value) }
        if op >= DW_OP_reg0 && op <= DW_OP_reg31 {
            return first && alone(after: e.offset + 1) ? Int(op - DW_OP_reg0) : nil
        }
        guard op == DW_OP_entry_value || op == DW_OP_GNU_entry_value else { return nil }
        // ULEB128 length of the nested expression.
        var k = e.offset + 1, n = 0, shift = 0
        while k < end, shift < 28 {
            let byte = b[k]; k += 1
            n |= Int(byte & 0x7f) << shift
            shift += 7
            if byte & 0x80 == 0 { break }
        }
        guard n >= 1, n <= end - k, alone(after: k + n) else { return nil }
        let inner = b[k]
        if inner >= DW_OP_reg0 && inner <= DW_OP_reg31 { return n == 1 ? Int(inner - DW_OP_reg0) : nil }
        // Another single op (rare): decode it to know that it is one.
        guard let ops = try? dwarf.operations(of: DWARFFile.LocationExpression(section: e.section, offset: k, length: n), unit: unit),
              ops.count == 1 else { return nil }
        return 1000 + Int(inner)
    }

    /// Whether parameter `index` with this location uses a register other than expected.
    func isUnexpected(index: Int, location: AttributeValue, dwarf: DWARFFile, unit: UnitHeader) -> Bool {
        guard index < expected.count, expected[index] >= 0 else { return false }
        let want = expected[index]
        // Read in place, stopping at the expected register (no array of expressions per parameter).
        var found = -1, n = 0, expected = false
        do {
            try dwarf.forEachLocationExpression(location, unit: unit) { e in
                defer { n += 1 }
                guard let reg = ParameterRegisters.loneRegister(e, first: n == 0, dwarf: dwarf, unit: unit) else { return true }
                if reg == want { expected = true; return false }
                found = reg
                return true
            }
        } catch {
            return false
        }
        return !expected && found >= 0
    }
}
