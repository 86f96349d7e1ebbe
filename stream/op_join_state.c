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
 * Cleanup by watermark (tables "xl" and "xr"):
 *
 * At construction the ON condition's top-level AND conjuncts are searched,
 * per side S (O the other side), for a comparison of one type among
 * timestamp, timestamptz and date
 *
 *     e_S = g(O.d)   or   e_S >= g(O.d)   or   e_S > g(O.d)
 *
 * (either operand first, < and <= read mirrored; BETWEEN arrives as >= AND
 * <=), where e_S reads one column of S and g one column d of O, both bare
 * or non-decreasing in it with constant other arguments (a column ± a
 * constant interval, date_trunc, date_bin, TUMBLE's bounds:
 * sql_watermark_monotone), and O's input column d carries an event-time
 * watermark (stream_wm_input_col). The first such conjunct per side wins.
 * Watermark W on O.d means every future change of O has d >= W or d NULL,
 * so g(d) >= g(W) or NULL: a row of S whose e_S is below g(W), or NULL, can
 * never satisfy the conjunct with a future O row, and no output of the
 * join can involve it again. Examples: a window join `P.start = A.start`
 * cleans both sides below the other's watermark; an interval join
 * `a.ts BETWEEN b.ts - x AND b.ts + y` cleans a below W(b.ts) - x (from
 * a.ts >= b.ts - x) and b where b.ts + y < W(a.ts) (from b.ts + y >= a.ts).
 *
 * For such a side, an index table maintained with the side's table:
 *
 *     key   = keycodec order part of e_S (ASC, NULLS FIRST) ‖ the 16-byte
 *             key of the row's entry in "l" / "r"
 *     value = empty
 *
 * put when a row enters the side (a new entry), deleted when its entry
 * goes (weight 0) unless another row of the same value has the same e_S.
 * vt->watermark(port O, d, W) computes B = g(W), range-scans the index
 * below enc(B) (keys collected in run->scratch a batch at a time, the
 * iterator closed, then the writes), drops from each entry's value the
 * rows whose e_S is NULL or below B (a value may hold other rows, whose
 * row hashes collide), and the index keys. Nothing is emitted. A row whose
 * e_S cannot be computed (an error, e.g. out of range) is not indexed and
 * never dropped. A retraction of a dropped row (a side without a watermark
 * of its own) is stored with weight -1, matches nothing that can still
 * come, and goes at the next cleanup. Joins without such a conjunct have no
 * index tables and pay nothing.
 *
 * Outer joins are cleaned the same way. A dropped row of a preserved side
 * can never gain or lose a match again (every future change of O, insert or
 * retraction, has d >= W), so its match count and padded row are final; a
 * dropped row of the other side has been counted into the matches of the
 * preserved rows it matched, and stays counted. A preserved row that
 * arrives below the side's last bound and matches nothing now is emitted
 * padded at once and not stored (its padding is final too).
 *
 * Invariants:
 *   1. After a flush, every stored row of a preserved side has padded =
 *      (matches = 0 ? weight : 0), and no stored row has weight 0.
 *   2. Between barriers the operator holds no pointer into run->scratch
 *      (the dirty set is dropped at the end of flush).
 *   3. Values emitted downstream point into run->scratch or into the
 *      pushed batch, never into cache or work-buffer bytes.
 *   4. The index of a cleaned side holds exactly one key per distinct
 *      (e_S, entry key) of the side's stored rows whose e_S can be computed.
 */
#include <string.h>

#include "common/errcodes.h"
#include "sql/catalog.h"
#include "sql/expr_vec.h"
#include "sql/keycodec.h"
#include "sql/rowcodec.h"
#include "sql/watermark.h"
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

/* How a side is cleaned by the other side's watermark (see "Cleanup by watermark"). */
typedef struct Expiry {
    const Expr *key;   /* e_S over the join row: one column of this side */
    int key_col;       /* its join-row column when e_S is that column bare, else -1 */
    const Expr *bound; /* g over the join row: one column of the other side */
    int bound_col;     /* that column in the join row */
    int other_col;     /* the same as the other input's column (its watermark's) */
    KeyColumn kc;      /* e_S's type, ASC, NULLS FIRST */
    KeySpec spec;
} Expiry;

#define JOIN_LOW_MAX 64

typedef struct PJoinOp {
    Operator op;
    JoinCore jc;       /* keys, sides, join row: stream/join_int.h */
    StateCache *sc[2]; /* per side: "l", "r" */
    Expiry *xp[2];     /* per side: its cleanup, NULL when it is never cleaned */
    StateCache *xc[2]; /* per cleaned side: the index "xl", "xr" */
    /*
     * Per cleaned side: enc(B) of its last cleanup (everything below is gone). A change whose
     * e_S is below it, or NULL, is final on arrival: it is joined but not kept (the other
     * side's watermark need not move again for it to go), and the next cleanup's scan starts
     * there (deleted keys stay in the cache as known-absent: scanning from the start walked
     * them all again).
     */
    uint8_t low[2][JOIN_LOW_MAX];
    size_t low_len[2]; /* 0: no cleanup yet in this run */
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
        stream_state_cache(j->op.run, j->op.node, "r", &j->sc[1], err) < 0 ||
        (j->xp[0] != NULL && stream_state_cache(j->op.run, j->op.node, "xl", &j->xc[0], err) < 0) ||
        (j->xp[1] != NULL && stream_state_cache(j->op.run, j->op.node, "xr", &j->xc[1], err) < 0))
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

/* ---- cleanup by watermark: the index ----------------------------------------------------- */

/*
 * Appends enc(e_S) of row (side s) to b: true, or false when e_S cannot be computed (the row
 * is then not indexed, and never dropped).
 */
static bool
expiry_encode(PJoinOp *j, int s, const Value *row, Buf *b)
{
    const Expiry *x = j->xp[s];
    const JoinSideDesc *side = &j->jc.side[s];
    EvalCtx *ctx = &j->op.run->ctx;
    Value v;
    Err e;

    err_clear(&e);
    if (x->key_col >= 0) {
        v = row[x->key_col - side->offset];
    } else {
        int rc;

        memcpy(j->jc.row + side->offset, row, sizeof(Value) * (size_t)side->ncols);
        ctx->row = j->jc.row;
        ctx->ncols = j->op.ncols;
        rc = expr_eval(x->key, ctx, &v.d, &v.isnull, &e);
        ctx->row = NULL;
        if (rc < 0)
            return false;
    }
    return keycodec_encode_prefix(&x->spec, 1, &v, b, &e) == 0 && !b->failed;
}

/* memcmp order, a shorter key first when it is a prefix of the other. */
static bool
bytes_lt(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
    int c = memcmp(a, b, alen < blen ? alen : blen);

    return c < 0 || (c == 0 && alen < blen);
}

/* Puts (put) or deletes the index key of row, stored under key, of cleaned side s. */
static int
index_write(PJoinOp *j, int s, const Value *row, const uint8_t *key, bool put, Err *err)
{
    Buf b;
    int rc = 0;

    buf_init(&b, 0);
    if (expiry_encode(j, s, row, &b)) {
        buf_append(&b, key, KEY_LEN);
        rc = put ? statecache_put(j->xc[s], b.data, b.len, NULL, 0, err)
                 : statecache_delete(j->xc[s], b.data, b.len, err);
    }
    buf_free(&b);
    return rc;
}

/*
 * The row `gone` left the value vals[0..len) (what stays) under key: its index key goes
 * unless a row that stays has the same e_S (hash collisions only).
 */
static int
index_forget(PJoinOp *j, int s, const Value *gone, const uint8_t *key, const uint8_t *vals,
             size_t len, Err *err)
{
    const JoinSideDesc *side = &j->jc.side[s];
    Buf mine, other;
    Value *row;
    Ent e = {0};
    bool shared = false;
    int rc = 0;

    if (len > 0) {
        buf_init(&mine, 0);
        buf_init(&other, 0);
        row = arena_alloc(j->op.run->scratch, sizeof(Value) * (size_t)(side->ncols + 1));
        if (expiry_encode(j, s, gone, &mine)) {
            /* an aligned copy: rows decode in place (joinstate.h invariant 2) */
            uint8_t *base = arena_memdup(j->op.run->scratch, vals, len);

            for (size_t pos = 0; !shared && (rc = ent_read(base, len, pos, &e, err)) == 1;
                 pos = e.end) {
                buf_reset(&other);
                if (decode(j, side, &e, row, err) < 0) {
                    rc = -1;
                    break;
                }
                shared = expiry_encode(j, s, row, &other) && other.len == mine.len &&
                         memcmp(other.data, mine.data, mine.len) == 0;
            }
        }
        buf_free(&mine);
        buf_free(&other);
        if (rc < 0)
            return -1;
    }
    return shared ? 0 : index_write(j, s, gone, key, false, err);
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
    bool found = false, gone = false;
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
                if (side->is_preserved) {
                    dirty_add(j, s, key); /* its padded row follows; flush drops it at 0 */
                } else if (e.weight == 0) {
                    gone = true; /* j->tmp keeps its row (decoding stops once found) */
                    continue;
                }
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
        if (j->xp[s] != NULL && !out.failed && index_write(j, s, row, key, true, err) < 0) {
            buf_free(&out);
            return -1;
        }
    }
    if (gone && j->xp[s] != NULL && !out.failed &&
        index_forget(j, s, j->tmp, key, out.data, out.len, err) < 0) {
        buf_free(&out);
        return -1;
    }
    return write_back(j->sc[s], key, &out, err);
}

/* True when row (side s) is already below the side's last cleanup bound: nothing will match it. */
static bool
below_low(PJoinOp *j, int s, const Value *row)
{
    Buf enc;
    bool below;

    if (j->xp[s] == NULL || j->low_len[s] == 0)
        return false;
    buf_init(&enc, 0);
    below = expiry_encode(j, s, row, &enc) &&
            bytes_lt(enc.data, enc.len, j->low[s], j->low_len[s]);
    buf_free(&enc);
    return below;
}

static int
join_change(PJoinOp *j, int s, const Value *row, int64_t w, Err *err)
{
    bool has_key;
    uint64_t h;
    int64_t matched;

    /* a NULL key matches nothing, ever: its padded row, if any, is out */
    if (joincore_change_key(&j->jc, s, row, w, &has_key, &h, err) < 0 ||
        (has_key && probe(j, s, row, w, h, &matched, err) < 0))
        return -1;
    if (!has_key)
        return 0;
    if (below_low(j, s, row)) /* final on arrival: a preserved row unmatched now stays so */
        return j->jc.side[s].is_preserved && matched == 0
                   ? joincore_emit_padded(&j->jc, s, row, w, err)
                   : 0;
    return keep(j, s, row, w, matched, h, err);
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

/* ---- cleanup by watermark: dropping rows -------------------------------------------------- */

#define XP_BATCH 4096 /* index keys collected per scan */

/* Drops the rows of the value under key (side s) whose e_S is NULL or below hi = enc(B). */
static int
expire_value(PJoinOp *j, int s, const uint8_t *key, const Buf *hi, Err *err)
{
    JoinSideDesc *side = &j->jc.side[s];
    StateBytes v;
    uint8_t *base;
    Buf out, enc;
    Ent e = {0};
    bool dropped = false;
    int rc;

    if ((rc = statecache_get(j->sc[s], key, KEY_LEN, &v, err)) <= 0)
        return rc;
    base = joinstate_work(j->op.run->arena, &j->work, v.data, v.len);
    buf_init(&out, BUF_DEFAULT_MAX);
    buf_init(&enc, 0);
    for (size_t pos = 0; (rc = ent_read(base, v.len, pos, &e, err)) == 1; pos = e.end) {
        buf_reset(&enc);
        if (decode(j, side, &e, j->tmp, err) < 0) {
            rc = -1;
            break;
        }
        if (expiry_encode(j, s, j->tmp, &enc) && bytes_lt(enc.data, enc.len, hi->data, hi->len)) {
            dropped = true;
            continue;
        }
        ent_append(&out, e.weight, e.matches, e.padded, e.row, e.len);
    }
    buf_free(&enc);
    if (rc < 0 || !dropped) {
        buf_free(&out);
        return rc < 0 ? -1 : 0;
    }
    return write_back(j->sc[s], key, &out, err);
}

/* Drops every row of side s whose e_S is NULL or below b, and their index keys. */
static int
expire_side(PJoinOp *j, int s, const Value *b, Err *err)
{
    Arena *a = j->op.run->scratch;
    StateBytes last = {NULL, 0}, k, v;
    Buf hi;
    int rc = 0;

    buf_init(&hi, 0);
    if (keycodec_encode_prefix(&j->xp[s]->spec, 1, b, &hi, err) < 0) {
        buf_free(&hi);
        return -1;
    }
    for (;;) {
        StateRange range = {{STATE_UNBOUNDED, {NULL, 0}}, {STATE_EXCLUSIVE, {hi.data, hi.len}}};
        StateBytes *keys = arena_alloc(a, sizeof(StateBytes) * XP_BATCH);
        StateCacheIter *it;
        int n = 0;

        if (last.data != NULL)
            range.lower = (StateBound){STATE_EXCLUSIVE, last};
        else if (j->low_len[s] > 0)
            range.lower = (StateBound){STATE_INCLUSIVE, {j->low[s], j->low_len[s]}};
        if (statecache_iter_open(j->xc[s], &range, false, &it, err) < 0) {
            rc = -1;
            break;
        }
        while (n < XP_BATCH && (rc = statecache_iter_next(it, &k, &v, err)) > 0) {
            if (k.len <= KEY_LEN) {
                rc = ERR_RAISE(err, ERRCODE_DATA_CORRUPTED, "malformed join state index key");
                break;
            }
            keys[n].data = arena_memdup(a, k.data, k.len);
            keys[n++].len = k.len;
        }
        statecache_iter_close(it);
        /* the cache refuses writes while its iterator is open: now the drops */
        for (int i = 0; rc >= 0 && i < n; i++) {
            const uint8_t *key = (const uint8_t *)keys[i].data + keys[i].len - KEY_LEN;

            if (expire_value(j, s, key, &hi, err) < 0 ||
                statecache_delete(j->xc[s], keys[i].data, keys[i].len, err) < 0)
                rc = -1;
        }
        if (rc < 0 || n < XP_BATCH)
            break;
        last = keys[n - 1];
    }
    if (rc >= 0 && hi.len <= JOIN_LOW_MAX && !hi.failed &&
        (j->low_len[s] == 0 || !bytes_lt(hi.data, hi.len, j->low[s], j->low_len[s]))) {
        memcpy(j->low[s], hi.data, hi.len);
        j->low_len[s] = hi.len;
    }
    buf_free(&hi);
    return rc < 0 ? -1 : 0;
}

/* Input port's column col reached w: the other side's rows no future change can match go. */
static int
join_watermark(Operator *op, int port, int col, Datum w, Err *err)
{
    PJoinOp *j = (PJoinOp *)op;
    int s = 1 - port;
    const Expiry *x;
    EvalCtx *ctx = &op->run->ctx;
    Value b;
    Err e;
    int rc;

    if (port < 0 || port > 1 || (x = j->xp[s]) == NULL || col != x->other_col)
        return 0;
    if (open_caches(j, err) < 0)
        return -1;
    /* B = g(w): the row holds w in g's column and NULL elsewhere (g reads only that one) */
    for (int c = 0; c < op->ncols; c++)
        j->jc.row[c] = (Value){.d = 0, .isnull = true};
    j->jc.row[x->bound_col] = (Value){.d = w, .isnull = false};
    ctx->row = j->jc.row;
    ctx->ncols = op->ncols;
    err_clear(&e);
    rc = expr_eval(x->bound, ctx, &b.d, &b.isnull, &e);
    ctx->row = NULL;
    if (rc < 0 || b.isnull) /* no bound (out of range): nothing is known to be final */
        return 0;
    return expire_side(j, s, &b, err);
}

/* ---- cleanup by watermark: finding it in the ON condition ---------------------------------- */

/* The one column e reads: >= 0, -2 when none, -1 when several or unsure. */
static int
only_column(const Expr *e)
{
    int col = -2;

    switch (e->kind) {
    case EXPR_COLUMN:
        return e->u.column;
    case EXPR_CONST:
        return -2;
    case EXPR_COERCE_IO:
        return only_column(e->u.arg);
    case EXPR_FUNC:
        for (int i = 0; i < e->u.func.nargs; i++) {
            int c = only_column(e->u.func.args[i]);

            if (c == -1 || (c >= 0 && col >= 0 && c != col))
                return -1;
            col = c >= 0 ? c : col;
        }
        return col;
    default:
        return -1;
    }
}

/* The comparison e is: '=', '>' (for > and >=), '<' (for < and <=), or 0. */
static char
cmp_kind(const Expr *e)
{
    static const char *const names[] = {"=", ">=", ">", "<=", "<"};
    static const char kinds[] = {'=', '>', '>', '<', '<'};
    Oid t;

    if (e->kind != EXPR_FUNC || e->u.func.nargs != 2 || !e->u.func.strict || e->type != TYPE_BOOL)
        return 0;
    t = e->u.func.args[0]->type;
    if (t != e->u.func.args[1]->type ||
        (t != TYPE_TIMESTAMP && t != TYPE_TIMESTAMPTZ && t != TYPE_DATE))
        return 0;
    for (int i = 0; i < 5; i++) {
        const OperDef *o;
        int pos = 0;

        while ((o = catalog_next_oper(names[i], &pos)) != NULL) {
            if (o->fn == e->u.func.fn && o->left == t && o->right == t && o->result == TYPE_BOOL)
                return kinds[i];
        }
    }
    return 0;
}

/*
 * e with its length coercions of constants computed (INTERVAL '10' SECOND is the interval
 * typmod function over a constant, sql/bind_expr.c): what sql_watermark_monotone takes for
 * a constant. Only those (named after their result type, immutable); anything else stays.
 */
static const Expr *
fold_typmods(StreamRun *run, const Expr *e)
{
    const TypeInfo *t;
    Expr **args, *n;
    bool changed = false, all_const = true;
    EvalCtx ctx;
    Datum d;
    bool isnull;
    Err err;

    if (e->kind != EXPR_FUNC || e->u.func.nargs == 0)
        return e;
    args = arena_alloc(run->arena, sizeof(Expr *) * (size_t)e->u.func.nargs);
    for (int i = 0; i < e->u.func.nargs; i++) {
        args[i] = (Expr *)fold_typmods(run, e->u.func.args[i]);
        changed = changed || args[i] != e->u.func.args[i];
        all_const = all_const && args[i]->kind == EXPR_CONST;
    }
    n = (Expr *)e;
    if (changed) {
        n = arena_memdup(run->arena, e, sizeof *e);
        n->u.func.args = args;
    }
    t = type_by_oid(e->type);
    if (!all_const || e->u.func.def == NULL || t == NULL ||
        strcmp(e->u.func.def->name, t->name) != 0 || e->u.func.nargs < 2 ||
        e->u.func.args[1]->type != TYPE_INT4 || expr_vec_has_volatile(e))
        return n;
    ctx = run->ctx; /* the constant must outlive the barrier: in the run's arena */
    ctx.arena = run->arena;
    ctx.row = NULL;
    err_clear(&err);
    if (expr_eval(n, &ctx, &d, &isnull, &err) < 0)
        return n;
    return expr_const(run->arena, e->type, d, isnull, e->location);
}

/* The conjunct `key >= bound` (or `key = bound`) cleans key's side when it fits. */
static void
expiry_try(PJoinOp *j, const Expr *key, const Expr *bound)
{
    StreamRun *run = j->op.run;
    int kc, bc, s, o;
    Expiry *x;

    key = fold_typmods(run, key);
    bound = fold_typmods(run, bound);
    kc = only_column(key);
    bc = only_column(bound);
    if (kc < 0 || bc < 0)
        return;
    s = kc < j->jc.side[1].offset ? 0 : 1;
    o = bc < j->jc.side[1].offset ? 0 : 1;
    if (s == o || j->xp[s] != NULL || !sql_watermark_monotone(key, kc) ||
        !sql_watermark_monotone(bound, bc) ||
        stream_wm_input_col(run, j->op.node, o, bc - j->jc.side[o].offset) !=
            bc - j->jc.side[o].offset)
        return;
    x = arena_calloc(run->arena, 1, sizeof *x);
    x->key = key;
    x->key_col = key->kind == EXPR_COLUMN ? kc : -1;
    x->bound = bound;
    x->bound_col = bc;
    x->other_col = bc - j->jc.side[o].offset;
    x->kc = (KeyColumn){.type = key->type, .desc = false, .nulls_first = true};
    x->spec = (KeySpec){.cols = &x->kc, .ncols = 1, .exact = false};
    j->xp[s] = x;
}

/* Walks the top-level AND conjuncts of the ON condition. */
static void
expiry_find(PJoinOp *j, const Expr *e)
{
    char k;

    if (e->kind == EXPR_AND) {
        for (int i = 0; i < e->u.list.nargs; i++)
            expiry_find(j, e->u.list.args[i]);
        return;
    }
    if ((k = cmp_kind(e)) == 0)
        return;
    if (k == '=' || k == '>')
        expiry_try(j, e->u.func.args[0], e->u.func.args[1]);
    if (k == '=' || k == '<')
        expiry_try(j, e->u.func.args[1], e->u.func.args[0]);
}

static const OpVtbl join_state_vt = {"join", join_push, join_flush, true, join_watermark};

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
    /* cleanup by watermark: joins whose ON condition bounds a side by a watermark */
    if (p->u.pred != NULL && run->nwm > 0)
        expiry_find(j, p->u.pred);
    return &j->op;
}
