"""tests/generated/generated.py — generated columns of a generator source, checked against
PostgreSQL 15, across a SIGKILL restart.

One run (one seed): a fresh Rivulet with

  source d   (id bigint, v int,
              ts timestamp AS TIMESTAMP '2024-01-01' + id * INTERVAL '1 second',
              w bigint AS id * 10 + v,
              tag varchar(2) AS CASE WHEN v > 5 THEN 'hi' ELSE 'lo' END,
              WATERMARK FOR ts AS ts - INTERVAL '5' SECOND)
             datagen: id a sequence 1..N, v random in 1..9 (seeded), paced
  view  dv   SELECT id, w, tag FROM d WHERE v > 5                       (plain view)
  mview dc   tag, count(*), sum(w) GROUP BY tag
  mview dm   TUMBLE(d, ts, 10 s) count(*), sum(w) EMIT ON WINDOW CLOSE   (needs the watermark)
  table t    (a int, b int AS a * a + 1, s text AS 'x' || a) APPEND ONLY

The server is SIGKILLed while the generator runs and started again; the generator resumes from
its log (no gap, no repeat) and the generation expressions are bound again from the catalog.
When the source is complete:
  - d's rows equal PostgreSQL's table of the same columns declared GENERATED ALWAYS AS (...)
    STORED, filled with d's (id, v);
  - dv, dc equal the same queries in PostgreSQL; dm equals PostgreSQL's date_bin aggregate over
    the windows the watermark (max(ts) - 5 s, from rw_catalog.rw_watermarks) has closed;
  - t's rows, inserted before and after the restart, have their computed values.

Prints one line per failed check and ends with "N passed, N failed".
"""
import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from rvtest import connect, diff_text, free_port, rows_of, start_rivulet  # noqa: E402

TS = "TIMESTAMP '2024-01-01' + id * INTERVAL '1 second'"
W = "id * 10 + v"
TAG = "CASE WHEN v > 5 THEN 'hi' ELSE 'lo' END"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pg", required=True)
    ap.add_argument("--build", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rows", type=int, default=6000)
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    passed = failed = 0

    def check(name, ok, detail=""):
        nonlocal passed, failed
        if ok:
            passed += 1
            if args.verbose:
                print(f"ok   {name}")
        else:
            failed += 1
            print(f"FAIL {name} (seed {args.seed})" + (f"\n{detail}" if detail else ""))

    pghost, pgport = args.pg.split(":")
    pg = connect(pghost, int(pgport))
    db = f"gen_{args.seed}_{os.getpid()}"
    pg.execute(f"DROP DATABASE IF EXISTS {db}")
    pg.execute(f"CREATE DATABASE {db}")
    pg.close()
    pg = connect(pghost, int(pgport), db)
    pg.execute(f"CREATE TABLE d (id bigint, v int, ts timestamp GENERATED ALWAYS AS ({TS}) STORED, "
               f"w bigint GENERATED ALWAYS AS ({W}) STORED, "
               f"tag varchar(2) GENERATED ALWAYS AS ({TAG}) STORED)")
    pg.execute("CREATE TABLE t (a int, b int GENERATED ALWAYS AS (a * a + 1) STORED, "
               "s text GENERATED ALWAYS AS ('x' || a) STORED)")

    work = tempfile.mkdtemp(prefix="rivulet-generated-")
    port = free_port()
    proc = start_rivulet(args.build, work, port)
    rv = connect("127.0.0.1", port)
    n = args.rows
    rate = rng.choice([2000, 3000, 4000])
    rv.execute(f"CREATE SOURCE d (id bigint, v int, ts timestamp AS {TS}, w bigint AS {W}, "
               f"tag varchar(2) AS {TAG}, WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) "
               f"WITH (connector = 'datagen', fields.id.kind = 'sequence', fields.id.start = '1', "
               f"fields.id.end = '{n}', fields.v.kind = 'random', fields.v.min = '1', "
               f"fields.v.max = '9', fields.v.seed = '{args.seed}', "
               f"datagen.rows.per.second = '{rate}')")
    rv.execute("CREATE VIEW dv AS SELECT id, w, tag FROM d WHERE v > 5")
    rv.execute("CREATE MATERIALIZED VIEW dc AS SELECT tag, count(*) AS n, sum(w) AS s FROM d "
               "GROUP BY tag")
    rv.execute("CREATE MATERIALIZED VIEW dm AS SELECT window_start, count(*) AS n, sum(w) AS s "
               "FROM TUMBLE(d, ts, INTERVAL '10' SECOND) GROUP BY window_start "
               "EMIT ON WINDOW CLOSE")
    rv.execute("CREATE TABLE t (a int, b int AS a * a + 1, s text AS 'x' || a) APPEND ONLY")
    first = [rng.randint(-100, 100) for _ in range(5)] + [None]
    for a in first:
        rv.execute("INSERT INTO t (a) VALUES (%s)", (a,))

    time.sleep(rng.uniform(0.5, 1.2))
    before = rv.execute("SELECT count(*) FROM d").fetchone()[0]
    rv.close()
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    check("killed while generating", 0 < before < n, f"    {before} of {n} rows before the kill")
    proc = start_rivulet(args.build, work, port)
    rv = connect("127.0.0.1", port)
    with rv.cursor() as cur:
        with cur.copy("COPY t (a) FROM STDIN") as cp:
            for a in [7, 8]:
                cp.write_row((a,))
    rv.execute("INSERT INTO t VALUES (9, DEFAULT, DEFAULT)")
    deadline = time.time() + 120
    while time.time() < deadline and rv.execute("SELECT count(*) FROM d").fetchone()[0] < n:
        time.sleep(0.2)
    rv.execute("FLUSH")

    got = rows_of(rv, "SELECT id, v, ts, w, tag FROM d")
    check("source complete, no gap, no repeat",
          len(got) == n and sum(got.values()) == n and
          {r[0] for r in got} == set(range(1, n + 1)),
          f"    {sum(got.values())} rows, {len(got)} distinct")
    with pg.cursor() as cur:
        with cur.copy("COPY d (id, v) FROM STDIN") as cp:
            for r in got.elements():
                cp.write_row((r[0], r[1]))
    want = rows_of(pg, "SELECT id, v, ts, w, tag FROM d")
    check("generated columns equal PostgreSQL's", want == got, diff_text(want, got))
    for name, q in [("dv", "SELECT id, w, tag FROM {} WHERE v > 5"),
                    ("dc", "SELECT tag, count(*), sum(w) FROM {} GROUP BY tag")]:
        w = rows_of(pg, q.format("d"))
        g = rows_of(rv, f"SELECT * FROM {name}")
        check(f"view {name}", w == g, diff_text(w, g))
    wm = rv.execute("SELECT watermark FROM rw_catalog.rw_watermarks "
                    "WHERE relation_name = 'd'").fetchone()
    maxts = pg.execute("SELECT max(ts) - INTERVAL '5 seconds' FROM d").fetchone()[0]
    check("watermark on the generated column", wm is not None and str(wm[0]) == str(maxts),
          f"    {wm} != {maxts}")
    w = rows_of(pg, "SELECT date_bin(INTERVAL '10 seconds', ts, TIMESTAMP '2024-01-01') AS ws, "
                    "count(*), sum(w) FROM d GROUP BY 1 "
                    "HAVING date_bin(INTERVAL '10 seconds', ts, TIMESTAMP '2024-01-01') + "
                    "INTERVAL '10 seconds' <= %s" % ("TIMESTAMP '%s'" % maxts))
    g = rows_of(rv, "SELECT * FROM dm")
    check("EMIT ON WINDOW CLOSE over the generated column", w == g and len(g) > 0,
          diff_text(w, g))
    for a in first + [7, 8, 9]:
        pg.execute("INSERT INTO t (a) VALUES (%s)", (a,))
    w = rows_of(pg, "SELECT * FROM t")
    g = rows_of(rv, "SELECT * FROM t")
    check("table rows before and after the restart", w == g, diff_text(w, g))

    rv.close()
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    pg.close()
    pg = connect(pghost, int(pgport))
    pg.execute(f"DROP DATABASE IF EXISTS {db}")
    if failed == 0:
        shutil.rmtree(work, ignore_errors=True)
    else:
        print(f"    kept {work}")
    print(f"{passed} passed, {failed} failed")


if __name__ == "__main__":
    main()
