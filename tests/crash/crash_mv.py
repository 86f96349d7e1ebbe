#!/usr/bin/python3
"""tests/crash/crash_mv.py — SIGKILL the server while clients INSERT, UPDATE and DELETE into
a primary-key table and INSERT into an append-only one that materialized views read (grouped
aggregates, a join, a view over a view, a global aggregate); restart on the same data
directory and check stream/engine_mv.c's contract: after every restart each view equals its
query run ad hoc over the same committed data (nothing lost, nothing counted twice, whatever
epoch the kill interrupted). One view is created while the writers run, after a few kills.

Usage: crash_mv.py [--seed N] [--kills N] BUILDDIR (RIVULET_CRASH_SEED, RIVULET_CRASH_KILLS).
Prints "N passed, N failed" last; exit status 1 on any failure.
"""
import argparse
import collections
import os
import random
import shutil
import signal
import sys
import tempfile
import threading
import time

import psycopg

from crashlib import connect, free_port, start as start_server

ap = argparse.ArgumentParser()
ap.add_argument("build", nargs="?", default="build")
ap.add_argument("--seed", type=int,
                default=int(os.environ.get("RIVULET_CRASH_SEED")
                            or random.SystemRandom().randrange(1, 10**9)))
ap.add_argument("--kills", type=int, default=int(os.environ.get("RIVULET_CRASH_KILLS") or 8))
args = ap.parse_args()
print(f"crash_mv: seed {args.seed}", flush=True)
rng = random.Random(args.seed)
binary = os.path.join(args.build, "server", "rivulet")
passed = failed = 0
NTHREADS, KEYS = 4, 60

VIEWS = {
    "mv_groups": "SELECT k % 7 AS g, count(*) AS n, sum(v) AS s, min(v) AS lo, max(v) AS hi "
                 "FROM kv GROUP BY k % 7",
    "mv_join": "SELECT kv.k, kv.v, count(*) AS n, sum(ev.x) AS sx "
               "FROM kv JOIN ev ON kv.k = ev.k GROUP BY kv.k, kv.v",
    "mv_total": "SELECT count(*) AS n, sum(x) AS sx, count(DISTINCT k) AS keys FROM ev",
    "mv_on_mv": "SELECT count(*) AS groups, sum(n) AS rows, max(hi) AS top FROM mv_groups",
    "mv_filter": "SELECT k, v FROM kv WHERE v % 3 = 0",
}
LATE = ("mv_late", "SELECT ev.k % 5 AS b, count(*) AS n FROM ev JOIN kv ON kv.k = ev.k "
                   "WHERE kv.v > 10 GROUP BY ev.k % 5")


def start(datadir, port, interval):
    return start_server(binary, datadir, port, interval)


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAIL: {what}", flush=True)


class Writer(threading.Thread):
    def __init__(self, idx, port, seed):
        super().__init__(daemon=True)
        self.idx, self.port = idx, port
        self.rng = random.Random(seed)
        self.stop = False

    def run(self):
        try:
            conn = connect(self.port)
            seq = 0
            while not self.stop:
                seq += 1
                k = self.idx * 1000 + self.rng.randrange(KEYS)
                kind = self.rng.choice(["insert", "update", "delete", "event", "event"])
                if kind == "insert":
                    conn.execute("INSERT INTO kv VALUES (%s, %s) ON CONFLICT (k) DO NOTHING",
                                 (k, self.rng.randrange(100)))
                elif kind == "update":
                    conn.execute("UPDATE kv SET v = v + %s WHERE k = %s",
                                 (self.rng.randrange(1, 9), k))
                elif kind == "delete":
                    conn.execute("DELETE FROM kv WHERE k = %s", (k,))
                else:
                    conn.execute("INSERT INTO ev VALUES (%s, %s), (%s, %s)",
                                 (k, self.rng.randrange(50), k + 1, self.rng.randrange(50)))
        except (psycopg.OperationalError, psycopg.InterfaceError):
            pass  # the server was killed


def verify(port, views, when):
    conn = connect(port)
    for name, sql in views.items():
        got = collections.Counter(conn.execute(f"SELECT * FROM {name}").fetchall())
        want = collections.Counter(conn.execute(sql).fetchall())
        extra, missing = got - want, want - got
        check(not extra and not missing,
              f"{when}: view {name} differs from its query: only in the view "
              f"{list(extra.elements())[:5]}, only in the query {list(missing.elements())[:5]}")
    conn.close()


def main():
    tmp = tempfile.mkdtemp(prefix="rv-crash-mv-")
    datadir = os.path.join(tmp, "data")
    port = free_port()
    p = start(datadir, port, 100)
    views = dict(VIEWS)
    with connect(port) as c:
        c.execute("CREATE TABLE kv (k int PRIMARY KEY, v bigint)")
        c.execute("CREATE TABLE ev (k int, x int) APPEND ONLY")
        c.execute("INSERT INTO kv SELECT g, g % 13 FROM generate_series(0, 40) g")
        for name, sql in VIEWS.items():
            c.execute(f"CREATE MATERIALIZED VIEW {name} AS {sql}")
    try:
        for rnd in range(args.kills):
            interval = rng.randrange(10, 300)
            if rnd > 0:
                p = start(datadir, port, interval)
                verify(port, views, f"after kill {rnd}")
            writers = [Writer(i, port, rng.randrange(1 << 30)) for i in range(NTHREADS)]
            for w in writers:
                w.start()
            time.sleep(rng.uniform(0.2, 1.2))
            if rnd == min(2, args.kills - 1):
                with connect(port) as c:
                    c.execute(f"CREATE MATERIALIZED VIEW {LATE[0]} AS {LATE[1]}")
                views[LATE[0]] = LATE[1]
                time.sleep(rng.uniform(0.05, 0.5))
            p.send_signal(signal.SIGKILL)
            p.wait()
            for w in writers:
                w.stop = True
                w.join(10)
        p = start(datadir, port, 50)
        verify(port, views, "after the last kill")
        p.send_signal(signal.SIGTERM)
        p.wait(30)
        p = start(datadir, port, 50)
        verify(port, views, "after a clean restart")
    finally:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
            p.wait(30)
    if failed == 0:
        shutil.rmtree(tmp)
    else:
        print(f"data directory and log kept in {tmp}")
    print(f"{passed} passed, {failed} failed", flush=True)
    return 1 if failed else 0


sys.exit(main())
