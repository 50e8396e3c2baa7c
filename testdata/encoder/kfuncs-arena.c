/* attributes + decl_tag_kfuncs fixture: kfuncs whose set8 entries carry KF_ARENA_RET (1 << 13),
 * KF_ARENA_ARG1 (1 << 14) and KF_ARENA_ARG2 (1 << 15). With pahole's `attributes` their pointer
 * return and first/second parameters point through TYPE_TAG "address_space(1)" with kind_flag 1.
 * kfuncs-arena-gcc.pahole-1.31.txt is what pahole 1.31 made of the gcc object; the -DWITH_BAD
 * object also flags an int-returning function, where pahole fails and btfkit counts it. */
__attribute__((noinline)) void *kf_arena_alloc(void *arena, int pages) { return (char *)arena + pages; }
__attribute__((noinline)) int kf_arena_free(int *arena, long *ptr, int pages) { return *arena + (int)*ptr + pages; }
__attribute__((noinline)) int kf_arena_bad(int x) { return x; }          /* KF_ARENA_RET on a non-pointer */

#ifdef WITH_BAD
#define BAD_FLAGS ".long 0x2000"                 /* pahole 1.31 fails the whole encoding here */
#else
#define BAD_FLAGS ".long 0"
#endif
#define BTF_ID_SYMBOL(sym) ".local " sym "\n.type " sym ", STT_OBJECT\n.size " sym ", 4\n" sym ":\n"

asm(".pushsection .BTF_ids,\"a\"\n"
    ".local __BTF_ID__set8__arena_kfuncs\n"
    "__BTF_ID__set8__arena_kfuncs:\n"
    ".long 3\n"
    ".long 1\n"                                   /* BTF_SET8_KFUNCS */
    BTF_ID_SYMBOL("__BTF_ID__func__kf_arena_alloc__1") ".zero 4\n.long 0x6000\n"   /* RET | ARG1 */
    BTF_ID_SYMBOL("__BTF_ID__func__kf_arena_free__2") ".zero 4\n.long 0xc000\n"    /* ARG1 | ARG2 */
    BTF_ID_SYMBOL("__BTF_ID__func__kf_arena_bad__3") ".zero 4\n" BAD_FLAGS "\n"  /* with -DWITH_BAD: RET on an int */
    ".size __BTF_ID__set8__arena_kfuncs, .-__BTF_ID__set8__arena_kfuncs\n"
    ".popsection\n");

int use_arena(int *a, long *p) { return kf_arena_free(a, p, 1) + (int)(long)kf_arena_alloc(a, 2) + kf_arena_bad(3); }
