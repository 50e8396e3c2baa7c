#!/usr/bin/env bash
# DWARF reading benchmark on Debian's debug vmlinux (163 MB of DWARF 5), fetched by
# ../shared/bench/get-kernel-dbg.sh into a cache (never committed). Reports btfkit's walk over every
# DIE with every attribute decoded (1 and 2 threads), and for scale pahole -J (its whole DWARF→BTF
# job) and llvm-dwarfdump, in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
CACHE=$(bash ../shared/bench/get-kernel-dbg.sh "${BTFKIT_BENCH_DIR:-$HOME/.cache/btfkit-bench}")
VMLINUX="$CACHE/vmlinux"
swift build -c release --product btfkit >/dev/null
B=.build/release/btfkit
echo "input: $VMLINUX ($(readelf -S -W "$VMLINUX" | python3 -c 'import sys
for l in sys.stdin:
    f = l.replace("]", "] ").split()
    if ".debug_info" in f: print(int(f[f.index(".debug_info") + 4], 16) / 1e6, "MB .debug_info")'))"
for j in 1 2; do
    /usr/bin/time -f "  wall %e s, peak RSS %M KiB" $B dwarf --stats --jobs $j "$VMLINUX" 2>&1 | sed 's/^/btfkit: /'
done
if command -v pahole >/dev/null; then
    tmp=$(mktemp)
    for j in 1 2; do
        /usr/bin/time -f "pahole -J -j$j --btf_encode_detached: wall %e s, peak RSS %M KiB" \
            pahole -J -j$j --btf_encode_detached="$tmp" "$VMLINUX" 2>&1 | tail -1
    done
    rm -f "$tmp"
else
    echo "pahole: not installed (apt-get install dwarves); skipped"
fi
if command -v llvm-dwarfdump >/dev/null; then
    /usr/bin/time -f "llvm-dwarfdump --debug-info > /dev/null: wall %e s, peak RSS %M KiB" \
        llvm-dwarfdump --debug-info "$VMLINUX" 2>&1 >/dev/null | tail -1
else
    echo "llvm-dwarfdump: not installed (apt-get install llvm); skipped"
fi
