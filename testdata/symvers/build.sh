#!/usr/bin/env bash
# Rebuilds the symvers fixtures from exports.c, other.c, types.h and export.h with gcc:
#   symvers-VARIANT.so  exports.o + other.o linked (-shared -nostdlib): a linked export table
#   exports-base.o      the base exporting unit alone: an ET_REL export table (relocations)
# VARIANT: base, member, enum, typedef, param, name, kabi, hidden (see types.h/exports.c).
# The built files are committed, so the tests do not depend on the compiler's version; the tests
# also rebuild them into a temporary OUTDIR when gcc is here and check the fresh ones too.
#   build.sh [OUTDIR]     (default: this directory)
set -euo pipefail
cd "$(dirname "$0")"
out=${1:-.}
flags=(-g -gdwarf-5 -O1 -fno-inline -fPIC -fno-asynchronous-unwind-tables -fvisibility=hidden -ffile-prefix-map="$PWD"=.)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for v in base member enum typedef param name kabi hidden; do
    def=(); [ "$v" = base ] || def=(-DVARIANT_${v^^})
    gcc "${flags[@]}" "${def[@]}" -c exports.c -o "$tmp/exports.o"
    gcc "${flags[@]}" "${def[@]}" -c other.c -o "$tmp/other.o"
    gcc -shared -nostdlib -Wl,--build-id=none -o "$out/symvers-$v.so" "$tmp/exports.o" "$tmp/other.o"
    [ "$v" = base ] && cp "$tmp/exports.o" "$out/exports-base.o"
done
ls -l "$out"/symvers-*.so "$out/exports-base.o"
