/*
 * sql/bind_temporal.c — temporal filters: the WHERE conjuncts of a materialized view that
 * compare an expression of the row with the current time, `ts > now() - INTERVAL '1 hour'`,
 * maintained as time passes (stream/op_temporal.c: rows leave, or enter, the view when the
 * epoch's time crosses their boundary) instead of being refused like every other now().
 *
 * Accepted (RisingWave's forms), each AND-ed with anything else in a WHERE:
 *
 *     row_expr  op  T        T  op  row_expr        op: <  <=  >  >=
 *     T = NOW | NOW + c | NOW - c | c + NOW
 *     NOW = now() | transaction_timestamp() | CURRENT_TIMESTAMP | CURRENT_DATE |
 *           LOCALTIMESTAMP
 *
 * where c has no column (a constant, usually an interval) and row_expr no time function
 * (a column, `col + INTERVAL '1 day'`, `last_seen + 2 * timeout` ...). Anything else with a
 * time function (in the select list, under OR, a date_trunc of now()) keeps the refusal of
 * sql/bind_matview.c, with its position.
 *
 * The bound comparison is kept whole, with the now() call replaced by parameter 0 (coerced
 * to the call's type for CURRENT_DATE / LOCALTIMESTAMP): the operator evaluates exactly
 * PostgreSQL's comparison at the epoch's time, so time zones, month arithmetic and
 * cross-type comparisons need no algebra here.
 *
 * Invariants:
 *   1. A temporal condition is monotone in the time: T never decreases as time passes and
 *      row_expr does not depend on it, so each row changes visibility at most once.
 *   2. Conjuncts are bound in order, each coerced with "AND" when there are several, so
 *      errors and their positions are those of binding the whole WHERE.
 *   3. Only views ask (b->temporal_ok); an ad-hoc SELECT evaluates now() once, as before.
 */
#include <string.h>

#include "sql/bind_temporal.h"
#include "sql/func_datetime.h"

/* ---- the parse tree: conjuncts and the time side's shape ------------------------------ */

static void
add_conjuncts(BindCtx *b, const Node *n, const Node ***out, int *nout, int *cap)
{
    if (n->node_case == PG_QUERY__NODE__NODE_BOOL_EXPR &&
        n->bool_expr->boolop == PG_QUERY__BOOL_EXPR_TYPE__AND_EXPR) {
        for (size_t i = 0; i < n->bool_expr->n_args; i++)
            add_conjuncts(b, n->bool_expr->args[i], out, nout, cap);
        return;
    }
    if (*nout == *cap) {
        const Node **grown = arena_alloc(b->arena, sizeof(Node *) * (size_t)(*cap * 2 + 8));

        if (*nout > 0)
            memcpy(grown, *out, sizeof(Node *) * (size_t)*nout);
        *out = grown;
        *cap = *cap * 2 + 8;
    }
    (*out)[(*nout)++] = n;
}

static const char *
last_name(PgQuery__Node *const *names, size_t n)
{
    return n > 0 ? bind_node_str(names[n - 1]) : NULL;
}

static bool
is_now_call(const Node *n)
{
    if (n->node_case == PG_QUERY__NODE__NODE_FUNC_CALL) {
        const PgQuery__FuncCall *f = n->func_call;
        const char *name = last_name(f->funcname, f->n_funcname);

        return f->n_args == 0 && name != NULL &&
               (strcmp(name, "now") == 0 || strcmp(name, "transaction_timestamp") == 0);
    }
    if (n->node_case == PG_QUERY__NODE__NODE_SQLVALUE_FUNCTION) {
        PgQuery__SQLValueFunctionOp op = n->sqlvalue_function->op;

        return op == PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIMESTAMP ||
               op == PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_DATE ||
               op == PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIMESTAMP;
    }
    return false;
}

/* NOW, NOW + c, NOW - c, c + NOW (c checked on the bound tree: no column, no time). */
static bool
is_time_side(const Node *n)
{
    const PgQuery__AExpr *a;
    const char *op;

    if (is_now_call(n))
        return true;
    if (n->node_case != PG_QUERY__NODE__NODE_A_EXPR)
        return false;
    a = n->a_expr;
    op = last_name(a->name, a->n_name);
    if (a->kind != PG_QUERY__A__EXPR__KIND__AEXPR_OP || op == NULL || a->lexpr == NULL ||
        a->rexpr == NULL)
        return false;
    if (strcmp(op, "+") == 0)
        return is_now_call(a->lexpr) || is_now_call(a->rexpr);
    return strcmp(op, "-") == 0 && is_now_call(a->lexpr);
}

/* 1: left is the time side, 2: right is, 0: not a comparison of that shape. */
static int
comparison_shape(const Node *n)
{
    const PgQuery__AExpr *a;
    const char *op;

    if (n->node_case != PG_QUERY__NODE__NODE_A_EXPR)
        return 0;
    a = n->a_expr;
    op = last_name(a->name, a->n_name);
    if (a->kind != PG_QUERY__A__EXPR__KIND__AEXPR_OP || op == NULL || a->lexpr == NULL ||
        a->rexpr == NULL ||
        (strcmp(op, "<") != 0 && strcmp(op, "<=") != 0 && strcmp(op, ">") != 0 &&
         strcmp(op, ">=") != 0))
        return 0;
    return is_time_side(a->lexpr) ? 1 : is_time_side(a->rexpr) ? 2 : 0;
}

/* ---- the bound tree -------------------------------------------------------------------- */

/* The type NOW stands for when e is an accepted time call, else TYPE_INVALID. */
static Oid
now_type(const Expr *e)
{
    if (e->kind != EXPR_FUNC || e->u.func.nargs != 0)
        return TYPE_INVALID;
    if (e->u.func.fn == fn_now || e->u.func.fn == fn_current_timestamp)
        return TYPE_TIMESTAMPTZ;
    if (e->u.func.fn == fn_current_date)
        return TYPE_DATE;
    if (e->u.func.fn == fn_localtimestamp)
        return TYPE_TIMESTAMP;
    return TYPE_INVALID;
}

/* Any other value that changes with time or per call (what sql/bind_expr.c flags). */
static bool
is_other_time(const Expr *e)
{
    const FuncDef *f = e->u.func.def;

    if (e->kind != EXPR_FUNC || now_type(e) != TYPE_INVALID)
        return false;
    if (f != NULL)
        return (f->flags & FN_VOLATILE) != 0 || strcmp(f->name, "now") == 0 ||
               strcmp(f->name, "transaction_timestamp") == 0 ||
               strcmp(f->name, "statement_timestamp") == 0;
    return e->u.func.fn == fn_current_timestamp || e->u.func.fn == fn_current_date ||
           e->u.func.fn == fn_localtimestamp || e->u.func.fn == fn_localtime;
}

typedef struct Census {
    int nows, others, columns;
} Census;

static void
census(const Expr *e, Census *c)
{
    if (e == NULL)
        return;
    switch (e->kind) {
    case EXPR_CONST:
    case EXPR_PARAM:
    case EXPR_CASE_TEST:
        return;
    case EXPR_COLUMN:
        c->columns++;
        return;
    case EXPR_FUNC:
        if (now_type(e) != TYPE_INVALID)
            c->nows++;
        else if (is_other_time(e))
            c->others++;
        for (int i = 0; i < e->u.func.nargs; i++)
            census(e->u.func.args[i], c);
        return;
    case EXPR_COERCE_IO:
    case EXPR_NOT:
        census(e->u.arg, c);
        return;
    case EXPR_AND:
    case EXPR_OR:
    case EXPR_COALESCE:
        for (int i = 0; i < e->u.list.nargs; i++)
            census(e->u.list.args[i], c);
        return;
    case EXPR_NULLTEST:
        census(e->u.nulltest.arg, c);
        return;
    case EXPR_BOOLTEST:
        census(e->u.booltest.arg, c);
        return;
    case EXPR_DISTINCT:
    case EXPR_NULLIF:
        census(e->u.distinct.eq, c);
        return;
    case EXPR_CASE:
        census(e->u.kase.arg, c);
        for (int i = 0; i < e->u.kase.nwhen; i++) {
            census(e->u.kase.when[i], c);
            census(e->u.kase.then[i], c);
        }
        census(e->u.kase.otherwise, c);
        return;
    }
    c->others++; /* a kind this walk does not know: not a temporal filter */
}

/* Replaces the one time call below *e (the time side: function arguments only). */
static int
replace_now(BindCtx *b, Expr **e)
{
    Oid t = now_type(*e);

    if (t != TYPE_INVALID) {
        Expr *p = expr_new(b->arena, EXPR_PARAM, TYPE_TIMESTAMPTZ, (*e)->location);
        int rc = 0;

        p->u.param = 0;
        if (t != TYPE_TIMESTAMPTZ)
            rc = bind_coerce(b, &p, t, COERCION_EXPLICIT, (*e)->location);
        if (rc != 0)
            return -1;
        *e = p;
        return 1;
    }
    if ((*e)->kind == EXPR_COERCE_IO)
        return replace_now(b, &(*e)->u.arg);
    for (int i = 0; (*e)->kind == EXPR_FUNC && i < (*e)->u.func.nargs; i++) {
        int rc = replace_now(b, &(*e)->u.func.args[i]);

        if (rc != 0)
            return rc;
    }
    return 0;
}

/* A bound comparison whose time side is argument tside (0 or 1) has the temporal shape. */
static bool
cmp_ok(const Expr *e, int tside)
{
    Census row = {0}, time = {0};

    if (e->kind != EXPR_FUNC || e->u.func.nargs != 2 || e->type != TYPE_BOOL)
        return false;
    census(e->u.func.args[1 - tside], &row);
    census(e->u.func.args[tside], &time);
    return row.nows == 0 && row.others == 0 && time.nows == 1 && time.others == 0 &&
           time.columns == 0;
}

static bool
has_time(const Expr *e)
{
    Census c = {0};

    census(e, &c);
    return c.nows > 0 || c.others > 0;
}

/*
 * Whether the bound conjunct e (of parse node n) is a temporal filter: 1 with its
 * comparisons (now() replaced by parameter 0) in tconds[*nt] and what is left of it (the
 * other half of a BETWEEN, or NULL) in *rest; 0 not one; -1 an error was raised.
 * `x BETWEEN lo AND hi` is bound as x >= lo AND x <= hi (sql/bind_expr.c), each half a
 * temporal comparison when its bound has the time shape.
 */
static int
match(BindCtx *b, const Node *n, Expr *e, Expr **tconds, int *nt, Expr **rest)
{
    int side = comparison_shape(n);

    *nt = 0;
    *rest = NULL;
    if (side != 0) {
        if (!cmp_ok(e, side == 1 ? 0 : 1))
            return 0;
        tconds[(*nt)++] = e;
        return replace_now(b, &e->u.func.args[side == 1 ? 0 : 1]); /* 1: cmp_ok found it */
    }
    if (n->node_case == PG_QUERY__NODE__NODE_A_EXPR &&
        n->a_expr->kind == PG_QUERY__A__EXPR__KIND__AEXPR_BETWEEN && n->a_expr->rexpr != NULL &&
        n->a_expr->rexpr->node_case == PG_QUERY__NODE__NODE_LIST &&
        n->a_expr->rexpr->list->n_items == 2 && e->kind == EXPR_AND && e->u.list.nargs == 2) {
        for (int i = 0; i < 2; i++) {
            Expr *half = e->u.list.args[i];

            if (is_time_side(n->a_expr->rexpr->list->items[i]) ? !cmp_ok(half, 1) : has_time(half))
                return 0;
        }
        for (int i = 0; i < 2; i++) {
            Expr *half = e->u.list.args[i];

            if (!is_time_side(n->a_expr->rexpr->list->items[i]))
                *rest = half;
            else if (replace_now(b, &half->u.func.args[1]) < 0)
                return -1;
            else
                tconds[(*nt)++] = half;
        }
        return 1;
    }
    return 0;
}

Expr *
bind_temporal_where(BindCtx *b, const Node *n, Expr ***conds, int *nconds)
{
    const Node **leaves = NULL;
    int nleaves = 0, cap = 0, nrest = 0, ccap = *nconds;
    const char *saved = b->time_function;
    int saved_loc = b->time_location;
    Expr **rest, *out;

    add_conjuncts(b, n, &leaves, &nleaves, &cap);
    rest = arena_alloc(b->arena, sizeof(Expr *) * (size_t)nleaves);
    for (int i = 0; i < nleaves; i++) {
        Expr *e, *tconds[2], *part = NULL;
        int is_temporal = 0, nt = 0;

        b->time_function = NULL;
        if ((e = bind_expr(b, leaves[i])) == NULL ||
            (nleaves > 1 && (e = bind_coerce_bool(b, e, "AND")) == NULL))
            return NULL;
        if (b->time_function != NULL &&
            (is_temporal = match(b, leaves[i], e, tconds, &nt, &part)) < 0)
            return NULL;
        for (int k = 0; is_temporal && k < nt; k++) {
            if (*nconds == ccap) {
                Expr **grown = arena_alloc(b->arena, sizeof(Expr *) * (size_t)(ccap * 2 + 4));

                if (*nconds > 0)
                    memcpy(grown, *conds, sizeof(Expr *) * (size_t)*nconds);
                *conds = grown;
                ccap = ccap * 2 + 4;
            }
            (*conds)[(*nconds)++] = tconds[k];
        }
        if (is_temporal)
            b->time_function = NULL;
        if (!is_temporal || part != NULL)
            rest[nrest++] = is_temporal ? part : e;
        if (saved == NULL && b->time_function != NULL) { /* the first refused one wins */
            saved = b->time_function;
            saved_loc = b->time_location;
        }
    }
    b->time_function = saved;
    b->time_location = saved_loc;
    if (nrest == 0)
        return expr_const(b->arena, TYPE_BOOL, datum_from_bool(true), false, -1);
    if (nrest == 1)
        return rest[0];
    out = expr_new(b->arena, EXPR_AND, TYPE_BOOL,
                   n->node_case == PG_QUERY__NODE__NODE_BOOL_EXPR ? n->bool_expr->location : -1);
    out->u.list.nargs = nrest;
    out->u.list.args = rest;
    return out;
}

PlanNode *
bind_temporal_attach(BindCtx *b, PlanNode *input, Expr **conds, int nconds, bool below_filter)
{
    if (nconds > 0 && below_filter && input->kind == PLAN_FILTER) {
        input->input = bind_temporal_attach(b, input->input, conds, nconds, false);
        return input;
    }
    for (int i = 0; i < nconds; i++) {
        PlanNode *t = plan_new(b->arena, PLAN_TEMPORAL_FILTER, input, input->ncols);

        memcpy(t->types, input->types, sizeof(Oid) * (size_t)input->ncols);
        memcpy(t->typmods, input->typmods, sizeof(int32_t) * (size_t)input->ncols);
        t->u.temporal.cond = conds[i];
        input = t;
    }
    return input;
}
