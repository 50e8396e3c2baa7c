import BTF

/// gendwarfksyms `--stable` member conventions (include/linux/kabi.h). Filled in below.
enum StableKABIConventions {
    static func apply(to members: inout MemberList, file: BTFFile) {}
}
