#!/usr/bin/env bash
# DWARF → BTF with pahole 1.31's rules on Debian's 6.12 debug vmlinux (not in the repo: apt-get
# download linux-image-6.12.*-cloud-amd64-dbg, dpkg-deb -x; see docs/encoder.md "Judged").
#   BTFKIT_VMLINUX_612=/path/vmlinux PAHOLE_131=/path/pahole bench/encode-612-bench.sh [RUNS]
# PAHOLE_131 is pahole built from upstream (tag v1.31; docs/encoder.md says how); never committed.
# Same run, same machine, for -j1 and -j2 (median wall of RUNS, interleaved; max RSS):
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
# Runs are interleaved (pahole 1.31, pahole 1.24, btfkit, then again), so that a change in the
# load of this shared VM hits all three alike; each job reports its median wall and max RSS, and
# each round's btfkit / pahole ratio is kept, whose median is printed too.
. bench/timing.sh
printf "\n%-44s %8s %9s %s\n" "job" "wall s" "RSS MiB" "ours / it (wall, RSS); median of per-round wall ratios"
for j in 1 2; do
    : > "$OUT/r131"; : > "$OUT/r124"; : > "$OUT/ours"
    for _ in $(seq "$RUNS"); do
        once "$P131" -J -j$j --btf_features=$FEATURES --lang_exclude=rust --btf_encode_detached="$OUT/ref-j$j.btf" "$V" >> "$OUT/r131"
        once pahole -J -j$j --btf_gen_floats --lang_exclude=rust --btf_encode_detached="$OUT/old-j$j.btf" "$V" >> "$OUT/r124"
        once "$B" encode -j$j --btf-features-strict none,$FEATURES "$V" -o "$OUT/ours-j$j.btf" >> "$OUT/ours"
    done
    rw=$(cut -d' ' -f1 "$OUT/r131" | median); rr=$(maxcol < "$OUT/r131")
    ow=$(cut -d' ' -f1 "$OUT/r124" | median); or=$(maxcol < "$OUT/r124")
    bw=$(cut -d' ' -f1 "$OUT/ours" | median); br=$(maxcol < "$OUT/ours")
    q131=$(ratios "$OUT/ours" "$OUT/r131")
    q124=$(ratios "$OUT/ours" "$OUT/r124")
    printf "%-44s %8s %9.0f\n" "pahole 1.31 -j$j (6.12 features)" "$rw" "$(echo "$rr/1024" | bc -l)"
    printf "%-44s %8s %9.0f\n" "pahole 1.24 -j$j --btf_gen_floats" "$ow" "$(echo "$or/1024" | bc -l)"
    printf "%-44s %8s %9.0f  vs 1.31: %.2f, %.2f (rounds %.2f)  vs 1.24: %.2f, %.2f (rounds %.2f)\n" \
        "btfkit encode -j$j (6.12 features)" "$bw" "$(echo "$br/1024" | bc -l)" \
        "$(echo "$bw/$rw" | bc -l)" "$(echo "$br/$rr" | bc -l)" "$q131" "$(echo "$bw/$ow" | bc -l)" "$(echo "$br/$or" | bc -l)" "$q124"
done
echo "(targets: wall ≤ 0.35× pahole 1.31 and ≤ 0.4× pahole 1.24, RSS ≤ 0.6× either)"
cmp -s "$OUT/ours-j1.btf" "$OUT/ours-j2.btf" && echo "btfkit: -j1 and -j2 byte-identical" || echo "btfkit: -j1 and -j2 DIFFER"
bpftool btf dump file "$OUT/ours-j1.btf" > "$OUT/ours.txt"; bpftool btf dump file "$OUT/ref-j1.btf" > "$OUT/ref.txt"
cmp -s "$OUT/ours.txt" "$OUT/ref.txt" && echo "parity: bpftool raw dump identical to pahole 1.31's ($(grep -c '^\[' "$OUT/ref.txt") types)" \
    || echo "parity: raw dumps differ in $(diff "$OUT/ours.txt" "$OUT/ref.txt" | grep -c '^[<>]') lines"
bpftool btf dump file "$OUT/ours-j1.btf" format c > "$OUT/ours.h"; bpftool btf dump file "$OUT/ref-j1.btf" format c > "$OUT/ref.h"
cmp -s "$OUT/ours.h" "$OUT/ref.h" && echo "parity: format c identical" || echo "parity: format c differs"
