/*
 * bench/expr/bench_expr.c — the Rivulet half of the expression benchmark:
 * a filter-and-project over generated rows, evaluated by sql/expr.c's
 * expr_eval_batch() exactly as an executor would drive it, in rows/s.
 *
 *   bench_expr [NROWS] [RUNS]        (default 10000000 rows, 3 runs)
 *
 * The query (bench/expr/run.sh runs the same one on PostgreSQL 15 over
 * generate_series):
 *
 *   SELECT a * 2 + 1, a % 7 = 3, b * 3 - 1
 *   FROM rows(a int8, b int4)            -- a = 1..N, b = a % 1000
 *   WHERE a % 3 <> 0 AND b < 900
 *
 * (Integers only here: an int8 and an int4 column exercise the cross-type
 * operators and the implicit int4 → int8 promotion; bench/expr/run.sh also
 * times a mix with float8, numeric and text through the server.)
 *
 * This measures the evaluator alone (run.sh also times the same SQL through
 * the Rivulet server over generate_series): the statement is prepared with
 * the columns written as parameters $1 (int8) and $2 (int4) through the
 * ordinary sql.h API, and the bound expressions are then re-pointed from
 * parameter n to column n (the test hook: it reads the bound statement
 * through sql/sql_int.h), so no row source is involved. Everything else —
 * operator resolution, implicit casts, the evaluator — is what a real query
 * runs.
 *
 * Per batch of BENCH_BATCH rows: generate the two columns, evaluate WHERE
 * over the batch, compact the passing rows, evaluate each output column over
 * them, fold the results into a checksum (so nothing is optimised away, and
 * so bench/expr/run.sh can compare it with PostgreSQL's max/count/max).
 * Prints one line per run and the median: "rivulet: N rows/s ...".
 *
 * Invariants:
 *   1. No allocation per row: batch arrays are allocated once; the
 *      evaluation arena is reset per batch (fixed-width results never
 *      allocate anyway).
 *   2. The figures count input rows (the rows the filter looked at), as
 *      PostgreSQL's side does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/clock.h"
#include "sql/expr.h"
#include "sql/sql.h"
#include "sql/sql_int.h"

#define BENCH_BATCH 1024
#define BENCH_MAX_RUNS 9

static const char *BENCH_SQL = "SELECT $1 * 2 + 1, $1 % 7 = 3, $2 * 3 - 1 "
                               "WHERE $1 % 3 <> 0 AND $2 < 900";

/* Re-points parameter references to the input row's columns (the test hook). */
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

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

static void
die(const char *what, const Err *err)
{
    fprintf(stderr, "bench_expr: %s: %s %s\n", what, err->sqlstate, err->message);
    exit(1);
}

int
main(int argc, char **argv)
{
    int64_t nrows = argc > 1 ? strtoll(argv[1], NULL, 10) : 10000000;
    int runs = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 3;
    Oid ptypes[2] = {TYPE_INT8, TYPE_INT4};
    SqlSession *s = sql_session_create();
    SqlScript *script;
    SqlStatement *st;
    Err err;
    double rates[BENCH_MAX_RUNS];

    if (nrows <= 0 || runs <= 0 || runs > BENCH_MAX_RUNS) {
        fprintf(stderr, "usage: bench_expr [NROWS] [RUNS 1..%d]\n", BENCH_MAX_RUNS);
        return 2;
    }
    err_clear(&err);
    if (sql_session_startup_param(s, "user", "postgres", &err) < 0 ||
        sql_session_startup_param(s, "database", "postgres", &err) < 0 ||
        sql_session_startup_done(s, &err) < 0)
        die("session", &err);
    if (sql_script_parse(s, BENCH_SQL, &script, &err) < 0)
        die("parse", &err);
    if (sql_prepare(s, script, 0, ptypes, 2, &st, &err) < 0)
        die("prepare", &err);
    if (st->kind != STMT_SELECT || st->nrows != 1 || st->where == NULL || st->ncols != 3) {
        fprintf(stderr, "bench_expr: unexpected statement shape\n");
        return 1;
    }
    for (int c = 0; c < st->ncols; c++)
        params_to_columns(st->rows[0][c]);
    params_to_columns(st->where);

    Value *cols = malloc(sizeof(Value) * 2 * BENCH_BATCH);
    const Value **rows = malloc(sizeof(Value *) * BENCH_BATCH);
    const Value **sel = malloc(sizeof(Value *) * BENCH_BATCH);
    Value *pass = malloc(sizeof(Value) * BENCH_BATCH);
    Value *out = malloc(sizeof(Value) * BENCH_BATCH);
    Arena *arena = arena_create("bench", 0);
    EvalCtx ctx;

    if (cols == NULL || rows == NULL || sel == NULL || pass == NULL || out == NULL) {
        fprintf(stderr, "bench_expr: out of memory\n");
        return 1;
    }
    for (int r = 0; r < BENCH_BATCH; r++)
        rows[r] = &cols[2 * r];
    memset(&ctx, 0, sizeof ctx);
    ctx.session = s;
    ctx.arena = arena;
    ctx.io = &type_io_default;
    ctx.ncols = 2;

    for (int run = 0; run < runs; run++) {
        int64_t max_p1 = INT64_MIN, count_p2 = 0, nout = 0;
        int64_t max_p3 = INT64_MIN;
        int64_t t0 = clock_monotonic_ns();

        for (int64_t base = 1; base <= nrows; base += BENCH_BATCH) {
            int n = (int)(nrows - base + 1 < BENCH_BATCH ? nrows - base + 1 : BENCH_BATCH);
            int m = 0;

            arena_reset(arena);
            for (int r = 0; r < n; r++) {
                int64_t a = base + r;

                cols[2 * r].d = datum_from_int64(a);
                cols[2 * r].isnull = false;
                cols[2 * r + 1].d = datum_from_int32((int32_t)(a % 1000));
                cols[2 * r + 1].isnull = false;
            }
            if (expr_eval_batch(st->where, &ctx, rows, n, pass, &err) < 0)
                die("where", &err);
            for (int r = 0; r < n; r++) {
                if (!pass[r].isnull && datum_get_bool(pass[r].d))
                    sel[m++] = rows[r];
            }
            nout += m;
            if (expr_eval_batch(st->rows[0][0], &ctx, sel, m, out, &err) < 0)
                die("column 1", &err);
            for (int r = 0; r < m; r++) {
                if (!out[r].isnull && datum_get_int64(out[r].d) > max_p1)
                    max_p1 = datum_get_int64(out[r].d);
            }
            if (expr_eval_batch(st->rows[0][1], &ctx, sel, m, out, &err) < 0)
                die("column 2", &err);
            for (int r = 0; r < m; r++)
                count_p2 += !out[r].isnull && datum_get_bool(out[r].d);
            if (expr_eval_batch(st->rows[0][2], &ctx, sel, m, out, &err) < 0)
                die("column 3", &err);
            for (int r = 0; r < m; r++) {
                if (!out[r].isnull && datum_get_int32(out[r].d) > max_p3)
                    max_p3 = datum_get_int32(out[r].d);
            }
        }
        double secs = (double)(clock_monotonic_ns() - t0) / 1e9;

        rates[run] = (double)nrows / secs;
        printf("rivulet run %d: %.3f s, %.0f rows/s (%lld rows out; max %lld, count %lld, max %lld)\n",
               run + 1, secs, rates[run], (long long)nout, (long long)max_p1,
               (long long)count_p2, (long long)max_p3);
        fflush(stdout);
    }
    qsort(rates, (size_t)runs, sizeof rates[0], cmp_double);
    printf("rivulet: %.0f rows/s (median of %d runs over %lld rows)\n", rates[runs / 2], runs,
           (long long)nrows);

    arena_destroy(arena);
    free(cols);
    free(rows);
    free(sel);
    free(pass);
    free(out);
    sql_statement_destroy(st);
    sql_script_destroy(script);
    sql_session_destroy(s);
    return 0;
}
