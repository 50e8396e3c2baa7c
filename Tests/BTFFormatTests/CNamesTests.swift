import XCTest
import Foundation
import BTF
@testable import BTFFormat
import TestSupport

/// The C renames of names that are not C (docs/c-names.md), judged by compilers.
final class CNamesTests: XCTestCase {
    func testReservedAndRenames() {
        for k in ["signed", "int", "long", "default", "register", "auto", "volatile", "char", "union", "_Bool", "_Atomic",
                  "typeof", "restrict", "inline", "bool", "true", "false", "static_assert", "linux", "unix", "i386",
                  "__builtin_va_list", "asm", "__attribute__"] {
            XCTAssertTrue(CIdentifiers.isReserved(k), k)
            XCTAssertEqual(CIdentifiers.printable(k), k + "_")
        }
        for n in ["task_struct", "signed_", "Linux", "pid", "", "int_"] { XCTAssertFalse(CIdentifiers.isReserved(n), n) }
        XCTAssertEqual(CIdentifiers.printable(siblings: ["signed", "signed_", "x", ""]), ["signed__", "signed_", "x", ""])
        XCTAssertEqual(CIdentifiers.printable(siblings: ["int", "int_", "int__"]), ["int___", "int_", "int__"])
        XCTAssertEqual(CIdentifiers.printable(siblings: ["a", "b"]), ["a", "b"])
    }

    func testRustFieldNamesStayDistinct() {
        XCTAssertEqual(RustDumpState.fieldIdents(["self", "self_", "type", "x"]), ["self__", "self_", "r#type", "x"])
        XCTAssertEqual(RustDumpState.fieldIdents(["crate", "a"]), ["crate_", "a"])
    }

    /// A BTF made of names that are not C: every kind that carries a name (tags, typedef,
    /// members, enumerators, parameters, a Rust `bool` base type), and a member whose rename is
    /// a sibling's name. The header compiles with clang -target bpf, clang and gcc for the host,
    /// with the layout assertions.
    func testHeaderOfKeywordNamesCompilesWithItsLayout() throws {
        var b = BTFBuilder()
        let u8 = b.add(.int(BTFInt(name: b.string("unsigned char"), size: 1, encoding: .none, bits: 8)))
        let u32 = b.add(.int(BTFInt(name: b.string("unsigned int"), size: 4, encoding: .none, bits: 32)))
        let rustBool = b.add(.int(BTFInt(name: b.string("bool"), size: 1, encoding: .bool, bits: 8)))
        let e = b.add(.enumeration(BTFEnum(name: b.string("unsigned"), size: 4, isSigned: false,
                                           values: [BTFEnumValue(name: b.string("volatile"), value: 0), BTFEnumValue(name: b.string("linux"), value: 1)])))
        let inner = b.add(.structure(BTFComposite(name: b.string("int"), size: 16, members: [
            BTFMember(name: b.string("signed"), type: u8, offset: 0), BTFMember(name: b.string("signed_"), type: u8, offset: 8),
            BTFMember(name: b.string("bool"), type: rustBool, offset: 16), BTFMember(name: b.string("unix"), type: u32, offset: 32),
            BTFMember(name: b.string("default"), type: e, offset: 64), BTFMember(name: b.string("i386"), type: u32, offset: 96),
        ])))
        let td = b.add(.typedef(BTFReference(name: b.string("register"), type: inner)))
        let proto = b.add(.functionProto(BTFFunctionProto(returnType: u32, parameters: [
            BTFParameter(name: b.string("auto"), type: td), BTFParameter(name: b.string("auto_"), type: u32)])))
        let fp = b.add(.pointer(BTFReference(type: proto)))
        b.add(.structure(BTFComposite(name: b.string("linux"), size: 24, members: [
            BTFMember(name: b.string("union"), type: td, offset: 0), BTFMember(name: b.string("typeof"), type: fp, offset: 128)])))
        let btf = try BTFFile(bytes: b.build())
        var out = TextOutput()
        var dumper = CDumper(btf)
        dumper.originalNames = true
        let names = dumper.dumpReturningNames(into: &out)
        let header = out.string
        for expected in ["struct int_ {", "\tunsigned char signed__; /* 'signed' */", "\tunsigned char signed_;", "\tbool_ bool_; /* 'bool' */",
                         "typedef _Bool bool_;", "enum unsigned_ {", "\tvolatile_ /* 'volatile' */ = 0,", "typedef struct int_ register_;",
                         "unsigned int (*typeof_)(register_ auto__, unsigned int auto_);"] {
            XCTAssertTrue(header.contains(expected), "missing '\(expected)' in:\n\(header)")
        }
        let dir = NSTemporaryDirectory() + "btfkit-cnames-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try (header + "\n" + dumper.layoutAssertions(names: names)).write(toFile: dir + "/k.c", atomically: true, encoding: .utf8)
        XCTAssertTrue(dumper.layoutAssertions(names: names).contains("__builtin_offsetof(struct int_, signed__) == 0"))
        let (failures, ran) = try CHeaderCompilers.check(dir + "/k.c")
        for (compiler, err) in failures { XCTFail("\(compiler): \(err)\n\(header)") }
        if ran == 0 { throw XCTSkip("no C compiler installed (apt-get install clang gcc)") }
        // bpftool's spelling of the same BTF does not compile: the test has teeth.
        var compat = CDumper(btf)
        compat.bpftoolCompatible = true
        var raw = TextOutput()
        compat.dump(into: &raw)
        try raw.string.write(toFile: dir + "/raw.c", atomically: true, encoding: .utf8)
        XCTAssertEqual(try CHeaderCompilers.check(dir + "/raw.c").failures.count, ran)
    }
}
