/*
 * sql/cat_datetime.c — the datetime part of the built-in catalog (see sql/catalog.h):
 * the types date, time, timestamp, timestamptz and interval, their
 * operators, casts and cast/length-coercion functions. (The date/time
 * functions — date_trunc, extract, to_char ... — are another part,
 * sql/cat_datetime_funcs.c.)
 *
 * Every entry mirrors PostgreSQL 15's pg_type / pg_operator / pg_cast rows
 * for these types (time with time zone is not implemented, so its rows are
 * left out).
 *
 * Invariants:
 *   1. Tables are const and never modified.
 *   2. Cast contexts are PostgreSQL's: date → timestamp(tz) and timestamp →
 *      timestamptz, time → interval are implicit; the narrowing ones
 *      (timestamp → date/time, timestamptz → date/time/timestamp,
 *      interval → time) are assignment casts.
 */
#include "sql/builtins.h"
#include "sql/catalog.h"
#include "sql/datetime.h"
#include "sql/datetime_ops.h"

#define DA TYPE_DATE
#define TM TYPE_TIME
#define TS TYPE_TIMESTAMP
#define TZ TYPE_TIMESTAMPTZ
#define IV TYPE_INTERVAL
#define I4 TYPE_INT4
#define F8 TYPE_FLOAT8
#define BO TYPE_BOOL
#define S FN_STRICT
#define ST (FN_STRICT | FN_STABLE)

static const TypeInfo TYPES[] = {
    {TYPE_DATE, "date", "date", 4, true, TYPCAT_DATETIME, false, true, date_in, date_out,
     date_recv, date_send, NULL, NULL},
    {TYPE_TIME, "time", "time without time zone", 8, true, TYPCAT_DATETIME, false, true, time_in,
     time_out, time_recv, time_send, time_typmodin, dt_precision_typmodout},
    {TYPE_TIMESTAMP, "timestamp", "timestamp without time zone", 8, true, TYPCAT_DATETIME, false,
     true, timestamp_in, timestamp_out, timestamp_recv, timestamp_send, timestamp_typmodin,
     dt_precision_typmodout},
    {TYPE_TIMESTAMPTZ, "timestamptz", "timestamp with time zone", 8, true, TYPCAT_DATETIME, true,
     true, timestamptz_in, timestamptz_out, timestamptz_recv, timestamp_send,
     timestamptz_typmodin, dt_precision_typmodout},
    {TYPE_INTERVAL, "interval", "interval", 16, false, TYPCAT_TIMESPAN, true, true, interval_in,
     interval_out, interval_recv, interval_send, interval_typmodin, interval_typmodout},
};

static const FuncDef FUNCS[] = {
    /* casts, callable by their type names as in PostgreSQL */
    {"timestamp", 1, {DA}, TS, S, dt_date_to_ts},
    {"timestamp", 1, {TZ}, TS, ST, dt_tstz_to_ts},
    {"timestamptz", 1, {DA}, TZ, ST, dt_date_to_tstz},
    {"timestamptz", 1, {TS}, TZ, ST, dt_ts_to_tstz},
    {"date", 1, {TS}, DA, S, dt_ts_to_date},
    {"date", 1, {TZ}, DA, ST, dt_tstz_to_date},
    {"time", 1, {TS}, TM, S, dt_ts_to_time},
    {"time", 1, {TZ}, TM, ST, dt_tstz_to_time},
    {"time", 1, {IV}, TM, S, dt_interval_to_time},
    {"interval", 1, {TM}, IV, S, dt_time_to_interval},
    /* length coercion: PostgreSQL's (value, typmod) and the (value, typmod, explicit) form
     * the binder applies (sql/types.h) */
    {"time", 2, {TM, I4}, TM, S, dt_time_scale},
    {"timestamp", 2, {TS, I4}, TS, S, dt_ts_scale},
    {"timestamptz", 2, {TZ, I4}, TZ, S, dt_ts_scale},
    {"interval", 2, {IV, I4}, IV, S, dt_interval_scale},
    {"time", 3, {TM, I4, BO}, TM, S, dt_time_scale},
    {"timestamp", 3, {TS, I4, BO}, TS, S, dt_ts_scale},
    {"timestamptz", 3, {TZ, I4, BO}, TZ, S, dt_ts_scale},
    {"interval", 3, {IV, I4, BO}, IV, S, dt_interval_scale},
};

/* clang-format off */
#define SAME_CMP(t)                                                                                \
    {"=", t, t, BO, int_eq, 0}, {"<>", t, t, BO, int_ne, 0}, {"<", t, t, BO, int_lt, 0},           \
    {"<=", t, t, BO, int_le, 0}, {">", t, t, BO, int_gt, 0}, {">=", t, t, BO, int_ge, 0}
#define CMP6(l, r, a, b)                                                                           \
    {"=", l, r, BO, dt_##a##_eq_##b, 0}, {"<>", l, r, BO, dt_##a##_ne_##b, 0},                     \
    {"<", l, r, BO, dt_##a##_lt_##b, 0}, {"<=", l, r, BO, dt_##a##_le_##b, 0},                     \
    {">", l, r, BO, dt_##a##_gt_##b, 0}, {">=", l, r, BO, dt_##a##_ge_##b, 0}
/* clang-format on */

static const OperDef OPERS[] = {
    SAME_CMP(DA),
    SAME_CMP(TM),
    SAME_CMP(TS),
    SAME_CMP(TZ),
    {"=", IV, IV, BO, dt_interval_eq, 0},
    {"<>", IV, IV, BO, dt_interval_ne, 0},
    {"<", IV, IV, BO, dt_interval_lt, 0},
    {"<=", IV, IV, BO, dt_interval_le, 0},
    {">", IV, IV, BO, dt_interval_gt, 0},
    {">=", IV, IV, BO, dt_interval_ge, 0},
    CMP6(DA, TS, date, ts),
    CMP6(TS, DA, ts, date),
    CMP6(DA, TZ, date, tstz),
    CMP6(TZ, DA, tstz, date),
    CMP6(TS, TZ, ts, tstz),
    CMP6(TZ, TS, tstz, ts),
    /* date */
    {"+", DA, I4, DA, dt_date_pli, 0},
    {"+", I4, DA, DA, dt_int_pl_date, 0},
    {"-", DA, I4, DA, dt_date_mii, 0},
    {"-", DA, DA, I4, dt_date_mi, 0},
    {"+", DA, TM, TS, dt_datetime_pl, 0},
    {"+", TM, DA, TS, dt_timedate_pl, 0},
    {"+", DA, IV, TS, dt_date_pl_interval, 0},
    {"+", IV, DA, TS, dt_interval_pl_date, 0},
    {"-", DA, IV, TS, dt_date_mi_interval, 0},
    /* time */
    {"+", TM, IV, TM, dt_time_pl_interval, 0},
    {"+", IV, TM, TM, dt_interval_pl_time, 0},
    {"-", TM, IV, TM, dt_time_mi_interval, 0},
    {"-", TM, TM, IV, dt_time_mi_time, 0},
    /* timestamp, timestamptz */
    {"+", TS, IV, TS, dt_ts_pl_interval, 0},
    {"+", IV, TS, TS, dt_interval_pl_ts, 0},
    {"-", TS, IV, TS, dt_ts_mi_interval, 0},
    {"-", TS, TS, IV, dt_ts_mi, 0},
    {"+", TZ, IV, TZ, dt_tstz_pl_interval, 0},
    {"+", IV, TZ, TZ, dt_interval_pl_tstz, 0},
    {"-", TZ, IV, TZ, dt_tstz_mi_interval, 0},
    {"-", TZ, TZ, IV, dt_ts_mi, 0},
    /* interval */
    {"-", 0, IV, IV, dt_interval_um, 0},
    {"+", IV, IV, IV, dt_interval_pl, 0},
    {"-", IV, IV, IV, dt_interval_mi, 0},
    {"*", IV, F8, IV, dt_interval_mul, 0},
    {"*", F8, IV, IV, dt_mul_d_interval, 0},
    {"/", IV, F8, IV, dt_interval_div, 0},
};

static const CastDef CASTS[] = {
    {DA, TS, COERCION_IMPLICIT, "timestamp"},
    {DA, TZ, COERCION_IMPLICIT, "timestamptz"},
    {TM, IV, COERCION_IMPLICIT, "interval"},
    {TS, DA, COERCION_ASSIGNMENT, "date"},
    {TS, TM, COERCION_ASSIGNMENT, "time"},
    {TS, TZ, COERCION_IMPLICIT, "timestamptz"},
    {TZ, DA, COERCION_ASSIGNMENT, "date"},
    {TZ, TM, COERCION_ASSIGNMENT, "time"},
    {TZ, TS, COERCION_ASSIGNMENT, "timestamp"},
    {IV, TM, COERCION_ASSIGNMENT, "time"},
};

const CatalogPart catalog_part_datetime = {
    FUNCS, CATALOG_COUNT(FUNCS), OPERS, CATALOG_COUNT(OPERS),
    CASTS, CATALOG_COUNT(CASTS), TYPES, CATALOG_COUNT(TYPES),
};
