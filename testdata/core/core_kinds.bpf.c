// CO-RE fixture: every relocation kind (btf-spec §5.2) against real kernel types, with
// ___flavor roots, bitfields, arrays, anonymous target members, enums (32/64-bit), fields
// missing from the kernel, and loads whose size changes. Three programs of types that load
// without attaching (raw tracepoint, BTF tracepoint, socket filter), so the kernel's verifier
// can judge the relocated code. Rebuilt by testdata/core/build.sh (committed objects).
typedef unsigned char __u8; typedef unsigned short __u16; typedef unsigned int __u32; typedef unsigned long long __u64;
typedef signed char __s8; typedef short __s16; typedef int __s32; typedef long long __s64;
typedef __u16 __be16; typedef __u32 __be32; typedef __u32 __wsum;
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#define __pai __attribute__((preserve_access_index))
typedef int pid_t;

struct list_head { struct list_head *next, *prev; } __pai;
struct list_head___bad { int next; } __pai;                 /* TYPE_MATCHES: no */
struct sched_entity { unsigned long long vruntime; } __pai;
struct mm_struct {                                          /* kernel: inside an anonymous struct */
    unsigned long mmap_base;
    unsigned long task_size;
    int map_count;
    unsigned long saved_auxv[46];
} __pai;
struct task_struct {
    unsigned int __state;
    unsigned long long flags;                               /* kernel: unsigned int (4 bytes) */
    int prio;
    struct sched_entity se;
    struct mm_struct *mm;
    unsigned int sched_reset_on_fork: 1;
    unsigned int in_execve: 1;
    unsigned int in_iowait: 1;
    pid_t pid;
    pid_t tgid;
    struct task_struct *real_parent;
    char comm[16];
    struct list_head tasks;
} __pai;
struct task_struct___old { long state; int pid; } __pai;    /* `state` is gone since 5.14 */
struct task_struct___wide_prio { long prio; } __pai;        /* signed 8 vs signed 4: poison */
struct no_such_type___x { int a; } __pai;
struct list_head___store { struct list_head *next, *prev; } __pai;   /* ST/STX relocations */

enum bpf_map_type { BPF_MAP_TYPE_ARRAY = 2, BPF_MAP_TYPE_RINGBUF = 27, BPF_MAP_TYPE_NOPE___x = 999 };
enum pid_type___flavor { PIDTYPE_TGID___alias = 1, PIDTYPE_SID___alias = 3 };
enum perf_callchain_context { PERF_CONTEXT_HV = 0xffffffffffffffe0ULL, PERF_CONTEXT_MAX = 0xfffffffffffff001ULL };

SEC("raw_tp/sys_enter")
int read_probed(void *ctx)
{
    struct task_struct *t = (void *)bpf_get_current_task();
    long r = 0;
    r += BPF_CORE_READ(t, pid);
    r += BPF_CORE_READ(t, real_parent, tgid);
    r += BPF_CORE_READ(t, mm, map_count);
    r += BPF_CORE_READ(t, mm, saved_auxv[4]);
    r += BPF_CORE_READ(t, se.vruntime);
    r += BPF_CORE_READ(t, tasks.next, prev) != 0;
    r += BPF_CORE_READ_BITFIELD_PROBED(t, in_execve);
    r += BPF_CORE_READ_BITFIELD_PROBED(t, sched_reset_on_fork);
    r += BPF_CORE_READ_BITFIELD_PROBED(t, in_iowait);
    char c = 0;
    bpf_probe_read_kernel(&c, 1, __builtin_preserve_access_index(&t->comm[3]));
    r += c;
    r += bpf_core_field_size(t->comm) + bpf_core_field_size(t->mm);
    struct task_struct___old *o = (void *)t;
    if (bpf_core_field_exists(o->state))
        r += BPF_CORE_READ(o, state);                       /* poisoned, dead */
    r += bpf_core_field_exists(o->pid);
    struct task_struct *t1 = __builtin_preserve_access_index(&t[1]);
    r += (long)t1;
    return r;
}

SEC("tp_btf/sched_switch")
int direct_loads(unsigned long long *ctx)
{
    struct task_struct *next = (void *)ctx[2];
    long r = next->pid + next->prio;
    r += next->flags;                                       /* 8-byte load becomes 4-byte */
    r += next->se.vruntime;
    struct task_struct___wide_prio *w = (void *)next;
    if (bpf_core_field_size(w->prio) == 8)
        r += w->prio;                                       /* poisoned, dead */
    return r;
}

SEC("socket")
int types_and_enums(void *skb)
{
    long r = 0;
    r += bpf_core_type_exists(struct task_struct___old);
    r += bpf_core_type_exists(struct no_such_type___x);
    r += bpf_core_type_size(struct task_struct);
    r += bpf_core_type_size(struct no_such_type___x);
    r += bpf_core_type_id_local(struct task_struct);
    r += bpf_core_type_id_kernel(struct task_struct) != 0;
    r += bpf_core_type_id_kernel(struct no_such_type___x);
#if __clang_major__ >= 15  /* TYPE_MATCHES needs clang 15 */
    r += bpf_core_type_matches(struct list_head);
    r += bpf_core_type_matches(struct list_head___bad);
    r += bpf_core_type_matches(struct task_struct);
#endif
    r += bpf_core_enum_value_exists(enum bpf_map_type, BPF_MAP_TYPE_RINGBUF);
    r += bpf_core_enum_value_exists(enum bpf_map_type, BPF_MAP_TYPE_NOPE___x);
    r += bpf_core_enum_value(enum bpf_map_type, BPF_MAP_TYPE_ARRAY);
    if (bpf_core_enum_value_exists(enum bpf_map_type, BPF_MAP_TYPE_NOPE___x))
        r += bpf_core_enum_value(enum bpf_map_type, BPF_MAP_TYPE_NOPE___x);   /* poisoned, dead */
    r += bpf_core_enum_value(enum pid_type___flavor, PIDTYPE_SID___alias);
    r += bpf_core_enum_value(enum perf_callchain_context, PERF_CONTEXT_MAX) >> 40;
    r += bpf_core_enum_value_exists(enum perf_callchain_context, PERF_CONTEXT_HV);
    long buf[2] = {0, 0};
    struct list_head___store *w = (void *)buf;
    w->prev = (void *)skb;                                   /* STX, offset relocated */
    *(volatile long *)&w->next = 7;                          /* ST with an immediate */
    r += buf[1] != 0;
    r += buf[0];
    return r & 0xffff;
}

char _license[] SEC("license") = "GPL";
