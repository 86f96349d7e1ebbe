/*
 * sql/types_int.c — I/O functions of the by-value types: boolean, smallint,
 * integer, bigint, double precision and void.
 *
 * Text forms follow PostgreSQL 15 exactly: boolin's spellings, pg_strtoint's
 * whitespace and sign rules (no underscores or hex: those are PostgreSQL 16),
 * float8in's special values and float8out's shortest-exact output. Binary
 * forms are big-endian integers and IEEE 754 doubles, as PostgreSQL's
 * send and receive functions.
 *
 * Invariants:
 *   1. Input messages quote the whole original string, as PostgreSQL does.
 *   2. A receive function given too few bytes raises 08P01 "insufficient data
 *      left in message", too many 22P03 "incorrect binary data format"; the
 *      caller (bind) adds the parameter number (PostgreSQL's exec_bind_message).
 *   3. Nothing here allocates: by-value results live in the Datum.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sql/types.h"

static bool
is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static int
recv_length(size_t len, size_t want, Err *err)
{
    if (len < want)
        return ERR_RAISE(err, ERRCODE_PROTOCOL_VIOLATION, "insufficient data left in message");
    if (len > want)
        return ERR_RAISE(err, ERRCODE_INVALID_BINARY_REPRESENTATION,
                         "incorrect binary data format");
    return 0;
}

/* ---- boolean -------------------------------------------------------------- */

/* True when s (len bytes) is a prefix of word at least min_len long, ignoring case. */
static bool
prefix_of(const char *s, size_t len, const char *word, size_t min_len)
{
    return len >= min_len && len <= strlen(word) && strncasecmp(s, word, len) == 0;
}

bool
bool_parse(const char *s, size_t len, bool *result)
{
    static const struct {
        const char *word;
        size_t min_len; /* "o" alone is ambiguous between on and off */
        bool value;
    } words[] = {{"true", 1, true}, {"false", 1, false}, {"yes", 1, true}, {"no", 1, false},
                 {"on", 2, true},   {"off", 2, false},   {"1", 1, true},   {"0", 1, false}};

    while (len > 0 && is_space(*s)) {
        s++;
        len--;
    }
    while (len > 0 && is_space(s[len - 1]))
        len--;
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        if (prefix_of(s, len, words[i].word, words[i].min_len)) {
            *result = words[i].value;
            return true;
        }
    }
    return false;
}

int
bool_in(const char *s, size_t len, int32_t typmod, const TypeIoCtx *io, Arena *a, Datum *out,
        Err *err)
{
    bool v;

    (void)typmod, (void)io, (void)a;
    if (!bool_parse(s, len, &v))
        return ERR_RAISE(err, ERRCODE_INVALID_TEXT_REPRESENTATION,
                         "invalid input syntax for type boolean: \"%s\"", s);
    *out = datum_from_bool(v);
    return 0;
}

void
bool_out(Datum d, int32_t typmod, const TypeIoCtx *io, Buf *out)
{
    (void)typmod, (void)io;
    buf_put_u8(out, datum_get_bool(d) ? 't' : 'f');
}

int
bool_recv(const uint8_t *p, size_t len, int32_t typmod, Arena *a, Datum *out, Err *err)
{
    (void)typmod, (void)a;
    if (recv_length(len, 1, err) < 0)
        return -1;
    *out = datum_from_bool(p[0] != 0);
    return 0;
}

void
bool_send(Datum d, int32_t typmod, Buf *out)
{
    (void)typmod;
    buf_put_u8(out, datum_get_bool(d) ? 1 : 0);
}

/* ---- integers -------------------------------------------------------------- */

int
int_parse(const char *s, size_t len, int64_t min, int64_t max, int64_t *out)
{
    size_t i = 0;
    bool neg = false;
    uint64_t acc = 0;
    uint64_t limit;

    while (i < len && is_space(s[i]))
        i++;
    if (i < len && (s[i] == '-' || s[i] == '+'))
        neg = s[i++] == '-';
    if (i >= len || s[i] < '0' || s[i] > '9')
        return -1;
    limit = neg ? (uint64_t)(-(min + 1)) + 1 : (uint64_t)max;
    for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
        uint64_t digit = (uint64_t)(s[i] - '0');

        if (acc > (limit - digit) / 10)
            return -2;
        acc = acc * 10 + digit;
    }
    while (i < len && is_space(s[i]))
        i++;
    if (i != len)
        return -1;
    *out = neg ? (int64_t)(0 - acc) : (int64_t)acc;
    return 0;
}

static int
int_in(const char *s, size_t len, int64_t min, int64_t max, const char *tname, Datum *out, Err *err)
{
    int64_t v;
    int rc = int_parse(s, len, min, max, &v);

    if (rc == -1)
        return ERR_RAISE(err, ERRCODE_INVALID_TEXT_REPRESENTATION,
                         "invalid input syntax for type %s: \"%s\"", tname, s);
    if (rc == -2)
        return ERR_RAISE(err, ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE,
                         "value \"%s\" is out of range for type %s", s, tname);
    *out = datum_from_int64(v);
    return 0;
}

int
int2_in(const char *s, size_t len, int32_t typmod, const TypeIoCtx *io, Arena *a, Datum *out,
        Err *err)
{
    (void)typmod, (void)io, (void)a;
    return int_in(s, len, INT16_MIN, INT16_MAX, "smallint", out, err);
}

int
int4_in(const char *s, size_t len, int32_t typmod, const TypeIoCtx *io, Arena *a, Datum *out,
        Err *err)
{
    (void)typmod, (void)io, (void)a;
    return int_in(s, len, INT32_MIN, INT32_MAX, "integer", out, err);
}

int
int8_in(const char *s, size_t len, int32_t typmod, const TypeIoCtx *io, Arena *a, Datum *out,
        Err *err)
{
    (void)typmod, (void)io, (void)a;
    return int_in(s, len, INT64_MIN, INT64_MAX, "bigint", out, err);
}

void
int_format(int64_t v, Buf *out)
{
    char tmp[24];
    int n = 0;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

    do {
        tmp[sizeof tmp - 1 - n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u != 0);
    if (v < 0)
        tmp[sizeof tmp - 1 - n++] = '-';
    buf_append(out, tmp + sizeof tmp - n, (size_t)n);
}

void
int2_out(Datum d, int32_t typmod, const TypeIoCtx *io, Buf *out)
{
    (void)typmod, (void)io;
    int_format(datum_get_int16(d), out);
}

void
int4_out(Datum d, int32_t typmod, const TypeIoCtx *io, Buf *out)
{
    (void)typmod, (void)io;
    int_format(datum_get_int32(d), out);
}

void
int8_out(Datum d, int32_t typmod, const TypeIoCtx *io, Buf *out)
{
    (void)typmod, (void)io;
    int_format(datum_get_int64(d), out);
}

int
int2_recv(const uint8_t *p, size_t len, int32_t typmod, Arena *a, Datum *out, Err *err)
{
    (void)typmod, (void)a;
    if (recv_length(len, 2, err) < 0)
        return -1;
    *out = datum_from_int16((int16_t)buf_get_u16(p));
    return 0;
}

int
int4_recv(const uint8_t *p, size_t len, int32_t typmod, Arena *a, Datum *out, Err *err)
{
    (void)typmod, (void)a;
    if (recv_length(len, 4, err) < 0)
        return -1;
    *out = datum_from_int32((int32_t)buf_get_u32(p));
    return 0;
}

int
int8_recv(const uint8_t *p, size_t len, int32_t typmod, Arena *a, Datum *out, Err *err)
{
    (void)typmod, (void)a;
    if (recv_length(len, 8, err) < 0)
        return -1;
    *out = datum_from_int64((int64_t)buf_get_u64(p));
    return 0;
}

void
int2_send(Datum d, int32_t typmod, Buf *out)
{
    (void)typmod;
    buf_put_u16(out, (uint16_t)datum_get_int16(d));
}

void
int4_send(Datum d, int32_t typmod, Buf *out)
{
    (void)typmod;
    buf_put_u32(out, (uint32_t)datum_get_int32(d));
}

void
int8_send(Datum d, int32_t typmod, Buf *out)
{
    (void)typmod;
    buf_put_u64(out, (uint64_t)datum_get_int64(d));
}

/* ---- double precision ----------------------------------------------------- */

/* The special spellings of float input (NaN, [+-]Infinity, [+-]inf, any case). */
bool
float_special_word(const char *s, size_t n, double *v)
{
    static const struct {
        const char *word;
        double value;
    } words[] = {{"nan", NAN},
                 {"infinity", INFINITY},
                 {"+infinity", INFINITY},
                 {"-infinity", -INFINITY},
                 {"inf", INFINITY},
                 {"+inf", INFINITY},
                 {"-inf", -INFINITY}};

    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        if (strlen(words[i].word) == n && strncasecmp(s, words[i].word, n) == 0) {
            *v = words[i].value;
            return true;
        }
    }
    return false;
}

int
float8_in(const char *s, size_t len, int32_t typmod, const TypeIoCtx *io, Arena *a, Datum *out,
          Err *err)
{
    const char *p = s, *end = s + len;
    char *stop;
    double v;

    (void)typmod, (void)io, (void)a;
    while (p < end && is_space(*p))
        p++;
    while (end > p && is_space(end[-1]))
        end--;
    if (p == end)
        goto syntax;
    if (float_special_word(p, (size_t)(end - p), &v)) {
        *out = datum_from_float8(v);
        return 0;
    }
    errno = 0;
    v = strtod(p, &stop);
    if (stop != end)
        goto syntax;
    if (errno == ERANGE && (v == 0.0 || isinf(v)))
        return ERR_RAISE(err, ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE,
                         "\"%s\" is out of range for type double precision", s);
    /* whatever else strtod takes whole ("nan(1)", hex floats) PostgreSQL takes too */
    *out = datum_from_float8(v);
    return 0;
syntax:
    return ERR_RAISE(err, ERRCODE_INVALID_TEXT_REPRESENTATION,
                     "invalid input syntax for type double precision: \"%s\"", s);
}

/*
 * Lays out the digits of a %e rendering the way PostgreSQL's Ryu output does: plain decimal
 * for exponents in [-4, sci_from), scientific otherwise (sci_from is 15 for float8, 6 for
 * float4).
 */
void
float_layout(const char *e_form, int sci_from, Buf *out)
{
    char digits[32];
    int nd = 0, exp;
    const char *p = e_form;

    if (*p == '-')
        buf_put_u8(out, (uint8_t)*p++);
    for (; *p != 'e' && nd < (int)sizeof digits - 1; p++) {
        if (*p != '.')
            digits[nd++] = *p;
    }
    exp = (int)strtol(p + 1, NULL, 10);
    while (nd > 1 && digits[nd - 1] == '0')
        nd--;
    if (exp < -4 || exp >= sci_from) {
        buf_put_u8(out, (uint8_t)digits[0]);
        if (nd > 1) {
            buf_put_u8(out, '.');
            buf_append(out, digits + 1, (size_t)nd - 1);
        }
        buf_printf(out, "e%c%02d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
    } else if (exp < 0) {
        buf_put_str(out, "0.");
        for (int i = -1; i > exp; i--)
            buf_put_u8(out, '0');
        buf_append(out, digits, (size_t)nd);
    } else {
        for (int i = 0; i <= exp; i++)
            buf_put_u8(out, (uint8_t)(i < nd ? digits[i] : '0'));
        if (nd > exp + 1) {
            buf_put_u8(out, '.');
            buf_append(out, digits + exp + 1, (size_t)(nd - exp - 1));
        }
    }
}

void
float8_out(Datum d, int32_t typmod, const TypeIoCtx *io, Buf *out)
{
    double v = datum_get_float8(d);
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
        snprintf(tmp, sizeof tmp, "%.*g", 15 + io->extra_float_digits, v);
        buf_put_str(out, tmp);
        return;
    }
    /* Shortest digit string that reads back as exactly v (what Ryu computes). */
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*e", prec - 1, v);
        if (strtod(tmp, NULL) == v)
            break;
    }
    float_layout(tmp, 15, out);
}

int
float8_recv(const uint8_t *p, size_t len, int32_t typmod, Arena *a, Datum *out, Err *err)
{
    (void)typmod, (void)a;
    if (recv_length(len, 8, err) < 0)
        return -1;
    *out = (Datum)buf_get_u64(p);
    return 0;
}

void
float8_send(Datum d, int32_t typmod, Buf *out)
{
    (void)typmod;
    buf_put_u64(out, (uint64_t)d);
}

/* ---- void ------------------------------------------------------------------ */

int
void_in(const char *s, size_t len, int32_t typmod, const TypeIoCtx *io, Arena *a, Datum *out,
        Err *err)
{
    (void)s, (void)len, (void)typmod, (void)io, (void)a, (void)err;
    *out = 0;
    return 0;
}

void
void_out(Datum d, int32_t typmod, const TypeIoCtx *io, Buf *out)
{
    (void)d, (void)typmod, (void)io, (void)out;
}

int
void_recv(const uint8_t *p, size_t len, int32_t typmod, Arena *a, Datum *out, Err *err)
{
    (void)p, (void)len, (void)typmod, (void)a, (void)err;
    *out = 0;
    return 0;
}

void
void_send(Datum d, int32_t typmod, Buf *out)
{
    (void)d, (void)typmod, (void)out;
}
