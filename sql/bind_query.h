/*
 * sql/bind_query.h — binding queries into logical plans (sql/bind_query.c):
 * FROM items, column references, aggregates, GROUP BY, HAVING, DISTINCT,
 * ORDER BY, LIMIT/OFFSET. Private to sql/ (binder.c and bind_expr.c call it).
 *
 * Invariants:
 *   1. While a query is bound, BindCtx.scope points at its QueryScope: the
 *      columns its FROM clause makes visible and the aggregate calls found
 *      so far. Outside queries (plain VALUES, SET ...) scope is NULL.
 *   2. An aggregate call binds to a placeholder column reference whose index
 *      is at least the scope's column count; the query binder replaces every
 *      placeholder by the Agg node's output column before building the plan.
 */
#ifndef RIVULET_SQL_BIND_QUERY_H
#define RIVULET_SQL_BIND_QUERY_H

#include "sql/bind_int.h"
#include "sql/plan.h"

/* True when a SELECT needs a plan (FROM, GROUP BY, aggregates, ORDER BY, DISTINCT ...). */
bool bind_query_wanted(const PgQuery__SelectStmt *sel);

/* Binds a SELECT (or VALUES with ORDER BY/LIMIT) into st->plan, st->cols and st->ncols. */
int bind_query_select(BindCtx *b, SqlStatement *st, const PgQuery__SelectStmt *sel);

/*
 * INSERT ... RETURNING (sql/bind_insert.c): binds targets over the columns of one relation
 * called relname; *exprs read the inserted row by column position.
 */
int bind_query_returning(BindCtx *b, const char *relname, int ncols, const char **colnames,
                         const Oid *types, const int32_t *typmods, Node **targets, size_t n,
                         Expr ***exprs, const char ***names, int *nout);

/*
 * The same over two copies of one relation's columns, the second named relname2 (ON CONFLICT
 * DO UPDATE's EXCLUDED, sql/bind_dml.c): *exprs read a row of 2 * ncols values.
 */
int bind_query_over_rows(BindCtx *b, const char *relname, const char *relname2, int ncols,
                         const char **colnames, const Oid *types, const int32_t *typmods,
                         Node **targets, size_t n, Expr ***exprs, const char ***names, int *nout);

/*
 * One query level (SELECT, VALUES with ORDER BY, set operation, WITH) into a plan; names gets
 * its output column names. is_top keeps resjunk ORDER BY columns (the portal hides them).
 */
int bind_query_plan(BindCtx *b, const PgQuery__SelectStmt *sel, PlanNode **out, int *nvisible,
                    const char ***names, bool is_top);

/* ---- sql/bind_query_walk.c ---- */

/* Structural equality of bound expressions (PostgreSQL's equal() for GROUP BY matching). */
bool bind_expr_equal(const Expr *a, const Expr *b);
/* Rewrites e's children through fn (NULL from fn: error); returns a copy of e, or NULL. */
typedef Expr *(*RewriteFn)(void *arg, Expr *e);
Expr *bind_rewrite_children(Arena *a, void *arg, RewriteFn fn, const Expr *e);
/* The children of e (at most cap); returns how many. */
int bind_expr_children(const Expr *e, const Expr **out, int cap);

/* A column reference inside a query (b->scope != NULL). */
Expr *bind_query_columnref(BindCtx *b, const PgQuery__ColumnRef *cr);

/* An aggregate call: name is an aggregate's name (agg_name_exists). */
Expr *bind_query_aggregate(BindCtx *b, const PgQuery__FuncCall *fc, const char *name,
                           const char *qualified);

#endif
