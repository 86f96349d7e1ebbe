#!/usr/bin/python3
"""tests/clients/test_copy.py — COPY through psycopg 3 and psycopg2.

    PGHOST=127.0.0.1 PGPORT=N /usr/bin/python3 tests/clients/test_copy.py

psycopg 3: cursor.copy() FROM STDIN (write_row and raw CSV), TO STDOUT (raw
bytes and rows()), a client-side abort (CopyFail → 57014 with its CONTEXT),
a bad row (nothing of the COPY visible), and COPY FROM sent through the
extended protocol (Parse/Bind/Execute/Sync then CopyData, libpq's order).
psycopg2: copy_expert both ways and its error. Expected values are what
PostgreSQL 15 answers (run with --target postgres to prove them). Prints one
line per check and "N passed, N failed".
"""
import io
import os
import traceback

import psycopg
import psycopg2
from psycopg import errors, pq

DSN = "host=%s port=%s user=%s dbname=%s" % (
    os.environ.get("PGHOST", "127.0.0.1"), os.environ["PGPORT"],
    os.environ.get("PGUSER", "postgres"), os.environ.get("PGDATABASE", "regression"))
passed = failed = 0


def check(fn):
    global passed, failed
    try:
        fn()
    except Exception:
        failed += 1
        print(f"not ok - {fn.__name__}")
        for line in traceback.format_exc().rstrip().splitlines()[-6:]:
            print("    " + line)
        return
    passed += 1
    print(f"ok - {fn.__name__}")


def conn():
    return psycopg.connect(DSN, autocommit=True)


def fresh(cur, name="copy_cli"):
    cur.execute(f"DROP TABLE IF EXISTS {name}")
    cur.execute(f"CREATE TABLE {name} (a bigint NOT NULL, b text, c timestamp)")


def test_psycopg3_write_row():
    with conn() as c:
        cur = c.cursor()
        fresh(cur)
        with cur.copy("COPY copy_cli (a, b, c) FROM STDIN") as cp:
            for i in range(5000):
                cp.write_row((i, f"v{i}\t\\x\n", "2026-01-01 00:00:00" if i % 2 else None))
        assert cur.rowcount == 5000, cur.rowcount
        cur.execute("SELECT count(*), count(c), max(a), min(b) FROM copy_cli")
        assert cur.fetchone() == (5000, 2500, 4999, "v0\t\\x\n")


def test_psycopg3_csv_and_to_stdout():
    with conn() as c:
        cur = c.cursor()
        fresh(cur)
        with cur.copy("COPY copy_cli FROM STDIN (FORMAT csv, HEADER)") as cp:
            cp.write('a,b,c\n1,"x,""y""",2026-01-02 03:04:05\n')
            cp.write('2,,\n')
        out = b""
        with cur.copy("COPY (SELECT a, b, c FROM copy_cli ORDER BY a) TO STDOUT (FORMAT csv)") as cp:
            for data in cp:
                out += bytes(data)
        assert out == b'1,"x,""y""",2026-01-02 03:04:05\n2,,\n', out
        with cur.copy("COPY copy_cli (a, b) TO STDOUT") as cp:
            rows = sorted(cp.rows())
        assert rows == [("1", 'x,"y"'), ("2", None)], rows


def test_psycopg3_client_abort():
    with conn() as c:
        cur = c.cursor()
        fresh(cur)
        try:
            with cur.copy("COPY copy_cli FROM STDIN") as cp:
                cp.write("1\tx\t2026-01-01\n")
                raise RuntimeError("stop")
        except errors.QueryCanceled as e:
            assert str(e).startswith("COPY from stdin failed: error from Python: RuntimeError - stop"), e
            assert e.diag.context.startswith("COPY copy_cli, line "), e.diag.context
        else:
            raise AssertionError("no error")
        cur.execute("SELECT count(*) FROM copy_cli")
        assert cur.fetchone() == (0,)
        cur.execute("SELECT 1")
        assert cur.fetchone() == (1,)


def test_psycopg3_bad_row_invisible():
    with conn() as c:
        cur = c.cursor()
        fresh(cur)
        try:
            with cur.copy("COPY copy_cli FROM STDIN") as cp:
                for i in range(3000):
                    cp.write(f"{i}\tok\t2026-01-01\n")
                cp.write("3000\tbad\tnot a time\n")
        except errors.InvalidDatetimeFormat as e:
            assert e.sqlstate == "22007"
            assert e.diag.context == 'COPY copy_cli, line 3001, column c: "not a time"', e.diag.context
        else:
            raise AssertionError("no error")
        cur.execute("SELECT count(*) FROM copy_cli")
        assert cur.fetchone() == (0,)


def test_psycopg3_not_null():
    with conn() as c:
        cur = c.cursor()
        fresh(cur)
        try:
            with cur.copy("COPY copy_cli (b) FROM STDIN") as cp:
                cp.write("x\n")
        except errors.NotNullViolation as e:
            assert e.diag.message_detail == "Failing row contains (null, x, null).", e.diag.message_detail
            assert e.diag.context == 'COPY copy_cli, line 1: "x"', e.diag.context
        else:
            raise AssertionError("no error")


def test_long_record_in_pieces():
    value = "".join(chr(ord("a") + i % 26) for i in range(3_000_000))
    data = ("1\t" + value + "\t2026-01-01\r\n2\tshort\t\\N\r\n").encode()
    with conn() as c:
        cur = c.cursor()
        fresh(cur)
        with cur.copy("COPY copy_cli FROM STDIN") as cp:
            for i in range(0, len(data), 999):
                cp.write(data[i:i + 999])
        cur.execute("SELECT a, length(b), c IS NULL FROM copy_cli ORDER BY a")
        assert cur.fetchall() == [(1, 3_000_000, False), (2, 5, True)]
        # the first line fixes the line end; another one later is an error, as in PostgreSQL
        for fmt, data, msg in [("text", b"1\ta\t\\N\n2\tb\t\\N\r\n", "literal carriage return found in data"),
                               ("text", b"1\ta\t\\N\r\n2\tb\t\\N\n", "literal newline found in data"),
                               ("csv", b"1,a,\n2,b,\r\n", "unquoted carriage return found in data")]:
            try:
                with cur.copy(f"COPY copy_cli FROM STDIN (FORMAT {fmt})") as cp:
                    cp.write(data)
            except errors.BadCopyFileFormat as e:
                assert str(e).startswith(msg), str(e)
                assert e.diag.context == "COPY copy_cli, line 2", e.diag.context
            else:
                raise AssertionError("no error")


def test_extended_protocol_copy():
    with conn() as c:
        fresh(c.cursor())
        pg = c.pgconn
        pg.send_query_params(b"COPY copy_cli FROM STDIN", None)
        r = pg.get_result()
        assert r.status == pq.ExecStatus.COPY_IN, r.status
        assert r.nfields == 3
        pg.put_copy_data(b"1\ta\t2026-01-01\n2\tb\t2026-01-02\n")
        pg.put_copy_end()
        r = pg.get_result()
        assert r.status == pq.ExecStatus.COMMAND_OK, (r.status, r.error_message)
        assert r.command_status == b"COPY 2", r.command_status
        assert pg.get_result() is None
        pg.send_query_params(b"COPY copy_cli TO STDOUT", None)
        r = pg.get_result()
        assert r.status == pq.ExecStatus.COPY_OUT, r.status
        data = []
        while True:
            n, d = pg.get_copy_data(0)
            if n < 0:
                break
            data.append(bytes(d))
        assert sorted(data) == [b"1\ta\t2026-01-01 00:00:00\n", b"2\tb\t2026-01-02 00:00:00\n"], data
        r = pg.get_result()
        assert r.command_status == b"COPY 2", r.command_status
        assert pg.get_result() is None
        cur = c.cursor()
        cur.execute("SELECT count(*) FROM copy_cli")
        assert cur.fetchone() == (2,)


def test_psycopg2_copy_expert():
    c = psycopg2.connect(DSN)
    c.autocommit = True
    k = c.cursor()
    k.execute("DROP TABLE IF EXISTS copy_cli2")
    k.execute("CREATE TABLE copy_cli2 (a bigint NOT NULL, b text)")
    k.copy_expert("COPY copy_cli2 FROM STDIN WITH CSV HEADER", io.StringIO("a,b\n1,h\n2,\n"))
    assert k.rowcount == 2, k.rowcount
    f = io.StringIO()
    k.copy_expert("COPY (SELECT a, b FROM copy_cli2 ORDER BY a) TO STDOUT WITH CSV HEADER", f)
    assert f.getvalue() == "a,b\n1,h\n2,\n", f.getvalue()
    try:
        k.copy_expert("COPY copy_cli2 FROM STDIN", io.StringIO("1\t2\t3\n"))
    except psycopg2.Error as e:
        assert e.pgcode == "22P04", e.pgcode
        assert str(e).startswith("extra data after last expected column"), str(e)
    else:
        raise AssertionError("no error")
    k.execute("SELECT count(*) FROM copy_cli2")
    assert k.fetchone() == (2,)
    k.execute("DROP TABLE copy_cli2")
    c.close()


for t in [test_psycopg3_write_row, test_psycopg3_csv_and_to_stdout, test_psycopg3_client_abort,
          test_psycopg3_bad_row_invisible, test_psycopg3_not_null, test_long_record_in_pieces,
          test_extended_protocol_copy,
          test_psycopg2_copy_expert]:
    check(t)
with conn() as c:
    c.execute("DROP TABLE IF EXISTS copy_cli")
print(f"{passed} passed, {failed} failed")
raise SystemExit(1 if failed else 0)
