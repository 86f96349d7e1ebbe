/*
 * tests/unit/stream/test_runtime.c — stream/runtime.c and the planner:
 * whole queries through the sql.h API with the one-shot runner installed
 * as the executor (as server/main.c does). Expected results were produced
 * by PostgreSQL 15.
 */
#include <check.h>
#include <stdlib.h>

#include "../sql/sql_test_util.h"
#include "stream/stream.h"

typedef struct Case {
    const char *sql;
    const char *expected;
} Case;

static const Case CASES[] = {
    {"select * from (values (1, 'a'), (2, 'b'), (3, null)) v(a, b) where a > 1", "2|b\n3|<NULL>"},
    {"select count(*), sum(a), min(b), max(b) from (values (1, 'a'), (2, 'b')) v(a, b)", "2|3|a|b"},
    {"select count(*), sum(x) from generate_series(1, 0) g(x)", "0|<NULL>"},
    {"select count(*)", "1"},
    {"select x % 3 as m, count(*), string_agg(x::text, ',') from generate_series(1, 7) g(x) "
     "group by 1 order by m desc",
     "2|2|2,5\n1|3|1,4,7\n0|2|3,6"},
    {"select a, c from (values (1), (2)) v(a), (values (10), (20)) w(c) order by c, a limit 3 "
     "offset 1",
     "2|10\n1|20\n2|20"},
    {"values (3), (1), (2) order by 1 desc", "3\n2\n1"},
    {"select distinct a from (values (1), (1), (null), (2)) v(a) order by a nulls first",
     "<NULL>\n1\n2"},
    {"select count(distinct a), count(a) filter (where a > 1), bool_and(a > 0) from (values (1), "
     "(1), (2), (5)) v(a)",
     "3|2|t"},
    {"select * from (select x from generate_series(1, 10) g(x) order by x desc limit 3) s",
     "10\n9\n8"},
    {"select a from (values (1, 2)) v(a, b) group by b",
     "ERROR 42803: column \"v.a\" must appear in the GROUP BY clause or be used in an aggregate "
     "function @8"},
    {"select a from (values (1)) v(a), (values (2)) w(a)",
     "ERROR 42702: column reference \"a\" is ambiguous @8"},
    {"select x from generate_series(1, 3) x limit -1",
     "ERROR 2201W: LIMIT must not be negative @0"},
    {"select x from generate_series(1, 3, 0) x", "ERROR 22023: step size cannot equal zero @0"},
    {"select sum(x), avg(x) from generate_series(1, 100) x", "5050|50.5000000000000000"},
    {"select x % 2, string_agg(x::text, '-' order by x % 3, x desc) from generate_series(1, 9) x "
     "group by 1 order by 1",
     "0|6-4-8-2\n1|9-3-7-1-5"},
    {"select a from (values (1)) v(a) order by 2",
     "ERROR 42P10: ORDER BY position 2 is not in select list @42"},
};

START_TEST(test_case)
{
    SqlSession *s = test_session();
    const Case *c = &CASES[_i];

    ck_assert_msg(strcmp(run(s, c->sql), c->expected) == 0, "%s\n  expected: %s\n  got:      %s",
                  c->sql, c->expected, run(s, c->sql));
    sql_session_destroy(s);
}
END_TEST

/* Result types as PostgreSQL's (pg_typeof in PostgreSQL 15). */
START_TEST(test_result_types)
{
    SqlSession *s = test_session();

    ck_assert_str_eq(run(s, "select sum(a), avg(a), count(a), min(a) from (values (1::int2)) v(a)"),
                     "1|1.00000000000000000000|1|1");
    ck_assert_str_eq(run_columns(), "sum:20:8,avg:1700:-1,count:20:8,min:21:2");
    ck_assert_str_eq(run(s, "select sum(a), avg(a), variance(a) from (values (1::int8)) v(a)"),
                     "1|1.00000000000000000000|<NULL>");
    ck_assert_str_eq(run_columns(), "sum:1700:-1,avg:1700:-1,variance:1700:-1");
    ck_assert_str_eq(run(s, "select sum(a), avg(a), stddev(a) from (values (1::float8)) v(a)"),
                     "1|1|<NULL>");
    ck_assert_str_eq(run_columns(), "sum:701:8,avg:701:8,stddev:701:8");
    sql_session_destroy(s);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("runtime");
    TCase *tc = tcase_create("core");
    SRunner *sr;
    int failed;

    sql_set_executor(stream_run_oneshot);
    tcase_add_loop_test(tc, test_case, 0, (int)(sizeof CASES / sizeof CASES[0]));
    tcase_add_test(tc, test_result_types);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
