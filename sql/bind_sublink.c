/*
 * sql/bind_sublink.c — subqueries inside expressions → MarkJoin plan nodes
 * (PostgreSQL's transformSubLink and, for the plan, what its optimizer's
 * pull_up_sublinks / convert_EXISTS_sublink_to_join do with semi and anti
 * joins, generalised to a "mark" so that a SubLink may sit anywhere in an
 * expression: under OR, NOT, CASE, in the select list).
 *
 *   EXISTS (q)              mark = q has a matching row
 *   x op ANY (q), x IN (q)  mark = 3-valued OR of (x op y) over the matches
 *   x op ALL (q)            mark = 3-valued AND of (x op y) over the matches
 *   (q)                     mark = the one matching value, NULL for none
 *
 * NOT IN is the parser's NOT over IN, so its NULL rules come out of the
 * 3-valued ANY: a NULL y or x makes the result NULL unless a match is true.
 * A row (x1, x2) IN (q) tests the AND of the columns' "=" (<> ALL: the OR
 * of "<>"), SQL's row comparison. x IN (q) over one type's btree "=" is
 * hashed: x = y becomes the MarkJoin's last equality key (is_in_key).
 *
 * Correlation: columns of the enclosing query inside q (outer references)
 * are allowed in q's WHERE conjuncts and select list. A conjunct
 * `inner = outer` whose "=" is the btree equality of one type becomes an
 * equality key of the MarkJoin (q is extended by the inner expression as
 * an extra output column, and matching is by bucket); any other correlated
 * conjunct becomes the MarkJoin's condition over (outer row ++ q's row), and
 * a select-list column reading the outer row is computed over that pair
 * too. An aggregate q without GROUP BY correlated by equality keys only is
 * grouped by them instead (decorrelation), the value of its select-list
 * expression over no rows (count → 0, others NULL) being the mark of a left
 * row without a group; correlated otherwise, the MarkJoin itself feeds each
 * left row's matches to the aggregate calls (MARK_AGG).
 *
 * Placement: the MarkJoins of WHERE go below the WHERE filter, after a
 * Filter of the WHERE conjuncts without subqueries (PostgreSQL tests its
 * subqueries last, so a row those reject never raises a subquery's error);
 * those of the select list, HAVING and ORDER BY go above WHERE, or above
 * the Agg node of a grouped query (their outer expressions regrouped),
 * after a Filter of the HAVING conjuncts without subqueries.
 *
 * Laziness: PostgreSQL runs an uncorrelated subquery (an initplan) when a
 * row first needs its value. The right side of a MarkJoin is maintained
 * whether or not left rows exist, so an uncorrelated scalar subquery's
 * select-list expression (count(*) / count(DISTINCT x)) is not computed
 * there but by the MarkJoin for each left row (defer_scalar_value): no left
 * row, no evaluation, no 22012 (Nexmark q102 over empty tables).
 *
 * Length: about 1,350 lines, over the house 1,200: binding, decorrelation
 *   and placement share SubLinkItem and the column rewrites; the
 *   expression and plan walks (the first third) are the part to move out.
 *
 * Invariants:
 *   1. A SubLink binds to a placeholder column; the level's plan replaces it
 *      by a MarkJoin's mark column (bind_sublink_resolve), never leaving a
 *      placeholder or an outer reference in a plan that runs.
 *   2. Evaluation never re-runs a subquery per row: the MarkJoin keeps both
 *      sides, so the same plan is maintained incrementally by a view.
 *   3. Unsupported shapes fail with 0A000 at bind time, not at run time.
 *   4. The select-list expression of an uncorrelated scalar subquery that
 *      reads its rows and calls nothing volatile is evaluated only for a
 *      left row of its MarkJoin (MarkJoin value_expr), never on the right.
 */
#include <string.h>

#include "sql/bind_query.h"
#include "sql/bind_sublink.h"

/* Outer references are the columns in [OUTER_MIN, OUTER_END). */
#define OUTER_MIN BIND_SUBLINK_OUTER_BASE
#define OUTER_END (2 * BIND_SUBLINK_OUTER_BASE)
#define MAX_CONJUNCTS 256
#define MAX_ROW 64 /* fields of a row compared with a subquery */

typedef struct SubLinkItem {
    MarkKind kind;
    PlanNode *right;
    int nkeys;
    Expr **lkeys;
    int *rkeys;
    TypeOrder *orders;
    bool is_in_key; /* the last key is the IN comparison itself */
    Expr *cond, *test;
    int value;
    Expr **values;   /* per subquery column: computed over left ++ right (outer refs), or NULL */
    bool take_first; /* ORDER BY ... LIMIT 1 of a correlated scalar subquery */
    int norder;
    SortKey *order;
    int naggs; /* MARK_AGG: the calls over left ++ right, and the value over them */
    AggCall *aggs;
    Expr *agg_value;
    Expr *empty;
    Oid type;
    int32_t typmod;
    bool late;       /* select list / HAVING / ORDER BY: above WHERE (and the Agg, if any) */
    int scope_ncols; /* the level's FROM columns (aggregate placeholders start there) */
    int column;      /* the mark column once attached, -1 before */
    int location;
} SubLinkItem;

struct BindSubLinks {
    int n, cap;
    SubLinkItem *items;
};

/* ---- expression walks ------------------------------------------------------------------- */

/*
 * True when fn is true for some child of e. Calls and lists (AND, OR, COALESCE, CASE) are
 * walked here, as they may be longer than a buffer; the rest through bind_expr_children().
 */
typedef bool (*KidFn)(void *arg, const Expr *kid);

static bool
any_kid(const Expr *e, KidFn fn, void *arg)
{
    const Expr *kids[16];
    int n;

    switch (e->kind) {
    case EXPR_FUNC:
        for (int i = 0; i < e->u.func.nargs; i++) {
            if (fn(arg, e->u.func.args[i]))
                return true;
        }
        return false;
    case EXPR_AND:
    case EXPR_OR:
    case EXPR_COALESCE:
        for (int i = 0; i < e->u.list.nargs; i++) {
            if (fn(arg, e->u.list.args[i]))
                return true;
        }
        return false;
    case EXPR_CASE:
        for (int i = 0; i < e->u.kase.nwhen; i++) {
            if (fn(arg, e->u.kase.when[i]) || fn(arg, e->u.kase.then[i]))
                return true;
        }
        return (e->u.kase.arg != NULL && fn(arg, e->u.kase.arg)) ||
               (e->u.kase.otherwise != NULL && fn(arg, e->u.kase.otherwise));
    default:
        n = bind_expr_children(e, kids, (int)(sizeof kids / sizeof kids[0]));
        for (int i = 0; i < n; i++) {
            if (fn(arg, kids[i]))
                return true;
        }
        return false;
    }
}

typedef struct ColumnRange {
    int lo, hi;
} ColumnRange;

static bool reads_columns(const Expr *e, int lo, int hi);

static bool
kid_reads(void *arg, const Expr *kid)
{
    const ColumnRange *r = arg;

    return reads_columns(kid, r->lo, r->hi);
}

/* True when e reads a column in [lo, hi). */
static bool
reads_columns(const Expr *e, int lo, int hi)
{
    ColumnRange r = {lo, hi};

    if (e == NULL)
        return false;
    if (e->kind == EXPR_COLUMN)
        return e->u.column >= lo && e->u.column < hi;
    return any_kid(e, kid_reads, &r);
}

static bool
has_outer(const Expr *e)
{
    return reads_columns(e, OUTER_MIN, OUTER_END);
}

static bool
has_inner(const Expr *e)
{
    return reads_columns(e, 0, OUTER_MIN);
}

typedef enum RewriteMode {
    RW_COND,    /* outer ref → left column; inner column → right row position */
    RW_ATTACH,  /* right row position → left ncols + position */
    RW_SHIFT,   /* every column + delta */
    RW_EMPTY,   /* aggregate column → its value over no rows */
    RW_REGROUP, /* over an Agg's output: group keys and aggregate placeholders */
} RewriteMode;

typedef struct Rewrite {
    BindCtx *b;
    RewriteMode mode;
    int delta; /* RW_SHIFT, RW_ATTACH */
    int base;  /* RW_COND: right position of the first inner column */
    int ninner, inner_cap;
    int *inner;           /* RW_COND: inner columns, in right-row order from base */
    const PlanNode *node; /* RW_EMPTY, RW_REGROUP: the Agg */
    int scope_ncols;      /* RW_REGROUP */
} Rewrite;

static int
inner_position(Rewrite *r, int col)
{
    for (int i = 0; i < r->ninner; i++) {
        if (r->inner[i] == col)
            return r->base + i;
    }
    if (r->ninner == r->inner_cap) {
        int cap = r->inner_cap ? r->inner_cap * 2 : 8;
        int *inner = arena_alloc(r->b->arena, sizeof(int) * (size_t)cap);

        if (r->ninner > 0)
            memcpy(inner, r->inner, sizeof(int) * (size_t)r->ninner);
        r->inner = inner;
        r->inner_cap = cap;
    }
    r->inner[r->ninner++] = col;
    return r->base + r->ninner - 1;
}

static Expr *
empty_value(Rewrite *r, const Expr *e)
{
    const AggCall *call =
        e->u.column < r->node->u.agg.naggs ? &r->node->u.agg.aggs[e->u.column] : NULL;

    if (call != NULL && call->def != NULL && strcmp(call->def->name, "count") == 0)
        return expr_const(r->b->arena, TYPE_INT8, datum_from_int64(0), false, e->location);
    return expr_const(r->b->arena, e->type, 0, true, e->location);
}

static Expr *
rewrite(void *arg, Expr *e)
{
    Rewrite *r = arg;
    Expr *c;
    int col;

    if (r->mode == RW_REGROUP) {
        const PlanNode *agg = r->node;

        for (int k = 0; k < agg->u.agg.nkeys; k++) {
            if (bind_expr_equal(agg->u.agg.keys[k], e)) {
                c = arena_memdup(r->b->arena, e, sizeof *e);
                c->kind = EXPR_COLUMN;
                c->u.column = k;
                return c;
            }
        }
    }
    if (e->kind != EXPR_COLUMN)
        return bind_rewrite_children(r->b->arena, r, rewrite, e);
    c = arena_memdup(r->b->arena, e, sizeof *e);
    col = e->u.column;
    switch (r->mode) {
    case RW_COND:
        c->u.column = col >= OUTER_MIN && col < OUTER_END
                          ? col - BIND_SUBLINK_OUTER_BASE
                          : BIND_SUBLINK_RIGHT_BASE + inner_position(r, col);
        break;
    case RW_ATTACH:
        if (col >= BIND_SUBLINK_RIGHT_BASE && col < BIND_SUBLINK_MARK_BASE)
            c->u.column = r->delta + col - BIND_SUBLINK_RIGHT_BASE;
        break;
    case RW_SHIFT:
        c->u.column = col + r->delta;
        break;
    case RW_EMPTY:
        return empty_value(r, e);
    case RW_REGROUP:
        if (col >= BIND_SUBLINK_RIGHT_BASE)
            break; /* the right row, or another SubLink's mark */
        if (col < r->scope_ncols) {
            bind_error(r->b, e->location, ERRCODE_GROUPING_ERROR,
                       "subquery uses ungrouped column from outer query");
            return NULL;
        }
        c->u.column = r->node->u.agg.nkeys + (col - r->scope_ncols);
        break;
    }
    return c;
}

static Expr *
rewrite_expr(Rewrite *r, Expr *e)
{
    return e == NULL ? NULL : rewrite(r, e);
}

static void fix_marks(const struct BindSubLinks *sl, Expr *e);

static bool
kid_fix_marks(void *arg, const Expr *kid)
{
    fix_marks(arg, (Expr *)kid);
    return false;
}

/* Replaces the level's mark placeholders inside e, in place (idempotent). */
static void
fix_marks(const struct BindSubLinks *sl, Expr *e)
{
    if (e == NULL)
        return;
    if (e->kind == EXPR_COLUMN) {
        int k = e->u.column - BIND_SUBLINK_MARK_BASE;

        if (k >= 0 && k < sl->n && sl->items[k].column >= 0)
            e->u.column = sl->items[k].column;
        return;
    }
    (void)any_kid(e, kid_fix_marks, (void *)sl);
}

/* Calls fn on every Expr of plan (and its inputs). */
typedef void (*ExprVisit)(const struct BindSubLinks *sl, Expr *e);

static void
visit_window(const struct BindSubLinks *sl, const WindowPlan *w, ExprVisit fn)
{
    for (int i = 0; i < w->npart; i++)
        fn(sl, w->part[i]);
    for (int i = 0; i < w->norder; i++)
        fn(sl, w->order[i]);
    for (int i = 0; i < w->ncalls; i++) {
        const WindowCall *c = &w->calls[i];

        for (int a = 0; a < c->nargs && c->kind != WIN_AGG; a++)
            fn(sl, c->args[a]);
        for (int a = 0; a < c->agg.nargs && c->kind == WIN_AGG; a++)
            fn(sl, c->agg.args[a]);
        if (c->kind == WIN_AGG)
            fn(sl, c->agg.filter);
    }
}

static void
visit_plan(const struct BindSubLinks *sl, PlanNode *p, ExprVisit fn)
{
    if (p == NULL)
        return;
    switch (p->kind) {
    case PLAN_VALUES:
        for (int r = 0; r < p->u.values.nrows; r++) {
            for (int c = 0; c < p->ncols; c++)
                fn(sl, p->u.values.rows[r][c]);
        }
        break;
    case PLAN_SERIES:
        fn(sl, p->u.series.start);
        fn(sl, p->u.series.stop);
        fn(sl, p->u.series.step);
        break;
    case PLAN_FILTER:
    case PLAN_JOIN:
        fn(sl, p->u.pred);
        break;
    case PLAN_TEMPORAL_FILTER: /* sql/bind_temporal.c */
        fn(sl, p->u.temporal.cond);
        break;
    case PLAN_PROJECT:
        for (int c = 0; c < p->ncols; c++)
            fn(sl, p->u.exprs[c]);
        break;
    case PLAN_AGG:
        for (int k = 0; k < p->u.agg.nkeys; k++)
            fn(sl, p->u.agg.keys[k]);
        for (int a = 0; a < p->u.agg.naggs; a++) {
            const AggCall *call = &p->u.agg.aggs[a];

            for (int i = 0; i < call->nargs; i++)
                fn(sl, call->args[i]);
            for (int i = 0; i < call->norder; i++)
                fn(sl, call->order[i]);
            fn(sl, call->filter);
        }
        break;
    case PLAN_LIMIT:
        fn(sl, p->u.limit.limit);
        fn(sl, p->u.limit.offset);
        break;
    case PLAN_WINDOW:
        visit_window(sl, p->u.window, fn);
        break;
    case PLAN_MARKJOIN:
        for (int k = 0; k < p->u.mark.nkeys; k++)
            fn(sl, p->u.mark.lkeys[k]);
        fn(sl, p->u.mark.cond);
        fn(sl, p->u.mark.test);
        fn(sl, p->u.mark.value_expr);
        for (int a = 0; a < p->u.mark.naggs; a++) {
            fn(sl, p->u.mark.aggs[a].args[0]);
            fn(sl, p->u.mark.aggs[a].args[1]);
            fn(sl, p->u.mark.aggs[a].filter);
        }
        break;
    default:
        break;
    }
    visit_plan(sl, p->input, fn);
    visit_plan(sl, p->right, fn);
}

static bool found_outer;

static void
find_outer(const struct BindSubLinks *sl, Expr *e)
{
    (void)sl;
    found_outer = found_outer || has_outer(e);
}

static bool
plan_has_outer(PlanNode *p)
{
    found_outer = false;
    visit_plan(NULL, p, find_outer);
    return found_outer;
}

/* ---- decorrelation ------------------------------------------------------------------------ */

static int
not_supported(BindCtx *b, int location, const char *what)
{
    return bind_error(b, location, ERRCODE_FEATURE_NOT_SUPPORTED, "%s are not supported yet", what);
}

static void
flatten_and(Expr *e, Expr **out, int *n)
{
    if (e->kind == EXPR_AND) {
        for (int i = 0; i < e->u.list.nargs; i++)
            flatten_and(e->u.list.args[i], out, n);
    } else if (*n < MAX_CONJUNCTS) {
        out[(*n)++] = e;
    }
}

static Expr *
and_of(BindCtx *b, Expr **conj, int n)
{
    Expr *e;

    if (n <= 1)
        return n == 1 ? conj[0] : NULL;
    e = expr_new(b->arena, EXPR_AND, TYPE_BOOL, conj[0]->location);
    e->u.list.nargs = n;
    e->u.list.args = arena_memdup(b->arena, conj, sizeof(Expr *) * (size_t)n);
    return e;
}

/* The type both sides of an "=" between a and b hash as: a itself, or the family's widest. */
static Oid
key_type(Oid a, Oid b)
{
    bool ints = (a == TYPE_INT2 || a == TYPE_INT4 || a == TYPE_INT8) &&
                (b == TYPE_INT2 || b == TYPE_INT4 || b == TYPE_INT8);
    bool floats = (a == TYPE_FLOAT4 || a == TYPE_FLOAT8) && (b == TYPE_FLOAT4 || b == TYPE_FLOAT8);

    return a == b ? a : ints ? TYPE_INT8 : floats ? TYPE_FLOAT8 : TYPE_INVALID;
}

/*
 * c is `x = y` by the "=" operator of x's and y's types that equals the btree equality of
 * their key type (integers across widths as int8, floats as float8): *order that equality.
 */
static bool
is_hashable_eq(const Expr *c, TypeOrder *order)
{
    const OperDef *o;
    Oid lt, rt, kt;
    int pos = 0;

    if (c->kind != EXPR_FUNC || c->u.func.nargs != 2 || c->type != TYPE_BOOL)
        return false;
    lt = c->u.func.args[0]->type;
    rt = c->u.func.args[1]->type;
    if ((kt = key_type(lt, rt)) == TYPE_INVALID || !plan_type_order(kt, order))
        return false;
    if (lt == rt)
        return order->eq == c->u.func.fn;
    while ((o = catalog_next_oper("=", &pos)) != NULL) {
        if (o->left == lt && o->right == rt && o->fn == c->u.func.fn)
            return true;
    }
    return false;
}

/* e as a key of type order->type (a cast from a narrower integer or float). */
static Expr *
as_key(BindCtx *b, Expr *e, const TypeOrder *order)
{
    if (e->type != order->type &&
        bind_coerce(b, &e, order->type, COERCION_IMPLICIT, e->location) != 0) {
        if (!err_is_set(b->err))
            bind_error(b, e->location, ERRCODE_INTERNAL_ERROR, "cannot cast a subquery key");
        return NULL;
    }
    return e;
}

/* `inner = outer` (either order), hashable (is_hashable_eq): *inner_arg = inner's index. */
static bool
is_equality_key(const Expr *c, int *inner_arg, TypeOrder *order)
{
    const Expr *x, *y;

    if (!is_hashable_eq(c, order))
        return false;
    x = c->u.func.args[0];
    y = c->u.func.args[1];
    for (int i = 0; i < 2; i++) {
        const Expr *in = i == 0 ? x : y, *out = i == 0 ? y : x;

        if (!has_outer(in) && has_inner(in) && has_outer(out) && !has_inner(out)) {
            *inner_arg = i;
            return true;
        }
    }
    return false;
}

static PlanNode *
copy_types(PlanNode *p, const PlanNode *from, int n)
{
    memcpy(p->types, from->types, sizeof(Oid) * (size_t)n);
    memcpy(p->typmods, from->typmods, sizeof(int32_t) * (size_t)n);
    return p;
}

static PlanNode *
new_filter(BindCtx *b, PlanNode *input, Expr *pred)
{
    PlanNode *f;

    if (pred == NULL)
        return input;
    f = copy_types(plan_new(b->arena, PLAN_FILTER, input, input->ncols), input, input->ncols);
    f->u.pred = pred;
    return f;
}

static Expr *
column(BindCtx *b, int col, Oid type, int32_t typmod)
{
    Expr *e = expr_new(b->arena, EXPR_COLUMN, type, -1);

    e->u.column = col;
    e->typmod = typmod;
    return e;
}

/* The decorrelated right side of an aggregate subquery: grouped by the inner key exprs. */
static int
regroup_agg(BindCtx *b, SubLinkItem *it, PlanNode *proj, PlanNode *agg, PlanNode *below,
            Expr **ikeys)
{
    int k = it->nkeys, n = proj->ncols;
    PlanNode *g = plan_new(b->arena, PLAN_AGG, below, k + agg->u.agg.naggs);
    PlanNode *p = plan_new(b->arena, PLAN_PROJECT, g, n + k);
    Rewrite shift = {.b = b, .mode = RW_SHIFT, .delta = k};
    Rewrite empty = {.b = b, .mode = RW_EMPTY, .node = agg};

    g->u.agg = agg->u.agg;
    g->u.agg.nkeys = k;
    g->u.agg.keys = arena_memdup(b->arena, ikeys, sizeof(Expr *) * (size_t)(k ? k : 1));
    g->u.agg.key_orders = it->orders;
    for (int i = 0; i < k; i++) {
        g->types[i] = ikeys[i]->type;
        g->typmods[i] = ikeys[i]->typmod;
    }
    memcpy(g->types + k, agg->types, sizeof(Oid) * (size_t)agg->ncols);
    memcpy(g->typmods + k, agg->typmods, sizeof(int32_t) * (size_t)agg->ncols);
    p->u.exprs = arena_alloc(b->arena, sizeof(Expr *) * (size_t)(n + k));
    for (int c = 0; c < n; c++) {
        if ((p->u.exprs[c] = rewrite_expr(&shift, proj->u.exprs[c])) == NULL)
            return -1;
    }
    copy_types(p, proj, n);
    for (int i = 0; i < k; i++) {
        p->u.exprs[n + i] = column(b, i, g->types[i], g->typmods[i]);
        p->types[n + i] = g->types[i];
        p->typmods[n + i] = g->typmods[i];
        it->rkeys[i] = n + i;
    }
    if ((it->empty = rewrite_expr(&empty, proj->u.exprs[0])) == NULL)
        return -1;
    it->right = p;
    return 0;
}

/*
 * The right side of an aggregate subquery correlated by more than equality keys: its rows are
 * the keys and the inner columns that the condition and the aggregate calls read; the MarkJoin
 * feeds every match to the calls (MARK_AGG) and computes the select-list expression over them.
 */
static int
aggregate_matches(BindCtx *b, SubLinkItem *it, const PlanNode *proj, const PlanNode *agg,
                  PlanNode *p, Expr **ikeys, Expr **cond, int ncond)
{
    Rewrite rc = {.b = b, .mode = RW_COND, .base = it->nkeys};
    int naggs = agg->u.agg.naggs, n;
    PlanNode *r;

    it->kind = MARK_AGG;
    it->naggs = naggs;
    it->aggs = arena_memdup(b->arena, agg->u.agg.aggs, sizeof(AggCall) * (size_t)(naggs + 1));
    for (int a = 0; a < naggs; a++) {
        AggCall *call = &it->aggs[a];

        if (call->distinct || call->norder > 0)
            return not_supported(b, call->location,
                                 "DISTINCT and ORDER BY in aggregates of correlated subqueries");
        for (int i = 0; i < call->nargs; i++) {
            if ((call->args[i] = rewrite_expr(&rc, call->args[i])) == NULL)
                return -1;
        }
        if (call->filter != NULL && (call->filter = rewrite_expr(&rc, call->filter)) == NULL)
            return -1;
    }
    for (int i = 0; i < ncond; i++) {
        if ((cond[i] = rewrite_expr(&rc, cond[i])) == NULL)
            return -1;
    }
    it->cond = and_of(b, cond, ncond);
    it->agg_value = proj->u.exprs[0];
    n = it->nkeys + rc.ninner;
    r = plan_new(b->arena, PLAN_PROJECT, p, n);
    r->u.exprs = arena_alloc(b->arena, sizeof(Expr *) * (size_t)(n + 1));
    for (int i = 0; i < n; i++) {
        int col = i < it->nkeys ? -1 : rc.inner[i - it->nkeys];
        Expr *e = i < it->nkeys ? ikeys[i] : column(b, col, p->types[col], p->typmods[col]);

        r->u.exprs[i] = e;
        r->types[i] = e->type;
        r->typmods[i] = e->typmod;
        if (i < it->nkeys)
            it->rkeys[i] = i;
    }
    it->right = r;
    return 0;
}

/* Splits the WHERE conjuncts of the subquery into kept, equality keys and condition. */
static int
split_where(BindCtx *b, SubLinkItem *it, Expr *pred, Expr **kept, int *nkept, Expr **ikeys,
            Expr **cond, int *ncond)
{
    Expr *conj[MAX_CONJUNCTS];
    int n = 0;
    Rewrite outer = {.b = b, .mode = RW_COND};

    flatten_and(pred, conj, &n);
    if (n == MAX_CONJUNCTS) /* maybe more: flatten_and stopped */
        return not_supported(b, it->location, "correlated subqueries with this many conditions");
    *nkept = *ncond = 0;
    it->nkeys = 0;
    it->lkeys = arena_alloc(b->arena, sizeof(Expr *) * (size_t)n);
    it->rkeys = arena_alloc(b->arena, sizeof(int) * (size_t)n);
    it->orders = arena_calloc(b->arena, (size_t)n, sizeof(TypeOrder));
    for (int i = 0; i < n; i++) {
        int in;

        if (!has_outer(conj[i])) {
            kept[(*nkept)++] = conj[i];
        } else if (is_equality_key(conj[i], &in, &it->orders[it->nkeys])) {
            const TypeOrder *o = &it->orders[it->nkeys];

            if ((ikeys[it->nkeys] = as_key(b, conj[i]->u.func.args[in], o)) == NULL ||
                (it->lkeys[it->nkeys] = rewrite_expr(&outer, conj[i]->u.func.args[1 - in])) ==
                    NULL ||
                (it->lkeys[it->nkeys] = as_key(b, it->lkeys[it->nkeys], o)) == NULL)
                return -1;
            it->nkeys++;
        } else {
            cond[(*ncond)++] = conj[i];
        }
    }
    return 0;
}

/*
 * The right side of a correlated subquery without aggregates: its select list, with columns that
 * read the outer row NULL there and computed by the MarkJoin instead (it->values, over left ++
 * right; EXISTS ignores its select list), then the inner key expressions, then the inner
 * columns that the condition and it->values read.
 */
static int
project_right(BindCtx *b, SubLinkItem *it, const PlanNode *proj, PlanNode *p, Expr **ikeys,
              Rewrite *rc)
{
    int n, w = proj->ncols;
    PlanNode *r;

    it->values = arena_calloc(b->arena, (size_t)w + 1, sizeof(Expr *));
    for (int c = 0; c < w; c++) {
        if (has_outer(proj->u.exprs[c]) && it->kind != MARK_EXISTS &&
            (it->values[c] = rewrite_expr(rc, proj->u.exprs[c])) == NULL)
            return -1;
    }
    for (int k = 0; k < it->norder; k++) {
        if (it->values[it->order[k].column] != NULL)
            return not_supported(b, it->location,
                                 "ORDER BY outer references in correlated subqueries");
    }
    n = w + it->nkeys + rc->ninner;
    r = copy_types(plan_new(b->arena, PLAN_PROJECT, p, n), proj, w);
    r->u.exprs = arena_alloc(b->arena, sizeof(Expr *) * (size_t)n);
    for (int c = 0; c < w; c++)
        r->u.exprs[c] = !has_outer(proj->u.exprs[c])
                            ? proj->u.exprs[c]
                            : expr_const(b->arena, proj->types[c], 0, true, -1);
    for (int i = 0; i < it->nkeys + rc->ninner; i++) {
        int c = w + i, col = i < it->nkeys ? -1 : rc->inner[i - it->nkeys];
        Expr *e = i < it->nkeys ? ikeys[i] : column(b, col, p->types[col], p->typmods[col]);

        r->u.exprs[c] = e;
        r->types[c] = e->type;
        r->typmods[c] = e->typmod;
        if (i < it->nkeys)
            it->rkeys[i] = c;
    }
    it->right = r;
    return 0;
}

/* A Project keeping the first ncols columns of its input as they are. */
static bool
is_prefix_projection(const PlanNode *p)
{
    for (int c = 0; c < p->ncols; c++) {
        if (p->u.exprs[c]->kind != EXPR_COLUMN || p->u.exprs[c]->u.column != c)
            return false;
    }
    return true;
}

/* True when e reads neither columns nor parameters. */
static bool is_closed(const Expr *e);

static bool
kid_not_closed(void *arg, const Expr *kid)
{
    (void)arg;
    return !is_closed(kid);
}

static bool
is_closed(const Expr *e)
{
    if (e->kind == EXPR_COLUMN || e->kind == EXPR_PARAM)
        return false;
    return !any_kid(e, kid_not_closed, NULL);
}

/* LIMIT n (a constant n > 0, or NULL: no limit) without OFFSET: keeps a row if there is one. */
static bool
limit_keeps_a_row(BindCtx *b, const PlanNode *limit)
{
    const Expr *n = limit->u.limit.limit;
    EvalCtx ctx = {.session = b->session, .arena = b->arena, .io = b->io};
    Datum d;
    bool isnull;
    Err err;

    if (limit->u.limit.offset != NULL || (n != NULL && !is_closed(n)))
        return false;
    err_clear(&err);
    if (n == NULL)
        return true;
    if (expr_eval(n, &ctx, &d, &isnull, &err) < 0)
        return false;
    return isnull || datum_get_int64(d) > 0;
}

/* LIMIT 1 (a constant 1) without OFFSET. */
static bool
limit_is_one(BindCtx *b, const PlanNode *limit)
{
    const Expr *n = limit->u.limit.limit;
    EvalCtx ctx = {.session = b->session, .arena = b->arena, .io = b->io};
    Datum d;
    bool isnull;
    Err err;

    if (limit->u.limit.offset != NULL || n == NULL || !is_closed(n))
        return false;
    err_clear(&err);
    return expr_eval(n, &ctx, &d, &isnull, &err) == 0 && !isnull && datum_get_int64(d) == 1;
}

/*
 * A correlated scalar subquery [ORDER BY ...] LIMIT 1: the MarkJoin takes the first match in
 * that order (it->take_first) and the plan below the Sort is decorrelated. Returns the top of
 * what is left (top itself when the subquery has no such LIMIT).
 */
static PlanNode *
scalar_limit_one(BindCtx *b, SubLinkItem *it, PlanNode *top)
{
    PlanNode *l = top;

    if (l->kind == PLAN_PROJECT && is_prefix_projection(l) && l->input->kind == PLAN_LIMIT)
        l = l->input; /* the Project dropping ORDER BY's resjunk columns */
    if (l->kind == PLAN_LIMIT && !limit_is_one(b, l) && limit_keeps_a_row(b, l))
        return l->input; /* LIMIT n > 1: no matter, two rows fail anyway */
    if (l->kind != PLAN_LIMIT || !limit_is_one(b, l))
        return top;
    it->take_first = true;
    l = l->input;
    if (l->kind == PLAN_SORT) {
        it->norder = l->u.sort.nkeys;
        it->order = l->u.sort.keys;
        l = l->input;
    }
    return l;
}

static bool has_volatile(const Expr *e);

static bool
kid_volatile(void *arg, const Expr *kid)
{
    (void)arg;
    return has_volatile(kid);
}

static bool
has_volatile(const Expr *e)
{
    if (e->kind == EXPR_FUNC && e->u.func.def != NULL && (e->u.func.def->flags & FN_VOLATILE))
        return true;
    return any_kid(e, kid_volatile, NULL);
}

/*
 * An uncorrelated scalar subquery's select-list expression over its rows (count(*) / count(x))
 * moves into the MarkJoin (it->values[0], over left ++ right), computed for each left row: as
 * PostgreSQL runs an initplan only when a row first needs its value, no outer row means no
 * evaluation and no error. Not for closed expressions (PostgreSQL folds those when planning)
 * nor volatile ones (one value for every row there).
 */
static int
defer_scalar_value(BindCtx *b, SubLinkItem *it, PlanNode *plan)
{
    Rewrite to_right = {.b = b, .mode = RW_SHIFT, .delta = BIND_SUBLINK_RIGHT_BASE};
    Expr *e;

    if (it->kind != MARK_SCALAR || plan->kind != PLAN_PROJECT || plan->ncols != 1)
        return 0;
    e = plan->u.exprs[0];
    if (e->kind == EXPR_COLUMN || !has_inner(e) || has_volatile(e))
        return 0;
    it->values = arena_calloc(b->arena, 2, sizeof(Expr *));
    if ((it->values[0] = rewrite_expr(&to_right, e)) == NULL)
        return -1;
    it->right = plan->input;
    return 0;
}

/*
 * Sets it->right (and keys, cond, empty) from the subquery's plan. *single_row: the subquery is
 * an aggregate without GROUP BY, so it yields exactly one row for every outer row.
 */
static int
decorrelate(BindCtx *b, SubLinkItem *it, PlanNode *plan, bool *single_row)
{
    PlanNode *top = plan, *proj, *agg = NULL, *filter, *p;
    Expr *kept[MAX_CONJUNCTS], *ikeys[MAX_CONJUNCTS], *cond[MAX_CONJUNCTS];
    int nkept, ncond;
    Rewrite rc = {.b = b, .mode = RW_COND};

    *single_row = false;
    it->right = plan;
    if (!plan_has_outer(plan))
        return defer_scalar_value(b, it, plan);
    if (it->kind == MARK_SCALAR && (top = scalar_limit_one(b, it, top)) == NULL)
        return -1;
    for (;;) { /* ORDER BY is no matter here, nor EXISTS (... LIMIT 1) */
        if (top->kind == PLAN_LIMIT && it->kind == MARK_EXISTS && limit_keeps_a_row(b, top))
            top = top->input;
        else if (top->kind == PLAN_SORT)
            top = top->input;
        else if (top->kind == PLAN_PROJECT && is_prefix_projection(top) &&
                 (top->input->kind == PLAN_SORT || top->input->kind == PLAN_LIMIT))
            top = top->input; /* the one dropping ORDER BY's resjunk columns */
        else
            break;
    }
    if (top->kind == PLAN_AGG && top->u.agg.naggs == 0 && it->kind != MARK_SCALAR)
        top = top->input; /* DISTINCT changes nothing for EXISTS / IN */
    proj = top;
    filter = proj->kind == PLAN_PROJECT ? proj->input : NULL;
    if (filter != NULL && filter->kind == PLAN_AGG && filter->u.agg.nkeys == 0) {
        agg = filter;
        filter = agg->input;
    }
    if (filter == NULL || (agg != NULL && filter->kind != PLAN_FILTER))
        return not_supported(b, it->location,
                             "correlated subqueries other than through WHERE conditions");
    nkept = ncond = 0;
    p = filter; /* no WHERE: outer references only in the select list */
    if (filter->kind == PLAN_FILTER) {
        if (split_where(b, it, filter->u.pred, kept, &nkept, ikeys, cond, &ncond) < 0)
            return -1;
        p = new_filter(b, filter->input, and_of(b, kept, nkept));
    }
    if (plan_has_outer(p))
        return not_supported(b, it->location,
                             "correlated subqueries other than through WHERE conditions");
    if (agg != NULL) {
        /* the rest of the subquery must not read the outer row */
        PlanNode tmp = *agg, ptmp = *proj;

        tmp.input = NULL;
        ptmp.input = NULL;
        *single_row = true;
        if (it->kind == MARK_EXISTS)
            return 0; /* one row for every outer row: the caller makes it true */
        if (plan_has_outer(&ptmp))
            return not_supported(b, it->location,
                                 "outer references above the aggregates of a subquery");
        if (ncond == 0 && it->nkeys > 0 && !plan_has_outer(&tmp))
            return regroup_agg(b, it, proj, agg, p, ikeys);
        return aggregate_matches(b, it, proj, agg, p, ikeys, cond, ncond);
    }
    rc.base = proj->ncols + it->nkeys;
    for (int i = 0; i < ncond; i++) {
        if ((cond[i] = rewrite_expr(&rc, cond[i])) == NULL)
            return -1;
    }
    it->cond = and_of(b, cond, ncond);
    return project_right(b, it, proj, p, ikeys, &rc);
}

/* ---- binding a SubLink ---------------------------------------------------------------------- */

/* A copy of an array of n elements with room for one more. */
static void *
grow_array(BindCtx *b, const void *old, int n, size_t size)
{
    void *p = arena_calloc(b->arena, (size_t)n + 1, size);

    if (n > 0)
        memcpy(p, old, size * (size_t)n);
    return p;
}

static SubLinkItem *
add_item(BindCtx *b, struct BindSubLinks *sl, const SubLinkItem *it)
{
    if (sl->n == sl->cap) {
        int cap = sl->cap ? sl->cap * 2 : 4;
        SubLinkItem *items = arena_calloc(b->arena, (size_t)cap, sizeof(SubLinkItem));

        if (sl->n > 0)
            memcpy(items, sl->items, sizeof(SubLinkItem) * (size_t)sl->n);
        sl->items = items;
        sl->cap = cap;
    }
    sl->items[sl->n] = *it;
    return &sl->items[sl->n++];
}

static int
sublink_kind(BindCtx *b, const PgQuery__SubLink *sl, MarkKind *kind)
{
    switch (sl->sub_link_type) {
    case PG_QUERY__SUB_LINK_TYPE__EXISTS_SUBLINK:
        *kind = MARK_EXISTS;
        return 0;
    case PG_QUERY__SUB_LINK_TYPE__ANY_SUBLINK:
        *kind = MARK_ANY;
        return 0;
    case PG_QUERY__SUB_LINK_TYPE__ALL_SUBLINK:
        *kind = MARK_ALL;
        return 0;
    case PG_QUERY__SUB_LINK_TYPE__EXPR_SUBLINK:
        *kind = MARK_SCALAR;
        return 0;
    case PG_QUERY__SUB_LINK_TYPE__ARRAY_SUBLINK:
        return not_supported(b, sl->location, "ARRAY subqueries");
    default:
        return not_supported(b, sl->location, "this kind of subquery");
    }
}

/* Where the SubLink is: late (select list, HAVING, ORDER BY) or not; 0A000 where unsupported. */
static int
sublink_place(BindCtx *b, const PgQuery__SubLink *sl, bool *late)
{
    bool in_agg;
    const char *clause = bind_query_context(b, &in_agg);

    *late = !in_agg && clause == NULL;
    if (in_agg || clause == NULL || strcmp(clause, "WHERE") == 0 || strcmp(clause, "FILTER") == 0)
        return 0;
    return bind_error(b, sl->location, ERRCODE_FEATURE_NOT_SUPPORTED,
                      "subqueries in %s are not supported yet", clause);
}

static int
check_columns(BindCtx *b, const PgQuery__SubLink *sl, MarkKind kind, const PlanNode *plan, int nx)
{
    if (kind == MARK_SCALAR && plan->ncols != 1)
        return bind_error(b, sl->location, ERRCODE_SYNTAX_ERROR,
                          "subquery must return only one column");
    if ((kind == MARK_ANY || kind == MARK_ALL) && plan->ncols > nx)
        return bind_error(b, sl->location, ERRCODE_SYNTAX_ERROR, "subquery has too many columns");
    if ((kind == MARK_ANY || kind == MARK_ALL) && plan->ncols < nx)
        return bind_error(b, sl->location, ERRCODE_SYNTAX_ERROR, "subquery has too few columns");
    return 0;
}

/* x op y for ANY/ALL, y the right row's column 0 (or the mark, for a single-row subquery). */
static Expr *
comparison(BindCtx *b, const PgQuery__SubLink *sl, const char *op, Expr *x, Expr *y)
{
    Expr *e = bind_op(b, op, x, y, sl->location);

    if (e == NULL)
        return NULL;
    return bind_coerce_bool(
        b, e, sl->sub_link_type == PG_QUERY__SUB_LINK_TYPE__ALL_SUBLINK ? "ALL" : "ANY");
}

/*
 * The test of ANY/ALL over the right row: x op y, or for a row (x1, x2 ...) = the AND (<> the
 * OR) of the columns' comparisons, which is SQL's row comparison with its NULL rules.
 */
static Expr *
row_comparison(BindCtx *b, const PgQuery__SubLink *sl, const char *op, const SubLinkItem *it,
               Expr **xs, int nx, const PlanNode *plan)
{
    Expr *cmps[MAX_ROW], *e;

    if (nx > 1 && strcmp(op, "=") != 0 && strcmp(op, "<>") != 0) {
        not_supported(b, sl->location, "row comparisons other than = and <> with subqueries");
        return NULL;
    }
    for (int i = 0; i < nx; i++) {
        Expr *y = it->values != NULL && it->values[i] != NULL
                      ? it->values[i]
                      : column(b, BIND_SUBLINK_RIGHT_BASE + i, plan->types[i], plan->typmods[i]);

        if ((cmps[i] = comparison(b, sl, op, xs[i], y)) == NULL)
            return NULL;
    }
    if (nx == 1)
        return cmps[0];
    e = and_of(b, cmps, nx);
    if (strcmp(op, "<>") == 0)
        e->kind = EXPR_OR;
    return e;
}

/*
 * x IN (SELECT y ...) with an "=" that is the btree equality of x's and y's one type, and no
 * other correlated condition: x = y becomes the last equality key (hashed, op_markjoin.c).
 */
static int
hash_in(BindCtx *b, SubLinkItem *it)
{
    const Expr *t = it->test, *y;
    TypeOrder order;
    int n = it->nkeys;

    if (it->cond != NULL || !is_hashable_eq(t, &order))
        return 0;
    y = t->u.func.args[1];
    /* y is read from the right row as it is: integers of any width are int8 datums alike */
    if (y->kind != EXPR_COLUMN || y->u.column != BIND_SUBLINK_RIGHT_BASE ||
        (y->type != order.type && order.type != TYPE_INT8) ||
        reads_columns(t->u.func.args[0], BIND_SUBLINK_RIGHT_BASE, BIND_SUBLINK_MARK_BASE))
        return 0;
    it->lkeys = grow_array(b, it->lkeys, n, sizeof(Expr *));
    it->rkeys = grow_array(b, it->rkeys, n, sizeof(int));
    it->orders = grow_array(b, it->orders, n, sizeof(TypeOrder));
    if ((it->lkeys[n] = as_key(b, t->u.func.args[0], &order)) == NULL)
        return -1;
    it->rkeys[n] = 0;
    it->orders[n] = order;
    it->nkeys = n + 1;
    it->is_in_key = true;
    return 0;
}

/* The left operand of ANY/ALL: one expression or the fields of a row. */
static int
bind_test_operands(BindCtx *b, const PgQuery__SubLink *sl, Expr **xs, int *nx)
{
    const Node *t = sl->testexpr;
    Node *const *args = t != NULL && t->node_case == PG_QUERY__NODE__NODE_ROW_EXPR
                            ? t->row_expr->args
                            : (Node *const *)&sl->testexpr;
    int n =
        t != NULL && t->node_case == PG_QUERY__NODE__NODE_ROW_EXPR ? (int)t->row_expr->n_args : 1;

    if (n > MAX_ROW)
        return not_supported(b, sl->location, "rows this wide compared with subqueries");
    for (int i = 0; i < n; i++) {
        if ((xs[i] = bind_expr(b, args[i])) == NULL)
            return -1;
    }
    *nx = n;
    return 0;
}

static Expr *
negation(BindCtx *b, Expr *e)
{
    Expr *n = expr_new(b->arena, EXPR_NOT, TYPE_BOOL, e->location);

    n->u.arg = e;
    return n;
}

Expr *
bind_sublink(BindCtx *b, const PgQuery__SubLink *sl)
{
    struct BindSubLinks **list = bind_query_sublinks(b);
    const Node *sub = sl->subselect;
    SubLinkItem it = {0};
    Expr *xs[MAX_ROW], *mark;
    PlanNode *plan;
    bool single_row, negate;
    int nx = 0;
    const char *op = sl->n_oper_name > 0 ? bind_node_str(sl->oper_name[sl->n_oper_name - 1]) : "=";

    if (list == NULL || *list == NULL) {
        not_supported(b, sl->location, "subqueries in this position");
        return NULL;
    }
    if (sublink_kind(b, sl, &it.kind) < 0 || sublink_place(b, sl, &it.late) < 0)
        return NULL;
    /* x <> ALL (q) is NOT (x = ANY (q)) in three-valued logic too: hashed as IN */
    op = op != NULL ? op : "=";
    negate = it.kind == MARK_ALL && strcmp(op, "<>") == 0;
    if (negate) {
        it.kind = MARK_ANY;
        op = "=";
    }
    it.location = sl->location;
    it.column = -1;
    it.scope_ncols = bind_query_ncols(b);
    if ((it.kind == MARK_ANY || it.kind == MARK_ALL) && bind_test_operands(b, sl, xs, &nx) < 0)
        return NULL;
    if (sub == NULL || sub->node_case != PG_QUERY__NODE__NODE_SELECT_STMT) {
        not_supported(b, sl->location, "this kind of subquery");
        return NULL;
    }
    if (bind_query_subselect(b, sub->select_stmt, &plan) < 0 ||
        check_columns(b, sl, it.kind, plan, nx) < 0)
        return NULL;
    if (decorrelate(b, &it, plan, &single_row) < 0)
        return NULL;
    if (single_row && it.kind == MARK_EXISTS) /* an aggregate without GROUP BY: one row */
        return expr_const(b->arena, TYPE_BOOL, datum_from_bool(true), false, sl->location);
    if (single_row && nx > 1) {
        not_supported(b, sl->location, "row comparisons with correlated aggregate subqueries");
        return NULL;
    }
    if (single_row && nx == 1 && it.kind != MARK_AGG)
        it.kind = MARK_SCALAR; /* x op ANY (one row y) is x op y */
    if (it.kind == MARK_SCALAR || it.kind == MARK_AGG) {
        it.type = plan->types[0];
        it.typmod = plan->typmods[0];
    } else {
        it.type = TYPE_BOOL;
        it.typmod = -1;
    }
    if (!single_row && nx > 0 && (it.test = row_comparison(b, sl, op, &it, xs, nx, plan)) == NULL)
        return NULL;
    if (it.kind == MARK_ANY && nx == 1 && hash_in(b, &it) < 0)
        return NULL;
    mark = column(b, BIND_SUBLINK_MARK_BASE + (*list)->n, it.type, it.typmod);
    mark->location = sl->location;
    add_item(b, *list, &it);
    if (single_row && nx == 1 && (mark = comparison(b, sl, op, xs[0], mark)) == NULL)
        return NULL;
    return negate ? negation(b, mark) : mark;
}

Expr *
bind_sublink_outer_ref(BindCtx *b, struct QueryScope *outer, int levels,
                       const PgQuery__ColumnRef *cr)
{
    Expr *e;

    if (levels > 1) {
        not_supported(b, cr->location, "references to a query more than one level up");
        return NULL;
    }
    if ((e = bind_query_columnref_in(b, outer, cr)) == NULL)
        return NULL;
    if (e->u.column >= BIND_SUBLINK_RIGHT_BASE) {
        not_supported(b, cr->location, "references to a query more than one level up");
        return NULL;
    }
    e->u.column += BIND_SUBLINK_OUTER_BASE;
    return e;
}

struct BindSubLinks *
bind_sublink_list(BindCtx *b)
{
    return arena_calloc(b->arena, 1, sizeof(struct BindSubLinks));
}

/* ---- the level's plan --------------------------------------------------------------------- */

/* MARK_AGG: the calls' arguments and filters over the MarkJoin's left ++ right row. */
static int
attach_aggs(BindCtx *b, const SubLinkItem *it, PlanNode *m, Rewrite *regroup, Rewrite *attach)
{
    AggCall *aggs = arena_memdup(b->arena, it->aggs, sizeof(AggCall) * (size_t)(it->naggs + 1));

    for (int a = 0; a < it->naggs; a++) {
        Expr **exprs[AGG_MAX_ARGS + 1] = {&aggs[a].args[0], &aggs[a].args[1], &aggs[a].filter};

        for (int i = 0; i < AGG_MAX_ARGS + 1; i++) {
            if (*exprs[i] == NULL)
                continue;
            if ((regroup != NULL && (*exprs[i] = rewrite_expr(regroup, *exprs[i])) == NULL) ||
                (*exprs[i] = rewrite_expr(attach, *exprs[i])) == NULL)
                return -1;
        }
    }
    m->u.mark.naggs = it->naggs;
    m->u.mark.aggs = aggs;
    m->u.mark.value_expr = it->agg_value;
    return 0;
}

/* The Agg under what the level stacked over it (HAVING's early Filter, MarkJoins). */
static const PlanNode *
level_agg(const PlanNode *p)
{
    while (p->kind == PLAN_FILTER || p->kind == PLAN_MARKJOIN)
        p = p->input;
    return p;
}

static int
attach_one(BindCtx *b, SubLinkItem *it, PlanNode **plan, bool post)
{
    PlanNode *left = *plan, *m;
    int nl = left->ncols;
    Rewrite regroup = {.b = b,
                       .mode = RW_REGROUP,
                       .node = post ? level_agg(left) : NULL,
                       .scope_ncols = it->scope_ncols};
    Rewrite attach = {.b = b, .mode = RW_ATTACH, .delta = nl};
    Expr **lkeys = arena_alloc(b->arena, sizeof(Expr *) * (size_t)(it->nkeys + 1));

    for (int k = 0; k < it->nkeys; k++) {
        lkeys[k] = it->lkeys[k];
        if (post && (lkeys[k] = rewrite_expr(&regroup, lkeys[k])) == NULL)
            return -1;
    }
    m = copy_types(plan_new(b->arena, PLAN_MARKJOIN, left, nl + 1), left, nl);
    m->types[nl] = it->type;
    m->typmods[nl] = it->typmod;
    m->right = it->right;
    m->u.mark.kind = it->kind;
    m->u.mark.nkeys = it->nkeys;
    m->u.mark.lkeys = lkeys;
    m->u.mark.rkeys = it->rkeys;
    m->u.mark.key_orders = it->orders;
    m->u.mark.is_in_key = it->is_in_key;
    m->u.mark.cond = it->cond;
    m->u.mark.test = it->test;
    if (post &&
        ((it->cond != NULL && (m->u.mark.cond = rewrite_expr(&regroup, it->cond)) == NULL) ||
         (it->test != NULL && (m->u.mark.test = rewrite_expr(&regroup, it->test)) == NULL)))
        return -1;
    if ((m->u.mark.cond != NULL &&
         (m->u.mark.cond = rewrite_expr(&attach, m->u.mark.cond)) == NULL) ||
        (m->u.mark.test != NULL &&
         (m->u.mark.test = rewrite_expr(&attach, m->u.mark.test)) == NULL))
        return -1;
    m->u.mark.value = it->value;
    m->u.mark.take_first = it->take_first;
    m->u.mark.norder = it->norder;
    m->u.mark.order = it->order;
    m->u.mark.value_expr = it->kind == MARK_SCALAR && it->values != NULL ? it->values[0] : NULL;
    if (m->u.mark.value_expr != NULL &&
        ((post && (m->u.mark.value_expr = rewrite_expr(&regroup, m->u.mark.value_expr)) == NULL) ||
         (m->u.mark.value_expr = rewrite_expr(&attach, m->u.mark.value_expr)) == NULL))
        return -1;
    m->u.mark.empty = it->empty;
    if (it->kind == MARK_AGG && attach_aggs(b, it, m, post ? &regroup : NULL, &attach) < 0)
        return -1;
    it->column = nl;
    *plan = m;
    return 0;
}

/* The conjuncts of *where without a mark of sl: a Filter over *plan; *where keeps the rest. */
static void
filter_early(BindCtx *b, const struct BindSubLinks *sl, PlanNode **plan, Expr **where)
{
    Expr *conj[MAX_CONJUNCTS], *early[MAX_CONJUNCTS], *late[MAX_CONJUNCTS];
    int n = 0, ne = 0, nl = 0;

    if (where == NULL || *where == NULL)
        return;
    flatten_and(*where, conj, &n);
    if (n == MAX_CONJUNCTS)
        return; /* maybe truncated: leave WHERE whole */
    for (int i = 0; i < n; i++) {
        if (reads_columns(conj[i], BIND_SUBLINK_MARK_BASE, BIND_SUBLINK_MARK_BASE + sl->n))
            late[nl++] = conj[i];
        else
            early[ne++] = conj[i];
    }
    if (ne == 0)
        return;
    *plan = new_filter(b, *plan, and_of(b, early, ne));
    *where = and_of(b, late, nl);
}

int
bind_sublink_attach(BindCtx *b, struct BindSubLinks *sl, PlanNode **plan, Expr **where,
                    bool grouped, bool post)
{
    if (sl == NULL || sl->n == 0)
        return 0;
    filter_early(b, sl, plan, where); /* WHERE, or (post) HAVING: its conjuncts without marks */
    for (int i = 0; sl != NULL && i < sl->n; i++) {
        SubLinkItem *it = &sl->items[i];

        if (post != it->late)
            continue;
        if (attach_one(b, it, plan, post && grouped) < 0)
            return -1;
    }
    return 0;
}

int
bind_sublink_resolve(BindCtx *b, struct BindSubLinks *sl, PlanNode *plan)
{
    if (sl == NULL || sl->n == 0)
        return 0;
    for (int i = 0; i < sl->n; i++) {
        if (sl->items[i].column < 0)
            return bind_error(b, sl->items[i].location, ERRCODE_FEATURE_NOT_SUPPORTED,
                              "subqueries in this position are not supported yet");
    }
    visit_plan(sl, plan, fix_marks);
    return 0;
}
