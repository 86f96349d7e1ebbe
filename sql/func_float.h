/*
 * sql/func_float.h — real (float4) and double precision (float8): the
 * float4 representation and I/O, the arithmetic, comparison and cast
 * built-ins of both widths, and PostgreSQL's float8 math functions
 * (sqrt, exp, ln, power, trig, round ..., random/setseed).
 *
 * Pipeline position: the implementations behind sql/cat_string.c's float
 * entries; evaluated by sql/expr.c.
 *
 * Invariants:
 *   1. A float4 Datum holds the IEEE-754 single bits in its low 32 bits
 *      (upper bits zero), so equal floats have equal words; never a
 *      by-reference value, never an allocation.
 *   2. Comparisons follow PostgreSQL's float8_cmp_internal: NaN equals NaN
 *      and sorts above every other value, -0 equals +0.
 *   3. Arithmetic raises 22003 "value out of range: overflow" / "underflow"
 *      exactly where PostgreSQL's float_overflow_error/float_underflow_error
 *      do (an infinite result from finite inputs, a zero from non-zero ones).
 */
#ifndef RIVULET_SQL_FUNC_FLOAT_H
#define RIVULET_SQL_FUNC_FLOAT_H

#include <string.h>

#include "sql/builtins.h"

static inline Datum
datum_from_float4(float v)
{
    uint32_t bits;

    memcpy(&bits, &v, sizeof bits);
    return (Datum)bits;
}

static inline float
datum_get_float4(Datum d)
{
    uint32_t bits = (uint32_t)d;
    float v;

    memcpy(&v, &bits, sizeof v);
    return v;
}

/* PostgreSQL's float8 total order (invariant 2): <0, 0, >0. */
int float8_cmp(double a, double b);

/* sql/types_float4.c — I/O of real */
int float4_in(const char *s, size_t len, int32_t typmod, const TypeIoCtx *io, Arena *a, Datum *out,
              Err *err);
void float4_out(Datum d, int32_t typmod, const TypeIoCtx *io, Buf *out);
int float4_recv(const uint8_t *p, size_t len, int32_t typmod, Arena *a, Datum *out, Err *err);
void float4_send(Datum d, int32_t typmod, Buf *out);

/* sql/func_float.c — arithmetic: the 4/8 suffixes name the operand types, result as PostgreSQL */
BUILTIN(float4_pl);
BUILTIN(float4_mi);
BUILTIN(float4_mul);
BUILTIN(float4_div);
BUILTIN(float8_pl);
BUILTIN(float8_mi);
BUILTIN(float8_mul);
BUILTIN(float8_div);
BUILTIN(float48_pl);
BUILTIN(float48_mi);
BUILTIN(float48_mul);
BUILTIN(float48_div);
BUILTIN(float84_pl);
BUILTIN(float84_mi);
BUILTIN(float84_mul);
BUILTIN(float84_div);
BUILTIN(float4_um);
BUILTIN(float8_um);
BUILTIN(float4_up);
BUILTIN(float4_abs);
BUILTIN(float8_abs);
/* comparisons: one per operator, over any float4/float8 operand pair (argtypes decide) */
BUILTIN(float_eq);
BUILTIN(float_ne);
BUILTIN(float_lt);
BUILTIN(float_le);
BUILTIN(float_gt);
BUILTIN(float_ge);
/* casts */
BUILTIN(float4_to_float8);
BUILTIN(float8_to_float4);
BUILTIN(int_to_float4);
BUILTIN(float4_to_int2);
BUILTIN(float4_to_int4);
BUILTIN(float4_to_int8);
BUILTIN(numeric_to_float4);
BUILTIN(float4_to_numeric);
/* math on double precision */
BUILTIN(float8_sqrt);
BUILTIN(float8_cbrt);
BUILTIN(float8_exp);
BUILTIN(float8_ln);
BUILTIN(float8_log10);
BUILTIN(float8_pow);
BUILTIN(float8_pi);
BUILTIN(float8_round);
BUILTIN(float8_ceil);
BUILTIN(float8_floor);
BUILTIN(float8_trunc);
BUILTIN(float8_sign);
BUILTIN(float8_degrees);
BUILTIN(float8_radians);
BUILTIN(float8_sin);
BUILTIN(float8_cos);
BUILTIN(float8_tan);
BUILTIN(float8_cot);
BUILTIN(float8_asin);
BUILTIN(float8_acos);
BUILTIN(float8_atan);
BUILTIN(float8_atan2);
BUILTIN(float8_sinh);
BUILTIN(float8_cosh);
BUILTIN(float8_tanh);
BUILTIN(float8_sind);
BUILTIN(float8_cosd);
BUILTIN(float8_tand);
BUILTIN(float8_cotd);
BUILTIN(float8_asind);
BUILTIN(float8_acosd);
BUILTIN(float8_atand);
BUILTIN(float8_atan2d);
BUILTIN(float8_asinh);
BUILTIN(float8_acosh);
BUILTIN(float8_atanh);
BUILTIN(int4_gcd);
BUILTIN(int8_gcd);
BUILTIN(int4_lcm);
BUILTIN(int8_lcm);
BUILTIN(float8_width_bucket);
BUILTIN(fn_random);
BUILTIN(fn_setseed);

#endif
