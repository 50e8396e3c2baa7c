import FuzzSupport
import BTF
import BTFFormat

/// libFuzzer entry point for the printers: any input that loads as BTF (alone, or split over a
/// small base) must print as raw text, JSON, a C header (btfkit's and bpftool-compatible, with
/// original-name comments), C layout assertions and Rust bindings with their layout assertions,
/// within bounded output, without trapping.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    printAll(try? BTFFile(bytes: bytes))
    printAll(try? BTFFile(bytes: bytes, base: PrintBase.base))
    return 0
}

private func printAll(_ btf: BTFFile?) {
    guard let btf else { return }
    var raw = TextOutput()
    RawDumper(btf).dump(into: &raw)
    RawDumper(btf, originalNames: true).dump(into: &raw)
    var json = TextOutput()
    JSONDumper(btf).dump(into: &json)
    for compatible in [false, true] {
        var c = TextOutput()
        var dumper = CDumper(btf)
        dumper.bpftoolCompatible = compatible
        dumper.originalNames = !compatible
        let names = dumper.dumpReturningNames(into: &c)
        _ = dumper.layoutAssertions(names: names)
        // A subset: the first few named types and what they need.
        var sub = TextOutput()
        dumper.dump(into: &sub, roots: Array(btf.ownTypeIDs.prefix(3)))
    }
    var rs = TextOutput()
    let rust = RustDumper(btf)
    rust.dump(into: &rs)
    _ = rust.layoutAssertions(names: rust.names())
}

enum PrintBase {
    static let base: BTFFile? = {
        var b = BTFBuilder()
        let int = b.add(.int(BTFInt(name: b.string("int"), size: 4, encoding: .signed, bits: 32)))
        b.add(.pointer(BTFReference(type: int)))
        return try? BTFFile(bytes: b.build())
    }()
}

@_cdecl("FuzzPrint_main")
public func fuzzPrintMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzer(argc, argv) { data, size in fuzz(data, size) }
}
