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

# DWARF fixtures: the same C source with gcc and clang, DWARF 4 and 5, compressed, type units;
# the Rust sample with rustc at DWARF 4 and 5.
C=testdata/dwarf/sample.c
MAP=-fdebug-prefix-map="$PWD"=.
gcc -g -gdwarf-2 -O0 $MAP -c $C -o testdata/dwarf/gcc-dwarf2.o
gcc -g -gdwarf-3 -O1 $MAP -c $C -o testdata/dwarf/gcc-dwarf3.o
gcc -g -gdwarf-4 -O0 $MAP -c $C -o testdata/dwarf/gcc-dwarf4.o
gcc -g -gdwarf-5 -O2 $MAP -c $C -o testdata/dwarf/gcc-dwarf5.o
gcc -g -gdwarf-5 -O2 -gz=zlib $MAP -c $C -o testdata/dwarf/gcc-dwarf5-zlib.o
"$CLANG" -g -gdwarf-5 -O2 $MAP -c $C -o testdata/dwarf/clang-dwarf5.o
"$CLANG" -g -gdwarf-4 -O0 -fdebug-types-section $MAP -c testdata/dwarf/types.cpp -o testdata/dwarf/clang-dwarf4-types.o
"$CLANG" -g -gdwarf-5 -O0 -fdebug-types-section $MAP -c testdata/dwarf/types.cpp -o testdata/dwarf/clang-dwarf5-types.o
RUSTC=${RUSTC:-rustc}
for v in 4 5; do
    "$RUSTC" --crate-type=lib --emit=obj -C debuginfo=2 -C dwarf-version=$v -C opt-level=0 \
        --remap-path-prefix="$PWD"=. testdata/dwarf/sample.rs -o testdata/dwarf/rust-dwarf$v.o
done
echo "rebuilt testdata/dwarf/*.o"

# The C sample for other machines: their relocations (.rela.debug_*) must be applied to read it.
for t in aarch64-linux-gnu riscv64-linux-gnu s390x-linux-gnu; do
    "$CLANG" -target $t -g -gdwarf-5 -O1 $MAP -c $C -o testdata/dwarf/clang-${t%%-*}.o
done
"$CLANG" -target bpfel -g -O2 $MAP -c testdata/bpf/core_demo.bpf.c -o testdata/dwarf/clang-bpf.o
objcopy --compress-debug-sections=zlib-gnu testdata/dwarf/gcc-dwarf4.o testdata/dwarf/gcc-dwarf4-zdebug.o
echo "rebuilt cross-machine DWARF fixtures"

# Split DWARF: a skeleton .o and its .dwo (both must be reported as not supported yet, not misread).
(cd testdata/dwarf && for v in 4 5; do gcc -g -gdwarf-$v -gsplit-dwarf -O1 -fdebug-prefix-map="$PWD"=. -c sample.c -o split$v.o; done)
echo "rebuilt split DWARF fixtures"

# Encoder fixtures: C shapes BTF must carry, gcc and clang, DWARF 4/5, -O0/-O2 (the tests also
# compile testdata/encoder/shapes.c fresh and compare each with pahole).
S=testdata/encoder/shapes.c
gcc -g -gdwarf-4 -O0 $MAP -c $S -o testdata/encoder/shapes-gcc-dwarf4-O0.o
gcc -g -gdwarf-5 -O2 $MAP -c $S -o testdata/encoder/shapes-gcc-dwarf5-O2.o
"$CLANG" -g -gdwarf-4 -O2 $MAP -c $S -o testdata/encoder/shapes-clang-dwarf4-O2.o
"$CLANG" -g -gdwarf-5 -O0 $MAP -c $S -o testdata/encoder/shapes-clang-dwarf5-O0.o
echo "rebuilt testdata/encoder/*.o"

# Variables in several sections of one .o (all at section offset 0): global_var keying.
gcc -g -gdwarf-5 -O2 $MAP -c testdata/encoder/sections.c -o testdata/encoder/sections-gcc.o
echo "rebuilt testdata/encoder/sections-gcc.o"

# Fuzzing seed for the printers: Rust names that are C keywords (encoded with btfkit itself).
"${RUSTC:-rustc}" --edition 2021 --crate-type=lib --emit=obj -g -C opt-level=1 --remap-path-prefix="$PWD"=. \
    testdata/fuzz/seeds/c-keywords.rs -o "${TMPDIR:-/tmp}/c-keywords.o"
swift run -c release btfkit encode "${TMPDIR:-/tmp}/c-keywords.o" -o testdata/fuzz/seeds/c-keywords.btf
echo "rebuilt testdata/fuzz/seeds/c-keywords.btf"

# decl_tag_kfuncs: hand-made .BTF_ids kfunc sets (good and bad). The expected output next to each
# (*.pahole-1.31.txt) was made by pahole 1.31 built from upstream, as its first lines say.
gcc -g -gdwarf-5 -O2 $MAP -c testdata/encoder/kfuncs.c -o testdata/encoder/kfuncs-gcc.o
gcc -g -gdwarf-5 -O2 $MAP -c testdata/encoder/kfuncs-bad.c -o testdata/encoder/kfuncs-bad-gcc.o
echo "rebuilt testdata/encoder/kfuncs*-gcc.o"

# pahole 1.31's function rules (testdata/encoder/rules/README.md): a linked program and an ld -r
# object of two units. The *.pahole-1.31.txt next to them come from pahole 1.31 (their first lines).
R=testdata/encoder/rules
gcc -g -gdwarf-5 -O2 -fno-pie $MAP -c $R/a.c -o "${TMPDIR:-/tmp}/rules-a.o"
gcc -g -gdwarf-5 -O2 -fno-pie $MAP -c $R/b.c -o "${TMPDIR:-/tmp}/rules-b.o"
gcc -nostdlib -static -no-pie -o $R/rules-gcc "${TMPDIR:-/tmp}/rules-a.o" "${TMPDIR:-/tmp}/rules-b.o"
ld -r -o $R/rules-gcc-rel.o "${TMPDIR:-/tmp}/rules-a.o" "${TMPDIR:-/tmp}/rules-b.o"
echo "rebuilt $R/rules-gcc{,-rel.o}"
# attributes: arena kfuncs (KF_ARENA_*); the -DWITH_BAD object flags an int return (pahole fails).
gcc -g -gdwarf-5 -O2 $MAP -c testdata/encoder/kfuncs-arena.c -o testdata/encoder/kfuncs-arena-gcc.o
gcc -g -gdwarf-5 -O2 -DWITH_BAD $MAP -c testdata/encoder/kfuncs-arena.c -o testdata/encoder/kfuncs-arena-bad-gcc.o
echo "rebuilt testdata/encoder/kfuncs-arena*-gcc.o"
