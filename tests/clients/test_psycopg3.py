#!/usr/bin/python3
"""tests/clients/test_psycopg3.py — psycopg 3 (extended protocol) as a client.

    PGHOST=127.0.0.1 PGPORT=N /usr/bin/python3 tests/clients/test_psycopg3.py

Connects with PGHOST/PGPORT (PGUSER, PGDATABASE default to postgres and
regression). Covers: server-side binding (Parse/Bind/Execute with typed and
untyped parameters), client-side binding (ClientCursor, simple Query),
prepared statements (prepare=True, prepare_threshold), binary parameters and
results, pipeline mode, executemany, single-row streaming, cancel, error diag
fields, ParameterStatus tracking (also after SET and ROLLBACK), transaction
status, notices. Prints one line per check and "N passed, N failed".
"""
import os
import sys
import threading
import time
import traceback

import psycopg
from psycopg import errors, pq

HOST = os.environ.get("PGHOST", "127.0.0.1")
PORT = int(os.environ["PGPORT"])
USER = os.environ.get("PGUSER", "postgres")
DB = os.environ.get("PGDATABASE", "regression")

passed = 0
failed = 0


def check(fn):
    global passed, failed
    name = fn.__name__
    try:
        fn()
    except Exception:
        failed += 1
        print(f"not ok - {name}")
        for line in traceback.format_exc().rstrip().splitlines()[-6:]:
            print("    " + line)
    else:
        passed += 1
        print(f"ok - {name}")
    return fn


def connect(**kw):
    kw.setdefault("application_name", "test_psycopg3")
    kw.setdefault("autocommit", True)
    return psycopg.connect(host=HOST, port=PORT, user=USER, dbname=DB, connect_timeout=10, **kw)


def expect_error(conn, sql, params, exc_type, sqlstate, **kw):
    try:
        conn.execute(sql, params, **kw)
    except exc_type as e:
        assert e.sqlstate == sqlstate, (e.sqlstate, sqlstate)
        return e
    raise AssertionError(f"{sql!r} did not fail with {exc_type.__name__}")


@check
def parameter_status_values():
    with connect() as conn:
        ps = conn.info.parameter_status
        assert ps("server_version").startswith("15"), ps("server_version")
        assert 150000 <= conn.info.server_version < 160000, conn.info.server_version
        assert ps("client_encoding") == "UTF8"
        assert ps("server_encoding") == "UTF8"
        assert ps("application_name") == "test_psycopg3"
        assert ps("integer_datetimes") == "on"
        assert ps("standard_conforming_strings") == "on"
        assert ps("DateStyle").startswith("ISO")
        assert ps("TimeZone") is not None
        assert conn.info.backend_pid > 0
        assert conn.info.encoding == "utf-8"
        # ParameterStatus follows SET, and the rollback of a SET.
        conn.execute("SET application_name = 'changed'")
        assert ps("application_name") == "changed", ps("application_name")
        conn.execute("SET TimeZone = 'Europe/Paris'")
        assert ps("TimeZone") == "Europe/Paris", ps("TimeZone")
        conn.execute("BEGIN")
        conn.execute("SET application_name = 'in block'")
        assert ps("application_name") == "in block"
        conn.execute("ROLLBACK")
        assert ps("application_name") == "changed", ps("application_name")
        conn.execute("RESET application_name")
        assert ps("application_name") == "test_psycopg3", ps("application_name")


@check
def server_side_binding():
    with connect() as conn:
        assert conn.execute("SELECT %s + 1", [41]).fetchone() == (42,)
        assert conn.execute("SELECT %s || 'x'", ["a"]).fetchone() == ("ax",)
        assert conn.execute("SELECT %s, %s, %s", [True, None, "t"]).fetchone() == (True, None, "t")
        assert conn.execute("SELECT %s::int8 * 2", [2 ** 40]).fetchone() == (2 ** 41,)
        assert conn.execute("SELECT %(a)s - %(b)s", {"a": 50, "b": 8}).fetchone() == (42,)
        assert conn.execute("SELECT %s = %s", [2 ** 31, 2 ** 31]).fetchone() == (True,)
        cur = conn.execute("SELECT %s AS untyped", [None])
        assert cur.fetchone() == (None,)
        assert cur.description[0].type_code == 25, cur.description[0].type_code  # text
        s = "héllo 日本語 🙂 'q' \\"
        assert conn.execute("SELECT %s", [s]).fetchone() == (s,)
        assert conn.execute("SELECT %s::int IS NULL", [None]).fetchone() == (True,)
        # An untyped parameter whose type nothing determines: 42P18.
        expect_error(conn, "SELECT %s IS NULL", [None], errors.IndeterminateDatatype, "42P18")
        assert conn.execute("SELECT CASE WHEN %s THEN %s ELSE %s END",
                            [False, 1, 2]).fetchone() == (2,)
        assert conn.execute("SELECT COALESCE(%s, %s)", [None, 7]).fetchone() == (7,)
        assert conn.execute("SELECT current_setting(%s)", ["application_name"]).fetchone() == (
            "test_psycopg3",)
        assert conn.execute("SELECT set_config(%s, %s, false)",
                            ["application_name", "bound"]).fetchone() == ("bound",)


@check
def extended_protocol_takes_one_statement():
    with connect() as conn:
        # With parameters (or prepare=True) psycopg uses Parse/Bind: one statement only.
        e = expect_error(conn, "SELECT %s; SELECT 2", [1], errors.SyntaxError, "42601")
        assert "cannot insert multiple commands into a prepared statement" in str(e), str(e)
        e = expect_error(conn, "SELECT 1; SELECT 2", None, errors.SyntaxError, "42601",
                         prepare=True)
        # Without parameters it is a simple Query: several statements are fine.
        cur = conn.execute("SELECT 1; SELECT 2")
        assert cur.fetchone() == (1,)
        assert cur.nextset() and cur.fetchone() == (2,)
        assert conn.execute("SELECT 'ok'").fetchone() == ("ok",)
        assert conn.execute("").pgresult.status == pq.ExecStatus.EMPTY_QUERY


@check
def client_side_binding():
    with connect() as conn:
        cur = psycopg.ClientCursor(conn)
        cur.execute("SELECT %s, %s, %s, %s, %s", [1, "it's", True, None, 2 ** 40])
        assert cur.fetchone() == (1, "it's", True, None, 2 ** 40)
        assert cur.pgresult.fformat(0) == 0
        cur.execute("SELECT 1 AS a; SELECT 2 AS b")
        assert cur.fetchone() == (1,)
        assert cur.nextset()
        assert cur.fetchone() == (2,)
        assert not cur.nextset()
        cur.close()


@check
def prepared_statements():
    with connect() as conn:
        for i in range(8):
            cur = conn.execute("SELECT %s::int4 * 2 AS doubled", [i], prepare=True)
            assert cur.fetchone() == (i * 2,)
            assert cur.description[0].name == "doubled"
        conn.prepare_threshold = 0  # prepare everything at once
        for i in range(3):
            assert conn.execute("SELECT %s || %s", ["a", str(i)]).fetchone() == (f"a{i}",)
        conn.prepare_threshold = 2
        for i in range(6):
            assert conn.execute("SELECT %s::int8 + 1", [i]).fetchone() == (i + 1,)
        # A prepared statement that fails at run time stays usable.
        for d in (1, 0, 2):
            try:
                r = conn.execute("SELECT 10 / %s::int", [d], prepare=True).fetchone()
                assert d != 0 and r == (10 // d,)
            except errors.DivisionByZero:
                assert d == 0
        conn.prepare_threshold = None
        assert conn.execute("SELECT %s::int2", [5], prepare=False).fetchone() == (5,)


@check
def binary_results_and_parameters():
    with connect() as conn:
        cur = conn.cursor(binary=True)
        cur.execute("SELECT 1::int2, 2::int4, 3::int8, true, false, 'x'::text, NULL::int4,"
                    " (-9223372036854775807 - 1)::int8, (-32768)::int2, '日本'::text, ''::text")
        row = cur.fetchone()
        assert row == (1, 2, 3, True, False, "x", None, -2 ** 63, -32768, "日本", ""), row
        for i in range(cur.pgresult.nfields):
            assert cur.pgresult.fformat(i) == 1, (i, cur.pgresult.fformat(i))
        cur.execute("SELECT %b + 1, %b, %b, %b", [2 ** 40, "binary text", True, None])
        assert cur.fetchone() == (2 ** 40 + 1, "binary text", True, None)
        cur.execute("SELECT %b::int2 * 2, %b::int4 * 2", [1000, 100000])
        assert cur.fetchone() == (2000, 200000)
        # Mixed: text parameters, binary results.
        cur = conn.execute("SELECT %t::int8 * 3", [7], binary=True)
        assert cur.fetchone() == (21,)
        assert cur.pgresult.fformat(0) == 1


@check
def pipeline_mode():
    with connect() as conn:
        with conn.pipeline():
            c1 = conn.execute("SELECT 1")
            c2 = conn.execute("SELECT %s::text || 'b'", ["a"])
            c3 = conn.execute("SET application_name = 'piped'")
            c4 = conn.execute("SHOW application_name")
        assert c1.fetchone() == (1,)
        assert c2.fetchone() == ("ab",)
        assert c3.statusmessage == "SET"
        assert c4.fetchone() == ("piped",)
        # An error aborts the rest of the pipeline until the next Sync.
        try:
            with conn.pipeline():
                conn.execute("SELECT 1")
                conn.execute("SELECT 1 / 0")
                conn.execute("SELECT 2")
            raise AssertionError("no error from the pipeline")
        except errors.DivisionByZero:
            pass
        assert conn.execute("SELECT 'after pipeline'").fetchone() == ("after pipeline",)
        # executemany uses the pipeline too.
        cur = conn.cursor()
        cur.executemany("SELECT %s::int4 + 1", [(i,) for i in range(20)], returning=True)
        got = []
        while True:
            got.append(cur.fetchone()[0])
            if not cur.nextset():
                break
        assert got == list(range(1, 21)), got


@check
def transactions_and_status():
    with connect(autocommit=False) as conn:
        TS = pq.TransactionStatus
        assert conn.info.transaction_status == TS.IDLE
        conn.execute("SELECT 1")
        assert conn.info.transaction_status == TS.INTRANS
        conn.commit()
        assert conn.info.transaction_status == TS.IDLE
        expect_error(conn, "SELECT 1 / 0", None, errors.DivisionByZero, "22012")
        assert conn.info.transaction_status == TS.INERROR
        expect_error(conn, "SELECT 1", None, errors.InFailedSqlTransaction, "25P02")
        conn.rollback()
        assert conn.execute("SELECT 'ok'").fetchone() == ("ok",)
        conn.commit()
        # Outside a transaction, transaction() is BEGIN ... COMMIT (inside one it
        # would be a SAVEPOINT).
        with conn.transaction():
            conn.execute("SET application_name = 'in tx'")
        assert conn.execute("SHOW application_name").fetchone() == ("in tx",)
        conn.rollback()


@check
def streaming_single_row_mode():
    with connect() as conn:
        rows = list(conn.cursor().stream("SELECT 1 AS a, 'x' AS b"))
        assert rows == [(1, "x")], rows


@check
def error_diag_fields():
    with connect() as conn:
        e = expect_error(conn, "SELECT 1 / 0", None, errors.DivisionByZero, "22012")
        assert e.diag.message_primary == "division by zero"
        assert e.diag.severity == "ERROR"
        assert e.diag.severity_nonlocalized == "ERROR"
        assert e.diag.statement_position is None
        e = expect_error(conn, "SELECT 1 +", None, errors.SyntaxError, "42601")
        assert e.diag.message_primary == "syntax error at end of input", e.diag.message_primary
        assert e.diag.statement_position == "11", e.diag.statement_position
        e = expect_error(conn, "SELECT 'é', nosuchcol", None, errors.UndefinedColumn, "42703")
        assert e.diag.statement_position == "13", e.diag.statement_position  # characters
        e = expect_error(conn, "SELECT true + 1", None, errors.UndefinedFunction, "42883")
        assert e.diag.message_primary == "operator does not exist: boolean + integer"
        assert e.diag.message_hint.startswith("No operator matches"), e.diag.message_hint
        assert e.diag.statement_position == "13"
        e = expect_error(conn, "SELECT %s::int", ["abc"], errors.InvalidTextRepresentation,
                         "22P02")
        assert e.diag.message_primary == 'invalid input syntax for type integer: "abc"'
        e = expect_error(conn, "SET TimeZone = 'No/Such'", None, errors.InvalidParameterValue,
                         "22023")
        e = expect_error(conn, "SELECT %s + 1", [2 ** 31 - 1], errors.NumericValueOutOfRange,
                         "22003")
        assert conn.execute("SELECT 'alive'").fetchone() == ("alive",)


@check
def cancel_running_statement():
    with connect() as conn:
        timer = threading.Timer(0.5, conn.cancel)
        timer.start()
        t0 = time.monotonic()
        try:
            conn.execute("SELECT pg_sleep(10)")
            raise AssertionError("pg_sleep(10) was not canceled")
        except errors.QueryCanceled as e:
            assert e.sqlstate == "57014"
            assert e.diag.message_primary == "canceling statement due to user request"
        finally:
            timer.join()
        elapsed = time.monotonic() - t0
        assert elapsed < 5, f"cancel took {elapsed:.1f} s"
        assert conn.execute("SELECT 'after cancel'").fetchone() == ("after cancel",)
        # A cancel that arrives when nothing runs does no harm.
        conn.cancel()
        time.sleep(0.2)
        assert conn.execute("SELECT 1").fetchone() == (1,)


@check
def notices_reach_the_handler():
    with connect() as conn:
        seen = []
        conn.add_notice_handler(lambda d: seen.append((d.severity_nonlocalized, d.sqlstate,
                                                       d.message_primary)))
        conn.execute("COMMIT")
        conn.execute("SET LOCAL application_name = 'x'")
        assert seen == [
            ("WARNING", "25P01", "there is no transaction in progress"),
            ("WARNING", "25P01", "SET LOCAL can only be used in transaction blocks"),
        ], seen


@check
def description_types():
    with connect() as conn:
        cur = conn.execute("SELECT 1::int2 a, 2 b, 3::int8 c, true d, 'x'::text e, NULL f,"
                           " pg_sleep(0) g")
        got = [(d.name, d.type_code) for d in cur.description]
        assert got == [("a", 21), ("b", 23), ("c", 20), ("d", 16), ("e", 25), ("f", 25),
                       ("g", 2278)], got
        assert cur.rowcount == 1
        assert cur.statusmessage == "SELECT 1"


@check
def untyped_null_takes_the_column_type():
    # psycopg sends None as an untyped parameter: like an untyped literal it takes the type
    # of the column it is assigned to (UPDATE SET, INSERT VALUES / SELECT, ON CONFLICT DO
    # UPDATE SET) or compared with; WHERE is bound before SET, as in PostgreSQL.
    with connect() as conn:
        conn.execute("DROP TABLE IF EXISTS p3_nulls")
        conn.execute("CREATE TABLE p3_nulls (id int PRIMARY KEY, k int, v varchar(3),"
                     " n numeric(6,2), ts timestamptz)")
        conn.execute("INSERT INTO p3_nulls VALUES (%s, %s, %s, %s, %s)", [1, None, None, None, None])
        conn.execute("INSERT INTO p3_nulls SELECT %s, %s, %s", [2, None, None])
        conn.execute("INSERT INTO p3_nulls VALUES (3, 3, 'c', 3, '2020-01-01 00:00+00')")
        cur = conn.execute("UPDATE p3_nulls SET k = %s, v = %s, n = %s, ts = %s WHERE id = %s",
                           [None, None, None, None, 3])
        assert cur.statusmessage == "UPDATE 1", cur.statusmessage
        conn.execute("UPDATE p3_nulls SET k = %s WHERE id = %s", [7, 1])
        conn.execute("INSERT INTO p3_nulls VALUES (%s, %s) ON CONFLICT (id) DO UPDATE SET k = %s",
                     [1, 5, None])
        conn.execute("UPDATE p3_nulls SET v = %s WHERE k = %s", [None, None])
        assert conn.execute("SELECT id FROM p3_nulls WHERE k = %s", [None]).fetchall() == []
        rows = conn.execute("SELECT * FROM p3_nulls ORDER BY id").fetchall()
        assert rows == [(1, None, None, None, None), (2, None, None, None, None),
                        (3, None, None, None, None)], rows
        types = []
        for i, sql in enumerate([b"UPDATE p3_nulls SET k = $1, v = $2, n = $3, ts = $4 WHERE id = $5",
                                 b"INSERT INTO p3_nulls SELECT $1, $2, $3",
                                 b"UPDATE p3_nulls SET v = $1 WHERE k = $1"]):
            name = b"p3_nulls_%d" % i
            assert conn.pgconn.prepare(name, sql).status == pq.ExecStatus.COMMAND_OK
            d = conn.pgconn.describe_prepared(name)
            types.append([d.param_type(j) for j in range(d.nparams)])
        assert types == [[23, 1043, 1700, 1184, 23], [23, 23, 1043], [23]], types
        conn.execute("DROP TABLE p3_nulls")


if __name__ == "__main__":
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
