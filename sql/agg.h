/*
 * sql/agg.h — aggregate functions as state machines, written once and used
 * both by the one-shot query runner and (later) by incrementally maintained
 * views.
 *
 * An aggregate is an AggImpl: a fixed-size state and four transitions
 *
 *        init ──▶ [state] ──result──▶ value
 *                  │  ▲
 *          add(x)  │  │ retract(x)     (retract: NULL when not retractable)
 *                  ▼  │
 *                 [state]
 *
 * add() is called once per input row whose leading `nstrict` arguments are
 * not NULL (count(x) skips NULLs, string_agg skips a NULL value but not a
 * NULL delimiter); retract() undoes one add() of the same arguments exactly.
 *
 * Retraction, decided per aggregate:
 *   - count, sum and avg over integers, bool_and/bool_or/every: retractable
 *     exactly (counters; integer sums are kept in 128 bits).
 *   - min, max, string_agg, and every aggregate over float4/float8 (sum,
 *     avg, variance, stddev): NOT retractable. min/max cannot find the next
 *     value without the other values; string_agg depends on input order;
 *     floating-point sums would drift after subtracting (PostgreSQL keeps no
 *     inverse transition for them either, for the same reason). The
 *     operator (stream/op_agg.c) keeps the multiset of argument values of
 *     every group for these, and rebuilds the state from it when a value is
 *     retracted.
 *   - DISTINCT inside an aggregate: the operator keeps the multiset of
 *     distinct arguments per group and calls add/retract only when a value's
 *     count goes 0 → 1 or 1 → 0.
 *   - ORDER BY inside an aggregate: the operator keeps the multiset of
 *     (arguments, ORDER BY values) per group and rebuilds the state at the
 *     barrier, adding the arguments in that order.
 *
 * Result types follow PostgreSQL: count → bigint; sum(int2/int4) → bigint,
 * sum(int8) → numeric, sum(float4) → real, sum(float8) → double precision,
 * sum(numeric) → numeric; avg(int*) and variance/stddev(int*) → numeric,
 * avg/variance/stddev(float*) → double precision; min/max → input type.
 *
 * Invariants:
 *   1. A state is a plain struct of state_size bytes, initialised by init();
 *      by-reference values it keeps are copied into the AggCtx's arena.
 *   2. result() does not change the state and may be called at any time.
 *   3. retract() is only called with arguments previously given to add().
 */
#ifndef RIVULET_SQL_AGG_H
#define RIVULET_SQL_AGG_H

#include <stdbool.h>
#include <stddef.h>

#include "sql/expr.h"

struct FuncDef;

/* What a transition sees besides its state and arguments. */
typedef struct AggCtx {
    EvalCtx *eval;    /* arena for by-reference values, session */
    Oid argtype;      /* the first argument's type */
    BuiltinFn arg_lt; /* min/max: the argument type's "<" */
} AggCtx;

typedef struct AggImpl {
    const char *name;
    size_t state_size;
    int nstrict; /* leading arguments that must be non-NULL for add()/retract() */
    void (*init)(void *state);
    int (*add)(void *state, const Value *args, AggCtx *ctx, Err *err);
    int (*retract)(void *state, const Value *args, AggCtx *ctx, Err *err); /* NULL: no */
    int (*result)(const void *state, AggCtx *ctx, Datum *out, bool *isnull, Err *err);
} AggImpl;

#define AGG_MAX_ARGS 2

/* One aggregate call of a query, bound. */
typedef struct AggCall {
    const AggImpl *impl;
    const struct FuncDef *def;
    int nargs; /* 0 for count(*) */
    Expr *args[AGG_MAX_ARGS];
    Expr *filter; /* FILTER (WHERE ...), NULL: none */
    bool distinct;
    Oid argtype; /* args[0]'s type (TYPE_INVALID for count(*)) */
    Oid rettype;
    BuiltinFn arg_eq; /* DISTINCT, min/max: the argument type's "=" and "<" */
    BuiltinFn arg_lt;
    /*
     * ORDER BY inside the call (string_agg(x, ',' ORDER BY y)): norder
     * expressions; order_keys[i].column is nargs + i, i.e. the keys sort rows
     * of (args..., order values...). The operator keeps those rows per group
     * and feeds them to add() in this order.
     */
    int norder;
    Expr **order;
    struct SortKey *order_keys;
    int location;
} AggCall;

/*
 * The implementation behind a catalog entry of the aggregate part
 * (sql/cat_agg.c), or NULL when f is not an aggregate.
 */
const AggImpl *agg_impl(const struct FuncDef *f);

/* True when some aggregate (any overload) is named name. */
bool agg_name_exists(const char *name);

#endif
