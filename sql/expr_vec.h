/*
 * sql/expr_vec.h — column-at-a-time evaluation over a batch (sql/expr_vec.c),
 * behind expr_eval_batch() (sql/expr.h); private to sql/ and the executor.
 *
 * Invariants:
 *   1. Results and errors are exactly expr_eval()'s row by row (see
 *      sql/expr_vec.c).
 */
#ifndef RIVULET_SQL_EXPR_VEC_H
#define RIVULET_SQL_EXPR_VEC_H

#include "sql/expr.h"

/* expr_eval_batch()'s body (without the interrupt check). */
int expr_vec_eval_batch(const Expr *e, EvalCtx *ctx, const Value *const *rows, int nrows,
                        Value *out, Err *err);
/* The row-at-a-time loop (rows may be NULL: no input columns). */
int expr_vec_eval_rows(const Expr *e, EvalCtx *ctx, const Value *const *rows, int nrows,
                       Value *out, Err *err);
/* True when e calls a volatile function anywhere. */
bool expr_vec_has_volatile(const Expr *e);

/*
 * True when e has the same value for every row: constants, parameters, and non-volatile
 * functions and casts of those (a cast of a literal, 1.5::float8, $1::int8).
 */
bool expr_is_row_constant(const Expr *e);

#endif
