/*
 * tests/unit/stream/test_op_markjoin.c — stream/op_markjoin.c: the marks of
 * EXISTS, IN/ANY, ALL and scalar subqueries with SQL's three-valued logic,
 * and, randomized, that random insert/delete deltas over many barriers
 * leave exactly {(left row, mark) × weight} as a brute-force evaluation over
 * the final multisets computes it. The builder and the brute force are
 * join_test_util.c's, shared with test_op_markjoin_state.c.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "common/errcodes.h"
#include "join_test_util.h"
#include "sql/catalog.h"

/* ---- hand-written cases ------------------------------------------------------------------- */

START_TEST(test_not_in_nulls)
{
    TestRun t;
    MarkSink *s;
    Operator *op;
    Err err;
    const int32_t left[] = {1, 1, 1, 2, 1, NULLV}, right[] = {9, 1, 9, 3}, rnull[] = {9, NULLV};

    err_clear(&err);
    test_run_init(&t, 3);
    op = make_markjoin(&t, s = mark_sink_new(&t), 2);
    /* empty subquery: IN is false for every row, NULL x included */
    ck_assert_int_eq(test_push_ints(op, 0, 2, left, 3, 1), 0);
    ck_assert_int_eq(mark_barrier(op, &err), 0);
    ck_assert_str_eq(mark_sink_text(s), "1 (1,1,0)\n1 (1,2,0)\n1 (1,N,0)\n");
    /* {1, 3}: 1 found; 2 not; NULL x → NULL */
    ck_assert_int_eq(test_push_ints(op, 1, 2, right, 2, 1), 0);
    ck_assert_int_eq(mark_barrier(op, &err), 0);
    ck_assert_str_eq(mark_sink_text(s), "1 (1,1,1)\n1 (1,2,0)\n1 (1,N,N)\n");
    /* {1, 3, NULL}: 2 not found becomes NULL */
    ck_assert_int_eq(test_push_ints(op, 1, 2, rnull, 1, 1), 0);
    ck_assert_int_eq(mark_barrier(op, &err), 0);
    ck_assert_str_eq(mark_sink_text(s), "1 (1,1,1)\n1 (1,2,N)\n1 (1,N,N)\n");
    /* the NULL and then everything retracted: false again */
    ck_assert_int_eq(test_push_ints(op, 1, 2, rnull, 1, -1), 0);
    ck_assert_int_eq(test_push_ints(op, 1, 2, right, 2, -1), 0);
    ck_assert_int_eq(mark_barrier(op, &err), 0);
    ck_assert_str_eq(mark_sink_text(s), "1 (1,1,0)\n1 (1,2,0)\n1 (1,N,0)\n");
    test_run_free(&t);
}
END_TEST

START_TEST(test_hashed_not_in)
{
    TestRun t;
    MarkSink *s;
    Operator *op;
    Err err;
    const int32_t left[] = {1, 1, 1, 2, 1, NULLV}, right[] = {9, 1, 9, 3}, rnull[] = {9, NULLV};

    err_clear(&err);
    test_run_init(&t, 3);
    op = make_markjoin(&t, s = mark_sink_new(&t), 7);
    ck_assert_int_eq(test_push_ints(op, 0, 2, left, 3, 1), 0);
    ck_assert_int_eq(mark_barrier(op, &err), 0);
    ck_assert_str_eq(mark_sink_text(s), "1 (1,1,0)\n1 (1,2,0)\n1 (1,N,0)\n");
    ck_assert_int_eq(test_push_ints(op, 1, 2, right, 2, 1), 0);
    ck_assert_int_eq(mark_barrier(op, &err), 0);
    ck_assert_str_eq(mark_sink_text(s), "1 (1,1,1)\n1 (1,2,0)\n1 (1,N,N)\n");
    ck_assert_int_eq(test_push_ints(op, 1, 2, rnull, 1, 1), 0);
    ck_assert_int_eq(mark_barrier(op, &err), 0);
    ck_assert_str_eq(mark_sink_text(s), "1 (1,1,1)\n1 (1,2,N)\n1 (1,N,N)\n");
    ck_assert_int_eq(test_push_ints(op, 1, 2, rnull, 1, -1), 0);
    ck_assert_int_eq(test_push_ints(op, 1, 2, right, 2, -1), 0);
    ck_assert_int_eq(mark_barrier(op, &err), 0);
    ck_assert_str_eq(mark_sink_text(s), "1 (1,1,0)\n1 (1,2,0)\n1 (1,N,0)\n");
    test_run_free(&t);
}
END_TEST

START_TEST(test_scalar_cardinality)
{
    TestRun t;
    MarkSink *s;
    Operator *op;
    Err err;
    const int32_t left[] = {1, 0, 2, 0}, right[] = {1, 10, 1, 11};

    err_clear(&err);
    test_run_init(&t, 3);
    op = make_markjoin(&t, s = mark_sink_new(&t), 5);
    ck_assert_int_eq(test_push_ints(op, 0, 2, left, 2, 1), 0);
    ck_assert_int_eq(test_push_ints(op, 1, 2, right, 1, 1), 0);
    ck_assert_int_eq(mark_barrier(op, &err), 0);
    ck_assert_str_eq(mark_sink_text(s), "1 (1,0,10)\n1 (2,0,0)\n");
    /* a second row in key 1, retracted before the barrier: no error */
    ck_assert_int_eq(test_push_ints(op, 1, 2, right + 2, 1, 1), 0);
    ck_assert_int_eq(test_push_ints(op, 1, 2, right + 2, 1, -1), 0);
    ck_assert_int_eq(mark_barrier(op, &err), 0);
    ck_assert_str_eq(mark_sink_text(s), "1 (1,0,10)\n1 (2,0,0)\n");
    ck_assert_int_eq(test_push_ints(op, 1, 2, right + 2, 1, 1), 0);
    ck_assert_int_eq(mark_barrier(op, &err), -1);
    ck_assert_str_eq(err.sqlstate, ERRCODE_CARDINALITY_VIOLATION);
    ck_assert_str_eq(err.message, "more than one row returned by a subquery used as an expression");
    test_run_free(&t);
}
END_TEST

/* ---- randomized against brute force ------------------------------------------------------- */

static void
random_trial(int mode, uint64_t seed)
{
    TestRun t;
    MarkSink *s;
    Operator *op;
    MarkRows l = {0}, r = {0};

    mark_rng_state = seed * 0x9e3779b97f4a7c15ULL + 1;
    test_run_init(&t, 3);
    op = make_markjoin(&t, s = mark_sink_new(&t), mode);
    for (int epoch = 0; epoch < 12; epoch++) {
        static char want_copy[16384]; /* mark_sink_text() reuses one buffer */
        const char *want;
        Err err;
        int rc;

        err_clear(&err);
        for (int k = (int)mark_rng(6); k >= 0; k--) {
            int port = (int)mark_rng(2);

            ck_assert_int_eq(mark_random_change(op, port == 0 ? &l : &r, port), 0);
        }
        rc = mark_barrier(op, &err);
        want = mark_brute_text(mode, &l, &r);
        if (want == NULL) {
            ck_assert_int_eq(rc, -1);
            ck_assert_str_eq(err.sqlstate, ERRCODE_CARDINALITY_VIOLATION);
            break; /* the statement (or the view's epoch) fails here */
        }
        ck_assert_msg(rc == 0, "mode %d seed %llu epoch %d: %s", mode, (unsigned long long)seed,
                      epoch, err.message);
        snprintf(want_copy, sizeof want_copy, "%s", want);
        want = want_copy;
        ck_assert_msg(strcmp(mark_sink_text(s), want) == 0,
                      "mode %d seed %llu epoch %d:\ngot:\n%swant:\n%s", mode,
                      (unsigned long long)seed, epoch, mark_sink_text(s), want);
    }
    test_run_free(&t);
}

START_TEST(test_random_deltas)
{
    for (int mode = 0; mode <= 9; mode++) {
        for (uint64_t seed = 1; seed <= 150; seed++)
            random_trial(mode, seed);
    }
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("op_markjoin");
    TCase *tc = tcase_create("core");
    SRunner *sr;
    int failed;

    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_not_in_nulls);
    tcase_add_test(tc, test_hashed_not_in);
    tcase_add_test(tc, test_scalar_cardinality);
    tcase_add_test(tc, test_random_deltas);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
