/*
 * stream/op_window.c — window functions (sql/window.h): every input row
 * passes through with one more column per call, computed over the rows of
 * its partition. DISTINCT ON and group top-N (row_number() ... <= N) run
 * on this operator with a Filter above it.
 *
 * Delta rule: a window value depends on the whole partition, so the
 * operator keeps every partition's rows (a multiset: row → weight) and, at
 * a barrier, recomputes each partition that changed and emits only the
 * difference from what it emitted for that partition before:
 *
 *   change (row, w) ──▶ rows table: row → WinRow {weight, ext values, part}
 *                                   part ← dirty
 *   barrier: for each dirty partition
 *     sort its rows (ORDER BY values, then the whole row) ─▶ compute calls
 *     ─▶ per row and copy k: same values as emitted last time? nothing
 *                            else -old (if copy k was emitted), +new
 *
 * Invariants:
 *   1. Each copy k of an input row is one output row; the values emitted
 *      for it are remembered (WinRow.prev), so a barrier emits -old/+new
 *      only for copies whose values changed and nothing for the others.
 *   2. Rows equal under ORDER BY are ordered by the whole input row, so the
 *      output is a function of the partition's multiset: an incremental run
 *      over any sequence of deltas ends where a one-shot run over the final
 *      multiset starts (row_number included).
 *   3. Expressions (PARTITION BY, ORDER BY, arguments, FILTER) are
 *      evaluated once per distinct input row, when it first arrives.
 *   4. Aggregates over a frame add rows as the frame grows, retract them
 *      (when the aggregate can) as it slides, and restart otherwise; with
 *      EXCLUDE (a frame with a hole) they restart for every row.
 *
 * Limits (for the views issue): a changed partition is sorted and computed
 * whole (O(P log P) per barrier for a partition of P rows); rows that left
 * keep their table entry, and by-reference results (numeric sums, text
 * values of aggregates) are allocated in the run's arena at every
 * recomputation, so the state of a long-running view only grows. In a
 * persistent run (stream/opstate.h) the rows live in a state table and
 * nothing grows in memory, but a changed partition is read whole into the
 * barrier's scratch and computed twice (before and after): see
 * "Persistent state" below. There, when a PARTITION BY column carries an
 * event-time watermark (top-N per TUMBLE window: PARTITION BY window_start),
 * the partitions the watermark has passed are deleted, so the state of an
 * append-only stream stays bounded: see "Cleanup by watermark" below. (In
 * memory nothing is dropped.)
 */
#include <string.h>

#include <stdlib.h>

#include "common/errcodes.h"
#include "sql/keycodec.h"
#include "stream/opkey.h"
#include "stream/opstate.h"
#include "stream/stream_int.h"

typedef struct WinPart WinPart;

typedef struct WinRow {
    int64_t weight;
    int64_t nprev; /* copies emitted at the last barrier */
    Value *prev;   /* nprev × ncalls values emitted for them */
    Value *row;    /* the input row (the rows table's key) */
    Value *ext;    /* ORDER BY values, then each call's argument values */
    WinPart *part;
    bool listed;
} WinRow;

struct WinPart {
    int64_t n, cap;
    WinRow **rows;
    bool dirty;
    WinPart *next_dirty;
};

typedef struct WindowOp {
    Operator op;
    const WindowPlan *w;
    int nin;               /* input columns */
    RowTable rows;         /* input row → WinRow */
    RowTable parts;        /* PARTITION BY values → WinPart */
    TypeOrder *col_orders; /* per input column */
    TypeOrder *call_orders;
    bool *call_has_eq;
    int *argoff; /* per call: its first value in ext */
    int next;    /* values in ext */
    WinPart *dirty;
    Value *keybuf, *outrow;
    AggCtx *actx;
    char **states;
    /* scratch of a barrier, grown as needed */
    int64_t scap;
    WinRow **sorted, **tmp;
    int64_t pcap;
    WinRow **pos;      /* per position (weights expanded): its row */
    int64_t *peer_lo;  /* first position of its peer group */
    int64_t *peer_hi;  /* one past the last */
    int64_t *dense;    /* peer group number, from 1 */
    int64_t *group_lo; /* per peer group number: its first position */
    int64_t *range_lo; /* RANGE with offsets: each position's frame */
    int64_t *range_hi;
    Value *vals; /* per position: ncalls values */
    /* persistent mode (run->state): see "Persistent state" below */
    bool persist; /* run->state and every key type has a key encoding */
    StateCache *sc;
    KeySpec spec;   /* PARTITION BY values, ORDER BY values, orderable input columns */
    int *keycols;   /* per key column past the ORDER BY ones: its input column */
    Value *keyvals; /* spec.ncols */
    Oid *in_types;
    bool started;
    int *partcols;  /* per key position < npart: its PARTITION BY expression (see "Cleanup") */
    int wm_col;     /* the input column of partcols[0] when it carries a watermark, else -1 */
    uint8_t *wm_lo; /* the last cleanup's bound: every key below it is gone (run arena) */
    size_t wm_lo_len, wm_lo_cap;
    ByteMap prows;  /* this barrier's rows (scratch), by key: PRow */
    ByteMap pparts; /* this barrier's partitions (scratch), by key prefix: PPart */
} WindowOp;

/* The arena of a barrier's work: the run's in memory, else the barrier's scratch. */
static Arena *
work_arena(const WindowOp *o)
{
    return o->persist ? o->op.run->scratch : o->op.run->arena;
}

static int window_push_state(WindowOp *o, const Batch *in, Err *err);

/* ---- rows in, partitions marked ------------------------------------------------------ */

static int
eval_ext(WindowOp *o, const Value *row, Value *ext, Err *err)
{
    EvalCtx *ctx = &o->op.run->ctx;
    const WindowPlan *w = o->w;

    ctx->row = row;
    ctx->ncols = o->nin;
    for (int i = 0; i < w->norder; i++) {
        if (expr_eval(w->order[i], ctx, &ext[i].d, &ext[i].isnull, err) < 0)
            return -1;
    }
    for (int c = 0; c < w->ncalls; c++) {
        const WindowCall *call = &w->calls[c];
        Value *v = &ext[o->argoff[c]];
        int n = call->kind == WIN_AGG ? call->agg.nargs : call->nargs;
        Expr *const *args = call->kind == WIN_AGG ? call->agg.args : call->args;

        for (int a = 0; a < n; a++) {
            if (expr_eval(args[a], ctx, &v[a].d, &v[a].isnull, err) < 0)
                return -1;
        }
        if (call->kind == WIN_AGG) {
            v[n].isnull = false;
            v[n].d = datum_from_bool(true);
            if (call->agg.filter != NULL &&
                expr_eval(call->agg.filter, ctx, &v[n].d, &v[n].isnull, err) < 0)
                return -1;
        }
    }
    ctx->row = NULL;
    return 0;
}

static void
part_append(WindowOp *o, WinPart *p, WinRow *r)
{
    if (p->n == p->cap) {
        int64_t cap = p->cap ? p->cap * 2 : 8;
        WinRow **rows = arena_alloc(o->op.run->arena, sizeof(WinRow *) * (size_t)cap);

        if (p->n > 0)
            memcpy(rows, p->rows, sizeof(WinRow *) * (size_t)p->n);
        p->rows = rows;
        p->cap = cap;
    }
    p->rows[p->n++] = r;
    r->listed = true;
}

static int
window_push(Operator *op, int port, const Batch *in, Err *err)
{
    WindowOp *o = (WindowOp *)op;
    EvalCtx *ctx = &op->run->ctx;
    Arena *a = op->run->arena;

    (void)port;
    if (o->persist)
        return window_push_state(o, in, err);
    for (int i = 0; i < in->n; i++) {
        const Value *row = batch_row(in, i);
        RowEntry *e;
        bool created;
        WinRow *r;

        if (rowtable_lookup(&o->rows, ctx, row, true, &e, &created, err) < 0)
            return -1;
        if (created) {
            RowEntry *pe;

            r = arena_calloc(a, 1, sizeof *r);
            r->row = e->key;
            r->ext = arena_calloc(a, (size_t)(o->next ? o->next : 1), sizeof(Value));
            if (eval_ext(o, r->row, r->ext, err) < 0)
                return -1;
            ctx->row = r->row;
            ctx->ncols = o->nin;
            for (int k = 0; k < o->w->npart; k++) {
                if (expr_eval(o->w->part[k], ctx, &o->keybuf[k].d, &o->keybuf[k].isnull, err) < 0)
                    return -1;
            }
            ctx->row = NULL;
            if (rowtable_lookup(&o->parts, ctx, o->keybuf, true, &pe, &created, err) < 0)
                return -1;
            if (created)
                pe->payload = arena_calloc(a, 1, sizeof(WinPart));
            r->part = pe->payload;
            e->payload = r;
        }
        r = e->payload;
        r->weight += in->weights[i];
        if (!r->listed)
            part_append(o, r->part, r);
        if (!r->part->dirty) {
            r->part->dirty = true;
            r->part->next_dirty = o->dirty;
            o->dirty = r->part;
        }
    }
    return 0;
}

/* ---- ordering ---------------------------------------------------------------------------- */

/* ORDER BY values only: peers compare 0. */
static int
cmp_order(WindowOp *o, const WinRow *a, const WinRow *b, int *out, Err *err)
{
    *out = 0;
    if (o->w->norder == 0)
        return 0;
    return plan_compare_rows(o->w->order_keys, o->w->norder, &o->op.run->ctx, a->ext, b->ext, out,
                             err);
}

/* ORDER BY, then the whole input row (NULLs last): invariant 2. */
static int
cmp_total(WindowOp *o, const WinRow *a, const WinRow *b, int *out, Err *err)
{
    if (cmp_order(o, a, b, out, err) < 0)
        return -1;
    if (*out != 0)
        return 0;
    for (int c = 0; c < o->nin; c++) {
        const Value *x = &a->row[c], *y = &b->row[c];

        if (x->isnull || y->isnull) {
            *out = x->isnull == y->isnull ? 0 : x->isnull ? 1 : -1;
        } else if (o->col_orders[c].lt == NULL) {
            *out = 0;
        } else if (plan_compare(&o->col_orders[c], &o->op.run->ctx, x->d, y->d, out, err) < 0) {
            return -1;
        }
        if (*out != 0)
            return 0;
    }
    return 0;
}

static int
sort_rows(WindowOp *o, WinRow **v, WinRow **tmp, int64_t n, Err *err)
{
    int64_t mid = n / 2, i = 0, j, k = 0;

    if (n < 2)
        return 0;
    if (sort_rows(o, v, tmp, mid, err) < 0 || sort_rows(o, v + mid, tmp, n - mid, err) < 0)
        return -1;
    j = mid;
    while (i < mid && j < n) {
        int c;

        if (cmp_total(o, v[j], v[i], &c, err) < 0)
            return -1;
        tmp[k++] = c < 0 ? v[j++] : v[i++];
    }
    while (i < mid)
        tmp[k++] = v[i++];
    while (j < n)
        tmp[k++] = v[j++];
    memcpy(v, tmp, sizeof(WinRow *) * (size_t)n);
    return 0;
}

/* ---- computing the calls of one partition ------------------------------------------------ */

static int
eval_offset(EvalCtx *ctx, const Expr *e, const Expr *neg, bool range, bool start, int64_t *out,
            Err *err)
{
    Datum d;
    bool isnull;

    ctx->row = NULL;
    if (expr_eval(e, ctx, &d, &isnull, err) < 0)
        return -1;
    if (isnull)
        return ERR_RAISE(err, ERRCODE_NULL_VALUE_NOT_ALLOWED, "frame %s offset must not be null",
                         start ? "starting" : "ending");
    if (range) { /* RANGE: any type; its comparisons run per row */
        *out = 0;
        if (neg != NULL && expr_eval(neg, ctx, &d, &isnull, err) < 0)
            return -1;
        if (neg != NULL && !isnull && datum_get_bool(d))
            return ERR_RAISE(err, ERRCODE_INVALID_PRECEDING_OR_FOLLOWING_SIZE,
                             "invalid preceding or following size in window function");
        return 0;
    }
    if (datum_get_int64(d) < 0)
        return ERR_RAISE(err, ERRCODE_INVALID_PRECEDING_OR_FOLLOWING_SIZE,
                         "frame %s offset must not be negative", start ? "starting" : "ending");
    *out = datum_get_int64(d);
    return 0;
}

/* GROUPS: the first position of peer group g (1-based; past the last group: n). */
static int64_t
group_start(const WindowOp *o, int64_t g, int64_t ngroups, int64_t n)
{
    return g < 1 ? 0 : g > ngroups ? n : o->group_lo[g];
}

/* The frame of position i as [*lo, *hi] (empty when *lo > *hi), exclusions aside. */
static void
frame_of(WindowOp *o, int64_t i, int64_t n, int64_t soff, int64_t eoff, int64_t *lo, int64_t *hi)
{
    int f = o->w->frame;
    int64_t s, e, g = o->dense[i], ng = n > 0 ? o->dense[n - 1] : 0;

    if (f & WIN_FRAME_START_UNBOUNDED_PRECEDING)
        s = 0;
    else if ((f & WIN_FRAME_RANGE) && o->w->start_ok != NULL)
        s = o->range_lo[i];
    else if (f & WIN_FRAME_START_CURRENT_ROW)
        s = (f & WIN_FRAME_ROWS) ? i : o->peer_lo[i];
    else if (f & WIN_FRAME_GROUPS)
        s = (f & WIN_FRAME_START_OFFSET_PRECEDING)
                ? (soff >= g ? 0 : group_start(o, g - soff, ng, n))
                : (soff > ng - g ? n : group_start(o, g + soff, ng, n));
    else if (f & WIN_FRAME_START_OFFSET_PRECEDING)
        s = soff > i ? 0 : i - soff;
    else /* n FOLLOWING */
        s = soff >= n - i ? n : i + soff;
    if (!(f & WIN_FRAME_BETWEEN) || (f & WIN_FRAME_END_CURRENT_ROW))
        e = (f & WIN_FRAME_ROWS) ? i : o->peer_hi[i] - 1;
    else if (f & WIN_FRAME_END_UNBOUNDED_FOLLOWING)
        e = n - 1;
    else if ((f & WIN_FRAME_RANGE) && o->w->end_ok != NULL)
        e = o->range_hi[i];
    else if (f & WIN_FRAME_GROUPS)
        e = (f & WIN_FRAME_END_OFFSET_PRECEDING)
                ? (eoff >= g ? -1 : group_start(o, g - eoff + 1, ng, n) - 1)
                : (eoff >= ng - g ? n - 1 : group_start(o, g + eoff + 1, ng, n) - 1);
    else if (f & WIN_FRAME_END_OFFSET_PRECEDING)
        e = eoff > i ? -1 : i - eoff;
    else /* n FOLLOWING */
        e = eoff >= n - i ? n - 1 : i + eoff;
    if (s < 0)
        s = 0;
    if (e > n - 1)
        e = n - 1;
    *lo = s;
    *hi = e;
}

/* EXCLUDE CURRENT ROW / GROUP / TIES: whether position j is left out of i's frame. */
static bool
excluded(const WindowOp *o, int64_t i, int64_t j)
{
    int f = o->w->frame;

    if (f & WIN_FRAME_EXCLUDE_CURRENT_ROW)
        return j == i;
    if (f & (WIN_FRAME_EXCLUDE_GROUP | WIN_FRAME_EXCLUDE_TIES))
        return j >= o->peer_lo[i] && j < o->peer_hi[i] && (j != i || (f & WIN_FRAME_EXCLUDE_GROUP));
    return false;
}

/* RANGE offsets: whether row j may bound row i's frame (ok over (v_j, v_i); NULL: false). */
static int
range_ok(WindowOp *o, const Expr *ok, int64_t j, int64_t i, bool *out, Err *err)
{
    EvalCtx *ctx = &o->op.run->ctx;
    Value pair[2] = {o->pos[j]->ext[0], o->pos[i]->ext[0]};
    Datum d;
    bool isnull;

    ctx->row = pair;
    ctx->ncols = 2;
    if (expr_eval(ok, ctx, &d, &isnull, err) < 0)
        return -1;
    ctx->row = NULL;
    *out = !isnull && datum_get_bool(d);
    return 0;
}

/*
 * RANGE BETWEEN x PRECEDING/FOLLOWING frames of every position, as PostgreSQL: a NULL current
 * row's frame edge is its peer group's; NULL rows are outside other rows' offset bounds. The
 * start and end only move forward as the current row does (two pointers).
 */
static int
range_frames(WindowOp *o, int64_t n, Err *err)
{
    const WindowPlan *w = o->w;
    bool nulls_first = w->order_keys[0].nulls_first;
    int64_t sp = 0, ep = -1;

    for (int64_t i = 0; i < n; i++) {
        bool ok = false;

        if (o->pos[i]->ext[0].isnull) {
            o->range_lo[i] = o->peer_lo[i];
            o->range_hi[i] = o->peer_hi[i] - 1;
            continue;
        }
        while (w->start_ok != NULL && sp < n) {
            if (o->pos[sp]->ext[0].isnull)
                ok = !nulls_first;
            else if (range_ok(o, w->start_ok, sp, i, &ok, err) < 0)
                return -1;
            if (ok)
                break;
            sp++;
        }
        while (w->end_ok != NULL && ep + 1 < n) {
            if (o->pos[ep + 1]->ext[0].isnull)
                ok = nulls_first;
            else if (range_ok(o, w->end_ok, ep + 1, i, &ok, err) < 0)
                return -1;
            if (!ok)
                break;
            ep++;
        }
        o->range_lo[i] = sp;
        o->range_hi[i] = ep;
    }
    return 0;
}

/* add (sign 1) or retract (-1) position j's arguments to call c's state. */
static int
agg_step(WindowOp *o, int c, void *state, int64_t j, int sign, Err *err)
{
    const WindowCall *call = &o->w->calls[c];
    const Value *args = &o->pos[j]->ext[o->argoff[c]];
    const Value *filter = &args[call->agg.nargs];

    if (filter->isnull || !datum_get_bool(filter->d))
        return 0;
    for (int a = 0; a < call->agg.impl->nstrict && a < call->agg.nargs; a++) {
        if (args[a].isnull)
            return 0;
    }
    return sign > 0 ? call->agg.impl->add(state, args, &o->actx[c], err)
                    : call->agg.impl->retract(state, args, &o->actx[c], err);
}

static int
compute_agg(WindowOp *o, int c, int64_t n, int64_t soff, int64_t eoff, Err *err)
{
    const WindowCall *call = &o->w->calls[c];
    const AggImpl *impl = call->agg.impl;
    void *state = o->states[c];
    int64_t cs = 0, ce = -1; /* the rows in state: [cs, ce] */
    int nc = o->w->ncalls;

    impl->init(state);
    for (int64_t i = 0; i < n; i++) {
        int64_t s, e;
        Value *v = &o->vals[(size_t)i * (size_t)nc + (size_t)c];

        frame_of(o, i, n, soff, eoff, &s, &e);
        if (e < s) { /* empty frame: a fresh state */
            s = i + 1, e = i;
        }
        if (o->w->frame & WIN_FRAME_EXCLUSION) { /* not a contiguous range: from scratch */
            impl->init(state);
            for (int64_t j = s; j <= e; j++)
                if (!excluded(o, i, j) && agg_step(o, c, state, j, 1, err) < 0)
                    return -1;
            cs = i + 1, ce = i; /* nothing reusable */
        } else if (s == cs && e >= ce) {
            for (int64_t j = ce + 1; j <= e; j++)
                if (agg_step(o, c, state, j, 1, err) < 0)
                    return -1;
        } else if (impl->retract != NULL && s > cs && s <= ce + 1 && e >= ce) {
            for (int64_t j = cs; j < s; j++)
                if (agg_step(o, c, state, j, -1, err) < 0)
                    return -1;
            for (int64_t j = ce + 1; j <= e; j++)
                if (agg_step(o, c, state, j, 1, err) < 0)
                    return -1;
        } else {
            impl->init(state);
            for (int64_t j = s; j <= e; j++)
                if (agg_step(o, c, state, j, 1, err) < 0)
                    return -1;
        }
        if (!(o->w->frame & WIN_FRAME_EXCLUSION))
            cs = s, ce = e;
        if (impl->result(state, &o->actx[c], &v->d, &v->isnull, err) < 0)
            return -1;
    }
    return 0;
}

static int
compute_call(WindowOp *o, int c, int64_t n, int64_t soff, int64_t eoff, Err *err)
{
    const WindowCall *call = &o->w->calls[c];
    int nc = o->w->ncalls;
    int64_t ntile = 0, per = 0, boundary = 0, rem = 0;

    if (call->kind == WIN_AGG)
        return compute_agg(o, c, n, soff, eoff, err);
    for (int64_t i = 0; i < n; i++) {
        Value *v = &o->vals[(size_t)i * (size_t)nc + (size_t)c];
        const Value *args = &o->pos[i]->ext[o->argoff[c]];
        int64_t s, e, t;

        v->isnull = false;
        switch (call->kind) {
        case WIN_ROW_NUMBER:
            v->d = datum_from_int64(i + 1);
            break;
        case WIN_RANK:
            v->d = datum_from_int64(o->peer_lo[i] + 1);
            break;
        case WIN_DENSE_RANK:
            v->d = datum_from_int64(o->dense[i]);
            break;
        case WIN_PERCENT_RANK:
            v->d = datum_from_float8(n > 1 ? (double)o->peer_lo[i] / (double)(n - 1) : 0.0);
            break;
        case WIN_CUME_DIST:
            v->d = datum_from_float8((double)o->peer_hi[i] / (double)n);
            break;
        case WIN_NTILE:
            if (ntile == 0) { /* PostgreSQL reads the argument at the first non-NULL row */
                int32_t buckets;

                if (args[0].isnull) {
                    v->isnull = true;
                    break;
                }
                buckets = datum_get_int32(args[0].d);
                if (buckets <= 0)
                    return ERR_RAISE(err, ERRCODE_INVALID_ARGUMENT_FOR_NTILE,
                                     "argument of ntile must be greater than zero");
                ntile = 1;
                per = 0;
                boundary = n / buckets;
                if (boundary <= 0) {
                    boundary = 1;
                } else {
                    rem = n % buckets;
                    if (rem != 0)
                        boundary++;
                }
            }
            if (++per > boundary) {
                if (rem != 0 && ntile == rem) {
                    rem = 0;
                    boundary--;
                }
                ntile++;
                per = 1;
            }
            v->d = datum_from_int32((int32_t)ntile);
            break;
        case WIN_LAG:
        case WIN_LEAD: {
            int64_t off = call->nargs > 1 ? datum_get_int32(args[1].d) : 1;

            if (call->nargs > 1 && args[1].isnull) {
                v->isnull = true;
                break;
            }
            t = call->kind == WIN_LAG ? i - off : i + off;
            if (t >= 0 && t < n)
                *v = o->pos[t]->ext[o->argoff[c]];
            else if (call->nargs > 2)
                *v = args[2];
            else
                v->isnull = true;
            break;
        }
        case WIN_FIRST_VALUE:
        case WIN_LAST_VALUE:
        case WIN_NTH_VALUE:
            frame_of(o, i, n, soff, eoff, &s, &e);
            t = call->kind == WIN_FIRST_VALUE ? s : e;
            if (call->kind == WIN_NTH_VALUE) {
                if (args[1].isnull) {
                    v->isnull = true;
                    break;
                }
                if (datum_get_int32(args[1].d) <= 0)
                    return ERR_RAISE(err, ERRCODE_INVALID_ARGUMENT_FOR_NTH_VALUE,
                                     "argument of nth_value must be greater than zero");
                t = s + datum_get_int32(args[1].d) - 1;
            }
            if (o->w->frame & WIN_FRAME_EXCLUSION) { /* count only the rows not excluded */
                int64_t want = call->kind == WIN_NTH_VALUE ? t - s + 1 : 1, seen = 0;

                t = e + 1;
                for (int64_t j = call->kind == WIN_LAST_VALUE ? e : s; j >= s && j <= e && t > e;
                     j += call->kind == WIN_LAST_VALUE ? -1 : 1) {
                    if (!excluded(o, i, j) && ++seen == want)
                        t = j;
                }
            }
            if (s <= e && t <= e)
                *v = o->pos[t]->ext[o->argoff[c]];
            else
                v->isnull = true;
            break;
        case WIN_AGG:
            break;
        }
    }
    return 0;
}

static void
grow_scratch(WindowOp *o, int64_t nrows, int64_t npos)
{
    Arena *a = work_arena(o);
    size_t nc = (size_t)(o->w->ncalls ? o->w->ncalls : 1);

    if (nrows > o->scap) {
        o->scap = nrows * 2;
        o->sorted = arena_alloc(a, sizeof(WinRow *) * (size_t)o->scap);
        o->tmp = arena_alloc(a, sizeof(WinRow *) * (size_t)o->scap);
    }
    if (npos > o->pcap) {
        o->pcap = npos * 2;
        o->pos = arena_alloc(a, sizeof(WinRow *) * (size_t)o->pcap);
        o->peer_lo = arena_alloc(a, sizeof(int64_t) * (size_t)o->pcap);
        o->peer_hi = arena_alloc(a, sizeof(int64_t) * (size_t)o->pcap);
        o->dense = arena_alloc(a, sizeof(int64_t) * (size_t)o->pcap);
        o->group_lo = arena_alloc(a, sizeof(int64_t) * (size_t)(o->pcap + 2));
        o->range_lo = arena_alloc(a, sizeof(int64_t) * (size_t)o->pcap);
        o->range_hi = arena_alloc(a, sizeof(int64_t) * (size_t)o->pcap);
        o->vals = arena_alloc(a, sizeof(Value) * nc * (size_t)o->pcap);
    }
}

static int
emit(WindowOp *o, const WinRow *r, const Value *vals, int64_t weight, Err *err)
{
    int nc = o->w->ncalls;

    if (o->nin > 0)
        memcpy(o->outrow, r->row, sizeof(Value) * (size_t)o->nin);
    if (nc > 0)
        memcpy(o->outrow + o->nin, vals, sizeof(Value) * (size_t)nc);
    return op_output(&o->op, o->outrow, weight, err);
}

static int
same_values(WindowOp *o, const Value *a, const Value *b, bool *same, Err *err)
{
    *same = true;
    for (int c = 0; c < o->w->ncalls && *same; c++) {
        if (a[c].isnull || b[c].isnull) {
            *same = a[c].isnull == b[c].isnull;
        } else if (!o->call_has_eq[c]) {
            *same = false;
        } else {
            int cmp;

            if (plan_compare(&o->call_orders[c], &o->op.run->ctx, a[c].d, b[c].d, &cmp, err) < 0)
                return -1;
            *same = cmp == 0;
        }
    }
    return 0;
}

/* Invariant 1: -old/+new for the copies whose values changed. */
static int
diff_row(WindowOp *o, WinRow *r, const Value *vals, int64_t copies, Err *err)
{
    int nc = o->w->ncalls;
    size_t w = (size_t)(nc ? nc : 1);
    Value *prev = r->prev;

    for (int64_t k = 0; k < copies || k < r->nprev; k++) {
        const Value *nv = &vals[(size_t)k * (size_t)nc];
        const Value *ov = &prev[(size_t)k * (size_t)nc];
        bool same = false;

        if (k < copies && k < r->nprev && same_values(o, ov, nv, &same, err) < 0)
            return -1;
        if (same)
            continue;
        if (k < r->nprev && emit(o, r, ov, -1, err) < 0)
            return -1;
        if (k < copies && emit(o, r, nv, 1, err) < 0)
            return -1;
    }
    if (copies != r->nprev)
        r->prev =
            copies > 0 ? arena_alloc(work_arena(o), sizeof(Value) * w * (size_t)copies) : NULL;
    if (copies > 0 && nc > 0)
        memcpy(r->prev, vals, sizeof(Value) * (size_t)nc * (size_t)copies);
    r->nprev = copies;
    return 0;
}

/*
 * Sorts the rows of rows[0 .. nr) with a positive weight into o->sorted[0 .. *nrows) and
 * computes every call for each position into o->vals.
 */
static int
compute_part(WindowOp *o, WinRow **rows, int64_t nr, int64_t soff, int64_t eoff, int64_t *nrows_out,
             Err *err)
{
    int64_t nrows = 0, n = 0;
    int nc = o->w->ncalls;

    for (int64_t i = 0; i < nr; i++) {
        if (rows[i]->weight > 0) {
            nrows++;
            n += rows[i]->weight;
        }
    }
    grow_scratch(o, nrows, n);
    nrows = 0;
    for (int64_t i = 0; i < nr; i++) {
        if (rows[i]->weight > 0)
            o->sorted[nrows++] = rows[i];
    }
    *nrows_out = nrows;
    if (sort_rows(o, o->sorted, o->tmp, nrows, err) < 0)
        return -1;
    /* positions, peer groups */
    for (int64_t i = 0, at = 0, group = 0, lo = 0; i < nrows; i++) {
        int c = 1;

        if (i > 0 && cmp_order(o, o->sorted[i - 1], o->sorted[i], &c, err) < 0)
            return -1;
        if (c != 0) {
            for (int64_t j = lo; j < at; j++)
                o->peer_hi[j] = at;
            lo = at;
            group++;
            o->group_lo[group] = at;
        }
        for (int64_t k = 0; k < o->sorted[i]->weight; k++, at++) {
            o->pos[at] = o->sorted[i];
            o->peer_lo[at] = lo;
            o->dense[at] = group;
        }
        if (i == nrows - 1)
            for (int64_t j = lo; j < at; j++)
                o->peer_hi[j] = at;
    }
    if ((o->w->start_ok != NULL || o->w->end_ok != NULL) && range_frames(o, n, err) < 0)
        return -1;
    for (int c = 0; c < nc; c++) {
        if (compute_call(o, c, n, soff, eoff, err) < 0)
            return -1;
    }
    return 0;
}

static int
flush_part(WindowOp *o, WinPart *p, int64_t soff, int64_t eoff, Err *err)
{
    int64_t nrows = 0, kept = 0;
    int nc = o->w->ncalls;

    if (compute_part(o, p->rows, p->n, soff, eoff, &nrows, err) < 0)
        return -1;
    /* the differences, row by row in sort order, then the rows that left */
    for (int64_t i = 0, at = 0; i < nrows; i++) {
        WinRow *r = o->sorted[i];

        if (diff_row(o, r, &o->vals[(size_t)at * (size_t)nc], r->weight, err) < 0)
            return -1;
        at += r->weight;
    }
    for (int64_t i = 0; i < p->n; i++) {
        WinRow *r = p->rows[i];

        if (r->weight <= 0 && r->nprev > 0 && diff_row(o, r, NULL, 0, err) < 0)
            return -1;
        if (r->weight != 0)
            p->rows[kept++] = r;
        else
            r->listed = false;
    }
    p->n = kept;
    return 0;
}

/* The frame's offsets, evaluated once per barrier. */
static int
frame_offsets(WindowOp *o, int64_t *soff, int64_t *eoff, Err *err)
{
    bool range = (o->w->frame & WIN_FRAME_RANGE) != 0;
    EvalCtx *ctx = &o->op.run->ctx;

    *soff = *eoff = 0;
    if (o->w->start_offset != NULL &&
        eval_offset(ctx, o->w->start_offset, o->w->start_neg, range, true, soff, err) < 0)
        return -1;
    if (o->w->end_offset != NULL &&
        eval_offset(ctx, o->w->end_offset, o->w->end_neg, range, false, eoff, err) < 0)
        return -1;
    return 0;
}

/* ---- Persistent state (run->state != NULL) --------------------------------------------
 *
 * Table "r": key = OPKEY_TAG, the PARTITION BY values (a watermarked one first: "Cleanup by
 * watermark"), the ORDER BY values, then every
 * orderable input column (ascending, NULLs last: invariant 2's order), canonical; value = the
 * row's summed weight and its representative spelling (stream/opkey.h). A partition is a key
 * prefix: its rows come out of a range scan, in order.
 *
 * A barrier: pushes evaluate each distinct row's keys and add its weight to a per-barrier map
 * (scratch), grouped by partition; the table is not touched. The flush, per touched
 * partition: scans the committed rows, computes the calls over them (what was emitted for the
 * partition so far: recomputed, not stored), applies the barrier's weights, computes again,
 * emits the differences (invariant 1) and writes the changed weights back. Arguments are
 * evaluated again at every recomputation (invariant 3 holds within a barrier only).
 */

typedef struct PRow {
    WinRow r;       /* r.weight: the committed weight, then the weight after the barrier */
    int64_t oldw;   /* committed weight */
    int64_t delta;  /* this barrier's */
    BmEntry *entry; /* in prows: the key (rows pushed this barrier) */
    bool seen;      /* found by the partition's scan */
    struct PRow *next_pushed;
} PRow;

typedef struct PPart {
    PRow *pushed; /* the rows pushed this barrier */
} PPart;

/* The length of the key's PARTITION BY and ORDER BY part (opkey_fit), for o->keyvals. */
static size_t
order_part_len(void *arg)
{
    WindowOp *o = arg;
    Buf b;
    Err ignored;
    size_t len;

    buf_init(&b, 0);
    err_clear(&ignored);
    (void)keycodec_encode_prefix(&o->spec, o->w->npart + o->w->norder, o->keyvals, &b, &ignored);
    len = b.len + 1;
    buf_free(&b);
    return len;
}

static int
window_push_state(WindowOp *o, const Batch *in, Err *err)
{
    StreamRun *run = o->op.run;
    EvalCtx *ctx = &run->ctx;
    const WindowPlan *w = o->w;
    int nk = o->spec.ncols;
    Buf key, pre;
    int rc = 0;

    if (in->n == 0)
        return 0;
    if (o->sc == NULL && stream_state_cache(run, o->op.node, "r", &o->sc, err) < 0)
        return -1;
    if (!o->started) {
        bytemap_init(&o->prows, run->scratch);
        bytemap_init(&o->pparts, run->scratch);
        o->started = true;
    }
    buf_init(&key, 0);
    buf_init(&pre, 0);
    for (int i = 0; rc == 0 && i < in->n; i++) {
        const Value *row = batch_row(in, i);
        BmEntry *e;
        PRow *p;
        bool created;

        ctx->row = row;
        ctx->ncols = o->nin;
        for (int k = 0; rc == 0 && k < w->npart; k++)
            rc = expr_eval(w->part[o->partcols[k]], ctx, &o->keyvals[k].d, &o->keyvals[k].isnull,
                           err);
        for (int k = 0; rc == 0 && k < w->norder; k++)
            rc = expr_eval(w->order[k], ctx, &o->keyvals[w->npart + k].d,
                           &o->keyvals[w->npart + k].isnull, err);
        ctx->row = NULL;
        for (int k = w->npart + w->norder; k < nk; k++)
            o->keyvals[k] = row[o->keycols[k]];
        buf_reset(&key);
        buf_put_u8(&key, OPKEY_TAG);
        if (rc < 0 || keycodec_encode(&o->spec, o->keyvals, &key, NULL, err) < 0 ||
            opkey_fit(&key, order_part_len, o, err) < 0) {
            rc = -1;
            break;
        }
        e = bytemap_get(&o->prows, key.data, key.len, true, &created);
        if (created) {
            BmEntry *pe;

            p = arena_calloc(run->scratch, 1, sizeof *p);
            p->entry = e;
            p->r.row = arena_alloc(run->scratch, sizeof(Value) * (size_t)(o->nin + 1));
            if (o->nin > 0)
                memcpy(p->r.row, row, sizeof(Value) * (size_t)o->nin);
            e->payload = p;
            buf_reset(&pre);
            buf_put_u8(&pre, OPKEY_TAG);
            if (keycodec_encode_prefix(&o->spec, w->npart, o->keyvals, &pre, err) < 0) {
                rc = -1;
                break;
            }
            pe = bytemap_get(&o->pparts, pre.data, pre.len, true, &created);
            if (created)
                pe->payload = arena_calloc(run->scratch, 1, sizeof(PPart));
            p->next_pushed = ((PPart *)pe->payload)->pushed;
            ((PPart *)pe->payload)->pushed = p;
        }
        p = e->payload;
        p->delta += in->weights[i];
    }
    buf_free(&key);
    buf_free(&pre);
    return rc;
}

/* A row read from the table: its spelling, weight and arguments. */
static int
load_row(WindowOp *o, PRow *p, StateBytes v, Err *err)
{
    Arena *a = o->op.run->scratch;

    p->r.row = arena_alloc(a, sizeof(Value) * (size_t)(o->nin + 1));
    if (p->r.ext == NULL)
        p->r.ext = arena_calloc(a, (size_t)(o->next ? o->next : 1), sizeof(Value));
    if (opkey_read(v.data, v.len, &p->oldw, 1, o->in_types, o->nin, a, p->r.row, err) < 0)
        return -1;
    return 0;
}

static WinRow **
rows_append(Arena *a, WinRow **rows, int64_t *n, int64_t *cap, WinRow *r)
{
    if (*n == *cap) {
        WinRow **more = arena_alloc(a, sizeof(WinRow *) * (size_t)*cap * 2);

        memcpy(more, rows, sizeof(WinRow *) * (size_t)*n);
        rows = more;
        *cap *= 2;
    }
    rows[(*n)++] = r;
    return rows;
}

static int
flush_part_state(WindowOp *o, const BmEntry *pe, int64_t soff, int64_t eoff, Err *err)
{
    Arena *a = o->op.run->scratch;
    PPart *part = pe->payload;
    StateRange range = state_range_prefix(pe->key, pe->len);
    StateCacheIter *it;
    StateBytes k, v;
    int64_t n = 0, cap = 64, nrows, at;
    WinRow **rows = arena_alloc(a, sizeof(WinRow *) * (size_t)cap);
    int nc = o->w->ncalls, rc;
    Buf val;

    /* the rows as the last barrier left them, each with this barrier's change if any */
    if (statecache_iter_open(o->sc, &range, false, &it, err) < 0)
        return -1;
    while ((rc = statecache_iter_next(it, &k, &v, err)) > 0) {
        BmEntry *e = bytemap_get(&o->prows, k.data, k.len, false, NULL);
        PRow *p = e != NULL ? e->payload : arena_calloc(a, 1, sizeof(PRow));

        p->seen = true;
        if (load_row(o, p, v, err) < 0) {
            rc = -1;
            break;
        }
        rows = rows_append(a, rows, &n, &cap, &p->r);
    }
    statecache_iter_close(it);
    if (rc < 0)
        return -1;
    for (PRow *p = part->pushed; p != NULL; p = p->next_pushed) {
        if (p->seen)
            continue;
        p->oldw = 0;
        rows = rows_append(a, rows, &n, &cap, &p->r);
    }
    for (int64_t i = 0; i < n; i++) {
        PRow *p = (PRow *)rows[i];

        if (p->r.ext == NULL)
            p->r.ext = arena_calloc(a, (size_t)(o->next ? o->next : 1), sizeof(Value));
        if (eval_ext(o, p->r.row, p->r.ext, err) < 0)
            return -1;
        p->r.weight = p->oldw;
    }
    /* what was emitted: the calls over those rows */
    if (compute_part(o, rows, n, soff, eoff, &nrows, err) < 0)
        return -1;
    at = 0;
    for (int64_t i = 0; i < nrows; i++) {
        WinRow *r = o->sorted[i];

        r->nprev = r->weight;
        r->prev = arena_memdup(a, &o->vals[(size_t)at * (size_t)nc],
                               sizeof(Value) * (size_t)(nc ? nc : 1) * (size_t)r->weight);
        at += r->weight;
    }
    /* now: the differences, row by row in sort order, then the rows that left */
    for (int64_t i = 0; i < n; i++)
        rows[i]->weight = ((PRow *)rows[i])->oldw + ((PRow *)rows[i])->delta;
    if (compute_part(o, rows, n, soff, eoff, &nrows, err) < 0)
        return -1;
    at = 0;
    for (int64_t i = 0; i < nrows; i++) {
        WinRow *r = o->sorted[i];

        if (diff_row(o, r, &o->vals[(size_t)at * (size_t)nc], r->weight, err) < 0)
            return -1;
        at += r->weight;
    }
    for (int64_t i = 0; i < n; i++) {
        if (rows[i]->weight <= 0 && rows[i]->nprev > 0 && diff_row(o, rows[i], NULL, 0, err) < 0)
            return -1;
    }
    /* the changed weights back into the table */
    buf_init(&val, 0);
    rc = 0;
    for (PRow *p = part->pushed; rc == 0 && p != NULL; p = p->next_pushed) {
        int64_t now = p->oldw + p->delta;

        if (p->delta == 0)
            continue;
        buf_reset(&val);
        if (now == 0)
            rc = statecache_delete(o->sc, p->entry->key, p->entry->len, err);
        else if (opkey_value(&val, &now, 1, o->in_types, o->nin, p->r.row, err) < 0)
            rc = -1;
        else
            rc = statecache_put(o->sc, p->entry->key, p->entry->len, val.data, val.len, err);
    }
    buf_free(&val);
    return rc;
}

static int
window_flush_state(WindowOp *o, Err *err)
{
    int64_t soff, eoff;
    int rc = 0;

    if (!o->started)
        return 0;
    o->started = false;
    if (frame_offsets(o, &soff, &eoff, err) < 0)
        rc = -1;
    for (uint32_t i = 0; rc == 0 && i < o->pparts.n; i++)
        rc = flush_part_state(o, o->pparts.entries[i], soff, eoff, err);
    /* scratch: invariant 2 of stream/opstate.h */
    memset(&o->prows, 0, sizeof o->prows);
    memset(&o->pparts, 0, sizeof o->pparts);
    o->scap = o->pcap = 0;
    o->sorted = o->tmp = o->pos = NULL;
    o->peer_lo = o->peer_hi = o->dense = o->group_lo = o->range_lo = o->range_hi = NULL;
    o->vals = NULL;
    return rc;
}

static int
window_flush(Operator *op, Err *err)
{
    WindowOp *o = (WindowOp *)op;
    int64_t soff = 0, eoff = 0;

    if (o->persist)
        return window_flush_state(o, err);
    if (o->dirty == NULL)
        return 0;
    if (frame_offsets(o, &soff, &eoff, err) < 0)
        return -1;
    while (o->dirty != NULL) {
        WinPart *p = o->dirty;

        o->dirty = p->next_dirty;
        p->dirty = false;
        p->next_dirty = NULL;
        if (flush_part(o, p, soff, eoff, err) < 0)
            return -1;
    }
    return 0;
}

/*
 * ---- Cleanup by watermark (persistent state) ----------------------------------------------
 *
 * When a PARTITION BY expression is a bare input column that carries an event-time watermark
 * (stream_wm_input_col at construction; e.g. window_start of TUMBLE for top-N per window),
 * that column is the FIRST column of the key (o->partcols[0]; the other PARTITION BY
 * expressions follow in their order), ascending, NULLs last:
 *
 *     OPKEY_TAG | wm column | other PARTITION BY values | ORDER BY values | tie-break
 *
 * so the partitions are stored in order of that column. Watermark W on it means no future
 * change has a value below W (stream/stream_int.h, OpVtbl.watermark): a partition below W
 * never changes again, and neither does its output. Its rows are deleted: one range scan
 * [OPKEY_TAG, OPKEY_TAG | enc(W)) collecting the keys in run->scratch (a batch at a time, the
 * next scan continuing after the last key), the iterator closed, then the deletes (the cache
 * refuses writes while an iterator is open). The scan starts at the previous cleanup's bound
 * (o->wm_lo; W never decreases), so it does not walk again over the keys already deleted,
 * which the cache keeps as known-absent entries. NULL partitions sort after every value and are
 * never dropped. Nothing is emitted: what was emitted for those rows stays downstream.
 * Without such a column the key is PARTITION BY order and nothing is ever dropped.
 */

static int
window_watermark(Operator *op, int port, int col, Datum w, Err *err)
{
    WindowOp *o = (WindowOp *)op;
    Value wv = {w, false};
    Buf hi;
    int rc;

    if (!o->persist || o->wm_col < 0 || port != 0 || col != o->wm_col)
        return 0;
    if (o->sc == NULL && stream_state_cache(op->run, op->node, "r", &o->sc, err) < 0)
        return -1;
    buf_init(&hi, 0);
    buf_put_u8(&hi, OPKEY_TAG);
    if (keycodec_encode_prefix(&o->spec, 1, &wv, &hi, err) < 0) {
        buf_free(&hi);
        return -1;
    }
    {
        StateRange range = {{STATE_UNBOUNDED, {NULL, 0}}, {STATE_EXCLUSIVE, {hi.data, hi.len}}};

        if (o->wm_lo_len > 0) /* not over the deleted keys again (cached as absent) */
            range.lower = (StateBound){STATE_INCLUSIVE, {o->wm_lo, o->wm_lo_len}};
        rc = statecache_delete_range(o->sc, &range, NULL, err);
    }
    if (rc >= 0) { /* fixed-width types: the same length every time, allocated once */
        if (hi.len > o->wm_lo_cap) {
            o->wm_lo_cap = hi.len * 2;
            o->wm_lo = arena_alloc(op->run->arena, o->wm_lo_cap);
        }
        memcpy(o->wm_lo, hi.data, hi.len);
        o->wm_lo_len = hi.len;
    }
    buf_free(&hi);
    return rc < 0 ? -1 : 0;
}

static const OpVtbl window_vt = {"window", window_push, window_flush, true, window_watermark};
/* With state but a key type that has no key encoding: the job keeps its state in memory. */
static const OpVtbl window_mem_vt = {"window", window_push, window_flush, false};

Operator *
op_window_new(StreamRun *run, const DfNode *node)
{
    const PlanNode *p = node->plan;
    const WindowPlan *w = p->u.window;
    WindowOp *o = op_alloc(run, sizeof(WindowOp), &window_vt, node, p->ncols);
    Arena *a = run->arena;
    int nc = w->ncalls;

    o->w = w;
    o->nin = p->input->ncols;
    o->col_orders = arena_calloc(a, (size_t)o->nin + 1, sizeof(TypeOrder));
    for (int c = 0; c < o->nin; c++)
        (void)plan_type_order(p->input->types[c], &o->col_orders[c]);
    rowtable_init(&o->rows, a, o->nin, o->col_orders);
    rowtable_init(&o->parts, a, w->npart, w->part_orders);
    o->call_orders = arena_calloc(a, (size_t)nc + 1, sizeof(TypeOrder));
    o->call_has_eq = arena_calloc(a, (size_t)nc + 1, sizeof(bool));
    o->argoff = arena_calloc(a, (size_t)nc + 1, sizeof(int));
    o->actx = arena_calloc(a, (size_t)nc + 1, sizeof(AggCtx));
    o->states = arena_calloc(a, (size_t)nc + 1, sizeof(char *));
    o->next = w->norder;
    for (int c = 0; c < nc; c++) {
        const WindowCall *call = &w->calls[c];

        o->call_has_eq[c] = plan_type_order(call->rettype, &o->call_orders[c]);
        o->argoff[c] = o->next;
        o->next += call->kind == WIN_AGG ? call->agg.nargs + 1 : call->nargs;
        if (call->kind == WIN_AGG) {
            o->actx[c].eval = &run->ctx;
            o->actx[c].argtype = call->agg.argtype;
            o->actx[c].arg_lt = call->agg.arg_lt;
            o->states[c] = arena_calloc(a, 1, call->agg.impl->state_size + 1);
        }
    }
    o->wm_col = -1;
    o->keybuf = arena_calloc(a, (size_t)w->npart + 1, sizeof(Value));
    o->outrow = arena_calloc(a, (size_t)p->ncols + 1, sizeof(Value));
    if (run->state != NULL) { /* the key: PARTITION BY, ORDER BY, the tie-break */
        int nk = w->npart + w->norder;
        KeyColumn *cols = arena_calloc(a, (size_t)(nk + o->nin) + 1, sizeof(KeyColumn));

        o->keycols = arena_calloc(a, (size_t)(nk + o->nin) + 1, sizeof(int));
        o->keyvals = arena_calloc(a, (size_t)(nk + o->nin) + 1, sizeof(Value));
        o->in_types = p->input->types;
        o->partcols = arena_calloc(a, (size_t)w->npart + 1, sizeof(int));
        for (int k = 0, at = 1; k < w->npart; k++) { /* a watermarked column first: "Cleanup" */
            const Expr *e = w->part[k];

            if (o->wm_col < 0 && e->kind == EXPR_COLUMN &&
                stream_wm_input_col(run, node, 0, e->u.column) >= 0) {
                o->wm_col = e->u.column;
                o->partcols[0] = k;
            } else {
                o->partcols[at++] = k;
            }
        }
        if (o->wm_col < 0) /* none: PARTITION BY order */
            for (int k = 0; k < w->npart; k++)
                o->partcols[k] = k;
        for (int k = 0; k < w->npart; k++)
            cols[k] = (KeyColumn){w->part[o->partcols[k]]->type, false, false};
        for (int k = 0; k < w->norder; k++)
            cols[w->npart + k] =
                (KeyColumn){w->order[k]->type, w->order_keys[k].desc, w->order_keys[k].nulls_first};
        for (int c = 0; c < o->nin; c++) {
            if (o->col_orders[c].lt == NULL)
                continue;
            o->keycols[nk] = c;
            cols[nk++] = (KeyColumn){p->input->types[c], false, false};
        }
        o->spec = (KeySpec){cols, nk, false};
        o->persist = true;
        for (int k = 0; k < nk; k++)
            o->persist = o->persist && keycodec_type_supported(cols[k].type);
        if (!o->persist)
            o->op.vt = &window_mem_vt;
    }
    return &o->op;
}
