/*
 * tests/unit/sql/codec_gen.c — value generators and SQL comparison for the
 * codec tests (see codec_gen.h). Values are built from text through the
 * types' own input functions where that is simplest, so they are what the
 * SQL layer produces (canonical numerics, and so on).
 */
#include "codec_gen.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sql/catalog.h"
#include "sql/datetime.h"
#include "sql/func_catalog.h"
#include "sql/func_float.h"

const Oid codec_types[] = {
    TYPE_BOOL,   TYPE_INT2,    TYPE_INT4,      TYPE_INT8,        TYPE_OID,      TYPE_FLOAT4,
    TYPE_FLOAT8, TYPE_NUMERIC, TYPE_TEXT,      TYPE_VARCHAR,     TYPE_BPCHAR,   TYPE_BYTEA,
    TYPE_DATE,   TYPE_TIME,    TYPE_TIMESTAMP, TYPE_TIMESTAMPTZ, TYPE_INTERVAL,
};
const int codec_ntypes = (int)(sizeof codec_types / sizeof codec_types[0]);

static Datum
from_text(Oid t, const char *s, Arena *a)
{
    const TypeInfo *ti = type_by_oid(t);
    Datum d = 0;
    Err e;

    err_clear(&e);
    ck_assert_msg(ti != NULL && ti->in != NULL, "type %u has no input", t);
    ck_assert_msg(ti->in(s, strlen(s), -1, &type_io_default, a, &d, &e) == 0, "%s: %s: %s",
                  ti->name, s, e.message);
    return d;
}

static bool
edge(Rng *r)
{
    return rng_below(r, 4) == 0;
}

static Datum
gen_string(Rng *r, Oid t, Arena *a)
{
    /* a small alphabet, so prefixes and ties are frequent; multi-byte UTF-8 included */
    static const char *const text_alpha[] = {"a", "b", "\x01", "~", " ", "\xc3\xa9", "\x7f", "A"};
    static const uint8_t bytea_alpha[] = {0x00, 0x01, 0x61, 0xFE, 0xFF, 0x20};
    char buf[64];
    size_t n = 0, len = rng_below(r, 7);

    if (t == TYPE_BYTEA) {
        for (size_t i = 0; i < len; i++)
            buf[n++] = (char)bytea_alpha[rng_below(r, sizeof bytea_alpha)];
        return datum_from_text(a, buf, n);
    }
    for (size_t i = 0; i < len; i++) {
        const char *p = text_alpha[rng_below(r, sizeof text_alpha / sizeof text_alpha[0])];

        memcpy(buf + n, p, strlen(p));
        n += strlen(p);
    }
    if (t == TYPE_BPCHAR) {
        for (size_t i = rng_below(r, 4); i > 0; i--)
            buf[n++] = ' ';
    }
    return datum_from_text(a, buf, n);
}

static Datum
gen_numeric(Rng *r, Arena *a)
{
    static const char *const edges[] = {"NaN",
                                        "Infinity",
                                        "-Infinity",
                                        "0",
                                        "0.000",
                                        "-0.0",
                                        "1",
                                        "1.0",
                                        "1.00",
                                        "-1",
                                        "0.0001",
                                        "0.00010",
                                        "9999",
                                        "10000",
                                        "10000.0000",
                                        "1e1000",
                                        "-1e1000",
                                        "1e-1000",
                                        "-1e-1000",
                                        "12345678901234567890.123456789",
                                        "99999999999999999999999999999999",
                                        "0.000000000000000000000000000001",
                                        "100000000"};
    char buf[256];
    size_t n = 0, ni, nf;

    if (edge(r))
        return from_text(TYPE_NUMERIC, edges[rng_below(r, sizeof edges / sizeof edges[0])], a);
    if (rng_below(r, 2))
        buf[n++] = '-';
    ni = rng_below(r, 12);
    nf = rng_below(r, 12);
    for (size_t i = 0; i < ni; i++)
        buf[n++] = (char)('0' + rng_below(r, i == 0 ? 3 : 10)); /* leading zeros too */
    if (ni == 0)
        buf[n++] = '0';
    if (nf > 0) {
        buf[n++] = '.';
        for (size_t i = 0; i < nf; i++)
            buf[n++] = (char)('0' + (rng_below(r, 3) == 0 ? 0 : rng_below(r, 10)));
    }
    if (rng_below(r, 5) == 0)
        n += (size_t)snprintf(buf + n, sizeof buf - n, "e%d", (int)rng_below(r, 401) - 200);
    buf[n] = '\0';
    return from_text(TYPE_NUMERIC, buf, a);
}

static Datum
gen_float8(Rng *r)
{
    static const double edges[] = {0.0,    -0.0,     1.0,       -1.0, 1e-310, -1e-310, 1e308,
                                   -1e308, INFINITY, -INFINITY, NAN,  -NAN,   0.5,     2.0};
    double v;
    uint64_t bits;

    if (edge(r))
        return datum_from_float8(edges[rng_below(r, sizeof edges / sizeof edges[0])]);
    if (rng_below(r, 2)) {
        bits = rng_next(r);
        memcpy(&v, &bits, sizeof v);
    } else {
        v = (double)((int64_t)rng_below(r, 21) - 10) / 4; /* small values, many ties */
    }
    return datum_from_float8(v);
}

static Datum
gen_float4(Rng *r)
{
    static const float edges[] = {0.0f,  -0.0f,  1.0f,     -1.0f,     1e-40f, -1e-40f,
                                  3e38f, -3e38f, INFINITY, -INFINITY, NAN,    -NAN};
    float v;
    uint32_t bits;

    if (edge(r))
        return datum_from_float4(edges[rng_below(r, sizeof edges / sizeof edges[0])]);
    if (rng_below(r, 2)) {
        bits = (uint32_t)rng_next(r);
        memcpy(&v, &bits, sizeof v);
    } else {
        v = (float)((int64_t)rng_below(r, 21) - 10) / 4;
    }
    return datum_from_float4(v);
}

static int64_t
gen_int(Rng *r, int64_t min, int64_t max)
{
    int64_t edges[] = {min, max, 0, -1, 1, min + 1, max - 1};

    if (edge(r))
        return edges[rng_below(r, 7)];
    if (rng_below(r, 2))
        return (int64_t)rng_below(r, 41) - 20;
    return (int64_t)((uint64_t)min + rng_next(r) % ((uint64_t)max - (uint64_t)min));
}

static Datum
gen_interval(Rng *r, Arena *a)
{
    Interval iv;

    switch (rng_below(r, 5)) {
    case 0: /* the same span spelled three ways */
        iv.month = (int32_t)rng_below(r, 3) - 1;
        iv.day = 0;
        iv.time = 0;
        if (rng_below(r, 2)) {
            iv.day = iv.month * 30;
            iv.month = 0;
        }
        if (rng_below(r, 2)) {
            iv.time = (int64_t)iv.day * USECS_PER_DAY;
            iv.day = 0;
        }
        break;
    case 1:
        iv.month = rng_below(r, 2) ? INT32_MAX : INT32_MIN;
        iv.day = rng_below(r, 2) ? INT32_MAX : INT32_MIN;
        iv.time = rng_below(r, 2) ? INT64_MAX : INT64_MIN;
        break;
    default:
        iv.month = (int32_t)rng_below(r, 2001) - 1000;
        iv.day = (int32_t)rng_below(r, 2001) - 1000;
        iv.time = (int64_t)(rng_next(r) % (2 * (uint64_t)USECS_PER_DAY * 40)) - USECS_PER_DAY * 40;
        break;
    }
    return interval_datum(a, &iv);
}

Datum
codec_gen(Rng *r, Oid t, Arena *a)
{
    switch (t) {
    case TYPE_BOOL:
        return datum_from_bool(rng_below(r, 2));
    case TYPE_INT2:
        return datum_from_int16((int16_t)gen_int(r, INT16_MIN, INT16_MAX));
    case TYPE_INT4:
        return datum_from_int32((int32_t)gen_int(r, INT32_MIN, INT32_MAX));
    case TYPE_INT8:
        return datum_from_int64(gen_int(r, INT64_MIN, INT64_MAX));
    case TYPE_OID:
        return datum_from_oid((Oid)gen_int(r, 0, UINT32_MAX));
    case TYPE_FLOAT4:
        return gen_float4(r);
    case TYPE_FLOAT8:
        return gen_float8(r);
    case TYPE_NUMERIC:
        return gen_numeric(r, a);
    case TYPE_TEXT:
    case TYPE_VARCHAR:
    case TYPE_BPCHAR:
    case TYPE_BYTEA:
        return gen_string(r, t, a);
    case TYPE_DATE:
        return datum_from_int32((int32_t)gen_int(r, INT32_MIN, INT32_MAX));
    case TYPE_TIME:
        return datum_from_int64((int64_t)rng_below(r, (uint64_t)USECS_PER_DAY + 1));
    case TYPE_TIMESTAMP:
    case TYPE_TIMESTAMPTZ:
        return datum_from_int64(gen_int(r, INT64_MIN, INT64_MAX));
    case TYPE_INTERVAL:
        return gen_interval(r, a);
    default:
        ck_abort_msg("no generator for type %u", t);
        return 0;
    }
}

static Arena *scratch;

void
codec_gen_set_arena(Arena *a)
{
    scratch = a;
}

static BuiltinFn
find_op(const char *name, Oid t)
{
    const OperDef *o;
    int pos = 0;

    if (t == TYPE_VARCHAR)
        t = TYPE_TEXT; /* varchar compares with text's operators, as in PostgreSQL */
    while ((o = catalog_next_oper(name, &pos)) != NULL) {
        if (o->left == t && o->right == t)
            return o->fn;
    }
    ck_abort_msg("no operator %s for type %u", name, t);
    return NULL;
}

static bool
call_op(BuiltinFn fn, Oid t, Datum x, Datum y)
{
    EvalCtx ctx;
    Datum args[2] = {x, y}, res = 0;
    bool nulls[2] = {false, false}, isnull = false;
    Oid types[2] = {t, t};
    FnCall call = {&ctx, 2, args, nulls, types};
    Err e;

    memset(&ctx, 0, sizeof ctx);
    ctx.arena = scratch;
    ctx.io = &type_io_default;
    err_clear(&e);
    /* plain ifs on hot paths: every ck_assert records a checkpoint through a pipe */
    if (fn(&call, &res, &isnull, &e) != 0)
        ck_abort_msg("comparison failed: %s", e.message);
    return datum_get_bool(res);
}

int
codec_sql_cmp(Oid t, Datum x, Datum y)
{
    /* the operators of the last few types, so the catalog is not scanned per comparison */
    static struct {
        Oid type;
        BuiltinFn lt, eq;
    } cache[32];
    int i;

    for (i = 0; i < 32 && cache[i].type != t && cache[i].type != TYPE_INVALID; i++)
        ;
    if (i == 32)
        ck_abort_msg("too many types");
    if (cache[i].type == TYPE_INVALID) {
        cache[i].lt = find_op("<", t);
        cache[i].eq = find_op("=", t);
        cache[i].type = t;
    }
    if (call_op(cache[i].lt, t, x, y))
        return -1;
    return call_op(cache[i].eq, t, x, y) ? 0 : 1;
}

bool
codec_identical(Oid t, Datum x, Datum y)
{
    const TypeInfo *ti = type_by_oid(t);
    const VarData *a, *b;

    if (t == TYPE_FLOAT8 && isnan(datum_get_float8(x)))
        return isnan(datum_get_float8(y));
    if (t == TYPE_FLOAT4 && isnan(datum_get_float4(x)))
        return isnan(datum_get_float4(y));
    if (ti->byval)
        return x == y;
    a = datum_get_var(x);
    b = datum_get_var(y);
    return a->len == b->len && memcmp(a->data, b->data, a->len) == 0 && b->data[b->len] == '\0';
}

const char *
codec_show(Oid t, Datum d, Arena *a)
{
    return type_output_cstr(type_by_oid(t), d, -1, &type_io_default, a);
}
