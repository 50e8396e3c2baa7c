import FuzzSupport
import BTF
import BTFFormat

/// libFuzzer entry point: every input is tried as raw BTF (also split over a small base),
/// as `.BTF.ext`, and through the kernel validator; every decoded type has its size and alignment
/// resolved, and it is deduplicated and diffed (the printers have their own target, FuzzPrint).
/// Any trap is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = KernelValidator(bytes: bytes).validate()
    _ = KernelValidator(bytes: bytes, base: FuzzBase.base).validate()
    exercise(try? BTFFile(bytes: bytes))
    exercise(try? BTFFile(bytes: bytes, base: FuzzBase.base))
    if let ext = try? BTFExt(bytes: bytes) {
        _ = ext.serialized()
        _ = ext.functions.count + ext.lines.count + ext.relocations.count
        if let base = FuzzBase.base {
            var out = TextOutput()
            ExtDumper(btf: base, ext: ext).dump(into: &out)
        }
    }
    return 0
}

private func exercise(_ btf: BTFFile?) {
    guard let btf else { return }
    for id in btf.ownTypeIDs {
        _ = try? btf.type(id)
        _ = try? btf.resolvedSize(id)
        _ = try? btf.alignment(id)
        _ = try? btf.skipModifiers(id)
    }
    _ = try? btf.serialized()
    _ = btf.typeIDs(named: "a")
    // Dedup (also against itself concatenated) and the structural diff take untrusted input too.
    if let (blob, _) = try? BTFDedup.deduplicate(btf) { _ = try? BTFFile(bytes: blob, base: btf.base) }
    var twice = BTFTypeTable(btf)
    if btf.base == nil {
        twice.append(BTFTypeTable(btf)) { $0 }
        _ = try? BTFDedup.deduplicate(twice, baseCount: 0)
    }
    _ = BTFDiff(btf, btf).isEmpty
}

enum FuzzBase {
    static let base: BTFFile? = {
        var b = BTFBuilder()
        let int = b.add(.int(BTFInt(name: b.string("int"), size: 4, encoding: .signed, bits: 32)))
        b.add(.pointer(BTFReference(type: int)))
        return try? BTFFile(bytes: b.build())
    }()
}

@_cdecl("FuzzBTF_main")
public func fuzzBTFMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzer(argc, argv) { data, size in fuzz(data, size) }
}
