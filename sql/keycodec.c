/*
 * sql/keycodec.c — memcomparable key encoding and decoding (sql/keycodec.h;
 * byte formats in docs/codecs.md).
 *
 * Each column is [marker][value] in the order part: marker 0x00 = NULL when
 * NULLS FIRST, 0x02 = NULL when NULLS LAST, 0x01 = a value follows. The
 * value bytes (never the marker) are inverted for DESC. Value encodings:
 *
 *   bool                    1 byte 0/1
 *   int2/int4/int8, date,   big-endian two's complement with the sign bit
 *   time, timestamp(tz)     flipped (±infinity are the extreme integers)
 *   oid, regtype            4 bytes big-endian unsigned
 *   float4/float8           IEEE bits; negatives inverted, positives with the
 *                           sign bit set; -0 → +0; every NaN → all 0xFF
 *   numeric                 tag (1 -Inf, 2 negative, 3 zero, 4 positive,
 *                           5 +Inf, 6 NaN); for ±: weight (2 bytes, sign
 *                           flipped), base-10000 digits as digit+1 (2 bytes),
 *                           0x0000 terminator — all inverted when negative
 *   text, varchar, name,    bytes with 0x00 escaped as 00 FF, then 00 01
 *   bytea, bpchar           (bpchar without its trailing blanks)
 *   interval                the 128-bit span (months as 30 days, days as
 *                           24 h), big-endian, sign bit flipped
 *
 * Trailer (exact keys), per non-null column in order: float → 1 byte
 * (1 = negative zero); numeric → dscale (2 bytes); bpchar → trailing blank
 * count (4 bytes); interval → time (8), day (4), month (4).
 *
 * Invariants:
 *   1. Every value encoding is prefix-free and order-preserving, so
 *      concatenation and byte inversion preserve order (see keycodec.h).
 *   2. The decoder never reads past len and rejects anything the encoder
 *      cannot produce (XX001), so a corrupt key cannot crash a reader.
 */
#include "sql/keycodec.h"

#include <math.h>
#include <string.h>

#include "sql/datetime.h"
#include "sql/func_catalog.h"
#include "sql/func_float.h"
#include "sql/numeric.h"

enum { MARK_NULL_FIRST = 0x00, MARK_VALUE = 0x01, MARK_NULL_LAST = 0x02 };
enum { NUM_NINF = 1, NUM_NEG = 2, NUM_ZERO = 3, NUM_POS = 4, NUM_PINF = 5, NUM_NAN = 6 };

#define MONTH_US ((__int128)DAYS_PER_MONTH * USECS_PER_DAY)

typedef enum KeyKind {
    KK_NONE,
    KK_BOOL,
    KK_INT2,
    KK_INT4, /* int4, date */
    KK_INT8, /* int8, time, timestamp, timestamptz */
    KK_OID,
    KK_FLOAT4,
    KK_FLOAT8,
    KK_NUMERIC,
    KK_TEXT, /* text, varchar, name, unknown, bytea */
    KK_BPCHAR,
    KK_INTERVAL,
} KeyKind;

static KeyKind
kind_of(Oid type)
{
    switch (type) {
    case TYPE_BOOL:
        return KK_BOOL;
    case TYPE_INT2:
        return KK_INT2;
    case TYPE_INT4:
    case TYPE_DATE:
        return KK_INT4;
    case TYPE_INT8:
    case TYPE_TIME:
    case TYPE_TIMESTAMP:
    case TYPE_TIMESTAMPTZ:
        return KK_INT8;
    case TYPE_OID:
    case TYPE_REGTYPE:
        return KK_OID;
    case TYPE_FLOAT4:
        return KK_FLOAT4;
    case TYPE_FLOAT8:
        return KK_FLOAT8;
    case TYPE_NUMERIC:
        return KK_NUMERIC;
    case TYPE_TEXT:
    case TYPE_VARCHAR:
    case TYPE_NAME:
    case TYPE_UNKNOWN:
    case TYPE_BYTEA:
        return KK_TEXT;
    case TYPE_BPCHAR:
        return KK_BPCHAR;
    case TYPE_INTERVAL:
        return KK_INTERVAL;
    default:
        return KK_NONE;
    }
}

bool
keycodec_type_supported(Oid type)
{
    return kind_of(type) != KK_NONE;
}

/* ---- encoding ---------------------------------------------------------------- */

static void
put_be(Buf *out, uint64_t v, int nbytes)
{
    uint8_t b[8];

    for (int i = 0; i < nbytes; i++)
        b[i] = (uint8_t)(v >> (8 * (nbytes - 1 - i)));
    buf_append(out, b, (size_t)nbytes);
}

static uint64_t
float8_order_bits(double v)
{
    uint64_t bits;

    if (isnan(v))
        return UINT64_MAX;
    if (v == 0)
        v = 0; /* -0 → +0 */
    memcpy(&bits, &v, sizeof bits);
    return (bits & (UINT64_C(1) << 63)) ? ~bits : bits | (UINT64_C(1) << 63);
}

static uint32_t
float4_order_bits(float v)
{
    uint32_t bits;

    if (isnan(v))
        return UINT32_MAX;
    if (v == 0)
        v = 0;
    memcpy(&bits, &v, sizeof bits);
    return (bits & (UINT32_C(1) << 31)) ? ~bits : bits | (UINT32_C(1) << 31);
}

static void
put_escaped(Buf *out, const uint8_t *p, size_t n)
{
    size_t start = 0;

    for (size_t i = 0; i < n; i++) {
        if (p[i] == 0) {
            buf_append(out, p + start, i - start);
            buf_put_u8(out, 0x00);
            buf_put_u8(out, 0xFF);
            start = i + 1;
        }
    }
    buf_append(out, p + start, n - start);
    buf_put_u8(out, 0x00);
    buf_put_u8(out, 0x01);
}

static size_t
bpchar_trimmed(const VarData *v)
{
    size_t n = v->len;

    while (n > 0 && v->data[n - 1] == ' ')
        n--;
    return n;
}

static void
put_numeric(Buf *out, Datum d)
{
    const NumericHdr *h = numeric_hdr(d);
    const int16_t *dig = numeric_digits(d);
    size_t start;
    uint8_t tag;

    switch (h->sign) {
    case NUMERIC_NAN:
        buf_put_u8(out, NUM_NAN);
        return;
    case NUMERIC_PINF:
        buf_put_u8(out, NUM_PINF);
        return;
    case NUMERIC_NINF:
        buf_put_u8(out, NUM_NINF);
        return;
    default:
        break;
    }
    if (h->ndigits == 0) {
        buf_put_u8(out, NUM_ZERO);
        return;
    }
    tag = h->sign == NUMERIC_NEG ? NUM_NEG : NUM_POS;
    buf_put_u8(out, tag);
    start = out->len;
    put_be(out, (uint16_t)h->weight ^ 0x8000u, 2);
    for (int i = 0; i < h->ndigits; i++)
        put_be(out, (uint16_t)(dig[i] + 1), 2);
    put_be(out, 0, 2);
    if (tag == NUM_NEG && !out->failed) {
        for (size_t i = start; i < out->len; i++)
            out->data[i] = (uint8_t)~out->data[i];
    }
}

static __int128
interval_span_of(const Interval *iv)
{
    return (__int128)iv->month * MONTH_US + (__int128)iv->day * USECS_PER_DAY + iv->time;
}

static void
put_value(Buf *out, KeyKind k, Datum d)
{
    const VarData *v;
    Interval iv;
    unsigned __int128 span;

    switch (k) {
    case KK_BOOL:
        buf_put_u8(out, datum_get_bool(d) ? 1 : 0);
        break;
    case KK_INT2:
        put_be(out, (uint16_t)datum_get_int16(d) ^ 0x8000u, 2);
        break;
    case KK_INT4:
        put_be(out, (uint32_t)datum_get_int32(d) ^ 0x80000000u, 4);
        break;
    case KK_INT8:
        put_be(out, (uint64_t)datum_get_int64(d) ^ (UINT64_C(1) << 63), 8);
        break;
    case KK_OID:
        put_be(out, datum_get_oid(d), 4);
        break;
    case KK_FLOAT4:
        put_be(out, float4_order_bits(datum_get_float4(d)), 4);
        break;
    case KK_FLOAT8:
        put_be(out, float8_order_bits(datum_get_float8(d)), 8);
        break;
    case KK_NUMERIC:
        put_numeric(out, d);
        break;
    case KK_TEXT:
        v = datum_get_var(d);
        put_escaped(out, (const uint8_t *)v->data, v->len);
        break;
    case KK_BPCHAR:
        v = datum_get_var(d);
        put_escaped(out, (const uint8_t *)v->data, bpchar_trimmed(v));
        break;
    case KK_INTERVAL:
        iv = interval_get(d);
        span = (unsigned __int128)interval_span_of(&iv) ^ ((unsigned __int128)1 << 127);
        put_be(out, (uint64_t)(span >> 64), 8);
        put_be(out, (uint64_t)span, 8);
        break;
    case KK_NONE:
        break;
    }
}

static void
put_trailer(Buf *out, KeyKind k, Datum d)
{
    Interval iv;

    switch (k) {
    case KK_FLOAT4:
        buf_put_u8(out, datum_get_float4(d) == 0 && signbit(datum_get_float4(d)) ? 1 : 0);
        break;
    case KK_FLOAT8:
        buf_put_u8(out, datum_get_float8(d) == 0 && signbit(datum_get_float8(d)) ? 1 : 0);
        break;
    case KK_NUMERIC:
        put_be(out, numeric_hdr(d)->dscale, 2);
        break;
    case KK_BPCHAR:
        put_be(out, datum_get_var(d)->len - bpchar_trimmed(datum_get_var(d)), 4);
        break;
    case KK_INTERVAL:
        iv = interval_get(d);
        put_be(out, (uint64_t)iv.time, 8);
        put_be(out, (uint32_t)iv.day, 4);
        put_be(out, (uint32_t)iv.month, 4);
        break;
    default:
        break;
    }
}

static int
encode_columns(const KeySpec *spec, int n, const Value *vals, Buf *out, Err *err)
{
    for (int i = 0; i < n; i++) {
        const KeyColumn *c = &spec->cols[i];
        KeyKind k = kind_of(c->type);
        size_t start;

        if (k == KK_NONE)
            return ERR_RAISE(err, ERRCODE_FEATURE_NOT_SUPPORTED, "type %s cannot be used in a key",
                             type_sql_name(c->type));
        if (vals[i].isnull) {
            buf_put_u8(out, c->nulls_first ? MARK_NULL_FIRST : MARK_NULL_LAST);
            continue;
        }
        buf_put_u8(out, MARK_VALUE);
        start = out->len;
        put_value(out, k, vals[i].d);
        if (c->desc && !out->failed) {
            for (size_t j = start; j < out->len; j++)
                out->data[j] = (uint8_t)~out->data[j];
        }
    }
    if (out->failed)
        return ERR_RAISE(err, ERRCODE_PROGRAM_LIMIT_EXCEEDED, "key is too long");
    return 0;
}

int
keycodec_encode(const KeySpec *spec, const Value *vals, Buf *out, size_t *order_len, Err *err)
{
    size_t base = out->len;

    if (encode_columns(spec, spec->ncols, vals, out, err) < 0)
        return -1;
    if (order_len != NULL)
        *order_len = out->len - base;
    if (!spec->exact)
        return 0;
    for (int i = 0; i < spec->ncols; i++) {
        if (!vals[i].isnull)
            put_trailer(out, kind_of(spec->cols[i].type), vals[i].d);
    }
    if (out->failed)
        return ERR_RAISE(err, ERRCODE_PROGRAM_LIMIT_EXCEEDED, "key is too long");
    return 0;
}

int
keycodec_encode_prefix(const KeySpec *spec, int n, const Value *vals, Buf *out, Err *err)
{
    return encode_columns(spec, n < spec->ncols ? n : spec->ncols, vals, out, err);
}

bool
keycodec_prefix_successor(Buf *prefix)
{
    while (prefix->len > 0 && prefix->data[prefix->len - 1] == 0xFF)
        prefix->len--;
    if (prefix->len == 0)
        return false;
    prefix->data[prefix->len - 1]++;
    return true;
}

/* ---- decoding ---------------------------------------------------------------- */

typedef struct Reader {
    const uint8_t *p;
    size_t len;
    size_t pos;
    uint8_t inv; /* 0xFF while reading inverted bytes */
    bool bad;
} Reader;

static uint8_t
get_u8(Reader *r)
{
    if (r->pos >= r->len) {
        r->bad = true;
        return 0;
    }
    return r->p[r->pos++] ^ r->inv;
}

static uint64_t
get_be(Reader *r, int nbytes)
{
    uint64_t v = 0;

    for (int i = 0; i < nbytes; i++)
        v = v << 8 | get_u8(r);
    return v;
}

/* Reads an escaped string: first pass measures, second copies into a VarData of a. */
static Datum
get_escaped(Reader *r, Arena *a, size_t *outlen)
{
    size_t save = r->pos, n = 0;
    VarData *v;

    for (;;) {
        uint8_t b = get_u8(r);

        if (r->bad)
            return 0;
        if (b != 0) {
            n++;
            continue;
        }
        b = get_u8(r);
        if (b == 0x01)
            break;
        if (b != 0xFF) {
            r->bad = true;
            return 0;
        }
        n++;
    }
    v = arena_alloc(a, sizeof(VarData) + n + 1);
    v->len = (uint32_t)n;
    r->pos = save;
    for (size_t i = 0; i < n; i++) {
        uint8_t b = get_u8(r);

        if (b == 0)
            b = (uint8_t)(get_u8(r) ^ 0xFF); /* 00 FF → 0x00 */
        v->data[i] = (char)b;
    }
    (void)get_be(r, 2);
    v->data[n] = '\0';
    *outlen = n;
    return datum_from_var(v);
}

static Datum
make_numeric(Arena *a, uint16_t sign, int16_t weight, uint16_t dscale, const int16_t *digits,
             int ndigits)
{
    size_t len = sizeof(NumericHdr) + (size_t)ndigits * sizeof(int16_t);
    VarData *v = arena_alloc(a, sizeof(VarData) + len + 1);
    NumericHdr h = {sign, weight, dscale, (uint16_t)ndigits};

    v->len = (uint32_t)len;
    memcpy(v->data, &h, sizeof h);
    if (ndigits > 0)
        memcpy(v->data + sizeof h, digits, (size_t)ndigits * sizeof(int16_t));
    v->data[len] = '\0';
    return datum_from_var(v);
}

/* The smallest display scale showing every digit. */
static uint16_t
canonical_dscale(int16_t weight, const int16_t *digits, int ndigits)
{
    int frac = ndigits - weight - 1, scale, last;

    if (ndigits == 0 || frac <= 0)
        return 0;
    scale = frac * NUMERIC_DEC_DIGITS;
    for (last = digits[ndigits - 1]; last % 10 == 0 && scale > 0; last /= 10)
        scale--;
    return (uint16_t)scale;
}

static Datum
get_numeric(Reader *r, Arena *a)
{
    uint8_t tag = get_u8(r), save_inv = r->inv;
    int16_t weight;
    int16_t *digits;
    size_t start, n = 0;
    Datum d;

    switch (tag) {
    case NUM_NAN:
        return make_numeric(a, NUMERIC_NAN, 0, 0, NULL, 0);
    case NUM_PINF:
        return make_numeric(a, NUMERIC_PINF, 0, 0, NULL, 0);
    case NUM_NINF:
        return make_numeric(a, NUMERIC_NINF, 0, 0, NULL, 0);
    case NUM_ZERO:
        return make_numeric(a, NUMERIC_POS, 0, 0, NULL, 0);
    case NUM_POS:
    case NUM_NEG:
        break;
    default:
        r->bad = true;
        return 0;
    }
    if (tag == NUM_NEG)
        r->inv ^= 0xFF;
    weight = (int16_t)(uint16_t)(get_be(r, 2) ^ 0x8000u);
    start = r->pos;
    while (!r->bad && get_be(r, 2) != 0)
        n++;
    if (r->bad || n == 0 || n > UINT16_MAX) {
        r->bad = true;
        return 0;
    }
    digits = arena_alloc(a, n * sizeof(int16_t));
    r->pos = start;
    for (size_t i = 0; i < n; i++) {
        uint64_t v = get_be(r, 2);

        if (v > NUMERIC_NBASE) {
            r->bad = true;
            return 0;
        }
        digits[i] = (int16_t)(v - 1);
    }
    (void)get_be(r, 2);
    r->inv = save_inv;
    d = make_numeric(a, tag == NUM_NEG ? NUMERIC_NEG : NUMERIC_POS, weight, 0, digits, (int)n);
    ((NumericHdr *)(void *)((VarData *)(uintptr_t)d)->data)->dscale =
        canonical_dscale(weight, digits, (int)n);
    return d;
}

static double
float8_from_order_bits(uint64_t b)
{
    double v;

    if (b == UINT64_MAX)
        return NAN;
    b = (b & (UINT64_C(1) << 63)) ? b & ~(UINT64_C(1) << 63) : ~b;
    memcpy(&v, &b, sizeof v);
    return v;
}

static float
float4_from_order_bits(uint32_t b)
{
    float v;

    if (b == UINT32_MAX)
        return NAN;
    b = (b & (UINT32_C(1) << 31)) ? b & ~(UINT32_C(1) << 31) : ~b;
    memcpy(&v, &b, sizeof v);
    return v;
}

/*
 * The canonical interval of a span. With exact keys the trailer supplies the fields instead
 * (apply_trailer), so only the span is kept, in *span, to check the trailer against.
 */
static int
get_interval(Reader *r, Arena *a, bool exact, __int128 *span_out, Datum *out, Err *err)
{
    unsigned __int128 u = (unsigned __int128)get_be(r, 8) << 64;
    __int128 span, rem;
    Interval iv;

    u |= get_be(r, 8);
    span = (__int128)(u ^ ((unsigned __int128)1 << 127));
    *span_out = span;
    if (exact)
        return 0;
    rem = span % MONTH_US;
    if (span / MONTH_US > INT32_MAX || span / MONTH_US < INT32_MIN)
        return ERR_RAISE(err, ERRCODE_DATETIME_FIELD_OVERFLOW, "interval out of range");
    iv.month = (int32_t)(span / MONTH_US);
    iv.day = (int32_t)(rem / USECS_PER_DAY);
    iv.time = (int64_t)(rem % USECS_PER_DAY);
    *out = interval_datum(a, &iv);
    return 0;
}

static int
get_value(Reader *r, KeyKind k, Arena *a, bool exact, __int128 *span, Datum *out, Err *err)
{
    size_t n;

    switch (k) {
    case KK_BOOL:
        *out = datum_from_bool(get_u8(r) != 0);
        break;
    case KK_INT2:
        *out = datum_from_int16((int16_t)(uint16_t)(get_be(r, 2) ^ 0x8000u));
        break;
    case KK_INT4:
        *out = datum_from_int32((int32_t)(uint32_t)(get_be(r, 4) ^ 0x80000000u));
        break;
    case KK_INT8:
        *out = datum_from_int64((int64_t)(get_be(r, 8) ^ (UINT64_C(1) << 63)));
        break;
    case KK_OID:
        *out = datum_from_oid((Oid)get_be(r, 4));
        break;
    case KK_FLOAT4:
        *out = datum_from_float4(float4_from_order_bits((uint32_t)get_be(r, 4)));
        break;
    case KK_FLOAT8:
        *out = datum_from_float8(float8_from_order_bits(get_be(r, 8)));
        break;
    case KK_NUMERIC:
        *out = get_numeric(r, a);
        break;
    case KK_TEXT:
    case KK_BPCHAR:
        *out = get_escaped(r, a, &n);
        break;
    case KK_INTERVAL:
        return get_interval(r, a, exact, span, out, err);
    case KK_NONE:
        r->bad = true;
        break;
    }
    return 0;
}

/* Applies a column's trailer to its canonical decoded value. */
static void
apply_trailer(Reader *r, KeyKind k, Arena *a, __int128 span, Datum *d)
{
    const VarData *v;
    VarData *nv;
    uint32_t pad;
    Interval iv;

    switch (k) {
    case KK_FLOAT4:
        if (get_u8(r) == 1)
            *d = datum_from_float4(-0.0f);
        break;
    case KK_FLOAT8:
        if (get_u8(r) == 1)
            *d = datum_from_float8(-0.0);
        break;
    case KK_NUMERIC:
        /* the decoded value is fresh in a: patch its display scale in place */
        ((NumericHdr *)(void *)((VarData *)(uintptr_t)*d)->data)->dscale = (uint16_t)get_be(r, 2);
        break;
    case KK_BPCHAR:
        pad = (uint32_t)get_be(r, 4);
        v = datum_get_var(*d);
        if (pad == 0 || r->bad)
            break;
        if (pad > (1u << 30)) {
            r->bad = true;
            break;
        }
        nv = arena_alloc(a, sizeof(VarData) + v->len + pad + 1);
        nv->len = v->len + pad;
        memcpy(nv->data, v->data, v->len);
        memset(nv->data + v->len, ' ', pad);
        nv->data[nv->len] = '\0';
        *d = datum_from_var(nv);
        break;
    case KK_INTERVAL:
        iv.time = (int64_t)get_be(r, 8);
        iv.day = (int32_t)(uint32_t)get_be(r, 4);
        iv.month = (int32_t)(uint32_t)get_be(r, 4);
        if (interval_span_of(&iv) != span)
            r->bad = true; /* the fields must add up to the span the order part has */
        if (!r->bad)
            *d = interval_datum(a, &iv);
        break;
    default:
        break;
    }
}

int
keycodec_decode(const KeySpec *spec, const uint8_t *p, size_t len, Arena *a, Value *vals, Err *err)
{
    Reader r = {p, len, 0, 0, false};
    /* interval spans of the order part, checked against the trailer's fields */
    __int128 *spans =
                 spec->exact ? arena_alloc(a, sizeof(__int128) * (size_t)(spec->ncols + 1)) : NULL,
             scratch;

    for (int i = 0; i < spec->ncols && !r.bad; i++) {
        const KeyColumn *c = &spec->cols[i];
        uint8_t m = get_u8(&r);

        vals[i].d = 0;
        vals[i].isnull = m != MARK_VALUE;
        if (m == (c->nulls_first ? MARK_NULL_FIRST : MARK_NULL_LAST))
            continue;
        if (m != MARK_VALUE) {
            r.bad = true;
            break;
        }
        r.inv = c->desc ? 0xFF : 0;
        if (get_value(&r, kind_of(c->type), a, spec->exact, spans ? &spans[i] : &scratch,
                      &vals[i].d, err) < 0)
            return -1;
        r.inv = 0;
    }
    for (int i = 0; spec->exact && i < spec->ncols && !r.bad; i++) {
        if (!vals[i].isnull)
            apply_trailer(&r, kind_of(spec->cols[i].type), a, spans[i], &vals[i].d);
    }
    if (r.bad || r.pos != len)
        return ERR_RAISE(err, ERRCODE_DATA_CORRUPTED, "malformed key");
    return 0;
}
