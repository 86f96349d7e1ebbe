/*
 * tests/unit/stream/test_op_agg.c — stream/op_agg.c: group outputs as
 * deltas, retraction of retractable and non-retractable aggregates,
 * DISTINCT multisets, the scalar aggregate over no input.
 */
#include <check.h>
#include <stdlib.h>

#include "stream_test_util.h"

/* GROUP BY column 0: count(*), sum(c1), min(c1), count(DISTINCT c1) over (int4, int4) rows. */
static Operator *
grouped_agg(TestRun *t, int nkeys)
{
    Arena *a = t->run.arena;
    PlanNode *p = plan_new(a, PLAN_AGG, NULL, nkeys + 4);
    DfNode *node = arena_calloc(a, 1, sizeof *node);

    p->u.agg.nkeys = nkeys;
    p->u.agg.keys = arena_calloc(a, 1, sizeof(Expr *));
    p->u.agg.key_orders = arena_calloc(a, 1, sizeof(TypeOrder));
    if (nkeys > 0) {
        p->u.agg.keys[0] = test_col(a, 0, TYPE_INT4);
        ck_assert(plan_type_order(TYPE_INT4, &p->u.agg.key_orders[0]));
    }
    p->u.agg.naggs = 4;
    p->u.agg.aggs = arena_calloc(a, 4, sizeof(AggCall));
    p->u.agg.aggs[0] = test_agg(a, "count", TYPE_INVALID, NULL);
    p->u.agg.aggs[1] = test_agg(a, "sum", TYPE_INT4, test_col(a, 1, TYPE_INT4));
    p->u.agg.aggs[2] = test_agg(a, "min", TYPE_INT4, test_col(a, 1, TYPE_INT4));
    p->u.agg.aggs[3] = test_agg(a, "count", TYPE_INT4, test_col(a, 1, TYPE_INT4));
    p->u.agg.aggs[3].distinct = true;
    node->kind = DF_AGG;
    node->plan = p;
    Operator *op = op_agg_new(&t->run, node);
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

START_TEST(test_inserts_then_deletes)
{
    TestRun t;
    Operator *op;
    const int32_t rows[] = {1, 10, 1, 20, 2, 5, 1, 20};
    const int32_t del1[] = {1, 10};
    const int32_t del2[] = {2, 5};
    const int32_t del3[] = {1, 20};

    test_run_init(&t, 5);
    op = grouped_agg(&t, 1);
    ck_assert_int_eq(test_push_ints(op, 0, 2, rows, 4, 1), 0);
    ck_assert_str_eq(test_take(&t), "");
    flush(op);
    ck_assert_str_eq(test_take(&t), "+1 (1,3,50,10,2)\n+1 (2,1,5,5,1)\n");
    /* no change: a barrier emits nothing */
    flush(op);
    ck_assert_str_eq(test_take(&t), "");
    /* min(10) retracted: rebuilt from the multiset; count(DISTINCT) drops 10 */
    ck_assert_int_eq(test_push_ints(op, 0, 2, del1, 1, -1), 0);
    flush(op);
    ck_assert_str_eq(test_take(&t), "-1 (1,3,50,10,2)\n+1 (1,2,40,20,1)\n");
    /* the group disappears */
    ck_assert_int_eq(test_push_ints(op, 0, 2, del2, 1, -1), 0);
    flush(op);
    ck_assert_str_eq(test_take(&t), "-1 (2,1,5,5,1)\n");
    /* one of two equal values: DISTINCT count unchanged */
    ck_assert_int_eq(test_push_ints(op, 0, 2, del3, 1, -1), 0);
    flush(op);
    ck_assert_str_eq(test_take(&t), "-1 (1,2,40,20,1)\n+1 (1,1,20,20,1)\n");
    /* the group comes back */
    ck_assert_int_eq(test_push_ints(op, 0, 2, del2, 1, 2), 0);
    flush(op);
    ck_assert_str_eq(test_take(&t), "+1 (2,2,10,5,1)\n");
    test_run_free(&t);
}
END_TEST

START_TEST(test_scalar_empty_and_back)
{
    TestRun t;
    Operator *op;
    const int32_t rows[] = {0, 7, 0, INT32_MIN};

    test_run_init(&t, 4);
    op = grouped_agg(&t, 0);
    /* no input: one row, count 0 and the rest NULL */
    flush(op);
    ck_assert_str_eq(test_take(&t), "+1 (0,NULL,NULL,0)\n");
    ck_assert_int_eq(test_push_ints(op, 0, 2, rows, 2, 1), 0);
    flush(op);
    ck_assert_str_eq(test_take(&t), "-1 (0,NULL,NULL,0)\n+1 (2,7,7,1)\n");
    ck_assert_int_eq(test_push_ints(op, 0, 2, rows, 2, -1), 0);
    flush(op);
    ck_assert_str_eq(test_take(&t), "-1 (2,7,7,1)\n+1 (0,NULL,NULL,0)\n");
    test_run_free(&t);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("op_agg");
    TCase *tc = tcase_create("core");
    SRunner *sr;
    int failed;

    tcase_add_test(tc, test_inserts_then_deletes);
    tcase_add_test(tc, test_scalar_empty_and_back);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
