"""tests/temporal/temporal.py — temporal filters in materialized views (stream/op_temporal.c):
rows leave (or enter) a view as wall-clock time passes, with no input changing.

One run: a fresh Rivulet whose epochs run only at FLUSH (checkpoint interval 1 h), so the
time a view's filter saw is the time of the epoch the last statement ran, somewhere between
the moment before that statement and the moment its answer came back. Rows have
timestamps spaced 1 s apart, offset by half a second from the start, and every check skips
the rows whose boundary falls within 150 ms of that interval: the checks cannot flake on
timing, yet each one compares several rows on both sides of the boundary.

  table t (id, ts timestamptz)                 append-only inserts
  table p (id PRIMARY KEY, ts timestamptz)     inserts, updates and deletes (retractions)
  view v_gt    SELECT id FROM t WHERE ts > now() - INTERVAL '3 seconds'           (rows leave)
  view v_le    SELECT id FROM t WHERE ts + INTERVAL '2 seconds' <= now()          (rows enter)
  view v_btw   ... WHERE ts BETWEEN now() - INTERVAL '4 seconds' AND now() - INTERVAL '1 second'
  view v_p     SELECT id, x FROM p WHERE now() - INTERVAL '3 seconds' < ts AND x > 0
  view v_cnt   SELECT count(*) FROM v_gt                                      (view over it)

After every FLUSH, each view must equal the model (Python over the rows it was given) on the
certain rows, and the same query run ad hoc must agree with the model too. Halfway the server
is SIGKILLed and restarted: the views continue from their committed state (rows that left
while it was down leave at the first epoch). Rows also arrive already out of the window, and
in the future (entering later).

Prints one line per failed check and ends with "N passed, N failed".
"""
import argparse
import datetime
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

import psycopg

MARGIN = 0.15  # seconds of uncertainty around the epoch's time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def connect(port):
    c = psycopg.connect(host="127.0.0.1", port=port, user="postgres", autocommit=True)
    c.execute("SET TimeZone = 'UTC'")
    return c


def start_rivulet(build, work, port):
    log = open(os.path.join(work, "rivulet.log"), "a")
    p = subprocess.Popen([os.path.join(build, "server", "rivulet"), "--port", str(port),
                          "--listen", "127.0.0.1", "--data-dir", os.path.join(work, "data"),
                          "--checkpoint-interval", "3600s"], stdout=log, stderr=log)
    for _ in range(400):
        try:
            psycopg.connect(host="127.0.0.1", port=port, user="postgres").close()
            return p
        except psycopg.OperationalError:
            if p.poll() is not None:
                raise SystemExit(f"rivulet exited with {p.returncode}; see {work}/rivulet.log")
            time.sleep(0.05)
    raise SystemExit("rivulet did not start")


def ts_of(secs):
    return datetime.datetime.fromtimestamp(secs, datetime.timezone.utc)


# Each view: (query, (row -> boundary in seconds or None, direction), row filter).
# "in while now < b" (leave) or "in once now >= b" (enter); the certain rows are those whose
# boundaries are not within MARGIN of [lo, hi], the interval holding the epoch's time.
VIEWS = {
    "v_gt": "SELECT id FROM t WHERE ts > now() - INTERVAL '3 seconds'",
    "v_le": "SELECT id FROM t WHERE ts + INTERVAL '2 seconds' <= now()",
    "v_btw": "SELECT id FROM t WHERE ts BETWEEN now() - INTERVAL '4 seconds' "
             "AND now() - INTERVAL '1 second'",
    "v_p": "SELECT id FROM p WHERE now() - INTERVAL '3 seconds' < ts AND x > 0",
}


def model(view, rows, at):
    """(ids in the view at time `at`, their boundaries) over rows {id: (ts, x)}."""
    out, bounds = set(), []
    for i, (ts, x) in rows.items():
        if view == "v_gt":
            ok, b = at < ts + 3, [ts + 3]
        elif view == "v_le":
            ok, b = at >= ts + 2, [ts + 2]
        elif view == "v_btw":
            ok, b = ts + 1 <= at <= ts + 4, [ts + 1, ts + 4]
        else:
            ok, b = x > 0 and at < ts + 3, [ts + 3]
        if ok:
            out.add(i)
        bounds.append((i, b))
    return out, bounds


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="rivulet-temporal.")
    port = free_port()
    server = start_rivulet(args.build, work, port)
    passed = failed = 0

    def check(name, ok, detail=""):
        nonlocal passed, failed
        if ok:
            passed += 1
            if args.verbose:
                print("ok", name)
        else:
            failed += 1
            print("FAIL", name, detail)

    conn = connect(port)
    t_rows, p_rows = {}, {}  # id -> (ts seconds, x)
    start = time.time()
    next_id = [0]

    def insert_t(offsets):
        vals = []
        for off in offsets:
            i = next_id[0]
            next_id[0] += 1
            t_rows[i] = (round(start + off, 6), 1)
            vals.append(f"({i}, '{ts_of(t_rows[i][0]).isoformat()}')")
        conn.execute("INSERT INTO t VALUES " + ", ".join(vals))

    def upsert_p(i, off, x):
        p_rows[i] = (round(start + off, 6), x)
        conn.execute("INSERT INTO p VALUES (%s, %s, %s) ON CONFLICT (id) DO UPDATE "
                     "SET ts = excluded.ts, x = excluded.x", (i, ts_of(p_rows[i][0]), x))

    conn.execute("CREATE TABLE t (id int, ts timestamptz)")
    conn.execute("CREATE TABLE p (id int PRIMARY KEY, ts timestamptz, x int)")
    insert_t([k + 0.5 for k in range(-6, 6)])  # 5.5 s ago .. 5.5 s ahead
    for k in range(8):
        upsert_p(k, k - 4 + 0.5, 1 if k % 3 else 0)
    for name, q in VIEWS.items():
        conn.execute(f"CREATE MATERIALIZED VIEW {name} AS {q}")
    conn.execute("CREATE MATERIALIZED VIEW v_cnt AS SELECT count(*) AS n FROM v_gt")

    def verify(step):
        lo = time.time()
        conn.execute("FLUSH")
        got = {v: {r[0] for r in conn.execute(f"SELECT id FROM {v}")} for v in VIEWS}
        cnt = conn.execute("SELECT n FROM v_cnt").fetchone()[0]
        hi = time.time()
        adhoc = {v: {r[0] for r in conn.execute(VIEWS[v])} for v in VIEWS}
        hi2 = time.time()
        for v in VIEWS:
            rows = p_rows if v == "v_p" else t_rows
            want, bounds = model(v, rows, (lo + hi) / 2)
            unsure = {i for i, bs in bounds for b in bs if lo - MARGIN <= b <= hi + MARGIN}
            unsure2 = {i for i, bs in bounds for b in bs if lo - MARGIN <= b <= hi2 + MARGIN}
            sure = set(rows) - unsure
            check(f"{step} {v}", got[v] & sure == want & sure,
                  f"view {sorted(got[v] & sure)} model {sorted(want & sure)} "
                  f"(unsure {sorted(unsure)})")
            sure2 = set(rows) - unsure2
            check(f"{step} {v} ad hoc", adhoc[v] & sure2 == want & sure2,
                  f"ad hoc {sorted(adhoc[v] & sure2)} model {sorted(want & sure2)}")
            check(f"{step} {v} no strangers", got[v] <= set(rows), f"{sorted(got[v])}")
        want_gt, bounds = model("v_gt", t_rows, (lo + hi) / 2)
        if not any(lo - MARGIN <= b <= hi + MARGIN for _, bs in bounds for b in bs):
            check(f"{step} v_cnt", cnt == len(want_gt), f"count {cnt} model {len(want_gt)}")

    verify("created")
    for step in range(10):
        time.sleep(0.6)
        if step == 2:
            insert_t([-10.5, 0.3 + step, 3.7 + step])  # one already out, two inside
        if step == 3:
            upsert_p(1, 4.5, 2)   # moves later: stays longer
            upsert_p(2, -10, 5)   # moves out of the window
            conn.execute("DELETE FROM p WHERE id = 7")
            del p_rows[7]
            upsert_p(20, 6.5, 1)
        if step == 5:  # SIGKILL, sleep past a few boundaries, restart
            conn.close()
            server.send_signal(signal.SIGKILL)
            server.wait()
            time.sleep(1.2)
            server = start_rivulet(args.build, work, port)
            conn = connect(port)
        verify(f"step {step}")

    # everything left v_gt eventually (time alone; no input changes)
    time.sleep(max(0.0, start + 6.5 + 3 + 0.3 - time.time()))
    conn.execute("FLUSH")
    late = {r[0] for r in conn.execute("SELECT id FROM v_gt")}
    check("v_gt empty at the end", late == set(), f"{sorted(late)}")
    check("v_le full at the end", {r[0] for r in conn.execute("SELECT id FROM v_le")} ==
          set(t_rows))

    conn.close()
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
    if failed == 0:
        shutil.rmtree(work, ignore_errors=True)
    else:
        print("server log and data kept in", work)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
