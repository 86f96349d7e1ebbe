/*
 * planner/planner.h — from a typed logical plan (sql/plan.h) to a dataflow
 * graph: the operators to instantiate, how they are wired, and what the
 * one-shot collector applies at the end.
 *
 * Each plan node becomes one dataflow node (Values → source, Series →
 * source, Filter, Project, Join, Agg); Sort and Limit, which are not
 * multiset operators, become a TopN node inside subqueries and are lifted
 * into the collector (final ORDER BY / OFFSET / LIMIT) at the top.
 *
 * Invariants:
 *   1. nodes[] is in topological order: a node's inputs come before it, so
 *      flushing (barrier) in array order lets every operator see all of its
 *      input for an epoch before it emits.
 *   2. Exactly one node (the last) feeds the collector.
 *   3. A node's output goes to exactly one (node, port); port 0 is the left
 *      / only input, port 1 a Join's or SetOp's right input.
 *   4. The graph points into the plan (which outlives it); nothing here
 *      evaluates expressions.
 */
#ifndef RIVULET_PLANNER_PLANNER_H
#define RIVULET_PLANNER_PLANNER_H

#include "common/arena.h"
#include "common/err.h"
#include "sql/plan.h"

typedef enum DfKind {
    DF_VALUES,
    DF_SERIES,
    DF_FILTER,
    DF_PROJECT,
    DF_JOIN,
    DF_AGG,
    DF_TOPN, /* Sort and/or Limit inside a subquery */
    DF_SCAN, /* a stored relation's log (stream/op_scan.c) */
    DF_SETOP, /* UNION / INTERSECT / EXCEPT [ALL] (stream/op_setop.c) */
    DF_WINDOW, /* window functions, DISTINCT ON (stream/op_window.c) */
    DF_MARKJOIN, /* EXISTS / IN / scalar subqueries (stream/op_markjoin.c) */
    DF_HOP,      /* HOP windows: a row per window (stream/op_hop.c) */
    DF_SESSION,  /* SESSION windows per key (stream/op_session.c) */
    DF_TEMPORAL, /* temporal filter: a comparison with now() (stream/op_temporal.c) */
} DfKind;

typedef struct DfNode {
    DfKind kind;
    const PlanNode *plan;  /* the plan node it implements (TopN: the Limit or Sort) */
    const PlanNode *sort;  /* TopN: the Sort node, or NULL */
    const PlanNode *limit; /* TopN: the Limit node, or NULL */
    int output;            /* index of the consumer node, -1: the collector */
    int output_port;
    int id; /* index in the graph's nodes (names the node's state tables) */
    const struct ScanBounds *bounds; /* Scan: key bounds of the Filter above (planner/scankey.h) */
} DfNode;

typedef struct Dataflow {
    int nnodes;
    DfNode *nodes;
    int ncols;             /* width of the rows reaching the collector */
    const PlanNode *sort;  /* final ORDER BY, or NULL */
    const PlanNode *limit; /* final LIMIT/OFFSET, or NULL */
} Dataflow;

/* Builds the graph of plan into a (nodes allocated there). */
int planner_build(const PlanNode *plan, Arena *a, Dataflow **out, Err *err);

/*
 * The graph of a materialized view: no collector step, so a top ORDER BY
 * without LIMIT is dropped (a view is a multiset) and ORDER BY ... LIMIT stays
 * a TopN node; df->sort and df->limit are NULL.
 */
int planner_build_view(const PlanNode *plan, Arena *a, Dataflow **out, Err *err);

#endif
