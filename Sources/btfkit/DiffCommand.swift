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
            (with member-level '-'/'+' lines). Exit status 0 when equal, 1 when different.
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
        let d: BTFDiff = try reportingErrors {
            let baseFile = try base.map { try BTFFile(contentsOf: $0) }
            return BTFDiff(try BTFFile(contentsOf: first, base: baseFile), try BTFFile(contentsOf: second, base: baseFile))
        }
        var out = TextOutput(fileDescriptor: 1)
        if !summary { out.write(d.text) }
        out.write("\(d.onlyInFirst.count) only in \(first), \(d.onlyInSecond.count) only in \(second), \(d.changed.count) changed\n")
        out.flush()
        if !d.isEmpty { throw ExitCode(1) }
    }
}
