/*
 * stream/engine_key.c — key lookups over keyed views and primary-key tables
 * (see stream/engine_key.h).
 *
 * Locking is engine_scan's: a view's read first runs the pending epoch
 * (read-your-writes), then reads under epoch_mu and Engine.lock shared; a
 * table's point read is pk_get under Engine.lock shared, which merges the
 * overlay of acknowledged-but-unapplied writes.
 *
 * Invariants:
 *   1. Records are delivered after the locks are released (fn may take its
 *      time), from a copy.
 */
#include <stdatomic.h>
#include <string.h>

#include "common/errcodes.h"
#include "sql/relation.h"
#include "stream/engine_int.h"
#include "stream/engine_key.h"

static _Atomic uint64_t n_lookups, n_rows, n_refused;

void
engine_key_stats(EngineKeyStats *out)
{
    out->lookups = atomic_load(&n_lookups);
    out->rows = atomic_load(&n_rows);
    out->refused = atomic_load(&n_refused);
}

static int
deliver(Buf *rows, EngineRecordFn fn, void *arg, Err *err)
{
    int rc = 0;
    uint64_t n = 0;

    for (size_t at = 0; rc == 0 && at < rows->len; n++) {
        uint32_t len;

        memcpy(&len, rows->data + at, sizeof len);
        rc = fn(arg, rows->data + at + sizeof len, len, err);
        at += sizeof len + len;
    }
    atomic_fetch_add(&n_rows, n);
    return rc < 0 ? -1 : 0;
}

static int
bytes_cmp(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
    size_t n = alen < blen ? alen : blen;
    int c = n > 0 ? memcmp(a, b, n) : 0; /* an empty bound may have no bytes at all */

    return c != 0 ? c : alen < blen ? -1 : alen > blen;
}

/* tag ‖ order part of the first m key columns (their eq values) and, with last, one more. */
static int
bound(const KeySpec *spec, const int *cols, const ScanKeyReq *req, int m, const Value *last,
      int tag, Buf *out, Err *err)
{
    Value kv[64];

    for (int i = 0; i < m; i++)
        kv[i] = req->cols[cols[i]].eq;
    if (last != NULL)
        kv[m] = *last;
    buf_reset(out);
    if (tag >= 0)
        buf_put_u8(out, (uint8_t)tag);
    return keycodec_encode_prefix(spec, m + (last != NULL), kv, out, err);
}

int
engine_key_range(const KeySpec *spec, const int *cols, const ScanKeyReq *req, int tag, Buf *lo,
                 Buf *hi, bool *hi_open, Err *err)
{
    const ScanKeyCol *c;
    int m = 0;

    *hi_open = false;
    if (spec->ncols <= 0 || spec->ncols > 64)
        return 2;
    for (int i = 0; i < spec->ncols; i++) {
        if (cols[i] < 0 || cols[i] >= req->ncols)
            return 2;
    }
    while (m < spec->ncols && req->cols[cols[m]].has_eq)
        m++;
    c = m < spec->ncols ? &req->cols[cols[m]] : NULL;
    if (m == 0 && (c == NULL || (!c->has_lo && !c->has_hi)))
        return 2; /* nothing bounds the first key column */
    /* lower: the prefix of the pinned columns (and the lower bound), past it when exclusive */
    if (bound(spec, cols, req, m, c != NULL && c->has_lo ? &c->lo : NULL, tag, lo, err) < 0)
        return -1;
    if (c != NULL && c->has_lo && !c->lo_incl && !keycodec_prefix_successor(lo))
        return 1; /* nothing is greater */
    /* upper (exclusive): past the prefix of the pinned columns (and the upper bound) */
    if (bound(spec, cols, req, m, c != NULL && c->has_hi ? &c->hi : NULL, tag, hi, err) < 0)
        return -1;
    if (!(c != NULL && c->has_hi && !c->hi_incl) && !keycodec_prefix_successor(hi))
        *hi_open = true; /* no key is past it: to the end */
    if (lo->failed || hi->failed)
        return ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
    return !*hi_open && bytes_cmp(lo->data, lo->len, hi->data, hi->len) >= 0 ? 1 : 0;
}

/* A primary-key table's rows in a key range, after an epoch (as engine_scan reads them). */
static int
pk_range(Engine *e, uint64_t relid, const ScanKeyReq *req, Buf *out, Err *err)
{
    static const uint8_t header[SQL_REC_HEADER] = {SQL_REC_INSERT, SQL_REC_VERSION, 0, 0};
    EngineRel *r;
    StateSnapshot *snap = NULL;
    StateTable table;
    StateCursor *cur = NULL;
    StateBytes k, v;
    StateRange range;
    Buf lo, hi;
    bool hi_open = false;
    int rc;

    /* read-your-writes, as engine_scan: the overlay goes into the state first */
    if (pk_epoch_run(e, err) < 0)
        return -1;
    buf_init(&lo, BUF_DEFAULT_MAX);
    buf_init(&hi, BUF_DEFAULT_MAX);
    pthread_rwlock_rdlock(&e->lock);
    if ((r = engine_find_rel(e, relid)) == NULL || r->pk == NULL || r->pk->ncols != req->ncols)
        rc = 2;
    else
        rc = engine_key_range(&r->pk->spec, r->pk->pkcols, req, -1, &lo, &hi, &hi_open, err);
    if (rc == 0) {
        range.lower = lo.len > 0 ? (StateBound){STATE_INCLUSIVE, {lo.data, lo.len}}
                                 : (StateBound){STATE_UNBOUNDED, {NULL, 0}};
        range.upper = hi_open ? (StateBound){STATE_UNBOUNDED, {NULL, 0}}
                              : (StateBound){STATE_EXCLUSIVE, {hi.data, hi.len}};
        if ((rc = state_snapshot_begin(e->state, &snap, err)) == 0 &&
            (rc = state_snapshot_table(snap, r->pk->state_name, &table, err)) == 1)
            rc = state_cursor_open(&table, &range, false, &cur, err);
        else if (rc == 0)
            cur = NULL;
        while (rc == 0 && cur != NULL && (rc = state_cursor_next(cur, &k, &v, err)) == 1) {
            uint32_t len = (uint32_t)(SQL_REC_HEADER + v.len);

            buf_append(out, &len, sizeof len);
            buf_append(out, header, sizeof header);
            buf_append(out, v.data, v.len);
            rc = out->failed ? ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory") : 0;
        }
        state_cursor_close(cur);
        state_snapshot_end(snap);
    }
    pthread_rwlock_unlock(&e->lock);
    buf_free(&lo);
    buf_free(&hi);
    return rc < 0 ? -1 : rc == 2 ? 2 : 0; /* 1: an empty range */
}

/* A primary-key table: every key column pinned, one pk_get. */
static int
pk_lookup(Engine *e, uint64_t relid, const ScanKeyReq *req, Buf *out, Err *err)
{
    static const uint8_t header[SQL_REC_HEADER] = {SQL_REC_INSERT, SQL_REC_VERSION, 0, 0};
    Arena *a;
    EngineRel *r;
    Value *kv;
    uint8_t *row = NULL;
    size_t len = 0;
    int rc;

    pthread_rwlock_rdlock(&e->lock);
    if ((r = engine_find_rel(e, relid)) == NULL || r->pk == NULL || r->pk->npk <= 0 ||
        r->pk->ncols != req->ncols) {
        pthread_rwlock_unlock(&e->lock);
        return 2;
    }
    for (int i = 0; i < r->pk->npk; i++) {
        if (!req->cols[r->pk->pkcols[i]].has_eq) {
            pthread_rwlock_unlock(&e->lock);
            return pk_range(e, relid, req, out, err);
        }
    }
    a = arena_create("pk-lookup", 0);
    kv = arena_alloc(a, sizeof(Value) * (size_t)r->pk->npk);
    for (int i = 0; i < r->pk->npk; i++)
        kv[i] = req->cols[r->pk->pkcols[i]].eq;
    rc = pk_get(e, r, kv, a, &row, &len, err);
    pthread_rwlock_unlock(&e->lock);
    if (rc == 1) {
        uint32_t rl = (uint32_t)(SQL_REC_HEADER + len);

        buf_append(out, &rl, sizeof rl);
        buf_append(out, header, sizeof header);
        buf_append(out, row, len);
        if (out->failed)
            rc = ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
    }
    arena_destroy(a);
    return rc < 0 ? -1 : rc == 2 ? 2 : 0;
}

int
engine_scan_key(Engine *e, uint64_t relid, const ScanKeyReq *req, EngineRecordFn fn, void *arg,
                Err *err)
{
    EngineRel *r;
    bool pk, view;
    Buf rows;
    int rc;

    if (e == NULL || req == NULL)
        return 2;
    pthread_rwlock_rdlock(&e->lock);
    r = engine_find_rel(e, relid);
    pk = r != NULL && r->pk != NULL;
    view = r != NULL && r->is_mv;
    pthread_rwlock_unlock(&e->lock);
    if (!pk && !view) {
        atomic_fetch_add(&n_refused, 1);
        return 2; /* also a dropped relation: engine_scan says so */
    }
    buf_init(&rows, SIZE_MAX);
    if (pk)
        rc = pk_lookup(e, relid, req, &rows, err);
    else {
        /* read-your-writes, as engine_scan */
        if (pk_epoch_run(e, err) < 0) {
            buf_free(&rows);
            return -1;
        }
        pthread_mutex_lock(&e->epoch_mu);
        pthread_rwlock_rdlock(&e->lock);
        r = engine_find_rel(e, relid);
        rc = r == NULL ? 1 : mv_scan_key(e, r, req, &rows, err);
        pthread_rwlock_unlock(&e->lock);
        pthread_mutex_unlock(&e->epoch_mu);
    }
    if (rc == 0) {
        atomic_fetch_add(&n_lookups, 1);
        rc = deliver(&rows, fn, arg, err);
    } else if (rc == 2)
        atomic_fetch_add(&n_refused, 1);
    buf_free(&rows);
    return rc;
}
