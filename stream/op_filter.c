/*
 * stream/op_filter.c — keeps the changes whose row satisfies a predicate
 * (WHERE, HAVING).
 *
 * Delta rule: σ(ΔR) = Δσ(R). Stateless; a change keeps its weight.
 *
 * Invariants:
 *   1. NULL and false both drop the row, as SQL's WHERE.
 */
#include "stream/stream_int.h"

static int
filter_push(Operator *op, int port, const Batch *in, Err *err)
{
    EvalCtx *ctx = &op->run->ctx;
    const Expr *pred = op->node->plan->u.pred;

    (void)port;
    ctx->ncols = in->ncols;
    for (int i = 0; i < in->n; i++) {
        Datum d;
        bool isnull;

        ctx->row = batch_row(in, i);
        if (expr_eval(pred, ctx, &d, &isnull, err) < 0)
            return -1;
        if (!isnull && datum_get_bool(d) &&
            op_output(op, batch_row(in, i), in->weights[i], err) < 0)
            return -1;
    }
    ctx->row = NULL;
    return 0;
}

static int
filter_flush(Operator *op, Err *err)
{
    (void)op, (void)err;
    return 0;
}

static const OpVtbl filter_vt = {"filter", filter_push, filter_flush};

Operator *
op_filter_new(StreamRun *run, const DfNode *node)
{
    return op_alloc(run, sizeof(Operator), &filter_vt, node, node->plan->ncols);
}
