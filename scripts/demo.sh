#!/usr/bin/env bash
# Builds btfkit (release) and runs the main job on bundled inputs: DWARF → BTF for a mixed C/Rust
# program built with cross-language ThinLTO (one BTF with both languages' types, checked by our
# validator and, as root, by the running kernel), for a real kernel module (split over its
# kernel's BTF, compared with the .BTF Debian's build made with pahole) and for a real
# Rust-for-Linux crate; then CO-RE relocation of a BPF object and its minimal BTF.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f /usr/include/zlib.h ]; then
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq zlib1g-dev >/dev/null
fi
swift build -c release --product btfkit
BTFKIT=.build/release/btfkit
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
BASE=testdata/kernel/vmlinux-6.1.btf.gz
KERNEL_CHECK=(check); [ "$(id -u)" -eq 0 ] && KERNEL_CHECK=(check --kernel)

echo "== btfkit encode: a C + Rust program linked with cross-language ThinLTO (testdata/mixed)"
$BTFKIT encode testdata/mixed/mixed-lto.gz -o "$OUT/mixed.btf" --stats
$BTFKIT "${KERNEL_CHECK[@]}" "$OUT/mixed.btf"
$BTFKIT dump "$OUT/mixed.btf" -o "$OUT/mixed.txt"
grep -E "^\[[0-9]+\] (STRUCT|FUNC) '(shape_stats|point|c_scale|ShapeStats|Shape|rust_area)'" "$OUT/mixed.txt"

echo "== btfkit encode: virtio_net.ko (Debian 6.1, DWARF 5) split over vmlinux-6.1 BTF"
$BTFKIT encode testdata/kernel/virtio_net-6.1.ko.gz --base "$BASE" -o "$OUT/virtio_net.btf" --stats --timing
$BTFKIT check --base "$BASE" "$OUT/virtio_net.btf"
echo "== btfkit diff: Debian's shipped .BTF (pahole) vs ours"
$BTFKIT diff --base "$BASE" testdata/kernel/virtio_net-6.1.btf "$OUT/virtio_net.btf"

echo "== btfkit encode: the Rust-for-Linux 'kernel' crate (rustc 1.82)"
$BTFKIT encode testdata/rust-for-linux/kernel.o.gz -o "$OUT/kernel-rust.btf" --stats
$BTFKIT "${KERNEL_CHECK[@]}" "$OUT/kernel-rust.btf"
$BTFKIT dump "$OUT/kernel-rust.btf" -o "$OUT/kernel-rust.txt"
grep -m1 -A3 "STRUCT 'CStr'" "$OUT/kernel-rust.txt"

echo "== btfkit core: CO-RE relocations of a BPF object against the 6.18 kernel's BTF (as libbpf)"
$BTFKIT core testdata/core/core_kinds.bpfel.o --target testdata/kernel/vmlinux-6.18.btf.gz > "$OUT/core.txt"
head -4 "$OUT/core.txt"
$BTFKIT minimize testdata/core/core_kinds.bpfel.o --target testdata/kernel/vmlinux-6.18.btf.gz -o "$OUT/min.btf" --stats

echo "== btfkit info (the running kernel's BTF, bundled)"
$BTFKIT info --timing testdata/kernel/vmlinux-6.18.btf.gz > "$OUT/info.txt"
head -8 "$OUT/info.txt"
