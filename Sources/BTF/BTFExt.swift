import BinaryReader

/// `.BTF.ext` (btf-spec §1.11): per-instruction func_info, line_info and CO-RE relocation records,
/// grouped by ELF section. String offsets refer to the `.BTF` string section.
public struct BTFExt: Hashable, Sendable {
    /// One of the three subsections: a record size and blocks of records per ELF section.
    public struct Subsection: Hashable, Sendable {
        public var recordSize: UInt32
        public var blocks: [Block]
        public init(recordSize: UInt32, blocks: [Block]) { self.recordSize = recordSize; self.blocks = blocks }
    }

    /// The records of one ELF section; each record is kept as its raw words (`recordSize / 4`).
    public struct Block: Hashable, Sendable {
        public var sectionName: StringOffset
        public var records: [[UInt32]]
        public init(sectionName: StringOffset, records: [[UInt32]]) { self.sectionName = sectionName; self.records = records }
    }

    public struct FuncInfo: Hashable, Sendable {
        public var instructionOffset: UInt32
        public var type: TypeID
    }

    public struct LineInfo: Hashable, Sendable {
        public var instructionOffset: UInt32
        public var fileName: StringOffset
        public var line: StringOffset
        public var lineNumber: UInt32
        public var column: UInt32
    }

    public struct CoreRelocation: Hashable, Sendable {
        public var instructionOffset: UInt32
        public var type: TypeID
        public var accessString: StringOffset
        public var kind: UInt32
        public init(instructionOffset: UInt32, type: TypeID, accessString: StringOffset, kind: UInt32) {
            self.instructionOffset = instructionOffset; self.type = type; self.accessString = accessString; self.kind = kind
        }
    }

    public var headerLength: UInt32
    public var endianness: Endianness
    public var funcInfo: Subsection?
    public var lineInfo: Subsection?
    public var coreRelocations: Subsection?

    static let minimumRecordSize: [UInt32] = [8, 16, 16]

    public init(bytes: [UInt8], section: String = ".BTF.ext") throws(BTFError) {
        guard let endian = BTFHeader.endianness(of: bytes) else {
            throw BTFError(.badMagic, "bad .BTF.ext magic (expected 0xeb9f)", section: section, offset: 0)
        }
        let data = ByteBuffer(bytes, endianness: endian, section: section)
        guard bytes.count >= 24, let hdrLen = data.u32IfPresent(at: 4) else {
            throw BTFError(.truncatedHeader, ".BTF.ext of \(bytes.count) bytes is shorter than its 24-byte header",
                           section: section, offset: 0)
        }
        guard bytes[2] == 1 else { throw BTFError(.badVersion, "unsupported .BTF.ext version \(bytes[2])", section: section, offset: 2) }
        guard bytes[3] == 0 else { throw BTFError(.badFlags, "unsupported .BTF.ext flags \(bytes[3])", section: section, offset: 3) }
        guard hdrLen >= 24, Int(hdrLen) <= bytes.count else {
            throw BTFError(.badHeaderLength, "hdr_len \(hdrLen) must be >= 24 and <= section size \(bytes.count)",
                           section: section, offset: 4)
        }
        self.headerLength = hdrLen
        self.endianness = endian
        let hasCore = hdrLen >= 32
        func sub(_ index: Int, headerField: Int) throws(BTFError) -> Subsection? {
            guard let off = data.u32IfPresent(at: headerField), let len = data.u32IfPresent(at: headerField + 4) else { return nil }
            return try BTFExt.parseSubsection(data, start: Int(hdrLen), offset: off, length: len,
                                              minimum: BTFExt.minimumRecordSize[index], fieldOffset: headerField,
                                              foreign: endian != .host)
        }
        self.funcInfo = try sub(0, headerField: 8)
        self.lineInfo = try sub(1, headerField: 16)
        self.coreRelocations = hasCore ? try sub(2, headerField: 24) : nil
    }

    private static func parseSubsection(_ data: ByteBuffer, start: Int, offset: UInt32, length: UInt32,
                                        minimum: UInt32, fieldOffset: Int, foreign: Bool) throws(BTFError) -> Subsection? {
        guard length > 0 else { return nil }
        let section = data.section
        guard offset % 4 == 0 else {
            throw BTFError(.badExtInfo, "subsection offset \(offset) is not 4-byte aligned", section: section, offset: fieldOffset)
        }
        let begin = start + Int(offset)
        let end = begin + Int(length)
        guard end <= data.count else {
            throw BTFError(.badExtInfo, "subsection [\(begin), \(end)) ends past the section (\(data.count) bytes)",
                           section: section, offset: fieldOffset)
        }
        guard length >= 4, let recordSize = data.u32IfPresent(at: begin) else {
            throw BTFError(.badExtInfo, "subsection too short for its record size", section: section, offset: begin)
        }
        guard recordSize >= minimum, recordSize % 4 == 0, recordSize <= 1 << 16 else {
            throw BTFError(.badExtInfo, "record size \(recordSize) must be a multiple of 4 and at least \(minimum)",
                           section: section, offset: begin)
        }
        guard !foreign || recordSize == minimum else {
            throw BTFError(.badExtInfo, "record size \(recordSize) in foreign byte order must equal \(minimum)",
                           section: section, offset: begin)
        }
        var blocks: [Block] = []
        var off = begin + 4
        guard off < end else {
            throw BTFError(.badExtInfo, "subsection has a record size but no section blocks", section: section, offset: begin)
        }
        let words = Int(recordSize / 4)
        while off < end {
            guard end - off >= 8, let name = data.u32IfPresent(at: off), let count = data.u32IfPresent(at: off + 4) else {
                throw BTFError(.badExtInfo, "truncated block header", section: section, offset: off)
            }
            guard count > 0 else {
                throw BTFError(.badExtInfo, "block with zero records", section: section, offset: off + 4)
            }
            let need = UInt64(count) * UInt64(recordSize)
            guard need <= UInt64(end - off - 8) else {
                throw BTFError(.badExtInfo, "block of \(count) records of \(recordSize) bytes overruns the subsection",
                               section: section, offset: off + 4)
            }
            off += 8
            var records: [[UInt32]] = []
            records.reserveCapacity(Int(count))
            for _ in 0..<Int(count) {
                var rec: [UInt32] = []
                rec.reserveCapacity(words)
                for k in 0..<words { rec.append(data.u32IfPresent(at: off + 4 * k) ?? 0) }
                records.append(rec)
                off += Int(recordSize)
            }
            blocks.append(Block(sectionName: StringOffset(name), records: records))
        }
        return Subsection(recordSize: recordSize, blocks: blocks)
    }

    /// Serializes: header, then func_info, line_info, core_relo subsections back to back.
    public func serialized(endianness: Endianness? = nil) -> [UInt8] {
        let e = endianness ?? self.endianness
        func encode(_ s: Subsection?) -> [UInt8] {
            guard let s else { return [] }
            var w = ByteWriter(endianness: e)
            w.u32(s.recordSize)
            for b in s.blocks {
                w.u32(b.sectionName.rawValue); w.u32(UInt32(b.records.count))
                for r in b.records { for x in r { w.u32(x) } }
            }
            return w.bytes
        }
        let parts = [encode(funcInfo), encode(lineInfo), encode(coreRelocations)]
        var w = ByteWriter(endianness: e)
        w.u16(BTFHeader.magic); w.u8(1); w.u8(0); w.u32(headerLength)
        var off: UInt32 = 0
        for (i, p) in parts.enumerated() where i < 2 || headerLength >= 32 {
            w.u32(p.isEmpty ? 0 : off); w.u32(UInt32(p.count))
            off += UInt32(p.count)
        }
        while w.bytes.count < Int(headerLength) { w.u8(0) }
        for p in parts { w.bytes.append(contentsOf: p) }
        return w.bytes
    }

    /// Typed views of the records, per ELF section name offset.
    public var functions: [(section: StringOffset, FuncInfo)] {
        (funcInfo?.blocks ?? []).flatMap { b in
            b.records.map { r in (b.sectionName, FuncInfo(instructionOffset: r.first ?? 0, type: TypeID(r.count > 1 ? r[1] : 0))) }
        }
    }

    public var lines: [(section: StringOffset, LineInfo)] {
        (lineInfo?.blocks ?? []).flatMap { b in
            b.records.map { r in
                let w = r + [0, 0, 0, 0]
                return (b.sectionName, LineInfo(instructionOffset: w[0], fileName: StringOffset(w[1]), line: StringOffset(w[2]),
                                                lineNumber: w[3] >> 10, column: w[3] & 0x3ff))
            }
        }
    }

    public var relocations: [(section: StringOffset, CoreRelocation)] {
        relocationBlocks.flatMap { b in b.records.map { (b.section, $0) } }
    }

    /// The CO-RE records per ELF section, in `.BTF.ext` order (a record's index in its block is
    /// libbpf's `relo #N`).
    public var relocationBlocks: [(section: StringOffset, records: [CoreRelocation])] {
        (coreRelocations?.blocks ?? []).map { b in
            (b.sectionName, b.records.map { r in
                let w = r + [0, 0, 0, 0]
                return CoreRelocation(instructionOffset: w[0], type: TypeID(w[1]), accessString: StringOffset(w[2]), kind: w[3])
            })
        }
    }
}
