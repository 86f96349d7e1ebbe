/*
 * common/crc32c.c — CRC-32C with the SSE4.2 instruction or a slicing-by-8 table.
 *
 * The table is computed from the polynomial at first use (pthread_once), so no
 * 8 KiB of magic numbers live in the source. The hardware path processes eight
 * bytes per instruction after aligning the pointer.
 *
 * Invariants:
 *   1. Both paths compute the same function (tested on random inputs).
 *   2. The pre/post inversion is done here, so callers chain plain results.
 */
#include "common/crc32c.h"

#include <pthread.h>
#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define CRC32C_HAVE_SSE42 1
#include <nmmintrin.h>
#endif

#define CRC32C_POLY 0x82F63B78u

static uint32_t table[8][256];
static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static bool use_hardware;

static void
crc32c_init(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;

        for (int k = 0; k < 8; k++)
            c = (c & 1) ? (c >> 1) ^ CRC32C_POLY : c >> 1;
        table[0][i] = c;
    }
    for (uint32_t i = 0; i < 256; i++)
        for (int t = 1; t < 8; t++)
            table[t][i] = (table[t - 1][i] >> 8) ^ table[0][table[t - 1][i] & 0xff];
#ifdef CRC32C_HAVE_SSE42
    __builtin_cpu_init();
    use_hardware = __builtin_cpu_supports("sse4.2");
#endif
}

static uint32_t
extend_table(uint32_t crc, const uint8_t *p, size_t n)
{
    while (n > 0 && ((uintptr_t)p & 7) != 0) {
        crc = table[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
        n--;
    }
    while (n >= 8) {
        /* Bytes are combined explicitly, so the result does not depend on host endianness. */
        uint32_t lo = crc ^ ((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                             (uint32_t)p[3] << 24);
        crc = table[7][lo & 0xff] ^ table[6][(lo >> 8) & 0xff] ^ table[5][(lo >> 16) & 0xff] ^
              table[4][lo >> 24] ^ table[3][p[4]] ^ table[2][p[5]] ^ table[1][p[6]] ^
              table[0][p[7]];
        p += 8;
        n -= 8;
    }
    while (n > 0) {
        crc = table[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
        n--;
    }
    return crc;
}

#ifdef CRC32C_HAVE_SSE42
__attribute__((target("sse4.2"))) static uint32_t
extend_hardware(uint32_t crc, const uint8_t *p, size_t n)
{
    uint64_t c = crc;

    while (n > 0 && ((uintptr_t)p & 7) != 0) {
        c = _mm_crc32_u8((uint32_t)c, *p++);
        n--;
    }
    while (n >= 8) {
        uint64_t v;

        memcpy(&v, p, 8);
        c = _mm_crc32_u64(c, v);
        p += 8;
        n -= 8;
    }
    while (n > 0) {
        c = _mm_crc32_u8((uint32_t)c, *p++);
        n--;
    }
    return (uint32_t)c;
}
#endif

uint32_t
crc32c_extend(uint32_t crc, const void *data, size_t n)
{
    pthread_once(&init_once, crc32c_init);
#ifdef CRC32C_HAVE_SSE42
    if (use_hardware)
        return ~extend_hardware(~crc, data, n);
#endif
    return ~extend_table(~crc, data, n);
}

uint32_t
crc32c_extend_portable(uint32_t crc, const void *data, size_t n)
{
    pthread_once(&init_once, crc32c_init);
    return ~extend_table(~crc, data, n);
}

uint32_t
crc32c(const void *data, size_t n)
{
    return crc32c_extend(0, data, n);
}

bool
crc32c_is_hardware(void)
{
    pthread_once(&init_once, crc32c_init);
    return use_hardware;
}
