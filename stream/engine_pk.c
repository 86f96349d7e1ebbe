/*
 * stream/engine_pk.c — tables with a PRIMARY KEY: their contents live in an
 * LMDB state table "t<id>.pk" (storage/state.h) keyed by the order part of
 * the key's memcomparable encoding (sql/keycodec.h, canonical: 1.0 and 1.00
 * are one key, as PostgreSQL's btree equality says); the value is the
 * rowcodec row.
 *
 * Data flow:
 *
 *   INSERT ──▶ pk_append: under pk->mu, check every key against the
 *              statement's earlier rows, the overlay, then a state
 *              snapshot (23505 if taken) ──▶ log append + log_sync_to ──▶
 *              keys into the overlay ──▶ acknowledge
 *   epoch driver (thread, every checkpoint interval, default 1 s, at once
 *   while a backlog remains) and FLUSH / SELECT ──▶ pk_epoch_run: every
 *              primary-key log's records from its applied offset to its
 *              durable end become puts/deletes, the logs views read give at
 *              most EPOCH_LOG_RECORDS records each, plus each log's consumed
 *              offset, in ONE StateEpoch commit per epoch (pk_epoch_run runs
 *              as many epochs as the backlog it saw needs)
 *              ──▶ overlays pruned of the applied offsets
 *   SELECT ──▶ pk_epoch_run (read-your-writes: the acknowledged writes are
 *              durable, so they are all applied when it returns) ──▶
 *              snapshot cursor in key order ──▶ records to the scan operator
 *   start-up ─▶ pk_open: consumed offsets from "_meta" ──▶ replay the rest
 *              of every log in one epoch (exactly once: the offsets commit
 *              with the writes they cover) ──▶ INFO line ──▶ driver started
 *
 * Uniqueness is decided synchronously under pk->mu (which also covers the
 * append and its fsync, so concurrent INSERTs into one primary-key table
 * are serialized; other tables are not affected). The overlay is needed
 * because an acknowledged write reaches the state table only at the next
 * epoch.
 *
 * Invariants:
 *   1. When pk->mu is held, overlay ∪ committed state (overlay first) is
 *      exactly the table as of the log's durable end.
 *   2. A record is applied in exactly one committed epoch: the consumed
 *      offset commits with its writes (storage/state.h invariant 1).
 *   3. Nothing is appended for a statement one of whose keys is taken.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/clock.h"
#include "common/errcodes.h"
#include "common/logger.h"
#include "sql/rowcodec.h"
#include "stream/engine_int.h"
#include "stream/engine_wm.h"
#include "stream/opstate.h"
#include "stream/temporal.h"

/* ---- description --------------------------------------------------------------------------- */

static char *
xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);

    if (d != NULL)
        memcpy(d, s, n);
    return d;
}

void
pk_free(EnginePk *pk)
{
    if (pk == NULL)
        return;
    for (size_t i = 0; i < pk->ocap; i++)
        free(pk->overlay[i].key);
    free(pk->overlay);
    for (int c = 0; pk->colnames != NULL && c < pk->ncols; c++)
        free(pk->colnames[c]);
    free(pk->colnames);
    free(pk->relname);
    free(pk->types);
    free(pk->typmods);
    free(pk->pkcols);
    free(pk->keycols);
    pthread_mutex_destroy(&pk->mu);
    free(pk);
}

int
pk_new(const CatalogRelation *cr, EnginePk **out, Err *err)
{
    EnginePk *pk;
    int n = (int)cr->n_columns, npk = 0;
    Err ignored;

    *out = NULL;
    for (int c = 0; c < n; c++)
        npk += cr->columns[c].pk_position > 0;
    if (npk == 0)
        return 0;
    if ((pk = calloc(1, sizeof *pk)) == NULL)
        return ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
    pthread_mutex_init(&pk->mu, NULL);
    pk->ncols = n;
    pk->npk = npk;
    pk->relname = xstrdup(cr->name);
    pk->types = calloc((size_t)n + 1, sizeof(Oid));
    pk->typmods = calloc((size_t)n + 1, sizeof(int32_t));
    pk->colnames = calloc((size_t)n + 1, sizeof(char *));
    pk->pkcols = calloc((size_t)npk, sizeof(int));
    pk->keycols = calloc((size_t)npk, sizeof(KeyColumn));
    if (pk->relname == NULL || pk->types == NULL || pk->typmods == NULL || pk->colnames == NULL ||
        pk->pkcols == NULL || pk->keycols == NULL) {
        pk_free(pk);
        return ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
    }
    for (int c = 0; c < n; c++) {
        int pos = cr->columns[c].pk_position;

        pk->types[c] = cr->columns[c].type_oid;
        pk->typmods[c] = cr->columns[c].typmod;
        if ((pk->colnames[c] = xstrdup(cr->columns[c].name)) == NULL) {
            pk_free(pk);
            return ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
        }
        if (pos > 0 && pos <= npk) {
            pk->pkcols[pos - 1] = c;
            pk->keycols[pos - 1] = (KeyColumn){cr->columns[c].type_oid, false, false};
        }
    }
    pk->spec = (KeySpec){pk->keycols, npk, false};
    if (state_table_name(pk->state_name, cr->id, "pk", &ignored) < 0) {
        pk_free(pk);
        return ERR_RAISE(err, ERRCODE_INTERNAL_ERROR, "bad state table name");
    }
    *out = pk;
    return 0;
}

/* ---- overlay (open addressing, linear probing, rebuilt on prune) --------------------------- */

static uint64_t
hash_key(const uint8_t *k, size_t n)
{
    uint64_t h = 1469598103934665603ULL;

    for (size_t i = 0; i < n; i++)
        h = (h ^ k[i]) * 1099511628211ULL;
    return h;
}

static PkOverlayEntry *
overlay_slot(PkOverlayEntry *tab, size_t cap, const uint8_t *k, size_t n)
{
    size_t i = (size_t)hash_key(k, n) & (cap - 1);

    while (tab[i].key != NULL && (tab[i].len != n || memcmp(tab[i].key, k, n) != 0))
        i = (i + 1) & (cap - 1);
    return &tab[i];
}

static PkOverlayEntry *
overlay_find(EnginePk *pk, const uint8_t *k, size_t n)
{
    PkOverlayEntry *s;

    if (pk->ocount == 0)
        return NULL;
    s = overlay_slot(pk->overlay, pk->ocap, k, n);
    return s->key != NULL ? s : NULL;
}

static int
overlay_resize(EnginePk *pk, size_t cap, uint64_t keep_from, Err *err)
{
    PkOverlayEntry *tab = calloc(cap, sizeof *tab);
    size_t count = 0;

    if (tab == NULL)
        return ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
    for (size_t i = 0; i < pk->ocap; i++) {
        PkOverlayEntry *o = &pk->overlay[i];

        if (o->key == NULL)
            continue;
        if (o->offset < keep_from) {
            free(o->key);
            continue;
        }
        *overlay_slot(tab, cap, o->key, o->len) = *o;
        count++;
    }
    free(pk->overlay);
    pk->overlay = tab;
    pk->ocap = cap;
    pk->ocount = count;
    return 0;
}

/* Records the latest write of key k (with its row, NULL for a delete). */
static int
overlay_put(EnginePk *pk, const uint8_t *k, size_t n, const uint8_t *row, size_t rowlen,
            uint64_t offset, Err *err)
{
    PkOverlayEntry *s;
    uint8_t *mem;

    if ((pk->ocount + 1) * 2 > pk->ocap &&
        overlay_resize(pk, pk->ocap ? pk->ocap * 2 : 64, 0, err) < 0)
        return -1;
    if ((mem = malloc(n + (row != NULL ? rowlen : 0) + 1)) == NULL)
        return ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
    memcpy(mem, k, n);
    if (row != NULL)
        memcpy(mem + n, row, rowlen);
    s = overlay_slot(pk->overlay, pk->ocap, k, n);
    if (s->key == NULL)
        pk->ocount++;
    free(s->key);
    *s =
        (PkOverlayEntry){mem, (uint32_t)n, row != NULL ? (uint32_t)rowlen : 0, row != NULL, offset};
    return 0;
}

/* Drops the entries the committed state now covers. */
static void
overlay_prune(EnginePk *pk, uint64_t applied)
{
    Err ignored;

    size_t keep = 0, cap = 64;

    if (pk->ocount == 0)
        return;
    for (size_t i = 0; i < pk->ocap; i++)
        keep += pk->overlay[i].key != NULL && pk->overlay[i].offset >= applied;
    if (keep == 0) {
        /* the usual case: the epoch applied everything; a big load's table goes too */
        for (size_t i = 0; i < pk->ocap; i++)
            free(pk->overlay[i].key);
        free(pk->overlay);
        pk->overlay = NULL;
        pk->ocap = pk->ocount = 0;
        return;
    }
    while (cap < (keep + 1) * 2)
        cap *= 2;
    /* out of memory: stale entries stay, and they only repeat what the state says */
    if (overlay_resize(pk, cap, applied, &ignored) < 0)
        err_clear(&ignored);
}

/* ---- keys ------------------------------------------------------------------------------------ */

/* Decodes a record's row and appends its key to key (cleared first). */
static int
record_key(EnginePk *pk, const uint8_t *rec, uint32_t len, Arena *a, Value *row, Value *kv,
           Buf *key, Err *err)
{
    if (len < SQL_REC_HEADER ||
        (rec[0] != SQL_REC_INSERT && rec[0] != SQL_REC_DELETE && rec[0] != SQL_REC_UPSERT) ||
        rec[1] != SQL_REC_VERSION)
        return ERR_RAISE(err, ERRCODE_DATA_CORRUPTED, "malformed record in the log of \"%s\"",
                         pk->relname);
    if (rowcodec_decode(rec + SQL_REC_HEADER, len - SQL_REC_HEADER, pk->types, pk->ncols, a, row,
                        err) < 0)
        return -1;
    for (int k = 0; k < pk->npk; k++)
        kv[k] = row[pk->pkcols[k]];
    buf_reset(key);
    return keycodec_encode(&pk->spec, kv, key, NULL, err);
}

static int
duplicate(EnginePk *pk, const Value *kv, Arena *a, Err *err)
{
    Buf names, vals;

    buf_init(&names, BUF_DEFAULT_MAX);
    buf_init(&vals, BUF_DEFAULT_MAX);
    for (int k = 0; k < pk->npk; k++) {
        int c = pk->pkcols[k];
        const char *s = kv[k].isnull ? "null"
                                     : type_output_cstr(type_by_oid(pk->types[c]), kv[k].d,
                                                        pk->typmods[c], &type_io_default, a);

        buf_printf(&names, "%s%s", k ? ", " : "", pk->colnames[c]);
        buf_printf(&vals, "%s%s", k ? ", " : "", s);
    }
    ERR_RAISE(err, ERRCODE_UNIQUE_VIOLATION,
              "duplicate key value violates unique constraint \"%s_pkey\"", pk->relname);
    err_detail(err, "Key (%.*s)=(%.*s) already exists.", (int)names.len, (const char *)names.data,
               (int)vals.len, (const char *)vals.data);
    buf_free(&names);
    buf_free(&vals);
    return -1;
}

/* ---- INSERT / UPDATE / DELETE ------------------------------------------------------------- */

/* The statement's output: records to append and their keys. */
typedef struct PkOut {
    Buf recs, keys;
    size_t *roff, *koff; /* record j: recs[roff[j], roff[j+1]), keys[koff[j], koff[j+1]) */
    int n, cap;
} PkOut;

static int
out_add(PkOut *o, uint8_t kind, const uint8_t *row, size_t rowlen, const Buf *key, Err *err)
{
    const uint8_t header[SQL_REC_HEADER] = {kind, SQL_REC_VERSION, 0, 0};

    if (o->n + 1 >= o->cap) {
        int cap = o->cap ? o->cap * 2 : 64;
        size_t *r = realloc(o->roff, sizeof(size_t) * (size_t)cap);
        size_t *k = r != NULL ? realloc(o->koff, sizeof(size_t) * (size_t)cap) : NULL;

        if (r != NULL)
            o->roff = r;
        if (k == NULL)
            return ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
        o->koff = k;
        o->cap = cap;
    }
    o->roff[o->n] = o->recs.len;
    o->koff[o->n] = o->keys.len;
    buf_append(&o->recs, header, sizeof header);
    buf_append(&o->recs, row, rowlen);
    buf_append(&o->keys, key->data, key->len);
    o->n++;
    o->roff[o->n] = o->recs.len;
    o->koff[o->n] = o->keys.len;
    if (o->recs.failed || o->keys.failed)
        return ERR_RAISE(err, ERRCODE_PROGRAM_LIMIT_EXCEEDED, "statement is too large");
    return 0;
}

/* Where the current row of key k is: 1 with *row (NULL: written earlier in this statement), 0 free.
 */
typedef struct PkLookup {
    EnginePk *pk;
    EnginePk *stmt;
    const StateTable *table; /* NULL: the state table does not exist yet */
} PkLookup;

static int
lookup(const PkLookup *l, const Buf *k, const uint8_t **row, size_t *rowlen, bool *in_stmt,
       Err *err)
{
    PkOverlayEntry *o;
    StateBytes v;
    int rc;

    *in_stmt = false;
    if ((o = overlay_find(l->stmt, k->data, k->len)) != NULL) {
        *in_stmt = true;
        *row = NULL;
        *rowlen = 0;
        return o->live ? 1 : 0;
    }
    if ((o = overlay_find(l->pk, k->data, k->len)) != NULL) {
        *row = o->key + o->len;
        *rowlen = o->rowlen;
        return o->live ? 1 : 0;
    }
    if (l->table == NULL)
        return 0;
    if ((rc = state_get(l->table, k->data, k->len, &v, err)) == 1) {
        *row = v.data;
        *rowlen = v.len;
    }
    return rc;
}

/* One input record: its output records (0, 1 or 2) into o; *written what became of it. */
static int
one_record(const PkLookup *l, const uint8_t *rec, uint32_t len, int i, SqlConflictFn fn,
           void *fn_arg, Arena *a, Value *row, Value *kv, Buf *key, Buf *key2, PkOut *o,
           uint8_t *written, Err *err)
{
    EnginePk *pk = l->pk;
    const uint8_t *cur, *repl;
    size_t curlen, repllen;
    bool in_stmt;
    int rc;

    *written = 0;
    if (record_key(pk, rec, len, a, row, kv, key, err) < 0)
        return -1;
    if (rec[0] != SQL_REC_INSERT) { /* a delete or an upsert (UPDATE): no check */
        *written = 1;
        return overlay_put(l->stmt, key->data, key->len, rec[0] == SQL_REC_DELETE ? NULL : rec, 0,
                           0, err) < 0 ||
                       out_add(o, rec[0], rec + SQL_REC_HEADER, len - SQL_REC_HEADER, key, err) < 0
                   ? -1
                   : 0;
    }
    if ((rc = lookup(l, key, &cur, &curlen, &in_stmt, err)) < 0)
        return -1;
    if (rc == 0) {
        *written = 1;
        return overlay_put(l->stmt, key->data, key->len, rec, 0, 0, err) < 0 ||
                       out_add(o, SQL_REC_INSERT, rec + SQL_REC_HEADER, len - SQL_REC_HEADER, key,
                               err) < 0
                   ? -1
                   : 0;
    }
    if (fn == NULL)
        return duplicate(pk, kv, a, err);
    if ((rc = fn(fn_arg, i, in_stmt ? NULL : cur, curlen, &repl, &repllen, err)) <= 0)
        return rc; /* skipped, or an error */
    /* the existing row replaced: same key, or a move to a key that must be free */
    if (rowcodec_decode(repl, repllen, pk->types, pk->ncols, a, row, err) < 0)
        return -1;
    for (int k = 0; k < pk->npk; k++)
        kv[k] = row[pk->pkcols[k]];
    buf_reset(key2);
    if (keycodec_encode(&pk->spec, kv, key2, NULL, err) < 0)
        return -1;
    *written = 2;
    if (key2->len == key->len && memcmp(key2->data, key->data, key->len) == 0)
        return overlay_put(l->stmt, key->data, key->len, rec, 0, 0, err) < 0 ||
                       out_add(o, SQL_REC_UPSERT, repl, repllen, key, err) < 0
                   ? -1
                   : 0;
    if (out_add(o, SQL_REC_DELETE, cur, curlen, key, err) < 0 ||
        overlay_put(l->stmt, key->data, key->len, NULL, 0, 0, err) < 0)
        return -1;
    if ((rc = lookup(l, key2, &cur, &curlen, &in_stmt, err)) != 0)
        return rc < 0 ? -1 : duplicate(pk, kv, a, err);
    return overlay_put(l->stmt, key2->data, key2->len, rec, 0, 0, err) < 0 ||
                   out_add(o, SQL_REC_INSERT, repl, repllen, key2, err) < 0
               ? -1
               : 0;
}

int
pk_append(Engine *e, EngineRel *r, const uint8_t *const *recs, const uint32_t *lens, int n,
          SqlConflictFn fn, void *fn_arg, uint8_t *written, Err *err)
{
    EnginePk *pk = r->pk;
    Arena *a = arena_create("pk-append", 0);
    Value *row = arena_alloc(a, sizeof(Value) * (size_t)(pk->ncols + 1));
    Value *kv = arena_alloc(a, sizeof(Value) * (size_t)pk->npk);
    EnginePk stmt = {0}; /* keys of this statement's earlier records */
    StateSnapshot *snap = NULL;
    StateTable table;
    PkLookup l = {pk, &stmt, NULL};
    PkOut o = {0};
    LogRecord *lr = NULL;
    LogAppendResult res;
    Buf key, key2;
    int rc = 0;

    buf_init(&key, BUF_DEFAULT_MAX);
    buf_init(&key2, BUF_DEFAULT_MAX);
    buf_init(&o.recs, BUF_DEFAULT_MAX);
    buf_init(&o.keys, BUF_DEFAULT_MAX);
    pthread_mutex_lock(&pk->mu);
    if (state_snapshot_begin(e->state, &snap, err) < 0 ||
        (rc = state_snapshot_table(snap, pk->state_name, &table, err)) < 0)
        rc = -1;
    else {
        l.table = rc == 1 ? &table : NULL;
        rc = 0;
    }
    for (int i = 0; rc == 0 && i < n; i++) {
        uint8_t w;

        rc = one_record(&l, recs[i], lens[i], i, fn, fn_arg, a, row, kv, &key, &key2, &o, &w, err);
        if (written != NULL)
            written[i] = w;
    }
    /* the appended records must not point into the snapshot: out_add copied them */
    state_snapshot_end(snap);
    if (rc == 0 && o.n > 0 && (lr = calloc((size_t)o.n, sizeof *lr)) == NULL)
        rc = ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
    if (rc == 0 && o.n > 0) {
        for (int j = 0; j < o.n; j++)
            lr[j] = (LogRecord){o.recs.data + o.roff[j], (uint32_t)(o.roff[j + 1] - o.roff[j]), 0};
        if (log_append(r->log, lr, (size_t)o.n, &res, err) < 0 ||
            log_sync_to(r->log, res.last_offset, err) < 0)
            rc = -1;
    }
    for (int j = 0; rc == 0 && j < o.n; j++) {
        const uint8_t *rec = o.recs.data + o.roff[j];

        rc = overlay_put(pk, o.keys.data + o.koff[j], o.koff[j + 1] - o.koff[j],
                         rec[0] == SQL_REC_DELETE ? NULL : rec + SQL_REC_HEADER,
                         o.roff[j + 1] - o.roff[j] - SQL_REC_HEADER, res.first_offset + (uint64_t)j,
                         err);
    }
    pthread_mutex_unlock(&pk->mu);
    free(lr);
    for (size_t i = 0; i < stmt.ocap; i++)
        free(stmt.overlay[i].key);
    free(stmt.overlay);
    free(o.roff);
    free(o.koff);
    buf_free(&o.recs);
    buf_free(&o.keys);
    buf_free(&key);
    buf_free(&key2);
    arena_destroy(a);
    return rc;
}

/* ---- point lookups ------------------------------------------------------------------------ */

int
pk_get(Engine *e, EngineRel *r, const Value *kv, Arena *a, uint8_t **row, size_t *len, Err *err)
{
    EnginePk *pk = r->pk;
    PkOverlayEntry *o;
    StateSnapshot *snap = NULL;
    StateTable table;
    StateBytes v;
    Buf key;
    int rc;

    *row = NULL;
    *len = 0;
    buf_init(&key, BUF_DEFAULT_MAX);
    if (keycodec_encode(&pk->spec, kv, &key, NULL, err) < 0) {
        buf_free(&key);
        return -1;
    }
    /* invariant 1: the overlay, then the committed state, is the table as of every ack */
    pthread_mutex_lock(&pk->mu);
    if ((o = overlay_find(pk, key.data, key.len)) != NULL) {
        rc = o->live ? 1 : 0;
        if (rc == 1) {
            *row = arena_memdup(a, o->key + o->len, o->rowlen);
            *len = o->rowlen;
        }
    } else if ((rc = state_snapshot_begin(e->state, &snap, err)) == 0 &&
               (rc = state_snapshot_table(snap, pk->state_name, &table, err)) == 1 &&
               (rc = state_get(&table, key.data, key.len, &v, err)) == 1) {
        *row = arena_memdup(a, v.data, v.len);
        *len = v.len;
    }
    state_snapshot_end(snap);
    pthread_mutex_unlock(&pk->mu);
    buf_free(&key);
    return rc < 0 ? -1 : rc;
}

/* ---- epochs ------------------------------------------------------------------------------------
 */

/*
 * A primary-key table's net change in one epoch, for the views reading it: per key, the row it
 * had before the epoch (committed state) and the row it has after (or none). -before +after
 * is the delta; a row updated to itself cancels in the DeltaMap.
 */
typedef struct PkTouch {
    size_t old_off, new_off; /* into PkTouches.rows */
    uint32_t old_len, new_len;
    bool had_old, has_new;
} PkTouch;

typedef struct PkTouches {
    DeltaMap keys; /* key bytes → index + 1 (as the weight) */
    PkTouch *t;
    size_t n, cap;
    Buf rows;
} PkTouches;

static int
touch(PkTouches *pt, const StateTable *st, const Buf *key, const uint8_t *row, size_t rowlen,
      bool live, Err *err)
{
    DeltaEntry *de = deltamap_find(&pt->keys, key->data, key->len);
    PkTouch *t;

    if (de == NULL) {
        StateBytes old;
        int rc = 0;

        if (pt->n == pt->cap) {
            size_t cap = pt->cap ? pt->cap * 2 : 64;
            PkTouch *g = realloc(pt->t, cap * sizeof *g);

            if (g == NULL)
                return ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
            pt->t = g;
            pt->cap = cap;
        }
        t = &pt->t[pt->n];
        memset(t, 0, sizeof *t);
        if (st != NULL && (rc = state_get(st, key->data, key->len, &old, err)) < 0)
            return -1;
        if (rc == 1) {
            t->had_old = true;
            t->old_off = pt->rows.len;
            t->old_len = (uint32_t)old.len;
            buf_append(&pt->rows, old.data, old.len);
        }
        if (deltamap_add(&pt->keys, key->data, key->len, (int64_t)++pt->n, err) < 0)
            return -1;
    } else
        t = &pt->t[de->weight - 1];
    t->has_new = live;
    if (live) {
        t->new_off = pt->rows.len;
        t->new_len = (uint32_t)rowlen;
        buf_append(&pt->rows, row, rowlen);
    }
    if (pt->rows.failed)
        return ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
    return 0;
}

static int
touches_to_delta(PkTouches *pt, DeltaMap *out, Err *err)
{
    for (size_t i = 0; i < pt->n; i++) {
        const PkTouch *t = &pt->t[i];

        if (t->had_old &&
            deltamap_add(out, pt->rows.data + t->old_off, t->old_len, -1, err) < 0)
            return -1;
        if (t->has_new &&
            deltamap_add(out, pt->rows.data + t->new_off, t->new_len, 1, err) < 0)
            return -1;
    }
    return 0;
}

/*
 * Adds relation r's records [pk->applied, *end) to ep; with r->delta (views read the table),
 * also its net change, reading the rows before the epoch from snap.
 */
static int
collect(EngineRel *r, StateEpoch *ep, StateSnapshot *snap, Arena *a, Buf *key, uint64_t *end,
        Err *err)
{
    EnginePk *pk = r->pk;
    Value *row = arena_alloc(a, sizeof(Value) * (size_t)(pk->ncols + 1));
    Value *kv = arena_alloc(a, sizeof(Value) * (size_t)pk->npk);
    LogReader *reader = NULL;
    LogRecordView v;
    PkTouches pt;
    StateTable stab, *st = NULL;
    int table, rc;

    *end = log_durable_offset(r->log);
    if (*end <= pk->applied)
        return 0;
    if (state_epoch_table(ep, pk->state_name, &table, err) < 0)
        return -1;
    memset(&pt, 0, sizeof pt);
    buf_init(&pt.rows, SIZE_MAX);
    if (r->delta != NULL && (rc = state_snapshot_table(snap, pk->state_name, &stab, err)) != 0) {
        if (rc < 0)
            return -1;
        st = &stab;
    }
    rc = log_reader_open(r->log, pk->applied, *end, &reader, err);
    while (rc == 0 && (rc = log_reader_next(reader, &v, err)) == 1) {
        bool live = v.data[0] != SQL_REC_DELETE;

        if (record_key(pk, v.data, v.len, a, row, kv, key, err) < 0) {
            rc = -1;
            break;
        }
        rc = live ? state_epoch_put(ep, table, key->data, key->len, v.data + SQL_REC_HEADER,
                                    v.len - SQL_REC_HEADER, err)
                  : state_epoch_delete(ep, table, key->data, key->len, err);
        if (rc == 0 && r->delta != NULL)
            rc = touch(&pt, st, key, v.data + SQL_REC_HEADER, v.len - SQL_REC_HEADER, live, err);
        if (rc < 0)
            break;
        arena_reset(a);
        row = arena_alloc(a, sizeof(Value) * (size_t)(pk->ncols + 1));
        kv = arena_alloc(a, sizeof(Value) * (size_t)pk->npk);
    }
    if (reader != NULL)
        log_reader_close(reader);
    if (rc == 0 && r->delta != NULL)
        rc = touches_to_delta(&pt, r->delta, err);
    deltamap_free(&pt.keys);
    free(pt.t);
    buf_free(&pt.rows);
    if (rc < 0)
        return -1;
    return state_epoch_set_offset(ep, r->id, *end - 1, err);
}

/*
 * Records of one log an epoch takes at most: a backlog (a generator running ahead, a big
 * COPY) is cut into epochs of bounded size, so memory (the epoch's DeltaMaps, a view's
 * per-barrier work) does not grow with it. FLUSH runs epochs until it is taken.
 */
#define EPOCH_LOG_RECORDS 131072

/*
 * A log without a primary key read by views: its records [consumed, *end) as +1 changes,
 * at most EPOCH_LOG_RECORDS of them (*more set when records were left).
 */
static int
collect_log(EngineRel *r, StateEpoch *ep, uint64_t *end, bool *more, Err *err)
{
    LogReader *reader = NULL;
    LogRecordView v;
    uint64_t n = 0;
    int rc;

    *end = log_durable_offset(r->log);
    if (r->delta == NULL || *end <= r->consumed)
        return 0;
    rc = log_reader_open(r->log, r->consumed, *end, &reader, err);
    while (rc == 0 && (rc = log_reader_next(reader, &v, err)) == 1) {
        if (n++ == EPOCH_LOG_RECORDS) {
            *end = v.offset; /* this record and the rest: the next epoch */
            *more = true;
            rc = 0;
            break;
        }
        if (v.len < SQL_REC_HEADER || v.data[0] != SQL_REC_INSERT)
            rc = ERR_RAISE(err, ERRCODE_DATA_CORRUPTED, "malformed record in log %" PRIu64,
                           r->id);
        else
            /* appended, not hashed: an insert-only log's change set is a list of +1 rows
             * (equal rows are merged only if someone looks the map up, deltamap.h) */
            rc = deltamap_append(r->delta, v.data + SQL_REC_HEADER, v.len - SQL_REC_HEADER, 1,
                                 err);
    }
    if (reader != NULL)
        log_reader_close(reader);
    if (rc < 0)
        return -1;
    return state_epoch_set_offset(ep, r->id, *end - 1, err);
}

/*
 * Spare change-set maps: an epoch's DeltaMaps keep their memory for the next epochs, so a
 * backlog's epochs of EPOCH_LOG_RECORDS rows each do not regrow (realloc, copy, fault in)
 * tens of MB per log every epoch. At most DELTA_SPARES maps of at most DELTA_SPARE_BYTES each
 * are kept (process-wide, spare_mu); pk_close releases them.
 */
#define DELTA_SPARES 4
#define DELTA_SPARE_BYTES ((size_t)64 << 20)

static pthread_mutex_t spare_mu = PTHREAD_MUTEX_INITIALIZER;
static DeltaMap *spares[DELTA_SPARES];
static int nspares;

static DeltaMap *
delta_take(void)
{
    DeltaMap *m = NULL;

    pthread_mutex_lock(&spare_mu);
    if (nspares > 0)
        m = spares[--nspares];
    pthread_mutex_unlock(&spare_mu);
    return m != NULL ? m : calloc(1, sizeof *m); /* calloc: deltamap_init's state */
}

static void
delta_give(DeltaMap *m)
{
    size_t bytes = m->bcap + m->cap * sizeof(DeltaEntry) + m->nslots * sizeof *m->slots;

    if (bytes <= DELTA_SPARE_BYTES) {
        deltamap_reset(m);
        pthread_mutex_lock(&spare_mu);
        if (nspares < DELTA_SPARES) {
            spares[nspares++] = m;
            m = NULL;
        }
        pthread_mutex_unlock(&spare_mu);
    }
    if (m != NULL) {
        deltamap_free(m);
        free(m);
    }
}

static void
delta_spares_free(void)
{
    pthread_mutex_lock(&spare_mu);
    while (nspares > 0) {
        DeltaMap *m = spares[--nspares];

        deltamap_free(m);
        free(m);
    }
    pthread_mutex_unlock(&spare_mu);
}

static void
free_deltas(Engine *e)
{
    for (size_t i = 0; i < e->nrels; i++) {
        if (e->rels[i].delta != NULL) {
            delta_give(e->rels[i].delta);
            e->rels[i].delta = NULL;
        }
    }
}

int
epoch_run_locked(Engine *e, uint64_t *nrecords, int *ntables, Err *err)
{
    Arena *a = arena_create("pk-epoch", 0);
    StateEpoch *ep = NULL;
    StateSnapshot *snap = NULL;
    uint64_t *ends = NULL;
    size_t nrels;
    Buf key;
    int rc = 0, changed = 0;
    bool mv_changed = false, ran_views = false;

    *nrecords = 0;
    *ntables = 0;
    e->epoch_more = false;
    stream_temporal_tick(); /* the epoch's time for temporal filters (stream/temporal.h) */
    buf_init(&key, BUF_DEFAULT_MAX);
    pthread_rwlock_rdlock(&e->lock);
    nrels = e->nrels;
    if ((ends = calloc(nrels + 1, sizeof *ends)) == NULL)
        rc = ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
    else if (state_epoch_begin(e->state, e->epoch_no + 1, &ep, err) < 0 ||
             state_snapshot_begin(e->state, &snap, err) < 0)
        rc = -1;
    for (size_t i = 0; rc == 0 && i < nrels; i++) {
        EngineRel *r = &e->rels[i];

        if ((mv_reads(e, r->id) || wm_tracks(e, r->id)) && /* stream/engine_wm.c */
            (r->delta = delta_take()) == NULL)
            rc = ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
    }
    for (size_t i = 0; rc == 0 && i < nrels; i++) {
        EngineRel *r = &e->rels[i];

        if (r->log == NULL)
            continue;
        if (r->pk == NULL) {
            rc = collect_log(r, ep, &ends[i], &e->epoch_more, err);
            if (rc == 0 && r->delta != NULL && ends[i] > r->consumed)
                changed++;
            continue;
        }
        rc = collect(r, ep, snap, a, &key, &ends[i], err);
        if (rc == 0 && ends[i] > r->pk->applied) {
            *nrecords += ends[i] - r->pk->applied;
            (*ntables)++;
            changed++;
        }
    }
    if (rc == 0) {
        ran_views = true;
        rc = wm_epoch(e, ep, snap, &mv_changed, err); /* late rows, watermarks */
        if (rc == 0)
            rc = mv_epoch(e, ep, snap, &mv_changed, err);
    }
    state_snapshot_end(snap);
    if (rc == 0 && (changed > 0 || mv_changed)) {
        if (state_epoch_commit(ep, err) < 0)
            rc = -1;
        else {
            ep = NULL;
            e->epoch_no++;
        }
    }
    if (rc == 0) {
        for (size_t i = 0; i < nrels; i++) {
            EngineRel *r = &e->rels[i];
            EnginePk *pk = r->pk;

            if (r->log != NULL && pk == NULL)
                r->consumed = ends[i] > r->consumed ? ends[i] : r->consumed;
            if (pk == NULL || ends[i] <= pk->applied)
                continue;
            pthread_mutex_lock(&pk->mu);
            pk->applied = ends[i];
            overlay_prune(pk, ends[i]);
            pthread_mutex_unlock(&pk->mu);
        }
    }
    if (ran_views)
        mv_epoch_done(e, rc == 0);
    if (ran_views)
        wm_epoch_done(e, rc == 0);
    free_deltas(e);
    state_epoch_abort(ep);
    pthread_rwlock_unlock(&e->lock);
    free(ends);
    buf_free(&key);
    arena_destroy(a);
    return rc;
}

/*
 * One epoch (the driver's tick): at most EPOCH_LOG_RECORDS records of each log. *more (may be
 * NULL) says whether this epoch left records: read under epoch_mu, since the next epoch (the
 * driver's, another session's) resets Engine.epoch_more as soon as the lock is free.
 */
static int
epoch_run_once(Engine *e, bool *more, Err *err)
{
    uint64_t n;
    int t, rc;

    pthread_mutex_lock(&e->epoch_mu);
    rc = epoch_run_locked(e, &n, &t, err);
    if (more != NULL)
        *more = rc == 0 && e->epoch_more;
    pthread_mutex_unlock(&e->epoch_mu);
    return rc;
}

static uint64_t log_backlog(Engine *e);

int
pk_epoch_run(Engine *e, Err *err)
{
    /*
     * Everything acknowledged before the call is applied when it returns: epochs take at
     * most EPOCH_LOG_RECORDS records of a log each, so as many run as the backlog needs
     * (not more: a generator appending meanwhile does not keep the caller waiting).
     */
    uint64_t rounds = log_backlog(e) / EPOCH_LOG_RECORDS + 1;
    bool more;
    int rc;

    do {
        rc = epoch_run_once(e, &more, err);
    } while (rc == 0 && more && --rounds > 0);
    return rc;
}

/* ---- scans -------------------------------------------------------------------------------------
 */

int
pk_scan(Engine *e, EngineRel *r, Buf *out, Err *err)
{
    static const uint8_t header[SQL_REC_HEADER] = {SQL_REC_INSERT, SQL_REC_VERSION, 0, 0};
    StateSnapshot *snap;
    StateTable table;
    StateCursor *cur = NULL;
    StateBytes k, v;
    int rc;

    if (state_snapshot_begin(e->state, &snap, err) < 0)
        return -1;
    rc = state_snapshot_table(snap, r->pk->state_name, &table, err);
    if (rc == 1)
        rc = state_cursor_open(&table, NULL, false, &cur, err);
    while (rc == 0 && cur != NULL && (rc = state_cursor_next(cur, &k, &v, err)) == 1) {
        uint32_t len = (uint32_t)(SQL_REC_HEADER + v.len);

        buf_append(out, &len, sizeof len);
        buf_append(out, header, sizeof header);
        buf_append(out, v.data, v.len);
        if (out->failed)
            rc = ERR_RAISE(err, ERRCODE_PROGRAM_LIMIT_EXCEEDED, "table \"%s\" is too large to scan",
                           r->pk->relname);
        else
            rc = 0;
    }
    state_cursor_close(cur);
    state_snapshot_end(snap);
    return rc < 0 ? -1 : 0;
}

int
pk_drop_state(Engine *e, EngineRel *r, Err *err)
{
    int rc = state_drop_table(e->state, r->pk->state_name, err);

    return rc < 0 ? -1 : 0;
}

/* ---- the driver and start-up --------------------------------------------------------------- */

static void *
driver_main(void *arg)
{
    Engine *e = arg;
    int64_t last_retention = clock_monotonic_ns();
    bool more = false;

    pthread_mutex_lock(&e->driver_mu);
    while (!e->driver_stop) {
        unsigned ms = atomic_load(&e->interval_ms);
        struct timespec ts;
        Err err;

        clock_deadline_timespec((int64_t)ms * 1000, &ts);
        if (!more) /* a backlog is taken epoch after epoch without waiting */
            pthread_cond_timedwait(&e->driver_cv, &e->driver_mu, &ts);
        if (e->driver_stop)
            break;
        pthread_mutex_unlock(&e->driver_mu);
        err_clear(&err);
        if (epoch_run_once(e, &more, &err) < 0)
            LOG_WARNING("checkpoint failed (%s): %s", err.sqlstate, err.message);
        else if (clock_monotonic_ns() - last_retention > INT64_C(5000000000)) {
            engine_apply_retention(e);
            last_retention = clock_monotonic_ns();
        }
        pthread_mutex_lock(&e->driver_mu);
    }
    pthread_mutex_unlock(&e->driver_mu);
    return NULL;
}

/* Drops state tables of relations that no longer exist or have no primary key. */
static int
drop_orphan_state(Engine *e, Err *err)
{
    Arena *a = arena_create("pk-orphans", 0);
    char **names;
    size_t n;
    int rc = state_list_tables(e->state, a, &names, &n, err);

    for (size_t i = 0; rc == 0 && i < n; i++) {
        uint64_t id;
        EngineRel *r;

        if (!state_table_object_id(names[i], &id))
            continue;
        r = engine_find_rel(e, id);
        if (r != NULL && r->pk != NULL && strcmp(r->pk->state_name, names[i]) == 0)
            continue;
        if (r != NULL && wm_is_state_table(names[i])) /* stream/engine_wm.c */
            continue;
        if (r != NULL && r->is_mv) {
            char mvname[STATE_TABLE_NAME_MAX + 1];

            mv_state_name(id, mvname);
            if (strcmp(mvname, names[i]) == 0 || stream_state_is_op_table(names[i]))
                continue;
        }
        LOG_WARNING("dropping state table \"%s\": its relation was dropped", names[i]);
        rc = state_drop_table(e->state, names[i], err) < 0 ? -1 : 0;
    }
    arena_destroy(a);
    return rc;
}

int
pk_open(Engine *e, Err *err)
{
    char dir[PATH_MAX];
    StateSnapshot *snap;
    StateOptions so;
    int64_t t0 = clock_monotonic_ns();
    int npk = 0, rc = 0;

    pthread_mutex_init(&e->epoch_mu, NULL);
    pthread_mutex_init(&e->driver_mu, NULL);
    pthread_cond_init(&e->driver_cv, NULL);
    if (atomic_load(&e->interval_ms) == 0)
        atomic_store(&e->interval_ms, 1000);
    if ((size_t)snprintf(dir, sizeof dir, "%s/state", e->data_dir) >= sizeof dir)
        return ERR_RAISE(err, ERRCODE_IO_ERROR, "data directory path too long");
    if (state_open(dir, engine_state_options(&so), &e->state, err) < 0)
        return -1;
    e->epoch_no = state_last_epoch(e->state);
    if (drop_orphan_state(e, err) < 0 || state_snapshot_begin(e->state, &snap, err) < 0)
        return -1;
    for (size_t i = 0; rc == 0 && i < e->nrels; i++) {
        EngineRel *r = &e->rels[i];
        uint64_t off;

        if (r->log == NULL)
            continue;
        npk += r->pk != NULL;
        rc = state_snapshot_offset(snap, r->id, &off, err);
        if (r->pk != NULL) {
            StateTable t;
            int have = rc == 1 ? state_snapshot_table(snap, r->pk->state_name, &t, err) : 1;

            r->pk->applied = rc == 1 ? off + 1 : log_start_offset(r->log);
            if (have == 0) {
                /* applied records whose state table is gone: rebuild it from the log */
                r->pk->applied = log_start_offset(r->log);
                if (r->pk->applied == 0)
                    LOG_WARNING("the state of table \"%s\" is missing: rebuilding it from its "
                                "log",
                                r->pk->relname);
                else
                    LOG_ERROR("the state of table \"%s\" is missing and its log no longer "
                              "starts at record 0 (retention): rebuilt from record %" PRIu64
                              ", earlier rows are lost",
                              r->pk->relname, r->pk->applied);
            } else if (have < 0)
                rc = -1;
        } else
            r->consumed = rc == 1 ? off + 1 : log_start_offset(r->log);
        rc = rc < 0 ? -1 : 0;
    }
    state_snapshot_end(snap);
    e->npk_open = npk;
    e->open_t0 = t0;
    return rc < 0 ? -1 : 0;
}

int
pk_start(Engine *e, Err *err)
{
    uint64_t nrec = 0;
    int ntab = 0, rc;

    pthread_mutex_lock(&e->epoch_mu);
    rc = epoch_run_locked(e, &nrec, &ntab, err);
    pthread_mutex_unlock(&e->epoch_mu);
    if (rc < 0)
        return -1;
    LOG_INFO("state recovered at epoch %" PRIu64 ": %d primary-key tables, %" PRIu64
             " log records replayed into %d of them in %.1f ms",
             e->epoch_no, e->npk_open, nrec, ntab,
             (double)(clock_monotonic_ns() - e->open_t0) / 1e6);
    if (pthread_create(&e->driver, NULL, driver_main, e) != 0)
        return ERR_RAISE(err, ERRCODE_INTERNAL_ERROR, "could not start the epoch driver");
    e->driver_running = true;
    return 0;
}

void
pk_close(Engine *e)
{
    Err err;

    if (e->driver_running) {
        pthread_mutex_lock(&e->driver_mu);
        e->driver_stop = true;
        pthread_cond_signal(&e->driver_cv);
        pthread_mutex_unlock(&e->driver_mu);
        pthread_join(e->driver, NULL);
        e->driver_running = false;
        err_clear(&err);
        if (epoch_run_once(e, NULL, &err) < 0)
            LOG_WARNING("last checkpoint failed (%s): %s", err.sqlstate, err.message);
    }
    if (e->state != NULL) {
        state_close(e->state);
        e->state = NULL;
        pthread_mutex_destroy(&e->epoch_mu);
        pthread_mutex_destroy(&e->driver_mu);
        pthread_cond_destroy(&e->driver_cv);
    }
    delta_spares_free();
}

/* Records the epochs still have to take from the logs views read (a FLUSH's backlog). */
static uint64_t
log_backlog(Engine *e)
{
    uint64_t most = 0;

    pthread_rwlock_rdlock(&e->lock);
    for (size_t i = 0; i < e->nrels; i++) {
        EngineRel *r = &e->rels[i];
        uint64_t end;

        if (r->log == NULL || r->pk != NULL)
            continue;
        end = log_durable_offset(r->log);
        if (end > r->consumed && end - r->consumed > most)
            most = end - r->consumed;
    }
    pthread_rwlock_unlock(&e->lock);
    return most;
}

int
engine_flush(Engine *e, Err *err)
{
    return pk_epoch_run(e, err);
}

void
engine_set_checkpoint_interval(Engine *e, unsigned ms)
{
    atomic_store(&e->interval_ms, ms < 10 ? 10 : ms > 3600000 ? 3600000 : ms);
    pthread_mutex_lock(&e->driver_mu);
    pthread_cond_signal(&e->driver_cv);
    pthread_mutex_unlock(&e->driver_mu);
}
