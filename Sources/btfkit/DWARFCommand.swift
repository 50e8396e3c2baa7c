import ArgumentParser
import DWARF
import BTFFormat
import ObjectFile
import Dispatch
#if canImport(Glibc)
import Glibc
#endif

struct DWARFCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dwarf",
        abstract: "Print the DWARF DIEs of an ELF file in an llvm-dwarfdump-like form.")

    @Argument(help: "An ELF object, module or executable (optionally gzip'd).")
    var file: String

    @Option(help: "Print only unit number N (0-based, in .debug_info then .debug_types order).")
    var cu: Int?

    @Option(help: "Print only the DIE at this section offset (hex 0x... or decimal) and its children.")
    var offset: String?

    @Flag(help: "Only walk every DIE and decode every attribute, then print counts and timing (benchmark).")
    var stats = false

    @Option(help: "Threads for --stats (units are spread over them).")
    var jobs = 1

    func run() throws {
        try reportingErrors(file: file) {
            let dwarf = try ObjectFile.dwarf(path: file)
            if stats { return try runStats(dwarf) }
            let printer = DIEPrinter(dwarf)
            var wanted: Int? = nil
            if let offset {
                let text = offset.lowercased()
                guard let v = text.hasPrefix("0x") ? Int(text.dropFirst(2), radix: 16) : Int(text) else {
                    throw fail("--offset \(offset) is not a number")
                }
                wanted = v
            }
            if let cu, cu < 0 || cu >= dwarf.units.count { throw fail("--cu \(cu): the file has \(dwarf.units.count) units (0...\(dwarf.units.count - 1))") }
            var text = TextOutput(fileDescriptor: 1)
            var found = false
            for (i, unit) in dwarf.units.enumerated() {
                if let cu, cu != i { continue }
                if let wanted, unit.piece != 0 || !(unit.firstDIE...unit.end).contains(wanted) { continue }
                try dwarf.requireComplete(unit)
                if wanted == nil { text.write(printer.header(unit) + "\n\n") }
                var cursor = try dwarf.cursor(for: unit)
                var depthLimit: Int? = nil
                while let die = try cursor.next() {
                    if let w = wanted {
                        if let d = depthLimit { if die.depth <= d { break } }
                        else if die.offset.rawValue == w { depthLimit = die.depth; found = true }
                        else { continue }
                    }
                    var block = ""
                    printer.print(die, attributes: cursor.attributes, unit: unit, into: &block)
                    text.write(block)
                }
            }
            if let wanted, !found { throw fail("no DIE starts at offset 0x\(String(wanted, radix: 16))") }
            text.flush()
        }
    }

    private func runStats(_ dwarf: DWARFFile) throws {
        let t0 = monotonicSeconds()
        try dwarf.preloadAbbreviations()
        let jobs = max(1, min(self.jobs, 64))
        // Units sorted by size and dealt round-robin so the threads get similar work.
        let order = dwarf.units.indices.sorted { dwarf.units[$0].end - dwarf.units[$0].offset > dwarf.units[$1].end - dwarf.units[$1].offset }
        nonisolated(unsafe) let results = UnsafeMutableBufferPointer<(Int, Int, UInt64, String?)>.allocate(capacity: jobs)
        results.initialize(repeating: (0, 0, 0, nil))
        defer { results.deallocate() }
        nonisolated(unsafe) let tagCounts = UnsafeMutableBufferPointer<[Int]>.allocate(capacity: jobs)
        tagCounts.initialize(repeating: [])
        defer { tagCounts.deallocate() }
        DispatchQueue.concurrentPerform(iterations: jobs) { j in
            var dies = 0, attributes = 0
            var checksum: UInt64 = 0
            var tags = [Int](repeating: 0, count: 0x10001)
            do {
                for (k, i) in order.enumerated() where k % jobs == j {
                    try dwarf.requireComplete(dwarf.units[i])
                    var cursor = try dwarf.cursor(for: dwarf.units[i])
                    while let die = try cursor.next() {
                        dies += 1
                        attributes += cursor.attributes.count
                        checksum &+= die.tag.rawValue
                        tags[Int(min(die.tag.rawValue, 0x10000))] += 1
                        for a in cursor.attributes { checksum &+= a.value.unsignedValue ?? 1 }
                    }
                }
                results[j] = (dies, attributes, checksum, nil)
                tagCounts[j] = tags
            } catch {
                results[j] = (dies, attributes, checksum, "\(error)")
            }
        }
        if let e = results.compactMap({ $0.3 }).first { throw fail(e) }
        let dies = results.reduce(0) { $0 + $1.0 }, attributes = results.reduce(0) { $0 + $1.1 }
        let checksum = results.reduce(UInt64(0)) { $0 &+ $1.2 }
        let t1 = monotonicSeconds()
        let mb = Double(dwarf.sections.size(.info) + dwarf.sections.size(.types)) / 1e6
        print("units: \(dwarf.units.count)  DIEs: \(dies)  attributes: \(attributes)  checksum: \(checksum)")
        var total = [Int](repeating: 0, count: 0x10001)
        for t in tagCounts { for (i, n) in t.enumerated() { total[i] += n } }
        let top = total.enumerated().filter { $0.element > 0 }.sorted { $0.element > $1.element }.prefix(12)
        print("most frequent tags: " + top.map { "\(DWARFTag(UInt64($0.offset))) \($0.element)" }.joined(separator: ", "))
        print("walk+decode (\(jobs) thread\(jobs == 1 ? "" : "s")): \(Int((t1 - t0) * 1000)) ms, \(Int(mb / (t1 - t0))) MB/s of .debug_info (\(Int(mb)) MB)")
    }
}
