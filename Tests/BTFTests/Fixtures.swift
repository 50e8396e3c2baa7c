import Foundation
import BTF

/// Paths of the committed fixtures (testdata/ at the repository root).
enum Fixtures {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    static func path(_ relative: String) -> String { root + "/testdata/" + relative }

    static let vmlinux61 = path("kernel/vmlinux-6.1.btf.gz")
    static let vmlinux618 = path("kernel/vmlinux-6.18.btf.gz")
    static let virtioBTF = path("kernel/virtio_net-6.1.btf")
    static let virtioKO = path("kernel/virtio_net-6.1.ko.gz")
    static let bpfLE = path("bpf/core_demo.bpfel.o")
    static let bpfBE = path("bpf/core_demo.bpfeb.o")

    /// Loaded once per test process.
    static let base61: BTFFile = { try! BTFFile(contentsOf: vmlinux61) }()  // test-only: a missing fixture should crash loudly
    static let base618: BTFFile = { try! BTFFile(contentsOf: vmlinux618) }()
}
