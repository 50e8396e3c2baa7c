/// A debugging information entry as found by a `DIECursor`: where it is, its tag and how to
/// read its attributes again.
public struct DIE: Sendable, Hashable {
    /// Section offset of the DIE.
    public var offset: DIEOffset
    /// Nesting depth: 0 for the unit DIE.
    public var depth: Int
    public var tag: DWARFTag
    public var hasChildren: Bool
    public var abbreviationCode: UInt64
    /// Section offset of the DIE's parent (nil for the unit DIE).
    public var parent: DIEOffset?

    public init(offset: DIEOffset, depth: Int, tag: DWARFTag, hasChildren: Bool, abbreviationCode: UInt64, parent: DIEOffset?) {
        self.offset = offset
        self.depth = depth
        self.tag = tag
        self.hasChildren = hasChildren
        self.abbreviationCode = abbreviationCode
        self.parent = parent
    }
}

/// What `DIECursor.step()` returns: four values, so they come back in registers. `depth` is -1
/// at the end of the unit (`isEnd`).
public struct DIEStep: Sendable {
    public var offset: Int
    public var depth: Int
    public var tag: DWARFTag
    public var hasChildren: Bool
    @inlinable public var isEnd: Bool { depth < 0 }
}

/// Walks the DIEs of one unit in order (DWARF 5 §2.3, §7.5.2), decoding every attribute into a
/// reused buffer. After the first error the cursor is exhausted.
public struct DIECursor {
    public let unit: UnitHeader
    let form: FormContext
    let table: AbbreviationTable
    let bytes: SectionData
    let little: Bool
    var pos: Int
    var depth = 0
    var parents: [DIEOffset] = []
    var done = false
    /// Slots for the attributes of the DIE last returned (the first `attributeCount` are valid);
    /// overwritten in place by `next()`, so a caller holding `attributes` keeps its own copy.
    @usableFromInline var slots: [Attribute]
    @usableFromInline var attributeCount = 0

    /// When set, DIEs whose tag (at their depth) the filter does not want are returned without
    /// attributes: their values are stepped over, not decoded or stored.
    public var filter: TagFilter? {
        get { filterDepths.isEmpty ? nil : TagFilter(maxDepth: filterDepths, subtreeSkips: filterSubtreeSkips) }
        set {
            filterDepths = newValue?.maxDepth ?? []
            filterSubtreeSkips = newValue?.subtreeSkips ?? []
        }
    }
    private var filterDepths: [UInt8] = []
    private var filterSubtreeSkips: [UInt64] = []

    /// When set, only these attributes of the DIEs returned are decoded, and `attributes`,
    /// `withAttributes` and `attribute(_:)` show only them (the values of the others are stepped
    /// over; where all of a DIE's values have fixed sizes, at once). Without DW_AT_sibling,
    /// `skipChildren` walks the children.
    public var attributeFilter: AttributeFilter? {
        didSet { picks = attributeFilter.map { FixedValuePicks(table: table, filter: $0, form: form) } ?? FixedValuePicks() }
    }
    /// Empty without a filter. Not optional: binding an optional copy retained its arrays per DIE.
    private var picks = FixedValuePicks()

    /// Calls `body` with the attributes of the DIE last returned, in place (no copy, no
    /// reference counting); the buffer is only valid inside `body`.
    @inlinable
    public func withAttributes<R>(_ body: (UnsafeBufferPointer<Attribute>) throws -> R) rethrows -> R {
        try slots.withUnsafeBufferPointer { all in
            try body(UnsafeBufferPointer(rebasing: all[0..<min(attributeCount, all.count)]))
        }
    }

    /// The attributes of the DIE last returned by `next()`.
    public var attributes: AttributeList { AttributeList(slots: slots, count: attributeCount) }

    init(unit: UnitHeader, bytes: SectionData, table: AbbreviationTable, little: Bool) {
        self.unit = unit
        self.form = FormContext(unit)
        self.table = table
        self.bytes = bytes
        self.little = little
        self.pos = unit.firstDIE
        self.slots = Array(repeating: Attribute(name: .sibling, form: DWARFForm(0), value: .flag(false), offset: 0),
                           count: table.maxAttributeCount)
    }

    /// Moves the cursor to the DIE at `offset` of its unit, as `DWARFFile.cursor(for:at:)` would
    /// start (depths and parents relative to it, no tag or attribute filter), keeping its
    /// buffers: following many references costs no new cursor each.
    public mutating func restart(at offset: DIEOffset) throws(DWARFError) {
        guard offset.rawValue >= unit.firstDIE && offset.rawValue < unit.end else {
            done = true
            throw .referenceOutOfRange(section: unit.section, offset: offset.rawValue, unit: unit.offset)
        }
        pos = offset.rawValue
        depth = 0
        parents.removeAll(keepingCapacity: true)
        done = false
        attributeCount = 0
        filterDepths = []
        filterSubtreeSkips = []
        attributeFilter = nil
    }

    /// The attribute of the DIE last returned with this name, if it has one.
    public func attribute(_ name: DWARFAttribute) -> Attribute? {
        for i in 0..<attributeCount where slots[i].name == name { return slots[i] }
        return nil
    }

    /// The parent chain (section offsets, outermost first) of the DIE last returned.
    public var parentPath: [DIEOffset] { parents }

    /// Moves to the next DIE, as `next()` (its attributes are read the same way), and returns
    /// what a DIE walk needs of it in registers: for hot loops, where returning a whole `DIE`
    /// through memory costs a store-forwarding stall per DIE. At the end of the unit, and after
    /// the first error (which it throws as `next()` does), a step whose `isEnd` is true.
    public mutating func step() throws(DWARFError) -> DIEStep {
        let end = DIEStep(offset: 0, depth: -1, tag: DWARFTag(0), hasChildren: false)
        guard !done else { return end }
        var reader = DWARFReader(bytes.buffer, unit.section, little: little, at: pos, end: unit.end)
        defer { pos = reader.pos }
        guard let d = try next(&reader) else { return end }
        return DIEStep(offset: d.offset.rawValue, depth: d.depth, tag: d.tag, hasChildren: d.hasChildren)
    }

    /// The next DIE, or nil at the end of the unit. Null entries (end of a sibling list) are
    /// consumed silently.
    public mutating func next() throws(DWARFError) -> DIE? {
        guard !done else { return nil }
        // `bytes` (a stored property) keeps the memory alive for the whole call.
        var reader = DWARFReader(bytes.buffer, unit.section, little: little, at: pos, end: unit.end)
        defer { pos = reader.pos }
        return try next(&reader)
    }

    @inline(__always)
    private mutating func next(_ reader: inout DWARFReader) throws(DWARFError) -> DIE? {
        do throws(DWARFError) {
            while reader.pos < reader.end {
                let offset = reader.pos
                let code = try reader.uleb()
                if code == 0 {
                    attributeCount = 0
                    if depth > 0 { depth -= 1; parents.removeLast() }
                    continue
                }
                guard let abbrev = table.flatLookup(code) else {
                    throw DWARFError.unknownAbbreviation(section: unit.section, offset: offset, code: code)
                }
                attributeCount = 0
                let form = self.form
                if !filterDepths.isEmpty, !TagFilter.wants(filterDepths, abbrev.tag, depth: depth) {
                    if let size = abbrev.shape.size(form) { try reader.skip(size) }
                    else { for k in abbrev.start..<abbrev.end { try DIECursor.skip(table.flatSpecs[k], &reader, form) } }
                    var hasChildren = abbrev.hasChildren
                    if hasChildren && TagFilter.skipsSubtree(filterSubtreeSkips, abbrev.tag) {
                        try DIECursor.skipSubtree(&reader, table: table, form: form, section: unit.section)
                        hasChildren = false
                    }
                    let die = DIE(offset: DIEOffset(offset), depth: depth, tag: abbrev.tag, hasChildren: hasChildren,
                                  abbreviationCode: code, parent: parents.last)
                    if hasChildren { depth += 1; parents.append(DIEOffset(offset)) }
                    return die
                }
                if !picks.firstPick.isEmpty, let size = abbrev.shape.size(form) {
                    // Fixed-size values with a filter: decode the wanted ones where they are.
                    let first = reader.pos
                    try reader.skip(size)
                    let after = reader.pos
                    attributeCount = try slots.withUnsafeMutableBufferPointer { (out) throws(DWARFError) in
                        var n = 0
                        for p in Int(picks.firstPick[abbrev.start])..<Int(picks.firstPick[abbrev.end]) {
                            let pick = picks.picks[p]
                            let at = first + pick.offset
                            reader.pos = at
                            out[n] = Attribute(name: pick.spec.attribute, form: pick.spec.form, value: try DIECursor.decode(pick.spec, &reader, form), offset: at)
                            n += 1
                        }
                        return n
                    }
                    reader.pos = after
                } else if !picks.firstPick.isEmpty {
                    // Values of varying size with a filter: read in turn (decoding the common forms
                    // inline costs no more than stepping over them), the wanted ones kept.
                    attributeCount = try slots.withUnsafeMutableBufferPointer { (out) throws(DWARFError) in
                        var n = 0
                        for k in abbrev.start..<abbrev.end {
                            let spec = table.flatSpecs[k]
                            let at = reader.pos
                            let value = try DIECursor.decode(spec, &reader, form)
                            if picks.wanted[k] {
                                out[n] = Attribute(name: spec.attribute, form: spec.form, value: value, offset: at)
                                n += 1
                            }
                        }
                        return n
                    }
                } else {
                    // No filter: every value kept. (A loop of its own: merged into the one above with a
                    // keep-all flag, the pick loop was no longer inlined into step(), +0.9% instructions
                    // on kvm.ko.)
                    try slots.withUnsafeMutableBufferPointer { (out) throws(DWARFError) in
                        var n = 0
                        for k in abbrev.start..<abbrev.end {
                            let spec = table.flatSpecs[k]
                            let at = reader.pos
                            out[n] = Attribute(name: spec.attribute, form: spec.form, value: try DIECursor.decode(spec, &reader, form), offset: at)
                            n += 1
                        }
                    }
                    attributeCount = abbrev.end - abbrev.start
                }
                let die = DIE(offset: DIEOffset(offset), depth: depth, tag: abbrev.tag, hasChildren: abbrev.hasChildren,
                              abbreviationCode: code, parent: parents.last)
                if abbrev.hasChildren {
                    depth += 1
                    parents.append(DIEOffset(offset))
                }
                return die
            }
            done = true
            return nil
        } catch {
            done = true
            throw error
        }
    }

    /// Steps over the children of the DIE just read (their values stepped over, not decoded),
    /// through the null entry that ends them: a filter's `skipSubtree`. As the walk itself, it
    /// stops at the unit's end when null entries are missing there; a value cut short is
    /// `.truncated` as in any other read.
    /// (Static: as a method, calling it from `next` copied the whole cursor.)
    private static func skipSubtree(_ reader: inout DWARFReader, table: AbbreviationTable, form: FormContext,
                                    section: DWARFSectionID) throws(DWARFError) {
        var open = 1
        while open > 0 && reader.pos < reader.end {
            let offset = reader.pos
            let code = try reader.uleb()
            if code == 0 { open -= 1; continue }
            guard let abbrev = table.flatLookup(code) else {
                throw DWARFError.unknownAbbreviation(section: section, offset: offset, code: code)
            }
            if let size = abbrev.shape.size(form) { try reader.skip(size) }
            else { for k in abbrev.start..<abbrev.end { try DIECursor.skip(table.flatSpecs[k], &reader, form) } }
            if abbrev.hasChildren { open += 1 }
        }
    }

    /// Decodes one attribute value: the forms that make up most of real DWARF here, inline; the
    /// rest through the full decoder.
    @inline(__always)
    static func decode(_ spec: AttributeSpec, _ reader: inout DWARFReader, _ form: FormContext) throws(DWARFError) -> AttributeValue {
        switch spec.code {
        case .data1: return .data(UInt64(try reader.u8()), size: 1)
        case .data2: return .data(try reader.fixed(2), size: 2)
        case .ref4: return .unitReference(try reader.fixed(4))
        case .strp: return .stringOffset(try reader.offset(form.is64), section: .str)
        case .secOffset: return .sectionOffset(try reader.offset(form.is64))
        case .flagPresent: return .flag(true)
        case .implicitConst: return .implicitConst(spec.implicitConst)
        default: return try reader.value(spec.code, rawForm: spec.form.rawValue, implicitConst: spec.implicitConst, unit: form)
        }
    }

    /// Steps over one attribute value without decoding it.
    @inline(__always)
    static func skip(_ spec: AttributeSpec, _ reader: inout DWARFReader, _ form: FormContext) throws(DWARFError) {
        if let n = spec.code.byteCount(in: form) { try reader.skip(n); return }
        switch spec.code {
        case .udata, .refUdata, .sdata, .strx, .addrx, .loclistx, .rnglistx: _ = try reader.uleb()
        default: _ = try reader.value(spec.code, rawForm: spec.form.rawValue, implicitConst: spec.implicitConst, unit: form)
        }
    }

    /// Skips the children of the DIE last returned, using DW_AT_sibling when present among its
    /// decoded attributes (checked to point forward inside the unit), else stepping over their
    /// bytes without decoding them.
    public mutating func skipChildren(of die: DIE) throws(DWARFError) {
        guard die.hasChildren else { return }
        if let sib = attribute(.sibling) {
            var target: UInt64?
            switch sib.value {
            case .unitReference(let r): target = UInt64(unit.offset) &+ r
            case .sectionReference(let r): target = r
            default: target = nil
            }
            if let t = target {
                guard t > UInt64(die.offset.rawValue), t <= UInt64(unit.end) else {
                    done = true
                    throw .badSibling(section: unit.section, offset: sib.offset, target: t)
                }
                pos = Int(t)
                depth -= 1
                parents.removeLast()
                return
            }
        }
        guard !done, depth == die.depth + 1 else {
            let target = die.depth
            while depth > target, try next() != nil {}
            return
        }
        var reader = DWARFReader(bytes.buffer, unit.section, little: little, at: pos, end: unit.end)
        defer { pos = reader.pos }
        do {
            try DIECursor.skipSubtree(&reader, table: table, form: form, section: unit.section)
        } catch {
            done = true
            throw error
        }
        attributeCount = 0
        depth -= 1
        if !parents.isEmpty { parents.removeLast() }
    }
}

/// The attributes of one DIE, in abbreviation order: a value (copy-on-write) view of the cursor's
/// slots.
public struct AttributeList: RandomAccessCollection, Sendable {
    @usableFromInline let slots: [Attribute]
    public let count: Int
    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { count }
    @inlinable public subscript(position: Int) -> Attribute {
        precondition(position >= 0 && position < count, "attribute index out of range")
        return slots[position]
    }
    @inlinable
    public func withContiguousStorageIfAvailable<R>(_ body: (UnsafeBufferPointer<Attribute>) throws -> R) rethrows -> R? {
        try slots.withUnsafeBufferPointer { all in try body(UnsafeBufferPointer(rebasing: all[0..<Swift.min(count, all.count)])) }
    }

    /// The attribute with this name, if the DIE has one.
    @inlinable public func first(named name: DWARFAttribute) -> Attribute? {
        for i in 0..<count where slots[i].name == name { return slots[i] }
        return nil
    }
}

/// Which DIEs a `DIECursor` decodes: per tag, the deepest depth at which it is wanted (tags
/// above 0xffff are always wanted). Everything else is stepped over; and where a tag marked with
/// `skipSubtree` is not wanted, its children too, without being returned.
public struct TagFilter: Sendable {
    fileprivate(set) var maxDepth: [UInt8] = Array(repeating: 0, count: 0x10000)
    /// One bit per tag below 0x10000: set by `skipSubtree`.
    fileprivate(set) var subtreeSkips: [UInt64] = Array(repeating: 0, count: 0x10000 / 64)

    public init() {}
    fileprivate init(maxDepth: [UInt8], subtreeSkips: [UInt64]) {
        self.maxDepth = maxDepth
        self.subtreeSkips = subtreeSkips
    }

    @inline(__always)
    static func wants(_ maxDepth: [UInt8], _ tag: DWARFTag, depth: Int) -> Bool {
        guard tag.rawValue < 0x10000 else { return true }
        let m = maxDepth[Int(tag.rawValue)]
        return m == 255 || depth < Int(m)
    }

    @inline(__always)
    static func skipsSubtree(_ skips: [UInt64], _ tag: DWARFTag) -> Bool {
        let raw = tag.rawValue
        return raw < 0x10000 && skips[Int(raw >> 6)] & (1 << (raw & 63)) != 0
    }

    /// Wants `tag` at depths 0...`depth` (255: any depth).
    public mutating func want(_ tag: DWARFTag, upToDepth depth: Int = 255) {
        guard tag.rawValue < 0x10000 else { return }
        maxDepth[Int(tag.rawValue)] = UInt8(clamping: depth + 1)
    }

    /// Where a DIE with this tag is not wanted, the cursor also steps over all of its children
    /// (DWARF 5 §2.3: its subtree) and returns the DIE as if it had none: for subtrees a walk
    /// never looks into, such as inlined calls and call sites in function bodies.
    public mutating func skipSubtree(of tag: DWARFTag) {
        let raw = tag.rawValue
        guard raw < 0x10000 else { return }
        subtreeSkips[Int(raw >> 6)] |= 1 << (raw & 63)
    }

    @inline(__always)
    public func wants(_ tag: DWARFTag, depth: Int) -> Bool {
        guard tag.rawValue < 0x10000 else { return true }
        let m = maxDepth[Int(tag.rawValue)]
        return m == 255 || depth < Int(m)
    }

    /// Whether a DIE with this tag that is not wanted is returned without its subtree.
    public func skipsSubtree(of tag: DWARFTag) -> Bool { TagFilter.skipsSubtree(subtreeSkips, tag) }
}
