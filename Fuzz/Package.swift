// swift-tools-version:6.0
// libFuzzer harnesses: FuzzBTF (BTF reader, .BTF.ext reader, kernel validator, dedup, diff), FuzzPrint
// (raw, JSON, C and Rust printers and their layout assertions), FuzzCORE
// (BPF objects, CO-RE relocation, relocated-object writer, minimal BTF) and
// FuzzDWARF (DWARF unit headers, abbreviations, DIE cursors, strings and references), FuzzSymvers
// (export tables, symbol versions, the symvers diff, kABI rules and Module.symvers files). A separate package so
// that the fuzzer flags never reach the library's own package. scripts/fuzz.sh builds it with
// `-Xswiftc -sanitize=fuzzer`, which instruments every Swift module it links (BTF, ELF, BinaryReader ...).
import PackageDescription

let package = Package(
    name: "BTFKitFuzz",
    dependencies: [.package(name: "BTFKit", path: "..")],
    targets: [
        .target(name: "FuzzSupport"),
        .executableTarget(
            name: "FuzzBTF",
            dependencies: ["FuzzSupport", .product(name: "BTF", package: "BTFKit"), .product(name: "BTFFormat", package: "BTFKit")],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]),
        .executableTarget(
            name: "FuzzPrint",
            dependencies: ["FuzzSupport", .product(name: "BTF", package: "BTFKit"), .product(name: "BTFFormat", package: "BTFKit")],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]),
        .executableTarget(
            name: "FuzzCORE",
            dependencies: ["FuzzSupport", .product(name: "CORE", package: "BTFKit"), .product(name: "BTF", package: "BTFKit")],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]),
        .executableTarget(
            name: "FuzzSymvers",
            dependencies: ["FuzzSupport", .product(name: "SymbolVersions", package: "BTFKit"), .product(name: "BTF", package: "BTFKit"),
                           .product(name: "ELF", package: "BTFKit")],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]),
        .executableTarget(
            name: "FuzzDWARF",
            dependencies: ["FuzzSupport", .product(name: "DWARF", package: "BTFKit")],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]),
    ]
)
