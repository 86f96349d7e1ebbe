#!/usr/bin/python3
"""bench/ivm/ivm_bench.py — incremental view maintenance, measured (make bench-ivm).

On demand only, never in make test. Two parts, each printing a small table:

1. Throughput (Rivulet alone): tables orders (id PRIMARY KEY, cust, amount) and customers
   (cust PRIMARY KEY, region); two materialized views, a grouped aggregate over orders and a
   two-way join orders ⋈ customers grouped by region. A stream of --changes changes arrives in
   batches of --batch: 70% new orders (COPY), 30% updates of existing orders (one INSERT ...
   ON CONFLICT DO UPDATE per batch, each a retraction and an insertion for both views); after
   each batch FLUSH waits for the epoch that applies it to the table and both views. Reported:
   changes/s over the whole run (load + epochs), FLUSH time p50/p99 (epoch: apply + views +
   one LMDB commit), the state directory's size, the log's size and the server's peak RSS
   (VmHWM) with its anonymous part (RssAnon: heap, caches; LMDB's memory map is file-backed
   and counted in RssFile, which the kernel can drop). A curve sampled every tenth of the run
   (changes, RssAnon, RssFile, LMDB size) shows whether memory stays bounded as the stream
   grows: operator state lives in LMDB, memory is a cache with a budget
   (--state-cache-budget, passed through with --cache-budget).

2. Freshness versus PostgreSQL 15: a table of --rows rows (id PRIMARY KEY, g, v) with a view
   SELECT g, count(*), sum(v) FROM t GROUP BY g on both. --rounds times: 1,000 changes (upserts
   of random ids) are applied on both, then the time until the view is fresh is measured:
   Rivulet: FLUSH; PostgreSQL: REFRESH MATERIALIZED VIEW. Medians and the ratio. The ratio
   grows with --rows: incremental maintenance costs the change, recomputation the table.

Usage: ivm_bench.py [--build DIR] [--changes N] [--batch N] [--rows N] [--rounds N]
                    [--parts 1,2]
Defaults: --changes 10000000 --batch 20000 --rows 10000000 --rounds 20.
"""
import argparse
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

import psycopg

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))

ap = argparse.ArgumentParser()
ap.add_argument("--build", default=os.path.join(ROOT, "build"))
ap.add_argument("--changes", type=int, default=10_000_000)
ap.add_argument("--batch", type=int, default=20_000)
ap.add_argument("--rows", type=int, default=10_000_000)
ap.add_argument("--rounds", type=int, default=20)
ap.add_argument("--parts", default="1,2")
ap.add_argument("--seed", type=int, default=42)
ap.add_argument("--cache-budget", default=None, help="rivulet --state-cache-budget")
args = ap.parse_args()
rng = random.Random(args.seed)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Rivulet:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="rv-bench-ivm-")
        self.port = free_port()
        self.log = open(os.path.join(self.dir, "server.log"), "w")
        cmd = [os.path.join(args.build, "server", "rivulet"), "--port", str(self.port),
               "--data-dir", os.path.join(self.dir, "data")]
        if args.cache_budget:
            cmd += ["--state-cache-budget", args.cache_budget]
        self.p = subprocess.Popen(cmd, stdout=self.log, stderr=self.log)
        for _ in range(400):
            try:
                self.connect().close()
                return
            except psycopg.OperationalError:
                time.sleep(0.05)
        raise SystemExit("rivulet did not start")

    def connect(self):
        return psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", dbname="bench",
                               autocommit=True)

    def peak_rss_mb(self):
        with open(f"/proc/{self.p.pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        return float("nan")

    def rss_mb(self):
        """(RssAnon, RssFile) now, in MB."""
        out = {}
        with open(f"/proc/{self.p.pid}/status") as f:
            for line in f:
                k = line.split(":")[0]
                if k in ("RssAnon", "RssFile"):
                    out[k] = int(line.split()[1]) / 1024
        return out.get("RssAnon", float("nan")), out.get("RssFile", float("nan"))

    def du_mb(self, sub):
        total = 0
        for root, _, files in os.walk(os.path.join(self.dir, "data", sub)):
            for name in files:
                total += os.path.getsize(os.path.join(root, name))
        return total / 1e6

    def stop(self):
        self.p.terminate()
        self.p.wait(60)
        shutil.rmtree(self.dir, ignore_errors=True)


class Postgres:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="pg-bench-ivm-")
        os.rmdir(self.dir)
        out = subprocess.run([os.path.join(ROOT, "scripts", "pg-oracle.sh"), "start", self.dir],
                             check=True, capture_output=True, text=True).stdout
        self.port = int(out.strip().splitlines()[-1])

    def connect(self):
        return psycopg.connect(host="127.0.0.1", port=self.port, user="postgres",
                               dbname="regression", autocommit=True)

    def stop(self):
        subprocess.run([os.path.join(ROOT, "scripts", "pg-oracle.sh"), "stop", self.dir])


def pct(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


def copy_rows(conn, table, rows):
    with conn.cursor() as cur:
        with cur.copy(f"COPY {table} FROM STDIN") as cp:
            for r in rows:
                cp.write_row(r)


def part1():
    rv = Rivulet()
    try:
        c = rv.connect()
        ncust = 10_000
        c.execute("CREATE TABLE customers (cust int PRIMARY KEY, region int)")
        c.execute("CREATE TABLE orders (id bigint PRIMARY KEY, cust int, amount int)")
        copy_rows(c, "customers", ((i, i % 50) for i in range(ncust)))
        c.execute("CREATE MATERIALIZED VIEW by_cust AS SELECT cust % 1000 AS bucket, "
                  "count(*) AS n, sum(amount) AS total FROM orders GROUP BY cust % 1000")
        c.execute("CREATE MATERIALIZED VIEW by_region AS SELECT c.region, count(*) AS n, "
                  "sum(o.amount) AS total FROM orders o JOIN customers c ON o.cust = c.cust "
                  "GROUP BY c.region")
        next_id, flushes, done = 0, [], 0
        t0 = time.perf_counter()
        last_report = t0
        curve, next_sample, max_anon = [], args.changes // 10, 0.0
        while done < args.changes:
            n = min(args.batch, args.changes - done)
            nins = n if next_id < 1000 else int(n * 0.7)
            nupd = n - nins
            copy_rows(c, "orders", ((next_id + i, rng.randrange(ncust), rng.randrange(1000))
                                    for i in range(nins)))
            next_id += nins
            if nupd > 0:
                ids = {rng.randrange(next_id) for _ in range(nupd)}
                vals = ",".join(f"({i},{rng.randrange(ncust)},{rng.randrange(1000)})" for i in ids)
                c.execute(f"INSERT INTO orders VALUES {vals} ON CONFLICT (id) DO UPDATE "
                          "SET cust = excluded.cust, amount = excluded.amount")
            f0 = time.perf_counter()
            c.execute("FLUSH")
            flushes.append(time.perf_counter() - f0)
            done += n
            anon, filemb = rv.rss_mb()
            max_anon = max(max_anon, anon)
            if done >= next_sample:
                next_sample += args.changes // 10
                curve.append((done, anon, filemb, rv.du_mb("state")))
            if time.perf_counter() - last_report > 10:
                last_report = time.perf_counter()
                el = last_report - t0
                print(f"  ... {done:,} changes, {done / el:,.0f}/s, peak RSS "
                      f"{rv.peak_rss_mb():,.0f} MB", file=sys.stderr, flush=True)
        elapsed = time.perf_counter() - t0
        # the views must agree with their queries run ad hoc
        for v, q in (("by_cust", "SELECT cust % 1000, count(*), sum(amount) FROM orders "
                                 "GROUP BY cust % 1000"),
                     ("by_region", "SELECT c.region, count(*), sum(o.amount) FROM orders o "
                                   "JOIN customers c ON o.cust = c.cust GROUP BY c.region")):
            a = sorted(c.execute(f"SELECT * FROM {v}").fetchall())
            b = sorted(c.execute(q).fetchall())
            if a != b:
                print(f"WARNING: view {v} differs from its query", file=sys.stderr)
        print("\n== IVM throughput (Rivulet): grouped aggregate + two-way join view")
        print(f"changes                 {done:,} (batches of {args.batch:,}; 70% inserts, "
              "30% updates)")
        print(f"elapsed                 {elapsed:,.1f} s")
        print(f"changes/s               {done / elapsed:,.0f}")
        print(f"FLUSH (epoch) p50 / p99 {pct(flushes, 0.5) * 1e3:,.1f} / "
              f"{pct(flushes, 0.99) * 1e3:,.1f} ms")
        print(f"state (LMDB) size       {rv.du_mb('state'):,.1f} MB")
        print(f"log size                {rv.du_mb('log'):,.1f} MB")
        print(f"peak RSS                {rv.peak_rss_mb():,.0f} MB (VmHWM, LMDB map included)")
        print(f"peak RssAnon (sampled)  {max_anon:,.0f} MB")
        print("memory curve            changes       RssAnon MB  RssFile MB  LMDB MB")
        for d, a, fm, st in curve:
            print(f"                        {d:>12,}  {a:>10,.0f}  {fm:>10,.0f}  {st:>7,.0f}")
    finally:
        rv.stop()


def part2():
    rv, pg = Rivulet(), Postgres()
    try:
        cr, cp = rv.connect(), pg.connect()
        for c in (cr, cp):
            c.execute("CREATE TABLE t (id bigint PRIMARY KEY, g int, v int)")
        groups = 1000
        gen = [(i, i % groups, (i * 7919) % 1000) for i in range(args.rows)]
        t0 = time.perf_counter()
        copy_rows(cr, "t", gen)
        print(f"  loaded {args.rows:,} rows into Rivulet in {time.perf_counter() - t0:.1f} s",
              file=sys.stderr)
        t0 = time.perf_counter()
        copy_rows(cp, "t", gen)
        print(f"  loaded {args.rows:,} rows into PostgreSQL in {time.perf_counter() - t0:.1f} s",
              file=sys.stderr)
        del gen
        view = "SELECT g, count(*) AS n, sum(v) AS s FROM t GROUP BY g"
        t0 = time.perf_counter()
        cr.execute(f"CREATE MATERIALIZED VIEW agg AS {view}")
        create_rv = time.perf_counter() - t0
        t0 = time.perf_counter()
        cp.execute(f"CREATE MATERIALIZED VIEW agg AS {view}")
        create_pg = time.perf_counter() - t0
        fr, fp = [], []
        for _ in range(args.rounds):
            ids = {rng.randrange(args.rows) for _ in range(1000)}
            vals = ",".join(f"({i},{rng.randrange(groups)},{rng.randrange(1000)})" for i in ids)
            sql = (f"INSERT INTO t VALUES {vals} ON CONFLICT (id) DO UPDATE "
                   "SET g = excluded.g, v = excluded.v")
            cr.execute(sql)
            t0 = time.perf_counter()
            cr.execute("FLUSH")
            fr.append(time.perf_counter() - t0)
            cp.execute(sql)
            t0 = time.perf_counter()
            cp.execute("REFRESH MATERIALIZED VIEW agg")
            fp.append(time.perf_counter() - t0)
        a = sorted(cr.execute("SELECT * FROM agg").fetchall())
        b = sorted(cp.execute("SELECT * FROM agg").fetchall())
        if a != b:
            print("WARNING: the two views differ", file=sys.stderr)
        mr, mp = statistics.median(fr), statistics.median(fp)
        print(f"\n== Freshness after 1,000 changes, table of {args.rows:,} rows, "
              f"{args.rounds} rounds (medians)")
        print(f"CREATE MATERIALIZED VIEW  Rivulet {create_rv * 1e3:,.0f} ms   "
              f"PostgreSQL {create_pg * 1e3:,.0f} ms")
        print(f"fresh again               Rivulet {mr * 1e3:,.1f} ms (FLUSH)   PostgreSQL "
              f"{mp * 1e3:,.1f} ms (REFRESH)   ratio {mp / mr:,.1f}x")
        print(f"p99                       Rivulet {pct(fr, 0.99) * 1e3:,.1f} ms   PostgreSQL "
              f"{pct(fp, 0.99) * 1e3:,.1f} ms")
        print(f"views agree               {'yes' if a == b else 'NO'}")
    finally:
        rv.stop()
        pg.stop()


parts = {p.strip() for p in args.parts.split(",")}
if "1" in parts:
    part1()
if "2" in parts:
    part2()
