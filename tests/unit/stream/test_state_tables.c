/*
 * tests/unit/stream/test_state_tables.c — state sizes: storage's state_table_stats against a
 * model of the keys put and deleted over random epochs, and rw_catalog.rw_state_tables
 * through SQL (a table's rows, a view's operator tables, a dropped view's tables gone).
 */
#include <check.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../sql/sql_test_util.h"
#include "storage/state.h"
#include "stream/engine_int.h"
#include "stream/stream.h"
#include "stream_test_util.h"

#define NTAB 3
#define KEYSPACE 5000

static const StateTableStat *
find_stat(const StateTableStat *ts, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(ts[i].name, name) == 0)
            return &ts[i];
    }
    return NULL;
}

/* Random puts and deletes over several epochs; entries always equal the model's live keys. */
START_TEST(test_stats_match_model)
{
    static const char *names[NTAB] = {"t16390.o1g", "t16390.mv", "t7.pk"};
    static bool live[NTAB][KEYSPACE];
    char dir[64];
    StateStore *st = test_store_open(dir);
    StateStats ss;
    unsigned seed = 4401;
    Err err;

    memset(live, 0, sizeof live);
    err_clear(&err);
    for (uint64_t epoch = 1; epoch <= 12; epoch++) {
        StateEpoch *ep;
        int tab[NTAB];
        int nops = 200 + (int)(rand_r(&seed) % 3000);
        Arena *a = arena_create("stats", 0);
        StateTableStat *ts;
        size_t n;

        ck_assert_int_eq(state_epoch_begin(st, epoch, &ep, &err), 0);
        for (int t = 0; t < NTAB; t++)
            ck_assert_int_eq(state_epoch_table(ep, names[t], &tab[t], &err), 0);
        for (int i = 0; i < nops; i++) {
            int t = (int)(rand_r(&seed) % NTAB);
            uint32_t k = (uint32_t)(rand_r(&seed) % KEYSPACE);
            unsigned char key[4] = {(unsigned char)(k >> 24), (unsigned char)(k >> 16),
                                    (unsigned char)(k >> 8), (unsigned char)k};
            char val[64];

            /* later epochs delete more than they put: the tables grow, then shrink */
            if (rand_r(&seed) % 12u < (epoch < 7 ? 3u : 9u)) {
                ck_assert_int_eq(state_epoch_delete(ep, tab[t], key, 4, &err), 0);
                live[t][k] = false;
            } else {
                memset(val, 'v', sizeof val);
                ck_assert_int_eq(state_epoch_put(ep, tab[t], key, 4, val, sizeof val, &err), 0);
                live[t][k] = true;
            }
        }
        if (epoch == 12) { /* the last epoch empties one table */
            ck_assert_int_eq(state_epoch_clear_table(ep, tab[2], &err), 0);
            memset(live[2], 0, sizeof live[2]);
        }
        ck_assert_msg(state_epoch_commit(ep, &err) == 0, "%s", err.message);

        ck_assert_msg(state_table_stats(st, a, &ts, &n, &err) == 0, "%s", err.message);
        state_stats(st, &ss);
        ck_assert_uint_eq(n, NTAB + 1);
        ck_assert_str_eq(ts[n - 1].name, "_meta");
        ck_assert_uint_eq(ts[n - 1].entries, 2); /* format and epoch: no offsets */
        for (size_t i = 1; i + 1 < n; i++)
            ck_assert_int_lt(strcmp(ts[i - 1].name, ts[i].name), 0);
        for (int t = 0; t < NTAB; t++) {
            const StateTableStat *s = find_stat(ts, n, names[t]);
            uint64_t want = 0;

            for (int k = 0; k < KEYSPACE; k++)
                want += live[t][k];
            ck_assert_ptr_nonnull(s);
            ck_assert_msg(s->entries == want,
                          "epoch %" PRIu64 " %s: %" PRIu64 " entries, want %" PRIu64, epoch,
                          names[t], s->entries, want);
            ck_assert_uint_eq(s->bytes, s->pages * ss.page_size);
            /* 4-byte keys and 64-byte values: at least that much, at most a few times it */
            ck_assert_uint_ge(s->bytes, want * 68);
            ck_assert_uint_le(s->bytes, want * 68 * 4 + 2 * ss.page_size);
            if (want == 0)
                ck_assert_uint_eq(s->pages, 0);
            else
                ck_assert_uint_gt(s->pages, 0);
        }
        arena_destroy(a);
    }
    test_store_close(st, dir);
}
END_TEST

static uint64_t
rel_id(SqlSession *s, const char *name)
{
    char sql[128];
    const char *out;

    snprintf(sql, sizeof sql, "select oid from pg_class where relname = '%s'", name);
    out = run(s, sql);
    ck_assert_msg(out[0] >= '1' && out[0] <= '9', "%s: %s", name, out);
    return strtoull(out, NULL, 10);
}

START_TEST(test_sql_view)
{
    SqlSession *s = test_session();
    char dir[64], sql[512], want[256];
    Engine *e;
    unsigned seed = 44;
    int nrows = 1000 + (int)(rand_r(&seed) % 2000), ndel = 100 + (int)(rand_r(&seed) % 500);
    uint64_t t, m;

    test_tmpdir(dir, "statetables");
    e = test_engine_open(dir, true);
    ck_assert_str_eq(run(s, "create table t (a int primary key, b text)"), "CREATE TABLE");
    t = rel_id(s, "t");
    snprintf(sql, sizeof sql,
             "insert into t select g, repeat('x', 50) from generate_series(1, %d) g", nrows);
    run(s, sql);
    ck_assert_str_eq(run(s, "flush"), "FLUSH");
    ck_assert_str_eq(run(s, "select table_name, relation_id, entries > 1, relation_name from "
                            "rw_catalog.rw_state_tables where table_name = '_meta'"),
                     "_meta|<NULL>|t|<NULL>");
    run(s, "select table_name, relation_id, entries, bytes, relation_name from rw_state_tables");
    ck_assert_str_eq(run_columns(), "table_name:25:-1,relation_id:20:8,entries:20:8,"
                                    "bytes:20:8,relation_name:25:-1");
    snprintf(sql, sizeof sql,
             "select entries, relation_name, bytes >= entries * 50 from rw_state_tables where "
             "table_name = 't%" PRIu64 ".pk' and relation_id = %" PRIu64,
             t, t);
    snprintf(want, sizeof want, "%d|t|t", nrows);
    ck_assert_str_eq(run(s, sql), want);

    snprintf(want, sizeof want, "delete from t where a <= %d", ndel);
    run(s, want);
    ck_assert_str_eq(run(s, "create materialized view m as select a % 7 as k, count(*) as n "
                            "from t group by a % 7"),
                     "SELECT 7");
    ck_assert_str_eq(run(s, "flush"), "FLUSH");
    m = rel_id(s, "m");
    snprintf(want, sizeof want, "%d|t|t", nrows - ndel);
    ck_assert_str_eq(run(s, sql), want);
    /* the view: its contents and at least one operator table, all named after it */
    snprintf(sql, sizeof sql,
             "select count(*) > 1, bool_and(relation_name = 'm'), bool_or(table_name like "
             "'t%" PRIu64 ".o%%' and entries >= 7) from rw_state_tables where relation_id = "
             "%" PRIu64,
             m, m);
    ck_assert_str_eq(run(s, sql), "t|t|t");
    ck_assert_str_eq(run(s, "drop materialized view m"), "DROP MATERIALIZED VIEW");
    ck_assert_str_eq(run(s, "flush"), "FLUSH");
    snprintf(sql, sizeof sql, "select count(*) from rw_state_tables where relation_id = %" PRIu64,
             m);
    ck_assert_str_eq(run(s, sql), "0");
    engine_close(e);
    test_rmdir(dir);
    sql_session_destroy(s);
}
END_TEST

static Suite *
suite(void)
{
    Suite *s = suite_create("state_tables");
    TCase *tc = tcase_create("core");

    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_stats_match_model);
    tcase_add_test(tc, test_sql_view);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(suite());
    int failed;

    sql_set_executor(stream_run_oneshot);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
