import ArgumentParser
import BTF
import BTFFormat

struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Structural diff of two BTFs: added, removed and changed types and functions.",
        discussion: """
            Entities are matched by kind and name, not by type ID; types are spelled out
            structurally. Lines: '- X' only in the first, '+ X' only in the second, '~ X' changed
            (with member-level '-'/'+' lines); member offsets are in bits, FUNC linkage by name
            (static, global, extern). Exit status 0 when equal, 1 when different, 2 when an input
            cannot be read (as diff(1)), 64 for a usage error.
            """)

    @Argument(help: "First BTF (raw, .gz, ELF with .BTF, /sys/kernel/btf/*).")
    var first: String

    @Argument(help: "Second BTF.")
    var second: String

    @Option(name: [.customShort("B"), .long], help: "Base BTF for both (split BTF, e.g. two module builds).")
    var base: String?

    @Flag(help: "Print only the summary line.")
    var summary = false

    func run() throws {
        let d: BTFDiff
        do {
            d = try reportingErrors(file: first, others: [second, base]) {
                let baseFile = try base.map { try BTFFile(contentsOf: $0) }
                return BTFDiff(try BTFFile(contentsOf: first, base: baseFile), try BTFFile(contentsOf: second, base: baseFile))
            }
        } catch let e as ExitCode where e.rawValue == ExitStatus.failure {
            throw ExitCode(2)
        }
        var out = TextOutput(fileDescriptor: 1)
        if !summary { out.write(d.text) }
        out.write("\(d.onlyInFirst.count) only in \(first), \(d.onlyInSecond.count) only in \(second), \(d.changed.count) changed\n")
        out.flush()
        if !d.isEmpty { throw ExitCode(1) }
    }
}
