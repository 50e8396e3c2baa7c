import BTF
import BTFEncoder
import ELF
import ObjectFile
import SymbolVersions
import TestSupport

/// The symvers fixtures (testdata/symvers, rebuilt by build.sh): one shared object per variant of
/// one C file, each with a kernel-style export table and DWARF.
enum Fixture {
    static let variants = ["member", "enum", "typedef", "param", "name", "kabi", "hidden"]

    static func path(_ variant: String, in dir: String = Repo.testdata("symvers")) -> String { "\(dir)/symvers-\(variant).so" }

    /// The file's BTF, encoded from its DWARF as `btfkit symvers` does (pahole 1.24's rules plus
    /// global_var).
    static func btf(_ path: String, jobs: Int = 1) throws -> BTFFile {
        var options = EncoderOptions(features: BTFFeatureSet(BTFFeatureSet.pahole124.features.union([BTFFeature.globalVar])))
        options.jobs = jobs
        return try BTFFile(bytes: try Encoder.encode(path: path, options: options).blob)
    }

    static func exports(_ path: String) throws -> ExportTable {
        try ExportTable(elf: try ObjectFile.openELF(path))
    }

    static func versionSet(_ path: String, btf given: BTFFile? = nil, policy: KABIPolicy = KABIPolicy(), unitVisibility: Bool = false,
                           jobs: Int = 1) throws -> SymbolVersionSet {
        let btf = try given ?? Fixture.btf(path, jobs: jobs)
        let table = try exports(path)
        let visibility = unitVisibility ? try UnitVisibility(dwarf: try ObjectFile.dwarf(path: path), symbols: Set(table.exports.map(\.name))) : nil
        return SymbolVersionSet(btf: btf, exports: table.exports, problems: table.problems, policy: policy, visibility: visibility)
    }

    static func crcs(_ path: String, policy: KABIPolicy = KABIPolicy(), unitVisibility: Bool = false, jobs: Int = 1) throws -> [String: UInt32] {
        crcs(try versionSet(path, policy: policy, unitVisibility: unitVisibility, jobs: jobs))
    }

    static func crcs(_ set: SymbolVersionSet) -> [String: UInt32] {
        Dictionary(set.versions.compactMap { v in v.crc.map { (v.export.name, $0) } }, uniquingKeysWith: { a, _ in a })
    }

    /// The names whose CRC differs between two maps (both must version the same names).
    static func changed(_ a: [String: UInt32], _ b: [String: UInt32]) -> Set<String> {
        Set(a.keys.filter { a[$0] != b[$0] })
    }
}
