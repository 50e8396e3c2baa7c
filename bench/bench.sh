#!/usr/bin/env bash
# Builds btfkit in release mode and runs the benchmark against bpftool (same run, same machine).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product btfkit >/dev/null
python3 bench/bench.py "$@"
