import DWARF

/// What each exporting compilation unit saw defined: genksyms' view of the types
/// (docs/symvers.md, "Unit visibility").
///
/// genksyms hashes an export from the preprocessed file that exports it: a struct, union or enum
/// that file only declares — or defines in the `.c` file itself — counts as
/// `struct foo { UNKNOWN }`, so changes behind it do not change the export's CRC (gendwarfksyms:
/// `is_kabi_definition`, `is_definition_private`). BTF of a linked vmlinux has every definition
/// merged; the DWARF of the exporting unit still tells which were visible. With this view, each
/// symbol's types are expanded as its unit saw them: a definition the unit did not have (in a
/// header) is spelled `{declared}`.
public struct UnitVisibility: Sendable {
    /// Per unit (index into `units`): the keys (`s#foo`, `u#bar`, `e#baz`) of the definitions it
    /// has from headers.
    public var units: [Set<String>] = []
    /// Exported symbol → the unit that defines it.
    public var unitOfSymbol: [String: Int] = [:]

    public init() {}

    enum Tag {
        static let enumerationType = DWARFTag(0x04)
        static let structureType = DWARFTag(0x13)
        static let unionType = DWARFTag(0x17)
        static let subprogram = DWARFTag(0x2e)
        static let variable = DWARFTag(0x34)
    }

    enum Attr {
        static let name = DWARFAttribute(0x03)
        static let declFile = DWARFAttribute(0x3a)
        static let declaration = DWARFAttribute(0x3c)
        static let external = DWARFAttribute(0x3f)
        static let specification = DWARFAttribute(0x47)
    }

    /// Reads the top-level DIEs of every unit: which structs, unions and enums each defines (in a
    /// header), and which of `symbols` each defines.
    public init(dwarf: DWARFFile, symbols: Set<String>) throws(DWARFError) {
        var filter = TagFilter()
        for t in [Tag.enumerationType, Tag.structureType, Tag.unionType, Tag.subprogram, Tag.variable] {
            filter.want(t, upToDepth: 1)
        }
        for unit in dwarf.units {
            var cursor = try dwarf.cursor(for: unit)
            cursor.filter = filter
            var keys = Set<String>()
            var defined: [String] = []
            var declaredNames: [Int: String] = [:]      // declaration DIE offset → name (DW_AT_specification)
            var privateFile: [UInt64: Bool] = [:]
            while let die = try cursor.next() {
                guard die.depth == 1, cursor.attributes.count > 0 else { continue }
                // Members and function bodies say nothing here: step over them (DW_AT_sibling).
                defer { if die.hasChildren { try? cursor.skipChildren(of: die) } }
                let isDeclaration = cursor.attribute(Attr.declaration).map { $0.value != .flag(false) } ?? false
                switch die.tag {
                case Tag.structureType, Tag.unionType, Tag.enumerationType:
                    guard !isDeclaration, let name = try dwarf.string(cursor.attribute(Attr.name), unit: unit), !name.isEmpty else { continue }
                    if let file = cursor.attribute(Attr.declFile)?.value.unsignedValue {
                        let isPrivate: Bool
                        if let known = privateFile[file] { isPrivate = known } else {
                            isPrivate = (try dwarf.fileName(index: file, unit: unit))?.hasSuffix(".c") ?? false
                            privateFile[file] = isPrivate
                        }
                        if isPrivate { continue }
                    }
                    let key: DefinitionKey = die.tag == Tag.structureType ? .structure : (die.tag == Tag.unionType ? .union : .enumeration)
                    keys.insert(key.rawValue + name)
                case Tag.subprogram, Tag.variable:
                    var name = try dwarf.string(cursor.attribute(Attr.name), unit: unit)
                    if isDeclaration {
                        if let name, symbols.contains(name) { declaredNames[die.offset.rawValue] = name }
                        continue
                    }
                    if name == nil, let spec = cursor.attribute(Attr.specification), let target = dwarf.referencedOffset(spec, unit: unit) {
                        name = declaredNames[target.rawValue]
                    }
                    if let name, symbols.contains(name) { defined.append(name) }
                default:
                    continue
                }
            }
            guard !defined.isEmpty else { continue }
            let index = units.count
            units.append(keys)
            for name in defined where unitOfSymbol[name] == nil { unitOfSymbol[name] = index }
        }
    }

}
