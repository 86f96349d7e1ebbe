/*
 * stream/op_agg.c — hash aggregation over the aggregate state machines of
 * sql/agg.h (GROUP BY, aggregates without GROUP BY, SELECT DISTINCT).
 *
 * Delta rule: for every group whose input changed during an epoch, the
 * barrier emits (old output row, -1) if one was emitted before, then (new
 * output row, +1) if the group still has rows. A scalar aggregate (no GROUP
 * BY) always has exactly one output row, even over no input (count 0, sum
 * NULL), as PostgreSQL.
 *
 * Per group state: the row count (weights summed), one state per aggregate
 * call, and where needed a multiset of argument values:
 *   - DISTINCT: always (add/retract run only on 0 → 1 / 1 → 0 transitions);
 *   - aggregates that cannot retract (min, max, string_agg, float sums):
 *     when the run may retract (not one-shot). A retraction marks the state
 *     for rebuilding from the multiset at the barrier.
 *
 *   change (row, w) ──keys──▶ group ──FILTER, strict args──▶ add / retract
 *                                                  │
 *   barrier ──▶ for each dirty group: rebuild? ─▶ -old, +new
 *
 * Invariants:
 *   1. Groups are kept in first-seen order (RowTable), so output order is
 *      the order groups first appeared.
 *   2. A group's count counts every input row, whatever the FILTERs say
 *      (a group exists when it has rows).
 *   3. Group keys with fixed-width types are stored inline in the table's
 *      key array: no allocation per input row beyond new groups.
 *   4. Keys, FILTERs and arguments are evaluated per batch, column-at-a-time
 *      (agg_prepare), before any state changes; if that fails the batch is
 *      evaluated again row by row, so errors come in PostgreSQL's row order.
 */
#include <string.h>

#include "stream/stream_int.h"

typedef struct AggSlot {
    RowTable *ms; /* argument multiset (payload: int64_t count), or NULL */
    bool rebuild;
} AggSlot;

typedef struct Group {
    int64_t count;
    bool dirty;
    bool emitted;
    Value *last;
    char *states;
    AggSlot *slots;
} Group;

typedef struct AggOp {
    Operator op;
    const PlanNode *p;
    RowTable groups;
    size_t *offsets;
    size_t state_size;
    AggCtx *actx;
    TypeOrder **arg_orders;
    bool *needs_ms;
    Value *keybuf;
    Value **argbuf; /* per call: its arguments, then its ORDER BY values */
    Value *outrow;
    bool flushed_once;
    /* batch pre-evaluation (agg_prepare): row pointers, key and argument columns */
    bool vec;            /* no ordered-set calls: keys and arguments evaluated per batch */
    const Value **rows;  /* STREAM_BATCH_ROWS */
    const Value **sub;   /* STREAM_BATCH_ROWS: the rows a FILTER passes */
    Value **keycols;     /* per key: STREAM_BATCH_ROWS values */
    Value ***argcols;    /* per call, per argument: STREAM_BATCH_ROWS values */
    bool **pass;         /* per call with a FILTER: STREAM_BATCH_ROWS flags */
    RowEntry *scalar;    /* no GROUP BY: the one group's entry, once it exists */
} AggOp;

static Group *
new_group(AggOp *a)
{
    Arena *arena = a->op.run->arena;
    Group *g = arena_calloc(arena, 1, sizeof *g);
    int naggs = a->p->u.agg.naggs;

    g->states = arena_calloc(arena, a->state_size ? a->state_size : 1, 1);
    g->slots = arena_calloc(arena, (size_t)(naggs ? naggs : 1), sizeof(AggSlot));
    for (int j = 0; j < naggs; j++) {
        const AggCall *c = &a->p->u.agg.aggs[j];

        c->impl->init(g->states + a->offsets[j]);
        if (a->needs_ms[j]) {
            g->slots[j].ms = arena_alloc(arena, sizeof(RowTable));
            rowtable_init(g->slots[j].ms, arena, c->nargs + c->norder, a->arg_orders[j]);
        }
    }
    return g;
}

static int
apply_n(AggOp *a, int j, Group *g, const Value *args, int64_t times, Err *err)
{
    const AggImpl *impl = a->p->u.agg.aggs[j].impl;
    void *state = g->states + a->offsets[j];

    for (; times > 0; times--) {
        if (impl->add(state, args, &a->actx[j], err) < 0)
            return -1;
    }
    for (; times < 0; times++) {
        if (impl->retract(state, args, &a->actx[j], err) < 0)
            return -1;
    }
    return 0;
}

/* Counts args in the group's multiset; returns the count before. */
static int
ms_count(AggOp *a, AggSlot *slot, const Value *args, int64_t w, int64_t *before, Err *err)
{
    RowEntry *e;
    bool created;

    if (rowtable_lookup(slot->ms, &a->op.run->ctx, args, true, &e, &created, err) < 0)
        return -1;
    if (created)
        e->payload = arena_calloc(a->op.run->arena, 1, sizeof(int64_t));
    *before = *(int64_t *)e->payload;
    *(int64_t *)e->payload += w;
    return 0;
}

static int
change_agg(AggOp *a, int j, Group *g, const Value *args, int64_t w, Err *err)
{
    const AggCall *c = &a->p->u.agg.aggs[j];
    AggSlot *slot = &g->slots[j];
    int64_t before;

    if (c->distinct) {
        if (ms_count(a, slot, args, w, &before, err) < 0)
            return -1;
        if (before <= 0 && before + w > 0)
            return apply_n(a, j, g, args, 1, err);
        if (before > 0 && before + w <= 0) {
            if (c->impl->retract != NULL)
                return apply_n(a, j, g, args, -1, err);
            slot->rebuild = true;
        }
        return 0;
    }
    if (slot->ms != NULL && ms_count(a, slot, args, w, &before, err) < 0)
        return -1;
    if (w > 0)
        return apply_n(a, j, g, args, w, err);
    if (c->impl->retract != NULL)
        return apply_n(a, j, g, args, w, err);
    slot->rebuild = true;
    return 0;
}

static int
eval_agg(AggOp *a, int j, Group *g, int64_t w, Err *err)
{
    const AggCall *c = &a->p->u.agg.aggs[j];
    EvalCtx *ctx = &a->op.run->ctx;
    Value *args = a->argbuf[j];

    if (c->filter != NULL) {
        Datum d;
        bool isnull;

        if (expr_eval(c->filter, ctx, &d, &isnull, err) < 0)
            return -1;
        if (isnull || !datum_get_bool(d))
            return 0;
    }
    for (int i = 0; i < c->nargs; i++) {
        if (expr_eval(c->args[i], ctx, &args[i].d, &args[i].isnull, err) < 0)
            return -1;
    }
    for (int i = 0; i < c->impl->nstrict && i < c->nargs; i++) {
        if (args[i].isnull)
            return 0;
    }
    if (c->norder > 0) {
        /* ordered: only counted now, fed to the state in order at the barrier */
        int64_t before;

        for (int i = 0; i < c->norder; i++) {
            Value *v = &args[c->nargs + i];

            if (expr_eval(c->order[i], ctx, &v->d, &v->isnull, err) < 0)
                return -1;
        }
        g->slots[j].rebuild = true;
        return ms_count(a, &g->slots[j], args, w, &before, err);
    }
    return change_agg(a, j, g, args, w, err);
}

/*
 * Evaluates the grouping keys, FILTERs and arguments of every call over the
 * whole batch, column-at-a-time (sql/expr_vec.c), before any state changes:
 * a call's arguments only for the rows its FILTER passes, as PostgreSQL.
 * On failure the caller evaluates the batch again row by row (so the error
 * reported is the one PostgreSQL's row order raises first).
 */
static int
agg_prepare(AggOp *a, const Batch *in, Err *err)
{
    const PlanNode *p = a->p;
    EvalCtx *ctx = &a->op.run->ctx;
    int n = in->n;

    for (int i = 0; i < n; i++)
        a->rows[i] = batch_row(in, i);
    for (int k = 0; k < p->u.agg.nkeys; k++) {
        if (expr_eval_batch(p->u.agg.keys[k], ctx, a->rows, n, a->keycols[k], err) < 0)
            return -1;
    }
    for (int j = 0; j < p->u.agg.naggs; j++) {
        const AggCall *c = &p->u.agg.aggs[j];
        const Value **sub = a->rows;
        int m = n;

        if (c->filter != NULL) {
            Value *fv = a->argcols[j][c->nargs]; /* scratch: the FILTER's values */

            if (expr_eval_batch(c->filter, ctx, a->rows, n, fv, err) < 0)
                return -1;
            sub = a->sub;
            m = 0;
            for (int i = 0; i < n; i++) {
                a->pass[j][i] = !fv[i].isnull && datum_get_bool(fv[i].d);
                if (a->pass[j][i])
                    sub[m++] = a->rows[i];
            }
        }
        for (int i = 0; i < c->nargs; i++) {
            Value *col = a->argcols[j][i];

            if (expr_eval_batch(c->args[i], ctx, sub, m, col, err) < 0)
                return -1;
            if (c->filter != NULL) { /* scatter the passing rows' values to their row numbers */
                for (int r = n - 1, k = m - 1; r >= 0; r--) {
                    if (a->pass[j][r])
                        col[r] = col[k--];
                }
            }
        }
    }
    return 0;
}

/* One input row: keys, group, then each call (the row-at-a-time path when pre is false). */
static int
agg_row(AggOp *a, const Batch *in, int i, bool pre, Err *err)
{
    const PlanNode *p = a->p;
    EvalCtx *ctx = &a->op.run->ctx;
    RowEntry *e;
    Group *g;
    bool created;

    ctx->row = batch_row(in, i);
    ctx->ncols = in->ncols;
    for (int k = 0; k < p->u.agg.nkeys; k++) {
        if (pre)
            a->keybuf[k] = a->keycols[k][i];
        else if (expr_eval(p->u.agg.keys[k], ctx, &a->keybuf[k].d, &a->keybuf[k].isnull, err) < 0)
            return -1;
    }
    if (p->u.agg.nkeys == 0 && a->scalar != NULL)
        e = a->scalar; /* entries never move (stream_int.h invariant 2) */
    else {
        if (rowtable_lookup(&a->groups, ctx, a->keybuf, true, &e, &created, err) < 0)
            return -1;
        if (created)
            e->payload = new_group(a);
        if (p->u.agg.nkeys == 0)
            a->scalar = e;
    }
    g = e->payload;
    g->count += in->weights[i];
    g->dirty = true;
    for (int j = 0; j < p->u.agg.naggs; j++) {
        const AggCall *c = &p->u.agg.aggs[j];
        Value *args = a->argbuf[j];
        bool skip = false;

        if (!pre) {
            if (eval_agg(a, j, g, in->weights[i], err) < 0)
                return -1;
            continue;
        }
        if (c->filter != NULL && !a->pass[j][i])
            continue;
        for (int x = 0; x < c->nargs; x++)
            args[x] = a->argcols[j][x][i];
        for (int x = 0; x < c->impl->nstrict && x < c->nargs; x++)
            skip = skip || args[x].isnull;
        if (!skip && change_agg(a, j, g, args, in->weights[i], err) < 0)
            return -1;
    }
    return 0;
}

static int
agg_push(Operator *op, int port, const Batch *in, Err *err)
{
    AggOp *a = (AggOp *)op;
    EvalCtx *ctx = &op->run->ctx;
    bool pre = false;

    (void)port;
    ctx->ncols = in->ncols;
    if (a->vec) {
        pre = agg_prepare(a, in, err) == 0;
        if (!pre)
            err_clear(err);
    }
    for (int i = 0; i < in->n; i++) {
        if (agg_row(a, in, i, pre, err) < 0)
            return -1;
    }
    ctx->row = NULL;
    return 0;
}

/* ORDER BY inside the call: the multiset's rows with a count, sorted, added in order. */
static int
rebuild_ordered(AggOp *a, int j, Group *g, Err *err)
{
    const AggCall *c = &a->p->u.agg.aggs[j];
    RowTable *ms = g->slots[j].ms;
    Arena *arena = a->op.run->arena;
    size_t w = (size_t)(c->nargs + c->norder);
    Value *rows = arena_alloc(arena, sizeof(Value) * w * (ms->n + 1));
    int64_t *counts = arena_alloc(arena, sizeof(int64_t) * (ms->n + 1));
    int64_t *idx = arena_alloc(arena, sizeof(int64_t) * (ms->n + 1));
    int64_t *tmp = arena_alloc(arena, sizeof(int64_t) * (ms->n + 1));
    int64_t n = 0;

    for (uint32_t i = 0; i < ms->n; i++) {
        RowEntry *e = rowtable_entry(ms, i);

        if (*(int64_t *)e->payload <= 0)
            continue;
        memcpy(&rows[w * (size_t)n], e->key, sizeof(Value) * w);
        counts[n] = *(int64_t *)e->payload;
        idx[n] = n;
        n++;
    }
    if (stream_sort_indexes(c->order_keys, c->norder, &a->op.run->ctx, rows, w, idx, tmp, n, err) <
        0)
        return -1;
    for (int64_t i = 0; i < n; i++) {
        if (apply_n(a, j, g, &rows[w * (size_t)idx[i]], c->distinct ? 1 : counts[idx[i]], err) < 0)
            return -1;
    }
    return 0;
}

/* Re-initialises a state and adds its multiset back (non-retractable aggregates). */
static int
rebuild(AggOp *a, int j, Group *g, Err *err)
{
    const AggCall *c = &a->p->u.agg.aggs[j];
    RowTable *ms = g->slots[j].ms;

    c->impl->init(g->states + a->offsets[j]);
    if (c->norder > 0) {
        g->slots[j].rebuild = false;
        return rebuild_ordered(a, j, g, err);
    }
    for (uint32_t i = 0; i < ms->n; i++) {
        RowEntry *e = rowtable_entry(ms, i);
        int64_t n = *(int64_t *)e->payload;

        if (n > 0 && apply_n(a, j, g, e->key, c->distinct ? 1 : n, err) < 0)
            return -1;
    }
    g->slots[j].rebuild = false;
    return 0;
}

static int
emit_group(AggOp *a, const RowEntry *e, Group *g, Err *err)
{
    const PlanNode *p = a->p;
    int nkeys = p->u.agg.nkeys;
    bool scalar = nkeys == 0;

    for (int j = 0; j < p->u.agg.naggs; j++) {
        if (g->slots[j].rebuild && rebuild(a, j, g, err) < 0)
            return -1;
    }
    if (g->emitted && op_output(&a->op, g->last, -1, err) < 0)
        return -1;
    g->emitted = false;
    g->dirty = false;
    if (g->count <= 0 && !scalar)
        return 0;
    memcpy(a->outrow, e->key, sizeof(Value) * (size_t)nkeys);
    for (int j = 0; j < p->u.agg.naggs; j++) {
        const AggCall *c = &p->u.agg.aggs[j];
        Value *v = &a->outrow[nkeys + j];

        if (c->impl->result(g->states + a->offsets[j], &a->actx[j], &v->d, &v->isnull, err) < 0)
            return -1;
    }
    g->last = arena_memdup(a->op.run->arena, a->outrow,
                           sizeof(Value) * (size_t)(a->op.ncols ? a->op.ncols : 1));
    g->emitted = true;
    return op_output(&a->op, g->last, 1, err);
}

static int
agg_flush(Operator *op, Err *err)
{
    AggOp *a = (AggOp *)op;

    if (!a->flushed_once && a->p->u.agg.nkeys == 0) {
        RowEntry *e;
        bool created;

        /* the scalar aggregate's one group exists even without input */
        if (rowtable_lookup(&a->groups, &op->run->ctx, a->keybuf, true, &e, &created, err) < 0)
            return -1;
        if (created) {
            e->payload = new_group(a);
            ((Group *)e->payload)->dirty = true;
        }
    }
    a->flushed_once = true;
    for (uint32_t i = 0; i < a->groups.n; i++) {
        RowEntry *e = rowtable_entry(&a->groups, i);
        Group *g = e->payload;

        if (g->dirty && emit_group(a, e, g, err) < 0)
            return -1;
    }
    return 0;
}

static const OpVtbl agg_vt = {"agg", agg_push, agg_flush};

static void
setup_call(AggOp *a, StreamRun *run, int j)
{
    const AggCall *c = &a->p->u.agg.aggs[j];

    a->actx[j] = (AggCtx){&run->ctx, c->argtype, c->arg_lt};
    a->arg_orders[j] =
        arena_calloc(run->arena, (size_t)(c->nargs + c->norder + 1), sizeof(TypeOrder));
    for (int i = 0; i < c->nargs; i++)
        (void)plan_type_order(c->args[i]->type, &a->arg_orders[j][i]);
    for (int i = 0; i < c->norder; i++)
        (void)plan_type_order(c->order[i]->type, &a->arg_orders[j][c->nargs + i]);
    a->argbuf[j] = arena_calloc(run->arena, (size_t)(c->nargs + c->norder + 1), sizeof(Value));
    a->needs_ms[j] = c->distinct || c->norder > 0 || (c->impl->retract == NULL && !run->one_shot);
}

Operator *
op_agg_new(StreamRun *run, const DfNode *node)
{
    const PlanNode *p = node->plan;
    int naggs = p->u.agg.naggs;
    AggOp *a = op_alloc(run, sizeof(AggOp), &agg_vt, node, p->ncols);
    size_t n = (size_t)(naggs ? naggs : 1);

    a->p = p;
    rowtable_init(&a->groups, run->arena, p->u.agg.nkeys, p->u.agg.key_orders);
    a->offsets = arena_calloc(run->arena, n, sizeof(size_t));
    a->actx = arena_calloc(run->arena, n, sizeof(AggCtx));
    a->arg_orders = arena_calloc(run->arena, n, sizeof(TypeOrder *));
    a->needs_ms = arena_calloc(run->arena, n, sizeof(bool));
    a->argbuf = arena_calloc(run->arena, n, sizeof(Value *));
    for (int j = 0; j < naggs; j++) {
        a->offsets[j] = a->state_size;
        /* states are 16-byte aligned: some hold __int128 */
        a->state_size += (p->u.agg.aggs[j].impl->state_size + 15) & ~(size_t)15;
        setup_call(a, run, j);
    }
    a->keybuf = arena_calloc(run->arena, (size_t)p->u.agg.nkeys + 1, sizeof(Value));

    a->outrow = arena_calloc(run->arena, (size_t)p->ncols + 1, sizeof(Value));
    a->vec = true;
    for (int j = 0; j < naggs; j++)
        a->vec = a->vec && p->u.agg.aggs[j].norder == 0;
    if (a->vec) {
        a->rows = arena_alloc(run->arena, sizeof(Value *) * STREAM_BATCH_ROWS);
        a->sub = arena_alloc(run->arena, sizeof(Value *) * STREAM_BATCH_ROWS);
        a->keycols = arena_alloc(run->arena, sizeof(Value *) * ((size_t)p->u.agg.nkeys + 1));
        for (int k = 0; k < p->u.agg.nkeys; k++)
            a->keycols[k] = arena_alloc(run->arena, sizeof(Value) * STREAM_BATCH_ROWS);
        a->argcols = arena_alloc(run->arena, sizeof(Value **) * n);
        a->pass = arena_alloc(run->arena, sizeof(bool *) * n);
        for (int j = 0; j < naggs; j++) {
            const AggCall *c = &p->u.agg.aggs[j];

            /* one more argument column: scratch for the FILTER's values */
            a->argcols[j] = arena_alloc(run->arena, sizeof(Value *) * (size_t)(c->nargs + 1));
            for (int x = 0; x <= c->nargs; x++)
                a->argcols[j][x] = arena_alloc(run->arena, sizeof(Value) * STREAM_BATCH_ROWS);
            a->pass[j] = arena_alloc(run->arena, sizeof(bool) * STREAM_BATCH_ROWS);
        }
    }
    return &a->op;
}
