/*
 * tests/unit/sql/test_guc.c — Check suite for session settings (sql/guc.c,
 * sql/guc_check.c, sql/utility.c): SET/SHOW/RESET with PostgreSQL's
 * validation, messages and canonical values, transactional behaviour,
 * startup parameters and ParameterStatus reporting.
 *
 * The SQL sequences were run on PostgreSQL 15 to obtain the expectations
 * (commented entries are deliberate differences).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sql/guc.h"
#include "sql_test_util.h"

typedef struct Step {
    const char *sql;
    const char *expect;
    const char *notices; /* "LEVEL sqlstate: message;" items */
} Step;

/* One session, statement after statement, each sent as its own Query message. */
static const Step SETTINGS[] = {
    {"set timezone = 'UTC'", "SET", ""},
    {"set local statement_timeout = 5", "SET",
     "WARNING 25P01: SET LOCAL can only be used in transaction blocks;"},
    {"show statement_timeout", "0", ""},
    {"set statement_timeout = 5000", "SET", ""},
    {"show statement_timeout", "5s", ""},
    {"set statement_timeout = 1500", "SET", ""},
    {"show statement_timeout", "1500ms", ""},
    {"set statement_timeout = '90s'", "SET", ""},
    {"show statement_timeout", "90s", ""},
    {"set statement_timeout = '1.5s'", "SET", ""},
    {"show statement_timeout", "1500ms", ""},
    {"set statement_timeout = '1h'", "SET", ""},
    {"show statement_timeout", "1h", ""},
    {"set statement_timeout = 'abc'",
     "ERROR 22023: invalid value for parameter \"statement_timeout\": \"abc\" @0", ""},
    {"set statement_timeout = -1",
     "ERROR 22023: -1 ms is outside the valid range for parameter \"statement_timeout\" (0 .. "
     "2147483647) @0",
     ""},
    {"set statement_timeout = '10 kB'",
     "ERROR 22023: invalid value for parameter \"statement_timeout\": \"10 kB\" @0", ""},
    {"set statement_timeout = 2147483648",
     "ERROR 22023: invalid value for parameter \"statement_timeout\": \"2147483648\" @0", ""},
    {"reset statement_timeout", "RESET", ""},
    {"show statement_timeout", "0", ""},
    {"set datestyle = 'german'", "SET", ""},
    {"show datestyle", "German, DMY", ""},
    {"set datestyle = 'sql, dmy'", "SET", ""},
    {"show datestyle", "SQL, DMY", ""},
    {"set datestyle = 'iso'", "SET", ""},
    {"show datestyle", "ISO, DMY", ""},
    {"set datestyle = 'postgres'", "SET", ""},
    {"show datestyle", "Postgres, DMY", ""},
    {"set datestyle = 'ymd'", "SET", ""},
    {"show datestyle", "Postgres, YMD", ""},
    {"set datestyle = 'euro'", "SET", ""},
    {"show datestyle", "Postgres, DMY", ""},
    {"set datestyle = 'us'", "SET", ""},
    {"show datestyle", "Postgres, MDY", ""},
    {"set datestyle = iso, dmy", "SET", ""},
    {"show datestyle", "ISO, DMY", ""},
    {"set datestyle = 'foo'", "ERROR 22023: invalid value for parameter \"DateStyle\": \"foo\" @0",
     ""},
    {"set datestyle = 'iso, sql'",
     "ERROR 22023: invalid value for parameter \"DateStyle\": \"iso, sql\" @0", ""},
    {"set datestyle to default", "SET", ""},
    {"show datestyle", "ISO, MDY", ""},
    {"set timezone = 'america/new_york'", "SET", ""},
    {"show timezone", "America/New_York", ""},
    {"set time zone 'Europe/Paris'", "SET", ""},
    {"show timezone", "Europe/Paris", ""},
    {"set timezone = 'PST8PDT'", "SET", ""},
    {"show timezone", "PST8PDT", ""},
    {"set timezone = 'utc'", "SET", ""},
    {"show timezone", "UTC", ""},
    {"set timezone = '+3'", "SET", ""},
    {"show timezone", "<+03>-03", ""},
    {"set time zone 5", "SET", ""},
    {"show timezone", "<+05>-05", ""},
    {"set time zone -3.5", "SET", ""},
    {"show timezone", "<-03:30>+03:30", ""},
    {"set timezone = 'EST'", "SET", ""},
    {"show timezone", "EST", ""},
    {"set timezone = 'Mars/Base'",
     "ERROR 22023: invalid value for parameter \"TimeZone\": \"Mars/Base\" @0", ""},
    {"set timezone = '../etc/passwd'",
     "ERROR 22023: invalid value for parameter \"TimeZone\": \"../etc/passwd\" @0", ""},
    {"set time zone local", "SET", ""},
    {"show timezone", "UTC",
     ""}, /* Rivulet's default time zone is UTC, PostgreSQL's the server's */
    {"set client_encoding = 'foo'",
     "ERROR 22023: invalid value for parameter \"client_encoding\": \"foo\" @0", ""},
    {"set client_encoding = 'latin1'",
     "ERROR 0A000: invalid value for parameter \"client_encoding\": \"latin1\" @0",
     ""}, /* UTF8 clients only */
    {"set client_encoding = 'unicode'", "SET", ""},
    {"show client_encoding", "UTF8", ""},
    {"set client_encoding = 'utf-8'", "SET", ""},
    {"show client_encoding", "UTF8", ""},
    {"set names 'utf8'", "SET", ""},
    {"set intervalstyle = 'iso_8601'", "SET", ""},
    {"show intervalstyle", "iso_8601", ""},
    {"set intervalstyle = 'bogus'",
     "ERROR 22023: invalid value for parameter \"intervalstyle\": \"bogus\" @0", ""},
    {"set IntervalStyle to default", "SET", ""},
    {"set extra_float_digits = 5",
     "ERROR 22023: 5 is outside the valid range for parameter \"extra_float_digits\" (-15 .. 3) @0",
     ""},
    {"set extra_float_digits = 'x'",
     "ERROR 22023: invalid value for parameter \"extra_float_digits\": \"x\" @0", ""},
    {"set extra_float_digits = 2.5", "SET", ""},
    {"show extra_float_digits", "2", ""},
    {"set standard_conforming_strings = 'yes'", "SET", ""},
    {"show standard_conforming_strings", "on", ""},
    {"set standard_conforming_strings = 'maybe'",
     "ERROR 22023: parameter \"standard_conforming_strings\" requires a Boolean value @0", ""},
    {"set application_name = 'a very long name that is certainly more than sixty three characters "
     "long ok yes'",
     "SET",
     "NOTICE 42622: identifier \"a very long name that is certainly more than sixty three "
     "characters long ok yes\" will be truncated to \"a very long name that is certainly more than "
     "sixty three charac\";"},
    {"show application_name", "a very long name that is certainly more than sixty three charac",
     ""},
    {"set application_name = 42", "SET", ""},
    {"show application_name", "42", ""},
    {"set application_name to 'x', 'y'",
     "ERROR 22023: SET application_name takes only one argument @0", ""},
    {"set search_path = a, b", "SET", ""},
    {"show search_path", "a, b", ""},
    {"set search_path = 'a, b'", "SET", ""},
    {"show search_path", "\"a, b\"", ""},
    {"set search_path = \"$user\", public", "SET", ""},
    {"show search_path", "\"$user\", public", ""},
    {"set search_path to default", "SET", ""},
    {"show search_path", "\"$user\", public", ""},
    {"set foo.bar = 'x'", "SET", ""},
    {"show foo.bar", "x", ""},
    {"select current_setting('foo.bar')", "x", ""},
    {"show foo.baz", "ERROR 42704: unrecognized configuration parameter \"foo.baz\" @0", ""},
    {"select current_setting('foo.baz', true) is null", "t", ""},
    {"select current_setting('foo.baz')",
     "ERROR 42704: unrecognized configuration parameter \"foo.baz\" @0", ""},
    {"select set_config('application_name', 'zz', false), current_setting('application_name')",
     "zz|zz", ""},
    {"select set_config('nope', 'zz', false)",
     "ERROR 42704: unrecognized configuration parameter \"nope\" @0", ""},
    {"select set_config('statement_timeout', '2s', false)", "2s", ""},
    {"set server_version = '1'", "ERROR 55P02: parameter \"server_version\" cannot be changed @0",
     ""},
    {"set session_authorization = 'postgres'", "SET", ""},
    {"show session_authorization", "postgres", ""},
    {"set session_authorization = 'nobody'", "ERROR 22023: role \"nobody\" does not exist @0", ""},
    {"show is_superuser", "on", ""},
    {"reset all", "RESET", ""},
    {"show application_name", "", ""},
    {"set transaction_isolation = 'serializable'", "SET", ""},
    {"set default_transaction_isolation = 'serializable'", "SET", ""},
    {"show default_transaction_isolation", "serializable", ""},
    {"show transaction_isolation", "serializable", ""},
    {"begin", "BEGIN", ""},
    {"show transaction_isolation", "serializable", ""},
    {"commit", "COMMIT", ""},
    {"set default_transaction_isolation to default", "SET", ""},
    {"set TRANSACTION ISOLATION LEVEL read committed", "SET",
     "WARNING 25P01: SET TRANSACTION can only be used in transaction blocks;"},
    {"set session characteristics as transaction isolation level read uncommitted", "SET", ""},
    {"show default_transaction_isolation", "read uncommitted", ""},
    {"set session characteristics as transaction isolation level read committed", "SET", ""},
    {"show max_identifier_length", "63", ""},
    {"set work_mem = '64MB'", "SET", ""},
    {"show work_mem", "64MB", ""},
    {"set work_mem = '1000'", "SET", ""},
    {"show work_mem", "1000kB", ""},
    {"set work_mem = '10'",
     "ERROR 22023: 10 kB is outside the valid range for parameter \"work_mem\" (64 .. 2147483647) "
     "@0",
     ""},
    {"commit", "COMMIT", "WARNING 25P01: there is no transaction in progress;"},
    {"rollback", "ROLLBACK", "WARNING 25P01: there is no transaction in progress;"},
    {"begin", "BEGIN", ""},
    {"begin", "BEGIN", "WARNING 25001: there is already a transaction in progress;"},
    {"set application_name = 'in_txn'", "SET", ""},
    {"rollback", "ROLLBACK", ""},
    {"show application_name", "", ""},
    {"begin", "BEGIN", ""},
    {"set application_name='kept'", "SET", ""},
    {"commit", "COMMIT", ""},
    {"show application_name", "kept", ""},
    {"begin", "BEGIN", ""},
    {"set local application_name='loc'", "SET", ""},
    {"show application_name", "loc", ""},
    {"commit", "COMMIT", ""},
    {"show application_name", "kept", ""},
    {"begin", "BEGIN", ""},
    {"select 1/0", "ERROR 22012: division by zero @0", ""},
    {"select 1",
     "ERROR 25P02: current transaction is aborted, commands ignored until end of transaction block "
     "@0",
     ""},
    {"show application_name",
     "ERROR 25P02: current transaction is aborted, commands ignored until end of transaction block "
     "@0",
     ""},
    {"commit", "ROLLBACK", ""},
    {"begin", "BEGIN", ""},
    {"select 1/0", "ERROR 22012: division by zero @0", ""},
    {"begin",
     "ERROR 25P02: current transaction is aborted, commands ignored until end of transaction block "
     "@0",
     ""},
    {"rollback", "ROLLBACK", ""},
    {"begin isolation level serializable", "BEGIN", ""},
    {"show transaction_isolation", "serializable", ""},
    {"end", "COMMIT", ""},
    {"show transaction_isolation", "read committed", ""},
    {"start transaction read only", "START TRANSACTION", ""},
    {"show transaction_read_only", "on", ""},
    {"abort", "ROLLBACK", ""},
    {"show transaction_read_only", "off", ""},
    {"savepoint a", "ERROR 25P01: SAVEPOINT can only be used in transaction blocks @0", ""},
    {"begin", "BEGIN", ""},
    {"savepoint a", "ERROR 0A000: SAVEPOINT is not supported yet @0", ""}, /* later */
    {"rollback", "ROLLBACK", ""},
    {"show \"TimeZone\"", "UTC", ""},
    {"show \"timezone\"", "UTC", ""},
    {"set \"TimeZone\" = 'UTC'", "SET", ""},
    {"set role none", "SET", ""},
    {"show role", "none", ""},
    {"set role postgres", "SET", ""},
    {"reset role", "RESET", ""},
};

/* Multi-statement messages: the implicit transaction and its interplay with blocks. */
static const Step TRANSACTIONS[] = {
    {"set application_name='a'; select 1/0", "ERROR 22012: division by zero @0", ""},
    {"show application_name", "", ""},
    {"set local application_name='x'; show application_name", "x", ""},
    {"show application_name", "", ""},
    {"begin; set application_name = 'b'; commit; select 1/0", "ERROR 22012: division by zero @0",
     ""},
    {"show application_name", "b", ""},
    {"set application_name = 'c'; begin; set application_name = 'd'; rollback", "ROLLBACK", ""},
    {"show application_name", "b", ""},
    {"begin; set application_name = 'e'", "SET", ""},
    {"show application_name", "e", ""},
    {"rollback", "ROLLBACK", ""},
    {"show application_name", "b", ""},
    {"select set_config('application_name', 'loc', true), current_setting('application_name')",
     "loc|loc", ""},
    {"show application_name", "b", ""},
    {"select set_config('application_name', null, false)", "", ""},
    {"select set_config(null, 'x', false)", "ERROR 22004: SET requires parameter name @0", ""},
};

static void
play(const Step *steps, int n)
{
    SqlSession *s = test_session();

    for (int i = 0; i < n; i++) {
        const char *got = run(s, steps[i].sql);

        ck_assert_msg(strcmp(got, steps[i].expect) == 0, "step %d: %s\n  expected: %s\n  got: %s",
                      i, steps[i].sql, steps[i].expect, got);
        got = take_notices(s);
        ck_assert_msg(strcmp(got, steps[i].notices) == 0, "step %d: %s\n  notices %s, expected %s",
                      i, steps[i].sql, got, steps[i].notices);
    }
    sql_session_destroy(s);
}

START_TEST(test_settings_sequence)
{
    play(SETTINGS, (int)(sizeof SETTINGS / sizeof SETTINGS[0]));
}
END_TEST

START_TEST(test_transaction_sequence)
{
    play(TRANSACTIONS, (int)(sizeof TRANSACTIONS / sizeof TRANSACTIONS[0]));
}
END_TEST

START_TEST(test_messages_and_details)
{
    SqlSession *s = test_session();

    run(s, "set datestyle = 'foo'");
    ck_assert_str_eq(run_error()->detail, "Unrecognized key word: \"foo\".");
    run(s, "set datestyle = 'iso, sql'");
    ck_assert_str_eq(run_error()->detail, "Conflicting \"datestyle\" specifications.");
    run(s, "set intervalstyle = 'bogus'");
    ck_assert_str_eq(run_error()->message,
                     "invalid value for parameter \"intervalstyle\": \"bogus\"");
    ck_assert_str_eq(run_error()->hint,
                     "Available values: postgres, postgres_verbose, sql_standard, iso_8601.");
    run(s, "set statement_timeout = '10 kB'");
    ck_assert_str_eq(run_error()->hint, "Valid units for this parameter are \"us\", \"ms\", \"s\", "
                                        "\"min\", \"h\", and \"d\".");
    run(s, "set statement_timeout = 2147483648");
    ck_assert_str_eq(run_error()->hint, "Value exceeds integer range.");
    run(s, "set client_encoding = 'latin1'");
    ck_assert_str_eq(run_error()->detail, "Conversion between LATIN1 and UTF8 is not supported.");
    ck_assert_str_eq(run(s, "set foo.bar baz = 1"),
                     "ERROR 42601: syntax error at or near \"baz\" @13");
    ck_assert_str_eq(run(s, "set \"foo.1x\" = 1"),
                     "ERROR 42602: invalid configuration parameter name \"foo.1x\" @0");
    ck_assert_str_eq(run(s, "set standard_conforming_strings = off"),
                     "ERROR 0A000: standard_conforming_strings = off is not supported @0");
    ck_assert_str_eq(run(s, "set streaming_parallelism = 4; show streaming_parallelism"), "4");
    ck_assert_str_eq(run(s, "set streaming_parallelism = 'ADAPTIVE'; show streaming_parallelism"),
                     "adaptive");
    ck_assert_str_eq(run(s, "set rw_implicit_flush = true; show rw_implicit_flush"), "on");
    ck_assert_str_eq(run(s, "set time zone interval '1 hour'; show timezone"), "<+01>-01");
    ck_assert_str_eq(run(s, "set time zone interval '1 day'"),
                     "ERROR 22023: invalid value for parameter \"TimeZone\": \"INTERVAL '1 day'\" @0");
    sql_session_destroy(s);
}
END_TEST

static int
count_rows(const char *rows)
{
    int n = *rows ? 1 : 0;

    for (; *rows; rows++)
        n += *rows == '\n';
    return n;
}

START_TEST(test_show_all)
{
    SqlSession *s = test_session();
    const char *rows = run(s, "show all");

    ck_assert_str_eq(run_columns(), "name:25:-1,setting:25:-1,description:25:-1");
    ck_assert_int_ge(count_rows(rows), 30);
    ck_assert_ptr_nonnull(strstr(rows, "DateStyle|ISO, MDY|Sets the display format for date and "
                                       "time values.\n"));
    ck_assert_ptr_nonnull(strstr(rows, "statement_timeout|0|Sets the maximum allowed duration of "
                                       "any statement."));
    ck_assert_ptr_null(strstr(rows, "is_superuser")); /* hidden, as in PostgreSQL */
    ck_assert_str_eq(run_tag(), "SHOW");
    /* sorted case-insensitively */
    ck_assert_ptr_nonnull(strstr(rows, "client_min_messages"));
    ck_assert(strstr(rows, "client_min_messages") < strstr(rows, "DateStyle"));
    ck_assert(strstr(rows, "DateStyle") < strstr(rows, "default_transaction_deferrable"));
    sql_session_destroy(s);
}
END_TEST

typedef struct Reports {
    char text[2048];
} Reports;

static void
collect_report(void *arg, const char *name, const char *value)
{
    Reports *r = arg;
    size_t n = strlen(r->text);

    snprintf(r->text + n, sizeof r->text - n, "%s=%s;", name, value);
}

START_TEST(test_parameter_status)
{
    SqlSession *s = test_session();
    Reports r = {""};

    sql_session_report_all(s, collect_report, &r);
    ck_assert_str_eq(r.text, "application_name=;client_encoding=UTF8;DateStyle=ISO, MDY;"
                             "default_transaction_read_only=off;in_hot_standby=off;"
                             "integer_datetimes=on;IntervalStyle=postgres;is_superuser=on;"
                             "server_encoding=UTF8;server_version=15.0 (Rivulet 0.1.0);"
                             "session_authorization=postgres;standard_conforming_strings=on;"
                             "TimeZone=UTC;");
    r.text[0] = '\0';
    sql_session_report_changes(s, collect_report, &r);
    ck_assert_str_eq(r.text, "");
    run(s, "set datestyle = 'sql'; set work_mem = '8MB'");
    sql_session_report_changes(s, collect_report, &r);
    ck_assert_str_eq(r.text, "DateStyle=SQL, MDY;"); /* work_mem is not reported */
    r.text[0] = '\0';
    run(s, "begin; set timezone = 'Europe/Paris'; rollback");
    sql_session_report_changes(s, collect_report, &r);
    ck_assert_str_eq(r.text, ""); /* changed and changed back: nothing to report */
    sql_session_destroy(s);
}
END_TEST

START_TEST(test_startup_parameters)
{
    SqlSession *s = sql_session_create();
    Err err;

    err_clear(&err);
    ck_assert_int_eq(sql_session_startup_param(s, "user", "bob", &err), 0);
    ck_assert_int_eq(sql_session_startup_param(s, "DateStyle", "german", &err), 0);
    ck_assert_int_eq(sql_session_startup_param(s, "application_name", "psql", &err), 0);
    ck_assert_int_eq(sql_session_startup_param(s, "options",
                                               "-c search_path=s1 --statement-timeout=5s "
                                               "-c application_name=with\\ space",
                                               &err),
                     0);
    ck_assert_int_eq(sql_session_startup_param(s, "_pq_.compression", "on", &err), 0);
    ck_assert_int_eq(sql_session_startup_done(s, &err), 0);
    ck_assert_str_eq(sql_session_user(s), "bob");
    ck_assert_str_eq(sql_session_database(s), "bob");
    ck_assert_str_eq(run(s, "show datestyle"), "German, DMY");
    ck_assert_str_eq(run(s, "show statement_timeout"), "5s");
    ck_assert_str_eq(run(s, "show search_path"), "s1");
    ck_assert_str_eq(run(s, "show application_name"), "with space");
    /* RESET goes back to what the client asked for at startup */
    ck_assert_str_eq(run(s, "set datestyle = 'iso'; reset datestyle; show datestyle"),
                     "German, DMY");
    ck_assert_str_eq(run(s, "set application_name = 'x'; reset all; show application_name"),
                     "with space");
    ck_assert_str_eq(run(s, "select current_user, session_user, current_database()"),
                     "bob|bob|bob");
    ck_assert_int_eq(sql_session_startup_param(s, "no_such_setting", "1", &err), -1);
    ck_assert_int_eq(err.level, ERR_FATAL);
    ck_assert_str_eq(err.sqlstate, "42704");
    ck_assert_str_eq(err.message, "unrecognized configuration parameter \"no_such_setting\"");
    err_clear(&err);
    ck_assert_int_eq(sql_session_startup_param(s, "client_encoding", "latin1", &err), -1);
    ck_assert_int_eq(err.level, ERR_FATAL);
    ck_assert_str_eq(err.sqlstate, "0A000");
    sql_session_destroy(s);
    s = sql_session_create();
    err_clear(&err);
    ck_assert_int_eq(sql_session_startup_done(s, &err), -1);
    ck_assert_str_eq(err.sqlstate, "28000");
    sql_session_destroy(s);
}
END_TEST

START_TEST(test_guc_api)
{
    GucState *g = guc_create();
    const char *args[] = {"$user", "public", "My Schema"};
    Err err;
    char *v;

    err_clear(&err);
    v = guc_flatten_args(g, "search_path", 3, args, "sss", &err);
    ck_assert_str_eq(v, "\"$user\", public, \"My Schema\"");
    free(v);
    ck_assert_ptr_null(guc_flatten_args(g, "application_name", 2, args, "ss", &err));
    ck_assert_str_eq(err.message, "SET application_name takes only one argument");
    err_clear(&err);
    ck_assert_int_eq(guc_set(g, "statement_timeout", "90000", GUC_SCOPE_SESSION, &err), 0);
    ck_assert_int_eq(guc_get_int(g, "statement_timeout"), 90000);
    ck_assert_str_eq(guc_show(g, "STATEMENT_TIMEOUT", NULL, NULL), "90s");
    ck_assert_int_eq(guc_set(g, "work_mem", "1GB", GUC_SCOPE_SESSION, &err), 0);
    ck_assert_str_eq(guc_show(g, "work_mem", NULL, NULL), "1GB");
    ck_assert_int_eq(guc_set(g, "work_mem", "1536kB", GUC_SCOPE_SESSION, &err), 0);
    ck_assert_str_eq(guc_show(g, "work_mem", NULL, NULL), "1536kB");
    guc_rollback(g);
    ck_assert_str_eq(guc_show(g, "work_mem", NULL, NULL), "4MB");
    ck_assert_int_eq(guc_get_int(g, "statement_timeout"), 0);
    ck_assert(guc_get_bool(g, "standard_conforming_strings"));
    ck_assert_str_eq(guc_get_string(g, "TimeZone"), "UTC");
    ck_assert_ptr_null(guc_show(g, "nope", NULL, NULL));
    guc_destroy(g);
}
END_TEST

static Suite *
guc_suite(void)
{
    Suite *s = suite_create("guc");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_settings_sequence);
    tcase_add_test(tc, test_transaction_sequence);
    tcase_add_test(tc, test_messages_and_details);
    tcase_add_test(tc, test_show_all);
    tcase_add_test(tc, test_parameter_status);
    tcase_add_test(tc, test_startup_parameters);
    tcase_add_test(tc, test_guc_api);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(guc_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
