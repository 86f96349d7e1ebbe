/*
 * tests/unit/sql/test_types_struct.c — Check suite for STRUCT types (sql/types_struct.c,
 * sql/bind_struct.c): the registry (idempotent interning, a hash that must never change,
 * collisions refused, canonical text parsed back), the text and binary I/O of struct values
 * against outputs recorded from PostgreSQL 15 for the same values of a composite type
 * (CREATE TYPE q AS (a text, b int, c text) ...), and STRUCT<...> in SQL text: casts, error
 * codes and positions.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/errcodes.h"
#include "sql/bind_struct.h"
#include "sql/sql_int.h"
#include "sql/types.h"
#include "sql/types_struct.h"
#include "sql_test_util.h"

static Arena *arena;

static void
setup(void)
{
    arena = arena_create("test", 0);
}

static void
teardown(void)
{
    arena_destroy(arena);
}

/* struct<a text, b integer, c text>: PostgreSQL's `CREATE TYPE q AS (a text, b int, c text)` */
static const StructType *
type_q(void)
{
    static const StructField f[] = {
        {"a", TYPE_TEXT, -1}, {"b", TYPE_INT4, -1}, {"c", TYPE_TEXT, -1}};
    const StructType *st;
    Err err;

    err_clear(&err);
    ck_assert_int_eq(struct_type_intern(f, 3, &st, &err), 0);
    return st;
}

static const StructType *
from_text(const char *text)
{
    const StructType *st;
    Err err;

    err_clear(&err);
    if (struct_type_intern_text(text, &st, &err) < 0)
        ck_abort_msg("%s: %s %s", text, err.sqlstate, err.message);
    return st;
}

/* record_in then record_out; "ERROR <state>: <message> / <detail>" on failure. */
static const char *
roundtrip(const StructType *st, const char *input)
{
    static char result[2048];
    const TypeInfo *t = type_by_oid(TYPE_RECORD);
    Datum d;
    Err err;
    Buf b;

    err_clear(&err);
    if (t->in(input, strlen(input), st != NULL ? st->typmod : -1, &type_io_default, arena, &d,
              &err) < 0) {
        snprintf(result, sizeof result, "ERROR %s: %s / %s", err.sqlstate, err.message, err.detail);
        return result;
    }
    buf_init(&b, 1 << 20);
    t->out(d, -1, &type_io_default, &b);
    snprintf(result, sizeof result, "%.*s", (int)b.len, (const char *)b.data);
    buf_free(&b);
    return result;
}

START_TEST(test_intern_idempotent)
{
    static const StructField f[] = {
        {"a", TYPE_INT4, -1}, {"B q", TYPE_VARCHAR, 14}, {"c", TYPE_NUMERIC, (10 << 16 | 2) + 4}};
    const StructType *s1, *s2;
    Err err;

    err_clear(&err);
    ck_assert_int_eq(struct_type_intern(f, 3, &s1, &err), 0);
    ck_assert_int_eq(struct_type_intern(f, 3, &s2, &err), 0);
    ck_assert_ptr_eq(s1, s2);
    ck_assert_str_eq(s1->text, "struct<a integer, \"B q\" character varying(10), c numeric(10,2)>");
    ck_assert_int_eq(s1->typmod, struct_type_typmod_of(s1->text));
    ck_assert_ptr_eq(struct_type_lookup(s1->typmod), s1);
    ck_assert_int_eq(s1->nfields, 3);
    ck_assert_str_eq(s1->fields[1].name, "B q");
    ck_assert_int_eq(s1->types[2], TYPE_NUMERIC);
    ck_assert_ptr_null(struct_type_lookup(s1->typmod ^ 1));
    ck_assert_ptr_null(struct_type_lookup(-1));
    /* the canonical text reads back to the same type */
    ck_assert_ptr_eq(from_text(s1->text), s1);
}
END_TEST

START_TEST(test_hash_stable)
{
    /* typmods are stored in catalogs, logs and plans: the hash must never change */
    ck_assert_int_eq(struct_type_typmod_of("struct<a integer>"), 2070953);
    ck_assert_int_eq(struct_type_typmod_of("struct<id bigint, name character varying>"), 537000974);
    ck_assert_int_eq(from_text("struct<id bigint, name character varying>")->typmod, 537000974);
}
END_TEST

static int32_t
constant_hash(const char *text)
{
    (void)text;
    return 42;
}

START_TEST(test_collision_refused)
{
    static const StructField f1[] = {{"a", TYPE_INT4, -1}};
    static const StructField f2[] = {{"b", TYPE_INT4, -1}};
    const StructType *s1, *s2;
    Err err;

    struct_type_set_hash_hook(constant_hash);
    err_clear(&err);
    ck_assert_int_eq(struct_type_intern(f1, 1, &s1, &err), 0);
    ck_assert_int_eq(s1->typmod, 42);
    ck_assert_int_eq(struct_type_intern(f2, 1, &s2, &err), -1);
    ck_assert_str_eq(err.sqlstate, "54000");
    ck_assert_ptr_null(s2);
    /* the first keeps its typmod */
    ck_assert_ptr_eq(struct_type_lookup(42), s1);
    err_clear(&err);
    ck_assert_int_eq(struct_type_intern(f1, 1, &s2, &err), 0);
    ck_assert_ptr_eq(s1, s2);
    struct_type_set_hash_hook(NULL);
}
END_TEST

START_TEST(test_intern_errors)
{
    static const StructField dup[] = {{"a", TYPE_INT4, -1}, {"a", TYPE_TEXT, -1}};
    static StructField many[STRUCT_MAX_FIELDS + 1];
    char names[STRUCT_MAX_FIELDS + 1][8];
    const StructType *st;
    Err err;

    err_clear(&err);
    ck_assert_int_eq(struct_type_intern(dup, 2, &st, &err), -1);
    ck_assert_str_eq(err.sqlstate, "42701");
    ck_assert_str_eq(err.message, "column \"a\" specified more than once");
    for (int i = 0; i <= STRUCT_MAX_FIELDS; i++) {
        snprintf(names[i], sizeof names[i], "f%d", i);
        many[i] = (StructField){names[i], TYPE_INT4, -1};
    }
    err_clear(&err);
    ck_assert_int_eq(struct_type_intern(many, STRUCT_MAX_FIELDS + 1, &st, &err), -1);
    ck_assert_str_eq(err.sqlstate, "54011");
    err_clear(&err);
    ck_assert_int_eq(struct_type_intern(many, STRUCT_MAX_FIELDS, &st, &err), 0);
    err_clear(&err);
    ck_assert_int_eq(struct_type_intern_text("struct<a nosuchtype>", &st, &err), -1);
    ck_assert_str_eq(err.sqlstate, "42704");
    ck_assert_str_eq(err.message, "type \"nosuchtype\" does not exist");
    err_clear(&err);
    ck_assert_int_eq(struct_type_intern_text("struct<a integer", &st, &err), -1);
    ck_assert_str_eq(err.sqlstate, "42601");
    err_clear(&err);
    ck_assert_int_eq(struct_type_intern_text("struct<a integer>x", &st, &err), -1);
    ck_assert_str_eq(err.sqlstate, "42601");
    err_clear(&err);
    ck_assert_int_eq(struct_type_intern_text("struct<a integer FROM t>", &st, &err), -1);
    ck_assert_str_eq(err.sqlstate, "42601");
    /* the catalog's check: a type_def whose typmod differs is corruption */
    err_clear(&err);
    ck_assert_int_eq(struct_type_restore("struct<a integer>", 2070953, &err), 0);
    ck_assert_int_eq(struct_type_restore("struct<a integer>", 7, &err), -1);
    ck_assert_str_eq(err.sqlstate, "XX001");
}
END_TEST

START_TEST(test_canonical_text)
{
    static const char *const texts[] = {
        "struct<a integer>",
        "struct<id bigint, name character varying, date_time timestamp without time zone>",
        ("struct<x double precision, t timestamp(3) with time zone, n numeric(10,2), "
         "c character(4), b bpchar, i interval>"),
        "struct<a struct<b struct<c integer>, \"D\"\"e\" text>, f boolean>",
    };

    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        ck_assert_str_eq(from_text(texts[i])->text, texts[i]);
    /* nested: the inner type is registered too, and named by its typmod */
    {
        const StructType *st = from_text(texts[3]);
        const StructType *inner = struct_type_lookup(st->fields[0].typmod);

        ck_assert_int_eq(st->types[0], TYPE_RECORD);
        ck_assert_ptr_nonnull(inner);
        ck_assert_str_eq(inner->text, "struct<b struct<c integer>, \"D\"\"e\" text>");
        ck_assert_str_eq(inner->fields[1].name, "D\"e");
    }
}
END_TEST

/* Outputs recorded from PostgreSQL 15 (SELECT ROW(...)::q, SELECT '...'::q). */
START_TEST(test_text_io)
{
    const StructType *q = type_q();
    const StructType *n;
    static const char *const same[] = {
        "(\"\",1,)",                 /* ROW('', 1, NULL): an empty string is quoted */
        "(\"a\"\"b\",2,\"c\\\\d\")", /* ROW('a"b', 2, 'c\d') */
        "(\"x,y\",3,\" lead\")",     /* ROW('x,y', 3, ' lead') */
        "(\"(p)\",,\"tab\there\")",  /* ROW('(p)', NULL, E'tab\there') */
        "(,,)",                      /* ROW(NULL, NULL, NULL) */
    };

    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++)
        ck_assert_str_eq(roundtrip(q, same[i]), same[i]);
    ck_assert_str_eq(roundtrip(q, "(\"a\\\"b\",  7 ,x y)"), "(\"a\"\"b\",7,\"x y\")");
    ck_assert_str_eq(roundtrip(q, "( \"(1\", 7 ,\"\")"), "(\" (1\",7,\"\")");
    ck_assert_str_eq(roundtrip(q, " (,,) "), "(,,)");
    ck_assert_str_eq(roundtrip(q, "(a,b,c)"),
                     "ERROR 22P02: invalid input syntax for type integer: \"b\" / ");
    ck_assert_str_eq(roundtrip(q, "(1,2"),
                     "ERROR 22P02: malformed record literal: \"(1,2\" / Unexpected end of input.");
    ck_assert_str_eq(roundtrip(q, "(1,2)"),
                     "ERROR 22P02: malformed record literal: \"(1,2)\" / Too few columns.");
    ck_assert_str_eq(roundtrip(q, "(1,2,3,4)"),
                     "ERROR 22P02: malformed record literal: \"(1,2,3,4)\" / Too many columns.");
    ck_assert_str_eq(roundtrip(q, "x(1,2,3)"),
                     "ERROR 22P02: malformed record literal: \"x(1,2,3)\" / Missing left "
                     "parenthesis.");
    ck_assert_str_eq(roundtrip(q, "(1,2,3) x"),
                     "ERROR 22P02: malformed record literal: \"(1,2,3) x\" / Junk after right "
                     "parenthesis.");
    ck_assert_str_eq(roundtrip(q, "(1,2,\"3"),
                     "ERROR 22P02: malformed record literal: \"(1,2,\"3\" / Unexpected end of "
                     "input.");
    ck_assert_str_eq(roundtrip(q, "(1,2,3\\"),
                     "ERROR 22P02: malformed record literal: \"(1,2,3\\\" / Unexpected end of "
                     "input.");
    ck_assert_str_eq(roundtrip(NULL, "(1,2,3)"),
                     "ERROR 0A000: input of anonymous composite types is not implemented / ");
    /* nested: CREATE TYPE n AS (k int, q q) */
    n = from_text("struct<k integer, q struct<a text, b integer, c text>>");
    ck_assert_int_eq(n->fields[1].typmod, q->typmod);
    ck_assert_str_eq(roundtrip(n, "(1,\"(\"\"a b\"\",2,)\")"), "(1,\"(\"\"a b\"\",2,)\")");
    ck_assert_str_eq(roundtrip(n, "(2,\"(\"\"\"\"\"\"\"\",3,\"\"\\\\\\\\\"\")\")"),
                     "(2,\"(\"\"\"\"\"\"\"\",3,\"\"\\\\\\\\\"\")\")");
    ck_assert_str_eq(roundtrip(n, "(3,)"), "(3,)");
    ck_assert_str_eq(roundtrip(n, "(1,\"(,,\\\"\\\"\\\")\")"),
                     "ERROR 22P02: malformed record literal: \"(,,\"\"\")\" / Unexpected end of "
                     "input.");
}
END_TEST

START_TEST(test_text_io_types)
{
    /* CREATE TYPE m AS (f float8, b bool, ts timestamptz, num numeric(6,2), i interval,
     * d date, v varchar(3)) */
    const StructType *m = from_text("struct<f double precision, b boolean, ts timestamp with time "
                                    "zone, num numeric(6,2), i interval, d date, v character "
                                    "varying(3)>");

    ck_assert_str_eq(roundtrip(m, "(1.5,true,\"2024-01-02 03:04:05.5+00\",3.14159,\"1 day 2 "
                                  "hours\",2020-02-29,ab)"),
                     "(1.5,t,\"2024-01-02 03:04:05.5+00\",3.14,\"1 day 02:00:00\",2020-02-29,ab)");
    ck_assert_str_eq(roundtrip(m, "(NaN,f,infinity,-1,-3mons,0001-01-01BC,\"\")"),
                     "(NaN,f,infinity,-1.00,\"-3 mons\",\"0001-01-01 BC\",\"\")");
    ck_assert_str_eq(roundtrip(m, "(,,,,,,abcd)"),
                     "ERROR 22001: value too long for type character varying(3) / ");
}
END_TEST

static void
to_hex(const Buf *b, char *out)
{
    for (size_t i = 0; i < b->len; i++)
        snprintf(out + 2 * i, 3, "%02x", b->data[i]);
    out[2 * b->len] = '\0';
}

static size_t
from_hex(const char *hex, uint8_t *out)
{
    size_t n = strlen(hex) / 2;

    for (size_t i = 0; i < n; i++) {
        unsigned v;

        sscanf(hex + 2 * i, "%2x", &v);
        out[i] = (uint8_t)v;
    }
    return n;
}

/* Binary forms recorded from PostgreSQL 15 (psycopg, binary cursor). */
START_TEST(test_binary_io)
{
    static const struct {
        const char *type, *text, *hex;
    } cases[] = {
        {"struct<a text, b integer, c text>", "(\"a\"\"b\",2,)",
         "00000003000000190000000361226200000017000000040000000200000019ffffffff"},
        {"struct<f double precision, b boolean, ts timestamp with time zone, num numeric(6,2), "
         "i interval, d date, v character varying(3)>",
         "(1.5,t,\"2024-01-02 03:04:05.5+00\",3.14,\"1 day 02:00:00\",2020-02-29,ab)",
         "00000007000002bd000000083ff8000000000000000000100000000101000004a0000000080002b0ec851d94"
         "60000006a40000000c000200000000000200030578000004a20000001000000001ad27480000000001000000"
         "000000043a0000000400001cc400000413000000026162"},
    };
    const TypeInfo *t = type_by_oid(TYPE_RECORD);

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const StructType *st = from_text(cases[i].type);
        uint8_t bytes[512];
        char hex[1024];
        size_t n = from_hex(cases[i].hex, bytes);
        Datum d, d2;
        Err err;
        Buf b;

        err_clear(&err);
        ck_assert_int_eq(t->in(cases[i].text, strlen(cases[i].text), st->typmod, &type_io_default,
                               arena, &d, &err),
                         0);
        buf_init(&b, 4096);
        t->send(d, -1, &b);
        to_hex(&b, hex);
        ck_assert_str_eq(hex, cases[i].hex);
        /* and back */
        if (t->recv(bytes, n, st->typmod, arena, &d2, &err) < 0)
            ck_abort_msg("%s %s", err.sqlstate, err.message);
        buf_reset(&b);
        t->out(d2, -1, &type_io_default, &b);
        buf_put_u8(&b, '\0');
        ck_assert_str_eq((const char *)b.data, cases[i].text);
        /* errors: short data, wrong field count, wrong field type, anonymous */
        ck_assert_int_eq(t->recv(bytes, n - 1, st->typmod, arena, &d2, &err), -1);
        ck_assert_str_eq(err.sqlstate, "08P01");
        bytes[3]++;
        err_clear(&err);
        ck_assert_int_eq(t->recv(bytes, n, st->typmod, arena, &d2, &err), -1);
        ck_assert_str_eq(err.sqlstate, "42804");
        bytes[3]--;
        bytes[7] ^= 1;
        err_clear(&err);
        ck_assert_int_eq(t->recv(bytes, n, st->typmod, arena, &d2, &err), -1);
        ck_assert_str_eq(err.sqlstate, "42804");
        err_clear(&err);
        ck_assert_int_eq(t->recv(bytes, n, -1, arena, &d2, &err), -1);
        ck_assert_str_eq(err.sqlstate, "0A000");
        buf_free(&b);
    }
}
END_TEST

START_TEST(test_values)
{
    const StructType *q = type_q();
    const StructType *n = from_text("struct<k integer, q struct<a text, b integer, c text>>");
    Value v[3] = {{datum_from_cstr(arena, "x"), false}, {0, true}, {datum_from_int32(-5), false}};
    Value w[2];
    Datum d, dn;
    Value f;
    Err err;

    v[2] = (Value){datum_from_cstr(arena, "z"), false};
    err_clear(&err);
    ck_assert_int_eq(struct_value_make(q, v, arena, &d, &err), 0);
    ck_assert_int_eq(struct_value_typmod(d), q->typmod);
    ck_assert_int_eq(struct_value_check(d, &err), 0);
    f = struct_value_field(d, 0, arena);
    ck_assert(!f.isnull);
    ck_assert_str_eq(datum_get_var(f.d)->data, "x");
    ck_assert(struct_value_field(d, 1, arena).isnull);
    ck_assert(struct_value_field(d, 3, arena).isnull); /* out of range: NULL, no crash */
    w[0] = (Value){datum_from_int32(9), false};
    w[1] = (Value){d, false};
    ck_assert_int_eq(struct_value_make(n, w, arena, &dn, &err), 0);
    f = struct_value_field(dn, 1, arena);
    ck_assert_int_eq(struct_value_typmod(f.d), q->typmod);
    ck_assert_str_eq(datum_get_var(struct_value_field(f.d, 2, arena).d)->data, "z");
    ck_assert_str_eq(type_output_cstr(type_by_oid(TYPE_RECORD), dn, -1, &type_io_default, arena),
                     "(9,\"(x,,z)\")");
}
END_TEST

START_TEST(test_sql)
{
    SqlSession *s = test_session();

    ck_assert_str_eq(run(s, "SELECT '(1,\"a b\")'::STRUCT<a INT, b VARCHAR>"), "(1,\"a b\")");
    ck_assert_str_eq(run_columns(), "struct:2249:-1");
    ck_assert_str_eq(run(s, "SELECT CAST('(1,)' AS struct<\"X\" numeric(5,1), b STRUCT<c "
                            "DOUBLE PRECISION>>)"),
                     "(1.0,)");
    ck_assert_str_eq(run(s, "SELECT format_type(pg_typeof(1), NULL), 'x' AS struct"), "integer|x");
    ck_assert_str_eq(run(s, "SELECT CAST('(1,\"(2.5)\")' AS STRUCT<a int, b STRUCT<c DOUBLE "
                            "PRECISION>>)"),
                     "(1,\"(2.5)\")");
    ck_assert_str_eq(run(s, "SELECT NULL::STRUCT<a INT> IS NULL"), "t");
    /* errors, positions in the user's text */
    ck_assert_str_eq(run(s, "SELECT NULL::STRUCT<a foo>"),
                     "ERROR 42704: type \"foo\" does not exist @23");
    ck_assert_str_eq(run(s, "SELECT NULL::STRUCT<a int, a text>"),
                     "ERROR 42701: column \"a\" specified more than once @0");
    ck_assert_str_eq(run(s, "SELECT NULL::STRUCT<>"),
                     "ERROR 42601: syntax error at or near \">\" @21");
    ck_assert_str_eq(run(s, "SELECT NULL::STRUCT<a int,>"),
                     "ERROR 42601: syntax error at or near \">\" @27");
    ck_assert_str_eq(run(s, "SELECT NULL::STRUCT<a int"),
                     "ERROR 42601: syntax error at end of input @26");
    ck_assert_str_eq(run(s, "SELECT 'é', NULL::STRUCT<a varchar(-1)>"),
                     "ERROR 42601: syntax error at or near \"-\" @36");
    ck_assert_str_eq(run(s, "SELECT '(1,2'::STRUCT<a int, b int>"),
                     "ERROR 22P02: malformed record literal: \"(1,2\" @8");
    /* a column named struct compared with < is not a type */
    ck_assert_str_eq(run(s, "SELECT struct < 5 FROM (VALUES (1)) v(struct)"),
                     "ERROR 0A000: no query executor is installed @0"); /* bound: no executor */
    /* newlines inside the span keep the lines of what follows */
    ck_assert_str_eq(run(s, "SELECT NULL::STRUCT<\na int,\nb int>, x"),
                     "ERROR 42703: column \"x\" does not exist @37");
    sql_session_destroy(s);
}
END_TEST

START_TEST(test_merge_tokens)
{
    static const char text[] =
        "CREATE TABLE t (s STRUCT<a int, b STRUCT<c int>> AS x, y int, z struct<q int>>>1)";
    ParseToken *tok = NULL;
    int n = parse_scan(text, &tok), m, k;

    ck_assert_int_gt(n, 0);
    m = bind_struct_merge_tokens(text, tok, n);
    ck_assert_int_eq(m, n - 10); /* the 11 tokens of the first STRUCT become one */
    for (k = 0; k < m && tok[k].kind != PTOK_QIDENT; k++)
        ;
    ck_assert_int_lt(k, m);
    ck_assert_int_eq(tok[k].end - tok[k].start, 30);
    ck_assert(strncmp(text + tok[k].start, "STRUCT<a int, b STRUCT<c int>>", 30) == 0);
    ck_assert(strncmp(text + tok[k + 1].start, "AS", 2) == 0);
    /* `struct<q int>>>1`: its '>' is shared with an operator: left alone */
    for (k++; k < m; k++)
        ck_assert_int_ne(tok[k].kind, PTOK_QIDENT);
    free(tok);
}
END_TEST

static Suite *
struct_suite(void)
{
    Suite *su = suite_create("types_struct");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_intern_idempotent);
    tcase_add_test(tc, test_hash_stable);
    tcase_add_test(tc, test_collision_refused);
    tcase_add_test(tc, test_intern_errors);
    tcase_add_test(tc, test_canonical_text);
    tcase_add_test(tc, test_text_io);
    tcase_add_test(tc, test_text_io_types);
    tcase_add_test(tc, test_binary_io);
    tcase_add_test(tc, test_values);
    tcase_add_test(tc, test_sql);
    tcase_add_test(tc, test_merge_tokens);
    suite_add_tcase(su, tc);
    return su;
}

int
main(void)
{
    SRunner *sr = srunner_create(struct_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
