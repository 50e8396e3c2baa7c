#!/usr/bin/env bash
# Benchmark of `btfkit symvers diff` against libabigail's kmidiff (Debian's abigail-tools), in the
# same run on the same machine: two consecutive Debian 6.12 debug builds of vmlinux.
# Also times computing every CRC of one vmlinux on one core (taskset -c 0).
#   bench/symvers-diff-bench.sh [OLD_RELEASE NEW_RELEASE]   (default: the two 6.12 builds in the cache)
#   SKIP_KMIDIFF=1 skips kmidiff (it takes about 16 minutes and 4 GB here).
# kmidiff runs under `timeout 1800` and a 20 GB address-space limit; if it does not finish, the
# table says so with the time and memory where it stopped.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd -P)
cache=$("$repo/bench/get-symvers-kernels.sh" | tail -n 1)
old=${1:-$(ls -1 "$cache" | grep -E '^6\.12\.' | sort -V | tail -n 2 | head -n 1)}
new=${2:-$(ls -1 "$cache" | grep -E '^6\.12\.' | sort -V | tail -n 1)}
(cd "$repo" && swift build -c release --product btfkit >&2)
btfkit="$repo/.build/release/btfkit"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

measure() {   # measure NAME CMD... → "NAME<TAB>wall s<TAB>peak RSS KiB<TAB>exit"
    local name=$1; shift
    local rc=0
    /usr/bin/time -f '%e %M' -o "$work/time" "$@" >"$work/$name.out" 2>"$work/$name.err" || rc=$?
    read -r wall rss <"$work/time" || true
    # /usr/bin/time prints "Command exited with non-zero status N" first on failure
    wall=$(tail -n 1 "$work/time" | cut -d' ' -f1); rss=$(tail -n 1 "$work/time" | cut -d' ' -f2)
    printf '%s\t%s\t%s\t%s\n' "$name" "$wall" "$rss" "$rc"
}

v1="$cache/$old/vmlinux" v2="$cache/$new/vmlinux"
cat "$v1" "$v2" >/dev/null   # both in the page cache for every tool
results=()
results+=("$(measure "btfkit symvers diff" "$btfkit" symvers diff "$v1" "$v2")")
results+=("$(measure "btfkit symvers diff --visibility unit" "$btfkit" symvers diff "$v1" "$v2" --visibility unit)")
results+=("$(measure "btfkit symvers diff --from-dwarf -j2" "$btfkit" symvers diff "$v1" "$v2" --from-dwarf -j2)")
results+=("$(measure "btfkit symvers (all CRCs, 1 core)" taskset -c 0 "$btfkit" symvers "$v2" --timing)")
if [ -z "${SKIP_KMIDIFF:-}" ]; then
    command -v kmidiff >/dev/null || apt-get install -y -qq abigail-tools >&2
    mkdir -p "$work/t1" "$work/t2"; ln -s "$v1" "$work/t1/vmlinux"; ln -s "$v2" "$work/t2/vmlinux"
    results+=("$(measure kmidiff timeout 1800 prlimit --as=21474836480 kmidiff --vmlinux1 "$work/t1/vmlinux" --vmlinux2 "$work/t2/vmlinux" "$work/t1" "$work/t2")")
fi
echo "$old → $new on $(nproc) cores; $(date -u +%F)"
echo "| job | wall | peak RSS | exit | wall / kmidiff | RSS / kmidiff |"
echo "|---|---|---|---|---|---|"
kwall="" krss=""
for r in "${results[@]}"; do IFS=$'\t' read -r n w m c <<<"$r"; [ "$n" = kmidiff ] && kwall=$w && krss=$m; done
for r in "${results[@]}"; do
    IFS=$'\t' read -r n w m c <<<"$r"
    rw="" rm=""
    if [ -n "$kwall" ] && [ "$n" != kmidiff ]; then
        rw=$(python3 -c "print(f'{$w/$kwall:.5f}')"); rm=$(python3 -c "print(f'{$m/$krss:.4f}')")
    fi
    printf '| %s | %s s | %s MiB | %s | %s | %s |\n' "$n" "$w" "$((m / 1024))" "$c" "$rw" "$rm"
done
grep -h "versions" "$work/btfkit symvers (all CRCs, 1 core).err" | sed 's/^/CRC timing (one core): /' || true
[ -n "$kwall" ] && [ "${kwall%%.*}" -ge 1800 ] && echo "kmidiff did not finish within 30 minutes" || true
