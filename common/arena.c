/*
 * common/arena.c — region allocator. See arena.h for the contract.
 *
 * Layout: a singly linked list of blocks, newest first. A request larger than
 * a quarter of the block size gets a block of its own, linked behind the
 * current one so the current block's free tail is not wasted.
 *
 * Invariants:
 *   1. a->head is never NULL after arena_create().
 *   2. The last block in the list is the first one allocated; reset keeps it.
 */
#include "common/arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_ALIGN 16
#define ARENA_DEFAULT_BLOCK 8192

typedef struct Block {
    struct Block *next;
    size_t size; /* usable bytes after the header */
    size_t used;
    _Alignas(ARENA_ALIGN) unsigned char data[];
} Block;

struct Arena {
    const char *name;
    size_t block_size;
    size_t used_total;
    Block *head;
};

static Block *
block_new(const char *name, size_t size)
{
    Block *b = malloc(sizeof(Block) + size);

    if (b == NULL) {
        fprintf(stderr, "PANIC: out of memory in arena \"%s\" (%zu bytes)\n", name, size);
        abort();
    }
    b->next = NULL;
    b->size = size;
    b->used = 0;
    return b;
}

Arena *
arena_create(const char *name, size_t block_size)
{
    Arena *a = malloc(sizeof *a);

    if (a == NULL) {
        fprintf(stderr, "PANIC: out of memory creating arena \"%s\"\n", name);
        abort();
    }
    a->name = name;
    a->block_size = block_size ? block_size : ARENA_DEFAULT_BLOCK;
    a->used_total = 0;
    a->head = block_new(name, a->block_size);
    return a;
}

void
arena_destroy(Arena *a)
{
    Block *b, *next;

    if (a == NULL)
        return;
    for (b = a->head; b != NULL; b = next) {
        next = b->next;
        free(b);
    }
    free(a);
}

void
arena_reset(Arena *a)
{
    Block *b = a->head;

    while (b->next != NULL) {
        Block *next = b->next;

        free(b);
        b = next;
    }
    b->used = 0;
    a->head = b;
    a->used_total = 0;
}

void *
arena_alloc(Arena *a, size_t size)
{
    Block *b = a->head;
    size_t need = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);

    if (need == 0)
        need = ARENA_ALIGN;
    if (need < size) { /* overflow */
        fprintf(stderr, "PANIC: allocation size overflow in arena \"%s\"\n", a->name);
        abort();
    }
    a->used_total += need;
    if (b->size - b->used >= need) {
        void *p = b->data + b->used;

        b->used += need;
        return p;
    }
    if (need > a->block_size / 4) {
        /* Large request: its own block, kept behind the current one. */
        Block *big = block_new(a->name, need);

        big->used = need;
        big->next = b->next;
        b->next = big;
        return big->data;
    }
    b = block_new(a->name, a->block_size);
    b->next = a->head;
    a->head = b;
    b->used = need;
    return b->data;
}

void *
arena_calloc(Arena *a, size_t n, size_t size)
{
    void *p;

    if (size != 0 && n > SIZE_MAX / size) {
        fprintf(stderr, "PANIC: allocation size overflow in arena \"%s\"\n", a->name);
        abort();
    }
    p = arena_alloc(a, n * size);
    memset(p, 0, n * size);
    return p;
}

char *
arena_strndup(Arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);

    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *
arena_strdup(Arena *a, const char *s)
{
    return arena_strndup(a, s, strlen(s));
}

void *
arena_memdup(Arena *a, const void *p, size_t n)
{
    void *q = arena_alloc(a, n);

    if (n > 0)
        memcpy(q, p, n);
    return q;
}

char *
arena_sprintf(Arena *a, const char *fmt, ...)
{
    va_list ap;
    int n;
    char *p;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return arena_strdup(a, "");
    p = arena_alloc(a, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

size_t
arena_used(const Arena *a)
{
    return a->used_total;
}

const char *
arena_name(const Arena *a)
{
    return a->name;
}
