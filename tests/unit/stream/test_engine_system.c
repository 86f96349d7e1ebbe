/*
 * tests/unit/stream/test_engine_system.c — the server-wide settings of the
 * storage engine end to end through SQL: ALTER SYSTEM SET checkpoint_interval
 * reaches the epoch driver (and wakes it: a write is applied within a few
 * new intervals without FLUSH), SHOW reads it back, RESET restores the
 * start-up value; the storage options (engine_set_storage_options, the
 * server's --state-map-size / --log-compression-level) reach the state
 * store; DESCRIBE and RowDescription see the engine's relations and ids.
 */
#include <check.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../sql/sql_test_util.h"
#include "stream/engine_int.h"
#include "stream/stream.h"

static char dir[64];

static Engine *
open_engine(void)
{
    Engine *e;
    Err err;

    snprintf(dir, sizeof dir, "/tmp/rv-enginesys-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    err_clear(&err);
    ck_assert_msg(engine_open(dir, &e, &err) == 0, "engine_open: %s", err.message);
    return e;
}

static void
close_engine(Engine *e)
{
    char cmd[128];

    engine_close(e);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

static EnginePk *
the_pk(Engine *e)
{
    for (size_t i = 0; i < e->nrels; i++) {
        if (e->rels[i].pk != NULL)
            return e->rels[i].pk;
    }
    ck_abort_msg("no primary-key table");
    return NULL;
}

START_TEST(test_alter_system_reaches_driver)
{
    SqlSession *s = test_session();
    Engine *e = open_engine();
    int waited = 0;

    engine_set_checkpoint_interval(e, 3600000); /* the "start-up" value: one hour */
    usleep(100000); /* let the driver take the new period (it runs one epoch on the change) */
    ck_assert_str_eq(run(s, "SHOW checkpoint_interval"), "1h");
    ck_assert_str_eq(run(s, "create table t (a int primary key)"), "CREATE TABLE");
    ck_assert_str_eq(run(s, "insert into t values (1), (2)"), "INSERT 0 2");
    /* (no assertion that nothing is applied yet: a slow scheduler could still be running that
       epoch; if ALTER SYSTEM did not reach the driver, the wait below would take an hour) */
    ck_assert_str_eq(run(s, "ALTER SYSTEM SET checkpoint_interval TO '10ms'"), "ALTER SYSTEM");
    ck_assert_uint_eq(atomic_load(&e->interval_ms), 10);
    ck_assert_str_eq(run(s, "SHOW checkpoint_interval"), "10ms");
    while (the_pk(e)->applied < 2 && waited++ < 300)
        usleep(10000);
    ck_assert_uint_eq(the_pk(e)->applied, 2); /* woken, and now on the new period */
    ck_assert_str_eq(run(s, "ALTER SYSTEM SET checkpoint_interval TO 5"),
                     "ERROR 22023: 5 ms is outside the valid range for parameter "
                     "\"checkpoint_interval\" (10 .. 3600000) @0");
    ck_assert_uint_eq(atomic_load(&e->interval_ms), 10);
    /* RESET: what the server started with (captured before the first ALTER SYSTEM) */
    ck_assert_str_eq(run(s, "ALTER SYSTEM RESET checkpoint_interval"), "ALTER SYSTEM");
    ck_assert_uint_eq(atomic_load(&e->interval_ms), 3600000);
    ck_assert_str_eq(run(s, "SHOW PARAMETERS"), "checkpoint_interval|1h|t");
    close_engine(e);
    sql_session_destroy(s);
}
END_TEST

START_TEST(test_storage_options)
{
    SqlSession *s = test_session();
    StateStats st;
    Engine *e;

    engine_set_storage_options(19, (size_t)3 << 20);
    e = open_engine();
    state_stats(e->state, &st);
    ck_assert_uint_eq(st.map_size, (size_t)3 << 20);
    ck_assert_str_eq(run(s, "create table z (a bigint, b text)"), "CREATE TABLE");
    ck_assert_str_eq(run(s, "insert into z select g, 'row ' || g from generate_series(1, 5000) g"),
                     "INSERT 0 5000");
    ck_assert_str_eq(run(s, "select count(*), max(b) from z"), "5000|row 999");
    close_engine(e);
    /* back to the defaults: 0 means the storage layer's own */
    engine_set_storage_options(0, 0);
    e = open_engine();
    state_stats(e->state, &st);
    ck_assert_uint_gt(st.map_size, (size_t)1 << 30);
    close_engine(e);
    sql_session_destroy(s);
}
END_TEST

START_TEST(test_describe_and_origins)
{
    SqlSession *s = test_session();
    Engine *e = open_engine();
    char want[64];
    uint64_t id = 0;
    SqlScript *sc;
    SqlStatement *st;
    Err err;

    ck_assert_str_eq(run(s, "create table d (x numeric(8,3), k text primary key)"), "CREATE TABLE");
    ck_assert_str_eq(run(s, "describe d"), "x|numeric(8,3)|false|<NULL>\n"
                                           "k|text|false|<NULL>\n"
                                           "primary key|k|<NULL>|<NULL>\n"
                                           "table description|d|<NULL>|<NULL>");
    for (size_t i = 0; i < e->nrels; i++)
        id = e->rels[i].id;
    ck_assert_uint_ne(id, 0);
    err_clear(&err);
    ck_assert_int_eq(sql_script_parse(s, "select k, x * 2, x from d", &sc, &err), 0);
    ck_assert_int_eq(sql_prepare_simple(s, sc, 0, &st, &err), 0);
    snprintf(want, sizeof want, "%u.%d %u.%d %u.%d", (unsigned)id, 2, 0u, 0, (unsigned)id, 1);
    {
        char got[64];
        const SqlColumn *c0 = sql_statement_column(st, 0), *c1 = sql_statement_column(st, 1),
                        *c2 = sql_statement_column(st, 2);

        snprintf(got, sizeof got, "%u.%d %u.%d %u.%d", c0->table_oid, c0->attnum, c1->table_oid,
                 c1->attnum, c2->table_oid, c2->attnum);
        ck_assert_str_eq(got, want);
    }
    sql_statement_destroy(st);
    sql_script_destroy(sc);
    ck_assert_str_eq(run(s, "drop table d"), "DROP TABLE");
    ck_assert_str_eq(run(s, "describe d"), "ERROR 42P01: relation \"d\" does not exist @10");
    close_engine(e);
    sql_session_destroy(s);
}
END_TEST

/* The minimal pg_catalog (sql/pg_catalog.c) over the engine's relations. */
START_TEST(test_pg_catalog)
{
    SqlSession *s = test_session();
    Engine *e = open_engine();
    char want[256], sql[1024];
    uint64_t t = 0, k = 0;

    ck_assert_str_eq(run(s, "create table t (a int not null, b varchar(10) default 'x')"),
                     "CREATE TABLE");
    ck_assert_str_eq(run(s, "create source k (z bigint)"), "CREATE SOURCE");
    t = e->rels[0].id;
    k = e->rels[1].id;
    snprintf(want, sizeof want, "%u|t|2200|r|2\n%u|k|2200|r|1", (unsigned)t, (unsigned)k);
    ck_assert_str_eq(run(s, "SELECT oid, relname, relnamespace, relkind, relnatts FROM "
                            "pg_catalog.pg_class ORDER BY oid"),
                     want);
    ck_assert_str_eq(run(s, "SELECT nspname FROM pg_namespace ORDER BY oid"), "pg_catalog\npublic");
    snprintf(sql, sizeof sql,
             "SELECT attname, atttypid, attnum, atttypmod, attnotnull, atthasdef FROM "
             "pg_attribute WHERE attrelid = %u ORDER BY attnum",
             (unsigned)t);
    ck_assert_str_eq(run(s, sql), "a|23|1|-1|t|f\nb|1043|2|14|f|t");
    ck_assert_str_eq(run(s, "SELECT typname, typlen, typtype FROM pg_type WHERE oid IN (16, 25, "
                            "1043, 705) ORDER BY oid"),
                     "bool|1|b\ntext|-1|b\nunknown|-2|p\nvarchar|-1|b");
    ck_assert_str_eq(run(s, "SELECT adnum, pg_get_expr(adbin, adrelid) FROM pg_attrdef"), "2|'x'");
    /* pgjdbc 42.x's ResultSetMetaData query (fetchFieldMetaData), verbatim */
    snprintf(sql, sizeof sql,
             "SELECT c.oid, a.attnum, a.attname, c.relname, n.nspname, a.attnotnull OR "
             "(t.typtype = 'd' AND t.typnotnull), a.attidentity != '' OR "
             "pg_catalog.pg_get_expr(d.adbin, d.adrelid) LIKE '%%nextval(%%' FROM "
             "pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON (c.relnamespace = n.oid) "
             "JOIN pg_catalog.pg_attribute a ON (c.oid = a.attrelid) JOIN pg_catalog.pg_type t "
             "ON (a.atttypid = t.oid) LEFT JOIN pg_catalog.pg_attrdef d ON (d.adrelid = "
             "a.attrelid AND d.adnum = a.attnum) JOIN (SELECT %u AS oid , 2 AS attnum UNION ALL "
             "SELECT %u, 1) vals ON (c.oid = vals.oid AND a.attnum = vals.attnum) ORDER BY 1, 2",
             (unsigned)t, (unsigned)k);
    snprintf(want, sizeof want, "%u|2|b|t|public|f|f\n%u|1|z|k|public|f|<NULL>", (unsigned)t,
             (unsigned)k);
    if (t > k)
        snprintf(want, sizeof want, "%u|1|z|k|public|f|<NULL>\n%u|2|b|t|public|f|f", (unsigned)k,
                 (unsigned)t);
    ck_assert_str_eq(run(s, sql), want);
    close_engine(e);
    sql_session_destroy(s);
}
END_TEST

static Suite *
engine_system_suite(void)
{
    Suite *s = suite_create("engine_system");
    TCase *tc = tcase_create("core");

    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_alter_system_reaches_driver);
    tcase_add_test(tc, test_storage_options);
    tcase_add_test(tc, test_describe_and_origins);
    tcase_add_test(tc, test_pg_catalog);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(engine_system_suite());
    int failed;

    sql_set_executor(stream_run_oneshot);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
