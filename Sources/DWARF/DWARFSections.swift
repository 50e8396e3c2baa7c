/// The DWARF sections this reader uses (DWARF 5 §7, Appendix B).
public enum DWARFSectionID: Int, CaseIterable, Sendable, Hashable {
    case info, abbrev, str, lineStr, strOffsets, addr, types, line, rnglists, loclists, ranges, loc

    /// The ELF section name.
    public var name: String {
        switch self {
        case .info: return ".debug_info"
        case .abbrev: return ".debug_abbrev"
        case .str: return ".debug_str"
        case .lineStr: return ".debug_line_str"
        case .strOffsets: return ".debug_str_offsets"
        case .addr: return ".debug_addr"
        case .types: return ".debug_types"
        case .line: return ".debug_line"
        case .rnglists: return ".debug_rnglists"
        case .loclists: return ".debug_loclists"
        case .ranges: return ".debug_ranges"
        case .loc: return ".debug_loc"
        }
    }
}

/// The section bytes a `DWARFFile` reads. DWARF does not know about object files: a caller fills
/// this from ELF (relocated and decompressed) or anything else.
public struct DWARFSections: Sendable {
    /// Every section of each name, in file order. Relocatable objects can hold several
    /// `.debug_info`/`.debug_types` sections (one per COMDAT group, e.g. type units); each is
    /// addressed from offset 0, as llvm-dwarfdump shows them.
    public var pieces: [DWARFSectionID: [SectionData]] = [:]
    /// Little- or big-endian.
    public var isLittleEndian: Bool
    /// Set when the object links to a supplementary file (`.gnu_debugaltlink`).
    public var supplementaryLink: String?

    public init(isLittleEndian: Bool = true) { self.isLittleEndian = isLittleEndian }

    /// Loads every known section through `provider` (section name → the contents of every
    /// section with that name, in file order; empty when absent).
    public init(isLittleEndian: Bool, provider: (String) throws -> [SectionData]) throws {
        self.isLittleEndian = isLittleEndian
        for id in DWARFSectionID.allCases {
            let all = try provider(id.name)
            if !all.isEmpty { pieces[id] = all }
        }
    }

    /// Sets the single section of a name (copying `bytes`).
    public mutating func set(_ id: DWARFSectionID, _ bytes: [UInt8]) { pieces[id] = [SectionData(copying: bytes)] }

    /// The (first) section of a name, empty when absent.
    public subscript(_ id: DWARFSectionID) -> SectionData { pieces[id]?.first ?? .empty }

    /// Section `index` of a name (for `.debug_info`/`.debug_types` split over COMDAT groups).
    public func piece(_ id: DWARFSectionID, _ index: Int) -> SectionData {
        guard let all = pieces[id], index >= 0, index < all.count else { return .empty }
        return all[index]
    }

    /// Total size of all sections of a name.
    public func size(_ id: DWARFSectionID) -> Int { pieces[id]?.reduce(0) { $0 + $1.count } ?? 0 }
}
