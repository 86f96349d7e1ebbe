/*
 * stream/engine.h — the storage engine of a running server: the catalog
 * (storage/catalog_store.h, <data-dir>/catalog.db) and one durable log per
 * table or source (storage/log.h, <data-dir>/log/<relation id>/).
 *
 * Where it sits: stream/ may use storage/ and sql/; the engine implements
 * the catalog provider that sql/ defines (sql/relation.h) and installs it,
 * so the binder can resolve tables and INSERT can reach the log without
 * sql/ including storage/. The scan operator (stream/op_scan.c) reads a
 * relation's log through engine_scan().
 *
 * Start-up (engine_open) reconciles the two stores:
 *
 *   open catalog.db ──▶ list relations ──▶ log/<id> without a relation:
 *   removed (a DROP that crashed halfway) ──▶ relation without log/<id>:
 *   an empty log is created (a CREATE that crashed halfway) ──▶ every log
 *   opened (torn tails truncated, storage/log.h) ──▶ one INFO line with the
 *   counts and the time taken
 *
 * DDL order: CREATE commits the catalog row first, then creates the log
 * directory; DROP commits the catalog first, then removes the directory.
 * A crash between the two leaves exactly what the reconciliation repairs.
 *
 * Threads: any number of sessions call the provider at once. Appends and
 * scans hold the engine's lock shared (an append also across its fsync, so
 * concurrent INSERTs share fsyncs through the log's group commit); CREATE
 * and DROP hold it exclusively.
 *
 * Invariants:
 *   1. Every relation of kind table or source in the catalog has exactly one
 *      open LogWriter while the engine is open, and no other log is open.
 *   2. An append returns 0 only after log_sync_to() covered its records.
 *   3. A scan sees the records that were durable when it started.
 */
#ifndef RIVULET_STREAM_ENGINE_H
#define RIVULET_STREAM_ENGINE_H

#include <stdint.h>

#include "common/err.h"
#include "sql/relation.h"

typedef struct Engine Engine;

/*
 * Opens (creating what is missing) the engine over data_dir, reconciles and
 * recovers, and installs it as the SQL layer's catalog provider and as
 * engine_current().
 */
int engine_open(const char *data_dir, Engine **out, Err *err);

/* Uninstalls and closes (NULL: no-op). No statement may be running. */
void engine_close(Engine *e);

/* The open engine, or NULL. */
Engine *engine_current(void);

/* The provider engine_open installed (for tests). */
const SqlCatalogProvider *engine_provider(Engine *e);

/* Called with each record (sql/relation.h's format) in offset order. */
typedef int (*EngineRecordFn)(void *arg, const uint8_t *rec, uint32_t len, Err *err);

/* Reads relation relid's log up to its durable end: 0, or 1 if there is no such relation. */
int engine_scan(Engine *e, uint64_t relid, EngineRecordFn fn, void *arg, Err *err);

/*
 * FLUSH: returns once one epoch applied every durable record of every primary-key table to
 * its state table (stream/engine_pk.c) and committed.
 */
int engine_flush(Engine *e, Err *err);

/* How often the epoch driver checkpoints, in ms (clamped to 10 .. 3600000; default 1000). */
void engine_set_checkpoint_interval(Engine *e, unsigned ms);

/*
 * Storage options for engines opened after this call (the server's flags; 0: the default):
 * the log's zstd level (1..19) and the state store's initial LMDB map size in bytes.
 */
void engine_set_storage_options(int log_zstd_level, size_t state_map_size);

/*
 * Memory budget of each state cache of a materialized view's operators (0: 64 MiB), for
 * views started after this call (stream/opstate.h).
 */
void engine_set_state_cache_budget(size_t bytes);
size_t engine_state_cache_budget(void);

/*
 * Log retention (default: keep everything): the logs of sources and of primary-key tables
 * lose whole segments beyond the newest max_bytes (0: no limit) or last written more than
 * max_age_us ago (0: no limit), once every view has consumed them and (primary-key tables)
 * the epoch has applied them. Plain tables keep their logs: the log is their contents.
 */
void engine_set_log_retention(uint64_t max_bytes, int64_t max_age_us);
void engine_log_retention(uint64_t *max_bytes, int64_t *max_age_us);

/* Records (durable) in relation relid's log; 0 if unknown. */
uint64_t engine_record_count(Engine *e, uint64_t relid);

#endif
