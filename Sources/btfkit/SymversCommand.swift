import ArgumentParser
import BTF
import BTFEncoder
import ELF
import ObjectFile
import SymbolVersions
#if canImport(Glibc)
import Glibc
#endif

struct SymversCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "symvers",
        abstract: "Symbol versions (modversions CRCs) of exported kernel symbols, computed from BTF.",
        discussion: """
            'btfkit symvers FILE' versions FILE's exports; 'btfkit symvers diff OLD NEW' says which
            versions changed and why. The grammar and the kABI conventions: docs/symvers.md.
            """,
        subcommands: [SymversComputeCommand.self, SymversDiffCommand.self],
        defaultSubcommand: SymversComputeCommand.self)
}

/// The input options shared by `symvers` and `symvers diff`'s sides.
struct SymversInputOptions: ParsableArguments {
    @Flag(help: "Encode the DWARF even when the file has .BTF (pahole 1.24's function rules plus global_var, so exported variables have a VAR).")
    var fromDwarf = false

    @Option(name: [.customShort("j", allowingJoined: true), .long], help: "Threads for encoding DWARF (the CRCs are the same for any value).")
    var jobs = 1

    @Flag(help: "gendwarfksyms --stable: honour __kabi_reserved*, __kabi_renamed* and __kabi_ignored* members.")
    var stable = false

    enum Visibility: String, ExpressibleByArgument, CaseIterable {
        case all, unit
    }

    @Option(help: "Which definitions a symbol's types expand through: 'all' in the BTF, or only those its compilation unit saw defined in a header, as genksyms does ('unit': needs the file's DWARF).")
    var visibility: Visibility = .all

    @Option(help: ArgumentHelp("kABI rules: a text file (docs/symvers.md) or an object file with gendwarfksyms' .discard.gendwarfksyms.kabi_rules section (repeatable).", valueName: "file"))
    var kabiRules: [String] = []

    func policy() throws -> KABIPolicy {
        var rules = KABIRules()
        for path in kabiRules {
            try reportingErrors(file: path) { try rules.add(contentsOf: path) }
        }
        return KABIPolicy(stable: stable, rules: rules)
    }
}

/// One side's BTF and exports, loaded for versioning.
struct SymversInput {
    var btf: BTFFile
    var exports: ExportTable
    var isELF: Bool
    var isModule: Bool
    var path: String = ""
    var elf: ELFFile? = nil

    /// The symbols to version — the export table's, a list's (`--symbols`), or another file's
    /// export table (`--exports-from`) — and the unreadable entries of the table they come from.
    func symbols(list: String?, exportsFrom: String? = nil) throws -> (exports: [KernelExport], problems: [ExportProblem]) {
        if let exportsFrom {
            let table = try reportingErrors(file: exportsFrom) { try ExportTable(elf: try ELFFile(mappingFile: exportsFrom)) }
            return (table.exports, table.problems)
        }
        guard let list else { return (exports.exports, exports.problems) }
        return (try exports(fromList: list), [])
    }

    /// The versions of `symbols` in this file's BTF, with the kABI policy and the view
    /// (`--visibility`) the options ask for.
    func versions(of symbols: (exports: [KernelExport], problems: [ExportProblem]), options: SymversInputOptions,
                  policy: KABIPolicy) throws -> SymbolVersionSet {
        SymbolVersionSet(btf: btf, exports: symbols.exports, problems: symbols.problems, policy: policy,
                         visibility: try unitVisibility(options, symbols: symbols.exports))
    }

    /// With `--visibility unit`: what each exporting unit saw, from the file's DWARF.
    func unitVisibility(_ options: SymversInputOptions, symbols: [KernelExport]) throws -> UnitVisibility? {
        guard options.visibility == .unit else { return nil }
        guard let elf else { throw usageError("--visibility unit needs an ELF file with DWARF; \(path) is raw BTF") }
        return try reportingErrors(file: path) {
            let dwarf = try ObjectFile.dwarf(of: elf, path: path)
            return try UnitVisibility(dwarf: dwarf, symbols: Set(symbols.map(\.name)))
        }
    }

    /// Reads FILE's BTF (or encodes its DWARF when it has none, or with --from-dwarf) and its
    /// export table.
    static func load(_ path: String, base: String?, options: SymversInputOptions) throws -> SymversInput {
        try reportingErrors(file: path, others: [base]) {
            let baseFile = try base.map { try BTFFile(contentsOf: $0) }
            // vmlinux is hundreds of MB: map it, and read only the sections used.
            guard let elf = try? ELFFile(mappingFile: path) else {
                return SymversInput(btf: try BTFFile(contentsOf: path, base: baseFile), exports: ExportTable(), isELF: false, isModule: false)
            }
            let exports = try ExportTable(elf: elf)
            let btf: BTFFile
            if !options.fromDwarf, elf.section(named: ".BTF") != nil {
                btf = try BTFFile(bytes: try BTFInput.section(".BTF", of: elf, path: path), base: baseFile, section: path + " .BTF")
            } else {
                var encoderOptions = EncoderOptions(features: BTFFeatureSet(BTFFeatureSet.pahole124.features.union([BTFFeature.globalVar])))
                encoderOptions.jobs = options.jobs
                let result = try Encoder.encode(path: path, base: baseFile, options: encoderOptions)
                btf = try BTFFile(bytes: result.blob, base: baseFile, section: path + " (encoded)")
            }
            return SymversInput(btf: btf, exports: exports, isELF: true, isModule: elf.type == SectionPlacement.ET_REL || path.hasSuffix(".ko"),
                                path: path, elf: elf)
        }
    }

    /// The names of a list (one per line, or a Module.symvers file; `-` is standard input), each
    /// with its kind and namespace from the export table when it has one.
    func exports(fromList list: String) throws -> [KernelExport] {
        let text: String
        if list == "-" {
            var data: [UInt8] = []
            var buf = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = read(0, &buf, buf.count)
                if n < 0 { if errno == EINTR { continue }; throw fail("cannot read the symbol list from standard input: \(String(cString: strerror(errno)))") }
                if n == 0 { break }
                data += buf[0..<n]
            }
            text = String(decoding: data, as: UTF8.self)
        } else {
            text = try reportingErrors(file: list) { String(decoding: try BTFInput.readFile(list), as: UTF8.self) }
        }
        let known = Dictionary(exports.exports.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        if let symvers = try? SymversFile(text: text, path: list), !symvers.entries.isEmpty {
            // A Module.symvers (or #SYMVER) file: its names, kinds and namespaces.
            return symvers.entries.enumerated().map { i, e in
                known[e.name] ?? KernelExport(name: e.name, kind: e.kind, namespace: e.namespace, section: list, entryOffset: UInt64(i + 1))
            }
        }
        var out: [KernelExport] = []
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let name = raw.trimmingSpaces
            guard !name.isEmpty, !name.hasPrefix("#") else { continue }
            out.append(known[name] ?? KernelExport(name: name, kind: .symbol, section: list == "-" ? "<stdin>" : list, entryOffset: UInt64(i + 1)))
        }
        return out
    }
}

extension Substring {
    var trimmingSpaces: String {
        String(drop(while: { $0 == " " || $0 == "\t" || $0 == "\r" }).reversed().drop(while: { $0 == " " || $0 == "\t" || $0 == "\r" }).reversed())
    }
}

struct SymversComputeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compute",
        abstract: "Version FILE's exported symbols (the default: 'btfkit symvers FILE').",
        discussion: """
            FILE is vmlinux, a module (.ko, with --base vmlinux) or an object, with .BTF or DWARF.
            Exports come from __ksymtab* (any kernel since 4.19), or from --symbols (one name a
            line; '-' reads standard input, as gendwarfksyms does). Symbols without a BTF FUNC or
            VAR and unreadable export entries get no CRC: --stats lists them.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case symvers, gendwarfksyms, json
    }

    @Argument(help: "vmlinux, a module, an object, or raw BTF (with --symbols).")
    var file: String

    @Option(name: [.customShort("B"), .long], help: "Base BTF (vmlinux) for a module's split BTF.")
    var base: String?

    @Option(help: "Output format: symvers (Module.symvers lines), gendwarfksyms (#SYMVER lines) or json.")
    var format: Format = .symvers

    @Flag(help: "Same as --format json.")
    var json = false

    @Option(help: ArgumentHelp("Also write each definition and symbol line (like genksyms' .symtypes) to this file.", valueName: "file"))
    var symtypes: String?

    @Option(help: ArgumentHelp("Print this symbol's expanded string instead (its line, then each definition it reaches, once); repeatable.", valueName: "name"))
    var expand: [String] = []

    @Option(help: ArgumentHelp("Version these names instead of the export table's (one a line; '-' is standard input).", valueName: "file"))
    var symbols: String?

    @Option(help: ArgumentHelp("Version the exports of another file instead (e.g. Rust-for-Linux's exports.o, whose symbols kernel.o defines).", valueName: "file"))
    var exportsFrom: String?

    @Option(help: "The module column of Module.symvers (default: vmlinux, or the module's file name without .ko).")
    var module: String?

    @Option(name: .shortAndLong, help: "Output file (written atomically; default standard output).")
    var output: String?

    @Flag(help: "Print counts and every symbol without a version to standard error.")
    var stats = false

    @Flag(help: "Print the time taken to standard error.")
    var timing = false

    @OptionGroup var input: SymversInputOptions

    func run() throws {
        if let output { try refuseOverwritingInputs(output: output, inputs: [file, base, symbols, symtypes, exportsFrom]) }
        if let symtypes { try refuseOverwritingInputs(output: symtypes, inputs: [file, base, symbols]) }
        let policy = try input.policy()
        let started = monotonicSeconds()
        let loaded = try SymversInput.load(file, base: base, options: input)
        let loadedAt = monotonicSeconds()
        if symbols != nil && exportsFrom != nil { throw usageError("--symbols and --exports-from both name the symbols; give one") }
        if !loaded.isELF && symbols == nil && exportsFrom == nil {
            throw usageError("\(file) is raw BTF: it has no export table; name the symbols with --symbols FILE (or - for standard input)")
        }
        let set = try loaded.versions(of: try loaded.symbols(list: symbols, exportsFrom: exportsFrom), options: input, policy: policy)
        let computedAt = monotonicSeconds()
        let moduleName = module ?? SymversComputeCommand.moduleName(file, isModule: loaded.isModule)
        var text: String
        switch json ? .json : format {
        case .symvers: text = set.moduleSymvers(module: moduleName)
        case .gendwarfksyms: text = set.gendwarfksymsLines()
        case .json: text = set.json(module: moduleName)
        }
        if !expand.isEmpty {
            text = ""
            for name in expand {
                guard let lines = set.expansion(of: name) else { throw fail("\(name): not a versioned symbol of \(file)") }
                text += lines.joined(separator: "\n") + "\n"
            }
        }
        if let output { try writeAtomically(Array(text.utf8), to: output) } else { var out = text; out.withUTF8 { _ = write(1, $0.baseAddress, $0.count) } }
        if let symtypes { try writeAtomically(Array(set.symtypes().utf8), to: symtypes) }
        if stats {
            printError(set.statistics.fields.map { "\($0.0) \($0.1)" }.joined(separator: ", "))
            for line in set.unversioned { printError("unversioned: \(line)") }
        } else if set.statistics.withoutBTF + set.statistics.unreadableEntries > 0 {
            let hint = !input.fromDwarf && loaded.elf?.section(named: ".debug_info") != nil
                ? "; --from-dwarf encodes the file's DWARF with global_var, so that exported variables have a VAR" : ""
            printError("btfkit: \(set.statistics.withoutBTF) exported symbols have no BTF FUNC or VAR and \(set.statistics.unreadableEntries) export entries are unreadable: no CRC for them (--stats lists them)\(hint)")
        }
        if timing {
            printError("load \(Int((loadedAt - started) * 1000)) ms, versions \(Int((computedAt - loadedAt) * 1000)) ms")
        }
    }

    /// Module.symvers' module column: `vmlinux` for the kernel, else the file name without `.ko`.
    static func moduleName(_ path: String, isModule: Bool) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        if !isModule { return "vmlinux" }
        return name.hasSuffix(".ko") ? String(name.dropLast(3)) : name
    }
}
