#!/usr/bin/env bash
# The whole test suite. Installs (apt) the tools the tests compare against when they are missing:
# bpftool, pahole (dwarves), clang, llvm, libbpf-dev (the CO-RE judge), and zlib's headers for the build. Then runs `swift test`.
# Tests whose judge is still missing say that they skipped and why.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
have() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/sbin/$1" ]; }
have bpftool || missing+=(bpftool)
have pahole || missing+=(dwarves)
have clang || missing+=(clang)
have llvm-objcopy || missing+=(llvm)
[ -f /usr/include/zlib.h ] || missing+=(zlib1g-dev)
[ -f /usr/include/bpf/libbpf.h ] || missing+=(libbpf-dev)
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing: ${missing[*]}"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq || echo "warning: apt-get update failed; trying to install anyway"
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null \
        || echo "warning: could not install ${missing[*]}; tests needing them will report that they skipped"
fi
export PATH="$PATH:/usr/sbin:/sbin"
swift build --build-tests
swift test --disable-swift-testing 2>&1
