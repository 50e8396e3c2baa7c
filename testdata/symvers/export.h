/* A kernel-style export table for a test fixture: what include/linux/export-internal.h emits
 * with CONFIG_HAVE_ARCH_PREL32_RELOCATIONS — a struct kernel_symbol of three 32-bit offsets,
 * each relative to its own field, in __ksymtab or __ksymtab_gpl, and the name and namespace
 * strings in __ksymtab_strings. */
#define FIXTURE_EXPORT(sym, sec, ns)                                                       \
	asm("	.section \"__ksymtab_strings\",\"aMS\",%progbits,1\n"                      \
	    "__kstrtab_" #sym ":\n	.asciz \"" #sym "\"\n"                              \
	    "__kstrtabns_" #sym ":\n	.asciz \"" ns "\"\n"                               \
	    "	.previous\n"                                                              \
	    "	.section \"" sec "\",\"a\"\n	.balign 4\n"                               \
	    "__ksymtab_" #sym ":\n"                                                        \
	    "	.long " #sym " - .\n	.long __kstrtab_" #sym " - .\n"                     \
	    "	.long __kstrtabns_" #sym " - .\n	.previous\n")
#define EXPORT_SYMBOL(sym) FIXTURE_EXPORT(sym, "__ksymtab", "")
#define EXPORT_SYMBOL_GPL(sym) FIXTURE_EXPORT(sym, "__ksymtab_gpl", "")
#define EXPORT_SYMBOL_NS_GPL(sym, ns) FIXTURE_EXPORT(sym, "__ksymtab_gpl", ns)

/* include/linux/kabi.h (Linux 6.14+), the parts the fixture uses. */
#define __KABI_RESERVE(n) unsigned long __kabi_reserved##n
#define __KABI_REPLACE(_orig, _new)                     \
	union {                                         \
		_new;                                   \
		struct {                                \
			_orig;                          \
		};                                      \
	}
#define KABI_RESERVE(n) __KABI_RESERVE(n)
#define KABI_USE(n, _new) __KABI_REPLACE(__KABI_RESERVE(n), _new)
#define KABI_IGNORE(n, _new) union { _new; unsigned char __kabi_ignored##n; }
