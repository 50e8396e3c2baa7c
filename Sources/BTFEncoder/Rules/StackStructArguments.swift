import BTF

/// pahole 1.31's "uncertain parameter location" rule (`ftype__has_uncertain_arg_loc`,
/// `class__infer_packed_attributes`; docs/pahole-1.31-rules.md §3.3): a named struct that looks
/// packed, passed by value after the register parameters, sits on the stack at an offset the
/// BTF prototype cannot tell a tracing program — so with consistent_func the function is dropped.
///
/// - Only parameters at index ≥ the number of register parameters are looked at, and only their
///   direct type: a STRUCT with a name (a typedef or const in between hides it, as in pahole).
/// - The struct looks packed when it has no hole between members and no tail padding, and a
///   member (bitfields aside; members of natural alignment 1 aside) sits at a byte offset that
///   is not a multiple of its natural alignment, or its size is not a multiple of its largest
///   member alignment.
/// - Natural alignment: a pointer's size for pointers, the byte size for base types and enums,
///   the largest member's for structs and unions, the element's for arrays; 0 counts as 1.
enum StackStructArguments {
    static func hasUncertainLocation(proto: [UInt32], registerCount: Int, table t: BTFTypeTable, pointerSize: Int = 8) -> Bool {
        guard registerCount > 0, proto.count >= 3 else { return false }
        let vlen = TypeInfo(rawValue: proto[1]).vlen
        guard vlen >= registerCount else { return false }
        for index in registerCount..<vlen where 4 + 2 * index < proto.count {
            let id = proto[4 + 2 * index]
            guard let i = slot(id, t), t.kind(i) == .structure, t.name(i) != 0 else { continue }
            if looksPacked(i, t, pointerSize: pointerSize) { return true }
        }
        return false
    }

    static func slot(_ id: UInt32, _ t: BTFTypeTable) -> Int? {
        let i = Int(id) - Int(t.firstID)
        return id != 0 && i >= 0 && i < t.count ? i : nil
    }

    static func looksPacked(_ i: Int, _ t: BTFTypeTable, pointerSize: Int) -> Bool {
        let info = t.info(i)
        let s = t.starts[i]
        let size = Int(t.words[s + 2])
        var end = 0, maxAlign = 1
        var misaligned = false
        for m in 0..<info.vlen {
            let base = s + 3 + 3 * m
            guard base + 2 < t.words.count else { return false }
            let type = t.words[base + 1], raw = t.words[base + 2]
            let bitOffset = Int(info.kindFlag ? raw & 0xFF_FFFF : raw)
            let bitSize = info.kindFlag ? Int(raw >> 24) : 0
            let align = naturalAlignment(type, t, pointerSize: pointerSize, depth: 0)
            let bits = bitSize > 0 ? bitSize : 8 * byteSize(type, t, pointerSize: pointerSize, depth: 0)
            if bitOffset > end { return false }                        // a hole: not packed
            end = max(end, bitOffset + bits)
            maxAlign = max(maxAlign, align)
            if bitSize == 0, align > 1, (bitOffset / 8) % align != 0 { misaligned = true }
        }
        if size * 8 > end { return false }                             // tail padding
        return misaligned || size % maxAlign != 0
    }

    static func naturalAlignment(_ id: UInt32, _ t: BTFTypeTable, pointerSize: Int, depth: Int) -> Int {
        guard depth < 32, let i = slot(id, t) else { return 1 }
        let s = t.starts[i]
        switch t.kind(i) {
        case .pointer: return pointerSize
        case .int, .float, .enumeration, .enum64: return max(1, Int(t.words[s + 2]))
        case .array: return naturalAlignment(t.words[s + 3], t, pointerSize: pointerSize, depth: depth + 1)
        case .typedef, .const, .volatile, .restrict, .typeTag:
            return naturalAlignment(t.words[s + 2], t, pointerSize: pointerSize, depth: depth + 1)
        case .structure, .union:
            var a = 1
            for m in 0..<t.info(i).vlen where s + 4 + 3 * m < t.words.count {
                a = max(a, naturalAlignment(t.words[s + 4 + 3 * m], t, pointerSize: pointerSize, depth: depth + 1))
            }
            return a
        default: return 1
        }
    }

    static func byteSize(_ id: UInt32, _ t: BTFTypeTable, pointerSize: Int, depth: Int) -> Int {
        guard depth < 32, let i = slot(id, t) else { return 0 }
        let s = t.starts[i]
        switch t.kind(i) {
        case .pointer: return pointerSize
        case .int, .float, .enumeration, .enum64, .structure, .union: return Int(t.words[s + 2])
        case .array:
            guard s + 5 < t.words.count else { return 0 }
            return byteSize(t.words[s + 3], t, pointerSize: pointerSize, depth: depth + 1) &* Int(t.words[s + 5])
        case .typedef, .const, .volatile, .restrict, .typeTag:
            return byteSize(t.words[s + 2], t, pointerSize: pointerSize, depth: depth + 1)
        default: return 0
        }
    }
}
