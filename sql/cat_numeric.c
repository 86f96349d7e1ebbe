/*
 * sql/cat_numeric.c — the numeric part of the built-in catalog (see sql/catalog.h):
 * the numeric type, its functions, operators and casts, as PostgreSQL 15's
 * pg_type / pg_proc / pg_operator / pg_cast rows for numeric.
 *
 * The casts from numeric to int2/int4/int8/float8 are rows of the core part
 * (sql/catalog.c); the functions implementing them ("int2"(numeric) ...) are
 * here.
 *
 * Invariants:
 *   1. Tables are const and never modified.
 *   2. Argument and result types are PostgreSQL's, so that mixed integer /
 *      numeric expressions resolve through the implicit int → numeric casts
 *      exactly as there.
 */
#include "sql/catalog.h"
#include "sql/func_numeric.h"
#include "sql/numeric.h"

#define N TYPE_NUMERIC
#define I2 TYPE_INT2
#define I4 TYPE_INT4
#define I8 TYPE_INT8
#define F8 TYPE_FLOAT8
#define BO TYPE_BOOL
#define S FN_STRICT

static const TypeInfo TYPES[] = {
    {TYPE_NUMERIC, "numeric", "numeric", -1, false, TYPCAT_NUMERIC, false, true, numeric_in,
     numeric_out, numeric_recv, numeric_send, numeric_typmodin, numeric_typmodout},
};

static const FuncDef FUNCS[] = {
    /* casts, callable by their type names */
    {"numeric", 1, {I2}, N, S, int_to_numeric},
    {"numeric", 1, {I4}, N, S, int_to_numeric},
    {"numeric", 1, {I8}, N, S, int_to_numeric},
    {"numeric", 1, {F8}, N, S, float8_to_numeric},
    {"numeric", 2, {N, I4}, N, S, numeric_typmod_fn},
    {"numeric", 3, {N, I4, BO}, N, S, numeric_typmod_fn},
    {"int2", 1, {N}, I2, S, numeric_to_int2},
    {"int4", 1, {N}, I4, S, numeric_to_int4},
    {"int8", 1, {N}, I8, S, numeric_to_int8},
    {"float8", 1, {N}, F8, S, numeric_to_float8},
    /* math */
    {"abs", 1, {N}, N, S, numeric_abs_fn},
    {"sign", 1, {N}, N, S, numeric_sign_fn},
    {"round", 1, {N}, N, S, numeric_round0},
    {"round", 2, {N, I4}, N, S, numeric_round_fn},
    {"trunc", 1, {N}, N, S, numeric_trunc0},
    {"trunc", 2, {N, I4}, N, S, numeric_trunc_fn},
    {"ceil", 1, {N}, N, S, numeric_ceil_fn},
    {"ceiling", 1, {N}, N, S, numeric_ceil_fn},
    {"floor", 1, {N}, N, S, numeric_floor_fn},
    {"mod", 2, {N, N}, N, S, numeric_mod_fn},
    {"div", 2, {N, N}, N, S, numeric_div_trunc_fn},
    {"sqrt", 1, {N}, N, S, numeric_sqrt_fn},
    {"exp", 1, {N}, N, S, numeric_exp_fn},
    {"ln", 1, {N}, N, S, numeric_ln_fn},
    {"log", 1, {N}, N, S, numeric_log10_fn},
    {"log10", 1, {N}, N, S, numeric_log10_fn},
    {"log", 2, {N, N}, N, S, numeric_log_fn},
    {"power", 2, {N, N}, N, S, numeric_pow_fn},
    {"pow", 2, {N, N}, N, S, numeric_pow_fn},
    {"scale", 1, {N}, I4, S, numeric_scale_fn},
    {"min_scale", 1, {N}, I4, S, numeric_min_scale_fn},
    {"trim_scale", 1, {N}, N, S, numeric_trim_scale_fn},
    {"factorial", 1, {I8}, N, S, numeric_factorial},
    {"gcd", 2, {N, N}, N, S, numeric_gcd_fn},
    {"lcm", 2, {N, N}, N, S, numeric_lcm_fn},
    {"width_bucket", 4, {N, N, N, I4}, I4, S, numeric_width_bucket},
    {"numeric_larger", 2, {N, N}, N, S, numeric_larger},
    {"numeric_smaller", 2, {N, N}, N, S, numeric_smaller},
};

static const OperDef OPERS[] = {
    {"+", N, N, N, numeric_pl, 0},
    {"-", N, N, N, numeric_mi, 0},
    {"*", N, N, N, numeric_mul_fn, 0},
    {"/", N, N, N, numeric_div_fn, 0},
    {"%", N, N, N, numeric_mod_fn, 0},
    {"^", N, N, N, numeric_pow_fn, 0},
    {"-", TYPE_INVALID, N, N, numeric_um, 0},
    {"+", TYPE_INVALID, N, N, numeric_up, 0},
    {"@", TYPE_INVALID, N, N, numeric_abs_fn, 0},
    {"=", N, N, BO, numeric_eq, 0},
    {"<>", N, N, BO, numeric_ne, 0},
    {"<", N, N, BO, numeric_lt, 0},
    {"<=", N, N, BO, numeric_le, 0},
    {">", N, N, BO, numeric_gt, 0},
    {">=", N, N, BO, numeric_ge, 0},
};

static const CastDef CASTS[] = {
    {I2, N, COERCION_IMPLICIT, "numeric"},
    {I4, N, COERCION_IMPLICIT, "numeric"},
    {I8, N, COERCION_IMPLICIT, "numeric"},
    {F8, N, COERCION_ASSIGNMENT, "numeric"},
};

const CatalogPart catalog_part_numeric = {
    FUNCS, CATALOG_COUNT(FUNCS), OPERS, CATALOG_COUNT(OPERS),
    CASTS, CATALOG_COUNT(CASTS), TYPES, CATALOG_COUNT(TYPES),
};
