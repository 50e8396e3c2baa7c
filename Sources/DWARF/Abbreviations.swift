/// One attribute specification of an abbreviation (DWARF 5 §7.5.3).
public struct AttributeSpec: Sendable, Hashable {
    public var attribute: DWARFAttribute
    public var form: DWARFForm
    /// The value of DW_FORM_implicit_const.
    public var implicitConst: Int64
    /// The form as a dense code for the decoder's jump table (see `FormCode`).
    var code: FormCode
}

/// One abbreviation declaration.
public struct Abbreviation: Sendable, Hashable {
    public var code: UInt64
    public var tag: DWARFTag
    public var hasChildren: Bool
    public var specs: [AttributeSpec]
    /// Offset of the declaration in .debug_abbrev.
    public var offset: Int
}

/// The abbreviation table of one or more units (DWARF 5 §7.5.3), with an array fast path for the
/// usual dense codes 1...n.
public struct AbbreviationTable: Sendable {
    /// One declaration without its own array: its specs are `flatSpecs[start..<end]`.
    struct Entry: Sendable {
        var tag: DWARFTag
        var start: Int
        var end: Int
        var offset: Int
        /// How the attribute values of such a DIE can be stepped over at once: their size is
        /// `constantBytes` plus the offset size per `offsetSized` form plus the address size per
        /// `addressSized` form, unless `hasVariableSize` (LEB128, strings, blocks, indirect...).
        var shape = ValueShape()
        /// Last, in the shape's tail padding: a Bool after the tag left padding bytes in the
        /// middle, whose copy through the stack on every DIE stalled store forwarding.
        var hasChildren: Bool
    }

    /// What `Entry.shape` sums up over a declaration's forms.
    struct ValueShape: Sendable {
        var constantBytes: Int32 = 0
        var offsetSized: Int32 = 0
        var addressSized: Int32 = 0
        var hasVariableSize = false

        mutating func add(_ form: FormCode) {
            switch form.valueSize {
            case .bytes(let n): constantBytes += Int32(n)
            case .offset: offsetSized += 1
            case .address: addressSized += 1
            case .variable: hasVariableSize = true
            }
        }

        /// The bytes the values take in a unit with these sizes; nil when they vary per DIE.
        @inline(__always)
        func size(_ form: FormContext) -> Int? {
            hasVariableSize ? nil : Int(constantBytes) + Int(offsetSized) * (form.is64 ? 8 : 4) + Int(addressSized) * form.addressSize
        }
    }

    /// Every declaration's specs back to back, so the DIE walk's hot loop reads code → (tag,
    /// children, range) without an array per declaration.
    var flatSpecs: [AttributeSpec] = []
    /// Codes 1...n in order (the usual case), then any others by code.
    var flatDense: [Entry] = []
    var flatSparse: [UInt64: Entry] = [:]
    /// The most attributes any declaration has.
    public private(set) var maxAttributeCount = 0

    /// How many declarations the table holds.
    public var count: Int { flatDense.count + flatSparse.count }

    @inline(__always)
    func flatLookup(_ code: UInt64) -> Entry? {
        if code >= 1 && code <= UInt64(flatDense.count) { return flatDense[Int(code - 1)] }
        return flatSparse[code]
    }

    /// The declaration with this code, if any.
    public func lookup(_ code: UInt64) -> Abbreviation? {
        guard let e = flatLookup(code) else { return nil }
        return Abbreviation(code: code, tag: e.tag, hasChildren: e.hasChildren, specs: Array(flatSpecs[e.start..<e.end]), offset: e.offset)
    }

    /// Parses the table starting at `offset` of .debug_abbrev.
    public init(_ bytes: SectionData, at offset: Int, little: Bool) throws(DWARFError) {
        self = try withReader(bytes, .abbrev, little: little, at: offset) { (r) throws(DWARFError) in
            try AbbreviationTable(reading: &r)
        }
    }

    private init(reading r: inout DWARFReader) throws(DWARFError) {
        while true {
            let declOffset = r.pos
            let code = try r.uleb()
            if code == 0 { break }
            // Dense codes are new by construction; any other code must not repeat one seen before.
            let isDense = code == UInt64(flatDense.count) + 1 && flatSparse.isEmpty
            guard isDense || (flatSparse[code] == nil && !(code >= 1 && code <= UInt64(flatDense.count))) else {
                throw .malformedAbbreviation(offset: declOffset, reason: "duplicate abbreviation code \(code)")
            }
            let tag = try r.uleb()
            let children = try r.u8()
            guard children <= 1 else {
                throw .malformedAbbreviation(offset: declOffset, reason: "children flag \(children) is neither 0 nor 1")
            }
            let start = flatSpecs.count
            while true {
                let name = try r.uleb()
                let form = try r.uleb()
                var implicit: Int64 = 0
                let code = FormCode.of(form)
                if code == .implicitConst { implicit = try r.sleb() }
                if name == 0 && form == 0 { break }
                guard flatSpecs.count - start < 4096 else {
                    throw .malformedAbbreviation(offset: declOffset, reason: "more than 4096 attributes")
                }
                flatSpecs.append(AttributeSpec(attribute: DWARFAttribute(name), form: DWARFForm(form), implicitConst: implicit,
                                               code: code))
            }
            var entry = Entry(tag: DWARFTag(tag), start: start, end: flatSpecs.count, offset: declOffset, hasChildren: children == 1)
            for k in start..<flatSpecs.count { entry.shape.add(flatSpecs[k].code) }
            maxAttributeCount = max(maxAttributeCount, entry.end - entry.start)
            if isDense { flatDense.append(entry) } else { flatSparse[code] = entry }
        }
    }
}
