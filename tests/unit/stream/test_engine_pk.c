/*
 * tests/unit/stream/test_engine_pk.c — primary-key tables in the storage
 * engine (stream/engine_pk.c): the epoch driver applies acknowledged writes
 * on its own, SELECT reads its own writes in key order, recovery replays the
 * unapplied tail of a log exactly once, uniqueness holds across concurrent
 * sessions.
 */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../sql/sql_test_util.h"
#include "stream_test_util.h"
#include "stream/engine_int.h"
#include "stream/stream.h"

static char dir[64], dir2[80];

static void
make_tmp(void)
{
    test_tmpdir(dir, "enginepk");
    snprintf(dir2, sizeof dir2, "%s-copy", dir);
}

static void
remove_tmp(void)
{
    char cmd[256];

    snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s'", dir, dir2);
    ck_assert_int_eq(system(cmd), 0);
}

static Engine *
open_engine(const char *d)
{
    return test_engine_open(d, false);
}

static EnginePk *
the_pk(Engine *e)
{
    for (size_t i = 0; i < e->nrels; i++) {
        if (e->rels[i].pk != NULL)
            return e->rels[i].pk;
    }
    ck_abort_msg("no primary-key table");
    return NULL;
}

/* The driver applies writes by itself, within a few checkpoint intervals. */
START_TEST(test_driver_applies)
{
    SqlSession *s = test_session();
    Engine *e;
    uint64_t before;
    int waited = 0;

    make_tmp();
    e = open_engine(dir);
    engine_set_checkpoint_interval(e, 10);
    ck_assert_str_eq(run(s, "create table t (a int primary key, b text)"), "CREATE TABLE");
    before = state_last_epoch(e->state);
    ck_assert_str_eq(run(s, "insert into t values (2, 'b'), (1, 'a')"), "INSERT 0 2");
    while (the_pk(e)->applied < 2 && waited++ < 500)
        usleep(10000);
    ck_assert_uint_eq(the_pk(e)->applied, 2);
    ck_assert_uint_gt(state_last_epoch(e->state), before);
    ck_assert_uint_eq(the_pk(e)->ocount, 0); /* the overlay is pruned */
    /* no ORDER BY: the state is read in key order */
    ck_assert_str_eq(run(s, "select * from t"), "1|a\n2|b");
    ck_assert_str_eq(run(s, "flush"), "FLUSH");
    engine_close(e);
    sql_session_destroy(s);
    remove_tmp();
}
END_TEST

/* SELECT right after a write sees it, without waiting for the driver. */
START_TEST(test_read_your_writes)
{
    SqlSession *s = test_session();
    Engine *e;

    make_tmp();
    e = open_engine(dir);
    engine_set_checkpoint_interval(e, 3600000);
    ck_assert_str_eq(run(s, "create table t (k text, n int, primary key (n, k))"), "CREATE TABLE");
    for (int i = 0; i < 20; i++) {
        char sql[128], want[32];

        snprintf(sql, sizeof sql, "insert into t values ('k%d', %d)", i % 3, i);
        ck_assert_str_eq(run(s, sql), "INSERT 0 1");
        snprintf(want, sizeof want, "%d", i + 1);
        ck_assert_str_eq(run(s, "select count(*) from t"), want);
    }
    ck_assert_str_eq(run(s, "delete from t where n >= 2"), "DELETE 18");
    ck_assert_str_eq(run(s, "select * from t"), "k0|0\nk1|1");
    ck_assert_str_eq(run(s, "insert into t values ('k0', 0)"),
                     "ERROR 23505: duplicate key value violates unique constraint \"t_pkey\" @0");
    ck_assert_str_eq(run_error()->detail, "Key (n, k)=(0, k0) already exists.");
    engine_close(e);
    sql_session_destroy(s);
    remove_tmp();
}
END_TEST

/*
 * Recovery: a copy of the data directory taken while writes were acknowledged but not yet
 * applied replays them at start-up, once.
 */
START_TEST(test_recovery_replays_once)
{
    SqlSession *s = test_session();
    char cmd[256];
    Engine *e;
    uint64_t epoch;

    make_tmp();
    e = open_engine(dir);
    engine_set_checkpoint_interval(e, 3600000);
    ck_assert_str_eq(run(s, "create table t (a int primary key, b text)"), "CREATE TABLE");
    ck_assert_str_eq(run(s, "insert into t select g, 'v' || g from generate_series(1, 50) g"),
                     "INSERT 0 50");
    ck_assert_str_eq(run(s, "flush"), "FLUSH"); /* 0..49 applied */
    ck_assert_str_eq(run(s, "update t set b = 'new' where a <= 10"), "UPDATE 10");
    ck_assert_str_eq(run(s, "delete from t where a > 40"), "DELETE 10");
    ck_assert_str_eq(run(s, "insert into t values (100, 'hundred')"), "INSERT 0 1");
    /* the DELETE's scan applied the UPDATE (read-your-writes); its 10 records and the
     * INSERT's are not applied yet */
    ck_assert_uint_eq(the_pk(e)->applied, 60);
    /* "crash": copy the directory with 11 records unapplied */
    snprintf(cmd, sizeof cmd, "cp -a '%s' '%s'", dir, dir2);
    ck_assert_int_eq(system(cmd), 0);
    engine_close(e);

    e = open_engine(dir2);
    ck_assert_uint_eq(the_pk(e)->applied, 71);
    epoch = state_last_epoch(e->state);
    engine_set_checkpoint_interval(e, 3600000);
    ck_assert_str_eq(run(s, "select count(*), sum(a), count(*) filter (where b = 'new') from t"),
                     "41|920|10");
    ck_assert_str_eq(run(s, "insert into t values (100, 'again')"),
                     "ERROR 23505: duplicate key value violates unique constraint \"t_pkey\" @0");
    engine_close(e);
    /* a second start replays nothing */
    e = open_engine(dir2);
    ck_assert_uint_eq(the_pk(e)->applied, 71);
    ck_assert_uint_eq(state_last_epoch(e->state), epoch);
    ck_assert_str_eq(run(s, "select count(*), sum(a) from t"), "41|920");
    ck_assert_str_eq(run(s, "drop table t"), "DROP TABLE");
    engine_close(e);
    sql_session_destroy(s);
    remove_tmp();
}
END_TEST

/* Sessions racing to insert the same keys: each key is taken exactly once. */
typedef struct Racer {
    int ok;
} Racer;

static void *
racer(void *arg)
{
    Racer *r = arg;
    SqlSession *s = test_session();

    for (int k = 0; k < 60; k++) {
        char sql[96];

        snprintf(sql, sizeof sql, "insert into t values (%d), (%d)", k, k + 1000);
        if (strcmp(run(s, sql), "INSERT 0 2") == 0)
            r->ok++;
        else
            ck_assert_str_eq(run_error()->sqlstate, "23505");
    }
    sql_session_destroy(s);
    return NULL;
}

START_TEST(test_concurrent_uniqueness)
{
    SqlSession *s = test_session();
    pthread_t th[4];
    Racer r[4] = {{0}};
    Engine *e;

    make_tmp();
    e = open_engine(dir);
    engine_set_checkpoint_interval(e, 10);
    ck_assert_str_eq(run(s, "create table t (a int primary key)"), "CREATE TABLE");
    for (int i = 0; i < 4; i++)
        ck_assert_int_eq(pthread_create(&th[i], NULL, racer, &r[i]), 0);
    for (int i = 0; i < 4; i++)
        pthread_join(th[i], NULL);
    ck_assert_int_eq(r[0].ok + r[1].ok + r[2].ok + r[3].ok, 60);
    ck_assert_str_eq(run(s, "select count(*), count(distinct a) from t"), "120|120");
    engine_close(e);
    sql_session_destroy(s);
    remove_tmp();
}
END_TEST

/* A state table lost while its offsets stayed: start-up rebuilds it from the log. */
START_TEST(test_missing_state_rebuilt)
{
    SqlSession *s = test_session();
    char name[STATE_TABLE_NAME_MAX + 1], sdir[128];
    StateStore *st;
    Engine *e;
    Err err;

    make_tmp();
    e = open_engine(dir);
    ck_assert_str_eq(run(s, "create table t (a int primary key, b text)"), "CREATE TABLE");
    ck_assert_str_eq(run(s, "insert into t select g, 'v' from generate_series(1, 20) g"),
                     "INSERT 0 20");
    ck_assert_str_eq(run(s, "delete from t where a > 15"), "DELETE 5");
    ck_assert_str_eq(run(s, "flush"), "FLUSH");
    snprintf(name, sizeof name, "%s", the_pk(e)->state_name);
    engine_close(e);
    err_clear(&err);
    snprintf(sdir, sizeof sdir, "%s/state", dir);
    ck_assert_int_eq(state_open(sdir, NULL, &st, &err), 0);
    ck_assert_int_eq(state_drop_table(st, name, &err), 0);
    state_close(st);
    e = open_engine(dir);
    ck_assert_str_eq(run(s, "select count(*), min(a), max(a) from t"), "15|1|15");
    engine_close(e);
    remove_tmp();
    sql_session_destroy(s);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("engine_pk");
    TCase *tc = tcase_create("core");
    SRunner *sr;
    int failed;

    sql_set_executor(stream_run_oneshot);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_driver_applies);
    tcase_add_test(tc, test_read_your_writes);
    tcase_add_test(tc, test_recovery_replays_once);
    tcase_add_test(tc, test_concurrent_uniqueness);
    tcase_add_test(tc, test_missing_state_rebuilt);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
