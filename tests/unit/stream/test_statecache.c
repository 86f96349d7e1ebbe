/*
 * tests/unit/stream/test_statecache.c — Check suite for stream/statecache.c.
 *
 * The main test drives a StateCache with random gets, puts, deletes and
 * range scans against a reference ordered map (a sorted array), across many
 * simulated epochs: flush into an epoch, commit (or fail and abort), confirm,
 * and now and then close everything and reopen the store to continue from
 * what was committed. The byte budget is tiny so eviction runs all the time.
 * A last test keeps aggregate states (sql/agg_state.h) of random inserts and
 * retractions in a cache across epochs and restarts, and compares them with
 * one pass over the final input. Each test works in its own temporary
 * directory, so the suite runs the same in fork mode and under Valgrind
 * (CK_FORK=no).
 */
#include <check.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/clock.h"
#include "common/errcodes.h"
#include "sql/agg_state.h"
#include "sql/catalog.h"
#include "sql/keycodec.h"
#include "stream/statecache.h"

static char dir[256];

static int
rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(path);
}

static void
setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/rv-test-statecache-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void
teardown(void)
{
    nftw(dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
}

static StateStore *
open_store(void)
{
    StateStore *st = NULL;
    StateOptions o = {.map_size = (size_t)1 << 24};
    Err err;

    err_clear(&err);
    ck_assert_msg(state_open(dir, &o, &st, &err) == 0, "open: %s", err.message);
    return st;
}

/* ---- the reference: a sorted array of (key, value) ------------------------------------- */

#define KEYMAX 12
#define VALMAX 200

typedef struct Row {
    uint8_t key[KEYMAX];
    size_t klen;
    uint8_t val[VALMAX];
    size_t vlen;
} Row;

typedef struct Ref {
    Row *rows;
    size_t n, cap;
} Ref;

static int
keycmp(const uint8_t *a, size_t al, const uint8_t *b, size_t bl)
{
    size_t n = al < bl ? al : bl;
    int c = n ? memcmp(a, b, n) : 0;

    return c != 0 ? c : (al < bl ? -1 : al > bl);
}

/* Index of the first row >= key; *found when equal. */
static size_t
ref_find(const Ref *r, const uint8_t *k, size_t kl, bool *found)
{
    size_t lo = 0, hi = r->n;

    while (lo < hi) {
        size_t mid = (lo + hi) / 2;

        if (keycmp(r->rows[mid].key, r->rows[mid].klen, k, kl) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = lo < r->n && keycmp(r->rows[lo].key, r->rows[lo].klen, k, kl) == 0;
    return lo;
}

static void
ref_put(Ref *r, const uint8_t *k, size_t kl, const uint8_t *v, size_t vl)
{
    bool found;
    size_t i = ref_find(r, k, kl, &found);

    if (!found) {
        if (r->n == r->cap) {
            r->cap = r->cap ? r->cap * 2 : 64;
            r->rows = realloc(r->rows, r->cap * sizeof *r->rows);
        }
        memmove(&r->rows[i + 1], &r->rows[i], (r->n - i) * sizeof *r->rows);
        r->n++;
        memcpy(r->rows[i].key, k, kl);
        r->rows[i].klen = kl;
    }
    memcpy(r->rows[i].val, v, vl);
    r->rows[i].vlen = vl;
}

static void
ref_delete(Ref *r, const uint8_t *k, size_t kl)
{
    bool found;
    size_t i = ref_find(r, k, kl, &found);

    if (found) {
        memmove(&r->rows[i], &r->rows[i + 1], (r->n - i - 1) * sizeof *r->rows);
        r->n--;
    }
}

static void
ref_copy(Ref *dst, const Ref *src)
{
    dst->n = src->n;
    if (dst->cap < src->n) {
        dst->cap = src->n;
        dst->rows = realloc(dst->rows, dst->cap * sizeof *dst->rows);
    }
    if (src->n > 0)
        memcpy(dst->rows, src->rows, src->n * sizeof *src->rows);
}

/* Small alphabet and short keys, so prefixes, equal keys and prefix-of-key pairs are common. */
static size_t
random_key(Rng *r, uint8_t *k)
{
    size_t n = 1 + rng_below(r, 4);

    for (size_t i = 0; i < n; i++)
        k[i] = (uint8_t)("ab\x00\xff"[rng_below(r, 4)]);
    return n;
}

static size_t
random_val(Rng *r, uint8_t *v)
{
    size_t n = rng_below(r, 8) == 0 ? 0 : rng_below(r, VALMAX);

    for (size_t i = 0; i < n; i++)
        v[i] = (uint8_t)rng_next(r);
    return n;
}

static bool
in_range(const StateRange *rg, const uint8_t *k, size_t kl)
{
    const StateBound *lo = &rg->lower, *hi = &rg->upper;
    int c;

    if (lo->kind != STATE_UNBOUNDED) {
        c = keycmp(k, kl, lo->key.data, lo->key.len);
        if (c < 0 || (c == 0 && lo->kind == STATE_EXCLUSIVE))
            return false;
    }
    if (hi->kind == STATE_UNBOUNDED)
        return true;
    c = keycmp(k, kl, hi->key.data, hi->key.len);
    if (hi->kind == STATE_PREFIX)
        return c <= 0 || (kl >= hi->key.len && memcmp(k, hi->key.data, hi->key.len) == 0);
    return hi->kind == STATE_INCLUSIVE ? c <= 0 : c < 0;
}

static void
check_scan(Rng *r, StateCache *sc, const Ref *ref)
{
    uint8_t lk[KEYMAX], hk[KEYMAX];
    StateRange rg = state_range_all();
    bool backward = rng_below(r, 2) == 0;
    StateCacheIter *it;
    StateBytes k, v;
    size_t *want = malloc((ref->n + 1) * sizeof *want), nwant = 0, seen = 0;
    Err err;
    int rc;

    if (rng_below(r, 4) != 0) {
        rg.lower.kind = (StateBoundKind)rng_below(r, 3); /* unbounded, inclusive, exclusive */
        rg.lower.key = (StateBytes){lk, random_key(r, lk)};
    }
    if (rng_below(r, 4) != 0) {
        rg.upper.kind = (StateBoundKind)rng_below(r, 4);
        rg.upper.key = (StateBytes){hk, random_key(r, hk)};
    }
    if (rng_below(r, 5) == 0) {
        size_t n = random_key(r, lk);

        rg = state_range_prefix(lk, n);
    }
    for (size_t i = 0; i < ref->n; i++) {
        size_t j = backward ? ref->n - 1 - i : i;

        if (in_range(&rg, ref->rows[j].key, ref->rows[j].klen))
            want[nwant++] = j;
    }
    err_clear(&err);
    ck_assert_msg(statecache_iter_open(sc, &rg, backward, &it, &err) == 0, "iter: %s", err.message);
    while ((rc = statecache_iter_next(it, &k, &v, &err)) == 1) {
        const Row *row;

        ck_assert_msg(seen < nwant, "scan returned a key the reference does not have");
        row = &ref->rows[want[seen++]];
        ck_assert_int_eq(keycmp(k.data, k.len, row->key, row->klen), 0);
        ck_assert_uint_eq(v.len, row->vlen);
        ck_assert(v.len == 0 || memcmp(v.data, row->val, v.len) == 0);
    }
    ck_assert_int_eq(rc, 0);
    statecache_iter_close(it);
    ck_assert_msg(seen == nwant, "scan (%s) returned %zu of %zu rows",
                  backward ? "backward" : "forward", seen, nwant);
    free(want);
}

static void
check_get(StateCache *sc, const Ref *ref, const uint8_t *k, size_t kl)
{
    bool found;
    size_t i = ref_find(ref, k, kl, &found);
    StateBytes v;
    Err err;
    int rc;

    err_clear(&err);
    rc = statecache_get(sc, k, kl, &v, &err);
    ck_assert_msg(rc >= 0, "get: %s", err.message);
    ck_assert_int_eq(rc, found);
    if (found) {
        ck_assert_uint_eq(v.len, ref->rows[i].vlen);
        ck_assert(v.len == 0 || memcmp(v.data, ref->rows[i].val, v.len) == 0);
    }
}

/*
 * The model: per table, `live` is what its cache must show, `committed` what the store
 * holds. Two caches (two tables) share one reader, as the state tables of one operator
 * thread do. Epochs flush both and commit (live → committed), or fail (abort: the next
 * flush writes everything again); a restart drops live changes not committed.
 */
#define NTABLES 2

typedef struct Model {
    StateStore *st;
    StateCacheReader *rd;
    StateCache *sc[NTABLES];
    Ref live[NTABLES], committed[NTABLES];
    size_t budget;
    uint64_t evicted;
} Model;

static const char *const table_names[NTABLES] = {"t42.s0", "t42.s1"};

static void
model_open(Model *m)
{
    Err err;

    err_clear(&err);
    m->st = open_store();
    ck_assert_int_eq(statecache_reader_create(m->st, &m->rd, &err), 0);
    for (int t = 0; t < NTABLES; t++)
        ck_assert_int_eq(statecache_open(m->rd, table_names[t], m->budget, &m->sc[t], &err), 0);
}

static void
model_close(Model *m)
{
    for (int t = 0; t < NTABLES; t++) {
        StateCacheStats stats;

        statecache_stats(m->sc[t], &stats);
        m->evicted += stats.evicted;
        statecache_close(m->sc[t]);
    }
    statecache_reader_destroy(m->rd);
    state_close(m->st);
}

static void
check_budget(Model *m)
{
    for (int t = 0; t < NTABLES; t++) {
        StateCacheStats stats;

        statecache_stats(m->sc[t], &stats);
        if (stats.dirty + stats.pending == 0)
            ck_assert_uint_le(stats.bytes, m->budget);
    }
}

static void
random_op(Rng *r, Model *m)
{
    int t = (int)rng_below(r, NTABLES);
    StateCache *sc = m->sc[t];
    Ref *live = &m->live[t];
    uint8_t k[KEYMAX], v[VALMAX];
    size_t kl = random_key(r, k), vl;
    uint64_t what = rng_below(r, 20);
    Err err;

    err_clear(&err);
    if (what < 8) {
        check_get(sc, live, k, kl);
    } else if (what < 14) {
        vl = random_val(r, v);
        ck_assert_int_eq(statecache_put(sc, k, kl, v, vl, &err), 0);
        ref_put(live, k, kl, v, vl);
    } else if (what < 18) {
        ck_assert_int_eq(statecache_delete(sc, k, kl, &err), 0);
        ref_delete(live, k, kl);
    } else {
        check_scan(r, sc, live);
    }
}

static void
run_random(uint64_t seed, size_t budget, int epochs, int ops_per_epoch)
{
    Model m = {.budget = budget};
    uint64_t epoch_no;
    Rng r;
    Err err;

    rng_seed(&r, seed);
    err_clear(&err);
    model_open(&m);
    epoch_no = state_last_epoch(m.st);
    for (int e = 0; e < epochs; e++) {
        int nops = (int)rng_below(&r, (uint64_t)ops_per_epoch + 1);
        bool fail = rng_below(&r, 6) == 0, confirm = rng_below(&r, 2) == 0;
        StateEpoch *ep;

        for (int i = 0; i < nops; i++) {
            random_op(&r, &m);
            check_budget(&m);
        }
        ck_assert_int_eq(state_epoch_begin(m.st, ++epoch_no, &ep, &err), 0);
        for (int t = 0; t < NTABLES; t++)
            ck_assert_msg(statecache_flush(m.sc[t], ep, &err) == 0, "flush: %s", err.message);
        if (rng_below(&r, 4) == 0) {
            /* reads between flush and commit see the flushed values */
            for (int i = 0; i < 5; i++) {
                int t = (int)rng_below(&r, NTABLES);
                uint8_t k[KEYMAX];
                size_t kl = random_key(&r, k);

                check_get(m.sc[t], &m.live[t], k, kl);
            }
            ck_assert_int_eq(statecache_reader_release(m.rd, &err), 0);
        }
        if (fail) {
            /* nothing of the epoch is durable; the caches write it again later */
            state_epoch_abort(ep);
            epoch_no--;
        } else {
            ck_assert_msg(state_epoch_commit(ep, &err) == 0, "commit: %s", err.message);
            for (int t = 0; t < NTABLES; t++)
                ref_copy(&m.committed[t], &m.live[t]);
        }
        /* without confirming a failure, the next flush writes the PENDING ones again */
        for (int t = 0; t < NTABLES && (!fail || confirm); t++)
            statecache_committed(m.sc[t], !fail);
        check_budget(&m);
        if (rng_below(&r, 5) == 0) {
            /* restart: what was not committed is gone */
            model_close(&m);
            model_open(&m);
            ck_assert_uint_eq(state_last_epoch(m.st), epoch_no);
            for (int t = 0; t < NTABLES; t++) {
                ref_copy(&m.live[t], &m.committed[t]);
                check_scan(&r, m.sc[t], &m.live[t]);
            }
        }
    }
    /* every key the reference holds, read back */
    for (int t = 0; t < NTABLES; t++) {
        for (size_t i = 0; i < m.live[t].n; i++)
            check_get(m.sc[t], &m.live[t], m.live[t].rows[i].key, m.live[t].rows[i].klen);
    }
    model_close(&m);
    if (budget < 4096)
        ck_assert_msg(m.evicted > 0, "the budget never forced an eviction");
    for (int t = 0; t < NTABLES; t++) {
        free(m.live[t].rows);
        free(m.committed[t].rows);
    }
}

START_TEST(test_random_tiny_budget)
{
    run_random(1, 1500, 120, 60);
}
END_TEST

START_TEST(test_random_large_budget)
{
    run_random(2, (size_t)1 << 20, 60, 150);
}
END_TEST

START_TEST(test_random_seeds)
{
    for (uint64_t seed = 10; seed < 16; seed++) {
        run_random(seed, 600 + 300 * (seed % 3), 40, 40);
        teardown();
        setup();
    }
}
END_TEST

static StateCacheReader *
reader(StateStore *st)
{
    StateCacheReader *rd;
    Err err;

    err_clear(&err);
    ck_assert_int_eq(statecache_reader_create(st, &rd, &err), 0);
    return rd;
}

/* The cache reads what an earlier run committed, and a flush writes nothing clean. */
START_TEST(test_restart_reads_committed)
{
    StateStore *st = open_store();
    StateCacheReader *rd;
    StateCache *sc;
    StateEpoch *ep;
    StateBytes v;
    Err err;

    err_clear(&err);
    ck_assert_int_eq(statecache_open(rd = reader(st), "t7.agg", 0, &sc, &err), 0);
    /* a miss on a table that does not exist yet */
    ck_assert_int_eq(statecache_get(sc, "k", 1, &v, &err), 0);
    ck_assert_int_eq(statecache_put(sc, "k", 1, "v1", 2, &err), 0);
    ck_assert_int_eq(statecache_put(sc, "j", 1, "", 0, &err), 0);
    ck_assert_int_eq(state_epoch_begin(st, 1, &ep, &err), 0);
    ck_assert_int_eq(statecache_flush(sc, ep, &err), 0);
    ck_assert_uint_eq(state_epoch_op_count(ep), 2);
    ck_assert_int_eq(state_epoch_commit(ep, &err), 0);
    statecache_committed(sc, true);
    /* nothing dirty: the next epoch writes nothing */
    ck_assert_int_eq(statecache_get(sc, "k", 1, &v, &err), 1);
    ck_assert_int_eq(state_epoch_begin(st, 2, &ep, &err), 0);
    ck_assert_int_eq(statecache_flush(sc, ep, &err), 0);
    ck_assert_uint_eq(state_epoch_op_count(ep), 0);
    state_epoch_abort(ep);
    statecache_committed(sc, false);
    statecache_close(sc);
    statecache_reader_destroy(rd);
    state_close(st);

    st = open_store();
    ck_assert_int_eq(statecache_open(rd = reader(st), "t7.agg", 0, &sc, &err), 0);
    ck_assert_int_eq(statecache_get(sc, "k", 1, &v, &err), 1);
    ck_assert_uint_eq(v.len, 2);
    ck_assert(memcmp(v.data, "v1", 2) == 0);
    ck_assert_int_eq(statecache_get(sc, "j", 1, &v, &err), 1);
    ck_assert_uint_eq(v.len, 0);
    ck_assert_int_eq(statecache_reader_release(rd, &err), 0);
    statecache_close(sc);
    statecache_reader_destroy(rd);
    state_close(st);
}
END_TEST

/*
 * statecache_delete_range: a bounded range over committed and cached keys, past one round of
 * the scan (4096 keys), counted; keys outside stay, and the deletes commit.
 */
START_TEST(test_delete_range)
{
    StateStore *st = open_store();
    StateCacheReader *rd;
    StateCache *sc;
    StateEpoch *ep;
    StateCacheIter *it;
    StateBytes k, v;
    char key[16], lo[16], hi[16];
    size_t deleted = 0, left = 0;
    Err err;
    int rc;

    err_clear(&err);
    ck_assert_int_eq(statecache_open(rd = reader(st), "t8.del", 0, &sc, &err), 0);
    for (int i = 0; i < 6000; i++) { /* the even keys committed, the odd ones only cached */
        snprintf(key, sizeof key, "k%06d", 2 * i);
        ck_assert_int_eq(statecache_put(sc, key, 7, "v", 1, &err), 0);
    }
    ck_assert_int_eq(state_epoch_begin(st, 1, &ep, &err), 0);
    ck_assert_int_eq(statecache_flush(sc, ep, &err), 0);
    ck_assert_int_eq(state_epoch_commit(ep, &err), 0);
    statecache_committed(sc, true);
    for (int i = 0; i < 6000; i++) {
        snprintf(key, sizeof key, "k%06d", 2 * i + 1);
        ck_assert_int_eq(statecache_put(sc, key, 7, "v", 1, &err), 0);
    }
    snprintf(lo, sizeof lo, "k%06d", 100);
    snprintf(hi, sizeof hi, "k%06d", 11000);
    {
        StateRange r = {{STATE_INCLUSIVE, {lo, 7}}, {STATE_EXCLUSIVE, {hi, 7}}};

        ck_assert_msg(statecache_delete_range(sc, &r, &deleted, &err) == 0, "%s", err.message);
    }
    ck_assert_uint_eq(deleted, 10900);
    ck_assert_int_eq(statecache_iter_open(sc, NULL, false, &it, &err), 0);
    while ((rc = statecache_iter_next(it, &k, &v, &err)) == 1) {
        char digits[16] = {0};
        int n;

        ck_assert_uint_eq(k.len, 7);
        memcpy(digits, (const char *)k.data + 1, 6); /* keys are not NUL-terminated */
        n = atoi(digits);

        ck_assert_msg(n < 100 || n >= 11000, "key %d survived", n);
        left++;
    }
    ck_assert_int_eq(rc, 0);
    statecache_iter_close(it);
    ck_assert_uint_eq(left, 12000 - 10900);
    ck_assert_int_eq(state_epoch_begin(st, 2, &ep, &err), 0);
    ck_assert_int_eq(statecache_flush(sc, ep, &err), 0);
    ck_assert_int_eq(state_epoch_commit(ep, &err), 0);
    statecache_committed(sc, true);
    ck_assert_int_eq(statecache_delete_range(sc, NULL, &deleted, &err), 0);
    ck_assert_uint_eq(deleted, 12000 - 10900);
    ck_assert_int_eq(statecache_reader_release(rd, &err), 0);
    statecache_close(sc);
    statecache_reader_destroy(rd);
    state_close(st);
}
END_TEST

/* A PENDING entry is not evicted before its epoch commits, whatever the budget. */
START_TEST(test_pending_not_evicted)
{
    StateStore *st = open_store();
    StateCacheReader *rd;
    StateCache *sc;
    StateEpoch *ep;
    StateCacheStats stats;
    StateCacheIter *it;
    StateBytes v;
    Err err;
    char key[8];

    err_clear(&err);
    ck_assert_int_eq(statecache_open(rd = reader(st), "t8.s0", 1, &sc, &err), 0);
    ck_assert_int_eq(statecache_put(sc, "x", 1, "old", 3, &err), 0);
    ck_assert_int_eq(state_epoch_begin(st, 1, &ep, &err), 0);
    ck_assert_int_eq(statecache_flush(sc, ep, &err), 0);
    ck_assert_int_eq(state_epoch_commit(ep, &err), 0);
    statecache_committed(sc, true);
    statecache_stats(sc, &stats);
    ck_assert_uint_eq(stats.entries, 0); /* budget 1 byte: evicted once clean */

    ck_assert_int_eq(statecache_put(sc, "x", 1, "new", 3, &err), 0);
    ck_assert_int_eq(state_epoch_begin(st, 2, &ep, &err), 0);
    ck_assert_int_eq(statecache_flush(sc, ep, &err), 0);
    /* reads between flush and commit: misses load other keys, x must stay */
    for (int i = 0; i < 20; i++) {
        snprintf(key, sizeof key, "m%d", i);
        ck_assert_int_eq(statecache_get(sc, key, strlen(key), &v, &err), 0);
    }
    ck_assert_int_eq(statecache_get(sc, "x", 1, &v, &err), 1);
    ck_assert(memcmp(v.data, "new", 3) == 0);
    ck_assert_int_eq(statecache_reader_release(rd, &err), 0); /* no snapshot across the commit */
    ck_assert_int_eq(state_epoch_commit(ep, &err), 0);
    statecache_committed(sc, true);
    ck_assert_int_eq(statecache_get(sc, "x", 1, &v, &err), 1);
    ck_assert(memcmp(v.data, "new", 3) == 0);

    /* an iterator open across the commit keeps the old snapshot only until it closes */
    ck_assert_int_eq(statecache_put(sc, "x", 1, "newer", 5, &err), 0);
    ck_assert_int_eq(state_epoch_begin(st, 3, &ep, &err), 0);
    ck_assert_int_eq(statecache_flush(sc, ep, &err), 0);
    ck_assert_int_eq(statecache_iter_open(sc, NULL, false, &it, &err), 0);
    ck_assert_int_eq(state_epoch_commit(ep, &err), 0);
    statecache_committed(sc, true);
    statecache_stats(sc, &stats);
    ck_assert_uint_eq(stats.entries, 1); /* its iterator may hold it: evicted at close */
    statecache_iter_close(it);
    statecache_stats(sc, &stats);
    ck_assert_uint_eq(stats.entries, 0);
    ck_assert_int_eq(statecache_get(sc, "x", 1, &v, &err), 1);
    ck_assert_uint_eq(v.len, 5);
    ck_assert(memcmp(v.data, "newer", 5) == 0);
    statecache_close(sc);
    statecache_reader_destroy(rd);
    state_close(st);
}
END_TEST

START_TEST(test_errors)
{
    StateStore *st = open_store();
    StateCacheReader *rd;
    StateCache *sc, *other;
    StateCacheIter *it;
    StateEpoch *ep;
    StateBytes v;
    Err err;
    uint8_t big[1024] = {0};

    err_clear(&err);
    ck_assert_int_eq(statecache_open(rd = reader(st), "t9.s0", 0, &sc, &err), 0);
    ck_assert_int_eq(statecache_put(sc, "", 0, "v", 1, &err), -1);
    ck_assert_str_eq(err.sqlstate, ERRCODE_INVALID_PARAMETER_VALUE);
    err_clear(&err);
    ck_assert_int_eq(statecache_get(sc, big, state_max_key_len(st) + 1, &v, &err), -1);
    ck_assert_str_eq(err.sqlstate, ERRCODE_PROGRAM_LIMIT_EXCEEDED);
    err_clear(&err);
    ck_assert_int_eq(statecache_open(rd, "t9.s1", 0, &other, &err), 0);
    ck_assert_int_eq(statecache_iter_open(sc, NULL, false, &it, &err), 0);
    /* the iterated cache refuses changes, the reader refuses flushes and releases */
    ck_assert_int_eq(statecache_put(sc, "a", 1, "v", 1, &err), -1);
    ck_assert_str_eq(err.sqlstate, ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE);
    ck_assert_int_eq(state_epoch_begin(st, 1, &ep, &err), 0);
    ck_assert_int_eq(statecache_flush(other, ep, &err), -1);
    ck_assert_str_eq(err.sqlstate, ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE);
    ck_assert_int_eq(statecache_reader_release(rd, &err), -1);
    /* another cache of the reader works meanwhile */
    err_clear(&err);
    ck_assert_int_eq(statecache_put(other, "a", 1, "v", 1, &err), 0);
    ck_assert_int_eq(statecache_get(other, "b", 1, &v, &err), 0);
    ck_assert_int_eq(statecache_iter_next(it, &v, &v, &err), 0);
    statecache_iter_close(it);
    ck_assert_int_eq(statecache_flush(sc, ep, &err), 0);
    ck_assert_int_eq(statecache_flush(other, ep, &err), 0);
    ck_assert_uint_eq(state_epoch_op_count(ep), 1);
    state_epoch_abort(ep);
    statecache_committed(sc, false);
    statecache_close(sc);
    statecache_close(other);
    statecache_reader_destroy(rd);
    state_close(st);
}
END_TEST

/* ---- aggregate states in a state table (sql/agg_state.h over the cache) ---------------- */

#define NGROUPS 7
#define NAGGS 4
#define MAXROWS 64

typedef struct AggSet {
    AggCall calls[NAGGS];
    EvalCtx eval;
    AggCtx ctx;
} AggSet;

static void
aggset_init(AggSet *s, Arena *a)
{
    static const char *const names[NAGGS] = {"count", "sum", "avg", "stddev_samp"};
    Oid i4 = TYPE_INT4;

    memset(s, 0, sizeof *s);
    for (int k = 0; k < NAGGS; k++) {
        const FuncDef *f = catalog_find_func_exact(names[k], k == 0 ? 0 : 1, &i4);

        ck_assert_ptr_nonnull(f);
        s->calls[k].impl = agg_impl(f);
        s->calls[k].def = f;
        s->calls[k].nargs = f->nargs;
        s->calls[k].argtype = k == 0 ? TYPE_INVALID : TYPE_INT4;
        s->calls[k].rettype = f->ret;
    }
    s->eval.arena = a;
    s->ctx.eval = &s->eval;
    s->ctx.argtype = TYPE_INT4;
}

/* One group's states, framed one after the other. */
static void
states_encode(AggSet *s, void *const *states, Buf *out)
{
    Err err;

    buf_reset(out);
    for (int k = 0; k < NAGGS; k++)
        ck_assert_int_eq(agg_state_encode_framed(&s->calls[k], states[k], out, &err), 0);
}

static void
states_decode(AggSet *s, const StateBytes *v, Arena *a, void **states)
{
    const uint8_t *p = v->data, *end = p + v->len;
    Err err;

    for (int k = 0; k < NAGGS; k++) {
        states[k] = arena_alloc(a, s->calls[k].impl->state_size);
        err_clear(&err);
        ck_assert_msg(agg_state_decode_framed(&s->calls[k], &p, end, a, states[k], &err) == 0, "%s",
                      err.message);
    }
    ck_assert(p == end);
}

static const char *
result_text(AggSet *s, int k, const void *state, Arena *a)
{
    Datum d;
    bool isnull;
    Err err;

    err_clear(&err);
    ck_assert_int_eq(s->calls[k].impl->result(state, &s->ctx, &d, &isnull, &err), 0);
    if (isnull)
        return "NULL";
    return type_output_cstr(type_by_oid(s->calls[k].rettype), d, -1, &type_io_default, a);
}

static void
group_key(int g, Buf *out)
{
    static const KeyColumn col = {TYPE_INT4, false, false};
    const KeySpec spec = {&col, 1, false};
    Value v = {datum_from_int32(g), false};
    Err err;

    buf_reset(out);
    ck_assert_int_eq(keycodec_encode(&spec, &v, out, NULL, &err), 0);
}

/* Applies one input row (+1) or its retraction (-1) to group g's states in the cache. */
static void
apply_row(StateCache *sc, AggSet *s, Arena *a, int g, int32_t x, int weight)
{
    Buf key, val;
    StateBytes v;
    void *states[NAGGS];
    Value arg = {datum_from_int32(x), false};
    Err err;
    int rc;

    buf_init(&key, 64);
    buf_init(&val, 4096);
    group_key(g, &key);
    err_clear(&err);
    rc = statecache_get(sc, key.data, key.len, &v, &err);
    ck_assert_int_ge(rc, 0);
    if (rc == 1) {
        states_decode(s, &v, a, states);
    } else {
        for (int k = 0; k < NAGGS; k++) {
            states[k] = arena_alloc(a, s->calls[k].impl->state_size);
            s->calls[k].impl->init(states[k]);
        }
    }
    for (int k = 0; k < NAGGS; k++) {
        const AggImpl *impl = s->calls[k].impl;

        ck_assert_int_eq(weight > 0 ? impl->add(states[k], &arg, &s->ctx, &err)
                                    : impl->retract(states[k], &arg, &s->ctx, &err),
                         0);
    }
    if (strcmp(result_text(s, 0, states[0], a), "0") == 0) { /* count(*): the group is empty */
        ck_assert_int_eq(statecache_delete(sc, key.data, key.len, &err), 0);
    } else {
        states_encode(s, states, &val);
        ck_assert_int_eq(statecache_put(sc, key.data, key.len, val.data, val.len, &err), 0);
    }
    buf_free(&key);
    buf_free(&val);
}

/*
 * Random inserts and retractions of (group, x) over many epochs with restarts; at the end
 * each group's stored states must give what one pass over its final multiset gives.
 */
START_TEST(test_agg_states_across_epochs)
{
    int32_t rows[NGROUPS][MAXROWS];
    int nrows[NGROUPS] = {0};
    Arena *a = arena_create("agg", 0);
    StateStore *st = open_store();
    StateCacheReader *rd = reader(st);
    StateCache *sc;
    AggSet s;
    uint64_t epoch_no = 0;
    Rng r;
    Err err;

    err_clear(&err);
    rng_seed(&r, 77);
    aggset_init(&s, a);
    ck_assert_int_eq(statecache_open(rd, "t5.agg", 400, &sc, &err), 0);
    for (int e = 0; e < 60; e++) {
        StateEpoch *ep;

        for (int i = 0; i < 30; i++) {
            int g = (int)rng_below(&r, NGROUPS);

            if (nrows[g] > 0 && (nrows[g] == MAXROWS || rng_below(&r, 3) == 0)) {
                int k = (int)rng_below(&r, (uint64_t)nrows[g]);

                apply_row(sc, &s, a, g, rows[g][k], -1);
                rows[g][k] = rows[g][--nrows[g]];
            } else {
                int32_t x = (int32_t)rng_below(&r, 2001) - 1000;

                apply_row(sc, &s, a, g, x, +1);
                rows[g][nrows[g]++] = x;
            }
        }
        ck_assert_int_eq(state_epoch_begin(st, ++epoch_no, &ep, &err), 0);
        ck_assert_int_eq(statecache_flush(sc, ep, &err), 0);
        ck_assert_int_eq(state_epoch_commit(ep, &err), 0);
        statecache_committed(sc, true);
        arena_reset(a);
        if (rng_below(&r, 6) == 0) {
            statecache_close(sc);
            statecache_reader_destroy(rd);
            state_close(st);
            st = open_store();
            rd = reader(st);
            ck_assert_int_eq(statecache_open(rd, "t5.agg", 400, &sc, &err), 0);
        }
    }
    for (int g = 0; g < NGROUPS; g++) {
        Buf key;
        StateBytes v;
        void *states[NAGGS];
        int rc;

        buf_init(&key, 64);
        group_key(g, &key);
        rc = statecache_get(sc, key.data, key.len, &v, &err);
        ck_assert_int_eq(rc, nrows[g] > 0);
        if (rc == 1)
            states_decode(&s, &v, a, states);
        buf_free(&key);
        if (rc == 0)
            continue;
        for (int k = 0; k < NAGGS; k++) {
            void *fresh = arena_alloc(a, s.calls[k].impl->state_size);

            s.calls[k].impl->init(fresh);
            for (int i = 0; i < nrows[g]; i++) {
                Value arg = {datum_from_int32(rows[g][i]), false};

                ck_assert_int_eq(s.calls[k].impl->add(fresh, &arg, &s.ctx, &err), 0);
            }
            ck_assert_str_eq(result_text(&s, k, states[k], a), result_text(&s, k, fresh, a));
        }
    }
    statecache_close(sc);
    statecache_reader_destroy(rd);
    state_close(st);
    arena_destroy(a);
}
END_TEST

static Suite *
statecache_suite(void)
{
    Suite *s = suite_create("statecache");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_random_tiny_budget);
    tcase_add_test(tc, test_random_large_budget);
    tcase_add_test(tc, test_random_seeds);
    tcase_add_test(tc, test_restart_reads_committed);
    tcase_add_test(tc, test_pending_not_evicted);
    tcase_add_test(tc, test_errors);
    tcase_add_test(tc, test_delete_range);
    tcase_add_test(tc, test_agg_states_across_epochs);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(statecache_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
