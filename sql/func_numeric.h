/*
 * sql/func_numeric.h — the SQL-callable numeric built-ins (sql/func_numeric.c)
 * for sql/cat_numeric.c's tables (private to sql/).
 *
 * Every function has the BuiltinFn signature (sql/expr.h); by-reference
 * results are allocated in call->ctx->arena.
 */
#ifndef RIVULET_SQL_FUNC_NUMERIC_H
#define RIVULET_SQL_FUNC_NUMERIC_H

#include "sql/builtins.h"

/* operators */
BUILTIN(numeric_pl);
BUILTIN(numeric_mi);
BUILTIN(numeric_mul_fn);
BUILTIN(numeric_div_fn);
BUILTIN(numeric_mod_fn);
BUILTIN(numeric_pow_fn);
BUILTIN(numeric_um);
BUILTIN(numeric_up);
BUILTIN(numeric_abs_fn);
BUILTIN(numeric_eq);
BUILTIN(numeric_ne);
BUILTIN(numeric_lt);
BUILTIN(numeric_le);
BUILTIN(numeric_gt);
BUILTIN(numeric_ge);
BUILTIN(numeric_larger);
BUILTIN(numeric_smaller);

/* casts */
BUILTIN(int_to_numeric);
BUILTIN(float8_to_numeric);
BUILTIN(numeric_to_int2);
BUILTIN(numeric_to_int4);
BUILTIN(numeric_to_int8);
BUILTIN(numeric_to_float8);
BUILTIN(numeric_typmod_fn); /* numeric(numeric, int4 [, bool]): the length coercion */

/* functions */
BUILTIN(numeric_sign_fn);
BUILTIN(numeric_round0);
BUILTIN(numeric_round_fn);
BUILTIN(numeric_trunc0);
BUILTIN(numeric_trunc_fn);
BUILTIN(numeric_ceil_fn);
BUILTIN(numeric_floor_fn);
BUILTIN(numeric_sqrt_fn);
BUILTIN(numeric_exp_fn);
BUILTIN(numeric_ln_fn);
BUILTIN(numeric_log10_fn);
BUILTIN(numeric_log_fn);
BUILTIN(numeric_div_trunc_fn);
BUILTIN(numeric_scale_fn);
BUILTIN(numeric_min_scale_fn);
BUILTIN(numeric_trim_scale_fn);
BUILTIN(numeric_factorial);
BUILTIN(numeric_gcd_fn);
BUILTIN(numeric_lcm_fn);
BUILTIN(numeric_width_bucket);

#endif
