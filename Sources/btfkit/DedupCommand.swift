import ArgumentParser
import BTF

struct DedupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dedup",
        abstract: "Deduplicate BTF (libbpf's algorithm): one copy of each type, forward declarations resolved.",
        discussion: """
            Reads raw BTF or an ELF's .BTF (split BTF with --base) and writes raw BTF. The output
            is deterministic: the same input always gives the same bytes.
            """)

    @OptionGroup var input: InputOptions

    @Option(name: .shortAndLong, help: "Output file (raw BTF), written atomically.")
    var output: String

    @Flag(help: "Print type counts and time to stderr.")
    var timing = false

    func run() throws {
        try refuseOverwritingInputs(output: output, inputs: [input.file, input.base])
        try reportingErrors(file: input.file, others: [input.base]) {
            let t0 = monotonicSeconds()
            let file = try input.open()
            let (blob, count) = try BTFDedup.deduplicate(file)
            try writeAtomically(blob, to: output)
            if timing {
                let ms = Int((monotonicSeconds() - t0) * 1000)
                printError("dedup: \(file.ownTypeCount) -> \(count) types, \(blob.count) bytes, \(ms) ms")
            }
        }
    }
}
