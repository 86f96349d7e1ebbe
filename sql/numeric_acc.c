/*
 * sql/numeric_acc.c — NumericAcc, the running state of sum / avg / variance
 * over numeric and integer inputs (see sql/numeric.h), with PostgreSQL 15's
 * NaN and Infinity rules and an inverse transition for retraction.
 *
 * Integer inputs go to __int128 sums (no allocation); a sum that would
 * overflow folds into the numeric sums. Numeric inputs always go to the
 * numeric sums, allocated in the arena of the call.
 *
 * Invariants:
 *   1. count = every input added minus every input removed, NaN/Inf included.
 *   2. The value of the state is isum + sum (and isumsq + sumsq); the split
 *      between the fast and the numeric part never changes a result.
 *   3. max_dscale is the largest dscale among the inputs present, and
 *      max_dscale_count how many of them carry it: it is the result's dscale.
 */
#include "sql/numeric_int.h"

#include <string.h>

void
numeric_acc_init(NumericAcc *acc, bool want_sumsq)
{
    memset(acc, 0, sizeof *acc);
    acc->want_sumsq = want_sumsq;
}

static int
add_to(Arena *a, Datum *slot, Datum v, bool negate, Err *err)
{
    Datum r;

    if (*slot == 0) {
        if (negate)
            return numeric_neg(a, v, slot);
        *slot = datum_copy(a, v, false);
        return 0;
    }
    if (negate ? numeric_sub(a, *slot, v, &r, err) != 0 : numeric_add(a, *slot, v, &r, err) != 0)
        return -1;
    *slot = r;
    return 0;
}

/* Moves the int128 parts into the numeric sums (before they could overflow). */
static int
spill(NumericAcc *acc, Arena *a, Err *err)
{
    if (acc->isum != 0) {
        if (add_to(a, &acc->sum, numeric_from_int128(a, acc->isum), false, err) != 0)
            return -1;
        acc->isum = 0;
    }
    if (acc->isumsq != 0) {
        if (add_to(a, &acc->sumsq, numeric_from_int128(a, acc->isumsq), false, err) != 0)
            return -1;
        acc->isumsq = 0;
    }
    return 0;
}

static int
int_step(NumericAcc *acc, Arena *a, int64_t v, bool remove, Err *err)
{
    __int128 x = v, sq = x * x, r;

    if (remove) {
        x = -x;
        sq = -sq;
    }
    if (__builtin_add_overflow(acc->isum, x, &r)) {
        if (spill(acc, a, err) != 0)
            return -1;
        r = x;
    }
    acc->isum = r;
    if (acc->want_sumsq) {
        if (__builtin_add_overflow(acc->isumsq, sq, &r)) {
            __int128 keep = acc->isum;

            acc->isum = 0;
            if (spill(acc, a, err) != 0)
                return -1;
            acc->isum = keep;
            r = sq;
        }
        acc->isumsq = r;
    }
    acc->count += remove ? -1 : 1;
    return 0;
}

int
numeric_acc_add_int64(NumericAcc *acc, Arena *a, int64_t v, Err *err)
{
    if (acc->max_dscale == 0)
        acc->max_dscale_count++;
    return int_step(acc, a, v, false, err);
}

int
numeric_acc_remove_int64(NumericAcc *acc, Arena *a, int64_t v, Err *err)
{
    if (acc->max_dscale == 0)
        acc->max_dscale_count--;
    return int_step(acc, a, v, true, err);
}

static int64_t *
special_counter(NumericAcc *acc, Datum v)
{
    switch (numeric_hdr(v)->sign) {
    case NUMERIC_NAN:
        return &acc->nan_count;
    case NUMERIC_PINF:
        return &acc->pinf_count;
    case NUMERIC_NINF:
        return &acc->ninf_count;
    default:
        return NULL;
    }
}

int
numeric_acc_add(NumericAcc *acc, Arena *a, Datum v, Err *err)
{
    int64_t *special = special_counter(acc, v);
    int ds;

    acc->count++;
    if (special != NULL) {
        (*special)++;
        return 0;
    }
    ds = numeric_hdr(v)->dscale;
    if (ds > acc->max_dscale) {
        acc->max_dscale = ds;
        acc->max_dscale_count = 1;
    } else if (ds == acc->max_dscale) {
        acc->max_dscale_count++;
    }
    if (add_to(a, &acc->sum, v, false, err) != 0)
        return -1;
    if (acc->want_sumsq) {
        Datum sq;

        if (numeric_mul(a, v, v, &sq, err) != 0 || add_to(a, &acc->sumsq, sq, false, err) != 0)
            return -1;
    }
    return 0;
}

int
numeric_acc_remove(NumericAcc *acc, Arena *a, Datum v, Err *err)
{
    int64_t *special = special_counter(acc, v);
    int ds;

    if (special != NULL) {
        (*special)--;
        acc->count--;
        return 0;
    }
    ds = numeric_hdr(v)->dscale;
    if (ds == acc->max_dscale) {
        if (acc->max_dscale > 0 && acc->max_dscale_count <= 1)
            return 1; /* the sum's display scale would change: recompute */
        acc->max_dscale_count--;
    }
    acc->count--;
    if (add_to(a, &acc->sum, v, true, err) != 0)
        return -1;
    if (acc->want_sumsq) {
        Datum sq;

        if (numeric_mul(a, v, v, &sq, err) != 0 || add_to(a, &acc->sumsq, sq, true, err) != 0)
            return -1;
    }
    return 0;
}

int
numeric_acc_merge(NumericAcc *dst, const NumericAcc *src, Arena *a, Err *err)
{
    __int128 r;

    dst->count += src->count;
    dst->nan_count += src->nan_count;
    dst->pinf_count += src->pinf_count;
    dst->ninf_count += src->ninf_count;
    if (src->max_dscale > dst->max_dscale) {
        dst->max_dscale = src->max_dscale;
        dst->max_dscale_count = src->max_dscale_count;
    } else if (src->max_dscale == dst->max_dscale) {
        dst->max_dscale_count += src->max_dscale_count;
    }
    if (__builtin_add_overflow(dst->isum, src->isum, &r)) {
        if (add_to(a, &dst->sum, numeric_from_int128(a, src->isum), false, err) != 0)
            return -1;
    } else {
        dst->isum = r;
    }
    if (__builtin_add_overflow(dst->isumsq, src->isumsq, &r)) {
        if (add_to(a, &dst->sumsq, numeric_from_int128(a, src->isumsq), false, err) != 0)
            return -1;
    } else {
        dst->isumsq = r;
    }
    if (src->sum != 0 && add_to(a, &dst->sum, src->sum, false, err) != 0)
        return -1;
    if (src->sumsq != 0 && add_to(a, &dst->sumsq, src->sumsq, false, err) != 0)
        return -1;
    return 0;
}

void
numeric_acc_copy(NumericAcc *dst, const NumericAcc *src, Arena *a)
{
    *dst = *src;
    if (src->sum != 0)
        dst->sum = datum_copy(a, src->sum, false);
    if (src->sumsq != 0)
        dst->sumsq = datum_copy(a, src->sumsq, false);
}

/* 1 when NaN/Infinity decide the result (written to *out), 0 otherwise. */
static int
special_result(const NumericAcc *acc, Arena *a, Datum *out)
{
    if (acc->nan_count > 0 || (acc->pinf_count > 0 && acc->ninf_count > 0)) {
        *out = numeric_nan(a);
        return 1;
    }
    if (acc->pinf_count > 0 || acc->ninf_count > 0) {
        *out = numeric_inf(a, acc->ninf_count > 0);
        return 1;
    }
    return 0;
}

static int
total(const NumericAcc *acc, Arena *a, Datum slot, __int128 fast, Datum *out, Err *err)
{
    Datum f = numeric_from_int128(a, fast);

    if (slot == 0) {
        *out = f;
        return 0;
    }
    return numeric_add(a, slot, f, out, err);
    (void)acc;
}

int
numeric_acc_sum(const NumericAcc *acc, Arena *a, Datum *out, bool *isnull, Err *err)
{
    *isnull = acc->count == 0;
    if (*isnull || special_result(acc, a, out))
        return 0;
    return total(acc, a, acc->sum, acc->isum, out, err);
}

int
numeric_acc_avg(const NumericAcc *acc, Arena *a, Datum *out, bool *isnull, Err *err)
{
    Datum s;

    *isnull = acc->count == 0;
    if (*isnull || special_result(acc, a, out))
        return 0;
    if (total(acc, a, acc->sum, acc->isum, &s, err) != 0)
        return -1;
    return numeric_div_int64(a, s, acc->count, out, err);
}

int
numeric_acc_variance(const NumericAcc *acc, Arena *a, bool sample, bool stddev, Datum *out,
                     bool *isnull, Err *err)
{
    Datum s, s2;

    *isnull = acc->count == 0 || (sample && acc->count == 1);
    if (*isnull)
        return 0;
    if (acc->nan_count > 0 || acc->pinf_count > 0 || acc->ninf_count > 0) {
        *out = numeric_nan(a);
        return 0;
    }
    if (total(acc, a, acc->sum, acc->isum, &s, err) != 0 ||
        total(acc, a, acc->sumsq, acc->isumsq, &s2, err) != 0)
        return -1;
    return numeric_variance(a, numeric_from_int64(a, acc->count), s, s2, sample, stddev, out,
                            isnull, err);
}
