import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif

/// btfkit's exit statuses (README "Exit status"): 0 success; 1 the input is bad, the kernel or the
/// check said no, a file could not be read or written (and `diff`: the inputs differ);
/// 64 (EX_USAGE) the command line is wrong: an unknown option, a missing value, options that
/// don't go together, or `-o` naming one of the inputs.
enum ExitStatus {
    static let failure: Int32 = 1
    static let usage: Int32 = 64
}

/// Prints a usage error and returns the exit status for it (64).
func usageError(_ message: String) -> ExitCode { fail(message, status: ExitStatus.usage) }

/// Refuses an output path that is one of the inputs: the same file by device and inode, so a
/// symlink or a hard link to an input counts too. Commands whose job is to replace their input
/// say so with `--in-place` and don't call this.
func refuseOverwritingInputs(output: String, inputs: [String?], hint: String = "") throws {
    var out = stat()
    guard stat(output, &out) == 0 else { return }           // a new file can't be an input
    for case let input? in inputs {
        var st = stat()
        guard stat(input, &st) == 0 else { continue }
        if st.st_dev == out.st_dev && st.st_ino == out.st_ino {
            let same = input == output ? "" : " (the same file as \(input))"
            throw usageError("refusing to overwrite the input \(output)\(same) with -o\(hint)")
        }
    }
}

// MARK: temporary files removed on SIGINT/SIGTERM

/// The path of the temporary file being written, as a C string (empty when none), for the
/// signal handler: unlink(2) is async-signal-safe, so the handler only reads this buffer.
nonisolated(unsafe) private let pendingTemporary: UnsafeMutablePointer<CChar> = {
    let p = UnsafeMutablePointer<CChar>.allocate(capacity: Int(PATH_MAX) + 1)
    p.initialize(repeating: 0, count: Int(PATH_MAX) + 1)
    return p
}()

/// Installs handlers for SIGINT, SIGTERM and SIGHUP that remove the temporary file being
/// written, then end the process by the same signal (so the shell sees the usual status).
func removeTemporaryFilesOnSignals() {
    _ = pendingTemporary                                 // allocate before any signal can come
    for sig in [SIGINT, SIGTERM, SIGHUP] {
        signal(sig) { sig in
            if pendingTemporary.pointee != 0 { unlink(pendingTemporary) }
            signal(sig, SIG_DFL)
            raise(sig)
        }
    }
}

/// Writes a file atomically: a temporary file in the target's directory, then rename(2).
/// A failure or a signal never leaves a partial file at `path` nor a temporary file behind.
/// When `path` is a symlink the bytes go to its target (the link stays); when the target exists
/// its permission bits and owner are kept, else a new file gets 0666 less the umask.
func writeAtomically(_ bytes: [UInt8], to requested: String) throws {
    try writeAtomically(to: requested) { sink in bytes.withUnsafeBytes(sink) }
}

/// `writeAtomically` for output produced in pieces: `produce` hands each piece to the sink it
/// gets (which writes it to the temporary file) and returns false on failure.
func writeAtomically(to requested: String, _ produce: ((UnsafeRawBufferPointer) -> Bool) -> Bool) throws {
    let out = try AtomicOutput(replacing: requested)
    var at = 0
    let ok = produce { buf in
        guard out.write(buf, at: at) else { return false }
        at += buf.count
        return true
    }
    try out.commit(ok)
}

/// A file being written atomically (`writeAtomically`): a temporary file in the target's
/// directory, with the target's mode and owner when it exists, that `commit` syncs and renames
/// over the target and `abandon` removes. Written at explicit offsets, so that parts of it can be
/// filled by another thread (`copy(from:range:)`) while the rest is being computed.
final class AtomicOutput: @unchecked Sendable {
    let requested: String
    /// The file replaced in the end (a symlink's target).
    let path: String
    let temporary: String
    private let fd: Int32

    init(replacing requested: String) throws {
        self.requested = requested
        var path = requested
        var lst = stat()
        if lstat(requested, &lst) == 0, lst.st_mode & S_IFMT == S_IFLNK {
            guard let resolved = realpath(requested, nil) else {
                throw fail("cannot write \(requested): it is a symlink whose target cannot be resolved (\(String(cString: strerror(errno))))")
            }
            path = String(cString: resolved)
            free(resolved)
        }
        var existing = stat()
        let exists = stat(path, &existing) == 0
        if exists && existing.st_mode & S_IFMT == S_IFDIR { throw fail("cannot write \(requested): is a directory") }
        let dir: String
        if let slash = path.lastIndex(of: "/") { dir = String(path[..<slash]).isEmpty ? "/" : String(path[..<slash]) } else { dir = "." }
        let template = Array("\(dir)/.btfkit-XXXXXX".utf8CString)
        guard template.count <= Int(PATH_MAX) else { throw fail("cannot write \(requested): path too long") }
        for (i, c) in template.enumerated() { pendingTemporary[i] = c }
        let fd = mkstemp(pendingTemporary)
        guard fd >= 0 else {
            pendingTemporary.pointee = 0
            throw fail("cannot create a temporary file in \(dir): \(String(cString: strerror(errno)))")
        }
        if exists {
            _ = fchown(fd, existing.st_uid, existing.st_gid)      // keeps the owner where allowed (root)
            _ = fchmod(fd, existing.st_mode & 0o7777)
        } else {
            let mask = umask(0)
            umask(mask)
            _ = fchmod(fd, 0o666 & ~mask)
        }
        self.path = path
        self.fd = fd
        self.temporary = String(cString: pendingTemporary)
    }

    /// Writes `buf` at byte `offset` of the temporary file; false on an I/O error.
    func write(_ buf: UnsafeRawBufferPointer, at offset: Int) -> Bool {
        guard let start = buf.baseAddress else { return true }
        var done = 0
        while done < buf.count {
            let n = pwrite(fd, start + done, buf.count - done, off_t(offset + done))
            if n < 0 { if errno == EINTR { continue }; return false }
            if n == 0 { return false }
            done += n
        }
        return true
    }

    /// Copies bytes `range` of the file at `source` to the same offsets of the temporary file,
    /// in the kernel (copy_file_range) where it can, else through a buffer; false on an error.
    func copy(from source: String, range: Range<Int>) -> Bool {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { return false }
        defer { close(input) }
        var inOffset = Int64(range.lowerBound), outOffset = Int64(range.lowerBound)
        var left = range.count
        if let copyFileRange = AtomicOutput.copyFileRange {
            while left > 0 {
                let n = copyFileRange(input, &inOffset, fd, &outOffset, min(left, 1 << 30), 0)
                if n > 0 { left -= n; continue }
                if n < 0 && errno == EINTR { continue }
                if n == 0 { return false }                  // the source is shorter than the range
                break                                       // not supported here: copy by hand
            }
        }
        guard left > 0 else { return true }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while left > 0 {
            let n = buffer.withUnsafeMutableBytes { pread(input, $0.baseAddress, min(left, $0.count), off_t(inOffset)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0, buffer.withUnsafeBytes({ write(UnsafeRawBufferPointer(rebasing: $0[0..<n]), at: Int(outOffset)) }) else { return false }
            inOffset += Int64(n); outOffset += Int64(n); left -= n
        }
        return true
    }

    /// Flushes what was written so far to disk (fdatasync), so that `commit`'s fsync has only the
    /// rest to write: called by a thread that filled most of the file, while another computes
    /// the remainder. False on an I/O error.
    func flushWritten() -> Bool { fdatasync(fd) == 0 }

    /// glibc's copy_file_range(2) wrapper (not in Swift's Glibc module), looked up once.
    typealias CopyFileRange = @convention(c) (Int32, UnsafeMutablePointer<Int64>?, Int32, UnsafeMutablePointer<Int64>?, Int, UInt32) -> Int
    static let copyFileRange: CopyFileRange? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "copy_file_range") else { return nil }
        return unsafeBitCast(symbol, to: CopyFileRange.self)
    }()

    /// Syncs the temporary file and renames it over the target when `ok`; otherwise, or when that
    /// fails, removes it and throws.
    func commit(_ ok: Bool) throws {
        var ok = ok
        if ok && fsync(fd) != 0 { ok = false }
        close(fd)
        guard ok, rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            pendingTemporary.pointee = 0
            throw fail("cannot write \(requested): \(reason)")
        }
        pendingTemporary.pointee = 0
    }

    /// Removes the temporary file; the target is left as it was.
    func abandon() {
        close(fd)
        unlink(temporary)
        pendingTemporary.pointee = 0
    }
}
