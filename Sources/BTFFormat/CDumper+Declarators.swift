import BTF

/// C declarators (btf-spec §4.4): a type and a name spelled the way C nests pointers, arrays,
/// function prototypes and qualifiers around them.
extension CDumpState {
    mutating func typeDecl(_ idIn: UInt32, name: DeclName, level: Int, _ out: inout TextOutput) {
        var stack: [UInt32] = []
        var id = idIn
        for _ in 0..<1024 {
            stack.append(id)
            guard let r = rec(id) else { break }
            var next: UInt32? = nil
            switch r.kind.rawValue {
            case 2, 9, 10, 11, 13, 18: next = r.sizeOrType
            case 3: next = tail(r, 0)
            default: break
            }
            guard let n = next else { break }
            id = n
        }
        typeChain(&stack, name: name, level: level, &out)
    }

    func isModifier(_ id: UInt32) -> Bool {
        guard let r = rec(id) else { return false }
        switch r.kind.rawValue {
        case 9, 10, 11, 18: return true
        default: return false
        }
    }

    func emitMods(_ stack: inout [UInt32], _ out: inout TextOutput) {
        while let id = stack.last, let r = rec(id) {
            switch r.kind {
            case .volatile: out.write("volatile ")
            case .const: out.write("const ")
            case .restrict: out.write("restrict ")
            default: return
            }
            stack.removeLast()
        }
    }

    func dropMods(_ stack: inout [UInt32]) {
        while let id = stack.last, isModifier(id) { stack.removeLast() }
    }

    func isEmpty(_ name: DeclName) -> Bool {
        switch name {
        case .offset(let o): return o == 0 || btf.stringRange(StringOffset(o)).map { $0.range.isEmpty } ?? true
        case .text(let t): return t.isEmpty
        }
    }

    func emitName(_ name: DeclName, lastWasPointer: Bool, _ out: inout TextOutput) {
        if !lastWasPointer && !isEmpty(name) { out.write(" ") }
        switch name {
        case .offset(let o): writeString(o, &out)
        case .text(let t): out.write(t)
        }
    }

    mutating func typeChain(_ stack: inout [UInt32], name: DeclName, level: Int, _ out: inout TextOutput) {
        var lastWasPointer = true
        chainDepth += 1
        work += 1
        defer { chainDepth -= 1 }
        guard chainDepth < 256, work < CDumpState.workLimit else { out.write("void /* declarator nested too deeply */"); return }
        while let id = stack.popLast() {
            work += 1
            if work >= CDumpState.workLimit { out.write("void /* declarator too long */"); return }
            guard id != 0, let r = rec(id) else {
                emitMods(&stack, &out)
                out.write("void")
                lastWasPointer = false
                continue
            }
            switch r.kind.rawValue {
            case 1, 16:
                emitMods(&stack, &out)
                if r.kind == .int, let alias = intAlias(r) { out.write(alias) }
                else if let renamed = renamedBaseType(r) { out.write(renamed) }
                else { writeString(r.nameOffset.rawValue, &out) }
            case 4, 5:
                emitMods(&stack, &out)
                if r.nameOffset == .empty { structDef(id, r, level: level, &out) } else { structForward(id, r, &out) }
            case 6, 19:
                emitMods(&stack, &out)
                if r.nameOffset == .empty { enumDef(id, r, level: level, &out) } else { out.write("enum "); out.write(typeName(id)) }
            case 7:
                emitMods(&stack, &out)
                forwardDef(id, r, &out)
            case 8:
                emitMods(&stack, &out)
                out.write(identName(id))
            case 2:
                out.write(lastWasPointer ? "*" : " *")
            case 9: out.write(" volatile")
            case 10: out.write(" const")
            case 11: out.write(" restrict")
            case 18:
                emitMods(&stack, &out)
                out.write(" __attribute__((btf_type_tag(\"\(str(r.nameOffset.rawValue))\")))")
            case 3:
                dropMods(&stack)
                if stack.isEmpty {
                    emitName(name, lastWasPointer: lastWasPointer, &out)
                    out.write("[")
                    out.decimal(tail(r, 2))
                    out.write("]")
                    return
                }
                let multidim = rec(stack[stack.count - 1])?.kind == .array
                if !lastWasPointer && !isEmpty(name) { out.write(" ") }
                if !multidim { out.write("(") }
                typeChain(&stack, name: name, level: level, &out)
                if !multidim { out.write(")") }
                out.write("[")
                out.decimal(tail(r, 2))
                out.write("]")
                return
            case 13:
                dropMods(&stack)
                if !stack.isEmpty {
                    out.write(" (")
                    typeChain(&stack, name: name, level: level, &out)
                    out.write(")")
                } else {
                    emitName(name, lastWasPointer: lastWasPointer, &out)
                }
                out.write("(")
                if r.vlen == 0 || (r.vlen == 1 && tail(r, 1) == 0) {
                    out.write("void)")
                    return
                }
                let renamedParams = memberNames(r, stride: 2)
                for p in 0..<r.vlen {
                    if p > 0 { out.write(", ") }
                    if p == r.vlen - 1 && tail(r, 2 * p + 1) == 0 {
                        out.write("...")
                        break
                    }
                    typeDecl(tail(r, 2 * p + 1), name: renamedParams.map { .text($0[p]) } ?? .offset(tail(r, 2 * p)), level: level, &out)
                }
                out.write(")")
                return
            default:
                return
            }
            lastWasPointer = r.kind == .pointer
        }
        emitName(name, lastWasPointer: lastWasPointer, &out)
    }
}
