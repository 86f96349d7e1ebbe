/*
 * tests/unit/stream/test_op_markjoin_state.c — stream/op_markjoin_state.c
 * (the mark join with its state in LMDB): every mark kind of
 * test_op_markjoin.c (EXISTS, IN / ANY with NOT IN's NULL rules, hashed IN,
 * ALL, scalar with and without an empty value, LIMIT 1, correlated
 * aggregates), randomized insert/delete deltas over many barriers with a
 * checkpoint after each, a restart every few barriers and a failed commit
 * now and then (inputs and outputs of that barrier forgotten, the run
 * reopened); the consolidated output must equal a brute-force evaluation
 * over the committed multisets at every barrier. Also a run side by side
 * with the in-memory operator, and many rows through a small budget. The
 * builders, sinks and brute force are join_test_util.c's (test_op_markjoin.c
 * uses the same).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/errcodes.h"
#include "join_test_util.h"
#include "sql/catalog.h"

/* ---- randomized against brute force ------------------------------------------------------- */

static MarkSink sink, saved_sink;

static int
random_trial(int mode, uint64_t seed, StateStore *st)
{
    TestRun t;
    Operator *op;
    MarkRows l = {0}, r = {0}, saved_l, saved_r;
    int failures = 0;

    mark_rng_state = seed * 0x9e3779b97f4a7c15ULL + 1;
    sink.n = 0;
    test_open_state_run(&t, 3, 9, st, true, 0);
    op = make_markjoin(&t, &sink, mode);
    for (int epoch = 0; epoch < 16; epoch++) {
        static char want_copy[16384]; /* mark_sink_text() reuses one buffer */
        const char *want;
        bool commit = mark_rng(6) != 0;
        Err err;
        int rc;

        err_clear(&err);
        saved_l = l;
        saved_r = r;
        saved_sink = sink;
        for (int k = (int)mark_rng(6); k >= 0; k--) {
            int port = (int)mark_rng(2);

            ck_assert_int_eq(mark_random_change(op, port == 0 ? &l : &r, port), 0);
        }
        rc = mark_barrier(op, &err);
        want = mark_brute_text(mode, &l, &r);
        if (want == NULL) {
            ck_assert_int_eq(rc, -1);
            ck_assert_str_eq(err.sqlstate, ERRCODE_CARDINALITY_VIOLATION);
            break; /* the view's epoch fails here */
        }
        ck_assert_msg(rc == 0, "mode %d seed %llu epoch %d: %s", mode, (unsigned long long)seed,
                      epoch, err.message);
        snprintf(want_copy, sizeof want_copy, "%s", want);
        want = want_copy;
        ck_assert_msg(strcmp(mark_sink_text(&sink), want) == 0,
                      "mode %d seed %llu epoch %d:\ngot:\n%swant:\n%s", mode,
                      (unsigned long long)seed, epoch, mark_sink_text(&sink), want);
        ck_assert_int_eq(test_run_checkpoint(&t, commit, &err), 0);
        if (!commit) { /* the epoch never happened */
            l = saved_l;
            r = saved_r;
            sink = saved_sink;
            failures++;
        }
        if (!commit || epoch % 4 == 3) {
            test_run_free(&t);
            test_open_state_run(&t, 3, 9, st, false, 0);
            op = make_markjoin(&t, &sink, mode);
        }
    }
    test_run_free(&t);
    return failures;
}

START_TEST(test_state_random_deltas)
{
    int failures = 0;

    for (int mode = 0; mode <= 9; mode++) {
        for (uint64_t seed = 1; seed <= 12; seed++) {
            char dir[64];
            StateStore *st = test_store_open(dir);

            failures += random_trial(mode, seed, st);
            test_store_close(st, dir);
        }
    }
    ck_assert_int_gt(failures, 20);
}
END_TEST

/* The hand-written NOT IN case, across a restart and a failed epoch. */
START_TEST(test_state_not_in_restart)
{
    for (int mode = 2; mode <= 7; mode += 5) {
        const int32_t left[] = {1, 1, 1, 2, 1, NULLV}, right[] = {9, 1, 9, 3}, rnull[] = {9, NULLV};
        char dir[64];
        StateStore *st = test_store_open(dir);
        TestRun t;
        Operator *op;
        Err err;

        err_clear(&err);
        sink.n = 0;
        test_open_state_run(&t, 3, 9, st, true, 0);
        op = make_markjoin(&t, &sink, mode);
        ck_assert_int_eq(test_push_ints(op, 0, 2, left, 3, 1), 0);
        ck_assert_int_eq(mark_barrier(op, &err), 0);
        ck_assert_str_eq(mark_sink_text(&sink), "1 (1,1,0)\n1 (1,2,0)\n1 (1,N,0)\n");
        ck_assert_int_eq(test_run_checkpoint(&t, true, &err), 0);
        test_run_free(&t);
        test_open_state_run(&t, 3, 9, st, false, 0);
        op = make_markjoin(&t, &sink, mode);
        ck_assert_int_eq(test_push_ints(op, 1, 2, right, 2, 1), 0);
        ck_assert_int_eq(mark_barrier(op, &err), 0);
        ck_assert_str_eq(mark_sink_text(&sink), "1 (1,1,1)\n1 (1,2,0)\n1 (1,N,N)\n");
        ck_assert_int_eq(test_run_checkpoint(&t, true, &err), 0);
        /* a failed epoch: the NULL is forgotten */
        saved_sink = sink;
        ck_assert_int_eq(test_push_ints(op, 1, 2, rnull, 1, 1), 0);
        ck_assert_int_eq(mark_barrier(op, &err), 0);
        ck_assert_str_eq(mark_sink_text(&sink), "1 (1,1,1)\n1 (1,2,N)\n1 (1,N,N)\n");
        ck_assert_int_eq(test_run_checkpoint(&t, false, &err), 0);
        sink = saved_sink;
        test_run_free(&t);
        test_open_state_run(&t, 3, 9, st, false, 0);
        op = make_markjoin(&t, &sink, mode);
        ck_assert_int_eq(test_push_ints(op, 1, 2, right, 2, -1), 0);
        ck_assert_int_eq(mark_barrier(op, &err), 0);
        ck_assert_str_eq(mark_sink_text(&sink), "1 (1,1,0)\n1 (1,2,0)\n1 (1,N,0)\n");
        ck_assert_int_eq(test_run_checkpoint(&t, true, &err), 0);
        test_run_free(&t);
        test_store_close(st, dir);
    }
}
END_TEST

/* The in-memory and the persistent operator see the same changes: same sink after each barrier. */
START_TEST(test_state_matches_memory)
{
    static MarkSink mem;

    for (int mode = 0; mode <= 9; mode++) {
        for (uint64_t seed = 1; seed <= 6; seed++) {
            char dir[64];
            StateStore *st = test_store_open(dir);
            TestRun tm, tp;
            Operator *om, *opp;
            MarkRows l = {0}, r = {0};

            mark_rng_state = seed * 7919 + (uint64_t)mode;
            sink.n = mem.n = 0;
            test_run_init(&tm, 3);
            om = make_markjoin(&tm, &mem, mode);
            test_open_state_run(&tp, 3, 9, st, true, 0);
            opp = make_markjoin(&tp, &sink, mode);
            for (int epoch = 0; epoch < 12; epoch++) {
                static char want[16384];
                Err em, ep;
                int rm, rp;

                for (int k = (int)mark_rng(6); k >= 0; k--) {
                    int port = (int)mark_rng(2);
                    int32_t row[2];
                    int64_t w;

                    mark_pick_change(port == 0 ? &l : &r, row, &w);
                    ck_assert_int_eq(test_push_ints(om, port, 2, row, 1, w), 0);
                    ck_assert_int_eq(test_push_ints(opp, port, 2, row, 1, w), 0);
                }
                err_clear(&em);
                err_clear(&ep);
                rm = mark_barrier(om, &em);
                rp = mark_barrier(opp, &ep);
                ck_assert_int_eq(rm, rp);
                if (rm < 0) {
                    ck_assert_str_eq(em.sqlstate, ep.sqlstate);
                    break;
                }
                snprintf(want, sizeof want, "%s", mark_sink_text(&mem));
                ck_assert_str_eq(mark_sink_text(&sink), want);
                ck_assert_int_eq(test_run_checkpoint(&tp, true, &ep), 0);
            }
            test_run_free(&tm);
            test_run_free(&tp);
            test_store_close(st, dir);
        }
    }
}
END_TEST

/* ---- text: by-reference rows, marks taken from right rows, aggregates keeping values ------ */

/*
 * Left (a, b), right (c, d), all text, key a = c:
 *   0: (SELECT d ... ORDER BY d LIMIT 1)   1: (SELECT max(d) ...)   2: b IN (SELECT d ...)
 */
static Operator *
make_text_markjoin(TestRun *t, TextSink *ts, int mode)
{
    Arena *a = t->run.arena;
    PlanNode *m = test_binary_plan(a, PLAN_MARKJOIN, 2, 3, TYPE_TEXT);
    Operator *op;

    m->types[2] = mode == 2 ? TYPE_BOOL : TYPE_TEXT;
    m->u.mark.nkeys = 1;
    m->u.mark.lkeys = arena_alloc(a, sizeof(Expr *));
    m->u.mark.lkeys[0] = test_col(a, 0, TYPE_TEXT);
    m->u.mark.rkeys = arena_alloc(a, sizeof(int));
    m->u.mark.rkeys[0] = 0;
    m->u.mark.key_orders = arena_calloc(a, 1, sizeof(TypeOrder));
    ck_assert(plan_type_order(TYPE_TEXT, &m->u.mark.key_orders[0]));
    m->u.mark.value = 1;
    if (mode == 0) {
        m->u.mark.kind = MARK_SCALAR;
        m->u.mark.take_first = true;
        m->u.mark.norder = 1;
        m->u.mark.order = arena_calloc(a, 1, sizeof(SortKey));
        m->u.mark.order[0].column = 1;
        ck_assert(plan_type_order(TYPE_TEXT, &m->u.mark.order[0].order));
    } else if (mode == 1) {
        m->u.mark.kind = MARK_AGG;
        m->u.mark.naggs = 1;
        m->u.mark.aggs = arena_calloc(a, 1, sizeof(AggCall));
        m->u.mark.aggs[0] = test_agg(a, "max", TYPE_TEXT, test_col(a, 3, TYPE_TEXT));
        m->u.mark.value_expr = test_col(a, 0, TYPE_TEXT);
    } else {
        m->u.mark.kind = MARK_ANY;
        m->u.mark.test = test_cmp(a, "=", TYPE_TEXT, 1, 3);
    }
    op = op_markjoin_new(&t->run, test_df_node(a, DF_MARKJOIN, m, 4));
    text_sink_init(ts, 3, mode == 2 ? 2 : -1);
    op->out = &ts->op;
    return op;
}

static const char *
text_value(int i)
{
    static char buf[8][1200];
    static int next;
    char *p = buf[next++ % 8];
    int len = i % 4 == 0 ? 700 + i : 1 + i % 6;

    for (int k = 0; k < len; k++)
        p[k] = (char)('a' + (i * 7 + k) % 26);
    p[len] = '\0';
    return p;
}

START_TEST(test_state_text)
{
    static TextSink mem, per;
    static const char *keys[] = {"alpha", "beta", NULL};

    for (int mode = 0; mode < 3; mode++) {
        char dir[64], what[32];
        StateStore *st = test_store_open(dir);
        TestRun tm, tp;
        Operator *om, *opp;
        int live[2][64][2], nlive[2] = {0, 0};
        Err err;

        mark_rng_state = 4242 + (uint64_t)mode;
        mem.n = per.n = 0;
        err_clear(&err);
        test_run_init(&tm, 3);
        om = make_text_markjoin(&tm, &mem, mode);
        test_open_state_run(&tp, 3, 9, st, true, 0);
        opp = make_text_markjoin(&tp, &per, mode);
        for (int b = 0; b < 20; b++) {
            for (int c = 0; c < 8; c++) {
                int side = (int)mark_rng(2), k, v;
                int64_t w = 1;

                if (nlive[side] > 0 && mark_rng(3) == 0) {
                    int i = (int)mark_rng((uint32_t)nlive[side]);

                    k = live[side][i][0];
                    v = live[side][i][1];
                    live[side][i][0] = live[side][--nlive[side]][0];
                    live[side][i][1] = live[side][nlive[side]][1];
                    w = -1;
                } else {
                    if (nlive[side] == 64)
                        continue;
                    k = (int)mark_rng(3);
                    v = (int)mark_rng(30);
                    live[side][nlive[side]][0] = k;
                    live[side][nlive[side]++][1] = v;
                }
                push_text(om, side, keys[k], v == 29 ? NULL : text_value(v), w);
                push_text(opp, side, keys[k], v == 29 ? NULL : text_value(v), w);
            }
            ck_assert_int_eq(mark_barrier(om, &err), 0);
            ck_assert_int_eq(mark_barrier(opp, &err), 0);
            snprintf(what, sizeof what, "mode %d barrier %d", mode, b);
            text_sinks_equal(&mem, &per, what);
            ck_assert_int_eq(test_run_checkpoint(&tp, true, &err), 0);
            if (b % 3 == 2) {
                test_run_free(&tp);
                test_open_state_run(&tp, 3, 9, st, false, 0);
                opp = make_text_markjoin(&tp, &per, mode);
            }
        }
        test_run_free(&tm);
        test_run_free(&tp);
        test_store_close(st, dir);
    }
}
END_TEST

/* ---- volume: EXISTS and hashed NOT IN over many rows, a small budget -------------------- */

static void
push_range(Operator *op, int port, int from, int to, int64_t w)
{
    static int32_t vals[2 * 1024];

    for (int k = from; k < to;) {
        int n = 0;

        for (; n < 1024 && k < to; n++, k++) {
            vals[2 * n] = k;         /* a / c: the key */
            vals[2 * n + 1] = k % 7; /* b / d */
        }
        ck_assert_int_eq(test_push_ints(op, port, 2, vals, n, w), 0);
    }
}

START_TEST(test_state_volume)
{
    /* RV_TEST_SMALL (valgrind runs): a tenth of the rows */
    const int n = getenv("RV_TEST_SMALL") ? 20000 : 200000, per = n / 10;
    const size_t budget = (size_t)2 << 20;

    for (int mode = 0; mode <= 6; mode += 6) { /* EXISTS ... b < d; hashed (a, b) IN (c, d) */
        char dir[64];
        StateStore *st = test_store_open(dir);
        static Counter c;
        TestRun t;
        Operator *op;
        Err err;
        size_t bytes, entries;

        err_clear(&err);
        counter_init(&c, 3, 2);
        test_open_state_run(&t, 3, 9, st, true, budget);
        op = make_markjoin(&t, &sink, mode);
        op->out = &c.op;
        for (int b = 0; b < n / per; b++) {
            push_range(op, 0, b * per, (b + 1) * per, 1);
            ck_assert_int_eq(mark_barrier(op, &err), 0);
            ck_assert_int_eq(test_run_checkpoint(&t, true, &err), 0);
        }
        ck_assert_int_eq(c.weight, n);
        ck_assert_int_eq(c.trues, 0);
        for (int b = 0; b < n / per; b++) {
            /* right rows for every second key: (k, k % 7) */
            for (int k = b * per; k < (b + 1) * per; k += 1024) {
                static int32_t vals[2 * 512];
                int m = 0;

                for (int x = k; x < k + 1024 && x < (b + 1) * per; x += 2, m++) {
                    vals[2 * m] = x;
                    vals[2 * m + 1] = mode == 0 ? x % 7 + 1 : x % 7;
                }
                ck_assert_int_eq(test_push_ints(op, 1, 2, vals, m, 1), 0);
            }
            ck_assert_int_eq(mark_barrier(op, &err), 0);
            ck_assert_int_eq(test_run_checkpoint(&t, true, &err), 0);
            stream_state_usage(t.run.state, &bytes, &entries);
            ck_assert_uint_le(bytes, 3 * budget);
            if (b == 4) {
                test_run_free(&t);
                test_open_state_run(&t, 3, 9, st, false, budget);
                op = make_markjoin(&t, &sink, mode);
                op->out = &c.op;
            }
        }
        ck_assert_int_eq(c.weight, n);
        ck_assert_int_eq(c.trues, n / 2);
        test_run_free(&t);
        test_store_close(st, dir);
    }
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("op_markjoin_state");
    TCase *tc = tcase_create("core");
    SRunner *sr;
    int failed;

    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, test_state_not_in_restart);
    tcase_add_test(tc, test_state_matches_memory);
    tcase_add_test(tc, test_state_random_deltas);
    tcase_add_test(tc, test_state_text);
    tcase_add_test(tc, test_state_volume);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
