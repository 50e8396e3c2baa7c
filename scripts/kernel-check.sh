#!/usr/bin/env bash
# scripts/kernel-check.sh -- build a small Linux 6.12 kernel with a given pahole (btfkit's
# pahole link, or Debian's pahole 1.24 for comparison), boot it in QEMU and check that the BTF it
# produced is accepted by the kernel (docs/pahole-front-end.md "Kernel-build check").
#
# Usage:
#   scripts/kernel-check.sh [options] [PAHOLE]
#
#   PAHOLE            pahole-compatible binary (argument, or $PAHOLE, default: pahole)
#   -o DIR            kbuild output dir   (default: $CACHE/out-<name of pahole>)
#   -c DIR            cache dir           (default: $BTFKIT_KBUILD_CACHE or
#                                          ${XDG_CACHE_HOME:-~/.cache}/btfkit-kbuild)
#   -s TARBALL        kernel source       (default: /usr/src/linux-source-6.12.tar.xz)
#   -j N              make jobs           (default: nproc)
#   -t SECONDS        boot timeout        (default: 300)
#   --kvm             boot with -enable-kvm if /dev/kvm is usable (default: TCG)
#   --skip-build      reuse an already built output dir (config/build steps skipped)
#   --no-boot         stop after the build checks
#
# Needs (Debian 12): linux-source-6.12 qemu-system-x86 busybox-static flex bison bc
#   libelf-dev libssl-dev cpio kmod bpftool time build-essential
#
# Nothing is written outside the cache dir and the output dir, and the script
# refuses to use a cache/output dir that lies inside a git work tree (so it never
# writes into a repo checkout it is run from).
set -euo pipefail

die()  { echo "kernel-check: error: $*" >&2; exit 2; }
log()  { echo "kernel-check: $*" >&2; }

# ---------------------------------------------------------------- arguments
PAHOLE_ARG=""
OUT=""
CACHE="${BTFKIT_KBUILD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/btfkit-kbuild}"
TARBALL="${KSRC_TARBALL:-/usr/src/linux-source-6.12.tar.xz}"
JOBS="$(nproc)"
BOOT_TIMEOUT=300
USE_KVM=0
SKIP_BUILD=0
DO_BOOT=1
while [ $# -gt 0 ]; do
    case "$1" in
        -o) OUT="$2"; shift 2 ;;
        -c) CACHE="$2"; shift 2 ;;
        -s) TARBALL="$2"; shift 2 ;;
        -j) JOBS="$2"; shift 2 ;;
        -t) BOOT_TIMEOUT="$2"; shift 2 ;;
        --kvm) USE_KVM=1; shift ;;
        --skip-build) SKIP_BUILD=1; shift ;;
        --no-boot) DO_BOOT=0; shift ;;
        -h|--help) sed -n '2,26p' "$0"; exit 0 ;;
        -*) die "unknown option $1" ;;
        *) [ -z "$PAHOLE_ARG" ] || die "more than one PAHOLE given"; PAHOLE_ARG="$1"; shift ;;
    esac
done
PAHOLE_IN="${PAHOLE_ARG:-${PAHOLE:-pahole}}"

# kbuild runs pahole from inside the source tree with O=..., so use an absolute path.
if [[ "$PAHOLE_IN" == */* ]]; then
    # Absolute, but symlinks kept: btfkit answers as pahole only when started under that name.
    [ -e "$PAHOLE_IN" ] || die "pahole not found: $PAHOLE_IN"
    PAHOLE_BIN="$(realpath -s "$PAHOLE_IN")"
else
    PAHOLE_BIN="$(command -v "$PAHOLE_IN")" || die "pahole not found in PATH: $PAHOLE_IN"
fi
[ -x "$PAHOLE_BIN" ] || die "not executable: $PAHOLE_BIN"

CACHE="$(realpath -m "$CACHE")"
# One output dir per pahole binary (its path, hashed), so two paholes' builds never mix.
[ -n "$OUT" ] || OUT="$CACHE/out-$(basename "$PAHOLE_BIN" | tr -c 'A-Za-z0-9._\n-' '_')-$(printf '%s' "$PAHOLE_BIN" | sha256sum | cut -c1-8)"
OUT="$(realpath -m "$OUT")"

in_git_tree() {  # is $1 (or its nearest existing parent) inside a git work tree?
    local d="$1"
    while [ ! -d "$d" ]; do d="$(dirname "$d")"; done
    git -C "$d" rev-parse --is-inside-work-tree >/dev/null 2>&1
}
# Refuse (before creating anything) dirs inside any git work tree, e.g. the repo
# checkout this script is run from.
for d in "$CACHE" "$OUT"; do
    if command -v git >/dev/null && in_git_tree "$d"; then
        die "$d is inside a git work tree; pick a cache/output dir outside any repo"
    fi
done
mkdir -p "$CACHE" "$OUT"

for t in make gcc flex bison bc cpio gzip xz objcopy readelf bpftool; do
    command -v "$t" >/dev/null || die "missing tool '$t' (apt-get install build-essential flex bison bc cpio xz-utils bpftool ...)"
done
if [ "$DO_BOOT" = 1 ]; then
    for t in qemu-system-x86_64 base64 sha256sum; do
        command -v "$t" >/dev/null || die "missing tool '$t' (apt-get install qemu-system-x86)"
    done
    BUSYBOX="$(command -v busybox || true)"
    [ -n "$BUSYBOX" ] && file -L "$BUSYBOX" 2>/dev/null | grep >/dev/null 'statically linked' \
        || { [ -x /bin/busybox ] && BUSYBOX=/bin/busybox; } \
        || die "need a static busybox (apt-get install busybox-static)"
fi
TIME_V=""; [ -x /usr/bin/time ] && TIME_V=/usr/bin/time

# ---------------------------------------------------------------- kernel source (cached)
[ -r "$TARBALL" ] || die "kernel source tarball not found: $TARBALL (apt-get install linux-source-6.12)"
SRC="$CACHE/linux-6.12"
STAMP="$(stat -c '%s %Y' "$TARBALL") $(basename "$TARBALL")"
if [ ! -f "$SRC/.btfkit-extracted" ] || [ "$(cat "$SRC/.btfkit-extracted")" != "$STAMP" ]; then
    log "extracting $TARBALL -> $SRC"
    tmp="$(mktemp -d "$CACHE/extract.XXXXXX")"
    tar -xf "$TARBALL" -C "$tmp"
    top="$(find "$tmp" -mindepth 1 -maxdepth 1 -type d | head -n1)"
    [ -f "$top/Makefile" ] || die "unexpected tarball layout"
    rm -rf "$SRC"
    mv "$top" "$SRC"
    rmdir "$tmp"
    echo "$STAMP" > "$SRC/.btfkit-extracted"
fi
KMAKE=(make -C "$SRC" O="$OUT" PAHOLE="$PAHOLE_BIN")

# ---------------------------------------------------------------- config
# Symbols enabled on top of tinyconfig (x86-64). "=m" means module.
CONFIG_SYMS=(64BIT BPF_SYSCALL BPF_JIT DEBUG_KERNEL DEBUG_INFO DEBUG_INFO_DWARF5
    DEBUG_INFO_BTF DEBUG_INFO_BTF_MODULES MODULES MODULE_UNLOAD FTRACE FUNCTION_TRACER
    KPROBES BPF_EVENTS PRINTK TTY SERIAL_8250 SERIAL_8250_CONSOLE BLK_DEV_INITRD RD_GZIP
    BINFMT_ELF BINFMT_SCRIPT DEVTMPFS DEVTMPFS_MOUNT PROC_FS SYSFS DEBUG_FS PCI
    VIRTIO_MENU VIRTIO_PCI NET NETDEVICES NET_CORE VIRTIO_NET=m)
# Must be set like this after olddefconfig (and still after the build, since kbuild
# re-runs syncconfig when PAHOLE changes and PAHOLE_VERSION is recomputed).
REQUIRED=(CONFIG_DEBUG_INFO_BTF=y CONFIG_DEBUG_INFO_BTF_MODULES=y CONFIG_DEBUG_INFO_DWARF5=y
    CONFIG_MODULES=y CONFIG_VIRTIO_NET=m CONFIG_BPF_SYSCALL=y CONFIG_SERIAL_8250_CONSOLE=y
    CONFIG_BLK_DEV_INITRD=y CONFIG_DEVTMPFS=y)

check_config() {
    local bad=0 s
    for s in "${REQUIRED[@]}"; do
        grep -qx "$s" "$OUT/.config" || { log "config: $s did not stick"; bad=1; }
    done
    local pv; pv="$(sed -n 's/^CONFIG_PAHOLE_VERSION=//p' "$OUT/.config")"
    [[ "$pv" =~ ^[0-9]+$ ]] || { log "config: CONFIG_PAHOLE_VERSION='$pv' is not an integer: \`$PAHOLE_BIN --version\` must print 'v1.NN' (scripts/pahole-version.sh)"; bad=1; }
    return $bad
}

if [ "$SKIP_BUILD" = 0 ]; then
    log "configuring in $OUT (PAHOLE=$PAHOLE_BIN, --version: $("$PAHOLE_BIN" --version 2>&1 | head -n1))"
    "${KMAKE[@]}" -s tinyconfig >/dev/null
    args=()
    for s in "${CONFIG_SYMS[@]}"; do
        case "$s" in *=m) args+=(-m "${s%=m}") ;; *) args+=(-e "$s") ;; esac
    done
    args+=(-d DEBUG_INFO_NONE -d DEBUG_INFO_DWARF_TOOLCHAIN_DEFAULT -d DEBUG_INFO_DWARF4)
    "$SRC/scripts/config" --file "$OUT/.config" "${args[@]}"
    "${KMAKE[@]}" -s olddefconfig >/dev/null
    check_config || die "config check failed (see above)"
    cp "$OUT/.config" "$OUT/config-after-olddefconfig"

    # ------------------------------------------------------------ build
    log "building bzImage + modules with -j$JOBS (log: $OUT/build.log)"
    t0=$(date +%s.%N)
    if ! "${KMAKE[@]}" -j"$JOBS" bzImage modules > "$OUT/build.log" 2>&1; then
        tail -n 40 "$OUT/build.log" >&2
        die "kernel build failed (full log: $OUT/build.log)"
    fi
    t1=$(date +%s.%N)
    BUILD_SECS=$(echo "$t1 - $t0" | bc)
    echo "$BUILD_SECS" > "$OUT/build.seconds"
else
    [ -f "$OUT/vmlinux" ] || die "--skip-build: no vmlinux in $OUT"
    BUILD_SECS="$(cat "$OUT/build.seconds" 2>/dev/null || echo '?')"
fi
check_config || die "config changed during the build (see above)"

# ---------------------------------------------------------------- build-side BTF checks
FAIL=0
fail() { log "FAIL: $*"; FAIL=1; }
has_btf_section() { readelf -S -W "$1" 2>/dev/null | grep -E >/dev/null '\] \.BTF[[:space:]]'; }

PAHOLE_VERSION_CFG="$(sed -n 's/^CONFIG_PAHOLE_VERSION=//p' "$OUT/.config")"
# PAHOLE_FLAGS exactly as kbuild computes them (scripts/Makefile.btf) for this .config.
PAHOLE_FLAGS="$(printf 'include %s\ninclude scripts/Kbuild.include\ninclude scripts/Makefile.btf\nall:\n\t@echo $(PAHOLE_FLAGS)\n' \
    "$OUT/include/config/auto.conf" | make -s -C "$SRC" -f - srctree=. all)"

VMLINUX_KO_DIR="$OUT/drivers/net"
VIRTIO_KO="$VMLINUX_KO_DIR/virtio_net.ko"
has_btf_section "$OUT/vmlinux" || fail "vmlinux has no .BTF section"
[ -f "$VIRTIO_KO" ] || fail "virtio_net.ko not built"
[ -f "$VIRTIO_KO" ] && { has_btf_section "$VIRTIO_KO" || fail "virtio_net.ko has no .BTF section"; }
grep -q 'Skipping BTF generation' "$OUT/build.log" 2>/dev/null && fail "kbuild skipped module BTF generation"

ART="$OUT/btf-check"
rm -rf "$ART"; mkdir -p "$ART"
objcopy --dump-section .BTF="$ART/vmlinux.build.btf" "$OUT/vmlinux" "$ART/objcopy.tmp"; rm -f "$ART/objcopy.tmp"
if [ -f "$VIRTIO_KO" ]; then objcopy --dump-section .BTF="$ART/virtio_net.build.btf" "$VIRTIO_KO" "$ART/objcopy.tmp" || true; rm -f "$ART/objcopy.tmp"; fi
bpftool btf dump file "$ART/vmlinux.build.btf" > "$ART/vmlinux.build.dump" 2>"$ART/bpftool.err" \
    || fail "bpftool cannot parse vmlinux .BTF ($(head -c 300 "$ART/bpftool.err"))"
if [ -s "$ART/virtio_net.build.btf" ]; then
    bpftool -B "$ART/vmlinux.build.btf" btf dump file "$ART/virtio_net.build.btf" > "$ART/virtio_net.build.dump" 2>"$ART/bpftool.err" \
        || fail "bpftool cannot parse virtio_net.ko .BTF against vmlinux base"
fi

# Time the vmlinux BTF step alone: the same command link-vmlinux.sh ran on .tmp_vmlinux1.
BTF_STEP=""
if [ -f "$OUT/.tmp_vmlinux1" ] && [ -n "$TIME_V" ]; then
    cp "$OUT/.tmp_vmlinux1" "$ART/tmp_vmlinux1.copy"
    # gen_btf() added .BTF to .tmp_vmlinux1 in place; drop it so the re-run sees what kbuild saw.
    objcopy --remove-section .BTF "$ART/tmp_vmlinux1.copy"
    # shellcheck disable=SC2086
    if (cd "$OUT" && LLVM_OBJCOPY=objcopy "$TIME_V" -v -o "$ART/btf-step.time" \
            "$PAHOLE_BIN" -J $PAHOLE_FLAGS "$ART/tmp_vmlinux1.copy" > "$ART/btf-step.log" 2>&1); then
        BTF_STEP="$(awk -F': ' '/Elapsed \(wall clock\)/{w=$2} /Maximum resident set size/{r=$2} /User time/{u=$2} END{printf "wall %s, user %ss, max RSS %d MiB", w, u, r/1024}' "$ART/btf-step.time")"
    else
        fail "re-running the vmlinux BTF step failed (see $ART/btf-step.log)"
    fi
    rm -f "$ART/tmp_vmlinux1.copy"
fi

kind_counts() {  # per-kind counts from a `bpftool btf dump` raw listing
    grep -oE '^\[[0-9]+\] [A-Z_]+' "$1" | awk '{print $2}' | sort | uniq -c | awk '{printf "%s=%s ", $2, $1}'
}

# ---------------------------------------------------------------- initramfs
BOOT_VERDICT="not run"
if [ "$DO_BOOT" = 1 ]; then
    IRD="$OUT/initramfs"
    rm -rf "$IRD"; mkdir -p "$IRD/root"
    KREL="$(cat "$OUT/include/config/kernel.release")"
    "${KMAKE[@]}" -s INSTALL_MOD_PATH="$IRD/root" modules_install >/dev/null
    [ -f "$IRD/root/lib/modules/$KREL/modules.dep" ] || die "modules_install produced no modules.dep (is kmod/depmod installed?)"
    cat > "$IRD/init" <<'EOF'
#!/bin/sh
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null || true
mount -t debugfs debugfs /sys/kernel/debug
echo "KCHECK: kernel $(uname -r)"
echo "KCHECK: ls /sys/kernel/btf (before insmod):"
ls /sys/kernel/btf
if modprobe virtio_net; then echo "KCHECK: MODLOAD OK"; else echo "KCHECK: MODLOAD FAILED rc=$?"; fi
echo "KCHECK: lsmod:"; lsmod
echo "KCHECK: ls /sys/kernel/btf (after insmod):"
ls /sys/kernel/btf
for m in vmlinux virtio_net; do
    if [ -e /sys/kernel/btf/$m ]; then echo "KCHECK: BTFDIR $m present"; else echo "KCHECK: BTFDIR $m MISSING"; fi
done
echo "KCHECK: dmesg | grep -i btf:"
dmesg | grep -i btf
echo "KCHECK: end of dmesg btf"
# Dump the BTF blobs to the second serial port (ttyS1 -> a file on the host),
# base64 between marker lines, with a sha256 for verification.
out=/dev/ttyS1
[ -c "$out" ] || out=/dev/console
stty -F "$out" raw -echo 2>/dev/null || true
for m in vmlinux virtio_net; do
    f=/sys/kernel/btf/$m
    [ -e "$f" ] || continue
    cp "$f" /tmp/$m.btf
    {
        echo "----- BEGIN BTF $m $(wc -c < /tmp/$m.btf) $(sha256sum /tmp/$m.btf | cut -d' ' -f1) -----"
        base64 /tmp/$m.btf
        echo "----- END BTF $m -----"
    } > "$out"
done
sync
echo "KCHECK: DONE"
# tinyconfig has no ACPI, so `poweroff -f` only halts ("Power off not available:
# System halted instead"). QEMU runs with -no-reboot, so a reboot ends QEMU (exit 0).
reboot -f
EOF
    chmod 755 "$IRD/init"
    {
        echo "dir /dev 755 0 0"
        echo "nod /dev/console 600 0 0 c 5 1"
        echo "dir /bin 755 0 0"
        echo "dir /proc 755 0 0"
        echo "dir /sys 755 0 0"
        echo "dir /tmp 1777 0 0"
        echo "dir /lib 755 0 0"
        echo "file /bin/busybox $BUSYBOX 755 0 0"
        for a in sh mount ls echo cat cp wc cut sha256sum base64 stty modprobe insmod lsmod \
                 dmesg grep sync poweroff reboot uname mkdir; do
            echo "slink /bin/$a busybox 777 0 0"
        done
        echo "file /init $IRD/init 755 0 0"
        (cd "$IRD/root" && find lib -mindepth 1 | sort | while read -r p; do
            if [ -d "$p" ]; then echo "dir /$p 755 0 0"
            elif [ -L "$p" ]; then echo "slink /$p $(readlink "$p") 777 0 0"
            else echo "file /$p $IRD/root/$p 644 0 0"; fi
        done)
    } > "$IRD/cpio.list"
    [ -x "$OUT/usr/gen_init_cpio" ] || "${KMAKE[@]}" -s usr/gen_init_cpio >/dev/null
    "$OUT/usr/gen_init_cpio" "$IRD/cpio.list" | gzip -9 > "$IRD/initramfs.cpio.gz"

    # ------------------------------------------------------------ boot
    ACCEL=(-accel tcg)
    if [ "$USE_KVM" = 1 ] && [ -r /dev/kvm ] && [ -w /dev/kvm ]; then ACCEL=(-enable-kvm -cpu host); fi
    SERIAL_LOG="$ART/serial-console.log"
    BTF_LOG="$ART/serial-btf.txt"
    rm -f "$SERIAL_LOG" "$BTF_LOG"
    log "booting in QEMU (${ACCEL[*]}, timeout ${BOOT_TIMEOUT}s)"
    b0=$(date +%s.%N)
    set +e
    timeout "$BOOT_TIMEOUT" qemu-system-x86_64 "${ACCEL[@]}" -m 512 -nographic -no-reboot \
        -kernel "$OUT/arch/x86/boot/bzImage" -initrd "$IRD/initramfs.cpio.gz" \
        -append "console=ttyS0 panic=-1" \
        -serial mon:stdio -serial "file:$BTF_LOG" \
        -nic none -device virtio-net-pci \
        < /dev/null > "$SERIAL_LOG" 2>&1
    qrc=$?
    set -e
    b1=$(date +%s.%N)
    BOOT_SECS=$(echo "$b1 - $b0" | bc)
    tr -d '\r' < "$SERIAL_LOG" > "$SERIAL_LOG.tmp" && mv "$SERIAL_LOG.tmp" "$SERIAL_LOG"

    boot_ok=1
    [ "$qrc" = 0 ] || { fail "qemu exited with $qrc (124 = timeout)"; boot_ok=0; }
    grep -q 'KCHECK: DONE' "$SERIAL_LOG" || { fail "init did not finish"; boot_ok=0; }
    grep -q 'KCHECK: MODLOAD OK' "$SERIAL_LOG" || { fail "virtio_net did not load"; boot_ok=0; }
    for m in vmlinux virtio_net; do
        grep -q "KCHECK: BTFDIR $m present" "$SERIAL_LOG" || { fail "/sys/kernel/btf/$m missing"; boot_ok=0; }
    done
    # Any BTF complaint from the kernel (e.g. "failed to validate module [x] BTF: -22",
    # "BTF: ... Invalid ...", "Error parsing BTF") counts as a failure.
    btf_err="$(sed -n '/KCHECK: dmesg | grep -i btf:/,/KCHECK: end of dmesg btf/p' "$SERIAL_LOG" \
        | grep -iE 'fail|invalid|error|mismatch|-22|-EINVAL' || true)"
    [ -z "$btf_err" ] || { fail "BTF errors in dmesg: $btf_err"; boot_ok=0; }

    # Extract the runtime BTF blobs and compare them with the build-time .BTF sections.
    for m in vmlinux virtio_net; do
        hdr="$(grep -a "^----- BEGIN BTF $m " "$BTF_LOG" 2>/dev/null | tr -d '\r' || true)"
        if [ -z "$hdr" ]; then fail "no BTF dump for $m on ttyS1"; boot_ok=0; continue; fi
        want_sha="$(echo "$hdr" | awk '{print $6}')"
        tr -d '\r' < "$BTF_LOG" | sed -n "/^----- BEGIN BTF $m /,/^----- END BTF $m -----/p" \
            | sed '1d;$d' | base64 -d > "$ART/$m.runtime.btf"
        got_sha="$(sha256sum "$ART/$m.runtime.btf" | cut -d' ' -f1)"
        [ "$got_sha" = "$want_sha" ] || { fail "$m: runtime BTF transfer corrupted"; boot_ok=0; continue; }
        if [ "$m" = vmlinux ]; then
            bpftool btf dump file "$ART/$m.runtime.btf" > "$ART/$m.runtime.dump" 2>/dev/null \
                || { fail "bpftool cannot parse runtime vmlinux BTF"; boot_ok=0; }
            cmp -s "$ART/$m.runtime.btf" "$ART/vmlinux.build.btf" || log "note: runtime vmlinux BTF differs from vmlinux .BTF"
        else
            bpftool -B "$ART/vmlinux.runtime.btf" btf dump file "$ART/$m.runtime.btf" > "$ART/$m.runtime.dump" 2>/dev/null \
                || { fail "bpftool cannot parse runtime $m BTF"; boot_ok=0; }
        fi
    done
    if [ "$boot_ok" = 1 ]; then BOOT_VERDICT="OK (${BOOT_SECS}s)"; else BOOT_VERDICT="FAILED (${BOOT_SECS}s, see $SERIAL_LOG)"; fi
fi

# ---------------------------------------------------------------- report
size_of() { [ -f "$1" ] && stat -c %s "$1" || echo "-"; }
echo "=== BTFKit kernel check: linux $(cat "$OUT/include/config/kernel.release" 2>/dev/null) ==="
echo "pahole:         $PAHOLE_BIN ($("$PAHOLE_BIN" --version 2>&1 | head -n1)); CONFIG_PAHOLE_VERSION=$PAHOLE_VERSION_CFG"
echo "PAHOLE_FLAGS:   $PAHOLE_FLAGS"
echo "output dir:     $OUT"
echo "build time:     ${BUILD_SECS}s (make -j$JOBS bzImage modules)"
echo "BTF lines:      $(grep -cE '^  BTF ' "$OUT/build.log" 2>/dev/null || true) in build.log: $(grep -E '^  BTF ' "$OUT/build.log" 2>/dev/null | sed 's/^ *//' | tr '\n' ';' | sed 's/;$//')"
[ -n "$BTF_STEP" ] && echo "vmlinux BTF step alone: $BTF_STEP"
echo "resolve_btfids: $(grep -c 'resolve_btfids: ' "$OUT/build.log" 2>/dev/null || true) warning line(s): $(grep 'resolve_btfids: ' "$OUT/build.log" 2>/dev/null | sed 's/^WARN: resolve_btfids: //' | sort -u | tr '\n' ';' | sed 's/;$//')"
echo "vmlinux .BTF:   $(size_of "$ART/vmlinux.build.btf") bytes; kinds: $( [ -s "$ART/vmlinux.build.dump" ] && kind_counts "$ART/vmlinux.build.dump")"
echo "virtio_net .BTF: $(size_of "$ART/virtio_net.build.btf") bytes; kinds: $( [ -s "$ART/virtio_net.build.dump" ] && kind_counts "$ART/virtio_net.build.dump")"
echo "boot:           $BOOT_VERDICT"
if [ "$DO_BOOT" = 1 ] && [ -f "$ART/vmlinux.runtime.btf" ]; then
    echo "runtime BTF:    vmlinux $(size_of "$ART/vmlinux.runtime.btf") bytes, virtio_net $(size_of "$ART/virtio_net.runtime.btf") bytes; vmlinux identical to build .BTF: $(cmp -s "$ART/vmlinux.runtime.btf" "$ART/vmlinux.build.btf" && echo yes || echo no)"
fi
echo "artifacts:      $ART"
if [ "$FAIL" = 0 ]; then echo "RESULT: PASS"; else echo "RESULT: FAIL"; exit 1; fi
