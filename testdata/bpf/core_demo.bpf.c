// A small BPF program whose .BTF and .BTF.ext exercise func_info, line_info and CO-RE
// relocations of several kinds. Rebuilt by scripts/build-fixtures.sh.
#define SEC(name) __attribute__((section(name), used))
#define __kptr __attribute__((btf_type_tag("kptr")))
#define __tag(x) __attribute__((btf_decl_tag(x)))

typedef unsigned int u32;
typedef unsigned long long u64;

enum demo_state { DEMO_IDLE = 0, DEMO_RUNNING = 1, DEMO_DEAD = 5 };
enum demo_big { DEMO_BIG = 0x1ffffffffULL };

struct demo_task {
    int pid;
    u32 flags : 3;
    u32 prio : 5;
    enum demo_state state;
    char comm[16];
    struct demo_task *parent;
    long __kptr *ptr;
    double ratio;
} __attribute__((preserve_access_index));

struct demo_task___v2 {
    int pid;
    u64 extra;
} __attribute__((preserve_access_index));

int counter SEC(".data") = 1;
const volatile u32 limit SEC(".rodata") = 7;

static __attribute__((noinline)) int helper(struct demo_task *t __tag("arg")) {
    return t->pid + 1;
}

SEC("socket")
int demo_prog(void *ctx) __tag("entry") {
    struct demo_task *t = ctx;
    int r = helper(t);
    r += __builtin_preserve_field_info(t->prio, 0);        /* byte offset */
    r += __builtin_preserve_field_info(t->prio, 1);        /* byte size */
    r += __builtin_preserve_field_info(t->parent, 2);      /* exists */
    r += __builtin_preserve_field_info(t->flags, 3);       /* signed */
    r += __builtin_preserve_field_info(t->prio, 4);        /* lshift */
    r += __builtin_preserve_field_info(t->prio, 5);        /* rshift */
    r += __builtin_preserve_type_info(*(struct demo_task___v2 *)0, 0);   /* type exists */
    r += __builtin_preserve_type_info(*(struct demo_task *)0, 1);        /* type size */
    r += __builtin_preserve_enum_value(*(enum demo_state *)DEMO_DEAD, 0); /* enumval exists */
    r += __builtin_preserve_enum_value(*(enum demo_state *)DEMO_DEAD, 1); /* enumval value */
    r += t->comm[2] + t->parent->pid;
    r += counter + limit + DEMO_BIG;
    return r;
}

char _license[] SEC("license") = "GPL";
