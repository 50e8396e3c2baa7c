/// Why the kernel would refuse a BTF blob (btf-spec §2), in the kernel's own words.
public struct ValidationFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// The errno `BPF_BTF_LOAD` returns for this failure.
    public enum Errno: Int32, Sendable, Hashable {
        case EINVAL = 22, E2BIG = 7, EEXIST = 17, ELOOP = 40, ENOTSUPP = 524
        public var name: String {
            switch self {
            case .EINVAL: return "EINVAL"
            case .E2BIG: return "E2BIG"
            case .EEXIST: return "EEXIST"
            case .ELOOP: return "ELOOP"
            case .ENOTSUPP: return "ENOTSUPP"
            }
        }
    }

    /// The kernel's log message (for type-specific failures the kernel prefixes `[id] KIND name`).
    public var message: String
    public var errno: Errno
    /// The type the kernel was checking, when any.
    public var typeID: TypeID?
    /// Absolute byte offset in the blob of the offending field or record.
    public var offset: Int?
    /// Which phase of the kernel's check failed (header, meta, resolve, type-tags).
    public var phase: String

    public var description: String {
        var s = ""
        if let typeID { s += "type \(typeID) " }
        if let offset { s += "at offset \(offset) (0x\(String(offset, radix: 16))) " }
        return s + "[\(phase)] \(message) (\(errno.name))"
    }
}
