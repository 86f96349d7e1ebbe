/*
 * sql/numeric.c — the arithmetic core of `numeric` (see sql/numeric.h for
 * the packed representation): unpacking into NumVars, the digit-array
 * algorithms (add, subtract, schoolbook multiply, Knuth's long division,
 * integer square root), decimal rounding, parsing and formatting, and the
 * public Datum-level functions built on them.
 *
 * Result display scales follow PostgreSQL 15: a + b and a - b keep the
 * larger dscale, a * b the sum of the dscales, a / b select_div_scale
 * (at least 16 significant digits), sqrt (16 - half the input's weight).
 *
 * Invariants:
 *   1. Every packed result is canonical: no leading or trailing zero digits,
 *      zero is positive with weight 0 (so equal values differ at most in dscale).
 *   2. Division and square root compute exact truncated digits one place
 *      beyond the result scale, then round half away from zero: results are
 *      correctly rounded.
 *   3. Scratch memory comes from the arena of the call; nothing is freed.
 */
#include "sql/numeric_int.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const int32_t POW10[] = {1, 10, 100, 1000, 10000};

static int32_t *
dalloc(Arena *a, int n)
{
    return arena_calloc(a, (size_t)(n > 0 ? n : 1), sizeof(int32_t));
}

/* ---- cancellation -------------------------------------------------------- */

static _Thread_local bool (*poll_fn)(void *);
static _Thread_local void *poll_arg;
static _Thread_local bool poll_hit;

void
numeric_set_poll(bool (*poll)(void *arg), void *arg)
{
    poll_fn = poll;
    poll_arg = arg;
    poll_hit = false;
}

bool
numeric_interrupted(void)
{
    return poll_hit;
}

bool
numeric_poll(void)
{
    if (!poll_hit && poll_fn != NULL && poll_fn(poll_arg))
        poll_hit = true;
    return poll_hit;
}

/* ---- NumVar basics ------------------------------------------------------- */

void
var_zero(NumVar *v, int dscale)
{
    v->sign = NUMERIC_POS;
    v->weight = 0;
    v->dscale = dscale;
    v->n = 0;
    v->d = NULL;
}

void
var_from_datum(Arena *a, Datum x, NumVar *v)
{
    const NumericHdr *h = numeric_hdr(x);
    const int16_t *dig = numeric_digits(x);

    v->sign = h->sign;
    v->weight = h->weight;
    v->dscale = h->dscale;
    v->n = h->ndigits;
    v->d = dalloc(a, v->n);
    for (int i = 0; i < v->n; i++)
        v->d[i] = dig[i];
}

void
var_from_int64(Arena *a, int64_t x, NumVar *v)
{
    uint64_t u = x < 0 ? (uint64_t)0 - (uint64_t)x : (uint64_t)x;
    int32_t tmp[8];
    int n = 0;

    while (u != 0) {
        tmp[n++] = (int32_t)(u % NBASE);
        u /= NBASE;
    }
    var_zero(v, 0);
    if (n == 0)
        return;
    v->sign = x < 0 ? NUMERIC_NEG : NUMERIC_POS;
    v->d = dalloc(a, n);
    for (int i = 0; i < n; i++)
        v->d[i] = tmp[n - 1 - i];
    v->n = n;
    v->weight = n - 1;
    var_strip(v);
}

void
var_copy(Arena *a, const NumVar *x, NumVar *r)
{
    int32_t *d = dalloc(a, x->n);

    if (x->n > 0)
        memcpy(d, x->d, sizeof(int32_t) * (size_t)x->n);
    *r = *x;
    r->d = d;
}

void
var_strip(NumVar *v)
{
    int lead = 0;

    if (v->sign >= NUMERIC_NAN) {
        v->n = 0;
        v->weight = 0;
        return;
    }
    while (lead < v->n && v->d[lead] == 0)
        lead++;
    v->d += lead;
    v->n -= lead;
    v->weight -= lead;
    while (v->n > 0 && v->d[v->n - 1] == 0)
        v->n--;
    if (v->n == 0) {
        v->weight = 0;
        v->sign = NUMERIC_POS;
    }
}

bool
var_is_zero(const NumVar *v)
{
    if (v->sign >= NUMERIC_NAN)
        return false;
    for (int i = 0; i < v->n; i++) {
        if (v->d[i] != 0)
            return false;
    }
    return true;
}

int
var_dweight(const NumVar *v)
{
    for (int i = 0; i < v->n; i++) {
        int32_t x = v->d[i];

        if (x != 0)
            return (v->weight - i) * DEC_DIGITS + (x >= 1000 ? 3 : x >= 100 ? 2 : x >= 10 ? 1 : 0);
    }
    return 0;
}

int
var_to_datum(Arena *a, NumVar *v, Datum *out, Err *err)
{
    VarData *vd;
    NumericHdr h;
    int16_t *dig;

    var_strip(v);
    if (v->sign >= NUMERIC_NAN)
        v->dscale = 0;
    if (v->weight > INT16_MAX || v->weight < INT16_MIN || v->dscale > 0x3FFF || v->dscale < 0)
        return ERR_RAISE(err, ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, "value overflows numeric format");
    h.sign = (uint16_t)v->sign;
    h.weight = (int16_t)v->weight;
    h.dscale = (uint16_t)v->dscale;
    h.ndigits = (uint16_t)v->n;
    if (v->n > UINT16_MAX)
        return ERR_RAISE(err, ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, "value overflows numeric format");
    vd = arena_alloc(a, sizeof(VarData) + sizeof h + sizeof(int16_t) * (size_t)v->n + 1);
    vd->len = (uint32_t)(sizeof h + sizeof(int16_t) * (size_t)v->n);
    vd->data[vd->len] = '\0';
    memcpy(vd->data, &h, sizeof h);
    dig = (int16_t *)(void *)(vd->data + sizeof h);
    for (int i = 0; i < v->n; i++)
        dig[i] = (int16_t)v->d[i];
    *out = datum_from_var(vd);
    return 0;
}

/* ---- magnitudes ---------------------------------------------------------- */

/* Digit of v at base-NBASE exponent e (0 outside the array). */
static inline int32_t
digit_at(const NumVar *v, int e)
{
    int i = v->weight - e;

    return i >= 0 && i < v->n ? v->d[i] : 0;
}

int
var_cmp_abs(const NumVar *x, const NumVar *y)
{
    int hi = (x->weight > y->weight ? x->weight : y->weight);
    int lox = x->weight - x->n + 1, loy = y->weight - y->n + 1;
    int lo = lox < loy ? lox : loy;

    for (int e = hi; e >= lo; e--) {
        int32_t a = digit_at(x, e), b = digit_at(y, e);

        if (a != b)
            return a < b ? -1 : 1;
    }
    return 0;
}

int
var_cmp(const NumVar *x, const NumVar *y)
{
    bool xz = var_is_zero(x), yz = var_is_zero(y);
    int sx = xz ? 0 : x->sign == NUMERIC_NEG ? -1 : 1;
    int sy = yz ? 0 : y->sign == NUMERIC_NEG ? -1 : 1;

    if (sx != sy)
        return sx < sy ? -1 : 1;
    if (sx == 0)
        return 0;
    return sx * var_cmp_abs(x, y);
}

/* |x| + |y| */
static void
add_abs(Arena *a, const NumVar *x, const NumVar *y, NumVar *r)
{
    int hi = (x->weight > y->weight ? x->weight : y->weight) + 1;
    int lox = x->weight - x->n + 1, loy = y->weight - y->n + 1;
    int lo = lox < loy ? lox : loy;
    int n = hi - lo + 1;
    int32_t *d = dalloc(a, n);
    int32_t carry = 0;

    for (int e = lo; e <= hi; e++) {
        int32_t s = digit_at(x, e) + digit_at(y, e) + carry;

        carry = s >= NBASE;
        d[hi - e] = carry ? s - NBASE : s;
    }
    r->d = d;
    r->n = n;
    r->weight = hi;
}

/* |x| - |y|, |x| >= |y| */
static void
sub_abs(Arena *a, const NumVar *x, const NumVar *y, NumVar *r)
{
    int hi = (x->weight > y->weight ? x->weight : y->weight);
    int lox = x->weight - x->n + 1, loy = y->weight - y->n + 1;
    int lo = lox < loy ? lox : loy;
    int n = hi - lo + 1;
    int32_t *d = dalloc(a, n);
    int32_t borrow = 0;

    for (int e = lo; e <= hi; e++) {
        int32_t s = digit_at(x, e) - digit_at(y, e) - borrow;

        borrow = s < 0;
        d[hi - e] = borrow ? s + NBASE : s;
    }
    r->d = d;
    r->n = n;
    r->weight = hi;
}

static void
add_signed(Arena *a, const NumVar *x, const NumVar *y, int ysign, NumVar *r)
{
    int dscale = x->dscale > y->dscale ? x->dscale : y->dscale;
    NumVar t;

    if (x->sign == ysign) {
        add_abs(a, x, y, &t);
        t.sign = x->sign;
    } else if (var_cmp_abs(x, y) >= 0) {
        sub_abs(a, x, y, &t);
        t.sign = x->sign;
    } else {
        sub_abs(a, y, x, &t);
        t.sign = ysign;
    }
    t.dscale = dscale;
    var_strip(&t);
    *r = t;
}

void
var_add(Arena *a, const NumVar *x, const NumVar *y, NumVar *r)
{
    add_signed(a, x, y, y->sign, r);
}

void
var_sub(Arena *a, const NumVar *x, const NumVar *y, NumVar *r)
{
    add_signed(a, x, y, y->sign == NUMERIC_NEG ? NUMERIC_POS : NUMERIC_NEG, r);
}

void
var_mul(Arena *a, const NumVar *x, const NumVar *y, NumVar *r, int rscale)
{
    int n = x->n + y->n;
    int64_t *acc;
    int32_t *d;
    NumVar t;

    if (x->n == 0 || y->n == 0) {
        var_zero(r, rscale);
        return;
    }
    acc = arena_calloc(a, (size_t)n, sizeof(int64_t));
    d = dalloc(a, n);
    /* acc[i + j + 1] collects x[i] * y[j]; carries are normalised every 1000 rows */
    for (int i = 0; i < x->n; i++) {
        int64_t xi = x->d[i];

        if (xi == 0)
            continue;
        for (int j = 0; j < y->n; j++)
            acc[i + j + 1] += xi * y->d[j];
        if ((i & 63) == 63 && y->n > 256 && numeric_poll())
            break;
        if ((i + 1) % 1000 == 0) {
            for (int k = n - 1; k > 0; k--) {
                acc[k - 1] += acc[k] / NBASE;
                acc[k] %= NBASE;
            }
        }
    }
    for (int k = n - 1; k > 0; k--) {
        acc[k - 1] += acc[k] / NBASE;
        acc[k] %= NBASE;
    }
    for (int k = 0; k < n; k++)
        d[k] = (int32_t)acc[k];
    t.sign = x->sign == y->sign ? NUMERIC_POS : NUMERIC_NEG;
    t.weight = x->weight + y->weight + 1;
    t.n = n;
    t.d = d;
    t.dscale = x->dscale + y->dscale;
    var_round(a, &t, rscale, true);
    *r = t;
}

void
var_round(Arena *a, NumVar *v, int rscale, bool round)
{
    int di, bi, off, n;
    int32_t *d;
    bool up = false;

    if (v->sign >= NUMERIC_NAN)
        return;
    v->dscale = rscale > 0 ? rscale : 0;
    di = (v->weight + 1) * DEC_DIGITS + rscale;
    if (di < 0 || v->n == 0) {
        var_zero(v, v->dscale);
        return;
    }
    /* work on a copy with one leading zero digit, so a carry has room */
    n = v->n + 1;
    d = dalloc(a, n);
    memcpy(d + 1, v->d, sizeof(int32_t) * (size_t)v->n);
    di += DEC_DIGITS;
    bi = di / DEC_DIGITS;
    off = di % DEC_DIGITS;
    if (bi >= n) {
        v->d = d;
        v->n = n;
        v->weight++;
        var_strip(v);
        return;
    }
    if (off == 0) {
        up = round && d[bi] >= NBASE / 2;
        n = bi;
    } else {
        int32_t pw = POW10[DEC_DIGITS - off];
        int32_t x = d[bi];

        up = round && (x / (pw / 10)) % 10 >= 5;
        d[bi] = x - x % pw;
        n = bi + 1;
        if (up) {
            d[bi] += pw;
            up = false;
            for (int i = bi; i > 0 && d[i] >= NBASE; i--) {
                d[i] -= NBASE;
                d[i - 1]++;
            }
        }
    }
    if (up) {
        d[bi - 1]++;
        for (int i = bi - 1; i > 0 && d[i] >= NBASE; i--) {
            d[i] -= NBASE;
            d[i - 1]++;
        }
    }
    v->d = d;
    v->n = n;
    v->weight++;
    var_strip(v);
}

/*
 * Knuth's algorithm D: q (nu - nv + 1 digits) = floor(u / v), digits most
 * significant first, nu >= nv, v[0] != 0.
 */
static void
bigdiv(Arena *a, const int32_t *u, int nu, const int32_t *v, int nv, int32_t *q)
{
    int nq = nu - nv + 1;
    int32_t *un, *vn, dn;
    int64_t carry;

    if (nv == 1) {
        int64_t rem = 0, dv = v[0];

        for (int i = 0; i < nu; i++) {
            int64_t cur = rem * NBASE + u[i];

            q[i] = (int32_t)(cur / dv);
            rem = cur % dv;
        }
        return;
    }
    dn = NBASE / (v[0] + 1);
    un = dalloc(a, nu + 1);
    vn = dalloc(a, nv);
    carry = 0;
    for (int i = nu - 1; i >= 0; i--) {
        int64_t t = (int64_t)u[i] * dn + carry;

        un[i + 1] = (int32_t)(t % NBASE);
        carry = t / NBASE;
    }
    un[0] = (int32_t)carry;
    carry = 0;
    for (int i = nv - 1; i >= 0; i--) {
        int64_t t = (int64_t)v[i] * dn + carry;

        vn[i] = (int32_t)(t % NBASE);
        carry = t / NBASE;
    }
    for (int j = 0; j < nq; j++) {
        int64_t num = (int64_t)un[j] * NBASE + un[j + 1];

        int64_t qhat = num / vn[0], rhat = num % vn[0];
        int64_t borrow = 0, t;

        if ((j & 31) == 31 && nv > 256 && numeric_poll())
            return;

        while (qhat >= NBASE || qhat * vn[1] > rhat * NBASE + un[j + 2]) {
            qhat--;
            rhat += vn[0];
            if (rhat >= NBASE)
                break;
        }
        carry = 0;
        for (int i = nv - 1; i >= 0; i--) {
            int64_t p = qhat * vn[i] + carry;

            carry = p / NBASE;
            t = un[j + 1 + i] - p % NBASE - borrow;
            borrow = t < 0;
            un[j + 1 + i] = (int32_t)(borrow ? t + NBASE : t);
        }
        t = un[j] - carry - borrow;
        if (t < 0) {
            int64_t c = 0;

            for (int i = nv - 1; i >= 0; i--) {
                int64_t s = un[j + 1 + i] + vn[i] + c;

                c = s >= NBASE;
                un[j + 1 + i] = (int32_t)(c ? s - NBASE : s);
            }
            t += c;
            qhat--;
        }
        un[j] = (int32_t)t;
        q[j] = (int32_t)qhat;
    }
}

/* The digits of floor(|v| * NBASE^shift) as an integer (no leading zeros stripped). */
static int32_t *
int_digits(Arena *a, const NumVar *v, int shift, int *nout)
{
    int e_last = v->weight - v->n + 1 + shift; /* exponent of the last digit after shifting */
    int n;
    int32_t *d;

    if (e_last >= 0) {
        n = v->n + e_last;
        d = dalloc(a, n);
        if (v->n > 0) /* a zero has no digit array (v->d may be NULL) */
            memcpy(d, v->d, sizeof(int32_t) * (size_t)v->n);
    } else {
        n = v->n + e_last;
        if (n <= 0) {
            *nout = 0;
            return NULL;
        }
        d = dalloc(a, n);
        memcpy(d, v->d, sizeof(int32_t) * (size_t)n);
    }
    *nout = n;
    return d;
}

void
var_div(Arena *a, const NumVar *x, const NumVar *y, NumVar *r, int rscale, bool round)
{
    int s = rscale + (round ? 1 : 0);
    int wmin = -((s + DEC_DIGITS - 1) / DEC_DIGITS);
    NumVar yy = *y, t;
    int nu, nq;
    int32_t *u, *q;
    int sign = x->sign == y->sign ? NUMERIC_POS : NUMERIC_NEG;

    var_strip(&yy);
    if (s < 0)
        wmin = 0;
    /* x / y / NBASE^wmin = floor(X * NBASE^(ex - ey - wmin) / Y) with X, Y the digit integers */
    u = int_digits(a, x, -(yy.weight - yy.n + 1) - wmin, &nu);
    if (nu < yy.n) {
        var_zero(r, rscale);
        return;
    }
    nq = nu - yy.n + 1;
    q = dalloc(a, nq);
    bigdiv(a, u, nu, yy.d, yy.n, q);
    t.sign = sign;
    t.d = q;
    t.n = nq;
    t.weight = wmin + nq - 1;
    t.dscale = rscale;
    var_strip(&t);
    var_round(a, &t, rscale, round);
    *r = t;
}

int
var_div_scale(const NumVar *x, const NumVar *y)
{
    int w1 = 0, w2 = 0, f1 = 0, f2 = 0, qw, rscale;

    for (int i = 0; i < x->n; i++) {
        if (x->d[i] != 0) {
            f1 = x->d[i];
            w1 = x->weight - i;
            break;
        }
    }
    for (int i = 0; i < y->n; i++) {
        if (y->d[i] != 0) {
            f2 = y->d[i];
            w2 = y->weight - i;
            break;
        }
    }
    /* the quotient's weight, one less when its first digit would be below 1 */
    qw = w1 - w2;
    if (f1 <= f2)
        qw--;
    rscale = NUMERIC_MIN_SIG_DIGITS - qw * DEC_DIGITS;
    if (rscale < x->dscale)
        rscale = x->dscale;
    if (rscale < y->dscale)
        rscale = y->dscale;
    if (rscale < 0)
        rscale = 0;
    if (rscale > NUMERIC_MAX_DISPLAY_SCALE)
        rscale = NUMERIC_MAX_DISPLAY_SCALE;
    return rscale;
}

/*
 * Newton's iteration from a start y (ny digits) at or above floor(sqrt(N)):
 * y = (y + N / y) / 2 until it stops decreasing; returns floor(sqrt(N)).
 */
static int32_t *
newton_isqrt(Arena *a, const int32_t *u, int nu, int32_t *y, int ny)
{
    for (;;) {
        int lead0 = 0, nq, cmp = 0;
        int32_t *q, *s;
        int64_t c = 0;

        while (lead0 < ny - 1 && y[lead0] == 0)
            lead0++;
        if (nu < ny - lead0) {
            nq = 1;
            q = dalloc(a, 1);
        } else {
            nq = nu - (ny - lead0) + 1;
            q = dalloc(a, nq);
            bigdiv(a, u, nu, y + lead0, ny - lead0, q);
        }
        /* s = (y + q) / 2 in ny digits */
        s = dalloc(a, ny);
        for (int i = ny - 1, k = nq - 1; i >= 0; i--, k--) {
            int64_t t = y[i] + (k >= 0 ? q[k] : 0) + c;

            c = t / NBASE;
            s[i] = (int32_t)(t % NBASE);
        }
        c = 0;
        for (int i = 0; i < ny; i++) {
            int64_t t = c * NBASE + s[i];

            s[i] = (int32_t)(t / 2);
            c = t % 2;
        }
        for (int i = 0; i < ny && cmp == 0; i++)
            cmp = s[i] < y[i] ? -1 : s[i] > y[i] ? 1 : 0;
        if (cmp >= 0 || numeric_poll())
            return y;
        y = s;
    }
}

/*
 * floor(sqrt(N)) for the integer with digits u[0..nu) (nu > 0), ny + 1
 * digits in *nout. Large inputs start Newton from the root of their
 * leading half (precision doubling), so only a few full-size divisions run.
 */
static int32_t *
bigsqrt(Arena *a, const int32_t *u, int nu, int *nout)
{
    int ny = (nu + 1) / 2 + 1;
    int32_t *y = dalloc(a, ny);

    if (nu > 16) {
        /* sqrt(N) <= (floor(sqrt(floor(N / B^2k))) + 1) * B^k */
        int k = nu / 4, nr, off;
        int32_t *r = bigsqrt(a, u, nu - 2 * k, &nr);
        int64_t c = 1;

        off = ny - k - nr; /* where r's last digit lands: position ny - k - 1 */
        for (int i = nr - 1; i >= 0; i--) {
            int64_t t = r[i] + c;

            c = t / NBASE;
            if (off + i >= 0)
                y[off + i] = (int32_t)(t % NBASE);
        }
        if (c != 0 && off - 1 >= 0)
            y[off - 1] += (int32_t)c;
        *nout = ny;
        return newton_isqrt(a, u, nu, y, ny);
    }
    {
        /* a starting value above the root, from the leading digits, rounded up */
        double lead = 0, root;
        int rest, half;

        for (int i = 0; i < 3 && i < nu; i++)
            lead = lead * NBASE + u[i];
        rest = nu - (nu < 3 ? nu : 3);
        half = rest / 2;
        if (rest % 2 == 1)
            lead *= NBASE;
        root = sqrt(lead) * 1.0001 + 2;
        for (int i = ny - 1 - half; i >= 0 && root >= 1; i--) {
            y[i] = (int32_t)fmod(root, NBASE);
            root = floor(root / NBASE);
        }
    }
    *nout = ny;
    return newton_isqrt(a, u, nu, y, ny);
}

void
var_sqrt(Arena *a, const NumVar *x, NumVar *r, int rscale)
{
    /* floor(sqrt(x) * NBASE^k) = isqrt(floor(x * NBASE^2k)), k covers rscale + 1 decimals */
    int s1 = rscale + 1;
    int k = s1 >= 0 ? (s1 + DEC_DIGITS - 1) / DEC_DIGITS : -((-s1) / DEC_DIGITS);
    int nu, ny;
    int32_t *u, *y;
    NumVar t;

    /* k may be negative: then only the digits that matter are square-rooted */
    u = int_digits(a, x, 2 * k, &nu);
    if (var_is_zero(x) || nu == 0) {
        var_zero(r, rscale);
        return;
    }
    y = bigsqrt(a, u, nu, &ny);
    t.sign = NUMERIC_POS;
    t.d = y;
    t.n = ny;
    t.weight = ny - 1 - k;
    t.dscale = rscale;
    var_strip(&t);
    var_round(a, &t, rscale, true);
    *r = t;
}

/* ---- text ---------------------------------------------------------------- */

static bool
is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static bool
word_is(const char *p, size_t n, const char *w)
{
    return strlen(w) == n && strncasecmp(p, w, n) == 0;
}

int
var_parse(Arena *a, const char *s, size_t len, NumVar *v)
{
    size_t i = 0, end = len;
    bool neg = false, seen_point = false;
    char *dig;
    int ndig = 0, before = 0, after = 0, dweight, lead;
    long exponent = 0;

    while (i < end && is_space(s[i]))
        i++;
    while (end > i && is_space(s[end - 1]))
        end--;
    var_zero(v, 0);
    if (word_is(s + i, end - i, "nan")) {
        v->sign = NUMERIC_NAN;
        return 0;
    }
    if (i < end && (s[i] == '+' || s[i] == '-')) {
        neg = s[i] == '-';
        i++;
    }
    if (word_is(s + i, end - i, "infinity") || word_is(s + i, end - i, "inf")) {
        v->sign = neg ? NUMERIC_NINF : NUMERIC_PINF;
        return 0;
    }
    dig = arena_alloc(a, end - i + 1);
    for (; i < end; i++) {
        char c = s[i];

        if (c >= '0' && c <= '9') {
            dig[ndig++] = (char)(c - '0');
            if (seen_point)
                after++;
            else
                before++;
        } else if (c == '.' && !seen_point) {
            seen_point = true;
        } else {
            break;
        }
    }
    if (ndig == 0)
        return -1;
    if (i < end && (s[i] == 'e' || s[i] == 'E')) {
        bool eneg = false;
        size_t j = i + 1;

        if (j < end && (s[j] == '+' || s[j] == '-')) {
            eneg = s[j] == '-';
            j++;
        }
        if (j >= end || s[j] < '0' || s[j] > '9')
            return -1;
        for (; j < end && s[j] >= '0' && s[j] <= '9'; j++) {
            if (exponent < 1000000000L)
                exponent = exponent * 10 + (s[j] - '0');
        }
        if (exponent >= 1073741823L)
            return -2;
        if (eneg)
            exponent = -exponent;
        i = j;
    }
    if (i != end)
        return -1;
    /* dweight: decimal weight of dig[0]; group into base-NBASE digits */
    dweight = before - 1 + (int)exponent;
    v->dscale = after - (int)exponent;
    if (v->dscale < 0)
        v->dscale = 0;
    if (dweight >= 0)
        v->weight = dweight / DEC_DIGITS;
    else
        v->weight = -((-dweight - 1) / DEC_DIGITS) - 1;
    lead = DEC_DIGITS - 1 - (dweight - v->weight * DEC_DIGITS); /* zeros before dig[0] */
    v->n = (lead + ndig + DEC_DIGITS - 1) / DEC_DIGITS;
    v->d = dalloc(a, v->n);
    for (int k = 0; k < ndig; k++) {
        int pos = lead + k;

        v->d[pos / DEC_DIGITS] += dig[k] * POW10[DEC_DIGITS - 1 - pos % DEC_DIGITS];
    }
    v->sign = neg ? NUMERIC_NEG : NUMERIC_POS;
    var_strip(v);
    return 0;
}

int
numeric_parse(Arena *a, const char *s, size_t len, Datum *out, Err *err)
{
    NumVar v;
    int rc = var_parse(a, s, len, &v);

    if (rc == -1)
        return ERR_RAISE(err, ERRCODE_INVALID_TEXT_REPRESENTATION,
                         "invalid input syntax for type %s: \"%.*s\"", "numeric", (int)len, s);
    if (rc == -2)
        return ERR_RAISE(err, ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, "value overflows numeric format");
    return var_to_datum(a, &v, out, err);
}

void
numeric_format(Datum x, Buf *out)
{
    const NumericHdr *h = numeric_hdr(x);
    const int16_t *d = numeric_digits(x);
    char tmp[8];

    if (h->sign == NUMERIC_NAN) {
        buf_put_str(out, "NaN");
        return;
    }
    if (h->sign == NUMERIC_PINF || h->sign == NUMERIC_NINF) {
        buf_put_str(out, h->sign == NUMERIC_PINF ? "Infinity" : "-Infinity");
        return;
    }
    if (h->sign == NUMERIC_NEG)
        buf_put_u8(out, '-');
    if (h->weight < 0) {
        buf_put_u8(out, '0');
    } else {
        for (int e = h->weight; e >= 0; e--) {
            int i = h->weight - e;
            int v = i < h->ndigits ? d[i] : 0;

            snprintf(tmp, sizeof tmp, e == h->weight ? "%d" : "%04d", v);
            buf_put_str(out, tmp);
        }
    }
    if (h->dscale > 0) {
        int left = h->dscale;

        buf_put_u8(out, '.');
        for (int e = -1; left > 0; e--) {
            int i = h->weight - e;
            int v = i >= 0 && i < h->ndigits ? d[i] : 0;
            int take = left < DEC_DIGITS ? left : DEC_DIGITS;

            snprintf(tmp, sizeof tmp, "%04d", v);
            buf_append(out, tmp, (size_t)take);
            left -= take;
        }
    }
}

char *
numeric_to_cstr(Arena *a, Datum x)
{
    Buf b;
    char *s;

    buf_init(&b, BUF_DEFAULT_MAX);
    numeric_format(x, &b);
    s = arena_strndup(a, b.len ? (const char *)b.data : "", b.len);
    buf_free(&b);
    return s;
}

/* ---- public: constructors and conversions -------------------------------- */

static Datum
must_pack(Arena *a, NumVar *v)
{
    Datum d = 0;
    Err e;

    err_clear(&e);
    (void)var_to_datum(a, v, &d, &e); /* cannot fail for values built from machine numbers */
    return d;
}

int
numeric_sign(Datum x)
{
    const NumericHdr *h = numeric_hdr(x);

    switch (h->sign) {
    case NUMERIC_NAN:
        return 0;
    case NUMERIC_PINF:
        return 1;
    case NUMERIC_NINF:
        return -1;
    default:
        return h->ndigits == 0 ? 0 : h->sign == NUMERIC_NEG ? -1 : 1;
    }
}

Datum
numeric_from_int64(Arena *a, int64_t x)
{
    NumVar v;

    var_from_int64(a, x, &v);
    return must_pack(a, &v);
}

Datum
numeric_from_int128(Arena *a, __int128 x)
{
    unsigned __int128 u =
        x < 0 ? (unsigned __int128)0 - (unsigned __int128)x : (unsigned __int128)x;
    int32_t tmp[12];
    int n = 0;
    NumVar v;

    while (u != 0) {
        tmp[n++] = (int32_t)(u % NBASE);
        u /= NBASE;
    }
    var_zero(&v, 0);
    if (n > 0) {
        v.sign = x < 0 ? NUMERIC_NEG : NUMERIC_POS;
        v.d = dalloc(a, n);
        for (int i = 0; i < n; i++)
            v.d[i] = tmp[n - 1 - i];
        v.n = n;
        v.weight = n - 1;
    }
    return must_pack(a, &v);
}

Datum
numeric_from_scaled_int64(Arena *a, int64_t x, int scale)
{
    char buf[48];
    NumVar v;

    snprintf(buf, sizeof buf, "%lde-%d", (long)x, scale);
    if (var_parse(a, buf, strlen(buf), &v) != 0)
        var_zero(&v, 0);
    return must_pack(a, &v);
}

Datum
numeric_nan(Arena *a)
{
    NumVar v;

    var_zero(&v, 0);
    v.sign = NUMERIC_NAN;
    return must_pack(a, &v);
}

Datum
numeric_inf(Arena *a, bool negative)
{
    NumVar v;

    var_zero(&v, 0);
    v.sign = negative ? NUMERIC_NINF : NUMERIC_PINF;
    return must_pack(a, &v);
}

Datum
numeric_from_double(Arena *a, double x)
{
    char buf[64];
    NumVar v;

    if (isnan(x))
        return numeric_nan(a);
    if (isinf(x))
        return numeric_inf(a, x < 0);
    snprintf(buf, sizeof buf, "%.*g", 15, x);
    if (var_parse(a, buf, strlen(buf), &v) != 0)
        var_zero(&v, 0);
    return must_pack(a, &v);
}

int
numeric_to_int(Datum x, int64_t min, int64_t max, const char *type_name, int64_t *out, Err *err)
{
    const NumericHdr *h = numeric_hdr(x);
    const int16_t *d = numeric_digits(x);
    __int128 acc = 0;
    bool up = false;

    if (h->sign == NUMERIC_NAN)
        return ERR_RAISE(err, ERRCODE_FEATURE_NOT_SUPPORTED, "cannot convert NaN to %s", type_name);
    if (h->sign >= NUMERIC_NAN)
        return ERR_RAISE(err, ERRCODE_FEATURE_NOT_SUPPORTED, "cannot convert infinity to %s",
                         type_name);
    if (h->weight > 5)
        goto range;
    for (int e = h->weight; e >= 0; e--) {
        int i = h->weight - e;

        acc = acc * NBASE + (i < h->ndigits ? d[i] : 0);
    }
    /* the first fractional digit decides rounding (half away from zero) */
    {
        int i = h->weight + 1;

        if (i >= 0 && i < h->ndigits)
            up = d[i] >= NBASE / 2;
    }
    if (up)
        acc++;
    if (h->sign == NUMERIC_NEG)
        acc = -acc;
    if (acc < min || acc > max)
        goto range;
    *out = (int64_t)acc;
    return 0;
range:
    return ERR_RAISE(err, ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, "%s out of range", type_name);
}

int
numeric_to_int64(Datum x, int64_t *out, Err *err)
{
    return numeric_to_int(x, INT64_MIN, INT64_MAX, "bigint", out, err);
}

bool
numeric_to_int128_exact(Datum x, __int128 *out)
{
    const NumericHdr *h = numeric_hdr(x);
    const int16_t *d = numeric_digits(x);
    __int128 acc = 0;

    if (h->sign >= NUMERIC_NAN || h->ndigits > h->weight + 1 || h->weight > 10)
        return false;
    for (int e = h->weight; e >= 0; e--) {
        int i = h->weight - e;

        __int128 dig = i < h->ndigits ? d[i] : 0;

        /* accumulate with the final sign, so INT128_MIN fits */
        if (__builtin_mul_overflow(acc, (__int128)NBASE, &acc) ||
            __builtin_add_overflow(acc, h->sign == NUMERIC_NEG ? -dig : dig, &acc))
            return false;
    }
    *out = acc;
    return true;
}

double
numeric_to_double_noerr(Datum x)
{
    const NumericHdr *h = numeric_hdr(x);
    Buf b;
    double r;

    if (h->sign == NUMERIC_NAN)
        return NAN;
    if (h->sign == NUMERIC_PINF)
        return INFINITY;
    if (h->sign == NUMERIC_NINF)
        return -INFINITY;
    buf_init(&b, BUF_DEFAULT_MAX);
    numeric_format(x, &b);
    buf_put_u8(&b, 0);
    r = b.len ? strtod((const char *)b.data, NULL) : 0;
    buf_free(&b);
    return r;
}

int
numeric_to_double(Datum x, double *out, Err *err)
{
    const NumericHdr *h = numeric_hdr(x);
    Buf b;
    double r;

    if (h->sign >= NUMERIC_NAN) {
        *out = numeric_to_double_noerr(x);
        return 0;
    }
    buf_init(&b, BUF_DEFAULT_MAX);
    numeric_format(x, &b);
    buf_put_u8(&b, 0);
    errno = 0;
    r = strtod((const char *)b.data, NULL);
    if (errno == ERANGE && (r == 0 || isinf(r))) {
        ERR_RAISE(err, ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE,
                  "\"%s\" is out of range for type double precision", (const char *)b.data);
        buf_free(&b);
        return -1;
    }
    buf_free(&b);
    *out = r;
    return 0;
}

double
var_to_double(const NumVar *v)
{
    double r = 0;

    if (v->sign == NUMERIC_NAN)
        return NAN;
    if (v->sign == NUMERIC_PINF)
        return INFINITY;
    if (v->sign == NUMERIC_NINF)
        return -INFINITY;
    /* the leading digits are enough for estimates */
    for (int i = 0; i < v->n && i < 6; i++)
        r += v->d[i] * pow(NBASE, v->weight - i);
    return v->sign == NUMERIC_NEG ? -r : r;
}

/* ---- public: comparison -------------------------------------------------- */

static int
special_rank(uint16_t sign)
{
    /* -Inf < finite < +Inf < NaN */
    return sign == NUMERIC_NINF ? 0 : sign == NUMERIC_PINF ? 2 : sign == NUMERIC_NAN ? 3 : 1;
}

int
numeric_cmp(Datum x, Datum y)
{
    const NumericHdr *hx = numeric_hdr(x), *hy = numeric_hdr(y);
    const int16_t *dx = numeric_digits(x), *dy = numeric_digits(y);
    int rx = special_rank(hx->sign), ry = special_rank(hy->sign);
    int sx, sy, c = 0;

    if (rx != ry)
        return rx < ry ? -1 : 1;
    if (rx != 1)
        return 0;
    sx = hx->ndigits == 0 ? 0 : hx->sign == NUMERIC_NEG ? -1 : 1;
    sy = hy->ndigits == 0 ? 0 : hy->sign == NUMERIC_NEG ? -1 : 1;
    if (sx != sy)
        return sx < sy ? -1 : 1;
    if (sx == 0)
        return 0;
    /* canonical: the weight decides first */
    if (hx->weight != hy->weight) {
        c = hx->weight < hy->weight ? -1 : 1;
    } else {
        int n = hx->ndigits < hy->ndigits ? hx->ndigits : hy->ndigits;

        for (int i = 0; i < n && c == 0; i++)
            c = dx[i] < dy[i] ? -1 : dx[i] > dy[i] ? 1 : 0;
        if (c == 0 && hx->ndigits != hy->ndigits)
            c = hx->ndigits < hy->ndigits ? -1 : 1;
    }
    return sx * c;
}

uint64_t
numeric_hash(Datum x)
{
    const NumericHdr *h = numeric_hdr(x);
    const int16_t *d = numeric_digits(x);
    uint64_t hash = 1469598103934665603ULL;
    uint64_t parts[2] = {h->sign, (uint64_t)(uint16_t)h->weight};

    for (int k = 0; k < 2; k++) {
        hash ^= parts[k];
        hash *= 1099511628211ULL;
    }
    for (int i = 0; i < h->ndigits; i++) {
        hash ^= (uint64_t)(uint16_t)d[i];
        hash *= 1099511628211ULL;
    }
    return hash;
}

int
numeric_dscale(Datum x)
{
    const NumericHdr *h = numeric_hdr(x);

    return h->sign >= NUMERIC_NAN ? -1 : h->dscale;
}

void
numeric_format_sci(Datum x, int scale, Buf *out)
{
    Arena *a;
    NumVar v, p, q;
    int exponent;
    Datum d;
    Err e;

    if (numeric_is_special(x)) {
        numeric_format(x, out);
        return;
    }
    a = arena_create("numeric_sci", 0);
    var_from_datum(a, x, &v);
    exponent = v.n > 0 ? var_dweight(&v) : 0;
    /* the significand: x / 10^exponent rounded to scale digits (not renormalised, as PostgreSQL) */
    var_zero(&p, 0);
    p.n = 1;
    p.d = dalloc(a, 1);
    if (exponent >= 0) {
        p.weight = exponent / DEC_DIGITS;
        p.d[0] = POW10[exponent % DEC_DIGITS];
    } else {
        p.weight = -((-exponent + DEC_DIGITS - 1) / DEC_DIGITS);
        p.d[0] = POW10[(exponent - p.weight * DEC_DIGITS)];
    }
    var_div(a, &v, &p, &q, scale > 0 ? scale : 0, true);
    err_clear(&e);
    if (var_to_datum(a, &q, &d, &e) == 0)
        numeric_format(d, out);
    buf_printf(out, "e%+03d", exponent);
    arena_destroy(a);
}
