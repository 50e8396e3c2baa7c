#!/usr/bin/env bash
# DWARF → BTF benchmark and pahole parity on Debian's 6.1 debug vmlinux and three modules
# (fetched by ../shared/bench/get-kernel-dbg.sh into a cache; never committed).
#   bench/encode-bench.sh [RUNS]     RUNS per configuration (default 3; the median is reported)
# Same run, same machine: btfkit encode -jN against pahole -J -jN --btf_gen_floats
# --btf_encode_detached for N = 1 and 2 (wall time and peak RSS, ratio), then the modules split
# over our vmlinux BTF, then parity: kernel load, per-kind counts, bpftool format c, btfkit diff.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
CACHE=$(bash ../shared/bench/get-kernel-dbg.sh "${BTFKIT_BENCH_DIR:-$HOME/.cache/btfkit-bench}")
VMLINUX="$CACHE/vmlinux"
swift build -c release --product btfkit >/dev/null
B=$PWD/.build/release/btfkit
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
export PATH=$PATH:/usr/sbin
command -v pahole >/dev/null || { echo "pahole not installed (apt-get install dwarves)"; exit 1; }
MB=$(readelf -S -W "$VMLINUX" | python3 -c 'import sys
for l in sys.stdin:
    f = l.replace("]", "] ").split()
    if ".debug_info" in f: print(round(int(f[f.index(".debug_info") + 4], 16) / 1e6, 1))')
echo "input: $VMLINUX ($MB MB .debug_info); $(nproc) cores; pahole $(pahole --version)"

# The two tools' runs are interleaved, so that a change in the load of this shared VM hits both
# alike.
. bench/timing.sh
measure() { for _ in $(seq "$RUNS"); do once "$@"; done | summary; }   # median wall, max RSS of RUNS runs

printf "\n%-34s %9s %11s %9s %9s\n" "job" "wall s" "RSS MiB" "MB/s" "ratio (median of rounds)"
for j in 1 2; do
    : > "$OUT/p"; : > "$OUT/b"
    for _ in $(seq "$RUNS"); do
        once pahole -J -j$j --btf_gen_floats --btf_encode_detached="$OUT/pahole-j$j.btf" "$VMLINUX" >> "$OUT/p"
        once "$B" encode -j$j "$VMLINUX" -o "$OUT/ours-j$j.btf" >> "$OUT/b"
    done
    pw=$(cut -d' ' -f1 "$OUT/p" | median); pr=$(maxcol < "$OUT/p")
    bw=$(cut -d' ' -f1 "$OUT/b" | median); br=$(maxcol < "$OUT/b")
    q=$(ratios "$OUT/b" "$OUT/p")
    printf "%-34s %9s %11.0f %9.0f %9s\n" "pahole -J -j$j" "$pw" "$(echo "$pr/1024" | bc -l)" "$(echo "$MB/$pw" | bc -l)" ""
    printf "%-34s %9s %11.0f %9.0f %9s\n" "btfkit encode -j$j" "$bw" "$(echo "$br/1024" | bc -l)" "$(echo "$MB/$bw" | bc -l)" \
        "$(printf "%.2f / %.2f (%.2f)" "$(echo "$bw/$pw" | bc -l)" "$(echo "$br/$pr" | bc -l)" "$q")"
done
echo "(ratio: wall / RSS against pahole at the same -j; targets 0.5 / 0.75)"
cp "$OUT/ours-j1.btf" "$OUT/ours.btf"
cp "$OUT/pahole-j1.btf" "$OUT/pahole.btf"
cmp -s "$OUT/ours-j1.btf" "$OUT/ours-j2.btf" && echo "btfkit: -j1 and -j2 outputs are byte-identical" || echo "btfkit: -j1 and -j2 outputs DIFFER"
cmp -s "$OUT/pahole-j1.btf" "$OUT/pahole-j2.btf" && echo "pahole: -j1 and -j2 outputs are byte-identical" \
    || echo "pahole: -j1 and -j2 outputs differ ($("$B" diff --summary "$OUT/pahole-j1.btf" "$OUT/pahole-j2.btf" | tail -1))"

echo
echo "modules, split over our vmlinux BTF:"
for m in virtio_net kvm xfs; do
    ko="$CACHE/ko/$m.ko"
    [ -f "$ko" ] || { echo "  $m: not in the cache; skipped"; continue; }
    read -r pw pr < <(measure pahole -J --btf_gen_floats --btf_base "$OUT/ours.btf" --btf_encode_detached="$OUT/$m.pahole.btf" "$ko")
    read -r bw br < <(measure "$B" encode "$ko" --base "$OUT/ours.btf" -o "$OUT/$m.ours.btf")
    pc=$(bpftool -B "$OUT/ours.btf" btf dump file "$OUT/$m.pahole.btf" | grep -c '^\[')
    bc_=$(bpftool -B "$OUT/ours.btf" btf dump file "$OUT/$m.ours.btf" | grep -c '^\[')
    printf "  %-11s types ours %5s pahole %5s | wall ours %5ss pahole %5ss | RSS ours %4.0f MiB pahole %4.0f MiB\n" \
        "$m" "$bc_" "$pc" "$bw" "$pw" "$(echo "$br/1024" | bc -l)" "$(echo "$pr/1024" | bc -l)"
done

echo
echo "parity on vmlinux (pahole -j1 output vs ours):"
"$B" check --kernel "$OUT/ours.btf" | sed 's/^/  /'
echo "  per-kind counts (pahole | ours):"
paste <(bpftool btf dump file "$OUT/pahole.btf" | grep '^\[' | awk '{print $2}' | sort | uniq -c) \
      <(bpftool btf dump file "$OUT/ours.btf" | grep '^\[' | awk '{print $2}' | sort | uniq -c) | sed 's/^/    /'
bpftool btf dump file "$OUT/pahole.btf" format c > "$OUT/pahole.h"
bpftool btf dump file "$OUT/ours.btf" format c > "$OUT/ours.h"
if cmp -s "$OUT/pahole.h" "$OUT/ours.h"; then echo "  bpftool format c: identical ($(wc -l < "$OUT/ours.h") lines)"; else echo "  bpftool format c: DIFFERENT"; diff "$OUT/pahole.h" "$OUT/ours.h" | head -20; fi
echo "  btfkit diff pahole ours:"
"$B" diff "$OUT/pahole.btf" "$OUT/ours.btf" | sed 's/^/    /' || true
