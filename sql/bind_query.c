/*
 * sql/bind_query.c — a SELECT with FROM, WHERE, GROUP BY, HAVING,
 * aggregates, DISTINCT, ORDER BY and LIMIT/OFFSET → a typed logical plan
 * (sql/plan.h). PostgreSQL's transformSelectStmt, transformFromClause,
 * parse_agg.c and parse_clause.c (findTargetlistEntrySQL92/SQL99), for the
 * FROM items Rivulet has: (VALUES ...) alias, generate_series(...), (SELECT
 * ...) alias, comma lists and JOINs (sql/bind_join.c).
 *
 * The plan of a query, bottom-up:
 *   FROM items (Join of them) → Filter(WHERE) → Agg(GROUP BY keys,
 *   aggregate calls) → Filter(HAVING) → Window nodes (window functions,
 *   sql/bind_window.c) → Project(targets + ORDER BY expressions not in the
 *   targets) → Agg(DISTINCT: every column) or DISTINCT ON (Window with
 *   row_number() = 1) → Sort → Limit
 *
 * Length: about 1,300 lines, over the house 1,200, because every clause
 * shares the QueryScope and the target list; expression walking lives in
 * sql/bind_query_walk.c, aggregate calls in sql/bind_agg.c, JOINs in
 * sql/bind_join.c, and the other FROM items are the next part to move out.
 *
 * Invariants:
 *   1. Errors are PostgreSQL's, with its SQLSTATEs and positions: 42703/42702
 *      for column references, 42P01 for unknown tables, 42803 for ungrouped
 *      columns and misplaced aggregates, 42P10 for bad ORDER BY/GROUP BY
 *      positions, 42601 for FROM subqueries without alias.
 *   2. After the aggregate rewrite no Expr above the Agg node refers to an
 *      input column that is not a group key (the 42803 check is that walk).
 *   3. Top-level output columns are the first st->ncols plan columns; any
 *      further columns are ORDER BY keys (resjunk) the portal does not show.
 */
#include <stdio.h>
#include <string.h>

#include "sql/bind_query.h"
#include "sql/bind_scope.h"
#include "sql/bind_setop.h"
#include "sql/bind_struct_expr.h"
#include "sql/bind_sublink.h"
#include "sql/bind_temporal.h"
#include "sql/bind_window.h"
#include "sql/bind_window_tvf.h"
#include "sql/describe.h"
#include "sql/table.h"

/* ScopeRel and QueryScope: sql/bind_scope.h */

/* A bound select-list entry. */
typedef struct Target {
    Expr *expr;
    const char *name;
    bool resjunk;
} Target;

typedef struct TargetList {
    int n, cap;
    Target *items;
} TargetList;

static int bind_select_plan(BindCtx *b, const PgQuery__SelectStmt *sel, PlanNode **out,
                            int *nvisible, const char ***names, bool is_top);

/* ---- small helpers -------------------------------------------------------------------- */

static void
targets_add(BindCtx *b, TargetList *tl, Expr *e, const char *name, bool resjunk)
{
    if (tl->n == tl->cap) {
        int cap = tl->cap ? tl->cap * 2 : 8;
        Target *items = arena_alloc(b->arena, sizeof(Target) * (size_t)cap);

        if (tl->n > 0)
            memcpy(items, tl->items, sizeof(Target) * (size_t)tl->n);
        tl->items = items;
        tl->cap = cap;
    }
    tl->items[tl->n++] = (Target){e, name, resjunk};
}

int
bind_finish_type(BindCtx *b, Expr **e)
{
    const TypeInfo *t;

    if ((*e)->type == TYPE_UNKNOWN && bind_coerce(b, e, TYPE_TEXT, COERCION_IMPLICIT, -1) != 0)
        return -1;
    t = type_by_oid((*e)->type);
    if (t == NULL || !t->supported)
        return bind_error(b, (*e)->location, ERRCODE_FEATURE_NOT_SUPPORTED,
                          "type %s is not supported yet", type_sql_name((*e)->type));
    return 0;
}

Expr *
bind_column_expr(BindCtx *b, int column, Oid type, int32_t typmod, int location)
{
    Expr *e = expr_new(b->arena, EXPR_COLUMN, type, location);

    e->u.column = column;
    e->typmod = typmod;
    return e;
}

static const PgQuery__List *
as_list(const Node *n)
{
    return n != NULL && n->node_case == PG_QUERY__NODE__NODE_LIST ? n->list : NULL;
}

static bool
is_star(const Node *n)
{
    return n != NULL && n->node_case == PG_QUERY__NODE__NODE_A_STAR;
}

static int
integer_const(const Node *n, int *value, int *location)
{
    if (n == NULL || n->node_case != PG_QUERY__NODE__NODE_A_CONST || n->a_const->isnull ||
        n->a_const->val_case != PG_QUERY__A__CONST__VAL_IVAL)
        return 0;
    *value = n->a_const->ival != NULL ? n->a_const->ival->ival : 0;
    *location = n->a_const->location;
    return 1;
}

/* ---- the scope: column references ----------------------------------------------------- */

static void
scope_add_rel(BindCtx *b, QueryScope *s, const char *name, int ncols, const char **colnames,
              const Oid *types, const int32_t *typmods)
{
    ScopeRel *rels = arena_alloc(b->arena, sizeof(ScopeRel) * (size_t)(s->nrels + 1));
    Oid *t = arena_alloc(b->arena, sizeof(Oid) * (size_t)(s->ncols + ncols + 1));
    int32_t *m = arena_alloc(b->arena, sizeof(int32_t) * (size_t)(s->ncols + ncols + 1));

    if (s->nrels > 0)
        memcpy(rels, s->rels, sizeof(ScopeRel) * (size_t)s->nrels);
    if (s->ncols > 0) {
        memcpy(t, s->types, sizeof(Oid) * (size_t)s->ncols);
        memcpy(m, s->typmods, sizeof(int32_t) * (size_t)s->ncols);
    }
    memcpy(t + s->ncols, types, sizeof(Oid) * (size_t)ncols);
    memcpy(m + s->ncols, typmods, sizeof(int32_t) * (size_t)ncols);
    rels[s->nrels] = (ScopeRel){name, s->ncols, ncols, colnames, NULL, false, false};
    s->rels = rels;
    s->types = t;
    s->typmods = m;
    s->nrels++;
    s->ncols += ncols;
}

static const ScopeRel *
scope_find_rel(const QueryScope *s, const char *name)
{
    for (int i = 0; i < s->nrels; i++) {
        if (!s->rels[i].is_name_hidden && s->rels[i].name != NULL &&
            strcmp(s->rels[i].name, name) == 0)
            return &s->rels[i];
    }
    return NULL;
}

static int
rel_find_col(const ScopeRel *r, const char *name)
{
    for (int c = 0; c < r->ncols; c++) {
        if (strcmp(r->colnames[c], name) == 0)
            return scope_rel_col(r, c);
    }
    return -1;
}

/* The relation owning scope column `col` (for messages: "v.a"). */
static const ScopeRel *
scope_rel_of(const QueryScope *s, int col)
{
    for (int i = 0; i < s->nrels; i++) {
        if (s->rels[i].cols == NULL && col >= s->rels[i].first &&
            col < s->rels[i].first + s->rels[i].ncols)
            return &s->rels[i];
    }
    return NULL;
}

/* True when cr names a relation or column of s itself (or is not a plain name). */
static bool
scope_resolves(const QueryScope *s, const PgQuery__ColumnRef *cr)
{
    const char *first = cr->n_fields > 0 ? bind_node_str(cr->fields[0]) : NULL;

    if (first == NULL || cr->n_fields > 2)
        return true;
    if (scope_find_rel(s, first) != NULL)
        return true;
    for (int i = 0; cr->n_fields == 1 && i < s->nrels; i++) {
        for (int c = 0; c < s->rels[i].ncols && !s->rels[i].are_cols_hidden; c++) {
            if (strcmp(s->rels[i].colnames[c], first) == 0)
                return true;
        }
    }
    return false;
}

/* For sql/bind_sublink.c: cr bound in scope s. */
Expr *
bind_query_columnref_in(BindCtx *b, QueryScope *s, const PgQuery__ColumnRef *cr)
{
    QueryScope *saved = b->scope;
    Expr *e;

    b->scope = s;
    e = bind_query_columnref(b, cr);
    b->scope = saved;
    return e;
}

struct BindSubLinks **
bind_query_sublinks(BindCtx *b)
{
    return b->scope != NULL ? &b->scope->sublinks : NULL;
}

const char *
bind_query_context(const BindCtx *b, bool *in_agg)
{
    *in_agg = b->scope->in_agg;
    return b->scope->agg_forbidden;
}

int
bind_query_ncols(const BindCtx *b)
{
    return b->scope->ncols;
}

int
bind_query_subselect(BindCtx *b, const PgQuery__SelectStmt *sel, PlanNode **out)
{
    const char **names;
    int nvisible;

    return bind_select_plan(b, sel, out, &nvisible, &names, false);
}

Expr *
bind_query_columnref(BindCtx *b, const PgQuery__ColumnRef *cr)
{
    const QueryScope *s = b->scope;
    const char *first = cr->n_fields > 0 ? bind_node_str(cr->fields[0]) : NULL;
    const char *colname;
    const ScopeRel *rel;
    int found = -1;

    if (s->parent != NULL && !scope_resolves(s, cr)) { /* a correlated subquery? */
        int levels = 1;

        for (; s->parent != NULL; s = s->parent, levels++) {
            if (scope_resolves(s->parent, cr))
                return bind_sublink_outer_ref(b, s->parent, levels, cr);
        }
        s = b->scope;
    }
    if (cr->n_fields == 1 && first != NULL) {
        for (int i = 0; i < s->nrels; i++) {
            for (int c = 0; c < s->rels[i].ncols && !s->rels[i].are_cols_hidden; c++) {
                if (strcmp(s->rels[i].colnames[c], first) != 0)
                    continue;
                if (found >= 0) {
                    bind_error(b, cr->location, ERRCODE_AMBIGUOUS_COLUMN,
                               "column reference \"%s\" is ambiguous", first);
                    return NULL;
                }
                found = scope_rel_col(&s->rels[i], c);
            }
        }
        if (found < 0) {
            if (scope_find_rel(s, first) != NULL)
                bind_error(b, cr->location, ERRCODE_FEATURE_NOT_SUPPORTED,
                           "whole-row references are not supported yet");
            else
                bind_error(b, cr->location, ERRCODE_UNDEFINED_COLUMN,
                           "column \"%s\" does not exist", first);
            bind_scope_column_hint(b, s, first); /* sql/bind_join.c */
            return NULL;
        }
        return bind_column_expr(b, found, s->types[found], s->typmods[found], cr->location);
    }
    if (cr->n_fields == 1) {
        bind_error(b, cr->location,
                   s->nrels == 0 ? ERRCODE_SYNTAX_ERROR : ERRCODE_FEATURE_NOT_SUPPORTED,
                   s->nrels == 0 ? "SELECT * with no tables specified is not valid"
                                 : "* is not supported in this position yet");
        return NULL;
    }
    if (cr->n_fields == 2 && first != NULL && bind_scope_hidden_ref(b, s, first, cr->location) < 0)
        return NULL; /* sql/bind_join.c */
    if (cr->n_fields != 2 || first == NULL || (rel = scope_find_rel(s, first)) == NULL) {
        bind_error(b, cr->location, ERRCODE_UNDEFINED_TABLE,
                   "missing FROM-clause entry for table \"%s\"",
                   cr->n_fields > 2 ? bind_node_str(cr->fields[cr->n_fields - 2]) : first);
        return NULL;
    }
    if ((colname = bind_node_str(cr->fields[1])) == NULL) {
        bind_error(b, cr->location, ERRCODE_FEATURE_NOT_SUPPORTED,
                   "%s.* is not supported in this position yet", first);
        return NULL;
    }
    if ((found = rel_find_col(rel, colname)) < 0) {
        bind_error(b, cr->location, ERRCODE_UNDEFINED_COLUMN, "column %s.%s does not exist", first,
                   colname);
        return NULL;
    }
    for (int c = 0; c < rel->ncols; c++) {
        if (strcmp(rel->colnames[c], colname) == 0 && scope_rel_col(rel, c) != found) {
            bind_error(b, cr->location, ERRCODE_AMBIGUOUS_COLUMN,
                       "column reference \"%s\" is ambiguous", colname);
            return NULL;
        }
    }
    return bind_column_expr(b, found, s->types[found], s->typmods[found], cr->location);
}

/* ---- FROM items -------------------------------------------------------------------------- */

static const char **
alias_names(BindCtx *b, const PgQuery__Alias *alias, int ncols, const char *const *defaults,
            int location)
{
    const char **names = arena_alloc(b->arena, sizeof(char *) * (size_t)(ncols ? ncols : 1));
    int given = alias != NULL ? (int)alias->n_colnames : 0;

    if (given > ncols) {
        bind_error(b, location, ERRCODE_INVALID_COLUMN_REFERENCE,
                   "table \"%s\" has %d columns available but %d columns specified",
                   alias->aliasname, ncols, given);
        return NULL;
    }
    for (int i = 0; i < ncols; i++)
        names[i] =
            i < given ? arena_strdup(b->arena, bind_node_str(alias->colnames[i])) : defaults[i];
    return names;
}

/* VALUES (...), (...) as a FROM item or a statement: rows with common column types. */
static PlanNode *
bind_values_plan(BindCtx *b, const PgQuery__SelectStmt *sel)
{
    const PgQuery__List *first = as_list(sel->values_lists[0]);
    int nrows = (int)sel->n_values_lists, ncols = first != NULL ? (int)first->n_items : 0;
    PlanNode *p = plan_new(b->arena, PLAN_VALUES, NULL, ncols);
    Expr **column = arena_alloc(b->arena, sizeof(Expr *) * (size_t)nrows);
    QueryScope *saved = b->scope;

    b->scope = NULL; /* VALUES rows see no columns, and aggregates are not allowed */
    p->u.values.nrows = nrows;
    p->u.values.rows = arena_alloc(b->arena, sizeof(Expr **) * (size_t)nrows);
    for (int r = 0; r < nrows; r++) {
        const PgQuery__List *row = as_list(sel->values_lists[r]);
        int n = row != NULL ? (int)row->n_items : 0;

        p->u.values.rows[r] = arena_alloc(b->arena, sizeof(Expr *) * (size_t)(n ? n : 1));
        for (int c = 0; c < n; c++) {
            if ((p->u.values.rows[r][c] = bind_expr(b, row->items[c])) == NULL)
                goto fail;
        }
        if (n != ncols) {
            bind_error(b, n > 0 ? p->u.values.rows[r][0]->location : -1, ERRCODE_SYNTAX_ERROR,
                       "VALUES lists must all be the same length");
            goto fail;
        }
    }
    b->scope = saved;
    for (int c = 0; c < ncols; c++) {
        Oid common;

        for (int r = 0; r < nrows; r++)
            column[r] = p->u.values.rows[r][c];
        if (bind_common_type(b, column, nrows, "VALUES", &common) < 0)
            return NULL;
        for (int r = 0; r < nrows; r++) {
            p->u.values.rows[r][c] = column[r];
            if (bind_finish_type(b, &p->u.values.rows[r][c]) < 0)
                return NULL;
        }
        p->types[c] = p->u.values.rows[0][c]->type;
        p->typmods[c] = p->u.values.rows[0][c]->typmod;
    }
    return p;
fail:
    b->scope = saved;
    return NULL;
}

static const char **
default_names(BindCtx *b, int ncols)
{
    const char **names = arena_alloc(b->arena, sizeof(char *) * (size_t)(ncols ? ncols : 1));

    for (int i = 0; i < ncols; i++)
        names[i] = arena_sprintf(b->arena, "column%d", i + 1);
    return names;
}

static int
missing_alias(BindCtx *b, const PgQuery__SelectStmt *sub, int location)
{
    bind_error(b, location, ERRCODE_SYNTAX_ERROR, "%s in FROM must have an alias",
               sub->n_values_lists > 0 ? "VALUES" : "subquery");
    err_hint(b->err, "For example, FROM (%s ...) [AS] foo.",
             sub->n_values_lists > 0 ? "VALUES" : "SELECT");
    return -1;
}

static int
add_rel(BindCtx *b, QueryScope *s, const char *name, PlanNode *p, const char **names, int location)
{
    if (scope_find_rel(s, name) != NULL)
        return bind_error(b, location, ERRCODE_DUPLICATE_ALIAS,
                          "table name \"%s\" specified more than once", name);
    scope_add_rel(b, s, name, p->ncols, names, p->types, p->typmods);
    return 0;
}

static int
bind_range_subselect(BindCtx *b, QueryScope *s, const PgQuery__RangeSubselect *rs, PlanNode **out)
{
    const PgQuery__SelectStmt *sub =
        rs->subquery != NULL && rs->subquery->node_case == PG_QUERY__NODE__NODE_SELECT_STMT
            ? rs->subquery->select_stmt
            : NULL;
    const char **defaults, **names;
    int nvisible, location = -1;
    PlanNode *p;
    QueryScope *saved = b->scope;

    if (sub == NULL)
        return bind_error(b, -1, ERRCODE_FEATURE_NOT_SUPPORTED,
                          "this subquery in FROM is not supported yet");
    if (rs->lateral)
        return bind_error(b, -1, ERRCODE_FEATURE_NOT_SUPPORTED, "LATERAL is not supported yet");
    if (rs->alias == NULL)
        return missing_alias(b, sub, location);
    if (sub->n_values_lists > 0 && sub->n_sort_clause == 0 && sub->limit_count == NULL &&
        sub->limit_offset == NULL) {
        if ((p = bind_values_plan(b, sub)) == NULL)
            return -1;
        defaults = default_names(b, p->ncols);
    } else {
        b->scope = NULL;
        if (bind_select_plan(b, sub, &p, &nvisible, &defaults, false) < 0) {
            b->scope = saved;
            return -1;
        }
        b->scope = saved;
    }
    if ((names = alias_names(b, rs->alias, p->ncols, defaults, location)) == NULL)
        return -1;
    *out = p;
    return add_rel(b, s, rs->alias->aliasname, p, names, location);
}

/* generate_series(start, stop [, step]) over int4 or int8. */
static int
bind_series(BindCtx *b, QueryScope *s, const PgQuery__RangeFunction *rf, PlanNode **out)
{
    const PgQuery__List *item = rf->n_functions == 1 ? as_list(rf->functions[0]) : NULL;
    const Node *fn = item != NULL && item->n_items > 0 ? item->items[0] : NULL;
    const PgQuery__FuncCall *fc =
        fn != NULL && fn->node_case == PG_QUERY__NODE__NODE_FUNC_CALL ? fn->func_call : NULL;
    const char *name = fc != NULL ? bind_node_str(fc->funcname[fc->n_funcname - 1]) : NULL;
    const char *relname, *colname;
    Expr *args[3] = {NULL, NULL, NULL};
    Oid type = TYPE_INT4;
    PlanNode *p;
    const char **names;

    if (name == NULL || strcmp(name, "generate_series") != 0 || rf->is_rowsfrom || rf->ordinality ||
        rf->n_coldeflist > 0)
        return bind_error(b, fc != NULL ? fc->location : -1, ERRCODE_FEATURE_NOT_SUPPORTED,
                          "functions in FROM other than generate_series are not supported yet");
    if (fc->n_args < 2 || fc->n_args > 3)
        return bind_error(b, fc->location, ERRCODE_UNDEFINED_FUNCTION,
                          "function generate_series with %d arguments does not exist",
                          (int)fc->n_args);
    s->agg_forbidden = "functions in FROM";
    for (size_t i = 0; i < fc->n_args; i++) {
        if ((args[i] = bind_expr(b, fc->args[i])) == NULL)
            return -1;
        if (args[i]->type == TYPE_INT8)
            type = TYPE_INT8;
        else if (args[i]->type != TYPE_INT4 && args[i]->type != TYPE_INT2 &&
                 args[i]->type != TYPE_UNKNOWN)
            return bind_error(b, fc->location, ERRCODE_FEATURE_NOT_SUPPORTED,
                              "generate_series over %s is not supported yet",
                              type_sql_name(args[i]->type));
    }
    s->agg_forbidden = NULL;
    for (size_t i = 0; i < fc->n_args; i++) {
        if (bind_coerce(b, &args[i], type, COERCION_IMPLICIT, fc->location) != 0)
            return -1;
    }
    p = plan_new(b->arena, PLAN_SERIES, NULL, 1);
    p->types[0] = type;
    p->u.series.start = args[0];
    p->u.series.stop = args[1];
    p->u.series.step = args[2];
    relname = rf->alias != NULL ? rf->alias->aliasname : "generate_series";
    colname = rf->alias != NULL ? rf->alias->aliasname : "generate_series";
    if ((names = alias_names(b, rf->alias, 1, &colname, -1)) == NULL)
        return -1;
    *out = p;
    return add_rel(b, s, relname, p, names, fc->location);
}

static PlanNode *
join_plans(BindCtx *b, PlanNode *l, PlanNode *r)
{
    PlanNode *j;

    if (l == NULL)
        return r;
    j = plan_new(b->arena, PLAN_JOIN, l, l->ncols + r->ncols);
    j->right = r;
    memcpy(j->types, l->types, sizeof(Oid) * (size_t)l->ncols);
    memcpy(j->types + l->ncols, r->types, sizeof(Oid) * (size_t)r->ncols);
    memcpy(j->typmods, l->typmods, sizeof(int32_t) * (size_t)l->ncols);
    memcpy(j->typmods + l->ncols, r->typmods, sizeof(int32_t) * (size_t)r->ncols);
    return j;
}

int
bind_from_item(BindCtx *b, QueryScope *s, const Node *n, PlanNode **out)
{
    switch (n->node_case) {
    case PG_QUERY__NODE__NODE_RANGE_SUBSELECT:
        return bind_range_subselect(b, s, n->range_subselect, out);
    case PG_QUERY__NODE__NODE_RANGE_FUNCTION:
        if (bind_window_tvf_is(n->range_function)) /* TUMBLE / HOP: sql/bind_window_tvf.c */
            return bind_window_tvf(b, s, n->range_function, out);
        return bind_series(b, s, n->range_function, out);
    case PG_QUERY__NODE__NODE_JOIN_EXPR:
        return bind_join_expr(b, s, n->join_expr, out); /* sql/bind_join.c */
    case PG_QUERY__NODE__NODE_RANGE_VAR: {
        /* a WITH query (sql/bind_cte.c), else a stored table or source: sql/bind_insert.c */
        const char **defaults, **names, *relname;
        int cte = bind_cte_ref(b, n->range_var, out, &defaults, &relname);

        if (cte < 0 ||
            (cte == 0 && bind_table_scan(b, n->range_var, out, &defaults, &relname) < 0) ||
            (names = alias_names(b, n->range_var->alias, (*out)->ncols, defaults, -1)) == NULL)
            return -1;
        return add_rel(b, s, relname, *out, names, -1); /* PostgreSQL gives no position */
    }
    default:
        return bind_error(b, -1, ERRCODE_FEATURE_NOT_SUPPORTED,
                          "this FROM clause is not supported yet");
    }
}

static int
bind_from(BindCtx *b, QueryScope *s, const PgQuery__SelectStmt *sel, PlanNode **out)
{
    PlanNode *p = NULL;

    for (size_t i = 0; i < sel->n_from_clause; i++) {
        PlanNode *item;

        if (bind_from_item(b, s, sel->from_clause[i], &item) < 0)
            return -1;
        p = join_plans(b, p, item);
    }
    if (p == NULL) {
        /* SELECT without FROM: one row without columns */
        p = plan_new(b->arena, PLAN_VALUES, NULL, 0);
        p->u.values.nrows = 1;
        p->u.values.rows = arena_calloc(b->arena, 1, sizeof(Expr **));
    }
    *out = p;
    return 0;
}

/* ---- target list ----------------------------------------------------------------------- */

static void
expand_rel(BindCtx *b, const QueryScope *s, const ScopeRel *r, TargetList *tl, int location)
{
    for (int c = 0; c < r->ncols; c++) {
        int col = scope_rel_col(r, c);

        targets_add(b, tl, bind_column_expr(b, col, s->types[col], s->typmods[col], location),
                    r->colnames[c], false);
    }
}

/* `*` and `v.*` in the select list. Returns 1 when n was a star (expanded), 0 if not. */
static int
expand_star(BindCtx *b, const QueryScope *s, const Node *n, TargetList *tl)
{
    const PgQuery__ColumnRef *cr;
    const char *rel, **names;
    Expr **exprs;
    int nexprs = 0, rc = bind_struct_star(b, n, &exprs, &names, &nexprs); /* (x).* */

    if (rc != 0) {
        for (int i = 0; i < nexprs && rc > 0; i++)
            targets_add(b, tl, exprs[i], names[i], false);
        return rc;
    }
    if (n->node_case != PG_QUERY__NODE__NODE_COLUMN_REF)
        return 0;
    cr = n->column_ref;
    if (cr->n_fields == 0 || !is_star(cr->fields[cr->n_fields - 1]))
        return 0;
    if (cr->n_fields == 1) {
        if (s->nrels == 0)
            return bind_error(b, cr->location, ERRCODE_SYNTAX_ERROR,
                              "SELECT * with no tables specified is not valid");
        for (int i = 0; i < s->nrels; i++) {
            if (!s->rels[i].are_cols_hidden)
                expand_rel(b, s, &s->rels[i], tl, cr->location);
        }
        return 1;
    }
    rel = bind_node_str(cr->fields[0]);
    if (cr->n_fields != 2 || rel == NULL || scope_find_rel(s, rel) == NULL)
        return bind_error(b, cr->location, ERRCODE_UNDEFINED_TABLE,
                          "missing FROM-clause entry for table \"%s\"", rel != NULL ? rel : "?");
    expand_rel(b, s, scope_find_rel(s, rel), tl, cr->location);
    return 1;
}

static int
bind_target_list(BindCtx *b, const QueryScope *s, const PgQuery__SelectStmt *sel, TargetList *tl)
{
    int first = tl->n;

    for (size_t i = 0; i < sel->n_target_list; i++) {
        const PgQuery__ResTarget *rt = sel->target_list[i]->res_target;
        int rc = expand_star(b, s, rt->val, tl);
        Expr *e;

        if (rc < 0)
            return -1;
        if (rc > 0)
            continue;
        if ((e = bind_expr(b, rt->val)) == NULL)
            return -1;
        targets_add(b, tl, e,
                    rt->name != NULL && rt->name[0] != '\0' ? arena_strdup(b->arena, rt->name)
                                                            : bind_column_name(rt->val),
                    false);
    }
    for (int i = first; i < tl->n; i++) {
        if (bind_finish_type(b, &tl->items[i].expr) < 0)
            return -1;
    }
    return 0;
}

/* ---- ORDER BY and GROUP BY (findTargetlistEntrySQL92 / SQL99) ------------------------- */

static int
find_target_by_name(BindCtx *b, const TargetList *tl, const char *name, const char *clause,
                    int location)
{
    int found = -1;

    for (int i = 0; i < tl->n; i++) {
        if (tl->items[i].resjunk || strcmp(tl->items[i].name, name) != 0)
            continue;
        if (found >= 0 && !bind_expr_equal(tl->items[found].expr, tl->items[i].expr))
            return bind_error(b, location, ERRCODE_AMBIGUOUS_COLUMN, "%s \"%s\" is ambiguous",
                              clause, name);
        if (found < 0)
            found = i;
    }
    return found < 0 ? -2 : found;
}

static int
find_target_by_number(BindCtx *b, const TargetList *tl, int pos, const char *clause, int location)
{
    int visible = 0;

    for (int i = 0; i < tl->n; i++) {
        if (!tl->items[i].resjunk && ++visible == pos)
            return i;
    }
    return bind_error(b, location, ERRCODE_INVALID_COLUMN_REFERENCE,
                      "%s position %d is not in select list", clause, pos);
}

static bool
is_input_column(const QueryScope *s, const char *name)
{
    for (int i = 0; i < s->nrels; i++) {
        if (!s->rels[i].are_cols_hidden && rel_find_col(&s->rels[i], name) >= 0)
            return true;
    }
    return false;
}

/* Returns the index of the target an ORDER BY / GROUP BY item refers to (adding a resjunk one). */
static int
resolve_clause_item(BindCtx *b, const QueryScope *s, TargetList *tl, const Node *n,
                    const char *clause, bool is_group)
{
    int pos, location, found;
    Expr *e;

    if (n->node_case == PG_QUERY__NODE__NODE_COLUMN_REF && n->column_ref->n_fields == 1) {
        const char *name = bind_node_str(n->column_ref->fields[0]);

        /* GROUP BY prefers an input column; ORDER BY an output column */
        if (name != NULL && !(is_group && is_input_column(s, name))) {
            found = find_target_by_name(b, tl, name, clause, n->column_ref->location);
            if (found != -2)
                return found;
        }
    }
    if (integer_const(n, &pos, &location))
        return find_target_by_number(b, tl, pos, clause, location);
    if ((e = bind_expr(b, n)) == NULL || bind_finish_type(b, &e) < 0)
        return -1;
    for (int i = 0; i < tl->n; i++) {
        if (bind_expr_equal(tl->items[i].expr, e))
            return i;
    }
    targets_add(b, tl, e, "?column?", true);
    return tl->n - 1;
}

/* True when e contains an aggregate placeholder (a column at or beyond the scope's columns). */
static bool
contains_agg(const QueryScope *s, const Expr *e, int *location)
{
    const Expr *kids[64];
    int n;

    if (e->kind == EXPR_COLUMN && e->u.column >= s->ncols) {
        *location = e->location;
        return true;
    }
    n = bind_expr_children(e, kids, 64);
    for (int i = 0; i < n; i++) {
        if (contains_agg(s, kids[i], location))
            return true;
    }
    return false;
}

/* ---- the aggregate rewrite (parseCheckAggregates) -------------------------------------- */

typedef struct Regroup {
    BindCtx *b;
    QueryScope *s;
    int nkeys;
    Expr **keys;
} Regroup;

static Expr *
regroup(void *arg, Expr *e)
{
    Regroup *g = arg;

    for (int k = 0; k < g->nkeys; k++) {
        if (bind_expr_equal(g->keys[k], e))
            return bind_column_expr(g->b, k, e->type, e->typmod, e->location);
    }
    if (e->kind == EXPR_COLUMN) {
        const ScopeRel *r;

        /* a window function (sql/bind_window.c), a subquery's mark or an outer reference
           (sql/bind_sublink.c): placeholders resolved later */
        if (e->u.column >= BIND_WINDOW_BASE || e->u.column >= BIND_SUBLINK_RIGHT_BASE)
            return bind_column_expr(g->b, e->u.column, e->type, e->typmod, e->location);
        if (e->u.column >= g->s->ncols)
            return bind_column_expr(g->b, g->nkeys + (e->u.column - g->s->ncols), e->type, e->typmod,
                               e->location);
        int col = bind_scope_column_origin(g->s, e->u.column); /* USING: sql/bind_join.c */

        r = scope_rel_of(g->s, col);
        bind_error(g->b, col == e->u.column ? e->location : -1, ERRCODE_GROUPING_ERROR,
                   "column \"%s.%s\" must appear in the GROUP BY clause or be used in an "
                   "aggregate function",
                   r != NULL ? r->name : "?", r != NULL ? r->colnames[col - r->first] : "?");
        return NULL;
    }
    return bind_rewrite_children(g->b->arena, g, regroup, e);
}

/* ---- the query ----------------------------------------------------------------------------- */

static int
check_clauses(BindCtx *b, const PgQuery__SelectStmt *sel)
{
    static const char *const setops[] = {"?", "?", "UNION", "INTERSECT", "EXCEPT"};
    const char *what = NULL;

    if (sel->op != PG_QUERY__SET_OPERATION__SETOP_NONE)
        what = (unsigned)sel->op < 5 ? setops[sel->op] : "set operation";
    else if (sel->with_clause != NULL)
        what = "WITH";
    else if (sel->into_clause != NULL)
        what = "SELECT INTO";
    else if (sel->n_locking_clause > 0)
        what = "FOR UPDATE/SHARE";
    else if (sel->limit_option == PG_QUERY__LIMIT_OPTION__LIMIT_OPTION_WITH_TIES)
        what = "FETCH ... WITH TIES";
    if (what != NULL)
        return bind_error(b, -1, ERRCODE_FEATURE_NOT_SUPPORTED, "%s is not supported yet", what);
    return 0;
}

typedef struct SortSpec {
    int target;
    bool desc, nulls_first;
    int location;
} SortSpec;

static int
bind_sort_clause(BindCtx *b, const QueryScope *s, const PgQuery__SelectStmt *sel, TargetList *tl,
                 SortSpec *specs)
{
    for (size_t i = 0; i < sel->n_sort_clause; i++) {
        const PgQuery__SortBy *sb = sel->sort_clause[i]->sort_by;
        int t;

        if (sb->sortby_dir == PG_QUERY__SORT_BY_DIR__SORTBY_USING)
            return bind_error(b, sb->location, ERRCODE_FEATURE_NOT_SUPPORTED,
                              "ORDER BY ... USING is not supported yet");
        if ((t = resolve_clause_item(b, s, tl, sb->node, "ORDER BY", false)) < 0)
            return -1;
        specs[i].target = t;
        specs[i].desc = sb->sortby_dir == PG_QUERY__SORT_BY_DIR__SORTBY_DESC;
        specs[i].nulls_first =
            sb->sortby_nulls == PG_QUERY__SORT_BY_NULLS__SORTBY_NULLS_DEFAULT ||
                    sb->sortby_nulls == PG_QUERY__SORT_BY_NULLS__SORT_BY_NULLS_UNDEFINED
                ? specs[i].desc
                : sb->sortby_nulls == PG_QUERY__SORT_BY_NULLS__SORTBY_NULLS_FIRST;
        specs[i].location = sb->location;
    }
    return 0;
}

static int
bind_group_clause(BindCtx *b, QueryScope *s, const PgQuery__SelectStmt *sel, TargetList *tl,
                  Expr ***keys, int *nkeys)
{
    *keys = arena_alloc(b->arena, sizeof(Expr *) * (sel->n_group_clause + 1));
    *nkeys = 0;
    for (size_t i = 0; i < sel->n_group_clause; i++) {
        const Node *n = sel->group_clause[i];
        int naggs = s->naggs, t, loc;
        Expr *e;
        bool dup = false;

        if (n->node_case == PG_QUERY__NODE__NODE_GROUPING_SET &&
            n->grouping_set->kind == PG_QUERY__GROUPING_SET_KIND__GROUPING_SET_EMPTY)
            continue; /* GROUP BY (): one group, as without GROUP BY */
        if (n->node_case == PG_QUERY__NODE__NODE_GROUPING_SET)
            return bind_error(b, -1, ERRCODE_FEATURE_NOT_SUPPORTED,
                              "GROUPING SETS, ROLLUP and CUBE are not supported yet");
        s->agg_forbidden = "GROUP BY";
        t = resolve_clause_item(b, s, tl, n, "GROUP BY", true);
        s->agg_forbidden = NULL;
        if (t < 0)
            return -1;
        e = tl->items[t].expr;
        if (contains_agg(s, e, &loc) || s->naggs != naggs)
            return bind_error(b, loc, ERRCODE_GROUPING_ERROR,
                              "aggregate functions are not allowed in GROUP BY");
        for (int k = 0; k < *nkeys; k++)
            dup = dup || bind_expr_equal((*keys)[k], e);
        if (!dup)
            (*keys)[(*nkeys)++] = e;
    }
    return 0;
}

static bool
has_grouping(const QueryScope *s, const PgQuery__SelectStmt *sel)
{
    return s->naggs > 0 || sel->n_group_clause > 0 || sel->having_clause != NULL;
}

/* Agg node over `input`, and the targets/HAVING rewritten over its output. */
static int
build_agg(BindCtx *b, QueryScope *s, PlanNode **plan, Expr **keys, int nkeys, TargetList *tl,
          Expr **having)
{
    PlanNode *p = plan_new(b->arena, PLAN_AGG, *plan, nkeys + s->naggs);
    Regroup g = {b, s, nkeys, keys};

    p->u.agg.nkeys = nkeys;
    p->u.agg.keys = keys;
    p->u.agg.key_orders = arena_calloc(b->arena, (size_t)(nkeys ? nkeys : 1), sizeof(TypeOrder));
    p->u.agg.naggs = s->naggs;
    p->u.agg.aggs = s->aggs;
    for (int k = 0; k < nkeys; k++) {
        p->types[k] = keys[k]->type;
        p->typmods[k] = keys[k]->typmod;
        if (!plan_type_order(keys[k]->type, &p->u.agg.key_orders[k]))
            return bind_error(b, keys[k]->location, ERRCODE_UNDEFINED_FUNCTION,
                              "could not identify an equality operator for type %s",
                              type_sql_name(keys[k]->type));
    }
    for (int j = 0; j < s->naggs; j++)
        p->types[nkeys + j] = s->aggs[j].rettype;
    for (int i = 0; i < tl->n; i++) {
        if ((tl->items[i].expr = regroup(&g, tl->items[i].expr)) == NULL)
            return -1;
    }
    if (*having != NULL && (*having = regroup(&g, *having)) == NULL)
        return -1;
    *plan = p;
    return 0;
}

static PlanNode *
filter_node(BindCtx *b, PlanNode *input, Expr *pred)
{
    PlanNode *f;

    if (pred == NULL)
        return input;
    f = plan_new(b->arena, PLAN_FILTER, input, input->ncols);
    memcpy(f->types, input->types, sizeof(Oid) * (size_t)input->ncols);
    memcpy(f->typmods, input->typmods, sizeof(int32_t) * (size_t)input->ncols);
    f->u.pred = pred;
    return f;
}

static PlanNode *
project_node(BindCtx *b, PlanNode *input, const TargetList *tl)
{
    PlanNode *p = plan_new(b->arena, PLAN_PROJECT, input, tl->n);

    p->u.exprs = arena_alloc(b->arena, sizeof(Expr *) * (size_t)(tl->n ? tl->n : 1));
    for (int i = 0; i < tl->n; i++) {
        p->u.exprs[i] = tl->items[i].expr;
        p->types[i] = tl->items[i].expr->type;
        p->typmods[i] = tl->items[i].expr->typmod;
    }
    return p;
}

/*
 * SELECT DISTINCT over the first nvisible columns: hidden columns (GROUP BY keys not in the
 * select list) are projected away first, else they would make duplicates distinct. ORDER BY
 * items are visible columns here (checked by the caller).
 */
static PlanNode *
distinct_node(BindCtx *b, PlanNode *input, int nvisible)
{
    PlanNode *d;

    if (nvisible < input->ncols) {
        PlanNode *p = plan_new(b->arena, PLAN_PROJECT, input, nvisible);

        p->u.exprs = arena_alloc(b->arena, sizeof(Expr *) * (size_t)(nvisible + 1));
        for (int c = 0; c < nvisible; c++) {
            p->types[c] = input->types[c];
            p->typmods[c] = input->typmods[c];
            p->u.exprs[c] = bind_column_expr(b, c, input->types[c], input->typmods[c], -1);
        }
        input = p;
    }
    d = plan_new(b->arena, PLAN_AGG, input, input->ncols);

    d->u.agg.nkeys = input->ncols;
    d->u.agg.keys = arena_alloc(b->arena, sizeof(Expr *) * (size_t)(input->ncols + 1));
    d->u.agg.key_orders = arena_calloc(b->arena, (size_t)input->ncols + 1, sizeof(TypeOrder));
    for (int c = 0; c < input->ncols; c++) {
        d->types[c] = input->types[c];
        d->typmods[c] = input->typmods[c];
        d->u.agg.keys[c] = bind_column_expr(b, c, input->types[c], input->typmods[c], -1);
        if (!plan_type_order(input->types[c], &d->u.agg.key_orders[c])) {
            bind_error(b, -1, ERRCODE_UNDEFINED_FUNCTION,
                       "could not identify an equality operator for type %s",
                       type_sql_name(input->types[c]));
            return NULL;
        }
    }
    return d;
}

static PlanNode *
sort_node(BindCtx *b, PlanNode *input, const SortSpec *specs, int n, const TargetList *tl)
{
    PlanNode *p = plan_new(b->arena, PLAN_SORT, input, input->ncols);

    memcpy(p->types, input->types, sizeof(Oid) * (size_t)input->ncols);
    memcpy(p->typmods, input->typmods, sizeof(int32_t) * (size_t)input->ncols);
    p->u.sort.nkeys = n;
    p->u.sort.keys = arena_calloc(b->arena, (size_t)n, sizeof(SortKey));
    for (int i = 0; i < n; i++) {
        SortKey *k = &p->u.sort.keys[i];

        k->column = specs[i].target;
        k->desc = specs[i].desc;
        k->nulls_first = specs[i].nulls_first;
        if (!plan_type_order(input->types[k->column], &k->order)) {
            bind_error(b, tl->items[k->column].expr->location, ERRCODE_UNDEFINED_FUNCTION,
                       "could not identify an ordering operator for type %s",
                       type_sql_name(input->types[k->column]));
            err_hint(b->err, "Use an explicit ordering operator or modify the query.");
            return NULL;
        }
    }
    return p;
}

static int
bind_where(BindCtx *b, QueryScope *s, const Node *n, const char *what, Expr **out)
{
    Expr *e;

    *out = NULL;
    if (n == NULL)
        return 0;
    s->agg_forbidden = strcmp(what, "WHERE") == 0 ? "WHERE" : NULL;
    bind_window_forbid(b, what);
    e = b->temporal_ok && strcmp(what, "WHERE") == 0 /* views: sql/bind_temporal.c */
            ? bind_temporal_where(b, n, &s->temporal, &s->ntemporal)
            : bind_expr(b, n);
    bind_window_forbid(b, NULL);
    s->agg_forbidden = NULL;
    if (e == NULL || (*out = bind_coerce_bool(b, e, what)) == NULL)
        return -1;
    return 0;
}

/* The values of a VALUES statement with ORDER BY/LIMIT, as a one-relation scope. */
static int
bind_values_source(BindCtx *b, QueryScope *s, const PgQuery__SelectStmt *sel, PlanNode **plan,
                   TargetList *tl)
{
    const char **names;

    if ((*plan = bind_values_plan(b, sel)) == NULL)
        return -1;
    names = default_names(b, (*plan)->ncols);
    scope_add_rel(b, s, "*VALUES*", (*plan)->ncols, names, (*plan)->types, (*plan)->typmods);
    expand_rel(b, s, &s->rels[0], tl, -1);
    return 0;
}

/*
 * DISTINCT ON (transformDistinctOnClause): the targets of its expressions (resolved as ORDER
 * BY items), which must match the leading ORDER BY items (42P10).
 */
static int
bind_distinct_on(BindCtx *b, QueryScope *s, const PgQuery__SelectStmt *sel, TargetList *tl,
                 const SortSpec *specs, int **cols)
{
    int n = (int)sel->n_distinct_clause, *locs = arena_calloc(b->arena, (size_t)n, sizeof(int));
    bool skipped = false;

    *cols = arena_calloc(b->arena, (size_t)n, sizeof(int));
    for (int i = 0; i < n; i++) {
        const Node *d = sel->distinct_clause[i];

        if (((*cols)[i] = resolve_clause_item(b, s, tl, d, "DISTINCT ON", false)) < 0)
            return -1;
        locs[i] = d->node_case == PG_QUERY__NODE__NODE_COLUMN_REF ? d->column_ref->location
                  : d->node_case == PG_QUERY__NODE__NODE_A_CONST  ? d->a_const->location
                  : d->node_case == PG_QUERY__NODE__NODE_A_EXPR   ? d->a_expr->location
                  : d->node_case == PG_QUERY__NODE__NODE_FUNC_CALL
                      ? d->func_call->location
                      : tl->items[(*cols)[i]].expr->location;
    }
    for (size_t k = 0; k < sel->n_sort_clause; k++) {
        int found = -1;

        for (int i = 0; i < n && found < 0; i++)
            found = (*cols)[i] == specs[k].target ? i : -1;
        if (found < 0)
            skipped = true;
        else if (skipped)
            return bind_error(b, locs[found], ERRCODE_INVALID_COLUMN_REFERENCE,
                              "SELECT DISTINCT ON expressions must match initial ORDER BY "
                              "expressions");
    }
    for (int i = 0; i < n && skipped; i++) {
        bool in_order = false;

        for (size_t k = 0; k < sel->n_sort_clause; k++)
            in_order = in_order || (*cols)[i] == specs[k].target;
        if (!in_order)
            return bind_error(b, locs[i], ERRCODE_INVALID_COLUMN_REFERENCE,
                              "SELECT DISTINCT ON expressions must match initial ORDER BY "
                              "expressions");
    }
    return 0;
}

/* Window functions (sql/bind_window.c) over the rows after GROUP BY / HAVING. */
static int
bind_windows(BindCtx *b, QueryScope *s, const PgQuery__SelectStmt *sel, PlanNode **plan,
             TargetList *tl, Expr **keys, int nkeys)
{
    Regroup g = {b, s, nkeys, keys};
    Expr **exprs = arena_calloc(b->arena, (size_t)tl->n + 1, sizeof(Expr *));

    for (int i = 0; i < tl->n; i++)
        exprs[i] = tl->items[i].expr;
    if (bind_window_plan(b, plan, exprs, tl->n, has_grouping(s, sel) ? regroup : NULL, &g) < 0)
        return -1;
    for (int i = 0; i < tl->n; i++)
        tl->items[i].expr = exprs[i];
    return 0;
}

static int
bind_select_body(BindCtx *b, QueryScope *s, const PgQuery__SelectStmt *sel, PlanNode **plan,
                 TargetList *tl, int *nvisible)
{
    SortSpec *specs = arena_calloc(b->arena, sel->n_sort_clause + 1, sizeof(SortSpec));
    Expr *where, *having, **keys, *limit, *offset;
    bool distinct = sel->n_distinct_clause > 0, grouped;
    bool distinct_on = distinct && sel->distinct_clause[0] != NULL &&
                       sel->distinct_clause[0]->node_case != PG_QUERY__NODE__NODE__NOT_SET;
    int nkeys, *don_cols = NULL;

    if (sel->n_values_lists > 0) {
        if (bind_values_source(b, s, sel, plan, tl) < 0)
            return -1;
        where = having = NULL;
    } else if (bind_from(b, s, sel, plan) < 0 || bind_window_begin(b, sel) < 0 ||
               bind_target_list(b, s, sel, tl) < 0 ||
               bind_where(b, s, sel->where_clause, "WHERE", &where) < 0 ||
               bind_where(b, s, sel->having_clause, "HAVING", &having) < 0) {
        return -1;
    }
    *nvisible = tl->n;
    if (bind_sort_clause(b, s, sel, tl, specs) < 0 ||
        bind_group_clause(b, s, sel, tl, &keys, &nkeys) < 0)
        return -1;
    if (distinct_on && bind_distinct_on(b, s, sel, tl, specs, &don_cols) < 0)
        return -1;
    distinct = distinct && !distinct_on;
    for (size_t i = 0; distinct && i < sel->n_sort_clause; i++) {
        if (specs[i].target >= *nvisible)
            return bind_error(b, tl->items[specs[i].target].expr->location,
                              ERRCODE_INVALID_COLUMN_REFERENCE,
                              "for SELECT DISTINCT, ORDER BY expressions must appear in select "
                              "list");
    }
    s->agg_forbidden = "LIMIT";
    if (bind_limit(b, sel->limit_count, "LIMIT", &limit) < 0)
        return -1;
    s->agg_forbidden = "OFFSET";
    if (bind_limit(b, sel->limit_offset, "OFFSET", &offset) < 0)
        return -1;
    s->agg_forbidden = NULL;
    grouped = has_grouping(s, sel); /* SubLinks of WHERE below it, the others above / the Agg */
    if (bind_sublink_attach(b, s->sublinks, plan, &where, grouped, false) < 0)
        return -1;
    *plan = filter_node(b, *plan, where);
    *plan = bind_temporal_attach(b, *plan, s->temporal, s->ntemporal, s->parent != NULL);
    if ((grouped && build_agg(b, s, plan, keys, nkeys, tl, &having) < 0) ||
        bind_sublink_attach(b, s->sublinks, plan, &having, grouped, true) < 0)
        return -1;
    *plan = filter_node(b, *plan, having);
    if (bind_windows(b, s, sel, plan, tl, keys, nkeys) < 0)
        return -1;
    *plan = project_node(b, *plan, tl);
    if (distinct && (*plan = distinct_node(b, *plan, *nvisible)) == NULL)
        return -1;
    if (distinct_on) {
        PlanNode *order = sort_node(b, *plan, specs, (int)sel->n_sort_clause, tl);

        if (order == NULL ||
            bind_window_distinct_on(b, plan, don_cols, (int)sel->n_distinct_clause,
                                    order->u.sort.keys, order->u.sort.nkeys) < 0)
            return -1;
    }
    if (sel->n_sort_clause > 0 &&
        (*plan = sort_node(b, *plan, specs, (int)sel->n_sort_clause, tl)) == NULL)
        return -1;
    if (limit != NULL || offset != NULL) {
        PlanNode *l = plan_new(b->arena, PLAN_LIMIT, *plan, (*plan)->ncols);

        memcpy(l->types, (*plan)->types, sizeof(Oid) * (size_t)l->ncols);
        memcpy(l->typmods, (*plan)->typmods, sizeof(int32_t) * (size_t)l->ncols);
        l->u.limit.limit = limit;
        l->u.limit.offset = offset;
        *plan = l;
    }
    return bind_sublink_resolve(b, s->sublinks, *plan);
}

/* Binds one query level: its own scope, restored afterwards. */
static int
bind_select_plan(BindCtx *b, const PgQuery__SelectStmt *sel, PlanNode **out, int *nvisible,
                 const char ***names, bool is_top)
{
    QueryScope *saved = b->scope, *s = arena_calloc(b->arena, 1, sizeof *s);
    struct WindowScope *saved_win = b->win;
    TargetList tl = {0};
    int rc;

    if (sel->with_clause != NULL || sel->op != PG_QUERY__SET_OPERATION__SETOP_NONE)
        return bind_with_select(b, sel, out, nvisible, names, is_top); /* sql/bind_cte.c */
    if (check_clauses(b, sel) < 0)
        return -1;
    b->scope = s;
    b->win = NULL;
    s->parent = saved; /* NULL but for a SubLink's subquery (FROM items clear b->scope) */
    s->sublinks = bind_sublink_list(b);
    rc = bind_select_body(b, s, sel, out, &tl, nvisible);
    b->scope = saved;
    b->win = saved_win;
    if (rc < 0)
        return -1;
    *names = arena_alloc(b->arena, sizeof(char *) * (size_t)(tl.n ? tl.n : 1));
    for (int i = 0; i < tl.n; i++)
        (*names)[i] = tl.items[i].name;
    /* a subquery's resjunk ORDER BY columns are dropped above its sort; at the top level
       the portal shows only the first nvisible columns */
    if (!is_top && *nvisible < (*out)->ncols) {
        PlanNode *p = plan_new(b->arena, PLAN_PROJECT, *out, *nvisible);

        p->u.exprs = arena_alloc(b->arena, sizeof(Expr *) * (size_t)(*nvisible + 1));
        for (int c = 0; c < *nvisible; c++) {
            p->types[c] = (*out)->types[c];
            p->typmods[c] = (*out)->typmods[c];
            p->u.exprs[c] = bind_column_expr(b, c, p->types[c], p->typmods[c], -1);
        }
        *out = p;
    }
    return 0;
}

int
bind_query_plan(BindCtx *b, const PgQuery__SelectStmt *sel, PlanNode **out, int *nvisible,
                const char ***names, bool is_top)
{
    return bind_select_plan(b, sel, out, nvisible, names, is_top);
}

int
bind_query_select(BindCtx *b, SqlStatement *st, const PgQuery__SelectStmt *sel)
{
    PlanNode *plan;
    const char **names;
    int nvisible;

    if (bind_select_plan(b, sel, &plan, &nvisible, &names, true) < 0)
        return -1;
    st->plan = plan;
    st->ncols = nvisible;
    st->cols = arena_calloc(b->arena, (size_t)(nvisible ? nvisible : 1), sizeof(SqlColumn));
    for (int i = 0; i < nvisible; i++) {
        const TypeInfo *t = type_by_oid(plan->types[i]);

        st->cols[i].name = arena_strdup(b->arena, names[i]);
        st->cols[i].type_oid = plan->types[i];
        st->cols[i].typmod = plan->typmods[i];
        st->cols[i].typlen = t != NULL ? t->typlen : -1;
        /* RowDescription's table OID and attnum (sql/describe.c) */
        describe_column_origin(plan, i, &st->cols[i].table_oid, &st->cols[i].attnum);
    }
    return 0;
}

/*
 * RETURNING of an INSERT (sql/bind_insert.c): the target list bound over one relation's
 * columns (`*` expands to them), aggregates not allowed, unknowns resolved to text.
 */
int
bind_query_returning(BindCtx *b, const char *relname, int ncols, const char **colnames,
                     const Oid *types, const int32_t *typmods, Node **targets, size_t n,
                     Expr ***exprs, const char ***names, int *nout)
{
    return bind_query_over_rows(b, relname, NULL, ncols, colnames, types, typmods, targets, n,
                                exprs, names, nout);
}

int
bind_query_over_rows(BindCtx *b, const char *relname, const char *relname2, int ncols,
                     const char **colnames, const Oid *types, const int32_t *typmods,
                     Node **targets, size_t n, Expr ***exprs, const char ***names, int *nout)
{
    QueryScope *saved = b->scope, *s = arena_calloc(b->arena, 1, sizeof *s);
    PgQuery__SelectStmt list = PG_QUERY__SELECT_STMT__INIT;
    TargetList tl = {0};
    int rc;

    list.n_target_list = n;
    list.target_list = targets;
    scope_add_rel(b, s, relname, ncols, colnames, types, typmods);
    if (relname2 != NULL) /* ON CONFLICT DO UPDATE: the row proposed for insertion */
        scope_add_rel(b, s, relname2, ncols, colnames, types, typmods);
    s->agg_forbidden = "RETURNING";
    b->scope = s;
    rc = bind_target_list(b, s, &list, &tl);
    b->scope = saved;
    if (rc < 0)
        return -1;
    *exprs = arena_alloc(b->arena, sizeof(Expr *) * (size_t)(tl.n ? tl.n : 1));
    *names = arena_alloc(b->arena, sizeof(char *) * (size_t)(tl.n ? tl.n : 1));
    for (int i = 0; i < tl.n; i++) {
        (*exprs)[i] = tl.items[i].expr;
        (*names)[i] = tl.items[i].name;
    }
    *nout = tl.n;
    return 0;
}
