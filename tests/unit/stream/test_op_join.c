/*
 * tests/unit/stream/test_op_join.c — stream/op_join.c: the bilinear delta
 * rule (ΔL ⋈ R + L' ⋈ ΔR), weights multiplied, a join condition; and
 * randomized insert/delete deltas over many barriers for inner, LEFT, RIGHT
 * and FULL joins with equi keys, residual conditions and none, whose
 * consolidated output must equal a brute-force join of the final inputs.
 * The builders and the brute force are join_test_util.c's, shared with
 * test_op_join_state.c.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "join_test_util.h"
#include "planner/join_keys.h"
#include "sql/catalog.h"

static Operator *
make_join(TestRun *t, bool with_pred)
{
    Arena *a = t->run.arena;
    PlanNode *j = test_binary_plan(a, PLAN_JOIN, 1, 2, TYPE_INT4);
    Operator *op;

    if (with_pred)
        j->u.pred = test_cmp(a, "<", TYPE_INT4, 0, 1); /* a < b */
    op = op_join_new(&t->run, test_df_node(a, DF_JOIN, j, 0));
    test_connect(t, op);
    return op;
}

START_TEST(test_join_deltas)
{
    TestRun t;
    Operator *op;
    const int32_t l[] = {1, 2}, r[] = {10, 20}, l3[] = {3};

    test_run_init(&t, 2);
    op = make_join(&t, false);
    ck_assert_int_eq(test_push_ints(op, 0, 1, l, 2, 1), 0);
    ck_assert_str_eq(test_take(&t), "");
    ck_assert_int_eq(test_push_ints(op, 1, 1, r, 2, 1), 0);
    ck_assert_str_eq(test_take(&t), "+1 (1,10)\n+1 (2,10)\n+1 (1,20)\n+1 (2,20)\n");
    /* a deleted left row retracts its pairs; a left row inserted twice doubles */
    ck_assert_int_eq(test_push_ints(op, 0, 1, l, 1, -1), 0);
    ck_assert_str_eq(test_take(&t), "-1 (1,10)\n-1 (1,20)\n");
    ck_assert_int_eq(test_push_ints(op, 0, 1, l3, 1, 2), 0);
    ck_assert_str_eq(test_take(&t), "+2 (3,10)\n+2 (3,20)\n");
    ck_assert_int_eq(test_push_ints(op, 1, 1, r, 1, -1), 0);
    ck_assert_str_eq(test_take(&t), "-1 (2,10)\n-2 (3,10)\n");
    test_run_free(&t);
}
END_TEST

START_TEST(test_join_condition)
{
    TestRun t;
    Operator *op;
    const int32_t l[] = {1, 5}, r[] = {3};

    test_run_init(&t, 2);
    op = make_join(&t, true);
    ck_assert_int_eq(test_push_ints(op, 1, 1, r, 1, 1), 0);
    ck_assert_int_eq(test_push_ints(op, 0, 1, l, 2, 1), 0);
    ck_assert_str_eq(test_take(&t), "+1 (1,3)\n");
    test_run_free(&t);
}
END_TEST

/* ---- randomized: two int4 columns a,b on the left, c,d on the right ------------------------ */

START_TEST(test_join_random)
{
    static const PlanJoinType types[] = {PLAN_JOIN_INNER, PLAN_JOIN_LEFT, PLAN_JOIN_RIGHT,
                                         PLAN_JOIN_FULL};
    static Tally got, want;

    for (int pred = 0; pred < 6; pred++) {
        for (int ty = 0; ty < 4; ty++) {
            for (uint64_t trial = 0; trial < 4; trial++) {
                uint64_t seed = 0x9e3779b97f4a7c15ULL ^ (trial * 7919 + (uint64_t)pred * 131 +
                                                         (uint64_t)ty * 17 + 1);
                JoinRows ms[2];
                TestRun t;
                Operator *op;
                char what[64];

                memset(ms, 0, sizeof ms);
                got.n = 0;
                test_run_init(&t, 4);
                op = make_join4(&t, pred, types[ty]);
                snprintf(what, sizeof what, "pred %d type %d trial %d", pred, ty, (int)trial);
                for (int barrier = 0; barrier < 12; barrier++) {
                    int nchanges = 1 + (int)(join_rand(&seed) % 8);
                    Err err;

                    for (int c = 0; c < nchanges; c++) {
                        int side;
                        int32_t row[2];
                        int64_t w;

                        join_random_change(&seed, ms, &side, row, &w);
                        ck_assert_int_eq(test_push_ints(op, side, 2, row, 1, w), 0);
                        tally_text(&got, test_take(&t), false);
                    }
                    err_clear(&err);
                    ck_assert_int_eq(op->vt->flush(op, &err), 0);
                    ck_assert_int_eq(op_emit(op, &err), 0);
                    tally_text(&got, test_take(&t), false);
                    join_brute_force(&want, pred, types[ty], &ms[0], &ms[1]);
                    tally_check(&got, &want, what);
                }
                test_run_free(&t);
            }
        }
    }
}
END_TEST

/* The equi keys found in each condition: a = c once (either way round), both of a = c AND b = d. */
START_TEST(test_join_keys)
{
    static const int want[] = {1, 1, 0, 0, 2, 1};
    TestRun t;

    test_run_init(&t, 4);
    for (int pred = 0; pred < 6; pred++) {
        Operator *op = make_join4(&t, pred, PLAN_JOIN_INNER);
        JoinKeys k;

        planner_join_keys(t.run.arena, op->node->plan, &k);
        ck_assert_int_eq(k.nkeys, want[pred]);
        for (int i = 0; i < k.nkeys; i++) {
            ck_assert_int_eq(k.left[i]->kind, EXPR_COLUMN);
            ck_assert_int_lt(k.left[i]->u.column, 2);
            ck_assert_int_ge(k.right[i]->u.column, 2);
            ck_assert_int_eq(k.types[i], TYPE_INT4);
        }
    }
    test_run_free(&t);
}
END_TEST

/* A one-shot run emits no retraction, whichever side arrives first. */
START_TEST(test_join_random_one_shot)
{
    static const PlanJoinType types[] = {PLAN_JOIN_INNER, PLAN_JOIN_LEFT, PLAN_JOIN_RIGHT,
                                         PLAN_JOIN_FULL};
    static Tally got, want;

    for (int pred = 0; pred < 6; pred++) {
        for (int ty = 0; ty < 4; ty++) {
            for (int first = 0; first < 2; first++) {
                uint64_t seed = 0x2545f4914f6cdd1dULL + (uint64_t)(pred * 8 + ty * 2 + first);
                JoinRows ms[2];
                TestRun t;
                Operator *op;
                Err err;

                memset(ms, 0, sizeof ms);
                for (int c = 0; c < 30; c++) {
                    int side;
                    int32_t row[2];
                    int64_t w;

                    join_random_change(&seed, ms, &side, row, &w);
                }
                got.n = 0;
                test_run_init(&t, 4);
                t.run.one_shot = true;
                op = make_join4(&t, pred, types[ty]);
                for (int k = 0; k < 2; k++) {
                    int side = k == 0 ? first : 1 - first;

                    for (int i = 0; i < ms[side].n; i++) {
                        if (ms[side].w[i] > 0)
                            ck_assert_int_eq(test_push_ints(op, side, 2, ms[side].rows[i], 1,
                                                            ms[side].w[i]),
                                             0);
                        tally_text(&got, test_take(&t), true);
                    }
                }
                err_clear(&err);
                ck_assert_int_eq(op->vt->flush(op, &err), 0);
                ck_assert_int_eq(op_emit(op, &err), 0);
                tally_text(&got, test_take(&t), true);
                join_brute_force(&want, pred, types[ty], &ms[0], &ms[1]);
                tally_check(&got, &want, "one-shot");
                test_run_free(&t);
            }
        }
    }
}
END_TEST

/* LEFT JOIN ON a = c: the padded row comes and goes with the matches, at the barrier. */
START_TEST(test_join_outer_deltas)
{
    TestRun t;
    Operator *op;
    const int32_t l[] = {1, 7}, r1[] = {1, 10}, r2[] = {1, 20}, lnull[] = {NULLV, 8};
    const int32_t l2[] = {2, 5}, r3[] = {2, 9};

    test_run_init(&t, 4);
    op = make_join4(&t, 0, PLAN_JOIN_LEFT);
    ck_assert_int_eq(test_push_ints(op, 0, 2, l, 1, 1), 0);
    ck_assert_str_eq(test_take(&t), "");
    ck_assert_str_eq(join_barrier(&t, op), "+1 (1,7,NULL,NULL)\n");
    ck_assert_int_eq(test_push_ints(op, 1, 2, r1, 1, 1), 0);
    ck_assert_str_eq(join_barrier(&t, op), "+1 (1,7,1,10)\n-1 (1,7,NULL,NULL)\n");
    ck_assert_int_eq(test_push_ints(op, 1, 2, r2, 1, 1), 0);
    ck_assert_str_eq(join_barrier(&t, op), "+1 (1,7,1,20)\n");
    ck_assert_int_eq(test_push_ints(op, 1, 2, r1, 1, -1), 0);
    ck_assert_str_eq(join_barrier(&t, op), "-1 (1,7,1,10)\n");
    ck_assert_int_eq(test_push_ints(op, 1, 2, r2, 1, -1), 0);
    ck_assert_str_eq(join_barrier(&t, op), "-1 (1,7,1,20)\n+1 (1,7,NULL,NULL)\n");
    /* a NULL key never matches: padded at once, also on retraction */
    ck_assert_int_eq(test_push_ints(op, 0, 2, lnull, 1, 2), 0);
    ck_assert_str_eq(test_take(&t), "+2 (NULL,8,NULL,NULL)\n");
    ck_assert_int_eq(test_push_ints(op, 0, 2, l, 1, -1), 0);
    ck_assert_str_eq(join_barrier(&t, op), "-1 (1,7,NULL,NULL)\n");
    /* a row and its match in one epoch: only the pair, no padded row in and out */
    ck_assert_int_eq(test_push_ints(op, 0, 2, l2, 1, 1), 0);
    ck_assert_int_eq(test_push_ints(op, 1, 2, r3, 1, 1), 0);
    ck_assert_str_eq(join_barrier(&t, op), "+1 (2,5,2,9)\n");
    /* a deleted row comes back within the epoch: nothing changes */
    ck_assert_int_eq(test_push_ints(op, 1, 2, r3, 1, -1), 0);
    ck_assert_int_eq(test_push_ints(op, 1, 2, r3, 1, 1), 0);
    ck_assert_str_eq(join_barrier(&t, op), "-1 (2,5,2,9)\n+1 (2,5,2,9)\n");
    test_run_free(&t);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("op_join");
    TCase *tc = tcase_create("core");
    SRunner *sr;
    int failed;

    tcase_add_test(tc, test_join_deltas);
    tcase_add_test(tc, test_join_condition);
    tcase_add_test(tc, test_join_outer_deltas);
    tcase_add_test(tc, test_join_keys);
    tcase_add_test(tc, test_join_random);
    tcase_add_test(tc, test_join_random_one_shot);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
