/*
 * sql/bind_query_walk.c — walking expressions for the query binder
 * (sql/bind_query.c): structural equality of bound Expr trees (GROUP BY
 * and ORDER BY matching, as PostgreSQL's equal()), copying a tree with its
 * children rewritten (the aggregate rewrite), listing children, and the
 * syntactic check that decides whether a SELECT needs a plan.
 *
 * Invariants:
 *   1. Every ExprKind of sql/expr.h is handled; a kind added there must be
 *      added here (equality falls back to "not equal", which only costs a
 *      GROUP BY match, never a wrong result).
 *   2. Rewriting never modifies its input: nodes are copied.
 */
#include <string.h>

#include "sql/bind_query.h"

/* ---- structural equality and walking of bound expressions ---------------------------- */

static bool
exprs_equal(Expr *const *a, Expr *const *b, int n)
{
    for (int i = 0; i < n; i++) {
        if (!bind_expr_equal(a[i], b[i]))
            return false;
    }
    return true;
}

static bool
const_equal(const Expr *a, const Expr *b)
{
    const TypeInfo *t = type_by_oid(a->type);

    if (a->u.konst.isnull || b->u.konst.isnull)
        return a->u.konst.isnull == b->u.konst.isnull;
    if (t != NULL && !t->byval) {
        const VarData *x = datum_get_var(a->u.konst.d), *y = datum_get_var(b->u.konst.d);

        return x->len == y->len && memcmp(x->data, y->data, x->len) == 0;
    }
    return a->u.konst.d == b->u.konst.d;
}

bool
bind_expr_equal(const Expr *a, const Expr *b)
{
    if (a == b)
        return true;
    if (a == NULL || b == NULL || a->kind != b->kind || a->type != b->type ||
        a->typmod != b->typmod)
        return false;
    switch (a->kind) {
    case EXPR_CONST:
        return const_equal(a, b);
    case EXPR_PARAM:
        return a->u.param == b->u.param;
    case EXPR_COLUMN:
        return a->u.column == b->u.column;
    case EXPR_CASE_TEST:
        return true;
    case EXPR_FUNC:
        return a->u.func.fn == b->u.func.fn && a->u.func.nargs == b->u.func.nargs &&
               exprs_equal(a->u.func.args, b->u.func.args, a->u.func.nargs);
    case EXPR_COERCE_IO:
    case EXPR_NOT:
        return bind_expr_equal(a->u.arg, b->u.arg);
    case EXPR_AND:
    case EXPR_OR:
    case EXPR_COALESCE:
        return a->u.list.nargs == b->u.list.nargs &&
               exprs_equal(a->u.list.args, b->u.list.args, a->u.list.nargs);
    case EXPR_NULLTEST:
        return a->u.nulltest.is_not == b->u.nulltest.is_not &&
               bind_expr_equal(a->u.nulltest.arg, b->u.nulltest.arg);
    case EXPR_BOOLTEST:
        return a->u.booltest.kind == b->u.booltest.kind &&
               bind_expr_equal(a->u.booltest.arg, b->u.booltest.arg);
    case EXPR_DISTINCT:
    case EXPR_NULLIF:
        return a->u.distinct.is_not == b->u.distinct.is_not &&
               bind_expr_equal(a->u.distinct.eq, b->u.distinct.eq);
    case EXPR_CASE:
        return a->u.kase.nwhen == b->u.kase.nwhen &&
               bind_expr_equal(a->u.kase.arg, b->u.kase.arg) &&
               exprs_equal(a->u.kase.when, b->u.kase.when, a->u.kase.nwhen) &&
               exprs_equal(a->u.kase.then, b->u.kase.then, a->u.kase.nwhen) &&
               bind_expr_equal(a->u.kase.otherwise, b->u.kase.otherwise);
    default:
        return false;
    }
}

static int
rewrite_array(void *arg, RewriteFn fn, Expr **dst, Expr *const *src, int n)
{
    for (int i = 0; i < n; i++) {
        if (src[i] != NULL && (dst[i] = fn(arg, src[i])) == NULL)
            return -1;
    }
    return 0;
}

Expr *
bind_rewrite_children(Arena *a, void *arg, RewriteFn fn, const Expr *e)
{
    Expr *c = arena_memdup(a, e, sizeof *e);
    size_t n;

    switch (e->kind) {
    case EXPR_FUNC:
        n = (size_t)e->u.func.nargs;
        c->u.func.args = arena_calloc(a, n ? n : 1, sizeof(Expr *));
        return rewrite_array(arg, fn, c->u.func.args, e->u.func.args, (int)n) < 0 ? NULL : c;
    case EXPR_COERCE_IO:
    case EXPR_NOT:
        return (c->u.arg = fn(arg, e->u.arg)) == NULL ? NULL : c;
    case EXPR_AND:
    case EXPR_OR:
    case EXPR_COALESCE:
        n = (size_t)e->u.list.nargs;
        c->u.list.args = arena_calloc(a, n ? n : 1, sizeof(Expr *));
        return rewrite_array(arg, fn, c->u.list.args, e->u.list.args, (int)n) < 0 ? NULL : c;
    case EXPR_NULLTEST:
        return (c->u.nulltest.arg = fn(arg, e->u.nulltest.arg)) == NULL ? NULL : c;
    case EXPR_BOOLTEST:
        return (c->u.booltest.arg = fn(arg, e->u.booltest.arg)) == NULL ? NULL : c;
    case EXPR_DISTINCT:
    case EXPR_NULLIF:
        return (c->u.distinct.eq = fn(arg, e->u.distinct.eq)) == NULL ? NULL : c;
    case EXPR_CASE:
        n = (size_t)e->u.kase.nwhen;
        c->u.kase.when = arena_calloc(a, n ? n : 1, sizeof(Expr *));
        c->u.kase.then = arena_calloc(a, n ? n : 1, sizeof(Expr *));
        if ((e->u.kase.arg != NULL && (c->u.kase.arg = fn(arg, e->u.kase.arg)) == NULL) ||
            rewrite_array(arg, fn, c->u.kase.when, e->u.kase.when, (int)n) < 0 ||
            rewrite_array(arg, fn, c->u.kase.then, e->u.kase.then, (int)n) < 0 ||
            (e->u.kase.otherwise != NULL &&
             (c->u.kase.otherwise = fn(arg, e->u.kase.otherwise)) == NULL))
            return NULL;
        return c;
    default:
        return c;
    }
}

/* The children of e, at most cap of them; returns how many. */
int
bind_expr_children(const Expr *e, const Expr **out, int cap)
{
    int n = 0;

#define PUSH(x)                                                                                    \
    do {                                                                                           \
        if ((x) != NULL && n < cap)                                                                \
            out[n++] = (x);                                                                        \
    } while (0)
    switch (e->kind) {
    case EXPR_FUNC:
        for (int i = 0; i < e->u.func.nargs; i++)
            PUSH(e->u.func.args[i]);
        break;
    case EXPR_COERCE_IO:
    case EXPR_NOT:
        PUSH(e->u.arg);
        break;
    case EXPR_AND:
    case EXPR_OR:
    case EXPR_COALESCE:
        for (int i = 0; i < e->u.list.nargs; i++)
            PUSH(e->u.list.args[i]);
        break;
    case EXPR_NULLTEST:
        PUSH(e->u.nulltest.arg);
        break;
    case EXPR_BOOLTEST:
        PUSH(e->u.booltest.arg);
        break;
    case EXPR_DISTINCT:
    case EXPR_NULLIF:
        PUSH(e->u.distinct.eq);
        break;
    case EXPR_CASE:
        PUSH(e->u.kase.arg);
        for (int i = 0; i < e->u.kase.nwhen; i++) {
            PUSH(e->u.kase.when[i]);
            PUSH(e->u.kase.then[i]);
        }
        PUSH(e->u.kase.otherwise);
        break;
    default:
        break;
    }
#undef PUSH
    return n;
}

/* ---- deciding whether a SELECT needs a plan ------------------------------------------------ */

static bool raw_has_agg(const Node *n);

static bool
raw_list_has_agg(Node *const *items, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (raw_has_agg(items[i]))
            return true;
    }
    return false;
}

/* A syntactic look for aggregate calls (not into subqueries). */
static bool
raw_has_agg(const Node *n)
{
    if (n == NULL)
        return false;
    switch (n->node_case) {
    case PG_QUERY__NODE__NODE_FUNC_CALL: {
        const PgQuery__FuncCall *fc = n->func_call;
        const char *name =
            fc->n_funcname > 0 ? bind_node_str(fc->funcname[fc->n_funcname - 1]) : NULL;

        if (fc->agg_star || fc->over != NULL || (name != NULL && agg_name_exists(name)))
            return true;
        return raw_list_has_agg(fc->args, fc->n_args);
    }
    case PG_QUERY__NODE__NODE_RES_TARGET:
        return raw_has_agg(n->res_target->val);
    case PG_QUERY__NODE__NODE_A_EXPR:
        return raw_has_agg(n->a_expr->lexpr) || raw_has_agg(n->a_expr->rexpr);
    case PG_QUERY__NODE__NODE_BOOL_EXPR:
        return raw_list_has_agg(n->bool_expr->args, n->bool_expr->n_args);
    case PG_QUERY__NODE__NODE_LIST:
        return raw_list_has_agg(n->list->items, n->list->n_items);
    case PG_QUERY__NODE__NODE_TYPE_CAST:
        return raw_has_agg(n->type_cast->arg);
    case PG_QUERY__NODE__NODE_NULL_TEST:
        return raw_has_agg(n->null_test->arg);
    case PG_QUERY__NODE__NODE_BOOLEAN_TEST:
        return raw_has_agg(n->boolean_test->arg);
    case PG_QUERY__NODE__NODE_COALESCE_EXPR:
        return raw_list_has_agg(n->coalesce_expr->args, n->coalesce_expr->n_args);
    case PG_QUERY__NODE__NODE_MIN_MAX_EXPR:
        return raw_list_has_agg(n->min_max_expr->args, n->min_max_expr->n_args);
    case PG_QUERY__NODE__NODE_CASE_EXPR:
        return raw_has_agg(n->case_expr->arg) || raw_has_agg(n->case_expr->defresult) ||
               raw_list_has_agg(n->case_expr->args, n->case_expr->n_args);
    case PG_QUERY__NODE__NODE_CASE_WHEN:
        return raw_has_agg(n->case_when->expr) || raw_has_agg(n->case_when->result);
    case PG_QUERY__NODE__NODE_COLLATE_CLAUSE:
        return raw_has_agg(n->collate_clause->arg);
    case PG_QUERY__NODE__NODE_SUB_LINK:
        return true; /* not an aggregate, but it needs a plan too (sql/bind_sublink.c) */
    default:
        return false;
    }
}

bool
bind_query_wanted(const PgQuery__SelectStmt *sel)
{
    if (sel->op != PG_QUERY__SET_OPERATION__SETOP_NONE || sel->with_clause != NULL)
        return true; /* set operations and WITH: sql/bind_setop.c, sql/bind_cte.c */
    if (sel->n_values_lists > 0)
        return sel->n_sort_clause > 0; /* binder.c runs VALUES ... LIMIT itself */
    return sel->n_from_clause > 0 || sel->n_group_clause > 0 || sel->having_clause != NULL ||
           sel->n_window_clause > 0 ||
           sel->n_sort_clause > 0 || sel->n_distinct_clause > 0 ||
           raw_list_has_agg(sel->target_list, sel->n_target_list) ||
           raw_has_agg(sel->where_clause) || raw_has_agg(sel->limit_count) ||
           raw_has_agg(sel->limit_offset);
}
