#!/usr/bin/env python3
"""tests/ivm/ivm.py — the randomized differential suite for materialized views.

    /usr/bin/python3 tests/ivm/ivm.py --pg HOST:PORT (--build DIR | --rv HOST:PORT | --target-pg HOST:PORT)
        [--seed N] [--batches N] [--rows-per-batch N] [--kill] [--writers N] [--random-views N]
        [--only VIEW[,VIEW...]] [--exclude VIEW,...] [--trace FILE] [--verbose] [--rollback]
        [--unsupported FILE] [--timeout SECS]

(tests/ivm/run.sh starts the servers and calls this for a few seeds; use that.)

From the seed it generates the tables of views.py (keyed, append-only and plain), a stream of
batches of INSERT / UPDATE / DELETE / COPY / upserts (and transactions) and a schedule
for the views of views.py: some are created before any data, some after a few batches, some
are dropped and re-created. Every statement runs on both sides: the oracle (a PostgreSQL 15
where each view is a plain VIEW) and the target (Rivulet, where each view is a MATERIALIZED
VIEW). After every batch (an epoch) the target is FLUSHed and for every live view
`SELECT * FROM v` must return the same multiset of rows (text values, NULL distinct from '')
with the same column names and type OIDs on both sides; the base tables are compared too.

  --build DIR       start DIR/server/rivulet itself (on a free port, data dir in a temp dir);
                    needed for --kill
  --rv HOST:PORT    use a Rivulet that is already running
  --target-pg H:P   the target is a second PostgreSQL: CREATE MATERIALIZED VIEW there and
                    REFRESH every view (in dependency order) in place of FLUSH. Debugs the
                    harness itself; must pass with no unsupported view.
  --kill            SIGKILL the Rivulet between batches (sometimes before FLUSH, sometimes
                    after; some batches also between two statements) and restart it on the
                    same data dir: views must still agree.
  --rollback        also end some transactions with ROLLBACK (off by default: Rivulet has no
                    transactional storage yet and applies writes at once, a documented divergence)
  --random-views N  also N views composed at random from the seed (views.py random_views:
                    source, WHERE, projection or GROUP BY/HAVING, DISTINCT, top-N, set
                    operations), named rnd_0 ...; default 40. One that fails CREATE with 0A000
                    is left out (not counted, listed with --verbose)
  --writers N       in each batch after the first, also rows-per-batch statements split over N
                    connections writing at once (each on its own keys, so they commute; the
                    oracle runs them one lane after the other)
  --only V,...      only these views (and the views they are built on)
  --trace FILE      write every statement sent to the target to FILE, a script that
                    `psql -f` replays on a fresh Rivulet (FLUSHes and SELECTs included)
  --exclude V,...   all views but these (and those built on them): triage after a crash
  --break V,...     with --target-pg: never REFRESH these views, so they go stale and must fail
                    (the suite's check of itself: run.sh --self-test)

A view whose CREATE fails with SQLSTATE 0A000 is unsupported: expected when listed in
unsupported.txt (counted as passed), a failure otherwise. A listed view that now works is
reported ("now supported: remove from unsupported.txt"), not counted as a failure. A view that
depends on a view that could not be created is skipped. Any other error or mismatch is a
failure: the seed, batch, view SQL and up to 10 rows only on each side are printed, with the
command line that replays it. The last line is "N passed, N failed" (one test per view, plus
one per base table and one for the DML stream).

Invariants:
  1. Everything random comes from the seed: the same seed and options give the same
     statements, schedule and kill points. The statements come from random.Random(seed) alone
     and each view's schedule from (seed, view name), so adding views (or --only) changes
     neither the writes nor the other views' schedule.
  2. Every statement runs on the oracle first; the target must give the same outcome (success
     with the same row count, or the same SQLSTATE).
  3. Keys inserted into keyed tables are never live at that moment (the model of live keys is
     re-read from the oracle after every statement that changes it in a way we do not track),
     so no statement fails on the oracle.
  4. A view is compared only after a FLUSH that followed its creation and the last write.
  5. Only the Rivulet process this script started is ever signalled, by its pid.
"""
import argparse
import atexit
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter

import psycopg
from psycopg import pq

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from views import VIEWS, random_views  # noqa: E402

SQLSTATE = pq.DiagnosticField.SQLSTATE
MESSAGE = pq.DiagnosticField.MESSAGE_PRIMARY

# name -> (columns, primary key?, append only?)
TABLES = [
    ("t1", "id int PRIMARY KEY, g int, a int, b numeric(8,2), s text, f bool, d date", "keyed"),
    ("t2", "id int PRIMARY KEY, g int, x int, s text", "keyed"),
    ("dim", "g int PRIMARY KEY, name text, w int", "keyed"),
    ("ev", "g int, v int, s text, ts timestamp", "append"),
    ("lg", "k int, v int", "plain"),
]
KEYCOL = {"t1": "id", "t2": "id", "dim": "g"}

os.environ.update(PGTZ="UTC", PGDATESTYLE="ISO, MDY", PGCLIENTENCODING="UTF8")


class SqlError(Exception):
    def __init__(self, sqlstate, message):
        super().__init__(f"{sqlstate}: {message}")
        self.sqlstate, self.message = sqlstate, message


class Lost(Exception):
    """The connection is gone (server killed or crashed)."""


class Result:
    def __init__(self, names, oids, rows, tag):
        self.names, self.oids, self.rows, self.tag = names, oids, rows, tag


class Conn:
    """A libpq connection (psycopg.pq: raw text values, simple protocol, a time limit)."""

    def __init__(self, hostport, dbname, timeout):
        host, port = hostport.rsplit(":", 1)
        self.timeout = timeout
        self.c = pq.PGconn.connect(
            f"host={host} port={port} user=postgres dbname={dbname} connect_timeout=10".encode())
        if self.c.status != pq.ConnStatus.OK:
            msg = self.c.error_message.decode(errors="replace").strip()
            raise Lost(f"cannot connect to {hostport}: {msg}")

    def close(self):
        try:
            self.c.finish()
        except Exception:
            pass

    def run(self, sql, copy_data=None):
        c = self.c
        def cancel():
            try:
                c.get_cancel().cancel()
            except Exception:
                pass
        timer = threading.Timer(self.timeout, cancel)
        timer.start()
        try:
            try:
                c.send_query(sql.encode())
            except psycopg.OperationalError as e:
                raise Lost(str(e).strip())
            last = None
            err = None
            while True:
                r = c.get_result()
                if r is None:
                    break
                st = r.status
                if st == pq.ExecStatus.COPY_IN:
                    if copy_data is not None:
                        c.put_copy_data(copy_data.encode())
                    c.put_copy_end()
                    continue
                if st == pq.ExecStatus.FATAL_ERROR:
                    err = SqlError((r.error_field(SQLSTATE) or b"?????").decode(),
                                   (r.error_field(MESSAGE) or b"").decode(errors="replace"))
                    if err.sqlstate == "57014" and not timer.is_alive():
                        err = SqlError("57014", f"timed out after {self.timeout} s (cancelled)")
                else:
                    last = r
        finally:
            timer.cancel()
        if c.status != pq.ConnStatus.OK:
            raise Lost(c.error_message.decode(errors="replace").strip())
        if err:
            raise err
        if last is None:
            return Result([], [], [], "")
        names = [last.fname(i).decode() for i in range(last.nfields)]
        oids = [last.ftype(i) for i in range(last.nfields)]
        rows = []
        for r in range(last.ntuples):
            vals = (last.get_value(r, i) for i in range(last.nfields))
            rows.append(tuple(None if v is None else v.decode() for v in vals))
        tag = (last.command_status or b"").decode()
        return Result(names, oids, rows, tag)


# ---- servers --------------------------------------------------------------------------------

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Rivulet:
    """A Rivulet this script started (--build), on a data dir kept across restarts."""

    def __init__(self, build, workdir):
        self.bin = os.path.join(build, "server", "rivulet")
        self.ddir = os.path.join(workdir, "data")
        self.logpath = os.path.join(workdir, "rivulet.log")
        self.proc = None
        self.port = None
        os.makedirs(self.ddir, exist_ok=True)
        atexit.register(self.kill)

    def start(self):
        for _ in range(5):
            self.port = free_port()
            log = open(self.logpath, "a")
            self.proc = subprocess.Popen(
                [self.bin, "--port", str(self.port), "--listen", "127.0.0.1", "--data-dir", self.ddir],
                stdout=log, stderr=subprocess.STDOUT)
            log.close()
            deadline = time.time() + 60
            while time.time() < deadline:
                if self.proc.poll() is not None:
                    break
                try:
                    with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                        return f"127.0.0.1:{self.port}"
                except OSError:
                    time.sleep(0.05)
            if self.proc.poll() is None:
                raise RuntimeError("rivulet did not start listening within 60 s")
            if "in use" not in self.log_tail(5):
                raise RuntimeError(f"rivulet exited with status {self.proc.returncode} at start-up:\n"
                                   + self.log_tail(20))
        raise RuntimeError("rivulet could not find a free port")

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def kill(self):
        if self.alive():
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()

    def stop(self):
        """SIGTERM; returns the exit status (0 for a clean shutdown)."""
        if not self.alive():
            return self.proc.returncode if self.proc else 0
        self.proc.terminate()
        try:
            return self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill()
            return -9

    def sanitizer_report(self):
        """The first sanitizer report in the log (ASan, UBSan: make test-asan), or ""."""
        try:
            with open(self.logpath, errors="replace") as f:
                lines = f.readlines()
        except OSError:
            return ""
        for i, ln in enumerate(lines):
            if re.search(r"ERROR: [A-Za-z]*Sanitizer|runtime error:", ln):
                return "".join("    " + x[:300] for x in lines[i:i + 25])
        return ""

    def log_tail(self, n=30, skip=None):
        try:
            with open(self.logpath, errors="replace") as f:
                lines = [ln for ln in f if not skip or skip not in ln]
                return "".join("    " + ln[:400] for ln in lines[-n:])
        except OSError:
            return ""


# ---- data generation ------------------------------------------------------------------------

S_VALUES = ["a", "b", "c", "ab", "ba", "", "Z", "é", "a b", None]
NAMES = ["red", "green", "blue", None]


def lit(v):
    if v is None:
        return "NULL"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    return "'" + str(v).replace("'", "''") + "'"


def copy_field(v):
    if v is None:
        return "\\N"
    if isinstance(v, bool):
        return "t" if v else "f"
    return str(v)


class Gen:
    def __init__(self, rng, rollback):
        self.rng = rng
        self.rollback = rollback
        self.live = {"t1": set(), "t2": set(), "dim": set()}
        self.dead = {"t1": set(), "t2": set(), "dim": set()}
        self.next_id = {"t1": 1, "t2": 1}

    def maybe_null(self, v, p=0.1):
        return None if self.rng.random() < p else v

    def g(self):
        return self.maybe_null(self.rng.randint(0, 4))

    def small(self):
        return self.maybe_null(self.rng.randint(-5, 5))

    def row(self, table, key):
        r = self.rng
        if table == "t1":
            b = self.maybe_null(f"{r.randint(-5000, 5000) / 100:.2f}")
            d = self.maybe_null(f"2024-{r.randint(1, 2):02d}-{r.randint(1, 28):02d}")
            return (key, self.g(), self.small(), b, r.choice(S_VALUES), self.maybe_null(r.random() < 0.5), d)
        if table == "t2":
            return (key, self.g(), self.small(), r.choice(S_VALUES))
        if table == "dim":
            return (key, r.choice(NAMES), self.maybe_null(r.randint(-2, 3)))
        if table == "ev":
            ts = self.maybe_null(f"2024-01-0{r.randint(1, 3)} {r.randint(0, 23):02d}:{r.choice(['00', '30'])}:00")
            return (self.g(), r.randint(0, 20), r.choice(S_VALUES), ts)
        if table == "lg":
            return (self.maybe_null(r.randint(0, 5)), self.maybe_null(r.randint(-3, 3)))
        raise ValueError(table)

    def fresh_key(self, table):
        if table == "dim":
            free = [k for k in range(0, 7) if k not in self.live["dim"]]
            return self.rng.choice(free) if free else None
        dead = sorted(self.dead[table])
        if dead and self.rng.random() < 0.3:
            k = self.rng.choice(dead)
        else:
            k = self.next_id[table]
            self.next_id[table] += 1
        self.dead[table].discard(k)
        self.live[table].add(k)
        return k

    def kill_key(self, table, k):
        self.live[table].discard(k)
        self.dead[table].add(k)

    def insert(self, table, n):
        rows = []
        for _ in range(n):
            k = self.fresh_key(table) if table in KEYCOL else None
            if table in KEYCOL and k is None:
                break
            if table == "dim":
                self.live["dim"].add(k)
            rows.append(self.row(table, k))
        if not rows:
            return None
        return f"INSERT INTO {table} VALUES " + ", ".join("(" + ", ".join(lit(v) for v in row) + ")"
                                                          for row in rows)

    def copy(self, table, n):
        rows = [self.row(table, None) for _ in range(n)]
        data = "".join("\t".join(copy_field(v) for v in row) + "\n" for row in rows)
        return (f"COPY {table} FROM STDIN", data)

    def pick(self, table):
        live = sorted(self.live[table])
        return self.rng.choice(live) if live else None

    def update_by_key(self, table):
        k = self.pick(table)
        if k is None:
            return None
        r = self.rng
        col = KEYCOL[table]
        if table == "t1":
            sets = r.choice([
                f"a = {lit(self.small())}",
                f"g = {lit(self.g())}",
                f"s = {lit(r.choice(S_VALUES))}, f = {lit(self.maybe_null(r.random() < 0.5))}",
                "a = a + 1, b = b + 1",
                f"b = NULL, d = {lit(self.maybe_null('2024-02-%02d' % r.randint(1, 28)))}",
                f"g = {lit(self.g())}, a = {lit(self.small())}, s = {lit(r.choice(S_VALUES))}",
            ])
        elif table == "t2":
            sets = r.choice([f"x = {lit(self.small())}", f"g = {lit(self.g())}",
                             f"s = {lit(r.choice(S_VALUES))}", "x = x - 1"])
        else:
            sets = r.choice([f"name = {lit(r.choice(NAMES))}", f"w = {lit(self.maybe_null(r.randint(-2, 3)))}"])
        return f"UPDATE {table} SET {sets} WHERE {col} = {k}"

    def update_by_pred(self, table):
        r = self.rng
        if table == "t1":
            return r.choice([f"UPDATE t1 SET a = a + 1 WHERE g = {r.randint(0, 4)}",
                             f"UPDATE t1 SET f = NOT f WHERE a < {r.randint(-5, 5)}",
                             f"UPDATE t1 SET g = {r.randint(0, 4)} WHERE s = {lit(r.choice(S_VALUES[:-1]))}"])
        return r.choice([f"UPDATE t2 SET x = x + 2 WHERE g = {r.randint(0, 4)}",
                         "UPDATE t2 SET s = NULL WHERE x > 3"])

    def update_key(self, table):
        """UPDATE ... SET id = <a key not live> WHERE id = <a live key>: the row moves."""
        old = self.pick(table)
        if old is None:
            return None
        new = self.fresh_key(table)
        self.kill_key(table, old)
        return f"UPDATE {table} SET id = {new} WHERE id = {old}"

    def upsert(self, table):
        """INSERT ... ON CONFLICT: some keys live (updated or left alone), some new."""
        r = self.rng
        keys = []
        for _ in range(r.randint(1, 3)):
            k = self.pick(table) if r.random() < 0.5 else None
            if k is None or k in keys:
                k = self.fresh_key(table)
            if k not in keys:
                keys.append(k)
        rows = ", ".join("(" + ", ".join(lit(v) for v in self.row(table, k)) + ")" for k in keys)
        for k in keys:
            self.dead[table].discard(k)
            self.live[table].add(k)
        if r.random() < 0.3:
            return f"INSERT INTO {table} VALUES {rows} ON CONFLICT (id) DO NOTHING"
        if table == "t1":
            sets = r.choice(["a = EXCLUDED.a, s = EXCLUDED.s", "g = EXCLUDED.g", "a = t1.a + EXCLUDED.a",
                             "g = EXCLUDED.g, a = EXCLUDED.a, b = EXCLUDED.b, f = EXCLUDED.f"])
        else:
            sets = r.choice(["x = EXCLUDED.x", "g = EXCLUDED.g, s = EXCLUDED.s"])
        return f"INSERT INTO {table} VALUES {rows} ON CONFLICT (id) DO UPDATE SET {sets}"

    def insert_select(self):
        r = self.rng
        return r.choice([f"INSERT INTO lg SELECT g, a FROM t1 WHERE a > {r.randint(0, 5)}",
                         f"INSERT INTO ev SELECT g, x + 10, s, NULL FROM t2 WHERE g = {r.randint(0, 4)}",
                         "INSERT INTO lg SELECT x, count(*) FROM t2 GROUP BY x"])

    def delete_by_key(self, table):
        live = sorted(self.live[table])
        if not live:
            return None
        ks = self.rng.sample(live, min(len(live), self.rng.choice([1, 1, 2, 3])))
        for k in ks:
            self.kill_key(table, k)
        col = KEYCOL[table]
        if len(ks) == 1:
            return f"DELETE FROM {table} WHERE {col} = {ks[0]}"
        return f"DELETE FROM {table} WHERE {col} IN ({', '.join(map(str, ks))})"

    def delete_by_pred(self, table):
        r = self.rng
        if table == "t1":
            return r.choice([f"DELETE FROM t1 WHERE g = {r.randint(0, 4)} AND a > {r.randint(-2, 5)}",
                             "DELETE FROM t1 WHERE a IS NULL"])
        return f"DELETE FROM t2 WHERE x < {r.randint(-5, 0)}"


def make_batch(gen, bno, n):
    """Yields the statements of batch bno: [(sql, copy_data or None, tracked?)]. tracked False means the
    key model must be re-read from the oracle afterwards."""
    r = gen.rng
    if bno == 0:
        yield (gen.insert("dim", 5), None, True)
        for _ in range(max(1, n // 5)):
            yield (gen.insert("t1", 5), None, True)
        yield (gen.insert("t2", max(1, n // 2)), None, True)
        sql, data = gen.copy("ev", n)
        yield (sql, data, True)
        yield (gen.insert("lg", max(1, n // 3)), None, True)
        return
    if r.random() < 0.2:
        yield (("DELETE FROM t2", None, False))
    ops = [("ins_t1", 14), ("ins_t2", 6), ("upd_t1", 14), ("upd_t2", 6), ("updp_t1", 3), ("updp_t2", 2),
           ("del_t1", 8), ("del_t2", 4), ("delp_t1", 2), ("delp_t2", 1), ("reins_t1", 3),
           ("ins_dim", 2), ("del_dim", 2), ("upd_dim", 2), ("ins_ev", 6), ("copy_ev", 2), ("ins_lg", 4),
           ("txn", 3), ("updk_t1", 2), ("updk_t2", 1), ("ups_t1", 3), ("ups_t2", 2), ("inssel_x", 2)]
    names = [o for o, _ in ops]
    weights = [w for _, w in ops]
    count = 0
    while count < n:
        op = r.choices(names, weights)[0]
        count += 1
        if op == "txn":
            rollback = r.random() < 0.4 and gen.rollback
            yield ("BEGIN", None, True)
            for make in (lambda: gen.update_by_key("t1"), lambda: gen.insert("t2", 2),
                         lambda: gen.delete_by_key("t1")):
                s = make()
                if s:
                    yield (s, None, True)
            # After a ROLLBACK the key model is re-read (tracked False).
            yield ("ROLLBACK", None, False) if rollback else ("COMMIT", None, True)
            continue
        kind, table = op.split("_")
        if kind == "ins":
            s = gen.insert(table, r.randint(1, 4))
        elif kind == "upd":
            s = gen.update_by_key(table)
        elif kind == "updp":
            s = gen.update_by_pred(table)
        elif kind == "del":
            s = gen.delete_by_key(table)
        elif kind == "delp":
            s = gen.delete_by_pred(table)
            yield (s, None, False)
            continue
        elif kind == "reins":
            k = gen.pick("t1")
            if k is None:
                continue
            gen.kill_key("t1", k)
            yield ((f"DELETE FROM t1 WHERE id = {k}", None, True))
            gen.dead["t1"].discard(k)
            gen.live["t1"].add(k)
            s = f"INSERT INTO t1 VALUES ({', '.join(lit(v) for v in gen.row('t1', k))})"
        elif kind == "updk":
            s = gen.update_key(table)
        elif kind == "ups":
            s = gen.upsert(table)
        elif kind == "inssel":
            s = gen.insert_select()
        elif kind == "copy":
            sql, data = gen.copy(table, r.randint(1, 6))
            yield ((sql, data, True))
            continue
        if s:
            yield ((s, None, True))


def make_lanes(gen, n_lanes, n):
    """--writers: n statements split into n_lanes lists that commute with each other (each lane
    touches only keys k with k % n_lanes == lane, besides appending to ev and lg), so running
    the lanes concurrently must give the state of running them one after the other."""
    r = gen.rng
    lanes = [[] for _ in range(n_lanes)]
    for _ in range(n):
        lane = r.randrange(n_lanes)
        op = r.choices(["ins", "upd", "del", "ev", "lg", "copy"], [5, 5, 3, 2, 1, 1])[0]
        table = r.choice(["t1", "t1", "t2"])
        mine = sorted(k for k in gen.live[table] if k % n_lanes == lane)
        if op == "ins":
            keys = []
            for _ in range(r.randint(1, 3)):
                k = gen.next_id[table]
                while k % n_lanes != lane:
                    k += 1
                gen.next_id[table] = k + 1
                gen.live[table].add(k)
                keys.append(k)
            rows = ", ".join("(" + ", ".join(lit(v) for v in gen.row(table, k)) + ")" for k in keys)
            lanes[lane].append((f"INSERT INTO {table} VALUES {rows}", None))
        elif op == "upd" and mine:
            k = r.choice(mine)
            sets = "a = a + 1, g = " + lit(gen.g()) if table == "t1" else "x = " + lit(gen.small())
            lanes[lane].append((f"UPDATE {table} SET {sets} WHERE id = {k}", None))
        elif op == "del" and mine:
            k = r.choice(mine)
            gen.kill_key(table, k)
            lanes[lane].append((f"DELETE FROM {table} WHERE id = {k}", None))
        elif op == "ev":
            lanes[lane].append((gen.insert("ev", r.randint(1, 4)), None))
        elif op == "lg":
            lanes[lane].append((gen.insert("lg", r.randint(1, 3)), None))
        elif op == "copy":
            lanes[lane].append(gen.copy("ev", r.randint(1, 5)))
    return lanes


# ---- the run --------------------------------------------------------------------------------

def deps_of(sql, names):
    return {w for w in re.findall(r"[a-z_][a-z0-9_]*", sql) if w in names}


def multiset_diff(a, b):
    ca, cb = Counter(a), Counter(b)
    return list((ca - cb).elements()), list((cb - ca).elements())


def fmt_row(row):
    return "(" + ", ".join("NULL" if v is None else repr(v) for v in row) + ")"


class Runner:
    def __init__(self, args):
        self.a = args
        self.rng = random.Random(args.seed)
        self.passed = 0
        self.failed = 0
        self.failures = []      # one line per failing test, for the summary
        self.notes = []
        self.random_views = random_views(args.seed, args.random_views)
        allviews = VIEWS + self.random_views
        self.view_sql = dict(allviews)
        self.order = [n for n, _ in allviews]
        names = set(self.order)
        self.deps = {n: deps_of(s, names) - {n} for n, s in allviews}
        seen = set()
        for n in self.order:    # views.py invariant 2: a view names only views listed before it
            if self.deps[n] - seen:
                raise SystemExit(f"ivm: view {n} is built on {sorted(self.deps[n] - seen)}, listed after it")
            if n in seen:
                raise SystemExit(f"ivm: two views named {n}")
            seen.add(n)
        self.unsupported = self.load_unsupported(args.unsupported)
        self.rv = None
        self.tgt = None
        self.last_sql = None
        self.trace = open(args.trace, "w") if args.trace else None
        self.dbs = []
        self.tgt_db = None
        self.batch = -1

    def load_unsupported(self, path):
        out = {}
        if not path or not os.path.exists(path):
            return out
        with open(path) as f:
            for line in f:
                line = line.split("#", 1)[0].strip()
                if line:
                    name, _, reason = line.partition(" ")
                    out[name] = reason.strip()
        return out

    def log(self, msg):
        if self.a.verbose:
            print(msg, flush=True)

    def replay_cmd(self, view=None):
        a = self.a
        cmd = f"tests/ivm/run.sh --seed {a.seed} --batches {a.batches} --rows-per-batch {a.rows_per_batch}"
        if a.kill:
            cmd += " --kill"
        if a.writers > 1:
            cmd += f" --writers {a.writers}"
        if a.random_views != 40:
            cmd += f" --random-views {a.random_views}"
        if view:
            cmd += f" --only {view}"
        return cmd

    def fail(self, test, what, sql=None, only_t=None, only_o=None):
        self.failed += 1
        self.failures.append(test)
        print(f"FAIL {test} (seed {self.a.seed}, batch {self.batch}{', kill' if self.a.kill else ''}): {what}",
              flush=True)
        if sql:
            print(f"  sql: {sql}")
        for label, rows in (("only in target", only_t), ("only in postgres", only_o)):
            if rows:
                print(f"  {label} ({len(rows)} rows):")
                for row in sorted(rows, key=lambda r: tuple("" if v is None else v for v in r))[:10]:
                    print(f"    {fmt_row(row)}")
        print(f"  replay: {self.replay_cmd(test if test in self.view_sql else None)}", flush=True)

    # -- connections --

    def connect_target(self):
        a = self.a
        if a.target_pg:
            if not self.tgt_db:
                self.tgt_db = self.private_db(a.target_pg)
            self.tgt = Conn(a.target_pg, self.tgt_db, a.timeout)
        elif a.build:
            self.tgt = Conn(self.rv_addr, "postgres", a.timeout)
        else:
            self.tgt = Conn(a.rv, "postgres", a.timeout)

    def restart_rivulet(self, why):
        self.log(f"-- SIGKILL rivulet ({why}) and restart")
        if self.trace:
            self.trace.write(f"-- SIGKILL and restart here ({why})\n")
        if self.tgt:
            self.tgt.close()
        self.rv.kill()
        self.rv_addr = self.rv.start()
        self.connect_target()

    def tgt_run(self, sql, copy_data=None):
        self.last_sql = sql
        if self.trace:
            self.trace.write(f"{sql};\n" + (f"{copy_data}\\.\n" if copy_data is not None else ""))
            self.trace.flush()
        return self.tgt.run(sql, copy_data)

    # -- the schedule --

    def schedule(self, views):
        """create_at[v] (batch before whose DML it is created), drop[v] = (dropped after batch,
        re-created before batch) for some. Each view's draws come from its own generator seeded
        by (seed, name): adding views to views.py changes neither the data stream nor the other
        views' schedule, so a recorded seed keeps replaying the same run."""
        last = max(0, self.a.batches - 1)
        create_at, drop = {}, {}
        for v in self.order:
            r = random.Random(f"{self.a.seed}:{v}")
            create_at[v] = min(last, r.choices([0, 1, 2], [5, 3, 2])[0])
        for v in self.order:    # dependencies first (views.py lists them first)
            for d in self.deps[v]:
                create_at[v] = max(create_at[v], create_at[d])
        has_dependents = {d for v in self.order for d in self.deps[v]}
        for v in self.order:
            r = random.Random(f"{self.a.seed}:{v}:drop")
            if v not in has_dependents and create_at[v] < last and r.random() < 0.12:
                at = r.randint(create_at[v], last - 1)
                drop[v] = (at, r.randint(at + 1, last))
        only = set(views)
        return ({v: c for v, c in create_at.items() if v in only},
                {v: d for v, d in drop.items() if v in only})

    def closure(self, names):
        out = set()
        todo = list(names)
        while todo:
            v = todo.pop()
            if v in out:
                continue
            if v not in self.view_sql:
                raise SystemExit(f"ivm: no view {v}")
            out.add(v)
            todo += list(self.deps[v])
        return [v for v in self.order if v in out]

    # -- views --

    def create_view(self, v):
        """Creates v on both sides. Returns True when it exists on both afterwards."""
        sql = self.view_sql[v]
        if v in self.dead_views or v in self.unsup:
            return False        # failed (or was unsupported) once already
        if any(d not in self.live for d in self.deps[v]):
            missing = ", ".join(sorted(d for d in self.deps[v] if d not in self.live))
            self.log(f"-- skip {v}: built on {missing}, which could not be created")
            self.skipped.add(v)
            return False
        try:
            self.pg.run(f"CREATE VIEW {v} AS {sql}")
        except SqlError as e:
            self.fail(v, f"harness: the oracle rejects the view: {e}", sql)
            self.dead_views.add(v)
            return False
        try:
            self.tgt_run(f"CREATE MATERIALIZED VIEW {v} AS {sql}")
        except SqlError as e:
            self.pg.run(f"DROP VIEW {v}")
            if e.sqlstate == "0A000" and v.startswith("rnd_"):
                self.unsup[v] = e.message
                self.log(f"-- {v}: unsupported (random view, not counted): {e.message}")
                return False
            if e.sqlstate == "0A000":
                self.unsup[v] = e.message
                print(f"UNSUPPORTED {v} {e.message}")
                if v not in self.unsupported:
                    self.fail(v, f"CREATE MATERIALIZED VIEW failed with 0A000 ({e.message}) and the view is "
                              "not in tests/ivm/unsupported.txt", sql)
                    self.dead_views.add(v)
                else:
                    self.log(f"-- {v}: unsupported (expected): {e.message}")
                return False
            self.fail(v, f"CREATE MATERIALIZED VIEW failed: {e}", sql)
            self.dead_views.add(v)
            return False
        self.log(f"-- created {v}")
        self.live.add(v)
        self.ever_created.add(v)
        return True

    def drop_view(self, v):
        if v not in self.live:
            return
        self.pg.run(f"DROP VIEW {v}")
        self.live.discard(v)
        try:
            self.tgt_run(f"DROP MATERIALIZED VIEW {v}")
            self.log(f"-- dropped {v}")
        except SqlError as e:
            self.fail(v, f"DROP MATERIALIZED VIEW failed: {e}", self.view_sql[v])
            self.dead_views.add(v)

    def flush(self):
        if self.a.target_pg:
            for v in self.order:
                if v in self.live and v not in self.a.break_views:
                    self.tgt_run(f"REFRESH MATERIALIZED VIEW {v}")
        else:
            self.tgt_run("FLUSH")

    def compare(self, test, sql_t, sql_o, shown_sql):
        try:
            ro = self.pg.run(sql_o)
        except SqlError as e:
            self.fail(test, f"harness: the oracle fails: {e}", shown_sql)
            return False
        try:
            rt = self.tgt_run(sql_t)
        except SqlError as e:
            self.fail(test, f"SELECT failed on the target: {e}", shown_sql)
            return False
        if rt.names != ro.names or rt.oids != ro.oids:
            self.fail(test, f"columns differ: target {list(zip(rt.names, rt.oids))}, "
                      f"postgres {list(zip(ro.names, ro.oids))}", shown_sql)
            return False
        only_t, only_o = multiset_diff(rt.rows, ro.rows)
        if only_t or only_o:
            self.fail(test, f"rows differ (target {len(rt.rows)} rows, postgres {len(ro.rows)})",
                      shown_sql, only_t, only_o)
            return False
        return True

    def check_views(self, views):
        for v in views:
            if v in self.live and v not in self.dead_views:
                if not self.compare(v, f"SELECT * FROM {v}", f"SELECT * FROM {v}", self.view_sql[v]):
                    self.dead_views.add(v)

    def check_tables(self):
        for t, _, _ in TABLES:
            test = f"table:{t}"
            if test in self.dead_tests:
                continue
            if not self.compare(test, f"SELECT * FROM {t}", f"SELECT * FROM {t}", f"SELECT * FROM {t}"):
                self.dead_tests.add(test)

    # -- DML --

    def run_dml(self, stmts, kill_after=None):
        in_txn = stale = False
        for i, (sql, data, tracked) in enumerate(stmts):
            if kill_after is not None and i >= kill_after and not in_txn:
                self.restart_rivulet(f"in batch {self.batch}, after {i} statements")
                kill_after = None
            self.log(sql if data is None else f"{sql}  -- {data.count(chr(10))} rows")
            try:
                ro = self.pg.run(sql, data)
                oerr = None
            except SqlError as e:
                ro, oerr = None, e
            try:
                rt = self.tgt_run(sql, data)
                terr = None
            except SqlError as e:
                rt, terr = None, e
            if "dml" not in self.dead_tests:
                if oerr and not terr or terr and not oerr or (oerr and oerr.sqlstate != terr.sqlstate):
                    self.fail("dml", f"outcome differs: target {terr or rt.tag}, postgres {oerr or ro.tag}", sql)
                    self.dead_tests.add("dml")
                elif ro and rt and ro.tag != rt.tag:
                    self.fail("dml", f"command tag differs: target {rt.tag!r}, postgres {ro.tag!r}", sql)
                    self.dead_tests.add("dml")
            if sql == "BEGIN":
                in_txn = True
            elif sql in ("COMMIT", "ROLLBACK"):
                in_txn = False
            if not tracked or oerr:
                stale = True
            if stale and not in_txn:
                self.reload_keys()
                stale = False

    def run_lanes(self, lanes):
        """Runs each lane on a connection of its own, all at once, on the target; then the lanes
        one after the other on the oracle. Every statement must succeed on both."""
        addr = self.a.target_pg or (self.rv_addr if self.rv else self.a.rv)
        db = self.tgt_db if self.a.target_pg else "postgres"
        conns = [Conn(addr, db, self.a.timeout) for _ in lanes]
        errors = []

        def work(conn, lane):
            for sql, data in lane:
                try:
                    conn.run(sql, data)
                except (SqlError, Lost) as e:
                    errors.append((sql, e))
                    return

        threads = [threading.Thread(target=work, args=(c, lane)) for c, lane in zip(conns, lanes)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for c in conns:
            c.close()
        for lane in lanes:
            for sql, data in lane:
                self.log(f"{sql}  -- concurrent" if data is None else f"{sql}  -- concurrent, copy")
                if self.trace:
                    self.trace.write(f"{sql};\n" + (f"{data}\\.\n" if data is not None else ""))
                self.pg.run(sql, data)
        if errors and "dml" not in self.dead_tests:
            sql, e = errors[0]
            self.fail("dml", f"a concurrent writer failed on the target: {e}", sql)
            self.dead_tests.add("dml")

    def reload_keys(self):
        g = self.gen
        for t, col in KEYCOL.items():
            live = {int(r[0]) for r in self.pg.run(f"SELECT {col} FROM {t}").rows}
            g.dead[t] |= g.live[t] - live
            g.dead[t] -= live
            g.live[t] = live

    # -- main loop --

    def private_db(self, hostport):
        """Creates a database of its own for this run (runs may share a PostgreSQL); returns its name."""
        name = f"ivm_{os.getpid()}"
        c = Conn(hostport, "regression", self.a.timeout)
        try:
            c.run(f"DROP DATABASE IF EXISTS {name}")
            c.run(f"CREATE DATABASE {name} TEMPLATE template0")
        finally:
            c.close()
        self.dbs.append((hostport, name))
        return name

    def drop_dbs(self):
        for conn in (self.pg, self.tgt if self.a.target_pg else None):
            if conn:
                conn.close()
        for hostport, name in self.dbs:
            try:
                c = Conn(hostport, "regression", self.a.timeout)
                c.run(f"DROP DATABASE IF EXISTS {name}")
                c.close()
            except (SqlError, Lost):
                pass
        self.dbs = []

    def setup(self):
        a = self.a
        self.pg = Conn(a.pg, self.private_db(a.pg), a.timeout)
        if a.build:
            self.workdir = tempfile.mkdtemp(prefix="rivulet-ivm.")
            self.rv = Rivulet(a.build, self.workdir)
            self.rv_addr = self.rv.start()
        self.connect_target()
        for t, cols, kind in TABLES:
            self.pg.run(f"CREATE TABLE {t} ({cols})")
            suffix = " APPEND ONLY" if kind == "append" and not a.target_pg else ""
            self.tgt_run(f"CREATE TABLE {t} ({cols}){suffix}")

    def run(self):
        a = self.a
        views = self.closure(a.only.split(",")) if a.only else list(self.order)
        if a.exclude:
            gone = set(a.exclude.split(","))
            gone |= {v for v in self.order if self.deps[v] & gone}
            gone |= {v for v in self.order if self.deps[v] & gone}
            views = [v for v in views if v not in gone]
        create_at, drop = self.schedule(views)
        self.gen = Gen(self.rng, self.a.rollback)
        self.live, self.ever_created, self.skipped = set(), set(), set()
        self.dead_views, self.dead_tests, self.unsup = set(), set(), {}
        self.setup()
        kill_rng = random.Random(a.seed * 7919 + 1)
        for b in range(a.batches):
            self.batch = b
            self.log(f"-- batch {b}")
            if self.trace:
                self.trace.write(f"-- batch {b}\n")
            new = [v for v in views if create_at[v] == b or (v in drop and drop[v][1] == b)]
            for v in new:
                self.create_view(v)
            if b > 0 and new:
                # Views created over existing data: compared before any further write (with
                # --kill, sometimes after a SIGKILL right after the CREATEs).
                if a.kill and self.rv and kill_rng.random() < 0.3:
                    self.restart_rivulet(f"right after creating {len(new)} views before batch {b}")
                self.flush()
                self.check_views(new)
            stmts = make_batch(self.gen, b, a.rows_per_batch)
            kill_after = None
            if a.kill and self.rv and kill_rng.random() < 0.4:
                kill_after = kill_rng.randint(1, a.rows_per_batch)     # mid-batch, between statements
            self.run_dml(stmts, kill_after)
            if a.writers > 1 and b > 0:
                self.run_lanes(make_lanes(self.gen, a.writers, a.rows_per_batch))
            when = kill_rng.choice(["before FLUSH", "after FLUSH"]) if a.kill and self.rv else None
            if when == "before FLUSH":
                self.restart_rivulet(f"after batch {b}, before FLUSH")
            self.flush()
            if when == "after FLUSH":
                self.restart_rivulet(f"after batch {b}, after FLUSH")
                self.flush()
            self.check_tables()
            self.check_views(views)
            for v in views:
                if v in drop and drop[v][0] == b:
                    self.drop_view(v)
        return self.finish(views)

    def judge_self_test(self, views):
        """--break: the stale views must all fail, and nothing else but views built on them."""
        tainted = set(self.a.break_views)
        for v in self.order:
            if self.deps[v] & tainted:
                tainted.add(v)
        failed = set(self.failures)
        missed = sorted(v for v in self.a.break_views if v in views and v not in failed)
        extra = sorted(failed - tainted)
        if missed or extra:
            print(f"FAIL self-test: stale views not caught: {missed or 'none'}; "
                  f"unexpected failures: {extra or 'none'}")
            self.passed, self.failed = 0, 1
        else:
            print(f"self-test: the {len(self.a.break_views)} stale views were caught "
                  f"({len(failed)} failures, all on stale views or views over them)")
            self.passed, self.failed, self.failures = self.passed + self.failed, 0, []

    def finish(self, views):
        a = self.a
        for v in views:
            if v in self.dead_views:
                continue        # counted as a failure already
            if v in self.unsup:
                if v in self.unsupported:
                    self.passed += 1
                continue
            if v in self.skipped:
                continue
            if v in self.ever_created:
                self.passed += 1
                if v in self.unsupported:
                    self.notes.append(f"now supported: remove {v} from tests/ivm/unsupported.txt")
        for test in ["dml"] + [f"table:{t}" for t, _, _ in TABLES]:
            if test not in self.dead_tests:
                self.passed += 1
        if self.rv:
            if not self.rv.alive():
                self.fail("server", "rivulet died during the run:\n" + self.rv.log_tail(30))
            else:
                self.tgt.close()
                rc = self.rv.stop()
                if rc != 0:
                    self.fail("server", f"rivulet exited with status {rc} at SIGTERM (clean shutdown is 0):\n"
                              + self.rv.log_tail(20))
            report = self.rv.sanitizer_report()
            if report:
                self.fail("server", f"sanitizer report in the rivulet log:\n{report}")
            shutil.rmtree(self.workdir, ignore_errors=True)
        self.drop_dbs()
        if a.break_views:
            self.judge_self_test(views)
        for n in self.notes:
            print(n)
        rnd_unsup = len([v for v in self.unsup if v.startswith("rnd_")])
        print(f"ivm: seed {a.seed}{' --kill' if a.kill else ''}: {len(views)} views "
              f"({len(self.random_views)} random), {len(self.ever_created)} created, "
              f"{len([v for v in self.unsup if v in self.unsupported])} unsupported (listed), "
              f"{rnd_unsup} random ones unsupported, {len(self.skipped)} skipped (built on an unsupported view)")
        if self.failures:
            more = f" ... ({len(self.failures)} in all)" if len(self.failures) > 25 else ""
            print(f"ivm: seed {a.seed} failed: {' '.join(self.failures[:25])}{more}")
            print(f"ivm: replay with: {self.replay_cmd()}")
        print(f"{self.passed} passed, {self.failed} failed", flush=True)
        return self.failed == 0


def main():
    # SIGTERM (run.sh interrupted) exits through atexit, which SIGKILLs our Rivulet.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--pg", required=True, help="the PostgreSQL 15 oracle, HOST:PORT")
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--build", help="start BUILD/server/rivulet")
    g.add_argument("--rv", help="a running Rivulet, HOST:PORT")
    g.add_argument("--target-pg", help="a second PostgreSQL as the target, HOST:PORT")
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--batches", type=int, default=4)
    p.add_argument("--rows-per-batch", type=int, default=20)
    p.add_argument("--kill", action="store_true")
    p.add_argument("--writers", type=int, default=1,
                   help="also run, in every batch after the first, as many statements again on this "
                        "many connections at once (writes that commute)")
    p.add_argument("--rollback", action="store_true",
                   help="also roll some transactions back (Rivulet applies writes at once even inside "
                        "BEGIN ... ROLLBACK: docs/architecture.md, a known divergence)")
    p.add_argument("--random-views", type=int, default=40,
                   help="also this many views composed at random from the seed (rnd_0, rnd_1, ...)")
    p.add_argument("--trace", default=None,
                   help="write every statement sent to the target to this file (a psql script)")
    p.add_argument("--only", default=None)
    p.add_argument("--exclude", default=None, help="leave these views (and views over them) out")
    p.add_argument("--verbose", action="store_true")
    p.add_argument("--timeout", type=float, default=30)
    p.add_argument("--unsupported", default=os.path.join(HERE, "unsupported.txt"))
    p.add_argument("--break", dest="break_views", default="",
                   help="with --target-pg: never REFRESH these views (proves the suite can fail)")
    a = p.parse_args()
    if a.seed is None:
        a.seed = random.SystemRandom().randint(1, 10**6)
    if a.kill and not a.build:
        p.error("--kill needs --build (the script must start Rivulet itself)")
    if a.target_pg:
        a.unsupported = None
    a.break_views = set(filter(None, a.break_views.split(",")))
    print(f"ivm: seed {a.seed}, {a.batches} batches of {a.rows_per_batch} statements"
          f"{', SIGKILL between batches' if a.kill else ''}", flush=True)
    r = Runner(a)
    try:
        ok = r.run()
    except (Lost, RuntimeError) as e:
        r.drop_dbs()
        what = f"lost the server during: {r.last_sql}\n  {e}"
        if r.rv:
            try:
                r.rv.proc.wait(timeout=3)
            except subprocess.TimeoutExpired:
                pass
            if r.rv.proc and r.rv.proc.poll() is not None:
                what += f"\n  rivulet exited with status {r.rv.proc.returncode}"
            what += f"\n  its log ({r.rv.logpath}, kept):\n" + r.rv.log_tail(40, skip=" INFO: ")
        r.fail("server", what)
        print(f"ivm: seed {a.seed} failed; replay with: {r.replay_cmd()}")
        print(f"{r.passed} passed, {r.failed} failed", flush=True)
        ok = False
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
