import BinaryReader

/// One 8-byte eBPF instruction slot (kernel `struct bpf_insn`; btf-spec §5.8): opcode, the two
/// 4-bit register fields, a signed 16-bit offset and a signed 32-bit immediate. The register
/// nibbles swap places in big-endian objects (dst in the high nibble), as the kernel's
/// bitfield layout does.
public struct BPFInstruction: Hashable, Sendable, CustomStringConvertible {
    public var code: UInt8
    public var dst: UInt8
    public var src: UInt8
    public var offset: Int16
    public var immediate: Int32

    public init(code: UInt8, dst: UInt8 = 0, src: UInt8 = 0, offset: Int16 = 0, immediate: Int32 = 0) {
        self.code = code; self.dst = dst; self.src = src; self.offset = offset; self.immediate = immediate
    }

    public static let size = 8

    /// Decodes the slot starting at `at`; nil if fewer than 8 bytes remain.
    public init?(_ bytes: [UInt8], at: Int, endianness: Endianness) {
        guard at >= 0, at <= bytes.count - 8 else { return nil }
        code = bytes[at]
        let regs = bytes[at + 1]
        if endianness == .little { dst = regs & 0x0f; src = regs >> 4 } else { dst = regs >> 4; src = regs & 0x0f }
        let o0 = UInt16(bytes[at + 2]), o1 = UInt16(bytes[at + 3])
        offset = Int16(bitPattern: endianness == .little ? o0 | o1 << 8 : o0 << 8 | o1)
        var imm: UInt32 = 0
        for k in 0..<4 {
            let shift = UInt32(endianness == .little ? k : 3 - k) * 8
            imm |= UInt32(bytes[at + 4 + k]) << shift
        }
        immediate = Int32(bitPattern: imm)
    }

    /// The 8 bytes of this slot in the given byte order.
    public func encoded(_ endianness: Endianness) -> [UInt8] {
        let regs = endianness == .little ? (dst & 0x0f) | (src << 4) : (dst << 4) | (src & 0x0f)
        let off = UInt16(bitPattern: offset), imm = UInt32(bitPattern: immediate)
        var out: [UInt8] = [code, regs]
        if endianness == .little {
            out += [UInt8(off & 0xff), UInt8(off >> 8)]
            out += (0..<4).map { UInt8(truncatingIfNeeded: imm >> (8 * UInt32($0))) }
        } else {
            out += [UInt8(off >> 8), UInt8(off & 0xff)]
            out += (0..<4).map { UInt8(truncatingIfNeeded: imm >> (8 * UInt32(3 - $0))) }
        }
        return out
    }

    // MARK: - Opcode fields (kernel include/uapi/linux/bpf_common.h)

    public var instructionClass: InstructionClass { InstructionClass(rawValue: code & 0x07) }
    /// BPF_SRC: true for BPF_X (register source), false for BPF_K (immediate).
    public var usesRegisterSource: Bool { code & 0x08 != 0 }
    /// BPF_SIZE field of load/store opcodes.
    public var sizeField: UInt8 { code & 0x18 }
    /// BPF_MODE field of load/store opcodes.
    public var modeField: UInt8 { code & 0xe0 }

    /// Access width in bytes of a load/store (`BPF_SIZE`): 1, 2, 4 or 8.
    public var accessSize: Int {
        switch sizeField {
        case 0x18: return 8
        case 0x00: return 4
        case 0x08: return 2
        default: return 1
        }
    }

    /// The BPF_SIZE bits for an access width, nil for widths a load/store can't have.
    public static func sizeField(forBytes n: UInt64) -> UInt8? {
        switch n {
        case 8: return 0x18
        case 4: return 0x00
        case 2: return 0x08
        case 1: return 0x10
        default: return nil
        }
    }

    /// `BPF_LD | BPF_IMM | BPF_DW`: the first slot of a 16-byte 64-bit immediate load.
    public var isLoadImmediate64: Bool { code == 0x18 }

    /// What libbpf writes over an instruction whose relocation could not be satisfied: a call of
    /// helper 0xbad2310 ("bad relo"), which the verifier rejects only if it is reachable.
    public static let poisoned = BPFInstruction(code: 0x85, immediate: 195_896_080)

    public var description: String {
        "code=0x\(String(code, radix: 16)) dst=r\(dst) src=r\(src) off=\(offset) imm=\(immediate)"
    }
}

/// BPF instruction class (low three opcode bits), an open constant.
public struct InstructionClass: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let ld = Self(rawValue: 0)
    public static let ldx = Self(rawValue: 1)
    public static let st = Self(rawValue: 2)
    public static let stx = Self(rawValue: 3)
    public static let alu = Self(rawValue: 4)
    public static let jmp = Self(rawValue: 5)
    public static let jmp32 = Self(rawValue: 6)
    public static let alu64 = Self(rawValue: 7)
    public var description: String {
        ["LD", "LDX", "ST", "STX", "ALU", "JMP", "JMP32", "ALU64"][Int(rawValue & 7)]
    }
}
