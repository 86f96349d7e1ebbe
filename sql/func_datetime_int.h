/*
 * sql/func_datetime_int.h — helpers shared by the date/time function files
 * (sql/func_datetime.c, sql/func_dtpart.c); private to them.
 *
 * Invariants:
 *   1. Nothing here keeps state; the session's zone comes from the call's
 *      TypeIoCtx.
 */
#ifndef RIVULET_SQL_FUNC_DATETIME_INT_H
#define RIVULET_SQL_FUNC_DATETIME_INT_H

#include "sql/datetime.h"
#include "sql/func_datetime.h"

/* PostgreSQL's NAMEDATALEN - 1: how much of a unit or zone name is kept. */
#define FDT_NAME_MAX 63
/* µs between 1970-01-01 and 2000-01-01 */
#define FDT_EPOCH_OFFSET_US INT64_C(946684800000000)

/* The session's zone (TimeZone). */
const Tz *fdt_session_tz(const FnCall *call);
/* now() and statement_timestamp(): the session's stamps (the clock without a session). */
int64_t fdt_txn_start(const FnCall *call);
int64_t fdt_stmt_start(const FnCall *call);
/* 22008 "timestamp out of range" / "interval out of range"; return -1. */
int fdt_ts_range_error(Err *err);
int fdt_interval_range_error(Err *err);
/* A new interval Datum in the call's arena. */
Datum fdt_interval_result(const FnCall *call, const Interval *iv);
/* interval2tm: the interval's fields, each with its part's sign (hours may exceed 24). */
void fdt_interval_fields(const Interval *iv, DtFields *f);
/* The interval's whole hours (not bounded by int). */
static inline int64_t
fdt_interval_hours(const Interval *iv)
{
    return iv->time / USECS_PER_HOUR;
}
/* tm2interval: fields → interval; 22008 on overflow. */
int fdt_interval_from_fields(int64_t years, int64_t mons, int64_t days, int64_t hours, int64_t mins,
                             int64_t secs, int64_t usecs, Interval *out, Err *err);
/* downcase_truncate_identifier: ASCII lower-case, at most FDT_NAME_MAX bytes. */
void fdt_lower(const VarData *v, char out[FDT_NAME_MAX + 1]);
/*
 * A zone named in an argument: abbreviations first ("EST" → fixed offset,
 * dynamic ones → their zone), then zone names; 22023 `time zone "x" not
 * recognized`.
 */
int fdt_lookup_zone(const VarData *v, const Tz **tz, Err *err);

#endif
