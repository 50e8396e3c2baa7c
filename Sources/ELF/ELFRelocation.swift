import BinaryReader

/// One relocation entry (ELF spec "Relocation"), REL or RELA, widened to 64 bits.
public struct ELFRelocation: Sendable, Hashable {
    public var offset: UInt64
    public var symbol: UInt32
    public var type: UInt32
    /// Explicit addend (RELA); nil for REL, whose addend is stored at the target.
    public var addend: Int64?
}

extension ELFFile {
    /// Decodes a SHT_RELA or SHT_REL section.
    public func relocations(in section: ELFSection) throws(ELFError) -> [ELFRelocation] {
        let rela = section.type == ELFFile.SHT_RELA
        let bytes = try contents(of: section)
        let b = ByteBuffer(bytes, endianness: endianness, section: section.name)
        let entSize = (elfClass == .elf64 ? 8 : 4) * (rela ? 3 : 2)
        var out: [ELFRelocation] = []
        out.reserveCapacity(bytes.count / entSize)
        var off = 0
        do {
            while off + entSize <= bytes.count {
                if elfClass == .elf64 {
                    var info = try b.u64(at: off + 8)
                    var type = UInt32(truncatingIfNeeded: info)
                    var sym = UInt32(truncatingIfNeeded: info >> 32)
                    if machine == ELFMachine.mips.rawValue && endianness == .little {
                        // MIPS64 little-endian stores r_info as sym (32), ssym, type3, type2, type (8 bits each).
                        info = info.byteSwapped
                        sym = UInt32(truncatingIfNeeded: info >> 32)
                        type = UInt32(info & 0xff)
                    }
                    out.append(ELFRelocation(offset: try b.u64(at: off), symbol: sym, type: type,
                                             addend: rela ? Int64(bitPattern: try b.u64(at: off + 16)) : nil))
                } else {
                    let info = try b.u32(at: off + 4)
                    out.append(ELFRelocation(offset: UInt64(try b.u32(at: off)), symbol: info >> 8, type: info & 0xff,
                                             addend: rela ? Int64(Int32(bitPattern: try b.u32(at: off + 8))) : nil))
                }
                off += entSize
            }
        } catch {
            throw .malformed(error)
        }
        return out
    }
}

/// e_machine values this library knows by name (open constant).
public struct ELFMachine: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public static let i386 = ELFMachine(rawValue: 3)
    public static let mips = ELFMachine(rawValue: 8)
    public static let ppc = ELFMachine(rawValue: 20)
    public static let ppc64 = ELFMachine(rawValue: 21)
    public static let s390 = ELFMachine(rawValue: 22)
    public static let arm = ELFMachine(rawValue: 40)
    public static let x86_64 = ELFMachine(rawValue: 62)
    public static let aarch64 = ELFMachine(rawValue: 183)
    public static let riscv = ELFMachine(rawValue: 243)
    public static let bpf = ELFMachine(rawValue: 247)
    public static let loongarch = ELFMachine(rawValue: 258)

    public var description: String {
        switch self {
        case .i386: return "i386"
        case .mips: return "MIPS"
        case .ppc: return "PowerPC"
        case .ppc64: return "PowerPC64"
        case .s390: return "s390"
        case .arm: return "ARM"
        case .x86_64: return "x86_64"
        case .aarch64: return "AArch64"
        case .riscv: return "RISC-V"
        case .bpf: return "BPF"
        case .loongarch: return "LoongArch"
        default: return "machine \(rawValue)"
        }
    }
}
