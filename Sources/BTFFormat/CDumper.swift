import BTF

/// Prints BTF as a C header, the way libbpf's `btf_dump` does for `bpftool btf dump … format c`
/// (btf-spec §4): every type in ID order through a topological ordering pass (strong and weak
/// edges, forward declarations breaking cycles through pointers), anonymous types inline,
/// bitfields, explicit padding, `__attribute__((packed))`, enum size attributes and `___N`
/// suffixes for name conflicts, inside bpftool's `vmlinux.h` wrapper.
public struct CDumper {
    public let btf: BTFFile
    /// Wrap in bpftool's include guard and preserve_access_index pragma (default true).
    public var wrapper = true
    /// Print exactly what bpftool 7.1 prints: names that are not C (keywords, GNU macros) verbatim,
    /// `__builtin_va_list` left to the compiler (an 8-byte pointer under `-target bpf`, so structs
    /// holding a `va_list` get the wrong layout there), no size attribute on 1-byte enums.
    public var bpftoolCompatible = false
    /// After each name renamed for C (`CIdentifiers`), a comment with the name in BTF.
    public var originalNames = false

    public init(_ btf: BTFFile) { self.btf = btf }

    /// The header for all types, or for `roots` with what they need (definitions of what they
    /// embed, forward declarations of what they only point to).
    public func dump(into out: inout TextOutput, roots: [TypeID]? = nil) { _ = dumpReturningNames(into: &out, roots: roots) }

    /// Dumps and returns the C name each named struct, union, enum and typedef got (with its
    /// `___N` suffix when it had to be renamed), for tools that refer to the printed types.
    public func dumpReturningNames(into out: inout TextOutput, roots: [TypeID]? = nil) -> [TypeID: String] {
        var state = CDumpState(btf)
        state.renames = !bpftoolCompatible
        state.originalNames = originalNames
        if wrapper {
            out.write("#ifndef __VMLINUX_H__\n#define __VMLINUX_H__\n\n")
            out.write("#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)\n#endif\n\n")
        }
        if let roots {
            for id in roots.map(\.rawValue).sorted() { state.dumpType(id, &out) }
        } else {
            for id in 1..<btf.typeCount { state.dumpType(UInt32(id), &out) }
        }
        if wrapper {
            out.write("#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n#pragma clang attribute pop\n#endif\n\n#endif /* __VMLINUX_H__ */\n")
        }
        var names: [TypeID: String] = [:]
        for id in 1..<state.count where state.nameResolved[id] {
            if let r = state.rec(UInt32(id)), r.nameOffset != .empty {
                names[TypeID(UInt32(id))] = state.cachedName[id] ?? state.str(r.nameOffset.rawValue)
            }
        }
        return names
    }
}

/// The declared name in a declarator: a string-section offset written straight from the BTF
/// (members, parameters), or a computed text (typedef names with `___N`).
enum DeclName {
    case offset(UInt32)
    case text(String)
}

/// The per-type state of one dump (btf-spec §4.1).
struct CDumpState: TypeViewing {
    let btf: BTFFile
    let view: TypeView
    var layout: LayoutCache
    var orderState: [UInt8]        // 0 none, 1 ordering, 2 ordered
    var emitState: [UInt8]         // 0 not emitted, 1 emitting, 2 emitted
    var fwdEmitted: [Bool]
    var referenced: [Bool]
    var nameResolved: [Bool]
    var cachedName: [String?]
    var typeNames: [String: Int] = [:]     // tags: struct, union, enum
    var identNames: [String: Int] = [:]    // typedefs and enumerators
    var queue: [UInt32] = []
    /// Recursion depth of declarator printing (function prototypes, arrays), bounded.
    var chainDepth = 0
    /// Declarators and inline definitions printed for the current top-level type; a malformed
    /// BTF (prototypes whose parameters are prototypes ...) could otherwise grow exponentially.
    var work = 0
    var emitDepth = 0
    static let workLimit = 200_000
    /// Rename names that are not C (`CIdentifiers`); off for bpftool-identical output.
    var renames = true
    var originalNames = false
    /// Per string offset: whether it is a reserved name (`isReservedString`).
    var reservedCache: [UInt32: Bool] = [:]

    init(_ btf: BTFFile) {
        self.btf = btf
        let view = TypeView(btf)
        self.view = view
        layout = LayoutCache(view)
        let table = view.t
        let count = view.count
        orderState = Array(repeating: 0, count: count)
        emitState = Array(repeating: 0, count: count)
        fwdEmitted = Array(repeating: false, count: count)
        referenced = Array(repeating: false, count: count)
        nameResolved = Array(repeating: false, count: count)
        cachedName = Array(repeating: nil, count: count)
        for i in 0..<table.count {
            table.forEachTypeField(i) { w in
                let ref = Int(table.words[w])
                if ref < referenced.count { referenced[ref] = true }
            }
        }
    }

    // MARK: record access

    /// Writes a string from the string section without making a `String`.
    func writeString(_ off: UInt32, _ out: inout TextOutput) {
        guard off != 0, let (file, range) = btf.stringRange(StringOffset(off)) else { return }
        out.write(bytes: file.data.bytes[range])
    }

    // MARK: ordering (§4.2)

    mutating func dumpType(_ id: UInt32, _ out: inout TextOutput) {
        queue.removeAll(keepingCapacity: true)
        guard order(id, throughPointer: false, depth: 0) >= 0 else { return }
        let q = queue
        for t in q { work = 0; emit(t, container: 0, &out) }
    }

    /// 1 strong, 0 weak, -1 error.
    mutating func order(_ id: UInt32, throughPointer: Bool, depth: Int) -> Int {
        guard id != 0, Int(id) < count, depth < 512, let r = rec(id) else { return 0 }
        if orderState[Int(id)] == 2 { return 1 }
        if orderState[Int(id)] == 1 {
            if (r.kind == .structure || r.kind == .union) && throughPointer && r.nameOffset != .empty { return 0 }
            return -1                                  // unsatisfiable type cycle
        }
        switch r.kind.rawValue {
        case 1, 16:
            orderState[Int(id)] = 2
            return 0
        case 2:
            let e = order(r.sizeOrType, throughPointer: true, depth: depth + 1)
            orderState[Int(id)] = 2
            return e
        case 3:
            return order(tail(r, 0), throughPointer: false, depth: depth + 1)
        case 4, 5:
            if throughPointer && r.nameOffset != .empty { return 0 }
            orderState[Int(id)] = 1
            for m in 0..<r.vlen where order(tail(r, 3 * m + 1), throughPointer: false, depth: depth + 1) < 0 { return -1 }
            if r.nameOffset != .empty { queue.append(id) }
            orderState[Int(id)] = 2
            return 1
        case 6, 19, 7:
            if r.nameOffset != .empty || !referenced[Int(id)] { queue.append(id) }
            orderState[Int(id)] = 2
            return 1
        case 8:
            let strong = order(r.sizeOrType, throughPointer: throughPointer, depth: depth + 1)
            if strong < 0 { return strong }
            if throughPointer && strong == 0 { return 0 }
            queue.append(id)
            orderState[Int(id)] = 2
            return 1
        case 9, 10, 11, 18:
            return order(r.sizeOrType, throughPointer: throughPointer, depth: depth + 1)
        case 13:
            var e = order(r.sizeOrType, throughPointer: throughPointer, depth: depth + 1)
            if e < 0 { return e }
            var strong = e > 0
            for p in 0..<r.vlen {
                e = order(tail(r, 2 * p + 1), throughPointer: throughPointer, depth: depth + 1)
                if e < 0 { return e }
                if e > 0 { strong = true }
            }
            return strong ? 1 : 0
        case 12, 14, 15, 17:
            orderState[Int(id)] = 2
            return 0
        default:
            return -1
        }
    }

    // MARK: emission (§4.3)

    mutating func emit(_ id: UInt32, container: UInt32, _ out: inout TextOutput) {
        work += 1
        // Pointer and modifier cycles are legal in malformed BTF and never marked emitted: bound
        // the recursion.
        emitDepth += 1
        defer { emitDepth -= 1 }
        guard Int(id) < count, work < CDumpState.workLimit, emitDepth < 512, let r = rec(id) else { return }
        let topLevel = container == 0
        if emitState[Int(id)] == 2 { return }
        if emitState[Int(id)] == 1 {
            if fwdEmitted[Int(id)] { return }
            switch r.kind {
            case .structure, .union:
                if id == container { return }
                if r.nameOffset == .empty { return }          // anonymous struct/union loop
                structForward(id, r, &out)
                out.write(";\n\n")
                fwdEmitted[Int(id)] = true
            case .typedef:
                if !isBlacklisted(r) { topLevelTypedef(id, r, &out) }
                fwdEmitted[Int(id)] = true
            default: break
            }
            return
        }
        switch r.kind.rawValue {
        case 1:
            missingAliases(id, r, &out)
            emitState[Int(id)] = 2
        case 16:
            missingFloatAlias(id, r, &out)
            emitState[Int(id)] = 2
        case 6, 19:
            if topLevel {
                let guarded = renames && isBooleanEnum(r)
                if guarded { out.write(CIdentifiers.beforeC23) }
                enumDef(id, r, level: 0, &out)
                out.write(guarded ? ";\n#endif\n\n" : ";\n\n")
            }
            emitState[Int(id)] = 2
        case 2, 9, 10, 11, 18:
            emit(r.sizeOrType, container: container, &out)
        case 3:
            emit(tail(r, 0), container: container, &out)
        case 7:
            forwardDef(id, r, &out)
            out.write(";\n\n")
            emitState[Int(id)] = 2
        case 8:
            emitState[Int(id)] = 1
            emit(r.sizeOrType, container: id, &out)
            if !fwdEmitted[Int(id)] && !isBlacklisted(r) { topLevelTypedef(id, r, &out) }
            emitState[Int(id)] = 2
        case 4, 5:
            emitState[Int(id)] = 1
            if topLevel || r.nameOffset == .empty {
                let newContainer = r.nameOffset == .empty ? container : id
                for m in 0..<r.vlen { emit(tail(r, 3 * m + 1), container: newContainer, &out) }
            } else if !fwdEmitted[Int(id)] && id != container {
                structForward(id, r, &out)
                out.write(";\n\n")
                fwdEmitted[Int(id)] = true
            }
            if topLevel {
                structDef(id, r, level: 0, &out)
                out.write(";\n\n")
                emitState[Int(id)] = 2
            } else {
                emitState[Int(id)] = 0
            }
        case 13:
            emit(r.sizeOrType, container: container, &out)
            for p in 0..<r.vlen { emit(tail(r, 2 * p + 1), container: container, &out) }
        default:
            break
        }
    }

    /// bpftool leaves `__builtin_va_list` to the compiler. We print the BTF's definition under
    /// its C rename (`CIdentifiers`), unless it has none (a typedef of void) or output must be
    /// bpftool's.
    func isBlacklisted(_ r: Rec) -> Bool {
        str(r.nameOffset.rawValue) == "__builtin_va_list" && (!renames || r.sizeOrType == 0)
    }

    /// A typedef at top level; the kernel's `typedef _Bool bool` inside the before-C23 guard.
    mutating func topLevelTypedef(_ id: UInt32, _ r: Rec, _ out: inout TextOutput) {
        let guarded = renames && isBoolTypedef(r)
        if guarded { out.write(CIdentifiers.beforeC23) }
        typedefDef(id, r, level: 0, &out)
        out.write(guarded ? ";\n#endif\n\n" : ";\n\n")
        if originalNames, renames, r.nameOffset != .empty, let n = cachedName[Int(id)], n != str(r.nameOffset.rawValue) {
            out.write("/* typedef \(n): '\(str(r.nameOffset.rawValue))' in BTF */\n\n")
        }
    }

    static let missingBaseTypes = [("__Poly8_t", "unsigned char"), ("__Poly16_t", "unsigned short"),
                                   ("__Poly64_t", "unsigned long long"), ("__Poly128_t", "unsigned __int128")]

    mutating func missingAliases(_ id: UInt32, _ r: Rec, _ out: inout TextOutput) {
        let name = typeName(id)
        for (n, target) in CDumpState.missingBaseTypes where n == name {
            out.write("typedef \(target) \(name);\n\n")
            return
        }
        // Base types whose names are not C (Rust's u64, usize, bool, char ...): a typedef to the C
        // type of that size and signedness, so the header compiles. C names are left alone.
        let encoding = tail(r, 0) >> 24
        if let alias = intAlias(r) {
            // A C spelling with another size (Rust's 4-byte `char`): printed under an alias.
            out.write("typedef \(CDumpState.cType(size: Int(r.sizeOrType), signed: encoding & 1 != 0, bool: encoding & 4 != 0)) \(alias);\n\n")
            return
        }
        guard !CDumpState.isCTypeName(name), CDumpState.isIdentifier(name) else { return }
        out.write("typedef \(CDumpState.cType(size: Int(r.sizeOrType), signed: encoding & 1 != 0, bool: encoding & 4 != 0)) \(name);\n\n")
    }

    /// FLOAT types with names that are not C get the same treatment.
    mutating func missingFloatAlias(_ id: UInt32, _ r: Rec, _ out: inout TextOutput) {
        let name = str(r.nameOffset.rawValue)
        guard !CDumpState.isCTypeName(name), CDumpState.isIdentifier(name) else { return }
        let c = r.sizeOrType == 4 ? "float" : r.sizeOrType == 8 ? "double" : "long double"
        out.write("typedef \(c) \(name);\n\n")
    }

    static let cTypeWords: Set<Substring> = ["signed", "unsigned", "char", "short", "int", "long", "_Bool", "float",
                                             "double", "__int128", "void", "_Float128", "__float128", "_Complex"]

    /// For an INT whose name is a C type of a different size: the name to print instead
    /// (`__btf_<words>_<size>`), else nil. Kernel BTF never needs one.
    func intAlias(_ r: Rec) -> String? {
        let name = str(r.nameOffset.rawValue)
        guard CDumpState.isCTypeName(name), let c = CDumpState.cSize(name, pointerBytes: pointerBits / 8),
              c != Int(r.sizeOrType) else { return nil }
        return "__btf_" + name.split(separator: " ").joined(separator: "_") + "_\(r.sizeOrType)"
    }

    /// The size of a C integer type spelling on this ABI, nil when not an integer spelling.
    static func cSize(_ name: String, pointerBytes: Int) -> Int? {
        let w = name.split(separator: " ")
        if w.contains("float") || w.contains("double") || w.contains("void") || w.contains("_Complex") { return nil }
        if w.contains("char") || w.contains("_Bool") { return 1 }
        if w.contains("short") { return 2 }
        if w.contains("__int128") { return 16 }
        let longs = w.filter { $0 == "long" }.count
        if longs >= 2 { return 8 }
        if longs == 1 { return pointerBytes }
        return 4
    }

    static func isCTypeName(_ name: String) -> Bool {
        let words = name.split(separator: " ")
        return !words.isEmpty && words.allSatisfy { cTypeWords.contains($0) }
    }

    static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.utf8.first, first == 0x5f || (first | 0x20 >= 0x61 && first | 0x20 <= 0x7a) else { return false }
        return name.utf8.allSatisfy { $0 == 0x5f || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7a) || ($0 >= 0x30 && $0 <= 0x39) }
    }

    static func cType(size: Int, signed: Bool, bool: Bool) -> String {
        if bool { return "_Bool" }
        let base: String
        switch size {
        case 1: base = "char"
        case 2: base = "short"
        case 4: base = "int"
        case 8: base = "long long"
        case 16: base = "__int128"
        default: base = "int"
        }
        return (signed ? "signed " : "unsigned ") + base
    }

    // MARK: definitions

    func indent(_ level: Int, _ out: inout TextOutput) { for _ in 0..<max(0, level) { out.byte(0x09) } }

    mutating func structForward(_ id: UInt32, _ r: Rec, _ out: inout TextOutput) {
        out.write(r.kind == .structure ? "struct" : "union")
        if r.nameOffset != .empty { out.write(" ") }
        out.write(typeName(id))
    }

    mutating func forwardDef(_ id: UInt32, _ r: Rec, _ out: inout TextOutput) {
        out.write(r.kindFlag ? "union " : "struct ")
        out.write(typeName(id))
    }

    mutating func typedefDef(_ id: UInt32, _ r: Rec, level: Int, _ out: inout TextOutput) {
        let name = identName(id)
        if r.sizeOrType == 0 && name == "__gnuc_va_list" {
            out.write("typedef __builtin_va_list __gnuc_va_list")
            return
        }
        out.write("typedef ")
        typeDecl(r.sizeOrType, name: .text(name), level: level, &out)
    }

    mutating func enumDef(_ id: UInt32, _ r: Rec, level: Int, _ out: inout TextOutput) {
        out.write("enum")
        if r.nameOffset != .empty { out.write(" ") }
        out.write(typeName(id))
        guard r.vlen > 0 else { return }
        out.write(" {")
        let wide = r.kind == .enum64
        let stride = wide ? 3 : 2
        for e in 0..<r.vlen {
            let original = str(tail(r, stride * e))
            let name = renames && !isBooleanEnum(r) ? CIdentifiers.printable(original) : original
            let dups = CDumpState.bump(&identNames, name)
            out.write("\n")
            indent(level + 1, &out)
            out.write(name)
            if dups > 1 { out.write("___\(dups)") }
            if originalNames && name != original { out.write(" /* '\(original)' */") }
            out.write(" = ")
            let lo = tail(r, stride * e + 1)
            if wide {
                let v = UInt64(lo) | UInt64(tail(r, stride * e + 2)) << 32
                if r.kindFlag { out.signedDecimal(Int64(bitPattern: v)); out.write("LL,") } else { out.decimal(v); out.write("ULL,") }
            } else {
                if r.kindFlag { out.signedDecimal(Int64(Int32(bitPattern: lo))) } else { out.decimal(lo) }
                out.write(",")
            }
        }
        out.write("\n")
        indent(level, &out)
        out.write("}")
        if r.sizeOrType == 1 && !renames {
            // bpftool 7.1 prints no size attribute: the compiler makes such an enum 4 bytes.
        } else if r.sizeOrType == 1 {
            out.write(" __attribute__((mode(byte)))")
        } else if r.sizeOrType == 8 && pointerBits == 64 {
            var needsWord = true
            if wide { for e in 0..<r.vlen where tail(r, 3 * e + 2) != 0 { needsWord = false; break } }
            if needsWord { out.write(" __attribute__((mode(word)))") }
        }
    }

    mutating func align(_ id: UInt32) -> Int { layout.align(id) }
    mutating func size(_ id: UInt32) -> Int { layout.size(id) }

    mutating func isPacked(_ r: Rec) -> Bool {
        var maxAlign = 1
        for m in 0..<r.vlen {
            let a = align(tail(r, 3 * m + 1))
            let raw = tail(r, 3 * m + 2)
            let bits = r.kindFlag ? raw >> 24 : 0
            if a > 0 && bits == 0 && Int(raw) % (8 * a) != 0 { return true }
            maxAlign = max(a, maxAlign)
        }
        return Int(r.sizeOrType) % maxAlign != 0
    }

    mutating func structDef(_ id: UInt32, _ r: Rec, level: Int, _ out: inout TextOutput) {
        let isStruct = r.kind == .structure
        // Anonymous types nest inline; a malformed BTF could nest them forever.
        work += 1
        guard level < 64, work < CDumpState.workLimit else {
            out.write(isStruct ? "struct { /* nested too deeply */ }" : "union { /* nested too deeply */ }")
            return
        }
        let structAlign = align(id)
        let packed = isStruct && isPacked(r)
        out.write(isStruct ? "struct" : "union")
        if r.nameOffset != .empty { out.write(" ") }
        out.write(typeName(id))
        out.write(" {")
        var off = 0
        var prevBitfield = false
        let renamedMembers = memberNames(r, stride: 3)
        for m in 0..<r.vlen {
            let fname = tail(r, 3 * m)
            let declName: DeclName = renamedMembers.map { .text($0[m]) } ?? .offset(fname)
            let type = tail(r, 3 * m + 1)
            let raw = tail(r, 3 * m + 2)
            let mOff = Int(r.kindFlag ? raw & 0xFF_FFFF : raw)
            var mSize = Int(r.kindFlag ? raw >> 24 : 0)
            let mAlign = packed ? 1 : align(type)
            bitPadding(from: off, to: mOff, nextAlign: mAlign, inBitfield: prevBitfield && mSize != 0, level: level + 1, &out)
            out.write("\n")
            indent(level + 1, &out)
            typeDecl(type, name: declName, level: level + 1, &out)
            if mSize != 0 {
                out.write(": ")
                out.decimal(mSize)
                off = mOff + mSize
                prevBitfield = true
            } else {
                mSize = max(0, size(type))
                off = mOff + mSize * 8
                prevBitfield = false
            }
            out.write(";")
            if originalNames, case .text(let printed) = declName, printed != str(fname) { out.write(" /* '\(str(fname))' */") }
        }
        if isStruct { bitPadding(from: off, to: Int(r.sizeOrType) * 8, nextAlign: packed ? 1 : structAlign, inBitfield: false, level: level + 1, &out) }
        if r.vlen > 0 || r.sizeOrType > 0 {
            out.write("\n")
            indent(level, &out)
            out.write("}")
        } else {
            out.write("}")
        }
        if packed { out.write(" __attribute__((packed))") }
    }

    func bitPadding(from curIn: Int, to next: Int, nextAlign: Int, inBitfield: Bool, level: Int, _ out: inout TextOutput) {
        var cur = curIn
        guard cur < next else { return }
        // A gap of megabytes only comes from malformed BTF: say so instead of printing millions
        // of `long: 64;` lines.
        guard next - cur <= 1 << 24 else {
            out.write("\n")
            indent(level, &out)
            out.write("/* \((next - cur) / 8) bytes of padding */")
            return
        }
        let pads = [("long", pointerBits), ("int", 32), ("short", 16), ("char", 8)]
        var newOff = 0, padBits = 0
        var padType = ""
        for (name, bits) in pads {
            padBits = bits
            padType = name
            newOff = (cur + bits - 1) / bits * bits
            if newOff <= next { break }
        }
        if newOff > cur && newOff <= next {
            let a8 = nextAlign * 8
            if inBitfield || (newOff == next && (a8 > 0 ? (cur + a8 - 1) / a8 * a8 : cur) != newOff)
                || (newOff != next && next - newOff <= newOff - cur) {
                out.write("\n")
                indent(level, &out)
                out.write("\(padType): \(inBitfield ? newOff - cur : 0);")
            }
            cur = newOff
        }
        while cur != next {
            let bits = min(next - cur, padBits)
            if bits == padBits {
                out.write("\n")
                indent(level, &out)
                out.write("\(padType): \(padBits);")
                cur += bits
                continue
            }
            for (name, pb) in pads.reversed() where pb >= bits {
                out.write("\n")
                indent(level, &out)
                out.write("\(name): \(bits);")
                cur += bits
                break
            }
        }
    }
}

extension CDumper {
    /// C11 `_Static_assert`s that the size of every named struct/union and the offset of each of
    /// its named, non-bitfield members in the printed header equal what the BTF says. Compile them
    /// after the header to check that a compiler lays the types out as the BTF describes.
    public func layoutAssertions(names: [TypeID: String]) -> String {
        var out = ""
        let rename: ([String]) -> [String] = bpftoolCompatible ? { $0 } : { CIdentifiers.printable(siblings: $0) }
        for f in LayoutFacts.of(btf, names: names, memberNames: rename) {
            out += "_Static_assert(sizeof(\(f.keyword) \(f.name)) == \(f.size), \"sizeof \(f.name)\");\n"
            for (m, offset) in f.members {
                out += "_Static_assert(__builtin_offsetof(\(f.keyword) \(f.name), \(m)) == \(offset), \"\(f.name).\(m)\");\n"
            }
        }
        return out
    }
}

/// What layout assertions check: per named struct/union its size and the byte offset of each
/// named, byte-aligned, non-bitfield member (shared by the C and Rust printers).
struct LayoutFacts {
    var keyword: String
    var name: String
    var size: UInt32
    var members: [(String, UInt32)]

    /// `memberNames` maps a struct's member names (all of them, in order) to the printed ones.
    static func of(_ btf: BTFFile, names: [TypeID: String], memberNames: ([String]) -> [String] = { $0 }) -> [LayoutFacts] {
        var facts: [LayoutFacts] = []
        for (id, printed) in names.sorted(by: { $0.key < $1.key }) {
            guard let t = try? btf.type(id) else { continue }
            let (word, s): (String, BTFComposite)
            switch t {
            case .structure(let x): (word, s) = ("struct", x)
            case .union(let x): (word, s) = ("union", x)
            default: continue
            }
            var members: [(String, UInt32)] = []
            let memberPrinted = memberNames(s.members.map { btf.string($0.name) })
            for (m, mname) in zip(s.members, memberPrinted) {
                guard !mname.isEmpty, !(s.hasBitfieldSizes && (m.offset >> 24) != 0) else { continue }
                let bits = s.hasBitfieldSizes ? m.offset & 0xFF_FFFF : m.offset
                guard bits % 8 == 0 else { continue }
                members.append((mname, bits / 8))
            }
            facts.append(LayoutFacts(keyword: word, name: printed, size: s.size, members: members))
        }
        return facts
    }
}
