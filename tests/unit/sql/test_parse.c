/*
 * tests/unit/sql/test_parse.c — Check suite for sql/parse.c: statements of a
 * query string, syntax errors with PostgreSQL's messages and positions,
 * statement texts, and parsing from many threads at once.
 */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sql_test_util.h"

static int
count_statements(const char *text)
{
    SqlScript *sc;
    Err err;
    int n;

    err_clear(&err);
    if (sql_script_parse(NULL, text, &sc, &err) < 0)
        return -1;
    n = sql_script_count(sc);
    sql_script_destroy(sc);
    return n;
}

static Err
parse_error(const char *text)
{
    SqlScript *sc = NULL;
    Err err;

    err_clear(&err);
    ck_assert_int_eq(sql_script_parse(NULL, text, &sc, &err), -1);
    ck_assert_ptr_null(sc);
    return err;
}

START_TEST(test_statement_counts)
{
    ck_assert_int_eq(count_statements(""), 0);
    ck_assert_int_eq(count_statements(";"), 0);
    ck_assert_int_eq(count_statements(" ; ;\n"), 0);
    ck_assert_int_eq(count_statements("-- only a comment"), 0);
    ck_assert_int_eq(count_statements("/* block */"), 0);
    ck_assert_int_eq(count_statements("select 1"), 1);
    ck_assert_int_eq(count_statements("select 1; select 2 ;  "), 2);
    ck_assert_int_eq(count_statements("select 1;;select 2"), 2);
    ck_assert_int_eq(count_statements("select ';'; select 2"), 2);
}
END_TEST

START_TEST(test_syntax_errors)
{
    Err e = parse_error("select 'é' FROM;");

    ck_assert_str_eq(e.sqlstate, "42601");
    ck_assert_str_eq(e.message, "syntax error at or near \";\"");
    ck_assert_int_eq(e.position, 16); /* characters, not bytes (17) */
    e = parse_error("select 'ééé' , 1 +;");
    ck_assert_int_eq(e.position, 19);
    e = parse_error("select 1 +");
    ck_assert_str_eq(e.message, "syntax error at end of input");
    ck_assert_int_eq(e.position, 11);
    e = parse_error("select 'abc");
    ck_assert_str_eq(e.message, "unterminated quoted string at or near \"'abc\"");
    ck_assert_int_eq(e.position, 8);
    e = parse_error("select $$abc");
    ck_assert_str_eq(e.message, "unterminated dollar-quoted string at or near \"$$abc\"");
    e = parse_error("select \"abc");
    ck_assert_str_eq(e.message, "unterminated quoted identifier at or near \"\"abc\"");
    e = parse_error("select /* abc");
    ck_assert_str_eq(e.message, "unterminated /* comment at or near \"/* abc\"");
    /* (libpg_query 15-4.0.0 quotes "0x" here where PostgreSQL 15.20 quotes "0x10") */
    e = parse_error("select 1_000");
    ck_assert_str_eq(e.sqlstate, "42601");
    ck_assert_int_eq(e.level, ERR_ERROR);
}
END_TEST

START_TEST(test_error_anywhere_fails_all)
{
    /* the position counts from the start of the whole string */
    Err e = parse_error("select 1; select from from");

    ck_assert_str_eq(e.message, "syntax error at or near \"from\"");
    ck_assert_int_eq(e.position, 23);
}
END_TEST

START_TEST(test_invalid_utf8)
{
    Err e = parse_error("select '\xc3\x28'");

    ck_assert_str_eq(e.sqlstate, "22021");
    ck_assert_str_eq(e.message, "invalid byte sequence for encoding \"UTF8\": 0xc3 0x28");
}
END_TEST

START_TEST(test_statement_text_and_positions)
{
    SqlSession *s = test_session();
    SqlScript *sc;
    SqlStatement *st;
    Err err;

    err_clear(&err);
    ck_assert_int_eq(sql_script_parse(s, "  select 1 ;\n select 'x' ; ", &sc, &err), 0);
    ck_assert_int_eq(sql_prepare(s, sc, 1, NULL, 0, &st, &err), 0);
    sql_script_destroy(sc); /* the statement does not depend on the script */
    ck_assert_str_eq(sql_statement_text(st), "select 'x'");
    sql_statement_destroy(st);
    /* binder errors in a later statement are positioned in the whole string */
    ck_assert_str_eq(run(s, "select 1; select x"), "ERROR 42703: column \"x\" does not exist @18");
    ck_assert_str_eq(run(s, "select 'ééé', x"), "ERROR 42703: column \"x\" does not exist @15");
    sql_session_destroy(s);
}
END_TEST

START_TEST(test_string_literals)
{
    SqlSession *s = test_session();

    ck_assert_str_eq(run(s, "select E'a\\tb', 'a\\tb', 'it''s', $$d$q$$, U&'\\0041'"),
                     "a\tb|a\\tb|it's|d$q|A");
    ck_assert_str_eq(run(s, "select 'abc' 'def'"),
                     "ERROR 42601: syntax error at or near \"'def'\" @14");
    ck_assert_str_eq(run(s, "select 'abc'\n'def'"), "abcdef");
    sql_session_destroy(s);
}
END_TEST

START_TEST(test_unsupported_statements)
{
    SqlSession *s = test_session();

    /* CREATE TABLE and INSERT are bound now (sql/table.h); stream/test_engine.c runs them */
    ck_assert_str_eq(run(s, "update t set a = 1"),
                     "ERROR 42P01: relation \"t\" does not exist @8");
    ck_assert_str_eq(run(s, "delete from t"), "ERROR 42P01: relation \"t\" does not exist @13");
    ck_assert_str_eq(
        run(s, "create table v as select 1"),
        "ERROR 0A000: statement type CREATE TABLE AS is not supported yet @0");
    /* materialized views are bound (sql/bind_matview.c); they need the storage engine */
    ck_assert_str_eq(
        run(s, "create materialized view v as select 1"),
        "ERROR 0A000: tables are not available: no storage engine is running @0");
    ck_assert_str_eq(run(s, "explain select 1"),
                     "ERROR 0A000: statement type EXPLAIN is not supported yet @0");
    ck_assert_str_eq(run(s, "create sequence q"),
                     "ERROR 0A000: statement type CREATE SEQUENCE is not supported yet @0");
    ck_assert_str_eq(run(s, "alter system set work_mem = 1"),
                     "ERROR 0A000: ALTER SYSTEM SET work_mem is not supported @0");
    sql_session_destroy(s);
}
END_TEST

static char *
repeat(const char *head, const char *unit, int n, const char *tail)
{
    size_t hl = strlen(head), ul = strlen(unit), tl = strlen(tail);
    char *buf = malloc(hl + ul * (size_t)n + tl + 1), *p = buf;

    memcpy(p, head, hl);
    p += hl;
    for (int i = 0; i < n; i++, p += ul)
        memcpy(p, unit, ul);
    memcpy(p, tail, tl + 1);
    return buf;
}

START_TEST(test_nesting_limit)
{
    SqlSession *s = test_session();
    char *sql = repeat("select ", "1+", 999, "1");

    ck_assert_str_eq(run(s, sql), "1000");
    free(sql);
    sql = repeat("select ", "1+", 50000, "1");
    ck_assert_str_eq(run(s, sql), "ERROR 54001: stack depth limit exceeded @0");
    free(sql);
    sql = repeat("select ", "not ", 5000, "true");
    ck_assert_str_eq(run(s, sql), "ERROR 54001: stack depth limit exceeded @0");
    free(sql);
    sql = repeat("select ", "abs(", 3000, "1");
    ck_assert_str_eq(run(s, sql), "ERROR 54001: stack depth limit exceeded @0");
    free(sql);
    /* a set operation chain is left-deep, commas in the select lists or not */
    sql = repeat("select 1, 2", " union all select 1, 2", 20000, "");
    ck_assert_str_eq(run(s, sql), "ERROR 54001: stack depth limit exceeded @0");
    free(sql);
    /* long but flat: lists and AND chains do not nest */
    sql = repeat("values (0, 'a')", ", (1, 'b')", 20000, "");
    run(s, sql);
    ck_assert_str_eq(run_tag(), "SELECT 20001");
    free(sql);
    sql = repeat("select true", " and true", 20000, "");
    ck_assert_str_eq(run(s, sql), "t");
    free(sql);
    sql = repeat("select 1 in (0", ", 1", 20000, ")");
    ck_assert_str_eq(run(s, sql), "t");
    free(sql);
    sql_session_destroy(s);
}
END_TEST

/* libpg_query keeps per-thread state: parsing and running in parallel sessions must be safe. */
static void *
parse_worker(void *arg)
{
    SqlSession *s = test_session();
    long id = (long)arg;
    char sql[128];

    for (int i = 0; i < 300; i++) {
        char expect[64];

        snprintf(sql, sizeof sql, "select %ld + %d, 'w' || %ld; select 1 +", id, i, id);
        if (strncmp(run(s, sql), "ERROR 42601: syntax error at end of input", 41) != 0)
            return (void *)1;
        snprintf(sql, sizeof sql, "select %ld + %d, 'w' || %ld", id, i, id);
        snprintf(expect, sizeof expect, "%ld|w%ld", id + i, id);
        if (strcmp(run(s, sql), expect) != 0)
            return (void *)1;
    }
    sql_session_destroy(s);
    return NULL;
}

START_TEST(test_parallel_sessions)
{
    pthread_t t[6];
    void *rc;

    for (long i = 0; i < 6; i++)
        ck_assert_int_eq(pthread_create(&t[i], NULL, parse_worker, (void *)i), 0);
    for (int i = 0; i < 6; i++) {
        ck_assert_int_eq(pthread_join(t[i], &rc), 0);
        ck_assert_ptr_null(rc);
    }
}
END_TEST

static Suite *
parse_suite(void)
{
    Suite *s = suite_create("parse");
    TCase *tc = tcase_create("core");

    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_statement_counts);
    tcase_add_test(tc, test_syntax_errors);
    tcase_add_test(tc, test_error_anywhere_fails_all);
    tcase_add_test(tc, test_invalid_utf8);
    tcase_add_test(tc, test_statement_text_and_positions);
    tcase_add_test(tc, test_string_literals);
    tcase_add_test(tc, test_unsupported_statements);
    tcase_add_test(tc, test_nesting_limit);
    tcase_add_test(tc, test_parallel_sessions);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(parse_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
