import BTF
import ELF
import FuzzSupport
import SymbolVersions

/// libFuzzer entry point for symbol versions. An ELF input: its export table is read and, when
/// it has .BTF, every export versioned. A BTF input: every FUNC and VAR is versioned in both
/// kABI modes, and the result diffed against itself (grammar, digests over cycles, the diff's
/// cause graph and its report). Any input: read as a kABI rules file, a rules section and a
/// Module.symvers file.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSymvers(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if ELFFile.isELF(bytes), let elf = try? ELFFile(bytes: bytes) {
        let table = (try? ExportTable(elf: elf)) ?? ExportTable()
        if let section = elf.section(named: ".BTF"), let raw = try? elf.contents(of: section), let btf = try? BTFFile(bytes: raw) {
            _ = SymbolVersionSet(btf: btf, exports: table.exports, problems: table.problems).moduleSymvers(module: "m")
        }
    } else if let btf = try? BTFFile(bytes: bytes) {
        var exports: [KernelExport] = []
        for id in btf.ownTypeIDs.prefix(4096) {
            guard let r = btf.record(id), r.kind == .function || r.kind == .variable else { continue }
            exports.append(KernelExport(name: btf.string(r.nameOffset), kind: .symbol, section: "fuzz", entryOffset: UInt64(id.rawValue)))
        }
        for stable in [false, true] {
            let set = SymbolVersionSet(btf: btf, exports: exports, policy: KABIPolicy(stable: stable))
            _ = set.symtypes()
            _ = set.json(module: "m")
            let d = SymversDiff(old: set, oldBTF: btf, new: set, newBTF: btf)
            _ = d.text()
        }
    }
    let text = String(decoding: bytes, as: UTF8.self)
    var rules = KABIRules()
    try? rules.add(text: text, path: "fuzz")
    try? rules.add(section: bytes, path: "fuzz")
    _ = try? SymversFile(text: text, path: "fuzz")
    return 0
}

@_cdecl("FuzzSymvers_main")
public func fuzzSymversMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzer(argc, argv) { data, size in fuzzSymvers(data, size) }
}
