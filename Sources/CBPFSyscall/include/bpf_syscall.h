#ifndef BTFKIT_BPF_SYSCALL_H
#define BTFKIT_BPF_SYSCALL_H
#include <stdint.h>

/// Loads a BTF blob into the running kernel with BPF_BTF_LOAD.
/// Returns a file descriptor (>= 0) or -errno. The log buffer receives the verifier log.
int btfkit_btf_load(const void *data, uint32_t size, char *log, uint32_t log_size, uint32_t log_level,
                    uint32_t *log_true_size);

/// Loads a program with BPF_PROG_LOAD (no maps, no BTF of its own). Returns a descriptor or
/// -errno; the log buffer receives the verifier log when log_level > 0.
int btfkit_prog_load(uint32_t prog_type, uint32_t expected_attach_type, uint32_t attach_btf_id,
                     const void *insns, uint32_t insn_cnt, const char *license, const char *name,
                     char *log, uint32_t log_size, uint32_t log_level);

/// Closes a descriptor returned by btfkit_btf_load.
void btfkit_close(int fd);
#endif
