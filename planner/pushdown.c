/*
 * planner/pushdown.c — moves a Filter below the Project under it (a WHERE
 * over a subquery's select list), as PostgreSQL does when it pulls a simple
 * subquery up into its parent: the predicate is rewritten over the
 * Project's input (each column reference replaced by the expression that
 * computed the column), and the select list is then computed only for the
 * rows that pass.
 *
 *   Filter(p) ─▶ Project(e1..en) ─▶ X    becomes    Project(e1..en) ─▶ Filter(p[ci := ei]) ─▶ X
 *
 * This is what makes
 *   SELECT * FROM (SELECT 1/g AS x, g FROM generate_series(0, 3) g) s WHERE g > 0
 * return three rows instead of failing on 1/0 (PostgreSQL never computes x
 * for g = 0), and what keeps an expensive select list (casts through text,
 * numeric) off the rows the WHERE drops.
 *
 * Invariants:
 *   1. The logical plan is not modified (sql/plan.h invariant 1): the new
 *      nodes and the rewritten predicate live in the planner's arena; the
 *      rewritten tree shares the unchanged subtrees.
 *   2. Not done when the predicate or any select-list expression calls a
 *      volatile function (a volatile value would be computed a different
 *      number of times).
 */
#include <string.h>

#include "planner/planner_int.h"
#include "sql/expr_vec.h"

static Expr *subst(Arena *a, const Expr *e, Expr *const *cols, int ncols);

static Expr **
subst_list(Arena *a, Expr *const *args, int n, Expr *const *cols, int ncols)
{
    Expr **out = arena_alloc(a, sizeof(Expr *) * (size_t)(n > 0 ? n : 1));

    for (int i = 0; i < n; i++)
        out[i] = subst(a, args[i], cols, ncols);
    return out;
}

/* A copy of e with every column reference c replaced by cols[c] (shared, not copied). */
static Expr *
subst(Arena *a, const Expr *e, Expr *const *cols, int ncols)
{
    Expr *n;

    if (e == NULL)
        return NULL;
    if (e->kind == EXPR_COLUMN && e->u.column < ncols)
        return cols[e->u.column];
    n = arena_alloc(a, sizeof *n);
    *n = *e;
    switch (e->kind) {
    case EXPR_FUNC:
        n->u.func.args = subst_list(a, e->u.func.args, e->u.func.nargs, cols, ncols);
        break;
    case EXPR_COERCE_IO:
    case EXPR_NOT:
        n->u.arg = subst(a, e->u.arg, cols, ncols);
        break;
    case EXPR_AND:
    case EXPR_OR:
    case EXPR_COALESCE:
        n->u.list.args = subst_list(a, e->u.list.args, e->u.list.nargs, cols, ncols);
        break;
    case EXPR_NULLTEST:
        n->u.nulltest.arg = subst(a, e->u.nulltest.arg, cols, ncols);
        break;
    case EXPR_BOOLTEST:
        n->u.booltest.arg = subst(a, e->u.booltest.arg, cols, ncols);
        break;
    case EXPR_DISTINCT:
    case EXPR_NULLIF:
        n->u.distinct.eq = subst(a, e->u.distinct.eq, cols, ncols);
        break;
    case EXPR_CASE:
        n->u.kase.arg = subst(a, e->u.kase.arg, cols, ncols);
        n->u.kase.when = subst_list(a, e->u.kase.when, e->u.kase.nwhen, cols, ncols);
        n->u.kase.then = subst_list(a, e->u.kase.then, e->u.kase.nwhen, cols, ncols);
        n->u.kase.otherwise = subst(a, e->u.kase.otherwise, cols, ncols);
        break;
    default:
        break;
    }
    return n;
}

const PlanNode *
planner_push_filter(Arena *a, const PlanNode *filter)
{
    const PlanNode *proj = filter->input;
    PlanNode *f, *p;

    if (filter->kind != PLAN_FILTER || proj == NULL || proj->kind != PLAN_PROJECT ||
        proj->input == NULL || filter->u.pred == NULL || expr_vec_has_volatile(filter->u.pred))
        return filter;
    for (int i = 0; i < proj->ncols; i++) {
        if (expr_vec_has_volatile(proj->u.exprs[i]))
            return filter;
    }
    f = plan_new(a, PLAN_FILTER, proj->input, proj->input->ncols);
    memcpy(f->types, proj->input->types, sizeof(Oid) * (size_t)proj->input->ncols);
    memcpy(f->typmods, proj->input->typmods, sizeof(int32_t) * (size_t)proj->input->ncols);
    f->u.pred = subst(a, filter->u.pred, proj->u.exprs, proj->ncols);
    p = arena_alloc(a, sizeof *p);
    *p = *proj;
    p->input = f;
    return p;
}
