/*
 * tests/unit/stream/test_op_join.c — stream/op_join.c: the bilinear delta
 * rule (ΔL ⋈ R + L' ⋈ ΔR), weights multiplied, a join condition; and
 * randomized insert/delete deltas over many barriers for inner, LEFT, RIGHT
 * and FULL joins with equi keys, residual conditions and none, whose
 * consolidated output must equal a brute-force join of the final inputs.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "planner/join_keys.h"
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

/* ---- randomized: two int4 columns a,b on the left, c,d on the right ------------------------ */

#define NULLV INT32_MIN
#define MAXROWS 64

typedef struct Multiset {
    int n;
    int32_t rows[MAXROWS][2];
    int64_t w[MAXROWS];
} Multiset;

typedef struct Tally {
    int n;
    char rows[512][64];
    int64_t w[512];
} Tally;

static const OperDef *
int4_oper(const char *name)
{
    const OperDef *o;
    int pos = 0;

    while ((o = catalog_next_oper(name, &pos)) != NULL &&
           !(o->left == TYPE_INT4 && o->right == TYPE_INT4))
        ;
    return o;
}

static Expr *
cmp(Arena *a, const char *name, int x, int y)
{
    Expr **args = arena_alloc(a, 2 * sizeof(Expr *));

    args[0] = test_col(a, x, TYPE_INT4);
    args[1] = test_col(a, y, TYPE_INT4);
    return expr_func(a, NULL, int4_oper(name)->fn, true, TYPE_BOOL, 2, args, -1);
}

static Expr *
and2(Arena *a, Expr *x, Expr *y)
{
    Expr *e = expr_new(a, EXPR_AND, TYPE_BOOL, -1);

    e->u.list.nargs = 2;
    e->u.list.args = arena_alloc(a, 2 * sizeof(Expr *));
    e->u.list.args[0] = x;
    e->u.list.args[1] = y;
    return e;
}

/* 0: a = c; 1: a = c AND b < d; 2: none; 3: b < d; 4: a = c AND b = d; 5: c = a (swapped) */
static Expr *
make_pred(Arena *a, int kind)
{
    switch (kind) {
    case 0:
        return cmp(a, "=", 0, 2);
    case 1:
        return and2(a, cmp(a, "=", 0, 2), cmp(a, "<", 1, 3));
    case 3:
        return cmp(a, "<", 1, 3);
    case 4:
        return and2(a, cmp(a, "=", 0, 2), cmp(a, "=", 1, 3));
    case 5:
        return cmp(a, "=", 2, 0);
    default:
        return NULL;
    }
}

static bool
pred_true(int kind, const int32_t *l, const int32_t *r)
{
    bool eq_ac = l[0] != NULLV && r[0] != NULLV && l[0] == r[0];
    bool lt_bd = l[1] != NULLV && r[1] != NULLV && l[1] < r[1];
    bool eq_bd = l[1] != NULLV && r[1] != NULLV && l[1] == r[1];

    switch (kind) {
    case 0:
    case 5:
        return eq_ac;
    case 1:
        return eq_ac && lt_bd;
    case 3:
        return lt_bd;
    case 4:
        return eq_ac && eq_bd;
    default:
        return true;
    }
}

static Operator *
make_join4(TestRun *t, int pred, PlanJoinType type)
{
    Arena *a = t->run.arena;
    PlanNode *l = plan_new(a, PLAN_VALUES, NULL, 2), *r = plan_new(a, PLAN_VALUES, NULL, 2);
    PlanNode *j = plan_new(a, PLAN_JOIN, l, 4);
    DfNode *node = arena_calloc(a, 1, sizeof *node);
    Operator *op;

    j->right = r;
    j->jointype = type;
    for (int c = 0; c < 2; c++)
        l->types[c] = r->types[c] = TYPE_INT4;
    for (int c = 0; c < 4; c++)
        j->types[c] = TYPE_INT4;
    j->u.pred = make_pred(a, pred);
    node->kind = DF_JOIN;
    node->plan = j;
    op = op_join_new(&t->run, node);
    test_connect(t, op);
    return op;
}

static void
tally_add(Tally *t, const char *row, int64_t w)
{
    for (int i = 0; i < t->n; i++) {
        if (strcmp(t->rows[i], row) == 0) {
            t->w[i] += w;
            return;
        }
    }
    ck_assert_int_lt(t->n, 512);
    snprintf(t->rows[t->n], sizeof t->rows[0], "%s", row);
    t->w[t->n++] = w;
}

/* Adds the captured "+w (row)" lines to t; fails on a weight < 0 when positive_only. */
static void
tally_text(Tally *t, const char *text, bool positive_only)
{
    const char *p = text;

    while (*p != '\0') {
        long long w;
        char row[64];
        const char *nl = strchr(p, '\n');

        ck_assert(nl != NULL);
        ck_assert_int_eq(sscanf(p, "%lld %63s", &w, row), 2);
        if (positive_only)
            ck_assert_int_gt(w, 0);
        tally_add(t, row, w);
        p = nl + 1;
    }
}

static void
fmt_row(char *out, size_t n, const int32_t *v)
{
    char cols[4][12];

    for (int c = 0; c < 4; c++) {
        if (v[c] == NULLV)
            snprintf(cols[c], sizeof cols[c], "NULL");
        else
            snprintf(cols[c], sizeof cols[c], "%d", (int)v[c]);
    }
    snprintf(out, n, "(%s,%s,%s,%s)", cols[0], cols[1], cols[2], cols[3]);
}

/* The join of the two multisets, by brute force. */
static void
brute_force(Tally *t, int pred, PlanJoinType type, const Multiset *l, const Multiset *r)
{
    char row[64];
    int32_t v[4];
    bool keep_l = type == PLAN_JOIN_LEFT || type == PLAN_JOIN_FULL;
    bool keep_r = type == PLAN_JOIN_RIGHT || type == PLAN_JOIN_FULL;

    t->n = 0;
    for (int i = 0; i < l->n; i++) {
        int64_t m = 0;

        for (int k = 0; k < r->n; k++) {
            if (l->w[i] == 0 || r->w[k] == 0 || !pred_true(pred, l->rows[i], r->rows[k]))
                continue;
            v[0] = l->rows[i][0], v[1] = l->rows[i][1], v[2] = r->rows[k][0], v[3] = r->rows[k][1];
            fmt_row(row, sizeof row, v);
            tally_add(t, row, l->w[i] * r->w[k]);
            m += r->w[k];
        }
        if (keep_l && m == 0 && l->w[i] != 0) {
            v[0] = l->rows[i][0], v[1] = l->rows[i][1], v[2] = v[3] = NULLV;
            fmt_row(row, sizeof row, v);
            tally_add(t, row, l->w[i]);
        }
    }
    for (int k = 0; keep_r && k < r->n; k++) {
        int64_t m = 0;

        for (int i = 0; i < l->n; i++) {
            if (pred_true(pred, l->rows[i], r->rows[k]))
                m += l->w[i];
        }
        if (m == 0 && r->w[k] != 0) {
            v[0] = v[1] = NULLV, v[2] = r->rows[k][0], v[3] = r->rows[k][1];
            fmt_row(row, sizeof row, v);
            tally_add(t, row, r->w[k]);
        }
    }
}

static void
tally_check(const Tally *got, const Tally *want, const char *what)
{
    for (int i = 0; i < want->n; i++) {
        int64_t g = 0;

        for (int k = 0; k < got->n; k++) {
            if (strcmp(got->rows[k], want->rows[i]) == 0)
                g = got->w[k];
        }
        ck_assert_msg(g == want->w[i], "%s: %s weight %lld, want %lld", what, want->rows[i],
                      (long long)g, (long long)want->w[i]);
    }
    for (int k = 0; k < got->n; k++) {
        int64_t w = 0;

        for (int i = 0; i < want->n; i++) {
            if (strcmp(got->rows[k], want->rows[i]) == 0)
                w = want->w[i];
        }
        ck_assert_msg(got->w[k] == w, "%s: %s weight %lld, want %lld", what, got->rows[k],
                      (long long)got->w[k], (long long)w);
    }
}

static uint64_t
next_rand(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static int32_t
rand_val(uint64_t *s, int range)
{
    int v = (int)(next_rand(s) % (uint64_t)(range + 1));

    return v == range ? NULLV : v;
}

/* One random change on a random side: a new row, or (often) a delete of a kept row. */
static void
random_change(uint64_t *seed, Multiset *ms, int *side, int32_t row[2], int64_t *w)
{
    Multiset *m;
    int i;

    *side = (int)(next_rand(seed) % 2);
    m = &ms[*side];
    if (m->n > 0 && next_rand(seed) % 3 == 0) {
        i = (int)(next_rand(seed) % (uint64_t)m->n);
        if (m->w[i] > 0) {
            *w = -1;
            goto apply;
        }
    }
    row[0] = rand_val(seed, 3);
    row[1] = rand_val(seed, 4);
    *w = next_rand(seed) % 4 == 0 ? 2 : 1;
    for (i = 0; i < m->n; i++) {
        if (m->rows[i][0] == row[0] && m->rows[i][1] == row[1])
            goto apply;
    }
    ck_assert_int_lt(m->n, MAXROWS);
    i = m->n++;
    m->rows[i][0] = row[0];
    m->rows[i][1] = row[1];
    m->w[i] = 0;
apply:
    row[0] = m->rows[i][0];
    row[1] = m->rows[i][1];
    m->w[i] += *w;
}

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
                Multiset ms[2];
                TestRun t;
                Operator *op;
                char what[64];

                memset(ms, 0, sizeof ms);
                got.n = 0;
                test_run_init(&t, 4);
                op = make_join4(&t, pred, types[ty]);
                snprintf(what, sizeof what, "pred %d type %d trial %d", pred, ty, (int)trial);
                for (int barrier = 0; barrier < 12; barrier++) {
                    int nchanges = 1 + (int)(next_rand(&seed) % 8);
                    Err err;

                    for (int c = 0; c < nchanges; c++) {
                        int side;
                        int32_t row[2];
                        int64_t w;

                        random_change(&seed, ms, &side, row, &w);
                        ck_assert_int_eq(test_push_ints(op, side, 2, row, 1, w), 0);
                        tally_text(&got, test_take(&t), false);
                    }
                    err_clear(&err);
                    ck_assert_int_eq(op->vt->flush(op, &err), 0);
                    ck_assert_int_eq(op_emit(op, &err), 0);
                    tally_text(&got, test_take(&t), false);
                    brute_force(&want, pred, types[ty], &ms[0], &ms[1]);
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
                Multiset ms[2];
                TestRun t;
                Operator *op;
                Err err;

                memset(ms, 0, sizeof ms);
                for (int c = 0; c < 30; c++) {
                    int side;
                    int32_t row[2];
                    int64_t w;

                    random_change(&seed, ms, &side, row, &w);
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
                brute_force(&want, pred, types[ty], &ms[0], &ms[1]);
                tally_check(&got, &want, "one-shot");
                test_run_free(&t);
            }
        }
    }
}
END_TEST

/* Everything op emits up to and including a barrier. */
static const char *
take_flushed(TestRun *t, Operator *op)
{
    Err err;

    err_clear(&err);
    ck_assert_int_eq(op->vt->flush(op, &err), 0);
    ck_assert_int_eq(op_emit(op, &err), 0);
    return test_take(t);
}

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
    ck_assert_str_eq(take_flushed(&t, op), "+1 (1,7,NULL,NULL)\n");
    ck_assert_int_eq(test_push_ints(op, 1, 2, r1, 1, 1), 0);
    ck_assert_str_eq(take_flushed(&t, op), "+1 (1,7,1,10)\n-1 (1,7,NULL,NULL)\n");
    ck_assert_int_eq(test_push_ints(op, 1, 2, r2, 1, 1), 0);
    ck_assert_str_eq(take_flushed(&t, op), "+1 (1,7,1,20)\n");
    ck_assert_int_eq(test_push_ints(op, 1, 2, r1, 1, -1), 0);
    ck_assert_str_eq(take_flushed(&t, op), "-1 (1,7,1,10)\n");
    ck_assert_int_eq(test_push_ints(op, 1, 2, r2, 1, -1), 0);
    ck_assert_str_eq(take_flushed(&t, op), "-1 (1,7,1,20)\n+1 (1,7,NULL,NULL)\n");
    /* a NULL key never matches: padded at once, also on retraction */
    ck_assert_int_eq(test_push_ints(op, 0, 2, lnull, 1, 2), 0);
    ck_assert_str_eq(test_take(&t), "+2 (NULL,8,NULL,NULL)\n");
    ck_assert_int_eq(test_push_ints(op, 0, 2, l, 1, -1), 0);
    ck_assert_str_eq(take_flushed(&t, op), "-1 (1,7,NULL,NULL)\n");
    /* a row and its match in one epoch: only the pair, no padded row in and out */
    ck_assert_int_eq(test_push_ints(op, 0, 2, l2, 1, 1), 0);
    ck_assert_int_eq(test_push_ints(op, 1, 2, r3, 1, 1), 0);
    ck_assert_str_eq(take_flushed(&t, op), "+1 (2,5,2,9)\n");
    /* a deleted row comes back within the epoch: nothing changes */
    ck_assert_int_eq(test_push_ints(op, 1, 2, r3, 1, -1), 0);
    ck_assert_int_eq(test_push_ints(op, 1, 2, r3, 1, 1), 0);
    ck_assert_str_eq(take_flushed(&t, op), "-1 (2,5,2,9)\n+1 (2,5,2,9)\n");
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
