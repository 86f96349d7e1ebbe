/*
 * sql/types_bytea.c — bytea: text I/O in PostgreSQL's hex format
 * (bytea_output = hex: "\x" + two lower-case digits a byte) with input in
 * both the hex and the escape format, binary I/O (the raw bytes), and the
 * byte-wise built-ins: ||, comparisons, lengths, substr, position,
 * get_byte, md5, and encode/decode (hex, base64, escape).
 *
 * Invariants:
 *   1. A bytea Datum is a VarData of arbitrary bytes (NUL allowed; the
 *      uncounted trailing NUL of datum.h is still there).
 *   2. Input errors as PostgreSQL: 22023 for bad hex, 22P02 "invalid input
 *      syntax for type bytea" for bad escapes.
 *   3. Comparison is memcmp, then length (byteacmp).
 */
#include <string.h>
#include <strings.h>

#include "common/errcodes.h"
#include "sql/func_string.h"
#include "sql/types.h"

#define VAR(i) datum_get_var(call->args[i])
#define ARENA (call->ctx->arena)

static const char HEX[] = "0123456789abcdef";
static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int
hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static bool
hex_space(char c)
{
    return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

/* hex_decode(): digit pairs, whitespace allowed between pairs. */
static int
hex_decode(const char *s, size_t len, Arena *a, Datum *out, Err *err)
{
    VarData *v = arena_alloc(a, sizeof(VarData) + len / 2 + 1);
    size_t n = 0;

    for (size_t i = 0; i < len;) {
        int hi, lo;

        if (hex_space(s[i])) {
            i++;
            continue;
        }
        if ((hi = hex_value(s[i])) < 0)
            return ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE,
                             "invalid hexadecimal digit: \"%.*s\"", utf8_len((unsigned char)s[i]),
                             s + i);
        if (i + 1 >= len)
            return ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE,
                             "invalid hexadecimal data: odd number of digits");
        if ((lo = hex_value(s[i + 1])) < 0)
            return ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE,
                             "invalid hexadecimal digit: \"%.*s\"",
                             utf8_len((unsigned char)s[i + 1]), s + i + 1);
        v->data[n++] = (char)(hi << 4 | lo);
        i += 2;
    }
    v->len = (uint32_t)n;
    v->data[n] = '\0';
    *out = datum_from_var(v);
    return 0;
}

static bool
is_octal3(const char *s, size_t left)
{
    return left >= 4 && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' && s[3] >= '0' &&
           s[3] <= '7';
}

/* The escape format: \\ is a backslash, \ooo an octal byte, anything else literal. */
static int
escape_decode(const char *s, size_t len, Arena *a, Datum *out, Err *err)
{
    VarData *v = arena_alloc(a, sizeof(VarData) + len + 1);
    size_t n = 0;

    for (size_t i = 0; i < len;) {
        if (s[i] != '\\') {
            v->data[n++] = s[i++];
        } else if (i + 1 < len && s[i + 1] == '\\') {
            v->data[n++] = '\\';
            i += 2;
        } else if (is_octal3(s + i, len - i)) {
            v->data[n++] = (char)((s[i + 1] - '0') << 6 | (s[i + 2] - '0') << 3 | (s[i + 3] - '0'));
            i += 4;
        } else {
            return ERR_RAISE(err, ERRCODE_INVALID_TEXT_REPRESENTATION,
                             "invalid input syntax for type bytea");
        }
    }
    v->len = (uint32_t)n;
    v->data[n] = '\0';
    *out = datum_from_var(v);
    return 0;
}

int
bytea_in(const char *s, size_t len, int32_t typmod, const TypeIoCtx *io, Arena *a, Datum *out,
         Err *err)
{
    (void)typmod, (void)io;
    if (len >= 2 && s[0] == '\\' && s[1] == 'x')
        return hex_decode(s + 2, len - 2, a, out, err);
    return escape_decode(s, len, a, out, err);
}

/* bytea_output = escape: printable ASCII as is, a backslash doubled, other bytes as \ooo. */
static void
escape_out(const VarData *v, Buf *out)
{
    for (uint32_t i = 0; i < v->len; i++) {
        uint8_t c = (uint8_t)v->data[i];

        if (c == '\\')
            buf_append(out, "\\\\", 2);
        else if (c < 0x20 || c > 0x7e)
            buf_printf(out, "\\%03o", c);
        else
            buf_put_u8(out, c);
    }
}

void
bytea_out(Datum d, int32_t typmod, const TypeIoCtx *io, Buf *out)
{
    const VarData *v = datum_get_var(d);

    (void)typmod;
    if (io != NULL && io->bytea_escape) {
        escape_out(v, out);
        return;
    }
    if (!buf_reserve(out, 2 + (size_t)v->len * 2))
        return;
    buf_append(out, "\\x", 2);
    for (uint32_t i = 0; i < v->len; i++) {
        uint8_t c = (uint8_t)v->data[i];
        char pair[2] = {HEX[c >> 4], HEX[c & 15]};

        buf_append(out, pair, 2);
    }
}

int
bytea_recv(const uint8_t *p, size_t len, int32_t typmod, Arena *a, Datum *out, Err *err)
{
    (void)typmod, (void)err;
    *out = datum_from_text(a, (const char *)p, len);
    return 0;
}

void
bytea_send(Datum d, int32_t typmod, Buf *out)
{
    const VarData *v = datum_get_var(d);

    (void)typmod;
    buf_append(out, v->data, v->len);
}

/* ---- operators and functions ------------------------------------------------------------- */

BUILTIN(bytea_cat)
{
    const VarData *a = VAR(0), *b = VAR(1);
    VarData *r;

    (void)isnull;
    if ((size_t)a->len + b->len > STRING_MAX_BYTES)
        return ERR_RAISE(err, ERRCODE_PROGRAM_LIMIT_EXCEEDED, "invalid memory alloc request size");
    r = arena_alloc(ARENA, sizeof(VarData) + a->len + b->len + 1);
    r->len = a->len + b->len;
    memcpy(r->data, a->data, a->len);
    memcpy(r->data + a->len, b->data, b->len);
    r->data[r->len] = '\0';
    *result = datum_from_var(r);
    return 0;
}

static int
compare(const FnCall *call)
{
    const VarData *a = VAR(0), *b = VAR(1);
    size_t n = a->len < b->len ? a->len : b->len;
    int c = n ? memcmp(a->data, b->data, n) : 0;

    return c != 0 ? c : (a->len > b->len) - (a->len < b->len);
}

#define BYTEA_CMP(fname, op)                                                                       \
    BUILTIN(fname)                                                                                 \
    {                                                                                              \
        (void)isnull, (void)err;                                                                   \
        *result = datum_from_bool(compare(call) op 0);                                             \
        return 0;                                                                                  \
    }

BYTEA_CMP(bytea_eq, ==)
BYTEA_CMP(bytea_ne, !=)
BYTEA_CMP(bytea_lt, <)
BYTEA_CMP(bytea_le, <=)
BYTEA_CMP(bytea_gt, >)
BYTEA_CMP(bytea_ge, >=)

BUILTIN(bytea_octet_length)
{
    (void)isnull, (void)err;
    *result = datum_from_int32((int32_t)VAR(0)->len);
    return 0;
}

BUILTIN(bytea_bit_length)
{
    (void)isnull, (void)err;
    *result = datum_from_int32((int32_t)(VAR(0)->len * 8));
    return 0;
}

BUILTIN(bytea_md5)
{
    char hex[33];

    (void)isnull, (void)err;
    md5_hex(VAR(0)->data, VAR(0)->len, hex);
    *result = datum_from_text(ARENA, hex, 32);
    return 0;
}

/* bytea_substring(): bytes start .. start+count-1, 1-based and clipped. */
BUILTIN(bytea_substr)
{
    const VarData *v = VAR(0);
    int64_t start = datum_get_int32(call->args[1]);
    int64_t end = v->len + (int64_t)1;

    (void)isnull;
    if (call->nargs > 2) {
        int64_t count = datum_get_int32(call->args[2]);

        if (count < 0)
            return ERR_RAISE(err, ERRCODE_SUBSTRING_ERROR, "negative substring length not allowed");
        if (start + count < end)
            end = start + count;
    }
    if (start < 1)
        start = 1;
    if (end <= start || start > (int64_t)v->len) {
        *result = datum_from_text(ARENA, "", 0);
        return 0;
    }
    *result = datum_from_text(ARENA, v->data + start - 1, (size_t)(end - start));
    return 0;
}

BUILTIN(bytea_position)
{
    const VarData *s = VAR(0), *p = VAR(1);
    const char *hit;

    (void)isnull, (void)err;
    if (p->len == 0) {
        *result = datum_from_int32(1);
        return 0;
    }
    hit = memmem(s->data, s->len, p->data, p->len);
    *result = datum_from_int32(hit == NULL ? 0 : (int32_t)(hit - s->data) + 1);
    return 0;
}

BUILTIN(bytea_get_byte)
{
    const VarData *v = VAR(0);
    int32_t n = datum_get_int32(call->args[1]);

    (void)isnull;
    if (n < 0 || (uint32_t)n >= v->len)
        return ERR_RAISE(err, ERRCODE_ARRAY_SUBSCRIPT_ERROR, "index %d out of valid range, 0..%d",
                         n, (int)v->len - 1);
    *result = datum_from_int32((uint8_t)v->data[n]);
    return 0;
}

/* ---- encode / decode ------------------------------------------------------------------- */

static void
base64_encode(const VarData *v, Buf *out)
{
    size_t line = 0;

    for (uint32_t i = 0; i < v->len; i += 3) {
        uint32_t w = (uint32_t)(uint8_t)v->data[i] << 16;
        char q[4];

        if (i + 1 < v->len)
            w |= (uint32_t)(uint8_t)v->data[i + 1] << 8;
        if (i + 2 < v->len)
            w |= (uint8_t)v->data[i + 2];
        q[0] = B64[w >> 18];
        q[1] = B64[(w >> 12) & 63];
        q[2] = i + 1 < v->len ? B64[(w >> 6) & 63] : '=';
        q[3] = i + 2 < v->len ? B64[w & 63] : '=';
        if (line >= 76) {
            buf_put_u8(out, '\n');
            line = 0;
        }
        buf_append(out, q, 4);
        line += 4;
    }
}

static int
base64_decode(const VarData *v, Arena *a, Datum *out, Err *err)
{
    VarData *r = arena_alloc(a, sizeof(VarData) + v->len + 1);
    uint32_t acc = 0;
    int nacc = 0, pad = 0;
    size_t n = 0;

    for (uint32_t i = 0; i < v->len; i++) {
        char c = v->data[i];
        const char *pos;

        if (hex_space(c))
            continue;
        if (c == '=') {
            pad++;
            if (nacc < 2)
                goto bad_end;
            acc <<= 6;
            nacc++;
            if (nacc == 4) {
                r->data[n++] = (char)(acc >> 16);
                if (pad == 1)
                    r->data[n++] = (char)(acc >> 8);
                acc = 0;
                nacc = 0;
            }
            continue;
        }
        pos = c != '\0' ? strchr(B64, c) : NULL;
        if (pos == NULL || pad > 0) {
            if (pos != NULL)
                goto bad_end;
            return ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE,
                             "invalid symbol \"%.*s\" found while decoding base64 sequence",
                             utf8_len((unsigned char)c), v->data + i);
        }
        acc = acc << 6 | (uint32_t)(pos - B64);
        if (++nacc == 4) {
            r->data[n++] = (char)(acc >> 16);
            r->data[n++] = (char)(acc >> 8);
            r->data[n++] = (char)acc;
            acc = 0;
            nacc = 0;
        }
    }
    if (nacc != 0)
        goto bad_end;
    r->len = (uint32_t)n;
    r->data[n] = '\0';
    *out = datum_from_var(r);
    return 0;
bad_end:
    ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE, "invalid base64 end sequence");
    err_hint(err, "Input data is missing padding, is truncated, or is otherwise corrupted.");
    return -1;
}

static int
unknown_encoding(const VarData *f, Err *err)
{
    return ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE, "unrecognized encoding: \"%s\"",
                     f->data);
}

BUILTIN(fn_encode)
{
    const VarData *v = VAR(0), *f = VAR(1);
    Buf b;

    (void)isnull;
    buf_init(&b, STRING_MAX_BYTES + 1);
    if (strcasecmp(f->data, "hex") == 0) {
        for (uint32_t i = 0; i < v->len; i++) {
            uint8_t c = (uint8_t)v->data[i];
            char pair[2] = {HEX[c >> 4], HEX[c & 15]};

            buf_append(&b, pair, 2);
        }
    } else if (strcasecmp(f->data, "base64") == 0) {
        base64_encode(v, &b);
    } else if (strcasecmp(f->data, "escape") == 0) {
        for (uint32_t i = 0; i < v->len; i++) {
            uint8_t c = (uint8_t)v->data[i];

            if (c == '\\')
                buf_append(&b, "\\\\", 2);
            else if (c == 0 || c >= 0x80)
                buf_printf(&b, "\\%03o", c);
            else
                buf_put_u8(&b, c);
        }
    } else {
        buf_free(&b);
        return unknown_encoding(f, err);
    }
    if (b.failed) {
        buf_free(&b);
        return ERR_RAISE(err, ERRCODE_PROGRAM_LIMIT_EXCEEDED, "requested length too large");
    }
    *result = datum_from_text(ARENA, b.len ? (const char *)b.data : "", b.len);
    buf_free(&b);
    return 0;
}

BUILTIN(fn_decode)
{
    const VarData *v = VAR(0), *f = VAR(1);

    (void)isnull;
    if (strcasecmp(f->data, "hex") == 0)
        return hex_decode(v->data, v->len, ARENA, result, err);
    if (strcasecmp(f->data, "base64") == 0)
        return base64_decode(v, ARENA, result, err);
    if (strcasecmp(f->data, "escape") == 0)
        return escape_decode(v->data, v->len, ARENA, result, err);
    return unknown_encoding(f, err);
}

/* ---- trimming, bytes and bits, overlay ------------------------------------------------------ */

static Datum
bytes(const FnCall *call, const char *p, size_t n)
{
    return datum_from_text(ARENA, p, n);
}

static int
trim_bytes(const FnCall *call, bool left, bool right, Datum *result)
{
    const VarData *s = VAR(0), *set = VAR(1);
    size_t b = 0, e = s->len;

    while (left && b < e && memchr(set->data, s->data[b], set->len) != NULL)
        b++;
    while (right && e > b && memchr(set->data, s->data[e - 1], set->len) != NULL)
        e--;
    *result = bytes(call, s->data + b, e - b);
    return 0;
}

BUILTIN(bytea_btrim)
{
    (void)isnull, (void)err;
    return trim_bytes(call, true, true, result);
}

BUILTIN(bytea_ltrim)
{
    (void)isnull, (void)err;
    return trim_bytes(call, true, false, result);
}

BUILTIN(bytea_rtrim)
{
    (void)isnull, (void)err;
    return trim_bytes(call, false, true, result);
}

static int
out_of_range(int64_t n, int64_t last, Err *err)
{
    return ERR_RAISE(err, ERRCODE_ARRAY_SUBSCRIPT_ERROR, "index %lld out of valid range, 0..%lld",
                     (long long)n, (long long)last);
}

BUILTIN(bytea_set_byte)
{
    const VarData *v = VAR(0);
    int32_t n = datum_get_int32(call->args[1]);
    VarData *r;

    (void)isnull;
    if (n < 0 || (uint32_t)n >= v->len)
        return out_of_range(n, (int64_t)v->len - 1, err);
    r = vardata_make(ARENA, v->data, v->len);
    r->data[n] = (char)(uint8_t)datum_get_int32(call->args[2]);
    *result = datum_from_var(r);
    return 0;
}

/* Bits count from the low bit of each byte: bit n is byte n / 8, bit n % 8. */
BUILTIN(bytea_get_bit)
{
    const VarData *v = VAR(0);
    int64_t n = datum_get_int64(call->args[1]);

    (void)isnull;
    if (n < 0 || n >= (int64_t)v->len * 8)
        return out_of_range(n, (int64_t)v->len * 8 - 1, err);
    *result = datum_from_int32(((uint8_t)v->data[n / 8] >> (n % 8)) & 1);
    return 0;
}

BUILTIN(bytea_set_bit)
{
    const VarData *v = VAR(0);
    int64_t n = datum_get_int64(call->args[1]);
    int32_t bit = datum_get_int32(call->args[2]);
    VarData *r;

    (void)isnull;
    if (n < 0 || n >= (int64_t)v->len * 8)
        return out_of_range(n, (int64_t)v->len * 8 - 1, err);
    if (bit != 0 && bit != 1)
        return ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE, "new bit must be 0 or 1");
    r = vardata_make(ARENA, v->data, v->len);
    if (bit)
        r->data[n / 8] = (char)((uint8_t)r->data[n / 8] | (1u << (n % 8)));
    else
        r->data[n / 8] = (char)((uint8_t)r->data[n / 8] & ~(1u << (n % 8)));
    *result = datum_from_var(r);
    return 0;
}

BUILTIN(bytea_bit_count)
{
    const VarData *v = VAR(0);
    int64_t n = 0;

    (void)isnull, (void)err;
    for (uint32_t i = 0; i < v->len; i++)
        n += __builtin_popcount((uint8_t)v->data[i]);
    *result = datum_from_int64(n);
    return 0;
}

/* overlay(s placing r from start [for count]), bytes, as the text version counts characters. */
BUILTIN(bytea_overlay)
{
    const VarData *s = VAR(0), *r = VAR(1);
    int64_t start = datum_get_int32(call->args[2]);
    int64_t count = call->nargs > 3 ? (int64_t)datum_get_int32(call->args[3]) : (int64_t)r->len;
    size_t b0, b1;
    VarData *o;

    (void)isnull;
    if (start + count > INT32_MAX || start + count < INT32_MIN)
        return ERR_RAISE(err, ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, "integer out of range");
    if (start - 1 < 0)
        return ERR_RAISE(err, ERRCODE_SUBSTRING_ERROR, "negative substring length not allowed");
    b0 = (size_t)(start - 1) < s->len ? (size_t)(start - 1) : s->len;
    b1 = start + count < 1                      ? 0
         : (size_t)(start + count - 1) < s->len ? (size_t)(start + count - 1)
                                                : s->len;
    o = arena_alloc(ARENA, sizeof(VarData) + b0 + r->len + (s->len - b1) + 1);
    o->len = (uint32_t)(b0 + r->len + (s->len - b1));
    memcpy(o->data, s->data, b0);
    memcpy(o->data + b0, r->data, r->len);
    memcpy(o->data + b0 + r->len, s->data + b1, s->len - b1);
    o->data[o->len] = '\0';
    *result = datum_from_var(o);
    return 0;
}

/* ---- encodings: the server encoding is UTF8, the only one supported ----------------------------
 */

/* pg_char_to_encoding(): UTF8 and its aliases (case and punctuation ignored). */
static int
check_encoding(const VarData *name, const char *role, Err *err)
{
    char norm[32];
    size_t n = 0;

    for (uint32_t i = 0; i < name->len && n + 1 < sizeof norm; i++) {
        char c = name->data[i];

        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            norm[n++] = c;
        else if (c >= 'A' && c <= 'Z')
            norm[n++] = (char)(c - 'A' + 'a');
    }
    norm[n] = '\0';
    if (strcmp(norm, "utf8") == 0 || strcmp(norm, "unicode") == 0)
        return 0;
    {
        static const char *const known[] = {"sqlascii", "latin1", "latin2",   "latin9",   "win1252",
                                            "win1251",  "euc jp", "eucjp",    "sjis",     "big5",
                                            "gbk",      "koi8r",  "iso88591", "iso885915"};

        for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
            if (strcmp(norm, known[i]) == 0)
                return ERR_RAISE(err, ERRCODE_FEATURE_NOT_SUPPORTED,
                                 "encoding \"%s\" is not supported yet", name->data);
        }
    }
    return ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE, "invalid %s encoding name \"%s\"", role,
                     name->data);
}

BUILTIN(fn_convert_to)
{
    (void)isnull;
    if (check_encoding(VAR(1), "destination", err) < 0)
        return -1;
    *result = call->args[0]; /* UTF8 text is its own UTF8 byte string */
    return 0;
}

BUILTIN(fn_convert_from)
{
    (void)isnull;
    if (check_encoding(VAR(1), "source", err) < 0 ||
        text_verify_utf8(VAR(0)->data, VAR(0)->len, err) < 0)
        return -1;
    *result = call->args[0];
    return 0;
}

BUILTIN(bytea_length_enc)
{
    (void)isnull;
    if (check_encoding(VAR(1), "source", err) < 0 ||
        text_verify_utf8(VAR(0)->data, VAR(0)->len, err) < 0)
        return -1;
    *result = datum_from_int32(text_char_count(VAR(0)->data, VAR(0)->len));
    return 0;
}
