#!/usr/bin/env bash
# Rebuilds the compiled fixtures under testdata/ from the sources committed next to them.
# The built objects are committed so that tests do not depend on the local compiler version.
set -euo pipefail
cd "$(dirname "$0")/.."
CLANG=${CLANG:-clang}
for endian in bpfel bpfeb; do
    "$CLANG" -target "$endian" -g -O2 -fdebug-prefix-map="$PWD"=. -c testdata/bpf/core_demo.bpf.c -o "testdata/bpf/core_demo.$endian.o"
done
echo "rebuilt testdata/bpf/core_demo.{bpfel,bpfeb}.o with $("$CLANG" --version | head -1)"

# ELF containers carrying a .BTF section: ELF32/ELF64, both byte orders, ET_REL/ET_DYN/ET_EXEC.
OBJCOPY=${OBJCOPY:-llvm-objcopy}
tmp=$(mktemp -d)
"$OBJCOPY" --dump-section .BTF="$tmp/le.btf" testdata/bpf/core_demo.bpfel.o "$tmp/scratch.o"
"$OBJCOPY" --dump-section .BTF="$tmp/be.btf" testdata/bpf/core_demo.bpfeb.o "$tmp/scratch.o"
build() {  # name target endian-btf extra-flags...
    local name=$1 target=$2 btf=$3; shift 3
    "$CLANG" -target "$target" -O1 "$@" testdata/elf/carrier.c -o "$tmp/$name"
    "$OBJCOPY" --add-section .BTF="$tmp/$btf" "$tmp/$name" "testdata/elf/$name"
}
build rel32le.o i386-linux-gnu le.btf -c
build rel32be.o powerpc-linux-gnu be.btf -c
build rel64be.o s390x-linux-gnu be.btf -c
build dyn64le.so x86_64-linux-gnu le.btf -shared -fPIC -nostdlib -fuse-ld=lld
build exec64le x86_64-linux-gnu le.btf -static -nostdlib -DWITH_START -fuse-ld=lld
rm -rf "$tmp"
echo "rebuilt testdata/elf/*"
