/*
 * stream/op_markjoin.c — the mark join: every left row passes through with
 * one extra column (its "mark") computed from the multiset of right rows
 * that match it. It implements subqueries inside expressions (the binder's
 * rewrite in sql/bind_sublink.c): EXISTS, x IN / op ANY / op ALL (subquery)
 * and scalar subqueries, uncorrelated or correlated through equality keys.
 *
 *   left  (port 0) ──┐   bucket by key        ┌─ (left row, mark) ± w
 *                    ├─▶ [left rows | right]──┤
 *   right (port 1) ──┘   dirty at a change    └─ only at a barrier
 *
 * A left row matches the right rows of its bucket (equal equality keys,
 * NULL keys matching nothing) for which `cond` is true. Its mark:
 *   EXISTS  any match
 *   ANY     true if `test` is true for some match, else NULL if it is NULL
 *           for some, else false (so an empty subquery gives false)
 *   ALL     false if `test` is false for some match, else NULL if NULL for
 *           some, else true
 *   SCALAR  no match: `empty` (NULL, or count's 0 for an aggregate
 *           subquery grouped by the keys); one: its value column, or
 *           `value_expr` over (left ++ right) when the subquery's select
 *           list reads the outer row; more: 21000 (with take_first, for
 *           ORDER BY ... LIMIT 1: the first match in that order)
 *   AGG     `value_expr` over the results of aggregate calls fed every
 *           match (an aggregate subquery correlated by more than keys)
 *
 * Hashed IN (is_in_key: x = y is the last equality key, and the test): a
 * bucket holds the rows of one (correlation key, IN value); its group (the
 * correlation key) counts the right rows and those with a NULL y, so a mark
 * is found without scanning, and a right change dirties only its bucket
 * unless the group's emptiness or NULL-ness flips (then all its buckets).
 *
 * Delta rule: a push only records the change and marks its bucket dirty;
 * at flush (barrier) every left row of a dirty bucket gets its mark
 * recomputed from the bucket's current state and, where the mark or the
 * row's weight changed, the operator retracts what it emitted before and
 * emits the new (row, mark). Marks are therefore computed only over
 * consistent inputs (a subquery that has two rows in the middle of an
 * epoch but one at its barrier does not fail).
 *
 * This file keeps the buckets; a mark is computed and a changed mark is
 * emitted by stream/markjoin_common.c (stream/markjoin_int.h), which the
 * persistent operator (stream/op_markjoin_state.c) shares, so both paths
 * give the same marks. Only hashed IN's mark (in_key_mark) is decided here.
 *
 * Invariants:
 *   1. Output rows are the left row's columns then the mark.
 *   2. After a flush, the output multiset equals {(l, mark(l)) × weight(l)}
 *      over the left multiset, for the right multiset seen so far.
 *   3. Every left row's (weight, mark) last emitted is kept, so a retraction
 *      is always of something emitted before.
 *   4. State is in memory (the run's arena; a run with persistent state,
 *      stream/opstate.h, gets stream/op_markjoin_state.c's operator instead):
 *      per-bucket arrays of rows, found again for retractions through
 *      whole-row tables (lrows, rrows; a one-shot run, which never
 *      retracts, skips them). Rows whose weight drops to 0 stay (weight 0).
 *   5. A barrier recomputes a left row's mark only when its bucket's right
 *      side changed (O(left × right) of that bucket, O(left) when hashed)
 *      or when the row itself is new; a row whose weight alone changed
 *      reuses the mark it had.
 */
#include <stdint.h>
#include <string.h>

#include "common/errcodes.h"
#include "stream/joinstate.h"
#include "stream/markjoin_int.h"
#include "stream/stream_int.h"

typedef struct LeftRow {
    Value *row;
    int64_t w;         /* current weight */
    int64_t emitted_w; /* weight of the (row, mark) emitted last, 0: none */
    Value mark;        /* the mark emitted last */
    bool dirty;        /* its weight changed since the last barrier */
} LeftRow;

struct Group;

typedef struct Bucket {
    bool dirty;       /* in the dirty list */
    bool right_dirty; /* its right rows (or group) changed: every left row's mark may have */
    bool null_key;    /* a correlation key is NULL: matches nothing */
    bool null_x;      /* hashed IN: the IN key (x, or y on the right) is NULL */
    struct Group *group;
    int64_t nleft, left_cap;
    LeftRow *left;
    int64_t nright, right_cap;
    Value **right;
    int64_t *right_w;
} Bucket;

/* Hashed IN: the buckets (one per IN value) of one correlation key, and its right totals. */
typedef struct Group {
    int64_t total, nulls; /* right weight, and the part of it with a NULL y */
    int64_t nbuckets, cap;
    Bucket **buckets;
} Group;

typedef struct MarkJoinOp {
    Operator op;
    MarkCalc mc;            /* marks and their emission, stream/markjoin_int.h */
    TypeOrder *left_orders; /* per left column, to consolidate left rows */
    TypeOrder *right_orders;
    RowTable buckets;
    RowTable groups;       /* hashed IN: by the correlation keys (all keys but the last) */
    RowTable lrows, rrows; /* whole row → its index + 1 in its bucket (not in one-shot runs) */
    bool is_in_key;
    Value *key; /* scratch: one key */
    int64_t ndirty, dirty_cap;
    Bucket **dirty;
} MarkJoinOp;

static void *
grow(Arena *a, void *old, int64_t n, int64_t cap, size_t size)
{
    void *p = arena_alloc(a, size * (size_t)cap);

    if (n > 0)
        memcpy(p, old, size * (size_t)n);
    return p;
}

/* A shallow copy of a row of n Values (by-reference datums live in the run's arena). */
static Value *
copy_row(Arena *a, const Value *row, int n)
{
    Value *c = arena_alloc(a, sizeof(Value) * (size_t)(n ? n : 1));

    if (n > 0)
        memcpy(c, row, sizeof(Value) * (size_t)n);
    return c;
}

static void
mark_dirty(MarkJoinOp *m, Bucket *bk, bool right)
{
    bk->right_dirty = bk->right_dirty || right;
    if (bk->dirty)
        return;
    bk->dirty = true;
    if (m->ndirty == m->dirty_cap) {
        int64_t cap = m->dirty_cap ? m->dirty_cap * 2 : 64;

        m->dirty = grow(m->op.run->arena, m->dirty, m->ndirty, cap, sizeof(Bucket *));
        m->dirty_cap = cap;
    }
    m->dirty[m->ndirty++] = bk;
}

/* Hashed IN: puts a new bucket into the group of its correlation key. */
static int
join_group(MarkJoinOp *m, Bucket *bk, Err *err)
{
    RowEntry *e;
    bool created = false;
    Group *g;

    if (rowtable_lookup(&m->groups, &m->op.run->ctx, m->key, true, &e, &created, err) < 0)
        return -1;
    if (e->payload == NULL)
        e->payload = arena_calloc(m->op.run->arena, 1, sizeof(Group));
    g = e->payload;
    if (g->nbuckets == g->cap) {
        int64_t cap = g->cap ? g->cap * 2 : 4;

        g->buckets = grow(m->op.run->arena, g->buckets, g->nbuckets, cap, sizeof(Bucket *));
        g->cap = cap;
    }
    g->buckets[g->nbuckets++] = bk;
    bk->group = g;
    return 0;
}

/* Hashed IN: a right change in bk; when its group's emptiness or NULL-ness flips, every bucket. */
static void
right_changed(MarkJoinOp *m, Bucket *bk, int64_t w)
{
    Group *g = bk->group;
    bool had_rows = g->total > 0, had_nulls = g->nulls > 0;

    g->total += w;
    if (bk->null_x)
        g->nulls += w;
    if ((g->total > 0) == had_rows && (g->nulls > 0) == had_nulls) {
        mark_dirty(m, bk, true);
        return;
    }
    for (int64_t i = 0; i < g->nbuckets; i++)
        mark_dirty(m, g->buckets[i], true);
}

/* The bucket of a key (created on first use). */
static int
find_bucket(MarkJoinOp *m, Bucket **out, Err *err)
{
    const PlanNode *p = m->op.node->plan;
    RowEntry *e;
    bool created = false;

    if (rowtable_lookup(&m->buckets, &m->op.run->ctx, m->key, true, &e, &created, err) < 0)
        return -1;
    if (e->payload == NULL) {
        Bucket *bk = arena_calloc(m->op.run->arena, 1, sizeof *bk);
        int ncorr = p->u.mark.nkeys - (m->is_in_key ? 1 : 0);

        for (int k = 0; k < ncorr; k++)
            bk->null_key = bk->null_key || m->key[k].isnull;
        bk->null_x = m->is_in_key && m->key[ncorr].isnull;
        if (m->is_in_key && join_group(m, bk, err) < 0)
            return -1;
        e->payload = bk;
    }
    *out = e->payload;
    return 0;
}

/*
 * The row's entry in t (whole-row key): *index its index in its bucket, or -1 when new (the
 * entry then waits for set_index). A one-shot run never retracts: no table, every row new.
 */
static int
find_row(MarkJoinOp *m, RowTable *t, const Value *row, RowEntry **e, int64_t *index, Err *err)
{
    bool created = false;

    *e = NULL;
    *index = -1;
    if (m->op.run->one_shot)
        return 0;
    if (rowtable_lookup(t, &m->op.run->ctx, row, true, e, &created, err) < 0)
        return -1;
    if ((*e)->payload != NULL)
        *index = (int64_t)(intptr_t)(*e)->payload - 1;
    return 0;
}

static int
add_left(MarkJoinOp *m, Bucket *bk, const Value *row, int64_t w, Err *err)
{
    RowEntry *e;
    int64_t i;

    if (find_row(m, &m->lrows, row, &e, &i, err) < 0)
        return -1;
    if (i >= 0) {
        bk->left[i].w += w;
        bk->left[i].dirty = true;
        return 0;
    }
    if (bk->nleft == bk->left_cap) {
        int64_t cap = bk->left_cap ? bk->left_cap * 2 : 4;

        bk->left = grow(m->op.run->arena, bk->left, bk->nleft, cap, sizeof(LeftRow));
        bk->left_cap = cap;
    }
    if (e != NULL)
        e->payload = (void *)(intptr_t)(bk->nleft + 1);
    bk->left[bk->nleft++] =
        (LeftRow){e != NULL ? e->key : copy_row(m->op.run->arena, row, m->mc.nleft_cols), w, 0,
                  (Value){0, true}, true};
    return 0;
}

static int
add_right(MarkJoinOp *m, Bucket *bk, const Value *row, int64_t w, Err *err)
{
    RowEntry *e;
    int64_t i;

    if (find_row(m, &m->rrows, row, &e, &i, err) < 0)
        return -1;
    if (i >= 0) {
        bk->right_w[i] += w;
        return 0;
    }
    if (e != NULL)
        e->payload = (void *)(intptr_t)(bk->nright + 1);
    if (bk->nright == bk->right_cap) {
        int64_t cap = bk->right_cap ? bk->right_cap * 2 : 4;

        bk->right = grow(m->op.run->arena, bk->right, bk->nright, cap, sizeof(Value *));
        bk->right_w = grow(m->op.run->arena, bk->right_w, bk->nright, cap, sizeof(int64_t));
        bk->right_cap = cap;
    }
    bk->right[bk->nright] = e != NULL ? e->key : copy_row(m->op.run->arena, row, m->mc.nright_cols);
    bk->right_w[bk->nright++] = w;
    return 0;
}

static int
markjoin_push(Operator *op, int port, const Batch *in, Err *err)
{
    MarkJoinOp *m = (MarkJoinOp *)op;

    for (int i = 0; i < in->n; i++) {
        const Value *row = batch_row(in, i);
        Bucket *bk;

        if (markcalc_key(&m->mc, port, row, in->ncols, m->key, err) < 0 ||
            find_bucket(m, &bk, err) < 0)
            return -1;
        if ((port == 0 ? add_left(m, bk, row, in->weights[i], err)
                       : add_right(m, bk, row, in->weights[i], err)) < 0)
            return -1;
        if (port == 1 && m->is_in_key)
            right_changed(m, bk, in->weights[i]);
        else
            mark_dirty(m, bk, port == 1);
    }
    return 0;
}

/*
 * Hashed IN: x IN (y ...) from the bucket of x alone: true when a y equals x; else NULL when x
 * is NULL and there are rows, or x is not NULL and some y is NULL; else false.
 */
static void
in_key_mark(const Bucket *bk, Value *mark)
{
    int64_t found = 0;

    for (int64_t i = 0; !bk->null_key && !bk->null_x && i < bk->nright; i++)
        found += bk->right_w[i];
    mark->d = datum_from_bool(found > 0);
    mark->isnull = false;
    if (bk->null_key || found > 0)
        return;
    mark->isnull = bk->null_x ? bk->group->total > 0 : bk->group->nulls > 0;
}

/* The mark of left row l in bucket bk (stream/markjoin_common.c but for hashed IN). */
static int
compute_mark(MarkJoinOp *m, const Bucket *bk, const LeftRow *l, Value *mark, Err *err)
{
    MarkScan ms;

    if (m->is_in_key) {
        in_key_mark(bk, mark);
        return 0;
    }
    if (markcalc_begin(&m->mc, l->row, &ms, err) < 0)
        return -1;
    for (int64_t i = 0; !bk->null_key && !ms.decided && i < bk->nright; i++) {
        if (bk->right_w[i] > 0 &&
            markcalc_match(&m->mc, &ms, bk->right[i], bk->right_w[i], err) < 0)
            return -1;
    }
    return markcalc_finish(&m->mc, &ms, mark, err);
}

static int
refresh_bucket(MarkJoinOp *m, Bucket *bk, Err *err)
{
    for (int64_t i = 0; i < bk->nleft; i++) {
        LeftRow *l = &bk->left[i];
        Value mark = {0, true};

        if ((l->w == 0 && l->emitted_w == 0) || (!bk->right_dirty && !l->dirty))
            continue;
        l->dirty = false;
        if (!bk->right_dirty && l->emitted_w != 0)
            mark = l->mark; /* only its weight changed */
        else if (l->w != 0 && compute_mark(m, bk, l, &mark, err) < 0)
            return -1;
        if (markcalc_emit_change(&m->mc, l->row, &l->mark, l->emitted_w, &mark, l->w, err) < 0)
            return -1;
        l->emitted_w = l->w;
        l->mark = mark;
    }
    bk->dirty = bk->right_dirty = false;
    return 0;
}

static int
markjoin_flush(Operator *op, Err *err)
{
    MarkJoinOp *m = (MarkJoinOp *)op;

    for (int64_t i = 0; i < m->ndirty; i++) {
        if (refresh_bucket(m, m->dirty[i], err) < 0)
            return -1;
    }
    m->ndirty = 0;
    return 0;
}

static const OpVtbl markjoin_vt = {"markjoin", markjoin_push, markjoin_flush};

static TypeOrder *
column_orders(Arena *a, const PlanNode *p)
{
    TypeOrder *o = arena_calloc(a, (size_t)p->ncols + 1, sizeof(TypeOrder));

    for (int c = 0; c < p->ncols; c++)
        (void)plan_type_order(p->types[c], &o[c]);
    return o;
}

Operator *
op_markjoin_new(StreamRun *run, const DfNode *node)
{
    const PlanNode *p = node->plan;
    MarkJoinOp *m;
    int nkeys = p->u.mark.nkeys;

    if (run->state != NULL) /* state in LMDB: stream/op_markjoin_state.c */
        return op_markjoin_state_new(run, node);
    m = op_alloc(run, sizeof(MarkJoinOp), &markjoin_vt, node, p->ncols);

    markcalc_init(&m->mc, &m->op);
    m->left_orders = column_orders(run->arena, p->input);
    m->right_orders = column_orders(run->arena, p->right);
    rowtable_init(&m->buckets, run->arena, nkeys, p->u.mark.key_orders);
    rowtable_init(&m->lrows, run->arena, m->mc.nleft_cols, m->left_orders);
    rowtable_init(&m->rrows, run->arena, m->mc.nright_cols, m->right_orders);
    m->is_in_key = p->u.mark.is_in_key && p->u.mark.kind == MARK_ANY && nkeys > 0;
    if (m->is_in_key)
        rowtable_init(&m->groups, run->arena, nkeys - 1, p->u.mark.key_orders);
    m->key = arena_calloc(run->arena, (size_t)nkeys + 1, sizeof(Value));
    return &m->op;
}
