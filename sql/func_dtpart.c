/*
 * sql/func_dtpart.c — taking date/time values apart: extract(field FROM x)
 * (numeric), date_part(text, x) (double precision) and date_trunc, for
 * date, time, timestamp, timestamptz and interval.
 *
 * Pipeline position: built-ins called by the evaluator through the catalog
 * part sql/cat_datetime_funcs.c; values are taken apart with sql/datetime.h.
 *
 * Field names ('year', 'Hours', 'msec', 'epoch' ...) are looked up as
 * PostgreSQL does: lower-cased, then compared on their first 10 characters
 * (TOKMAXLEN) against the interval-unit table, then — for extract and
 * date_part only — the special-word table ('epoch', 'dow', 'julian' ...).
 * A word found as a unit that does not apply is 0A000 "not supported"; a
 * word not found is 22023 "not recognized".
 *
 * Invariants:
 *   1. Results are PostgreSQL 15's: extract's numeric scales (seconds 6,
 *      milliseconds 3, julian a division), date_part's double arithmetic,
 *      infinities (±Infinity for monotonic fields, NULL for the others).
 *   2. timestamptz fields are read in the session's zone; date_trunc of a
 *      timestamptz to a day or more re-resolves the zone offset (DST), below
 *      a day it keeps the original offset.
 *   3. Numeric results are allocated in call->ctx->arena, nothing else is.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sql/datetime.h"
#include "sql/func_datetime.h"
#include "sql/func_datetime_int.h"
#include "sql/numeric.h"

#define TOKMAXLEN 10

/* ---- field names ----------------------------------------------------------------- */

typedef enum Unit {
    U_NONE,
    U_MICROSEC,
    U_MILLISEC,
    U_SECOND,
    U_MINUTE,
    U_HOUR,
    U_DAY,
    U_WEEK,
    U_MONTH,
    U_QUARTER,
    U_YEAR,
    U_DECADE,
    U_CENTURY,
    U_MILLENNIUM,
    U_TZ,
    U_TZ_HOUR,
    U_TZ_MINUTE,
    U_DOW,
    U_DOY,
    U_ISODOW,
    U_ISOYEAR,
    U_JULIAN,
    U_EPOCH,    /* a reserved word */
    U_RESERVED, /* another reserved word: now, today, infinity ... */
} Unit;

typedef enum UnitKind { UK_UNKNOWN, UK_UNITS, UK_RESERV } UnitKind;

typedef struct UnitWord {
    const char *word;
    Unit unit;
} UnitWord;

/* PostgreSQL's interval-unit words (deltatktbl); all are UNITS. */
static const UnitWord DELTA_WORDS[] = {
    {"c", U_CENTURY},
    {"cent", U_CENTURY},
    {"centuries", U_CENTURY},
    {"century", U_CENTURY},
    {"d", U_DAY},
    {"day", U_DAY},
    {"days", U_DAY},
    {"dec", U_DECADE},
    {"decade", U_DECADE},
    {"decades", U_DECADE},
    {"decs", U_DECADE},
    {"h", U_HOUR},
    {"hour", U_HOUR},
    {"hours", U_HOUR},
    {"hr", U_HOUR},
    {"hrs", U_HOUR},
    {"m", U_MINUTE},
    {"microsecon", U_MICROSEC},
    {"mil", U_MILLENNIUM},
    {"millennia", U_MILLENNIUM},
    {"millennium", U_MILLENNIUM},
    {"millisecon", U_MILLISEC},
    {"mils", U_MILLENNIUM},
    {"min", U_MINUTE},
    {"mins", U_MINUTE},
    {"minute", U_MINUTE},
    {"minutes", U_MINUTE},
    {"mon", U_MONTH},
    {"mons", U_MONTH},
    {"month", U_MONTH},
    {"months", U_MONTH},
    {"ms", U_MILLISEC},
    {"msec", U_MILLISEC},
    {"mseconds", U_MILLISEC},
    {"msecs", U_MILLISEC},
    {"qtr", U_QUARTER},
    {"quarter", U_QUARTER},
    {"s", U_SECOND},
    {"sec", U_SECOND},
    {"second", U_SECOND},
    {"seconds", U_SECOND},
    {"secs", U_SECOND},
    {"timezone", U_TZ},
    {"timezone_h", U_TZ_HOUR},
    {"timezone_m", U_TZ_MINUTE},
    {"us", U_MICROSEC},
    {"usec", U_MICROSEC},
    {"useconds", U_MICROSEC},
    {"usecs", U_MICROSEC},
    {"w", U_WEEK},
    {"week", U_WEEK},
    {"weeks", U_WEEK},
    {"y", U_YEAR},
    {"year", U_YEAR},
    {"years", U_YEAR},
    {"yr", U_YEAR},
    {"yrs", U_YEAR},
};

/* The UNITS and RESERV words of PostgreSQL's date-token table (datetktbl). */
static const UnitWord SPECIAL_WORDS[] = {
    {"-infinity", U_RESERVED},
    {"allballs", U_RESERVED},
    {"d", U_DAY},
    {"dow", U_DOW},
    {"doy", U_DOY},
    {"epoch", U_EPOCH},
    {"h", U_HOUR},
    {"infinity", U_RESERVED},
    {"isodow", U_ISODOW},
    {"isoyear", U_ISOYEAR},
    {"j", U_JULIAN},
    {"jd", U_JULIAN},
    {"julian", U_JULIAN},
    {"m", U_MONTH},
    {"mm", U_MINUTE},
    {"now", U_RESERVED},
    {"s", U_SECOND},
    {"today", U_RESERVED},
    {"tomorrow", U_RESERVED},
    {"y", U_YEAR},
    {"yesterday", U_RESERVED},
};

static Unit
find_word(const UnitWord *words, size_t n, const char *low)
{
    for (size_t i = 0; i < n; i++) {
        if (strncmp(words[i].word, low, TOKMAXLEN) == 0)
            return words[i].unit;
    }
    return U_NONE;
}

/* DecodeUnits (and DecodeSpecial when `special`). */
static UnitKind
decode_units(const char *low, bool special, Unit *u)
{
    *u = find_word(DELTA_WORDS, sizeof DELTA_WORDS / sizeof DELTA_WORDS[0], low);
    if (*u != U_NONE)
        return UK_UNITS;
    if (special) {
        *u = find_word(SPECIAL_WORDS, sizeof SPECIAL_WORDS / sizeof SPECIAL_WORDS[0], low);
        if (*u == U_EPOCH || *u == U_RESERVED)
            return UK_RESERV;
        if (*u != U_NONE)
            return UK_UNITS;
    }
    return UK_UNKNOWN;
}

static int
unit_unsupported(const char *low, Oid type, Err *err)
{
    return ERR_RAISE(err, ERRCODE_FEATURE_NOT_SUPPORTED, "unit \"%s\" not supported for type %s",
                     low, type_sql_name(type));
}

static int
unit_unrecognized(const char *low, Oid type, Err *err)
{
    return ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE, "unit \"%s\" not recognized for type %s",
                     low, type_sql_name(type));
}

/* ---- extract and date_part ------------------------------------------------------------ */

typedef enum PartKind { P_NULL, P_INT, P_FLOAT, P_NUM, P_INF } PartKind;

/*
 * One field's value. P_INT is i / 10^scale (exact, for numeric results and
 * integral float ones); P_FLOAT is what date_part computes where PostgreSQL
 * computes in double; P_INF is ±infinity (sign of i).
 */
typedef struct Part {
    PartKind kind;
    int64_t i;
    int scale;
    double f;
    Datum num;
} Part;

static void
part_int(Part *p, int64_t v)
{
    p->kind = P_INT;
    p->i = v;
    p->scale = 0;
}

/* µs-based fields: numeric v / 10^scale, or the double PostgreSQL computes */
static void
part_scaled(Part *p, bool numeric, int64_t v, int scale, double f)
{
    if (numeric) {
        p->kind = P_INT;
        p->i = v;
        p->scale = scale;
    } else {
        p->kind = P_FLOAT;
        p->f = f;
    }
}

static int
part_result(const FnCall *call, const Part *p, bool numeric, Datum *result, bool *isnull)
{
    Arena *a = call->ctx->arena;

    switch (p->kind) {
    case P_NULL:
        *isnull = true;
        return 0;
    case P_INF:
        *result =
            numeric ? numeric_inf(a, p->i < 0) : datum_from_float8(p->i < 0 ? -INFINITY : INFINITY);
        return 0;
    case P_FLOAT:
        *result = datum_from_float8(p->f);
        return 0;
    case P_NUM:
        *result = p->num;
        return 0;
    case P_INT:
        if (numeric)
            *result = p->scale > 0 ? numeric_from_scaled_int64(a, p->i, p->scale)
                                   : numeric_from_int64(a, p->i);
        else
            *result = datum_from_float8((double)p->i);
        return 0;
    }
    return 0;
}

/* Year-derived fields shared by date and timestamp (year is astronomical: 1 BC = 0). */
static int64_t
year_field(Unit u, int year)
{
    switch (u) {
    case U_YEAR:
        return year > 0 ? year : year - 1;
    case U_DECADE:
        return year >= 0 ? year / 10 : -((8 - (year - 1)) / 10);
    case U_CENTURY:
        return year > 0 ? (year + 99) / 100 : -((99 - (year - 1)) / 100);
    case U_MILLENNIUM:
        return year > 0 ? (year + 999) / 1000 : -((999 - (year - 1)) / 1000);
    default:
        return 0;
    }
}

/* Calendar fields of a date (DtFields year/mon/mday); false when u is not one. */
static bool
date_field(Unit u, const DtFields *f, int64_t *v)
{
    int32_t j = dt_date2j(f->year, f->mon, f->mday);
    int iy;

    switch (u) {
    case U_DAY:
        *v = f->mday;
        return true;
    case U_MONTH:
        *v = f->mon;
        return true;
    case U_QUARTER:
        *v = (f->mon - 1) / 3 + 1;
        return true;
    case U_WEEK:
        *v = dt_iso_week(f->year, f->mon, f->mday);
        return true;
    case U_YEAR:
    case U_DECADE:
    case U_CENTURY:
    case U_MILLENNIUM:
        *v = year_field(u, f->year);
        return true;
    case U_ISOYEAR:
        iy = dt_iso_year(f->year, f->mon, f->mday);
        *v = iy <= 0 ? iy - 1 : iy;
        return true;
    case U_DOW:
    case U_ISODOW:
        *v = dt_j2day(j);
        if (u == U_ISODOW && *v == 0)
            *v = 7;
        return true;
    case U_DOY:
        *v = j - dt_date2j(f->year, 1, 1) + 1;
        return true;
    default:
        return false;
    }
}

/* Infinite timestamps: monotonic fields are ±infinity, the others NULL. */
static int
infinite_part(Unit u, UnitKind k, bool negative, const char *low, Oid type, Part *p, Err *err)
{
    if (k == UK_UNKNOWN)
        return unit_unrecognized(low, type, err);
    switch (u) {
    case U_MICROSEC:
    case U_MILLISEC:
    case U_SECOND:
    case U_MINUTE:
    case U_HOUR:
    case U_DAY:
    case U_MONTH:
    case U_QUARTER:
    case U_WEEK:
    case U_DOW:
    case U_ISODOW:
    case U_DOY:
    case U_TZ:
    case U_TZ_MINUTE:
    case U_TZ_HOUR:
        p->kind = P_NULL;
        return 0;
    case U_YEAR:
    case U_DECADE:
    case U_CENTURY:
    case U_MILLENNIUM:
    case U_JULIAN:
    case U_ISOYEAR:
    case U_EPOCH:
        p->kind = P_INF;
        p->i = negative ? -1 : 1;
        return 0;
    default:
        return unit_unsupported(low, type, err);
    }
}

/* A scaled µs value that may not fit in int64 as numeric text: v / 10^6. */
static Datum
numeric_usecs128(Arena *a, __int128 v)
{
    char buf[64];
    unsigned __int128 m = v < 0 ? (unsigned __int128)(-v) : (unsigned __int128)v;
    unsigned long long whole_hi =
        (unsigned long long)(m / 1000000 / UINT64_C(10000000000000000000));
    unsigned long long whole_lo =
        (unsigned long long)(m / 1000000 % UINT64_C(10000000000000000000));
    unsigned long long frac = (unsigned long long)(m % 1000000);
    Datum d = 0;
    Err e;

    if (whole_hi > 0)
        snprintf(buf, sizeof buf, "%s%llu%019llu.%06llu", v < 0 ? "-" : "", whole_hi, whole_lo,
                 frac);
    else
        snprintf(buf, sizeof buf, "%s%llu.%06llu", v < 0 ? "-" : "", whole_lo, frac);
    err_clear(&e);
    numeric_parse(a, buf, strlen(buf), &d, &e);
    return d;
}

/*
 * (ts - epoch) / 1e6 where ts - epoch overflows int64: as PostgreSQL, a
 * numeric division (whose result scale keeps about 16 significant digits)
 * rounded to 6 places — so it is not exact.
 */
static int
epoch_near_end(Arena *a, int64_t ts, Datum *out, Err *err)
{
    Datum diff, q;

    if (numeric_sub(a, numeric_from_int64(a, ts), numeric_from_int64(a, -FDT_EPOCH_OFFSET_US),
                    &diff, err) < 0 ||
        numeric_div(a, diff, numeric_from_int64(a, USECS_PER_SEC), &q, err) < 0)
        return -1;
    return numeric_round(a, q, 6, out, err);
}

static int
julian_part(const FnCall *call, const DtFields *f, bool numeric, Part *p, Err *err)
{
    int64_t day_us = (((int64_t)f->hour * 60 + f->min) * 60 + f->sec) * USECS_PER_SEC + f->usec;
    int32_t j = dt_date2j(f->year, f->mon, f->mday);
    Arena *a = call->ctx->arena;
    Datum frac;

    if (!numeric) {
        p->kind = P_FLOAT;
        p->f = j + ((f->hour * 60 + f->min) * 60 + f->sec + f->usec / 1000000.0) / SECS_PER_DAY;
        return 0;
    }
    if (numeric_div(a, numeric_from_int64(a, day_us), numeric_from_int64(a, USECS_PER_DAY), &frac,
                    err) < 0 ||
        numeric_add(a, numeric_from_int64(a, j), frac, &p->num, err) < 0)
        return -1;
    p->kind = P_NUM;
    return 0;
}

/* timestamp_part_common / timestamptz_part_common */
static int
timestamp_part(const FnCall *call, bool with_tz, bool numeric, Part *p, Err *err)
{
    Oid type = with_tz ? TYPE_TIMESTAMPTZ : TYPE_TIMESTAMP;
    int64_t ts = datum_get_int64(call->args[1]);
    char low[FDT_NAME_MAX + 1];
    DtFields f;
    Unit u;
    UnitKind k;
    int64_t v;

    fdt_lower(datum_get_var(call->args[0]), low);
    k = decode_units(low, true, &u);
    if (!TS_IS_FINITE(ts))
        return infinite_part(u, k, ts == TS_NOBEGIN, low, type, p, err);
    if (k == UK_RESERV) {
        if (u != U_EPOCH)
            return unit_unsupported(low, type, err);
        if (numeric) {
            if (ts < INT64_MAX - FDT_EPOCH_OFFSET_US)
                part_scaled(p, true, ts + FDT_EPOCH_OFFSET_US, 6, 0);
            else if (epoch_near_end(call->ctx->arena, ts, &p->num, err) < 0)
                return -1;
            else
                p->kind = P_NUM;
        } else {
            p->kind = P_FLOAT;
            p->f = ts < INT64_MAX - FDT_EPOCH_OFFSET_US
                       ? (double)(ts + FDT_EPOCH_OFFSET_US) / 1000000.0
                       : ((double)ts + (double)FDT_EPOCH_OFFSET_US) / 1000000.0;
        }
        return 0;
    }
    if (k != UK_UNITS)
        return unit_unrecognized(low, type, err);
    if (ts_to_fields(ts, with_tz ? fdt_session_tz(call) : NULL, &f, err) < 0)
        return -1;
    switch (u) {
    case U_MICROSEC:
        part_int(p, f.sec * USECS_PER_SEC + f.usec);
        return 0;
    case U_MILLISEC:
        part_scaled(p, numeric, f.sec * USECS_PER_SEC + f.usec, 3,
                    f.sec * 1000.0 + f.usec / 1000.0);
        return 0;
    case U_SECOND:
        part_scaled(p, numeric, f.sec * USECS_PER_SEC + f.usec, 6, f.sec + f.usec / 1000000.0);
        return 0;
    case U_MINUTE:
        part_int(p, f.min);
        return 0;
    case U_HOUR:
        part_int(p, f.hour);
        return 0;
    case U_JULIAN:
        return julian_part(call, &f, numeric, p, err);
    case U_TZ:
    case U_TZ_MINUTE:
    case U_TZ_HOUR:
        if (!with_tz)
            return unit_unsupported(low, type, err);
        part_int(p, u == U_TZ        ? f.gmtoff
                    : u == U_TZ_HOUR ? f.gmtoff / SECS_PER_HOUR
                                     : (f.gmtoff / SECS_PER_MINUTE) % 60);
        return 0;
    default:
        if (!date_field(u, &f, &v))
            return unit_unsupported(low, type, err);
        part_int(p, v);
        return 0;
    }
}

static int
date_part_of_date(const FnCall *call, Part *p, Err *err)
{
    int32_t date = datum_get_int32(call->args[1]);
    char low[FDT_NAME_MAX + 1];
    DtFields f;
    Unit u;
    UnitKind k;
    int64_t v;

    fdt_lower(datum_get_var(call->args[0]), low);
    k = decode_units(low, true, &u);
    if (!DATE_IS_FINITE(date) && k != UK_UNKNOWN) {
        switch (u) {
        case U_DAY:
        case U_MONTH:
        case U_QUARTER:
        case U_WEEK:
        case U_DOW:
        case U_ISODOW:
        case U_DOY:
            p->kind = P_NULL;
            return 0;
        case U_YEAR:
        case U_DECADE:
        case U_CENTURY:
        case U_MILLENNIUM:
        case U_JULIAN:
        case U_ISOYEAR:
        case U_EPOCH:
            p->kind = P_INF;
            p->i = date == DATE_NOBEGIN ? -1 : 1;
            return 0;
        default:
            return unit_unsupported(low, TYPE_DATE, err);
        }
    }
    if (k == UK_RESERV) {
        if (u != U_EPOCH)
            return unit_unsupported(low, TYPE_DATE, err);
        part_int(p, ((int64_t)date + POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY);
        return 0;
    }
    if (k != UK_UNITS)
        return unit_unrecognized(low, TYPE_DATE, err);
    date_to_fields(date, &f);
    if (u == U_JULIAN) {
        part_int(p, (int64_t)date + POSTGRES_EPOCH_JDATE);
        return 0;
    }
    if (!date_field(u, &f, &v))
        return unit_unsupported(low, TYPE_DATE, err);
    part_int(p, v);
    return 0;
}

static int
time_part(const FnCall *call, bool numeric, Part *p, Err *err)
{
    int64_t t = datum_get_int64(call->args[1]);
    char low[FDT_NAME_MAX + 1];
    DtFields f;
    Unit u;
    UnitKind k;

    fdt_lower(datum_get_var(call->args[0]), low);
    k = decode_units(low, true, &u);
    if (k == UK_RESERV && u == U_EPOCH) {
        part_scaled(p, numeric, t, 6, t / 1000000.0);
        return 0;
    }
    if (k != UK_UNITS)
        return unit_unrecognized(low, TYPE_TIME, err);
    memset(&f, 0, sizeof f);
    time_to_fields(t, &f);
    switch (u) {
    case U_MICROSEC:
        part_int(p, f.sec * USECS_PER_SEC + f.usec);
        return 0;
    case U_MILLISEC:
        part_scaled(p, numeric, f.sec * USECS_PER_SEC + f.usec, 3,
                    f.sec * 1000.0 + f.usec / 1000.0);
        return 0;
    case U_SECOND:
        part_scaled(p, numeric, f.sec * USECS_PER_SEC + f.usec, 6, f.sec + f.usec / 1000000.0);
        return 0;
    case U_MINUTE:
        part_int(p, f.min);
        return 0;
    case U_HOUR:
        part_int(p, f.hour);
        return 0;
    default:
        return unit_unsupported(low, TYPE_TIME, err);
    }
}

static int
interval_part(const FnCall *call, bool numeric, Part *p, Err *err)
{
    Interval iv = interval_get(call->args[1]);
    char low[FDT_NAME_MAX + 1];
    DtFields f;
    Unit u;
    UnitKind k;
    int64_t secs;

    fdt_lower(datum_get_var(call->args[0]), low);
    k = decode_units(low, true, &u);
    if (k == UK_RESERV && u == U_EPOCH) {
        /* a year is 365.25 days, a month 30 */
        secs = INT64_C(31557600) * (iv.month / MONTHS_PER_YEAR) +
               (int64_t)DAYS_PER_MONTH * SECS_PER_DAY * (iv.month % MONTHS_PER_YEAR) +
               (int64_t)SECS_PER_DAY * iv.day;
        if (numeric) {
            p->kind = P_NUM;
            p->num = numeric_usecs128(call->ctx->arena, (__int128)secs * USECS_PER_SEC + iv.time);
        } else {
            p->kind = P_FLOAT;
            p->f = iv.time / 1000000.0;
            p->f += 365.25 * SECS_PER_DAY * (iv.month / MONTHS_PER_YEAR);
            p->f += (double)DAYS_PER_MONTH * SECS_PER_DAY * (iv.month % MONTHS_PER_YEAR);
            p->f += (double)SECS_PER_DAY * iv.day;
        }
        return 0;
    }
    if (k != UK_UNITS)
        return unit_unrecognized(low, TYPE_INTERVAL, err);
    fdt_interval_fields(&iv, &f);
    switch (u) {
    case U_MICROSEC:
        part_int(p, f.sec * USECS_PER_SEC + f.usec);
        return 0;
    case U_MILLISEC:
        part_scaled(p, numeric, f.sec * USECS_PER_SEC + f.usec, 3,
                    f.sec * 1000.0 + f.usec / 1000.0);
        return 0;
    case U_SECOND:
        part_scaled(p, numeric, f.sec * USECS_PER_SEC + f.usec, 6, f.sec + f.usec / 1000000.0);
        return 0;
    case U_MINUTE:
        part_int(p, f.min);
        return 0;
    case U_HOUR:
        part_int(p, fdt_interval_hours(&iv));
        return 0;
    case U_DAY:
        part_int(p, f.mday);
        return 0;
    case U_MONTH:
        part_int(p, f.mon);
        return 0;
    case U_QUARTER:
        part_int(p, f.mon / 3 + 1);
        return 0;
    case U_YEAR:
        part_int(p, f.year);
        return 0;
    case U_DECADE:
        part_int(p, f.year / 10);
        return 0;
    case U_CENTURY:
        part_int(p, f.year / 100);
        return 0;
    case U_MILLENNIUM:
        part_int(p, f.year / 1000);
        return 0;
    default:
        return unit_unsupported(low, TYPE_INTERVAL, err);
    }
}

#define PART_FN(name, numeric, expr)                                                               \
    BUILTIN(name)                                                                                  \
    {                                                                                              \
        Part p = {0};                                                                              \
        if ((expr) < 0)                                                                            \
            return -1;                                                                             \
        return part_result(call, &p, numeric, result, isnull);                                     \
    }

PART_FN(fn_extract_date, true, date_part_of_date(call, &p, err))
PART_FN(fn_extract_time, true, time_part(call, true, &p, err))
PART_FN(fn_extract_timestamp, true, timestamp_part(call, false, true, &p, err))
PART_FN(fn_extract_timestamptz, true, timestamp_part(call, true, true, &p, err))
PART_FN(fn_extract_interval, true, interval_part(call, true, &p, err))
PART_FN(fn_date_part_time, false, time_part(call, false, &p, err))
PART_FN(fn_date_part_timestamp, false, timestamp_part(call, false, false, &p, err))
PART_FN(fn_date_part_timestamptz, false, timestamp_part(call, true, false, &p, err))
PART_FN(fn_date_part_interval, false, interval_part(call, false, &p, err))

/* date_part(text, date) is PostgreSQL's SQL function date_part($1, $2::timestamp). */
BUILTIN(fn_date_part_date)
{
    Datum args[2];
    FnCall c = *call;
    int64_t ts;
    Part p = {0};

    if (date_to_ts(datum_get_int32(call->args[1]), &ts, err) < 0)
        return -1;
    args[0] = call->args[0];
    args[1] = datum_from_int64(ts);
    c.args = args;
    if (timestamp_part(&c, false, false, &p, err) < 0)
        return -1;
    return part_result(call, &p, false, result, isnull);
}

/* ---- date_trunc ------------------------------------------------------------------------ */

/*
 * Truncates calendar fields to unit u (astronomical years); false when u
 * cannot truncate a timestamp. *day_or_more: the zone offset must be
 * recomputed (timestamptz truncated to a day or more).
 */
static bool
trunc_fields(Unit u, DtFields *f, bool *day_or_more)
{
    int woy;

    *day_or_more = false;
    switch (u) {
    case U_WEEK:
        woy = dt_iso_week(f->year, f->mon, f->mday);
        /* weeks 52/53 in January belong to the previous year, week 1 in December to the next */
        if (woy >= 52 && f->mon == 1)
            f->year--;
        if (woy <= 1 && f->mon == MONTHS_PER_YEAR)
            f->year++;
        dt_j2date(dt_isoweek2j(f->year, woy, 1), &f->year, &f->mon, &f->mday);
        f->hour = f->min = f->sec = f->usec = 0;
        *day_or_more = true;
        return true;
    case U_MILLENNIUM:
        f->year = f->year > 0 ? ((f->year + 999) / 1000) * 1000 - 999
                              : -((999 - (f->year - 1)) / 1000) * 1000 + 1;
        /* fall through */
    case U_CENTURY:
        f->year = f->year > 0 ? ((f->year + 99) / 100) * 100 - 99
                              : -((99 - (f->year - 1)) / 100) * 100 + 1;
        /* fall through */
    case U_DECADE:
        if (u == U_DECADE)
            f->year = f->year > 0 ? (f->year / 10) * 10 : -((8 - (f->year - 1)) / 10) * 10;
        /* fall through */
    case U_YEAR:
        f->mon = 1;
        /* fall through */
    case U_QUARTER:
        f->mon = 3 * ((f->mon - 1) / 3) + 1;
        /* fall through */
    case U_MONTH:
        f->mday = 1;
        /* fall through */
    case U_DAY:
        f->hour = 0;
        *day_or_more = true;
        /* fall through */
    case U_HOUR:
        f->min = 0;
        /* fall through */
    case U_MINUTE:
        f->sec = 0;
        /* fall through */
    case U_SECOND:
        f->usec = 0;
        return true;
    case U_MILLISEC:
        f->usec = (f->usec / 1000) * 1000;
        return true;
    case U_MICROSEC:
        return true;
    default:
        return false;
    }
}

BUILTIN(fn_date_trunc_timestamp)
{
    int64_t ts = datum_get_int64(call->args[1]);
    char low[FDT_NAME_MAX + 1];
    bool day;
    DtFields f;
    Unit u;

    (void)isnull;
    if (!TS_IS_FINITE(ts)) {
        *result = datum_from_int64(ts);
        return 0;
    }
    fdt_lower(datum_get_var(call->args[0]), low);
    if (decode_units(low, false, &u) != UK_UNITS)
        return unit_unrecognized(low, TYPE_TIMESTAMP, err);
    if (ts_to_fields(ts, NULL, &f, err) < 0)
        return -1;
    if (!trunc_fields(u, &f, &day))
        return unit_unsupported(low, TYPE_TIMESTAMP, err);
    if (ts_from_fields(&f, &ts, err) < 0)
        return -1;
    *result = datum_from_int64(ts);
    return 0;
}

/* timestamptz_trunc_internal: truncation in zone tz. */
static int
trunc_tstz(const char *low, int64_t ts, const Tz *tz, int64_t *out, Err *err)
{
    bool day;
    DtFields f;
    Unit u;

    if (decode_units(low, false, &u) != UK_UNITS)
        return unit_unrecognized(low, TYPE_TIMESTAMPTZ, err);
    if (ts_to_fields(ts, tz, &f, err) < 0)
        return -1;
    if (!trunc_fields(u, &f, &day))
        return unit_unsupported(low, TYPE_TIMESTAMPTZ, err);
    if (day)
        return tstz_from_fields(&f, tz, out, err);
    /* below a day the original offset stays (a DST change inside the hour is kept) */
    if (ts_from_fields(&f, out, err) < 0)
        return -1;
    *out -= (int64_t)f.gmtoff * USECS_PER_SEC;
    return 0;
}

BUILTIN(fn_date_trunc_timestamptz)
{
    int64_t ts = datum_get_int64(call->args[1]);
    char low[FDT_NAME_MAX + 1];

    (void)isnull;
    if (!TS_IS_FINITE(ts)) {
        *result = datum_from_int64(ts);
        return 0;
    }
    fdt_lower(datum_get_var(call->args[0]), low);
    if (trunc_tstz(low, ts, fdt_session_tz(call), &ts, err) < 0)
        return -1;
    *result = datum_from_int64(ts);
    return 0;
}

BUILTIN(fn_date_trunc_timestamptz_zone)
{
    int64_t ts = datum_get_int64(call->args[1]);
    char low[FDT_NAME_MAX + 1];
    const Tz *tz;

    (void)isnull;
    if (!TS_IS_FINITE(ts)) {
        *result = datum_from_int64(ts);
        return 0;
    }
    if (fdt_lookup_zone(datum_get_var(call->args[2]), &tz, err) < 0)
        return -1;
    fdt_lower(datum_get_var(call->args[0]), low);
    if (trunc_tstz(low, ts, tz, &ts, err) < 0)
        return -1;
    *result = datum_from_int64(ts);
    return 0;
}

BUILTIN(fn_date_trunc_interval)
{
    Interval iv = interval_get(call->args[1]), out;
    char low[FDT_NAME_MAX + 1];
    int64_t hours = fdt_interval_hours(&iv);
    DtFields f;
    Unit u;

    (void)isnull;
    fdt_lower(datum_get_var(call->args[0]), low);
    if (decode_units(low, false, &u) != UK_UNITS)
        return unit_unrecognized(low, TYPE_INTERVAL, err);
    fdt_interval_fields(&iv, &f);
    switch (u) {
    case U_MILLENNIUM:
        f.year = (f.year / 1000) * 1000;
        /* fall through */
    case U_CENTURY:
        f.year = (f.year / 100) * 100;
        /* fall through */
    case U_DECADE:
        f.year = (f.year / 10) * 10;
        /* fall through */
    case U_YEAR:
        f.mon = 0;
        /* fall through */
    case U_QUARTER:
        f.mon = 3 * (f.mon / 3);
        /* fall through */
    case U_MONTH:
        f.mday = 0;
        /* fall through */
    case U_DAY:
        hours = 0;
        /* fall through */
    case U_HOUR:
        f.min = 0;
        /* fall through */
    case U_MINUTE:
        f.sec = 0;
        /* fall through */
    case U_SECOND:
        f.usec = 0;
        break;
    case U_MILLISEC:
        f.usec = (f.usec / 1000) * 1000;
        break;
    case U_MICROSEC:
        break;
    default:
        unit_unsupported(low, TYPE_INTERVAL, err);
        if (u == U_WEEK)
            err_detail(err, "Months usually have fractional weeks.");
        return -1;
    }
    if (fdt_interval_from_fields(f.year, f.mon, f.mday, hours, f.min, f.sec, f.usec, &out, err) < 0)
        return -1;
    *result = fdt_interval_result(call, &out);
    return 0;
}
