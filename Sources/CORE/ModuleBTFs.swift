import BTF
#if canImport(Glibc)
import Glibc
#endif

/// The running kernel's module BTFs (`/sys/kernel/btf/<module>`, split over vmlinux), the second
/// place libbpf searches for CO-RE candidates. Unreadable entries are skipped.
public enum ModuleBTFs {
    public static func running(over vmlinux: BTFFile, directory: String = "/sys/kernel/btf") -> [(name: String, btf: BTFFile)] {
        guard let dir = opendir(directory) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." && name != "vmlinux" { names.append(name) }
        }
        return names.sorted().compactMap { name in
            (try? BTFFile(contentsOf: directory + "/" + name, base: vmlinux)).map { (name, $0) }
        }
    }
}
