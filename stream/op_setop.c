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
 * compare rows), payload = the counts; in a persistent run (stream/opstate.h)
 * a state table instead, see "Persistent state" below.
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

#include "sql/keycodec.h"
#include "stream/opkey.h"
#include "stream/opstate.h"
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
    /* persistent mode (run->state): see "Persistent state" below */
    bool persist; /* run->state and every column has a key encoding */
    StateCache *sc;
    KeySpec spec;
    ByteMap touched; /* this barrier's rows (scratch), by key */
    bool started;
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

/* ---- Persistent state (run->state != NULL) --------------------------------------------
 *
 * Table "c": key = OPKEY_TAG then every column (canonical, so rows equal under "=" share a
 * key); value = l, r and the row's representative spelling (stream/opkey.h). An entry exists
 * while l or r is not 0, so the multiplicity emitted so far is multiplicity(l, r) of the
 * committed entry (invariant 1): nothing else is stored. A barrier reads each row it touches
 * once, into a per-barrier map in scratch (first-touch order, as dirty), and the flush emits
 * new − old multiplicity and writes the counts back.
 */

typedef struct Touched {
    int64_t l0, r0; /* committed counts */
    SetCounts c;    /* counts now (l, r) */
    Value *row;     /* representative (scratch) */
} Touched;

static int
setop_push_state(SetOpOp *s, int port, const Batch *in, Err *err)
{
    StreamRun *run = s->op.run;
    const Oid *types = s->op.node->plan->types;
    int ncols = s->op.ncols;
    Buf key;
    int rc = 0;

    if (in->n == 0)
        return 0;
    if (s->sc == NULL && stream_state_cache(run, s->op.node, "c", &s->sc, err) < 0)
        return -1;
    if (!s->started) {
        bytemap_init(&s->touched, run->scratch);
        s->started = true;
    }
    buf_init(&key, 0);
    for (int i = 0; rc == 0 && i < in->n; i++) {
        const Value *row = batch_row(in, i);
        BmEntry *e;
        Touched *t;
        bool created;

        buf_reset(&key);
        buf_put_u8(&key, OPKEY_TAG);
        if (keycodec_encode(&s->spec, row, &key, NULL, err) < 0 ||
            opkey_fit(&key, NULL, NULL, err) < 0) {
            rc = -1;
            break;
        }
        e = bytemap_get(&s->touched, key.data, key.len, true, &created);
        if (created) {
            StateBytes cur;
            int64_t counts[2] = {0, 0};
            int found;

            t = arena_calloc(run->scratch, 1, sizeof *t);
            t->row = arena_alloc(run->scratch, sizeof(Value) * (size_t)(ncols + 1));
            e->payload = t;
            if ((found = statecache_get(s->sc, key.data, key.len, &cur, err)) < 0 ||
                (found && opkey_read(cur.data, cur.len, counts, 2, types, ncols, run->scratch,
                                     t->row, err) < 0)) {
                rc = -1;
                break;
            }
            if (!found && ncols > 0)
                memcpy(t->row, row, sizeof(Value) * (size_t)ncols);
            t->l0 = t->c.l = counts[0];
            t->r0 = t->c.r = counts[1];
        }
        t = e->payload;
        if (port == 0)
            t->c.l += in->weights[i];
        else
            t->c.r += in->weights[i];
    }
    buf_free(&key);
    return rc;
}

static int
setop_flush_state(SetOpOp *s, Err *err)
{
    const Oid *types = s->op.node->plan->types;
    Buf val;
    int rc = 0;

    if (!s->started)
        return 0;
    s->started = false;
    buf_init(&val, 0);
    for (uint32_t i = 0; rc == 0 && i < s->touched.n; i++) {
        BmEntry *e = s->touched.entries[i];
        Touched *t = e->payload;
        SetCounts old = {t->l0, t->r0, 0, false};
        int64_t before = multiplicity(s, &old), now = multiplicity(s, &t->c);
        int64_t counts[2] = {t->c.l, t->c.r};

        if (now != before && op_output(&s->op, t->row, now - before, err) < 0) {
            rc = -1;
            break;
        }
        if (t->c.l == t->l0 && t->c.r == t->r0)
            continue;
        buf_reset(&val);
        if (t->c.l == 0 && t->c.r == 0)
            rc = statecache_delete(s->sc, e->key, e->len, err);
        else if (opkey_value(&val, counts, 2, types, s->op.ncols, t->row, err) < 0)
            rc = -1;
        else
            rc = statecache_put(s->sc, e->key, e->len, val.data, val.len, err);
    }
    buf_free(&val);
    memset(&s->touched, 0, sizeof s->touched); /* scratch: invariant 2 of stream/opstate.h */
    return rc;
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
    if (s->persist)
        return setop_push_state(s, port, in, err);
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

    if (s->persist)
        return setop_flush_state(s, err);
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

static const OpVtbl setop_vt = {"setop", setop_push, setop_flush, true};
/* With state but a column type that has no key encoding: the job keeps its state in memory. */
static const OpVtbl setop_mem_vt = {"setop", setop_push, setop_flush, false};

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
        if (run->state != NULL) { /* every column ascending: any fixed order would do */
            KeyColumn *cols = arena_calloc(run->arena, (size_t)p->ncols + 1, sizeof(KeyColumn));

            s->persist = true;
            for (int c = 0; c < p->ncols; c++) {
                cols[c] = (KeyColumn){p->types[c], false, false};
                s->persist = s->persist && keycodec_type_supported(p->types[c]);
            }
            s->spec = (KeySpec){cols, p->ncols, false};
            if (!s->persist)
                s->op.vt = &setop_mem_vt;
        }
    }
    return &s->op;
}
