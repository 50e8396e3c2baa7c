import FuzzSupport
import DWARF

/// libFuzzer entry point for DWARF unit parsing. Input layout: a 16-bit little-endian length L,
/// then L bytes of .debug_abbrev, then .debug_info; the .debug_info bytes also serve as
/// .debug_str, .debug_line_str, .debug_str_offsets, .debug_addr, .debug_line, .debug_loclists and
/// .debug_loc, so that string, index, line-table and location-list resolution run over hostile
/// offsets too; expressions are decoded. Both byte orders are tried.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDWARF(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard bytes.count >= 2 else { return 0 }
    let l = min(Int(bytes[0]) | Int(bytes[1]) << 8, bytes.count - 2)
    let abbrev = Array(bytes[2..<(2 + l)])
    let info = Array(bytes[(2 + l)...])
    for little in [true, false] {
        var s = DWARFSections(isLittleEndian: little)
        s.set(.info, info)
        s.set(.abbrev, abbrev)
        for id in [DWARFSectionID.str, .lineStr, .strOffsets, .addr, .line, .loclists, .loc] { s.set(id, info) }
        guard let f = try? DWARFFile(s) else { continue }
        for u in f.units {
            _ = try? f.context(for: u)
            guard var c = try? f.cursor(for: u) else { continue }
            var steps = 0
            while let die = try? c.next(), steps < 100_000 {
                steps += 1
                for a in c.attributes {
                    _ = try? f.string(a, unit: u)
                    _ = f.referencedOffset(a, unit: u)
                    if case .addressIndex(let i) = a.value { _ = try? f.address(index: i, unit: u) }
                    if case .exprloc(let off, let len) = a.value {
                        _ = try? DWARFExpression(f.bytes(of: u), offset: off, length: len, unit: u, little: little)
                    }
                    // Location lists (.debug_loclists / .debug_loc) and their expressions.
                    if let exprs = try? f.locationExpressions(a.value, unit: u, limit: 64) {
                        for e in exprs.prefix(8) { _ = try? f.operations(of: e, unit: u) }
                    }
                    if let index = a.value.unsignedValue { _ = try? f.fileName(index: index, unit: u) }
                    _ = DIEPrinter(f).value(a, unit: u)
                }
                if die.hasChildren && steps % 2 == 0 { try? c.skipChildren(of: die) }
            }
            // The filtered walk (what the encoder uses) steps over values instead of decoding them
            // and over whole subtrees, picks the wanted attributes of fixed-size DIEs where they
            // sit, and random access starts a cursor at a DIE.
            if var fc = try? f.cursor(for: u) {
                var filter = TagFilter()
                filter.want(DWARFTag(0x13)); filter.want(DWARFTag(0x0d)); filter.want(DWARFTag(0x2e), upToDepth: 1)
                // Subtrees stepped over whole: inlined calls, lexical blocks, deeper subprograms.
                filter.skipSubtree(of: DWARFTag(0x1d)); filter.skipSubtree(of: DWARFTag(0x0b)); filter.skipSubtree(of: DWARFTag(0x2e))
                fc.filter = filter
                fc.attributeFilter = AttributeFilter([.name, .type, DWARFAttribute(0x38), DWARFAttribute(0x0b)])
                var n = 0
                while let die = try? fc.next(), n < 100_000 {
                    n += 1
                    _ = fc.withAttributes { $0.count }
                    for a in fc.attributes { _ = try? f.string(a, unit: u) }
                    if n % 7 == 0, var rc = try? f.cursor(for: u, at: die.offset) { _ = try? rc.next() }
                    _ = f.unit(containing: die.offset)
                }
            }
        }
    }
    return 0
}

@_cdecl("FuzzDWARF_main")
public func fuzzDWARFMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzer(argc, argv) { data, size in fuzzDWARF(data, size) }
}
