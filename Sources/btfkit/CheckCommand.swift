import ArgumentParser
import BTF

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check BTF against the kernel's BPF_BTF_LOAD rules offline (and optionally with the kernel).",
        discussion: """
            Exit status 0 when the BTF would load, 1 when it would be rejected or cannot be read.
            The failure is printed in the kernel's words with the type id and byte offset.
            """)

    @OptionGroup var input: InputOptions

    @Flag(help: "Also load the BTF into the running kernel (BPF_BTF_LOAD, needs root) and print its verdict.")
    var kernel = false

    @Option(help: "Identifier length limit: 512 (kernels >= 6.1) or 128 (older).")
    var maxNameLength = 512

    func run() throws {
        try reportingErrors(file: input.file, others: [input.base]) {
            let base = try input.openBase()
            let (bytes, section) = try BTFInput.btfBytes(fromFile: input.file)
            var options = KernelValidator.Options()
            options.maxNameLength = maxNameLength
            var rejected = false
            if let failure = KernelValidator(bytes: bytes, base: base, options: options).validate() {
                rejected = true
                var where_ = section
                if let id = failure.typeID { where_ += " type [\(id.rawValue)]" }
                if let off = failure.offset { where_ += " offset \(off) (0x\(String(off, radix: 16)))" }
                print("REJECT \(where_): \(failure.message) (\(failure.errno.name), \(failure.phase) check)")
                if BTFHeader.endianness(of: bytes) == Endianness.host.swapped {
                    print("note: this BTF is \(Endianness.host.swapped); the kernel accepts only its native byte order")
                }
            } else {
                let count = (try? BTFFile(bytes: bytes, base: base, section: section).ownTypeCount).map { "\($0) types" } ?? "BTF"
                print("OK \(section): \(count) pass the kernel's BTF checks")
            }
            if kernel {
                if base != nil {
                    print("kernel: skipped: BPF_BTF_LOAD takes only standalone BTF; split BTF is loaded by the kernel for modules")
                } else {
                    let verdict = KernelLoader.load(bytes)
                    if verdict.accepted {
                        print("kernel: accepted (BPF_BTF_LOAD)")
                        if rejected { print("kernel: DISAGREES with the offline verdict") }
                    } else {
                        let name = verdict.errno == 1 ? "EPERM (run as root)" : "errno \(verdict.errno)"
                        print("kernel: rejected: \(name)")
                        for line in verdict.logTail { print("kernel log: \(line)") }
                        if verdict.errno != 1 {
                            if !rejected { print("kernel: DISAGREES with the offline verdict") }
                            rejected = true
                        }
                    }
                }
            }
            if rejected { throw ExitCode(1) }
        }
    }
}
