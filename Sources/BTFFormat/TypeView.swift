import BTF

/// Every type of a BTF (base first for split BTF) as wire words, with light record access, for
/// the printers that walk the whole graph (C, Rust, JSON layout).
struct TypeView {
    let btf: BTFFile
    let t: BTFTypeTable
    /// One past the last ID.
    let count: Int
    let pointerBits: Int

    init(_ btf: BTFFile) {
        self.btf = btf
        var table = btf.base.map { BTFTypeTable($0) } ?? BTFTypeTable()
        table.append(BTFTypeTable(btf)) { $0 }
        t = table
        count = table.count + 1
        pointerBits = Int(btf.pointerSize) * 8
    }

    /// A light view of one record.
    struct Rec {
        let start: Int
        let info: TypeInfo
        let nameOffset: StringOffset
        let sizeOrType: UInt32
        var kind: BTFKind { info.kind }
        var vlen: Int { info.vlen }
        var kindFlag: Bool { info.kindFlag }
    }

    @inline(__always) func rec(_ id: UInt32) -> Rec? {
        guard id != 0, Int(id) < count else { return nil }
        let s = t.starts[Int(id) - 1]
        return Rec(start: s, info: TypeInfo(rawValue: t.words[s + 1]), nameOffset: StringOffset(t.words[s]), sizeOrType: t.words[s + 2])
    }

    @inline(__always) func tail(_ r: Rec, _ k: Int) -> UInt32 {
        let i = r.start + 3 + k
        return i < t.words.count ? t.words[i] : 0
    }

    func str(_ off: UInt32) -> String { btf.string(StringOffset(off)) }
}

/// Printers holding a `TypeView` get its record access directly.
protocol TypeViewing {
    var view: TypeView { get }
}

extension TypeViewing {
    typealias Rec = TypeView.Rec
    var count: Int { view.count }
    var pointerBits: Int { view.pointerBits }
    @inline(__always) func rec(_ id: UInt32) -> Rec? { view.rec(id) }
    @inline(__always) func tail(_ r: Rec, _ k: Int) -> UInt32 { view.tail(r, k) }
    func str(_ off: UInt32) -> String { view.str(off) }
}

/// `btf__align_of` and `btf__resolve_size` (btf-spec §1.8) for every type, each computed once,
/// bounded walks.
struct LayoutCache: TypeViewing {
    let view: TypeView
    private var alignMemo: [Int32]
    private var sizeMemo: [Int64]

    init(_ view: TypeView) {
        self.view = view
        alignMemo = Array(repeating: -1, count: view.count)
        sizeMemo = Array(repeating: -1, count: view.count)
    }

    mutating func align(_ id: UInt32, depth: Int = 0) -> Int {
        guard Int(id) < alignMemo.count, depth < 32, let r = rec(id) else { return 1 }
        if alignMemo[Int(id)] >= 0 { return Int(alignMemo[Int(id)]) }
        var a = 1
        switch r.kind.rawValue {
        case 1, 6, 19, 16: a = max(1, min(pointerBits / 8, Int(r.sizeOrType)))
        case 2: a = pointerBits / 8
        case 8, 9, 10, 11, 18: a = align(r.sizeOrType, depth: depth + 1)
        case 3: a = align(tail(r, 0), depth: depth + 1)
        case 4, 5:
            var maxAlign = 1
            var packed = false
            for m in 0..<r.vlen {
                let ma = align(tail(r, 3 * m + 1), depth: depth + 1)
                let raw = tail(r, 3 * m + 2)
                let bits = r.kindFlag ? raw >> 24 : 0
                if bits == 0 && Int(raw) % (8 * ma) != 0 { packed = true; break }
                maxAlign = max(maxAlign, ma)
            }
            a = packed || Int(r.sizeOrType) % maxAlign != 0 ? 1 : maxAlign
        default: a = 1
        }
        alignMemo[Int(id)] = Int32(clamping: a)
        return a
    }

    mutating func size(_ id: UInt32, depth: Int = 0) -> Int {
        guard Int(id) < sizeMemo.count, depth < 32, let r = rec(id) else { return 0 }
        if sizeMemo[Int(id)] >= 0 { return Int(sizeMemo[Int(id)]) }
        var v = 0
        switch r.kind.rawValue {
        case 1, 4, 5, 6, 19, 16, 15: v = Int(r.sizeOrType)
        case 2: v = pointerBits / 8
        case 8, 9, 10, 11, 18, 14: v = size(r.sizeOrType, depth: depth + 1)
        case 3:
            let (p, o) = Int(tail(r, 2)).multipliedReportingOverflow(by: size(tail(r, 0), depth: depth + 1))
            v = o ? 0 : p
        default: v = 0
        }
        sizeMemo[Int(id)] = Int64(v)
        return v
    }
}

/// A `LayoutCache` callable from non-mutating code (the JSON and Rust printers).
final class LayoutMemo {
    private var cache: LayoutCache
    init(_ view: TypeView) { cache = LayoutCache(view) }
    func size(_ id: UInt32) -> Int { cache.size(id) }
    func align(_ id: UInt32) -> Int { cache.align(id) }
}
