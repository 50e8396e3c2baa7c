import BTF

/// gendwarfksyms `--stable`: the member conventions of include/linux/kabi.h, which let a
/// distribution change a struct without changing its symbols' versions (docs/symvers.md, "kABI").
///
/// - A member whose name starts with `__kabi_` is spelled without its name.
/// - A union member is judged by its first two members — a member that is a struct by that
///   struct's first member — and their names:
///   - `__kabi_reserved*`: the union stands in for the original member it replaced
///     (`KABI_USE`, `KABI_REPLACE`): it is spelled as that placeholder's type, with the union
///     member's own name and offset;
///   - `__kabi_renamed<orig>`: the same, under the original name `<orig>` (`KABI_REPLACE` of a
///     named member);
///   - `__kabi_ignored*`: the whole union member is left out (`KABI_IGNORE`).
///
/// gendwarfksyms does not check sizes here either: the macros' `_Static_assert`s do.
enum StableKABIConventions {
    static let prefix = "__kabi_"
    static let reserved = "__kabi_reserved"
    static let renamed = "__kabi_renamed"
    static let ignored = "__kabi_ignored"

    enum Status {
        case normal
        case reserved(placeholder: TypeID, originalName: String?)
        case ignored
    }

    static func apply(to list: inout MemberList, file: BTFFile) {
        var kept: [MemberList.Member] = []
        kept.reserveCapacity(list.members.count)
        for var m in list.members {
            switch status(ofMemberType: m.type, file: file) {
            case .ignored:
                continue
            case let .reserved(placeholder, originalName):
                m.type = placeholder
                if let originalName { m.spelledName = originalName }
            case .normal:
                break
            }
            if m.spelledName == nil, file.string(m.name).hasPrefix(prefix) { m.spelledName = "" }
            kept.append(m)
        }
        list.members = kept
    }

    /// The kABI status of a member's type: only a union can be a kABI construct.
    static func status(ofMemberType type: TypeID, file: BTFFile) -> Status {
        guard let u = file.record(type), u.kind == .union else { return .normal }
        for i in 0..<min(u.vlen, 2) {
            var name = file.string(StringOffset(file.tailWord(u, 3 * i)))
            var memberType = TypeID(file.tailWord(u, 3 * i + 1))
            if name.isEmpty, let s = file.record(memberType), s.kind == .structure, s.vlen > 0 {
                // A struct member is judged by its first member, whose type is the placeholder.
                name = file.string(StringOffset(file.tailWord(s, 0)))
                memberType = TypeID(file.tailWord(s, 1))
            }
            if name.hasPrefix(reserved) { return .reserved(placeholder: memberType, originalName: nil) }
            if name.hasPrefix(renamed) {
                return .reserved(placeholder: memberType, originalName: String(name.dropFirst(renamed.count)))
            }
            if name.hasPrefix(ignored) { return .ignored }
        }
        return .normal
    }
}
