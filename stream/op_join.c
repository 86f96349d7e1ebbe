/*
 * stream/op_join.c — the Join operator: inner joins (comma lists, CROSS
 * JOIN, [INNER] JOIN ... ON/USING/NATURAL) and LEFT, RIGHT and FULL outer
 * joins, maintained incrementally as a symmetric hash join.
 *
 * Delta rule (bilinear): Δ(L ⋈ R) = ΔL ⋈ R + L' ⋈ ΔR, where L' = L + ΔL.
 * Applied one change at a time: a change on one side probes the other
 * side's state and is then added to its own side's state, so changes on
 * both sides within an epoch are counted exactly once. Output weight =
 * left weight × right weight.
 *
 * State per side: buckets keyed by the hash of the row's equi-join key
 * values (planner/join_keys.c; no key: one bucket), each holding the
 * distinct rows with that hash as (row, weight, matches). A change probes
 * only the other side's bucket of its hash and evaluates the whole ON
 * condition for each candidate there (the residual conjuncts and hash
 * collisions are decided by it). A row with a NULL key matches nothing
 * (SQL "=") and is not kept.
 *
 * Outer joins: `matches` of a kept row is the sum of the weights of the
 * other side's rows the ON condition holds for. The output of a preserved
 * side's row r is its pairs plus, while matches(r) = 0, the NULL-padded
 * row with r's weight. Pairs are emitted as changes arrive; padded rows at
 * the barrier: each kept row remembers the weight of its padded row in the
 * output (`padded`), a change that may move it (its weight, or its matches
 * between 0 and ≠0) puts the row on the dirty list, and flush emits
 * want − padded for each dirty row, want = (matches = 0 ? weight : 0). So a
 * left row and its first match arriving in one epoch emit only their pair,
 * and a one-shot run never retracts.
 *
 *     matches:   0 ──(match inserted)──▶ >0 ──(last match deleted)──▶ 0
 *     padded:  +w   (at the barrier)    −w                            +w
 *
 * Invariants:
 *   1. Output rows are the left row's columns then the right row's; the
 *      missing side of a padded row is all NULL.
 *   2. Outside a barrier's flush, a kept row of weight 0 is on the dirty
 *      list (a preserved side's row waiting for its padded row to be
 *      retracted); flush removes it. Its slot is reused by a later row.
 *   3. After flush, every kept row of a preserved side has padded =
 *      (matches = 0 ? weight : 0) and the dirty list is empty.
 *   4. Key values are hashed with plan_hash_value(), which agrees with "="
 *      (sql/plan.c invariant 2), so a matching pair always shares a bucket.
 *
 * This file is the in-memory path (run->state == NULL): state in the run's
 * arena; the slot of a deleted row is reused, but a bucket whose rows are
 * all gone stays (empty) until the run ends. A run with persistent state
 * (stream/opstate.h) gets stream/op_join_state.c's operator instead. Both
 * share stream/join_common.c (stream/join_int.h): the sides' shapes, the
 * bucket hash of a change's key, the ON condition and the padded rows.
 */
#include <string.h>

#include "stream/join_int.h"
#include "stream/joinstate.h"
#include "stream/stream_int.h"

typedef struct JoinRow JoinRow;

typedef struct Bucket Bucket;

struct JoinRow {
    JoinRow *next_free;
    Bucket *bucket;
    RowEntry *ix; /* its entry in Side.index (payload: this row while it is kept) */
    int64_t weight;
    int64_t matches; /* Σ weights of the other side's rows the ON condition holds for */
    int64_t padded;  /* weight of its NULL-padded row in the output so far */
    int side;
    bool is_dirty;
    Value vals[]; /* the side's ncols */
};

struct Bucket {
    int n, cap;
    JoinRow **rows;
};

typedef struct Side {
    const JoinSideDesc *d; /* its shape, in JoinCore */
    RowTable buckets;      /* key: the key hash as one int8 Value; payload: Bucket */
    RowTable index;    /* key: the whole row; payload: its JoinRow, NULL when not kept */
    JoinRow *free;
} Side;

typedef struct JoinOp {
    Operator op;
    JoinCore jc; /* keys, sides, join row: stream/join_int.h */
    Side side[2];
    TypeOrder hash_order; /* int8, for the bucket table */
    int ndirty, dirty_cap;
    JoinRow **dirty; /* kept rows whose padded row may have to change at the barrier */
} JoinOp;

static int
find_bucket(JoinOp *j, Side *side, uint64_t h, bool create, Bucket **out, Err *err)
{
    Value key = {.d = (Datum)h, .isnull = false};
    RowEntry *e;
    bool created;

    if (rowtable_lookup(&side->buckets, &j->op.run->ctx, &key, create, &e, &created, err) < 0)
        return -1;
    if (e != NULL && e->payload == NULL)
        e->payload = arena_calloc(j->op.run->arena, 1, sizeof(Bucket));
    *out = e != NULL ? e->payload : NULL;
    return 0;
}

static void
mark_dirty(JoinOp *j, JoinRow *r)
{
    if (r->is_dirty)
        return;
    if (j->ndirty == j->dirty_cap) {
        int cap = j->dirty_cap ? j->dirty_cap * 2 : 64;
        JoinRow **dirty = arena_alloc(j->op.run->arena, sizeof(JoinRow *) * (size_t)cap);

        if (j->ndirty > 0)
            memcpy(dirty, j->dirty, sizeof(JoinRow *) * (size_t)j->ndirty);
        j->dirty = dirty;
        j->dirty_cap = cap;
    }
    j->dirty[j->ndirty++] = r;
    r->is_dirty = true;
}

/*
 * Joins one change (row, w) of side s with the other side's bucket: emits
 * the pairs, moves the other side's match counts, and sums the weights of
 * the rows matched into *matched.
 */
static int
probe(JoinOp *j, int s, const Value *row, int64_t w, Bucket *b, int64_t *matched, Err *err)
{
    Side *me = &j->side[s], *other = &j->side[1 - s];

    *matched = 0;
    for (int i = 0; b != NULL && i < b->n; i++) {
        JoinRow *r = b->rows[i];
        bool holds;

        memcpy(j->jc.row + me->d->offset, row, sizeof(Value) * (size_t)me->d->ncols);
        memcpy(j->jc.row + other->d->offset, r->vals, sizeof(Value) * (size_t)other->d->ncols);
        if (joincore_pred_holds(&j->jc, &holds, err) < 0)
            return -1;
        if (!holds)
            continue;
        if (op_output(&j->op, j->jc.row, w * r->weight, err) < 0)
            return -1;
        *matched += r->weight;
        if (other->d->is_preserved) {
            int64_t before = r->matches;

            r->matches += w;
            if ((before == 0) != (r->matches == 0))
                mark_dirty(j, r);
        }
    }
    return 0;
}

static JoinRow *
new_row(JoinOp *j, Side *side)
{
    JoinRow *r = side->free;

    if (r != NULL)
        side->free = r->next_free;
    else
        r = arena_alloc(j->op.run->arena,
                        sizeof(JoinRow) +
                            sizeof(Value) * (size_t)(side->d->ncols ? side->d->ncols : 1));
    r->next_free = NULL;
    r->padded = 0;
    r->is_dirty = false;
    return r;
}

/* Takes r (weight 0) out of its bucket, keeping arrival order, and frees its slot. */
static void
drop_row(Side *side, JoinRow *r)
{
    Bucket *b = r->bucket;

    for (int i = 0; i < b->n; i++) {
        if (b->rows[i] == r) {
            memmove(&b->rows[i], &b->rows[i + 1], sizeof(JoinRow *) * (size_t)(b->n - i - 1));
            b->n--;
            break;
        }
    }
    r->ix->payload = NULL;
    r->next_free = side->free;
    side->free = r;
}

/*
 * Adds (row, w) to side s's bucket b, consolidating with an equal kept row (found through the
 * side's row index, not by scanning the bucket: a bucket may hold many rows of one key).
 */
static int
keep(JoinOp *j, int s, const Value *row, int64_t w, int64_t matched, Bucket *b, Err *err)
{
    Side *side = &j->side[s];
    RowEntry *e;
    JoinRow *r;
    bool created;

    if (rowtable_lookup(&side->index, &j->op.run->ctx, row, true, &e, &created, err) < 0)
        return -1;
    if ((r = e->payload) != NULL) {
        r->weight += w;
        r->matches = matched;
        if (side->d->is_preserved)
            mark_dirty(j, r); /* its padded row follows its weight; flush drops it at 0 */
        else if (r->weight == 0)
            drop_row(side, r);
        return 0;
    }
    if (b->n == b->cap) {
        int cap = b->cap ? b->cap * 2 : 4;
        JoinRow **rows = arena_alloc(j->op.run->arena, sizeof(JoinRow *) * (size_t)cap);

        if (b->n > 0)
            memcpy(rows, b->rows, sizeof(JoinRow *) * (size_t)b->n);
        b->rows = rows;
        b->cap = cap;
    }
    r = new_row(j, side);
    r->bucket = b;
    r->ix = e;
    r->side = s;
    r->weight = w;
    r->matches = matched;
    if (side->d->ncols > 0)
        memcpy(r->vals, row, sizeof(Value) * (size_t)side->d->ncols);
    b->rows[b->n++] = r;
    e->payload = r;
    if (side->d->is_preserved)
        mark_dirty(j, r);
    return 0;
}

static int
join_change(JoinOp *j, int s, const Value *row, int64_t w, Err *err)
{
    Side *side = &j->side[s];
    Bucket *mine, *theirs;
    bool has_key;
    uint64_t h;
    int64_t matched;

    if (joincore_change_key(&j->jc, s, row, w, &has_key, &h, err) < 0)
        return -1;
    if (!has_key) /* matches nothing, ever: its padded row, if any, is out */
        return 0;
    if (find_bucket(j, &j->side[1 - s], h, false, &theirs, err) < 0 ||
        probe(j, s, row, w, theirs, &matched, err) < 0 ||
        find_bucket(j, side, h, true, &mine, err) < 0 || keep(j, s, row, w, matched, mine, err) < 0)
        return -1;
    return 0;
}

static int
join_push(Operator *op, int port, const Batch *in, Err *err)
{
    JoinOp *j = (JoinOp *)op;

    for (int i = 0; i < in->n; i++) {
        if (in->weights[i] != 0 && join_change(j, port, batch_row(in, i), in->weights[i], err) < 0)
            return -1;
    }
    return 0;
}

/* Barrier: the padded rows of the dirty kept rows brought up to date (invariant 3). */
static int
join_flush(Operator *op, Err *err)
{
    JoinOp *j = (JoinOp *)op;

    for (int i = 0; i < j->ndirty; i++) {
        JoinRow *r = j->dirty[i];
        int64_t want = r->matches == 0 ? r->weight : 0;

        r->is_dirty = false;
        if (want != r->padded &&
            joincore_emit_padded(&j->jc, r->side, r->vals, want - r->padded, err) < 0)
            return -1;
        r->padded = want;
        if (r->weight == 0)
            drop_row(&j->side[r->side], r);
    }
    j->ndirty = 0;
    return 0;
}

static const OpVtbl join_vt = {"join", join_push, join_flush};

Operator *
op_join_new(StreamRun *run, const DfNode *node)
{
    const PlanNode *p = node->plan;
    JoinOp *j;

    if (run->state != NULL) /* state in LMDB: stream/op_join_state.c */
        return op_join_state_new(run, node);
    j = op_alloc(run, sizeof(JoinOp), &join_vt, node, p->ncols);

    joincore_init(&j->jc, &j->op);
    (void)plan_type_order(TYPE_INT8, &j->hash_order);
    for (int s = 0; s < 2; s++) {
        Side *side = &j->side[s];

        side->d = &j->jc.side[s];
        rowtable_init(&side->buckets, run->arena, 1, &j->hash_order);
        rowtable_init(&side->index, run->arena, side->d->ncols, side->d->orders);
    }
    return &j->op;
}
