#!/usr/bin/env bash
# Real Rust crates nobody here wrote: Debian ships crate sources (apt librust-*-dev, under
# /usr/share/cargo/registry). This builds three of them (regex-syntax, memchr, serde) with
# debuginfo (cargo, opt-level 3 release profile, -g) as object files, encodes each with `btfkit encode --stats`, checks the BTF with our
# validator and (as root) the running kernel, and times btfkit against pahole 1.24 on the
# regex-syntax object in the same run (issue #5's speed target: at most pahole's time).
#   scripts/rust-crates.sh [RUNS]     (default 5; prints the best of RUNS for each tool)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
REG=/usr/share/cargo/registry
need=()
for c in regex-syntax memchr serde; do ls -d "$REG/$c"-[0-9]* >/dev/null 2>&1 || need+=("librust-$c-dev"); done
if [ ${#need[@]} -gt 0 ]; then
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq || true
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
swift build -c release --product btfkit >/dev/null
B=.build/release/btfkit
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
KERNEL_CHECK=(check); [ "$(id -u)" -eq 0 ] && KERNEL_CHECK=(check --kernel)

# Each crate is built by cargo (so its build.rs runs) from a copy, offline, with Debian's registry
# as the crates.io source; optional dependencies Debian doesn't ship are dropped from the copy.
build() {   # crate-dir-name crate-name
    local dir; dir=$(ls -d "$REG/$1"-[0-9]* | sort -V | tail -1)
    local work="$OUT/src-$2"
    cp -r "$dir" "$work"
    python3 - "$work/Cargo.toml" "$REG" <<'PY'
import os, re, sys
path, reg = sys.argv[1], sys.argv[2]
have = {re.sub(r"-[0-9][^-]*$", "", d) for d in os.listdir(reg)}
text = open(path).read()
def keep(m):
    pkg = re.search(r'(?m)^package = "([^"]+)"', m.group(0))
    return m.group(0) if m.group(2) in have or (pkg and pkg.group(1) in have) else ""
text = re.sub(r"(?ms)^\[(dev-|build-)?dependencies\.([A-Za-z0-9_-]+)\].*?(?=^\[|\Z)", keep, text)
text = re.sub(r'(?m)^([A-Za-z0-9_-]+) = \[[^\]]*"(dep:)?serde_derive"[^\]]*\]\n', "", text)
open(path, "w").write(text)
PY
    mkdir -p "$work/.cargo"
    printf '[source.crates-io]\nreplace-with = "debian"\n[source.debian]\ndirectory = "%s"\n' "$REG" > "$work/.cargo/config.toml"
    rm -f "$work/Cargo.lock"
    (cd "$work" && cargo rustc --offline --release --lib -q -- -g --emit=obj --cap-lints allow) 
    cp "$(ls "$work"/target/release/deps/"$2"-*.o | head -1)" "$OUT/$2.o"
    echo "$(basename "$dir")" > "$OUT/$2.version"
}
build regex-syntax regex_syntax
build memchr memchr
build serde serde

for name in regex_syntax memchr serde; do
    echo "== $name ($(cat "$OUT/$name.version"), $(stat -c %s "$OUT/$name.o") bytes of object)"
    "$B" encode "$OUT/$name.o" -o "$OUT/$name.btf" --stats
    "$B" "${KERNEL_CHECK[@]}" "$OUT/$name.btf"
    if command -v pahole >/dev/null; then
        pahole -J --btf_encode_detached "$OUT/$name.pahole.btf" "$OUT/$name.o" >/dev/null 2>&1 || true
        printf "pahole 1.24 on the same object: "
        "$B" "${KERNEL_CHECK[@]}" "$OUT/$name.pahole.btf" 2>&1 | tail -1 || true
    fi
done

echo "== speed on regex_syntax.o (best of $RUNS, same run)"
best() { sort -n | head -1; }
now() { date +%s.%N; }
ours=$(for i in $(seq "$RUNS"); do t0=$(now); "$B" encode "$OUT/regex_syntax.o" -o "$OUT/r.btf"; t1=$(now); echo "$t1 - $t0" | bc -l; done | best)
printf "btfkit encode:  %.3f s\n" "$ours"
if command -v pahole >/dev/null; then
    theirs=$(for i in $(seq "$RUNS"); do t0=$(now); pahole -J --btf_encode_detached "$OUT/p.btf" "$OUT/regex_syntax.o" >/dev/null 2>&1 || true; t1=$(now); echo "$t1 - $t0" | bc -l; done | best)
    printf "pahole 1.24 -J: %.3f s   (ratio %.2f)\n" "$theirs" "$(echo "$ours / $theirs" | bc -l)"
    printf "pahole's BTF:   "; "$B" "${KERNEL_CHECK[@]}" "$OUT/p.btf" 2>&1 | tail -1 || true
else
    echo "pahole not installed (apt-get install dwarves): comparison skipped"
fi
