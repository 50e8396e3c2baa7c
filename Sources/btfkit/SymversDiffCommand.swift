import ArgumentParser
import BTF
import SymbolVersions
#if canImport(Glibc)
import Glibc
#endif

struct SymversDiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Which exported symbols' versions changed between two builds, and why.",
        discussion: """
            OLD and NEW are two builds of vmlinux or of a module (with --old-base/--new-base), or
            raw BTF with --old-symbols/--new-symbols (a name list or a Module.symvers file).
            Each changed symbol is traced along the shortest chain of types to the nearest type
            whose own definition changed, and symbols are grouped by that root cause.
            Exit status: 0 nothing changed, 1 something changed, 2 an input cannot be read,
            64 usage.
            """)

    @Argument(help: "The old build: vmlinux, a module, or raw BTF.")
    var old: String

    @Argument(help: "The new build.")
    var new: String

    @Option(help: "Base BTF (the old vmlinux) for an old module.")
    var oldBase: String?

    @Option(help: "Base BTF (the new vmlinux) for a new module.")
    var newBase: String?

    @Option(help: ArgumentHelp("Version these names in the old build (a list, one a line, or a Module.symvers file).", valueName: "file"))
    var oldSymbols: String?

    @Option(help: ArgumentHelp("Version these names in the new build.", valueName: "file"))
    var newSymbols: String?

    @Option(help: "Show at most this many symbols per root cause (default: all).")
    var maxSymbols: Int?

    @Flag(help: "Print JSON instead of text.")
    var json = false

    @Flag(help: "Print only the summary line.")
    var summary = false

    @Flag(help: "Print the time taken to standard error.")
    var timing = false

    @OptionGroup var input: SymversInputOptions

    func run() throws {
        let policy = try input.policy()
        let started = monotonicSeconds()
        let (oldSide, newSide): (SymversSide, SymversSide)
        do {
            oldSide = try SymversSide(path: old, base: oldBase, symbols: oldSymbols, input: input, policy: policy)
            newSide = try SymversSide(path: new, base: newBase, symbols: newSymbols, input: input, policy: policy)
        } catch let e as ExitCode where e.rawValue == ExitStatus.failure {
            throw ExitCode(2)
        }
        let loaded = monotonicSeconds()
        let d = SymversDiff(old: oldSide.set, oldBTF: oldSide.btf, new: newSide.set, newBTF: newSide.btf)
        var text = json ? d.json() : (summary ? d.summary + "\n" : d.text(pathsPerCause: maxSymbols ?? Int.max))
        text.withUTF8 { _ = write(1, $0.baseAddress, $0.count) }
        if timing { printError("load and version \(Int((loaded - started) * 1000)) ms, diff \(Int((monotonicSeconds() - loaded) * 1000)) ms") }
        if !d.isEmpty { throw ExitCode(1) }
    }
}

/// One side of a diff: its BTF and its symbols' versions.
struct SymversSide {
    var btf: BTFFile
    var set: SymbolVersionSet

    init(path: String, base: String?, symbols: String?, input: SymversInputOptions, policy: KABIPolicy) throws {
        let loaded = try SymversInput.load(path, base: base, options: input)
        if !loaded.isELF && symbols == nil {
            throw usageError("\(path) is raw BTF: it has no export table; name its symbols with --old-symbols/--new-symbols")
        }
        btf = loaded.btf
        set = try loaded.versions(of: try loaded.symbols(list: symbols), options: input, policy: policy)
    }
}
