#!/usr/bin/python3
"""tests/clients/test_rowdesc.py — RowDescription's table OID and column attnum.

    PGHOST=127.0.0.1 PGPORT=N /usr/bin/python3 tests/clients/test_rowdesc.py

PostgreSQL fills a result column's table OID and attnum when the column is a
table column unchanged (through joins, subqueries, grouping keys, DISTINCT,
ORDER BY, LIMIT), and 0 for anything computed; drivers show them
(psycopg's PGresult.ftable / ftablecol, JDBC's getTableName). The table OIDs
differ between servers, so each check names the table each column should
come from and the test checks the OIDs are consistent: non-zero, equal for
the same table, different for different tables, 0 where no table is named.
Run with --target postgres to prove the expectations. Prints one line per
check and "N passed, N failed".
"""
import os
import traceback

import psycopg

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


def origins(cur, query, params=None, prepare=None):
    cur.execute(query, params, prepare=prepare)
    res = cur.pgresult
    return [(res.ftable(i), res.ftablecol(i)) for i in range(res.nfields)]


def expect(cur, query, want, params=None, prepare=None, oids={}):
    """want: one (table name or None, attnum) per column; oids remembers name -> OID."""
    got = origins(cur, query, params, prepare)
    assert len(got) == len(want), (query, got, want)
    for (oid, att), (name, watt) in zip(got, want):
        if name is None:
            assert (oid, att) == (0, 0), (query, got, want)
            continue
        assert oid != 0 and att == watt, (query, got, want)
        if name in oids:
            assert oids[name] == oid, (query, name, oids[name], oid)
        else:
            assert oid not in oids.values(), (query, name, oid, oids)
            oids[name] = oid


def setup():
    with conn() as c:
        cur = c.cursor()
        for t in ("rd_t", "rd_u"):
            cur.execute(f"DROP TABLE IF EXISTS {t}")
        cur.execute("CREATE TABLE rd_t (a int, b text, c bigint)")
        cur.execute("CREATE TABLE rd_u (id int PRIMARY KEY, x text)")
        cur.execute("INSERT INTO rd_t VALUES (1, 'one', 10), (2, 'two', 20)")
        cur.execute("INSERT INTO rd_u VALUES (1, 'x1'), (2, 'x2')")


def test_plain_columns():
    with conn() as c:
        expect(c.cursor(), "SELECT a, b, c FROM rd_t", [("rd_t", 1), ("rd_t", 2), ("rd_t", 3)])
        expect(c.cursor(), "SELECT c, a FROM rd_t WHERE a > 0", [("rd_t", 3), ("rd_t", 1)])


def test_star_and_alias():
    with conn() as c:
        expect(c.cursor(), "SELECT * FROM rd_t", [("rd_t", 1), ("rd_t", 2), ("rd_t", 3)])
        expect(c.cursor(), "SELECT z.b AS renamed FROM rd_t z", [("rd_t", 2)])


def test_expressions_are_zero():
    with conn() as c:
        expect(c.cursor(), "SELECT a + 1, b || '', 'k', 1, a FROM rd_t",
               [(None, 0), (None, 0), (None, 0), (None, 0), ("rd_t", 1)])
        expect(c.cursor(), "SELECT a::bigint, a::int FROM rd_t", [(None, 0), ("rd_t", 1)])
        expect(c.cursor(), "SELECT 1 AS one", [(None, 0)])


def test_join():
    with conn() as c:
        expect(c.cursor(), "SELECT u.x, t.b, u.id FROM rd_t t JOIN rd_u u ON u.id = t.a",
               [("rd_u", 2), ("rd_t", 2), ("rd_u", 1)])
        expect(c.cursor(), "SELECT * FROM rd_u, rd_t WHERE id = a",
               [("rd_u", 1), ("rd_u", 2), ("rd_t", 1), ("rd_t", 2), ("rd_t", 3)])


def test_subquery():
    with conn() as c:
        expect(c.cursor(), "SELECT s.b, s.k FROM (SELECT b, a * 2 AS k FROM rd_t) s",
               [("rd_t", 2), (None, 0)])


def test_grouping_distinct_order_limit():
    with conn() as c:
        expect(c.cursor(), "SELECT a, count(*), max(b) FROM rd_t GROUP BY a",
               [("rd_t", 1), (None, 0), (None, 0)])
        expect(c.cursor(), "SELECT DISTINCT b FROM rd_t", [("rd_t", 2)])
        expect(c.cursor(), "SELECT b FROM rd_t ORDER BY c DESC LIMIT 1", [("rd_t", 2)])


def test_extended_protocol():
    with conn() as c:
        expect(c.cursor(), "SELECT b, a FROM rd_t WHERE a = %s", [("rd_t", 2), ("rd_t", 1)],
               params=(1,))
        expect(c.cursor(), "SELECT x FROM rd_u WHERE id > %s", [("rd_u", 2)], params=(0,),
               prepare=True)


def test_primary_key_table():
    with conn() as c:
        expect(c.cursor(), "SELECT id, x FROM rd_u", [("rd_u", 1), ("rd_u", 2)])


def test_window_sublink_cte_outer_join_setop():
    with conn() as c:
        expect(c.cursor(), "SELECT c, row_number() OVER () FROM rd_t", [("rd_t", 3), (None, 0)])
        expect(c.cursor(), "SELECT b FROM rd_t WHERE a IN (SELECT id FROM rd_u)", [("rd_t", 2)])
        expect(c.cursor(), "WITH w AS (SELECT a, b FROM rd_t) SELECT b, a FROM w",
               [("rd_t", 2), ("rd_t", 1)])
        expect(c.cursor(), "SELECT t.a, u.x FROM rd_t t LEFT JOIN rd_u u ON u.id = t.a",
               [("rd_t", 1), ("rd_u", 2)])
        expect(c.cursor(), "SELECT a FROM rd_t UNION SELECT id FROM rd_u", [(None, 0)])


def test_returning():
    with conn() as c:
        expect(c.cursor(), "INSERT INTO rd_t VALUES (3, 'three', 30) RETURNING c, b || '', a",
               [("rd_t", 3), (None, 0), ("rd_t", 1)])
        expect(c.cursor(), "UPDATE rd_u SET x = 'y' WHERE id = 2 RETURNING x, id + 0",
               [("rd_u", 2), (None, 0)])
        expect(c.cursor(), "DELETE FROM rd_u WHERE id = 2 RETURNING *", [("rd_u", 1), ("rd_u", 2)])


setup()
for t in (test_plain_columns, test_star_and_alias, test_expressions_are_zero, test_join,
          test_subquery, test_grouping_distinct_order_limit, test_extended_protocol,
          test_primary_key_table, test_window_sublink_cte_outer_join_setop, test_returning):
    check(t)
print(f"{passed} passed, {failed} failed")
raise SystemExit(1 if failed else 0)
