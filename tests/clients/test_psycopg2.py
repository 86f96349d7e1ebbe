#!/usr/bin/python3
"""tests/clients/test_psycopg2.py — psycopg2 (libpq, client-side binding) as a client.

    PGHOST=127.0.0.1 PGPORT=N /usr/bin/python3 tests/clients/test_psycopg2.py

Connects with PGHOST/PGPORT (PGUSER, PGDATABASE default to postgres and
regression). Covers: connecting and the ParameterStatus values libpq keeps,
autocommit and the implicit BEGIN of non-autocommit mode, parameters and the
round trip of each supported type, cursor.description, errors (pgcode,
pgerror, diag) with the connection still usable, the failed transaction
(25P02), notices, multi-statement strings, cancel. Prints one line per check
and "N passed, N failed".
"""
import os
import sys
import threading
import time
import traceback

import psycopg2
import psycopg2.errors
import psycopg2.extensions as ext

HOST = os.environ.get("PGHOST", "127.0.0.1")
PORT = int(os.environ["PGPORT"])
USER = os.environ.get("PGUSER", "postgres")
DB = os.environ.get("PGDATABASE", "regression")

passed = 0
failed = 0


def check(fn):
    """Runs one test function; an exception or a failed assert fails it."""
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
    kw.setdefault("application_name", "test_psycopg2")
    return psycopg2.connect(host=HOST, port=PORT, user=USER, dbname=DB, connect_timeout=10, **kw)


def one(conn, sql, params=None):
    with conn.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchone()


def expect_error(conn, sql, exc_type, pgcode):
    with conn.cursor() as cur:
        try:
            cur.execute(sql)
        except exc_type as e:
            assert e.pgcode == pgcode, (e.pgcode, pgcode)
            return e
    raise AssertionError(f"{sql!r} did not fail with {exc_type.__name__}")


@check
def connect_and_parameter_status():
    with connect() as conn:
        assert 150000 <= conn.server_version < 160000, conn.server_version
        assert conn.protocol_version == 3
        ps = conn.get_parameter_status
        assert ps("server_version").startswith("15"), ps("server_version")
        assert ps("client_encoding") == "UTF8", ps("client_encoding")
        assert ps("server_encoding") == "UTF8", ps("server_encoding")
        assert ps("DateStyle").startswith("ISO"), ps("DateStyle")
        assert ps("integer_datetimes") == "on"
        assert ps("standard_conforming_strings") == "on"
        assert ps("application_name") == "test_psycopg2", ps("application_name")
        # Everything PostgreSQL 15 reports at start-up.
        for name in ("TimeZone", "IntervalStyle", "is_superuser", "session_authorization",
                     "default_transaction_read_only", "in_hot_standby"):
            assert ps(name) is not None, f"no ParameterStatus {name}"
        assert ps("session_authorization") == USER
        assert conn.get_backend_pid() > 0
        assert one(conn, "SELECT pg_backend_pid()") == (conn.get_backend_pid(),)
        assert one(conn, "SELECT current_database(), current_user") == (DB, USER)
    conn.close()


@check
def non_autocommit_sends_begin():
    conn = connect()
    try:
        assert not conn.autocommit
        assert conn.get_transaction_status() == ext.TRANSACTION_STATUS_IDLE
        assert one(conn, "SELECT 1") == (1,)
        # psycopg2 sent BEGIN first: the server says we are in a block.
        assert conn.get_transaction_status() == ext.TRANSACTION_STATUS_INTRANS
        conn.commit()
        assert conn.get_transaction_status() == ext.TRANSACTION_STATUS_IDLE
        one(conn, "SELECT 2")
        conn.rollback()
        assert conn.get_transaction_status() == ext.TRANSACTION_STATUS_IDLE
    finally:
        conn.close()


@check
def rollback_undoes_set():
    conn = connect()
    try:
        with conn.cursor() as cur:
            cur.execute("SET application_name = 'inside'")
            cur.execute("SHOW application_name")
            assert cur.fetchone() == ("inside",)
        conn.rollback()
        assert one(conn, "SHOW application_name") == ("test_psycopg2",)
        with conn.cursor() as cur:
            cur.execute("SET application_name = 'kept'")
        conn.commit()
        assert one(conn, "SHOW application_name") == ("kept",)
        conn.commit()
        # libpq tracks ParameterStatus after the change.
        assert conn.get_parameter_status("application_name") == "kept"
    finally:
        conn.close()


@check
def autocommit_stays_idle():
    conn = connect()
    try:
        conn.autocommit = True
        assert one(conn, "SELECT 1") == (1,)
        assert conn.get_transaction_status() == ext.TRANSACTION_STATUS_IDLE
        with conn.cursor() as cur:
            cur.execute("BEGIN")
            assert conn.get_transaction_status() == ext.TRANSACTION_STATUS_INTRANS
            cur.execute("COMMIT")
            assert conn.get_transaction_status() == ext.TRANSACTION_STATUS_IDLE
    finally:
        conn.close()


@check
def parameters_round_trip():
    with connect() as conn:
        row = one(conn, "SELECT %s, %s, %s, %s, %s, %s",
                  (1, -2147483648, 2 ** 40, True, "text", None))
        assert row == (1, -2147483648, 2 ** 40, True, "text", None), row
        s = "it's \\ a \"quote\" — héllo 日本語 🙂"
        assert one(conn, "SELECT %s", (s,)) == (s,)
        assert one(conn, "SELECT %(a)s + %(b)s", {"a": 40, "b": 2}) == (42,)
        assert one(conn, "SELECT %s::int8 * 2", (2 ** 40,)) == (2 ** 41,)
        assert one(conn, "SELECT %s IS NULL, %s IS NOT NULL", (None, False)) == (True, True)
        assert one(conn, "SELECT %s || %s", ("a", "b")) == ("ab",)
        big = "x" * (1024 * 1024)
        assert one(conn, "SELECT %s", (big,)) == (big,)
    conn.close()


@check
def types_and_description():
    with connect() as conn, conn.cursor() as cur:
        cur.execute("SELECT 1::int2 AS a, 2::int4 AS b, 3::int8 AS c, true AS d, 'x'::text AS e,"
                    " NULL AS f, NULL::int8 AS g, 'lit' AS h, (-32768)::int2 AS i")
        row = cur.fetchone()
        assert row == (1, 2, 3, True, "x", None, None, "lit", -32768), row
        assert [type(v) for v in row[:5]] == [int, int, int, bool, str]
        names = [d.name for d in cur.description]
        assert names == list("abcdefghi"), names
        oids = [d.type_code for d in cur.description]
        assert oids == [21, 23, 20, 16, 25, 25, 20, 25, 21], oids
        assert cur.rowcount == 1
        assert cur.statusmessage == "SELECT 1", cur.statusmessage
        cur.execute("SELECT 9223372036854775807, -9223372036854775808, 2147483648")
        assert cur.fetchone() == (9223372036854775807, -9223372036854775808, 2147483648)
        assert [d.type_code for d in cur.description] == [20, 20, 20]
        cur.execute("SET TimeZone = 'UTC'")
        assert cur.statusmessage == "SET"
        assert cur.description is None
        cur.execute("SHOW TimeZone")
        assert cur.description[0].name == "TimeZone"
        assert cur.description[0].type_code == 25
        assert cur.fetchone() == ("UTC",)
    conn.close()


@check
def errors_carry_sqlstate_and_connection_survives():
    conn = connect()
    conn.autocommit = True
    try:
        e = expect_error(conn, "SELECT 1 / 0", psycopg2.errors.DivisionByZero, "22012")
        assert "division by zero" in e.pgerror, e.pgerror
        assert e.diag.message_primary == "division by zero"
        assert e.diag.severity == "ERROR"
        assert e.diag.sqlstate == "22012"
        assert one(conn, "SELECT 'alive'") == ("alive",)
        e = expect_error(conn, "SELEC 1", psycopg2.errors.SyntaxError, "42601")
        assert e.diag.statement_position == "1", e.diag.statement_position
        e = expect_error(conn, "SELECT 1 + nosuchcol", psycopg2.errors.UndefinedColumn, "42703")
        assert e.diag.statement_position == "12", e.diag.statement_position
        assert e.diag.message_primary == 'column "nosuchcol" does not exist'
        e = expect_error(conn, "SELECT nosuchfunc(1)", psycopg2.errors.UndefinedFunction, "42883")
        assert e.diag.message_hint.startswith("No function matches"), e.diag.message_hint
        expect_error(conn, "SELECT 2147483647 + 1", psycopg2.errors.NumericValueOutOfRange, "22003")
        expect_error(conn, "SELECT 'x'::int", psycopg2.errors.InvalidTextRepresentation, "22P02")
        expect_error(conn, "SET no_such_param = 1", psycopg2.errors.UndefinedObject, "42704")
        expect_error(conn, "SET server_version = '1'", psycopg2.errors.CantChangeRuntimeParam,
                     "55P02")
        assert one(conn, "SELECT 'still alive'") == ("still alive",)
    finally:
        conn.close()


@check
def failed_transaction_block():
    conn = connect()
    try:
        expect_error(conn, "SELECT 1 / 0", psycopg2.errors.DivisionByZero, "22012")
        assert conn.get_transaction_status() == ext.TRANSACTION_STATUS_INERROR
        expect_error(conn, "SELECT 1", psycopg2.errors.InFailedSqlTransaction, "25P02")
        conn.rollback()
        assert conn.get_transaction_status() == ext.TRANSACTION_STATUS_IDLE
        assert one(conn, "SELECT 'recovered'") == ("recovered",)
        conn.commit()
    finally:
        conn.close()


@check
def notices():
    conn = connect()
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute("COMMIT")
            cur.execute("BEGIN")
            cur.execute("BEGIN")
            cur.execute("ROLLBACK")
        assert conn.notices == [
            "WARNING:  there is no transaction in progress\n",
            "WARNING:  there is already a transaction in progress\n",
        ], conn.notices
    finally:
        conn.close()


@check
def multi_statement_string():
    conn = connect()
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT 1; SELECT 2 AS two")
            assert cur.fetchone() == (2,)
            assert cur.description[0].name == "two"
            try:
                cur.execute("SET application_name = 'multi'; SELECT 1 / 0")
                raise AssertionError("no error")
            except psycopg2.errors.DivisionByZero:
                pass
            # The implicit transaction rolled the SET back.
            cur.execute("SHOW application_name")
            assert cur.fetchone() == ("test_psycopg2",)
    finally:
        conn.close()


@check
def cancel_pg_sleep():
    conn = connect()
    conn.autocommit = True
    try:
        timer = threading.Timer(0.5, conn.cancel)
        timer.start()
        t0 = time.monotonic()
        try:
            with conn.cursor() as cur:
                cur.execute("SELECT pg_sleep(10)")
            raise AssertionError("pg_sleep(10) was not canceled")
        except psycopg2.errors.QueryCanceled as e:
            assert e.pgcode == "57014"
        finally:
            timer.join()
        elapsed = time.monotonic() - t0
        assert elapsed < 5, f"cancel took {elapsed:.1f} s"
        assert one(conn, "SELECT 'after cancel'") == ("after cancel",)
    finally:
        conn.close()


@check
def many_connections():
    conns = [connect() for _ in range(20)]
    pids = set()
    for c in conns:
        pids.add(one(c, "SELECT pg_backend_pid()")[0])
    for c in conns:
        c.close()
    assert len(pids) == 20, pids


@check
def none_in_writes():
    # psycopg2 quotes None as a bare NULL literal (psycopg 3 sends an untyped parameter, see
    # test_psycopg3.py untyped_null_takes_the_column_type): both assign it to any column type.
    conn = connect()
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute("DROP TABLE IF EXISTS p2_nulls")
            cur.execute("CREATE TABLE p2_nulls (id int PRIMARY KEY, k int, n numeric(6,2),"
                        " ts timestamptz)")
            cur.execute("INSERT INTO p2_nulls VALUES (%s, %s, %s, %s)", (1, None, None, None))
            cur.execute("INSERT INTO p2_nulls SELECT %s, %s", (2, None))
            cur.execute("UPDATE p2_nulls SET k = %s, n = %s, ts = %s WHERE id = %s",
                        (None, None, None, 1))
            assert cur.statusmessage == "UPDATE 1", cur.statusmessage
            cur.execute("SELECT id FROM p2_nulls WHERE k = %s", (None,))
            assert cur.fetchall() == []
            cur.execute("SELECT * FROM p2_nulls ORDER BY id")
            assert cur.fetchall() == [(1, None, None, None), (2, None, None, None)]
            cur.execute("DROP TABLE p2_nulls")
    finally:
        conn.close()


if __name__ == "__main__":
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
