import ArgumentParser
import BTF
import BTFEncoder
import ELF
import ObjectFile
#if canImport(Glibc)
import Glibc
#endif

struct EncodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encode",
        abstract: "Encode an ELF file's DWARF as deduplicated BTF (what `pahole -J` does).",
        discussion: """
            Writes raw BTF to -o (default: INPUT.btf). With --base, the output is split BTF whose
            types continue after the base's (kernel modules over vmlinux). Feature switches mirror
            pahole's --btf_features: \(EncoderOptions.featureNames.joined(separator: ", ")).
            """)

    @Argument(help: "ELF file with DWARF: an object, a kernel module or vmlinux.")
    var input: String

    @Option(name: .shortAndLong, help: "Output file for the raw BTF (written atomically).")
    var output: String?

    @Flag(help: "Write a copy of the ELF with the BTF as its .BTF section (added or replaced) to -o.")
    var embed = false

    @Flag(help: "With --embed: replace the input file itself (atomically) instead of writing -o.")
    var inPlace = false

    @Option(name: [.customShort("B"), .long], help: "Base BTF: the output is split BTF over it.")
    var base: String?

    @Option(name: [.customShort("j", allowingJoined: true), .long], help: "Threads for converting units (output is identical for any value).")
    var jobs = 1

    @Option(parsing: .unconditional, help: "Comma-separated features to turn on (or off with a leading '-'), e.g. 'global_var,-float' or '-float'.")
    var btfFeatures: String?

    @Flag(help: "Print every fallback and skipped item, counted by reason.")
    var stats = false

    @Flag(help: "Print timings to stderr.")
    var timing = false

    func encoderOptions() throws -> EncoderOptions {
        var options = EncoderOptions()
        options.jobs = jobs
        for item in (btfFeatures ?? "").split(separator: ",") {
            let on = !item.hasPrefix("-")
            let name = on ? String(item) : String(item.dropFirst())
            if !options.set(feature: name, on) {
                throw usageError("unknown feature '\(name)' (known: \(EncoderOptions.featureNames.joined(separator: ", ")))")
            }
        }
        return options
    }

    /// Option combinations, checked before any work: each mistake is a usage error (64).
    func validateOutput() throws {
        if embed && !inPlace && output == nil { throw usageError("--embed needs -o OUT or --in-place") }
        if inPlace && !embed { throw usageError("--in-place only makes sense with --embed") }
        if inPlace && output != nil { throw usageError("--in-place replaces the input; drop -o \(output ?? "")") }
        if !inPlace {
            try refuseOverwritingInputs(output: output ?? input + ".btf", inputs: [input, base],
                                        hint: embed ? "; to replace the input's .BTF use --embed --in-place" : "")
        }
    }

    func run() throws {
        let options = try encoderOptions()
        try validateOutput()
        try reportingErrors(file: input, others: [base]) {
            let baseFile = try base.map { try BTFFile(contentsOf: $0) }
            let showProgress = isatty(2) != 0
            let started = monotonicSeconds()
            var progress: (@Sendable (Int, Int) -> Void)? = nil
            if showProgress {
                progress = { (done: Int, total: Int) in
                    if done == total || done % 64 == 0, monotonicSeconds() - started > 1 {
                        printError("\rencoding: \(done)/\(total) units", newline: done == total)
                    }
                }
            }
            let result = try Encoder.encode(path: input, base: baseFile, options: options, progress: progress)
            if embed {
                let image = try ELFFile(bytes: ObjectFile.read(input)).withSection(named: ".BTF", contents: result.blob)
                try writeAtomically(image, to: inPlace ? input : (output ?? input))
            } else {
                try writeAtomically(result.blob, to: output ?? input + ".btf")
            }
            if stats {
                print("types: \(result.encodedCount) encoded, \(result.typeCount) after dedup")
                for (reason, count) in result.report.counts.sorted(by: { $0.key < $1.key }) {
                    let example = result.report.examples[reason] ?? ""
                    print("\(count)\t\(reason)" + (example.isEmpty ? "" : " (e.g. \(example))"))
                }
            }
            if timing {
                printError("encode \(Int(result.encodeSeconds * 1000)) ms, dedup \(Int(result.dedupSeconds * 1000)) ms, \(result.encodedCount) -> \(result.typeCount) types")
            }
        }
    }
}
