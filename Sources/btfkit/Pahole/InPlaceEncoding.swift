import BTF
import BTFEncoder
import Dispatch
import ELF
import ObjectFile
import Synchronization

/// `pahole -J FILE` in place, with the file's rewrite overlapped with the encoding: FILE's bytes
/// that stay as they are (all but the ELF header, an old `.BTF` at the end and the section
/// header table; `SectionEdit.kept`) are copied into the new file in the kernel
/// (copy_file_range) on another thread from the moment every unit is converted, while the
/// encoder's serial tail (appending, dedup, string table) runs. Then the new header and what
/// follows the kept bytes are written around them, and the new file replaces FILE atomically,
/// as `writeAtomically` does.
enum InPlaceEncoding {
    /// Encodes `file` and replaces its `.BTF`; nil when the file has no DWARF (it is then left
    /// alone). With a distilled base two sections change (`.BTF` and `.BTF.base`): that file is
    /// written whole afterwards, not overlapped.
    static func run(file: String, base: BTFFile?, options: EncoderOptions) throws -> EncodeResult? {
        if options.distilledBase && base != nil {
            let result: EncodeResult
            do { result = try Encoder.encode(path: file, base: base, options: options) }
            catch EncoderError.noDWARF { return nil }
            try PaholeFrontEnd.writeEmbedded(result, from: file, to: file)
            return result
        }
        let elf = try ObjectFile.openELF(file)
        // Where the kept bytes lie does not depend on the new contents.
        let kept = try elf.editingSection(named: ".BTF", contents: []).kept
        let out = try AtomicOutput(replacing: file)
        let copy = BackgroundCopy(from: file, range: kept, into: out)
        let result: EncodeResult
        do {
            result = try Encoder.encode(path: file, base: base, options: options, whenConverted: { copy.start() })
        } catch {
            copy.stop()
            out.abandon()
            if case EncoderError.noDWARF = error { return nil }
            throw error
        }
        copy.start()                 // in case no worker announced it (an empty unit list)
        let copied = copy.wait()
        let edit = try elf.editingSection(named: ".BTF", contents: result.blob)
        guard copied, edit.kept == kept, edit.head.count == kept.lowerBound else {
            // Not what was prepared (cannot happen for one file, but never write a wrong image).
            out.abandon()
            try PaholeFrontEnd.writeEmbedded(result, from: file, to: file)
            return result
        }
        let ok = edit.head.withUnsafeBytes { out.write($0, at: 0) }
            && edit.tail.withUnsafeBytes { out.write($0, at: kept.upperBound) }
        try out.commit(ok)
        return result
    }
}

/// A copy of a file range into an `AtomicOutput`, flushed to disk, run once on a global queue
/// when `start` is first called; `wait` returns whether it succeeded.
final class BackgroundCopy: @unchecked Sendable {
    private let source: String
    private let range: Range<Int>
    private let output: AtomicOutput
    private let started = Mutex(false)
    private let done = DispatchSemaphore(value: 0)
    private var succeeded = false

    init(from source: String, range: Range<Int>, into output: AtomicOutput) {
        self.source = source
        self.range = range
        self.output = output
    }

    func start() {
        let first = started.withLock { s -> Bool in defer { s = true }; return !s }
        guard first else { return }
        DispatchQueue.global().async {
            // The copy, then its flush to disk, both while the encoder's tail runs.
            self.succeeded = self.output.copy(from: self.source, range: self.range) && self.output.flushWritten()
            self.done.signal()
        }
    }

    /// Makes sure no copy runs any more: one that has not started never will; one that has is
    /// waited for. (Before the output is abandoned.)
    func stop() {
        let neverStarted = started.withLock { s -> Bool in defer { s = true }; return !s }
        if !neverStarted { _ = wait() }
    }

    /// Waits for the copy (which must have been started) and tells whether it worked.
    func wait() -> Bool {
        done.wait()
        done.signal()
        return succeeded
    }
}
