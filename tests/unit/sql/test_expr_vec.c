/*
 * tests/unit/sql/test_expr_vec.c — Check suite for the column-at-a-time
 * evaluator (sql/expr_vec.c): for each expression over columns $1 int8,
 * $2 int4, $3 float8, $4 text, expr_eval_batch() over batches of generated
 * rows (NULLs, zeros, -1, extremes, NaN, infinities mixed in) must give
 * exactly what expr_eval() gives row by row: the same values and NULLs, or
 * the same first error (SQLSTATE and message) — including where laziness
 * (AND/OR, strict arguments, CASE) decides whether an error happens at all.
 *
 * The statement is prepared with parameters and re-pointed from parameter n
 * to column n through sql/sql_int.h, as bench/expr does.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sql/expr.h"
#include "sql/sql.h"
#include "sql/sql_int.h"
#include "sql_test_util.h"

#define NROWS 700 /* several chunks, the last one partial */
#define NCOLS 4

static const char *const EXPRS[] = {
    "$1 * 2 + 1",
    "$1 % 7 = 3",
    "$2 * 3 - 1",
    "$1 % 3 <> 0 AND $2 < 900",
    "$2 < 900 OR $1 / $2 > 3",
    "$2 <> 0 AND $1 / $2 > 3",
    "$1 / $2",
    "$1 % $2",
    "$2 + $2 * 100000",
    "$2::int2 + 1::int2",
    "$1 * $1",
    "$1 - $2 >= $2 - $1",
    "$3 * 1.5::float8 + $3",
    "$3 / $3",
    "$3 * 1e300::float8 * 1e10::float8",
    "$3 > 0.5 AND $3 <= $3 * 2",
    "$3 = $3",
    "$3 < 'NaN'::float8",
    "$2::float8 / 3 - $1",
    "($1::numeric / 3)::numeric(10,2)",
    "upper($4) || $2",
    "CASE WHEN $2 > 0 THEN $1 / $2 ELSE -1 END",
    "coalesce($2 / ($2 - 5), $1)",
    "NOT ($1 > 10 OR $2 IS NULL)",
    "$1 IS NULL OR $3 IS NOT NULL",
    "$2 IS DISTINCT FROM 5 AND nullif($1, 3) > 0",
    "abs($2) + length($4)",
    "$1 + 1 > 0 AND ($2 * 2000000 > 1 OR $3 > 0)",
    "$1 % -1",
    "$2 % 0",
    "$1 * 4611686018427387904",
    "$2 - 2147483647 < -5",
    "$2::int2 * 300::int2 >= 0",
    "$2::text || $1::text",
    "($1 % 100)::text::int4 + 1",
    "$2::int2::text",
    "$1::varchar(3)",
    "$3::text",
};

static void
params_to_columns(Expr *e)
{
    if (e == NULL)
        return;
    switch (e->kind) {
    case EXPR_PARAM:
        e->kind = EXPR_COLUMN;
        e->u.column = e->u.param;
        return;
    case EXPR_FUNC:
        for (int i = 0; i < e->u.func.nargs; i++)
            params_to_columns(e->u.func.args[i]);
        return;
    case EXPR_COERCE_IO:
    case EXPR_NOT:
        params_to_columns(e->u.arg);
        return;
    case EXPR_AND:
    case EXPR_OR:
    case EXPR_COALESCE:
        for (int i = 0; i < e->u.list.nargs; i++)
            params_to_columns(e->u.list.args[i]);
        return;
    case EXPR_NULLTEST:
        params_to_columns(e->u.nulltest.arg);
        return;
    case EXPR_BOOLTEST:
        params_to_columns(e->u.booltest.arg);
        return;
    case EXPR_DISTINCT:
    case EXPR_NULLIF:
        params_to_columns(e->u.distinct.eq);
        return;
    case EXPR_CASE:
        params_to_columns(e->u.kase.arg);
        for (int i = 0; i < e->u.kase.nwhen; i++) {
            params_to_columns(e->u.kase.when[i]);
            params_to_columns(e->u.kase.then[i]);
        }
        params_to_columns(e->u.kase.otherwise);
        return;
    default:
        return;
    }
}

static uint64_t rng_state = 88172645463325252ull;

static uint64_t
rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* One row: mostly ordinary values; `wild` mixes in NULLs, zeros and extremes. */
static void
gen_row(Value *row, Arena *a, int r, bool wild)
{
    static const int64_t I8S[] = {0, -1, 1, INT64_MAX, INT64_MIN, 3, 4611686018427387904LL};
    static const int32_t I4S[] = {0, -1, 1, INT32_MAX, INT32_MIN, 5, 900};
    static const double F8S[] = {0.0, -0.0, 1e308, -1e308, 1e-320, 0.5};
    uint64_t x = rng();
    char buf[32];
    int len;

    row[0].d = datum_from_int64(r * 37 - 5000);
    row[1].d = datum_from_int32((int32_t)(r % 1000) - 10);
    row[2].d = datum_from_float8((double)(r % 1000) / 1000.0);
    len = snprintf(buf, sizeof buf, "x%d", r % 100);
    row[3].d = datum_from_var(vardata_make(a, buf, (size_t)len));
    for (int c = 0; c < NCOLS; c++)
        row[c].isnull = false;
    if (!wild)
        return;
    for (int c = 0; c < NCOLS; c++) {
        uint64_t y = rng() % 16;

        if (y == 0)
            row[c].isnull = true;
        else if (y == 1 && c == 0)
            row[0].d = datum_from_int64(I8S[x % 7]);
        else if (y == 1 && c == 1)
            row[1].d = datum_from_int32(I4S[x % 7]);
        else if (y == 1 && c == 2)
            row[2].d = datum_from_float8(F8S[x % 6]);
        else if (y == 2 && c == 2)
            row[2].d = datum_from_float8(x % 2 ? NAN : INFINITY);
    }
}

static SqlSession *session;

static void
setup(void)
{
    session = test_session();
}

static void
teardown(void)
{
    sql_session_destroy(session);
}

/* Batch vs row by row for EXPRS[i], over clean (wild = false) or wild rows. */
static void
check_expr(int i, bool wild)
{
    Oid ptypes[NCOLS] = {TYPE_INT8, TYPE_INT4, TYPE_FLOAT8, TYPE_TEXT};
    char sql[256];
    SqlScript *script;
    SqlStatement *st;
    Err err, err2;
    Arena *a = arena_create("test_expr_vec", 0);
    Value *cols = arena_alloc(a, sizeof(Value) * NCOLS * NROWS);
    const Value **rows = arena_alloc(a, sizeof(Value *) * NROWS);
    Value *batch = arena_alloc(a, sizeof(Value) * NROWS), one;
    EvalCtx ctx;
    int rc_batch, rc_rows = 0, first_fail = -1;
    TypeIoCtx io = type_io_default;

    snprintf(sql, sizeof sql, "SELECT %s", EXPRS[i]);
    err_clear(&err);
    ck_assert_msg(sql_script_parse(session, sql, &script, &err) == 0, "%s: %s", sql, err.message);
    ck_assert_msg(sql_prepare(session, script, 0, ptypes, NCOLS, &st, &err) == 0, "%s: %s", sql,
                  err.message);
    params_to_columns(st->rows[0][0]);
    for (int r = 0; r < NROWS; r++) {
        rows[r] = &cols[NCOLS * r];
        gen_row(&cols[NCOLS * r], a, r, wild);
    }
    memset(&ctx, 0, sizeof ctx);
    ctx.session = session;
    ctx.arena = a;
    ctx.io = &io;
    ctx.ncols = NCOLS;
    rc_batch = expr_eval_batch(st->rows[0][0], &ctx, rows, NROWS, batch, &err);
    err_clear(&err2);
    for (int r = 0; r < NROWS; r++) {
        ctx.row = rows[r];
        if (expr_eval(st->rows[0][0], &ctx, &one.d, &one.isnull, &err2) < 0) {
            rc_rows = -1;
            first_fail = r;
            break;
        }
        if (rc_batch == 0) {
            ck_assert_msg(one.isnull == batch[r].isnull, "%s row %d: NULL differs", sql, r);
            Oid t = st->rows[0][0]->type;
            bool byval = type_by_oid(t)->byval;

            if (!one.isnull && byval)
                ck_assert_msg(one.d == batch[r].d, "%s row %d: value differs", sql, r);
            if (!one.isnull && !byval && t != TYPE_NUMERIC) /* text-like: VarData */
                ck_assert_str_eq(datum_get_var(one.d)->data, datum_get_var(batch[r].d)->data);
        }
    }
    ck_assert_msg(rc_batch == rc_rows, "%s (wild %d): batch rc %d, rows rc %d (row %d) %s / %s",
                  sql, wild, rc_batch, rc_rows, first_fail, err.message, err2.message);
    if (rc_batch < 0) {
        ck_assert_str_eq(err.sqlstate, err2.sqlstate);
        ck_assert_str_eq(err.message, err2.message);
    }
    sql_statement_destroy(st);
    sql_script_destroy(script);
    arena_destroy(a);
}

START_TEST(test_clean)
{
    check_expr(_i, false);
}
END_TEST

START_TEST(test_wild)
{
    for (int seed = 1; seed <= 20; seed++) {
        rng_state = 88172645463325252ull * (uint64_t)seed + (uint64_t)_i;
        check_expr(_i, true);
    }
}
END_TEST

/* The batch evaluator must not be the row one in disguise: an error's row decides the message. */
START_TEST(test_errors_can_fail)
{
    Oid ptypes[NCOLS] = {TYPE_INT8, TYPE_INT4, TYPE_FLOAT8, TYPE_TEXT};
    SqlScript *script;
    SqlStatement *st;
    Err err;
    Value cols[2 * NCOLS];
    const Value *rows[2] = {&cols[0], &cols[NCOLS]};
    Value out[2];
    EvalCtx ctx;
    Arena *a = arena_create("t", 0);
    TypeIoCtx io = type_io_default;

    err_clear(&err);
    /* row 0 overflows the product (22003), row 1 divides by zero (22012): row 0's error wins */
    ck_assert_int_eq(sql_script_parse(session, "SELECT $1 / $2 + $1 * $1", &script, &err), 0);
    ck_assert_int_eq(sql_prepare(session, script, 0, ptypes, NCOLS, &st, &err), 0);
    params_to_columns(st->rows[0][0]);
    memset(cols, 0, sizeof cols);
    cols[0].d = datum_from_int64(INT64_MAX);
    cols[1].d = datum_from_int32(1);
    cols[NCOLS].d = datum_from_int64(1);
    cols[NCOLS + 1].d = datum_from_int32(0);
    memset(&ctx, 0, sizeof ctx);
    ctx.arena = a;
    ctx.io = &io;
    ctx.ncols = NCOLS;
    ck_assert_int_eq(expr_eval_batch(st->rows[0][0], &ctx, rows, 2, out, &err), -1);
    ck_assert_str_eq(err.sqlstate, "22003");
    ck_assert_str_eq(err.message, "bigint out of range");
    sql_statement_destroy(st);
    sql_script_destroy(script);
    arena_destroy(a);
}
END_TEST

static Suite *
expr_vec_suite(void)
{
    Suite *s = suite_create("expr_vec");
    TCase *tc = tcase_create("batch-vs-rows");
    int n = (int)(sizeof EXPRS / sizeof EXPRS[0]);

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, test_clean, 0, n);
    tcase_add_loop_test(tc, test_wild, 0, n);
    tcase_add_test(tc, test_errors_can_fail);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(expr_vec_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
