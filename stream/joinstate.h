/*
 * stream/joinstate.h — what op_join and op_markjoin share when their state
 * lives in LMDB (run->state != NULL, stream/opstate.h): the persistent
 * constructors (op_join_state.c, op_markjoin_state.c) and small helpers for
 * their keys and values. Private to stream/.
 *
 * Keys are fixed-size, big-endian 64-bit hashes (plan_hash_value() per
 * column, which agrees with "=", sql/plan.c invariant 2):
 *
 *     [hash of the join / bucket key][...][hash of the whole row]
 *
 * so a prefix range scan over the first hash finds every candidate of a
 * bucket (the operator then decides collisions with "=" or the ON
 * condition, as the in-memory hash tables do), keys never pass
 * state_max_key_len() whatever the row width, and every type that has an
 * equality works. A value is a list of entries (usually one; more only for
 * distinct rows whose 64-bit hashes collide), each a fixed header then a
 * sql/rowcodec.h row, every part starting at a multiple of 8 bytes so a row
 * copied to an aligned address decodes in place.
 *
 * Invariants:
 *   1. Equal rows (by the column types' "=") have equal keys.
 *   2. Values are read from an aligned copy (joinstate_work or the scratch
 *      arena), never in place: statecache bytes may move at the next call.
 */
#ifndef RIVULET_STREAM_JOINSTATE_H
#define RIVULET_STREAM_JOINSTATE_H

#include <stdint.h>
#include <string.h>

#include "common/arena.h"
#include "common/buf.h"
#include "stream/stream_int.h"

Operator *op_join_state_new(StreamRun *run, const DfNode *node);
Operator *op_markjoin_state_new(StreamRun *run, const DfNode *node);

#define JOINSTATE_SEED 0x2545f4914f6cdd1dULL

/* A reusable aligned copy of the value being read (grows in the run's arena). */
typedef struct JsWork {
    uint8_t *p;
    size_t cap;
} JsWork;

static inline uint8_t *
joinstate_work(Arena *a, JsWork *w, const void *src, size_t n)
{
    if (n > w->cap) {
        size_t cap = w->cap ? w->cap : 256;

        while (cap < n)
            cap *= 2;
        w->p = arena_alloc(a, cap);
        w->cap = cap;
    }
    if (n > 0)
        memcpy(w->p, src, n);
    return w->p;
}

static inline void
joinstate_put_u64(uint8_t *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--, v >>= 8)
        p[i] = (uint8_t)v;
}

static inline uint64_t
joinstate_hash_add(uint64_t h, Oid type, const Value *v, int c)
{
    return (h ^ plan_hash_value(type, v)) * 0x100000001b3ULL + (uint64_t)c;
}

/* Hash of a whole row of n columns of the orders' types (agrees with stream_rows_equal). */
static inline uint64_t
joinstate_row_hash(const TypeOrder *orders, int n, const Value *row)
{
    uint64_t h = JOINSTATE_SEED;

    for (int c = 0; c < n; c++)
        h = joinstate_hash_add(h, orders[c].type, &row[c], c);
    return h;
}

/* Appends zero bytes up to the next multiple of 8. */
static inline void
joinstate_pad8(Buf *b)
{
    static const uint8_t zeros[8];

    if (b->len % 8 != 0)
        buf_append(b, zeros, 8 - b->len % 8);
}

static inline size_t
joinstate_align8(size_t n)
{
    return (n + 7) & ~(size_t)7;
}

#endif
