/*
 * stream/eowc.c — EMIT ON WINDOW CLOSE: a view's output changes are held back until its
 * watermark has passed them, then released once, as inserts.
 *
 * A view is EOWC when its stored text ends in EMIT ON WINDOW CLOSE (sql/watermark.c checked
 * at CREATE that an output column c carries a watermark). Each epoch, after the view's job ran
 * (stream/engine_mv.c mv_epoch), its consolidated output changes go into the buffer
 * "t<id>.eowc" instead of its contents:
 *
 *   key   = tag (0: c not NULL, 1: c NULL) ‖ c as 8 order-preserving bytes ‖ hash64(row)
 *   value = net weight (i64) ‖ row
 *
 * and every buffered row whose c is below the view's watermark W of this epoch is released:
 * its net weight (> 0; a negative one is dropped with a WARNING) becomes the view's output and
 * the entry goes. A row released is final: W on c means no future change of the view's query
 * has c < W (sql/watermark.h), so the view only ever receives inserts, and views reading it
 * receive an append-only stream. Rows whose c is NULL are never released.
 *
 * The buffer commits with the epoch, so a crash loses nothing; a rebuild of the view's job
 * ("output − contents") also subtracts the buffer (eowc_subtract), so buffered rows are not
 * counted twice.
 *
 * Invariants:
 *   1. contents + buffer = the view's query over its inputs (with late rows dropped).
 *   2. A released row is never retracted by this view.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/errcodes.h"
#include "common/logger.h"
#include "sql/rowcodec.h"
#include "stream/engine_wm.h"

#define EOWC_KEY_LEN 17

static void
eowc_key(bool isnull, Datum c, const uint8_t *row, size_t len, uint8_t key[EOWC_KEY_LEN])
{
    uint64_t v = (uint64_t)(int64_t)c ^ (UINT64_C(1) << 63);
    uint64_t h = deltamap_hash(row, len);

    key[0] = isnull ? 1 : 0;
    for (int i = 0; i < 8; i++) {
        key[1 + i] = isnull ? 0 : (uint8_t)(v >> (56 - 8 * i));
        key[9 + i] = (uint8_t)(h >> (56 - 8 * i));
    }
}

bool
eowc_due(Engine *e, uint64_t id)
{
    Datum w, last;

    if (!wm_view_is_eowc(e, id) || !wm_current(e, id, &w))
        return false;
    return !wm_released_get(e, id, &last) || (int64_t)w > (int64_t)last;
}

typedef struct Upd {
    uint8_t key[EOWC_KEY_LEN];
    const uint8_t *row;
    size_t len;
    int64_t weight; /* new net weight */
    bool release;
} Upd;

/* Weight of a stored entry for row (0 when absent or another row under the same hash). */
static int64_t
stored_weight(const StateTable *t, bool have, const uint8_t *key, const uint8_t *row, size_t len,
              Err *err, int *rc)
{
    StateBytes v;
    int64_t w = 0;
    int found;

    *rc = 0;
    if (!have)
        return 0;
    if ((found = state_get(t, key, EOWC_KEY_LEN, &v, err)) < 0) {
        *rc = -1;
        return 0;
    }
    if (found == 1 && v.len == 8 + len && memcmp((const uint8_t *)v.data + 8, row, len) == 0)
        memcpy(&w, v.data, 8);
    return w;
}

static int
release(DeltaMap *out, const char *view, const uint8_t *row, size_t len, int64_t w, Err *err)
{
    if (w > 0)
        return deltamap_add(out, row, len, w, err);
    if (w < 0)
        LOG_WARNING("materialized view %s (EMIT ON WINDOW CLOSE): a closed window's row has "
                    "weight %" PRId64 "; dropped",
                    view, w);
    return 0;
}

int
eowc_filter(Engine *e, uint64_t id, StateEpoch *ep, StateSnapshot *snap, DeltaMap *out, Err *err)
{
    char name[STATE_TABLE_NAME_MAX + 1], view[32];
    Arena *a;
    StateTable t;
    bool have, has_w;
    Datum w = 0;
    Oid type, *types;
    int col, ncols, tab, rc = 0;
    size_t n = 0, pos = 0, len;
    const uint8_t *row;
    int64_t wt;
    Upd *upd;
    DeltaMap rel, seen;
    uint8_t wkey[EOWC_KEY_LEN];

    if (!wm_view_is_eowc(e, id))
        return 0;
    col = wm_view_column(e, id, &type);
    types = wm_view_types(e, id, &ncols);
    if (col < 0 || types == NULL)
        return 0;
    has_w = wm_current(e, id, &w);
    snprintf(view, sizeof view, "%" PRIu64, id);
    if (state_table_name(name, id, "eowc", err) < 0 || state_epoch_table(ep, name, &tab, err) < 0)
        return -1;
    if (snap != NULL && (rc = state_snapshot_table(snap, name, &t, err)) < 0)
        return -1;
    have = snap != NULL && rc == 1; /* no snapshot: a new view, nothing buffered */
    a = arena_create("eowc", 0);
    upd = arena_calloc(a, deltamap_size(out) + 1, sizeof(Upd));
    deltamap_init(&rel);
    deltamap_init(&seen);
    rc = 0;
    /* 1. the epoch's changes onto the buffered weights */
    while (rc == 0 && deltamap_next(out, &pos, &row, &len, &wt)) {
        Value v;
        Upd *u = &upd[n];

        if (rowcodec_check(row, len, types, ncols, err) < 0) {
            rc = -1;
            break;
        }
        v = rowcodec_get(row, types, col, a);
        eowc_key(v.isnull, v.d, row, len, u->key);
        u->row = arena_memdup(a, row, len);
        u->len = len;
        u->weight = stored_weight(&t, have, u->key, row, len, err, &rc) + wt;
        u->release = has_w && !v.isnull && (int64_t)v.d < (int64_t)w;
        if (rc == 0)
            rc = deltamap_add(&seen, u->key, EOWC_KEY_LEN, 1, err);
        n++;
    }
    for (size_t i = 0; rc == 0 && i < n; i++) {
        Upd *u = &upd[i];

        if (u->release) {
            rc = release(&rel, view, u->row, u->len, u->weight, err);
            if (rc == 0)
                rc = state_epoch_delete(ep, tab, u->key, EOWC_KEY_LEN, err);
        } else if (u->weight == 0)
            rc = state_epoch_delete(ep, tab, u->key, EOWC_KEY_LEN, err);
        else {
            Buf val;

            buf_init(&val, SIZE_MAX);
            buf_append(&val, &u->weight, 8);
            buf_append(&val, u->row, u->len);
            rc = val.failed
                     ? ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory")
                     : state_epoch_put(ep, tab, u->key, EOWC_KEY_LEN, val.data, val.len, err);
            buf_free(&val);
        }
    }
    /* 2. what was buffered before and is now below W */
    if (rc == 0 && have && has_w) {
        StateRange r = state_range_all();
        StateCursor *cur = NULL;
        StateBytes k, v;

        eowc_key(false, w, (const uint8_t *)"", 0, wkey);
        memset(wkey + 9, 0, 8);
        r.upper = (StateBound){STATE_EXCLUSIVE, {wkey, 9}};
        if (state_cursor_open(&t, &r, false, &cur, err) < 0)
            rc = -1;
        while (rc == 0 && (rc = state_cursor_next(cur, &k, &v, err)) == 1) {
            int64_t bw;

            rc = 0;
            if (k.len != EOWC_KEY_LEN || v.len < 8 || ((const uint8_t *)k.data)[0] != 0)
                continue;
            if (deltamap_find(&seen, k.data, EOWC_KEY_LEN) != NULL)
                continue; /* handled in 1 */
            memcpy(&bw, v.data, 8);
            rc = release(&rel, view, (const uint8_t *)v.data + 8, v.len - 8, bw, err);
            if (rc == 0)
                rc = state_epoch_delete(ep, tab, k.data, k.len, err);
        }
        state_cursor_close(cur);
        rc = rc < 0 ? -1 : 0;
    }
    if (rc == 0) {
        deltamap_reset(out);
        pos = 0;
        while (rc == 0 && deltamap_next(&rel, &pos, &row, &len, &wt))
            rc = deltamap_add(out, row, len, wt, err);
        if (rc == 0 && has_w)
            wm_released_set(e, id, w);
    }
    deltamap_free(&rel);
    deltamap_free(&seen);
    arena_destroy(a);
    return rc;
}

int
eowc_subtract(Engine *e, uint64_t id, StateSnapshot *snap, DeltaMap *map, Err *err)
{
    char name[STATE_TABLE_NAME_MAX + 1];
    StateTable t;
    StateCursor *cur = NULL;
    StateBytes k, v;
    int rc;

    if (!wm_view_is_eowc(e, id))
        return 0;
    if (state_table_name(name, id, "eowc", err) < 0)
        return -1;
    if ((rc = state_snapshot_table(snap, name, &t, err)) <= 0)
        return rc;
    if (state_cursor_open(&t, NULL, false, &cur, err) < 0)
        return -1;
    while ((rc = state_cursor_next(cur, &k, &v, err)) == 1) {
        int64_t bw;

        if (v.len < 8)
            continue;
        memcpy(&bw, v.data, 8);
        if (deltamap_add(map, (const uint8_t *)v.data + 8, v.len - 8, -bw, err) < 0) {
            rc = -1;
            break;
        }
    }
    state_cursor_close(cur);
    return rc < 0 ? -1 : 0;
}
