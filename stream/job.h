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
 *   3. Today operator state and pushed values live in the job's arena, in
 *      memory, for the job's life (see docs/architecture.md, "Materialized
 *      views"): moving it into LMDB is the next step of issue 5.
 */
#ifndef RIVULET_STREAM_JOB_H
#define RIVULET_STREAM_JOB_H

#include <stdint.h>

#include "common/err.h"
#include "sql/plan.h"

typedef struct StreamJob StreamJob;

/* Builds the job for plan; ctx is copied (its session must outlive the job). */
int stream_job_new(const PlanNode *plan, const EvalCtx *ctx, StreamJob **out, Err *err);
void stream_job_free(StreamJob *j);

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

#endif
