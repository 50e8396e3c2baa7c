/// One exported kernel symbol, as the export table (`__ksymtab*`) of a vmlinux or module
/// records it, or as a name list gives it.
public struct KernelExport: Hashable, Sendable {
    /// The exported name (from `__ksymtab_strings`), which is what modules link against.
    public var name: String
    public var kind: ExportKind
    /// The symbol namespace (`EXPORT_SYMBOL_NS`), "" for none.
    public var namespace: String
    /// Where the entry is: the export section and the entry's byte offset in it
    /// (`"<stdin>"` and the line number for a name list).
    public var section: String
    public var entryOffset: UInt64

    public init(name: String, kind: ExportKind, namespace: String = "", section: String, entryOffset: UInt64) {
        self.name = name; self.kind = kind; self.namespace = namespace
        self.section = section; self.entryOffset = entryOffset
    }
}

/// The export macro a symbol was exported with, spelled as Module.symvers spells it
/// (scripts/mod/modpost.c): an open constant, so an unknown export section's kind is kept.
public struct ExportKind: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let symbol = ExportKind(rawValue: "EXPORT_SYMBOL")
    public static let gpl = ExportKind(rawValue: "EXPORT_SYMBOL_GPL")
    /// Removed in Linux 5.13, still read from older kernels.
    public static let gplFuture = ExportKind(rawValue: "EXPORT_SYMBOL_GPL_FUTURE")
    public static let unused = ExportKind(rawValue: "EXPORT_UNUSED_SYMBOL")
    public static let unusedGPL = ExportKind(rawValue: "EXPORT_UNUSED_SYMBOL_GPL")
    public var description: String { rawValue }

    /// The export sections of every kernel since 2.6 and the kind each holds.
    public static let sections: [(section: String, kind: ExportKind)] = [
        ("__ksymtab", .symbol), ("__ksymtab_gpl", .gpl), ("__ksymtab_gpl_future", .gplFuture),
        ("__ksymtab_unused", .unused), ("__ksymtab_unused_gpl", .unusedGPL),
    ]
}

/// An export-table entry that could not be read: it is listed (and counted), never given a CRC.
public struct ExportProblem: Hashable, Sendable, CustomStringConvertible {
    public var section: String
    public var entryOffset: UInt64
    public var reason: String
    public var description: String { "\(section) entry at byte \(entryOffset): \(reason)" }
}
