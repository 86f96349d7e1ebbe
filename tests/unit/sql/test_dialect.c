/*
 * tests/unit/sql/test_dialect.c — Check suite for sql/dialect.c, the
 * streaming-dialect pre-pass: what each extension is rewritten to (byte for
 * byte), the side information it returns, the no-op on plain SQL, syntax
 * errors at PostgreSQL's positions, and the 0A000 answer of the binder.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sql/dialect.h"
#include "sql/sql_int.h"
#include "sql_test_util.h"

/* Pre-pass of text; *d set (NULL = no-op). Fails the test on an error. */
static DialectScript *
prepass(const char *text)
{
    DialectScript *d = NULL;
    Err err;

    err_clear(&err);
    ck_assert_msg(dialect_prepass(text, strlen(text), &d, &err) == 0, "%s: %s", text, err.message);
    if (d != NULL)
        ck_assert_uint_eq(d->len, strlen(text));
    return d;
}

static Err
prepass_error(const char *text)
{
    DialectScript *d = NULL;
    Err err;

    err_clear(&err);
    ck_assert_int_eq(dialect_prepass(text, strlen(text), &d, &err), -1);
    ck_assert_ptr_null(d);
    return err;
}

/* The error sql_script_parse() gives (pre-pass and parser together). */
static Err
script_error(const char *text)
{
    SqlScript *sc = NULL;
    Err err;

    err_clear(&err);
    ck_assert_int_eq(sql_script_parse(NULL, text, &sc, &err), -1);
    ck_assert_ptr_null(sc);
    return err;
}

START_TEST(test_plain_sql_untouched)
{
    static const char *const plain[] = {
        "select 1",
        "",
        "SHOW transaction_isolation",
        "select format('%s', 'source'), 'append only', \"watermark\" from emit",
        "CREATE TABLE t (a int, b text) WITH (fillfactor = 70)",
        "CREATE TABLE t (a int) PARTITION BY RANGE (a)",
        "CREATE TABLE source (a int)",
        "CREATE MATERIALIZED VIEW v AS SELECT * FROM a JOIN b emit ON true",
        "SELECT * FROM TUMBLE(bid, date_time, INTERVAL '10' SECOND)",
        ("SELECT window_start, count(*) FROM HOP(bid, date_time, INTERVAL '2' SECOND, "
         "INTERVAL '10' SECOND) GROUP BY window_start"),
        "select 'unterminated",
        "-- show tables\nselect 2",
        "select $$ flush $$; /* describe x */",
    };

    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
        ck_assert_msg(prepass(plain[i]) == NULL, "touched: %s", plain[i]);
}
END_TEST

START_TEST(test_create_source)
{
    const char *q = "CREATE SOURCE IF NOT EXISTS s (a int, ts timestamp, "
                    "WATERMARK FOR ts AS ts - INTERVAL '5 seconds') "
                    "WITH (connector = 'nexmark', nexmark.table.type = 'Bid', "
                    "nexmark.event.num = 1000, \"Q\".x = -2.5, flag = TRUE)";
    DialectScript *d = prepass(q);
    const DialectStmt *st;
    const char *want = "CREATE TABLE  IF NOT EXISTS s (a int, ts timestamp";

    ck_assert_ptr_nonnull(d);
    ck_assert_int_eq(d->nstmts, 1);
    st = &d->stmts[0];
    ck_assert_int_eq(st->kind, DIALECT_CREATE_SOURCE);
    ck_assert(st->if_not_exists);
    ck_assert(!st->is_dialect_only);
    ck_assert_str_eq(st->name, "s");
    ck_assert_str_eq(st->wm_column, "ts");
    ck_assert_str_eq(st->wm_expr, "ts - INTERVAL '5 seconds'");
    ck_assert_int_eq(st->wm_expr_pos, (int)(strstr(q, "ts - INT") - q));
    ck_assert_int_eq(st->wm_expr_len, (int)strlen("ts - INTERVAL '5 seconds'"));
    ck_assert_int_eq(st->noptions, 5);
    ck_assert_str_eq(st->options[0].key, "connector");
    ck_assert_str_eq(st->options[0].value, "nexmark");
    ck_assert_int_eq(st->options[0].value_kind, DIALECT_VALUE_STRING);
    ck_assert_str_eq(st->options[1].key, "nexmark.table.type");
    ck_assert_str_eq(st->options[1].value, "Bid");
    ck_assert_int_eq(st->options[1].key_pos, (int)(strstr(q, "nexmark.table") - q));
    ck_assert_int_eq(st->options[1].value_pos, (int)(strstr(q, "'Bid'") - q));
    ck_assert_str_eq(st->options[2].value, "1000");
    ck_assert_int_eq(st->options[2].value_kind, DIALECT_VALUE_NUMBER);
    ck_assert_str_eq(st->options[3].key, "Q.x");
    ck_assert_str_eq(st->options[3].value, "-2.5");
    ck_assert_str_eq(st->options[4].value, "true");
    ck_assert_int_eq(st->options[4].value_kind, DIALECT_VALUE_WORD);
    /* SOURCE → "TABLE ", watermark and WITH blanked, everything else in place */
    ck_assert_int_eq(strncmp(d->text, want, strlen(want)), 0);
    for (size_t i = strlen(want); i < d->len; i++) {
        if (i != (size_t)(strstr(q, ") WITH") - q))
            ck_assert_msg(d->text[i] == ' ', "byte %zu is '%c'", i, d->text[i]);
    }
    ck_assert_int_eq(d->text[strstr(q, ") WITH") - q], ')');
    dialect_free(d);
}
END_TEST

START_TEST(test_create_table_append_only)
{
    const char *q = "create table t (\n  WATERMARK FOR ts AS ts,\n  ts timestamptz\n)"
                    " append only with (k = v) format plain encode json (a.b = 'x''y')";
    DialectScript *d = prepass(q);
    const DialectStmt *st;

    ck_assert_ptr_nonnull(d);
    st = &d->stmts[0];
    ck_assert_int_eq(st->kind, DIALECT_CREATE_TABLE);
    ck_assert(st->append_only);
    ck_assert_int_eq(st->append_only_pos, (int)(strstr(q, "append") - q));
    ck_assert_str_eq(st->wm_column, "ts");
    ck_assert_str_eq(st->wm_expr, "ts");
    ck_assert_str_eq(st->options[0].value, "v");
    ck_assert_str_eq(st->format, "PLAIN");
    ck_assert_str_eq(st->encode, "JSON");
    ck_assert_int_eq(st->nencode_options, 1);
    ck_assert_str_eq(st->encode_options[0].key, "a.b");
    ck_assert_str_eq(st->encode_options[0].value, "x'y");
    /* the first element's trailing comma goes too; newlines stay */
    ck_assert_int_eq(strncmp(d->text, "create table t (\n ", 18), 0);
    ck_assert_ptr_null(strstr(d->text, "WATERMARK"));
    ck_assert_ptr_null(strstr(d->text, ","));
    ck_assert_int_eq(strspn(strstr(d->text, "\n  ts timestamptz\n)") + 19, " "),
                     strlen(q) - (size_t)(strstr(q, "\n)") - q) - 2);
    dialect_free(d);

    d = prepass("CREATE TABLE t (a int) WITH (connector = 'datagen', fields.a.kind = 'sequence')");
    ck_assert_ptr_nonnull(d);
    ck_assert_int_eq(d->stmts[0].kind, DIALECT_CREATE_TABLE);
    ck_assert_str_eq(d->stmts[0].options[1].key, "fields.a.kind");
    dialect_free(d);
}
END_TEST

START_TEST(test_mv_drop_and_commands)
{
    const char *q = "CREATE MATERIALIZED VIEW v AS SELECT window_start FROM TUMBLE(t, ts, "
                    "INTERVAL '1 minute') GROUP BY 1 EMIT ON WINDOW CLOSE; "
                    "drop source if exists a, b cascade; show tables from public like 'a%'; "
                    "SHOW SOURCES; show materialized views; describe s.\"T\"; FLUSH";
    DialectScript *d = prepass(q);
    static const DialectKind kinds[] = {
        DIALECT_CREATE_MV,   DIALECT_DROP_SOURCE, DIALECT_SHOW_TABLES, DIALECT_SHOW_SOURCES,
        DIALECT_SHOW_MVIEWS, DIALECT_DESCRIBE,    DIALECT_FLUSH};

    ck_assert_ptr_nonnull(d);
    ck_assert_int_eq(d->nstmts, 7);
    for (int i = 0; i < 7; i++)
        ck_assert_int_eq(d->stmts[i].kind, kinds[i]);
    ck_assert(d->stmts[0].emit_on_window_close);
    ck_assert(strstr(d->text, "EMIT") == NULL);
    ck_assert(strstr(d->text, "drop TABLE  if exists a, b cascade;") != NULL);
    ck_assert(d->stmts[1].if_exists && d->stmts[1].cascade);
    ck_assert_str_eq(d->stmts[2].schema, "public");
    ck_assert_str_eq(d->stmts[2].pattern, "a%");
    ck_assert_str_eq(d->stmts[5].name, "s.\"T\"");
    for (int i = 2; i < 7; i++)
        ck_assert(d->stmts[i].is_dialect_only);
    ck_assert_int_eq(d->stmts[6].start, (int)(strstr(q, "FLUSH") - q));
    dialect_free(d);
}
END_TEST

START_TEST(test_script_statements)
{
    SqlScript *sc;
    Err err;
    int start, len;

    err_clear(&err);
    ck_assert_int_eq(
        sql_script_parse(NULL, "select 1; FLUSH; SHOW TABLES;select 2; flush", &sc, &err), 0);
    ck_assert_int_eq(sql_script_count(sc), 5);
    ck_assert_ptr_nonnull(parse_statement(sc, 0, &start, &len));
    ck_assert_ptr_null(parse_dialect(sc, 0));
    ck_assert_ptr_null(parse_statement(sc, 1, &start, &len));
    ck_assert_int_eq(start, 10);
    ck_assert_int_eq(len, 5);
    ck_assert_int_eq(parse_dialect(sc, 1)->kind, DIALECT_FLUSH);
    ck_assert_int_eq(parse_dialect(sc, 2)->kind, DIALECT_SHOW_TABLES);
    ck_assert_ptr_nonnull(parse_statement(sc, 3, &start, &len));
    ck_assert_ptr_null(parse_dialect(sc, 3));
    ck_assert_int_eq(parse_dialect(sc, 4)->kind, DIALECT_FLUSH);
    sql_script_destroy(sc);

    ck_assert_int_eq(sql_script_parse(NULL, "select 1; CREATE SOURCE s (a int)", &sc, &err), 0);
    ck_assert_int_eq(sql_script_count(sc), 2);
    ck_assert_ptr_null(parse_dialect(sc, 0));
    ck_assert_int_eq(parse_dialect(sc, 1)->kind, DIALECT_CREATE_SOURCE);
    sql_script_destroy(sc);
}
END_TEST

START_TEST(test_syntax_errors)
{
    Err e = prepass_error("CREATE SOURCE s (a int, WATERMARK FOR a)");

    ck_assert_str_eq(e.sqlstate, "42601");
    ck_assert_str_eq(e.message, "syntax error at or near \")\"");
    ck_assert_int_eq(e.position, 40);
    e = prepass_error("CREATE SOURCE s (WATERMARK FOR a AS a -, b int)");
    ck_assert_str_eq(e.message, "syntax error at or near \",\"");
    ck_assert_int_eq(e.position, 40);
    e = prepass_error("CREATE SOURCE s (é int, WATERMARK FOR é AS é + * 2)");
    ck_assert_str_eq(e.message, "syntax error at or near \"*\"");
    ck_assert_int_eq(e.position, 48);
    e = prepass_error("CREATE SOURCE s (a int) WITH (x = 1, y =)");
    ck_assert_str_eq(e.message, "syntax error at or near \")\"");
    ck_assert_int_eq(e.position, 41);
    e = prepass_error("CREATE SOURCE s (a int");
    ck_assert_str_eq(e.message, "syntax error at end of input");
    ck_assert_int_eq(e.position, 23);
    e = prepass_error("CREATE SOURCE s WITH (connector = 'x')");
    ck_assert_str_eq(e.message, "syntax error at or near \"WITH\"");
    e = prepass_error("create table t (a int) append only tablespace x;");
    ck_assert_str_eq(e.message, "syntax error at or near \"tablespace\"");
    e = prepass_error("CREATE SOURCE s (a int) APPEND ONLY");
    ck_assert_int_eq(e.position, 25);
    e = prepass_error("FLUSH now; select 1");
    ck_assert_str_eq(e.message, "syntax error at or near \"now\"");
    e = prepass_error("SHOW TABLES LIKE x");
    ck_assert_str_eq(e.message, "syntax error at or near \"x\"");
    e = prepass_error("CREATE SOURCE s (a int) WITH (k = E'x')");
    ck_assert_str_eq(e.sqlstate, "0A000");
    /* errors libpg_query finds in the rewritten text keep the original's positions */
    e = script_error("CREATE SOURCE é (a int, WATERMARK FOR a AS a, b) WITH (k = 'é')");
    ck_assert_str_eq(e.message, "syntax error at or near \")\"");
    ck_assert_int_eq(e.position, 48);
    /* an earlier error PostgreSQL would find first wins over ours */
    e = prepass_error("CREATE TABLE t (a int, b) APPEND;");
    ck_assert_str_eq(e.message, "syntax error at or near \")\"");
    ck_assert_int_eq(e.position, 25);
    e = prepass_error("SELECT 1 +; CREATE SOURCE s (a int) WITH (x = 1, y =)");
    ck_assert_str_eq(e.message, "syntax error at or near \";\"");
    ck_assert_int_eq(e.position, 11);
    e = prepass_error("CREATE SOURCE é (a int int, WATERMARK FOR a)");
    ck_assert_str_eq(e.message, "syntax error at or near \"int\"");
    ck_assert_int_eq(e.position, 24);
    e = prepass_error("CREATE SOURCE s (a int, WATERMARK FOR a) WITH (a.b.c = 1)");
    ck_assert_int_eq(e.position, 40);
    e = script_error("DROP SOURCE");
    ck_assert_str_eq(e.message, "syntax error at end of input");
    ck_assert_int_eq(e.position, 12);
}
END_TEST

START_TEST(test_binder_answers)
{
    SqlSession *s = test_session();

    ck_assert_str_eq(run(s, "CREATE SOURCE s (a int) WITH (connector = 'nexmark', "
                            "nexmark.table.type = 'bid')"),
                     "ERROR 22023: column \"a\" is not a column of nexmark table type bid @18");
    /* SHOW TABLES / SOURCES run now (sql/table_exec.c): without a storage engine, no rows */
    ck_assert_str_eq(run(s, "show sources"), "");
    ck_assert_str_eq(run(s, "show materialized views"), "");
    /* FLUSH runs (sql/table_exec.c): without a storage engine there is nothing to flush */
    ck_assert_str_eq(run(s, "select 41 + 1; FLUSH"), "FLUSH");
    ck_assert_str_eq(run(s, "select 41 + 1"), "42");
    sql_session_destroy(s);
}
END_TEST

START_TEST(test_char_positions)
{
    DialectScript *d = prepass("CREATE TABLE é (a int, WATERMARK FOR a AS 'ééé') APPEND ONLY");

    ck_assert_ptr_nonnull(d);
    /* the rewritten text gained 3 characters (each blanked é is 2 spaces) before the ')' */
    ck_assert_int_eq(dialect_char_position(d,
                                           "CREATE TABLE é (a int, WATERMARK FOR a AS 'ééé') "
                                           "APPEND ONLY",
                                           51),
                     48);
    dialect_free(d);
}
END_TEST

static Suite *
dialect_suite(void)
{
    Suite *s = suite_create("dialect");
    TCase *tc = tcase_create("core");

    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_plain_sql_untouched);
    tcase_add_test(tc, test_create_source);
    tcase_add_test(tc, test_create_table_append_only);
    tcase_add_test(tc, test_mv_drop_and_commands);
    tcase_add_test(tc, test_script_statements);
    tcase_add_test(tc, test_syntax_errors);
    tcase_add_test(tc, test_binder_answers);
    tcase_add_test(tc, test_char_positions);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(dialect_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
