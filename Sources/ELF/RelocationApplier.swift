import BinaryReader

/// Applies the relocations of an ET_REL file's debug section to its bytes (ELF spec "Relocation";
/// the psABI of each machine), so that DWARF offsets into .debug_str, .debug_line, .debug_addr ...
/// and addresses are right without linking. Supported: x86_64, AArch64, RISC-V 64, s390x, BPF
/// (and i386 for 32-bit objects); anything else is reported as
/// "unsupported relocation type N for machine M".
struct RelocationApplier {
    let elf: ELFFile
    let symbols: [ELFSymbol]

    enum Op {
        case none
        case absolute(width: Int)             // S + A
        case pcRelative(width: Int)           // S + A - P
        case add(width: Int), sub(width: Int) // RISC-V: existing ± (S + A)
        case set6, sub6                       // RISC-V 6-bit fields
        case setULEB128, subULEB128           // RISC-V ULEB128 fields
    }

    func operation(_ type: UInt32) -> Op? {
        switch ELFMachine(rawValue: elf.machine) {
        case .x86_64:
            switch type {
            case 0: return Op.none
            case 1, 17: return .absolute(width: 8)          // R_X86_64_64, DTPOFF64
            case 10, 11, 21: return .absolute(width: 4)     // 32, 32S, DTPOFF32
            case 2: return .pcRelative(width: 4)            // PC32
            case 24: return .pcRelative(width: 8)           // PC64
            default: return nil
            }
        case .i386:
            switch type {
            case 0: return Op.none
            case 1: return .absolute(width: 4)              // R_386_32
            case 2: return .pcRelative(width: 4)            // R_386_PC32
            default: return nil
            }
        case .aarch64:
            switch type {
            case 0: return Op.none
            case 257: return .absolute(width: 8)            // ABS64
            case 258: return .absolute(width: 4)            // ABS32
            case 259: return .absolute(width: 2)            // ABS16
            case 260: return .pcRelative(width: 8)          // PREL64
            case 261: return .pcRelative(width: 4)          // PREL32
            case 262: return .pcRelative(width: 2)          // PREL16
            default: return nil
            }
        case .riscv:
            switch type {
            case 0, 51: return Op.none                      // NONE, RELAX
            case 1: return .absolute(width: 4)              // R_RISCV_32
            case 2: return .absolute(width: 8)              // R_RISCV_64
            case 33: return .add(width: 1)
            case 34: return .add(width: 2)
            case 35: return .add(width: 4)
            case 36: return .add(width: 8)
            case 37: return .sub(width: 1)
            case 38: return .sub(width: 2)
            case 39: return .sub(width: 4)
            case 40: return .sub(width: 8)
            case 52: return .sub6
            case 53: return .set6
            case 54: return .absolute(width: 1)             // SET8
            case 55: return .absolute(width: 2)             // SET16
            case 56: return .absolute(width: 4)             // SET32
            case 57: return .pcRelative(width: 4)           // 32_PCREL
            case 60: return .setULEB128
            case 61: return .subULEB128
            default: return nil
            }
        case .s390:
            switch type {
            case 0: return Op.none
            case 4: return .absolute(width: 4)              // R_390_32
            case 22: return .absolute(width: 8)             // R_390_64
            case 5: return .pcRelative(width: 4)            // PC32
            case 23: return .pcRelative(width: 8)           // PC64
            default: return nil
            }
        case .bpf:
            switch type {
            case 0: return Op.none
            case 2: return .absolute(width: 8)              // R_BPF_64_ABS64
            case 3, 4: return .absolute(width: 4)           // R_BPF_64_ABS32, R_BPF_64_NODYLD32
            default: return nil
            }
        default:
            return nil
        }
    }

    /// Applies `relocations` to `bytes` (the contents of `target`).
    func apply(_ relocations: [ELFRelocation], to bytes: inout [UInt8], target: ELFSection,
               relocationSection: ELFSection) throws(ELFError) {
        let e = elf.endianness
        for (i, r) in relocations.enumerated() {
            guard let op = operation(r.type) else {
                throw .unsupportedRelocation(type: r.type, machine: ELFMachine(rawValue: elf.machine).description,
                                             section: relocationSection.name, index: i)
            }
            if case .none = op { continue }
            guard Int(r.symbol) < symbols.count || r.symbol == 0 else {
                throw .badRelocation(section: relocationSection.name, index: i, reason: "symbol index \(r.symbol) past the symbol table (\(symbols.count) entries)")
            }
            let sym = r.symbol == 0 ? nil : symbols[Int(r.symbol)]
            var s = sym?.value ?? 0
            if let sym, sym.sectionIndex != 0, Int(sym.sectionIndex) < elf.sections.count {
                s &+= elf.placedAddress(ofSection: Int(sym.sectionIndex))
            }
            let width: Int
            switch op {
            case .absolute(let w), .pcRelative(let w), .add(let w), .sub(let w): width = w
            case .set6, .sub6: width = 1
            case .setULEB128, .subULEB128, .none: width = 0
            }
            guard let off = Int(checked: r.offset), off <= bytes.count, width <= bytes.count - off else {
                throw .badRelocation(section: relocationSection.name, index: i,
                                     reason: "offset 0x\(String(r.offset, radix: 16)) + \(width) lies outside \(target.name) (\(bytes.count) bytes)")
            }
            let existing = read(bytes, off, width, e)
            let a = r.addend.map { UInt64(bitPattern: $0) } ?? existing
            let p = elf.placedAddress(ofSection: target.index) &+ r.offset
            switch op {
            case .none: break
            case .absolute(let w): write(&bytes, off, w, s &+ a, e)
            case .pcRelative(let w): write(&bytes, off, w, s &+ a &- p, e)
            case .add(let w): write(&bytes, off, w, existing &+ s &+ a, e)
            case .sub(let w): write(&bytes, off, w, existing &- (s &+ a), e)
            case .set6: bytes[off] = (bytes[off] & 0xc0) | UInt8(truncatingIfNeeded: (s &+ a) & 0x3f)
            case .sub6: bytes[off] = (bytes[off] & 0xc0) | UInt8(truncatingIfNeeded: (UInt64(bytes[off] & 0x3f) &- (s &+ a)) & 0x3f)
            case .setULEB128, .subULEB128:
                var len = 0
                var old: UInt64 = 0
                while off + len < bytes.count {
                    let byte = bytes[off + len]
                    if len < 10 { old |= UInt64(byte & 0x7f) << UInt64(7 * len) }
                    len += 1
                    if byte & 0x80 == 0 { break }
                }
                guard len > 0, len <= 10 else {
                    throw .badRelocation(section: relocationSection.name, index: i, reason: "malformed ULEB128 at target offset \(off)")
                }
                var v: UInt64
                if case .setULEB128 = op { v = s &+ (r.addend.map { UInt64(bitPattern: $0) } ?? 0) } else { v = old &- (s &+ (r.addend.map { UInt64(bitPattern: $0) } ?? 0)) }
                for k in 0..<len {
                    var byte = UInt8(v & 0x7f)
                    v >>= 7
                    if k < len - 1 { byte |= 0x80 }
                    bytes[off + k] = byte
                }
            }
        }
    }

    private func read(_ b: [UInt8], _ off: Int, _ width: Int, _ e: Endianness) -> UInt64 {
        var v: UInt64 = 0
        for k in 0..<width {
            let byte = UInt64(b[off + (e == .little ? k : width - 1 - k)])
            v |= byte << UInt64(8 * k)
        }
        return v
    }

    private func write(_ b: inout [UInt8], _ off: Int, _ width: Int, _ value: UInt64, _ e: Endianness) {
        for k in 0..<width {
            b[off + (e == .little ? k : width - 1 - k)] = UInt8(truncatingIfNeeded: value >> UInt64(8 * k))
        }
    }
}
