#!/usr/bin/env python3
"""tests/ivm/shrink_trace.py — shrink an ivm.py --trace script to the few writes that still make
a view disagree with PostgreSQL.

    /usr/bin/python3 tests/ivm/shrink_trace.py --pg HOST:PORT --build DIR --view NAME
        --trace FILE [--upto-batch N] [--out FILE]

The trace (ivm.py --trace) holds every statement ivm.py sent to Rivulet. This keeps its CREATE
TABLE statements and the CREATE MATERIALIZED VIEW of NAME (and of the views it is built on),
cuts it after batch N (the failing batch), and removes writes and FLUSHes (delta debugging)
while, after a final FLUSH, `SELECT * FROM NAME` on a fresh Rivulet still differs from the same
script on PostgreSQL (a plain VIEW there) and every base table still agrees (so that the shrunk
script shows the same kind of bug, not a divergence of the writes). Prints the script; --out
also writes it.

Invariants:
  1. Every trial runs on a fresh Rivulet data directory and a fresh PostgreSQL schema.
  2. A statement that fails is ignored on both sides (the tables must agree anyway).
"""
import argparse
import os
import re
import shutil
import sys
import tempfile
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from ivm import Conn, Lost, Rivulet, SqlError, TABLES  # noqa: E402


def parse(path, upto):
    """The trace as units: (sql, copy data or None)."""
    units = []
    lines = open(path).read().split("\n")
    i = 0
    while i < len(lines):
        ln = lines[i]
        i += 1
        m = re.match(r"-- batch (\d+)", ln)
        if m and upto is not None and int(m.group(1)) > upto:
            break
        if not ln or ln.startswith("--"):
            continue
        sql = ln[:-1] if ln.endswith(";") else ln
        if re.match(r"COPY \w+ FROM STDIN", sql):
            data = []
            while lines[i] != "\\.":
                data.append(lines[i] + "\n")
                i += 1
            i += 1
            units.append((sql, "".join(data)))
        else:
            units.append((sql, None))
    return units


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--pg", required=True)
    p.add_argument("--build", required=True)
    p.add_argument("--view", required=True)
    p.add_argument("--trace", required=True)
    p.add_argument("--upto-batch", type=int, default=None)
    p.add_argument("--out", default=None)
    a = p.parse_args()
    units = parse(a.trace, a.upto_batch)
    fixed, cand = [], []
    bodies = {u[0].split()[3]: u[0] for u in units if u[0].startswith("CREATE MATERIALIZED VIEW")}
    if a.view not in bodies:
        sys.exit(f"shrink: no CREATE MATERIALIZED VIEW {a.view} in the trace")
    keep, todo = set(), [a.view]
    while todo:         # the view and the views it is built on
        v = todo.pop()
        if v not in keep:
            keep.add(v)
            todo += [w for w in bodies if w != v and re.search(rf"\b{w}\b", bodies[v].split(" AS ", 1)[1])]
    for u in units:
        if u[0].startswith("CREATE MATERIALIZED VIEW"):
            if u[0].split()[3] in keep:
                fixed.append(u)
        elif u[0].startswith("CREATE TABLE"):
            fixed.append(u)
        elif u[0].startswith(("SELECT", "DROP MATERIALIZED VIEW")):
            continue
        else:
            cand.append(u)
    pgc = Conn(a.pg, "regression", 60)
    work = tempfile.mkdtemp(prefix="rivulet-shrink.")
    trials = [0]

    def script(sel):
        # CREATE TABLEs first, then the writes in order, the view created where it was.
        order = {id(u): k for k, u in enumerate(units)}
        return sorted(fixed + sel, key=lambda u: order[id(u)])

    def fails(sel):
        trials[0] += 1
        stmts = script(sel)
        d = os.path.join(work, f"t{trials[0]}")
        rv = Rivulet(a.build, d)
        try:
            addr = rv.start()
            t = Conn(addr, "postgres", 60)
            pgc.run("DROP SCHEMA IF EXISTS shrink CASCADE")
            pgc.run("CREATE SCHEMA shrink")
            pgc.run("SET search_path = shrink")
            for sql, data in stmts:
                osql = sql.replace(" APPEND ONLY", "").replace("CREATE MATERIALIZED VIEW", "CREATE VIEW")
                for conn, q in ((t, sql), (pgc, None if sql == "FLUSH" else osql)):
                    if q is None:
                        continue
                    try:
                        conn.run(q, data)
                    except SqlError:
                        pass
            t.run("FLUSH")
            for tb, _, _ in TABLES:
                try:
                    if Counter(t.run(f"SELECT * FROM {tb}").rows) != Counter(pgc.run(f"SELECT * FROM {tb}").rows):
                        return False
                except SqlError:
                    pass
            try:
                rt = t.run(f"SELECT * FROM {a.view}").rows
            except SqlError:
                return False
            ro = pgc.run(f"SELECT * FROM {a.view}").rows
            t.close()
            return Counter(rt) != Counter(ro)
        except (Lost, RuntimeError):
            return False
        finally:
            rv.kill()
            shutil.rmtree(d, ignore_errors=True)

    if not fails(cand):
        print("shrink: the trace does not fail (try --upto-batch of the failing batch)")
        sys.exit(1)
    n = 2
    while len(cand) >= 2:
        size = max(1, len(cand) // n)
        chunks = [cand[k:k + size] for k in range(0, len(cand), size)]
        reduced = False
        for c in chunks:
            rest = [u for u in cand if all(u is not x for x in c)]
            if fails(rest):
                cand, n, reduced = rest, max(n - 1, 2), True
                print(f"  {len(cand)} statements left (trial {trials[0]})", flush=True)
                break
        if not reduced:
            if n >= len(cand):
                break
            n = min(len(cand), n * 2)
    out = []
    for sql, data in script(cand):
        out.append(f"{sql};\n" + (f"{data}\\.\n" if data is not None else ""))
    out.append("FLUSH;\n")
    out.append(f"SELECT * FROM {a.view};\n")
    text = "".join(out)
    print(f"shrink: {len(cand)} statements after {trials[0]} trials:\n{text}")
    if a.out:
        with open(a.out, "w") as f:
            f.write(text)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
