import BTF

/// One BTF (the object's local BTF or a target kernel BTF) as the CO-RE rules read it: types
/// decoded on demand and cached, modifiers and typedefs skipped as libbpf's
/// `skip_mods_and_typedefs`, sizes resolved as `btf__resolve_size` (btf-spec §1.8). Every walk
/// is bounded; a broken reference becomes a `CoreError`, never a trap.
final class CoreTypes {
    let file: BTFFile
    private var decoded: [TypeID: BTFType] = [:]
    private(set) lazy var pointerSize: UInt64 = UInt64(file.pointerSize)

    init(_ file: BTFFile) { self.file = file }

    /// The decoded type; nil for void. Throws when `id` is out of range or its record is malformed.
    func type(_ id: TypeID) throws(CoreError) -> BTFType? {
        if id == .void { return nil }
        if let t = decoded[id] { return t }
        do {
            guard let t = try file.type(id) else {
                throw CoreError(.btf, "type \(id) does not exist (BTF has \(file.typeCount - 1) types)", typeID: id)
            }
            decoded[id] = t
            return t
        } catch let e as BTFError { throw CoreError(e) } catch let e as CoreError { throw e } catch {
            throw CoreError(.btf, "\(error)", typeID: id)
        }
    }

    func kind(_ id: TypeID) -> BTFKind { id == .void ? .unknown : (file.record(id)?.kind ?? .unknown) }

    func name(_ id: TypeID) -> String { file.name(of: id) }

    func string(_ offset: StringOffset) -> String { file.string(offset) }

    /// Follows CONST/VOLATILE/RESTRICT/TYPE_TAG/TYPEDEF to the first other type.
    func skip(_ id: TypeID) throws(CoreError) -> TypeID {
        do { return try file.skipModifiers(id) } catch { throw CoreError(error) }
    }

    /// `btf__resolve_size`.
    func size(_ id: TypeID) throws(CoreError) -> UInt64 {
        do { return try file.resolvedSize(id) } catch { throw CoreError(error) }
    }

    /// "struct task_struct", "enum bpf_map_type", "typedef pid_t", "int" — for messages.
    func describe(_ id: TypeID) -> String {
        let n = name(id)
        let k = kind(id)
        let shown = n.isEmpty ? "<anon>" : n
        switch k {
        case .structure: return "struct \(shown)"
        case .union: return "union \(shown)"
        case .enumeration, .enum64: return "enum \(shown)"
        case .forward: return (file.record(id)?.kindFlag ?? false ? "union " : "struct ") + shown
        case .typedef: return "typedef \(shown)"
        case .unknown: return id == .void ? "void" : "\(id)"
        default: return "\(k) \(shown)"
        }
    }
}

/// CO-RE "essential" names (btf-spec §5.4): a name without its last `___flavor` suffix. The
/// separator is three underscores between two non-underscore characters, searched from five
/// characters before the end backwards (so the flavor is never empty).
public enum CoreNames {
    public static func essentialLength(_ bytes: ArraySlice<UInt8>) -> Int {
        let n = bytes.count
        let s = bytes.startIndex
        var i = n - 5
        let u = UInt8(ascii: "_")
        while i >= 0 {
            if bytes[s + i] != u, bytes[s + i + 1] == u, bytes[s + i + 2] == u, bytes[s + i + 3] == u, bytes[s + i + 4] != u {
                return i + 1
            }
            i -= 1
        }
        return n
    }

    public static func essential(_ name: String) -> String {
        let u = Array(name.utf8)
        return String(decoding: u.prefix(essentialLength(u[...])), as: UTF8.self)
    }

    /// libbpf's `bpf_core_names_match`: an anonymous target matches only an anonymous local;
    /// otherwise the essential names must be equal.
    static func match(_ local: String, _ target: String) -> Bool {
        if target.isEmpty { return local.isEmpty }
        return essential(local) == essential(target)
    }
}
