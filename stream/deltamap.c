/*
 * stream/deltamap.c — see deltamap.h. Open addressing with linear probing over entry
 * indexes; a slot also carries the high half of its entry's hash, so a probe that passes
 * other rows rarely reads their entries (one cache miss per add on a large map, not one per
 * probed slot). The row bytes are appended to one growing buffer, each at an 8-byte boundary.
 *
 * Entries [0, nindexed) are in the slots; entries appended after them (deltamap_append) are
 * not, until index_appended hashes them in order (prefetching slots a few entries ahead),
 * merging each into an equal earlier row or compacting it down. deltamap_sort orders by the
 * row bytes with an MSD/LSD radix sort on 16-byte windows (comparisons for small or deep
 * ties), merges equal neighbours, and leaves the map unindexed.
 */
#include <stdlib.h>
#include <string.h>

#include "common/errcodes.h"
#include "stream/deltamap.h"

#define SLOT_IDX(s) ((size_t)((s) & 0xFFFFFFFFu) - 1)
#define ALIGN8(x) (((x) + 7) & ~(size_t)7)

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

static inline uint64_t
slot_of(uint64_t h, size_t idx)
{
    return (h & 0xFFFFFFFF00000000ull) | (uint64_t)(idx + 1);
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
    if (m->nindexed > 0) /* slots are all 0 while nothing was indexed */
        memset(m->slots, 0, sizeof *m->slots * m->nslots);
    m->n = 0;
    m->nindexed = 0;
    m->blen = 0;
}

/* Makes room in the slots for need indexed entries (load at most 1/2). */
static int
grow_slots(DeltaMap *m, size_t need, Err *err)
{
    size_t ns = m->nslots ? m->nslots : 64;
    uint64_t *slots;

    while (need * 2 > ns)
        ns *= 2;
    if (ns == m->nslots)
        return 0;
    if ((slots = calloc(ns, sizeof *slots)) == NULL)
        return ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
    for (size_t i = 0; i < m->nindexed; i++) {
        size_t at = (size_t)m->entries[i].hash & (ns - 1);

        while (slots[at] != 0)
            at = (at + 1) & (ns - 1);
        slots[at] = slot_of(m->entries[i].hash, i);
    }
    free(m->slots);
    m->slots = slots;
    m->nslots = ns;
    return 0;
}

/* The index of row's indexed entry, or -1 with *at its empty slot (slots not empty). */
static inline ptrdiff_t
lookup(const DeltaMap *m, uint64_t h, const void *row, size_t len, size_t *at)
{
    uint32_t tag = (uint32_t)(h >> 32);
    size_t mask = m->nslots - 1;

    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        uint64_t s = m->slots[i];

        if (s == 0) {
            *at = i;
            return -1;
        }
        if ((uint32_t)(s >> 32) == tag) {
            const DeltaEntry *e = &m->entries[SLOT_IDX(s)];

            if (e->hash == h && e->len == len && memcmp(m->bytes + e->off, row, len) == 0)
                return (ptrdiff_t)SLOT_IDX(s);
        }
    }
}

/* Appends the entry (its bytes copied to an 8-byte boundary); the caller indexes it. */
static int
put_entry(DeltaMap *m, uint64_t h, const void *row, size_t len, int64_t weight, Err *err)
{
    size_t off = ALIGN8(m->blen);

    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 64;
        DeltaEntry *e = realloc(m->entries, cap * sizeof *e);

        if (e == NULL)
            return ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
        m->entries = e;
        m->cap = cap;
    }
    if (off + len > m->bcap) {
        size_t cap = m->bcap ? m->bcap * 2 : 4096;
        uint8_t *b;

        while (cap < off + len)
            cap *= 2;
        if ((b = realloc(m->bytes, cap)) == NULL)
            return ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
        m->bytes = b;
        m->bcap = cap;
    }
    if (len > 0)
        memcpy(m->bytes + off, row, len);
    m->entries[m->n++] = (DeltaEntry){h, off, (uint32_t)len, weight};
    m->blen = off + len;
    return 0;
}

/* Entries hashed (and their slots prefetched) this far ahead of the one being indexed. */
#define PREFETCH_AHEAD 8

static inline void
hash_ahead(DeltaMap *m, size_t i)
{
    DeltaEntry *p = &m->entries[i];

    p->hash = deltamap_hash(m->bytes + p->off, p->len);
    __builtin_prefetch(&m->slots[(size_t)p->hash & (m->nslots - 1)]);
}

/*
 * Indexes the appended entries: each merges into an equal earlier row or gets a slot. The
 * slots of the next entries are prefetched, so their cache misses overlap.
 */
static int
index_appended(DeltaMap *m, Err *err)
{
    size_t k, i;

    if (m->nindexed == m->n)
        return 0;
    if (grow_slots(m, m->n + 1, err) < 0)
        return -1;
    k = m->nindexed;
    for (i = m->nindexed; i < m->n && i < m->nindexed + PREFETCH_AHEAD; i++)
        hash_ahead(m, i);
    for (i = m->nindexed; i < m->n; i++) {
        DeltaEntry e = m->entries[i]; /* hashed by hash_ahead */
        const uint8_t *row = m->bytes + e.off;
        size_t at = 0;
        ptrdiff_t j;

        if (i + PREFETCH_AHEAD < m->n)
            hash_ahead(m, i + PREFETCH_AHEAD); /* > i >= k: not yet compacted over */
        if ((j = lookup(m, e.hash, row, e.len, &at)) >= 0) {
            m->entries[j].weight += e.weight; /* j < k: already in place */
            continue;
        }
        m->entries[k] = e; /* k <= i: compacting over merged entries */
        m->slots[at] = slot_of(e.hash, k);
        k++;
    }
    m->n = m->nindexed = k;
    return 0;
}

int
deltamap_consolidate(DeltaMap *m, Err *err)
{
    return index_appended(m, err);
}

int
deltamap_add(DeltaMap *m, const void *row, size_t len, int64_t weight, Err *err)
{
    uint64_t h;
    size_t at = 0;
    ptrdiff_t j;

    if (m->nindexed < m->n && index_appended(m, err) < 0)
        return -1;
    if ((m->nindexed + 1) * 2 > m->nslots && grow_slots(m, m->nindexed + 1, err) < 0)
        return -1;
    h = deltamap_hash(row, len);
    if ((j = lookup(m, h, row, len, &at)) >= 0) {
        m->entries[j].weight += weight;
        return 0;
    }
    if (put_entry(m, h, row, len, weight, err) < 0)
        return -1;
    m->slots[at] = slot_of(h, m->n - 1);
    m->nindexed = m->n;
    return 0;
}

/*
 * Appended rows consolidated at the latest after this many (a producer that emits the same
 * rows over and over, + and - alternately, must not grow the map without bound).
 */
#define APPEND_MAX ((size_t)1 << 20)

int
deltamap_append(DeltaMap *m, const void *row, size_t len, int64_t weight, Err *err)
{
    if (m->n - m->nindexed >= APPEND_MAX && index_appended(m, err) < 0)
        return -1;
    return put_entry(m, 0, row, len, weight, err); /* hashed when indexed */
}

DeltaEntry *
deltamap_find(DeltaMap *m, const void *row, size_t len)
{
    uint64_t h;
    size_t at = 0;
    ptrdiff_t j;
    Err ignored;

    err_clear(&ignored);
    if (m->nindexed < m->n && index_appended(m, &ignored) < 0)
        return NULL;
    if (m->nslots == 0)
        return NULL;
    h = deltamap_hash(row, len);
    j = lookup(m, h, row, len, &at);
    return j >= 0 ? &m->entries[j] : NULL;
}

/* ---- sorting ----------------------------------------------------------------------------- */

typedef struct SortKey {
    uint64_t hi, lo; /* 16 bytes of the row from the rows' common prefix on, big-endian */
    uint32_t idx;    /* entry */
} SortKey;

typedef struct TieCtx {
    const DeltaMap *m;
    size_t from;
} TieCtx;

static int
row_cmp(const DeltaMap *m, uint32_t a, uint32_t b, size_t from)
{
    const DeltaEntry *x = &m->entries[a], *y = &m->entries[b];
    size_t n = x->len < y->len ? x->len : y->len;
    int c = n > from ? memcmp(m->bytes + x->off + from, m->bytes + y->off + from, n - from) : 0;

    return c != 0 ? c : x->len < y->len ? -1 : x->len > y->len;
}

static int
sortkey_cmp(const void *pa, const void *pb, void *arg)
{
    const TieCtx *t = arg;

    return row_cmp(t->m, ((const SortKey *)pa)->idx, ((const SortKey *)pb)->idx, t->from);
}

/* Byte d (0 = least significant of lo, 15 = most significant of hi) of a key. */
static inline unsigned
key_byte(const SortKey *k, int d)
{
    return (unsigned)(((d < 8 ? k->lo : k->hi) >> (8 * (d & 7))) & 0xFF);
}

/*
 * LSD radix sort of k[0 .. n) on (hi, lo): the 16 byte histograms in one read, then one
 * stable scatter per byte that is not the same in every key. Returns where the result is
 * (k or tmp).
 */
static SortKey *
radix_sort(SortKey *k, SortKey *tmp, size_t n)
{
    static _Thread_local size_t count[16][256];

    memset(count, 0, sizeof count);
    for (size_t i = 0; i < n; i++) {
        for (int d = 0; d < 16; d++)
            count[d][key_byte(&k[i], d)]++;
    }
    for (int d = 0; d < 16; d++) {
        size_t at = 0;
        bool same = false;

        for (int v = 0; v < 256 && !same; v++)
            same = count[d][v] == n;
        if (same)
            continue; /* every key has this byte: nothing to order */
        for (int v = 0; v < 256; v++) {
            size_t c = count[d][v];

            count[d][v] = at;
            at += c;
        }
        for (size_t i = 0; i < n; i++)
            tmp[count[d][key_byte(&k[i], d)]++] = k[i];
        {
            SortKey *t = k;

            k = tmp;
            tmp = t;
        }
    }
    return k;
}

/* Radix-sorted this many bytes deep (MSD: 16 at a time), the rest of a tie by comparisons. */
#define RADIX_DEPTH 64

/*
 * Sorts k[0 .. n) (rows equal in their first `from` bytes) by their bytes from `from` on: an
 * LSD radix sort on the next 16 bytes, then each run of equal 16 bytes the same way further on
 * (up to RADIX_DEPTH bytes past `start`), small runs and deep ones by comparisons. tmp has
 * room for n keys.
 */
static void
sort_run(const DeltaMap *m, SortKey *k, SortKey *tmp, size_t n, size_t from, size_t start)
{
    SortKey *cur;
    size_t maxlen = 0;

    for (size_t i = 0; i < n && n > 64; i++)
        maxlen = m->entries[k[i].idx].len > maxlen ? m->entries[k[i].idx].len : maxlen;
    if (n <= 64 || from >= maxlen || from - start >= RADIX_DEPTH) {
        TieCtx t = {m, from};

        if (n <= 32) { /* insertion sort */
            for (size_t i = 1; i < n; i++) {
                SortKey x = k[i];
                size_t j = i;

                while (j > 0 && row_cmp(m, k[j - 1].idx, x.idx, from) > 0) {
                    k[j] = k[j - 1];
                    j--;
                }
                k[j] = x;
            }
        } else
            qsort_r(k, n, sizeof *k, sortkey_cmp, &t);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const DeltaEntry *e = &m->entries[k[i].idx];
        const uint8_t *r = m->bytes + e->off;
        uint64_t hi = 0, lo = 0;

        for (size_t b = 0; b < 8; b++) {
            hi = hi << 8 | (from + b < e->len ? r[from + b] : 0);
            lo = lo << 8 | (from + 8 + b < e->len ? r[from + 8 + b] : 0);
        }
        k[i].hi = hi;
        k[i].lo = lo;
    }
    cur = radix_sort(k, tmp, n);
    if (cur != k)
        memcpy(k, cur, n * sizeof *k);
    for (size_t i = 0; i < n;) { /* equal 16 bytes: by the bytes after them */
        size_t j = i + 1;

        while (j < n && k[j].hi == k[i].hi && k[j].lo == k[i].lo)
            j++;
        if (j - i > 1)
            sort_run(m, k + i, tmp, j - i, from + 16, start);
        i = j;
    }
}

int
deltamap_sort(DeltaMap *m, Err *err)
{
    size_t n = m->n, common, kept = 0;
    SortKey *k, *tmp;
    DeltaEntry *sorted;
    const uint8_t *first;

    if (n < 2)
        return 0;
    /* the bytes all rows share (a row header, usually) do not order anything */
    first = m->bytes + m->entries[0].off;
    common = m->entries[0].len;
    for (size_t i = 1; i < n && common > 0; i++) {
        const uint8_t *r = m->bytes + m->entries[i].off;
        size_t c = 0, lim = common < m->entries[i].len ? common : m->entries[i].len;

        while (c < lim && r[c] == first[c])
            c++;
        common = c;
    }
    k = malloc(n * sizeof *k);
    tmp = malloc(n * sizeof *tmp);
    sorted = malloc(n * sizeof *sorted);
    if (k == NULL || tmp == NULL || sorted == NULL) {
        free(k);
        free(tmp);
        free(sorted);
        return ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
    }
    for (size_t i = 0; i < n; i++)
        k[i].idx = (uint32_t)i;
    sort_run(m, k, tmp, n, common, common);
    /* in order, equal rows (appended ones may repeat) side by side: merged */
    for (size_t i = 0; i < n; i++) {
        const DeltaEntry *e = &m->entries[k[i].idx];

        if (kept > 0 && sorted[kept - 1].len == e->len &&
            memcmp(m->bytes + sorted[kept - 1].off, m->bytes + e->off, e->len) == 0)
            sorted[kept - 1].weight += e->weight;
        else
            sorted[kept++] = *e;
    }
    memcpy(m->entries, sorted, kept * sizeof *sorted);
    m->n = kept;
    free(k);
    free(tmp);
    free(sorted);
    /* the slots point at the old positions: unindexed now (rows distinct, so indexing them
     * again later merges nothing) */
    if (m->nindexed > 0)
        memset(m->slots, 0, sizeof *m->slots * m->nslots);
    m->nindexed = 0;
    return 0;
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
