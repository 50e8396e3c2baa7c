/// The diff's reports: text for people, JSON for tools.
extension SymversDiff {
    /// One block per root cause (most symbols first): `~ struct foo: N symbols`, what changed,
    /// then each symbol with its CRCs and path; then `+`/`-` lines for added and removed exports.
    public func text(pathsPerCause limit: Int = Int.max) -> String {
        var out = ""
        for c in causes {
            out += "~ \(c.key): \(c.symbols.count) symbol\(c.symbols.count == 1 ? "" : "s")\n"
            for change in c.changes { out += "    \(change)\n" }
            for s in c.symbols.prefix(limit) {
                out += "    \(s.name) \(Hex.crc(s.oldCRC)) → \(Hex.crc(s.newCRC)): \(s.path.joined(separator: " → "))\n"
            }
            if c.symbols.count > limit { out += "    … and \(c.symbols.count - limit) more\n" }
        }
        for e in added { out += "+ \(e.name) (\(e.kind.rawValue)\(e.namespace.isEmpty ? "" : ", namespace \(e.namespace)"))\n" }
        for e in removed { out += "- \(e.name) (\(e.kind.rawValue)\(e.namespace.isEmpty ? "" : ", namespace \(e.namespace)"))\n" }
        for n in versionedOnOneSide { out += "? \(n): versioned in one build only (no BTF FUNC or VAR in the other)\n" }
        out += summary + "\n"
        return out
    }

    public var summary: String {
        "\(changedCount) changed (\(causes.count) root cause\(causes.count == 1 ? "" : "s")), \(added.count) added, \(removed.count) removed"
    }

    public func json() -> String {
        let causes = causes.map { c in
            "{\"cause\": \(JSONText.quote(c.key)), \"changes\": [" + c.changes.map(JSONText.quote).joined(separator: ", ") + "], \"symbols\": ["
                + c.symbols.map { s in
                    "{\"name\": \(JSONText.quote(s.name)), \"old_crc\": \"\(Hex.crc(s.oldCRC))\", \"new_crc\": \"\(Hex.crc(s.newCRC))\", \"path\": [" + s.path.map(JSONText.quote).joined(separator: ", ") + "]}"
                }.joined(separator: ", ") + "]}"
        }
        var out = "{\n  \"causes\": \(JSONText.list(causes)),\n"
        out += "  \"added\": [" + added.map { JSONText.quote($0.name) }.joined(separator: ", ") + "],\n"
        out += "  \"removed\": [" + removed.map { JSONText.quote($0.name) }.joined(separator: ", ") + "],\n"
        out += "  \"versioned_on_one_side\": [" + versionedOnOneSide.map(JSONText.quote).joined(separator: ", ") + "],\n"
        out += "  \"changed\": \(changedCount)\n}\n"
        return out
    }
}
