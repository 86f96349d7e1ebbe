/*
 * tests/unit/stream/test_view_keys.c — key lookups on materialized views and
 * primary-key tables (planner/scankey.c, stream/engine_key.c, the keyed
 * contents of stream/engine_mv.c): a point or range query on a view's key
 * reads only those rows (counted by engine_key_stats) and answers as the
 * same query over the base table does; keyed contents survive a restart and
 * are maintained after; a view stored in the unkeyed format of older
 * binaries (0x00) is still read and maintained (by scanning); a randomized
 * run of inserts, updates and deletes over many epochs, with a restart in
 * the middle, keeps every lookup equal to the brute-force query.
 *
 * RV_VIEWKEYS_BENCH=N also times a point query on an N-row keyed view.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../sql/sql_test_util.h"
#include "stream_test_util.h"
#include "common/clock.h"
#include "sql/relation.h"
#include "stream/engine_int.h"
#include "stream/engine_key.h"
#include "stream/stream.h"

static char dir[64];

static void
make_tmp(void)
{
    test_tmpdir(dir, "viewkeys");
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

/* Runs sql, expects want, and that it was a key lookup returning `rows` rows (-1: refused). */
static void
lookup(SqlSession *s, const char *sql, const char *want, int64_t rows)
{
    EngineKeyStats a, b;

    engine_key_stats(&a);
    ck_assert_str_eq(run(s, sql), want);
    engine_key_stats(&b);
    if (rows < 0) {
        ck_assert_msg(b.lookups == a.lookups, "%s: read by key", sql);
        return;
    }
    ck_assert_msg(b.lookups == a.lookups + 1, "%s: not read by key", sql);
    ck_assert_msg(b.rows - a.rows == (uint64_t)rows, "%s: %llu rows read, want %lld", sql,
                  (unsigned long long)(b.rows - a.rows), (long long)rows);
}

/* Entries of a view's contents whose key starts with byte. */
static int
entries(Engine *e, const char *view, uint8_t byte)
{
    Arena *a = arena_create("t", 0);
    SqlRelation *rel;
    StateSnapshot *snap;
    StateTable t;
    StateCursor *cur;
    StateBytes k, v;
    char name[STATE_TABLE_NAME_MAX + 1];
    int n = 0;
    Err err;

    err_clear(&err);
    ck_assert_int_eq(sql_relation_lookup(NULL, view, a, &rel, &err), 0);
    mv_state_name(rel->id, name);
    ck_assert_int_eq(state_snapshot_begin(e->state, &snap, &err), 0);
    ck_assert_int_eq(state_snapshot_table(snap, name, &t, &err), 1);
    ck_assert_int_eq(state_cursor_open(&t, NULL, false, &cur, &err), 0);
    while (state_cursor_next(cur, &k, &v, &err) == 1)
        n += k.len >= 1 && ((const uint8_t *)k.data)[0] == byte;
    state_cursor_close(cur);
    state_snapshot_end(snap);
    arena_destroy(a);
    return n;
}

#define VG "select g, count(*) as c, sum(v) as s from t group by g"

START_TEST(test_lookups)
{
    SqlSession *s = test_session();
    Engine *e;

    make_tmp();
    e = open_engine();
    ck_assert_str_eq(run(s, "create table t (k bigint primary key, g int, v int, h text)"),
                     "CREATE TABLE");
    ck_assert_str_eq(run(s, "insert into t select x, x % 100, x, 'h' || (x % 7) "
                            "from generate_series(1, 20000) x"),
                     "INSERT 0 20000");
    ck_assert_str_eq(run(s, "create materialized view vg as " VG), "SELECT 100");
    ck_assert_str_eq(run(s, "create materialized view vp as select k, v from t where g < 50"),
                     "SELECT 10000");
    ck_assert_str_eq(run(s, "create materialized view vgh as select h, g, count(*) as c "
                            "from t group by g, h"),
                     "SELECT 700");
    /* a view over a keyed view: keyed by the same columns, read from 0x02 entries */
    ck_assert_str_eq(run(s, "create materialized view vv as select c, g from vg where g < 90"),
                     "SELECT 90");
    ck_assert_int_eq(entries(e, "vv", 2), 90);
    lookup(s, "select * from vv where g = 42", "200|42", 1);
    ck_assert_int_eq(entries(e, "vg", 2), 100);
    ck_assert_int_eq(entries(e, "vg", 0), 0);
    ck_assert_int_eq(entries(e, "vg", 3), 1);
    /* points, ranges, a composite key's prefix, crossed integer types, NULL */
    lookup(s, "select * from vg where g = 42", "42|200|1998400", 1);
    lookup(s, "select * from vg where g = 42::int8", "42|200|1998400", 1);
    lookup(s, "select * from vg where g = 4200", "", 0);
    lookup(s, "select count(*) from vg where g between 10 and 19", "10", 10);
    lookup(s, "select count(*) from vg where g > 95", "4", 4);
    lookup(s, "select count(*) from vg where g <= 1", "2", 2);
    lookup(s, "select * from vp where k = 7", "7|7", 1);
    lookup(s, "select * from vp where k = 77", "", 0);
    lookup(s, "select count(*) from vp where k > 19990", "1", 1);
    lookup(s, "select * from vgh where g = 3 and h = 'h3'", "h3|3|29", 1);
    lookup(s, "select count(*) from vgh where g = 3", "7", 7);
    lookup(s, "select * from vgh where g = 3::int2 and h = 'h3'", "h3|3|29", 1);
    lookup(s, "select * from vg where g = 1/0", "ERROR 22012: division by zero @0", -1);
    lookup(s, "select count(*) from vgh where g = 3 and h >= 'h5'", "2", 2);
    lookup(s, "select * from t where k = 9", "9|9|9|h2", 1);
    /* not on the key: scanned */
    lookup(s, "select count(*) from vg where c = 200", "100", -1);
    lookup(s, "select count(*) from vgh where h = 'h3'", "100", -1);
    lookup(s, "select count(*) from t where k > 19990", "10", 10);
    lookup(s, "select count(*) from t where k <= 10 and k > 3", "7", 7);
    lookup(s, "select count(*) from t where k < 0", "0", 0);
    /* changes reach the keyed contents; a group disappears */
    ck_assert_str_eq(run(s, "update t set v = 0 where k = 42"), "UPDATE 1");
    ck_assert_str_eq(run(s, "delete from t where g = 43"), "DELETE 200");
    lookup(s, "select * from vg where g = 42", "42|200|1998358", 1);
    lookup(s, "select * from vg where g = 43", "", 0);
    lookup(s, "select * from vv where g = 43", "", 0);
    lookup(s, "select * from vp where k = 42", "42|0", 1);
    /* closed and opened again: still keyed, still maintained */
    engine_close(e);
    e = open_engine();
    lookup(s, "select * from vg where g = 42", "42|200|1998358", 1);
    ck_assert_str_eq(run(s, "insert into t values (30000, 43, 1, 'x')"), "INSERT 0 1");
    lookup(s, "select * from vg where g = 43", "43|1|1", 1);
    lookup(s, "select * from vv where g = 43", "1|43", 1);
    lookup(s, "select * from vp where k = 30000", "30000|1", 1);
    lookup(s, "select * from t where k = 30000", "30000|43|1|x", 1);
    ck_assert_str_eq(run(s, "drop table t cascade"), "DROP TABLE");
    engine_close(e);
    remove_tmp();
    sql_session_destroy(s);
}
END_TEST

/* A view of the format older binaries wrote (0x00 ‖ row): read by scanning, maintained. */
START_TEST(test_legacy_format)
{
    SqlSession *s = test_session();
    Engine *e;

    make_tmp();
    e = open_engine();
    ck_assert_str_eq(run(s, "create table t (k int primary key, g int, v int)"), "CREATE TABLE");
    ck_assert_str_eq(run(s, "insert into t select x, x % 10, x from generate_series(1, 100) x"),
                     "INSERT 0 100");
    mv_test_legacy_format = true;
    ck_assert_str_eq(run(s, "create materialized view old as " VG), "SELECT 10");
    mv_test_legacy_format = false;
    ck_assert_str_eq(run(s, "create materialized view new as " VG), "SELECT 10");
    ck_assert_int_eq(entries(e, "old", 0), 10);
    ck_assert_int_eq(entries(e, "old", 2), 0);
    ck_assert_int_eq(entries(e, "old", 3), 0);
    lookup(s, "select * from old where g = 4", "4|10|490", -1);
    lookup(s, "select * from new where g = 4", "4|10|490", 1);
    engine_close(e);
    e = open_engine();
    ck_assert_str_eq(run(s, "update t set v = 1000 where k = 4"), "UPDATE 1");
    ck_assert_str_eq(run(s, "delete from t where g = 5"), "DELETE 10");
    lookup(s, "select * from old where g = 4", "4|10|1486", -1);
    lookup(s, "select * from old where g = 5", "", -1);
    lookup(s, "select * from new where g = 4", "4|10|1486", 1);
    ck_assert_int_eq(entries(e, "old", 0), 9);
    ck_assert_int_eq(entries(e, "old", 2), 0);
    ck_assert_int_eq(entries(e, "new", 2), 9);
    ck_assert_str_eq(run(s, "drop table t cascade"), "DROP TABLE");
    engine_close(e);
    remove_tmp();
    sql_session_destroy(s);
}
END_TEST

/* The answer of sql, rows sorted by the query's ORDER BY; copied. */
static char *
answer(SqlSession *s, const char *sql)
{
    char *r = strdup(run(s, sql));

    ck_assert_ptr_nonnull(r);
    ck_assert_msg(strncmp(r, "ERROR", 5) != 0, "%s: %s", sql, r);
    return r;
}

static void
same(SqlSession *s, unsigned seed, const char *lookup_sql, const char *brute_sql)
{
    char *a = answer(s, lookup_sql), *b = answer(s, brute_sql);

    ck_assert_msg(strcmp(a, b) == 0, "seed %u: %s\n%s\nbrute force: %s\n%s", seed, lookup_sql, a,
                  brute_sql, b);
    free(a);
    free(b);
}

/*
 * Random inserts, updates (moving rows between groups, changing keys' spellings) and deletes
 * over many epochs, a restart in the middle: every point and range lookup equals the same
 * query over the table (which cannot use a key: `+ 0`).
 */
START_TEST(test_random)
{
    SqlSession *s = test_session();
    Engine *e;
    unsigned seed = (unsigned)time(NULL);
    const char *env = getenv("RV_VIEWKEYS_SEED");
    char q1[512], q2[512];
    EngineKeyStats before, after;

    if (env != NULL)
        seed = (unsigned)strtoul(env, NULL, 10);
    srand(seed);
    fprintf(stderr, "test_view_keys: seed %u (RV_VIEWKEYS_SEED)\n", seed);
    make_tmp();
    e = open_engine();
    ck_assert_str_eq(run(s, "create table t (k int primary key, g int, h numeric, v int)"),
                     "CREATE TABLE");
    ck_assert_str_eq(run(s, "create materialized view vg as select g, count(*) as c, sum(v) as s "
                            "from t group by g"),
                     "SELECT 0");
    ck_assert_str_eq(run(s, "create materialized view vgh as select g, h, count(*) as c, "
                            "min(v) as m from t group by g, h"),
                     "SELECT 0");
    ck_assert_str_eq(run(s, "create materialized view vp as select k, g, v from t "
                            "where v % 3 <> 0"),
                     "SELECT 0");
    ck_assert_str_eq(run(s, "create materialized view vgv as select s, g from vg where c > 1"),
                     "SELECT 0");
    engine_key_stats(&before);
    for (int round = 0; round < 40; round++) {
        int nops = 1 + rand() % 40;

        for (int i = 0; i < nops; i++) {
            int k = rand() % 300, g = rand() % 12 - 1, v = rand() % 100, op = rand() % 4;
            /* the same number in several spellings: 1, 1.0, 1.00 */
            int hv = rand() % 4;
            const char *hs[] = {"", ".0", ".00", ".5"};
            char gs[16];

            if (op < 2)
                snprintf(q1, sizeof q1,
                         "insert into t values (%d, %s, %d%s, %d) on conflict (k) do update "
                         "set g = excluded.g, h = excluded.h, v = excluded.v",
                         k, g < 0 ? "NULL" : (snprintf(gs, sizeof gs, "%d", g), gs), hv,
                         hs[rand() % 4], v);
            else if (op == 2)
                snprintf(q1, sizeof q1, "update t set v = v + %d where k %% 17 = %d", v, k % 17);
            else
                snprintf(q1, sizeof q1, "delete from t where k = %d", k);
            free(answer(s, q1));
        }
        for (int i = 0; i < 6; i++) {
            int g = rand() % 13 - 1, g2 = g + rand() % 4, k = rand() % 300, hv = rand() % 4;

            snprintf(q1, sizeof q1, "select * from vg where g = %d", g);
            snprintf(q2, sizeof q2, "select g, count(*), sum(v) from t where g + 0 = %d group by g",
                     g);
            same(s, seed, q1, q2);
            snprintf(q1, sizeof q1, "select * from vg where g between %d and %d order by g", g, g2);
            snprintf(q2, sizeof q2,
                     "select g, count(*), sum(v) from t where g + 0 between %d and %d "
                     "group by g order by g",
                     g, g2);
            same(s, seed, q1, q2);
            snprintf(q1, sizeof q1,
                     "select g, count(*), sum(c), sum(m) from vgh where g = %d "
                     "and h = %d.000 group by g",
                     g, hv);
            snprintf(q2, sizeof q2,
                     "select g, count(distinct h), count(*), min(v) from t "
                     "where g + 0 = %d and h + 0 = %d group by g",
                     g, hv);
            same(s, seed, q1, q2);
            /* spellings of equal keys are not compared (which one a group shows is not fixed) */
            snprintf(q1, sizeof q1, "select g, c from vgh where g = %d and h > %d.5 order by h", g,
                     hv);
            snprintf(q2, sizeof q2,
                     "select g, count(*) from t where g + 0 = %d and h + 0 > %d.5 "
                     "group by g, h order by h",
                     g, hv);
            same(s, seed, q1, q2);
            snprintf(q1, sizeof q1, "select * from vgv where g = %d", g);
            snprintf(q2, sizeof q2,
                     "select sum(v), g from t where g + 0 = %d group by g "
                     "having count(*) > 1",
                     g);
            same(s, seed, q1, q2);
            snprintf(q1, sizeof q1, "select * from vp where k = %d", k);
            snprintf(q2, sizeof q2, "select k, g, v from t where v %% 3 <> 0 and k + 0 = %d", k);
            same(s, seed, q1, q2);
            snprintf(q1, sizeof q1, "select * from vp where k >= %d and k < %d order by k", k,
                     k + 20);
            snprintf(q2, sizeof q2,
                     "select k, g, v from t where v %% 3 <> 0 and k + 0 >= %d "
                     "and k + 0 < %d order by k",
                     k, k + 20);
            same(s, seed, q1, q2);
            snprintf(q1, sizeof q1, "select * from t where k = %d", k);
            snprintf(q2, sizeof q2, "select * from t where k + 0 = %d", k);
            same(s, seed, q1, q2);
            /* a table's range right after writes (read-your-writes) */
            snprintf(q1, sizeof q1,
                     "insert into t values (%d, 1, 1, 1) on conflict (k) do "
                     "update set v = t.v + 1",
                     k + 1);
            free(answer(s, q1));
            snprintf(q1, sizeof q1, "select k, v from t where k between %d and %d order by k", k,
                     k + 30);
            snprintf(q2, sizeof q2, "select k, v from t where k + 0 between %d and %d order by k",
                     k, k + 30);
            same(s, seed, q1, q2);
        }
        if (round == 20) { /* closed and opened again */
            engine_close(e);
            e = open_engine();
        }
    }
    /* and the whole contents */
    same(s, seed, "select * from vg order by g",
         "select g, count(*), sum(v) from t group by g "
         "order by g");
    same(s, seed, "select * from vp order by k",
         "select k, g, v from t where v % 3 <> 0 "
         "order by k");
    same(s, seed, "select g, round(h, 2), c, m from vgh order by 1, 2",
         "select g, round(h, 2), count(*), min(v) from t group by g, h order by 1, 2");
    engine_key_stats(&after);
    ck_assert_uint_ge(after.lookups - before.lookups, 40 * 6 * 9);
    ck_assert_str_eq(run(s, "drop table t cascade"), "DROP TABLE");
    engine_close(e);
    remove_tmp();
    sql_session_destroy(s);
}
END_TEST

/* RV_VIEWKEYS_BENCH=N: a point query on an N-row keyed view, and the same view scanned. */
START_TEST(test_bench)
{
    const char *env = getenv("RV_VIEWKEYS_BENCH");
    long n = env != NULL ? strtol(env, NULL, 10) : 0;
    SqlSession *s;
    Engine *e;
    char q[256];
    int64_t t0, t1, t2;

    if (n <= 0)
        return;
    s = test_session();
    make_tmp();
    e = open_engine();
    ck_assert_str_eq(run(s, "create table t (k int primary key, v int)"), "CREATE TABLE");
    snprintf(q, sizeof q, "insert into t select x, x from generate_series(1, %ld) x", n);
    free(answer(s, q));
    free(answer(s, "create materialized view vk as select k, v from t"));
    mv_test_legacy_format = true;
    free(answer(s, "create materialized view vs as select k, v from t"));
    mv_test_legacy_format = false;
    free(answer(s, "select * from vk where k = 42"));
    free(answer(s, "select * from vs where k = 42"));
    t0 = clock_monotonic_ns();
    for (int i = 0; i < 10; i++)
        lookup(s, "select * from vk where k = 4242", "4242|4242", 1);
    t1 = clock_monotonic_ns();
    for (int i = 0; i < 3; i++)
        lookup(s, "select * from vs where k = 4242", "4242|4242", -1);
    t2 = clock_monotonic_ns();
    fprintf(stderr,
            "view of %ld rows, point query: by key %.3f ms, scanned (format 0x00) %.1f ms\n", n,
            (double)(t1 - t0) / 10 / 1e6, (double)(t2 - t1) / 3 / 1e6);
    engine_close(e);
    remove_tmp();
    sql_session_destroy(s);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("view_keys");
    TCase *tc = tcase_create("core");
    SRunner *sr;
    int failed;

    sql_set_executor(stream_run_oneshot);
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, test_lookups);
    tcase_add_test(tc, test_legacy_format);
    tcase_add_test(tc, test_random);
    tcase_add_test(tc, test_bench);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
