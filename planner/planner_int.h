/*
 * planner/planner_int.h — planner-private rewrites (planner/pushdown.c).
 *
 * Invariants:
 *   1. Rewrites never modify the logical plan; new nodes live in the
 *      planner's arena.
 */
#ifndef RIVULET_PLANNER_PLANNER_INT_H
#define RIVULET_PLANNER_PLANNER_INT_H

#include "planner/planner.h"

/*
 * For a Filter directly over a Project: an equivalent Project over a Filter
 * of the Project's input (the predicate rewritten over it); otherwise
 * filter itself.
 */
const PlanNode *planner_push_filter(Arena *a, const PlanNode *filter);
/*
 * A Filter over an inner (or cross) Join: each conjunct of the WHERE moves into the join's
 * condition (one that reads both sides: equalities there become hash keys) or below it,
 * onto the side it reads. Returns the new Join, or filter itself when nothing moves.
 */
const PlanNode *planner_push_filter_join(Arena *a, const PlanNode *filter);

#endif
