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
        do {
            return try readWholeFile(path)
        } catch {
            if case let .invalid(text) = error.reason { throw BTFError(.io, text, section: path, offset: error.offset == 0 ? nil : error.offset) }
            if case let .file(text) = error.reason { throw BTFError(.io, text, section: path) }
            throw BTFError(.io, error.description, section: path)
        }
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
        // An uncompressed ELF file (a vmlinux as a module's base: ~100+ MB) is mapped and only its
        // .BTF read; sysfs files, raw BTF and gzip'd files are read whole.
        if let head = try? FileBytes(mapping: path).prefix(4), ELFFile.isELF(head), let elf = try? ELFFile(mappingFile: path) {
            return (try section(".BTF", of: elf, path: path), "\(path):.BTF")
        }
        let bytes = try readMaybeCompressed(path)
        guard ELFFile.isELF(bytes) else { return (bytes, path) }
        return (try section(".BTF", of: bytes, path: path), "\(path):.BTF")
    }

    /// The contents of a named section of an ELF image, decompressed if SHF_COMPRESSED.
    public static func section(_ name: String, of bytes: [UInt8], path: String) throws(BTFError) -> [UInt8] {
        let elf: ELFFile
        do { elf = try ELFFile(bytes: bytes) } catch { throw BTFError(.io, error.description, section: path) }
        return try section(name, of: elf, path: path)
    }

    /// The contents of a named section of an ELF file (mapped or in memory), decompressed if
    /// SHF_COMPRESSED.
    public static func section(_ name: String, of elf: ELFFile, path: String) throws(BTFError) -> [UInt8] {
        do {
            guard let sec = elf.section(named: name) else {
                throw BTFError(.noBTFSection, "ELF file has no \(name) section", section: path)
            }
            return try elf.decompressedContents(of: sec)
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
