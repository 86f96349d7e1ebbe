/*
 * tests/unit/common/test_crc32c.c — Check suite for common/crc32c.c.
 */
#include <check.h>
#include <stdint.h>

#include "common/clock.h"
#include "common/crc32c.h"

START_TEST(test_crc32c)
{
    uint8_t buf[1000];
    Rng rng;

    ck_assert_uint_eq(crc32c("123456789", 9), 0xE3069283u);
    ck_assert_uint_eq(crc32c_extend_portable(0, "123456789", 9), 0xE3069283u);
    ck_assert_uint_eq(crc32c("", 0), 0);
    rng_seed(&rng, 7);
    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = (uint8_t)rng_next(&rng);
    for (size_t n = 0; n + 3 <= sizeof buf; n += 37) {
        uint32_t whole = crc32c(buf + 3, n);

        ck_assert_uint_eq(whole, crc32c_extend_portable(0, buf + 3, n));
        for (size_t k = 0; k <= n; k += 13)
            ck_assert_uint_eq(whole, crc32c_extend(crc32c(buf + 3, k), buf + 3 + k, n - k));
    }
}
END_TEST

static Suite *
crc32c_suite(void)
{
    Suite *s = suite_create("crc32c");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_crc32c);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(crc32c_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
