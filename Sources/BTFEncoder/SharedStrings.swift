import BTF
import DWARF
import Synchronization

/// The string section shared by all workers. Workers intern here directly, under the lock, only
/// when a name is neither preinterned nor in their own name cache, so the records they produce
/// already hold final offsets.
///
/// Without a base, the section starts with a copy of the file's .debug_str (`StringInterner(preloading:)`): a
/// name a DIE gives by .debug_str offset (DW_FORM_strp, or strx through .debug_str_offsets) then
/// has a known offset here, `preinterned`, found without hashing, locking or reading the string
/// (on Debian's 6.12 vmlinux that is nearly every name of the 4.35 million records).
final class SharedStrings: @unchecked Sendable {
    private let state: Mutex<StringInterner>
    private let baseStrings: StringSpaceIndex?
    private let base: BTFFile?
    /// The .debug_str offsets whose string this section holds at `1 + offset`, as a valid
    /// identifier (immutable after init, read by every worker without the lock).
    let preinterned: PreinternedNames

    init(base: BTFFile?, debugStr: SectionData? = nil) {
        self.base = base
        baseStrings = base.map { StringSpaceIndex($0) }
        let baseOffset = base?.stringSpaceEnd ?? 0
        // Not for split BTF: a module's .debug_str keeps a copy of a string per object linked
        // into it (`ld -r` does not merge them), and most of its names are the base's, which
        // keep the base's offsets; there the name cache serves better.
        guard base == nil, let debugStr, !debugStr.buffer.isEmpty,
              UInt64(debugStr.buffer.count) + UInt64(baseOffset) < UInt64(Int32.max) else {
            state = Mutex(StringInterner(baseOffset: baseOffset))
            preinterned = PreinternedNames(sectionSize: 0, baseOffset: baseOffset)
            return
        }
        var names = PreinternedNames(sectionSize: debugStr.buffer.count, baseOffset: baseOffset)
        let interner = StringInterner(baseOffset: baseOffset, preloading: debugStr.buffer) { offset, bytes in
            if NamePolicy.isValid(bytes) { names.insert(offset) }
            return true
        }
        state = Mutex(interner)
        preinterned = names
    }

    func intern(_ s: String) -> StringOffset {
        var s = s
        return s.withUTF8 { intern($0) }
    }

    func text(_ offset: UInt32) -> String {
        if let base, offset < base.stringSpaceEnd { return base.string(StringOffset(offset)) }
        return state.withLock { $0.string(at: StringOffset(offset)) }
    }

    /// The offset of `bytes` (up to a NUL), adding it if new; a base's own offset for a string
    /// the base has.
    func intern(_ bytes: UnsafeBufferPointer<UInt8>) -> StringOffset {
        if let b = baseStrings?.offset(of: bytes) { return StringOffset(b) }
        return state.withLock { $0.intern(bytes) }
    }

    /// The offset of the name at .debug_str offset `key` (`UnitStrings.key`), `bytes` being its
    /// text: with the preload, the string is found or indexed where it lies in the copy, even
    /// inside a longer string (`StringInterner.intern(preloadedAt:)`), so that the caller can
    /// preintern that offset for the next time (`PreinternedNames.learn`).
    func intern(debugStrOffset key: UInt64, _ bytes: UnsafeBufferPointer<UInt8>) -> StringOffset {
        guard preinterned.covers(key) else { return intern(bytes) }
        return state.withLock { $0.intern(preloadedAt: Int(key) + 1) } ?? intern(bytes)
    }

    func finish() -> StringInterner { state.withLock { $0 } }
}

/// Which .debug_str offsets `SharedStrings` preinterned: one bit per byte of the section (a
/// 4.6 MB .debug_str takes 570 KB, which stays in cache where a hash table of its strings would
/// not), set where an indexed string that is a valid identifier starts, and (in a worker's copy)
/// where it found a name inside a longer string that the shared table indexed in place.
struct PreinternedNames: Sendable {
    private var bits: [UInt64]
    private let sectionSize: UInt64
    private let baseOffset: UInt32

    init(sectionSize: Int, baseOffset: UInt32) {
        self.sectionSize = UInt64(sectionSize)
        self.baseOffset = baseOffset
        bits = Array(repeating: 0, count: (sectionSize + 63) / 64)
    }

    mutating func insert(_ offset: Int) { bits[offset >> 6] |= 1 << UInt64(offset & 63) }

    /// Whether `key` is a .debug_str offset of the preloaded section.
    @inline(__always) func covers(_ key: UInt64) -> Bool { key < sectionSize }

    /// Notes that the name at .debug_str offset `key` was interned at `offset`: when that is
    /// where the preload holds it (a name inside a longer string, indexed there on first use),
    /// the next lookup of `key` finds it here. Each worker learns into its own copy.
    @inline(__always) mutating func learn(_ key: UInt64, interned offset: UInt32) -> Bool {
        guard key < sectionSize, offset == place(of: key) else { return false }
        insert(Int(key))
        return true
    }

    /// The interned offset of the name at this `UnitStrings.key`, when it is a preinterned
    /// .debug_str offset.
    @inline(__always)
    func offset(ofKey key: UInt64) -> UInt32? {
        guard key < sectionSize else { return nil }          // line strings have bit 62 set
        let k = Int(key)
        guard bits.withUnsafeBufferPointer({ $0[k >> 6] }) & (1 << UInt64(k & 63)) != 0 else { return nil }
        return place(of: key)
    }

    /// Where the shared table's copy holds the string at .debug_str offset `key` (< `sectionSize`).
    @inline(__always) private func place(of key: UInt64) -> UInt32 {
        baseOffset &+ 1 &+ UInt32(truncatingIfNeeded: key)
    }
}
