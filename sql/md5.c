/*
 * sql/md5.c — the MD5 message digest (RFC 1321), for md5(text) and
 * md5(bytea), written from the RFC's description.
 *
 * Invariants:
 *   1. md5_hex() writes 32 lower-case hex digits and a NUL; no allocation.
 *   2. Byte order is the RFC's: little-endian words in and out.
 */
#include <stdint.h>
#include <string.h>

#include "sql/func_string.h"

typedef struct Md5 {
    uint32_t h[4];
    uint64_t total;
    uint8_t block[64];
    size_t used;
} Md5;

/* Per-round shift amounts and the sine-derived constants T[i] = floor(2^32 * |sin(i + 1)|). */
static const uint8_t SHIFT[64] = {7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
                                  5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20,
                                  4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
                                  6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21};
static const uint32_t T[64] = {
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
    0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
    0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
    0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
    0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391};

static uint32_t
rotl(uint32_t x, int n)
{
    return (x << n) | (x >> (32 - n));
}

static void
md5_block(Md5 *m, const uint8_t *p)
{
    uint32_t x[16], a = m->h[0], b = m->h[1], c = m->h[2], d = m->h[3];

    for (int i = 0; i < 16; i++)
        x[i] = (uint32_t)p[4 * i] | (uint32_t)p[4 * i + 1] << 8 | (uint32_t)p[4 * i + 2] << 16 |
               (uint32_t)p[4 * i + 3] << 24;
    for (int i = 0; i < 64; i++) {
        uint32_t f, tmp;
        int g;

        if (i < 16) {
            f = (b & c) | (~b & d);
            g = i;
        } else if (i < 32) {
            f = (b & d) | (c & ~d);
            g = (5 * i + 1) % 16;
        } else if (i < 48) {
            f = b ^ c ^ d;
            g = (3 * i + 5) % 16;
        } else {
            f = c ^ (b | ~d);
            g = (7 * i) % 16;
        }
        tmp = d;
        d = c;
        c = b;
        b = b + rotl(a + f + T[i] + x[g], SHIFT[i]);
        a = tmp;
    }
    m->h[0] += a;
    m->h[1] += b;
    m->h[2] += c;
    m->h[3] += d;
}

static void
md5_update(Md5 *m, const uint8_t *p, size_t n)
{
    m->total += n;
    while (n > 0) {
        size_t take = 64 - m->used < n ? 64 - m->used : n;

        memcpy(m->block + m->used, p, take);
        m->used += take;
        p += take;
        n -= take;
        if (m->used == 64) {
            md5_block(m, m->block);
            m->used = 0;
        }
    }
}

void
md5_hex(const void *data, size_t len, char out[33])
{
    static const char hex[] = "0123456789abcdef";
    Md5 m = {{0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476}, 0, {0}, 0};
    uint64_t bits;
    uint8_t pad[72] = {0x80}, lenbytes[8];

    md5_update(&m, data, len);
    bits = m.total * 8;
    md5_update(&m, pad, m.used < 56 ? 56 - m.used : 120 - m.used);
    for (int i = 0; i < 8; i++)
        lenbytes[i] = (uint8_t)(bits >> (8 * i));
    md5_update(&m, lenbytes, 8);
    for (int i = 0; i < 16; i++) {
        uint8_t byte = (uint8_t)(m.h[i / 4] >> (8 * (i % 4)));

        out[2 * i] = hex[byte >> 4];
        out[2 * i + 1] = hex[byte & 15];
    }
    out[32] = '\0';
}
