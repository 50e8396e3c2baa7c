import Foundation
import BTF
import TestSupport

/// Paths of the committed fixtures (testdata/ at the repository root).
enum Fixtures {
    static func path(_ relative: String) -> String { Repo.testdata(relative) }

    static let vmlinux61 = path("kernel/vmlinux-6.1.btf.gz")
    static let vmlinux618 = path("kernel/vmlinux-6.18.btf.gz")
    static let virtioBTF = path("kernel/virtio_net-6.1.btf")
    static let virtioKO = path("kernel/virtio_net-6.1.ko.gz")
    static let bpfLE = path("bpf/core_demo.bpfel.o")
    static let bpfBE = path("bpf/core_demo.bpfeb.o")

    /// Loaded once per test process; a missing or broken fixture fails the tests that use it.
    private static let loaded61 = Result { try BTFFile(contentsOf: vmlinux61) }
    private static let loaded618 = Result { try BTFFile(contentsOf: vmlinux618) }
    static var base61: BTFFile { get throws { try loaded61.get() } }
    static var base618: BTFFile { get throws { try loaded618.get() } }
}
