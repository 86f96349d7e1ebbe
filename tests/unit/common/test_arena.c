/*
 * tests/unit/common/test_arena.c — Check suite for common/arena.c.
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "common/arena.h"

START_TEST(test_alignment_and_reuse)
{
    Arena *a = arena_create("test", 256);

    for (int i = 1; i < 200; i++) {
        void *p = arena_alloc(a, (size_t)i);

        ck_assert_uint_eq((uintptr_t)p % 16, 0);
        memset(p, 0xab, (size_t)i);
    }
    ck_assert_uint_gt(arena_used(a), 0);
    arena_reset(a);
    ck_assert_uint_eq(arena_used(a), 0);
    arena_destroy(a);
}
END_TEST

START_TEST(test_large_and_strings)
{
    Arena *a = arena_create("test", 0);
    char *big = arena_alloc(a, 1 << 20);
    char *s;

    memset(big, 1, 1 << 20);
    s = arena_strdup(a, "hello");
    ck_assert_str_eq(s, "hello");
    s = arena_strndup(a, "hello world", 5);
    ck_assert_str_eq(s, "hello");
    s = arena_sprintf(a, "%d-%s", 42, "x");
    ck_assert_str_eq(s, "42-x");
    ck_assert_ptr_nonnull(arena_calloc(a, 10, 10));
    ck_assert_str_eq(arena_name(a), "test");
    arena_destroy(a);
}
END_TEST

static Suite *
arena_suite(void)
{
    Suite *s = suite_create("arena");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_alignment_and_reuse);
    tcase_add_test(tc, test_large_and_strings);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(arena_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
