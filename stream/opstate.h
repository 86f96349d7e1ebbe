/*
 * stream/opstate.h — persistent operator state of a long-lived run (a
 * materialized view's job): every stateful operator keeps its state in
 * LMDB state tables, read and written through write-back caches
 * (stream/statecache.h), flushed into the epoch that commits the view's
 * contents, so a restart reopens the operators over their committed state
 * with nothing to rebuild, and memory is a cache with a budget.
 *
 *   operator ──stream_state_cache(run, node, "g")──▶ StateCache over table
 *             "t<owner>.o<node id><tag>" (owner = the view's id)
 *   barrier done ──▶ stream_state_flush(ep)   every cache's dirty entries
 *   epoch commit ──▶ stream_state_committed(ok)
 *
 * Two kinds of run:
 *   - run->state == NULL: one-shot runs (ad-hoc SELECT) and unit tests that
 *     do not ask for persistence. Operators keep their state in memory in
 *     run->arena, as they always did.
 *   - run->state != NULL: operators keep NO state in memory across
 *     barriers: what they need between barriers is in their caches.
 *     Within a barrier they may build per-barrier structures in
 *     run->scratch, which the job empties after every barrier (values
 *     pushed in, expression results (run->ctx.arena == run->scratch) and
 *     everything else allocated there die with it). run->arena is for
 *     things of the operator's whole life that do not grow with the data
 *     (compiled keys, buffers, the cache pointers).
 *
 * A fresh run (a view being created, or rebuilt because its state could not
 * be trusted) sees every table empty and replaces the tables' contents at
 * the first flush; a reopened run sees the committed contents.
 *
 * Naming: tag is 1..3 lowercase letters, distinct per table of one
 * operator; the node id is DfNode.id (the node's index in the view's
 * graph, deterministic for a given plan). Asking twice for the same
 * (node, tag) returns the same cache.
 *
 * Invariants:
 *   1. After stream_state_flush + commit, the tables hold exactly the state
 *      the operators would have in memory after the same changes: a run
 *      reopened over them continues with the same outputs.
 *   2. Between barriers an operator of a persistent run holds no pointer
 *      into run->scratch.
 *   3. Only the run's thread uses its caches (statecache.h rules).
 */
#ifndef RIVULET_STREAM_OPSTATE_H
#define RIVULET_STREAM_OPSTATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "storage/state.h"
#include "stream/statecache.h"

typedef struct StreamState StreamState;
typedef struct StreamRun StreamRun;
typedef struct DfNode DfNode;

typedef struct StreamStateOpts {
    StateStore *st;
    uint64_t owner_id; /* the view: its tables are "t<owner_id>.o..." */
    size_t budget;     /* bytes of memory per cache; 0: 64 MiB */
    bool fresh;        /* start from empty tables (replaced at the first flush) */
} StreamStateOpts;

int stream_state_new(const StreamStateOpts *opts, StreamState **out, Err *err);
/* Closes every cache (unflushed changes are lost) and the reader. NULL: no-op. */
void stream_state_free(StreamState *s);

/*
 * The cache of operator node's table `tag` in run (run->state must not be
 * NULL). Operators call it when they first need the table, typically at
 * the first push or flush, since constructors cannot fail.
 */
int stream_state_cache(StreamRun *run, const DfNode *node, const char *tag, StateCache **out,
                       Err *err);

/*
 * For operators that act once in a view's life (VALUES, generate_series): *first is true
 * the first time it is asked for this node (a marker is written with the epoch), false
 * ever after, restarts included.
 */
int stream_state_once(StreamRun *run, const DfNode *node, bool *first, Err *err);

/*
 * The job's own small table "t<owner>.om" (plan fingerprint and the like): never an
 * operator's.
 */
int stream_state_meta(StreamState *s, StateCache **out, Err *err);

/* Ends the caches' shared LMDB snapshot (it begins again at the next miss). */
int stream_state_release(StreamState *s, Err *err);

/* Writes every cache's changes into ep (after the barrier, before the commit). */
int stream_state_flush(StreamState *s, StateEpoch *ep, Err *err);
/* How the epoch of the last flush ended. */
void stream_state_committed(StreamState *s, bool ok);

/* Memory held by the caches now, and entries. */
void stream_state_usage(const StreamState *s, size_t *bytes, size_t *entries);

/* True when the state table name belongs to operator state of some view ("t<id>.o..."). */
bool stream_state_is_op_table(const char *name);

#endif
