/// Which attributes a `DIECursor` decodes (DWARF 5 §7.5.3): the values of every other attribute
/// are stepped over, so a walk that reads a few attributes of each DIE does not decode and store
/// the rest (declaration coordinates, frame bases, call-site flags...).
public struct AttributeFilter: Sendable {
    /// One bit per attribute below DW_AT_hi_user's end (0x4000): the standard and user ranges.
    private var bits = [UInt64](repeating: 0, count: 0x4000 / 64)
    /// Attributes past that (not valid DWARF, but a filter may name them).
    private var others: Set<UInt64> = []

    public init() {}

    public init(_ attributes: [DWARFAttribute]) {
        for a in attributes { want(a) }
    }

    public mutating func want(_ attribute: DWARFAttribute) {
        let raw = attribute.rawValue
        if raw < 0x4000 { bits[Int(raw >> 6)] |= 1 << (raw & 63) } else { others.insert(raw) }
    }

    public func wants(_ attribute: DWARFAttribute) -> Bool {
        let raw = attribute.rawValue
        return raw < 0x4000 ? bits[Int(raw >> 6)] & (1 << (raw & 63)) != 0 : others.contains(raw)
    }
}

/// Where the wanted values of a declaration sit, for the declarations of one unit's abbreviation
/// table whose values all have fixed sizes in that unit (most of real DWARF: 94% of the DIEs a
/// BTF encoder reads in a kernel): the cursor steps over such a DIE's values at once and decodes
/// only the wanted ones, each at its known offset. The values of other declarations (LEB128,
/// inline strings, blocks) are read in turn, decoded where `wanted`, else stepped over.
struct FixedValuePicks: Sendable {
    struct Pick: Sendable {
        /// A copy of the spec (not its index: that cost a dependent load per value).
        var spec: AttributeSpec
        /// Byte offset of the value from the DIE's first value.
        var offset: Int
    }

    var picks: [Pick] = []
    /// The picks of the declaration whose specs start at `flatSpecs[k]` are
    /// `firstPick[start]..<firstPick[end]`; empty: no filter.
    var firstPick: [Int32] = []
    /// Per spec of the table: is its attribute wanted.
    var wanted: [Bool] = []

    init() {}

    init(table: AbbreviationTable, filter: AttributeFilter, form: FormContext) {
        firstPick = Array(repeating: 0, count: table.flatSpecs.count + 1)
        wanted = table.flatSpecs.map { filter.wants($0.attribute) }
        var entries = table.flatDense
        entries.append(contentsOf: table.flatSparse.values)
        entries.sort { ($0.start, $0.end) < ($1.start, $1.end) }      // a declaration without attributes first
        for e in entries {
            firstPick[e.start] = Int32(picks.count)
            if e.shape.size(form) != nil {
                var offset = 0
                for k in e.start..<e.end {
                    let spec = table.flatSpecs[k]
                    if wanted[k] { picks.append(Pick(spec: spec, offset: offset)) }
                    offset += spec.code.byteCount(in: form) ?? 0       // never nil: the shape has a size
                }
            }
            firstPick[e.end] = Int32(picks.count)
        }
    }
}
