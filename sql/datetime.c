/*
 * sql/datetime.c — the calendar, conversions between date/time values,
 * interval arithmetic and text output, for the contract in sql/datetime.h.
 *
 * Text input lives in sql/types_datetime.c, time zones in sql/tz.c.
 *
 * Invariants:
 *   1. Julian days are computed in 64-bit arithmetic, so every year the
 *      types can hold (up to 5874897) converts without overflow.
 *   2. Formatting never fails and never allocates beyond the Buf.
 *   3. Every result that can leave the valid range is checked before it is
 *      returned (22008), as datetime.h invariant 3 promises.
 */
#include "sql/datetime.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "common/errcodes.h"

const char *const dt_month_names[12] = {"January", "February", "March",     "April",
                                        "May",     "June",     "July",      "August",
                                        "September", "October", "November", "December"};
const char *const dt_month_abbrevs[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
const char *const dt_day_names[7] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                     "Thursday", "Friday", "Saturday"};
const char *const dt_day_abbrevs[7] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};

static int
ts_range_error(Err *err)
{
    return ERR_RAISE(err, ERRCODE_DATETIME_FIELD_OVERFLOW, "timestamp out of range");
}

static int
interval_range_error(Err *err)
{
    return ERR_RAISE(err, ERRCODE_DATETIME_FIELD_OVERFLOW, "interval out of range");
}

static int64_t
floordiv64(int64_t a, int64_t b)
{
    int64_t q = a / b;

    if ((a % b != 0) && ((a < 0) != (b < 0)))
        q--;
    return q;
}

/* ---- interval -------------------------------------------------------------- */

Datum
interval_datum(Arena *a, const Interval *iv)
{
    return datum_from_var(vardata_make(a, (const char *)iv, sizeof *iv));
}

static __int128
interval_span(const Interval *iv)
{
    return (__int128)iv->month * DAYS_PER_MONTH * USECS_PER_DAY +
           (__int128)iv->day * USECS_PER_DAY + iv->time;
}

int
interval_cmp(const Interval *a, const Interval *b)
{
    __int128 x = interval_span(a), y = interval_span(b);

    return x < y ? -1 : x > y ? 1 : 0;
}

int
interval_add(const Interval *a, const Interval *b, Interval *out, Err *err)
{
    if (__builtin_add_overflow(a->month, b->month, &out->month) ||
        __builtin_add_overflow(a->day, b->day, &out->day) ||
        __builtin_add_overflow(a->time, b->time, &out->time))
        return interval_range_error(err);
    return 0;
}

int
interval_sub(const Interval *a, const Interval *b, Interval *out, Err *err)
{
    if (__builtin_sub_overflow(a->month, b->month, &out->month) ||
        __builtin_sub_overflow(a->day, b->day, &out->day) ||
        __builtin_sub_overflow(a->time, b->time, &out->time))
        return interval_range_error(err);
    return 0;
}

int
interval_negate(const Interval *a, Interval *out, Err *err)
{
    if (a->month == INT32_MIN || a->day == INT32_MIN || a->time == INT64_MIN)
        return interval_range_error(err);
    out->month = -a->month;
    out->day = -a->day;
    out->time = -a->time;
    return 0;
}

/* Rounds to whole microseconds of a count of days or seconds (PostgreSQL's TSROUND). */
static double
round_usec(double v)
{
    return rint(v * 1e6) / 1e6;
}

static bool
fits_int32(double v)
{
    return !isnan(v) && v >= -2147483648.0 && v < 2147483648.0;
}

static bool
fits_int64(double v)
{
    return !isnan(v) && v >= -9223372036854775808.0 && v < 9223372036854775808.0;
}

/* a * f (div = false) or a / f (div = true), spilling fractions downwards. */
static int
interval_scale(const Interval *a, double f, bool div, Interval *out, Err *err)
{
    double m = div ? a->month / f : a->month * f;
    double d = div ? a->day / f : a->day * f;
    double month_days, secs, t;
    Interval r;

    if (!fits_int32(m) || !fits_int32(d))
        return interval_range_error(err);
    r.month = (int32_t)m;
    r.day = (int32_t)d;
    month_days = round_usec((m - r.month) * DAYS_PER_MONTH);
    secs = round_usec((d - r.day + month_days - (int32_t)month_days) * SECS_PER_DAY);
    if (fabs(secs) >= SECS_PER_DAY) {
        int32_t extra = (int32_t)(secs / SECS_PER_DAY);

        r.day += extra;
        secs -= (double)extra * SECS_PER_DAY;
    }
    r.day += (int32_t)month_days;
    t = rint((div ? (double)a->time / f : (double)a->time * f) + secs * USECS_PER_SEC);
    if (!fits_int64(t))
        return interval_range_error(err);
    r.time = (int64_t)t;
    *out = r;
    return 0;
}

int
interval_mul(const Interval *a, double factor, Interval *out, Err *err)
{
    return interval_scale(a, factor, false, out, err);
}

int
interval_div(const Interval *a, double divisor, Interval *out, Err *err)
{
    if (divisor == 0.0)
        return ERR_RAISE(err, ERRCODE_DIVISION_BY_ZERO, "division by zero");
    return interval_scale(a, divisor, true, out, err);
}

/* ---- calendar -------------------------------------------------------------- */

bool
dt_is_leap(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int
dt_days_in_month(int year, int mon)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    if (mon < 1 || mon > 12)
        return 0;
    return days[mon - 1] + (mon == 2 && dt_is_leap(year) ? 1 : 0);
}

/* Days since 1970-01-01 of a proleptic Gregorian date (the eras-of-400-years method). */
static int64_t
civil_to_days(int64_t y, int m, int d)
{
    int64_t era, yoe, doy, doe;

    y -= m <= 2;
    era = floordiv64(y, 400);
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void
days_to_civil(int64_t days, int *year, int *mon, int *mday)
{
    int64_t z = days + 719468;
    int64_t era = floordiv64(z, 146097);
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t m = mp + (mp < 10 ? 3 : -9);

    *year = (int)(yoe + era * 400 + (m <= 2));
    *mon = (int)m;
    *mday = (int)(doy - (153 * mp + 2) / 5 + 1);
}

int32_t
dt_date2j(int year, int mon, int mday)
{
    return (int32_t)(civil_to_days(year, mon, mday) + UNIX_EPOCH_JDATE);
}

void
dt_j2date(int32_t jd, int *year, int *mon, int *mday)
{
    days_to_civil((int64_t)jd - UNIX_EPOCH_JDATE, year, mon, mday);
}

int
dt_j2day(int32_t jd)
{
    int64_t d = ((int64_t)jd + 1) % 7;

    return (int)(d < 0 ? d + 7 : d);
}

static int
isodow_of(int32_t jd)
{
    int d = dt_j2day(jd);

    return d == 0 ? 7 : d;
}

int
dt_iso_year(int year, int mon, int mday)
{
    int32_t jd = dt_date2j(year, mon, mday);
    int32_t thursday = jd - isodow_of(jd) + 4;
    int y, m, d;

    dt_j2date(thursday, &y, &m, &d);
    return y;
}

int
dt_iso_week(int year, int mon, int mday)
{
    int32_t jd = dt_date2j(year, mon, mday);
    int32_t thursday = jd - isodow_of(jd) + 4;
    int y, m, d;

    dt_j2date(thursday, &y, &m, &d);
    return (thursday - dt_date2j(y, 1, 1)) / 7 + 1;
}

int32_t
dt_isoweek2j(int isoyear, int week, int isodow)
{
    int32_t jan4 = dt_date2j(isoyear, 1, 4);
    int32_t monday1 = jan4 - (isodow_of(jan4) - 1);

    return monday1 + (week - 1) * 7 + (isodow - 1);
}

void
time_to_fields(int64_t t, DtFields *f)
{
    f->hour = (int)(t / USECS_PER_HOUR);
    t -= (int64_t)f->hour * USECS_PER_HOUR;
    f->min = (int)(t / USECS_PER_MINUTE);
    t -= (int64_t)f->min * USECS_PER_MINUTE;
    f->sec = (int)(t / USECS_PER_SEC);
    f->usec = (int)(t - (int64_t)f->sec * USECS_PER_SEC);
}

static void
fill_date(int32_t jd, DtFields *f)
{
    dt_j2date(jd, &f->year, &f->mon, &f->mday);
    f->wday = dt_j2day(jd);
    f->yday = jd - dt_date2j(f->year, 1, 1) + 1;
}

void
date_to_fields(int32_t date, DtFields *f)
{
    memset(f, 0, sizeof *f);
    fill_date(date + POSTGRES_EPOCH_JDATE, f);
}

int
date_from_fields(const DtFields *f, int32_t *date, Err *err)
{
    int64_t jd = civil_to_days(f->year, f->mon, f->mday) + UNIX_EPOCH_JDATE;

    if (jd < DATETIME_MIN_JULIAN || jd >= DATE_END_JULIAN)
        return ERR_RAISE(err, ERRCODE_DATETIME_FIELD_OVERFLOW, "date out of range");
    *date = (int32_t)(jd - POSTGRES_EPOCH_JDATE);
    return 0;
}

int
ts_to_fields(int64_t ts, const Tz *tz, DtFields *f, Err *err)
{
    int64_t days, t;

    memset(f, 0, sizeof *f);
    if (!TS_IS_FINITE(ts) || !TS_IN_RANGE(ts))
        return ts_range_error(err);
    if (tz != NULL) {
        f->gmtoff = tz_utc_offset(tz, ts, &f->is_dst, &f->abbrev);
        ts += (int64_t)f->gmtoff * USECS_PER_SEC;
    }
    days = floordiv64(ts, USECS_PER_DAY);
    t = ts - days * USECS_PER_DAY;
    fill_date((int32_t)(days + POSTGRES_EPOCH_JDATE), f);
    time_to_fields(t, f);
    return 0;
}

/* Local fields → µs since 2000-01-01 without any range check; false on overflow. */
static bool
fields_to_local(const DtFields *f, int64_t *out)
{
    int64_t jd = civil_to_days(f->year, f->mon, f->mday) + UNIX_EPOCH_JDATE;
    int64_t days = jd - POSTGRES_EPOCH_JDATE;
    int64_t t = ((int64_t)f->hour * 60 + f->min) * 60 + f->sec;
    int64_t r;

    t = t * USECS_PER_SEC + f->usec;
    if (jd < DATETIME_MIN_JULIAN - 1 || jd > TIMESTAMP_END_JULIAN + 1)
        return false;
    if (__builtin_mul_overflow(days, USECS_PER_DAY, &r) || __builtin_add_overflow(r, t, &r))
        return false;
    *out = r;
    return true;
}

int
ts_from_fields(const DtFields *f, int64_t *ts, Err *err)
{
    int64_t v;

    if (!fields_to_local(f, &v) || !TS_IN_RANGE(v))
        return ts_range_error(err);
    *ts = v;
    return 0;
}

int
tstz_from_fields(const DtFields *f, const Tz *tz, int64_t *ts, Err *err)
{
    int64_t v;
    int32_t off;

    if (!fields_to_local(f, &v))
        return ts_range_error(err);
    off = tz_local_offset(tz, v, NULL, NULL);
    v -= (int64_t)off * USECS_PER_SEC;
    if (!TS_IN_RANGE(v))
        return ts_range_error(err);
    *ts = v;
    return 0;
}

int
date_to_ts(int32_t date, int64_t *ts, Err *err)
{
    if (date == DATE_NOBEGIN) {
        *ts = TS_NOBEGIN;
        return 0;
    }
    if (date == DATE_NOEND) {
        *ts = TS_NOEND;
        return 0;
    }
    if (date >= TIMESTAMP_END_JULIAN - POSTGRES_EPOCH_JDATE)
        return ERR_RAISE(err, ERRCODE_DATETIME_FIELD_OVERFLOW, "date out of range for timestamp");
    *ts = (int64_t)date * USECS_PER_DAY;
    return 0;
}

int
date_to_tstz(int32_t date, const Tz *tz, int64_t *ts, Err *err)
{
    int64_t local = 0;
    int32_t off;

    if (!DATE_IS_FINITE(date))
        return date_to_ts(date, ts, err);
    if (date_to_ts(date, &local, err) < 0)
        return -1;
    off = tz_local_offset(tz, local, NULL, NULL);
    local -= (int64_t)off * USECS_PER_SEC;
    if (!TS_IN_RANGE(local))
        return ERR_RAISE(err, ERRCODE_DATETIME_FIELD_OVERFLOW, "date out of range for timestamp");
    *ts = local;
    return 0;
}

int
ts_to_date(int64_t ts, int32_t *date, Err *err)
{
    (void)err;
    if (ts == TS_NOBEGIN)
        *date = DATE_NOBEGIN;
    else if (ts == TS_NOEND)
        *date = DATE_NOEND;
    else
        *date = (int32_t)floordiv64(ts, USECS_PER_DAY);
    return 0;
}

int
tstz_to_date(int64_t ts, const Tz *tz, int32_t *date, Err *err)
{
    if (!TS_IS_FINITE(ts))
        return ts_to_date(ts, date, err);
    ts += (int64_t)tz_utc_offset(tz, ts, NULL, NULL) * USECS_PER_SEC;
    *date = (int32_t)floordiv64(ts, USECS_PER_DAY);
    return 0;
}

int
ts_to_tstz(int64_t ts, const Tz *tz, int64_t *out, Err *err)
{
    int32_t off;

    if (!TS_IS_FINITE(ts)) {
        *out = ts;
        return 0;
    }
    off = tz_local_offset(tz, ts, NULL, NULL);
    ts -= (int64_t)off * USECS_PER_SEC;
    if (!TS_IN_RANGE(ts))
        return ts_range_error(err);
    *out = ts;
    return 0;
}

int
tstz_to_ts(int64_t ts, const Tz *tz, int64_t *out, Err *err)
{
    if (!TS_IS_FINITE(ts)) {
        *out = ts;
        return 0;
    }
    ts += (int64_t)tz_utc_offset(tz, ts, NULL, NULL) * USECS_PER_SEC;
    if (!TS_IN_RANGE(ts))
        return ts_range_error(err);
    *out = ts;
    return 0;
}

int64_t
dt_round_usec(int64_t v, int32_t typmod)
{
    static const int64_t scale[] = {1000000, 100000, 10000, 1000, 100, 10, 1};
    int64_t s, half;

    if (typmod < 0 || typmod >= DT_MAX_PRECISION)
        return v;
    s = scale[typmod];
    half = s / 2;
    if (v >= 0)
        return (v + half) / s * s;
    return -((-v + half) / s * s);
}

/* ---- interval arithmetic on timestamps ------------------------------------- */

/* Adds months then days to the wall-clock fields f (clamping the day of month). */
static int
fields_add_months_days(DtFields *f, int32_t months, int32_t days, Err *err)
{
    if (months != 0) {
        int64_t m = (int64_t)f->year * 12 + (f->mon - 1) + months;
        int dim;

        f->year = (int)floordiv64(m, 12);
        f->mon = (int)(m - (int64_t)f->year * 12) + 1;
        if (m < INT32_MIN / 2 || m > INT32_MAX / 2)
            return ts_range_error(err);
        dim = dt_days_in_month(f->year, f->mon);
        if (f->mday > dim)
            f->mday = dim;
    }
    if (days != 0) {
        int64_t jd = civil_to_days(f->year, f->mon, f->mday) + UNIX_EPOCH_JDATE + days;

        if (jd < INT32_MIN || jd > INT32_MAX)
            return ts_range_error(err);
        dt_j2date((int32_t)jd, &f->year, &f->mon, &f->mday);
    }
    return 0;
}

int
ts_pl_interval(int64_t ts, const Interval *iv, int64_t *out, Err *err)
{
    if (!TS_IS_FINITE(ts)) {
        *out = ts;
        return 0;
    }
    if (iv->month != 0 || iv->day != 0) {
        DtFields f;

        if (ts_to_fields(ts, NULL, &f, err) < 0 ||
            fields_add_months_days(&f, iv->month, iv->day, err) < 0 ||
            ts_from_fields(&f, &ts, err) < 0)
            return -1;
    }
    if (__builtin_add_overflow(ts, iv->time, &ts) || !TS_IN_RANGE(ts))
        return ts_range_error(err);
    *out = ts;
    return 0;
}

int
ts_mi_interval(int64_t ts, const Interval *iv, int64_t *out, Err *err)
{
    Interval neg;

    if (interval_negate(iv, &neg, err) < 0)
        return -1;
    return ts_pl_interval(ts, &neg, out, err);
}

int
tstz_pl_interval(int64_t ts, const Interval *iv, const Tz *tz, int64_t *out, Err *err)
{
    if (!TS_IS_FINITE(ts)) {
        *out = ts;
        return 0;
    }
    if (iv->month != 0 || iv->day != 0) {
        DtFields f;

        if (ts_to_fields(ts, tz, &f, err) < 0 ||
            fields_add_months_days(&f, iv->month, iv->day, err) < 0 ||
            tstz_from_fields(&f, tz, &ts, err) < 0)
            return -1;
    }
    if (__builtin_add_overflow(ts, iv->time, &ts) || !TS_IN_RANGE(ts))
        return ts_range_error(err);
    *out = ts;
    return 0;
}

int
tstz_mi_interval(int64_t ts, const Interval *iv, const Tz *tz, int64_t *out, Err *err)
{
    Interval neg;

    if (interval_negate(iv, &neg, err) < 0)
        return -1;
    return tstz_pl_interval(ts, &neg, tz, out, err);
}

int
ts_mi(int64_t a, int64_t b, Interval *out, Err *err)
{
    int64_t t, days;

    if (!TS_IS_FINITE(a) || !TS_IS_FINITE(b))
        return ERR_RAISE(err, ERRCODE_DATETIME_FIELD_OVERFLOW, "cannot subtract infinite timestamps");
    if (__builtin_sub_overflow(a, b, &t))
        return interval_range_error(err);
    days = t / USECS_PER_DAY;
    t -= days * USECS_PER_DAY;
    out->month = 0;
    out->day = (int32_t)days;
    out->time = t;
    return 0;
}

/* ---- text output ------------------------------------------------------------ */

static void
put(Buf *out, const char *s)
{
    buf_append(out, s, strlen(s));
}

static void
putf2(Buf *out, int v)
{
    char tmp[16];

    snprintf(tmp, sizeof tmp, "%02d", v);
    put(out, tmp);
}

/* Year as printed: zero-padded to 4 digits, BC years as 1 - year. */
static void
put_year(Buf *out, int year)
{
    char tmp[16];

    snprintf(tmp, sizeof tmp, "%04d", year > 0 ? year : 1 - year);
    put(out, tmp);
}

/* ".ffffff" without trailing zeros, nothing when usec is 0. */
static void
put_fraction(Buf *out, int usec)
{
    char tmp[16];
    int n;

    if (usec == 0)
        return;
    n = snprintf(tmp, sizeof tmp, ".%06d", usec < 0 ? -usec : usec);
    while (n > 1 && tmp[n - 1] == '0')
        tmp[--n] = '\0';
    put(out, tmp);
}

static void
put_hms(Buf *out, const DtFields *f)
{
    putf2(out, f->hour);
    put(out, ":");
    putf2(out, f->min);
    put(out, ":");
    putf2(out, f->sec);
    put_fraction(out, f->usec);
}

void
dt_format_offset(int32_t gmtoff, Buf *out)
{
    int32_t a = gmtoff < 0 ? -gmtoff : gmtoff;
    char tmp[32];

    snprintf(tmp, sizeof tmp, "%c%02d", gmtoff < 0 ? '-' : '+', a / 3600);
    put(out, tmp);
    if (a % 3600 != 0) {
        put(out, ":");
        putf2(out, a / 60 % 60);
        if (a % 60 != 0) {
            put(out, ":");
            putf2(out, a % 60);
        }
    }
}

static void
put_date_part(Buf *out, const DtFields *f, const TypeIoCtx *io)
{
    int style = io != NULL ? io->datestyle : DATESTYLE_ISO;
    int order = io != NULL ? io->dateorder : DATEORDER_MDY;

    switch (style) {
    case DATESTYLE_SQL:
        if (order == DATEORDER_DMY) {
            putf2(out, f->mday);
            put(out, "/");
            putf2(out, f->mon);
        } else {
            putf2(out, f->mon);
            put(out, "/");
            putf2(out, f->mday);
        }
        put(out, "/");
        put_year(out, f->year);
        break;
    case DATESTYLE_GERMAN:
        putf2(out, f->mday);
        put(out, ".");
        putf2(out, f->mon);
        put(out, ".");
        put_year(out, f->year);
        break;
    case DATESTYLE_POSTGRES:
        if (order == DATEORDER_DMY) {
            putf2(out, f->mday);
            put(out, "-");
            putf2(out, f->mon);
        } else {
            putf2(out, f->mon);
            put(out, "-");
            putf2(out, f->mday);
        }
        put(out, "-");
        put_year(out, f->year);
        break;
    default:
        put_year(out, f->year);
        put(out, "-");
        putf2(out, f->mon);
        put(out, "-");
        putf2(out, f->mday);
        break;
    }
}

void
dt_format_date(int32_t date, const TypeIoCtx *io, Buf *out)
{
    DtFields f;

    if (date == DATE_NOBEGIN) {
        put(out, "-infinity");
        return;
    }
    if (date == DATE_NOEND) {
        put(out, "infinity");
        return;
    }
    date_to_fields(date, &f);
    put_date_part(out, &f, io);
    if (f.year <= 0)
        put(out, " BC");
}

void
dt_format_time(int64_t t, Buf *out)
{
    DtFields f;

    memset(&f, 0, sizeof f);
    time_to_fields(t, &f);
    put_hms(out, &f);
}

/* The zone part of SQL / German / Postgres styles: the abbreviation, else the offset. */
static void
put_zone_name(Buf *out, const DtFields *f)
{
    if (f->abbrev != NULL) {
        put(out, " ");
        put(out, f->abbrev);
    } else {
        put(out, " ");
        dt_format_offset(f->gmtoff, out);
    }
}

static void
format_ts(int64_t ts, bool with_tz, const TypeIoCtx *io, Buf *out)
{
    DtFields f;
    Err err;
    int style = io != NULL ? io->datestyle : DATESTYLE_ISO;

    if (ts == TS_NOBEGIN) {
        put(out, "-infinity");
        return;
    }
    if (ts == TS_NOEND) {
        put(out, "infinity");
        return;
    }
    err_clear(&err);
    if (ts_to_fields(ts, with_tz ? tz_from_io(io) : NULL, &f, &err) < 0) {
        put(out, "infinity"); /* unreachable for stored values: they are in range */
        return;
    }
    if (style == DATESTYLE_POSTGRES) {
        int order = io->dateorder;

        put(out, dt_day_abbrevs[f.wday]);
        put(out, " ");
        if (order == DATEORDER_DMY) {
            putf2(out, f.mday);
            put(out, " ");
            put(out, dt_month_abbrevs[f.mon - 1]);
        } else {
            put(out, dt_month_abbrevs[f.mon - 1]);
            put(out, " ");
            putf2(out, f.mday);
        }
        put(out, " ");
        put_hms(out, &f);
        put(out, " ");
        put_year(out, f.year);
        if (with_tz)
            put_zone_name(out, &f);
    } else {
        put_date_part(out, &f, io);
        put(out, style == DATESTYLE_ISO ? " " : " ");
        put_hms(out, &f);
        if (with_tz) {
            if (style == DATESTYLE_ISO)
                dt_format_offset(f.gmtoff, out);
            else
                put_zone_name(out, &f);
        }
    }
    if (f.year <= 0)
        put(out, " BC");
}

void
dt_format_timestamp(int64_t ts, const TypeIoCtx *io, Buf *out)
{
    format_ts(ts, false, io, out);
}

void
dt_format_timestamptz(int64_t ts, const TypeIoCtx *io, Buf *out)
{
    format_ts(ts, true, io, out);
}

/* Interval fields: years, months, days, hours (64-bit), minutes, seconds, µs, signs as stored. */
typedef struct IvFields {
    int32_t year, mon, day;
    int64_t hour;
    int min, sec, usec;
} IvFields;

static void
iv_fields(const Interval *iv, IvFields *f)
{
    int64_t t = iv->time;

    f->year = iv->month / 12;
    f->mon = iv->month % 12;
    f->day = iv->day;
    f->hour = t / USECS_PER_HOUR;
    t -= f->hour * USECS_PER_HOUR;
    f->min = (int)(t / USECS_PER_MINUTE);
    t -= (int64_t)f->min * USECS_PER_MINUTE;
    f->sec = (int)(t / USECS_PER_SEC);
    f->usec = (int)(t - (int64_t)f->sec * USECS_PER_SEC);
}

static void
put_int(Buf *out, int64_t v)
{
    char tmp[32];

    snprintf(tmp, sizeof tmp, "%lld", (long long)v);
    put(out, tmp);
}

/* Seconds as |sec|[.frac]; zero-padded to two digits when pad. */
static void
put_secs(Buf *out, int sec, int usec, bool pad)
{
    char tmp[16];

    snprintf(tmp, sizeof tmp, pad ? "%02d" : "%d", abs(sec));
    put(out, tmp);
    put_fraction(out, usec);
}

static void
pg_part(Buf *out, int64_t v, const char *unit, bool *is_zero, bool *is_before)
{
    if (v == 0)
        return;
    if (!*is_zero)
        put(out, " ");
    if (*is_before && v > 0)
        put(out, "+");
    put_int(out, v);
    put(out, " ");
    put(out, unit);
    if (v != 1)
        put(out, "s");
    *is_before = v < 0;
    *is_zero = false;
}

static void
verbose_part(Buf *out, int64_t v, const char *unit, bool *is_zero, bool *is_before)
{
    if (v == 0)
        return;
    if (*is_zero) {
        *is_before = v < 0;
        v = v < 0 ? -v : v;
    } else if (*is_before) {
        v = -v;
    }
    put(out, " ");
    put_int(out, v);
    put(out, " ");
    put(out, unit);
    if (v != 1)
        put(out, "s");
    *is_zero = false;
}

static void
iso_part(Buf *out, int64_t v, char unit)
{
    char u[2] = {unit, '\0'};

    if (v == 0)
        return;
    put_int(out, v);
    put(out, u);
}

void
dt_format_interval(const Interval *iv, const TypeIoCtx *io, Buf *out)
{
    IvFields f;
    bool is_zero = true, is_before = false;
    int style = io != NULL ? io->intervalstyle : INTSTYLE_POSTGRES;

    iv_fields(iv, &f);
    switch (style) {
    case INTSTYLE_SQL_STANDARD: {
        bool neg = f.year < 0 || f.mon < 0 || f.day < 0 || f.hour < 0 || f.min < 0 || f.sec < 0 ||
                   f.usec < 0;
        bool pos = f.year > 0 || f.mon > 0 || f.day > 0 || f.hour > 0 || f.min > 0 || f.sec > 0 ||
                   f.usec > 0;
        bool has_ym = f.year != 0 || f.mon != 0;
        bool has_dt = f.day != 0 || f.hour != 0 || f.min != 0 || f.sec != 0 || f.usec != 0;
        bool has_day = f.day != 0;
        bool plain = !(neg && pos) && !(has_ym && has_dt);

        if (!neg && !pos) {
            put(out, "0");
        } else if (!plain) {
            char ys = (f.year < 0 || f.mon < 0) ? '-' : '+';
            char ds = f.day < 0 ? '-' : '+';
            char ss = (f.hour < 0 || f.min < 0 || f.sec < 0 || f.usec < 0) ? '-' : '+';
            char tmp[128];

            snprintf(tmp, sizeof tmp, "%c%d-%d %c%lld %c%lld:%02d:", ys, abs(f.year), abs(f.mon),
                     ds, (long long)llabs(f.day), ss, (long long)llabs(f.hour), abs(f.min));
            put(out, tmp);
            put_secs(out, f.sec, f.usec, true);
        } else {
            char tmp[128];

            if (neg)
                put(out, "-");
            if (has_ym) {
                snprintf(tmp, sizeof tmp, "%d-%d", abs(f.year), abs(f.mon));
                put(out, tmp);
            } else if (has_day) {
                snprintf(tmp, sizeof tmp, "%lld %lld:%02d:", (long long)llabs(f.day),
                         (long long)llabs(f.hour), abs(f.min));
                put(out, tmp);
                put_secs(out, f.sec, f.usec, true);
            } else {
                snprintf(tmp, sizeof tmp, "%lld:%02d:", (long long)llabs(f.hour), abs(f.min));
                put(out, tmp);
                put_secs(out, f.sec, f.usec, true);
            }
        }
        break;
    }
    case INTSTYLE_ISO_8601:
        if (f.year == 0 && f.mon == 0 && f.day == 0 && f.hour == 0 && f.min == 0 && f.sec == 0 &&
            f.usec == 0) {
            put(out, "PT0S");
            break;
        }
        put(out, "P");
        iso_part(out, f.year, 'Y');
        iso_part(out, f.mon, 'M');
        iso_part(out, f.day, 'D');
        if (f.hour != 0 || f.min != 0 || f.sec != 0 || f.usec != 0)
            put(out, "T");
        iso_part(out, f.hour, 'H');
        iso_part(out, f.min, 'M');
        if (f.sec != 0 || f.usec != 0) {
            if (f.sec < 0 || f.usec < 0)
                put(out, "-");
            put_secs(out, f.sec, f.usec, false);
            put(out, "S");
        }
        break;
    case INTSTYLE_POSTGRES_VERBOSE:
        put(out, "@");
        verbose_part(out, f.year, "year", &is_zero, &is_before);
        verbose_part(out, f.mon, "mon", &is_zero, &is_before);
        verbose_part(out, f.day, "day", &is_zero, &is_before);
        verbose_part(out, f.hour, "hour", &is_zero, &is_before);
        verbose_part(out, f.min, "min", &is_zero, &is_before);
        if (f.sec != 0 || f.usec != 0) {
            put(out, " ");
            if (f.sec < 0 || (f.sec == 0 && f.usec < 0)) {
                if (is_zero)
                    is_before = true;
                else if (!is_before)
                    put(out, "-");
            } else if (is_before) {
                put(out, "-");
            }
            put_secs(out, f.sec, f.usec, false);
            put(out, (abs(f.sec) != 1 || f.usec != 0) ? " secs" : " sec");
            is_zero = false;
        }
        if (is_zero)
            put(out, " 0");
        if (is_before)
            put(out, " ago");
        break;
    default:
        pg_part(out, f.year, "year", &is_zero, &is_before);
        pg_part(out, f.mon, "mon", &is_zero, &is_before);
        pg_part(out, f.day, "day", &is_zero, &is_before);
        if (is_zero || f.hour != 0 || f.min != 0 || f.sec != 0 || f.usec != 0) {
            bool minus = f.hour < 0 || f.min < 0 || f.sec < 0 || f.usec < 0;
            char tmp[64];

            snprintf(tmp, sizeof tmp, "%s%s%02lld:%02d:", is_zero ? "" : " ",
                     minus ? "-" : (is_before ? "+" : ""), (long long)llabs(f.hour), abs(f.min));
            put(out, tmp);
            put_secs(out, f.sec, f.usec, true);
        }
        break;
    }
}
