/*
 * tests/unit/stream/test_op_state_misc.c — op_topn, op_setop and op_window
 * with persistent state (stream/opstate.h): random inserts and deletes over
 * many barriers, a checkpoint after most (flush into an epoch and commit),
 * some barriers inside an epoch, now and then a commit that fails (the run
 * goes on, or is thrown away and reopened), a restart (the run freed and
 * reopened over the same store) every few barriers, and a tiny cache budget
 * so entries are evicted and read back all the time. After every barrier
 * the consolidated output must equal an in-memory one-shot run over the
 * input multiset (what was committed, after a rollback). Also: rows longer
 * than a state key, a rebuild over stale tables, the memory budget. Each
 * test works in its own temporary directory (runs the same under
 * CK_FORK=no and Valgrind). Window calls are built and outputs printed by
 * window_test_util.c, as in test_op_window.c.
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
#define MAXCOLS 4

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
    snprintf(dir, sizeof dir, "/tmp/rv-test-opstate-misc-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void
teardown(void)
{
    nftw(dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
}

/* ---- a consolidated multiset of output rows (Multiset: window_test_util.h) --------------- */

static void
ms_copy(Multiset *dst, const Multiset *src)
{
    ms_free(dst);
    for (int i = 0; i < src->n; i++) {
        if (src->counts[i] != 0)
            ms_add(dst, src->rows[i], src->counts[i]);
    }
}

/* ---- operators built by hand ------------------------------------------------------------ */

typedef struct Shape {
    int kind;           /* 0 topn, 1 setop, 2 window */
    int nin;            /* input columns */
    int nports;         /* 1, or 2 for set operations */
    int sort;           /* topn: 0 none, 1 a DESC, 2 a ASC NULLS FIRST, b DESC NULLS LAST */
    int lim;            /* topn: -1 none */
    int off;            /* topn: -1 none */
    int setop;          /* PlanSetOpKind */
    bool all;           /* setop */
    int frame;          /* window */
    int wkind;          /* window: 0 ranking etc., 1 frame functions, 2 over a text value */
    bool worder;        /* window: with ORDER BY */
    int textcol;        /* the input column of type text (codes: text_of), 0: none */
    bool unique_prefix; /* text values never share their first 440 bytes */
} Shape;

/*
 * The text of code 0..7: c1 repeated, then c2. Most are longer than a state key may be
 * (stream/opkey.h "Long keys"); codes 1 and 5 (3 and 7) share 500+ bytes unless unique_prefix.
 */
static Datum
text_of(Arena *a, const Shape *sh, int32_t code)
{
    size_t len = code % 4 == 0 ? 3 : 500 + 100 * (size_t)(code % 4);
    char *s = malloc(len + 1);
    Datum d;

    memset(s, sh->unique_prefix ? 'a' + code : 'a' + code % 2, len);
    s[len] = code / 4 ? 'q' : 'p';
    d = datum_from_text(a, s, len + 1);
    free(s);
    return d;
}

static DfNode *
new_node(Arena *a, DfKind kind, PlanNode *plan)
{
    DfNode *node = arena_calloc(a, 1, sizeof *node);

    node->kind = kind;
    node->plan = plan;
    node->id = 3;
    return node;
}

static Operator *
build_topn(StreamRun *run, const Shape *sh)
{
    Arena *a = run->arena;
    PlanNode *sort = NULL, *limit = NULL;
    DfNode *node;
    int n = 2;

    if (sh->sort > 0) {
        sort = plan_new(a, PLAN_SORT, NULL, n);
        sort->u.sort.nkeys = sh->sort;
        sort->u.sort.keys = arena_calloc(a, 2, sizeof(SortKey));
        sort->u.sort.keys[0] = (SortKey){0, sh->sort == 1, sh->sort != 1, {0}};
        sort->u.sort.keys[1] = (SortKey){1, true, false, {0}};
        for (int k = 0; k < 2; k++)
            ck_assert(plan_type_order(TYPE_INT4, &sort->u.sort.keys[k].order));
    }
    if (sh->lim >= 0 || sh->off >= 0) {
        limit = plan_new(a, PLAN_LIMIT, sort, n);
        if (sh->lim >= 0)
            limit->u.limit.limit = expr_const(a, TYPE_INT8, datum_from_int64(sh->lim), false, -1);
        if (sh->off >= 0)
            limit->u.limit.offset = expr_const(a, TYPE_INT8, datum_from_int64(sh->off), false, -1);
    }
    node = new_node(a, DF_TOPN, limit != NULL ? limit : sort);
    for (int c = 0; c < n; c++)
        node->plan->types[c] = c == sh->textcol && c > 0 ? TYPE_TEXT : TYPE_INT4;
    if (sort != NULL)
        memcpy(sort->types, node->plan->types, sizeof(Oid) * (size_t)n);
    if (sort != NULL && sh->textcol == 1)
        ck_assert(plan_type_order(TYPE_TEXT, &sort->u.sort.keys[1].order));
    node->sort = sort;
    node->limit = limit;
    return op_topn_new(run, node);
}

static Operator *
build_setop(StreamRun *run, const Shape *sh)
{
    Arena *a = run->arena;
    PlanNode *l = plan_new(a, PLAN_VALUES, NULL, 2), *r = plan_new(a, PLAN_VALUES, NULL, 2);
    PlanNode *p = plan_new(a, PLAN_SETOP, l, 2);

    p->right = r;
    for (int c = 0; c < 2; c++)
        l->types[c] = r->types[c] = p->types[c] = c == sh->textcol && c > 0 ? TYPE_TEXT : TYPE_INT4;
    p->u.setop.op = (PlanSetOpKind)sh->setop;
    p->u.setop.all = sh->all;
    return op_setop_new(run, new_node(a, DF_SETOP, p));
}

/*
 * Over (p, o, v) int4: PARTITION BY p [ORDER BY o DESC] (an expression partition key: p % 2
 * when the frame is the default one, to vary), frame and calls as test_op_window.c.
 */
static Operator *
build_window(StreamRun *run, const Shape *sh)
{
    Arena *a = run->arena;
    PlanNode *in = plan_new(a, PLAN_VALUES, NULL, 3), *p;
    WindowPlan *w = arena_calloc(a, 1, sizeof *w);
    WindowCall *calls = arena_calloc(a, 16, sizeof(WindowCall));
    int n = 0, frame = sh->frame;

    for (int c = 0; c < 3; c++)
        in->types[c] = c == sh->textcol && c > 0 ? TYPE_TEXT : TYPE_INT4;
    w->npart = 1;
    w->part = arena_calloc(a, 1, sizeof(Expr *));
    w->part[0] = frame == WIN_FRAME_DEFAULT
                     ? int4_op(a, "%", test_col(a, 0, TYPE_INT4),
                              expr_const(a, TYPE_INT4, datum_from_int32(2), false, -1))
                     : test_col(a, 0, TYPE_INT4);
    w->part_orders = arena_calloc(a, 1, sizeof(TypeOrder));
    ck_assert(plan_type_order(TYPE_INT4, &w->part_orders[0]));
    w->norder = sh->worder ? 1 : 0;
    w->order = arena_calloc(a, 1, sizeof(Expr *));
    w->order[0] = test_col(a, 1, TYPE_INT4);
    w->order_keys = arena_calloc(a, 1, sizeof(SortKey));
    ck_assert(plan_type_order(TYPE_INT4, &w->order_keys[0].order));
    /* RANGE offsets assume ascending order values */
    w->order_keys[0].desc = w->order_keys[0].nulls_first = !(frame & WIN_FRAME_RANGE);
    win_set_frame(a, w, frame);
    if (sh->wkind == 2) { /* over the text column v */
        calls[n++] = win_call(WIN_ROW_NUMBER, TYPE_INT8);
        calls[n++] = win_call(WIN_RANK, TYPE_INT8);
        for (int k = 0; k < 3; k++) {
            calls[n] = win_call_args(a,
                                 k == 0   ? WIN_FIRST_VALUE
                                 : k == 1 ? WIN_LAST_VALUE
                                          : WIN_LAG,
                                 1, 0, 0);
            calls[n].args[0] = test_col(a, 2, TYPE_TEXT);
            calls[n++].rettype = TYPE_TEXT;
        }
        calls[n++] = win_agg(a, "count", true);
    }
    if (sh->wkind == 0)
        n = win_ranking_calls(a, calls, n);
    if (sh->wkind != 2)
        n = win_frame_calls(a, calls, n);
    w->ncalls = n;
    w->calls = calls;
    p = plan_new(a, PLAN_WINDOW, in, 3 + n);
    for (int c = 0; c < 3 + n; c++)
        p->types[c] = c < 3 ? in->types[c] : calls[c - 3].rettype;
    p->u.window = w;
    return op_window_new(run, new_node(a, DF_WINDOW, p));
}

static Operator *
build(StreamRun *run, const Shape *sh)
{
    return sh->kind == 0   ? build_topn(run, sh)
           : sh->kind == 1 ? build_setop(run, sh)
                           : build_window(run, sh);
}

/* ---- runs ------------------------------------------------------------------------------- */

typedef struct Rig {
    StreamRun run;
    Operator *op;
    MultisetSink *sink;
} Rig;

/* A run over st (NULL: in memory) writing into ms. */
static void
rig_open(Rig *r, const Shape *sh, StateStore *st, uint64_t owner, bool fresh, size_t budget,
         Multiset *ms)
{
    Err err;

    memset(r, 0, sizeof *r);
    r->run.arena = arena_create("opstate test run", 0);
    r->run.scratch = st != NULL ? arena_create("opstate test scratch", 0) : r->run.arena;
    r->run.ctx.arena = r->run.scratch;
    r->run.ctx.io = &type_io_default;
    if (st != NULL) {
        StreamStateOpts o = {st, owner, budget, fresh};

        err_clear(&err);
        ck_assert_msg(stream_state_new(&o, &r->run.state, &err) == 0, "%s", err.message);
    }
    r->op = build(&r->run, sh);
    r->sink = ms_sink_new(&r->run, r->op->ncols, ms, r->op->node->plan->types);
    r->op->out = &r->sink->op;
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
push_row(Rig *r, const Shape *sh, int port, const int32_t *vals, int ncols, int64_t w)
{
    Batch b;
    Value v[MAXCOLS];
    int64_t wt = w;
    Err err;

    for (int c = 0; c < ncols; c++) {
        v[c] = (Value){datum_from_int32(vals[c]), vals[c] == NULLV};
        if (c == sh->textcol && c > 0 && vals[c] != NULLV)
            v[c].d = text_of(r->run.scratch, sh, vals[c]);
    }
    b = (Batch){ncols, 1, v, &wt};
    err_clear(&err);
    ck_assert_msg(r->op->vt->push(r->op, port, &b, &err) == 0, "push: %s", err.message);
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

/*
 * After a barrier, as stream/job.c: empties the scratch, flushes the state into epoch epoch_no
 * and commits it (or aborts: fail).
 */
static bool
checkpoint(Rig *r, StateStore *st, uint64_t epoch_no, bool fail)
{
    StateEpoch *ep;
    Err err;
    bool ok = !fail;

    arena_reset(r->run.scratch);
    err_clear(&err);
    ck_assert_msg(state_epoch_begin(st, epoch_no, &ep, &err) == 0, "%s", err.message);
    ck_assert_msg(stream_state_flush(r->run.state, ep, &err) == 0, "%s", err.message);
    if (fail)
        state_epoch_abort(ep);
    else
        ck_assert_msg(state_epoch_commit(ep, &err) == 0, "commit: %s", err.message);
    stream_state_committed(r->run.state, ok);
    return ok;
}

/* The input multiset: rows with their port. */
typedef struct Live {
    int n;
    int32_t rows[512][MAXCOLS + 1]; /* port, then the columns */
} Live;

/* An in-memory one-shot run over live: its output text (malloc'd). */
static char *
oneshot(const Shape *sh, const Live *live)
{
    Multiset ms = {0};
    Rig r;
    char *text;

    rig_open(&r, sh, NULL, 0, false, 0, &ms);
    for (int i = 0; i < live->n; i++)
        push_row(&r, sh, live->rows[i][0], &live->rows[i][1], sh->nin, 1);
    barrier(&r);
    rig_close(&r);
    text = ms_text(&ms);
    ms_free(&ms);
    return text;
}

static int32_t
rand_val(int domain)
{
    int v = win_rand() % (domain + 1);

    return v == domain ? NULLV : v;
}

/* One scenario: rounds of random changes with checkpoints, failures and restarts. */
static void
scenario(const Shape *sh, unsigned seed, uint64_t owner, StateStore *st)
{
    Multiset out = {0}, out_ok = {0};
    Live *live = calloc(1, sizeof *live), *live_ok = calloc(1, sizeof *live_ok);
    uint64_t epoch = state_last_epoch(st);
    size_t budget = seed % 2 ? 2048 : 0; /* tiny: evictions all the time */
    Rig r;

    win_rng = seed;
    rig_open(&r, sh, st, owner, true, budget, &out);
    for (int round = 0; round < 30; round++) {
        int changes = 1 + win_rand() % 8, what = win_rand() % 16;
        char *want, *got;

        for (int k = 0; k < changes; k++) {
            if (live->n > 0 && win_rand() % 3 == 0) {
                int victim = win_rand() % live->n;

                push_row(&r, sh, live->rows[victim][0], &live->rows[victim][1], sh->nin, -1);
                memcpy(live->rows[victim], live->rows[--live->n], sizeof live->rows[0]);
            } else if (live->n < 512) {
                int32_t *row = live->rows[live->n++];

                row[0] = sh->nports > 1 ? win_rand() % 2 : 0;
                for (int c = 0; c < sh->nin; c++)
                    row[1 + c] = rand_val(c == 0 ? 3 : c == sh->textcol ? 8 : 4);
                push_row(&r, sh, row[0], &row[1], sh->nin, 1);
            }
        }
        if (win_rand() % 5 == 0) /* sometimes two deltas before one barrier */
            continue;
        barrier(&r);
        if (what == 4 || what == 5) { /* a barrier within an epoch (a backfill's) */
            arena_reset(r.run.scratch);
        } else if (what == 0 || what == 1) { /* a failed commit: the run goes on */
            checkpoint(&r, st, epoch + 1, true);
        } else if (what == 2) { /* a failed commit: the run thrown away, back to the last commit */
            checkpoint(&r, st, epoch + 1, true);
            rig_close(&r);
            ms_copy(&out, &out_ok);
            memcpy(live, live_ok, sizeof *live);
            rig_open(&r, sh, st, owner, false, budget, &out);
        } else {
            checkpoint(&r, st, ++epoch, false);
            ms_copy(&out_ok, &out);
            memcpy(live_ok, live, sizeof *live);
            if (what == 3 || round % 7 == 6) { /* a restart */
                rig_close(&r);
                rig_open(&r, sh, st, owner, false, budget, &out);
            }
        }
        want = oneshot(sh, live);
        got = ms_text(&out);
        ck_assert_msg(strcmp(want, got) == 0, "seed %u round %d: want\n%s\ngot\n%s", seed, round,
                      want, got);
        free(want);
        free(got);
    }
    rig_close(&r);
    ms_free(&out);
    ms_free(&out_ok);
    free(live);
    free(live_ok);
}

static StateStore *
open_store(void)
{
    StateStore *st = NULL;
    StateOptions o = {.map_size = (size_t)1 << 24};
    Err err;

    err_clear(&err);
    ck_assert_msg(state_open(dir, &o, &st, &err) == 0, "open: %s", err.message);
    return st;
}

/* RV_TEST_SMALL (make test-valgrind): one seed per shape instead of n. */
static unsigned
nseeds(unsigned n)
{
    return getenv("RV_TEST_SMALL") != NULL ? 1 : n;
}

START_TEST(test_topn_state)
{
    const int sorts[] = {1, 2, 0}, lims[] = {3, -1, 0, 1, 5}, offs[] = {-1, 2, 0};
    StateStore *st = open_store();
    uint64_t owner = 100;

    for (int s = 0; s < 3; s++) {
        for (int l = 0; l < 5; l++) {
            for (int o = 0; o < 3; o++) {
                Shape sh = {.kind = 0, .nin = 2, .nports = 1};

                sh.sort = sorts[s];
                sh.lim = lims[l];
                sh.off = offs[o];
                if (sh.sort == 0 && sh.lim < 0 && sh.off < 0)
                    continue;
                for (unsigned seed = 1; seed <= nseeds(2); seed++)
                    scenario(&sh, seed * 97 + (unsigned)(s * 15 + l * 3 + o), owner++, st);
            }
        }
    }
    state_close(st);
}
END_TEST

START_TEST(test_setop_state)
{
    StateStore *st = open_store();
    uint64_t owner = 200;

    for (int kind = PLAN_SETOP_UNION; kind <= PLAN_SETOP_EXCEPT; kind++) {
        for (int all = 0; all < 2; all++) {
            Shape sh = {.kind = 1, .nin = 2, .nports = 2, .setop = kind, .all = all};

            for (unsigned seed = 1; seed <= nseeds(5); seed++)
                scenario(&sh, seed * 131 + (unsigned)(kind * 2 + all), owner++, st);
        }
    }
    state_close(st);
}
END_TEST

START_TEST(test_window_state)
{
    const int frames[] = {
        WIN_FRAME_DEFAULT,
        WIN_FRAME_NONDEFAULT | WIN_FRAME_ROWS | WIN_FRAME_BETWEEN |
            WIN_FRAME_START_OFFSET_PRECEDING | WIN_FRAME_END_OFFSET_FOLLOWING,
        WIN_FRAME_NONDEFAULT | WIN_FRAME_RANGE | WIN_FRAME_BETWEEN | WIN_FRAME_START_CURRENT_ROW |
            WIN_FRAME_END_UNBOUNDED_FOLLOWING,
        WIN_FRAME_NONDEFAULT | WIN_FRAME_GROUPS | WIN_FRAME_BETWEEN |
            WIN_FRAME_START_OFFSET_PRECEDING | WIN_FRAME_END_OFFSET_FOLLOWING,
        WIN_FRAME_NONDEFAULT | WIN_FRAME_RANGE | WIN_FRAME_BETWEEN |
            WIN_FRAME_START_OFFSET_PRECEDING | WIN_FRAME_END_OFFSET_FOLLOWING,
        WIN_FRAME_NONDEFAULT | WIN_FRAME_ROWS | WIN_FRAME_BETWEEN |
            WIN_FRAME_START_OFFSET_PRECEDING | WIN_FRAME_END_OFFSET_FOLLOWING |
            WIN_FRAME_EXCLUDE_TIES,
    };
    StateStore *st = open_store();
    uint64_t owner = 300;

    for (size_t f = 0; f < sizeof frames / sizeof frames[0]; f++) {
        for (unsigned seed = 1; seed <= nseeds(4); seed++) {
            Shape sh = {.kind = 2, .nin = 3, .nports = 1, .frame = frames[f]};

            sh.wkind = f == 0 ? 0 : 1;
            sh.worder = !(f == 0 && seed == 4);
            scenario(&sh, seed * 53 + (unsigned)f, owner++, st);
        }
    }
    state_close(st);
}
END_TEST

/*
 * A fresh run (a rebuild) over tables holding older state, whose first barrier has no input:
 * the old state must be gone after its first commit, also for a run reopened then.
 */
START_TEST(test_fresh_over_stale)
{
    Shape shapes[] = {
        {.kind = 0, .nin = 2, .nports = 1, .sort = 1, .lim = 2, .off = -1},
        {.kind = 1, .nin = 2, .nports = 2, .setop = PLAN_SETOP_UNION},
        {.kind = 2, .nin = 3, .nports = 1, .frame = WIN_FRAME_DEFAULT, .worder = true},
    };
    StateStore *st = open_store();
    uint64_t epoch = 0;

    for (int s = 0; s < 3; s++) {
        const Shape *sh = &shapes[s];
        Multiset ms = {0};
        Live *live = calloc(1, sizeof *live);
        char *want, *got;
        Rig r;

        rig_open(&r, sh, st, 600 + (uint64_t)s, true, 0, &ms);
        for (int32_t i = 0; i < 6; i++) {
            int32_t row[3] = {i % 3, i, 7};

            push_row(&r, sh, 0, row, sh->nin, 1);
        }
        barrier(&r);
        checkpoint(&r, st, ++epoch, false);
        rig_close(&r);
        ms_free(&ms);
        rig_open(&r, sh, st, 600 + (uint64_t)s, true, 0, &ms); /* the rebuild */
        barrier(&r);
        checkpoint(&r, st, ++epoch, false);
        rig_close(&r);
        rig_open(&r, sh, st, 600 + (uint64_t)s, false, 0, &ms);
        for (int32_t i = 0; i < 3; i++) {
            int32_t *row = live->rows[live->n++];

            row[0] = 0, row[1] = i % 3, row[2] = i, row[3] = 7; /* as before the rebuild */
            push_row(&r, sh, 0, &row[1], sh->nin, 1);
        }
        barrier(&r);
        checkpoint(&r, st, ++epoch, false);
        rig_close(&r);
        want = oneshot(sh, live);
        got = ms_text(&ms);
        ck_assert_msg(strcmp(want, got) == 0, "shape %d: want\n%s\ngot\n%s", s, want, got);
        free(want);
        free(got);
        ms_free(&ms);
        free(live);
    }
    state_close(st);
}
END_TEST

/* Every output row's summed weight (the output's size). */
static int64_t
ms_total(const Multiset *m)
{
    int64_t total = 0;

    for (int i = 0; i < m->n; i++)
        total += m->counts[i];
    return total;
}

/*
 * Memory is a cache: 20 barriers of 1000 new rows each with a 256 KiB budget; after every
 * commit the caches hold at most the budget, and the output has the expected size.
 */
START_TEST(test_budget)
{
    Shape shapes[] = {
        {.kind = 0, .nin = 2, .nports = 1, .sort = 1, .lim = 5, .off = 3},
        {.kind = 1, .nin = 2, .nports = 2, .setop = PLAN_SETOP_UNION},
        {.kind = 2,
         .nin = 3,
         .nports = 1,
         .frame = WIN_FRAME_NONDEFAULT | WIN_FRAME_ROWS | WIN_FRAME_BETWEEN |
                  WIN_FRAME_START_OFFSET_PRECEDING | WIN_FRAME_END_OFFSET_FOLLOWING,
         .wkind = 1,
         .worder = true},
    };
    const size_t budget = 256 * 1024;
    StateStore *st = open_store();
    uint64_t epoch = 0;

    for (int s = 0; s < 3; s++) {
        const Shape *sh = &shapes[s];
        Multiset ms = {0};
        size_t bytes = 0, entries = 0, most = 0;
        Rig r;

        rig_open(&r, sh, st, 700 + (uint64_t)s, true, budget, &ms);
        for (int32_t b = 0; b < 20; b++) {
            for (int32_t i = 0; i < 1000; i++) {
                int32_t id = b * 1000 + i, row[3] = {id, id / 3, id % 7};

                if (s == 2) /* window: 1000 partitions */
                    row[0] = id % 1000, row[1] = id / 1000;
                push_row(&r, sh, id % 2, row, sh->nin, 1);
            }
            barrier(&r);
            checkpoint(&r, st, ++epoch, false);
            stream_state_usage(r.run.state, &bytes, &entries);
            ck_assert_msg(bytes <= budget, "shape %d barrier %d: %zu bytes", s, b, bytes);
            most = bytes > most ? bytes : most;
        }
        ck_assert_uint_gt(most, budget / 4); /* the cache was used */
        ck_assert_int_eq(ms_total(&ms), s == 0 ? 5 : 20000);
        rig_close(&r);
        ms_free(&ms);
    }
    state_close(st);
}
END_TEST

/* Rows longer than a state key: cut keys with a hash (stream/opkey.h "Long keys"). */
START_TEST(test_long_rows)
{
    StateStore *st = open_store();
    uint64_t owner = 400;

    for (unsigned seed = 1; seed <= nseeds(6); seed++) {
        Shape topn = {.kind = 0, .nin = 2, .nports = 1, .sort = 1, .lim = 3, .off = 1};
        Shape setop = {.kind = 1, .nin = 2, .nports = 2, .setop = PLAN_SETOP_EXCEPT};
        Shape win = {.kind = 2, .nin = 3, .nports = 1, .frame = WIN_FRAME_DEFAULT, .wkind = 2};

        topn.textcol = setop.textcol = 1;
        topn.unique_prefix = true;
        win.textcol = 2;
        win.worder = seed % 2;
        setop.all = seed % 2;
        scenario(&topn, seed * 7, owner++, st);
        scenario(&setop, seed * 11, owner++, st);
        scenario(&win, seed * 13, owner++, st);
    }
    state_close(st);
}
END_TEST

/* An ORDER BY value longer than a key may be: 54000 (a state key is never cut there). */
START_TEST(test_long_sort_key)
{
    StateStore *st = open_store();
    Shape sh = {.kind = 0, .nin = 2, .nports = 1, .sort = 2, .lim = 3, .off = -1, .textcol = 1};
    Multiset ms = {0};
    int32_t row[2] = {1, 2};
    Value v[2];
    int64_t w = 1;
    Batch b = {2, 1, v, &w};
    Rig r;
    Err err;

    rig_open(&r, &sh, st, 500, true, 0, &ms);
    v[0] = (Value){datum_from_int32(row[0]), false};
    v[1] = (Value){text_of(r.run.scratch, &sh, row[1]), false};
    err_clear(&err);
    ck_assert_int_eq(r.op->vt->push(r.op, 0, &b, &err), -1);
    ck_assert_str_eq(err.sqlstate, "54000");
    rig_close(&r);
    ms_free(&ms);
    state_close(st);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("op_state_misc");
    TCase *tc = tcase_create("core");
    SRunner *sr;
    int failed;

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_topn_state);
    tcase_add_test(tc, test_setop_state);
    tcase_add_test(tc, test_window_state);
    tcase_add_test(tc, test_long_rows);
    tcase_add_test(tc, test_fresh_over_stale);
    tcase_add_test(tc, test_budget);
    tcase_add_test(tc, test_long_sort_key);
    tcase_set_timeout(tc, 120);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
