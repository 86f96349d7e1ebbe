/*
 * tests/unit/stream/test_op_temporal.c — stream/op_temporal.c: rows leave (ts > now) or
 * enter (ts < now) as the time given to stream_temporal_set_now() passes. Hand-checked
 * deltas, then randomized epochs of inserts and retractions (in memory, and persistent with
 * restarts over the committed state) whose consolidated output must equal the input rows
 * satisfying the condition at every barrier's time; the state table holds only the rows
 * that will still change.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sql/catalog.h"
#include "stream/opstate.h"
#include "stream/temporal.h"
#include "stream_test_util.h"

#define NULLV INT32_MIN
#define NIDS 40

typedef enum Cmp { CMP_GT, CMP_GE, CMP_LT, CMP_LE } Cmp; /* ts <op> now */

/* ts <op> $1 over (id int4, ts timestamptz), as sql/bind_temporal.c leaves it. */
static Expr *
make_cond(Arena *a, Cmp cmp)
{
    TypeOrder o;
    Expr *ts = test_col(a, 1, TYPE_TIMESTAMPTZ),
         *now = expr_new(a, EXPR_PARAM, TYPE_TIMESTAMPTZ, -1);
    Expr **args = arena_alloc(a, sizeof(Expr *) * 2), *e;

    now->u.param = 0;
    ck_assert(plan_type_order(TYPE_TIMESTAMPTZ, &o));
    /* GT: now < ts; GE: NOT (ts < now); LT: ts < now; LE: NOT (now < ts) */
    args[0] = cmp == CMP_GT || cmp == CMP_LE ? now : ts;
    args[1] = cmp == CMP_GT || cmp == CMP_LE ? ts : now;
    e = expr_func(a, NULL, o.lt, true, TYPE_BOOL, 2, args, -1);
    if (cmp == CMP_GE || cmp == CMP_LE) {
        Expr *neg = expr_new(a, EXPR_NOT, TYPE_BOOL, -1);

        neg->u.arg = e;
        e = neg;
    }
    return e;
}

static Operator *
make_op(TestRun *t, Cmp cmp)
{
    Arena *a = t->run.arena;
    PlanNode *in = plan_new(a, PLAN_VALUES, NULL, 2), *p = plan_new(a, PLAN_TEMPORAL_FILTER, in, 2);
    DfNode *node = arena_calloc(a, 1, sizeof *node);
    Operator *op;

    in->types[0] = p->types[0] = TYPE_INT4;
    in->types[1] = p->types[1] = TYPE_TIMESTAMPTZ;
    p->u.temporal.cond = make_cond(a, cmp);
    node->kind = DF_TEMPORAL;
    node->plan = p;
    op = op_temporal_new(&t->run, node);
    test_connect(t, op);
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

static int
push1(Operator *op, int32_t id, int32_t ts, int64_t w)
{
    int32_t row[2] = {id, ts};

    return test_push_ints(op, 0, 2, row, 1, w);
}

/*
 * The time never goes back within a process (stream/temporal.h), and CK_FORK=no runs every
 * test in one: each test works at times relative to a fresh base.
 */
static int64_t
fresh_base(void)
{
    static int64_t base;

    base += 1000000;
    return base;
}

static int64_t B; /* the hand tests' base */

static void
at(int64_t x)
{
    stream_temporal_set_now(B + x);
}

static int
push_rel(Operator *op, int32_t id, int32_t ts, int64_t w)
{
    return push1(op, id, ts == NULLV ? NULLV : (int32_t)(B + ts), w);
}

/* test_take with times relative to B. */
static const char *
take_rel(TestRun *t)
{
    static char out[8192];
    const char *text = test_take(t);
    size_t len = 0;
    long long w;
    int id, ts, n;

    out[0] = '\0';
    while (sscanf(text, "%lld (%d,%d)\n%n", &w, &id, &ts, &n) == 3) {
        len += (size_t)snprintf(out + len, sizeof out - len, "%+lld (%d,%lld)\n", w, id,
                                (long long)ts - (long long)B);
        text += n;
    }
    ck_assert_msg(*text == '\0', "unparsed output: %s", text);
    return out;
}

START_TEST(test_leave_deltas)
{
    TestRun t;
    Operator *op;

    test_run_init(&t, 2);
    B = fresh_base();
    op = make_op(&t, CMP_GT);
    at(100);
    ck_assert_int_eq(push_rel(op, 1, 150, 1), 0);
    ck_assert_int_eq(push_rel(op, 2, 90, 1), 0);    /* already out */
    ck_assert_int_eq(push_rel(op, 3, NULLV, 1), 0); /* NULL: never in */
    ck_assert_int_eq(push_rel(op, 4, 200, 1), 0);
    ck_assert_int_eq(flush(op), 0);
    ck_assert_str_eq(take_rel(&t), "+1 (1,150)\n+1 (4,200)\n");
    at(149);
    ck_assert_int_eq(flush(op), 0);
    ck_assert_str_eq(take_rel(&t), ""); /* 150 > 149 */
    at(150);
    ck_assert_int_eq(push_rel(op, 4, 200, -1), 0); /* retracted while inside */
    ck_assert_int_eq(flush(op), 0);
    ck_assert_str_eq(take_rel(&t), "-1 (1,150)\n-1 (4,200)\n");
    at(1000);
    ck_assert_int_eq(push_rel(op, 1, 150, -1), 0); /* retracted after it left: nothing */
    ck_assert_int_eq(flush(op), 0);
    ck_assert_str_eq(take_rel(&t), "");
    test_run_free(&t);
}
END_TEST

START_TEST(test_enter_deltas)
{
    TestRun t;
    Operator *op;

    test_run_init(&t, 2);
    B = fresh_base();
    op = make_op(&t, CMP_LE);
    at(100);
    ck_assert_int_eq(push_rel(op, 1, 150, 2), 0);
    ck_assert_int_eq(push_rel(op, 2, 100, 1), 0); /* 100 <= 100: in at once */
    ck_assert_int_eq(flush(op), 0);
    ck_assert_str_eq(take_rel(&t), "+1 (2,100)\n");
    at(150);
    ck_assert_int_eq(flush(op), 0);
    ck_assert_str_eq(take_rel(&t), "+2 (1,150)\n"); /* both copies enter */
    at(160);
    ck_assert_int_eq(push_rel(op, 1, 150, -1), 0);
    ck_assert_int_eq(push_rel(op, 3, 170, 1), 0);
    ck_assert_int_eq(push_rel(op, 3, 170, -1), 0); /* gone before it entered */
    ck_assert_int_eq(flush(op), 0);
    ck_assert_str_eq(take_rel(&t), "-1 (1,150)\n");
    at(200);
    ck_assert_int_eq(flush(op), 0);
    ck_assert_str_eq(take_rel(&t), "");
    test_run_free(&t);
}
END_TEST

/* ---- randomized ------------------------------------------------------------------------ */

typedef struct Model {
    int32_t ts[NIDS];
    int64_t in[NIDS], out[NIDS];
} Model;

static bool
holds(Cmp cmp, int32_t ts, int64_t now)
{
    if (ts == NULLV)
        return false;
    switch (cmp) {
    case CMP_GT:
        return ts > now;
    case CMP_GE:
        return ts >= now;
    case CMP_LT:
        return ts < now;
    case CMP_LE:
        return ts <= now;
    }
    return false;
}

static void
absorb(Model *m, const char *text)
{
    long long w;
    int id, ts, n;

    while (sscanf(text, "%lld (%d,%d)\n%n", &w, &id, &ts, &n) == 3) {
        ck_assert(id >= 0 && id < NIDS);
        m->out[id] += w;
        text += n;
    }
    ck_assert_msg(*text == '\0', "unparsed output: %s", text);
}

static int64_t
state_entries(StateStore *st)
{
    StateSnapshot *snap;
    StateTable tab;
    uint64_t n = 0;
    char name[STATE_TABLE_NAME_MAX + 1];
    Err err;
    int rc;

    err_clear(&err);
    ck_assert_int_eq(state_table_name(name, 7, "o0f", &err), 0);
    ck_assert_int_eq(state_snapshot_begin(st, &snap, &err), 0);
    rc = state_snapshot_table(snap, name, &tab, &err);
    ck_assert_int_ge(rc, 0);
    if (rc == 1)
        ck_assert_int_eq(state_count(&tab, &n, &err), 0);
    state_snapshot_end(snap);
    return (int64_t)n;
}

static void
random_run(Cmp cmp, bool persistent, unsigned seed)
{
    TestRun t;
    Operator *op;
    Model m = {0};
    char dir[64];
    StateStore *st = persistent ? test_store_open(dir) : NULL;
    int64_t base = fresh_base(), now = base;
    Err err;

    srand(seed);
    for (int i = 0; i < NIDS; i++)
        m.ts[i] = rand() % 10 == 0 ? NULLV : (int32_t)(base + rand() % 600);
    if (persistent)
        test_run_init_state(&t, 2, st, 7, true);
    else
        test_run_init(&t, 2);
    op = make_op(&t, cmp);
    ck_assert_int_eq(op->vt->persistent, persistent);
    for (int epoch = 0; epoch < 120; epoch++) {
        int nchanges = rand() % 8;

        now += rand() % 12;
        stream_temporal_set_now(now);
        for (int c = 0; c < nchanges; c++) {
            int id = rand() % NIDS;
            int64_t w = m.in[id] > 0 && rand() % 2 ? -1 : 1 + rand() % 2;

            m.in[id] += w;
            ck_assert_int_eq(push1(op, id, m.ts[id], w), 0);
        }
        ck_assert_int_eq(flush(op), 0);
        absorb(&m, test_take(&t));
        for (int i = 0; i < NIDS; i++)
            ck_assert_msg(m.out[i] == (holds(cmp, m.ts[i], now) ? m.in[i] : 0),
                          "epoch %d now %lld id %d ts %d: out %lld in %lld", epoch, (long long)now,
                          i, m.ts[i], (long long)m.out[i], (long long)m.in[i]);
        if (!persistent)
            continue;
        err_clear(&err);
        ck_assert_msg(test_run_checkpoint(&t, true, &err) == 0, "%s", err.message);
        {
            int64_t pending = 0;

            for (int i = 0; i < NIDS; i++) /* rows whose visibility will still change */
                pending += m.ts[i] != NULLV && m.in[i] != 0 &&
                           holds(cmp, m.ts[i], now) != holds(cmp, m.ts[i], INT32_MAX);
            ck_assert_int_eq(state_entries(st), pending);
        }
        if (rand() % 10 == 0) { /* restart over the committed state */
            test_run_free(&t);
            test_run_init_state(&t, 2, st, 7, false);
            op = make_op(&t, cmp);
        }
    }
    test_run_free(&t);
    if (persistent)
        test_store_close(st, dir);
}

START_TEST(test_random_memory)
{
    for (unsigned seed = 1; seed <= 8; seed++)
        random_run((Cmp)(seed % 4), false, seed);
}
END_TEST

START_TEST(test_random_persistent)
{
    for (unsigned seed = 1; seed <= 8; seed++)
        random_run((Cmp)(seed % 4), true, seed);
}
END_TEST

static Suite *
suite(void)
{
    Suite *s = suite_create("op_temporal");
    TCase *tc = tcase_create("core");

    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_leave_deltas);
    tcase_add_test(tc, test_enter_deltas);
    tcase_add_test(tc, test_random_memory);
    tcase_add_test(tc, test_random_persistent);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
