#!/usr/bin/python3
"""tests/crash/crash_combined.py — the combined Nexmark form (a nexmark source without
nexmark.table.type: event_type, STRUCT columns person / auction / bid, the generated date_time
with a watermark, bench/nexmark/combined.py) through SIGKILLs: the source is killed in the
middle of generation a few times and restarted (its STRUCT types are interned again from the
catalog, the generator resumes at the log's end), and at the end

  - the source holds every event exactly once (count, distinct person / auction ids),
  - each view (person, auction, bid) equals a per-table source with the same options that
    ran uninterrupted, row for row,
  - a materialized view over the bid view, maintained across the kills, equals its query.

Usage: crash_combined.py [--seed N] [--kills N] BUILDDIR (RIVULET_CRASH_SEED,
RIVULET_CRASH_KILLS). Prints "N passed, N failed" last; exit status 1 on any failure.
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

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "bench", "nexmark"))
import combined  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("build", nargs="?", default="build")
ap.add_argument("--seed", type=int,
                default=int(os.environ.get("RIVULET_CRASH_SEED")
                            or random.SystemRandom().randrange(1, 10**9)))
ap.add_argument("--kills", type=int, default=int(os.environ.get("RIVULET_CRASH_KILLS") or 3))
args = ap.parse_args()
print(f"crash_combined: seed {args.seed}", flush=True)
rng = random.Random(args.seed)
binary = os.path.join(args.build, "server", "rivulet")
passed = failed = 0
EVENTS = 300000
OPTS = {"nexmark.event.num": EVENTS, "nexmark.seed": 5, "nexmark.event.rate": 1000,
        "nexmark.min.event.gap.in.ns": 2000}   # ~0.6 s of generation: the kills land inside


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAIL: {what}", flush=True)


def wait_count(c, rel, want, timeout=120):
    t0 = time.time()
    n = -1
    while time.time() - t0 < timeout:
        n = c.execute(f"SELECT count(*) FROM {rel}").fetchone()[0]
        if n >= want:
            return n
        time.sleep(0.05)
    return n


def main():
    tmp = tempfile.mkdtemp(prefix="rv-crash-combined-")
    datadir = os.path.join(tmp, "data")
    port = free_port()
    p = start_server(binary, datadir, port, 100)
    try:
        with connect(port) as c:
            for stmt in combined.ddl(OPTS):
                c.execute(stmt)
            c.execute("CREATE MATERIALIZED VIEW bid_stats AS SELECT auction, count(*) AS n, "
                      "max(price) AS top, max(date_time) AS last FROM bid GROUP BY auction")
        for k in range(args.kills):
            time.sleep(rng.uniform(0.05, 0.3))
            with connect(port) as c:
                n = c.execute("SELECT count(*) FROM nexmark").fetchone()[0]
            p.send_signal(signal.SIGKILL)
            p.wait()
            print(f"killed with {n} events generated", flush=True)
            p = start_server(binary, datadir, port, 100)
        with connect(port) as c:
            n = wait_count(c, "nexmark", EVENTS)
            check(n == EVENTS, f"events after kills: {n}, want {EVENTS}")
            row = c.execute("SELECT count(*), count(DISTINCT id), min(id), max(id) FROM person"
                            ).fetchone()
            check(row == (EVENTS // 50, EVENTS // 50, 1000, 1000 + EVENTS // 50 - 1),
                  f"person ids {row}")
            row = c.execute("SELECT count(*), count(DISTINCT id) FROM auction").fetchone()
            check(row == (EVENTS // 50 * 3,) * 2, f"auction ids {row}")
            row = c.execute("SELECT count(*) FROM nexmark WHERE (person IS NOT NULL)::int + "
                            "(auction IS NOT NULL)::int + (bid IS NOT NULL)::int <> 1 OR "
                            "date_time IS NULL").fetchone()[0]
            check(row == 0, f"{row} events without exactly one struct or without date_time")
            opts = ", ".join(f"{k} = '{v}'" for k, v in OPTS.items() if "gap" not in k)
            for t, fields in combined.STRUCTS.items():
                c.execute(f"CREATE SOURCE ref_{t} ({fields}) WITH (connector = 'nexmark', "
                          f"nexmark.table.type = '{t}', {opts}, "
                          f"nexmark.min.event.gap.in.ns = '0')")
            for t, fields in combined.STRUCTS.items():
                cols = ", ".join(f.split()[0] for f in fields.split(", "))
                want = c.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                wait_count(c, f"ref_{t}", want)
                d = c.execute(f"SELECT (SELECT count(*) FROM (SELECT {cols} FROM {t} EXCEPT ALL "
                              f"SELECT {cols} FROM ref_{t}) x), (SELECT count(*) FROM (SELECT "
                              f"{cols} FROM ref_{t} EXCEPT ALL SELECT {cols} FROM {t}) y)"
                              ).fetchone()
                check(d == (0, 0) and want > 0,
                      f"view {t} ({want} rows) vs the uninterrupted per-table source: {d}")
            c.execute("FLUSH")
            got = sorted(c.execute("SELECT * FROM bid_stats").fetchall())
            want = sorted(c.execute("SELECT auction, count(*), max(price), max(date_time) "
                                    "FROM ref_bid GROUP BY auction").fetchall())
            check(got == want and len(got) > 100,
                  f"materialized view over bid: {len(got)} rows vs {len(want)}")
        p.send_signal(signal.SIGTERM)
        p.wait(30)
    finally:
        if p.poll() is None:
            p.send_signal(signal.SIGKILL)
            p.wait()
    if failed == 0:
        shutil.rmtree(tmp)
    else:
        print(f"data directory and log kept in {tmp}")
    print(f"{passed} passed, {failed} failed", flush=True)
    return 1 if failed else 0


sys.exit(main())
