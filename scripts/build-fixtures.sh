#!/usr/bin/env bash
# Rebuilds the compiled fixtures under testdata/ from the sources committed next to them.
# The built objects are committed so that tests do not depend on the local compiler version.
set -euo pipefail
cd "$(dirname "$0")/.."
CLANG=${CLANG:-clang}
for endian in bpfel bpfeb; do
    "$CLANG" -target "$endian" -g -O2 -c testdata/bpf/core_demo.bpf.c -o "testdata/bpf/core_demo.$endian.o"
done
echo "rebuilt testdata/bpf/core_demo.{bpfel,bpfeb}.o with $("$CLANG" --version | head -1)"
