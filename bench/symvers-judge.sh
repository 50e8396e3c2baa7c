#!/usr/bin/env bash
# The judge of `btfkit symvers`: Debian's genksyms CRCs across real kernel updates.
# Downloads (once, into a cache outside the repo) consecutive Debian ABI builds of 6.12 and 6.1
# with their Module.symvers (bench/get-symvers-kernels.sh), then for each consecutive pair
# compares the exports whose genksyms CRC changed with those whose btfkit CRC changed
# (bench/symvers_judge.py): recall, precision, misses and extra flags by category — with
# Debian's .BTF as shipped, and with the DWARF re-encoded by btfkit (global_var, so exported
# variables have BTF too).
#   bench/symvers-judge.sh [RELEASE...]     (default: the builds get-symvers-kernels.sh picks)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd -P)
cache=$("$repo/bench/get-symvers-kernels.sh" "$@" | tail -n 1)
(cd "$repo" && swift build -c release --product btfkit >&2)
btfkit="$repo/.build/release/btfkit"
echo "| pair | BTF | visibility | genksyms changed | versioned on both sides | recall | precision | genksyms-changed without btfkit CRC |"
echo "|---|---|---|---|---|---|---|---|"
for series in 6.12 6.1; do
    mapfile -t releases < <(ls -1 "$cache" | grep -E "^${series//./\\.}[.-]" | sort -V)
    for ((i = 1; i < ${#releases[@]}; i++)); do
        old=${releases[i-1]} new=${releases[i]}
        python3 "$repo/bench/symvers_judge.py" "$btfkit" "$cache" "$old" "$new"
        python3 "$repo/bench/symvers_judge.py" "$btfkit" "$cache" "$old" "$new" --from-dwarf
    done
done
