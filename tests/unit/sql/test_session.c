/*
 * tests/unit/sql/test_session.c — Check suite for the sql.h flow as the
 * server drives it (sql/session.c, sql/portal.c, sql/binder.c): Parse with
 * parameter types, inference of $n, Bind with text and binary values,
 * result formats, Execute/Fetch/value, command tags, transaction blocks,
 * notices, cancellation and statement_timeout.
 */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "common/clock.h"
#include "sql_test_util.h"

static SqlSession *s;
static Err err;

static void
setup(void)
{
    s = test_session();
    err_clear(&err);
}

static void
teardown(void)
{
    sql_session_destroy(s);
}

/* Parse + prepare one statement (extended protocol: parameters are inferred). */
static SqlStatement *
prepare(const char *sql, const Oid *types, int ntypes)
{
    SqlScript *sc;
    SqlStatement *st = NULL;

    err_clear(&err);
    ck_assert_int_eq(sql_script_parse(s, sql, &sc, &err), 0);
    ck_assert_int_eq(sql_script_count(sc), 1);
    if (sql_prepare(s, sc, 0, types, ntypes, &st, &err) < 0)
        st = NULL;
    sql_script_destroy(sc);
    return st;
}

static const char *
param_types(const SqlStatement *st)
{
    static char buf[128];
    size_t used = 0;

    buf[0] = '\0';
    for (int i = 0; i < sql_statement_nparams(st); i++)
        used += (size_t)snprintf(buf + used, sizeof buf - used, "%s%u", i ? "," : "",
                                 sql_statement_param_type(st, i));
    return buf;
}

static SqlParam
text_param(const char *v)
{
    SqlParam p = {(const uint8_t *)v, v != NULL ? (int32_t)strlen(v) : -1, 0};

    return p;
}

static SqlParam
binary_param(const void *v, int32_t len)
{
    SqlParam p = {v, len, 1};

    return p;
}

/* Executes a bound portal and returns its first row's values in text, "|"-separated. */
static const char *
first_row(SqlPortal *p)
{
    static char buf[512];
    const SqlStatement *st = sql_portal_statement(p);
    size_t used = 0;
    bool has;

    buf[0] = '\0';
    ck_assert_int_eq(sql_portal_execute(s, p, &err), 0);
    ck_assert_int_eq(sql_portal_fetch(s, p, &has, &err), 0);
    ck_assert(has);
    for (int c = 0; c < sql_statement_ncolumns(st); c++) {
        Buf b;
        bool isnull;

        buf_init(&b, 1024);
        ck_assert_int_eq(sql_portal_value(s, p, c, &b, &isnull, &err), 0);
        used += (size_t)snprintf(buf + used, sizeof buf - used, "%s%.*s", c ? "|" : "",
                                 isnull ? 6 : (int)b.len, isnull ? "<NULL>" : (char *)b.data);
        buf_free(&b);
    }
    return buf;
}

START_TEST(test_parameter_inference)
{
    static const struct {
        const char *sql;
        const char *types;
    } cases[] = {
        {"select $1", "25"},
        {"select $1 + 1", "23"},
        {"select $1::bigint", "20"},
        {"select $1 = $2", "25,25"},
        {"select $1 || 'a', $2 || 1", "25,25"},
        {"select coalesce($1, 1), nullif($2, 3), case when $3 then $4 else 5 end", "23,23,16,23"},
        {"select $1 and $2, not $3, $4 is true", "16,16,16,16"},
        {"select current_setting($1), $2::int8 + $3", "25,20,20"},
        {"select $1 || $2", "25,25"},
        {"select $1 + 1, $1", "23"},
        {"select $1 + 1, $1 || 'a'", "23"},
        {"select $1::int, $1", "23"},
        {"select $1 in (1, 2)", "23"},
        {"select 1 limit $1", "20"},
        {"select pg_sleep($1)", "701"},
    };

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        SqlStatement *st = prepare(cases[i].sql, NULL, 0);

        ck_assert_msg(st != NULL, "%s: %s", cases[i].sql, err.message);
        ck_assert_msg(strcmp(param_types(st), cases[i].types) == 0, "%s: %s", cases[i].sql,
                      param_types(st));
        sql_statement_destroy(st);
    }
}
END_TEST

START_TEST(test_parameter_errors)
{
    Oid int8_type[] = {20}, int4_type[] = {23}, text_type[] = {25}, unknown[] = {705}, zero[] = {0};
    Oid bogus[] = {424242}, numeric[] = {1700};
    SqlStatement *st;
    SqlScript *sc;

    ck_assert_ptr_null(prepare("select $1 is null", NULL, 0));
    ck_assert_str_eq(err.sqlstate, "42P18");
    ck_assert_str_eq(err.message, "could not determine data type of parameter $1");
    ck_assert_int_eq(err.position, 0);
    ck_assert_ptr_null(prepare("select $2", NULL, 0));
    ck_assert_str_eq(err.message, "could not determine data type of parameter $1");
    ck_assert_ptr_null(prepare("select $1, $1 + 1", NULL, 0));
    ck_assert_str_eq(err.sqlstate, "42P08");
    ck_assert_str_eq(err.message, "inconsistent types deduced for parameter $1");
    ck_assert_str_eq(err.detail, "integer versus text");
    ck_assert_int_eq(err.position, 8);
    ck_assert_ptr_null(prepare("select $0", NULL, 0));
    ck_assert_str_eq(err.sqlstate, "42P02");
    ck_assert_ptr_null(prepare("select $1", bogus, 1));
    ck_assert_str_eq(err.message, "type with OID 424242 does not exist");
    st = prepare("select $1", numeric, 1); /* numeric is supported now */
    ck_assert_str_eq(param_types(st), "1700");
    sql_statement_destroy(st);
    /* explicit types are honoured; 0 and unknown mean "infer" */
    st = prepare("select $1", int8_type, 1);
    ck_assert_str_eq(param_types(st), "20");
    ck_assert_str_eq(sql_statement_column(st, 0)->name, "?column?");
    ck_assert_uint_eq(sql_statement_column(st, 0)->type_oid, 20);
    sql_statement_destroy(st);
    st = prepare("select $1 + 1", unknown, 1);
    ck_assert_str_eq(param_types(st), "23");
    sql_statement_destroy(st);
    ck_assert_ptr_null(prepare("select $2::text", zero, 1));
    ck_assert_str_eq(err.message, "could not determine data type of parameter $1");
    st = prepare("select $2::text", int4_type, 1);
    ck_assert_str_eq(param_types(st), "23,25");
    sql_statement_destroy(st);
    st = prepare("select 1", int4_type, 1); /* declared but unused: still a parameter */
    ck_assert_str_eq(param_types(st), "23");
    sql_statement_destroy(st);
    ck_assert_ptr_null(prepare("select $1 + 1", text_type, 1));
    ck_assert_str_eq(err.message, "operator does not exist: text + integer");
    ck_assert_int_eq(err.position, 11);
    /* the simple protocol has no parameters */
    err_clear(&err);
    ck_assert_int_eq(sql_script_parse(s, "select $1", &sc, &err), 0);
    ck_assert_int_eq(sql_prepare_simple(s, sc, 0, &st, &err), -1);
    ck_assert_str_eq(err.sqlstate, "42P02");
    ck_assert_str_eq(err.message, "there is no parameter $1");
    ck_assert_int_eq(err.position, 8);
    sql_script_destroy(sc);
}
END_TEST

START_TEST(test_bind_text_parameters)
{
    SqlStatement *st = prepare("select $1::int + 1, $2, $3::bool, $4", NULL, 0);
    SqlParam params[4] = {text_param(" 41 "), text_param("héllo"), text_param("YES"),
                          text_param(NULL)};
    SqlPortal *p;

    ck_assert_str_eq(param_types(st), "23,25,16,25");
    ck_assert_int_eq(sql_bind(s, st, 4, params, NULL, &p, &err), 0);
    ck_assert_str_eq(first_row(p), "42|héllo|t|<NULL>");
    sql_portal_destroy(p);
    params[0] = text_param("abc");
    ck_assert_int_eq(sql_bind(s, st, 4, params, NULL, &p, &err), -1);
    ck_assert_str_eq(err.sqlstate, "22P02");
    ck_assert_str_eq(err.message, "invalid input syntax for type integer: \"abc\"");
    ck_assert_str_eq(err.context, "unnamed portal parameter $1 = '...'");
    err_clear(&err);
    params[0] = text_param("1");
    params[1] = text_param("\xc3\x28");
    ck_assert_int_eq(sql_bind(s, st, 4, params, NULL, &p, &err), -1);
    ck_assert_str_eq(err.sqlstate, "22021");
    ck_assert_str_eq(err.message, "invalid byte sequence for encoding \"UTF8\": 0xc3 0x28");
    ck_assert_str_eq(err.context, "unnamed portal parameter $2");
    err_clear(&err);
    ck_assert_int_eq(sql_bind(s, st, 1, params, NULL, &p, &err), -1);
    ck_assert_str_eq(err.sqlstate, "08P01");
    ck_assert_str_eq(err.message,
                     "bind message supplies 1 parameters, but prepared statement \"\" requires 4");
    sql_statement_destroy(st);
}
END_TEST

START_TEST(test_bind_binary_parameters)
{
    Oid types[] = {23, 20, 21, 16, 25, 701};
    SqlStatement *st = prepare("select $1, $2, $3, $4, $5, $6", types, 6);
    SqlParam params[6] = {
        binary_param("\x00\x00\x01\x00", 4), binary_param("\xff\xff\xff\xff\xff\xff\xff\xfe", 8),
        binary_param("\x00\x07", 2),         binary_param("\x02", 1),
        binary_param("t\xc3\xa9xt", 5),      binary_param("\x3f\xf8\x00\x00\x00\x00\x00\x00", 8),
    };
    SqlPortal *p;

    ck_assert_int_eq(sql_bind(s, st, 6, params, NULL, &p, &err), 0);
    ck_assert_str_eq(first_row(p), "256|-2|7|t|téxt|1.5");
    sql_portal_destroy(p);
    params[0] = binary_param("\x00\x00\x01", 3);
    ck_assert_int_eq(sql_bind(s, st, 6, params, NULL, &p, &err), -1);
    ck_assert_str_eq(err.sqlstate, "08P01");
    ck_assert_str_eq(err.message, "insufficient data left in message");
    ck_assert_str_eq(err.context, "unnamed portal parameter $1");
    err_clear(&err);
    params[0] = binary_param("\x00\x00\x00\x01\x00", 5);
    ck_assert_int_eq(sql_bind(s, st, 6, params, NULL, &p, &err), -1);
    ck_assert_str_eq(err.sqlstate, "22P03");
    ck_assert_str_eq(err.message, "incorrect binary data format in bind parameter 1");
    err_clear(&err);
    params[0] = binary_param("\x00\x00\x00\x01", 4);
    params[4] = binary_param("\xff", 1);
    ck_assert_int_eq(sql_bind(s, st, 6, params, NULL, &p, &err), -1);
    ck_assert_str_eq(err.sqlstate, "22021");
    err_clear(&err);
    params[4].format = 3;
    ck_assert_int_eq(sql_bind(s, st, 6, params, NULL, &p, &err), -1);
    ck_assert_str_eq(err.message, "unsupported format code: 3");
    sql_statement_destroy(st);
}
END_TEST

START_TEST(test_binary_results)
{
    SqlStatement *st = prepare("select true, 2::int2, 3, 4::int8, 'tx', current_user, 1.5::float8, "
                               "null::int",
                               NULL, 0);
    int16_t formats[8] = {1, 1, 1, 1, 1, 1, 1, 1};
    static const char *const expect[7] = {"\x01",
                                          "\x00\x02",
                                          "\x00\x00\x00\x03",
                                          "\x00\x00\x00\x00\x00\x00\x00\x04",
                                          "tx",
                                          "postgres",
                                          "\x3f\xf8\x00\x00\x00\x00\x00\x00"};
    static const size_t lens[7] = {1, 2, 4, 8, 2, 8, 8};
    SqlPortal *p;
    bool has, isnull;
    Buf b;

    ck_assert_int_eq(sql_bind(s, st, 0, NULL, formats, &p, &err), 0);
    ck_assert_int_eq(sql_portal_format(p, 2), 1);
    ck_assert_int_eq(sql_portal_execute(s, p, &err), 0);
    ck_assert_int_eq(sql_portal_fetch(s, p, &has, &err), 0);
    ck_assert(has);
    buf_init(&b, 64);
    for (int c = 0; c < 7; c++) {
        buf_reset(&b);
        ck_assert_int_eq(sql_portal_value(s, p, c, &b, &isnull, &err), 0);
        ck_assert(!isnull);
        ck_assert_uint_eq(b.len, lens[c]);
        ck_assert_mem_eq(b.data, expect[c], lens[c]);
    }
    buf_reset(&b);
    ck_assert_int_eq(sql_portal_value(s, p, 7, &b, &isnull, &err), 0);
    ck_assert(isnull);
    ck_assert_uint_eq(b.len, 0);
    buf_free(&b);
    ck_assert_int_eq(sql_portal_fetch(s, p, &has, &err), 0);
    ck_assert(!has);
    sql_portal_destroy(p);
    formats[0] = 2;
    ck_assert_int_eq(sql_bind(s, st, 0, NULL, formats, &p, &err), -1);
    ck_assert_str_eq(err.message, "unsupported format code: 2");
    sql_statement_destroy(st);
}
END_TEST

START_TEST(test_describe_and_tags)
{
    SqlStatement *st = prepare("values (1, 'a'), (2, 'b'), (3, null)", NULL, 0);
    const SqlColumn *col;
    SqlPortal *p;
    char tag[64];

    ck_assert(sql_statement_returns_rows(st));
    ck_assert_int_eq(sql_statement_ncolumns(st), 2);
    col = sql_statement_column(st, 1);
    ck_assert_str_eq(col->name, "column2");
    ck_assert_uint_eq(col->type_oid, 25);
    ck_assert_int_eq(col->typmod, -1);
    ck_assert_int_eq(col->typlen, -1);
    ck_assert_uint_eq(col->table_oid, 0);
    ck_assert_int_eq(col->attnum, 0);
    ck_assert_ptr_null(sql_statement_column(st, 2));
    ck_assert_int_eq(sql_bind(s, st, 0, NULL, NULL, &p, &err), 0);
    ck_assert_str_eq(first_row(p), "1|a");
    /* a second execute does not run the statement again (PortalSuspended) */
    ck_assert_int_eq(sql_portal_execute(s, p, &err), 0);
    ck_assert_str_eq(first_row(p), "2|b");
    sql_portal_command_tag(p, 3, tag, sizeof tag);
    ck_assert_str_eq(tag, "SELECT 3");
    sql_portal_destroy(p);
    sql_statement_destroy(st);
    st = prepare("set search_path = a", NULL, 0);
    ck_assert(!sql_statement_returns_rows(st));
    ck_assert_int_eq(sql_statement_ncolumns(st), 0);
    ck_assert_int_eq(sql_bind(s, st, 0, NULL, NULL, &p, &err), 0);
    ck_assert_int_eq(sql_portal_execute(s, p, &err), 0);
    sql_portal_command_tag(p, 0, tag, sizeof tag);
    ck_assert_str_eq(tag, "SET");
    sql_portal_destroy(p);
    sql_statement_destroy(st);
    st = prepare("show search_path", NULL, 0);
    ck_assert_str_eq(sql_statement_column(st, 0)->name, "search_path");
    sql_statement_destroy(st);
    ck_assert_str_eq(run(s, "start transaction"), "START TRANSACTION");
    ck_assert_str_eq(run(s, "end"), "COMMIT");
    ck_assert_str_eq(run(s, "begin"), "BEGIN");
    ck_assert_str_eq(run(s, "abort"), "ROLLBACK");
    ck_assert_str_eq(run(s, "reset search_path"), "RESET");
    ck_assert_str_eq(run(s, "select 1 where false"), "");
    ck_assert_str_eq(run_tag(), "SELECT 0");
}
END_TEST

START_TEST(test_transaction_block)
{
    SqlStatement *st;
    SqlPortal *p;
    char tag[64];

    ck_assert_int_eq(sql_session_txn_status(s), 'I');
    ck_assert_str_eq(run(s, "begin"), "BEGIN");
    ck_assert_int_eq(sql_session_txn_status(s), 'T');
    ck_assert_str_eq(run(s, "begin"), "BEGIN");
    ck_assert_str_eq(take_notices(s), "WARNING 25001: there is already a transaction in progress;");
    st = prepare("select 1 + $1", NULL, 0); /* prepared before the failure */
    ck_assert_str_eq(run(s, "select 1/0"), "ERROR 22012: division by zero @0");
    ck_assert_int_eq(sql_session_txn_status(s), 'E');
    ck_assert_str_eq(run(s, "select 1"),
                     "ERROR 25P02: current transaction is aborted, commands ignored until end of "
                     "transaction block @0");
    ck_assert_int_eq(sql_bind(s, st, 0, NULL, NULL, &p, &err), -1);
    ck_assert_str_eq(err.sqlstate, "25P02");
    sql_statement_destroy(st);
    ck_assert_ptr_null(prepare("set search_path = a", NULL, 0));
    ck_assert_str_eq(err.sqlstate, "25P02");
    /* COMMIT of a failed block rolls back and says so */
    st = prepare("commit", NULL, 0);
    ck_assert_int_eq(sql_bind(s, st, 0, NULL, NULL, &p, &err), 0);
    ck_assert_int_eq(sql_portal_execute(s, p, &err), 0);
    sql_portal_command_tag(p, 0, tag, sizeof tag);
    ck_assert_str_eq(tag, "ROLLBACK");
    sql_portal_destroy(p);
    sql_statement_destroy(st);
    ck_assert_int_eq(sql_session_txn_status(s), 'I');
    ck_assert_str_eq(run(s, "commit"), "COMMIT");
    ck_assert_str_eq(take_notices(s), "WARNING 25P01: there is no transaction in progress;");
    ck_assert_str_eq(run(s, "rollback"), "ROLLBACK");
    ck_assert_str_eq(take_notices(s), "WARNING 25P01: there is no transaction in progress;");
    ck_assert_str_eq(run(s, "set local search_path = x"), "SET");
    ck_assert_str_eq(take_notices(s), "WARNING 25P01: SET LOCAL can only be used in transaction "
                                      "blocks;");
    ck_assert_str_eq(run(s, "begin isolation level repeatable read, read only"), "BEGIN");
    ck_assert_str_eq(run(s, "show transaction_isolation"), "repeatable read");
    ck_assert_str_eq(run(s, "show transaction_read_only"), "on");
    ck_assert_str_eq(run(s, "set transaction isolation level serializable"), "SET");
    ck_assert_str_eq(run(s, "show transaction_isolation"), "serializable");
    ck_assert_str_eq(run(s, "commit"), "COMMIT");
    ck_assert_str_eq(run(s, "show transaction_isolation"), "read committed");
    ck_assert_str_eq(run(s, "savepoint x"),
                     "ERROR 25P01: SAVEPOINT can only be used in transaction blocks @0");
    ck_assert_int_eq(sql_session_txn_status(s), 'I');
}
END_TEST

START_TEST(test_system_functions)
{
    const char *v;

    ck_assert_str_eq(run(s, "select pg_backend_pid(), current_database(), current_user"),
                     "4242|postgres|postgres");
    v = run(s, "select version()");
    ck_assert_msg(strncmp(v, "PostgreSQL 15.0 (Rivulet 0.1.0) on ", 35) == 0, "%s", v);
    ck_assert_ptr_nonnull(strstr(v, ", compiled by "));
    ck_assert_str_eq(run_columns(), "version:25:-1");
    ck_assert_str_eq(run(s, "select set_config('search_path', 'a, b', false)"), "a, b");
    ck_assert_str_eq(run(s, "show search_path"), "a, b");
    ck_assert_str_eq(run(s, "select current_setting('search_path'), current_setting('x.y', true)"),
                     "a, b|<NULL>");
    ck_assert_str_eq(run(s, "select current_setting('x.y')"),
                     "ERROR 42704: unrecognized configuration parameter \"x.y\" @0");
    ck_assert_str_eq(run(s, "select set_config('x.y', 'v', false), current_setting('x.y')"), "v|v");
}
END_TEST

typedef struct Canceller {
    atomic_int *flag;
    int delay_ms;
} Canceller;

static void *
cancel_later(void *arg)
{
    Canceller *c = arg;

    clock_sleep_us((int64_t)c->delay_ms * 1000);
    atomic_store(c->flag, 1);
    return NULL;
}

START_TEST(test_cancel_pg_sleep)
{
    atomic_int flag = 0;
    Canceller c = {&flag, 50};
    pthread_t t;
    int64_t start;

    sql_session_set_interrupt(s, &flag);
    ck_assert_str_eq(run(s, "select pg_sleep(0.01)"), "");
    ck_assert_int_eq(pthread_create(&t, NULL, cancel_later, &c), 0);
    start = clock_monotonic_ns();
    ck_assert_str_eq(run(s, "select pg_sleep(10)"),
                     "ERROR 57014: canceling statement due to user request @0");
    ck_assert_int_lt(clock_monotonic_ns() - start, 2000000000LL);
    pthread_join(t, NULL);
    /* while the flag stays set, every statement is cancelled */
    ck_assert_str_eq(run(s, "select 1"), "ERROR 57014: canceling statement due to user request @0");
    atomic_store(&flag, 0);
    ck_assert_str_eq(run(s, "select 1"), "1");
}
END_TEST

START_TEST(test_statement_timeout)
{
    int64_t start = clock_monotonic_ns();

    ck_assert_str_eq(run(s, "set statement_timeout = 30"), "SET");
    ck_assert_str_eq(run(s, "select pg_sleep(5)"),
                     "ERROR 57014: canceling statement due to statement timeout @0");
    ck_assert_int_lt(clock_monotonic_ns() - start, 2000000000LL);
    ck_assert_str_eq(run(s, "reset statement_timeout; select pg_sleep(0.02)"), "");
}
END_TEST

static Suite *
session_suite(void)
{
    Suite *su = suite_create("session");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_parameter_inference);
    tcase_add_test(tc, test_parameter_errors);
    tcase_add_test(tc, test_bind_text_parameters);
    tcase_add_test(tc, test_bind_binary_parameters);
    tcase_add_test(tc, test_binary_results);
    tcase_add_test(tc, test_describe_and_tags);
    tcase_add_test(tc, test_transaction_block);
    tcase_add_test(tc, test_system_functions);
    tcase_add_test(tc, test_cancel_pg_sleep);
    tcase_add_test(tc, test_statement_timeout);
    suite_add_tcase(su, tc);
    return su;
}

int
main(void)
{
    SRunner *sr = srunner_create(session_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
