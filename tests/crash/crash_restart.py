#!/usr/bin/python3
"""tests/crash/crash_restart.py — SIGKILL the server while clients write, restart it on the
same data directory, and check the durability contract of stream/engine.h and storage/log.h.

Kill rounds (RIVULET_CRASH_KILLS or --kills, default 20): 8 client threads write rows that
identify themselves — (client, seq, r, n, kind, payload, sum): statement seq of client wrote
row r of n, sum is a CRC32 of all the other fields — as single-row INSERTs, multi-row INSERTs
(literal and with parameters), INSERT ... SELECT over generate_series, rare INSERTs of more
than 1 MiB (the log splits them into several batches flagged MORE) and COPY FROM STDIN when
the server has it (probed once; skipped with a note if it answers 0A000). A DDL thread creates,
fills and drops small tables at the same time. The server is SIGKILLed after a seeded random
delay; sometimes the restart is itself killed during recovery. After each restart:

  * acknowledged ⊆ present: every statement that got CommandComplete is there, every row once;
  * present ⊆ attempted, checksums intact, no duplicates;
  * all or nothing: a statement is either entirely there or not at all;
  * once seen after a restart, a statement stays (recovery made it durable);
  * tables: an acknowledged CREATE (not dropped since) exists, an acknowledged DROP does not,
    every table answers SELECT, and log/ holds exactly one directory per table.

Corruption rounds (on a stopped server, each on a fresh copy of the data directory; the batch
format is docs/storage-log.md): cut the active segment at random byte positions, flip bytes in
its last batch, append garbage, append a well-formed header whose body is missing, append one
whose header CRC is right but whose offsets are impossible; then seal the segment (a new empty
active segment after it) and flip a header byte in it, cut it, flip a body byte in it, and leave
a gap in the segment names. A torn tail must be cut back to the last whole append with a WARNING
naming the byte and the number of bytes dropped, every row before it intact, and the repaired
log must take a new row that survives another restart; damage that a
crash cannot explain must make start-up fail with exit status 1 and a message naming the file
and byte, never a signal. If the server keeps LMDB state (<data-dir>/state/data.mdb), the same
refusal-or-recovery rule is checked for a truncated data.mdb and a garbled meta page (a
data.mdb cut below its last page still dies of SIGBUS: reported as XFAIL, see lmdb_rounds).

Usage: crash_restart.py [--seed N] [--kills N] BUILDDIR. The seed (default: random; also
RIVULET_CRASH_SEED) drives the kill delays, statement mix and damage positions and is printed
first; thread timing is not replayable (the damage base is written by threads too), so a
replay repeats the choices, not the exact bytes. Prints "N passed, N failed" last.
"""
import argparse
import atexit
import glob
import hashlib
import os
import random
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zlib

import psycopg

ap = argparse.ArgumentParser()
ap.add_argument("build", nargs="?", default="build")
ap.add_argument("--seed", type=int,
                default=int(os.environ.get("RIVULET_CRASH_SEED") or os.environ.get("CRASH_SEED")
                            or random.SystemRandom().randrange(1, 10**9)))
ap.add_argument("--kills", type=int,
                default=int(os.environ.get("RIVULET_CRASH_KILLS")
                            or os.environ.get("CRASH_KILLS") or 20))
args = ap.parse_args()
BUILD = os.path.abspath(args.build)
SEED = args.seed
rng = random.Random(SEED)
workdir = tempfile.mkdtemp(prefix="rivulet-crash.")
datadir = os.path.join(workdir, "data")
serverlog = os.path.join(workdir, "rivulet.log")
passed = failed = 0


def ok(what):
    global passed
    passed += 1
    print(f"ok   {what}", flush=True)


def fail(what):
    global failed
    failed += 1
    print(f"FAIL {what}", flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


live = []  # every server process started, for the clean-up at exit


def kill_live():
    for p in live:
        if p.poll() is None:
            p.kill()
            p.wait()


atexit.register(kill_live)
signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))


class StartFailed(Exception):
    def __init__(self, rc, log):
        super().__init__(f"rivulet exited with status {rc} at start-up")
        self.rc, self.log = rc, log


class Server:
    """One rivulet process on ddir; its output goes to the shared log and self.out."""

    def __init__(self, ddir=None, wait=True):
        self.ddir = ddir or datadir
        self.port = free_port()
        self.start_pos = os.path.getsize(serverlog) if os.path.exists(serverlog) else 0
        self.log = open(serverlog, "a")
        self.proc = subprocess.Popen(
            [os.path.join(BUILD, "server", "rivulet"), "--port", str(self.port),
             "--listen", "127.0.0.1", "--data-dir", self.ddir],
            stdout=self.log, stderr=subprocess.STDOUT)
        live[:] = [p for p in live if p.poll() is None] + [self.proc]
        if not wait:
            return
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.proc.poll() is not None:
                self.log.close()
                raise StartFailed(self.proc.returncode, self.output())
            try:
                psycopg.connect(self.dsn(), connect_timeout=2).close()
                return
            except psycopg.OperationalError:
                time.sleep(0.02)
        raise RuntimeError("rivulet did not start within 30 s")

    def dsn(self):
        return f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres"

    def connect(self):
        return psycopg.connect(self.dsn(), autocommit=True)

    def output(self):
        """What this process wrote to the log."""
        if not self.log.closed:
            self.log.flush()
        with open(serverlog, errors="replace") as f:
            f.seek(self.start_pos)
            return f.read()

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self.log.close()

    def stop(self):
        self.proc.terminate()
        rc = self.proc.wait(timeout=30)
        self.log.close()
        return rc


# ---- the workload ---------------------------------------------------------------------------

lock = threading.Lock()
attempted = {}      # (client, seq) -> (n, kind)
acked = set()       # (client, seq) acknowledged
seen = set()        # (client, seq) present after some restart: must stay
harness_errors = []
next_client = [0]
big_budget = [0]    # statements of > 1 MiB still allowed this round (they make the log big)


def take_big():
    with lock:
        if big_budget[0] <= 0:
            return False
        big_budget[0] -= 1
        return True
copy_supported = [None]

ddl_state = {}      # table -> "created" | "dropped" | "unknown" (acknowledged facts only)
ddl_rows = {}       # table -> True when its INSERT was acknowledged
next_table = [0]


CREATE_CRASH = ("CREATE TABLE crash (client int NOT NULL, seq bigint NOT NULL, r int NOT NULL, "
                "n int NOT NULL, kind text NOT NULL, payload text, sum bigint NOT NULL)")


def row_sum(client, seq, r, n, kind, payload, digest=None):
    """The row's checksum: a CRC32 of its fields, the payload by its MD5 (so that a check
    can read md5(payload) instead of the payload itself)."""
    digest = digest or hashlib.md5(payload.encode()).hexdigest()
    return zlib.crc32(f"{client}/{seq}/{r}/{n}/{kind}/{digest}".encode())


def sql_str(s):
    return "'" + s.replace("'", "''") + "'"


def make_rows(crng, client, seq, n, kind, size):
    rows = []
    for r in range(n):
        payload = crng.randbytes(size // 2 + 1).hex()[:size]
        rows.append((client, seq, r, n, kind, payload, row_sum(client, seq, r, n, kind, payload)))
    return rows


def lost_connection(conn):
    return conn.closed or conn.broken


def one_statement(conn, crng, client, seq):
    """Sends one statement; returns normally only when it was acknowledged."""
    pick = crng.random()
    if pick < 0.02 and take_big():  # > 1 MiB raw: several log batches for one append
        n, kind, size = 140, "big", 8000
    elif pick < 0.10 and copy_supported[0]:
        n, kind, size = crng.randint(1, 50), "copy", crng.randint(0, 300)
    elif pick < 0.18:
        n, kind, size = crng.randint(1, 30), "series", 0
    elif pick < 0.45:
        n, kind, size = 1, "single", crng.randint(0, 200)
    elif pick < 0.70:
        n, kind, size = crng.randint(2, 20), "param", crng.randint(0, 300)
    else:
        n, kind, size = crng.randint(2, 40), "multi", crng.randint(0, 300)
    with lock:
        attempted[(client, seq)] = (n, kind)
    if kind == "series":
        # payload and sum are computed by the server: payload 's<client>.<seq>.<r>', sum -1
        conn.execute(
            f"INSERT INTO crash SELECT {client}, {seq}, g, {n}, 'series', "
            f"'s{client}.{seq}.' || g, -1 FROM generate_series(0, {n - 1}) AS g")
        return
    rows = make_rows(crng, client, seq, n, kind, size)
    if kind == "copy":
        with conn.cursor().copy("COPY crash FROM STDIN") as cp:
            for row in rows:
                cp.write_row(row)
    elif kind in ("param", "big"):
        ph = ", ".join(["(%s, %s, %s, %s, %s, %s, %s)"] * n)
        conn.execute(f"INSERT INTO crash VALUES {ph}", [v for row in rows for v in row])
    else:
        values = ", ".join(
            f"({c}, {s}, {r}, {nn}, '{k}', {sql_str(p)}, {h})" for c, s, r, nn, k, p, h in rows)
        conn.execute(f"INSERT INTO crash VALUES {values}")


def client_thread(dsn, stop, client):
    crng = random.Random(SEED * 1000003 + client)
    try:
        conn = psycopg.connect(dsn, autocommit=True)
    except psycopg.Error:
        return
    seq = 0
    while not stop.is_set():
        seq += 1
        try:
            one_statement(conn, crng, client, seq)
        except psycopg.Error as e:
            if not lost_connection(conn) and not isinstance(e, psycopg.OperationalError):
                with lock:
                    harness_errors.append(f"client {client} seq {seq}: {e.sqlstate} {e}")
            return  # the server died (or failed): this statement is unacknowledged
        with lock:
            acked.add((client, seq))


def ddl_thread(dsn, stop):
    try:
        conn = psycopg.connect(dsn, autocommit=True)
    except psycopg.Error:
        return
    while not stop.is_set():
        with lock:
            next_table[0] += 1
            t = f"ddl_{next_table[0]}"
            ddl_state[t] = "unknown"
        try:
            conn.execute(f"CREATE TABLE {t} (k int NOT NULL, note text)")
            with lock:
                ddl_state[t] = "created"
            conn.execute(f"INSERT INTO {t} VALUES (1, 'one'), (2, 'two')")
            with lock:
                ddl_rows[t] = True
            if next_table[0] % 10 != 0:  # keep one in ten
                with lock:
                    ddl_state[t] = "unknown"
                conn.execute(f"DROP TABLE {t}")
                with lock:
                    ddl_state[t] = "dropped"
                    ddl_rows.pop(t, None)
        except psycopg.Error as e:
            if not lost_connection(conn) and not isinstance(e, psycopg.OperationalError):
                with lock:
                    harness_errors.append(f"ddl on {t}: {e.sqlstate} {e}")
            return
        time.sleep(0.01)


def check_rows(server, what):
    with server.connect() as conn:
        rows = conn.execute(
            "SELECT client, seq, r, n, kind, md5(payload), sum FROM crash").fetchall()
    problems = []
    count = {}
    per_stmt = {}
    for client, seq, r, n, kind, digest, s in rows:
        key = (client, seq)
        count[(client, seq, r)] = count.get((client, seq, r), 0) + 1
        per_stmt[key] = per_stmt.get(key, 0) + 1
        want = attempted.get(key)
        if want is None:
            problems.append(f"row {client}/{seq}/{r} was never sent")
        elif (n, kind) != want or not 0 <= r < n:
            problems.append(f"row {client}/{seq}/{r} says n={n} kind={kind}, sent {want}")
        elif kind == "series":
            if digest != hashlib.md5(f"s{client}.{seq}.{r}".encode()).hexdigest() or s != -1:
                problems.append(f"series row {client}/{seq}/{r} damaged: md5 {digest} sum {s}")
        elif s != row_sum(client, seq, r, n, kind, None, digest):
            problems.append(f"row {client}/{seq}/{r} fails its checksum")
    dup = [k for k, c in count.items() if c > 1]
    lost = [k for k in acked if k not in per_stmt]
    partial = [k for k, c in per_stmt.items() if k in attempted and c != attempted[k][0]]
    vanished = [k for k in seen if k not in per_stmt]
    for label, items in (("duplicated rows", dup), ("acknowledged statements lost", lost),
                         ("statements half there", partial),
                         ("statements gone since the last restart", vanished)):
        if items:
            problems.append(f"{len(items)} {label}: {sorted(items)[:5]}")
    seen.update(per_stmt)
    kinds = {}
    for k in per_stmt:
        kinds[attempted.get(k, (0, "?"))[1]] = kinds.get(attempted.get(k, (0, "?"))[1], 0) + 1
    return rows, problems, kinds


checked_tables = set()  # tables whose contents a check has already read


def check_tables(server):
    """The DDL thread's tables: SHOW TABLES against what was acknowledged; the contents of
    every table new since the last check (older ones were read once; row durability over
    many restarts is the crash table's job)."""
    problems = []
    with server.connect() as conn:
        shown = {r[0] for r in conn.execute("SHOW TABLES").fetchall()}
        if "crash" not in shown:
            problems.append("SHOW TABLES lacks crash")
        for t, state in sorted(ddl_state.items()):
            exists = t in shown
            if state == "created" and not exists:
                problems.append(f"acknowledged CREATE TABLE {t} lost")
            if state == "dropped" and exists:
                problems.append(f"acknowledged DROP TABLE {t} undone")
            if t in checked_tables:
                continue
            checked_tables.add(t)
            try:
                got = sorted(conn.execute(f"SELECT k FROM {t}").fetchall())
                if not exists:
                    problems.append(f"table {t} answers SELECT but SHOW TABLES lacks it")
            except psycopg.errors.UndefinedTable:
                if exists:
                    problems.append(f"SHOW TABLES lists {t} but SELECT says it does not exist")
                continue
            except psycopg.Error as e:
                problems.append(f"table {t}: {e.sqlstate} {e}")
                continue
            if got not in ([], [(1,), (2,)]):
                problems.append(f"table {t} holds {got}")
            if ddl_rows.get(t) and got != [(1,), (2,)]:
                problems.append(f"table {t} lost its acknowledged rows: {got}")
    unknown = shown - set(ddl_state) - {"crash"}
    if unknown:
        problems.append(f"tables nobody created: {sorted(unknown)[:5]}")
    dirs = [d for d in os.listdir(os.path.join(datadir, "log")) if d.isdigit()]
    if len(dirs) != len(shown):
        problems.append(f"{len(dirs)} log directories for {len(shown)} tables")
    return problems


def check(server, what):
    rows, problems, kinds = check_rows(server, what)
    problems += check_tables(server)
    with lock:
        errs, harness_errors[:] = list(harness_errors), []
    problems += [f"unexpected error: {e}" for e in errs[:5]]
    if problems:
        fail(f"{what}: " + "; ".join(problems[:8]))
    else:
        mix = " ".join(f"{k}={v}" for k, v in sorted(kinds.items()))
        ok(f"{what}: {len(rows)} rows, {len(acked)} statements acknowledged ({mix})")


def probe_copy(server):
    try:
        with server.connect() as conn:
            with conn.cursor().copy("COPY crash FROM STDIN"):
                pass
        copy_supported[0] = True
        print("note: COPY FROM STDIN is in the mix")
    except psycopg.Error as e:
        copy_supported[0] = False
        print(f"note: COPY is left out of the mix (the server said {e.sqlstate}: "
              f"{str(e).splitlines()[0]})")


def crash_round(i):
    big_budget[0] = 2
    server = Server()
    stop = threading.Event()
    threads = []
    for _ in range(8):
        next_client[0] += 1
        threads.append(threading.Thread(target=client_thread,
                                        args=(server.dsn(), stop, next_client[0]), daemon=True))
    threads.append(threading.Thread(target=ddl_thread, args=(server.dsn(), stop), daemon=True))
    for t in threads:
        t.start()
    time.sleep(rng.uniform(0.05, 0.6))
    server.kill()
    stop.set()
    for t in threads:
        t.join()
    note = ""
    if rng.random() < 0.25:  # kill the next start-up too, during recovery
        early = Server(wait=False)
        time.sleep(rng.uniform(0.0, 0.03))
        early.kill()
        note = " (and its recovery)"
    server = Server()
    check(server, f"kill {i + 1}{note}")
    return server


# ---- the log's batch format (docs/storage-log.md) ------------------------------------------

HDR = 64
MAGIC = 0x52564C42
FLAG_MORE = 1


def _crc32c_table():
    tab = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        tab.append(c)
    return tab


CRC_TAB = _crc32c_table()


def crc32c(data):
    c = 0xFFFFFFFF
    for b in data:
        c = CRC_TAB[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


def batches(path):
    """[(pos, size, first, count, more)] of a well-formed segment."""
    out = []
    data = open(path, "rb").read()
    pos = 0
    while pos + HDR <= len(data):
        magic, _ver, _codec, flags, count, first, stored = struct.unpack_from(">IHHIIQI", data, pos)
        if magic != MAGIC:
            raise ValueError(f"{path}: no batch at byte {pos}")
        out.append((pos, HDR + stored, first, count, bool(flags & FLAG_MORE)))
        pos += HDR + stored
    if pos != len(data):
        raise ValueError(f"{path}: {len(data) - pos} bytes after the last batch")
    return out


def groups(path):
    """Appends: [(pos, end, first, count)], each one or more batches."""
    out, cur = [], None
    for pos, size, first, count, more in batches(path):
        if cur is None:
            cur = [pos, pos, first, 0]
        cur[1] = pos + size
        cur[3] += count
        if not more:
            out.append(tuple(cur))
            cur = None
    return out


def make_header(first, count, stored, body_crc=0, flags=0):
    h = struct.pack(">IHHIIQIIqqIII", MAGIC, 1, 0, flags, count, first, stored, stored,
                    0, 0, body_crc, 0, 0)
    return h + struct.pack(">I", crc32c(h))


# ---- corruption rounds ---------------------------------------------------------------------

def crash_log_dir(ddir):
    """The crash table's log: the biggest directory under log/."""
    dirs = [d for d in glob.glob(os.path.join(ddir, "log", "*")) if os.path.isdir(d)]
    return max(dirs, key=lambda d: sum(os.path.getsize(f) for f in glob.glob(d + "/*.seg")))


def segments(ldir):
    return sorted(glob.glob(os.path.join(ldir, "*.seg")))


copies = []


def fresh_copy(base, name):
    """A copy of the data directory base to damage; earlier copies go while nothing failed."""
    if failed == 0:
        for old in copies:
            shutil.rmtree(old, ignore_errors=True)
        copies.clear()
    ddir = os.path.join(workdir, name)
    shutil.rmtree(ddir, ignore_errors=True)
    shutil.copytree(base, ddir)
    copies.append(ddir)
    return ddir


def damage_base():
    """A small data directory for the damage rounds: a burst of the same workload (a few
    MB of log, appends of one and of several batches), a SIGKILL, a recovery, a clean stop."""
    ddir = os.path.join(workdir, "damage-base")
    os.mkdir(ddir)
    big_budget[0] = 6
    server = Server(ddir)
    with server.connect() as conn:
        conn.execute(CREATE_CRASH)
    stop = threading.Event()
    threads = []
    for _ in range(8):
        next_client[0] += 1
        threads.append(threading.Thread(target=client_thread,
                                        args=(server.dsn(), stop, next_client[0]), daemon=True))
    for t in threads:
        t.start()
    time.sleep(rng.uniform(0.4, 0.8))
    server.kill()
    stop.set()
    for t in threads:
        t.join()
    server = Server(ddir)
    try:
        pk_setup(server)
    finally:
        server.stop()
    return ddir


pk_expected = {}  # kv's acknowledged contents in the damage base (empty: no PRIMARY KEY yet)


def pk_setup(server):
    """A PRIMARY KEY table (its state in LMDB) in the damage base, when the server has them."""
    with server.connect() as conn:
        try:
            conn.execute("CREATE TABLE kv (k int PRIMARY KEY, v text)")
        except psycopg.Error as e:
            print(f"note: no PRIMARY KEY table in the damage base ({e.sqlstate})")
            return
        for i in range(20):
            vals = ", ".join(f"({k}, 'v{k}')" for k in range(i * 100, i * 100 + 100))
            conn.execute(f"INSERT INTO kv VALUES {vals}")
        conn.execute("UPDATE kv SET v = 'u' || k WHERE k % 7 = 0")
        conn.execute("DELETE FROM kv WHERE k % 11 = 0")
    for k in range(2000):
        if k % 11:
            pk_expected[k] = f"u{k}" if k % 7 == 0 else f"v{k}"
    time.sleep(1.2)  # let an epoch commit the state to LMDB


def read_keys(server):
    with server.connect() as conn:
        rows = conn.execute("SELECT client, seq, r, sum FROM crash").fetchall()
    return rows


def expect_recovery(what, ddir, base_rows, keep, cut_at=None, dropped=None):
    """Starts on ddir: the server must come up with exactly base_rows[:keep] and, when the
    damage is a torn tail, a WARNING naming the cut and the bytes dropped; then the repaired
    log must take a new row that is still there after another restart."""
    marker = (0, 2, 0, row_sum(0, 2, 0, 1, "single", "after repair"))
    try:
        server = Server(ddir)
        try:
            rows = read_keys(server)
            out = server.output()
            with server.connect() as conn:
                conn.execute("INSERT INTO crash VALUES (0, 2, 0, 1, 'single', 'after repair', "
                             "%s)", [marker[3]])
        finally:
            rc = server.stop()
        server = Server(ddir)
        try:
            rows2 = read_keys(server)
        finally:
            rc = rc or server.stop()
    except StartFailed as e:
        fail(f"{what}: start-up failed (status {e.rc}): {e.log.strip()[-300:]}")
        return
    problems = []
    if sorted(rows) != sorted(base_rows[:keep]):
        problems.append(f"{len(rows)} rows after recovery, expected the first {keep} of "
                        f"{len(base_rows)}")
    elif sorted(rows2) != sorted(base_rows[:keep] + [marker]):
        problems.append(f"{len(rows2)} rows after an INSERT and another restart, expected "
                        f"{keep} + 1")
    if cut_at is not None:
        want = f"truncated a torn tail at byte {cut_at}, {dropped} bytes dropped"
        if want not in out:
            problems.append(f"no WARNING \"...{want}\" in the server log")
    elif "torn tail" in out:
        problems.append("a WARNING about a torn tail where nothing was torn")
    if rc != 0:
        problems.append(f"clean shutdown exited {rc}")
    if problems:
        fail(f"{what}: " + "; ".join(problems))
    else:
        ok(f"{what}: {keep} of {len(base_rows)} rows kept" +
           (f", {dropped} bytes cut at byte {cut_at}" if cut_at is not None else ""))


def expect_refusal(what, ddir, needle, untouched):
    """Starts on ddir: the server must exit 1 with a message containing needle, leaving the
    files in untouched (path -> bytes) as they were."""
    try:
        server = Server(ddir)
    except StartFailed as e:
        problems = []
        if e.rc != 1:
            problems.append(f"exit status {e.rc} (a signal is negative), expected 1")
        if needle not in e.log or "FATAL" not in e.log:
            problems.append(f"no FATAL naming {needle!r}: {e.log.strip()[-300:]!r}")
        for path, data in untouched.items():
            if open(path, "rb").read() != data:
                problems.append(f"{os.path.basename(path)} was modified")
        if problems:
            fail(f"{what}: " + "; ".join(problems))
        else:
            line = [ln for ln in e.log.splitlines() if "FATAL" in ln][-1]
            msg = line.split("FATAL:", 1)[-1].strip().replace(workdir, "$WORK")
            ok(f"{what}: refused, exit 1: {msg[msg.find('invalid'):][:100]}")
        return
    server.stop()
    fail(f"{what}: the server started on a corrupt log")


def corruption_rounds(base):
    server = Server(base)
    base_rows = read_keys(server)
    server.stop()
    seg = segments(crash_log_dir(base))[-1]
    gs = groups(seg)
    size = os.path.getsize(seg)
    rel = os.path.relpath(seg, base)
    multi = sum(1 for p, e, f, c in gs if len([b for b in batches(seg) if p <= b[0] < e]) > 1)
    print(f"note: active segment {rel}: {size} bytes, {len(gs)} appends "
          f"({multi} of several batches), {len(base_rows)} rows")

    def records_before(pos):
        """(records kept, where the cut lands) when the file is cut at pos."""
        kept, cut = 0, 0
        for p, e, _f, c in gs:
            if e <= pos:
                kept, cut = kept + c, e
        return kept, cut

    # 1. cut the active segment at random positions (one inside the last append's header)
    last_pos = gs[-1][0]
    cuts = [rng.randrange(1, size) for _ in range(3)] + [last_pos + rng.randrange(1, HDR)]
    # and inside the last batch of an append of several: the batches before it must go too
    bs = batches(seg)
    split = [(b, g) for g in gs for b in bs if g[0] < b[0] < g[1]]
    if split:
        b, g = split[rng.randrange(len(split))]
        cuts.append(rng.randrange(b[0] + 1, b[0] + b[1]))
    else:
        print("note: no append of several batches to cut inside")
    for j, pos in enumerate(cuts):
        ddir = fresh_copy(base, f"cut{j}")
        os.truncate(os.path.join(ddir, rel), pos)
        kept, cut = records_before(pos)
        expect_recovery(f"segment cut at byte {pos} of {size}", ddir, base_rows, kept,
                        cut if pos != cut else None, pos - cut)

    # 2. flip bytes in the last append (header or body)
    p0, end, _f, c = gs[-1]
    for j, where in enumerate(("header", "body")):
        ddir = fresh_copy(base, f"flip{j}")
        path = os.path.join(ddir, rel)
        data = bytearray(open(path, "rb").read())
        lo, hi = (p0, p0 + HDR) if where == "header" or end - p0 == HDR else (p0 + HDR, end)
        for at in rng.sample(range(lo, hi), min(hi - lo, rng.randint(1, 3))):
            data[at] ^= 1 << rng.randrange(8)
        open(path, "wb").write(data)
        expect_recovery(f"bytes flipped in the last append's {where}", ddir, base_rows,
                        len(base_rows) - c, p0, size - p0)

    # 3. garbage appended after the last append
    ddir = fresh_copy(base, "garbage")
    junk = rng.randbytes(rng.randint(1, 5000))
    with open(os.path.join(ddir, rel), "ab") as f:
        f.write(junk)
    expect_recovery(f"{len(junk)} random bytes appended", ddir, base_rows, len(base_rows),
                    size, len(junk))

    # 4. a well-formed header (CRC right) whose body never made it to disk
    next_off = gs[-1][2] + gs[-1][3]
    ddir = fresh_copy(base, "nobody")
    torn = make_header(next_off, 3, 500) + rng.randbytes(rng.randint(0, 499))
    with open(os.path.join(ddir, rel), "ab") as f:
        f.write(torn)
    expect_recovery("appended batch with its body cut short", ddir, base_rows, len(base_rows),
                    size, len(torn))

    # 5. a header with a right CRC but impossible content: not a crash artefact
    ddir = fresh_copy(base, "impossible")
    path = os.path.join(ddir, rel)
    with open(path, "ab") as f:
        f.write(make_header(next_off + 1000, 1, 8) + bytes(8))
    expect_refusal("appended batch with a valid CRC and a gap in the offsets", ddir,
                   f"at byte {size}\n", {})

    # 6. seal the segment: an empty active segment after it
    sealed_base = os.path.join(workdir, "sealed")  # not a fresh_copy: the next ones copy it
    shutil.copytree(base, sealed_base)
    ldir = os.path.dirname(os.path.join(sealed_base, rel))
    open(os.path.join(ldir, f"{next_off:020d}.seg"), "wb").close()
    try:
        server = Server(sealed_base)
        rows = read_keys(server)
        with server.connect() as conn:
            conn.execute("INSERT INTO crash VALUES (0, 1, 0, 1, 'single', 'after', %s)",
                         [row_sum(0, 1, 0, 1, "single", "after")])
        rows2 = read_keys(server)
        server.stop()
        if sorted(rows) == sorted(base_rows) and len(rows2) == len(rows) + 1 and \
                os.path.getsize(os.path.join(ldir, f"{next_off:020d}.seg")) > 0:
            ok(f"segment sealed by a new active one: {len(rows)} rows, an INSERT goes to the new one")
        else:
            fail(f"sealed segment: {len(rows)} rows (expected {len(base_rows)}), then {len(rows2)}")
    except StartFailed as e:
        fail(f"start-up with an empty active segment failed ({e.rc}): {e.log.strip()[-300:]}")
        return
    sealed_rel = os.path.relpath(os.path.join(sealed_base, rel), sealed_base)
    sgs = gs

    def damaged(name, mutate):
        ddir = fresh_copy(sealed_base, name)
        path = os.path.join(ddir, sealed_rel)
        data = bytearray(open(path, "rb").read())
        mutate(data)
        open(path, "wb").write(data)
        return ddir, path, bytes(data)

    # 6a. a flipped header byte in the sealed segment
    gpos = sgs[rng.randrange(len(sgs))][0]
    off = rng.randrange(HDR)

    def flip_header(d):
        d[gpos + off] ^= 1 << rng.randrange(8)
    ddir, path, data = damaged("sealed_hdr", flip_header)
    expect_refusal(f"sealed segment, header byte {off} of the append at byte {gpos} flipped",
                   ddir, f"at byte {gpos}\n", {path: data})

    # 6b. the sealed segment cut short
    cutpos = rng.randrange(1, size)

    def cut(d):
        del d[cutpos:]
    ddir, path, data = damaged("sealed_cut", cut)
    expect_refusal(f"sealed segment cut at byte {cutpos}", ddir, "invalid batch in log segment",
                   {path: data})

    # 6c. a flipped body byte in the sealed segment: bodies are checked when read, not at start
    body_groups = [g for g in sgs if g[1] - g[0] > HDR]
    gp, ge, _gf, _gc = body_groups[rng.randrange(len(body_groups))]
    boff = rng.randrange(gp + HDR, min(ge, gp + HDR + 200))

    def flip_body(d):
        d[boff] ^= 0xFF
    ddir, path, data = damaged("sealed_body", flip_body)
    try:
        server = Server(ddir)
        problems = []
        with server.connect() as conn:
            try:
                conn.execute("SELECT count(*) FROM crash").fetchall()
                problems.append("SELECT over a corrupt body succeeded")
            except psycopg.Error as e:
                if e.sqlstate != "XX001":
                    problems.append(f"SELECT failed with {e.sqlstate}, expected XX001: {e}")
                msg = str(e).splitlines()[0].replace(workdir, "$WORK")
        with server.connect() as conn:
            if conn.execute("SELECT 1").fetchone() != (1,):
                problems.append("the server stopped answering")
        rc = server.stop()
        if rc != 0:
            problems.append(f"clean shutdown exited {rc}")
        if open(path, "rb").read() != data:
            problems.append("the sealed segment was modified")
        if problems:
            fail(f"sealed segment, body byte {boff} flipped: " + "; ".join(problems))
        else:
            ok(f"sealed segment, body byte {boff} flipped: starts, SELECT fails XX001 ({msg[:70]})")
    except StartFailed as e:
        fail(f"sealed segment with a bad body: start-up failed ({e.rc}): {e.log.strip()[-300:]}")

    # 6d. a gap between segment names
    ddir = fresh_copy(sealed_base, "gap")
    ld = os.path.dirname(os.path.join(ddir, sealed_rel))
    active = segments(ld)[-1]
    os.rename(active, os.path.join(ld, f"{next_off + 7:020d}.seg"))
    expect_refusal("a gap between segments", ddir, f"{next_off + 7:020d}.seg", {})


expected_reports = []  # server output of XFAIL rounds, left out of the sanitizer scan


def lmdb_rounds(base):
    mdbs = glob.glob(os.path.join(base, "**", "data.mdb"), recursive=True)
    if not mdbs:
        print("note: no LMDB state in the data directory (state/data.mdb): LMDB rounds skipped")
        return
    for mdb in mdbs:
        rel = os.path.relpath(mdb, base)
        size = os.path.getsize(mdb)
        for name, mutate in (
                ("data.mdb tail cut", lambda d: d[:max(8192, len(d) - rng.randrange(1, 4096))]),
                ("data.mdb cut to half", lambda d: d[:max(8192, len(d) // 2)]),
                ("LMDB meta page garbled", lambda d: d[:4096] + rng.randbytes(64) + d[4096 + 64:]),
                ("LMDB meta page 0 garbled", lambda d: d[:16] + rng.randbytes(48) + d[64:])):
            ddir = fresh_copy(base, "lmdb")
            path = os.path.join(ddir, rel)
            data = open(path, "rb").read()
            open(path, "wb").write(mutate(bytearray(data)))
            try:
                server = Server(ddir)
                with server.connect() as conn:
                    conn.execute("SELECT count(*) FROM crash").fetchall()
                    kv = dict(conn.execute("SELECT k, v FROM kv").fetchall()) \
                        if pk_expected else {}
                rc = server.stop()
                if rc != 0:
                    fail(f"{rel}, {name}: shutdown exited {rc}")
                elif kv != pk_expected:
                    fail(f"{rel}, {name}: started, but the PRIMARY KEY table holds {len(kv)} "
                         f"rows, {sum(kv.get(k) == v for k, v in pk_expected.items())} right, of "
                         f"{len(pk_expected)} acknowledged")
                else:
                    ok(f"{rel} ({size} bytes), {name}: recovered, the server starts and answers"
                       + (f", kv has its {len(kv)} rows" if kv else ""))
            except StartFailed as e:
                if e.rc == 1 and "FATAL" in e.log:
                    line = [ln for ln in e.log.splitlines() if "FATAL" in ln][-1]
                    msg = line.split("FATAL:", 1)[-1].strip().replace(workdir, "$WORK")
                    ok(f"{rel}, {name}: refused, exit 1: {msg[:120]}")
                elif "cut" in name and (e.rc == -signal.SIGBUS or (
                        e.rc == -signal.SIGABRT and "AddressSanitizer: BUS" in e.log)):
                    # Known: LMDB maps the file and trusts the meta page's last page number;
                    # a file cut below it is read through the map and the server dies of
                    # SIGBUS. A size check at open is not enough (a commit may leave its
                    # highest, freed "loose" pages unwritten). Not counted as a failure while
                    # storage/state.c has no answer; an XPASS-style pass shows up as "ok".
                    expected_reports.append(e.log)
                    print(f"XFAIL {rel}, {name}: start-up died of SIGBUS (known, "
                          f"see the comment in crash_restart.py)", flush=True)
                else:
                    fail(f"{rel}, {name}: start-up died with status {e.rc}: {e.log[-300:]}")
            except psycopg.Error as e:
                fail(f"{rel}, {name}: the server started but SELECT failed: {e}")


def main():
    global failed
    print(f"crash: seed {SEED} (replay the kill delays, statement mix and damage with --seed "
          f"{SEED}), {args.kills} kills, data in {workdir}", flush=True)
    t0 = time.time()
    try:
        server = Server()
        with server.connect() as conn:
            conn.execute(CREATE_CRASH)
        probe_copy(server)
        server.stop()
        for i in range(args.kills):
            crash_round(i).stop()
        print(f"note: kill rounds took {time.time() - t0:.1f} s", flush=True)
        base = damage_base()
        corruption_rounds(base)
        lmdb_rounds(base)
        log = open(serverlog, errors="replace").read()
        for text in expected_reports:
            log = log.replace(text, "")
        if "Sanitizer" in log or "runtime error:" in log:
            fail("sanitizer report in the server log")
    except Exception as e:  # a harness failure counts once
        fail(f"{type(e).__name__}: {e}")
        if os.path.exists(serverlog):
            print("".join(open(serverlog, errors="replace").readlines()[-20:]))
    print(f"crash: {time.time() - t0:.1f} s, seed {SEED}")
    if failed == 0:
        shutil.rmtree(workdir, ignore_errors=True)
    else:
        print(f"kept {workdir}")
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


main()
