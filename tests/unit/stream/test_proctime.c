/*
 * tests/unit/stream/test_proctime.c — Check suite for processing-time columns
 * (`col TIMESTAMPTZ AS PROCTIME()`, sql/proctime.h): the dialect pre-pass blanking the clause
 * (sql/dialect.c), the catalog marker (sql/proctime.c), and generator sources filling the
 * column themselves (stream/engine_gen.c): the other columns are exactly what a generator
 * without the column makes, the clock column holds the time the batch was encoded.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "common/arena.h"
#include "common/buf.h"
#include "common/clock.h"
#include "sql/dialect.h"
#include "sql/proctime.h"
#include "sql/relation.h"
#include "sql/rowcodec.h"
#include "stream/generator.h"

#define EPOCH_2000_US INT64_C(946684800000000)

static Generator *
make(const GenOption *opts, int nopts, const GenColumn *cols, int ncols)
{
    Generator *g = NULL;
    Err err;

    err_clear(&err);
    ck_assert_msg(gen_create(opts, nopts, cols, ncols, 1700000000000000, &g, &err) == 0,
                  "gen_create: %s", err.message);
    ck_assert_ptr_nonnull(g);
    return g;
}

/* Encodes rows [0, n) in one batch and decodes them into vals[row * ncols + col]. */
static void
rows(const Generator *g, int n, const GenColumn *cols, int ncols, Arena *a, Value *vals)
{
    Buf b;
    uint32_t *ends = calloc((size_t)n, sizeof *ends);
    Oid types[16];
    uint8_t *data;
    Err err;

    for (int c = 0; c < ncols; c++)
        types[c] = cols[c].type;
    buf_init(&b, BUF_DEFAULT_MAX);
    err_clear(&err);
    ck_assert_msg(gen_encode_rows(g, 0, n, &b, ends, a, &err) == 0, "%s", err.message);
    data = arena_alloc(a, b.len); /* decoded values may point into the rows */
    memcpy(data, b.data, b.len);
    for (int r = 0; r < n; r++) {
        uint32_t start = r == 0 ? 0 : ends[r - 1];

        ck_assert_uint_eq(data[start], SQL_REC_INSERT);
        ck_assert_msg(rowcodec_decode(data + start + SQL_REC_HEADER,
                                      ends[r] - start - SQL_REC_HEADER, types, ncols, a,
                                      vals + r * ncols, &err) == 0,
                      "%s", err.message);
    }
    buf_free(&b);
    free(ends);
}

static bool
same_value(Oid type, Datum a, Datum b)
{
    if (type == TYPE_VARCHAR) {
        const VarData *x = datum_get_var(a), *y = datum_get_var(b);

        return x->len == y->len && memcmp(x->data, y->data, x->len) == 0;
    }
    if (type == TYPE_INT4)
        return datum_get_int32(a) == datum_get_int32(b);
    return datum_get_int64(a) == datum_get_int64(b);
}

static void
check_same(const Value *plain, int nplain, const Value *with, int nwith, int clock_col, int n,
           Oid *types, int64_t lo, int64_t hi)
{
    for (int r = 0; r < n; r++) {
        for (int c = 0, j = 0; c < nwith; c++) {
            const Value *w = &with[r * nwith + c];

            if (c == clock_col) {
                ck_assert(!w->isnull);
                ck_assert_int_ge(datum_get_int64(w->d), lo);
                ck_assert_int_le(datum_get_int64(w->d), hi);
                continue;
            }
            const Value *p = &plain[r * nplain + j];

            ck_assert_int_eq(w->isnull, p->isnull);
            if (!p->isnull)
                ck_assert_msg(same_value(types[j], w->d, p->d), "row %d column %d", r, c);
            j++;
        }
    }
}

START_TEST(test_nexmark_clock_column)
{
    GenOption o[] = {{"connector", "nexmark"}, {"nexmark.table.type", "bid"},
                     {"nexmark.event.num", "500"}};
    GenColumn plain[] = {{"auction", TYPE_INT8, -1, false},
                         {"url", TYPE_VARCHAR, -1, false},
                         {"date_time", TYPE_TIMESTAMP, -1, false}};
    GenColumn with[] = {{"auction", TYPE_INT8, -1, false},
                        {"p_time", TYPE_TIMESTAMPTZ, -1, true},
                        {"url", TYPE_VARCHAR, -1, false},
                        {"date_time", TYPE_TIMESTAMP, -1, false}};
    Oid types[] = {TYPE_INT8, TYPE_VARCHAR, TYPE_TIMESTAMP};
    Generator *gp = make(o, 3, plain, 3), *gw = make(o, 3, with, 4);
    Arena *a = arena_create("t", 0);
    Value *vp = arena_alloc(a, sizeof(Value) * 3 * 100), *vw = arena_alloc(a, sizeof(Value) * 4 * 100);
    int64_t lo = clock_now_us() - EPOCH_2000_US, hi;

    ck_assert_uint_eq(gen_total_rows(gp), gen_total_rows(gw));
    rows(gp, 100, plain, 3, a, vp);
    rows(gw, 100, with, 4, a, vw);
    hi = clock_now_us() - EPOCH_2000_US;
    check_same(vp, 3, vw, 4, 1, 100, types, lo, hi);
    gen_free(gp);
    gen_free(gw);
    arena_destroy(a);
}
END_TEST

START_TEST(test_datagen_clock_column)
{
    GenOption o[] = {{"connector", "datagen"}, {"fields.k.kind", "sequence"},
                     {"fields.k.start", "1"},  {"fields.k.end", "50"},
                     {"fields.v.seed", "3"},   {"datagen.rows.per.second", "0"}};
    GenColumn plain[] = {{"k", TYPE_INT4, -1, false}, {"v", TYPE_INT8, -1, false}};
    GenColumn with[] = {{"p", TYPE_TIMESTAMPTZ, -1, true},
                        {"k", TYPE_INT4, -1, false},
                        {"v", TYPE_INT8, -1, false}};
    Oid types[] = {TYPE_INT4, TYPE_INT8};
    Generator *gp = make(o, 6, plain, 2), *gw = make(o, 6, with, 3);
    Arena *a = arena_create("t", 0);
    Value *vp = arena_alloc(a, sizeof(Value) * 2 * 50), *vw = arena_alloc(a, sizeof(Value) * 3 * 50);
    int64_t lo = clock_now_us() - EPOCH_2000_US, hi;

    ck_assert_uint_eq(gen_total_rows(gw), 50);
    rows(gp, 50, plain, 2, a, vp);
    rows(gw, 50, with, 3, a, vw);
    hi = clock_now_us() - EPOCH_2000_US;
    check_same(vp, 2, vw, 3, 0, 50, types, lo, hi);
    for (int r = 0; r < 50; r++)
        ck_assert_int_eq(datum_get_int32(vw[r * 3 + 1].d), r + 1);
    gen_free(gp);
    gen_free(gw);
    arena_destroy(a);
}
END_TEST

/* The pre-pass: the rewritten text of sql, or NULL when the statement is not ours. */
static char *
rewrite(const char *sql, int *proctime_pos)
{
    DialectScript *d = NULL;
    Err err;
    char *out = NULL;

    err_clear(&err);
    ck_assert_msg(dialect_prepass(sql, strlen(sql), &d, &err) == 0, "%s", err.message);
    *proctime_pos = -2;
    if (d != NULL) {
        ck_assert_int_eq(d->nstmts, 1);
        ck_assert_uint_eq(d->len, strlen(sql));
        *proctime_pos = d->stmts[0].proctime_pos;
        out = strdup(d->text);
    }
    dialect_free(d);
    return out;
}

START_TEST(test_dialect_blanks_clause)
{
    int pos;
    char *s = rewrite("CREATE TABLE t (a int, p timestamptz AS PROCTIME()) APPEND ONLY", &pos);

    ck_assert_str_eq(s, "CREATE TABLE t (a int, p timestamptz              )            ");
    ck_assert_int_eq(pos, 37);
    free(s);
    /* a plain table with the clause is ours too (the binder refuses it with 0A000) */
    s = rewrite("create table t (p timestamptz as proctime ( ), \"x\" int)", &pos);
    ck_assert_str_eq(s, "create table t (p timestamptz                , \"x\" int)");
    ck_assert_int_eq(pos, 30);
    free(s);
    /* a source: SOURCE becomes TABLE, the clause goes */
    s = rewrite("CREATE SOURCE s (p TIMESTAMPTZ AS PROCTIME(), v int)", &pos);
    ck_assert_str_eq(s, "CREATE TABLE  s (p TIMESTAMPTZ              , v int)");
    free(s);
    /* without a type: left for PostgreSQL's syntax error */
    s = rewrite("CREATE TABLE t (p AS PROCTIME()) APPEND ONLY", &pos);
    ck_assert_str_eq(s, "CREATE TABLE t (p AS PROCTIME())            ");
    ck_assert_int_eq(pos, -1);
    free(s);
    /* in a literal or a quoted name it is not the clause */
    s = rewrite("SELECT 'as proctime()', 1 AS \"proctime\"", &pos);
    ck_assert_ptr_null(s);
    s = rewrite("CREATE TABLE t (a text DEFAULT 'x AS PROCTIME()')", &pos);
    ck_assert_ptr_null(s);
}
END_TEST

START_TEST(test_marker)
{
    SqlRelColumn c = {.name = "p", .type = TYPE_TIMESTAMPTZ, .typmod = -1};

    ck_assert(!proctime_is_column(&c));
    c.default_expr = "now()";
    ck_assert(!proctime_is_column(&c));
    c.default_expr = PROCTIME_DEFAULT;
    ck_assert(proctime_is_column(&c));
    ck_assert(!proctime_is_default(NULL));
    ck_assert(proctime_is_default("proctime()"));
    ck_assert(!proctime_is_column(NULL));
}
END_TEST

static Suite *
proctime_suite(void)
{
    Suite *s = suite_create("proctime");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_nexmark_clock_column);
    tcase_add_test(tc, test_datagen_clock_column);
    tcase_add_test(tc, test_dialect_blanks_clause);
    tcase_add_test(tc, test_marker);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(proctime_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
