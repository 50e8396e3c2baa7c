/// The text formats of symbol versions.
extension SymbolVersionSet {
    /// Module.symvers lines (scripts/mod/modpost.c `write_dump`):
    /// `0xCRC<TAB>name<TAB>module<TAB>EXPORT_SYMBOL[_GPL]<TAB>namespace`, in the order the
    /// symbols were given. Symbols without a version are not written (see `unversioned`).
    public func moduleSymvers(module: String) -> String {
        var out = ""
        for v in versions {
            guard let crc = v.crc else { continue }
            out += "\(Hex.crc(crc))\t\(v.export.name)\t\(module)\t\(v.export.kind.rawValue)\t\(v.export.namespace)\n"
        }
        return out
    }

    /// gendwarfksyms' output: `#SYMVER name 0xCRC`, one per versioned symbol.
    public func gendwarfksymsLines() -> String {
        var out = ""
        for v in versions {
            guard let crc = v.crc else { continue }
            out += "#SYMVER \(v.export.name) \(Hex.crc(crc))\n"
        }
        return out
    }

    /// The symbols without a version and the unreadable export entries, one per line with the
    /// reason: what `--stats` lists.
    public var unversioned: [String] {
        versions.filter { $0.crc == nil }.map { "\($0.export.name): \($0.status)" } + problems.map(\.description)
    }

    /// For reading (`--symtypes`, like genksyms' .symtypes files): every definition the symbols
    /// reach, once, sorted; then each symbol's line with its CRC.
    public func symtypes() -> String {
        var out = ""
        for line in definitionLines { out += line; out += "\n" }
        for (i, v) in versions.enumerated() {
            guard let crc = v.crc, let line = line(of: i) else { continue }
            out += "\(line) = \(Hex.crc(crc))\n"
        }
        return out
    }

    /// One symbol's expanded string, for reading: its line, then every definition it reaches, each
    /// once, in the order a depth-first walk first meets them (with unit visibility, the ones its
    /// unit did not see are shown as declared); nil if the symbol has no version.
    public func expansion(of name: String) -> [String]? {
        guard let i = versions.firstIndex(where: { $0.export.name == name && $0.crc != nil }), let line = symbolLines[i] else { return nil }
        let visible = visibleDefinitions(of: i)
        let nodes = digests.nodes, refs = digests.arena.references
        var out = [digests.arena.string(line) + " = " + Hex.crc(versions[i].crc ?? 0)]
        var seen = Set<Int>()
        // Depth-first, children in the order the line names them; an explicit stack, bounded by
        // the number of definitions.
        var stack: [Int] = line.references.reversed().compactMap { digests.slotIndex(of: refs[$0].target) }
        while let n = stack.popLast() {
            guard seen.insert(n).inserted else { continue }
            let node = nodes[n]
            // A definition the unit did not see was spelled as a declaration by its view.
            if let visible, !visible.contains(node.type), let declared = digests.speller.cachedDeclaration(node.type) {
                out.append(digests.arena.string(declared))
                continue
            }
            out.append(digests.arena.string(node.line))
            for r in node.line.references.reversed() {
                if let t = digests.slotIndex(of: refs[r].target), !seen.contains(t) { stack.append(t) }
            }
        }
        return out
    }

    /// JSON: `{"symbols": [{name, crc, kind, namespace, btf, section, offset}], "unversioned": [...],
    /// "problems": [...], "statistics": {...}}`.
    public func json(module: String) -> String {
        let symbols = versions.indices.filter { versions[$0].crc != nil }.map { i -> String in
            let v = versions[i]
            return "{\"name\": \(JSONText.quote(v.export.name)), \"crc\": \"\(Hex.crc(v.crc ?? 0))\", \"export\": \"\(v.export.kind.rawValue)\", "
                + "\"namespace\": \(JSONText.quote(v.export.namespace)), \"btf_id\": \(v.type?.rawValue ?? 0), "
                + "\"line\": \(JSONText.quote(line(of: i) ?? ""))}"
        }
        let unversioned = versions.filter { $0.crc == nil }.map { v in
            "{\"name\": \(JSONText.quote(v.export.name)), \"reason\": \(JSONText.quote(v.status.rawValue)), \"section\": \(JSONText.quote(v.export.section)), \"offset\": \(v.export.entryOffset)}"
        }
        let problems = problems.map { p in
            "{\"section\": \(JSONText.quote(p.section)), \"offset\": \(p.entryOffset), \"reason\": \(JSONText.quote(p.reason))}"
        }
        var out = "{\n  \"module\": \(JSONText.quote(module)),\n"
        out += "  \"symbols\": \(JSONText.list(symbols)),\n"
        out += "  \"unversioned\": \(JSONText.list(unversioned)),\n"
        out += "  \"problems\": \(JSONText.list(problems)),\n"
        out += "  \"statistics\": {" + statistics.fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}\n}\n"
        return out
    }
}

extension SymbolVersionSet.Statistics {
    /// (name, value) pairs in a fixed order, for `--stats` and JSON.
    public var fields: [(String, Int)] {
        [("exports", exports), ("versioned", versioned), ("without_btf", withoutBTF),
         ("unreadable_entries", unreadableEntries), ("ambiguous", ambiguous),
         ("definitions", definitionsSpelled), ("cycles", cycles), ("types_in_cycles", typesInCycles),
         ("largest_cycle", largestCycle), ("truncated_lines", truncatedLines),
         ("unit_views", unitViews), ("without_unit", withoutUnit)]
    }
}

enum JSONText {
    /// A JSON array of already-encoded items, one per line at the second level: `[]` when empty.
    static func list(_ items: [String]) -> String {
        items.isEmpty ? "[]" : "[\n" + items.map { "    " + $0 }.joined(separator: ",\n") + "\n  ]"
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 { out += "\\u" + String(repeating: "0", count: 4 - String(u.value, radix: 16).count) + String(u.value, radix: 16) }
                else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }
}
