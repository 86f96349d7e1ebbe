/*
 * stream/engine_int.h — the engine's private structures, shared by
 * stream/engine.c (catalog, logs, DDL, start-up) and stream/engine_pk.c
 * (primary-key tables: state tables, the epoch driver, recovery).
 *
 * Lock order (never take an earlier one while holding a later one):
 *     Engine.epoch_mu ─▶ Engine.lock (shared or exclusive) ─▶ EnginePk.mu
 *
 * Invariants:
 *   1. A relation has pk != NULL exactly when its catalog columns name a
 *      primary key; pk is created and freed with its EngineRel.
 *   2. pk->applied only grows, only in pk_epoch_run() after the epoch that
 *      recorded offset applied - 1 in "_meta" committed.
 *   3. pk->overlay holds, for every key written at a log offset >= the
 *      applied offset as of the last prune, the latest such write.
 */
#ifndef RIVULET_STREAM_ENGINE_INT_H
#define RIVULET_STREAM_ENGINE_INT_H

#include <limits.h>
#include <pthread.h>
#include <stdbool.h>

#include "sql/keycodec.h"
#include "storage/catalog_store.h"
#include "storage/log.h"
#include "storage/state.h"
#include "stream/engine.h"

/* One key in the overlay: the latest acknowledged, not yet applied write. */
typedef struct PkOverlayEntry {
    uint8_t *key; /* malloc'd together with the row; NULL: empty slot */
    uint32_t len;
    uint32_t rowlen; /* the row (rowcodec) follows the key; 0 for a delete */
    bool live;       /* inserted (true) or deleted (false) */
    uint64_t offset; /* log offset of the write */
} PkOverlayEntry;

typedef struct EnginePk {
    char state_name[STATE_TABLE_NAME_MAX + 1];
    char *relname;
    int ncols;
    Oid *types;
    int32_t *typmods;
    char **colnames;
    int npk;
    int *pkcols; /* table column of each key column, in key order */
    KeyColumn *keycols;
    KeySpec spec;
    pthread_mutex_t mu; /* overlay, uniqueness checks and appends */
    uint64_t applied;   /* records < applied are in the committed state */
    PkOverlayEntry *overlay;
    size_t ocap, ocount;
} EnginePk;

typedef struct EngineRel {
    uint64_t id;
    LogWriter *log;
    EnginePk *pk; /* NULL: a plain (log-scanned) table or source */
} EngineRel;

struct Engine {
    char data_dir[PATH_MAX];
    char log_dir[PATH_MAX];
    CatalogStore *cs;
    pthread_rwlock_t lock;
    EngineRel *rels;
    size_t nrels, cap;
    SqlCatalogProvider provider;
    /* primary-key tables (stream/engine_pk.c) */
    StateStore *state;
    pthread_mutex_t epoch_mu; /* one epoch at a time; epoch_no */
    uint64_t epoch_no;
    pthread_t driver;
    bool driver_running;
    pthread_mutex_t driver_mu;
    pthread_cond_t driver_cv;
    bool driver_stop;
    _Atomic unsigned interval_ms;
    /*
     * Name → catalog row cache for prov_lookup (every statement binds its tables through it;
     * without it each INSERT ran an SQLite query). Emptied by every DDL; guarded by cache_mu.
     */
    pthread_mutex_t cache_mu;
    Arena *cache_arena;
    CatalogRelation **cache;
    size_t ncache, capcache;
};

EngineRel *engine_find_rel(Engine *e, uint64_t id);

/* Builds the primary-key description of cr (NULL in *out when it has none). */
int pk_new(const CatalogRelation *cr, EnginePk **out, Err *err);
void pk_free(EnginePk *pk);

/* Uniqueness check, durable append, overlay update; called under Engine.lock shared. */
int pk_append(Engine *e, EngineRel *r, const uint8_t *const *recs, const uint32_t *lens, int n,
              SqlConflictFn fn, void *fn_arg, uint8_t *written, Err *err);

/* Applies every primary-key log's new durable records in one epoch; takes epoch_mu and lock. */
int pk_epoch_run(Engine *e, Err *err);

/*
 * Copies a primary-key table's rows, in key order, into out as records (u32 length in host
 * order, then the record); called under Engine.lock shared. The caller hands them to the scan
 * after releasing the lock and the snapshot, so an operator downstream may scan again.
 */
int pk_scan(Engine *e, EngineRel *r, Buf *out, Err *err);

/* Drops the relation's state table; called under Engine.lock exclusive. */
int pk_drop_state(Engine *e, EngineRel *r, Err *err);

/* Start-up: opens <data-dir>/state, sets applied offsets, replays, starts the driver. */
int pk_open(Engine *e, Err *err);
/* Stops the driver, runs a last epoch, closes the state store. */
void pk_close(Engine *e);

#endif
