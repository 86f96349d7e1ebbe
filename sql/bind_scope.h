/*
 * sql/bind_scope.h — the FROM-clause scope a query's expressions are bound
 * in (sql/bind_query.c), shared with the JOIN binder (sql/bind_join.c).
 * Private to the binder.
 *
 * A scope is a list of relations (FROM items, and the joins of USING,
 * NATURAL or an alias) over one flat row: a relation's column c is scope
 * column first + c, or cols[c] when the relation is a join's column list.
 * As in PostgreSQL's namespace items, a relation may be visible by name
 * only (the inputs of a USING join: `a.x` works, unqualified `x` means the
 * merged column) or by its columns only (a join without alias).
 *
 * Invariants:
 *   1. Scope column k has type types[k]; the plan of the FROM clause
 *      produces exactly the scope's columns, in scope order.
 *   2. Unqualified names and `*` see only relations whose columns are not
 *      hidden; qualified names see only relations whose name is not hidden.
 */
#ifndef RIVULET_SQL_BIND_SCOPE_H
#define RIVULET_SQL_BIND_SCOPE_H

#include "sql/bind_query.h"

typedef struct ScopeRel {
    const char *name; /* alias, or the function's name; NULL for a join without alias */
    int first;        /* its first column in the scope (cols == NULL) */
    int ncols;
    const char **colnames;
    const int *cols;       /* a join's column list: scope column of each column, or NULL */
    bool is_name_hidden;   /* not visible qualified (inside an aliased join; unnamed joins) */
    bool are_cols_hidden;  /* not visible unqualified nor to `*` (inputs of a join rel) */
    const int *origins;    /* a join's column list: the input column a merged one was made of */
} ScopeRel;

struct QueryScope {
    int nrels;
    ScopeRel *rels;
    int ncols;
    Oid *types;
    int32_t *typmods;
    /* aggregates */
    const char *agg_forbidden; /* "WHERE", "GROUP BY" ...: aggregates not allowed here */
    bool in_agg;
    int naggs, agg_cap;
    AggCall *aggs;
    /* subqueries in expressions (sql/bind_sublink.c): NULL where none are allowed */
    struct QueryScope *parent; /* the enclosing query of a SubLink's subquery, or NULL */
    struct BindSubLinks *sublinks;
    /* temporal filters of WHERE (sql/bind_temporal.c), put above its Filter */
    Expr **temporal;
    int ntemporal;
};

typedef struct QueryScope QueryScope;

/* The scope column of r's column c. */
static inline int
scope_rel_col(const ScopeRel *r, int c)
{
    return r->cols != NULL ? r->cols[c] : r->first + c;
}

/* sql/bind_query.c: binds one FROM item, adding its relations to s. */
int bind_from_item(BindCtx *b, QueryScope *s, const Node *n, PlanNode **out);

/* sql/bind_join.c: [INNER|LEFT|RIGHT|FULL|CROSS] JOIN ... ON / USING / NATURAL. */
int bind_join_expr(BindCtx *b, QueryScope *s, const PgQuery__JoinExpr *je, PlanNode **out);
/*
 * 42P01 "invalid reference to FROM-clause entry" when name is only a hidden relation (inside
 * an aliased join, or outside a join's ON condition); returns -1 then, else 0.
 */
int bind_scope_hidden_ref(BindCtx *b, const QueryScope *s, const char *name, int location);
/*
 * The input column a computed merged column (FULL JOIN USING, or a coerced one) was made of,
 * for messages naming "t.col" as PostgreSQL does; col itself for any other column.
 */
int bind_scope_column_origin(const QueryScope *s, int col);
/* After a 42703 for an unqualified name: PostgreSQL's hint when a hidden relation has it. */
void bind_scope_column_hint(BindCtx *b, const QueryScope *s, const char *name);

/* Unknown resolved to text; 0A000 for a type not supported yet (sql/bind_query.c). */
int bind_finish_type(BindCtx *b, Expr **e);
/* A reference to input column `column` (sql/bind_query.c). */
Expr *bind_column_expr(BindCtx *b, int column, Oid type, int32_t typmod, int location);

#endif
