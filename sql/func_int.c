/*
 * sql/func_int.c — built-ins over smallint, integer, bigint and boolean:
 * arithmetic with PostgreSQL's overflow errors, comparisons, bitwise
 * operators, and the casts between these types (and double precision).
 *
 * Arguments arrive sign-extended to 64 bits (datum.h, invariant 1), so
 * int2/int4 arithmetic is computed exactly in int64 and then checked against
 * the result type's range; int8 arithmetic uses the compiler's overflow
 * builtins.
 *
 * Invariants:
 *   1. Overflow raises 22003 with PostgreSQL's message for the result type:
 *      "smallint out of range", "integer out of range", "bigint out of range".
 *   2. Division and modulo by zero raise 22012 "division by zero"; x % -1 is
 *      0 for every x (PostgreSQL avoids the INT_MIN % -1 trap the same way).
 *   3. No undefined behaviour on any input (checked under UBSan).
 */
#include <math.h>

#include "sql/builtins.h"

#define ARG(i) datum_get_int64(call->args[i])

static const char *const RANGE_MSG[] = {"smallint out of range", "integer out of range",
                                        "bigint out of range"};

enum { W2, W4, W8 };

static int
fit(int64_t v, int width, Datum *result, Err *err)
{
    if ((width == W2 && (v < INT16_MIN || v > INT16_MAX)) ||
        (width == W4 && (v < INT32_MIN || v > INT32_MAX)))
        return ERR_RAISE(err, ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, "%s", RANGE_MSG[width]);
    *result = datum_from_int64(v);
    return 0;
}

static int
arith(const FnCall *call, char op, int width, Datum *result, Err *err)
{
    int64_t a = ARG(0), b = ARG(1), r = 0;
    bool overflow = false;

    switch (op) {
    case '+':
        overflow = __builtin_add_overflow(a, b, &r);
        break;
    case '-':
        overflow = __builtin_sub_overflow(a, b, &r);
        break;
    case '*':
        overflow = __builtin_mul_overflow(a, b, &r);
        break;
    case '/':
        if (b == 0)
            return ERR_RAISE(err, ERRCODE_DIVISION_BY_ZERO, "division by zero");
        if (b == -1) /* -INT64_MIN overflows; smaller widths are caught by fit() */
            overflow = __builtin_sub_overflow((int64_t)0, a, &r);
        else
            r = a / b;
        break;
    }
    if (overflow)
        return ERR_RAISE(err, ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, "%s", RANGE_MSG[width]);
    return fit(r, width, result, err);
}

#define ARITH_FN(fname, op, width)                                                                 \
    BUILTIN(fname)                                                                                 \
    {                                                                                              \
        (void)isnull;                                                                              \
        return arith(call, op, width, result, err);                                                \
    }

ARITH_FN(int2_pl, '+', W2)
ARITH_FN(int4_pl, '+', W4)
ARITH_FN(int8_pl, '+', W8)
ARITH_FN(int2_mi, '-', W2)
ARITH_FN(int4_mi, '-', W4)
ARITH_FN(int8_mi, '-', W8)
ARITH_FN(int2_mul, '*', W2)
ARITH_FN(int4_mul, '*', W4)
ARITH_FN(int8_mul, '*', W8)
ARITH_FN(int2_div, '/', W2)
ARITH_FN(int4_div, '/', W4)
ARITH_FN(int8_div, '/', W8)

BUILTIN(int_mod)
{
    int64_t b = ARG(1);

    (void)isnull;
    if (b == 0)
        return ERR_RAISE(err, ERRCODE_DIVISION_BY_ZERO, "division by zero");
    *result = datum_from_int64(b == -1 ? 0 : ARG(0) % b);
    return 0;
}

static int
negate(const FnCall *call, int width, Datum *result, Err *err)
{
    int64_t r;

    if (__builtin_sub_overflow((int64_t)0, ARG(0), &r))
        return ERR_RAISE(err, ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, "%s", RANGE_MSG[width]);
    return fit(r, width, result, err);
}

static int
absolute(const FnCall *call, int width, Datum *result, Err *err)
{
    return ARG(0) < 0 ? negate(call, width, result, err) : fit(ARG(0), width, result, err);
}

#define UNARY_FN(fname, impl, width)                                                               \
    BUILTIN(fname)                                                                                 \
    {                                                                                              \
        (void)isnull;                                                                              \
        return impl(call, width, result, err);                                                     \
    }

UNARY_FN(int2_um, negate, W2)
UNARY_FN(int4_um, negate, W4)
UNARY_FN(int8_um, negate, W8)
UNARY_FN(int2_abs, absolute, W2)
UNARY_FN(int4_abs, absolute, W4)
UNARY_FN(int8_abs, absolute, W8)

BUILTIN(int_up)
{
    (void)isnull, (void)err;
    *result = call->args[0];
    return 0;
}

/* Bitwise results of sign-extended operands are sign-extended results of the same width. */
#define BITWISE_FN(fname, expr)                                                                    \
    BUILTIN(fname)                                                                                 \
    {                                                                                              \
        (void)isnull, (void)err;                                                                   \
        *result = datum_from_int64(expr);                                                          \
        return 0;                                                                                  \
    }

BITWISE_FN(int_and, ARG(0) & ARG(1))
BITWISE_FN(int_or, ARG(0) | ARG(1))
BITWISE_FN(int_xor, ARG(0) ^ ARG(1))
BITWISE_FN(int_not, ~ARG(0))
/* Shifts: the count is an int4 taken modulo the width, as the C shift on x86 that PostgreSQL uses.
 */
BITWISE_FN(int2_shl, (int16_t)(uint16_t)((uint32_t)ARG(0) << (ARG(1) & 31)))
BITWISE_FN(int4_shl, (int32_t)((uint32_t)ARG(0) << (ARG(1) & 31)))
BITWISE_FN(int8_shl, (int64_t)((uint64_t)ARG(0) << (ARG(1) & 63)))
BITWISE_FN(int4_shr, ARG(0) >> (ARG(1) & 31))
BITWISE_FN(int8_shr, ARG(0) >> (ARG(1) & 63))

#define CMP_FN(fname, get, op)                                                                     \
    BUILTIN(fname)                                                                                 \
    {                                                                                              \
        (void)isnull, (void)err;                                                                   \
        *result = datum_from_bool(get(call->args[0]) op get(call->args[1]));                       \
        return 0;                                                                                  \
    }

CMP_FN(int_eq, datum_get_int64, ==)
CMP_FN(int_ne, datum_get_int64, !=)
CMP_FN(int_lt, datum_get_int64, <)
CMP_FN(int_le, datum_get_int64, <=)
CMP_FN(int_gt, datum_get_int64, >)
CMP_FN(int_ge, datum_get_int64, >=)
CMP_FN(bool_eq, datum_get_bool, ==)
CMP_FN(bool_ne, datum_get_bool, !=)
CMP_FN(bool_lt, datum_get_bool, <)
CMP_FN(bool_le, datum_get_bool, <=)
CMP_FN(bool_gt, datum_get_bool, >)
CMP_FN(bool_ge, datum_get_bool, >=)

/* ---- casts ------------------------------------------------------------------- */

BUILTIN(int_to_int2)
{
    (void)isnull;
    return fit(ARG(0), W2, result, err);
}

BUILTIN(int_to_int4)
{
    (void)isnull;
    return fit(ARG(0), W4, result, err);
}

BUILTIN(int_to_float8)
{
    (void)isnull, (void)err;
    *result = datum_from_float8((double)ARG(0));
    return 0;
}

/* PostgreSQL's dtoi2/dtoi4/dtoi8: round half to even (rint), then range-check. */
static int
float_to_int(const FnCall *call, int width, Datum *result, Err *err)
{
    double v = rint(datum_get_float8(call->args[0]));

    /* -2^63 is exact in a double; 2^63 is the first value out of range */
    if (isnan(v) || v < -9223372036854775808.0 || v >= 9223372036854775808.0)
        return ERR_RAISE(err, ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, "%s", RANGE_MSG[width]);
    return fit((int64_t)v, width, result, err);
}

UNARY_FN(float8_to_int2, float_to_int, W2)
UNARY_FN(float8_to_int4, float_to_int, W4)
UNARY_FN(float8_to_int8, float_to_int, W8)

BUILTIN(int4_to_bool)
{
    (void)isnull, (void)err;
    *result = datum_from_bool(ARG(0) != 0);
    return 0;
}

BUILTIN(bool_to_int4)
{
    (void)isnull, (void)err;
    *result = datum_from_int32(datum_get_bool(call->args[0]) ? 1 : 0);
    return 0;
}
