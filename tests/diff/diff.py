#!/usr/bin/env python3
"""tests/diff/diff.py — differential testing: every corpus query on PostgreSQL 15
and on Rivulet, compared on the wire.

    /usr/bin/python3 tests/diff/diff.py --pg HOST:PORT --rv HOST:PORT
        [--corpus DIR] [--known FILE] [--update-known] [--only SUBSTR]
        [--verbose] [--timeout SECS]
    /usr/bin/python3 tests/diff/diff.py --self-test

(tests/diff/run.sh starts both servers and calls this; use that.)

Each query (one per line of corpus/*.sql; '--' lines are comments) runs on
one connection per server through libpq (psycopg.pq, the raw C API: values
are the exact bytes of the text wire format, nothing converted by Python).
The two outcomes are compared:

  * both failed:  SQLSTATEs must be equal; a different message text is
                  reported as a note, never a failure (except Rivulet's
                  0A000 "... not supported yet" placeholder, which agrees
                  with a PostgreSQL 0A000 only by coincidence);
  * both ran:     column count, result type OIDs, then the rows as text
                  (NULL distinct from ''): in order when the query has an
                  ORDER BY at the top level, else as multisets;
  * otherwise:    a divergence (one failed, the other did not).

The id of a query is "<file stem>:<first 10 hex of sha1(query text)>": it
survives reordering and insertions, and changes only when the text does.

tests/diff/known_divergences.txt lists the ids expected to differ, each with a
category; category reasons are defined in the same file ("@category NAME:
reason"). The run fails on a divergence the file does not list, and reports
listed ids that now agree (remove them: the list only shrinks) and listed ids
no longer in the corpus. --update-known rewrites the file from this run: ids
that now agree are dropped, new divergences are filed under a category guessed
from how they differ (area of the file + kind of difference; see classify()),
existing hand-written reasons are kept (reasons this tool wrote are
rewritten with fresh examples).

Output ends with "diff: A/N agree (P%)" and the "N passed, N failed" line
scripts/test.sh reads (passed = agreeing + listed divergences).

Invariants:
  1. Session settings are identical on both sides (checked before the run:
     TimeZone, DateStyle, IntervalStyle, extra_float_digits, client_encoding).
  2. Every query has a time limit on both sides; a query that times out on
     Rivulet is cancelled and counts as a divergence, a lost connection is
     re-opened (and the run stops if the server is gone).
  3. Deterministic output: files and queries run in sorted/line order.
"""
import argparse
import hashlib
import os
import re
import select
import sys
import time

from psycopg import pq

HERE = os.path.dirname(os.path.abspath(__file__))
SQLSTATE = pq.DiagnosticField.SQLSTATE
MESSAGE = pq.DiagnosticField.MESSAGE_PRIMARY
SETTINGS = ["TimeZone", "DateStyle", "IntervalStyle", "extra_float_digits", "client_encoding",
            "standard_conforming_strings"]


def query_id(stem, text):
    return f"{stem}:{hashlib.sha1(text.encode('utf-8')).hexdigest()[:10]}"


def load_corpus(corpus, only):
    out = []
    for name in sorted(os.listdir(corpus)):
        if not name.endswith(".sql"):
            continue
        stem = name[:-4]
        with open(os.path.join(corpus, name), encoding="utf-8") as f:
            for lineno, line in enumerate(f, 1):
                s = line.rstrip("\n")
                if not s.strip() or s.lstrip().startswith("--"):
                    continue
                if only and only not in stem and only not in s:
                    continue
                out.append((query_id(stem, s), f"{name}:{lineno}", s))
    return out


def has_top_level_order_by(sql):
    """True when ORDER BY appears outside parentheses and string literals."""
    depth = 0
    i = 0
    flat = []
    while i < len(sql):
        c = sql[i]
        if c == "'":
            j = i + 1
            while j < len(sql):
                if sql[j] == "'" and (j + 1 >= len(sql) or sql[j + 1] != "'"):
                    break
                j += 2 if sql[j] == "'" else 1
            i = j + 1
            flat.append(" ")
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif depth == 0:
            flat.append(c)
        i += 1
    return re.search(r"\border\s+by\b", "".join(flat), re.I) is not None


class Outcome:
    """What one server answered: an error (sqlstate, message) or a result."""

    def __init__(self):
        self.sqlstate = None
        self.message = None
        self.types = None
        self.names = None
        self.rows = None
        self.note = None  # connection trouble, timeout

    @property
    def failed(self):
        return self.sqlstate is not None

    def brief(self, ordered, raw=False):
        if self.sqlstate is not None:
            return f"ERROR {self.sqlstate}: {self.message}"
        rows = self.rows if ordered else sorted(self.rows, key=row_key)

        def show(v):
            if v is None:
                return "<NULL>"
            return "\\x" + v.hex() if raw else v.decode("utf-8", "replace")
        shown = "; ".join("|".join(show(v) for v in r) for r in rows[:6])
        more = f" … ({len(rows)} rows)" if len(rows) > 6 else ""
        return f"types={self.types} rows=[{shown}]{more}"


def row_key(r):
    return tuple((0, b"") if v is None else (1, v) for v in r)


class Server:
    def __init__(self, label, host, port, timeout):
        self.label = label
        self.conninfo = f"host={host} port={port} user=postgres dbname=postgres connect_timeout=10"
        self.timeout = timeout
        self.conn = None

    def connect(self):
        self.conn = pq.PGconn.connect(self.conninfo.encode())
        if self.conn.status != pq.ConnStatus.OK:
            msg = self.conn.error_message.decode("utf-8", "replace").strip()
            self.conn = None
            raise RuntimeError(f"{self.label}: cannot connect: {msg}")

    def run(self, sql, binary=False):
        """Simple query protocol; binary=True: extended protocol, results in binary format."""
        o = Outcome()
        if self.conn is None or self.conn.status != pq.ConnStatus.OK:
            self.connect()
        c = self.conn
        try:
            if binary:
                c.send_query_params(sql.encode("utf-8"), None, result_format=pq.Format.BINARY)
            else:
                c.send_query(sql.encode("utf-8"))
        except Exception:  # psycopg.OperationalError: the connection is gone
            o.sqlstate = "CONN"
            o.message = c.error_message.decode("utf-8", "replace").strip()
            self.conn = None
            return o
        deadline = time.monotonic() + self.timeout
        results = []
        while True:
            while c.is_busy():
                left = deadline - time.monotonic()
                if left <= 0:
                    cancel = c.get_cancel()
                    cancel.cancel()
                    o.note = "timeout"
                    deadline = time.monotonic() + 5
                    left = 5
                r, _, _ = select.select([c.socket], [], [], left)
                c.consume_input()
                if c.status != pq.ConnStatus.OK:
                    break
            res = c.get_result()
            if res is None:
                break
            results.append(res)
            if c.status != pq.ConnStatus.OK:
                break
        if c.status != pq.ConnStatus.OK or not results:
            o.sqlstate = "CONN"
            o.message = "connection lost: " + c.error_message.decode("utf-8", "replace").strip()
            self.conn = None
            return o
        res = results[-1]
        st = res.status
        if st == pq.ExecStatus.TUPLES_OK:
            n = res.nfields
            o.types = [res.ftype(i) for i in range(n)]
            o.names = [res.fname(i).decode("utf-8", "replace") for i in range(n)]
            o.rows = [tuple(res.get_value(r, i) for i in range(n)) for r in range(res.ntuples)]
        elif st == pq.ExecStatus.COMMAND_OK:
            o.types = []
            o.names = []
            o.rows = []
        else:
            state = res.error_field(SQLSTATE)
            msg = res.error_field(MESSAGE)
            o.sqlstate = state.decode() if state else "?????"
            o.message = msg.decode("utf-8", "replace") if msg else res.error_message.decode("utf-8", "replace")
        if o.note == "timeout" and o.sqlstate is None:
            o.note = None
        return o


def compare(pg, rv, ordered):
    """Returns (kind, notes): kind None when they agree."""
    notes = []
    if rv.note == "timeout":
        return "timeout", notes
    if rv.sqlstate == "CONN":
        return "connection", notes
    if pg.failed and rv.failed:
        if pg.sqlstate != rv.sqlstate:
            return "sqlstate", notes
        # Rivulet's placeholder for unfinished work is 0A000 "... is not supported yet";
        # agreeing with a PostgreSQL 0A000 about something else is a coincidence.
        if (rv.sqlstate == "0A000" and "not supported yet" in (rv.message or "")
                and pg.message != rv.message):
            return "sqlstate", notes
        if pg.message != rv.message:
            notes.append(f"message differs: pg {pg.message!r} / rivulet {rv.message!r}")
        return None, notes
    if pg.failed:
        return "rivulet-accepts", notes
    if rv.failed:
        return "rivulet-rejects", notes
    if len(pg.types) != len(rv.types):
        return "columns", notes
    if pg.types != rv.types:
        return "type", notes
    if pg.names != rv.names:
        notes.append(f"column names differ: pg {pg.names} / rivulet {rv.names}")
    a, b = pg.rows, rv.rows
    if not ordered:
        a, b = sorted(a, key=row_key), sorted(b, key=row_key)
    if a != b:
        if not ordered or sorted(a, key=row_key) != sorted(b, key=row_key):
            return "value", notes
        return "order", notes
    return None, notes


def area_of(stem):
    return stem.split("_", 1)[1] if "_" in stem else stem


# Reason templates for categories --update-known creates. They state what was
# observed; the lead refines them (a refined reason is kept on later updates).
KIND_REASON = {
    "missing": "Rivulet lacks the function, operator or type (42883/42704/0A000): not implemented yet",
    "unsupported-from": "Rivulet raises 0A000 for FROM (VALUES ...)/subqueries: query over VALUES not implemented yet",
    "rivulet-rejects": "Rivulet raises an error where PostgreSQL returns a result",
    "rivulet-accepts": "Rivulet returns a result where PostgreSQL raises an error (missing check)",
    "sqlstate": "both fail, with a different SQLSTATE",
    "type": "result type OID differs from PostgreSQL's",
    "columns": "number of result columns differs",
    "value": "same type, different text output",
    "order": "same rows, different order under ORDER BY",
    "timeout": "Rivulet did not answer within the time limit",
    "connection": "Rivulet dropped the connection (crash?)",
}


MISSING_STATES = ("42883", "42704", "0A000")


def is_missing(rv):
    """Rivulet said it lacks something (function, operator, type, typmod, feature)."""
    if rv.sqlstate in MISSING_STATES:
        return True
    return rv.sqlstate == "42601" and "type modifier is not allowed" in (rv.message or "")


def classify(stem, kind, rv):
    area = area_of(stem)
    if kind in ("rivulet-rejects", "sqlstate") and is_missing(rv):
        msg = rv.message or ""
        if rv.sqlstate == "0A000" and "FROM" in msg:
            return f"{area}:unsupported-from"
        return f"{area}:missing"
    return f"{area}:{kind}"


def example_message(rv):
    """Rivulet's message with the varying parts (quoted values, argument lists) blurred."""
    m = re.sub(r'"[^"]*"', '"…"', rv.message or "")
    return m


def read_known(path):
    reasons = {}
    entries = {}
    order = []
    if not os.path.exists(path):
        return reasons, entries, order
    with open(path, encoding="utf-8") as f:
        for line in f:
            s = line.rstrip("\n")
            if s.startswith("@category "):
                name, _, reason = s[len("@category "):].partition(":")
                name = name.strip()
                # a category name itself holds one ':' (area:kind)
                if ":" not in name:
                    rest, _, reason = reason.partition(":")
                    name = name + ":" + rest.strip()
                reasons[name] = reason.strip()
                order.append(name)
                continue
            if not s.strip() or s.startswith("#"):
                continue
            parts = s.split(None, 2)
            if len(parts) >= 2:
                entries[parts[0]] = parts[1]
    return reasons, entries, order


def write_known(path, reasons, entries, queries):
    used = {}
    for qid, cat in entries.items():
        used.setdefault(cat, []).append(qid)
    text_of = {qid: sql for qid, _, sql in queries}
    with open(path, "w", encoding="utf-8") as f:
        f.write("# tests/diff/known_divergences.txt — queries of tests/diff/corpus expected to\n")
        f.write("# differ between PostgreSQL 15 and Rivulet. Regenerate with\n")
        f.write("#   tests/diff/run.sh --update-known\n")
        f.write("# which keeps every reason below, drops ids that agree again and files new\n")
        f.write("# divergences under a guessed AREA:KIND category. Edit the reasons, not the ids.\n")
        f.write("# Format: '@category AREA:KIND: reason' then 'ID CATEGORY  # query'.\n")
        f.write("# See docs/compatibility.md for the categories explained.\n")
        for cat in sorted(used):
            f.write("\n")
            f.write(f"@category {cat}: {reasons[cat]}\n")
            for qid in sorted(used[cat]):
                sql = text_of.get(qid, "")
                if len(sql) > 110:
                    sql = sql[:107] + "..."
                f.write(f"{qid} {cat}  # {sql}\n")


def check_settings(pg, rv):
    bad = []
    for name in SETTINGS:
        a = pg.run(f"SHOW {name}")
        b = rv.run(f"SHOW {name}")
        va = a.rows[0][0] if not a.failed and a.rows else a.sqlstate
        vb = b.rows[0][0] if not b.failed and b.rows else b.sqlstate
        if va != vb:
            bad.append(f"{name}: postgres {va!r}, rivulet {vb!r}")
    return bad


def self_test():
    """Checks of the comparison logic itself (run by run.sh before every comparison)."""
    def outcome(types=None, rows=None, state=None, msg=None):
        o = Outcome()
        o.types, o.rows, o.sqlstate, o.message = types, rows, state, msg
        return o
    assert has_top_level_order_by("SELECT a FROM t ORDER BY a")
    assert not has_top_level_order_by("SELECT string_agg(x, ',' ORDER BY x) FROM t")
    assert not has_top_level_order_by("SELECT 'order by' FROM t")
    assert has_top_level_order_by("SELECT '(' ORDER BY 1")
    assert query_id("f", "SELECT 1") == query_id("f", "SELECT 1") != query_id("f", "SELECT 2")
    r1 = [(b"1",), (None,), (b"",)]
    r2 = [(b"",), (b"1",), (None,)]
    assert compare(outcome([23], r1), outcome([23], r2), False)[0] is None
    assert compare(outcome([23], r1), outcome([23], r2), True)[0] == "order"
    assert compare(outcome([23], [(None,)]), outcome([23], [(b"",)]), False)[0] == "value"
    assert compare(outcome([23], r1), outcome([20], r1), False)[0] == "type"
    assert compare(outcome(state="22012", msg="a"), outcome(state="22012", msg="b"), False)[0] is None
    assert compare(outcome(state="22012"), outcome(state="22003"), False)[0] == "sqlstate"
    assert compare(outcome(state="0A000", msg="unit"), outcome(state="0A000", msg="type date is not supported yet"),
                   False)[0] == "sqlstate"
    assert compare(outcome([23], r1), outcome(state="42883"), False)[0] == "rivulet-rejects"
    assert compare(outcome(state="22P02"), outcome([23], r1), False)[0] == "rivulet-accepts"
    assert classify("gen_text", "rivulet-rejects", outcome(state="42883")) == "text:missing"
    assert classify("hand_int", "value", outcome([23], r1)) == "int:value"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pg", default="")
    ap.add_argument("--rv", default="")
    ap.add_argument("--corpus", default=os.path.join(HERE, "corpus"))
    ap.add_argument("--known", default=os.path.join(HERE, "known_divergences.txt"))
    ap.add_argument("--update-known", action="store_true")
    ap.add_argument("--only", default="")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--timeout", type=float, default=10.0)
    ap.add_argument("--self-test", action="store_true")
    ap.add_argument("--binary", action="store_true",
                    help="also run each query through the extended protocol with binary results "
                         "and report (not fail on) differences in the received bytes")
    args = ap.parse_args()
    self_test()
    if args.self_test:
        print("diff: self-test passed")
        return 0
    if not args.pg or not args.rv:
        ap.error("--pg HOST:PORT and --rv HOST:PORT are required (tests/diff/run.sh starts both)")

    queries = load_corpus(args.corpus, args.only)
    ids = [qid for qid, _, _ in queries]
    if len(set(ids)) != len(ids):
        print("diff: duplicate queries in the corpus (same text twice in one file)", file=sys.stderr)
    host_pg, port_pg = args.pg.rsplit(":", 1)
    host_rv, port_rv = args.rv.rsplit(":", 1)
    pg = Server("postgres", host_pg, port_pg, args.timeout)
    rv = Server("rivulet", host_rv, port_rv, args.timeout)
    pg.connect()
    rv.connect()
    bad = check_settings(pg, rv)
    if bad:
        print("diff: session settings differ, comparison would be meaningless:")
        for b in bad:
            print("    " + b)
        print("0 passed, 1 failed")
        return 1

    reasons, known, _ = read_known(args.known)
    t0 = time.monotonic()
    agree = 0
    diverged = {}
    examples = {}
    refiled = 0
    binary_diff = 0
    new_fail = []
    listed_fail = 0
    notes_count = 0
    now_agree = []
    for qid, where, sql in queries:
        ordered = has_top_level_order_by(sql)
        o_pg = pg.run(sql)
        if o_pg.sqlstate == "CONN":
            print(f"diff: PostgreSQL connection lost at {where}: {o_pg.message}")
            print("0 passed, 1 failed")
            return 1
        o_rv = rv.run(sql)
        kind, notes = compare(o_pg, o_rv, ordered)
        if args.binary and kind is None and not o_pg.failed:
            b_pg, b_rv = pg.run(sql, binary=True), rv.run(sql, binary=True)
            bkind, _ = compare(b_pg, b_rv, ordered)
            if b_rv.sqlstate == "CONN":
                rv.connect()
            if bkind is not None:
                binary_diff += 1
                print(f"BINARY {qid} ({where}) {bkind}: {sql}")
                print(f"    postgres: {b_pg.brief(ordered, raw=True)}")
                print(f"    rivulet:  {b_rv.brief(ordered, raw=True)}")
        if kind == "connection":
            try:
                rv.connect()
            except RuntimeError as e:
                print(f"diff: Rivulet is gone after {where} ({qid}): {sql}\n    {e}")
                print(f"{agree} passed, {len(queries) - agree} failed")
                return 1
        if kind is None:
            agree += 1
            if qid in known:
                now_agree.append((qid, where, sql))
            if notes and args.verbose:
                notes_count += 1
                print(f"note {qid} ({where}): {sql}\n    " + "\n    ".join(notes))
            elif notes:
                notes_count += 1
            continue
        stem = qid.split(":", 1)[0]
        diverged[qid] = classify(stem, kind, o_rv)
        if o_rv.failed:
            examples.setdefault(diverged[qid], {}).setdefault(example_message(o_rv), 0)
            examples[diverged[qid]][example_message(o_rv)] += 1
        if qid in known:
            listed_fail += 1
            old_kind = known[qid].split(":", 1)[-1]
            if old_kind in KIND_REASON and known[qid] != diverged[qid]:
                refiled += 1
            if args.verbose:
                print(f"known {qid} ({where}) [{known[qid]}]: {sql}")
            continue
        new_fail.append(qid)
        if not args.update_known:
            print(f"DIVERGE {qid} ({where}) {kind}: {sql}")
            print(f"    postgres: {o_pg.brief(ordered)}")
            print(f"    rivulet:  {o_rv.brief(ordered)}")
            for n in notes:
                print(f"    note: {n}")
    secs = time.monotonic() - t0
    present = set(ids)
    stale = [qid for qid in known if qid not in present] if not args.only else []

    if args.update_known:
        entries = {}
        for qid, cat in diverged.items():
            # A listed id keeps a hand-made category; one of the generated AREA:KIND
            # categories is re-filed when it now differs in another way, so that
            # its reason stays true.
            old = known.get(qid)
            entries[qid] = old if old is not None and old.split(":", 1)[-1] not in KIND_REASON else cat
        for qid in stale:
            pass  # dropped: no longer in the corpus
        for cat in set(entries.values()):
            kind = cat.split(":", 1)[-1]
            template = KIND_REASON.get(kind, kind)
            # A reason still starting with its template was written by this tool:
            # rewrite it (its examples may be stale). A hand-written one is kept.
            if cat not in reasons or reasons[cat].startswith(template):
                reasons[cat] = template
                seen = sorted(examples.get(cat, {}).items(), key=lambda kv: (-kv[1], kv[0]))[:3]
                if seen:
                    reasons[cat] += " — Rivulet says: " + "; ".join(f"'{m}'" for m, _ in seen)
        write_known(args.known, reasons, entries, queries)
        print(f"diff: wrote {args.known}: {len(entries)} known divergences in "
              f"{len(set(entries.values()))} categories")

    for qid, where, sql in now_agree:
        print(f"NOW AGREES (remove from known_divergences.txt) {qid} ({where}): {sql}")
    for qid in stale:
        print(f"STALE (not in the corpus any more) {qid}")
    if refiled and not args.update_known:
        print(f"diff: {refiled} listed divergences now differ in another way than their category "
              f"says (--update-known re-files them)")
    if diverged:
        by_cat = {}
        for qid, cat in diverged.items():
            by_cat[cat] = by_cat.get(cat, 0) + 1
        print("diff: divergences by category: " +
              ", ".join(f"{c} {k}" for c, k in sorted(by_cat.items(), key=lambda kv: (-kv[1], kv[0]))))
    if args.binary:
        print(f"diff: binary format: {binary_diff} of the agreeing queries differ in binary results "
              f"(reported, not counted)")
    n = len(queries)
    pct = 100.0 * agree / n if n else 100.0
    print(f"diff: {agree}/{n} agree ({pct:.1f}%), {listed_fail} known divergences, "
          f"{0 if args.update_known else len(new_fail)} new, {len(now_agree)} listed now agree, "
          f"{notes_count} with message/name notes ({secs:.1f} s)")
    if args.update_known:
        print(f"{n} passed, 0 failed")
        return 0
    print(f"{agree + listed_fail} passed, {len(new_fail)} failed")
    return 1 if new_fail else 0


if __name__ == "__main__":
    sys.exit(main())
