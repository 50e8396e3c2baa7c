/// A Module.symvers file or gendwarfksyms' `#SYMVER` output, read back: the names, CRCs and
/// export kinds another tool (or an earlier run) computed.
public struct SymversFile: Sendable {
    public struct Entry: Sendable, Hashable {
        public var name: String
        public var crc: UInt32
        public var module: String
        public var kind: ExportKind
        public var namespace: String
    }

    public var entries: [Entry] = []

    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var path: String
        public var line: Int
        public var reason: String
        public var description: String { "\(path):\(line): \(reason)" }
    }

    /// Parses either format, line by line; a line that is neither is an error naming the line.
    public init(text: String, path: String) throws(Failure) {
        var number = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if line.isEmpty { continue }
            if line.hasPrefix("#SYMVER ") {
                let f = line.split(separator: " ", omittingEmptySubsequences: true)
                guard f.count == 3, let crc = SymversFile.crc(f[2]) else {
                    throw Failure(path: path, line: number, reason: "expected '#SYMVER name 0xCRC'")
                }
                entries.append(Entry(name: String(f[1]), crc: crc, module: "", kind: .symbol, namespace: ""))
                continue
            }
            if line.hasPrefix("#") { continue }
            let f = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard f.count >= 4, let crc = SymversFile.crc(f[0]), !f[1].isEmpty else {
                throw Failure(path: path, line: number, reason: "expected '0xCRC<TAB>name<TAB>module<TAB>export[<TAB>namespace]'")
            }
            entries.append(Entry(name: String(f[1]), crc: crc, module: String(f[2]), kind: ExportKind(rawValue: String(f[3])),
                                 namespace: f.count > 4 ? String(f[4]) : ""))
        }
    }

    static func crc(_ s: Substring) -> UInt32? {
        guard s.hasPrefix("0x") || s.hasPrefix("0X") else { return nil }
        return UInt32(s.dropFirst(2), radix: 16)
    }
}
