/*
 * stream/op_setop.c — UNION, INTERSECT and EXCEPT, with or without ALL, of
 * two inputs of the same column types (the binder coerces both sides).
 *
 * Delta rule. UNION ALL is linear: both inputs pass through unchanged. The
 * others are not, so the operator keeps, per distinct row, its multiplicity
 * in the left input (l) and in the right input (r), and derives the row's
 * output multiplicity from them:
 *
 *     UNION          l + r > 0 ? 1 : 0
 *     INTERSECT      min(l, r) > 0 ? 1 : 0
 *     INTERSECT ALL  min(l, r)
 *     EXCEPT         l > 0 && r == 0 ? 1 : 0
 *     EXCEPT ALL     max(l - r, 0)
 *
 * A push only updates the counts and remembers the rows it touched (dirty),
 * with the multiplicity they had at the last barrier; the flush emits, for
 * each dirty row, new multiplicity − old multiplicity (when not 0). So a
 * row inserted and deleted within one epoch emits nothing, and a delete
 * that leaves a duplicate behind emits nothing for UNION.
 *
 * State: a RowTable keyed on all columns (NULL = NULL, as set operations
 * compare rows), payload = the counts; in memory for now, like op_join.
 *
 * Invariants:
 *   1. After a flush, the sum of the weights emitted for a row equals its
 *      output multiplicity over the inputs seen so far (counts clamped at 0,
 *      so a transiently negative count within an epoch cannot go below).
 *   2. Dirty rows are emitted in the order they were first touched in the
 *      epoch; for UNION ALL the left input's rows come out first in a
 *      one-shot run, as PostgreSQL's Append produces them.
 */
#include <string.h>

#include "stream/stream_int.h"

typedef struct SetCounts {
    int64_t l, r;  /* multiplicity in the left / right input */
    int64_t old;   /* output multiplicity at the last barrier */
    bool is_dirty; /* on the dirty list */
} SetCounts;

typedef struct SetOpOp {
    Operator op;
    PlanSetOpKind kind;
    bool all;
    RowTable rows;
    int64_t ndirty, dirty_cap;
    RowEntry **dirty;
} SetOpOp;

static int64_t
multiplicity(const SetOpOp *s, const SetCounts *c)
{
    int64_t l = c->l > 0 ? c->l : 0, r = c->r > 0 ? c->r : 0;

    switch (s->kind) {
    case PLAN_SETOP_UNION:
        return s->all ? l + r : (l + r > 0 ? 1 : 0);
    case PLAN_SETOP_INTERSECT: {
        int64_t m = l < r ? l : r;

        return s->all ? m : (m > 0 ? 1 : 0);
    }
    case PLAN_SETOP_EXCEPT:
        return s->all ? (l > r ? l - r : 0) : (l > 0 && r == 0 ? 1 : 0);
    }
    return 0;
}

static void
mark_dirty(SetOpOp *s, RowEntry *e, SetCounts *c)
{
    if (c->is_dirty)
        return;
    if (s->ndirty == s->dirty_cap) {
        int64_t cap = s->dirty_cap ? s->dirty_cap * 2 : 256;
        RowEntry **d = arena_alloc(s->op.run->arena, sizeof(RowEntry *) * (size_t)cap);

        if (s->ndirty > 0)
            memcpy(d, s->dirty, sizeof(RowEntry *) * (size_t)s->ndirty);
        s->dirty = d;
        s->dirty_cap = cap;
    }
    c->is_dirty = true;
    s->dirty[s->ndirty++] = e;
}

static int
setop_push(Operator *op, int port, const Batch *in, Err *err)
{
    SetOpOp *s = (SetOpOp *)op;

    if (s->kind == PLAN_SETOP_UNION && s->all) { /* linear: pass through */
        for (int i = 0; i < in->n; i++) {
            if (op_output(op, batch_row(in, i), in->weights[i], err) < 0)
                return -1;
        }
        return 0;
    }
    for (int i = 0; i < in->n; i++) {
        RowEntry *e;
        SetCounts *c;
        bool created;

        if (rowtable_lookup(&s->rows, &op->run->ctx, batch_row(in, i), true, &e, &created, err) < 0)
            return -1;
        if (e->payload == NULL)
            e->payload = arena_calloc(op->run->arena, 1, sizeof(SetCounts));
        c = e->payload;
        mark_dirty(s, e, c);
        if (port == 0)
            c->l += in->weights[i];
        else
            c->r += in->weights[i];
    }
    return 0;
}

static int
setop_flush(Operator *op, Err *err)
{
    SetOpOp *s = (SetOpOp *)op;

    for (int64_t i = 0; i < s->ndirty; i++) {
        RowEntry *e = s->dirty[i];
        SetCounts *c = e->payload;
        int64_t now = multiplicity(s, c);

        c->is_dirty = false;
        if (now != c->old && op_output(op, e->key, now - c->old, err) < 0)
            return -1;
        c->old = now;
    }
    s->ndirty = 0;
    return 0;
}

static const OpVtbl setop_vt = {"setop", setop_push, setop_flush};

Operator *
op_setop_new(StreamRun *run, const DfNode *node)
{
    const PlanNode *p = node->plan;
    SetOpOp *s = op_alloc(run, sizeof(SetOpOp), &setop_vt, node, p->ncols);

    s->kind = p->u.setop.op;
    s->all = p->u.setop.all;
    if (!(s->kind == PLAN_SETOP_UNION && s->all)) {
        TypeOrder *orders = p->u.setop.orders;

        if (orders == NULL) { /* a plan built by hand: look the orderings up */
            orders = arena_calloc(run->arena, (size_t)p->ncols + 1, sizeof(TypeOrder));
            for (int c = 0; c < p->ncols; c++)
                (void)plan_type_order(p->types[c], &orders[c]);
        }
        rowtable_init(&s->rows, run->arena, p->ncols, orders);
    }
    return &s->op;
}
