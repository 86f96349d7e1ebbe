#!/usr/bin/python3
"""bench/state/state_curve.py — state size and memory over a long Nexmark stream (make bench-state).

Issue 6: "state size and memory stay flat over a stream of 100 million events for a windowed
aggregate and an interval join (report the curve)". On demand only, never in make test.

One release server on a private data directory, in-server Nexmark generator sources with a
watermark (WATERMARK FOR date_time AS date_time - INTERVAL '4' SECOND; nexmark.event.num =
--events, event time --rate events/s, no wall-clock pacing) and one materialized view:

  --query agg    SELECT window_start, auction, count(*), max(price)
                 FROM TUMBLE(bid, date_time, INTERVAL '10' SECOND) GROUP BY window_start, auction
                 (its output grows with the windows; its operator state should not)
  --query ijoin  SELECT count(*), sum(B.price) FROM bid B JOIN auction A ON B.auction = A.id
                 AND B.date_time BETWEEN A.date_time AND A.date_time + INTERVAL '10' SECOND
                 (one output row; the join's state should hold ~10 s of each side)

Every --sample events taken by the view (default 5M) one line:

  events     events the epochs have taken (from the sources' watermarks in
             rw_catalog.rw_watermarks: W + 4 s is the newest event time taken, and event i
             has event time base + i / rate; the minimum over the view's sources)
  elapsed    seconds since the view was created; ev/s over the last interval
  op_ent/op_MB   operator state: sum of entries / bytes of the view's "t<view>.o*" tables in
             rw_catalog.rw_state_tables (bytes = B-tree pages x page size)
  view_rows  entries of "t<view>.mv" (the view's contents) and its MB
  lmdb_MB    size of state/data.mdb (LMDB never shrinks its file: freed pages are reused)
  log_MB     the source logs on disk (the server runs with --log-retention, default 1GB)
  anon/rss   the server's RssAnon and VmRSS from /proc/<pid>/status (MB): RssAnon is heap
             (operator caches, in-memory state); VmRSS adds mapped LMDB pages
  cpu%       server CPU time / wall time over the interval (2 cores = 200%)

At the end (all events generated, then FLUSH) a last line and a summary: each figure at the
first sample, at the last, and last/first. Flat state means op_ent and op_MB do not grow with
events (ratio ~1 while events grew 20x); growth proportional to events means the operator
keeps every window / row.

Polling reads only rw_watermarks and rw_state_tables (O(relations), no scan of a source or
of the view). --csv FILE writes every sample for plotting.

Usage: state_curve.py [--build DIR] [--query agg|ijoin] [--events N] [--sample N] [--rate R]
                      [--seed S] [--gap-ns G] [--log-retention L] [--max-rss-mb M] [--csv FILE]
                      [--keep]
Defaults: --build build-rel (release) --query agg --events 100000000 --sample 5000000
          --rate 10000 (event time, Nexmark's default: 10 s windows of 100k events)
          --gap-ns 0 for agg (generators as fast as possible), 10000 for ijoin (100k events/s
          of wall time: the two streams stay in step; an epoch takes at most 131,072 records
          per log, so with a backlog auctions run ahead of bids in event time and the join
          correctly keeps them until the bids catch up: state then follows the skew)
"""
import argparse
import datetime
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

import psycopg

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
BASE_MS = 1436918400000  # nexmark.base.time, set explicitly (2015-07-15 00:00:00)
DELAY_S = 4              # the watermark delay
SHARE = {"person": 1, "auction": 3, "bid": 46}  # per 50 events
OFFSET = {"person": 0, "auction": 1, "bid": 4}

COLS = {
    "auction": "id BIGINT, item_name VARCHAR, description VARCHAR, initial_bid BIGINT, "
               "reserve BIGINT, date_time TIMESTAMP, expires TIMESTAMP, seller BIGINT, "
               "category BIGINT, extra VARCHAR",
    "bid": "auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR, url VARCHAR, "
           "date_time TIMESTAMP, extra VARCHAR",
}
QUERIES = {
    "agg": (("bid",),
            "SELECT window_start, auction, count(*) AS n, max(price) AS max_price "
            "FROM TUMBLE(bid, date_time, INTERVAL '10' SECOND) GROUP BY window_start, auction"),
    "ijoin": (("bid", "auction"),
              "SELECT count(*) AS n, sum(B.price) AS price FROM bid B JOIN auction A "
              "ON B.auction = A.id AND B.date_time BETWEEN A.date_time AND "
              "A.date_time + INTERVAL '10' SECOND"),
}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def proc_status(pid):
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            k, _, v = line.partition(":")
            if k in ("RssAnon", "VmRSS", "VmHWM"):
                out[k] = int(v.split()[0]) / 1024
    return out


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def dir_bytes(path):
    total = 0
    for d, _, files in os.walk(path):
        for f in files:
            try:
                total += os.stat(os.path.join(d, f)).st_size
            except OSError:
                pass
    return total


class Server:
    def __init__(self, args):
        self.dir = args.dir or tempfile.mkdtemp(prefix="rv-state-curve-")
        os.makedirs(self.dir, exist_ok=True)
        self.data = os.path.join(self.dir, "data")
        self.port = free_port()
        self.log = open(os.path.join(self.dir, "server.log"), "w")
        self.p = subprocess.Popen([os.path.join(args.build, "server", "rivulet"), "--port",
                                   str(self.port), "--listen", "127.0.0.1", "--data-dir",
                                   self.data, "--log-retention", args.log_retention],
                                  stdout=self.log, stderr=self.log)
        self.max_rss = args.max_rss_mb
        self.killed_rss = None
        threading.Thread(target=self._watch, daemon=True).start()
        for _ in range(400):
            try:
                self.connect().close()
                return
            except psycopg.OperationalError:
                if self.p.poll() is not None:
                    break
                time.sleep(0.05)
        raise SystemExit("rivulet did not start (log: %s)" % self.log.name)

    def connect(self):
        return psycopg.connect(host="127.0.0.1", port=self.port, user="postgres",
                               dbname="statecurve", autocommit=True)

    def _watch(self):
        """Kills our server (by pid) past --max-rss-mb: the machine is shared."""
        while self.p.poll() is None:
            try:
                if proc_status(self.p.pid).get("VmRSS", 0) > self.max_rss:
                    self.killed_rss = proc_status(self.p.pid)["VmRSS"]
                    self.p.kill()
            except OSError:
                return
            time.sleep(0.2)

    def generated(self):
        """{source: rows} of the generators that logged 'finished'."""
        self.log.flush()
        done = {}
        with open(self.log.name) as f:
            for line in f:
                m = re.search(r'generator of source "([^"]+)" finished: (\d+) rows', line)
                if m:
                    done[m.group(1)] = int(m.group(2))
        return done

    def log_tail(self, n=3):
        self.log.flush()
        with open(self.log.name) as f:
            return "".join(f.readlines()[-n:]).strip()

    def stop(self, keep):
        if self.p.poll() is None:
            self.p.terminate()
            try:
                self.p.wait(60)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait()
        if not keep:
            shutil.rmtree(self.dir, ignore_errors=True)


def parse_ts(text):
    for fmt in ("%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.datetime.strptime(text, fmt).replace(tzinfo=datetime.timezone.utc)
        except ValueError:
            pass
    raise ValueError(f"watermark {text!r}")


class Curve:
    def __init__(self, args, srv, conn, sources):
        self.args, self.srv, self.c, self.sources = args, srv, conn, sources
        self.view_id = conn.execute("SELECT id FROM rw_catalog.rw_materialized_views "
                                    "WHERE name = 'state_curve'").fetchone()[0]
        self.samples = []
        self.t0 = time.time()
        self.last = (self.t0, 0, cpu_seconds(srv.p.pid))

    def events_taken(self):
        """Events taken by every source's epochs, from its watermark (None before the first)."""
        rows = dict(self.c.execute("SELECT relation_name, watermark FROM rw_catalog.rw_watermarks "
                                   "WHERE relation_kind <> 'materialized view'").fetchall())
        taken = []
        for s in self.sources:
            w = rows.get(s)
            if w is None:
                return 0
            ms = parse_ts(w).timestamp() * 1000 + DELAY_S * 1000 - BASE_MS
            # event i has event time base + i * 1000 / rate ms (ms precision: +1 ms of events)
            taken.append(min(self.args.events, int((ms + 1) * self.args.rate / 1000)))
        return min(taken)

    def sample(self, events):
        now = time.time()
        cpu = cpu_seconds(self.srv.p.pid)
        op_e = op_b = mv_e = mv_b = 0
        prefix = f"t{self.view_id}."
        for name, entries, nbytes in self.c.execute(
                "SELECT table_name, entries, bytes FROM rw_catalog.rw_state_tables"):
            if not name.startswith(prefix):
                continue
            suffix = name[len(prefix):]
            if suffix == "mv":
                mv_e, mv_b = entries, nbytes
            elif suffix.startswith("o"):
                op_e += entries
                op_b += nbytes
        st = proc_status(self.srv.p.pid)
        t_prev, e_prev, c_prev = self.last
        dt = max(now - t_prev, 1e-9)
        s = {
            "events": events, "elapsed": now - self.t0,
            "eps": (events - e_prev) / dt, "cpu_pct": 100 * (cpu - c_prev) / dt,
            "op_entries": op_e, "op_mb": op_b / 2**20, "view_rows": mv_e, "view_mb": mv_b / 2**20,
            "lmdb_mb": os.stat(os.path.join(self.srv.data, "state", "data.mdb")).st_size / 2**20,
            "log_mb": dir_bytes(os.path.join(self.srv.data, "log")) / 2**20,
            "anon_mb": st.get("RssAnon", float("nan")), "rss_mb": st.get("VmRSS", float("nan")),
            "hwm_mb": st.get("VmHWM", float("nan")),
        }
        self.last = (now, events, cpu)
        self.samples.append(s)
        print(fmt_line(s), flush=True)
        if self.args.csv:
            new = not os.path.exists(self.args.csv) or os.path.getsize(self.args.csv) == 0
            with open(self.args.csv, "a") as f:
                if new:
                    f.write("query," + ",".join(s) + "\n")
                f.write(self.args.query + "," + ",".join(f"{v:.3f}" if isinstance(v, float)
                                                         else str(v) for v in s.values()) + "\n")


HEADER = (f"{'events':>11} {'elapsed':>8} {'ev/s':>8} {'op_ent':>10} {'op_MB':>8} "
          f"{'view_rows':>10} {'view_MB':>8} {'lmdb_MB':>8} {'log_MB':>7} {'anon_MB':>7} "
          f"{'rss_MB':>7} {'cpu%':>5}")


def fmt_line(s):
    return (f"{s['events']:>11,} {s['elapsed']:>7.1f}s {s['eps']:>8.0f} {s['op_entries']:>10,} "
            f"{s['op_mb']:>8.1f} {s['view_rows']:>10,} {s['view_mb']:>8.1f} {s['lmdb_mb']:>8.1f} "
            f"{s['log_mb']:>7.0f} {s['anon_mb']:>7.0f} {s['rss_mb']:>7.0f} {s['cpu_pct']:>5.0f}")


def guard(args, srv):
    """Why the run must stop now (the disk and memory are shared), or None."""
    lmdb = os.stat(os.path.join(srv.data, "state", "data.mdb")).st_size
    if lmdb > args.max_lmdb_gb * 2**30:
        return f"the state store passed --max-lmdb-gb {args.max_lmdb_gb:g} (state is not flat)"
    vfs = os.statvfs(srv.data)
    if vfs.f_bavail * vfs.f_frsize < args.min_free_gb * 2**30:
        return f"less than --min-free-gb {args.min_free_gb:g} GB free on the data directory's disk"
    return None


def summary(samples):
    """First, middle (the sample nearest half the last one's events) and last sample. The
    first includes the warm-up (state filling its first windows), so flatness is judged on
    last/mid: for a flat figure it stays near 1 while the events double."""
    if len(samples) < 3:
        return "summary: fewer than three samples (lower --sample)"
    a, b = samples[0], samples[-1]
    m = min(samples[1:-1], key=lambda s: abs(s["events"] - b["events"] / 2))
    ev_ratio = b["events"] / max(m["events"], 1)
    out = [f"summary: samples at {a['events']:,} (first), {m['events']:,} (mid), "
           f"{b['events']:,} (last) events: last/mid {ev_ratio:.2f}x the events",
           f"  {'figure':<22} {'first':>12} {'mid':>12} {'last':>12} {'last/first':>10} "
           f"{'last/mid':>9}"]
    verdicts = []
    for k, label in (("op_entries", "operator state entries"), ("op_mb", "operator state MB"),
                     ("view_rows", "view rows"), ("view_mb", "view MB"),
                     ("lmdb_mb", "LMDB file MB"), ("anon_mb", "RssAnon MB"),
                     ("rss_mb", "VmRSS MB")):
        r_first = b[k] / a[k] if a[k] else float("nan")
        r_mid = b[k] / m[k] if m[k] else float("nan")
        f = [f"{x[k]:,}" if isinstance(x[k], int) else f"{x[k]:.1f}" for x in (a, m, b)]
        out.append(f"  {label:<22} {f[0]:>12} {f[1]:>12} {f[2]:>12} {r_first:>10.2f} "
                   f"{r_mid:>9.2f}")
        if k in ("op_mb", "anon_mb", "rss_mb"):
            flat = r_mid == r_mid and r_mid <= 1 + 0.25 * (ev_ratio - 1)
            verdicts.append(f"{label} {'flat' if flat else 'GROWS'}")
    peak = max(s["op_entries"] for s in samples)
    out.append(f"  peak operator state entries {peak:,}; peak VmRSS (VmHWM) "
               f"{samples[-1]['hwm_mb']:.0f} MB; mean {b['events'] / b['elapsed']:.0f} events/s")
    out.append("  verdict (last/mid within a quarter of the events' growth): " +
               ", ".join(verdicts))
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build-rel"))
    ap.add_argument("--query", choices=sorted(QUERIES), default="agg")
    ap.add_argument("--events", type=int, default=100_000_000)
    ap.add_argument("--sample", type=int, default=5_000_000)
    ap.add_argument("--rate", type=int, default=10_000, help="event-time rate, events/s")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--gap-ns", type=int, default=None,
                    help="nexmark.min.event.gap.in.ns: wall-clock pacing of the generators "
                         "(default 0 for agg, 10000 = 100k events/s for ijoin: see below)")
    ap.add_argument("--log-retention", default="1GB",
                    help="the server's --log-retention (the source logs would hold every event)")
    ap.add_argument("--max-rss-mb", type=float, default=8000,
                    help="kill the server (and report it) when its VmRSS passes this")
    ap.add_argument("--max-lmdb-gb", type=float, default=20,
                    help="stop when the state store's file passes this (state that grows)")
    ap.add_argument("--min-free-gb", type=float, default=10,
                    help="stop when the data directory's disk has less free")
    ap.add_argument("--timeout", type=float, default=6 * 3600)
    ap.add_argument("--poll", type=float, default=0.5, help="seconds between progress polls")
    ap.add_argument("--csv", default="", help="append every sample to this CSV file")
    ap.add_argument("--dir", default="", help="work directory (default: a fresh one in /tmp)")
    ap.add_argument("--keep", action="store_true", help="keep the data directory")
    args = ap.parse_args()
    if not os.path.exists(os.path.join(args.build, "server", "rivulet")):
        raise SystemExit(f"no server in {args.build}: meson setup {args.build} "
                         "--buildtype=release && ninja -C " + args.build)

    sources, query = QUERIES[args.query]
    # A join of two generator sources needs them in step: an epoch takes at most 131,072
    # records of each log, so with a backlog the small stream (auctions) runs ahead of the big
    # one (bids) in event time, and the join must keep every auction until the bids catch up
    # (correctly: they may still match). Paced below what the server takes, no backlog forms.
    gap_ns = args.gap_ns if args.gap_ns is not None else (10_000 if len(sources) > 1 else 0)
    srv = Server(args)
    print(f"state curve: --query {args.query}, {args.events:,} events (event time {args.rate}/s, "
          f"{'as fast as possible' if gap_ns == 0 else f'{1e9 / gap_ns:,.0f} events/s of wall time'}), "
          f"sample every {args.sample:,}; server pid {srv.p.pid}, data {srv.data}")
    print(f"view: {query}", flush=True)
    rc = 0
    try:
        c = srv.connect()
        for t in sources:
            c.execute(f"CREATE SOURCE {t} ({COLS[t]}, WATERMARK FOR date_time AS date_time - "
                      f"INTERVAL '{DELAY_S}' SECOND) WITH (connector = 'nexmark', "
                      f"nexmark.table.type = '{t}', nexmark.event.num = {args.events}, "
                      f"nexmark.event.rate = {args.rate}, nexmark.seed = {args.seed}, "
                      f"nexmark.base.time = {BASE_MS}, nexmark.min.event.gap.in.ns = {gap_ns})")
        c.execute(f"CREATE MATERIALIZED VIEW state_curve AS {query}")
        curve = Curve(args, srv, c, sources)
        print(HEADER, flush=True)
        want = {t: args.events // 50 * SHARE[t] +
                max(0, min(args.events % 50 - OFFSET[t], SHARE[t])) for t in sources}
        next_at = args.sample
        stalled_since, ev_prev = None, -1
        while True:
            time.sleep(args.poll)
            if srv.p.poll() is not None:
                raise psycopg.OperationalError("server exited")
            ev = curve.events_taken()
            # the generators run ahead of the epochs: the end is when the epochs took the last
            # events (the last bid can be up to 49 events before the last event), or when
            # nothing moves any more after generation finished; FLUSH then takes the rest
            have = srv.generated()
            if all(have.get(t, 0) >= want[t] for t in sources):
                if stalled_since is None or ev != ev_prev:
                    stalled_since = time.time()
                if ev >= args.events - 50 or time.time() - stalled_since > 10:
                    c.execute("FLUSH")
                    curve.sample(args.events)
                    break
            ev_prev = ev
            if ev >= next_at:
                curve.sample(ev)
                next_at = (ev // args.sample + 1) * args.sample
            stop = guard(args, srv)
            if stop:
                curve.sample(ev)
                print(f"stopped at {ev:,} events: {stop}", flush=True)
                rc = 1
                break
            if time.time() - curve.t0 > args.timeout:
                print(f"timeout after {args.timeout:.0f} s", flush=True)
                rc = 1
                break
        print()
        print(summary(curve.samples))
        if args.query == "ijoin" and rc == 0:
            print("view: n, price =", c.execute("SELECT n, price FROM state_curve").fetchone())
    except psycopg.Error as e:
        why = (f"killed by the bench: VmRSS {srv.killed_rss:.0f} MB > --max-rss-mb"
               if srv.killed_rss is not None else srv.log_tail())
        print(f"server failed: {str(e).splitlines()[0] if str(e) else type(e).__name__} ({why})",
              flush=True)
        if "curve" in locals():
            print(summary(curve.samples))
        rc = 1
    finally:
        srv.stop(args.keep)
    sys.exit(rc)


if __name__ == "__main__":
    main()
