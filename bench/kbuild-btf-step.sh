#!/usr/bin/env bash
# The BTF step of a kernel build, timed alone for two paholes in the same run: what
# link-vmlinux.sh runs on .tmp_vmlinux1 (`pahole -J $PAHOLE_FLAGS`) and what Makefile.modfinal
# runs on each module (`pahole -J $PAHOLE_FLAGS --btf_base vmlinux`), on copies of the objects
# that a scripts/kernel-check.sh build with that pahole left (its .BTF removed first), with the
# flags kbuild computed for that pahole's version (scripts/Makefile.btf and the build's
# auto.conf). Prints per step the median wall time of RUNS and the max RSS, then the totals
# and their ratio.
#   bench/kbuild-btf-step.sh OURS_PAHOLE OURS_OUTDIR OTHER_PAHOLE OTHER_OUTDIR [RUNS]
# e.g. bench/kbuild-btf-step.sh ~/.local/bin/pahole ~/.cache/btfkit-kbuild/out-pahole-XXXX \
#        /usr/bin/pahole ~/.cache/btfkit-kbuild/out-pahole-YYYY 5
# (kernel-check.sh prints each build's output dir; the kernel source is the one it extracted.)
set -euo pipefail
[ $# -ge 4 ] || { sed -n '2,13p' "$0"; exit 64; }
RUNS=${5:-5}
SRC=${KSRC:-${BTFKIT_KBUILD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/btfkit-kbuild}/linux-6.12}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export PATH=$PATH:/usr/sbin
. "$(dirname "$0")/timing.sh"

flags() {   # PAHOLE_FLAGS as kbuild computes them for an output dir's .config
    printf 'include %s\ninclude scripts/Kbuild.include\ninclude scripts/Makefile.btf\nall:\n\t@echo $(PAHOLE_FLAGS)\n' \
        "$1/include/config/auto.conf" | make -s -C "$SRC" -f - srctree=. all
}

prepare() {  # label outdir: stripped copies of .tmp_vmlinux1 and the modules
    local d="$WORK/$1"; mkdir -p "$d/ko"
    objcopy --remove-section .BTF "$2/.tmp_vmlinux1" "$d/tmp_vmlinux1"
    cp "$2/vmlinux" "$d/vmlinux"
    find "$2" -name '*.ko' -not -path '*/btf-check/*' | sort | while read -r m; do
        objcopy --remove-section .BTF "$m" "$d/ko/$(basename "$m")"
    done
}

step() {  # label pahole flags input [base]: one timed run on a fresh copy; prints "wall rss_kib"
    # (wall from the clock in ns: /usr/bin/time rounds to 10 ms, too coarse for a module)
    local d="$WORK/$1" in="$4" base=() t0 t1
    cp "$in" "$d/run.o"
    [ -n "${5:-}" ] && base=(--btf_base "$5")
    t0=$(date +%s%N)
    # shellcheck disable=SC2086
    (cd "$d" && LLVM_OBJCOPY=objcopy /usr/bin/time -f "%M" -o "$d/t" "$2" -J $3 "${base[@]}" run.o >/dev/null 2>&1)
    t1=$(date +%s%N)
    echo "$(echo "($t1 - $t0) / 1000000000" | bc -l) $(cat "$d/t")"
}

prepare ours "$2"; prepare other "$4"
F_OURS=$(flags "$2"); F_OTHER=$(flags "$4")
echo "ours:  $1 ($("$1" --version)), flags: $F_OURS"
echo "other: $3 ($("$3" --version)), flags: $F_OTHER"
echo "$(nproc) cores; median of $RUNS runs each, alternating"
printf "\n%-28s %14s %14s %8s\n" "step" "ours s / MiB" "other s / MiB" "ratio"
tot_o=0; tot_p=0
for obj in tmp_vmlinux1 $(ls "$WORK/ours/ko"); do
    for r in $(seq "$RUNS"); do
        for side in ours other; do
            if [ "$side" = ours ]; then p=$1; f=$F_OURS; else p=$3; f=$F_OTHER; fi
            if [ "$obj" = tmp_vmlinux1 ]; then step "$side" "$p" "$f" "$WORK/$side/tmp_vmlinux1"
            else step "$side" "$p" "$f" "$WORK/$side/ko/$obj" "$WORK/$side/vmlinux"; fi > "$WORK/$side.$r"
        done
    done
    read -r wo ro < <(cat "$WORK"/ours.* | summary)
    read -r wp rp < <(cat "$WORK"/other.* | summary)
    rm -f "$WORK"/ours.* "$WORK"/other.*
    printf "%-28s %7.3f / %4d %7.3f / %4d %8.2f\n" "$obj" "$wo" $((ro / 1024)) "$wp" $((rp / 1024)) "$(echo "$wo / $wp" | bc -l)"
    tot_o=$(echo "$tot_o + $wo" | bc -l); tot_p=$(echo "$tot_p + $wp" | bc -l)
done
printf "%-28s %7.3f        %7.3f        %8.3f   (goal: 0.50)\n" "total" "$tot_o" "$tot_p" "$(echo "$tot_o / $tot_p" | bc -l)"
