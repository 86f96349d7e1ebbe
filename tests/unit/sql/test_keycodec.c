/*
 * tests/unit/sql/test_keycodec.c — Check suite for sql/keycodec.c.
 *
 * Property tests over generated values of every type (codec_gen.c, edge
 * values included): memcmp order of keys equals SQL order (the catalog's own
 * < and = operators decide), for ASC/DESC and NULLS FIRST/LAST, single and
 * multi-column; exact keys round-trip, canonical keys decode to an equal
 * value; prefixes bound range scans; malformed keys are rejected.
 *
 * Order is checked by sorting the tuples with SQL comparison and checking
 * every adjacent pair (both orders are total preorders, so agreement on
 * adjacent pairs implies agreement on all pairs), plus random pairs.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "codec_gen.h"
#include "common/errcodes.h"
#include "sql/keycodec.h"

#define NCOL_MAX 3

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

typedef struct Tuple {
    Value v[NCOL_MAX];
    Buf key;      /* whole key (exact) */
    size_t order; /* length of its order part */
} Tuple;

static const KeySpec *sort_spec;

static int
sign(int x)
{
    return (x > 0) - (x < 0);
}

/* SQL ORDER BY comparison of two tuples under spec. */
static int
tuple_cmp(const KeySpec *spec, const Value *a, const Value *b)
{
    for (int i = 0; i < spec->ncols; i++) {
        const KeyColumn *c = &spec->cols[i];
        int r;

        if (a[i].isnull || b[i].isnull) {
            if (a[i].isnull && b[i].isnull)
                continue;
            r = a[i].isnull ? 1 : -1; /* NULL is larger, unless NULLS FIRST */
            return c->nulls_first ? -r : r;
        }
        r = codec_sql_cmp(c->type, a[i].d, b[i].d);
        if (r != 0)
            return c->desc ? -r : r;
    }
    return 0;
}

static int
qsort_cmp(const void *x, const void *y)
{
    return tuple_cmp(sort_spec, (*(Tuple *const *)x)->v, (*(Tuple *const *)y)->v);
}

static int
key_cmp(const Buf *a, size_t alen, const Buf *b, size_t blen)
{
    size_t n = alen < blen ? alen : blen;
    int r = n ? memcmp(a->data, b->data, n) : 0;

    return r != 0 ? sign(r) : (alen > blen) - (alen < blen);
}

static const char *
show_tuple(const KeySpec *spec, const Value *v)
{
    char *s = "";

    for (int i = 0; i < spec->ncols; i++)
        s = arena_sprintf(A, "%s%s%s", s, i ? ", " : "",
                          v[i].isnull ? "NULL" : codec_show(spec->cols[i].type, v[i].d, A));
    return s;
}

static void
check_pair(const KeySpec *spec, const Tuple *x, const Tuple *y)
{
    int want = tuple_cmp(spec, x->v, y->v);
    int got = key_cmp(&x->key, x->order, &y->key, y->order);

    if (got != sign(want))
        ck_abort_msg("type %u desc %d nf %d: (%s) vs (%s): sql %d, key %d", spec->cols[0].type,
                     spec->cols[0].desc, spec->cols[0].nulls_first, show_tuple(spec, x->v),
                     show_tuple(spec, y->v), want, got);
    /* whole exact keys agree too when the order parts differ */
    if (want != 0 && key_cmp(&x->key, x->key.len, &y->key, y->key.len) != sign(want))
        ck_abort_msg("whole keys disagree: (%s) vs (%s)", show_tuple(spec, x->v),
                     show_tuple(spec, y->v));
}

/* Generates n tuples, encodes, sorts by SQL and checks adjacent and random pairs. */
static void
check_order(Rng *r, const KeySpec *spec, int n, Datum (*gen)(Rng *, Oid, int, Arena *))
{
    Tuple *t = calloc((size_t)n, sizeof *t), **s = calloc((size_t)n, sizeof *s);
    Err e;

    ck_assert(t != NULL && s != NULL);
    for (int i = 0; i < n; i++) {
        for (int c = 0; c < spec->ncols; c++) {
            t[i].v[c].isnull = rng_below(r, 10) == 0;
            if (!t[i].v[c].isnull)
                t[i].v[c].d = gen(r, spec->cols[c].type, c, A);
        }
        buf_init(&t[i].key, 1 << 20);
        err_clear(&e);
        if (keycodec_encode(spec, t[i].v, &t[i].key, &t[i].order, &e) != 0)
            ck_abort_msg("encode: %s", e.message);
        s[i] = &t[i];
    }
    sort_spec = spec;
    qsort(s, (size_t)n, sizeof *s, qsort_cmp);
    for (int i = 0; i + 1 < n; i++)
        check_pair(spec, s[i], s[i + 1]);
    for (int k = 0; k < n; k++)
        check_pair(spec, s[rng_below(r, (uint64_t)n)], s[rng_below(r, (uint64_t)n)]);
    for (int i = 0; i < n; i++)
        buf_free(&t[i].key);
    free(s);
    free(t);
}

static Datum
gen_any(Rng *r, Oid t, int col, Arena *a)
{
    (void)col;
    return codec_gen(r, t, a);
}

START_TEST(test_single_column_order)
{
    Rng r;

    rng_seed(&r, 1234);
    for (int ti = 0; ti < codec_ntypes; ti++) {
        for (int variant = 0; variant < 4; variant++) {
            KeyColumn col = {codec_types[ti], variant & 1, (variant & 2) != 0};
            KeySpec spec = {&col, 1, true};

            check_order(&r, &spec, 400, gen_any);
        }
    }
}
END_TEST

/* Multi-column tuples drawn from small per-column pools, so leading columns tie often. */
static Datum pool[NCOL_MAX][8];

static Datum
gen_pool(Rng *r, Oid t, int col, Arena *a)
{
    (void)t, (void)a;
    return pool[col][rng_below(r, 8)];
}

START_TEST(test_multi_column_order)
{
    Rng r;

    rng_seed(&r, 99);
    for (int round = 0; round < 60; round++) {
        KeyColumn cols[NCOL_MAX];
        KeySpec spec = {cols, NCOL_MAX, true};

        for (int c = 0; c < NCOL_MAX; c++) {
            /* text-like leading columns half of the time: prefixes must not leak */
            cols[c].type = c < 2 && rng_below(&r, 2)
                               ? TYPE_TEXT
                               : codec_types[rng_below(&r, (uint64_t)codec_ntypes)];
            cols[c].desc = rng_below(&r, 2);
            cols[c].nulls_first = rng_below(&r, 2);
            for (int k = 0; k < 8; k++)
                pool[c][k] = codec_gen(&r, cols[c].type, A);
        }
        check_order(&r, &spec, 200, gen_pool);
    }
}
END_TEST

static void
encode1(const KeySpec *spec, const Value *v, Buf *b, size_t *order)
{
    Err e;

    err_clear(&e);
    buf_init(b, 1 << 20);
    ck_assert_int_eq(keycodec_encode(spec, v, b, order, &e), 0);
}

START_TEST(test_text_prefix_does_not_leak)
{
    KeyColumn cols[2] = {{TYPE_TEXT, false, false}, {TYPE_INT4, false, false}};
    KeySpec spec = {cols, 2, false};
    Value a[2] = {{datum_from_cstr(A, "a"), false}, {datum_from_int32(2), false}};
    Value b[2] = {{datum_from_cstr(A, "ab"), false}, {datum_from_int32(1), false}};
    Buf ka, kb;

    for (int desc = 0; desc < 2; desc++) {
        cols[0].desc = desc;
        encode1(&spec, a, &ka, NULL);
        encode1(&spec, b, &kb, NULL);
        ck_assert_int_eq(key_cmp(&ka, ka.len, &kb, kb.len), desc ? 1 : -1);
        buf_free(&ka);
        buf_free(&kb);
    }
    /* bytea with 0x00: "a" < "a\0" < "a\1" */
    cols[0].type = TYPE_BYTEA;
    cols[0].desc = false;
    {
        Value x[2] = {{datum_from_text(A, "a", 1), false}, {datum_from_int32(9), false}};
        Value y[2] = {{datum_from_text(A, "a\0", 2), false}, {datum_from_int32(0), false}};
        Value z[2] = {{datum_from_text(A, "a\1", 2), false}, {datum_from_int32(0), false}};
        Buf kx, ky, kz;

        encode1(&spec, x, &kx, NULL);
        encode1(&spec, y, &ky, NULL);
        encode1(&spec, z, &kz, NULL);
        ck_assert_int_lt(key_cmp(&kx, kx.len, &ky, ky.len), 0);
        ck_assert_int_lt(key_cmp(&ky, ky.len, &kz, kz.len), 0);
        buf_free(&kx);
        buf_free(&ky);
        buf_free(&kz);
    }
}
END_TEST

START_TEST(test_roundtrip)
{
    Rng r;
    Err e;

    rng_seed(&r, 7);
    for (int ti = 0; ti < codec_ntypes; ti++) {
        for (int i = 0; i < 200; i++) {
            KeyColumn col = {codec_types[ti], i & 1, (i & 2) != 0};
            KeySpec spec = {&col, 1, true};
            Value v = {codec_gen(&r, col.type, A), i % 17 == 0}, out;
            Buf b;
            size_t order;

            encode1(&spec, &v, &b, &order);
            err_clear(&e);
            ck_assert_int_eq(keycodec_decode(&spec, b.data, b.len, A, &out, &e), 0);
            ck_assert_int_eq(out.isnull, v.isnull);
            if (!v.isnull)
                ck_assert_msg(codec_identical(col.type, v.d, out.d), "%s: %s came back as %s",
                              type_sql_name(col.type), codec_show(col.type, v.d, A),
                              codec_show(col.type, out.d, A));
            /* the order part alone decodes to an SQL-equal value */
            spec.exact = false;
            err_clear(&e);
            if (keycodec_decode(&spec, b.data, order, A, &out, &e) != 0) {
                /* only an interval whose span has more months than int32 holds */
                ck_assert_int_eq(col.type, TYPE_INTERVAL);
                ck_assert_str_eq(e.sqlstate, ERRCODE_DATETIME_FIELD_OVERFLOW);
            } else if (!v.isnull)
                ck_assert_msg(codec_sql_cmp(col.type, v.d, out.d) == 0, "%s: %s vs %s",
                              type_sql_name(col.type), codec_show(col.type, v.d, A),
                              codec_show(col.type, out.d, A));
            buf_free(&b);
        }
    }
}
END_TEST

START_TEST(test_canonical_decoding)
{
    static const char *const cases[][2] = {
        {"1.00", "1"},    {"-0.0", "0"},         {"12.3400", "12.34"}, {"0.00010", "0.0001"},
        {"100.0", "100"}, {"-1e-5", "-0.00001"}, {"NaN", "NaN"},       {"-Infinity", "-Infinity"}};
    KeyColumn col = {TYPE_NUMERIC, false, false};
    KeySpec spec = {&col, 1, false};
    const TypeInfo *t = type_by_oid(TYPE_NUMERIC);
    Err e;

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        Value v = {0, false}, out;
        Buf b;

        err_clear(&e);
        ck_assert_int_eq(t->in(cases[i][0], strlen(cases[i][0]), -1, &type_io_default, A, &v.d, &e),
                         0);
        encode1(&spec, &v, &b, NULL);
        ck_assert_int_eq(keycodec_decode(&spec, b.data, b.len, A, &out, &e), 0);
        ck_assert_str_eq(codec_show(TYPE_NUMERIC, out.d, A), cases[i][1]);
        buf_free(&b);
        /* exact keys keep the display scale */
        spec.exact = true;
        encode1(&spec, &v, &b, NULL);
        ck_assert_int_eq(keycodec_decode(&spec, b.data, b.len, A, &out, &e), 0);
        ck_assert_str_eq(codec_show(TYPE_NUMERIC, out.d, A), codec_show(TYPE_NUMERIC, v.d, A));
        buf_free(&b);
        spec.exact = false;
    }
}
END_TEST

START_TEST(test_known_bytes)
{
    KeyColumn col = {TYPE_INT4, false, false};
    KeySpec spec = {&col, 1, false};
    Value v = {datum_from_int32(1), false};
    Buf b;

    encode1(&spec, &v, &b, NULL);
    ck_assert_int_eq(b.len, 5);
    ck_assert_mem_eq(b.data, "\x01\x80\x00\x00\x01", 5);
    buf_free(&b);
    v.isnull = true;
    encode1(&spec, &v, &b, NULL);
    ck_assert_int_eq(b.len, 1);
    ck_assert_int_eq(b.data[0], 0x02); /* NULLS LAST */
    buf_free(&b);
    col.type = TYPE_TEXT;
    col.desc = true;
    v = (Value){datum_from_cstr(A, "ab"), false};
    encode1(&spec, &v, &b, NULL);
    ck_assert_int_eq(b.len, 5);
    ck_assert_mem_eq(b.data, "\x01\x9e\x9d\xff\xfe", 5);
    buf_free(&b);
}
END_TEST

START_TEST(test_prefix_scan)
{
    KeyColumn cols[2] = {{TYPE_TEXT, false, false}, {TYPE_INT8, false, false}};
    Rng r;
    Err e;

    rng_seed(&r, 5);
    for (int round = 0; round < 100; round++) {
        KeySpec spec = {cols, 2, true};
        Value p[2] = {{codec_gen(&r, TYPE_TEXT, A), false}, {0, true}};
        Buf lo, hi;
        bool bounded;

        cols[0].desc = rng_below(&r, 2);
        buf_init(&lo, 1024);
        buf_init(&hi, 1024);
        err_clear(&e);
        ck_assert_int_eq(keycodec_encode_prefix(&spec, 1, p, &lo, &e), 0);
        buf_append(&hi, lo.data, lo.len);
        bounded = keycodec_prefix_successor(&hi);
        for (int k = 0; k < 30; k++) {
            Value v[2] = {{codec_gen(&r, TYPE_TEXT, A), false},
                          {codec_gen(&r, TYPE_INT8, A), rng_below(&r, 5) == 0}};
            int c = codec_sql_cmp(TYPE_TEXT, v[0].d, p[0].d) * (cols[0].desc ? -1 : 1);
            Buf key;

            encode1(&spec, v, &key, NULL);
            if (c == 0) {
                ck_assert(key.len >= lo.len && memcmp(key.data, lo.data, lo.len) == 0);
                ck_assert(!bounded || key_cmp(&key, key.len, &hi, hi.len) < 0);
            } else if (c < 0) {
                ck_assert_int_lt(key_cmp(&key, key.len, &lo, lo.len), 0);
            } else {
                ck_assert(bounded && key_cmp(&key, key.len, &hi, hi.len) >= 0);
            }
            buf_free(&key);
        }
        buf_free(&lo);
        buf_free(&hi);
    }
    {
        Buf ff;

        buf_init(&ff, 16);
        buf_put_u16(&ff, 0xFFFF);
        ck_assert(!keycodec_prefix_successor(&ff));
        buf_free(&ff);
    }
}
END_TEST

START_TEST(test_malformed)
{
    Rng r;
    Err e;

    rng_seed(&r, 11);
    for (int ti = 0; ti < codec_ntypes; ti++) {
        KeyColumn cols[2] = {{codec_types[ti], false, true}, {TYPE_INT4, true, false}};
        KeySpec spec = {cols, 2, true};

        for (int i = 0; i < 25; i++) {
            Value v[2] = {{codec_gen(&r, cols[0].type, A), false}, {datum_from_int32(i), false}},
                  out[2];
            Buf b;
            uint8_t junk[24];

            cols[0].desc = i & 1;
            encode1(&spec, v, &b, NULL);
            /* every strict prefix and every extension is rejected */
            for (size_t n = 0; n < b.len; n++) {
                err_clear(&e);
                ck_assert_int_eq(keycodec_decode(&spec, b.data, n, A, out, &e), -1);
                ck_assert_str_eq(e.sqlstate, ERRCODE_DATA_CORRUPTED);
            }
            buf_put_u8(&b, 0);
            ck_assert_int_eq(keycodec_decode(&spec, b.data, b.len, A, out, &e), -1);
            buf_free(&b);
            /* random bytes: either a key or XX001, never a crash */
            for (size_t k = 0; k < sizeof junk; k++)
                junk[k] = (uint8_t)(rng_below(&r, 3) ? rng_below(&r, 3) : rng_next(&r));
            err_clear(&e);
            if (keycodec_decode(&spec, junk, rng_below(&r, sizeof junk + 1), A, out, &e) != 0)
                ck_assert(strcmp(e.sqlstate, ERRCODE_DATA_CORRUPTED) == 0 ||
                          strcmp(e.sqlstate, ERRCODE_DATETIME_FIELD_OVERFLOW) == 0);
        }
    }
}
END_TEST

START_TEST(test_unsupported_type)
{
    KeyColumn col = {TYPE_RECORD, false, false};
    KeySpec spec = {&col, 1, false};
    Value v = {0, false};
    Buf b;
    Err e;

    ck_assert(!keycodec_type_supported(TYPE_RECORD));
    ck_assert(keycodec_type_supported(TYPE_NUMERIC));
    buf_init(&b, 64);
    err_clear(&e);
    ck_assert_int_eq(keycodec_encode(&spec, &v, &b, NULL, &e), -1);
    ck_assert_str_eq(e.sqlstate, ERRCODE_FEATURE_NOT_SUPPORTED);
    buf_free(&b);
}
END_TEST

static Suite *
keycodec_suite(void)
{
    Suite *su = suite_create("keycodec");
    TCase *tc = tcase_create("core");

    tcase_set_timeout(tc, 120);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_single_column_order);
    tcase_add_test(tc, test_multi_column_order);
    tcase_add_test(tc, test_text_prefix_does_not_leak);
    tcase_add_test(tc, test_roundtrip);
    tcase_add_test(tc, test_canonical_decoding);
    tcase_add_test(tc, test_known_bytes);
    tcase_add_test(tc, test_prefix_scan);
    tcase_add_test(tc, test_malformed);
    tcase_add_test(tc, test_unsupported_type);
    suite_add_tcase(su, tc);
    return su;
}

int
main(void)
{
    SRunner *sr = srunner_create(keycodec_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
