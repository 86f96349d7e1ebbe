"""tests/crash/crashlib.py — what the crash scenarios share: a free port, starting the
server on a data directory (log appended beside it) and waiting until it accepts connections,
and an autocommit connection. Imported by crash_pk.py and crash_mv.py (its name is not
crash_*.py because run.sh runs every such file as a scenario)."""
import os
import socket
import subprocess
import time

import psycopg


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(binary, datadir, port, interval_ms, extra=()):
    """Starts the server with --checkpoint-interval interval_ms (and the flags in extra);
    returns the Popen once a connection succeeds (SystemExit if it exits or does not come up
    in 20 s)."""
    log = open(os.path.join(datadir + ".log"), "a")
    p = subprocess.Popen([binary, "--port", str(port), "--data-dir", datadir,
                          "--checkpoint-interval", f"{interval_ms}ms", *extra],
                         stdout=log, stderr=log)
    for _ in range(400):
        try:
            psycopg.connect(host="127.0.0.1", port=port, user="postgres", autocommit=True).close()
            return p
        except psycopg.OperationalError:
            if p.poll() is not None:
                raise SystemExit(f"server exited with {p.returncode}; see {datadir}.log")
            time.sleep(0.05)
    raise SystemExit("server did not start")


def connect(port):
    return psycopg.connect(host="127.0.0.1", port=port, user="postgres", autocommit=True)
