#!/usr/bin/env python3
"""symvers_judge.py BTFKIT CACHE OLD NEW [--from-dwarf]: judges `btfkit symvers` against Debian's
genksyms CRCs (Module.symvers) for one pair of consecutive builds of vmlinux.

The set of vmlinux exports whose genksyms CRC changed from OLD to NEW is the reference. btfkit
versions both vmlinux files twice, with --visibility all and --visibility unit, and we compare
the sets of changed symbols among the exports that both sides version:
  recall    = flagged by genksyms and by btfkit / flagged by genksyms
  precision = flagged by both / flagged by btfkit
Every symbol genksyms flags that btfkit misses is listed; what btfkit flags extra is counted by
category (from `btfkit symvers diff --json`). Prints one Markdown table row per mode and the
details below it."""
import json, subprocess, sys

btfkit, cache, old, new = sys.argv[1:5]
extra_args = ['--from-dwarf', '-j2'] if '--from-dwarf' in sys.argv[5:] else []


def module_symvers(path):
    rows = {}
    for line in open(path):
        f = line.rstrip('\n').split('\t')
        if len(f) >= 4 and f[2] == 'vmlinux':
            rows[f[1]] = f[0]
    return rows


def ours(release, mode):
    out = subprocess.run([btfkit, 'symvers', f'{cache}/{release}/vmlinux', '--visibility', mode] + extra_args,
                         check=True, capture_output=True, text=True).stdout
    return {f[1]: f[0] for f in (l.split('\t') for l in out.splitlines()) if len(f) >= 4}


def causes(mode):
    r = subprocess.run([btfkit, 'symvers', 'diff', f'{cache}/{old}/vmlinux', f'{cache}/{new}/vmlinux', '--json',
                        '--visibility', mode] + extra_args, capture_output=True, text=True)
    if r.returncode not in (0, 1):
        sys.exit(f'symvers diff failed: {r.stderr}')
    by_symbol = {}
    for c in json.loads(r.stdout)['causes']:
        for s in c['symbols']:
            by_symbol[s['name']] = c['cause']
    return by_symbol


ref_old = module_symvers(f'{cache}/{old}/Module.symvers')
ref_new = module_symvers(f'{cache}/{new}/Module.symvers')
ref_changed = {s for s in ref_old.keys() & ref_new.keys() if ref_old[s] != ref_new[s]}
label = 'DWARF re-encoded (global_var)' if extra_args else "Debian's .BTF (pahole 1.24)"
unit_flagged = set()
for mode in ('all', 'unit'):
    a, b = ours(old, mode), ours(new, mode)
    both = a.keys() & b.keys() & ref_old.keys() & ref_new.keys()
    ref = ref_changed & both
    mine = {s for s in both if a[s] != b[s]}
    if mode == 'all':
        ua, ub = ours(old, 'unit'), ours(new, 'unit')
        unit_flagged = {s for s in ua.keys() & ub.keys() if ua[s] != ub[s]}
    hit = ref & mine
    recall = f'{len(hit)}/{len(ref)}' + (f' ({100 * len(hit) / len(ref):.1f} %)' if ref else '')
    precision = f'{len(hit)}/{len(mine)}' + (f' ({100 * len(hit) / len(mine):.1f} %)' if mine else '')
    unversioned = len(ref_changed - both)
    print(f'| {old} → {new} | {label} | {mode} | {len(ref_changed)} | {len(both)} | {recall} | {precision} | {unversioned} |')
    missed = sorted(ref - mine)
    if missed:
        print(f'  missed ({len(missed)}): {" ".join(missed[:30])}')
    extra = mine - ref
    if extra:
        cats = {}
        by_cause = causes(mode)
        for s in extra:
            c = by_cause.get(s, '?')
            if c.startswith('prototype of') or c.startswith('type of'):
                cat = 'own type line changed (' + c + ')'
            elif mode == 'all' and s not in unit_flagged:
                cat = 'definition behind a type the exporting unit only declares (genksyms: UNKNOWN)'
            else:
                cat = 'changed definition ' + c
            cats[cat] = cats.get(cat, 0) + 1
        for cat, n in sorted(cats.items(), key=lambda kv: -kv[1])[:12]:
            print(f'  extra {n}: {cat}')
