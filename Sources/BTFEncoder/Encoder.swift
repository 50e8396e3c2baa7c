import BTF
import DWARF
import ELF
import ObjectFile
import BinaryReader
import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The result of `Encoder.encode`.
public struct EncodeResult: Sendable {
    /// Raw BTF (split over the base when one was given), host byte order.
    public var blob: [UInt8]
    /// Types after dedup (own types only for split BTF).
    public var typeCount: Int
    /// Types before dedup.
    public var encodedCount: Int
    public var report: EncoderReport
    /// Seconds spent walking and converting units, and deduplicating.
    public var encodeSeconds: Double
    public var dedupSeconds: Double
    /// With `distilled_base` and a base: the distilled base (`.BTF.base`) and the split BTF over
    /// it (`.BTF` then), as libbpf's `btf__distill_base` makes them (`DistilledBase`).
    public var distilled: DistilledBase.Result? = nil
    /// Where the time went, step by step in order (`EncodePhase`), for `--timing`.
    public var phases: [EncodePhase] = []
}

/// One step of `Encoder.encode` and its wall time. A step run on a thread of its own alongside
/// the others (the symbol table at -j2 and more) says so in its name.
public struct EncodePhase: Sendable {
    public var name: String
    public var seconds: Double
}

/// Collects `EncodePhase`s: each `mark` closes the step that began at the previous one.
struct PhaseClock {
    private(set) var phases: [EncodePhase] = []
    private var last = monotonic()

    mutating func mark(_ name: String) {
        let now = monotonic()
        phases.append(EncodePhase(name: name, seconds: now - last))
        last = now
    }

    mutating func add(_ phase: EncodePhase) { phases.append(phase) }
}

/// DWARF → deduplicated BTF for a whole ELF file (a `.o`, a kernel module or vmlinux), the job
/// `pahole -J` does in kernel builds.
///
/// ```swift
/// let result = try Encoder.encode(path: "vmlinux", options: EncoderOptions())
/// try result.blob.write(to: "vmlinux.btf")
/// ```
///
/// Units are converted in parallel (`options.jobs`) and appended in unit order, so the output is
/// the same for any number of threads: per unit its types in DIE order, then its functions
/// (FUNC_PROTO + FUNC), then its variables; one DATASEC per section at the end; then libbpf's
/// dedup (`BTFDedup`) and string compaction.
public enum Encoder {
    /// `whenConverted`, when given, is called once, on some thread, as soon as every unit has
    /// been converted (the rest is the serial tail: appending, dedup, output); a caller can start
    /// work of its own there, such as copying the input into the file the result goes to.
    public static func encode(path: String, base: BTFFile? = nil, options: EncoderOptions,
                              progress: (@Sendable (Int, Int) -> Void)? = nil,
                              whenConverted: (@Sendable () -> Void)? = nil) throws -> EncodeResult {
        // Mapped; a gzip'd file (testdata keeps modules compressed) is read whole instead.
        // Sections laid out, so that in a .o every address names one section's byte.
        var clock = PhaseClock()
        let elf = try ObjectFile.openELF(path).withLaidOutSections()
        let globalVariables = options.globalVariables
        let readKfuncs = options.declTagKfuncs && options.declTags
        let readTable = FunctionRules(options).defersFunctions
        var options = options
        options.parameterRegisters = ParameterRegisters(machine: elf.machine).expected
        if options.jobs > 1 {
            // With several threads the symbol table is read on one of its own while the DWARF is
            // set up and the first units are converted; the first append waits for it.
            let pending = PendingPolicy()
            DispatchQueue.global().async {
                let started = monotonic()
                pending.fulfill(Result { try SymbolPolicy(elf: elf, globalVariables: globalVariables, kfuncs: readKfuncs, functionTable: readTable) },
                                seconds: monotonic() - started)
            }
            let dwarf = try ObjectFile.dwarf(of: elf, path: path)
            clock.mark("open ELF and DWARF")
            return try encode(dwarf: dwarf, policySource: .pending(pending), base: base, options: options,
                              mappedFile: elf.file, progress: progress, whenConverted: whenConverted, clock: clock)
        }
        let dwarf = try ObjectFile.dwarf(of: elf, path: path)
        clock.mark("open ELF and DWARF")
        let policy = try SymbolPolicy(elf: elf, globalVariables: globalVariables, kfuncs: readKfuncs, functionTable: readTable)
        clock.mark("symbols")
        return try encode(dwarf: dwarf, policySource: .ready(policy), base: base, options: options, mappedFile: elf.file,
                          progress: progress, whenConverted: whenConverted, clock: clock)
    }

    /// `mappedFile`, when given, is the mapping the DWARF sections borrow from: its resident pages
    /// are dropped after the unit scan and each unit's pages after it is appended, which keeps the
    /// process small on a 160 MB vmlinux.
    public static func encode(dwarf: DWARFFile, policy: SymbolPolicy, base: BTFFile?, options: EncoderOptions,
                              mappedFile: FileBytes? = nil,
                              progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> EncodeResult {
        try encode(dwarf: dwarf, policySource: .ready(policy), base: base, options: options, mappedFile: mappedFile,
                   progress: progress, whenConverted: nil)
    }

    static func encode(dwarf: DWARFFile, policySource: PolicySource, base: BTFFile?, options: EncoderOptions,
                       mappedFile: FileBytes?, progress: (@Sendable (Int, Int) -> Void)?,
                       whenConverted: (@Sendable () -> Void)?, clock: PhaseClock = PhaseClock()) throws -> EncodeResult {
        var clock = clock
        let t0 = monotonic()
        // Skeleton units are kept so that `requireComplete` reports them (split DWARF).
        let units = dwarf.units.filter { $0.kind == .compile || $0.kind == .partial || $0.kind == .skeleton }
        guard !units.isEmpty else { throw EncoderError.noDWARF }
        if let mappedFile { mappedFile.releaseResidentPages() } else { dwarf.releaseAllUnitPages() }

        let shared = SharedStrings(base: base, debugStr: dwarf.sections[.str])
        // Pages of units already appended are given back in spans of at least 8 MB: one
        // madvise per unit (2,172 for vmlinux) cost system calls and, with several threads,
        // TLB shootdowns on every core.
        var releasedFrom = 0
        func release(upTo i: Int, force: Bool = false) {
            guard i >= releasedFrom, i < units.count else { return }
            if units[i].section != units[releasedFrom].section || units[i].piece != units[releasedFrom].piece {
                if i > releasedFrom { dwarf.releasePages(from: units[releasedFrom], through: units[i - 1]) }
                releasedFrom = i
            }
            guard force || units[i].end - units[releasedFrom].offset >= 8 << 20 else { return }
            dwarf.releasePages(from: units[releasedFrom], through: units[i])
            dwarf.releaseSupportPages()
            releasedFrom = i + 1
        }
        let jobs = max(1, min(options.jobs, 64, units.count))
        var appendingPhase: EncodePhase?
        var merger = UnitMerger(base: base, shared: shared, policy: policySource, options: options,
                                expectedWords: dwarf.sections.size(.info) / 4)
        clock.mark("string table (.debug_str preload)")
        @Sendable func encodeOne(_ i: Int, _ worker: inout EncoderWorker) throws -> UnitOutput {
            // pahole's --lang_exclude: whole units, by their DW_AT_language (read here, by the
            // thread that would convert the unit, not in a serial pass before the first).
            if !options.excludedLanguages.isEmpty, let lang = try? dwarf.context(for: units[i]).language,
               options.excludedLanguages.contains(lang.rawValue) {
                if units.count > 64 { dwarf.forgetAbbreviations(for: units[i]) }
                var out = UnitOutput()
                out.excludedByLanguage = true
                return out
            }
            // Checked per unit, by the thread converting it (units are appended, and so fail, in
            // order): the abbreviation table it parses is the one the conversion then uses.
            try dwarf.requireComplete(units[i])
            var enc = try UnitEncoder(dwarf: dwarf, unit: units[i], options: options, worker: &worker)
            let out = try enc.encode(returning: &worker)
            // Kernel units each have their own abbreviation table: don't keep them all.
            if units.count > 64 { dwarf.forgetAbbreviations(for: units[i]) }
            return out
        }
        if jobs == 1 {
            // One thread does everything, in order: convert and append each unit, dedup at the end.
            var worker = EncoderWorker(strings: shared)
            for i in 0..<units.count {
                let out = try encodeOne(i, &worker)
                release(upTo: i, force: i == units.count - 1)
                try merger.append(out)
                progress?(i + 1, units.count)
            }
            whenConverted?()
        } else {
            // Workers convert units in parallel; this thread appends them in unit order and runs
            // the dedup passes that can go unit by unit meanwhile.
            merger.dedupEachUnit = true
            let slots = UnitSlots(count: units.count)
            let next = Atomic<Int>(0)
            let group = DispatchGroup()
            /// Claims the next unconverted unit and converts it into its slot; false when none is left.
            @Sendable func convertNext(_ worker: inout EncoderWorker) -> Bool {
                let i = next.add(1, ordering: .relaxed).oldValue
                guard i < units.count else { return false }
                if slots.failed { slots.put(i, .failure("skipped")); return true }
                do { slots.put(i, .success(try encodeOne(i, &worker))) }
                catch { slots.put(i, .failure("\(error)")) }
                return true
            }
            // jobs - 1 workers; this thread is the last one: it appends units in order and, while
            // the next unit isn't converted yet, converts one itself instead of waiting (so the
            // threads never outnumber the jobs asked for).
            let announced = Atomic<Bool>(false)
            for _ in 0..<(jobs - 1) {
                DispatchQueue.global().async(group: group) {
                    var worker = EncoderWorker(strings: shared)
                    while convertNext(&worker) {}
                    // The first worker out of units: every unit is converted or being converted
                    // by another thread (at most jobs - 1 units still to finish).
                    if !announced.exchange(true, ordering: .relaxed) { whenConverted?() }
                }
            }
            var firstError: Error?
            var ownWorker = EncoderWorker(strings: shared)
            var appending = 0.0, ownUnits = 0
            for i in 0..<units.count {
                var result: UnitSlots.Result
                while true {
                    if let r = slots.tryTake(i) { result = r; break }
                    if !convertNext(&ownWorker) { result = slots.take(i); break }
                    ownUnits += 1
                }
                release(upTo: i, force: i == units.count - 1)
                progress?(i + 1, units.count)
                guard firstError == nil else { continue }
                switch result {
                case .failure(let e): firstError = EncoderError.unit(e); slots.failed = true
                case .success(let out):
                    let started = monotonic()
                    do { try merger.append(out) } catch { firstError = error; slots.failed = true }
                    appending += monotonic() - started
                }
            }
            group.wait()
            if let firstError { throw firstError }
            appendingPhase = EncodePhase(name: "  appending and struct dedup (this thread, which converted \(ownUnits) of \(units.count) units)", seconds: appending)
        }
        // Nothing reads the file from here on: its pages (symbol tables, .debug_str, location
        // lists...) need not stay resident through the dedup's peak.
        if let mappedFile { mappedFile.releaseResidentPages() }
        clock.mark(jobs > 1 ? "units (\(jobs) threads)" : "units")
        if case .pending(let pending) = policySource, (try? pending.value()) != nil, let seconds = pending.seconds {
            clock.add(EncodePhase(name: "  symbols, on a thread of their own", seconds: seconds))
        }
        if let appendingPhase { clock.add(appendingPhase) }
        if merger.functionRules.defersFunctions {
            if jobs > 1 && merger.pendingReferences.isEmpty {
                // The functions are picked on another thread while this one runs the reference
                // pass over the units' types, which no FUNC or FUNC_PROTO of theirs can change.
                let choice = merger.chooseFunctionsElsewhere()
                try merger.dedup.settle { clock.mark("dedup: \($0) of the units' types, functions chosen meanwhile") }
                try merger.appendChosenFunctions(choice.value())
                clock.mark("appending the chosen functions")
            } else {
                try merger.appendSavedFunctions()
                clock.mark("function selection")
            }
        }
        merger.resolveExternalReferences()
        var report = merger.report
        if merger.excludedUnits > 0 { report.counts["units left out by language (--lang_exclude)"] = merger.excludedUnits }
        let finalPolicy = try merger.policy()
        if !finalPolicy.hasSymbols { report.note("no ELF symbol table: no FUNC or VAR emitted", "") }
        report.merge(finalPolicy.kfuncs.problems)
        if options.declTags && options.declTagKfuncs {
            for name in finalPolicy.kfuncs.flags.keys.sorted() where !merger.taggedKfuncs.contains(name) {
                report.note(KfuncSets.notEncoded, name)
            }
        }
        let encodedCount = merger.ownCount + merger.addDataSections()
        clock.mark("data sections and checks")
        let t1 = monotonic()
        var (types, _) = try merger.dedup.finish { clock.mark("dedup: \($0)") }
        let strings = shared.finish()
        let section = types.compactStrings(from: strings)
        clock.mark("string compaction")
        // pahole's `layout` (base BTF only, never split).
        let blob = options.kindLayout && base == nil
            ? BTFWriter.assemble(typeSection: types.typeSection(), strings: section, endianness: .host, layout: BTFWriter.kindLayoutTable)
            : types.serialized(strings: section)
        clock.mark("serialize")
        let t2 = monotonic()
        var result = EncodeResult(blob: blob, typeCount: types.count, encodedCount: encodedCount, report: report,
                            encodeSeconds: t1 - t0, dedupSeconds: t2 - t1)
        if options.distilledBase, let base {
            result.distilled = try DistilledBase.distill(try BTFFile(bytes: blob, base: base))
            clock.mark("distilled base")
        }
        result.phases = clock.phases
        return result
    }
}

/// Appends finished units in unit order (types, then FUNCs, then VARs, as pahole does) and feeds
/// the incremental dedup.
struct UnitMerger {
    var dedup: IncrementalDedup
    let baseCount: Int
    let shared: SharedStrings
    let policySource: PolicySource
    private var resolvedPolicy: SymbolPolicy?
    let options: EncoderOptions
    var report = EncoderReport()
    var claimedFunctions = Set<UInt32>()
    let functionRules: FunctionRules
    /// Every function instance, with `FunctionRules.pahole131`.
    var functions = FunctionCollector()
    /// Kfuncs that got their tags (the rest are reported: `KfuncSets.notEncoded`).
    var taggedKfuncs = Set<String>()
    static let kfuncTagged = "kfunc sets: FUNC tagged bpf_kfunc"
    static let fastcallTagged = "kfunc sets: FUNC tagged bpf_fastcall"
    var claimedVariables = Set<UInt64>()
    var sectionVars: [String: [(id: UInt32, offset: UInt32, size: UInt32)]] = [:]
    var arrayIndex: UInt32?

    init(base: BTFFile?, shared: SharedStrings, policy: PolicySource, options: EncoderOptions, expectedWords: Int) {
        let baseTable = base.map { BTFTypeTable($0) }
        dedup = IncrementalDedup(base: baseTable)
        baseCount = baseTable?.count ?? 0
        // About one word per 5 bytes of .debug_info before dedup (Debian's vmlinux: 32.8 M words
        // for 156 MB); reserving avoids copies while growing (untouched pages cost nothing).
        dedup.table.words.reserveCapacity(dedup.table.words.count + expectedWords)
        // About 7.5 record words per type (Debian's 6.12 vmlinux: 4.35 million types).
        let expectedTypes = expectedWords / 7
        dedup.table.starts.reserveCapacity(dedup.table.starts.count + expectedTypes)
        dedup.reserve(types: dedup.table.count + expectedTypes)
        self.shared = shared
        self.policySource = policy
        self.options = options
        self.functionRules = FunctionRules(options)
    }

    /// Name hashes for `PrototypeSignature`, per string offset (names repeat across instances).
    var nameHashes: [UInt32: UInt64] = [:]
    mutating func nameHash(_ offset: UInt32) -> UInt64 {
        if let h = nameHashes[offset] { return h }
        let h = PrototypeSignature.nameHash(shared.text(offset))
        nameHashes[offset] = h
        return h
    }

    /// The kfuncs' flags (`KfuncSets.flags`) by the string offset of their names, made once.
    private var kfuncFlagsByName: [UInt32: UInt32]?
    mutating func kfuncFlags(_ policy: SymbolPolicy) -> [UInt32: UInt32] {
        if let made = kfuncFlagsByName { return made }
        var made: [UInt32: UInt32] = [:]
        // Interning a name no unit used adds a string nothing references: compaction drops it.
        for (name, flags) in policy.kfuncs.flags { made[shared.intern(name).rawValue] = flags }
        kfuncFlagsByName = made
        return made
    }

    /// `ELFFunctionTable` keys per symbol-name string offset (inline instances repeat names).
    var functionKeys: [UInt32: ELFFunctionTable.Key?] = [:]
    mutating func functionKey(_ symbol: UInt32, table: ELFFunctionTable) -> ELFFunctionTable.Key? {
        if let k = functionKeys[symbol] { return k }
        let k = table.number(of: shared.text(symbol))
        functionKeys[symbol] = k
        return k
    }

    /// `FunctionRules.pahole131`: after the last unit, one FUNC per kept function, in key order.
    mutating func appendSavedFunctions() throws {
        try appendChosenFunctions(try chooseFunctions())
    }

    /// The functions to emit (`FunctionCollector.selected`) and what the choice noted for --stats.
    func chooseFunctions() throws -> ChosenFunctions {
        try UnitMerger.choose(functions, rules: functionRules, policy: policySource)
    }

    static func choose(_ functions: FunctionCollector, rules: FunctionRules, policy: PolicySource) throws -> ChosenFunctions {
        var chosen = ChosenFunctions()
        guard case .pahole131(let consistent) = rules else { return chosen }
        chosen.functions = functions.selected(table: try policy.policy().functionTable, consistent: consistent, report: &chosen.report)
        return chosen
    }

    /// `chooseFunctions` on a thread of its own (it takes the saved instances, not the merger);
    /// the result is waited for with `value()`.
    func chooseFunctionsElsewhere() -> PendingResult<ChosenFunctions> {
        let pending = PendingResult<ChosenFunctions>()
        let functions = self.functions, rules = functionRules, policy = policySource
        DispatchQueue.global().async { pending.fulfill(Result { try UnitMerger.choose(functions, rules: rules, policy: policy) }) }
        return pending
    }

    mutating func appendChosenFunctions(_ chosen: ChosenFunctions) throws {
        let policy = try policy()
        report.merge(chosen.report)
        var t = BTFTypeTable()
        swap(&t, &dedup.table)
        for f in chosen.functions { t.appendFunction(name: f.name, proto: f.proto[...], tags: f.tags, policy: policy, merger: &self) }
        swap(&t, &dedup.table)
    }

    var ownCount: Int { dedup.table.count - baseCount }

    /// The symbol policy (waited for, the first time, when it is read on another thread).
    mutating func policy() throws -> SymbolPolicy {
        if let p = resolvedPolicy { return p }
        let p = try policySource.policy()
        resolvedPolicy = p
        return p
    }

    /// Run the primitive and struct dedup passes after each unit (when another thread is
    /// converting the next units meanwhile); otherwise they run once over everything at the end,
    /// which is faster on one thread.
    var dedupEachUnit = false

    /// Units left out by `--lang_exclude` (appended as empty outputs).
    var excludedUnits = 0

    mutating func append(_ out: UnitOutput) throws {
        if out.excludedByLanguage { excludedUnits += 1; return }
        // References between units are resolved after the last unit, which rewrites records: the
        // dedup passes must not have run over them yet, so from the first unit that can take part
        // (a Rust unit, or one with such references) on, dedup waits for the end.
        if out.isRust || !out.externalRefs.isEmpty { dedupEachUnit = false }
        let shift = dedup.table.nextID.rawValue - 1
        // The table is moved out while the unit is appended (appending also updates this merger).
        var t = BTFTypeTable()
        swap(&t, &dedup.table)
        defer { if t.count > 0 { swap(&t, &dedup.table) } }
        try t.appendUnit(out, merger: &self)
        swap(&t, &dedup.table)
        for (offset, local) in out.exports { exports[offset] = local + shift }
        for r in out.externalRefs {
            // Earlier units went through incremental dedup: this unit's placeholders stay.
            if advanced { noteUnresolved(r.target) } else { pendingReferences.append((placeholder: r.local + shift, target: r.target)) }
        }
        if dedupEachUnit { try dedup.advance(); advanced = true }
    }

    /// Type IDs by .debug_info offset of the DIEs that produced them (Rust units).
    var exports: [UInt32: UInt32] = [:]
    /// Placeholders (global IDs) for references into other units, with the target DIE offsets.
    var pendingReferences: [(placeholder: UInt32, target: UInt32)] = []
    /// Whether an incremental dedup pass ran (records appended so far must not change).
    var advanced = false

    static let unresolvedReason = "reference into another unit (DW_FORM_ref_addr) encoded as an opaque struct of the target's name and size"
    static let resolvedReason = "reference into another unit (DW_FORM_ref_addr) resolved to the type that unit defines"

    mutating func noteUnresolved(_ target: UInt32) { report.note(UnitMerger.unresolvedReason, "DIE 0x\(String(target, radix: 16))") }

    /// Points every reference to a placeholder at the type the other unit encoded for the target
    /// DIE. The placeholder, no longer referenced, is turned into something dedup folds away or
    /// that costs nothing: a FWD of a named struct/union, a copy of a pointer/typedef/qualifier
    /// record (identical, so merged), an enum forward declaration. Targets that no unit encoded
    /// (or of other kinds) keep the opaque-struct placeholder, counted.
    mutating func resolveExternalReferences() {
        guard !pendingReferences.isEmpty else { return }
        var map: [UInt32: UInt32] = [:]
        let first = Int(dedup.table.firstID)
        var rewrites: [(index: Int, words: (UInt32, UInt32)?)] = []
        for r in pendingReferences {
            let pi = Int(r.placeholder) - first
            let ti = exports[r.target].map { Int($0) - first } ?? -1
            guard ti >= 0, ti < dedup.table.count, pi >= 0, pi < dedup.table.count, ti != pi else { noteUnresolved(r.target); continue }
            let target = UInt32(ti + first)
            let t = dedup.table.starts[ti], named = dedup.table.words[dedup.table.starts[pi]] != 0
            let info = TypeInfo(rawValue: dedup.table.words[t + 1])
            var replacement: (UInt32, UInt32)?
            switch info.kind {
            case .structure, .union:
                replacement = named ? (TypeInfo(kind: .forward, vlen: 0, kindFlag: info.kind == .union).rawValue, 0) : nil
            case .pointer, .typedef, .const, .volatile, .restrict, .typeTag, .float, .forward:
                replacement = (dedup.table.words[t + 1], dedup.table.words[t + 2])
                dedup.table.words[dedup.table.starts[pi]] = dedup.table.words[t]
            case .enumeration, .enum64:
                replacement = (TypeInfo(kind: .enumeration, vlen: 0, kindFlag: info.kindFlag).rawValue, dedup.table.words[t + 2])
                dedup.table.words[dedup.table.starts[pi]] = dedup.table.words[t]
            default:
                noteUnresolved(r.target); continue
            }
            map[r.placeholder] = target
            rewrites.append((pi, replacement))
            report.note(UnitMerger.resolvedReason, "DIE 0x\(String(r.target, radix: 16))")
        }
        guard !map.isEmpty else { return }
        for i in baseCount..<dedup.table.count { dedup.table.rewriteTypeFields(i) { map[$0] ?? $0 } }
        for (i, words) in rewrites {
            guard let (info, sizeOrType) = words else { continue }
            let s = dedup.table.starts[i]
            dedup.table.words[s + 1] = info
            dedup.table.words[s + 2] = sizeOrType
        }
    }

    /// One DATASEC per section, entries sorted by offset (kernel rule); returns how many.
    mutating func addDataSections() -> Int {
        var added = 0
        for name in sectionVars.keys.sorted() {
            guard var vars = sectionVars[name] else { continue }
            vars.sort { $0.offset < $1.offset }
            var tail: [UInt32] = []
            var end: UInt32 = 0
            for v in vars { tail += [v.id, v.offset, v.size]; end = max(end, v.offset &+ v.size) }
            dedup.table.append(name: shared.intern(name), kind: .dataSection, vlen: vars.count, sizeOrType: end, tail: tail)
            added += 1
        }
        return added
    }
}

extension UnitMerger {
    /// Adds `shift` to a FUNC_PROTO record's type IDs (return and parameters; 0 stays void).
    static func shiftPrototype(_ p: inout [UInt32], by shift: UInt32) {
        guard p.count >= 3 else { return }
        if p[2] != 0 { p[2] &+= shift }
        var k = 4
        while k < p.count { if p[k] != 0 { p[k] &+= shift }; k += 2 }
    }
}

extension BTFTypeTable {
    /// Appends one unit: its types (index type fixed up), its FUNCs, its VARs.
    mutating func appendUnit(_ out: UnitOutput, merger m: inout UnitMerger) throws {
        let policy = try m.policy()
        let shift = nextID.rawValue - 1          // unit-local ID 1 → shift + 1
        let firstWord = words.count
        append(out.types, typeFieldPositions: out.typeFieldPositions)      // string offsets are the shared table's already
        if out.hasArrays {
            // pahole's array index type: the first unit's `int` (or, if that unit had none, an
            // `__ARRAY_SIZE_TYPE__` INT appended after its types) serves every later unit.
            if m.arrayIndex == nil {
                if out.intID != 0 { m.arrayIndex = shift + out.intID }
                else { m.arrayIndex = append(name: m.shared.intern("__ARRAY_SIZE_TYPE__"), kind: .int, sizeOrType: 4, tail: [32]).rawValue }
            }
            // ARRAY index fields hold the placeholder, one past the unit's last type (no other
            // type field can): found through the unit's type-field positions.
            let placeholder = shift + UInt32(out.types.count) + 1, index = m.arrayIndex ?? 0
            let n = out.types.words.count
            words.withUnsafeMutableBufferPointer { w in
                for p in out.typeFieldPositions where Int(p) < n && w[firstWord + Int(p)] == placeholder {
                    w[firstWord + Int(p)] = index
                }
            }
        }
        m.report.merge(out.report)
        for f in out.functions {
            var proto = Array(out.protos.words[out.protos.starts[f.proto]..<out.protos.end(f.proto)])
            UnitMerger.shiftPrototype(&proto, by: shift)
            if m.functionRules.defersFunctions {
                // pahole 1.31: every instance is saved; the choice is made after the last unit.
                guard let key = m.functionKey(f.symbol, table: policy.functionTable) else { continue }
                let signature = PrototypeSignature.of(proto: proto[...], table: self) { m.nameHash($0) }
                let unexpected = f.unexpectedRegister && !PrototypeSignature.hasStructParameter(proto: proto, table: self)
                let uncertain = StackStructArguments.hasUncertainLocation(proto: proto, registerCount: m.options.parameterRegisters.count, table: self)
                m.functions.save(SavedFunction(key: key, name: f.name, proto: proto, tags: f.tags, signature: signature,
                                               unexpectedRegister: unexpected, uncertainLocation: uncertain))
                continue
            }
            guard policy.functions.contains(m.shared.text(f.symbol)), m.claimedFunctions.insert(f.name).inserted else { continue }
            appendFunction(name: f.name, proto: proto[...], tags: f.tags, policy: policy, merger: &m)
        }
        guard m.options.perCPUVariables || m.options.globalVariables else { return }
        for v in out.variables {
            guard let sym = policy.variables[v.address], sym.names.contains(m.shared.text(v.symbol)),
                  m.claimedVariables.insert(v.address).inserted else { continue }
            guard v.type != 0 else { m.report.note("variable without a type skipped", m.shared.text(v.name)); continue }
            let id = append(name: StringOffset(v.name), kind: .variable, sizeOrType: v.type + shift, tail: [v.external ? 1 : 0])
            let offset = v.address &- sym.sectionAddress
            m.sectionVars[sym.section, default: []].append((id.rawValue, UInt32(truncatingIfNeeded: offset), UInt32(truncatingIfNeeded: sym.size)))
        }
    }
}

public enum EncoderError: Error, CustomStringConvertible {
    case unit(String)
    case noDWARF
    public var description: String {
        switch self {
        case .unit(let e): return e
        case .noDWARF: return "no DWARF compile units (.debug_info) to encode; was the file built with -g?"
        }
    }
}

/// Where the ELF symbol policy comes from: given, or being read on another thread.
enum PolicySource: Sendable {
    case ready(SymbolPolicy)
    case pending(PendingPolicy)

    /// The policy (waited for when it is still being read).
    func policy() throws -> SymbolPolicy {
        switch self {
        case .ready(let p): return p
        case .pending(let pending): return try pending.value()
        }
    }
}

/// A symbol policy being read on another thread; `value()` waits for it.
typealias PendingPolicy = PendingResult<SymbolPolicy>

/// A value being worked out on another thread; `value()` waits for it.
final class PendingResult<Value: Sendable>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var result: Result<Value, Error>?
    /// How long working it out took (set with the result, when the worker says).
    private(set) var seconds: Double?

    func fulfill(_ r: Result<Value, Error>, seconds: Double? = nil) {
        result = r
        self.seconds = seconds
        done.signal()
    }

    /// Waits for the value (once; later calls return at once) and returns it or its error.
    func value() throws -> Value {
        done.wait()
        done.signal()              // for any later caller
        guard let result else { throw EncoderError.unit("a worker thread produced nothing") }
        return try result.get()
    }
}

/// The functions `FunctionCollector.selected` keeps, and its notes for --stats.
struct ChosenFunctions: Sendable {
    var functions: [SavedFunction] = []
    var report = EncoderReport()
}

/// Finished units, handed from the workers to the appending thread in unit order.
final class UnitSlots: @unchecked Sendable {
    enum Result { case success(UnitOutput), failure(String) }
    private var results: [Result?]
    private let lock = NSLockLike()
    private let ready: [DispatchSemaphore]
    private let failedFlag = Atomic<Bool>(false)

    init(count: Int) {
        results = Array(repeating: nil, count: count)
        ready = (0..<count).map { _ in DispatchSemaphore(value: 0) }
    }

    var failed: Bool {
        get { failedFlag.load(ordering: .relaxed) }
        set { failedFlag.store(newValue, ordering: .relaxed) }
    }

    func put(_ i: Int, _ r: Result) {
        lock.locked { results[i] = r }
        ready[i].signal()
    }

    /// The result of unit `i` if it is there already, without waiting.
    func tryTake(_ i: Int) -> Result? {
        guard ready[i].wait(timeout: .now()) == .success else { return nil }
        return lock.locked {
            let r = results[i] ?? .failure("unit \(i) produced nothing")
            results[i] = nil
            return r
        }
    }

    func take(_ i: Int) -> Result {
        ready[i].wait()
        return lock.locked {
            let r = results[i] ?? .failure("unit \(i) produced nothing")
            results[i] = nil
            return r
        }
    }
}

/// A minimal lock over a `Mutex<Void>`.
final class NSLockLike: Sendable {
    private let m = Mutex<Void>(())
    func locked<T>(_ body: () -> T) -> T { m.withLock { _ in body() } }
}

func monotonic() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

