/*
 * stream/op_topn.c — ORDER BY and/or OFFSET/LIMIT inside a subquery or a
 * materialized view: the first rows of its input in sort order.
 *
 * Delta rule: top-N is not linear, so the operator keeps its input
 * multiset, consolidated (one entry per distinct row with its summed
 * weight, so an insert and a delete of the same row cancel whatever order
 * they arrive in); at a barrier after any input change it retracts the
 * rows it emitted before (-1 each) and emits the new top rows (+1);
 * downstream consolidation (the view's DeltaMap) cancels what did not
 * change. In a persistent run (stream/opstate.h) the multiset lives in a
 * state table whose key order is the ranking, and only the rows whose
 * output changed are emitted: see "Persistent state" below.
 *
 * Invariants:
 *   1. Rows that tie under the sort keys are ordered by the whole row (each
 *      column ascending, NULLs last), so the answer depends only on the
 *      input multiset, never on arrival order: an incremental view, its
 *      rebuild after a restart and a one-shot run agree.
 *   2. A row's weight may be negative between barriers (a delete pushed
 *      before its insert); only rows with a positive weight are ranked.
 *   3. LIMIT/OFFSET are evaluated once per barrier (they may use
 *      parameters); negative values fail with 2201W / 2201X.
 */
#include <stdlib.h>
#include <string.h>

#include "common/errcodes.h"
#include "sql/keycodec.h"
#include "stream/opkey.h"
#include "stream/opstate.h"
#include "stream/stream_int.h"

typedef struct TopNOp {
    Operator op;
    RowTable rows; /* distinct input rows; payload: int64_t weight */
    bool dirty;
    TypeOrder *orders;
    SortKey *keys; /* the ORDER BY keys, then every orderable column (ties) */
    int nkeys;
    int64_t nout, outcap;
    Value *out; /* the rows emitted at the last barrier (run arena, reused) */
    /* persistent mode (run->state): see "Persistent state" below */
    bool persist; /* run->state and every key type has a key encoding */
    StateCache *sc;
    KeySpec spec; /* the key: ORDER BY columns, then the orderable columns */
    int *keycols; /* per key column: the row column it encodes */
    int nsort;    /* key columns that order (the ORDER BY ones) */
    Value *keyvals;
    bool started; /* this barrier saw input: lim/off evaluated, the old top scanned */
    int64_t lim, off;
    struct TopNDelta *deltas; /* this barrier's output changes (scratch) */
    int64_t ndeltas, dcap;
} TopNOp;

static int topn_push_state(TopNOp *t, const Batch *in, Err *err);
static int topn_flush_state(TopNOp *t, Err *err);

static int
topn_push(Operator *op, int port, const Batch *in, Err *err)
{
    TopNOp *t = (TopNOp *)op;

    (void)port;
    if (t->persist)
        return topn_push_state(t, in, err);
    for (int i = 0; i < in->n; i++) {
        RowEntry *e;
        bool created;

        if (rowtable_lookup(&t->rows, &op->run->ctx, batch_row(in, i), true, &e, &created, err) < 0)
            return -1;
        if (created)
            e->payload = arena_calloc(op->run->arena, 1, sizeof(int64_t));
        *(int64_t *)e->payload += in->weights[i];
    }
    t->dirty = t->dirty || in->n > 0;
    return 0;
}

static int
topn_flush(Operator *op, Err *err)
{
    TopNOp *t = (TopNOp *)op;
    const PlanNode *limit = op->node->limit;
    size_t w = (size_t)(op->ncols ? op->ncols : 1);
    int64_t lim = -1, off = -1, n = 0, k = 0, *idx = NULL, *tmp = NULL, *wts = NULL;
    Value *rows = NULL;
    int rc = 0;

    if (t->persist)
        return topn_flush_state(t, err);
    if (!t->dirty)
        return 0;
    t->dirty = false;
    for (int64_t i = 0; i < t->nout; i++) {
        if (op_output(op, &t->out[w * (size_t)i], -1, err) < 0)
            return -1;
    }
    if (limit != NULL &&
        (stream_eval_count(limit->u.limit.limit, &op->run->ctx, true, &lim, err) < 0 ||
         stream_eval_count(limit->u.limit.offset, &op->run->ctx, false, &off, err) < 0))
        return -1;
    rows = malloc(sizeof(Value) * w * ((size_t)t->rows.n + 1));
    wts = malloc(sizeof(int64_t) * ((size_t)t->rows.n + 1));
    idx = malloc(sizeof(int64_t) * ((size_t)t->rows.n + 1));
    tmp = malloc(sizeof(int64_t) * ((size_t)t->rows.n + 1));
    if (rows == NULL || wts == NULL || idx == NULL || tmp == NULL)
        rc = ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
    for (uint32_t i = 0; rc == 0 && i < t->rows.n; i++) {
        RowEntry *e = rowtable_entry(&t->rows, i);
        int64_t weight = *(int64_t *)e->payload;

        if (weight <= 0)
            continue;
        if (op->ncols > 0)
            memcpy(&rows[w * (size_t)n], e->key, sizeof(Value) * (size_t)op->ncols);
        wts[n] = weight;
        idx[n] = n;
        n++;
    }
    if (rc == 0 && t->nkeys > 0 &&
        stream_sort_indexes(t->keys, t->nkeys, &op->run->ctx, rows, w, idx, tmp, n, err) < 0)
        rc = -1;
    t->nout = 0;
    if (rc == 0) {
        /* rows come out once per unit of weight, at most LIMIT of them */
        int64_t need = 0;

        for (int64_t i = 0; i < n && (lim < 0 || need < lim); i++)
            need += wts[i];
        if (lim >= 0 && need > lim)
            need = lim;
        if (t->outcap < need) {
            t->outcap = need;
            t->out = arena_alloc(op->run->arena, sizeof(Value) * w * (size_t)need);
        }
    }
    for (int64_t i = 0; rc == 0 && i < n && (lim < 0 || k < lim); i++) {
        for (int64_t c = wts[idx[i]]; c > 0 && (lim < 0 || k < lim); c--) {
            if (off > 0) {
                off--;
                continue;
            }
            memcpy(&t->out[w * (size_t)k], &rows[w * (size_t)idx[i]], sizeof(Value) * w);
            if (op_output(op, &t->out[w * (size_t)k], 1, err) < 0) {
                rc = -1;
                break;
            }
            k++;
        }
    }
    free(rows);
    free(wts);
    free(idx);
    free(tmp);
    t->nout = rc == 0 ? k : 0;
    return rc;
}

/* ---- Persistent state (run->state != NULL) --------------------------------------------
 *
 * Table "r": key = OPKEY_TAG, the ORDER BY values, then every orderable column (ascending,
 * NULLs last: the in-memory tie-break, invariant 1), canonical; value = the row's summed
 * weight and its representative spelling (stream/opkey.h). The table's key order is the
 * ranking, so the top rows are a scan from the start.
 *
 * A barrier: at its first input, LIMIT/OFFSET are evaluated and the rows emitted so far (the
 * top of the table as the last barrier left it, recomputed, not stored) are scanned as
 * retractions; the pushes
 * update the table at once; the flush scans the new top as insertions; the changes are then
 * consolidated per row, so only what changed is emitted. Without LIMIT, the output is every
 * row (but the first OFFSET units): a pushed row's change passes through, and only the first
 * OFFSET units are scanned. Nothing of a barrier outlives it but the table.
 */

typedef struct TopNDelta {
    const uint8_t *key, *val; /* scratch copies: the key, and the value (count + row) */
    size_t klen, vlen;
    int64_t w;
} TopNDelta;

static Oid *
row_types(TopNOp *t)
{
    return t->op.node->plan->types;
}

static void
add_delta(TopNOp *t, const void *key, size_t klen, const void *val, size_t vlen, int64_t w)
{
    Arena *a = t->op.run->scratch;

    if (t->ndeltas == t->dcap) {
        int64_t cap = t->dcap ? t->dcap * 2 : 64;
        TopNDelta *d = arena_alloc(a, sizeof(TopNDelta) * (size_t)cap);

        if (t->ndeltas > 0)
            memcpy(d, t->deltas, sizeof(TopNDelta) * (size_t)t->ndeltas);
        t->deltas = d;
        t->dcap = cap;
    }
    t->deltas[t->ndeltas++] =
        (TopNDelta){arena_memdup(a, key, klen), arena_memdup(a, val, vlen), klen, vlen, w};
}

/*
 * Scans the ranking from the start and adds, per row, sign × its units in the output window:
 * [off, off + lim) with a LIMIT; without, minus its units among the first off (the rest passes
 * through at push time).
 */
static int
scan_top(TopNOp *t, int sign, Err *err)
{
    int64_t off = t->off > 0 ? t->off : 0, end = t->lim >= 0 ? off + t->lim : off, cum = 0;
    StateCacheIter *it;
    StateBytes k, v;
    int rc;

    if (end <= 0)
        return 0;
    if (statecache_iter_open(t->sc, NULL, false, &it, err) < 0)
        return -1;
    while (cum < end && (rc = statecache_iter_next(it, &k, &v, err)) > 0) {
        int64_t count, lo, hi, units;

        if (opkey_read(v.data, v.len, &count, 1, NULL, 0, NULL, NULL, err) < 0) {
            rc = -1;
            break;
        }
        if (count <= 0)
            continue;
        if (t->lim >= 0) { /* overlap of [cum, cum + count) with [off, end) */
            lo = cum > off ? cum : off;
            hi = cum + count < end ? cum + count : end;
            units = hi > lo ? hi - lo : 0;
        } else { /* minus the overlap with [0, off) */
            units = -(cum + count < off ? count : off - cum);
        }
        cum += count;
        if (units != 0)
            add_delta(t, k.data, k.len, v.data, v.len, sign * units);
    }
    statecache_iter_close(it);
    return rc < 0 ? -1 : 0;
}

static int
start_barrier(TopNOp *t, Err *err)
{
    const PlanNode *limit = t->op.node->limit;
    StreamRun *run = t->op.run;

    t->lim = t->off = -1;
    t->deltas = NULL;
    t->ndeltas = t->dcap = 0;
    if (t->sc == NULL && stream_state_cache(run, t->op.node, "r", &t->sc, err) < 0)
        return -1;
    if (limit != NULL &&
        (stream_eval_count(limit->u.limit.limit, &run->ctx, true, &t->lim, err) < 0 ||
         stream_eval_count(limit->u.limit.offset, &run->ctx, false, &t->off, err) < 0))
        return -1;
    t->started = true;
    return scan_top(t, -1, err);
}

/* The length of the key's ORDER BY part (opkey_fit), for t->keyvals. */
static size_t
order_part_len(void *arg)
{
    TopNOp *t = arg;
    Buf b;
    Err ignored;
    size_t len;

    buf_init(&b, 0);
    err_clear(&ignored);
    (void)keycodec_encode_prefix(&t->spec, t->nsort, t->keyvals, &b, &ignored);
    len = b.len + 1;
    buf_free(&b);
    return len;
}

static int
topn_push_state(TopNOp *t, const Batch *in, Err *err)
{
    Buf key, val;
    int rc = 0;

    if (in->n == 0)
        return 0;
    if (!t->started && start_barrier(t, err) < 0)
        return -1;
    buf_init(&key, 0);
    buf_init(&val, 0);
    for (int i = 0; rc == 0 && i < in->n; i++) {
        const Value *row = batch_row(in, i);
        StateBytes cur;
        int64_t old = 0, now;
        int found;

        for (int k = 0; k < t->spec.ncols; k++)
            t->keyvals[k] = row[t->keycols[k]];
        buf_reset(&key);
        buf_reset(&val);
        buf_put_u8(&key, OPKEY_TAG);
        if (keycodec_encode(&t->spec, t->keyvals, &key, NULL, err) < 0 ||
            opkey_fit(&key, order_part_len, t, err) < 0 ||
            (found = statecache_get(t->sc, key.data, key.len, &cur, err)) < 0) {
            rc = -1;
            break;
        }
        if (found) { /* keep the entry's spelling */
            if (opkey_read(cur.data, cur.len, &old, 1, NULL, 0, NULL, NULL, err) < 0) {
                rc = -1;
                break;
            }
            buf_append(&val, cur.data, cur.len);
        } else if (opkey_value(&val, &old, 1, row_types(t), t->op.ncols, row, err) < 0) {
            rc = -1;
            break;
        }
        now = old + in->weights[i];
        memcpy(val.data, &now, sizeof now);
        if (t->lim < 0) { /* no LIMIT: the row's change passes through */
            int64_t d = (now > 0 ? now : 0) - (old > 0 ? old : 0);

            if (d != 0)
                add_delta(t, key.data, key.len, val.data, val.len, d);
        }
        if (now == 0)
            rc = statecache_delete(t->sc, key.data, key.len, err);
        else
            rc = statecache_put(t->sc, key.data, key.len, val.data, val.len, err);
    }
    buf_free(&key);
    buf_free(&val);
    return rc;
}

static int
cmp_bytes(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
    int c = memcmp(a, b, alen < blen ? alen : blen);

    return c != 0 ? c : alen < blen ? -1 : alen > blen ? 1 : 0;
}

/* By key, then by the row's spelling (the value after the count). */
static int
cmp_delta(const void *pa, const void *pb)
{
    const TopNDelta *a = pa, *b = pb;
    int c = cmp_bytes(a->key, a->klen, b->key, b->klen);

    if (c != 0)
        return c;
    return cmp_bytes(a->val + sizeof(int64_t), a->vlen - sizeof(int64_t), b->val + sizeof(int64_t),
                     b->vlen - sizeof(int64_t));
}

static int
topn_flush_state(TopNOp *t, Err *err)
{
    Value *row;
    int rc = 0;

    if (!t->started)
        return 0;
    t->started = false;
    row = arena_alloc(t->op.run->scratch, sizeof(Value) * (size_t)(t->op.ncols + 1));
    if (scan_top(t, 1, err) < 0)
        rc = -1;
    if (rc == 0 && t->ndeltas > 1)
        qsort(t->deltas, (size_t)t->ndeltas, sizeof(TopNDelta), cmp_delta);
    for (int64_t i = 0; rc == 0 && i < t->ndeltas;) {
        int64_t j = i, w = 0, count;

        for (; j < t->ndeltas && cmp_delta(&t->deltas[i], &t->deltas[j]) == 0; j++)
            w += t->deltas[j].w;
        if (w != 0 && (opkey_read(t->deltas[i].val, t->deltas[i].vlen, &count, 1, row_types(t),
                                  t->op.ncols, t->op.run->scratch, row, err) < 0 ||
                       op_output(&t->op, row, w, err) < 0))
            rc = -1;
        i = j;
    }
    t->deltas = NULL; /* scratch: invariant 2 of stream/opstate.h */
    t->ndeltas = t->dcap = 0;
    return rc;
}

static const OpVtbl topn_vt = {"topn", topn_push, topn_flush, true};
/* With state but a key type that has no key encoding: the job keeps its state in memory. */
static const OpVtbl topn_mem_vt = {"topn", topn_push, topn_flush, false};

Operator *
op_topn_new(StreamRun *run, const DfNode *node)
{
    TopNOp *t = op_alloc(run, sizeof(TopNOp), &topn_vt, node, node->plan->ncols);
    const PlanNode *sort = node->sort;
    int nsort = sort != NULL ? sort->u.sort.nkeys : 0, ncols = node->plan->ncols;

    t->orders = arena_calloc(run->arena, (size_t)ncols + 1, sizeof(TypeOrder));
    t->keys = arena_calloc(run->arena, (size_t)(nsort + ncols + 1), sizeof(SortKey));
    for (int i = 0; i < nsort; i++)
        t->keys[t->nkeys++] = sort->u.sort.keys[i];
    for (int c = 0; c < ncols; c++) {
        if (!plan_type_order(node->plan->types[c], &t->orders[c]))
            continue;
        t->keys[t->nkeys++] = (SortKey){c, false, false, t->orders[c]};
    }
    rowtable_init(&t->rows, run->arena, ncols, t->orders);
    if (run->state != NULL) { /* the key: the ORDER BY keys, then the tie-break */
        KeyColumn *cols = arena_calloc(run->arena, (size_t)t->nkeys + 1, sizeof(KeyColumn));

        t->keycols = arena_calloc(run->arena, (size_t)t->nkeys + 1, sizeof(int));
        t->keyvals = arena_calloc(run->arena, (size_t)t->nkeys + 1, sizeof(Value));
        for (int k = 0; k < t->nkeys; k++) {
            t->keycols[k] = t->keys[k].column;
            cols[k] = (KeyColumn){node->plan->types[t->keys[k].column], t->keys[k].desc,
                                  t->keys[k].nulls_first};
        }
        t->spec = (KeySpec){cols, t->nkeys, false};
        t->nsort = nsort;
        t->persist = true;
        for (int k = 0; k < t->nkeys; k++)
            t->persist = t->persist && keycodec_type_supported(cols[k].type);
        if (!t->persist)
            t->op.vt = &topn_mem_vt;
    }
    return &t->op;
}
