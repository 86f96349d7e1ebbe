#!/usr/bin/python3
"""tests/hostile/hostile.py — hostile clients against a running server.

    /usr/bin/python3 tests/hostile/hostile.py --port N [--host 127.0.0.1] [--pid PID]
        [--target rivulet|postgres] [--max-connections N] [--startup-timeout S]
        [--max-message-size BYTES] [--seed N] [--only NAME,...]

tests/hostile/run.sh starts the server with the settings this script is told
about (a small --startup-timeout and --max-connections) and passes them on.

While a well-behaved psycopg session runs SELECT 1 in a loop on a thread (the
canary: it must never fail nor wait more than 2 s for an answer), raw sockets
send what a broken or malicious client would: random bytes, truncated and
oversized startup packets, unsupported protocol versions, SSLRequest followed
by garbage, garbage after a good start-up, a message longer than the maximum
message size, a message that declares a large length and stops, peers that
vanish mid-message and mid-result, connections that never speak (start-up
timeout), more clients than --max-connections (53300), a client that never
reads what it asked for (back-pressure), Bind/Parse messages with absurd
counts and lengths. After each test the server must still be alive; at the
end it must answer SELECT 1 on a new connection.

With --pid (Rivulet), the server's resident memory (VmRSS) is checked around
the tests that could make a careless server allocate what a client declares.
With --target postgres the same tests run against PostgreSQL 15 where they
make sense (its answers differ only where noted: PostgreSQL closes without a
message when a startup packet's length is invalid).

Only 127.0.0.1; bounded in count and time (well under 60 s). Random input
comes from a seeded generator; the seed is printed so a failure can be
replayed with --seed. Prints one line per test and "N passed, N failed".
"""
import argparse
import os
import random
import select
import socket
import struct
import sys
import threading
import time
import traceback

import psycopg

P = argparse.ArgumentParser(description=__doc__.split("\n")[0])
P.add_argument("--host", default="127.0.0.1")
P.add_argument("--port", type=int, required=True)
P.add_argument("--pid", type=int, default=0, help="server pid, for VmRSS checks")
P.add_argument("--target", default="rivulet", choices=("rivulet", "postgres"))
P.add_argument("--max-connections", type=int, default=20)
P.add_argument("--startup-timeout", type=float, default=2.0)
P.add_argument("--max-message-size", type=int, default=64 * 1024 * 1024)
P.add_argument("--seed", type=int, default=None)
P.add_argument("--only", default="", help="comma-separated test names")
P.add_argument("--user", default="postgres")
P.add_argument("--database", default="regression")
ARGS = P.parse_args()
if ARGS.host not in ("127.0.0.1", "localhost", "::1"):
    sys.exit("hostile: only loopback targets are allowed")

SEED = ARGS.seed if ARGS.seed is not None else int(time.time() * 1000) % 1_000_000_007
RNG = random.Random(SEED)
PG = ARGS.target == "postgres"
T0 = time.monotonic()

PROTO_3 = 3 << 16
SSL_CODE = 80877103
GSS_CODE = 80877104
CANCEL_CODE = 80877102


class Fail(Exception):
    pass


# ---- raw protocol helpers ------------------------------------------------------

def startup_packet(params=None, proto=PROTO_3):
    if params is None:
        params = {"user": ARGS.user, "database": ARGS.database, "application_name": "hostile"}
    body = struct.pack("!I", proto)
    for k, v in params.items():
        body += k.encode() + b"\0" + v.encode() + b"\0"
    body += b"\0"
    return struct.pack("!I", len(body) + 4) + body


def msg(t, body=b""):
    return t + struct.pack("!I", len(body) + 4) + body


def cstr(s):
    return s.encode() + b"\0" if isinstance(s, str) else s + b"\0"


def raw_connect(timeout=5.0):
    s = socket.create_connection((ARGS.host, ARGS.port), timeout=timeout)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


class Reader:
    """Reads backend messages from a socket with deadlines."""

    def __init__(self, sock):
        self.sock = sock
        self.buf = b""
        self.eof = False

    def _fill(self, deadline):
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            r, _, _ = select.select([self.sock], [], [], left)
            if not r:
                return False
            try:
                chunk = self.sock.recv(65536)
            except (ConnectionResetError, BrokenPipeError):
                chunk = b""
            if not chunk:
                self.eof = True
                return False
            self.buf += chunk
            return True

    def read_msg(self, timeout=3.0):
        """Returns (type, body), ('EOF', b'') or ('TIMEOUT', b'')."""
        deadline = time.monotonic() + timeout
        while True:
            if len(self.buf) >= 5:
                t = self.buf[:1]
                (n,) = struct.unpack("!I", self.buf[1:5])
                if n < 4:
                    raise Fail(f"server sent a message of length {n}")
                if len(self.buf) >= 1 + n:
                    body = self.buf[5:1 + n]
                    self.buf = self.buf[1 + n:]
                    return t.decode("latin1"), body
            if self.eof:
                return "EOF", b""
            if not self._fill(deadline):
                if self.eof:
                    if self.buf:
                        return "PARTIAL", self.buf
                    return "EOF", b""
                return "TIMEOUT", b""

    def read_byte(self, timeout=3.0):
        deadline = time.monotonic() + timeout
        while not self.buf:
            if not self._fill(deadline):
                return None
        b, self.buf = self.buf[:1], self.buf[1:]
        return b


def error_fields(body):
    f = {}
    for part in body.split(b"\0"):
        if part:
            f[chr(part[0])] = part[1:].decode("utf-8", "replace")
    return f


def wait_until_ready(rd, timeout=5.0):
    """Reads until ReadyForQuery; returns the messages seen (types and bodies)."""
    seen = []
    while True:
        t, body = rd.read_msg(timeout)
        seen.append((t, body))
        if t == "Z":
            return seen
        if t in ("EOF", "TIMEOUT", "PARTIAL"):
            raise Fail(f"no ReadyForQuery: got {t} after {[x[0] for x in seen]}")
        if t == "E" and error_fields(body).get("V") in ("FATAL", "PANIC"):
            raise Fail(f"FATAL during start-up: {error_fields(body)}")


def session(timeout=5.0):
    """A raw connection through start-up, at ReadyForQuery."""
    s = raw_connect()
    s.sendall(startup_packet())
    rd = Reader(s)
    seen = wait_until_ready(rd, timeout)
    auth = [b for t, b in seen if t == "R"]
    if not auth or struct.unpack("!I", auth[0][:4])[0] != 0:
        raise Fail("expected AuthenticationOk (trust)")
    return s, rd


def expect_fatal_or_close(rd, sqlstates, allow_silent_close=False, timeout=4.0, what=""):
    """The server must answer with FATAL (one of sqlstates) and close, or (when
    allowed) just close. Returns a short description of what happened."""
    t, body = rd.read_msg(timeout)
    # PostgreSQL authenticates before it applies startup settings: skip what
    # a successful start-up sends before the FATAL.
    while t in ("R", "S", "K"):
        t, body = rd.read_msg(timeout)
    if t == "EOF":
        if allow_silent_close:
            return "closed"
        raise Fail(f"{what}: closed without an ErrorResponse (wanted FATAL {sqlstates})")
    if t == "TIMEOUT":
        raise Fail(f"{what}: no answer and still open after {timeout} s")
    if t != "E":
        raise Fail(f"{what}: got message {t!r} (wanted FATAL {sqlstates})")
    f = error_fields(body)
    if f.get("V", f.get("S")) != "FATAL" or f.get("C") not in sqlstates:
        raise Fail(f"{what}: got {f.get('V', f.get('S'))} {f.get('C')} {f.get('M')!r}, "
                   f"wanted FATAL {sqlstates}")
    t2, _ = rd.read_msg(timeout)
    if t2 != "EOF":
        raise Fail(f"{what}: after FATAL the connection stayed open ({t2})")
    return f"FATAL {f.get('C')} {f.get('M')}"


def expect_error_then_ready(rd, sqlstates, what="", timeout=4.0):
    """After a malformed extended-protocol message and a Sync: an ErrorResponse
    with one of sqlstates, then either ReadyForQuery (ERROR) or close (FATAL)."""
    t, body = rd.read_msg(timeout)
    # PostgreSQL checks result format codes only when it runs the portal, so a
    # BindComplete may come first.
    while t in ("1", "2"):
        t, body = rd.read_msg(timeout)
    if t != "E":
        raise Fail(f"{what}: got {t!r}, wanted ErrorResponse {sqlstates}")
    f = error_fields(body)
    if f.get("C") not in sqlstates:
        raise Fail(f"{what}: got {f.get('C')} {f.get('M')!r}, wanted {sqlstates}")
    sev = f.get("V", f.get("S"))
    if sev == "FATAL":
        t2, _ = rd.read_msg(timeout)
        if t2 != "EOF":
            raise Fail(f"{what}: after FATAL the connection stayed open ({t2})")
        return "fatal"
    while True:
        t2, _ = rd.read_msg(timeout)
        if t2 == "Z":
            return "error"
        if t2 in ("EOF", "TIMEOUT", "PARTIAL"):
            raise Fail(f"{what}: no ReadyForQuery after ERROR ({t2})")


def simple_query_ok(sock, rd, sql="SELECT 1"):
    sock.sendall(msg(b"Q", cstr(sql)))
    seen = wait_until_ready(rd)
    types = [t for t, _ in seen]
    if "E" in types:
        raise Fail(f"{sql!r} failed: {error_fields(dict(seen)['E'])}")
    return seen


def resync(sock, rd):
    """Sends a marker query and reads until its ReadyForQuery, dropping anything
    left over from before (extra ReadyForQuery messages, errors)."""
    sock.sendall(msg(b"Q", cstr("SELECT 'resync'")))
    deadline = time.monotonic() + 5
    marker = False
    while time.monotonic() < deadline:
        t, body = rd.read_msg(max(0.1, deadline - time.monotonic()))
        if t == "D" and b"resync" in body:
            marker = True
        elif t == "Z" and marker:
            return
        elif t in ("EOF", "TIMEOUT", "PARTIAL"):
            raise Fail(f"resync: {t}")
    raise Fail("resync: no answer")


def read_until_close(sock, timeout):
    """All bytes until the peer closes; None if it is still open at the deadline."""
    rd = Reader(sock)
    deadline = time.monotonic() + timeout
    while not rd.eof:
        if not rd._fill(deadline) and not rd.eof:
            return None
    return rd.buf


def quiet_close(s):
    try:
        s.close()
    except OSError:
        pass


def rss_kb():
    if not ARGS.pid:
        return None
    try:
        with open(f"/proc/{ARGS.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def server_alive():
    if ARGS.pid:
        try:
            os.kill(ARGS.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            pass
    try:
        with psycopg.connect(host=ARGS.host, port=ARGS.port, user=ARGS.user,
                             dbname=ARGS.database, connect_timeout=5, autocommit=True) as c:
            return c.execute("SELECT 1").fetchone() == (1,)
    except Exception:
        return False


# ---- the canary ---------------------------------------------------------------------

class Canary(threading.Thread):
    """A well-behaved session running SELECT 1 in a loop."""

    def __init__(self):
        super().__init__(daemon=True)
        self.stop = threading.Event()
        self.errors = []
        self.max_wait = 0.0
        self.count = 0
        self.conn = psycopg.connect(host=ARGS.host, port=ARGS.port, user=ARGS.user,
                                    dbname=ARGS.database, connect_timeout=5, autocommit=True,
                                    application_name="canary")

    def run(self):
        while not self.stop.is_set():
            t0 = time.monotonic()
            try:
                if self.conn.execute("SELECT 1").fetchone() != (1,):
                    self.errors.append("SELECT 1 gave a wrong answer")
            except Exception as e:  # noqa: BLE001 - any failure counts
                self.errors.append(f"{type(e).__name__}: {e}")
                if self.conn.closed:
                    return
            dt = time.monotonic() - t0
            self.count += 1
            if dt > self.max_wait:
                self.max_wait = dt
            if dt > 2.0:
                self.errors.append(f"SELECT 1 took {dt:.2f} s")
            self.stop.wait(0.02)


# ---- the tests ----------------------------------------------------------------------

TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


@test
def random_bytes_at_connect():
    """Random bytes instead of a startup packet: no crash, the connection ends."""
    socks = []
    for i in range(40):
        s = raw_connect()
        n = RNG.choice([1, 3, 4, 7, 8, 9, 16, 64, 512, 4096, 20000])
        data = bytes(RNG.getrandbits(8) for _ in range(n))
        try:
            s.sendall(data)
        except OSError:
            pass
        socks.append(s)
    # Half of them we close at once, the other half we leave for the server.
    for s in socks[::2]:
        quiet_close(s)
    deadline = time.monotonic() + ARGS.startup_timeout + 3
    for s in socks[1::2]:
        rd = Reader(s)
        while True:
            t, _ = rd.read_msg(max(0.1, deadline - time.monotonic()))
            if t in ("EOF", "PARTIAL"):
                break
            if t == "TIMEOUT":
                raise Fail("a connection that sent garbage is still open after the start-up timeout")
        quiet_close(s)


@test
def truncated_startup_packets():
    """Every prefix of a valid startup packet, then close (some after a pause)."""
    pkt = startup_packet()
    for k in range(1, len(pkt)):
        s = raw_connect()
        s.sendall(pkt[:k])
        if k % 7 == 0:
            time.sleep(0.05)
        quiet_close(s)
    s, rd = session()
    simple_query_ok(s, rd)
    quiet_close(s)


@test
def startup_length_out_of_range():
    """Length word < 8 or > 10000: FATAL 08P01 (PostgreSQL: close without a message)."""
    for n in (0, 4, 7, 10001, 65536, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF):
        s = raw_connect()
        s.sendall(struct.pack("!II", n, PROTO_3) + b"user\0postgres\0\0")
        expect_fatal_or_close(Reader(s), ("08P01",), allow_silent_close=True,
                              what=f"startup length {n}")
        quiet_close(s)


@test
def startup_layout_errors():
    """Malformed startup contents."""
    cases = [
        # no terminating NUL after the last pair
        (struct.pack("!I", PROTO_3) + b"user\0postgres\0", ("08P01",)),
        # a name without a value
        (struct.pack("!I", PROTO_3) + b"user\0postgres\0database\0", ("08P01",)),
        # no user
        (struct.pack("!I", PROTO_3) + b"database\0regression\0\0", ("28000",)),
        # unknown setting
        (struct.pack("!I", PROTO_3) + b"user\0postgres\0no_such_guc\0x\0\0", ("42704",)),
        # a bad value for a real setting
        (struct.pack("!I", PROTO_3) + b"user\0postgres\0TimeZone\0No/Such\0\0", ("22023",)),
    ]
    for body, states in cases:
        s = raw_connect()
        s.sendall(struct.pack("!I", len(body) + 4) + body)
        expect_fatal_or_close(Reader(s), states, what=f"startup {body!r}")
        quiet_close(s)


@test
def unsupported_protocol_versions():
    """2.0 and 4.0: FATAL 0A000. 3.1 is negotiated down to 3.0 (NegotiateProtocolVersion)."""
    for major, minor in ((2, 0), (4, 0), (1, 0), (0, 0)):
        s = raw_connect()
        s.sendall(startup_packet(proto=(major << 16) | minor))
        raw = read_until_close(s, 4.0)
        if raw is None:
            raise Fail(f"protocol {major}.{minor}: connection still open after 4 s")
        # PostgreSQL answers protocols 1 and 2 in the old (v2) format:
        # b"EFATAL:  unsupported frontend protocol 2.0: ...\n\0". Either will do.
        if not raw.startswith(b"E") or b"unsupported frontend protocol" not in raw:
            raise Fail(f"protocol {major}.{minor}: got {raw[:120]!r}")
        if raw[1:6] != b"FATAL" and b"C0A000\0" not in raw:
            raise Fail(f"protocol {major}.{minor}: not FATAL 0A000: {raw[:120]!r}")
        quiet_close(s)
    s = raw_connect()
    s.sendall(startup_packet(proto=(3 << 16) | 1))
    rd = Reader(s)
    t, body = rd.read_msg()
    if t != "v":
        raise Fail(f"protocol 3.1: wanted NegotiateProtocolVersion, got {t!r} "
                   f"{error_fields(body) if t == 'E' else ''}")
    newest, nopts = struct.unpack("!II", body[:8])
    if newest != PROTO_3 or nopts != 0:
        raise Fail(f"NegotiateProtocolVersion: {newest:#x}, {nopts} options")
    wait_until_ready(rd)
    simple_query_ok(s, rd)
    quiet_close(s)


@test
def ssl_and_gss_requests():
    """SSLRequest/GSSENCRequest get 'N'; then a real start-up works, garbage does not."""
    for code in (SSL_CODE, GSS_CODE):
        s = raw_connect()
        s.sendall(struct.pack("!II", 8, code))
        rd = Reader(s)
        b = rd.read_byte()
        if PG and code == GSS_CODE and b == b"G":
            quiet_close(s)  # PostgreSQL built with GSSAPI offers it; we cannot go on
            continue
        if b != b"N":
            raise Fail(f"request {code}: answered {b!r}, wanted b'N'")
        s.sendall(startup_packet())
        wait_until_ready(rd)
        simple_query_ok(s, rd)
        quiet_close(s)
    for i in range(10):
        s = raw_connect()
        s.sendall(struct.pack("!II", 8, SSL_CODE))
        rd = Reader(s)
        if rd.read_byte() != b"N":
            raise Fail("SSLRequest not answered with N")
        garbage = bytes(RNG.getrandbits(8) for _ in range(RNG.randint(1, 300)))
        # A TLS ClientHello, as a client that ignores the 'N' would send.
        if i == 0:
            garbage = bytes.fromhex("16030100a5010000a10303") + bytes(64)
        s.sendall(garbage)
        if i % 2:
            quiet_close(s)
            continue
        deadline = time.monotonic() + ARGS.startup_timeout + 3
        while True:
            t, _ = rd.read_msg(max(0.1, deadline - time.monotonic()))
            if t in ("EOF", "PARTIAL"):
                break
            if t == "TIMEOUT":
                raise Fail("garbage after SSLRequest: connection still open")
        quiet_close(s)
    # SSLRequest twice: the second one is not a valid protocol version.
    s = raw_connect()
    s.sendall(struct.pack("!II", 8, SSL_CODE))
    rd = Reader(s)
    rd.read_byte()
    s.sendall(struct.pack("!II", 8, SSL_CODE))
    expect_fatal_or_close(rd, ("08P01", "0A000"), what="second SSLRequest")
    quiet_close(s)


@test
def cancel_requests_with_bad_keys():
    """CancelRequests for unknown pids/keys, and malformed ones: no reply, no effect."""
    for pid, key in ((0, 0), (1, 1), (2 ** 31 - 1, 12345), (os.getpid(), 0)):
        s = raw_connect()
        s.sendall(struct.pack("!IIii", 16, CANCEL_CODE, pid if pid < 2 ** 31 else -1, key))
        t, _ = Reader(s).read_msg(3.0)
        if t != "EOF":
            raise Fail(f"CancelRequest({pid}, {key}): got {t!r}, wanted a silent close")
        quiet_close(s)
    s = raw_connect()
    s.sendall(struct.pack("!III", 12, CANCEL_CODE, 1))  # too short
    expect_fatal_or_close(Reader(s), ("08P01",), allow_silent_close=True,
                          what="short CancelRequest")
    quiet_close(s)


@test
def garbage_after_startup():
    """A good start-up, then random bytes: FATAL 08P01 or an error, never a crash."""
    for i in range(30):
        s, rd = session()
        n = RNG.choice([1, 5, 6, 100, 1000, 5000])
        data = bytes(RNG.getrandbits(8) for _ in range(n))
        if i % 3 == 0:
            # an invalid type byte for sure
            data = b"\x01" + data[1:]
        try:
            s.sendall(data)
        except OSError:
            pass
        if i % 2:
            quiet_close(s)
            continue
        # Read what comes back for a moment. The bytes may form the start of a
        # long message the server waits for: that is fine too.
        deadline = time.monotonic() + 0.5
        while True:
            t, body = rd.read_msg(max(0.05, deadline - time.monotonic()))
            if t in ("EOF", "PARTIAL", "TIMEOUT"):
                break
        quiet_close(s)
    s, rd = session()
    s.sendall(b"!" + struct.pack("!I", 4))
    d = expect_fatal_or_close(rd, ("08P01",), what="message type '!'")
    if "invalid frontend message type" not in d:
        raise Fail(f"unexpected message for an invalid type: {d}")
    quiet_close(s)


@test
def random_framed_messages():
    """Well-framed messages of every frontend type with random bodies."""
    types = b"QPBDESHCXdcfpF"
    for i in range(40):
        s, rd = session()
        try:
            for _ in range(20):
                t = bytes([RNG.choice(types)])
                body = bytes(RNG.getrandbits(8) for _ in range(RNG.choice([0, 1, 2, 4, 9, 40])))
                s.sendall(msg(t, body))
            s.sendall(msg(b"S"))
        except OSError:
            pass
        deadline = time.monotonic() + 0.3
        while time.monotonic() < deadline:
            t, _ = rd.read_msg(max(0.05, deadline - time.monotonic()))
            if t in ("EOF", "PARTIAL", "TIMEOUT"):
                break
        quiet_close(s)


@test
def message_longer_than_the_maximum():
    """A message whose length passes the maximum: FATAL 08P01 before any allocation."""
    before = rss_kb()
    limit = (1 << 30) if PG else ARGS.max_message_size
    for t, n in ((b"Q", limit + 1), (b"P", limit + 64), (b"Q", 0x7FFFFFFF), (b"B", 0xFFFFFFF0)):
        s, rd = session()
        s.sendall(t + struct.pack("!I", n) + b"SELECT 1")
        # PostgreSQL logs "invalid message length" and closes without a word.
        expect_fatal_or_close(rd, ("08P01",), allow_silent_close=PG, what=f"{t!r} of length {n}")
        quiet_close(s)
    # A length below 4 is invalid too.
    s, rd = session()
    s.sendall(b"Q" + struct.pack("!I", 3))
    expect_fatal_or_close(rd, ("08P01",), allow_silent_close=PG, what="message length 3")
    quiet_close(s)
    after = rss_kb()
    if before is not None and after is not None and after - before > 32 * 1024:
        raise Fail(f"VmRSS grew {(after - before) // 1024} MB")


@test
def large_declared_length_then_vanish():
    """Messages declaring (almost) the maximum length, a few bytes sent, then gone:
    memory must follow what arrived, not what was declared."""
    before = rss_kb()
    declared = min(ARGS.max_message_size, 1 << 30) - 16 if not PG else (1 << 30) - 16
    socks = []
    for i in range(16):
        s, rd = session()
        s.sendall(b"Q" + struct.pack("!I", declared) + b"SELECT '" + b"x" * 1000)
        socks.append(s)
    time.sleep(0.5)
    mid = rss_kb()
    for s in socks:
        quiet_close(s)
    # And 1 GB declared, then gone.
    s, rd = session()
    s.sendall(b"Q" + struct.pack("!I", 1 << 30) + b"SELECT 1")
    quiet_close(s)
    time.sleep(0.3)
    if before is not None and mid is not None and mid - before > 64 * 1024:
        raise Fail(f"16 connections declaring {declared >> 20} MB each: VmRSS grew "
                   f"{(mid - before) >> 10} MB")


@test
def vanish_mid_message_and_mid_result():
    """Peers that close halfway through a message or while a result is being sent."""
    q = msg(b"Q", cstr("SELECT 1, 'abc', true"))
    for cut in range(1, len(q)):
        s, rd = session()
        s.sendall(q[:cut])
        quiet_close(s)
    big = "x" * (256 * 1024)
    sql = "SELECT " + ", ".join(f"'{big}'" for _ in range(16))  # a 4 MB row
    q = msg(b"Q", cstr(sql))
    for i in range(8):
        s, rd = session()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.setblocking(False)
        sent, deadline = 0, time.monotonic() + 1.0
        while sent < len(q) and time.monotonic() < deadline:
            try:
                sent += s.send(q[sent:sent + 65536])
            except BlockingIOError:
                select.select([], [s], [], 0.05)
        s.setblocking(True)
        if i % 2:
            rd.read_msg(2.0)  # take a little of the result, then go
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # RST
        quiet_close(s)
    # Terminate in the middle of a transaction block and of a failed one.
    for sqls in (["BEGIN"], ["BEGIN", "SELECT 1/0"]):
        s, rd = session()
        for x in sqls:
            s.sendall(msg(b"Q", cstr(x)))
            wait_until_ready(rd)
        s.sendall(msg(b"X"))
        t, _ = rd.read_msg(3.0)
        if t != "EOF":
            raise Fail(f"Terminate: got {t!r}, wanted close")
        quiet_close(s)


@test
def connections_that_never_speak():
    """Silent connections are dropped at the start-up timeout; others are not hurt."""
    n = 30
    socks = []
    rejected = 0
    for _ in range(n):
        s = raw_connect()
        socks.append(s)
    t0 = time.monotonic()
    # Meanwhile a real client connects and works.
    s2, rd2 = session()
    simple_query_ok(s2, rd2)
    quiet_close(s2)
    limit = ARGS.startup_timeout + 3.0
    for s in socks:
        rd = Reader(s)
        left = max(0.1, t0 + limit - time.monotonic())
        t, body = rd.read_msg(left)
        if t == "E":
            f = error_fields(body)
            if f.get("C") != "53300":
                raise Fail(f"idle connection got {f}")
            rejected += 1
            t, _ = rd.read_msg(2.0)
        if t == "TIMEOUT":
            raise Fail(f"an idle connection is still open after {limit:.1f} s "
                       f"(start-up timeout {ARGS.startup_timeout} s)")
        quiet_close(s)
    # A slow client (its startup packet spread over twice the start-up timeout)
    # runs into the same timeout.
    s = raw_connect()
    pkt = startup_packet()
    gap = max(0.05, 2 * ARGS.startup_timeout / len(pkt))
    closed = False
    for b in pkt:
        try:
            s.sendall(bytes([b]))
        except OSError:
            closed = True
            break
        r, _, _ = select.select([s], [], [], gap)
        if r:
            try:
                data = s.recv(1024)
            except OSError:
                data = b""
            if not data or data[:1] == b"E":
                closed = True
                break
    if not closed:
        raise Fail("a byte-at-a-time start-up was not cut off by the start-up timeout")
    quiet_close(s)


@test
def more_clients_than_max_connections():
    """Past --max-connections a client gets FATAL 53300; after they leave, all is well."""
    held = []
    got_53300 = None
    try:
        for i in range(ARGS.max_connections + 3):
            s = raw_connect()
            s.sendall(startup_packet())
            rd = Reader(s)
            t, body = rd.read_msg(5.0)
            if t == "E":
                f = error_fields(body)
                if f.get("C") != "53300" or f.get("V", f.get("S")) != "FATAL":
                    raise Fail(f"connection {i + 1}: {f}")
                got_53300 = i
                if "too many clients" not in f.get("M", "") and "reserved" not in f.get("M", ""):
                    raise Fail(f"53300 with message {f.get('M')!r}")
                quiet_close(s)
                break
            if t != "R":
                raise Fail(f"connection {i + 1}: got {t!r}")
            held.append((s, rd))
        if got_53300 is None:
            raise Fail(f"{ARGS.max_connections + 3} connections accepted "
                       f"(--max-connections {ARGS.max_connections})")
        # The canary holds one slot; allow a little slack for PostgreSQL's own children.
        if got_53300 < ARGS.max_connections - 3:
            raise Fail(f"53300 already at connection {got_53300 + 1}")
    finally:
        for s, _ in held:
            quiet_close(s)
    # Slots come back (PostgreSQL's backends take a moment to exit).
    deadline = time.monotonic() + 5
    while True:
        try:
            s, rd = session()
            simple_query_ok(s, rd)
            quiet_close(s)
            break
        except Fail:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@test
def client_that_never_reads():
    """Asks for far more output than it reads: the server must stop at its output
    ceiling (back-pressure), not buffer everything; others keep working."""
    before = rss_kb()
    s, rd = session()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8192)
    ncols = 64
    sql = "SELECT " + ", ".join(["$1::text"] * ncols)
    param = b"y" * (64 * 1024)  # each Execute returns 64 columns × 64 kB = 4 MB
    bind = msg(b"B", b"\0\0" + struct.pack("!hhi", 0, 1, len(param)) + param + b"\0\0")
    execute = msg(b"E", b"\0" + struct.pack("!i", 0))
    s.sendall(msg(b"P", b"\0" + cstr(sql) + b"\0\0"))
    s.setblocking(False)
    sent = 0
    out = (bind + execute) * 100 + msg(b"S")
    deadline = time.monotonic() + 3
    while sent < len(out) and time.monotonic() < deadline:
        try:
            sent += s.send(out[sent:sent + 65536])
        except BlockingIOError:
            select.select([], [s], [], 0.1)
        except OSError:
            break
    time.sleep(1.0)
    mid = rss_kb()
    # The canary still answers (checked by the canary thread); now go away.
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    quiet_close(s)
    executes = min(100, sent // (len(bind) + len(execute)))
    asked_mb = executes * 4
    print(f"    # sent {sent >> 10} kB before the server stopped reading: {executes} Executes, "
          f"~{asked_mb} MB of output asked for"
          + (f"; VmRSS +{(mid - before) >> 10} MB" if before and mid else ""))
    if executes < 5:
        raise Fail(f"only {executes} Executes could be sent: the test did not load the server")
    if before is not None and mid is not None and mid - before > 160 * 1024:
        raise Fail(f"VmRSS grew {(mid - before) >> 10} MB for a client that never reads "
                   f"(~{asked_mb} MB of output asked for)")


@test
def absurd_bind_and_parse():
    """Counts and lengths that do not match the message: 08P01, never an allocation
    of what was declared; the server stays up (ERROR then ReadyForQuery, or FATAL)."""
    def bind_body(portal=b"", stmt=b"s1", nfmt=0, fmts=(), nparams=None, params=(),
                  nres=0, res=(), raw_params=None):
        b = cstr(portal) + cstr(stmt) + struct.pack("!h", nfmt)
        b += b"".join(struct.pack("!h", f) for f in fmts)
        if raw_params is not None:
            b += raw_params
        else:
            b += struct.pack("!h", len(params) if nparams is None else nparams)
            for p in params:
                b += struct.pack("!i", -1) if p is None else struct.pack("!i", len(p)) + p
        b += struct.pack("!h", nres) + b"".join(struct.pack("!h", f) for f in res)
        return b

    cases = [
        ("nparams 32767, no values", bind_body(nparams=32767), ("08P01",)),
        ("nparams -1", bind_body(nparams=-1), ("08P01",)),
        ("param length 2^31-1, 4 bytes present",
         bind_body(raw_params=struct.pack("!hi", 1, 0x7FFFFFFF) + b"1234"), ("08P01",)),
        ("param length -2", bind_body(raw_params=struct.pack("!hi", 1, -2)), ("08P01",)),
        ("format count 32767", bind_body(nfmt=32767), ("08P01",)),
        ("format code 7", bind_body(nfmt=1, fmts=(7,), params=(b"1",)), ("08P01", "22023")),
        ("2 values for 1 parameter", bind_body(params=(b"1", b"2")), ("08P01",)),
        ("no values for 1 parameter", bind_body(params=()), ("08P01",)),
        ("result format count 1000", bind_body(params=(b"1",), nres=1000, res=(0,) * 1000),
         ("08P01",)),
        ("result format code 9", bind_body(params=(b"1",), nres=1, res=(9,)),
         ("08P01", "22023")),
        ("unknown statement", bind_body(stmt=b"nosuch", params=(b"1",)), ("26000",)),
        ("unterminated portal name", b"portal", ("08P01",)),
        ("trailing bytes", bind_body(params=(b"1",)) + b"junk", ("08P01",)),
    ]
    s, rd = session()
    s.sendall(msg(b"P", b"s1\0SELECT $1::int4\0" + struct.pack("!h", 0)) + msg(b"S"))
    wait_until_ready(rd)
    for name, body, states in cases:
        s.sendall(msg(b"B", body) + msg(b"E", b"\0\0\0\0\0") + msg(b"S"))
        how = expect_error_then_ready(rd, states, what=f"Bind with {name}")
        if how == "fatal":
            s, rd = session()
            s.sendall(msg(b"P", b"s1\0SELECT $1::int4\0\0\0") + msg(b"S"))
            wait_until_ready(rd)
        else:
            resync(s, rd)
    parse_cases = [
        ("nparam_types 32767, none present", b"\0SELECT 1\0" + struct.pack("!h", 32767)),
        ("nparam_types -5", b"\0SELECT 1\0" + struct.pack("!h", -5)),
        ("unterminated query", b"\0SELECT 1"),
        ("type oid cut short", b"\0SELECT $1\0" + struct.pack("!h", 1) + b"\0\0"),
    ]
    for name, body in parse_cases:
        s.sendall(msg(b"P", body) + msg(b"S"))
        how = expect_error_then_ready(rd, ("08P01",), what=f"Parse with {name}")
        if how == "fatal":
            s, rd = session()
        else:
            resync(s, rd)
    for name, t, body in (("Describe kind 'X'", b"D", b"Xname\0"),
                          ("Close kind 'Q'", b"C", b"Qname\0"),
                          ("Execute without max_rows", b"E", b"\0"),
                          ("Sync with a body", b"S", b"x")):
        s.sendall(msg(t, body) + msg(b"S"))
        how = expect_error_then_ready(rd, ("08P01",), what=name)
        if how == "fatal":
            s, rd = session()
        else:
            resync(s, rd)
    simple_query_ok(s, rd)
    quiet_close(s)


@test
def many_syncs_and_tiny_writes():
    """10,000 Syncs in one write get 10,000 ReadyForQuery; a query sent a byte at a time works."""
    s, rd = session()
    s.sendall(msg(b"S") * 10000)
    for i in range(10000):
        t, _ = rd.read_msg(5.0)
        if t != "Z":
            raise Fail(f"Sync {i}: got {t!r}")
    q = msg(b"Q", cstr("SELECT 'trickle'"))
    for b in q:
        s.sendall(bytes([b]))
    seen = wait_until_ready(rd)
    if "D" not in [t for t, _ in seen]:
        raise Fail("no row for a trickled query")
    quiet_close(s)


# ---- main ---------------------------------------------------------------------------

def main():
    print(f"hostile: target {ARGS.target} at {ARGS.host}:{ARGS.port} pid {ARGS.pid or '?'}; "
          f"seed {SEED} (replay with --seed {SEED})")
    only = set(x for x in ARGS.only.split(",") if x)
    passed = failed = 0
    try:
        canary = Canary()
    except Exception as e:
        print(f"not ok - canary could not connect: {e}")
        print("0 passed, 1 failed")
        return 1
    canary.start()
    rss0 = rss_kb()
    for fn in TESTS:
        if only and fn.__name__ not in only:
            continue
        t0 = time.monotonic()
        try:
            fn()
            if ARGS.pid and not server_alive():
                raise Fail("the server died")
        except Exception as e:  # noqa: BLE001
            failed += 1
            print(f"not ok - {fn.__name__} ({time.monotonic() - t0:.1f} s)")
            msg_ = str(e) if isinstance(e, Fail) else traceback.format_exc().rstrip()
            for line in msg_.splitlines()[-8:]:
                print("    " + line)
            if ARGS.pid and not server_alive():
                print("    the server is gone: stopping")
                break
        else:
            passed += 1
            rss = rss_kb()
            extra = f", VmRSS {rss >> 10} MB" if rss else ""
            print(f"ok - {fn.__name__} ({time.monotonic() - t0:.1f} s{extra})")
        sys.stdout.flush()
    canary.stop.set()
    canary.join(5)
    if canary.errors or canary.is_alive():
        failed += 1
        print(f"not ok - canary ({canary.count} queries, longest wait {canary.max_wait:.2f} s)")
        for e in canary.errors[:5]:
            print("    " + e)
    else:
        passed += 1
        print(f"ok - canary ({canary.count} queries, longest wait {canary.max_wait:.2f} s)")
    try:
        canary.conn.close()
    except Exception:
        pass
    if server_alive():
        passed += 1
        print("ok - server alive and answering SELECT 1 at the end")
    else:
        failed += 1
        print("not ok - server alive and answering SELECT 1 at the end")
    rss1 = rss_kb()
    if rss0 and rss1:
        print(f"hostile: VmRSS {rss0 >> 10} MB at start, {rss1 >> 10} MB at end")
    print(f"hostile: {time.monotonic() - T0:.1f} s")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
