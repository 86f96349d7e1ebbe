/*
 * sql/numeric.h — PostgreSQL's arbitrary-precision `numeric` type: the
 * representation and the arithmetic core (sql/numeric.c), text and binary
 * I/O (sql/types_numeric.c). SQL-callable wrappers are in sql/func_numeric.c.
 *
 * Representation. A numeric Datum is by reference (sql/datum.h): a pointer
 * to a VarData whose bytes are, in host byte order,
 *
 *     uint16 sign      NUMERIC_POS 0x0000, NUMERIC_NEG 0x4000, NUMERIC_NAN 0xC000,
 *                      NUMERIC_PINF 0xD000, NUMERIC_NINF 0xF000 (PostgreSQL's wire codes)
 *     int16  weight    base-10000 exponent of the first digit
 *     uint16 dscale    display scale: decimal digits shown after the point
 *     uint16 ndigits   number of base-10000 digits that follow
 *     int16  digits[ndigits]   each 0..9999, most significant first
 *
 * value = sign * sum(digits[i] * 10000^(weight - i)). This is PostgreSQL's
 * binary wire format field for field (there big-endian, and ndigits first),
 * so numeric_send/recv are a byte swap.
 *
 * Canonical form (invariant, produced by every function here): no leading
 * or trailing zero digits; zero has ndigits 0, weight 0, sign POS; NaN and
 * the infinities have ndigits 0, weight 0, dscale 0. Hence two numerics are
 * equal iff their bytes are equal after ignoring dscale (1.0 = 1.00):
 * numeric_hash() hashes everything but dscale.
 *
 * Ordering (numeric_cmp): -Infinity < finite values < Infinity < NaN, and
 * NaN = NaN, as PostgreSQL's btree order.
 *
 * Memory: every function producing a numeric allocates it in the Arena it is
 * given (a few dozen bytes for ordinary values); nothing else allocates
 * except internal scratch space, also taken from that arena. Errors carry
 * PostgreSQL's SQLSTATE and wording (22003 overflow, 22012 division by zero,
 * 22P02 bad input, 2201E/2201F for ln/power domain errors).
 *
 * Invariants:
 *   1. Every numeric Datum produced here is canonical (see above).
 *   2. Results of + - * and of division use PostgreSQL's result display
 *      scales (max of dscales; sum of dscales; select_div_scale), so output
 *      text is byte-for-byte PostgreSQL's.
 *   3. Functions never read a Datum of another type; NULL never reaches them.
 */
#ifndef RIVULET_SQL_NUMERIC_H
#define RIVULET_SQL_NUMERIC_H

#include <stdbool.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/buf.h"
#include "common/err.h"
#include "sql/datum.h"

#define NUMERIC_POS 0x0000
#define NUMERIC_NEG 0x4000
#define NUMERIC_NAN 0xC000
#define NUMERIC_PINF 0xD000
#define NUMERIC_NINF 0xF000

#define NUMERIC_NBASE 10000
#define NUMERIC_DEC_DIGITS 4
/* numeric(p,s) limits of PostgreSQL 15: 1 <= p <= 1000, -1000 <= s <= 1000 */
#define NUMERIC_MAX_PRECISION 1000
#define NUMERIC_MIN_SCALE (-1000)
#define NUMERIC_MAX_SCALE 1000
/* the largest display scale a computed result gets */
#define NUMERIC_MAX_DISPLAY_SCALE 1000
/* significant digits PostgreSQL aims for in results of /, sqrt, ln, exp ... */
#define NUMERIC_MIN_SIG_DIGITS 16
/* digits before the point the input accepts (PostgreSQL: 131072) */
#define NUMERIC_MAX_WEIGHT_DIGITS 131072

/* The header of the bytes of a numeric VarData (digits follow it). */
typedef struct NumericHdr {
    uint16_t sign;
    int16_t weight;
    uint16_t dscale;
    uint16_t ndigits;
} NumericHdr;

static inline const NumericHdr *
numeric_hdr(Datum d)
{
    return (const NumericHdr *)(const void *)datum_get_var(d)->data;
}

static inline const int16_t *
numeric_digits(Datum d)
{
    return (const int16_t *)(const void *)(datum_get_var(d)->data + sizeof(NumericHdr));
}

static inline bool
numeric_is_nan(Datum d)
{
    return numeric_hdr(d)->sign == NUMERIC_NAN;
}

/* True for +Infinity and -Infinity. */
static inline bool
numeric_is_inf(Datum d)
{
    uint16_t s = numeric_hdr(d)->sign;

    return s == NUMERIC_PINF || s == NUMERIC_NINF;
}

/* NaN or an infinity. */
static inline bool
numeric_is_special(Datum d)
{
    return numeric_hdr(d)->sign >= NUMERIC_NAN;
}

/* -1, 0 or 1 (NaN: 0; infinities: ±1). */
int numeric_sign(Datum d);

/* ---- constructors and conversions ----------------------------------------- */

Datum numeric_from_int64(Arena *a, int64_t v);
Datum numeric_from_int128(Arena *a, __int128 v);
/* v * 10^-scale, e.g. (12345, 2) → 123.45 with dscale 2; scale >= 0. */
Datum numeric_from_scaled_int64(Arena *a, int64_t v, int scale);
/* NaN, +Infinity, -Infinity. */
Datum numeric_nan(Arena *a);
Datum numeric_inf(Arena *a, bool negative);
/*
 * float8 → numeric as PostgreSQL: NaN and ±Infinity map to themselves; a
 * finite value is rounded to 15 significant digits (DBL_DIG), as
 * float8_numeric's "%.*g" does. Never fails.
 */
Datum numeric_from_double(Arena *a, double v);
/*
 * Text → numeric (numeric_in without typmod): surrounding whitespace,
 * sign, digits with optional point, exponent e±n, NaN / [+-]Infinity / inf
 * in any case. 22P02 `invalid input syntax for type numeric: "s"`, 22003
 * `value overflows numeric format` for exponents out of range.
 */
int numeric_parse(Arena *a, const char *s, size_t len, Datum *out, Err *err);
/* Appends numeric_out's text form: "1.50", "-0.001", "NaN", "Infinity", "-Infinity". */
void numeric_format(Datum d, Buf *out);
/* Same as a NUL-terminated string in a. */
char *numeric_to_cstr(Arena *a, Datum d);
/* numeric_out_sci: d.ddde±xx with scale digits after the point (for to_char/EEEE). */
void numeric_format_sci(Datum d, int scale, Buf *out);
/*
 * numeric → integer, rounding half away from zero, as numeric_int8/4/2.
 * min/max give the target range, type_name its SQL name for messages:
 * 22003 "bigint out of range" / "integer out of range" / "smallint out of
 * range"; 0A000 "cannot convert NaN to bigint", "cannot convert infinity
 * to bigint".
 */
int numeric_to_int(Datum d, int64_t min, int64_t max, const char *type_name, int64_t *out,
                   Err *err);
/* numeric_int8 (range of int64). */
int numeric_to_int64(Datum d, int64_t *out, Err *err);
/* Exact value if it fits an int128 and has no fractional part; false otherwise. */
bool numeric_to_int128_exact(Datum d, __int128 *out);
/* numeric → float8 as PostgreSQL (strtod of the text form; NaN, ±Inf kept; overflow 22003). */
int numeric_to_double(Datum d, double *out, Err *err);
/* Same without the overflow check (huge values become ±Inf). */
double numeric_to_double_noerr(Datum d);

/* ---- comparison and hashing ---------------------------------------------- */

/* <0, 0, >0 in PostgreSQL's total order (NaN greatest, NaN = NaN). */
int numeric_cmp(Datum a, Datum b);
/* Equal values (by numeric_cmp) hash equally, whatever their dscale. */
uint64_t numeric_hash(Datum d);
/* The display scale (numeric's `scale()`), -1 for NaN/Inf. */
int numeric_dscale(Datum d);

/* ---- arithmetic: results in a; 0 ok, -1 with err filled ---------------- */

int numeric_add(Arena *a, Datum x, Datum y, Datum *out, Err *err);
int numeric_sub(Arena *a, Datum x, Datum y, Datum *out, Err *err);
int numeric_mul(Arena *a, Datum x, Datum y, Datum *out, Err *err);
/* x / y with PostgreSQL's select_div_scale result scale; 22012 "division by zero". */
int numeric_div(Arena *a, Datum x, Datum y, Datum *out, Err *err);
/* Truncated integer quotient (div(x, y)), dscale 0. */
int numeric_div_trunc(Arena *a, Datum x, Datum y, Datum *out, Err *err);
/* x % y: sign of x, scale max(dscales). */
int numeric_mod(Arena *a, Datum x, Datum y, Datum *out, Err *err);
/*
 * avg: sum / count with numeric division's result scale (what PostgreSQL's
 * avg(int*), avg(numeric) compute). count > 0.
 */
int numeric_div_int64(Arena *a, Datum sum, int64_t count, Datum *out, Err *err);
int numeric_neg(Arena *a, Datum x, Datum *out);
int numeric_abs(Arena *a, Datum x, Datum *out);
/* sqrt with PostgreSQL's result scale; 2201F for negative input. */
int numeric_sqrt(Arena *a, Datum x, Datum *out, Err *err);
/* round(x, scale), trunc(x, scale): scale may be negative; result dscale max(scale, 0). */
int numeric_round(Arena *a, Datum x, int scale, Datum *out, Err *err);
int numeric_trunc(Arena *a, Datum x, int scale, Datum *out, Err *err);
int numeric_ceil(Arena *a, Datum x, Datum *out, Err *err);
int numeric_floor(Arena *a, Datum x, Datum *out, Err *err);
/* exp, ln, log10, log(b, x), power(x, y) with PostgreSQL's result scales. */
int numeric_exp(Arena *a, Datum x, Datum *out, Err *err);
int numeric_ln(Arena *a, Datum x, Datum *out, Err *err);
int numeric_log(Arena *a, Datum base, Datum x, Datum *out, Err *err);
int numeric_power(Arena *a, Datum x, Datum y, Datum *out, Err *err);

/*
 * Applies numeric(p,s) (typmod as PostgreSQL: ((p << 16) | (s & 0x7ff)) + 4,
 * -1 = none): rounds to s and raises 22003 "numeric field overflow" with
 * PostgreSQL's detail when the integer part has more than p - s digits.
 */
int numeric_apply_typmod(Arena *a, Datum x, int32_t typmod, Datum *out, Err *err);
/* Builds / splits a typmod. */
int32_t numeric_make_typmod(int precision, int scale);
int numeric_typmod_precision(int32_t typmod);
int numeric_typmod_scale(int32_t typmod);

/*
 * Variance and standard deviation from n, sum(x) and sum(x*x), exactly as
 * PostgreSQL's numeric_stddev_internal (result scale included). *isnull
 * when n == 0, or n == 1 for the sample forms. n, sumx, sumx2 finite.
 */
int numeric_variance(Arena *a, Datum n, Datum sumx, Datum sumx2, bool sample, bool stddev,
                     Datum *out, bool *isnull, Err *err);

/*
 * Cancellation. Long computations (division, multiplication, sqrt, exp, ln,
 * power of values with thousands of digits) call the poll function
 * installed for the current thread every few milliseconds; once it returns
 * true they stop early, their result is garbage, and numeric_interrupted()
 * is true until the next numeric_set_poll(): the caller reports the
 * interruption instead of the result. No poll installed: never interrupted.
 */
void numeric_set_poll(bool (*poll)(void *arg), void *arg);
bool numeric_interrupted(void);

/* ---- accumulator for sum / avg / variance ------------------------------- */

/*
 * NumericAcc: the running state of sum/avg/var/stddev over numeric or
 * integer inputs, with PostgreSQL 15's treatment of NaN and infinities
 * (counted apart: sum of +Inf and -Inf is NaN, any NaN makes NaN) and an
 * inverse (remove) for retraction. Integer inputs are added in __int128
 * without allocating; numeric inputs (and int128 overflow) fold into
 * numeric sums allocated in the arena passed to each call, which must live
 * as long as the accumulator (or copy the state out with numeric_acc_copy).
 */
typedef struct NumericAcc {
    int64_t count; /* inputs added minus removed, NaN/Inf included */
    int64_t nan_count;
    int64_t pinf_count;
    int64_t ninf_count;
    bool want_sumsq;
    int max_dscale;           /* the largest dscale among the inputs (the sum's dscale) */
    int64_t max_dscale_count; /* how many inputs have it (for remove) */
    __int128 isum;            /* integer part of the fast path */
    __int128 isumsq;          /* fast-path sum of squares (when want_sumsq) */
    Datum sum;                /* numeric sum of what did not fit the fast path, 0 = none */
    Datum sumsq;              /* numeric sum of squares, 0 = none */
} NumericAcc;

void numeric_acc_init(NumericAcc *acc, bool want_sumsq);
int numeric_acc_add_int64(NumericAcc *acc, Arena *a, int64_t v, Err *err);
int numeric_acc_add(NumericAcc *acc, Arena *a, Datum v, Err *err);
/*
 * The inverse of add (PostgreSQL's moving-aggregate inverse transition).
 * Returns 1 (state unchanged) when it cannot be inverted exactly: the value
 * is the last one carrying the largest dscale, so the sum's display scale
 * would be wrong — the caller recomputes from the remaining inputs, as
 * PostgreSQL does.
 */
int numeric_acc_remove_int64(NumericAcc *acc, Arena *a, int64_t v, Err *err);
int numeric_acc_remove(NumericAcc *acc, Arena *a, Datum v, Err *err);
/* Adds the state of src into dst (combine function). */
int numeric_acc_merge(NumericAcc *dst, const NumericAcc *src, Arena *a, Err *err);
/* Deep copy of the numeric parts into a. */
void numeric_acc_copy(NumericAcc *dst, const NumericAcc *src, Arena *a);
/* sum (NULL when count == 0). */
int numeric_acc_sum(const NumericAcc *acc, Arena *a, Datum *out, bool *isnull, Err *err);
/* avg = sum / count (NULL when count == 0). */
int numeric_acc_avg(const NumericAcc *acc, Arena *a, Datum *out, bool *isnull, Err *err);
/* var_samp/var_pop/stddev_samp/stddev_pop (NaN when any NaN/Inf was added). */
int numeric_acc_variance(const NumericAcc *acc, Arena *a, bool sample, bool stddev, Datum *out,
                         bool *isnull, Err *err);

/* ---- type I/O (sql/types_numeric.c), as sql/types.h's function types ---- */

struct TypeIoCtx;
int numeric_in(const char *s, size_t len, int32_t typmod, const struct TypeIoCtx *io, Arena *a,
               Datum *out, Err *err);
void numeric_out(Datum d, int32_t typmod, const struct TypeIoCtx *io, Buf *out);
int numeric_recv(const uint8_t *p, size_t len, int32_t typmod, Arena *a, Datum *out, Err *err);
void numeric_send(Datum d, int32_t typmod, Buf *out);
int numeric_typmodin(const int32_t *mods, int nmods, int32_t *typmod, Err *err);
void numeric_typmodout(int32_t typmod, Buf *out);

#endif
