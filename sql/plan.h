/*
 * sql/plan.h — the typed logical plan of a query: what the binder
 * (sql/bind_query.c) produces from a SELECT with FROM, WHERE, GROUP BY,
 * HAVING, aggregates, DISTINCT, ORDER BY and LIMIT/OFFSET, and what the
 * planner (planner/) turns into a dataflow of stream operators.
 *
 * A plan is a tree of PlanNodes; every node produces rows of `ncols`
 * columns of the types in `types`. Expressions inside a node (Expr, see
 * sql/expr.h) read the columns of the node's input row by position
 * (EXPR_COLUMN); a Join's row is the left row's columns then the right's.
 *
 *   Values    constant rows (VALUES, and the one empty row of a SELECT
 *             without FROM)
 *   Series    generate_series(start, stop [, step])
 *   Filter    keeps rows whose predicate is true
 *   Project   computes ncols expressions per input row
 *   Join      cross product of left × right, kept where pred (may be NULL);
 *             outer joins add the unmatched rows NULL-padded (jointype)
 *   Agg       groups by nkeys key expressions; output row = keys, then one
 *             column per aggregate call. No keys: exactly one output row.
 *   Sort      orders rows by column keys (ASC/DESC, NULLS FIRST/LAST)
 *   Limit     OFFSET then LIMIT; the expressions may use parameters
 *   Scan      the rows of a stored table or source (sql/relation.h), read
 *             from its log up to the durable end when the run starts
 *   SetOp     UNION / INTERSECT / EXCEPT [ALL] of input and right (same
 *             column types: the binder coerces both sides)
 *   MarkJoin  every input (left) row plus one column computed from the
 *             right rows matching it (EXISTS, IN/ANY/ALL, scalar subquery)
 *   Window    every input row plus one column per window function call,
 *             computed over its partition (sql/window.h); DISTINCT ON too
 *
 * Sort and Limit are not multiset operators: at the top of a statement the
 * one-shot runner applies them to the final result; inside a subquery they
 * become a top-N operator.
 *
 * Invariants:
 *   1. A plan is immutable after binding and lives in the statement's arena.
 *   2. Every column type is a supported type; Sort and Agg keys have an
 *      ordering (lt/eq built-ins resolved at bind time).
 *   3. Only Values, Series and Limit contain parameter references that are
 *      evaluated before any row exists; every other Expr is per row.
 */
#ifndef RIVULET_SQL_PLAN_H
#define RIVULET_SQL_PLAN_H

#include <stdbool.h>
#include <stdint.h>

#include "sql/agg.h"
#include "sql/expr.h"
#include "sql/window.h"

typedef enum PlanKind {
    PLAN_VALUES,
    PLAN_SERIES,
    PLAN_FILTER,
    PLAN_PROJECT,
    PLAN_JOIN,
    PLAN_AGG,
    PLAN_SORT,
    PLAN_LIMIT,
    PLAN_SCAN,
    PLAN_SETOP, /* UNION / INTERSECT / EXCEPT [ALL] of input and right (sql/bind_setop.c) */
    PLAN_MARKJOIN, /* left rows + one mark column from matching right rows (sql/bind_sublink.c) */
    PLAN_WINDOW,   /* input row + one column per window function call (sql/window.h) */
    PLAN_HOP,      /* input row + window_start, window_end per HOP window (sql/bind_window_tvf.c) */
    PLAN_SESSION,  /* input row + window_start, window_end of its session (sql/bind_window_tvf.c) */
    PLAN_TEMPORAL_FILTER, /* rows where a comparison with now() holds, as time passes
                             (sql/bind_temporal.c, stream/op_temporal.c); views only */
} PlanKind;

/* What a MarkJoin's extra column says about a left row's matching right rows. */
typedef enum MarkKind {
    MARK_EXISTS, /* any match */
    MARK_ANY,    /* test true for some match; else NULL if NULL for some; else false */
    MARK_ALL,    /* test false for some match; else NULL if NULL for some; else true */
    MARK_SCALAR, /* the one match's value column; none: empty; more: 21000 */
    MARK_AGG,    /* value_expr over the aggregates (aggs) of the matches */
} MarkKind;

/* Set operations; `all` keeps duplicates (multiset semantics). */
typedef enum PlanSetOpKind {
    PLAN_SETOP_UNION,
    PLAN_SETOP_INTERSECT,
    PLAN_SETOP_EXCEPT,
} PlanSetOpKind;

/* A total order over one type, as its btree opclass: eq and lt built-ins. */
typedef struct TypeOrder {
    Oid type;
    BuiltinFn eq;
    BuiltinFn lt;
} TypeOrder;

typedef struct SortKey {
    int column;
    bool desc;
    bool nulls_first;
    TypeOrder order;
} SortKey;

/* Join kinds (a comma list and CROSS JOIN are inner joins without a condition). */
typedef enum PlanJoinType {
    PLAN_JOIN_INNER,
    PLAN_JOIN_LEFT,  /* unmatched left rows kept, right columns NULL */
    PLAN_JOIN_RIGHT, /* unmatched right rows kept, left columns NULL */
    PLAN_JOIN_FULL,  /* both */
} PlanJoinType;

typedef struct PlanNode PlanNode;

struct PlanNode {
    PlanKind kind;
    int ncols;
    Oid *types;
    int32_t *typmods;
    PlanNode *input; /* every kind but Values and Series; Join's left */
    PlanNode *right; /* Join, SetOp */
    PlanJoinType jointype; /* Join: u.pred is the ON condition */
    union {
        struct {
            int nrows;
            Expr ***rows; /* nrows × ncols */
        } values;
        struct {
            Expr *start, *stop, *step; /* step NULL: 1 */
        } series;
        Expr *pred;   /* Filter, Join (NULL: cross product) */
        Expr **exprs; /* Project: ncols */
        struct {
            int nkeys;
            Expr **keys;
            TypeOrder *key_orders;
            int naggs;
            AggCall *aggs;
        } agg;
        struct {
            int nkeys;
            SortKey *keys;
        } sort;
        struct {
            Expr *limit, *offset; /* NULL: none */
        } limit;
        struct {
            PlanSetOpKind op;
            bool all;
            TypeOrder *orders; /* per column (NULL for UNION ALL): rows compare NULL = NULL */
        } setop;
        struct {
            uint64_t relid; /* sql/relation.h: the relation's stable id */
            const char *relname;
            bool in_view; /* read through a plain view (its dependency, not the query's) */
        } scan;
        struct {
            MarkKind kind;
            int nkeys;             /* equality keys: lkeys[i] (left row) = right column rkeys[i] */
            Expr **lkeys;
            int *rkeys;
            TypeOrder *key_orders; /* NULL keys never match */
            bool is_in_key;        /* ANY: the last key is x = y itself, the test (hashed IN) */
            Expr *cond;            /* over left ++ right: a right row matches where true; NULL */
            Expr *test;            /* ANY/ALL: the comparison over left ++ right */
            int value;             /* SCALAR: the right column */
            Expr *value_expr;      /* SCALAR: else the value over left ++ right (outer refs);
                                      AGG: the value over the aggregates' results */
            int naggs;             /* AGG: aggregate calls over left ++ right */
            AggCall *aggs;
            bool take_first;       /* SCALAR (LIMIT 1): the first match in this order, no 21000 */
            int norder;
            SortKey *order;        /* over the right row */
            Expr *empty;           /* SCALAR: the value without a match (a constant); NULL: NULL */
        } mark;
        WindowPlan *window; /* Window */
        struct {
            int column;                  /* the time column (timestamp / timestamptz) */
            int64_t slide, size, offset; /* µs; size is a multiple of slide */
        } hop; /* Hop: one row per window containing the time (sql/window_time.h) */
        struct {
            int column;            /* the time column (timestamp / timestamptz) */
            int64_t gap;           /* µs: consecutive times closer than this share a session */
            int nkeys;             /* sessions are per value of these columns */
            int *keys;
            TypeOrder *key_orders;
            TypeOrder *row_orders; /* per input column: equal rows (retractions) */
        } session; /* Session (stream/op_session.c) */
        struct {
            Expr *cond; /* the comparison; parameter 0 is the time (timestamptz) */
        } temporal; /* TemporalFilter (sql/bind_temporal.h) */
    } u;
};

/* Node constructors (nodes live in a). */
PlanNode *plan_new(Arena *a, PlanKind kind, PlanNode *input, int ncols);

/*
 * Looks up the ordering of a type (its "=" and "<" operators in the
 * catalog). False when the type has none.
 */
bool plan_type_order(Oid type, TypeOrder *out);

/* Compares two non-NULL values of o's type: <0, 0, >0. */
int plan_compare(const TypeOrder *o, EvalCtx *ctx, Datum a, Datum b, int *out, Err *err);

/*
 * Compares two rows by sort keys (NULLs ordered as the keys say); *out <0, 0,
 * >0.
 */
int plan_compare_rows(const SortKey *keys, int nkeys, EvalCtx *ctx, const Value *a, const Value *b,
                      int *out, Err *err);

/*
 * A hash of a value that agrees with the type's equality: by representation
 * for integers, bool, dates and times, text, bytea; by meaning for float4/8
 * (-0 and NaN folded), numeric (1.0 = 1.00), interval, bpchar (trailing
 * blanks ignored); other types hash to one constant and rely on eq.
 */
uint64_t plan_hash_value(Oid type, const Value *v);

/*
 * The executor hook: runs a plan once and returns the result rows
 * (nrows × plan->ncols Values, by-reference values copied into out_arena).
 * ctx carries the session, parameters, interrupt flag and deadline; the
 * runner uses its own arena for intermediate values. sql/ cannot call
 * stream/ (the layering points down), so the server installs the stream
 * runtime's one-shot runner at start-up with sql_set_executor(); tests
 * install it themselves.
 */
typedef int (*SqlExecutorFn)(const PlanNode *plan, EvalCtx *ctx, Arena *out_arena, Value **rows,
                             int64_t *nrows, Err *err);

void sql_set_executor(SqlExecutorFn fn);
SqlExecutorFn sql_executor(void);

#endif
