/*
 * tests/unit/sql/test_datetime.c — Check suite for the date/time types
 * (sql/datetime.c, sql/tz.c, sql/types_datetime.c): the calendar, time
 * zones (transitions, gaps and overlaps, POSIX rules), text input and output
 * in every style, binary forms, interval arithmetic and comparison.
 *
 * Expected strings are PostgreSQL 15's output for the same input.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "sql/datetime.h"
#include "sql/types.h"

static Arena *arena;

static void
setup(void)
{
    arena = arena_create("test", 0);
}

static void
teardown(void)
{
    arena_destroy(arena);
}

/* Text input then output with io: the output, or "ERROR <state>: <message>". */
static const char *
rt_io(Oid type, const char *input, const TypeIoCtx *io)
{
    static char result[600];
    const TypeInfo *t = type_by_oid(type);
    Datum d;
    Err err;
    Buf b;

    err_clear(&err);
    if (t->in(input, strlen(input), -1, io, arena, &d, &err) < 0) {
        snprintf(result, sizeof result, "ERROR %s: %s", err.sqlstate, err.message);
        return result;
    }
    buf_init(&b, 1024);
    t->out(d, -1, io, &b);
    snprintf(result, sizeof result, "%.*s", (int)b.len, (const char *)b.data);
    buf_free(&b);
    return result;
}

static const char *
rt(Oid type, const char *input)
{
    return rt_io(type, input, &type_io_default);
}

static const char *
rt_zone(Oid type, const char *input, const char *zone)
{
    TypeIoCtx io = type_io_default;

    io.timezone = zone;
    return rt_io(type, input, &io);
}

START_TEST(test_calendar)
{
    int y, m, d;

    ck_assert_int_eq(dt_date2j(2000, 1, 1), POSTGRES_EPOCH_JDATE);
    ck_assert_int_eq(dt_date2j(1970, 1, 1), UNIX_EPOCH_JDATE);
    ck_assert_int_eq(dt_date2j(-4713, 11, 24), 0);
    dt_j2date(2459216, &y, &m, &d);
    ck_assert_int_eq(y, 2021);
    ck_assert_int_eq(m, 1);
    ck_assert_int_eq(d, 1);
    ck_assert_int_eq(dt_j2day(dt_date2j(2020, 1, 1)), 3); /* Wednesday */
    ck_assert(dt_is_leap(2000));
    ck_assert(!dt_is_leap(1900));
    ck_assert_int_eq(dt_days_in_month(2020, 2), 29);
    ck_assert_int_eq(dt_days_in_month(2021, 2), 28);
    /* ISO weeks: 2021-01-03 belongs to week 53 of 2020 */
    ck_assert_int_eq(dt_iso_week(2021, 1, 3), 53);
    ck_assert_int_eq(dt_iso_year(2021, 1, 3), 2020);
    ck_assert_int_eq(dt_iso_week(2021, 1, 4), 1);
    ck_assert_int_eq(dt_isoweek2j(2020, 53, 7), dt_date2j(2021, 1, 3));
    /* round trip over a wide range, including BC and far future */
    for (int64_t jd = 0; jd < DATE_END_JULIAN; jd += 7919 * 13) {
        dt_j2date((int32_t)jd, &y, &m, &d);
        ck_assert_int_eq(dt_date2j(y, m, d), jd);
    }
}
END_TEST

START_TEST(test_date_io)
{
    ck_assert_str_eq(rt(TYPE_DATE, "2020-01-05"), "2020-01-05");
    ck_assert_str_eq(rt(TYPE_DATE, "Jan 5 2020"), "2020-01-05");
    ck_assert_str_eq(rt(TYPE_DATE, "5 Jan 2020"), "2020-01-05");
    ck_assert_str_eq(rt(TYPE_DATE, "January 5, 2020"), "2020-01-05");
    ck_assert_str_eq(rt(TYPE_DATE, "20200105"), "2020-01-05");
    ck_assert_str_eq(rt(TYPE_DATE, "1/2/20"), "2020-01-02");
    ck_assert_str_eq(rt(TYPE_DATE, "0044-03-15 BC"), "0044-03-15 BC");
    ck_assert_str_eq(rt(TYPE_DATE, "infinity"), "infinity");
    ck_assert_str_eq(rt(TYPE_DATE, "-infinity"), "-infinity");
    ck_assert_str_eq(rt(TYPE_DATE, "epoch"), "1970-01-01");
    ck_assert_str_eq(rt(TYPE_DATE, "J2451545"), "2000-01-01");
    ck_assert_str_eq(rt(TYPE_DATE, "5874897-12-31"), "5874897-12-31");
    ck_assert_str_eq(rt(TYPE_DATE, "x"), "ERROR 22007: invalid input syntax for type date: \"x\"");
    ck_assert_str_eq(rt(TYPE_DATE, "2020-02-30"),
                     "ERROR 22008: date/time field value out of range: \"2020-02-30\"");
    ck_assert_str_eq(rt(TYPE_DATE, "5874898-01-01"),
                     "ERROR 22008: date out of range: \"5874898-01-01\"");
    ck_assert_str_eq(rt(TYPE_DATE, "0000-01-01"),
                     "ERROR 22008: date/time field value out of range: \"0000-01-01\"");
}
END_TEST

START_TEST(test_timestamp_io)
{
    ck_assert_str_eq(rt(TYPE_TIMESTAMP, "2020-01-02 03:04:05.1234567"),
                     "2020-01-02 03:04:05.123457");
    ck_assert_str_eq(rt(TYPE_TIMESTAMP, "2020-01-02T03:04:05"), "2020-01-02 03:04:05");
    ck_assert_str_eq(rt(TYPE_TIMESTAMP, "Wed Dec 17 07:37:16 1997"), "1997-12-17 07:37:16");
    ck_assert_str_eq(rt(TYPE_TIMESTAMP, "2020-12-31 23:59:60"), "2021-01-01 00:00:00");
    ck_assert_str_eq(rt(TYPE_TIMESTAMP, "294276-12-31 23:59:59.999999"),
                     "294276-12-31 23:59:59.999999");
    ck_assert_str_eq(rt(TYPE_TIMESTAMP, "294277-01-01"),
                     "ERROR 22008: timestamp out of range: \"294277-01-01\"");
    ck_assert_str_eq(rt(TYPE_TIMESTAMP, "2020-01-01 25:00"),
                     "ERROR 22008: date/time field value out of range: \"2020-01-01 25:00\"");
    ck_assert_str_eq(rt(TYPE_TIMESTAMPTZ, "2020-01-01 10:00 foo"),
                     "ERROR 22007: invalid input syntax for type timestamp with time zone: "
                     "\"2020-01-01 10:00 foo\"");
    ck_assert_str_eq(rt(TYPE_TIMESTAMPTZ, "2020-01-01 10:00 foo/bar"),
                     "ERROR 22023: time zone \"foo/bar\" not recognized");
    ck_assert_str_eq(rt(TYPE_TIMESTAMPTZ, "2020-01-01 10:00 +16"),
                     "ERROR 22009: time zone displacement out of range: \"2020-01-01 10:00 +16\"");
    ck_assert_str_eq(rt(TYPE_TIMESTAMPTZ, "1997-12-17 07:37:16-08"), "1997-12-17 15:37:16+00");
    ck_assert_str_eq(rt(TYPE_TIMESTAMPTZ, "2020-01-01 10:00:00+05:30:15"),
                     "2020-01-01 04:29:45+00");
    ck_assert_str_eq(rt(TYPE_TIMESTAMPTZ, "2020-01-01 10:00 America/New_York"),
                     "2020-01-01 15:00:00+00");
    ck_assert_str_eq(rt(TYPE_TIMESTAMPTZ, "Wed Dec 17 07:37:16 1997 PST"),
                     "1997-12-17 15:37:16+00");
}
END_TEST

START_TEST(test_time_io)
{
    ck_assert_str_eq(rt(TYPE_TIME, "24:00:00"), "24:00:00");
    ck_assert_str_eq(rt(TYPE_TIME, "10:00 PM"), "22:00:00");
    ck_assert_str_eq(rt(TYPE_TIME, "12:00 AM"), "00:00:00");
    ck_assert_str_eq(rt(TYPE_TIME, "04:05:06.789"), "04:05:06.789");
    ck_assert_str_eq(rt(TYPE_TIME, "allballs"), "00:00:00");
    ck_assert_str_eq(rt(TYPE_TIME, "24:00:01"),
                     "ERROR 22008: date/time field value out of range: \"24:00:01\"");
    ck_assert_str_eq(rt(TYPE_TIME, "13:00 PM"),
                     "ERROR 22008: date/time field value out of range: \"13:00 PM\"");
}
END_TEST

START_TEST(test_zones)
{
    const Tz *ny = tz_lookup("america/new_york");

    ck_assert_ptr_nonnull(ny);
    ck_assert_str_eq(tz_name(ny), "America/New_York");
    ck_assert_ptr_eq(tz_lookup("America/New_York"), ny);
    ck_assert_ptr_null(tz_lookup("Not/AZone"));
    ck_assert_ptr_null(tz_lookup("../etc/passwd"));
    /* the fall-back overlap takes standard time; the spring-forward gap the earlier offset */
    ck_assert_str_eq(rt_zone(TYPE_TIMESTAMPTZ, "2021-11-07 01:30:00", "America/New_York"),
                     "2021-11-07 01:30:00-05");
    ck_assert_str_eq(rt_zone(TYPE_TIMESTAMPTZ, "2021-03-14 02:30:00", "America/New_York"),
                     "2021-03-14 03:30:00-04");
    ck_assert_str_eq(rt_zone(TYPE_TIMESTAMPTZ, "2021-04-04 01:45:00", "Australia/Lord_Howe"),
                     "2021-04-04 01:45:00+10:30");
    /* far future: the POSIX rule in the TZif footer */
    ck_assert_str_eq(rt_zone(TYPE_TIMESTAMPTZ, "2100-07-01 00:00+00", "Europe/Paris"),
                     "2100-07-01 02:00:00+02");
    /* local mean time before standard zones: seconds in the offset */
    ck_assert_str_eq(rt_zone(TYPE_TIMESTAMPTZ, "1850-01-01", "Europe/Paris"),
                     "1850-01-01 00:00:00+00:09:21");
    /* POSIX specs, west-positive */
    ck_assert_str_eq(rt_zone(TYPE_TIMESTAMPTZ, "2020-07-01 00:00+00", "EST5EDT"),
                     "2020-06-30 20:00:00-04");
    ck_assert_str_eq(rt_zone(TYPE_TIMESTAMPTZ, "2020-07-01 00:00+00", "UTC+3"),
                     "2020-06-30 21:00:00-03");
    ck_assert_str_eq(rt_zone(TYPE_TIMESTAMPTZ, "2020-01-01 00:00+00", "<+05:30>-05:30"),
                     "2020-01-01 05:30:00+05:30");
    ck_assert_str_eq(rt_zone(TYPE_TIMESTAMPTZ, "2020-01-01 00:00+00", "+05:30"),
                     "2019-12-31 18:30:00-05:30");
}
END_TEST

START_TEST(test_styles)
{
    TypeIoCtx io = type_io_default;

    io.datestyle = DATESTYLE_SQL;
    io.dateorder = DATEORDER_DMY;
    ck_assert_str_eq(rt_io(TYPE_TIMESTAMP, "2020-01-02 03:04:05.5", &io),
                     "02/01/2020 03:04:05.5");
    io.timezone = "America/New_York";
    io.dateorder = DATEORDER_MDY;
    ck_assert_str_eq(rt_io(TYPE_TIMESTAMPTZ, "2020-07-01 12:00+00", &io),
                     "07/01/2020 08:00:00 EDT");
    io.datestyle = DATESTYLE_POSTGRES;
    ck_assert_str_eq(rt_io(TYPE_TIMESTAMPTZ, "2020-07-01 12:00+00", &io),
                     "Wed Jul 01 08:00:00 2020 EDT");
    io.datestyle = DATESTYLE_GERMAN;
    ck_assert_str_eq(rt_io(TYPE_DATE, "2020-01-02", &io), "02.01.2020");
}
END_TEST

START_TEST(test_interval_io)
{
    TypeIoCtx io = type_io_default;

    ck_assert_str_eq(rt(TYPE_INTERVAL, "1 year 2 mons 3 days 04:05:06.5"),
                     "1 year 2 mons 3 days 04:05:06.5");
    ck_assert_str_eq(rt(TYPE_INTERVAL, "@ 1 minute ago"), "-00:01:00");
    ck_assert_str_eq(rt(TYPE_INTERVAL, "P1Y2M3DT4H5M6.5S"), "1 year 2 mons 3 days 04:05:06.5");
    ck_assert_str_eq(rt(TYPE_INTERVAL, "1-2"), "1 year 2 mons");
    ck_assert_str_eq(rt(TYPE_INTERVAL, "-1-2"), "-1 years -2 mons");
    ck_assert_str_eq(rt(TYPE_INTERVAL, "3 4:05:06"), "3 days 04:05:06");
    ck_assert_str_eq(rt(TYPE_INTERVAL, "-1 2:03"), "-1 days +02:03:00");
    ck_assert_str_eq(rt(TYPE_INTERVAL, "1.5 years 1.5 months 1.5 weeks 1.5 days"),
                     "1 year 7 mons 26 days 24:00:00");
    ck_assert_str_eq(rt(TYPE_INTERVAL, "1 day 2"), "1 day 00:00:02");
    ck_assert_str_eq(rt(TYPE_INTERVAL, "1 2 3"),
                     "ERROR 22007: invalid input syntax for type interval: \"1 2 3\"");
    ck_assert_str_eq(rt(TYPE_INTERVAL, "99999999999 years"),
                     "ERROR 22015: interval field value out of range: \"99999999999 years\"");
    io.intervalstyle = INTSTYLE_POSTGRES_VERBOSE;
    ck_assert_str_eq(rt_io(TYPE_INTERVAL, "-1 day 2 hours", &io), "@ 1 day -2 hours ago");
    io.intervalstyle = INTSTYLE_SQL_STANDARD;
    ck_assert_str_eq(rt_io(TYPE_INTERVAL, "1 year 2 days", &io), "+1-0 +2 +0:00:00");
    ck_assert_str_eq(rt_io(TYPE_INTERVAL, "-3 days -04:05:06", &io), "-3 4:05:06");
    io.intervalstyle = INTSTYLE_ISO_8601;
    ck_assert_str_eq(rt_io(TYPE_INTERVAL, "1 day -1 hours", &io), "P1DT-1H");
    ck_assert_str_eq(rt_io(TYPE_INTERVAL, "-0.5 sec", &io), "PT-0.5S");
}
END_TEST

START_TEST(test_interval_math)
{
    Interval a = {0, 0, 1}, b = {0, 30, 0}, c = {24 * USECS_PER_HOUR, 0, 0}, r;
    Err err;
    int64_t ts, ts2;
    const Tz *ny = tz_lookup("America/New_York");
    DtFields f;

    err_clear(&err);
    ck_assert_int_eq(interval_cmp(&a, &b), 0);
    ck_assert_int_eq(interval_cmp(&b, &(Interval){30 * USECS_PER_DAY, 0, 0}), 0);
    ck_assert_int_lt(interval_cmp(&c, &(Interval){1, 1, 0}), 0);
    ck_assert_int_eq(interval_mul(&a, 1.5, &r, &err), 0);
    ck_assert_int_eq(r.month, 1);
    ck_assert_int_eq(r.day, 15);
    ck_assert_int_eq(interval_div(&a, 0, &r, &err), -1);
    ck_assert_str_eq(err.sqlstate, "22012");
    /* Jan 31 + 1 month = Feb 29 in a leap year */
    memset(&f, 0, sizeof f);
    f.year = 2020;
    f.mon = 1;
    f.mday = 31;
    ck_assert_int_eq(ts_from_fields(&f, &ts, &err), 0);
    ck_assert_int_eq(ts_pl_interval(ts, &a, &ts2, &err), 0);
    ck_assert_int_eq(ts_to_fields(ts2, NULL, &f, &err), 0);
    ck_assert_int_eq(f.mon, 2);
    ck_assert_int_eq(f.mday, 29);
    /* timestamptz + 1 day keeps the wall clock across DST; + 24 hours does not */
    f = (DtFields){.year = 2021, .mon = 3, .mday = 13, .hour = 12};
    ck_assert_int_eq(tstz_from_fields(&f, ny, &ts, &err), 0);
    ck_assert_int_eq(tstz_pl_interval(ts, &(Interval){0, 1, 0}, ny, &ts2, &err), 0);
    ck_assert_int_eq(ts2 - ts, 23 * USECS_PER_HOUR);
    ck_assert_int_eq(ts_mi(ts2, ts, &r, &err), 0);
    ck_assert_int_eq(r.time, 23 * USECS_PER_HOUR);
    ck_assert_int_eq(ts_mi(TS_NOEND, ts, &r, &err), -1);
    ck_assert_int_eq(dt_round_usec(1500000, 0), 2000000);
    ck_assert_int_eq(dt_round_usec(-1500000, 0), -2000000);
    ck_assert_int_eq(dt_round_usec(1234567, 3), 1235000);
}
END_TEST

START_TEST(test_binary)
{
    const TypeInfo *t = type_by_oid(TYPE_INTERVAL);
    Interval iv = {-5, 7, 14};
    Datum d = interval_datum(arena, &iv), back;
    Err err;
    Buf b;
    static const uint8_t expect[16] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfb,
                                       0, 0, 0, 7, 0, 0, 0, 14};

    err_clear(&err);
    buf_init(&b, 64);
    t->send(d, -1, &b);
    ck_assert_int_eq(b.len, 16);
    ck_assert_int_eq(memcmp(b.data, expect, 16), 0);
    ck_assert_int_eq(t->recv(b.data, b.len, -1, arena, &back, &err), 0);
    ck_assert_int_eq(interval_get(back).day, 7);
    ck_assert_int_eq(interval_get(back).month, 14);
    ck_assert_int_eq(t->recv(b.data, 15, -1, arena, &back, &err), -1);
    buf_free(&b);
}
END_TEST

static Suite *
datetime_suite(void)
{
    Suite *s = suite_create("datetime");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_calendar);
    tcase_add_test(tc, test_date_io);
    tcase_add_test(tc, test_timestamp_io);
    tcase_add_test(tc, test_time_io);
    tcase_add_test(tc, test_zones);
    tcase_add_test(tc, test_styles);
    tcase_add_test(tc, test_interval_io);
    tcase_add_test(tc, test_interval_math);
    tcase_add_test(tc, test_binary);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(datetime_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
