#ifndef BTFKIT_BPF_SYSCALL_H
#define BTFKIT_BPF_SYSCALL_H
#include <stdint.h>

/// Loads a BTF blob into the running kernel with BPF_BTF_LOAD.
/// Returns a file descriptor (>= 0) or -errno. The log buffer receives the verifier log.
int btfkit_btf_load(const void *data, uint32_t size, char *log, uint32_t log_size, uint32_t log_level,
                    uint32_t *log_true_size);

/// Closes a descriptor returned by btfkit_btf_load.
void btfkit_close(int fd);
#endif
