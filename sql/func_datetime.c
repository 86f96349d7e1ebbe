/*
 * sql/func_datetime.c — the date/time functions other than field
 * extraction and formatting: the transaction clock (now(),
 * CURRENT_TIMESTAMP ...), date_bin, make_*, to_timestamp(float8), age,
 * justify_*, isfinite and AT TIME ZONE (timezone()); plus the helpers the
 * date/time function files share (sql/func_datetime_int.h).
 * extract/date_part/date_trunc are in sql/func_dtpart.c, to_char in
 * sql/func_tochar.c, to_timestamp(text, text)/to_date in sql/func_todate.c.
 *
 * Pipeline position: built-ins called by the evaluator (sql/expr.c) through
 * the catalog part sql/cat_datetime_funcs.c; values are taken apart and
 * rebuilt with sql/datetime.h (calendar, zones, interval arithmetic).
 *
 * Invariants:
 *   1. Results are PostgreSQL 15's, including infinities and every error's
 *      SQLSTATE and message.
 *   2. The clock functions read the times the session stamped on TypeIoCtx
 *      (txn_start_us, stmt_start_us): now() is constant inside a
 *      transaction, statement_timestamp() inside a statement.
 *   3. Fixed-width results never allocate; intervals are allocated in
 *      call->ctx->arena.
 *   4. A zone named in an argument is looked up as PostgreSQL does:
 *      abbreviations first, then zone names (fdt_lookup_zone).
 */
#include "sql/func_datetime.h"
#include "sql/func_datetime_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/clock.h"
#include "sql/datetime.h"
#include "sql/sql_int.h"

/* ---- small helpers ------------------------------------------------------------------ */

const Tz *
fdt_session_tz(const FnCall *call)
{
    return tz_from_io(call->ctx->io);
}

/*
 * The transaction's and statement's start, as the session stamped them; a
 * context without a session (a stream operator) reads the clock instead.
 */
int64_t
fdt_txn_start(const FnCall *call)
{
    if (call->ctx->io == NULL)
        return clock_now_us() - FDT_EPOCH_OFFSET_US;
    return call->ctx->io->txn_start_us;
}

int64_t
fdt_stmt_start(const FnCall *call)
{
    if (call->ctx->io == NULL)
        return clock_now_us() - FDT_EPOCH_OFFSET_US;
    return call->ctx->io->stmt_start_us;
}

int
fdt_ts_range_error(Err *err)
{
    return ERR_RAISE(err, ERRCODE_DATETIME_FIELD_OVERFLOW, "timestamp out of range");
}

int
fdt_interval_range_error(Err *err)
{
    return ERR_RAISE(err, ERRCODE_DATETIME_FIELD_OVERFLOW, "interval out of range");
}

Datum
fdt_interval_result(const FnCall *call, const Interval *iv)
{
    return interval_datum(call->ctx->arena, iv);
}

/* interval2tm: the interval's fields, each carrying its part's sign. */
void
fdt_interval_fields(const Interval *iv, DtFields *f)
{
    int64_t t = iv->time;
    int64_t hours = t / USECS_PER_HOUR; /* may exceed 24, even INT_MAX */

    memset(f, 0, sizeof *f);
    f->year = iv->month / MONTHS_PER_YEAR;
    f->mon = iv->month % MONTHS_PER_YEAR;
    f->mday = iv->day;
    f->hour = (int)hours;
    t -= hours * USECS_PER_HOUR;
    f->min = (int)(t / USECS_PER_MINUTE);
    t -= (int64_t)f->min * USECS_PER_MINUTE;
    f->sec = (int)(t / USECS_PER_SEC);
    f->usec = (int)(t - (int64_t)f->sec * USECS_PER_SEC);
}

/* tm2interval: fields → interval; 22008 on overflow. */
int
fdt_interval_from_fields(int64_t years, int64_t mons, int64_t days, int64_t hours, int64_t mins,
                         int64_t secs, int64_t usecs, Interval *out, Err *err)
{
    __int128 month = (__int128)years * MONTHS_PER_YEAR + mons;
    __int128 time = ((((__int128)hours * 60) + mins) * 60 + secs) * USECS_PER_SEC + usecs;

    if (month < INT32_MIN || month > INT32_MAX || days < INT32_MIN || days > INT32_MAX ||
        time < INT64_MIN || time > INT64_MAX)
        return fdt_interval_range_error(err);
    out->month = (int32_t)month;
    out->day = (int32_t)days;
    out->time = (int64_t)time;
    return 0;
}

/* downcase_truncate_identifier: ASCII lower-case, at most 63 bytes (whole characters). */
void
fdt_lower(const VarData *v, char out[FDT_NAME_MAX + 1])
{
    size_t n = text_clip_utf8(v->data, v->len, FDT_NAME_MAX);

    for (size_t i = 0; i < n; i++) {
        char c = v->data[i];

        out[i] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
    }
    out[n] = '\0';
}

/*
 * A zone named in a function argument, looked up as PostgreSQL does:
 * abbreviations first ("EST": a fixed offset; dynamic ones name their
 * zone), then zone names. 22023 `time zone "x" not recognized`.
 */
int
fdt_lookup_zone(const VarData *v, const Tz **tz, Err *err)
{
    char low[FDT_NAME_MAX + 1];
    int32_t gmtoff = 0;
    bool is_dst;
    const Tz *zone = NULL;

    fdt_lower(v, low);
    if (tz_abbrev_lookup(low, &gmtoff, &is_dst, &zone)) {
        *tz = zone != NULL ? zone : tz_fixed(gmtoff);
        if (*tz != NULL)
            return 0;
    }
    *tz = tz_lookup(v->data);
    if (*tz == NULL)
        return ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE, "time zone \"%s\" not recognized",
                         v->data);
    return 0;
}

/* ---- the clock ------------------------------------------------------------------------ */

static int64_t
round_ts(int64_t ts, const FnCall *call)
{
    int32_t p;

    if (call->nargs < 1)
        return ts;
    p = datum_get_int32(call->args[0]);
    if (p < 0)
        return ts;
    return dt_round_usec(ts, p > DT_MAX_PRECISION ? DT_MAX_PRECISION : p);
}

BUILTIN(fn_now)
{
    (void)isnull, (void)err;
    *result = datum_from_int64(fdt_txn_start(call));
    return 0;
}

BUILTIN(fn_statement_timestamp)
{
    (void)isnull, (void)err;
    *result = datum_from_int64(fdt_stmt_start(call));
    return 0;
}

BUILTIN(fn_clock_timestamp)
{
    (void)isnull, (void)err, (void)call;
    *result = datum_from_int64(clock_now_us() - FDT_EPOCH_OFFSET_US);
    return 0;
}

/* timeofday(): "Tue Dec 01 00:41:22.123456 2026 UTC" in the session's zone. */
BUILTIN(fn_timeofday)
{
    const Tz *tz = fdt_session_tz(call);
    DtFields f;
    char buf[128];

    (void)isnull;
    if (ts_to_fields(clock_now_us() - FDT_EPOCH_OFFSET_US, tz, &f, err) < 0)
        return -1;
    snprintf(buf, sizeof buf, "%s %s %02d %02d:%02d:%02d.%06d %d %s", dt_day_abbrevs[f.wday],
             dt_month_abbrevs[f.mon - 1], f.mday, f.hour, f.min, f.sec, f.usec, f.year,
             f.abbrev != NULL ? f.abbrev : "");
    *result = datum_from_cstr(call->ctx->arena, buf);
    return 0;
}

BUILTIN(fn_current_timestamp)
{
    (void)isnull, (void)err;
    *result = datum_from_int64(round_ts(fdt_txn_start(call), call));
    return 0;
}

BUILTIN(fn_localtimestamp)
{
    int64_t local;

    (void)isnull;
    if (tstz_to_ts(fdt_txn_start(call), fdt_session_tz(call), &local, err) < 0)
        return -1;
    *result = datum_from_int64(round_ts(local, call));
    return 0;
}

BUILTIN(fn_localtime)
{
    int64_t local, t;

    (void)isnull;
    if (tstz_to_ts(fdt_txn_start(call), fdt_session_tz(call), &local, err) < 0)
        return -1;
    t = local % USECS_PER_DAY;
    if (t < 0)
        t += USECS_PER_DAY;
    t = round_ts(t, call);
    *result = datum_from_int64(t);
    return 0;
}

BUILTIN(fn_current_date)
{
    int32_t d;

    (void)isnull;
    if (tstz_to_date(fdt_txn_start(call), fdt_session_tz(call), &d, err) < 0)
        return -1;
    *result = datum_from_int32(d);
    return 0;
}

/* ---- date_bin -------------------------------------------------------------------------- */

static int
date_bin(const FnCall *call, Datum *result, Err *err)
{
    Interval stride = interval_get(call->args[0]);
    int64_t ts = datum_get_int64(call->args[1]), origin = datum_get_int64(call->args[2]);
    int64_t stride_us, diff, rem, out;

    if (!TS_IS_FINITE(ts)) {
        *result = datum_from_int64(ts);
        return 0;
    }
    if (!TS_IS_FINITE(origin))
        return ERR_RAISE(err, ERRCODE_DATETIME_FIELD_OVERFLOW, "origin out of range");
    if (stride.month != 0)
        return ERR_RAISE(err, ERRCODE_FEATURE_NOT_SUPPORTED,
                         "timestamps cannot be binned into intervals containing months or years");
    if (__builtin_mul_overflow((int64_t)stride.day, USECS_PER_DAY, &stride_us) ||
        __builtin_add_overflow(stride_us, stride.time, &stride_us))
        return fdt_interval_range_error(err);
    if (stride_us <= 0)
        return ERR_RAISE(err, ERRCODE_DATETIME_FIELD_OVERFLOW, "stride must be greater than zero");
    if (__builtin_sub_overflow(ts, origin, &diff))
        return fdt_interval_range_error(err);
    rem = diff % stride_us;
    out = origin + (diff - rem);
    /* round towards -infinity when before the origin */
    if (rem < 0 && (__builtin_sub_overflow(out, stride_us, &out) || !TS_IN_RANGE(out)))
        return fdt_ts_range_error(err);
    *result = datum_from_int64(out);
    return 0;
}

BUILTIN(fn_date_bin_timestamp)
{
    (void)isnull;
    return date_bin(call, result, err);
}

BUILTIN(fn_date_bin_timestamptz)
{
    (void)isnull;
    return date_bin(call, result, err);
}

/* ---- make_* and to_timestamp(float8) --------------------------------------------------- */

/*
 * ValidateDate for a year/month/day where a negative year means BC; on
 * success f holds the astronomical date. Returns false when a field is out
 * of range (year 0 included: there is no year 0 in AD/BC notation).
 */
static bool
valid_ymd(int year, int mon, int mday, DtFields *f)
{
    memset(f, 0, sizeof *f);
    if (year == 0)
        return false;
    f->year = year < 0 ? year + 1 : year;
    f->mon = mon;
    f->mday = mday;
    if (mon < 1 || mon > MONTHS_PER_YEAR)
        return false;
    return mday >= 1 && mday <= dt_days_in_month(f->year, mon);
}

/* float_time_overflows(): hour 24 and sec 60 are allowed as long as the total is <= 24:00. */
static bool
time_overflows(int hour, int min, double sec)
{
    if (hour < 0 || hour > 24 || min < 0 || min >= 60 || isnan(sec))
        return true;
    sec = rint(sec * USECS_PER_SEC);
    if (sec < 0 || sec > 60.0 * USECS_PER_SEC)
        return true;
    return ((int64_t)hour * 60 + min) * 60 * USECS_PER_SEC + (int64_t)sec > USECS_PER_DAY;
}

static int64_t
time_from_parts(int hour, int min, double sec)
{
    return ((int64_t)hour * 60 + min) * 60 * USECS_PER_SEC + (int64_t)rint(sec * USECS_PER_SEC);
}

BUILTIN(fn_make_date)
{
    int year = datum_get_int32(call->args[0]), mon = datum_get_int32(call->args[1]);
    int mday = datum_get_int32(call->args[2]);
    DtFields f;
    int32_t jd;

    (void)isnull;
    if (!valid_ymd(year, mon, mday, &f))
        /* PostgreSQL prints the year after its BC conversion here */
        return ERR_RAISE(err, ERRCODE_DATETIME_FIELD_OVERFLOW,
                         "date field value out of range: %d-%02d-%02d", year < 0 ? year + 1 : year,
                         mon, mday);
    jd = dt_date2j(f.year, f.mon, f.mday);
    if (jd < DATETIME_MIN_JULIAN || jd >= DATE_END_JULIAN || f.year > 5874898)
        return ERR_RAISE(err, ERRCODE_DATETIME_FIELD_OVERFLOW, "date out of range: %d-%02d-%02d",
                         f.year, mon, mday);
    *result = datum_from_int32(jd - POSTGRES_EPOCH_JDATE);
    return 0;
}

BUILTIN(fn_make_time)
{
    int hour = datum_get_int32(call->args[0]), min = datum_get_int32(call->args[1]);
    double sec = datum_get_float8(call->args[2]);

    (void)isnull;
    if (time_overflows(hour, min, sec))
        return ERR_RAISE(err, ERRCODE_DATETIME_FIELD_OVERFLOW,
                         "time field value out of range: %d:%02d:%02g", hour, min, sec);
    *result = datum_from_int64(time_from_parts(hour, min, sec));
    return 0;
}

/* make_timestamp_internal */
static int
make_ts(const FnCall *call, int64_t *out, Err *err)
{
    int year = datum_get_int32(call->args[0]), mon = datum_get_int32(call->args[1]);
    int mday = datum_get_int32(call->args[2]), hour = datum_get_int32(call->args[3]);
    int min = datum_get_int32(call->args[4]);
    double sec = datum_get_float8(call->args[5]);
    DtFields f;
    int64_t date, time, ts;
    int32_t jd;

    if (!valid_ymd(year, mon, mday, &f))
        return ERR_RAISE(err, ERRCODE_DATETIME_FIELD_OVERFLOW,
                         "date field value out of range: %d-%02d-%02d", year, mon, mday);
    jd = dt_date2j(f.year, f.mon, f.mday);
    if (jd < DATETIME_MIN_JULIAN || jd >= DATE_END_JULIAN || f.year > 5874898)
        return ERR_RAISE(err, ERRCODE_DATETIME_FIELD_OVERFLOW, "date out of range: %d-%02d-%02d",
                         year, mon, mday);
    date = (int64_t)jd - POSTGRES_EPOCH_JDATE;
    if (time_overflows(hour, min, sec))
        return ERR_RAISE(err, ERRCODE_DATETIME_FIELD_OVERFLOW,
                         "time field value out of range: %d:%02d:%02g", hour, min, sec);
    time = time_from_parts(hour, min, sec);
    if (__builtin_mul_overflow(date, USECS_PER_DAY, &ts) || __builtin_add_overflow(ts, time, &ts) ||
        !TS_IN_RANGE(ts))
        return ERR_RAISE(err, ERRCODE_DATETIME_FIELD_OVERFLOW,
                         "timestamp out of range: %d-%02d-%02d %d:%02d:%02g", year, mon, mday, hour,
                         min, sec);
    *out = ts;
    return 0;
}

BUILTIN(fn_make_timestamp)
{
    int64_t ts = 0; /* set by make_ts on success; initialised for -O3's flow analysis */

    (void)isnull;
    if (make_ts(call, &ts, err) < 0)
        return -1;
    *result = datum_from_int64(ts);
    return 0;
}

/*
 * parse_sane_timezone: a numeric offset must start with + or - and is ISO
 * (east-positive); otherwise an abbreviation, then a zone name. The offset
 * in seconds east to apply to local time is computed for `local`.
 */
static int
zone_offset_for_local(const VarData *v, int64_t local, int32_t *gmtoff, Err *err)
{
    const char *s = v->data;
    const Tz *tz;

    if (s[0] >= '0' && s[0] <= '9') {
        ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE, "invalid input syntax for type %s: \"%s\"",
                  "numeric time zone", s);
        err_hint(err, "Numeric time zones must have \"-\" or \"+\" as first character.");
        return -1;
    }
    if (s[0] == '+' || s[0] == '-') {
        /* ISO 8601 sign convention: the POSIX reading of the name, negated */
        tz = tz_lookup(s);
        if (tz == NULL)
            return ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE,
                             "invalid input syntax for type %s: \"%s\"", "numeric time zone", s);
        *gmtoff = -tz_utc_offset(tz, 0, NULL, NULL);
        return 0;
    }
    if (fdt_lookup_zone(v, &tz, err) < 0)
        return -1;
    *gmtoff = tz_local_offset(tz, local, NULL, NULL);
    return 0;
}

BUILTIN(fn_make_timestamptz)
{
    int64_t ts;
    int32_t gmtoff = 0;

    (void)isnull;
    if (make_ts(call, &ts, err) < 0)
        return -1;
    if (call->nargs == 6) {
        if (ts_to_tstz(ts, fdt_session_tz(call), &ts, err) < 0)
            return -1;
    } else {
        if (zone_offset_for_local(datum_get_var(call->args[6]), ts, &gmtoff, err) < 0)
            return -1;
        ts -= (int64_t)gmtoff * USECS_PER_SEC;
        if (!TS_IN_RANGE(ts))
            return fdt_ts_range_error(err);
    }
    *result = datum_from_int64(ts);
    return 0;
}

/*
 * make_interval(years, months, weeks, days, hours, mins, secs): missing
 * arguments are 0. PostgreSQL 15 does not check this arithmetic for
 * overflow: months and days wrap in 32 bits, the time in 64, and seconds
 * beyond the int64 range become INT64_MIN (x86-64's conversion result);
 * the same values are produced here.
 */
BUILTIN(fn_make_interval)
{
    int64_t v[6] = {0}, us;
    double secs = call->nargs > 6 ? datum_get_float8(call->args[6]) : 0;
    Interval iv;

    (void)isnull;
    for (int i = 0; i < call->nargs && i < 6; i++)
        v[i] = datum_get_int32(call->args[i]);
    if (isinf(secs) || isnan(secs))
        return fdt_interval_range_error(err);
    secs = rint(secs * USECS_PER_SEC);
    us = secs >= -9223372036854775808.0 && secs < 9223372036854775808.0 ? (int64_t)secs : INT64_MIN;
    iv.month = (int32_t)(uint32_t)((uint64_t)v[0] * MONTHS_PER_YEAR + (uint64_t)v[1]);
    iv.day = (int32_t)(uint32_t)((uint64_t)v[2] * 7 + (uint64_t)v[3]);
    iv.time = (int64_t)((uint64_t)v[4] * (uint64_t)USECS_PER_HOUR +
                        (uint64_t)v[5] * (uint64_t)USECS_PER_MINUTE + (uint64_t)us);
    *result = fdt_interval_result(call, &iv);
    return 0;
}

BUILTIN(fn_to_timestamp_float8)
{
    double secs = datum_get_float8(call->args[0]);
    int64_t ts;

    (void)isnull;
    if (isnan(secs))
        return ERR_RAISE(err, ERRCODE_DATETIME_FIELD_OVERFLOW, "timestamp cannot be NaN");
    if (isinf(secs)) {
        *result = datum_from_int64(secs < 0 ? TS_NOBEGIN : TS_NOEND);
        return 0;
    }
    if (secs < (double)SECS_PER_DAY * (DATETIME_MIN_JULIAN - UNIX_EPOCH_JDATE) ||
        secs >= (double)SECS_PER_DAY * (TIMESTAMP_END_JULIAN - UNIX_EPOCH_JDATE))
        return ERR_RAISE(err, ERRCODE_DATETIME_FIELD_OVERFLOW, "timestamp out of range: \"%g\"",
                         secs);
    secs -= (double)(POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY;
    ts = (int64_t)rint(secs * USECS_PER_SEC);
    if (!TS_IN_RANGE(ts))
        return ERR_RAISE(err, ERRCODE_DATETIME_FIELD_OVERFLOW, "timestamp out of range: \"%g\"",
                         datum_get_float8(call->args[0]));
    *result = datum_from_int64(ts);
    return 0;
}

/* ---- age ---------------------------------------------------------------------------------- */

/*
 * The symbolic difference a - b of two broken-down times, as PostgreSQL's
 * timestamp_age: field by field, borrowing from the next larger field, a
 * month borrowed is as long as the month of the earlier timestamp's
 * fields (of a when a < b, else of b).
 */
static int
age_fields(const DtFields *f1, const DtFields *f2, bool negative, Interval *out, Err *err)
{
    int64_t usec = f1->usec - f2->usec, sec = f1->sec - f2->sec, min = f1->min - f2->min;
    int64_t hour = f1->hour - f2->hour, mday = f1->mday - f2->mday, mon = f1->mon - f2->mon;
    int64_t year = f1->year - f2->year;
    const DtFields *m = negative ? f1 : f2;
    int sign = negative ? -1 : 1;

    usec *= sign, sec *= sign, min *= sign, hour *= sign, mday *= sign, mon *= sign, year *= sign;
    while (usec < 0)
        usec += USECS_PER_SEC, sec--;
    while (sec < 0)
        sec += 60, min--;
    while (min < 0)
        min += 60, hour--;
    while (hour < 0)
        hour += 24, mday--;
    while (mday < 0)
        mday += dt_days_in_month(m->year, m->mon), mon--;
    while (mon < 0)
        mon += MONTHS_PER_YEAR, year--;
    return fdt_interval_from_fields(sign * year, sign * mon, sign * mday, sign * hour, sign * min,
                                    sign * sec, sign * usec, out, err);
}

/*
 * PostgreSQL's timestamp2tm does not refuse +infinity (INT64_MAX): it is
 * taken apart as the instant it encodes (294277-01-09 04:00:54.775807 UTC),
 * so age() of it is a (huge) interval. -infinity is out of range.
 */
static int
age_fields_of(int64_t ts, const Tz *tz, DtFields *f, Err *err)
{
    __int128 local = ts;

    if (ts != TS_NOEND)
        return ts_to_fields(ts, tz, f, err);
    memset(f, 0, sizeof *f);
    if (tz != NULL)
        local += (__int128)tz_utc_offset(tz, ts, NULL, NULL) * USECS_PER_SEC;
    dt_j2date((int32_t)(local / USECS_PER_DAY) + POSTGRES_EPOCH_JDATE, &f->year, &f->mon, &f->mday);
    time_to_fields((int64_t)(local % USECS_PER_DAY), f);
    return 0;
}

static int
age(const FnCall *call, int64_t a, int64_t b, const Tz *tz, Datum *result, Err *err)
{
    DtFields f1, f2;
    Interval iv;

    if (age_fields_of(a, tz, &f1, err) < 0 || age_fields_of(b, tz, &f2, err) < 0 ||
        age_fields(&f1, &f2, a < b, &iv, err) < 0)
        return -1;
    *result = fdt_interval_result(call, &iv);
    return 0;
}

BUILTIN(fn_age_timestamp)
{
    (void)isnull;
    return age(call, datum_get_int64(call->args[0]), datum_get_int64(call->args[1]), NULL, result,
               err);
}

BUILTIN(fn_age_timestamptz)
{
    (void)isnull;
    return age(call, datum_get_int64(call->args[0]), datum_get_int64(call->args[1]),
               fdt_session_tz(call), result, err);
}

/* age(ts) = age(current_date::timestamp, ts) */
BUILTIN(fn_age_timestamp1)
{
    int32_t today;
    int64_t midnight;

    (void)isnull;
    if (tstz_to_date(fdt_txn_start(call), fdt_session_tz(call), &today, err) < 0 ||
        date_to_ts(today, &midnight, err) < 0)
        return -1;
    return age(call, midnight, datum_get_int64(call->args[0]), NULL, result, err);
}

/* age(tstz) = age(current_date::timestamptz, tstz) */
BUILTIN(fn_age_timestamptz1)
{
    const Tz *tz = fdt_session_tz(call);
    int32_t today;
    int64_t midnight;

    (void)isnull;
    if (tstz_to_date(fdt_txn_start(call), tz, &today, err) < 0 ||
        date_to_tstz(today, tz, &midnight, err) < 0)
        return -1;
    return age(call, midnight, datum_get_int64(call->args[0]), tz, result, err);
}

/* ---- justify_* ------------------------------------------------------------------------------ */

static int
add_months(Interval *iv, int64_t months, Err *err)
{
    int64_t m = (int64_t)iv->month + months;

    if (m < INT32_MIN || m > INT32_MAX)
        return fdt_interval_range_error(err);
    iv->month = (int32_t)m;
    return 0;
}

static int
add_days(Interval *iv, int64_t days, Err *err)
{
    int64_t d = (int64_t)iv->day + days;

    if (d < INT32_MIN || d > INT32_MAX)
        return fdt_interval_range_error(err);
    iv->day = (int32_t)d;
    return 0;
}

/* Moves whole 30-day periods of day into month. */
static int
days_to_months(Interval *iv, Err *err)
{
    int32_t whole = iv->day / DAYS_PER_MONTH;

    iv->day -= whole * DAYS_PER_MONTH;
    return add_months(iv, whole, err);
}

BUILTIN(fn_justify_days)
{
    Interval iv = interval_get(call->args[0]);

    (void)isnull;
    if (days_to_months(&iv, err) < 0)
        return -1;
    if (iv.month > 0 && iv.day < 0)
        iv.day += DAYS_PER_MONTH, iv.month--;
    else if (iv.month < 0 && iv.day > 0)
        iv.day -= DAYS_PER_MONTH, iv.month++;
    *result = fdt_interval_result(call, &iv);
    return 0;
}

BUILTIN(fn_justify_hours)
{
    Interval iv = interval_get(call->args[0]);
    int64_t whole = iv.time / USECS_PER_DAY;

    (void)isnull;
    iv.time -= whole * USECS_PER_DAY;
    if (add_days(&iv, whole, err) < 0)
        return -1;
    if (iv.day > 0 && iv.time < 0)
        iv.time += USECS_PER_DAY, iv.day--;
    else if (iv.day < 0 && iv.time > 0)
        iv.time -= USECS_PER_DAY, iv.day++;
    *result = fdt_interval_result(call, &iv);
    return 0;
}

BUILTIN(fn_justify_interval)
{
    Interval iv = interval_get(call->args[0]);
    int64_t whole;

    (void)isnull;
    /* days first when day and time have the same sign, so the sum below cannot overflow */
    if (((iv.day > 0 && iv.time > 0) || (iv.day < 0 && iv.time < 0)) &&
        days_to_months(&iv, err) < 0)
        return -1;
    whole = iv.time / USECS_PER_DAY;
    iv.time -= whole * USECS_PER_DAY;
    iv.day += (int32_t)whole;
    if (days_to_months(&iv, err) < 0)
        return -1;
    if (iv.month > 0 && (iv.day < 0 || (iv.day == 0 && iv.time < 0)))
        iv.day += DAYS_PER_MONTH, iv.month--;
    else if (iv.month < 0 && (iv.day > 0 || (iv.day == 0 && iv.time > 0)))
        iv.day -= DAYS_PER_MONTH, iv.month++;
    if (iv.day > 0 && iv.time < 0)
        iv.time += USECS_PER_DAY, iv.day--;
    else if (iv.day < 0 && iv.time > 0)
        iv.time -= USECS_PER_DAY, iv.day++;
    *result = fdt_interval_result(call, &iv);
    return 0;
}

/* ---- isfinite ------------------------------------------------------------------------------- */

BUILTIN(fn_isfinite_date)
{
    (void)isnull, (void)err;
    *result = datum_from_bool(DATE_IS_FINITE(datum_get_int32(call->args[0])));
    return 0;
}

BUILTIN(fn_isfinite_timestamp)
{
    (void)isnull, (void)err;
    *result = datum_from_bool(TS_IS_FINITE(datum_get_int64(call->args[0])));
    return 0;
}

BUILTIN(fn_isfinite_interval)
{
    (void)isnull, (void)err, (void)call;
    *result = datum_from_bool(true);
    return 0;
}

/* ---- AT TIME ZONE ------------------------------------------------------------------------------
 */

/* timestamp AT TIME ZONE zone: the wall-clock time read in zone → timestamptz. */
BUILTIN(fn_timezone_timestamp)
{
    const VarData *zone = datum_get_var(call->args[0]);
    int64_t ts = datum_get_int64(call->args[1]), out;
    char low[FDT_NAME_MAX + 1];
    int32_t gmtoff = 0;
    bool is_dst;
    const Tz *tz = NULL;
    DtFields f;

    (void)isnull;
    if (!TS_IS_FINITE(ts)) {
        *result = datum_from_int64(ts);
        return 0;
    }
    fdt_lower(zone, low);
    if (tz_abbrev_lookup(low, &gmtoff, &is_dst, &tz) && tz == NULL) {
        out = ts - (int64_t)gmtoff * USECS_PER_SEC;
    } else {
        if (tz == NULL && (tz = tz_lookup(zone->data)) == NULL)
            return ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE,
                             "time zone \"%s\" not recognized", zone->data);
        if (ts_to_fields(ts, NULL, &f, err) < 0 || tstz_from_fields(&f, tz, &out, err) < 0)
            return -1;
    }
    if (!TS_IN_RANGE(out))
        return fdt_ts_range_error(err);
    *result = datum_from_int64(out);
    return 0;
}

/* timestamptz AT TIME ZONE zone: the wall-clock time in zone → timestamp. */
BUILTIN(fn_timezone_timestamptz)
{
    const VarData *zone = datum_get_var(call->args[0]);
    int64_t ts = datum_get_int64(call->args[1]), out;
    char low[FDT_NAME_MAX + 1];
    int32_t gmtoff = 0;
    bool is_dst;
    const Tz *tz = NULL;

    (void)isnull;
    if (!TS_IS_FINITE(ts)) {
        *result = datum_from_int64(ts);
        return 0;
    }
    fdt_lower(zone, low);
    if (!tz_abbrev_lookup(low, &gmtoff, &is_dst, &tz) || tz != NULL) {
        if (tz == NULL && (tz = tz_lookup(zone->data)) == NULL)
            return ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE,
                             "time zone \"%s\" not recognized", zone->data);
        gmtoff = tz_utc_offset(tz, ts, NULL, NULL);
    }
    out = ts + (int64_t)gmtoff * USECS_PER_SEC;
    if (!TS_IN_RANGE(out))
        return fdt_ts_range_error(err);
    *result = datum_from_int64(out);
    return 0;
}

/* An interval zone: only hours, minutes and seconds (east of UTC, ISO sign). */
static int
interval_zone(const FnCall *call, int64_t *offset_us, Err *err)
{
    Interval iv = interval_get(call->args[0]);

    if (iv.month != 0 || iv.day != 0) {
        Buf b;
        int rc;

        buf_init(&b, BUF_DEFAULT_MAX);
        dt_format_interval(&iv, call->ctx->io != NULL ? call->ctx->io : &type_io_default, &b);
        rc = ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE,
                       "interval time zone \"%.*s\" must not include months or days", (int)b.len,
                       (const char *)b.data);
        buf_free(&b);
        return rc;
    }
    /* whole seconds, as PostgreSQL's tz is */
    *offset_us = (iv.time / USECS_PER_SEC) * USECS_PER_SEC;
    return 0;
}

BUILTIN(fn_timezone_itimestamp)
{
    int64_t ts = datum_get_int64(call->args[1]), off = 0;

    (void)isnull;
    if (!TS_IS_FINITE(ts)) {
        *result = datum_from_int64(ts);
        return 0;
    }
    if (interval_zone(call, &off, err) < 0)
        return -1;
    ts -= off;
    if (!TS_IN_RANGE(ts))
        return fdt_ts_range_error(err);
    *result = datum_from_int64(ts);
    return 0;
}

BUILTIN(fn_timezone_itimestamptz)
{
    int64_t ts = datum_get_int64(call->args[1]), off = 0;

    (void)isnull;
    if (!TS_IS_FINITE(ts)) {
        *result = datum_from_int64(ts);
        return 0;
    }
    if (interval_zone(call, &off, err) < 0)
        return -1;
    ts += off;
    if (!TS_IN_RANGE(ts))
        return fdt_ts_range_error(err);
    *result = datum_from_int64(ts);
    return 0;
}

/* ---- SQL value functions ------------------------------------------------------------------ */

Expr *
func_datetime_sqlvalue(Arena *a, SqlSession *session, const char *name, int32_t typmod,
                       int location)
{
    BuiltinFn fn = fn_current_timestamp;
    Oid type = TYPE_TIMESTAMPTZ;
    Expr **args = NULL, *e;

    if (strcmp(name, "CURRENT_DATE") == 0)
        fn = fn_current_date, type = TYPE_DATE;
    else if (strcmp(name, "LOCALTIME") == 0)
        fn = fn_localtime, type = TYPE_TIME;
    else if (strcmp(name, "LOCALTIMESTAMP") == 0)
        fn = fn_localtimestamp, type = TYPE_TIMESTAMP;
    if (typmod > DT_MAX_PRECISION) {
        if (session != NULL)
            session_notice(session, ERR_WARNING, ERRCODE_INVALID_PARAMETER_VALUE,
                           "%s(%d)%s precision reduced to maximum allowed, %d",
                           type == TYPE_TIME ? "TIME" : "TIMESTAMP", typmod,
                           type == TYPE_TIMESTAMPTZ ? " WITH TIME ZONE" : "", DT_MAX_PRECISION);
        typmod = DT_MAX_PRECISION;
    }
    if (typmod >= 0) {
        args = arena_alloc(a, sizeof(Expr *));
        args[0] = expr_const(a, TYPE_INT4, datum_from_int32(typmod), false, -1);
    }
    e = expr_func(a, NULL, fn, true, type, typmod >= 0 ? 1 : 0, args, location);
    e->typmod = type == TYPE_DATE ? -1 : typmod;
    return e;
}

/* ---- named arguments ------------------------------------------------------------------------ */

typedef struct NamedSig {
    const char *func;
    int nargs;
    int ndefaults; /* trailing arguments with a default (0) */
    const char *names[7];
    Oid types[7];
} NamedSig;

static const NamedSig NAMED_SIGS[] = {
    {"make_date", 3, 0, {"year", "month", "day"}, {TYPE_INT4, TYPE_INT4, TYPE_INT4}},
    {"make_time", 3, 0, {"hour", "min", "sec"}, {TYPE_INT4, TYPE_INT4, TYPE_FLOAT8}},
    {"make_timestamp",
     6,
     0,
     {"year", "month", "mday", "hour", "min", "sec"},
     {TYPE_INT4, TYPE_INT4, TYPE_INT4, TYPE_INT4, TYPE_INT4, TYPE_FLOAT8}},
    {"make_timestamptz",
     7,
     1,
     {"year", "month", "mday", "hour", "min", "sec", "timezone"},
     {TYPE_INT4, TYPE_INT4, TYPE_INT4, TYPE_INT4, TYPE_INT4, TYPE_FLOAT8, TYPE_TEXT}},
    {"make_interval",
     7,
     7,
     {"years", "months", "weeks", "days", "hours", "mins", "secs"},
     {TYPE_INT4, TYPE_INT4, TYPE_INT4, TYPE_INT4, TYPE_INT4, TYPE_INT4, TYPE_FLOAT8}},
};

int
func_datetime_named_args(Arena *a, const char *func, const char *const *names, Expr ***args,
                         int *nargs, char *sig, size_t sigcap)
{
    const NamedSig *ns = NULL;
    Expr **in = *args, **out;
    int n = *nargs, last = -1;
    size_t used;

    for (size_t i = 0; i < sizeof NAMED_SIGS / sizeof NAMED_SIGS[0]; i++) {
        if (strcmp(NAMED_SIGS[i].func, func) == 0)
            ns = &NAMED_SIGS[i];
    }
    out = arena_alloc(a, sizeof(Expr *) * 7);
    memset(out, 0, sizeof(Expr *) * 7);
    for (int i = 0; ns != NULL && i < n; i++) {
        int pos = i;

        if (names[i] != NULL) {
            for (pos = 0; pos < ns->nargs && strcmp(ns->names[pos], names[i]) != 0; pos++)
                ;
        }
        if (pos >= ns->nargs || out[pos] != NULL) {
            ns = NULL;
            break;
        }
        out[pos] = in[i];
        if (pos > last)
            last = pos;
    }
    /* every argument up to the last given one, and every one without a default, is needed */
    for (int i = 0; ns != NULL && i < ns->nargs; i++) {
        if (out[i] != NULL)
            continue;
        if (i < ns->nargs - ns->ndefaults || ns->types[i] == TYPE_TEXT) {
            if (i <= last || i < ns->nargs - ns->ndefaults)
                ns = NULL;
            break;
        }
        out[i] = ns->types[i] == TYPE_FLOAT8
                     ? expr_const(a, TYPE_FLOAT8, datum_from_float8(0), false, -1)
                     : expr_const(a, TYPE_INT4, datum_from_int32(0), false, -1);
    }
    if (ns != NULL) {
        int k = 0;

        while (k < ns->nargs && out[k] != NULL)
            k++;
        *args = out;
        *nargs = k;
        return 0;
    }
    used = (size_t)snprintf(sig, sigcap, "%s(", func);
    for (int i = 0; i < n && used < sigcap; i++)
        used += (size_t)snprintf(sig + used, sigcap - used, "%s%s%s%s", i ? ", " : "",
                                 names[i] ? names[i] : "", names[i] ? " => " : "",
                                 type_sql_name(in[i]->type));
    if (used < sigcap)
        snprintf(sig + used, sigcap - used, ")");
    return 1;
}

/* ---- OVERLAPS ------------------------------------------------------------------------------ */

/*
 * (s1, e1) OVERLAPS (s2, e2) over int64 instants (timestamp, timestamptz,
 * time), with SQL's NULL rules as PostgreSQL's overlaps_timestamp: each
 * period is ordered first; a NULL end makes the answer NULL unless the
 * other comparisons decide it.
 */
static void
overlaps(const int64_t v[4], const bool null[4], Datum *result, bool *isnull)
{
    int64_t s1 = v[0], e1 = v[1], s2 = v[2], e2 = v[3], t;
    bool e1null = null[1], e2null = null[3];

    *isnull = true;
    if (null[0]) {
        if (e1null)
            return;
        s1 = e1, e1null = true;
    } else if (!e1null && s1 > e1)
        t = s1, s1 = e1, e1 = t;
    if (null[2]) {
        if (e2null)
            return;
        s2 = e2, e2null = true;
    } else if (!e2null && s2 > e2)
        t = s2, s2 = e2, e2 = t;
    if (s1 > s2) {
        if (e2null)
            return;
        if (s1 < e2) {
            *isnull = false, *result = datum_from_bool(true);
            return;
        }
        if (e1null)
            return;
    } else if (s1 < s2) {
        if (e1null)
            return;
        if (s2 < e1) {
            *isnull = false, *result = datum_from_bool(true);
            return;
        }
        if (e2null)
            return;
    } else {
        if (e1null || e2null)
            return;
        *isnull = false, *result = datum_from_bool(true);
        return;
    }
    *isnull = false;
    *result = datum_from_bool(false);
}

/* An end given as an interval: start + interval in the argument's type. */
static int
overlaps_end(const FnCall *call, int i, int64_t start, bool start_null, int64_t *end, bool *null,
             Err *err)
{
    Interval iv;
    Oid type = call->argtypes[i - 1];

    if (start_null || call->nulls[i]) {
        *null = true;
        return 0;
    }
    iv = interval_get(call->args[i]);
    *null = false;
    if (type == TYPE_TIME) {
        int64_t t = (start + iv.time) % USECS_PER_DAY;

        *end = t < 0 ? t + USECS_PER_DAY : t;
        return 0;
    }
    if (type == TYPE_TIMESTAMPTZ)
        return tstz_pl_interval(start, &iv, fdt_session_tz(call), end, err);
    return ts_pl_interval(start, &iv, end, err);
}

BUILTIN(fn_overlaps)
{
    int64_t v[4];
    bool null[4];

    for (int i = 0; i < 4; i++) {
        null[i] = call->nulls[i];
        v[i] = null[i] ? 0 : datum_get_int64(call->args[i]);
    }
    for (int i = 1; i < 4; i += 2) {
        if (call->argtypes[i] == TYPE_INTERVAL &&
            overlaps_end(call, i, v[i - 1], null[i - 1], &v[i], &null[i], err) < 0)
            return -1;
    }
    overlaps(v, null, result, isnull);
    return 0;
}
