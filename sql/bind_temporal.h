/*
 * sql/bind_temporal.h — temporal filters in materialized views (sql/bind_temporal.c):
 * WHERE conjuncts comparing an expression of the row with now() ± a constant, which a view
 * maintains as time passes (stream/op_temporal.c) instead of refusing now().
 */
#ifndef RIVULET_SQL_BIND_TEMPORAL_H
#define RIVULET_SQL_BIND_TEMPORAL_H

#include "sql/bind_int.h"
#include "sql/plan.h"

/*
 * Binds a WHERE clause of a query inside CREATE MATERIALIZED VIEW conjunct by conjunct
 * (b->temporal_ok): the conjuncts that are temporal filters are appended to *conds / *nconds
 * (arena arrays, the now() call replaced by parameter 0, the epoch's time) and leave
 * b->time_function as it was; the others are AND-ed into the result, bound and coerced as
 * PostgreSQL's transformBoolExpr would. Returns NULL on error; a constant true when every
 * conjunct was temporal.
 */
Expr *bind_temporal_where(BindCtx *b, const PgQuery__Node *n, Expr ***conds, int *nconds);

/*
 * Puts one TemporalFilter node per condition above input (same columns), the WHERE's Filter
 * (or what the FROM made, without one). In a SubLink's subquery (below_filter) they go under
 * that Filter instead, which its decorrelation reads (sql/bind_sublink.c); elsewhere they
 * stay above it, so the planner still pushes the Filter into joins.
 */
PlanNode *bind_temporal_attach(BindCtx *b, PlanNode *input, Expr **conds, int nconds,
                               bool below_filter);

#endif
