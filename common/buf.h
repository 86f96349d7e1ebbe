/*
 * common/buf.h — a growable byte buffer with a ceiling.
 *
 * Every Buf is created with a maximum size (curl's rule): an append that would
 * pass it fails instead of growing, and the failure is sticky (LMDB's rule)
 * until buf_reset(), so a caller can append a whole message and check once.
 * Multi-byte integers are written big-endian (network order), which is what
 * the PostgreSQL protocol and our on-disk formats use.
 *
 * Ownership: the Buf owns its malloc'd storage; buf_free() releases it.
 *
 * Invariants:
 *   1. len <= cap <= max at all times.
 *   2. Once failed is set, no append changes data or len.
 */
#ifndef RIVULET_COMMON_BUF_H
#define RIVULET_COMMON_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct Buf {
    uint8_t *data;
    size_t len;
    size_t cap;
    size_t max;
    bool failed; /* an append passed max (or malloc failed); sticky */
} Buf;

#define BUF_DEFAULT_MAX ((size_t)1 << 30)

void buf_init(Buf *b, size_t max);
void buf_free(Buf *b);
/* Empties the buffer and clears the failed flag; keeps the storage. */
void buf_reset(Buf *b);
/* Makes room for n more bytes; false (and failed set) if that would pass max. */
bool buf_reserve(Buf *b, size_t n);

void buf_append(Buf *b, const void *p, size_t n);
void buf_put_u8(Buf *b, uint8_t v);
void buf_put_u16(Buf *b, uint16_t v);
void buf_put_u32(Buf *b, uint32_t v);
void buf_put_u64(Buf *b, uint64_t v);
/* Appends s and its terminating NUL. */
void buf_put_cstr(Buf *b, const char *s);
/* Appends s without a NUL. */
void buf_put_str(Buf *b, const char *s);
void buf_printf(Buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Overwrites 4 bytes at off (which must be < len - 3) with v, big-endian. */
void buf_patch_u32(Buf *b, size_t off, uint32_t v);

/* Drops the first n bytes (n <= len). */
void buf_consume(Buf *b, size_t n);

/* Big-endian readers for callers that have checked the length. */
static inline uint16_t
buf_get_u16(const uint8_t *p)
{
    return (uint16_t)((uint16_t)p[0] << 8 | p[1]);
}

static inline uint32_t
buf_get_u32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline uint64_t
buf_get_u64(const uint8_t *p)
{
    return (uint64_t)buf_get_u32(p) << 32 | buf_get_u32(p + 4);
}

#endif
