/// A split BTF's distilled base, as libbpf's `btf__distill_base` makes it for pahole's
/// `distilled_base` (docs/pahole-1.31-rules.md §6.1): the few base types the split BTF refers to,
/// cut down so that the module's BTF can be relocated onto another build of the same kernel.
///
/// 1. Every base type a split type refers to is marked, and what a marked type refers to, except
///    through a named struct or union. Only types a split BTF may point into the base for are
///    allowed: INT, FLOAT, FWD, ARRAY, STRUCT, UNION, TYPEDEF, ENUM, ENUM64, PTR, CONST,
///    VOLATILE, RESTRICT, FUNC_PROTO, TYPE_TAG; anything else is an error naming the type.
/// 2. The new base holds, in ID order, the marked named INT, FLOAT and FWD as they are, named
///    STRUCT/UNION with their size and no members, and named ENUM/ENUM64 as a memberless ENUM of
///    their size.
/// 3. The new split BTF holds the split types, then the other marked base types (anonymous
///    aggregates and enums, typedefs, arrays, pointers, qualifiers, prototypes, type tags) in
///    full, in ID order; every reference is renumbered.
public enum DistilledBase {
    public struct Result: Sendable {
        /// Raw BTF: the distilled base (for `.BTF.base`).
        public var base: [UInt8]
        /// Raw split BTF over `base` (for `.BTF`).
        public var split: [UInt8]
    }

    public static func distill(_ split: BTFFile) throws(BTFError) -> Result {
        guard let baseFile = split.base else {
            throw BTFError(.io, "distilled base: the BTF is not split (give its base)", section: ".BTF")
        }
        let base = BTFTypeTable(baseFile)
        let own = BTFTypeTable(split)
        let baseCount = base.count
        // 1. Marks.
        var marked = [Bool](repeating: false, count: baseCount + 1)
        var stack: [UInt32] = []
        func push(_ v: UInt32) { if v != 0 && Int(v) <= baseCount && !marked[Int(v)] { stack.append(v) } }
        for i in 0..<own.count { own.forEachTypeField(i) { push(own.words[$0]) } }
        while let id = stack.popLast() {
            let i = Int(id) - 1
            guard !marked[Int(id)] else { continue }
            let kind = base.kind(i)
            switch kind {
            case .int, .float, .forward, .array, .structure, .union, .typedef, .enumeration, .enum64,
                 .pointer, .const, .volatile, .restrict, .functionProto, .typeTag:
                break
            default:
                throw BTFError(.io, "distilled base: split BTF refers to base type [\(id)] of kind \(kind), which a distilled base cannot hold",
                               section: ".BTF", typeID: TypeID(id))
            }
            marked[Int(id)] = true
            if (kind == .structure || kind == .union) && base.name(i) != 0 { continue }
            base.forEachTypeField(i) { push(base.words[$0]) }
        }
        // 2. The new base.
        var newBase = BTFTypeTable(firstID: 1)
        var baseStrings = StringInterner()
        var map = [UInt32](repeating: 0, count: baseCount + 1)
        var inSplit: [Int] = []
        func name(_ file: BTFFile, _ off: UInt32, into strings: inout StringInterner) -> StringOffset {
            off == 0 ? .empty : strings.intern(file.string(StringOffset(off)))
        }
        for id in 1...max(baseCount, 1) where id <= baseCount && marked[id] {
            let i = id - 1
            let n = base.name(i)
            let kind = base.kind(i)
            guard n != 0 else { inSplit.append(i); continue }
            switch kind {
            case .int, .float, .forward:
                let s = base.starts[i], e = base.end(i)
                let newID = newBase.begin(name: name(baseFile, n, into: &baseStrings).rawValue, info: base.info(i), sizeOrType: base.words[s + 2])
                newBase.words.append(contentsOf: base.words[(s + 3)..<e])
                map[id] = newID.rawValue
            case .structure, .union:
                map[id] = newBase.append(name: name(baseFile, n, into: &baseStrings), kind: kind, sizeOrType: base.sizeOrType(i)).rawValue
            case .enumeration, .enum64:
                map[id] = newBase.append(name: name(baseFile, n, into: &baseStrings), kind: .enumeration, sizeOrType: base.sizeOrType(i)).rawValue
            default:
                inSplit.append(i)
            }
        }
        // 3. The new split: its own types, then the base types that moved in.
        let newBaseCount = UInt32(newBase.count)
        var next = newBaseCount + UInt32(own.count) + 1
        for i in inSplit { map[i + 1] = next; next += 1 }
        let shift = Int64(split.firstID) - Int64(newBaseCount + 1)
        func renumber(_ v: UInt32) -> UInt32 {
            if v == 0 { return 0 }
            if Int(v) <= baseCount { return map[Int(v)] }
            return UInt32(truncatingIfNeeded: Int64(v) - shift)
        }
        var newSplit = BTFTypeTable(firstID: newBaseCount + 1)
        var splitStrings = StringInterner(baseOffset: UInt32(baseStrings.bytes.count))
        func copy(_ t: BTFTypeTable, _ i: Int, from file: BTFFile) {
            let s = t.starts[i], e = t.end(i)
            newSplit.starts.append(newSplit.words.count)
            newSplit.words.append(contentsOf: t.words[s..<e])
            let j = newSplit.count - 1
            newSplit.rewriteTypeFields(j, renumber)
            newSplit.rewriteNameFields(j) { off in name(file, off, into: &splitStrings).rawValue }
        }
        for i in 0..<own.count { copy(own, i, from: split) }
        for i in inSplit { copy(base, i, from: baseFile) }
        return Result(base: newBase.serialized(strings: baseStrings.bytes, endianness: split.endianness),
                      split: newSplit.serialized(strings: splitStrings.bytes, endianness: split.endianness))
    }
}
