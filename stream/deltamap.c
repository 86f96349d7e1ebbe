/*
 * stream/deltamap.c — see deltamap.h. Open addressing with linear probing
 * over entry indexes; the row bytes are appended to one growing buffer.
 */
#include <stdlib.h>
#include <string.h>

#include "common/errcodes.h"
#include "stream/deltamap.h"

uint64_t
deltamap_hash(const void *p, size_t n)
{
    const uint8_t *s = p;
    uint64_t h = 0x9E3779B97F4A7C15ull ^ (uint64_t)n;

    while (n >= 8) {
        uint64_t k;

        memcpy(&k, s, 8);
        k *= 0xBF58476D1CE4E5B9ull;
        k ^= k >> 31;
        h = (h ^ k) * 0x94D049BB133111EBull;
        s += 8;
        n -= 8;
    }
    while (n-- > 0)
        h = (h ^ *s++) * 0x100000001B3ull;
    h ^= h >> 33;
    h *= 0xFF51AFD7ED558CCDull;
    h ^= h >> 33;
    return h;
}

void
deltamap_init(DeltaMap *m)
{
    memset(m, 0, sizeof *m);
}

void
deltamap_free(DeltaMap *m)
{
    free(m->entries);
    free(m->slots);
    free(m->bytes);
    memset(m, 0, sizeof *m);
}

void
deltamap_reset(DeltaMap *m)
{
    m->n = 0;
    m->blen = 0;
    if (m->slots != NULL)
        memset(m->slots, 0, sizeof(uint32_t) * m->nslots);
}

static int
grow_slots(DeltaMap *m, Err *err)
{
    size_t ns = m->nslots ? m->nslots * 2 : 64;
    uint32_t *slots = calloc(ns, sizeof *slots);

    if (slots == NULL)
        return ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
    for (size_t i = 0; i < m->n; i++) {
        size_t at = (size_t)m->entries[i].hash & (ns - 1);

        while (slots[at] != 0)
            at = (at + 1) & (ns - 1);
        slots[at] = (uint32_t)(i + 1);
    }
    free(m->slots);
    m->slots = slots;
    m->nslots = ns;
    return 0;
}

int
deltamap_add(DeltaMap *m, const void *row, size_t len, int64_t weight, Err *err)
{
    uint64_t h = deltamap_hash(row, len);
    size_t at;

    if ((m->n + 1) * 2 > m->nslots && grow_slots(m, err) < 0)
        return -1;
    for (at = (size_t)h & (m->nslots - 1); m->slots[at] != 0; at = (at + 1) & (m->nslots - 1)) {
        DeltaEntry *e = &m->entries[m->slots[at] - 1];

        if (e->hash == h && e->len == len && memcmp(m->bytes + e->off, row, len) == 0) {
            e->weight += weight;
            return 0;
        }
    }
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 64;
        DeltaEntry *e = realloc(m->entries, cap * sizeof *e);

        if (e == NULL)
            return ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
        m->entries = e;
        m->cap = cap;
    }
    if (m->blen + len > m->bcap) {
        size_t cap = m->bcap ? m->bcap * 2 : 4096;
        uint8_t *b;

        while (cap < m->blen + len)
            cap *= 2;
        if ((b = realloc(m->bytes, cap)) == NULL)
            return ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
        m->bytes = b;
        m->bcap = cap;
    }
    if (len > 0)
        memcpy(m->bytes + m->blen, row, len);
    m->entries[m->n] = (DeltaEntry){h, m->blen, (uint32_t)len, weight};
    m->blen += len;
    m->slots[at] = (uint32_t)(++m->n);
    return 0;
}

DeltaEntry *
deltamap_find(const DeltaMap *m, const void *row, size_t len)
{
    uint64_t h;

    if (m->nslots == 0)
        return NULL;
    h = deltamap_hash(row, len);
    for (size_t at = (size_t)h & (m->nslots - 1); m->slots[at] != 0;
         at = (at + 1) & (m->nslots - 1)) {
        DeltaEntry *e = &m->entries[m->slots[at] - 1];

        if (e->hash == h && e->len == len && memcmp(m->bytes + e->off, row, len) == 0)
            return e;
    }
    return NULL;
}

bool
deltamap_next(const DeltaMap *m, size_t *pos, const uint8_t **row, size_t *len, int64_t *weight)
{
    while (*pos < m->n) {
        const DeltaEntry *e = &m->entries[(*pos)++];

        if (e->weight == 0)
            continue;
        *row = m->bytes + e->off;
        *len = e->len;
        *weight = e->weight;
        return true;
    }
    return false;
}
