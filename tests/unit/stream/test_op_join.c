/*
 * tests/unit/stream/test_op_join.c — stream/op_join.c: the bilinear delta
 * rule (ΔL ⋈ R + L' ⋈ ΔR), weights multiplied, a join condition.
 */
#include <check.h>
#include <stdlib.h>

#include "sql/catalog.h"
#include "stream_test_util.h"

static Operator *
make_join(TestRun *t, bool with_pred)
{
    Arena *a = t->run.arena;
    PlanNode *l = plan_new(a, PLAN_VALUES, NULL, 1), *r = plan_new(a, PLAN_VALUES, NULL, 1);
    PlanNode *j = plan_new(a, PLAN_JOIN, l, 2);
    DfNode *node = arena_calloc(a, 1, sizeof *node);

    j->right = r;
    l->types[0] = r->types[0] = j->types[0] = j->types[1] = TYPE_INT4;
    if (with_pred) {
        /* a < b */
        const OperDef *o;
        int pos = 0;
        Expr **args = arena_alloc(a, 2 * sizeof(Expr *));

        while ((o = catalog_next_oper("<", &pos)) != NULL &&
               !(o->left == TYPE_INT4 && o->right == TYPE_INT4))
            ;
        args[0] = test_col(a, 0, TYPE_INT4);
        args[1] = test_col(a, 1, TYPE_INT4);
        j->u.pred = expr_func(a, NULL, o->fn, true, TYPE_BOOL, 2, args, -1);
    }
    node->kind = DF_JOIN;
    node->plan = j;
    Operator *op = op_join_new(&t->run, node);
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

int
main(void)
{
    Suite *s = suite_create("op_join");
    TCase *tc = tcase_create("core");
    SRunner *sr;
    int failed;

    tcase_add_test(tc, test_join_deltas);
    tcase_add_test(tc, test_join_condition);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
