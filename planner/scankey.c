/*
 * planner/scankey.c — key bounds from a WHERE, and a view's key from its plan
 * (see planner/scankey.h).
 *
 * A conjunct bounds column c when it is `c op v` or `v op c` with op one of
 * = < <= > >= of c's type (for integer columns: of any pair of integer types,
 * as the binder resolves `int8col = 42`) and v reads no column. BETWEEN
 * arrives as two such conjuncts. Several bounds on one side keep the first
 * (the Filter above applies all of them anyway).
 *
 * Invariants:
 *   1. The logical plan is not modified; bounds live in the planner's arena.
 *   2. Nothing here evaluates an expression: the scan operator evaluates the
 *      bounds when it runs (parameters included).
 */
#include <string.h>

#include "planner/scankey.h"
#include "sql/expr_vec.h"
#include "sql/catalog.h"
#include "sql/keycodec.h"

static bool
is_int(Oid t)
{
    return t == TYPE_INT2 || t == TYPE_INT4 || t == TYPE_INT8;
}

/* The comparison operator of fn over (left, right): 0 none, else one of "=<>" with incl. */
static char
oper_kind(BuiltinFn fn, Oid left, Oid right, bool *incl)
{
    static const char *const names[] = {"=", "<", "<=", ">", ">="};
    static const char kinds[] = {'=', '<', '<', '>', '>'};
    static const bool incls[] = {true, false, true, false, true};

    for (int n = 0; n < 5; n++) {
        const OperDef *o;
        int pos = 0;

        while ((o = catalog_next_oper(names[n], &pos)) != NULL) {
            if (o->fn == fn && o->left == left && o->right == right && o->result == TYPE_BOOL) {
                *incl = incls[n];
                return kinds[n];
            }
        }
    }
    return 0;
}

static void
bound_conjunct(const Expr *e, const PlanNode *scan, ScanColBound *cols, bool *any)
{
    const Expr *c, *v;
    char k;
    bool incl = false;
    int side;

    if (e->kind != EXPR_FUNC || e->u.func.nargs != 2)
        return;
    for (side = 0; side < 2; side++) {
        c = e->u.func.args[side];
        v = e->u.func.args[1 - side];
        if (c->kind == EXPR_COLUMN && c->u.column >= 0 && c->u.column < scan->ncols &&
            c->type == scan->types[c->u.column] && keycodec_type_supported(c->type) &&
            (v->type == c->type || (is_int(c->type) && is_int(v->type))) && expr_is_row_constant(v))
            break;
    }
    if (side == 2)
        return;
    if ((k = oper_kind(e->u.func.fn, e->u.func.args[0]->type, e->u.func.args[1]->type, &incl)) == 0)
        return;
    if (side == 1 && k != '=') /* v < c is c > v */
        k = k == '<' ? '>' : '<';
    {
        ScanColBound *b = &cols[c->u.column];

        if (k == '=' && b->eq == NULL)
            b->eq = v;
        else if (k == '>' && b->lo == NULL) {
            b->lo = v;
            b->lo_incl = incl;
        } else if (k == '<' && b->hi == NULL) {
            b->hi = v;
            b->hi_incl = incl;
        } else
            return;
        *any = true;
    }
}

const ScanBounds *
planner_scan_bounds(Arena *a, const PlanNode *filter)
{
    const PlanNode *scan;
    const Expr *pred;
    ScanBounds *sb;
    bool any = false;

    if (filter == NULL || filter->kind != PLAN_FILTER || filter->input == NULL ||
        filter->input->kind != PLAN_SCAN || (pred = filter->u.pred) == NULL)
        return NULL;
    scan = filter->input;
    sb = arena_calloc(a, 1, sizeof *sb);
    sb->ncols = scan->ncols;
    sb->cols = arena_calloc(a, (size_t)(scan->ncols ? scan->ncols : 1), sizeof(ScanColBound));
    if (pred->kind == EXPR_AND) {
        for (int i = 0; i < pred->u.list.nargs; i++)
            bound_conjunct(pred->u.list.args[i], scan, sb->cols, &any);
    } else
        bound_conjunct(pred, scan, sb->cols, &any);
    return any ? sb : NULL;
}

int
planner_stream_key(const PlanNode *p, ScanKeyPkFn pk_cols, void *arg, int *cols, int max)
{
    int in[64], n;

    if (p == NULL || max <= 0)
        return 0;
    switch (p->kind) {
    case PLAN_FILTER:
    case PLAN_TEMPORAL_FILTER:
    case PLAN_SORT:
    case PLAN_LIMIT:
        return planner_stream_key(p->input, pk_cols, arg, cols, max);
    case PLAN_PROJECT:
        if ((n = planner_stream_key(p->input, pk_cols, arg, in, 64)) <= 0 || n > max)
            return 0;
        for (int i = 0; i < n; i++) {
            int found = -1;

            for (int j = 0; j < p->ncols && found < 0; j++) {
                const Expr *e = p->u.exprs[j];

                if (e->kind == EXPR_COLUMN && e->u.column == in[i] &&
                    e->type == p->input->types[in[i]])
                    found = j;
            }
            if (found < 0)
                return 0;
            cols[i] = found;
        }
        return n;
    case PLAN_AGG:
        n = p->u.agg.nkeys;
        if (n <= 0 || n > max)
            return 0;
        for (int i = 0; i < n; i++) {
            if (!keycodec_type_supported(p->types[i]))
                return 0;
            cols[i] = i;
        }
        return n;
    case PLAN_SCAN:
        if (pk_cols == NULL || (n = pk_cols(arg, p->u.scan.relid, in, 64)) <= 0 || n > max)
            return 0;
        for (int i = 0; i < n; i++) {
            if (in[i] < 0 || in[i] >= p->ncols || !keycodec_type_supported(p->types[in[i]]))
                return 0;
            cols[i] = in[i];
        }
        return n;
    default:
        return 0;
    }
}
