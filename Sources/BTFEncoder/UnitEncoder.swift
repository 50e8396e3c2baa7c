import BTF
import DWARF

/// What one compilation unit contributes, with unit-local type IDs (1...types.count): its types in
/// DIE order, and the functions and variables that may become FUNC/VAR once the ELF symbol policy
/// has been applied (in unit order, by `Encoder`).
struct UnitOutput: Sendable {
    var types = BTFTypeTable()
    /// FUNC_PROTO records, one per candidate function (type fields unit-local).
    var protos = BTFTypeTable()
    var functions: [FunctionCandidate] = []
    var variables: [VariableCandidate] = []
    var report = EncoderReport()
    /// ARRAY index fields hold `types.count + 1` (the placeholder) when the unit has arrays; the
    /// encoder points them at the index type pahole would use (see `Encoder`).
    var hasArrays = false
    /// Unit-local ID of the unit's `int`, 0 if none.
    var intID: UInt32 = 0
    /// A Rust unit: its types may be the targets of other units' references (codegen units,
    /// LTO), so `exports` is filled.
    var isRust = false
    /// Placeholders for references into other units (DW_FORM_ref_addr): the placeholder's
    /// unit-local ID and the target DIE's .debug_info offset. The encoder points the references
    /// at the target's own type once every unit is in (see `UnitMerger.resolveExternalReferences`).
    var externalRefs: [(local: UInt32, target: UInt32)] = []
    /// .debug_info offset of each DIE that produced a type → its unit-local ID (Rust units only).
    var exports: [UInt32: UInt32] = [:]
}

struct FunctionCandidate: Sendable {
    /// String offset (shared table) of the FUNC name (a valid identifier).
    var name: UInt32
    /// String offset (shared table) of the ELF symbol name the policy must find (the linkage name for
    /// Rust, else the same as `name`).
    var symbol: UInt32
    /// Index of its FUNC_PROTO in `UnitOutput.protos`.
    var proto: Int
    var external: Bool
    /// DECL_TAG values on the function (component -1) and its parameters.
    var tags: [(value: UInt32, component: Int32)] = []
    /// A parameter arrives in another register than the calling convention's
    /// (`ParameterRegisters`; checked with consistent_func only).
    var unexpectedRegister = false
}

struct VariableCandidate: Sendable {
    var name: UInt32
    /// The ELF symbol name to match (the linkage name for Rust, else `name`).
    var symbol: UInt32
    /// Unit-local type ID.
    var type: UInt32
    var address: UInt64
    var external: Bool
}

/// See `UnitEncoder.Open.extras`.
final class OpenExtras {
    var function: FunctionCandidate?
    var prefilled: [UInt32]?
    var discriminant: (type: UInt32, bits: UInt64)?
    var variantTags: [(value: UInt32, component: Int32)] = []
    var discrValue: AttributeValue?
    /// Parameter children seen of a function whose parameters come from its abstract origin.
    var concreteParameters = 0
}

/// A worker's reusable state: its caches in front of the shared string table and the DIE → type
/// map arrays (stamped per unit, so they are never cleared).
struct EncoderWorker: Sendable {
    /// The one string table of the output. Workers intern into it directly (under its lock) on
    /// a miss of `nameCache`, so type records hold final string offsets and a finished unit needs
    /// no translation.
    let strings: SharedStrings
    /// Per unit-relative DIE offset: the entry's meaning (see `UnitEncoder.Entry`), valid when
    /// `stamp` matches the current unit.
    var entry: [UInt32] = []
    var stamp: [UInt32] = []
    var generation: UInt32 = 0
    /// Alias targets (unit-relative DIE offsets) for DIEs that produce no type of their own.
    var aliases: [UInt32] = []
    /// Member/enumerator/parameter words of the open containers, innermost last; `memberStarts`
    /// holds where each open container's words begin.
    var memberWords: [UInt32] = []
    var memberStarts: [Int] = []
    /// String section key (`UnitStrings.key`) → interned offset, across units.
    var nameCache: KeyCache
    /// Escaped name → interned "name=<original>" for names whose escape can't be undone.
    var originals: [UInt32: UInt32] = [:]

    init(strings: SharedStrings) {
        self.strings = strings
        nameCache = KeyCache()
    }

    /// An empty stand-in that holds no caches, for while a unit encoder has the real one.
    private init(standInFor strings: SharedStrings) {
        self.strings = strings
        nameCache = KeyCache(standIn: ())
    }

    static func standIn(_ strings: SharedStrings) -> EncoderWorker { EncoderWorker(standInFor: strings) }

    mutating func prepare(size: Int) {
        if entry.count < size {
            entry = Array(repeating: 0, count: size)
            stamp = Array(repeating: 0, count: size)
        }
        generation &+= 1
        if generation == 0 {            // wrapped: clear once
            for i in stamp.indices { stamp[i] = 0 }
            generation = 1
        }
        aliases.removeAll(keepingCapacity: true)
    }
}

/// Converts the DIEs of one unit into BTF records (btf-spec §1.6) the way pahole does for C.
/// Type fields hold unit-relative DIE offsets while the unit is walked (forward references are
/// common) and are turned into unit-local IDs at the end; synthetic records use `local | 1<<31`.
struct UnitEncoder {
    let dwarf: DWARFFile
    let unit: UnitHeader
    let options: EncoderOptions
    /// The calling convention's parameter registers, with consistent_func (else nil).
    let registers: ParameterRegisters?
    /// Moved in for the unit and handed back by `encode` (see `Encoder`), so its arrays are
    /// never copied and have no dynamic exclusivity checks.
    var worker: EncoderWorker
    let strings: UnitStrings
    var out = UnitOutput()

    static let localFlag: UInt32 = 0x8000_0000

    /// The DIEs whose attributes the encoder reads; the rest (lexical blocks, inlined calls, call
    /// sites, local variables ...) are stepped over without decoding.
    static let filter: TagFilter = {
        var f = TagFilter()
        for t: UInt64 in [0x24, 0x0f, 0x10, 0x42, 0x1f, 0x26, 0x35, 0x37, 0x16, 0x13, 0x02, 0x17, 0x04, 0x01, 0x15,
                          0x47, 0x3b, 0x4b, 0x43, 0x0d, 0x1c, 0x28, 0x05, 0x6000, 0x6001,
                          0x33, 0x19] {                    // variant_part, variant (Rust enums)
            f.want(DWARFTag(t))
        }
        f.want(DWARFTag(0x2e), upToDepth: 1)          // functions at unit level
        f.want(DWARFTag(0x34), upToDepth: 1)          // variables at unit level
        f.want(DWARFTag(0x39), upToDepth: 1)          // a namespace here means Rust (or C++) DIEs
        return f
    }()

    /// Rust puts functions and statics inside namespaces.
    static let rustFilter: TagFilter = {
        var f = filter
        f.want(DWARFTag(0x2e))
        f.want(DWARFTag(0x34))
        f.want(DWARFTag(0x39))                        // namespaces: their names qualify types
        return f
    }()
    /// Entry encoding: 0 = not a type; `id` (< 1<<31) = local type ID; `1<<31 | k` = alias k.
    static let aliasFlag: UInt32 = 0x8000_0000

    /// Records appended out of ID order (aggregates close after nested types) are sorted at the end.
    var recordIDs: [UInt32] = []
    var words: [UInt32] = []
    var starts: [Int] = []
    var nextLocal: UInt32 = 0
    var indexTypeID: UInt32 = 0
    var needsIndexType = false
    var intTypeDIE: UInt32 = 0

    /// Rust rules apply (functions and statics inside namespaces, linkage names, named
    /// parameters). Decided per DIE, not only per unit: it starts as the unit's DW_AT_language
    /// says and switches on at the first DW_TAG_namespace of a unit labelled otherwise (C has no
    /// namespaces; under LTO, or when tools merge units, Rust DIEs sit in C-labelled units), and
    /// a Rust-mangled linkage name gets Rust symbol matching in any unit.
    var isRust: Bool

    init(dwarf: DWARFFile, unit: UnitHeader, options: EncoderOptions, worker: inout EncoderWorker) throws(DWARFError) {
        self.isRust = (try? dwarf.context(for: unit).language) == .rust
        self.dwarf = dwarf
        self.unit = unit
        self.options = options
        self.registers = options.consistentFunctions && !options.parameterRegisters.isEmpty
            ? ParameterRegisters(expected: options.parameterRegisters) : nil
        self.strings = try dwarf.strings(for: unit)
        // Swapped with a stand-in: a fresh worker would allocate its caches for every unit.
        self.worker = EncoderWorker.standIn(worker.strings)
        swap(&self.worker, &worker)
    }

    // MARK: attributes of one DIE, gathered in one pass

    struct Attrs {
        var name: AttributeValue?
        var type: UInt32 = 0                  // unit-relative DIE offset, 0 = void
        var typeOutside = false               // a reference outside the unit
        var typeAbsolute: UInt32 = 0          // its section offset (DW_FORM_ref_addr); 0: none
        var byteSize: UInt64?
        var bitSize: UInt64?
        var encoding: UInt64 = 0
        var memberLocation: AttributeValue?
        var dataBitOffset: UInt64?
        var bitOffset: UInt64?
        var declaration = false
        var count: UInt64?
        var upperBound: AttributeValue?
        var lowerBound: UInt64?
        var constValue: AttributeValue?
        var external = false
        var location: AttributeValue?
        var origin: AttributeValue?
        var inlined = false
        var linkageName: AttributeValue?
        var lowPC = false
    }

    func gather(_ list: AttributeList) -> Attrs {
        list.withContiguousStorageIfAvailable { gather($0) } ?? gather(UnsafeBufferPointer<Attribute>(start: nil, count: 0))
    }

    func gather(_ list: UnsafeBufferPointer<Attribute>) -> Attrs {
        var a = Attrs()
        UnitEncoder.gather(list, into: &a, unitOffset: unit.offset, unitEnd: unit.end)
        return a
    }

    /// Fills `a` (reset first) in place: the hot loop reuses one `Attrs` instead of copying a
    /// fresh one out of every call. Static, as the other per-DIE helpers: calling an instance
    /// method of this (large) struct from a mutating context copies it, with a retain of every
    /// array it holds, on each call.
    static func gather(_ list: UnsafeBufferPointer<Attribute>, into a: inout Attrs, unitOffset: Int, unitEnd: Int) {
        a = Attrs()
        for at in list {
            switch at.name.rawValue {
            case 0x03: a.name = at.value
            case 0x49:
                switch at.value {
                case .unitReference(let r):
                    if r < UInt64(unitEnd - unitOffset) { a.type = UInt32(r) } else { a.typeOutside = true }
                case .sectionReference(let r):
                    if r >= UInt64(unitOffset) && r < UInt64(unitEnd) { a.type = UInt32(r - UInt64(unitOffset)) }
                    else { a.typeOutside = true; a.typeAbsolute = r <= UInt64(UInt32.max) ? UInt32(r) : 0 }
                default: a.typeOutside = true
                }
            case 0x0b: a.byteSize = at.value.unsignedValue
            case 0x0d: a.bitSize = at.value.unsignedValue
            case 0x3e: a.encoding = at.value.unsignedValue ?? 0
            case 0x38: a.memberLocation = at.value
            case 0x6b: a.dataBitOffset = at.value.unsignedValue
            case 0x0c: a.bitOffset = at.value.unsignedValue
            case 0x3c: a.declaration = at.value != .flag(false)
            case 0x37: a.count = at.value.unsignedValue
            case 0x2f: a.upperBound = at.value
            case 0x22: a.lowerBound = at.value.unsignedValue
            case 0x1c: a.constValue = at.value
            case 0x3f: a.external = at.value != .flag(false)
            case 0x02: a.location = at.value
            case 0x31, 0x47: a.origin = at.value
            case 0x20: a.inlined = true
            case 0x6e, 0x2007: a.linkageName = at.value
            case 0x16: a.constValue = at.value        // DW_AT_discr_value: only on variants, which have no const_value
            case 0x11: a.lowPC = true
            default: break
            }
        }
    }

    mutating func name(_ a: Attrs) -> UInt32 {
        guard let n = a.name else { return 0 }
        return identifier(n)
    }

    /// Qualify Rust type names with their namespace path (feature `qualified_names`).
    var qualify: Bool { isRust && options.qualifiedNames }
    /// Names of the enclosing DIEs that are namespaces ("" for others), for `qualify`.
    var namespaces: [String] = []

    /// The name of a struct/union/enum/typedef: with `qualify`, its namespace path joined by
    /// `::` in front (`core::fmt::rt::Count`), then made an identifier; else its identifier.
    /// (Takes the name value, not the whole `Attrs`: passing that copies it.)
    mutating func typeName(_ nameValue: AttributeValue?) -> UInt32 {
        guard let n = nameValue else { return 0 }
        guard qualify, let bytes = strings.bytes(n) else { return identifier(n) }
        let path = namespaces.filter { !$0.isEmpty }
        guard !path.isEmpty else { return identifier(n) }
        let full = (path + [String(decoding: bytes, as: UTF8.self)]).joined(separator: "::")
        var text = full
        let escaped = text.withUTF8 { NamePolicy.isValid($0) ? Array($0) : NamePolicy.escape($0) }
        if !NamePolicy.isReversibleString(full) {
            let off = escaped.withUnsafeBufferPointer { worker.strings.intern($0).rawValue }
            worker.originals[off] = worker.strings.intern("name=" + full).rawValue
            return off
        }
        return escaped.withUnsafeBufferPointer { worker.strings.intern($0).rawValue }
    }

    /// The interned identifier form (see `NamePolicy`) of a string attribute value.
    mutating func identifier(_ n: AttributeValue) -> UInt32 {
        let key = strings.key(n)
        // The name cache (string-section key → interned offset) first, then the interner.
        if let key, let hit = worker.nameCache.lookup(key) { return hit }
        guard let bytes = strings.bytes(n) else { return 0 }
        let off: UInt32
        if NamePolicy.isValid(bytes) {
            off = worker.strings.intern(bytes).rawValue
        } else {
            let escaped = NamePolicy.escape(bytes)
            off = escaped.withUnsafeBufferPointer { worker.strings.intern($0).rawValue }
            out.report.note("name escaped to a C identifier", String(decoding: bytes, as: UTF8.self))
            // Names that can't be decoded back exactly (hash-capped, or holding an `_XX_`-like
            // sequence themselves) get their original in a "name=" DECL_TAG (see close).
            if !NamePolicy.isReversible(bytes) {
                worker.originals[off] = worker.strings.intern("name=" + String(decoding: bytes, as: UTF8.self)).rawValue
            }
        }
        if let key { worker.nameCache.insert(key, off) }
        return off
    }

    /// A name used as it is (INT and FLOAT names such as `long unsigned int` need not be
    /// identifiers).
    mutating func rawName(_ a: Attrs) -> UInt32 {
        guard let n = a.name else { return 0 }
        return raw(n)
    }

    mutating func raw(_ v: AttributeValue) -> UInt32 {
        guard let bytes = strings.bytes(v) else { return 0 }
        return worker.strings.intern(bytes).rawValue
    }

    /// FUNC/VAR name and the ELF symbol to match: for Rust the linkage name (as an identifier,
    /// and as it is), else the DWARF name for both.
    mutating func symbolNames(name n: UInt32, linkage: AttributeValue?) -> (name: UInt32, symbol: UInt32) {
        guard let linkage, let bytes = strings.bytes(linkage), isRust || UnitEncoder.isRustMangled(bytes) else { return (n, n) }
        let symbol = raw(linkage)
        guard symbol != 0 else { return (n, n) }
        // Symbols keep their spelling up to the kernel's symbol length, so tracing can attach.
        if NamePolicy.isValid(bytes, maxLength: NamePolicy.symbolMaxLength) { return (symbol, symbol) }
        let escaped = NamePolicy.escape(bytes, maxLength: NamePolicy.symbolMaxLength)
        out.report.note("symbol name escaped to a C identifier", String(decoding: bytes, as: UTF8.self))
        return (escaped.withUnsafeBufferPointer { worker.strings.intern($0).rawValue }, symbol)
    }

    /// A Rust parameter without a name gets `argN` (the kernel requires FUNC parameter names).
    mutating func parameterName(_ index: Int) -> UInt32 {
        out.report.note("unnamed Rust parameter named argN", "")
        return worker.strings.intern("arg\(index)").rawValue
    }

    // MARK: records

    mutating func newID(for die: DIE) -> UInt32 { newID(forOffset: die.offset.rawValue) }

    mutating func newID(forOffset offset: Int) -> UInt32 {
        nextLocal += 1
        let rel = offset - unit.offset
        worker.entry[rel] = nextLocal
        worker.stamp[rel] = worker.generation
        return nextLocal
    }

    mutating func alias(_ die: DIE, to target: UInt32) {
        let rel = die.offset.rawValue - unit.offset
        worker.entry[rel] = UnitEncoder.aliasFlag | UInt32(worker.aliases.count)
        worker.stamp[rel] = worker.generation
        worker.aliases.append(target)
    }

    mutating func record(_ id: UInt32, name: UInt32, kind: BTFKind, vlen: Int = 0, kindFlag: Bool = false,
                         sizeOrType: UInt32, tail: [UInt32] = []) {
        recordIDs.append(id)
        starts.append(words.count)
        words.append(name)
        words.append(TypeInfo(kind: kind, vlen: vlen, kindFlag: kindFlag).rawValue)
        words.append(sizeOrType)
        words.append(contentsOf: tail)
    }

    /// A synthetic record (no DIE), referenced as `id | localFlag`.
    mutating func synthetic(name: UInt32, kind: BTFKind, vlen: Int = 0, kindFlag: Bool = false, sizeOrType: UInt32, tail: [UInt32] = []) -> UInt32 {
        nextLocal += 1
        record(nextLocal, name: name, kind: kind, vlen: vlen, kindFlag: kindFlag, sizeOrType: sizeOrType, tail: tail)
        return nextLocal | UnitEncoder.localFlag
    }

    // MARK: the walk

    /// Open aggregates, enums, prototypes and functions whose children are being collected.
    struct Open {
        enum Kind { case aggregate, enumeration, prototype, function, pointer, variantPart, variant, skip }
        var kind: Kind
        var depth: Int
        var id: UInt32
        var name: UInt32
        var size: UInt64
        var isUnion = false
        var bitfields = false
        var signed = false
        var vlen = 0
        var varargs = false
        var hasUnnamedParam = false
        var returnType: UInt32 = 0
        var dieOffset: Int = 0
        /// Rarely needed state (functions, Rust enum parts) lives in a box, so the `Open` values
        /// copied for every type DIE stay small.
        var extras: OpenExtras? = nil
        var function: FunctionCandidate? {
            get { extras?.function }
            set { box().function = newValue }
        }
        /// Parameters taken from the abstract origin; the DIE's own parameter children are ignored.
        var prefilled: [UInt32]? {
            get { extras?.prefilled }
            set { box().prefilled = newValue }
        }
        /// variant_part: the discriminant member's type and bit offset; per variant its DECL_TAG.
        var discriminant: (type: UInt32, bits: UInt64)? {
            get { extras?.discriminant }
            set { box().discriminant = newValue }
        }
        var variantTags: [(value: UInt32, component: Int32)] {
            get { extras?.variantTags ?? [] }
            set { box().variantTags = newValue }
        }
        /// variant: its DW_AT_discr_value (nil: the default variant).
        var discrValue: AttributeValue? {
            get { extras?.discrValue }
            set { box().discrValue = newValue }
        }
        mutating func box() -> OpenExtras {
            if let e = extras { return e }
            let e = OpenExtras()
            extras = e
            return e
        }
    }

    /// A Rust symbol: v0 mangling (`_R` then an uppercase letter or digit), or the legacy
    /// `_ZN…17h<16 hex digits>E` form.
    static func isRustMangled(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        if b.count > 2, b[0] == 0x5f, b[1] == 0x52, (b[2] >= 0x41 && b[2] <= 0x5a) || (b[2] >= 0x30 && b[2] <= 0x39) { return true }
        guard b.count > 23, b[0] == 0x5f, b[1] == 0x5a, b[2] == 0x4e, b[b.count - 1] == 0x45 else { return false }
        let h = b.count - 20
        guard b[h - 2] == 0x31, b[h - 1] == 0x37, b[h] == 0x68 else { return false }
        return (h + 1..<b.count - 1).allSatisfy { (b[$0] >= 0x30 && b[$0] <= 0x39) || (b[$0] >= 0x61 && b[$0] <= 0x66) }
    }

    /// Encodes the unit; the worker state goes back to `worker`.
    mutating func encode(returning worker: inout EncoderWorker) throws(DWARFError) -> UnitOutput {
        defer { swap(&self.worker, &worker) }
        return try encodeUnit()
    }

    private mutating func encodeUnit() throws(DWARFError) -> UnitOutput {
        worker.prepare(size: unit.end - unit.offset)
        var cursor = try dwarf.cursor(for: unit)
        cursor.filter = isRust ? UnitEncoder.rustFilter : UnitEncoder.filter
        var open: [Open] = []
        var tagStack: [UInt64] = []          // tags of the DIEs enclosing the current one
        var a = Attrs()
        let unitOffset = unit.offset, unitEnd = unit.end, info = dwarf.bytes(of: unit)
        worker.memberWords.removeAll(keepingCapacity: true)
        worker.memberStarts.removeAll(keepingCapacity: true)
        while true {
            let step = try cursor.step()
            if step.isEnd { break }
            let die = DIE(offset: DIEOffset(step.offset), depth: step.depth, tag: step.tag, hasChildren: step.hasChildren,
                          abbreviationCode: 0, parent: nil)
            // Read the innermost open container through its index: `open.last` would copy it.
            while !open.isEmpty && open[open.count - 1].depth >= die.depth { try close(open.removeLast(), parents: &open) }
            let tag = die.tag.rawValue
            if tagStack.count > die.depth { tagStack.removeSubrange(die.depth...) }
            if namespaces.count > die.depth { namespaces.removeSubrange(die.depth...) }
            defer {
                if die.hasChildren {
                    tagStack.append(tag)
                    // Namespace path for qualified Rust names ("" for non-namespaces keeps depths aligned).
                    if qualify { namespaces.append(tag == 0x39 ? (a.name.flatMap { strings.bytes($0) }.map { String(decoding: $0, as: UTF8.self) } ?? "") : "") }
                }
            }
            if tag == 0x39 && !isRust {
                // Per-DIE language: namespaces in a unit not labelled Rust.
                isRust = true
                cursor.filter = UnitEncoder.rustFilter
                while namespaces.count < die.depth { namespaces.append("") }
                out.report.note("namespaces in a unit not labelled Rust: Rust rules from there on", "DIE \(die.offset)")
            }
            // Functions and variables at unit level, or (Rust) inside namespaces only.
            let topLevel = die.depth == 1 || (isRust && die.depth > 1 && tagStack.dropFirst().allSatisfy { $0 == 0x39 })
            let parentKind: Open.Kind? = open.isEmpty ? nil : open[open.count - 1].kind
            let isChild = !open.isEmpty && open[open.count - 1].depth == die.depth - 1
            cursor.withAttributes { UnitEncoder.gather($0, into: &a, unitOffset: unitOffset, unitEnd: unitEnd) }
            if a.typeOutside { a.type = externalType(a.typeAbsolute == 0 ? nil : Int(a.typeAbsolute), from: die) }
            switch tag {
            case 0x0d where parentKind == .aggregate && isChild,      // member
                 0x1c where parentKind == .aggregate && isChild:      // inheritance
                member(a, into: &open[open.count - 1], die: die, info: info)
            case 0x28 where parentKind == .enumeration:                                          // enumerator
                enumerator(&a, into: &open[open.count - 1])
            case 0x05 where (parentKind == .prototype || parentKind == .function) && isChild && open[open.count - 1].prefilled == nil:
                parameter(a, into: &open[open.count - 1])
            case 0x18 where (parentKind == .prototype || parentKind == .function) && isChild && open[open.count - 1].prefilled == nil:
                open[open.count - 1].varargs = true
            case DWARFTag.formalParameter.rawValue where parentKind == .function && isChild && registers != nil:
                // An out-of-line instance: its prototype is the origin's, its locations its own.
                let box = open[open.count - 1].box()
                checkRegister(a, index: box.concreteParameters, of: &open[open.count - 1])
                box.concreteParameters += 1
            // Rust enums with data (DWARF 5 §5.7.10): variant_part → discriminant + variants.
            case 0x33 where parentKind == .aggregate && isChild:
                var vp = Open(kind: .variantPart, depth: die.depth, id: 0, name: 0, size: open[open.count - 1].size)
                vp.dieOffset = die.offset.rawValue
                open.append(vp)
                worker.memberStarts.append(worker.memberWords.count)
            case 0x0d where parentKind == .variantPart && isChild:      // the discriminant
                open[open.count - 1].discriminant = (a.type, UnitEncoder.memberBitOffset(a, info: info))
            case 0x19 where parentKind == .variantPart && isChild:
                var v = Open(kind: .variant, depth: die.depth, id: 0, name: 0, size: 0)
                v.discrValue = a.constValue
                open.append(v)
                worker.memberStarts.append(worker.memberWords.count)
            case 0x0d where parentKind == .variant && isChild:          // the variant's fields
                let discr = open[open.count - 1].discrValue
                let value: String
                switch discr {
                case .sdata(let v)?: value = "discr=\(v)"
                case .none: value = "discr=default"
                case let d?: value = "discr=\(d.unsignedValue ?? 0)"
                }
                let partIndex = open.count - 2
                member(a, into: &open[partIndex], die: die, info: info)
                open[partIndex].variantTags.append((worker.strings.intern(value).rawValue, Int32(open[partIndex].vlen - 1)))
            case 0x6000, 0x6001:                                                                  // annotations
                annotation(a, die: die, open: &open)
            default:
                if let o = try typeDIE(die, &a) {
                    open.append(o)
                    worker.memberStarts.append(worker.memberWords.count)
                } else if tag == 0x2e && topLevel, let o = function(die, &a) {
                    open.append(o)
                    worker.memberStarts.append(worker.memberWords.count)
                    if let p = o.prefilled { worker.memberWords.append(contentsOf: p) }
                }
                else if tag == 0x34 && topLevel { variable(die, a) }
            }
        }
        while let top = open.popLast() { try close(top, parents: &open) }
        finish()
        return out
    }

    /// Handles a DIE that defines a type; returns an `Open` when its children must be collected.
    /// (`a` is only read: it is passed `inout` so that the call does not copy it.)
    mutating func typeDIE(_ die: DIE, _ a: inout Attrs) throws(DWARFError) -> Open? {
        let tag = die.tag.rawValue
        switch tag {
        case 0x24, 0x0f, 0x10, 0x42, 0x1f, 0x26, 0x35, 0x37, 0x16, 0x13, 0x02, 0x17, 0x04, 0x01, 0x15, 0x47, 0x3b, 0x4b, 0x43:
            break
        default:
            return nil
        }
        switch tag {
        case 0x24: baseType(die, a)
        case 0x0f, 0x10, 0x42, 0x1f:
            if tag != 0x0f { out.report.note("C++ reference or pointer-to-member encoded as PTR", "DIE \(die.offset)") }
            guard die.hasChildren else {
                record(newID(for: die), name: 0, kind: .pointer, sizeOrType: a.type)
                return nil
            }
            // Type tags are its children; as pahole, they get IDs before the pointer.
            return Open(kind: .pointer, depth: die.depth, id: 0, name: 0, size: 0, returnType: a.type, dieOffset: die.offset.rawValue)
        case 0x26: record(newID(for: die), name: 0, kind: .const, sizeOrType: a.type)
        case 0x35: record(newID(for: die), name: 0, kind: .volatile, sizeOrType: a.type)
        case 0x37: record(newID(for: die), name: 0, kind: .restrict, sizeOrType: a.type)
        case 0x47, 0x4b, 0x43:
            out.report.note("DW_TAG_\(tag == 0x47 ? "atomic" : tag == 0x4b ? "immutable" : "shared")_type dropped (BTF has no such qualifier)", "DIE \(die.offset)")
            alias(die, to: a.type)
        case 0x3b:
            alias(die, to: 0)                          // unspecified type ("void", nullptr_t)
        case 0x16:
            let id = newID(for: die)
            let n = typeName(a.name)
            record(id, name: n, kind: .typedef, sizeOrType: a.type)
            if options.declTags, let t = worker.originals[n] { pendingDeclTags.append((t, id | UnitEncoder.localFlag, -1)) }
            return Open(kind: .skip, depth: die.depth, id: id, name: 0, size: 0, dieOffset: die.offset.rawValue)
        case 0x13, 0x02, 0x17:
            let n = typeName(a.name)
            if a.declaration || a.byteSize == nil {
                let id = newID(for: die)
                record(id, name: n, kind: .forward, kindFlag: tag == 0x17, sizeOrType: 0)
                return die.hasChildren ? Open(kind: .skip, depth: die.depth, id: id, name: n, size: 0) : nil
            }
            // As pahole: types nested in the aggregate get their IDs first; the aggregate's is
            // assigned when it closes.
            return Open(kind: .aggregate, depth: die.depth, id: 0, name: n, size: a.byteSize ?? 0, isUnion: tag == 0x17, dieOffset: die.offset.rawValue)
        case 0x04:
            let id = newID(for: die)
            var signed = false
            if a.type != 0 { signed = baseTypeIsSigned(a.type) }
            return Open(kind: .enumeration, depth: die.depth, id: id, name: typeName(a.name), size: a.byteSize ?? 4, signed: signed, dieOffset: die.offset.rawValue)
        case 0x01:
            try array(die, a)
        case 0x15:
            let id = newID(for: die)
            return Open(kind: .prototype, depth: die.depth, id: id, name: 0, size: 0, returnType: a.type)
        default: break
        }
        return nil
    }

    /// How a DW_TAG_base_type becomes BTF, as pahole does: a FLOAT for a real float of a FLOAT
    /// size (feature `float`), else an INT of 1...16 bytes with its encoding bits (signed,
    /// signed_char, signed_fixed → SIGNED; boolean → BOOL) and bit width; nil for other sizes.
    static func baseTypeShape(encoding: UInt64, size: UInt64, bitSize: UInt64?, floats: Bool) -> (kind: BTFKind, tail: [UInt32])? {
        if encoding == 0x04 && floats && [2, 4, 8, 12, 16].contains(size) { return (.float, []) }
        guard size >= 1 && size <= 16 else { return nil }
        let enc: UInt32 = [0x05, 0x06, 0x0d].contains(encoding) ? 1 : encoding == 0x02 ? 4 : 0
        return (.int, [(enc << 24) | UInt32(min(bitSize ?? size * 8, size * 8))])
    }

    mutating func baseType(_ die: DIE, _ a: Attrs) {
        let size = a.byteSize ?? 0
        let id = newID(for: die)
        let n = rawName(a)
        guard let shape = UnitEncoder.baseTypeShape(encoding: a.encoding, size: size, bitSize: a.bitSize, floats: options.floats) else {
            // `()` and other zero-size types, or wider than any BTF INT: an empty struct keeps
            // the size (and needs an identifier name).
            out.report.note("base type of size 0 or wider than 16 bytes encoded as an empty struct of its size", "DIE \(die.offset)")
            record(id, name: name(a), kind: .structure, sizeOrType: UInt32(truncatingIfNeeded: size))
            return
        }
        if shape.kind == .int {
            if n == 0 { out.report.note("unnamed base type", "DIE \(die.offset)") }
            if intTypeDIE == 0 && size == 4 && shape.tail[0] >> 24 == 1 && worker.strings.text(n) == "int" {
                intTypeDIE = UInt32(die.offset.rawValue - unit.offset)
                indexTypeID = id
            }
        }
        record(id, name: n, kind: shape.kind, sizeOrType: UInt32(size), tail: shape.tail)
    }

    /// A cursor at `offset` of this unit for following a reference: the spare one, moved there,
    /// when there is one (give it back with `recycle`), else a new one.
    mutating func lookupCursor(at offset: DIEOffset) throws(DWARFError) -> DIECursor {
        if var c = spareCursor.take() {            // moved out, not copied
            try c.restart(at: offset)
            return c
        }
        return try dwarf.cursor(for: unit, at: offset)
    }

    mutating func recycle(_ c: consuming DIECursor) { spareCursor = consume c }

    var spareCursor: DIECursor?

    mutating func baseTypeIsSigned(_ rel: UInt32) -> Bool {
        guard var c = try? lookupCursor(at: DIEOffset(unit.offset + Int(rel))) else { return false }
        defer { recycle(c) }
        guard var cur = try? c.next() else { return false }
        // Follow typedefs/qualifiers to the base type (bounded).
        for _ in 0..<8 where cur.tag.rawValue != 0x24 {
            guard let t = c.attribute(.type), let off = dwarf.referencedOffset(t, unit: unit),
                  (try? c.restart(at: off)) != nil, let next = try? c.next() else { return false }
            cur = next
        }
        let enc = c.attribute(DWARFAttribute(0x3e))?.value.unsignedValue ?? 0
        return enc == 0x05 || enc == 0x06 || enc == 0x0d
    }

    mutating func array(_ die: DIE, _ a: Attrs) throws(DWARFError) {
        // Read the subranges now (they are the children).
        var dims: [UInt32] = []
        if die.hasChildren {
            var c = try lookupCursor(at: die.offset)
            defer { recycle(c) }
            _ = try c.next()
            while let sub = try c.next(), sub.depth >= 1 {
                guard sub.depth == 1 else { continue }
                guard sub.tag.rawValue == 0x21 || sub.tag.rawValue == 0x04 else { continue }   // subrange, enumeration index
                let s = gather(c.attributes)
                var n: UInt64 = 0
                if let count = s.count { n = count }
                else if let ub = s.upperBound {
                    switch ub {
                    case .sdata(let v) where v < 0: n = 0                       // -1: flexible
                    case .data(let v, 8) where v == UInt64.max: n = 0
                    default: if let v = ub.unsignedValue { n = v &+ 1 &- (s.lowerBound ?? 0) }
                    }
                }
                dims.append(UInt32(clamping: n))
            }
        }
        if dims.isEmpty { dims = [0] }
        needsIndexType = true
        let index = UnitEncoder.localFlag        // patched to the index type at the end
        if options.nestedArrays && dims.count > 1 {
            let id = newID(for: die)
            var inner = a.type
            for d in dims.dropFirst().reversed() {
                inner = synthetic(name: 0, kind: .array, sizeOrType: 0, tail: [inner, index, d])
            }
            record(id, name: 0, kind: .array, sizeOrType: 0, tail: [inner, index, dims[0]])
        } else {
            var total: UInt64 = 1
            for d in dims { total = total.multipliedReportingOverflow(by: UInt64(d)).overflow ? UInt64(UInt32.max) : total * UInt64(d) }
            record(newID(for: die), name: 0, kind: .array, sizeOrType: 0, tail: [a.type, index, UInt32(clamping: total)])
        }
    }

    /// A reference into another unit (DW_FORM_ref_addr: LTO, several codegen units): an empty
    /// STRUCT with the target's name and size, so layouts and kernel rules hold (never void,
    /// which no member may have). Counted in --stats. Cached per target in this unit.
    mutating func externalType(_ absolute: Int?, from die: DIE) -> UInt32 {
        guard let absolute else {
            out.report.note("reference of an unsupported form encoded as void", "DIE \(die.offset)")
            return 0
        }
        if let known = externalTypes[absolute] { return known }
        var name: UInt32 = 0
        var size: UInt64 = 0
        // A base type in another unit is the same everywhere: encode it here.
        if let u = dwarf.unit(containing: DIEOffset(absolute)), var c = try? dwarf.cursor(for: u, at: DIEOffset(absolute)),
           let d = try? c.next(), d.tag.rawValue == 0x24 {
            let attrs = c.attributes
            let s = attrs.first(named: DWARFAttribute(0x0b))?.value.unsignedValue ?? 0
            let enc = attrs.first(named: DWARFAttribute(0x3e))?.value.unsignedValue ?? 0
            if let n = attrs.first(named: .name), let text = try? dwarf.string(n, unit: u) {
                name = worker.strings.intern(text).rawValue      // as it is, like a local base type
            }
            let bitSize = attrs.first(named: DWARFAttribute(0x0d))?.value.unsignedValue
            if let shape = UnitEncoder.baseTypeShape(encoding: enc, size: s, bitSize: bitSize, floats: options.floats) {
                let id = synthetic(name: name, kind: shape.kind, sizeOrType: UInt32(s), tail: shape.tail)
                out.report.note("base type in another unit (DW_FORM_ref_addr) encoded in the referencing unit", "DIE \(die.offset)")
                externalTypes[absolute] = id
                return id
            }
        }
        if let u = dwarf.unit(containing: DIEOffset(absolute)) {
            var off = DIEOffset(absolute)
            for step in 0..<16 {
                guard var c = try? dwarf.cursor(for: u, at: off), let d = try? c.next() else { break }
                let attrs = c.attributes
                if step == 0 || name == 0, let n = attrs.first(named: .name), let text = try? dwarf.string(n, unit: u) {
                    name = worker.strings.intern(NamePolicy.escape(text)).rawValue
                }
                if let s = attrs.first(named: DWARFAttribute(0x0b))?.value.unsignedValue { size = s; break }
                if d.tag.rawValue == 0x0f || d.tag.rawValue == 0x10 || d.tag.rawValue == 0x42 { size = UInt64(u.addressSize); break }
                guard let t = attrs.first(named: .type), let next = dwarf.referencedOffset(t, unit: u) else { break }
                off = next
            }
        }
        // An opaque struct of the target's name and size stands in until every unit is encoded;
        // then references to it go to the target's own type (or it stays, counted, if there is none).
        let id = synthetic(name: name, kind: .structure, sizeOrType: UInt32(truncatingIfNeeded: size))
        externalTypes[absolute] = id
        out.externalRefs.append((local: id & ~UnitEncoder.localFlag, target: UInt32(truncatingIfNeeded: absolute)))
        return id
    }

    var externalTypes: [Int: UInt32] = [:]

    /// A member's bit offset from DW_AT_data_member_location (constant or DW_OP_plus_uconst),
    /// nil without one.
    static func locationBitOffset(_ a: Attrs, info: SectionData) -> UInt64? {
        guard let m = a.memberLocation else { return nil }
        switch m {
        case .exprloc(let off, let len), .block(let off, let len): return plusUconst(off, len, info: info) * 8
        default: return (m.unsignedValue ?? 0) * 8
        }
    }

    /// A member's bit offset: from its location, else DW_AT_data_bit_offset, else 0.
    static func memberBitOffset(_ a: Attrs, info: SectionData) -> UInt64 {
        locationBitOffset(a, info: info) ?? a.dataBitOffset ?? 0
    }

    @inline(__always)
    mutating func member(_ a: Attrs, into o: inout Open, die: DIE, info: SectionData) {
        if a.declaration { return }                           // C++ static member
        var bitOffset = UnitEncoder.locationBitOffset(a, info: info) ?? 0
        var bitfield: UInt64 = 0
        if let bits = a.bitSize {
            bitfield = bits
            if let dbo = a.dataBitOffset { bitOffset = dbo }
            else if let bo = a.bitOffset {
                // DWARF 2/3: bit_offset counts from the most significant bit of the storage unit.
                let storage = (a.byteSize ?? 0) * 8
                if dwarf.little { bitOffset = bitOffset &+ storage &- bo &- bits } else { bitOffset = bitOffset &+ bo }
            }
        } else if let dbo = a.dataBitOffset {
            bitOffset = dbo
        }
        if bitfield > 0 { o.bitfields = true }
        let n = name(a)
        worker.memberWords.append(n)
        worker.memberWords.append(a.type)
        worker.memberWords.append(UInt32(truncatingIfNeeded: bitOffset))
        worker.memberWords.append(UInt32(truncatingIfNeeded: bitfield))
        o.vlen += 1
    }

    static func plusUconst(_ off: Int, _ len: Int, info: SectionData) -> UInt64 {
        let b = info.buffer
        guard len >= 1, off >= 0, off + len <= b.count else { return 0 }
        if b[off] == 0x23 {                                   // DW_OP_plus_uconst ULEB128
            var v: UInt64 = 0, shift: UInt64 = 0, i = off + 1
            while i < off + len && shift < 64 {
                v |= UInt64(b[i] & 0x7f) << shift
                if b[i] & 0x80 == 0 { break }
                shift += 7; i += 1
            }
            return v
        }
        return 0
    }

    /// (`a` is only read; `inout` so that the call does not copy it.)
    mutating func enumerator(_ a: inout Attrs, into o: inout Open) {
        var v: UInt64 = 0
        if let c = a.constValue {
            switch c {
            case .sdata(let s): v = UInt64(bitPattern: s); if s < 0 { o.signed = true }
            case .data(let d, _):
                // Not sign-extended: compilers use data1/2/4 for non-negative values and sdata for
                // negative ones (gcc writes 128 as data1 0x80 in a signed enum); pahole reads it so.
                v = d
            default: v = c.unsignedValue ?? 0
            }
        }
        if o.size > 8 {
            // 128-bit enum (Rust repr(u128)/repr(i128)): no BTF enum can hold it; keep the
            // enumerator as a DECL_TAG text "NAME=VALUE" (see close).
            var hi: UInt64 = 0
            var wideBytes: Int? = nil
            switch a.constValue {
            case .data16(let off)?: wideBytes = off
            case .block(let off, 16)?: wideBytes = off            // rustc: DW_FORM_block1 of 16 bytes
            default: break
            }
            if let off = wideBytes {
                let b = dwarf.bytes(of: unit).buffer
                if off >= 0, off + 16 <= b.count {
                    v = 0
                    for k in 0..<8 {
                        let lo = UInt64(b[off + k]), h = UInt64(b[off + 8 + k])
                        if dwarf.little { v |= lo << (8 * UInt64(k)); hi |= h << (8 * UInt64(k)) }
                        else { v |= UInt64(b[off + 15 - k]) << (8 * UInt64(k)); hi |= UInt64(b[off + 7 - k]) << (8 * UInt64(k)) }
                    }
                }
            } else if case .sdata(let sv)? = a.constValue, sv < 0 {
                hi = UInt64.max
            }
            let text = (a.name.flatMap { strings.bytes($0) }.map { String(decoding: $0, as: UTF8.self) } ?? "") + "=" + UnitEncoder.decimal128(hi: hi, lo: v, signed: o.signed)
            worker.memberWords.append(worker.strings.intern(text).rawValue)
            worker.memberWords.append(0)
            worker.memberWords.append(0)
            o.vlen += 1
            return
        }
        let n = name(a)
        worker.memberWords.append(n)
        worker.memberWords.append(UInt32(truncatingIfNeeded: v))
        worker.memberWords.append(UInt32(truncatingIfNeeded: v >> 32))
        o.vlen += 1
    }

    /// The decimal text of a 128-bit value given as two 64-bit halves.
    static func decimal128(hi: UInt64, lo: UInt64, signed: Bool) -> String {
        var h = hi, l = lo
        var negative = false
        if signed && h >> 63 == 1 {
            negative = true
            (l, h) = (~l &+ 1, ~h &+ (l == 0 ? 1 : 0))
        }
        if h == 0 { return (negative ? "-" : "") + String(l) }
        var digits: [UInt8] = []
        while h != 0 || l != 0 {
            // Divide the 128-bit (h, l) by 10.
            let (qh, rh) = h.quotientAndRemainder(dividingBy: 10)
            let (ql, rl) = UInt64(10).dividingFullWidth((high: rh, low: l))
            h = qh; l = ql
            digits.append(UInt8(rl) + 0x30)
        }
        return (negative ? "-" : "") + String(decoding: digits.reversed(), as: UTF8.self)
    }

    @inline(__always)
    mutating func parameter(_ a: Attrs, into o: inout Open) {
        var n = name(a)
        var type = a.type
        if let origin = a.origin, n == 0 || type == 0, let (on, ot) = originNameAndType(origin) {
            if n == 0 { n = on }
            if type == 0 { type = ot }
        }
        if n == 0 && isRust && o.kind == .function { n = parameterName(o.vlen) }
        if n == 0 { o.hasUnnamedParam = true }
        if registers != nil && o.kind == .function { checkRegister(a, index: o.vlen, of: &o) }
        worker.memberWords.append(n)
        worker.memberWords.append(type)
        o.vlen += 1
    }

    /// consistent_func: flags the function when parameter `index` is not where the calling
    /// convention puts it (`ParameterRegisters`).
    mutating func checkRegister(_ a: Attrs, index: Int, of o: inout Open) {
        guard let registers, let loc = a.location, o.function?.unexpectedRegister == false,
              registers.isUnexpected(index: index, location: loc, dwarf: dwarf, unit: unit) else { return }
        o.function?.unexpectedRegister = true
    }

    /// The DIE a reference value points at (section offset), if it is a reference.
    func reference(_ v: AttributeValue) -> DIEOffset? {
        switch v {
        case .unitReference(let r):
            let (t, o) = UInt64(unit.offset).addingReportingOverflow(r)
            return o || t > UInt64(Int.max) ? nil : DIEOffset(Int(t))
        case .sectionReference(let r): return r > UInt64(Int.max) ? nil : DIEOffset(Int(r))
        default: return nil
        }
    }

    /// Name and type of the DIE an abstract_origin/specification points at (same unit).
    mutating func originNameAndType(_ origin: AttributeValue) -> (UInt32, UInt32)? {
        guard let off = reference(origin), off.rawValue >= unit.firstDIE, off.rawValue < unit.end,
              var c = try? dwarf.cursor(for: unit, at: off), (try? c.next()) != nil else { return nil }
        let a = gather(c.attributes)
        var n = name(a), t = a.type
        if (n == 0 || t == 0), let o2 = a.origin,
           let off2 = reference(o2), off2 != off, off2.rawValue >= unit.firstDIE, off2.rawValue < unit.end,
           var c2 = try? dwarf.cursor(for: unit, at: off2), (try? c2.next()) != nil {
            let b = gather(c2.attributes)
            if n == 0 { n = name(b) }
            if t == 0 { t = b.type }
        }
        return (n, t)
    }

    /// (`a` is only read; `inout` so that the call does not copy it.)
    mutating func function(_ die: DIE, _ a: inout Attrs) -> Open? {
        if a.declaration { return nil }
        var n = name(a)
        var ret = a.type
        var external = a.external
        var params: [UInt32] = []
        if let origin = a.origin {
            // An out-of-line instance or a definition of an earlier declaration: the prototype is
            // the origin's.
            guard let off = reference(origin), off.rawValue >= unit.firstDIE, off.rawValue < unit.end,
                  var c = try? dwarf.cursor(for: unit, at: off), let od = try? c.next() else { return nil }
            let o = gather(c.attributes)
            if n == 0 { n = name(o) }
            if ret == 0 { ret = o.typeOutside ? externalType(o.typeAbsolute == 0 ? nil : Int(o.typeAbsolute), from: od) : o.type }
            external = external || o.external
            let linkage = a.linkageName ?? o.linkageName
            if options.optimizedFunctions || options.consistentFunctions {
                // pahole 1.31 (FunctionRules): an instance's parameters are its own children
                // (names and types from their origins), so an out-of-line copy that lost a
                // parameter has another prototype than its abstract instance.
                if n == 0 { return nil }
                var own = Open(kind: .function, depth: die.depth, id: 0, name: n, size: 0, returnType: ret)
                let names = symbolNames(name: n, linkage: linkage)
                own.function = FunctionCandidate(name: names.name, symbol: names.symbol, proto: 0, external: external)
                own.dieOffset = die.offset.rawValue
                return own
            }
            var varargs = false
            var unnamed = false
            if od.hasChildren {
                while let p = try? c.next(), p.depth >= 1 {
                    guard p.depth == 1 else { continue }
                    if p.tag.rawValue == 0x05 {
                        let pa = gather(c.attributes)
                        var pn = name(pa)
                        if pn == 0 && isRust { pn = parameterName(params.count / 2) }
                        if pn == 0 { unnamed = true }
                        params.append(pn)
                        params.append(pa.typeOutside ? externalType(pa.typeAbsolute == 0 ? nil : Int(pa.typeAbsolute), from: p) : pa.type)
                    } else if p.tag.rawValue == 0x18 { varargs = true }
                }
            }
            if n == 0 { return nil }
            var o2 = Open(kind: .function, depth: die.depth, id: 0, name: n, size: 0, varargs: varargs, hasUnnamedParam: unnamed, returnType: ret)
            let names = symbolNames(name: n, linkage: linkage)
            o2.function = FunctionCandidate(name: names.name, symbol: names.symbol, proto: 0, external: external)
            o2.vlen = params.count / 2
            o2.prefilled = params
            return o2
        }
        if n == 0 { return nil }
        var o = Open(kind: .function, depth: die.depth, id: 0, name: n, size: 0, returnType: ret)
        let names = symbolNames(name: n, linkage: a.linkageName)
        o.function = FunctionCandidate(name: names.name, symbol: names.symbol, proto: 0, external: external)
        o.dieOffset = die.offset.rawValue
        return o
    }

    mutating func variable(_ die: DIE, _ attrs: Attrs) {
        var a = attrs
        if a.declaration { return }
        guard let loc = a.location, let address = staticAddress(loc) else { return }
        var n = name(a)
        if let origin = a.origin, let (on, ot) = originNameAndType(origin) {
            if n == 0 { n = on }
            if a.type == 0 { a.type = ot }
            if !a.external, let off = reference(origin),
               var c = try? dwarf.cursor(for: unit, at: off), (try? c.next()) != nil {
                a.external = gather(c.attributes).external
            }
        }
        guard n != 0 else { return }
        let names = symbolNames(name: n, linkage: a.linkageName)
        out.variables.append(VariableCandidate(name: names.name, symbol: names.symbol, type: a.type, address: address, external: a.external))
    }

    /// The address of a location that is exactly DW_OP_addr or DW_OP_addrx (a static variable).
    func staticAddress(_ loc: AttributeValue) -> UInt64? {
        guard case .exprloc(let off, let len) = loc else {
            if case .block(let off, let len) = loc { return addressOp(off, len) }
            return nil
        }
        return addressOp(off, len)
    }

    func addressOp(_ off: Int, _ len: Int) -> UInt64? {
        let b = dwarf.bytes(of: unit).buffer
        guard len >= 1, off >= 0, off + len <= b.count else { return nil }
        switch b[off] {
        case 0x03:
            let size = Int(unit.addressSize)
            guard len == 1 + size else { return nil }
            var v: UInt64 = 0
            for k in 0..<size {
                let byte = UInt64(b[off + 1 + k])
                v |= dwarf.little ? byte << (8 * UInt64(k)) : byte << (8 * UInt64(size - 1 - k))
            }
            return v
        case 0xa1, 0xfb:
            var v: UInt64 = 0, shift: UInt64 = 0, i = off + 1
            while i < off + len && shift < 64 {
                v |= UInt64(b[i] & 0x7f) << shift
                if b[i] & 0x80 == 0 { break }
                shift += 7; i += 1
            }
            guard i == off + len - 1 else { return nil }
            return try? dwarf.address(index: v, unit: unit)
        default:
            return nil
        }
    }

    mutating func annotation(_ a: Attrs, die: DIE, open: inout [Open]) {
        // btf_decl_tag / btf_type_tag: name is the tag kind, const_value the string.
        guard let nameAttr = a.name, let kindBytes = strings.bytes(nameAttr),
              let v = a.constValue, let value = strings.bytes(v) else { return }
        let kind = String(decoding: kindBytes, as: UTF8.self)
        let valueOffset = worker.strings.intern(value).rawValue
        if kind == "btf_type_tag" {
            guard options.typeTags, let top = open.last, top.kind == .pointer, top.depth == die.depth - 1 else { return }
            // Pointer → TYPE_TAG(value) → previous target.
            open[open.count - 1].returnType = synthetic(name: valueOffset, kind: .typeTag, sizeOrType: top.returnType)
            return
        }
        guard kind == "btf_decl_tag", options.declTags, let top = open.last else { return }
        switch top.kind {
        case .aggregate:
            let component: Int32 = top.depth == die.depth - 1 ? -1 : Int32(top.vlen - 1)
            pendingDeclTags.append((valueOffset, UInt32(top.dieOffset - unit.offset), component))
        case .function, .prototype:
            let component: Int32 = top.depth == die.depth - 1 ? -1 : Int32(top.vlen - 1)
            if top.kind == .function { open[open.count - 1].function?.tags.append((valueOffset, component)) }
        case .skip:
            if top.id != 0 { pendingDeclTags.append((valueOffset, top.id | UnitEncoder.localFlag, -1)) }
        case .enumeration:
            pendingDeclTags.append((valueOffset, top.id | UnitEncoder.localFlag, -1))
        case .pointer, .variantPart, .variant:
            break
        }
    }

    var pendingDeclTags: [(value: UInt32, target: UInt32, component: Int32)] = []

    mutating func close(_ o: Open, parents: inout [Open]) throws(DWARFError) {
        let start = worker.memberStarts.popLast() ?? worker.memberWords.count
        // A variant's fields belong to its variant part: they stay.
        if o.kind == .variant { return }
        if o.kind == .variantPart {
            // An anonymous UNION at offset 0 of the enclosing struct, holding first `discr` — an
            // anonymous struct of the enum's size with the discriminant `value` at its true
            // offset — then one member per variant (each a struct with its fields at their true
            // offsets), with a DECL_TAG "discr=N" (or "discr=default") per variant. Nothing
            // overlaps outside the union, so the layout is also valid C.
            var tail: [UInt32] = []
            var tagShift: Int32 = 0
            if let d = o.discriminant {
                let view = synthetic(name: 0, kind: .structure, vlen: 1, sizeOrType: UInt32(truncatingIfNeeded: o.size),
                                     tail: [worker.strings.intern("value").rawValue, d.type, UInt32(truncatingIfNeeded: d.bits)])
                tail += [worker.strings.intern("discr").rawValue, view, 0]
                tagShift = 1
            }
            var k = start
            for _ in 0..<o.vlen {
                tail += [worker.memberWords[k], worker.memberWords[k + 1], 0]
                k += 4
            }
            let union = synthetic(name: 0, kind: .union, vlen: tail.count / 3, sizeOrType: UInt32(truncatingIfNeeded: o.size), tail: tail)
            for t in o.variantTags where options.declTags { pendingDeclTags.append((t.value, union, t.component + tagShift)) }
            worker.memberWords.removeSubrange(start...)
            guard !parents.isEmpty else { return }
            worker.memberWords += [0, union, 0, 0]
            parents[parents.count - 1].vlen += 1
            out.report.note("Rust enum with data: union of the discriminant view and the variants, discr DECL_TAGs", "")
            return
        }
        // The words go once the container is closed. A nested one must give them back before its
        // parent goes on; an outermost one may leave them (the next starts after them, and the
        // unit's words are dropped together when the next unit starts): no truncation per type.
        defer { if !parents.isEmpty { worker.memberWords.removeSubrange(start...) } }
        switch o.kind {
        case .variantPart, .variant:
            return
        case .aggregate:
            if !o.isUnion {       // before the record starts: fixing may add a synthetic type
                sortMembersByOffset(from: start, count: o.vlen)
                fixUnsizedTail(from: start, count: o.vlen, structSize: o.size)
            }
            let id = newID(forOffset: o.dieOffset)
            if options.declTags && !worker.originals.isEmpty {
                if let t = worker.originals[o.name] { pendingDeclTags.append((t, id | UnitEncoder.localFlag, -1)) }
                for m in 0..<o.vlen {
                    if let t = worker.originals[worker.memberWords[start + 4 * m]] { pendingDeclTags.append((t, id | UnitEncoder.localFlag, Int32(m))) }
                }
            }
            begin(id, name: o.name, kind: o.isUnion ? .union : .structure, vlen: o.vlen, kindFlag: o.bitfields,
                  sizeOrType: UInt32(truncatingIfNeeded: o.size))
            words.reserveCapacity(words.count + 3 * o.vlen)
            var k = start
            for _ in 0..<o.vlen {
                let off = worker.memberWords[k + 2], bits = worker.memberWords[k + 3]
                words.append(worker.memberWords[k])
                words.append(worker.memberWords[k + 1])
                words.append(o.bitfields ? (bits << 24) | (off & 0xFF_FFFF) : off)
                k += 4
            }
        case .enumeration where o.size > 8:
            // TYPEDEF of a 16-byte INT, the enumerators as DECL_TAGs "NAME=VALUE" on it.
            let int = synthetic(name: worker.strings.intern(o.signed ? "i128" : "u128").rawValue, kind: .int,
                                sizeOrType: UInt32(truncatingIfNeeded: o.size), tail: [(o.signed ? 1 << 24 : 0) | 128])
            record(o.id, name: o.name, kind: .typedef, sizeOrType: int)
            var k = start
            for _ in 0..<o.vlen where options.declTags {
                pendingDeclTags.append((worker.memberWords[k], o.id | UnitEncoder.localFlag, -1))
                k += 3
            }
            out.report.note("128-bit enum encoded as a typedef of a 16-byte INT, enumerators as DECL_TAGs", "")
        case .enumeration:
            let wide = o.size > 4 && options.enum64
            begin(o.id, name: o.name, kind: wide ? .enum64 : .enumeration, vlen: o.vlen, kindFlag: o.signed,
                  sizeOrType: UInt32(truncatingIfNeeded: wide ? o.size : min(o.size, 4)))
            var k = start
            for _ in 0..<o.vlen {
                words.append(worker.memberWords[k])
                words.append(worker.memberWords[k + 1])
                if wide { words.append(worker.memberWords[k + 2]) }
                k += 3
            }
        case .prototype:
            let n = (worker.memberWords.count - start) / 2 + (o.varargs ? 1 : 0)
            begin(o.id, name: 0, kind: .functionProto, vlen: n, kindFlag: false, sizeOrType: o.returnType)
            words.append(contentsOf: worker.memberWords[start...])
            if o.varargs { words.append(0); words.append(0) }
        case .function:
            guard var f = o.function else { return }
            // pahole skips functions with an unnamed parameter (the kernel requires names).
            if o.hasUnnamedParam {
                out.report.note("function with an unnamed parameter skipped (as pahole)", "function DIE")
                return
            }
            var tail = Array(worker.memberWords[start...])
            if o.varargs { tail.append(0); tail.append(0) }
            f.proto = out.protos.count
            out.protos.append(name: .empty, kind: .functionProto, vlen: tail.count / 2, sizeOrType: o.returnType, tail: tail)
            out.functions.append(f)
        case .pointer:
            record(newID(forOffset: o.dieOffset), name: 0, kind: .pointer, sizeOrType: o.returnType)
        case .skip:
            break
        }
    }

    /// Members in bit-offset order, stably (the kernel requires it; rustc reorders fields and
    /// lists them in declaration order). Counted in `--stats` when anything moved.
    mutating func sortMembersByOffset(from start: Int, count: Int) {
        var sorted = true
        var k = start + 4
        for _ in 1..<max(count, 1) {
            if worker.memberWords[k + 2] < worker.memberWords[k - 2] { sorted = false; break }
            k += 4
        }
        guard !sorted else { return }
        var members: [(UInt32, UInt32, UInt32, UInt32)] = []
        for m in 0..<count {
            let b = start + 4 * m
            members.append((worker.memberWords[b], worker.memberWords[b + 1], worker.memberWords[b + 2], worker.memberWords[b + 3]))
        }
        let order = members.indices.sorted { (members[$0].2, $0) < (members[$1].2, $1) }
        for (m, i) in order.enumerated() {
            let b = start + 4 * m
            (worker.memberWords[b], worker.memberWords[b + 1], worker.memberWords[b + 2], worker.memberWords[b + 3]) = members[i]
        }
        out.report.note("members sorted by offset (declared out of layout order)", "")
    }

    /// A member that starts at or past the end of its struct and has a non-zero size is the
    /// unsized tail of a dynamically sized type (Rust `CStr { inner: [i8] }` has size 0 and an `i8`
    /// member): it becomes a flexible array of its type, which is what it is, so the struct stays
    /// within its size as the kernel requires.
    mutating func fixUnsizedTail(from start: Int, count: Int, structSize: UInt64) {
        let end = structSize &* 8
        for m in 0..<count {
            let b = start + 4 * m
            guard worker.memberWords[b + 3] == 0, UInt64(worker.memberWords[b + 2]) >= end else { continue }
            let type = worker.memberWords[b + 1]
            guard type & UnitEncoder.localFlag == 0, type != 0, (typeByteSize(type) ?? 0) > 0 else { continue }
            needsIndexType = true
            worker.memberWords[b + 1] = synthetic(name: 0, kind: .array, sizeOrType: 0, tail: [type, UnitEncoder.localFlag, 0])
            out.report.note("unsized tail member (dynamically sized type) encoded as a flexible array", "member at bit \(worker.memberWords[b + 2])")
        }
    }

    /// The byte size of the type at unit-relative DIE offset `rel`, following typedefs and
    /// qualifiers (bounded); nil when unknown.
    mutating func typeByteSize(_ rel: UInt32) -> UInt64? {
        guard var c = try? lookupCursor(at: DIEOffset(unit.offset + Int(rel))) else { return nil }
        defer { recycle(c) }
        for step in 0..<16 {
            guard let d = try? c.next() else { return nil }
            if let size = c.attribute(DWARFAttribute(0x0b))?.value.unsignedValue { return size }
            switch d.tag.rawValue {
            case 0x0f, 0x10, 0x42: return UInt64(unit.addressSize)
            case 0x16, 0x26, 0x35, 0x37, 0x47:
                guard step < 15, let t = c.attribute(.type), let next = dwarf.referencedOffset(t, unit: unit),
                      (try? c.restart(at: next)) != nil else { return nil }
            default: return nil
            }
        }
        return nil
    }

    /// Starts a record whose tail the caller appends to `words`.
    mutating func begin(_ id: UInt32, name: UInt32, kind: BTFKind, vlen: Int, kindFlag: Bool, sizeOrType: UInt32) {
        recordIDs.append(id)
        starts.append(words.count)
        words.append(name)
        words.append(TypeInfo(kind: kind, vlen: vlen, kindFlag: kindFlag).rawValue)
        words.append(sizeOrType)
    }

    /// Turns DIE references into unit-local IDs, orders the records by ID and adds decl tags.
    mutating func finish() {
        for (value, target, component) in pendingDeclTags {
            _ = synthetic(name: value, kind: .declTag, sizeOrType: target, tail: [UInt32(bitPattern: component)])
        }
        var sorted = true
        for k in recordIDs.indices.dropFirst() where recordIDs[k] < recordIDs[k - 1] { sorted = false; break }
        var table = BTFTypeTable()
        if sorted {
            table.words = words
            table.starts = starts
        } else {
            let order = recordIDs.indices.sorted { recordIDs[$0] < recordIDs[$1] }
            table.words.reserveCapacity(words.count)
            for k in order {
                let s = starts[k], e = k + 1 < starts.count ? starts[k + 1] : words.count
                table.starts.append(table.words.count)
                table.words.append(contentsOf: words[s..<e])
            }
        }
        out.hasArrays = needsIndexType
        out.intID = indexTypeID
        out.isRust = isRust
        let index = UInt32(table.count + 1), generation = worker.generation
        var protos = out.protos
        out.protos = BTFTypeTable()
        var variables = out.variables
        out.variables = []
        worker.entry.withUnsafeBufferPointer { entry in
            worker.stamp.withUnsafeBufferPointer { stamp in
                worker.aliases.withUnsafeBufferPointer { aliases in
                    let resolve = { (ref: UInt32) -> UInt32 in
                        UnitEncoder.resolveRef(ref, index: index, entry: entry, stamp: stamp, aliases: aliases, generation: generation)
                    }
                    for i in 0..<table.count { table.rewriteTypeFields(i, resolve) }
                    for i in 0..<protos.count { protos.rewriteTypeFields(i, resolve) }
                    for k in variables.indices { variables[k].type = resolve(variables[k].type) }
                    if isRust {
                        // Every DIE that produced a type, by .debug_info offset, for other units' references.
                        let size = min(unit.end - unit.offset, entry.count)
                        var exports: [UInt32: UInt32] = [:]
                        for rel in 0..<size where stamp[rel] == generation {
                            let id = resolve(UInt32(rel))
                            if id != 0 { exports[UInt32(truncatingIfNeeded: unit.offset + rel)] = id }
                        }
                        out.exports = exports
                    }
                }
            }
        }
        out.protos = protos
        out.variables = variables
        out.types = table
    }

    static func resolveRef(_ ref: UInt32, index: UInt32, entry: UnsafeBufferPointer<UInt32>, stamp: UnsafeBufferPointer<UInt32>,
                           aliases: UnsafeBufferPointer<UInt32>, generation: UInt32) -> UInt32 {
        if ref == 0 { return 0 }
        if ref == UnitEncoder.localFlag { return index }
        if ref & UnitEncoder.localFlag != 0 { return ref & ~UnitEncoder.localFlag }
        var rel = Int(ref)
        for _ in 0..<16 {
            guard rel < entry.count, stamp[rel] == generation else { return 0 }
            let e = entry[rel]
            if e & UnitEncoder.aliasFlag == 0 { return e }
            let k = Int(e & ~UnitEncoder.aliasFlag)
            guard k < aliases.count else { return 0 }
            let target = aliases[k]
            if target == 0 { return 0 }
            rel = Int(target)
        }
        return 0
    }
}

/// Open-addressing map from a 64-bit key to a 32-bit value, key and value side by side so a
/// lookup touches one cache line.
struct KeyCache: Sendable {
    private var slots = [Slot](repeating: Slot(), count: 1 << 14)
    private var used = 0

    init() {}
    /// Holds nothing; never looked into (see `EncoderWorker.standIn`).
    init(standIn: ()) { slots = [] }

    /// Key + 1 (0 = empty) and value: 8 bytes, so more of a vmlinux's names stay in cache. Keys
    /// of 2^32 - 1 and above (line-string offsets, huge sections) are not cached.
    struct Slot: Sendable { var key: UInt32 = 0; var value: UInt32 = 0 }

    @inline(__always) static func slot(_ key: UInt32, _ mask: Int) -> Int {
        let m = UInt64(key) &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: m >> 40) & mask
    }

    @inline(__always) func lookup(_ key: UInt64) -> UInt32? {
        guard key < UInt64(UInt32.max) else { return nil }
        let k = UInt32(key) &+ 1
        return slots.withUnsafeBufferPointer { b -> UInt32? in
            let mask = b.count - 1
            var i = KeyCache.slot(k, mask)
            while true {
                let s = b[i]
                if s.key == k { return s.value }
                if s.key == 0 { return nil }
                i = (i + 1) & mask
            }
        }
    }

    mutating func insert(_ key: UInt64, _ value: UInt32) {
        guard key < UInt64(UInt32.max) else { return }
        if (used + 1) * 2 > slots.count { grow() }
        let k = UInt32(key) &+ 1, mask = slots.count - 1
        var i = KeyCache.slot(k, mask)
        while slots[i].key != 0 && slots[i].key != k { i = (i + 1) & mask }
        if slots[i].key == 0 { used += 1 }
        slots[i] = Slot(key: k, value: value)
    }

    private mutating func grow() {
        let old = slots
        slots = [Slot](repeating: Slot(), count: old.count * 2)
        let mask = slots.count - 1
        for s in old where s.key != 0 {
            var i = KeyCache.slot(s.key, mask)
            while slots[i].key != 0 { i = (i + 1) & mask }
            slots[i] = s
        }
    }
}
