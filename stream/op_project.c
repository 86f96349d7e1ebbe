/*
 * stream/op_project.c — computes the output columns of each changed row
 * (the select list, and ORDER BY expressions carried beside it).
 *
 * Delta rule: π(ΔR) = Δπ(R) for a multiset projection. Stateless; a change
 * keeps its weight. Expressions are deterministic per row (volatile
 * functions would need their results kept to retract the same row later;
 * the views issue must reject or materialise them).
 *
 * Invariants:
 *   1. By-reference results are allocated in the run's arena.
 */
#include "stream/stream_int.h"

typedef struct ProjectOp {
    Operator op;
    Value *row;
} ProjectOp;

static int
project_push(Operator *op, int port, const Batch *in, Err *err)
{
    ProjectOp *p = (ProjectOp *)op;
    EvalCtx *ctx = &op->run->ctx;
    Expr **exprs = op->node->plan->u.exprs;

    (void)port;
    ctx->ncols = in->ncols;
    for (int i = 0; i < in->n; i++) {
        ctx->row = batch_row(in, i);
        for (int c = 0; c < op->ncols; c++) {
            if (expr_eval(exprs[c], ctx, &p->row[c].d, &p->row[c].isnull, err) < 0)
                return -1;
        }
        if (op_output(op, p->row, in->weights[i], err) < 0)
            return -1;
    }
    ctx->row = NULL;
    return 0;
}

static int
project_flush(Operator *op, Err *err)
{
    (void)op, (void)err;
    return 0;
}

static const OpVtbl project_vt = {"project", project_push, project_flush};

Operator *
op_project_new(StreamRun *run, const DfNode *node)
{
    ProjectOp *p = op_alloc(run, sizeof(ProjectOp), &project_vt, node, node->plan->ncols);

    p->row = arena_alloc(run->arena, sizeof(Value) * (size_t)(node->plan->ncols + 1));
    return &p->op;
}
