/*
 * stream/op_join.c — cross product of two inputs, kept where the join
 * condition holds (comma joins, CROSS JOIN, INNER JOIN ... ON).
 *
 * Delta rule (bilinear): Δ(L ⋈ R) = ΔL ⋈ R + L' ⋈ ΔR, where L' = L + ΔL.
 * Applied one push at a time: a change on the left is joined with the right
 * state and then added to the left state, and symmetrically, so changes
 * arriving on both sides within an epoch are counted exactly once. Output
 * weight = left weight × right weight.
 *
 * State: both inputs' multisets (rows with weights), in memory for now;
 * the views issue moves them to LMDB state tables keyed by join key. A
 * retraction is consolidated into the equal row already kept (a linear
 * search: deletes are O(state) until the state is keyed).
 *
 * Invariants:
 *   1. Output rows are the left row's columns then the right row's.
 *   2. In a one-shot run the right side is flushed first (it comes before
 *      the left in no particular order of the graph), so rows come out in
 *      left-major order, as PostgreSQL's nested loop produces them.
 */
#include <string.h>

#include "stream/stream_int.h"

typedef struct Side {
    int ncols;
    TypeOrder *orders; /* per column, for consolidating retractions */
    int64_t n, cap;
    Value *rows;
    int64_t *weights;
} Side;

typedef struct JoinOp {
    Operator op;
    Side side[2];
    Value *row;
} JoinOp;

static void
side_add(Arena *a, Side *s, const Value *row, int64_t w)
{
    size_t width = (size_t)(s->ncols ? s->ncols : 1);

    if (s->n == s->cap) {
        int64_t cap = s->cap ? s->cap * 2 : 64;
        Value *rows = arena_alloc(a, sizeof(Value) * width * (size_t)cap);
        int64_t *weights = arena_alloc(a, sizeof(int64_t) * (size_t)cap);

        if (s->n > 0) {
            memcpy(rows, s->rows, sizeof(Value) * width * (size_t)s->n);
            memcpy(weights, s->weights, sizeof(int64_t) * (size_t)s->n);
        }
        s->rows = rows;
        s->weights = weights;
        s->cap = cap;
    }
    if (s->ncols > 0)
        memcpy(&s->rows[width * (size_t)s->n], row, sizeof(Value) * (size_t)s->ncols);
    s->weights[s->n++] = w;
}

/* A retraction cancels against an equal kept row; returns 1 when it did. */
static int
side_cancel(Side *s, EvalCtx *ctx, const Value *row, int64_t w, Err *err)
{
    size_t width = (size_t)(s->ncols ? s->ncols : 1);

    for (int64_t k = 0; k < s->n; k++) {
        bool equal;

        if (s->weights[k] == 0)
            continue;
        if (stream_rows_equal(s->orders, s->ncols, ctx, &s->rows[width * (size_t)k], row, &equal,
                              err) < 0)
            return -1;
        if (equal) {
            s->weights[k] += w;
            return 1;
        }
    }
    return 0;
}

static int
emit_pair(JoinOp *j, const Value *l, const Value *r, int64_t w, Err *err)
{
    const Expr *pred = j->op.node->plan->u.pred;
    int nl = j->side[0].ncols;
    EvalCtx *ctx = &j->op.run->ctx;

    memcpy(j->row, l, sizeof(Value) * (size_t)nl);
    memcpy(j->row + nl, r, sizeof(Value) * (size_t)j->side[1].ncols);
    if (pred != NULL) {
        Datum d;
        bool isnull;

        ctx->row = j->row;
        ctx->ncols = j->op.ncols;
        if (expr_eval(pred, ctx, &d, &isnull, err) < 0)
            return -1;
        ctx->row = NULL;
        if (isnull || !datum_get_bool(d))
            return 0;
    }
    return op_output(&j->op, j->row, w, err);
}

static int
join_push(Operator *op, int port, const Batch *in, Err *err)
{
    JoinOp *j = (JoinOp *)op;
    Side *other = &j->side[1 - port];
    size_t ow = (size_t)(other->ncols ? other->ncols : 1);

    for (int i = 0; i < in->n; i++) {
        const Value *row = batch_row(in, i);

        int rc = 0;

        for (int64_t k = 0; k < other->n; k++) {
            const Value *o = &other->rows[ow * (size_t)k];
            int64_t w = in->weights[i] * other->weights[k];

            if (w != 0 && emit_pair(j, port == 0 ? row : o, port == 0 ? o : row, w, err) < 0)
                return -1;
        }
        if (in->weights[i] < 0 &&
            (rc = side_cancel(&j->side[port], &op->run->ctx, row, in->weights[i], err)) < 0)
            return -1;
        if (rc == 0)
            side_add(op->run->arena, &j->side[port], row, in->weights[i]);
    }
    return 0;
}

static int
join_flush(Operator *op, Err *err)
{
    (void)op, (void)err;
    return 0;
}

static const OpVtbl join_vt = {"join", join_push, join_flush};

Operator *
op_join_new(StreamRun *run, const DfNode *node)
{
    const PlanNode *p = node->plan;
    JoinOp *j = op_alloc(run, sizeof(JoinOp), &join_vt, node, p->ncols);

    j->side[0].ncols = p->input->ncols;
    j->side[1].ncols = p->right->ncols;
    for (int s = 0; s < 2; s++) {
        const PlanNode *in = s == 0 ? p->input : p->right;

        j->side[s].orders = arena_calloc(run->arena, (size_t)in->ncols + 1, sizeof(TypeOrder));
        for (int c = 0; c < in->ncols; c++)
            (void)plan_type_order(in->types[c], &j->side[s].orders[c]);
    }
    j->row = arena_alloc(run->arena, sizeof(Value) * (size_t)(p->ncols + 1));
    return &j->op;
}
