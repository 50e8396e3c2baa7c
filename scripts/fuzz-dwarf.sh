#!/usr/bin/env bash
# Builds and runs the libFuzzer harness for DWARF unit parsing (Fuzz/Sources/FuzzDWARF).
# Usage: scripts/fuzz-dwarf.sh [SECONDS] (default 600). Crashes land in fuzz-out/dwarf-crashes/.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_TO_RUN=${1:-600}
FLAGS=(--package-path Fuzz -c release -Xswiftc -sanitize=fuzzer)
swift build "${FLAGS[@]}" --product FuzzDWARF
BIN=$(swift build "${FLAGS[@]}" --show-bin-path)/FuzzDWARF
mkdir -p fuzz-out/dwarf-corpus fuzz-out/dwarf-crashes
# Seeds: abbrev + info of the compiled fixtures, in the harness's input layout.
python3 - <<'PY'
import pathlib, struct, subprocess
out = pathlib.Path("fuzz-out/dwarf-corpus")
for p in sorted(pathlib.Path("testdata/dwarf").glob("*.o")):
    data = p.read_bytes()
    if data[4] != 2: continue
    e = "<" if data[5] == 1 else ">"
    shoff, = struct.unpack_from(e + "Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from(e + "HHH", data, 0x3a)
    secs = [struct.unpack_from(e + "IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
    stroff = secs[shstrndx][4]
    named = {}
    for s in secs:
        name = data[stroff + s[0]:data.index(b"\0", stroff + s[0])].decode()
        named.setdefault(name, data[s[4]:s[4] + s[5]])
    if ".debug_abbrev" in named and ".debug_info" in named and e == "<":
        ab = named[".debug_abbrev"][:65535]
        (out / p.stem).write_bytes(struct.pack("<H", len(ab)) + ab + named[".debug_info"])
PY
"$BIN" fuzz-out/dwarf-corpus -max_total_time="$SECONDS_TO_RUN" -max_len=65536 -artifact_prefix=fuzz-out/dwarf-crashes/ -print_final_stats=1
