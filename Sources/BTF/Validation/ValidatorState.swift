/// Mutable state of one validation run; the phases live in extensions, one file each.
struct ValidatorState {
    static let maxBlobSize = 16 * 1024 * 1024
    static let maxTypeID: UInt32 = 0xFFFFF
    static let maxNameOffset: UInt32 = 0xFFFFFF
    static let maxResolveDepth = 32

    let data: [UInt8]
    let base: BTFFile?
    let options: KernelValidator.Options

    // Header (btf-spec §2.1), as the kernel copies it: fields beyond hdr_len read as zero.
    var hdrLen: UInt32 = 0
    var typeOff: UInt32 = 0
    var typeLen: UInt32 = 0
    var strOff: UInt32 = 0
    var strLen: UInt32 = 0

    /// First own type ID and first own string offset (split BTF continues the base).
    var startID: UInt32 = 1
    var startStrOff: UInt32 = 0
    /// Absolute offsets of own records, indexed by `id - startID`.
    var offsets: [Int] = []

    // Resolution state (btf-spec §2.4), indexed by `id - startID`.
    enum Visit: UInt8 { case notVisited, visited, resolved }
    var visit: [Visit] = []
    var resolvedIDs: [UInt32] = []
    var resolvedSizes: [UInt32] = []

    enum Mode { case tbd, pointer, aggregate }
    struct Vertex { var id: UInt32; var nextMember: Int }
    var stack: [Vertex] = []
    var mode: Mode = .tbd

    init(data: [UInt8], base: BTFFile?, options: KernelValidator.Options) {
        self.data = data
        self.base = base
        self.options = options
    }

    mutating func run() throws(ValidationFailure) {
        try checkHeader()
        try checkStrings()
        try checkTypeSection()
        try checkAllMetas()
        try checkAllTypes()
        try checkTypeTags()
    }

    // MARK: - Raw access (native byte order only: the kernel rejects the other one)

    @inline(__always)
    func u32(_ off: Int) -> UInt32 {
        guard off >= 0, off <= data.count - 4 else { return 0 }
        return data.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: off, as: UInt32.self)) }
    }

    var nrTypes: UInt32 { startID + UInt32(offsets.count) }

    func fail(_ message: String, _ errno: ValidationFailure.Errno = .EINVAL, id: UInt32? = nil, offset: Int? = nil,
              phase: String) -> ValidationFailure {
        ValidationFailure(message: message, errno: errno, typeID: id.map { TypeID($0) }, offset: offset, phase: phase)
    }
}

/// A read-only view of any type (own, base, or void) as the kernel sees it.
struct TypeView {
    var id: UInt32
    var offset: Int      // -1 for void and base types
    var name: UInt32
    var info: TypeInfo
    var sizeOrType: UInt32
    /// The record in the base BTF, for base types.
    var baseRecord: BTFRecord?

    var kind: BTFKind { info.kind }
    var vlen: Int { info.vlen }
    var kflag: Bool { info.kindFlag }
    var isVoid: Bool { id == 0 }
    var isModifier: Bool { kind.isModifier }
    var isStruct: Bool { kind == .structure || kind == .union }
    var isSourceOnly: Bool { kind == .variable || kind == .dataSection || kind == .declTag }
    var hasSize: Bool {
        switch kind {
        case .int, .structure, .union, .enumeration, .dataSection, .float, .enum64: return true
        default: return false
        }
    }
    /// void, FWD, FUNC, FUNC_PROTO, DECL_TAG carry no size.
    var noSize: Bool {
        isVoid || kind == .forward || kind == .function || kind == .functionProto || kind == .declTag
    }
    var needsResolve: Bool {
        isModifier || kind == .pointer || isStruct || kind == .array || kind == .variable || kind == .function
            || kind == .declTag || kind == .dataSection
    }
}

extension ValidatorState {
    static let void = TypeView(id: 0, offset: -1, name: 0, info: TypeInfo(rawValue: 0), sizeOrType: 0, baseRecord: nil)

    /// `btf_type_by_id`: nil past the last type; ID 0 is void.
    func view(_ id: UInt32) -> TypeView? {
        if id == 0 { return ValidatorState.void }
        if id >= startID {
            let i = Int(id - startID)
            guard i < offsets.count else { return nil }
            let off = offsets[i]
            return TypeView(id: id, offset: off, name: u32(off), info: TypeInfo(rawValue: u32(off + 4)),
                            sizeOrType: u32(off + 8), baseRecord: nil)
        }
        guard let base, let r = base.record(TypeID(id)) else { return nil }
        return TypeView(id: id, offset: -1, name: r.nameOffset.rawValue, info: r.info, sizeOrType: r.sizeOrType, baseRecord: r)
    }

    /// Word `i` of a type's tail.
    @inline(__always)
    func word(_ v: TypeView, _ i: Int) -> UInt32 {
        if let r = v.baseRecord, let base { return base.tailWord(r, i) }
        guard v.offset >= 0 else { return 0 }
        return u32(v.offset + 12 + 4 * i)
    }

    /// A regular INT: whole bytes, no bit offset, 1/2/4/8/16 bytes (btf-spec §1.6).
    func isRegularInt(_ v: TypeView) -> Bool {
        guard v.kind == .int else { return false }
        let d = word(v, 0)
        let bits = d & 0xff
        let off = (d >> 16) & 0xff
        let bytes = (bits + 7) / 8
        return bits % 8 == 0 && off == 0 && (bytes == 1 || bytes == 2 || bytes == 4 || bytes == 8 || bytes == 16)
    }
}
