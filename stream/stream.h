/*
 * stream/stream.h — the dataflow runtime: operators over change batches.
 *
 * A change is a row with a weight: +1 inserted, -1 deleted (larger weights
 * are that many copies). An operator is state + two entry points:
 *
 *     push(port, batch)   take input changes (may emit output at once)
 *     flush()             barrier: emit every change still pending
 *
 * and emits its output changes to one downstream operator (or the
 * collector). Operators are built from the planner's graph
 * (planner/planner.h) and flushed in topological order, so at a barrier
 * every operator has seen all of its input before it emits.
 *
 * Today every run is one-shot (ad-hoc SELECT): sources emit their rows at
 * the first barrier, the collector gathers the final multiset and applies
 * the query's ORDER BY / OFFSET / LIMIT. Incrementally maintained views
 * will run the same operators over many epochs, pushing deletes as -1.
 *
 * Invariants:
 *   1. An operator never keeps a pointer into a batch it was pushed: what
 *      it keeps it copies (Values are shallow-copied; by-reference datums
 *      live in the run's arena, which outlives every operator).
 *   2. Output weights are never 0.
 *   3. Each operator's output is a correct delta of its output multiset
 *      for any input delta, retractions included (op_agg emits -old/+new
 *      per changed group).
 */
#ifndef RIVULET_STREAM_STREAM_H
#define RIVULET_STREAM_STREAM_H

#include "sql/plan.h"

/*
 * Runs plan once (the SqlExecutorFn installed by the server): result rows
 * are nrows × plan->ncols Values in out_arena, ordered and cut as the
 * plan's top Sort/Limit say.
 */
int stream_run_oneshot(const PlanNode *plan, EvalCtx *ctx, Arena *out_arena, Value **rows,
                       int64_t *nrows, Err *err);

#endif
