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
 *
 * Persistent mode (run->state != NULL, stream/opstate.h): nothing of a
 * group stays in memory between barriers. Two state tables:
 *
 *   "g"  gk ──▶ u8 version | u8 flags (bit 0: an output row was emitted;
 *               bit 1: gk is cut) | zigzag varint count | varint n, n bytes:
 *               the key's trailer (cut: the whole exact key)
 *               | each call's state (agg_state_encode_framed)
 *   "m"  gk | varint call | values ──▶ zigzag varint count | varint 2n+cut
 *               | (cut: varint order part length) | n bytes: the values'
 *               trailer (cut: their whole exact key)
 *
 * gk is the order part of the group key (sql/keycodec.h; one 0x00 byte
 * without GROUP BY): SQL-equal keys (1.0, 1.00) are one group. The trailer
 * keeps the exact spelling first seen, which the output shows, as the
 * in-memory path does; "m" entries likewise keep the first-seen spelling of
 * their values. An "m" row's values are the call's ORDER BY values first,
 * then its arguments, so a prefix scan of (gk, call) gives them in the
 * call's order (ties: by argument value).
 *
 * Long keys (LMDB takes at most 511 bytes): a group key's order part longer
 * than GROUP_KEY_MAX, or an "m" key longer than MS_KEY_MAX, is cut 8 bytes
 * short of that and a 64-bit hash of the whole order part appended (flag
 * GROUP_CUT, or bit 0 of the "m" value's length word); the value then
 * holds the whole exact key instead of the trailer. Order holds up to the
 * cut; "m" entries that share a cut prefix are sorted by their whole keys
 * when read (rebuild_state). Two different keys sharing a cut prefix and a
 * hash would share an entry (probability 2^-64, as stream/opkey.h).
 *
 *   push ──▶ group of this barrier? ─no─▶ load "g" into scratch (the old
 *                 │                        output row recomputed from the
 *                 ▼                        old states), table bt
 *            add / retract, "m" counts read and written through the cache
 *   flush ──▶ per touched group: rebuild (min/max: the first or last "m"
 *             entry; others: the whole range in order), -old, +new, write
 *             "g" back (deleted when the count is 0)
 *
 * A scalar aggregate's "g" entry is kept at count 0: it is the marker that
 * the empty-input row was emitted, so a reopened run does not emit it again.
 * Everything per barrier lives in run->scratch and is forgotten at the end
 * of agg_flush (opstate.h invariant 2). Differences from the in-memory
 * path: a barrier emits its groups in the order it first touched them
 * (invariant 1 holds per barrier); a group whose count returns to 0 is
 * forgotten, so it comes back with fresh states and spelling (as a one-shot
 * run would compute it); string_agg without ORDER BY, rebuilt after a
 * retraction, adds its values in key order, not arrival order. A key or
 * argument type keycodec cannot encode, or a state agg_state cannot, makes
 * the operator non-persistent (agg_mem_vt): the job keeps it in memory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sql/agg_state.h"
#include "sql/keycodec.h"
#include "sql/watermark.h"
#include "stream/opstate.h"
#include "stream/stream_int.h"

#define GROUP_FORMAT 1
#define GROUP_EMITTED 0x01
#define GROUP_CUT 0x02
/* Encoded keys (order part and trailer) and "m" values are built in buffers of this size. */
#define KEY_BUF_MAX 65536
/* Longest "g" key: longer ones are cut with a hash, leaving room for "m" keys after them. */
#define GROUP_KEY_MAX 200
/* Longest "m" key (LMDB's limit is 511). */
#define MS_KEY_MAX 448
/* Longest watermark bound remembered (one encoded fixed-width value). */
#define WM_LOW_MAX 64

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
    /* persistent mode: the group's key in the tables, and the exact key it stands for */
    uint8_t *gk;
    size_t gk_len;
    uint8_t *exact; /* keycodec order part then trailer: the spelling first seen */
    size_t exact_len;
    size_t order_len;
    bool cut; /* gk is the order part cut, with a hash (a long key) */
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
    /* persistent mode (run->state != NULL and every type and state encodable) */
    bool persist;
    StateCache *gcache;  /* "g": the groups */
    StateCache *mcache;  /* "m": the multisets, NULL until needed */
    KeySpec gspec;       /* the group key, exact */
    KeySpec *mspec;      /* per call with a multiset: ORDER BY values, then arguments */
    Value **mvals;       /* per call: its values in mspec's order */
    int8_t *extreme;     /* per call: 1 for min, -1 for max (rebuilt from one entry), else 0 */
    bool in_barrier;     /* bt holds this barrier's groups (in run->scratch) */
    RowTable bt;
    Buf kbuf;            /* fixed, KEY_BUF_MAX: an encoded key */
    uint8_t mkey[MS_KEY_MAX]; /* an "m" key cut */
    Buf mval;            /* fixed, KEY_BUF_MAX: an "m" value */
    Buf gval;            /* a "g" value, malloc'd during agg_flush only */
    /*
     * Watermark cleanup (persistent mode): group key wm_key is non-decreasing in input column
     * wm_col, which carries an event-time watermark; gk encodes it first (perm: the key
     * columns in gk's order, pkey: a key in that order), so the groups below a watermark are
     * one range of "g" (and of "m").
     */
    int wm_key; /* -1: none */
    int wm_col;
    int *perm;
    Value *pkey;
    int64_t cleaned; /* state entries dropped by watermarks (tests) */
    /* the last bound cleaned below: later cleanups start there (deleted keys stay in caches) */
    uint8_t wm_low[WM_LOW_MAX];
    size_t wm_low_len; /* 0: from the start */
} AggOp;

/* Persistent mode: the state is in the caches (the header's second part). */
static bool
persistent(const AggOp *a)
{
    return a->persist;
}

static int begin_barrier(AggOp *a, Err *err);
static int load_group(AggOp *a, RowEntry *e, bool *found, Err *err);
static int rebuild_state(AggOp *a, int j, Group *g, Err *err);
static int store_group(AggOp *a, Group *g, bool scalar, Err *err);

static Group *
new_group(AggOp *a)
{
    Arena *arena = persistent(a) ? a->op.run->scratch : a->op.run->arena;
    Group *g = arena_calloc(arena, 1, sizeof *g);
    int naggs = a->p->u.agg.naggs;

    g->states = arena_calloc(arena, a->state_size ? a->state_size : 1, 1);
    g->slots = arena_calloc(arena, (size_t)(naggs ? naggs : 1), sizeof(AggSlot));
    for (int j = 0; j < naggs; j++) {
        const AggCall *c = &a->p->u.agg.aggs[j];

        c->impl->init(g->states + a->offsets[j]);
        if (a->needs_ms[j] && !persistent(a)) {
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

static int ms_count_state(AggOp *a, int j, Group *g, const Value *args, int64_t w,
                          int64_t *before, Err *err);

/* Counts args in the group's multiset of call j; returns the count before. */
static int
ms_count(AggOp *a, int j, Group *g, const Value *args, int64_t w, int64_t *before, Err *err)
{
    AggSlot *slot = &g->slots[j];
    RowEntry *e;
    bool created;

    if (persistent(a))
        return ms_count_state(a, j, g, args, w, before, err);
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
        if (ms_count(a, j, g, args, w, &before, err) < 0)
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
    if (a->needs_ms[j] && ms_count(a, j, g, args, w, &before, err) < 0)
        return -1;
    if (w > 0)
        return apply_n(a, j, g, args, w, err);
    if (c->impl->retract != NULL)
        return apply_n(a, j, g, args, w, err);
    if (!a->needs_ms[j] && !a->op.run->one_shot) /* insert-only input: nothing to rebuild from */
        return ERR_RAISE(err, ERRCODE_INTERNAL_ERROR,
                         "a retraction reached %s() over an insert-only input", c->impl->name);
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
        return ms_count(a, j, g, args, w, &before, err);
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
    else if (persistent(a)) {
        if (!a->in_barrier && begin_barrier(a, err) < 0)
            return -1;
        if (rowtable_lookup(&a->bt, ctx, a->keybuf, true, &e, &created, err) < 0)
            return -1;
        if (created && load_group(a, e, NULL, err) < 0)
            return -1;
        if (p->u.agg.nkeys == 0)
            a->scalar = e;
    } else {
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

    if (persistent(a))
        return rebuild_state(a, j, g, err);
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

/* The group's output row (its keys, each call's result), copied into *out. */
static int
group_row(AggOp *a, const RowEntry *e, Group *g, Value **out, Err *err)
{
    const PlanNode *p = a->p;
    int nkeys = p->u.agg.nkeys;

    memcpy(a->outrow, e->key, sizeof(Value) * (size_t)nkeys);
    for (int j = 0; j < p->u.agg.naggs; j++) {
        const AggCall *c = &p->u.agg.aggs[j];
        Value *v = &a->outrow[nkeys + j];

        if (c->impl->result(g->states + a->offsets[j], &a->actx[j], &v->d, &v->isnull, err) < 0)
            return -1;
    }
    *out = arena_memdup(persistent(a) ? a->op.run->scratch : a->op.run->arena, a->outrow,
                        sizeof(Value) * (size_t)(a->op.ncols ? a->op.ncols : 1));
    return 0;
}

static int
emit_group(AggOp *a, const RowEntry *e, Group *g, Err *err)
{
    const PlanNode *p = a->p;
    bool scalar = p->u.agg.nkeys == 0;

    for (int j = 0; j < p->u.agg.naggs; j++) {
        if (g->slots[j].rebuild && rebuild(a, j, g, err) < 0)
            return -1;
    }
    if (g->emitted && op_output(&a->op, g->last, -1, err) < 0)
        return -1;
    g->emitted = false;
    g->dirty = false;
    if (g->count > 0 || scalar) {
        if (group_row(a, e, g, &g->last, err) < 0)
            return -1;
        g->emitted = true;
        if (op_output(&a->op, g->last, 1, err) < 0)
            return -1;
    }
    return persistent(a) ? store_group(a, g, scalar, err) : 0;
}

static void end_barrier(AggOp *a);

/* Persistent mode: this barrier's groups (the scalar one loaded at the first flush). */
static int
agg_flush_state(AggOp *a, Err *err)
{
    int rc = 0;

    if (!a->in_barrier && begin_barrier(a, err) < 0)
        return -1;
    if (!a->flushed_once && a->p->u.agg.nkeys == 0 && a->scalar == NULL) {
        RowEntry *e;
        bool created, found;

        /* the scalar aggregate's one group exists even without input: a marker once emitted */
        if (rowtable_lookup(&a->bt, &a->op.run->ctx, a->keybuf, true, &e, &created, err) < 0 ||
            load_group(a, e, &found, err) < 0) {
            end_barrier(a);
            return -1;
        }
        ((Group *)e->payload)->dirty = !found;
    }
    a->flushed_once = true;
    for (uint32_t i = 0; i < a->bt.n && rc == 0; i++) {
        RowEntry *e = rowtable_entry(&a->bt, i);
        Group *g = e->payload;

        if (g->dirty)
            rc = emit_group(a, e, g, err);
    }
    end_barrier(a);
    return rc;
}

static int
agg_flush(Operator *op, Err *err)
{
    AggOp *a = (AggOp *)op;

    if (persistent(a))
        return agg_flush_state(a, err);
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

/* ---- persistent mode: groups and multisets in state tables ----------------------------- */

static void
put_varint(Buf *b, uint64_t v)
{
    uint8_t tmp[10];
    size_t n = 0;

    do {
        tmp[n] = (uint8_t)(v & 0x7f);
        v >>= 7;
        tmp[n++] |= v != 0 ? 0x80 : 0;
    } while (v != 0);
    buf_append(b, tmp, n);
}

static void
put_svarint(Buf *b, int64_t v)
{
    put_varint(b, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63));
}

static bool
get_varint(const uint8_t **p, const uint8_t *end, uint64_t *out)
{
    uint64_t v = 0;

    for (int shift = 0; shift < 64; shift += 7) {
        uint8_t c;

        if (*p >= end)
            return false;
        c = *(*p)++;
        v |= (uint64_t)(c & 0x7f) << shift;
        if ((c & 0x80) == 0) {
            *out = v;
            return true;
        }
    }
    return false;
}

static bool
get_svarint(const uint8_t **p, const uint8_t *end, int64_t *out)
{
    uint64_t u;

    if (!get_varint(p, end, &u))
        return false;
    *out = (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
    return true;
}

static int
malformed(Err *err)
{
    return ERR_RAISE(err, ERRCODE_DATA_CORRUPTED, "malformed aggregate group state");
}

/* A Buf over arena memory whose ceiling is its size: it never reallocates, nothing to free. */
static void
fixed_buf(Buf *b, Arena *a, size_t size)
{
    buf_init(b, size);
    b->data = arena_alloc(a, size);
    b->cap = size;
}

static int
begin_barrier(AggOp *a, Err *err)
{
    StreamRun *run = a->op.run;

    if (a->gcache == NULL && stream_state_cache(run, a->op.node, "g", &a->gcache, err) < 0)
        return -1;
    for (int j = 0; j < a->p->u.agg.naggs && a->mcache == NULL; j++) {
        if (a->needs_ms[j] && stream_state_cache(run, a->op.node, "m", &a->mcache, err) < 0)
            return -1;
    }
    rowtable_init(&a->bt, run->scratch, a->p->u.agg.nkeys, a->p->u.agg.key_orders);
    a->scalar = NULL;
    a->in_barrier = true;
    return 0;
}

/* Forgets everything of the barrier (it is in run->scratch, which the job empties). */
static void
end_barrier(AggOp *a)
{
    memset(&a->bt, 0, sizeof a->bt);
    a->scalar = NULL;
    a->in_barrier = false;
    buf_free(&a->gval);
}

static uint64_t
hash_bytes(const uint8_t *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ULL;

    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 0x100000001b3ULL;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    return h ^ (h >> 33);
}

/* out[0 .. max) = key[0 .. max - 8) | be64 hash of order[0 .. olen): a long key cut. */
static void
cut_key(uint8_t *out, const uint8_t *key, size_t max, const uint8_t *order, size_t olen)
{
    uint64_t h = hash_bytes(order, olen);

    memcpy(out, key, max - 8);
    for (int b = 0; b < 8; b++)
        out[max - 8 + (size_t)b] = (uint8_t)(h >> (56 - 8 * b));
}

/* Reads a "g" value into g (whose gk is set) and e's key (the stored spelling). */
static int
decode_group(AggOp *a, RowEntry *e, Group *g, const uint8_t *p, size_t len, Err *err)
{
    Arena *s = a->op.run->scratch;
    const uint8_t *end = p + len;
    uint64_t n;
    uint8_t flags;

    if (len < 2 || p[0] != GROUP_FORMAT)
        return malformed(err);
    flags = p[1];
    p += 2;
    if (!get_svarint(&p, end, &g->count) || !get_varint(&p, end, &n) ||
        n > (uint64_t)(end - p) || ((flags & GROUP_CUT) != 0) != g->cut)
        return malformed(err);
    if (a->p->u.agg.nkeys > 0) {
        /* the exact key first seen: stored whole (cut), or the order part and its trailer */
        size_t keep = g->cut ? 0 : g->order_len;
        uint8_t *k = arena_alloc(s, keep + (size_t)n + 1);

        memcpy(k, g->exact, keep);
        memcpy(k + keep, p, (size_t)n);
        if (keycodec_decode(&a->gspec, k, keep + (size_t)n, s, a->perm ? a->pkey : e->key, err) <
            0)
            return -1;
        for (int i = 0; a->perm != NULL && i < a->p->u.agg.nkeys; i++)
            e->key[a->perm[i]] = a->pkey[i];
        g->exact = k;
        g->exact_len = keep + (size_t)n;
    } else if (n != 0)
        return malformed(err);
    p += n;
    for (int j = 0; j < a->p->u.agg.naggs; j++) {
        if (agg_state_decode_framed(&a->p->u.agg.aggs[j], &p, end, s, g->states + a->offsets[j],
                                    err) < 0)
            return -1;
    }
    if (p != end)
        return malformed(err);
    g->emitted = (flags & GROUP_EMITTED) != 0;
    /* the row emitted last, to retract at the barrier: the same states give the same row */
    return g->emitted ? group_row(a, e, g, &g->last, err) : 0;
}

/* e was just added to this barrier's table: its group, from "g" or new. */
static int
load_group(AggOp *a, RowEntry *e, bool *found, Err *err)
{
    Arena *s = a->op.run->scratch;
    Group *g = new_group(a);
    StateBytes v;
    int rc;

    e->payload = g;
    if (found != NULL)
        *found = false;
    if (a->p->u.agg.nkeys == 0) {
        g->gk = arena_calloc(s, 1, 1); /* a key is never empty: one 0x00 byte */
        g->gk_len = 1;
    } else {
        const Value *key = e->key;

        if (a->perm != NULL) {
            for (int i = 0; i < a->p->u.agg.nkeys; i++)
                a->pkey[i] = e->key[a->perm[i]];
            key = a->pkey;
        }
        buf_reset(&a->kbuf);
        if (keycodec_encode(&a->gspec, key, &a->kbuf, &g->order_len, err) < 0)
            return -1;
        g->exact = arena_memdup(s, a->kbuf.data, a->kbuf.len);
        g->exact_len = a->kbuf.len;
        g->gk = g->exact;
        g->gk_len = g->order_len;
        if (g->order_len > GROUP_KEY_MAX) {
            g->cut = true;
            g->gk = arena_alloc(s, GROUP_KEY_MAX);
            g->gk_len = GROUP_KEY_MAX;
            cut_key(g->gk, g->exact, GROUP_KEY_MAX, g->exact, g->order_len);
        }
    }
    if ((rc = statecache_get(a->gcache, g->gk, g->gk_len, &v, err)) <= 0)
        return rc;
    if (found != NULL)
        *found = true;
    return decode_group(a, e, g, v.data, v.len, err);
}

/* Writes g back into "g": deleted when it has no rows (the scalar group stays, a marker). */
static int
store_group(AggOp *a, Group *g, bool scalar, Err *err)
{
    size_t keep = g->cut ? 0 : g->order_len;

    if (g->count == 0 && !scalar)
        return statecache_delete(a->gcache, g->gk, g->gk_len, err);
    buf_reset(&a->gval);
    buf_put_u8(&a->gval, GROUP_FORMAT);
    buf_put_u8(&a->gval, (g->emitted ? GROUP_EMITTED : 0) | (g->cut ? GROUP_CUT : 0));
    put_svarint(&a->gval, g->count);
    put_varint(&a->gval, g->exact_len - keep);
    buf_append(&a->gval, g->exact + keep, g->exact_len - keep);
    for (int j = 0; j < a->p->u.agg.naggs; j++) {
        if (agg_state_encode_framed(&a->p->u.agg.aggs[j], g->states + a->offsets[j], &a->gval,
                                    err) < 0)
            return -1;
    }
    if (a->gval.failed)
        return ERR_RAISE(err, ERRCODE_PROGRAM_LIMIT_EXCEEDED, "aggregate state is too large");
    return statecache_put(a->gcache, g->gk, g->gk_len, a->gval.data, a->gval.len, err);
}

/* kbuf = gk | varint j: the prefix of every "m" key of call j in g. */
static void
ms_prefix(AggOp *a, int j, const Group *g)
{
    buf_reset(&a->kbuf);
    buf_append(&a->kbuf, g->gk, g->gk_len);
    put_varint(&a->kbuf, (uint64_t)j);
}

static int
ms_count_state(AggOp *a, int j, Group *g, const Value *args, int64_t w, int64_t *before, Err *err)
{
    const AggCall *c = &a->p->u.agg.aggs[j];
    Value *v = a->mvals[j];
    const uint8_t *key = a->kbuf.data, *p, *end;
    size_t plen, olen, klen;
    bool cut;
    StateBytes val;
    int64_t after;
    int rc;

    for (int i = 0; i < c->norder; i++)
        v[i] = args[c->nargs + i];
    for (int i = 0; i < c->nargs; i++)
        v[c->norder + i] = args[i];
    ms_prefix(a, j, g);
    plen = a->kbuf.len;
    if (keycodec_encode(&a->mspec[j], v, &a->kbuf, &olen, err) < 0)
        return -1;
    key = a->kbuf.data;
    klen = plen + olen;
    if ((cut = klen > MS_KEY_MAX)) {
        cut_key(a->mkey, key, MS_KEY_MAX, key + plen, olen);
        key = a->mkey;
        klen = MS_KEY_MAX;
    }
    *before = 0;
    if ((rc = statecache_get(a->mcache, key, klen, &val, err)) < 0)
        return -1;
    buf_reset(&a->mval);
    if (rc == 1) {
        /* the spelling first seen stays */
        p = val.data;
        end = p + val.len;
        if (!get_svarint(&p, end, before))
            return malformed(err);
        put_svarint(&a->mval, *before + w);
        buf_append(&a->mval, p, (size_t)(end - p));
    } else {
        size_t from = plen + (cut ? 0 : olen), n = a->kbuf.len - from;

        put_svarint(&a->mval, w);
        put_varint(&a->mval, (uint64_t)n << 1 | (cut ? 1 : 0));
        if (cut)
            put_varint(&a->mval, olen);
        buf_append(&a->mval, a->kbuf.data + from, n);
    }
    after = *before + w;
    if (after == 0)
        return statecache_delete(a->mcache, key, klen, err);
    if (a->mval.failed)
        return ERR_RAISE(err, ERRCODE_PROGRAM_LIMIT_EXCEEDED, "key is too long");
    return statecache_put(a->mcache, key, klen, a->mval.data, a->mval.len, err);
}

/* One "m" entry of a call, read back: its exact key, the order part's length, its count. */
typedef struct MsItem {
    const uint8_t *enc;
    size_t len;
    size_t olen;
    int64_t n;
} MsItem;

static int
cmp_item(const void *x, const void *y)
{
    const MsItem *a = x, *b = y;
    int c = memcmp(a->enc, b->enc, a->olen < b->olen ? a->olen : b->olen);

    return c != 0 ? c : (a->olen > b->olen) - (a->olen < b->olen);
}

static int
cmp_item_desc(const void *x, const void *y)
{
    return cmp_item(y, x);
}

/* Adds the values of an "m" entry to call j's state, n times (once for DISTINCT). */
static int
ms_apply(AggOp *a, int j, Group *g, const MsItem *it, Err *err)
{
    const AggCall *c = &a->p->u.agg.aggs[j];
    Arena *s = a->op.run->scratch;
    int width = c->nargs + c->norder;
    Value *kv = arena_alloc(s, sizeof(Value) * (size_t)(width + 1));
    Value row[AGG_MAX_ARGS + 8];
    Value *r = width <= AGG_MAX_ARGS + 8 ? row : arena_alloc(s, sizeof(Value) * (size_t)width);

    if (keycodec_decode(&a->mspec[j], it->enc, it->len, s, kv, err) < 0)
        return -1;
    for (int i = 0; i < c->norder; i++)
        r[c->nargs + i] = kv[i];
    for (int i = 0; i < c->nargs; i++)
        r[i] = kv[c->norder + i];
    return apply_n(a, j, g, r, c->distinct ? 1 : it->n, err);
}

/* Applies entries that shared a cut key, in the order of their whole keys. */
static int
ms_apply_run(AggOp *a, int j, Group *g, MsItem *run, size_t n, Err *err)
{
    qsort(run, n, sizeof *run, a->extreme[j] < 0 ? cmp_item_desc : cmp_item);
    for (size_t i = 0; i < n; i++) {
        if (ms_apply(a, j, g, &run[i], err) < 0)
            return -1;
        if (a->extreme[j] != 0)
            break;
    }
    return 0;
}

/*
 * Rebuilds call j's state from its "m" entries in g: min and max from the first (last) one,
 * others by adding every value in key order (the call's ORDER BY).
 */
static int
rebuild_state(AggOp *a, int j, Group *g, Err *err)
{
    Arena *s = a->op.run->scratch;
    StateRange range;
    StateCacheIter *it;
    StateBytes k, v;
    uint8_t *prefix;
    MsItem *run = NULL;
    const uint8_t *run_key = NULL;
    size_t plen, nrun = 0, caprun = 0, run_key_len = 0;
    bool done = false;
    int rc;

    a->p->u.agg.aggs[j].impl->init(g->states + a->offsets[j]);
    g->slots[j].rebuild = false;
    ms_prefix(a, j, g);
    plen = a->kbuf.len;
    prefix = arena_memdup(s, a->kbuf.data, plen);
    range.lower = (StateBound){STATE_INCLUSIVE, {prefix, plen}};
    range.upper = (StateBound){STATE_PREFIX, {prefix, plen}};
    if (statecache_iter_open(a->mcache, &range, a->extreme[j] < 0, &it, err) < 0)
        return -1;
    while (!done && (rc = statecache_iter_next(it, &k, &v, err)) == 1) {
        const uint8_t *p = v.data, *end = p + v.len, *kp = k.data;
        uint64_t hdr, olen = 0;
        MsItem item;
        bool cut;

        if (k.len <= plen || !get_svarint(&p, end, &item.n) || !get_varint(&p, end, &hdr) ||
            ((cut = (hdr & 1) != 0) && !get_varint(&p, end, &olen)) ||
            (hdr >> 1) != (uint64_t)(end - p) || olen > (hdr >> 1) ||
            (cut && k.len != MS_KEY_MAX)) {
            rc = malformed(err);
            break;
        }
        if (item.n <= 0)
            continue;
        if (nrun > 0 && (!cut || memcmp(kp, run_key, run_key_len) != 0)) {
            if ((rc = ms_apply_run(a, j, g, run, nrun, err)) < 0)
                break;
            nrun = 0;
            if ((done = a->extreme[j] != 0))
                break;
        }
        if (cut) {
            /* the whole key is in the value; entries sharing the cut are sorted by it */
            item.enc = arena_memdup(s, p, (size_t)(end - p));
            item.len = (size_t)(end - p);
            item.olen = (size_t)olen;
            if (nrun == caprun) {
                MsItem *bigger = arena_alloc(s, sizeof *run * (caprun = caprun ? 2 * caprun : 8));

                if (nrun > 0)
                    memcpy(bigger, run, sizeof *run * nrun);
                run = bigger;
            }
            if (nrun == 0) {
                run_key_len = MS_KEY_MAX - 8;
                run_key = arena_memdup(s, kp, run_key_len);
            }
            run[nrun++] = item;
            continue;
        }
        {
            /* the order part is the key's rest, the trailer the value's */
            uint8_t *enc = arena_alloc(s, k.len - plen + (size_t)(end - p) + 1);

            memcpy(enc, kp + plen, k.len - plen);
            memcpy(enc + k.len - plen, p, (size_t)(end - p));
            item.enc = enc;
            item.len = k.len - plen + (size_t)(end - p);
            item.olen = k.len - plen;
        }
        if ((rc = ms_apply(a, j, g, &item, err)) < 0)
            break;
        done = a->extreme[j] != 0;
    }
    statecache_iter_close(it);
    if (rc >= 0 && !done && nrun > 0)
        rc = ms_apply_run(a, j, g, run, nrun, err);
    return rc < 0 ? -1 : 0;
}

/*
 * Persistent mode when run->state is set and every group key, multiset value and state can
 * be encoded; false otherwise (the operator then says it is not persistent, and the job
 * keeps its state in memory).
 */
static bool
setup_state(AggOp *a, StreamRun *run)
{
    const PlanNode *p = a->p;
    int nkeys = p->u.agg.nkeys, naggs = p->u.agg.naggs;
    size_t n = (size_t)(naggs ? naggs : 1);
    KeyColumn *cols = arena_calloc(run->arena, (size_t)nkeys + 1, sizeof(KeyColumn));

    a->wm_key = -1;
    for (int k = 0; k < nkeys && a->wm_key < 0; k++) {
        for (int i = 0; i < run->nwm; i++) {
            const StreamWmInput *w = &run->wm[i];

            if (w->node == a->op.node->id && w->port == 0 &&
                sql_watermark_monotone(p->u.agg.keys[k], w->col)) {
                a->wm_key = k;
                a->wm_col = w->col;
                break;
            }
        }
    }
    if (a->wm_key > 0) { /* the watermarked key first: gk order is that column's order */
        a->perm = arena_calloc(run->arena, (size_t)nkeys, sizeof(int));
        a->pkey = arena_calloc(run->arena, (size_t)nkeys, sizeof(Value));
        a->perm[0] = a->wm_key;
        for (int k = 0, i = 1; k < nkeys; k++) {
            if (k != a->wm_key)
                a->perm[i++] = k;
        }
    }
    for (int k = 0; k < nkeys; k++) {
        cols[k] = (KeyColumn){p->u.agg.keys[a->perm ? a->perm[k] : k]->type, false, false};
        if (!keycodec_type_supported(cols[k].type))
            return false;
    }
    a->gspec = (KeySpec){cols, nkeys, true};
    a->mspec = arena_calloc(run->arena, n, sizeof(KeySpec));
    a->mvals = arena_calloc(run->arena, n, sizeof(Value *));
    a->extreme = arena_calloc(run->arena, n, sizeof(int8_t));
    for (int j = 0; j < naggs; j++) {
        const AggCall *c = &p->u.agg.aggs[j];
        int width = c->nargs + c->norder;
        KeyColumn *mc;

        if (!agg_state_supported(c))
            return false;
        if (!a->needs_ms[j])
            continue;
        mc = arena_calloc(run->arena, (size_t)width + 1, sizeof(KeyColumn));
        for (int i = 0; i < c->norder; i++)
            mc[i] = (KeyColumn){c->order[i]->type, c->order_keys[i].desc,
                                c->order_keys[i].nulls_first};
        for (int i = 0; i < c->nargs; i++)
            mc[c->norder + i] = (KeyColumn){c->args[i]->type, false, false};
        for (int i = 0; i < width; i++) {
            if (!keycodec_type_supported(mc[i].type))
                return false;
        }
        a->mspec[j] = (KeySpec){mc, width, true};
        a->mvals[j] = arena_calloc(run->arena, (size_t)width + 1, sizeof(Value));
        if (c->norder == 0 && c->impl->retract == NULL)
            a->extreme[j] = strcmp(c->impl->name, "min") == 0   ? 1
                            : strcmp(c->impl->name, "max") == 0 ? -1
                                                                : 0;
    }
    fixed_buf(&a->kbuf, run->arena, KEY_BUF_MAX);
    fixed_buf(&a->mval, run->arena, KEY_BUF_MAX);
    buf_init(&a->gval, 0);
    return true;
}

/* Deletes every key of sc below `below` (exclusive), from where the last cleanup ended. */
static int
delete_below(AggOp *a, StateCache *sc, const uint8_t *below, size_t below_len, int64_t *deleted,
             Err *err)
{
    StateRange r = {{a->wm_low_len ? STATE_INCLUSIVE : STATE_UNBOUNDED, {a->wm_low, a->wm_low_len}},
                    {STATE_EXCLUSIVE, {below, below_len}}};
    size_t n = 0;
    int rc = statecache_delete_range(sc, &r, &n, err);

    *deleted += (int64_t)n;
    return rc;
}

/*
 * Watermark W on the input column the first group key follows: groups whose key is below
 * key(W) never change again (sql/watermark.h), so their state goes; their output row stays
 * where it went. NULL keys sort last and stay.
 */
static int
agg_watermark(Operator *op, int port, int col, Datum w, Err *err)
{
    AggOp *a = (AggOp *)op;
    Value t = {0, false};
    int64_t deleted = 0;

    if (!a->persist || a->wm_key < 0 || port != 0 || col != a->wm_col)
        return 0;
    /* the key reads only that column (sql_watermark_monotone): a row of col + 1 values */
    if (sql_watermark_eval(a->p->u.agg.keys[a->wm_key], col, col + 1, &op->run->ctx, w,
                           &t.d, &t.isnull, err) < 0)
        return -1;
    if (t.isnull)
        return 0;
    if (a->gcache == NULL && stream_state_cache(op->run, op->node, "g", &a->gcache, err) < 0)
        return -1;
    for (int j = 0; j < a->p->u.agg.naggs && a->mcache == NULL; j++) {
        if (a->needs_ms[j] && stream_state_cache(op->run, op->node, "m", &a->mcache, err) < 0)
            return -1;
    }
    buf_reset(&a->kbuf);
    if (keycodec_encode_prefix(&a->gspec, 1, &t, &a->kbuf, err) < 0)
        return -1;
    if (delete_below(a, a->gcache, a->kbuf.data, a->kbuf.len, &deleted, err) < 0 ||
        (a->mcache != NULL &&
         delete_below(a, a->mcache, a->kbuf.data, a->kbuf.len, &deleted, err) < 0))
        return -1;
    a->cleaned += deleted;
    if (a->kbuf.len <= WM_LOW_MAX) {
        memcpy(a->wm_low, a->kbuf.data, a->kbuf.len);
        a->wm_low_len = a->kbuf.len;
    }
    return 0;
}

static const OpVtbl agg_vt = {"agg", agg_push, agg_flush, true, agg_watermark};
/* With state but some type or aggregate state that has no encoding. */
static const OpVtbl agg_mem_vt = {"agg", agg_push, agg_flush, false};

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
    /* min / max over an input that never retracts keep only their state (no multiset) */
    a->needs_ms[j] = c->distinct || c->norder > 0 ||
                     (c->impl->retract == NULL && !run->one_shot &&
                      !(run->insert_only != NULL && run->insert_only[a->op.node->id]));
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
    if (run->state != NULL) {
        a->persist = setup_state(a, run);
        if (!a->persist)
            a->op.vt = &agg_mem_vt;
    }

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
