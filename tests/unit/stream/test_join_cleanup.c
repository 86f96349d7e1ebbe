/*
 * tests/unit/stream/test_join_cleanup.c — stream/op_join_state.c's cleanup
 * by watermark ("Cleanup by watermark" there): window joins and interval
 * joins of (k int4, ts timestamp) ⋈ (k int4, ts timestamp) in a persistent
 * run whose run->wm says, by hand, which input columns carry a watermark
 * (what stream/job.c's plan_watermarks does for a view).
 *
 * Randomized: time moves on, rows come with a random lag on random sides,
 * rows below their side's watermark in force are late and never pushed
 * (nor counted), now and then a live row at or above its side's watermark
 * is deleted again (a side without a watermark deletes any row, even one
 * the join has dropped), the operator is told the watermarks after random
 * barriers, a checkpoint follows every barrier, a restart every few and a
 * failed commit now and then (the barrier forgotten). The consolidated
 * output of the committed barriers must equal the brute-force join of the
 * committed changes, and the rows kept must be only those a future row
 * could still match. Exact small cases (which rows and index keys go, a
 * NULL time, duplicates and their deletes across a restart, date columns
 * with date - integer), outer joins (the randomized run covers LEFT, RIGHT
 * and FULL too: padded rows against the brute force), unbounded conditions
 * left alone.
 * Then a long run: entries in the state tables stay flat with watermarks
 * (and grow without them), the output count exact.
 *
 * Invariants:
 *   1. The brute force reads only the change log (Model), never the operator.
 *   2. Everything depends only on the seeds.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "join_test_util.h"
#include "sql/catalog.h"
#include "sql/datetime.h"

#define SEC INT64_C(1000000)
#define NODE_ID 7

/* ---- the joins ----------------------------------------------------------------------------- */

/* The operator `name` over (lt, rt) applied to x and y. */
static Expr *
op2(Arena *a, const char *name, Oid lt, Oid rt, Expr *x, Expr *y)
{
    const OperDef *o;
    int pos = 0;
    Expr **args = arena_alloc(a, 2 * sizeof(Expr *));

    while ((o = catalog_next_oper(name, &pos)) != NULL && !(o->left == lt && o->right == rt))
        ;
    ck_assert_ptr_nonnull(o);
    args[0] = x;
    args[1] = y;
    return expr_func(a, NULL, o->fn, true, o->result, 2, args, -1);
}

static Expr *
ts_col(Arena *a, int c)
{
    return test_col(a, c, c % 2 == 0 ? TYPE_INT4 : TYPE_TIMESTAMP);
}

/* Interval constants come as INTERVAL '3' SECOND does: a typmod coercion over a constant. */
static bool typmod_intervals;

/* ts_col(c) + secs seconds (as "-" of a positive interval when secs < 0) */
static Expr *
ts_plus(Arena *a, int c, int secs)
{
    Interval iv = {(secs < 0 ? -secs : secs) * SEC, 0, 0};
    Expr *k = expr_const(a, TYPE_INTERVAL, interval_datum(a, &iv), false, -1);

    if (typmod_intervals) { /* full range, full precision: the value is unchanged */
        static const Oid argtypes[3] = {TYPE_INTERVAL, TYPE_INT4, TYPE_BOOL};
        const FuncDef *f = catalog_find_func_exact("interval", 3, argtypes);
        Expr **args = arena_alloc(a, 3 * sizeof(Expr *));

        ck_assert_ptr_nonnull(f);
        args[0] = k;
        args[1] = expr_const(a, TYPE_INT4, datum_from_int32((0x7FFF << 16) | 0xFFFF), false, -1);
        args[2] = expr_const(a, TYPE_BOOL, datum_from_bool(true), false, -1);
        k = expr_func(a, f, f->fn, true, TYPE_INTERVAL, 3, args, -1);
    }

    return op2(a, secs < 0 ? "-" : "+", TYPE_TIMESTAMP, TYPE_INTERVAL, ts_col(a, c), k);
}

static Expr *
and_n(Arena *a, int n, Expr **args)
{
    Expr *e = expr_new(a, EXPR_AND, TYPE_BOOL, -1);

    e->u.list.nargs = n;
    e->u.list.args = arena_alloc(a, sizeof(Expr *) * (size_t)n);
    memcpy(e->u.list.args, args, sizeof(Expr *) * (size_t)n);
    return e;
}

/*
 * Columns: 0 l.k, 1 l.ts, 2 r.k, 3 r.ts.
 *   0  window join   l.k = r.k AND l.ts = r.ts
 *   1  interval      l.k = r.k AND l.ts BETWEEN r.ts - 10 s AND r.ts + 5 s
 *   2  interval      l.k = r.k AND r.ts - 3 s < l.ts AND r.ts > l.ts - 7 s (mirrored, strict)
 *   3  interval      no equi key: l.ts >= r.ts - 2 s AND r.ts + 1 s >= l.ts
 * The brute force's twin is pred_holds().
 */
static Expr *
make_pred(Arena *a, int kind)
{
    Expr *c[3];
    Expr *eqk = op2(a, "=", TYPE_INT4, TYPE_INT4, ts_col(a, 0), ts_col(a, 2));

    switch (kind) {
    case 0:
        c[0] = eqk;
        c[1] = op2(a, "=", TYPE_TIMESTAMP, TYPE_TIMESTAMP, ts_col(a, 1), ts_col(a, 3));
        return and_n(a, 2, c);
    case 1:
        c[0] = eqk;
        c[1] = op2(a, ">=", TYPE_TIMESTAMP, TYPE_TIMESTAMP, ts_col(a, 1), ts_plus(a, 3, -10));
        c[2] = op2(a, "<=", TYPE_TIMESTAMP, TYPE_TIMESTAMP, ts_col(a, 1), ts_plus(a, 3, 5));
        return and_n(a, 3, c);
    case 2:
        c[0] = eqk;
        c[1] = op2(a, "<", TYPE_TIMESTAMP, TYPE_TIMESTAMP, ts_plus(a, 3, -3), ts_col(a, 1));
        c[2] = op2(a, ">", TYPE_TIMESTAMP, TYPE_TIMESTAMP, ts_col(a, 3), ts_plus(a, 1, -7));
        return and_n(a, 3, c);
    default:
        c[0] = op2(a, ">=", TYPE_TIMESTAMP, TYPE_TIMESTAMP, ts_col(a, 1), ts_plus(a, 3, -2));
        c[1] = op2(a, ">=", TYPE_TIMESTAMP, TYPE_TIMESTAMP, ts_plus(a, 3, 1), ts_col(a, 1));
        return and_n(a, 2, c);
    }
}

static bool
pred_holds(int kind, int32_t lk, int64_t lt, int32_t rk, int64_t rt)
{
    switch (kind) {
    case 0:
        return lk == rk && lt == rt;
    case 1:
        return lk == rk && lt >= rt - 10 * SEC && lt <= rt + 5 * SEC;
    case 2:
        return lk == rk && rt - 3 * SEC < lt && rt > lt - 7 * SEC;
    default:
        return lt >= rt - 2 * SEC && rt + 1 * SEC >= lt;
    }
}

#define NULL_K INT32_MIN /* a padded side's k in an OutRow */
#define NULL_T INT64_MIN /* ... and its ts */

/* A sink adding every change to a list (the barrier's output until it commits). */
typedef struct OutRow {
    int32_t lk, rk;
    int64_t lt, rt, w;
} OutRow;

typedef struct Sink {
    Operator op;
    int n, cap;
    OutRow *rows;
} Sink;

static int
sink_push(Operator *op, int port, const Batch *in, Err *err)
{
    Sink *s = (Sink *)op;

    (void)port, (void)err;
    for (int i = 0; i < in->n; i++) {
        const Value *r = batch_row(in, i);

        if (s->n == s->cap) {
            s->cap = s->cap ? s->cap * 2 : 1024;
            s->rows = realloc(s->rows, sizeof(OutRow) * (size_t)s->cap);
            ck_assert_ptr_nonnull(s->rows);
        }
        /* a NULL-padded side (outer joins) reads as NULL_K / NULL_T */
        ck_assert(r[0].isnull == r[1].isnull && r[2].isnull == r[3].isnull);
        s->rows[s->n++] = (OutRow){r[0].isnull ? NULL_K : datum_get_int32(r[0].d),
                                   r[2].isnull ? NULL_K : datum_get_int32(r[2].d),
                                   r[1].isnull ? NULL_T : datum_get_int64(r[1].d),
                                   r[3].isnull ? NULL_T : datum_get_int64(r[3].d), in->weights[i]};
    }
    return 0;
}

static const OpVtbl sink_vt = {"cleanup sink", sink_push, test_no_flush};

/* Which sides' ts columns carry a watermark: bit 0 left, bit 1 right. */
static StreamWmInput wm_inputs[2];

/* A fresh or reopened persistent run with the join of kind and its watermarks, into sink. */
static Operator *
open_join(TestRun *t, StateStore *st, bool fresh, int kind, PlanJoinType type, int wm_sides,
          Sink *sink, size_t budget)
{
    Arena *a;
    PlanNode *l, *r, *p;
    Operator *op;
    int n = 0;

    test_open_state_run(t, 4, 42, st, fresh, budget);
    a = t->run.arena;
    for (int s = 0; s < 2; s++) {
        if (wm_sides & (1 << s))
            wm_inputs[n++] = (StreamWmInput){NODE_ID, s, 1, NULL, false, 0};
    }
    t->run.wm = wm_inputs;
    t->run.nwm = n;
    l = plan_new(a, PLAN_VALUES, NULL, 2);
    r = plan_new(a, PLAN_VALUES, NULL, 2);
    p = plan_new(a, PLAN_JOIN, l, 4);
    p->right = r;
    for (int c = 0; c < 4; c++)
        p->types[c] = c % 2 == 0 ? TYPE_INT4 : TYPE_TIMESTAMP;
    l->types[0] = r->types[0] = TYPE_INT4;
    l->types[1] = r->types[1] = TYPE_TIMESTAMP;
    p->jointype = type;
    p->u.pred = make_pred(a, kind);
    op = op_join_new(&t->run, test_df_node(a, DF_JOIN, p, NODE_ID));
    sink->op.vt = &sink_vt;
    sink->op.ncols = 4;
    op->out = &sink->op;
    op->out_port = 0;
    return op;
}

static void
push_row(Operator *op, int side, int32_t k, int64_t ts, int64_t w)
{
    Value *v = arena_alloc(op->run->scratch, 2 * sizeof(Value));
    int64_t *wp = arena_alloc(op->run->scratch, sizeof(int64_t));
    Batch b = {2, 1, v, wp};
    Err err;

    v[0] = (Value){datum_from_int32(k), false};
    v[1] = (Value){datum_from_int64(ts), ts == INT64_MIN}; /* INT64_MIN: NULL */
    *wp = w;
    err_clear(&err);
    ck_assert_msg(op->vt->push(op, side, &b, &err) == 0, "push: %s", err.message);
}

static void
barrier(Operator *op)
{
    Err err;

    err_clear(&err);
    ck_assert_msg(op->vt->flush(op, &err) == 0, "flush: %s", err.message);
    ck_assert_int_eq(op_emit(op, &err), 0);
}

static void
tell_watermark(Operator *op, int port, int64_t w)
{
    Err err;

    err_clear(&err);
    ck_assert_ptr_nonnull(op->vt->watermark);
    ck_assert_msg(op->vt->watermark(op, port, 1, datum_from_int64(w), &err) == 0, "watermark: %s",
                  err.message);
}

/* Rows in the operator's table tag (0 when the table was never made). */
static int64_t
table_rows(TestRun *t, Operator *op, const char *tag)
{
    StateCache *sc;
    StateCacheIter *it;
    StateBytes k, v;
    int64_t n = 0;
    Err err;
    int rc;

    err_clear(&err);
    ck_assert_int_eq(stream_state_cache(&t->run, op->node, tag, &sc, &err), 0);
    ck_assert_int_eq(statecache_iter_open(sc, NULL, false, &it, &err), 0);
    while ((rc = statecache_iter_next(it, &k, &v, &err)) == 1)
        n++;
    ck_assert_int_eq(rc, 0);
    statecache_iter_close(it);
    return n;
}

/* ---- the model ------------------------------------------------------------------------------ */

typedef struct Change {
    int side;
    int32_t k;
    int64_t ts, w;
    int del_of; /* a delete: the insert it takes back, else -1 */
    bool deleted;
} Change;

typedef struct Model {
    int n, cap;
    Change *c;
} Model;

static void
model_add(Model *m, Change c)
{
    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 1024;
        m->c = realloc(m->c, sizeof(Change) * (size_t)m->cap);
        ck_assert_ptr_nonnull(m->c);
    }
    if (c.del_of >= 0)
        m->c[c.del_of].deleted = true;
    m->c[m->n++] = c;
}

static void
model_truncate(Model *m, int n)
{
    while (m->n > n) {
        Change *c = &m->c[--m->n];

        if (c->del_of >= 0)
            m->c[c->del_of].deleted = false;
    }
}

static int
outrow_cmp(const void *x, const void *y)
{
    const OutRow *a = x, *b = y;

    if (a->lk != b->lk)
        return a->lk < b->lk ? -1 : 1;
    if (a->lt != b->lt)
        return a->lt < b->lt ? -1 : 1;
    if (a->rk != b->rk)
        return a->rk < b->rk ? -1 : 1;
    if (a->rt != b->rt)
        return a->rt < b->rt ? -1 : 1;
    return 0;
}

/* Sorts and consolidates rows[0..n) (weight 0 dropped): the new n. */
static int
consolidate(OutRow *rows, int n)
{
    int out = 0;

    if (n == 0)
        return 0;
    qsort(rows, (size_t)n, sizeof(OutRow), outrow_cmp);
    for (int i = 0; i < n; i++) {
        if (out > 0 && outrow_cmp(&rows[out - 1], &rows[i]) == 0)
            rows[out - 1].w += rows[i].w;
        else
            rows[out++] = rows[i];
        if (rows[out - 1].w == 0)
            out--;
    }
    return out;
}

static void
out_add(OutRow **rows, int *n, int *cap, OutRow r)
{
    if (*n == *cap) {
        *cap *= 2;
        *rows = realloc(*rows, sizeof(OutRow) * (size_t)*cap);
        ck_assert_ptr_nonnull(*rows);
    }
    (*rows)[(*n)++] = r;
}

/* The live rows of side s (the model's changes consolidated): their count, into *out. */
static int
live_rows(const Model *m, int s, OutRow **out)
{
    int n = 0, cap = 1024;
    OutRow *rows = malloc(sizeof(OutRow) * (size_t)cap);

    for (int i = 0; i < m->n; i++) {
        if (m->c[i].side == s)
            out_add(&rows, &n, &cap, (OutRow){m->c[i].k, 0, m->c[i].ts, 0, m->c[i].w});
    }
    *out = rows;
    return consolidate(rows, n);
}

/*
 * The join of type (inner, left, right, full) of the model's changes, consolidated, into *out
 * (malloc'd): its length. Outer joins pad each live row of a preserved side that matches no
 * live row of the other.
 */
static int
brute_force(const Model *m, int kind, PlanJoinType type, OutRow **out)
{
    int n = 0, cap = 1024, nl, nr;
    OutRow *rows = malloc(sizeof(OutRow) * (size_t)cap), *l, *r;
    bool pad_l = type == PLAN_JOIN_LEFT || type == PLAN_JOIN_FULL;
    bool pad_r = type == PLAN_JOIN_RIGHT || type == PLAN_JOIN_FULL;

    nl = live_rows(m, 0, &l);
    nr = live_rows(m, 1, &r);
    for (int i = 0; i < nl; i++) {
        bool matched = false;

        for (int k = 0; k < nr; k++) {
            if (!pred_holds(kind, l[i].lk, l[i].lt, r[k].lk, r[k].lt))
                continue;
            matched = true;
            out_add(&rows, &n, &cap, (OutRow){l[i].lk, r[k].lk, l[i].lt, r[k].lt, l[i].w * r[k].w});
        }
        if (pad_l && !matched)
            out_add(&rows, &n, &cap, (OutRow){l[i].lk, NULL_K, l[i].lt, NULL_T, l[i].w});
    }
    for (int k = 0; pad_r && k < nr; k++) {
        bool matched = false;

        for (int i = 0; i < nl && !matched; i++)
            matched = pred_holds(kind, l[i].lk, l[i].lt, r[k].lk, r[k].lt);
        if (!matched)
            out_add(&rows, &n, &cap, (OutRow){NULL_K, r[k].lk, NULL_T, r[k].lt, r[k].w});
    }
    free(l);
    free(r);
    *out = rows;
    return consolidate(rows, n);
}

static void
check_equal(OutRow *got, int ngot, OutRow *want, int nwant, const char *what)
{
    ngot = consolidate(got, ngot);
    for (int i = 0; i < ngot && i < nwant; i++) {
        ck_assert_msg(outrow_cmp(&got[i], &want[i]) == 0 && got[i].w == want[i].w,
                      "%s: row %d: got (%d,%lld,%d,%lld) x%lld, want (%d,%lld,%d,%lld) x%lld", what,
                      i, got[i].lk, (long long)got[i].lt, got[i].rk, (long long)got[i].rt,
                      (long long)got[i].w, want[i].lk, (long long)want[i].lt, want[i].rk,
                      (long long)want[i].rt, (long long)want[i].w);
    }
    ck_assert_msg(ngot == nwant, "%s: %d rows, want %d", what, ngot, nwant);
}

static uint64_t
rnd(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/*
 * Live rows of the model that the join may still need: on a cleaned side, rows a future row
 * of the other side could match. For the check "no more than needed is kept".
 */
static bool
may_match_future(int kind, int side, int64_t ts, const int64_t wm[2], int wm_sides)
{
    int o = 1 - side;

    if (!(wm_sides & (1 << o)))
        return true;
    switch (kind) { /* the bound each side is cleaned below, as op_join_state.c derives it */
    case 0:
        return ts >= wm[o];
    case 1:
        return side == 0 ? ts >= wm[o] - 10 * SEC : ts + 5 * SEC >= wm[o];
    case 2:
        return side == 0 ? ts >= wm[o] - 3 * SEC : ts >= wm[o] - 7 * SEC;
    default:
        return side == 0 ? ts >= wm[o] - 2 * SEC : ts + 1 * SEC >= wm[o];
    }
}

/* ---- randomized ----------------------------------------------------------------------------- */

START_TEST(test_cleanup_random)
{
    static const int sides_of[] = {3, 3, 3, 3, 2, 1};
    static const int kind_of[] = {0, 1, 2, 3, 1, 2};
    int restarts = 0, failures = 0, cleaned = 0;

    static const PlanJoinType types[] = {PLAN_JOIN_INNER, PLAN_JOIN_LEFT, PLAN_JOIN_RIGHT,
                                         PLAN_JOIN_FULL};

    for (int cfg = 0; cfg < 6; cfg++) {
        for (uint64_t trial = 0; trial < 8; trial++) {
            int kind = kind_of[cfg], wm_sides = sides_of[cfg];
            PlanJoinType type = types[trial / 2];
            uint64_t seed = 0x2545f4914f6cdd1dULL ^ (trial * 104729 + (uint64_t)cfg * 7 + 1);
            int nkeys = kind == 3 ? 1 : 1 + (int)(rnd(&seed) % 6);
            int64_t now = 1000 * SEC, wm[2] = {0, 0}, told[2] = {-1, -1};
            int64_t saved_wm[2], saved_told[2];
            /* deletes of rows the join may have dropped: kept as -1 until the next cleanup */
            int late_dels[2] = {0, 0}, saved_late[2];
            Model m = {0};
            OutRow *got = NULL, *want;
            int ngot = 0, gotcap = 0, nwant;
            Sink sink = {0};
            char dir[64], what[128];
            StateStore *st = test_store_open(dir);
            TestRun t;
            Operator *op;

            typmod_intervals = trial % 2 == 1; /* half spell them as INTERVAL '3' SECOND */
            op = open_join(&t, st, true, kind, type, wm_sides, &sink, 0);
            for (int b = 0; b < 60; b++) {
                int saved_n = m.n, nchanges = (int)(rnd(&seed) % 40);
                bool commit = rnd(&seed) % 10 != 0;
                Err err;

                snprintf(what, sizeof what, "kind %d sides %d type %d trial %d barrier %d", kind,
                         wm_sides, (int)type, (int)trial, b);
                memcpy(saved_wm, wm, sizeof wm);
                memcpy(saved_told, told, sizeof told);
                memcpy(saved_late, late_dels, sizeof late_dels);
                sink.n = 0;
                for (int c = 0; c < nchanges; c++) {
                    int side = (int)(rnd(&seed) % 2);
                    Change ch = {side, (int32_t)(rnd(&seed) % (uint64_t)nkeys), 0, 1, -1, false};

                    now += (int64_t)(rnd(&seed) % (SEC / 2));
                    if (rnd(&seed) % 6 == 0 && m.n > 0) { /* a delete of a live row */
                        int i = (int)(rnd(&seed) % (uint64_t)m.n);
                        Change *x = &m.c[i];

                        if (x->w != 1 || x->deleted || x->side != side ||
                            ((wm_sides & (1 << side)) && x->ts < wm[side]))
                            continue;
                        ch.k = x->k;
                        ch.ts = x->ts;
                        ch.w = -1;
                        ch.del_of = i;
                        if (!may_match_future(kind, side, x->ts, told, wm_sides))
                            late_dels[side]++;
                    } else {
                        /* kind 0 joins on equal times: whole seconds */
                        ch.ts = now - (int64_t)(rnd(&seed) % (uint64_t)(8 * SEC));
                        if (kind == 0)
                            ch.ts -= ch.ts % SEC;
                        if ((wm_sides & (1 << side)) && ch.ts < wm[side])
                            continue; /* late: dropped before the join */
                    }
                    push_row(op, side, ch.k, ch.ts, ch.w);
                    model_add(&m, ch);
                }
                barrier(op);
                /* the watermarks: max time seen minus 4 s, told after some barriers */
                for (int s = 0; s < 2; s++) {
                    int64_t nw = now - 4 * SEC - (int64_t)(rnd(&seed) % SEC);

                    if ((wm_sides & (1 << s)) && nw > wm[s]) /* never backwards */
                        wm[s] = nw;
                    if ((wm_sides & (1 << s)) && wm[s] != told[s] && rnd(&seed) % 3 != 0) {
                        tell_watermark(op, s, wm[s]);
                        told[s] = wm[s];
                        late_dels[1 - s] = 0;
                        cleaned++;
                    }
                }
                err_clear(&err);
                ck_assert_int_eq(test_run_checkpoint(&t, commit, &err), 0);
                if (!commit) { /* the barrier never happened */
                    model_truncate(&m, saved_n);
                    memcpy(wm, saved_wm, sizeof wm);
                    memcpy(told, saved_told, sizeof told);
                    memcpy(late_dels, saved_late, sizeof late_dels);
                    failures++;
                } else {
                    if (ngot + sink.n > gotcap) {
                        gotcap = (ngot + sink.n) * 2;
                        got = realloc(got, sizeof(OutRow) * (size_t)gotcap);
                    }
                    if (sink.n > 0)
                        memcpy(got + ngot, sink.rows, sizeof(OutRow) * (size_t)sink.n);
                    ngot = consolidate(got, ngot + sink.n);
                }
                if (commit && (b % 10 == 9 || b == 59)) {
                    int64_t need = 0, kept[2];

                    nwant = brute_force(&m, kind, type, &want);
                    check_equal(got, ngot, want, nwant, what);
                    free(want);
                    /* kept: at most what a future row could match (live rows, told bounds) */
                    for (int i = 0; i < m.n; i++) {
                        const Change *c = &m.c[i];

                        if (c->w == 1 && !c->deleted &&
                            may_match_future(kind, c->side, c->ts, told, wm_sides))
                            need++;
                    }
                    kept[0] = table_rows(&t, op, "l");
                    kept[1] = table_rows(&t, op, "r");
                    /* equal rows share an entry; retractions of dropped rows linger */
                    need += late_dels[0] + late_dels[1];
                    ck_assert_msg(kept[0] + kept[1] <= need, "%s: %lld + %lld kept, need %lld",
                                  what, (long long)kept[0], (long long)kept[1], (long long)need);
                }
                if (!commit || b % 7 == 3) {
                    test_run_free(&t);
                    op = open_join(&t, st, false, kind, type, wm_sides, &sink, 0);
                    restarts++;
                }
            }
            test_run_free(&t);
            test_store_close(st, dir);
            free(m.c);
            free(got);
            free(sink.rows);
        }
    }
    ck_assert_int_gt(restarts, 100);
    ck_assert_int_gt(failures, 50);
    ck_assert_int_gt(cleaned, 500);
}
END_TEST

/*
 * Outer joins are cleaned like inner ones (every row below the other side's watermark goes,
 * the padded rows of unmatched preserved rows stay out); a join whose condition bounds nothing
 * keeps everything and has no index.
 */
START_TEST(test_cleanup_outer_and_unbounded)
{
    static const PlanJoinType types[] = {PLAN_JOIN_LEFT, PLAN_JOIN_RIGHT, PLAN_JOIN_FULL};

    typmod_intervals = false;
    for (int i = 0; i < 4; i++) {
        char dir[64];
        StateStore *st = test_store_open(dir);
        TestRun t;
        Sink sink = {0};
        PlanJoinType type = i < 3 ? types[i] : PLAN_JOIN_INNER;
        /* the inner one: kind 1 with a watermark on neither side's ts */
        Operator *op = open_join(&t, st, true, 1, type, i < 3 ? 3 : 0, &sink, 0);
        int64_t padded = 0;
        Err err;

        for (int r = 0; r < 50; r++) {
            push_row(op, 0, r % 3, (1000 + r) * SEC, 1);
            push_row(op, 1, r % 3 + 3, (1000 + r) * SEC, 1); /* keys 3..5: nothing matches */
        }
        barrier(op);
        if (op->vt->watermark != NULL) {
            tell_watermark(op, 0, 2000 * SEC);
            tell_watermark(op, 1, 2000 * SEC);
        }
        err_clear(&err);
        ck_assert_int_eq(test_run_checkpoint(&t, true, &err), 0);
        ck_assert_int_eq(table_rows(&t, op, "l"), i < 3 ? 0 : 50);
        ck_assert_int_eq(table_rows(&t, op, "r"), i < 3 ? 0 : 50);
        ck_assert_int_eq(table_rows(&t, op, "xl"), 0);
        ck_assert_int_eq(table_rows(&t, op, "xr"), 0);
        for (int q = 0; q < sink.n; q++)
            padded += sink.rows[q].w;
        ck_assert_int_eq(padded, type == PLAN_JOIN_FULL ? 100 : i < 3 ? 50 : 0);
        /* rows arriving below the bounds: final at once, padded if the side is preserved */
        sink.n = 0;
        if (i < 3) {
            push_row(op, 0, 1, 1500 * SEC, 1);
            push_row(op, 1, 1, 1500 * SEC, 1);
            barrier(op);
            ck_assert_int_eq(test_run_checkpoint(&t, true, &err), 0);
            ck_assert_int_eq(table_rows(&t, op, "l") + table_rows(&t, op, "r"), 0);
            ck_assert_int_eq(sink.n, type == PLAN_JOIN_FULL ? 2 : 1);
        }
        test_run_free(&t);
        test_store_close(st, dir);
        free(sink.rows);
    }
}
END_TEST

/* A small exact case: which rows go, and the index with them; nothing is emitted. */
START_TEST(test_cleanup_exact)
{
    char dir[64];
    StateStore *st = test_store_open(dir);
    TestRun t;
    Sink sink = {0};
    Operator *op;
    Err err;

    typmod_intervals = true;
    op = open_join(&t, st, true, 1, PLAN_JOIN_INNER, 3, &sink, 0);
    /* left ts 100..109 s, right ts 100..109 s, key 1 */
    for (int i = 0; i < 10; i++) {
        push_row(op, 0, 1, (100 + i) * SEC, 1);
        push_row(op, 1, 1, (100 + i) * SEC, 1);
    }
    push_row(op, 0, 1, INT64_MIN, 1); /* a NULL time matches nothing, ever */
    barrier(op);
    ck_assert_int_eq(sink.n, 90); /* l - r within [-10 s, 5 s]: all but 10 of the 100 pairs */
    sink.n = 0;
    ck_assert_int_eq(table_rows(&t, op, "l"), 11);
    ck_assert_int_eq(table_rows(&t, op, "xl"), 11);
    ck_assert_int_eq(table_rows(&t, op, "xr"), 10);
    /* a watermark that bounds nothing yet still drops the NULL */
    tell_watermark(op, 1, 50 * SEC);
    ck_assert_int_eq(table_rows(&t, op, "l"), 10);
    /* right's watermark 115 s: left rows below 105 s can never match again */
    tell_watermark(op, 1, 115 * SEC);
    ck_assert_int_eq(table_rows(&t, op, "l"), 5);
    ck_assert_int_eq(table_rows(&t, op, "xl"), 5);
    ck_assert_int_eq(table_rows(&t, op, "r"), 10);
    /* left's watermark 110 s: right rows with ts + 5 s below 110 s go (100..104) */
    tell_watermark(op, 0, 110 * SEC);
    ck_assert_int_eq(table_rows(&t, op, "r"), 5);
    ck_assert_int_eq(table_rows(&t, op, "xr"), 5);
    ck_assert_int_eq(sink.n, 0);
    err_clear(&err);
    ck_assert_int_eq(test_run_checkpoint(&t, true, &err), 0);
    /* after a restart: the index is there; a duplicate and its delete keep it exact */
    test_run_free(&t);
    op = open_join(&t, st, false, 1, PLAN_JOIN_INNER, 3, &sink, 0);
    push_row(op, 0, 1, 107 * SEC, 1);
    push_row(op, 0, 1, 107 * SEC, -1);
    push_row(op, 0, 1, 107 * SEC, -1);
    barrier(op);
    ck_assert_int_eq(table_rows(&t, op, "l"), 4);
    ck_assert_int_eq(table_rows(&t, op, "xl"), 4);
    tell_watermark(op, 1, 1000 * SEC);
    tell_watermark(op, 0, 1000 * SEC);
    ck_assert_int_eq(table_rows(&t, op, "l") + table_rows(&t, op, "xl"), 0);
    ck_assert_int_eq(table_rows(&t, op, "r") + table_rows(&t, op, "xr"), 0);
    ck_assert_int_eq(test_run_checkpoint(&t, true, &err), 0);
    test_run_free(&t);
    test_store_close(st, dir);
    free(sink.rows);
}
END_TEST

/*
 * The other side's watermark far ahead and then still (a generator's small stream read in a
 * few epochs while the big one trickles in): rows arriving below its bound are joined with
 * what is there but never kept, though no further watermark call comes.
 */
START_TEST(test_cleanup_below_on_arrival)
{
    char dir[64];
    StateStore *st = test_store_open(dir);
    TestRun t;
    Sink sink = {0};
    Operator *op;
    Err err;

    typmod_intervals = false;
    op = open_join(&t, st, true, 1, PLAN_JOIN_INNER, 3, &sink, 0);
    for (int i = 0; i < 10; i++)
        push_row(op, 1, 1, (1000 + i) * SEC, 1); /* right: 1000..1009 s */
    barrier(op);
    tell_watermark(op, 1, 1009 * SEC); /* left rows below 999 s can never match again */
    for (int b = 0; b < 5; b++) {       /* left rows trickle in at 990..1004 s */
        for (int i = 0; i < 3; i++)
            push_row(op, 0, 1, (990 + b * 3 + i) * SEC, 1);
        barrier(op);
    }
    /* each left row joined the right rows within [l - 5 s, l + 10 s] of 1000..1009 */
    {
        int want = 0;

        for (int l = 990; l < 1005; l++) {
            for (int r = 1000; r < 1010; r++)
                want += l >= r - 10 && l <= r + 5;
        }
        ck_assert_int_eq(sink.n, want);
    }
    ck_assert_int_eq(table_rows(&t, op, "l"), 6); /* 999..1004 s only */
    ck_assert_int_eq(table_rows(&t, op, "xl"), 6);
    err_clear(&err);
    ck_assert_int_eq(test_run_checkpoint(&t, true, &err), 0);
    test_run_free(&t);
    test_store_close(st, dir);
    free(sink.rows);
}
END_TEST

/* date columns: l.k = r.k AND l.d >= r.d - 2 AND l.d <= r.d (date - integer). */
START_TEST(test_cleanup_date)
{
    char dir[64];
    StateStore *st = test_store_open(dir);
    TestRun t;
    Sink sink = {0};
    Arena *a;
    PlanNode *l, *r, *p;
    Operator *op;
    Expr *c[3];
    Err err;

    test_open_state_run(&t, 4, 42, st, true, 0);
    a = t.run.arena;
    wm_inputs[0] = (StreamWmInput){NODE_ID, 0, 1, NULL, false, 0};
    wm_inputs[1] = (StreamWmInput){NODE_ID, 1, 1, NULL, false, 0};
    t.run.wm = wm_inputs;
    t.run.nwm = 2;
    l = plan_new(a, PLAN_VALUES, NULL, 2);
    r = plan_new(a, PLAN_VALUES, NULL, 2);
    p = plan_new(a, PLAN_JOIN, l, 4);
    p->right = r;
    for (int k = 0; k < 4; k++)
        p->types[k] = k % 2 == 0 ? TYPE_INT4 : TYPE_DATE;
    l->types[0] = r->types[0] = TYPE_INT4;
    l->types[1] = r->types[1] = TYPE_DATE;
    p->jointype = PLAN_JOIN_INNER;
    c[0] = op2(a, "=", TYPE_INT4, TYPE_INT4, test_col(a, 0, TYPE_INT4), test_col(a, 2, TYPE_INT4));
    c[1] = op2(a, ">=", TYPE_DATE, TYPE_DATE, test_col(a, 1, TYPE_DATE),
               op2(a, "-", TYPE_DATE, TYPE_INT4, test_col(a, 3, TYPE_DATE),
                   expr_const(a, TYPE_INT4, datum_from_int32(2), false, -1)));
    c[2] = op2(a, "<=", TYPE_DATE, TYPE_DATE, test_col(a, 1, TYPE_DATE), test_col(a, 3, TYPE_DATE));
    p->u.pred = and_n(a, 3, c);
    op = op_join_new(&t.run, test_df_node(a, DF_JOIN, p, NODE_ID));
    sink.op.vt = &sink_vt;
    sink.op.ncols = 4;
    op->out = &sink.op;
    for (int side = 0; side < 2; side++) {
        for (int d = 100; d < 110; d++) {
            Value *v = arena_alloc(t.run.scratch, 2 * sizeof(Value));
            int64_t *w = arena_alloc(t.run.scratch, sizeof(int64_t));
            Batch b = {2, 1, v, w};

            v[0] = (Value){datum_from_int32(1), false};
            v[1] = (Value){datum_from_int32(d), false};
            *w = 1;
            err_clear(&err);
            ck_assert_int_eq(op->vt->push(op, side, &b, &err), 0);
        }
    }
    barrier(op);
    ck_assert_int_eq(sink.n, 27); /* r - 2 <= l <= r: 10 + 9 + 8 pairs */
    /* right's watermark 108: left dates below 106 go; left's 105: right dates below 105 */
    err_clear(&err);
    ck_assert_int_eq(op->vt->watermark(op, 1, 1, datum_from_int32(108), &err), 0);
    ck_assert_int_eq(op->vt->watermark(op, 0, 1, datum_from_int32(105), &err), 0);
    ck_assert_int_eq(table_rows(&t, op, "l"), 4);
    ck_assert_int_eq(table_rows(&t, op, "r"), 5);
    ck_assert_int_eq(table_rows(&t, op, "xl") + table_rows(&t, op, "xr"), 9);
    ck_assert_int_eq(test_run_checkpoint(&t, true, &err), 0);
    test_run_free(&t);
    test_store_close(st, dir);
    free(sink.rows);
}
END_TEST

/* ---- a long run --------------------------------------------------------------------------- */

static int
cmp_i64(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;

    return a < b ? -1 : a > b;
}

/* Rows whose ts lies in [lo, hi] among the sorted ts[0..n). */
static int64_t
count_in(const int64_t *ts, int n, int64_t lo, int64_t hi)
{
    int a = 0, b = n;

    while (a < b) { /* first >= lo */
        int mid = (a + b) / 2;

        if (ts[mid] < lo)
            a = mid + 1;
        else
            b = mid;
    }
    for (b = a; b < n && ts[b] <= hi; b++)
        ;
    return b - a;
}

/*
 * kind 1 over `rows` rows (half per side, 20 keys, ~100 rows per second of event time, up
 * to 3 s late), one barrier every 500 rows, watermarks (when wm_sides) after each; restarts
 * every 20 barriers. Returns the table entries at the end; *max_second_half is the most seen
 * in the second half, *max_first_half in the first.
 */
static int64_t
long_run(int rows, int wm_sides, int64_t *max_first_half, int64_t *max_second_half)
{
    enum { NKEYS = 20 };
    char dir[64];
    StateStore *st = test_store_open(dir);
    TestRun t;
    Sink sink = {0};
    Operator *op;
    int64_t *ts[2][NKEYS], maxts[2] = {0, 0}, got = 0, want = 0, entries = 0;
    int n[2][NKEYS] = {{0}}, nb = 0;
    uint64_t seed = 12345;
    Err err;

    typmod_intervals = false;
    op = open_join(&t, st, true, 1, PLAN_JOIN_INNER, wm_sides, &sink, (size_t)4 << 20);
    for (int s = 0; s < 2; s++)
        for (int k = 0; k < NKEYS; k++)
            ts[s][k] = malloc(sizeof(int64_t) * (size_t)rows);
    *max_first_half = *max_second_half = 0;
    for (int i = 0; i < rows; i++) {
        int side = (int)(rnd(&seed) % 2), k = (int)(rnd(&seed) % NKEYS);
        int64_t x = 1000 * SEC + (int64_t)i * (SEC / 100) - (int64_t)(rnd(&seed) % (3 * SEC));

        ts[side][k][n[side][k]++] = x;
        maxts[side] = x > maxts[side] ? x : maxts[side];
        push_row(op, side, k, x, 1);
        if (i % 500 == 499 || i == rows - 1) {
            barrier(op);
            for (int q = 0; q < sink.n; q++)
                got += sink.rows[q].w;
            sink.n = 0;
            for (int s = 0; s < 2 && wm_sides; s++) /* nothing comes 3 s below the max */
                tell_watermark(op, s, maxts[s] - 3 * SEC);
            err_clear(&err);
            ck_assert_int_eq(test_run_checkpoint(&t, true, &err), 0);
            entries = table_rows(&t, op, "l") + table_rows(&t, op, "r") + table_rows(&t, op, "xl") +
                      table_rows(&t, op, "xr");
            if (i < rows / 2)
                *max_first_half = entries > *max_first_half ? entries : *max_first_half;
            else
                *max_second_half = entries > *max_second_half ? entries : *max_second_half;
            if (++nb % 20 == 0) {
                test_run_free(&t);
                op = open_join(&t, st, false, 1, PLAN_JOIN_INNER, wm_sides, &sink, (size_t)4 << 20);
            }
        }
    }
    /* the expected count: per key, right rows within [l - 5 s, l + 10 s] of each left row */
    for (int k = 0; k < NKEYS; k++) {
        qsort(ts[1][k], (size_t)n[1][k], sizeof(int64_t), cmp_i64);
        for (int i = 0; i < n[0][k]; i++)
            want += count_in(ts[1][k], n[1][k], ts[0][k][i] - 5 * SEC, ts[0][k][i] + 10 * SEC);
    }
    ck_assert_int_eq(got, want);
    for (int s = 0; s < 2; s++)
        for (int k = 0; k < NKEYS; k++)
            free(ts[s][k]);
    test_run_free(&t);
    test_store_close(st, dir);
    free(sink.rows);
    return entries;
}

START_TEST(test_cleanup_long_run)
{
    const int rows = getenv("RV_TEST_SMALL") ? 20000 : 60000;
    int64_t first, second, end, nwm_end, f2, s2;

    end = long_run(rows, 3, &first, &second);
    /* flat: rows of the last ~13 s of event time (about 1300 rows and their index keys) */
    ck_assert_int_lt(second, 4000);
    ck_assert_int_le(second, first + first / 4);
    nwm_end = long_run(rows / 4, 0, &f2, &s2);
    ck_assert_int_eq(nwm_end, rows / 4); /* without watermarks every row stays */
    if (getenv("RV_JOIN_BENCH") != NULL)
        printf("join cleanup: %d rows: entries at the end %lld (max %lld / %lld in the first / "
               "second half); without watermarks %d rows: %lld\n",
               rows, (long long)end, (long long)first, (long long)second, rows / 4,
               (long long)nwm_end);
}
END_TEST

static Suite *
suite(void)
{
    Suite *s = suite_create("join_cleanup");
    TCase *tc = tcase_create("core");

    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_cleanup_exact);
    tcase_add_test(tc, test_cleanup_below_on_arrival);
    tcase_add_test(tc, test_cleanup_date);
    tcase_add_test(tc, test_cleanup_outer_and_unbounded);
    tcase_add_test(tc, test_cleanup_random);
    tcase_add_test(tc, test_cleanup_long_run);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
