import BinaryReader
import BTF

/// What happened to one CO-RE record (one line of `btfkit core`).
public struct CoreRelocationResult: Sendable {
    public var section: String
    /// Index of the record inside its section's `.BTF.ext` block (libbpf's `relo #N`).
    public var index: Int
    /// Instruction index inside the section.
    public var instruction: Int
    public var program: String?
    public var kind: CoreRelocationKind
    public var localType: TypeID
    public var accessString: String
    public var localSpec: CoreSpec?
    public var localSpecText: String
    /// The agreed target spec; nil when no candidate matched (or for TYPE_ID_LOCAL).
    public var targetSpec: CoreSpec?
    public var targetSpecText: String?
    /// Candidates tried (after pruning by earlier relocations of the same root).
    public var candidates: [TypeID] = []
    /// Which BTF the target spec is in: "vmlinux" (the target) or a module's name.
    public var targetBTF: String?
    public var value: CoreValue?
    /// What the instruction became, e.g. `ALU64 imm 2424 -> 2576` or `poisoned`.
    public var patch: String?
    /// Set when the relocation failed; libbpf refuses to load the object then.
    public var error: CoreError?
    /// Set when libbpf would skip the record (its instruction is in no program).
    public var skipped: String?
}

/// All results plus the relocated code sections.
public struct CoreRelocationReport: Sendable {
    public var results: [CoreRelocationResult] = []
    /// Relocated instructions per code section name (sections without records are unchanged).
    public var sections: [String: [BPFInstruction]] = [:]
    public var failures: [CoreRelocationResult] { results.filter { $0.error != nil } }
}

/// The CO-RE relocation engine (btf-spec §5): for every `.BTF.ext` core_relo record of an object,
/// parse the local spec, find candidates in the target BTF, match each, require agreement, compute
/// the value and patch (or poison) the instruction, exactly as libbpf 1.1's
/// `bpf_object__relocate_core`.
///
/// ```swift
/// let object = try BPFObject(path: "prog.bpf.o")
/// let kernel = try BTFFile(contentsOf: "/sys/kernel/btf/vmlinux")
/// let report = CoreRelocator(object: object, target: kernel).run()
/// for r in report.results { print(r.kind, r.patch ?? r.error?.description ?? "") }
/// ```
public final class CoreRelocator {
    public let object: BPFObject
    public let target: BTFFile
    private let localTypes: CoreTypes
    private let targetTypes: CoreTypes
    /// A candidate: a type in the target (file 0) or in module `file - 1`.
    struct Candidate: Hashable { var file: Int; var id: TypeID }
    private var candidateCache: [TypeID: [Candidate]] = [:]
    private var index: CoreCandidates?
    private var wanted = Set<CoreCandidates.Key>()
    /// Module BTFs (split over `target`), loaded the first time a root has no candidate in the
    /// target — libbpf's vmlinux-then-modules search.
    private let moduleLoader: (() -> [(name: String, btf: BTFFile)])?
    private var modules: [(name: String, types: CoreTypes, index: CoreCandidates)]?

    /// `modules`, when given, is called at most once, when some relocation's root has no
    /// candidate in `target`; it returns the kernel's module BTFs, split over `target`.
    public init(object: BPFObject, target: BTFFile, modules: (() -> [(name: String, btf: BTFFile)])? = nil) {
        self.object = object
        self.target = target
        localTypes = CoreTypes(object.btf)
        targetTypes = CoreTypes(target)
        moduleLoader = modules
    }

    private func types(_ c: Candidate) -> CoreTypes {
        c.file == 0 ? targetTypes : (modules?[c.file - 1].types ?? targetTypes)
    }

    /// Relocates every record; never throws — each failure is reported on its record.
    public func run() -> CoreRelocationReport {
        var report = CoreRelocationReport()
        let blocks = object.relocationBlocks
        buildIndex(blocks)
        for block in blocks {
            guard var insns = report.sections[block.section] ?? object.section(named: block.section)?.instructions else {
                for (i, rec) in block.records.enumerated() {
                    var r = blankResult(block.section, i, rec)
                    r.error = CoreError(.malformedExt, "no code section named '\(block.section)' in the object", section: block.section, relocation: i)
                    report.results.append(r)
                }
                continue
            }
            for (i, rec) in block.records.enumerated() {
                report.results.append(relocate(rec, index: i, section: block.section, instructions: &insns))
            }
            report.sections[block.section] = insns
        }
        return report
    }

    private func blankResult(_ section: String, _ i: Int, _ rec: BTFExt.CoreRelocation) -> CoreRelocationResult {
        CoreRelocationResult(section: section, index: i, instruction: Int(rec.instructionOffset / 8), program: nil,
                             kind: CoreRelocationKind(rawValue: rec.kind), localType: rec.type,
                             accessString: object.btf.string(rec.accessString), localSpec: nil,
                             localSpecText: "\(rec.type) \(localTypes.describe(rec.type))")
    }

    /// One pass over the target for every root name the records need.
    private func buildIndex(_ blocks: [(section: String, records: [BTFExt.CoreRelocation])]) {
        var wanted = Set<CoreCandidates.Key>()
        for b in blocks {
            for r in b.records where r.kind != CoreRelocationKind.typeIDLocal.rawValue {
                if let key = candidateKey(r.type) { wanted.insert(key) }
            }
        }
        index = CoreCandidates(target: target, wanted: wanted)
        self.wanted = wanted
    }

    private func relocate(_ rec: BTFExt.CoreRelocation, index i: Int, section: String,
                          instructions insns: inout [BPFInstruction]) -> CoreRelocationResult {
        var r = blankResult(section, i, rec)
        let fail = { (e: CoreError) -> CoreRelocationResult in
            var out = r
            out.error = e.at(section: section, relocation: i, instruction: r.instruction)
            return out
        }
        guard rec.instructionOffset % 8 == 0 else {
            return fail(CoreError(.malformedExt, "instruction offset \(rec.instructionOffset) is not a multiple of 8"))
        }
        guard r.instruction < insns.count else {
            return fail(CoreError(.malformedExt, "instruction offset \(rec.instructionOffset) is past the section's end (\(insns.count * 8) bytes)"))
        }
        guard let program = object.program(inSection: section, at: r.instruction) else {
            r.skipped = "instruction belongs to no program (libbpf skips it)"
            return r
        }
        r.program = program.name
        do throws(CoreError) {
            guard object.btf.record(rec.type) != nil else {
                throw CoreError(.badAccessString, "local type \(rec.type) does not exist", typeID: rec.type)
            }
            let local = try CoreSpec.parse(local: localTypes, root: rec.type, access: r.accessString, kind: r.kind)
            r.localSpec = local
            r.localSpecText = local.formatted(localTypes)
            // The agreed target (none for TYPE_ID_LOCAL, which needs no target, or when nothing matched).
            var agreed: (spec: CoreSpec, value: CoreValue, file: Int)?
            if r.kind != .typeIDLocal {
                guard !localTypes.name(rec.type).isEmpty else {
                    throw CoreError(.unsupported, "<\(r.kind)> relocation of an anonymous type is not supported", typeID: rec.type)
                }
                let candidates = candidates(for: rec.type)
                r.candidates = candidates.map(\.id)
                var matched: [Candidate] = []
                for c in candidates {
                    let tt = types(c)
                    guard let spec = try CoreMatcher.match(local, localTypes: localTypes, candidate: c.id, target: tt) else { continue }
                    let v = try CoreValues.compute(local: local, localTypes: localTypes, target: spec, targetTypes: tt,
                                                   byteOrder: object.endianness)
                    if let a = agreed {
                        if spec.bitOffset != a.spec.bitOffset {
                            throw CoreError(.ambiguous, "field offset ambiguity: candidate \(c.id) at bit \(spec.bitOffset), \(a.spec.root) at bit \(a.spec.bitOffset)")
                        }
                        if v.poison != a.value.poison || v.new != a.value.new {
                            throw CoreError(.ambiguous, "relocation decision ambiguity: candidate \(c.id) gives \(v.poison ? "failure" : "success") \(v.new), \(a.spec.root) gives \(a.value.poison ? "failure" : "success") \(a.value.new)")
                        }
                    } else {
                        agreed = (spec, v, c.file)
                    }
                    matched.append(c)
                }
                if let a = agreed {
                    candidateCache[rec.type] = matched
                    r.targetSpec = a.spec
                    r.targetSpecText = a.spec.formatted(types(Candidate(file: a.file, id: a.spec.root)))
                    r.targetBTF = a.file == 0 ? "vmlinux" : modules?[a.file - 1].name
                }
            }
            let value: CoreValue
            if let a = agreed { value = a.value } else {
                value = try CoreValues.compute(local: local, localTypes: localTypes, target: nil, targetTypes: targetTypes,
                                               byteOrder: object.endianness)
            }
            r.value = value
            r.patch = try InstructionPatcher.apply(value, to: &insns, at: r.instruction)
        } catch {
            return fail(error)
        }
        return r
    }

    /// What candidates of a local root are looked up by: its kind group and essential name;
    /// nil for anonymous or missing roots.
    private func candidateKey(_ root: TypeID) -> CoreCandidates.Key? {
        guard let rec = object.btf.record(root), rec.nameOffset != .empty else { return nil }
        let name = Array(object.btf.string(rec.nameOffset).utf8)
        return CoreCandidates.Key(kind: CoreCandidates.kindGroup(rec.kind), name: Array(name.prefix(CoreNames.essentialLength(name[...]))))
    }

    private func candidates(for root: TypeID) -> [Candidate] {
        if let c = candidateCache[root] { return c }
        guard let key = candidateKey(root) else { return [] }
        var c = (index?.candidates(key) ?? []).map { Candidate(file: 0, id: $0) }
        if c.isEmpty, let loader = moduleLoader {
            if modules == nil {
                modules = loader().map { m in (m.name, CoreTypes(m.btf), CoreCandidates(target: m.btf, wanted: wanted, ownOnly: true)) }
            }
            for (k, m) in (modules ?? []).enumerated() {
                c += m.index.candidates(key).map { Candidate(file: k + 1, id: $0) }
            }
        }
        candidateCache[root] = c
        return c
    }
}
