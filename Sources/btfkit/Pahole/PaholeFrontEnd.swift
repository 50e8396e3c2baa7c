import ArgumentParser
import BTF
import BTFEncoder
import ELF
import ObjectFile
#if canImport(Glibc)
import Glibc
#endif

/// btfkit as `pahole` (a symlink named pahole, or `btfkit pahole …`): what kernel builds call to
/// add BTF to `.tmp_vmlinux*` and modules (docs/pahole-front-end.md). It reports the newest pahole
/// whose rules it implements, so kbuild passes the flags those rules need.
enum PaholeFrontEnd {
    /// What `--version` prints; scripts/pahole-version.sh turns "v1.31" into 131.
    static let version = "v1.31"
    /// Set to 1 to encode Rust units although `--lang_exclude=rust` (kbuild's) asks otherwise.
    static let rustOptIn = "BTFKIT_RUST"
    static let languageExcludeVariable = "PAHOLE_LANG_EXCLUDE"

    /// The pahole names btfkit implements, as `--supported_btf_features` lists them.
    static var supportedFeatures: String {
        BTFFeature.allCases.filter { $0.isPahole && $0.isImplemented }.map(\.rawValue).joined(separator: ",")
    }

    /// Writes `input` with `.BTF` set (and `.BTF.base`, with distilled_base over a base), as pahole
    /// writes them, to `output` (atomically; the input itself for in-place). With one section the
    /// image is written from its mapping: no copy of a 100+ MB .tmp_vmlinux in memory. Detached
    /// output ignores distilled_base, as pahole does.
    static func writeEmbedded(_ result: EncodeResult, from input: String, to output: String) throws {
        guard let d = result.distilled else {
            let edit = try ObjectFile.openELF(input).editingSection(named: ".BTF", contents: result.blob)
            try writeAtomically(to: output) { edit.write($0) }
            return
        }
        let withSplit = try ELFFile(bytes: ObjectFile.openELF(input).withSection(named: ".BTF", contents: d.split))
        try writeAtomically(try withSplit.withSection(named: ".BTF.base", contents: d.base), to: output)
    }

    /// Runs with the arguments after the program name; returns the exit status.
    static func run(_ args: [String]) -> Int32 {
        let c: PaholeCommandLine
        do { c = try PaholeCommandLine.parse(args) } catch {
            printError("pahole: \(error.description)")
            return ExitStatus.usage
        }
        if c.version { print(version); return 0 }
        if c.supportedFeatures {
            print(supportedFeatures)
            return 0
        }
        guard c.encode else {
            printError("pahole: btfkit's pahole only encodes BTF: pass -J (or --btf_encode_detached=FILE)")
            return ExitStatus.usage
        }
        guard c.files.count == 1, let file = c.files.first else {
            printError("pahole: -J takes exactly one file (\(c.files.count) given)")
            return ExitStatus.usage
        }
        let features: BTFFeatureSet
        do {
            let parsed = try c.features()
            if c.verbose { for u in parsed.ignored { printError("Ignoring unsupported feature '\(u.name)'") } }
            features = parsed.set
        } catch {
            printError("pahole: Feature '\(error.name)' is not supported. Supported BTF features are: " + supportedFeatures)
            return ExitStatus.failure
        }
        var options = EncoderOptions(features: features)
        options.jobs = c.jobsGiven ? (c.jobs ?? Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) : 1
        var exclude = c.languageExclude
        if let env = getenv(languageExcludeVariable) { exclude += String(cString: env).split(separator: ",").map(String.init) }
        let rust = getenv(rustOptIn).map { String(cString: $0) == "1" } ?? false
        for name in exclude where !(rust && name == "rust") {
            guard let code = DWARFLanguageNames.codes[name] else {
                printError("pahole: unknown language '\(name)' in --lang_exclude")
                return ExitStatus.usage
            }
            options.excludedLanguages.insert(code)
        }
        do {
            let base = try c.base.map { try BTFFile(contentsOf: $0) }
            let encoded: EncodeResult?
            if c.detached == nil {
                // In place, as pahole does through objcopy: the whole file replaced atomically,
                // its mode kept; a failure leaves it as it was.
                encoded = try InPlaceEncoding.run(file: file, base: base, options: options)
            } else {
                do { encoded = try Encoder.encode(path: file, base: base, options: options) }
                catch EncoderError.noDWARF { encoded = nil }
            }
            guard let result = encoded else {
                // pahole 1.31 leaves a file without DWARF alone and succeeds.
                if c.verbose { printError("pahole: \(file): no DWARF, nothing encoded") }
                return 0
            }
            if c.verbose {
                for (reason, count) in result.report.counts.sorted(by: { $0.key < $1.key }) { printError("\(count)\t\(reason)") }
            }
            if let detached = c.detached { try writeAtomically(result.blob, to: detached) }
            return 0
        } catch let e as ExitCode {
            return e.rawValue
        } catch {
            printError("pahole: \(file): \(error)")
            return ExitStatus.failure
        }
    }
}
