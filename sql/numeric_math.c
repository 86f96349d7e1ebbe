/*
 * sql/numeric_math.c — the Datum-level numeric operations of sql/numeric.h:
 * arithmetic with PostgreSQL 15's NaN/Infinity rules, rounding, typmods,
 * the transcendental functions (exp, ln, log, power) and variance.
 *
 * Transcendental functions are computed on NumVars with guard digits
 * (argument reduction by halving / square roots, then Taylor series) and
 * rounded once to PostgreSQL's result scale, so results are correctly
 * rounded to the digits PostgreSQL shows.
 *
 * Invariants:
 *   1. Special values (NaN, ±Infinity) are decided before any digit work,
 *      exactly as PostgreSQL's numeric.c decides them.
 *   2. Every result is packed by var_to_datum (canonical, overflow-checked).
 */
#include "sql/numeric_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int
pack(Arena *a, NumVar *v, Datum *out, Err *err)
{
    return var_to_datum(a, v, out, err);
}

static int
special(Arena *a, int sign, Datum *out)
{
    NumVar v;
    Err e;

    var_zero(&v, 0);
    v.sign = sign;
    err_clear(&e);
    return var_to_datum(a, &v, out, &e);
}

static int
zero(Arena *a, int dscale, Datum *out)
{
    NumVar v;
    Err e;

    var_zero(&v, dscale);
    err_clear(&e);
    return var_to_datum(a, &v, out, &e);
}

static void
const_var(Arena *a, int64_t x, NumVar *v)
{
    var_from_int64(a, x, v);
}

static int
div_zero(Err *err)
{
    return ERR_RAISE(err, ERRCODE_DIVISION_BY_ZERO, "division by zero");
}

/* ---- + - * / % ----------------------------------------------------------- */

int
numeric_add(Arena *a, Datum x, Datum y, Datum *out, Err *err)
{
    NumVar vx, vy, r;

    if (numeric_is_special(x) || numeric_is_special(y)) {
        uint16_t sx = numeric_hdr(x)->sign, sy = numeric_hdr(y)->sign;

        if (sx == NUMERIC_NAN || sy == NUMERIC_NAN)
            return special(a, NUMERIC_NAN, out);
        if (sx >= NUMERIC_NAN && sy >= NUMERIC_NAN && sx != sy)
            return special(a, NUMERIC_NAN, out);
        return special(a, sx >= NUMERIC_NAN ? sx : sy, out);
    }
    var_from_datum(a, x, &vx);
    var_from_datum(a, y, &vy);
    var_add(a, &vx, &vy, &r);
    return pack(a, &r, out, err);
}

int
numeric_neg(Arena *a, Datum x, Datum *out)
{
    NumVar v;
    Err e;

    var_from_datum(a, x, &v);
    if (v.sign == NUMERIC_PINF)
        v.sign = NUMERIC_NINF;
    else if (v.sign == NUMERIC_NINF)
        v.sign = NUMERIC_PINF;
    else if (v.sign != NUMERIC_NAN && v.n > 0)
        v.sign = v.sign == NUMERIC_NEG ? NUMERIC_POS : NUMERIC_NEG;
    err_clear(&e);
    return var_to_datum(a, &v, out, &e);
}

int
numeric_abs(Arena *a, Datum x, Datum *out)
{
    NumVar v;
    Err e;

    var_from_datum(a, x, &v);
    if (v.sign == NUMERIC_NINF)
        v.sign = NUMERIC_PINF;
    else if (v.sign == NUMERIC_NEG)
        v.sign = NUMERIC_POS;
    err_clear(&e);
    return var_to_datum(a, &v, out, &e);
}

int
numeric_sub(Arena *a, Datum x, Datum y, Datum *out, Err *err)
{
    Datum ny;

    if (numeric_neg(a, y, &ny) != 0)
        return -1;
    return numeric_add(a, x, ny, out, err);
}

int
numeric_mul(Arena *a, Datum x, Datum y, Datum *out, Err *err)
{
    NumVar vx, vy, r;

    if (numeric_is_special(x) || numeric_is_special(y)) {
        int s1 = numeric_sign(x), s2 = numeric_sign(y);

        if (numeric_is_nan(x) || numeric_is_nan(y) || s1 == 0 || s2 == 0)
            return special(a, NUMERIC_NAN, out);
        return special(a, s1 * s2 > 0 ? NUMERIC_PINF : NUMERIC_NINF, out);
    }
    var_from_datum(a, x, &vx);
    var_from_datum(a, y, &vy);
    var_mul(a, &vx, &vy, &r, vx.dscale + vy.dscale);
    return pack(a, &r, out, err);
}

/* NaN/Infinity cases shared by / and div(): 1 = decided, 0 = both finite, -1 error. */
static int
div_special(Arena *a, Datum x, Datum y, Datum *out, Err *err)
{
    int s2 = numeric_sign(y);

    if (!numeric_is_special(x) && !numeric_is_special(y))
        return 0;
    if (numeric_is_nan(x) || numeric_is_nan(y))
        return special(a, NUMERIC_NAN, out) == 0 ? 1 : -1;
    if (numeric_is_inf(x)) {
        if (numeric_is_special(y))
            return special(a, NUMERIC_NAN, out) == 0 ? 1 : -1;
        if (s2 == 0)
            return div_zero(err);
        return special(a, numeric_sign(x) * s2 > 0 ? NUMERIC_PINF : NUMERIC_NINF, out) == 0 ? 1
                                                                                            : -1;
    }
    /* finite / ±Infinity: zero (PostgreSQL does not signal underflow) */
    return zero(a, 0, out) == 0 ? 1 : -1;
}

int
numeric_div(Arena *a, Datum x, Datum y, Datum *out, Err *err)
{
    NumVar vx, vy, r;
    int rc = div_special(a, x, y, out, err);

    if (rc != 0)
        return rc < 0 ? -1 : 0;
    var_from_datum(a, x, &vx);
    var_from_datum(a, y, &vy);
    if (vy.n == 0)
        return div_zero(err);
    var_div(a, &vx, &vy, &r, var_div_scale(&vx, &vy), true);
    return pack(a, &r, out, err);
}

int
numeric_div_trunc(Arena *a, Datum x, Datum y, Datum *out, Err *err)
{
    NumVar vx, vy, r;
    int rc = div_special(a, x, y, out, err);

    if (rc != 0)
        return rc < 0 ? -1 : 0;
    var_from_datum(a, x, &vx);
    var_from_datum(a, y, &vy);
    if (vy.n == 0)
        return div_zero(err);
    var_div(a, &vx, &vy, &r, 0, false);
    return pack(a, &r, out, err);
}

/* x - trunc(x / y) * y, the scale of the larger dscale (y != 0, both finite). */
static void
var_mod(Arena *a, const NumVar *x, const NumVar *y, NumVar *r)
{
    NumVar q, p;

    var_div(a, x, y, &q, 0, false);
    var_mul(a, y, &q, &p, y->dscale);
    var_sub(a, x, &p, r);
}

int
numeric_mod(Arena *a, Datum x, Datum y, Datum *out, Err *err)
{
    NumVar vx, vy, r;

    if (numeric_is_special(x) || numeric_is_special(y)) {
        if (numeric_is_nan(x) || numeric_is_nan(y))
            return special(a, NUMERIC_NAN, out);
        if (numeric_is_inf(x)) {
            if (numeric_sign(y) == 0)
                return div_zero(err);
            return special(a, NUMERIC_NAN, out);
        }
        *out = datum_copy(a, x, false);
        return 0;
    }
    var_from_datum(a, x, &vx);
    var_from_datum(a, y, &vy);
    if (vy.n == 0)
        return div_zero(err);
    var_mod(a, &vx, &vy, &r);
    return pack(a, &r, out, err);
}

int
numeric_div_int64(Arena *a, Datum sum, int64_t count, Datum *out, Err *err)
{
    return numeric_div(a, sum, numeric_from_int64(a, count), out, err);
}

/* ---- rounding ------------------------------------------------------------ */

static int
round_common(Arena *a, Datum x, int scale, bool round, Datum *out, Err *err)
{
    NumVar v;

    if (numeric_is_special(x)) {
        *out = datum_copy(a, x, false);
        return 0;
    }
    /* PostgreSQL clamps the requested scale to the display limits */
    if (scale > NUMERIC_MAX_SCALE * 2)
        scale = NUMERIC_MAX_SCALE * 2;
    if (scale < -NUMERIC_MAX_SCALE * 2)
        scale = -NUMERIC_MAX_SCALE * 2;
    var_from_datum(a, x, &v);
    var_round(a, &v, scale, round);
    v.dscale = scale > 0 ? scale : 0;
    return pack(a, &v, out, err);
}

int
numeric_round(Arena *a, Datum x, int scale, Datum *out, Err *err)
{
    return round_common(a, x, scale, true, out, err);
}

int
numeric_trunc(Arena *a, Datum x, int scale, Datum *out, Err *err)
{
    return round_common(a, x, scale, false, out, err);
}

static int
ceil_floor(Arena *a, Datum x, bool ceil, Datum *out, Err *err)
{
    NumVar v, t, one;

    if (numeric_is_special(x)) {
        *out = datum_copy(a, x, false);
        return 0;
    }
    var_from_datum(a, x, &v);
    var_copy(a, &v, &t);
    var_round(a, &t, 0, false);
    if (ceil ? var_cmp(&v, &t) > 0 : var_cmp(&v, &t) < 0) {
        const_var(a, ceil ? 1 : -1, &one);
        var_add(a, &t, &one, &t);
    }
    t.dscale = 0;
    return pack(a, &t, out, err);
}

int
numeric_ceil(Arena *a, Datum x, Datum *out, Err *err)
{
    return ceil_floor(a, x, true, out, err);
}

int
numeric_floor(Arena *a, Datum x, Datum *out, Err *err)
{
    return ceil_floor(a, x, false, out, err);
}

/* ---- typmod -------------------------------------------------------------- */

int32_t
numeric_make_typmod(int precision, int scale)
{
    return (int32_t)(((uint32_t)precision << 16) | ((uint32_t)scale & 0x7ff)) + 4;
}

int
numeric_typmod_precision(int32_t typmod)
{
    return ((typmod - 4) >> 16) & 0xffff;
}

int
numeric_typmod_scale(int32_t typmod)
{
    return (((typmod - 4) & 0x7ff) ^ 1024) - 1024;
}

int
numeric_apply_typmod(Arena *a, Datum x, int32_t typmod, Datum *out, Err *err)
{
    int p, s, maxdigits, ddigits;
    NumVar v;

    if (typmod < 4) {
        *out = x;
        return 0;
    }
    p = numeric_typmod_precision(typmod);
    s = numeric_typmod_scale(typmod);
    maxdigits = p - s;
    if (numeric_is_nan(x)) {
        *out = x;
        return 0;
    }
    if (numeric_is_inf(x)) {
        ERR_RAISE(err, ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, "numeric field overflow");
        err_detail(err, "A field with precision %d, scale %d cannot hold an infinite value.", p, s);
        return -1;
    }
    var_from_datum(a, x, &v);
    var_round(a, &v, s, true);
    if (v.dscale < 0)
        v.dscale = 0;
    ddigits = v.n == 0 ? 0 : var_dweight(&v) + 1;
    if (ddigits > maxdigits) {
        ERR_RAISE(err, ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, "numeric field overflow");
        err_detail(err,
                   "A field with precision %d, scale %d must round to an absolute value less "
                   "than %s%d.",
                   p, s, maxdigits ? "10^" : "", maxdigits ? maxdigits : 1);
        return -1;
    }
    return pack(a, &v, out, err);
}

/* ---- sqrt, exp, ln, log, power ------------------------------------------- */

static int
clamp_scale(int rscale, int floor1, int floor2)
{
    if (rscale < floor1)
        rscale = floor1;
    if (rscale < floor2)
        rscale = floor2;
    if (rscale < 0)
        rscale = 0;
    if (rscale > NUMERIC_MAX_DISPLAY_SCALE)
        rscale = NUMERIC_MAX_DISPLAY_SCALE;
    return rscale;
}

int
numeric_sqrt(Arena *a, Datum x, Datum *out, Err *err)
{
    NumVar v, r;
    int sweight, rscale;

    if (numeric_is_nan(x) || numeric_hdr(x)->sign == NUMERIC_PINF)
        return special(a, numeric_hdr(x)->sign, out);
    if (numeric_sign(x) < 0)
        return ERR_RAISE(err, ERRCODE_INVALID_ARGUMENT_FOR_POWER_FUNCTION,
                         "cannot take square root of a negative number");
    var_from_datum(a, x, &v);
    /* about half the decimal digits of the argument's integer part */
    sweight = (v.weight + 1) * DEC_DIGITS / 2 - 1;
    rscale = clamp_scale(NUMERIC_MIN_SIG_DIGITS - sweight, v.dscale, 0);
    var_sqrt(a, &v, &r, rscale);
    return pack(a, &r, out, err);
}

/* exp(x) for a finite NumVar, with `sig` significant digits past rscale kept as guard. */
static void
var_exp(Arena *a, const NumVar *x, NumVar *r, int rscale)
{
    NumVar y, term, sum, nv, two;
    double xd = var_to_double(x);
    int k = 0, local, dweight;
    bool neg = x->sign == NUMERIC_NEG;

    var_copy(a, x, &y);
    if (neg)
        y.sign = NUMERIC_POS;
    /* decimal weight of the result, for the precision needed while squaring */
    dweight = (int)(fabs(xd) * 0.434294481903252);
    /* reduce: y = |x| / 2^k with y < 0.01 */
    while ((var_to_double(&y) > 0.01 || (y.n > 0 && y.weight > 0)) && !numeric_poll()) {
        const_var(a, 2, &two);
        k++;
        local = rscale + dweight + k + 24;
        var_div(a, &y, &two, &y, local, false);
    }
    local = rscale + dweight + (k * 3) / 10 + 24 + (neg ? dweight : 0);
    /* Taylor series: sum y^n / n! */
    const_var(a, 1, &sum);
    const_var(a, 1, &term);
    for (int n = 1; n < 100000; n++) {
        NumVar t2;

        var_mul(a, &term, &y, &t2, local);
        const_var(a, n, &nv);
        var_div(a, &t2, &nv, &term, local, false);
        if (var_is_zero(&term) || numeric_poll())
            break;
        var_add(a, &sum, &term, &sum);
    }
    /* square k times */
    for (int i = 0; i < k && !numeric_poll(); i++)
        var_mul(a, &sum, &sum, &sum, local);
    if (neg) {
        NumVar one;

        const_var(a, 1, &one);
        var_div(a, &one, &sum, r, rscale, true);
        return;
    }
    var_round(a, &sum, rscale, true);
    *r = sum;
}

/* ln(x) for finite x > 0 to `rscale` decimals (truncation error below 10^-rscale-5). */
static void
var_ln(Arena *a, const NumVar *x, NumVar *r, int rscale)
{
    NumVar y, z, num, den, z2, term, sum, nv, one;
    int k = 0, local;
    double xd;

    var_copy(a, x, &y);
    const_var(a, 1, &one);
    /* reduce by square roots until y is within 1% of 1: ln x = 2^k ln y */
    for (;;) {
        int sig, dw;

        xd = var_to_double(&y);
        if ((xd > 0.99 && xd < 1.01) || numeric_poll())
            break;
        k++;
        /*
         * Relative precision is what matters (ln y changes by the relative
         * error of y), amplified 2^k times: keep sig significant digits.
         */
        sig = rscale + (k * 3) / 10 + 30;
        dw = var_dweight(&y);
        var_round(a, &y, sig - dw, false);
        var_sqrt(a, &y, &y, sig - dw / 2 + 1);
    }
    local = rscale + (k * 3) / 10 + 24;
    /* ln y = 2 atanh(z), z = (y - 1) / (y + 1): 2 (z + z^3/3 + z^5/5 ...) */
    var_sub(a, &y, &one, &num);
    var_add(a, &y, &one, &den);
    var_div(a, &num, &den, &z, local, false);
    var_mul(a, &z, &z, &z2, local);
    var_copy(a, &z, &sum);
    var_copy(a, &z, &term);
    for (int n = 3; n < 1000000; n += 2) {
        NumVar q;

        var_mul(a, &term, &z2, &term, local);
        if (var_is_zero(&term) || numeric_poll())
            break;
        const_var(a, n, &nv);
        var_div(a, &term, &nv, &q, local, false);
        if (var_is_zero(&q))
            break;
        var_add(a, &sum, &q, &sum);
    }
    /* times 2^(k+1) */
    {
        NumVar f;

        var_from_int64(a, (int64_t)1 << (k + 1 > 62 ? 62 : k + 1), &f);
        var_mul(a, &sum, &f, &sum, local);
    }
    var_round(a, &sum, rscale, true);
    *r = sum;
}

/* PostgreSQL's estimate_ln_dweight: the decimal weight of ln(x), x > 0. */
static int
ln_dweight(Arena *a, const NumVar *x)
{
    double xd = var_to_double(x);

    if (xd >= 0.9 && xd <= 1.1) {
        NumVar one, t;

        const_var(a, 1, &one);
        var_sub(a, x, &one, &t);
        return t.n > 0 ? var_dweight(&t) : 0;
    }
    if (x->n > 0) {
        double digits = x->d[0];
        int dweight = x->weight * DEC_DIGITS;
        double l;

        if (x->n > 1) {
            digits = digits * NBASE + x->d[1];
            dweight -= DEC_DIGITS;
        }
        l = log(digits) + dweight * 2.302585092994046;
        return (int)log10(fabs(l));
    }
    return 0;
}

int
numeric_exp(Arena *a, Datum x, Datum *out, Err *err)
{
    NumVar v, r;
    double val;
    int rscale;

    if (numeric_is_special(x)) {
        if (numeric_hdr(x)->sign == NUMERIC_NINF)
            return zero(a, 0, out);
        return special(a, numeric_hdr(x)->sign, out);
    }
    var_from_datum(a, x, &v);
    val = var_to_double(&v);
    /* PostgreSQL's exp_var limit: |x| >= 3 * NUMERIC_MAX_RESULT_SCALE (2000) */
    if (val >= 6000)
        return ERR_RAISE(err, ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, "value overflows numeric format");
    if (val <= -6000) {
        var_zero(&r, NUMERIC_MAX_DISPLAY_SCALE);
        return pack(a, &r, out, err);
    }
    val *= 0.434294481903252;
    if (val > 2000)
        val = 2000;
    if (val < -2000)
        val = -2000;
    rscale = clamp_scale(NUMERIC_MIN_SIG_DIGITS - (int)val, v.dscale, 0);
    if (val < -(double)rscale - 2) {
        var_zero(&r, rscale);
        return pack(a, &r, out, err);
    }
    var_exp(a, &v, &r, rscale);
    return pack(a, &r, out, err);
}

static int
ln_domain(Datum x, Err *err)
{
    int s = numeric_sign(x);

    if (s < 0)
        return ERR_RAISE(err, ERRCODE_INVALID_ARGUMENT_FOR_LOG,
                         "cannot take logarithm of a negative number");
    if (s == 0)
        return ERR_RAISE(err, ERRCODE_INVALID_ARGUMENT_FOR_LOG, "cannot take logarithm of zero");
    return 0;
}

int
numeric_ln(Arena *a, Datum x, Datum *out, Err *err)
{
    NumVar v, r;
    int rscale;

    if (numeric_is_nan(x))
        return special(a, NUMERIC_NAN, out);
    if (ln_domain(x, err) != 0)
        return -1;
    if (numeric_is_inf(x))
        return special(a, NUMERIC_PINF, out);
    var_from_datum(a, x, &v);
    rscale = clamp_scale(NUMERIC_MIN_SIG_DIGITS - ln_dweight(a, &v), v.dscale, 0);
    var_ln(a, &v, &r, rscale);
    return pack(a, &r, out, err);
}

int
numeric_log(Arena *a, Datum base, Datum x, Datum *out, Err *err)
{
    NumVar vb, vx, lb, lx, r;
    int rscale, dw;

    if (numeric_is_nan(base) || numeric_is_nan(x))
        return special(a, NUMERIC_NAN, out);
    if (ln_domain(base, err) != 0 || ln_domain(x, err) != 0)
        return -1;
    if (numeric_is_inf(base))
        return numeric_is_inf(x) ? special(a, NUMERIC_NAN, out) : zero(a, 0, out);
    if (numeric_is_inf(x))
        return special(a, NUMERIC_PINF, out);
    var_from_datum(a, base, &vb);
    var_from_datum(a, x, &vx);
    dw = ln_dweight(a, &vx) - ln_dweight(a, &vb);
    rscale = clamp_scale(NUMERIC_MIN_SIG_DIGITS - dw, vb.dscale, vx.dscale);
    /* ln(x) / ln(base) with enough digits for rscale relative to both */
    var_ln(a, &vb, &lb, rscale + 20 + (dw > 0 ? dw : 0) + abs(ln_dweight(a, &vb)));
    var_ln(a, &vx, &lx, rscale + 20 + abs(ln_dweight(a, &vx)) + abs(ln_dweight(a, &vb)));
    if (var_is_zero(&lb))
        return div_zero(err);
    var_div(a, &lx, &lb, &r, rscale, true);
    return pack(a, &r, out, err);
}

static bool
var_is_integral(const NumVar *v)
{
    return v->n == 0 || v->n <= v->weight + 1;
}

/* Rounds v to sig significant decimal digits (no-op when it has fewer). */
static void
keep_sig(Arena *a, NumVar *v, int sig)
{
    int ds = v->dscale;

    if (v->n * DEC_DIGITS <= sig)
        return;
    var_round(a, v, sig - 1 - var_dweight(v), true);
    v->dscale = ds;
}

/* x * y exactly, with a display scale capped at the fractional digits the product can have. */
static void
mul_exact(Arena *a, const NumVar *x, const NumVar *y, NumVar *r)
{
    long frac = ((long)x->n - x->weight - 1 + (long)y->n - y->weight - 1) * DEC_DIGITS;
    long ds = (long)x->dscale + y->dscale;

    if (frac < 0)
        frac = 0;
    var_mul(a, x, y, r, (int)(ds < frac ? ds : frac));
}

/*
 * x ^ n for an integer n, with PostgreSQL's fixed result scale: binary
 * powering, exact while the digits fit the precision the result needs,
 * rounded to that many significant digits (plus guard digits) beyond.
 */
static int
power_int(Arena *a, const NumVar *x, int64_t n, Datum *out, Err *err)
{
    int rscale = clamp_scale(NUMERIC_MIN_SIG_DIGITS, x->dscale, 0);
    uint64_t m = n < 0 ? (uint64_t)0 - (uint64_t)n : (uint64_t)n;
    NumVar r, b, one;
    double dw, lg = 0;
    int sig;

    if (n == 0) {
        const_var(a, 1, &r);
        r.dscale = rscale;
        return pack(a, &r, out, err);
    }
    if (x->n == 0) {
        var_zero(&r, rscale);
        return pack(a, &r, out, err);
    }
    /* the result's decimal weight, for overflow / underflow and the precision */
    /* log10|x| from the leading digits (x may be far outside a double's range) */
    for (int i = 0; i < 3; i++)
        lg = lg * NBASE + (i < x->n ? x->d[i] : 0);
    lg = log10(lg) + (double)(x->weight - 2) * DEC_DIGITS;
    dw = (double)n * lg;
    if (dw > NUMERIC_MAX_WEIGHT_DIGITS + 4)
        return ERR_RAISE(err, ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, "value overflows numeric format");
    if (dw < -(double)rscale - 4) {
        var_zero(&r, rscale);
        return pack(a, &r, out, err);
    }
    sig = rscale + (int)dw + 24 + (int)log10((double)m + 1);
    if (sig < 24)
        sig = 24;
    const_var(a, 1, &r);
    var_copy(a, x, &b);
    while (m != 0 && !numeric_poll()) {
        if (m & 1) {
            mul_exact(a, &r, &b, &r);
            keep_sig(a, &r, sig);
        }
        m >>= 1;
        if (m != 0) {
            mul_exact(a, &b, &b, &b);
            keep_sig(a, &b, sig);
        }
    }
    if (n < 0) {
        const_var(a, 1, &one);
        var_div(a, &one, &r, &r, rscale, true);
    } else {
        var_round(a, &r, rscale, true);
    }
    return pack(a, &r, out, err);
}

static int
power_special(Arena *a, Datum x, Datum y, Datum *out, Err *err)
{
    int s1 = numeric_sign(x), s2 = numeric_sign(y);
    NumVar vx, vy;
    bool y_integral, y_odd = false;

    if (numeric_is_nan(x)) {
        if (!numeric_is_special(y) && s2 == 0) {
            *out = numeric_from_int64(a, 1);
            return 0;
        }
        return special(a, NUMERIC_NAN, out);
    }
    var_from_datum(a, x, &vx);
    if (numeric_is_nan(y)) {
        NumVar one;

        const_var(a, 1, &one);
        if (!numeric_is_special(x) && var_cmp(&vx, &one) == 0) {
            *out = numeric_from_int64(a, 1);
            return 0;
        }
        return special(a, NUMERIC_NAN, out);
    }
    var_from_datum(a, y, &vy);
    y_integral = numeric_is_inf(y) || var_is_integral(&vy);
    if (s1 == 0 && s2 < 0)
        return ERR_RAISE(err, ERRCODE_INVALID_ARGUMENT_FOR_POWER_FUNCTION,
                         "zero raised to a negative power is undefined");
    if (s1 < 0 && !y_integral)
        return ERR_RAISE(err, ERRCODE_INVALID_ARGUMENT_FOR_POWER_FUNCTION,
                         "a negative number raised to a non-integer power yields a complex result");
    if (!numeric_is_special(x)) {
        NumVar one;

        const_var(a, 1, &one);
        if (var_cmp(&vx, &one) == 0) {
            *out = numeric_from_int64(a, 1);
            return 0;
        }
    }
    if (s2 == 0) {
        *out = numeric_from_int64(a, 1);
        return 0;
    }
    if (numeric_is_inf(y)) {
        int abs_cmp;

        if (numeric_is_inf(x)) {
            abs_cmp = 1;
        } else {
            NumVar one;

            const_var(a, 1, &one);
            abs_cmp = var_cmp_abs(&vx, &one);
        }
        if (abs_cmp == 0) {
            *out = numeric_from_int64(a, 1);
            return 0;
        }
        if ((s2 > 0) == (abs_cmp > 0))
            return special(a, NUMERIC_PINF, out);
        return zero(a, 0, out);
    }
    /* x is ±Infinity, y finite and non-zero */
    if (s2 < 0)
        return zero(a, 0, out);
    if (s1 > 0)
        return special(a, NUMERIC_PINF, out);
    if (var_is_integral(&vy) && vy.n > 0 && vy.n == vy.weight + 1)
        y_odd = (vy.d[vy.n - 1] & 1) != 0;
    return special(a, y_odd ? NUMERIC_NINF : NUMERIC_PINF, out);
}

int
numeric_power(Arena *a, Datum x, Datum y, Datum *out, Err *err)
{
    NumVar vx, vy, l, p, r;
    double val;
    int rscale, ldw, sig;
    int64_t n;
    Err e2;
    bool neg = false;

    if (numeric_is_special(x) || numeric_is_special(y))
        return power_special(a, x, y, out, err);
    if (numeric_sign(x) == 0 && numeric_sign(y) < 0)
        return ERR_RAISE(err, ERRCODE_INVALID_ARGUMENT_FOR_POWER_FUNCTION,
                         "zero raised to a negative power is undefined");
    var_from_datum(a, x, &vx);
    var_from_datum(a, y, &vy);
    err_clear(&e2);
    if (var_is_integral(&vy) && numeric_to_int64(y, &n, &e2) == 0 && n >= INT32_MIN &&
        n <= INT32_MAX)
        return power_int(a, &vx, n, out, err);
    if (vx.n == 0) {
        var_zero(&r, NUMERIC_MIN_SIG_DIGITS);
        return pack(a, &r, out, err);
    }
    if (vx.sign == NUMERIC_NEG) {
        if (!var_is_integral(&vy))
            return ERR_RAISE(err, ERRCODE_INVALID_ARGUMENT_FOR_POWER_FUNCTION,
                             "a negative number raised to a non-integer power yields a complex "
                             "result");
        neg = vy.n == vy.weight + 1 && (vy.d[vy.n - 1] & 1);
        vx.sign = NUMERIC_POS;
    }
    /* a first low-precision pass for the result's weight */
    ldw = ln_dweight(a, &vx);
    var_ln(a, &vx, &l, 8 - ldw > 8 ? 8 - ldw : 8);
    var_mul(a, &l, &vy, &p, 8 - ldw > 8 ? 8 - ldw : 8);
    val = var_to_double(&p);
    if (fabs(val) > NUMERIC_MAX_DISPLAY_SCALE * 2 * 3.01) {
        if (val > 0)
            return ERR_RAISE(err, ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE,
                             "value overflows numeric format");
        var_zero(&r, NUMERIC_MAX_DISPLAY_SCALE);
        return pack(a, &r, out, err);
    }
    val *= 0.434294481903252;
    rscale = clamp_scale(NUMERIC_MIN_SIG_DIGITS - (int)val, vx.dscale, vy.dscale);
    sig = rscale + (int)val;
    if (sig < 0)
        sig = 0;
    /* y ln x to enough absolute digits for sig significant digits of the result */
    {
        int lscale = sig + 12;
        int yw = var_dweight(&vy) + 1;

        var_ln(a, &vx, &l, lscale + (yw > 0 ? yw : 0));
        var_mul(a, &l, &vy, &p, lscale);
    }
    var_exp(a, &p, &r, rscale);
    if (neg && r.n > 0)
        r.sign = NUMERIC_NEG;
    return pack(a, &r, out, err);
}

/* ---- variance ------------------------------------------------------------ */

int
numeric_variance(Arena *a, Datum n, Datum sumx, Datum sumx2, bool sample, bool stddev, Datum *out,
                 bool *isnull, Err *err)
{
    NumVar vn, vs, vs2, t1, t2, nm1, one, r;
    int rscale;

    var_from_datum(a, n, &vn);
    var_from_datum(a, sumx, &vs);
    var_from_datum(a, sumx2, &vs2);
    const_var(a, 1, &one);
    *isnull = false;
    if (var_cmp(&vn, &one) < 0 || (sample && var_cmp(&vn, &one) == 0)) {
        *isnull = true;
        return 0;
    }
    var_sub(a, &vn, &one, &nm1);
    rscale = vs.dscale * 2;
    var_mul(a, &vs, &vs, &t1, rscale);  /* sumX * sumX */
    var_mul(a, &vn, &vs2, &t2, rscale); /* N * sumX2 */
    var_sub(a, &t2, &t1, &t2);
    if (var_is_zero(&t2) || t2.sign == NUMERIC_NEG) {
        var_zero(&r, 0); /* PostgreSQL returns a plain 0 here */
        return pack(a, &r, out, err);
    }
    if (sample)
        var_mul(a, &vn, &nm1, &nm1, 0);
    else
        var_mul(a, &vn, &vn, &nm1, 0);
    rscale = var_div_scale(&t2, &nm1);
    var_div(a, &t2, &nm1, &r, rscale, true);
    if (stddev)
        var_sqrt(a, &r, &r, rscale);
    return pack(a, &r, out, err);
}
