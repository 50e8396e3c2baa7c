#!/usr/bin/env bash
# CO-RE benchmark (issue #7), same run, same machine: relocating testdata/core/many_relos.bpfel.o
# (620 CO-RE relocations) against vmlinux-6.18 BTF with btfkit and with libbpf (the system's
# libbpf-dev, through testdata/core/libbpf-judge.c), and minimizing against bpftool gen min_core_btf.
#
# libbpf relocates inside bpf_object__load(); its time for "the same work" is parsing the target
# BTF (btf__parse, timed alone) plus the relocation pass (first to last CO-RE log call). Ours is
# reading the object and the target plus relocating, as `btfkit core --timing` reports it.
# Needs root (libbpf probes the kernel before relocating). Usage: bench/core-bench.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-15}
swift build -c release --product btfkit >/dev/null
B=.build/release/btfkit
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
OBJ=testdata/core/many_relos.bpfel.o
gzip -dc testdata/kernel/vmlinux-6.18.btf.gz > "$tmp/vmlinux.btf"
cc -O2 -o "$tmp/judge" testdata/core/libbpf-judge.c -lbpf

ours=(); theirs=(); ours_wall=(); theirs_wall=()
now() { date +%s.%N; }
for i in $(seq "$RUNS"); do
    t0=$(now); "$B" core "$OBJ" --target "$tmp/vmlinux.btf" --timing >/dev/null 2>"$tmp/t"; t1=$(now)
    ours+=("$(sed -n 's/.*s to relocate [0-9]* records, \([0-9.]*\) s in all/\1/p' "$tmp/t")")
    ours_wall+=("$(echo "$t1 - $t0" | bc -l)")
    t0=$(now); "$tmp/judge" "$OBJ" "$tmp/vmlinux.btf" --timing >"$tmp/l"; t1=$(now)
    theirs+=("$(awk '/^parse/{p=$2} /^relocate/{r=$2} END{printf "%.6f", p+r}' "$tmp/l")")
    theirs_wall+=("$(echo "$t1 - $t0" | bc -l)")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
minimum() { printf '%s\n' "$@" | sort -n | head -1; }
relocs=$("$B" core "$OBJ" --target "$tmp/vmlinux.btf" 2>&1 >/dev/null | head -1)
mo=$(median "${ours[@]}"); mt=$(median "${theirs[@]}")
echo "object: $OBJ ($relocs)"
printf "relocate (parse target + relocate): btfkit median %.1f ms (min %.1f), libbpf median %.1f ms (min %.1f), ratio %.2f\n" \
    "$(echo "$mo*1000" | bc -l)" "$(echo "$(minimum "${ours[@]}")*1000" | bc -l)" \
    "$(echo "$mt*1000" | bc -l)" "$(echo "$(minimum "${theirs[@]}")*1000" | bc -l)" "$(echo "$mo/$mt" | bc -l)"
printf "whole process (btfkit core vs libbpf judge incl. its kernel probing): %.1f ms vs %.1f ms\n" \
    "$(echo "$(median "${ours_wall[@]}")*1000" | bc -l)" "$(echo "$(median "${theirs_wall[@]}")*1000" | bc -l)"

# Minimal BTF: size and time next to bpftool gen min_core_btf.
if command -v bpftool >/dev/null || [ -x /usr/sbin/bpftool ]; then
    BPFTOOL=$(command -v bpftool || echo /usr/sbin/bpftool)
    t0=$(now); "$B" minimize testdata/core/core_kinds.bpfel.o "$OBJ" --target "$tmp/vmlinux.btf" -o "$tmp/ours.btf"; t1=$(now)
    t2=$(now); "$BPFTOOL" gen min_core_btf "$tmp/vmlinux.btf" "$tmp/bpftool.btf" testdata/core/core_kinds.bpfel.o "$OBJ"; t3=$(now)
    same=$(cmp -s "$tmp/ours.btf" "$tmp/bpftool.btf" && echo "byte-identical" || echo "DIFFERENT")
    printf "minimize: btfkit %d bytes in %.1f ms, bpftool gen min_core_btf %d bytes in %.1f ms (%s); full target %d bytes\n" \
        "$(stat -c %s "$tmp/ours.btf")" "$(echo "($t1-$t0)*1000" | bc -l)" "$(stat -c %s "$tmp/bpftool.btf")" \
        "$(echo "($t3-$t2)*1000" | bc -l)" "$same" "$(stat -c %s "$tmp/vmlinux.btf")"
fi
