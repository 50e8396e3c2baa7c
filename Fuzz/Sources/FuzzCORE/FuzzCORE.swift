import BTF
import CORE
import FuzzSupport

/// libFuzzer entry point for BPF objects and CO-RE: the input is a whole ELF object. It is read
/// (sections, programs, .BTF, .BTF.ext), relocated against a small target (the minimal BTF of
/// vmlinux-6.18 for the committed CO-RE fixtures, built once at start-up from testdata/), written
/// back as a relocated object, and minimized.
private let target: BTFFile? = {
    guard let kernel = try? BTFFile(contentsOf: "testdata/kernel/vmlinux-6.18.btf.gz") else { return nil }
    let reports = ["testdata/core/core_kinds.bpfel.o", "testdata/core/many_relos.bpfel.o"].compactMap { path in
        (try? BPFObject(path: path)).map { CoreRelocator(object: $0, target: kernel).run() }
    }
    return (try? MinimalBTF.build(target: kernel, reports: reports)).flatMap { try? BTFFile(bytes: $0) }
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCORE(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard let target else { fatalError("run from the repository root: testdata/kernel/vmlinux-6.18.btf.gz not found") }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let object = try? BPFObject(bytes: bytes) else { return 0 }
    let report = CoreRelocator(object: object, target: target).run()
    for r in report.results { _ = r.line; _ = r.json }
    _ = report.summary
    if report.failures.isEmpty { _ = try? object.relocatedELF(report) }
    _ = try? MinimalBTF.build(target: target, reports: [report])
    return 0
}

@_cdecl("FuzzCORE_main")
public func fuzzCOREMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzer(argc, argv) { data, size in fuzzCORE(data, size) }
}
