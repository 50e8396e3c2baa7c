import BTF

/// Candidate search (btf-spec §5.4): target types whose kind is CO-RE compatible with the local
/// root's and whose essential name equals the local one. Built for a set of wanted names in one
/// pass over the target's records (no per-type decoding). For split targets the base is searched
/// first and the split's own types only when the base has no candidate, as libbpf does with
/// vmlinux and module BTFs.
struct CoreCandidates {
    struct Key: Hashable {
        var kind: UInt8
        var name: [UInt8]
    }

    private var found: [Key: (base: [TypeID], own: [TypeID])] = [:]

    static func kindGroup(_ k: BTFKind) -> UInt8 { k == .enum64 ? BTFKind.enumeration.rawValue : k.rawValue }

    /// `ownOnly`: search only the file's own types (a module's, not its base's).
    init(target: BTFFile, wanted: Set<Key>, ownOnly: Bool = false) {
        guard !wanted.isEmpty else { return }
        let lengths = Set(wanted.map(\.name.count))
        let kinds = Set(wanted.map(\.kind))
        var files: [BTFFile] = []
        var f: BTFFile? = target
        while let cur = f { files.insert(cur, at: 0); f = ownOnly ? nil : cur.base }
        for (level, file) in files.enumerated() {
            let isOwn = level == files.count - 1 && files.count > 1
            let bytes = file.data.bytes
            for id in file.ownTypeIDs {
                guard let rec = file.record(id), rec.nameOffset != .empty else { continue }
                let group = Self.kindGroup(rec.kind)
                guard kinds.contains(group), let (owner, range) = file.stringRange(rec.nameOffset) else { continue }
                let name = owner === file ? bytes[range] : owner.data.bytes[range]
                let len = CoreNames.essentialLength(name)
                guard len > 0, lengths.contains(len) else { continue }
                let key = Key(kind: group, name: Array(name.prefix(len)))
                guard wanted.contains(key) else { continue }
                if isOwn { found[key, default: ([], [])].own.append(id) } else { found[key, default: ([], [])].base.append(id) }
            }
        }
    }

    func candidates(_ key: Key) -> [TypeID] {
        guard let f = found[key] else { return [] }
        return f.base.isEmpty ? f.own : f.base
    }
}
