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
#include "stream/deltamap.h"
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

typedef struct EngineMv EngineMv; /* stream/engine_mv.c */
typedef struct EngineWm EngineWm; /* stream/engine_wm.c */

typedef struct EngineRel {
    uint64_t id;
    LogWriter *log; /* NULL for a materialized view */
    EnginePk *pk;   /* NULL: a plain (log-scanned) table or source */
    bool is_mv;     /* a materialized view (contents in "t<id>.mv") */
    bool is_source; /* a source: its log may be trimmed by the retention policy */
    EngineMv *mv;   /* its running job; NULL until mv_open / when it could not be restored */
    /* logs without a primary key: records < consumed were delivered to the views */
    uint64_t consumed;
    /* this epoch's changes, for the views reading this relation (NULL: none does) */
    DeltaMap *delta;
} EngineRel;

/* A CREATE MATERIALIZED VIEW backfilling now (rw_catalog.rw_ddl_progress). */
typedef struct DdlProgress {
    struct DdlProgress *next;
    uint64_t id;
    char statement[1024];
    uint64_t total;         /* input rows to read */
    _Atomic uint64_t done;  /* read so far */
    int64_t started_us;     /* wall clock */
} DdlProgress;

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
    uint64_t mv_rebuilds; /* views rebuilt from their inputs (start-up, failures); epoch_mu */
    bool epoch_more;      /* the last epoch left log records for the next (EPOCH_LOG_RECORDS) */
    pthread_t driver;
    bool driver_running;
    pthread_mutex_t driver_mu;
    pthread_cond_t driver_cv;
    bool driver_stop;
    _Atomic unsigned interval_ms;
    pthread_mutex_t progress_mu; /* progress */
    DdlProgress *progress;
    struct EngineWm *wm; /* watermarks (stream/engine_wm.c); made at the first epoch */
    int npk_open;    /* start-up: primary-key tables (for the log line) */
    int64_t open_t0; /* start-up: when pk_open began */
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
/* Applies the log retention policy (engine_set_log_retention) to every log it covers. */
void engine_apply_retention(Engine *e);
/* Empties the catalog-row cache (after any catalog change). */
void engine_cache_clear(Engine *e);
/* Adds a materialized view's entry (no log) to rels[]; under Engine.lock exclusive. */
int add_view_rel(Engine *e, uint64_t id, Err *err);

/* Builds the primary-key description of cr (NULL in *out when it has none). */
int pk_new(const CatalogRelation *cr, EnginePk **out, Err *err);
void pk_free(EnginePk *pk);

/* Uniqueness check, durable append, overlay update; called under Engine.lock shared. */
int pk_append(Engine *e, EngineRel *r, const uint8_t *const *recs, const uint32_t *lens, int n,
              SqlConflictFn fn, void *fn_arg, uint8_t *written, Err *err);

/*
 * Applies every log's durable records acknowledged before the call (primary-key tables, and
 * what views read) in as many epochs as that takes (each takes at most EPOCH_LOG_RECORDS
 * records of a log); takes epoch_mu and lock per epoch.
 */
int pk_epoch_run(Engine *e, Err *err);

/*
 * Copies a primary-key table's rows, in key order, into out as records (u32 length in host
 * order, then the record); called under Engine.lock shared. The caller hands them to the scan
 * after releasing the lock and the snapshot, so an operator downstream may scan again.
 */
int pk_scan(Engine *e, EngineRel *r, Buf *out, Err *err);

/*
 * The row of key values kv (key order, the key columns' types) as of every acknowledged write
 * (overlay, then committed state): 1 with *row (rowcodec, in a), 0 when there is none. Called
 * under Engine.lock shared.
 */
int pk_get(Engine *e, EngineRel *r, const Value *kv, Arena *a, uint8_t **row, size_t *len,
           Err *err);

/* Drops the relation's state table; called under Engine.lock exclusive. */
int pk_drop_state(Engine *e, EngineRel *r, Err *err);

/* Start-up: opens <data-dir>/state and sets the applied / consumed offsets. */
int pk_open(Engine *e, Err *err);
/* Start-up, after mv_open: replays the logs' new records in one epoch, starts the driver. */
int pk_start(Engine *e, Err *err);
/* Stops the driver, runs a last epoch, closes the state store. */
void pk_close(Engine *e);

/* ---- system views (stream/engine_sys.c) ---- */

bool sys_is_system(uint64_t id);
/* name without the schema: 0 with *out, 1 when there is no such system view. */
int sys_lookup(const char *name, Arena *a, SqlRelation **out);
int sys_scan(Engine *e, uint64_t id, EngineRecordFn fn, void *arg, Err *err);
DdlProgress *sys_progress_begin(Engine *e, uint64_t id, const char *statement, uint64_t total);
void sys_progress_end(Engine *e, DdlProgress *p);

/* ---- materialized views (stream/engine_mv.c) ---- */

/* The state table holding view id's contents: "t<id>.mv". */
void mv_state_name(uint64_t id, char *buf);
/* Start-up: binds every view and rebuilds its operators from the committed state. */
int mv_open(Engine *e, Err *err);
/* The provider's create() for a materialized view: catalog row, backfill, first commit. */
int mv_create(Engine *e, SqlRelation *rel, const char *definition, Err *err);
void mv_free(EngineMv *mv);
/* True when some view reads relation id (its changes must be collected each epoch). */
bool mv_reads(Engine *e, uint64_t id);
/*
 * True when a view reading relation id would be rebuilt from its log at start-up (its job
 * keeps state in memory, or is broken): the log must stay whole (--log-retention).
 */
bool mv_needs_log(Engine *e, uint64_t id);
/*
 * The views' part of an epoch (under epoch_mu and Engine.lock shared): every view whose
 * inputs changed runs its barrier, its contents change in ep, *changed is set if anything
 * was written. snap is the committed state the epoch starts from.
 */
int mv_epoch(Engine *e, StateEpoch *ep, StateSnapshot *snap, bool *changed, Err *err);
/* After the epoch: committed or not (a view that ran in a failed epoch is rebuilt). */
void mv_epoch_done(Engine *e, bool committed);
/* Drops a view's state tables: contents and operator state (no snapshot may be open). */
int mv_drop_state(Engine *e, uint64_t id, Err *err);
/* A view's rows as records (like pk_scan); called under Engine.lock shared. */
int mv_scan(Engine *e, EngineRel *r, Buf *out, Err *err);

/*
 * The epoch (stream/engine_pk.c): under epoch_mu. Applies primary-key logs, delivers every
 * relation's new changes to the views, commits.
 */
int epoch_run_locked(Engine *e, uint64_t *nrecords, int *ntables, Err *err);

/* The server's storage flags (stream/engine_opts.c): NULL for the defaults, else o filled. */
const LogOptions *engine_log_options(LogOptions *o);
const StateOptions *engine_state_options(StateOptions *o);

#endif
