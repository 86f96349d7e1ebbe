/*
 * tests/unit/stream/test_op_hop.c — the time window arithmetic
 * (sql/window_time.h) and the HOP operator (stream/op_hop.c).
 *
 *   - window_start: epoch alignment, offsets (also negative and larger than
 *     the size), timestamps before 1970 and before 2000 (floor, not
 *     truncation), range errors at the ends and for infinities;
 *   - the TUMBLE built-ins;
 *   - op_hop under random inserts and retractions over many batches: the
 *     consolidated output equals a brute-force enumeration of the windows
 *     of the live rows (every aligned start s with s <= ts < s + size);
 *   - op_session likewise, checked after every batch against sessions grown
 *     by brute force (rows of a key closer than gap), with merges, splits,
 *     NULL times, retractions before insertions, with and without keys.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "sql/window_time.h"
#include "stream_test_util.h"

#define SEC USECS_PER_SEC
/* 1970-01-01 00:00:00 as our timestamp */
#define T1970 (-DT_UNIX_EPOCH_OFFSET_US)

static int64_t
start_of(int64_t ts, int64_t size, int64_t offset)
{
    Err err;
    int64_t out = 0;

    err_clear(&err);
    ck_assert_msg(window_start(ts, size, offset, &out, &err) == 0, "%s", err.message);
    return out;
}

START_TEST(test_window_start)
{
    Err err;
    int64_t out;

    /* 2000-01-01 00:00:07 in 5 s windows from 1970: 10957 days is a multiple of 5 s */
    ck_assert_int_eq(start_of(7 * SEC, 5 * SEC, 0), 5 * SEC);
    ck_assert_int_eq(start_of(5 * SEC, 5 * SEC, 0), 5 * SEC);       /* starts are inclusive */
    ck_assert_int_eq(start_of(5 * SEC - 1, 5 * SEC, 0), 0);          /* ends exclusive */
    ck_assert_int_eq(start_of(-1, 5 * SEC, 0), -5 * SEC);            /* before 2000: floor */
    ck_assert_int_eq(start_of(T1970 - 1, 7 * SEC, 0), T1970 - 7 * SEC); /* before 1970 */
    ck_assert_int_eq(start_of(T1970, 7 * SEC, 0), T1970);
    /* alignment is to 1970, not 2000: 10957 days mod 7 s = 946684800 mod 7 = 5 s */
    ck_assert_int_eq(start_of(0, 7 * SEC, 0), -5 * SEC);
    /* offsets shift the grid; only offset mod size matters, negative ones too */
    ck_assert_int_eq(start_of(7 * SEC, 5 * SEC, 2 * SEC), 7 * SEC);
    ck_assert_int_eq(start_of(7 * SEC, 5 * SEC, 12 * SEC), 7 * SEC);
    ck_assert_int_eq(start_of(7 * SEC, 5 * SEC, -3 * SEC), 7 * SEC);
    ck_assert_int_eq(start_of(6 * SEC, 5 * SEC, -3 * SEC), 2 * SEC);
    /* an hour window is the same for any zone: UTC aligned */
    ck_assert_int_eq(start_of(3600 * SEC + 59 * SEC, 3600 * SEC, 0), 3600 * SEC);
    /* a size bigger than the distance to the epoch */
    ck_assert_int_eq(start_of(0, 100000 * USECS_PER_DAY, 0), T1970);
    /* range: infinities and a start before the first timestamp fail with 22008 */
    err_clear(&err);
    ck_assert_int_eq(window_start(TS_NOEND, SEC, 0, &out, &err), -1);
    ck_assert_str_eq(err.sqlstate, "22008");
    err_clear(&err);
    ck_assert_int_eq(window_start(TS_NOBEGIN, SEC, 0, &out, &err), -1);
    err_clear(&err);
    ck_assert_int_eq(window_start(DT_MIN_TIMESTAMP, 7 * SEC, 0, &out, &err), -1);
    ck_assert_str_eq(err.message, "timestamp out of range");
    err_clear(&err);
    ck_assert_int_eq(window_add(DT_END_TIMESTAMP - SEC, SEC, &out, &err), -1);
    err_clear(&err);
    ck_assert_int_eq(window_add(DT_END_TIMESTAMP - SEC, SEC - 1, &out, &err), 0);
    ck_assert_int_eq(out, DT_END_TIMESTAMP - 1);
}
END_TEST

START_TEST(test_interval_us)
{
    Err err;
    int64_t us;
    Interval iv = {.time = 90 * SEC, .day = 1, .month = 0};

    err_clear(&err);
    ck_assert_int_eq(window_interval_us(&iv, "window size", false, &us, &err), 0);
    ck_assert_int_eq(us, USECS_PER_DAY + 90 * SEC);
    iv = (Interval){.time = 0, .day = 0, .month = 1};
    ck_assert_int_eq(window_interval_us(&iv, "window size", false, &us, &err), -1);
    ck_assert_str_eq(err.sqlstate, "0A000");
    ck_assert_str_eq(err.message, "window size cannot contain months or years");
    err_clear(&err);
    iv = (Interval){.time = -SEC, .day = 1, .month = 0}; /* 1 day - 1 s: positive */
    ck_assert_int_eq(window_interval_us(&iv, "window size", false, &us, &err), 0);
    iv = (Interval){.time = 0, .day = 0, .month = 0};
    ck_assert_int_eq(window_interval_us(&iv, "window slide", false, &us, &err), -1);
    ck_assert_str_eq(err.sqlstate, "22023");
    ck_assert_str_eq(err.message, "window slide must be greater than zero");
    err_clear(&err);
    iv = (Interval){.time = -5 * SEC, .day = 0, .month = 0};
    ck_assert_int_eq(window_interval_us(&iv, "window offset", true, &us, &err), 0);
    ck_assert_int_eq(us, -5 * SEC);
}
END_TEST

START_TEST(test_tumble_builtins)
{
    Datum args[3] = {datum_from_int64(7 * SEC), datum_from_int64(5 * SEC), datum_from_int64(0)};
    bool nulls[3] = {false, false, false};
    FnCall call = {NULL, 3, args, nulls, NULL};
    Datum res;
    bool isnull = true;
    Err err;

    err_clear(&err);
    ck_assert_int_eq(window_tumble_start_fn(&call, &res, &isnull, &err), 0);
    ck_assert(!isnull);
    ck_assert_int_eq(datum_get_int64(res), 5 * SEC);
    ck_assert_int_eq(window_tumble_end_fn(&call, &res, &isnull, &err), 0);
    ck_assert_int_eq(datum_get_int64(res), 10 * SEC);
    args[0] = datum_from_int64(DT_END_TIMESTAMP - 1); /* start in range, end not */
    ck_assert_int_eq(window_tumble_start_fn(&call, &res, &isnull, &err), 0);
    ck_assert_int_eq(window_tumble_end_fn(&call, &res, &isnull, &err), -1);
    ck_assert_str_eq(err.sqlstate, "22008");
}
END_TEST

/* ---- op_hop ------------------------------------------------------------------------------ */

#define MAXOUT 4096

typedef struct Sink {
    Operator op;
    int ws; /* the window_start column (window_end follows) */
    int n;
    int64_t key[MAXOUT][3]; /* id, window_start, window_end */
    int64_t w[MAXOUT];
} Sink;

static void
sink_add(Sink *s, int64_t id, int64_t ws, int64_t we, int64_t w)
{
    for (int i = 0; i < s->n; i++) {
        if (s->key[i][0] == id && s->key[i][1] == ws && s->key[i][2] == we) {
            s->w[i] += w;
            return;
        }
    }
    ck_assert_int_lt(s->n, MAXOUT);
    s->key[s->n][0] = id;
    s->key[s->n][1] = ws;
    s->key[s->n][2] = we;
    s->w[s->n++] = w;
}

static int
sink_push(Operator *op, int port, const Batch *in, Err *err)
{
    (void)port, (void)err;
    for (int i = 0; i < in->n; i++) {
        const Value *r = batch_row(in, i);

        int ws = ((Sink *)op)->ws;

        ck_assert(!r[0].isnull);
        if (r[ws].isnull) { /* SESSION: a NULL time has NULL windows */
            ck_assert(r[ws + 1].isnull);
            sink_add((Sink *)op, datum_get_int64(r[0].d), -1, -1, in->weights[i]);
            continue;
        }
        ck_assert(!r[ws + 1].isnull);
        /* the input columns pass through unchanged */
        sink_add((Sink *)op, datum_get_int64(r[0].d), datum_get_int64(r[ws].d),
                 datum_get_int64(r[ws + 1].d), in->weights[i]);
    }
    return 0;
}

static int
sink_flush(Operator *op, Err *err)
{
    (void)op, (void)err;
    return 0;
}

static const OpVtbl sink_vt = {"sink", sink_push, sink_flush, true};

/* Brute force: every aligned window start s (s = offset + k*slide) with s <= ts < s + size. */
static void
brute_windows(Sink *want, int64_t id, int64_t ts, int64_t slide, int64_t size, int64_t offset,
              int64_t w)
{
    int64_t base = T1970 + offset;
    /* the smallest k with base + k*slide > ts - size, walking up from below */
    int64_t k = (ts - size - base) / slide - 2;

    for (;; k++) {
        int64_t s = base + k * slide;

        if (s > ts)
            break;
        if (s <= ts && ts < s + size)
            sink_add(want, id, s, s + size, w);
    }
}

START_TEST(test_hop_random)
{
    for (unsigned seed = 1; seed <= 40; seed++) {
        TestRun t;
        Arena *a;
        DfNode *node;
        PlanNode *in, *p;
        Operator *op;
        Sink *got, *want;
        int64_t slide, size, offset;
        int64_t live_ts[64];
        int64_t live_id[64];
        int nlive = 0, next_id = 1;
        Err err;

        srand(seed);
        slide = (1 + rand() % 7) * SEC;
        size = slide * (1 + rand() % 4);
        offset = (rand() % 21 - 10) * SEC;
        test_run_init(&t, 4);
        a = t.run.arena;
        in = plan_new(a, PLAN_VALUES, NULL, 2);
        in->types[0] = TYPE_INT8;
        in->types[1] = TYPE_TIMESTAMP;
        p = plan_new(a, PLAN_HOP, in, 4);
        p->types[0] = TYPE_INT8;
        p->types[1] = p->types[2] = p->types[3] = TYPE_TIMESTAMP;
        p->u.hop.column = 1;
        p->u.hop.slide = slide;
        p->u.hop.size = size;
        p->u.hop.offset = offset;
        node = arena_calloc(a, 1, sizeof *node);
        node->kind = DF_HOP;
        node->plan = p;
        node->output = -1;
        op = op_hop_new(&t.run, node);
        got = op_alloc(&t.run, sizeof(Sink), &sink_vt, NULL, 4);
        got->n = 0;
        got->ws = 2;
        op->out = &got->op;
        want = calloc(1, sizeof *want);
        for (int batch = 0; batch < 12; batch++) {
            Value vals[2 * 17];
            int64_t weights[17];
            Batch b = {2, 0, vals, weights};

            for (int i = 0; i < 16; i++) {
                bool del = nlive > 0 && rand() % 3 == 0;
                int64_t id, ts;

                if (del) { /* retract a live row: the same values, weight -1 */
                    int k = rand() % nlive;

                    id = live_id[k];
                    ts = live_ts[k];
                    live_id[k] = live_id[nlive - 1];
                    live_ts[k] = live_ts[nlive - 1];
                    nlive--;
                } else if (nlive < 64) {
                    id = next_id++;
                    /* around 1970 and 2000, negative and positive */
                    ts = (rand() % 2 ? T1970 : 0) + (int64_t)(rand() % 200001 - 100000) * 1000;
                    live_id[nlive] = id;
                    live_ts[nlive++] = ts;
                } else {
                    continue;
                }
                vals[2 * b.n] = (Value){datum_from_int64(id), false};
                vals[2 * b.n + 1] = (Value){datum_from_int64(ts), false};
                weights[b.n++] = del ? -1 : 1;
            }
            /* a NULL time: no windows */
            vals[2 * b.n] = (Value){datum_from_int64(0), false};
            vals[2 * b.n + 1] = (Value){0, true};
            weights[b.n++] = 1;
            err_clear(&err);
            ck_assert_msg(op->vt->push(op, 0, &b, &err) == 0, "%s", err.message);
            ck_assert(op_emit(op, &err) == 0);
        }
        for (int k = 0; k < nlive; k++)
            brute_windows(want, live_id[k], live_ts[k], slide, size, offset, 1);
        /* consolidated output == brute force over the live rows */
        for (int i = 0; i < got->n; i++) {
            int64_t wantw = 0;

            for (int j = 0; j < want->n; j++) {
                if (memcmp(want->key[j], got->key[i], sizeof got->key[i]) == 0)
                    wantw = want->w[j];
            }
            ck_assert_msg(got->w[i] == wantw, "seed %u: (%lld,%lld,%lld) %lld vs %lld", seed,
                          (long long)got->key[i][0], (long long)got->key[i][1],
                          (long long)got->key[i][2], (long long)got->w[i], (long long)wantw);
        }
        for (int j = 0; j < want->n; j++) {
            int64_t gotw = 0;

            for (int i = 0; i < got->n; i++) {
                if (memcmp(want->key[j], got->key[i], sizeof got->key[i]) == 0)
                    gotw = got->w[i];
            }
            ck_assert_msg(gotw == want->w[j], "seed %u: missing window", seed);
            ck_assert_int_le(want->key[j][1], want->key[j][2]);
        }
        ck_assert_int_eq(want->n, nlive * (int)(size / slide));
        free(want);
        test_run_free(&t);
    }
}
END_TEST

/* Brute force sessions of the live rows (id, key, ts; ts INT64_MIN = NULL) with gap. */
static void
brute_sessions(Sink *want, const int64_t (*live)[3], int n, int64_t gap)
{
    for (int i = 0; i < n; i++) {
        int64_t lo, hi;
        bool grew = true;

        if (live[i][2] == INT64_MIN) {
            sink_add(want, live[i][0], -1, -1, 1);
            continue;
        }
        /* grow [lo, hi] while a row of the key is within gap of it (strictly less) */
        lo = hi = live[i][2];
        while (grew) {
            grew = false;
            for (int j = 0; j < n; j++) {
                int64_t t = live[j][2];

                if (live[j][1] != live[i][1] || t == INT64_MIN || (t >= lo && t <= hi))
                    continue;
                if ((t < lo && lo - t < gap) || (t > hi && t - hi < gap)) {
                    lo = t < lo ? t : lo;
                    hi = t > hi ? t : hi;
                    grew = true;
                }
            }
        }
        sink_add(want, live[i][0], lo, hi + gap, 1);
    }
}

static void
check_same(const Sink *got, const Sink *want, unsigned seed)
{
    for (int i = 0; i < got->n; i++) {
        int64_t wantw = 0;

        for (int j = 0; j < want->n; j++) {
            if (memcmp(want->key[j], got->key[i], sizeof got->key[i]) == 0)
                wantw = want->w[j];
        }
        ck_assert_msg(got->w[i] == wantw, "seed %u: (%lld,%lld,%lld) %lld vs %lld", seed,
                      (long long)got->key[i][0], (long long)got->key[i][1],
                      (long long)got->key[i][2], (long long)got->w[i], (long long)wantw);
    }
    for (int j = 0; j < want->n; j++) {
        int64_t gotw = 0;

        for (int i = 0; i < got->n; i++) {
            if (memcmp(want->key[j], got->key[i], sizeof got->key[i]) == 0)
                gotw = got->w[i];
        }
        ck_assert_msg(gotw == want->w[j], "seed %u: missing (%lld,%lld,%lld)", seed,
                      (long long)want->key[j][0], (long long)want->key[j][1],
                      (long long)want->key[j][2]);
    }
}

/*
 * op_session under random inserts and retractions (also of rows inserted in the same batch,
 * and retractions before insertions): after every batch the consolidated output equals the
 * brute-force sessions of the live rows.
 */
START_TEST(test_session_random)
{
    for (unsigned seed = 1; seed <= 60; seed++) {
        TestRun t;
        Arena *a;
        DfNode *node;
        PlanNode *in, *p;
        Operator *op;
        Sink *got, *want;
        int64_t gap, live[96][3];
        int nlive = 0, next_id = 1;
        Err err;
        int *keys;
        TypeOrder *orders;

        srand(seed);
        gap = (1 + rand() % 10) * SEC;
        test_run_init(&t, 5);
        a = t.run.arena;
        in = plan_new(a, PLAN_VALUES, NULL, 3);
        in->types[0] = in->types[1] = TYPE_INT8;
        in->types[2] = TYPE_TIMESTAMP;
        p = plan_new(a, PLAN_SESSION, in, 5);
        p->types[0] = p->types[1] = TYPE_INT8;
        p->types[2] = p->types[3] = p->types[4] = TYPE_TIMESTAMP;
        keys = arena_alloc(a, sizeof(int));
        keys[0] = 1;
        orders = arena_calloc(a, 3, sizeof(TypeOrder));
        for (int c = 0; c < 3; c++)
            ck_assert(plan_type_order(in->types[c], &orders[c]));
        p->u.session.column = 2;
        p->u.session.gap = gap;
        p->u.session.nkeys = seed % 4 == 0 ? 0 : 1; /* some runs: one session space */
        p->u.session.keys = keys;
        p->u.session.key_orders = &orders[1];
        p->u.session.row_orders = orders;
        node = arena_calloc(a, 1, sizeof *node);
        node->kind = DF_SESSION;
        node->plan = p;
        node->output = -1;
        op = op_session_new(&t.run, node);
        got = op_alloc(&t.run, sizeof(Sink), &sink_vt, NULL, 5);
        got->n = 0;
        got->ws = 3;
        op->out = &got->op;
        for (int batch = 0; batch < 15; batch++) {
            Value vals[3 * 40];
            int64_t weights[40];
            Batch b = {3, 0, vals, weights};

            while (b.n < 38) {
                int r = rand() % 10;
                int64_t row[3];
                int64_t w = 1;

                if (r < 3 && nlive > 0) { /* retract a live row */
                    int k = rand() % nlive;

                    memcpy(row, live[k], sizeof row);
                    memcpy(live[k], live[nlive - 1], sizeof row);
                    nlive--;
                    w = -1;
                } else if (r == 3) { /* a retraction first, its insertion next: nets 0 */
                    row[0] = next_id++;
                    row[1] = rand() % 3;
                    row[2] = (int64_t)(rand() % 60) * SEC;
                    for (int x = 0; x < 2; x++) {
                        vals[3 * b.n] = (Value){datum_from_int64(row[0]), false};
                        vals[3 * b.n + 1] = (Value){datum_from_int64(row[1]), false};
                        vals[3 * b.n + 2] = (Value){datum_from_int64(row[2]), false};
                        weights[b.n++] = x == 0 ? -1 : 1;
                    }
                    continue;
                } else if (nlive < 96) {
                    row[0] = next_id++;
                    /* few keys and a small time range: sessions merge and split often */
                    row[1] = rand() % 3;
                    row[2] = rand() % 15 == 0 ? INT64_MIN : (int64_t)(rand() % 60) * SEC;
                    memcpy(live[nlive++], row, sizeof row);
                } else {
                    continue;
                }
                vals[3 * b.n] = (Value){datum_from_int64(row[0]), false};
                vals[3 * b.n + 1] = (Value){datum_from_int64(row[1]), false};
                vals[3 * b.n + 2] = (Value){datum_from_int64(row[2]), row[2] == INT64_MIN};
                weights[b.n++] = w;
            }
            err_clear(&err);
            ck_assert_msg(op->vt->push(op, 0, &b, &err) == 0, "%s", err.message);
            ck_assert(op_emit(op, &err) == 0);
            want = calloc(1, sizeof *want);
            if (p->u.session.nkeys == 0) { /* one key: brute force over key 0 */
                int64_t copy[96][3];

                memcpy(copy, live, sizeof(int64_t) * 3 * (size_t)nlive);
                for (int k = 0; k < nlive; k++)
                    copy[k][1] = 0;
                brute_sessions(want, (const int64_t(*)[3])copy, nlive, gap);
            } else {
                brute_sessions(want, (const int64_t(*)[3])live, nlive, gap);
            }
            check_same(got, want, seed);
            free(want);
        }
        test_run_free(&t);
    }
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("op_hop");
    TCase *tc = tcase_create("core");
    SRunner *sr;
    int failed;

    tcase_add_test(tc, test_window_start);
    tcase_add_test(tc, test_interval_us);
    tcase_add_test(tc, test_tumble_builtins);
    tcase_add_test(tc, test_hop_random);
    tcase_add_test(tc, test_session_random);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
