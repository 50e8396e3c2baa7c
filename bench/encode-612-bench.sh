#!/usr/bin/env bash
# DWARF → BTF with pahole 1.31's rules on Debian's 6.12 debug vmlinux (not in the repo: apt-get
# download linux-image-6.12.*-cloud-amd64-dbg, dpkg-deb -x; see docs/encoder.md "Judged").
#   BTFKIT_VMLINUX_612=/path/vmlinux PAHOLE_131=/path/pahole bench/encode-612-bench.sh [RUNS]
# PAHOLE_131 is pahole built from upstream (tag v1.31; docs/encoder.md says how); never committed.
# Same run, same machine, for -j1 and -j2 (median wall of RUNS, max RSS):
#   btfkit encode with the kernel's 6.12 features (pahole-default = encode_force,var,float,enum64,
#   decl_tag,type_tag,optimized_func,consistent_func,decl_tag_kfuncs) against pahole 1.31 with
#   the same list and --lang_exclude=rust, and against pahole 1.24 with what kernels ask of it
#   (-J --btf_gen_floats); then parity with pahole 1.31: bpftool's raw dump and format c.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
V=${BTFKIT_VMLINUX_612:?set BTFKIT_VMLINUX_612 to Debian 6.12 debug vmlinux}
P131=${PAHOLE_131:?set PAHOLE_131 to pahole 1.31 built from upstream}
export PATH=$PATH:/usr/sbin
swift build -c release --product btfkit >/dev/null
B=$PWD/.build/release/btfkit
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
FEATURES=encode_force,var,float,enum64,decl_tag,type_tag,optimized_func,consistent_func,decl_tag_kfuncs
echo "input: $V; $(nproc) cores; reference $("$P131" --version); pahole $(pahole --version)"
measure() {   # median wall, max RSS (KiB) of RUNS runs
    for _ in $(seq "$RUNS"); do
        /usr/bin/time -f "%e %M" -o "$OUT/t" "$@" >/dev/null 2>&1
        cat "$OUT/t"
    done | sort -n | awk '{w[NR]=$1; if ($2>r) r=$2} END {print w[int((NR+1)/2)], r}'
}
printf "\n%-44s %8s %9s %s\n" "job" "wall s" "RSS MiB" "ours / it (wall, RSS)"
for j in 1 2; do
    read -r rw rr < <(measure "$P131" -J -j$j --btf_features=$FEATURES --lang_exclude=rust --btf_encode_detached="$OUT/ref-j$j.btf" "$V")
    read -r ow or < <(measure pahole -J -j$j --btf_gen_floats --lang_exclude=rust --btf_encode_detached="$OUT/old-j$j.btf" "$V")
    read -r bw br < <(measure "$B" encode -j$j --btf-features-strict none,$FEATURES "$V" -o "$OUT/ours-j$j.btf")
    printf "%-44s %8s %9.0f\n" "pahole 1.31 -j$j (6.12 features)" "$rw" "$(echo "$rr/1024" | bc -l)"
    printf "%-44s %8s %9.0f\n" "pahole 1.24 -j$j --btf_gen_floats" "$ow" "$(echo "$or/1024" | bc -l)"
    printf "%-44s %8s %9.0f  vs 1.31: %.2f, %.2f  vs 1.24: %.2f, %.2f\n" "btfkit encode -j$j (6.12 features)" "$bw" "$(echo "$br/1024" | bc -l)" \
        "$(echo "$bw/$rw" | bc -l)" "$(echo "$br/$rr" | bc -l)" "$(echo "$bw/$ow" | bc -l)" "$(echo "$br/$or" | bc -l)"
done
echo "(targets: wall ≤ 0.35× pahole 1.31 and ≤ 0.4× pahole 1.24, RSS ≤ 0.6× either)"
cmp -s "$OUT/ours-j1.btf" "$OUT/ours-j2.btf" && echo "btfkit: -j1 and -j2 byte-identical" || echo "btfkit: -j1 and -j2 DIFFER"
bpftool btf dump file "$OUT/ours-j1.btf" > "$OUT/ours.txt"; bpftool btf dump file "$OUT/ref-j1.btf" > "$OUT/ref.txt"
cmp -s "$OUT/ours.txt" "$OUT/ref.txt" && echo "parity: bpftool raw dump identical to pahole 1.31's ($(grep -c '^\[' "$OUT/ref.txt") types)" \
    || echo "parity: raw dumps differ in $(diff "$OUT/ours.txt" "$OUT/ref.txt" | grep -c '^[<>]') lines"
bpftool btf dump file "$OUT/ours-j1.btf" format c > "$OUT/ours.h"; bpftool btf dump file "$OUT/ref-j1.btf" format c > "$OUT/ref.h"
cmp -s "$OUT/ours.h" "$OUT/ref.h" && echo "parity: format c identical" || echo "parity: format c differs"
