import BinaryReader

/// A failure reading BTF, with where it happened: the section (".BTF", ".BTF.ext" or a file name),
/// the absolute byte offset inside that blob, and the type ID when one is concerned.
public struct BTFError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        case truncatedHeader, badMagic, badVersion, badFlags, badHeaderLength
        case sectionOutOfBounds, sectionOverlap, misalignedSection
        case badStringSection, stringOffsetOutOfRange, unterminatedString
        case unknownKind, recordOverrun, trailingBytes, typeIDOutOfRange
        case referenceLoop, tooDeep, notSized, badExtInfo, noBTFSection, io
        case builderLimit
    }

    public var code: Code
    public var message: String
    public var section: String?
    public var offset: Int?
    public var typeID: TypeID?

    public init(_ code: Code, _ message: String, section: String? = ".BTF", offset: Int? = nil, typeID: TypeID? = nil) {
        self.code = code
        self.message = message
        self.section = section
        self.offset = offset
        self.typeID = typeID
    }

    init(_ e: ParseError, code: Code = .recordOverrun, typeID: TypeID? = nil) {
        self.init(code, "\(e.reason)", section: e.section ?? ".BTF", offset: e.offset, typeID: typeID)
        if case let .truncated(needed, available) = e.reason {
            message = "truncated: need \(needed) bytes, \(max(available, 0)) available"
        } else if case let .invalid(text) = e.reason {
            message = text
        } else if case let .file(text) = e.reason {
            self.code = .io
            message = text
            offset = nil
        }
    }

    public var description: String {
        var place = section ?? "BTF"
        if let offset { place += " offset \(offset) (0x\(String(offset, radix: 16)))" }
        if let typeID { place += " type \(typeID)" }
        return "\(place): \(message)"
    }
}
