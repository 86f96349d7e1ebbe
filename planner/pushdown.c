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
 * A Filter directly over an inner or cross Join (FROM a, b WHERE a.k = b.k)
 * is split into its conjuncts: those reading one side only become a Filter
 * on that side (pushed further down by the same rules), those reading both
 * join the Join's condition, where planner/join_keys.c finds the equalities
 * to hash on. Without it a comma join is a cross product filtered after the
 * fact: quadratic, in memory and in a view's state.
 *
 *   Filter(p1 AND p2 AND p3) ─▶ Join(q) ─▶ L, R
 *     becomes  Join(q AND p3) ─▶ Filter(p1) ─▶ L, Filter(p2') ─▶ R
 *   (p1 reads L's columns only, p2 R's (renumbered), p3 both)
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

/* ---- WHERE into inner joins -------------------------------------------------------------- */

/*
 * Widens [*lo, *hi] by the columns e reads; false when e holds a node this pass does not
 * understand (it then stays where it is).
 */
static bool
cols_used(const Expr *e, int *lo, int *hi)
{
    const Expr *const *args = NULL;
    int n = 0;

    if (e == NULL)
        return true;
    switch (e->kind) {
    case EXPR_CONST:
    case EXPR_PARAM:
    case EXPR_CASE_TEST:
        return true;
    case EXPR_COLUMN:
        if (e->u.column < *lo)
            *lo = e->u.column;
        if (e->u.column > *hi)
            *hi = e->u.column;
        return true;
    case EXPR_FUNC:
        args = (const Expr *const *)e->u.func.args, n = e->u.func.nargs;
        break;
    case EXPR_COERCE_IO:
    case EXPR_NOT:
        return cols_used(e->u.arg, lo, hi);
    case EXPR_AND:
    case EXPR_OR:
    case EXPR_COALESCE:
        args = (const Expr *const *)e->u.list.args, n = e->u.list.nargs;
        break;
    case EXPR_NULLTEST:
        return cols_used(e->u.nulltest.arg, lo, hi);
    case EXPR_BOOLTEST:
        return cols_used(e->u.booltest.arg, lo, hi);
    case EXPR_DISTINCT:
    case EXPR_NULLIF:
        return cols_used(e->u.distinct.eq, lo, hi);
    case EXPR_CASE:
        for (int i = 0; i < e->u.kase.nwhen; i++) {
            if (!cols_used(e->u.kase.when[i], lo, hi) || !cols_used(e->u.kase.then[i], lo, hi))
                return false;
        }
        return cols_used(e->u.kase.arg, lo, hi) && cols_used(e->u.kase.otherwise, lo, hi);
    default:
        return false;
    }
    for (int i = 0; i < n; i++) {
        if (!cols_used(args[i], lo, hi))
            return false;
    }
    return true;
}

typedef struct Conj {
    Expr **v;
    int n;
} Conj;

static void
conj_add(Arena *a, Conj *c, Expr *e, int cap)
{
    if (c->v == NULL)
        c->v = arena_alloc(a, sizeof(Expr *) * (size_t)cap);
    c->v[c->n++] = e;
}

/* The conjunction of c (one expression when it has one). */
static Expr *
conj_expr(Arena *a, const Conj *c)
{
    Expr *e;

    if (c->n == 1)
        return c->v[0];
    e = expr_new(a, EXPR_AND, TYPE_BOOL, -1);
    e->u.list.args = c->v;
    e->u.list.nargs = c->n;
    return e;
}

static PlanNode *
filter_over(Arena *a, const PlanNode *input, Expr *pred)
{
    PlanNode *f = plan_new(a, PLAN_FILTER, (PlanNode *)input, input->ncols);

    memcpy(f->types, input->types, sizeof(Oid) * (size_t)input->ncols);
    memcpy(f->typmods, input->typmods, sizeof(int32_t) * (size_t)input->ncols);
    f->u.pred = pred;
    return f;
}

const PlanNode *
planner_push_filter_join(Arena *a, const PlanNode *filter)
{
    const PlanNode *join = filter->input;
    Expr *const *conj;
    Expr *single[1];
    Expr **shift;
    Conj left = {0}, right = {0}, both = {0};
    int nconj, lcols, cap;
    PlanNode *j;

    if (filter->kind != PLAN_FILTER || join == NULL || join->kind != PLAN_JOIN ||
        join->jointype != PLAN_JOIN_INNER || filter->u.pred == NULL ||
        expr_vec_has_volatile(filter->u.pred) ||
        (join->u.pred != NULL && expr_vec_has_volatile(join->u.pred)) ||
        join->ncols != join->input->ncols + join->right->ncols)
        return filter;
    if (filter->u.pred->kind == EXPR_AND) {
        conj = filter->u.pred->u.list.args;
        nconj = filter->u.pred->u.list.nargs;
    } else {
        single[0] = filter->u.pred;
        conj = single;
        nconj = 1;
    }
    lcols = join->input->ncols;
    cap = nconj + 1 + (join->u.pred != NULL && join->u.pred->kind == EXPR_AND
                           ? join->u.pred->u.list.nargs
                           : 1);
    /* right-side conjuncts are renumbered: column lcols + k becomes k */
    shift = arena_alloc(a, sizeof(Expr *) * (size_t)(join->ncols ? join->ncols : 1));
    for (int c = 0; c < join->ncols; c++) {
        shift[c] = expr_new(a, EXPR_COLUMN, join->types[c], -1);
        shift[c]->u.column = c >= lcols ? c - lcols : c;
    }
    for (int i = 0; i < nconj; i++) {
        int lo = INT32_MAX, hi = -1;

        if (!cols_used(conj[i], &lo, &hi) || hi < 0 || (lo < lcols && hi >= lcols))
            conj_add(a, &both, conj[i], cap);
        else if (hi < lcols)
            conj_add(a, &left, conj[i], cap);
        else
            conj_add(a, &right, subst(a, conj[i], shift, join->ncols), cap);
    }
    j = arena_alloc(a, sizeof *j);
    *j = *join;
    if (both.n > 0) {
        if (join->u.pred != NULL) {
            if (join->u.pred->kind == EXPR_AND) {
                for (int i = 0; i < join->u.pred->u.list.nargs; i++)
                    conj_add(a, &both, join->u.pred->u.list.args[i], cap);
            } else
                conj_add(a, &both, join->u.pred, cap);
        }
        j->u.pred = conj_expr(a, &both);
    }
    if (left.n > 0)
        j->input = filter_over(a, join->input, conj_expr(a, &left));
    if (right.n > 0)
        j->right = filter_over(a, join->right, conj_expr(a, &right));
    return j;
}
