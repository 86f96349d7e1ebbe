/*
 * stream/op_temporal.c — a temporal filter (sql/bind_temporal.c): keeps the rows for which
 * a comparison with the current time holds (`ts > now() - INTERVAL '1 hour'`), as time
 * passes. The time is the epoch's (stream/temporal.h), read once per barrier.
 *
 * The condition is monotone in the time (sql/bind_temporal.c, invariant 1), so each row
 * changes visibility at most once, at its *flip* time F: the least time at which it has its
 * final visibility. A row with `ts > now() - 1h` leaves at F = ts + 1h; one with
 * `ts < now() - 1h` (a delay) enters at F = ts + 1h + 1µs. F is found by bisection on the
 * condition itself (PostgreSQL's exact comparison, zones and month arithmetic included),
 * between the barrier's time and TEMPORAL_HORIZON.
 *
 * Delta rule, at time t (the barrier's):
 *   advance   first, every stored row with F <= t flips: +count if it becomes visible,
 *             −count if it leaves; its entry is deleted.
 *   push      (row, w): emitted with weight w if visible at t; if it flips later (F > t),
 *             F ‖ row gains w in the state. A retraction finds the same F (F depends on
 *             the row only), so counts cancel.
 *
 *   state ─ key: OPKEY_TAG ‖ keycodec(F, row...) (exact), value: count ‖ row (opkey.h)
 *   advance = one range scan from the start of the table up to F <= t
 *
 * Persistent runs keep that table ("t<view>.o<node>f", stream/opstate.h); other runs keep
 * a hash map by rowcodec row and a min-heap by F in memory (entries of rows that left stay
 * as tombstones until the run ends; such runs are rebuilt at start-up anyway).
 *
 * Invariants:
 *   1. The state holds exactly the pushed rows (with their net weights) that will still
 *      change visibility: rows whose flip time is after the last barrier's time.
 *   2. Every barrier's time is >= the previous one's (stream/temporal.h), so nothing that
 *      flipped flips back, and a restart continues from the committed state with a later
 *      time: the first advance emits whatever flipped in between.
 *   3. Rows equal as SQL values but spelled differently (1.0, 1.00) have separate entries,
 *      so a retraction cancels exactly what was emitted.
 */
#include <stdatomic.h>
#include <string.h>

#include "common/clock.h"
#include "sql/keycodec.h"
#include "sql/rowcodec.h"
#include "stream/opkey.h"
#include "stream/opstate.h"
#include "stream/stream_int.h"
#include "stream/temporal.h"

/* Flip times are searched up to here (2200-01-01 UTC); later ones count as never. */
#define TEMPORAL_HORIZON INT64_C(6311433600000000)
/* Unix epoch → PostgreSQL epoch (2000-01-01), µs. */
#define TEMPORAL_EPOCH_SHIFT INT64_C(946684800000000)

/* ---- the epoch's time ------------------------------------------------------------------ */

static _Atomic int64_t epoch_now = 0; /* 0: never set */

void
stream_temporal_set_now(int64_t now_us)
{
    int64_t cur = atomic_load(&epoch_now);

    while (now_us > cur && !atomic_compare_exchange_weak(&epoch_now, &cur, now_us))
        ;
}

void
stream_temporal_tick(void)
{
    stream_temporal_set_now(clock_now_us() - TEMPORAL_EPOCH_SHIFT);
}

int64_t
stream_temporal_now(void)
{
    int64_t t = atomic_load(&epoch_now);

    return t != 0 ? t : clock_now_us() - TEMPORAL_EPOCH_SHIFT;
}

/* ---- the operator ---------------------------------------------------------------------- */

typedef struct MemEntry {
    int64_t flip, count;
    bool in_heap;
    const uint8_t *row; /* rowcodec (the map's key) */
    size_t len;
} MemEntry;

typedef struct TemporalOp {
    Operator op;
    const Expr *cond;
    bool have_now; /* this barrier's time was read */
    int64_t now;
    bool advanced; /* the state was advanced to now */
    /* persistent */
    KeySpec spec;   /* F, then the row's columns */
    Value *keyvals; /* F and a row being encoded (ncols + 1) */
    StateCache *sc;
    /* in memory */
    ByteMap map;
    MemEntry **heap;
    uint32_t nheap, heapcap;
} TemporalOp;

static int
visible(TemporalOp *t, const Value *row, int64_t at, bool *vis, Err *err)
{
    EvalCtx c = t->op.run->ctx;
    Value param = {datum_from_int64(at), false};
    Datum d;
    bool isnull;

    c.params = &param;
    c.nparams = 1;
    c.row = row;
    c.ncols = t->op.ncols;
    if (expr_eval(t->cond, &c, &d, &isnull, err) < 0)
        return -1;
    *vis = !isnull && datum_get_bool(d);
    return 0;
}

/*
 * The row's visibility at now and, when it changes later, *flip (else INT64_MIN). Only
 * times in [now, TEMPORAL_HORIZON] are evaluated.
 */
static int
classify(TemporalOp *t, const Value *row, bool *vis, int64_t *flip, Err *err)
{
    int64_t lo = t->now, hi = TEMPORAL_HORIZON;
    bool last;

    *flip = INT64_MIN;
    if (visible(t, row, lo, vis, err) < 0)
        return -1;
    if (lo >= hi || visible(t, row, hi, &last, err) < 0)
        return lo >= hi ? 0 : -1;
    if (last == *vis)
        return 0;
    while (hi - lo > 1) { /* visible(lo) == *vis, visible(hi) == last */
        int64_t mid = lo + (hi - lo) / 2;
        bool v;

        if (visible(t, row, mid, &v, err) < 0)
            return -1;
        if (v == last)
            hi = mid;
        else
            lo = mid;
    }
    *flip = hi;
    return 0;
}

static void
read_now(TemporalOp *t)
{
    if (!t->have_now) {
        t->now = stream_temporal_now();
        t->have_now = true;
    }
}

/* ---- persistent state ------------------------------------------------------------------ */

static size_t
flip_part_len(void *arg)
{
    (void)arg;
    return 16; /* the tag and F's order bytes (at most 10) stay whole */
}

static int
state_key(TemporalOp *t, int64_t flip, const Value *row, Buf *key, Err *err)
{
    Value *vals = t->keyvals;

    vals[0] = (Value){datum_from_int64(flip), false};
    if (t->op.ncols > 0)
        memcpy(vals + 1, row, sizeof(Value) * (size_t)t->op.ncols);
    buf_reset(key);
    buf_put_u8(key, OPKEY_TAG);
    if (keycodec_encode(&t->spec, vals, key, NULL, err) < 0)
        return -1;
    return opkey_fit(key, flip_part_len, NULL, err);
}

static int
state_add(TemporalOp *t, int64_t flip, const Value *row, int64_t w, Buf *key, Buf *val, Err *err)
{
    const Oid *types = t->op.node->plan->types;
    StateBytes cur;
    int64_t count = 0;
    int found;

    if (state_key(t, flip, row, key, err) < 0 ||
        (found = statecache_get(t->sc, key->data, key->len, &cur, err)) < 0 ||
        (found &&
         opkey_read(cur.data, cur.len, &count, 1, types, 0, t->op.run->scratch, NULL, err) < 0))
        return -1;
    count += w;
    if (count == 0)
        return statecache_delete(t->sc, key->data, key->len, err);
    buf_reset(val);
    if (opkey_value(val, &count, 1, types, t->op.ncols, row, err) < 0)
        return -1;
    return statecache_put(t->sc, key->data, key->len, val->data, val->len, err);
}

typedef struct Due {
    uint8_t *key;
    size_t len;
    int64_t count;
    Value *row;
} Due;

/* Every entry with F <= now flips: emitted, then deleted. */
static int
state_advance(TemporalOp *t, Err *err)
{
    StreamRun *run = t->op.run;
    const Oid *types = t->op.node->plan->types;
    Value bound = {datum_from_int64(t->now + 1), false};
    StateRange range = {{STATE_UNBOUNDED, {NULL, 0}}, {STATE_EXCLUSIVE, {NULL, 0}}};
    StateCacheIter *it;
    StateBytes k, v;
    Buf upper;
    Due *due = NULL;
    size_t n = 0, cap = 0;
    int rc;

    buf_init(&upper, 0);
    buf_put_u8(&upper, OPKEY_TAG);
    if (t->now == INT64_MAX || keycodec_encode_prefix(&t->spec, 1, &bound, &upper, err) < 0) {
        buf_free(&upper);
        return t->now == INT64_MAX ? 0 : -1;
    }
    range.upper.key = (StateBytes){upper.data, upper.len};
    if (statecache_iter_open(t->sc, &range, false, &it, err) < 0) {
        buf_free(&upper);
        return -1;
    }
    while ((rc = statecache_iter_next(it, &k, &v, err)) == 1) {
        if (n == cap) {
            Due *grown = arena_alloc(run->scratch, sizeof(Due) * (cap * 2 + 16));

            if (n > 0)
                memcpy(grown, due, sizeof(Due) * n);
            due = grown;
            cap = cap * 2 + 16;
        }
        due[n].key = arena_memdup(run->scratch, k.data, k.len);
        due[n].len = k.len;
        due[n].row = arena_alloc(run->scratch, sizeof(Value) * (size_t)(t->op.ncols + 1));
        if (opkey_read(v.data, v.len, &due[n].count, 1, types, t->op.ncols, run->scratch,
                       due[n].row, err) < 0) {
            rc = -1;
            break;
        }
        n++;
    }
    statecache_iter_close(it);
    buf_free(&upper);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        bool vis;

        if (visible(t, due[i].row, t->now, &vis, err) < 0 ||
            op_output(&t->op, due[i].row, vis ? due[i].count : -due[i].count, err) < 0 ||
            statecache_delete(t->sc, due[i].key, due[i].len, err) < 0)
            rc = -1;
    }
    return rc;
}

/* ---- in-memory state ------------------------------------------------------------------- */

static bool
heap_less(const MemEntry *a, const MemEntry *b)
{
    return a->flip < b->flip;
}

static void
heap_push(TemporalOp *t, MemEntry *e)
{
    uint32_t i;

    if (t->nheap == t->heapcap) {
        uint32_t cap = t->heapcap ? t->heapcap * 2 : 64;
        MemEntry **h = arena_alloc(t->op.run->arena, sizeof(MemEntry *) * cap);

        if (t->nheap > 0)
            memcpy(h, t->heap, sizeof(MemEntry *) * t->nheap);
        t->heap = h;
        t->heapcap = cap;
    }
    i = t->nheap++;
    while (i > 0 && heap_less(e, t->heap[(i - 1) / 2])) {
        t->heap[i] = t->heap[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    t->heap[i] = e;
    e->in_heap = true;
}

static MemEntry *
heap_pop(TemporalOp *t)
{
    MemEntry *top = t->heap[0], *last = t->heap[--t->nheap];
    uint32_t i = 0;

    for (;;) {
        uint32_t c = 2 * i + 1;

        if (c >= t->nheap)
            break;
        if (c + 1 < t->nheap && heap_less(t->heap[c + 1], t->heap[c]))
            c++;
        if (!heap_less(t->heap[c], last))
            break;
        t->heap[i] = t->heap[c];
        i = c;
    }
    if (t->nheap > 0)
        t->heap[i] = last;
    top->in_heap = false;
    return top;
}

static int
mem_add(TemporalOp *t, int64_t flip, const Value *row, int64_t w, Buf *key, Err *err)
{
    BmEntry *be;
    MemEntry *m;
    bool created;

    buf_reset(key);
    if (rowcodec_encode(t->op.node->plan->types, t->op.ncols, row, key, err) < 0)
        return -1;
    be = bytemap_get(&t->map, key->data, key->len, true, &created);
    if (created) {
        m = arena_calloc(t->op.run->arena, 1, sizeof *m);
        m->row = be->key;
        m->len = be->len;
        be->payload = m;
    }
    m = be->payload;
    m->flip = flip;
    m->count += w;
    if (m->count != 0 && !m->in_heap)
        heap_push(t, m);
    return 0;
}

static int
mem_advance(TemporalOp *t, Err *err)
{
    Value *row = arena_alloc(t->op.run->scratch, sizeof(Value) * (size_t)(t->op.ncols + 1));

    while (t->nheap > 0 && t->heap[0]->flip <= t->now) {
        MemEntry *m = heap_pop(t);
        bool vis;

        if (m->count == 0)
            continue; /* retracted before it flipped */
        if (rowcodec_decode(m->row, m->len, t->op.node->plan->types, t->op.ncols,
                            t->op.run->scratch, row, err) < 0 ||
            visible(t, row, t->now, &vis, err) < 0 ||
            op_output(&t->op, row, vis ? m->count : -m->count, err) < 0)
            return -1;
        m->count = 0;
    }
    return 0;
}

/* ---- push and flush -------------------------------------------------------------------- */

static bool
is_persistent(const TemporalOp *t)
{
    return t->op.vt->persistent;
}

static int
advance(TemporalOp *t, Err *err)
{
    read_now(t);
    if (t->advanced)
        return 0;
    t->advanced = true;
    if (!is_persistent(t))
        return mem_advance(t, err);
    if (t->sc == NULL && stream_state_cache(t->op.run, t->op.node, "f", &t->sc, err) < 0)
        return -1;
    return state_advance(t, err);
}

static int
temporal_push(Operator *op, int port, const Batch *in, Err *err)
{
    TemporalOp *t = (TemporalOp *)op;
    Buf key, val;
    int rc = 0;

    (void)port;
    if (advance(t, err) < 0)
        return -1;
    buf_init(&key, 0);
    buf_init(&val, 0);
    for (int i = 0; rc == 0 && i < in->n; i++) {
        const Value *row = batch_row(in, i);
        int64_t w = in->weights[i], flip;
        bool vis;

        if (classify(t, row, &vis, &flip, err) < 0 || (vis && op_output(op, row, w, err) < 0))
            rc = -1;
        else if (flip != INT64_MIN)
            rc = is_persistent(t) ? state_add(t, flip, row, w, &key, &val, err)
                                  : mem_add(t, flip, row, w, &key, err);
    }
    buf_free(&key);
    buf_free(&val);
    return rc;
}

static int
temporal_flush(Operator *op, Err *err)
{
    TemporalOp *t = (TemporalOp *)op;
    int rc = advance(t, err);

    t->have_now = false; /* the next barrier reads the time again */
    t->advanced = false;
    return rc;
}

static const OpVtbl temporal_vt = {"temporal filter", temporal_push, temporal_flush, true};
static const OpVtbl temporal_mem_vt = {"temporal filter", temporal_push, temporal_flush, false};

Operator *
op_temporal_new(StreamRun *run, const DfNode *node)
{
    const PlanNode *p = node->plan;
    bool persist = run->state != NULL;
    TemporalOp *t;
    KeyColumn *cols = arena_calloc(run->arena, (size_t)p->ncols + 1, sizeof(KeyColumn));

    for (int c = 0; c < p->ncols; c++) {
        cols[c + 1] = (KeyColumn){p->types[c], false, false};
        persist = persist && keycodec_type_supported(p->types[c]);
    }
    cols[0] = (KeyColumn){TYPE_TIMESTAMPTZ, false, false};
    t = op_alloc(run, sizeof(TemporalOp), persist ? &temporal_vt : &temporal_mem_vt, node,
                 p->ncols);
    t->cond = p->u.temporal.cond;
    t->spec = (KeySpec){cols, p->ncols + 1, true};
    t->keyvals = arena_alloc(run->arena, sizeof(Value) * (size_t)(p->ncols + 1));
    bytemap_init(&t->map, run->arena);
    return &t->op;
}
