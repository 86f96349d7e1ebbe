/*
 * sql/expr.c — the expression evaluator: a tree interpreter over bound Expr
 * nodes (see sql/expr.h for the model).
 *
 * Pipeline position: below the portal (ad-hoc SELECT) and, later, the stream
 * operators; above the built-in functions (sql/func_*.c) and the type
 * registry (casts through text).
 *
 * Invariants:
 *   1. Evaluation reads the tree and writes only the caller's slots and
 *      ctx->arena (plus ctx->case_value, saved and restored around each CASE).
 *   2. Three-valued logic as SQL: AND is false if any argument is false, else
 *      NULL if any is NULL; OR is true if any is true, else NULL if any is NULL.
 *   3. The interrupt flag is read once per batch and by long built-ins
 *      (pg_sleep), never in the per-node hot path.
 */
#include "sql/expr.h"

#include "common/clock.h"
#include "sql/catalog.h"
#include "sql/expr_vec.h"

Expr *
expr_new(Arena *a, ExprKind kind, Oid type, int location)
{
    Expr *e = arena_calloc(a, 1, sizeof *e);

    e->kind = kind;
    e->type = type;
    e->typmod = -1;
    e->location = location;
    return e;
}

Expr *
expr_const(Arena *a, Oid type, Datum d, bool isnull, int location)
{
    Expr *e = expr_new(a, EXPR_CONST, type, location);

    e->u.konst.d = d;
    e->u.konst.isnull = isnull;
    return e;
}

Expr *
expr_func(Arena *a, const FuncDef *def, BuiltinFn fn, bool strict, Oid rettype, int nargs,
          Expr **args, int location)
{
    Expr *e = expr_new(a, EXPR_FUNC, rettype, location);

    e->u.func.def = def;
    e->u.func.fn = fn;
    e->u.func.strict = strict;
    e->u.func.nargs = nargs;
    e->u.func.args = args;
    e->u.func.argtypes = arena_alloc(a, sizeof(Oid) * (size_t)(nargs > 0 ? nargs : 1));
    for (int i = 0; i < nargs; i++)
        e->u.func.argtypes[i] = args[i]->type;
    return e;
}

bool
expr_is_const(const Expr *e)
{
    return e->kind == EXPR_CONST;
}

int
expr_check_interrupts(EvalCtx *ctx, Err *err)
{
    if (ctx->interrupt != NULL && atomic_load(ctx->interrupt) != 0)
        return ERR_RAISE(err, ERRCODE_QUERY_CANCELED, "canceling statement due to user request");
    if (ctx->deadline_ns != 0 && clock_monotonic_ns() >= ctx->deadline_ns)
        return ERR_RAISE(err, ERRCODE_QUERY_CANCELED,
                         "canceling statement due to statement timeout");
    return 0;
}

static int
eval_func(const Expr *e, EvalCtx *ctx, Datum *out, bool *isnull, Err *err)
{
    Datum argbuf[FUNC_MAX_ARGS], *args = argbuf;
    bool nullbuf[FUNC_MAX_ARGS], *nulls = nullbuf;
    FnCall call;

    if (e->u.func.nargs > FUNC_MAX_ARGS) { /* VARIADIC "any" calls (concat, format) */
        args = arena_alloc(ctx->arena, sizeof(Datum) * (size_t)e->u.func.nargs);
        nulls = arena_alloc(ctx->arena, sizeof(bool) * (size_t)e->u.func.nargs);
    }
    for (int i = 0; i < e->u.func.nargs; i++) {
        if (expr_eval(e->u.func.args[i], ctx, &args[i], &nulls[i], err) < 0)
            return -1;
        if (nulls[i] && e->u.func.strict) {
            *out = 0;
            *isnull = true;
            return 0;
        }
    }
    call.ctx = ctx;
    call.nargs = e->u.func.nargs;
    call.args = args;
    call.nulls = nulls;
    call.argtypes = e->u.func.argtypes;
    *isnull = false;
    return e->u.func.fn(&call, out, isnull, err);
}

static int
eval_coerce_io(const Expr *e, EvalCtx *ctx, Datum *out, bool *isnull, Err *err)
{
    const TypeInfo *from = type_by_oid(e->u.arg->type);
    const TypeInfo *to = type_by_oid(e->type);
    Datum d;
    Buf b;
    int rc;

    if (expr_eval(e->u.arg, ctx, &d, isnull, err) < 0)
        return -1;
    if (*isnull)
        return 0;
    buf_init(&b, BUF_DEFAULT_MAX);
    from->out(d, e->u.arg->typmod, ctx->io, &b);
    buf_put_u8(&b, 0);
    if (b.failed) {
        buf_free(&b);
        return ERR_RAISE(err, ERRCODE_PROGRAM_LIMIT_EXCEEDED, "value too large to convert");
    }
    rc = to->in((const char *)b.data, b.len - 1, e->typmod, ctx->io, ctx->arena, out, err);
    buf_free(&b);
    return rc;
}

/* AND and OR: stop at the deciding value, remember NULLs (invariant 2). */
static int
eval_andor(const Expr *e, EvalCtx *ctx, Datum *out, bool *isnull, Err *err)
{
    bool decider = e->kind == EXPR_OR; /* OR stops at true, AND at false */
    bool saw_null = false;

    for (int i = 0; i < e->u.list.nargs; i++) {
        Datum d;
        bool n;

        if (expr_eval(e->u.list.args[i], ctx, &d, &n, err) < 0)
            return -1;
        if (n)
            saw_null = true;
        else if (datum_get_bool(d) == decider) {
            *out = datum_from_bool(decider);
            *isnull = false;
            return 0;
        }
    }
    *out = datum_from_bool(!decider);
    *isnull = saw_null;
    return 0;
}

static int
eval_booltest(const Expr *e, EvalCtx *ctx, Datum *out, bool *isnull, Err *err)
{
    Datum d;
    bool n, v, r = false;

    if (expr_eval(e->u.booltest.arg, ctx, &d, &n, err) < 0)
        return -1;
    v = !n && datum_get_bool(d);
    switch (e->u.booltest.kind) {
    case BOOLTEST_TRUE:
        r = !n && v;
        break;
    case BOOLTEST_NOT_TRUE:
        r = n || !v;
        break;
    case BOOLTEST_FALSE:
        r = !n && !v;
        break;
    case BOOLTEST_NOT_FALSE:
        r = n || v;
        break;
    case BOOLTEST_UNKNOWN:
        r = n;
        break;
    case BOOLTEST_NOT_UNKNOWN:
        r = !n;
        break;
    }
    *out = datum_from_bool(r);
    *isnull = false;
    return 0;
}

/*
 * IS DISTINCT FROM: the = call decides only when neither side is NULL. The
 * operands are evaluated once, here, and handed to the = function directly.
 */
static int
eval_distinct(const Expr *e, EvalCtx *ctx, Datum *out, bool *isnull, Err *err)
{
    const Expr *eq = e->u.distinct.eq;
    Datum args[2], r;
    bool nulls[2], rnull = false;
    FnCall call = {ctx, 2, args, nulls, eq->u.func.argtypes};

    for (int i = 0; i < 2; i++) {
        if (expr_eval(eq->u.func.args[i], ctx, &args[i], &nulls[i], err) < 0)
            return -1;
    }
    *isnull = false;
    if (e->kind == EXPR_NULLIF) {
        /* NULLIF(a, b): NULL when a = b is true, else a */
        if (!nulls[0] && !nulls[1]) {
            if (eq->u.func.fn(&call, &r, &rnull, err) < 0)
                return -1;
            if (!rnull && datum_get_bool(r)) {
                *out = 0;
                *isnull = true;
                return 0;
            }
        }
        *out = args[0];
        *isnull = nulls[0];
        return 0;
    }
    if (nulls[0] || nulls[1])
        r = datum_from_bool(nulls[0] != nulls[1]);
    else {
        if (eq->u.func.fn(&call, &r, &rnull, err) < 0)
            return -1;
        r = datum_from_bool(!datum_get_bool(r));
    }
    *out = e->u.distinct.is_not ? datum_from_bool(!datum_get_bool(r)) : r;
    return 0;
}

static int
eval_case(const Expr *e, EvalCtx *ctx, Datum *out, bool *isnull, Err *err)
{
    Value saved = ctx->case_value;
    int rc = 0;
    const Expr *result = e->u.kase.otherwise;

    if (e->u.kase.arg != NULL &&
        expr_eval(e->u.kase.arg, ctx, &ctx->case_value.d, &ctx->case_value.isnull, err) < 0) {
        ctx->case_value = saved;
        return -1;
    }
    for (int i = 0; i < e->u.kase.nwhen; i++) {
        Datum d;
        bool n;

        if (expr_eval(e->u.kase.when[i], ctx, &d, &n, err) < 0) {
            rc = -1;
            break;
        }
        if (!n && datum_get_bool(d)) {
            result = e->u.kase.then[i];
            break;
        }
    }
    ctx->case_value = saved;
    if (rc < 0)
        return -1;
    if (result == NULL) {
        *out = 0;
        *isnull = true;
        return 0;
    }
    return expr_eval(result, ctx, out, isnull, err);
}

static int
eval_coalesce(const Expr *e, EvalCtx *ctx, Datum *out, bool *isnull, Err *err)
{
    for (int i = 0; i < e->u.list.nargs; i++) {
        if (expr_eval(e->u.list.args[i], ctx, out, isnull, err) < 0)
            return -1;
        if (!*isnull)
            return 0;
    }
    *out = 0;
    *isnull = true;
    return 0;
}

static int
eval_leaf(const Value *v, Datum *out, bool *isnull)
{
    *out = v->d;
    *isnull = v->isnull;
    return 0;
}

int
expr_eval(const Expr *e, EvalCtx *ctx, Datum *out, bool *isnull, Err *err)
{
    switch (e->kind) {
    case EXPR_CONST:
        return eval_leaf(&e->u.konst, out, isnull);
    case EXPR_PARAM:
        if (e->u.param >= ctx->nparams)
            return ERR_RAISE(err, ERRCODE_INTERNAL_ERROR, "no value found for parameter %d",
                             e->u.param + 1);
        return eval_leaf(&ctx->params[e->u.param], out, isnull);
    case EXPR_COLUMN:
        if (ctx->row == NULL || e->u.column >= ctx->ncols)
            return ERR_RAISE(err, ERRCODE_INTERNAL_ERROR, "no input column %d", e->u.column + 1);
        return eval_leaf(&ctx->row[e->u.column], out, isnull);
    case EXPR_CASE_TEST:
        return eval_leaf(&ctx->case_value, out, isnull);
    case EXPR_FUNC:
        return eval_func(e, ctx, out, isnull, err);
    case EXPR_COERCE_IO:
        return eval_coerce_io(e, ctx, out, isnull, err);
    case EXPR_AND:
    case EXPR_OR:
        return eval_andor(e, ctx, out, isnull, err);
    case EXPR_NOT:
        if (expr_eval(e->u.arg, ctx, out, isnull, err) < 0)
            return -1;
        *out = datum_from_bool(!*isnull && !datum_get_bool(*out));
        return 0;
    case EXPR_NULLTEST:
        if (expr_eval(e->u.nulltest.arg, ctx, out, isnull, err) < 0)
            return -1;
        *out = datum_from_bool(*isnull != e->u.nulltest.is_not);
        *isnull = false;
        return 0;
    case EXPR_BOOLTEST:
        return eval_booltest(e, ctx, out, isnull, err);
    case EXPR_DISTINCT:
    case EXPR_NULLIF:
        return eval_distinct(e, ctx, out, isnull, err);
    case EXPR_CASE:
        return eval_case(e, ctx, out, isnull, err);
    case EXPR_COALESCE:
        return eval_coalesce(e, ctx, out, isnull, err);
    }
    return ERR_RAISE(err, ERRCODE_INTERNAL_ERROR, "unrecognized expression node %d", (int)e->kind);
}

int
expr_eval_batch(const Expr *e, EvalCtx *ctx, const Value *const *rows, int nrows, Value *out,
                Err *err)
{
    const Value *saved_row = ctx->row;
    int rc;

    if (expr_check_interrupts(ctx, err) < 0)
        return -1;
    rc = expr_vec_eval_batch(e, ctx, rows, nrows, out, err); /* column-at-a-time: expr_vec.c */
    ctx->row = saved_row;
    return rc;
}
