/* Bad .BTF_ids for decl_tag_kfuncs: a kfunc set8 whose cnt (100) overruns its symbol and the
 * section, and a set8 symbol that lies past the end of the section (its header is missing).
 * Neither may trap or drop a function; each is counted in --stats. kf_ok stays a kfunc. */
__attribute__((noinline)) int kf_ok(int x) { return x + 1; }

asm(".pushsection .BTF_ids,\"a\"\n"
    ".local __BTF_ID__set8__overrun\n"
    "__BTF_ID__set8__overrun:\n"
    ".long 100\n"                                 /* cnt: far more than follow */
    ".long 1\n"
    ".local __BTF_ID__func__kf_ok__1\n.type __BTF_ID__func__kf_ok__1, STT_OBJECT\n.size __BTF_ID__func__kf_ok__1, 4\n"
    "__BTF_ID__func__kf_ok__1:\n.zero 4\n.long 0\n"
    ".size __BTF_ID__set8__overrun, 16\n"
    ".local __BTF_ID__set8__truncated\n"
    "__BTF_ID__set8__truncated:\n"                /* at the very end: no header */
    ".popsection\n");

int use(int x) { return kf_ok(x); }
