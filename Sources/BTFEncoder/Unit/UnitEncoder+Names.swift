import BTF
import DWARF

/// Names: C identifiers as they are, Rust names escaped (`NamePolicy`), linkage names for symbol
/// matching, generated names for unnamed Rust parameters.
extension UnitEncoder {
    mutating func name(_ a: Attrs) -> UInt32 {
        guard let n = a.name else { return 0 }
        return identifier(n)
    }

    /// Qualify Rust type names with their namespace path (feature `qualified_names`).
    var qualify: Bool { isRust && options.qualifiedNames }

    /// The name of a struct/union/enum/typedef: with `qualify`, its namespace path joined by
    /// `::` in front (`core::fmt::rt::Count`), then made an identifier; else its identifier.
    /// (Takes the name value, not the whole `Attrs`: passing that copies it.)
    mutating func typeName(_ nameValue: AttributeValue?) -> UInt32 {
        guard let n = nameValue else { return 0 }
        guard qualify, let bytes = strings.bytes(n) else { return identifier(n) }
        let path = namespaces.filter { !$0.isEmpty }
        guard !path.isEmpty else { return identifier(n) }
        let full = (path + [String(decoding: bytes, as: UTF8.self)]).joined(separator: "::")
        var text = full
        let escaped = text.withUTF8 { NamePolicy.isValid($0) ? Array($0) : NamePolicy.escape($0) }
        if !NamePolicy.isReversibleString(full) {
            let off = escaped.withUnsafeBufferPointer { worker.strings.intern($0).rawValue }
            worker.originals[off] = worker.strings.intern("name=" + full).rawValue
            return off
        }
        return escaped.withUnsafeBufferPointer { worker.strings.intern($0).rawValue }
    }

    /// The interned identifier form (see `NamePolicy`) of a string attribute value.
    mutating func identifier(_ n: AttributeValue) -> UInt32 {
        let key = strings.key(n)
        // A preinterned .debug_str name, else the name cache (string-section key → interned
        // offset), then the interner.
        if let key {
            if let direct = worker.preinterned.offset(ofKey: key) { return direct }
            if let hit = worker.nameCache.lookup(key) { return hit }
        }
        guard let bytes = strings.bytes(n) else { return 0 }
        if key == nil, let short = ShortNameCache.key(bytes) {
            if let hit = worker.shortNames.lookup(short) { return hit }
            if NamePolicy.isValid(bytes) {
                let off = worker.strings.intern(bytes).rawValue
                worker.shortNames.insert(short, off)
                return off
            }
        }
        let off: UInt32
        if NamePolicy.isValid(bytes) {
            if let key {
                off = worker.strings.intern(debugStrOffset: key, bytes).rawValue
                if worker.preinterned.learn(key, interned: off) { return off }
            } else {
                off = worker.strings.intern(bytes).rawValue
            }
        } else {
            let escaped = NamePolicy.escape(bytes)
            off = escaped.withUnsafeBufferPointer { worker.strings.intern($0).rawValue }
            out.report.note("name escaped to a C identifier", String(decoding: bytes, as: UTF8.self))
            // Names that can't be decoded back exactly (hash-capped, or holding an `_XX_`-like
            // sequence themselves) get their original in a "name=" DECL_TAG (see close).
            if !NamePolicy.isReversible(bytes) {
                worker.originals[off] = worker.strings.intern("name=" + String(decoding: bytes, as: UTF8.self)).rawValue
            }
        }
        if let key { worker.nameCache.insert(key, off) }
        return off
    }

    /// A name used as it is (INT and FLOAT names such as `long unsigned int` need not be
    /// identifiers).
    mutating func rawName(_ a: Attrs) -> UInt32 {
        guard let n = a.name else { return 0 }
        return raw(n)
    }

    mutating func raw(_ v: AttributeValue) -> UInt32 {
        guard let bytes = strings.bytes(v) else { return 0 }
        return worker.strings.intern(bytes).rawValue
    }

    /// FUNC/VAR name and the ELF symbol to match: for Rust the linkage name (as an identifier,
    /// and as it is), else the DWARF name for both.
    mutating func symbolNames(name n: UInt32, linkage: AttributeValue?) -> (name: UInt32, symbol: UInt32) {
        guard let linkage, let bytes = strings.bytes(linkage), isRust || UnitEncoder.isRustMangled(bytes) else { return (n, n) }
        let symbol = raw(linkage)
        guard symbol != 0 else { return (n, n) }
        // Symbols keep their spelling up to the kernel's symbol length, so tracing can attach.
        if NamePolicy.isValid(bytes, maxLength: NamePolicy.symbolMaxLength) { return (symbol, symbol) }
        let escaped = NamePolicy.escape(bytes, maxLength: NamePolicy.symbolMaxLength)
        out.report.note("symbol name escaped to a C identifier", String(decoding: bytes, as: UTF8.self))
        return (escaped.withUnsafeBufferPointer { worker.strings.intern($0).rawValue }, symbol)
    }

    /// A Rust parameter without a name gets `argN` (the kernel requires FUNC parameter names).
    mutating func parameterName(_ index: Int) -> UInt32 {
        out.report.note("unnamed Rust parameter named argN", "")
        return worker.strings.intern("arg\(index)").rawValue
    }

}
