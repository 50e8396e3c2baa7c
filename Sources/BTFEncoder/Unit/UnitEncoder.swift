import BTF
import DWARF

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
        let types = [DIETag.baseType, DIETag.pointerType, DIETag.referenceType, DIETag.rvalueReferenceType, DIETag.ptrToMemberType,
                     DIETag.constType, DIETag.volatileType, DIETag.restrictType, DIETag.typedef, DIETag.structureType, DIETag.classType,
                     DIETag.unionType, DIETag.enumerationType, DIETag.arrayType, DIETag.subroutineType, DIETag.atomicType,
                     DIETag.unspecifiedType, DIETag.immutableType, DIETag.sharedType]
        let children = [DIETag.member, DIETag.inheritance, DIETag.enumerator, DIETag.formalParameter, DIETag.llvmAnnotation,
                        DIETag.gnuAnnotation, DIETag.variantPart, DIETag.variant,      // variant_part, variant: Rust enums
                        DIETag.subrangeType]                                             // array dimensions
        for t in types + children {
            f.want(DWARFTag(t))
        }
        f.want(DWARFTag(DIETag.subprogram), upToDepth: 1)          // functions at unit level
        f.want(DWARFTag(DIETag.variable), upToDepth: 1)          // variables at unit level
        f.want(DWARFTag(DIETag.namespace), upToDepth: 1)          // a namespace here means Rust (or C++) DIEs
        // Subtrees in function bodies that hold no types (inlined calls, call sites) and, in C,
        // function declarations inside bodies: stepped over whole, not DIE by DIE. Lexical
        // blocks are walked: they may define types.
        for t in UnitEncoder.subtreesWithoutTypes { f.skipSubtree(of: DWARFTag(t)) }
        return f
    }()

    /// Tags whose subtrees define no types: skipped whole where the filter does not want them
    /// (for `subprogram`: below unit level in C; Rust wants them at every depth).
    static let subtreesWithoutTypes = [DIETag.inlinedSubroutine, DIETag.callSite, DIETag.gnuCallSite, DIETag.subprogram]

    /// Rust puts functions and statics inside namespaces.
    static let rustFilter: TagFilter = {
        var f = filter
        f.want(DWARFTag(DIETag.subprogram))
        f.want(DWARFTag(DIETag.variable))
        f.want(DWARFTag(DIETag.namespace))                        // namespaces: their names qualify types
        return f
    }()
    /// Entry encoding: 0 = not a type; `id` (< 1<<31) = local type ID; `1<<31 | k` = alias k.
    static let aliasFlag: UInt32 = 0x8000_0000

    /// Records appended out of ID order (aggregates close after nested types) are sorted at the end.
    var recordIDs: [UInt32] = []
    var words: [UInt32] = []
    var starts = RecordStarts()
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
        // Room for the unit's records up front, so the arrays do not grow by doubling (and copying)
        // a dozen times per unit: C units give about one record word per 6.5 bytes of DIEs and one
        // record per 48 (Linux 6.12); a little more is reserved.
        let dieBytes = unit.end - unit.firstDIE
        words.reserveCapacity(dieBytes / 6)
        starts.reserveCapacity(dieBytes / 44)
        recordIDs.reserveCapacity(dieBytes / 44)
    }

    var externalTypes: [Int: UInt32] = [:]
    /// Unit-relative DIE offset of an enumeration's underlying type → whether it is signed.
    var signedTypes: [UInt32: Bool] = [:]
    /// DECL_TAGs waiting for their target's ID.
    var pendingDeclTags: [(value: UInt32, target: UInt32, component: Int32)] = []
    /// Names of the enclosing DIEs that are namespaces ("" for others), for `qualify`.
    var namespaces: [String] = []
    /// A cursor kept for following references (`lookupCursor`).
    var spareCursor: DIECursor?

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
        begin(id, name: name, kind: kind, vlen: vlen, kindFlag: kindFlag, sizeOrType: sizeOrType)
        words.append(contentsOf: tail)
    }

    /// An ARRAY record (btf-spec §1.6: element type, index type, count), its tail written
    /// directly: an array literal for it was a heap allocation per array type.
    mutating func arrayRecord(_ id: UInt32, element: UInt32, index: UInt32, count: UInt32) {
        begin(id, name: 0, kind: .array, vlen: 0, kindFlag: false, sizeOrType: 0)
        words.append(element)
        words.append(index)
        words.append(count)
    }

    /// A synthetic record (no DIE), referenced as `id | localFlag`.
    mutating func synthetic(name: UInt32, kind: BTFKind, vlen: Int = 0, kindFlag: Bool = false, sizeOrType: UInt32, tail: [UInt32] = []) -> UInt32 {
        let id = syntheticID()
        record(id, name: name, kind: kind, vlen: vlen, kindFlag: kindFlag, sizeOrType: sizeOrType, tail: tail)
        return id | UnitEncoder.localFlag
    }

    /// The unit-local ID of the next record without a DIE (referenced as `id | localFlag`).
    mutating func syntheticID() -> UInt32 {
        nextLocal += 1
        return nextLocal
    }

    // MARK: the walk

    /// Open aggregates, enums, prototypes and functions whose children are being collected.
    struct Open {
        enum Kind { case aggregate, enumeration, prototype, function, pointer, array, variantPart, variant, skip }
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
        cursor.attributeFilter = UnitEncoder.attributesRead
        var open: [Open] = []
        // How many of the current DIE's ancestors, from depth 1 down, are namespaces: a Rust
        // function or static is at top level when all of them are.
        var namespaceRun = 0
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
            namespaceRun = min(namespaceRun, max(die.depth - 1, 0))
            if namespaces.count > die.depth { namespaces.removeSubrange(die.depth...) }
            defer {
                if die.hasChildren {
                    if tag == DIETag.namespace && die.depth >= 1 && namespaceRun == die.depth - 1 { namespaceRun = die.depth }
                    // Namespace path for qualified Rust names ("" for non-namespaces keeps depths aligned).
                    if qualify { namespaces.append(tag == DIETag.namespace ? (a.name.flatMap { strings.bytes($0) }.map { String(decoding: $0, as: UTF8.self) } ?? "") : "") }
                }
            }
            if tag == DIETag.namespace && !isRust {
                // Per-DIE language: namespaces in a unit not labelled Rust.
                isRust = true
                cursor.filter = UnitEncoder.rustFilter
                while namespaces.count < die.depth { namespaces.append("") }
                out.report.note("namespaces in a unit not labelled Rust: Rust rules from there on", "DIE \(die.offset)")
            }
            // Functions and variables at unit level, or (Rust) inside namespaces only.
            let topLevel = die.depth == 1 || (isRust && die.depth > 1 && namespaceRun == die.depth - 1)
            let parentKind: Open.Kind? = open.isEmpty ? nil : open[open.count - 1].kind
            let isChild = !open.isEmpty && open[open.count - 1].depth == die.depth - 1
            cursor.withAttributes { UnitEncoder.gather($0, into: &a, unitOffset: unitOffset, unitEnd: unitEnd) }
            if a.typeOutside { a.type = externalType(a.typeAbsolute == 0 ? nil : Int(a.typeAbsolute), from: die) }
            switch tag {
            case DIETag.member where parentKind == .aggregate && isChild,      // member
                 DIETag.inheritance where parentKind == .aggregate && isChild:      // inheritance
                member(&a, into: &open[open.count - 1], die: die, info: info)
            case DIETag.enumerator where parentKind == .enumeration:                                          // enumerator
                enumerator(&a, into: &open[open.count - 1])
            case DIETag.formalParameter where (parentKind == .prototype || parentKind == .function) && isChild && open[open.count - 1].prefilled == nil:
                parameter(&a, into: &open[open.count - 1])
            case DIETag.unspecifiedParameters where (parentKind == .prototype || parentKind == .function) && isChild && open[open.count - 1].prefilled == nil:
                open[open.count - 1].varargs = true
            case DIETag.formalParameter where parentKind == .function && isChild && registers != nil:
                // An out-of-line instance: its prototype is the origin's, its locations its own.
                let box = open[open.count - 1].box()
                checkRegister(&a, index: box.concreteParameters, of: &open[open.count - 1])
                box.concreteParameters += 1
            // Rust enums with data (DWARF 5 §5.7.10): variant_part → discriminant + variants.
            case DIETag.variantPart where parentKind == .aggregate && isChild:
                var vp = Open(kind: .variantPart, depth: die.depth, id: 0, name: 0, size: open[open.count - 1].size)
                vp.dieOffset = die.offset.rawValue
                open.append(vp)
                worker.memberStarts.append(worker.memberWords.count)
            case DIETag.member where parentKind == .variantPart && isChild:      // the discriminant
                open[open.count - 1].discriminant = (a.type, UnitEncoder.memberBitOffset(&a, info: info))
            case DIETag.variant where parentKind == .variantPart && isChild:
                var v = Open(kind: .variant, depth: die.depth, id: 0, name: 0, size: 0)
                v.discrValue = a.constValue
                open.append(v)
                worker.memberStarts.append(worker.memberWords.count)
            case DIETag.member where parentKind == .variant && isChild:          // the variant's fields
                let discr = open[open.count - 1].discrValue
                let value: String
                switch discr {
                case .sdata(let v)?: value = "discr=\(v)"
                case .none: value = "discr=default"
                case let d?: value = "discr=\(d.unsignedValue ?? 0)"
                }
                let partIndex = open.count - 2
                member(&a, into: &open[partIndex], die: die, info: info)
                open[partIndex].variantTags.append((worker.strings.intern(value).rawValue, Int32(open[partIndex].vlen - 1)))
            case DIETag.llvmAnnotation, DIETag.gnuAnnotation:                                                                  // annotations
                annotation(&a, die: die, open: &open)
            case DIETag.subrangeType where parentKind == .array && isChild:                                   // an array's dimension
                UnitEncoder.addDimension(&a, to: &open[open.count - 1])
            default:
                if tag == DIETag.enumerationType && parentKind == .array && isChild {
                    UnitEncoder.addDimension(&a, to: &open[open.count - 1])       // an enumeration index (also a type)
                }
                if let o = try typeDIE(die, &a) {
                    open.append(o)
                    worker.memberStarts.append(worker.memberWords.count)
                } else if tag == DIETag.subprogram && topLevel, let o = function(die, &a) {
                    open.append(o)
                    worker.memberStarts.append(worker.memberWords.count)
                    if let p = o.prefilled { worker.memberWords.append(contentsOf: p) }
                }
                else if tag == DIETag.variable && topLevel { variable(die, a) }
            }
        }
        while let top = open.popLast() { try close(top, parents: &open) }
        finish()
        return out
    }

}
