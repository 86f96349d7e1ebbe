/*
 * tests/unit/common/test_err.c — Check suite for common/err.c.
 */
#include <check.h>
#include <string.h>

#include "common/err.h"

START_TEST(test_first_raise_wins)
{
    Err err;

    err_clear(&err);
    ck_assert(!err_is_set(&err));
    ck_assert_int_eq(ERR_RAISE(&err, ERRCODE_DIVISION_BY_ZERO, "division by zero"), -1);
    ck_assert(err_is_set(&err));
    ERR_RAISE(&err, ERRCODE_SYNTAX_ERROR, "second");
    ck_assert_str_eq(err.sqlstate, "22012");
    ck_assert_str_eq(err.message, "division by zero");
    err_position(&err, 7);
    err_position(&err, 9);
    ck_assert_int_eq(err.position, 7);
    err_detail(&err, "d %d", 1);
    err_hint(&err, "h");
    ck_assert_str_eq(err.detail, "d 1");
    ck_assert_str_eq(err.hint, "h");
    ck_assert_str_eq(err_level_name(err.level), "ERROR");
}
END_TEST

START_TEST(test_truncates_long_text)
{
    Err err;
    char big[4096];

    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    err_clear(&err);
    ERR_RAISE(&err, ERRCODE_INTERNAL_ERROR, "%s", big);
    ck_assert_uint_eq(strlen(err.message), ERR_MESSAGE_MAX - 1);
    ck_assert_int_eq(ERR_RAISE(NULL, ERRCODE_INTERNAL_ERROR, "ignored"), -1);
}
END_TEST

static Suite *
err_suite(void)
{
    Suite *s = suite_create("err");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_first_raise_wins);
    tcase_add_test(tc, test_truncates_long_text);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(err_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
