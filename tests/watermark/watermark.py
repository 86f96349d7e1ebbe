"""tests/watermark/watermark.py — watermarks, late rows and EMIT ON WINDOW CLOSE, checked
against a model and PostgreSQL 15.

One run (one seed): a fresh Rivulet whose epochs run only at FLUSH (checkpoint interval 1 h), so
every batch of INSERTs followed by FLUSH is exactly one epoch. Objects:

  source  s   (id, ts, k, v, WATERMARK FOR ts AS ts - INTERVAL '<delay> seconds')
              WITH (late_rows.table = 'late_s')
  table   a   append only, WATERMARK FOR ts AS ts - INTERVAL '3 seconds' (no late table)
  view    w1  TUMBLE(s, ts, 10 s) GROUP BY window_start          EMIT ON WINDOW CLOSE
  view    w2  date_bin(15 s, ts) , k GROUP BY both                EMIT ON WINDOW CLOSE
  view    w3  SELECT * FROM w1 WHERE n > 1    (a view over an EOWC view: append-only input)
  view    p   SELECT id, ts, v FROM s          (not EOWC: late rows are dropped here too)
  view    aw  a's rows per 5-second date_bin, EMIT ON WINDOW CLOSE
  view    w5  HOP(s, ts, 5 s, 10 s) GROUP BY window_start      EMIT ON WINDOW CLOSE
  view    w6  SESSION(s, ts, 4 s, k) GROUP BY k, window_start, window_end, EOWC
  view    w4  as w1, created after the second batch (backfill: late rows stay out, open
              windows are buffered)

The model (the rule of stream/engine_wm.c): a row is late when its ts is below the watermark in
force before its epoch; after the epoch the watermark is max(previous, max(ts) - delay over the
epoch's kept rows). After every FLUSH:
  - w1, w2, aw equal the same aggregate computed by PostgreSQL over the kept rows, restricted
    to windows whose start is below the window of the watermark (the closed ones);
  - p equals the kept rows; late_s equals the late rows; w3 is w1 filtered;
  - rw_catalog.rw_watermarks shows the model's watermark and late count for s and a.
Halfway, the server is SIGKILLed and restarted: everything above must still hold, and the
next batches continue from the persisted watermark. At the end, a source with
watermark.idle_timeout = '1 second' must close an EOWC window by wall-clock time alone.

Prints one line per failed check and ends with "N passed, N failed".
"""
import argparse
import datetime
import os
import random
import shutil
import signal
import sys
import tempfile
import time
from collections import Counter

import psycopg

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from rvtest import connect, diff_text, free_port, rows_of, start_rivulet  # noqa: E402

BASE = datetime.datetime(2024, 1, 1)
CHECKPOINT = ("--checkpoint-interval", "3600s")


class Model:
    def __init__(self, delay):
        self.delay = delay
        self.wm = None
        self.late = []
        self.kept = []

    def epoch(self, rows, tcol=1):
        nxt = self.wm
        for r in rows:
            ts = r[tcol]
            if ts is not None and self.wm is not None and ts < self.wm:
                self.late.append(r)
                continue
            self.kept.append(r)
            if ts is not None:
                cand = ts - datetime.timedelta(seconds=self.delay)
                nxt = cand if nxt is None or cand > nxt else nxt
        self.wm = nxt


def pg_ts(v):
    """A timestamp as PostgreSQL prints it (fraction without trailing zeros)."""
    s = v.isoformat(sep=" ")
    return s.rstrip("0").rstrip(".") if "." in s else s


def lit(v):
    if v is None:
        return "NULL"
    if isinstance(v, datetime.datetime):
        return f"'{v.isoformat(sep=' ')}'"
    return str(v)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pg", required=True)
    ap.add_argument("--build", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--batches", type=int, default=8)
    ap.add_argument("--rows", type=int, default=25)
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
    db = f"wm_{args.seed}_{os.getpid()}"
    pg.execute(f"DROP DATABASE IF EXISTS {db}")
    pg.execute(f"CREATE DATABASE {db}")
    pg.close()
    pg = psycopg.connect(host=pghost, port=int(pgport), user="postgres", dbname=db,
                         autocommit=True)
    pg.execute("SET TimeZone = 'UTC'")
    pg.execute("CREATE TABLE s_kept (id int, ts timestamp, k int, v int)")
    pg.execute("CREATE TABLE a_kept (id int, ts timestamp)")

    work = tempfile.mkdtemp(prefix="rivulet-watermark-")
    port = free_port()
    proc = start_rivulet(args.build, work, port, CHECKPOINT)
    rv = connect("127.0.0.1", port)
    delay = rng.choice([0, 2, 5])
    ms, ma = Model(delay), Model(3)
    rv.execute("CREATE TABLE late_s (id int, ts timestamp, k int, v int)")
    rv.execute(f"CREATE SOURCE s (id int, ts timestamp, k int, v int, WATERMARK FOR ts AS "
               f"ts - INTERVAL '{delay} seconds') WITH (late_rows.table = 'late_s')")
    rv.execute("CREATE TABLE a (id int, ts timestamp, WATERMARK FOR ts AS "
               "ts - INTERVAL '3 seconds') APPEND ONLY")
    rv.execute("CREATE MATERIALIZED VIEW w1 AS SELECT window_start, count(*) AS n, sum(v) AS sv "
               "FROM TUMBLE(s, ts, INTERVAL '10 seconds') GROUP BY window_start "
               "EMIT ON WINDOW CLOSE")
    rv.execute("CREATE MATERIALIZED VIEW w2 AS SELECT date_bin(INTERVAL '15 seconds', ts, "
               "TIMESTAMP '2000-01-01') AS b, k, count(*) AS n, max(v) AS mv FROM s "
               "GROUP BY 1, 2 EMIT ON WINDOW CLOSE")
    rv.execute("CREATE MATERIALIZED VIEW w3 AS SELECT window_start, n FROM w1 WHERE n > 1")
    rv.execute("CREATE MATERIALIZED VIEW p AS SELECT id, ts, v FROM s")
    rv.execute("CREATE MATERIALIZED VIEW w6 AS SELECT k, window_start, window_end, count(*) AS n "
               "FROM SESSION(s, ts, INTERVAL '4 seconds', k) GROUP BY k, window_start, window_end "
               "EMIT ON WINDOW CLOSE")
    rv.execute("CREATE MATERIALIZED VIEW w5 AS SELECT window_start, count(*) AS n FROM "
               "HOP(s, ts, INTERVAL '5 seconds', INTERVAL '10 seconds') GROUP BY window_start "
               "EMIT ON WINDOW CLOSE")
    rv.execute("CREATE MATERIALIZED VIEW aw AS SELECT date_bin(INTERVAL '5 seconds', ts, "
               "TIMESTAMP '2000-01-01') AS b, count(*) AS n FROM a GROUP BY 1 "
               "EMIT ON WINDOW CLOSE")

    def closed(size, wm, origin="2000-01-01"):
        return (f"date_bin(INTERVAL '{size} seconds', ts, TIMESTAMP '{origin}') < "
                f"date_bin(INTERVAL '{size} seconds', TIMESTAMP {lit(wm)}, TIMESTAMP '{origin}')")

    def verify(step):
        if ms.wm is None:
            want1 = want2 = Counter()
        else:
            want1 = rows_of(pg, "SELECT date_bin(INTERVAL '10 seconds', ts, TIMESTAMP "
                                "'1970-01-01'), count(*), sum(v) FROM s_kept WHERE "
                                f"ts IS NOT NULL AND {closed(10, ms.wm, '1970-01-01')} GROUP BY 1")
            want2 = rows_of(pg, "SELECT date_bin(INTERVAL '15 seconds', ts, TIMESTAMP "
                                "'2000-01-01'), k, count(*), max(v) FROM s_kept WHERE "
                                f"ts IS NOT NULL AND {closed(15, ms.wm)} GROUP BY 1, 2")
        got1 = rows_of(rv, "SELECT window_start, n, sv FROM w1")
        check(f"{step}: EOWC tumble count == PostgreSQL over closed windows", got1 == want1,
              diff_text(want1, got1))
        if ms.wm is None:
            want5 = Counter()
        else:
            want5 = rows_of(pg, "SELECT w.s, count(*) FROM s_kept, LATERAL generate_series("
                                "date_bin(INTERVAL '5 seconds', ts, TIMESTAMP '1970-01-01') - "
                                "INTERVAL '5 seconds', date_bin(INTERVAL '5 seconds', ts, "
                                "TIMESTAMP '1970-01-01'), INTERVAL '5 seconds') AS w(s) WHERE "
                                "ts IS NOT NULL AND w.s < date_bin(INTERVAL '5 seconds', "
                                f"TIMESTAMP {lit(ms.wm)}, TIMESTAMP '1970-01-01') - "
                                "INTERVAL '5 seconds' GROUP BY 1")
        got5 = rows_of(rv, "SELECT window_start, n FROM w5")
        check(f"{step}: EOWC HOP == PostgreSQL over closed windows", got5 == want5,
              diff_text(want5, got5))
        if ms.wm is None:
            want6 = Counter()
        else:
            want6 = rows_of(pg, "WITH o AS (SELECT k, ts, CASE WHEN ts - lag(ts) OVER (PARTITION "
                                "BY k ORDER BY ts) < INTERVAL '4 seconds' THEN 0 ELSE 1 END AS "
                                "brk FROM s_kept WHERE ts IS NOT NULL), g AS (SELECT k, ts, "
                                "sum(brk) OVER (PARTITION BY k ORDER BY ts ROWS UNBOUNDED "
                                "PRECEDING) AS sid FROM o) SELECT k, min(ts), max(ts) + "
                                "INTERVAL '4 seconds', count(*) FROM g GROUP BY k, sid HAVING "
                                f"max(ts) + INTERVAL '4 seconds' < TIMESTAMP {lit(ms.wm)}")
        got6 = rows_of(rv, "SELECT k, window_start, window_end, n FROM w6")
        check(f"{step}: EOWC SESSION per key == PostgreSQL's gaps and islands", got6 == want6,
              diff_text(want6, got6))
        if late_view:
            got4 = rows_of(rv, "SELECT window_start, n, sv FROM w4")
            check(f"{step}: EOWC view created after rows arrived", got4 == want1,
                  diff_text(want1, got4))
        got2 = rows_of(rv, "SELECT b, k, n, mv FROM w2")
        check(f"{step}: EOWC date_bin, key == PostgreSQL over closed windows", got2 == want2,
              diff_text(want2, got2))
        want3 = Counter({(r[0], r[1]): c for r, c in got1.items() if r[1] > 1})
        got3 = rows_of(rv, "SELECT window_start, n FROM w3")
        check(f"{step}: view over an EOWC view", got3 == want3, diff_text(want3, got3))
        wantp = Counter((r[0], r[1], r[3]) for r in ms.kept)
        gotp = rows_of(rv, "SELECT id, ts, v FROM p")
        check(f"{step}: plain view without the late rows", gotp == wantp, diff_text(wantp, gotp))
        gots = rows_of(rv, "SELECT id, ts, v FROM s")
        check(f"{step}: SELECT from the source without the late rows", gots == wantp,
              diff_text(wantp, gots))
        wantl = Counter(tuple(r) for r in ms.late)
        gotl = rows_of(rv, "SELECT id, ts, k, v FROM late_s")
        check(f"{step}: late rows diverted", gotl == wantl, diff_text(wantl, gotl))
        if ma.wm is None:
            wanta = Counter()
        else:
            wanta = rows_of(pg, "SELECT date_bin(INTERVAL '5 seconds', ts, TIMESTAMP "
                                f"'2000-01-01'), count(*) FROM a_kept WHERE ts IS NOT NULL AND "
                                f"{closed(5, ma.wm)} GROUP BY 1")
        gota = rows_of(rv, "SELECT b, n FROM aw")
        check(f"{step}: EOWC on an append-only table", gota == wanta, diff_text(wanta, gota))
        sysv = {r[0]: r[1:] for r in rv.execute(
            "SELECT relation_name, watermark_column, watermark, late_rows "
            "FROM rw_catalog.rw_watermarks").fetchall()}
        for name, m in (("s", ms), ("a", ma)):
            want = ("ts", None if m.wm is None else pg_ts(m.wm), len(m.late))
            got = sysv.get(name)
            check(f"{step}: rw_watermarks row of {name}", got == want, f"    {got} != {want}")

    t = 0.0
    nid = 0
    late_view = False
    for b in range(args.batches):
        rows_s, rows_a = [], []
        for _ in range(args.rows):
            t += rng.uniform(0, 1.5)
            nid += 1
            back = rng.choice([0, 0, 0, 1, 3, 8, 20])
            ts = BASE + datetime.timedelta(seconds=round(max(0.0, t - back), 3))
            if rng.random() < 0.03:
                ts = None
            rows_s.append((nid, ts, rng.randint(1, 3), rng.randint(-5, 50)))
            if rng.random() < 0.4:
                rows_a.append((nid, ts))
        rng.shuffle(rows_s)
        for chunk in (rows_s[: len(rows_s) // 2], rows_s[len(rows_s) // 2:]):
            if chunk:
                rv.execute("INSERT INTO s VALUES " +
                           ", ".join(f"({r[0]}, {lit(r[1])}, {r[2]}, {r[3]})" for r in chunk))
        if rows_a:
            rv.execute("INSERT INTO a VALUES " +
                       ", ".join(f"({r[0]}, {lit(r[1])})" for r in rows_a))
        rv.execute("FLUSH")
        before = len(ms.kept)
        ms.epoch(rows_s)
        beforea = len(ma.kept)
        ma.epoch(rows_a)
        for r in ms.kept[before:]:
            pg.execute(f"INSERT INTO s_kept VALUES ({r[0]}, {lit(r[1])}, {r[2]}, {r[3]})")
        for r in ma.kept[beforea:]:
            pg.execute(f"INSERT INTO a_kept VALUES ({r[0]}, {lit(r[1])})")
        if b == 1:
            rv.execute("CREATE MATERIALIZED VIEW w4 AS SELECT window_start, count(*) AS n, "
                       "sum(v) AS sv FROM TUMBLE(s, ts, INTERVAL '10 seconds') "
                       "GROUP BY window_start EMIT ON WINDOW CLOSE")
            late_view = True
        verify(f"batch {b}")
        if b == args.batches // 2:
            rv.close()
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            proc = start_rivulet(args.build, work, port, CHECKPOINT)
            rv = connect("127.0.0.1", port)
            verify(f"batch {b} after SIGKILL")
    # the idle timeout: after 1 s without rows the watermark follows the wall clock
    rv.execute("CREATE SOURCE idle (ts timestamp, WATERMARK FOR ts AS ts) "
               "WITH (watermark.idle_timeout = '1 second')")
    rv.execute("CREATE MATERIALIZED VIEW iw AS SELECT window_start, count(*) AS n FROM "
               "TUMBLE(idle, ts, INTERVAL '1 second') GROUP BY window_start EMIT ON WINDOW CLOSE")
    rv.execute("INSERT INTO idle VALUES ('2024-01-01 00:00:00.5')")
    rv.execute("FLUSH")
    got = rows_of(rv, "SELECT * FROM iw")
    check("idle: the open window is held back", got == Counter(), str(got))
    time.sleep(2.2)
    rv.execute("FLUSH")
    w = rv.execute("SELECT watermark::timestamp FROM rw_catalog.rw_watermarks "
                   "WHERE relation_name = 'idle'").fetchone()[0]
    lo, hi = BASE + datetime.timedelta(seconds=1.4), BASE + datetime.timedelta(seconds=3.5)
    check("idle: the watermark advanced with the wall clock", lo <= w <= hi, f"    {w}")
    got = rows_of(rv, "SELECT * FROM iw")
    check("idle: the window closed without new rows", got == Counter({(BASE, 1): 1}), str(got))
    rv.close()
    proc.terminate()
    proc.wait()
    pg.close()
    pg = connect(pghost, int(pgport))
    pg.execute(f"DROP DATABASE IF EXISTS {db}")
    pg.close()
    if failed == 0:
        shutil.rmtree(work, ignore_errors=True)
    else:
        print(f"  (Rivulet's data and log kept in {work})")
    if args.verbose:
        print(f"late rows: {len(ms.late)} of s, {len(ma.late)} of a; watermark {ms.wm}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
