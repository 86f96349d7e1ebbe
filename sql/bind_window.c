/*
 * sql/bind_window.c — window functions: `f(...) OVER (PARTITION BY ...
 * ORDER BY ... frame)`, `OVER w`, `OVER (w ORDER BY ...)`, the WINDOW
 * clause, and DISTINCT ON. PostgreSQL's transformWindowFuncCall,
 * transformWindowDefinitions and transformDistinctOnClause (the last in
 * sql/bind_query.c, which calls bind_window_distinct_on here).
 *
 *   call ──▶ placeholder column BIND_WINDOW_BASE + i  (bind_window_call)
 *   after GROUP BY / HAVING:  one Window node per distinct window, chained
 *   over the plan; placeholders ──▶ Window output columns (bind_window_plan)
 *
 * Window functions: row_number, rank, dense_rank, percent_rank, cume_dist,
 * ntile, lag, lead, first_value, last_value, nth_value, and every aggregate
 * of sql/agg.h (without DISTINCT and ORDER BY, as PostgreSQL).
 *
 * Invariants:
 *   1. Errors are PostgreSQL's: 42P20 for window functions in WHERE, HAVING,
 *      GROUP BY, window definitions ..., nested calls and bad window
 *      references; 42803 inside an aggregate; 42704 for an unknown window;
 *      42809 for OVER on a plain function; 0A000 for RANGE offsets over
 *      types without +/- (text ...), as PostgreSQL.
 *   2. Calls over equal windows share one Window node.
 *   3. Every expression of a Window node reads only its input row.
 */
#include <stdio.h>
#include <string.h>

#include "sql/bind_scope.h"
#include "sql/bind_window.h"

typedef struct BoundWin {
    int npart;
    Expr **part;
    int norder;
    Expr **order;
    SortKey *keys;
    int frame;
    Expr *soff, *eoff;
    Expr *start_ok, *end_ok, *start_neg, *end_neg; /* RANGE offsets: sql/window.h */
} BoundWin;

typedef struct NamedWin {
    const char *name;
    BoundWin *win;
} NamedWin;

typedef struct WinCallB {
    WindowCall call;
    int spec;
} WinCallB;

struct WindowScope {
    int nnamed;
    NamedWin *named;
    int nspecs, spec_cap;
    BoundWin **specs;
    int ncalls, call_cap;
    WinCallB *calls;
    const char *forbid; /* "window definitions", "FILTER": window functions not allowed */
    bool in_args;
};

typedef struct WindowScope WindowScope;

/* ---- window definitions ---------------------------------------------------------------- */

static bool
is_set(const char *s)
{
    return s != NULL && s[0] != '\0';
}

static const BoundWin *
find_named(const WindowScope *w, const char *name)
{
    for (int i = 0; i < w->nnamed; i++) {
        if (strcmp(w->named[i].name, name) == 0)
            return w->named[i].win;
    }
    return NULL;
}

static Expr *
bind_in_def(BindCtx *b, const Node *n)
{
    WindowScope *w = b->win;
    const char *saved = w->forbid;
    Expr *e;

    w->forbid = "window definitions";
    e = bind_expr(b, n);
    w->forbid = saved;
    if (e != NULL && e->type == TYPE_UNKNOWN &&
        bind_coerce(b, &e, TYPE_TEXT, COERCION_IMPLICIT, -1) != 0)
        return NULL;
    if (e != NULL) {
        const TypeInfo *t = type_by_oid(e->type);

        if (t == NULL || !t->supported) {
            bind_error(b, e->location, ERRCODE_FEATURE_NOT_SUPPORTED,
                       "type %s is not supported yet", type_sql_name(e->type));
            return NULL;
        }
    }
    return e;
}

static bool
has_column(const Expr *e)
{
    const Expr *kids[64];
    int n;

    if (e->kind == EXPR_COLUMN)
        return true;
    n = bind_expr_children(e, kids, 64);
    for (int i = 0; i < n; i++) {
        if (has_column(kids[i]))
            return true;
    }
    return false;
}

/* ROWS n PRECEDING / FOLLOWING: a bigint without variables. */
static int
bind_offset(BindCtx *b, const Node *n, const char *mode, Expr **out)
{
    Expr *e;
    int rc;

    *out = NULL;
    if (n == NULL)
        return 0;
    {
        const char *saved = b->win->forbid;

        b->win->forbid = "window definitions";
        e = bind_expr(b, n);
        b->win->forbid = saved;
    }
    if (e == NULL)
        return -1;
    if (has_column(e))
        return bind_error(b, e->location, ERRCODE_INVALID_COLUMN_REFERENCE,
                          "argument of %s must not contain variables", mode ? mode : "RANGE");
    if (mode == NULL) { /* RANGE: coerced to the offset type of the ORDER BY type later */
        *out = e;
        return 0;
    }
    if ((rc = bind_coerce(b, &e, TYPE_INT8, COERCION_IMPLICIT, e->location)) != 0) {
        if (rc > 0)
            bind_error(b, e->location, ERRCODE_DATATYPE_MISMATCH,
                       "argument of %s must be type bigint, not type %s", mode,
                       type_sql_name(e->type));
        return -1;
    }
    *out = e;
    return 0;
}

/* The type RANGE offsets over ORDER BY type t have, and the type both sides compare in. */
static bool
range_types(Oid t, Oid *offset, Oid *cmp)
{
    switch (t) {
    case TYPE_INT2:
    case TYPE_INT4:
    case TYPE_INT8:
        *offset = *cmp = TYPE_INT8;
        return true;
    case TYPE_FLOAT4:
    case TYPE_FLOAT8:
        *offset = *cmp = TYPE_FLOAT8;
        return true;
    case TYPE_NUMERIC:
        *offset = *cmp = TYPE_NUMERIC;
        return true;
    case TYPE_DATE:
    case TYPE_TIMESTAMP:
        *offset = TYPE_INTERVAL;
        *cmp = TYPE_TIMESTAMP;
        return true;
    case TYPE_TIMESTAMPTZ:
        *offset = TYPE_INTERVAL;
        *cmp = TYPE_TIMESTAMPTZ;
        return true;
    default:
        return false;
    }
}

static Expr *
range_side(BindCtx *b, Oid type, int col, Oid cmp)
{
    Expr *e = expr_new(b->arena, EXPR_COLUMN, type, -1);

    e->u.column = col;
    e->typmod = -1;
    if (type != cmp && bind_coerce(b, &e, cmp, COERCION_IMPLICIT, -1) != 0)
        return NULL;
    return e;
}

/*
 * One RANGE offset bound: *ok over (v_j, v_i) is `v_j >= v_i - off` and friends (is_start:
 * the frame's start; preceding: n PRECEDING), *neg is `off < 0`.
 */
static int
bind_range_bound(BindCtx *b, const PgQuery__WindowDef *def, BoundWin *w, Expr **offp, bool is_start,
                 bool preceding, Expr **ok, Expr **neg)
{
    Expr *off = *offp;
    Oid t = w->order[0]->type, otype, cmp;
    bool desc = w->keys[0].desc;
    Expr *vj, *vi, *bound, *zero;
    int rc;

    if (!range_types(t, &otype, &cmp))
        return bind_error(b, off->location, ERRCODE_FEATURE_NOT_SUPPORTED,
                          "RANGE with offset PRECEDING/FOLLOWING is not supported for column type "
                          "%s",
                          type_sql_name(t));
    if ((rc = bind_coerce(b, &off, otype, COERCION_IMPLICIT, off->location)) != 0) {
        if (rc > 0) {
            bind_error(b, off->location, ERRCODE_FEATURE_NOT_SUPPORTED,
                       "RANGE with offset PRECEDING/FOLLOWING is not supported for column type "
                       "%s and offset type %s",
                       type_sql_name(t), type_sql_name(off->type));
            err_hint(b->err, "Cast the offset value to an appropriate type.");
        }
        return -1;
    }
    *offp = off;
    if ((vj = range_side(b, t, 0, cmp)) == NULL || (vi = range_side(b, t, 1, cmp)) == NULL)
        return bind_error(b, def->location, ERRCODE_INTERNAL_ERROR, "cannot compare RANGE bounds");
    /* ascending: start PRECEDING v_j >= v_i - off, FOLLOWING v_j >= v_i + off; the end <=;
       descending mirrors both */
    bound = bind_op(b, (preceding != desc) ? "-" : "+", vi, off, def->location);
    if (bound == NULL ||
        (*ok = bind_op(b, is_start != desc ? ">=" : "<=", vj, bound, def->location)) == NULL)
        return -1;
    *neg = NULL;
    if (otype != TYPE_INTERVAL) {
        zero = expr_const(b->arena, TYPE_INT4, datum_from_int32(0), false, -1);
        if ((*neg = bind_op(b, "<", off, zero, def->location)) == NULL)
            return -1;
    }
    return 0;
}

static int
bind_frame(BindCtx *b, const PgQuery__WindowDef *def, BoundWin *w)
{
    int f = def->frame_options;

    w->frame = f;
    if (!(f & WIN_FRAME_NONDEFAULT)) {
        w->frame = WIN_FRAME_DEFAULT;
        return 0;
    }
    if ((f & WIN_FRAME_RANGE) &&
        (f & (WIN_FRAME_START_OFFSET_PRECEDING | WIN_FRAME_START_OFFSET_FOLLOWING |
              WIN_FRAME_END_OFFSET_PRECEDING | WIN_FRAME_END_OFFSET_FOLLOWING))) {
        if (w->norder != 1)
            return bind_error(b, def->location, ERRCODE_WINDOWING_ERROR,
                              "RANGE with offset PRECEDING/FOLLOWING requires exactly one ORDER "
                              "BY column");
        if (bind_offset(b, def->start_offset, NULL, &w->soff) < 0 ||
            bind_offset(b, def->end_offset, NULL, &w->eoff) < 0)
            return -1;
        if (w->soff != NULL &&
            bind_range_bound(b, def, w, &w->soff, true, (f & WIN_FRAME_START_OFFSET_PRECEDING) != 0,
                             &w->start_ok, &w->start_neg) < 0)
            return -1;
        if (w->eoff != NULL &&
            bind_range_bound(b, def, w, &w->eoff, false, (f & WIN_FRAME_END_OFFSET_PRECEDING) != 0,
                             &w->end_ok, &w->end_neg) < 0)
            return -1;
        return 0;
    }
    if ((f & WIN_FRAME_GROUPS) && w->norder == 0)
        return bind_error(b, def->location, ERRCODE_WINDOWING_ERROR,
                          "GROUPS mode requires an ORDER BY clause");
    if (bind_offset(b, def->start_offset, (f & WIN_FRAME_GROUPS) ? "GROUPS" : "ROWS", &w->soff) <
            0 ||
        bind_offset(b, def->end_offset, (f & WIN_FRAME_GROUPS) ? "GROUPS" : "ROWS", &w->eoff) < 0)
        return -1;
    return 0;
}

static int
bind_window_order(BindCtx *b, const PgQuery__WindowDef *def, BoundWin *w)
{
    int n = (int)def->n_order_clause;

    w->norder = n;
    w->order = arena_calloc(b->arena, (size_t)n + 1, sizeof(Expr *));
    w->keys = arena_calloc(b->arena, (size_t)n + 1, sizeof(SortKey));
    for (int i = 0; i < n; i++) {
        const PgQuery__SortBy *sb = def->order_clause[i]->sort_by;
        SortKey *k = &w->keys[i];
        Expr *e;

        if (sb->sortby_dir == PG_QUERY__SORT_BY_DIR__SORTBY_USING)
            return bind_error(b, sb->location, ERRCODE_FEATURE_NOT_SUPPORTED,
                              "ORDER BY ... USING is not supported yet");
        if ((e = bind_in_def(b, sb->node)) == NULL)
            return -1;
        w->order[i] = e;
        k->column = i;
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

/* A window specification, possibly copying the named window it refers to. */
static BoundWin *
bind_def(BindCtx *b, const PgQuery__WindowDef *def)
{
    WindowScope *ws = b->win;
    BoundWin *w = arena_calloc(b->arena, 1, sizeof *w);
    const BoundWin *base = NULL;

    if (is_set(def->refname)) {
        if ((base = find_named(ws, def->refname)) == NULL) {
            bind_error(b, def->location, ERRCODE_UNDEFINED_OBJECT, "window \"%s\" does not exist",
                       def->refname);
            return NULL;
        }
        if (def->n_partition_clause > 0) {
            bind_error(b, def->location, ERRCODE_WINDOWING_ERROR,
                       "cannot override PARTITION BY clause of window \"%s\"", def->refname);
            return NULL;
        }
        if (def->n_order_clause > 0 && base->norder > 0) {
            bind_error(b, def->location, ERRCODE_WINDOWING_ERROR,
                       "cannot override ORDER BY clause of window \"%s\"", def->refname);
            return NULL;
        }
        if (base->frame != WIN_FRAME_DEFAULT) {
            bind_error(b, def->location, ERRCODE_WINDOWING_ERROR,
                       "cannot copy window \"%s\" because it has a frame clause", def->refname);
            if (def->n_order_clause == 0 && !(def->frame_options & WIN_FRAME_NONDEFAULT))
                err_hint(b->err, "Omit the parentheses in this OVER clause.");
            return NULL;
        }
        w->npart = base->npart;
        w->part = base->part;
    } else {
        w->npart = (int)def->n_partition_clause;
        w->part = arena_calloc(b->arena, (size_t)w->npart + 1, sizeof(Expr *));
        for (int i = 0; i < w->npart; i++) {
            TypeOrder o;

            if ((w->part[i] = bind_in_def(b, def->partition_clause[i])) == NULL)
                return NULL;
            if (!plan_type_order(w->part[i]->type, &o)) {
                bind_error(b, w->part[i]->location, ERRCODE_UNDEFINED_FUNCTION,
                           "could not identify an equality operator for type %s",
                           type_sql_name(w->part[i]->type));
                return NULL;
            }
        }
    }
    if (base != NULL && def->n_order_clause == 0) {
        w->norder = base->norder;
        w->order = base->order;
        w->keys = base->keys;
    } else if (bind_window_order(b, def, w) < 0) {
        return NULL;
    }
    if (bind_frame(b, def, w) < 0)
        return NULL;
    return w;
}

int
bind_window_begin(BindCtx *b, const PgQuery__SelectStmt *sel)
{
    WindowScope *ws = arena_calloc(b->arena, 1, sizeof *ws);

    b->win = ws;
    ws->named = arena_calloc(b->arena, sel->n_window_clause + 1, sizeof(NamedWin));
    for (size_t i = 0; i < sel->n_window_clause; i++) {
        const PgQuery__WindowDef *def = sel->window_clause[i]->window_def;
        BoundWin *w;

        if (find_named(ws, def->name) != NULL)
            return bind_error(b, def->location, ERRCODE_WINDOWING_ERROR,
                              "window \"%s\" is already defined", def->name);
        if ((w = bind_def(b, def)) == NULL)
            return -1;
        ws->named[ws->nnamed++] = (NamedWin){def->name, w};
    }
    return 0;
}

static bool
wins_equal(const BoundWin *a, const BoundWin *b)
{
    if (a->npart != b->npart || a->norder != b->norder || a->frame != b->frame ||
        !bind_expr_equal(a->soff, b->soff) || !bind_expr_equal(a->eoff, b->eoff))
        return false;
    for (int i = 0; i < a->npart; i++) {
        if (!bind_expr_equal(a->part[i], b->part[i]))
            return false;
    }
    for (int i = 0; i < a->norder; i++) {
        if (!bind_expr_equal(a->order[i], b->order[i]) || a->keys[i].desc != b->keys[i].desc ||
            a->keys[i].nulls_first != b->keys[i].nulls_first)
            return false;
    }
    return true;
}

static int
spec_index(BindCtx *b, BoundWin *w)
{
    WindowScope *ws = b->win;

    for (int i = 0; i < ws->nspecs; i++) {
        if (ws->specs[i] == w || wins_equal(ws->specs[i], w))
            return i;
    }
    if (ws->nspecs == ws->spec_cap) {
        int cap = ws->spec_cap ? ws->spec_cap * 2 : 4;
        BoundWin **specs = arena_calloc(b->arena, (size_t)cap, sizeof(BoundWin *));

        if (ws->nspecs > 0)
            memcpy(specs, ws->specs, sizeof(BoundWin *) * (size_t)ws->nspecs);
        ws->specs = specs;
        ws->spec_cap = cap;
    }
    ws->specs[ws->nspecs] = w;
    return ws->nspecs++;
}

/* ---- calls ------------------------------------------------------------------------------- */

typedef struct WinFuncDef {
    const char *name;
    WinKind kind;
    int minargs, maxargs;
} WinFuncDef;

static const WinFuncDef win_funcs[] = {
    {"row_number", WIN_ROW_NUMBER, 0, 0},
    {"rank", WIN_RANK, 0, 0},
    {"dense_rank", WIN_DENSE_RANK, 0, 0},
    {"percent_rank", WIN_PERCENT_RANK, 0, 0},
    {"cume_dist", WIN_CUME_DIST, 0, 0},
    {"ntile", WIN_NTILE, 1, 1},
    {"lag", WIN_LAG, 1, 3},
    {"lead", WIN_LEAD, 1, 3},
    {"first_value", WIN_FIRST_VALUE, 1, 1},
    {"last_value", WIN_LAST_VALUE, 1, 1},
    {"nth_value", WIN_NTH_VALUE, 2, 2},
};

static const WinFuncDef *
find_win_func(const char *name)
{
    for (size_t i = 0; i < sizeof win_funcs / sizeof win_funcs[0]; i++) {
        if (strcmp(win_funcs[i].name, name) == 0)
            return &win_funcs[i];
    }
    return NULL;
}

static Expr *
no_such_function(BindCtx *b, const PgQuery__FuncCall *fc, const char *qualified, Expr **args,
                 int nargs)
{
    char sig[512];
    size_t used = (size_t)snprintf(sig, sizeof sig, "%s(", qualified);

    for (int i = 0; i < nargs && used < sizeof sig; i++)
        used += (size_t)snprintf(sig + used, sizeof sig - used, "%s%s", i ? ", " : "",
                                 type_sql_name(args[i]->type));
    if (used < sizeof sig)
        snprintf(sig + used, sizeof sig - used, ")");
    bind_error(b, fc->location, ERRCODE_UNDEFINED_FUNCTION, "function %s does not exist", sig);
    err_hint(b->err, "No function matches the given name and argument types. You might need to "
                     "add explicit type casts.");
    return NULL;
}

/* anyelement: an unknown literal cannot decide the type (42804). */
static int
any_arg(BindCtx *b, Expr **e)
{
    const TypeInfo *t;

    if ((*e)->type == TYPE_UNKNOWN)
        return bind_error(b, -1, ERRCODE_DATATYPE_MISMATCH,
                          "could not determine polymorphic type because input has type unknown");
    t = type_by_oid((*e)->type);
    if (t == NULL || !t->supported)
        return bind_error(b, (*e)->location, ERRCODE_FEATURE_NOT_SUPPORTED,
                          "type %s is not supported yet", type_sql_name((*e)->type));
    return 0;
}

/* Coerces argument i to int4; 1 when it cannot be (the function does not exist). */
static int
int_arg(BindCtx *b, Expr **e)
{
    return bind_coerce(b, e, TYPE_INT4, COERCION_IMPLICIT, (*e)->location);
}

static int
bind_builtin(BindCtx *b, const PgQuery__FuncCall *fc, const char *qualified, const WinFuncDef *d,
             Expr **args, int nargs, WindowCall *call)
{
    int rc = 0;

    if (nargs < d->minargs || nargs > d->maxargs) {
        no_such_function(b, fc, qualified, args, nargs);
        return -1;
    }
    call->kind = d->kind;
    call->nargs = nargs;
    for (int i = 0; i < nargs; i++)
        call->args[i] = args[i];
    switch (d->kind) {
    case WIN_ROW_NUMBER:
    case WIN_RANK:
    case WIN_DENSE_RANK:
        call->rettype = TYPE_INT8;
        return 0;
    case WIN_PERCENT_RANK:
    case WIN_CUME_DIST:
        call->rettype = TYPE_FLOAT8;
        return 0;
    case WIN_NTILE:
        call->rettype = TYPE_INT4;
        rc = int_arg(b, &call->args[0]);
        break;
    case WIN_LAG:
    case WIN_LEAD:
        if (nargs == 3) {
            Expr *pair[2] = {call->args[0], call->args[2]};
            Oid common;

            if (bind_common_type(b, pair, 2, qualified, &common) < 0)
                return -1;
            call->args[0] = pair[0];
            call->args[2] = pair[1];
        }
        if (any_arg(b, &call->args[0]) < 0)
            return -1;
        if (nargs == 3 && any_arg(b, &call->args[2]) < 0)
            return -1;
        call->rettype = call->args[0]->type;
        if (nargs > 1)
            rc = int_arg(b, &call->args[1]);
        break;
    case WIN_FIRST_VALUE:
    case WIN_LAST_VALUE:
    case WIN_NTH_VALUE:
        if (any_arg(b, &call->args[0]) < 0)
            return -1;
        call->rettype = call->args[0]->type;
        if (nargs > 1)
            rc = int_arg(b, &call->args[1]);
        break;
    case WIN_AGG:
        break;
    }
    if (rc > 0)
        no_such_function(b, fc, qualified, args, nargs);
    return rc != 0 ? -1 : 0;
}

const char *
bind_window_forbid(BindCtx *b, const char *what)
{
    const char *saved;

    if (b->win == NULL)
        return NULL;
    saved = b->win->forbid;
    b->win->forbid = what;
    return saved;
}

static int
check_context(BindCtx *b, const PgQuery__FuncCall *fc)
{
    const QueryScope *s = b->scope;
    bool in_agg = s != NULL && s->in_agg;
    const char *forbidden = s != NULL ? s->agg_forbidden : NULL;

    if (s == NULL || (b->win == NULL && forbidden == NULL))
        return bind_error(b, fc->location, ERRCODE_WINDOWING_ERROR,
                          "window functions are not allowed in %s", s == NULL ? "VALUES" : "FROM");
    if (b->win == NULL)
        return bind_error(b, fc->location, ERRCODE_WINDOWING_ERROR,
                          "window functions are not allowed in %s", forbidden);
    if (b->win->in_args)
        return bind_error(b, fc->location, ERRCODE_WINDOWING_ERROR,
                          "window function calls cannot be nested");
    if (b->win->forbid != NULL)
        return bind_error(b, fc->location, ERRCODE_WINDOWING_ERROR,
                          "window functions are not allowed in %s", b->win->forbid);
    if (in_agg)
        return bind_error(b, fc->location, ERRCODE_GROUPING_ERROR,
                          "aggregate function calls cannot contain window function calls");
    if (forbidden != NULL)
        return bind_error(b, fc->location, ERRCODE_WINDOWING_ERROR,
                          "window functions are not allowed in %s", forbidden);
    if (fc->agg_within_group)
        return bind_error(b, fc->location, ERRCODE_FEATURE_NOT_SUPPORTED,
                          "WITHIN GROUP is not supported yet");
    if (fc->func_variadic)
        return bind_error(b, fc->location, ERRCODE_FEATURE_NOT_SUPPORTED,
                          "VARIADIC is not supported yet");
    return 0;
}

static int
bind_call_args(BindCtx *b, const PgQuery__FuncCall *fc, Expr **args)
{
    WindowScope *ws = b->win;

    ws->in_args = true;
    for (size_t i = 0; i < fc->n_args; i++) {
        if (fc->args[i]->node_case == PG_QUERY__NODE__NODE_NAMED_ARG_EXPR) {
            ws->in_args = false;
            return bind_error(b, fc->location, ERRCODE_FEATURE_NOT_SUPPORTED,
                              "named arguments of window functions are not supported yet");
        }
        if ((args[i] = bind_expr(b, fc->args[i])) == NULL) {
            ws->in_args = false;
            return -1;
        }
    }
    ws->in_args = false;
    return 0;
}

static int
bind_agg_call(BindCtx *b, const PgQuery__FuncCall *fc, const char *name, const char *qualified,
              Expr **args, int nargs, WindowCall *call)
{
    Expr *e;

    if (fc->agg_distinct)
        return bind_error(b, fc->location, ERRCODE_FEATURE_NOT_SUPPORTED,
                          "DISTINCT is not implemented for window functions");
    if (fc->n_agg_order > 0)
        return bind_error(b, fc->location, ERRCODE_FEATURE_NOT_SUPPORTED,
                          "aggregate ORDER BY is not implemented for window functions");
    if (nargs > AGG_MAX_ARGS) {
        no_such_function(b, fc, qualified, args, nargs);
        return -1;
    }
    if (bind_query_agg_fill(b, fc, name, qualified, args, nargs, &call->agg) < 0)
        return -1;
    call->kind = WIN_AGG;
    call->rettype = call->agg.rettype;
    if (fc->agg_filter != NULL) {
        const char *saved = b->win->forbid;

        b->win->forbid = "FILTER";
        e = bind_expr(b, fc->agg_filter);
        b->win->forbid = saved;
        if (e == NULL || (call->agg.filter = bind_coerce_bool(b, e, "FILTER")) == NULL)
            return -1;
    }
    return 0;
}

/* Whether a plain function name(nargs arguments) exists (then OVER on it is 42809). */
static bool
has_func(const char *name, int nargs)
{
    const FuncDef *f;
    int pos = 0;

    while ((f = catalog_next_func(name, &pos)) != NULL) {
        if (f->nargs == nargs)
            return true;
    }
    return false;
}

static WinCallB *
new_call(BindCtx *b)
{
    WindowScope *ws = b->win;

    if (ws->ncalls == ws->call_cap) {
        int cap = ws->call_cap ? ws->call_cap * 2 : 8;
        WinCallB *calls = arena_calloc(b->arena, (size_t)cap, sizeof(WinCallB));

        if (ws->ncalls > 0)
            memcpy(calls, ws->calls, sizeof(WinCallB) * (size_t)ws->ncalls);
        ws->calls = calls;
        ws->call_cap = cap;
    }
    return &ws->calls[ws->ncalls++];
}

Expr *
bind_window_call(BindCtx *b, const PgQuery__FuncCall *fc, const char *name, const char *qualified)
{
    const PgQuery__WindowDef *def = fc->over;
    const WinFuncDef *d = find_win_func(name);
    Expr *args[FUNC_MAX_ARGS > 3 ? FUNC_MAX_ARGS : 3] = {NULL};
    int nargs = (int)fc->n_args;
    WindowCall call = {0};
    BoundWin *w;
    WinCallB *cb;
    Expr *e;

    if (check_context(b, fc) < 0)
        return NULL;
    if (nargs > FUNC_MAX_ARGS) {
        bind_error(b, fc->location, ERRCODE_PROGRAM_LIMIT_EXCEEDED,
                   "cannot pass more than %d arguments to a function", FUNC_MAX_ARGS);
        return NULL;
    }
    if (d != NULL && !fc->agg_star) {
        if (fc->agg_distinct || fc->n_agg_order > 0) {
            bind_error(b, fc->location, ERRCODE_WRONG_OBJECT_TYPE,
                       "%s specified, but %s is not an aggregate function",
                       fc->agg_distinct ? "DISTINCT" : "ORDER BY", qualified);
            return NULL;
        }
        if (fc->agg_filter != NULL) {
            bind_error(b, fc->location, ERRCODE_FEATURE_NOT_SUPPORTED,
                       "FILTER is not implemented for non-aggregate window functions");
            return NULL;
        }
    }
    if (bind_call_args(b, fc, args) < 0)
        return NULL;
    if (d != NULL && !fc->agg_star) {
        if (bind_builtin(b, fc, qualified, d, args, nargs, &call) < 0)
            return NULL;
    } else if (fc->agg_star || agg_name_exists(name)) {
        if (fc->agg_star && strcmp(name, "count") != 0) {
            bind_error(b, fc->location, ERRCODE_WRONG_OBJECT_TYPE,
                       "%s(*) specified, but %s is not an aggregate function", qualified,
                       qualified);
            return NULL;
        }
        if (bind_agg_call(b, fc, name, qualified, args, nargs, &call) < 0)
            return NULL;
    } else if (has_func(name, nargs)) {
        bind_error(b, fc->location, ERRCODE_WRONG_OBJECT_TYPE,
                   "OVER specified, but %s is not a window function nor an aggregate function",
                   qualified);
        return NULL;
    } else {
        return no_such_function(b, fc, qualified, args, nargs);
    }
    call.location = fc->location;
    if (is_set(def->name)) { /* OVER w */
        const BoundWin *named = find_named(b->win, def->name);

        if (named == NULL) {
            bind_error(b, def->location, ERRCODE_UNDEFINED_OBJECT, "window \"%s\" does not exist",
                       def->name);
            return NULL;
        }
        w = (BoundWin *)named;
    } else if ((w = bind_def(b, def)) == NULL) {
        return NULL;
    }
    cb = new_call(b);
    cb->call = call;
    cb->spec = spec_index(b, w);
    e = expr_new(b->arena, EXPR_COLUMN, call.rettype, fc->location);
    e->u.column = BIND_WINDOW_BASE + b->win->ncalls - 1;
    e->typmod = -1;
    return e;
}

/* ---- the plan ---------------------------------------------------------------------------- */

typedef struct Replace {
    BindCtx *b;
    const int *map; /* call → output column */
    RewriteFn fn;   /* the aggregate rewrite, or NULL */
    void *arg;
} Replace;

static Expr *
replace_ph(void *arg, Expr *e)
{
    Replace *r = arg;

    if (e->kind == EXPR_COLUMN) {
        Expr *c = arena_memdup(r->b->arena, e, sizeof *e);

        if (e->u.column >= BIND_WINDOW_BASE)
            c->u.column = r->map[e->u.column - BIND_WINDOW_BASE];
        return c;
    }
    return bind_rewrite_children(r->b->arena, r, replace_ph, e);
}

static int
rewrite(const Replace *r, Expr **e)
{
    if (*e == NULL || r->fn == NULL)
        return 0;
    return (*e = r->fn(r->arg, *e)) == NULL ? -1 : 0;
}

static int
rewrite_list(const Replace *r, Expr **src, int n, Expr ***out)
{
    *out = arena_calloc(r->b->arena, (size_t)n + 1, sizeof(Expr *));
    for (int i = 0; i < n; i++) {
        (*out)[i] = src[i];
        if (rewrite(r, &(*out)[i]) < 0)
            return -1;
    }
    return 0;
}

/* A Window node over input computing w's calls (their arguments already rewritten). */
static PlanNode *
window_node(BindCtx *b, PlanNode *input, WindowPlan *wp)
{
    PlanNode *p = plan_new(b->arena, PLAN_WINDOW, input, input->ncols + wp->ncalls);

    for (int c = 0; c < input->ncols; c++) {
        TypeOrder o;

        if (!plan_type_order(input->types[c], &o)) {
            bind_error(b, -1, ERRCODE_FEATURE_NOT_SUPPORTED,
                       "window functions over rows with a column of type %s are not supported yet",
                       type_sql_name(input->types[c]));
            return NULL;
        }
        p->types[c] = input->types[c];
        p->typmods[c] = input->typmods[c];
    }
    wp->part_orders = arena_calloc(b->arena, (size_t)wp->npart + 1, sizeof(TypeOrder));
    for (int i = 0; i < wp->npart; i++)
        (void)plan_type_order(wp->part[i]->type, &wp->part_orders[i]);
    for (int i = 0; i < wp->ncalls; i++) {
        p->types[input->ncols + i] = wp->calls[i].rettype;
        p->typmods[input->ncols + i] = -1;
    }
    p->u.window = wp;
    return p;
}

int
bind_window_plan(BindCtx *b, PlanNode **plan, Expr **exprs, int n, RewriteFn fn, void *arg)
{
    WindowScope *ws = b->win;
    int *map;
    Replace r = {b, NULL, fn, arg};

    if (ws == NULL || ws->ncalls == 0)
        return 0;
    map = arena_calloc(b->arena, (size_t)ws->ncalls, sizeof(int));
    r.map = map;
    for (int s = 0; s < ws->nspecs; s++) {
        const BoundWin *w = ws->specs[s];
        WindowPlan *wp = arena_calloc(b->arena, 1, sizeof *wp);
        int k = 0;

        wp->npart = w->npart;
        wp->norder = w->norder;
        wp->order_keys = w->keys;
        wp->frame = w->frame;
        wp->start_offset = w->soff;
        wp->end_offset = w->eoff;
        wp->start_ok = w->start_ok;
        wp->end_ok = w->end_ok;
        wp->start_neg = w->start_neg;
        wp->end_neg = w->end_neg;
        if (rewrite_list(&r, w->part, w->npart, &wp->part) < 0 ||
            rewrite_list(&r, w->order, w->norder, &wp->order) < 0)
            return -1;
        wp->calls = arena_calloc(b->arena, (size_t)ws->ncalls, sizeof(WindowCall));
        for (int c = 0; c < ws->ncalls; c++) {
            WindowCall *call;

            if (ws->calls[c].spec != s)
                continue;
            call = &wp->calls[k];
            *call = ws->calls[c].call;
            for (int a = 0; a < 3; a++) {
                if (rewrite(&r, &call->args[a]) < 0)
                    return -1;
            }
            for (int a = 0; a < AGG_MAX_ARGS; a++) {
                if (rewrite(&r, &call->agg.args[a]) < 0)
                    return -1;
            }
            if (rewrite(&r, &call->agg.filter) < 0)
                return -1;
            map[c] = (*plan)->ncols + k;
            k++;
        }
        wp->ncalls = k;
        if ((*plan = window_node(b, *plan, wp)) == NULL)
            return -1;
    }
    for (int i = 0; i < n; i++) {
        if (exprs[i] != NULL && (exprs[i] = replace_ph(&r, exprs[i])) == NULL)
            return -1;
    }
    return 0;
}

static Expr *
col(BindCtx *b, const PlanNode *p, int c)
{
    Expr *e = expr_new(b->arena, EXPR_COLUMN, p->types[c], -1);

    e->u.column = c;
    e->typmod = p->typmods[c];
    return e;
}

int
bind_window_distinct_on(BindCtx *b, PlanNode **plan, const int *cols, int ncols,
                        const SortKey *keys, int nkeys)
{
    WindowPlan *wp = arena_calloc(b->arena, 1, sizeof *wp);
    PlanNode *in = *plan, *win, *filter, *proj;
    TypeOrder int8;
    Expr **eq;

    wp->npart = ncols;
    wp->part = arena_calloc(b->arena, (size_t)ncols + 1, sizeof(Expr *));
    for (int i = 0; i < ncols; i++)
        wp->part[i] = col(b, in, cols[i]);
    wp->norder = nkeys;
    wp->order = arena_calloc(b->arena, (size_t)nkeys + 1, sizeof(Expr *));
    wp->order_keys = arena_calloc(b->arena, (size_t)nkeys + 1, sizeof(SortKey));
    for (int i = 0; i < nkeys; i++) {
        wp->order[i] = col(b, in, keys[i].column);
        wp->order_keys[i] = keys[i];
        wp->order_keys[i].column = i;
    }
    wp->frame = WIN_FRAME_DEFAULT;
    wp->ncalls = 1;
    wp->calls = arena_calloc(b->arena, 1, sizeof(WindowCall));
    wp->calls[0].kind = WIN_ROW_NUMBER;
    wp->calls[0].rettype = TYPE_INT8;
    wp->calls[0].location = -1;
    if ((win = window_node(b, in, wp)) == NULL)
        return -1;
    /* row_number() = 1 */
    (void)plan_type_order(TYPE_INT8, &int8);
    eq = arena_calloc(b->arena, 2, sizeof(Expr *));
    eq[0] = col(b, win, in->ncols);
    eq[1] = expr_const(b->arena, TYPE_INT8, datum_from_int64(1), false, -1);
    filter = plan_new(b->arena, PLAN_FILTER, win, win->ncols);
    memcpy(filter->types, win->types, sizeof(Oid) * (size_t)win->ncols);
    memcpy(filter->typmods, win->typmods, sizeof(int32_t) * (size_t)win->ncols);
    filter->u.pred = expr_func(b->arena, NULL, int8.eq, true, TYPE_BOOL, 2, eq, -1);
    proj = plan_new(b->arena, PLAN_PROJECT, filter, in->ncols);
    proj->u.exprs = arena_calloc(b->arena, (size_t)in->ncols + 1, sizeof(Expr *));
    for (int c = 0; c < in->ncols; c++) {
        proj->types[c] = in->types[c];
        proj->typmods[c] = in->typmods[c];
        proj->u.exprs[c] = col(b, in, c);
    }
    *plan = proj;
    return 0;
}
