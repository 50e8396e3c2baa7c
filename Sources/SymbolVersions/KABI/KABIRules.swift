/// kABI rules (gendwarfksyms' KABI_* rule macros), read from a text file. Filled in below.
public struct KABIRules: Sendable {
    struct Pair: Hashable, Sendable {
        var first: String, second: String
        init(_ a: String, _ b: String) { first = a; second = b }
    }
    var declarationOnly: Set<String> = []
    var ignoredEnumerators: Set<Pair> = []
    var enumeratorValues: [Pair: Int64] = [:]
    var byteSizes: [String: UInt32] = [:]
    var typeStrings: [String: String] = [:]
    public init() {}
}

extension KABIRules {
    public mutating func add(contentsOf path: String) throws {}
}
