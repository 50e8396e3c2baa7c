import BinaryReader
import BTF

/// The smallest BTF that serves a set of objects' CO-RE relocations (btf-spec §7, the semantics
/// of `bpftool gen min_core_btf`): the target types and members the relocations' target specs
/// touch, structs and unions keeping their original size and member offsets, references to
/// anything else turned into void. Relocating the same objects against it gives the same values
/// as against the full target.
///
/// ```swift
/// let kernel = try BTFFile(contentsOf: "vmlinux.btf")
/// let report = CoreRelocator(object: try BPFObject(path: "prog.o"), target: kernel).run()
/// let bytes = try MinimalBTF.build(target: kernel, reports: [report])
/// ```
public enum MinimalBTF {
    public static func build(target: BTFFile, reports: [CoreRelocationReport]) throws(CoreError) -> [UInt8] {
        guard !target.isSplit else {
            throw CoreError(.unsupported, "minimizing split BTF is not supported: pass the base (vmlinux) BTF as the target")
        }
        var marker = Marker(types: CoreTypes(target))
        for report in reports {
            if let f = report.failures.first, let e = f.error {
                throw CoreError(.badInstruction, "a relocation failed, so its needs are unknown: \(e)")
            }
            for r in report.results where r.skipped == nil {
                guard let spec = r.targetSpec else { continue }
                if let t = r.targetBTF, t != "vmlinux" {
                    throw CoreError(.unsupported, "relocation \(r.section) relo #\(r.index) resolved in module BTF [\(t)]; minimal BTF covers one target only")
                }
                switch r.kind {
                case _ where r.kind.isFieldBased: try marker.markField(spec)
                case .typeIDTarget, .typeExists, .typeSize: try marker.mark(spec.root, followPointers: true)
                case .typeMatches: try marker.markMatch(spec.root, behindPointer: false)
                case .enumValueExists, .enumValueValue: try marker.mark(spec.root, followPointers: false)
                default: break
                }
            }
        }
        return try marker.output()
    }

    private struct Marker {
        let types: CoreTypes
        var marked: Set<TypeID> = []
        var members: [TypeID: Set<Int>] = [:]
        var visited: Set<TypeID> = []
        var visitedFollowing: Set<TypeID> = []
        var visitedMatch: Set<TypeID> = []

        init(types: CoreTypes) { self.types = types }

        /// Bound on the marking recursion (kernel BTF chains are a few levels deep; a malformed
        /// target must not exhaust the stack).
        static let maxDepth = 512

        /// Field relocations: the root, then along the raw path every struct member and its type.
        mutating func markField(_ spec: CoreSpec) throws(CoreError) {
            var id = spec.root
            try mark(id, followPointers: false)
            for index in spec.raw.dropFirst() {
                id = try types.skip(id)
                switch try types.type(id) {
                case .structure(let c)?, .union(let c)?:
                    guard Int(index) < c.members.count else { throw CoreError(.btf, "member \(index) of \(id) does not exist", typeID: id) }
                    members[id, default: []].insert(Int(index))
                    id = c.members[Int(index)].type
                    try mark(id, followPointers: false)
                case .array(let a)?:
                    id = a.elementType
                default:
                    throw CoreError(.btf, "target access path reaches \(types.describe(id))", typeID: id)
                }
            }
        }

        /// A type and what is needed to describe it; a struct/union without its members.
        mutating func mark(_ id: TypeID, followPointers: Bool, depth: Int = 0) throws(CoreError) {
            guard id != .void else { return }
            guard depth < Marker.maxDepth else { throw CoreError(.btf, "type graph deeper than \(Marker.maxDepth) while marking", typeID: id) }
            if followPointers {
                guard visitedFollowing.insert(id).inserted else { return }
            } else {
                guard visited.insert(id).inserted else { return }
            }
            marked.insert(id)
            switch try types.type(id) {
            case .pointer(let r)?:
                if followPointers { try mark(r.type, followPointers: true, depth: depth + 1) }
            case .const(let r)?, .volatile(let r)?, .restrict(let r)?, .typedef(let r)?:
                try mark(r.type, followPointers: followPointers, depth: depth + 1)
            case .typeTag(let t)?:
                try mark(t.target, followPointers: followPointers, depth: depth + 1)
            case .array(let a)?:
                try mark(a.elementType, followPointers: followPointers, depth: depth + 1)
                try mark(a.indexType, followPointers: followPointers, depth: depth + 1)
            case .functionProto(let p)?:
                try mark(p.returnType, followPointers: followPointers, depth: depth + 1)
                for q in p.parameters { try mark(q.type, followPointers: followPointers, depth: depth + 1) }
            default:
                break
            }
        }

        /// TYPE_MATCHES: members and member types too, except for structs behind pointers.
        mutating func markMatch(_ id: TypeID, behindPointer: Bool, depth: Int = 0) throws(CoreError) {
            guard id != .void else { return }
            guard depth < Marker.maxDepth else { throw CoreError(.btf, "type graph deeper than \(Marker.maxDepth) while marking", typeID: id) }
            let key = TypeID(id.rawValue | (behindPointer ? 0x8000_0000 : 0))
            guard visitedMatch.insert(key).inserted else { return }
            marked.insert(id)
            switch try types.type(id) {
            case .structure(let c)?, .union(let c)?:
                if behindPointer { return }
                for (i, m) in c.members.enumerated() {
                    members[id, default: []].insert(i)
                    try markMatch(m.type, behindPointer: false, depth: depth + 1)
                }
            case .const(let r)?, .volatile(let r)?, .restrict(let r)?, .typedef(let r)?:
                try markMatch(r.type, behindPointer: behindPointer, depth: depth + 1)
            case .typeTag(let t)?:
                try markMatch(t.target, behindPointer: behindPointer, depth: depth + 1)
            case .pointer(let r)?:
                try markMatch(r.type, behindPointer: true, depth: depth + 1)
            case .array(let a)?:
                try markMatch(a.elementType, behindPointer: false, depth: depth + 1)
                try markMatch(a.indexType, behindPointer: false, depth: depth + 1)
            case .functionProto(let p)?:
                try markMatch(p.returnType, behindPointer: false, depth: depth + 1)
                for q in p.parameters { try markMatch(q.type, behindPointer: false, depth: depth + 1) }
            default:
                break
            }
        }

        /// Marked types in ID order; structs/unions with their marked members only.
        func output() throws(CoreError) -> [UInt8] {
            let ordered = marked.sorted()
            var newID: [TypeID: TypeID] = [:]
            for (i, id) in ordered.enumerated() { newID[id] = TypeID(UInt32(i + 1)) }
            var b = BTFBuilder()
            for id in ordered {
                guard var t = try types.type(id) else { continue }
                switch t {
                case .structure(var c), .union(var c):
                    let keep = members[id] ?? []
                    // Kept members in kind_flag form (bitfield size << 24 | bit offset); kind_flag is
                    // set when one of them is a bitfield or off a byte boundary, as btf__add_field
                    // does. Without it the words are plain bit offsets already.
                    c.members = c.members.enumerated().filter { keep.contains($0.offset) }.map { _, m in
                        BTFMember(name: m.name, type: m.type, bitOffset: c.bitOffset(of: m), bitfieldSize: c.bitfieldSize(of: m))
                    }
                    c.hasBitfieldSizes = c.members.contains { $0.offset >> 24 != 0 || ($0.offset & 0xFFFFFF) % 8 != 0 }
                    if case .structure = t { t = .structure(c) } else { t = .union(c) }
                default:
                    break
                }
                let text = types
                let mapped = t.mapped(type: { newID[$0] ?? .void }, string: { off in off == .empty ? .empty : b.string(text.string(off)) })
                _ = b.add(mapped)
            }
            return b.build(endianness: types.file.endianness)
        }
    }
}
