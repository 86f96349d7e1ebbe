/*
 * stream/op_topn.c — ORDER BY and/or OFFSET/LIMIT inside a subquery: the
 * first rows of its input in sort order.
 *
 * Delta rule: top-N is not linear, so the operator keeps its input
 * multiset; at a barrier after any input change it retracts the rows it
 * emitted before (-1 each) and emits the new top rows (+1). (Emitting only
 * the difference is an optimisation left for the views issue.)
 *
 * Invariants:
 *   1. Rows equal under the sort keys keep their arrival order (stable merge
 *      sort); a retraction cancels the equal row kept, so weights stay >= 0.
 *   2. LIMIT/OFFSET are evaluated once per run (they may use parameters);
 *      negative values fail with 2201W / 2201X.
 */
#include <string.h>

#include "stream/stream_int.h"

typedef struct TopNOp {
    Operator op;
    int64_t n, cap;
    Value *rows;
    int64_t *weights;
    bool dirty;
    TypeOrder *orders; /* per column: cancelling retractions against kept rows */
    int64_t nout;
    Value *out; /* rows emitted at the last barrier */
} TopNOp;

static int
topn_push(Operator *op, int port, const Batch *in, Err *err)
{
    TopNOp *t = (TopNOp *)op;
    size_t w = (size_t)(op->ncols ? op->ncols : 1);

    (void)port;
    if (t->n + in->n > t->cap) {
        int64_t cap = t->cap ? t->cap * 2 : 256;
        Value *rows;
        int64_t *weights;

        while (cap < t->n + in->n)
            cap *= 2;
        rows = arena_alloc(op->run->arena, sizeof(Value) * w * (size_t)cap);
        weights = arena_alloc(op->run->arena, sizeof(int64_t) * (size_t)cap);
        if (t->n > 0) {
            memcpy(rows, t->rows, sizeof(Value) * w * (size_t)t->n);
            memcpy(weights, t->weights, sizeof(int64_t) * (size_t)t->n);
        }
        t->rows = rows;
        t->weights = weights;
        t->cap = cap;
    }
    for (int i = 0; i < in->n; i++) {
        int rc = 0;

        /* a retraction cancels against an equal kept row (linear: deletes are rare here) */
        for (int64_t k = 0; in->weights[i] < 0 && k < t->n && rc == 0; k++) {
            bool equal;

            if (t->weights[k] <= 0)
                continue;
            if (stream_rows_equal(t->orders, op->ncols, &op->run->ctx, &t->rows[w * (size_t)k],
                                  batch_row(in, i), &equal, err) < 0)
                return -1;
            if (equal) {
                t->weights[k] += in->weights[i];
                rc = 1;
            }
        }
        if (rc)
            continue;
        if (op->ncols > 0)
            memcpy(&t->rows[w * (size_t)t->n], batch_row(in, i), sizeof(Value) * (size_t)op->ncols);
        t->weights[t->n++] = in->weights[i];
    }
    t->dirty = t->dirty || in->n > 0;
    return 0;
}

static int
topn_flush(Operator *op, Err *err)
{
    TopNOp *t = (TopNOp *)op;
    const PlanNode *sort = op->node->sort, *limit = op->node->limit;
    size_t w = (size_t)(op->ncols ? op->ncols : 1);
    int64_t lim = -1, off = -1, *idx, *tmp, k = 0;

    if (!t->dirty)
        return 0;
    t->dirty = false;
    for (int64_t i = 0; i < t->nout; i++) {
        if (op_output(op, &t->out[w * (size_t)i], -1, err) < 0)
            return -1;
    }
    if (limit != NULL &&
        (stream_eval_count(limit->u.limit.limit, &op->run->ctx, true, &lim, err) < 0 ||
         stream_eval_count(limit->u.limit.offset, &op->run->ctx, false, &off, err) < 0))
        return -1;
    idx = arena_alloc(op->run->arena, sizeof(int64_t) * (size_t)(t->n ? t->n : 1));
    tmp = arena_alloc(op->run->arena, sizeof(int64_t) * (size_t)(t->n ? t->n : 1));
    for (int64_t i = 0; i < t->n; i++)
        idx[i] = i;
    if (sort != NULL && stream_sort_indexes(sort->u.sort.keys, sort->u.sort.nkeys, &op->run->ctx,
                                            t->rows, w, idx, tmp, t->n, err) < 0)
        return -1;
    t->out = arena_alloc(op->run->arena, sizeof(Value) * w * (size_t)(t->n ? t->n : 1));
    for (int64_t i = 0; i < t->n && (lim < 0 || k < lim); i++) {
        for (int64_t c = t->weights[idx[i]]; c > 0 && (lim < 0 || k < lim); c--) {
            if (off > 0) {
                off--;
                continue;
            }
            memcpy(&t->out[w * (size_t)k], &t->rows[w * (size_t)idx[i]], sizeof(Value) * w);
            if (op_output(op, &t->out[w * (size_t)k], 1, err) < 0)
                return -1;
            k++;
        }
    }
    t->nout = k;
    return 0;
}

static const OpVtbl topn_vt = {"topn", topn_push, topn_flush};

Operator *
op_topn_new(StreamRun *run, const DfNode *node)
{
    TopNOp *t = op_alloc(run, sizeof(TopNOp), &topn_vt, node, node->plan->ncols);

    t->orders = arena_calloc(run->arena, (size_t)node->plan->ncols + 1, sizeof(TypeOrder));
    for (int c = 0; c < node->plan->ncols; c++)
        (void)plan_type_order(node->plan->types[c], &t->orders[c]);
    return &t->op;
}
