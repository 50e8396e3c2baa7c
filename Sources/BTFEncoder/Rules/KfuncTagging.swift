import BTF

/// How a FUNC goes into the table with its tags: pahole's kfunc tagging (`decl_tag_kfuncs`: a
/// `bpf_kfunc` DECL_TAG right after the FUNC, `bpf_fastcall` after it for KF_FASTCALL, then the
/// function's source tags, as pahole 1.30+ orders them) and its `attributes` for arena kfuncs.
/// Which functions are kfuncs is `KfuncSets`' job; which functions get a FUNC is
/// `FunctionSelection`'s.
extension BTFTypeTable {
    /// Appends a FUNC_PROTO (its IDs global already) and its FUNC, then the FUNC's DECL_TAGs:
    /// with decl_tag_kfuncs, bpf_kfunc (and bpf_fastcall) right after the FUNC, before its source
    /// tags, as pahole 1.30+ orders them.
    mutating func appendFunction(name: UInt32, proto: ArraySlice<UInt32>, tags: [(value: UInt32, component: Int32)],
                                 policy: SymbolPolicy, merger m: inout UnitMerger) {
        var proto = Array(proto)
        // A kfunc is found by its FUNC's name offset (`UnitMerger.kfuncFlags`), not its text.
        let kfuncFlags = policy.kfuncs.flags.isEmpty ? nil : m.kfuncFlags(policy)[name]
        if m.options.typeAttributes && m.options.declTagKfuncs && m.options.declTags,
           let flags = kfuncFlags, flags & KfuncSets.arenaFlags != 0 {
            addArenaAttributes(&proto, flags: flags, function: name, merger: &m)
        }
        let protoID = nextID
        starts.append(words.count)
        words.append(contentsOf: proto)
        let funcID = append(name: StringOffset(name), kind: .function, vlen: 0, sizeOrType: protoID.rawValue)
        if m.options.declTags && m.options.declTagKfuncs, let flags = kfuncFlags {
            let text = m.shared.text(name)
            append(name: m.shared.intern(KfuncSets.kfuncTag), kind: .declTag, sizeOrType: funcID.rawValue, tail: [UInt32(bitPattern: -1)])
            m.report.note(UnitMerger.kfuncTagged, text)
            if flags & KfuncSets.KF_FASTCALL != 0 {
                append(name: m.shared.intern(KfuncSets.fastcallTag), kind: .declTag, sizeOrType: funcID.rawValue, tail: [UInt32(bitPattern: -1)])
                m.report.note(UnitMerger.fastcallTagged, text)
            }
            m.taggedKfuncs.insert(text)
        }
        for tag in tags where m.options.declTags {
            append(name: StringOffset(tag.value), kind: .declTag, sizeOrType: funcID.rawValue, tail: [UInt32(bitPattern: tag.component)])
        }
    }

    /// pahole's `attributes` for arena kfuncs (docs/pahole-1.31-rules.md §5.3): the pointer a
    /// KF_ARENA_RET / KF_ARENA_ARG1 / KF_ARENA_ARG2 kfunc returns or takes first or second gets a
    /// TYPE_TAG "address_space(1)" with kind_flag 1 in front of its pointee (a new PTR to it), in
    /// pahole's order: return, first, second, then the prototype. Where that type is not a pointer
    /// pahole fails the whole encoding; btfkit counts it in --stats and leaves that one alone.
    mutating func addArenaAttributes(_ proto: inout [UInt32], flags: UInt32, function: UInt32, merger m: inout UnitMerger) {
        let slots: [(flag: UInt32, word: Int)] = [(KfuncSets.KF_ARENA_RET, 2), (KfuncSets.KF_ARENA_ARG1, 4), (KfuncSets.KF_ARENA_ARG2, 6)]
        for (flag, w) in slots where flags & flag != 0 {
            let i = w < proto.count ? Int(proto[w]) - Int(firstID) : -1
            guard i >= 0, i < count, kind(i) == .pointer else {
                m.report.note(KfuncSets.arenaNotPointer, m.shared.text(function))
                continue
            }
            let tag = append(name: m.shared.intern(KfuncSets.arenaAttribute), kind: .typeTag, kindFlag: true, sizeOrType: sizeOrType(i))
            proto[w] = append(name: .empty, kind: .pointer, sizeOrType: tag.rawValue).rawValue
        }
    }
}
