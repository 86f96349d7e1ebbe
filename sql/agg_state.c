/*
 * sql/agg_state.c — aggregate states to bytes and back (see sql/agg_state.h
 * for the format and the ownership rules).
 *
 * Pipeline position: used by stream/ operators that keep per-group aggregate
 * states in state tables; reads the state structs of sql/agg_int.h.
 *
 * Each state kind has one writer and one reader below; the reader decodes
 * into a local struct and copies it out only when the whole input checked
 * out, so a malformed encoding never leaves a half-written state.
 *
 * Invariants:
 *   1. Every AggImpl of sql/agg_int.h maps to exactly one kind; a kind's
 *      number and field order never change within one AGG_STATE_VERSION.
 *   2. Reading never runs past the input: every read checks the remaining
 *      length first, and a failed read is sticky (the Reader's `bad`).
 *   3. Values read from the input are copied into the arena; nothing decoded
 *      points into the input bytes.
 */
#include "sql/agg_state.h"

#include <math.h>
#include <string.h>

#include "common/errcodes.h"
#include "sql/agg_int.h"
#include "sql/func_float.h"
#include "sql/numeric.h"
#include "sql/types.h"

typedef enum StateKind {
    KIND_NONE = 0,
    KIND_COUNT = 1,
    KIND_INT_SUM = 2,
    KIND_NUM_ACC = 3,
    KIND_FLOAT8_SUM = 4,
    KIND_FLOAT4_SUM = 5,
    KIND_FLOAT_ACC = 6,
    KIND_MIN_MAX = 7,
    KIND_BOOL = 8,
    KIND_STRING_AGG = 9,
} StateKind;

/* NumericAcc flag bits */
#define ACC_WANT_SUMSQ 0x01
#define ACC_HAS_SUM 0x02
#define ACC_HAS_SUMSQ 0x04

static StateKind
kind_of(const AggImpl *impl)
{
    static const struct {
        const AggImpl *impl;
        StateKind kind;
    } map[] = {
        {&agg_count_star, KIND_COUNT},
        {&agg_count, KIND_COUNT},
        {&agg_sum_int, KIND_INT_SUM},
        {&agg_sum_int8, KIND_NUM_ACC},
        {&agg_avg_int, KIND_NUM_ACC},
        {&agg_var_samp_int, KIND_NUM_ACC},
        {&agg_var_pop_int, KIND_NUM_ACC},
        {&agg_stddev_samp_int, KIND_NUM_ACC},
        {&agg_stddev_pop_int, KIND_NUM_ACC},
        {&agg_sum_num, KIND_NUM_ACC},
        {&agg_avg_num, KIND_NUM_ACC},
        {&agg_var_samp_num, KIND_NUM_ACC},
        {&agg_var_pop_num, KIND_NUM_ACC},
        {&agg_stddev_samp_num, KIND_NUM_ACC},
        {&agg_stddev_pop_num, KIND_NUM_ACC},
        {&agg_sum_float8, KIND_FLOAT8_SUM},
        {&agg_sum_float4, KIND_FLOAT4_SUM},
        {&agg_avg_float8, KIND_FLOAT_ACC},
        {&agg_var_samp_float8, KIND_FLOAT_ACC},
        {&agg_var_pop_float8, KIND_FLOAT_ACC},
        {&agg_stddev_samp_float8, KIND_FLOAT_ACC},
        {&agg_stddev_pop_float8, KIND_FLOAT_ACC},
        {&agg_avg_float4, KIND_FLOAT_ACC},
        {&agg_var_samp_float4, KIND_FLOAT_ACC},
        {&agg_var_pop_float4, KIND_FLOAT_ACC},
        {&agg_stddev_samp_float4, KIND_FLOAT_ACC},
        {&agg_stddev_pop_float4, KIND_FLOAT_ACC},
        {&agg_min, KIND_MIN_MAX},
        {&agg_max, KIND_MIN_MAX},
        {&agg_bool_and, KIND_BOOL},
        {&agg_bool_or, KIND_BOOL},
        {&agg_string_agg, KIND_STRING_AGG},
    };

    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
        if (map[i].impl == impl)
            return map[i].kind;
    }
    return KIND_NONE;
}

bool
agg_state_supported(const AggCall *call)
{
    return kind_of(call->impl) != KIND_NONE;
}

/* ---- writing ------------------------------------------------------------------------ */

static void
put_uvar(Buf *b, unsigned __int128 v)
{
    uint8_t tmp[19];
    size_t n = 0;

    do {
        tmp[n] = (uint8_t)(v & 0x7f);
        v >>= 7;
        if (v != 0)
            tmp[n] |= 0x80;
        n++;
    } while (v != 0);
    buf_append(b, tmp, n);
}

static void
put_svar(Buf *b, __int128 v)
{
    unsigned __int128 u = (unsigned __int128)v;

    /* zigzag: 0, -1, 1, -2, ... → 0, 1, 2, 3, ... */
    put_uvar(b, (u << 1) ^ (v < 0 ? ~(unsigned __int128)0 : 0));
}

static void
put_f8(Buf *b, double v)
{
    uint64_t bits;

    memcpy(&bits, &v, sizeof bits);
    buf_put_u64(b, bits);
}

static void
put_var(Buf *b, Datum d)
{
    const VarData *v = datum_get_var(d);

    put_uvar(b, v->len);
    buf_append(b, v->data, v->len);
}

/* One non-NULL value of type `type`: the word of a by-value type, else its bytes. */
static void
put_value(Buf *b, Oid type, Datum d)
{
    const TypeInfo *t = type_by_oid(type);

    if (t == NULL || t->byval)
        put_svar(b, (int64_t)d);
    else
        put_var(b, d);
}

static void
put_numeric_acc(Buf *b, const NumericAcc *acc)
{
    uint8_t flags =
        (uint8_t)((acc->want_sumsq ? ACC_WANT_SUMSQ : 0) | (acc->sum != 0 ? ACC_HAS_SUM : 0) |
                  (acc->sumsq != 0 ? ACC_HAS_SUMSQ : 0));

    buf_put_u8(b, flags);
    put_svar(b, acc->count);
    put_svar(b, acc->nan_count);
    put_svar(b, acc->pinf_count);
    put_svar(b, acc->ninf_count);
    put_svar(b, acc->max_dscale);
    put_svar(b, acc->max_dscale_count);
    put_svar(b, acc->isum);
    put_svar(b, acc->isumsq);
    if (acc->sum != 0)
        put_var(b, acc->sum);
    if (acc->sumsq != 0)
        put_var(b, acc->sumsq);
}

static void
put_state(Buf *b, StateKind kind, Oid argtype, const void *state)
{
    switch (kind) {
    case KIND_COUNT:
        put_svar(b, ((const CountState *)state)->n);
        break;
    case KIND_INT_SUM: {
        const IntSumState *st = state;

        put_svar(b, st->sum);
        put_svar(b, st->n);
        break;
    }
    case KIND_NUM_ACC:
        put_numeric_acc(b, state);
        break;
    case KIND_FLOAT8_SUM: {
        const FloatSumState *st = state;

        buf_put_u8(b, st->any);
        if (st->any)
            put_f8(b, st->sum);
        break;
    }
    case KIND_FLOAT4_SUM: {
        const Float4SumState *st = state;

        buf_put_u8(b, st->any);
        if (st->any)
            buf_put_u32(b, (uint32_t)datum_from_float4(st->sum));
        break;
    }
    case KIND_FLOAT_ACC: {
        const FloatAccState *st = state;
        bool empty = st->n == 0.0 && st->sx == 0.0 && st->sxx == 0.0 && !signbit(st->sx) &&
                     !signbit(st->sxx);

        buf_put_u8(b, !empty);
        if (!empty) {
            put_f8(b, st->n);
            put_f8(b, st->sx);
            put_f8(b, st->sxx);
        }
        break;
    }
    case KIND_MIN_MAX: {
        const MinMaxState *st = state;

        buf_put_u8(b, st->any);
        if (st->any)
            put_value(b, argtype, st->v.d);
        break;
    }
    case KIND_BOOL: {
        const BoolState *st = state;

        put_svar(b, st->ntrue);
        put_svar(b, st->nfalse);
        break;
    }
    case KIND_STRING_AGG: {
        const StringAggState *st = state;

        buf_put_u8(b, st->any);
        if (st->any) {
            put_uvar(b, st->len);
            buf_append(b, st->data, st->len);
        }
        break;
    }
    case KIND_NONE:
        break;
    }
}

int
agg_state_encode(const AggCall *call, const void *state, Buf *out, Err *err)
{
    StateKind kind = kind_of(call->impl);

    if (kind == KIND_NONE)
        return ERR_RAISE(err, ERRCODE_FEATURE_NOT_SUPPORTED, "aggregate %s has no state encoding",
                         call->impl->name);
    buf_put_u8(out, AGG_STATE_VERSION);
    buf_put_u8(out, (uint8_t)kind);
    put_state(out, kind, call->argtype, state);
    if (out->failed)
        return ERR_RAISE(err, ERRCODE_PROGRAM_LIMIT_EXCEEDED, "aggregate state is too large");
    return 0;
}

/* ---- reading ------------------------------------------------------------------------ */

typedef struct Reader {
    const uint8_t *p, *end;
    bool bad; /* sticky: a read ran out of input or found a bad value */
} Reader;

static bool
need(Reader *r, size_t n)
{
    if (r->bad || (size_t)(r->end - r->p) < n) {
        r->bad = true;
        return false;
    }
    return true;
}

static uint8_t
get_u8(Reader *r)
{
    return need(r, 1) ? *r->p++ : 0;
}

static bool
get_flag(Reader *r)
{
    uint8_t v = get_u8(r);

    if (v > 1)
        r->bad = true;
    return v == 1;
}

static unsigned __int128
get_uvar(Reader *r)
{
    unsigned __int128 v = 0;

    for (int shift = 0; shift < 128; shift += 7) {
        uint8_t byte;

        if (!need(r, 1))
            return 0;
        byte = *r->p++;
        /* the 19th byte may carry only the top 2 bits of a 128-bit value */
        if (shift == 126 && byte > 0x03) {
            r->bad = true;
            return 0;
        }
        v |= (unsigned __int128)(byte & 0x7f) << shift;
        if ((byte & 0x80) == 0)
            return v;
    }
    r->bad = true;
    return 0;
}

static __int128
get_svar(Reader *r)
{
    unsigned __int128 u = get_uvar(r);

    return (__int128)((u >> 1) ^ (0 - (u & 1)));
}

static int64_t
get_i64(Reader *r)
{
    __int128 v = get_svar(r);

    if (v < INT64_MIN || v > INT64_MAX)
        r->bad = true;
    return (int64_t)v;
}

static double
get_f8(Reader *r)
{
    double v = 0;
    uint64_t bits;

    if (!need(r, 8))
        return 0;
    bits = buf_get_u64(r->p);
    r->p += 8;
    memcpy(&v, &bits, sizeof v);
    return v;
}

/* A varint length then that many bytes; *p points into the input. */
static size_t
get_bytes(Reader *r, const uint8_t **p)
{
    unsigned __int128 len = get_uvar(r);

    if (!r->bad && len > UINT32_MAX)
        r->bad = true;
    if (r->bad || !need(r, (size_t)len))
        return 0;
    *p = r->p;
    r->p += (size_t)len;
    return (size_t)len;
}

/* A packed numeric is a NumericHdr then ndigits base-10000 digits. */
static bool
numeric_ok(const uint8_t *p, size_t len)
{
    NumericHdr h;

    if (len < sizeof h)
        return false;
    memcpy(&h, p, sizeof h);
    if (len != sizeof h + (size_t)h.ndigits * sizeof(int16_t))
        return false;
    if (h.sign != NUMERIC_POS && h.sign != NUMERIC_NEG && h.sign != NUMERIC_NAN &&
        h.sign != NUMERIC_PINF && h.sign != NUMERIC_NINF)
        return false;
    for (size_t i = 0; i < h.ndigits; i++) {
        int16_t d;

        memcpy(&d, p + sizeof h + i * sizeof d, sizeof d);
        if (d < 0 || d >= NUMERIC_NBASE)
            return false;
    }
    return true;
}

/* A by-reference value of `type` copied into a; checked as far as its type allows. */
static Datum
get_var(Reader *r, Oid type, Arena *a)
{
    const TypeInfo *t = type_by_oid(type);
    const uint8_t *p = NULL;
    size_t len = get_bytes(r, &p);

    if (r->bad)
        return 0;
    if ((type == TYPE_NUMERIC && !numeric_ok(p, len)) ||
        (t != NULL && t->typlen > 0 && len > (size_t)t->typlen) ||
        (t != NULL && t->category == TYPCAT_STRING && len > 0 && memchr(p, 0, len) != NULL)) {
        r->bad = true;
        return 0;
    }
    return datum_from_var(vardata_make(a, (const char *)p, len));
}

static void
get_numeric_acc(Reader *r, Arena *a, NumericAcc *acc)
{
    uint8_t flags = get_u8(r);
    __int128 ds;

    if ((flags & ~(ACC_WANT_SUMSQ | ACC_HAS_SUM | ACC_HAS_SUMSQ)) != 0)
        r->bad = true;
    numeric_acc_init(acc, (flags & ACC_WANT_SUMSQ) != 0);
    acc->count = get_i64(r);
    acc->nan_count = get_i64(r);
    acc->pinf_count = get_i64(r);
    acc->ninf_count = get_i64(r);
    ds = get_svar(r);
    if (ds < 0 || ds > INT16_MAX)
        r->bad = true;
    acc->max_dscale = (int)ds;
    acc->max_dscale_count = get_i64(r);
    acc->isum = get_svar(r);
    acc->isumsq = get_svar(r);
    if (flags & ACC_HAS_SUM)
        acc->sum = get_var(r, TYPE_NUMERIC, a);
    if (flags & ACC_HAS_SUMSQ)
        acc->sumsq = get_var(r, TYPE_NUMERIC, a);
}

static void
get_string_agg(Reader *r, Arena *a, StringAggState *st)
{
    const uint8_t *p = NULL;

    memset(st, 0, sizeof *st);
    st->any = get_flag(r);
    if (!st->any)
        return;
    st->len = get_bytes(r, &p);
    if (r->bad || st->len == 0)
        return;
    /* exactly full: the next add() grows it into a fresh block, as agg.c does */
    st->data = arena_memdup(a, p, st->len);
    st->cap = st->len;
}

/* Decodes the fields of `kind` into tmp (a buffer of the kind's struct). */
static void
get_state(Reader *r, StateKind kind, Oid argtype, Arena *a, void *tmp)
{
    switch (kind) {
    case KIND_COUNT:
        ((CountState *)tmp)->n = get_i64(r);
        break;
    case KIND_INT_SUM: {
        IntSumState *st = tmp;

        memset(st, 0, sizeof *st);
        st->sum = get_svar(r);
        st->n = get_i64(r);
        break;
    }
    case KIND_NUM_ACC:
        get_numeric_acc(r, a, tmp);
        break;
    case KIND_FLOAT8_SUM: {
        FloatSumState *st = tmp;

        memset(st, 0, sizeof *st);
        st->any = get_flag(r);
        if (st->any)
            st->sum = get_f8(r);
        break;
    }
    case KIND_FLOAT4_SUM: {
        Float4SumState *st = tmp;

        memset(st, 0, sizeof *st);
        st->any = get_flag(r);
        if (st->any && need(r, 4)) {
            st->sum = datum_get_float4(buf_get_u32(r->p));
            r->p += 4;
        }
        break;
    }
    case KIND_FLOAT_ACC: {
        FloatAccState *st = tmp;

        memset(st, 0, sizeof *st);
        if (get_flag(r)) {
            st->n = get_f8(r);
            st->sx = get_f8(r);
            st->sxx = get_f8(r);
        }
        break;
    }
    case KIND_MIN_MAX: {
        MinMaxState *st = tmp;
        const TypeInfo *t = type_by_oid(argtype);

        memset(st, 0, sizeof *st);
        st->any = get_flag(r);
        if (st->any)
            st->v.d = t == NULL || t->byval ? (Datum)get_i64(r) : get_var(r, argtype, a);
        break;
    }
    case KIND_BOOL: {
        BoolState *st = tmp;

        st->ntrue = get_i64(r);
        st->nfalse = get_i64(r);
        break;
    }
    case KIND_STRING_AGG:
        get_string_agg(r, a, tmp);
        break;
    case KIND_NONE:
        r->bad = true;
        break;
    }
}

int
agg_state_decode(const AggCall *call, const uint8_t *p, size_t len, Arena *a, void *state, Err *err)
{
    StateKind kind = kind_of(call->impl);
    Reader r = {p, p + len, false};
    union {
        CountState count;
        IntSumState int_sum;
        NumericAcc acc;
        FloatSumState fsum;
        Float4SumState fsum4;
        FloatAccState facc;
        MinMaxState minmax;
        BoolState boolean;
        StringAggState sagg;
    } tmp;

    if (kind == KIND_NONE || call->impl->state_size > sizeof tmp)
        return ERR_RAISE(err, ERRCODE_FEATURE_NOT_SUPPORTED, "aggregate %s has no state encoding",
                         call->impl->name);
    if (len == 0 || p == NULL)
        r.bad = true;
    else if (get_u8(&r) != AGG_STATE_VERSION || get_u8(&r) != (uint8_t)kind)
        r.bad = true;
    if (!r.bad)
        get_state(&r, kind, call->argtype, a, &tmp);
    if (r.bad || r.p != r.end)
        return ERR_RAISE(err, ERRCODE_DATA_CORRUPTED, "malformed aggregate state");
    memcpy(state, &tmp, call->impl->state_size);
    return 0;
}

int
agg_state_encode_framed(const AggCall *call, const void *state, Buf *out, Err *err)
{
    size_t at = out->len, n, nlen = 0;
    uint8_t len[10];

    if (agg_state_encode(call, state, out, err) < 0)
        return -1;
    n = out->len - at;
    do {
        len[nlen++] = (uint8_t)((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
        n >>= 7;
    } while (n != 0);
    /* make room for the length in front of the encoding */
    buf_append(out, len, nlen);
    if (out->failed)
        return ERR_RAISE(err, ERRCODE_PROGRAM_LIMIT_EXCEEDED, "aggregate state is too large");
    memmove(out->data + at + nlen, out->data + at, out->len - at - nlen);
    memcpy(out->data + at, len, nlen);
    return 0;
}

int
agg_state_decode_framed(const AggCall *call, const uint8_t **p, const uint8_t *end, Arena *a,
                        void *state, Err *err)
{
    Reader r = {*p, end, false};
    const uint8_t *body = NULL;
    size_t n = get_bytes(&r, &body);

    if (r.bad)
        return ERR_RAISE(err, ERRCODE_DATA_CORRUPTED, "malformed aggregate state");
    if (agg_state_decode(call, body, n, a, state, err) < 0)
        return -1;
    *p = r.p;
    return 0;
}
