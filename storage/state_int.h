/*
 * storage/state_int.h — private to storage/state.c and storage/state_read.c: the structures
 * behind the opaque handles of state.h, and the helpers both halves use.
 * state.c holds the environment and the write side (tables, epochs, map growth);
 * state_read.c the read side (snapshots, point gets, offsets, cursors).
 */
#ifndef RIVULET_STORAGE_STATE_INT_H
#define RIVULET_STORAGE_STATE_INT_H

#include <lmdb.h>
#include <pthread.h>

#include "storage/state.h"

#define META_NAME "_meta"
#define META_EPOCH_KEY "epoch"
#define META_FORMAT_KEY "format"
#define STATE_FORMAT 1
#define OFFSET_TAG 'o'
#define MIB ((size_t)1 << 20)

#define DEFAULT_MAP_SIZE (sizeof(size_t) >= 8 ? (size_t)8 << 30 : 256 * MIB)
#define DEFAULT_MAP_MAX ((size_t)1 << 40)
#define DEFAULT_MAX_TABLES 4096
#define DEFAULT_MAX_READERS 256
#define DEFAULT_EXCLUSIVE_MS 5000
#define MAX_GROW_RETRIES 16
#define OPS_PER_CHUNK 1024
#define STATE_SNAPSHOT_POOL 32
#define STATE_SEEK_BUF 4096 /* > any LMDB max key size */

typedef struct TableEntry {
    char name[STATE_TABLE_NAME_MAX + 1];
    MDB_dbi dbi;
    size_t created_txn;
} TableEntry;

struct StateStore {
    MDB_env *env;
    StateOptions opts;
    MDB_dbi meta;
    unsigned max_key;
    unsigned page_size;
    pthread_mutex_t write_lock;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    unsigned active;    /* open snapshots */
    unsigned exclusive; /* growths/drops draining or running (nested in one thread) */
    TableEntry *tables; /* sorted by name */
    size_t n_tables, cap_tables;
    uint64_t last_epoch;
    size_t map_size;
    unsigned growths;
    unsigned stale_cleared;
    StateSnapshot *pool[STATE_SNAPSHOT_POOL]; /* ended snapshots with reset read txns */
    unsigned n_pool;
};

struct StateSnapshot {
    StateStore *st;
    MDB_txn *txn;
    size_t txnid;
    uint64_t epoch;
};

struct StateCursor {
    MDB_cursor *c;
    StateRange range;
    size_t max_key;
    bool backward;
    bool started;
    bool done;
};

static inline void
state_put_be64(unsigned char *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--) {
        p[i] = (unsigned char)(v & 0xff);
        v >>= 8;
    }
}

static inline uint64_t
state_get_be64(const unsigned char *p)
{
    uint64_t v = 0;

    for (int i = 0; i < 8; i++)
        v = (v << 8) | p[i];
    return v;
}

/* Maps an LMDB/errno code to an Err; level PANIC when at_commit and the cause is I/O. */
int state_raise_mdb(Err *err, int rc, bool at_commit, const char *what);
/* Finds a committed table by name; caller holds st->lock. *pos = insertion point if absent. */
TableEntry *state_cache_find(StateStore *st, const char *name, size_t *pos);

#endif
