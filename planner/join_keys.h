/*
 * planner/join_keys.h — the equi-join keys of a Join's ON condition
 * (planner/join_keys.c), which stream/op_join.c hashes its two sides by.
 *
 * Invariants:
 *   1. For every key k, left[k] reads only left columns and right[k] only
 *      right columns of the join row (both are evaluated against the join
 *      row, the other side's part of which may hold anything).
 *   2. When the ON condition is true for a pair, every key pair is non-NULL
 *      and equal, so plan_hash_value(types[k], ...) agrees on both sides.
 */
#ifndef RIVULET_PLANNER_JOIN_KEYS_H
#define RIVULET_PLANNER_JOIN_KEYS_H

#include "common/arena.h"
#include "sql/plan.h"

typedef struct JoinKeys {
    int nkeys; /* 0: no equi key (one bucket) */
    Expr **left;
    Expr **right;
    Oid *types; /* the type to hash both sides' values as */
} JoinKeys;

/* Extracts the keys of join (a PLAN_JOIN) into out (arrays allocated in a). */
void planner_join_keys(Arena *a, const PlanNode *join, JoinKeys *out);

#endif
