/*
 * stream/statecache.h — a keyed state table for one operator: get, put,
 * delete and ordered range scans over memcomparable byte keys
 * (sql/keycodec.h), served from an in-memory write-back cache with a byte
 * budget over a committed LMDB snapshot (storage/state.h).
 *
 * Where it sits: between a dataflow operator (stream/op_*.c) and the state
 * store. The operator reads and writes through the cache during an epoch;
 * at the barrier it flushes the dirty entries into the epoch being built,
 * and once that epoch committed it tells the cache, which may then evict
 * them. A restart reopens the cache over the same table and continues from
 * the last committed epoch, with nothing to rebuild.
 *
 * Life of an entry (one per key the cache knows, present or deleted):
 *
 *      get miss ──▶ CLEAN ◀──── committed(ok) ────┐
 *                   │  ▲ evict (LRU, over budget)  │
 *         put/delete│  │                           │
 *                   ▼  │                        PENDING
 *                  DIRTY ──── flush(ep) ──────────▶│ (written into ep,
 *                     ▲                            │  not yet committed)
 *                     └──── committed(failed), or put/delete ──┘
 *
 * Only CLEAN entries are evicted. A PENDING one must stay until its epoch
 * committed: the LMDB snapshot would still show the old value.
 *
 * Usage per epoch, for every cache of the operator(s):
 *
 *     statecache_get/put/delete/iter...        (any number, one thread)
 *     statecache_flush(sc, ep)                 (ends the reader's snapshot)
 *     state_epoch_commit(ep)                   (by whoever commits)
 *     statecache_committed(sc, ok)
 *
 * Snapshots: storage/state.h allows one snapshot per thread, so caches read
 * through a StateCacheReader, one per thread (or per set of operators run
 * by one thread), which all caches of that thread share. It begins an LMDB
 * snapshot at the first miss of any of them and keeps it until a flush, a
 * committed() or statecache_reader_release(). The thread that commits must
 * not hold one, and no thread should hold one across a commit: after the
 * flushes, call statecache_reader_release() before committing if a cache
 * read anything since. One thread at a time uses a reader and its caches.
 *
 * Ownership: the cache owns a private copy of every key and value it holds
 * (malloc'd, freed on eviction). Bytes returned by get and by an iterator
 * are valid until the next call on the cache (any call may evict) or on the
 * iterator.
 *
 * The table is the cache's alone: every write to it goes through this one
 * StateCache, which is what lets a CLEAN entry stand for the committed value.
 * Close the caches and destroy their reader before dropping the table
 * (state_drop_table waits for open snapshots).
 *
 * Invariants:
 *   1. A get or a scan sees the last put/delete of every key made through
 *      the cache, then the committed table: the same answers as applying
 *      every operation to a plain ordered map.
 *   2. memory (statecache_stats().bytes) stays <= budget as long as the
 *      DIRTY and PENDING entries alone fit in it; those are never evicted.
 *   3. Iterators see keys in memcmp order (shorter first when one is a
 *      prefix of the other), or its reverse, each at most once, never a
 *      deleted key.
 *   4. While an iterator of a cache is open, that cache refuses get, put
 *      and delete (55000), and no cache of its reader can flush (55000);
 *      other caches of the reader may be read and written.
 *
 * Errors: storage/state.h's (53000, 53100, XX001 ...), 22023 for an empty
 * key, 54000 for a key longer than state_max_key_len(), 55000 for flushing
 * or releasing with an iterator open, 53200 when malloc fails.
 */
#ifndef RIVULET_STREAM_STATECACHE_H
#define RIVULET_STREAM_STATECACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "storage/state.h"

typedef struct StateCache StateCache;
typedef struct StateCacheIter StateCacheIter;
typedef struct StateCacheReader StateCacheReader;

typedef struct StateCacheStats {
    size_t bytes;     /* memory charged to the budget now */
    size_t entries;   /* keys held (present or deleted) */
    size_t dirty;     /* DIRTY entries */
    size_t pending;   /* PENDING entries */
    uint64_t hits;    /* gets answered from memory */
    uint64_t misses;  /* gets that read the snapshot */
    uint64_t evicted; /* entries dropped for the budget */
} StateCacheStats;

/* The shared snapshot of one thread's caches over st. */
int statecache_reader_create(StateStore *st, StateCacheReader **out, Err *err);
/* Ends the snapshot now (it begins again at the next miss); 55000 with an iterator open. */
int statecache_reader_release(StateCacheReader *rd, Err *err);
/* Ends the snapshot and frees the reader; its caches must be closed first. NULL: no-op. */
void statecache_reader_destroy(StateCacheReader *rd);

/*
 * Opens a cache over state table `table` (a state_table_name()) of the
 * reader's store, with `budget` bytes of memory (0: 64 MiB). The table need
 * not exist yet: the first flush creates it.
 */
int statecache_open(StateCacheReader *rd, const char *table, size_t budget, StateCache **out,
                    Err *err);
/*
 * Frees the cache, DIRTY entries included (their changes are lost); its
 * iterators must be closed. NULL is a no-op.
 */
void statecache_close(StateCache *sc);

/* 1 with *val set when the key is present, 0 when it is not. */
int statecache_get(StateCache *sc, const void *key, size_t key_len, StateBytes *val, Err *err);
int statecache_put(StateCache *sc, const void *key, size_t key_len, const void *val, size_t val_len,
                   Err *err);
/* Deleting a missing key is not an error. */
int statecache_delete(StateCache *sc, const void *key, size_t key_len, Err *err);

/*
 * Writes every DIRTY entry into ep (state_epoch_put / state_epoch_delete on
 * the cache's table, which the epoch creates if needed), marks them
 * PENDING and ends the cache's snapshot.
 */
int statecache_flush(StateCache *sc, StateEpoch *ep, Err *err);

/*
 * Tells the cache how the epoch of the last flush ended: ok → PENDING
 * entries become CLEAN (evictable, deleted ones kept as known-absent);
 * failed → they become DIRTY again. Without a call the next flush writes
 * PENDING entries again too (idempotent), so a failed epoch may simply be
 * followed by the next flush. Ends the reader's snapshot (after its open
 * iterators close, if any), since it predates the commit.
 */
void statecache_committed(StateCache *sc, bool ok);

/*
 * Forgets every entry and treats the committed table as empty from now on:
 * the next flush empties the table in its epoch before writing the cache's
 * entries, and once that epoch committed the cache reads the table again.
 * (A run rebuilt from scratch replaces its old state this way, atomically
 * with the rest of the epoch.) 55000 with an iterator of the cache open.
 */
int statecache_clear(StateCache *sc, Err *err);

void statecache_stats(const StateCache *sc, StateCacheStats *out);

/*
 * Opens an iterator over range (NULL: everything; see StateRange in
 * storage/state.h, whose key bytes must outlive the iterator), ascending or
 * (backward) descending, merging the cache's entries with the committed
 * table. Iterating does not load entries into the cache.
 */
int statecache_iter_open(StateCache *sc, const StateRange *range, bool backward,
                         StateCacheIter **out, Err *err);
/* 1 with the next key and value, 0 at the end. */
int statecache_iter_next(StateCacheIter *it, StateBytes *key, StateBytes *val, Err *err);
/* NULL is a no-op. */
void statecache_iter_close(StateCacheIter *it);
/*
 * Deletes every key in range (NULL: everything), by rounds of a scan (the cache takes no
 * writes while scanned); *deleted (may be NULL) is set to how many. Deleted keys stay in the
 * cache as known-absent entries and a later scan walks them: callers that delete below a
 * rising bound should start the next range where this one ended. 55000 with an iterator of
 * the cache open.
 */
int statecache_delete_range(StateCache *sc, const StateRange *range, size_t *deleted, Err *err);

#endif
