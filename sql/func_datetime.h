/*
 * sql/func_datetime.h — the date/time and formatting built-in functions
 * (private to sql/): sql/func_datetime.c (clock, date_bin, make_*, age,
 * justify_*, isfinite, AT TIME ZONE, OVERLAPS, named arguments),
 * sql/func_dtpart.c (extract, date_part, date_trunc), sql/func_tochar.c
 * (to_char for date/time), sql/func_tonumber.c (to_char for numbers,
 * to_number) and sql/func_todate.c (to_timestamp(text, text), to_date).
 * Listed in the catalog part sql/cat_datetime_funcs.c.
 *
 * The types themselves (representation, calendar, zones, I/O, operators,
 * casts) are sql/datetime.h's; these functions only use that API.
 *
 * Invariants:
 *   1. Every function behaves as PostgreSQL 15's namesake: result type,
 *      NULL handling, infinities, SQLSTATE and message of every error.
 *   2. The session's TimeZone (EvalCtx.io->timezone) is the zone of every
 *      timestamptz computation that does not name one.
 */
#ifndef RIVULET_SQL_FUNC_DATETIME_H
#define RIVULET_SQL_FUNC_DATETIME_H

#include "sql/builtins.h"

/* ---- sql/func_datetime.c ------------------------------------------------------ */

/* clock: now() = transaction_timestamp(), statement_timestamp(), clock_timestamp() ... */
BUILTIN(fn_now);
BUILTIN(fn_statement_timestamp);
BUILTIN(fn_clock_timestamp);
BUILTIN(fn_timeofday);
/*
 * CURRENT_DATE, CURRENT_TIMESTAMP[(p)], LOCALTIME[(p)], LOCALTIMESTAMP[(p)]
 * as bound expressions (name as the grammar spells it, typmod -1 or p);
 * the precision becomes an int4 constant argument. A precision above 6 is
 * reduced to 6 with PostgreSQL's WARNING, queued on session (may be NULL).
 */
Expr *func_datetime_sqlvalue(Arena *a, SqlSession *session, const char *name, int32_t typmod,
                             int location);
BUILTIN(fn_current_date);
BUILTIN(fn_current_timestamp);
BUILTIN(fn_localtimestamp);
BUILTIN(fn_localtime);

/* extract(field FROM x) → numeric and date_part(text, x) → float8 */
BUILTIN(fn_extract_date);
BUILTIN(fn_extract_time);
BUILTIN(fn_extract_timestamp);
BUILTIN(fn_extract_timestamptz);
BUILTIN(fn_extract_interval);
BUILTIN(fn_date_part_date);
BUILTIN(fn_date_part_time);
BUILTIN(fn_date_part_timestamp);
BUILTIN(fn_date_part_timestamptz);
BUILTIN(fn_date_part_interval);

BUILTIN(fn_date_trunc_timestamp);
BUILTIN(fn_date_trunc_timestamptz);
BUILTIN(fn_date_trunc_timestamptz_zone);
BUILTIN(fn_date_trunc_interval);
BUILTIN(fn_date_bin_timestamp);
BUILTIN(fn_date_bin_timestamptz);

BUILTIN(fn_make_date);
BUILTIN(fn_make_time);
BUILTIN(fn_make_timestamp);
BUILTIN(fn_make_timestamptz);
BUILTIN(fn_make_interval);
BUILTIN(fn_to_timestamp_float8);

BUILTIN(fn_age_timestamp);
BUILTIN(fn_age_timestamptz);
BUILTIN(fn_age_timestamp1);
BUILTIN(fn_age_timestamptz1);
BUILTIN(fn_justify_days);
BUILTIN(fn_justify_hours);
BUILTIN(fn_justify_interval);
BUILTIN(fn_isfinite_date);
BUILTIN(fn_isfinite_timestamp);
BUILTIN(fn_isfinite_interval);

/* timezone(zone, x): x AT TIME ZONE zone */
BUILTIN(fn_timezone_timestamp);    /* (text, timestamp) → timestamptz */
BUILTIN(fn_timezone_timestamptz);  /* (text, timestamptz) → timestamp */
BUILTIN(fn_timezone_itimestamp);   /* (interval, timestamp) → timestamptz */
BUILTIN(fn_timezone_itimestamptz); /* (interval, timestamptz) → timestamp */
/* (s1, e1) OVERLAPS (s2, e2); not strict; an end may be an interval */
BUILTIN(fn_overlaps);

/*
 * Named arguments (name => value) for the functions PostgreSQL gives
 * argument names (make_date, make_time, make_timestamp, make_timestamptz,
 * make_interval): names[i] is argument i's name or NULL (positional).
 * Puts *args in declaration order, fills make_interval's defaults (0) and
 * sets *nargs. Returns 1 when the names do not fit a function, with the
 * call's signature ("make_interval(foo => integer)") in sig for
 * 42883 "function ... does not exist".
 */
int func_datetime_named_args(Arena *a, const char *func, const char *const *names, Expr ***args,
                             int *nargs, char *sig, size_t sigcap);

/* ---- sql/func_tochar.c, sql/func_tonumber.c, sql/func_todate.c ---------------- */

BUILTIN(fn_to_char_timestamp);
BUILTIN(fn_to_char_timestamptz);
BUILTIN(fn_to_char_interval);
BUILTIN(fn_to_char_int4);
BUILTIN(fn_to_char_int8);
BUILTIN(fn_to_char_float8);
BUILTIN(fn_to_char_float4);
BUILTIN(fn_to_char_numeric);
BUILTIN(fn_to_number);
BUILTIN(fn_to_timestamp_text);
BUILTIN(fn_to_date_text);

#endif
