#!/usr/bin/env python3
"""tests/nexmark/join_cleanup.py — join state cleanup by watermark, end to end (issue 6).

Run by tests/nexmark/join_cleanup.sh (which starts Rivulet and PostgreSQL 15). Nexmark
generator sources person / auction / bid WITH a watermark on date_time (and twins *_nw
without one, same seed, same rows); over each set an interval join (bids within 10 s of
their auction) and a window join (q8: new sellers per 10 s TUMBLE window). The views are
created while the events arrive (backfill, then maintenance with moving watermarks). Every
view (and a LEFT JOIN twin of the interval join) must equal the same query in PostgreSQL over
the same rows, and the joins' state
tables (t<view>.o<node>l / r / xl / xr, rw_catalog.rw_state_tables) must be far smaller
with watermarks than without. The last line is "N passed, N failed".
"""
import argparse
import re
import sys
import time

import psycopg

COLS = {
    "person": "id BIGINT, name VARCHAR, email_address VARCHAR, credit_card VARCHAR, "
              "city VARCHAR, state VARCHAR, date_time TIMESTAMP, extra VARCHAR",
    "auction": "id BIGINT, item_name VARCHAR, description VARCHAR, initial_bid BIGINT, "
               "reserve BIGINT, date_time TIMESTAMP, expires TIMESTAMP, seller BIGINT, "
               "category BIGINT, extra VARCHAR",
    "bid": "auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR, url VARCHAR, "
           "date_time TIMESTAMP, extra VARCHAR",
}

IJ = """SELECT a.id, a.seller, b.bidder, b.price, b.date_time
FROM auction{s} a JOIN bid{s} b
ON b.auction = a.id AND b.date_time BETWEEN a.date_time AND a.date_time + INTERVAL '10' SECOND"""

# the same interval join, outer: auctions without a bid in their first 10 s come out padded
OJ = """SELECT a.id, a.seller, b.bidder, b.price, b.date_time
FROM auction{s} a LEFT JOIN bid{s} b
ON b.auction = a.id AND b.date_time BETWEEN a.date_time AND a.date_time + INTERVAL '10' SECOND"""

WJ = """SELECT P.id, P.name, P.starttime
FROM (SELECT id, name, window_start AS starttime, window_end AS endtime
      FROM TUMBLE(person{s}, date_time, INTERVAL '10' SECOND)
      GROUP BY id, name, window_start, window_end) AS P
JOIN (SELECT seller, window_start AS starttime, window_end AS endtime
      FROM TUMBLE(auction{s}, date_time, INTERVAL '10' SECOND)
      GROUP BY seller, window_start, window_end) AS A
ON P.id = A.seller AND P.starttime = A.starttime AND P.endtime = A.endtime"""

WJ_PG = """SELECT P.id, P.name, P.starttime
FROM (SELECT id, name, ws AS starttime, ws + INTERVAL '10 seconds' AS endtime
      FROM person, date_bin('10 seconds', date_time, TIMESTAMP '1970-01-01') AS ws
      GROUP BY id, name, ws) AS P
JOIN (SELECT seller, ws AS starttime, ws + INTERVAL '10 seconds' AS endtime
      FROM auction, date_bin('10 seconds', date_time, TIMESTAMP '1970-01-01') AS ws
      GROUP BY seller, ws) AS A
ON P.id = A.seller AND P.starttime = A.starttime AND P.endtime = A.endtime"""


# an aggregate over the window join: its GROUP BY key carries the join's watermark (the smaller
# of the two sides'), so its groups are cleaned too, and it may EMIT ON WINDOW CLOSE
AWJ = "SELECT starttime, count(*) AS n, max(id) AS top FROM ({wj}) AS j GROUP BY starttime"


def rows(conn, sql):
    return sorted(tuple("NULL" if v is None else str(v) for v in r)
                  for r in conn.execute(sql).fetchall())


def top_groups(rv, view):
    """Entries of the group table of the view's topmost aggregate (the highest node number)."""
    best = (-1, 0)
    for name, entries in rv.execute(
            "SELECT table_name, entries FROM rw_catalog.rw_state_tables "
            "WHERE relation_name = %s", (view,)).fetchall():
        m = re.search(r"\.o(\d+)g$", name)
        if m and int(m.group(1)) > best[0]:
            best = (int(m.group(1)), entries)
    return best[1]


def join_entries(rv, view):
    """Entries of the view's join tables: {tag: entries}, tags l, r, xl, xr."""
    out = {}
    for name, entries in rv.execute(
            "SELECT table_name, entries FROM rw_catalog.rw_state_tables "
            "WHERE relation_name = %s", (view,)).fetchall():
        m = re.search(r"\.o\d+(x?[lr])$", name)
        if m:
            out[m.group(1)] = out.get(m.group(1), 0) + entries
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rv-port", type=int, required=True)
    ap.add_argument("--pg-port", type=int, required=True)
    ap.add_argument("--events", type=int, default=30000)
    ap.add_argument("--rate", type=int, default=100)
    ap.add_argument("--gap-ns", type=int, default=100_000)
    a = ap.parse_args()

    rv = psycopg.connect(host="127.0.0.1", port=a.rv_port, user="postgres", autocommit=True)
    pg = psycopg.connect(host="127.0.0.1", port=a.pg_port, user="postgres",
                         dbname="regression", autocommit=True)
    for t, cols in COLS.items():
        pg.execute(f"CREATE TABLE {t} ({cols})")
        for suffix, wm in (("", ", WATERMARK FOR date_time AS date_time - INTERVAL '4' SECOND"),
                           ("_nw", "")):
            rv.execute(f"CREATE SOURCE {t}{suffix} ({cols}{wm}) WITH (connector = 'nexmark', "
                       f"nexmark.table.type = '{t}', nexmark.event.num = {a.events}, "
                       f"nexmark.event.rate = {a.rate}, nexmark.seed = 7, "
                       f"nexmark.min.event.gap.in.ns = {a.gap_ns})")
    views = {}
    for s in ("", "_nw"):
        for name, sql in (("ij", IJ), ("oj", OJ), ("wj", WJ)):
            views[f"v_{name}{s}"] = sql.format(s=s)
            rv.execute(f"CREATE MATERIALIZED VIEW v_{name}{s} AS {sql.format(s=s)}")
        views[f"v_awj{s}"] = AWJ.format(wj=WJ.format(s=s))
        rv.execute(f"CREATE MATERIALIZED VIEW v_awj{s} AS {views[f'v_awj{s}']}")
    rv.execute(f"CREATE MATERIALIZED VIEW v_awj_eowc AS {views['v_awj']} EMIT ON WINDOW CLOSE")
    want = {"person": 0, "auction": 0, "bid": 0}
    for e in range(a.events):
        want["person" if e % 50 == 0 else "auction" if e % 50 <= 3 else "bid"] += 1
    t0 = time.time()
    while True:
        have = {t + s: rv.execute(f"SELECT count(*) FROM {t}{s}").fetchone()[0]
                for t in want for s in ("", "_nw")}
        if all(have[t] == want[t] and have[t + "_nw"] == want[t] for t in want):
            break
        if time.time() - t0 > 120:
            print(f"join_cleanup: the generators did not finish: {have}, want {want}")
            print("0 passed, 1 failed")
            return 1
        time.sleep(0.2)
    rv.execute("FLUSH")
    for t in want:
        with rv.cursor().copy(f"COPY (SELECT * FROM {t}) TO STDOUT") as src, \
                pg.cursor().copy(f"COPY {t} FROM STDIN") as dst:
            for block in src:
                dst.write(block)

    passed = failed = 0

    def check(ok, what):
        nonlocal passed, failed
        print(f"  {'ok  ' if ok else 'FAIL'} {what}", flush=True)
        if ok:
            passed += 1
        else:
            failed += 1

    oracle = {"ij": rows(pg, IJ.format(s="")), "oj": rows(pg, OJ.format(s="")),
              "wj": rows(pg, WJ_PG), "aw": rows(pg, AWJ.format(wj=WJ_PG))}
    for v in views:
        got = rows(rv, f"SELECT * FROM {v}")
        exp = oracle[v[2:4]]
        check(got == exp, f"{v}: {len(got)} rows, PostgreSQL {len(exp)}")
    # EOWC: the windows the watermark closed, each final; the last few are still open
    got, exp = rows(rv, "SELECT * FROM v_awj_eowc"), oracle["aw"]
    check(set(got) <= set(exp) and len(exp) - 3 <= len(got) < len(exp) + 1 and
          got == exp[:len(got)],
          f"v_awj_eowc: {len(got)} closed windows, PostgreSQL {len(exp)} windows")
    n_with, n_without = top_groups(rv, "v_awj"), top_groups(rv, "v_awj_nw")
    check(n_without == len(exp) and n_with <= 3,
          f"v_awj: groups kept {n_with} with watermarks, {n_without} without")
    for name in ("ij", "oj", "wj"):
        with_wm, without = join_entries(rv, f"v_{name}"), join_entries(rv, f"v_{name}_nw")
        n_with = with_wm.get("l", 0) + with_wm.get("r", 0)
        n_without = without.get("l", 0) + without.get("r", 0)
        check(with_wm.get("xl", 0) > 0 and with_wm.get("xr", 0) > 0 and
              "xl" not in without and "xr" not in without,
              f"v_{name}: index tables with watermarks only ({with_wm} / {without})")
        check(n_with * 4 < n_without,
              f"v_{name}: join rows kept {n_with} with watermarks, {n_without} without")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
