/*
 * common/arena.h — region allocator with a named lifetime.
 *
 * Memory is taken from an arena and given back all at once by arena_reset()
 * or arena_destroy(); nothing is freed piece by piece. Each arena names the
 * lifetime it serves (see the table in docs/architecture.md): "top", "conn",
 * "msg", "portal", "epoch".
 *
 * Ownership: whoever created an arena resets and destroys it. A pointer into
 * an arena is valid until the next arena_reset()/arena_destroy() of that arena.
 *
 * Invariants:
 *   1. Every allocation is aligned to 16 bytes.
 *   2. Out of memory aborts the process with a log line (as a failed malloc in
 *      the middle of a protocol message has no sane recovery); callers that
 *      take sizes from the network check them against a ceiling *before*
 *      allocating, so a client cannot drive an arena out of memory.
 *   3. arena_reset() keeps the first block for reuse, so a per-message arena
 *      does not touch malloc in the steady state.
 */
#ifndef RIVULET_COMMON_ARENA_H
#define RIVULET_COMMON_ARENA_H

#include <stddef.h>

typedef struct Arena Arena;

/* Creates an arena; block_size 0 picks the default (8 KiB). name is not copied. */
Arena *arena_create(const char *name, size_t block_size);
void arena_destroy(Arena *a);

/* Frees everything allocated from a, keeping its first block. */
void arena_reset(Arena *a);

void *arena_alloc(Arena *a, size_t size);
void *arena_calloc(Arena *a, size_t n, size_t size);
char *arena_strdup(Arena *a, const char *s);
char *arena_strndup(Arena *a, const char *s, size_t n);
void *arena_memdup(Arena *a, const void *p, size_t n);
char *arena_sprintf(Arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Bytes handed out since creation or the last reset (for budgets and tests). */
size_t arena_used(const Arena *a);
const char *arena_name(const Arena *a);

#endif
