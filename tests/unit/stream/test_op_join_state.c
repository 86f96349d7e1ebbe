/*
 * tests/unit/stream/test_op_join_state.c — stream/op_join_state.c (op_join
 * with its state in LMDB): randomized insert/delete batches on both sides
 * over many barriers, for inner, LEFT, RIGHT and FULL joins with equi keys
 * (NULLs, duplicates), residual conditions and none; a checkpoint after
 * every barrier, a restart (run freed, reopened over the same store) every
 * few barriers and a failed commit now and then (the run discarded and
 * reopened, the barrier's inputs and outputs forgotten). The consolidated
 * output of the committed barriers must equal a brute-force join of the
 * committed inputs at every barrier. Then 200k rows per side through a
 * small cache budget, and (RV_JOIN_BENCH=1) in-memory vs persistent speed.
 * The builders, sinks and brute force are join_test_util.c's, shared with
 * test_op_join.c and the mark join tests.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "join_test_util.h"
#include "planner/join_keys.h"
#include "sql/catalog.h"

START_TEST(test_join_state_random)
{
    static const PlanJoinType types[] = {PLAN_JOIN_INNER, PLAN_JOIN_LEFT, PLAN_JOIN_RIGHT,
                                         PLAN_JOIN_FULL};
    static Tally got, step, want;
    int restarts = 0, failures = 0;

    for (int pred = 0; pred < 6; pred++) {
        for (int ty = 0; ty < 4; ty++) {
            for (uint64_t trial = 0; trial < 3; trial++) {
                uint64_t seed = 0x9e3779b97f4a7c15ULL ^
                                (trial * 7919 + (uint64_t)pred * 131 + (uint64_t)ty * 17 + 5);
                JoinRows ms[2], saved[2];
                char dir[64], what[96];
                StateStore *st = test_store_open(dir);
                TestRun t;
                Operator *op;

                memset(ms, 0, sizeof ms);
                got.n = 0;
                test_open_state_run(&t, 4, 42, st, true, 0);
                op = make_join4(&t, pred, types[ty]);
                for (int b = 0; b < 30; b++) {
                    int nchanges = 1 + (int)(join_rand(&seed) % 8);
                    bool commit = join_rand(&seed) % 8 != 0;
                    Err err;

                    snprintf(what, sizeof what, "pred %d type %d trial %d barrier %d", pred, ty,
                             (int)trial, b);
                    memcpy(saved, ms, sizeof ms);
                    step.n = 0;
                    for (int c = 0; c < nchanges; c++) {
                        int side;
                        int32_t row[2];
                        int64_t w;

                        join_random_change(&seed, ms, &side, row, &w);
                        ck_assert_int_eq(test_push_ints(op, side, 2, row, 1, w), 0);
                        tally_text(&step, test_take(&t), false);
                    }
                    tally_text(&step, join_barrier(&t, op), false);
                    err_clear(&err);
                    ck_assert_int_eq(test_run_checkpoint(&t, commit, &err), 0);
                    if (!commit) { /* the barrier never happened: inputs and outputs dropped */
                        memcpy(ms, saved, sizeof ms);
                        failures++;
                    } else {
                        for (int i = 0; i < step.n; i++)
                            tally_add(&got, step.rows[i], step.w[i]);
                        join_brute_force(&want, pred, types[ty], &ms[0], &ms[1]);
                        tally_check(&got, &want, what);
                    }
                    if (!commit || b % 5 == 4) {
                        test_run_free(&t);
                        test_open_state_run(&t, 4, 42, st, false, 0);
                        op = make_join4(&t, pred, types[ty]);
                        restarts++;
                    }
                }
                test_run_free(&t);
                test_store_close(st, dir);
            }
        }
    }
    ck_assert_int_gt(restarts, 100);
    ck_assert_int_gt(failures, 10);
}
END_TEST

/* The in-memory path and the persistent one agree change by change, consolidated per barrier. */
START_TEST(test_join_state_matches_memory)
{
    static Tally mem, per;

    for (int pred = 0; pred < 6; pred++) {
        for (int ty = 0; ty < 4; ty++) {
            uint64_t seed = 77 + (uint64_t)(pred * 4 + ty);
            JoinRows ms[2];
            char dir[64];
            StateStore *st = test_store_open(dir);
            TestRun tm, tp;
            Operator *om, *opp;
            Err err;

            memset(ms, 0, sizeof ms);
            mem.n = per.n = 0;
            test_run_init(&tm, 4);
            om = make_join4(&tm, pred, (PlanJoinType)ty);
            test_open_state_run(&tp, 4, 42, st, true, 0);
            opp = make_join4(&tp, pred, (PlanJoinType)ty);
            for (int b = 0; b < 20; b++) {
                for (int c = 0; c < 6; c++) {
                    int side;
                    int32_t row[2];
                    int64_t w;

                    join_random_change(&seed, ms, &side, row, &w);
                    ck_assert_int_eq(test_push_ints(om, side, 2, row, 1, w), 0);
                    ck_assert_int_eq(test_push_ints(opp, side, 2, row, 1, w), 0);
                }
                tally_text(&mem, join_barrier(&tm, om), false);
                tally_text(&per, join_barrier(&tp, opp), false);
                tally_check(&per, &mem, "persistent vs in-memory");
                err_clear(&err);
                ck_assert_int_eq(test_run_checkpoint(&tp, true, &err), 0);
            }
            test_run_free(&tm);
            test_run_free(&tp);
            test_store_close(st, dir);
        }
    }
}
END_TEST

/* LEFT JOIN ON a = c, across restarts: the padded row follows the committed match counts. */
START_TEST(test_join_state_outer_restart)
{
    const int32_t l[] = {1, 7}, r1[] = {1, 10}, lnull[] = {NULLV, 8};
    char dir[64];
    StateStore *st = test_store_open(dir);
    TestRun t;
    Operator *op;
    Err err;

    err_clear(&err);
    test_open_state_run(&t, 4, 42, st, true, 0);
    op = make_join4(&t, 0, PLAN_JOIN_LEFT);
    ck_assert_int_eq(test_push_ints(op, 0, 2, l, 1, 1), 0);
    ck_assert_str_eq(join_barrier(&t, op), "+1 (1,7,NULL,NULL)\n");
    ck_assert_int_eq(test_run_checkpoint(&t, true, &err), 0);
    test_run_free(&t);

    test_open_state_run(&t, 4, 42, st, false, 0);
    op = make_join4(&t, 0, PLAN_JOIN_LEFT);
    ck_assert_int_eq(test_push_ints(op, 1, 2, r1, 1, 1), 0);
    ck_assert_str_eq(join_barrier(&t, op), "+1 (1,7,1,10)\n-1 (1,7,NULL,NULL)\n");
    /* this epoch fails: the reopened run has not seen r1 */
    ck_assert_int_eq(test_run_checkpoint(&t, false, &err), 0);
    test_run_free(&t);

    test_open_state_run(&t, 4, 42, st, false, 0);
    op = make_join4(&t, 0, PLAN_JOIN_LEFT);
    ck_assert_int_eq(test_push_ints(op, 0, 2, lnull, 1, 2), 0);
    ck_assert_str_eq(test_take(&t), "+2 (NULL,8,NULL,NULL)\n");
    ck_assert_int_eq(test_push_ints(op, 0, 2, l, 1, -1), 0);
    ck_assert_str_eq(join_barrier(&t, op), "-1 (1,7,NULL,NULL)\n");
    ck_assert_int_eq(test_run_checkpoint(&t, true, &err), 0);
    test_run_free(&t);

    /* a fresh run ignores what the tables held */
    test_open_state_run(&t, 4, 42, st, true, 0);
    op = make_join4(&t, 0, PLAN_JOIN_LEFT);
    ck_assert_int_eq(test_push_ints(op, 1, 2, r1, 1, 1), 0);
    ck_assert_str_eq(join_barrier(&t, op), "");
    ck_assert_int_eq(test_run_checkpoint(&t, true, &err), 0);
    test_run_free(&t);
    test_store_close(st, dir);
}
END_TEST

/* ---- text columns: by-reference values, rows longer than a state key ------------------- */

/* (a text, b text) ⟕/⟗ (c text, d text) ON a = c, into sink. */
static Operator *
make_text_join(TestRun *t, TextSink *sink, PlanJoinType type)
{
    Arena *a = t->run.arena;
    PlanNode *j = test_binary_plan(a, PLAN_JOIN, 2, 4, TYPE_TEXT);
    Operator *op;

    j->jointype = type;
    j->u.pred = test_cmp(a, "=", TYPE_TEXT, 0, 2);
    op = op_join_new(&t->run, test_df_node(a, DF_JOIN, j, 5));
    text_sink_init(sink, 4, -1);
    op->out = &sink->op;
    return op;
}

static const char *
long_text(int i)
{
    static char buf[8][1200];
    static int next;
    char *p = buf[next++ % 8];
    int len = i % 3 == 0 ? 900 + i : 2 + i % 5; /* some rows far longer than any key */

    for (int k = 0; k < len; k++)
        p[k] = (char)('a' + (i + k) % 26);
    p[len] = '\0';
    return p;
}

START_TEST(test_join_state_text)
{
    static TextSink mem, per, saved;
    static const char *keys[] = {"apple", "pear", "fig", NULL};

    for (int ty = 1; ty < 4; ty += 2) { /* LEFT, FULL */
        char dir[64];
        StateStore *st = test_store_open(dir);
        TestRun tm, tp;
        Operator *om, *opp;
        uint64_t seed = 99 + (uint64_t)ty;
        int live[2][64][2], nlive[2] = {0, 0}, saved_live[2][64][2], saved_nlive[2];
        Err err;

        mem.n = per.n = 0;
        err_clear(&err);
        test_run_init(&tm, 4);
        om = make_text_join(&tm, &mem, (PlanJoinType)ty);
        test_open_state_run(&tp, 4, 42, st, true, 0);
        opp = make_text_join(&tp, &per, (PlanJoinType)ty);
        for (int b = 0; b < 24; b++) {
            bool commit = b % 7 != 6;

            saved = per;
            memcpy(saved_live, live, sizeof live);
            memcpy(saved_nlive, nlive, sizeof nlive);
            for (int c = 0; c < 10; c++) {
                int side = (int)(join_rand(&seed) % 2);
                int k, payload;
                int64_t w = 1;

                if (nlive[side] > 0 && join_rand(&seed) % 3 == 0) {
                    int i = (int)(join_rand(&seed) % (uint64_t)nlive[side]);

                    k = live[side][i][0];
                    payload = live[side][i][1];
                    live[side][i][0] = live[side][--nlive[side]][0];
                    live[side][i][1] = live[side][nlive[side]][1];
                    w = -1;
                } else {
                    if (nlive[side] == 64)
                        continue;
                    k = (int)(join_rand(&seed) % 4);
                    payload = (int)(join_rand(&seed) % 40);
                    live[side][nlive[side]][0] = k;
                    live[side][nlive[side]++][1] = payload;
                }
                if (commit)
                    push_text(om, side, keys[k], long_text(payload), w);
                push_text(opp, side, keys[k], long_text(payload), w);
            }
            if (commit)
                (void)join_barrier(&tm, om);
            (void)join_barrier(&tp, opp);
            ck_assert_int_eq(test_run_checkpoint(&tp, commit, &err), 0);
            if (!commit) { /* the epoch never happened */
                per = saved;
                memcpy(live, saved_live, sizeof live);
                memcpy(nlive, saved_nlive, sizeof nlive);
            }
            if (!commit || b % 5 == 4) {
                test_run_free(&tp);
                test_open_state_run(&tp, 4, 42, st, false, 0);
                opp = make_text_join(&tp, &per, (PlanJoinType)ty);
            }
            if (commit)
                text_sinks_equal(&mem, &per, "persistent vs in-memory");
        }
        test_run_free(&tm);
        test_run_free(&tp);
        test_store_close(st, dir);
    }
}
END_TEST

/* ---- volume: many rows through a small cache budget -------------------------------------- */

/* Pushes rows (k, v) for k in [from, to) with key k % mod, weight w, in batches. */
static void
push_range(Operator *op, int port, int from, int to, int mod, int64_t w)
{
    static int32_t vals[2 * 1024];

    for (int k = from; k < to;) {
        int n = 0;

        for (; n < 1024 && k < to; n++, k++) {
            vals[2 * n] = k % mod;
            vals[2 * n + 1] = port == 0 ? k : -k;
        }
        ck_assert_int_eq(test_push_ints(op, port, 2, vals, n, w), 0);
    }
}

static Operator *
counted_join(TestRun *t, PlanJoinType type)
{
    Operator *op = make_join4(t, 0, type);
    Counter *c = arena_alloc(t->run.arena, sizeof(Counter));

    counter_init(c, 4, -1);
    op->out = &c->op;
    op->out_port = 0;
    return op;
}

START_TEST(test_join_state_volume)
{
    /* RV_TEST_SMALL (valgrind runs): a tenth of the rows */
    const int n = getenv("RV_TEST_SMALL") ? 20000 : 200000, per = n / 10;
    const size_t budget = (size_t)2 << 20;
    char dir[64];
    StateStore *st = test_store_open(dir);
    TestRun t;
    Operator *op;
    Counter *c;
    Err err;
    size_t bytes, entries, max_bytes = 0;
    int64_t total = 0;

    err_clear(&err);
    test_open_state_run(&t, 4, 42, st, true, budget);
    op = counted_join(&t, PLAN_JOIN_LEFT);
    c = (Counter *)op->out;
    /* left rows first (all padded), then right rows matching every second left row */
    for (int b = 0; b < n / per; b++) {
        push_range(op, 0, b * per, (b + 1) * per, n, 1);
        (void)join_barrier(&t, op);
        ck_assert_int_eq(test_run_checkpoint(&t, true, &err), 0);
        stream_state_usage(t.run.state, &bytes, &entries);
        ck_assert_uint_le(bytes, 2 * budget);
        max_bytes = bytes > max_bytes ? bytes : max_bytes;
    }
    ck_assert_int_eq(c->weight, n);
    total = c->weight;
    for (int b = 0; b < n / per; b++) {
        c->weight = 0;
        push_range(op, 1, b * per, (b + 1) * per, n / 2, 1);
        (void)join_barrier(&t, op);
        ck_assert_int_eq(test_run_checkpoint(&t, true, &err), 0);
        stream_state_usage(t.run.state, &bytes, &entries);
        ck_assert_uint_le(bytes, 2 * budget);
        max_bytes = bytes > max_bytes ? bytes : max_bytes;
        total += c->weight;
        if (b == n / per / 2) { /* a restart in the middle */
            test_run_free(&t);
            test_open_state_run(&t, 4, 42, st, false, budget);
            op = counted_join(&t, PLAN_JOIN_LEFT);
            c = (Counter *)op->out;
        }
    }
    /* every left row k < n/2 matches right rows k and k + n/2: 2n pairs... of n/2 rows */
    ck_assert_int_eq(total, n / 2 * 2 + n / 2);
    /* the right rows deleted again: the pairs go, the padded rows come back */
    c->weight = 0;
    for (int b = 0; b < n / per; b++) {
        push_range(op, 1, b * per, (b + 1) * per, n / 2, -1);
        (void)join_barrier(&t, op);
        ck_assert_int_eq(test_run_checkpoint(&t, true, &err), 0);
    }
    ck_assert_int_eq(c->weight, -(n / 2 * 2) + n / 2);
    if (getenv("RV_JOIN_BENCH") != NULL)
        printf("join volume: %d rows per side, 2 caches of budget %zu: at most %zu bytes\n", n,
               budget, max_bytes);
    test_run_free(&t);
    test_store_close(st, dir);
}
END_TEST

static double
now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* RV_JOIN_BENCH=1: 1M changes (500k per side, key space 100k) in-memory vs persistent. */
START_TEST(test_join_state_bench)
{
    const int n = 500000, per = 50000;
    char dir[64];
    StateStore *st;
    double t0, mem_s, per_s;
    TestRun t;
    Operator *op;
    Err err;

    if (getenv("RV_JOIN_BENCH") == NULL)
        return;
    err_clear(&err);
    test_run_init(&t, 4);
    op = counted_join(&t, PLAN_JOIN_INNER);
    t0 = now_s();
    for (int b = 0; b < n / per; b++) {
        push_range(op, 0, b * per, (b + 1) * per, n / 5, 1);
        push_range(op, 1, b * per, (b + 1) * per, n / 5, 1);
        (void)join_barrier(&t, op);
    }
    mem_s = now_s() - t0;
    test_run_free(&t);

    st = test_store_open(dir);
    test_open_state_run(&t, 4, 42, st, true, (size_t)64 << 20);
    op = counted_join(&t, PLAN_JOIN_INNER);
    t0 = now_s();
    for (int b = 0; b < n / per; b++) {
        push_range(op, 0, b * per, (b + 1) * per, n / 5, 1);
        push_range(op, 1, b * per, (b + 1) * per, n / 5, 1);
        (void)join_barrier(&t, op);
        ck_assert_int_eq(test_run_checkpoint(&t, true, &err), 0);
    }
    per_s = now_s() - t0;
    test_run_free(&t);
    test_store_close(st, dir);
    printf("join bench: 1M changes: in-memory %.2fs (%.0f/s), persistent %.2fs (%.0f/s)\n", mem_s,
           2.0 * n / mem_s, per_s, 2.0 * n / per_s);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("op_join_state");
    TCase *tc = tcase_create("core");
    SRunner *sr;
    int failed;

    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, test_join_state_outer_restart);
    tcase_add_test(tc, test_join_state_matches_memory);
    tcase_add_test(tc, test_join_state_random);
    tcase_add_test(tc, test_join_state_text);
    tcase_add_test(tc, test_join_state_volume);
    tcase_add_test(tc, test_join_state_bench);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
