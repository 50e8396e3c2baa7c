import BinaryReader

/// Errors reading an ELF file. Each names the byte offset in the file it concerns.
public enum ELFError: Error, Sendable, CustomStringConvertible {
    case notELF
    case unsupportedClass(UInt8)
    case unsupportedData(UInt8)
    case malformed(ParseError)
    case sectionOutOfBounds(name: String, index: Int, offset: UInt64, size: UInt64, fileSize: Int)
    case sectionNotFound(String)
    case compressedSection(name: String, reason: String)
    case unsupportedRelocation(type: UInt32, machine: String, section: String, index: Int)
    case badRelocation(section: String, index: Int, reason: String)
    /// Any of the above, in the file at this path.
    indirect case inFile(path: String, ELFError)

    public var description: String {
        switch self {
        case .notELF: return "not an ELF file (bad magic at offset 0)"
        case .unsupportedClass(let c): return "ELF header offset 4: unsupported EI_CLASS \(c) (expected 1 or 2)"
        case .unsupportedData(let d): return "ELF header offset 5: unsupported EI_DATA \(d) (expected 1 or 2)"
        case .malformed(let e):
            if case .file = e.reason { return e.description }          // names the path
            return "ELF: \(e)"
        case let .sectionOutOfBounds(name, index, offset, size, fileSize):
            return "ELF section [\(index)] \(name): range 0x\(String(offset, radix: 16))+0x\(String(size, radix: 16)) lies past the end of the file (\(fileSize) bytes)"
        case .sectionNotFound(let name): return "ELF: no section named \(name)"
        case let .compressedSection(name, reason): return "ELF section \(name): \(reason)"
        case let .unsupportedRelocation(type, machine, section, index):
            return "\(section) entry \(index): unsupported relocation type \(type) for machine \(machine)"
        case let .badRelocation(section, index, reason): return "\(section) entry \(index): \(reason)"
        case let .inFile(path, e):
            // A file-level failure (open, map, directory) names the path already.
            if case .malformed(let p) = e, case .file = p.reason { return p.description }
            return "\(path): \(e)"
        }
    }
}
