/// Names BTF needs as C identifiers (btf-spec §2.3: STRUCT, UNION, ENUM, FWD, TYPEDEF, FUNC, VAR,
/// members, enumerators, parameters), made valid without losing information. The scheme is
/// bpf-linker's, so BTF from both tools agrees:
///
/// - every byte outside `[A-Za-z0-9_]` becomes `_XX_` with XX its uppercase hex value
///   (`Option<u32>` → `Option_3C_u32_3E_`, `core::fmt` → `core_3A__3A_fmt`);
/// - a leading digit gets a `_` prefix;
/// - a result longer than `maxLength` (128, what every kernel accepts) keeps its first
///   `maxLength - 18` bytes and appends `_h` and the 16 hex digits of the FNV-1a 64-bit hash of
///   the *original* name (offset basis 0xcbf29ce484222325, prime 0x100000001b3), so the name is
///   stable across releases and platforms and distinct names stay distinct.
///
/// Valid C identifiers are left unchanged, so C BTF is never affected. Decoding `_XX_` back is
/// exact for names that did not themselves contain such a sequence.
public enum NamePolicy {
    public static let maxLength = 128
    /// For FUNC and VAR names (linkage names), which must equal the kallsyms symbol to attach:
    /// KSYM_NAME_LEN - 1 of kernels ≥ 6.1.
    public static let symbolMaxLength = 511

    @inline(__always)
    static func isIdentifierByte(_ b: UInt8, first: Bool) -> Bool {
        (b >= 0x61 && b <= 0x7a) || (b >= 0x41 && b <= 0x5a) || b == 0x5f || (!first && b >= 0x30 && b <= 0x39)
    }

    /// True when `name` can be used as it is.
    public static func isValid(_ name: UnsafeBufferPointer<UInt8>, maxLength: Int = NamePolicy.maxLength) -> Bool {
        guard !name.isEmpty, name.count <= maxLength else { return name.isEmpty }
        for (i, b) in name.enumerated() where !isIdentifierByte(b, first: i == 0) { return false }
        return true
    }

    /// The escaped form of a name that is not a valid identifier.
    public static func escape(_ name: UnsafeBufferPointer<UInt8>, maxLength: Int = NamePolicy.maxLength) -> [UInt8] {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(name.count + 8)
        if let first = name.first, first >= 0x30 && first <= 0x39 { out.append(0x5f) }
        for b in name {
            if isIdentifierByte(b, first: false) { out.append(b) }
            else { out += [0x5f, hex[Int(b >> 4)], hex[Int(b & 0xf)], 0x5f] }
        }
        if out.count > maxLength {
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            for b in name { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
            out.removeSubrange((maxLength - 18)...)
            out += Array("_h".utf8)
            for k in (0..<16).reversed() { out.append(hex[Int((h >> (UInt64(k) * 4)) & 0xf)]) }
        }
        return out
    }

    /// True when `unescape(escape(name)) == name`: no hash cap, only ASCII, and no `_XX_`
    /// sequence (X an uppercase hex digit) of its own. Other names get a "name=" DECL_TAG.
    public static func isReversible(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        if escape(name).count >= maxLength { return false }
        if name.contains(where: { $0 >= 0x80 }) { return false }
        if let first = name.first, first >= 0x30 && first <= 0x39 { return false }
        guard name.count >= 4 else { return true }
        for i in 0...(name.count - 4) where name[i] == 0x5f && name[i + 3] == 0x5f && isHex(name[i + 1]) && isHex(name[i + 2]) {
            return false
        }
        return true
    }

    public static func isReversibleString(_ name: String) -> Bool {
        var s = name
        return s.withUTF8 { isReversible($0) }
    }

    static func isHex(_ b: UInt8) -> Bool { (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) }

    /// Undoes `escape` for reversible names: each `_XX_` whose byte is printable ASCII outside
    /// `[A-Za-z0-9_]` (the only ones `escape` writes for them) becomes that byte. Meant for BTF
    /// btfkit made from Rust; a C name that happens to contain such a sequence would be changed.
    public static func unescape(_ name: String) -> String {
        let b = Array(name.utf8)
        var out: [UInt8] = []
        var i = 0
        while i < b.count {
            if i + 3 < b.count, b[i] == 0x5f, b[i + 3] == 0x5f, isHex(b[i + 1]), isHex(b[i + 2]),
               let v = UInt8(String(decoding: b[(i + 1)...(i + 2)], as: UTF8.self), radix: 16),
               v >= 0x20, v <= 0x7e, !isIdentifierByte(v, first: false) {
                out.append(v)
                i += 4
            } else {
                out.append(b[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Convenience for Swift strings.
    public static func escape(_ name: String) -> String {
        var s = name
        return s.withUTF8 { p in isValid(p) ? name : String(decoding: escape(p), as: UTF8.self) }
    }
}
