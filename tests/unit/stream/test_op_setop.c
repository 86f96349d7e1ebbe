/*
 * tests/unit/stream/test_op_setop.c — stream/op_setop.c: UNION, INTERSECT
 * and EXCEPT [ALL] under inserts and retractions. Hand-checked deltas, then
 * randomized epochs of insert/delete changes (deletes sometimes before the
 * insert they cancel, within one epoch) whose consolidated output must equal
 * the multiplicities computed by brute force over the inputs after every
 * barrier.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "sql/catalog.h"
#include "stream_test_util.h"

#define NULLV INT32_MIN

static Operator *
make_setop(TestRun *t, PlanSetOpKind kind, bool all, Operator *sink)
{
    Arena *a = t->run.arena;
    PlanNode *l = plan_new(a, PLAN_VALUES, NULL, 2), *r = plan_new(a, PLAN_VALUES, NULL, 2);
    PlanNode *p = plan_new(a, PLAN_SETOP, l, 2);
    DfNode *node = arena_calloc(a, 1, sizeof *node);
    Operator *op;

    p->right = r;
    for (int c = 0; c < 2; c++)
        l->types[c] = r->types[c] = p->types[c] = TYPE_INT4;
    p->u.setop.op = kind;
    p->u.setop.all = all;
    node->kind = DF_SETOP;
    node->plan = p;
    op = op_setop_new(&t->run, node);
    if (sink == NULL) {
        test_connect(t, op);
    } else {
        op->out = sink;
        op->out_port = 0;
    }
    return op;
}

static int
flush(Operator *op)
{
    Err err;

    err_clear(&err);
    if (op->vt->flush(op, &err) < 0)
        return -1;
    return op_emit(op, &err);
}

START_TEST(test_union_deltas)
{
    TestRun t;
    Operator *op;
    const int32_t l[] = {1, 10, 2, NULLV}, r[] = {1, 10, 3, 30};

    test_run_init(&t, 2);
    op = make_setop(&t, PLAN_SETOP_UNION, false, NULL);
    ck_assert_int_eq(test_push_ints(op, 0, 2, l, 2, 1), 0);
    ck_assert_int_eq(test_push_ints(op, 1, 2, r, 2, 1), 0);
    ck_assert_str_eq(test_take(&t), ""); /* nothing before the barrier */
    ck_assert_int_eq(flush(op), 0);
    /* (1,10) is in both inputs: once; NULL equals NULL */
    ck_assert_str_eq(test_take(&t), "+1 (1,10)\n+1 (2,NULL)\n+1 (3,30)\n");
    ck_assert_int_eq(test_push_ints(op, 1, 2, r, 1, -1), 0);
    ck_assert_int_eq(flush(op), 0);
    ck_assert_str_eq(test_take(&t), ""); /* still on the left */
    ck_assert_int_eq(test_push_ints(op, 0, 2, l, 2, -1), 0);
    ck_assert_int_eq(test_push_ints(op, 0, 2, l + 2, 1, 1), 0); /* (2,NULL) back: no change */
    ck_assert_int_eq(flush(op), 0);
    ck_assert_str_eq(test_take(&t), "-1 (1,10)\n");
    test_run_free(&t);
}
END_TEST

START_TEST(test_except_all_deltas)
{
    TestRun t;
    Operator *op;
    const int32_t row[] = {5, NULLV};

    test_run_init(&t, 2);
    op = make_setop(&t, PLAN_SETOP_EXCEPT, true, NULL);
    ck_assert_int_eq(test_push_ints(op, 0, 2, row, 1, 3), 0);
    ck_assert_int_eq(test_push_ints(op, 1, 2, row, 1, 1), 0);
    ck_assert_int_eq(flush(op), 0);
    ck_assert_str_eq(test_take(&t), "+2 (5,NULL)\n");
    ck_assert_int_eq(test_push_ints(op, 1, 2, row, 1, 4), 0);
    ck_assert_int_eq(flush(op), 0);
    ck_assert_str_eq(test_take(&t), "-2 (5,NULL)\n");
    ck_assert_int_eq(test_push_ints(op, 1, 2, row, 1, -4), 0);
    ck_assert_int_eq(flush(op), 0);
    ck_assert_str_eq(test_take(&t), "+2 (5,NULL)\n");
    test_run_free(&t);
}
END_TEST

START_TEST(test_union_all_passes_through)
{
    TestRun t;
    Operator *op;
    const int32_t l[] = {1, 1}, r[] = {1, 1};

    test_run_init(&t, 2);
    op = make_setop(&t, PLAN_SETOP_UNION, true, NULL);
    ck_assert_int_eq(test_push_ints(op, 0, 2, l, 1, 1), 0);
    ck_assert_int_eq(test_push_ints(op, 1, 2, r, 1, 2), 0);
    ck_assert_int_eq(test_push_ints(op, 0, 2, l, 1, -1), 0);
    ck_assert_str_eq(test_take(&t), "+1 (1,1)\n+2 (1,1)\n-1 (1,1)\n");
    test_run_free(&t);
}
END_TEST

/* ---- randomized -------------------------------------------------------------------------- */

/* Rows are (a, b) with a, b in {0, 1, 2, NULL}: 16 distinct rows, so collisions are frequent. */
#define DOMAIN 4
#define NROWS (DOMAIN * DOMAIN)

static int32_t
col_value(int v)
{
    return v == DOMAIN - 1 ? NULLV : v;
}

static int
row_index(const Value *row)
{
    int k[2];

    for (int c = 0; c < 2; c++)
        k[c] = row[c].isnull ? DOMAIN - 1 : (int)datum_get_int32(row[c].d);
    return k[0] * DOMAIN + k[1];
}

/* A sink that consolidates what it is pushed, per row. */
typedef struct Sink {
    Operator op;
    int64_t w[NROWS];
    bool saw_zero;
} Sink;

static int
sink_push(Operator *op, int port, const Batch *in, Err *err)
{
    Sink *s = (Sink *)op;

    (void)port, (void)err;
    for (int i = 0; i < in->n; i++) {
        s->saw_zero = s->saw_zero || in->weights[i] == 0;
        s->w[row_index(batch_row(in, i))] += in->weights[i];
    }
    return 0;
}

static int
sink_flush(Operator *op, Err *err)
{
    (void)op, (void)err;
    return 0;
}

static const OpVtbl sink_vt = {"sink", sink_push, sink_flush};

static uint64_t
next_rand(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static int64_t
expected(PlanSetOpKind kind, bool all, int64_t l, int64_t r)
{
    int64_t m = l < r ? l : r;

    switch (kind) {
    case PLAN_SETOP_UNION:
        return all ? l + r : l + r > 0;
    case PLAN_SETOP_INTERSECT:
        return all ? m : m > 0;
    case PLAN_SETOP_EXCEPT:
        return all ? (l > r ? l - r : 0) : l > 0 && r == 0;
    }
    return -1;
}

typedef struct Change {
    int port, row;
    int64_t w;
} Change;

/* One epoch of random changes that leave every count >= 0, in shuffled order. */
static int
make_epoch(uint64_t *seed, int64_t counts[2][NROWS], Change *ch)
{
    int n = (int)(next_rand(seed) % 12);

    for (int i = 0; i < n; i++) {
        int port = (int)(next_rand(seed) % 2), row = (int)(next_rand(seed) % NROWS);
        int64_t w = counts[port][row] > 0 && next_rand(seed) % 2
                        ? -1 - (int64_t)(next_rand(seed) % (uint64_t)counts[port][row])
                        : 1 + (int64_t)(next_rand(seed) % 2);

        counts[port][row] += w;
        ch[i] = (Change){port, row, w};
    }
    for (int i = n - 1; i > 0; i--) { /* a delete may now come before its insert */
        int j = (int)(next_rand(seed) % (uint64_t)(i + 1));
        Change tmp = ch[i];

        ch[i] = ch[j];
        ch[j] = tmp;
    }
    return n;
}

static void
run_random(PlanSetOpKind kind, bool all, uint64_t seed)
{
    TestRun t;
    Sink *sink;
    Operator *op;
    int64_t counts[2][NROWS] = {{0}};
    Change ch[16];

    test_run_init(&t, 2);
    sink = op_alloc(&t.run, sizeof(Sink), &sink_vt, NULL, 2);
    op = make_setop(&t, kind, all, &sink->op);
    for (int epoch = 0; epoch < 40; epoch++) {
        int n = make_epoch(&seed, counts, ch);

        for (int i = 0; i < n; i++) {
            int32_t vals[2] = {col_value(ch[i].row / DOMAIN), col_value(ch[i].row % DOMAIN)};

            ck_assert_int_eq(test_push_ints(op, ch[i].port, 2, vals, 1, ch[i].w), 0);
        }
        ck_assert_int_eq(flush(op), 0);
        for (int r = 0; r < NROWS; r++)
            ck_assert_msg(sink->w[r] == expected(kind, all, counts[0][r], counts[1][r]),
                          "op %d all %d seed %llu epoch %d row %d: got %lld, want %lld (l %lld, "
                          "r %lld)",
                          (int)kind, (int)all, (unsigned long long)seed, epoch, r,
                          (long long)sink->w[r],
                          (long long)expected(kind, all, counts[0][r], counts[1][r]),
                          (long long)counts[0][r], (long long)counts[1][r]);
        ck_assert(!sink->saw_zero);
    }
    test_run_free(&t);
}

START_TEST(test_random_vs_brute_force)
{
    static const PlanSetOpKind kinds[] = {PLAN_SETOP_UNION, PLAN_SETOP_INTERSECT,
                                          PLAN_SETOP_EXCEPT};

    for (int k = 0; k < 3; k++) {
        for (int all = 0; all < 2; all++) {
            for (uint64_t seed = 1; seed <= 25; seed++)
                run_random(kinds[k], all, seed * 0x9E3779B97F4A7C15ull);
        }
    }
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("op_setop");
    TCase *tc = tcase_create("core");
    SRunner *sr;
    int failed;

    tcase_add_test(tc, test_union_deltas);
    tcase_add_test(tc, test_except_all_deltas);
    tcase_add_test(tc, test_union_all_passes_through);
    tcase_add_test(tc, test_random_vs_brute_force);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
