/// One attribute specification of an abbreviation (DWARF 5 §7.5.3).
public struct AttributeSpec: Sendable, Hashable {
    public var attribute: DWARFAttribute
    public var form: DWARFForm
    /// The value of DW_FORM_implicit_const.
    public var implicitConst: Int64
    /// The form as a dense code for the decoder's jump table (see `FormCode`).
    var code: UInt8
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
    public private(set) var dense: [Abbreviation] = []
    public private(set) var sparse: [UInt64: Abbreviation] = [:]
    /// Every declaration's specs back to back, for the DIE walk's hot loop: code → (tag, children,
    /// range in `flatSpecs`), without copying arrays per DIE.
    var flatSpecs: [AttributeSpec] = []
    var flatDense: [(tag: DWARFTag, hasChildren: Bool, start: Int, end: Int)] = []
    var flatSparse: [UInt64: (tag: DWARFTag, hasChildren: Bool, start: Int, end: Int)] = [:]

    @inline(__always)
    func flatLookup(_ code: UInt64) -> (tag: DWARFTag, hasChildren: Bool, start: Int, end: Int)? {
        if code >= 1 && code <= UInt64(flatDense.count) { return flatDense[Int(code - 1)] }
        return flatSparse[code]
    }

    @inline(__always)
    public func lookup(_ code: UInt64) -> Abbreviation? {
        if code >= 1 && code <= UInt64(dense.count) { return dense[Int(code - 1)] }
        return sparse[code]
    }

    /// Parses the table starting at `offset` of .debug_abbrev.
    public init(_ bytes: SectionData, at offset: Int, little: Bool) throws(DWARFError) {
        self = try withReader(bytes, .abbrev, little: little, at: offset) { (r) throws(DWARFError) in
            try AbbreviationTable(reading: &r)
        }
    }

    private init(reading r: inout DWARFReader) throws(DWARFError) {
        var seen = Set<UInt64>()
        while true {
            let declOffset = r.pos
            let code = try r.uleb()
            if code == 0 { break }
            guard seen.insert(code).inserted else {
                throw .malformedAbbreviation(offset: declOffset, reason: "duplicate abbreviation code \(code)")
            }
            let tag = try r.uleb()
            let children = try r.u8()
            guard children <= 1 else {
                throw .malformedAbbreviation(offset: declOffset, reason: "children flag \(children) is neither 0 nor 1")
            }
            var specs: [AttributeSpec] = []
            while true {
                let name = try r.uleb()
                let form = try r.uleb()
                var implicit: Int64 = 0
                if form == 0x21 { implicit = try r.sleb() }
                if name == 0 && form == 0 { break }
                guard specs.count < 4096 else {
                    throw .malformedAbbreviation(offset: declOffset, reason: "more than 4096 attributes")
                }
                specs.append(AttributeSpec(attribute: DWARFAttribute(name), form: DWARFForm(form), implicitConst: implicit,
                                           code: FormCode.of(form)))
            }
            let abbrev = Abbreviation(code: code, tag: DWARFTag(tag), hasChildren: children == 1, specs: specs, offset: declOffset)
            let flat = (tag: abbrev.tag, hasChildren: abbrev.hasChildren, start: flatSpecs.count, end: flatSpecs.count + specs.count)
            flatSpecs.append(contentsOf: specs)
            if code == UInt64(dense.count) + 1 && sparse.isEmpty {
                dense.append(abbrev)
                flatDense.append(flat)
            } else {
                sparse[code] = abbrev
                flatSparse[code] = flat
            }
        }
    }
}
