/*
 * stream/deltamap.h — a multiset of encoded rows: row bytes (sql/rowcodec.h)
 * → summed weight. The dataflow's output of one epoch is consolidated here
 * (an insert and a delete of the same row cancel), and the storage engine
 * keeps each relation's change set of an epoch in one.
 *
 * Invariants:
 *   1. Two rows are one entry exactly when their bytes are equal.
 *   2. Iteration (deltamap_next) visits entries in insertion order and skips
 *      entries whose weight summed to 0.
 *   3. Everything lives in malloc'd memory owned by the map; deltamap_reset
 *      keeps the capacity, deltamap_free releases it.
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
    uint32_t *slots; /* entry index + 1; 0 empty */
    size_t nslots;   /* a power of two */
    uint8_t *bytes;
    size_t blen, bcap;
} DeltaMap;

void deltamap_init(DeltaMap *m);
void deltamap_free(DeltaMap *m);
void deltamap_reset(DeltaMap *m);
/* Adds weight to the row's entry (creating it). 53200 when out of memory. */
int deltamap_add(DeltaMap *m, const void *row, size_t len, int64_t weight, Err *err);
/* The entry of row, or NULL (entries move when the map grows: use before the next add). */
DeltaEntry *deltamap_find(const DeltaMap *m, const void *row, size_t len);
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
/* A 64-bit hash of bytes (also used for view contents keys). */
uint64_t deltamap_hash(const void *p, size_t n);

#endif
