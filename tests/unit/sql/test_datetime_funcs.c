/*
 * tests/unit/sql/test_datetime_funcs.c — Check suite for the date/time
 * functions (sql/func_datetime.c, sql/func_tochar.c, sql/func_todate.c)
 * through the public API: extract/date_part, date_trunc, date_bin, make_*,
 * age, justify_*, AT TIME ZONE, OVERLAPS, to_char, to_number, to_timestamp,
 * to_date, named arguments, and the transaction clock.
 *
 * The expectations in CASES were produced by running each query on
 * PostgreSQL 15 (session TimeZone UTC) and are kept as data: rows "a|b",
 * or "ERROR <sqlstate>: <message> @<position>".
 */
#include <check.h>
#include <string.h>

#include "common/arena.h"
#include "sql/datetime.h"
#include "sql/func_datetime.h"
#include "sql_test_util.h"

typedef struct Case {
    const char *sql;
    const char *expect;
} Case;

static const Case CASES[] = {
    {"select extract(epoch from timestamp '2020-01-01 00:00:01.5'), extract(second from timesta"
     "mp '2020-01-01 00:00:01.5'), extract(julian from timestamp '2020-01-01 12:00')",
     "1577836801.500000|1.500000|2458850.50000000000000000000"},
    {"select extract(year from date '0001-01-01 BC'), extract(decade from date '0001-01-01 "
     "BC'), extract(century from date '0001-01-01 BC'), extract(isoyear from date '0001-01-01 "
     "BC'), extract(week from date '2021-01-03'), extract(doy from date '2020-12-31')",
     "-1|0|-1|-2|53|366"},
    {"select extract(epoch from interval '1 year 2 days 3.5 seconds'), extract(epoch from "
     "interval '-3 years 1 mon'), extract(year from interval '-14 months'), extract(quarter "
     "from interval '5 months')",
     "31730403.500000|-91627200.000000|-1|2"},
    {"select extract(year from timestamp 'infinity'), extract(epoch from timestamp '-infinity')"
     ", extract(hour from timestamp 'infinity'), date_part('year', timestamp 'infinity')",
     "Infinity|-Infinity|<NULL>|Infinity"},
    {"select date_part('millisecondxyz', timestamp '2020-01-01 00:00:01.5'), date_part('MM', "
     "timestamp '2020-01-01 00:07:01.5'), date_part('jd', timestamp '2020-01-01 12:00')",
     "1500|7|2458850.5"},
    {"select date_part('foo', timestamp '2020-01-01')",
     "ERROR 22023: unit \"foo\" not recognized for type timestamp without time zone @0"},
    {"select date_part('now', timestamp '2020-01-01')",
     "ERROR 0A000: unit \"now\" not supported for type timestamp without time zone @0"},
    {"select extract(hour from date '2020-01-01')",
     "ERROR 0A000: unit \"hour\" not supported for type date @0"},
    {"select extract(now from time '01:00')",
     "ERROR 22023: unit \"now\" not recognized for type time without time zone @0"},
    {"select date_trunc('week', interval '1 day')",
     "ERROR 0A000: unit \"week\" not supported for type interval @0"},
    {"select date_trunc('millennium', timestamp '0005-01-01 BC'), date_trunc('decade', timestam"
     "p '0005-01-01 BC'), date_trunc('week', timestamp '2021-01-02 10:00'), date_trunc('foo', "
     "timestamp 'infinity')",
     "1000-01-01 00:00:00 BC|0011-01-01 00:00:00 BC|2020-12-28 00:00:00|infinity"},
    {"select date_trunc('day', timestamptz '2021-11-07 06:30+00', 'America/New_York'), date_tru"
     "nc('hour', timestamptz '2021-11-07 06:30+00', 'Asia/Kolkata')",
     "2021-11-07 04:00:00+00|2021-11-07 06:30:00+00"},
    {"select date_bin('1 hour', timestamp '2000-01-01 00:30', timestamp '2000-01-01 01:00'), "
     "date_bin('15 minutes', timestamp '2020-02-11 15:44:17', timestamp '2001-01-01')",
     "2000-01-01 00:00:00|2020-02-11 15:30:00"},
    {"select date_bin('1 month', timestamp '2000-01-01 00:30', timestamp '2000-01-01 01:00')",
     "ERROR 0A000: timestamps cannot be binned into intervals containing months or years "
     "@0"},
    {"select make_date(2020, 2, 29), make_date(-44, 3, 15), make_time(24, 0, 0), make_timestamp"
     "(-44, 3, 15, 12, 0, 0)",
     "2020-02-29|0044-03-15 BC|24:00:00|0044-03-15 12:00:00 BC"},
    {"select make_date(-44, 2, 30)", "ERROR 22008: date field value out of range: -43-02-30 @0"},
    {"select make_time(1, 2, 61.5)", "ERROR 22008: time field value out of range: 1:02:61.5 @0"},
    {"select make_timestamptz(2020, 1, 1, 0, 0, 0, '+05'), make_timestamptz(2020, 7, 1, 0, "
     "0, 0, 'Europe/Berlin')",
     "2019-12-31 19:00:00+00|2020-06-30 22:00:00+00"},
    {"select make_timestamptz(2020, 1, 1, 0, 0, 0, '5')",
     "ERROR 22023: invalid input syntax for type numeric time zone: \"5\" @0"},
    {"select make_interval(), make_interval(1, 2, 3, 4, 5, 6, 7.5)",
     "00:00:00|1 year 2 mons 25 days 05:06:07.5"},
    {"select to_timestamp(1284352323.5), to_timestamp('-infinity'::float8)",
     "2010-09-13 04:32:03.5+00|-infinity"},
    {"select to_timestamp('NaN'::float8)", "ERROR 22008: timestamp cannot be NaN @0"},
    {"select age(timestamp '2001-04-10', timestamp '1957-06-13'), age(timestamp '2020-01-31', "
     "timestamp '2020-03-01 12:00:00.5'), age(timestamp 'infinity', timestamp '2000-01-01')",
     "43 years 9 mons 27 days|-1 mons -1 days -12:00:00.5|292277 years 8 days 04:00:54.775807"},
    {"select justify_days(interval '-35 days'), justify_hours(interval '1 day -27 hours'), "
     "justify_interval(interval '-1 mon 1 hour')",
     "-1 mons -5 days|-03:00:00|-29 days -23:00:00"},
    {"select isfinite(date 'infinity'), isfinite(timestamp '2020-01-01'), isfinite(interval "
     "'1 day')",
     "f|t|t"},
    {"select timestamp '2021-03-28 02:30' at time zone 'Europe/Berlin', timestamp '2021-11-07 "
     "01:30' at time zone 'America/New_York', timestamptz '2020-01-01 12:00+00' at time zone "
     "'+05'",
     "2021-03-28 01:30:00+00|2021-11-07 06:30:00+00|2020-01-01 07:00:00"},
    {"select timestamp '2020-01-01' at time zone interval '1 day'",
     "ERROR 22023: interval time zone \"1 day\" must not include months or days @0"},
    {"select to_char(timestamp '2021-03-04 05:06:07.891234', 'YYYY|Y,YYY|IYYY|CC|Q|MM|Mon|Month"
     "|RM|WW|IW|DDD|IDDD|DD|D|ID|J|HH|HH24|MI|SS|MS|US|FF2|SSSS|AM|AD|Day|Dy')",
     "2021|2,021|2021|21|1|03|Mar|March    |III |09|09|063|060|04|5|4|2459278|05|05|06|07|891|8"
     "91234|89|18367|AM|AD|Thursday |Thu"},
    {"select to_char(timestamp '2021-03-04 05:06:07.005', 'FMMonth|FMDay|FMDD|FMMS|TMMonth|FMTM"
     "Month|FMx|TZ|OF'), to_char(timestamp '2021-11-11 13:06:07', 'DDth MMth HH12th FMHHth')",
     "March|Thursday|4|005|March|T03onth|x||+00|11th 11th 01st 1st"},
    {"select to_char(timestamp '2021-03-04 05:06:07', 'FMx \"quoted\\\" text\" \\\"  \\\\ "
     "YYYY\\\"'), to_char(timestamp '2021-03-04', '') is null, to_char(timestamp '0044-03-15 "
     "BC', 'YYYY CC BC')",
     "x quoted\" text \"  \\\\ 2021\"|t|0044 -01 BC"},
    {"select to_char(interval '-4 hours', 'HH HH12 FMHH24th'), to_char(interval '3 mons', "
     "'FMRM.')",
     "-04 -04 -4th|III."},
    {"select to_char(interval '1 day', 'TZ')",
     "ERROR 22007: invalid format specification for an interval value @0"},
    {"select to_char(485, '999'), to_char(-485, '999PR'), to_char(148.5, 'FM999.990'), to_char("
     "3148.5, '9G999D999'), to_char(485, 'FMRN'), to_char(482, '999th'), to_char(0.5, '9.99'), "
     "to_char(0.5, 'FM0.99'), to_char(12, '99V999')",
     " 485|<485>|148.500| 3,148.500|CDLXXXV| 482nd|  .50|0.5| 12000"},
    {"select to_char(-0.0::float8, '9.9'), to_char('NaN'::float8, '999.9'), to_char(1e20::float"
     "8, '999.9'), to_char(1.5e300::float8, '9.99EEEE'), to_char(-9.995::numeric, '9.99EEEE'), "
     "to_char(999::int8, '9EEEE'), to_char(1.5, '9D,9')",
     " -.0| NaN| ###.| 1.50e+300|-10.00e+00| 10e+02| 1. 5"},
    {"select to_char(1, '9.9.9')", "ERROR 42601: multiple decimal points @0"},
    {"select to_char(59084::int8, 'GSth')", "ERROR 22P02: \".\" is not a number @0"},
    {"select to_timestamp('2020-01-01 12:00:00 -05:30', 'YYYY-MM-DD HH24:MI:SS TZH:TZM'), "
     "to_timestamp('12:00', 'HH24:MI'), to_date('20 3', 'CC YY'), to_date('2020-10-3', 'IYYY-IW"
     "-ID'), to_date('March 5 2021', 'FMMonth FMDD YYYY')",
     "2020-01-01 17:30:00+00|0001-01-01 12:00:00+00 BC|1903-01-01|2020-03-04|2021-03-05"},
    {"select to_date('2020-02-30', 'YYYY-MM-DD')",
     "ERROR 22008: date/time field value out of range: \"2020-02-30\" @0"},
    {"select to_timestamp('13:00', 'HH12:MI')",
     "ERROR 22007: hour \"13\" is invalid for the 12-hour clock @0"},
    {"select to_date('x2020', 'YYYY')", "ERROR 22007: invalid value \"x202\" for \"YYYY\" @0"},
    {"select to_date('2020 01 02 03', 'YYYY MM DD MM')",
     "ERROR 22007: conflicting values for \"MM\" field in formatting string @0"},
    {"select to_date('2020 1', 'IYYY MM')",
     "ERROR 22007: invalid combination of date conventions @0"},
    {"select to_date('2021', 'YYYYMMDD')", "2021-01-01"},
    {"select to_timestamp('2020-01-01 12:00 +05', 'YYYY-MM-DD HH24:MI TZ')",
     "ERROR 0A000: formatting field \"TZ\" is only supported in to_char @0"},
    {"select extract(year from null::date) is null, to_char(null::timestamp, 'YYYY') is null",
     "t|t"},
    {"select make_interval(days => 3), make_interval(1, secs => 2.5), make_date(2020, day "
     "=> 2, month => 3)",
     "3 days|1 year 00:00:02.5|2020-03-02"},
    {"select make_interval(foo => 1)",
     "ERROR 42883: function make_interval(foo => integer) does not exist @8"},
    {"select make_interval(days => 1, days => 2)",
     "ERROR 42601: argument name \"days\" used more than once @33"},
    {"select make_interval(days => 1, 2)",
     "ERROR 42601: positional argument cannot follow named argument @33"},
    {"select date_trunc('day', timestamptz '2021-11-07 06:30+00', 'EST'), timestamptz '2021-11-"
     "07 06:30+00' at time zone 'EDT'",
     "2021-11-07 05:00:00+00|2021-11-07 02:30:00"},
    {"select to_char(1234567.891::float8, 'FM9,999,999.99'), to_char(-0.001::numeric, 'FM9.999'"
     "), to_char(5, 'S0009'), to_char(2021, 'FMRN')",
     "1,234,567.89|-.001|+0005|MMXXI"},
    {"select to_number('12,454.8-', '99G999D9S'), to_number('<564646.654564>', '999999.999999PR"
     "'), to_number('$1234.56', 'L9,999.99'), to_number('34,50', '999,99'), to_number('123456',"
     " '99999V99')",
     "-12454.8|-564646.654564|1234.56|3450|1234.5600000000000000"},
    {"select to_number('123', '9.9')", "ERROR 22003: numeric field overflow @0"},
    {"select to_number('1e5', '9EEEE')", "ERROR 0A000: \"EEEE\" not supported for input @0"},
    {"select to_char(1.5::real, '9.9'), to_char(123456.789::real, '999999.999'), make_interval("
     "years => 300000000)",
     " 1.5| 123457|-57913941 years -4 mons"},
};

#define NCASES ((int)(sizeof CASES / sizeof CASES[0]))

static SqlSession *session;

static void
setup(void)
{
    session = test_session();
}

static void
teardown(void)
{
    sql_session_destroy(session);
}

START_TEST(test_case)
{
    const Case *c = &CASES[_i];
    const char *got = run(session, c->sql);

    ck_assert_msg(strcmp(got, c->expect) == 0, "%s\n  expected: %s\n  got:      %s", c->sql,
                  c->expect, got);
}
END_TEST

/* The session's TimeZone governs timestamptz functions (DST in New York and Berlin). */
START_TEST(test_session_zone)
{
    ck_assert_str_eq(run(session, "set timezone = 'America/New_York'"), "SET");
    ck_assert_str_eq(run(session, "select date_trunc('day', timestamptz '2021-11-07 12:30+00'), "
                                  "date_trunc('hour', timestamptz '2021-11-07 06:30+00')"),
                     "2021-11-07 00:00:00-04|2021-11-07 01:00:00-05");
    ck_assert_str_eq(run(session,
                         "select extract(timezone from timestamptz '2021-07-01 12:00+00'), "
                         "to_char(timestamptz '2021-01-01 12:00+00', 'HH24 TZ OF')"),
                     "-14400|07 EST -05");
    ck_assert_str_eq(run(session, "select make_timestamptz(2021, 3, 14, 2, 30, 0), "
                                  "to_timestamp('2021-11-07 01:30', 'YYYY-MM-DD HH24:MI')"),
                     "2021-03-14 03:30:00-04|2021-11-07 01:30:00-05");
    ck_assert_str_eq(run(session, "set timezone = 'Europe/Berlin'"), "SET");
    ck_assert_str_eq(run(session, "select date_trunc('day', timestamptz '2021-03-28 12:00+00'), "
                                  "to_char(timestamptz '2021-10-31 00:30+00', 'HH24:MI TZ OF')"),
                     "2021-03-28 00:00:00+01|02:30 CEST +02");
}
END_TEST

/* now() is the transaction's start: constant inside a block, different from the clock. */
START_TEST(test_clock)
{
    ck_assert_str_eq(run(session,
                         "select now() = current_timestamp, now() = transaction_timestamp(), "
                         "current_date = now()::date, localtimestamp = now()::timestamp"),
                     "t|t|t|t");
    ck_assert_str_eq(run(session, "begin"), "BEGIN");
    run(session, "select now()");
    {
        char first[64];

        strncpy(first, run(session, "select now()::text"), sizeof first - 1);
        first[sizeof first - 1] = '\0';
        run(session, "select pg_sleep(0.01)");
        ck_assert_str_eq(run(session, "select now()::text"), first);
        ck_assert_str_eq(run(session, "select clock_timestamp() > now(), "
                                      "statement_timestamp() > now()"),
                         "t|t");
    }
    ck_assert_str_eq(run(session, "commit"), "COMMIT");
    ck_assert_str_eq(run(session, "select date_trunc('second', current_timestamp(0)) = "
                                  "current_timestamp(0)"),
                     "t");
}
END_TEST

/* Without a session (a stream operator's context: no TypeIoCtx) the clock and zones still work. */
START_TEST(test_no_session)
{
    Arena *a = arena_create("test", 0);
    EvalCtx ctx = {.arena = a};
    Datum args[2], out = 0;
    bool nulls[2] = {false, false}, isnull = false;
    Oid types[2] = {TYPE_TIMESTAMPTZ, TYPE_TEXT};
    FnCall call = {&ctx, 0, args, nulls, types};
    Err err;

    err_clear(&err);
    ck_assert_int_eq(fn_now(&call, &out, &isnull, &err), 0);
    ck_assert(datum_get_int64(out) > INT64_C(800000000000000)); /* after 2025 */
    call.nargs = 2;
    args[0] = datum_from_int64(0);
    args[1] = datum_from_cstr(a, "YYYY-MM-DD HH24 TZ");
    ck_assert_int_eq(fn_to_char_timestamptz(&call, &out, &isnull, &err), 0);
    ck_assert_str_eq(datum_get_var(out)->data, "2000-01-01 00 UTC");
    arena_destroy(a);
}
END_TEST

static Suite *
datetime_funcs_suite(void)
{
    Suite *s = suite_create("datetime_funcs");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, test_case, 0, NCASES);
    tcase_add_test(tc, test_session_zone);
    tcase_add_test(tc, test_clock);
    tcase_add_test(tc, test_no_session);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(datetime_funcs_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
