import BinaryReader
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A BTF blob opened for reading: raw (`/sys/kernel/btf/vmlinux`, a `.btf` file) or the `.BTF`
/// section of an ELF file, optionally split over a base (btf-spec §1.9).
///
/// Opening checks what libbpf checks when it reads BTF (btf-spec §1.13) and builds only an
/// ID → byte-offset index; types are decoded on demand by ``type(_:)``.
///
/// ```swift
/// let btf = try BTFFile(contentsOf: "/sys/kernel/btf/vmlinux")
/// if let id = btf.typeIDs(named: "task_struct").first,
///    case .structure(let s)? = try btf.type(id) {
///     print(btf.string(s.name), s.size, s.members.count)
/// }
/// ```
public final class BTFFile: Sendable {
    /// The whole blob, header included; byte order taken from the magic.
    public let data: ByteBuffer
    public let header: BTFHeader
    /// The base this BTF is split over, or nil.
    public let base: BTFFile?
    /// ID of the first type stored in this blob (1, or the base's type count for split BTF).
    public let firstID: UInt32
    /// First string offset owned by this blob (0, or the base's total string length).
    public let firstStringOffset: UInt32
    /// Absolute offsets of the type and string sections inside `data`.
    public let typeSectionStart: Int
    public let stringSectionStart: Int
    /// Absolute offset of each own record; index `i` is type ID `firstID + i`.
    let recordOffsets: [UInt32]
    /// Kind-layout table (btf-spec §1.7), when present: (fixed, element) tail sizes per kind.
    let layouts: [(fixed: Int, element: Int)]?

    public var endianness: Endianness { data.endianness }
    /// Number of types stored in this blob.
    public var ownTypeCount: Int { recordOffsets.count }
    /// `btf__type_cnt`: one past the last valid ID (includes void and base types).
    public var typeCount: Int { Int(firstID) + recordOffsets.count }
    /// One past the last valid string offset (base strings included).
    public var stringSpaceEnd: UInt32 { UInt32(clamping: UInt64(firstStringOffset) + UInt64(header.stringLength)) }
    /// True when this is split BTF.
    public var isSplit: Bool { base != nil }

    /// Parses `bytes` as raw BTF. `section` names the source in errors (".BTF" or a path).
    public init(bytes: [UInt8], base: BTFFile? = nil, section: String = ".BTF") throws(BTFError) {
        guard let endian = BTFHeader.endianness(of: bytes) else {
            let found = bytes.count >= 2 ? String(format2(bytes[0], bytes[1])) : "\(bytes.count) bytes"
            throw BTFError(.badMagic, "not BTF: bad magic \(found) (expected 0xeb9f in either byte order)",
                           section: section, offset: 0)
        }
        guard bytes.count < Int(UInt32.max) else {
            throw BTFError(.sectionOutOfBounds, "blob of \(bytes.count) bytes is larger than BTF can address (4 GiB)",
                           section: section, offset: 0)
        }
        let data = ByteBuffer(bytes, endianness: endian, section: section)
        let header = try BTFHeader.parse(data)
        if let base, UInt64(base.stringSpaceEnd) + UInt64(header.stringLength) > UInt64(UInt32.max) {
            throw BTFError(.badStringSection, "split string section of \(header.stringLength) bytes overflows the 32-bit string space after its base",
                           section: section, offset: 20)
        }
        if let base, base.endianness != endian {
            throw BTFError(.badMagic, "split BTF is \(endian) but its base is \(base.endianness)", section: section, offset: 0)
        }
        self.data = data
        self.header = header
        self.base = base
        self.firstID = base.map { UInt32($0.typeCount) } ?? 1
        self.firstStringOffset = base?.stringSpaceEnd ?? 0
        self.typeSectionStart = Int(header.headerLength) + Int(header.typeOffset)
        self.stringSectionStart = Int(header.headerLength) + Int(header.stringOffset)
        self.layouts = try BTFFile.readLayouts(data, header)
        try BTFFile.checkStrings(data, header, split: base != nil, start: stringSectionStart)
        self.recordOffsets = try BTFFile.index(data, header, start: typeSectionStart, firstID: firstID,
                                               layouts: layouts ?? base?.layouts)
        try checkReferences()
    }

    // MARK: - Opening

    private static func readLayouts(_ data: ByteBuffer, _ h: BTFHeader) throws(BTFError) -> [(fixed: Int, element: Int)]? {
        guard h.layoutLength > 0 else { return nil }
        let start = Int(h.headerLength) + Int(h.layoutOffset)
        var out: [(fixed: Int, element: Int)] = []
        var off = start
        while off < start + Int(h.layoutLength) {
            guard let infoSize = try? data.u8(at: off), let elemSize = try? data.u8(at: off + 1) else {
                throw BTFError(.sectionOutOfBounds, "layout entry past the end", section: data.section, offset: off)
            }
            guard infoSize % 4 == 0, elemSize % 4 == 0 else {
                throw BTFError(.badHeaderLength, "layout entry for kind \(out.count) has sizes \(infoSize)/\(elemSize), not multiples of 4",
                               section: data.section, offset: off)
            }
            out.append((Int(infoSize), Int(elemSize)))
            off += 4
        }
        return out
    }

    private static func checkStrings(_ data: ByteBuffer, _ h: BTFHeader, split: Bool, start: Int) throws(BTFError) {
        if split && h.stringLength == 0 { return }
        let len = Int(h.stringLength)
        guard len > 0, len - 1 <= Int(StringOffset.kernelMax.rawValue) else {
            throw BTFError(.badStringSection, "string section length \(len) must be 1...\(0x1000000)", section: data.section, offset: start)
        }
        guard data.bytes.indices.contains(start + len - 1), data.bytes[start + len - 1] == 0 else {
            throw BTFError(.unterminatedString, "string section does not end with NUL", section: data.section, offset: start + len - 1)
        }
        if !split {
            guard data.bytes.indices.contains(start), data.bytes[start] == 0 else {
                throw BTFError(.badStringSection, "string section does not start with NUL (offset 0 must be the empty name)",
                               section: data.section, offset: start)
            }
        }
    }

    private static func index(_ data: ByteBuffer, _ h: BTFHeader, start: Int, firstID: UInt32,
                              layouts: [(fixed: Int, element: Int)]?) throws(BTFError) -> [UInt32] {
        let end = start + Int(h.typeLength)
        var offsets: [UInt32] = []
        offsets.reserveCapacity(Int(h.typeLength) / 20)
        var off = start
        var id = firstID
        while off < end {
            guard end - off >= 12, let info = data.u32IfPresent(at: off + 4) else {
                throw BTFError(.recordOverrun, "type record needs 12 bytes, \(end - off) left in the type section",
                               section: data.section, offset: off, typeID: TypeID(id))
            }
            let ti = TypeInfo(rawValue: info)
            var length: Int
            if let l = RecordLayout.length(kind: ti.kind, vlen: ti.vlen) {
                length = l
            } else if let layouts, Int(ti.kind.rawValue) < layouts.count {
                let t = layouts[Int(ti.kind.rawValue)]
                length = 12 + t.fixed + ti.vlen * t.element
            } else {
                throw BTFError(.unknownKind, "unknown kind \(ti.kind.rawValue) (info 0x\(String(info, radix: 16)))",
                               section: data.section, offset: off + 4, typeID: TypeID(id))
            }
            guard length <= end - off else {
                throw BTFError(.recordOverrun,
                               "\(ti.kind) record with vlen \(ti.vlen) needs \(length) bytes, \(end - off) left in the type section",
                               section: data.section, offset: off, typeID: TypeID(id))
            }
            guard id < 0x7FFF_FFFF, off <= Int(UInt32.max) else {
                throw BTFError(.typeIDOutOfRange, "too many types", section: data.section, offset: off, typeID: TypeID(id))
            }
            offsets.append(UInt32(off))
            off += length
            id += 1
        }
        return offsets
    }

    /// libbpf's per-type sanity pass: names resolve, referenced IDs exist, FUNC points at FUNC_PROTO.
    private func checkReferences() throws(BTFError) {
        let count = UInt32(typeCount)
        for i in 0..<recordOffsets.count {
            let rec = ownRecord(i)
            try checkName(rec.nameOffset, rec, at: rec.offset)
            func ref(_ raw: UInt32, at off: Int) throws(BTFError) {
                guard raw < count else {
                    throw BTFError(.typeIDOutOfRange, "\(rec.kind) refers to type [\(raw)] but the last type is [\(count - 1)]",
                                   section: data.section, offset: off, typeID: rec.id)
                }
            }
            let tail = rec.offset + 12
            switch rec.kind {
            case .pointer, .typedef, .volatile, .const, .restrict, .typeTag, .variable, .declTag, .functionProto:
                try ref(rec.sizeOrType, at: rec.offset + 8)
            case .function:
                try ref(rec.sizeOrType, at: rec.offset + 8)
                if let target = record(TypeID(rec.sizeOrType)), target.kind != .functionProto {
                    throw BTFError(.typeIDOutOfRange, "FUNC points at \(target.kind) [\(rec.sizeOrType)], expected FUNC_PROTO",
                                   section: data.section, offset: rec.offset + 8, typeID: rec.id)
                }
            case .array:
                try ref(tailWord(rec, 0), at: tail)
                try ref(tailWord(rec, 1), at: tail + 4)
            default: break
            }
            switch rec.kind {
            case .structure, .union:
                for m in 0..<rec.vlen {
                    try checkName(StringOffset(tailWord(rec, m * 3)), rec, at: tail + m * 12)
                    try ref(tailWord(rec, m * 3 + 1), at: tail + m * 12 + 4)
                }
            case .enumeration:
                for m in 0..<rec.vlen { try checkName(StringOffset(tailWord(rec, m * 2)), rec, at: tail + m * 8) }
            case .enum64:
                for m in 0..<rec.vlen { try checkName(StringOffset(tailWord(rec, m * 3)), rec, at: tail + m * 12) }
            case .functionProto:
                for m in 0..<rec.vlen {
                    try checkName(StringOffset(tailWord(rec, m * 2)), rec, at: tail + m * 8)
                    try ref(tailWord(rec, m * 2 + 1), at: tail + m * 8 + 4)
                }
            case .dataSection:
                for m in 0..<rec.vlen { try ref(tailWord(rec, m * 3), at: tail + m * 12) }
            default: break
            }
        }
    }

    private func checkName(_ off: StringOffset, _ rec: BTFRecord, at byteOffset: Int) throws(BTFError) {
        guard off.rawValue < stringSpaceEnd || off == .empty else {
            throw BTFError(.stringOffsetOutOfRange,
                           "string offset \(off.rawValue) is outside the string section (size \(stringSpaceEnd))",
                           section: data.section, offset: byteOffset, typeID: rec.id)
        }
    }

    // MARK: - Records

    @inline(__always)
    func ownRecord(_ index: Int) -> BTFRecord {
        let off = Int(recordOffsets[index])
        let info = TypeInfo(rawValue: data.u32IfPresent(at: off + 4) ?? 0)
        let length = RecordLayout.length(kind: info.kind, vlen: info.vlen)
            ?? layouts.flatMap { l in Int(info.kind.rawValue) < l.count ? 12 + l[Int(info.kind.rawValue)].fixed + info.vlen * l[Int(info.kind.rawValue)].element : nil }
            ?? 12
        return BTFRecord(id: TypeID(firstID + UInt32(index)), offset: off,
                         nameOffset: StringOffset(data.u32IfPresent(at: off) ?? 0), info: info,
                         sizeOrType: data.u32IfPresent(at: off + 8) ?? 0, length: length)
    }

    /// The file that stores type `id` (self or a base), or nil when out of range or void.
    public func owner(of id: TypeID) -> BTFFile? {
        if id.rawValue >= firstID { return Int(id.rawValue - firstID) < recordOffsets.count ? self : nil }
        return base?.owner(of: id)
    }

    /// The raw record of type `id` (looked up in the base for base IDs); nil for void or out of range.
    public func record(_ id: TypeID) -> BTFRecord? {
        if id.rawValue >= firstID {
            let i = Int(id.rawValue - firstID)
            return i < recordOffsets.count ? ownRecord(i) : nil
        }
        return base?.record(id)
    }

    /// Word `index` of a record's tail (after the 12-byte common part), read from the file owning it.
    /// Returns 0 if the word is not inside the record, so it never traps.
    @inline(__always)
    public func tailWord(_ rec: BTFRecord, _ index: Int) -> UInt32 {
        let file = rec.id.rawValue >= firstID ? self : (owner(of: rec.id) ?? self)
        guard index >= 0, 12 + index * 4 + 4 <= rec.length else { return 0 }
        return file.data.u32IfPresent(at: rec.offset + 12 + index * 4) ?? 0
    }

    /// All IDs stored in this blob (split BTF: only the split's own).
    public var ownTypeIDs: some Sequence<TypeID> {
        let first = firstID
        return (0..<recordOffsets.count).lazy.map { TypeID(first + UInt32($0)) }
    }

    /// All IDs of a kind stored in this blob.
    public func typeIDs(ofKind kind: BTFKind) -> [TypeID] {
        (0..<recordOffsets.count).compactMap { i in
            ownRecord(i).kind == kind ? TypeID(firstID + UInt32(i)) : nil
        }
    }

    // MARK: - Strings

    /// Byte range of the NUL-terminated string at `offset` inside the owning file's `data.bytes`.
    @inline(__always)
    public func stringRange(_ offset: StringOffset) -> (file: BTFFile, range: Range<Int>)? {
        if offset.rawValue < firstStringOffset { return base?.stringRange(offset) }
        let rel = Int(offset.rawValue - firstStringOffset)
        guard rel < Int(header.stringLength) else { return nil }
        let start = stringSectionStart + rel
        let end = stringSectionStart + Int(header.stringLength)
        let found: Int? = data.bytes.withUnsafeBufferPointer { buf -> Int? in
            guard let basePtr = buf.baseAddress, start < end, end <= buf.count else { return nil }
            guard let p = memchr(basePtr + start, 0, end - start) else { return nil }
            return UnsafeRawPointer(p) - UnsafeRawPointer(basePtr)
        }
        guard let nul = found else { return nil }
        return (self, start..<nul)
    }

    /// The string at `offset` ("" for 0 or an invalid offset).
    public func string(_ offset: StringOffset) -> String {
        guard offset != .empty, let (file, r) = stringRange(offset) else { return "" }
        return String(decoding: file.data.bytes[r], as: UTF8.self)
    }

    /// The name of a type, "" for anonymous types and void.
    public func name(of id: TypeID) -> String {
        guard let r = record(id) else { return "" }
        return string(r.nameOffset)
    }

    // MARK: - Name lookup

    private let nameIndexStorage = Mutex<[String: [TypeID]]?>(nil)

    /// IDs of the types (in this blob and its base) with this exact name, in ID order.
    /// The first call builds a name index (once, also when called from several threads).
    public func typeIDs(named name: String) -> [TypeID] {
        let own = nameIndexStorage.withLock { (index: inout [String: [TypeID]]?) -> [TypeID] in
            if index == nil {
                var built: [String: [TypeID]] = [:]
                for i in 0..<recordOffsets.count {
                    let rec = ownRecord(i)
                    guard rec.nameOffset != .empty else { continue }
                    built[string(rec.nameOffset), default: []].append(rec.id)
                }
                index = built
            }
            return index?[name] ?? []
        }
        return (base?.typeIDs(named: name) ?? []) + own
    }
}

private func format2(_ a: UInt8, _ b: UInt8) -> String {
    "0x" + String(a, radix: 16) + " 0x" + String(b, radix: 16)
}
