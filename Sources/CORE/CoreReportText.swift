import BTF
import BTFFormat

extension CoreRelocationResult {
    /// One line: where, the local spec, the target spec and what was patched (or why it failed).
    public var line: String {
        var s = "\(section) relo #\(index) insn #\(instruction)"
        if let program { s += " (\(program))" }
        s += ": <\(kind)> \(localSpecText)"
        if let skipped { return s + " — skipped: " + skipped }
        if let error { return s + " — FAILED: " + error.message }
        if kind != .typeIDLocal {
            s += " => " + (targetSpecText ?? "no match in \(candidates.count) candidate(s)")
            if let t = targetBTF, t != "vmlinux" { s += " in [\(t)]" }
        }
        if let patch { s += " — " + patch }
        return s
    }

    /// The result as one JSON object (keys documented in docs/core.md).
    public var json: String {
        var f: [(String, String)] = [
            ("section", jsonString(section)), ("relocation", String(index)), ("instruction", String(instruction)),
            ("program", program.map(jsonString) ?? "null"), ("kind", jsonString(kind.description)),
            ("kind_value", String(kind.rawValue)), ("local_type", String(localType.rawValue)),
            ("access", jsonString(accessString)), ("local_spec", jsonString(localSpecText)),
            ("target_spec", targetSpecText.map(jsonString) ?? "null"),
            ("target_type", targetSpec.map { String($0.root.rawValue) } ?? "null"),
            ("target_btf", targetBTF.map(jsonString) ?? "null"),
            ("target_access", targetSpec.map { jsonString($0.raw.map(String.init).joined(separator: ":")) } ?? "null"),
            ("candidates", "[" + candidates.map { String($0.rawValue) }.joined(separator: ",") + "]"),
        ]
        if let v = value {
            f += [("old_value", String(v.original)), ("new_value", String(v.new)), ("poisoned", String(v.poison)),
                  ("validated", String(v.validate))]
        }
        f.append(("patch", patch.map(jsonString) ?? "null"))
        f.append(("skipped", skipped.map(jsonString) ?? "null"))
        f.append(("error", error.map { jsonString($0.description) } ?? "null"))
        return "{" + f.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    }
}

extension CoreRelocationReport {
    public var summary: String {
        let poisoned = results.filter { $0.value?.poison == true || ($0.patch?.hasPrefix("poisoned") ?? false) }.count
        let skipped = results.filter { $0.skipped != nil }.count
        let failed = failures.count
        let patched = results.count - poisoned - skipped - failed
        return "\(results.count) relocations: \(patched) patched, \(poisoned) poisoned, \(skipped) skipped, \(failed) failed"
    }
}

/// A JSON string literal (RFC 8259 §7), written by the printers' `TextOutput`.
func jsonString(_ s: String) -> String {
    var out = TextOutput()
    out.jsonString(s.utf8)
    return out.string
}
