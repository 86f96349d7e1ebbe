/*
 * stream/op_series.c — generate_series(start, stop [, step]) as a source,
 * over int4 or int8 (the plan's column type).
 *
 * Delta rule: like VALUES, the rows are inserted at the first barrier.
 * NULL arguments give no rows (the function is strict); step 0 fails with
 * 22023 "step size cannot equal zero"; the series stops before it would
 * overflow, as PostgreSQL's does.
 *
 * Invariants:
 *   1. Rows are produced in series order, one batch at a time: memory stays
 *      bounded by the batch for the operator itself.
 */
#include "common/errcodes.h"
#include "stream/opstate.h"
#include "stream/stream_int.h"

typedef struct SeriesOp {
    Operator op;
    bool done;
} SeriesOp;

static int
series_push(Operator *op, int port, const Batch *in, Err *err)
{
    (void)op, (void)port, (void)in;
    return ERR_RAISE(err, ERRCODE_INTERNAL_ERROR, "generate_series has no input");
}

static int
eval_arg(const Expr *e, EvalCtx *ctx, int64_t dflt, int64_t *out, bool *isnull, Err *err)
{
    Datum d;

    *out = dflt;
    *isnull = false;
    if (e == NULL)
        return 0;
    ctx->row = NULL;
    if (expr_eval(e, ctx, &d, isnull, err) < 0)
        return -1;
    *out = datum_get_int64(d);
    return 0;
}

static int
series_flush(Operator *op, Err *err)
{
    SeriesOp *s = (SeriesOp *)op;
    const PlanNode *p = op->node->plan;
    EvalCtx *ctx = &op->run->ctx;
    int64_t start, stop, step, cur;
    bool n1, n2, n3;

    bool first = true;

    if (s->done)
        return 0;
    s->done = true;
    /* a view's series was emitted once for its whole life, restarts included */
    if (op->run->state != NULL && stream_state_once(op->run, op->node, &first, err) < 0)
        return -1;
    if (!first)
        return 0;
    if (eval_arg(p->u.series.start, ctx, 0, &start, &n1, err) < 0 ||
        eval_arg(p->u.series.stop, ctx, 0, &stop, &n2, err) < 0 ||
        eval_arg(p->u.series.step, ctx, 1, &step, &n3, err) < 0)
        return -1;
    if (n1 || n2 || n3)
        return 0;
    if (step == 0)
        return ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE, "step size cannot equal zero");
    /* straight into the output batch (op_output's work, without a call per row) */
    for (cur = start; step > 0 ? cur <= stop : cur >= stop;) {
        Batch *b = &op->obuf;

        if (b->n == STREAM_BATCH_ROWS && op_emit(op, err) < 0)
            return -1;
        b->vals[b->n].d = datum_from_int64(cur);
        b->vals[b->n].isnull = false;
        b->weights[b->n++] = 1;
        if (__builtin_add_overflow(cur, step, &cur))
            break;
    }
    return 0;
}

static const OpVtbl series_vt = {"series", series_push, series_flush, true};

Operator *
op_series_new(StreamRun *run, const DfNode *node)
{
    return op_alloc(run, sizeof(SeriesOp), &series_vt, node, 1);
}
