/*
 * tests/unit/stream/test_op_session_state.c — stream/op_session.c with
 * persistent state (stream/opstate.h) and its cleanup by watermark.
 *
 * Input rows (id, k, ts): id int4 or text (long texts: "r" keys cut with a
 * hash), k int4 or text (the session key, or no key at all), ts timestamp;
 * NULLs in every column. Scenarios as tests/unit/stream/test_op_state_misc.c:
 * random inserts and deletes (duplicates too: weights above 1) over many
 * barriers, a checkpoint after most, some barriers inside an epoch, failed
 * commits (the run goes on, or is thrown away and reopened), restarts, and a
 * tiny cache budget now and then. After every barrier the consolidated
 * output must equal an in-memory one-shot run over the live multiset.
 *
 * With a watermark (run.wm filled by hand, as stream/job.c's
 * plan_watermarks would, on ts): rows arrive with ts >= the watermark and
 * only such live rows are retracted (the contract); after each barrier the
 * operator is handed a higher watermark W, and then "r" must hold exactly
 * the distinct live rows of the sessions ending after W (with their
 * weights) and "e" exactly those sessions' ends: state bounded, output
 * unchanged. Without a watermark on ts the same calls drop nothing.
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

#define NULLV INT64_MIN
#define SEC INT64_C(1000000)
#define MAXLIVE 512

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
    snprintf(dir, sizeof dir, "/tmp/rv-test-session-state-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void
teardown(void)
{
    nftw(dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
}

typedef struct Shape {
    bool idtext;  /* id is text (codes 0..7, most longer than a state key) */
    bool ktext;   /* k is text ("k<code>") */
    int nkeys;    /* 0: one session space; 1: per k */
    int64_t gap;  /* µs */
    bool wm;      /* ts carries a watermark */
    bool wm_rows; /* rows arrive above a rising watermark (also without wm: no-op calls) */
} Shape;

static Datum
id_text(Arena *a, int64_t code)
{
    size_t len = code % 4 == 0 ? 3 : 500 + 100 * (size_t)(code % 4);
    char *s = malloc(len + 1);
    Datum d;

    memset(s, 'a' + (int)(code % 2), len);
    s[len] = code / 4 ? 'q' : 'p';
    d = datum_from_text(a, s, len + 1);
    free(s);
    return d;
}

static Datum
key_text(Arena *a, int64_t code)
{
    char s[8];

    snprintf(s, sizeof s, "k%d", (int)code);
    return datum_from_text(a, s, strlen(s));
}

/* SESSION over (id, k, ts) as sql/bind_window_tvf.c builds it; node id 3. */
static Operator *
build_session(StreamRun *run, const Shape *sh)
{
    Arena *a = run->arena;
    PlanNode *in = plan_new(a, PLAN_VALUES, NULL, 3), *p;
    DfNode *node = arena_calloc(a, 1, sizeof *node);
    TypeOrder *orders = arena_calloc(a, 3, sizeof(TypeOrder));
    int *keys = arena_alloc(a, sizeof(int));

    in->types[0] = sh->idtext ? TYPE_TEXT : TYPE_INT4;
    in->types[1] = sh->ktext ? TYPE_TEXT : TYPE_INT4;
    in->types[2] = TYPE_TIMESTAMP;
    p = plan_new(a, PLAN_SESSION, in, 5);
    for (int c = 0; c < 5; c++)
        p->types[c] = c < 3 ? in->types[c] : TYPE_TIMESTAMP;
    for (int c = 0; c < 3; c++)
        ck_assert(plan_type_order(in->types[c], &orders[c]));
    keys[0] = 1;
    p->u.session.column = 2;
    p->u.session.gap = sh->gap;
    p->u.session.nkeys = sh->nkeys;
    p->u.session.keys = keys;
    p->u.session.key_orders = &orders[1];
    p->u.session.row_orders = orders;
    node->kind = DF_SESSION;
    node->plan = p;
    node->id = 3;
    node->output = -1;
    return op_session_new(run, node);
}

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
    r->run.arena = arena_create("session test run", 0);
    r->run.scratch = st != NULL ? arena_create("session test scratch", 0) : r->run.arena;
    r->run.ctx.arena = r->run.scratch;
    r->run.ctx.io = &type_io_default;
    if (st != NULL) {
        StreamStateOpts o = {st, owner, budget, fresh};

        err_clear(&err);
        ck_assert_msg(stream_state_new(&o, &r->run.state, &err) == 0, "%s", err.message);
    }
    if (sh->wm) { /* what plan_watermarks finds: ts of the Session's input */
        r->run.wm = arena_calloc(r->run.arena, 1, sizeof(StreamWmInput));
        r->run.wm[0] = (StreamWmInput){3, 0, 2, NULL, false, 0};
        r->run.nwm = 1;
    }
    r->op = build_session(&r->run, sh);
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

/* Pushes row (id, k, ts; NULLV = NULL) with weight w. */
static void
push_row(Rig *r, const Shape *sh, const int64_t *row, int64_t w)
{
    Value v[3];
    Batch b = {3, 1, v, &w};
    Err err;

    v[0] = (Value){datum_from_int32((int32_t)row[0]), row[0] == NULLV};
    v[1] = (Value){datum_from_int32((int32_t)row[1]), row[1] == NULLV};
    v[2] = (Value){datum_from_int64(row[2]), row[2] == NULLV};
    if (sh->idtext && row[0] != NULLV)
        v[0].d = id_text(r->run.scratch, row[0]);
    if (sh->ktext && row[1] != NULLV)
        v[1].d = key_text(r->run.scratch, row[1]);
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

/* As stream/job.c's stream_job_watermark: the call, then the scratch emptied. */
static void
watermark(Rig *r, int64_t w)
{
    Err err;

    err_clear(&err);
    ck_assert(r->op->vt->watermark != NULL);
    ck_assert_msg(r->op->vt->watermark(r->op, 0, 2, datum_from_int64(w), &err) == 0,
                  "watermark: %s", err.message);
    if (r->run.state != NULL)
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

/* Keys and summed weights of operator table tag ("r" weights; "e": 1 per key). */
static void
table_count(Rig *r, const char *tag, int64_t *keys, int64_t *weight)
{
    StateCache *sc;
    StateCacheIter *it;
    StateBytes k, v;
    Err err;
    int rc;

    *keys = *weight = 0;
    err_clear(&err);
    ck_assert_msg(stream_state_cache(&r->run, r->op->node, tag, &sc, &err) == 0, "%s", err.message);
    ck_assert_msg(statecache_iter_open(sc, NULL, false, &it, &err) == 0, "%s", err.message);
    while ((rc = statecache_iter_next(it, &k, &v, &err)) == 1) {
        int64_t w = 1;

        if (strcmp(tag, "r") == 0) {
            ck_assert_uint_ge(v.len, sizeof w);
            memcpy(&w, v.data, sizeof w);
        }
        (*keys)++;
        *weight += w;
    }
    ck_assert_msg(rc == 0, "%s", err.message);
    statecache_iter_close(it);
}

/* The input multiset: one row per copy. */
typedef struct Live {
    int n;
    int64_t rows[MAXLIVE][3];
} Live;

static char *
oneshot(const Shape *sh, const Live *live)
{
    Multiset ms = {0};
    Rig r;
    char *text;

    rig_open(&r, sh, NULL, 0, false, 0, &ms);
    for (int i = 0; i < live->n; i++)
        push_row(&r, sh, live->rows[i], 1);
    barrier(&r);
    rig_close(&r);
    text = ms_text(&ms);
    ms_free(&ms);
    return text;
}

static int
cmp_row(const void *a, const void *b)
{
    const int64_t *x = a, *y = b;
    int order[4] = {3, 2, 0, 1}; /* session key, time, id, k */

    for (int i = 0; i < 4; i++) {
        int c = order[i];

        if (x[c] != y[c])
            return x[c] < y[c] ? -1 : 1;
    }
    return 0;
}

/*
 * Brute force: over the live rows with a time, the sessions of each key ending after w;
 * their distinct rows, their copies and their number.
 */
static void
open_sessions(const Shape *sh, const Live *live, int64_t w, int64_t *distinct, int64_t *copies,
              int64_t *sessions)
{
    int64_t(*v)[4] = malloc(sizeof(int64_t) * 4 * (size_t)(live->n + 1));
    int n = 0;

    *distinct = *copies = *sessions = 0;
    for (int i = 0; i < live->n; i++) {
        if (live->rows[i][2] == NULLV)
            continue;
        memcpy(v[n], live->rows[i], sizeof live->rows[i]);
        v[n][3] = sh->nkeys == 0 ? 0 : v[n][1]; /* the session key */
        n++;
    }
    qsort(v, (size_t)n, sizeof v[0], cmp_row);
    for (int a = 0; a < n;) {
        int b = a + 1;
        int64_t dist = 1;

        /* the session starting at a: same key, each time less than gap after the previous */
        while (b < n && v[b][3] == v[a][3] && v[b][2] - v[b - 1][2] < sh->gap) {
            if (cmp_row(v[b], v[b - 1]) != 0)
                dist++;
            b++;
        }
        if (v[b - 1][2] + sh->gap > w) {
            *distinct += dist;
            *copies += b - a;
            (*sessions)++;
        }
        a = b;
    }
    free(v);
}

static void
ms_copy(Multiset *dst, const Multiset *src)
{
    ms_free(dst);
    for (int i = 0; i < src->n; i++) {
        if (src->counts[i] != 0)
            ms_add(dst, src->rows[i], src->counts[i]);
    }
}

static int64_t
rand_or_null(int domain, int nulls)
{
    return win_rand() % nulls == 0 ? NULLV : win_rand() % domain;
}

/* One scenario: rounds of random changes with checkpoints, failures, restarts, watermarks. */
static void
scenario(const Shape *sh, unsigned seed, uint64_t owner, StateStore *st)
{
    Multiset out = {0}, out_ok = {0};
    Live *live = calloc(1, sizeof *live), *live_ok = calloc(1, sizeof *live_ok);
    uint64_t epoch = state_last_epoch(st);
    size_t budget = seed % 2 ? 2048 : 0; /* tiny: evictions all the time */
    int64_t w = 0;                       /* the watermark handed over last */
    bool exact = false;                  /* state must match the brute force now */
    Rig r;

    win_rng = seed;
    rig_open(&r, sh, st, owner, true, budget, &out);
    for (int round = 0; round < 40; round++) {
        int changes = 1 + win_rand() % 10, what = win_rand() % 16;
        char *want, *got;

        for (int k = 0; k < changes; k++) {
            if (live->n > 0 && win_rand() % 3 == 0) {
                int victim = win_rand() % live->n;

                if (sh->wm_rows && live->rows[victim][2] != NULLV && live->rows[victim][2] < w)
                    continue; /* the watermark's contract */
                push_row(&r, sh, live->rows[victim], -1);
                memcpy(live->rows[victim], live->rows[--live->n], sizeof live->rows[0]);
            } else if (live->n < MAXLIVE) {
                int64_t *row = live->rows[live->n++];

                if (live->n > 1 && win_rand() % 8 == 0) { /* a duplicate of a live row */
                    memcpy(row, live->rows[win_rand() % (live->n - 1)], sizeof live->rows[0]);
                    if (sh->wm_rows && row[2] != NULLV && row[2] < w) {
                        live->n--;
                        continue;
                    }
                } else {
                    row[0] = rand_or_null(sh->idtext ? 8 : 4, 12);
                    row[1] = rand_or_null(3, 8);
                    row[2] = win_rand() % 15 == 0 ? NULLV
                             : sh->wm_rows        ? w + (win_rand() % 12) * SEC / 2
                                                  : (win_rand() % 40) * SEC;
                }
                push_row(&r, sh, row, 1);
            }
        }
        if (win_rand() % 5 == 0) /* sometimes two deltas before one barrier */
            continue;
        barrier(&r);
        if (sh->wm_rows) { /* every future row is at or above it */
            w += (win_rand() % 4) * SEC;
            watermark(&r, w);
            exact = true;
        }
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
            exact = false; /* what the last watermark dropped since the commit is back */
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
        if (exact || !sh->wm) {
            int64_t rows, weight, ends, one, distinct, copies, sessions;

            open_sessions(sh, live, sh->wm ? w : INT64_MIN, &distinct, &copies, &sessions);
            table_count(&r, "r", &rows, &weight);
            ck_assert_msg(rows == distinct && weight == copies,
                          "seed %u round %d: %lld rows of weight %lld in state, want %lld of %lld",
                          seed, round, (long long)rows, (long long)weight, (long long)distinct,
                          (long long)copies);
            if (sh->wm) {
                table_count(&r, "e", &ends, &one);
                ck_assert_msg(ends == sessions, "seed %u round %d: %lld ends, %lld sessions", seed,
                              round, (long long)ends, (long long)sessions);
            }
        }
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
    StateOptions o = {.map_size = (size_t)1 << 26};
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

/* Persistence: every shape without watermarks, state == the distinct live rows. */
START_TEST(test_session_state)
{
    StateStore *st = open_store();
    uint64_t owner = 100;

    for (int shape = 0; shape < 8; shape++) {
        for (unsigned seed = 1; seed <= nseeds(4); seed++) {
            Shape sh = {.idtext = shape & 1, .ktext = (shape & 2) != 0, .nkeys = shape & 4 ? 0 : 1};

            sh.gap = (1 + (int64_t)((seed + (unsigned)shape) % 6)) * SEC;
            scenario(&sh, seed * 41 + (unsigned)shape, owner++, st);
        }
    }
    state_close(st);
}
END_TEST

/* Cleanup: rows above a rising watermark; state == the open sessions, output unchanged. */
START_TEST(test_session_watermark)
{
    StateStore *st = open_store();
    uint64_t owner = 200;

    for (int shape = 0; shape < 8; shape++) {
        for (unsigned seed = 1; seed <= nseeds(4); seed++) {
            Shape sh = {.idtext = shape & 1, .ktext = (shape & 2) != 0, .nkeys = shape & 4 ? 0 : 1};

            sh.gap = (1 + (int64_t)((seed + (unsigned)shape) % 6)) * SEC;
            sh.wm = sh.wm_rows = true;
            scenario(&sh, seed * 43 + (unsigned)shape, owner++, st);
        }
    }
    state_close(st);
}
END_TEST

/* The same rows and watermark calls without a watermark on ts: nothing is dropped. */
START_TEST(test_session_no_watermark)
{
    StateStore *st = open_store();
    uint64_t owner = 300;

    for (unsigned seed = 1; seed <= nseeds(4); seed++) {
        Shape sh = {.nkeys = seed % 2, .gap = 3 * SEC, .wm = false, .wm_rows = true};

        scenario(&sh, seed * 47, owner++, st);
    }
    state_close(st);
}
END_TEST

/* A downstream operator that only sums the weights it is pushed. */
typedef struct CountSink {
    Operator op;
    int64_t total;
} CountSink;

static int
count_push(Operator *op, int port, const Batch *in, Err *err)
{
    (void)port, (void)err;
    for (int i = 0; i < in->n; i++)
        ((CountSink *)op)->total += in->weights[i];
    return 0;
}

static const OpVtbl count_vt = {"count", count_push, test_no_flush, true, NULL};

/*
 * Bounded state: 400 barriers of up to 50 rows over 20 keys, time rising 1 s per barrier,
 * every key pausing 6 s (> gap 5 s) after 7 s, watermark 2 s behind. With the watermark, "r"
 * never holds more than the open sessions' rows (at most 7 barriers' per key) and "e" one end
 * per key; without, "r" holds every row. The output holds every row once either way, and the
 * cache stays within its budget.
 */
START_TEST(test_session_bounded)
{
    StateStore *st = open_store();
    const size_t budget = 256 * 1024;
    uint64_t epoch = 0;

    for (int with = 0; with < 2; with++) {
        Shape sh = {.nkeys = 1, .gap = 5 * SEC, .wm = with, .wm_rows = true};
        Multiset ms = {0};
        int64_t rows = 0, weight, ends = 0, one, most = 0, pushed = 0;
        size_t bytes, entries, most_bytes = 0;
        CountSink *count;
        Rig r;

        rig_open(&r, &sh, st, 400 + (uint64_t)with, true, budget, &ms);
        count = op_alloc(&r.run, sizeof(CountSink), &count_vt, NULL, r.op->ncols);
        r.op->out = &count->op;
        for (int64_t b = 0; b < 400; b++) {
            for (int64_t i = 0; i < 50 && b % 13 < 7; i++) {
                int64_t row[3] = {b * 50 + i, i % 20, b * SEC + (i / 20) * SEC / 4};

                push_row(&r, &sh, row, 1);
                pushed++;
            }
            barrier(&r);
            watermark(&r, (b - 2) * SEC);
            checkpoint(&r, st, ++epoch, false);
            if (b % 10 == 9) {
                table_count(&r, "r", &rows, &weight);
                most = rows > most ? rows : most;
            }
            stream_state_usage(r.run.state, &bytes, &entries);
            most_bytes = bytes > most_bytes ? bytes : most_bytes;
            ck_assert_uint_le(bytes, budget * (with ? 2 : 1)); /* a budget per cache */
        }
        table_count(&r, "r", &rows, &weight);
        if (with)
            table_count(&r, "e", &ends, &one);
        fprintf(stderr,
                "session bounded (%s watermark): %lld rows pushed, in state %lld at the end and "
                "at most %lld (every 10th barrier), %lld ends, cache at most %zu bytes\n",
                with ? "with" : "without", (long long)pushed, (long long)rows, (long long)most,
                (long long)ends, most_bytes);
        ck_assert_int_eq(count->total, pushed);
        if (with) {
            ck_assert_int_le(most, 8 * 50); /* a stretch and the next one's first barrier */
            ck_assert_int_eq(ends, 20);     /* the last active stretch (b 390..396) is still open */
        } else {
            ck_assert_int_eq(rows, pushed);
        }
        rig_close(&r);
        ms_free(&ms);
    }
    state_close(st);
}
END_TEST

/*
 * A fresh run (a rebuild) over tables holding older state, whose first barrier has no input:
 * after its commit the old rows and ends are gone, also for a run reopened then.
 */
START_TEST(test_session_fresh_over_stale)
{
    StateStore *st = open_store();
    Shape sh = {.nkeys = 1, .gap = 3 * SEC, .wm = true, .wm_rows = true};
    Multiset ms = {0};
    Live *live = calloc(1, sizeof *live);
    int64_t rows, weight, ends, one;
    char *want, *got;
    uint64_t epoch = 0;
    Rig r;

    rig_open(&r, &sh, st, 500, true, 0, &ms);
    for (int64_t i = 0; i < 10; i++) {
        int64_t row[3] = {i, i % 2, 20 * SEC + i * SEC};

        push_row(&r, &sh, row, 1);
    }
    barrier(&r);
    checkpoint(&r, st, ++epoch, false);
    rig_close(&r);
    ms_free(&ms);
    rig_open(&r, &sh, st, 500, true, 0, &ms); /* the rebuild */
    barrier(&r);
    checkpoint(&r, st, ++epoch, false);
    rig_close(&r);
    rig_open(&r, &sh, st, 500, false, 0, &ms);
    for (int64_t i = 0; i < 3; i++) {
        int64_t *row = live->rows[live->n++];

        row[0] = i, row[1] = i % 2, row[2] = 20 * SEC + i * SEC; /* as before the rebuild */
        push_row(&r, &sh, row, 1);
    }
    barrier(&r);
    checkpoint(&r, st, ++epoch, false);
    table_count(&r, "r", &rows, &weight);
    table_count(&r, "e", &ends, &one);
    ck_assert_int_eq(rows, 3);
    ck_assert_int_eq(ends, 2);
    want = oneshot(&sh, live);
    got = ms_text(&ms);
    ck_assert_str_eq(want, got);
    free(want);
    free(got);
    watermark(&r, 30 * SEC); /* closes both */
    checkpoint(&r, st, ++epoch, false);
    table_count(&r, "r", &rows, &weight);
    table_count(&r, "e", &ends, &one);
    ck_assert_int_eq(rows, 0);
    ck_assert_int_eq(ends, 0);
    rig_close(&r);
    ms_free(&ms);
    free(live);
    state_close(st);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("op_session_state");
    TCase *tc = tcase_create("core");
    SRunner *sr;
    int failed;

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_session_state);
    tcase_add_test(tc, test_session_watermark);
    tcase_add_test(tc, test_session_no_watermark);
    tcase_add_test(tc, test_session_bounded);
    tcase_add_test(tc, test_session_fresh_over_stale);
    tcase_set_timeout(tc, 120);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
