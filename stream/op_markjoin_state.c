/*
 * stream/op_markjoin_state.c — the mark join (stream/op_markjoin.c: EXISTS,
 * IN / op ANY / ALL, scalar and correlated aggregate subqueries) of a run
 * whose operator state lives in LMDB (run->state != NULL, stream/opstate.h).
 * Same marks, same delta rule (a push marks its bucket dirty; the barrier
 * recomputes the marks of the dirty buckets' left rows and emits −old/+new
 * where they changed): the marks and their emission are the in-memory
 * operator's own code, stream/markjoin_common.c (stream/markjoin_int.h);
 * this file keeps the buckets in state tables:
 *
 *   "l"  key = be64(hc) ‖ be64(hx) ‖ be64(hash of the left row)
 *        value = entries { i64 weight | i64 emitted weight | u32 row length |
 *                u32 mark length | u32 dirty | u32 0 | row | pad | mark | pad }
 *        (the mark last emitted as a one-column rowcodec row)
 *   "r"  key = be64(hc) ‖ be64(hx) ‖ be64(hash of the right row)
 *        value = entries { i64 weight | u32 row length | u32 0 | row | pad }
 *   "g"  (hashed IN only) key = be64(hc)
 *        value = entries { i64 total | i64 nulls | u32 key length | u32 0 |
 *                correlation key values as a rowcodec row | pad }
 *
 * hc hashes the correlation keys (every equality key, or all but the last
 * for hashed IN), hx the IN value (0 otherwise), with plan_hash_value(),
 * so a bucket is the prefix hc ‖ hx and a hashed-IN group the prefix hc.
 * Rows of other buckets whose hashes collide are told apart by comparing
 * key values with the keys' "=" (NULL equal to NULL, as the in-memory
 * RowTable does); a left row's key is recomputed from the row.
 *
 * Per barrier (run->scratch): the set of dirty buckets (key values, and
 * whether the right side changed) and of dirty hashed-IN groups (whose
 * emptiness or NULL-ness flipped: all their buckets). Between barriers
 * nothing but the cache pointers. A left entry's `dirty` flag (its weight
 * changed) is set by a push and cleared by the barrier that refreshes its
 * bucket, in the same epoch.
 *
 * Differences from the in-memory path, none in the output multiset: right
 * rows are visited in hash order, not arrival order, so ORDER BY ... LIMIT 1
 * ties (take_first) and order-sensitive aggregates without ORDER BY may
 * pick another of the equally valid answers; rows of weight 0 are dropped
 * instead of kept.
 *
 * Invariants:
 *   1. After a flush, every stored left row has dirty = 0 and its emitted
 *      weight and mark are those of its output; rows with weight and
 *      emitted weight 0, and right rows of weight 0, are not stored.
 *   2. A group's total and nulls are the sums of its right rows' weights
 *      (those with a NULL IN value for nulls).
 *   3. Values emitted downstream point into run->scratch or the pushed
 *      batch, never into cache or work-buffer bytes.
 */
#include <stdint.h>
#include <string.h>

#include "common/errcodes.h"
#include "sql/rowcodec.h"
#include "stream/joinstate.h"
#include "stream/markjoin_int.h"
#include "stream/opstate.h"

#define KEY_LEN 24
#define LHDR 32
#define RHDR 16
#define GHDR 24

/* A dirty bucket (is_group false) or hashed-IN group, in run->scratch for one barrier. */
typedef struct MDirty {
    uint64_t hc, hx;
    bool is_group;
    bool right_dirty;
    Value *key; /* nkeys values (a group: its ncorr) */
} MDirty;

/* A left entry as read from an aligned copy. */
typedef struct LEnt {
    uint8_t *hdr;
    int64_t w, emitted_w;
    uint32_t row_len, mark_len, dirty;
    const uint8_t *row, *mark;
    size_t end;
} LEnt;

typedef struct PMarkOp {
    Operator op;
    MarkCalc mc; /* marks and their emission, stream/markjoin_int.h */
    int nkeys, ncorr;
    TypeOrder *left_orders, *right_orders;
    Oid *left_types, *right_types, *corr_types;
    Oid mark_type;
    bool is_in_key;
    bool right_byref;
    StateCache *lc, *rc, *gc;
    Value *key;  /* one key */
    Value *lkey; /* a stored left row's key */
    Value *rkey; /* a right row's key */
    Value *tmp;  /* a decoded right row */
    JsWork work;
    /* per barrier, in run->scratch (NULL between barriers) */
    MDirty *dirty;
    int ndirty, dirty_cap;
    uint32_t *slots;
} PMarkOp;

static int
open_caches(PMarkOp *m, Err *err)
{
    if (m->lc != NULL)
        return 0;
    if (stream_state_cache(m->op.run, m->op.node, "l", &m->lc, err) < 0 ||
        stream_state_cache(m->op.run, m->op.node, "r", &m->rc, err) < 0 ||
        (m->is_in_key && stream_state_cache(m->op.run, m->op.node, "g", &m->gc, err) < 0))
        return -1;
    return 0;
}

static int
corrupt(Err *err)
{
    return ERR_RAISE(err, ERRCODE_DATA_CORRUPTED, "malformed mark join state entry");
}

static int
write_back(StateCache *sc, const uint8_t *key, size_t key_len, Buf *b, Err *err)
{
    int rc;

    if (b->failed)
        rc = ERR_RAISE(err, ERRCODE_PROGRAM_LIMIT_EXCEEDED, "mark join state entry is too big");
    else if (b->len == 0)
        rc = statecache_delete(sc, key, key_len, err);
    else
        rc = statecache_put(sc, key, key_len, b->data, b->len, err);
    buf_free(b);
    return rc;
}

/* Appends a rowcodec row, its length patched into the u32 at b->data[len_at]. */
static int
append_row(Buf *b, size_t len_at, const Oid *types, int n, const Value *vals, Err *err)
{
    size_t at = b->len;
    uint32_t len;

    if (rowcodec_encode(types, n, vals, b, err) < 0)
        return -1;
    len = (uint32_t)(b->len - at);
    if (!b->failed)
        memcpy(b->data + len_at, &len, 4);
    joinstate_pad8(b);
    return 0;
}

static void
put_u32_at(uint8_t *p, uint32_t v)
{
    memcpy(p, &v, 4);
}

/* ---- entries ------------------------------------------------------------------------------ */

static int
lent_read(uint8_t *base, size_t len, size_t pos, LEnt *e, Err *err)
{
    size_t need;

    if (pos >= len)
        return 0;
    if (len - pos < LHDR)
        return corrupt(err);
    e->hdr = base + pos;
    memcpy(&e->w, e->hdr, 8);
    memcpy(&e->emitted_w, e->hdr + 8, 8);
    memcpy(&e->row_len, e->hdr + 16, 4);
    memcpy(&e->mark_len, e->hdr + 20, 4);
    memcpy(&e->dirty, e->hdr + 24, 4);
    need = LHDR + joinstate_align8(e->row_len) + joinstate_align8(e->mark_len);
    if (e->row_len > len || e->mark_len > len || need > len - pos)
        return corrupt(err);
    e->row = e->hdr + LHDR;
    e->mark = e->row + joinstate_align8(e->row_len);
    e->end = pos + need;
    return 1;
}

/* Left entry: header, then the row (bytes or values), then the mark. */
static int
lent_append(PMarkOp *m, Buf *b, int64_t w, int64_t emitted_w, uint32_t dirty, const LEnt *old,
            const Value *row, const Value *mark, Err *err)
{
    uint8_t hdr[LHDR] = {0};
    size_t at = b->len;

    memcpy(hdr, &w, 8);
    memcpy(hdr + 8, &emitted_w, 8);
    memcpy(hdr + 24, &dirty, 4);
    buf_append(b, hdr, LHDR);
    if (old != NULL && row == NULL) {
        if (!b->failed)
            put_u32_at(b->data + at + 16, old->row_len);
        buf_append(b, old->row, old->row_len);
        joinstate_pad8(b);
    } else if (append_row(b, at + 16, m->left_types, m->mc.nleft_cols, row, err) < 0) {
        return -1;
    }
    if (old != NULL && mark == NULL) {
        if (!b->failed)
            put_u32_at(b->data + at + 20, old->mark_len);
        buf_append(b, old->mark, old->mark_len);
        joinstate_pad8(b);
        return 0;
    }
    return append_row(b, at + 20, &m->mark_type, 1, mark, err);
}

/* Right entry {i64 w | u32 len | u32 0 | row}: 1 with fields, 0 at the end. */
static int
rent_read(uint8_t *base, size_t len, size_t pos, int64_t *w, const uint8_t **row, uint32_t *row_len,
          size_t *end, Err *err)
{
    if (pos >= len)
        return 0;
    if (len - pos < RHDR)
        return corrupt(err);
    memcpy(w, base + pos, 8);
    memcpy(row_len, base + pos + 8, 4);
    if (*row_len > len - pos - RHDR)
        return corrupt(err);
    *row = base + pos + RHDR;
    *end = pos + RHDR + joinstate_align8(*row_len);
    if (*end > len)
        *end = len;
    return 1;
}

/* ---- keys and the dirty set ----------------------------------------------------------------- */

static void
hashes(PMarkOp *m, const Value *key, uint64_t *hc, uint64_t *hx)
{
    *hc = JOINSTATE_SEED;
    for (int k = 0; k < m->ncorr; k++)
        *hc = joinstate_hash_add(*hc, m->op.node->plan->u.mark.key_orders[k].type, &key[k], k);
    *hx = 0;
    if (m->is_in_key)
        *hx = joinstate_hash_add(JOINSTATE_SEED, m->op.node->plan->u.mark.key_orders[m->ncorr].type,
                                 &key[m->ncorr], 0);
}

static void
row_key(uint8_t *out, uint64_t hc, uint64_t hx, uint64_t hrow)
{
    joinstate_put_u64(out, hc);
    joinstate_put_u64(out + 8, hx);
    joinstate_put_u64(out + 16, hrow);
}

static int
keys_equal(PMarkOp *m, const Value *a, const Value *b, int n, bool *equal, Err *err)
{
    return stream_rows_equal(m->op.node->plan->u.mark.key_orders, n, &m->op.run->ctx, a, b, equal,
                             err);
}

static uint32_t
dirty_hash(uint64_t hc, uint64_t hx, bool is_group)
{
    uint64_t a = (hc ^ (hx * 0x9e3779b97f4a7c15ULL) ^ (uint64_t)is_group) * 0xff51afd7ed558ccdULL;

    return (uint32_t)(a >> 32);
}

static int
dirty_find(PMarkOp *m, uint64_t hc, uint64_t hx, bool is_group, const Value *key, uint32_t *slot,
           MDirty **found, Err *err)
{
    uint32_t mask = (uint32_t)m->dirty_cap * 2 - 1;
    int n = is_group ? m->ncorr : m->nkeys;

    *found = NULL;
    if (m->dirty_cap == 0)
        return 0;
    for (*slot = dirty_hash(hc, hx, is_group) & mask; m->slots[*slot] != 0;
         *slot = (*slot + 1) & mask) {
        MDirty *d = &m->dirty[m->slots[*slot] - 1];
        bool equal;

        if (d->hc != hc || d->hx != hx || d->is_group != is_group)
            continue;
        if (keys_equal(m, d->key, key, n, &equal, err) < 0)
            return -1;
        if (equal) {
            *found = d;
            return 0;
        }
    }
    return 0;
}

static void
dirty_grow(PMarkOp *m)
{
    Arena *a = m->op.run->scratch;
    int cap = m->dirty_cap ? m->dirty_cap * 2 : 64;
    MDirty *d = arena_alloc(a, sizeof(MDirty) * (size_t)cap);
    uint32_t mask = (uint32_t)cap * 2 - 1;

    if (m->ndirty > 0)
        memcpy(d, m->dirty, sizeof(MDirty) * (size_t)m->ndirty);
    m->dirty = d;
    m->dirty_cap = cap;
    m->slots = arena_calloc(a, (size_t)cap * 2, sizeof(uint32_t));
    for (int i = 0; i < m->ndirty; i++) {
        uint32_t s = dirty_hash(d[i].hc, d[i].hx, d[i].is_group) & mask;

        while (m->slots[s] != 0)
            s = (s + 1) & mask;
        m->slots[s] = (uint32_t)i + 1;
    }
}

static int
mark_dirty(PMarkOp *m, uint64_t hc, uint64_t hx, bool is_group, bool right, Err *err)
{
    int n = is_group ? m->ncorr : m->nkeys;
    uint32_t slot = 0;
    MDirty *d;

    if (m->ndirty == m->dirty_cap)
        dirty_grow(m);
    if (dirty_find(m, hc, hx, is_group, m->key, &slot, &d, err) < 0)
        return -1;
    if (d == NULL) {
        d = &m->dirty[m->ndirty];
        *d = (MDirty){hc, hx, is_group, false, NULL};
        d->key = arena_alloc(m->op.run->scratch, sizeof(Value) * (size_t)(n + 1));
        if (n > 0)
            memcpy(d->key, m->key, sizeof(Value) * (size_t)n);
        m->slots[slot] = (uint32_t)++m->ndirty;
    }
    d->right_dirty = d->right_dirty || right;
    return 0;
}

/* ---- push ------------------------------------------------------------------------------------ */

static int
add_left(PMarkOp *m, uint64_t hc, uint64_t hx, const Value *row, int64_t w, Err *err)
{
    uint8_t key[KEY_LEN];
    StateBytes v;
    Buf out;
    bool found = false;
    int rc;

    row_key(key, hc, hx, joinstate_row_hash(m->left_orders, m->mc.nleft_cols, row));
    if ((rc = statecache_get(m->lc, key, KEY_LEN, &v, err)) < 0)
        return -1;
    buf_init(&out, BUF_DEFAULT_MAX);
    if (rc == 1) {
        uint8_t *base = joinstate_work(m->op.run->arena, &m->work, v.data, v.len);
        LEnt e;

        for (size_t pos = 0; (rc = lent_read(base, v.len, pos, &e, err)) == 1; pos = e.end) {
            Value *vals = m->mc.orow; /* scratch for the comparison (nleft_cols + 1 wide) */
            bool equal = false;

            if (!found && (rowcodec_decode(e.row, e.row_len, m->left_types, m->mc.nleft_cols,
                                           m->op.run->scratch, vals, err) < 0 ||
                           stream_rows_equal(m->left_orders, m->mc.nleft_cols, &m->op.run->ctx,
                                             vals, row, &equal, err) < 0)) {
                rc = -1;
                break;
            }
            found = found || equal;
            if (lent_append(m, &out, equal ? e.w + w : e.w, e.emitted_w, equal ? 1 : e.dirty, &e,
                            NULL, NULL, err) < 0) {
                rc = -1;
                break;
            }
        }
        if (rc < 0) {
            buf_free(&out);
            return -1;
        }
    }
    if (!found) {
        Value none = {0, true};

        if (lent_append(m, &out, w, 0, 1, NULL, row, &none, err) < 0) {
            buf_free(&out);
            return -1;
        }
    }
    return write_back(m->lc, key, KEY_LEN, &out, err);
}

static int
add_right(PMarkOp *m, uint64_t hc, uint64_t hx, const Value *row, int64_t w, Err *err)
{
    uint8_t key[KEY_LEN];
    StateBytes v;
    Buf out;
    bool found = false;
    int rc;

    row_key(key, hc, hx, joinstate_row_hash(m->right_orders, m->mc.nright_cols, row));
    if ((rc = statecache_get(m->rc, key, KEY_LEN, &v, err)) < 0)
        return -1;
    buf_init(&out, BUF_DEFAULT_MAX);
    if (rc == 1) {
        uint8_t *base = joinstate_work(m->op.run->arena, &m->work, v.data, v.len);
        const uint8_t *r = NULL;
        uint32_t rlen = 0;
        int64_t ew = 0;
        size_t end = 0;

        for (size_t pos = 0; (rc = rent_read(base, v.len, pos, &ew, &r, &rlen, &end, err)) == 1;
             pos = end) {
            bool equal = false;

            if (!found && (rowcodec_decode(r, rlen, m->right_types, m->mc.nright_cols,
                                           m->op.run->scratch, m->tmp, err) < 0 ||
                           stream_rows_equal(m->right_orders, m->mc.nright_cols, &m->op.run->ctx,
                                             m->tmp, row, &equal, err) < 0)) {
                rc = -1;
                break;
            }
            if (equal) {
                found = true;
                ew += w;
                if (ew == 0)
                    continue;
            }
            buf_append(&out, &ew, 8);
            buf_append(&out, &rlen, 4);
            buf_append(&out, &(uint32_t){0}, 4);
            buf_append(&out, r, rlen);
            joinstate_pad8(&out);
        }
        if (rc < 0) {
            buf_free(&out);
            return -1;
        }
    }
    if (!found) {
        size_t at = out.len;

        buf_append(&out, &w, 8);
        buf_append(&out, &(uint64_t){0}, 8);
        if (append_row(&out, at + 8, m->right_types, m->mc.nright_cols, row, err) < 0) {
            buf_free(&out);
            return -1;
        }
    }
    return write_back(m->rc, key, KEY_LEN, &out, err);
}

/*
 * Hashed IN: the group (correlation key in m->key) of a right change: its totals, read into
 * *total / *nulls after adding w (w = 0: only read).
 */
static int
group_update(PMarkOp *m, uint64_t hc, int64_t w, bool null_x, int64_t *total, int64_t *nulls,
             Err *err)
{
    uint8_t key[8];
    StateBytes v;
    Buf out;
    bool found = false;
    int rc;

    *total = *nulls = 0;
    joinstate_put_u64(key, hc);
    if ((rc = statecache_get(m->gc, key, sizeof key, &v, err)) < 0)
        return -1;
    buf_init(&out, BUF_DEFAULT_MAX);
    if (rc == 1) {
        uint8_t *base = joinstate_work(m->op.run->arena, &m->work, v.data, v.len);
        size_t pos = 0;

        while (pos < v.len) {
            int64_t t, nl;
            uint32_t klen;
            bool equal = false;

            if (v.len - pos < GHDR) {
                rc = corrupt(err);
                break;
            }
            memcpy(&t, base + pos, 8);
            memcpy(&nl, base + pos + 8, 8);
            memcpy(&klen, base + pos + 16, 4);
            if (klen > v.len - pos - GHDR) {
                rc = corrupt(err);
                break;
            }
            if (!found && (rowcodec_decode(base + pos + GHDR, klen, m->corr_types, m->ncorr,
                                           m->op.run->scratch, m->rkey, err) < 0 ||
                           keys_equal(m, m->rkey, m->key, m->ncorr, &equal, err) < 0)) {
                rc = -1;
                break;
            }
            if (equal) {
                found = true;
                t += w;
                nl += null_x ? w : 0;
                *total = t;
                *nulls = nl;
            }
            if (t != 0 || nl != 0) {
                buf_append(&out, &t, 8);
                buf_append(&out, &nl, 8);
                buf_append(&out, base + pos + 16, 8);
                buf_append(&out, base + pos + GHDR, klen);
                joinstate_pad8(&out);
            }
            pos += GHDR + joinstate_align8(klen);
        }
        if (rc < 0) {
            buf_free(&out);
            return -1;
        }
    }
    if (w == 0) {
        buf_free(&out);
        return 0;
    }
    if (!found) {
        size_t at = out.len;

        *total = w;
        *nulls = null_x ? w : 0;
        buf_append(&out, total, 8);
        buf_append(&out, nulls, 8);
        buf_append(&out, &(uint64_t){0}, 8);
        if (append_row(&out, at + 16, m->corr_types, m->ncorr, m->key, err) < 0) {
            buf_free(&out);
            return -1;
        }
    }
    return write_back(m->gc, key, sizeof key, &out, err);
}

static int
markjoin_push(Operator *op, int port, const Batch *in, Err *err)
{
    PMarkOp *m = (PMarkOp *)op;

    if (open_caches(m, err) < 0)
        return -1;
    for (int i = 0; i < in->n; i++) {
        const Value *row = batch_row(in, i);
        int64_t w = in->weights[i];
        uint64_t hc, hx;

        if (w == 0)
            continue;
        if (markcalc_key(&m->mc, port, row, in->ncols, m->key, err) < 0)
            return -1;
        hashes(m, m->key, &hc, &hx);
        if (port == 0) {
            if (add_left(m, hc, hx, row, w, err) < 0 ||
                mark_dirty(m, hc, hx, false, false, err) < 0)
                return -1;
            continue;
        }
        if (add_right(m, hc, hx, row, w, err) < 0)
            return -1;
        if (m->is_in_key) {
            bool null_x = m->key[m->ncorr].isnull;
            int64_t total, nulls;

            if (group_update(m, hc, w, null_x, &total, &nulls, err) < 0)
                return -1;
            /* the group's emptiness or NULL-ness flipped: every bucket of it */
            if ((total > 0) != (total - w > 0) || (nulls > 0) != (nulls - (null_x ? w : 0) > 0)) {
                if (mark_dirty(m, hc, 0, true, true, err) < 0)
                    return -1;
                continue;
            }
        }
        if (mark_dirty(m, hc, hx, false, true, err) < 0)
            return -1;
    }
    return 0;
}

/* ---- marks (stream/markjoin_common.c) ------------------------------------------------------ */

/*
 * Visits the right rows of bucket (hc, hx, key): those with positive weight go to
 * markcalc_match (ms NULL: every weight is summed into *found instead).
 */
static int
scan_right(PMarkOp *m, uint64_t hc, uint64_t hx, const Value *key, MarkScan *ms, int64_t *found,
           Err *err)
{
    const PlanNode *p = m->op.node->plan;
    bool keep = p->u.mark.kind == MARK_SCALAR || p->u.mark.kind == MARK_AGG;
    uint8_t prefix[16];
    StateRange range;
    StateCacheIter *it;
    StateBytes k, v;
    int rc = 0;

    joinstate_put_u64(prefix, hc);
    joinstate_put_u64(prefix + 8, hx);
    range = state_range_prefix(prefix, sizeof prefix);
    if (statecache_iter_open(m->rc, &range, false, &it, err) < 0)
        return -1;
    while ((ms == NULL || !ms->decided) && (rc = statecache_iter_next(it, &k, &v, err)) == 1) {
        uint8_t *base = joinstate_work(m->op.run->arena, &m->work, v.data, v.len);
        const uint8_t *r = NULL;
        uint32_t rlen = 0;
        int64_t w = 0;
        size_t end = 0;

        /* a match may be kept (scalar) or fed to aggregates: its values must outlive base */
        if (ms != NULL && keep && m->right_byref)
            base = arena_memdup(m->op.run->scratch, base, v.len);
        for (size_t pos = 0; (ms == NULL || !ms->decided) &&
                             (rc = rent_read(base, v.len, pos, &w, &r, &rlen, &end, err)) == 1;
             pos = end) {
            Value *right = keep ? arena_alloc(m->op.run->scratch,
                                              sizeof(Value) * (size_t)(m->mc.nright_cols + 1))
                                : m->tmp;
            bool equal;

            if (rowcodec_decode(r, rlen, m->right_types, m->mc.nright_cols, m->op.run->scratch,
                                right, err) < 0) {
                rc = -1;
                break;
            }
            for (int i = 0; i < m->nkeys; i++)
                m->rkey[i] = right[p->u.mark.rkeys[i]];
            if (keys_equal(m, m->rkey, key, m->nkeys, &equal, err) < 0) {
                rc = -1;
                break;
            }
            if (!equal)
                continue;
            if (ms == NULL) {
                *found += w;
                continue;
            }
            if (w <= 0)
                continue;
            if (markcalc_match(&m->mc, ms, right, w, err) < 0) {
                rc = -1;
                break;
            }
        }
        if (rc < 0)
            break;
    }
    statecache_iter_close(it);
    return rc < 0 ? -1 : 0;
}

/* The mark of left row `row` whose key is key (hashes hc, hx). */
static int
compute_mark(PMarkOp *m, const Value *row, const Value *key, uint64_t hc, uint64_t hx, Value *mark,
             Err *err)
{
    bool null_key = false;
    MarkScan ms;

    for (int k = 0; k < m->ncorr; k++)
        null_key = null_key || key[k].isnull;
    if (m->is_in_key) {
        bool null_x = key[m->ncorr].isnull;
        int64_t found = 0, total, nulls;

        mark->isnull = false;
        if (!null_key && !null_x && scan_right(m, hc, hx, key, NULL, &found, err) < 0)
            return -1;
        mark->d = datum_from_bool(found > 0);
        if (null_key || found > 0)
            return 0;
        memcpy(m->key, key, sizeof(Value) * (size_t)m->ncorr);
        if (group_update(m, hc, 0, false, &total, &nulls, err) < 0)
            return -1;
        mark->isnull = null_x ? total > 0 : nulls > 0;
        return 0;
    }
    if (markcalc_begin(&m->mc, row, &ms, err) < 0 ||
        (!null_key && scan_right(m, hc, hx, key, &ms, NULL, err) < 0))
        return -1;
    return markcalc_finish(&m->mc, &ms, mark, err);
}

/* ---- barrier ------------------------------------------------------------------------------- */

/* Recomputes, emits and appends to out one stored left row of the bucket being refreshed. */
static int
refresh_row(PMarkOp *m, const MDirty *d, const LEnt *e, Buf *out, Err *err)
{
    Value *row = arena_alloc(m->op.run->scratch, sizeof(Value) * (size_t)(m->mc.nleft_cols + 1));
    Value old = {0, true}, mark = {0, true};
    uint64_t hc, hx;
    bool mine = false;

    if (rowcodec_decode(e->row, e->row_len, m->left_types, m->mc.nleft_cols, m->op.run->scratch,
                        row, err) < 0 ||
        markcalc_key(&m->mc, 0, row, m->mc.nleft_cols, m->lkey, err) < 0)
        return -1;
    if (keys_equal(m, m->lkey, d->key, d->is_group ? m->ncorr : m->nkeys, &mine, err) < 0)
        return -1;
    /* not this bucket's (a hash collision), or unchanged: kept as it is */
    if (!mine || (e->w == 0 && e->emitted_w == 0) || (!d->right_dirty && !e->dirty))
        return e->w == 0 && e->emitted_w == 0
                   ? 0
                   : lent_append(m, out, e->w, e->emitted_w, e->dirty, e, NULL, NULL, err);
    if (rowcodec_decode(e->mark, e->mark_len, &m->mark_type, 1, m->op.run->scratch, &old, err) < 0)
        return -1;
    hashes(m, m->lkey, &hc, &hx);
    if (!d->right_dirty && e->emitted_w != 0)
        mark = old; /* only its weight changed */
    else if (e->w != 0 && compute_mark(m, row, m->lkey, hc, hx, &mark, err) < 0)
        return -1;
    if (markcalc_emit_change(&m->mc, row, &old, e->emitted_w, &mark, e->w, err) < 0)
        return -1;
    if (e->w == 0)
        return 0; /* nothing emitted for it any more: forgotten */
    return lent_append(m, out, e->w, e->w, 0, e, NULL, &mark, err);
}

/* Refreshes the stored left rows under one key of the bucket or group. */
static int
refresh_key(PMarkOp *m, const MDirty *d, const uint8_t *key, Err *err)
{
    StateBytes v;
    uint8_t *base;
    Buf out;
    LEnt e;
    int rc;

    if ((rc = statecache_get(m->lc, key, KEY_LEN, &v, err)) <= 0)
        return rc;
    /* in scratch: the rows emitted point into it */
    base = arena_memdup(m->op.run->scratch, v.data, v.len);
    buf_init(&out, BUF_DEFAULT_MAX);
    for (size_t pos = 0; (rc = lent_read(base, v.len, pos, &e, err)) == 1; pos = e.end) {
        if (refresh_row(m, d, &e, &out, err) < 0) {
            rc = -1;
            break;
        }
    }
    if (rc < 0) {
        buf_free(&out);
        return -1;
    }
    return write_back(m->lc, key, KEY_LEN, &out, err);
}

static int
refresh(PMarkOp *m, const MDirty *d, Err *err)
{
    uint8_t prefix[16];
    StateRange range;
    StateCacheIter *it;
    StateBytes k, v;
    uint8_t *keys = NULL;
    size_t n = 0, cap = 0;
    int rc;

    joinstate_put_u64(prefix, d->hc);
    joinstate_put_u64(prefix + 8, d->hx);
    range = state_range_prefix(prefix, d->is_group ? 8 : 16);
    /* the keys first: the cache refuses writes while an iterator is open */
    if (statecache_iter_open(m->lc, &range, false, &it, err) < 0)
        return -1;
    while ((rc = statecache_iter_next(it, &k, &v, err)) == 1) {
        if (k.len != KEY_LEN) {
            rc = corrupt(err);
            break;
        }
        if (n == cap) {
            uint8_t *nk;

            cap = cap ? cap * 2 : 16;
            nk = arena_alloc(m->op.run->scratch, cap * KEY_LEN);
            if (n > 0)
                memcpy(nk, keys, n * KEY_LEN);
            keys = nk;
        }
        memcpy(keys + n++ * KEY_LEN, k.data, KEY_LEN);
    }
    statecache_iter_close(it);
    if (rc < 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (refresh_key(m, d, keys + i * KEY_LEN, err) < 0)
            return -1;
    }
    return 0;
}

static int
markjoin_flush(Operator *op, Err *err)
{
    PMarkOp *m = (PMarkOp *)op;
    int rc = 0;

    if (open_caches(m, err) < 0)
        return -1;
    for (int i = 0; i < m->ndirty && rc == 0; i++) {
        MDirty *d = &m->dirty[i], *g = NULL;
        uint32_t slot = 0;

        /* a bucket of a dirty group is refreshed with the group */
        if (!d->is_group && m->is_in_key &&
            dirty_find(m, d->hc, 0, true, d->key, &slot, &g, err) < 0)
            rc = -1;
        else if (g == NULL)
            rc = refresh(m, d, err);
    }
    /* invariant: no pointer into scratch between barriers */
    m->dirty = NULL;
    m->slots = NULL;
    m->ndirty = m->dirty_cap = 0;
    return rc;
}

static const OpVtbl markjoin_state_vt = {"markjoin", markjoin_push, markjoin_flush, true};

static void
column_types(Arena *a, const PlanNode *p, TypeOrder **orders, Oid **types, bool *byref)
{
    *orders = arena_calloc(a, (size_t)p->ncols + 1, sizeof(TypeOrder));
    *types = arena_calloc(a, (size_t)p->ncols + 1, sizeof(Oid));
    for (int c = 0; c < p->ncols; c++) {
        const TypeInfo *ti = type_by_oid(p->types[c]);

        (void)plan_type_order(p->types[c], &(*orders)[c]);
        (*types)[c] = p->types[c];
        if (byref != NULL)
            *byref = *byref || ti == NULL || !ti->byval;
    }
}

Operator *
op_markjoin_state_new(StreamRun *run, const DfNode *node)
{
    const PlanNode *p = node->plan;
    PMarkOp *m = op_alloc(run, sizeof(PMarkOp), &markjoin_state_vt, node, p->ncols);
    int nkeys = p->u.mark.nkeys;

    markcalc_init(&m->mc, &m->op);
    m->nkeys = nkeys;
    column_types(run->arena, p->input, &m->left_orders, &m->left_types, NULL);
    column_types(run->arena, p->right, &m->right_orders, &m->right_types, &m->right_byref);
    m->mark_type = p->types[p->ncols - 1];
    m->is_in_key = p->u.mark.is_in_key && p->u.mark.kind == MARK_ANY && nkeys > 0;
    m->ncorr = nkeys - (m->is_in_key ? 1 : 0);
    m->corr_types = arena_calloc(run->arena, (size_t)nkeys + 1, sizeof(Oid));
    for (int k = 0; k < nkeys; k++)
        m->corr_types[k] = p->u.mark.key_orders[k].type;
    m->key = arena_calloc(run->arena, (size_t)nkeys + 1, sizeof(Value));
    m->lkey = arena_calloc(run->arena, (size_t)nkeys + 1, sizeof(Value));
    m->rkey = arena_calloc(run->arena, (size_t)nkeys + 1, sizeof(Value));
    m->tmp = arena_calloc(run->arena, (size_t)m->mc.nright_cols + 1, sizeof(Value));
    return &m->op;
}
