/*
 * sql/types_float4.c — text and binary I/O of real (float4).
 *
 * Input is PostgreSQL's float4in: surrounding whitespace, the special words
 * NaN / [+-]Infinity / [+-]inf in any case, otherwise strtof; a value that
 * overflows or underflows to zero is 22003 `"1e39" is out of range for type
 * real`. Output is float4out: with extra_float_digits > 0 (the default) the
 * shortest digit string that reads back as the same float (what PostgreSQL's
 * Ryu code prints), in plain notation for decimal exponents -4 .. 5 and
 * exponential ("1e+06", "1.2345679e+08") outside; otherwise %g with
 * 6 + extra_float_digits significant digits.
 *
 * Invariants:
 *   1. Output reads back as the same float (shortest mode).
 *   2. Binary form: the 4 IEEE-754 bytes, big-endian, as float4send.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include "common/errcodes.h"
#include "sql/func_float.h"

static bool
is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

int
float4_in(const char *s, size_t len, int32_t typmod, const TypeIoCtx *io, Arena *a, Datum *out,
          Err *err)
{
    const char *p = s, *end = s + len;
    char tmp[128], *stop;
    float v;
    double special;

    (void)typmod, (void)io, (void)a;
    while (p < end && is_space(*p))
        p++;
    while (end > p && is_space(end[-1]))
        end--;
    if (p == end || (size_t)(end - p) >= sizeof tmp)
        goto syntax;
    if (float_special_word(p, (size_t)(end - p), &special)) {
        *out = datum_from_float4((float)special);
        return 0;
    }
    memcpy(tmp, p, (size_t)(end - p));
    tmp[end - p] = '\0';
    errno = 0;
    v = strtof(tmp, &stop);
    if (*stop != '\0' || stop == tmp)
        goto syntax;
    if (errno == ERANGE && (v == 0.0f || isinf(v)))
        return ERR_RAISE(err, ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE,
                         "\"%s\" is out of range for type real", s);
    /* whatever else strtof takes whole ("nan(1)", hex floats) PostgreSQL takes too */
    *out = datum_from_float4(v);
    return 0;
syntax:
    return ERR_RAISE(err, ERRCODE_INVALID_TEXT_REPRESENTATION,
                     "invalid input syntax for type real: \"%s\"", s);
}

void
float4_out(Datum d, int32_t typmod, const TypeIoCtx *io, Buf *out)
{
    float v = datum_get_float4(d);
    char tmp[64];

    (void)typmod;
    if (isnan(v)) {
        buf_put_str(out, "NaN");
        return;
    }
    if (isinf(v)) {
        buf_put_str(out, v < 0 ? "-Infinity" : "Infinity");
        return;
    }
    if (io->extra_float_digits <= 0) {
        int prec = 6 + io->extra_float_digits;

        snprintf(tmp, sizeof tmp, "%.*g", prec < 1 ? 1 : prec, (double)v);
        buf_put_str(out, tmp);
        return;
    }
    for (int prec = 1; prec <= 9; prec++) {
        snprintf(tmp, sizeof tmp, "%.*e", prec - 1, (double)v);
        if (strtof(tmp, NULL) == v)
            break;
    }
    float_layout(tmp, 6, out);
}

int
float4_recv(const uint8_t *p, size_t len, int32_t typmod, Arena *a, Datum *out, Err *err)
{
    (void)typmod, (void)a;
    if (len < 4)
        return ERR_RAISE(err, ERRCODE_PROTOCOL_VIOLATION, "insufficient data left in message");
    if (len > 4)
        return ERR_RAISE(err, ERRCODE_INVALID_BINARY_REPRESENTATION,
                         "incorrect binary data format");
    *out = (Datum)buf_get_u32(p);
    return 0;
}

void
float4_send(Datum d, int32_t typmod, Buf *out)
{
    (void)typmod;
    buf_put_u32(out, (uint32_t)d);
}
