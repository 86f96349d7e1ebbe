/*
 * tests/unit/sql/test_types.c — Check suite for the type registry and the
 * I/O functions (sql/types.c, sql/types_int.c, sql/types_text.c): text
 * input rules and messages, text output, binary send/receive, UTF-8.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sql/types.h"

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

/* Text input then text output: returns the output, or "ERROR <state>: <message>". */
static const char *
roundtrip(Oid type, const char *input)
{
    static char result[600];
    const TypeInfo *t = type_by_oid(type);
    Datum d;
    Err err;
    Buf b;

    err_clear(&err);
    if (t->in(input, strlen(input), -1, &type_io_default, arena, &d, &err) < 0) {
        snprintf(result, sizeof result, "ERROR %s: %s", err.sqlstate, err.message);
        return result;
    }
    buf_init(&b, 1024);
    t->out(d, -1, &type_io_default, &b);
    snprintf(result, sizeof result, "%.*s", (int)b.len, (const char *)b.data);
    buf_free(&b);
    return result;
}

START_TEST(test_registry)
{
    const TypeInfo *t = type_by_oid(TYPE_INT4);

    ck_assert_str_eq(t->name, "int4");
    ck_assert_str_eq(t->sql_name, "integer");
    ck_assert_int_eq(t->typlen, 4);
    ck_assert(t->byval);
    ck_assert_int_eq(t->category, 'N');
    ck_assert_ptr_eq(type_by_name("int8"), type_by_oid(TYPE_INT8));
    ck_assert_ptr_null(type_by_name("integer")); /* the grammar turns INTEGER into int4 */
    ck_assert(type_is_preferred(TYPE_TEXT));
    ck_assert(type_is_preferred(TYPE_BOOL));
    ck_assert(!type_is_preferred(TYPE_INT4));
    ck_assert_int_eq(type_by_oid(TYPE_NAME)->typlen, 64);
    ck_assert_int_eq(type_by_oid(TYPE_TEXT)->typlen, -1);
    ck_assert(type_by_oid(TYPE_NUMERIC)->supported);
    ck_assert_str_eq(type_sql_name(TYPE_VARCHAR), "character varying");
    ck_assert_str_eq(type_sql_name(99999), "???");
}
END_TEST

START_TEST(test_bool_input)
{
    static const char *const yes[] = {"t", "TRUE", "tr", " true ", "y", "Yes", "on", "ON", "1"};
    static const char *const no[] = {"f", "false", "FAL", "n", "no", "off", "of", "0", "\tF\n"};

    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        ck_assert_str_eq(roundtrip(TYPE_BOOL, yes[i]), "t");
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        ck_assert_str_eq(roundtrip(TYPE_BOOL, no[i]), "f");
    ck_assert_str_eq(roundtrip(TYPE_BOOL, "o"),
                     "ERROR 22P02: invalid input syntax for type boolean: \"o\"");
    ck_assert_str_eq(roundtrip(TYPE_BOOL, "truex"),
                     "ERROR 22P02: invalid input syntax for type boolean: \"truex\"");
    ck_assert_str_eq(roundtrip(TYPE_BOOL, "11"),
                     "ERROR 22P02: invalid input syntax for type boolean: \"11\"");
    ck_assert_str_eq(roundtrip(TYPE_BOOL, ""),
                     "ERROR 22P02: invalid input syntax for type boolean: \"\"");
}
END_TEST

START_TEST(test_int_input)
{
    ck_assert_str_eq(roundtrip(TYPE_INT4, "  12 "), "12");
    ck_assert_str_eq(roundtrip(TYPE_INT4, "+5"), "5");
    ck_assert_str_eq(roundtrip(TYPE_INT4, "-0"), "0");
    ck_assert_str_eq(roundtrip(TYPE_INT4, "-2147483648"), "-2147483648");
    ck_assert_str_eq(roundtrip(TYPE_INT4, "abc"),
                     "ERROR 22P02: invalid input syntax for type integer: \"abc\"");
    ck_assert_str_eq(roundtrip(TYPE_INT4, ""),
                     "ERROR 22P02: invalid input syntax for type integer: \"\"");
    ck_assert_str_eq(roundtrip(TYPE_INT4, " 1 2"),
                     "ERROR 22P02: invalid input syntax for type integer: \" 1 2\"");
    ck_assert_str_eq(roundtrip(TYPE_INT4, "-"),
                     "ERROR 22P02: invalid input syntax for type integer: \"-\"");
    ck_assert_str_eq(roundtrip(TYPE_INT4, "1_000"),
                     "ERROR 22P02: invalid input syntax for type integer: \"1_000\"");
    ck_assert_str_eq(roundtrip(TYPE_INT4, "99999999999"),
                     "ERROR 22003: value \"99999999999\" is out of range for type integer");
    ck_assert_str_eq(roundtrip(TYPE_INT4, "2147483648"),
                     "ERROR 22003: value \"2147483648\" is out of range for type integer");
    ck_assert_str_eq(roundtrip(TYPE_INT2, "-32768"), "-32768");
    ck_assert_str_eq(roundtrip(TYPE_INT2, "-32769"),
                     "ERROR 22003: value \"-32769\" is out of range for type smallint");
    ck_assert_str_eq(roundtrip(TYPE_INT2, "x"),
                     "ERROR 22P02: invalid input syntax for type smallint: \"x\"");
    ck_assert_str_eq(roundtrip(TYPE_INT8, "-9223372036854775808"), "-9223372036854775808");
    ck_assert_str_eq(roundtrip(TYPE_INT8, "9223372036854775807"), "9223372036854775807");
    ck_assert_str_eq(roundtrip(TYPE_INT8, "-9223372036854775809"),
                     "ERROR 22003: value \"-9223372036854775809\" is out of range for type bigint");
    /* overflow is reported before trailing junk, as pg_strtoint */
    ck_assert_str_eq(
        roundtrip(TYPE_INT8, "99999999999999999999x"),
        "ERROR 22003: value \"99999999999999999999x\" is out of range for type bigint");
}
END_TEST

START_TEST(test_float8_text)
{
    ck_assert_str_eq(roundtrip(TYPE_FLOAT8, "1.5"), "1.5");
    ck_assert_str_eq(roundtrip(TYPE_FLOAT8, "0.1"), "0.1");
    ck_assert_str_eq(roundtrip(TYPE_FLOAT8, " 100 "), "100");
    ck_assert_str_eq(roundtrip(TYPE_FLOAT8, "1e15"), "1e+15");
    ck_assert_str_eq(roundtrip(TYPE_FLOAT8, "999999999999999"), "999999999999999");
    ck_assert_str_eq(roundtrip(TYPE_FLOAT8, "123456789012345678"), "1.2345678901234568e+17");
    ck_assert_str_eq(roundtrip(TYPE_FLOAT8, "0.0001"), "0.0001");
    ck_assert_str_eq(roundtrip(TYPE_FLOAT8, "0.00001"), "1e-05");
    ck_assert_str_eq(roundtrip(TYPE_FLOAT8, "1.25e-7"), "1.25e-07");
    ck_assert_str_eq(roundtrip(TYPE_FLOAT8, "-0"), "-0");
    ck_assert_str_eq(roundtrip(TYPE_FLOAT8, "NaN"), "NaN");
    ck_assert_str_eq(roundtrip(TYPE_FLOAT8, "-inf"), "-Infinity");
    ck_assert_str_eq(roundtrip(TYPE_FLOAT8, "Infinity"), "Infinity");
    ck_assert_str_eq(roundtrip(TYPE_FLOAT8, "1e400"),
                     "ERROR 22003: \"1e400\" is out of range for type double precision");
    ck_assert_str_eq(roundtrip(TYPE_FLOAT8, "abc"),
                     "ERROR 22P02: invalid input syntax for type double precision: \"abc\"");
}
END_TEST

START_TEST(test_text_and_name)
{
    char longname[100];

    ck_assert_str_eq(roundtrip(TYPE_TEXT, "héllo"), "héllo");
    ck_assert_str_eq(roundtrip(TYPE_TEXT, "\xff"),
                     "ERROR 22021: invalid byte sequence for encoding \"UTF8\": 0xff");
    ck_assert_str_eq(roundtrip(TYPE_TEXT, "a\xe2\x82"),
                     "ERROR 22021: invalid byte sequence for encoding \"UTF8\": 0xe2 0x82");
    ck_assert_str_eq(roundtrip(TYPE_TEXT, "\xed\xa0\x80"), /* a surrogate */
                     "ERROR 22021: invalid byte sequence for encoding \"UTF8\": 0xed 0xa0 0x80");
    ck_assert_str_eq(roundtrip(TYPE_TEXT, "\xc0\xaf"), /* an overlong '/' */
                     "ERROR 22021: invalid byte sequence for encoding \"UTF8\": 0xc0 0xaf");
    memset(longname, 'n', 70);
    longname[70] = '\0';
    ck_assert_uint_eq(strlen(roundtrip(TYPE_NAME, longname)), 63);
    /* cut at a character boundary: 62 ASCII bytes, then a 2-byte character */
    memset(longname, 'n', 62);
    memcpy(longname + 62, "é", sizeof "é");
    ck_assert_uint_eq(strlen(roundtrip(TYPE_NAME, longname)), 62);
    ck_assert_int_eq(text_char_count("aé€😀", strlen("aé€😀")), 4);
}
END_TEST

static void
send_of(Oid type, const char *input, Buf *b)
{
    const TypeInfo *t = type_by_oid(type);
    Datum d;
    Err err;

    err_clear(&err);
    ck_assert_int_eq(t->in(input, strlen(input), -1, &type_io_default, arena, &d, &err), 0);
    buf_reset(b);
    t->send(d, -1, b);
}

START_TEST(test_binary_send)
{
    Buf b;

    buf_init(&b, 64);
    send_of(TYPE_BOOL, "true", &b);
    ck_assert_uint_eq(b.len, 1);
    ck_assert_int_eq(b.data[0], 1);
    send_of(TYPE_INT2, "-2", &b);
    ck_assert_uint_eq(b.len, 2);
    ck_assert_int_eq(buf_get_u16(b.data), 0xfffe);
    send_of(TYPE_INT4, "258", &b);
    ck_assert_uint_eq(b.len, 4);
    ck_assert_mem_eq(b.data, "\x00\x00\x01\x02", 4);
    send_of(TYPE_INT8, "-1", &b);
    ck_assert_uint_eq(b.len, 8);
    ck_assert_uint_eq(buf_get_u64(b.data), UINT64_MAX);
    send_of(TYPE_FLOAT8, "1.5", &b);
    ck_assert_mem_eq(b.data, "\x3f\xf8\x00\x00\x00\x00\x00\x00", 8);
    send_of(TYPE_TEXT, "hé", &b);
    ck_assert_uint_eq(b.len, 3);
    ck_assert_mem_eq(b.data, "h\xc3\xa9", 3);
    buf_free(&b);
}
END_TEST

START_TEST(test_binary_recv)
{
    Datum d;
    Err err;

    err_clear(&err);
    ck_assert_int_eq(bool_recv((const uint8_t *)"\x05", 1, -1, arena, &d, &err), 0);
    ck_assert(datum_get_bool(d));
    ck_assert_int_eq(int4_recv((const uint8_t *)"\xff\xff\xff\xfe", 4, -1, arena, &d, &err), 0);
    ck_assert_int_eq(datum_get_int32(d), -2);
    ck_assert_int_eq(
        int8_recv((const uint8_t *)"\x00\x00\x00\x00\x00\x00\x01\x00", 8, -1, arena, &d, &err), 0);
    ck_assert_int_eq(datum_get_int64(d), 256);
    ck_assert_int_eq(int2_recv((const uint8_t *)"\x80\x00", 2, -1, arena, &d, &err), 0);
    ck_assert_int_eq(datum_get_int16(d), -32768);
    /* too short: PostgreSQL's pq_getmsgint; too long: exec_bind_message's check */
    ck_assert_int_eq(int4_recv((const uint8_t *)"\x00\x01", 2, -1, arena, &d, &err), -1);
    ck_assert_str_eq(err.sqlstate, "08P01");
    ck_assert_str_eq(err.message, "insufficient data left in message");
    err_clear(&err);
    ck_assert_int_eq(int4_recv((const uint8_t *)"\x00\x00\x00\x01\x00", 5, -1, arena, &d, &err),
                     -1);
    ck_assert_str_eq(err.sqlstate, "22P03");
    err_clear(&err);
    ck_assert_int_eq(text_recv((const uint8_t *)"ok\xff", 3, -1, arena, &d, &err), -1);
    ck_assert_str_eq(err.sqlstate, "22021");
    err_clear(&err);
    ck_assert_int_eq(text_recv((const uint8_t *)"a\0b", 3, -1, arena, &d, &err), -1);
    ck_assert_str_eq(err.message, "invalid byte sequence for encoding \"UTF8\": 0x00");
}
END_TEST

START_TEST(test_datum_representation)
{
    Datum a = datum_from_int16(-5), b = datum_from_int64(-5), c = datum_from_int32(-5);
    VarData *v = vardata_make(arena, "abc", 3);

    /* invariant 1 of datum.h: integers are sign-extended, so widths compare equal */
    ck_assert_uint_eq(a, b);
    ck_assert_uint_eq(b, c);
    ck_assert_int_eq(v->len, 3);
    ck_assert_int_eq(v->data[3], '\0');
    ck_assert(datum_get_float8(datum_from_float8(2.5)) == 2.5);
    ck_assert_ptr_ne(datum_get_var(datum_copy(arena, datum_from_var(v), false)), v);
    ck_assert_uint_eq(datum_copy(arena, a, true), a);
}
END_TEST

static Suite *
types_suite(void)
{
    Suite *s = suite_create("types");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_registry);
    tcase_add_test(tc, test_bool_input);
    tcase_add_test(tc, test_int_input);
    tcase_add_test(tc, test_float8_text);
    tcase_add_test(tc, test_text_and_name);
    tcase_add_test(tc, test_binary_send);
    tcase_add_test(tc, test_binary_recv);
    tcase_add_test(tc, test_datum_representation);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(types_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
