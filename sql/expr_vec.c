/*
 * sql/expr_vec.c — column-at-a-time evaluation of a bound expression over a
 * batch of rows: the body of expr_eval_batch() (sql/expr.h).
 *
 * A batch is cut into chunks of VEC_CHUNK rows. Each node is evaluated for
 * every row of the chunk into a column of Values before its parent runs:
 * constants and parameters are broadcast, columns gathered, and functions
 * called over whole argument columns. The common fixed-width operators
 * (integer + - * / %, comparisons of integers, float8 + - * / and
 * comparisons) run in type-specialised loops with no function-pointer call
 * per value; a row whose value leaves the loop's fast path (an overflow, a
 * zero divisor, a non-finite or zero float result) is handed to the
 * operator's own built-in, so every result and every error is the
 * built-in's. Other functions are called once per row over the argument
 * columns. Casts through text format integer sources on the stack (no
 * buffer per value). CASE, COALESCE, NULLIF and IS DISTINCT FROM are
 * evaluated row-at-a-time by expr_eval() for the rows that reach them.
 * A function of constants only (1.5::float8) is evaluated once per chunk.
 *
 * Invariants:
 *   1. Laziness is PostgreSQL's, per row (sql/expr.h invariant 2): the
 *      arguments of AND/OR after the first are evaluated only for the rows
 *      not yet decided; a strict function's later arguments only for the
 *      rows whose earlier arguments are all non-NULL. A node below a lazy
 *      construct is therefore never evaluated for a row PostgreSQL would
 *      skip.
 *   2. Errors are the row-at-a-time evaluator's: if anything fails over a
 *      chunk, the chunk is evaluated again row by row with expr_eval(), which
 *      raises the error PostgreSQL would raise first. Expressions calling a
 *      volatile function are always evaluated row by row (so nothing with a
 *      side effect runs twice, and nothing runs out of order).
 *   3. Fixed-width results never allocate; argument columns live on the C
 *      stack (VEC_CHUNK values per argument, at most VEC_MAX_DEPTH nested
 *      levels, deeper subtrees go row by row).
 */
#include "sql/expr_vec.h"

#include <math.h>
#include <string.h>

#include "sql/builtins.h"
#include "sql/catalog.h"
#include "sql/func_float.h"

#define VEC_CHUNK 128
#define VEC_MAX_DEPTH 12

typedef enum VecKernel {
    K_NONE,
    K_I2_PL, K_I4_PL, K_I8_PL,
    K_I2_MI, K_I4_MI, K_I8_MI,
    K_I2_MUL, K_I4_MUL, K_I8_MUL,
    K_I_MOD,
    K_I_EQ, K_I_NE, K_I_LT, K_I_LE, K_I_GT, K_I_GE,
    K_F8_PL, K_F8_MI, K_F8_MUL, K_F8_DIV,
    K_F8_EQ, K_F8_NE, K_F8_LT, K_F8_LE, K_F8_GT, K_F8_GE,
    K_I_TO_I8, K_I_TO_F8,
} VecKernel;

static VecKernel
kernel_of(const Expr *e)
{
    BuiltinFn fn = e->u.func.fn;
    int nargs = e->u.func.nargs;

    if (nargs == 1) {
        if (fn == int_up && e->type == TYPE_INT8)
            return K_I_TO_I8;
        if (fn == int_to_float8)
            return K_I_TO_F8;
        return K_NONE;
    }
    if (nargs != 2)
        return K_NONE;
    /* the integer built-ins take any int2/int4/int8 pair (sign-extended Datums) */
    if (fn == int2_pl) return K_I2_PL;
    if (fn == int4_pl) return K_I4_PL;
    if (fn == int8_pl) return K_I8_PL;
    if (fn == int2_mi) return K_I2_MI;
    if (fn == int4_mi) return K_I4_MI;
    if (fn == int8_mi) return K_I8_MI;
    if (fn == int2_mul) return K_I2_MUL;
    if (fn == int4_mul) return K_I4_MUL;
    if (fn == int8_mul) return K_I8_MUL;
    if (fn == int_mod) return K_I_MOD;
    if (fn == int_eq) return K_I_EQ;
    if (fn == int_ne) return K_I_NE;
    if (fn == int_lt) return K_I_LT;
    if (fn == int_le) return K_I_LE;
    if (fn == int_gt) return K_I_GT;
    if (fn == int_ge) return K_I_GE;
    if (fn == float8_pl) return K_F8_PL;
    if (fn == float8_mi) return K_F8_MI;
    if (fn == float8_mul) return K_F8_MUL;
    if (fn == float8_div) return K_F8_DIV;
    /* float comparisons read their argument types: only float8 × float8 here */
    if (e->u.func.argtypes[0] != TYPE_FLOAT8 || e->u.func.argtypes[1] != TYPE_FLOAT8)
        return K_NONE;
    if (fn == float_eq) return K_F8_EQ;
    if (fn == float_ne) return K_F8_NE;
    if (fn == float_lt) return K_F8_LT;
    if (fn == float_le) return K_F8_LE;
    if (fn == float_gt) return K_F8_GT;
    if (fn == float_ge) return K_F8_GE;
    return K_NONE;
}

bool
expr_vec_has_volatile(const Expr *e)
{
    if (e == NULL)
        return false;
    switch (e->kind) {
    case EXPR_FUNC:
        /* nodes without a FuncDef are operators and SQL value functions: never volatile */
        if (e->u.func.def != NULL && (e->u.func.def->flags & FN_VOLATILE))
            return true;
        for (int i = 0; i < e->u.func.nargs; i++)
            if (expr_vec_has_volatile(e->u.func.args[i]))
                return true;
        return false;
    case EXPR_COERCE_IO:
    case EXPR_NOT:
        return expr_vec_has_volatile(e->u.arg);
    case EXPR_AND:
    case EXPR_OR:
    case EXPR_COALESCE:
        for (int i = 0; i < e->u.list.nargs; i++)
            if (expr_vec_has_volatile(e->u.list.args[i]))
                return true;
        return false;
    case EXPR_NULLTEST:
        return expr_vec_has_volatile(e->u.nulltest.arg);
    case EXPR_BOOLTEST:
        return expr_vec_has_volatile(e->u.booltest.arg);
    case EXPR_DISTINCT:
    case EXPR_NULLIF:
        return expr_vec_has_volatile(e->u.distinct.eq);
    case EXPR_CASE:
        if (expr_vec_has_volatile(e->u.kase.arg) || expr_vec_has_volatile(e->u.kase.otherwise))
            return true;
        for (int i = 0; i < e->u.kase.nwhen; i++)
            if (expr_vec_has_volatile(e->u.kase.when[i]) ||
                expr_vec_has_volatile(e->u.kase.then[i]))
                return true;
        return false;
    default:
        return false;
    }
}

/* Row by row over the chunk (the nodes not vectorised here). */
static int
eval_rows(const Expr *e, EvalCtx *ctx, const Value *const *rows, int n, Value *out, Err *err)
{
    for (int r = 0; r < n; r++) {
        ctx->row = rows[r];
        if (expr_eval(e, ctx, &out[r].d, &out[r].isnull, err) < 0)
            return -1;
    }
    return 0;
}

static int vec_eval(const Expr *e, EvalCtx *ctx, const Value *const *rows, int n, Value *out,
                    int depth, Err *err);

/* The built-in itself for row r (the slow path of a kernel, and functions without one). */
static int
call_one(const Expr *e, EvalCtx *ctx, const Value *row, const Value *x, const Value *y, Value *o,
         Err *err)
{
    Datum args[2];
    bool nulls[2];
    FnCall call = {ctx, e->u.func.nargs, args, nulls, e->u.func.argtypes};

    args[0] = x->d;
    nulls[0] = x->isnull;
    if (e->u.func.nargs > 1) {
        args[1] = y->d;
        nulls[1] = y->isnull;
    }
    ctx->row = row;
    o->isnull = false;
    return e->u.func.fn(&call, &o->d, &o->isnull, err);
}

static int
call_row(const Expr *e, EvalCtx *ctx, const Value *const *rows, int r, const Value *a0,
         const Value *a1, Value *out, Err *err)
{
    return call_one(e, ctx, rows[r], &a0[r], a1 != NULL ? &a1[r] : NULL, &out[r], err);
}

/*
 * The integer kernels with a non-NULL constant right operand (a * 2, a % 7,
 * b < 900): no argument column for it. Returns 1 when k has no such loop.
 */
static int
run_kernel_const(VecKernel k, const Expr *e, EvalCtx *ctx, const Value *const *rows, int n,
                 const Value *a, const Value *bv, Value *out, Err *err)
{
    int64_t y = datum_get_int64(bv->d), lo = INT64_MIN, hi = INT64_MAX;

    switch (k) {
    case K_I2_PL: case K_I2_MI: case K_I2_MUL:
        lo = INT16_MIN, hi = INT16_MAX;
        break;
    case K_I4_PL: case K_I4_MI: case K_I4_MUL:
        lo = INT32_MIN, hi = INT32_MAX;
        break;
    default:
        break;
    }
#define CLOOP(...)                                                                                 \
    for (int r = 0; r < n; r++) {                                                                  \
        if (a[r].isnull) {                                                                         \
            out[r].d = 0;                                                                          \
            out[r].isnull = true;                                                                  \
            continue;                                                                              \
        }                                                                                          \
        out[r].isnull = false;                                                                     \
        __VA_ARGS__                                                                                \
    }
#define CSLOW()                                                                                    \
    do {                                                                                           \
        if (call_one(e, ctx, rows[r], &a[r], bv, &out[r], err) < 0)                                \
            return -1;                                                                             \
    } while (0)
#define CARITH(builtin)                                                                            \
    CLOOP({                                                                                        \
        int64_t v;                                                                                 \
        if (builtin(datum_get_int64(a[r].d), y, &v) || v < lo || v > hi)                           \
            CSLOW();                                                                               \
        else                                                                                       \
            out[r].d = datum_from_int64(v);                                                        \
    })
#define CCMP(op) CLOOP({ out[r].d = datum_from_bool(datum_get_int64(a[r].d) op y); })
    switch (k) {
    case K_I2_PL: case K_I4_PL: case K_I8_PL:
        CARITH(__builtin_add_overflow);
        return 0;
    case K_I2_MI: case K_I4_MI: case K_I8_MI:
        CARITH(__builtin_sub_overflow);
        return 0;
    case K_I2_MUL: case K_I4_MUL: case K_I8_MUL:
        CARITH(__builtin_mul_overflow);
        return 0;
    case K_I_MOD:
        if (y == 0 || y == -1)
            return 1;
        CLOOP({ out[r].d = datum_from_int64(datum_get_int64(a[r].d) % y); });
        return 0;
    case K_I_EQ: CCMP(==); return 0;
    case K_I_NE: CCMP(!=); return 0;
    case K_I_LT: CCMP(<); return 0;
    case K_I_LE: CCMP(<=); return 0;
    case K_I_GT: CCMP(>); return 0;
    case K_I_GE: CCMP(>=); return 0;
    default:
        return 1;
    }
#undef CLOOP
#undef CSLOW
#undef CARITH
#undef CCMP
}

#define I(v) datum_get_int64((v).d)
#define F(v) datum_get_float8((v).d)

/* Runs kernel k over rows whose arguments are non-NULL (strict functions). */
static int
run_kernel(VecKernel k, const Expr *e, EvalCtx *ctx, const Value *const *rows, int n,
           const Value *a, const Value *b, Value *out, Err *err)
{
    int64_t lo = INT64_MIN, hi = INT64_MAX;

    switch (k) {
    case K_I2_PL: case K_I2_MI: case K_I2_MUL:
        lo = INT16_MIN, hi = INT16_MAX;
        break;
    case K_I4_PL: case K_I4_MI: case K_I4_MUL:
        lo = INT32_MIN, hi = INT32_MAX;
        break;
    default:
        break;
    }
#define LOOP(...)                                                                                  \
    for (int r = 0; r < n; r++) {                                                                  \
        if (a[r].isnull || (b != NULL && b[r].isnull)) {                                           \
            out[r].d = 0;                                                                          \
            out[r].isnull = true;                                                                  \
            continue;                                                                              \
        }                                                                                          \
        out[r].isnull = false;                                                                     \
        __VA_ARGS__                                                                                \
    }
#define SLOW()                                                                                     \
    do {                                                                                           \
        if (call_row(e, ctx, rows, r, a, b, out, err) < 0)                                         \
            return -1;                                                                             \
    } while (0)
#define IARITH(builtin)                                                                            \
    LOOP({                                                                                         \
        int64_t v;                                                                                 \
        if (builtin(I(a[r]), I(b[r]), &v) || v < lo || v > hi)                                     \
            SLOW();                                                                                \
        else                                                                                       \
            out[r].d = datum_from_int64(v);                                                        \
    })
#define ICMP(op) LOOP({ out[r].d = datum_from_bool(I(a[r]) op I(b[r])); })
#define FARITH(op, zero_slow)                                                                      \
    LOOP({                                                                                         \
        double v = F(a[r]) op F(b[r]);                                                             \
        if (!isfinite(v) || ((zero_slow) && v == 0.0))                                             \
            SLOW();                                                                                \
        else                                                                                       \
            out[r].d = datum_from_float8(v);                                                       \
    })
#define FCMP(op)                                                                                   \
    LOOP({                                                                                         \
        double x = F(a[r]), y = F(b[r]);                                                           \
        if (isnan(x) || isnan(y))                                                                  \
            out[r].d = datum_from_bool(float8_cmp(x, y) op 0);                                     \
        else                                                                                       \
            out[r].d = datum_from_bool(x op y);                                                    \
    })

    switch (k) {
    case K_I2_PL: case K_I4_PL: case K_I8_PL:
        IARITH(__builtin_add_overflow);
        return 0;
    case K_I2_MI: case K_I4_MI: case K_I8_MI:
        IARITH(__builtin_sub_overflow);
        return 0;
    case K_I2_MUL: case K_I4_MUL: case K_I8_MUL:
        IARITH(__builtin_mul_overflow);
        return 0;
    case K_I_MOD:
        LOOP({
            int64_t y = I(b[r]);
            if (y == 0 || y == -1)
                SLOW();
            else
                out[r].d = datum_from_int64(I(a[r]) % y);
        });
        return 0;
    case K_I_EQ: ICMP(==); return 0;
    case K_I_NE: ICMP(!=); return 0;
    case K_I_LT: ICMP(<); return 0;
    case K_I_LE: ICMP(<=); return 0;
    case K_I_GT: ICMP(>); return 0;
    case K_I_GE: ICMP(>=); return 0;
    case K_F8_PL: FARITH(+, false); return 0;
    case K_F8_MI: FARITH(-, false); return 0;
    case K_F8_MUL: FARITH(*, true); return 0;
    case K_F8_DIV:
        LOOP({
            double x = F(a[r]), y = F(b[r]);
            double v = y != 0.0 ? x / y : 0.0;
            if (y == 0.0 || !isfinite(v) || v == 0.0)
                SLOW();
            else
                out[r].d = datum_from_float8(v);
        });
        return 0;
    case K_F8_EQ: FCMP(==); return 0;
    case K_F8_NE: FCMP(!=); return 0;
    case K_F8_LT: FCMP(<); return 0;
    case K_F8_LE: FCMP(<=); return 0;
    case K_F8_GT: FCMP(>); return 0;
    case K_F8_GE: FCMP(>=); return 0;
    case K_I_TO_I8:
        LOOP({ out[r].d = a[r].d; });
        return 0;
    case K_I_TO_F8:
        LOOP({ out[r].d = datum_from_float8((double)I(a[r])); });
        return 0;
    case K_NONE:
        break;
    }
    LOOP(SLOW(););
    return 0;
#undef LOOP
#undef SLOW
#undef IARITH
#undef ICMP
#undef FARITH
#undef FCMP
}

/*
 * Evaluates e for the rows idx[0..m) of the chunk only, scattering the
 * results into out (the lazy arguments of invariant 1).
 */
static int
vec_eval_subset(const Expr *e, EvalCtx *ctx, const Value *const *rows, const int *idx, int m,
                Value *out, int depth, Err *err)
{
    const Value *sub[VEC_CHUNK];
    Value res[VEC_CHUNK];

    for (int k = 0; k < m; k++)
        sub[k] = rows[idx[k]];
    if (vec_eval(e, ctx, sub, m, res, depth, err) < 0)
        return -1;
    for (int k = 0; k < m; k++)
        out[idx[k]] = res[k];
    return 0;
}

bool
expr_is_row_constant(const Expr *e)
{
    if (e == NULL)
        return true;
    switch (e->kind) {
    case EXPR_CONST:
    case EXPR_PARAM:
        return true;
    case EXPR_FUNC:
        if (e->u.func.def != NULL && (e->u.func.def->flags & FN_VOLATILE))
            return false;
        for (int i = 0; i < e->u.func.nargs; i++) {
            if (!expr_is_row_constant(e->u.func.args[i]))
                return false;
        }
        return true;
    case EXPR_COERCE_IO:
        return expr_is_row_constant(e->u.arg);
    default:
        return false;
    }
}

static int
vec_func(const Expr *e, EvalCtx *ctx, const Value *const *rows, int n, Value *out, int depth,
         Err *err)
{
    Value a0[VEC_CHUNK], a1[VEC_CHUNK];
    int idx[VEC_CHUNK], m = 0;
    bool strict = e->u.func.strict;
    int nargs = e->u.func.nargs;

    if (n > 0 && expr_is_row_constant(e)) {
        /* folded once per chunk: it would raise the same error for the first row */
        ctx->row = rows[0];
        if (expr_eval(e, ctx, &out[0].d, &out[0].isnull, err) < 0)
            return -1;
        for (int r = 1; r < n; r++)
            out[r] = out[0];
        return 0;
    }
    if (nargs < 1 || nargs > 2)
        return eval_rows(e, ctx, rows, n, out, err);
    if (vec_eval(e->u.func.args[0], ctx, rows, n, a0, depth + 1, err) < 0)
        return -1;
    if (nargs == 2 && strict && e->u.func.args[1]->kind == EXPR_CONST &&
        !e->u.func.args[1]->u.konst.isnull) {
        int rc = run_kernel_const(kernel_of(e), e, ctx, rows, n, a0, &e->u.func.args[1]->u.konst,
                                  out, err);

        if (rc <= 0)
            return rc;
    }
    if (nargs == 2) {
        /* a strict function's second argument only where the first is not NULL */
        for (int r = 0; r < n; r++) {
            if (!strict || !a0[r].isnull)
                idx[m++] = r;
            else
                a1[r].isnull = true, a1[r].d = 0;
        }
        if (m == n) {
            if (vec_eval(e->u.func.args[1], ctx, rows, n, a1, depth + 1, err) < 0)
                return -1;
        } else if (m > 0 &&
                   vec_eval_subset(e->u.func.args[1], ctx, rows, idx, m, a1, depth + 1, err) < 0)
            return -1;
    }
    if (strict)
        return run_kernel(kernel_of(e), e, ctx, rows, n, a0, nargs == 2 ? a1 : NULL, out, err);
    for (int r = 0; r < n; r++) {
        if (call_row(e, ctx, rows, r, a0, a1, out, err) < 0)
            return -1;
    }
    return 0;
}

static int
vec_andor(const Expr *e, EvalCtx *ctx, const Value *const *rows, int n, Value *out, int depth,
          Err *err)
{
    bool decider = e->kind == EXPR_OR;
    bool saw_null[VEC_CHUNK];
    int idx[VEC_CHUNK], m = 0;
    Value res[VEC_CHUNK];

    if (vec_eval(e->u.list.args[0], ctx, rows, n, res, depth + 1, err) < 0)
        return -1;
    for (int r = 0; r < n; r++) {
        saw_null[r] = res[r].isnull;
        out[r].isnull = false;
        if (!res[r].isnull && datum_get_bool(res[r].d) == decider)
            out[r].d = datum_from_bool(decider);
        else
            idx[m++] = r;
    }
    for (int i = 1; i < e->u.list.nargs && m > 0; i++) {
        const Value *sub[VEC_CHUNK];
        int m2 = 0;

        for (int k = 0; k < m; k++)
            sub[k] = rows[idx[k]];
        if (vec_eval(e->u.list.args[i], ctx, sub, m, res, depth + 1, err) < 0)
            return -1;
        for (int k = 0; k < m; k++) {
            int r = idx[k];

            if (res[k].isnull)
                saw_null[r] = true;
            else if (datum_get_bool(res[k].d) == decider) {
                out[r].d = datum_from_bool(decider);
                continue;
            }
            idx[m2++] = r;
        }
        m = m2;
    }
    for (int k = 0; k < m; k++) {
        out[idx[k]].d = datum_from_bool(!decider);
        out[idx[k]].isnull = saw_null[idx[k]];
    }
    return 0;
}

/*
 * A cast through text (source output, target input) over an argument
 * column: integer sources are formatted here on the stack (their output
 * function's text exactly); other sources go row by row (expr_eval).
 */
static int
vec_coerce_io(const Expr *e, EvalCtx *ctx, const Value *const *rows, int n, Value *out, int depth,
              Err *err)
{
    const TypeInfo *from = type_by_oid(e->u.arg->type);
    const TypeInfo *to = type_by_oid(e->type);
    Oid ft = e->u.arg->type;
    bool is_int = ft == TYPE_INT2 || ft == TYPE_INT4 || ft == TYPE_INT8;
    Value a0[VEC_CHUNK];

    if (from == NULL || to == NULL || !is_int)
        return eval_rows(e, ctx, rows, n, out, err);
    if (vec_eval(e->u.arg, ctx, rows, n, a0, depth + 1, err) < 0)
        return -1;
    for (int r = 0; r < n; r++) {
        char tmp[24];
        int len = 0;

        out[r].isnull = a0[r].isnull;
        out[r].d = 0;
        if (a0[r].isnull)
            continue;
        ctx->row = rows[r];
        {
            int64_t v = datum_get_int64(a0[r].d);
            uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
            char rev[24];
            int k = 0;

            do {
                rev[k++] = (char)('0' + u % 10);
                u /= 10;
            } while (u != 0);
            if (v < 0)
                tmp[len++] = '-';
            while (k > 0)
                tmp[len++] = rev[--k];
            tmp[len] = '\0';
        }
        if (to->in(tmp, (size_t)len, e->typmod, ctx->io, ctx->arena, &out[r].d, err) < 0)
            return -1;
    }
    return 0;
}

static int
vec_eval(const Expr *e, EvalCtx *ctx, const Value *const *rows, int n, Value *out, int depth,
         Err *err)
{
    if (depth > VEC_MAX_DEPTH)
        return eval_rows(e, ctx, rows, n, out, err);
    switch (e->kind) {
    case EXPR_CONST:
        for (int r = 0; r < n; r++)
            out[r] = e->u.konst;
        return 0;
    case EXPR_PARAM:
        if (e->u.param >= ctx->nparams)
            return eval_rows(e, ctx, rows, n, out, err);
        for (int r = 0; r < n; r++)
            out[r] = ctx->params[e->u.param];
        return 0;
    case EXPR_COLUMN: {
        int c = e->u.column;

        if (c >= ctx->ncols)
            return eval_rows(e, ctx, rows, n, out, err);
        for (int r = 0; r < n; r++) {
            if (rows[r] == NULL)
                return eval_rows(e, ctx, rows, n, out, err);
            out[r] = rows[r][c];
        }
        return 0;
    }
    case EXPR_FUNC:
        return vec_func(e, ctx, rows, n, out, depth, err);
    case EXPR_COERCE_IO:
        return vec_coerce_io(e, ctx, rows, n, out, depth, err);
    case EXPR_AND:
    case EXPR_OR:
        if (e->u.list.nargs < 1)
            return eval_rows(e, ctx, rows, n, out, err);
        return vec_andor(e, ctx, rows, n, out, depth, err);
    case EXPR_NOT:
        if (vec_eval(e->u.arg, ctx, rows, n, out, depth + 1, err) < 0)
            return -1;
        for (int r = 0; r < n; r++)
            out[r].d = datum_from_bool(!out[r].isnull && !datum_get_bool(out[r].d));
        return 0;
    case EXPR_NULLTEST:
        if (vec_eval(e->u.nulltest.arg, ctx, rows, n, out, depth + 1, err) < 0)
            return -1;
        for (int r = 0; r < n; r++) {
            out[r].d = datum_from_bool(out[r].isnull != e->u.nulltest.is_not);
            out[r].isnull = false;
        }
        return 0;
    default:
        return eval_rows(e, ctx, rows, n, out, err);
    }
}

int
expr_vec_eval_batch(const Expr *e, EvalCtx *ctx, const Value *const *rows, int nrows,
                    Value *out, Err *err)
{
    const Value *none[VEC_CHUNK];

    if (expr_vec_has_volatile(e))
        return expr_vec_eval_rows(e, ctx, rows, nrows, out, err);
    for (int base = 0; base < nrows; base += VEC_CHUNK) {
        int n = nrows - base < VEC_CHUNK ? nrows - base : VEC_CHUNK;
        const Value *const *chunk = rows != NULL ? rows + base : none;

        if (rows == NULL)
            memset(none, 0, sizeof none);
        if (vec_eval(e, ctx, chunk, n, out + base, 0, err) < 0) {
            /* invariant 2: again row by row, for the error PostgreSQL raises first */
            err_clear(err);
            if (eval_rows(e, ctx, chunk, n, out + base, err) < 0)
                return -1;
        }
    }
    return 0;
}

int
expr_vec_eval_rows(const Expr *e, EvalCtx *ctx, const Value *const *rows, int nrows, Value *out,
                   Err *err)
{
    for (int r = 0; r < nrows; r++) {
        ctx->row = rows != NULL ? rows[r] : NULL;
        if (expr_eval(e, ctx, &out[r].d, &out[r].isnull, err) < 0)
            return -1;
    }
    return 0;
}
