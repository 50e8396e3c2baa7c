import BTF

/// Digests of definitions (docs/symvers.md, "Digests"): each named type's digest covers its own
/// line and, through the digests it references, every type reachable from it — so a symbol's CRC
/// changes when anything reachable from it changes, and each type counts once however often it
/// is reached. Types that reach each other (a cycle: `struct list_head` points to itself,
/// `task_struct` ↔ `mm_struct`) form a strongly connected component, found with Tarjan's
/// algorithm; a component's members are hashed together, in byte order of their lines, so that
/// neither type IDs nor the order of types in the BTF can change a digest.
///
/// Definitions are spelled on first use: the work is proportional to what the symbols reach,
/// each type spelled and hashed once for all symbols.
struct TypeDigests {
    var speller: TypeSpeller
    /// Per type ID: index into `nodes`, or -1 when not yet reached.
    var slot: [Int32]
    var nodes: [Node] = []
    var stack: [Int32] = []
    var counter: Int32 = 0

    struct Node {
        var type: TypeID
        var line: SpelledLine
        var index: Int32
        var lowLink: Int32
        var onStack: Bool
        var done: Bool
        var digest: UInt64
        var cycleSize: Int32
        /// The strongly connected component (index of its root), shared by a cycle's members.
        var component: Int32
    }

    /// The structs, unions and enums this view sees defined (`UnitVisibility`); the others are
    /// spelled `{declared}`, so nothing behind them counts. nil: every definition (whole BTF).
    var visible: Set<TypeID>? = nil

    init(file: BTFFile, policy: KABIPolicy) {
        speller = TypeSpeller(file: file, policy: policy)
        slot = Array(repeating: -1, count: max(file.typeCount, 1))
    }

    /// A view over the same lines (moved in from another view) with other opaque types.
    init(speller: TypeSpeller, visible: Set<TypeID>) {
        self.speller = speller
        self.visible = visible
        slot = Array(repeating: -1, count: speller.definitionIndex.count)
    }

    var arena: LineArena { speller.arena }

    func node(of id: TypeID) -> Node? {
        slotIndex(of: id).map { nodes[$0] }
    }

    /// Whether this view spells `id` as a declaration: a struct, union or enum it does not see.
    func isOpaque(_ id: TypeID) -> Bool {
        guard let visible, !visible.contains(id), let r = speller.file.record(id) else { return false }
        return r.kind == .structure || r.kind == .union || r.kind == .enumeration || r.kind == .enum64
    }

    /// Index into `nodes` of a reached definition.
    func slotIndex(of id: TypeID) -> Int? {
        let i = Int(id.rawValue)
        guard i < slot.count, slot[i] >= 0 else { return nil }
        return Int(slot[i])
    }

    /// Makes sure every definition a line references has its digest.
    mutating func complete(_ line: SpelledLine) {
        for r in line.references { visit(speller.arena.references[r].target) }
    }

    /// The digest of a definition, computing it (and those of all it reaches) if needed.
    mutating func digest(of id: TypeID) -> UInt64 {
        visit(id)
        return node(of: id)?.digest ?? 0
    }

    // MARK: Tarjan's strongly connected components, iterative (no recursion on input depth)

    private struct Frame { var node: Int32; var next: Int }

    mutating func visit(_ root: TypeID) {
        let ri = Int(root.rawValue)
        guard ri < slot.count, slot[ri] < 0 else { return }
        var frames: [Frame] = [Frame(node: newNode(root), next: 0)]
        while let top = frames.last {
            let n = Int(top.node)
            let refs = nodes[n].line.references
            if top.next < refs.count {
                frames[frames.count - 1].next += 1
                let target = speller.arena.references[refs.lowerBound + top.next].target
                let ti = Int(target.rawValue)
                guard ti < slot.count else { continue }
                if slot[ti] < 0 {
                    frames.append(Frame(node: newNode(target), next: 0))
                } else {
                    let t = Int(slot[ti])
                    if nodes[t].onStack { nodes[n].lowLink = min(nodes[n].lowLink, nodes[t].index) }
                }
                continue
            }
            frames.removeLast()
            if nodes[n].lowLink == nodes[n].index { finishComponent(root: Int32(n)) }
            if let parent = frames.last {
                let p = Int(parent.node)
                nodes[p].lowLink = min(nodes[p].lowLink, nodes[n].lowLink)
            }
        }
    }

    private mutating func newNode(_ id: TypeID) -> Int32 {
        let line = speller.cachedLine(id, declaredOnly: isOpaque(id))
        let i = Int32(nodes.count)
        nodes.append(Node(type: id, line: line, index: counter, lowLink: counter, onStack: true, done: false, digest: 0, cycleSize: 1, component: i))
        counter += 1
        slot[Int(id.rawValue)] = i
        stack.append(i)
        return i
    }

    private mutating func finishComponent(root: Int32) {
        var members: [Int32] = []
        while let m = stack.popLast() {
            nodes[Int(m)].onStack = false
            members.append(m)
            if m == root { break }
        }
        if members.count == 1, !references(members[0], itself: members[0]) {
            let m = Int(members[0])
            var h = Digest64()
            hashResolved(nodes[m].line, into: &h)
            nodes[m].digest = h.state
            nodes[m].done = true
            return
        }
        // A cycle: hash all members' resolved lines in byte order, then each member's digest
        // is the cycle's digest and its own line.
        let arena = speller.arena
        members.sort { arena.precedes(nodes[Int($0)].line, nodes[Int($1)].line) }
        var whole = Digest64()
        for m in members {
            hashResolved(nodes[Int(m)].line, into: &whole)
            whole.update([0x0A])
        }
        var digests: [UInt64] = []
        for m in members {
            var h = Digest64()
            h.update(Array("cycle ".utf8)); h.updateHex(whole.state); h.update([0x20])
            hashResolved(nodes[Int(m)].line, into: &h)
            digests.append(h.state)
        }
        for (m, d) in zip(members, digests) {
            nodes[Int(m)].digest = d
            nodes[Int(m)].done = true
            nodes[Int(m)].cycleSize = Int32(members.count)
            nodes[Int(m)].component = root
        }
    }

    private func references(_ a: Int32, itself b: Int32) -> Bool {
        let target = nodes[Int(b)].type
        return nodes[Int(a)].line.references.contains { speller.arena.references[$0].target == target }
    }

    /// Walks a line as resolved: its bytes, and after each reference to a finished definition
    /// (one outside the cycle being hashed) `@` and that definition's digest in 16 hex digits —
    /// `text` gets the line's own bytes in pieces, `digest` each inserted digest.
    func walkResolved(_ line: SpelledLine, text: (UnsafeBufferPointer<UInt8>) -> Void, digest: (UInt64) -> Void) {
        speller.arena.bytes.withUnsafeBufferPointer { bytes in
            var from = line.bytes.lowerBound
            for r in line.references {
                let ref = speller.arena.references[r]
                let at = Int(ref.position)
                guard at >= from, at <= line.bytes.upperBound else { continue }
                text(UnsafeBufferPointer(rebasing: bytes[from..<at]))
                if let n = node(of: ref.target), n.done { digest(n.digest) }
                from = at
            }
            text(UnsafeBufferPointer(rebasing: bytes[from..<line.bytes.upperBound]))
        }
    }

    /// Hashes a line as resolved (`walkResolved`) into a digest.
    func hashResolved(_ line: SpelledLine, into h: inout Digest64) {
        walkResolved(line, text: { h.update($0) }, digest: { h.update(Hex.at); h.updateHex($0) })
    }

    /// A line as resolved, as bytes.
    func resolved(_ line: SpelledLine) -> [UInt8] {
        var out: [UInt8] = []
        walkResolved(line, text: { out += $0 }, digest: { out += Hex.at; out += Hex.digest($0) })
        return out
    }

    /// A symbol's version: the CRC-32 of its line as resolved, after the digests of everything it
    /// references.
    mutating func version(of line: SpelledLine) -> UInt32 {
        complete(line)
        return CRC32.checksum(resolved(line))
    }
}
