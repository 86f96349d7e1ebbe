"""tests/lib/rvtest.py — what the Python suites that run their own Rivulet beside a PostgreSQL
oracle share (tests/watermark, tests/wmtopn, tests/generated): a free port, an autocommit
connection in UTC, starting the server on a work directory and waiting until it answers,
and a multiset of a query's rows with a short difference for failure messages.

Import with `sys.path.insert(0, <tests/lib>)` from the suite's script."""
import os
import socket
import subprocess
import time
from collections import Counter

import psycopg


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def connect(host, port, dbname=None):
    """Autocommit, TimeZone UTC (so timestamptz text is the same on both servers)."""
    kw = {"dbname": dbname} if dbname else {}
    c = psycopg.connect(host=host, port=port, user="postgres", autocommit=True, **kw)
    c.execute("SET TimeZone = 'UTC'")
    return c


def start_rivulet(build, work, port, extra=()):
    """BUILD's server on port with its data in WORK/data and its log appended to
    WORK/rivulet.log (plus the flags in extra); the Popen once a connection succeeds
    (SystemExit if it exits or does not come up in 20 s)."""
    log = open(os.path.join(work, "rivulet.log"), "a")
    p = subprocess.Popen([os.path.join(build, "server", "rivulet"), "--port", str(port),
                          "--listen", "127.0.0.1", "--data-dir", os.path.join(work, "data"),
                          *extra], stdout=log, stderr=log)
    for _ in range(400):
        try:
            psycopg.connect(host="127.0.0.1", port=port, user="postgres").close()
            return p
        except psycopg.OperationalError:
            if p.poll() is not None:
                raise SystemExit(f"rivulet exited with {p.returncode}; see {work}/rivulet.log")
            time.sleep(0.05)
    raise SystemExit("rivulet did not start")


def rows_of(conn, sql):
    with conn.cursor() as cur:
        cur.execute(sql)
        return Counter(tuple(r) for r in cur.fetchall())


def diff_text(want, got, want_label="expected only"):
    """Up to five rows on each side of the difference of two rows_of() multisets."""
    width = max(len(want_label), len("Rivulet only"))
    lines = []
    for r in list((want - got).keys())[:5]:
        lines.append(f"    {want_label + ':':<{width + 1}} {r} x{(want - got)[r]}")
    for r in list((got - want).keys())[:5]:
        lines.append(f"    {'Rivulet only:':<{width + 1}} {r} x{(got - want)[r]}")
    return "\n".join(lines)
