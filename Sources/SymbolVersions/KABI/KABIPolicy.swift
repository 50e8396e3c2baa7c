/// What the kABI conventions change in the spelling (docs/symvers.md, "kABI"): gendwarfksyms'
/// `--stable` member conventions (`StableKABIConventions`) and its rules (`KABIRules`).
public struct KABIPolicy: Sendable {
    /// gendwarfksyms `--stable`: honour `__kabi_reserved*`, `__kabi_renamed*` and
    /// `__kabi_ignored*` members.
    public var stable: Bool
    public var rules: KABIRules

    public init(stable: Bool = false, rules: KABIRules = KABIRules()) {
        self.stable = stable
        self.rules = rules
    }

    func isDeclarationOnly(key: DefinitionKey, name: String) -> Bool {
        key != .typedef && rules.declarationOnly.contains(name)
    }

    func byteSize(key: DefinitionKey?, name: String) -> UInt32? {
        guard key != nil, !name.isEmpty else { return nil }
        return rules.byteSizes[name]
    }

    /// A `type_string` rule for the definition `key`+`name` (`s#foo`) or for a symbol.
    func typeString(key: DefinitionKey, name: String) -> String? {
        rules.typeStrings.isEmpty ? nil : rules.typeStrings[key.rawValue + name]
    }

    func symbolString(_ name: String) -> String? {
        rules.typeStrings.isEmpty ? nil : rules.typeStrings[name]
    }

    func ignoresEnumerator(enumName: String, _ enumerator: String) -> Bool {
        !enumName.isEmpty && rules.ignoredEnumerators.contains(KABIRules.Pair(enumName, enumerator))
    }

    func enumeratorValue(enumName: String, _ enumerator: String) -> UInt64? {
        enumName.isEmpty ? nil : rules.enumeratorValues[KABIRules.Pair(enumName, enumerator)].map { UInt64(bitPattern: $0) }
    }
}
