/*
 * sql/bind_setop.h — binding set operations (sql/bind_setop.c) and WITH
 * queries (sql/bind_cte.c). Private to sql/: sql/bind_query.c dispatches
 * to them.
 *
 * Invariants:
 *   1. A SELECT with a WITH clause or a set operation never reaches the
 *      plain query binder with either: bind_with_select strips the WITH
 *      (after registering its queries in BindCtx.ctes) and hands set
 *      operations to bind_setop_select.
 *   2. BindCtx.ctes is restored when the query level that defined the WITH
 *      queries is bound, so they are visible exactly in that level and the
 *      levels below it.
 */
#ifndef RIVULET_SQL_BIND_SETOP_H
#define RIVULET_SQL_BIND_SETOP_H

#include "sql/bind_query.h"

/*
 * A query level with a WITH clause and/or a set operation (bind_query_plan's contract):
 * WITH RECURSIVE and data-modifying WITH queries fail with 0A000.
 */
int bind_with_select(BindCtx *b, const PgQuery__SelectStmt *sel, PlanNode **out, int *nvisible,
                     const char ***names, bool is_top);

/*
 * A FROM item naming a visible WITH query: returns 1 with its plan (bound afresh for every
 * reference but the first), column names and the name it has in the FROM clause; 0 when rv
 * names no WITH query (a table, then); -1 on error.
 */
int bind_cte_ref(BindCtx *b, const PgQuery__RangeVar *rv, PlanNode **out, const char ***names,
                 const char **relname);

/* UNION / INTERSECT / EXCEPT [ALL] with ORDER BY / LIMIT / OFFSET on the whole (no WITH). */
int bind_setop_select(BindCtx *b, const PgQuery__SelectStmt *sel, PlanNode **out, int *nvisible,
                      const char ***names, bool is_top);

#endif
