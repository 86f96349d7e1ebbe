/*
 * common/buf.c — capped growable byte buffer. See buf.h for the contract.
 *
 * Invariants:
 *   1. Growth doubles capacity (at least 64 bytes) but never past max.
 *   2. A failed append leaves the buffer's contents as they were.
 */
#include "common/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
buf_init(Buf *b, size_t max)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max ? max : BUF_DEFAULT_MAX;
    b->failed = false;
}

void
buf_free(Buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->failed = false;
}

void
buf_reset(Buf *b)
{
    b->len = 0;
    b->failed = false;
}

bool
buf_reserve(Buf *b, size_t n)
{
    size_t want, cap;
    uint8_t *p;

    if (b->failed)
        return false;
    if (n > b->max || b->len > b->max - n) {
        b->failed = true;
        return false;
    }
    want = b->len + n;
    if (want <= b->cap)
        return true;
    cap = b->cap ? b->cap : 64;
    while (cap < want)
        cap = cap > b->max / 2 ? b->max : cap * 2;
    p = realloc(b->data, cap);
    if (p == NULL) {
        b->failed = true;
        return false;
    }
    b->data = p;
    b->cap = cap;
    return true;
}

void
buf_append(Buf *b, const void *p, size_t n)
{
    if (n == 0 || !buf_reserve(b, n))
        return;
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

void
buf_put_u8(Buf *b, uint8_t v)
{
    buf_append(b, &v, 1);
}

void
buf_put_u16(Buf *b, uint16_t v)
{
    uint8_t p[2] = {(uint8_t)(v >> 8), (uint8_t)v};

    buf_append(b, p, 2);
}

void
buf_put_u32(Buf *b, uint32_t v)
{
    uint8_t p[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};

    buf_append(b, p, 4);
}

void
buf_put_u64(Buf *b, uint64_t v)
{
    buf_put_u32(b, (uint32_t)(v >> 32));
    buf_put_u32(b, (uint32_t)v);
}

void
buf_put_cstr(Buf *b, const char *s)
{
    buf_append(b, s, strlen(s) + 1);
}

void
buf_put_str(Buf *b, const char *s)
{
    buf_append(b, s, strlen(s));
}

void
buf_printf(Buf *b, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !buf_reserve(b, (size_t)n + 1))
        return;
    va_start(ap, fmt);
    vsnprintf((char *)b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void
buf_patch_u32(Buf *b, size_t off, uint32_t v)
{
    if (b->failed || off + 4 > b->len)
        return;
    b->data[off] = (uint8_t)(v >> 24);
    b->data[off + 1] = (uint8_t)(v >> 16);
    b->data[off + 2] = (uint8_t)(v >> 8);
    b->data[off + 3] = (uint8_t)v;
}

void
buf_consume(Buf *b, size_t n)
{
    if (n >= b->len) {
        b->len = 0;
        return;
    }
    memmove(b->data, b->data + n, b->len - n);
    b->len -= n;
}
