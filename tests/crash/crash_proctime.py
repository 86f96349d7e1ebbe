#!/usr/bin/python3
"""tests/crash/crash_proctime.py — processing-time columns (`col TIMESTAMPTZ AS PROCTIME()`,
sql/proctime.h) keep their values across restarts: the value is the append time, stored in
the row's log record, never recomputed.

An APPEND ONLY table with a PROCTIME() column gets rows from INSERT (several statements) and
COPY; a nexmark bid source and a datagen source with a p_time column generate rows; a
materialized view groups the table by 1 s TUMBLE windows over the column. Then: SIGKILL and
restart, a clean stop and restart, and SIGKILL in the middle of a paced generator. After each
restart every row seen before has the same processing time, the view equals its query and
the count per window is unchanged; rows written after a restart get later times.

Usage: crash_proctime.py [--seed N] [--kills N] BUILDDIR. Prints "N passed, N failed" last.
"""
import argparse
import os
import random
import shutil
import signal
import sys
import tempfile
import time

from crashlib import connect, free_port, start as start_server

ap = argparse.ArgumentParser()
ap.add_argument("build", nargs="?", default="build")
ap.add_argument("--seed", type=int,
                default=int(os.environ.get("RIVULET_CRASH_SEED")
                            or random.SystemRandom().randrange(1, 10**9)))
ap.add_argument("--kills", type=int, default=int(os.environ.get("RIVULET_CRASH_KILLS") or 3))
args = ap.parse_args()
print(f"crash_proctime: seed {args.seed}", flush=True)
rng = random.Random(args.seed)
binary = os.path.join(args.build, "server", "rivulet")
passed = failed = 0

BID = ("auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR, url VARCHAR, "
       "date_time TIMESTAMP, extra VARCHAR, p_time TIMESTAMPTZ AS PROCTIME()")
MV = ("CREATE MATERIALIZED VIEW pt_win AS SELECT window_start, count(*) AS n, sum(a) AS s "
      "FROM TUMBLE(pt, p, INTERVAL '1' SECOND) GROUP BY window_start")
MV_QUERY = ("SELECT window_start, count(*), sum(a) FROM TUMBLE(pt, p, INTERVAL '1' SECOND) "
            "GROUP BY window_start")


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAIL: {what}", flush=True)


def snapshot(c):
    return {
        "pt": c.execute("SELECT a, b, p FROM pt ORDER BY a").fetchall(),
        "bid": c.execute("SELECT auction, bidder, date_time, p_time FROM bid").fetchall(),
        "dg": c.execute("SELECT v, p FROM dg").fetchall(),
        "mv": sorted(c.execute("SELECT window_start, n, s FROM pt_win").fetchall()),
    }


def wait_count(c, table, n, timeout=30):
    t0 = time.time()
    while time.time() - t0 < timeout:
        if c.execute(f"SELECT count(*) FROM {table}").fetchone()[0] >= n:
            return True
        time.sleep(0.05)
    return False


def compare(before, after, what):
    check(before["pt"] == after["pt"], f"{what}: table rows and their p changed")
    check(set(before["bid"]) <= set(after["bid"]), f"{what}: a bid's p_time changed or is gone")
    check(set(before["dg"]) <= set(after["dg"]), f"{what}: a datagen row's p changed or is gone")
    check(before["mv"] == after["mv"], f"{what}: the TUMBLE view changed")


def main():
    work = tempfile.mkdtemp(prefix="rivulet-proctime.")
    data = os.path.join(work, "data")
    port = free_port()
    p = start_server(binary, data, port, 100)
    ok = False
    try:
        c = connect(port)
        c.execute("CREATE TABLE pt (a int, b text, p timestamptz AS PROCTIME()) APPEND ONLY")
        c.execute(MV)
        a = 0
        for _ in range(5):
            n = rng.randrange(1, 20)
            c.execute("INSERT INTO pt (a, b) SELECT g, 'ins' FROM generate_series(%s, %s) g",
                      (a + 1, a + n))
            a += n
            time.sleep(rng.random() * 0.3)
        with c.cursor().copy("COPY pt FROM STDIN") as cp:
            cp.write("".join(f"{a + i}\tcopy\n" for i in range(1, 101)))
        a += 100
        c.execute(f"CREATE SOURCE bid ({BID}) WITH (connector = 'nexmark', "
                  "nexmark.table.type = 'bid', nexmark.event.num = 3000, "
                  "nexmark.min.event.gap.in.ns = 100000)")
        c.execute("CREATE SOURCE dg (v int, p timestamptz AS PROCTIME()) WITH (connector = "
                  "'datagen', fields.v.kind = 'sequence', fields.v.start = '1', "
                  "fields.v.end = '50', datagen.rows.per.second = '200')")
        check(wait_count(c, "bid", 2760) and wait_count(c, "dg", 50), "the generators finished")
        c.execute("FLUSH")
        s0 = snapshot(c)
        check(len(set(r[2] for r in s0["pt"])) >= 2, "INSERT and COPY made several times")
        check(all(r[3] is not None for r in s0["bid"]), "every bid has a p_time")
        check(sorted((w, n, s) for w, n, s in c.execute(MV_QUERY).fetchall()) == s0["mv"],
              "the view equals its query")
        for k in range(max(1, args.kills)):
            p.send_signal(signal.SIGKILL)
            p.wait()
            p = start_server(binary, data, port, 100)
            c = connect(port)
            s1 = snapshot(c)
            compare(s0, s1, f"kill {k + 1}")
            check(len(s1["bid"]) == len(s0["bid"]), f"kill {k + 1}: no bid repeated")
            last = max(r[2] for r in s1["pt"])
            c.execute("INSERT INTO pt (a, b) VALUES (%s, 'after')", (a + 1,))
            a += 1
            c.execute("FLUSH")
            new = c.execute("SELECT p FROM pt WHERE a = %s", (a,)).fetchone()[0]
            check(new > last, f"kill {k + 1}: a row appended after the restart is later")
            s0 = snapshot(c)
        # a clean stop
        p.send_signal(signal.SIGTERM)
        p.wait()
        p = start_server(binary, data, port, 100)
        c = connect(port)
        compare(s0, snapshot(c), "clean restart")
        # SIGKILL in the middle of a paced generator: rows seen before keep their times
        c.execute(f"CREATE SOURCE bid2 ({BID}) WITH (connector = 'nexmark', "
                  "nexmark.table.type = 'bid', nexmark.event.num = 20000, "
                  "nexmark.min.event.gap.in.ns = 100000)")
        time.sleep(0.2 + rng.random() * 0.5)
        seen = set(c.execute("SELECT auction, bidder, date_time, p_time FROM bid2").fetchall())
        p.send_signal(signal.SIGKILL)
        p.wait()
        p = start_server(binary, data, port, 100)
        c = connect(port)
        check(wait_count(c, "bid2", 18400), "bid2 finished after the restart")
        after = c.execute("SELECT auction, bidder, date_time, p_time FROM bid2").fetchall()
        check(seen <= set(after), "bid2 rows seen before the kill keep their p_time")
        check(len(after) == 18400, f"bid2: {len(after)} rows, want 18400 (no gap, no repeat)")
        ok = failed == 0
    finally:
        if p.poll() is None:
            p.send_signal(signal.SIGKILL)
            p.wait()
        if ok:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"kept {work}", flush=True)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
