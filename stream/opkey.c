/*
 * stream/opkey.c — see stream/opkey.h.
 *
 * Invariants:
 *   1. The slot table is at most half full (grown by doubling), so a probe
 *      always ends on an empty slot.
 */
#include "stream/opkey.h"

#include <string.h>

#include "common/errcodes.h"
#include "sql/rowcodec.h"

/* FNV-1a over the key bytes, then a final mix. */
static uint64_t
hash_bytes(const uint8_t *p, size_t len)
{
    uint64_t h = UINT64_C(14695981039346656037);

    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= UINT64_C(1099511628211);
    }
    h ^= h >> 33;
    h *= UINT64_C(0xff51afd7ed558ccd);
    h ^= h >> 33;
    return h;
}

void
bytemap_init(ByteMap *m, Arena *a)
{
    memset(m, 0, sizeof *m);
    m->arena = a;
}

static void
rehash(ByteMap *m, uint32_t cap)
{
    int32_t *slots = arena_calloc(m->arena, cap, sizeof(int32_t));

    for (uint32_t i = 0; i < m->n; i++) {
        uint32_t s = (uint32_t)m->entries[i]->hash & (cap - 1);

        while (slots[s] != 0)
            s = (s + 1) & (cap - 1);
        slots[s] = (int32_t)i + 1;
    }
    m->slots = slots;
    m->cap = cap;
}

BmEntry *
bytemap_get(ByteMap *m, const void *key, size_t len, bool create, bool *created)
{
    uint64_t h = hash_bytes(key, len);
    uint32_t s;
    BmEntry *e;

    if (created != NULL)
        *created = false;
    if (m->cap > 0) {
        for (s = (uint32_t)h & (m->cap - 1); m->slots[s] != 0; s = (s + 1) & (m->cap - 1)) {
            e = m->entries[m->slots[s] - 1];
            if (e->hash == h && e->len == len && memcmp(e->key, key, len) == 0)
                return e;
        }
    }
    if (!create)
        return NULL;
    if ((m->n + 1) * 2 > m->cap)
        rehash(m, m->cap ? m->cap * 2 : 64);
    if (m->n == m->ecap) {
        uint32_t ecap = m->ecap ? m->ecap * 2 : 64;
        BmEntry **entries = arena_alloc(m->arena, sizeof(BmEntry *) * ecap);

        if (m->n > 0)
            memcpy(entries, m->entries, sizeof(BmEntry *) * m->n);
        m->entries = entries;
        m->ecap = ecap;
    }
    e = arena_alloc(m->arena, sizeof *e);
    e->key = arena_memdup(m->arena, key, len ? len : 1);
    e->len = len;
    e->hash = h;
    e->payload = NULL;
    for (s = (uint32_t)h & (m->cap - 1); m->slots[s] != 0; s = (s + 1) & (m->cap - 1))
        ;
    m->entries[m->n++] = e;
    m->slots[s] = (int32_t)m->n;
    if (created != NULL)
        *created = true;
    return e;
}

int
opkey_fit(Buf *key, size_t (*keep_fn)(void *arg), void *arg, Err *err)
{
    uint64_t h;
    size_t cut = OPKEY_MAX_LEN - 8;

    if (key->failed)
        return ERR_RAISE(err, ERRCODE_PROGRAM_LIMIT_EXCEEDED, "operator state key too long");
    if (key->len <= OPKEY_MAX_LEN)
        return 0;
    if (keep_fn != NULL && keep_fn(arg) > cut)
        return ERR_RAISE(err, ERRCODE_PROGRAM_LIMIT_EXCEEDED,
                         "sort or partition key too long for operator state (%zu bytes, at most "
                         "%zu)",
                         keep_fn(arg), cut);
    h = hash_bytes(key->data, key->len);
    key->len = cut;
    buf_put_u64(key, h);
    return 0;
}

int
opkey_value(Buf *out, const int64_t *counts, int ncounts, const Oid *types, int ncols,
            const Value *row, Err *err)
{
    buf_append(out, counts, sizeof(int64_t) * (size_t)ncounts);
    if (out->failed)
        return ERR_RAISE(err, ERRCODE_PROGRAM_LIMIT_EXCEEDED, "operator state value too long");
    return rowcodec_encode(types, ncols, row, out, err);
}

int
opkey_read(const void *val, size_t len, int64_t *counts, int ncounts, const Oid *types, int ncols,
           Arena *a, Value *row, Err *err)
{
    size_t head = sizeof(int64_t) * (size_t)ncounts;
    uint8_t *copy;

    if (len < head)
        return ERR_RAISE(err, ERRCODE_DATA_CORRUPTED, "malformed operator state value");
    memcpy(counts, val, head);
    if (row == NULL)
        return 0;
    /* arena memory is 8-aligned and head is a multiple of 8: the row is aligned (no copies) */
    copy = arena_memdup(a, val, len);
    return rowcodec_decode(copy + head, len - head, types, ncols, a, row, err);
}
