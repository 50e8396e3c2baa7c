import BTF

/// The version (CRC) of one exported symbol, or why it has none.
public struct SymbolVersion: Sendable, Hashable {
    public var export: KernelExport
    public var status: Status
    /// The CRC-32 of the resolved symbol line; nil unless `status == .versioned`.
    public var crc: UInt32?
    /// The FUNC or VAR the version was computed from.
    public var type: TypeID?

    /// Why a symbol has (no) version: an open constant with a readable reason.
    public struct Status: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public static let versioned = Status(rawValue: "versioned")
        /// No FUNC or VAR of that name in the BTF (assembly, or an encoder that left it out).
        public static let noBTF = Status(rawValue: "no BTF FUNC or VAR")
        public var description: String { rawValue }
    }
}

/// The versions of a file's exported symbols, computed from its BTF (docs/symvers.md).
///
/// Every definition reachable from an exported symbol is spelled and hashed once
/// (`TypeDigests`); a symbol's CRC is the CRC-32 of its resolved line. The result depends only on
/// the types, not on type IDs, type order or how the BTF was made.
public struct SymbolVersionSet: Sendable {
    public var versions: [SymbolVersion] = []
    /// Export-table entries that could not be read.
    public var problems: [ExportProblem] = []
    public var statistics = Statistics()
    var digests: TypeDigests
    /// The spelled line of each versioned symbol (index parallel to `versions`).
    var symbolLines: [SpelledLine?] = []
    /// With unit visibility: the definitions each unit sees, and each version's unit (-1: none,
    /// the whole BTF), so that the diff's paths stay inside what the unit saw.
    var unitVisible: [Set<TypeID>] = []
    var unitOfVersion: [Int32] = []

    public struct Statistics: Sendable, Hashable {
        public var exports = 0
        public var versioned = 0
        public var withoutBTF = 0
        public var unreadableEntries = 0
        /// Symbols with several FUNC/VARs of their name and no global linkage to choose by:
        /// versioned over all of them.
        public var ambiguous = 0
        public var definitionsSpelled = 0
        public var cycles = 0
        public var typesInCycles = 0
        public var largestCycle = 0
        public var truncatedLines = 0
        /// With unit visibility: the units whose view was used, and the symbols with no unit.
        public var unitViews = 0
        public var withoutUnit = 0
    }

    /// - Parameters:
    ///   - btf: the file's BTF (split BTF with its base for a module).
    ///   - exports: the symbols to version (from `ExportTable`, or a name list).
    ///   - problems: unreadable export entries, carried into the result.
    ///   - visibility: expand each symbol's types as its compilation unit saw them
    ///     (genksyms' view, `UnitVisibility`); nil: every definition in the BTF.
    public init(btf: BTFFile, exports: [KernelExport], problems: [ExportProblem] = [], policy: KABIPolicy = KABIPolicy(),
                visibility: UnitVisibility? = nil) {
        digests = TypeDigests(file: btf, policy: policy)
        self.problems = problems
        let candidates = SymbolVersionSet.candidates(in: btf, named: Set(exports.map(\.name)))
        versions.reserveCapacity(exports.count)
        for export in exports {
            guard let ids = candidates[export.name], !ids.isEmpty else {
                versions.append(SymbolVersion(export: export, status: .noBTF))
                symbolLines.append(nil)
                continue
            }
            let chosen = SymbolVersionSet.exported(ids, in: btf)
            var order = chosen
            if chosen.count > 1 {
                // Several FUNC/VARs of the name and nothing says which is exported: all of them,
                // in the byte order of their resolved types, so that type IDs do not matter.
                statistics.ambiguous += 1
                var keyed: [([UInt8], TypeID)] = []
                for id in chosen {
                    let one = digests.speller.symbol(name: export.name, [id])
                    digests.complete(one)
                    keyed.append((digests.resolved(one), id))
                }
                keyed.sort { $0.0.lexicographicallyPrecedes($1.0) }
                // Candidates of the same type are one (a declaration and a definition).
                order = keyed.indices.filter { $0 == 0 || keyed[$0].0 != keyed[$0 - 1].0 }.map { keyed[$0].1 }
            }
            let line = digests.speller.symbol(name: export.name, order)
            versions.append(SymbolVersion(export: export, status: .versioned, crc: digests.version(of: line), type: order.first))
            symbolLines.append(line)
        }
        if let visibility { versionByUnit(visibility, btf: btf) }
        statistics.exports = exports.count + problems.count
        statistics.versioned = versions.filter { $0.status == .versioned }.count
        statistics.withoutBTF = versions.count - statistics.versioned
        statistics.unreadableEntries = problems.count
        statistics.definitionsSpelled = digests.nodes.count
        statistics.truncatedLines = digests.speller.truncatedLines
        for n in digests.nodes where n.cycleSize > 1 {
            statistics.typesInCycles += 1
            statistics.largestCycle = max(statistics.largestCycle, Int(n.cycleSize))
        }
        statistics.cycles = digests.nodes.reduce(into: Set<Int32>()) { set, n in
            if n.cycleSize > 1 { set.insert(n.component) }
        }.count
    }

    /// Recomputes each symbol's CRC in the view of the unit that defines it: the definitions the
    /// unit did not see (from a header) are spelled as declarations. Symbols whose unit is not
    /// known (assembly, no DWARF) keep the whole-BTF CRC.
    mutating func versionByUnit(_ visibility: UnitVisibility, btf: BTFFile) {
        // The structs, unions and enums by key (what a view can hide; typedefs and forward
        // declarations it never hides).
        var idsByKey: [String: [TypeID]] = [:]
        for id in 1..<UInt32(max(btf.typeCount, 1)) {
            guard let r = btf.record(TypeID(id)), r.kind != .forward, let key = digests.speller.definitionKey(r), key != .typedef else { continue }
            idsByKey[key.rawValue + btf.string(r.nameOffset), default: []].append(TypeID(id))
        }
        unitOfVersion = Array(repeating: -1, count: versions.count)
        var byUnit: [Int: [Int]] = [:]
        for (i, v) in versions.enumerated() where v.crc != nil {
            if let u = visibility.unitOfSymbol[v.export.name] { byUnit[u, default: []].append(i) } else { statistics.withoutUnit += 1 }
        }
        var speller = digests.speller
        digests.speller = TypeSpeller(file: btf, policy: speller.policy, typeCount: 0)   // let go of the shared lines while views grow them
        for (unit, indices) in byUnit.sorted(by: { $0.key < $1.key }) {
            guard unit < visibility.units.count else { continue }
            let visible = Set(visibility.units[unit].flatMap { idsByKey[$0] ?? [] })
            let viewIndex = Int32(unitVisible.count)
            unitVisible.append(visible)
            for i in indices { unitOfVersion[i] = viewIndex }
            var view = TypeDigests(speller: speller, visible: visible)
            for i in indices {
                guard let line = symbolLines[i] else { continue }
                versions[i].crc = view.version(of: line)
            }
            speller = view.speller
            statistics.unitViews += 1
        }
        digests.speller = speller
    }

    /// FUNC and VAR IDs by name, for the names asked for (own types first, then a split's base).
    static func candidates(in btf: BTFFile, named names: Set<String>) -> [String: [TypeID]] {
        var out: [String: [TypeID]] = [:]
        var file: BTFFile? = btf
        var depth = 0
        while let f = file, depth < 8 {
            for id in f.ownTypeIDs {
                guard let r = f.record(id), r.kind == .function || r.kind == .variable, r.nameOffset != .empty else { continue }
                let name = f.string(r.nameOffset)
                if names.contains(name) { out[name, default: []].append(id) }
            }
            file = f.base
            depth += 1
        }
        return out
    }

    /// Among several FUNC/VARs of one name, the ones that can be the exported definition: those
    /// with global linkage if any has it (pahole ≥ 1.25 marks them; 1.24 marks every FUNC
    /// static), else all of them.
    static func exported(_ ids: [TypeID], in btf: BTFFile) -> [TypeID] {
        guard ids.count > 1 else { return ids }
        let global = ids.filter { id in
            guard let r = btf.record(id) else { return false }
            let linkage = r.kind == .function ? UInt32(r.vlen) : btf.tailWord(r, 0)
            return linkage == BTFLinkage.global.rawValue
        }
        return global.isEmpty ? ids : global
    }

    /// The definitions the symbol's unit saw (nil: all).
    func visibleDefinitions(of index: Int) -> Set<TypeID>? {
        guard index >= 0, index < unitOfVersion.count else { return nil }
        let u = Int(unitOfVersion[index])
        return u >= 0 && u < unitVisible.count ? unitVisible[u] : nil
    }

    /// The symbol's line as spelled (references by key), for reading.
    public func line(of index: Int) -> String? {
        guard index >= 0, index < symbolLines.count, let l = symbolLines[index] else { return nil }
        return digests.arena.string(l)
    }

    /// Every definition reached, as (key, line) sorted by line: the `--symtypes` body.
    public var definitionLines: [String] {
        digests.nodes.map { digests.arena.string($0.line) }.sorted()
    }
}
