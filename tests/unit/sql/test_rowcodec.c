/*
 * tests/unit/sql/test_rowcodec.c — Check suite for sql/rowcodec.c.
 *
 * Generated rows of every type (codec_gen.c, edge values and NULLs
 * included) round-trip through encode/check/get at aligned and unaligned
 * addresses; aligned by-reference values are read in place; damaged rows are
 * rejected by rowcodec_check().
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "codec_gen.h"
#include "common/errcodes.h"
#include "sql/rowcodec.h"

#define MAXC 24

static Arena *A;

static void
setup(void)
{
    A = arena_create("test", 0);
    codec_gen_set_arena(A);
}

static void
teardown(void)
{
    arena_destroy(A);
}

static int
random_row(Rng *r, Oid *types, Value *vals)
{
    int n = (int)rng_below(r, MAXC + 1);

    for (int i = 0; i < n; i++) {
        types[i] = codec_types[rng_below(r, (uint64_t)codec_ntypes)];
        vals[i].isnull = rng_below(r, 6) == 0;
        vals[i].d = vals[i].isnull ? 0 : codec_gen(r, types[i], A);
    }
    return n;
}

START_TEST(test_roundtrip)
{
    Rng r;
    Err e;

    rng_seed(&r, 42);
    for (int round = 0; round < 600; round++) {
        Oid types[MAXC];
        Value vals[MAXC], out[MAXC];
        int n = random_row(&r, types, vals);
        Buf b;
        /* 8-aligned storage, then the row copied at offset 0 .. 3 */
        uint64_t *store;
        size_t shift = (size_t)(round % 4);
        const uint8_t *row;

        buf_init(&b, 1 << 20);
        err_clear(&e);
        ck_assert_int_eq(rowcodec_encode(types, n, vals, &b, &e), 0);
        store = calloc(b.len / 8 + 2, 8);
        memcpy((uint8_t *)store + shift, b.data, b.len);
        row = (const uint8_t *)store + shift;
        ck_assert_int_eq(rowcodec_decode(row, b.len, types, n, A, out, &e), 0);
        ck_assert_int_eq(rowcodec_ncols(row), n);
        for (int i = 0; i < n; i++) {
            const TypeInfo *t = type_by_oid(types[i]);

            ck_assert_int_eq(out[i].isnull, vals[i].isnull);
            if (vals[i].isnull)
                continue;
            ck_assert_msg(codec_identical(types[i], vals[i].d, out[i].d), "%s: %s came back as %s",
                          t->name, codec_show(types[i], vals[i].d, A),
                          codec_show(types[i], out[i].d, A));
            if (!t->byval && shift == 0) /* aligned: no copy */
                ck_assert((const uint8_t *)datum_get_var(out[i].d) >= row &&
                          (const uint8_t *)datum_get_var(out[i].d) < row + b.len);
            if (!t->byval && shift != 0)
                ck_assert((const uint8_t *)datum_get_var(out[i].d) < row ||
                          (const uint8_t *)datum_get_var(out[i].d) >= row + b.len);
        }
        free(store);
        buf_free(&b);
    }
}
END_TEST

START_TEST(test_layout)
{
    Oid types[3] = {TYPE_INT2, TYPE_TEXT, TYPE_INT8};
    Value vals[3] = {{datum_from_int16(-2), false}, {0, true}, {datum_from_int64(7), false}};
    Buf b;
    Err e;

    buf_init(&b, 1024);
    err_clear(&e);
    ck_assert_int_eq(rowcodec_encode(types, 3, vals, &b, &e), 0);
    /* 4 header + 1 bitmap, padded to 8, 3 u16 offsets, 2 + 8 value bytes */
    ck_assert_int_eq(b.len, 8 + 6 + 10);
    ck_assert_int_eq(b.data[3], 0); /* narrow offsets */
    ck_assert(rowcodec_isnull(b.data, 1));
    ck_assert(!rowcodec_isnull(b.data, 0));
    ck_assert_int_eq(datum_get_int16(rowcodec_get(b.data, types, 0, A).d), -2);
    ck_assert_int_eq(datum_get_int64(rowcodec_get(b.data, types, 2, A).d), 7);
    buf_free(&b);
}
END_TEST

/* Rows of 64 kB and more switch to u32 offsets. */
START_TEST(test_wide_rows)
{
    Oid types[3] = {TYPE_TEXT, TYPE_INT4, TYPE_BYTEA};
    size_t sizes[] = {65000, 65535 - 40, 65535 - 20, 65535, 70000, 300000};
    Err e;

    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        char *big = malloc(sizes[k]);
        Value vals[3], out[3];
        Buf b;

        memset(big, 'x', sizes[k]);
        vals[0] = (Value){datum_from_text(A, big, sizes[k]), false};
        vals[1] = (Value){datum_from_int32(-5), false};
        vals[2] = (Value){datum_from_text(A, "\0\1", 2), false};
        buf_init(&b, 1 << 22);
        err_clear(&e);
        ck_assert_int_eq(rowcodec_encode(types, 3, vals, &b, &e), 0);
        ck_assert_int_eq(b.data[3] != 0, b.len > 65535);
        ck_assert_int_eq(rowcodec_decode(b.data, b.len, types, 3, A, out, &e), 0);
        for (int i = 0; i < 3; i++)
            ck_assert(codec_identical(types[i], vals[i].d, out[i].d));
        b.data[3] ^= 1; /* the wrong offset width is caught */
        ck_assert_int_eq(rowcodec_check(b.data, b.len, types, 3, &e), -1);
        buf_free(&b);
        free(big);
    }
}
END_TEST

START_TEST(test_damaged_rows)
{
    Rng r;
    Err e;

    rng_seed(&r, 3);
    for (int round = 0; round < 3000; round++) {
        Oid types[MAXC];
        Value vals[MAXC], out[MAXC];
        int n = random_row(&r, types, vals);
        Buf b;

        buf_init(&b, 1 << 20);
        err_clear(&e);
        ck_assert_int_eq(rowcodec_encode(types, n, vals, &b, &e), 0);
        /* truncated: always rejected */
        if (b.len > 0) {
            size_t cut = rng_below(&r, b.len);

            ck_assert_int_eq(rowcodec_check(b.data, cut, types, n, &e), -1);
            ck_assert_str_eq(e.sqlstate, ERRCODE_DATA_CORRUPTED);
        }
        /* one random byte changed: rejected or still decodable, never a crash */
        b.data[rng_below(&r, b.len)] ^= (uint8_t)(1 + rng_below(&r, 255));
        err_clear(&e);
        {
            /* decode (one pass) rejects exactly the rows check rejects, and reads what get
             * reads */
            int checked = rowcodec_check(b.data, b.len, types, n, &e);
            int decoded;

            err_clear(&e);
            decoded = rowcodec_decode(b.data, b.len, types, n, A, out, &e);
            ck_assert_int_eq(decoded, checked);
            if (decoded != 0)
                ck_assert_str_eq(e.sqlstate, ERRCODE_DATA_CORRUPTED);
            for (int c = 0; decoded == 0 && c < n; c++) {
                Value g = rowcodec_get(b.data, types, c, A);

                ck_assert_int_eq(g.isnull, out[c].isnull);
                if (!g.isnull && type_by_oid(types[c]) != NULL && type_by_oid(types[c])->byval)
                    ck_assert(g.d == out[c].d);
                else if (!g.isnull)
                    ck_assert_mem_eq(datum_get_var(g.d)->data, datum_get_var(out[c].d)->data,
                                     datum_get_var(g.d)->len);
            }
        }
        /* wrong column count */
        if (n > 0)
            ck_assert_int_eq(rowcodec_check(b.data, b.len, types, n - 1, &e), -1);
        buf_free(&b);
    }
}
END_TEST

START_TEST(test_limits)
{
    Oid types[1] = {TYPE_TEXT};
    Value v = {datum_from_cstr(A, "0123456789"), false};
    Buf b;
    Err e;

    buf_init(&b, 16); /* too small for the row */
    err_clear(&e);
    ck_assert_int_eq(rowcodec_encode(types, 1, &v, &b, &e), -1);
    ck_assert_str_eq(e.sqlstate, ERRCODE_PROGRAM_LIMIT_EXCEEDED);
    err_clear(&e);
    ck_assert_int_eq(rowcodec_encode(types, ROWCODEC_MAX_COLS + 1, &v, &b, &e), -1);
    buf_free(&b);
}
END_TEST

static Suite *
rowcodec_suite(void)
{
    Suite *su = suite_create("rowcodec");
    TCase *tc = tcase_create("core");

    tcase_set_timeout(tc, 120);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_roundtrip);
    tcase_add_test(tc, test_layout);
    tcase_add_test(tc, test_wide_rows);
    tcase_add_test(tc, test_damaged_rows);
    tcase_add_test(tc, test_limits);
    suite_add_tcase(su, tc);
    return su;
}

int
main(void)
{
    SRunner *sr = srunner_create(rowcodec_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
