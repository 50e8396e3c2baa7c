#!/usr/bin/env python3
"""Writes fuzzing seeds from the committed fixtures: usage fuzz-seeds.py btf|print|dwarf|core OUTDIR.

btf:   the .BTF and .BTF.ext sections of the BPF objects, and the start of a split module BTF.
print: the same, the regression inputs in testdata/fuzz, and a BTF with Rust names that are C
       keywords (testdata/fuzz/seeds/*.btf).
core:  the committed BPF objects (whole ELF files up to 64 KiB).
symvers: the symvers fixtures (ELF with export tables), the BTF seeds, and kABI rules text.
dwarf: for each little-endian ELF64 DWARF fixture, u16 length + .debug_abbrev + .debug_info
       (the layout the DWARF harness expects).
"""
import pathlib, struct, sys

def sections(path):
    data = path.read_bytes()
    if data[:4] != b"\x7fELF" or data[4] != 2:
        return {}
    e = "<" if data[5] == 1 else ">"
    shoff, = struct.unpack_from(e + "Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from(e + "HHH", data, 0x3a)
    secs = [struct.unpack_from(e + "IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
    stroff = secs[shstrndx][4]
    named = {"__endian__": e}
    for s in secs:
        name = data[stroff + s[0]:data.index(b"\0", stroff + s[0])].decode()
        named.setdefault(name, data[s[4]:s[4] + s[5]])
    return named

target, out = sys.argv[1], pathlib.Path(sys.argv[2])
out.mkdir(parents=True, exist_ok=True)
if target in ("btf", "print"):
    for p in pathlib.Path("testdata/bpf").glob("*.o"):
        for name, blob in sections(p).items():
            if name in (".BTF", ".BTF.ext"):
                (out / f"{p.stem}{name}").write_bytes(blob)
    (out / "virtio_net.btf").write_bytes(pathlib.Path("testdata/kernel/virtio_net-6.1.btf").read_bytes()[:4096])
    if target == "print":
        for p in list(pathlib.Path("testdata/fuzz").glob("*.btf")) + list(pathlib.Path("testdata/fuzz/seeds").glob("*.btf")):
            (out / p.name).write_bytes(p.read_bytes())
elif target == "core":
    for p in list(pathlib.Path("testdata/core").glob("*.o")) + list(pathlib.Path("testdata/bpf").glob("*.o")):
        if p.stat().st_size <= 65536:
            (out / p.name).write_bytes(p.read_bytes())
elif target == "symvers":
    for p in list(pathlib.Path("testdata/symvers").glob("*.so")) + list(pathlib.Path("testdata/symvers").glob("*.o")):
        if p.stat().st_size <= 65536:
            (out / p.name).write_bytes(p.read_bytes())
    for p in pathlib.Path("testdata/bpf").glob("*.o"):
        for name, blob in sections(p).items():
            if name == ".BTF":
                (out / f"{p.stem}.btf").write_bytes(blob)
    for p in pathlib.Path("testdata/fuzz/seeds").glob("*.btf"):
        (out / p.name).write_bytes(p.read_bytes())
    (out / "rules.txt").write_bytes(b"declonly foo\nenumerator_ignore e A\nenumerator_value e B 2\nbyte_size s 8\ntype_string s#s struct s { }\n")
    (out / "rules.section").write_bytes(b"1\0declonly\0foo\0\0" b"1\0enumerator_value\0e B\0002\0")
    (out / "Module.symvers").write_bytes(b"0x12345678\tfoo\tvmlinux\tEXPORT_SYMBOL_GPL\tNS\n#SYMVER bar 0x1\n")
else:
    for p in sorted(pathlib.Path("testdata/dwarf").glob("*.o")):
        named = sections(p)
        if named.get("__endian__") == "<" and ".debug_abbrev" in named and ".debug_info" in named:
            ab = named[".debug_abbrev"][:65535]
            (out / p.stem).write_bytes(struct.pack("<H", len(ab)) + ab + named[".debug_info"])
