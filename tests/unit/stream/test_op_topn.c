/*
 * tests/unit/stream/test_op_topn.c — stream/op_topn.c: ORDER BY ... LIMIT
 * inside a subquery as a delta operator (retract the old top rows, emit the
 * new ones), retractions cancelling kept rows.
 */
#include <check.h>
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

int
main(void)
{
    Suite *s = suite_create("op_topn");
    TCase *tc = tcase_create("core");
    SRunner *sr;
    int failed;

    tcase_add_test(tc, test_topn_deltas);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
