#!/usr/bin/env python3
"""tests/windows/windows.py — the differential test of TUMBLE, HOP and SESSION
(sql/bind_window_tvf.c, stream/op_hop.c, stream/op_session.c) against PostgreSQL 15.

    /usr/bin/python3 tests/windows/windows.py --pg HOST:PORT --build DIR [--seed N]
        [--batches N] [--rows N] [--verbose]

(tests/windows/run.sh starts the oracle and calls this for a few seeds; use that.)

PostgreSQL has no TUMBLE, HOP or SESSION: every query is written twice, the Rivulet form with
the window functions in FROM and the PostgreSQL form with date_bin(size, ts, origin) for
TUMBLE, a LATERAL generate_series over the slide-aligned starts for HOP (origin is
1970-01-01 00:00:00, UTC for timestamptz, plus the offset), and for SESSION session ids
numbered with lag() and a running sum (a new session where the time is not less than gap
after the previous one of its key), the window being [min, max + gap) of the session. From the seed it creates a table
of random timestamped rows (timestamp, timestamptz and date columns, some NULL, some before
1970 and 2000) on both sides, then runs batches of INSERT / UPDATE / DELETE (Rivulet is
SIGKILLed and restarted after one of them, --kill-after). After every batch each query runs
ad hoc on both sides, and each query also exists on Rivulet as a
MATERIALIZED VIEW (created before any data, or after some batches), compared after FLUSH.
Rows are compared as multisets. The last line is "N passed, N failed" (one test per query
and form: ad hoc, view).

Invariants:
  1. Everything random comes from the seed.
  2. Only the Rivulet process this script started is signalled, by its pid.
"""
import argparse
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter

import psycopg

ORIGIN = "TIMESTAMP '1970-01-01 00:00:00'"
ORIGIN_TZ = "TIMESTAMPTZ '1970-01-01 00:00:00+00'"


def tumble(col, size, offset=None, tz=False, date=False):
    """(FROM clause for Rivulet, select expressions for window_start/end in PostgreSQL)."""
    off = f", INTERVAL '{offset}'" if offset else ""
    origin = (ORIGIN_TZ if tz else ORIGIN) + (f" + INTERVAL '{offset}'" if offset else "")
    ts = f"{col}::timestamp" if date else col
    start = f"date_bin(INTERVAL '{size}', {ts}, {origin})"
    return (f"TUMBLE(ev, {col}, INTERVAL '{size}'{off})", start, f"{start} + INTERVAL '{size}'")


def hop(col, slide, size, offset=None, tz=False, date=False):
    """(Rivulet FROM, PostgreSQL extra FROM item, start expression)."""
    off = f", INTERVAL '{offset}'" if offset else ""
    origin = (ORIGIN_TZ if tz else ORIGIN) + (f" + INTERVAL '{offset}'" if offset else "")
    ts = f"{col}::timestamp" if date else col
    last = f"date_bin(INTERVAL '{slide}', {ts}, {origin})"
    lateral = (f"LATERAL generate_series({last} - INTERVAL '{size}' + INTERVAL '{slide}', {last}, "
               f"INTERVAL '{slide}') AS w(s)")
    return (f"HOP(ev, {col}, INTERVAL '{slide}', INTERVAL '{size}'{off})", lateral)


def queries():
    """(name, Rivulet SQL, PostgreSQL SQL)."""
    q = []
    for name, (col, size, offset, tz, date) in {
        "tumble_ts_10m": ("ts", "10 minutes", None, False, False),
        "tumble_ts_7s_off": ("ts", "7 seconds", "3 seconds", False, False),
        "tumble_tz_1h_off": ("tz", "1 hour", "-25 minutes", True, False),
        "tumble_tz_1d": ("tz", "1 day", None, True, False),
        "tumble_date_2d": ("d", "2 days", "5 hours", False, True),
    }.items():
        frm, s, e = tumble(col, size, offset, tz, date)
        q.append((name, f"SELECT id, k, {col}, window_start, window_end FROM {frm}",
                  f"SELECT id, k, {col}, {s}, {e} FROM ev"))
    frm, s, e = tumble("ts", "15 minutes")
    q.append(("tumble_agg", f"SELECT window_start, window_end, k, count(*), sum(id) FROM {frm} "
              f"GROUP BY window_start, window_end, k",
              f"SELECT {s}, {e}, k, count(*), sum(id) FROM ev GROUP BY 1, 2, 3"))
    frm, s, e = tumble("tz", "30 minutes", "10 minutes", True)
    q.append(("tumble_alias_filter",
              f"SELECT t.id, t.window_start FROM {frm} AS t WHERE t.k < 3 AND t.window_start IS NOT NULL",
              f"SELECT id, {s} FROM ev WHERE k < 3 AND tz IS NOT NULL"))
    q.append(("tumble_cte",
              "WITH c AS (SELECT id, k, ts FROM ev WHERE k % 2 = 0) "
              "SELECT window_start, count(*) FROM TUMBLE(c, ts, INTERVAL '20 minutes') GROUP BY window_start",
              f"SELECT date_bin(INTERVAL '20 minutes', ts, {ORIGIN}), count(*) FROM ev WHERE k % 2 = 0 GROUP BY 1"))
    for name, (col, slide, size, offset, tz, date) in {
        "hop_ts_5m_15m": ("ts", "5 minutes", "15 minutes", None, False, False),
        "hop_ts_eq": ("ts", "10 minutes", "10 minutes", "1 minute", False, False),
        "hop_tz_20m_1h_off": ("tz", "20 minutes", "1 hour", "7 minutes", True, False),
        "hop_date_1d_3d": ("d", "1 day", "3 days", None, False, True),
    }.items():
        frm, lat = hop(col, slide, size, offset, tz, date)
        q.append((name, f"SELECT id, {col}, window_start, window_end FROM {frm}",
                  f"SELECT id, {col}, w.s, w.s + INTERVAL '{size}' FROM ev, {lat}"))
    frm, lat = hop("ts", "10 minutes", "30 minutes")
    q.append(("hop_agg", f"SELECT window_start, k, count(*), max(id) FROM {frm} GROUP BY window_start, k",
              f"SELECT w.s, k, count(*), max(id) FROM ev, {lat} GROUP BY 1, 2"))
    q.append(("hop_subquery",
              "SELECT window_end, count(*) FROM HOP((SELECT ts FROM ev WHERE id % 3 <> 0), ts, "
              "INTERVAL '30 minutes', INTERVAL '1 hour') GROUP BY window_end",
              "SELECT w.s + INTERVAL '1 hour', count(*) FROM (SELECT ts FROM ev WHERE id % 3 <> 0) x, "
              "LATERAL generate_series(date_bin(INTERVAL '30 minutes', ts, TIMESTAMP '1970-01-01') "
              "- INTERVAL '30 minutes', date_bin(INTERVAL '30 minutes', ts, TIMESTAMP '1970-01-01'), "
              "INTERVAL '30 minutes') AS w(s) GROUP BY 1"))
    for name, (col, gap, keys, tz, date) in {
        "session_ts_k": ("ts", "20 minutes", ["k"], False, False),
        "session_ts_all": ("ts", "3 minutes", [], False, False),
        "session_tz_k": ("tz", "1 hour", ["k"], True, False),
        "session_date_k": ("d", "2 days", ["k"], False, True),
    }.items():
        rk = "".join(f", {k}" for k in keys)
        ts = f"{col}::timestamp" if date else col
        part = f"PARTITION BY {', '.join(keys)}" if keys else ""
        part_sid = f"PARTITION BY {', '.join(keys + ['sid'])}"
        pg = (f"WITH o AS (SELECT id, k, {col}, {ts} AS t, CASE WHEN {ts} - lag({ts}) OVER "
              f"({part} ORDER BY {ts}) < INTERVAL '{gap}' THEN 0 ELSE 1 END AS new "
              f"FROM ev WHERE {col} IS NOT NULL), "
              f"s AS (SELECT *, sum(new) OVER ({part} ORDER BY t ROWS UNBOUNDED PRECEDING) AS sid FROM o) "
              f"SELECT id, k, {col}, min(t) OVER ({part_sid}), max(t) OVER ({part_sid}) + INTERVAL '{gap}' "
              f"FROM s UNION ALL SELECT id, k, {col}, NULL, NULL FROM ev WHERE {col} IS NULL")
        q.append((name, f"SELECT id, k, {col}, window_start, window_end FROM "
                        f"SESSION(ev, {col}, INTERVAL '{gap}'{rk})", pg))
    q.append(("session_agg",
              "SELECT k, window_start, window_end, count(*), sum(id) FROM "
              "SESSION(ev, ts, INTERVAL '30 minutes', k) WHERE window_start IS NOT NULL "
              "GROUP BY k, window_start, window_end",
              "WITH o AS (SELECT id, k, ts, CASE WHEN ts - lag(ts) OVER (PARTITION BY k ORDER BY ts) "
              "< INTERVAL '30 minutes' THEN 0 ELSE 1 END AS new FROM ev WHERE ts IS NOT NULL), "
              "s AS (SELECT *, sum(new) OVER (PARTITION BY k ORDER BY ts ROWS UNBOUNDED PRECEDING) AS sid FROM o) "
              "SELECT k, min(ts), max(ts) + INTERVAL '30 minutes', count(*), sum(id) FROM s GROUP BY k, sid"))
    return q


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def connect(host, port):
    c = psycopg.connect(host=host, port=port, user="postgres", autocommit=True)
    c.execute("SET TimeZone = 'UTC'")
    c.execute("SET DateStyle = 'ISO, MDY'")
    return c


def start_rivulet(build, work, port=None):
    port = port or free_port()
    ddir = os.path.join(work, "data")
    log = open(os.path.join(work, "rivulet.log"), "a")
    p = subprocess.Popen([os.path.join(build, "server", "rivulet"), "--port", str(port),
                          "--listen", "127.0.0.1", "--data-dir", ddir], stdout=log, stderr=log)
    for _ in range(400):
        try:
            psycopg.connect(host="127.0.0.1", port=port, user="postgres").close()
            return p, port
        except psycopg.OperationalError:
            if p.poll() is not None:
                raise SystemExit(f"rivulet exited with {p.returncode}; see {work}/rivulet.log")
            time.sleep(0.05)
    raise SystemExit("rivulet did not start")


def rand_ts(rng):
    r = rng.random()
    if r < 0.05:
        return None
    if r < 0.15:  # before 1970 / before 2000
        base = rng.choice([-1_000_000_000, -3600 * 24 * 3, 946_684_800 - 7200])
    elif r < 0.6:  # a dense burst: sessions merge and split, windows hold many rows
        return 1_609_545_600 + rng.randint(0, 7200)
    else:
        base = 1_609_459_200  # 2021-01-01
    return base + rng.randint(0, 3 * 86400)


def fmt_ts(secs, kind):
    if secs is None:
        return "NULL"
    t = time.gmtime(secs)
    s = time.strftime("%Y-%m-%d %H:%M:%S", t)
    if kind == "tz":
        return f"'{s}+00'"
    if kind == "d":
        return f"'{s[:10]}'"
    return f"'{s}'"


def rows_of(conn, sql):
    with conn.cursor() as cur:
        cur.execute(sql)
        return Counter(tuple(r) for r in cur.fetchall())


def diff_text(want, got):
    lines = []
    for r in list((want - got).keys())[:5]:
        lines.append(f"    only in PostgreSQL: {r} x{(want - got)[r]}")
    for r in list((got - want).keys())[:5]:
        lines.append(f"    only in Rivulet:    {r} x{(got - want)[r]}")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pg", required=True)
    ap.add_argument("--build", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--batches", type=int, default=6)
    ap.add_argument("--rows", type=int, default=40)
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--kill-after", type=int, default=3,
                    help="SIGKILL and restart Rivulet after this batch's FLUSH (-1: never)")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    host, port = a.pg.split(":")
    work = tempfile.mkdtemp(prefix="rivulet-windows.")
    proc, rvport = start_rivulet(a.build, work)
    failed = passed = 0
    try:
        pg = connect(host, int(port))
        rv = connect("127.0.0.1", rvport)
        pg.execute("DROP TABLE IF EXISTS ev")
        ddl = "CREATE TABLE ev (id int PRIMARY KEY, k int, ts timestamp, tz timestamptz, d date)"
        pg.execute(ddl)
        rv.execute(ddl)
        qs = queries()
        # each view is created before any data or after some batch (from the seed)
        created_at = {name: rng.choice([0, 0, 1, a.batches // 2]) for name, _, _ in qs}
        views = set()
        bad = set()
        next_id = 1
        live = []
        for batch in range(a.batches + 1):
            for name, rsql, _ in qs:
                if created_at[name] == batch:
                    try:
                        rv.execute(f"CREATE MATERIALIZED VIEW mv_{name} AS {rsql}")
                        views.add(name)
                    except psycopg.Error as e:
                        print(f"FAIL seed {a.seed} {name}: CREATE MATERIALIZED VIEW: {e}")
                        bad.add(name + "/view")
            if batch > 0:
                stmts = []
                for _ in range(a.rows):
                    r = rng.random()
                    if r < 0.6 or not live:
                        vals = [next_id, rng.randint(0, 5)]
                        secs = rand_ts(rng)
                        vals += [fmt_ts(secs, "ts"), fmt_ts(rand_ts(rng), "tz"), fmt_ts(rand_ts(rng), "d")]
                        stmts.append("INSERT INTO ev VALUES ({}, {}, {}, {}, {})".format(*vals))
                        live.append(next_id)
                        next_id += 1
                    elif r < 0.8:
                        victim = live.pop(rng.randrange(len(live)))
                        stmts.append(f"DELETE FROM ev WHERE id = {victim}")
                    else:
                        victim = rng.choice(live)
                        stmts.append(f"UPDATE ev SET ts = {fmt_ts(rand_ts(rng), 'ts')}, "
                                     f"k = {rng.randint(0, 5)} WHERE id = {victim}")
                for s in stmts:
                    pg.execute(s)
                    rv.execute(s)
            rv.execute("FLUSH")
            if batch == a.kill_after:
                # SIGKILL and restart on the same data: views (SESSION state reopened from its
                # state tables) must go on agreeing
                rv.close()
                proc.kill()
                proc.wait()
                proc, rvport = start_rivulet(a.build, work, rvport)
                rv = connect("127.0.0.1", rvport)
            for name, rsql, psql in qs:
                want = rows_of(pg, psql)
                for form, sql in (("adhoc", rsql), ("view", f"SELECT * FROM mv_{name}")):
                    key = f"{name}/{form}"
                    if key in bad or (form == "view" and name not in views):
                        continue
                    try:
                        got = rows_of(rv, sql)
                    except psycopg.Error as e:
                        print(f"FAIL seed {a.seed} batch {batch} {key}: {e}\n    {sql}")
                        bad.add(key)
                        continue
                    if got != want:
                        print(f"FAIL seed {a.seed} batch {batch} {key}: {sum(want.values())} rows "
                              f"in PostgreSQL, {sum(got.values())} in Rivulet\n    {sql}\n"
                              f"{diff_text(want, got)}")
                        bad.add(key)
                    elif a.verbose:
                        print(f"ok seed {a.seed} batch {batch} {key}: {sum(got.values())} rows")
        for name, _, _ in qs:
            for form in ("adhoc", "view"):
                if f"{name}/{form}" in bad:
                    failed += 1
                else:
                    passed += 1
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        if failed == 0:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"(rivulet log and data kept in {work})")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
