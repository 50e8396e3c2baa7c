/// An offline copy of the kernel's `BPF_BTF_LOAD` checks (btf-spec §2; kernel/bpf/btf.c of 6.18):
/// header and section layout, per-record meta checks, reference resolution with the kernel's
/// 32-deep explicit DFS, struct member layout, FUNC/FUNC_PROTO rules, DECL_TAG targets and
/// type-tag ordering. It stops at the first failure, as the kernel does, and reports it with the
/// kernel's message, the type ID and the byte offset.
///
/// Not checked: the kernel's "special field" parsing of structs holding bpf_spin_lock, kptrs
/// and the like (btf-spec §2.5 item 2).
public struct KernelValidator {
    public struct Options: Sendable {
        /// Identifier length limit (`KSYM_NAME_LEN`): 512 on current kernels, 128 before ~6.1.
        public var maxNameLength = 512
        /// Accept kind_flag on TYPE_TAG/DECL_TAG (kernels since early 2025, 6.18 included).
        public var allowTagKindFlag = true
        /// Pointer size of the kernel (`sizeof(void *)`).
        public var pointerSize: UInt32 = 8
        public init() {}
    }

    let data: [UInt8]
    let base: BTFFile?
    let options: Options

    public init(bytes: [UInt8], base: BTFFile? = nil, options: Options = Options()) {
        self.data = bytes
        self.base = base
        self.options = options
    }

    /// nil when the kernel would accept the blob.
    public func validate() -> ValidationFailure? {
        var state = ValidatorState(data: data, base: base, options: options)
        do {
            try state.run()
            return nil
        } catch {
            return error
        }
    }
}
