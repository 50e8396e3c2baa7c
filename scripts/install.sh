#!/usr/bin/env bash
# Installs btfkit, built in release mode, and a `pahole` link to it (docs/pahole-front-end.md).
#   scripts/install.sh [--prefix DIR]     default: ~/.local  → DIR/bin/btfkit, DIR/bin/pahole
# A kernel build then uses it with: make PAHOLE=DIR/bin/pahole
set -euo pipefail
cd "$(dirname "$0")/.."
PREFIX="$HOME/.local"
while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) PREFIX=${2:?--prefix needs a directory}; shift 2 ;;
        --prefix=*) PREFIX=${1#--prefix=}; shift ;;
        -h|--help) sed -n '2,4p' "$0"; exit 0 ;;
        *) echo "install.sh: unknown argument '$1' (use --prefix DIR)" >&2; exit 64 ;;
    esac
done
swift build -c release --product btfkit
BIN=$(swift build -c release --show-bin-path)/btfkit
mkdir -p "$PREFIX/bin"
install -m 0755 "$BIN" "$PREFIX/bin/btfkit.new"
mv -f "$PREFIX/bin/btfkit.new" "$PREFIX/bin/btfkit"
ln -sfn btfkit "$PREFIX/bin/pahole"
echo "installed $PREFIX/bin/btfkit and $PREFIX/bin/pahole -> btfkit ($("$PREFIX/bin/pahole" --version))"
