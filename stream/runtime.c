/*
 * stream/runtime.c — the operator runtime: output batches, wiring the
 * planner's graph into operators, the barrier driver, and the one-shot
 * runner with its collector (final multiset → ORDER BY → OFFSET/LIMIT).
 *
 *   planner_build ─▶ operators (one per DfNode) ─▶ flush in topological
 *   order (sources emit; each operator pushes downstream as it goes)
 *   ─▶ collector: consolidate weights, sort, cut, copy out
 *
 * Invariants:
 *   1. Everything of a run lives in one arena destroyed at the end; result
 *      rows are copied (by-reference values too) into the caller's arena.
 *   2. The final sort is stable, so rows equal under ORDER BY keep the
 *      order in which the dataflow produced them.
 *   3. Interrupts (cancel, statement_timeout) are checked once per batch.
 */
#include <string.h>

#include "common/errcodes.h"
#include "stream/stream_int.h"

void *
op_alloc(StreamRun *run, size_t size, const OpVtbl *vt, const DfNode *node, int ncols)
{
    Operator *op = arena_calloc(run->arena, 1, size);

    op->vt = vt;
    op->run = run;
    op->node = node;
    op->ncols = ncols;
    op->obuf.ncols = ncols;
    op->obuf.vals =
        arena_alloc(run->arena, sizeof(Value) * (size_t)(ncols ? ncols : 1) * STREAM_BATCH_ROWS);
    op->obuf.weights = arena_alloc(run->arena, sizeof(int64_t) * STREAM_BATCH_ROWS);
    return op;
}

int
op_emit(Operator *op, Err *err)
{
    int rc;

    if (op->obuf.n == 0)
        return 0;
    if (expr_check_interrupts(&op->run->ctx, err) < 0)
        return -1;
    rc = op->out->vt->push(op->out, op->out_port, &op->obuf, err);
    op->obuf.n = 0;
    return rc;
}

int
op_output(Operator *op, const Value *row, int64_t weight, Err *err)
{
    if (weight == 0)
        return 0;
    if (op->obuf.n == STREAM_BATCH_ROWS && op_emit(op, err) < 0)
        return -1;
    Value *dst = batch_row(&op->obuf, op->obuf.n);

    switch (op->ncols) { /* narrow rows without a memcpy call per row */
    case 0:
        break;
    case 1:
        dst[0] = row[0];
        break;
    case 2:
        dst[0] = row[0], dst[1] = row[1];
        break;
    case 3:
        dst[0] = row[0], dst[1] = row[1], dst[2] = row[2];
        break;
    default:
        memcpy(dst, row, sizeof(Value) * (size_t)op->ncols);
        break;
    }
    op->obuf.weights[op->obuf.n++] = weight;
    return 0;
}

/* ---- the collector ----------------------------------------------------------------------- */

typedef struct Collector {
    Operator op;
    int64_t n, cap;
    Value *rows;
    int64_t *weights;
    bool has_retractions;
} Collector;

static int
collect_push(Operator *op, int port, const Batch *in, Err *err)
{
    Collector *c = (Collector *)op;
    size_t w = (size_t)(in->ncols ? in->ncols : 1);

    (void)port, (void)err;
    if (c->n + in->n > c->cap) {
        int64_t cap = c->cap ? c->cap * 2 : 1024;
        Value *rows;
        int64_t *weights;

        while (cap < c->n + in->n)
            cap *= 2;
        rows = arena_alloc(op->run->arena, sizeof(Value) * w * (size_t)cap);
        weights = arena_alloc(op->run->arena, sizeof(int64_t) * (size_t)cap);
        if (c->n > 0) {
            memcpy(rows, c->rows, sizeof(Value) * w * (size_t)c->n);
            memcpy(weights, c->weights, sizeof(int64_t) * (size_t)c->n);
        }
        c->rows = rows;
        c->weights = weights;
        c->cap = cap;
    }
    if (in->ncols > 0)
        memcpy(&c->rows[w * (size_t)c->n], in->vals, sizeof(Value) * w * (size_t)in->n);
    memcpy(&c->weights[c->n], in->weights, sizeof(int64_t) * (size_t)in->n);
    for (int i = 0; i < in->n; i++)
        c->has_retractions = c->has_retractions || in->weights[i] < 0;
    c->n += in->n;
    return 0;
}

static int
collect_flush(Operator *op, Err *err)
{
    (void)op, (void)err;
    return 0;
}

static const OpVtbl collector_vt = {"collect", collect_push, collect_flush};

/*
 * A one-shot run has a single barrier, so no operator retracts anything it
 * emitted: every weight reaching the collector is positive. Incremental
 * views keep their result in a state table instead of this collector.
 */
static int
check_weights(const Collector *c, Err *err)
{
    if (c->has_retractions)
        return ERR_RAISE(err, ERRCODE_INTERNAL_ERROR, "retraction reached a one-shot result");
    return 0;
}

int
stream_sort_indexes(const SortKey *keys, int nkeys, EvalCtx *ctx, const Value *rows, size_t w,
                    int64_t *idx, int64_t *tmp, int64_t n, Err *err)
{
    int64_t mid = n / 2, i = 0, j, k = 0;

    if (n < 2)
        return 0;
    if (stream_sort_indexes(keys, nkeys, ctx, rows, w, idx, tmp, mid, err) < 0 ||
        stream_sort_indexes(keys, nkeys, ctx, rows, w, idx + mid, tmp, n - mid, err) < 0)
        return -1;
    j = mid;
    while (i < mid && j < n) {
        int c;

        if (plan_compare_rows(keys, nkeys, ctx, &rows[(size_t)idx[j] * w],
                              &rows[(size_t)idx[i] * w], &c, err) < 0)
            return -1;
        tmp[k++] = c < 0 ? idx[j++] : idx[i++];
    }
    while (i < mid)
        tmp[k++] = idx[i++];
    while (j < n)
        tmp[k++] = idx[j++];
    memcpy(idx, tmp, sizeof(int64_t) * (size_t)n);
    return 0;
}

int
stream_eval_count(const Expr *e, EvalCtx *ctx, bool is_limit, int64_t *out, Err *err)
{
    Datum d;
    bool isnull;

    *out = -1;
    if (e == NULL)
        return 0;
    ctx->row = NULL;
    if (expr_eval(e, ctx, &d, &isnull, err) < 0)
        return -1;
    if (isnull)
        return 0;
    if (datum_get_int64(d) < 0)
        return is_limit ? ERR_RAISE(err, ERRCODE_INVALID_ROW_COUNT_IN_LIMIT_CLAUSE,
                                    "LIMIT must not be negative")
                        : ERR_RAISE(err, ERRCODE_INVALID_ROW_COUNT_IN_RESULT_OFFSET_CLAUSE,
                                    "OFFSET must not be negative");
    *out = datum_get_int64(d);
    return 0;
}

/* The rows in order, weights expanded, cut by OFFSET/LIMIT, copied into out. */
static int
finish(Collector *c, const Dataflow *df, EvalCtx *ctx, Arena *out, Value **rows, int64_t *nrows,
       Err *err)
{
    size_t w = (size_t)(df->ncols ? df->ncols : 1);
    int64_t limit = -1, offset = -1, total = 0, *idx, *tmp, skip, take, k = 0;
    Value *res;

    if (df->limit != NULL &&
        (stream_eval_count(df->limit->u.limit.limit, ctx, true, &limit, err) < 0 ||
         stream_eval_count(df->limit->u.limit.offset, ctx, false, &offset, err) < 0))
        return -1;
    if (check_weights(c, err) < 0)
        return -1;
    idx = arena_alloc(c->op.run->arena, sizeof(int64_t) * (size_t)(c->n ? c->n : 1));
    tmp = arena_alloc(c->op.run->arena, sizeof(int64_t) * (size_t)(c->n ? c->n : 1));
    for (int64_t i = 0; i < c->n; i++) {
        idx[i] = i;
        total += c->weights[i];
    }
    if (df->sort != NULL && stream_sort_indexes(df->sort->u.sort.keys, df->sort->u.sort.nkeys, ctx,
                                                c->rows, w, idx, tmp, c->n, err) < 0)
        return -1;
    skip = offset < 0 ? 0 : offset;
    take = total - skip;
    if (take < 0)
        take = 0;
    if (limit >= 0 && take > limit)
        take = limit;
    res = arena_alloc(out, sizeof(Value) * w * (size_t)(take ? take : 1));
    for (int64_t i = 0; i < c->n && k < take; i++) {
        const Value *row = &c->rows[(size_t)idx[i] * w];

        for (int64_t copies = c->weights[idx[i]]; copies > 0 && k < take; copies--) {
            if (skip > 0) {
                skip--;
                continue;
            }
            memcpy(&res[(size_t)k * w], row, sizeof(Value) * w);
            k++;
        }
    }
    *rows = res;
    *nrows = k;
    return 0;
}

/* ---- the one-shot runner ------------------------------------------------------------------ */

Operator *
stream_make_operator(StreamRun *run, const DfNode *node)
{
    switch (node->kind) {
    case DF_VALUES:
        return op_values_new(run, node);
    case DF_SERIES:
        return op_series_new(run, node);
    case DF_FILTER:
        return op_filter_new(run, node);
    case DF_PROJECT:
        return op_project_new(run, node);
    case DF_JOIN:
        return op_join_new(run, node);
    case DF_AGG:
        return op_agg_new(run, node);
    case DF_TOPN:
        return op_topn_new(run, node);
    case DF_SCAN:
        return op_scan_new(run, node);
    case DF_SETOP:
        return op_setop_new(run, node);
    case DF_WINDOW:
        return op_window_new(run, node);
    case DF_MARKJOIN:
        return op_markjoin_new(run, node);
    case DF_HOP:
        return op_hop_new(run, node);
    case DF_SESSION:
        return op_session_new(run, node);
    case DF_TEMPORAL:
        return op_temporal_new(run, node);
    }
    return NULL;
}

/* By-reference values of the result are copied into out (the run's arena dies). */
static void
copy_out(const PlanNode *plan, Arena *out, Value *rows, int64_t nrows)
{
    size_t w = (size_t)(plan->ncols ? plan->ncols : 1);

    for (int col = 0; col < plan->ncols; col++) {
        const TypeInfo *t = type_by_oid(plan->types[col]);

        if (t == NULL || t->byval)
            continue;
        for (int64_t r = 0; r < nrows; r++) {
            Value *v = &rows[(size_t)r * w + (size_t)col];

            if (!v->isnull)
                v->d = datum_copy(out, v->d, false);
        }
    }
}

static int
run_graph(StreamRun *run, const Dataflow *df, Err *err)
{
    Operator **ops = arena_calloc(run->arena, (size_t)df->nnodes, sizeof(Operator *));

    for (int i = 0; i < df->nnodes; i++) {
        if ((ops[i] = stream_make_operator(run, &df->nodes[i])) == NULL)
            return ERR_RAISE(err, ERRCODE_INTERNAL_ERROR, "cannot build operator %d", i);
    }
    for (int i = 0; i < df->nnodes; i++) {
        const DfNode *n = &df->nodes[i];

        ops[i]->out = n->output >= 0 ? ops[n->output] : run->collector;
        ops[i]->out_port = n->output_port;
    }
    /* one barrier: every operator, inputs first, emits what it has */
    for (int i = 0; i < df->nnodes; i++) {
        if (ops[i]->vt->flush(ops[i], err) < 0 || op_emit(ops[i], err) < 0)
            return -1;
    }
    return 0;
}

int
stream_run_oneshot(const PlanNode *plan, EvalCtx *ctx, Arena *out_arena, Value **rows,
                   int64_t *nrows, Err *err)
{
    StreamRun run = {0};
    Dataflow *df;
    Collector *c;
    int rc;

    run.arena = arena_create("run", 0);
    run.ctx = *ctx;
    run.ctx.arena = run.arena;
    run.scratch = run.arena;
    run.ctx.row = NULL;
    run.one_shot = true;
    c = op_alloc(&run, sizeof(Collector), &collector_vt, NULL, plan->ncols);
    run.collector = &c->op;
    rc = planner_build(plan, run.arena, &df, err);
    if (rc == 0)
        rc = run_graph(&run, df, err);
    if (rc == 0)
        rc = finish(c, df, &run.ctx, out_arena, rows, nrows, err);
    if (rc == 0)
        copy_out(plan, out_arena, *rows, *nrows);
    arena_destroy(run.arena);
    return rc;
}
