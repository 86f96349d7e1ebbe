/*
 * stream/op_values.c — source of constant rows (VALUES, and the single
 * empty row of a SELECT without FROM).
 *
 * Delta rule: a constant relation never changes; its rows are inserted
 * (+1 each) at the first barrier of the run and never again.
 *
 * Invariants:
 *   1. Rows are evaluated in VALUES order (parameters allowed), once.
 */
#include "stream/opstate.h"
#include "stream/stream_int.h"

typedef struct ValuesOp {
    Operator op;
    bool done;
} ValuesOp;

static int
values_push(Operator *op, int port, const Batch *in, Err *err)
{
    (void)op, (void)port, (void)in;
    return ERR_RAISE(err, "XX000", "VALUES has no input");
}

static int
values_flush(Operator *op, Err *err)
{
    ValuesOp *v = (ValuesOp *)op;
    const PlanNode *p = op->node->plan;
    EvalCtx *ctx = &op->run->ctx;
    Value *row = arena_alloc(op->run->arena, sizeof(Value) * (size_t)(p->ncols ? p->ncols : 1));

    bool first = true;

    if (v->done)
        return 0;
    v->done = true;
    /* a view's VALUES were emitted once for its whole life, restarts included */
    if (op->run->state != NULL && stream_state_once(op->run, op->node, &first, err) < 0)
        return -1;
    if (!first)
        return 0;
    for (int r = 0; r < p->u.values.nrows; r++) {
        ctx->row = NULL;
        for (int c = 0; c < p->ncols; c++) {
            if (expr_eval(p->u.values.rows[r][c], ctx, &row[c].d, &row[c].isnull, err) < 0)
                return -1;
        }
        if (op_output(op, row, 1, err) < 0)
            return -1;
    }
    return 0;
}

static const OpVtbl values_vt = {"values", values_push, values_flush, true};

Operator *
op_values_new(StreamRun *run, const DfNode *node)
{
    return op_alloc(run, sizeof(ValuesOp), &values_vt, node, node->plan->ncols);
}
