/*
 * sql/agg.c — the built-in aggregates as state machines (see sql/agg.h for
 * the model and which aggregates retract).
 *
 * Pipeline position: bound by sql/bind_query.c (through the catalog entries
 * of sql/cat_agg.c), run by stream/op_agg.c.
 *
 * Invariants:
 *   1. Float aggregates follow PostgreSQL's float8_accum (Youngs-Cramer) and
 *      float8pl, including their overflow checks (22003 "value out of range:
 *      overflow") and NaN rules, so results match bit for bit.
 *   2. Integer and numeric sums are exact (int128 / NumericAcc); sum(int2/4)
 *      fails with 22003 "bigint out of range" only if the result does not fit.
 *   3. No transition allocates for fixed-width inputs, except NumericAcc
 *      folding into numeric when its 128-bit fast path overflows.
 */
#include <math.h>
#include <string.h>

#include "common/errcodes.h"
#include "sql/agg.h"
#include "sql/agg_int.h"
#include "sql/func_float.h"
#include "sql/numeric.h"

/* ---- count ------------------------------------------------------------------------ */

static void
count_init(void *s)
{
    ((CountState *)s)->n = 0;
}

static int
count_add(void *s, const Value *args, AggCtx *ctx, Err *err)
{
    (void)args, (void)ctx, (void)err;
    ((CountState *)s)->n++;
    return 0;
}

static int
count_retract(void *s, const Value *args, AggCtx *ctx, Err *err)
{
    (void)args, (void)ctx, (void)err;
    ((CountState *)s)->n--;
    return 0;
}

static int
count_result(const void *s, AggCtx *ctx, Datum *out, bool *isnull, Err *err)
{
    (void)ctx, (void)err;
    *out = datum_from_int64(((const CountState *)s)->n);
    *isnull = false;
    return 0;
}

const AggImpl agg_count_star = {"count",   sizeof(CountState), 0,           count_init,
                                count_add, count_retract,      count_result};
const AggImpl agg_count = {"count",   sizeof(CountState), 1,           count_init,
                           count_add, count_retract,      count_result};

/* ---- sum(int2/int4) → bigint ------------------------------------------------------ */

static void
intsum_init(void *s)
{
    memset(s, 0, sizeof(IntSumState));
}

static int
intsum_add(void *s, const Value *args, AggCtx *ctx, Err *err)
{
    IntSumState *st = s;

    (void)ctx, (void)err;
    st->sum += datum_get_int64(args[0].d);
    st->n++;
    return 0;
}

static int
intsum_retract(void *s, const Value *args, AggCtx *ctx, Err *err)
{
    IntSumState *st = s;

    (void)ctx, (void)err;
    st->sum -= datum_get_int64(args[0].d);
    st->n--;
    return 0;
}

static int
intsum_result(const void *s, AggCtx *ctx, Datum *out, bool *isnull, Err *err)
{
    const IntSumState *st = s;

    (void)ctx;
    *isnull = st->n == 0;
    if (*isnull)
        return 0;
    if (st->sum > INT64_MAX || st->sum < INT64_MIN)
        return ERR_RAISE(err, ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, "bigint out of range");
    *out = datum_from_int64((int64_t)st->sum);
    return 0;
}

const AggImpl agg_sum_int = {"sum",          sizeof(IntSumState), 1, intsum_init, intsum_add,
                             intsum_retract, intsum_result};

/* ---- NumericAcc: sum(int8), avg(int*), var/stddev(int*), and over numeric ---------- */

typedef enum AccResult {
    ACC_SUM,
    ACC_AVG,
    ACC_VAR_SAMP,
    ACC_VAR_POP,
    ACC_SD_SAMP,
    ACC_SD_POP
} AccResult;

static void
acc_init(void *s)
{
    numeric_acc_init(s, false);
}

static void
acc_init_sq(void *s)
{
    numeric_acc_init(s, true);
}

static int
acc_add_int(void *s, const Value *args, AggCtx *ctx, Err *err)
{
    return numeric_acc_add_int64(s, ctx->eval->arena, datum_get_int64(args[0].d), err);
}

static int
acc_retract_int(void *s, const Value *args, AggCtx *ctx, Err *err)
{
    int rc = numeric_acc_remove_int64(s, ctx->eval->arena, datum_get_int64(args[0].d), err);

    if (rc > 0)
        return ERR_RAISE(err, ERRCODE_INTERNAL_ERROR, "integer accumulator cannot retract");
    return rc;
}

static int
acc_add_num(void *s, const Value *args, AggCtx *ctx, Err *err)
{
    return numeric_acc_add(s, ctx->eval->arena, args[0].d, err);
}

static int
acc_result(const void *s, AggCtx *ctx, AccResult what, Datum *out, bool *isnull, Err *err)
{
    Arena *a = ctx->eval->arena;

    switch (what) {
    case ACC_SUM:
        return numeric_acc_sum(s, a, out, isnull, err);
    case ACC_AVG:
        return numeric_acc_avg(s, a, out, isnull, err);
    case ACC_VAR_SAMP:
        return numeric_acc_variance(s, a, true, false, out, isnull, err);
    case ACC_VAR_POP:
        return numeric_acc_variance(s, a, false, false, out, isnull, err);
    case ACC_SD_SAMP:
        return numeric_acc_variance(s, a, true, true, out, isnull, err);
    case ACC_SD_POP:
        return numeric_acc_variance(s, a, false, true, out, isnull, err);
    }
    return ERR_RAISE(err, ERRCODE_INTERNAL_ERROR, "bad accumulator result");
}

#define ACC_RESULT_FN(fname, what)                                                                 \
    static int fname(const void *s, AggCtx *ctx, Datum *out, bool *isnull, Err *err)               \
    {                                                                                              \
        return acc_result(s, ctx, what, out, isnull, err);                                         \
    }
ACC_RESULT_FN(acc_sum, ACC_SUM)
ACC_RESULT_FN(acc_avg, ACC_AVG)
ACC_RESULT_FN(acc_var_samp, ACC_VAR_SAMP)
ACC_RESULT_FN(acc_var_pop, ACC_VAR_POP)
ACC_RESULT_FN(acc_sd_samp, ACC_SD_SAMP)
ACC_RESULT_FN(acc_sd_pop, ACC_SD_POP)

#define ACC_INT(var, nm, init, res)                                                                \
    const AggImpl var = {nm, sizeof(NumericAcc), 1, init, acc_add_int, acc_retract_int, res}
#define ACC_NUM(var, nm, init, res)                                                                \
    const AggImpl var = {nm, sizeof(NumericAcc), 1, init, acc_add_num, NULL, res}

ACC_INT(agg_sum_int8, "sum", acc_init, acc_sum);
ACC_INT(agg_avg_int, "avg", acc_init, acc_avg);
ACC_INT(agg_var_samp_int, "var_samp", acc_init_sq, acc_var_samp);
ACC_INT(agg_var_pop_int, "var_pop", acc_init_sq, acc_var_pop);
ACC_INT(agg_stddev_samp_int, "stddev_samp", acc_init_sq, acc_sd_samp);
ACC_INT(agg_stddev_pop_int, "stddev_pop", acc_init_sq, acc_sd_pop);
ACC_NUM(agg_sum_num, "sum", acc_init, acc_sum);
ACC_NUM(agg_avg_num, "avg", acc_init, acc_avg);
ACC_NUM(agg_var_samp_num, "var_samp", acc_init_sq, acc_var_samp);
ACC_NUM(agg_var_pop_num, "var_pop", acc_init_sq, acc_var_pop);
ACC_NUM(agg_stddev_samp_num, "stddev_samp", acc_init_sq, acc_sd_samp);
ACC_NUM(agg_stddev_pop_num, "stddev_pop", acc_init_sq, acc_sd_pop);

/* ---- float8: sum (float8pl) and float8_accum ------------------------------------- */

static int
float_overflow(Err *err)
{
    return ERR_RAISE(err, ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, "value out of range: overflow");
}

static void
fsum_init(void *s)
{
    memset(s, 0, sizeof(FloatSumState));
}

static int
fsum_add(void *s, const Value *args, AggCtx *ctx, Err *err)
{
    FloatSumState *st = s;
    double x = datum_get_float8(args[0].d);

    (void)ctx;
    if (!st->any) {
        st->sum = x;
        st->any = true;
        return 0;
    }
    if (isinf(st->sum + x) && !isinf(st->sum) && !isinf(x))
        return float_overflow(err);
    st->sum += x;
    return 0;
}

static int
fsum_result(const void *s, AggCtx *ctx, Datum *out, bool *isnull, Err *err)
{
    const FloatSumState *st = s;

    (void)ctx, (void)err;
    *isnull = !st->any;
    *out = datum_from_float8(st->sum);
    return 0;
}

const AggImpl agg_sum_float8 = {"sum",      sizeof(FloatSumState), 1, fsum_init, fsum_add, NULL,
                                fsum_result};

/* sum(float4) → real: float4pl in single precision, with its overflow check. */
static void
fsum4_init(void *s)
{
    memset(s, 0, sizeof(Float4SumState));
}

static int
fsum4_add(void *s, const Value *args, AggCtx *ctx, Err *err)
{
    Float4SumState *st = s;
    float x = datum_get_float4(args[0].d), r;

    (void)ctx;
    if (!st->any) {
        st->sum = x;
        st->any = true;
        return 0;
    }
    r = st->sum + x;
    if (isinf(r) && !isinf(st->sum) && !isinf(x))
        return float_overflow(err);
    st->sum = r;
    return 0;
}

static int
fsum4_result(const void *s, AggCtx *ctx, Datum *out, bool *isnull, Err *err)
{
    const Float4SumState *st = s;

    (void)ctx, (void)err;
    *isnull = !st->any;
    *out = datum_from_float4(st->sum);
    return 0;
}

const AggImpl agg_sum_float4 = {"sum",       sizeof(Float4SumState), 1, fsum4_init, fsum4_add, NULL,
                                fsum4_result};

typedef enum FloatResult { F_AVG, F_VAR_SAMP, F_VAR_POP, F_SD_SAMP, F_SD_POP } FloatResult;

static void
facc_init(void *s)
{
    memset(s, 0, sizeof(FloatAccState));
}

/* float8_accum: Youngs-Cramer, with PostgreSQL's overflow and NaN handling. */
static int
facc_add(void *s, const Value *args, AggCtx *ctx, Err *err)
{
    FloatAccState *st = s;
    double x = datum_get_float8(args[0].d);
    double n = st->n + 1.0, sx = st->sx + x, sxx = st->sxx;

    (void)ctx;
    if (st->n > 0.0) {
        double tmp = x * n - sx;

        sxx += tmp * tmp / (n * st->n);
        if (isinf(sx) || isinf(sxx)) {
            if (!isinf(st->sx) && !isinf(x))
                return float_overflow(err);
            sxx = NAN;
        }
    } else if (isnan(x) || isinf(x)) {
        sxx = NAN;
    }
    st->n = n;
    st->sx = sx;
    st->sxx = sxx;
    return 0;
}

/* float4_accum: the float8 accumulator over the value widened to double. */
static int
facc4_add(void *s, const Value *args, AggCtx *ctx, Err *err)
{
    Value v = {datum_from_float8((double)datum_get_float4(args[0].d)), false};

    return facc_add(s, &v, ctx, err);
}

static int
facc_result(const void *s, FloatResult what, Datum *out, bool *isnull)
{
    const FloatAccState *st = s;
    double v;

    *isnull = false;
    switch (what) {
    case F_AVG:
        *isnull = st->n == 0.0;
        v = st->sx / st->n;
        break;
    case F_VAR_POP:
    case F_SD_POP:
        *isnull = st->n == 0.0;
        v = st->sxx / st->n;
        break;
    default:
        *isnull = st->n <= 1.0;
        v = st->sxx / (st->n - 1.0);
        break;
    }
    if (what == F_SD_POP || what == F_SD_SAMP)
        v = sqrt(v);
    *out = datum_from_float8(v);
    return 0;
}

#define FACC_RESULT_FN(fname, what)                                                                \
    static int fname(const void *s, AggCtx *ctx, Datum *out, bool *isnull, Err *err)               \
    {                                                                                              \
        (void)ctx, (void)err;                                                                      \
        return facc_result(s, what, out, isnull);                                                  \
    }
FACC_RESULT_FN(facc_avg, F_AVG)
FACC_RESULT_FN(facc_var_samp, F_VAR_SAMP)
FACC_RESULT_FN(facc_var_pop, F_VAR_POP)
FACC_RESULT_FN(facc_sd_samp, F_SD_SAMP)
FACC_RESULT_FN(facc_sd_pop, F_SD_POP)

#define FACC(var, nm, res)                                                                         \
    const AggImpl var = {nm, sizeof(FloatAccState), 1, facc_init, facc_add, NULL, res}
FACC(agg_avg_float8, "avg", facc_avg);
FACC(agg_var_samp_float8, "var_samp", facc_var_samp);
FACC(agg_var_pop_float8, "var_pop", facc_var_pop);
FACC(agg_stddev_samp_float8, "stddev_samp", facc_sd_samp);
FACC(agg_stddev_pop_float8, "stddev_pop", facc_sd_pop);
#define FACC4(var, nm, res)                                                                        \
    const AggImpl var = {nm, sizeof(FloatAccState), 1, facc_init, facc4_add, NULL, res}
FACC4(agg_avg_float4, "avg", facc_avg);
FACC4(agg_var_samp_float4, "var_samp", facc_var_samp);
FACC4(agg_var_pop_float4, "var_pop", facc_var_pop);
FACC4(agg_stddev_samp_float4, "stddev_samp", facc_sd_samp);
FACC4(agg_stddev_pop_float4, "stddev_pop", facc_sd_pop);

/* ---- min / max ----------------------------------------------------------------------- */

static void
minmax_init(void *s)
{
    memset(s, 0, sizeof(MinMaxState));
}

static int
minmax_add(void *s, const Value *args, AggCtx *ctx, bool is_max, Err *err)
{
    MinMaxState *st = s;
    Datum cmp[2], lt;
    bool nulls[2] = {false, false}, isnull = false;
    Oid types[2] = {ctx->argtype, ctx->argtype};
    FnCall call = {ctx->eval, 2, cmp, nulls, types};
    const TypeInfo *t = type_by_oid(ctx->argtype);

    if (st->any) {
        /* replace when x < current (min) or current < x (max) */
        cmp[0] = is_max ? st->v.d : args[0].d;
        cmp[1] = is_max ? args[0].d : st->v.d;
        if (ctx->arg_lt(&call, &lt, &isnull, err) < 0)
            return -1;
        if (isnull || !datum_get_bool(lt))
            return 0;
    }
    st->v.d = datum_copy(ctx->eval->arena, args[0].d, t == NULL || t->byval);
    st->v.isnull = false;
    st->any = true;
    return 0;
}

static int
min_add(void *s, const Value *args, AggCtx *ctx, Err *err)
{
    return minmax_add(s, args, ctx, false, err);
}

static int
max_add(void *s, const Value *args, AggCtx *ctx, Err *err)
{
    return minmax_add(s, args, ctx, true, err);
}

static int
minmax_result(const void *s, AggCtx *ctx, Datum *out, bool *isnull, Err *err)
{
    const MinMaxState *st = s;

    (void)ctx, (void)err;
    *isnull = !st->any;
    *out = st->v.d;
    return 0;
}

const AggImpl agg_min = {"min", sizeof(MinMaxState), 1, minmax_init, min_add, NULL, minmax_result};
const AggImpl agg_max = {"max", sizeof(MinMaxState), 1, minmax_init, max_add, NULL, minmax_result};

/* ---- bool_and / bool_or / every ---------------------------------------------------- */

static void
bool_init(void *s)
{
    memset(s, 0, sizeof(BoolState));
}

static int
bool_add(void *s, const Value *args, AggCtx *ctx, Err *err)
{
    BoolState *st = s;

    (void)ctx, (void)err;
    if (datum_get_bool(args[0].d))
        st->ntrue++;
    else
        st->nfalse++;
    return 0;
}

static int
bool_retract(void *s, const Value *args, AggCtx *ctx, Err *err)
{
    BoolState *st = s;

    (void)ctx, (void)err;
    if (datum_get_bool(args[0].d))
        st->ntrue--;
    else
        st->nfalse--;
    return 0;
}

static int
booland_result(const void *s, AggCtx *ctx, Datum *out, bool *isnull, Err *err)
{
    const BoolState *st = s;

    (void)ctx, (void)err;
    *isnull = st->ntrue + st->nfalse == 0;
    *out = datum_from_bool(st->nfalse == 0);
    return 0;
}

static int
boolor_result(const void *s, AggCtx *ctx, Datum *out, bool *isnull, Err *err)
{
    const BoolState *st = s;

    (void)ctx, (void)err;
    *isnull = st->ntrue + st->nfalse == 0;
    *out = datum_from_bool(st->ntrue > 0);
    return 0;
}

const AggImpl agg_bool_and = {"bool_and",   sizeof(BoolState), 1, bool_init, bool_add,
                              bool_retract, booland_result};
const AggImpl agg_bool_or = {"bool_or",    sizeof(BoolState), 1, bool_init, bool_add,
                             bool_retract, boolor_result};

/* ---- string_agg(text, text) ------------------------------------------------------- */

static void
sagg_init(void *s)
{
    memset(s, 0, sizeof(StringAggState));
}

static void
sagg_append(StringAggState *st, Arena *a, const char *p, size_t n)
{
    if (st->len + n > st->cap) {
        size_t cap = st->cap ? st->cap * 2 : 64;
        char *data;

        while (cap < st->len + n)
            cap *= 2;
        data = arena_alloc(a, cap);
        if (st->len > 0)
            memcpy(data, st->data, st->len);
        st->data = data;
        st->cap = cap;
    }
    if (n > 0)
        memcpy(st->data + st->len, p, n);
    st->len += n;
}

static int
sagg_add(void *s, const Value *args, AggCtx *ctx, Err *err)
{
    StringAggState *st = s;
    const VarData *v = datum_get_var(args[0].d);

    (void)err;
    /* the delimiter goes before every value but the first; a NULL delimiter is empty */
    if (st->any && !args[1].isnull) {
        const VarData *d = datum_get_var(args[1].d);

        sagg_append(st, ctx->eval->arena, d->data, d->len);
    }
    sagg_append(st, ctx->eval->arena, v->data, v->len);
    st->any = true;
    return 0;
}

static int
sagg_result(const void *s, AggCtx *ctx, Datum *out, bool *isnull, Err *err)
{
    const StringAggState *st = s;

    (void)err;
    *isnull = !st->any;
    if (st->any)
        *out = datum_from_text(ctx->eval->arena, st->data != NULL ? st->data : "", st->len);
    return 0;
}

const AggImpl agg_string_agg = {"string_agg", sizeof(StringAggState), 1, sagg_init, sagg_add, NULL,
                                sagg_result};
