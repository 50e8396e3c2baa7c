#!/usr/bin/env python3
"""Benchmarks btfkit against bpftool in the same run on the same machine.

Reports median wall time over N runs, the ratio btfkit/bpftool, and peak RSS (from wait4).
Usage: bench/bench.py [--runs N] [--btfkit PATH] [--input FILE.btf[.gz]]
"""
import argparse, gzip, os, shutil, statistics, subprocess, sys, tempfile, time

def run_once(cmd, out_path=None):
    devnull = os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644) if out_path else os.open(os.devnull, os.O_WRONLY)
    t0 = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        os.dup2(devnull, 1)
        os.execvp(cmd[0], cmd)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - t0
    os.close(devnull)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"command failed: {' '.join(cmd)}")
    return wall, usage.ru_maxrss / 1024.0  # MiB

def measure(cmd, runs, out_path=None):
    run_once(cmd, out_path)  # warm-up (page cache)
    samples = [run_once(cmd, out_path) for _ in range(runs)]
    return statistics.median(s[0] for s in samples), max(s[1] for s in samples)

def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--btfkit", default=os.path.join(root, ".build/release/btfkit"))
    ap.add_argument("--input", default=os.path.join(root, "testdata/kernel/vmlinux-6.18.btf.gz"))
    a = ap.parse_args()
    bpftool = shutil.which("bpftool") or ("/usr/sbin/bpftool" if os.path.exists("/usr/sbin/bpftool") else None)
    tmp = tempfile.mkdtemp()
    src = a.input
    if src.endswith(".gz"):
        src = os.path.join(tmp, os.path.basename(src)[:-3])
        with gzip.open(a.input) as f, open(src, "wb") as g:
            g.write(f.read())
    print(f"input: {os.path.basename(src)} ({os.path.getsize(src)} bytes), {a.runs} runs each, median wall time")
    version = subprocess.run([bpftool, "version"], capture_output=True, text=True).stdout.splitlines()[0] if bpftool else "bpftool: not installed"
    print(f"peer: {version}")
    rows = [
        ("raw dump", [a.btfkit, "dump", src], [bpftool, "btf", "dump", "file", src] if bpftool else None),
        ("json dump", [a.btfkit, "dump", "--format", "json", src], [bpftool, "-j", "btf", "dump", "file", src] if bpftool else None),
        ("C header", [a.btfkit, "dump", "--format", "c", src], [bpftool, "btf", "dump", "file", src, "format", "c"] if bpftool else None),
        ("C > vmlinux.h", [a.btfkit, "dump", "--format", "c", src], [bpftool, "btf", "dump", "file", src, "format", "c"] if bpftool else None),
        ("Rust > .rs", [a.btfkit, "dump", "--format", "rust", src], [bpftool, "btf", "dump", "file", src, "format", "c"] if bpftool else None),
    ]
    print("(stdout to /dev/null, except rows with '>': stdout to a file, as users generate vmlinux.h;")
    print(" the Rust row is compared with bpftool's C header, bpftool has no Rust output)")
    print(f"{'task':<14} {'btfkit s':>9} {'RSS MiB':>8} {'bpftool s':>10} {'RSS MiB':>8} {'ratio':>6}")
    for name, ours, theirs in rows:
        path = os.path.join(tmp, "vmlinux.h") if ">" in name else None
        t, r = measure(ours, a.runs, path)
        if theirs:
            pt, pr = measure(theirs, a.runs, path)
            print(f"{name:<14} {t:9.4f} {r:8.1f} {pt:10.4f} {pr:8.1f} {t / pt:6.2f}")
        else:
            print(f"{name:<14} {t:9.4f} {r:8.1f} {'skipped: bpftool not installed':>26}")
    out = subprocess.run([a.btfkit, "info", "--timing", src], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        if line.startswith("load+index"):
            print(line)
    shutil.rmtree(tmp)

if __name__ == "__main__":
    main()
