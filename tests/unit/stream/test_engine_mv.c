/*
 * tests/unit/stream/test_engine_mv.c — materialized views in the storage
 * engine (stream/engine_mv.c, stream/job.c, stream/deltamap.c): a view
 * follows inserts, updates and deletes of every input kind and equals its
 * query run ad hoc; its contents survive closing and reopening the engine
 * and it keeps being maintained after; rows too long for an LMDB key take
 * the hash-bucket path; a view over a view.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../sql/sql_test_util.h"
#include "stream_test_util.h"
#include "stream/deltamap.h"
#include "stream/engine_int.h"
#include "stream/stream.h"

static char dir[64];

static void
make_tmp(void)
{
    test_tmpdir(dir, "enginemv");
}

static void
remove_tmp(void)
{
    test_rmdir(dir);
}

static Engine *
open_engine(void)
{
    return test_engine_open(dir, true);
}

/* The view's rows equal its query's, both sorted. */
static void
assert_view(SqlSession *s, const char *view, const char *query)
{
    char a[512], b[512];
    char *va, *vb;

    snprintf(a, sizeof a, "select * from %s order by 1, 2, 3", view);
    snprintf(b, sizeof b, "select * from (%s) q order by 1, 2, 3", query);
    va = strdup(run(s, a));
    vb = strdup(run(s, b));
    ck_assert_msg(strcmp(va, vb) == 0, "view %s:\n%s\nquery:\n%s", view, va, vb);
    free(va);
    free(vb);
}

#define AGG "select g, count(*), sum(v) from t group by g"
#define JOIN "select t.k, t.v, s.name from t join s on t.g = s.g"
#define ON_VIEW "select name, count(*), sum(v) from j group by name"

START_TEST(test_views_follow_changes)
{
    SqlSession *s = test_session();
    Engine *e;

    make_tmp();
    e = open_engine();
    ck_assert_str_eq(run(s, "create table t (k int primary key, g int, v int)"), "CREATE TABLE");
    ck_assert_str_eq(run(s, "create table s (g int, name text) append only"), "CREATE TABLE");
    ck_assert_str_eq(run(s, "insert into t select x, x % 3, x from generate_series(1, 30) x"),
                     "INSERT 0 30");
    ck_assert_str_eq(run(s, "insert into s values (0, 'zero'), (1, 'one')"), "INSERT 0 2");
    ck_assert_str_eq(run(s, "create materialized view a as " AGG), "SELECT 3");
    ck_assert_str_eq(run(s, "create materialized view j as " JOIN), "SELECT 20");
    ck_assert_str_eq(run(s, "create materialized view m as " ON_VIEW), "SELECT 2");
    assert_view(s, "a", AGG);
    assert_view(s, "j", JOIN);
    assert_view(s, "m", ON_VIEW);
    ck_assert_str_eq(run(s, "update t set v = v * 10 where k % 4 = 0"), "UPDATE 7");
    ck_assert_str_eq(run(s, "delete from t where k > 25"), "DELETE 5");
    ck_assert_str_eq(run(s, "insert into s values (2, 'two'), (1, 'uno')"), "INSERT 0 2");
    ck_assert_str_eq(run(s, "insert into t values (100, 7, 1)"), "INSERT 0 1");
    assert_view(s, "a", AGG);
    assert_view(s, "j", JOIN);
    assert_view(s, "m", ON_VIEW);
    /* closed and opened again: contents kept, maintenance goes on */
    engine_close(e);
    e = open_engine();
    assert_view(s, "a", AGG);
    assert_view(s, "m", ON_VIEW);
    ck_assert_str_eq(run(s, "delete from t where g = 1"), "DELETE 9");
    ck_assert_str_eq(run(s, "insert into s values (7, 'seven')"), "INSERT 0 1");
    assert_view(s, "a", AGG);
    assert_view(s, "j", JOIN);
    assert_view(s, "m", ON_VIEW);
    /* DROP order: a view before what it reads */
    ck_assert_str_eq(run(s, "drop table t"),
                     "ERROR 2BP01: cannot drop table t because other objects depend on it @0");
    ck_assert_str_eq(run(s, "drop table t, s cascade"), "DROP TABLE");
    ck_assert_str_eq(run(s, "show materialized views"), "");
    engine_close(e);
    remove_tmp();
    sql_session_destroy(s);
}
END_TEST

/*
 * Views whose operators keep their state in state tables (filters, projections, VALUES)
 * continue after a restart from the committed state: nothing is rebuilt, VALUES are not
 * emitted twice, and maintenance goes on. A view dropped takes its operator tables along.
 */
START_TEST(test_persistent_restart)
{
    SqlSession *s = test_session();
    Engine *e;
    Arena *a = arena_create("t", 0);
    char **names;
    size_t n, nop = 0;
    Err err;

    make_tmp();
    e = open_engine();
    ck_assert_str_eq(run(s, "create table t (k int primary key, g int, v int)"), "CREATE TABLE");
    ck_assert_str_eq(run(s, "insert into t select x, x % 3, x from generate_series(1, 30) x"),
                     "INSERT 0 30");
    ck_assert_str_eq(run(s, "create materialized view f as select k, v * 2 as w, g from t "
                            "where g = 1"),
                     "SELECT 10");
    ck_assert_str_eq(run(s, "create materialized view c as select 1 as one, 'x' as two"),
                     "SELECT 1");
    ck_assert_str_eq(run(s, "delete from t where k < 5"), "DELETE 4");
    assert_view(s, "f", "select k, v * 2 as w, g from t where g = 1");
    engine_close(e);
    e = open_engine();
    ck_assert_uint_eq(e->mv_rebuilds, 0);
    ck_assert_str_eq(run(s, "select * from c"), "1|x");
    ck_assert_str_eq(run(s, "insert into t values (100, 1, 7)"), "INSERT 0 1");
    assert_view(s, "f", "select k, v * 2 as w, g from t where g = 1");
    ck_assert_str_eq(run(s, "select count(*) from c"), "1");
    engine_close(e);
    e = open_engine();
    ck_assert_uint_eq(e->mv_rebuilds, 0);
    ck_assert_str_eq(run(s, "select count(*) from c"), "1");
    assert_view(s, "f", "select k, v * 2 as w, g from t where g = 1");
    ck_assert_str_eq(run(s, "drop materialized view c, f"), "DROP MATERIALIZED VIEW");
    err_clear(&err);
    ck_assert_int_eq(state_list_tables(e->state, a, &names, &n, &err), 0);
    for (size_t i = 0; i < n; i++)
        nop += strstr(names[i], ".o") != NULL;
    ck_assert_uint_eq(nop, 0);
    engine_close(e);
    remove_tmp();
    arena_destroy(a);
    sql_session_destroy(s);
}
END_TEST

/*
 * A backlog larger than an epoch takes (EPOCH_LOG_RECORDS) is cut into several epochs:
 * FLUSH runs as many as it needs, and the views see every record once.
 */
START_TEST(test_epoch_backlog)
{
    SqlSession *s = test_session();
    Engine *e;

    make_tmp();
    e = open_engine();
    ck_assert_str_eq(run(s, "create table t (a int) append only"), "CREATE TABLE");
    ck_assert_str_eq(run(s, "create materialized view v as select count(*) as n, sum(a) as s "
                            "from t"),
                     "SELECT 1");
    ck_assert_str_eq(run(s, "insert into t select x from generate_series(1, 300000) x"),
                     "INSERT 0 300000");
    ck_assert_str_eq(run(s, "flush"), "FLUSH");
    ck_assert_uint_eq(e->epoch_more, false);
    ck_assert_str_eq(run(s, "select * from v"), "300000|45000150000");
    ck_assert_str_eq(run(s, "insert into t select x from generate_series(1, 140000) x"),
                     "INSERT 0 140000");
    engine_close(e); /* the last epoch takes one part; the next start-up the rest */
    e = open_engine();
    ck_assert_str_eq(run(s, "flush"), "FLUSH");
    ck_assert_str_eq(run(s, "select * from v"), "440000|54800220000");
    /* with the epoch driver ticking beside it, FLUSH still takes the whole backlog */
    engine_set_checkpoint_interval(e, 10);
    for (int round = 0; round < 3; round++) {
        ck_assert_str_eq(run(s, "insert into t select 1 from generate_series(1, 400000)"),
                         "INSERT 0 400000");
        ck_assert_str_eq(run(s, "flush"), "FLUSH");
        ck_assert_str_eq(run(s, "select n from v"), round == 0   ? "840000"
                                                    : round == 1 ? "1240000"
                                                                 : "1640000");
    }
    engine_close(e);
    remove_tmp();
    sql_session_destroy(s);
}
END_TEST

/*
 * A sort key too long for a state table's key (54000 from the persistent top-N) does not fail
 * the view: its operators fall back to state in memory, at CREATE, in an epoch and after a
 * restart, and the view keeps equal to its query.
 */
START_TEST(test_long_sort_key_falls_back)
{
    SqlSession *s = test_session();
    Engine *e;

    make_tmp();
    e = open_engine();
    ck_assert_str_eq(run(s, "create table t (k int primary key, s text)"), "CREATE TABLE");
    ck_assert_str_eq(run(s, "insert into t select x, repeat(chr(97 + x % 5), 600) || x "
                            "from generate_series(1, 20) x"),
                     "INSERT 0 20");
    ck_assert_str_eq(run(s, "create materialized view top as select s, k, length(s) as n "
                            "from t order by s desc limit 3"),
                     "SELECT 3");
    ck_assert_str_eq(run(s, "create materialized view top2 as select k, s, 1 as one from t "
                            "where k > 100 order by s limit 2"),
                     "SELECT 0");
    assert_view(s, "top", "select s, k, length(s) from t order by s desc limit 3");
    ck_assert_str_eq(run(s, "insert into t values (200, repeat('z', 700)), (201, repeat('y', 700))"),
                     "INSERT 0 2");
    assert_view(s, "top", "select s, k, length(s) from t order by s desc limit 3");
    assert_view(s, "top2", "select k, s, 1 from t where k > 100 order by s limit 2");
    engine_close(e);
    e = open_engine();
    ck_assert_str_eq(run(s, "delete from t where k = 200"), "DELETE 1");
    assert_view(s, "top", "select s, k, length(s) from t order by s desc limit 3");
    assert_view(s, "top2", "select k, s, 1 from t where k > 100 order by s limit 2");
    engine_close(e);
    remove_tmp();
    sql_session_destroy(s);
}
END_TEST

/* Rows longer than an LMDB key live in hash buckets; duplicates are counted. */
START_TEST(test_long_rows)
{
    SqlSession *s = test_session();
    Engine *e;

    make_tmp();
    e = open_engine();
    ck_assert_str_eq(run(s, "create table w (k int primary key, t text)"), "CREATE TABLE");
    ck_assert_str_eq(run(s, "create materialized view lw as select repeat(t, 300) as r, "
                            "length(t) as n from w"),
                     "SELECT 0");
    ck_assert_str_eq(run(s, "insert into w values (1, 'ab'), (2, 'ab'), (3, 'cd')"),
                     "INSERT 0 3");
    ck_assert_str_eq(run(s, "select n, count(*), min(length(r)) from lw group by n"),
                     "2|3|600");
    ck_assert_str_eq(run(s, "delete from w where k = 1"), "DELETE 1");
    ck_assert_str_eq(run(s, "select substr(r, 1, 4), count(*) from lw group by 1 order by 1"),
                     "abab|1\ncdcd|1");
    engine_close(e);
    e = open_engine();
    ck_assert_str_eq(run(s, "update w set t = 'cd' where k = 2"), "UPDATE 1");
    ck_assert_str_eq(run(s, "select substr(r, 1, 4), count(*) from lw group by 1 order by 1"),
                     "cdcd|2");
    engine_close(e);
    remove_tmp();
    sql_session_destroy(s);
}
END_TEST

START_TEST(test_deltamap)
{
    DeltaMap m;
    Err err;
    const uint8_t *row;
    size_t len, pos = 0, n = 0;
    int64_t w, sum = 0;

    err_clear(&err);
    deltamap_init(&m);
    for (int i = 0; i < 5000; i++) {
        char k[16];

        snprintf(k, sizeof k, "row%d", i % 1000);
        ck_assert_int_eq(deltamap_add(&m, k, strlen(k), i % 2 ? 1 : -1, &err), 0);
    }
    ck_assert_ptr_nonnull(deltamap_find(&m, "row7", 4));
    ck_assert_ptr_null(deltamap_find(&m, "row7x", 5));
    while (deltamap_next(&m, &pos, &row, &len, &w)) {
        n++;
        sum += w;
    }
    /* rows with an even index got -1 five times, odd ones +1 five times */
    ck_assert_uint_eq(n, 1000);
    ck_assert_int_eq(sum, 0);
    deltamap_reset(&m);
    pos = 0;
    ck_assert(!deltamap_next(&m, &pos, &row, &len, &w));
    ck_assert_int_eq(deltamap_add(&m, "x", 1, 2, &err), 0);
    ck_assert_int_eq(deltamap_add(&m, "x", 1, -2, &err), 0);
    pos = 0;
    ck_assert(!deltamap_next(&m, &pos, &row, &len, &w)); /* cancelled */
    deltamap_free(&m);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("engine_mv");
    TCase *tc = tcase_create("core");
    SRunner *sr;
    int failed;

    sql_set_executor(stream_run_oneshot);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_deltamap);
    tcase_add_test(tc, test_views_follow_changes);
    tcase_add_test(tc, test_long_rows);
    tcase_add_test(tc, test_persistent_restart);
    tcase_add_test(tc, test_epoch_backlog);
    tcase_add_test(tc, test_long_sort_key_falls_back);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
