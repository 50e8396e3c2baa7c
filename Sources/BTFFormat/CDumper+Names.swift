import BTF

/// Names in the C header (btf-spec §4.6): libbpf's `___N` suffixes for names used twice, and the
/// C renames of names that are not C (`CIdentifiers`).
extension CDumpState {
    mutating func typeName(_ id: UInt32) -> String { resolveName(id, tags: true) }
    mutating func identName(_ id: UInt32) -> String { resolveName(id, tags: false) }

    /// The printed name of a type: its C rename if reserved, then `___N` when the name was
    /// already taken in its namespace (tags, or typedefs and enumerators). FWDs and forward-
    /// declared enums keep their name, as in libbpf.
    mutating func resolveName(_ id: UInt32, tags: Bool) -> String {
        guard let r = rec(id), r.nameOffset != .empty else { return "" }
        if nameResolved[Int(id)], let cached = cachedName[Int(id)] { return cached }
        let orig = str(r.nameOffset.rawValue)
        if nameResolved[Int(id)] { return orig }
        nameResolved[Int(id)] = true
        let printed = cName(of: r, orig)
        if printed != orig { cachedName[Int(id)] = printed }
        if r.kind == .forward || (r.kind == .enumeration && r.vlen == 0) { return printed }
        let dups = tags ? CDumpState.bump(&typeNames, printed) : CDumpState.bump(&identNames, printed)
        if dups > 1 { cachedName[Int(id)] = "\(printed)___\(dups)" }
        return cachedName[Int(id)] ?? printed
    }

    /// A type's own name as C may print it: base types that are C spellings (`int`,
    /// `unsigned char`) and the kernel's `typedef _Bool bool` keep theirs.
    func cName(of r: Rec, _ orig: String) -> String {
        guard renames else { return orig }
        if (r.kind == .int || r.kind == .float) && CDumpState.isCTypeName(orig) { return orig }
        if r.kind == .typedef && isBoolTypedef(r) { return orig }
        return CIdentifiers.printable(orig)
    }

    /// An INT or FLOAT whose name is reserved but not a C type spelling (Rust's `bool`): its
    /// rename, else nil.
    func renamedBaseType(_ r: Rec) -> String? {
        guard renames else { return nil }
        let name = str(r.nameOffset.rawValue)
        return CIdentifiers.isReserved(name) && !CDumpState.isCTypeName(name) ? CIdentifiers.printable(name) : nil
    }

    /// Whether the string at `offset` is reserved in C (cached per offset: members repeat).
    mutating func isReservedString(_ offset: UInt32) -> Bool {
        if let cached = reservedCache[offset] { return cached }
        let r = CIdentifiers.isReserved(str(offset))
        reservedCache[offset] = r
        return r
    }

    /// The printed names of a struct's members (stride 3) or a prototype's parameters (stride 2)
    /// when one of them must be renamed (`CIdentifiers.printable(siblings:)`); nil when none
    /// does, so the common case prints straight from the string section.
    mutating func memberNames(_ r: Rec, stride: Int) -> [String]? {
        guard renames, r.vlen > 0 else { return nil }
        var any = false
        for k in 0..<r.vlen where isReservedString(tail(r, stride * k)) { any = true; break }
        guard any else { return nil }
        return CIdentifiers.printable(siblings: (0..<r.vlen).map { str(tail(r, stride * $0)) })
    }

    /// The kernel's `typedef _Bool bool`: C23's `bool` is the same type.
    func isBoolTypedef(_ r: Rec) -> Bool {
        guard r.kind == .typedef, str(r.nameOffset.rawValue) == "bool", let t = rec(r.sizeOrType) else { return false }
        return t.kind == .int && t.sizeOrType == 1 && (tail(t, 0) >> 24) & 4 != 0
    }

    /// An enum of just `false = 0` and `true = 1` (the kernel's): C23's constants mean the same.
    func isBooleanEnum(_ r: Rec) -> Bool {
        guard r.kind == .enumeration, r.vlen > 0, r.vlen <= 2 else { return false }
        for e in 0..<r.vlen {
            switch (str(tail(r, 2 * e)), tail(r, 2 * e + 1)) {
            case ("false", 0), ("true", 1): continue
            default: return false
            }
        }
        return true
    }

    static func bump(_ map: inout [String: Int], _ name: String) -> Int {
        let n = (map[name] ?? 0) + 1
        map[name] = n
        return n
    }
}
