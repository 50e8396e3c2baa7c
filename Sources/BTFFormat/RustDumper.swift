import BTF

/// Prints BTF as Rust bindings (`btfkit dump --format rust`), no_std and without bindgen:
/// `#[repr(C)]` structs and unions whose every field sits at its BTF offset (explicit `[u8; N]`
/// padding where C would pad, `packed`/`align(N)` where the BTF layout needs it), bitfields as byte
/// storage with `get_`/`set_` accessors, enums as an integer type alias plus constants, typedefs as
/// type aliases, function pointers as `Option<unsafe extern "C" fn(...)>`, flexible arrays as
/// `[T; 0]`, opaque (forward-declared) types as zero-sized structs. Primitives are spelled
/// `::core::primitive::*` so C typedefs named `u8` or `bool` can't shadow them; names that are
/// Rust keywords become raw identifiers (`r#type`).
public struct RustDumper {
    public let btf: BTFFile
    public init(_ btf: BTFFile) { self.btf = btf }

    /// The bindings for all types, or for `roots` and everything they depend on.
    public func dump(into out: inout TextOutput, roots: [TypeID]? = nil) {
        var s = RustDumpState(btf)
        s.dump(roots: roots, &out)
    }

    /// The Rust name each printed struct/union/typedef/enum got, for tools and tests.
    public func names(roots: [TypeID]? = nil) -> [TypeID: String] {
        var s = RustDumpState(btf)
        var out = TextOutput()
        s.dump(roots: roots, &out)
        var result: [TypeID: String] = [:]
        for (id, n) in s.typeName { result[TypeID(id)] = n }
        return result
    }
}

struct RustDumpState: TypeViewing {
    let btf: BTFFile
    let view: TypeView
    var typeName: [UInt32: String] = [:]
    var usedTypeNames: [String: Int] = [:]
    var usedValueNames: [String: Int] = [:]
    let layout: LayoutMemo
    var emitted: [Bool]
    /// Per struct/union: 1 when its Rust form needs `#[repr(align(N))]` (bitfield storage is
    /// byte arrays, so Rust alone would align it less than C), 0 when not, -1 unknown.
    var alignAttrMemo: [Int8]
    /// Type expressions spelled for the current item; bounded so that malformed BTF (prototypes
    /// of prototypes ...) can't make the output explode.
    var work = 0

    init(_ btf: BTFFile) {
        self.btf = btf
        view = TypeView(btf)
        layout = LayoutMemo(view)          // the same table: built once
        emitted = Array(repeating: false, count: view.count)
        alignAttrMemo = Array(repeating: -1, count: view.count)
        rustAlignMemo = Array(repeating: -1, count: view.count)
        containsAlignMemo = Array(repeating: -1, count: view.count)
    }

    var containsAlignMemo: [Int8]

    /// `rustAlign` per type, computed once: malformed BTF whose members refer back to their
    /// struct would otherwise make the walk exponential (each level fans out over every member).
    var rustAlignMemo: [Int32]

    /// The alignment Rust gives our form of a type (bitfield runs count as bytes).
    mutating func rustAlign(_ id: UInt32, depth: Int = 0) -> Int {
        guard depth < 32, let r = rec(id) else { return 1 }
        if Int(id) < rustAlignMemo.count, rustAlignMemo[Int(id)] >= 0 { return Int(rustAlignMemo[Int(id)]) }
        if Int(id) < rustAlignMemo.count { rustAlignMemo[Int(id)] = 1 }     // a cycle back here counts as 1
        let a = rustAlignUncached(id, r, depth: depth)
        if Int(id) < rustAlignMemo.count { rustAlignMemo[Int(id)] = Int32(clamping: a) }
        return a
    }

    mutating func rustAlignUncached(_ id: UInt32, _ r: Rec, depth: Int) -> Int {
        switch r.kind.rawValue {
        case 4, 5:
            if needsAlignAttr(id, depth: depth) { return align(id) }
            var m = 1
            for k in 0..<r.vlen where !(r.kindFlag && tail(r, 3 * k + 2) >> 24 != 0) {
                m = max(m, rustAlign(tail(r, 3 * k + 1), depth: depth + 1))
            }
            return m
        case 3: return rustAlign(tail(r, 0), depth: depth + 1)
        case 8, 9, 10, 11, 18: return rustAlign(r.sizeOrType, depth: depth + 1)
        default: return align(id)
        }
    }

    /// True when the struct/union is printed with `#[repr(C, align(N))]`.
    mutating func needsAlignAttr(_ id: UInt32, depth: Int = 0) -> Bool {
        guard Int(id) < alignAttrMemo.count, let r = rec(id), r.kind == .structure || r.kind == .union else { return false }
        if alignAttrMemo[Int(id)] >= 0 { return alignAttrMemo[Int(id)] == 1 }
        alignAttrMemo[Int(id)] = 0                      // cycles only go through pointers
        var m = 1
        for k in 0..<r.vlen where !(r.kindFlag && tail(r, 3 * k + 2) >> 24 != 0) {
            m = max(m, rustAlign(tail(r, 3 * k + 1), depth: depth + 1))
        }
        let needs = align(id) > m && !isPackedLayout(r)
        alignAttrMemo[Int(id)] = needs ? 1 : 0
        return needs
    }

    /// True when any field is not at a multiple of its alignment, or the size is not a multiple
    /// of the largest alignment (C's packed structs).
    mutating func isPackedLayout(_ r: Rec) -> Bool {
        guard r.kind == .structure else { return false }
        var maxAlign = 1
        for k in 0..<r.vlen {
            let raw = tail(r, 3 * k + 2)
            if r.kindFlag && raw >> 24 != 0 { continue }
            let a = align(tail(r, 3 * k + 1))
            if Int(raw) % (8 * max(a, 1)) != 0 { return true }
            maxAlign = max(maxAlign, a)
        }
        return Int(r.sizeOrType) % maxAlign != 0
    }

    /// True when the type (through arrays and aliases) contains a `repr(align)` struct, which a
    /// packed struct may not hold.
    mutating func containsAlignAttr(_ id: UInt32, depth: Int = 0) -> Bool {
        guard depth < 32, let r = rec(id) else { return false }
        // Once per type (self-referring members in malformed BTF would make this exponential).
        if Int(id) < containsAlignMemo.count, containsAlignMemo[Int(id)] >= 0 { return containsAlignMemo[Int(id)] == 1 }
        if Int(id) < containsAlignMemo.count { containsAlignMemo[Int(id)] = 0 }
        let result = containsAlignAttrUncached(id, r, depth: depth)
        if Int(id) < containsAlignMemo.count { containsAlignMemo[Int(id)] = result ? 1 : 0 }
        return result
    }

    mutating func containsAlignAttrUncached(_ id: UInt32, _ r: Rec, depth: Int) -> Bool {
        switch r.kind.rawValue {
        case 4, 5:
            if needsAlignAttr(id) { return true }
            for k in 0..<r.vlen where containsAlignAttr(tail(r, 3 * k + 1), depth: depth + 1) { return true }
            return false
        case 3: return containsAlignAttr(tail(r, 0), depth: depth + 1)
        case 8, 9, 10, 11, 18: return containsAlignAttr(r.sizeOrType, depth: depth + 1)
        default: return false
        }
    }

    // MARK: names

    static let keywords: Set<String> = ["as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn",
        "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self", "Self",
        "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where", "while", "async", "await", "dyn",
        "abstract", "become", "box", "do", "final", "macro", "override", "priv", "typeof", "unsized", "virtual", "yield",
        "try", "gen", "union", "_"]
    static let unrawable: Set<String> = ["crate", "self", "Self", "super", "_"]

    /// A field or constant name usable in Rust.
    static func ident(_ name: String) -> String {
        // Every keyword is 1–8 ASCII letters (or "_"): most names are ruled out without hashing.
        let u = name.utf8
        if u.count > 8 || (u.count > 1 && u.contains(0x5f)) || u.contains(where: { $0 >= 0x30 && $0 <= 0x39 }) { return name }
        if unrawable.contains(name) { return name + "_" }
        if keywords.contains(name) { return "r#" + name }
        return name
    }

    /// Field names for a struct's members: `ident` of each, and a name that `ident` renamed
    /// (`self` → `self_`) gets more `_` while it equals a sibling's.
    static func fieldIdents(_ names: [String]) -> [String] {
        let printed = names.map(ident)
        guard zip(names, printed).contains(where: { $0 + "_" == $1 }) else { return printed }
        // Only a name another member really has (or an earlier rename took) forces more `_`.
        var taken = Set(names)
        return zip(names, printed).map { name, p in
            guard p == name + "_" else { return p }
            var candidate = p
            while taken.contains(candidate) { candidate += "_" }
            taken.insert(candidate)
            return candidate
        }
    }

    static func unique(_ name: String, _ used: inout [String: Int]) -> String {
        let n = (used[name] ?? 0) + 1
        used[name] = n
        return n == 1 ? name : "\(name)___\(n)"
    }

    /// The Rust type name of a named or anonymous struct/union/enum/typedef/fwd.
    mutating func name(of id: UInt32) -> String {
        if let n = typeName[id] { return n }
        guard let r = rec(id) else { return "::core::ffi::c_void" }
        var base = r.nameOffset == .empty ? "__anon_\(id)" : str(r.nameOffset.rawValue)
        if RustDumpState.unrawable.contains(base) { base += "_" }
        let unique = RustDumpState.unique(base, &usedTypeNames)
        let n = RustDumpState.keywords.contains(unique) ? "r#" + unique : unique
        typeName[id] = n
        return n
    }

    // MARK: type expressions

    static func primitive(size: Int, signed: Bool) -> String {
        let bits: Int
        switch size {
        case 1: bits = 8
        case 2: bits = 16
        case 4: bits = 32
        case 8: bits = 64
        case 16: bits = 128
        default: return "[::core::primitive::u8; \(size)]"
        }
        return "::core::primitive::\(signed ? "i" : "u")\(bits)"
    }

    /// The Rust type for a BTF type used as a value (field, element, alias target).
    mutating func rustType(_ id: UInt32, depth: Int = 0) -> String {
        work += 1
        guard depth < 64, work < 200_000, let r = rec(id) else { return "::core::ffi::c_void" }
        switch r.kind.rawValue {
        case 1:
            let enc = tail(r, 0) >> 24
            if enc & 4 != 0 && r.sizeOrType == 1 { return "::core::primitive::bool" }
            return RustDumpState.primitive(size: Int(r.sizeOrType), signed: enc & 1 != 0)
        case 16:
            switch r.sizeOrType {
            case 4: return "::core::primitive::f32"
            case 8: return "::core::primitive::f64"
            case 16: return "::core::primitive::u128"          // long double: size and alignment only
            default: return "[::core::primitive::u8; \(r.sizeOrType)]"
            }
        case 2:
            // Pointer to a function (through typedefs/qualifiers): an optional fn pointer.
            if let proto = functionPointee(r.sizeOrType) { return "::core::option::Option<\(fnType(proto.proto, alias: proto.alias, depth: depth + 1))>" }
            let pointee = r.sizeOrType
            let mutability = isConst(pointee) ? "*const " : "*mut "
            return mutability + (pointee == 0 ? "::core::ffi::c_void" : rustType(stripQualifiers(pointee), depth: depth + 1))
        case 3:
            return "[\(rustType(tail(r, 0), depth: depth + 1)); \(tail(r, 2))]"
        case 4, 5, 7, 8:
            return name(of: id)
        case 6, 19:
            return r.nameOffset == .empty ? RustDumpState.primitive(size: Int(r.sizeOrType), signed: r.kindFlag) : name(of: id)
        case 9, 10, 11, 18:
            return rustType(r.sizeOrType, depth: depth + 1)
        case 13:
            return fnType(id, alias: nil, depth: depth + 1)
        default:
            return "::core::ffi::c_void"
        }
    }

    func stripQualifiers(_ id: UInt32) -> UInt32 {
        var id = id
        for _ in 0..<32 {
            guard let r = rec(id), r.kind == .volatile || r.kind == .const || r.kind == .restrict || r.kind == .typeTag else { return id }
            id = r.sizeOrType
        }
        return id
    }

    func isConst(_ id: UInt32) -> Bool {
        var id = id
        for _ in 0..<32 {
            guard let r = rec(id) else { return false }
            switch r.kind.rawValue {
            case 10: return true
            case 9, 11, 18: id = r.sizeOrType
            default: return false
            }
        }
        return false
    }

    /// The FUNC_PROTO a pointer target is (through qualifiers and typedefs), and the typedef
    /// naming it if the pointer went through one.
    func functionPointee(_ id: UInt32) -> (proto: UInt32, alias: UInt32?)? {
        var id = id
        var alias: UInt32? = nil
        for _ in 0..<32 {
            guard let r = rec(id) else { return nil }
            switch r.kind.rawValue {
            case 13: return (id, alias)
            case 9, 10, 11, 18: id = r.sizeOrType
            case 8: if alias == nil { alias = id }; id = r.sizeOrType
            default: return nil
            }
        }
        return nil
    }

    mutating func fnType(_ proto: UInt32, alias: UInt32?, depth: Int) -> String {
        if let alias { return name(of: alias) }
        guard let r = rec(proto), depth < 64 else { return "unsafe extern \"C\" fn()" }
        var params: [String] = []
        var variadic = false
        for p in 0..<r.vlen {
            let type = tail(r, 2 * p + 1)
            if type == 0 { if p == r.vlen - 1 && r.vlen > 1 { variadic = true }; continue }
            params.append(rustType(type, depth: depth + 1))
        }
        if variadic { params.append("...") }
        let ret = r.sizeOrType == 0 ? "" : " -> " + rustType(r.sizeOrType, depth: depth + 1)
        return "unsafe extern \"C\" fn(\(params.joined(separator: ", ")))\(ret)"
    }

    // MARK: layout helpers

    func align(_ id: UInt32) -> Int { layout.align(id) }
    func size(_ id: UInt32) -> Int { layout.size(id) }

    // MARK: items

    mutating func dump(roots: [TypeID]?, _ out: inout TextOutput) {
        out.write("// Rust bindings generated by btfkit from BTF. no_std; every struct's layout is its BTF layout.\n")
        // C's names (task_struct, TASK_COMM_LEN, u32) are kept as they are, and C passes empty
        // structs (GNU C) by value: without this, rustc warns once per type, field and constant.
        out.write("#![allow(non_camel_case_types, non_snake_case, non_upper_case_globals, dead_code, improper_ctypes_definitions, improper_ctypes)]\n\n")
        var ids: [UInt32]
        if let roots {
            var keep = Set<UInt32>()
            var stack = roots.map(\.rawValue)
            while let id = stack.popLast() {
                guard id != 0, Int(id) < count, keep.insert(id).inserted else { continue }
                view.t.forEachTypeField(Int(id) - 1) { stack.append(view.t.words[$0]) }
            }
            ids = keep.sorted()
        } else {
            ids = (1..<count).map { UInt32($0) }
        }
        // Names first, in ID order, so renaming is stable whatever the emission order.
        for id in ids {
            guard let r = rec(id) else { continue }
            switch r.kind.rawValue {
            case 4, 5, 7, 8: _ = name(of: id)
            case 6, 19: if r.nameOffset != .empty { _ = name(of: id) }
            default: break
            }
        }
        for id in ids { item(id, &out) }
    }

    mutating func item(_ id: UInt32, _ out: inout TextOutput) {
        guard let r = rec(id), !emitted[Int(id)] else { return }
        emitted[Int(id)] = true
        work = 0
        switch r.kind.rawValue {
        case 4, 5: aggregate(id, r, &out)
        case 7:
            out.write("#[repr(C)]\n#[derive(Copy, Clone)]\npub struct \(name(of: id)) {\n    _opaque: [::core::primitive::u8; 0],\n}\n\n")
        case 8:
            let target = r.sizeOrType
            let text: String
            if let proto = functionPointee(target), proto.proto == stripTypedefsAndQualifiers(target) , rec(stripQualifiers(target))?.kind == .functionProto {
                text = fnType(proto.proto, alias: nil, depth: 0)
            } else {
                text = target == 0 ? "::core::ffi::c_void" : rustType(target)
            }
            out.write("pub type \(name(of: id)) = \(text);\n\n")
        case 6, 19: enumeration(id, r, &out)
        default: break
        }
    }

    func stripTypedefsAndQualifiers(_ id: UInt32) -> UInt32 {
        var id = id
        for _ in 0..<32 {
            guard let r = rec(id), r.kind == .typedef || r.kind == .volatile || r.kind == .const || r.kind == .restrict || r.kind == .typeTag else { return id }
            id = r.sizeOrType
        }
        return id
    }

    mutating func enumeration(_ id: UInt32, _ r: Rec, _ out: inout TextOutput) {
        let intType = RustDumpState.primitive(size: Int(r.sizeOrType), signed: r.kindFlag)
        let typeText: String
        if r.nameOffset != .empty {
            typeText = name(of: id)
            out.write("pub type \(typeText) = \(intType);\n")
        } else {
            typeText = intType
        }
        let wide = r.kind == .enum64
        for e in 0..<r.vlen {
            let stride = wide ? 3 : 2
            let n = RustDumpState.unique(str(tail(r, stride * e)), &usedValueNames)
            let lo = UInt64(tail(r, stride * e + 1))
            let v = wide ? lo | UInt64(tail(r, stride * e + 2)) << 32 : lo
            let size = Int(r.sizeOrType)
            let value: String
            if r.kindFlag {
                let signed: Int64 = wide ? Int64(bitPattern: v) : Int64(Int32(bitPattern: UInt32(truncatingIfNeeded: v)))
                value = size >= 4 || (signed >= -(1 << (size * 8 - 1)) && signed < (1 << (size * 8 - 1))) ? "\(signed)" : "\(signed) as \(intType)"
            } else {
                value = size >= 8 || v < (UInt64(1) << (size * 8)) ? "\(v)" : "\(v) as \(intType)"
            }
            out.write("pub const \(RustDumpState.ident(n)): \(typeText) = \(value);\n")
        }
        out.write("\n")
    }

    mutating func aggregate(_ id: UInt32, _ r: Rec, _ out: inout TextOutput) {
        let isUnion = r.kind == .union
        let structName = name(of: id)
        let totalSize = Int(r.sizeOrType)
        let btfAlign = align(id)
        // Members in offset order with their Rust types; bitfield runs become byte storage.
        var fields: [(name: String, type: String, offset: Int, size: Int, align: Int)] = []
        var accessors: [(name: String, storage: String, storageOffset: Int, bitOffset: Int, bits: Int, signed: Bool)] = []
        var packed = false
        var fieldTypes: [UInt32] = []     // BTF type per entry of `fields` (0 for bitfield storage)
        // Renamed field names (`fieldIdents`), computed once per struct when one is needed.
        var renamedFields: [String]? = nil
        var m = 0
        while m < r.vlen {
            let raw = tail(r, 3 * m + 2)
            let bits = r.kindFlag ? Int(raw >> 24) : 0
            let off = r.kindFlag ? Int(raw & 0xFF_FFFF) : Int(raw)
            let type = tail(r, 3 * m + 1)
            if bits > 0 {
                // A run of bitfields: storage from the first one's byte to the last one's end.
                let startByte = off / 8
                var endBit = off + bits
                var k = m
                var members: [(Int, Int, Int, UInt32)] = []
                while k < r.vlen {
                    let rk = tail(r, 3 * k + 2)
                    let bk = r.kindFlag ? Int(rk >> 24) : 0
                    guard bk > 0 else { break }
                    let ok = Int(rk & 0xFF_FFFF)
                    if k > m && ok / 8 > (endBit + 7) / 8 { break }
                    members.append((k, ok, bk, tail(r, 3 * k + 1)))
                    endBit = max(endBit, ok + bk)
                    k += 1
                }
                let storageBytes = (endBit + 7) / 8 - startByte
                let storage = "_bitfield_\(startByte)"
                fields.append((storage, "[::core::primitive::u8; \(storageBytes)]", startByte * 8, storageBytes, 1))
                fieldTypes.append(0)
                for (k2, ok, bk, tk) in members {
                    let n = str(tail(r, 3 * k2))
                    if n.isEmpty { continue }
                    let enc = rec(stripTypedefsAndQualifiers(tk)).map { $0.kind == .int ? (tail($0, 0) >> 24) & 1 != 0 : $0.kindFlag } ?? false
                    accessors.append((n, storage, startByte, ok - startByte * 8, bk, enc))
                }
                m = k
                continue
            }
            let n = str(tail(r, 3 * m))
            let a = align(type)
            if off % (8 * max(a, 1)) != 0 { packed = true }
            var ident = n.isEmpty ? "__anon_\(m)" : RustDumpState.ident(n)
            if !n.isEmpty && ident == n + "_" {
                if renamedFields == nil { renamedFields = RustDumpState.fieldIdents((0..<r.vlen).map { str(tail(r, 3 * $0)) }) }
                if let all = renamedFields, m < all.count { ident = all[m] }
            }
            fields.append((ident, rustType(type), off, size(type), a))
            fieldTypes.append(type)
            m += 1
        }
        if !isUnion && isPackedLayout(r) { packed = true }
        if packed {
            // Rust forbids repr(align) types inside packed ones: such fields become their bytes.
            for i in fields.indices where i < fieldTypes.count && fieldTypes[i] != 0 && containsAlignAttr(fieldTypes[i]) {
                fields[i].type = "[::core::primitive::u8; \(fields[i].size)]"
            }
        }
        let maxAlign = fields.map(\.align).max() ?? 1
        if !isUnion && totalSize % max(maxAlign, 1) != 0 { packed = true }
        var repr = "C"
        if packed && !isUnion { repr = "C, packed" }
        else if needsAlignAttr(id) { repr = "C, align(\(btfAlign))" }
        out.write("#[repr(\(repr))]\n#[derive(Copy, Clone)]\npub \(isUnion ? "union" : "struct") \(structName) {\n")
        var cur = 0
        var pads = 0
        for f in fields {
            let byteOff = f.offset / 8
            if !isUnion {
                // Rust places the field at roundup(cur, align) (1 when packed); pad up to its offset.
                let natural = packed ? cur : (cur + f.align - 1) / max(f.align, 1) * max(f.align, 1)
                if byteOff > natural || (byteOff > cur && natural != byteOff) {
                    out.write("    pub __pad_\(pads): [::core::primitive::u8; \(byteOff - cur)],\n")
                    pads += 1
                }
            }
            out.write("    pub \(f.name): \(f.type),\n")
            cur = isUnion ? max(cur, f.size) : byteOff + f.size
        }
        if !isUnion && cur < totalSize {
            // Trailing padding only where Rust's own rounding to the alignment would not reach.
            let alignment = packed ? 1 : max(btfAlign, maxAlign)
            let rounded = (cur + alignment - 1) / alignment * alignment
            if rounded != totalSize { out.write("    pub __pad_\(pads): [::core::primitive::u8; \(totalSize - cur)],\n") }
        }
        if isUnion && fields.isEmpty && totalSize > 0 {
            out.write("    pub __data: [::core::primitive::u8; \(totalSize)],\n")
        }
        out.write("}\n\n")
        if !accessors.isEmpty {
            out.write("impl \(structName) {\n")
            for a in accessors {
                let n = a.name
                out.write("    #[inline]\n    pub fn get_\(n)(&self) -> ::core::primitive::u64 {\n")
                out.write("        let mut v: ::core::primitive::u64 = 0;\n")
                out.write("        for i in 0..\(a.bits) {\n            let bit = \(a.bitOffset) + i;\n")
                out.write("            if self.\(a.storage)[bit / 8] >> (bit % 8) & 1 != 0 { v |= 1 << i; }\n        }\n        v\n    }\n")
                out.write("    #[inline]\n    pub fn set_\(n)(&mut self, v: ::core::primitive::u64) {\n")
                out.write("        for i in 0..\(a.bits) {\n            let bit = \(a.bitOffset) + i;\n")
                out.write("            if v >> i & 1 != 0 { self.\(a.storage)[bit / 8] |= 1 << (bit % 8); } else { self.\(a.storage)[bit / 8] &= !(1 << (bit % 8)); }\n        }\n    }\n")
            }
            out.write("}\n\n")
        }
    }
}

extension RustDumper {
    /// `const` assertions that `size_of` of every struct/union and `offset_of!` of each named,
    /// byte-aligned, non-bitfield member of the printed bindings equal what the BTF says.
    public func layoutAssertions(names: [TypeID: String]) -> String {
        var out = ""
        for f in LayoutFacts.of(btf, names: names, memberNames: RustDumpState.fieldIdents) {
            out += "const _: () = assert!(::core::mem::size_of::<\(f.name)>() == \(f.size));\n"
            for (m, offset) in f.members {
                out += "const _: () = assert!(::core::mem::offset_of!(\(f.name), \(m)) == \(offset));\n"
            }
        }
        return out
    }
}
