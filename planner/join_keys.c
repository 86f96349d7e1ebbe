/*
 * planner/join_keys.c — finds the equi-join keys in a Join's ON condition:
 * the AND-conjuncts of the form `l = r` where l reads only left columns,
 * r only right columns (or the other way round), neither calls a volatile
 * function, and "=" is the catalog's equality of the two types (same type,
 * or two integer types, which hash alike). stream/op_join.c keeps each
 * side in buckets by the hash of its key values and probes only the
 * matching bucket of the other side; the whole ON condition is still
 * evaluated for every candidate pair, so the conjuncts that are not keys
 * (the residual) and hash collisions are handled there.
 *
 * Invariants:
 *   1. A conjunct is a key only if "l = r" true implies equal hashes: the
 *      operator is the type's "=" (strict, so NULL never matches) and the
 *      hash type is one both values hash alike under (plan_hash_value).
 *   2. Keys are looked for only at the top of the condition (a tree of
 *      ANDs); anything under OR/NOT/CASE is residual.
 */
#include "planner/join_keys.h"
#include "sql/catalog.h"
#include "sql/expr_vec.h"

/* The lowest and highest column e reads (lo > hi: none). */
static void
column_range(const Expr *e, int *lo, int *hi)
{
    if (e == NULL)
        return;
    switch (e->kind) {
    case EXPR_COLUMN:
        if (e->u.column < *lo)
            *lo = e->u.column;
        if (e->u.column > *hi)
            *hi = e->u.column;
        return;
    case EXPR_CONST:
    case EXPR_PARAM:
    case EXPR_CASE_TEST:
        return;
    case EXPR_FUNC:
        for (int i = 0; i < e->u.func.nargs; i++)
            column_range(e->u.func.args[i], lo, hi);
        return;
    case EXPR_COERCE_IO:
    case EXPR_NOT:
        column_range(e->u.arg, lo, hi);
        return;
    case EXPR_AND:
    case EXPR_OR:
    case EXPR_COALESCE:
        for (int i = 0; i < e->u.list.nargs; i++)
            column_range(e->u.list.args[i], lo, hi);
        return;
    case EXPR_NULLTEST:
        column_range(e->u.nulltest.arg, lo, hi);
        return;
    case EXPR_BOOLTEST:
        column_range(e->u.booltest.arg, lo, hi);
        return;
    case EXPR_DISTINCT:
    case EXPR_NULLIF:
        column_range(e->u.distinct.eq, lo, hi);
        return;
    case EXPR_CASE:
        column_range(e->u.kase.arg, lo, hi);
        for (int i = 0; i < e->u.kase.nwhen; i++) {
            column_range(e->u.kase.when[i], lo, hi);
            column_range(e->u.kase.then[i], lo, hi);
        }
        column_range(e->u.kase.otherwise, lo, hi);
        return;
    }
    /* an unknown kind: claim every column so it is never a key */
    *lo = -1;
    *hi = 1 << 30;
}

/* -1: no columns, 0: only left columns, 1: only right columns, 2: both. */
static int
side_of(const Expr *e, int nleft)
{
    int lo = 1 << 30, hi = -1;

    column_range(e, &lo, &hi);
    if (lo > hi)
        return -1;
    if (lo < 0)
        return 2;
    if (hi < nleft)
        return 0;
    return lo >= nleft ? 1 : 2;
}

static bool
is_int(Oid t)
{
    return t == TYPE_INT2 || t == TYPE_INT4 || t == TYPE_INT8;
}

/* The type both operands hash as when `fn` is their "=", or TYPE_INVALID. */
static Oid
hash_type(BuiltinFn fn, Oid lt, Oid rt)
{
    const OperDef *o;
    int pos = 0;

    /* varchar compares as text (binary-coercible, hashed alike) */
    lt = lt == TYPE_VARCHAR ? TYPE_TEXT : lt;
    rt = rt == TYPE_VARCHAR ? TYPE_TEXT : rt;
    while ((o = catalog_next_oper("=", &pos)) != NULL) {
        if (o->fn == fn && o->left == lt && o->right == rt && o->result == TYPE_BOOL)
            break;
    }
    if (o == NULL)
        return TYPE_INVALID;
    if (lt == rt)
        return lt;
    if (is_int(lt) && is_int(rt))
        return TYPE_INT8; /* sign-extended Datums: equal values, equal bits */
    return TYPE_INVALID;
}

static void
add_key(Arena *a, JoinKeys *k, Expr *l, Expr *r, Oid type)
{
    Expr **left = arena_alloc(a, sizeof(Expr *) * (size_t)(k->nkeys + 1));
    Expr **right = arena_alloc(a, sizeof(Expr *) * (size_t)(k->nkeys + 1));
    Oid *types = arena_alloc(a, sizeof(Oid) * (size_t)(k->nkeys + 1));

    for (int i = 0; i < k->nkeys; i++) {
        left[i] = k->left[i];
        right[i] = k->right[i];
        types[i] = k->types[i];
    }
    left[k->nkeys] = l;
    right[k->nkeys] = r;
    types[k->nkeys] = type;
    k->left = left;
    k->right = right;
    k->types = types;
    k->nkeys++;
}

static void
conjunct(Arena *a, const Expr *e, int nleft, JoinKeys *k)
{
    Expr *x, *y;
    int sx, sy;
    Oid type;

    if (e->kind == EXPR_AND) {
        for (int i = 0; i < e->u.list.nargs; i++)
            conjunct(a, e->u.list.args[i], nleft, k);
        return;
    }
    if (e->kind != EXPR_FUNC || e->u.func.nargs != 2 || !e->u.func.strict ||
        e->type != TYPE_BOOL)
        return;
    x = e->u.func.args[0];
    y = e->u.func.args[1];
    sx = side_of(x, nleft);
    sy = side_of(y, nleft);
    if (!((sx == 0 && sy == 1) || (sx == 1 && sy == 0)) || expr_vec_has_volatile(x) ||
        expr_vec_has_volatile(y))
        return;
    if ((type = hash_type(e->u.func.fn, x->type, y->type)) == TYPE_INVALID)
        return;
    if (sx == 0)
        add_key(a, k, x, y, type);
    else
        add_key(a, k, y, x, type);
}

void
planner_join_keys(Arena *a, const PlanNode *join, JoinKeys *out)
{
    out->nkeys = 0;
    out->left = out->right = NULL;
    out->types = NULL;
    if (join->u.pred != NULL)
        conjunct(a, join->u.pred, join->input->ncols, out);
}
