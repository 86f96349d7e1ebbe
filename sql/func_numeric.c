/*
 * sql/func_numeric.c — the SQL-callable numeric functions, operators and
 * casts (declared in sql/func_numeric.h, listed in sql/cat_numeric.c): thin
 * wrappers over sql/numeric.h that take arguments from the FnCall and put
 * results in the call's arena.
 *
 * Invariants:
 *   1. No function here interprets digits itself except through numeric.h
 *      (and numeric_int.h for scale/gcd helpers).
 *   2. Error texts and SQLSTATEs are PostgreSQL 15's.
 */
#include "sql/func_numeric.h"

#include "sql/numeric_int.h"

#include <math.h>

#define ARENA (call->ctx->arena)
#define ARG(i) (call->args[(i)])

typedef int (*BinOp)(Arena *, Datum, Datum, Datum *, Err *);
typedef int (*UnOp)(Arena *, Datum, Datum *, Err *);

static bool
poll_ctx(void *arg)
{
    Err e;

    err_clear(&e);
    return expr_check_interrupts(arg, &e) != 0;
}

/* Runs a long computation with cancellation polling (numeric_set_poll). */
static int
polled_end(const FnCall *call, int rc, Err *err)
{
    bool hit = numeric_interrupted();

    numeric_set_poll(NULL, NULL);
    if (!hit)
        return rc;
    if (expr_check_interrupts(call->ctx, err) == 0)
        ERR_RAISE(err, ERRCODE_QUERY_CANCELED, "canceling statement due to user request");
    return -1;
}

static int
binop(const FnCall *call, BinOp op, Datum *result, Err *err)
{
    numeric_set_poll(poll_ctx, call->ctx);
    return polled_end(call, op(ARENA, ARG(0), ARG(1), result, err), err);
}

static int
unop(const FnCall *call, UnOp op, Datum *result, Err *err)
{
    numeric_set_poll(poll_ctx, call->ctx);
    return polled_end(call, op(ARENA, ARG(0), result, err), err);
}

/* ---- operators ----------------------------------------------------------- */

BUILTIN(numeric_pl)
{
    (void)isnull;
    return binop(call, numeric_add, result, err);
}

BUILTIN(numeric_mi)
{
    (void)isnull;
    return binop(call, numeric_sub, result, err);
}

BUILTIN(numeric_mul_fn)
{
    (void)isnull;
    return binop(call, numeric_mul, result, err);
}

BUILTIN(numeric_div_fn)
{
    (void)isnull;
    return binop(call, numeric_div, result, err);
}

BUILTIN(numeric_mod_fn)
{
    (void)isnull;
    return binop(call, numeric_mod, result, err);
}

BUILTIN(numeric_pow_fn)
{
    (void)isnull;
    return binop(call, numeric_power, result, err);
}

BUILTIN(numeric_div_trunc_fn)
{
    (void)isnull;
    return binop(call, numeric_div_trunc, result, err);
}

BUILTIN(numeric_log_fn)
{
    (void)isnull;
    return binop(call, numeric_log, result, err);
}

BUILTIN(numeric_um)
{
    (void)isnull, (void)err;
    return numeric_neg(ARENA, ARG(0), result);
}

BUILTIN(numeric_up)
{
    (void)isnull, (void)err;
    *result = ARG(0);
    return 0;
}

BUILTIN(numeric_abs_fn)
{
    (void)isnull, (void)err;
    return numeric_abs(ARENA, ARG(0), result);
}

#define NUMERIC_CMP(name, test)                                                                    \
    BUILTIN(name)                                                                                  \
    {                                                                                              \
        int c = numeric_cmp(ARG(0), ARG(1));                                                       \
        (void)isnull, (void)err;                                                                   \
        *result = datum_from_bool(test);                                                           \
        return 0;                                                                                  \
    }

NUMERIC_CMP(numeric_eq, c == 0)
NUMERIC_CMP(numeric_ne, c != 0)
NUMERIC_CMP(numeric_lt, c < 0)
NUMERIC_CMP(numeric_le, c <= 0)
NUMERIC_CMP(numeric_gt, c > 0)
NUMERIC_CMP(numeric_ge, c >= 0)

BUILTIN(numeric_larger)
{
    (void)isnull, (void)err;
    *result = numeric_cmp(ARG(0), ARG(1)) >= 0 ? ARG(0) : ARG(1);
    return 0;
}

BUILTIN(numeric_smaller)
{
    (void)isnull, (void)err;
    *result = numeric_cmp(ARG(0), ARG(1)) <= 0 ? ARG(0) : ARG(1);
    return 0;
}

/* ---- casts --------------------------------------------------------------- */

BUILTIN(int_to_numeric)
{
    (void)isnull, (void)err;
    *result = numeric_from_int64(ARENA, datum_get_int64(ARG(0)));
    return 0;
}

BUILTIN(float8_to_numeric)
{
    (void)isnull, (void)err;
    *result = numeric_from_double(ARENA, datum_get_float8(ARG(0)));
    return 0;
}

BUILTIN(numeric_to_int2)
{
    int64_t v;

    (void)isnull;
    if (numeric_to_int(ARG(0), INT16_MIN, INT16_MAX, "smallint", &v, err) != 0)
        return -1;
    *result = datum_from_int16((int16_t)v);
    return 0;
}

BUILTIN(numeric_to_int4)
{
    int64_t v;

    (void)isnull;
    if (numeric_to_int(ARG(0), INT32_MIN, INT32_MAX, "integer", &v, err) != 0)
        return -1;
    *result = datum_from_int32((int32_t)v);
    return 0;
}

BUILTIN(numeric_to_int8)
{
    int64_t v;

    (void)isnull;
    if (numeric_to_int64(ARG(0), &v, err) != 0)
        return -1;
    *result = datum_from_int64(v);
    return 0;
}

BUILTIN(numeric_to_float8)
{
    double v;

    (void)isnull;
    if (numeric_to_double(ARG(0), &v, err) != 0)
        return -1;
    *result = datum_from_float8(v);
    return 0;
}

BUILTIN(numeric_typmod_fn)
{
    (void)isnull;
    return numeric_apply_typmod(ARENA, ARG(0), datum_get_int32(ARG(1)), result, err);
}

/* ---- functions ----------------------------------------------------------- */

BUILTIN(numeric_sign_fn)
{
    (void)isnull, (void)err;
    if (numeric_is_nan(ARG(0)))
        *result = numeric_nan(ARENA);
    else
        *result = numeric_from_int64(ARENA, numeric_sign(ARG(0)));
    return 0;
}

BUILTIN(numeric_round0)
{
    (void)isnull;
    return numeric_round(ARENA, ARG(0), 0, result, err);
}

BUILTIN(numeric_round_fn)
{
    (void)isnull;
    return numeric_round(ARENA, ARG(0), datum_get_int32(ARG(1)), result, err);
}

BUILTIN(numeric_trunc0)
{
    (void)isnull;
    return numeric_trunc(ARENA, ARG(0), 0, result, err);
}

BUILTIN(numeric_trunc_fn)
{
    (void)isnull;
    return numeric_trunc(ARENA, ARG(0), datum_get_int32(ARG(1)), result, err);
}

BUILTIN(numeric_ceil_fn)
{
    (void)isnull;
    return numeric_ceil(ARENA, ARG(0), result, err);
}

BUILTIN(numeric_floor_fn)
{
    (void)isnull;
    return numeric_floor(ARENA, ARG(0), result, err);
}

BUILTIN(numeric_sqrt_fn)
{
    (void)isnull;
    return unop(call, numeric_sqrt, result, err);
}

BUILTIN(numeric_exp_fn)
{
    (void)isnull;
    return unop(call, numeric_exp, result, err);
}

BUILTIN(numeric_ln_fn)
{
    (void)isnull;
    return unop(call, numeric_ln, result, err);
}

BUILTIN(numeric_log10_fn)
{
    (void)isnull;
    numeric_set_poll(poll_ctx, call->ctx);
    return polled_end(call, numeric_log(ARENA, numeric_from_int64(ARENA, 10), ARG(0), result, err),
                      err);
}

BUILTIN(numeric_scale_fn)
{
    (void)err;
    if (numeric_is_special(ARG(0))) {
        *isnull = true;
        return 0;
    }
    *result = datum_from_int32(numeric_dscale(ARG(0)));
    return 0;
}

/* The number of decimal places without trailing zeros. */
static int
min_scale(Datum x)
{
    const NumericHdr *h = numeric_hdr(x);
    const int16_t *d = numeric_digits(x);
    int last, s;

    /* canonical: the last digit is non-zero; none after the point means 0 */
    if (h->ndigits == 0 || h->ndigits - 1 - h->weight <= 0)
        return 0;
    last = d[h->ndigits - 1];
    s = (h->ndigits - 1 - h->weight) * DEC_DIGITS;
    while (last % 10 == 0) {
        last /= 10;
        s--;
    }
    return s;
}

BUILTIN(numeric_min_scale_fn)
{
    (void)err;
    if (numeric_is_special(ARG(0))) {
        *isnull = true;
        return 0;
    }
    *result = datum_from_int32(min_scale(ARG(0)));
    return 0;
}

BUILTIN(numeric_trim_scale_fn)
{
    NumVar v;

    (void)isnull;
    if (numeric_is_special(ARG(0))) {
        *result = ARG(0);
        return 0;
    }
    var_from_datum(ARENA, ARG(0), &v);
    v.dscale = min_scale(ARG(0));
    return var_to_datum(ARENA, &v, result, err);
}

BUILTIN(numeric_factorial)
{
    int64_t n = datum_get_int64(ARG(0));
    int32_t *le; /* little-endian base-NBASE digits, multiplied in place */
    int len = 1, cap;
    NumVar r;

    (void)isnull;
    if (n < 0)
        return ERR_RAISE(err, ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE,
                         "factorial of a negative number is undefined");
    if (n > 32177)
        return ERR_RAISE(err, ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, "value overflows numeric format");
    /* log10(n!) <= n log10(n) + 1: enough base-NBASE digits for the result */
    cap = (int)((double)(n + 1) * log10((double)n + 2) / DEC_DIGITS) + 4;
    le = arena_calloc(ARENA, (size_t)cap, sizeof(int32_t));
    le[0] = 1;
    for (int64_t i = 2; i <= n; i++) {
        int64_t carry = 0;

        for (int j = 0; j < len; j++) {
            int64_t t = le[j] * i + carry;

            le[j] = (int32_t)(t % NBASE);
            carry = t / NBASE;
        }
        while (carry != 0 && len < cap) {
            le[len++] = (int32_t)(carry % NBASE);
            carry /= NBASE;
        }
        if ((i & 1023) == 0 && expr_check_interrupts(call->ctx, err) != 0)
            return -1;
    }
    var_zero(&r, 0);
    r.n = len;
    r.weight = len - 1;
    r.d = arena_alloc(ARENA, sizeof(int32_t) * (size_t)len);
    for (int j = 0; j < len; j++)
        r.d[j] = le[len - 1 - j];
    return var_to_datum(ARENA, &r, result, err);
}

/* gcd of two finite values by Euclid with truncated-division remainders. */
static void
var_gcd(Arena *a, const NumVar *x, const NumVar *y, NumVar *r)
{
    NumVar p, q, t, quo, prod;
    int dscale = x->dscale > y->dscale ? x->dscale : y->dscale;

    var_copy(a, x, &p);
    var_copy(a, y, &q);
    p.sign = NUMERIC_POS;
    q.sign = NUMERIC_POS;
    while (!var_is_zero(&q)) {
        var_div(a, &p, &q, &quo, 0, false);
        var_mul(a, &q, &quo, &prod, q.dscale);
        var_sub(a, &p, &prod, &t);
        p = q;
        q = t;
    }
    p.dscale = dscale;
    *r = p;
}

static bool
gcd_special(const FnCall *call, Datum *result)
{
    if (numeric_is_special(ARG(0)) || numeric_is_special(ARG(1))) {
        *result = numeric_nan(ARENA);
        return true;
    }
    return false;
}

BUILTIN(numeric_gcd_fn)
{
    NumVar x, y, r;

    (void)isnull;
    if (gcd_special(call, result))
        return 0;
    var_from_datum(ARENA, ARG(0), &x);
    var_from_datum(ARENA, ARG(1), &y);
    var_gcd(ARENA, &x, &y, &r);
    return var_to_datum(ARENA, &r, result, err);
}

BUILTIN(numeric_lcm_fn)
{
    NumVar x, y, g, r, q;
    int dscale;

    (void)isnull;
    if (gcd_special(call, result))
        return 0;
    var_from_datum(ARENA, ARG(0), &x);
    var_from_datum(ARENA, ARG(1), &y);
    dscale = x.dscale > y.dscale ? x.dscale : y.dscale;
    if (var_is_zero(&x) || var_is_zero(&y)) {
        var_zero(&r, dscale);
        return var_to_datum(ARENA, &r, result, err);
    }
    /* |x| / gcd * |y| */
    var_gcd(ARENA, &x, &y, &g);
    var_div(ARENA, &x, &g, &q, 0, false);
    var_mul(ARENA, &q, &y, &r, y.dscale);
    r.sign = NUMERIC_POS;
    r.dscale = dscale;
    return var_to_datum(ARENA, &r, result, err);
}

BUILTIN(numeric_width_bucket)
{
    Datum op = ARG(0), lo = ARG(1), hi = ARG(2);
    int32_t count = datum_get_int32(ARG(3));
    NumVar vop, vlo, vhi, num, den, q, cnt, prod;
    int c;
    int64_t b;

    (void)isnull;
    if (count <= 0)
        return ERR_RAISE(err, ERRCODE_INVALID_ARGUMENT_FOR_WIDTH_BUCKET,
                         "count must be greater than zero");
    if (numeric_is_nan(op) || numeric_is_nan(lo) || numeric_is_nan(hi))
        return ERR_RAISE(err, ERRCODE_INVALID_ARGUMENT_FOR_WIDTH_BUCKET,
                         "operand, lower bound, and upper bound cannot be NaN");
    if (numeric_is_inf(lo) || numeric_is_inf(hi))
        return ERR_RAISE(err, ERRCODE_INVALID_ARGUMENT_FOR_WIDTH_BUCKET,
                         "lower and upper bounds must be finite");
    c = numeric_cmp(lo, hi);
    if (c == 0)
        return ERR_RAISE(err, ERRCODE_INVALID_ARGUMENT_FOR_WIDTH_BUCKET,
                         "lower bound cannot equal upper bound");
    /* below the range: 0; at or above: count + 1 (mirrored when lo > hi) */
    if (c < 0 ? numeric_cmp(op, lo) < 0 : numeric_cmp(op, lo) > 0) {
        *result = datum_from_int32(0);
        return 0;
    }
    if (c < 0 ? numeric_cmp(op, hi) >= 0 : numeric_cmp(op, hi) <= 0) {
        if (count == INT32_MAX)
            return ERR_RAISE(err, ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, "integer out of range");
        *result = datum_from_int32(count + 1);
        return 0;
    }
    var_from_datum(ARENA, op, &vop);
    var_from_datum(ARENA, lo, &vlo);
    var_from_datum(ARENA, hi, &vhi);
    var_from_int64(ARENA, count, &cnt);
    /* floor((op - lo) * count / (hi - lo)) + 1, all exact until the division */
    var_sub(ARENA, &vop, &vlo, &num);
    var_sub(ARENA, &vhi, &vlo, &den);
    var_mul(ARENA, &num, &cnt, &prod, num.dscale);
    var_div(ARENA, &prod, &den, &q, 0, false);
    {
        Datum dq;

        if (var_to_datum(ARENA, &q, &dq, err) != 0 || numeric_to_int64(dq, &b, err) != 0)
            return -1;
    }
    *result = datum_from_int32((int32_t)(b + 1));
    return 0;
}
