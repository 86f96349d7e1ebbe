#!/usr/bin/python3
"""tests/crash/crash_pk.py — SIGKILL the server while clients INSERT, UPDATE, DELETE and
INSERT ... ON CONFLICT into a table with a PRIMARY KEY, restart it on the same data directory,
and check the contract of stream/engine_pk.c: acknowledged writes survive (the log is the
durable ingest path; recovery replays what the last committed epoch had not applied, exactly
once), unacknowledged ones are all or nothing, and keys stay unique.

Each of 6 client threads owns a key range and keeps a model of its keys as acknowledged; the
one statement in flight when the server died may or may not have happened. After each restart
every thread's keys must equal its model, or its model with the in-flight statement applied.
The checkpoint interval is drawn per round (10 ms .. 300 ms), so kills land before, during and
after epochs. Also: a duplicate INSERT must fail with 23505 before and after the restart, and
SELECT count(*) = count(DISTINCT k).

Usage: crash_pk.py [--seed N] [--kills N] BUILDDIR (RIVULET_CRASH_SEED, RIVULET_CRASH_KILLS).
Prints "N passed, N failed" last; exit status 1 on any failure.
"""
import argparse
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
print(f"crash_pk: seed {args.seed}", flush=True)
rng = random.Random(args.seed)
binary = os.path.join(args.build, "server", "rivulet")
passed = failed = 0
NTHREADS, KEYS = 6, 40


def start(datadir, port, interval):
    return start_server(binary, datadir, port, interval)


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAIL: {what}", flush=True)


def apply(model, op):
    kind, k, v = op
    if kind == "insert" and k not in model:
        model[k] = v
    elif kind == "update" and k in model:
        model[k] = v
    elif kind == "delete":
        model.pop(k, None)
    elif kind == "upsert":
        model[k] = v if k not in model else model[k] + v


class Writer(threading.Thread):
    def __init__(self, idx, port, model, seed):
        super().__init__(daemon=True)
        self.idx, self.port, self.model = idx, port, model
        self.rng = random.Random(seed)
        self.inflight = None
        self.stop = False

    def run(self):
        try:
            conn = connect(self.port)
            seq = 0
            while not self.stop:
                seq += 1
                k = self.idx * 1000 + self.rng.randrange(KEYS)
                kind = self.rng.choice(["insert", "insert", "update", "delete", "upsert"])
                op = (kind, k, seq)
                self.inflight = op
                if kind == "insert":
                    try:
                        conn.execute("INSERT INTO kv VALUES (%s, %s)", (k, seq))
                        if k in self.model:
                            check(False, f"duplicate INSERT of {k} was accepted")
                    except psycopg.errors.UniqueViolation:
                        check(k in self.model, f"23505 for key {k} not in the model")
                        self.inflight = None
                        continue
                elif kind == "update":
                    conn.execute("UPDATE kv SET v = %s WHERE k = %s", (seq, k))
                elif kind == "delete":
                    conn.execute("DELETE FROM kv WHERE k = %s", (k,))
                else:
                    conn.execute("INSERT INTO kv VALUES (%s, %s) ON CONFLICT (k) "
                                 "DO UPDATE SET v = kv.v + excluded.v", (k, seq))
                apply(self.model, op)
                self.inflight = None
        except (psycopg.OperationalError, psycopg.InterfaceError):
            pass  # the server was killed


def verify(port, models, inflight):
    conn = connect(port)
    rows = conn.execute("SELECT k, v FROM kv").fetchall()
    n, nd = conn.execute("SELECT count(*), count(DISTINCT k) FROM kv").fetchone()
    check(n == nd, f"keys not unique: {n} rows, {nd} distinct")
    seen = {}
    for k, v in rows:
        seen.setdefault(k // 1000, {})[k] = v
    for i in range(NTHREADS):
        got = seen.get(i, {})
        want = models[i]
        alt = dict(want)
        if inflight[i] is not None:
            apply(alt, inflight[i])
        ok = got == want or got == alt
        check(ok, f"thread {i}: state {sorted(got.items())[:8]}... is neither the acknowledged "
                  f"model nor the model plus {inflight[i]}")
        if ok:
            models[i] = dict(got)
    # a key that is present must still be refused
    if rows:
        k = rows[0][0]
        try:
            conn.execute("INSERT INTO kv VALUES (%s, 0)", (k,))
            check(False, f"duplicate of {k} accepted after restart")
        except psycopg.errors.UniqueViolation:
            check(True, "")
    conn.close()


def main():
    tmp = tempfile.mkdtemp(prefix="rv-crash-pk-")
    datadir = os.path.join(tmp, "data")
    port = free_port()
    p = start(datadir, port, 100)
    with connect(port) as c:
        c.execute("CREATE TABLE kv (k int PRIMARY KEY, v bigint)")
    models = [dict() for _ in range(NTHREADS)]
    try:
        for rnd in range(args.kills):
            interval = rng.randrange(10, 300)
            if rnd > 0:
                p = start(datadir, port, interval)
                verify(port, models, inflight)
            writers = [Writer(i, port, models[i], rng.randrange(1 << 30)) for i in range(NTHREADS)]
            for w in writers:
                w.start()
            time.sleep(rng.uniform(0.2, 1.5))
            p.send_signal(signal.SIGKILL)
            p.wait()
            for w in writers:
                w.stop = True
                w.join(10)
            inflight = [w.inflight for w in writers]
        p = start(datadir, port, 50)
        verify(port, models, inflight)
        # a clean stop and start: nothing changes
        p.send_signal(signal.SIGTERM)
        p.wait(30)
        p = start(datadir, port, 50)
        verify(port, models, [None] * NTHREADS)
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
