"""tests/wmtopn/wmtopn.py — top-N per event-time window (ROW_NUMBER / RANK OVER (PARTITION BY
window_start ...) <= N) against PostgreSQL 15, with the window operator's state cleanup by
watermark (stream/op_window.c, "Cleanup by watermark") checked through rw_state_tables.

    /usr/bin/python3 tests/wmtopn/wmtopn.py --pg HOST:PORT --build DIR [--seed N] [--verbose]

(tests/wmtopn/run.sh starts the oracle and calls this per seed; use that.)

One run (one seed): a fresh Rivulet whose epochs run only at FLUSH and reads (checkpoint
interval 1 h), so each batch of INSERTs followed by FLUSH is one epoch.

  table ev  (id, ts, k, v) APPEND ONLY, WATERMARK FOR ts AS ts - INTERVAL '3 seconds'
            batches of rows around an advancing time, out of order, some NULL ts / k / v, some
            behind the watermark (late: dropped, decided by the same model as tests/watermark)
  views     e_top2   row_number() OVER (PARTITION BY window_start ORDER BY v DESC, id) <= 2
                     over TUMBLE(ev, ts, 5 s)  (created before any row)
            e_rank   rank() OVER (PARTITION BY k, window_start ORDER BY v) <= 2 (the watermarked
                     column second in PARTITION BY), TUMBLE 5 s
            e_hop    dense_rank() OVER (PARTITION BY window_start ORDER BY v DESC) <= 2 over
                     HOP(ev, ts, 5 s, 10 s) (created after a few batches: backfill)
            e_all    every row with row_number and count(*) over its 5 s window (no filter)
            e_dist   DISTINCT ON (window_start) ... ORDER BY window_start, v DESC, id
  source bid        connector 'nexmark' with WATERMARK FOR date_time (4 s)
            nx_top3  the brief's query: top 3 bids by price per 10 s TUMBLE window

After every batch each view equals the PostgreSQL query (date_bin / generate_series for the
windows) over the rows the model kept, and each view's window state table (t<id>.o<n>r) holds
exactly the rows of windows the watermark has not passed (plus NULL windows): bounded state.
Halfway Rivulet is SIGKILLed and restarted. At the end the nexmark view is compared over the
generated bids and its state entries are printed beside the number of bids.

Prints one line per failed check and ends with "N passed, N failed".

Invariants:
  1. Everything random comes from the seed.
  2. Only the Rivulet process this script started is signalled, by its pid.
"""
import argparse
import datetime
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time


sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from rvtest import connect, diff_text, free_port, rows_of, start_rivulet  # noqa: E402

BASE = datetime.datetime(2024, 1, 1)
CHECKPOINT = ("--checkpoint-interval", "3600s")
DELAY = 3
ORIGIN = "TIMESTAMP '1970-01-01 00:00:00'"


def diff_text_pg(want, got):
    return diff_text(want, got, "PostgreSQL only")


def lit(v):
    if v is None:
        return "NULL"
    if isinstance(v, datetime.datetime):
        return f"'{v.isoformat(sep=' ')}'"
    return str(v)


def tumble_pg(size):
    return f"date_bin(INTERVAL '{size}', ts, {ORIGIN})"


def hop_lateral(slide, size):
    last = f"date_bin(INTERVAL '{slide}', ts, {ORIGIN})"
    return (f"LATERAL generate_series({last} - INTERVAL '{size}' + INTERVAL '{slide}', {last}, "
            f"INTERVAL '{slide}') AS w(s)")


# name -> (Rivulet view body, PostgreSQL query over ev, window size of its window_start)
VIEWS = {
    "e_top2": (
        "SELECT id, ts, v, window_start, rn FROM (SELECT *, row_number() OVER (PARTITION BY "
        "window_start ORDER BY v DESC, id) AS rn FROM TUMBLE(ev, ts, INTERVAL '5 seconds')) t "
        "WHERE rn <= 2",
        f"SELECT id, ts, v, ws, rn FROM (SELECT *, {tumble_pg('5 seconds')} AS ws, row_number() "
        f"OVER (PARTITION BY {tumble_pg('5 seconds')} ORDER BY v DESC, id) AS rn FROM ev) t "
        "WHERE rn <= 2"),
    "e_rank": (
        "SELECT id, k, v, window_start, window_end, r FROM (SELECT *, rank() OVER (PARTITION BY "
        "k, window_start ORDER BY v) AS r FROM TUMBLE(ev, ts, INTERVAL '5 seconds')) t "
        "WHERE r <= 2",
        f"SELECT id, k, v, ws, ws + INTERVAL '5 seconds', r FROM (SELECT *, {tumble_pg('5 seconds')}"
        f" AS ws, rank() OVER (PARTITION BY k, {tumble_pg('5 seconds')} ORDER BY v) AS r "
        "FROM ev) t WHERE r <= 2"),
    "e_hop": (
        "SELECT id, v, window_start, d FROM (SELECT *, dense_rank() OVER (PARTITION BY "
        "window_start ORDER BY v DESC) AS d FROM HOP(ev, ts, INTERVAL '5 seconds', "
        "INTERVAL '10 seconds')) t WHERE d <= 2",
        f"SELECT id, v, s, d FROM (SELECT id, v, w.s, dense_rank() OVER (PARTITION BY w.s "
        f"ORDER BY v DESC) AS d FROM ev, {hop_lateral('5 seconds', '10 seconds')}) t WHERE d <= 2"),
    "e_all": (
        "SELECT id, window_start, row_number() OVER (PARTITION BY window_start ORDER BY id), "
        "count(*) OVER (PARTITION BY window_start) FROM TUMBLE(ev, ts, INTERVAL '5 seconds')",
        f"SELECT id, {tumble_pg('5 seconds')}, row_number() OVER (PARTITION BY "
        f"{tumble_pg('5 seconds')} ORDER BY id), count(*) OVER (PARTITION BY "
        f"{tumble_pg('5 seconds')}) FROM ev"),
    "e_dist": (
        "SELECT DISTINCT ON (window_start) window_start, id, v FROM TUMBLE(ev, ts, "
        "INTERVAL '5 seconds') ORDER BY window_start, v DESC, id",
        f"SELECT DISTINCT ON (ws) ws, id, v FROM (SELECT *, {tumble_pg('5 seconds')} AS ws "
        "FROM ev) t ORDER BY ws, v DESC, id"),
}
WINDOW_OF = {"e_top2": (5, 1), "e_rank": (5, 1), "e_hop": (5, 2), "e_all": (5, 1),
             "e_dist": (5, 1)}


class Model:
    """The watermark rule of stream/engine_wm.c (as tests/watermark/watermark.py)."""

    def __init__(self):
        self.wm = None
        self.kept = []
        self.late = 0

    def epoch(self, rows):
        nxt = self.wm
        for r in rows:
            ts = r[1]
            if ts is not None and self.wm is not None and ts < self.wm:
                self.late += 1
                continue
            self.kept.append(r)
            if ts is not None:
                cand = ts - datetime.timedelta(seconds=DELAY)
                nxt = cand if nxt is None or cand > nxt else nxt
        self.wm = nxt


def floor_to(ts, secs):
    epoch = datetime.datetime(1970, 1, 1)
    n = int((ts - epoch).total_seconds() // secs)
    return epoch + datetime.timedelta(seconds=n * secs)


def window_state_entries(rv, view):
    """Entries of each of the view's window-operator tables (t<id>.o<node>r), sorted."""
    return sorted(entries for name, entries in rv.execute(
        "SELECT table_name, entries FROM rw_catalog.rw_state_tables WHERE relation_name = %s",
        (view,)).fetchall() if re.fullmatch(r"t\d+\.o\d+r", name))


def needed_entries(model, view):
    """Rows (window copies) of windows at or above the watermark's, or with no window."""
    size, copies = WINDOW_OF[view]
    if model.wm is None:
        lo = None
    else:  # HOP: a row at W still reaches the windows starting (copies - 1) slides earlier
        lo = floor_to(model.wm, size) - datetime.timedelta(seconds=size * (copies - 1))
    n = 0
    for r in model.kept:
        if r[1] is None:  # a NULL window (TUMBLE); HOP gives such a row no window
            n += copies == 1
            continue
        last = floor_to(r[1], size)
        for c in range(copies):
            start = last - datetime.timedelta(seconds=size * c)
            n += lo is None or start >= lo
    return n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pg", required=True)
    ap.add_argument("--build", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--batches", type=int, default=14)
    ap.add_argument("--rows", type=int, default=40)
    ap.add_argument("--events", type=int, default=20000)
    ap.add_argument("--verbose", action="store_true")
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    pg_host, pg_port = a.pg.split(":")
    work = tempfile.mkdtemp(prefix="rv-wmtopn-")
    port = free_port()
    proc = start_rivulet(a.build, work, port, CHECKPOINT)
    passed = failed = 0

    def check(name, ok, detail=""):
        nonlocal passed, failed
        if ok:
            passed += 1
            if a.verbose:
                print(f"ok   {name}")
        else:
            failed += 1
            print(f"FAIL {name}" + (f"\n{detail}" if detail else ""))

    try:
        rv = connect("127.0.0.1", port)
        pg = connect(pg_host, int(pg_port), "regression")
        pg.execute("DROP TABLE IF EXISTS ev")
        pg.execute("CREATE TABLE ev (id int, ts timestamp, k int, v int)")
        rv.execute("CREATE TABLE ev (id int, ts timestamp, k int, v int, WATERMARK FOR ts AS "
                   f"ts - INTERVAL '{DELAY} seconds') APPEND ONLY")
        created = []
        for name in ("e_top2", "e_rank", "e_all", "e_dist"):
            rv.execute(f"CREATE MATERIALIZED VIEW {name} AS {VIEWS[name][0]}")
            created.append(name)
        model = Model()
        now = BASE
        next_id = 1
        for b in range(a.batches):
            rows = []
            for _ in range(rnd.randint(1, a.rows)):
                ts = None if rnd.random() < 0.05 else \
                    now + datetime.timedelta(milliseconds=rnd.randint(-7000, 2500))
                k = None if rnd.random() < 0.1 else rnd.randint(0, 3)
                v = None if rnd.random() < 0.1 else rnd.randint(0, 20)
                rows.append((next_id, ts, k, v))
                next_id += 1
            now += datetime.timedelta(milliseconds=rnd.randint(1000, 4000))
            rv.execute("INSERT INTO ev VALUES " + ", ".join(
                "(" + ", ".join(lit(x) for x in r) + ")" for r in rows))
            rv.execute("FLUSH")
            model.epoch(rows)
            pg.execute("TRUNCATE ev")
            with pg.cursor().copy("COPY ev FROM STDIN") as cp:
                for r in model.kept:
                    cp.write_row(r)
            if b == 3:
                rv.execute(f"CREATE MATERIALIZED VIEW e_hop AS {VIEWS['e_hop'][0]}")
                created.append("e_hop")
            if b == a.batches // 2:  # SIGKILL and restart: state reopened
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                rv.close()
                proc = start_rivulet(a.build, work, port, CHECKPOINT)
                rv = connect("127.0.0.1", port)
            for name in created:
                want = rows_of(pg, VIEWS[name][1])
                got = rows_of(rv, f"SELECT * FROM {name}")
                check(f"batch {b} {name} ({sum(want.values())} rows)", want == got,
                      diff_text_pg(want, got))
                have, need = window_state_entries(rv, name), needed_entries(model, name)
                check(f"batch {b} {name} state", have and all(h == need for h in have),
                      f"    {have} window state entries, want {need} "
                      f"(of {len(model.kept)} kept rows, watermark {model.wm})")
        late = rv.execute("SELECT late_rows FROM rw_catalog.rw_watermarks "
                          "WHERE relation_name = 'ev'").fetchone()[0]
        check("late rows counted", late == model.late, f"    {late} != model {model.late}")

        # the nexmark source and the brief's view
        rv.execute("CREATE SOURCE bid (auction BIGINT, bidder BIGINT, price BIGINT, "
                   "channel VARCHAR, url VARCHAR, date_time TIMESTAMP, extra VARCHAR, "
                   "WATERMARK FOR date_time AS date_time - INTERVAL '4' SECOND) WITH "
                   "(connector = 'nexmark', nexmark.table.type = 'bid', "
                   f"nexmark.event.num = {a.events}, nexmark.event.rate = 100, "
                   f"nexmark.seed = {a.seed}, nexmark.min.event.gap.in.ns = 20000)")
        rv.execute("CREATE MATERIALIZED VIEW nx_top3 AS SELECT * FROM (SELECT auction, bidder, "
                   "price, date_time, window_start, window_end, row_number() OVER (PARTITION BY "
                   "window_start ORDER BY price DESC, date_time, bidder, auction) AS rn FROM "
                   "TUMBLE(bid, date_time, INTERVAL '10' SECOND)) t WHERE rn <= 3")
        want_bids = sum(1 for e in range(a.events) if e % 50 > 3)
        t0 = time.time()
        while rv.execute("SELECT count(*) FROM bid").fetchone()[0] < want_bids:
            if time.time() - t0 > 120:
                break
            time.sleep(0.2)
        rv.execute("FLUSH")
        nbids = rv.execute("SELECT count(*) FROM bid").fetchone()[0]
        check("nexmark bids generated", nbids == want_bids, f"    {nbids} != {want_bids}")
        pg.execute("DROP TABLE IF EXISTS bid")
        pg.execute("CREATE TABLE bid (auction BIGINT, bidder BIGINT, price BIGINT, "
                   "channel VARCHAR, url VARCHAR, date_time TIMESTAMP, extra VARCHAR)")
        with rv.cursor().copy("COPY (SELECT * FROM bid) TO STDOUT") as src, \
                pg.cursor().copy("COPY bid FROM STDIN") as dst:
            for block in src:
                dst.write(block)
        nlate = rv.execute("SELECT late_rows FROM rw_catalog.rw_watermarks "
                           "WHERE relation_name = 'bid'").fetchone()[0]
        check("nexmark: no late bids", nlate == 0, f"    {nlate} late")
        ws = f"date_bin(INTERVAL '10 seconds', date_time, {ORIGIN})"
        want = rows_of(pg, f"SELECT * FROM (SELECT auction, bidder, price, date_time, {ws}, "
                           f"{ws} + INTERVAL '10 seconds', row_number() OVER (PARTITION BY {ws} "
                           "ORDER BY price DESC, date_time, bidder, auction) AS rn FROM bid) t "
                           "WHERE rn <= 3")
        got = rows_of(rv, "SELECT * FROM nx_top3")
        check(f"nexmark nx_top3 ({sum(want.values())} rows)", want == got, diff_text_pg(want, got))
        entries = sum(window_state_entries(rv, "nx_top3"))
        wm = rv.execute("SELECT max(date_time) - INTERVAL '4' SECOND FROM bid").fetchone()[0]
        open_rows = rv.execute("SELECT count(*) FROM bid WHERE date_time >= %s",
                               (floor_to(wm, 10),)).fetchone()[0]
        print(f"wmtopn: nexmark {nbids} bids, nx_top3 window state {entries} entries "
              f"(rows in windows the watermark has not passed: {open_rows})")
        check("nexmark nx_top3 state bounded", entries == open_rows,
              f"    {entries} entries, want {open_rows}")
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.send_signal(signal.SIGKILL)
                proc.wait()
    if failed == 0:
        shutil.rmtree(work, ignore_errors=True)
    else:
        print(f"wmtopn: kept {work} (rivulet.log)")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
