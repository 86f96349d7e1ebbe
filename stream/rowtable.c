/*
 * stream/rowtable.c — a hash table of rows keyed by some columns, used for
 * aggregate groups, DISTINCT multisets and join/top-N state.
 *
 * Open addressing with linear probing over slot indexes; entries are kept
 * in chunks in insertion order so they never move and can be iterated in
 * the order they were first seen (what makes GROUP BY output order stable).
 *
 * Invariants:
 *   1. Load factor <= 1/2: the slot array doubles before it is exceeded.
 *   2. Equal keys (by the key types' "=", NULL equal to NULL) hash equally
 *      (plan_hash_value), so one probe sequence finds them.
 *   3. Key Values are copied shallowly into the table's arena.
 */
#include <string.h>

#include "stream/stream_int.h"

#define CHUNK_BITS 10
#define CHUNK_SIZE (1u << CHUNK_BITS)

void
rowtable_init(RowTable *t, Arena *a, int nkeys, const TypeOrder *orders)
{
    memset(t, 0, sizeof *t);
    t->arena = a;
    t->nkeys = nkeys;
    t->orders = orders;
}

RowEntry *
rowtable_entry(const RowTable *t, uint32_t i)
{
    return &t->entries[i >> CHUNK_BITS][i & (CHUNK_SIZE - 1)];
}

int
stream_rows_equal(const TypeOrder *orders, int ncols, EvalCtx *ctx, const Value *a, const Value *b,
                  bool *equal, Err *err)
{
    for (int c = 0; c < ncols; c++) {
        int cmp;

        if (a[c].isnull || b[c].isnull) {
            if (a[c].isnull != b[c].isnull) {
                *equal = false;
                return 0;
            }
            continue;
        }
        if (plan_compare(&orders[c], ctx, a[c].d, b[c].d, &cmp, err) < 0)
            return -1;
        if (cmp != 0) {
            *equal = false;
            return 0;
        }
    }
    *equal = true;
    return 0;
}

static uint64_t
hash_key(const RowTable *t, const Value *key)
{
    uint64_t h = 0x2545f4914f6cdd1dULL;

    for (int c = 0; c < t->nkeys; c++)
        h = (h ^ plan_hash_value(t->orders[c].type, &key[c])) * 0x100000001b3ULL + (uint64_t)c;
    return h;
}

static void
grow(RowTable *t)
{
    uint32_t cap = t->cap ? t->cap * 2 : 64;
    int32_t *slots = arena_calloc(t->arena, cap, sizeof(int32_t));

    for (uint32_t i = 0; i < t->n; i++) {
        uint32_t s = (uint32_t)rowtable_entry(t, i)->hash & (cap - 1);

        while (slots[s] != 0)
            s = (s + 1) & (cap - 1);
        slots[s] = (int32_t)i + 1;
    }
    t->slots = slots;
    t->cap = cap;
}

static RowEntry *
append(RowTable *t, uint64_t h, const Value *key)
{
    RowEntry *e;

    if ((t->n >> CHUNK_BITS) >= t->nchunks) {
        RowEntry **chunks = arena_alloc(t->arena, sizeof(RowEntry *) * (t->nchunks + 1));

        if (t->nchunks > 0)
            memcpy(chunks, t->entries, sizeof(RowEntry *) * t->nchunks);
        chunks[t->nchunks++] = arena_alloc(t->arena, sizeof(RowEntry) * CHUNK_SIZE);
        t->entries = chunks;
    }
    e = rowtable_entry(t, t->n++);
    e->hash = h;
    e->key = arena_memdup(t->arena, key, sizeof(Value) * (size_t)(t->nkeys ? t->nkeys : 1));
    e->payload = NULL;
    return e;
}

int
rowtable_lookup(RowTable *t, EvalCtx *ctx, const Value *key, bool create, RowEntry **out,
                bool *created, Err *err)
{
    uint64_t h = hash_key(t, key);
    uint32_t s;

    *out = NULL;
    *created = false;
    if (t->cap == 0 || (t->n + 1) * 2 > t->cap)
        grow(t);
    for (s = (uint32_t)h & (t->cap - 1); t->slots[s] != 0; s = (s + 1) & (t->cap - 1)) {
        RowEntry *e = rowtable_entry(t, (uint32_t)t->slots[s] - 1);
        bool equal;

        if (e->hash != h)
            continue;
        if (stream_rows_equal(t->orders, t->nkeys, ctx, e->key, key, &equal, err) < 0)
            return -1;
        if (equal) {
            *out = e;
            return 0;
        }
    }
    if (!create)
        return 0;
    *out = append(t, h, key);
    t->slots[s] = (int32_t)t->n;
    *created = true;
    return 0;
}
