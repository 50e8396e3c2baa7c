/// Kind numbers by name, for the switches on `kind.rawValue` below.
private typealias Kind = BTFKind.Number

/// The reference pass of dedup (btf-spec §3.3 step 5): PTR, ARRAY, the qualifiers, TYPEDEF'd
/// prototypes, FUNC, FUNC_PROTO, DECL_TAG and TYPE_TAG, each after the types it references, in
/// ID order. It runs over the records and the canonical map borrowed as buffers for the whole
/// pass (`ReferencePass`), so its loop makes no uniqueness check per write.
extension DedupState {
    mutating func referencePass(_ ids: ClosedRange<Int>) throws(BTFError) {
        var stack: [UInt32] = []
        swap(&stack, &refStack)
        var table = HashBuckets(capacity: 0)
        swap(&table, &buckets)
        defer {
            stack.removeAll(keepingCapacity: true)
            swap(&stack, &refStack)
            swap(&table, &buckets)
        }
        let count = t.count
        let result: Result<Void, BTFError> = t.words.withUnsafeMutableBufferPointer { words in
            t.starts.storage.withUnsafeBufferPointer { starts in
                map.withUnsafeMutableBufferPointer { map in
                    var pass = ReferencePass(words: words, starts: starts, map: map, count: count)
                    swap(&pass.stack, &stack)
                    swap(&pass.buckets, &table)
                    defer {
                        swap(&pass.stack, &stack)
                        swap(&pass.buckets, &table)
                    }
                    do throws(BTFError) {
                        for id in ids where id < map.count && map[id] == DedupState.unprocessed { try pass.dedup(UInt32(id)) }
                        return .success(())
                    } catch { return .failure(error) }
                }
            }
        }
        try result.get()
    }
}

/// One reference pass over borrowed buffers (`BorrowedRecords` for reads). Every index is checked
/// against its buffer: a type ID or record that does not fit is kept as its own canonical type,
/// never a trap.
struct ReferencePass {
    let words: UnsafeMutableBufferPointer<UInt32>
    let starts: UnsafeBufferPointer<UInt32>
    let map: UnsafeMutableBufferPointer<UInt32>
    /// Types in the table (IDs 1...count).
    let count: Int
    /// Canonical reference types by hash (moved in from the dedup state).
    var buckets = HashBuckets(capacity: 0)
    /// The depth-first work stack (moved in, reused across roots).
    var stack: [UInt32] = []

    init(words: UnsafeMutableBufferPointer<UInt32>, starts: UnsafeBufferPointer<UInt32>, map: UnsafeMutableBufferPointer<UInt32>, count: Int) {
        self.words = words
        self.starts = starts
        self.map = map
        self.count = count
    }

    /// Reads go through the shared checked view; writes through `words` and `map`.
    var records: BorrowedRecords {
        BorrowedRecords(words: UnsafeBufferPointer(words), starts: starts, map: UnsafeBufferPointer(map))
    }

    @inline(__always) static func isReference(_ info: TypeInfo) -> Bool {
        switch info.kind.rawValue {
        case Kind.pointer, Kind.array, Kind.volatile, Kind.const, Kind.restrict, Kind.function, Kind.functionProto, Kind.declTag, Kind.typeTag: return true
        default: return false
        }
    }

    /// Words a reference record has (`RecordLayout`: ARRAY 6, FUNC_PROTO 3 + 2 per parameter,
    /// DECL_TAG 4, the others 3).
    @inline(__always) static func length(_ info: TypeInfo) -> Int {
        (RecordLayout.length(kind: info.kind, vlen: info.vlen) ?? RecordLayout.commonLength) / 4
    }

    /// Calls `body` with the word index of each type field of the reference record at `s`, in
    /// order: ARRAY's element then index type, FUNC_PROTO's return then parameter types, else the
    /// type word; stops when `body` returns false.
    @inline(__always)
    static func forEachField(_ s: Int, _ info: TypeInfo, _ body: (Int) throws(BTFError) -> Bool) throws(BTFError) {
        switch info.kind.rawValue {
        case Kind.array:
            guard try body(s + 3) else { return }
            _ = try body(s + 4)
        case Kind.functionProto:
            guard try body(s + 2) else { return }
            var w = s + 4
            for _ in 0..<info.vlen {
                guard try body(w) else { return }
                w += 2
            }
        default: _ = try body(s + 2)
        }
    }

    /// §3.3 step 5 for `root` and, first, every reference type it reaches that is not final yet
    /// (iterative depth-first: long chains cannot exhaust the stack). A root whose referenced
    /// types are all final already, as most are, is decided at once, without the stack.
    mutating func dedup(_ root: UInt32) throws(BTFError) {
        let records = self.records
        if let s = records.start(root), case let inf = TypeInfo(rawValue: words[s + 1]), ReferencePass.isReference(inf),
           s <= words.count - ReferencePass.length(inf) {
            var ready = true
            let n = count, map = self.map
            try ReferencePass.forEachField(s, inf) { w throws(BTFError) in
                let ref = words[w]
                guard ref != 0, Int(ref) <= n, Int(ref) < map.count else { return true }
                // Nothing is in progress between roots: a field not final is unprocessed (or the
                // root itself), which the stack below handles, loop errors included.
                if map[Int(ref)] >= DedupState.inProgress { ready = false; return false }
                return true
            }
            if ready {
                decide(root, at: s, inf, records)
                return
            }
        }
        stack.append(root)
        let n = count
        while let id = stack.last {
            guard Int(id) < map.count else { stack.removeLast(); continue }
            let m = map[Int(id)]
            if m != DedupState.unprocessed && m != DedupState.inProgress { stack.removeLast(); continue }
            guard let s = records.start(id), case let inf = TypeInfo(rawValue: words[s + 1]), ReferencePass.isReference(inf),
                  s <= words.count - ReferencePass.length(inf) else {
                map[Int(id)] = m == DedupState.unprocessed ? id : m
                stack.removeLast()
                continue
            }
            // Children first: push any referenced type not yet final.
            if m == DedupState.unprocessed { map[Int(id)] = DedupState.inProgress }
            var pending: UInt32? = nil
            let map = self.map
            try ReferencePass.forEachField(s, inf) { w throws(BTFError) in
                let ref = words[w]
                guard ref != 0, Int(ref) <= n, Int(ref) < map.count else { return true }
                let rm = map[Int(ref)]
                if rm == DedupState.inProgress {
                    throw BTFError(.referenceLoop, "dedup: reference loop through [\(id)] (a cycle without a struct, union or typedef)", typeID: TypeID(id))
                }
                if rm == DedupState.unprocessed { pending = ref; return false }
                return true
            }
            if let p = pending { stack.append(p); continue }
            stack.removeLast()
            decide(id, at: s, inf, records)
        }
    }

    /// With every referenced type final: rewrites them to canonical IDs, then hashes the record
    /// and takes the first equal canonical one, or makes it canonical.
    @inline(__always)
    mutating func decide(_ id: UInt32, at s: Int, _ inf: TypeInfo, _ records: BorrowedRecords) {
        let n = count, words = self.words
        try? ReferencePass.forEachField(s, inf) { w throws(BTFError) in
            let ref = words[w]
            if ref != 0 && Int(ref) <= n { words[w] = records.resolve(ref) }
            return true
        }
        let h = DedupState.referenceHash(inf) { words[s + $0] }
        let canon = buckets.first(h) { $0 != id && records.sameWords(id, $0) } ?? id
        map[Int(id)] = canon
        if canon == id { buckets.insert(h, id) }
    }
}
