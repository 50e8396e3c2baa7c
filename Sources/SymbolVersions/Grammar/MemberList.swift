import BTF

/// A struct's or union's members as the grammar spells them, after the kABI conventions have
/// had their say (`StableKABIConventions`).
struct MemberList {
    struct Member {
        var name: StringOffset
        var type: TypeID
        var bitOffset: UInt32
        var bitfieldSize: UInt32
        /// A name set by the kABI conventions instead of the member's own ("" for none).
        var spelledName: String? = nil
    }

    var members: [Member]

    init(file: BTFFile, record r: BTFRecord) {
        members = []
        members.reserveCapacity(r.vlen)
        for m in 0..<r.vlen {
            let off = file.tailWord(r, 3 * m + 2)
            members.append(Member(name: StringOffset(file.tailWord(r, 3 * m)), type: TypeID(file.tailWord(r, 3 * m + 1)),
                                  bitOffset: r.kindFlag ? off & 0xFF_FFFF : off,
                                  bitfieldSize: r.kindFlag ? off >> 24 : 0))
        }
    }
}
