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
        try BTFFile(contentsOf: file, base: openBase())
    }
}

/// Prints an error the user can act on and exits with status 1.
func fail(_ message: String) -> ExitCode {
    var text = "btfkit: error: " + message + "\n"
    text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    return ExitCode(1)
}

/// Writes a line to standard error (progress and timing reports).
func printError(_ message: String, newline: Bool = true) {
    var text = message + (newline ? "\n" : "")
    text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
}

/// Runs `body`, turning library errors into a message and exit status 1.
func reportingErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let e as BTFError {
        throw fail(e.description)
    } catch let e as ExitCode {
        throw e
    } catch let e as ELFError {
        throw fail(e.description)
    } catch let e as DWARFError {
        throw fail(e.description)
    } catch let e as CustomStringConvertible & Error {
        throw fail(e.description)
    } catch {
        throw fail("\(error)")
    }
}

/// Writes a file atomically: a temporary file in the same directory, then rename(2).
/// A failure never leaves a partial file at `path`.
func writeAtomically(_ bytes: [UInt8], to path: String) throws {
    let dir: String
    if let slash = path.lastIndex(of: "/") { dir = String(path[..<slash]).isEmpty ? "/" : String(path[..<slash]) } else { dir = "." }
    var template = Array("\(dir)/.btfkit-XXXXXX".utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { p in p.baseAddress.map { mkstemp($0) } ?? -1 }
    guard fd >= 0 else { throw fail("cannot create a temporary file in \(dir): \(String(cString: strerror(errno)))") }
    _ = fchmod(fd, 0o644)      // mkstemp makes 0600; outputs are ordinary files
    let tmp = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    var ok = true
    bytes.withUnsafeBytes { buf in
        guard let start = buf.baseAddress else { return }
        var off = 0
        while off < buf.count {
            let n = write(fd, start + off, buf.count - off)
            if n < 0 { if errno == EINTR { continue }; ok = false; return }
            off += n
        }
    }
    if fsync(fd) != 0 { ok = false }
    close(fd)
    guard ok, rename(tmp, path) == 0 else {
        let reason = String(cString: strerror(errno))
        unlink(tmp)
        throw fail("cannot write \(path): \(reason)")
    }
}

/// Seconds on the monotonic clock, for the timing options.
func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}
