/*
 * common/crc32c.h — CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the
 * checksum of the on-disk log and of anything else Rivulet writes to disk.
 *
 * Uses the SSE4.2 crc32 instruction when the CPU has it (checked once at run
 * time), otherwise a portable slicing-by-8 table. Both give the same values.
 *
 * Invariants:
 *   1. crc32c(data, n) == crc32c_extend(crc32c_extend(0, a, k), a + k, n - k)
 *      for every split k, so a checksum can be computed over pieces.
 *   2. crc32c("123456789", 9) == 0xE3069283 (the standard check value).
 *   3. Thread-safe: the table and the dispatch are set up once.
 */
#ifndef RIVULET_COMMON_CRC32C_H
#define RIVULET_COMMON_CRC32C_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* CRC-32C of n bytes. */
uint32_t crc32c(const void *data, size_t n);
/* Continues a CRC-32C: crc is a previous result (0 to start). */
uint32_t crc32c_extend(uint32_t crc, const void *data, size_t n);
/* The portable implementation, whatever the CPU (for tests and benchmarks). */
uint32_t crc32c_extend_portable(uint32_t crc, const void *data, size_t n);
/* True when the hardware instruction is in use. */
bool crc32c_is_hardware(void);

#endif
