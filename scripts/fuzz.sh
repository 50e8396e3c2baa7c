#!/usr/bin/env bash
# Builds a libFuzzer harness from Fuzz/ (every Swift module it links is instrumented) and runs it.
#   scripts/fuzz.sh [btf|dwarf|core] [SECONDS]  defaults: btf, 600
#   btf:   BTF reader, .BTF.ext reader, kernel validator, raw/JSON/.BTF.ext printers
#   core:  BPF ELF objects, CO-RE relocation against a small kernel target, relocated-object writer, min BTF
#   dwarf: DWARF unit headers, abbreviations, DIE cursors, strings, indices, references
# Seeds come from the committed fixtures; crashes land in fuzz-out/<target>/crashes/.
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET=${1:-btf}
SECONDS_TO_RUN=${2:-600}
case "$TARGET" in
    btf) PRODUCT=FuzzBTF ;;
    dwarf) PRODUCT=FuzzDWARF ;;
    core) PRODUCT=FuzzCORE ;;
    *) echo "usage: scripts/fuzz.sh [btf|dwarf|core] [SECONDS]" >&2; exit 2 ;;
esac
FLAGS=(--package-path Fuzz -c release -Xswiftc -sanitize=fuzzer)
swift build "${FLAGS[@]}" --product "$PRODUCT"
BIN=$(swift build "${FLAGS[@]}" --show-bin-path)/$PRODUCT
OUT=fuzz-out/$TARGET
mkdir -p "$OUT/corpus" "$OUT/crashes"
python3 scripts/fuzz-seeds.py "$TARGET" "$OUT/corpus"
"$BIN" "$OUT/corpus" -max_total_time="$SECONDS_TO_RUN" -max_len=65536 -artifact_prefix="$OUT/crashes/" -print_final_stats=1
