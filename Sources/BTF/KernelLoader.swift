import CBPFSyscall

/// Loads BTF into the running kernel with `BPF_BTF_LOAD` (needs CAP_BPF or root) and reports
/// the kernel's verdict and the tail of its verifier log.
public enum KernelLoader {
    public struct Verdict: Sendable {
        public var accepted: Bool
        /// errno when rejected (negative values are never stored).
        public var errno: Int32
        /// The last non-empty lines of the kernel's log (on rejection).
        public var logTail: [String]
        /// The whole log retrieved on rejection.
        public var log: String
    }

    /// Loads `bytes`; on rejection retries with a verifier log to capture the kernel's reason.
    public static func load(_ bytes: [UInt8], tailLines: Int = 3) -> Verdict {
        let fd = bytes.withUnsafeBytes { buf in
            btfkit_btf_load(buf.baseAddress, UInt32(truncatingIfNeeded: buf.count), nil, 0, 0, nil)
        }
        if fd >= 0 {
            btfkit_close(fd)
            return Verdict(accepted: true, errno: 0, logTail: [], log: "")
        }
        let logSize = min(max(bytes.count * 16, 1 << 20), 256 << 20)
        var log = [CChar](repeating: 0, count: logSize)
        var trueSize: UInt32 = 0
        let fd2 = bytes.withUnsafeBytes { buf in
            log.withUnsafeMutableBufferPointer { l in
                btfkit_btf_load(buf.baseAddress, UInt32(truncatingIfNeeded: buf.count), l.baseAddress,
                                UInt32(l.count), 1, &trueSize)
            }
        }
        if fd2 >= 0 { btfkit_close(fd2) }
        let text = log.withUnsafeBufferPointer { p in
            String(decoding: UnsafeRawBufferPointer(p).prefix { $0 != 0 }, as: UTF8.self)
        }
        let lines = text.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
        return Verdict(accepted: false, errno: -fd, logTail: Array(lines.suffix(tailLines)), log: text)
    }

    /// Whether this process may try `BPF_BTF_LOAD` at all (probes with a minimal valid blob).
    public static var isAvailable: Bool {
        var b = BTFBuilder()
        b.add(.int(BTFInt(name: b.string("int"), size: 4, encoding: .signed, bits: 32)))
        return load(b.build()).accepted
    }
}
