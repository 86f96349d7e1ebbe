#!/usr/bin/python3
"""tests/crash/crash_struct.py — STRUCT columns (sql/types_struct.h) survive restarts: the
catalog keeps each column's canonical type text (columns.type_def), start-up re-interns it
with the same typmod, and rows in the logs and view state written before a restart read back
the same, in text and in binary (psycopg parses the binary record into tuples).

A table with flat and nested STRUCT columns gets rows from INSERT (quoting edge cases, NULL
structs, NULL fields) and COPY; a materialized view selects the struct columns and another
groups by one. Then SIGKILL and restart (--kills rounds, new rows after each), and a clean
stop and restart. After each: the rows and both views are unchanged, binary equals text,
DESCRIBE spells the types as before, and a new table declaring the same STRUCT in another
spelling shares the type (same canonical text).

Usage: crash_struct.py [--seed N] [--kills N] BUILDDIR. Prints "N passed, N failed" last.
"""
import argparse
import os
import random
import shutil
import signal
import sys
import tempfile

from crashlib import connect, free_port, start as start_server

ap = argparse.ArgumentParser()
ap.add_argument("build", nargs="?", default="build")
ap.add_argument("--seed", type=int,
                default=int(os.environ.get("RIVULET_CRASH_SEED")
                            or random.SystemRandom().randrange(1, 10**9)))
ap.add_argument("--kills", type=int, default=int(os.environ.get("RIVULET_CRASH_KILLS") or 3))
args = ap.parse_args()
print(f"crash_struct: seed {args.seed}", flush=True)
rng = random.Random(args.seed)
binary = os.path.join(args.build, "server", "rivulet")
passed = failed = 0

TABLE = ("CREATE TABLE st (id int, "
         "p STRUCT<id BIGINT, name VARCHAR, \"Mixed Case\" TEXT, score DOUBLE PRECISION>, "
         "n STRUCT<a INT, b STRUCT<x NUMERIC(10,2), t TIMESTAMP WITH TIME ZONE>>)")
SAME_TYPE = ("CREATE TABLE st2 (q struct<id int8, name character varying, \"Mixed Case\" text, "
             "score float8>)")
NAMES = ["", "a b", 'q"uote', "back\\slash", "com,ma", "(paren)", "plain", "  lead", "é"]


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAIL: {what}", flush=True)


def quote(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def literal(i):
    """A struct literal for row i (record_in's syntax), or None for a NULL struct."""
    if i % 7 == 3:
        return None, None
    name = NAMES[i % len(NAMES)]
    score = "" if i % 5 == 0 else repr(i / 4)
    p = f"({i},{quote(name)},{quote(name[::-1])},{score})"
    n = f"({i % 3},\"({i}.5,2024-01-{1 + i % 28:02d} 10:00:00+00)\")" if i % 4 else f"({i},)"
    return p, n


def snapshot(c):
    text = c.execute("SELECT id, p::text AS p, n::text AS n FROM st ORDER BY id").fetchall()
    return {
        "rows": c.execute("SELECT id, p, n FROM st ORDER BY id").fetchall(),
        # one struct column per query: psycopg shares one binary record loader between
        # columns of the same oid (2249), which then must have the same field count
        "binary": [c.cursor(binary=True).execute(f"SELECT id, {col} FROM st ORDER BY id")
                   .fetchall() for col in ("p", "n")],
        "mv": c.execute("SELECT id, p, n FROM st_mv ORDER BY id").fetchall(),
        "grp": sorted(c.execute("SELECT n, c FROM st_grp").fetchall(), key=repr),
        "describe": c.execute("DESCRIBE st").fetchall(),
        "text": text,
    }


def compare(before, after, what):
    check(before["rows"] == after["rows"], f"{what}: table rows changed")
    check(before["binary"] == after["binary"], f"{what}: binary rows changed")
    check(before["mv"] == after["mv"], f"{what}: the view changed")
    check(before["grp"] == after["grp"], f"{what}: the grouping view changed")
    check(before["describe"] == after["describe"], f"{what}: DESCRIBE changed")


def insert(c, lo, hi):
    rows = [(i, *literal(i)) for i in range(lo, hi)]
    k = rng.randrange(len(rows) + 1)
    c.cursor().executemany("INSERT INTO st VALUES (%s, %s, %s)", rows[:k])
    with c.cursor().copy("COPY st FROM STDIN") as cp:
        for i, p, n in rows[k:]:
            cp.write_row((i, p, n))


def main():
    work = tempfile.mkdtemp(prefix="rivulet-struct.")
    data = os.path.join(work, "data")
    port = free_port()
    p = start_server(binary, data, port, 100)
    ok = False
    try:
        c = connect(port)
        c.execute(TABLE)
        c.execute("CREATE MATERIALIZED VIEW st_mv AS SELECT id, p, n FROM st")
        c.execute("CREATE MATERIALIZED VIEW st_grp AS SELECT n, count(*) AS c FROM st GROUP BY n")
        insert(c, 0, 40)
        c.execute("FLUSH")
        s0 = snapshot(c)
        check(len(s0["rows"]) == 40, "40 rows in")
        check(s0["rows"] == s0["mv"], "the view equals the table")
        check(s0["text"][4][1] == '(4,"com,ma","am,moc",1)', f"row 4's text {s0['text'][4]}")
        check(s0["binary"][0][4][1] == (4, "com,ma", "am,moc", 1.0), "row 4 in binary is a tuple")
        check(s0["describe"][1][1] == ("struct<id bigint, name character varying, \"Mixed Case\" "
                                       "text, score double precision>"), "DESCRIBE p")
        nid = 40
        for k in range(max(1, args.kills)):
            p.send_signal(signal.SIGKILL)
            p.wait()
            p = start_server(binary, data, port, 100)
            c = connect(port)
            compare(s0, snapshot(c), f"kill {k + 1}")
            insert(c, nid, nid + 10)
            nid += 10
            c.execute("FLUSH")
            s0 = snapshot(c)
            check(len(s0["rows"]) == nid and s0["rows"] == s0["mv"],
                  f"kill {k + 1}: rows after the restart reach the view")
        p.send_signal(signal.SIGTERM)
        p.wait()
        p = start_server(binary, data, port, 100)
        c = connect(port)
        compare(s0, snapshot(c), "clean restart")
        c.execute(SAME_TYPE)
        check(c.execute("DESCRIBE st2").fetchall()[0][1] == s0["describe"][1][1],
              "another spelling of the same STRUCT is the same type")
        c.execute("INSERT INTO st2 SELECT p FROM st WHERE id = 2")
        check(c.execute("SELECT q::text FROM st2").fetchone()[0] == s0["text"][2][1],
              "a struct value copied between the two tables")
        ok = failed == 0
    finally:
        p.send_signal(signal.SIGKILL)
        p.wait()
        if ok:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"kept {work}", flush=True)
    print(f"{passed} passed, {failed} failed", flush=True)
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
