/*
 * stream/op_session.c — SESSION(t, ts, gap [, key ...]): every input row with
 * window_start and window_end of its session (sql/bind_window_tvf.c binds
 * it). Per key value, the rows sorted by time form sessions: maximal runs in
 * which each time is less than gap after the previous one; a session's
 * window is [first time, last time + gap). Rows with a NULL time belong to
 * no session: they pass through with NULL window columns.
 *
 * Delta rule: a row's window depends on the other rows of its key, so an
 * insertion can extend or merge sessions and a deletion can shrink or split
 * one. For every key a batch changes, with [lo, hi] the times it changes
 * there, only the sessions holding a row whose time is within gap of
 * [lo, hi] can change (any other session is at least gap away from every
 * changed time, before and after). The operator retracts those sessions'
 * rows as they were before the batch, applies the batch's changes, and
 * emits the rows of the same time span (widened to [lo, hi]) after it:
 * out(after) - out(before) of a self-contained region, which consolidates
 * (downstream) to exactly the rows whose window changed.
 *
 * State, in one of two layouts:
 *   - in memory (run->state NULL: one-shot runs, jobs with a non-persistent
 *     operator; or a key or column type without a key encoding, when the
 *     operator says it is not persistent): per key value a sorted array of
 *     entries in the run's arena, each batch applied as it is pushed.
 *   - persistent (stream/opstate.h): a barrier's changes are gathered per key
 *     in the scratch and applied at the flush, over two state tables:
 *
 *       "r"  OPKEY_TAG | key values | time | every input column
 *                                               ──▶ i64 weight | row
 *            (stream/opkey.h: canonical order parts, the row's first
 *            spelling; a long row is cut with a hash, the key values and
 *            the time never are: 54000 when they alone do not fit). A key's
 *            entries are one key prefix in time order, so a flush reads just
 *            the region it changes: one range scan over (lo - gap, hi + gap),
 *            then scans back and forward while the sessions at its ends go
 *            on (back in widening time windows: see extend_back).
 *       "e"  OPKEY_TAG | session end (last time + gap) | key values
 *                                               ──▶ i64 session start
 *            kept only when the time column carries a watermark
 *            (stream_wm_input_col): one entry per session of live rows,
 *            updated by the flush from the sessions it retracts (their
 *            entries go) and emits (theirs come).
 *
 * Cleanup by watermark (persistent with "e"): after watermark W on the time
 * column, every future change has time >= W or NULL. A session whose end
 * (last time + gap) is <= W can then never take a row in (it would be at
 * least gap after the last one), merge, shrink or split (that would take a
 * change of one of its rows, all below W): its rows leave "r" and its end
 * leaves "e", and nothing is emitted (its rows stay downstream as they
 * are). The closed sessions are the prefix of "e" up to W (read from past
 * the previous W: what is below it is gone); a closed session's rows are
 * its key's rows from its start to its last time. Cost: O(closed sessions +
 * their rows); no other key or session is looked at.
 *
 * Retractions: a watermarked input is append-only at its source, but a view
 * in between may retract (an aggregate's output, say); the watermark covers
 * deletes too, so a retraction only reaches open sessions and the output
 * stays exact. A change that breaks it (its time below a W already applied)
 * meets only what is left: an insertion makes its session with the rows
 * still there, and a retraction of a forgotten row becomes an entry of
 * negative weight (invariant 1), which produces nothing and stays; the
 * output then differs from a run without cleanup in those rows' sessions
 * only. (Within a job, inputs consolidate to non-negative weights at every
 * barrier, so only such a change leaves a negative entry behind.)
 *
 * Invariants:
 *   1. A key's entries are sorted by time; an entry is one distinct row and
 *      its net weight, removed when the weight reaches 0. Entries whose
 *      weight is not positive (a retraction seen before its insertion) take
 *      no part in sessions and produce no output.
 *   2. Each key's region is retracted once per batch (before any of its
 *      changes is applied) and emitted once (after all of them); a region is
 *      a union of whole sessions both before and after the batch. (A
 *      persistent run's batch is its barrier.)
 *   3. In memory, state (keys, rows, by-reference values) lives in the run's
 *      arena and is rebuilt from the inputs at start-up. Persistent, it lives
 *      in "r" and "e" only: between barriers the operator holds nothing else
 *      (stream/opstate.h invariant 2) but the last watermark applied.
 *   4. Cost: a batch touching a key costs O(log rows of the key + rows of
 *      the affected sessions) plus the insertions' moves in memory; the same
 *      region read by range scans persistent (the back walk in about
 *      log2(session length / gap) windows); other keys and sessions are not
 *      looked at.
 *   5. With "e", its entries are exactly the (end, key) → start of the
 *      sessions of the live entries of "r" after every flush and every
 *      cleanup.
 */
#include <stdlib.h>
#include <string.h>

#include "common/errcodes.h"
#include "sql/keycodec.h"
#include "sql/window_time.h"
#include "stream/opkey.h"
#include "stream/opstate.h"
#include "stream/stream_int.h"

typedef struct SessEntry {
    int64_t ts;
    Value *row; /* the input row (deep copy) */
    int64_t w;
} SessEntry;

typedef struct SessKey {
    SessEntry *e;
    int n, cap;
    uint64_t touched;         /* the batch number that last touched it (invariant 2) */
    int64_t lo, hi;           /* this batch: the changed times */
    int64_t span_lo, span_hi; /* this batch: the region's time span */
} SessKey;

/* Persistent mode: an entry of a key the barrier touches (scratch). */
typedef struct PEnt {
    const uint8_t *key; /* its "r" key */
    size_t klen;
    Value *row; /* its spelling: the committed one when there is one */
    int64_t ts;
    int64_t oldw;  /* committed weight (0: none) */
    int64_t delta; /* this barrier's change */
    bool seen;     /* read from "r" by the flush */
    struct PEnt *next_pushed;
} PEnt;

/* Persistent mode: a key the barrier touches (scratch). */
typedef struct PKey {
    const uint8_t *prefix; /* OPKEY_TAG | key values: every "r" key of the key starts so */
    size_t plen;
    int64_t lo, hi; /* the changed times */
    PEnt *pushed;
} PKey;

/* Sessions (end and start), as emit_sessions meets them (ascending). */
typedef struct Ends {
    int64_t *v, *start;
    int n, cap;
} Ends;

typedef struct SessionOp {
    Operator op;
    RowTable keys;
    Value *row;    /* the output row */
    Value *keybuf; /* the key of the current row */
    uint64_t batch;
    SessKey **touched;
    int ntouched, touched_cap;
    SessKey **rowkey; /* per input row of the batch: its key, NULL for a NULL time */
    int rowkey_cap;
    /* persistent mode (run->state and every type encodable): see the header */
    bool persist;
    bool keep_ends; /* "e": the time column carries a watermark */
    StateCache *rc, *ec;
    KeySpec spec;   /* key values, the time, every input column */
    KeySpec tspec;  /* the time alone */
    size_t tlen;    /* bytes of an encoded (non-NULL) time */
    Value *keyvals; /* spec.ncols */
    const Oid *in_types;
    bool started;
    bool has_cleaned;
    Datum cleaned; /* the last watermark applied: no "e" entry ends at or before it */
    ByteMap prows; /* this barrier's entries by "r" key: PEnt */
    ByteMap pkeys; /* this barrier's keys by prefix: PKey */
} SessionOp;

static int64_t
sat_add(int64_t a, int64_t b)
{
    int64_t r;

    if (__builtin_add_overflow(a, b, &r))
        return b > 0 ? INT64_MAX : INT64_MIN;
    return r;
}

/* The first entry with time >= ts (upper: > ts). */
static int
bound(const SessKey *k, int64_t ts, bool upper)
{
    int lo = 0, hi = k->n;

    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;

        if (k->e[mid].ts < ts || (upper && k->e[mid].ts == ts))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static Value *
copy_row(StreamRun *run, const PlanNode *in, const Value *r)
{
    Value *c = arena_alloc(run->arena, sizeof(Value) * (size_t)(in->ncols ? in->ncols : 1));

    for (int i = 0; i < in->ncols; i++) {
        const TypeInfo *t = type_by_oid(in->types[i]);

        c[i] = r[i];
        if (!r[i].isnull && t != NULL && !t->byval)
            c[i].d = datum_copy(run->arena, r[i].d, false);
    }
    return c;
}

static void
ends_add(Arena *a, Ends *ends, int64_t end, int64_t start)
{
    if (ends->n == ends->cap) {
        int cap = ends->cap ? ends->cap * 2 : 16;
        int64_t *v = arena_alloc(a, sizeof(int64_t) * (size_t)cap * 2);

        if (ends->n > 0) {
            memcpy(v, ends->v, sizeof(int64_t) * (size_t)ends->n);
            memcpy(v + cap, ends->start, sizeof(int64_t) * (size_t)ends->n);
        }
        ends->v = v;
        ends->start = v + cap;
        ends->cap = cap;
    }
    ends->start[ends->n] = start;
    ends->v[ends->n++] = end;
}

/*
 * Emits sign × every live row of e[from, to) (whole sessions) with its window; each session's
 * end into ends (NULL: not wanted).
 */
static int
emit_sessions(SessionOp *s, const SessEntry *e, int from, int to, int64_t sign, Ends *ends,
              Err *err)
{
    const PlanNode *p = s->op.node->plan;
    int nin = p->input->ncols;
    int64_t gap = p->u.session.gap;

    for (int a = from; a < to;) {
        int b, last;
        int64_t start, end;

        if (e[a].w <= 0) { /* invariant 1 */
            a++;
            continue;
        }
        /* the session starting at a: extend while the next live time is < gap after */
        last = a;
        for (b = a + 1; b < to; b++) {
            if (e[b].w <= 0)
                continue;
            if (e[b].ts - e[last].ts >= gap)
                break;
            last = b;
        }
        start = e[a].ts;
        if (window_add(e[last].ts, gap, &end, err) < 0)
            return -1;
        if (ends != NULL)
            ends_add(s->op.run->scratch, ends, end, start);
        for (int i = a; i <= last; i++) {
            if (e[i].w <= 0)
                continue;
            memcpy(s->row, e[i].row, sizeof(Value) * (size_t)nin);
            s->row[nin] = (Value){datum_from_int64(start), false};
            s->row[nin + 1] = (Value){datum_from_int64(end), false};
            if (op_output(&s->op, s->row, sign * e[i].w, err) < 0)
                return -1;
        }
        a = b;
    }
    return 0;
}

/*
 * The region of k (before the batch) that changes in [k->lo, k->hi] can affect: the whole
 * sessions holding a live row within gap of [lo, hi]; [*from, *to) of k's entries, and its
 * time span widened to [lo, hi] in k->span_lo/hi.
 */
static void
affected(const SessKey *k, int64_t gap, int *from, int *to, int64_t *span_lo, int64_t *span_hi)
{
    int a = bound(k, sat_add(sat_add(k->lo, -gap), 1), false); /* time > lo - gap */
    int b = bound(k, sat_add(sat_add(k->hi, gap), -1), true);  /* time < hi + gap */
    int first = -1, last = -1;

    *span_lo = k->lo;
    *span_hi = k->hi;
    for (int i = a; i < b; i++) {
        if (k->e[i].w > 0) {
            if (first < 0)
                first = i;
            last = i;
        }
    }
    if (first < 0) { /* no live row near: nothing before the batch to retract */
        *from = *to = a;
        return;
    }
    for (int i = first - 1; i >= 0; i--) { /* back to the start of first's session */
        if (k->e[i].w <= 0)
            continue;
        if (k->e[first].ts - k->e[i].ts >= gap)
            break;
        first = i;
    }
    for (int i = last + 1; i < k->n; i++) { /* on to the end of last's session */
        if (k->e[i].w <= 0)
            continue;
        if (k->e[i].ts - k->e[last].ts >= gap)
            break;
        last = i;
    }
    *from = first;
    *to = last + 1;
    if (k->e[first].ts < *span_lo)
        *span_lo = k->e[first].ts;
    if (k->e[last].ts > *span_hi)
        *span_hi = k->e[last].ts;
}

/* Adds weight w of row r (time ts) to k's entries (invariant 1). */
static int
apply(SessionOp *s, SessKey *k, const Value *r, int64_t ts, int64_t w, Err *err)
{
    const PlanNode *p = s->op.node->plan;
    EvalCtx *ctx = &s->op.run->ctx;
    int lo = bound(k, ts, false);

    for (int i = lo; i < k->n && k->e[i].ts == ts; i++) {
        bool eq;

        if (stream_rows_equal(p->u.session.row_orders, p->input->ncols, ctx, k->e[i].row, r, &eq,
                              err) < 0)
            return -1;
        if (!eq)
            continue;
        k->e[i].w += w;
        if (k->e[i].w == 0) {
            memmove(&k->e[i], &k->e[i + 1], sizeof(SessEntry) * (size_t)(k->n - i - 1));
            k->n--;
        }
        return 0;
    }
    if (k->n == k->cap) {
        int cap = k->cap ? k->cap * 2 : 8;
        SessEntry *e = arena_alloc(s->op.run->arena, sizeof(SessEntry) * (size_t)cap);

        if (k->n > 0)
            memcpy(e, k->e, sizeof(SessEntry) * (size_t)k->n);
        k->e = e;
        k->cap = cap;
    }
    memmove(&k->e[lo + 1], &k->e[lo], sizeof(SessEntry) * (size_t)(k->n - lo));
    k->e[lo] = (SessEntry){ts, copy_row(s->op.run, p->input, r), w};
    k->n++;
    return 0;
}

/* A row with a NULL time: no session, NULL windows. */
static int
pass_null(SessionOp *s, const Value *r, int nin, int64_t w, Err *err)
{
    memcpy(s->row, r, sizeof(Value) * (size_t)nin);
    s->row[nin] = s->row[nin + 1] = (Value){0, true};
    return op_output(&s->op, s->row, w, err);
}

static int session_push_state(SessionOp *s, const Batch *in, Err *err);

static int
session_push(Operator *op, int port, const Batch *in, Err *err)
{
    SessionOp *s = (SessionOp *)op;
    const PlanNode *p = op->node->plan;
    EvalCtx *ctx = &op->run->ctx;
    int nin = in->ncols, col = p->u.session.column, nkeys = p->u.session.nkeys;
    int64_t gap = p->u.session.gap;

    (void)port;
    if (s->persist)
        return session_push_state(s, in, err);
    s->batch++;
    s->ntouched = 0;
    if (in->n > s->rowkey_cap) {
        s->rowkey_cap = in->n > STREAM_BATCH_ROWS ? in->n : STREAM_BATCH_ROWS;
        s->rowkey = arena_alloc(op->run->arena, sizeof(SessKey *) * (size_t)s->rowkey_cap);
    }
    /* 1: every row's key, and per key the changed times [lo, hi] */
    for (int i = 0; i < in->n; i++) {
        const Value *r = batch_row(in, i);
        RowEntry *re;
        bool created;
        SessKey *k;
        int64_t ts;

        s->rowkey[i] = NULL;
        if (r[col].isnull) {
            if (pass_null(s, r, nin, in->weights[i], err) < 0)
                return -1;
            continue;
        }
        for (int c = 0; c < nkeys; c++)
            s->keybuf[c] = r[p->u.session.keys[c]];
        if (rowtable_lookup(&s->keys, ctx, s->keybuf, false, &re, &created, err) < 0)
            return -1;
        if (re == NULL) { /* a new key: keep a deep copy of it */
            for (int c = 0; c < nkeys; c++) {
                const TypeInfo *t = type_by_oid(p->u.session.key_orders[c].type);

                if (!s->keybuf[c].isnull && t != NULL && !t->byval)
                    s->keybuf[c].d = datum_copy(op->run->arena, s->keybuf[c].d, false);
            }
            if (rowtable_lookup(&s->keys, ctx, s->keybuf, true, &re, &created, err) < 0)
                return -1;
            re->payload = arena_calloc(op->run->arena, 1, sizeof(SessKey));
        }
        k = s->rowkey[i] = re->payload;
        ts = datum_get_int64(r[col].d);
        if (k->touched != s->batch) {
            k->touched = s->batch;
            k->lo = k->hi = ts;
            if (s->ntouched == s->touched_cap) {
                int cap = s->touched_cap ? s->touched_cap * 2 : 64;
                SessKey **t = arena_alloc(op->run->arena, sizeof(SessKey *) * (size_t)cap);

                if (s->ntouched > 0)
                    memcpy(t, s->touched, sizeof(SessKey *) * (size_t)s->ntouched);
                s->touched = t;
                s->touched_cap = cap;
            }
            s->touched[s->ntouched++] = k;
        } else {
            k->lo = ts < k->lo ? ts : k->lo;
            k->hi = ts > k->hi ? ts : k->hi;
        }
    }
    /* 2: retract each touched key's region as it is before the batch (invariant 2) */
    for (int t = 0; t < s->ntouched; t++) {
        SessKey *k = s->touched[t];
        int from, to;

        affected(k, gap, &from, &to, &k->span_lo, &k->span_hi);
        if (emit_sessions(s, k->e, from, to, -1, NULL, err) < 0)
            return -1;
    }
    /* 3: the changes */
    for (int i = 0; i < in->n; i++) {
        const Value *r = batch_row(in, i);

        if (s->rowkey[i] != NULL &&
            apply(s, s->rowkey[i], r, datum_get_int64(r[col].d), in->weights[i], err) < 0)
            return -1;
    }
    /* 4: the same regions after it */
    for (int t = 0; t < s->ntouched; t++) {
        SessKey *k = s->touched[t];

        if (emit_sessions(s, k->e, bound(k, k->span_lo, false), bound(k, k->span_hi, true), 1, NULL,
                          err) < 0)
            return -1;
    }
    return 0;
}

/* ---- persistent mode: pushes gather the barrier's changes ------------------------------- */

/* The length of an "r" key's part that orders (tag, key values, time): for opkey_fit. */
static size_t
order_part_len(void *arg)
{
    SessionOp *s = arg;
    Buf b;
    Err ignored;
    size_t len;

    buf_init(&b, 0);
    err_clear(&ignored);
    (void)keycodec_encode_prefix(&s->spec, s->op.node->plan->u.session.nkeys + 1, s->keyvals, &b,
                                 &ignored);
    len = b.len + 1;
    buf_free(&b);
    return len;
}

/* Adds row r (non-NULL time) with weight w to the barrier's changes; key and pre are buffers. */
static int
gather(SessionOp *s, const Value *r, int64_t w, Buf *key, Buf *pre, Err *err)
{
    const PlanNode *p = s->op.node->plan;
    Arena *a = s->op.run->scratch;
    int nkeys = p->u.session.nkeys, nin = p->input->ncols;
    int64_t ts = datum_get_int64(r[p->u.session.column].d);
    BmEntry *e;
    bool created;
    PEnt *pe;

    for (int c = 0; c < nkeys; c++)
        s->keyvals[c] = r[p->u.session.keys[c]];
    s->keyvals[nkeys] = r[p->u.session.column];
    memcpy(&s->keyvals[nkeys + 1], r, sizeof(Value) * (size_t)nin);
    buf_reset(key);
    buf_put_u8(key, OPKEY_TAG);
    if (keycodec_encode(&s->spec, s->keyvals, key, NULL, err) < 0 ||
        opkey_fit(key, order_part_len, s, err) < 0)
        return -1;
    e = bytemap_get(&s->prows, key->data, key->len, true, &created);
    if (created) {
        BmEntry *ke;
        PKey *pk;

        pe = arena_calloc(a, 1, sizeof *pe);
        pe->key = e->key;
        pe->klen = e->len;
        pe->row = arena_memdup(a, r, sizeof(Value) * (size_t)nin);
        pe->ts = ts;
        e->payload = pe;
        buf_reset(pre);
        buf_put_u8(pre, OPKEY_TAG);
        if (keycodec_encode_prefix(&s->spec, nkeys, s->keyvals, pre, err) < 0)
            return -1;
        ke = bytemap_get(&s->pkeys, pre->data, pre->len, true, &created);
        if (created) {
            pk = arena_calloc(a, 1, sizeof *pk);
            pk->prefix = ke->key;
            pk->plen = ke->len;
            pk->lo = pk->hi = ts;
            ke->payload = pk;
        }
        pk = ke->payload;
        pk->lo = ts < pk->lo ? ts : pk->lo;
        pk->hi = ts > pk->hi ? ts : pk->hi;
        pe->next_pushed = pk->pushed;
        pk->pushed = pe;
    }
    pe = e->payload;
    pe->delta += w;
    return 0;
}

static int
open_caches(SessionOp *s, Err *err)
{
    if (s->rc == NULL && stream_state_cache(s->op.run, s->op.node, "r", &s->rc, err) < 0)
        return -1;
    if (s->keep_ends && s->ec == NULL &&
        stream_state_cache(s->op.run, s->op.node, "e", &s->ec, err) < 0)
        return -1;
    return 0;
}

static int
session_push_state(SessionOp *s, const Batch *in, Err *err)
{
    StreamRun *run = s->op.run;
    int col = s->op.node->plan->u.session.column;
    Buf key, pre;
    int rc = 0;

    if (in->n == 0)
        return 0;
    if (open_caches(s, err) < 0)
        return -1;
    if (!s->started) {
        bytemap_init(&s->prows, run->scratch);
        bytemap_init(&s->pkeys, run->scratch);
        s->started = true;
    }
    buf_init(&key, 0);
    buf_init(&pre, 0);
    for (int i = 0; rc == 0 && i < in->n; i++) {
        const Value *r = batch_row(in, i);

        if (r[col].isnull)
            rc = pass_null(s, r, in->ncols, in->weights[i], err);
        else
            rc = gather(s, r, in->weights[i], &key, &pre, err);
    }
    buf_free(&key);
    buf_free(&pre);
    return rc;
}

/* ---- persistent mode: the flush, key by key ---------------------------------------------- */

/* A key's region: its entries the flush reads or the barrier changes. */
typedef struct Region {
    PEnt **v;
    int n, cap;
} Region;

static void
region_add(Arena *a, Region *r, PEnt *p)
{
    if (r->n == r->cap) {
        int cap = r->cap ? r->cap * 2 : 64;
        PEnt **v = arena_alloc(a, sizeof(PEnt *) * (size_t)cap);

        if (r->n > 0)
            memcpy(v, r->v, sizeof(PEnt *) * (size_t)r->n);
        r->v = v;
        r->cap = cap;
    }
    r->v[r->n++] = p;
}

/* "r" key order: the key's prefix, then the time, then the row. */
static int
cmp_ent(const void *a, const void *b)
{
    const PEnt *x = *(PEnt *const *)a, *y = *(PEnt *const *)b;
    int c = memcmp(x->key, y->key, x->klen < y->klen ? x->klen : y->klen);

    if (c != 0)
        return c;
    return (x->klen > y->klen) - (x->klen < y->klen);
}

/* prefix, then time t (order part) into b: where the key's entries of time t begin. */
static int
time_key(const SessionOp *s, const uint8_t *prefix, size_t plen, int64_t t, Buf *b, Err *err)
{
    Value v = {datum_from_int64(t), false};

    buf_reset(b);
    buf_append(b, prefix, plen);
    return keycodec_encode_prefix(&s->tspec, 1, &v, b, err);
}

/* An entry read from "r" (key k, value v) into p (NULL: a new one): weight, spelling, time. */
static PEnt *
read_entry(SessionOp *s, PEnt *p, StateBytes k, StateBytes v, Err *err)
{
    const PlanNode *pl = s->op.node->plan;
    Arena *a = s->op.run->scratch;

    if (p == NULL) {
        p = arena_calloc(a, 1, sizeof *p);
        p->key = arena_memdup(a, k.data, k.len);
        p->klen = k.len;
    }
    p->row = arena_alloc(a, sizeof(Value) * (size_t)pl->input->ncols);
    if (opkey_read(v.data, v.len, &p->oldw, 1, s->in_types, pl->input->ncols, a, p->row, err) < 0)
        return NULL;
    p->ts = datum_get_int64(p->row[pl->u.session.column].d);
    p->seen = true;
    return p;
}

/* Every entry of range (the middle of a region) into reg, the barrier's with their changes. */
static int
scan_middle(SessionOp *s, const StateRange *range, Region *reg, Err *err)
{
    StateCacheIter *it;
    StateBytes k, v;
    int rc;

    if (statecache_iter_open(s->rc, range, false, &it, err) < 0)
        return -1;
    while ((rc = statecache_iter_next(it, &k, &v, err)) > 0) {
        BmEntry *e = bytemap_get(&s->prows, k.data, k.len, false, NULL);
        PEnt *p = read_entry(s, e != NULL ? e->payload : NULL, k, v, err);

        if (p == NULL) {
            rc = -1;
            break;
        }
        region_add(s->op.run->scratch, reg, p);
    }
    statecache_iter_close(it);
    return rc < 0 ? -1 : 0;
}

/*
 * The rest of the session at one end of a region: from live time *t on through range (what
 * lies beyond the middle, walked away from it), the live entries while each is less than gap
 * from the previous one; *t the last one's time, *done when the session ended in range. No
 * entry there has a change (they are gap away from every change).
 */
static int
extend(SessionOp *s, const StateRange *range, bool backward, int64_t *t, bool *done, Region *reg,
       Err *err)
{
    int64_t gap = s->op.node->plan->u.session.gap;
    StateCacheIter *it;
    StateBytes k, v;
    int rc;

    if (statecache_iter_open(s->rc, range, backward, &it, err) < 0)
        return -1;
    while ((rc = statecache_iter_next(it, &k, &v, err)) > 0) {
        int64_t w;
        PEnt *p;

        if (opkey_read(v.data, v.len, &w, 1, NULL, 0, NULL, NULL, err) < 0) {
            rc = -1;
            break;
        }
        if (w <= 0) /* invariant 1 */
            continue;
        if ((p = read_entry(s, NULL, k, v, err)) == NULL) {
            rc = -1;
            break;
        }
        if ((backward ? *t - p->ts : p->ts - *t) >= gap) {
            *done = true;
            break;
        }
        region_add(s->op.run->scratch, reg, p);
        *t = p->ts;
    }
    statecache_iter_close(it);
    return rc < 0 ? -1 : 0;
}

/*
 * The session of live time t back from the middle (whose lower edge key is in edge): in
 * windows [t - span, edge), then [t' - 2 span, t - span) from the oldest live time t' found,
 * and so on while a window finds a live row, so that what lies further back (the deleted rows
 * of closed sessions a cache may still hold as absent keys, above all) is not walked through
 * again and again.
 */
static int
extend_back(SessionOp *s, const PKey *pk, int64_t t, Buf *edge, Region *reg, Err *err)
{
    int64_t span = s->op.node->plan->u.session.gap;
    Buf below, *up = edge, *down = &below;
    bool done = false;
    int rc = 0;

    buf_init(&below, 0);
    while (rc == 0 && !done) {
        int64_t floor = span == INT64_MAX ? INT64_MIN : sat_add(t, -span);
        StateRange range;
        int before;
        Buf *swap;

        if (time_key(s, pk->prefix, pk->plen, floor, down, err) < 0) {
            rc = -1;
            break;
        }
        range.lower = (StateBound){STATE_INCLUSIVE, {down->data, down->len}};
        range.upper = (StateBound){STATE_EXCLUSIVE, {up->data, up->len}};
        before = reg->n;
        rc = extend(s, &range, true, &t, &done, reg, err);
        /* nothing live in [t - span, t) (span >= gap), or the whole key walked: done */
        if (reg->n == before || floor == INT64_MIN)
            break;
        swap = up, up = down, down = swap;
        span = span > INT64_MAX / 2 ? INT64_MAX : span * 2;
    }
    buf_free(&below);
    return rc;
}

/*
 * The region of pk before the barrier (as affected() in memory): the entries of
 * (lo - gap, hi + gap), the sessions of its first and last live entries to their ends, and
 * the barrier's new entries; sorted.
 */
static int
load_region(SessionOp *s, const PKey *pk, Region *reg, Err *err)
{
    int64_t gap = s->op.node->plan->u.session.gap, first = 0, last = 0;
    Buf lo, hi;
    StateRange range;
    bool any = false;
    int rc = -1;

    buf_init(&lo, 0);
    buf_init(&hi, 0);
    if (time_key(s, pk->prefix, pk->plen, sat_add(sat_add(pk->lo, -gap), 1), &lo, err) < 0 ||
        time_key(s, pk->prefix, pk->plen, sat_add(sat_add(pk->hi, gap), -1), &hi, err) < 0)
        goto out;
    range.lower = (StateBound){STATE_INCLUSIVE, {lo.data, lo.len}};
    range.upper = (StateBound){STATE_PREFIX, {hi.data, hi.len}};
    if (scan_middle(s, &range, reg, err) < 0)
        goto out;
    for (int i = 0; i < reg->n; i++) {
        if (reg->v[i]->oldw > 0) {
            first = any ? first : reg->v[i]->ts;
            last = reg->v[i]->ts;
            any = true;
        }
    }
    if (any && first <= pk->lo && extend_back(s, pk, first, &lo, reg, err) < 0)
        goto out;
    if (any && last >= pk->hi && keycodec_prefix_successor(&hi)) { /* on past hi + gap - 1 */
        bool done = false;

        range.lower = (StateBound){STATE_INCLUSIVE, {hi.data, hi.len}};
        range.upper = (StateBound){STATE_PREFIX, {pk->prefix, pk->plen}};
        if (extend(s, &range, false, &last, &done, reg, err) < 0)
            goto out;
    }
    for (PEnt *p = pk->pushed; p != NULL; p = p->next_pushed) {
        if (!p->seen)
            region_add(s->op.run->scratch, reg, p);
    }
    if (reg->n > 1)
        qsort(reg->v, (size_t)reg->n, sizeof(PEnt *), cmp_ent);
    rc = 0;
out:
    buf_free(&lo);
    buf_free(&hi);
    return rc;
}

/* "e" key of the session of pk ending at end into b. */
static int
end_key(const SessionOp *s, const uint8_t *prefix, size_t plen, int64_t end, Buf *b, Err *err)
{
    Value v = {datum_from_int64(end), false};

    buf_reset(b);
    buf_put_u8(b, OPKEY_TAG);
    if (keycodec_encode_prefix(&s->tspec, 1, &v, b, err) < 0)
        return -1;
    buf_append(b, prefix + 1, plen - 1);
    return 0;
}

/*
 * Invariant 5: the region's sessions before (their "e" entries deleted) and after (put: the
 * value is the session's start), both in time order; a session with the same end and start
 * before and after is left alone.
 */
static int
update_ends(SessionOp *s, const PKey *pk, const Ends *before, const Ends *after, Err *err)
{
    Buf b;
    int i = 0, j = 0, rc = 0;

    buf_init(&b, 0);
    while (rc == 0 && (i < before->n || j < after->n)) {
        bool gone = j >= after->n || (i < before->n && before->v[i] < after->v[j]);
        bool same = !gone && i < before->n && before->v[i] == after->v[j];
        int64_t start;

        if (same && before->start[i] == after->start[j]) {
            i++, j++;
            continue;
        }
        if (same)
            i++;
        start = gone ? 0 : after->start[j];
        if (end_key(s, pk->prefix, pk->plen, gone ? before->v[i++] : after->v[j++], &b, err) < 0)
            rc = -1;
        else if (gone)
            rc = statecache_delete(s->ec, b.data, b.len, err);
        else
            rc = statecache_put(s->ec, b.data, b.len, &start, sizeof start, err);
    }
    buf_free(&b);
    return rc;
}

static int
flush_key(SessionOp *s, const PKey *pk, Err *err)
{
    const PlanNode *p = s->op.node->plan;
    Arena *a = s->op.run->scratch;
    Region reg = {0};
    Ends before = {0}, after = {0};
    SessEntry *e;
    Buf val;
    int rc = 0;

    if (load_region(s, pk, &reg, err) < 0)
        return -1;
    e = arena_alloc(a, sizeof(SessEntry) * (size_t)(reg.n + 1));
    for (int i = 0; i < reg.n; i++)
        e[i] = (SessEntry){reg.v[i]->ts, reg.v[i]->row, reg.v[i]->oldw};
    if (emit_sessions(s, e, 0, reg.n, -1, s->keep_ends ? &before : NULL, err) < 0)
        return -1;
    for (int i = 0; i < reg.n; i++)
        e[i].w = reg.v[i]->oldw + reg.v[i]->delta;
    if (emit_sessions(s, e, 0, reg.n, 1, s->keep_ends ? &after : NULL, err) < 0)
        return -1;
    /* the changed weights back into "r" */
    buf_init(&val, 0);
    for (PEnt *pe = pk->pushed; rc == 0 && pe != NULL; pe = pe->next_pushed) {
        int64_t now = pe->oldw + pe->delta;

        if (pe->delta == 0)
            continue;
        buf_reset(&val);
        if (now == 0)
            rc = statecache_delete(s->rc, pe->key, pe->klen, err);
        else if (opkey_value(&val, &now, 1, s->in_types, p->input->ncols, pe->row, err) < 0)
            rc = -1;
        else
            rc = statecache_put(s->rc, pe->key, pe->klen, val.data, val.len, err);
    }
    buf_free(&val);
    if (rc == 0 && s->keep_ends)
        rc = update_ends(s, pk, &before, &after, err);
    return rc;
}

static int
session_flush(Operator *op, Err *err)
{
    SessionOp *s = (SessionOp *)op;
    int rc = 0;

    if (!s->persist || !s->started)
        return 0;
    s->started = false;
    for (uint32_t i = 0; rc == 0 && i < s->pkeys.n; i++)
        rc = flush_key(s, s->pkeys.entries[i]->payload, err);
    /* scratch: invariant 2 of stream/opstate.h */
    memset(&s->prows, 0, sizeof s->prows);
    memset(&s->pkeys, 0, sizeof s->pkeys);
    return rc;
}

/* ---- persistent mode: cleanup by watermark ------------------------------------------------ */

#define CLEAN_ROUND 1024

/*
 * A closed session ("e" key k, value v: its start): its rows (its key's from its start to its
 * last time), then its end.
 */
static int
drop_session(SessionOp *s, StateBytes k, StateBytes v, Buf *pre, Buf *from, Buf *upto, Err *err)
{
    const uint8_t *p = k.data;
    StateRange range;
    int64_t start;
    Value end;

    if (k.len < 1 + s->tlen || v.len != sizeof start)
        return ERR_RAISE(err, ERRCODE_DATA_CORRUPTED, "malformed session end in operator state");
    memcpy(&start, v.data, sizeof start);
    if (keycodec_decode(&s->tspec, p + 1, s->tlen, s->op.run->scratch, &end, err) < 0)
        return -1;
    buf_reset(pre);
    buf_put_u8(pre, OPKEY_TAG);
    buf_append(pre, p + 1 + s->tlen, k.len - 1 - s->tlen);
    if (time_key(s, pre->data, pre->len, start, from, err) < 0)
        return -1;
    if (time_key(s, pre->data, pre->len, datum_get_int64(end.d) - s->op.node->plan->u.session.gap,
                 upto, err) < 0)
        return -1;
    range.lower = (StateBound){STATE_INCLUSIVE, {from->data, from->len}};
    range.upper = (StateBound){STATE_PREFIX, {upto->data, upto->len}};
    if (statecache_delete_range(s->rc, &range, NULL, err) < 0)
        return -1;
    return statecache_delete(s->ec, k.data, k.len, err);
}

/*
 * Watermark w on the time column: every session ending at or before w goes (see the header).
 * "e" is read from past the last watermark applied (s->cleaned): the entries below it are gone,
 * and walking their deleted keys (which a cache may keep as absent) at every call would cost
 * more and more.
 */
static int
session_watermark(Operator *op, int port, int col, Datum w, Err *err)
{
    SessionOp *s = (SessionOp *)op;
    Arena *a = op->run->scratch;
    Value wv = {w, false};
    StateBytes *closed;
    StateRange range = {{STATE_UNBOUNDED, {NULL, 0}}, {STATE_PREFIX, {NULL, 0}}};
    Buf upto, after, pre, from, rows;
    int n = 0, rc = 0;

    if (!s->keep_ends || port != 0 || col != op->node->plan->u.session.column)
        return 0;
    if (open_caches(s, err) < 0)
        return -1;
    buf_init(&upto, 0);
    buf_init(&after, 0);
    buf_init(&pre, 0);
    buf_init(&from, 0);
    buf_init(&rows, 0);
    buf_put_u8(&upto, OPKEY_TAG);
    buf_put_u8(&after, OPKEY_TAG);
    if (keycodec_encode_prefix(&s->tspec, 1, &wv, &upto, err) < 0 ||
        (s->has_cleaned &&
         keycodec_encode_prefix(&s->tspec, 1, &(Value){s->cleaned, false}, &after, err) < 0))
        rc = -1;
    if (s->has_cleaned && keycodec_prefix_successor(&after))
        range.lower = (StateBound){STATE_INCLUSIVE, {after.data, after.len}};
    range.upper.key = (StateBytes){upto.data, upto.len};
    closed = arena_alloc(a, sizeof(StateBytes) * 2 * CLEAN_ROUND);
    while (rc == 0) {
        StateCacheIter *it;
        StateBytes k, v;

        if (statecache_iter_open(s->ec, &range, false, &it, err) < 0) {
            rc = -1;
            break;
        }
        n = 0;
        while (n < CLEAN_ROUND && (rc = statecache_iter_next(it, &k, &v, err)) == 1) {
            closed[2 * n] = (StateBytes){arena_memdup(a, k.data, k.len), k.len};
            closed[2 * n + 1] = (StateBytes){arena_memdup(a, v.data, v.len ? v.len : 1), v.len};
            n++;
        }
        statecache_iter_close(it);
        if (rc < 0)
            break;
        rc = 0;
        for (int i = 0; rc == 0 && i < n; i++)
            rc = drop_session(s, closed[2 * i], closed[2 * i + 1], &pre, &from, &rows, err);
        if (n < CLEAN_ROUND)
            break;
        /* the next round: past the last end taken (deleted now) */
        range.lower = (StateBound){STATE_EXCLUSIVE, closed[2 * (n - 1)]};
    }
    if (rc == 0) {
        s->cleaned = w;
        s->has_cleaned = true;
    }
    buf_free(&upto);
    buf_free(&after);
    buf_free(&pre);
    buf_free(&from);
    buf_free(&rows);
    return rc;
}

static const OpVtbl session_vt = {"session", session_push, session_flush, true, session_watermark};
/* With state but a type without a key encoding: the job keeps the state in memory. */
static const OpVtbl session_mem_vt = {"session", session_push, session_flush, false, NULL};

/* Persistent mode's key specs, when run->state is set and every type has a key encoding. */
static void
init_state(SessionOp *s, StreamRun *run, const DfNode *node)
{
    const PlanNode *p = node->plan;
    int nkeys = p->u.session.nkeys, nin = p->input->ncols, col = p->u.session.column;
    KeyColumn *cols = arena_calloc(run->arena, (size_t)(nkeys + 2 + nin), sizeof(KeyColumn));
    Value zero = {datum_from_int64(0), false};
    Buf b;
    Err ignored;

    for (int c = 0; c < nkeys; c++)
        cols[c] = (KeyColumn){p->input->types[p->u.session.keys[c]], false, false};
    cols[nkeys] = (KeyColumn){p->input->types[col], false, false};
    for (int c = 0; c < nin; c++)
        cols[nkeys + 1 + c] = (KeyColumn){p->input->types[c], false, false};
    s->spec = (KeySpec){cols, nkeys + 1 + nin, false};
    s->tspec = (KeySpec){&cols[nkeys], 1, false};
    s->keyvals = arena_calloc(run->arena, (size_t)(nkeys + 2 + nin), sizeof(Value));
    s->in_types = p->input->types;
    s->persist = true;
    for (int k = 0; k < s->spec.ncols; k++)
        s->persist = s->persist && keycodec_type_supported(cols[k].type);
    if (!s->persist) {
        s->op.vt = &session_mem_vt;
        return;
    }
    s->keep_ends = stream_wm_input_col(run, node, 0, col) >= 0;
    buf_init(&b, 0);
    err_clear(&ignored);
    (void)keycodec_encode_prefix(&s->tspec, 1, &zero, &b, &ignored);
    s->tlen = b.len; /* the time is a fixed-width integer: every encoding is this long */
    buf_free(&b);
}

Operator *
op_session_new(StreamRun *run, const DfNode *node)
{
    const PlanNode *p = node->plan;
    SessionOp *s = op_alloc(run, sizeof(SessionOp), &session_vt, node, p->ncols);

    rowtable_init(&s->keys, run->arena, p->u.session.nkeys, p->u.session.key_orders);
    s->row = arena_alloc(run->arena, sizeof(Value) * (size_t)(p->ncols + 1));
    s->keybuf = arena_alloc(run->arena, sizeof(Value) * (size_t)(p->u.session.nkeys + 1));
    if (run->state != NULL)
        init_state(s, run, node);
    return &s->op;
}
