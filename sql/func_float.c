/*
 * sql/func_float.c — built-ins over real and double precision: arithmetic
 * and comparison for every float4/float8 operand pair PostgreSQL defines,
 * the casts between the floats and the integers, and PostgreSQL's float8
 * math functions (float.c: dsqrt, dexp, dlog1, dpow, dsin, ...).
 *
 * Mixed float4/float8 operators compute in double precision and return
 * double precision (float48pl, float84mul, ...). Each function here follows
 * PostgreSQL's special-value rules (NaN and infinities in power, trig
 * functions rejecting infinite input, exp and ln saturation) so that
 * results and errors agree, not only the common cases.
 *
 * Invariants:
 *   1. No allocation: every result is by value (func_float.h invariant 1).
 *   2. Overflow/underflow errors as PostgreSQL (func_float.h invariant 3);
 *      22012 on division by zero unless the dividend is NaN.
 *   3. random() draws from the session's own seeded generator (setseed());
 *      no process-global state.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "common/clock.h"
#include "common/errcodes.h"
#include "sql/func_float.h"
#include "sql/sql_int.h"

#define F4(i) datum_get_float4(call->args[i])
#define F8(i) datum_get_float8(call->args[i])
#define RADIANS_PER_DEGREE 0.0174532925199432957692

int
float8_cmp(double a, double b)
{
    if (isnan(a))
        return isnan(b) ? 0 : 1;
    if (isnan(b))
        return -1;
    return (a > b) - (a < b);
}

static int
overflow(Err *err)
{
    return ERR_RAISE(err, ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, "value out of range: overflow");
}

static int
underflow(Err *err)
{
    return ERR_RAISE(err, ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, "value out of range: underflow");
}

static int
zero_divide(Err *err)
{
    return ERR_RAISE(err, ERRCODE_DIVISION_BY_ZERO, "division by zero");
}

/* The checked binary arithmetic of float.h (float8_pl, float8_mul, ...), in double. */
static int
arith8(char op, double a, double b, double *r, Err *err)
{
    switch (op) {
    case '+':
        *r = a + b;
        break;
    case '-':
        *r = a - b;
        break;
    case '*':
        *r = a * b;
        if (*r == 0.0 && a != 0.0 && b != 0.0)
            return underflow(err);
        break;
    default:
        if (b == 0.0 && !isnan(a))
            return zero_divide(err);
        *r = a / b;
        if (*r == 0.0 && a != 0.0 && !isinf(b))
            return underflow(err);
        if (isinf(*r) && !isinf(a))
            return overflow(err);
        return 0;
    }
    if (isinf(*r) && !isinf(a) && !isinf(b))
        return overflow(err);
    return 0;
}

/* The same in single precision (float4_pl, ...). */
static int
arith4(char op, float a, float b, float *r, Err *err)
{
    switch (op) {
    case '+':
        *r = a + b;
        break;
    case '-':
        *r = a - b;
        break;
    case '*':
        *r = a * b;
        if (*r == 0.0f && a != 0.0f && b != 0.0f)
            return underflow(err);
        break;
    default:
        if (b == 0.0f && !isnan(a))
            return zero_divide(err);
        *r = a / b;
        if (*r == 0.0f && a != 0.0f && !isinf(b))
            return underflow(err);
        if (isinf(*r) && !isinf(a))
            return overflow(err);
        return 0;
    }
    if (isinf(*r) && !isinf(a) && !isinf(b))
        return overflow(err);
    return 0;
}

/* An operand as double, whichever float width it has. */
static double
arg_double(const FnCall *call, int i)
{
    return call->argtypes[i] == TYPE_FLOAT4 ? (double)F4(i) : F8(i);
}

#define OP4(name, op)                                                                              \
    BUILTIN(name)                                                                                  \
    {                                                                                              \
        float r = 0;                                                                               \
        (void)isnull;                                                                              \
        if (arith4(op, F4(0), F4(1), &r, err) < 0)                                                 \
            return -1;                                                                             \
        *result = datum_from_float4(r);                                                            \
        return 0;                                                                                  \
    }
#define OP8(name, op)                                                                              \
    BUILTIN(name)                                                                                  \
    {                                                                                              \
        double r = 0;                                                                              \
        (void)isnull;                                                                              \
        if (arith8(op, arg_double(call, 0), arg_double(call, 1), &r, err) < 0)                     \
            return -1;                                                                             \
        *result = datum_from_float8(r);                                                            \
        return 0;                                                                                  \
    }

OP4(float4_pl, '+')
OP4(float4_mi, '-')
OP4(float4_mul, '*')
OP4(float4_div, '/')
OP8(float8_pl, '+')
OP8(float8_mi, '-')
OP8(float8_mul, '*')
OP8(float8_div, '/')
OP8(float48_pl, '+')
OP8(float48_mi, '-')
OP8(float48_mul, '*')
OP8(float48_div, '/')
OP8(float84_pl, '+')
OP8(float84_mi, '-')
OP8(float84_mul, '*')
OP8(float84_div, '/')

BUILTIN(float4_um)
{
    (void)isnull, (void)err;
    *result = datum_from_float4(-F4(0));
    return 0;
}

BUILTIN(float8_um)
{
    (void)isnull, (void)err;
    *result = datum_from_float8(-F8(0));
    return 0;
}

BUILTIN(float4_up)
{
    (void)isnull, (void)err;
    *result = call->args[0];
    return 0;
}

BUILTIN(float4_abs)
{
    (void)isnull, (void)err;
    *result = datum_from_float4(fabsf(F4(0)));
    return 0;
}

BUILTIN(float8_abs)
{
    (void)isnull, (void)err;
    *result = datum_from_float8(fabs(F8(0)));
    return 0;
}

#define CMP(name, op)                                                                              \
    BUILTIN(name)                                                                                  \
    {                                                                                              \
        (void)isnull, (void)err;                                                                   \
        *result = datum_from_bool(float8_cmp(arg_double(call, 0), arg_double(call, 1)) op 0);      \
        return 0;                                                                                  \
    }

CMP(float_eq, ==)
CMP(float_ne, !=)
CMP(float_lt, <)
CMP(float_le, <=)
CMP(float_gt, >)
CMP(float_ge, >=)

/* ---- casts ------------------------------------------------------------------------- */

BUILTIN(float4_to_float8)
{
    (void)isnull, (void)err;
    *result = datum_from_float8((double)F4(0));
    return 0;
}

BUILTIN(float8_to_float4)
{
    double v = F8(0);
    float r = (float)v;

    (void)isnull;
    if (isinf(r) && !isinf(v))
        return overflow(err);
    if (r == 0.0f && v != 0.0)
        return underflow(err);
    *result = datum_from_float4(r);
    return 0;
}

BUILTIN(int_to_float4)
{
    (void)isnull, (void)err;
    *result = datum_from_float4((float)datum_get_int64(call->args[0]));
    return 0;
}

/* ftoi2/ftoi4/ftoi8: round half to even, then the target range (bounds exact in float). */
static int
float4_to_int(const FnCall *call, double lo, double hi_excl, const char *msg, Datum *result,
              Err *err)
{
    float v = rintf(F4(0));

    if (isnan(v) || (double)v < lo || (double)v >= hi_excl)
        return ERR_RAISE(err, ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, "%s", msg);
    *result = datum_from_int64((int64_t)v);
    return 0;
}

BUILTIN(float4_to_int2)
{
    (void)isnull;
    return float4_to_int(call, -32768.0, 32768.0, "smallint out of range", result, err);
}

BUILTIN(float4_to_int4)
{
    (void)isnull;
    return float4_to_int(call, -2147483648.0, 2147483648.0, "integer out of range", result, err);
}

BUILTIN(float4_to_int8)
{
    (void)isnull;
    return float4_to_int(call, -9223372036854775808.0, 9223372036854775808.0, "bigint out of range",
                         result, err);
}

/* ---- math ---------------------------------------------------------------------------- */

#define RET8(v)                                                                                    \
    do {                                                                                           \
        *result = datum_from_float8(v);                                                            \
        return 0;                                                                                  \
    } while (0)

BUILTIN(float8_sqrt)
{
    double x = F8(0), r;

    (void)isnull;
    if (x < 0)
        return ERR_RAISE(err, ERRCODE_INVALID_ARGUMENT_FOR_POWER_FUNCTION,
                         "cannot take square root of a negative number");
    r = sqrt(x);
    if (r == 0.0 && x != 0.0)
        return underflow(err);
    RET8(r);
}

BUILTIN(float8_cbrt)
{
    (void)isnull, (void)err;
    RET8(cbrt(F8(0)));
}

BUILTIN(float8_exp)
{
    double x = F8(0), r;

    (void)isnull;
    if (isnan(x))
        RET8(x);
    if (isinf(x))
        RET8(x > 0 ? x : 0.0);
    errno = 0;
    r = exp(x);
    if (errno == ERANGE && r != 0.0)
        return overflow(err);
    if (isinf(r))
        return overflow(err);
    if (r == 0.0)
        return underflow(err);
    RET8(r);
}

static int
log_common(double x, double (*fn)(double), Datum *result, Err *err)
{
    double r;

    if (x == 0.0)
        return ERR_RAISE(err, ERRCODE_INVALID_ARGUMENT_FOR_LOG, "cannot take logarithm of zero");
    if (x < 0)
        return ERR_RAISE(err, ERRCODE_INVALID_ARGUMENT_FOR_LOG,
                         "cannot take logarithm of a negative number");
    r = fn(x);
    if (isinf(r) && !isinf(x))
        return overflow(err);
    if (r == 0.0 && x != 1.0)
        return underflow(err);
    RET8(r);
}

BUILTIN(float8_ln)
{
    (void)isnull;
    return log_common(F8(0), log, result, err);
}

BUILTIN(float8_log10)
{
    (void)isnull;
    return log_common(F8(0), log10, result, err);
}

/* pow() for an infinite operand, with POSIX's rules as PostgreSQL spells them out. */
static double
pow_inf(double x, double y)
{
    if (isinf(y)) {
        double ax = fabs(x);

        if (ax == 1.0)
            return 1.0;
        if (y > 0)
            return ax > 1.0 ? y : 0.0;
        return ax > 1.0 ? 0.0 : -y;
    }
    if (y == 0.0)
        return 1.0;
    if (x > 0)
        return y > 0 ? x : 0.0;
    if (floor(y / 2) != y / 2) /* odd integer y */
        return y > 0 ? x : -0.0;
    return y > 0 ? -x : 0.0;
}

BUILTIN(float8_pow)
{
    double x = F8(0), y = F8(1), r;

    (void)isnull;
    if (isnan(x))
        RET8(isnan(y) || y != 0.0 ? x : 1.0);
    if (isnan(y))
        RET8(x != 1.0 ? y : 1.0);
    if (x == 0.0 && y < 0)
        return ERR_RAISE(err, ERRCODE_INVALID_ARGUMENT_FOR_POWER_FUNCTION,
                         "zero raised to a negative power is undefined");
    if (x < 0 && floor(y) != y)
        return ERR_RAISE(err, ERRCODE_INVALID_ARGUMENT_FOR_POWER_FUNCTION,
                         "a negative number raised to a non-integer power yields a complex "
                         "result");
    if (isinf(x) || isinf(y))
        RET8(pow_inf(x, y));
    errno = 0;
    r = pow(x, y);
    if (errno == ERANGE && r != 0.0)
        return overflow(err);
    if (errno == ERANGE || (r == 0.0 && x != 0.0))
        return underflow(err);
    if (isinf(r))
        return overflow(err);
    RET8(r);
}

BUILTIN(float8_pi)
{
    (void)call, (void)isnull, (void)err;
    RET8(M_PI);
}

BUILTIN(float8_round)
{
    (void)isnull, (void)err;
    RET8(rint(F8(0)));
}

BUILTIN(float8_ceil)
{
    (void)isnull, (void)err;
    RET8(ceil(F8(0)));
}

BUILTIN(float8_floor)
{
    (void)isnull, (void)err;
    RET8(floor(F8(0)));
}

BUILTIN(float8_trunc)
{
    double x = F8(0);

    (void)isnull, (void)err;
    RET8(x >= 0 ? floor(x) : -floor(-x));
}

BUILTIN(float8_sign)
{
    double x = F8(0);

    (void)isnull, (void)err;
    RET8(x > 0 ? 1.0 : x < 0 ? -1.0 : 0.0);
}

BUILTIN(float8_degrees)
{
    double r;

    (void)isnull;
    if (arith8('/', F8(0), RADIANS_PER_DEGREE, &r, err) < 0)
        return -1;
    RET8(r);
}

BUILTIN(float8_radians)
{
    double r;

    (void)isnull;
    if (arith8('*', F8(0), RADIANS_PER_DEGREE, &r, err) < 0)
        return -1;
    RET8(r);
}

static int
input_out_of_range(Err *err)
{
    return ERR_RAISE(err, ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, "input is out of range");
}

/* sin, cos, tan, cot: NaN passes through, an infinite argument is out of range. */
static int
trig(double x, double (*fn)(double), bool invert, Datum *result, Err *err)
{
    double r;

    if (isnan(x))
        RET8(x);
    if (isinf(x))
        return input_out_of_range(err);
    r = fn(x);
    if (invert)
        r = 1.0 / r; /* cot(0) is Infinity, not an error */
    else if (isinf(r))
        return overflow(err);
    RET8(r);
}

BUILTIN(float8_sin)
{
    (void)isnull;
    return trig(F8(0), sin, false, result, err);
}

BUILTIN(float8_cos)
{
    (void)isnull;
    return trig(F8(0), cos, false, result, err);
}

BUILTIN(float8_tan)
{
    (void)isnull;
    return trig(F8(0), tan, false, result, err);
}

BUILTIN(float8_cot)
{
    (void)isnull;
    return trig(F8(0), tan, true, result, err);
}

static int
arc(double x, double (*fn)(double), Datum *result, Err *err)
{
    if (isnan(x))
        RET8(x);
    if (x < -1.0 || x > 1.0)
        return input_out_of_range(err);
    RET8(fn(x));
}

BUILTIN(float8_asin)
{
    (void)isnull;
    return arc(F8(0), asin, result, err);
}

BUILTIN(float8_acos)
{
    (void)isnull;
    return arc(F8(0), acos, result, err);
}

BUILTIN(float8_atan)
{
    (void)isnull, (void)err;
    RET8(atan(F8(0)));
}

BUILTIN(float8_atan2)
{
    (void)isnull, (void)err;
    RET8(atan2(F8(0), F8(1)));
}

BUILTIN(float8_sinh)
{
    double x = F8(0), r;

    (void)isnull, (void)err;
    errno = 0;
    r = sinh(x);
    if (errno == ERANGE)
        r = x < 0 ? -INFINITY : INFINITY;
    RET8(r);
}

BUILTIN(float8_cosh)
{
    double r;

    (void)isnull, (void)err;
    errno = 0;
    r = cosh(F8(0));
    if (errno == ERANGE)
        r = INFINITY;
    RET8(r);
}

BUILTIN(float8_tanh)
{
    (void)isnull, (void)err;
    RET8(tanh(F8(0)));
}

/* ---- random ---------------------------------------------------------------------------- */

/* Without a session (unit tests of bare expressions), each thread has its own generator. */
static Rng *
call_rng(const FnCall *call)
{
    static _Thread_local Rng local;
    static _Thread_local bool seeded;

    if (call->ctx->session != NULL)
        return session_rng(call->ctx->session);
    if (!seeded) {
        rng_seed(&local, rng_os_seed());
        seeded = true;
    }
    return &local;
}

BUILTIN(fn_random)
{
    (void)isnull, (void)err;
    RET8(rng_double(call_rng(call)));
}

BUILTIN(fn_setseed)
{
    double seed = F8(0);

    (void)isnull;
    if (seed < -1 || seed > 1 || isnan(seed))
        return ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE,
                         "setseed parameter %g is out of allowed range [-1,1]", seed);
    /* the same seed always gives the same sequence, as setseed() promises */
    rng_seed(call_rng(call), (uint64_t)(int64_t)(seed * 9007199254740991.0));
    *result = 0;
    return 0;
}

/* ---- numeric ⇄ real ----------------------------------------------------------------------- */

/* numeric_float4(): the numeric's text through float4in, so rounding is decimal → float once. */
BUILTIN(numeric_to_float4)
{
    const TypeInfo *n = type_by_oid(TYPE_NUMERIC);
    char *s;

    (void)isnull;
    s = type_output_cstr(n, call->args[0], -1, call->ctx->io, call->ctx->arena);
    return float4_in(s, strlen(s), -1, call->ctx->io, call->ctx->arena, result, err);
}

/* float4_numeric(): FLT_DIG = 6 significant digits, then numeric input. */
BUILTIN(float4_to_numeric)
{
    const TypeInfo *n = type_by_oid(TYPE_NUMERIC);
    float v = F4(0);
    char tmp[64];

    (void)isnull;
    if (isnan(v))
        snprintf(tmp, sizeof tmp, "NaN");
    else if (isinf(v))
        snprintf(tmp, sizeof tmp, "%s", v < 0 ? "-Infinity" : "Infinity");
    else
        snprintf(tmp, sizeof tmp, "%.*g", 6, (double)v);
    return n->in(tmp, strlen(tmp), -1, call->ctx->io, call->ctx->arena, result, err);
}

/* ---- trigonometry in degrees ------------------------------------------------------------------
 */

/*
 * sind/cosd/tand/cotd/asind/acosd/atand/atan2d as PostgreSQL computes them: the argument is
 * folded into the first quadrant and the result scaled by the function's own value at 30, 45
 * or 60 degrees, so that exact angles give exact results (sind(30) = 0.5, tand(45) = 1).
 */
static double
sin_30(void)
{
    return sin(RADIANS_PER_DEGREE * 30.0);
}

static double
one_minus_cos_60(void)
{
    return 1.0 - cos(RADIANS_PER_DEGREE * 60.0);
}

static double
sind_0_to_30(double x)
{
    return (sin(x * RADIANS_PER_DEGREE) / sin_30()) / 2.0;
}

static double
cosd_0_to_60(double x)
{
    return 1.0 - ((1.0 - cos(x * RADIANS_PER_DEGREE)) / one_minus_cos_60()) / 2.0;
}

static double
sind_q1(double x)
{
    return x <= 30.0 ? sind_0_to_30(x) : cosd_0_to_60(90.0 - x);
}

static double
cosd_q1(double x)
{
    return x <= 60.0 ? cosd_0_to_60(x) : sind_0_to_30(90.0 - x);
}

static double
asind_q1(double x)
{
    if (x <= 0.5)
        return (asin(x) / asin(0.5)) * 30.0;
    return 90.0 - (acos(x) / acos(0.5)) * 60.0;
}

static double
acosd_q1(double x)
{
    if (x <= 0.5)
        return 90.0 - (asin(x) / asin(0.5)) * 30.0;
    return (acos(x) / acos(0.5)) * 60.0;
}

enum { DEG_SIN, DEG_COS, DEG_TAN, DEG_COT };

static int
trig_degrees(double x, int fn, Datum *result, Err *err)
{
    double sign = 1.0, r;

    if (isnan(x))
        RET8(x);
    if (isinf(x))
        return input_out_of_range(err);
    x = fmod(x, 360.0);
    if (fn == DEG_COS) {
        if (x < 0.0)
            x = -x;
        if (x > 180.0)
            x = 360.0 - x;
        if (x > 90.0) {
            x = 180.0 - x;
            sign = -sign;
        }
        RET8(sign * cosd_q1(x));
    }
    if (x < 0.0) {
        x = -x;
        sign = -sign;
    }
    if (x > 180.0) {
        if (fn == DEG_SIN)
            x -= 180.0;
        else
            x = 360.0 - x;
        sign = -sign;
    }
    if (x > 90.0) {
        x = 180.0 - x;
        if (fn != DEG_SIN)
            sign = -sign;
    }
    if (fn == DEG_SIN)
        RET8(sign * sind_q1(x));
    if (fn == DEG_TAN)
        r = sign * ((sind_q1(x) / cosd_q1(x)) / (sind_q1(45.0) / cosd_q1(45.0)));
    else
        r = sign * ((cosd_q1(x) / sind_q1(x)) / (cosd_q1(45.0) / sind_q1(45.0)));
    RET8(r == 0.0 ? 0.0 : r); /* no -0 */
}

BUILTIN(float8_sind)
{
    (void)isnull;
    return trig_degrees(F8(0), DEG_SIN, result, err);
}

BUILTIN(float8_cosd)
{
    (void)isnull;
    return trig_degrees(F8(0), DEG_COS, result, err);
}

BUILTIN(float8_tand)
{
    (void)isnull;
    return trig_degrees(F8(0), DEG_TAN, result, err);
}

BUILTIN(float8_cotd)
{
    (void)isnull;
    return trig_degrees(F8(0), DEG_COT, result, err);
}

BUILTIN(float8_asind)
{
    double x = F8(0);

    (void)isnull;
    if (isnan(x))
        RET8(x);
    if (x < -1.0 || x > 1.0)
        return input_out_of_range(err);
    RET8(x >= 0.0 ? asind_q1(x) : -asind_q1(-x));
}

BUILTIN(float8_acosd)
{
    double x = F8(0);

    (void)isnull;
    if (isnan(x))
        RET8(x);
    if (x < -1.0 || x > 1.0)
        return input_out_of_range(err);
    RET8(x >= 0.0 ? acosd_q1(x) : 90.0 + asind_q1(-x));
}

BUILTIN(float8_atand)
{
    double x = F8(0);

    (void)isnull, (void)err;
    if (isnan(x))
        RET8(x);
    RET8((atan(x) / atan(1.0)) * 45.0);
}

BUILTIN(float8_atan2d)
{
    double y = F8(0), x = F8(1);

    (void)isnull, (void)err;
    if (isnan(y) || isnan(x))
        RET8(NAN);
    RET8((atan2(y, x) / atan(1.0)) * 45.0);
}

/* ---- inverse hyperbolic ------------------------------------------------------------------------
 */

BUILTIN(float8_asinh)
{
    (void)isnull, (void)err;
    RET8(asinh(F8(0)));
}

BUILTIN(float8_acosh)
{
    double x = F8(0);

    (void)isnull;
    if (x < 1.0) /* NaN passes: the comparison is false */
        return input_out_of_range(err);
    RET8(acosh(x));
}

BUILTIN(float8_atanh)
{
    double x = F8(0);

    (void)isnull;
    if (x < -1.0 || x > 1.0)
        return input_out_of_range(err);
    if (x == -1.0)
        RET8(-INFINITY);
    if (x == 1.0)
        RET8(INFINITY);
    RET8(atanh(x));
}

/* ---- gcd / lcm over integers ------------------------------------------------------------------
 */

static uint64_t
gcd_u64(uint64_t a, uint64_t b)
{
    while (b != 0) {
        uint64_t t = a % b;

        a = b;
        b = t;
    }
    return a;
}

static uint64_t
abs_u64(int64_t v)
{
    return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
}

/* gcd/lcm for int4 (max = INT32_MAX) and int8 (max = INT64_MAX), as int4gcd ... int8lcm. */
static int
gcd_lcm(const FnCall *call, bool lcm, uint64_t max, const char *msg, Datum *result, Err *err)
{
    int64_t a = datum_get_int64(call->args[0]), b = datum_get_int64(call->args[1]);
    uint64_t g = gcd_u64(abs_u64(a), abs_u64(b)), r;

    if (!lcm) {
        if (g > max)
            return ERR_RAISE(err, ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, "%s", msg);
        *result = datum_from_int64((int64_t)g);
        return 0;
    }
    if (a == 0 || b == 0) {
        *result = datum_from_int64(0);
        return 0;
    }
    if (g > max || __builtin_mul_overflow(abs_u64(a) / g, abs_u64(b), &r) || r > max)
        return ERR_RAISE(err, ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, "%s", msg);
    *result = datum_from_int64((int64_t)r);
    return 0;
}

BUILTIN(int4_gcd)
{
    (void)isnull;
    return gcd_lcm(call, false, INT32_MAX, "integer out of range", result, err);
}

BUILTIN(int8_gcd)
{
    (void)isnull;
    return gcd_lcm(call, false, INT64_MAX, "bigint out of range", result, err);
}

BUILTIN(int4_lcm)
{
    (void)isnull;
    return gcd_lcm(call, true, INT32_MAX, "integer out of range", result, err);
}

BUILTIN(int8_lcm)
{
    (void)isnull;
    return gcd_lcm(call, true, INT64_MAX, "bigint out of range", result, err);
}

/* ---- width_bucket ------------------------------------------------------------------------------
 */

static int
bucket_error(Err *err, const char *msg)
{
    return ERR_RAISE(err, ERRCODE_INVALID_ARGUMENT_FOR_WIDTH_BUCKET_FUNCTION, "%s", msg);
}

/*
 * Which of count equal-width buckets x falls in, 1-based, from its distance to the bucket
 * start: PostgreSQL 15's formula count * distance / width + 1, truncated. A quotient that
 * overflows (a range wider than the largest double) converts as x86's cvttsd2si does, to
 * INT32_MIN, which is what PostgreSQL returns there.
 */
static int32_t
bucket_of(double distance, double width, int32_t count)
{
    double r = ((double)count * distance / width) + 1;

    if (isnan(r) || r < -2147483648.0 || r >= 2147483648.0)
        return INT32_MIN;
    return (int32_t)r;
}

/* width_bucket(operand, bound1, bound2, count) over double precision, as width_bucket_float8. */
BUILTIN(float8_width_bucket)
{
    double x = F8(0), b1 = F8(1), b2 = F8(2);
    int32_t count = datum_get_int32(call->args[3]), r;

    (void)isnull;
    if (count <= 0)
        return bucket_error(err, "count must be greater than zero");
    if (isnan(x) || isnan(b1) || isnan(b2))
        return bucket_error(err, "operand, lower bound, and upper bound cannot be NaN");
    if (isinf(b1) || isinf(b2))
        return bucket_error(err, "lower and upper bounds must be finite");
    if (b1 == b2)
        return bucket_error(err, "lower bound cannot equal upper bound");
    if (b1 < b2) {
        if (x < b1)
            r = 0;
        else if (x >= b2) {
            if (count == INT32_MAX)
                return ERR_RAISE(err, ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, "integer out of range");
            r = count + 1;
        } else
            r = bucket_of(x - b1, b2 - b1, count);
    } else {
        if (x > b1)
            r = 0;
        else if (x <= b2) {
            if (count == INT32_MAX)
                return ERR_RAISE(err, ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, "integer out of range");
            r = count + 1;
        } else
            r = bucket_of(b1 - x, b1 - b2, count);
    }
    *result = datum_from_int32(r);
    return 0;
}
