import ArgumentParser
import BTF
#if canImport(Glibc)
import Glibc
#endif

struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Summarize a BTF blob: header, byte order, type counts per kind, string size.")

    @OptionGroup var input: InputOptions

    @Flag(help: "Report how long reading and indexing took (the file is read and indexed several times).")
    var timing = false

    func run() throws {
        try reportingErrors(file: input.file, others: [input.base]) {
            let base = try input.openBase()
            let (bytes, section) = try BTFInput.btfBytes(fromFile: input.file)
            var best = Double.infinity
            var btf = try BTFFile(bytes: bytes, base: base, section: section)
            if timing {
                for _ in 0..<5 {
                    let t0 = monotonicSeconds()
                    let b = try BTFInput.btfBytes(fromFile: input.file)
                    btf = try BTFFile(bytes: b.bytes, base: base, section: section)
                    best = min(best, monotonicSeconds() - t0)
                }
            }
            let h = btf.header
            print("source:      \(section)")
            print("byte order:  \(btf.endianness)")
            print("header:      hdr_len=\(h.headerLength) type_off=\(h.typeOffset) type_len=\(h.typeLength) str_off=\(h.stringOffset) str_len=\(h.stringLength)")
            if btf.isSplit { print("split:       first id \(btf.firstID), first string offset \(btf.firstStringOffset)") }
            print("types:       \(btf.ownTypeCount) (ids \(btf.firstID)...\(btf.typeCount - 1))")
            var counts = [UInt8: Int]()
            for id in btf.ownTypeIDs { if let r = btf.record(id) { counts[r.kind.rawValue, default: 0] += 1 } }
            for k in counts.keys.sorted() {
                let name = BTFKind(rawValue: k).name
                print("  " + name + String(repeating: " ", count: max(1, 12 - name.count)) + "\(counts[k] ?? 0)")
            }
            if timing { print("load+index:  \(Double(Int(best * 100_000)) / 100) ms (best of 5, file read included)") }
        }
    }
}
