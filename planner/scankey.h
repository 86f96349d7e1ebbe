/*
 * planner/scankey.h — key lookups: the bounds a WHERE puts on the columns of
 * the relation it filters (so a scan of a keyed view or primary-key table
 * reads only those keys, stream/engine_key.h), and the key of a materialized
 * view's output derived from its plan (stream/engine_mv.c stores a keyed
 * view's contents under that key).
 *
 * Invariants:
 *   1. Bounds only narrow what a scan may return to a superset of the rows
 *      the Filter keeps: the Filter stays above the scan, so correctness
 *      never depends on them.
 *   2. A bound's expression reads no column and calls nothing volatile; it
 *      has the column's type, or another integer type for an integer column.
 *   3. A derived view key identifies a row of the view's output: two rows of
 *      one committed answer never share its values (the storage does not rely
 *      on it: a key holds a list of rows).
 */
#ifndef RIVULET_PLANNER_SCANKEY_H
#define RIVULET_PLANNER_SCANKEY_H

#include <stdbool.h>

#include "common/arena.h"
#include "sql/plan.h"

/* What the conjuncts of a WHERE say about one column of the scanned relation. */
typedef struct ScanColBound {
    const Expr *eq;      /* col = eq, or NULL */
    const Expr *lo, *hi; /* col > / >= lo, col < / <= hi, or NULL */
    bool lo_incl, hi_incl;
} ScanColBound;

typedef struct ScanBounds {
    int ncols;          /* the scan's columns */
    ScanColBound *cols; /* per column */
} ScanBounds;

/*
 * For a Filter directly over a Scan: the bounds its conjuncts put on the scan's columns
 * (allocated in a), or NULL when no conjunct bounds a column.
 */
const ScanBounds *planner_scan_bounds(Arena *a, const PlanNode *filter);

/* The primary key columns of a stored relation (in key order): their count, 0: none. */
typedef int (*ScanKeyPkFn)(void *arg, uint64_t relid, int *cols, int max);

/*
 * The key of plan's output rows: its columns (in key order) into cols (at most max); returns
 * their count, 0 when the plan has no key (sql types keys cannot hold included).
 *   Agg whose keys are all output columns (GROUP BY, DISTINCT): those columns;
 *   Scan of a primary-key table or keyed view: its key (pk_cols says which);
 *   Filter, Sort, Limit: their input's; Project: its input's when every key column is
 *   passed through unchanged.
 */
int planner_stream_key(const PlanNode *plan, ScanKeyPkFn pk_cols, void *arg, int *cols, int max);

#endif
