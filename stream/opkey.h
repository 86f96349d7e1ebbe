/*
 * stream/opkey.h — small helpers shared by the operators that keep their
 * state in state tables (stream/opstate.h) as rows keyed by memcomparable
 * keys: a per-barrier hash map over key bytes, and the value format
 * "counts, then the row".
 *
 * Value format of a row entry (host byte order, the table is local):
 *
 *     i64 count[ncounts] | rowcodec row (sql/rowcodec.h)
 *
 * The row is the representative spelling of the key (the first one seen
 * while the entry existed): keys are canonical (sql/keycodec.h order part
 * only), so SQL-equal rows (1.0 and 1.00) share an entry, as they share a
 * RowTable entry in memory.
 *
 * Long keys: a state table's keys are at most state_max_key_len() bytes (511),
 * and a key ending in whole rows (the tie-break of top-N and windows, a set
 * operation's row) may be longer. opkey_fit() cuts such a key to
 * OPKEY_MAX_LEN - 8 bytes and appends a 64-bit hash of the whole key: the
 * order stays right up to the cut, and rows whose keys share the first
 * OPKEY_MAX_LEN - 8 bytes are ordered by the hash (a fixed order that
 * depends only on the rows, invariant 1 of op_topn and op_window, though not
 * the in-memory one); two different rows sharing a cut key and a hash would
 * share an entry (probability 2^-64). The part that orders (ORDER BY,
 * PARTITION BY values) is never cut: 54000 when it alone is too long.
 *
 * Invariants:
 *   1. A ByteMap lives in one arena (a run's scratch): nothing to free, and
 *      entries never move once inserted.
 *   2. Entries are visited in insertion order.
 */
#ifndef RIVULET_STREAM_OPKEY_H
#define RIVULET_STREAM_OPKEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/buf.h"
#include "common/err.h"
#include "sql/datum.h"
#include "sql/types.h"

/* The first byte of every key (a key is never empty, even with no columns). */
#define OPKEY_TAG 0x01
/* The longest key written (below LMDB's 511). */
#define OPKEY_MAX_LEN 448

typedef struct BmEntry {
    const uint8_t *key; /* the map's copy */
    size_t len;
    uint64_t hash;
    void *payload;
} BmEntry;

typedef struct ByteMap {
    Arena *arena;
    uint32_t cap; /* slots, a power of two */
    uint32_t n;
    int32_t *slots; /* entry index + 1, 0 = empty */
    uint32_t ecap;
    BmEntry **entries; /* in insertion order */
} ByteMap;

void bytemap_init(ByteMap *m, Arena *a);
/* The entry of key; when absent, NULL, or (create) a new one with a NULL payload. */
BmEntry *bytemap_get(ByteMap *m, const void *key, size_t len, bool create, bool *created);

/*
 * Cuts key to OPKEY_MAX_LEN bytes when longer (see "Long keys"); keep is the length of the
 * part that orders (only asked for when the key is too long, through keep_fn(arg)). 54000
 * when keep > OPKEY_MAX_LEN - 8.
 */
int opkey_fit(Buf *key, size_t (*keep_fn)(void *arg), void *arg, Err *err);

/* Appends a value: counts, then the row (rowcodec). */
int opkey_value(Buf *out, const int64_t *counts, int ncounts, const Oid *types, int ncols,
                const Value *row, Err *err);
/*
 * Reads a value: counts into counts[0 .. ncounts), the row decoded into row[0 .. ncols) (NULL:
 * skip it). The bytes are copied into a first, so by-reference values stay valid as long as a.
 */
int opkey_read(const void *val, size_t len, int64_t *counts, int ncounts, const Oid *types,
               int ncols, Arena *a, Value *row, Err *err);

#endif
