/*
 * stream/job.h — a long-lived dataflow: the operators of one materialized
 * view, fed change batches epoch after epoch.
 *
 * The one-shot runner (stream.h) reads its inputs itself and stops after
 * one barrier. A job instead turns every scan of a stored relation into an
 * *input* the storage engine pushes changes into ((row, weight) pairs as
 * rowcodec rows), and after each epoch's pushes runs a barrier: every
 * operator, in topological order, emits what its inputs changed. The
 * job's output for the epoch arrives consolidated (rows whose weights sum
 * to 0 vanish) as rowcodec rows with weights.
 *
 *   engine ──push(input i, row, ±w)──▶ input op ─▶ filter/join/agg/... ─▶ sink
 *   engine ──barrier──▶ flush in order ─▶ sink: consolidated deltas ─▶ fn
 *
 * A top-level ORDER BY without LIMIT is dropped (a view is a multiset);
 * ORDER BY ... LIMIT is kept as a top-N operator.
 *
 * Invariants:
 *   1. Output deltas are exact: applying every epoch's output to the empty
 *      multiset gives the query's answer over everything pushed so far.
 *   2. A job is used by one thread at a time (the epoch driver).
 *   3. A persistent job (every operator keeps its state through
 *      stream/opstate.h) holds nothing in memory across barriers but its
 *      caches: pushed values and per-barrier work live in a scratch arena
 *      emptied after each barrier's output was handed over. Any other job
 *      keeps operator state and pushed values in its arena for its life
 *      and must be rebuilt from its inputs after a restart.
 */
#ifndef RIVULET_STREAM_JOB_H
#define RIVULET_STREAM_JOB_H

#include <stdint.h>

#include "common/err.h"
#include "sql/plan.h"
#include "sql/watermark.h"
#include "storage/state.h"

typedef struct StreamJob StreamJob;

typedef struct StreamJobOpts {
    StateStore *st;    /* NULL: operator state in memory */
    uint64_t owner_id; /* the view (its state tables "t<id>.o...") */
    size_t budget;     /* memory per state cache; 0: the default */
    bool fresh;        /* start from empty state (replacing what the tables hold) */
    /*
     * Which column of an input relation carries an event-time watermark (NULL: none do):
     * operators learn which of their input columns carry one (stream_job_watermark).
     */
    SqlWmLookupFn wm_lookup;
    void *wm_arg;
    /*
     * Whether a scanned relation only ever receives inserts (sources, tables without a
     * primary key; NULL: none is assumed to): an aggregate over inserts only keeps no
     * multiset for min / max (stream/op_agg.c). Called with wm_arg.
     */
    bool (*insert_only)(void *arg, uint64_t relid);
} StreamJobOpts;

/*
 * Builds the job for plan; ctx is copied (its session must outlive the job). With opts->st
 * and operators that all keep their state in state tables, the job is persistent.
 */
int stream_job_new(const PlanNode *plan, const EvalCtx *ctx, const StreamJobOpts *opts,
                   StreamJob **out, Err *err);
void stream_job_free(StreamJob *j);

/* True when the job keeps its operator state in state tables. */
bool stream_job_persistent(const StreamJob *j);
/* True when its output changes with time alone (temporal filters): it runs every epoch. */
bool stream_job_time_driven(const StreamJob *j);
/*
 * A persistent job opened over existing state (fresh false): 1 when that state was written
 * by a job of the same plan shape, 0 when it must be rebuilt (missing, or another shape).
 */
int stream_job_state_valid(StreamJob *j, Err *err);
/* True when the job has state changes not yet flushed (or a fresh start to record). */
bool stream_job_needs_flush(const StreamJob *j);
/* Writes the job's state changes into ep (persistent jobs; others: no-op). */
int stream_job_flush_state(StreamJob *j, StateEpoch *ep, Err *err);
/* How the epoch of the last flush ended. */
void stream_job_committed(StreamJob *j, bool ok);
/* Ends any LMDB snapshot the job's caches hold (between epochs none may stay open). */
void stream_job_release(StreamJob *j);
/* Memory held by the job's state caches. */
size_t stream_job_state_bytes(const StreamJob *j);

/* The inputs: one per scan in the plan, each reading relation relid with these columns. */
int stream_job_ninputs(const StreamJob *j);
uint64_t stream_job_input_relid(const StreamJob *j, int i);

/* Pushes one rowcodec row (the input relation's columns) with a weight into input i. */
int stream_job_push(StreamJob *j, int input, const uint8_t *row, size_t len, int64_t weight,
                    Err *err);

/* Called with each output change of a barrier (row: rowcodec of the plan's columns). */
typedef int (*StreamDeltaFn)(void *arg, const uint8_t *row, size_t len, int64_t weight, Err *err);

/* Runs a barrier and hands the consolidated output changes to fn. */
int stream_job_barrier(StreamJob *j, StreamDeltaFn fn, void *arg, Err *err);

/*
 * After a barrier that saw every change up to now (not in the middle of a backfill): fn gives
 * each input relation's watermark as of this epoch (false: none yet); operators whose input
 * columns derive one drop the state it made final (OpVtbl.watermark). Emits nothing.
 */
typedef bool (*StreamWmValueFn)(void *arg, uint64_t relid, Datum *w);
int stream_job_watermark(StreamJob *j, StreamWmValueFn fn, void *arg, Err *err);

#endif
