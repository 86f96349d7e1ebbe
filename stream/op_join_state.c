/*
 * stream/op_join_state.c — the Join operator (stream/op_join.c) of a run
 * whose operator state lives in LMDB (run->state != NULL, stream/opstate.h):
 * the same symmetric hash join and delta rule, with each side's multiset in
 * a state table instead of the run's arena, so a materialized view's join
 * survives a restart and its memory is a cache with a budget.
 *
 * Tables (stream_state_cache tags "l" and "r", one per side):
 *
 *     key   = be64(hash of the equi-join key values) ‖ be64(hash of the row)
 *     value = entries, each { i64 weight | i64 matches | i64 padded |
 *             u32 row length | u32 0 | rowcodec row | pad to 8 }
 *
 * The join-key hash is op_join.c's bucket hash, computed by the code both
 * share (stream/join_common.c, with the ON condition and the padded rows;
 * a constant without equi keys, so a cross join has one bucket): a change on one side scans the
 * other side's prefix be64(hash) and evaluates the whole ON condition for
 * each candidate there, exactly as op_join.c probes a bucket. Distinct rows
 * of one key share a value only when their 64-bit row hashes collide; an
 * equal row is found by "=" over the entries of its key (op_join.c's row
 * index), so rows are consolidated as in memory.
 *
 * Outer joins keep the per-row match count in the value (not recounted by
 * scan): a probe that matches rows of a preserved other side adds the
 * change's weight to their `matches` and writes the entries back after the
 * scan (a cache refuses writes while its iterator is open). Rows whose
 * padded row may have to change (matches moved between 0 and ≠0, or their
 * weight changed) go into a per-barrier set of dirty keys in run->scratch;
 * flush re-reads each and emits want − padded, want = (matches = 0 ?
 * weight : 0), as op_join.c does for its dirty list, then drops rows of
 * weight 0. Emission order within a barrier may differ from the in-memory
 * path's (keys come in hash order); the changes are the same.
 *
 * Invariants:
 *   1. After a flush, every stored row of a preserved side has padded =
 *      (matches = 0 ? weight : 0), and no stored row has weight 0.
 *   2. Between barriers the operator holds no pointer into run->scratch
 *      (the dirty set is dropped at the end of flush).
 *   3. Values emitted downstream point into run->scratch or into the
 *      pushed batch, never into cache or work-buffer bytes.
 */
#include <string.h>

#include "common/errcodes.h"
#include "sql/rowcodec.h"
#include "stream/join_int.h"
#include "stream/joinstate.h"
#include "stream/opstate.h"

#define KEY_LEN 16
#define ENT_HDR 32

typedef struct Dirty {
    uint8_t side;
    uint8_t key[KEY_LEN];
} Dirty;

/* An entry of a value, read from an aligned copy. */
typedef struct Ent {
    uint8_t *hdr;
    int64_t weight, matches, padded;
    uint32_t len;
    const uint8_t *row;
    size_t end; /* offset after the entry */
} Ent;

/* A value to write back once the scan of its table ended. */
typedef struct Pending {
    uint8_t key[KEY_LEN];
    const uint8_t *val;
    size_t len;
} Pending;

typedef struct PJoinOp {
    Operator op;
    JoinCore jc;       /* keys, sides, join row: stream/join_int.h */
    StateCache *sc[2]; /* per side: "l", "r" */
    Value *tmp;        /* a decoded stored row */
    JsWork work;
    /* per barrier, in run->scratch (NULL between barriers) */
    Dirty *dirty;
    int ndirty, dirty_cap;
    uint32_t *slots; /* dirty index + 1, 0 = empty; dirty_cap * 2 of them */
    Pending *pending;
    int npending, pending_cap;
} PJoinOp;

static int
open_caches(PJoinOp *j, Err *err)
{
    if (j->sc[0] != NULL)
        return 0;
    if (stream_state_cache(j->op.run, j->op.node, "l", &j->sc[0], err) < 0 ||
        stream_state_cache(j->op.run, j->op.node, "r", &j->sc[1], err) < 0)
        return -1;
    return 0;
}

/* Reads the entry at *pos of value base[0..len): 1 with *e, 0 at the end. */
static int
ent_read(uint8_t *base, size_t len, size_t pos, Ent *e, Err *err)
{
    uint32_t n;

    if (pos >= len)
        return 0;
    if (len - pos < ENT_HDR)
        return ERR_RAISE(err, ERRCODE_DATA_CORRUPTED, "malformed join state entry");
    e->hdr = base + pos;
    memcpy(&e->weight, e->hdr, 8);
    memcpy(&e->matches, e->hdr + 8, 8);
    memcpy(&e->padded, e->hdr + 16, 8);
    memcpy(&n, e->hdr + 24, 4);
    if (n > len - pos - ENT_HDR)
        return ERR_RAISE(err, ERRCODE_DATA_CORRUPTED, "malformed join state entry");
    e->len = n;
    e->row = e->hdr + ENT_HDR;
    e->end = pos + ENT_HDR + joinstate_align8(n);
    if (e->end > len)
        e->end = len;
    return 1;
}

static void
ent_header(Buf *b, int64_t weight, int64_t matches, int64_t padded, uint32_t len)
{
    uint8_t hdr[ENT_HDR] = {0};

    memcpy(hdr, &weight, 8);
    memcpy(hdr + 8, &matches, 8);
    memcpy(hdr + 16, &padded, 8);
    memcpy(hdr + 24, &len, 4);
    buf_append(b, hdr, ENT_HDR);
}

static void
ent_append(Buf *b, int64_t weight, int64_t matches, int64_t padded, const uint8_t *row,
           uint32_t len)
{
    ent_header(b, weight, matches, padded, len);
    buf_append(b, row, len);
    joinstate_pad8(b);
}

static int
decode(PJoinOp *j, const JoinSideDesc *side, const Ent *e, Value *out, Err *err)
{
    return rowcodec_decode(e->row, e->len, side->types, side->ncols, j->op.run->scratch, out, err);
}

static int
write_back(StateCache *sc, const uint8_t *key, Buf *b, Err *err)
{
    int rc;

    if (b->failed)
        rc = ERR_RAISE(err, ERRCODE_PROGRAM_LIMIT_EXCEEDED, "join state entry is too big");
    else if (b->len == 0)
        rc = statecache_delete(sc, key, KEY_LEN, err);
    else
        rc = statecache_put(sc, key, KEY_LEN, b->data, b->len, err);
    buf_free(b);
    return rc;
}

/* ---- the per-barrier dirty set --------------------------------------------------------- */

static uint32_t
dirty_hash(int side, const uint8_t *key)
{
    uint64_t a, b;

    memcpy(&a, key, 8);
    memcpy(&b, key + 8, 8);
    a = (a ^ (b * 0x9e3779b97f4a7c15ULL) ^ (uint64_t)side) * 0xff51afd7ed558ccdULL;
    return (uint32_t)(a >> 32);
}

static void
dirty_add(PJoinOp *j, int side, const uint8_t *key)
{
    Arena *a = j->op.run->scratch;
    uint32_t mask, s;

    if (j->ndirty == j->dirty_cap) {
        int cap = j->dirty_cap ? j->dirty_cap * 2 : 64;
        Dirty *d = arena_alloc(a, sizeof(Dirty) * (size_t)cap);

        if (j->ndirty > 0)
            memcpy(d, j->dirty, sizeof(Dirty) * (size_t)j->ndirty);
        j->dirty = d;
        j->dirty_cap = cap;
        j->slots = arena_calloc(a, (size_t)cap * 2, sizeof(uint32_t));
        mask = (uint32_t)cap * 2 - 1;
        for (int i = 0; i < j->ndirty; i++) {
            for (s = dirty_hash(d[i].side, d[i].key) & mask; j->slots[s] != 0; s = (s + 1) & mask)
                ;
            j->slots[s] = (uint32_t)i + 1;
        }
    }
    mask = (uint32_t)j->dirty_cap * 2 - 1;
    for (s = dirty_hash(side, key) & mask; j->slots[s] != 0; s = (s + 1) & mask) {
        const Dirty *d = &j->dirty[j->slots[s] - 1];

        if (d->side == side && memcmp(d->key, key, KEY_LEN) == 0)
            return;
    }
    j->dirty[j->ndirty].side = (uint8_t)side;
    memcpy(j->dirty[j->ndirty].key, key, KEY_LEN);
    j->slots[s] = (uint32_t)++j->ndirty;
}

static void
pending_add(PJoinOp *j, const uint8_t *key, const uint8_t *val, size_t len)
{
    if (j->npending == j->pending_cap) {
        int cap = j->pending_cap ? j->pending_cap * 2 : 16;
        Pending *p = arena_alloc(j->op.run->scratch, sizeof(Pending) * (size_t)cap);

        if (j->npending > 0)
            memcpy(p, j->pending, sizeof(Pending) * (size_t)j->npending);
        j->pending = p;
        j->pending_cap = cap;
    }
    memcpy(j->pending[j->npending].key, key, KEY_LEN);
    j->pending[j->npending].val = val;
    j->pending[j->npending++].len = len;
}

/* ---- the join ---------------------------------------------------------------------------- */

/*
 * The candidates of one value of the other side (base, an aligned copy): emits the pairs,
 * moves preserved rows' match counts (queued for writing back), sums matched weights.
 */
static int
probe_value(PJoinOp *j, int s, const Value *row, int64_t w, const uint8_t *key, uint8_t *base,
            size_t len, int64_t *matched, Err *err)
{
    JoinSideDesc *me = &j->jc.side[s], *other = &j->jc.side[1 - s];
    bool in_scratch = false, changed = false;
    Ent e = {0};
    int rc;

    for (size_t pos = 0; (rc = ent_read(base, len, pos, &e, err)) == 1; pos = e.end) {
        bool holds;

        if (decode(j, other, &e, j->tmp, err) < 0)
            return -1;
        memcpy(j->jc.row + me->offset, row, sizeof(Value) * (size_t)me->ncols);
        memcpy(j->jc.row + other->offset, j->tmp, sizeof(Value) * (size_t)other->ncols);
        if (joincore_pred_holds(&j->jc, &holds, err) < 0)
            return -1;
        if (!holds)
            continue;
        if (!in_scratch && (other->has_byref || other->is_preserved)) {
            /* the pair's values and the updated entry must outlive the work buffer */
            base = arena_memdup(j->op.run->scratch, base, len);
            in_scratch = true;
            if (ent_read(base, len, pos, &e, err) < 0 || decode(j, other, &e, j->tmp, err) < 0)
                return -1;
            memcpy(j->jc.row + other->offset, j->tmp, sizeof(Value) * (size_t)other->ncols);
        }
        if (op_output(&j->op, j->jc.row, w * e.weight, err) < 0)
            return -1;
        *matched += e.weight;
        if (other->is_preserved) {
            int64_t m = e.matches + w;

            memcpy(e.hdr + 8, &m, 8);
            changed = true;
            if ((e.matches == 0) != (m == 0))
                dirty_add(j, 1 - s, key);
        }
    }
    if (rc < 0)
        return -1;
    if (changed)
        pending_add(j, key, base, len);
    return 0;
}

/* Joins one change of side s with the other side's rows of key hash h. */
static int
probe(PJoinOp *j, int s, const Value *row, int64_t w, uint64_t h, int64_t *matched, Err *err)
{
    uint8_t prefix[8];
    StateRange range;
    StateCacheIter *it;
    StateBytes k, v;
    int rc;

    *matched = 0;
    j->npending = 0;
    joinstate_put_u64(prefix, h);
    range = state_range_prefix(prefix, sizeof prefix);
    if (statecache_iter_open(j->sc[1 - s], &range, false, &it, err) < 0)
        return -1;
    while ((rc = statecache_iter_next(it, &k, &v, err)) == 1) {
        uint8_t key[KEY_LEN];
        uint8_t *base;

        if (k.len != KEY_LEN) {
            rc = ERR_RAISE(err, ERRCODE_DATA_CORRUPTED, "malformed join state key");
            break;
        }
        memcpy(key, k.data, KEY_LEN);
        base = joinstate_work(j->op.run->arena, &j->work, v.data, v.len);
        if ((rc = probe_value(j, s, row, w, key, base, v.len, matched, err)) < 0)
            break;
    }
    statecache_iter_close(it);
    if (rc < 0)
        return -1;
    for (int i = 0; i < j->npending; i++) {
        if (statecache_put(j->sc[1 - s], j->pending[i].key, KEY_LEN, j->pending[i].val,
                           j->pending[i].len, err) < 0)
            return -1;
    }
    j->npending = 0;
    return 0;
}

/* Adds (row, w) to side s under key hash h, consolidating with an equal stored row. */
static int
keep(PJoinOp *j, int s, const Value *row, int64_t w, int64_t matched, uint64_t h, Err *err)
{
    JoinSideDesc *side = &j->jc.side[s];
    uint8_t key[KEY_LEN];
    StateBytes v;
    Buf out;
    bool found = false;
    int rc;

    joinstate_put_u64(key, h);
    joinstate_put_u64(key + 8, joinstate_row_hash(side->orders, side->ncols, row));
    if ((rc = statecache_get(j->sc[s], key, KEY_LEN, &v, err)) < 0)
        return -1;
    buf_init(&out, BUF_DEFAULT_MAX);
    if (rc == 1) {
        uint8_t *base = joinstate_work(j->op.run->arena, &j->work, v.data, v.len);
        Ent e = {0};

        for (size_t pos = 0; (rc = ent_read(base, v.len, pos, &e, err)) == 1; pos = e.end) {
            bool equal = false;

            if (!found && (decode(j, side, &e, j->tmp, err) < 0 ||
                           stream_rows_equal(side->orders, side->ncols, &j->op.run->ctx, j->tmp,
                                             row, &equal, err) < 0)) {
                rc = -1;
                break;
            }
            if (equal) {
                found = true;
                e.weight += w;
                e.matches = matched;
                if (side->is_preserved)
                    dirty_add(j, s, key); /* its padded row follows; flush drops it at 0 */
                else if (e.weight == 0)
                    continue;
            }
            ent_append(&out, e.weight, e.matches, e.padded, e.row, e.len);
        }
        if (rc < 0) {
            buf_free(&out);
            return -1;
        }
    }
    if (!found) {
        size_t at = out.len;
        uint32_t n;

        ent_header(&out, w, matched, 0, 0);
        if (rowcodec_encode(side->types, side->ncols, row, &out, err) < 0) {
            buf_free(&out);
            return -1;
        }
        n = (uint32_t)(out.len - at - ENT_HDR);
        if (!out.failed)
            memcpy(out.data + at + 24, &n, 4);
        joinstate_pad8(&out);
        if (side->is_preserved)
            dirty_add(j, s, key);
    }
    return write_back(j->sc[s], key, &out, err);
}

static int
join_change(PJoinOp *j, int s, const Value *row, int64_t w, Err *err)
{
    bool has_key;
    uint64_t h;
    int64_t matched;

    /* a NULL key matches nothing, ever: its padded row, if any, is out */
    if (joincore_change_key(&j->jc, s, row, w, &has_key, &h, err) < 0 ||
        (has_key &&
         (probe(j, s, row, w, h, &matched, err) < 0 || keep(j, s, row, w, matched, h, err) < 0)))
        return -1;
    return 0;
}

static int
join_push(Operator *op, int port, const Batch *in, Err *err)
{
    PJoinOp *j = (PJoinOp *)op;

    if (open_caches(j, err) < 0)
        return -1;
    for (int i = 0; i < in->n; i++) {
        if (in->weights[i] != 0 && join_change(j, port, batch_row(in, i), in->weights[i], err) < 0)
            return -1;
    }
    return 0;
}

/* One dirty key: its rows' padded rows brought up to date, rows of weight 0 dropped. */
static int
flush_key(PJoinOp *j, const Dirty *d, Err *err)
{
    JoinSideDesc *side = &j->jc.side[d->side];
    StateBytes v;
    uint8_t *base;
    Buf out;
    Ent e = {0};
    int rc;

    if ((rc = statecache_get(j->sc[d->side], d->key, KEY_LEN, &v, err)) <= 0)
        return rc;
    /* in scratch: the padded rows emitted point into it */
    base = arena_memdup(j->op.run->scratch, v.data, v.len);
    buf_init(&out, BUF_DEFAULT_MAX);
    for (size_t pos = 0; (rc = ent_read(base, v.len, pos, &e, err)) == 1; pos = e.end) {
        int64_t want = e.matches == 0 ? e.weight : 0;

        if (want != e.padded) {
            Value *vals =
                arena_alloc(j->op.run->scratch, sizeof(Value) * (size_t)(side->ncols + 1));

            if (decode(j, side, &e, vals, err) < 0 ||
                joincore_emit_padded(&j->jc, d->side, vals, want - e.padded, err) < 0) {
                rc = -1;
                break;
            }
        }
        if (e.weight != 0)
            ent_append(&out, e.weight, e.matches, want, e.row, e.len);
    }
    if (rc < 0) {
        buf_free(&out);
        return -1;
    }
    return write_back(j->sc[d->side], d->key, &out, err);
}

static int
join_flush(Operator *op, Err *err)
{
    PJoinOp *j = (PJoinOp *)op;
    int rc = 0;

    if (open_caches(j, err) < 0)
        return -1;
    for (int i = 0; i < j->ndirty && rc == 0; i++)
        rc = flush_key(j, &j->dirty[i], err);
    /* invariant 2; after an error the run is discarded */
    j->dirty = NULL;
    j->slots = NULL;
    j->ndirty = j->dirty_cap = 0;
    j->pending = NULL;
    j->npending = j->pending_cap = 0;
    return rc;
}

static const OpVtbl join_state_vt = {"join", join_push, join_flush, true};

Operator *
op_join_state_new(StreamRun *run, const DfNode *node)
{
    const PlanNode *p = node->plan;
    PJoinOp *j = op_alloc(run, sizeof(PJoinOp), &join_state_vt, node, p->ncols);
    int wide = 1;

    joincore_init(&j->jc, &j->op);
    for (int s = 0; s < 2; s++)
        wide = j->jc.side[s].ncols > wide ? j->jc.side[s].ncols : wide;
    j->tmp = arena_calloc(run->arena, (size_t)wide + 1, sizeof(Value));
    return &j->op;
}
