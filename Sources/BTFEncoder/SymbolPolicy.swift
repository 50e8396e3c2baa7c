import ELF

/// Which DWARF functions and variables become FUNC and VAR, decided from the ELF symbol table as
/// pahole decides it: a function needs a defined STT_FUNC symbol of its name (compiler clones
/// such as `name.isra.0`, `name.constprop.0`, `name.part.0` and `name.cold` count for `name`),
/// and each name is encoded once; a variable needs a defined STT_OBJECT symbol at its address in
/// `.data..percpu` (or, with `globalVariables`, in any allocated section).
public struct SymbolPolicy: Sendable {
    /// Function names with a symbol.
    public private(set) var functions: Set<String> = []
    /// Address → (size, section name) of the variables that may be encoded.
    public private(set) var variables: [UInt64: (size: UInt64, section: String)] = [:]
    /// True when the ELF had a symbol table at all (without one, no FUNC/VAR is emitted).
    public private(set) var hasSymbols = false

    static let cloneSuffixes = [".isra.", ".constprop.", ".part.", ".cold", ".llvm."]

    /// The name a clone symbol stands for (`foo.isra.0` → `foo`).
    public static func baseName(_ symbol: String) -> String {
        let bytes = Array(symbol.utf8)
        guard let firstDot = bytes.firstIndex(of: UInt8(ascii: ".")) else { return symbol }
        var i = firstDot
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: ".") {
                for suffix in cloneSuffixes where bytes[i...].starts(with: suffix.utf8) {
                    return String(decoding: bytes[..<i], as: UTF8.self)
                }
            }
            i += 1
        }
        return symbol
    }

    public init(elf: ELFFile, globalVariables: Bool) throws {
        guard let symtab = elf.sections.first(where: { $0.type == ELFFile.SHT_SYMTAB }) else { return }
        hasSymbols = true
        let percpu = elf.sections.firstIndex { $0.name == ".data..percpu" }
        for sym in try elf.symbols(in: symtab) where sym.sectionIndex != 0 && sym.sectionIndex < 0xff00 {
            if sym.type == ELFSymbol.STT_FUNC {
                functions.insert(SymbolPolicy.baseName(sym.name))
            } else if sym.type == ELFSymbol.STT_OBJECT && sym.size > 0 {
                let index = Int(sym.sectionIndex)
                guard index < elf.sections.count else { continue }
                let section = elf.sections[index]
                if index == percpu || (globalVariables && section.flags & 0x2 != 0) {       // SHF_ALLOC
                    // In relocatable objects a symbol's value is section-relative: key by
                    // (section, offset) through the section address, which is 0 there.
                    variables[sym.value &+ (elf.type == 1 ? section.address : 0)] = (sym.size, section.name)
                }
            }
        }
    }
}
