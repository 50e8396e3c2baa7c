/// Names that BTF may carry but a C header may not print as they are, and the one rename each
/// gets (docs/c-names.md).
///
/// BTF names come from any language: Rust code may call a field `signed`, `default` or `linux`,
/// and the kernel accepts that BTF. In C those are keywords (C89 … C23 and GNU C), macros every
/// GNU C compiler predefines on Linux (`linux`, `unix`, `i386`), or the compiler's own
/// `__builtin_va_list`. Printed verbatim, the header does not compile.
///
/// The rule: such a name gets one `_` appended (`signed` → `signed_`), the same wherever it
/// appears: struct, union and enum tags, typedefs, members, enumerators and parameters. If the
/// rename collides with a sibling (another member of the same struct, another parameter of the
/// same prototype), more `_` are appended until it does not; tags, typedefs and enumerators then
/// go through libbpf's `___N` de-duplication like every other name.
///
/// Two kernel idioms keep their names, because C23 gives the same meaning to the keyword:
/// `typedef _Bool bool` and an enum of `false = 0, true = 1`. They are printed inside
/// `#if` guards so that they vanish where the keywords exist (`-std=c23`, gcc ≥ 15's default).
///
/// `__builtin_va_list` is renamed too: printed as the BTF defines it (on x86-64
/// `struct __va_list_tag[1]`, 24 bytes) instead of the compiling compiler's builtin, which for
/// `-target bpf` is an 8-byte pointer, so every struct holding a `va_list` keeps its layout there.
public enum CIdentifiers {
    /// C89–C23 keywords, GNU C's keywords and alternate spellings, and compiler builtins that
    /// name types.
    public static let reserved: Set<String> = [
        // C89
        "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else", "enum", "extern",
        "float", "for", "goto", "if", "int", "long", "register", "return", "short", "signed", "sizeof", "static",
        "struct", "switch", "typedef", "union", "unsigned", "void", "volatile", "while",
        // C99, C11
        "inline", "restrict", "_Bool", "_Complex", "_Imaginary", "_Alignas", "_Alignof", "_Atomic", "_Generic",
        "_Noreturn", "_Static_assert", "_Thread_local",
        // C23
        "bool", "true", "false", "alignas", "alignof", "constexpr", "nullptr", "static_assert", "thread_local",
        "typeof", "typeof_unqual", "_BitInt", "_Decimal32", "_Decimal64", "_Decimal128",
        // GNU C
        "asm", "__asm", "__asm__", "__attribute", "__attribute__", "__typeof", "__typeof__", "__inline",
        "__inline__", "__restrict", "__restrict__", "__const", "__const__", "__volatile", "__volatile__",
        "__signed", "__signed__", "__extension__", "__label__", "__auto_type", "__thread", "__alignof",
        "__alignof__", "__real", "__real__", "__imag", "__imag__", "__complex__", "__int128", "__float128",
        "_Float16", "_Float32", "_Float64", "_Float128", "__bf16", "__builtin_va_list", "__builtin_offsetof",
        "__builtin_types_compatible_p", "__builtin_choose_expr",
    ]

    /// Object-like macros GNU C compilers predefine on Linux targets without a leading underscore
    /// (`clang -dM -E -x c /dev/null`, `gcc -dM -E -x c /dev/null`, and with `-m32`).
    public static let predefinedMacros: Set<String> = ["linux", "unix", "i386"]

    /// Longest reserved name: longer names are never looked up.
    static let longest = (reserved.union(predefinedMacros)).map(\.utf8.count).max() ?? 0

    /// True when `name` cannot be printed as a C identifier as it is.
    @inline(__always)
    public static func isReserved(_ name: String) -> Bool {
        let n = name.utf8.count
        return n > 0 && n <= longest && (reserved.contains(name) || predefinedMacros.contains(name))
    }

    /// The name to print for `name`: itself, or its rename when reserved.
    public static func printable(_ name: String) -> String {
        isReserved(name) ? name + "_" : name
    }

    /// Printable names for a list of siblings (members of one struct, parameters of one
    /// prototype): each reserved name renamed, with more `_` until it differs from every other
    /// sibling's printed name. Empty names stay empty.
    public static func printable(siblings names: [String]) -> [String] {
        guard names.contains(where: isReserved) else { return names }
        var taken = Set(names.filter { !isReserved($0) && !$0.isEmpty })
        return names.map { name in
            guard isReserved(name) else { return name }
            var candidate = name + "_"
            while taken.contains(candidate) || isReserved(candidate) { candidate += "_" }
            taken.insert(candidate)
            return candidate
        }
    }

    /// The `#if` that keeps a C23-keyword idiom out of C23 compilations.
    static let beforeC23 = "#if !defined(__STDC_VERSION__) || __STDC_VERSION__ < 202311L\n"
}
