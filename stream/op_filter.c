/*
 * stream/op_filter.c — keeps the changes whose row satisfies a predicate
 * (WHERE, HAVING).
 *
 * Delta rule: σ(ΔR) = Δσ(R). Stateless; a change keeps its weight.
 *
 * Invariants:
 *   1. NULL and false both drop the row, as SQL's WHERE.
 *   2. The predicate is evaluated over the whole input batch at once
 *      (expr_eval_batch); its laziness and errors are still row-at-a-time
 *      PostgreSQL's (sql/expr_vec.c).
 */
#include "stream/stream_int.h"

typedef struct FilterOp {
    Operator op;
    const Value **rows; /* STREAM_BATCH_ROWS row pointers into the input batch */
    Value *pass;        /* the predicate's value per row */
} FilterOp;

/* The predicate over the whole batch, column-at-a-time (sql/expr_vec.c). */
static int
filter_push(Operator *op, int port, const Batch *in, Err *err)
{
    FilterOp *f = (FilterOp *)op;
    EvalCtx *ctx = &op->run->ctx;
    const Expr *pred = op->node->plan->u.pred;

    (void)port;
    ctx->ncols = in->ncols;
    for (int i = 0; i < in->n; i++)
        f->rows[i] = batch_row(in, i);
    if (expr_eval_batch(pred, ctx, f->rows, in->n, f->pass, err) < 0)
        return -1;
    for (int i = 0; i < in->n; i++) {
        if (!f->pass[i].isnull && datum_get_bool(f->pass[i].d) &&
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

static const OpVtbl filter_vt = {"filter", filter_push, filter_flush, true};

Operator *
op_filter_new(StreamRun *run, const DfNode *node)
{
    FilterOp *f = op_alloc(run, sizeof(FilterOp), &filter_vt, node, node->plan->ncols);

    f->rows = arena_alloc(run->arena, sizeof(Value *) * STREAM_BATCH_ROWS);
    f->pass = arena_alloc(run->arena, sizeof(Value) * STREAM_BATCH_ROWS);
    return &f->op;
}
