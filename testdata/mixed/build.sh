#!/usr/bin/env bash
# Builds the mixed C/Rust example twice: linked normally, and with cross-language ThinLTO
# (clang -flto=thin + rustc -Clinker-plugin-lto, linked by the lld that ships with rustc, which
# reads both compilers' bitcode). Outputs are committed gzip'd so tests don't depend on the
# local compilers; tests also rebuild them fresh when the tools are here.
#   build.sh [OUTDIR]   (default: this directory, as mixed.gz and mixed-lto.gz)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here}
CLANG=${CLANG:-$(command -v clang-16 || command -v clang-15 || command -v clang)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
LLD_DIR=$(rustc --print sysroot)/lib/rustlib/$(rustc -vV | sed -n 's/^host: //p')/bin/gcc-ld
RUSTFLAGS=(--edition 2021 -g -C panic=abort -C opt-level=2 --crate-type=staticlib)
# Normal link.
"$CLANG" -g -O2 -c "$here/c_part.c" -o "$tmp/c_part.o"
rustc "${RUSTFLAGS[@]}" -o "$tmp/librust_part.a" "$here/rust_part.rs"
"$CLANG" -g "$tmp/c_part.o" "$tmp/librust_part.a" -o "$tmp/mixed"
# Cross-language ThinLTO.
"$CLANG" -g -O2 -flto=thin -c "$here/c_part.c" -o "$tmp/c_part.lto.o"
rustc "${RUSTFLAGS[@]}" -C linker-plugin-lto -o "$tmp/librust_part.lto.a" "$here/rust_part.rs"
"$CLANG" -g -O2 -flto=thin -fuse-ld=lld -B"$LLD_DIR" "$tmp/c_part.lto.o" "$tmp/librust_part.lto.a" -o "$tmp/mixed-lto" 2>"$tmp/lld.log" \
    || { cat "$tmp/lld.log" >&2; exit 1; }
"$tmp/mixed" >/dev/null && "$tmp/mixed-lto" >/dev/null
if [ "$out" = "$here" ]; then
    gzip -9n -c "$tmp/mixed" > "$here/mixed.gz"
    gzip -9n -c "$tmp/mixed-lto" > "$here/mixed-lto.gz"
else
    cp "$tmp/mixed" "$tmp/mixed-lto" "$out/"
fi
