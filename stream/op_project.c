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
 *   2. Each output column is evaluated over the whole input batch at once
 *      (expr_eval_batch); if any fails, the batch is evaluated again row by
 *      row, all columns of a row before the next, so the error reported is
 *      the one PostgreSQL's row-at-a-time projection raises first.
 */
#include "stream/stream_int.h"

typedef struct ProjectOp {
    Operator op;
    Value *row;
    const Value **rows; /* STREAM_BATCH_ROWS row pointers into the input batch */
    Value *cols;        /* ncols × STREAM_BATCH_ROWS results, column-major */
} ProjectOp;

/* Row by row, every column of a row before the next row: PostgreSQL's order of errors. */
static int
project_rows(ProjectOp *p, EvalCtx *ctx, Expr **exprs, const Batch *in, Err *err)
{
    for (int i = 0; i < in->n; i++) {
        ctx->row = batch_row(in, i);
        for (int c = 0; c < p->op.ncols; c++) {
            if (expr_eval(exprs[c], ctx, &p->row[c].d, &p->row[c].isnull, err) < 0)
                return -1;
        }
        if (op_output(&p->op, p->row, in->weights[i], err) < 0)
            return -1;
    }
    return 0;
}

static int
project_push(Operator *op, int port, const Batch *in, Err *err)
{
    ProjectOp *p = (ProjectOp *)op;
    EvalCtx *ctx = &op->run->ctx;
    Expr **exprs = op->node->plan->u.exprs;
    int rc = 0;

    (void)port;
    ctx->ncols = in->ncols;
    for (int i = 0; i < in->n; i++)
        p->rows[i] = batch_row(in, i);
    /* column-at-a-time (invariant 2); on any error, again row by row for the right one */
    for (int c = 0; c < op->ncols && rc == 0; c++)
        rc = expr_eval_batch(exprs[c], ctx, p->rows, in->n, &p->cols[(size_t)c * STREAM_BATCH_ROWS],
                             err);
    if (rc < 0) {
        err_clear(err);
        rc = project_rows(p, ctx, exprs, in, err);
        ctx->row = NULL;
        return rc;
    }
    for (int i = 0; i < in->n; i++) {
        for (int c = 0; c < op->ncols; c++)
            p->row[c] = p->cols[(size_t)c * STREAM_BATCH_ROWS + (size_t)i];
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

static const OpVtbl project_vt = {"project", project_push, project_flush, true};

Operator *
op_project_new(StreamRun *run, const DfNode *node)
{
    ProjectOp *p = op_alloc(run, sizeof(ProjectOp), &project_vt, node, node->plan->ncols);

    p->row = arena_alloc(run->arena, sizeof(Value) * (size_t)(node->plan->ncols + 1));
    p->rows = arena_alloc(run->arena, sizeof(Value *) * STREAM_BATCH_ROWS);
    p->cols = arena_alloc(run->arena,
                          sizeof(Value) * STREAM_BATCH_ROWS * (size_t)(node->plan->ncols + 1));
    return &p->op;
}
