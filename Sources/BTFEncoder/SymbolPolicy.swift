import ELF

/// Which DWARF functions and variables become FUNC and VAR, decided from the ELF symbol table as
/// pahole 1.24 decides it: a function needs a defined STT_FUNC symbol of exactly its name, and
/// each name is encoded once (the first unit that defines it wins). A function that exists only
/// as a compiler clone (`name.isra.0`, `name.constprop.0`, `name.part.0`) is not encoded: the
/// clone's parameters may differ from the DWARF prototype. (pahole 1.24 does not restrict
/// vmlinux to ftrace-able functions either; later versions do.) a variable needs a defined STT_OBJECT symbol at its address in
/// `.data..percpu` (or, with `globalVariables`, in any allocated section) whose name is the
/// variable's: a variable whose section was discarded at link time keeps address 0 in DWARF and
/// must not be taken for the per-CPU variable that really lives there.
///
/// Variables are keyed by their placed address (`SectionPlacement`; the encoder opens files with
/// `withLaidOutSections()`): in a linked file that is the
/// symbol's value; in a relocatable object, where every section starts at 0, it is the symbol's
/// value plus its section's laid-out address, so `.data`+0 and `.bss`+0 are two variables, not one.
/// DWARF addresses in such an object are relocated against the same layout.
public struct SymbolPolicy: Sendable {
    /// Function names with a symbol (empty when `functionTable` is built instead).
    public private(set) var functions: Set<String> = []
    /// Placed address → (size, section name, the section's placed address, symbol names) of the
    /// variables that may be encoded. The DATASEC offset is `address - sectionAddress`.
    public private(set) var variables: [UInt64: (size: UInt64, section: String, sectionAddress: UInt64, names: [String])] = [:]
    /// True when the ELF had a symbol table at all (without one, no FUNC/VAR is emitted).
    public private(set) var hasSymbols = false
    /// The kfuncs of `.BTF_ids` (read when `kfuncs` is asked for; `decl_tag_kfuncs`).
    public private(set) var kfuncs = KfuncSets()

    /// pahole 1.31's function table (built when `functionTable` is asked for: `FunctionRules`).
    public private(set) var functionTable = ELFFunctionTable()

    public init(elf: ELFFile, globalVariables: Bool, kfuncs readKfuncs: Bool = false, functionTable readTable: Bool = false) throws {
        guard let symtab = elf.sections.first(where: { $0.type == ELFFile.SHT_SYMTAB }) else { return }
        hasSymbols = true
        let percpu = elf.sections.firstIndex { $0.name == ".data..percpu" }
        // Read on demand: only the names a rule looks at become strings.
        let symbols = try ELFSymbolTable(elf: elf, section: symtab)
        if readKfuncs { kfuncs = KfuncSets(elf: elf, symbols: symbols) }
        if readTable { functionTable = ELFFunctionTable(symbols: symbols) }
        for i in 0..<symbols.count {
            let sym = symbols[i]
            guard sym.sectionIndex != 0 && sym.sectionIndex < 0xff00 else { continue }
            if sym.type == ELFSymbol.STT_FUNC {
                // pahole 1.24's rule only; pahole 1.31's uses `functionTable`.
                if !readTable { functions.insert(symbols.name(sym)) }
            } else if sym.type == ELFSymbol.STT_OBJECT && sym.size > 0 {
                let index = Int(sym.sectionIndex)
                guard index < elf.sections.count else { continue }
                let section = elf.sections[index]
                if index == percpu || (globalVariables && section.flags & 0x2 != 0) {       // SHF_ALLOC
                    // In relocatable objects a symbol's value is section-relative: the placed
                    // address makes the key (section, offset).
                    let placed = elf.placedAddress(ofSection: index)
                    let key = elf.type == SectionPlacement.ET_REL ? sym.value &+ placed : sym.value
                    let name = symbols.name(sym)
                    if var v = variables[key] { v.names.append(name); variables[key] = v }
                    else { variables[key] = (sym.size, section.name, placed, [name]) }
                }
            }
        }
    }
}
