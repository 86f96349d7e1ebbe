/*
 * sql/window_time.h — the arithmetic of time windows (TUMBLE and HOP in
 * FROM, sql/bind_window_tvf.c; the hop operator, stream/op_hop.c).
 *
 * Windows are half-open [start, start + size) spans of microseconds on
 * timestamp / timestamptz values (both int64 µs since 2000-01-01; a
 * timestamptz counts UTC), aligned so that 1970-01-01 00:00:00 (UTC) plus
 * offset is a window start, as RisingWave's tumble()/hop() and PostgreSQL's
 * date_bin(size, ts, TIMESTAMP '1970-01-01' + offset). Time zones and DST
 * never matter: a timestamptz window is a UTC-aligned span.
 *
 * Invariants:
 *   1. start <= ts < start + size for every finite ts whose window start and
 *      end are timestamps in range; otherwise 22008 "timestamp out of range"
 *      (infinite timestamps included, as date_bin).
 *   2. size and slide are > 0 µs (checked by the binder); offset is any
 *      value (only offset mod size / slide matters).
 *   3. Nothing allocates: all values are int64 by value.
 */
#ifndef RIVULET_SQL_WINDOW_TIME_H
#define RIVULET_SQL_WINDOW_TIME_H

#include <stdint.h>

#include "common/err.h"
#include "sql/datetime.h"
#include "sql/expr.h"

/* The start of the window of `size` µs containing ts (aligned to the epoch + offset). */
int window_start(int64_t ts, int64_t size, int64_t offset, int64_t *out, Err *err);

/* ts + delta, 22008 "timestamp out of range" outside the timestamp range. */
int window_add(int64_t ts, int64_t delta, int64_t *out, Err *err);

/*
 * An interval as a count of µs (a day is 24 hours). 0A000 when it has months
 * or years ("<what> cannot contain months or years"), 22023 when it is not
 * positive ("<what> must be greater than zero") unless allow_any is set.
 */
int window_interval_us(const Interval *iv, const char *what, bool allow_any, int64_t *out,
                       Err *err);

/*
 * Built-ins of the TUMBLE projection: args (ts timestamp[tz], size int8,
 * offset int8), strict. window_start_fn gives the window start, window_end_fn
 * its end.
 */
int window_tumble_start_fn(const FnCall *call, Datum *result, bool *isnull, Err *err);
int window_tumble_end_fn(const FnCall *call, Datum *result, bool *isnull, Err *err);

#endif
