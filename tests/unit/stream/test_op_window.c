/*
 * tests/unit/stream/test_op_window.c — stream/op_window.c: window functions
 * as a delta operator. Hand-checked values (ranks with ties, frames,
 * lag/lead), "unchanged rows emit nothing", and a randomized test: random
 * inserts and deletes over many barriers, the consolidated incremental
 * output must equal a one-shot run over the final input multiset. Window
 * calls are built and outputs printed by window_test_util.c, as in
 * test_op_state_misc.c.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sql/catalog.h"
#include "window_test_util.h"

/* ---- building Window operators by hand ------------------------------------------------- */

#define NIN 3 /* input rows: (p, o, v) int4 */

/*
 * PARTITION BY p ORDER BY o with frame `frame` (offsets 1 / 1 for ROWS); kind 0: ranking,
 * navigation and default-frame aggregates; kind 1: frame functions only.
 */
static Operator *
make_window(StreamRun *run, int frame, int kind, bool no_order)
{
    Arena *a = run->arena;
    PlanNode *in = plan_new(a, PLAN_VALUES, NULL, NIN), *p;
    WindowPlan *w = arena_calloc(a, 1, sizeof *w);
    DfNode *node = arena_calloc(a, 1, sizeof *node);
    WindowCall *calls = arena_calloc(a, 16, sizeof(WindowCall));
    int n = 0;

    for (int c = 0; c < NIN; c++)
        in->types[c] = TYPE_INT4;
    w->npart = 1;
    w->part = arena_calloc(a, 1, sizeof(Expr *));
    w->part[0] = test_col(a, 0, TYPE_INT4);
    w->part_orders = arena_calloc(a, 1, sizeof(TypeOrder));
    ck_assert(plan_type_order(TYPE_INT4, &w->part_orders[0]));
    w->norder = no_order ? 0 : 1;
    w->order = arena_calloc(a, 1, sizeof(Expr *));
    w->order[0] = test_col(a, 1, TYPE_INT4);
    w->order_keys = arena_calloc(a, 1, sizeof(SortKey));
    ck_assert(plan_type_order(TYPE_INT4, &w->order_keys[0].order));
    win_set_frame(a, w, frame);
    if (kind == 0)
        n = win_ranking_calls(a, calls, n);
    n = win_frame_calls(a, calls, n);
    w->ncalls = n;
    w->calls = calls;
    p = plan_new(a, PLAN_WINDOW, in, NIN + n);
    for (int c = 0; c < NIN + n; c++)
        p->types[c] = c < NIN ? TYPE_INT4 : calls[c - NIN].rettype;
    p->u.window = w;
    node->kind = DF_WINDOW;
    node->plan = p;
    return op_window_new(run, node);
}

typedef struct Rig {
    StreamRun run;
    Multiset out; /* what the window emitted, consolidated */
    Operator *op;
} Rig;

static void
rig_init(Rig *r, int frame, int kind, bool no_order)
{
    memset(r, 0, sizeof *r);
    r->run.arena = arena_create("window test", 0);
    r->run.ctx.arena = r->run.arena;
    r->run.scratch = r->run.arena;
    r->run.ctx.io = &type_io_default;
    r->op = make_window(&r->run, frame, kind, no_order);
    r->op->out = &ms_sink_new(&r->run, r->op->ncols, &r->out, NULL)->op;
}

static void
rig_free(Rig *r)
{
    ms_free(&r->out);
    arena_destroy(r->run.arena);
}

static void
push(Rig *r, int32_t p, int32_t o, int32_t v, int64_t w)
{
    int32_t row[NIN] = {p, o, v};

    ck_assert_int_eq(test_push_ints(r->op, 0, NIN, row, 1, w), 0);
}

static void
barrier(Rig *r)
{
    Err err;

    err_clear(&err);
    ck_assert_int_eq(r->op->vt->flush(r->op, &err), 0);
    ck_assert_int_eq(op_emit(r->op, &err), 0);
}

/* The text of a float8 Datum's bits, as the capture prints it. */
static long long
f8(double d)
{
    return (long long)datum_from_float8(d);
}

START_TEST(test_window_values)
{
    Rig r;
    char want[2048], *got;

    /* ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING, frame functions only */
    rig_init(&r,
             WIN_FRAME_NONDEFAULT | WIN_FRAME_ROWS | WIN_FRAME_BETWEEN |
                 WIN_FRAME_START_OFFSET_PRECEDING | WIN_FRAME_END_OFFSET_FOLLOWING,
             1, false);
    push(&r, 1, 1, 10, 1);
    push(&r, 1, 2, 20, 1);
    push(&r, 1, 3, 30, 1);
    push(&r, 1, 4, 40, 1);
    barrier(&r);
    got = ms_text(&r.out);
    /* (p,o,v, first, last, nth(2), sum, min, count) */
    ck_assert_str_eq(got, "1*(1,1,10,10,20,20,30,10,2)\n"
                          "1*(1,2,20,10,30,20,60,10,3)\n"
                          "1*(1,3,30,20,40,30,90,20,3)\n"
                          "1*(1,4,40,30,40,40,70,30,2)\n");
    free(got);
    rig_free(&r);

    /* default frame: ties in ORDER BY are peers */
    rig_init(&r, WIN_FRAME_DEFAULT, 0, false);
    push(&r, 1, 1, 5, 1);
    push(&r, 1, 2, 7, 1);
    push(&r, 1, 2, 6, 1);
    push(&r, 1, 3, 1, 1);
    barrier(&r);
    got = ms_text(&r.out);
    /* rn, rank, dense, percent_rank, cume_dist, ntile(3), lag(v), lead(v,2,-1), first, last,
       nth(2), sum, min, count; o=2 ties broken by v ascending */
    snprintf(want, sizeof want,
             "1*(1,1,5,1,1,1,0,%lld,1,N,7,5,5,N,5,5,1)\n"
             "1*(1,2,6,2,2,2,%lld,%lld,1,5,1,5,7,6,18,5,3)\n"
             "1*(1,2,7,3,2,2,%lld,%lld,2,6,-1,5,7,6,18,5,3)\n"
             "1*(1,3,1,4,4,3,%lld,%lld,3,7,-1,5,1,6,19,1,4)\n",
             f8(0.25), f8(1.0 / 3), f8(0.75), f8(1.0 / 3), f8(0.75), f8(1.0), f8(1.0));
    ck_assert_str_eq(got, want);
    free(got);
    rig_free(&r);
}
END_TEST

/* Rows whose window values did not change emit nothing. */
START_TEST(test_window_minimal_delta)
{
    TestRun t;
    Operator *op;
    const int32_t first[] = {1, 1, 1, 2, 1, 2}, later[] = {1, 3, 3};

    test_run_init(&t, NIN + 14);
    op = make_window(&t.run, WIN_FRAME_DEFAULT, 0, false);
    test_connect(&t, op);
    ck_assert_int_eq(test_push_ints(op, 0, NIN, first, 2, 1), 0);
    {
        Err err;

        err_clear(&err);
        ck_assert_int_eq(op->vt->flush(op, &err), 0);
        ck_assert_int_eq(op_emit(op, &err), 0);
        (void)test_take(&t);
        /* a row after the others: only the rows whose values change (lead, last ...) */
        ck_assert_int_eq(test_push_ints(op, 0, NIN, later, 1, 1), 0);
        ck_assert_int_eq(op->vt->flush(op, &err), 0);
        ck_assert_int_eq(op_emit(op, &err), 0);
    }
    {
        const char *out = test_take(&t);
        int lines = 0;

        for (const char *c = out; *c; c++)
            lines += *c == '\n';
        /* partition 1's old row changes (cume_dist ...): -old +new, and the new row; partition
           2 is untouched */
        ck_assert_int_eq(lines, 3);
    }
    {
        Err err;

        err_clear(&err);
        ck_assert_int_eq(op->vt->flush(op, &err), 0); /* nothing dirty: nothing */
        ck_assert_int_eq(op_emit(op, &err), 0);
        ck_assert_str_eq(test_take(&t), "");
    }
    test_run_free(&t);
}
END_TEST

/* Random inserts and deletes over many barriers == a one-shot run over the final multiset. */
static void
random_rounds(int frame, int kind, bool no_order, unsigned seed)
{
    Rig inc, once;
    int32_t live[512][NIN];
    int nlive = 0;
    char *a, *b;

    win_rng = seed;
    rig_init(&inc, frame, kind, no_order);
    for (int round = 0; round < 40; round++) {
        int changes = 1 + win_rand() % 6;

        for (int k = 0; k < changes; k++) {
            if (nlive > 0 && win_rand() % 3 == 0) {
                int victim = win_rand() % nlive;

                push(&inc, live[victim][0], live[victim][1], live[victim][2], -1);
                memcpy(live[victim], live[--nlive], sizeof live[0]);
            } else if (nlive < 512) {
                int32_t p = win_rand() % 3, o = win_rand() % 4, v = win_rand() % 5 - 1;

                if (v < 0)
                    v = INT32_MIN; /* NULL */
                live[nlive][0] = p, live[nlive][1] = o, live[nlive][2] = v;
                nlive++;
                push(&inc, p, o, v, 1);
            }
        }
        if (win_rand() % 4 != 0) /* sometimes two deltas before one barrier */
            barrier(&inc);
    }
    barrier(&inc);
    rig_init(&once, frame, kind, no_order);
    for (int i = 0; i < nlive; i++)
        push(&once, live[i][0], live[i][1], live[i][2], 1);
    barrier(&once);
    a = ms_text(&inc.out);
    b = ms_text(&once.out);
    ck_assert_str_eq(a, b);
    free(a);
    free(b);
    rig_free(&inc);
    rig_free(&once);
}

START_TEST(test_window_random)
{
    const int frames[] = {
        WIN_FRAME_DEFAULT,
        WIN_FRAME_NONDEFAULT | WIN_FRAME_ROWS | WIN_FRAME_BETWEEN |
            WIN_FRAME_START_OFFSET_PRECEDING | WIN_FRAME_END_OFFSET_FOLLOWING,
        WIN_FRAME_NONDEFAULT | WIN_FRAME_ROWS | WIN_FRAME_BETWEEN | WIN_FRAME_START_CURRENT_ROW |
            WIN_FRAME_END_UNBOUNDED_FOLLOWING,
        WIN_FRAME_NONDEFAULT | WIN_FRAME_RANGE | WIN_FRAME_BETWEEN | WIN_FRAME_START_CURRENT_ROW |
            WIN_FRAME_END_UNBOUNDED_FOLLOWING,
        WIN_FRAME_NONDEFAULT | WIN_FRAME_GROUPS | WIN_FRAME_BETWEEN |
            WIN_FRAME_START_OFFSET_PRECEDING | WIN_FRAME_END_OFFSET_FOLLOWING,
        WIN_FRAME_NONDEFAULT | WIN_FRAME_ROWS | WIN_FRAME_BETWEEN |
            WIN_FRAME_START_OFFSET_PRECEDING | WIN_FRAME_END_OFFSET_FOLLOWING |
            WIN_FRAME_EXCLUDE_TIES,
        WIN_FRAME_DEFAULT | WIN_FRAME_NONDEFAULT | WIN_FRAME_EXCLUDE_CURRENT_ROW,
        WIN_FRAME_NONDEFAULT | WIN_FRAME_RANGE | WIN_FRAME_BETWEEN |
            WIN_FRAME_START_OFFSET_PRECEDING | WIN_FRAME_END_OFFSET_FOLLOWING,
        WIN_FRAME_NONDEFAULT | WIN_FRAME_GROUPS | WIN_FRAME_BETWEEN |
            WIN_FRAME_START_OFFSET_PRECEDING | WIN_FRAME_END_OFFSET_FOLLOWING |
            WIN_FRAME_EXCLUDE_GROUP,
    };

    for (unsigned seed = 1; seed <= 12; seed++) {
        for (size_t f = 0; f < sizeof frames / sizeof frames[0]; f++)
            random_rounds(frames[f], f == 0 ? 0 : 1, false, seed * 31 + (unsigned)f);
        random_rounds(WIN_FRAME_DEFAULT, 0, true, seed);
    }
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("op_window");
    TCase *tc = tcase_create("core");
    SRunner *sr;
    int failed;

    tcase_add_test(tc, test_window_values);
    tcase_add_test(tc, test_window_minimal_delta);
    tcase_add_test(tc, test_window_random);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
