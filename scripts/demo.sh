#!/usr/bin/env bash
# Builds btfkit (release) and runs it on the bundled kernel BTF: summary, the kernel's checks
# (offline, and with the running kernel when root), and the start of the raw dump.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f /usr/include/zlib.h ]; then
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq zlib1g-dev >/dev/null
fi
swift build -c release --product btfkit
BTFKIT=.build/release/btfkit
VMLINUX=testdata/kernel/vmlinux-6.18.btf.gz
echo "== btfkit info $VMLINUX"
$BTFKIT info --timing "$VMLINUX"
echo "== btfkit check $VMLINUX"
if [ "$(id -u)" -eq 0 ]; then $BTFKIT check --kernel "$VMLINUX"; else $BTFKIT check "$VMLINUX"; fi
echo "== btfkit dump (split module BTF over its vmlinux), first 12 lines"
OUT=$(mktemp)
$BTFKIT dump testdata/kernel/virtio_net-6.1.ko.gz --base testdata/kernel/vmlinux-6.1.btf.gz -o "$OUT"
head -12 "$OUT"; rm -f "$OUT"
echo "== btfkit check on a clang BPF object (the kernel rejects DATASEC size 0 until a loader fills it in)"
$BTFKIT check testdata/bpf/core_demo.bpfel.o || true
