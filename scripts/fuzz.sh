#!/usr/bin/env bash
# Builds the libFuzzer harness (Fuzz/) and runs it over the BTF reader, .BTF.ext reader and
# kernel validator. Usage: scripts/fuzz.sh [SECONDS] (default 600). Crashes land in fuzz-out/.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_TO_RUN=${1:-600}
FLAGS=(--package-path Fuzz -c release -Xswiftc -sanitize=fuzzer)
swift build "${FLAGS[@]}" --product FuzzBTF
BIN=$(swift build "${FLAGS[@]}" --show-bin-path)/FuzzBTF
mkdir -p fuzz-out/corpus fuzz-out/crashes
# Seed corpus: small real blobs.
python3 - <<'PY'
import pathlib, struct
out = pathlib.Path("fuzz-out/corpus")
for p in pathlib.Path("testdata/bpf").glob("*.o"):
    data = p.read_bytes()
    # Extract .BTF and .BTF.ext sections as seeds (ELF64, either byte order).
    e = "<" if data[5] == 1 else ">"
    shoff, = struct.unpack_from(e + "Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from(e + "HHH", data, 0x3a)
    secs = [struct.unpack_from(e + "IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
    stroff = secs[shstrndx][4]
    for s in secs:
        name = data[stroff + s[0]:data.index(b"\0", stroff + s[0])].decode()
        if name in (".BTF", ".BTF.ext"):
            (out / f"{p.stem}{name}").write_bytes(data[s[4]:s[4] + s[5]])
(out / "virtio_net.btf").write_bytes(pathlib.Path("testdata/kernel/virtio_net-6.1.btf").read_bytes()[:4096])
PY
"$BIN" fuzz-out/corpus -max_total_time="$SECONDS_TO_RUN" -max_len=65536 -artifact_prefix=fuzz-out/crashes/ -print_final_stats=1
