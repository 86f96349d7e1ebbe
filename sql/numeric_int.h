/*
 * sql/numeric_int.h — the working representation of numeric values inside
 * sql/numeric.c, sql/numeric_math.c and sql/types_numeric.c (private).
 *
 * A NumVar is an unpacked numeric: sign, weight, display scale and a digit
 * array (base 10000, most significant first) in an arena. Unlike a packed
 * Datum it may carry leading or trailing zero digits; var_to_datum() strips
 * them and produces the canonical packed form.
 *
 * Invariants:
 *   1. Operations never modify their inputs' digit arrays; results get fresh
 *      arrays from the arena passed in (inputs and results may alias).
 *   2. Digits are always 0..9999.
 */
#ifndef RIVULET_SQL_NUMERIC_INT_H
#define RIVULET_SQL_NUMERIC_INT_H

#include "sql/numeric.h"

#define NBASE NUMERIC_NBASE
#define DEC_DIGITS NUMERIC_DEC_DIGITS

typedef struct NumVar {
    int sign;   /* NUMERIC_POS, NUMERIC_NEG, NUMERIC_NAN, NUMERIC_PINF, NUMERIC_NINF */
    int weight; /* weight of d[0] in base NBASE */
    int dscale;
    int n;
    int32_t *d;
} NumVar;

/* True once the installed poll function reported an interruption (sticky; see numeric.h). */
bool numeric_poll(void);

void var_from_datum(Arena *a, Datum x, NumVar *v);
/* Canonical packed form; 22003 "value overflows numeric format" beyond the storage limits. */
int var_to_datum(Arena *a, NumVar *v, Datum *out, Err *err);
void var_zero(NumVar *v, int dscale);
void var_from_int64(Arena *a, int64_t x, NumVar *v);
void var_strip(NumVar *v);
bool var_is_zero(const NumVar *v);
/* Decimal weight of the first non-zero digit (0 for zero). */
int var_dweight(const NumVar *v);
int var_cmp_abs(const NumVar *x, const NumVar *y);
int var_cmp(const NumVar *x, const NumVar *y); /* finite values */
void var_add(Arena *a, const NumVar *x, const NumVar *y, NumVar *r);
void var_sub(Arena *a, const NumVar *x, const NumVar *y, NumVar *r);
/* Exact product, then rounded to rscale. */
void var_mul(Arena *a, const NumVar *x, const NumVar *y, NumVar *r, int rscale);
/* x / y (y != 0) truncated or rounded (half away from zero) to rscale >= 0. */
void var_div(Arena *a, const NumVar *x, const NumVar *y, NumVar *r, int rscale, bool round);
/* PostgreSQL's select_div_scale. */
int var_div_scale(const NumVar *x, const NumVar *y);
/* Rounds (round) or truncates in place at rscale decimals (rscale may be negative). */
void var_round(Arena *a, NumVar *v, int rscale, bool round);
/* sqrt of x >= 0 rounded to rscale. */
void var_sqrt(Arena *a, const NumVar *x, NumVar *r, int rscale);
void var_copy(Arena *a, const NumVar *x, NumVar *r);
double var_to_double(const NumVar *v);
/* Parses a finite or special number; 0 ok, -1 syntax error, -2 exponent overflow. */
int var_parse(Arena *a, const char *s, size_t len, NumVar *v);

#endif
