/*
 * tests/unit/sql/test_agg_state.c — Check suite for sql/agg_state.c: every
 * aggregate of the catalog (and min/max over every ordered type) is fed
 * generated values (NaN, ±Infinity, huge numerics, extremes included by
 * codec_gen), encoded, decoded into a fresh arena, and then both the
 * original and the decoded state keep receiving the same adds and retracts;
 * their results (or errors) and re-encodings must stay identical. Malformed
 * encodings (every strict prefix, trailing bytes, wrong version or kind)
 * must fail with XX001.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "codec_gen.h"
#include "common/buf.h"
#include "common/errcodes.h"
#include "sql/agg_int.h"
#include "sql/agg_state.h"
#include "sql/catalog.h"
#include "sql/func_float.h"
#include "sql/numeric.h"
#include "sql/plan.h"

#define MAXVALS 48

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

/* One aggregate under test: the call and a context over its own arena. */
typedef struct Agg {
    AggCall call;
    Oid types[AGG_MAX_ARGS];
    EvalCtx eval;
    AggCtx ctx;
} Agg;

static void
agg_setup(Agg *g, const FuncDef *f, const AggImpl *impl, Oid argtype, Arena *a)
{
    TypeOrder order;

    memset(g, 0, sizeof *g);
    g->call.impl = impl;
    g->call.def = f;
    g->call.nargs = f != NULL ? f->nargs : 1;
    g->call.argtype = argtype;
    g->call.rettype = f != NULL ? f->ret : argtype;
    g->types[0] = argtype;
    g->types[1] = TYPE_TEXT;
    if (argtype != TYPE_INVALID && plan_type_order(argtype, &order)) {
        g->call.arg_eq = order.eq;
        g->call.arg_lt = order.lt;
    }
    g->eval.arena = a;
    g->ctx.eval = &g->eval;
    g->ctx.argtype = argtype;
    g->ctx.arg_lt = g->call.arg_lt;
}

/* The argument type to feed: the declared one, or text for count("any"). */
static Oid
feed_type(const FuncDef *f)
{
    if (f->nargs == 0)
        return TYPE_INVALID;
    return f->args[0] == TYPE_ANY ? TYPE_TEXT : f->args[0];
}

static void
gen_args(Rng *r, const Agg *g, Value *args)
{
    args[0].isnull = false;
    args[0].d = g->call.argtype != TYPE_INVALID ? codec_gen(r, g->call.argtype, A) : 0;
    args[1].isnull = rng_below(r, 5) == 0; /* string_agg's delimiter may be NULL */
    args[1].d = args[1].isnull ? 0 : codec_gen(r, TYPE_TEXT, A);
}

/* Result (or error) of one state, as a comparable record. */
typedef struct Outcome {
    int rc;
    char sqlstate[6];
    bool isnull;
    Datum d;
} Outcome;

static Outcome
outcome(const Agg *g, const void *state)
{
    Outcome o;
    Err err;

    memset(&o, 0, sizeof o);
    err_clear(&err);
    o.rc = g->call.impl->result(state, (AggCtx *)&g->ctx, &o.d, &o.isnull, &err);
    if (o.rc != 0)
        memcpy(o.sqlstate, err.sqlstate, sizeof o.sqlstate);
    return o;
}

static void
assert_same(const Agg *g, const void *s1, const Agg *g2, const void *s2, const char *what)
{
    Outcome a = outcome(g, s1), b = outcome(g2, s2);
    Oid rt = g->call.rettype;

    ck_assert_msg(a.rc == b.rc, "%s %s: rc %d vs %d", g->call.impl->name, what, a.rc, b.rc);
    if (a.rc != 0) {
        ck_assert_str_eq(a.sqlstate, b.sqlstate);
        return;
    }
    ck_assert_msg(a.isnull == b.isnull, "%s %s: null %d vs %d", g->call.impl->name, what, a.isnull,
                  b.isnull);
    if (!a.isnull)
        ck_assert_msg(codec_identical(rt, a.d, b.d), "%s(%s) %s: %s vs %s", g->call.impl->name,
                      type_sql_name(g->call.argtype), what, codec_show(rt, a.d, A),
                      codec_show(rt, b.d, A));
}

static void
encode_ok(const Agg *g, const void *state, Buf *out)
{
    Err err;

    err_clear(&err);
    buf_reset(out);
    ck_assert_msg(agg_state_encode(&g->call, state, out, &err) == 0, "encode: %s", err.message);
}

/* Every strict prefix, one byte more, a wrong version and a wrong kind fail with XX001. */
static void
assert_rejects_damage(const Agg *g, const Buf *enc)
{
    uint8_t *p = malloc(enc->len + 1);
    void *st = malloc(g->call.impl->state_size);
    Err err;

    memcpy(p, enc->data, enc->len);
    p[enc->len] = 0;
    for (size_t n = 0; n <= enc->len + 1; n++) {
        if (n == enc->len)
            continue;
        err_clear(&err);
        ck_assert_msg(agg_state_decode(&g->call, p, n, A, st, &err) == -1,
                      "%s: %zu of %zu bytes accepted", g->call.impl->name, n, enc->len);
        ck_assert_str_eq(err.sqlstate, ERRCODE_DATA_CORRUPTED);
    }
    for (int i = 0; i < 2; i++) {
        p[i] ^= 0x40;
        err_clear(&err);
        ck_assert_int_eq(agg_state_decode(&g->call, p, enc->len, A, st, &err), -1);
        ck_assert_str_eq(err.sqlstate, ERRCODE_DATA_CORRUPTED);
        p[i] ^= 0x40;
    }
    free(st);
    free(p);
}

/* Adds (or retracts) args to a state; returns the rc and keeps the sqlstate. */
static int
step(const Agg *g, void *state, const Value *args, bool retract, char *sqlstate)
{
    Err err;
    int rc;

    err_clear(&err);
    if (retract)
        rc = g->call.impl->retract(state, args, (AggCtx *)&g->ctx, &err);
    else
        rc = g->call.impl->add(state, args, (AggCtx *)&g->ctx, &err);
    if (rc != 0)
        memcpy(sqlstate, err.sqlstate, 6);
    return rc;
}

/*
 * One round trip: n1 operations on s1, encode, decode into s2 (in its own arena, the
 * encoding then scribbled over), n2 more operations on both, compared after each.
 */
static void
round_trip(Rng *r, const FuncDef *f, const AggImpl *impl, Oid argtype)
{
    Arena *a2 = arena_create("decoded", 0);
    Agg g1, g2;
    void *s1 = arena_calloc(A, 1, impl->state_size), *s2 = arena_calloc(a2, 1, impl->state_size);
    Value vals[MAXVALS][AGG_MAX_ARGS];
    int nvals = 0, n1 = (int)rng_below(r, 3) == 0 ? 0 : (int)rng_below(r, MAXVALS / 2);
    int n2 = (int)rng_below(r, MAXVALS / 2);
    bool failed = false;
    Buf e1, e2;
    Err err;

    buf_init(&e1, BUF_DEFAULT_MAX);
    buf_init(&e2, BUF_DEFAULT_MAX);
    agg_setup(&g1, f, impl, argtype, A);
    agg_setup(&g2, f, impl, argtype, a2);
    impl->init(s1);
    for (int i = 0; i < n1 && !failed; i++) {
        char ss[6];
        bool retract = impl->retract != NULL && nvals > 0 && rng_below(r, 3) == 0;

        if (retract) {
            int k = (int)rng_below(r, (uint64_t)nvals);

            failed = step(&g1, s1, vals[k], true, ss) != 0;
            memmove(vals[k], vals[nvals - 1], sizeof vals[k]);
            nvals--;
        } else {
            gen_args(r, &g1, vals[nvals]);
            failed = step(&g1, s1, vals[nvals++], false, ss) != 0;
        }
    }
    if (failed) /* an add that failed (overflow) leaves no state to carry on with */
        goto done;
    encode_ok(&g1, s1, &e1);
    if (rng_below(r, 8) == 0)
        assert_rejects_damage(&g1, &e1);
    err_clear(&err);
    ck_assert_msg(agg_state_decode(&g2.call, e1.data, e1.len, a2, s2, &err) == 0, "decode: %s",
                  err.message);
    memset(e1.data, 0xAA, e1.len); /* nothing decoded may point into the input */
    assert_same(&g1, s1, &g2, s2, "after decode");
    for (int i = 0; i < n2; i++) {
        char ss1[6] = "", ss2[6] = "";
        bool retract = impl->retract != NULL && nvals > 0 && rng_below(r, 3) == 0;
        int k = retract ? (int)rng_below(r, (uint64_t)nvals) : nvals;
        int rc1, rc2;

        if (!retract)
            gen_args(r, &g1, vals[nvals++]);
        rc1 = step(&g1, s1, vals[k], retract, ss1);
        rc2 = step(&g2, s2, vals[k], retract, ss2);
        ck_assert_int_eq(rc1, rc2);
        if (rc1 != 0) {
            ck_assert_str_eq(ss1, ss2);
            goto done;
        }
        if (retract) {
            memmove(vals[k], vals[nvals - 1], sizeof vals[k]);
            nvals--;
        }
        assert_same(&g1, s1, &g2, s2, "after more input");
    }
    encode_ok(&g1, s1, &e1);
    encode_ok(&g2, s2, &e2);
    ck_assert_msg(e1.len == e2.len && memcmp(e1.data, e2.data, e1.len) == 0,
                  "%s(%s): re-encodings differ", impl->name, type_sql_name(argtype));
done:
    buf_free(&e1);
    buf_free(&e2);
    arena_destroy(a2);
}

START_TEST(test_every_catalog_aggregate)
{
    const CatalogPart *p = &catalog_part_agg;
    Rng r;

    rng_seed(&r, 21);
    for (int i = 0; i < p->nfuncs; i++) {
        const FuncDef *f = &p->funcs[i];
        const AggImpl *impl = agg_impl(f);

        ck_assert_ptr_nonnull(impl);
        ck_assert_msg(agg_state_supported(&(AggCall){.impl = impl}), "%s has no encoding", f->name);
        for (int t = 0; t < 60; t++) {
            round_trip(&r, f, impl, feed_type(f));
            arena_reset(A);
        }
    }
}
END_TEST

START_TEST(test_min_max_every_ordered_type)
{
    Rng r;

    rng_seed(&r, 2121);
    for (int i = 0; i < codec_ntypes; i++) {
        Oid t = codec_types[i];
        TypeOrder order;

        if (!plan_type_order(t, &order))
            continue;
        for (int k = 0; k < 40; k++) {
            round_trip(&r, NULL, k % 2 ? &agg_max : &agg_min, t);
            arena_reset(A);
        }
    }
}
END_TEST

static Datum
num(const char *s)
{
    Datum d;
    Err err;

    err_clear(&err);
    ck_assert_int_eq(numeric_in(s, strlen(s), -1, NULL, A, &d, &err), 0);
    return d;
}

/* Directed: NaN/Infinity counters, huge values in the numeric sums, int128 spills. */
START_TEST(test_numeric_accumulators)
{
    static const char *const inputs[] = {"1.5",
                                         "NaN",
                                         "Infinity",
                                         "-Infinity",
                                         "9.99e+1000",
                                         "-1e-500",
                                         "123456789012345678901234567890"};
    const AggImpl *impls[] = {&agg_sum_num, &agg_avg_num, &agg_var_pop_num, &agg_stddev_samp_num};
    Buf enc;

    buf_init(&enc, BUF_DEFAULT_MAX);
    for (size_t k = 0; k < sizeof impls / sizeof impls[0]; k++) {
        for (size_t start = 0; start < 7; start++) {
            Arena *a2 = arena_create("decoded", 0);
            Agg g1, g2;
            NumericAcc s1, s2;
            Err err;

            agg_setup(&g1, NULL, impls[k], TYPE_NUMERIC, A);
            agg_setup(&g2, NULL, impls[k], TYPE_NUMERIC, a2);
            g1.call.rettype = g2.call.rettype = TYPE_NUMERIC;
            impls[k]->init(&s1);
            for (size_t i = 0; i < start; i++) {
                Value v = {num(inputs[i]), false};

                ck_assert_int_eq(impls[k]->add(&s1, &v, &g1.ctx, &err), 0);
            }
            encode_ok(&g1, &s1, &enc);
            assert_rejects_damage(&g1, &enc);
            ck_assert_int_eq(agg_state_decode(&g2.call, enc.data, enc.len, a2, &s2, &err), 0);
            memset(enc.data, 0, enc.len);
            assert_same(&g1, &s1, &g2, &s2, "numeric");
            for (size_t i = start; i < 7; i++) {
                Value v = {num(inputs[i]), false};

                ck_assert_int_eq(impls[k]->add(&s1, &v, &g1.ctx, &err), 0);
                ck_assert_int_eq(impls[k]->add(&s2, &v, &g2.ctx, &err), 0);
                assert_same(&g1, &s1, &g2, &s2, "numeric, more");
            }
            arena_destroy(a2);
        }
    }
    buf_free(&enc);
}
END_TEST

START_TEST(test_int128_spill)
{
    Arena *a2 = arena_create("decoded", 0);
    Agg g1, g2;
    NumericAcc s1, s2;
    Value big = {datum_from_int64(INT64_MAX), false}, small = {datum_from_int64(-7), false};
    Buf enc;
    Err err;

    buf_init(&enc, BUF_DEFAULT_MAX);
    agg_setup(&g1, NULL, &agg_var_samp_int, TYPE_INT8, A);
    agg_setup(&g2, NULL, &agg_var_samp_int, TYPE_INT8, a2);
    g1.call.rettype = g2.call.rettype = TYPE_NUMERIC;
    agg_var_samp_int.init(&s1);
    /* squares of INT64_MAX overflow the 128-bit sum of squares: it spills into numeric */
    for (int i = 0; i < 5; i++)
        ck_assert_int_eq(agg_var_samp_int.add(&s1, &big, &g1.ctx, &err), 0);
    ck_assert(s1.sumsq != 0);
    encode_ok(&g1, &s1, &enc);
    ck_assert_int_eq(agg_state_decode(&g2.call, enc.data, enc.len, a2, &s2, &err), 0);
    assert_same(&g1, &s1, &g2, &s2, "spilled");
    ck_assert_int_eq(agg_var_samp_int.retract(&s1, &big, &g1.ctx, &err), 0);
    ck_assert_int_eq(agg_var_samp_int.retract(&s2, &big, &g2.ctx, &err), 0);
    ck_assert_int_eq(agg_var_samp_int.add(&s1, &small, &g1.ctx, &err), 0);
    ck_assert_int_eq(agg_var_samp_int.add(&s2, &small, &g2.ctx, &err), 0);
    assert_same(&g1, &s1, &g2, &s2, "spilled, retracted");
    buf_free(&enc);
    arena_destroy(a2);
}
END_TEST

/* Empty states are a few bytes; a count or a small integer sum under 8. */
START_TEST(test_compact)
{
    const CatalogPart *p = &catalog_part_agg;
    Buf enc;

    buf_init(&enc, BUF_DEFAULT_MAX);
    for (int i = 0; i < p->nfuncs; i++) {
        const AggImpl *impl = agg_impl(&p->funcs[i]);
        Agg g;
        uint8_t st[256];

        ck_assert_uint_le(impl->state_size, sizeof st);
        agg_setup(&g, &p->funcs[i], impl, feed_type(&p->funcs[i]), A);
        impl->init(st);
        encode_ok(&g, st, &enc);
        ck_assert_msg(enc.len <= 13, "empty %s: %zu bytes", impl->name, enc.len);
        assert_rejects_damage(&g, &enc);
    }
    {
        Agg g;
        CountState c = {1000};
        IntSumState s = {-5000, 3};

        agg_setup(&g, NULL, &agg_count_star, TYPE_INVALID, A);
        encode_ok(&g, &c, &enc);
        ck_assert_uint_eq(enc.len, 4);
        agg_setup(&g, NULL, &agg_sum_int, TYPE_INT4, A);
        encode_ok(&g, &s, &enc);
        ck_assert_uint_lt(enc.len, 8);
    }
    buf_free(&enc);
}
END_TEST

/* Float states keep their bits: -0, NaN and the infinities. */
START_TEST(test_float_bits)
{
    const double specials[] = {
        -0.0, 0.0, 1e308, -1e-320, __builtin_inf(), -__builtin_inf(), __builtin_nan("")};
    Buf enc;

    buf_init(&enc, BUF_DEFAULT_MAX);
    for (size_t i = 0; i < sizeof specials / sizeof specials[0]; i++) {
        Agg g;
        FloatSumState s = {specials[i], true}, d;
        FloatAccState fa = {3.0, specials[i], -0.0}, fd;
        Float4SumState s4 = {(float)specials[i], true}, d4;
        Err err;

        agg_setup(&g, NULL, &agg_sum_float8, TYPE_FLOAT8, A);
        encode_ok(&g, &s, &enc);
        ck_assert_int_eq(agg_state_decode(&g.call, enc.data, enc.len, A, &d, &err), 0);
        ck_assert(memcmp(&s.sum, &d.sum, sizeof d.sum) == 0 && d.any);
        agg_setup(&g, NULL, &agg_var_pop_float8, TYPE_FLOAT8, A);
        encode_ok(&g, &fa, &enc);
        ck_assert_int_eq(agg_state_decode(&g.call, enc.data, enc.len, A, &fd, &err), 0);
        ck_assert(memcmp(&fa, &fd, sizeof fd) == 0);
        agg_setup(&g, NULL, &agg_sum_float4, TYPE_FLOAT4, A);
        encode_ok(&g, &s4, &enc);
        ck_assert_int_eq(agg_state_decode(&g.call, enc.data, enc.len, A, &d4, &err), 0);
        ck_assert(memcmp(&s4.sum, &d4.sum, sizeof d4.sum) == 0 && d4.any);
    }
    buf_free(&enc);
}
END_TEST

/* A state of one kind does not decode as another; damaged numerics are refused. */
START_TEST(test_rejects_mismatch)
{
    Agg count, minmax;
    CountState c = {5};
    MinMaxState m;
    Buf enc;
    Err err;
    uint8_t bad_numeric[] = {AGG_STATE_VERSION, 7, 1, 10, 0, 0, 0, 0, 0, 0, 1, 0, 0x10, 0x27};

    buf_init(&enc, BUF_DEFAULT_MAX);
    agg_setup(&count, NULL, &agg_count_star, TYPE_INVALID, A);
    agg_setup(&minmax, NULL, &agg_min, TYPE_NUMERIC, A);
    encode_ok(&count, &c, &enc);
    err_clear(&err);
    ck_assert_int_eq(agg_state_decode(&minmax.call, enc.data, enc.len, A, &m, &err), -1);
    ck_assert_str_eq(err.sqlstate, ERRCODE_DATA_CORRUPTED);
    /* ndigits 1 with the digit 10000: out of range for base 10000 */
    err_clear(&err);
    ck_assert_int_eq(agg_state_decode(&minmax.call, bad_numeric, sizeof bad_numeric, A, &m, &err),
                     -1);
    ck_assert_str_eq(err.sqlstate, ERRCODE_DATA_CORRUPTED);
    bad_numeric[12] = 0x0f; /* 9999: a valid digit, the same bytes now decode */
    err_clear(&err);
    ck_assert_msg(agg_state_decode(&minmax.call, bad_numeric, sizeof bad_numeric, A, &m, &err) == 0,
                  "%s", err.message);
    ck_assert(m.any);
    buf_free(&enc);
}
END_TEST

/* Framed states one after another: each reads back and stops at its own end. */
START_TEST(test_framed)
{
    Agg g[3];
    StringAggState sa;
    CountState c = {123456789}, c2;
    BoolState b = {3, 0}, b2;
    StringAggState sa2;
    char text[300];
    Value args[2];
    Buf enc;
    Err err;
    const uint8_t *p, *end;

    memset(text, 'x', sizeof text - 1);
    text[sizeof text - 1] = '\0';
    buf_init(&enc, BUF_DEFAULT_MAX);
    agg_setup(&g[0], NULL, &agg_count_star, TYPE_INVALID, A);
    agg_setup(&g[1], NULL, &agg_string_agg, TYPE_TEXT, A);
    agg_setup(&g[2], NULL, &agg_bool_and, TYPE_BOOL, A);
    agg_string_agg.init(&sa);
    args[0] = (Value){datum_from_cstr(A, text), false}; /* a frame longer than 127 bytes */
    args[1] = (Value){datum_from_cstr(A, ","), false};
    for (int i = 0; i < 2; i++)
        ck_assert_int_eq(agg_string_agg.add(&sa, args, &g[1].ctx, &err), 0);
    ck_assert_int_eq(agg_state_encode_framed(&g[0].call, &c, &enc, &err), 0);
    ck_assert_int_eq(agg_state_encode_framed(&g[1].call, &sa, &enc, &err), 0);
    ck_assert_int_eq(agg_state_encode_framed(&g[2].call, &b, &enc, &err), 0);
    p = enc.data;
    end = enc.data + enc.len;
    ck_assert_int_eq(agg_state_decode_framed(&g[0].call, &p, end, A, &c2, &err), 0);
    ck_assert_int_eq(agg_state_decode_framed(&g[1].call, &p, end, A, &sa2, &err), 0);
    ck_assert_int_eq(agg_state_decode_framed(&g[2].call, &p, end, A, &b2, &err), 0);
    ck_assert(p == end);
    ck_assert_int_eq(c2.n, c.n);
    ck_assert_uint_eq(sa2.len, 2 * strlen(text) + 1);
    ck_assert(memcmp(sa2.data, sa.data, sa.len) == 0);
    ck_assert_int_eq(b2.ntrue, 3);
    /* a frame cut short fails and does not move p */
    p = enc.data;
    err_clear(&err);
    ck_assert_int_eq(agg_state_decode_framed(&g[0].call, &p, enc.data + 3, A, &c2, &err), -1);
    ck_assert_str_eq(err.sqlstate, ERRCODE_DATA_CORRUPTED);
    ck_assert(p == enc.data);
    buf_free(&enc);
}
END_TEST

static Suite *
agg_state_suite(void)
{
    Suite *s = suite_create("agg_state");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_every_catalog_aggregate);
    tcase_add_test(tc, test_min_max_every_ordered_type);
    tcase_add_test(tc, test_numeric_accumulators);
    tcase_add_test(tc, test_int128_spill);
    tcase_add_test(tc, test_compact);
    tcase_add_test(tc, test_float_bits);
    tcase_add_test(tc, test_rejects_mismatch);
    tcase_add_test(tc, test_framed);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(agg_state_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
