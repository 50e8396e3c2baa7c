import BinaryReader
import ELF

/// The exported symbols of a vmlinux or a module, read from its export sections.
///
/// Every kernel since 4.19 on architectures with `CONFIG_HAVE_ARCH_PREL32_RELOCATIONS` (x86_64,
/// arm64, riscv, s390, powerpc ...) stores a `struct kernel_symbol` per export as 32-bit offsets
/// relative to each field: `value_offset, name_offset` and, since 5.4, `namespace_offset`. Other
/// architectures store absolute pointers. The names and namespaces live in `__ksymtab_strings`.
/// In a linked file (vmlinux) the fields hold the offsets; in a module (`ET_REL`) they are zero
/// and the relocations in `.rela__ksymtab*` say where they point. Which layout a file uses is
/// found by trying each until every name resolves into `__ksymtab_strings`.
public struct ExportTable: Sendable {
    public var exports: [KernelExport] = []
    public var problems: [ExportProblem] = []

    public init(exports: [KernelExport] = [], problems: [ExportProblem] = []) {
        self.exports = exports; self.problems = problems
    }

    /// Reads every export section of `elf`. A file without export sections has no exports (an
    /// object file or a module that exports nothing); that is not an error.
    public init(elf: ELFFile) throws(ELFError) {
        if elf.section(named: ExportTable.exportSymbolSection) != nil {
            self = try ExportTable(exportSymbolSectionOf: elf)
            return
        }
        guard let stringsSection = elf.section(named: ExportTable.stringsSection) else { return }
        let strings = try elf.contents(of: stringsSection)
        let symbols = elf.type == SectionPlacement.ET_REL ? try elf.symbols() : []
        for (name, kind) in ExportKind.sections {
            guard let section = elf.section(named: name) else { continue }
            let reader = try EntryReader(elf: elf, section: section, symbols: symbols,
                                         strings: strings, stringsSection: stringsSection)
            let (found, failed) = reader.entries(kind: kind)
            exports += found
            problems += failed
        }
    }

    static let stringsSection = "__ksymtab_strings"
    /// Linux 6.5+ object files (before modpost): one entry per EXPORT_SYMBOL, labelled
    /// `__export_symbol_NAME`: the license (`"GPL"` or `""`) and the namespace as C strings,
    /// then (8-aligned) a pointer to the symbol. The final link discards the section.
    static let exportSymbolSection = ".export_symbol"
    static let exportSymbolPrefix = "__export_symbol_"

    /// The exports of a 6.5+ object file, from its `__export_symbol_*` labels.
    init(exportSymbolSectionOf elf: ELFFile) throws(ELFError) {
        guard let section = elf.section(named: ExportTable.exportSymbolSection) else { return }
        let bytes = try elf.contents(of: section)
        func cString(at offset: UInt64) -> (String, Int)? {
            guard offset < UInt64(bytes.count) else { return nil }
            let start = Int(offset)
            guard let end = bytes[start...].firstIndex(of: 0) else { return nil }
            return (String(decoding: bytes[start..<end], as: UTF8.self), end + 1)
        }
        for symbol in try elf.symbols() where Int(symbol.sectionIndex) == section.index {
            guard symbol.name.hasPrefix(ExportTable.exportSymbolPrefix) else { continue }
            let name = String(symbol.name.dropFirst(ExportTable.exportSymbolPrefix.count))
            guard !name.isEmpty, let (license, next) = cString(at: symbol.value), let (namespace, _) = cString(at: UInt64(next)) else {
                problems.append(ExportProblem(section: section.name, entryOffset: symbol.value,
                                              reason: "\(symbol.name): license and namespace strings run past the section"))
                continue
            }
            exports.append(KernelExport(name: name, kind: license == "GPL" ? .gpl : .symbol, namespace: namespace,
                                        section: section.name, entryOffset: symbol.value))
        }
        exports.sort { $0.entryOffset < $1.entryOffset }
    }
}

/// Reads one export section's entries, in a linked file or through an ET_REL file's relocations.
struct EntryReader {
    /// A `struct kernel_symbol` layout: field width in bytes, fields per entry, relative or absolute.
    struct Layout: Equatable {
        var fieldWidth: Int
        var fields: Int
        var relative: Bool
        var entrySize: Int { fieldWidth * fields }
    }

    let elf: ELFFile
    let section: ELFSection
    let contents: ByteBuffer
    let strings: [UInt8]
    let stringsSection: ELFSection
    let symbols: [ELFSymbol]
    /// ET_REL: field offset in the section → (section index, offset in that section).
    let relocated: [UInt64: (section: Int, offset: UInt64)]?

    init(elf: ELFFile, section: ELFSection, symbols: [ELFSymbol], strings: [UInt8], stringsSection: ELFSection) throws(ELFError) {
        self.elf = elf
        self.section = section
        self.contents = ByteBuffer(try elf.contents(of: section), endianness: elf.endianness, section: section.name)
        self.strings = strings
        self.stringsSection = stringsSection
        self.symbols = symbols
        if elf.type == SectionPlacement.ET_REL {
            var map: [UInt64: (section: Int, offset: UInt64)] = [:]
            for rs in elf.sections where (rs.type == ELFFile.SHT_RELA || rs.type == ELFFile.SHT_REL) && Int(rs.info) == section.index {
                for r in try elf.relocations(in: rs) {
                    guard Int(r.symbol) < symbols.count else { continue }
                    let s = symbols[Int(r.symbol)]
                    let addend = r.addend ?? 0
                    let (target, overflow) = Int64(bitPattern: s.value).addingReportingOverflow(addend)
                    guard !overflow, target >= 0 else { continue }
                    map[r.offset] = (Int(s.sectionIndex), UInt64(target))
                }
            }
            relocated = map
        } else {
            relocated = nil
        }
    }

    var candidateLayouts: [Layout] {
        let pointer = elf.elfClass == .elf64 ? 8 : 4
        return [Layout(fieldWidth: 4, fields: 3, relative: true), Layout(fieldWidth: 4, fields: 2, relative: true),
                Layout(fieldWidth: pointer, fields: 3, relative: false), Layout(fieldWidth: pointer, fields: 2, relative: false)]
    }

    /// The layout under which every entry's name resolves (the first such, in the order above).
    func layout() -> Layout? {
        let size = contents.count
        for l in candidateLayouts where size > 0 && size % l.entrySize == 0 {
            let n = size / l.entrySize
            if (0..<n).allSatisfy({ string(field: $0 * l.entrySize + l.fieldWidth, layout: l) != nil }) { return l }
        }
        return nil
    }

    func entries(kind: ExportKind) -> (found: [KernelExport], failed: [ExportProblem]) {
        guard contents.count > 0 else { return ([], []) }
        guard let l = layout() ?? bestEffortLayout() else {
            return ([], [ExportProblem(section: section.name, entryOffset: 0,
                                       reason: "size \(contents.count) fits no struct kernel_symbol layout (12, 8, 24 or 16 bytes per entry)")])
        }
        var found: [KernelExport] = [], failed: [ExportProblem] = []
        let n = contents.count / l.entrySize
        for i in 0..<n {
            let at = i * l.entrySize
            guard let name = string(field: at + l.fieldWidth, layout: l), !name.isEmpty else {
                failed.append(ExportProblem(section: section.name, entryOffset: UInt64(at),
                                            reason: "name_offset points outside \(ExportTable.stringsSection)"))
                continue
            }
            var namespace = ""
            if l.fields == 3 {
                if let ns = string(field: at + 2 * l.fieldWidth, layout: l) { namespace = ns }
                else if fieldIsSet(at + 2 * l.fieldWidth, layout: l) {
                    failed.append(ExportProblem(section: section.name, entryOffset: UInt64(at),
                                                reason: "namespace_offset of '\(name)' points outside \(ExportTable.stringsSection)"))
                    continue
                }
            }
            found.append(KernelExport(name: name, kind: kind, namespace: namespace, section: section.name, entryOffset: UInt64(at)))
        }
        return (found, failed)
    }

    /// When no layout resolves every entry (a damaged table), the one resolving the most.
    func bestEffortLayout() -> Layout? {
        var best: (Layout, Int)? = nil
        for l in candidateLayouts where contents.count % l.entrySize == 0 {
            let n = contents.count / l.entrySize
            let ok = (0..<n).reduce(0) { $0 + (string(field: $1 * l.entrySize + l.fieldWidth, layout: l) != nil ? 1 : 0) }
            if ok > 0, ok > (best?.1 ?? 0) { best = (l, ok) }
        }
        return best?.0
    }

    /// Whether a field holds anything (a relocation in ET_REL, a non-zero word otherwise).
    func fieldIsSet(_ at: Int, layout l: Layout) -> Bool {
        if let relocated { return relocated[UInt64(at)] != nil }
        return (word(at, width: l.fieldWidth) ?? 0) != 0
    }

    func word(_ at: Int, width: Int) -> UInt64? {
        if width == 4 { return (try? contents.u32(at: at)).map(UInt64.init) }
        return try? contents.u64(at: at)
    }

    /// The string a field points to, if it points into `__ksymtab_strings`.
    func string(field at: Int, layout l: Layout) -> String? {
        let offsetInStrings: UInt64
        if let relocated {
            guard let t = relocated[UInt64(at)], t.section == stringsSection.index else { return nil }
            offsetInStrings = t.offset
        } else {
            guard let w = word(at, width: l.fieldWidth) else { return nil }
            let base = stringsSection.address
            let target: UInt64
            if l.relative {
                guard w != 0 else { return nil }
                let delta = Int64(Int32(bitPattern: UInt32(truncatingIfNeeded: w)))
                let (fieldAddress, o1) = section.address.addingReportingOverflow(UInt64(at))
                let (t, o2) = fieldAddress.addingReportingOverflow(UInt64(bitPattern: delta))
                guard !o1 else { return nil }
                _ = o2   // wrapping is how a negative offset is added
                target = t
            } else {
                target = w
            }
            guard target >= base, target - base < UInt64(strings.count) else { return nil }
            offsetInStrings = target - base
        }
        guard offsetInStrings < UInt64(strings.count) else { return nil }
        let start = Int(offsetInStrings)
        guard let end = strings[start...].firstIndex(of: 0) else { return nil }
        return String(decoding: strings[start..<end], as: UTF8.self)
    }
}
