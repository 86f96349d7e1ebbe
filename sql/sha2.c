/*
 * sql/sha2.c — the SHA-2 digests of FIPS 180-4 for sha224(), sha256(),
 * sha384() and sha512() over bytea, written from the standard's description.
 *
 * The round constants and initial hash values are defined by the standard as
 * the leading bits of the fractional parts of the cube roots (K) and square
 * roots (H) of the first primes. Rather than transcribe 100 hex constants,
 * they are computed once, exactly, with integer arithmetic: the 64-bit
 * fraction of cbrt(p) is the largest c with c^3 <= p * 2^192 (less the
 * integer part), found bit by bit in 256-bit arithmetic. SHA-256's constants
 * are the high halves of SHA-512's; SHA-224's initial values are the low
 * halves of SHA-384's.
 *
 * Invariants:
 *   1. The tables are computed once per process (pthread_once) and read-only
 *      afterwards.
 *   2. Digests are checked against the standard's test vectors (test_string.c)
 *      and PostgreSQL's sha*() results (regress/sql/bytea.sql).
 */
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "sql/func_string.h"

typedef unsigned __int128 u128;

static uint64_t K512[80], H512[8], H384[8];
static uint32_t K256[64], H256[8], H224[8];
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

/* ---- exact roots --------------------------------------------------------------------------- */

/* out = a * b (a: 4 limbs little-endian, b < 2^128), truncated to 256 bits */
static void
mul256(const uint64_t a[4], u128 b, uint64_t out[4])
{
    uint64_t b0 = (uint64_t)b, b1 = (uint64_t)(b >> 64), r[4] = {0, 0, 0, 0};

    for (int i = 0; i < 4; i++) {
        u128 carry = 0;

        for (int j = 0; i + j < 4 && j < 2; j++) {
            u128 t = (u128)a[i] * (j == 0 ? b0 : b1) + r[i + j] + carry;

            r[i + j] = (uint64_t)t;
            carry = t >> 64;
        }
        for (int k = i + 2; k < 4 && carry != 0; k++) {
            u128 t = (u128)r[k] + carry;

            r[k] = (uint64_t)t;
            carry = t >> 64;
        }
    }
    memcpy(out, r, sizeof r);
}

static int
cmp256(const uint64_t a[4], const uint64_t b[4])
{
    for (int i = 3; i >= 0; i--) {
        if (a[i] != b[i])
            return a[i] < b[i] ? -1 : 1;
    }
    return 0;
}

/* The 64 fraction bits of p^(1/power) (power 2 or 3), exactly (floor). */
static uint64_t
root_fraction(uint64_t p, int power)
{
    uint64_t target[4] = {0, 0, 0, 0};
    uint64_t ip = 1;
    u128 c;

    /* target = p * 2^(64 * power) */
    target[power] = p;
    while ((power == 2 ? (ip + 1) * (ip + 1) : (ip + 1) * (ip + 1) * (ip + 1)) <= p)
        ip++;
    c = (u128)ip << 64;
    for (int bit = 63; bit >= 0; bit--) {
        u128 t = c | ((u128)1 << bit);
        uint64_t one[4] = {1, 0, 0, 0}, acc[4];

        mul256(one, t, acc);
        mul256(acc, t, acc);
        if (power == 3)
            mul256(acc, t, acc);
        if (cmp256(acc, target) <= 0)
            c = t;
    }
    return (uint64_t)c;
}

static void
tables_init(void)
{
    uint64_t primes[80];
    int n = 0;

    for (uint64_t v = 2; n < 80; v++) {
        bool prime = true;

        for (int i = 0; i < n && primes[i] * primes[i] <= v; i++) {
            if (v % primes[i] == 0) {
                prime = false;
                break;
            }
        }
        if (prime)
            primes[n++] = v;
    }
    for (int i = 0; i < 80; i++)
        K512[i] = root_fraction(primes[i], 3);
    for (int i = 0; i < 64; i++)
        K256[i] = (uint32_t)(K512[i] >> 32);
    for (int i = 0; i < 8; i++) {
        H512[i] = root_fraction(primes[i], 2);
        H384[i] = root_fraction(primes[i + 8], 2);
        H256[i] = (uint32_t)(H512[i] >> 32);
        H224[i] = (uint32_t)H384[i];
    }
}

/* ---- SHA-256 / SHA-224 ---------------------------------------------------------------------- */

static uint32_t
ror32(uint32_t x, int n)
{
    return (x >> n) | (x << (32 - n));
}

static void
block256(uint32_t h[8], const uint8_t *p)
{
    uint32_t w[64], a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];

    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
               (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ror32(w[i - 15], 7) ^ ror32(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ror32(w[i - 2], 17) ^ ror32(w[i - 2], 19) ^ (w[i - 2] >> 10);

        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = hh + (ror32(e, 6) ^ ror32(e, 11) ^ ror32(e, 25)) + ((e & f) ^ (~e & g)) +
                      K256[i] + w[i];
        uint32_t t2 = (ror32(a, 2) ^ ror32(a, 13) ^ ror32(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));

        hh = g, g = f, f = e, e = d + t1, d = c, c = b, b = a, a = t1 + t2;
    }
    h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e, h[5] += f, h[6] += g, h[7] += hh;
}

static void
sha256_digest(const uint32_t iv[8], const uint8_t *data, size_t len, uint8_t *out, int words)
{
    uint32_t h[8];
    uint8_t tail[128] = {0};
    size_t full = len / 64 * 64, rest = len - full, tlen = rest < 56 ? 64 : 128;
    uint64_t bits = (uint64_t)len * 8;

    memcpy(h, iv, sizeof h);
    for (size_t i = 0; i < full; i += 64)
        block256(h, data + i);
    memcpy(tail, data + full, rest);
    tail[rest] = 0x80;
    for (int i = 0; i < 8; i++)
        tail[tlen - 1 - i] = (uint8_t)(bits >> (8 * i));
    for (size_t i = 0; i < tlen; i += 64)
        block256(h, tail + i);
    for (int i = 0; i < words; i++) {
        out[4 * i] = (uint8_t)(h[i] >> 24);
        out[4 * i + 1] = (uint8_t)(h[i] >> 16);
        out[4 * i + 2] = (uint8_t)(h[i] >> 8);
        out[4 * i + 3] = (uint8_t)h[i];
    }
}

/* ---- SHA-512 / SHA-384 ---------------------------------------------------------------------- */

static uint64_t
ror64(uint64_t x, int n)
{
    return (x >> n) | (x << (64 - n));
}

static void
block512(uint64_t h[8], const uint8_t *p)
{
    uint64_t w[80], a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];

    for (int i = 0; i < 16; i++) {
        w[i] = 0;
        for (int k = 0; k < 8; k++)
            w[i] = w[i] << 8 | p[8 * i + k];
    }
    for (int i = 16; i < 80; i++) {
        uint64_t s0 = ror64(w[i - 15], 1) ^ ror64(w[i - 15], 8) ^ (w[i - 15] >> 7);
        uint64_t s1 = ror64(w[i - 2], 19) ^ ror64(w[i - 2], 61) ^ (w[i - 2] >> 6);

        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    for (int i = 0; i < 80; i++) {
        uint64_t t1 = hh + (ror64(e, 14) ^ ror64(e, 18) ^ ror64(e, 41)) + ((e & f) ^ (~e & g)) +
                      K512[i] + w[i];
        uint64_t t2 = (ror64(a, 28) ^ ror64(a, 34) ^ ror64(a, 39)) + ((a & b) ^ (a & c) ^ (b & c));

        hh = g, g = f, f = e, e = d + t1, d = c, c = b, b = a, a = t1 + t2;
    }
    h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e, h[5] += f, h[6] += g, h[7] += hh;
}

static void
sha512_digest(const uint64_t iv[8], const uint8_t *data, size_t len, uint8_t *out, int words)
{
    uint64_t h[8];
    uint8_t tail[256] = {0};
    size_t full = len / 128 * 128, rest = len - full, tlen = rest < 112 ? 128 : 256;
    u128 bits = (u128)len * 8;

    memcpy(h, iv, sizeof h);
    for (size_t i = 0; i < full; i += 128)
        block512(h, data + i);
    memcpy(tail, data + full, rest);
    tail[rest] = 0x80;
    for (int i = 0; i < 16; i++)
        tail[tlen - 1 - i] = (uint8_t)(bits >> (8 * i));
    for (size_t i = 0; i < tlen; i += 128)
        block512(h, tail + i);
    for (int i = 0; i < words; i++) {
        for (int k = 0; k < 8; k++)
            out[8 * i + k] = (uint8_t)(h[i] >> (56 - 8 * k));
    }
}

void
sha2_digest(int bits, const void *data, size_t len, uint8_t *out)
{
    pthread_once(&tables_once, tables_init);
    switch (bits) {
    case 224:
        sha256_digest(H224, data, len, out, 7);
        break;
    case 256:
        sha256_digest(H256, data, len, out, 8);
        break;
    case 384:
        sha512_digest(H384, data, len, out, 6);
        break;
    default:
        sha512_digest(H512, data, len, out, 8);
        break;
    }
}

static int
sha(const FnCall *call, int bits, Datum *result)
{
    uint8_t digest[64];
    const VarData *v = datum_get_var(call->args[0]);

    sha2_digest(bits, v->data, v->len, digest);
    *result = datum_from_text(call->ctx->arena, (const char *)digest, (size_t)bits / 8);
    return 0;
}

BUILTIN(fn_sha224)
{
    (void)isnull, (void)err;
    return sha(call, 224, result);
}

BUILTIN(fn_sha256)
{
    (void)isnull, (void)err;
    return sha(call, 256, result);
}

BUILTIN(fn_sha384)
{
    (void)isnull, (void)err;
    return sha(call, 384, result);
}

BUILTIN(fn_sha512)
{
    (void)isnull, (void)err;
    return sha(call, 512, result);
}
