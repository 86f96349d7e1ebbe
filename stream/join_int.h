/*
 * stream/join_int.h — what the two Join operators share: stream/op_join.c
 * (state in the run's arena) and stream/op_join_state.c (state in LMDB).
 * Both are the same symmetric hash join with the same buckets; they differ
 * only in where each side's rows are kept. The sides' shapes, the bucket
 * hash of a row's equi-join key, the ON condition and the NULL-padded rows
 * of outer joins live here once (stream/join_common.c). Private to stream/.
 *
 * Invariants:
 *   1. The bucket hash is JOINSTATE_SEED folded with joinstate_hash_add()
 *      over the key values (a constant without equi keys: one bucket), so
 *      both operators bucket alike and a matching pair shares a bucket
 *      (plan_hash_value() agrees with "=", sql/plan.c invariant 2).
 *   2. A row with a NULL key value has no bucket: it matches nothing.
 *   3. The EvalCtx's row is NULL again when a function returns, error or
 *      not.
 */
#ifndef RIVULET_STREAM_JOIN_INT_H
#define RIVULET_STREAM_JOIN_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "planner/join_keys.h"
#include "stream/stream_int.h"

/* One input of the join. */
typedef struct JoinSideDesc {
    int ncols;
    int offset;        /* where its columns sit in the join row */
    bool is_preserved; /* outer side: unmatched rows come out NULL-padded */
    bool has_byref;    /* a by-reference column */
    Expr **keys;       /* JoinKeys' left or right */
    TypeOrder *orders; /* per column, to find a kept row equal to a change */
    Oid *types;        /* per column */
} JoinSideDesc;

typedef struct JoinCore {
    Operator *op;
    JoinKeys keys;
    JoinSideDesc side[2]; /* 0 left, 1 right */
    Value *row;           /* the join row being evaluated */
    Value *pad;           /* a NULL-padded output row */
} JoinCore;

/* Fills jc for the join node of op (allocating in the run's arena). */
void joincore_init(JoinCore *jc, Operator *op);

/*
 * Bucket hash of a change (row, w) of side s. A NULL key value matches nothing, ever: *has_key
 * is false and the change's only output, its padded row when s is preserved, is emitted here.
 */
int joincore_change_key(JoinCore *jc, int s, const Value *row, int64_t w, bool *has_key,
                        uint64_t *h, Err *err);

/* True when the ON condition holds for jc->row as it stands. */
int joincore_pred_holds(JoinCore *jc, bool *holds, Err *err);

/* Emits row of side s, the other side's columns NULL, with weight w. */
int joincore_emit_padded(JoinCore *jc, int s, const Value *row, int64_t w, Err *err);

#endif
