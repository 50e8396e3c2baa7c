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

    /// §3.3 step 5 for `root` and, first, every reference type it reaches that is not final yet
    /// (iterative depth-first: long chains cannot exhaust the stack).
    mutating func dedup(_ root: UInt32) throws(BTFError) {
        stack.append(root)
        let n = count
        let records = self.records
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
            let fields = DedupState.referenceFieldCount(inf)
            var pending: UInt32? = nil
            for k in 0..<fields {
                let ref = words[DedupState.referenceField(s, inf, k)]
                guard ref != 0, Int(ref) <= n, Int(ref) < map.count else { continue }
                let rm = map[Int(ref)]
                if rm == DedupState.inProgress {
                    throw BTFError(.referenceLoop, "dedup: reference loop through [\(id)] (a cycle without a struct, union or typedef)", typeID: TypeID(id))
                }
                if rm == DedupState.unprocessed { pending = ref; break }
            }
            if let p = pending { stack.append(p); continue }
            stack.removeLast()
            // All referenced types are final: rewrite them to canonical IDs, then hash and match.
            for k in 0..<fields {
                let w = DedupState.referenceField(s, inf, k)
                let ref = words[w]
                if ref != 0 && Int(ref) <= n { words[w] = records.resolve(ref) }
            }
            let h = DedupState.referenceHash(inf) { words[s + $0] }
            let canon = buckets.first(h) { $0 != id && records.sameWords(id, $0) } ?? id
            map[Int(id)] = canon
            if canon == id { buckets.insert(h, id) }
        }
    }
}
