/*
 * tests/unit/stream/test_deltamap.c — stream/deltamap.c against a brute-force multiset:
 * random mixes of deltamap_add and deltamap_append (rows from a small universe, so rows
 * repeat; weights of both signs), consolidations, lookups, sorts and resets. After every
 * step the map's multiset (weights summed per row, zeros dropped) must equal the model's;
 * after a lookup or a consolidation no row may appear twice; after a sort the rows must be
 * in memcmp order (a prefix first); every row must start 8-byte aligned.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stream/deltamap.h"

#define UNIVERSE 300

typedef struct Model {
    int64_t w[UNIVERSE];
} Model;

/* Row u of the universe: varying lengths, a shared header, some rows prefixes of others. */
static size_t
make_row(int u, uint8_t *out)
{
    size_t len = 12 + (size_t)(u % 7) * 5;

    memset(out, 0xAB, 12); /* the common header deltamap_sort skips */
    for (size_t i = 12; i < 48; i++)
        out[i] = (uint8_t)((u * 31 + (int)i * 7) % 5); /* few values: long ties */
    if (u % 11 == 0)
        len = 12 + (size_t)(u % 3); /* short rows, prefixes of others */
    return len;
}

static uint8_t urows[UNIVERSE][48];
static size_t ulens[UNIVERSE];

static int
universe_of(const uint8_t *row, size_t len)
{
    if (ulens[0] == 0) {
        for (int u = 0; u < UNIVERSE; u++)
            ulens[u] = make_row(u, urows[u]);
    }
    for (int u = 0; u < UNIVERSE; u++) {
        if (ulens[u] == len && memcmp(urows[u], row, len) == 0)
            return u;
    }
    return -1;
}

static int
cmp_rows(const uint8_t *a, size_t al, const uint8_t *b, size_t bl)
{
    size_t n = al < bl ? al : bl;
    int c = memcmp(a, b, n);

    return c != 0 ? c : al < bl ? -1 : al > bl;
}

/* The map equals the model; distinct: no row twice; sorted: in memcmp order. */
static void
check_map(DeltaMap *m, const Model *md, bool distinct, bool sorted)
{
    int64_t got[UNIVERSE] = {0};
    int seen[UNIVERSE] = {0};
    const uint8_t *row, *prev = NULL;
    size_t len, prevlen = 0, pos = 0;
    int64_t w;

    /* plain ifs: check records every passing ck_assert, millions here */
    while (deltamap_next(m, &pos, &row, &len, &w)) {
        int u = universe_of(row, len);

        if (u < 0)
            ck_abort_msg("unknown row of %zu bytes at entry %zu", len, pos);
        if ((uintptr_t)row % 8 != 0 || w == 0)
            ck_abort_msg("row %d: misaligned or of weight 0", u);
        got[u] += w;
        seen[u]++;
        if (distinct && seen[u] > 1)
            ck_abort_msg("row %d twice after a consolidation", u);
        if (sorted && prev != NULL && cmp_rows(prev, prevlen, row, len) >= 0)
            ck_abort_msg("row %d out of order after a sort", u);
        prev = row;
        prevlen = len;
    }
    for (int u = 0; u < UNIVERSE; u++) {
        if (got[u] != md->w[u])
            ck_abort_msg("row %d: map %lld, model %lld", u, (long long)got[u],
                         (long long)md->w[u]);
    }
}

START_TEST(test_random_against_model)
{
    for (unsigned seed = 1; seed <= 40; seed++) {
        DeltaMap m;
        Model md = {{0}};
        Err err;
        uint8_t buf[64];
        bool distinct = true, sorted = false;

        srandom(seed);
        err_clear(&err);
        deltamap_init(&m);
        for (int step = 0; step < 3000; step++) {
            int op = (int)(random() % 100), u = (int)(random() % UNIVERSE);
            int64_t w = (int64_t)(random() % 5) - 2;
            size_t len = make_row(u, buf);

            int u0 = u;

            u = universe_of(buf, len); /* rows of several u are one row: count it once */
            ck_assert_msg(u >= 0, "row %d (%zu bytes) not in the universe", u0, len);

            if (op < 40) {
                ck_assert_int_eq(deltamap_add(&m, buf, len, w, &err), 0);
                md.w[u] += w;
                distinct = true; /* an add consolidates what was appended */
                sorted = false;
            } else if (op < 85) {
                ck_assert_int_eq(deltamap_append(&m, buf, len, w, &err), 0);
                md.w[u] += w;
                distinct = false;
                sorted = false;
            } else if (op < 90) {
                DeltaEntry *e = deltamap_find(&m, buf, len);

                ck_assert(e != NULL || md.w[u] == 0);
                if (e != NULL)
                    ck_assert_int_eq(e->weight, md.w[u]);
                distinct = true;
            } else if (op < 94) {
                ck_assert_int_eq(deltamap_consolidate(&m, &err), 0);
                distinct = true;
            } else if (op < 98) {
                ck_assert_int_eq(deltamap_sort(&m, &err), 0);
                distinct = true;
                sorted = true;
            } else if (op < 99) {
                deltamap_reset(&m);
                memset(&md, 0, sizeof md);
                distinct = true;
            }
            check_map(&m, &md, distinct, sorted);
        }
        deltamap_free(&m);
    }
}
END_TEST

/* Appending the same rows over and over does not grow the map without bound. */
START_TEST(test_append_bounded)
{
    DeltaMap m;
    Err err;
    const uint8_t *row;
    size_t len, pos = 0, n = 0;
    int64_t w, sum = 0;

    err_clear(&err);
    deltamap_init(&m);
    for (int i = 0; i < 3000000; i++) {
        if (deltamap_append(&m, i % 2 ? "ab" : "cd", 2, i % 3 == 0 ? 1 : -1, &err) != 0)
            ck_abort_msg("append failed: %s", err.message);
    }
    ck_assert_uint_le(deltamap_size(&m), ((size_t)1 << 20) + 2);
    while (deltamap_next(&m, &pos, &row, &len, &w)) {
        n++;
        sum += w;
    }
    ck_assert_int_eq(sum, -1000000); /* 1,000,000 × +1 and 2,000,000 × -1 */
    ck_assert_int_eq(deltamap_consolidate(&m, &err), 0);
    ck_assert_uint_le(deltamap_size(&m), 2);
    deltamap_free(&m);
    (void)n;
}
END_TEST

/* A sorted map of many rows with a long common header: order and contents kept. */
START_TEST(test_sort_large)
{
    DeltaMap m;
    Err err;
    const uint8_t *row, *prev = NULL;
    size_t len, prevlen = 0, pos = 0, n = 0;
    int64_t w;

    err_clear(&err);
    deltamap_init(&m);
    srandom(7);
    for (int i = 0; i < 200000; i++) {
        uint8_t r[40];
        uint64_t x = (uint64_t)random() % 50000; /* repeats: consolidated by the sort */

        memset(r, 0x11, 16);
        memcpy(r + 16, &x, 8);
        memset(r + 24, (int)(x % 3), 16);
        if (deltamap_append(&m, r, 16 + 8 + (x % 17), 1, &err) != 0)
            ck_abort_msg("append failed: %s", err.message);
    }
    ck_assert_int_eq(deltamap_sort(&m, &err), 0);
    while (deltamap_next(&m, &pos, &row, &len, &w)) {
        if ((prev != NULL && cmp_rows(prev, prevlen, row, len) >= 0) || w < 1)
            ck_abort_msg("entry %zu out of order or of weight %lld", pos, (long long)w);
        prev = row;
        prevlen = len;
        n++;
    }
    ck_assert_uint_gt(n, 40000);
    ck_assert_uint_le(n, 50000);
    /* long shared prefixes of different lengths (past the radix depth: comparisons) */
    deltamap_reset(&m);
    for (int i = 0; i < 3000; i++) {
        uint8_t r[160] = {0};
        size_t l = 90 + (size_t)(random() % 60);

        r[5] = 9;
        r[l - 1] = (uint8_t)(random() % 3);
        if (deltamap_append(&m, r, l, 1, &err) != 0)
            ck_abort_msg("append failed: %s", err.message);
    }
    ck_assert_int_eq(deltamap_sort(&m, &err), 0);
    prev = NULL;
    pos = 0;
    n = 0;
    while (deltamap_next(&m, &pos, &row, &len, &w)) {
        if (prev != NULL && cmp_rows(prev, prevlen, row, len) >= 0)
            ck_abort_msg("long rows: entry %zu out of order", pos);
        prev = row;
        prevlen = len;
        n += (size_t)w;
    }
    ck_assert_uint_eq(n, 3000);
    deltamap_free(&m);
}
END_TEST

static Suite *
deltamap_suite(void)
{
    Suite *s = suite_create("deltamap");
    TCase *tc = tcase_create("core");

    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_random_against_model);
    tcase_add_test(tc, test_append_bounded);
    tcase_add_test(tc, test_sort_large);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(deltamap_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
