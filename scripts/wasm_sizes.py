#!/usr/bin/env python3
"""Per-function sizes of a wasm module, from its code section and name section.

    scripts/wasm_sizes.py FILE.wasm [TOP]

Prints the TOP (default 20) largest function bodies with their names, then the
code section summed by crate (the first `crate::` path in each name, so a
generic instantiation like `<T as tachys::view::Render>::build` counts for
`tachys`). Names come from the `name` custom section: wasm-bindgen keeps it,
trunk's wasm-opt drops it, so give this the wasm-bindgen output re-optimized
with `wasm-opt -g` (scripts/bench.sh does) to see the sizes that ship.
"""

import re
import shutil
import subprocess
import sys
from collections import defaultdict


def leb(data, pos):
    result = shift = 0
    while True:
        b = data[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            return result, pos


def name(data, pos):
    n, pos = leb(data, pos)
    return data[pos:pos + n].decode("utf-8", "replace"), pos + n


def read(path):
    data = open(path, "rb").read()
    assert data[:4] == b"\0asm", f"{path} is not a wasm module"
    pos = 8
    imported_funcs = 0
    bodies = []  # sizes, in function-index order after the imports
    names = {}
    sections = {}
    while pos < len(data):
        sid = data[pos]
        size, start = leb(data, pos + 1)
        end = start + size
        sections[sid] = sections.get(sid, 0) + size
        if sid == 2:  # imports: functions among them take the first indices
            count, p = leb(data, start)
            for _ in range(count):
                _, p = name(data, p)
                _, p = name(data, p)
                kind = data[p]
                p += 1
                if kind == 0:
                    _, p = leb(data, p)
                    imported_funcs += 1
                elif kind == 1:  # table: reftype, limits
                    p += 1
                    flags, p = leb(data, p)
                    _, p = leb(data, p)
                    if flags & 1:
                        _, p = leb(data, p)
                elif kind == 2:  # memory: limits
                    flags, p = leb(data, p)
                    _, p = leb(data, p)
                    if flags & 1:
                        _, p = leb(data, p)
                elif kind == 3:  # global: valtype, mut
                    p += 2
                elif kind == 4:  # tag
                    p += 1
                    _, p = leb(data, p)
        elif sid == 10:
            count, p = leb(data, start)
            for _ in range(count):
                n, q = leb(data, p)
                bodies.append(q - p + n)
                p = q + n
        elif sid == 0:
            cname, p = name(data, start)
            if cname == "name":
                while p < end:
                    sub = data[p]
                    subsize, q = leb(data, p + 1)
                    if sub == 1:
                        count, r = leb(data, q)
                        for _ in range(count):
                            idx, r = leb(data, r)
                            names[idx], r = name(data, r)
                    p = q + subsize
        pos = end
    return data, imported_funcs, bodies, names, sections


CRATE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)::")
# A v0 name's crate disambiguator (`dlmalloc[e24a27700634d609]::`) and a legacy name's hash (`::h0123…`).
NOISE = re.compile(r"\[[0-9a-f]{16}\]|::h[0-9a-f]{16}$")


def demangle(names):
    """Rust's mangled names (`_ZN…E`, `_R…`) as source paths. The split build keeps them mangled
    (wasm-bindgen `--no-demangle`, so that wasm-split's names match); binutils' c++filt reads both
    manglings. Without it the names stay as they are."""
    mangled = [i for i, n in names.items() if n.startswith(("_ZN", "_R"))]
    if not mangled or not shutil.which("c++filt"):
        return names
    out = subprocess.run(["c++filt"], input="\n".join(names[i] for i in mangled), capture_output=True, text=True).stdout
    for i, plain in zip(mangled, out.split("\n")):
        names[i] = NOISE.sub("", plain)
    return names


def crate_of(fname):
    if fname.startswith("core::ptr::drop_in_place"):
        return "(drop glue)"
    if fname.startswith("<"):
        # `<Type as Trait>::f`: the trait's crate says more than the type's (`PhantomData as DeserializeSeed`).
        depth = 0
        for i, ch in enumerate(fname):
            depth += ch == "<"
            depth -= ch == ">"
            if depth == 1 and fname.startswith(" as ", i):
                m = CRATE.search(fname, i)
                if m and m.group(1) not in ("core", "alloc", "std"):
                    return m.group(1)
                break
    m = CRATE.search(fname)
    return m.group(1) if m else "(unnamed)"


def main():
    path = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    data, imported, bodies, names, sections = read(path)
    names = demangle(names)
    code = sections.get(10, 0)
    funcs = [(size, names.get(imported + i, f"func[{imported + i}]")) for i, size in enumerate(bodies)]
    print(f"  {len(data)} B module, {code} B code ({len(funcs)} functions), {sections.get(11, 0)} B data")
    print(f"  top {top} functions by body size:")
    for size, fname in sorted(funcs, reverse=True)[:top]:
        short = fname if len(fname) <= 110 else fname[:107] + "..."
        print(f"    {size:7d} B  {short}")
    by_crate = defaultdict(lambda: [0, 0])
    for size, fname in funcs:
        c = by_crate[crate_of(fname)]
        c[0] += size
        c[1] += 1
    print("  code by crate (first `crate::` in the name; `<T as Trait>` counts for the trait's crate unless core's):")
    for crate, (size, n) in sorted(by_crate.items(), key=lambda kv: -kv[1][0])[:15]:
        print(f"    {size:8d} B {100.0 * size / max(code, 1):5.1f}%  {n:5d} fns  {crate}")


if __name__ == "__main__":
    main()
