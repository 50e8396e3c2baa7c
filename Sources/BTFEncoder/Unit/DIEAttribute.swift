/// The DWARF attributes the encoder reads of a DIE (DWARF 5 §7.5.4, Table 7.5; GNU
/// extensions), as constants of this module so that `UnitEncoder.gather`'s switch compiles to a
/// jump table.
enum DIEAttribute {
    static let location: UInt64 = 0x02
    static let name: UInt64 = 0x03
    static let byteSize: UInt64 = 0x0b
    static let bitOffset: UInt64 = 0x0c
    static let bitSize: UInt64 = 0x0d
    static let lowPC: UInt64 = 0x11
    static let discrValue: UInt64 = 0x16
    static let constValue: UInt64 = 0x1c
    static let inline: UInt64 = 0x20
    static let lowerBound: UInt64 = 0x22
    static let upperBound: UInt64 = 0x2f
    static let abstractOrigin: UInt64 = 0x31
    static let count: UInt64 = 0x37
    static let dataMemberLocation: UInt64 = 0x38
    static let declaration: UInt64 = 0x3c
    static let encoding: UInt64 = 0x3e
    static let external: UInt64 = 0x3f
    static let specification: UInt64 = 0x47
    static let type: UInt64 = 0x49
    static let dataBitOffset: UInt64 = 0x6b
    static let linkageName: UInt64 = 0x6e
    /// DW_AT_MIPS_linkage_name, which older compilers write instead of DW_AT_linkage_name.
    static let mipsLinkageName: UInt64 = 0x2007
}

/// The DWARF expression operations the encoder reads in a variable's location (DWARF 5 §7.7.1,
/// Table 7.9; GNU extension).
enum LocationOperation {
    static let addr: UInt8 = 0x03
    static let addrx: UInt8 = 0xa1
    static let gnuAddrIndex: UInt8 = 0xfb
}
