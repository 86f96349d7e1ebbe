/*
 * sql/bind_window.h — binding window functions, WINDOW clauses and DISTINCT
 * ON (sql/bind_window.c) for the query binder (sql/bind_query.c).
 *
 * Invariants:
 *   1. A window function call binds to a placeholder column reference
 *      BIND_WINDOW_BASE + i (i: the call's number in its query level); the
 *      aggregate rewrite leaves placeholders alone and bind_window_plan
 *      replaces them by Window node output columns.
 *   2. BindCtx.win is the current query level's window state (NULL outside
 *      queries); the query binder saves and restores it with BindCtx.scope.
 */
#ifndef RIVULET_SQL_BIND_WINDOW_H
#define RIVULET_SQL_BIND_WINDOW_H

#include "sql/bind_query.h"

#define BIND_WINDOW_BASE (1 << 24)

/* Starts a query level: a fresh BindCtx.win, the WINDOW clause's definitions bound. */
int bind_window_begin(BindCtx *b, const PgQuery__SelectStmt *sel);

/* `f(...) OVER ...` (called by sql/bind_expr.c for every call with OVER). */
Expr *bind_window_call(BindCtx *b, const PgQuery__FuncCall *fc, const char *name,
                       const char *qualified);

/*
 * Puts the Window nodes of the query level's calls over *plan (expressions
 * rewritten through fn first when fn is not NULL: the aggregate rewrite),
 * then replaces the placeholders in exprs[0..n). Nothing when there are no
 * calls.
 */
int bind_window_plan(BindCtx *b, PlanNode **plan, Expr **exprs, int n, RewriteFn fn, void *arg);

/*
 * DISTINCT ON: keeps, per group of equal values of columns cols[0..ncols),
 * the first row of *plan in the order of keys (row_number() = 1).
 */
int bind_window_distinct_on(BindCtx *b, PlanNode **plan, const int *cols, int ncols,
                            const SortKey *keys, int nkeys);

/*
 * Forbids window functions in clause `what` ("HAVING" ...; NULL: allowed again) while it is
 * bound; returns the previous setting, to restore.
 */
const char *bind_window_forbid(BindCtx *b, const char *what);

/* ---- provided by sql/bind_query.c ---- */

/* Resolves an aggregate's overload for bound args into call (impl, def, types, orders). */
int bind_query_agg_fill(BindCtx *b, const PgQuery__FuncCall *fc, const char *name,
                        const char *qualified, Expr **args, int nargs, AggCall *call);

#endif
