import BinaryReader
import BTF
import ELF

/// A BPF ELF object as loaders see it (btf-spec §1.11–1.12, §5.1): its code sections with their
/// instructions, the programs (function symbols) inside them, `.BTF`, `.BTF.ext` and the license.
/// Works for clang's and gcc's BPF output, little- and big-endian.
public struct BPFObject: Sendable {
    /// An executable section: its instructions, in file order.
    public struct CodeSection: Sendable {
        public var name: String
        public var elfIndex: Int
        public var instructions: [BPFInstruction]
    }

    /// A function inside a code section: an entry program, or a subprogram in `.text`.
    public struct Program: Sendable, Hashable {
        public var name: String
        public var section: String
        /// First instruction, as an index into the section.
        public var firstInstruction: Int
        public var instructionCount: Int
        public var isGlobal: Bool
    }

    public let elf: ELFFile
    public let endianness: Endianness
    public let btf: BTFFile
    public let ext: BTFExt?
    public let sections: [CodeSection]
    public let programs: [Program]
    public let license: String?

    /// Reads a BPF object. Throws when the file is not ELF for the BPF machine, has no `.BTF`
    /// or its `.BTF`/`.BTF.ext` are malformed.
    public init(bytes: [UInt8], path: String = "object") throws(CoreError) {
        let elf: ELFFile
        do { elf = try ELFFile(bytes: bytes) } catch { throw CoreError(.malformedObject, "\(path): \(error)") }
        try self.init(elf: elf, path: path)
    }

    public init(elf: ELFFile, path: String = "object") throws(CoreError) {
        self.elf = elf
        endianness = elf.endianness
        guard elf.machine == ELFMachine.bpf.rawValue else {
            throw CoreError(.malformedObject, "\(path): ELF machine \(ELFMachine(rawValue: elf.machine)) is not BPF (247)")
        }
        func contents(_ s: ELFSection) throws(CoreError) -> [UInt8] {
            do { return try elf.contents(of: s) } catch { throw CoreError(.malformedObject, "\(path): section '\(s.name)': \(error)") }
        }
        guard let btfSection = elf.section(named: ".BTF") else {
            throw CoreError(.malformedObject, "\(path): no .BTF section (compile with -g)")
        }
        do { btf = try BTFFile(bytes: try contents(btfSection)) } catch let e as BTFError {
            throw CoreError(.malformedObject, "\(path): \(e)")
        } catch { throw CoreError(.malformedObject, "\(path): \(error)") }
        if let extSection = elf.section(named: ".BTF.ext") {
            do { ext = try BTFExt(bytes: try contents(extSection)) } catch let e as BTFError {
                throw CoreError(.malformedExt, "\(path): \(e)")
            } catch { throw CoreError(.malformedExt, "\(path): \(error)") }
        } else {
            ext = nil
        }
        let shfExec: UInt64 = 0x4
        var code: [CodeSection] = []
        for s in elf.sections where s.type == 1 && s.flags & shfExec != 0 && s.size > 0 {
            let bytes = try contents(s)
            guard bytes.count % BPFInstruction.size == 0 else {
                throw CoreError(.malformedObject, "\(path): code section '\(s.name)' is \(bytes.count) bytes, not a multiple of 8")
            }
            var insns: [BPFInstruction] = []
            insns.reserveCapacity(bytes.count / 8)
            var at = 0
            while let insn = BPFInstruction(bytes, at: at, endianness: elf.endianness) {
                insns.append(insn); at += 8
            }
            code.append(CodeSection(name: s.name, elfIndex: s.index, instructions: insns))
        }
        sections = code
        var progs: [Program] = []
        let symbols: [ELFSymbol]
        do { symbols = try elf.symbols() } catch { throw CoreError(.malformedObject, "\(path): symbol table: \(error)") }
        for sec in code {
            let funcs = symbols.filter { $0.type == ELFSymbol.STT_FUNC && Int($0.sectionIndex) == sec.elfIndex }
                .sorted { $0.value < $1.value }
            for f in funcs {
                let first = Int(clamping: f.value / 8)
                guard first < sec.instructions.count else { continue }
                let count = f.size > 0 ? Int(clamping: f.size / 8) : sec.instructions.count - first
                progs.append(Program(name: f.name, section: sec.name, firstInstruction: first,
                                     instructionCount: min(count, sec.instructions.count - first),
                                     isGlobal: f.binding == 1))
            }
        }
        programs = progs
        if let lic = elf.section(named: "license"), let bytes = try? elf.contents(of: lic) {
            license = String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        } else {
            license = nil
        }
    }

    public init(path: String) throws(CoreError) {
        let elf: ELFFile
        do { elf = try ELFFile(mappingFile: path) } catch {
            throw CoreError(.malformedObject, ELFError.inFile(path: path, error).description)
        }
        try self.init(elf: elf, path: path)
    }

    public func section(named name: String) -> CodeSection? { sections.first { $0.name == name } }

    /// The program (function) that contains instruction `index` of a section.
    public func program(inSection name: String, at index: Int) -> Program? {
        programs.first { $0.section == name && index >= $0.firstInstruction && index < $0.firstInstruction + $0.instructionCount }
    }

    /// The CO-RE records grouped per ELF section, in `.BTF.ext` order.
    public var relocationBlocks: [(section: String, records: [BTFExt.CoreRelocation])] {
        (ext?.relocationBlocks ?? []).map { (btf.string($0.section), $0.records) }
    }
}
