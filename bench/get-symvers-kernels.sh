#!/usr/bin/env bash
# Test data for `btfkit symvers`: two consecutive Debian 12 ABI builds each of Linux 6.12 and 6.1
# (cloud-amd64), with the debug vmlinux/modules and the Module.symvers Debian shipped for them.
#   bench/get-symvers-kernels.sh                    # the two newest builds apt offers per series
#   bench/get-symvers-kernels.sh 6.12.117 6.12.118 6.1.0-56 6.1.0-57   # or pick them (any number)
# (Note: 6.1.0-55/56/57 are all upstream 6.1.192 and have byte-identical Module.symvers; for a 6.1
#  pair whose CRCs differ, also fetch 6.1.0-54 6.1.0-55: 6.1.190 -> 6.1.192, 5692 CRCs change.)
# Cache: ${BTFKIT_SYMVERS_DIR:-$HOME/.cache/btfkit-symvers} (never inside the repo). Per build:
#   <cache>/<release>/{vmlinux,xfs.ko,virtio_net.ko}  from linux-image-<release>-dbg
#   <cache>/<release>/{Module.symvers,config}         from linux-headers-<release> (the arch package;
#                                                     the -common package carries no Module.symvers)
#   <cache>/<release>/PACKAGES                        package names and versions
# .debs go to <cache>/debs/; ones already downloaded elsewhere (BTFKIT_SYMVERS_REUSE, a
# space-separated list of dirs searched two levels deep) are hardlinked (or copied) instead.
# Idempotent: what already exists is skipped. Needs apt-get, apt-cache, dpkg-deb, tar.
set -euo pipefail
CACHE=${BTFKIT_SYMVERS_DIR:-$HOME/.cache/btfkit-symvers}
REUSE=${BTFKIT_SYMVERS_REUSE:-"/work/cache/kernel-6.12 $HOME/.cache/btfkit-bench /work/cache/kernel-6.1"}
FLAVOUR=cloud-amd64
REPO=$(cd "$(dirname "$0")/.." && pwd -P)
mkdir -p "$CACHE/debs"
CACHE=$(cd "$CACHE" && pwd -P)
case "$CACHE/" in "$REPO"/*) echo "cache dir $CACHE is inside the repo; set BTFKIT_SYMVERS_DIR" >&2; exit 1;; esac

candidate() {   # candidate version of a package, empty if apt has none
    apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ {if ($2 != "(none)") print $2}'
}
have_both() { [[ -n $(candidate "linux-image-$1-dbg") && -n $(candidate "linux-headers-$1") ]]; }
available() {   # releases of a series ("6.12" or "6.1") for which apt has both -dbg and headers, oldest first
    local re
    case $1 in
        6.12) re="^linux-image-(6\.12\.[0-9]+\+deb12-$FLAVOUR)-dbg\$" ;;
        6.1) re="^linux-image-(6\.1\.0-[0-9]+-$FLAVOUR)-dbg\$" ;;
    esac
    apt-cache pkgnames linux-image-"$1". 2>/dev/null | sed -nE "s/$re/\1/p" | sort -uV |
        while read -r r; do have_both "$r" && echo "$r"; done
}
normalize() {   # 6.12.117 | 6.12.117+deb12 | 6.1.0-56 | full release -> release
    local r=${1%-"$FLAVOUR"}
    [[ $r =~ ^6\.12\.[0-9]+$ ]] && r+=+deb12
    echo "$r-$FLAVOUR"
}

RELEASES=()
if (($#)); then
    for a in "$@"; do RELEASES+=("$(normalize "$a")"); done
    missing=0
    for r in "${RELEASES[@]}"; do have_both "$r" || missing=1; done
    if ((missing)); then apt-get update -qq; fi
    for r in "${RELEASES[@]}"; do
        if ! have_both "$r"; then
            echo "apt has no linux-image-$r-dbg and/or linux-headers-$r; available:" >&2
            available "${r%%.*}.$(cut -d. -f2 <<<"$r")" | sed 's/^/  /' >&2
            exit 1
        fi
    done
else
    for s in 6.12 6.1; do
        mapfile -t av < <(available "$s")
        if ((${#av[@]} < 2)); then
            apt-get update -qq
            mapfile -t av < <(available "$s")
        fi
        echo "series $s: apt has -dbg + headers for: ${av[*]:-none}"
        ((${#av[@]} >= 2)) || { echo "need two $s builds, apt has ${#av[@]}" >&2; exit 1; }
        RELEASES+=("${av[-2]}" "${av[-1]}")
    done
fi

fetch_deb() {   # package -> path of its .deb (candidate version) in $CACHE/debs
    local pkg=$1 ver file d found
    ver=$(candidate "$pkg")
    file="${pkg}_${ver#*:}_amd64.deb"
    if [[ ! -s $CACHE/debs/$file ]]; then
        found=
        for d in $REUSE; do
            [[ -d $d ]] || continue
            found=$(find -L "$d" -maxdepth 2 -name "$file" -size +0 -print -quit 2>/dev/null)
            [[ -n $found ]] && break
        done
        if [[ -n $found ]]; then
            echo "  reuse $found" >&2
            if ! ln -f "$found" "$CACHE/debs/$file" 2>/dev/null; then
                cp "$found" "$CACHE/debs/$file.part" && mv "$CACHE/debs/$file.part" "$CACHE/debs/$file"
            fi
        else
            echo "  apt-get download $pkg=$ver" >&2
            (cd "$CACHE/debs" && apt-get download -q -o APT::Sandbox::User=root "$pkg=$ver" >&2)
        fi
    fi
    [[ -s $CACHE/debs/$file ]] || { echo "no $file" >&2; exit 1; }
    echo "$CACHE/debs/$file"
}

extract() {   # deb dest-dir (member -> name)... ; only the members whose target is missing
    local deb=$1 dir=$2 tmp want=() names=() i
    shift 2
    while (($#)); do
        [[ -s $dir/$2 ]] || { want+=("$1"); names+=("$2"); }
        shift 2
    done
    ((${#want[@]})) || return 0
    tmp=$(mktemp -d "$dir/.x.XXXXXX")
    echo "  extract ${names[*]} from $(basename "$deb")" >&2
    dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp" "${want[@]}"
    for i in "${!want[@]}"; do mv "$tmp/${want[i]}" "$dir/${names[i]}"; done
    rm -rf "$tmp"
}

for r in "${RELEASES[@]}"; do
    echo "== $r"
    dir=$CACHE/$r
    mkdir -p "$dir"
    dbg=$(fetch_deb "linux-image-$r-dbg")
    hdr=$(fetch_deb "linux-headers-$r")
    extract "$dbg" "$dir" \
        "./usr/lib/debug/boot/vmlinux-$r" vmlinux \
        "./usr/lib/debug/lib/modules/$r/kernel/fs/xfs/xfs.ko" xfs.ko \
        "./usr/lib/debug/lib/modules/$r/kernel/drivers/net/virtio_net.ko" virtio_net.ko
    extract "$hdr" "$dir" \
        "./usr/src/linux-headers-$r/Module.symvers" Module.symvers \
        "./usr/src/linux-headers-$r/.config" config
    [[ -s $dir/PACKAGES ]] || for d in "$dbg" "$hdr"; do
        echo "$(dpkg-deb -f "$d" Package) $(dpkg-deb -f "$d" Version) $(basename "$d")"
    done >"$dir/PACKAGES"
done
echo "$CACHE"
