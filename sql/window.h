/*
 * sql/window.h — window functions in the logical plan: what a Window node
 * (PLAN_WINDOW, sql/plan.h) computes. Bound by sql/bind_window.c, run by
 * stream/op_window.c.
 *
 * A Window node has one window (PARTITION BY, ORDER BY, frame) and the
 * calls over it; its output row is its input row, then one column per
 * call. A query with several different windows chains several nodes (each
 * passes its input columns through, so expressions of later nodes read the
 * same columns).
 *
 *   partition (rows with equal PARTITION BY values, NULLs equal)
 *     └─ sorted by ORDER BY, ties broken by the whole input row ascending
 *        (so row_number is a function of the input multiset)
 *          └─ peers: rows equal under ORDER BY (all rows without ORDER BY)
 *
 * Frames (the rows an aggregate, first_value, last_value and nth_value see)
 * use PostgreSQL's FRAMEOPTION_* bits. Supported: RANGE with UNBOUNDED
 * PRECEDING / CURRENT ROW / UNBOUNDED FOLLOWING bounds (CURRENT ROW means
 * the peer group's edge), ROWS and GROUPS with every bound, RANGE with
 * offsets over integer, float, numeric and date/time ORDER BY values, and
 * EXCLUDE CURRENT ROW / GROUP / TIES.
 *
 * Invariants:
 *   1. Call arguments, PARTITION BY and ORDER BY expressions read the Window
 *      node's input row; none of them contains a window function.
 *   2. order_keys[i].column is i: the keys sort the vector of evaluated
 *      ORDER BY values.
 *   3. Frame offsets have no column references and are evaluated once per
 *      barrier (ROWS, GROUPS: bigint; RANGE: the ORDER BY type's offset type).
 */
#ifndef RIVULET_SQL_WINDOW_H
#define RIVULET_SQL_WINDOW_H

#include "sql/agg.h"

/* PostgreSQL's frame option bits (parsenodes.h), as libpg_query delivers them. */
#define WIN_FRAME_NONDEFAULT 0x00001
#define WIN_FRAME_RANGE 0x00002
#define WIN_FRAME_ROWS 0x00004
#define WIN_FRAME_GROUPS 0x00008
#define WIN_FRAME_BETWEEN 0x00010
#define WIN_FRAME_START_UNBOUNDED_PRECEDING 0x00020
#define WIN_FRAME_END_UNBOUNDED_PRECEDING 0x00040
#define WIN_FRAME_START_UNBOUNDED_FOLLOWING 0x00080
#define WIN_FRAME_END_UNBOUNDED_FOLLOWING 0x00100
#define WIN_FRAME_START_CURRENT_ROW 0x00200
#define WIN_FRAME_END_CURRENT_ROW 0x00400
#define WIN_FRAME_START_OFFSET_PRECEDING 0x00800
#define WIN_FRAME_END_OFFSET_PRECEDING 0x01000
#define WIN_FRAME_START_OFFSET_FOLLOWING 0x02000
#define WIN_FRAME_END_OFFSET_FOLLOWING 0x04000
#define WIN_FRAME_EXCLUDE_CURRENT_ROW 0x08000
#define WIN_FRAME_EXCLUDE_GROUP 0x10000
#define WIN_FRAME_EXCLUDE_TIES 0x20000
#define WIN_FRAME_EXCLUSION 0x38000
#define WIN_FRAME_DEFAULT                                                                          \
    (WIN_FRAME_RANGE | WIN_FRAME_START_UNBOUNDED_PRECEDING | WIN_FRAME_END_CURRENT_ROW)

typedef enum WinKind {
    WIN_ROW_NUMBER,
    WIN_RANK,
    WIN_DENSE_RANK,
    WIN_PERCENT_RANK,
    WIN_CUME_DIST,
    WIN_NTILE,
    WIN_LAG,
    WIN_LEAD,
    WIN_FIRST_VALUE,
    WIN_LAST_VALUE,
    WIN_NTH_VALUE,
    WIN_AGG, /* an aggregate of sql/agg.h over the frame */
} WinKind;

/* One window function call. */
typedef struct WindowCall {
    WinKind kind;
    int nargs;     /* not WIN_AGG: the arguments (lag/lead: value, offset, default) */
    Expr *args[3]; /* not WIN_AGG */
    AggCall agg;   /* WIN_AGG: arguments and FILTER in there */
    Oid rettype;
    int location;
} WindowCall;

typedef struct WindowPlan {
    int npart;
    Expr **part;
    struct TypeOrder *part_orders;
    int norder;
    Expr **order;
    struct SortKey *order_keys; /* invariant 2 */
    int frame;                  /* WIN_FRAME_* bits */
    Expr *start_offset, *end_offset;
    /*
     * RANGE with offsets: over the row (v_j, v_i) of two ORDER BY values,
     * whether row j may start / end row i's frame (v_j >= v_i - offset ...),
     * and whether an offset is negative (NULL: not checked).
     */
    Expr *start_ok, *end_ok;
    Expr *start_neg, *end_neg;
    int ncalls;
    WindowCall *calls;
} WindowPlan;

#endif
