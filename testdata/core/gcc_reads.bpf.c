// gcc BPF backend fixture (bpf-gcc -O2 -gbtf -mco-re). GCC 12 (Debian 12) writes .BTF and .BTF.ext
// but no CO-RE records even for __builtin_preserve_access_index; this object checks that we read
// gcc objects (programs, helpers by number, BTF) and agree with libbpf that nothing relocates.
#define __pai __attribute__((preserve_access_index))
struct list_head { struct list_head *next, *prev; } __pai;
struct task_struct { int prio; unsigned int flags; int pid; int tgid; struct task_struct *real_parent; char comm[16]; struct list_head tasks; } __pai;
long bpf_probe_read_kernel(void *dst, unsigned int size, const void *src) __attribute__((kernel_helper(113)));
unsigned long long bpf_get_current_task(void) __attribute__((kernel_helper(35)));
__attribute__((section("raw_tp/sys_enter"), used))
int gcc_reads(void *ctx)
{
    struct task_struct *t = (void *)bpf_get_current_task();
    int pid = 0, tgid = 0; char c = 0; struct list_head *n = 0;
    bpf_probe_read_kernel(&pid, 4, __builtin_preserve_access_index(&t->pid));
    bpf_probe_read_kernel(&tgid, 4, __builtin_preserve_access_index(&t->real_parent));
    bpf_probe_read_kernel(&c, 1, __builtin_preserve_access_index(&t->comm[2]));
    bpf_probe_read_kernel(&n, 8, __builtin_preserve_access_index(&t->tasks.next));
    return pid + tgid + c + (n != 0);
}
char _license[] __attribute__((section("license"), used)) = "GPL";
