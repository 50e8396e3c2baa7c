import ArgumentParser
import BTF
import ELF
import DWARF
#if canImport(Glibc)
import Glibc
#endif

/// The BTF input shared by subcommands: a file (raw BTF, .btf.gz, ELF with .BTF, /sys/kernel/btf/*)
/// and an optional base for split BTF.
struct InputOptions: ParsableArguments {
    @Argument(help: "BTF input: raw BTF, gzip'd raw BTF, an ELF file with .BTF, or /sys/kernel/btf/<name>.")
    var file: String

    @Option(name: [.customShort("B"), .long], help: "Base BTF for split BTF (e.g. vmlinux for a module).")
    var base: String?

    /// The base: `--base`, or — as bpftool does — /sys/kernel/btf/vmlinux for a module's sysfs BTF.
    func openBase() throws -> BTFFile? {
        if let base { return try BTFFile(contentsOf: base) }
        if BTFInput.isKernelModuleBTF(path: file) { return try BTFFile(contentsOf: BTFInput.kernelBTFPath) }
        return nil
    }

    func open() throws -> BTFFile {
        let base = try openBase()
        switch Result(catching: { () throws(BTFError) -> BTFFile in try BTFFile(contentsOf: file, base: base) }) {
        case .success(let btf):
            return btf
        case .failure(let e):
            // Split BTF's strings continue the base's: read alone, its string section starts
            // mid-string. That is the usual reason for this error.
            guard base == nil && e.code == .badStringSection else { throw e }
            throw fail(e.description + "; if this is split BTF (a module's), give its base with --base (e.g. --base /sys/kernel/btf/vmlinux)")
        }
    }
}

/// Prints an error the user can act on and exits with status 1.
func fail(_ message: String, status: Int32 = ExitStatus.failure) -> ExitCode {
    var text = "btfkit: error: " + message + "\n"
    text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    return ExitCode(status)
}

/// Writes a line to standard error (progress and timing reports).
func printError(_ message: String, newline: Bool = true) {
    var text = message + (newline ? "\n" : "")
    text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
}

/// Runs `body`, turning library errors into a message and exit status 1. With `file`, a message
/// that names none of `file` and `others` is prefixed with `file`, so every error says which
/// file it is about.
func reportingErrors<T>(file: String? = nil, others: [String?] = [], _ body: () throws -> T) throws -> T {
    func named(_ message: String) -> String {
        guard let file else { return message }
        if message.contains(file) || others.contains(where: { $0.map { message.contains($0) } ?? false }) { return message }
        return file + ": " + message
    }
    do {
        return try body()
    } catch let e as ExitCode {
        throw e
    } catch let e as CustomStringConvertible & Error {
        throw fail(named(e.description))
    } catch {
        throw fail(named("\(error)"))
    }
}

/// Seconds on the monotonic clock, for the timing options.
func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}
