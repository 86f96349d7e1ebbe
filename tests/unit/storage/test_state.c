/*
 * tests/unit/storage/test_state.c — Check suite for storage/state.c (the LMDB state store).
 *
 * Each test works in its own temporary directory and removes it, so the suite runs the same
 * in fork mode and under Valgrind (CK_FORK=no).
 */
#include <check.h>
#include <ftw.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/clock.h"
#include "storage/state.h"

static char dir[256];

static int
rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void
setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/rv-test-state-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void
teardown(void)
{
    nftw(dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
}

static StateStore *
open_store(const StateOptions *o)
{
    StateStore *st = NULL;
    Err err;

    err_clear(&err);
    ck_assert_msg(state_open(dir, o, &st, &err) == 0, "open: %s", err.message);
    return st;
}

/* Commits one epoch of puts "k<i>" → "v<i>-<epoch>" for i in [from, to). */
static void
put_range(StateStore *st, uint64_t epoch, const char *table, int from, int to)
{
    StateEpoch *ep;
    Err err;
    int t;

    err_clear(&err);
    ck_assert_int_eq(state_epoch_begin(st, epoch, &ep, &err), 0);
    ck_assert_int_eq(state_epoch_table(ep, table, &t, &err), 0);
    for (int i = from; i < to; i++) {
        char k[32], v[32];

        snprintf(k, sizeof k, "k%05d", i);
        snprintf(v, sizeof v, "v%d-%llu", i, (unsigned long long)epoch);
        ck_assert_int_eq(state_epoch_put(ep, t, k, strlen(k), v, strlen(v), &err), 0);
    }
    ck_assert_msg(state_epoch_commit(ep, &err) == 0, "commit: %s", err.message);
}

/* Reads key k from table in a fresh snapshot into buf ("" if missing); returns found. */
static int
get_str(StateStore *st, const char *table, const char *k, char *buf, size_t n)
{
    StateSnapshot *snap;
    StateTable t;
    StateBytes v;
    Err err;
    int found = 0;

    err_clear(&err);
    buf[0] = '\0';
    ck_assert_int_eq(state_snapshot_begin(st, &snap, &err), 0);
    if (state_snapshot_table(snap, table, &t, &err) == 1) {
        found = state_get(&t, k, strlen(k), &v, &err);
        ck_assert_int_ge(found, 0);
        if (found)
            snprintf(buf, n, "%.*s", (int)v.len, (const char *)v.data);
    }
    state_snapshot_end(snap);
    return found;
}

static uint64_t
count_rows(StateStore *st, const char *table)
{
    StateSnapshot *snap;
    StateTable t;
    uint64_t n = 0;
    Err err;

    err_clear(&err);
    ck_assert_int_eq(state_snapshot_begin(st, &snap, &err), 0);
    if (state_snapshot_table(snap, table, &t, &err) == 1)
        ck_assert_int_eq(state_count(&t, &n, &err), 0);
    state_snapshot_end(snap);
    return n;
}

START_TEST(test_put_get_delete_across_epochs)
{
    StateStore *st = open_store(NULL);
    StateEpoch *ep;
    char buf[64];
    Err err;
    int t;

    err_clear(&err);
    ck_assert_uint_eq(state_last_epoch(st), 0);
    put_range(st, 1, "t16384.s0", 0, 10);
    ck_assert_uint_eq(state_last_epoch(st), 1);
    ck_assert_int_eq(get_str(st, "t16384.s0", "k00003", buf, sizeof buf), 1);
    ck_assert_str_eq(buf, "v3-1");
    ck_assert_uint_eq(count_rows(st, "t16384.s0"), 10);

    /* Epoch 2 overwrites, deletes, deletes a missing key, and puts then deletes a key. */
    ck_assert_int_eq(state_epoch_begin(st, 2, &ep, &err), 0);
    ck_assert_int_eq(state_epoch_table(ep, "t16384.s0", &t, &err), 0);
    ck_assert_int_eq(state_epoch_put(ep, t, "k00003", 6, "new", 3, &err), 0);
    ck_assert_int_eq(state_epoch_delete(ep, t, "k00004", 6, &err), 0);
    ck_assert_int_eq(state_epoch_delete(ep, t, "nope", 4, &err), 0);
    ck_assert_int_eq(state_epoch_put(ep, t, "tmp", 3, "x", 1, &err), 0);
    ck_assert_int_eq(state_epoch_delete(ep, t, "tmp", 3, &err), 0);
    ck_assert_int_eq(state_epoch_put(ep, t, "empty", 5, NULL, 0, &err), 0);
    ck_assert_uint_eq(state_epoch_op_count(ep), 6);
    ck_assert_int_eq(state_epoch_commit(ep, &err), 0);

    ck_assert_int_eq(get_str(st, "t16384.s0", "k00003", buf, sizeof buf), 1);
    ck_assert_str_eq(buf, "new");
    ck_assert_int_eq(get_str(st, "t16384.s0", "k00004", buf, sizeof buf), 0);
    ck_assert_int_eq(get_str(st, "t16384.s0", "tmp", buf, sizeof buf), 0);
    ck_assert_int_eq(get_str(st, "t16384.s0", "empty", buf, sizeof buf), 1);
    ck_assert_str_eq(buf, "");
    ck_assert_uint_eq(count_rows(st, "t16384.s0"), 10);
    ck_assert_int_eq(get_str(st, "t99.s0", "k00003", buf, sizeof buf), 0);
    state_close(st);
}
END_TEST

START_TEST(test_snapshot_sees_whole_epochs)
{
    StateStore *st = open_store(NULL);
    StateSnapshot *old;
    StateTable t;
    StateBytes v;
    Err err;

    err_clear(&err);
    put_range(st, 1, "t1.s0", 0, 5);
    ck_assert_int_eq(state_snapshot_begin(st, &old, &err), 0);
    ck_assert_uint_eq(state_snapshot_epoch(old), 1);
    put_range(st, 2, "t1.s0", 0, 5);
    put_range(st, 3, "t2.s0", 0, 5); /* a table created after the snapshot began */

    ck_assert_int_eq(state_snapshot_table(old, "t1.s0", &t, &err), 1);
    ck_assert_int_eq(state_get(&t, "k00002", 6, &v, &err), 1);
    ck_assert_int_eq((int)v.len, 4);
    ck_assert(memcmp(v.data, "v2-1", 4) == 0);
    ck_assert_int_eq(state_snapshot_table(old, "t2.s0", &t, &err), 0);
    state_snapshot_end(old);

    ck_assert_int_eq(state_snapshot_begin(st, &old, &err), 0);
    ck_assert_uint_eq(state_snapshot_epoch(old), 3);
    ck_assert_int_eq(state_snapshot_table(old, "t2.s0", &t, &err), 1);
    state_snapshot_end(old);
    state_close(st);
}
END_TEST

START_TEST(test_abort_and_failed_epochs_leave_nothing)
{
    StateStore *st = open_store(NULL);
    StateEpoch *ep;
    char buf[64];
    Err err;
    int t;

    err_clear(&err);
    put_range(st, 5, "t1.s0", 0, 3);

    /* Abort: nothing of it, not even its new table. */
    ck_assert_int_eq(state_epoch_begin(st, 6, &ep, &err), 0);
    ck_assert_int_eq(state_epoch_table(ep, "t1.s0", &t, &err), 0);
    ck_assert_int_eq(state_epoch_put(ep, t, "k00000", 6, "gone", 4, &err), 0);
    ck_assert_int_eq(state_epoch_table(ep, "t7.s0", &t, &err), 0);
    ck_assert_int_eq(state_epoch_set_offset(ep, 7, 100, &err), 0);
    state_epoch_abort(ep);

    /* An epoch number that does not increase fails whole. */
    ck_assert_int_eq(state_epoch_begin(st, 5, &ep, &err), 0);
    ck_assert_int_eq(state_epoch_table(ep, "t1.s0", &t, &err), 0);
    ck_assert_int_eq(state_epoch_put(ep, t, "k00000", 6, "gone", 4, &err), 0);
    ck_assert_int_eq(state_epoch_commit(ep, &err), -1);
    ck_assert_str_eq(err.sqlstate, "55000");
    state_epoch_abort(ep);

    ck_assert_uint_eq(state_last_epoch(st), 5);
    ck_assert_int_eq(get_str(st, "t1.s0", "k00000", buf, sizeof buf), 1);
    ck_assert_str_eq(buf, "v0-5");
    ck_assert_int_eq(get_str(st, "t7.s0", "k00000", buf, sizeof buf), 0);
    {
        Arena *a = arena_create("test", 0);
        char **names;
        size_t n;

        ck_assert_int_eq(state_list_tables(st, a, &names, &n, &err), 0);
        ck_assert_uint_eq(n, 1);
        ck_assert_str_eq(names[0], "t1.s0");
        arena_destroy(a);
    }
    state_close(st);
}
END_TEST

START_TEST(test_bad_keys_and_names)
{
    StateStore *st = open_store(NULL);
    StateEpoch *ep;
    char big[1024];
    char name[STATE_TABLE_NAME_MAX + 1];
    uint64_t id;
    Err err;
    int t;

    memset(big, 'x', sizeof big);
    err_clear(&err);
    ck_assert_int_eq(state_epoch_begin(st, 1, &ep, &err), 0);
    ck_assert_int_eq(state_epoch_table(ep, "users", &t, &err), -1);
    ck_assert_str_eq(err.sqlstate, "22023");
    err_clear(&err);
    ck_assert_int_eq(state_epoch_table(ep, "t3.s0", &t, &err), 0);
    ck_assert_int_eq(state_epoch_put(ep, t, "", 0, "v", 1, &err), -1);
    ck_assert_str_eq(err.sqlstate, "22023");
    err_clear(&err);
    ck_assert_int_eq(state_epoch_put(ep, t, big, state_max_key_len(st) + 1, "v", 1, &err), -1);
    ck_assert_str_eq(err.sqlstate, "54000");
    err_clear(&err);
    ck_assert_int_eq(state_epoch_put(ep, t, big, state_max_key_len(st), "v", 1, &err), 0);
    ck_assert_int_eq(state_epoch_put(ep, 9, "k", 1, "v", 1, &err), -1);
    state_epoch_abort(ep);

    err_clear(&err);
    ck_assert_int_eq(state_table_name(name, 42, "s0", &err), 0);
    ck_assert_str_eq(name, "t42.s0");
    ck_assert(state_table_object_id(name, &id));
    ck_assert_uint_eq(id, 42);
    ck_assert_int_eq(state_table_name(name, 42, "S-0", &err), -1);
    ck_assert(!state_table_object_id("t.s0", &id));
    ck_assert(!state_table_object_id("t042.s0", &id));
    ck_assert(!state_table_object_id("t42", &id));
    ck_assert(!state_table_object_id("t42.", &id));
    ck_assert(!state_table_object_id("t99999999999999999999.s0", &id));
    ck_assert(state_table_object_id("t0.agg_1", &id));
    ck_assert_uint_eq(id, 0);
    state_close(st);
}
END_TEST

/* Collects a scan into "k1,k2,..." */
static void
scan_str(StateStore *st, const StateRange *r, bool backward, char *out, size_t n)
{
    StateSnapshot *snap;
    StateTable t;
    StateCursor *cur;
    StateBytes k, v;
    size_t len = 0;
    Err err;
    int rc;

    err_clear(&err);
    out[0] = '\0';
    ck_assert_int_eq(state_snapshot_begin(st, &snap, &err), 0);
    ck_assert_int_eq(state_snapshot_table(snap, "t5.s0", &t, &err), 1);
    ck_assert_int_eq(state_cursor_open(&t, r, backward, &cur, &err), 0);
    while ((rc = state_cursor_next(cur, &k, &v, &err)) == 1) {
        for (size_t i = 0; i < k.len; i++) {
            unsigned char c = ((const unsigned char *)k.data)[i];

            len += (size_t)snprintf(out + len, n - len, c >= 0x20 && c < 0x7f ? "%c" : "<%02x>", c);
        }
        len += (size_t)snprintf(out + len, n - len, ",");
    }
    ck_assert_int_eq(rc, 0);
    ck_assert_int_eq(state_cursor_next(cur, &k, &v, &err), 0);
    state_cursor_close(cur);
    state_snapshot_end(snap);
}

static StateRange
range(StateBoundKind lk, const char *l, StateBoundKind uk, const char *u)
{
    StateRange r;

    r.lower.kind = lk;
    r.lower.key.data = l;
    r.lower.key.len = l ? strlen(l) : 0;
    r.upper.kind = uk;
    r.upper.key.data = u;
    r.upper.key.len = u ? strlen(u) : 0;
    return r;
}

START_TEST(test_cursor_ranges)
{
    StateStore *st = open_store(NULL);
    const char *keys[] = {"a", "ab", "abc", "ab\xff", "ab\xff\xff", "ac", "b", "\xff", "\xff\xff"};
    StateEpoch *ep;
    StateRange r;
    char out[512];
    Err err;
    int t;

    err_clear(&err);
    ck_assert_int_eq(state_epoch_begin(st, 1, &ep, &err), 0);
    ck_assert_int_eq(state_epoch_table(ep, "t5.s0", &t, &err), 0);
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
        ck_assert_int_eq(state_epoch_put(ep, t, keys[i], strlen(keys[i]), "", 0, &err), 0);
    ck_assert_int_eq(state_epoch_commit(ep, &err), 0);

    scan_str(st, NULL, false, out, sizeof out);
    ck_assert_str_eq(out, "a,ab,abc,ab<ff>,ab<ff><ff>,ac,b,<ff>,<ff><ff>,");
    scan_str(st, NULL, true, out, sizeof out);
    ck_assert_str_eq(out, "<ff><ff>,<ff>,b,ac,ab<ff><ff>,ab<ff>,abc,ab,a,");

    r = range(STATE_INCLUSIVE, "ab", STATE_INCLUSIVE, "ac");
    scan_str(st, &r, false, out, sizeof out);
    ck_assert_str_eq(out, "ab,abc,ab<ff>,ab<ff><ff>,ac,");
    scan_str(st, &r, true, out, sizeof out);
    ck_assert_str_eq(out, "ac,ab<ff><ff>,ab<ff>,abc,ab,");
    r = range(STATE_EXCLUSIVE, "ab", STATE_EXCLUSIVE, "ac");
    scan_str(st, &r, false, out, sizeof out);
    ck_assert_str_eq(out, "abc,ab<ff>,ab<ff><ff>,");
    scan_str(st, &r, true, out, sizeof out);
    ck_assert_str_eq(out, "ab<ff><ff>,ab<ff>,abc,");
    r = range(STATE_EXCLUSIVE, "aa", STATE_EXCLUSIVE, "abd");
    scan_str(st, &r, false, out, sizeof out);
    ck_assert_str_eq(out, "ab,abc,");
    scan_str(st, &r, true, out, sizeof out);
    ck_assert_str_eq(out, "abc,ab,");
    r = range(STATE_INCLUSIVE, "abc", STATE_INCLUSIVE, "abc");
    scan_str(st, &r, false, out, sizeof out);
    ck_assert_str_eq(out, "abc,");
    scan_str(st, &r, true, out, sizeof out);
    ck_assert_str_eq(out, "abc,");
    r = range(STATE_INCLUSIVE, "c", STATE_UNBOUNDED, NULL);
    scan_str(st, &r, true, out, sizeof out);
    ck_assert_str_eq(out, "<ff><ff>,<ff>,");
    r = range(STATE_EXCLUSIVE, "b", STATE_EXCLUSIVE, "c");
    scan_str(st, &r, false, out, sizeof out);
    ck_assert_str_eq(out, "");
    scan_str(st, &r, true, out, sizeof out);
    ck_assert_str_eq(out, "");
    r = range(STATE_UNBOUNDED, NULL, STATE_EXCLUSIVE, "a");
    scan_str(st, &r, true, out, sizeof out);
    ck_assert_str_eq(out, "");

    r = state_range_prefix("ab", 2);
    scan_str(st, &r, false, out, sizeof out);
    ck_assert_str_eq(out, "ab,abc,ab<ff>,ab<ff><ff>,");
    scan_str(st, &r, true, out, sizeof out);
    ck_assert_str_eq(out, "ab<ff><ff>,ab<ff>,abc,ab,");
    r = state_range_prefix("ab\xff", 3);
    scan_str(st, &r, true, out, sizeof out);
    ck_assert_str_eq(out, "ab<ff><ff>,ab<ff>,");
    r = state_range_prefix("\xff", 1);
    scan_str(st, &r, true, out, sizeof out);
    ck_assert_str_eq(out, "<ff><ff>,<ff>,");
    scan_str(st, &r, false, out, sizeof out);
    ck_assert_str_eq(out, "<ff>,<ff><ff>,");
    r = state_range_prefix("zz", 2);
    scan_str(st, &r, true, out, sizeof out);
    ck_assert_str_eq(out, "");
    r = state_range_prefix("", 0);
    scan_str(st, &r, false, out, sizeof out);
    ck_assert_str_eq(out, "a,ab,abc,ab<ff>,ab<ff><ff>,ac,b,<ff>,<ff><ff>,");
    state_close(st);
}
END_TEST

static int
collect_offset(void *arg, uint64_t log_id, uint64_t offset)
{
    uint64_t *sum = arg;

    *sum += log_id * 1000 + offset;
    return 0;
}

START_TEST(test_offsets_and_reopen)
{
    StateStore *st = open_store(NULL);
    StateSnapshot *snap;
    StateEpoch *ep;
    uint64_t off, sum = 0;
    char buf[64];
    Err err;

    err_clear(&err);
    put_range(st, 1, "t10.s0", 0, 100);
    ck_assert_int_eq(state_epoch_begin(st, 2, &ep, &err), 0);
    ck_assert_int_eq(state_epoch_set_offset(ep, 10, 99, &err), 0);
    ck_assert_int_eq(state_epoch_set_offset(ep, 11, 5, &err), 0);
    ck_assert_int_eq(state_epoch_set_offset(ep, 12, 7, &err), 0);
    ck_assert_int_eq(state_epoch_commit(ep, &err), 0);
    ck_assert_int_eq(state_epoch_begin(st, 3, &ep, &err), 0);
    ck_assert_int_eq(state_epoch_set_offset(ep, 10, 150, &err), 0);
    ck_assert_int_eq(state_epoch_clear_offset(ep, 12, &err), 0);
    ck_assert_int_eq(state_epoch_commit(ep, &err), 0);
    state_close(st);

    st = open_store(NULL);
    ck_assert_uint_eq(state_last_epoch(st), 3);
    ck_assert_int_eq(get_str(st, "t10.s0", "k00099", buf, sizeof buf), 1);
    ck_assert_str_eq(buf, "v99-1");
    ck_assert_uint_eq(count_rows(st, "t10.s0"), 100);
    ck_assert_int_eq(state_snapshot_begin(st, &snap, &err), 0);
    ck_assert_uint_eq(state_snapshot_epoch(snap), 3);
    ck_assert_int_eq(state_snapshot_offset(snap, 10, &off, &err), 1);
    ck_assert_uint_eq(off, 150);
    ck_assert_int_eq(state_snapshot_offset(snap, 12, &off, &err), 0);
    ck_assert_int_eq(state_snapshot_offsets(snap, collect_offset, &sum, &err), 0);
    ck_assert_uint_eq(sum, 10 * 1000 + 150 + 11 * 1000 + 5);
    state_snapshot_end(snap);
    state_close(st);
}
END_TEST

START_TEST(test_create_drop_list)
{
    StateStore *st = open_store(NULL);
    Arena *a = arena_create("test", 0);
    StateSnapshot *snap;
    StateTable t;
    char **names;
    char buf[64];
    size_t n;
    Err err;

    err_clear(&err);
    ck_assert_int_eq(state_create_table(st, "t20.s0", &err), 0);
    ck_assert_int_eq(state_create_table(st, "t20.s0", &err), 0);
    put_range(st, 1, "t21.s0", 0, 50);
    put_range(st, 2, "t21.s1", 0, 50);
    ck_assert_uint_eq(count_rows(st, "t20.s0"), 0);
    ck_assert_int_eq(state_list_tables(st, a, &names, &n, &err), 0);
    ck_assert_uint_eq(n, 3);
    ck_assert_str_eq(names[0], "t20.s0");
    ck_assert_str_eq(names[2], "t21.s1");

    ck_assert_int_eq(state_drop_table(st, "t21.s0", &err), 0);
    ck_assert_int_eq(state_drop_table(st, "t21.s0", &err), 1);
    ck_assert_int_eq(get_str(st, "t21.s0", "k00001", buf, sizeof buf), 0);
    ck_assert_int_eq(get_str(st, "t21.s1", "k00001", buf, sizeof buf), 1);

    /* A drop waits for snapshots; with one held it times out and changes nothing. */
    state_close(st);
    {
        StateOptions o = {.exclusive_timeout_ms = 50};

        st = open_store(&o);
    }
    ck_assert_int_eq(state_snapshot_begin(st, &snap, &err), 0);
    ck_assert_int_eq(state_drop_table(st, "t21.s1", &err), -1);
    ck_assert_str_eq(err.sqlstate, "55000");
    ck_assert_int_eq(state_snapshot_table(snap, "t21.s1", &t, &err), 1);
    state_snapshot_end(snap);
    err_clear(&err);
    ck_assert_int_eq(state_drop_table(st, "t21.s1", &err), 0);

    /* The drop is durable, and a re-created table starts empty. */
    state_close(st);
    st = open_store(NULL);
    ck_assert_int_eq(state_list_tables(st, a, &names, &n, &err), 0);
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(names[0], "t20.s0");
    put_range(st, 3, "t21.s0", 7, 8);
    ck_assert_uint_eq(count_rows(st, "t21.s0"), 1);
    arena_destroy(a);
    state_close(st);
}
END_TEST

START_TEST(test_map_grows_from_tiny)
{
    StateOptions o = {.map_size = 1 << 20};
    StateStore *st = open_store(&o);
    char val[1000];
    StateStats stats;
    StateEpoch *ep;
    Err err;
    int t;

    memset(val, 'v', sizeof val);
    err_clear(&err);
    /* 12 epochs of ~1 MB each, plus one epoch of 10 MB. */
    for (int e = 1; e <= 12; e++)
        put_range(st, (uint64_t)e, "t30.s0", (e - 1) * 1000, e * 1000);
    ck_assert_int_eq(state_epoch_begin(st, 13, &ep, &err), 0);
    ck_assert_int_eq(state_epoch_table(ep, "t30.s1", &t, &err), 0);
    for (int i = 0; i < 10000; i++) {
        char k[16];

        snprintf(k, sizeof k, "%08d", i);
        ck_assert_int_eq(state_epoch_put(ep, t, k, 8, val, sizeof val, &err), 0);
    }
    ck_assert_msg(state_epoch_commit(ep, &err) == 0, "commit: %s", err.message);
    state_stats(st, &stats);
    ck_assert_uint_gt(stats.map_growths, 0);
    ck_assert_uint_ge(stats.map_size, 10u << 20);
    ck_assert_uint_eq(count_rows(st, "t30.s1"), 10000);
    ck_assert_uint_eq(count_rows(st, "t30.s0"), 12000);
    state_close(st);

    /* Reopening with the small setting keeps the grown map. */
    st = open_store(&o);
    ck_assert_uint_eq(count_rows(st, "t30.s1"), 10000);
    state_close(st);
}
END_TEST

START_TEST(test_map_ceiling_fails_epoch_cleanly)
{
    StateOptions o = {.map_size = 1 << 20, .map_size_max = 2 << 20};
    StateStore *st = open_store(&o);
    char val[1000], buf[64];
    StateEpoch *ep;
    Err err;
    int t;

    memset(val, 'v', sizeof val);
    err_clear(&err);
    put_range(st, 1, "t40.s0", 0, 10);
    ck_assert_int_eq(state_epoch_begin(st, 2, &ep, &err), 0);
    ck_assert_int_eq(state_epoch_table(ep, "t40.s0", &t, &err), 0);
    ck_assert_int_eq(state_epoch_put(ep, t, "k00001", 6, "changed", 7, &err), 0);
    for (int i = 0; i < 5000; i++) {
        char k[16];

        snprintf(k, sizeof k, "x%08d", i);
        ck_assert_int_eq(state_epoch_put(ep, t, k, 9, val, sizeof val, &err), 0);
    }
    ck_assert_int_eq(state_epoch_commit(ep, &err), -1);
    ck_assert_str_eq(err.sqlstate, "53100");
    ck_assert(err.hint[0] != '\0');
    state_epoch_abort(ep);
    ck_assert_uint_eq(state_last_epoch(st), 1);
    ck_assert_int_eq(get_str(st, "t40.s0", "k00001", buf, sizeof buf), 1);
    ck_assert_str_eq(buf, "v1-1");
    ck_assert_uint_eq(count_rows(st, "t40.s0"), 10);
    /* The store stays usable. */
    put_range(st, 2, "t40.s0", 10, 20);
    ck_assert_uint_eq(count_rows(st, "t40.s0"), 20);
    state_close(st);
}
END_TEST

START_TEST(test_growth_waits_for_snapshots)
{
    StateOptions o = {.map_size = 1 << 20, .exclusive_timeout_ms = 50};
    StateStore *st = open_store(&o);
    StateSnapshot *snap;
    char val[1000];
    StateEpoch *ep;
    Err err;
    int t;

    memset(val, 'v', sizeof val);
    err_clear(&err);
    ck_assert_int_eq(state_snapshot_begin(st, &snap, &err), 0);
    ck_assert_int_eq(state_epoch_begin(st, 1, &ep, &err), 0);
    ck_assert_int_eq(state_epoch_table(ep, "t50.s0", &t, &err), 0);
    for (int i = 0; i < 3000; i++) {
        char k[16];

        snprintf(k, sizeof k, "%08d", i);
        ck_assert_int_eq(state_epoch_put(ep, t, k, 8, val, sizeof val, &err), 0);
    }
    ck_assert_int_eq(state_epoch_commit(ep, &err), -1);
    ck_assert_str_eq(err.sqlstate, "55000");
    state_snapshot_end(snap);
    ck_assert_uint_eq(state_last_epoch(st), 0);
    ck_assert_uint_eq(count_rows(st, "t50.s0"), 0);
    /* The failed epoch is intact: once the snapshot has ended, committing it again works. */
    err_clear(&err);
    ck_assert_msg(state_epoch_commit(ep, &err) == 0, "retry: %s", err.message);
    ck_assert_uint_eq(state_last_epoch(st), 1);
    ck_assert_uint_eq(count_rows(st, "t50.s0"), 3000);
    state_close(st);
}
END_TEST

/*
 * A process that dies holding a reader slot while another process keeps the environment open
 * (so the lock file is not reinitialized) leaves a stale slot; opening clears it.
 */
START_TEST(test_stale_reader_cleared)
{
    StateStore *st = open_store(NULL);
    StateStats stats;
    pid_t holder, dier;
    int status, pipefd[2];
    char c;

    put_range(st, 1, "t60.s0", 0, 10);
    state_close(st);
    ck_assert_int_eq(pipe(pipefd), 0);
    holder = fork();
    ck_assert_int_ge(holder, 0);
    if (holder == 0) {
        Err err;

        err_clear(&err);
        if (state_open(dir, NULL, &st, &err) != 0)
            _exit(1);
        if (write(pipefd[1], "r", 1) != 1)
            _exit(1);
        for (;;)
            pause();
    }
    ck_assert_int_eq(read(pipefd[0], &c, 1), 1);
    dier = fork();
    ck_assert_int_ge(dier, 0);
    if (dier == 0) {
        StateSnapshot *snap;
        Err err;

        err_clear(&err);
        if (state_open(dir, NULL, &st, &err) != 0 || state_snapshot_begin(st, &snap, &err) != 0)
            _exit(1);
        raise(SIGKILL); /* dies holding a reader slot */
        _exit(2);
    }
    ck_assert_int_eq(waitpid(dier, &status, 0), dier);
    ck_assert(WIFSIGNALED(status));
    st = open_store(NULL);
    state_stats(st, &stats);
    kill(holder, SIGKILL);
    waitpid(holder, &status, 0);
    close(pipefd[0]);
    close(pipefd[1]);
    ck_assert_uint_ge(stats.stale_readers_cleared, 1);
    ck_assert_uint_eq(count_rows(st, "t60.s0"), 10);
    state_close(st);
}
END_TEST

/* Readers check that the two tables always hold the same epoch's values. */
typedef struct ReaderArg {
    StateStore *st;
    atomic_int stop;
    atomic_int checks;
    atomic_int failures;
} ReaderArg;

static void *
reader_main(void *p)
{
    ReaderArg *ra = p;

    while (!atomic_load(&ra->stop)) {
        StateSnapshot *snap;
        StateTable a, b;
        StateBytes va, vb;
        Err err;

        err_clear(&err);
        if (state_snapshot_begin(ra->st, &snap, &err) != 0) {
            ra->failures++;
            break;
        }
        if (state_snapshot_table(snap, "t70.s0", &a, &err) == 1 &&
            state_snapshot_table(snap, "t70.s1", &b, &err) == 1) {
            int fa = state_get(&a, "k00010", 6, &va, &err);
            int fb = state_get(&b, "k00010", 6, &vb, &err);

            if (fa != 1 || fb != 1 || va.len != vb.len || memcmp(va.data, vb.data, va.len) != 0)
                ra->failures++;
            ra->checks++;
        }
        state_snapshot_end(snap);
    }
    return NULL;
}

START_TEST(test_concurrent_readers_and_growth)
{
    StateOptions o = {.map_size = 1 << 20};
    StateStore *st = open_store(&o);
    ReaderArg ra = {.st = st};
    pthread_t th[2];
    StateStats stats;

    for (int i = 0; i < 2; i++)
        ck_assert_int_eq(pthread_create(&th[i], NULL, reader_main, &ra), 0);
    for (int e = 1; e <= 30; e++) {
        StateEpoch *ep;
        Err err;
        int a, b;

        err_clear(&err);
        ck_assert_int_eq(state_epoch_begin(st, (uint64_t)e, &ep, &err), 0);
        ck_assert_int_eq(state_epoch_table(ep, "t70.s0", &a, &err), 0);
        ck_assert_int_eq(state_epoch_table(ep, "t70.s1", &b, &err), 0);
        for (int i = 0; i < 300; i++) {
            char k[16], v[200];

            /* Fresh keys each epoch so the data outgrows the 1 MiB map; k00010 changes. */
            if (i == 10)
                snprintf(k, sizeof k, "k%05d", i);
            else
                snprintf(k, sizeof k, "e%02d-%03d", e, i);
            memset(v, 'a' + e % 26, sizeof v);
            ck_assert_int_eq(state_epoch_put(ep, a, k, 6, v, sizeof v, &err), 0);
            ck_assert_int_eq(state_epoch_put(ep, b, k, 6, v, sizeof v, &err), 0);
        }
        ck_assert_msg(state_epoch_commit(ep, &err) == 0, "commit: %s", err.message);
    }
    atomic_store(&ra.stop, 1);
    for (int i = 0; i < 2; i++)
        pthread_join(th[i], NULL);
    ck_assert_int_eq(atomic_load(&ra.failures), 0);
    ck_assert_int_gt(atomic_load(&ra.checks), 0);
    state_stats(st, &stats);
    ck_assert_uint_gt(stats.map_growths, 0);
    state_close(st);
}
END_TEST

/*
 * Crash atomicity: a child commits epochs as fast as it can, each writing the epoch number to
 * two tables and as a consumed offset; it is killed with SIGKILL at a random moment. After
 * each kill the reopened store must show one whole epoch: both tables and the offset agree
 * with the epoch number, which never goes backwards.
 */
START_TEST(test_sigkill_mid_commit_leaves_whole_epochs)
{
    uint64_t last = 0;
    Rng rng;

    rng_seed(&rng, 7);
    for (int round = 0; round < 6; round++) {
        StateStore *st;
        StateSnapshot *snap;
        StateTable a, b;
        StateBytes va, vb;
        uint64_t off = 0, epoch;
        int status;
        pid_t pid = fork();
        Err err;

        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
            StateOptions o = {.map_size = 1 << 20};

            err_clear(&err);
            if (state_open(dir, &o, &st, &err) != 0)
                _exit(1);
            for (uint64_t e = state_last_epoch(st) + 1;; e++) {
                StateEpoch *ep;
                char v[64] = {0};
                int ta, tb;

                snprintf(v, sizeof v, "%llu", (unsigned long long)e);
                if (state_epoch_begin(st, e, &ep, &err) != 0 ||
                    state_epoch_table(ep, "t80.s0", &ta, &err) != 0 ||
                    state_epoch_table(ep, "t80.s1", &tb, &err) != 0 ||
                    state_epoch_put(ep, ta, "k", 1, v, strlen(v), &err) != 0 ||
                    state_epoch_put(ep, tb, "k", 1, v, strlen(v), &err) != 0 ||
                    state_epoch_set_offset(ep, 80, e, &err) != 0)
                    _exit(1);
                for (int i = 0; i < 200; i++) {
                    char k[32];

                    snprintf(k, sizeof k, "f%llu-%d", (unsigned long long)e, i);
                    if (state_epoch_put(ep, ta, k, strlen(k), v, sizeof v, &err) != 0)
                        _exit(1);
                }
                if (state_epoch_commit(ep, &err) != 0)
                    _exit(1);
            }
        }
        clock_sleep_us(20000 + (int64_t)rng_below(&rng, 60000));
        kill(pid, SIGKILL);
        ck_assert_int_eq(waitpid(pid, &status, 0), pid);
        ck_assert_msg(WIFSIGNALED(status), "child failed on its own (status %d)", status);

        st = open_store(NULL);
        err_clear(&err);
        epoch = state_last_epoch(st);
        ck_assert_uint_ge(epoch, last);
        last = epoch;
        if (epoch > 0) {
            char want[64];

            snprintf(want, sizeof want, "%llu", (unsigned long long)epoch);
            ck_assert_int_eq(state_snapshot_begin(st, &snap, &err), 0);
            ck_assert_uint_eq(state_snapshot_epoch(snap), epoch);
            ck_assert_int_eq(state_snapshot_table(snap, "t80.s0", &a, &err), 1);
            ck_assert_int_eq(state_snapshot_table(snap, "t80.s1", &b, &err), 1);
            ck_assert_int_eq(state_get(&a, "k", 1, &va, &err), 1);
            ck_assert_int_eq(state_get(&b, "k", 1, &vb, &err), 1);
            ck_assert_int_eq(state_snapshot_offset(snap, 80, &off, &err), 1);
            ck_assert_uint_eq(off, epoch);
            ck_assert_int_eq((int)va.len, (int)strlen(want));
            ck_assert(memcmp(va.data, want, va.len) == 0);
            ck_assert(va.len == vb.len && memcmp(va.data, vb.data, va.len) == 0);
            state_snapshot_end(snap);
        }
        state_close(st);
    }
    ck_assert_uint_gt(last, 0);
}
END_TEST

START_TEST(test_large_values_read_in_place)
{
    StateStore *st = open_store(NULL);
    size_t len = 300 * 1000;
    unsigned char *big = malloc(len);
    StateSnapshot *snap;
    StateEpoch *ep;
    StateTable t;
    StateBytes v, v2;
    Err err;
    int h;

    for (size_t i = 0; i < len; i++)
        big[i] = (unsigned char)(i * 31 + 7);
    err_clear(&err);
    ck_assert_int_eq(state_epoch_begin(st, 1, &ep, &err), 0);
    ck_assert_int_eq(state_epoch_table(ep, "t90.s0", &h, &err), 0);
    ck_assert_int_eq(state_epoch_put(ep, h, "big", 3, big, len, &err), 0);
    ck_assert_int_eq(state_epoch_commit(ep, &err), 0);
    ck_assert_int_eq(state_snapshot_begin(st, &snap, &err), 0);
    ck_assert_int_eq(state_snapshot_table(snap, "t90.s0", &t, &err), 1);
    ck_assert_int_eq(state_get(&t, "big", 3, &v, &err), 1);
    ck_assert_uint_eq(v.len, len);
    ck_assert(memcmp(v.data, big, len) == 0);
    /* Zero copy: the same bytes in the map both times. */
    ck_assert_int_eq(state_get(&t, "big", 3, &v2, &err), 1);
    ck_assert_ptr_eq(v.data, v2.data);
    state_snapshot_end(snap);
    free(big);
    state_close(st);
}
END_TEST

static Suite *
state_suite(void)
{
    Suite *s = suite_create("state");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_put_get_delete_across_epochs);
    tcase_add_test(tc, test_snapshot_sees_whole_epochs);
    tcase_add_test(tc, test_abort_and_failed_epochs_leave_nothing);
    tcase_add_test(tc, test_bad_keys_and_names);
    tcase_add_test(tc, test_large_values_read_in_place);
    tcase_add_test(tc, test_cursor_ranges);
    tcase_add_test(tc, test_offsets_and_reopen);
    tcase_add_test(tc, test_create_drop_list);
    tcase_add_test(tc, test_map_grows_from_tiny);
    tcase_add_test(tc, test_map_ceiling_fails_epoch_cleanly);
    tcase_add_test(tc, test_growth_waits_for_snapshots);
    tcase_add_test(tc, test_stale_reader_cleared);
    tcase_add_test(tc, test_concurrent_readers_and_growth);
    tcase_add_test(tc, test_sigkill_mid_commit_leaves_whole_epochs);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(state_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
