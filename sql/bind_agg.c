/*
 * sql/bind_agg.c — aggregate calls inside a query (PostgreSQL's parse_agg.c
 * transformAggregateCall and the aggregate half of ParseFuncOrColumn):
 * resolving the aggregate by argument types, DISTINCT, ORDER BY inside the
 * call, FILTER (WHERE ...), and the checks of where an aggregate may appear
 * (42803 nested aggregates, 42P20 / the clause the query binder forbids).
 * Each call becomes an AggCall of the query's scope and binds to a
 * placeholder column the query binder (sql/bind_query.c) replaces by the Agg
 * node's output column.
 *
 * Invariants:
 *   1. An aggregate call binds only inside a query scope; its arguments,
 *      FILTER and ORDER BY are bound in that scope with aggregates forbidden.
 *   2. Errors and positions are PostgreSQL's (42883 with the signature when
 *      no aggregate matches, 42803 for nested or misplaced aggregates).
 */
#include <stdio.h>
#include <string.h>

#include "sql/bind_query.h"
#include "sql/bind_scope.h"
#include "sql/bind_window.h" /* bind_query_agg_fill, shared with window aggregates */

/* ---- aggregate calls ------------------------------------------------------------------- */

static Expr *
agg_not_found(BindCtx *b, const PgQuery__FuncCall *fc, const char *qualified, Expr **args,
              int nargs, int nfound)
{
    char sig[512];
    size_t used = (size_t)snprintf(sig, sizeof sig, "%s(", qualified);

    for (int i = 0; i < nargs && used < sizeof sig; i++) {
        const TypeInfo *t = type_by_oid(args[i]->type);

        if (t != NULL && !t->supported) {
            bind_error(b, args[i]->location, ERRCODE_FEATURE_NOT_SUPPORTED,
                       "type %s is not supported yet", t->sql_name);
            return NULL;
        }
        used += (size_t)snprintf(sig + used, sizeof sig - used, "%s%s", i ? ", " : "",
                                 type_sql_name(args[i]->type));
    }
    if (used < sizeof sig)
        snprintf(sig + used, sizeof sig - used, ")");
    if (nfound > 1) {
        bind_error(b, fc->location, ERRCODE_AMBIGUOUS_FUNCTION, "function %s is not unique", sig);
        err_hint(b->err, "Could not choose a best candidate function. You might need to add "
                         "explicit type casts.");
    } else {
        bind_error(b, fc->location, ERRCODE_UNDEFINED_FUNCTION, "function %s does not exist", sig);
        err_hint(b->err, "No function matches the given name and argument types. You might need "
                         "to add explicit type casts.");
    }
    return NULL;
}

/* Picks the aggregate overload and coerces the arguments to it. */
static const FuncDef *
resolve_agg(BindCtx *b, const PgQuery__FuncCall *fc, const char *name, const char *qualified,
            Expr **args, int nargs)
{
    const FuncDef *cands[32], *f;
    const Oid *argv[32];
    Oid inputs[AGG_MAX_ARGS] = {0};
    int n = 0, pos = 0, chosen = -1, found;

    for (int i = 0; i < nargs; i++)
        inputs[i] = args[i]->type;
    while (n < 32 && (f = catalog_next_func(name, &pos)) != NULL) {
        if (agg_impl(f) == NULL || f->nargs != nargs)
            continue;
        if (nargs == 1 && f->args[0] == TYPE_ANY) {
            /* count(any): every type, unknown literals as text */
            if (args[0]->type == TYPE_UNKNOWN &&
                bind_coerce(b, &args[0], TYPE_TEXT, COERCION_IMPLICIT, fc->location) != 0)
                return NULL;
            return f;
        }
        if (memcmp(f->args, inputs, sizeof(Oid) * (size_t)nargs) == 0)
            chosen = n;
        argv[n] = f->args;
        cands[n++] = f;
    }
    found = chosen >= 0 ? 1 : resolve_select(nargs, inputs, argv, n, &chosen);
    if (found != 1) {
        agg_not_found(b, fc, qualified, args, nargs, found);
        return NULL;
    }
    f = cands[chosen];
    for (int i = 0; i < nargs; i++) {
        int rc = bind_coerce(b, &args[i], f->args[i], COERCION_IMPLICIT, fc->location);

        if (rc != 0) {
            if (rc > 0)
                bind_error(b, fc->location, ERRCODE_INTERNAL_ERROR, "cannot coerce argument %d",
                           i + 1);
            return NULL;
        }
    }
    return f;
}

static int
bind_agg_filter(BindCtx *b, QueryScope *s, const PgQuery__FuncCall *fc, AggCall *call)
{
    const char *saved = s->agg_forbidden;
    Expr *e;

    if (fc->agg_filter == NULL)
        return 0;
    s->agg_forbidden = "FILTER";
    e = bind_expr(b, fc->agg_filter);
    s->agg_forbidden = saved;
    if (e == NULL || (call->filter = bind_coerce_bool(b, e, "FILTER")) == NULL)
        return -1;
    return 0;
}

/* ORDER BY inside an aggregate call: sort keys over (args..., order values...). */
static int
bind_agg_order(BindCtx *b, QueryScope *s, const PgQuery__FuncCall *fc, AggCall *call)
{
    int n = (int)fc->n_agg_order;

    if (n == 0)
        return 0;
    call->norder = n;
    call->order = arena_calloc(b->arena, (size_t)n, sizeof(Expr *));
    call->order_keys = arena_calloc(b->arena, (size_t)n, sizeof(SortKey));
    for (int i = 0; i < n; i++) {
        const PgQuery__SortBy *sb = fc->agg_order[i]->sort_by;
        SortKey *k = &call->order_keys[i];
        bool in_args = false;
        Expr *e;

        if (sb->sortby_dir == PG_QUERY__SORT_BY_DIR__SORTBY_USING)
            return bind_error(b, sb->location, ERRCODE_FEATURE_NOT_SUPPORTED,
                              "ORDER BY ... USING is not supported yet");
        s->in_agg = true;
        e = bind_expr(b, sb->node);
        s->in_agg = false;
        if (e == NULL || bind_finish_type(b, &e) < 0)
            return -1;
        for (int a = 0; a < call->nargs; a++)
            in_args = in_args || bind_expr_equal(call->args[a], e);
        if (call->distinct && !in_args)
            return bind_error(b, e->location, ERRCODE_INVALID_COLUMN_REFERENCE,
                              "in an aggregate with DISTINCT, ORDER BY expressions must appear "
                              "in argument list");
        call->order[i] = e;
        k->column = call->nargs + i;
        k->desc = sb->sortby_dir == PG_QUERY__SORT_BY_DIR__SORTBY_DESC;
        k->nulls_first =
            sb->sortby_nulls == PG_QUERY__SORT_BY_NULLS__SORTBY_NULLS_FIRST ||
            (k->desc && sb->sortby_nulls != PG_QUERY__SORT_BY_NULLS__SORTBY_NULLS_LAST);
        if (!plan_type_order(e->type, &k->order)) {
            bind_error(b, e->location, ERRCODE_UNDEFINED_FUNCTION,
                       "could not identify an ordering operator for type %s",
                       type_sql_name(e->type));
            err_hint(b->err, "Use an explicit ordering operator or modify the query.");
            return -1;
        }
    }
    return 0;
}

static AggCall *
new_agg_call(BindCtx *b, QueryScope *s)
{
    if (s->naggs == s->agg_cap) {
        int cap = s->agg_cap ? s->agg_cap * 2 : 8;
        AggCall *aggs = arena_calloc(b->arena, (size_t)cap, sizeof(AggCall));

        if (s->naggs > 0)
            memcpy(aggs, s->aggs, sizeof(AggCall) * (size_t)s->naggs);
        s->aggs = aggs;
        s->agg_cap = cap;
    }
    return &s->aggs[s->naggs++];
}

static int
agg_checks(BindCtx *b, const QueryScope *s, const PgQuery__FuncCall *fc)
{
    if (s == NULL)
        return bind_error(b, fc->location, ERRCODE_GROUPING_ERROR,
                          "aggregate functions are not allowed in VALUES");
    if (s->in_agg)
        return bind_error(b, fc->location, ERRCODE_GROUPING_ERROR,
                          "aggregate function calls cannot be nested");
    if (s->agg_forbidden != NULL)
        return bind_error(b, fc->location, ERRCODE_GROUPING_ERROR,
                          "aggregate functions are not allowed in %s", s->agg_forbidden);
    if (fc->over != NULL)
        return bind_error(b, fc->location, ERRCODE_FEATURE_NOT_SUPPORTED,
                          "window functions are not supported yet");
    if (fc->agg_within_group)
        return bind_error(b, fc->location, ERRCODE_FEATURE_NOT_SUPPORTED,
                          "WITHIN GROUP is not supported yet");
    if (fc->func_variadic)
        return bind_error(b, fc->location, ERRCODE_FEATURE_NOT_SUPPORTED,
                          "VARIADIC is not supported yet");
    if (fc->n_args > AGG_MAX_ARGS)
        return bind_error(b, fc->location, ERRCODE_UNDEFINED_FUNCTION,
                          "function %s with %d arguments does not exist",
                          bind_node_str(fc->funcname[fc->n_funcname - 1]), (int)fc->n_args);
    return 0;
}

/* Resolves an aggregate's overload over bound args into call (also sql/bind_window.c). */
int
bind_query_agg_fill(BindCtx *b, const PgQuery__FuncCall *fc, const char *name,
                    const char *qualified, Expr **args, int nargs, AggCall *call)
{
    const FuncDef *f = resolve_agg(b, fc, name, qualified, args, nargs);
    TypeOrder order;

    if (f == NULL)
        return -1;
    call->impl = agg_impl(f);
    call->def = f;
    call->nargs = nargs;
    call->args[0] = nargs > 0 ? args[0] : NULL;
    call->args[1] = nargs > 1 ? args[1] : NULL;
    call->argtype = nargs > 0 ? args[0]->type : TYPE_INVALID;
    call->rettype = f->ret;
    call->location = fc->location;
    if (nargs > 0 && plan_type_order(call->argtype, &order)) {
        call->arg_eq = order.eq;
        call->arg_lt = order.lt;
    }
    return 0;
}

Expr *
bind_query_aggregate(BindCtx *b, const PgQuery__FuncCall *fc, const char *name,
                     const char *qualified)
{
    QueryScope *s = b->scope;
    Expr *args[AGG_MAX_ARGS] = {NULL, NULL};
    int nargs = (int)fc->n_args;
    AggCall *call;

    if (agg_checks(b, s, fc) < 0)
        return NULL;
    if (fc->agg_star && strcmp(name, "count") != 0) {
        bind_error(b, fc->location, ERRCODE_WRONG_OBJECT_TYPE,
                   "%s(*) specified, but %s is not an aggregate function", qualified, qualified);
        return NULL;
    }
    s->in_agg = true;
    for (int i = 0; i < nargs; i++) {
        if ((args[i] = bind_expr(b, fc->args[i])) == NULL) {
            s->in_agg = false;
            return NULL;
        }
    }
    s->in_agg = false;
    call = new_agg_call(b, s);
    if (bind_query_agg_fill(b, fc, name, qualified, args, nargs, call) < 0)
        return NULL;
    call->distinct = fc->agg_distinct;
    if (call->distinct && call->arg_eq == NULL) {
        bind_error(b, fc->location, ERRCODE_UNDEFINED_FUNCTION,
                   "could not identify an equality operator for type %s",
                   type_sql_name(call->argtype));
        return NULL;
    }
    if (bind_agg_order(b, s, fc, call) < 0 || bind_agg_filter(b, s, fc, call) < 0)
        return NULL;
    return bind_column_expr(b, s->ncols + s->naggs - 1, call->rettype, -1, fc->location);
}
