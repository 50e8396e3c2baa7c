import ArgumentParser
import BTF
import BTFFormat
import CORE

struct CoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "core",
        abstract: "Compute a BPF object's CO-RE relocations against a target BTF (libbpf's rules), optionally writing the relocated object.",
        discussion: """
            One line per .BTF.ext core_relo record: section, relocation index, instruction, program, kind,
            the local spec, the agreed target spec, and what was patched (ALU imm, LDX/ST/STX off and size,
            LD_IMM64) or poisoned (call 0xbad2310, as libbpf). Exit status 1 when any relocation failed
            (ambiguity, malformed record, instruction that can't carry it).
            """)

    @Argument(help: "BPF object (clang -target bpf -g, or gcc's BPF backend with -gbtf -mco-re).")
    var object: String

    @Option(help: "Target BTF: raw, .gz, an ELF's .BTF or /sys/kernel/btf/vmlinux (the default).")
    var target: String = BTFInput.kernelBTFPath

    @Option(name: [.customShort("B"), .long], help: "Base BTF when the target is split (a module's BTF over vmlinux).")
    var base: String?

    @Flag(help: "With the running kernel as target: don't search module BTFs (/sys/kernel/btf/*) for roots vmlinux lacks.")
    var noModules = false

    @Flag(help: "One JSON object per relocation (JSON lines).")
    var json = false

    @Option(name: .shortAndLong, help: "Write the relocated object here (atomically); CO-RE records are dropped from its .BTF.ext.")
    var output: String?

    @Flag(help: "Load the relocated programs into the running kernel (BPF_PROG_LOAD) and print the verifier's verdict per program.")
    var verify = false

    @Flag(help: "Print the time spent to stderr.")
    var timing = false

    func run() throws {
        if let output { try refuseOverwritingInputs(output: output, inputs: [object, target, base]) }
        let failed: Bool = try reportingErrors(file: object, others: [target, base]) {
            let t0 = monotonicSeconds()
            let obj = try BPFObject(path: object)
            let targetBTF = try BTFFile(contentsOf: target, base: base.map { try BTFFile(contentsOf: $0) })
            let tParsed = monotonicSeconds()
            // As libbpf without a custom target: module BTFs are searched for roots vmlinux lacks.
            let searchModules = target == BTFInput.kernelBTFPath && base == nil && !noModules
            let report = CoreRelocator(object: obj, target: targetBTF,
                                       modules: searchModules ? { ModuleBTFs.running(over: targetBTF) } : nil).run()
            let t1 = monotonicSeconds()
            var out = TextOutput(fileDescriptor: 1)
            for r in report.results { out.write((json ? r.json : r.line) + "\n") }
            out.flush()
            if !json { printError(report.summary) }
            if let output {
                try writeAtomically(try obj.relocatedELF(report), to: output)
            }
            var rejected = false
            if verify {
                let kernel = target == BTFInput.kernelBTFPath ? targetBTF : try BTFFile(contentsOf: BTFInput.kernelBTFPath)
                for v in ProgramLoader.verify(obj, report, kernel: kernel) {
                    if let why = v.skipped {
                        printError("verify \(v.program) (\(v.section)): skipped — \(why)")
                    } else if v.accepted {
                        printError("verify \(v.program) (\(v.section)): accepted by the kernel's verifier")
                    } else {
                        rejected = true
                        printError("verify \(v.program) (\(v.section)): REJECTED, errno \(v.errno)\n  " + v.logTail.joined(separator: "\n  "))
                    }
                }
            }
            if timing {
                printError("timing: \(format3(tParsed - t0)) s to read the object and the target, \(format3(t1 - tParsed)) s to relocate \(report.results.count) records, \(format3(t1 - t0)) s in all")
            }
            return !report.failures.isEmpty || rejected
        }
        if failed { throw ExitCode(1) }
    }
}

func format3(_ seconds: Double) -> String {
    let ms = Int((seconds * 1000).rounded())
    return "\(ms / 1000).\(String(repeating: "0", count: 3 - String(ms % 1000).count))\(ms % 1000)"
}
