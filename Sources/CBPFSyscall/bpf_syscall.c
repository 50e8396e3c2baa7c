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

void btfkit_close(int fd) { if (fd >= 0) close(fd); }
