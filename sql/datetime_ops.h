/*
 * sql/datetime_ops.h — the operator, cast and typmod built-ins of the
 * date/time types (sql/datetime_ops.c), for sql/cat_datetime.c (private to sql/).
 */
#ifndef RIVULET_SQL_DATETIME_OPS_H
#define RIVULET_SQL_DATETIME_OPS_H

#include "sql/builtins.h"
#include "sql/datetime.h"

/* Interval typmod: (range << 16) | precision, as PostgreSQL's INTERVAL_TYPMOD. */
#define DT_IM_MONTH (1 << 1)
#define DT_IM_YEAR (1 << 2)
#define DT_IM_DAY (1 << 3)
#define DT_IM_HOUR (1 << 10)
#define DT_IM_MINUTE (1 << 11)
#define DT_IM_SECOND (1 << 12)
#define DT_INTERVAL_FULL_RANGE 0x7FFF
#define DT_INTERVAL_FULL_PRECISION 0xFFFF

/*
 * For time(p), timestamp(p), timestamptz(p), interval(p) with p > 6: true and
 * PostgreSQL's warning text ("TIME(7) precision reduced to maximum allowed,
 * 6") in msg; the binder raises it as a WARNING (the typmod is clamped).
 */
bool dt_typmod_precision_warning(Oid type, const int32_t *mods, int nmods, char *msg, size_t cap);

/* Truncates/rounds iv as interval(typmod) does (range fields, then seconds precision). */
void dt_interval_apply_typmod(Interval *iv, int32_t typmod);

BUILTIN(dt_date_pli);
BUILTIN(dt_int_pl_date);
BUILTIN(dt_date_mii);
BUILTIN(dt_date_mi);
BUILTIN(dt_datetime_pl);
BUILTIN(dt_timedate_pl);
BUILTIN(dt_date_pl_interval);
BUILTIN(dt_interval_pl_date);
BUILTIN(dt_date_mi_interval);
BUILTIN(dt_time_pl_interval);
BUILTIN(dt_interval_pl_time);
BUILTIN(dt_time_mi_interval);
BUILTIN(dt_time_mi_time);
BUILTIN(dt_ts_pl_interval);
BUILTIN(dt_interval_pl_ts);
BUILTIN(dt_ts_mi_interval);
BUILTIN(dt_tstz_pl_interval);
BUILTIN(dt_interval_pl_tstz);
BUILTIN(dt_tstz_mi_interval);
BUILTIN(dt_ts_mi);
BUILTIN(dt_interval_um);
BUILTIN(dt_interval_pl);
BUILTIN(dt_interval_mi);
BUILTIN(dt_interval_mul);
BUILTIN(dt_mul_d_interval);
BUILTIN(dt_interval_div);
BUILTIN(dt_date_to_ts);
BUILTIN(dt_date_to_tstz);
BUILTIN(dt_ts_to_date);
BUILTIN(dt_tstz_to_date);
BUILTIN(dt_ts_to_time);
BUILTIN(dt_tstz_to_time);
BUILTIN(dt_ts_to_tstz);
BUILTIN(dt_tstz_to_ts);
BUILTIN(dt_time_to_interval);
BUILTIN(dt_interval_to_time);
BUILTIN(dt_time_scale);
BUILTIN(dt_ts_scale);
BUILTIN(dt_interval_scale);
BUILTIN(dt_date_eq_ts);
BUILTIN(dt_ts_eq_date);
BUILTIN(dt_date_eq_tstz);
BUILTIN(dt_tstz_eq_date);
BUILTIN(dt_ts_eq_tstz);
BUILTIN(dt_tstz_eq_ts);
BUILTIN(dt_interval_eq);
BUILTIN(dt_date_ne_ts);
BUILTIN(dt_ts_ne_date);
BUILTIN(dt_date_ne_tstz);
BUILTIN(dt_tstz_ne_date);
BUILTIN(dt_ts_ne_tstz);
BUILTIN(dt_tstz_ne_ts);
BUILTIN(dt_interval_ne);
BUILTIN(dt_date_lt_ts);
BUILTIN(dt_ts_lt_date);
BUILTIN(dt_date_lt_tstz);
BUILTIN(dt_tstz_lt_date);
BUILTIN(dt_ts_lt_tstz);
BUILTIN(dt_tstz_lt_ts);
BUILTIN(dt_interval_lt);
BUILTIN(dt_date_le_ts);
BUILTIN(dt_ts_le_date);
BUILTIN(dt_date_le_tstz);
BUILTIN(dt_tstz_le_date);
BUILTIN(dt_ts_le_tstz);
BUILTIN(dt_tstz_le_ts);
BUILTIN(dt_interval_le);
BUILTIN(dt_date_gt_ts);
BUILTIN(dt_ts_gt_date);
BUILTIN(dt_date_gt_tstz);
BUILTIN(dt_tstz_gt_date);
BUILTIN(dt_ts_gt_tstz);
BUILTIN(dt_tstz_gt_ts);
BUILTIN(dt_interval_gt);
BUILTIN(dt_date_ge_ts);
BUILTIN(dt_ts_ge_date);
BUILTIN(dt_date_ge_tstz);
BUILTIN(dt_tstz_ge_date);
BUILTIN(dt_ts_ge_tstz);
BUILTIN(dt_tstz_ge_ts);
BUILTIN(dt_interval_ge);

#endif
