#!/usr/bin/env python3
"""Prints a crate's module import graph (from `crate::` / `super::` paths) and any cycles; exits 1 on a cycle.

Usage: python3 scripts/module_cycles.py src            (the console: main.rs is its root)
       python3 scripts/module_cycles.py emulator/src   (lib.rs is the root; the binary's main.rs is left out)
A node is a module path like `entra::token`; `lib` is the crate root. An edge A -> B means A's
source names `crate::B...` (in a `use` or inline). Items defined at the crate root map to `lib`.
Test modules (`#[cfg(test)] mod tests`) are skipped: they may reach into their parent freely.
"""
import os, re, sys

root = sys.argv[1]
# A binary crate (no lib.rs) is rooted at main.rs; beside a lib.rs, main.rs is a separate binary.
binary = not os.path.exists(os.path.join(root, 'lib.rs'))
mods = {}  # module path -> file
for dp, _, fs in os.walk(root):
    for f in fs:
        if not f.endswith('.rs') or (f == 'main.rs' and not (binary and dp == root)):
            continue
        rel = os.path.relpath(os.path.join(dp, f), root)[:-3]
        parts = rel.split(os.sep)
        if parts[-1] == 'mod':
            parts = parts[:-1]
        name = '::'.join(parts) if parts not in (['lib'], ['main']) else 'lib'
        mods[name] = os.path.join(dp, f)

def strip(src):
    """Code only: comments, string and char literals blanked (a small Rust lexer), test module dropped."""
    out, i, n = [], 0, len(src)
    while i < n:
        c = src[i]
        if src.startswith('//', i):
            j = src.find('\n', i)
            i = n if j < 0 else j
        elif src.startswith('/*', i):
            depth, i = 1, i + 2
            while i < n and depth:
                if src.startswith('/*', i): depth, i = depth + 1, i + 2
                elif src.startswith('*/', i): depth, i = depth - 1, i + 2
                else: i += 1
        elif c == 'r' and re.match(r'r#*"', src[i:]) and not (i and (src[i-1].isalnum() or src[i-1] == '_')):
            hashes = re.match(r'r(#*)"', src[i:]).group(1)
            end = src.find('"' + hashes, i + 2 + len(hashes))
            out.append('""'); i = end + 1 + len(hashes)
        elif c == '"':
            i += 1
            while i < n and src[i] != '"':
                i += 2 if src[i] == '\\' else 1
            out.append('""'); i += 1
        elif c == "'":
            m = re.match(r"'(\\.[^']*|[^'\\])'", src[i:])
            if m:
                out.append("' '"); i += m.end()
            else:
                out.append(c); i += 1
        else:
            out.append(c); i += 1
    src = ''.join(out)
    k = src.find('#[cfg(test)]')
    return src[:k] if k >= 0 else src

def expand(prefix, body):
    """`a::{b, c::{d, e}}` -> [a::b, a::c::d, a::c::e] (prefix already resolved)."""
    out, depth, cur = [], 0, ''
    for ch in body + ',':
        if ch == '{': depth += 1
        if ch == '}': depth -= 1
        if ch == ',' and depth == 0:
            cur = cur.strip()
            if cur:
                m = re.match(r'^([\w:]*?)(?:::)?\{(.*)\}$', cur, re.S)
                if m:
                    out += expand(prefix + [p for p in m.group(1).split('::') if p], m.group(2))
                else:
                    out.append(prefix + [p for p in cur.split(' as ')[0].split('::') if p])
            cur = ''
        else:
            cur += ch
    return out

def resolve(path):
    """Longest module prefix of a crate-relative path; root items map to `lib`."""
    for n in range(len(path), 0, -1):
        cand = '::'.join(path[:n])
        if cand in mods:
            return cand
    return 'lib'

edges = {m: set() for m in mods}
for m, f in mods.items():
    src = strip(open(f).read())
    selfpath = [] if m == 'lib' else m.split('::')
    paths = []
    for u in re.finditer(r'\buse\s+(crate|super)::([^;]+);', src, re.S):
        base = [] if u.group(1) == 'crate' else selfpath[:-1] if os.path.basename(f) != 'mod.rs' else selfpath[:-1]
        if u.group(1) == 'super' and os.path.basename(f) == 'mod.rs':
            base = selfpath[:-1]
        body = u.group(2).strip()
        if body.startswith('{'):
            paths += expand(base, body[1:-1])
        else:
            paths += expand(base, body)
    # a root or mod.rs file may name its child modules without `crate::`/`self::`
    children = {n.split('::')[-1] for n in mods if n != 'lib' and n.count('::') == len(selfpath) and n.startswith('::'.join(selfpath))}
    for u in re.finditer(r'\b(?:pub(?:\([\w ]+\))?\s+)?use\s+(?:self::)?(\w+)::([^;]+);', src, re.S):
        if u.group(1) in children:
            paths += expand(selfpath + [u.group(1)], u.group(2).strip().strip('{}') if u.group(2).strip().startswith('{') else u.group(2))
    src_nouse = re.sub(r'\buse\s+[^;]+;', '', src)
    for p in re.finditer(r'(?<![:\w])(\w+)::(\w+)', src_nouse):
        if p.group(1) in children:
            paths.append(selfpath + [p.group(1), p.group(2)])
    for p in re.finditer(r'\bcrate::((?:\w+::)*\w+)', src_nouse):
        paths.append(p.group(1).split('::'))
    for p in re.finditer(r'\bsuper::((?:\w+::)*\w+)', src_nouse):
        paths.append(selfpath[:-1] + p.group(1).split('::'))
    # `use self::x` / child modules are not cross-module edges to check
    for p in paths:
        t = resolve(p)
        if t != m:
            edges[m].add(t)

for m in sorted(edges):
    print(f"{m} -> {', '.join(sorted(edges[m])) or '(nothing)'}")

# strongly connected components (Tarjan): any with more than one module is a cycle
index, low, stack, on, sccs, counter = {}, {}, [], set(), [], [0]
def visit(v):
    index[v] = low[v] = counter[0]; counter[0] += 1; stack.append(v); on.add(v)
    for w in edges[v]:
        if w not in index:
            visit(w); low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop(); on.discard(w); comp.append(w)
            if w == v: break
        sccs.append(comp)
sys.setrecursionlimit(10000)
for v in sorted(edges):
    if v not in index:
        visit(v)
cycles = [sorted(c) for c in sccs if len(c) > 1]
print()
if cycles:
    for c in cycles:
        print("CYCLE among:", ', '.join(c))
    sys.exit(1)
print("no cycles")
