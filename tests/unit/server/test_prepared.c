/*
 * tests/unit/server/test_prepared.c — Check suite for server/prepared.c: the
 * name tables and the reference counting that keeps a statement alive while
 * a portal uses it.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "server/server_int.h"

static int cleared;

static void
count_value(void *value, void *arg)
{
    (void)value;
    (void)arg;
    cleared++;
}

START_TEST(test_namemap)
{
    static int values[5000];
    NameMap m;
    char name[32];

    namemap_init(&m);
    ck_assert_ptr_null(namemap_get(&m, ""));
    ck_assert_ptr_null(namemap_take(&m, "x"));
    for (int i = 0; i < 5000; i++) {
        snprintf(name, sizeof name, "S_%d", i);
        ck_assert(namemap_put(&m, name, &values[i]));
    }
    ck_assert(namemap_put(&m, "", &values[0]));
    ck_assert_uint_eq(m.count, 5001);
    for (int i = 0; i < 5000; i += 7) {
        snprintf(name, sizeof name, "S_%d", i);
        ck_assert_ptr_eq(namemap_get(&m, name), &values[i]);
    }
    ck_assert_ptr_eq(namemap_take(&m, "S_42"), &values[42]);
    ck_assert_ptr_null(namemap_get(&m, "S_42"));
    ck_assert_ptr_eq(namemap_get(&m, ""), &values[0]);
    cleared = 0;
    namemap_clear(&m, count_value, NULL);
    ck_assert_int_eq(cleared, 5000);
    ck_assert_uint_eq(m.count, 0);
    ck_assert_ptr_null(namemap_get(&m, "S_1"));
    ck_assert(namemap_put(&m, "again", &values[1]));
    ck_assert_ptr_eq(namemap_get(&m, "again"), &values[1]);
    namemap_clear(&m, count_value, NULL);
    namemap_free(&m);
}
END_TEST

START_TEST(test_portal_keeps_statement)
{
    /* The empty query: no SqlStatement, so nothing of sql/ is called. */
    Prepared *prep = prepared_new("s1", NULL);
    Portal *a, *b;

    ck_assert_ptr_nonnull(prep);
    ck_assert_int_eq(prep->refs, 1);
    a = portal_new("", prep, NULL);
    b = portal_new("p", prep, NULL);
    ck_assert_int_eq(prep->refs, 3);
    ck_assert_str_eq(b->name, "p");
    prepared_unref(prep); /* Close 'S': the portals still hold it */
    ck_assert_int_eq(prep->refs, 2);
    ck_assert_str_eq(a->prep->name, "s1");
    portal_free(a);
    ck_assert_int_eq(prep->refs, 1);
    portal_free(b); /* last reference: freed (checked under ASan/valgrind) */
    prepared_unref(NULL);
    portal_free(NULL);
}
END_TEST

static Suite *
prepared_suite(void)
{
    Suite *s = suite_create("prepared");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_namemap);
    tcase_add_test(tc, test_portal_keeps_statement);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(prepared_suite());
    int failed;

    srunner_set_fork_status(sr, CK_FORK);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
