import ArgumentParser
import BTF
import BTFFormat

struct DumpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dump",
        abstract: "Print the types of a BTF blob (raw text identical to `bpftool btf dump file`, or JSON).")

    enum Format: String, ExpressibleByArgument, CaseIterable { case raw, json, c, rust }

    @OptionGroup var input: InputOptions

    @Option(help: "Output format: raw (bpftool's text), json (docs/json-schema.md), c (a C header, as bpftool's 'format c') or rust (no_std bindings).")
    var format: Format = .raw

    @Option(name: .customLong("id"), help: "Print only this type ID (repeatable).")
    var ids: [UInt32] = []

    @Option(name: .shortAndLong, help: "Write to this file (atomically) instead of standard output.")
    var output: String?

    @Option(name: .customLong("type"), help: "Only types with this name (a regular expression matching the whole name; repeatable), and for C/Rust everything they depend on.")
    var types: [String] = []

    @Option(name: .customLong("kind"), help: "Only types of this kind (struct, union, enum, typedef, func ...; repeatable). With --type: both must match.")
    var kinds: [String] = []

    @Flag(help: "Raw format: show the original names of names btfkit escaped for Rust (from its \"name=\" DECL_TAGs, else by undoing _XX_ escapes). C format: a comment with the BTF name after each name renamed for C (docs/c-names.md).")
    var originalNames = false

    @Flag(help: "Print the object's .BTF.ext records (func_info, line_info, CO-RE relocations) instead of its types.")
    var ext = false

    @Flag(help: "C format: print exactly what bpftool 7.1 prints (no renames of names that are not C, the compiler's own __builtin_va_list, which has the wrong layout under -target bpf, no size attribute on 1-byte enums).")
    var bpftoolCompatible = false

    func run() throws {
        if let output { try refuseOverwritingInputs(output: output, inputs: [input.file, input.base]) }
        if bpftoolCompatible && format != .c { throw usageError("--bpftool-compatible only applies to --format c") }
        try reportingErrors(file: input.file, others: [input.base]) {
            let btf = try input.open()
            var selected: [TypeID]? = nil
            if !ids.isEmpty {
                selected = try ids.map { raw -> TypeID in
                    let id = TypeID(raw)
                    guard raw > 0, btf.record(id) != nil else {
                        throw fail("type id \(raw) does not exist (valid: 1...\(btf.typeCount - 1))")
                    }
                    return id
                }
            }
            if !types.isEmpty {
                var matched: [TypeID] = []
                for pattern in types {
                    guard let regex = try? Regex(pattern) else { throw fail("--type '\(pattern)' is not a valid regular expression") }
                    for id in 1..<btf.typeCount {
                        let tid = TypeID(UInt32(id))
                        let name = btf.name(of: tid)
                        if !name.isEmpty, (try? regex.wholeMatch(in: name)) != nil { matched.append(tid) }
                    }
                }
                if matched.isEmpty { throw fail("no type matches \(types.map { "'\($0)'" }.joined(separator: ", "))") }
                selected = (selected ?? []) + matched
            }
            if !kinds.isEmpty {
                var wanted = Set<BTFKind>()
                for k in kinds {
                    guard let kind = BTFKind(name: k) else { throw fail("--kind '\(k)' is not a BTF kind (int, ptr, array, struct, union, enum, fwd, typedef, volatile, const, restrict, func, func_proto, var, datasec, float, decl_tag, type_tag, enum64)") }
                    wanted.insert(kind)
                }
                let pool = selected ?? (1..<btf.typeCount).map { TypeID(UInt32($0)) }
                selected = pool.filter { id in btf.record(id).map { wanted.contains($0.kind) } ?? false }
                if selected?.isEmpty ?? true { throw fail("no type of kind \(kinds.joined(separator: ", "))") }
            }
            var out = output == nil ? TextOutput(fileDescriptor: 1) : TextOutput()
            if ext {
                guard format == .raw else { throw fail("--ext prints text only; drop --format") }
                let raw = try BTFInput.readMaybeCompressed(input.file)
                let extInfo = try BTFExt(bytes: try BTFInput.section(".BTF.ext", of: raw, path: input.file),
                                         section: "\(input.file):.BTF.ext")
                ExtDumper(btf: btf, ext: extInfo).dump(into: &out)
            } else {
                switch format {
                case .raw: RawDumper(btf, originalNames: originalNames).dump(into: &out, ids: selected)
                case .json: JSONDumper(btf).dump(into: &out, ids: selected)
                case .c:
                    var dumper = CDumper(btf)
                    dumper.bpftoolCompatible = bpftoolCompatible
                    dumper.originalNames = originalNames
                    dumper.dump(into: &out, roots: selected)
                case .rust:
                    RustDumper(btf).dump(into: &out, roots: selected)
                }
            }
            if let output {
                try writeAtomically(out.bytes, to: output)
            } else {
                out.flush()
                if out.writeError != 0 && out.writeError != 32 /* EPIPE */ {
                    throw fail("writing standard output failed (errno \(out.writeError))")
                }
            }
        }
    }
}
