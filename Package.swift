// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "BTFKit",
    products: [
        .library(name: "BinaryReader", targets: ["BinaryReader"]),
        .library(name: "ELF", targets: ["ELF"]),
        .library(name: "DWARF", targets: ["DWARF"]),
        .library(name: "ObjectFile", targets: ["ObjectFile"]),
        .library(name: "BTF", targets: ["BTF"]),
        .library(name: "BTFFormat", targets: ["BTFFormat"]),
        .library(name: "BTFEncoder", targets: ["BTFEncoder"]),
        .library(name: "CORE", targets: ["CORE"]),
        .library(name: "SymbolVersions", targets: ["SymbolVersions"]),
        .executable(name: "btfkit", targets: ["btfkit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .target(name: "BinaryReader"),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .target(name: "Inflate", dependencies: ["CZlib"]),
        .target(name: "CBPFSyscall"),
        .target(name: "ELF", dependencies: ["BinaryReader", "Inflate"]),
        .target(name: "DWARF"),
        .target(name: "ObjectFile", dependencies: ["ELF", "DWARF", "Inflate", "BinaryReader"]),
        .target(name: "BTF", dependencies: ["BinaryReader", "ELF", "Inflate", "CBPFSyscall"]),
        .target(name: "BTFFormat", dependencies: ["BTF"]),
        .target(name: "BTFEncoder", dependencies: ["BinaryReader", "BTF", "DWARF", "ELF", "ObjectFile"]),
        .target(name: "CORE", dependencies: ["BinaryReader", "BTF", "BTFFormat", "ELF", "CBPFSyscall"]),
        .target(name: "SymbolVersions", dependencies: ["BinaryReader", "BTF", "DWARF", "ELF"]),
        .executableTarget(
            name: "btfkit",
            dependencies: [
                "BTF", "BTFFormat", "BTFEncoder", "CORE", "DWARF", "ELF", "ObjectFile", "SymbolVersions",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "BinaryReaderTests", dependencies: ["BinaryReader"]),
        .testTarget(name: "ELFTests", dependencies: ["ELF", "TestSupport"]),
        .testTarget(name: "DWARFTests", dependencies: ["DWARF", "ELF", "ObjectFile", "TestSupport"]),
        .testTarget(name: "BTFTests", dependencies: ["BTF", "TestSupport"]),
        .testTarget(name: "BTFFormatTests", dependencies: ["BTF", "BTFFormat", "TestSupport"]),
        .testTarget(name: "BTFEncoderTests", dependencies: ["BTFEncoder", "BTF", "BTFFormat", "ELF", "TestSupport"]),
        .testTarget(name: "CORETests", dependencies: ["CORE", "BTF", "ELF", "BinaryReader", "TestSupport"]),
        .testTarget(name: "SymbolVersionsTests", dependencies: ["SymbolVersions", "BTF", "BTFEncoder", "DWARF", "ELF", "ObjectFile", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["btfkit", "TestSupport"]),
    ]
)
