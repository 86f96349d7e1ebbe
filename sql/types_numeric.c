/*
 * sql/types_numeric.c — text and binary I/O of `numeric` and its type
 * modifier numeric(p,s), as PostgreSQL 15's numeric_in/out/recv/send and
 * numerictypmodin/out.
 *
 * Binary format (big-endian): int16 ndigits, int16 weight, uint16 sign
 * (0x0000 +, 0x4000 -, 0xC000 NaN, 0xD000 +Inf, 0xF000 -Inf), uint16 dscale,
 * then ndigits int16 base-10000 digits — the packed Datum's fields.
 *
 * Invariants:
 *   1. Input applies the typmod (rounding, 22003 overflow) exactly as
 *      PostgreSQL's numeric_in / numeric_recv.
 *   2. Receive consumes exactly len bytes or fails; digits hidden by the
 *      received dscale are truncated away, as PostgreSQL does.
 */
#include "sql/numeric_int.h"
#include "sql/types.h"

#include <string.h>

int
numeric_in(const char *s, size_t len, int32_t typmod, const TypeIoCtx *io, Arena *a, Datum *out,
           Err *err)
{
    Datum d;

    (void)io;
    if (numeric_parse(a, s, len, &d, err) != 0)
        return -1;
    return numeric_apply_typmod(a, d, typmod, out, err);
}

void
numeric_out(Datum d, int32_t typmod, const TypeIoCtx *io, Buf *out)
{
    (void)typmod, (void)io;
    numeric_format(d, out);
}

int
numeric_recv(const uint8_t *p, size_t len, int32_t typmod, Arena *a, Datum *out, Err *err)
{
    NumVar v;
    int n;

    if (len < 8)
        return ERR_RAISE(err, ERRCODE_PROTOCOL_VIOLATION, "insufficient data left in message");
    n = buf_get_u16(p);
    if (len < 8 + 2 * (size_t)n)
        return ERR_RAISE(err, ERRCODE_PROTOCOL_VIOLATION, "insufficient data left in message");
    if (len > 8 + 2 * (size_t)n)
        return ERR_RAISE(err, ERRCODE_INVALID_BINARY_REPRESENTATION,
                         "incorrect binary data format");
    var_zero(&v, 0);
    v.weight = (int16_t)buf_get_u16(p + 2);
    v.sign = buf_get_u16(p + 4);
    if (v.sign != NUMERIC_POS && v.sign != NUMERIC_NEG && v.sign != NUMERIC_NAN &&
        v.sign != NUMERIC_PINF && v.sign != NUMERIC_NINF)
        return ERR_RAISE(err, ERRCODE_INVALID_BINARY_REPRESENTATION,
                         "invalid sign in external \"numeric\" value");
    v.dscale = buf_get_u16(p + 6);
    if ((v.dscale & 0x3FFF) != v.dscale)
        return ERR_RAISE(err, ERRCODE_INVALID_BINARY_REPRESENTATION,
                         "invalid scale in external \"numeric\" value");
    v.n = n;
    v.d = arena_calloc(a, (size_t)(n > 0 ? n : 1), sizeof(int32_t));
    for (int i = 0; i < n; i++) {
        int16_t dig = (int16_t)buf_get_u16(p + 8 + 2 * i);

        if (dig < 0 || dig >= NBASE)
            return ERR_RAISE(err, ERRCODE_INVALID_BINARY_REPRESENTATION,
                             "invalid digit in external \"numeric\" value");
        v.d[i] = dig;
    }
    if (v.sign < NUMERIC_NAN)
        var_round(a, &v, v.dscale, false);
    if (var_to_datum(a, &v, out, err) != 0)
        return -1;
    return numeric_apply_typmod(a, *out, typmod, out, err);
}

void
numeric_send(Datum d, int32_t typmod, Buf *out)
{
    const NumericHdr *h = numeric_hdr(d);
    const int16_t *dig = numeric_digits(d);

    (void)typmod;
    buf_put_u16(out, h->ndigits);
    buf_put_u16(out, (uint16_t)h->weight);
    buf_put_u16(out, h->sign);
    /*
     * PostgreSQL sends ±Infinity with dscale 32, an artefact of reading its
     * packed special-value header as a short header; do the same, byte for byte.
     */
    buf_put_u16(out, h->sign == NUMERIC_PINF || h->sign == NUMERIC_NINF ? 32 : h->dscale);
    for (int i = 0; i < h->ndigits; i++)
        buf_put_u16(out, (uint16_t)dig[i]);
}

int
numeric_typmodin(const int32_t *mods, int nmods, int32_t *typmod, Err *err)
{
    int p, s = 0;

    if (nmods < 1 || nmods > 2)
        return ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE, "invalid NUMERIC type modifier");
    p = mods[0];
    if (p < 1 || p > NUMERIC_MAX_PRECISION)
        return ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE,
                         "NUMERIC precision %d must be between 1 and %d", p, NUMERIC_MAX_PRECISION);
    if (nmods == 2) {
        s = mods[1];
        if (s < NUMERIC_MIN_SCALE || s > NUMERIC_MAX_SCALE)
            return ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE,
                             "NUMERIC scale %d must be between %d and %d", s, NUMERIC_MIN_SCALE,
                             NUMERIC_MAX_SCALE);
    }
    *typmod = numeric_make_typmod(p, s);
    return 0;
}

void
numeric_typmodout(int32_t typmod, Buf *out)
{
    if (typmod >= 4)
        buf_printf(out, "(%d,%d)", numeric_typmod_precision(typmod), numeric_typmod_scale(typmod));
}
