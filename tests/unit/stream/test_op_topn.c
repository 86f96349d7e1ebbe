/*
 * tests/unit/stream/test_op_topn.c — stream/op_topn.c: ORDER BY ... LIMIT
 * inside a subquery as a delta operator (retract the old top rows, emit the
 * new ones), retractions cancelling kept rows.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "stream_test_util.h"

/* ORDER BY column 0 DESC LIMIT 2 over int4 rows. */
static Operator *
make_topn(TestRun *t)
{
    Arena *a = t->run.arena;
    PlanNode *sort = plan_new(a, PLAN_SORT, NULL, 1), *limit = plan_new(a, PLAN_LIMIT, sort, 1);
    DfNode *node = arena_calloc(a, 1, sizeof *node);
    Operator *op;

    sort->types[0] = limit->types[0] = TYPE_INT4;
    sort->u.sort.nkeys = 1;
    sort->u.sort.keys = arena_calloc(a, 1, sizeof(SortKey));
    sort->u.sort.keys[0].column = 0;
    sort->u.sort.keys[0].desc = true;
    ck_assert(plan_type_order(TYPE_INT4, &sort->u.sort.keys[0].order));
    limit->u.limit.limit = expr_const(a, TYPE_INT8, datum_from_int64(2), false, -1);
    node->kind = DF_TOPN;
    node->plan = limit;
    node->sort = sort;
    node->limit = limit;
    op = op_topn_new(&t->run, node);
    test_connect(t, op);
    return op;
}

static void
flush(Operator *op)
{
    Err err;

    err_clear(&err);
    ck_assert_int_eq(op->vt->flush(op, &err), 0);
    ck_assert_int_eq(op_emit(op, &err), 0);
}

START_TEST(test_topn_deltas)
{
    TestRun t;
    Operator *op;
    const int32_t rows[] = {1, 3, 2, 3}, three[] = {3}, five[] = {5};

    test_run_init(&t, 1);
    op = make_topn(&t);
    ck_assert_int_eq(test_push_ints(op, 0, 1, rows, 4, 1), 0);
    flush(op);
    ck_assert_str_eq(test_take(&t), "+1 (3)\n+1 (3)\n");
    /* one 3 deleted: the top is 3, 2 */
    ck_assert_int_eq(test_push_ints(op, 0, 1, three, 1, -1), 0);
    flush(op);
    ck_assert_str_eq(test_take(&t), "-1 (3)\n-1 (3)\n+1 (3)\n+1 (2)\n");
    /* nothing changed: nothing emitted */
    flush(op);
    ck_assert_str_eq(test_take(&t), "");
    ck_assert_int_eq(test_push_ints(op, 0, 1, five, 1, 1), 0);
    flush(op);
    ck_assert_str_eq(test_take(&t), "-1 (3)\n-1 (2)\n+1 (5)\n+1 (3)\n");
    test_run_free(&t);
}
END_TEST

/* A delete pushed before its insert cancels it; one row with weight 3 comes out LIMIT times. */
START_TEST(test_topn_consolidates)
{
    TestRun t;
    Operator *op;
    const int32_t seven[] = {7}, four[] = {4};

    test_run_init(&t, 1);
    op = make_topn(&t);
    ck_assert_int_eq(test_push_ints(op, 0, 1, seven, 1, -2), 0);
    ck_assert_int_eq(test_push_ints(op, 0, 1, four, 1, 1), 0);
    ck_assert_int_eq(test_push_ints(op, 0, 1, seven, 1, 2), 0);
    flush(op);
    ck_assert_str_eq(test_take(&t), "+1 (4)\n");
    ck_assert_int_eq(test_push_ints(op, 0, 1, seven, 1, 3), 0);
    flush(op);
    ck_assert_str_eq(test_take(&t), "-1 (4)\n+1 (7)\n+1 (7)\n");
    ck_assert_int_eq(test_push_ints(op, 0, 1, seven, 1, -3), 0);
    flush(op);
    ck_assert_str_eq(test_take(&t), "-1 (7)\n-1 (7)\n+1 (4)\n");
    test_run_free(&t);
}
END_TEST

/* Randomized: after every barrier the emitted multiset is the top 2 of what was pushed. */
START_TEST(test_topn_random)
{
    for (unsigned seed = 1; seed <= 30; seed++) {
        TestRun t;
        Operator *op;
        int count[6] = {0}, emitted[6] = {0};

        srand(seed);
        test_run_init(&t, 1);
        op = make_topn(&t);
        for (int epoch = 0; epoch < 20; epoch++) {
            for (int i = 0; i < 6; i++) {
                int32_t v = rand() % 6;
                int64_t wt = (rand() % 2 == 0 || count[v] == 0) ? 1 : -1;

                count[v] += (int)wt;
                ck_assert_int_eq(test_push_ints(op, 0, 1, &v, 1, wt), 0);
            }
            flush(op);
            /* apply the output to emitted */
            {
                const char *out = test_take(&t);
                int w, v, pos = 0, nread;

                while (sscanf(out + pos, "%d (%d)\n%n", &w, &v, &nread) == 2) {
                    emitted[v] += w;
                    pos += nread;
                }
            }
            {
                int want[6] = {0}, left = 2;

                for (int v = 5; v >= 0 && left > 0; v--) {
                    want[v] = count[v] < left ? count[v] : left;
                    left -= want[v];
                }
                for (int v = 0; v < 6; v++)
                    ck_assert_msg(emitted[v] == want[v], "seed %u epoch %d value %d: %d vs %d",
                                  seed, epoch, v, emitted[v], want[v]);
            }
        }
        test_run_free(&t);
    }
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("op_topn");
    TCase *tc = tcase_create("core");
    SRunner *sr;
    int failed;

    tcase_add_test(tc, test_topn_deltas);
    tcase_add_test(tc, test_topn_consolidates);
    tcase_add_test(tc, test_topn_random);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
