import ArgumentParser
import BTF
import CORE

struct MinimizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "minimize",
        abstract: "Write the minimal BTF that serves these BPF objects' CO-RE relocations (bpftool gen min_core_btf).",
        discussion: """
            Relocates every object against the target and keeps only the types and members their
            relocations use (structs keep their size and member offsets). Ship the result for kernels
            without /sys/kernel/btf/vmlinux and pass it to the loader as the target BTF.
            """)

    @Argument(help: "BPF objects (clang -target bpf -g).")
    var objects: [String]

    @Option(help: "The full target BTF (a kernel's vmlinux BTF: raw, .gz or an ELF's .BTF).")
    var target: String = BTFInput.kernelBTFPath

    @Option(name: .shortAndLong, help: "Output file (raw BTF), written atomically.")
    var output: String

    @Flag(help: "Print sizes to stderr.")
    var stats = false

    func run() throws {
        try refuseOverwritingInputs(output: output, inputs: objects + [target])
        try reportingErrors(file: target, others: objects) {
            let full = try BTFFile(contentsOf: target)
            var reports: [CoreRelocationReport] = []
            for path in objects {
                let report = CoreRelocator(object: try BPFObject(path: path), target: full).run()
                if let f = report.failures.first, let e = f.error { throw CoreError(e.code, "\(path): \(e)") }
                reports.append(report)
            }
            let bytes = try MinimalBTF.build(target: full, reports: reports)
            try writeAtomically(bytes, to: output)
            if stats {
                let min = try BTFFile(bytes: bytes)
                printError("\(output): \(bytes.count) bytes, \(min.ownTypeCount) types (target: \(full.data.bytes.count) bytes, \(full.ownTypeCount) types), \(reports.reduce(0) { $0 + $1.results.count }) relocations")
            }
        }
    }
}
