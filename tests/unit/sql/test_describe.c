/*
 * tests/unit/sql/test_describe.c — sql/describe.c through the public sql.h
 * API with a fake catalog provider: DESCRIBE / SHOW COLUMNS rows and errors,
 * ALTER SYSTEM SET / SHOW checkpoint_interval (values reaching the
 * provider, range and unit errors, SET refused), and the table OID / attnum
 * RowDescription reports for SELECT and RETURNING columns.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sql/relation.h"
#include "sql/types.h"
#include "sql_test_util.h"

/* ---- a fake provider: relations t (no key) and k (key (b, a)), and the interval ---- */

static unsigned fake_interval = 1000;
static int fake_sets;

static SqlRelColumn T_COLS[] = {
    {"a", TYPE_INT4, -1, false, NULL, 0},
    {"b", TYPE_VARCHAR, 14, true, NULL, 0}, /* varchar(10): typmod 10 + 4 */
    {"c", TYPE_INT8, -1, false, NULL, 0},
};
static SqlRelColumn K_COLS[] = {
    {"a", TYPE_INT4, -1, true, NULL, 2},
    {"v", TYPE_TEXT, -1, false, NULL, 0},
    {"b", TYPE_TEXT, -1, true, NULL, 1},
};

static int
fake_lookup(void *arg, const char *name, Arena *a, SqlRelation **out, Err *err)
{
    SqlRelation *r;

    (void)arg;
    (void)err;
    if (strcmp(name, "t") != 0 && strcmp(name, "k") != 0 && strcmp(name, "Q x") != 0)
        return 1;
    r = arena_calloc(a, 1, sizeof *r);
    r->name = arena_strdup(a, name);
    r->kind = SQL_REL_TABLE;
    if (strcmp(name, "k") == 0) {
        r->id = 7;
        r->cols = K_COLS;
        r->ncols = 3;
    } else {
        r->id = strcmp(name, "t") == 0 ? 5 : 9;
        r->cols = T_COLS;
        r->ncols = 3;
    }
    *out = r;
    return 0;
}

static int
fake_list(void *arg, SqlRelKind kind, Arena *a, const char ***names, int *n, Err *err)
{
    (void)arg;
    (void)err;
    *names = arena_calloc(a, 2, sizeof(char *));
    *n = 0;
    if (kind == SQL_REL_TABLE) {
        (*names)[0] = "k";
        (*names)[1] = "t";
        *n = 2;
    }
    return 0;
}

static unsigned
fake_set_interval(void *arg, unsigned ms)
{
    (void)arg;
    if (ms > 0) {
        fake_interval = ms;
        fake_sets++;
    }
    return fake_interval;
}

static SqlCatalogProvider provider = {
    .lookup = fake_lookup, .list = fake_list, .set_checkpoint_interval = fake_set_interval};

static SqlSession *
session(void)
{
    sql_set_catalog_provider(&provider);
    return test_session();
}

/* ---- DESCRIBE / SHOW COLUMNS ----------------------------------------------------------- */

START_TEST(test_describe_rows)
{
    SqlSession *s = session();

    ck_assert_str_eq(run(s, "DESCRIBE t"), "a|integer|false|<NULL>\n"
                                           "b|character varying(10)|false|<NULL>\n"
                                           "c|bigint|false|<NULL>\n"
                                           "table description|t|<NULL>|<NULL>");
    ck_assert_str_eq(run_columns(), "Name:25:-1,Type:25:-1,Is Hidden:25:-1,Description:25:-1");
    ck_assert_str_eq(run_tag(), "DESCRIBE");
    /* the key in key order, not column order */
    ck_assert_str_eq(run(s, "describe public.K"), "a|integer|false|<NULL>\n"
                                                  "v|text|false|<NULL>\n"
                                                  "b|text|false|<NULL>\n"
                                                  "primary key|b, a|<NULL>|<NULL>\n"
                                                  "table description|k|<NULL>|<NULL>");
    ck_assert_str_eq(run(s, "SHOW COLUMNS FROM k"), "a|integer|false|<NULL>\n"
                                                    "v|text|false|<NULL>\n"
                                                    "b|text|false|<NULL>");
    ck_assert_str_eq(run(s, "DESCRIBE \"Q x\""), "a|integer|false|<NULL>\n"
                                                 "b|character varying(10)|false|<NULL>\n"
                                                 "c|bigint|false|<NULL>\n"
                                                 "table description|Q x|<NULL>|<NULL>");
    sql_session_destroy(s);
}
END_TEST

START_TEST(test_describe_errors)
{
    SqlSession *s = session();

    ck_assert_str_eq(run(s, "DESCRIBE nosuch"),
                     "ERROR 42P01: relation \"nosuch\" does not exist @10");
    ck_assert_str_eq(run(s, "DESCRIBE \"T\""), "ERROR 42P01: relation \"T\" does not exist @10");
    ck_assert_str_eq(run(s, "SELECT 1; DESCRIBE other.t"),
                     "ERROR 42P01: relation \"other.t\" does not exist @20");
    ck_assert_str_eq(run(s, "SHOW COLUMNS FROM x"),
                     "ERROR 42P01: relation \"x\" does not exist @19");
    ck_assert_str_eq(run(s, "DESCRIBE a.b.c"),
                     "ERROR 0A000: cross-database references are not implemented: a.b.c @10");
    ck_assert_str_eq(run(s, "SHOW COLUMNS IN t"),
                     "ERROR 42601: syntax error at or near \"IN\" @14");
    /* SHOW COLUMNS alone is PostgreSQL's SHOW of a setting */
    ck_assert_str_eq(run(s, "SHOW COLUMNS"),
                     "ERROR 42704: unrecognized configuration parameter \"columns\" @0");
    sql_session_destroy(s);
}
END_TEST

/* ---- checkpoint_interval ------------------------------------------------------------- */

START_TEST(test_checkpoint_interval)
{
    SqlSession *s = session();

    fake_interval = 1000;
    fake_sets = 0;
    ck_assert_str_eq(run(s, "SHOW checkpoint_interval"), "1s");
    ck_assert_str_eq(run(s, "ALTER SYSTEM SET checkpoint_interval TO '100ms'"), "ALTER SYSTEM");
    ck_assert_uint_eq(fake_interval, 100);
    ck_assert_str_eq(run(s, "SHOW checkpoint_interval"), "100ms");
    ck_assert_str_eq(run(s, "ALTER SYSTEM SET checkpoint_interval = 90000"), "ALTER SYSTEM");
    ck_assert_str_eq(run(s, "SHOW checkpoint_interval"), "90s");
    ck_assert_str_eq(run(s, "ALTER SYSTEM SET checkpoint_interval TO '2min'"), "ALTER SYSTEM");
    ck_assert_uint_eq(fake_interval, 120000);
    ck_assert_str_eq(run(s, "SHOW checkpoint_interval"), "2min");
    ck_assert_str_eq(run(s, "ALTER SYSTEM SET checkpoint_interval TO 10.4"), "ALTER SYSTEM");
    ck_assert_uint_eq(fake_interval, 10);
    /* RESET goes back to what the server ran with before the first ALTER SYSTEM */
    ck_assert_str_eq(run(s, "ALTER SYSTEM RESET checkpoint_interval"), "ALTER SYSTEM");
    ck_assert_uint_eq(fake_interval, 1000);
    ck_assert_int_eq(fake_sets, 5);
    ck_assert_str_eq(run(s, "ALTER SYSTEM SET checkpoint_interval TO 9"),
                     "ERROR 22023: 9 ms is outside the valid range for parameter "
                     "\"checkpoint_interval\" (10 .. 3600000) @0");
    ck_assert_str_eq(run(s, "ALTER SYSTEM SET checkpoint_interval TO '1d'"),
                     "ERROR 22023: 86400000 ms is outside the valid range for parameter "
                     "\"checkpoint_interval\" (10 .. 3600000) @0");
    ck_assert_str_eq(run(s, "ALTER SYSTEM SET checkpoint_interval TO '5 seconds'"),
                     "ERROR 22023: invalid value for parameter \"checkpoint_interval\": "
                     "\"5 seconds\" @0");
    ck_assert_str_eq(run_error()->hint, "Valid units for this parameter are \"us\", \"ms\", "
                                        "\"s\", \"min\", \"h\", and \"d\".");
    ck_assert_int_eq(fake_sets, 5); /* failures change nothing */
    ck_assert_str_eq(run(s, "SET checkpoint_interval TO 100"),
                     "ERROR 55P02: parameter \"checkpoint_interval\" cannot be changed now @0");
    ck_assert_ptr_nonnull(strstr(run_error()->hint, "ALTER SYSTEM"));
    ck_assert_str_eq(run(s, "ALTER SYSTEM SET work_mem TO '4MB'"),
                     "ERROR 0A000: ALTER SYSTEM SET work_mem is not supported @0");
    ck_assert_str_eq(run(s, "BEGIN; ALTER SYSTEM SET checkpoint_interval TO 50"),
                     "ERROR 25001: ALTER SYSTEM cannot run inside a transaction block @0");
    run(s, "ROLLBACK");
    ck_assert_uint_eq(fake_interval, 1000);
    sql_session_destroy(s);
}
END_TEST

START_TEST(test_no_engine)
{
    SqlSession *s;

    sql_set_catalog_provider(NULL);
    s = test_session();
    ck_assert_str_eq(run(s, "SHOW checkpoint_interval"), "1s");
    ck_assert_str_eq(run(s, "ALTER SYSTEM SET checkpoint_interval TO 100"),
                     "ERROR 0A000: ALTER SYSTEM needs the storage engine, which is not running @0");
    ck_assert_str_eq(run(s, "DESCRIBE t"), "ERROR 42P01: relation \"t\" does not exist @10");
    sql_session_destroy(s);
}
END_TEST

/* ---- RowDescription origins -------------------------------------------------------- */

/* "oid.attnum" per column of the statement sql binds to, e.g. "5.1,0.0". */
static const char *
origins(SqlSession *s, const char *sql)
{
    static char buf[1024];
    SqlScript *sc;
    SqlStatement *st;
    Err err;
    size_t n = 0;

    err_clear(&err);
    buf[0] = '\0';
    if (sql_script_parse(s, sql, &sc, &err) < 0 || sql_prepare_simple(s, sc, 0, &st, &err) < 0) {
        snprintf(buf, sizeof buf, "%.512s", err.message);
        return buf;
    }
    for (int i = 0; i < sql_statement_ncolumns(st); i++) {
        const SqlColumn *c = sql_statement_column(st, i);

        n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%u.%d", i ? "," : "", c->table_oid,
                              c->attnum);
    }
    sql_statement_destroy(st);
    sql_script_destroy(sc);
    return buf;
}

START_TEST(test_column_origins)
{
    SqlSession *s = session();

    ck_assert_str_eq(origins(s, "SELECT a, b, c FROM t"), "5.1,5.2,5.3");
    ck_assert_str_eq(origins(s, "SELECT * FROM t WHERE a > 0"), "5.1,5.2,5.3");
    ck_assert_str_eq(origins(s, "SELECT c, a + 1, 'x', a::int, a::bigint, b::text FROM t"),
                     "5.3,0.0,0.0,5.1,0.0,0.0");
    ck_assert_str_eq(origins(s, "SELECT k.b, t.a, k.v FROM t JOIN k ON k.a = t.a"), "7.3,5.1,7.2");
    ck_assert_str_eq(origins(s, "SELECT * FROM k, t"), "7.1,7.2,7.3,5.1,5.2,5.3");
    ck_assert_str_eq(origins(s, "SELECT s.y, s.z FROM (SELECT c AS y, a * 2 AS z FROM t) s"),
                     "5.3,0.0");
    ck_assert_str_eq(origins(s, "SELECT a, count(*), max(c) FROM t GROUP BY a"), "5.1,0.0,0.0");
    ck_assert_str_eq(origins(s, "SELECT a + 1 FROM t GROUP BY a + 1"), "0.0");
    ck_assert_str_eq(origins(s, "SELECT DISTINCT b FROM t"), "5.2");
    ck_assert_str_eq(origins(s, "SELECT b FROM t ORDER BY c LIMIT 2"), "5.2");
    ck_assert_str_eq(origins(s, "SELECT 1, 'a'"), "0.0,0.0");
    ck_assert_str_eq(origins(s, "VALUES (1)"), "0.0");
    ck_assert_str_eq(origins(s, "SELECT g FROM generate_series(1, 3) g"), "0.0");
    ck_assert_str_eq(origins(s, "SELECT c, row_number() OVER () FROM t"), "5.3,0.0");
    ck_assert_str_eq(origins(s, "SELECT b FROM t WHERE a IN (SELECT a FROM k)"), "5.2");
    ck_assert_str_eq(origins(s, "WITH w AS (SELECT a, b FROM t) SELECT b, a FROM w"), "5.2,5.1");
    ck_assert_str_eq(origins(s, "SELECT t.a, k.v FROM t LEFT JOIN k ON k.a = t.a"), "5.1,7.2");
    ck_assert_str_eq(origins(s, "SELECT a FROM t UNION SELECT a FROM k"), "0.0");
    ck_assert_str_eq(origins(s, "SELECT x.a FROM (SELECT a FROM t UNION ALL SELECT a FROM k) x"),
                     "0.0");
    sql_session_destroy(s);
}
END_TEST

/* ---- pg_catalog (sql/pg_catalog.c) ----------------------------------------------------- */

START_TEST(test_pg_catalog)
{
    SqlSession *s = session();

    /* queries over the catalog need the executor: tests/unit/stream/test_engine_system.c */
    ck_assert_str_eq(run(s, "SELECT pg_get_expr('1 + 2', 0), pg_catalog.pg_get_expr('x', 1, true)"),
                     "1 + 2|x");
    /* other schemas are not the catalog */
    ck_assert_str_eq(run(s, "SELECT * FROM public.pg_class"),
                     "ERROR 42P01: relation \"public.pg_class\" does not exist @15");
    ck_assert_str_eq(run(s, "SELECT relfilenode FROM pg_class"),
                     "ERROR 42703: column \"relfilenode\" does not exist @8");
    ck_assert_str_eq(run(s, "SELECT c.relname, a.attname FROM pg_class c, pg_attribute x"),
                     "ERROR 42P01: missing FROM-clause entry for table \"a\" @19");
    sql_session_destroy(s);
}
END_TEST

static Suite *
describe_suite(void)
{
    Suite *s = suite_create("describe");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_describe_rows);
    tcase_add_test(tc, test_describe_errors);
    tcase_add_test(tc, test_checkpoint_interval);
    tcase_add_test(tc, test_no_engine);
    tcase_add_test(tc, test_column_origins);
    tcase_add_test(tc, test_pg_catalog);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(describe_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
