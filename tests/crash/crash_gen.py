#!/usr/bin/python3
"""tests/crash/crash_gen.py — the generator connectors (stream/engine_gen.c) through a live
server: CREATE SOURCE ... WITH (connector = 'datagen' | 'nexmark') errors, bounded sources
reaching their totals (count(*) grows, then stops), three nexmark sources forming one event
sequence (1:3:46, bids referring to generated auctions and people), a materialized view over
a nexmark source equal to its query, DROP stopping a paced generator; then SIGKILL in the
middle of generation, restart, and the finished contents equal those of a source with the
same options that ran uninterrupted (same rows, no duplicates, no gaps).

Usage: crash_gen.py [--seed N] [--kills N] BUILDDIR (RIVULET_CRASH_SEED, RIVULET_CRASH_KILLS).
Prints "N passed, N failed" last; exit status 1 on any failure.
"""
import argparse
import os
import random
import shutil
import signal
import sys
import tempfile
import time

import psycopg

from crashlib import connect, free_port, start as start_server

ap = argparse.ArgumentParser()
ap.add_argument("build", nargs="?", default="build")
ap.add_argument("--seed", type=int,
                default=int(os.environ.get("RIVULET_CRASH_SEED")
                            or random.SystemRandom().randrange(1, 10**9)))
ap.add_argument("--kills", type=int, default=int(os.environ.get("RIVULET_CRASH_KILLS") or 3))
args = ap.parse_args()
print(f"crash_gen: seed {args.seed}", flush=True)
rng = random.Random(args.seed)
binary = os.path.join(args.build, "server", "rivulet")
passed = failed = 0

BID = ("auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR, url VARCHAR, "
       "date_time TIMESTAMP, extra VARCHAR")
AUCTION = ("id BIGINT, item_name VARCHAR, description VARCHAR, initial_bid BIGINT, "
           "reserve BIGINT, date_time TIMESTAMP, expires TIMESTAMP, seller BIGINT, "
           "category BIGINT, extra VARCHAR")
PERSON = ("id BIGINT, name VARCHAR, email_address VARCHAR, credit_card VARCHAR, city VARCHAR, "
          "state VARCHAR, date_time TIMESTAMP, extra VARCHAR")


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAIL: {what}", flush=True)


def nexmark(name, cols, typ, events, extra=""):
    return (f"CREATE SOURCE {name} ({cols}) WITH (connector = 'nexmark', "
            f"nexmark.table.type = '{typ}', nexmark.event.num = '{events}', "
            f"nexmark.min.event.gap.in.ns = '0'{extra})")


def expect_error(conn, sql, sqlstate, fragment):
    try:
        conn.execute(sql)
        check(False, f"no error from {sql}")
    except psycopg.Error as e:
        check(e.sqlstate == sqlstate and fragment in str(e),
              f"{sql}: got {e.sqlstate} {e}, want {sqlstate} with {fragment!r}")


def wait_count(conn, name, total, timeout=120):
    deadline = time.time() + timeout
    n = -1
    while time.time() < deadline:
        n = conn.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
        if n >= total:
            time.sleep(0.3)  # it must stop there
            return conn.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
        time.sleep(0.2)
    return n


BID_FINGERPRINT = ("SELECT count(*), sum(auction), sum(bidder), sum(price), "
                   "sum(length(channel)), sum(length(url)), sum(length(extra)), "
                   "min(date_time), max(date_time), count(DISTINCT date_time) FROM {}")
# t is relative to each source's creation time (absolute max_past mode): its spread only
DG_FINGERPRINT = ("SELECT count(*), count(DISTINCT k), min(k), max(k), sum(v), "
                  "sum(length(s)), max(t) - min(t) <= interval '1 day' FROM {}")


def errors(c):
    expect_error(c, "CREATE SOURCE x (a bigint) WITH (connector = 'nexmark')",
                 "22023", 'column "a" is not a column of the combined nexmark source')
    expect_error(c, nexmark("x", "auction BIGINT, bogus BIGINT", "bid", 10), "22023",
                 'column "bogus" is not a column of nexmark table type bid')
    expect_error(c, nexmark("x", "auction INT", "bid", 10), "42804",
                 'column "auction" of a nexmark bid source must be of type bigint')
    expect_error(c, "CREATE SOURCE x (a interval) WITH (connector = 'datagen')", "0A000",
                 "datagen cannot generate values of type interval")
    expect_error(c, "CREATE SOURCE x (a varchar) WITH (connector = 'datagen', "
                    "fields.a.kind = 'sequence')", "0A000", "sequence")
    expect_error(c, "CREATE SOURCE x (a int) WITH (connector = 'datagen', fields.a.max = 'z')",
                 "22023", "invalid value")
    expect_error(c, "CREATE TABLE x (a int) WITH (connector = 'datagen')", "0A000",
                 "CREATE TABLE")


def bounded(c):
    c.execute("CREATE SOURCE dg (k int, v bigint, s varchar, t timestamp, f float8, b boolean, "
              "d date, n numeric(8,2)) WITH (connector = 'datagen', fields.k.kind = 'sequence', "
              "fields.k.start = '1', fields.k.end = '20000', fields.v.min = '-5', "
              "fields.v.max = '5', fields.v.seed = '9', fields.s.length = '7', "
              "fields.t.basetime = '2024-01-01 00:00:00+00', fields.t.max_past = '1 hour', "
              "datagen.rows.per.second = '0')")
    n = wait_count(c, "dg", 20000)
    check(n == 20000, f"datagen source has {n} rows, want 20000")
    row = c.execute("SELECT count(DISTINCT k), min(k), max(k), min(v), max(v), "
                    "min(length(s)), max(length(s)), min(t) >= '2023-12-31 23:00:00', "
                    "max(t) <= '2024-01-01 00:00:00' FROM dg").fetchone()
    check(row == (20000, 1, 20000, -5, 5, 7, 7, True, True), f"datagen rows: {row}")
    ev = 50000
    c.execute(nexmark("person", PERSON, "Person", ev))
    c.execute(nexmark("auction", AUCTION, "Auction", ev))
    c.execute(nexmark("bid", BID, "BID", ev))
    c.execute("CREATE MATERIALIZED VIEW bid_stats AS SELECT auction, count(*) AS n, "
              "max(price) AS top FROM bid GROUP BY auction")
    counts = [wait_count(c, t, want) for t, want in
              (("person", 1000), ("auction", 3000), ("bid", 46000))]
    check(counts == [1000, 3000, 46000], f"nexmark counts {counts}, want 1000/3000/46000")
    row = c.execute("SELECT min(id), max(id), count(DISTINCT id) FROM person").fetchone()
    check(row == (1000, 1999, 1000), f"person ids {row}")
    row = c.execute("SELECT min(id), max(id), count(DISTINCT id) FROM auction").fetchone()
    check(row == (1000, 3999, 3000), f"auction ids {row}")
    row = c.execute("SELECT count(*) FROM bid WHERE auction > 3999 + 10 OR bidder > 1999 + 10"
                    ).fetchone()
    check(row == (0,), f"bids beyond the id leads: {row}")
    row = c.execute("SELECT min(date_time), max(date_time) FROM bid").fetchone()
    check(str(row[0]) == "2015-07-15 00:00:00.000400" or str(row[0]).startswith("2015-07-15 00:00:00"),
          f"first bid time {row[0]}")
    check(str(row[1]).startswith("2015-07-15 00:00:04.99"), f"last bid time {row[1]}")
    row = c.execute("SELECT count(*) FROM auction a JOIN person p ON a.seller = p.id").fetchone()
    check(row[0] > 2900, f"auctions whose seller exists: {row[0]}")
    c.execute("FLUSH")
    got = sorted(c.execute("SELECT * FROM bid_stats").fetchall())
    want = sorted(c.execute("SELECT auction, count(*), max(price) FROM bid GROUP BY auction")
                  .fetchall())
    check(got == want and len(got) > 100, f"view over bid: {len(got)} rows vs {len(want)}")
    # paced: datagen at 40 rows/s grows gradually; DROP stops it at once
    c.execute("CREATE SOURCE slow (k bigint) WITH (connector = 'datagen', "
              "fields.k.kind = 'sequence', datagen.rows.per.second = '40')")
    time.sleep(1.0)
    n1 = c.execute("SELECT count(*) FROM slow").fetchone()[0]
    time.sleep(0.6)
    n2 = c.execute("SELECT count(*) FROM slow").fetchone()[0]
    check(10 <= n1 <= 90 and n2 > n1, f"paced datagen: {n1} then {n2} rows")
    t0 = time.time()
    c.execute("DROP SOURCE slow")
    check(time.time() - t0 < 2, "DROP SOURCE of a running generator took too long")


def crash(tmp):
    datadir = os.path.join(tmp, "crash")
    port = free_port()
    p = start_server(binary, datadir, port, 100)
    ev = 1000000
    dg = ("CREATE SOURCE {} (k bigint, v int, s varchar, t timestamptz) WITH "
          "(connector = 'datagen', fields.k.kind = 'sequence', fields.k.end = '499999', "
          "fields.v.seed = '4', fields.s.length = '20', datagen.rows.per.second = '0')")
    try:
        with connect(port) as c:
            c.execute(nexmark("bid", BID, "bid", ev, ", nexmark.seed = '7'"))
            c.execute(dg.format("dg"))
        for k in range(args.kills):
            time.sleep(rng.uniform(0.05, 0.4))
            with connect(port) as c:
                n = c.execute("SELECT count(*) FROM bid").fetchone()[0]
            p.send_signal(signal.SIGKILL)
            p.wait()
            print(f"killed with {n} bids generated", flush=True)
            p = start_server(binary, datadir, port, 100)
        with connect(port) as c:
            n = wait_count(c, "bid", 920000, 300)
            check(n == 920000, f"bid after kills: {n} rows, want 920000")
            n = wait_count(c, "dg", 500000, 300)
            check(n == 500000, f"datagen after kills: {n} rows, want 500000")
            c.execute(nexmark("bid_ref", BID, "bid", ev, ", nexmark.seed = '7'"))
            c.execute(dg.format("dg_ref"))
            wait_count(c, "bid_ref", 920000, 300)
            wait_count(c, "dg_ref", 500000, 300)
            a = c.execute(BID_FINGERPRINT.format("bid")).fetchone()
            b = c.execute(BID_FINGERPRINT.format("bid_ref")).fetchone()
            check(a == b, f"bids after kills {a} != uninterrupted {b}")
            a = c.execute(DG_FINGERPRINT.format("dg")).fetchone()
            b = c.execute(DG_FINGERPRINT.format("dg_ref")).fetchone()
            check(a == b and a[0] == a[1] == 500000, f"datagen after kills {a} != {b}")
            # the same rows in the same order: the log positions match row by row
            a = c.execute("SELECT count(*) FROM (SELECT * FROM bid EXCEPT ALL "
                          "SELECT * FROM bid_ref) x").fetchone()[0]
            check(a == 0, f"{a} bids differ from the uninterrupted run")
        p.send_signal(signal.SIGTERM)
        p.wait(30)
    finally:
        if p.poll() is None:
            p.send_signal(signal.SIGKILL)
            p.wait()


def main():
    tmp = tempfile.mkdtemp(prefix="rv-crash-gen-")
    port = free_port()
    p = start_server(binary, os.path.join(tmp, "data"), port, 100)
    try:
        with connect(port) as c:
            errors(c)
            bounded(c)
        t0 = time.time()
        p.send_signal(signal.SIGTERM)
        p.wait(30)
        check(time.time() - t0 < 10, "shutdown with generators took too long")
        p = start_server(binary, os.path.join(tmp, "data"), port, 100)
        with connect(port) as c:  # finished generators do not add rows after a restart
            time.sleep(0.5)
            n = [c.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                 for t in ("dg", "person", "auction", "bid")]
            check(n == [20000, 1000, 3000, 46000], f"counts after restart {n}")
        p.send_signal(signal.SIGTERM)
        p.wait(30)
        crash(tmp)
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
