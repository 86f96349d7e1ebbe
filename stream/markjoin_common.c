/*
 * stream/markjoin_common.c — marks of the mark join, shared by the
 * in-memory (stream/op_markjoin.c) and persistent
 * (stream/op_markjoin_state.c) operators; see stream/markjoin_int.h for
 * the protocol and stream/op_markjoin.c for what each mark kind means.
 *
 * Invariants:
 *   1. Three-valued logic: ANY is true when `test` is true for some match,
 *      else NULL when it is NULL for some, else false; ALL is false when
 *      `test` is false for some, else NULL when NULL for some, else true.
 *   2. A scalar subquery with more than one match raises 21000 (with
 *      take_first, ORDER BY ... LIMIT 1, it keeps the first in that order,
 *      ties: the one visited first).
 *   3. ctx->row is reset to NULL on every return (markjoin_int.h inv. 3).
 */
#include <string.h>

#include "common/errcodes.h"
#include "stream/markjoin_int.h"

void
markcalc_init(MarkCalc *mc, Operator *op)
{
    const PlanNode *p = op->node->plan;
    Arena *a = op->run->arena;
    int width;

    mc->op = op;
    mc->plan = p;
    mc->nleft_cols = p->input->ncols;
    mc->nright_cols = p->right->ncols;
    if (!plan_type_order(p->types[p->ncols - 1], &mc->mark_order))
        mc->mark_order.type = 0;
    width = mc->nleft_cols + mc->nright_cols + 1;
    mc->pair = arena_calloc(a, (size_t)width, sizeof(Value));
    mc->orow = arena_calloc(a, (size_t)(p->ncols > width ? p->ncols : width) + 1, sizeof(Value));
    mc->states = arena_calloc(a, (size_t)p->u.mark.naggs + 1, sizeof(void *));
    mc->aggrow = arena_calloc(a, (size_t)p->u.mark.naggs + 1, sizeof(Value));
    for (int i = 0; i < p->u.mark.naggs; i++)
        mc->states[i] = arena_calloc(a, 1, p->u.mark.aggs[i].impl->state_size);
}

int
markcalc_key(MarkCalc *mc, int port, const Value *row, int ncols, Value *key, Err *err)
{
    const PlanNode *p = mc->plan;
    EvalCtx *ctx = &mc->op->run->ctx;

    for (int k = 0; k < p->u.mark.nkeys; k++) {
        if (port == 1) {
            key[k] = row[p->u.mark.rkeys[k]];
            continue;
        }
        ctx->row = row;
        ctx->ncols = ncols;
        if (expr_eval(p->u.mark.lkeys[k], ctx, &key[k].d, &key[k].isnull, err) < 0) {
            ctx->row = NULL;
            return -1;
        }
        ctx->row = NULL;
    }
    return 0;
}

int
markcalc_eval_bool(MarkCalc *mc, const Expr *e, int *out, Err *err)
{
    EvalCtx *ctx = &mc->op->run->ctx;
    Datum d;
    bool isnull;

    ctx->row = mc->pair;
    ctx->ncols = mc->nleft_cols + mc->nright_cols;
    if (expr_eval(e, ctx, &d, &isnull, err) < 0) {
        ctx->row = NULL;
        return -1;
    }
    ctx->row = NULL;
    *out = isnull ? 2 : datum_get_bool(d) ? 1 : 0;
    return 0;
}

/* The scalar mark from the count of matches and the last match (pair holds the left row). */
static int
scalar_mark(MarkCalc *mc, int64_t count, const Value *match, Value *mark, Err *err)
{
    const PlanNode *p = mc->plan;
    EvalCtx *ctx = &mc->op->run->ctx;

    if (count > 1)
        return ERR_RAISE(err, ERRCODE_CARDINALITY_VIOLATION,
                         "more than one row returned by a subquery used as an expression");
    if (count == 1 && p->u.mark.value_expr == NULL) {
        *mark = match[p->u.mark.value];
        return 0;
    }
    if (count == 1) {
        memcpy(mc->pair + mc->nleft_cols, match, sizeof(Value) * (size_t)mc->nright_cols);
        ctx->row = mc->pair;
        ctx->ncols = mc->nleft_cols + mc->nright_cols;
        if (expr_eval(p->u.mark.value_expr, ctx, &mark->d, &mark->isnull, err) < 0) {
            ctx->row = NULL;
            return -1;
        }
        ctx->row = NULL;
        return 0;
    }
    mark->isnull = true;
    mark->d = 0;
    if (p->u.mark.empty == NULL)
        return 0;
    ctx->row = NULL;
    return expr_eval(p->u.mark.empty, ctx, &mark->d, &mark->isnull, err);
}

/* MARK_AGG: feeds the match in mc->pair (weight w) to every aggregate call. */
static int
agg_add(MarkCalc *mc, int64_t w, Err *err)
{
    const PlanNode *p = mc->plan;
    EvalCtx *ctx = &mc->op->run->ctx;

    for (int a = 0; a < p->u.mark.naggs; a++) {
        const AggCall *call = &p->u.mark.aggs[a];
        AggCtx actx = {ctx, call->argtype, call->arg_lt};
        Value args[AGG_MAX_ARGS];
        bool skip = false;
        int t;

        if (call->filter != NULL) {
            if (markcalc_eval_bool(mc, call->filter, &t, err) < 0)
                return -1;
            if (t != 1)
                continue;
        }
        ctx->row = mc->pair;
        ctx->ncols = mc->nleft_cols + mc->nright_cols;
        for (int i = 0; i < call->nargs; i++) {
            if (expr_eval(call->args[i], ctx, &args[i].d, &args[i].isnull, err) < 0) {
                ctx->row = NULL;
                return -1;
            }
            skip = skip || (i < call->impl->nstrict && args[i].isnull);
        }
        ctx->row = NULL;
        for (int64_t k = 0; !skip && k < w; k++) {
            if (call->impl->add(mc->states[a], args, &actx, err) < 0)
                return -1;
        }
    }
    return 0;
}

/* MARK_AGG: the states restarted, or the value over their results. */
static int
agg_begin_or_end(MarkCalc *mc, bool begin, Value *mark, Err *err)
{
    const PlanNode *p = mc->plan;
    EvalCtx *ctx = &mc->op->run->ctx;

    for (int a = 0; a < p->u.mark.naggs; a++) {
        const AggCall *call = &p->u.mark.aggs[a];
        AggCtx actx = {ctx, call->argtype, call->arg_lt};

        if (begin)
            call->impl->init(mc->states[a]);
        else if (call->impl->result(mc->states[a], &actx, &mc->aggrow[a].d, &mc->aggrow[a].isnull,
                                    err) < 0)
            return -1;
    }
    if (begin)
        return 0;
    ctx->row = mc->aggrow;
    ctx->ncols = p->u.mark.naggs;
    if (expr_eval(p->u.mark.value_expr, ctx, &mark->d, &mark->isnull, err) < 0) {
        ctx->row = NULL;
        return -1;
    }
    ctx->row = NULL;
    return 0;
}

int
markcalc_begin(MarkCalc *mc, const Value *left, MarkScan *ms, Err *err)
{
    *ms = (MarkScan){false, false, 0, NULL};
    memcpy(mc->pair, left, sizeof(Value) * (size_t)mc->nleft_cols);
    if (mc->plan->u.mark.kind == MARK_AGG)
        return agg_begin_or_end(mc, true, NULL, err);
    return 0;
}

int
markcalc_match(MarkCalc *mc, MarkScan *ms, const Value *right, int64_t w, Err *err)
{
    const PlanNode *p = mc->plan;
    int t, c = 0;

    memcpy(mc->pair + mc->nleft_cols, right, sizeof(Value) * (size_t)mc->nright_cols);
    if (p->u.mark.cond != NULL) {
        if (markcalc_eval_bool(mc, p->u.mark.cond, &t, err) < 0)
            return -1;
        if (t != 1)
            return 0;
    }
    switch (p->u.mark.kind) {
    case MARK_EXISTS:
        ms->decided = true;
        return 0;
    case MARK_ANY:
    case MARK_ALL:
        if (markcalc_eval_bool(mc, p->u.mark.test, &t, err) < 0)
            return -1;
        ms->saw_null = ms->saw_null || t == 2;
        ms->decided = p->u.mark.kind == MARK_ANY ? t == 1 : t == 0;
        return 0;
    case MARK_SCALAR:
        if (p->u.mark.take_first) { /* ORDER BY ... LIMIT 1: right sorts before the match */
            if (ms->match != NULL && p->u.mark.norder > 0 &&
                plan_compare_rows(p->u.mark.order, p->u.mark.norder, &mc->op->run->ctx, right,
                                  ms->match, &c, err) < 0)
                return -1;
            if (ms->match == NULL || c < 0)
                ms->match = right;
            ms->count = 1;
            return 0;
        }
        ms->count += w;
        ms->match = right;
        ms->decided = ms->count > 1;
        return 0;
    case MARK_AGG:
        return agg_add(mc, w, err);
    }
    return 0;
}

int
markcalc_finish(MarkCalc *mc, const MarkScan *ms, Value *mark, Err *err)
{
    MarkKind kind = mc->plan->u.mark.kind;

    mark->d = 0;
    mark->isnull = false;
    switch (kind) {
    case MARK_EXISTS:
        mark->d = datum_from_bool(ms->decided);
        return 0;
    case MARK_ANY:
    case MARK_ALL:
        mark->isnull = !ms->decided && ms->saw_null;
        mark->d = datum_from_bool(kind == MARK_ANY ? ms->decided : !ms->decided);
        return 0;
    case MARK_SCALAR:
        return scalar_mark(mc, ms->count, ms->match, mark, err);
    case MARK_AGG:
        return agg_begin_or_end(mc, false, mark, err);
    }
    return 0;
}

static int
emit_row(MarkCalc *mc, const Value *row, const Value *mark, int64_t w, Err *err)
{
    memcpy(mc->orow, row, sizeof(Value) * (size_t)mc->nleft_cols);
    mc->orow[mc->nleft_cols] = *mark;
    return op_output(mc->op, mc->orow, w, err);
}

int
markcalc_emit_change(MarkCalc *mc, const Value *row, const Value *old, int64_t emitted_w,
                     const Value *mark, int64_t w, Err *err)
{
    bool same = false;

    if (w != 0 && emitted_w != 0 && mc->mark_order.type != 0 &&
        stream_rows_equal(&mc->mark_order, 1, &mc->op->run->ctx, mark, old, &same, err) < 0)
        return -1;
    if (same)
        return emit_row(mc, row, mark, w - emitted_w, err);
    if ((emitted_w != 0 && emit_row(mc, row, old, -emitted_w, err) < 0) ||
        (w != 0 && emit_row(mc, row, mark, w, err) < 0))
        return -1;
    return 0;
}
