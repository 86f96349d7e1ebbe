/*
 * sql/datetime_ops.c — the operators and casts of the date/time types
 * (date, time, timestamp, timestamptz, interval) for sql/cat_datetime.c.
 *
 * Same-type comparisons of date, time, timestamp and timestamptz use the
 * integer comparison built-ins (their Datums are sign-extended integers,
 * datum.h invariant 1); everything else is here.
 *
 * Invariants:
 *   1. Anything that depends on the session zone (timestamptz day
 *      arithmetic, casts between timestamp, timestamptz and date) reads it
 *      through tz_from_io(call->ctx->io), so these functions are STABLE.
 *   2. Fixed-width results never allocate; intervals go to call->ctx->arena.
 */
#include "sql/datetime_ops.h"

#include <stdio.h>
#include <string.h>

#include "common/errcodes.h"
#include "sql/datetime.h"

#define ARG_I32(n) datum_get_int32(call->args[n])
#define ARG_I64(n) datum_get_int64(call->args[n])
#define ARG_IV(n) interval_get(call->args[n])
#define ARG_F8(n) datum_get_float8(call->args[n])

static const Tz *
session_tz(const FnCall *call)
{
    return tz_from_io(call->ctx != NULL ? call->ctx->io : NULL);
}

static int
ret_iv(const FnCall *call, int rc, const Interval *iv, Datum *result)
{
    if (rc == 0)
        *result = interval_datum(call->ctx->arena, iv);
    return rc;
}

static int
date_range_error(Err *err)
{
    return ERR_RAISE(err, ERRCODE_DATETIME_FIELD_OVERFLOW, "date out of range");
}

/* ---- date ------------------------------------------------------------------- */

static int
date_add_days(int32_t date, int64_t days, Datum *result, Err *err)
{
    int64_t r;

    if (!DATE_IS_FINITE(date)) {
        *result = datum_from_int32(date);
        return 0;
    }
    r = (int64_t)date + days;
    if (!DATE_IN_RANGE(r))
        return date_range_error(err);
    *result = datum_from_int32((int32_t)r);
    return 0;
}

BUILTIN(dt_date_pli)
{
    (void)isnull;
    return date_add_days(ARG_I32(0), ARG_I32(1), result, err);
}

BUILTIN(dt_int_pl_date)
{
    (void)isnull;
    return date_add_days(ARG_I32(1), ARG_I32(0), result, err);
}

BUILTIN(dt_date_mii)
{
    (void)isnull;
    return date_add_days(ARG_I32(0), -(int64_t)ARG_I32(1), result, err);
}

BUILTIN(dt_date_mi)
{
    int32_t a = ARG_I32(0), b = ARG_I32(1);

    (void)isnull;
    if (!DATE_IS_FINITE(a) || !DATE_IS_FINITE(b))
        return ERR_RAISE(err, ERRCODE_DATETIME_FIELD_OVERFLOW, "cannot subtract infinite dates");
    *result = datum_from_int32(a - b);
    return 0;
}

/* date + time → timestamp */
static int
date_time_pl(int32_t date, int64_t t, Datum *result, Err *err)
{
    int64_t ts;

    if (date_to_ts(date, &ts, err) < 0)
        return -1;
    if (TS_IS_FINITE(ts)) {
        ts += t;
        if (!TS_IN_RANGE(ts))
            return ERR_RAISE(err, ERRCODE_DATETIME_FIELD_OVERFLOW, "timestamp out of range");
    }
    *result = datum_from_int64(ts);
    return 0;
}

BUILTIN(dt_datetime_pl)
{
    (void)isnull;
    return date_time_pl(ARG_I32(0), ARG_I64(1), result, err);
}

BUILTIN(dt_timedate_pl)
{
    (void)isnull;
    return date_time_pl(ARG_I32(1), ARG_I64(0), result, err);
}

BUILTIN(dt_date_pl_interval)
{
    int64_t ts, r = 0;
    Interval iv = ARG_IV(1);

    (void)isnull;
    if (date_to_ts(ARG_I32(0), &ts, err) < 0)
        return -1;
    if (ts_pl_interval(ts, &iv, &r, err) < 0)
        return -1;
    *result = datum_from_int64(r);
    return 0;
}

BUILTIN(dt_interval_pl_date)
{
    int64_t ts, r = 0;
    Interval iv = ARG_IV(0);

    (void)isnull;
    if (date_to_ts(ARG_I32(1), &ts, err) < 0)
        return -1;
    if (ts_pl_interval(ts, &iv, &r, err) < 0)
        return -1;
    *result = datum_from_int64(r);
    return 0;
}

BUILTIN(dt_date_mi_interval)
{
    int64_t ts, r = 0;
    Interval iv = ARG_IV(1);

    (void)isnull;
    if (date_to_ts(ARG_I32(0), &ts, err) < 0)
        return -1;
    if (ts_mi_interval(ts, &iv, &r, err) < 0)
        return -1;
    *result = datum_from_int64(r);
    return 0;
}

/*
 * date vs timestamp: the date as midnight. A date past the timestamp range
 * still compares (greater than every finite timestamp), as PostgreSQL 15's
 * date2timestamp_opt_overflow.
 */
static int
cmp_date_ts(int32_t date, int64_t ts, const Tz *tz)
{
    int64_t d;
    Err e;

    err_clear(&e);
    if (date == DATE_NOBEGIN)
        d = TS_NOBEGIN;
    else if (date == DATE_NOEND)
        d = TS_NOEND;
    else if (date >= TIMESTAMP_END_JULIAN - POSTGRES_EPOCH_JDATE)
        return ts == TS_NOEND ? -1 : 1;
    else if (tz != NULL ? date_to_tstz(date, tz, &d, &e) < 0 : date_to_ts(date, &d, &e) < 0)
        return date < 0 ? (ts == TS_NOBEGIN ? 1 : -1) : (ts == TS_NOEND ? -1 : 1);
    return d < ts ? -1 : d > ts ? 1 : 0;
}

/* timestamp vs timestamptz: the timestamp read in the session zone. */
static int
cmp_ts_tstz(int64_t ts, int64_t tstz, const Tz *tz)
{
    int64_t v;
    Err e;

    err_clear(&e);
    if (ts_to_tstz(ts, tz, &v, &e) < 0)
        return ts < 0 ? -1 : 1;
    return v < tstz ? -1 : v > tstz ? 1 : 0;
}

enum { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE };

static bool
cmp_result(int c, int op)
{
    switch (op) {
    case OP_EQ:
        return c == 0;
    case OP_NE:
        return c != 0;
    case OP_LT:
        return c < 0;
    case OP_LE:
        return c <= 0;
    case OP_GT:
        return c > 0;
    default:
        return c >= 0;
    }
}

/* The mirror of an operator when the operands swap sides. */
static int
flip(int op)
{
    static const int m[] = {OP_EQ, OP_NE, OP_GT, OP_GE, OP_LT, OP_LE};

    return m[op];
}

#define CROSS_CMP(suffix, op)                                                                      \
    BUILTIN(dt_date_##suffix##_ts)                                                                 \
    {                                                                                              \
        (void)isnull;                                                                              \
        (void)err;                                                                                 \
        *result = datum_from_bool(cmp_result(cmp_date_ts(ARG_I32(0), ARG_I64(1), NULL), op));     \
        return 0;                                                                                  \
    }                                                                                              \
    BUILTIN(dt_ts_##suffix##_date)                                                                 \
    {                                                                                              \
        (void)isnull;                                                                              \
        (void)err;                                                                                 \
        *result =                                                                                  \
            datum_from_bool(cmp_result(cmp_date_ts(ARG_I32(1), ARG_I64(0), NULL), flip(op)));     \
        return 0;                                                                                  \
    }                                                                                              \
    BUILTIN(dt_date_##suffix##_tstz)                                                               \
    {                                                                                              \
        (void)isnull;                                                                              \
        (void)err;                                                                                 \
        *result = datum_from_bool(                                                                 \
            cmp_result(cmp_date_ts(ARG_I32(0), ARG_I64(1), session_tz(call)), op));               \
        return 0;                                                                                  \
    }                                                                                              \
    BUILTIN(dt_tstz_##suffix##_date)                                                               \
    {                                                                                              \
        (void)isnull;                                                                              \
        (void)err;                                                                                 \
        *result = datum_from_bool(                                                                 \
            cmp_result(cmp_date_ts(ARG_I32(1), ARG_I64(0), session_tz(call)), flip(op)));         \
        return 0;                                                                                  \
    }                                                                                              \
    BUILTIN(dt_ts_##suffix##_tstz)                                                                 \
    {                                                                                              \
        (void)isnull;                                                                              \
        (void)err;                                                                                 \
        *result = datum_from_bool(                                                                 \
            cmp_result(cmp_ts_tstz(ARG_I64(0), ARG_I64(1), session_tz(call)), op));               \
        return 0;                                                                                  \
    }                                                                                              \
    BUILTIN(dt_tstz_##suffix##_ts)                                                                 \
    {                                                                                              \
        (void)isnull;                                                                              \
        (void)err;                                                                                 \
        *result = datum_from_bool(                                                                 \
            cmp_result(cmp_ts_tstz(ARG_I64(1), ARG_I64(0), session_tz(call)), flip(op)));         \
        return 0;                                                                                  \
    }                                                                                              \
    BUILTIN(dt_interval_##suffix)                                                                  \
    {                                                                                              \
        Interval a = ARG_IV(0), b = ARG_IV(1);                                                     \
        (void)isnull;                                                                              \
        (void)err;                                                                                 \
        *result = datum_from_bool(cmp_result(interval_cmp(&a, &b), op));                          \
        return 0;                                                                                  \
    }

CROSS_CMP(eq, OP_EQ)
CROSS_CMP(ne, OP_NE)
CROSS_CMP(lt, OP_LT)
CROSS_CMP(le, OP_LE)
CROSS_CMP(gt, OP_GT)
CROSS_CMP(ge, OP_GE)

/* ---- time ------------------------------------------------------------------- */

static int64_t
wrap_day(int64_t t)
{
    t %= USECS_PER_DAY;
    return t < 0 ? t + USECS_PER_DAY : t;
}

BUILTIN(dt_time_pl_interval)
{
    Interval iv = ARG_IV(1);

    (void)isnull;
    (void)err;
    *result = datum_from_int64(wrap_day(wrap_day(ARG_I64(0)) + wrap_day(iv.time)));
    return 0;
}

BUILTIN(dt_interval_pl_time)
{
    Interval iv = ARG_IV(0);

    (void)isnull;
    (void)err;
    *result = datum_from_int64(wrap_day(wrap_day(ARG_I64(1)) + wrap_day(iv.time)));
    return 0;
}

BUILTIN(dt_time_mi_interval)
{
    Interval iv = ARG_IV(1);

    (void)isnull;
    (void)err;
    *result = datum_from_int64(wrap_day(wrap_day(ARG_I64(0)) - wrap_day(iv.time)));
    return 0;
}

BUILTIN(dt_time_mi_time)
{
    Interval iv = {ARG_I64(0) - ARG_I64(1), 0, 0};

    (void)isnull;
    (void)err;
    return ret_iv(call, 0, &iv, result);
}

/* ---- timestamp and timestamptz ------------------------------------------------ */

BUILTIN(dt_ts_pl_interval)
{
    Interval iv = ARG_IV(1);
    int64_t r = 0;

    (void)isnull;
    if (ts_pl_interval(ARG_I64(0), &iv, &r, err) < 0)
        return -1;
    *result = datum_from_int64(r);
    return 0;
}

BUILTIN(dt_interval_pl_ts)
{
    Interval iv = ARG_IV(0);
    int64_t r = 0;

    (void)isnull;
    if (ts_pl_interval(ARG_I64(1), &iv, &r, err) < 0)
        return -1;
    *result = datum_from_int64(r);
    return 0;
}

BUILTIN(dt_ts_mi_interval)
{
    Interval iv = ARG_IV(1);
    int64_t r = 0;

    (void)isnull;
    if (ts_mi_interval(ARG_I64(0), &iv, &r, err) < 0)
        return -1;
    *result = datum_from_int64(r);
    return 0;
}

BUILTIN(dt_tstz_pl_interval)
{
    Interval iv = ARG_IV(1);
    int64_t r = 0;

    (void)isnull;
    if (tstz_pl_interval(ARG_I64(0), &iv, session_tz(call), &r, err) < 0)
        return -1;
    *result = datum_from_int64(r);
    return 0;
}

BUILTIN(dt_interval_pl_tstz)
{
    Interval iv = ARG_IV(0);
    int64_t r = 0;

    (void)isnull;
    if (tstz_pl_interval(ARG_I64(1), &iv, session_tz(call), &r, err) < 0)
        return -1;
    *result = datum_from_int64(r);
    return 0;
}

BUILTIN(dt_tstz_mi_interval)
{
    Interval iv = ARG_IV(1);
    int64_t r = 0;

    (void)isnull;
    if (tstz_mi_interval(ARG_I64(0), &iv, session_tz(call), &r, err) < 0)
        return -1;
    *result = datum_from_int64(r);
    return 0;
}

BUILTIN(dt_ts_mi)
{
    Interval iv;

    (void)isnull;
    if (ts_mi(ARG_I64(0), ARG_I64(1), &iv, err) < 0)
        return -1;
    *result = interval_datum(call->ctx->arena, &iv);
    return 0;
}

/* ---- interval ------------------------------------------------------------------ */

BUILTIN(dt_interval_um)
{
    Interval a = ARG_IV(0), r;

    (void)isnull;
    if (interval_negate(&a, &r, err) < 0)
        return -1;
    *result = interval_datum(call->ctx->arena, &r);
    return 0;
}

BUILTIN(dt_interval_pl)
{
    Interval a = ARG_IV(0), b = ARG_IV(1), r;

    (void)isnull;
    if (interval_add(&a, &b, &r, err) < 0)
        return -1;
    *result = interval_datum(call->ctx->arena, &r);
    return 0;
}

BUILTIN(dt_interval_mi)
{
    Interval a = ARG_IV(0), b = ARG_IV(1), r;

    (void)isnull;
    if (interval_sub(&a, &b, &r, err) < 0)
        return -1;
    *result = interval_datum(call->ctx->arena, &r);
    return 0;
}

BUILTIN(dt_interval_mul)
{
    Interval a = ARG_IV(0), r;

    (void)isnull;
    if (interval_mul(&a, ARG_F8(1), &r, err) < 0)
        return -1;
    *result = interval_datum(call->ctx->arena, &r);
    return 0;
}

BUILTIN(dt_mul_d_interval)
{
    Interval a = ARG_IV(1), r;

    (void)isnull;
    if (interval_mul(&a, ARG_F8(0), &r, err) < 0)
        return -1;
    *result = interval_datum(call->ctx->arena, &r);
    return 0;
}

BUILTIN(dt_interval_div)
{
    Interval a = ARG_IV(0), r;

    (void)isnull;
    if (interval_div(&a, ARG_F8(1), &r, err) < 0)
        return -1;
    *result = interval_datum(call->ctx->arena, &r);
    return 0;
}

/* ---- casts ---------------------------------------------------------------------- */

BUILTIN(dt_date_to_ts)
{
    int64_t r = 0;

    (void)isnull;
    if (date_to_ts(ARG_I32(0), &r, err) < 0)
        return -1;
    *result = datum_from_int64(r);
    return 0;
}

BUILTIN(dt_date_to_tstz)
{
    int64_t r = 0;

    (void)isnull;
    if (date_to_tstz(ARG_I32(0), session_tz(call), &r, err) < 0)
        return -1;
    *result = datum_from_int64(r);
    return 0;
}

BUILTIN(dt_ts_to_date)
{
    int32_t d = 0;

    (void)isnull;
    if (ts_to_date(ARG_I64(0), &d, err) < 0)
        return -1;
    *result = datum_from_int32(d);
    return 0;
}

BUILTIN(dt_tstz_to_date)
{
    int32_t d = 0;

    (void)isnull;
    if (tstz_to_date(ARG_I64(0), session_tz(call), &d, err) < 0)
        return -1;
    *result = datum_from_int32(d);
    return 0;
}

BUILTIN(dt_ts_to_time)
{
    int64_t ts = ARG_I64(0);

    (void)isnull;
    if (!TS_IS_FINITE(ts)) {
        *isnull = true;
        return 0;
    }
    (void)err;
    *result = datum_from_int64(wrap_day(ts));
    return 0;
}

BUILTIN(dt_tstz_to_time)
{
    int64_t ts = ARG_I64(0), local = 0;

    if (!TS_IS_FINITE(ts)) {
        *isnull = true;
        return 0;
    }
    if (tstz_to_ts(ts, session_tz(call), &local, err) < 0)
        return -1;
    *result = datum_from_int64(wrap_day(local));
    return 0;
}

BUILTIN(dt_ts_to_tstz)
{
    int64_t r = 0;

    (void)isnull;
    if (ts_to_tstz(ARG_I64(0), session_tz(call), &r, err) < 0)
        return -1;
    *result = datum_from_int64(r);
    return 0;
}

BUILTIN(dt_tstz_to_ts)
{
    int64_t r = 0;

    (void)isnull;
    if (tstz_to_ts(ARG_I64(0), session_tz(call), &r, err) < 0)
        return -1;
    *result = datum_from_int64(r);
    return 0;
}

BUILTIN(dt_time_to_interval)
{
    Interval iv = {ARG_I64(0), 0, 0};

    (void)isnull;
    (void)err;
    *result = interval_datum(call->ctx->arena, &iv);
    return 0;
}

BUILTIN(dt_interval_to_time)
{
    Interval iv = ARG_IV(0);

    (void)isnull;
    (void)err;
    *result = datum_from_int64(wrap_day(iv.time));
    return 0;
}

/* ---- typmods -------------------------------------------------------------------- */

BUILTIN(dt_time_scale)
{
    (void)isnull;
    (void)err;
    *result = datum_from_int64(dt_round_usec(ARG_I64(0), ARG_I32(1)));
    return 0;
}

BUILTIN(dt_ts_scale)
{
    int64_t v = ARG_I64(0);

    (void)isnull;
    if (TS_IS_FINITE(v)) {
        v = dt_round_usec(v, ARG_I32(1));
        if (!TS_IN_RANGE(v))
            return ERR_RAISE(err, ERRCODE_DATETIME_FIELD_OVERFLOW, "timestamp out of range");
    }
    *result = datum_from_int64(v);
    return 0;
}

BUILTIN(dt_interval_scale)
{
    Interval iv = ARG_IV(0);
    int32_t typmod = ARG_I32(1);

    (void)isnull;
    (void)err;
    dt_interval_apply_typmod(&iv, typmod);
    *result = interval_datum(call->ctx->arena, &iv);
    return 0;
}

void
dt_interval_apply_typmod(Interval *iv, int32_t typmod)
{
    int range, precision;

    if (typmod < 0)
        return;
    range = (typmod >> 16) & 0x7FFF;
    precision = typmod & 0xFFFF;
    if (range != DT_INTERVAL_FULL_RANGE) {
        if (range == DT_IM_YEAR) {
            iv->month = iv->month / 12 * 12;
            iv->day = 0;
            iv->time = 0;
        } else if (range == DT_IM_MONTH || range == (DT_IM_YEAR | DT_IM_MONTH)) {
            iv->day = 0;
            iv->time = 0;
        } else if (range == DT_IM_DAY) {
            iv->time = 0;
        } else if (range == DT_IM_HOUR || range == (DT_IM_DAY | DT_IM_HOUR)) {
            iv->time = iv->time / USECS_PER_HOUR * USECS_PER_HOUR;
        } else if (range == DT_IM_MINUTE || range == (DT_IM_DAY | DT_IM_HOUR | DT_IM_MINUTE) ||
                   range == (DT_IM_HOUR | DT_IM_MINUTE)) {
            iv->time = iv->time / USECS_PER_MINUTE * USECS_PER_MINUTE;
        }
    }
    if (precision != 0xFFFF)
        iv->time = dt_round_usec(iv->time, precision);
}

bool
dt_typmod_precision_warning(Oid type, const int32_t *mods, int nmods, char *msg, size_t cap)
{
    int32_t p;
    const char *what;

    if (nmods < 1)
        return false;
    switch (type) {
    case TYPE_TIME:
        what = "TIME";
        break;
    case TYPE_TIMESTAMP:
        what = "TIMESTAMP";
        break;
    case TYPE_TIMESTAMPTZ:
        what = "TIMESTAMP WITH TIME ZONE";
        break;
    case TYPE_INTERVAL:
        if (nmods < 2)
            return false;
        what = "INTERVAL";
        break;
    default:
        return false;
    }
    p = mods[nmods - 1];
    if (p <= DT_MAX_PRECISION)
        return false;
    /* "TIMESTAMP(7) WITH TIME ZONE": the precision goes after the first word */
    {
        const char *rest = strchr(what, ' ');
        int n = rest != NULL ? (int)(rest - what) : (int)strlen(what);

        snprintf(msg, cap, "%.*s(%d)%s precision reduced to maximum allowed, %d", n, what, (int)p,
                 rest != NULL ? rest : "", DT_MAX_PRECISION);
    }
    return true;
}
