/*
 * stream/deltamap.h — a multiset of encoded rows: row bytes (sql/rowcodec.h)
 * → summed weight. The dataflow's output of one epoch is consolidated here
 * (an insert and a delete of the same row cancel), and the storage engine
 * keeps each relation's change set of an epoch in one.
 *
 * Two ways in: deltamap_add consolidates at once (hash lookup per row);
 * deltamap_append only appends (no hashing: the log of an append-only relation
 * is copied in as it is, and a barrier's already consolidated output moves on
 * without being hashed again). Appended entries are consolidated (merged into
 * earlier equal rows, the map compacted) by deltamap_consolidate or the next
 * deltamap_add or deltamap_find, so a map is a consolidated multiset whenever
 * it is looked up; consolidating many appended rows at once is cheaper than
 * adding them one by one (their slots' cache misses overlap).
 *
 * Invariants:
 *   1. Two indexed rows are one entry exactly when their bytes are equal; rows
 *      appended since the last add/find may repeat (the same multiset either way:
 *      weights add up).
 *   2. Iteration (deltamap_next) visits entries in insertion order (or the order
 *      deltamap_sort made) and skips entries whose weight summed to 0.
 *   3. Everything lives in malloc'd memory owned by the map; deltamap_reset
 *      keeps the capacity, deltamap_free releases it.
 *   4. A row's bytes start at an 8-byte-aligned address (rowcodec_get can point
 *      into them instead of copying by-reference values).
 */
#ifndef RIVULET_STREAM_DELTAMAP_H
#define RIVULET_STREAM_DELTAMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

typedef struct DeltaEntry {
    uint64_t hash;
    size_t off; /* into bytes */
    uint32_t len;
    int64_t weight;
} DeltaEntry;

typedef struct DeltaMap {
    DeltaEntry *entries; /* insertion order */
    size_t n, cap;
    size_t nindexed; /* entries [0, nindexed) are in slots; the rest were appended */
    uint64_t *slots; /* high 32 bits of the hash ‖ entry index + 1 (low 32); 0 empty */
    size_t nslots;   /* a power of two */
    uint8_t *bytes;
    size_t blen, bcap;
} DeltaMap;

void deltamap_init(DeltaMap *m);
void deltamap_free(DeltaMap *m);
void deltamap_reset(DeltaMap *m);
/* Adds weight to the row's entry (creating it). 53200 when out of memory. */
int deltamap_add(DeltaMap *m, const void *row, size_t len, int64_t weight, Err *err);
/*
 * Appends (row, weight) as a new entry without looking for an equal row (invariant 1).
 * 53200 when out of memory.
 */
int deltamap_append(DeltaMap *m, const void *row, size_t len, int64_t weight, Err *err);
/* Consolidates the appended rows now (what the next add or find would do). 53200. */
int deltamap_consolidate(DeltaMap *m, Err *err);
/*
 * The entry of row, or NULL (entries move when the map grows or consolidates: use before the
 * next add or find). NULL also when consolidating appended rows ran out of memory.
 */
DeltaEntry *deltamap_find(DeltaMap *m, const void *row, size_t len);
/*
 * Reorders the entries by their row bytes (memcmp order; a row that is a prefix of another
 * first) and merges equal rows (a consolidation without hashing): the order of the LMDB keys
 * a view's contents keep rows under, so writing them walks the B-tree once instead of
 * jumping around (invariant 2 then holds for the new order). 53200 when out of memory.
 */
int deltamap_sort(DeltaMap *m, Err *err);
/* Number of entries, zero-weight ones included. */
static inline size_t
deltamap_size(const DeltaMap *m)
{
    return m->n;
}
/*
 * Iterates: *pos starts at 0; returns true with the next entry of non-zero weight, false at
 * the end.
 */
bool deltamap_next(const DeltaMap *m, size_t *pos, const uint8_t **row, size_t *len,
                   int64_t *weight);
/* A 64-bit hash of bytes (also used for view contents keys: its values are stored). */
uint64_t deltamap_hash(const void *p, size_t n);

#endif
