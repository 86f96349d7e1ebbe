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
 *   Join      cross product of left × right, kept where pred (may be NULL)
 *   Agg       groups by nkeys key expressions; output row = keys, then one
 *             column per aggregate call. No keys: exactly one output row.
 *   Sort      orders rows by column keys (ASC/DESC, NULLS FIRST/LAST)
 *   Limit     OFFSET then LIMIT; the expressions may use parameters
 *   Scan      the rows of a stored table or source (sql/relation.h), read
 *             from its log up to the durable end when the run starts
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
} PlanKind;

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

typedef struct PlanNode PlanNode;

struct PlanNode {
    PlanKind kind;
    int ncols;
    Oid *types;
    int32_t *typmods;
    PlanNode *input; /* every kind but Values and Series; Join's left */
    PlanNode *right; /* Join */
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
            uint64_t relid; /* sql/relation.h: the relation's stable id */
            const char *relname;
        } scan;
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
 * A hash of a value that agrees with the type's equality for the types whose
 * equal values have equal representations (integers, bool, text; float8 with
 * -0 and NaN folded); other types hash to one constant and rely on eq.
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
