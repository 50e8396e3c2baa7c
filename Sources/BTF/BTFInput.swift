import BinaryReader
import ELF
import Inflate
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Reading BTF from files: raw BTF (also `/sys/kernel/btf/*`), gzip-compressed raw BTF, or the
/// `.BTF` section of an ELF object, module or executable (ELF32/64, either byte order).
public enum BTFInput {
    /// Reads a whole file. Works for sysfs files whose reported size is 0 or wrong.
    public static func readFile(_ path: String) throws(BTFError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw BTFError(.io, "cannot open: \(String(cString: strerror(errno)))", section: path)
        }
        defer { close(fd) }
        var st = stat()
        var capacity = 1 << 16
        if fstat(fd, &st) == 0, st.st_size > 0 { capacity = Int(min(st.st_size, 1 << 28)) + 1 }
        var out = [UInt8](repeating: 0, count: capacity)
        var used = 0
        while true {
            if used == out.count { out.append(contentsOf: repeatElement(0, count: out.count)) }
            let n = out.withUnsafeMutableBytes { buf in
                read(fd, buf.baseAddress.map { $0 + used }, buf.count - used)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw BTFError(.io, "read failed: \(String(cString: strerror(errno)))", section: path, offset: used)
            }
            if n == 0 { break }
            used += n
        }
        out.removeSubrange(used...)
        return out
    }

    /// Where the running kernel exposes its BTF.
    public static let kernelBTFPath = "/sys/kernel/btf/vmlinux"

    /// True for `/sys/kernel/btf/<module>`: split BTF whose base is the kernel's.
    public static func isKernelModuleBTF(path: String) -> Bool {
        path.hasPrefix("/sys/kernel/btf/") && path != kernelBTFPath
    }

    /// Reads a file and undoes gzip compression if present.
    public static func readMaybeCompressed(_ path: String) throws(BTFError) -> [UInt8] {
        let bytes = try readFile(path)
        guard Inflate.isGzip(bytes) else { return bytes }
        do {
            return try Inflate.decompress(bytes, limit: 1 << 30)
        } catch {
            throw BTFError(.io, "gzip: \(error.message)", section: path)
        }
    }

    /// The `.BTF` bytes of a file: the file itself for raw BTF, or its ELF `.BTF` section.
    public static func btfBytes(fromFile path: String) throws(BTFError) -> (bytes: [UInt8], section: String) {
        let bytes = try readMaybeCompressed(path)
        guard ELFFile.isELF(bytes) else { return (bytes, path) }
        return (try section(".BTF", of: bytes, path: path), "\(path):.BTF")
    }

    /// The contents of a named section of an ELF image, decompressed if SHF_COMPRESSED.
    public static func section(_ name: String, of bytes: [UInt8], path: String) throws(BTFError) -> [UInt8] {
        do {
            let elf = try ELFFile(bytes: bytes)
            guard let sec = elf.section(named: name) else {
                throw BTFError(.noBTFSection, "ELF file has no \(name) section", section: path)
            }
            var contents = try elf.contents(of: sec)
            if sec.flags & ELFSection.SHF_COMPRESSED != 0 {
                let ch = try elf.compressionHeader(of: sec)
                guard ch.type == 1 else {
                    throw BTFError(.io, "section \(name) uses compression type \(ch.type); only zlib (1) is supported",
                                   section: path)
                }
                do {
                    contents = try Inflate.decompress(Array(contents.dropFirst(ch.headerLength)),
                                                      expectedSize: Int(clamping: ch.size), limit: 1 << 30)
                } catch {
                    throw BTFError(.io, "section \(name): \(error.message)", section: path)
                }
            }
            return contents
        } catch let e as BTFError {
            throw e
        } catch let e as ELFError {
            throw BTFError(.io, e.description, section: path)
        } catch {
            throw BTFError(.io, "\(error)", section: path)
        }
    }
}

extension BTFFile {
    /// Opens raw BTF, gzip-compressed raw BTF, or an ELF file's `.BTF` section.
    public convenience init(contentsOf path: String, base: BTFFile? = nil) throws(BTFError) {
        let (bytes, section) = try BTFInput.btfBytes(fromFile: path)
        try self.init(bytes: bytes, base: base, section: section)
    }
}
