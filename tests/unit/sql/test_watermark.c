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
    if (relid != 7)
        return false;
    *col = 1;
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

static Suite *
watermark_suite(void)
{
    Suite *s = suite_create("watermark");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_def_from_text);
    tcase_add_test(tc, test_eowc_text);
    tcase_add_test(tc, test_derive);
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
