/*
 * tests/unit/sql/test_numeric.c — Check suite for the numeric core
 * (sql/numeric.c, sql/numeric_math.c, sql/numeric_acc.c, sql/types_numeric.c)
 * through sql/numeric.h, plus a few end-to-end queries through the public API.
 *
 * Expected strings were produced by PostgreSQL 15 (psql, text output).
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sql/numeric.h"
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

static Datum
num(const char *s)
{
    Datum d = 0;
    Err e;

    err_clear(&e);
    ck_assert_msg(numeric_parse(A, s, strlen(s), &d, &e) == 0, "parse %s: %s", s, e.message);
    return d;
}

static const char *
str(Datum d)
{
    return numeric_to_cstr(A, d);
}

typedef int (*Op)(Arena *, Datum, Datum, Datum *, Err *);

static const char *
op(Op f, const char *x, const char *y)
{
    Datum r = 0;
    Err e;

    err_clear(&e);
    if (f(A, num(x), num(y), &r, &e) != 0)
        return arena_sprintf(A, "ERROR %s: %s", e.sqlstate, e.message);
    return str(r);
}

START_TEST(test_text_io)
{
    static const char *const cases[][2] = {
        {"1.50", "1.50"},
        {"-0.000", "0.000"},
        {"1e3", "1000"},
        {"  12.340 ", "12.340"},
        {"NaN", "NaN"},
        {"-inf", "-Infinity"},
        {"+Infinity", "Infinity"},
        {".5", "0.5"},
        {"5.", "5"},
        {"1.5e-3", "0.0015"},
        {"-1E+2", "-100"},
        {"0.00012345", "0.00012345"},
        {"123456789012345678901234567890.123456789", "123456789012345678901234567890.123456789"},
        {"00042", "42"},
        {"1e-5", "0.00001"},
        {"10000", "10000"},
    };

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        ck_assert_str_eq(str(num(cases[i][0])), cases[i][1]);
}
END_TEST

START_TEST(test_bad_input)
{
    static const char *const bad[] = {"", "abc", ".", "1e", "1.5e", " 1 2", "1..2", "--1", "e5"};
    Datum d;
    Err e;

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err_clear(&e);
        ck_assert_int_eq(numeric_parse(A, bad[i], strlen(bad[i]), &d, &e), -1);
        ck_assert_str_eq(e.sqlstate, "22P02");
    }
    err_clear(&e);
    ck_assert_int_eq(numeric_parse(A, "1e131072", 8, &d, &e), -1);
    ck_assert_str_eq(e.message, "value overflows numeric format");
    err_clear(&e);
    ck_assert_int_eq(numeric_parse(A, "1e-16384", 8, &d, &e), -1);
    ck_assert_str_eq(e.sqlstate, "22003");
}
END_TEST

START_TEST(test_add_sub_carry)
{
    ck_assert_str_eq(op(numeric_add, "9999.9999", "0.0001"), "10000.0000");
    ck_assert_str_eq(op(numeric_sub, "10000", "0.0001"), "9999.9999");
    ck_assert_str_eq(op(numeric_add, "1.5", "2.25"), "3.75");
    ck_assert_str_eq(op(numeric_sub, "1.5", "3"), "-1.5");
    ck_assert_str_eq(op(numeric_sub, "1.50", "1.5"), "0.00");
    ck_assert_str_eq(op(numeric_add, "99999999999999999999", "1"), "100000000000000000000");
    ck_assert_str_eq(op(numeric_add, "inf", "-inf"), "NaN");
    ck_assert_str_eq(op(numeric_sub, "inf", "5"), "Infinity");
}
END_TEST

START_TEST(test_mul_div)
{
    ck_assert_str_eq(op(numeric_mul, "2.5", "1.10"), "2.750");
    ck_assert_str_eq(op(numeric_div, "10", "3.0"), "3.3333333333333333");
    ck_assert_str_eq(op(numeric_div, "1", "3"), "0.33333333333333333333");
    ck_assert_str_eq(op(numeric_div, "2", "3"), "0.66666666666666666667");
    ck_assert_str_eq(op(numeric_div, "1", "0.0"), "ERROR 22012: division by zero");
    ck_assert_str_eq(op(numeric_mod, "7.5", "2"), "1.5");
    ck_assert_str_eq(op(numeric_mod, "-7.5", "2"), "-1.5");
    ck_assert_str_eq(op(numeric_div_trunc, "-7.5", "2"), "-3");
    ck_assert_str_eq(op(numeric_mul, "inf", "0"), "NaN");
    ck_assert_str_eq(op(numeric_div, "5", "inf"), "0");
}
END_TEST

START_TEST(test_huge)
{
    char big[1101];
    Datum x, sq, back;
    Err e;

    memset(big, '7', 1000);
    big[1000] = '\0';
    x = num(big);
    err_clear(&e);
    ck_assert_int_eq(numeric_mul(A, x, x, &sq, &e), 0);
    ck_assert_int_eq(numeric_div_trunc(A, sq, x, &back, &e), 0);
    ck_assert_str_eq(str(back), big);
    ck_assert_int_eq(numeric_cmp(sq, x), 1);
    ck_assert_int_eq(numeric_sqrt(A, sq, &back, &e), 0);
    ck_assert_int_eq(numeric_cmp(back, x), 0);
}
END_TEST

START_TEST(test_rounding)
{
    Datum r;
    Err e;
    static const struct {
        const char *in;
        int scale;
        const char *round, *trunc;
    } cases[] = {
        {"2.5", 0, "3", "2"},
        {"-2.5", 0, "-3", "-2"},
        {"1234.5678", -2, "1200", "1200"},
        {"1234.5678", 2, "1234.57", "1234.56"},
        {"9999.5", 0, "10000", "9999"},
        {"0.00006", 4, "0.0001", "0.0000"},
        {"-0.4", 0, "0", "0"},
        {"5", 3, "5.000", "5.000"},
    };

    err_clear(&e);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ck_assert_int_eq(numeric_round(A, num(cases[i].in), cases[i].scale, &r, &e), 0);
        ck_assert_str_eq(str(r), cases[i].round);
        ck_assert_int_eq(numeric_trunc(A, num(cases[i].in), cases[i].scale, &r, &e), 0);
        ck_assert_str_eq(str(r), cases[i].trunc);
    }
    ck_assert_int_eq(numeric_ceil(A, num("-1.5"), &r, &e), 0);
    ck_assert_str_eq(str(r), "-1");
    ck_assert_int_eq(numeric_floor(A, num("-1.5"), &r, &e), 0);
    ck_assert_str_eq(str(r), "-2");
}
END_TEST

START_TEST(test_order_hash)
{
    const char *order[] = {"-inf", "-1e100", "-1.5", "0", "0.0001", "1", "1e100", "inf", "nan"};

    for (size_t i = 0; i + 1 < sizeof order / sizeof order[0]; i++) {
        ck_assert_int_eq(numeric_cmp(num(order[i]), num(order[i + 1])), -1);
        ck_assert_int_eq(numeric_cmp(num(order[i + 1]), num(order[i])), 1);
    }
    ck_assert_int_eq(numeric_cmp(num("nan"), num("NaN")), 0);
    ck_assert_int_eq(numeric_cmp(num("1.0"), num("1.00")), 0);
    ck_assert_uint_eq(numeric_hash(num("1.0")), numeric_hash(num("1.00")));
    ck_assert_uint_eq(numeric_hash(num("-0.000")), numeric_hash(num("0")));
    ck_assert_uint_ne(numeric_hash(num("1")), numeric_hash(num("10000")));
}
END_TEST

START_TEST(test_conversions)
{
    int64_t v;
    double dv;
    Err e;

    err_clear(&e);
    ck_assert_int_eq(numeric_to_int64(num("2.5"), &v, &e), 0);
    ck_assert_int_eq(v, 3);
    ck_assert_int_eq(numeric_to_int64(num("-2.5"), &v, &e), 0);
    ck_assert_int_eq(v, -3);
    ck_assert_int_eq(numeric_to_int64(num("9223372036854775807.4"), &v, &e), 0);
    ck_assert(v == INT64_MAX);
    ck_assert_int_eq(numeric_to_int64(num("9223372036854775807.5"), &v, &e), -1);
    ck_assert_str_eq(e.message, "bigint out of range");
    err_clear(&e);
    ck_assert_int_eq(numeric_to_int(num("nan"), INT32_MIN, INT32_MAX, "integer", &v, &e), -1);
    ck_assert_str_eq(e.message, "cannot convert NaN to integer");
    ck_assert_str_eq(str(numeric_from_int64(A, INT64_MIN)), "-9223372036854775808");
    ck_assert_str_eq(str(numeric_from_int128(A, (__int128)INT64_MAX * 1000)),
                     "9223372036854775807000");
    ck_assert_str_eq(str(numeric_from_double(A, 0.1)), "0.1");
    ck_assert_str_eq(str(numeric_from_double(A, 1e20)), "100000000000000000000");
    ck_assert_str_eq(str(numeric_from_double(A, 1.0 / 3)), "0.333333333333333");
    ck_assert_str_eq(str(numeric_from_scaled_int64(A, -12345, 2)), "-123.45");
    err_clear(&e);
    ck_assert_int_eq(numeric_to_double(num("1.5"), &dv, &e), 0);
    ck_assert(dv == 1.5);
    ck_assert_int_eq(numeric_to_double(num("1e400"), &dv, &e), -1);
    ck_assert_str_eq(e.sqlstate, "22003");
}
END_TEST

START_TEST(test_binary_roundtrip)
{
    const char *vals[] = {"0", "1.50", "-123456789.000000001", "nan", "-inf", "1e-20", "1e100"};
    static const uint8_t wire[] = {0, 2, 0, 0, 0x40, 0,
                                   0, 2, 0, 1, 0x13, 0x88}; /* -1.5000 → -1.50 */
    Buf b;
    Datum d;
    Err e;

    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
        buf_init(&b, BUF_DEFAULT_MAX);
        numeric_send(num(vals[i]), -1, &b);
        err_clear(&e);
        ck_assert_int_eq(numeric_recv(b.data, b.len, -1, A, &d, &e), 0);
        ck_assert_str_eq(str(d), str(num(vals[i])));
        buf_free(&b);
    }
    err_clear(&e);
    ck_assert_int_eq(numeric_recv(wire, sizeof wire, -1, A, &d, &e), 0);
    ck_assert_str_eq(str(d), "-1.50");
    ck_assert_int_eq(numeric_recv(wire, 10, -1, A, &d, &e), -1);
}
END_TEST

START_TEST(test_typmod)
{
    Datum r;
    Err e;
    int32_t tm;
    int32_t mods[2] = {5, 2};

    err_clear(&e);
    ck_assert_int_eq(numeric_typmodin(mods, 2, &tm, &e), 0);
    ck_assert_int_eq(tm, 327686);
    ck_assert_int_eq(numeric_apply_typmod(A, num("123.456"), tm, &r, &e), 0);
    ck_assert_str_eq(str(r), "123.46");
    ck_assert_int_eq(numeric_apply_typmod(A, num("12345.678"), tm, &r, &e), -1);
    ck_assert_str_eq(e.message, "numeric field overflow");
    ck_assert_str_eq(e.detail, "A field with precision 5, scale 2 must round to an absolute "
                               "value less than 10^3.");
    err_clear(&e);
    ck_assert_int_eq(numeric_apply_typmod(A, num("123.45"), numeric_make_typmod(5, -2), &r, &e), 0);
    ck_assert_str_eq(str(r), "100");
    mods[0] = 1001;
    ck_assert_int_eq(numeric_typmodin(mods, 1, &tm, &e), -1);
    ck_assert_str_eq(e.message, "NUMERIC precision 1001 must be between 1 and 1000");
}
END_TEST

START_TEST(test_transcendental)
{
    Datum r;
    Err e;

    err_clear(&e);
    ck_assert_int_eq(numeric_sqrt(A, num("2"), &r, &e), 0);
    ck_assert_str_eq(str(r), "1.414213562373095");
    ck_assert_int_eq(numeric_exp(A, num("1.0"), &r, &e), 0);
    ck_assert_str_eq(str(r), "2.7182818284590452");
    ck_assert_int_eq(numeric_ln(A, num("2.0"), &r, &e), 0);
    ck_assert_str_eq(str(r), "0.6931471805599453");
    ck_assert_int_eq(numeric_ln(A, num("1e100"), &r, &e), 0);
    ck_assert_str_eq(str(r), "230.25850929940457");
    ck_assert_str_eq(op(numeric_power, "2", "10"), "1024.0000000000000000");
    ck_assert_str_eq(op(numeric_power, "2", "1.5"), "2.8284271247461901");
    ck_assert_str_eq(op(numeric_power, "1.1", "50"), "117.3908528796953165");
    ck_assert_str_eq(op(numeric_power, "0", "-1"),
                     "ERROR 2201F: zero raised to a negative power is undefined");
    ck_assert_str_eq(op(numeric_log, "2", "1024"), "10.0000000000000000");
    ck_assert_int_eq(numeric_ln(A, num("0"), &r, &e), -1);
    ck_assert_str_eq(e.sqlstate, "2201E");
}
END_TEST

START_TEST(test_accumulator)
{
    NumericAcc acc;
    Datum r;
    bool isnull;
    Err e;

    err_clear(&e);
    numeric_acc_init(&acc, true);
    for (int i = 1; i <= 4; i++)
        ck_assert_int_eq(numeric_acc_add_int64(&acc, A, i, &e), 0);
    ck_assert_int_eq(numeric_acc_sum(&acc, A, &r, &isnull, &e), 0);
    ck_assert_str_eq(str(r), "10");
    ck_assert_int_eq(numeric_acc_avg(&acc, A, &r, &isnull, &e), 0);
    ck_assert_str_eq(str(r), "2.5000000000000000");
    ck_assert_int_eq(numeric_acc_variance(&acc, A, true, false, &r, &isnull, &e), 0);
    ck_assert_str_eq(str(r), "1.6666666666666667");
    ck_assert_int_eq(numeric_acc_variance(&acc, A, true, true, &r, &isnull, &e), 0);
    ck_assert_str_eq(str(r), "1.2909944487358056");
    ck_assert_int_eq(numeric_acc_variance(&acc, A, false, true, &r, &isnull, &e), 0);
    ck_assert_str_eq(str(r), "1.1180339887498948");

    numeric_acc_init(&acc, true);
    ck_assert_int_eq(numeric_acc_add(&acc, A, num("1.5"), &e), 0);
    ck_assert_int_eq(numeric_acc_add(&acc, A, num("2.25"), &e), 0);
    ck_assert_int_eq(numeric_acc_add(&acc, A, num("3"), &e), 0);
    ck_assert_int_eq(numeric_acc_sum(&acc, A, &r, &isnull, &e), 0);
    ck_assert_str_eq(str(r), "6.75");
    ck_assert_int_eq(numeric_acc_variance(&acc, A, false, true, &r, &isnull, &e), 0);
    ck_assert_str_eq(str(r), "0.61237243569579452455");
    /* retraction: removing 2.25 (the only dscale-2 input) cannot be inverted */
    ck_assert_int_eq(numeric_acc_remove(&acc, A, num("2.25"), &e), 1);
    ck_assert_int_eq(numeric_acc_remove(&acc, A, num("3"), &e), 0);
    ck_assert_int_eq(numeric_acc_sum(&acc, A, &r, &isnull, &e), 0);
    ck_assert_str_eq(str(r), "3.75");
    ck_assert_int_eq(numeric_acc_add(&acc, A, num("inf"), &e), 0);
    ck_assert_int_eq(numeric_acc_avg(&acc, A, &r, &isnull, &e), 0);
    ck_assert_str_eq(str(r), "Infinity");
    ck_assert_int_eq(numeric_acc_variance(&acc, A, true, false, &r, &isnull, &e), 0);
    ck_assert_str_eq(str(r), "NaN");

    /* int128 fast path overflow folds into the numeric sums */
    numeric_acc_init(&acc, true);
    for (int i = 0; i < 4; i++)
        ck_assert_int_eq(numeric_acc_add_int64(&acc, A, INT64_MAX, &e), 0);
    ck_assert_int_eq(numeric_acc_avg(&acc, A, &r, &isnull, &e), 0);
    ck_assert_str_eq(str(r), "9223372036854775807");
    ck_assert_int_eq(numeric_acc_variance(&acc, A, true, false, &r, &isnull, &e), 0);
    ck_assert_str_eq(str(r), "0");
}
END_TEST

static int polls;

static bool
poll_after_three(void *arg)
{
    (void)arg;
    return ++polls > 3;
}

START_TEST(test_poll_and_int128)
{
    char big[8001];
    Datum x, r;
    __int128 v;
    Err e;

    memset(big, '3', 8000);
    big[8000] = '\0';
    x = num(big);
    err_clear(&e);
    polls = 0;
    numeric_set_poll(poll_after_three, NULL);
    (void)numeric_sqrt(A, x, &r, &e);
    ck_assert(numeric_interrupted());
    numeric_set_poll(NULL, NULL);
    ck_assert(!numeric_interrupted());
    ck_assert_int_eq(numeric_sqrt(A, num("1e8000"), &r, &e), 0);
    ck_assert_int_eq(numeric_cmp(r, num("1e4000")), 0);

    ck_assert(numeric_to_int128_exact(num("-170141183460469231731687303715884105728"), &v));
    ck_assert(v == -(__int128)(((unsigned __int128)1) << 126) * 2);
    ck_assert(!numeric_to_int128_exact(num("170141183460469231731687303715884105728"), &v));
    ck_assert(!numeric_to_int128_exact(num("1.5"), &v));
    ck_assert(numeric_to_int128_exact(num("12.000"), &v));
    ck_assert(v == 12);
}
END_TEST

START_TEST(test_sci)
{
    static const struct {
        const char *in;
        int scale;
        const char *out;
    } cases[] = {
        {"12345.678", 3, "1.235e+04"}, {"-0.00012345", 2, "-1.23e-04"}, {"0", 2, "0.00e+00"},
        {"9.999", 2, "10.00e+00"},     {"1", 0, "1e+00"},             {"nan", 2, "NaN"},
    };

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        Buf b;

        buf_init(&b, BUF_DEFAULT_MAX);
        numeric_format_sci(num(cases[i].in), cases[i].scale, &b);
        buf_put_u8(&b, 0);
        ck_assert_str_eq((const char *)b.data, cases[i].out);
        buf_free(&b);
    }
}
END_TEST

START_TEST(test_sql)
{
    SqlSession *s = test_session();

    ck_assert_str_eq(run(s, "select 1.5 + 1, 2 * 1.25, 1.0 = 1, -1.50"), "2.5|2.50|t|-1.50");
    ck_assert_str_eq(run_columns(),
                     "?column?:1700:-1,?column?:1700:-1,?column?:16:1,?column?:1700:-1");
    ck_assert_str_eq(run(s, "select 2.5::int4, (-2.5)::int8, 1.5::float8, 3::numeric"),
                     "3|-3|1.5|3");
    ck_assert_str_eq(run(s, "select 1/0.0"), "ERROR 22012: division by zero @0");
    ck_assert_str_eq(run(s, "select 'x'::numeric"),
                     "ERROR 22P02: invalid input syntax for type numeric: \"x\" @8");
    ck_assert_str_eq(run(s, "select 1e200000"), "ERROR 22003: value overflows numeric format @8");
    ck_assert_str_eq(run(s, "select round(2.5), trunc(-1.999, 1), abs(-1.5), sqrt(4.0)"),
                     "3|-1.9|1.5|2.000000000000000");
    sql_session_destroy(s);
}
END_TEST

static Suite *
numeric_suite(void)
{
    Suite *su = suite_create("numeric");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_text_io);
    tcase_add_test(tc, test_bad_input);
    tcase_add_test(tc, test_add_sub_carry);
    tcase_add_test(tc, test_mul_div);
    tcase_add_test(tc, test_huge);
    tcase_add_test(tc, test_rounding);
    tcase_add_test(tc, test_order_hash);
    tcase_add_test(tc, test_conversions);
    tcase_add_test(tc, test_binary_roundtrip);
    tcase_add_test(tc, test_typmod);
    tcase_add_test(tc, test_transcendental);
    tcase_add_test(tc, test_accumulator);
    tcase_add_test(tc, test_poll_and_int128);
    tcase_add_test(tc, test_sci);
    tcase_add_test(tc, test_sql);
    suite_add_tcase(su, tc);
    return su;
}

int
main(void)
{
    SRunner *sr = srunner_create(numeric_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
