/*
 * stream/op_topn.c — ORDER BY and/or OFFSET/LIMIT inside a subquery or a
 * materialized view: the first rows of its input in sort order.
 *
 * Delta rule: top-N is not linear, so the operator keeps its input
 * multiset, consolidated (one entry per distinct row with its summed
 * weight, so an insert and a delete of the same row cancel whatever order
 * they arrive in); at a barrier after any input change it retracts the
 * rows it emitted before (-1 each) and emits the new top rows (+1);
 * downstream consolidation (the view's DeltaMap) cancels what did not
 * change.
 *
 * Invariants:
 *   1. Rows that tie under the sort keys are ordered by the whole row (each
 *      column ascending, NULLs last), so the answer depends only on the
 *      input multiset, never on arrival order: an incremental view, its
 *      rebuild after a restart and a one-shot run agree.
 *   2. A row's weight may be negative between barriers (a delete pushed
 *      before its insert); only rows with a positive weight are ranked.
 *   3. LIMIT/OFFSET are evaluated once per barrier (they may use
 *      parameters); negative values fail with 2201W / 2201X.
 */
#include <stdlib.h>
#include <string.h>

#include "common/errcodes.h"
#include "stream/stream_int.h"

typedef struct TopNOp {
    Operator op;
    RowTable rows; /* distinct input rows; payload: int64_t weight */
    bool dirty;
    TypeOrder *orders;
    SortKey *keys; /* the ORDER BY keys, then every orderable column (ties) */
    int nkeys;
    int64_t nout, outcap;
    Value *out; /* the rows emitted at the last barrier (run arena, reused) */
} TopNOp;

static int
topn_push(Operator *op, int port, const Batch *in, Err *err)
{
    TopNOp *t = (TopNOp *)op;

    (void)port;
    for (int i = 0; i < in->n; i++) {
        RowEntry *e;
        bool created;

        if (rowtable_lookup(&t->rows, &op->run->ctx, batch_row(in, i), true, &e, &created, err) <
            0)
            return -1;
        if (created)
            e->payload = arena_calloc(op->run->arena, 1, sizeof(int64_t));
        *(int64_t *)e->payload += in->weights[i];
    }
    t->dirty = t->dirty || in->n > 0;
    return 0;
}

static int
topn_flush(Operator *op, Err *err)
{
    TopNOp *t = (TopNOp *)op;
    const PlanNode *limit = op->node->limit;
    size_t w = (size_t)(op->ncols ? op->ncols : 1);
    int64_t lim = -1, off = -1, n = 0, k = 0, *idx = NULL, *tmp = NULL, *wts = NULL;
    Value *rows = NULL;
    int rc = 0;

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
    rows = malloc(sizeof(Value) * w * ((size_t)t->rows.n + 1));
    wts = malloc(sizeof(int64_t) * ((size_t)t->rows.n + 1));
    idx = malloc(sizeof(int64_t) * ((size_t)t->rows.n + 1));
    tmp = malloc(sizeof(int64_t) * ((size_t)t->rows.n + 1));
    if (rows == NULL || wts == NULL || idx == NULL || tmp == NULL)
        rc = ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
    for (uint32_t i = 0; rc == 0 && i < t->rows.n; i++) {
        RowEntry *e = rowtable_entry(&t->rows, i);
        int64_t weight = *(int64_t *)e->payload;

        if (weight <= 0)
            continue;
        if (op->ncols > 0)
            memcpy(&rows[w * (size_t)n], e->key, sizeof(Value) * (size_t)op->ncols);
        wts[n] = weight;
        idx[n] = n;
        n++;
    }
    if (rc == 0 && t->nkeys > 0 &&
        stream_sort_indexes(t->keys, t->nkeys, &op->run->ctx, rows, w, idx, tmp, n, err) < 0)
        rc = -1;
    t->nout = 0;
    if (rc == 0) {
        /* rows come out once per unit of weight, at most LIMIT of them */
        int64_t need = 0;

        for (int64_t i = 0; i < n && (lim < 0 || need < lim); i++)
            need += wts[i];
        if (lim >= 0 && need > lim)
            need = lim;
        if (t->outcap < need) {
            t->outcap = need;
            t->out = arena_alloc(op->run->arena, sizeof(Value) * w * (size_t)need);
        }
    }
    for (int64_t i = 0; rc == 0 && i < n && (lim < 0 || k < lim); i++) {
        for (int64_t c = wts[idx[i]]; c > 0 && (lim < 0 || k < lim); c--) {
            if (off > 0) {
                off--;
                continue;
            }
            memcpy(&t->out[w * (size_t)k], &rows[w * (size_t)idx[i]], sizeof(Value) * w);
            if (op_output(op, &t->out[w * (size_t)k], 1, err) < 0) {
                rc = -1;
                break;
            }
            k++;
        }
    }
    free(rows);
    free(wts);
    free(idx);
    free(tmp);
    t->nout = rc == 0 ? k : 0;
    return rc;
}

static const OpVtbl topn_vt = {"topn", topn_push, topn_flush};

Operator *
op_topn_new(StreamRun *run, const DfNode *node)
{
    TopNOp *t = op_alloc(run, sizeof(TopNOp), &topn_vt, node, node->plan->ncols);
    const PlanNode *sort = node->sort;
    int nsort = sort != NULL ? sort->u.sort.nkeys : 0, ncols = node->plan->ncols;

    t->orders = arena_calloc(run->arena, (size_t)ncols + 1, sizeof(TypeOrder));
    t->keys = arena_calloc(run->arena, (size_t)(nsort + ncols + 1), sizeof(SortKey));
    for (int i = 0; i < nsort; i++)
        t->keys[t->nkeys++] = sort->u.sort.keys[i];
    for (int c = 0; c < ncols; c++) {
        if (!plan_type_order(node->plan->types[c], &t->orders[c]))
            continue;
        t->keys[t->nkeys++] = (SortKey){c, false, false, t->orders[c]};
    }
    rowtable_init(&t->rows, run->arena, ncols, t->orders);
    return &t->op;
}
