import BTF

/// A CO-RE failure, with where it happened: the ELF section, the relocation's index inside that
/// section's `.BTF.ext` block (libbpf's `relo #N`), the instruction index, and the type.
public struct CoreError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        /// The ELF object is not a BPF object we can read (no `.BTF`, bad sections ...).
        case malformedObject
        /// `.BTF.ext` is malformed, or a record points outside its section.
        case malformedExt
        /// The access string or the local type it walks is invalid (btf-spec §5.3).
        case badAccessString
        /// The instruction at the relocation can't carry this relocation (§5.8).
        case badInstruction
        /// Candidates disagree (§5.6).
        case ambiguous
        /// Unknown relocation kind, anonymous root, bitfield wider than 64 bits ...
        case unsupported
        /// The target or local BTF is broken where the relocation needs it.
        case btf
    }

    public var code: Code
    public var message: String
    public var section: String?
    public var relocation: Int?
    public var instruction: Int?
    public var typeID: TypeID?

    public init(_ code: Code, _ message: String, section: String? = nil, relocation: Int? = nil,
                instruction: Int? = nil, typeID: TypeID? = nil) {
        self.code = code; self.message = message; self.section = section
        self.relocation = relocation; self.instruction = instruction; self.typeID = typeID
    }

    public var description: String {
        var place: [String] = []
        if let section { place.append("section '\(section)'") }
        if let relocation { place.append("relo #\(relocation)") }
        if let instruction { place.append("insn #\(instruction)") }
        if let typeID { place.append("type \(typeID)") }
        return place.isEmpty ? message : place.joined(separator: " ") + ": " + message
    }

    /// The same error with the relocation's location filled in where it is missing.
    func at(section: String, relocation: Int, instruction: Int) -> CoreError {
        var e = self
        e.section = e.section ?? section
        e.relocation = e.relocation ?? relocation
        e.instruction = e.instruction ?? instruction
        return e
    }
}

extension CoreError {
    init(_ e: BTFError) { self.init(.btf, e.description, typeID: e.typeID) }
}
