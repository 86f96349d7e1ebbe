/*
 * sql/bind_sublink.h — subqueries inside expressions (SubLinks): EXISTS,
 * IN / op ANY / op ALL (subquery) and scalar subqueries, rewritten into
 * MarkJoin plan nodes (sql/plan.h, stream/op_markjoin.c). Private to sql/
 * (sql/bind_expr.c and sql/bind_query.c call it).
 *
 * While a query level is bound, a SubLink binds to a placeholder column
 * (BIND_SUBLINK_MARK_BASE + its index in the level's list) and a column of
 * an enclosing query to BIND_SUBLINK_OUTER_BASE + that query's column.
 * When the level's plan is built, bind_sublink_attach() stacks one MarkJoin
 * per SubLink over the FROM items (for WHERE), or over the WHERE filter or
 * Agg node (for the select list, HAVING, ORDER BY), and bind_sublink_resolve()
 * turns the placeholders into those MarkJoins' mark columns.
 *
 * Invariants:
 *   1. Placeholders never survive binding: after bind_sublink_resolve() no
 *      column of the level is at or beyond BIND_SUBLINK_RIGHT_BASE.
 *   2. A correlated subquery's outer references end up only in the
 *      MarkJoin's equality keys (lkeys) and condition; the right plan has
 *      none (else 0A000).
 */
#ifndef RIVULET_SQL_BIND_SUBLINK_H
#define RIVULET_SQL_BIND_SUBLINK_H

#include "sql/bind_int.h"
#include "sql/plan.h"

/*
 * Above any real column and aggregate placeholder, below sql/bind_window.h's BIND_WINDOW_BASE
 * (1 << 24), whose placeholders the window binder maps; the aggregate rewrite (regroup) leaves
 * everything from BIND_SUBLINK_RIGHT_BASE up alone.
 */
#define BIND_SUBLINK_RIGHT_BASE (1 << 20) /* a MarkJoin's right row, in cond/test */
#define BIND_SUBLINK_MARK_BASE (1 << 21)  /* the mark of this level's SubLink k */
#define BIND_SUBLINK_OUTER_BASE (1 << 22) /* a column of the enclosing query */

struct BindSubLinks;
struct QueryScope;

/* A query level's empty SubLink list (a scope without one rejects SubLinks). */
struct BindSubLinks *bind_sublink_list(BindCtx *b);

/* The SubLink expression case of bind_expr(). */
Expr *bind_sublink(BindCtx *b, const PgQuery__SubLink *sl);

/* A column reference resolved in the scope `outer` of the query `levels` up (1: enclosing). */
Expr *bind_sublink_outer_ref(BindCtx *b, struct QueryScope *outer, int levels,
                             const PgQuery__ColumnRef *cr);

/*
 * Stacks the MarkJoins of the level's SubLinks over *plan: with post false
 * those of WHERE and aggregate arguments (below the WHERE filter), with post
 * true those of the select list, HAVING and ORDER BY (above the WHERE
 * filter, or above the Agg node of a grouped query). The conjuncts of
 * *where (WHERE with post false, HAVING with post true; may be NULL)
 * without a SubLink become a Filter below the MarkJoins and *where keeps
 * the others: as PostgreSQL tests cheap quals before subqueries, a row they
 * reject never meets a subquery (whose 21000 or 22012 error it could
 * otherwise raise).
 */
int bind_sublink_attach(BindCtx *b, struct BindSubLinks *sl, PlanNode **plan, Expr **where,
                        bool grouped, bool post);

/* Replaces the level's mark placeholders in plan by the mark columns. */
int bind_sublink_resolve(BindCtx *b, struct BindSubLinks *sl, PlanNode *plan);

/* ---- what sql/bind_query.c offers sql/bind_sublink.c ---- */

/* The SubLink list of the query being bound (NULL outside queries). */
struct BindSubLinks **bind_query_sublinks(BindCtx *b);
/* Where the current expression is: the scope's agg_forbidden clause name and in_agg. */
const char *bind_query_context(const BindCtx *b, bool *in_agg);
/* The number of FROM columns of the query being bound. */
int bind_query_ncols(const BindCtx *b);
/* Binds a subquery whose scope's parent is the current one (outer references allowed). */
int bind_query_subselect(BindCtx *b, const PgQuery__SelectStmt *sel, PlanNode **out);
/* Binds a column reference in scope s (the current one is restored). */
Expr *bind_query_columnref_in(BindCtx *b, struct QueryScope *s, const PgQuery__ColumnRef *cr);

#endif
