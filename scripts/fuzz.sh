#!/usr/bin/env bash
# Builds a libFuzzer harness from Fuzz/ (every Swift module it links is instrumented) and runs it.
#   scripts/fuzz.sh [btf|print|dwarf|core|symvers|all] [SECONDS]  defaults: btf, 600 (all: each target SECONDS)
#   btf:   BTF reader, .BTF.ext reader, kernel validator, dedup, diff
#   print: raw, JSON, C (both modes) and Rust printers and their layout assertions
#   core:  BPF ELF objects, CO-RE relocation against a small kernel target, relocated-object writer, min BTF
#   dwarf: DWARF unit headers, abbreviations, DIE cursors, strings, indices, references
#   symvers: export tables, symbol versions (grammar, digests, cycles), the symvers diff, kABI rules
# Seeds come from the committed fixtures; crashes land in fuzz-out/<target>/crashes/ and make the
# script fail, and so does an input that runs for more than 120 s (a hang). Each run ends with a
# line "fuzz <target>: N runs in S s, no crash".
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET=${1:-btf}
SECONDS_TO_RUN=${2:-600}
if [ "$TARGET" = all ]; then
    for t in btf print dwarf core symvers; do "$0" "$t" "$SECONDS_TO_RUN"; done
    exit 0
fi
case "$TARGET" in
    btf) PRODUCT=FuzzBTF ;;
    print) PRODUCT=FuzzPrint ;;
    dwarf) PRODUCT=FuzzDWARF ;;
    core) PRODUCT=FuzzCORE ;;
    symvers) PRODUCT=FuzzSymvers ;;
    *) echo "usage: scripts/fuzz.sh [btf|print|dwarf|core|symvers|all] [SECONDS]" >&2; exit 2 ;;
esac
FLAGS=(--package-path Fuzz -c release -Xswiftc -sanitize=fuzzer)
swift build "${FLAGS[@]}" --product "$PRODUCT"
BIN=$(swift build "${FLAGS[@]}" --show-bin-path)/$PRODUCT
OUT=fuzz-out/$TARGET
mkdir -p "$OUT/corpus" "$OUT/crashes"
python3 scripts/fuzz-seeds.py "$TARGET" "$OUT/corpus"
LOG="$OUT/last-run.log"
status=0
"$BIN" "$OUT/corpus" -max_total_time="$SECONDS_TO_RUN" -max_len=65536 -rss_limit_mb=4096 -timeout=120 \
    -artifact_prefix="$OUT/crashes/" -print_final_stats=1 2> >(tee "$LOG" >&2) || status=$?
wait
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$LOG" | tail -1)
if [ "$status" -ne 0 ]; then
    echo "fuzz $TARGET: CRASH (exit $status) after ${runs:-?} runs; input in $OUT/crashes/" >&2
    exit 1
fi
echo "fuzz $TARGET: ${runs:-?} runs in $SECONDS_TO_RUN s, no crash"
