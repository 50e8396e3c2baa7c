/// A failure to decode binary input, always with the place it happened.
///
/// `offset` is an absolute byte offset into the buffer that was being read
/// (for a section read out of a container file it is the offset inside that section,
/// and `section` names it).
public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Reason: Sendable, Hashable {
        /// `needed` bytes were wanted at the offset but only `available` remain.
        case truncated(needed: Int, available: Int)
        /// A LEB128 number ran past the end of input or does not fit 64 bits.
        case badLEB128
        /// An arithmetic result computed from input does not fit.
        case overflow(String)
        /// A value is not what the format allows; the text says what was expected.
        case invalid(String)
        /// The file as a whole could not be used (open, stat, map, read; a directory): `section`
        /// is its path and there is no offset to name.
        case file(String)
    }

    public var section: String?
    public var offset: Int
    public var reason: Reason

    public init(section: String? = nil, offset: Int, reason: Reason) {
        self.section = section
        self.offset = offset
        self.reason = reason
    }

    /// Returns the same error with its section named (keeps an inner name if one is set).
    public func inSection(_ name: String) -> ParseError {
        var copy = self
        if copy.section == nil { copy.section = name }
        return copy
    }

    public var description: String {
        let place = section.map { "\($0)+0x\(String(offset, radix: 16))" } ?? "offset 0x\(String(offset, radix: 16))"
        switch reason {
        case let .truncated(needed, available):
            return "\(place): truncated: need \(needed) bytes, \(max(available, 0)) available"
        case .badLEB128:
            return "\(place): malformed LEB128 number"
        case let .overflow(what):
            return "\(place): arithmetic overflow computing \(what)"
        case let .invalid(what):
            return "\(place): \(what)"
        case let .file(what):
            return "\(section ?? "input"): \(what)"
        }
    }
}
