/*
 * tests/unit/sql/test_string.c — Check suite for Rivulet's string family:
 * varchar/char typmods and length coercion (sql/types_char.c), real I/O
 * (sql/types_float4.c), bytea (sql/types_bytea.c), LIKE (sql/like.c),
 * regular expressions (sql/regex.c), MD5 (sql/md5.c), the float math and
 * random()/setseed() (sql/func_float.c), and end-to-end queries through the
 * public API.
 *
 * Expected strings were produced by PostgreSQL 15 (psql, text output), except
 * where a comment says the behaviour is Rivulet's own (random sequences).
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "common/errcodes.h"
#include "sql/func_float.h"
#include "sql/func_string.h"
#include "sql/types.h"
#include "sql_test_util.h"

static Arena *A;

static void
setup(void)
{
    A = arena_create("test", 0);
}

static void
teardown(void)
{
    arena_destroy(A);
}

/* Calls a built-in over text arguments (all non-NULL); returns its text result or "ERROR ..". */
static const char *
call_text(BuiltinFn fn, int nargs, const Datum *args, const Oid *types)
{
    EvalCtx ctx = {0};
    bool nulls[8] = {false};
    FnCall call = {&ctx, nargs, args, nulls, types};
    Datum r = 0;
    bool isnull = false;
    Err e;

    ctx.arena = A;
    ctx.io = &type_io_default;
    err_clear(&e);
    if (fn(&call, &r, &isnull, &e) < 0)
        return arena_sprintf(A, "ERROR %s: %s", e.sqlstate, e.message);
    return isnull ? "<NULL>" : datum_get_var(r)->data;
}

static Datum
txt(const char *s)
{
    return datum_from_cstr(A, s);
}

START_TEST(test_typmods)
{
    int32_t mods[2] = {10, 2}, typmod = 0;
    char buf[64];
    Err e;

    err_clear(&e);
    ck_assert_int_eq(varchar_typmodin(mods, 1, &typmod, &e), 0);
    ck_assert_int_eq(typmod, 14); /* atttypmod as PostgreSQL: n + VARHDRSZ */
    ck_assert_int_eq(varchar_typmodin(mods, 2, &typmod, &e), -1);
    ck_assert_str_eq(e.sqlstate, ERRCODE_INVALID_PARAMETER_VALUE);
    ck_assert_str_eq(e.message, "invalid type modifier");
    err_clear(&e);
    mods[0] = 0;
    ck_assert_int_eq(bpchar_typmodin(mods, 1, &typmod, &e), -1);
    ck_assert_str_eq(e.message, "length for type char must be at least 1");
    ck_assert_str_eq(type_format_typmod(TYPE_VARCHAR, 14, buf, sizeof buf),
                     "character varying(10)");
    ck_assert_str_eq(type_format_typmod(TYPE_BPCHAR, 5, buf, sizeof buf), "character(1)");
    ck_assert_str_eq(type_format_typmod(TYPE_VARCHAR, -1, buf, sizeof buf), "character varying");
    ck_assert_str_eq(type_format_typmod(TYPE_INT4, 7, buf, sizeof buf), "integer");
}
END_TEST

START_TEST(test_length_coercion)
{
    Oid types[3] = {TYPE_VARCHAR, TYPE_INT4, TYPE_BOOL};
    Datum args[3];

    /* explicit cast: silent truncation, counted in characters */
    args[0] = txt("héllo"), args[1] = datum_from_int32(2 + 4), args[2] = datum_from_bool(true);
    ck_assert_str_eq(call_text(varchar_coerce, 3, args, types), "hé");
    /* assignment: 22001 unless only spaces are cut */
    args[2] = datum_from_bool(false);
    ck_assert_str_eq(call_text(varchar_coerce, 3, args, types),
                     "ERROR 22001: value too long for type character varying(2)");
    args[0] = txt("ab   ");
    ck_assert_str_eq(call_text(varchar_coerce, 3, args, types), "ab");
    /* bpchar pads to n characters */
    types[0] = TYPE_BPCHAR;
    args[0] = txt("é"), args[1] = datum_from_int32(3 + 4);
    ck_assert_str_eq(call_text(bpchar_coerce, 3, args, types), "é  ");
    args[0] = txt("abcd");
    ck_assert_str_eq(call_text(bpchar_coerce, 3, args, types),
                     "ERROR 22001: value too long for type character(3)");
}
END_TEST

static const char *
f4(const char *in)
{
    Datum d;
    Err e;
    Buf b;
    const char *s;

    err_clear(&e);
    if (float4_in(in, strlen(in), -1, &type_io_default, A, &d, &e) < 0)
        return arena_sprintf(A, "ERROR %s: %s", e.sqlstate, e.message);
    buf_init(&b, 1024);
    float4_out(d, -1, &type_io_default, &b);
    s = arena_strndup(A, (const char *)b.data, b.len);
    buf_free(&b);
    return s;
}

START_TEST(test_float4_io)
{
    ck_assert_str_eq(f4("1.5"), "1.5");
    ck_assert_str_eq(f4("0.1"), "0.1");
    ck_assert_str_eq(f4("100000"), "100000");
    ck_assert_str_eq(f4("1e6"), "1e+06");
    ck_assert_str_eq(f4("123456789"), "1.2345679e+08");
    ck_assert_str_eq(f4("0.0001"), "0.0001");
    ck_assert_str_eq(f4("0.00001"), "1e-05");
    ck_assert_str_eq(f4("-0"), "-0");
    ck_assert_str_eq(f4(" -INF "), "-Infinity");
    ck_assert_str_eq(f4("nan"), "NaN");
    ck_assert_str_eq(f4("1.4e-45"), "1e-45");
    ck_assert_str_eq(f4("1e39"), "ERROR 22003: \"1e39\" is out of range for type real");
    ck_assert_str_eq(f4("1e-46"), "ERROR 22003: \"1e-46\" is out of range for type real");
    ck_assert_str_eq(f4("0x10"), "16"); /* strtof's hex form: PostgreSQL accepts it too */
    ck_assert_str_eq(f4("1e"), "ERROR 22P02: invalid input syntax for type real: \"1e\"");
    ck_assert_str_eq(f4(""), "ERROR 22P02: invalid input syntax for type real: \"\"");
    ck_assert_int_eq(float8_cmp(NAN, INFINITY), 1);
    ck_assert_int_eq(float8_cmp(NAN, NAN), 0);
    ck_assert_int_eq(float8_cmp(-0.0, 0.0), 0);
}
END_TEST

START_TEST(test_md5)
{
    char hex[33];

    md5_hex("", 0, hex);
    ck_assert_str_eq(hex, "d41d8cd98f00b204e9800998ecf8427e");
    md5_hex("abc", 3, hex);
    ck_assert_str_eq(hex, "900150983cd24fb0d6963f7d28e17f72");
    /* 55, 56 and 64 bytes cross the padding boundary */
    md5_hex("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 55, hex);
    ck_assert_str_eq(hex, "ef1772b6dff9a122358552954ad0df65");
    md5_hex("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 56, hex);
    ck_assert_str_eq(hex, "3b0c8ac703f828b04c6c197006d17218");
    md5_hex("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 64, hex);
    ck_assert_str_eq(hex, "014842d480b571495a4a0363793f7367");
}
END_TEST

static const char *
sha_hex(int bits, const char *s)
{
    uint8_t d[64];
    char *out = arena_alloc(A, 129);

    sha2_digest(bits, s, strlen(s), d);
    for (int i = 0; i < bits / 8; i++)
        snprintf(out + 2 * i, 3, "%02x", d[i]);
    return out;
}

/* FIPS 180-4's "abc" examples (the constants are computed, so these check them too). */
START_TEST(test_sha2)
{
    ck_assert_str_eq(sha_hex(224, "abc"),
                     "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7");
    ck_assert_str_eq(sha_hex(256, "abc"),
                     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    ck_assert_str_eq(sha_hex(384, "abc"), "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a"
                                          "43ff5bed8086072ba1e7cc2358baeca134c825a7");
    ck_assert_str_eq(sha_hex(512, "abc"), "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee6"
                                          "4b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e"
                                          "2a9ac94fa54ca49f");
    ck_assert_str_eq(sha_hex(256, ""),
                     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}
END_TEST

static int
like(const char *s, const char *p, bool icase)
{
    Err e;

    err_clear(&e);
    return like_match(s, strlen(s), p, strlen(p), icase, false, &e);
}

START_TEST(test_like)
{
    ck_assert_int_eq(like("abc", "a%", false), 1);
    ck_assert_int_eq(like("abc", "_b_", false), 1);
    ck_assert_int_eq(like("abc", "__", false), 0);
    ck_assert_int_eq(like("é", "_", false), 1); /* one character, two bytes */
    ck_assert_int_eq(like("a%c", "a\\%c", false), 1);
    ck_assert_int_eq(like("abc", "a\\%c", false), 0);
    ck_assert_int_eq(like("ABC", "a%c", true), 1);
    ck_assert_int_eq(like("", "%", false), 1);
    ck_assert_int_eq(like("mississippi", "%issip%", false), 1);
    /* many %s over a long miss stays fast (the abort rule) */
    ck_assert_int_eq(like("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaac",
                          "%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%b", false),
                     0);
    ck_assert_int_eq(like("ab", "ab\\", false), 0); /* the text ran out first */
    ck_assert_int_eq(like("ab", "a\\", false), -1);
}
END_TEST

START_TEST(test_sql)
{
    SqlSession *s = test_session();

    ck_assert_str_eq(run(s, "select 'abc'::varchar(2), 'a'::char(3) || '|', length('a '::char(3))"),
                     "ab|a||1");
    ck_assert_str_eq(run(s, "select 'abc'::varchar(0)"),
                     "ERROR 22023: length for type varchar must be at least 1 @15");
    ck_assert_str_eq(run(s, "select 1::int4(3)"),
                     "ERROR 42601: type modifier is not allowed for type \"int4\" @11");
    ck_assert_str_eq(run(s, "select 0.1::real + 0.2::real, 1::real / 3, '1e39'::real"),
                     "ERROR 22003: \"1e39\" is out of range for type real @44");
    ck_assert_str_eq(run(s, "select 0.1::real + 0.2::real, 1::real / 3"), "0.3|0.3333333333333333");
    ck_assert_str_eq(run(s, "select sqrt(-1::float8)"),
                     "ERROR 2201F: cannot take square root of a negative number @0");
    ck_assert_str_eq(
        run(s, "select '\\x0aff'::bytea, decode('YWJj', 'base64'), encode('a'::bytea, 'hex')"),
        "\\x0aff|\\x616263|61");
    ck_assert_str_eq(
        run(s, "select substr('héllo', 2, 2), upper('abc'), split_part('a,b,c', ',', -1)"),
        "él|ABC|c");
    ck_assert_str_eq(run(s, "select substr('x', 1, -1)"),
                     "ERROR 22011: negative substring length not allowed @0");
    ck_assert_str_eq(
        run(s, "select 'ab' like 'a_', 'AB' ilike 'a%', 'x' ~ '^\\w$', 'abc' similar to 'a%'"),
        "t|t|t|t");
    ck_assert_str_eq(run(s, "select regexp_replace('a1b22', '\\d+', '#', 'g')"), "a#b#");
    ck_assert_str_eq(run(s, "select 'a' ~ '('"),
                     "ERROR 2201B: invalid regular expression: parentheses () not balanced @0");
    ck_assert_str_eq(run(s, "select regexp_replace('aaa', 'a+?', 'x')"),
                     "ERROR 0A000: regular expression feature \"non-greedy quantifier\" is not "
                     "supported yet @0");
    ck_assert_str_eq(run(s, "select concat(1,2,3,4,5,6,7,8,9,10), format('%2$s-%1$s', 'a', 'b')"),
                     "12345678910|b-a");
    ck_assert_str_eq(run(s, "select greatest(1, NULL, 3), least('b', 'a'), greatest(NULL::int)"),
                     "3|a|<NULL>");
    ck_assert_str_eq(run(s, "select 'é'::\"char\", 'a'::\"char\"::int, 300::\"char\""),
                     "ERROR 22003: \"char\" out of range @0");
    ck_assert_str_eq(run(s, "select 'é'::\"char\", 'a'::\"char\"::int"), "\\303|97");
    ck_assert_str_eq(
        run(s, "select width_bucket(5.35::float8, 0.024, 10.06, 5), sind(30), tand(45)"),
        "3|0.5|1");
    ck_assert_str_eq(run(s, "select regexp_replace('abcabc', 'b', 'X', 1, 2), "
                            "regexp_count('ababab', 'ab'), regexp_substr('a12b345', '\\d+', 1, 2)"),
                     "abcaXc|3|345");
    ck_assert_str_eq(run(s, "select substring('Thomas' from '%#\"o_a#\"_' for '#'), "
                            "'A' ~ '(?i)a', 'É' ~* 'é', format('%*s|', 3, 'x')"),
                     "oma|t|f|  x|");
    ck_assert_str_eq(run(s, "select gcd(-12, 18), lcm(4::int8, 6::int8)"), "6|12");
    sql_session_destroy(s);
}
END_TEST

/* setseed() makes random() repeatable within and across sessions (Rivulet's own sequence). */
START_TEST(test_random)
{
    SqlSession *s1 = test_session(), *s2 = test_session();
    char first[64];

    run(s1, "select setseed(0.25)");
    snprintf(first, sizeof first, "%s", run(s1, "select random()"));
    run(s2, "select setseed(0.25)");
    ck_assert_str_eq(run(s2, "select random()"), first);
    ck_assert_str_ne(run(s2, "select random()"), first);
    ck_assert_str_eq(run(s1, "select random() >= 0 and random() < 1"), "t");
    ck_assert_str_eq(run(s1, "select setseed(2)"),
                     "ERROR 22023: setseed parameter 2 is out of allowed range [-1,1] @0");
    sql_session_destroy(s1);
    sql_session_destroy(s2);
}
END_TEST

static Suite *
string_suite(void)
{
    Suite *su = suite_create("string");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_typmods);
    tcase_add_test(tc, test_length_coercion);
    tcase_add_test(tc, test_float4_io);
    tcase_add_test(tc, test_md5);
    tcase_add_test(tc, test_sha2);
    tcase_add_test(tc, test_like);
    tcase_add_test(tc, test_sql);
    tcase_add_test(tc, test_random);
    suite_add_tcase(su, tc);
    return su;
}

int
main(void)
{
    SRunner *sr = srunner_create(string_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
