import BTF

/// Which exported symbols' versions changed between two builds, and why (docs/symvers.md,
/// "Diff"): each changed symbol is traced along the shortest chain of definitions to the nearest
/// one whose own line changed — its *root cause* — and symbols are grouped by root cause, each
/// cause described as `btfkit diff` describes a changed type.
public struct SymversDiff: Sendable {
    public struct ChangedSymbol: Sendable, Hashable {
        public var name: String
        public var oldCRC: UInt32
        public var newCRC: UInt32
        /// From the symbol to its root cause: `["kfree_skb", "struct sk_buff_head", "struct sk_buff"]`.
        public var path: [String]
    }

    public struct Cause: Sendable, Hashable {
        /// `struct sk_buff`, or `prototype of kfree` when the symbol's own type changed.
        public var key: String
        /// What changed, in words.
        public var changes: [String]
        public var symbols: [ChangedSymbol]
    }

    public var causes: [Cause] = []
    public var added: [KernelExport] = []
    public var removed: [KernelExport] = []
    /// Symbols versioned on one side only (no BTF on the other).
    public var versionedOnOneSide: [String] = []
    public var changedCount: Int { causes.reduce(0) { $0 + $1.symbols.count } }
    public var isEmpty: Bool { causes.isEmpty && added.isEmpty && removed.isEmpty }

    public init(old: SymbolVersionSet, oldBTF: BTFFile, new: SymbolVersionSet, newBTF: BTFFile) {
        let oldByName = Dictionary(old.versions.indices.map { (old.versions[$0].export.name, $0) }, uniquingKeysWith: { a, _ in a })
        let newNames = Set(new.versions.map(\.export.name))
        removed = old.versions.filter { !newNames.contains($0.export.name) }.map(\.export)

        let oldDefinitions = SymversDiff.definitionsByKey(old)
        let graph = CauseGraph(new, changed: { key, line in !(oldDefinitions[key]?.lines.contains(line) ?? false) })

        var byCause: [String: Cause] = [:]
        for (i, v) in new.versions.enumerated() {
            guard let oi = oldByName[v.export.name] else { added.append(v.export); continue }
            let o = old.versions[oi]
            guard let newCRC = v.crc, let oldCRC = o.crc else {
                if (v.crc == nil) != (o.crc == nil) { versionedOnOneSide.append(v.export.name) }
                continue
            }
            guard newCRC != oldCRC else { continue }
            let newLine = new.line(of: i) ?? "", oldLine = old.line(of: oi) ?? ""
            var key: String, path: [String], changes: [String]
            if newLine != oldLine {
                let what = newBTF.record(v.type ?? .void)?.kind == .variable ? "type of" : "prototype of"
                key = "\(what) \(v.export.name)"
                path = [v.export.name]
                changes = SymversDiff.describe(oldID: o.type, oldBTF: oldBTF, newID: v.type, newBTF: newBTF, oldLine: oldLine, newLine: newLine)
            } else if let chain = graph.path(from: new.symbolLines[i], visible: new.visibleDefinitions(of: i)) {
                let last = chain.last ?? 0
                key = graph.displayName(last)
                path = [v.export.name] + chain.map(graph.displayName)
                if let known = byCause[key] {
                    changes = known.changes
                } else {
                    let before = oldDefinitions[graph.keys[last]]
                    changes = SymversDiff.describeType(oldIDs: before?.types ?? [], oldBTF: oldBTF, newID: graph.type(last), newBTF: newBTF,
                                                       oldLines: before?.lines ?? [], newLine: graph.line(last))
                }
            } else {
                key = "the shape of the type graph"
                path = [v.export.name]
                changes = ["no definition reachable from it changed its own line: a reference now leads to another definition of the same name, or cycles regrouped"]
            }
            byCause[key, default: Cause(key: key, changes: changes, symbols: [])].symbols.append(
                ChangedSymbol(name: v.export.name, oldCRC: oldCRC, newCRC: newCRC, path: path))
        }
        causes = byCause.values.sorted { ($0.symbols.count, $1.key) > ($1.symbols.count, $0.key) }
        for i in causes.indices { causes[i].symbols.sort { ($0.path.count, $0.name) < ($1.path.count, $1.name) } }
    }

    /// Definition key (`s#foo`) → the definition lines with that key and their types.
    static func definitionsByKey(_ set: SymbolVersionSet) -> [String: (lines: Set<String>, types: [TypeID])] {
        var out: [String: (lines: Set<String>, types: [TypeID])] = [:]
        for n in set.digests.nodes {
            let line = set.digests.arena.string(n.line)
            let key = String(line.prefix { $0 != " " })
            out[key, default: ([], [])].lines.insert(line)
            out[key, default: ([], [])].types.append(n.type)
        }
        return out
    }

    static func describe(oldID: TypeID?, oldBTF: BTFFile, newID: TypeID?, newBTF: BTFFile, oldLine: String, newLine: String) -> [String] {
        if let oldID, let newID, let o = BTFDiff.entity(oldID, in: oldBTF), let n = BTFDiff.entity(newID, in: newBTF), o.shape != n.shape {
            // FUNC shapes: linkage, then the prototype with parameter names.
            return ChangeDescription.phrases(old: o.shape, new: n.shape)
        }
        return [ChangeDescription.lineDifference(old: oldLine, new: newLine)]
    }

    static func describeType(oldIDs: [TypeID], oldBTF: BTFFile, newID: TypeID, newBTF: BTFFile, oldLines: Set<String>, newLine: String) -> [String] {
        guard !oldIDs.isEmpty else { return ["new definition (not reached in the old build)"] }
        guard let n = BTFDiff.entity(newID, in: newBTF) else { return [] }
        // The old definition of that name closest to the new one.
        var best: [String]? = nil
        for id in oldIDs {
            guard let o = BTFDiff.entity(id, in: oldBTF), o.shape != n.shape else { continue }
            let p = ChangeDescription.phrases(old: o.shape, new: n.shape)
            if best == nil || p.count < (best?.count ?? 0) { best = p }
        }
        if let best { return best }
        return [ChangeDescription.lineDifference(old: oldLines.sorted().first ?? "", new: newLine)]
    }
}

/// The new build's definitions as a graph, with, for each, the distance to and next step
/// towards the nearest changed definition: one breadth-first search backwards from all changed
/// definitions at once, so that every symbol's shortest path is a walk of next steps.
struct CauseGraph {
    let set: SymbolVersionSet
    var keys: [String] = []
    var distance: [Int32]
    var next: [Int32]

    init(_ set: SymbolVersionSet, changed: (String, String) -> Bool) {
        self.set = set
        let nodes = set.digests.nodes
        distance = Array(repeating: -1, count: nodes.count)
        next = Array(repeating: -1, count: nodes.count)
        var incoming: [[Int32]] = Array(repeating: [], count: nodes.count)
        var queue: [Int32] = []
        for (i, n) in nodes.enumerated() {
            let line = set.digests.arena.string(n.line)
            let key = String(line.prefix { $0 != " " })
            keys.append(key)
            if changed(key, line) { distance[i] = 0; queue.append(Int32(i)) }
            for r in n.line.references {
                if let t = set.digests.slotIndex(of: set.digests.arena.references[r].target) { incoming[t].append(Int32(i)) }
            }
        }
        var head = 0
        while head < queue.count {
            let t = Int(queue[head]); head += 1
            for s in incoming[t] where distance[Int(s)] < 0 {
                distance[Int(s)] = distance[t] + 1
                next[Int(s)] = Int32(t)
                queue.append(s)
            }
        }
    }

    /// The chain of node indices from a symbol line's nearest reference to a changed definition.
    /// With `visible` (unit visibility), only through the structs, unions and enums the symbol's
    /// unit saw defined: a forward breadth-first search.
    func path(from line: SpelledLine?, visible: Set<TypeID>?) -> [Int]? {
        guard let line else { return nil }
        if let visible { return path(from: line, within: visible) }
        var best: Int? = nil
        for r in line.references {
            guard let t = set.digests.slotIndex(of: set.digests.arena.references[r].target), distance[t] >= 0 else { continue }
            if best == nil || distance[t] < distance[best ?? t] { best = t }
        }
        guard var at = best else { return nil }
        var chain = [at]
        while distance[at] > 0, next[at] >= 0, chain.count <= keys.count {
            at = Int(next[at]); chain.append(at)
        }
        return chain
    }

    func path(from line: SpelledLine, within visible: Set<TypeID>) -> [Int]? {
        let nodes = set.digests.nodes, refs = set.digests.arena.references
        func sees(_ n: Int) -> Bool { DefinitionKey(key: keys[n]) == .typedef || visible.contains(nodes[n].type) }
        var parent: [Int: Int] = [:]
        var queue: [Int] = []
        for r in line.references {
            guard let t = set.digests.slotIndex(of: refs[r].target), parent[t] == nil, sees(t) else { continue }
            parent[t] = -1; queue.append(t)
        }
        var head = 0
        while head < queue.count {
            let n = queue[head]; head += 1
            if distance[n] == 0 {
                var chain = [n], at = n
                while let p = parent[at], p >= 0, chain.count <= nodes.count { chain.append(p); at = p }
                return chain.reversed()
            }
            for r in nodes[n].line.references {
                guard let t = set.digests.slotIndex(of: refs[r].target), parent[t] == nil, sees(t) else { continue }
                parent[t] = n; queue.append(t)
            }
        }
        return nil
    }

    func type(_ i: Int) -> TypeID { set.digests.nodes[i].type }
    func line(_ i: Int) -> String { set.digests.arena.string(set.digests.nodes[i].line) }

    /// `s#foo` → `struct foo` and so on.
    func displayName(_ i: Int) -> String {
        let key = keys[i]
        guard let k = DefinitionKey(key: key) else { return key }
        return k.word + " " + key.dropFirst(k.rawValue.count)
    }
}
