/*
 * stream/markjoin_int.h — the mark computation shared by the two mark join
 * operators: stream/op_markjoin.c (state in the run's arena) and
 * stream/op_markjoin_state.c (state in LMDB). Both keep their own buckets;
 * what a mark is (EXISTS, ANY, ALL, SCALAR, AGG, and SQL's three-valued
 * logic over `cond` and `test`), how keys are read from a row and how a
 * changed mark is emitted live here once (stream/markjoin_common.c).
 * Private to stream/.
 *
 * Computing a left row's mark:
 *
 *   markcalc_begin(left) ─▶ markcalc_match(right, w) × each right row of
 *   its bucket with w > 0, while !ms.decided ─▶ markcalc_finish → mark
 *
 * Invariants:
 *   1. markcalc_match sees only right rows of the left row's bucket with
 *      equal, non-NULL correlation keys; it evaluates `cond` itself.
 *   2. A match kept by MARK_SCALAR (ms.match) must stay valid until
 *      markcalc_finish: the caller passes rows that outlive the scan.
 *   3. The EvalCtx's row is NULL again when a function returns, error or
 *      not.
 */
#ifndef RIVULET_STREAM_MARKJOIN_INT_H
#define RIVULET_STREAM_MARKJOIN_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "stream/stream_int.h"

/* What both operators need to compute and emit marks (allocated by markcalc_init). */
typedef struct MarkCalc {
    Operator *op;
    const PlanNode *plan;
    int nleft_cols, nright_cols;
    TypeOrder mark_order; /* type 0: no equality, marks always differ */
    Value *pair;          /* left ++ right */
    Value *orow;          /* left ++ mark (at least left ++ right wide) */
    void **states;        /* MARK_AGG: one state per aggregate call */
    Value *aggrow;        /* MARK_AGG: the aggregates' results, value_expr's row */
} MarkCalc;

/* The mark state of one left row while its bucket's right rows are visited. */
typedef struct MarkScan {
    bool saw_null, decided;
    int64_t count;
    const Value *match;
} MarkScan;

void markcalc_init(MarkCalc *mc, Operator *op);

/* The equality key of a row: port 1 (right) its rkeys columns, port 0 lkeys evaluated. */
int markcalc_key(MarkCalc *mc, int port, const Value *row, int ncols, Value *key, Err *err);

/* Evaluates a boolean e over mc->pair: *out 1 true, 0 false, 2 NULL. */
int markcalc_eval_bool(MarkCalc *mc, const Expr *e, int *out, Err *err);

/* Starts the mark of left row `left`: copied into pair, *ms cleared, aggregates restarted. */
int markcalc_begin(MarkCalc *mc, const Value *left, MarkScan *ms, Err *err);

/* One right row of the bucket (weight w > 0): counted into *ms when `cond` holds. */
int markcalc_match(MarkCalc *mc, MarkScan *ms, const Value *right, int64_t w, Err *err);

/* The mark from *ms (not for hashed IN, whose callers decide it from counts). */
int markcalc_finish(MarkCalc *mc, const MarkScan *ms, Value *mark, Err *err);

/*
 * A left row's output moving from (old, emitted_w) to (mark, w): −old/+new, or only the weight
 * difference when the marks are equal.
 */
int markcalc_emit_change(MarkCalc *mc, const Value *row, const Value *old, int64_t emitted_w,
                         const Value *mark, int64_t w, Err *err);

#endif
