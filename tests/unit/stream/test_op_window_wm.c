/*
 * tests/unit/stream/test_op_window_wm.c — stream/op_window.c's cleanup by
 * watermark ("Cleanup by watermark" there): with persistent state and an
 * input column declared to carry an event-time watermark (run.wm filled by
 * hand, as stream/job.c's plan_watermarks would), partitions whose
 * watermarked PARTITION BY value is below the watermark are deleted after a
 * barrier, and nothing is emitted for it.
 *
 * Input rows (k, t, v) of int4: t is event time (the watermarked column 1),
 * increasing round by round, sometimes NULL; k a small key, v the value
 * (window_test_util.h's calls read v). Each round pushes new rows (and
 * retracts a few live rows at or above the watermark, which the watermark's
 * contract allows), runs a barrier, hands the operator a watermark below
 * every future row, and checkpoints (sometimes a failed commit, a restart,
 * a barrier inside an epoch, a tiny cache budget). After every round:
 *   - the consolidated output equals an in-memory one-shot run over the live
 *     input multiset (cleanup emits nothing and loses nothing that matters);
 *   - the state table holds exactly the distinct live rows at or above the
 *     watermark or with a NULL t (bounded state), or every distinct live
 *     row when nothing may be dropped (the watermarked column is not a
 *     PARTITION BY column, or no watermark is known).
 * Plus a long input (entries with and without cleanup, printed).
 */
#include <check.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sql/catalog.h"
#include "stream/opstate.h"
#include "window_test_util.h"

#define NULLV INT32_MIN
#define MAXLIVE 20000

static char dir[256];

static int
rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(path);
}

static void
setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/rv-test-window-wm-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void
teardown(void)
{
    nftw(dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
}

/*
 * mode 0: PARTITION BY k, t (t goes first in the key) ORDER BY v DESC, ranking and frame calls;
 * mode 1: PARTITION BY t ORDER BY v DESC, k: row_number, rank, sum(v) (top-N per window);
 * mode 2: PARTITION BY k (t is watermarked but partitions nothing: no cleanup);
 * mode 3: PARTITION BY (t % 1000), an expression (no cleanup).
 */
typedef struct Shape {
    int mode;
    bool wm; /* t carries a watermark (run.wm) */
} Shape;

static bool
cleans(const Shape *sh)
{
    return sh->wm && (sh->mode == 0 || sh->mode == 1);
}

static Operator *
build_window(StreamRun *run, const Shape *sh)
{
    Arena *a = run->arena;
    PlanNode *in = plan_new(a, PLAN_VALUES, NULL, 3), *p;
    WindowPlan *w = arena_calloc(a, 1, sizeof *w);
    WindowCall *calls = arena_calloc(a, 24, sizeof(WindowCall));
    DfNode *node = arena_calloc(a, 1, sizeof *node);
    int n = 0;

    for (int c = 0; c < 3; c++)
        in->types[c] = TYPE_INT4;
    w->npart = sh->mode == 0 ? 2 : 1;
    w->part = arena_calloc(a, 2, sizeof(Expr *));
    w->part_orders = arena_calloc(a, 2, sizeof(TypeOrder));
    if (sh->mode == 0) {
        w->part[0] = test_col(a, 0, TYPE_INT4);
        w->part[1] = test_col(a, 1, TYPE_INT4);
    } else if (sh->mode == 1) {
        w->part[0] = test_col(a, 1, TYPE_INT4);
    } else if (sh->mode == 2) {
        w->part[0] = test_col(a, 0, TYPE_INT4);
    } else {
        w->part[0] = int4_op(a, "%", test_col(a, 1, TYPE_INT4),
                             expr_const(a, TYPE_INT4, datum_from_int32(1000), false, -1));
    }
    for (int k = 0; k < w->npart; k++)
        ck_assert(plan_type_order(TYPE_INT4, &w->part_orders[k]));
    w->norder = sh->mode == 1 ? 2 : 1;
    w->order = arena_calloc(a, 2, sizeof(Expr *));
    w->order_keys = arena_calloc(a, 2, sizeof(SortKey));
    w->order[0] = test_col(a, 2, TYPE_INT4);
    w->order[1] = test_col(a, 0, TYPE_INT4);
    for (int k = 0; k < 2; k++)
        ck_assert(plan_type_order(TYPE_INT4, &w->order_keys[k].order));
    w->order_keys[0].desc = w->order_keys[0].nulls_first = true; /* v DESC */
    win_set_frame(a, w, WIN_FRAME_DEFAULT);
    if (sh->mode == 1) {
        calls[n++] = win_call(WIN_ROW_NUMBER, TYPE_INT8);
        calls[n++] = win_call(WIN_RANK, TYPE_INT8);
        calls[n++] = win_agg(a, "sum", false);
    } else {
        n = win_ranking_calls(a, calls, n);
        n = win_frame_calls(a, calls, n);
    }
    w->ncalls = n;
    w->calls = calls;
    p = plan_new(a, PLAN_WINDOW, in, 3 + n);
    for (int c = 0; c < 3 + n; c++)
        p->types[c] = c < 3 ? TYPE_INT4 : calls[c - 3].rettype;
    p->u.window = w;
    node->kind = DF_WINDOW;
    node->plan = p;
    node->id = 2;
    return op_window_new(run, node);
}

/* Between the window and the Multiset: counts what it is pushed, fails when forbidden. */
typedef struct Tee {
    Operator op;
    Operator *next; /* NULL: discard */
    bool forbid;
    int64_t changes;
} Tee;

static int
tee_push(Operator *op, int port, const Batch *in, Err *err)
{
    Tee *t = (Tee *)op;

    ck_assert_msg(!t->forbid || in->n == 0, "%d changes emitted by a watermark", in->n);
    t->changes += in->n;
    return t->next != NULL ? t->next->vt->push(t->next, port, in, err) : 0;
}

static const OpVtbl tee_vt = {"tee", tee_push, test_no_flush, false, NULL};

typedef struct Rig {
    StreamRun run;
    Operator *op;
    Tee *tee;
} Rig;

/* A run over st (NULL: in memory, no watermark) writing into ms. */
static void
rig_open(Rig *r, const Shape *sh, StateStore *st, uint64_t owner, bool fresh, size_t budget,
         Multiset *ms)
{
    Err err;

    memset(r, 0, sizeof *r);
    r->run.arena = arena_create("window wm test run", 0);
    r->run.scratch = st != NULL ? arena_create("window wm test scratch", 0) : r->run.arena;
    r->run.ctx.arena = r->run.scratch;
    r->run.ctx.io = &type_io_default;
    if (st != NULL) {
        StreamStateOpts o = {st, owner, budget, fresh};

        err_clear(&err);
        ck_assert_msg(stream_state_new(&o, &r->run.state, &err) == 0, "%s", err.message);
        if (sh->wm) { /* what plan_watermarks finds for TUMBLE's window_start */
            r->run.wm = arena_calloc(r->run.arena, 1, sizeof(StreamWmInput));
            r->run.wm[0] = (StreamWmInput){2, 0, 1, NULL, false, 0};
            r->run.nwm = 1;
        }
    }
    r->op = build_window(&r->run, sh);
    r->tee = op_alloc(&r->run, sizeof(Tee), &tee_vt, NULL, r->op->ncols);
    if (ms != NULL)
        r->tee->next = &ms_sink_new(&r->run, r->op->ncols, ms, r->op->node->plan->types)->op;
    r->op->out = &r->tee->op;
}

static void
rig_close(Rig *r)
{
    stream_state_free(r->run.state);
    if (r->run.scratch != r->run.arena)
        arena_destroy(r->run.scratch);
    arena_destroy(r->run.arena);
}

static void
push_row(Rig *r, const int32_t *vals, int64_t w)
{
    Value v[3];
    int64_t wt = w;
    Batch b = {3, 1, v, &wt};
    Err err;

    for (int c = 0; c < 3; c++)
        v[c] = (Value){datum_from_int32(vals[c]), vals[c] == NULLV};
    err_clear(&err);
    ck_assert_msg(r->op->vt->push(r->op, 0, &b, &err) == 0, "push: %s", err.message);
    ck_assert_msg(op_emit(r->op, &err) == 0, "emit: %s", err.message);
}

static void
barrier(Rig *r)
{
    Err err;

    err_clear(&err);
    ck_assert_msg(r->op->vt->flush(r->op, &err) == 0, "flush: %s", err.message);
    ck_assert_msg(op_emit(r->op, &err) == 0, "emit: %s", err.message);
}

/* As stream_job_watermark: after the barrier, nothing emitted, the scratch emptied. */
static void
watermark(Rig *r, int32_t w)
{
    Err err;

    err_clear(&err);
    r->tee->forbid = true;
    for (int i = 0; i < r->run.nwm; i++) {
        ck_assert_ptr_nonnull(r->op->vt->watermark);
        ck_assert_msg(r->op->vt->watermark(r->op, 0, r->run.wm[i].col, datum_from_int32(w),
                                           &err) == 0,
                      "watermark: %s", err.message);
    }
    ck_assert_msg(op_emit(r->op, &err) == 0, "emit: %s", err.message);
    r->tee->forbid = false;
    arena_reset(r->run.scratch);
}

static void
checkpoint(Rig *r, StateStore *st, uint64_t epoch_no, bool fail)
{
    StateEpoch *ep;
    Err err;

    arena_reset(r->run.scratch);
    err_clear(&err);
    ck_assert_msg(state_epoch_begin(st, epoch_no, &ep, &err) == 0, "%s", err.message);
    ck_assert_msg(stream_state_flush(r->run.state, ep, &err) == 0, "%s", err.message);
    if (fail)
        state_epoch_abort(ep);
    else
        ck_assert_msg(state_epoch_commit(ep, &err) == 0, "commit: %s", err.message);
    stream_state_committed(r->run.state, !fail);
}

/* The entries of the window's state table (the cache merged with the committed table). */
static int64_t
state_rows(Rig *r)
{
    StateCache *sc;
    StateCacheIter *it;
    StateBytes k, v;
    int64_t n = 0;
    int rc;
    Err err;

    err_clear(&err);
    ck_assert_msg(stream_state_cache(&r->run, r->op->node, "r", &sc, &err) == 0, "%s",
                  err.message);
    ck_assert_msg(statecache_iter_open(sc, NULL, false, &it, &err) == 0, "%s", err.message);
    while ((rc = statecache_iter_next(it, &k, &v, &err)) > 0)
        n++;
    ck_assert_msg(rc == 0, "%s", err.message);
    statecache_iter_close(it);
    ck_assert_msg(stream_state_release(r->run.state, &err) == 0, "%s", err.message);
    return n;
}

/* The live input: distinct rows with their weights. */
typedef struct Live {
    int n;
    int32_t rows[MAXLIVE][3];
    int64_t w[MAXLIVE];
} Live;

static void
live_add(Live *l, const int32_t *row, int64_t w)
{
    for (int i = 0; i < l->n; i++) {
        if (memcmp(l->rows[i], row, sizeof l->rows[i]) == 0) {
            l->w[i] += w;
            if (l->w[i] == 0) {
                l->n--;
                memcpy(l->rows[i], l->rows[l->n], sizeof l->rows[i]);
                l->w[i] = l->w[l->n];
            }
            return;
        }
    }
    ck_assert_int_lt(l->n, MAXLIVE);
    memcpy(l->rows[l->n], row, sizeof l->rows[0]);
    l->w[l->n++] = w;
}

/* Distinct live rows a state may still need: t NULL or t >= wm (wm NULLV: all). */
static int64_t
live_needed(const Live *l, int32_t wm)
{
    int64_t n = 0;

    for (int i = 0; i < l->n; i++)
        n += wm == NULLV || l->rows[i][1] == NULLV || l->rows[i][1] >= wm;
    return n;
}

static char *
oneshot(const Shape *sh, const Live *live)
{
    Multiset ms = {0};
    Rig r;
    char *text;

    rig_open(&r, sh, NULL, 0, false, 0, &ms);
    for (int i = 0; i < live->n; i++)
        push_row(&r, live->rows[i], live->w[i]);
    barrier(&r);
    rig_close(&r);
    text = ms_text(&ms);
    ms_free(&ms);
    return text;
}

static StateStore *
open_store(void)
{
    StateStore *st = NULL;
    StateOptions o = {.map_size = (size_t)1 << 26};
    Err err;

    err_clear(&err);
    ck_assert_msg(state_open(dir, &o, &st, &err) == 0, "open: %s", err.message);
    return st;
}

static unsigned
nseeds(unsigned n)
{
    return getenv("RV_TEST_SMALL") != NULL ? 1 : n;
}

/*
 * rounds of: new rows at event time >= now (some NULL), a few retractions of live rows at or
 * above the watermark, a barrier, a new watermark, a checkpoint. Returns the state's entries at
 * the end (checked against the live rows every round).
 */
static int64_t
scenario(const Shape *sh, unsigned seed, uint64_t owner, StateStore *st, int rounds, int per,
         bool compare)
{
    Multiset out = {0};
    Live *live = calloc(1, sizeof *live);
    uint64_t epoch = state_last_epoch(st);
    size_t budget = seed % 2 ? 4096 : 0; /* tiny: evictions all the time */
    int32_t now = 100, wm = NULLV;
    int64_t entries = 0;
    bool pending = false; /* deltas of a round without a barrier */
    Rig r;

    win_rng = seed;
    rig_open(&r, sh, st, owner, true, budget, compare ? &out : NULL);
    for (int round = 0; round < rounds; round++) {
        int changes = 1 + win_rand() % per, what = win_rand() % 16;

        now += 1 + win_rand() % 3;
        for (int c = 0; c < changes; c++) {
            int32_t row[3];

            if (live->n > 0 && win_rand() % 5 == 0) { /* a retraction the watermark allows */
                int victim = win_rand() % live->n;

                if (wm != NULLV && live->rows[victim][1] != NULLV && live->rows[victim][1] < wm)
                    continue;
                memcpy(row, live->rows[victim], sizeof row);
                push_row(&r, row, -1);
                live_add(live, row, -1);
                continue;
            }
            row[0] = win_rand() % 4 == 0 ? NULLV : win_rand() % 3;
            row[1] = win_rand() % 12 == 0 ? NULLV : now + win_rand() % 4;
            row[2] = win_rand() % 10 == 0 ? NULLV : win_rand() % 7;
            push_row(&r, row, 1);
            live_add(live, row, 1);
        }
        if (win_rand() % 6 == 0 && round < rounds - 1) { /* two rounds of deltas, one barrier */
            pending = true;
            continue;
        }
        pending = false;
        barrier(&r);
        if (sh->wm) { /* below every future row: they all have t >= now + 1 */
            int32_t w = now - win_rand() % 4;

            if (wm == NULLV || w > wm)
                wm = w;
            watermark(&r, wm);
        }
        if (what == 4 || (!compare && round % 25 != 24)) { /* a barrier within an epoch */
            arena_reset(r.run.scratch);
        } else if (what == 0) { /* a failed commit: the run goes on */
            checkpoint(&r, st, epoch + 1, true);
        } else {
            checkpoint(&r, st, ++epoch, false);
            if (what == 3 || round % 9 == 8) { /* a restart over the committed state */
                rig_close(&r);
                rig_open(&r, sh, st, owner, false, budget, compare ? &out : NULL);
            }
        }
        if (compare) {
            char *want = oneshot(sh, live), *got = ms_text(&out);

            ck_assert_msg(strcmp(want, got) == 0, "mode %d seed %u round %d: want\n%s\ngot\n%s",
                          sh->mode, seed, round, want, got);
            free(want);
            free(got);
        }
        if (!compare && round % 100 != 99 && round != rounds - 1)
            continue; /* a long run: counted now and then */
        entries = state_rows(&r);
        ck_assert_msg(entries == live_needed(live, cleans(sh) ? wm : NULLV),
                      "mode %d seed %u round %d: %lld state entries, want %lld (of %d live)",
                      sh->mode, seed, round, (long long)entries,
                      (long long)live_needed(live, cleans(sh) ? wm : NULLV), live->n);
    }
    ck_assert(!pending);
    rig_close(&r);
    ms_free(&out);
    free(live);
    return entries;
}

START_TEST(test_window_wm_random)
{
    StateStore *st = open_store();
    uint64_t owner = 100;

    for (int mode = 0; mode < 4; mode++) {
        for (int wm = 0; wm < 2; wm++) {
            Shape sh = {mode, wm == 1};

            for (unsigned seed = 1; seed <= nseeds(4); seed++)
                scenario(&sh, seed * 71 + (unsigned)(mode * 2 + wm), owner++, st, 40, 8, true);
        }
    }
    state_close(st);
}
END_TEST

/* A long input: the state stays at a few windows' rows with cleanup, and grows without. */
START_TEST(test_window_wm_long)
{
    StateStore *st = open_store();
    Shape with = {1, true}, without = {1, false};
    int64_t a = scenario(&with, 8, 900, st, 2000, 10, false);
    int64_t b = scenario(&without, 8, 901, st, 2000, 10, false);

    printf("window wm: 2000 barriers of 1-10 changes: %lld state entries with cleanup, %lld "
           "without\n",
           (long long)a, (long long)b);
    ck_assert_int_lt(a, 200);
    ck_assert_int_gt(b, 10 * a);
    state_close(st);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("op_window_wm");
    TCase *tc = tcase_create("core");
    SRunner *sr;
    int failed;

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_window_wm_random);
    tcase_add_test(tc, test_window_wm_long);
    tcase_set_timeout(tc, 120);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : EXIT_FAILURE;
}
