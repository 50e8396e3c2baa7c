#!/usr/bin/env bash
# Rebuilds the committed CO-RE fixtures (objects are committed so tests don't depend on the
# local compilers). Needs clang >= 15 (TYPE_MATCHES), libbpf-dev headers, bpf-gcc (gcc-bpf).
set -euo pipefail
cd "$(dirname "$0")"
CLANG=${CLANG:-$(command -v clang-16 || command -v clang-15 || command -v clang)}
BTFKIT=${BTFKIT:-../../.build/release/btfkit}
[ -x "$BTFKIT" ] || (cd ../.. && swift build -c release --product btfkit >/dev/null)
$CLANG -target bpfel -O2 -g -c core_kinds.bpf.c -o core_kinds.bpfel.o
$CLANG -target bpfeb -O2 -g -c core_kinds.bpf.c -o core_kinds.bpfeb.o
$CLANG -target bpfel -O2 -g -c core_module.bpf.c -o core_module.bpfel.o
bpf-gcc -O2 -gbtf -mco-re -c gcc_reads.bpf.c -o gcc_reads.bpfel.o
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$BTFKIT" dump ../kernel/vmlinux-6.1.btf.gz > "$tmp/raw.txt"
python3 gen-many.py "$tmp/raw.txt"
"$BTFKIT" dump --format c ../kernel/vmlinux-6.1.btf.gz > "$tmp/vmlinux.h"
$CLANG -target bpfel -O2 -g -I"$tmp" -c many_relos.bpf.c -o many_relos.bpfel.o
for o in *.o; do llvm-strip -g --keep-section=.BTF --keep-section=.BTF.ext "$o" 2>/dev/null || true; done
ls -l *.o
