#!/usr/bin/python3
"""tests/crash/crash_restart.py — SIGKILL the server while clients INSERT, restart it on the
same data directory, and check the durability contract of stream/engine.h and storage/log.h:

  * every INSERT that was acknowledged (CommandComplete reached the client) is present after
    the restart, exactly once;
  * an INSERT that was not acknowledged is present entirely or not at all (each multi-row
    INSERT carries its own batch id; a batch is never half there);
  * nothing appears that no client sent.

Each round: start, 8 clients insert 1-row and 5-row statements as fast as they can, SIGKILL
after a random 0.1-0.5 s, restart, check. CRASH_KILLS rounds (default 20); CRASH_SEED seeds
the delays. A last round garbles the tail of a log segment before the restart and checks that
start-up cuts it off without losing an acknowledged row.

Usage: crash_restart.py BUILDDIR. Prints "N passed, N failed".
"""
import glob
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

import psycopg

BUILD = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build")
KILLS = int(os.environ.get("CRASH_KILLS", "20"))
rng = random.Random(int(os.environ.get("CRASH_SEED", "11")))
workdir = tempfile.mkdtemp(prefix="rivulet-crash.")
datadir = os.path.join(workdir, "data")
passed = failed = 0


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self):
        self.port = free_port()
        self.log = open(os.path.join(workdir, "rivulet.log"), "a")
        self.proc = subprocess.Popen(
            [os.path.join(BUILD, "server", "rivulet"), "--port", str(self.port),
             "--listen", "127.0.0.1", "--data-dir", datadir],
            stdout=self.log, stderr=subprocess.STDOUT)
        for _ in range(200):
            if self.proc.poll() is not None:
                raise RuntimeError("rivulet exited at start-up, see " + self.log.name)
            try:
                psycopg.connect(self.dsn(), connect_timeout=2).close()
                return
            except psycopg.OperationalError:
                time.sleep(0.05)
        raise RuntimeError("rivulet did not start")

    def dsn(self):
        return f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres"

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self.log.close()

    def stop(self):
        self.proc.terminate()
        rc = self.proc.wait(timeout=20)
        self.log.close()
        return rc


acked = set()        # (batch, row) acknowledged
sent_batches = {}    # batch -> number of rows sent
lock = threading.Lock()
next_batch = [0]


def client(dsn, stop):
    try:
        conn = psycopg.connect(dsn, autocommit=True)
    except psycopg.Error:
        return
    while not stop.is_set():
        with lock:
            next_batch[0] += 1
            batch = next_batch[0]
        n = 5 if batch % 2 else 1
        with lock:
            sent_batches[batch] = n
        values = ", ".join(f"({batch}, {r}, 'payload {batch}/{r}')" for r in range(n))
        try:
            conn.execute(f"INSERT INTO crash VALUES {values}")
        except psycopg.Error:
            return  # the server died: this batch is unacknowledged
        with lock:
            acked.update((batch, r) for r in range(n))


def check(server, what):
    global passed, failed
    with psycopg.connect(server.dsn(), autocommit=True) as conn:
        rows = conn.execute("SELECT batch, r, note FROM crash").fetchall()
    seen = {}
    problems = []
    for batch, r, note in rows:
        seen[(batch, r)] = seen.get((batch, r), 0) + 1
        if note != f"payload {batch}/{r}":
            problems.append(f"row {batch}/{r} has note {note!r}")
    dup = [k for k, c in seen.items() if c > 1]
    lost = [k for k in acked if k not in seen]
    unknown = [k for k in seen if k[0] not in sent_batches]
    per_batch = {}
    for batch, _ in seen:
        per_batch[batch] = per_batch.get(batch, 0) + 1
    partial = [b for b, c in per_batch.items() if b in sent_batches and c != sent_batches[b]]
    for label, items in (("duplicated", dup), ("lost acknowledged", lost),
                         ("never sent", unknown), ("partial batches", partial)):
        if items:
            problems.append(f"{len(items)} {label}: {sorted(items)[:5]}")
    if problems:
        failed += 1
        print(f"FAIL {what}: " + "; ".join(problems))
    else:
        passed += 1
        print(f"ok   {what}: {len(rows)} rows, {len(acked)} acknowledged")


def crash_round(i):
    server = Server()
    stop = threading.Event()
    threads = [threading.Thread(target=client, args=(server.dsn(), stop)) for _ in range(8)]
    for t in threads:
        t.start()
    time.sleep(rng.uniform(0.1, 0.5))
    server.kill()
    stop.set()
    for t in threads:
        t.join()
    server = Server()
    check(server, f"kill {i + 1}")
    return server


def garble_round():
    segs = sorted(glob.glob(os.path.join(datadir, "log", "*", "*.seg")))
    with open(segs[-1], "ab") as f:
        f.write(bytes(rng.randrange(256) for _ in range(rng.randrange(1, 200))))
    server = Server()
    check(server, "garbled log tail")
    return server


def main():
    global failed
    try:
        server = Server()
        with psycopg.connect(server.dsn(), autocommit=True) as conn:
            conn.execute("CREATE TABLE crash (batch int NOT NULL, r int NOT NULL, note text)")
        server.stop()
        for i in range(KILLS):
            crash_round(i).stop()
        server = garble_round()
        if server.stop() != 0:
            failed += 1
            print("FAIL clean shutdown after the last round")
        log = open(os.path.join(workdir, "rivulet.log"), errors="replace").read()
        if "Sanitizer" in log or "runtime error:" in log:
            failed += 1
            print("FAIL sanitizer report in the server log")
    except Exception as e:  # a harness failure counts once
        failed += 1
        print(f"FAIL {type(e).__name__}: {e}")
        log = os.path.join(workdir, "rivulet.log")
        if os.path.exists(log):
            print("".join(open(log).readlines()[-20:]))
    print(f"{passed} passed, {failed} failed")
    if failed == 0:
        shutil.rmtree(workdir, ignore_errors=True)
    else:
        print(f"kept {workdir}")
    sys.exit(1 if failed else 0)


main()
