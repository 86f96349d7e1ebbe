/*
 * tests/unit/common/test_buf.c — Check suite for common/buf.c.
 */
#include <check.h>
#include <string.h>

#include "common/buf.h"

START_TEST(test_big_endian)
{
    Buf b;

    buf_init(&b, 0);
    buf_put_u8(&b, 0x01);
    buf_put_u16(&b, 0x0203);
    buf_put_u32(&b, 0x04050607);
    buf_put_u64(&b, 0x08090a0b0c0d0e0fULL);
    ck_assert_uint_eq(b.len, 15);
    for (int i = 0; i < 15; i++)
        ck_assert_uint_eq(b.data[i], i + 1);
    ck_assert_uint_eq(buf_get_u16(b.data + 1), 0x0203);
    ck_assert_uint_eq(buf_get_u32(b.data + 3), 0x04050607);
    ck_assert(buf_get_u64(b.data + 7) == 0x08090a0b0c0d0e0fULL);
    buf_patch_u32(&b, 3, 0xdeadbeef);
    ck_assert_uint_eq(buf_get_u32(b.data + 3), 0xdeadbeef);
    buf_free(&b);
}
END_TEST

START_TEST(test_ceiling_is_sticky)
{
    Buf b;

    buf_init(&b, 10);
    buf_put_str(&b, "12345678");
    ck_assert(!b.failed);
    buf_put_str(&b, "abc");
    ck_assert(b.failed);
    ck_assert_uint_eq(b.len, 8);
    buf_put_u8(&b, 1); /* fits, but the failure is sticky */
    ck_assert_uint_eq(b.len, 8);
    buf_reset(&b);
    ck_assert(!b.failed);
    buf_put_cstr(&b, "hi");
    ck_assert_uint_eq(b.len, 3);
    buf_printf(&b, "%d", 12345);
    ck_assert_uint_eq(b.len, 8);
    buf_consume(&b, 3);
    ck_assert_int_eq(memcmp(b.data, "12345", 5), 0);
    buf_free(&b);
}
END_TEST

static Suite *
buf_suite(void)
{
    Suite *s = suite_create("buf");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_big_endian);
    tcase_add_test(tc, test_ceiling_is_sticky);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(buf_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
