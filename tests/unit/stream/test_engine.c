/*
 * tests/unit/stream/test_engine.c — stream/engine.c with the SQL layer on
 * top: CREATE TABLE / INSERT / SELECT / DROP through the sql.h API with the
 * engine installed as the catalog provider (as server/main.c does), data
 * surviving a close and reopen, start-up reconciliation of the catalog with
 * the log directories, a torn log tail, and concurrent INSERTs.
 */
#include <check.h>
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../sql/sql_test_util.h"
#include "stream_test_util.h"
#include "stream/engine.h"
#include "stream/stream.h"

static char dir[64];

static void
make_tmp(void)
{
    test_tmpdir(dir, "engine");
}

static void
remove_tmp(void)
{
    test_rmdir(dir);
}

static Engine *
open_engine(void)
{
    return test_engine_open(dir, false);
}

/* The only entry of <dir>/log (the one table's log directory), or "" when none. */
static const char *
only_log_dir(void)
{
    static char name[512];
    char path[128];
    DIR *d;
    struct dirent *de;
    int n = 0;

    snprintf(path, sizeof path, "%s/log", dir);
    name[0] = '\0';
    ck_assert_ptr_nonnull(d = opendir(path));
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        snprintf(name, sizeof name, "%s/log/%s", dir, de->d_name);
        n++;
    }
    closedir(d);
    ck_assert_int_le(n, 1);
    return name;
}

static bool
exists(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0;
}

START_TEST(test_without_engine)
{
    SqlSession *s = test_session();

    ck_assert_str_eq(run(s, "create table t (a int)"),
                     "ERROR 0A000: tables are not available: no storage engine is running @0");
    ck_assert_str_eq(run(s, "select * from t"),
                     "ERROR 42P01: relation \"t\" does not exist @15");
    sql_session_destroy(s);
}
END_TEST

START_TEST(test_roundtrip)
{
    SqlSession *s = test_session();
    Engine *e;

    make_tmp();
    e = open_engine();
    ck_assert_str_eq(run(s, "create table t (a int not null, b text default 'x', c numeric(6,2))"),
                     "CREATE TABLE");
    ck_assert_str_eq(run(s, "insert into t values (1, 'one', 1.005), (2, default, null)"),
                     "INSERT 0 2");
    ck_assert_str_eq(run(s, "insert into t (a) select g from generate_series(3, 4) g"),
                     "INSERT 0 2");
    ck_assert_str_eq(run(s, "insert into t (b) values ('y')"),
                     "ERROR 23502: null value in column \"a\" of relation \"t\" violates "
                     "not-null constraint @0");
    ck_assert_str_eq(run_error()->detail, "Failing row contains (null, y, null).");
    ck_assert_str_eq(run(s, "select * from t order by a desc"),
                     "4|x|<NULL>\n3|x|<NULL>\n2|x|<NULL>\n1|one|1.01");
    engine_close(e);
    ck_assert_str_eq(run(s, "select * from t"), "ERROR 42P01: relation \"t\" does not exist @15");
    e = open_engine();
    ck_assert_str_eq(run(s, "select count(*), sum(a), min(b) from t"), "4|10|one");
    ck_assert_str_eq(run(s, "insert into t values (5) returning a * 2, b"), "10|x");
    ck_assert_str_eq(run_tag(), "INSERT 0 1");
    ck_assert_str_eq(run(s, "select count(*) from t"), "5");
    ck_assert(exists(only_log_dir()));
    ck_assert_str_eq(run(s, "drop table t"), "DROP TABLE");
    ck_assert_str_eq(only_log_dir(), "");
    ck_assert_str_eq(run(s, "select * from t"), "ERROR 42P01: relation \"t\" does not exist @15");
    engine_close(e);
    sql_session_destroy(s);
    remove_tmp();
}
END_TEST

/* A log directory without a relation goes; a relation without one gets an empty log. */
START_TEST(test_reconcile)
{
    SqlSession *s = test_session();
    char path[256], cmd[512];
    Engine *e;

    make_tmp();
    e = open_engine();
    ck_assert_str_eq(run(s, "create table t (a int)"), "CREATE TABLE");
    ck_assert_str_eq(run(s, "insert into t values (1)"), "INSERT 0 1");
    snprintf(path, sizeof path, "%s", only_log_dir());
    engine_close(e);
    /* the DROP that crashed after its catalog commit cannot be faked; its leftover can */
    snprintf(cmd, sizeof cmd, "mkdir %s/log/99999 && touch %s/log/99999/00000000000000000000.seg",
             dir, dir);
    ck_assert_int_eq(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "rm -r '%s'", path);
    ck_assert_int_eq(system(cmd), 0);
    e = open_engine();
    snprintf(cmd, sizeof cmd, "%s/log/99999", dir);
    ck_assert(!exists(cmd));
    ck_assert(exists(path));
    ck_assert_str_eq(run(s, "select count(*) from t"), "0");
    ck_assert_str_eq(run(s, "insert into t values (2)"), "INSERT 0 1");
    ck_assert_str_eq(run(s, "select * from t"), "2");
    engine_close(e);
    sql_session_destroy(s);
    remove_tmp();
}
END_TEST

/* Garbage after the last batch (a torn write) is cut off; acknowledged rows stay. */
START_TEST(test_torn_tail)
{
    SqlSession *s = test_session();
    char cmd[512];
    Engine *e;

    make_tmp();
    e = open_engine();
    ck_assert_str_eq(run(s, "create table t (a int, b text)"), "CREATE TABLE");
    ck_assert_str_eq(run(s, "insert into t select g, 'row ' || g from generate_series(1, 100) g"),
                     "INSERT 0 100");
    engine_close(e);
    snprintf(cmd, sizeof cmd, "head -c 37 /dev/urandom >> %s/00000000000000000000.seg",
             only_log_dir());
    ck_assert_int_eq(system(cmd), 0);
    e = open_engine();
    ck_assert_str_eq(run(s, "select count(*), sum(a), max(b) from t"), "100|5050|row 99");
    ck_assert_str_eq(run(s, "insert into t values (101, 'again')"), "INSERT 0 1");
    ck_assert_str_eq(run(s, "select count(*) from t"), "101");
    engine_close(e);
    sql_session_destroy(s);
    remove_tmp();
}
END_TEST

static void *
inserter(void *arg)
{
    SqlSession *s = test_session();
    char sql[128];
    long id = (long)arg;
    char *bad = NULL;

    for (int i = 0; i < 50 && bad == NULL; i++) {
        snprintf(sql, sizeof sql, "insert into c values (%ld, %d)", id, i);
        if (strcmp(run(s, sql), "INSERT 0 1") != 0)
            bad = strdup(run(s, sql));
    }
    sql_session_destroy(s);
    return bad;
}

START_TEST(test_concurrent_inserts)
{
    SqlSession *s = test_session();
    pthread_t th[8];
    Engine *e;

    make_tmp();
    e = open_engine();
    ck_assert_str_eq(run(s, "create table c (t int, i int)"), "CREATE TABLE");
    for (long i = 0; i < 8; i++)
        ck_assert_int_eq(pthread_create(&th[i], NULL, inserter, (void *)i), 0);
    for (int i = 0; i < 8; i++) {
        void *bad;

        pthread_join(th[i], &bad);
        ck_assert_msg(bad == NULL, "insert failed: %s", (char *)bad);
    }
    ck_assert_str_eq(run(s, "select count(*), count(distinct t * 100 + i) from c"), "400|400");
    engine_close(e);
    e = open_engine();
    ck_assert_str_eq(run(s, "select count(*) from c"), "400");
    engine_close(e);
    sql_session_destroy(s);
    remove_tmp();
}
END_TEST

START_TEST(test_ddl_errors)
{
    SqlSession *s = test_session();
    Engine *e;

    make_tmp();
    e = open_engine();
    ck_assert_str_eq(run(s, "create table t (a int)"), "CREATE TABLE");
    ck_assert_str_eq(run(s, "create table t (b int)"),
                     "ERROR 42P07: relation \"t\" already exists @0");
    ck_assert_str_eq(run(s, "create table if not exists t (b int)"), "CREATE TABLE");
    ck_assert_str_eq(take_notices(s), "NOTICE 42P07: relation \"t\" already exists, skipping;");
    ck_assert_str_eq(run(s, "drop table t, nope"), "ERROR 42P01: table \"nope\" does not exist @0");
    ck_assert_str_eq(run(s, "select count(*) from t"), "0");
    ck_assert_str_eq(run(s, "drop table if exists nope, t"), "DROP TABLE");
    ck_assert_str_eq(take_notices(s), "NOTICE 00000: table \"nope\" does not exist, skipping;");
    ck_assert_str_eq(run(s, "create table t (a int) append only"), "CREATE TABLE");
    ck_assert_str_eq(run(s, "create source src (a int, b text)"), "CREATE SOURCE");
    ck_assert_str_eq(run(s, "insert into src values (1, 'x')"), "INSERT 0 1");
    ck_assert_str_eq(run(s, "show tables"), "t");
    ck_assert_str_eq(run(s, "show sources"), "src");
    ck_assert_str_eq(run(s, "drop table src"), "ERROR 42809: \"src\" is not a table @0");
    ck_assert_str_eq(run(s, "drop source src"), "DROP SOURCE");
    ck_assert_str_eq(run(s, "create table p (a int primary key)"), "CREATE TABLE");
    ck_assert_str_eq(run(s, "update t set a = 1"),
                     "ERROR 42809: cannot update append-only table \"t\" @8");
    engine_close(e);
    sql_session_destroy(s);
    remove_tmp();
}
END_TEST

/* Executes an already prepared statement: "" or "ERROR <sqlstate>: <message>". */
static const char *
execute(SqlSession *s, SqlStatement *st)
{
    static char out[600];
    SqlPortal *p = NULL;
    Err err;

    err_clear(&err);
    out[0] = '\0';
    if (sql_bind(s, st, 0, NULL, NULL, &p, &err) < 0 || sql_portal_execute(s, p, &err) < 0)
        snprintf(out, sizeof out, "ERROR %s: %s", err.sqlstate, err.message);
    sql_portal_destroy(p);
    sql_session_end_of_message(s);
    return out;
}

/* A statement prepared before DROP + CREATE of the same shape runs against the new table. */
START_TEST(test_prepared_across_recreate)
{
    SqlSession *s = test_session();
    SqlScript *ins, *sel;
    SqlStatement *st_ins, *st_sel;
    Engine *e;
    Err err;

    make_tmp();
    e = open_engine();
    err_clear(&err);
    ck_assert_str_eq(run(s, "create table t (a int, b text default 'd')"), "CREATE TABLE");
    ck_assert_int_eq(sql_script_parse(s, "insert into t (a) values (1)", &ins, &err), 0);
    ck_assert_int_eq(sql_script_parse(s, "select * from t", &sel, &err), 0);
    ck_assert_int_eq(sql_prepare_simple(s, ins, 0, &st_ins, &err), 0);
    ck_assert_int_eq(sql_prepare_simple(s, sel, 0, &st_sel, &err), 0);
    ck_assert_str_eq(execute(s, st_ins), "");
    ck_assert_str_eq(run(s, "drop table t"), "DROP TABLE");
    ck_assert_str_eq(execute(s, st_ins), "ERROR 42P01: relation \"t\" does not exist");
    ck_assert_str_eq(run(s, "create table t (a int, b text default 'd')"), "CREATE TABLE");
    ck_assert_str_eq(execute(s, st_ins), "");
    ck_assert_str_eq(execute(s, st_sel), "");
    ck_assert_str_eq(run(s, "select * from t"), "1|d");
    ck_assert_str_eq(run(s, "drop table t"), "DROP TABLE");
    ck_assert_str_eq(run(s, "create table t (a bigint, b text default 'd')"), "CREATE TABLE");
    ck_assert_str_eq(execute(s, st_sel), "ERROR 0A000: cached plan must not change result type");
    ck_assert_str_eq(execute(s, st_ins), "ERROR 0A000: cached plan must not change result type");
    sql_statement_destroy(st_ins);
    sql_statement_destroy(st_sel);
    sql_script_destroy(ins);
    sql_script_destroy(sel);
    engine_close(e);
    sql_session_destroy(s);
    remove_tmp();
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("engine");
    TCase *tc = tcase_create("core");
    SRunner *sr;
    int failed;

    sql_set_executor(stream_run_oneshot);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_without_engine);
    tcase_add_test(tc, test_roundtrip);
    tcase_add_test(tc, test_reconcile);
    tcase_add_test(tc, test_torn_tail);
    tcase_add_test(tc, test_concurrent_inserts);
    tcase_add_test(tc, test_ddl_errors);
    tcase_add_test(tc, test_prepared_across_recreate);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
