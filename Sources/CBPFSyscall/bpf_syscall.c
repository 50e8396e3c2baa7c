// The one place that talks to the kernel: Swift cannot call the variadic syscall(2).
#include "bpf_syscall.h"
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

#ifndef __NR_bpf
#define __NR_bpf -1
#endif

#define BPF_BTF_LOAD_CMD 18

struct btfkit_btf_load_attr {
    uint64_t btf;
    uint64_t btf_log_buf;
    uint32_t btf_size;
    uint32_t btf_log_size;
    uint32_t btf_log_level;
    uint32_t btf_log_true_size;
};

int btfkit_btf_load(const void *data, uint32_t size, char *log, uint32_t log_size, uint32_t log_level,
                    uint32_t *log_true_size) {
    if (__NR_bpf < 0) return -ENOSYS;
    struct btfkit_btf_load_attr attr;
    memset(&attr, 0, sizeof(attr));
    attr.btf = (uint64_t)(uintptr_t)data;
    attr.btf_size = size;
    if (log && log_size) {
        attr.btf_log_buf = (uint64_t)(uintptr_t)log;
        attr.btf_log_size = log_size;
        attr.btf_log_level = log_level;
        log[0] = 0;
    }
    long fd = syscall(__NR_bpf, BPF_BTF_LOAD_CMD, &attr, sizeof(attr));
    if (log_true_size) *log_true_size = attr.btf_log_true_size;
    if (fd < 0) return -errno;
    return (int)fd;
}

#define BPF_PROG_LOAD_CMD 5

/* The leading fields of union bpf_attr for BPF_PROG_LOAD (include/uapi/linux/bpf.h). */
struct btfkit_prog_load_attr {
    uint32_t prog_type;
    uint32_t insn_cnt;
    uint64_t insns;
    uint64_t license;
    uint32_t log_level;
    uint32_t log_size;
    uint64_t log_buf;
    uint32_t kern_version;
    uint32_t prog_flags;
    char prog_name[16];
    uint32_t prog_ifindex;
    uint32_t expected_attach_type;
    uint32_t prog_btf_fd;
    uint32_t func_info_rec_size;
    uint64_t func_info;
    uint32_t func_info_cnt;
    uint32_t line_info_rec_size;
    uint64_t line_info;
    uint32_t line_info_cnt;
    uint32_t attach_btf_id;
    uint32_t attach_prog_fd;
    uint32_t pad[8];
};

int btfkit_prog_load(uint32_t prog_type, uint32_t expected_attach_type, uint32_t attach_btf_id,
                     const void *insns, uint32_t insn_cnt, const char *license, const char *name,
                     char *log, uint32_t log_size, uint32_t log_level) {
    if (__NR_bpf < 0) return -ENOSYS;
    struct btfkit_prog_load_attr attr;
    memset(&attr, 0, sizeof(attr));
    attr.prog_type = prog_type;
    attr.expected_attach_type = expected_attach_type;
    attr.attach_btf_id = attach_btf_id;
    attr.insns = (uint64_t)(uintptr_t)insns;
    attr.insn_cnt = insn_cnt;
    attr.license = (uint64_t)(uintptr_t)license;
    if (name) strncpy(attr.prog_name, name, sizeof(attr.prog_name) - 1);
    if (log && log_size) {
        attr.log_buf = (uint64_t)(uintptr_t)log;
        attr.log_size = log_size;
        attr.log_level = log_level;
        log[0] = 0;
    }
    long fd = syscall(__NR_bpf, BPF_PROG_LOAD_CMD, &attr, sizeof(attr));
    if (fd < 0) return -errno;
    return (int)fd;
}

void btfkit_close(int fd) { if (fd >= 0) close(fd); }
