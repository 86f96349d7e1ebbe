/*
 * stream/engine_gen.h — the engine's side of generator sources (stream/engine_gen.c): one
 * producer thread per CREATE SOURCE ... WITH (connector = 'datagen' | 'nexmark'), started at
 * CREATE and at start-up, stopped at DROP and at shutdown. Called by stream/engine.c only.
 *
 * Invariants:
 *   1. engine_gen_stop() returns only after the threads it stops have exited; none of them
 *      holds or waits for Engine.lock afterwards.
 *   2. The caller holds neither Engine.epoch_mu nor Engine.lock when it calls
 *      engine_gen_stop() (a producer takes Engine.lock shared to append).
 */
#ifndef RIVULET_STREAM_ENGINE_GEN_H
#define RIVULET_STREAM_ENGINE_GEN_H

#include <stdbool.h>
#include <stdint.h>

#include "storage/catalog_store.h"
#include "stream/engine.h"

/* The catalog option holding a source's creation time (µs since 1970), for datagen. */
#define ENGINE_GEN_CREATED_OPTION "created_at_us"

/* Starts cr's generator if cr is a source with a generator connector (WARNING on failure). */
void engine_gen_start(Engine *e, const CatalogRelation *cr);
/* Start-up: every generator source of the catalog. */
void engine_gen_start_all(Engine *e);
/* Looks the ids up in the catalog again and starts their generators (after a failed DROP). */
void engine_gen_start_ids(Engine *e, const uint64_t *ids, int n);
/* Stops (and joins) the generators of ids[0 .. n), or all of e's when ids is NULL. */
void engine_gen_stop(Engine *e, const uint64_t *ids, int n);
/*
 * 0, or -1 with 42809 when relid is a generator source: its log must hold its sequence only
 * (row i = record i), so INSERT and COPY into it are refused.
 */
int engine_gen_check_append(Engine *e, uint64_t relid, Err *err);
/* Rows the source's generator has appended so far; *running false when none runs. */
uint64_t engine_gen_position(Engine *e, uint64_t relid, bool *running);

#endif
