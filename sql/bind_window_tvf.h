/*
 * sql/bind_window_tvf.h — TUMBLE, HOP and SESSION time window functions in
 * FROM (TUMBLE and HOP as RisingWave's; SESSION is ours, see
 * docs/windows.md), bound by sql/bind_window_tvf.c. Private to the binder.
 *
 *   FROM TUMBLE(rel, time_col, size [, offset]) [AS alias [(cols)]]
 *   FROM HOP(rel, time_col, slide, size [, offset]) [AS alias [(cols)]]
 *   FROM SESSION(rel, time_col, gap [, key_col ...]) [AS alias [(cols)]]
 *
 * rel is a table, source, view or WITH query name, or a parenthesised
 * subquery; the result has rel's columns then window_start and window_end,
 * of time_col's type (timestamp for a date column). See
 * sql/window_time.h for the window arithmetic.
 */
#ifndef RIVULET_SQL_BIND_WINDOW_TVF_H
#define RIVULET_SQL_BIND_WINDOW_TVF_H

#include "sql/bind_scope.h"

/* True when rf calls tumble(), hop() or session() (unqualified names). */
bool bind_window_tvf_is(const PgQuery__RangeFunction *rf);

/* Binds rf's TUMBLE/HOP/SESSION call as a FROM item, adding its relation to s. -1 on error. */
int bind_window_tvf(BindCtx *b, QueryScope *s, const PgQuery__RangeFunction *rf, PlanNode **out);

#endif
