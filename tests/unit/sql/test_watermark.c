/*
 * tests/unit/sql/test_watermark.c — sql/watermark.c: the stored WATERMARK FOR clause bound
 * again (sql_watermark_def), EMIT ON WINDOW CLOSE detection, and the derivation of a plan's
 * watermarked column with its value (sql_watermark_derive / sql_watermark_apply).
 */
#include <check.h>
#include <string.h>

#include "sql/catalog.h"
#include "sql/datetime.h"
#include "sql/plan.h"
#include "sql/watermark.h"
#include "sql_test_util.h"

#define US_PER_DAY INT64_C(86400000000)
/* 2024-01-01 00:00:00 as a timestamp (µs since 2000-01-01) */
#define TS_2024 (INT64_C(8766) * US_PER_DAY)

static const char *const names[] = {"id", "ts"};
static const Oid types[] = {TYPE_INT4, TYPE_TIMESTAMP};
static const int32_t typmods[] = {-1, -1};

START_TEST(test_def_from_text)
{
    SqlSession *s = test_session();
    Arena *a = arena_create("t", 0);
    SqlWatermarkDef d;
    Err err = {0};
    EvalCtx ctx = {0};
    Value row[2] = {{datum_from_int32(1), false}, {(Datum)(TS_2024 + 7000000), false}};
    Datum out;
    bool isnull;

    ck_assert_int_eq(sql_watermark_def(s,
                                       "CREATE SOURCE s (id int, ts timestamp, WATERMARK FOR ts "
                                       "AS ts - INTERVAL '5 seconds') WITH "
                                       "(watermark.idle_timeout = '10s', late_rows.table = 'x')",
                                       2, names, types, typmods, a, &d, &err),
                     0);
    ck_assert_int_eq(d.column, 1);
    ck_assert_int_eq(d.type, TYPE_TIMESTAMP);
    ck_assert_int_eq(d.idle_timeout_us, 10000000);
    ck_assert_str_eq(d.late_table, "x");
    ctx.arena = a;
    ctx.io = &type_io_default;
    ctx.row = row;
    ctx.ncols = 2;
    ck_assert_int_eq(expr_eval(d.expr, &ctx, &out, &isnull, &err), 0);
    ck_assert(!isnull);
    ck_assert_int_eq((int64_t)out, TS_2024 + 2000000);
    /* no clause; a clause reading another column (a stored text edited by hand) */
    ck_assert_int_eq(sql_watermark_def(s, "CREATE SOURCE s (id int, ts timestamp)", 2, names, types,
                                       typmods, a, &d, &err),
                     1);
    ck_assert_int_eq(sql_watermark_def(s,
                                       "CREATE SOURCE s (id int, ts timestamp, WATERMARK FOR ts "
                                       "AS ts - id * INTERVAL '1 second')",
                                       2, names, types, typmods, a, &d, &err),
                     -1);
    ck_assert_str_eq(err.sqlstate, "42P17");
    arena_destroy(a);
    sql_session_destroy(s);
}
END_TEST

START_TEST(test_eowc_text)
{
    ck_assert(sql_definition_is_eowc("CREATE MATERIALIZED VIEW v AS SELECT ts FROM s GROUP BY "
                                     "ts EMIT ON WINDOW CLOSE"));
    ck_assert(!sql_definition_is_eowc("CREATE MATERIALIZED VIEW v AS SELECT 1"));
    ck_assert(!sql_definition_is_eowc(NULL));
    ck_assert(sql_watermark_is_option("late_rows.table"));
    ck_assert(!sql_watermark_is_option("connector"));
}
END_TEST

static bool
lookup(void *arg, uint64_t relid, const char *relname, int *col)
{
    (void)arg;
    (void)relname;
    if (relid != 7 && relid != 9)
        return false;
    *col = 1;
    return true;
}

/* Relation watermarks for sql_watermark_value: 7 at TS_2024 + 100 s, 9 at + 47 s, 8 none. */
static bool
rel_value(void *arg, uint64_t relid, Datum *w)
{
    (void)arg;
    if (relid == 7)
        *w = (Datum)(TS_2024 + 100000000);
    else if (relid == 9)
        *w = (Datum)(TS_2024 + 47000000);
    else
        return false;
    return true;
}

static Expr *
column(Arena *a, int c, Oid t)
{
    Expr *e = expr_new(a, EXPR_COLUMN, t, -1);

    e->u.column = c;
    e->typmod = -1;
    return e;
}

/* date_bin(INTERVAL '10 seconds', col c, TIMESTAMP '2000-01-01') */
static Expr *
date_bin(Arena *a, int c)
{
    static const Oid args[] = {TYPE_INTERVAL, TYPE_TIMESTAMP, TYPE_TIMESTAMP};
    const FuncDef *f = catalog_find_func_exact("date_bin", 3, args);
    Interval iv = {10000000, 0, 0};
    Expr **ea = arena_calloc(a, 3, sizeof(Expr *));

    ck_assert_ptr_nonnull(f);
    ea[0] = expr_const(a, TYPE_INTERVAL, interval_datum(a, &iv), false, -1);
    ea[1] = column(a, c, TYPE_TIMESTAMP);
    ea[2] = expr_const(a, TYPE_TIMESTAMP, 0, false, -1);
    return expr_func(a, f, f->fn, true, TYPE_TIMESTAMP, 3, ea, -1);
}

static PlanNode *
scan(Arena *a)
{
    PlanNode *p = plan_new(a, PLAN_SCAN, NULL, 2);

    p->types[0] = TYPE_INT4;
    p->types[1] = TYPE_TIMESTAMP;
    p->u.scan.relid = 7;
    p->u.scan.relname = "s";
    return p;
}

START_TEST(test_derive)
{
    Arena *a = arena_create("t", 0);
    PlanNode *sc = scan(a), *pr, *ag, *p2;
    SqlWmColumn wc;
    EvalCtx ctx = {0};
    Err err = {0};
    Datum w;
    bool isnull;

    /* SELECT id, date_bin(...) FROM s ... GROUP BY 2, 1: the key of the bin carries it */
    pr = plan_new(a, PLAN_PROJECT, sc, 2);
    pr->u.exprs = arena_calloc(a, 2, sizeof(Expr *));
    pr->u.exprs[0] = column(a, 0, TYPE_INT4);
    pr->u.exprs[1] = date_bin(a, 1);
    ag = plan_new(a, PLAN_AGG, pr, 2);
    ag->u.agg.nkeys = 2;
    ag->u.agg.keys = arena_calloc(a, 2, sizeof(Expr *));
    ag->u.agg.keys[0] = column(a, 0, TYPE_INT4);
    ag->u.agg.keys[1] = column(a, 1, TYPE_TIMESTAMP);
    ck_assert_int_eq(sql_watermark_derive(ag, lookup, NULL, a, &wc), 0);
    ck_assert_int_eq(wc.column, 1);
    ck_assert_int_eq((int)wc.relid, 7);
    ctx.arena = a;
    ctx.io = &type_io_default;
    ck_assert_int_eq(sql_watermark_apply(&wc, &ctx, (Datum)(TS_2024 + 27000000), &w, &isnull, &err),
                     0);
    ck_assert(!isnull);
    ck_assert_int_eq((int64_t)w, TS_2024 + 20000000);
    /* grouped by id only: nothing carries a watermark */
    ag->u.agg.nkeys = 1;
    ck_assert_int_eq(sql_watermark_derive(ag, lookup, NULL, a, &wc), 1);
    /* a join loses it (old rows may match new ones) */
    p2 = plan_new(a, PLAN_JOIN, sc, 4);
    p2->right = scan(a);
    ck_assert_int_eq(sql_watermark_derive(p2, lookup, NULL, a, &wc), 1);
    /* a filter keeps it; an unknown relation has none */
    p2 = plan_new(a, PLAN_FILTER, sc, 2);
    ck_assert_int_eq(sql_watermark_derive(p2, lookup, NULL, a, &wc), 0);
    ck_assert_int_eq(wc.column, 1);
    ck_assert_int_eq(wc.nsteps, 0);
    sc->u.scan.relid = 8;
    ck_assert_int_eq(sql_watermark_derive(p2, lookup, NULL, a, &wc), 1);
    arena_destroy(a);
}
END_TEST

/* x = y with the = operator of type t */
static Expr *
equals(Arena *a, Expr *x, Expr *y, Oid t)
{
    const OperDef *o;
    int pos = 0;
    Expr **args = arena_calloc(a, 2, sizeof(Expr *));

    while ((o = catalog_next_oper("=", &pos)) != NULL && !(o->left == t && o->right == t))
        ;
    ck_assert_ptr_nonnull(o);
    args[0] = x;
    args[1] = y;
    return expr_func(a, NULL, o->fn, true, TYPE_BOOL, 2, args, -1);
}

/* A join's equated watermarked columns carry the smaller of the two watermarks. */
START_TEST(test_derive_join)
{
    Arena *a = arena_create("t", 0);
    PlanNode *l = scan(a), *r = scan(a), *j, *pr, *ag;
    SqlWmColumn **cols, wc;
    Expr *both[2];
    EvalCtx ctx = {0};
    Err err = {0};
    Datum w;

    ctx.arena = a;
    ctx.io = &type_io_default;
    r->u.scan.relid = 9;
    j = plan_new(a, PLAN_JOIN, l, 4);
    j->right = r;
    for (int c = 0; c < 4; c++)
        j->types[c] = c % 2 ? TYPE_TIMESTAMP : TYPE_INT4;
    /* ON l.id = r.id AND r.ts = l.ts (either operand first) */
    both[0] = equals(a, column(a, 0, TYPE_INT4), column(a, 2, TYPE_INT4), TYPE_INT4);
    both[1] = equals(a, column(a, 3, TYPE_TIMESTAMP), column(a, 1, TYPE_TIMESTAMP), TYPE_TIMESTAMP);
    j->u.pred = expr_new(a, EXPR_AND, TYPE_BOOL, -1);
    j->u.pred->u.list.nargs = 2;
    j->u.pred->u.list.args = both;
    cols = sql_watermark_columns(j, lookup, NULL, a);
    ck_assert_ptr_null(cols[0]);
    ck_assert_ptr_null(cols[2]);
    ck_assert_ptr_nonnull(cols[1]);
    ck_assert_ptr_nonnull(cols[3]);
    ck_assert_ptr_nonnull(cols[1]->also);
    ck_assert_ptr_null(cols[1]->also->also);
    ck_assert_int_eq(sql_watermark_value(cols[1], &ctx, rel_value, NULL, &w, &err), 1);
    ck_assert_int_eq((int64_t)w, TS_2024 + 47000000); /* min(100 s, 47 s) */
    ck_assert_int_eq(sql_watermark_value(cols[3], &ctx, rel_value, NULL, &w, &err), 1);
    ck_assert_int_eq((int64_t)w, TS_2024 + 47000000);
    /* a GROUP BY date_bin over the join's r.ts: the step applies to both branches */
    pr = plan_new(a, PLAN_PROJECT, j, 1);
    pr->u.exprs = arena_calloc(a, 1, sizeof(Expr *));
    pr->u.exprs[0] = date_bin(a, 3);
    ag = plan_new(a, PLAN_AGG, pr, 1);
    ag->u.agg.nkeys = 1;
    ag->u.agg.keys = arena_calloc(a, 1, sizeof(Expr *));
    ag->u.agg.keys[0] = column(a, 0, TYPE_TIMESTAMP);
    ck_assert_int_eq(sql_watermark_derive(ag, lookup, NULL, a, &wc), 0);
    ck_assert_int_eq(sql_watermark_value(&wc, &ctx, rel_value, NULL, &w, &err), 1);
    ck_assert_int_eq((int64_t)w, TS_2024 + 40000000);
    /* one side without a watermark yet: unknown */
    r->u.scan.relid = 8;
    cols = sql_watermark_columns(j, lookup, NULL, a);
    ck_assert_ptr_null(cols[1]); /* relation 8 has no WATERMARK FOR: nothing carries one */
    r->u.scan.relid = 9;
    /* only the ids equated: the times carry nothing */
    j->u.pred = both[0];
    cols = sql_watermark_columns(j, lookup, NULL, a);
    ck_assert_ptr_null(cols[1]);
    ck_assert_ptr_null(cols[3]);
    ck_assert(!err_is_set(&err));
    arena_destroy(a);
}
END_TEST

static Suite *
watermark_suite(void)
{
    Suite *s = suite_create("watermark");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_def_from_text);
    tcase_add_test(tc, test_eowc_text);
    tcase_add_test(tc, test_derive);
    tcase_add_test(tc, test_derive_join);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(watermark_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
