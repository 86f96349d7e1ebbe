/*
 * sql/window_time.c — time window arithmetic (see sql/window_time.h).
 *
 * Invariants:
 *   1. Computations are done in 128-bit integers, so no intermediate value
 *      overflows; only results are range-checked.
 *   2. The floor modulo is used (negative timestamps, before 1970, fall in
 *      the window that starts before them, never after).
 */
#include "sql/window_time.h"

#include "common/errcodes.h"

static int
out_of_range(Err *err)
{
    return ERR_RAISE(err, ERRCODE_DATETIME_FIELD_OVERFLOW, "timestamp out of range");
}

int
window_start(int64_t ts, int64_t size, int64_t offset, int64_t *out, Err *err)
{
    __int128 unix_us, rel, rem, start;

    if (!TS_IS_FINITE(ts) || size <= 0)
        return out_of_range(err);
    unix_us = (__int128)ts + DT_UNIX_EPOCH_OFFSET_US;
    rel = unix_us - (__int128)offset;
    rem = rel % size;
    if (rem < 0)
        rem += size;
    start = (__int128)ts - rem;
    if (start < DT_MIN_TIMESTAMP || start >= DT_END_TIMESTAMP)
        return out_of_range(err);
    *out = (int64_t)start;
    return 0;
}

int
window_add(int64_t ts, int64_t delta, int64_t *out, Err *err)
{
    __int128 r = (__int128)ts + delta;

    if (!TS_IS_FINITE(ts) || r < DT_MIN_TIMESTAMP || r >= DT_END_TIMESTAMP)
        return out_of_range(err);
    *out = (int64_t)r;
    return 0;
}

int
window_interval_us(const Interval *iv, const char *what, bool allow_any, int64_t *out, Err *err)
{
    __int128 us;

    if (iv->month != 0)
        return ERR_RAISE(err, ERRCODE_FEATURE_NOT_SUPPORTED,
                         "%s cannot contain months or years", what);
    us = (__int128)iv->day * USECS_PER_DAY + iv->time;
    if (us > INT64_MAX || us < -INT64_MAX)
        return ERR_RAISE(err, ERRCODE_DATETIME_FIELD_OVERFLOW, "interval out of range");
    if (!allow_any && us <= 0)
        return ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE, "%s must be greater than zero",
                         what);
    *out = (int64_t)us;
    return 0;
}

int
window_tumble_start_fn(const FnCall *call, Datum *result, bool *isnull, Err *err)
{
    int64_t start;

    if (window_start(datum_get_int64(call->args[0]), datum_get_int64(call->args[1]),
                     datum_get_int64(call->args[2]), &start, err) < 0)
        return -1;
    *result = datum_from_int64(start);
    *isnull = false;
    return 0;
}

int
window_tumble_end_fn(const FnCall *call, Datum *result, bool *isnull, Err *err)
{
    int64_t start, end;

    if (window_start(datum_get_int64(call->args[0]), datum_get_int64(call->args[1]),
                     datum_get_int64(call->args[2]), &start, err) < 0 ||
        window_add(start, datum_get_int64(call->args[1]), &end, err) < 0)
        return -1;
    *result = datum_from_int64(end);
    *isnull = false;
    return 0;
}
