/*
 * sql/types_text.c — I/O functions of the string types (text, name, and the
 * unknown type of unresolved literals), and the UTF-8 helpers every layer
 * that handles client text uses.
 *
 * The server encoding is UTF8, always: text values are UTF-8 byte strings
 * without NUL bytes. Both the text and the binary forms of text are the raw
 * bytes; receiving them validates the encoding as PostgreSQL's textrecv does.
 * name is stored like text but limited to NAMEDATALEN-1 = 63 bytes, cut at a
 * character boundary (PostgreSQL's namein).
 *
 * Invariants:
 *   1. text_verify_utf8() accepts exactly what PostgreSQL's pg_utf8_islegal
 *      accepts (no overlongs, no surrogates, nothing above U+10FFFF) and
 *      reports the offending bytes in PostgreSQL's format.
 *   2. Positions count characters, not bytes (err.h, invariant 3).
 */
#include <stdio.h>
#include <string.h>

#include "sql/types.h"

#define NAME_MAX_BYTES 63

/* Bytes in the UTF-8 sequence that begins with c, as pg_utf_mblen (1 for a bad lead byte). */
static size_t
utf8_seq_len(uint8_t c)
{
    if ((c & 0x80) == 0)
        return 1;
    if ((c & 0xe0) == 0xc0)
        return 2;
    if ((c & 0xf0) == 0xe0)
        return 3;
    if ((c & 0xf8) == 0xf0)
        return 4;
    return 1;
}

static bool
utf8_legal(const uint8_t *p, size_t n)
{
    uint8_t a = p[0], b;

    if (n == 1)
        return a < 0x80;
    b = p[1];
    if (b < 0x80 || b > 0xbf)
        return false;
    switch (n) {
    case 2:
        return a >= 0xc2 && a <= 0xdf;
    case 3:
        if (p[2] < 0x80 || p[2] > 0xbf)
            return false;
        if (a == 0xe0)
            return b >= 0xa0;
        if (a == 0xed)
            return b <= 0x9f;
        return a >= 0xe1 && a <= 0xef;
    case 4:
        if (p[2] < 0x80 || p[2] > 0xbf || p[3] < 0x80 || p[3] > 0xbf)
            return false;
        if (a == 0xf0)
            return b >= 0x90;
        if (a == 0xf4)
            return b <= 0x8f;
        return a >= 0xf1 && a <= 0xf3;
    default:
        return false;
    }
}

static int
report_invalid(const uint8_t *p, size_t n, size_t left, Err *err)
{
    char bytes[32];
    size_t used = 0;

    if (n > left)
        n = left;
    for (size_t j = 0; j < n; j++)
        used += (size_t)snprintf(bytes + used, sizeof bytes - used, j ? " 0x%02x" : "0x%02x", p[j]);
    return ERR_RAISE(err, ERRCODE_CHARACTER_NOT_IN_REPERTOIRE,
                     "invalid byte sequence for encoding \"UTF8\": %s", bytes);
}

int
text_verify_utf8(const char *s, size_t len, Err *err)
{
    const uint8_t *p = (const uint8_t *)s;
    size_t i = 0;

    while (i < len) {
        size_t n;

        if (p[i] != 0 && p[i] < 0x80) { /* the common case: ASCII */
            i++;
            continue;
        }
        n = utf8_seq_len(p[i]);
        if (p[i] == 0 || n > len - i || !utf8_legal(p + i, n))
            return report_invalid(p + i, n, len - i, err);
        i += n;
    }
    return 0;
}

int
text_char_count(const char *s, size_t len)
{
    int n = 0;

    for (size_t i = 0; i < len; i++) {
        if (((uint8_t)s[i] & 0xc0) != 0x80)
            n++;
    }
    return n;
}

size_t
text_clip_utf8(const char *s, size_t len, size_t max_bytes)
{
    size_t n;

    if (len <= max_bytes)
        return len;
    n = max_bytes;
    while (n > 0 && ((uint8_t)s[n] & 0xc0) == 0x80)
        n--;
    return n;
}

/* ---- text ------------------------------------------------------------------ */

int
text_in(const char *s, size_t len, int32_t typmod, const TypeIoCtx *io, Arena *a, Datum *out,
        Err *err)
{
    (void)typmod, (void)io;
    if (text_verify_utf8(s, len, err) < 0)
        return -1;
    *out = datum_from_text(a, s, len);
    return 0;
}

void
text_out(Datum d, int32_t typmod, const TypeIoCtx *io, Buf *out)
{
    const VarData *v = datum_get_var(d);

    (void)typmod, (void)io;
    buf_append(out, v->data, v->len);
}

int
text_recv(const uint8_t *p, size_t len, int32_t typmod, Arena *a, Datum *out, Err *err)
{
    return text_in((const char *)p, len, typmod, NULL, a, out, err);
}

void
text_send(Datum d, int32_t typmod, Buf *out)
{
    const VarData *v = datum_get_var(d);

    (void)typmod;
    buf_append(out, v->data, v->len);
}

/* ---- name ------------------------------------------------------------------ */

int
name_in(const char *s, size_t len, int32_t typmod, const TypeIoCtx *io, Arena *a, Datum *out,
        Err *err)
{
    (void)typmod, (void)io;
    if (text_verify_utf8(s, len, err) < 0)
        return -1;
    *out = datum_from_text(a, s, text_clip_utf8(s, len, NAME_MAX_BYTES));
    return 0;
}

int
name_recv(const uint8_t *p, size_t len, int32_t typmod, Arena *a, Datum *out, Err *err)
{
    return name_in((const char *)p, len, typmod, NULL, a, out, err);
}
