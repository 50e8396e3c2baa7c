import BTF
import CBPFSyscall

/// Loads relocated programs into the running kernel with `BPF_PROG_LOAD`, so its verifier judges
/// them. Handles the program types that load without attaching: socket filters, raw tracepoints,
/// BTF tracepoints (`tp_btf/NAME`, attach type resolved in the kernel's BTF as libbpf does) and
/// kprobes. Programs that need maps or calls into other functions are not loaded (reported).
public enum ProgramLoader {
    public struct Verdict: Sendable {
        public var program: String
        public var section: String
        public var accepted: Bool
        public var errno: Int32 = 0
        /// Why the program was not tried, when it wasn't.
        public var skipped: String?
        public var logTail: [String] = []
    }

    /// Program type, expected attach type and attach-BTF name for a section name (libbpf's SEC()).
    static func programType(section: String) -> (type: UInt32, attach: UInt32, attachName: String?)? {
        if section == "socket" || section.hasPrefix("socket/") { return (1, 0, nil) }
        if section.hasPrefix("raw_tp/") || section.hasPrefix("raw_tracepoint/") { return (17, 0, nil) }
        if section.hasPrefix("kprobe/") { return (2, 0, nil) }
        if section.hasPrefix("tp_btf/") { return (26, 23, "btf_trace_" + section.dropFirst("tp_btf/".count)) }
        return nil
    }

    /// Loads every entry program of `object` with the instructions of `report` (relocated).
    public static func verify(_ object: BPFObject, _ report: CoreRelocationReport, kernel: BTFFile) -> [Verdict] {
        var out: [Verdict] = []
        let license = object.license ?? ""
        for p in object.programs where p.isGlobal || p.section != ".text" {
            var v = Verdict(program: p.name, section: p.section, accepted: false)
            guard let (type, attach, attachName) = programType(section: p.section) else {
                v.skipped = "section '\(p.section)' is not a program type that loads without attaching"
                out.append(v); continue
            }
            guard let code = report.sections[p.section] ?? object.section(named: p.section)?.instructions else { continue }
            let insns = Array(code[p.firstInstruction..<(p.firstInstruction + p.instructionCount)])
            if insns.contains(where: { ($0.code == 0x85 && $0.src == 1) || ($0.isLoadImmediate64 && $0.src != 0) }) {
                v.skipped = "uses maps or calls other functions (needs a full loader)"
                out.append(v); continue
            }
            var attachID: UInt32 = 0
            if let name = attachName {
                guard let id = kernel.typeIDs(named: name).first else {
                    v.skipped = "kernel BTF has no \(name)"
                    out.append(v); continue
                }
                attachID = id.rawValue
            }
            let bytes = insns.flatMap { $0.encoded(object.endianness) }
            var log = [CChar](repeating: 0, count: 1 << 20)
            let fd = bytes.withUnsafeBytes { b in
                log.withUnsafeMutableBufferPointer { l in
                    btfkit_prog_load(type, attach, attachID, b.baseAddress, UInt32(insns.count), license, p.name,
                                     l.baseAddress, UInt32(l.count), 1)
                }
            }
            if fd >= 0 {
                btfkit_close(fd)
                v.accepted = true
            } else {
                v.errno = -fd
                let text = log.withUnsafeBufferPointer { String(decoding: UnsafeRawBufferPointer($0).prefix { $0 != 0 }, as: UTF8.self) }
                v.logTail = Array(text.split(separator: "\n").map(String.init).suffix(4))
            }
            out.append(v)
        }
        return out
    }
}
