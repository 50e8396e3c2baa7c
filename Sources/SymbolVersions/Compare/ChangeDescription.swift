import BTF

/// Says in words what changed in one entity, from `btfkit diff`'s shape lines
/// (`BTFDiff.entity`): `member 'foo' added: int at bit 1472`, `size 232 → 240`, ...
enum ChangeDescription {
    /// The phrases for an entity whose shape went from `old` to `new`.
    static func phrases(old: [String], new: [String]) -> [String] {
        let oldSet = Set(old), newSet = Set(new)
        let removed = old.filter { !newSet.contains($0) }, added = new.filter { !oldSet.contains($0) }
        var out: [String] = []
        var handledRemoved = Set<String>(), handledAdded = Set<String>()

        // Members and enumerators, paired by name.
        func named(_ lines: [String], _ kind: LineKind) -> [(String, String, String)] {
            lines.compactMap { l in kind.split(l).map { (l, $0.name, $0.rest) } }
        }
        for kind in [LineKind.member, .enumerator] {
            let r = named(removed, kind), a = named(added, kind)
            let addedByName = Dictionary(a.map { ($0.1, $0) }, uniquingKeysWith: { x, _ in x })
            let removedNames = Set(r.map(\.1))
            var moved: [Int64: [String]] = [:]
            for (line, name, rest) in r {
                if let (aLine, _, aRest) = addedByName[name] {
                    if kind == .member, let delta = ChangeDescription.offsetDelta(rest, aRest) {
                        moved[delta, default: []].append(name)
                    } else if rest.count + aRest.count > 200 {
                        out.append("\(kind.word) '\(name)' changed: " + ChangeDescription.lineDifference(old: rest, new: aRest, context: 30, prefix: ""))
                    } else {
                        out.append("\(kind.word) '\(name)' changed: \(rest) → \(aRest)")
                    }
                    handledAdded.insert(aLine)
                } else {
                    out.append("\(kind.word) '\(name)' removed (was \(rest))")
                }
                handledRemoved.insert(line)
            }
            for (delta, names) in moved.sorted(by: { $0.key < $1.key }) {
                let shown = names.count > 6 ? names.prefix(5).joined(separator: ", ") + ", … (\(names.count) in all)" : names.joined(separator: ", ")
                out.append("\(names.count) member\(names.count == 1 ? "" : "s") moved by \(delta > 0 ? "+" : "")\(delta) bits: \(shown)")
            }
            for (line, name, rest) in a where !removedNames.contains(name) {
                out.append("\(kind.word) '\(name)' added: \(rest)")
                handledAdded.insert(line)
            }
        }
        let restRemoved = removed.filter { !handledRemoved.contains($0) }
        let restAdded = added.filter { !handledAdded.contains($0) }
        if restRemoved.count == 1, restAdded.count == 1 {
            out.insert("\(restRemoved[0]) → \(restAdded[0])", at: 0)
        } else {
            out.insert(contentsOf: restRemoved.map { "was: \($0)" } + restAdded.map { "now: \($0)" }, at: 0)
        }
        return out
    }

    enum LineKind {
        case member, enumerator
        var word: String { self == .member ? "member" : "enumerator" }

        /// `member NAME: REST` or `NAME = VALUE`.
        func split(_ line: String) -> (name: String, rest: String)? {
            switch self {
            case .member:
                guard line.hasPrefix("member "), let colon = line.firstIndex(of: ":") else { return nil }
                let name = line[line.index(line.startIndex, offsetBy: 7)..<colon]
                return (String(name), String(line[line.index(after: colon)...].drop(while: { $0 == " " })))
            case .enumerator:
                let parts = line.split(separator: " ", maxSplits: 2)
                guard parts.count == 3, parts[1] == "=" else { return nil }
                return (String(parts[0]), "= " + parts[2])
            }
        }
    }

    /// `T at bit A[, W bits wide]` → `T at bit B[, same]`: the shift B - A, when nothing else differs.
    static func offsetDelta(_ a: String, _ b: String) -> Int64? {
        func split(_ s: String) -> (String, Int64, String)? {
            let words = s.split(separator: " ", omittingEmptySubsequences: false)
            guard let at = words.lastIndex(where: { $0 == "at" }), at + 2 < words.count, words[at + 1] == "bit" else { return nil }
            let number = words[at + 2].prefix { $0 != "," }
            guard let v = Int64(number) else { return nil }
            return (words[..<at].joined(separator: " "), v, words[(at + 2)...].joined(separator: " ").dropFirst(number.count).description)
        }
        guard let x = split(a), let y = split(b), x.0 == y.0, x.2 == y.2, x.1 != y.1 else { return nil }
        return y.1 - x.1
    }

    /// When the shapes agree (the difference lies deeper than `btfkit diff` spells, or comes from
    /// a kABI rule), the two grammar lines around their first difference.
    static func lineDifference(old: String, new: String, context: Int = 40, prefix: String = "definition changed: ") -> String {
        let a = Array(old), b = Array(new)
        var p = 0
        while p < a.count, p < b.count, a[p] == b[p] { p += 1 }
        var s = 0
        while s < a.count - p, s < b.count - p, a[a.count - 1 - s] == b[b.count - 1 - s] { s += 1 }
        func cut(_ x: [Character]) -> String {
            let from = max(0, p - context), to = min(x.count, x.count - s + context)
            return (from > 0 ? "…" : "") + String(x[from..<max(from, to)]) + (to < x.count ? "…" : "")
        }
        return prefix + "\(cut(a)) → \(cut(b))"
    }
}
