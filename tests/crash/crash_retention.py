#!/usr/bin/python3
"""tests/crash/crash_retention.py — --log-retention trims the log of a source that
materialized views read, once every view reading it keeps its operator state in LMDB (a
restart continues from that state, so the records below what the views consumed are never
read again): a nexmark bid source of two log segments under `--log-retention 1MB` loses its
first segment while an aggregate and a total over it keep the answer over every bid; after
SIGKILL and restart the views still hold that answer (nothing lost, nothing counted twice),
the generator does not start over, and a view created afterwards sees the retained records
only (as an ad-hoc SELECT of the source does).

Usage: crash_retention.py [--seed N] [--kills N] BUILDDIR (the options are accepted for
run.sh's sake; the scenario is deterministic). Prints "N passed, N failed" last.
"""
import argparse
import os
import shutil
import signal
import sys
import tempfile
import time

from crashlib import connect, free_port, start as start_server

ap = argparse.ArgumentParser()
ap.add_argument("build", nargs="?", default="build")
ap.add_argument("--seed", type=int, default=0)
ap.add_argument("--kills", type=int, default=1)
args = ap.parse_args()
binary = os.path.join(args.build, "server", "rivulet")
passed = failed = 0

EVENTS = 1_200_000
BIDS = EVENTS * 46 // 50  # the 1:3:46 mix: bids are 46 of every 50 events
BID = ("auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR, url VARCHAR, "
       "date_time TIMESTAMP, extra VARCHAR")
AGG = "SELECT k, n, s FROM per_key ORDER BY k"
TOT = "SELECT n, s, last FROM total"


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAIL: {what}", flush=True)


def segments(datadir):
    n = 0
    for root, _dirs, files in os.walk(os.path.join(datadir, "log")):
        n += sum(f.endswith(".seg") for f in files)
    return n


def wait_for(conn, sql, pred, timeout=180):
    deadline = time.time() + timeout
    row = None
    while time.time() < deadline:
        row = conn.execute(sql).fetchone()
        if pred(row):
            return row
        time.sleep(0.3)
    return row


work = tempfile.mkdtemp(prefix="rv-crash-retention-")
datadir = os.path.join(work, "data")
port = free_port()
flags = ("--log-retention", "1MB")
server = start_server(binary, datadir, port, 200, flags)
try:
    c = connect(port)
    c.execute(f"CREATE SOURCE bid ({BID}) WITH (connector = 'nexmark', "
              f"nexmark.table.type = 'bid', nexmark.event.num = '{EVENTS}', "
              f"nexmark.min.event.gap.in.ns = '0')")
    c.execute("CREATE MATERIALIZED VIEW per_key AS SELECT auction % 97 AS k, count(*) AS n, "
              "sum(price) AS s FROM bid GROUP BY auction % 97")
    c.execute("CREATE MATERIALIZED VIEW total AS SELECT count(*) AS n, sum(price) AS s, "
              "max(date_time) AS last FROM bid")
    tot = wait_for(c, TOT, lambda r: r is not None and r[0] >= BIDS)
    check(tot is not None and tot[0] == BIDS, f"total view counts {tot}, want {BIDS} bids")
    agg = c.execute(AGG).fetchall()
    check(sum(r[1] for r in agg) == BIDS and sum(r[2] for r in agg) == tot[1],
          "per-key view disagrees with the total view")

    # retention runs at most every 5 s from the epoch driver; the ad-hoc scan sees what is kept
    kept = wait_for(c, "SELECT count(*) FROM bid", lambda r: r[0] < BIDS, timeout=60)[0]
    check(0 < kept < BIDS, f"source keeps {kept} of {BIDS} records: retention did not trim")
    check(segments(datadir) == 1, f"{segments(datadir)} log segments left, want 1")
    with open(datadir + ".log") as f:
        check("log retention: relation" in f.read(), "no 'log retention' line in the log")
    check(c.execute(TOT).fetchone() == tot and c.execute(AGG).fetchall() == agg,
          "views changed when the source was trimmed")
    c.close()

    for k in range(max(1, args.kills)):
        server.send_signal(signal.SIGKILL)
        server.wait()
        server = start_server(binary, datadir, port, 200, flags)
        c = connect(port)
        check(c.execute(TOT).fetchone() == tot, f"restart {k + 1}: total view is "
              f"{c.execute(TOT).fetchone()}, want {tot}")
        check(c.execute(AGG).fetchall() == agg, f"restart {k + 1}: per-key view changed")
        time.sleep(1.0)  # the generator must not start over; epochs run
        check(c.execute(TOT).fetchone() == tot, f"restart {k + 1}: total view moved after "
              "the restart")
        check(c.execute("SELECT count(*) FROM bid").fetchone()[0] == kept,
              f"restart {k + 1}: the source's retained records changed")
        c.close()

    c = connect(port)
    c.execute("CREATE MATERIALIZED VIEW late_view AS SELECT count(*) AS n FROM bid")
    n = c.execute("SELECT n FROM late_view").fetchone()[0]
    check(n == kept, f"a view created after trimming counts {n}, want the {kept} retained")
    with open(datadir + ".log") as f:
        check("is rebuilt from the retained records" not in f.read(),
              "a view was rebuilt from a trimmed log")
    c.close()
finally:
    if server.poll() is None:
        server.send_signal(signal.SIGKILL)
        server.wait()
    if failed == 0:
        shutil.rmtree(work, ignore_errors=True)
    else:
        print(f"crash_retention: data kept in {work}", flush=True)

print(f"{passed} passed, {failed} failed", flush=True)
sys.exit(1 if failed else 0)
