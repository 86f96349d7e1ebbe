/*
 * sql/bind_window_tvf.c — binds TUMBLE(...), HOP(...) and SESSION(...) in
 * FROM (see sql/bind_window_tvf.h).
 *
 * The relation argument is bound as the FROM item it names (a RangeVar, so
 * tables, sources, views and WITH queries all work; or a subquery), under
 * the call's alias (else the relation's name, or "tumble" / "hop" /
 * "session" for a subquery); its scope relation is then
 * widened by the two window columns. TUMBLE becomes a Project computing
 * window_start / window_end with built-ins (a stateless projection, so it
 * works in every context and incrementally); HOP becomes a Hop plan node
 * (stream/op_hop.c), a stateless flat map; SESSION a Session plan node
 * (stream/op_session.c), stateful per key. A date time column is read as
 * timestamp (HOP/SESSION: through an extra column, dropped again above).
 *
 * Invariants:
 *   1. Window sizes, slides and offsets are constants, evaluated here once;
 *      sizes and slides are > 0 and have no months (sql/window_time.h);
 *      a HOP size is a multiple of its slide.
 *   2. The time column (and SESSION's key columns) are columns of the
 *      relation argument; the time column is timestamp, timestamptz or date
 *      (read as timestamp).
 *   3. The relation's scope entry and the plan have the same columns in the
 *      same order: the relation's, then window_start, window_end.
 */
#include "sql/bind_window_tvf.h"

#include <string.h>

#include "sql/window_time.h"

typedef enum TvfKind { TVF_TUMBLE, TVF_HOP, TVF_SESSION } TvfKind;

typedef struct TvfArgs {
    TvfKind kind;
    const char *fname; /* "tumble" / "hop" / "session" (the default alias) */
    const char *upper; /* for messages */
    int64_t slide, size, offset; /* µs; SESSION: size is the gap */
    int nkeys;                   /* SESSION: key columns of the relation */
    int *keys;
} TvfArgs;

static const PgQuery__FuncCall *
tvf_call(const PgQuery__RangeFunction *rf)
{
    const Node *item, *fn;

    if (rf->n_functions != 1 || rf->functions[0]->node_case != PG_QUERY__NODE__NODE_LIST)
        return NULL;
    item = rf->functions[0];
    if (item->list->n_items < 1)
        return NULL;
    fn = item->list->items[0];
    return fn != NULL && fn->node_case == PG_QUERY__NODE__NODE_FUNC_CALL ? fn->func_call : NULL;
}

static const char *
tvf_name(const PgQuery__FuncCall *fc)
{
    const char *name;

    if (fc == NULL || fc->n_funcname != 1)
        return NULL;
    name = bind_node_str(fc->funcname[0]);
    return name != NULL && (strcmp(name, "tumble") == 0 || strcmp(name, "hop") == 0 ||
                            strcmp(name, "session") == 0)
               ? name
               : NULL;
}

bool
bind_window_tvf_is(const PgQuery__RangeFunction *rf)
{
    return tvf_name(tvf_call(rf)) != NULL;
}

/* No column, parameter or volatile function: a value fixed at bind time. */
static bool
is_constant(const Expr *e)
{
    switch (e->kind) {
    case EXPR_CONST:
        return true;
    case EXPR_COERCE_IO:
        return is_constant(e->u.arg);
    case EXPR_FUNC:
        if (e->u.func.def != NULL && (e->u.func.def->flags & FN_VOLATILE))
            return false;
        for (int i = 0; i < e->u.func.nargs; i++) {
            if (!is_constant(e->u.func.args[i]))
                return false;
        }
        return true;
    default:
        return false;
    }
}

static int
location_of(const Node *n)
{
    switch (n->node_case) {
    case PG_QUERY__NODE__NODE_A_CONST:
        return n->a_const->location;
    case PG_QUERY__NODE__NODE_TYPE_CAST: /* INTERVAL '1' SECOND has no location of its own */
        return n->type_cast->location >= 0 || n->type_cast->arg == NULL
                   ? n->type_cast->location
                   : location_of(n->type_cast->arg);
    case PG_QUERY__NODE__NODE_COLUMN_REF:
        return n->column_ref->location;
    case PG_QUERY__NODE__NODE_FUNC_CALL:
        return n->func_call->location;
    case PG_QUERY__NODE__NODE_A_EXPR:
        return n->a_expr->location;
    case PG_QUERY__NODE__NODE_SUB_LINK:
        return n->sub_link->location;
    case PG_QUERY__NODE__NODE_PARAM_REF:
        return n->param_ref->location;
    default:
        return -1;
    }
}

/* A constant interval argument in µs (invariant 1); what names it in messages. */
static int
interval_arg(BindCtx *b, QueryScope *s, const Node *n, const char *what, bool allow_any,
             int64_t *out)
{
    int location = location_of(n), rc;
    Expr *e;
    EvalCtx ctx = {0};
    Datum d;
    bool isnull;
    Interval iv;

    s->agg_forbidden = "functions in FROM";
    e = bind_expr(b, n);
    s->agg_forbidden = NULL;
    if (e == NULL)
        return -1;
    if (e->type != TYPE_INTERVAL) {
        Oid from = e->type;

        if ((rc = bind_coerce(b, &e, TYPE_INTERVAL, COERCION_IMPLICIT, location)) < 0)
            return -1;
        if (rc > 0)
            return bind_error(b, location, ERRCODE_DATATYPE_MISMATCH,
                              "%s must be of type interval, not %s", what, type_sql_name(from));
    }
    if (!is_constant(e))
        return bind_error(b, location, ERRCODE_FEATURE_NOT_SUPPORTED, "%s must be a constant",
                          what);
    ctx.session = b->session;
    ctx.arena = b->arena;
    ctx.io = b->io;
    if (expr_eval(e, &ctx, &d, &isnull, b->err) < 0)
        return -1;
    if (isnull)
        return bind_error(b, location, ERRCODE_NULL_VALUE_NOT_ALLOWED, "%s cannot be NULL", what);
    iv = interval_get(d);
    if (window_interval_us(&iv, what, allow_any, out, b->err) < 0) {
        if (location >= 0)
            err_position(b->err, bind_position(b, location));
        return -1;
    }
    return 0;
}

/* The relation argument as a FROM item node (RangeVar or RangeSubselect) named alias. */
static int
relation_item(BindCtx *b, const TvfArgs *t, const Node *arg, PgQuery__Alias *alias, Node *node)
{
    if (arg->node_case == PG_QUERY__NODE__NODE_COLUMN_REF && arg->column_ref->n_fields >= 1 &&
        arg->column_ref->n_fields <= 2) {
        const PgQuery__ColumnRef *cr = arg->column_ref;
        PgQuery__RangeVar *rv = arena_calloc(b->arena, 1, sizeof *rv);
        const char *last = bind_node_str(cr->fields[cr->n_fields - 1]);

        if (last != NULL) {
            pg_query__range_var__init(rv);
            rv->relname = (char *)last;
            rv->schemaname = cr->n_fields == 2 ? (char *)bind_node_str(cr->fields[0]) : "";
            rv->catalogname = "";
            rv->inh = true;
            rv->relpersistence = "p";
            rv->alias = alias;
            rv->location = cr->location;
            node->node_case = PG_QUERY__NODE__NODE_RANGE_VAR;
            node->range_var = rv;
            return 0;
        }
    }
    if (arg->node_case == PG_QUERY__NODE__NODE_SUB_LINK &&
        arg->sub_link->sub_link_type == PG_QUERY__SUB_LINK_TYPE__EXPR_SUBLINK) {
        PgQuery__RangeSubselect *rs = arena_calloc(b->arena, 1, sizeof *rs);

        pg_query__range_subselect__init(rs);
        rs->subquery = arg->sub_link->subselect;
        rs->alias = alias;
        node->node_case = PG_QUERY__NODE__NODE_RANGE_SUBSELECT;
        node->range_subselect = rs;
        return 0;
    }
    return bind_error(b, location_of(arg), ERRCODE_WRONG_OBJECT_TYPE,
                      "the first argument of %s must be the name of a table, source, view or "
                      "WITH query, or a subquery",
                      t->upper);
}

/* A column of the relation named by arg (which: "second" ...): its index. */
static int
rel_column(BindCtx *b, const TvfArgs *t, const ScopeRel *rel, const Node *arg, const char *which,
           int *col)
{
    const PgQuery__ColumnRef *cr =
        arg->node_case == PG_QUERY__NODE__NODE_COLUMN_REF ? arg->column_ref : NULL;
    const char *name = cr != NULL && cr->n_fields == 1 ? bind_node_str(cr->fields[0]) : NULL;

    if (name == NULL)
        return bind_error(b, location_of(arg), ERRCODE_SYNTAX_ERROR,
                          "the %s argument of %s must be a column name", which, t->upper);
    *col = -1;
    for (int c = 0; c < rel->ncols; c++) {
        if (strcmp(rel->colnames[c], name) != 0)
            continue;
        if (*col >= 0)
            return bind_error(b, cr->location, ERRCODE_AMBIGUOUS_COLUMN,
                              "column reference \"%s\" is ambiguous", name);
        *col = c;
    }
    if (*col < 0)
        return bind_error(b, cr->location, ERRCODE_UNDEFINED_COLUMN,
                          "column \"%s\" does not exist", name);
    return 0;
}

/* The time column (invariant 2): its index in the relation. */
static int
time_column(BindCtx *b, const TvfArgs *t, const ScopeRel *rel, const QueryScope *s,
            const Node *arg, int *col)
{
    Oid type;

    if (rel_column(b, t, rel, arg, "second", col) < 0)
        return -1;
    type = s->types[scope_rel_col(rel, *col)];
    if (type != TYPE_TIMESTAMP && type != TYPE_TIMESTAMPTZ && type != TYPE_DATE)
        return bind_error(b, location_of(arg), ERRCODE_DATATYPE_MISMATCH,
                          "the time column of %s must be of type timestamp, timestamp with time "
                          "zone or date, not %s",
                          t->upper, type_sql_name(type));
    return 0;
}

static Expr *
column(BindCtx *b, const PlanNode *in, int c)
{
    Expr *e = expr_new(b->arena, EXPR_COLUMN, in->types[c], -1);

    e->u.column = c;
    e->typmod = in->typmods[c];
    return e;
}

static PlanNode *
tumble_plan(BindCtx *b, const TvfArgs *t, PlanNode *in, int col, Oid wtype)
{
    int n = in->ncols;
    PlanNode *p = plan_new(b->arena, PLAN_PROJECT, in, n + 2);
    Expr *ts = column(b, in, col), *args[2][3];

    p->u.exprs = arena_alloc(b->arena, sizeof(Expr *) * (size_t)(n + 2));
    for (int c = 0; c < n; c++) {
        p->u.exprs[c] = column(b, in, c);
        p->types[c] = in->types[c];
        p->typmods[c] = in->typmods[c];
    }
    if (ts->type == TYPE_DATE && bind_coerce(b, &ts, TYPE_TIMESTAMP, COERCION_IMPLICIT, -1) != 0)
        return NULL;
    for (int w = 0; w < 2; w++) {
        args[w][0] = ts;
        args[w][1] = expr_const(b->arena, TYPE_INT8, datum_from_int64(t->size), false, -1);
        args[w][2] = expr_const(b->arena, TYPE_INT8, datum_from_int64(t->offset), false, -1);
        p->u.exprs[n + w] =
            expr_func(b->arena, NULL, w == 0 ? window_tumble_start_fn : window_tumble_end_fn, true,
                      wtype, 3, arena_memdup(b->arena, args[w], sizeof args[w]), -1);
        p->types[n + w] = wtype;
        p->typmods[n + w] = -1;
    }
    return p;
}

/* The Hop or Session node over in (time column col, not a date). */
static PlanNode *
window_node(BindCtx *b, const TvfArgs *t, PlanNode *in, int col, Oid wtype)
{
    int n = in->ncols;
    PlanNode *p = plan_new(b->arena, t->kind == TVF_HOP ? PLAN_HOP : PLAN_SESSION, in, n + 2);

    memcpy(p->types, in->types, sizeof(Oid) * (size_t)n);
    memcpy(p->typmods, in->typmods, sizeof(int32_t) * (size_t)n);
    p->types[n] = p->types[n + 1] = wtype;
    p->typmods[n] = p->typmods[n + 1] = -1;
    if (t->kind == TVF_HOP) {
        p->u.hop.column = col;
        p->u.hop.slide = t->slide;
        p->u.hop.size = t->size;
        p->u.hop.offset = t->offset;
        return p;
    }
    p->u.session.column = col;
    p->u.session.gap = t->size;
    p->u.session.nkeys = t->nkeys;
    p->u.session.keys = t->keys;
    p->u.session.key_orders = arena_calloc(b->arena, (size_t)t->nkeys + 1, sizeof(TypeOrder));
    p->u.session.row_orders = arena_calloc(b->arena, (size_t)n + 1, sizeof(TypeOrder));
    for (int c = 0; c < n; c++) {
        if (!plan_type_order(in->types[c], &p->u.session.row_orders[c])) {
            bind_error(b, -1, ERRCODE_FEATURE_NOT_SUPPORTED,
                       "SESSION over a relation with a column of type %s is not supported",
                       type_sql_name(in->types[c]));
            return NULL;
        }
    }
    for (int k = 0; k < t->nkeys; k++)
        p->u.session.key_orders[k] = p->u.session.row_orders[t->keys[k]];
    return p;
}

/* HOP / SESSION; a date time column is read as timestamp through an extra column. */
static PlanNode *
hop_plan(BindCtx *b, const TvfArgs *t, PlanNode *in, int col, Oid wtype)
{
    int n = in->ncols;
    PlanNode *p;

    if (in->types[col] == TYPE_DATE) { /* the date read as timestamp, in an extra column */
        PlanNode *proj = plan_new(b->arena, PLAN_PROJECT, in, n + 1);
        Expr *ts = column(b, in, col);

        proj->u.exprs = arena_alloc(b->arena, sizeof(Expr *) * (size_t)(n + 1));
        for (int c = 0; c < n; c++) {
            proj->u.exprs[c] = column(b, in, c);
            proj->types[c] = in->types[c];
            proj->typmods[c] = in->typmods[c];
        }
        if (bind_coerce(b, &ts, TYPE_TIMESTAMP, COERCION_IMPLICIT, -1) != 0)
            return NULL;
        proj->u.exprs[n] = ts;
        proj->types[n] = TYPE_TIMESTAMP;
        proj->typmods[n] = -1;
        p = hop_plan(b, t, proj, n, wtype);
        if (p == NULL)
            return NULL;
        /* drop the extra column again: rel columns, window_start, window_end */
        proj = plan_new(b->arena, PLAN_PROJECT, p, n + 2);
        proj->u.exprs = arena_alloc(b->arena, sizeof(Expr *) * (size_t)(n + 2));
        for (int c = 0; c < n + 2; c++) {
            int from = c < n ? c : c + 1;

            proj->u.exprs[c] = column(b, p, from);
            proj->types[c] = p->types[from];
            proj->typmods[c] = p->typmods[from];
        }
        return proj;
    }
    return window_node(b, t, in, col, wtype);
}

/* Widens rel (the last relation of s) by the window columns; the alias's column names. */
static int
widen_scope(BindCtx *b, QueryScope *s, ScopeRel *rel, const PgQuery__Alias *alias, Oid wtype)
{
    int n = rel->ncols, given = alias != NULL ? (int)alias->n_colnames : 0;
    const char **names = arena_alloc(b->arena, sizeof(char *) * (size_t)(n + 2));
    Oid *types = arena_alloc(b->arena, sizeof(Oid) * (size_t)(s->ncols + 3));
    int32_t *typmods = arena_alloc(b->arena, sizeof(int32_t) * (size_t)(s->ncols + 3));

    if (given > n + 2)
        return bind_error(b, -1, ERRCODE_INVALID_COLUMN_REFERENCE,
                          "table \"%s\" has %d columns available but %d columns specified",
                          alias->aliasname, n + 2, given);
    memcpy(names, rel->colnames, sizeof(char *) * (size_t)n);
    names[n] = "window_start";
    names[n + 1] = "window_end";
    for (int i = 0; i < given; i++)
        names[i] = arena_strdup(b->arena, bind_node_str(alias->colnames[i]));
    memcpy(types, s->types, sizeof(Oid) * (size_t)s->ncols);
    memcpy(typmods, s->typmods, sizeof(int32_t) * (size_t)s->ncols);
    types[s->ncols] = types[s->ncols + 1] = wtype;
    typmods[s->ncols] = typmods[s->ncols + 1] = -1;
    s->types = types;
    s->typmods = typmods;
    s->ncols += 2;
    rel->colnames = names;
    rel->ncols = n + 2;
    return 0;
}

int
bind_window_tvf(BindCtx *b, QueryScope *s, const PgQuery__RangeFunction *rf, PlanNode **out)
{
    const PgQuery__FuncCall *fc = tvf_call(rf);
    TvfArgs t = {0};
    bool hop, session;
    int nargs, col = -1, first_size, min_args, max_args;
    PgQuery__Alias *alias = arena_calloc(b->arena, 1, sizeof *alias);
    Node item = PG_QUERY__NODE__INIT;
    PlanNode *in, *p;
    ScopeRel *rel;
    Oid wtype;

    t.fname = tvf_name(fc);
    hop = strcmp(t.fname, "hop") == 0;
    session = strcmp(t.fname, "session") == 0;
    t.kind = hop ? TVF_HOP : session ? TVF_SESSION : TVF_TUMBLE;
    t.upper = hop ? "HOP" : session ? "SESSION" : "TUMBLE";
    nargs = (int)fc->n_args;
    min_args = hop ? 4 : 3;
    max_args = hop ? 5 : session ? 3 + FUNC_MAX_ARGS : 4;
    if (rf->lateral || rf->ordinality || rf->is_rowsfrom || rf->n_coldeflist > 0 ||
        fc->agg_star || fc->agg_distinct || fc->n_agg_order > 0 || fc->agg_filter != NULL ||
        fc->over != NULL || fc->func_variadic)
        return bind_error(b, fc->location, ERRCODE_FEATURE_NOT_SUPPORTED,
                          "this form of %s is not supported", t.upper);
    if (nargs < min_args || nargs > max_args) {
        bind_error(b, fc->location, ERRCODE_UNDEFINED_FUNCTION,
                   "function %s with %d arguments does not exist", t.fname, nargs);
        err_hint(b->err, "%s",
                 hop       ? "HOP takes (relation, time_column, slide, size [, offset])."
                 : session ? "SESSION takes (relation, time_column, gap [, key_column ...])."
                           : "TUMBLE takes (relation, time_column, size [, offset]).");
        return -1;
    }
    /* the relation, bound under the call's alias */
    pg_query__alias__init(alias);
    alias->aliasname = rf->alias != NULL ? rf->alias->aliasname : (char *)t.fname;
    if (rf->alias == NULL && fc->args[0]->node_case == PG_QUERY__NODE__NODE_COLUMN_REF &&
        fc->args[0]->column_ref->n_fields > 0) /* FROM TUMBLE(bid, ...): bid.price, as RisingWave */
        alias->aliasname = (char *)bind_node_str(
            fc->args[0]->column_ref->fields[fc->args[0]->column_ref->n_fields - 1]);
    if (alias->aliasname == NULL)
        alias->aliasname = (char *)t.fname;
    if (relation_item(b, &t, fc->args[0], alias, &item) < 0 ||
        bind_from_item(b, s, &item, &in) < 0)
        return -1;
    rel = &s->rels[s->nrels - 1];
    if (rel->cols != NULL || rel->first + rel->ncols != s->ncols || rel->ncols != in->ncols)
        return bind_error(b, fc->location, ERRCODE_INTERNAL_ERROR,
                          "unexpected FROM item in %s", t.upper);
    if (time_column(b, &t, rel, s, fc->args[1], &col) < 0)
        return -1;
    /* sizes (invariant 1) */
    first_size = hop ? 3 : 2;
    if (hop && interval_arg(b, s, fc->args[2], "window slide", false, &t.slide) < 0)
        return -1;
    if (interval_arg(b, s, fc->args[first_size], session ? "session gap" : "window size", false,
                     &t.size) < 0)
        return -1;
    if (session) { /* the key columns */
        t.nkeys = nargs - 3;
        t.keys = arena_alloc(b->arena, sizeof(int) * (size_t)(t.nkeys + 1));
        for (int k = 0; k < t.nkeys; k++) {
            if (rel_column(b, &t, rel, fc->args[3 + k], "key", &t.keys[k]) < 0)
                return -1;
        }
    } else if (nargs > first_size + 1 &&
        interval_arg(b, s, fc->args[first_size + 1], "window offset", true, &t.offset) < 0)
        return -1;
    if (hop && t.size % t.slide != 0)
        return bind_error(b, location_of(fc->args[3]), ERRCODE_INVALID_PARAMETER_VALUE,
                          "window size must be a multiple of window slide");
    wtype = in->types[col] == TYPE_DATE ? TYPE_TIMESTAMP : in->types[col];
    p = t.kind == TVF_TUMBLE ? tumble_plan(b, &t, in, col, wtype) : hop_plan(b, &t, in, col, wtype);
    if (p == NULL || widen_scope(b, s, rel, rf->alias, wtype) < 0)
        return -1;
    *out = p;
    return 0;
}
