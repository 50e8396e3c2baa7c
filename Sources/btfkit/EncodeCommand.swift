import ArgumentParser
import BTF
import BTFEncoder
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
            pahole's --btf_features (--list-btf-features lists them).
            """)

    @Argument(help: "ELF file with DWARF: an object, a kernel module or vmlinux.")
    var inputFile: String?

    var input: String { inputFile ?? "" }

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

    @Option(parsing: .unconditionalSingleValue, help: ArgumentHelp(
        "Features, comma-separated, applied in order to the default: 'name' or '+name' on, '-name' off; 'default', 'pahole-default', 'pahole-1.24', 'all' or 'none' replace the set (repeatable; e.g. 'global_var,-float'). Unknown names are ignored with a warning.",
        valueName: "list"))
    var btfFeatures: [String] = []

    @Option(parsing: .unconditionalSingleValue, help: ArgumentHelp("Like --btf-features, but an unknown or unimplemented name is an error.", valueName: "list"))
    var btfFeaturesStrict: [String] = []

    @Flag(help: "List the feature names (pahole's and btfkit's), whether each is in the default set and implemented, and exit.")
    var listBtfFeatures = false

    @Flag(help: "Print every fallback and skipped item, counted by reason.")
    var stats = false

    @Flag(help: "Print timings to stderr.")
    var timing = false

    func encoderOptions() throws -> EncoderOptions {
        let set: BTFFeatureSet
        do {
            let lenient = try BTFFeatureSet.parse(btfFeatures, strict: false)
            for u in lenient.ignored { printError("btfkit: warning: \(u.description) (ignored; --btf-features-strict makes this an error)") }
            set = try BTFFeatureSet.parse(btfFeaturesStrict, strict: true, start: lenient.set).set
        } catch {
            throw usageError("\(error.description) (btfkit encode --list-btf-features lists them)")
        }
        var options = EncoderOptions(features: set)
        options.jobs = jobs
        return options
    }

    /// `--list-btf-features`: one line per feature.
    static func featureTable() -> String {
        var lines = ["feature             default  pahole-default  implemented  what"]
        for f in BTFFeature.allCases {
            let name = f.rawValue.padded(20)
            let d = (BTFFeatureSet.btfkitDefault.contains(f) ? "on" : "off").padded(9)
            let p = (f.isPahole ? (f.inPaholeDefault ? "on" : "off") : "-").padded(16)
            let i = (f.isImplemented ? "yes" : "not yet").padded(13)
            lines.append(name + d + p + i + f.summary)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Option combinations, checked before any work: each mistake is a usage error (64).
    func validateOutput() throws {
        guard inputFile != nil else { throw usageError("missing the input file (btfkit encode FILE)") }
        if embed && !inPlace && output == nil { throw usageError("--embed needs -o OUT or --in-place") }
        if inPlace && !embed { throw usageError("--in-place only makes sense with --embed") }
        if inPlace && output != nil { throw usageError("--in-place replaces the input; drop -o \(output ?? "")") }
        if !inPlace {
            try refuseOverwritingInputs(output: output ?? input + ".btf", inputs: [input, base],
                                        hint: embed ? "; to replace the input's .BTF use --embed --in-place" : "")
        }
    }

    func run() throws {
        if listBtfFeatures {
            print(EncodeCommand.featureTable(), terminator: "")
            return
        }
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
                try PaholeFrontEnd.writeEmbedded(result, from: input, to: inPlace ? input : (output ?? input))
            } else {
                if result.distilled != nil { printError("btfkit: warning: distilled_base applies to --embed output only (as pahole: not to raw BTF)") }
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
                for phase in result.phases { printError("  \(phase.name.padded(40))\(Int((phase.seconds * 1000).rounded())) ms") }
            }
        }
    }
}

extension String {
    /// Left-aligned in a column of `width` characters.
    func padded(_ width: Int) -> String { count >= width ? self + " " : self + String(repeating: " ", count: width - count) }
}
