/* decl_tag_kfuncs fixture: a hand-made .BTF_ids with the layout of the kernel's
 * include/linux/btf_ids.h. A kfunc set8 (flags BTF_SET8_KFUNCS) holds kf_plain and kf_fast (the
 * latter with KF_FASTCALL, 1 << 12); a plain set8 (flags 0) holds in_plain_set, which is no kfunc;
 * not_a_kfunc is in no set. Expected: DECL_TAG bpf_kfunc on kf_plain and kf_fast, bpf_fastcall on
 * kf_fast. kfuncs.pahole-1.31.txt is what pahole 1.31 makes of the gcc object. */
__attribute__((noinline)) int kf_plain(int x) { return x + 1; }
__attribute__((noinline)) long kf_fast(long a, long b) { return a * b; }
__attribute__((noinline)) int in_plain_set(int x) { return x * 3; }
__attribute__((noinline)) int not_a_kfunc(int x) { return x - 1; }

#define BTF_ID_SYMBOL(sym) ".local " sym "\n.type " sym ", STT_OBJECT\n.size " sym ", 4\n" sym ":\n"

asm(".pushsection .BTF_ids,\"a\"\n"
    ".local __BTF_ID__set8__test_kfuncs\n"
    "__BTF_ID__set8__test_kfuncs:\n"
    ".long 2\n"                                   /* cnt */
    ".long 1\n"                                   /* BTF_SET8_KFUNCS */
    BTF_ID_SYMBOL("__BTF_ID__func__kf_plain__1") ".zero 4\n.long 0\n"
    BTF_ID_SYMBOL("__BTF_ID__func__kf_fast__2") ".zero 4\n.long 0x1000\n"
    ".size __BTF_ID__set8__test_kfuncs, .-__BTF_ID__set8__test_kfuncs\n"
    ".local __BTF_ID__set8__plain_ids\n"
    "__BTF_ID__set8__plain_ids:\n"
    ".long 1\n"
    ".long 0\n"                                   /* not a kfunc set */
    BTF_ID_SYMBOL("__BTF_ID__func__in_plain_set__3") ".zero 4\n.long 0\n"
    ".size __BTF_ID__set8__plain_ids, .-__BTF_ID__set8__plain_ids\n"
    ".popsection\n");

int use_all(int x) { return kf_plain(x) + (int)kf_fast(x, 2) + in_plain_set(x) + not_a_kfunc(x); }
