/*
 * tests/unit/sql/test_struct_expr.c — Check suite for expressions over STRUCT values
 * (sql/bind_struct_expr.c, sql/func_struct.c): row constructors, field selection, (x).*,
 * IS [NOT] NULL, row comparisons, casts of row constructors to struct types, and the record
 * comparison and hash functions the GROUP BY / ORDER BY / join operators use.
 *
 * The expectations in CASES were produced by running each query on PostgreSQL 15 (psql's
 * simple query protocol), with a composite type in place of the STRUCT<...> where one is
 * written; a comment marks where the text differs (a STRUCT has no name: its canonical text
 * stands where PostgreSQL names the composite type). Queries over tables are in
 * regress/sql/struct_expr.sql.
 */
#include <check.h>
#include <string.h>

#include "common/errcodes.h"
#include "sql/func_struct.h"
#include "sql/numeric.h"
#include "sql_test_util.h"

typedef struct Case {
    const char *sql;
    const char *expect;  /* rows "a|b" joined by newlines, or "ERROR <state>: <msg> @<pos>" */
    const char *columns; /* "name:type oid:typlen,..." or "" when not checked */
} Case;

static const Case CASES[] = {
    {"SELECT ROW(1, 'a'), (1, 'a', NULL), ROW()", "(1,a)|(1,a,)|()",
     "row:2249:-1,row:2249:-1,row:2249:-1"},
    {"SELECT ROW(ROW(1, 'x'), 2), ROW(1, 'a b', '', 'q\"x', NULL, 2.5, true)",
     "(\"(1,x)\",2)|(1,\"a b\",\"\",\"q\"\"x\",,2.5,t)", ""},
    {"SELECT (ROW(1, 2)).f1, (ROW(1, 2)).f2 + 1 AS x", "1|3", "f1:23:4,x:23:4"},
    {"SELECT (ROW(1, 2)).*", "1|2", "f1:23:4,f2:23:4"},
    {"SELECT (ROW(1, 'a'::text, NULL::int8)).*", "1|a|<NULL>", "f1:23:4,f2:25:-1,f3:20:8"},
    {"SELECT (ROW(1, 2)).zz",
     "ERROR 42703: could not identify column \"zz\" in record data type @9", ""},
    {"SELECT (1).x",
     "ERROR 42809: column notation .x applied to type integer, which is not a composite type @9",
     ""},
    {"SELECT ('(1,2)').x",
     "ERROR 42809: column notation .x applied to type unknown, which is not a composite type @9",
     ""},
    {"SELECT 1 + (ROW(1)).*", "ERROR 0A000: row expansion via \"*\" is not supported here @13", ""},
    {"SELECT (ROW(1))[1]",
     "ERROR 42804: cannot subscript type record because it does not support subscripting @9", ""},
    {"SELECT (ROW(1, 2)).f1[1]",
     "ERROR 42804: cannot subscript type integer because it does not support subscripting @9", ""},
    {"SELECT (1).*", "ERROR 42809: type integer is not composite @0", ""},
    /* IS [NOT] NULL: every field / no field NULL; nested structs are values */
    {"SELECT ROW(ROW(NULL)) IS NULL, ROW(NULL, ROW(NULL)) IS NULL, ROW(NULL, 1) IS NOT NULL, "
     "ROW(NULL, NULL) IS NULL, ROW(1, 2) IS NOT NULL, (1, 'a') IS NULL, ROW(NULL) IS NOT NULL",
     "f|f|f|t|t|f|f", ""},
    /* row constructors compared field by field */
    {"SELECT ROW(1, NULL) = ROW(1, NULL), ROW(1, 2) < ROW(1, 3), ROW(1, NULL) < ROW(2, NULL), "
     "ROW(1, 2) IS DISTINCT FROM ROW(1, NULL), ROW(1, NULL) IS NOT DISTINCT FROM ROW(1, NULL)",
     "<NULL>|t|t|t|t", ""},
    {"SELECT ROW(1, 2) <= ROW(1, 2), ROW(1, 3) > ROW(1, 2), ROW(NULL, 3) > ROW(1, 2), "
     "ROW(2, NULL) > ROW(1, 2), ROW(1, NULL) >= ROW(1, 2), ROW(1, 2) <> ROW(1, 3), "
     "ROW(1, NULL) <> ROW(2, NULL), ROW('a', 1) = ROW('a', 1)",
     "t|t|<NULL>|t|<NULL>|t|t|t", ""},
    {"SELECT ROW(1, 2) = ROW(1, 2, 3)",
     "ERROR 42601: unequal number of entries in row expressions @18", ""},
    {"SELECT ROW() = ROW()", "ERROR 0A000: cannot compare rows of zero length @14", ""},
    {"SELECT ROW(1, 2) ~~ ROW(1, 2)",
     "ERROR 42883: operator does not exist: integer ~~ integer @18", ""},
    {"SELECT ROW(1, 2) = ROW('a', 2)",
     "ERROR 22P02: invalid input syntax for type integer: \"a\" @24", ""},
    /* ROW(..) IN (ROW(..), ...): each item compared field by field */
    {"SELECT (1, NULL) IN ((1, NULL), (2, 3)), (1, 2::int8) IN ((1, 2)), "
     "(1, 2) NOT IN ((1, 3), (2, 2)), (1, 2) IN ((1, 2), (NULL, 2)), (1, 'a') IN ((2, 'a'), (1, "
     "'a'))",
     "<NULL>|t|t|t|t", ""},
    {"SELECT (1, 2) NOT IN ((1, NULL), (2, 2))", "<NULL>", ""},
    {"SELECT (1, 2) IN ((1, 2, 3))",
     "ERROR 42601: unequal number of entries in row expressions @15", ""},
    {"SELECT (1, 2) IN ((1, 2), 5)", "ERROR 42883: operator does not exist: record = integer @15",
     ""},
    /* casts of row constructors, field by field (PostgreSQL: "... to ab", CREATE TYPE ab) */
    {"SELECT ROW(1, 'abc')::STRUCT<a int, b varchar(1)>, ROW(1, true)::STRUCT<a int, b int>",
     "(1,a)|(1,1)", ""},
    {"SELECT (ROW(1, 2.5)::STRUCT<a int8, b numeric(3,2)>).b", "2.50", "b:1700:-1"},
    {"SELECT CAST(ROW(1) AS STRUCT<a int, b int>)",
     "ERROR 42846: cannot cast type record to struct<a integer, b integer> @8", ""},
    {"SELECT ROW(1, 2)::STRUCT<a int>",
     "ERROR 42846: cannot cast type record to struct<a integer> @17", ""},
    {"SELECT ROW(1, 'x')::STRUCT<a int, b int>",
     "ERROR 22P02: invalid input syntax for type integer: \"x\" @15", ""},
    {"SELECT ROW(1, 2.5)::STRUCT<a int, b date>",
     "ERROR 42846: cannot cast type record to struct<a integer, b date> @19", ""},
    /* record_eq / record_cmp between struct values */
    {"SELECT ROW(1, NULL)::STRUCT<a int, b int> = ROW(1, NULL)::STRUCT<a int, b int>, "
     "ROW(1, NULL)::STRUCT<a int, b int> < ROW(1, 2)::STRUCT<a int, b int>, "
     "ROW(1, 2)::STRUCT<a int, b int> < ROW(1, NULL)::STRUCT<a int, b int>",
     "t|f|t", ""},
    {"SELECT ROW(1, 2)::STRUCT<a int8, b int> = ROW(1, 2)",
     "ERROR 42804: cannot compare dissimilar column types bigint and integer at record column 1 "
     "@0",
     ""},
    {"SELECT ROW(1, 2)::STRUCT<a int, b int> = ROW(1)::STRUCT<a int>",
     "ERROR 42804: cannot compare record types with different numbers of columns @0", ""},
};

#define NCASES ((int)(sizeof CASES / sizeof CASES[0]))

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

START_TEST(test_case)
{
    const Case *c = &CASES[_i];
    const char *got = run(session, c->sql);

    ck_assert_msg(strcmp(got, c->expect) == 0, "%s\n  expected: %s\n  got:      %s", c->sql,
                  c->expect, got);
    if (c->columns[0] != '\0')
        ck_assert_msg(strcmp(run_columns(), c->columns) == 0, "%s\n  columns %s, expected %s",
                      c->sql, run_columns(), c->columns);
}
END_TEST

START_TEST(test_detail)
{
    run(session, "SELECT ROW(1, 2)::STRUCT<a int>");
    ck_assert_str_eq(run_error()->detail, "Input has too many columns.");
    run(session, "SELECT CAST(ROW(1) AS STRUCT<a int, b int>)");
    ck_assert_str_eq(run_error()->detail, "Input has too few columns.");
    run(session, "SELECT ROW(1, 2.5)::STRUCT<a int, b date>");
    ck_assert_str_eq(run_error()->detail, "Cannot cast type numeric to date in column 2.");
}
END_TEST

/* ---- the built-ins directly --------------------------------------------------------------- */

static const StructType *
intern2(Oid t1, Oid t2)
{
    StructField f[2] = {{"x", t1, -1}, {"y", t2, -1}};
    const StructType *st;
    Err err;

    err_clear(&err);
    ck_assert_int_eq(struct_type_intern(f, 2, &st, &err), 0);
    return st;
}

static Datum
num_text(Arena *a, const StructType *st, const char *num, const char *text)
{
    Value v[2] = {{0, num == NULL}, {0, text == NULL}};
    Datum d;
    Err err;

    err_clear(&err);
    if (num != NULL)
        ck_assert_int_eq(numeric_parse(a, num, strlen(num), &v[0].d, &err), 0);
    if (text != NULL)
        v[1].d = datum_from_cstr(a, text);
    ck_assert_int_eq(struct_value_make(st, v, a, &d, &err), 0);
    return d;
}

static int
cmp(EvalCtx *ctx, Datum a, Datum b)
{
    Err err;
    int c = 99;

    err_clear(&err);
    ck_assert_int_eq(struct_value_compare(ctx, a, b, false, &c, &err), 0);
    return c;
}

START_TEST(test_compare_and_hash)
{
    Arena *a = arena_create("test", 4096);
    EvalCtx ctx = {0};
    const StructType *st = intern2(TYPE_NUMERIC, TYPE_TEXT);
    Datum one = num_text(a, st, "1.0", "a"), one2 = num_text(a, st, "1.00", "a");
    Datum oneb = num_text(a, st, "1", "b"), two = num_text(a, st, "2", NULL);
    Datum nulls = num_text(a, st, NULL, NULL);
    Value v1 = {one, false}, v2 = {one2, false}, v3 = {oneb, false};

    ctx.arena = a;
    ctx.io = &type_io_default;
    /* numeric fields by value: (1.0,a) = (1.00,a), and they hash alike */
    ck_assert_int_eq(cmp(&ctx, one, one2), 0);
    ck_assert(plan_hash_value(TYPE_RECORD, &v1) == plan_hash_value(TYPE_RECORD, &v2));
    ck_assert(plan_hash_value(TYPE_RECORD, &v1) != plan_hash_value(TYPE_RECORD, &v3));
    ck_assert_int_lt(cmp(&ctx, one, oneb), 0);
    ck_assert_int_gt(cmp(&ctx, two, oneb), 0);
    /* a NULL field sorts after every value and equals another NULL */
    ck_assert_int_lt(cmp(&ctx, two, nulls), 0);
    ck_assert_int_gt(cmp(&ctx, nulls, one), 0);
    ck_assert_int_eq(cmp(&ctx, nulls, nulls), 0);
    ck_assert_int_lt(cmp(&ctx, num_text(a, st, "2", "z"), two), 0);
    arena_destroy(a);
}
END_TEST

START_TEST(test_compare_errors)
{
    Arena *a = arena_create("test", 4096);
    EvalCtx ctx = {0};
    const StructType *st = intern2(TYPE_NUMERIC, TYPE_TEXT), *other;
    StructField f1[1] = {{"x", TYPE_NUMERIC, -1}};
    Datum x = num_text(a, st, "1", "a"), y;
    Value v = {0, false};
    Err err;
    int c;

    ctx.arena = a;
    err_clear(&err);
    ck_assert_int_eq(struct_type_intern(f1, 1, &other, &err), 0);
    ck_assert_int_eq(numeric_parse(a, "1", 1, &v.d, &err), 0);
    ck_assert_int_eq(struct_value_make(other, &v, a, &y, &err), 0);
    /* the common prefix is equal: then the count decides (record_cmp) */
    ck_assert_int_eq(struct_value_compare(&ctx, x, y, true, &c, &err), -1);
    ck_assert_str_eq(err.sqlstate, ERRCODE_DATATYPE_MISMATCH);
    ck_assert_str_eq(err.message, "cannot compare record types with different numbers of columns");
    err_clear(&err);
    other = intern2(TYPE_INT8, TYPE_TEXT);
    {
        Value w[2] = {{datum_from_int64(1), false}, {0, true}};

        ck_assert_int_eq(struct_value_make(other, w, a, &y, &err), 0);
    }
    ck_assert_int_eq(struct_value_compare(&ctx, x, y, false, &c, &err), -1);
    ck_assert_str_eq(
        err.message,
        "cannot compare dissimilar column types numeric and bigint at record column 1");
    arena_destroy(a);
}
END_TEST

static int
call(BuiltinFn fn, EvalCtx *ctx, int nargs, const Datum *args, const bool *nulls, Datum *out,
     bool *isnull)
{
    FnCall c = {ctx, nargs, args, nulls, NULL};
    Err err;

    err_clear(&err);
    return fn(&c, out, isnull, &err);
}

START_TEST(test_nulltest_and_field)
{
    Arena *a = arena_create("test", 4096);
    EvalCtx ctx = {0};
    const StructType *st = intern2(TYPE_NUMERIC, TYPE_TEXT);
    Datum some = num_text(a, st, NULL, "t"), none = num_text(a, st, NULL, NULL);
    Datum all = num_text(a, st, "3", "long enough text");
    Datum args[2], out;
    bool nulls[2] = {false, false}, isnull;
    VarData *copy;
    char *raw;

    ctx.arena = a;
    struct {
        Datum d;
        bool isnull, is_not, expect;
    } nt[] = {{some, false, false, false}, {some, false, true, false}, {none, false, false, true},
              {none, false, true, false},  {all, false, true, true},   {all, false, false, false},
              {0, true, false, true},      {0, true, true, false}};
    for (size_t i = 0; i < sizeof nt / sizeof nt[0]; i++) {
        args[0] = nt[i].d;
        args[1] = datum_from_bool(nt[i].is_not);
        nulls[0] = nt[i].isnull;
        ck_assert_int_eq(call(fn_struct_nulltest, &ctx, 2, args, nulls, &out, &isnull), 0);
        ck_assert_msg(!isnull && datum_get_bool(out) == nt[i].expect, "case %zu", i);
    }
    /*
     * a copy of the value at an address only 4-aligned (VarData's own alignment: rowcodec
     * copies a value LMDB hands over 2-aligned into an arena, so no Datum is ever less)
     */
    raw = arena_alloc(a, sizeof(VarData) + datum_get_var(all)->len + 8);
    copy = (VarData *)(raw + 4);
    memcpy(copy, datum_get_var(all), sizeof(VarData) + datum_get_var(all)->len + 1);
    args[0] = datum_from_var(copy);
    args[1] = datum_from_int32(1);
    nulls[0] = false;
    ck_assert_int_eq(call(fn_struct_field, &ctx, 2, args, nulls, &out, &isnull), 0);
    ck_assert(!isnull);
    ck_assert_str_eq(datum_get_var(out)->data, "long enough text");
    {
        Value x = {all, false}, y = {datum_from_var(copy), false};

        ck_assert(plan_hash_value(TYPE_RECORD, &x) == plan_hash_value(TYPE_RECORD, &y));
    }
    arena_destroy(a);
}
END_TEST

static Suite *
struct_expr_suite(void)
{
    Suite *s = suite_create("struct_expr");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, test_case, 0, NCASES);
    tcase_add_test(tc, test_detail);
    tcase_add_test(tc, test_compare_and_hash);
    tcase_add_test(tc, test_compare_errors);
    tcase_add_test(tc, test_nulltest_and_field);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(struct_expr_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
