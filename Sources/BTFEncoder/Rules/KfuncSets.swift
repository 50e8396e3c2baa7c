import BinaryReader
import ELF

/// The kfuncs of a kernel image or module, read from `.BTF_ids` for pahole's `decl_tag_kfuncs`
/// (pahole 1.27+; docs/pahole-1.31-rules.md §5; the layout is the kernel's
/// include/linux/btf_ids.h).
///
/// `BTF_KFUNCS_START(set)` … `BTF_ID_FLAGS(func, name, flags)` … `BTF_KFUNCS_END(set)` put a
/// `btf_id_set8` into `.BTF_ids`: `u32 cnt; u32 flags;` then `{u32 id; u32 flags}` per function.
/// The set has a symbol `__BTF_ID__set8__<set>` whose size covers it; each function's pair has a
/// symbol `__BTF_ID__func__<name>__<N>`. A set whose own flags have `BTF_SET8_KFUNCS` (bit 0) is a
/// kfunc set (other set8s are plain ID lists); each function in one is a kfunc, with its pair's
/// flags (`KF_FASTCALL`, bit 12, asks for a `bpf_fastcall` tag too).
///
/// Words are read in the file's byte order. Nothing here traps on a bad section: a set whose
/// header lies outside `.BTF_ids`, whose `cnt` overruns it or its symbol, or a function entry
/// outside the section is counted in `problems` (shown by `--stats`) and skipped.
public struct KfuncSets: Sendable {
    public static let setPrefix: StaticString = "__BTF_ID__set8__"
    public static let functionPrefix: StaticString = "__BTF_ID__func__"
    public static let BTF_SET8_KFUNCS: UInt32 = 1 << 0
    public static let KF_FASTCALL: UInt32 = 1 << 12
    /// The kfunc returns, or takes as first or second argument, a BPF arena pointer (pahole's
    /// `attributes`: an `address_space(1)` type tag).
    public static let KF_ARENA_RET: UInt32 = 1 << 13
    public static let KF_ARENA_ARG1: UInt32 = 1 << 14
    public static let KF_ARENA_ARG2: UInt32 = 1 << 15
    static let arenaFlags = KF_ARENA_RET | KF_ARENA_ARG1 | KF_ARENA_ARG2
    public static let arenaAttribute = "address_space(1)"
    /// The DECL_TAG values pahole emits.
    public static let kfuncTag = "bpf_kfunc"
    public static let fastcallTag = "bpf_fastcall"

    /// Function name → the flags of its entry in a kfunc set (the last entry wins, as in pahole).
    public private(set) var flags: [String: UInt32] = [:]
    /// Bad input, counted by reason with an example (set or symbol name).
    public private(set) var problems = EncoderReport()

    public init() {}

    /// Reads the sets from `elf`'s `.BTF_ids`, with the file's symbols (already read).
    public init(elf: ELFFile, symbols: ELFSymbolTable) {
        guard let section = elf.sections.first(where: { $0.name == ".BTF_ids" }) else { return }
        guard let bytes = try? elf.contents(of: section) else {
            problems.note(KfuncSets.unreadable, ".BTF_ids")
            return
        }
        let words = ByteBuffer(bytes, endianness: elf.endianness, section: ".BTF_ids")
        let index = UInt16(truncatingIfNeeded: section.index)
        // A symbol's offset in the section: its value in a .o, value − sh_addr in a linked file.
        func offset(_ s: ELFSymbolEntry) -> UInt64 {
            elf.type == SectionPlacement.ET_REL ? s.value : s.value &- section.address
        }
        let size = UInt64(bytes.count)
        // Pass 1: kfunc sets, as ranges of section offsets.
        var ranges: [Range<UInt64>] = []
        // The section's symbols, picked out once for both passes (a few thousand of a kernel's
        // 190,000; the names of the others are never looked at).
        let inSection = Array((0..<symbols.count).lazy.map { symbols[$0] }.filter { $0.sectionIndex == index })
        for s in inSection where symbols.name(s, hasPrefix: KfuncSets.setPrefix) {
            let setName = symbols.name(s)
            let start = offset(s)
            guard start <= size, size - start >= 8, let count = try? words.u32(at: Int(start)),
                  let setFlags = try? words.u32(at: Int(start) + 4) else {
                problems.note(KfuncSets.truncatedSet, setName)
                continue
            }
            guard setFlags & KfuncSets.BTF_SET8_KFUNCS != 0 else { continue }
            // The set's extent: its symbol's size (BTF_SET8_END sets it); without one, the
            // entries `cnt` says. Either must fit the section.
            let entries = 8 &+ UInt64(count) &* 8
            let extent = s.size > 0 ? s.size : entries
            guard extent <= size - start, s.size == 0 || entries <= s.size || count == 0 else {
                problems.note(KfuncSets.setOverruns, "\(setName) (cnt \(count), \(s.size) bytes, section \(size) bytes)")
                ranges.append(start..<(start + min(extent, size - start)))
                continue
            }
            ranges.append(start..<(start + extent))
        }
        guard !ranges.isEmpty else { return }
        // Pass 2: the functions whose pair lies in a kfunc set.
        for s in inSection where symbols.name(s, hasPrefix: KfuncSets.functionPrefix) {
            let at = offset(s)
            guard ranges.contains(where: { $0.contains(at) }) else { continue }
            let symbolName = symbols.name(s)
            guard let name = KfuncSets.functionName(symbolName) else {
                problems.note(KfuncSets.badSymbol, symbolName)
                continue
            }
            guard at <= size, size - at >= 8, let entryFlags = try? words.u32(at: Int(at) + 4) else {
                problems.note(KfuncSets.entryOutside, symbolName)
                continue
            }
            flags[name] = entryFlags
        }
    }

    /// `__BTF_ID__func__<name>__<N>` → name: the last `_` must follow another `_`, and the name
    /// is what lies between the prefix and that `__` (pahole's rule; `foo__bar__7` → `foo__bar`).
    static func functionName(_ symbol: String) -> String? {
        let bytes = Array(symbol.utf8.dropFirst(functionPrefix.utf8CodeUnitCount))
        guard let last = bytes.lastIndex(of: UInt8(ascii: "_")), last >= 2, bytes[last - 1] == UInt8(ascii: "_") else { return nil }
        return String(decoding: bytes[..<(last - 1)], as: UTF8.self)
    }

    static let unreadable = "kfunc sets: .BTF_ids unreadable"
    static let truncatedSet = "kfunc sets: set8 header outside .BTF_ids (skipped)"
    static let setOverruns = "kfunc sets: set8 count overruns its symbol or .BTF_ids"
    static let badSymbol = "kfunc sets: __BTF_ID__func__ symbol without a name"
    static let entryOutside = "kfunc sets: function entry outside .BTF_ids (skipped)"
    static let notEncoded = "kfunc sets: kfunc without an encoded FUNC (no tag)"
    static let arenaNotPointer = "attributes: KF_ARENA_* flag on a type that is not a pointer (left alone; pahole fails)"
}
