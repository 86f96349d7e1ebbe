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
 * Invariants:
 *   1. A key's entries are sorted by time; an entry is one distinct row and
 *      its net weight, removed when the weight reaches 0. Entries whose
 *      weight is not positive (a retraction seen before its insertion) take
 *      no part in sessions and produce no output.
 *   2. Each key's region is retracted once per batch (before any of its
 *      changes is applied) and emitted once (after all of them); a region is
 *      a union of whole sessions both before and after the batch.
 *   3. State (keys, rows, by-reference values) lives in the run's arena and
 *      is rebuilt from the inputs at start-up (OpVtbl.persistent false).
 *   4. Cost: a batch touching a key costs O(log rows of the key + rows of
 *      the affected sessions) plus the insertions' moves; other keys and
 *      sessions are not looked at.
 */
#include "common/errcodes.h"
#include "sql/window_time.h"
#include "stream/stream_int.h"

typedef struct SessEntry {
    int64_t ts;
    Value *row; /* the input row (deep copy) */
    int64_t w;
} SessEntry;

typedef struct SessKey {
    SessEntry *e;
    int n, cap;
    uint64_t touched; /* the batch number that last touched it (invariant 2) */
    int64_t lo, hi;   /* this batch: the changed times */
    int64_t span_lo, span_hi; /* this batch: the region's time span */
} SessKey;

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

/* Emits sign × every live row of k's entries [from, to) (whole sessions) with its window. */
static int
emit_range(SessionOp *s, const SessKey *k, int from, int to, int64_t sign, Err *err)
{
    const PlanNode *p = s->op.node->plan;
    int nin = p->input->ncols;
    int64_t gap = p->u.session.gap;

    for (int a = from; a < to;) {
        int b, last;
        int64_t start, end;

        if (k->e[a].w <= 0) { /* invariant 1 */
            a++;
            continue;
        }
        /* the session starting at a: extend while the next live time is < gap after */
        last = a;
        for (b = a + 1; b < to; b++) {
            if (k->e[b].w <= 0)
                continue;
            if (k->e[b].ts - k->e[last].ts >= gap)
                break;
            last = b;
        }
        start = k->e[a].ts;
        if (window_add(k->e[last].ts, gap, &end, err) < 0)
            return -1;
        for (int i = a; i <= last; i++) {
            if (k->e[i].w <= 0)
                continue;
            memcpy(s->row, k->e[i].row, sizeof(Value) * (size_t)nin);
            s->row[nin] = (Value){datum_from_int64(start), false};
            s->row[nin + 1] = (Value){datum_from_int64(end), false};
            if (op_output(&s->op, s->row, sign * k->e[i].w, err) < 0)
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

static int
session_push(Operator *op, int port, const Batch *in, Err *err)
{
    SessionOp *s = (SessionOp *)op;
    const PlanNode *p = op->node->plan;
    EvalCtx *ctx = &op->run->ctx;
    int nin = in->ncols, col = p->u.session.column, nkeys = p->u.session.nkeys;
    int64_t gap = p->u.session.gap;

    (void)port;
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
        if (r[col].isnull) { /* no session: NULL windows */
            memcpy(s->row, r, sizeof(Value) * (size_t)nin);
            s->row[nin] = s->row[nin + 1] = (Value){0, true};
            if (op_output(op, s->row, in->weights[i], err) < 0)
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
        if (emit_range(s, k, from, to, -1, err) < 0)
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

        if (emit_range(s, k, bound(k, k->span_lo, false), bound(k, k->span_hi, true), 1, err) < 0)
            return -1;
    }
    return 0;
}

static int
session_flush(Operator *op, Err *err)
{
    (void)op, (void)err;
    return 0;
}

static const OpVtbl session_vt = {"session", session_push, session_flush, false};

Operator *
op_session_new(StreamRun *run, const DfNode *node)
{
    const PlanNode *p = node->plan;
    SessionOp *s = op_alloc(run, sizeof(SessionOp), &session_vt, node, p->ncols);

    rowtable_init(&s->keys, run->arena, p->u.session.nkeys, p->u.session.key_orders);
    s->row = arena_alloc(run->arena, sizeof(Value) * (size_t)(p->ncols + 1));
    s->keybuf = arena_alloc(run->arena, sizeof(Value) * (size_t)(p->u.session.nkeys + 1));
    return &s->op;
}
