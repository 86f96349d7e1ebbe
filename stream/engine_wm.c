/*
 * stream/engine_wm.c — per-relation event-time watermarks (sql/watermark.h has the meaning),
 * late rows, the idle timeout, and rw_catalog.rw_watermarks.
 *
 * A registry entry per relation is made the first time an epoch sees the relation: a source
 * or APPEND ONLY table gets its WATERMARK FOR clause bound from the stored CREATE text (in a
 * session of the registry's own, settings at their defaults), a materialized view gets the
 * output column that derives a watermark (sql_watermark_derive over its stored plan) and
 * whether it is EMIT ON WINDOW CLOSE.
 *
 * Per epoch, for a source S with watermark W (as committed by the previous epoch):
 *
 *   rows of the epoch ──▶ ts NULL or ts >= W: kept (rows of one epoch are never late
 *                         │                   relative to each other: the epoch is the unit
 *                         │                   RisingWave's watermark filter works in, a chunk)
 *                         └▶ ts < W: late: removed from the delta every view reads, counted,
 *                            kept in "t<S>.late" (seq → row) so a backfill or rebuild of a view
 *                            sees the same rows, copied into late_rows.table if set
 *   W' = max(W, max expr(ts) over the kept rows)     (never decreases)
 *   no rows and watermark.idle_timeout T set: once the source has been idle for T of wall
 *   time, W advances with the wall clock: by the time elapsed beyond T (timestamp types)
 *   "t<S>.wm": 'w' → valid u8 + W (8 bytes), 'n' → late rows, 's' → next late sequence
 *
 * All of it commits with the epoch (storage/state.h invariant 1), so after a crash the same
 * rows are late again and the watermark is where the last epoch left it. The idle clock is
 * wall time kept in memory: after a restart a source is idle again only after T.
 *
 * An ad-hoc SELECT of the relation skips its late rows too (wm_scan_late), so it agrees with
 * the views; rows not yet taken by an epoch are not judged yet and show.
 *
 * Divergence: copies into late_rows.table are appended before the epoch commits, so a crash
 * in between may copy a late row twice (at least once, never lost).
 *
 * Invariants:
 *   1. wm and late only grow; they change only in wm_epoch_done of a committed epoch.
 *   2. A row found late is in "t<S>.late" exactly once per copy (key: the log offset its
 *      epoch's rows start at, a sequence number), committed with the offsets of the epoch that
 *      read it. Entries of epochs before the log's retained start are not subtracted.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/clock.h"
#include "common/errcodes.h"
#include "common/logger.h"
#include "sql/datetime.h"
#include "sql/relation.h"
#include "sql/rowcodec.h"
#include "sql/watermark.h"
#include "stream/engine_wm.h"

typedef struct WmRel {
    uint64_t id;
    char *name;
    const char *kind; /* "source", "table", "materialized view" */
    bool has;         /* carries a watermark */
    bool gone;        /* dropped */
    int ncols;
    Oid *types;
    /* sources and tables */
    SqlWatermarkDef def;
    uint64_t late_table_id;
    bool state_loaded;
    /* views */
    bool is_view, eowc;
    SqlWmColumn wc;
    SqlScript *script;
    SqlStatement *stmt;
    /* committed and this epoch's values */
    bool valid, next_valid;
    Datum wm, next;
    int64_t late, next_late;
    uint64_t seq, next_seq;
    bool dirty;
    int64_t last_row_us, idle_adv_us;
    bool released_valid;
    Datum released;
} WmRel;

struct EngineWm {
    pthread_mutex_t mu;
    Arena *arena;
    SqlSession *session;
    WmRel **rels;
    size_t n, cap;
};

/* Guards the creation of Engine.wm (the epoch thread and sessions may both be first). */
static pthread_mutex_t registry_mu = PTHREAD_MUTEX_INITIALIZER;

static EngineWm *
registry(Engine *e)
{
    EngineWm *found;

    pthread_mutex_lock(&registry_mu);
    if (e->wm == NULL) {
        EngineWm *w = calloc(1, sizeof *w);
        Err ignored = {0};

        if (w == NULL) {
            pthread_mutex_unlock(&registry_mu);
            return NULL;
        }
        pthread_mutex_init(&w->mu, NULL);
        w->arena = arena_create("watermarks", 0);
        w->session = sql_session_create();
        if (w->session != NULL &&
            (sql_session_startup_param(w->session, "user", "rivulet", &ignored) < 0 ||
             sql_session_startup_done(w->session, &ignored) < 0)) {
            sql_session_destroy(w->session);
            w->session = NULL;
        }
        e->wm = w;
    }
    found = e->wm;
    pthread_mutex_unlock(&registry_mu);
    return found;
}

void
wm_free(Engine *e)
{
    EngineWm *w = e->wm;

    if (w == NULL)
        return;
    for (size_t i = 0; i < w->n; i++) {
        sql_statement_destroy(w->rels[i]->stmt);
        sql_script_destroy(w->rels[i]->script);
    }
    free(w->rels);
    if (w->session != NULL)
        sql_session_destroy(w->session);
    arena_destroy(w->arena);
    pthread_mutex_destroy(&w->mu);
    free(w);
    e->wm = NULL;
}

bool
wm_is_state_table(const char *name)
{
    const char *dot = strrchr(name, '.');

    return dot != NULL &&
           (strcmp(dot, ".wm") == 0 || strcmp(dot, ".late") == 0 || strcmp(dot, ".eowc") == 0);
}

static WmRel *
find(EngineWm *w, uint64_t id)
{
    for (size_t i = 0; w != NULL && i < w->n; i++) {
        if (w->rels[i]->id == id)
            return w->rels[i];
    }
    return NULL;
}

static WmRel *load(Engine *e, EngineWm *w, uint64_t id);

typedef struct LookupArg {
    Engine *e;
    EngineWm *w;
} LookupArg;

static bool
lookup_col(void *arg, uint64_t relid, const char *relname, int *col)
{
    LookupArg *la = arg;
    WmRel *r = load(la->e, la->w, relid);

    (void)relname;
    if (r == NULL || !r->has)
        return false;
    *col = r->is_view ? r->wc.column : r->def.column;
    return true;
}

/* The view's derivation from its stored text. */
static void
load_view(Engine *e, EngineWm *w, WmRel *r, const char *definition)
{
    const PlanNode *plan = NULL;
    LookupArg la = {e, w};
    Err err = {0};

    r->is_view = true;
    r->eowc = sql_definition_is_eowc(definition);
    if (w->session == NULL ||
        sql_matview_plan(w->session, definition, &r->script, &r->stmt, &plan, &err) < 0) {
        if (r->eowc)
            LOG_WARNING("materialized view \"%s\": no watermark (%s)", r->name, err.message);
        return;
    }
    r->has = sql_watermark_derive(plan, lookup_col, &la, w->arena, &r->wc) == 0;
}

/* The registry entry of relation id, made on first use (NULL: not a relation any more). */
static WmRel *
load(Engine *e, EngineWm *w, uint64_t id)
{
    WmRel *r = find(w, id);
    CatalogRelation *cr = NULL;
    Arena *a;
    Err err = {0};
    int rc;

    if (r != NULL)
        return r;
    a = arena_create("wm-load", 0);
    pthread_mutex_lock(&e->cache_mu);
    rc = catalog_store_lookup_by_id(e->cs, id, a, &cr, &err);
    pthread_mutex_unlock(&e->cache_mu);
    if (rc != CATALOG_OK || cr == NULL) {
        arena_destroy(a);
        return NULL;
    }
    if (w->n == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 16;
        WmRel **g = realloc(w->rels, cap * sizeof *g);

        if (g == NULL) {
            arena_destroy(a);
            return NULL;
        }
        w->rels = g;
        w->cap = cap;
    }
    r = arena_calloc(w->arena, 1, sizeof *r);
    r->id = id;
    r->name = arena_strdup(w->arena, cr->name);
    r->kind = cr->kind == CATALOG_SOURCE    ? "source"
              : cr->kind == CATALOG_MATVIEW ? "materialized view"
                                            : "table";
    r->ncols = (int)cr->n_columns;
    r->types = arena_calloc(w->arena, cr->n_columns + 1, sizeof(Oid));
    for (size_t c = 0; c < cr->n_columns; c++)
        r->types[c] = cr->columns[c].type_oid;
    w->rels[w->n++] = r;
    if (cr->kind == CATALOG_MATVIEW && cr->definition != NULL)
        load_view(e, w, r, cr->definition);
    else if ((cr->kind == CATALOG_SOURCE || cr->kind == CATALOG_TABLE) && cr->definition != NULL &&
             w->session != NULL) {
        const char **names = arena_calloc(a, cr->n_columns + 1, sizeof(char *));
        int32_t *typmods = arena_calloc(a, cr->n_columns + 1, sizeof(int32_t));

        for (size_t c = 0; c < cr->n_columns; c++) {
            names[c] = cr->columns[c].name;
            typmods[c] = cr->columns[c].typmod;
        }
        rc = sql_watermark_def(w->session, cr->definition, r->ncols, names, r->types, typmods,
                               w->arena, &r->def, &err);
        if (rc < 0)
            LOG_WARNING("the watermark of \"%s\" could not be bound (%s): %s; it has none", r->name,
                        err.sqlstate, err.message);
        r->has = rc == 0;
    }
    arena_destroy(a);
    return r;
}

bool
wm_tracks(Engine *e, uint64_t id)
{
    EngineWm *w = registry(e);
    WmRel *r;
    bool has;

    if (w == NULL)
        return false;
    pthread_mutex_lock(&w->mu);
    r = load(e, w, id);
    has = r != NULL && r->has && !r->is_view;
    pthread_mutex_unlock(&w->mu);
    return has;
}

/* ---- persisted state ---- */

static void
put_be64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (56 - 8 * i));
}

static int
load_state(Engine *e, WmRel *r, StateSnapshot *snap, Err *err)
{
    char name[STATE_TABLE_NAME_MAX + 1];
    StateTable t;
    StateBytes v;
    int rc;

    (void)e;
    r->state_loaded = true;
    if (state_table_name(name, r->id, "wm", err) < 0)
        return -1;
    if ((rc = state_snapshot_table(snap, name, &t, err)) <= 0)
        return rc;
    if (state_get(&t, "w", 1, &v, err) == 1 && v.len == 9) {
        r->valid = ((const uint8_t *)v.data)[0] != 0;
        memcpy(&r->wm, (const uint8_t *)v.data + 1, 8);
    }
    if (state_get(&t, "n", 1, &v, err) == 1 && v.len == 8)
        memcpy(&r->late, v.data, 8);
    if (state_get(&t, "s", 1, &v, err) == 1 && v.len == 8)
        memcpy(&r->seq, v.data, 8);
    return 0;
}

static int
save_state(WmRel *r, StateEpoch *ep, Err *err)
{
    char name[STATE_TABLE_NAME_MAX + 1];
    uint8_t wv[9];
    int tab;

    if (state_table_name(name, r->id, "wm", err) < 0 || state_epoch_table(ep, name, &tab, err) < 0)
        return -1;
    wv[0] = r->next_valid;
    memcpy(wv + 1, &r->next, 8);
    if (state_epoch_put(ep, tab, "w", 1, wv, sizeof wv, err) < 0 ||
        state_epoch_put(ep, tab, "n", 1, &r->next_late, 8, err) < 0 ||
        state_epoch_put(ep, tab, "s", 1, &r->next_seq, 8, err) < 0)
        return -1;
    return 0;
}

/* ---- the epoch ---- */

/* Late rows: kept in "t<id>.late", copied to the late table if there is one. */
static int
take_late(Engine *e, EngineWm *w, WmRel *r, uint64_t from, StateEpoch *ep, const DeltaMap *late,
          Err *err)
{
    static const uint8_t header[SQL_REC_HEADER] = {SQL_REC_INSERT, SQL_REC_VERSION, 0, 0};
    char name[STATE_TABLE_NAME_MAX + 1];
    EngineRel *lt = NULL;
    const uint8_t *row;
    size_t len, pos = 0;
    int64_t wt;
    int tab;
    Buf rec;
    int rc = 0;

    if (state_table_name(name, r->id, "late", err) < 0 ||
        state_epoch_table(ep, name, &tab, err) < 0)
        return -1;
    if (r->def.late_table != NULL) {
        SqlRelation *rel = NULL;
        Err ignored = {0};
        Arena *a = arena_create("wm-late", 0);

        if (e->provider.lookup != NULL &&
            e->provider.lookup(e->provider.arg, r->def.late_table, a, &rel, &ignored) == 0 &&
            rel != NULL && rel->kind == SQL_REL_TABLE)
            lt = engine_find_rel(e, rel->id);
        arena_destroy(a);
        if (lt == NULL || lt->log == NULL || lt->pk != NULL) {
            LOG_WARNING("late rows of \"%s\" are only counted: table \"%s\" is gone", r->name,
                        r->def.late_table);
            lt = NULL;
        }
    }
    (void)w;
    buf_init(&rec, BUF_DEFAULT_MAX);
    while (rc == 0 && deltamap_next(late, &pos, &row, &len, &wt)) {
        for (int64_t k = 0; rc == 0 && k < wt; k++) {
            uint8_t key[16];
            LogRecord lr;
            LogAppendResult res;

            /* the log offset the epoch's rows start at, then a sequence number */
            put_be64(key, from);
            put_be64(key + 8, r->next_seq++);
            r->next_late++;
            rc = state_epoch_put(ep, tab, key, sizeof key, row, len, err);
            if (rc < 0 || lt == NULL)
                continue;
            buf_reset(&rec);
            buf_append(&rec, header, sizeof header);
            buf_append(&rec, row, len);
            lr = (LogRecord){rec.data, (uint32_t)rec.len, 0};
            if (rec.failed)
                rc = ERR_RAISE(err, ERRCODE_PROGRAM_LIMIT_EXCEEDED, "late row too long");
            else if (log_append(lt->log, &lr, 1, &res, err) < 0 ||
                     log_sync_to(lt->log, res.last_offset, err) < 0)
                rc = -1;
        }
    }
    buf_free(&rec);
    return rc;
}

/* One source's part of the epoch. */
static int
source_epoch(Engine *e, EngineWm *w, EngineRel *er, WmRel *r, StateEpoch *ep, bool *changed,
             Err *err)
{
    Arena *a = arena_create("wm-epoch", 0);
    EvalCtx ctx = {0};
    DeltaMap late;
    const uint8_t *row;
    size_t len, pos = 0;
    int64_t wt, now = clock_now_us();
    bool any = false;
    int rc = 0;

    deltamap_init(&late);
    ctx.session = w->session;
    ctx.arena = a;
    ctx.io = &type_io_default;
    r->next_valid = r->valid;
    r->next = r->wm;
    r->next_late = r->late;
    r->next_seq = r->seq;
    while (rc == 0 && er->delta != NULL && deltamap_next(er->delta, &pos, &row, &len, &wt)) {
        Value v[ROWCODEC_MAX_COLS > 64 ? 64 : ROWCODEC_MAX_COLS];
        Value *vals = r->ncols <= 64 ? v : arena_alloc(a, sizeof(Value) * (size_t)r->ncols);
        Datum out;
        bool isnull;

        any = true;
        if (rowcodec_decode(row, len, r->types, r->ncols, a, vals, err) < 0) {
            rc = -1;
            break;
        }
        if (vals[r->def.column].isnull || wt <= 0)
            continue;
        if (r->valid && (int64_t)vals[r->def.column].d < (int64_t)r->wm) {
            rc = deltamap_add(&late, row, len, wt, err);
            continue;
        }
        ctx.row = vals;
        ctx.ncols = r->ncols;
        if (expr_eval(r->def.expr, &ctx, &out, &isnull, err) < 0) {
            /* the row's own problem (overflow, say): it does not move the watermark */
            LOG_WARNING("watermark of \"%s\": %s", r->name, err->message);
            err_clear(err);
            continue;
        }
        if (!isnull && (!r->next_valid || (int64_t)out > (int64_t)r->next)) {
            r->next = out;
            r->next_valid = true;
        }
    }
    if (rc == 0 && deltamap_size(&late) > 0) {
        pos = 0;
        while (rc == 0 && deltamap_next(&late, &pos, &row, &len, &wt))
            rc = deltamap_add(er->delta, row, len, -wt, err);
        if (rc == 0)
            rc = take_late(e, w, r, er->consumed, ep, &late, err);
    }
    if (any || r->last_row_us == 0)
        r->last_row_us = now;
    else if (r->def.idle_timeout_us > 0 && r->next_valid &&
             (r->def.type == TYPE_TIMESTAMP || r->def.type == TYPE_TIMESTAMPTZ) &&
             now - r->last_row_us > r->def.idle_timeout_us) {
        int64_t from = r->last_row_us + r->def.idle_timeout_us;

        if (r->idle_adv_us > from)
            from = r->idle_adv_us;
        r->next = (Datum)((int64_t)r->next + (now - from));
        r->idle_adv_us = now;
    }
    r->dirty = r->next_valid != r->valid || r->next != r->wm || r->next_late != r->late;
    if (rc == 0 && r->dirty) {
        rc = save_state(r, ep, err);
        *changed = true;
    }
    deltamap_free(&late);
    arena_destroy(a);
    return rc;
}

int
wm_epoch(Engine *e, StateEpoch *ep, StateSnapshot *snap, bool *changed, Err *err)
{
    EngineWm *w = registry(e);
    int rc = 0;

    if (w == NULL)
        return 0;
    pthread_mutex_lock(&w->mu);
    for (size_t i = 0; i < w->n; i++)
        w->rels[i]->gone = engine_find_rel(e, w->rels[i]->id) == NULL;
    for (size_t i = 0; rc == 0 && i < e->nrels; i++) {
        EngineRel *er = &e->rels[i];
        WmRel *r = load(e, w, er->id);

        if (r == NULL || !r->has || r->is_view)
            continue;
        if (!r->state_loaded && load_state(e, r, snap, err) < 0) {
            rc = -1;
            break;
        }
        rc = source_epoch(e, w, er, r, ep, changed, err);
    }
    pthread_mutex_unlock(&w->mu);
    return rc;
}

void
wm_epoch_done(Engine *e, bool committed)
{
    EngineWm *w = e->wm;

    if (w == NULL)
        return;
    pthread_mutex_lock(&w->mu);
    for (size_t i = 0; i < w->n; i++) {
        WmRel *r = w->rels[i];

        if (r->is_view || !r->dirty)
            continue;
        if (committed) {
            r->valid = r->next_valid;
            r->wm = r->next;
            r->late = r->next_late;
            r->seq = r->next_seq;
        }
        r->dirty = false;
    }
    pthread_mutex_unlock(&w->mu);
}

int
wm_late_rows(Engine *e, uint64_t id, StateSnapshot *snap, WmRowFn fn, void *arg, Err *err)
{
    char name[STATE_TABLE_NAME_MAX + 1];
    StateTable t;
    StateCursor *cur = NULL;
    StateBytes k, v;
    EngineRel *er = engine_find_rel(e, id);
    uint64_t start = er != NULL && er->log != NULL ? log_start_offset(er->log) : 0;
    int rc;

    if (state_table_name(name, id, "late", err) < 0)
        return -1;
    if ((rc = state_snapshot_table(snap, name, &t, err)) <= 0)
        return rc;
    if (state_cursor_open(&t, NULL, false, &cur, err) < 0)
        return -1;
    while ((rc = state_cursor_next(cur, &k, &v, err)) == 1) {
        uint64_t from = 0;

        for (size_t i = 0; i < 8 && k.len == 16; i++)
            from = from << 8 | ((const uint8_t *)k.data)[i];
        if (from < start)
            continue; /* the log no longer holds its epoch's rows (retention) */
        if (fn(arg, v.data, v.len, -1, err) < 0) {
            rc = -1;
            break;
        }
    }
    state_cursor_close(cur);
    return rc < 0 ? -1 : 0;
}

static int
to_late_map(void *arg, const uint8_t *row, size_t len, int64_t count, Err *err)
{
    return deltamap_add(arg, row, len, -count, err); /* count is -1: one more copy */
}

DeltaMap *
wm_scan_late(Engine *e, uint64_t id)
{
    StateSnapshot *snap = NULL;
    DeltaMap *m;
    Err err = {0};
    int rc;

    if (!wm_tracks(e, id) || (m = calloc(1, sizeof *m)) == NULL)
        return NULL;
    deltamap_init(m);
    if (state_snapshot_begin(e->state, &snap, &err) < 0) {
        wm_scan_late_free(m);
        return NULL;
    }
    rc = wm_late_rows(e, id, snap, to_late_map, m, &err);
    state_snapshot_end(snap);
    if (rc < 0 || deltamap_size(m) == 0) {
        if (rc < 0)
            LOG_WARNING("could not read the late rows of relation %" PRIu64 ": %s", id,
                        err.message);
        wm_scan_late_free(m);
        return NULL;
    }
    return m;
}

bool
wm_scan_skip(DeltaMap *late, const uint8_t *rec, size_t len)
{
    DeltaEntry *de;

    if (late == NULL || len < SQL_REC_HEADER)
        return false;
    de = deltamap_find(late, rec + SQL_REC_HEADER, len - SQL_REC_HEADER);
    if (de == NULL || de->weight <= 0)
        return false;
    de->weight--;
    return true;
}

void
wm_scan_late_free(DeltaMap *late)
{
    if (late != NULL) {
        deltamap_free(late);
        free(late);
    }
}

/* ---- views ---- */

static bool current(Engine *e, EngineWm *w, WmRel *r, Datum *out, int depth);

typedef struct BaseArg {
    Engine *e;
    EngineWm *w;
    int depth;
} BaseArg;

/* SqlWmRelValueFn: the current watermark of a relation a view derives its own from. */
static bool
base_value(void *arg, uint64_t relid, Datum *out)
{
    BaseArg *b = arg;

    return current(b->e, b->w, load(b->e, b->w, relid), out, b->depth + 1);
}

/* The watermark of relation r this epoch (sources: as advanced by this epoch). */
static bool
current(Engine *e, EngineWm *w, WmRel *r, Datum *out, int depth)
{
    BaseArg b = {e, w, depth};
    Err err = {0};
    EvalCtx ctx = {0};
    Arena *a;
    int rc;

    if (r == NULL || !r->has || depth > 16)
        return false;
    if (!r->is_view) {
        *out = r->dirty ? r->next : r->wm;
        return r->dirty ? r->next_valid : r->valid;
    }
    a = arena_create("wm-apply", 0);
    ctx.session = w->session;
    ctx.arena = a;
    ctx.io = &type_io_default;
    rc = sql_watermark_value(&r->wc, &ctx, base_value, &b, out, &err);
    arena_destroy(a);
    return rc == 1;
}

bool
wm_current(Engine *e, uint64_t id, Datum *wv)
{
    EngineWm *w = registry(e);
    bool ok;

    if (w == NULL)
        return false;
    pthread_mutex_lock(&w->mu);
    ok = current(e, w, load(e, w, id), wv, 0);
    pthread_mutex_unlock(&w->mu);
    return ok;
}

bool
wm_job_column(void *engine, uint64_t relid, const char *relname, int *col)
{
    Engine *e = engine;
    EngineWm *w = registry(e);
    LookupArg la = {e, w};
    bool ok;

    if (w == NULL)
        return false;
    pthread_mutex_lock(&w->mu);
    ok = lookup_col(&la, relid, relname, col);
    pthread_mutex_unlock(&w->mu);
    return ok;
}

bool
wm_job_value(void *engine, uint64_t relid, Datum *wv)
{
    return wm_current(engine, relid, wv);
}

bool
wm_view_is_eowc(Engine *e, uint64_t id)
{
    EngineWm *w = registry(e);
    WmRel *r;
    bool eowc;

    if (w == NULL)
        return false;
    pthread_mutex_lock(&w->mu);
    r = load(e, w, id);
    eowc = r != NULL && r->is_view && r->eowc && r->has;
    pthread_mutex_unlock(&w->mu);
    return eowc;
}

bool
wm_released_get(Engine *e, uint64_t id, Datum *wv)
{
    EngineWm *w = registry(e);
    WmRel *r;
    bool ok = false;

    if (w == NULL)
        return false;
    pthread_mutex_lock(&w->mu);
    if ((r = find(w, id)) != NULL && r->released_valid) {
        *wv = r->released;
        ok = true;
    }
    pthread_mutex_unlock(&w->mu);
    return ok;
}

void
wm_released_set(Engine *e, uint64_t id, Datum wv)
{
    EngineWm *w = registry(e);
    WmRel *r;

    if (w == NULL)
        return;
    pthread_mutex_lock(&w->mu);
    if ((r = find(w, id)) != NULL) {
        r->released = wv;
        r->released_valid = true;
    }
    pthread_mutex_unlock(&w->mu);
}

int
wm_view_column(Engine *e, uint64_t id, Oid *type)
{
    EngineWm *w = registry(e);
    WmRel *r;
    int col = -1;

    if (w == NULL)
        return -1;
    pthread_mutex_lock(&w->mu);
    if ((r = load(e, w, id)) != NULL && r->has && r->is_view && r->wc.column < r->ncols) {
        col = r->wc.column;
        *type = r->types[col];
    }
    pthread_mutex_unlock(&w->mu);
    return col;
}

Oid *
wm_view_types(Engine *e, uint64_t id, int *ncols)
{
    EngineWm *w = registry(e);
    WmRel *r;
    Oid *t = NULL;

    if (w == NULL)
        return NULL;
    pthread_mutex_lock(&w->mu);
    if ((r = load(e, w, id)) != NULL) {
        t = r->types;
        *ncols = r->ncols;
    }
    pthread_mutex_unlock(&w->mu);
    return t;
}

/* ---- rw_catalog.rw_watermarks ---- */

int
wm_sys_rows(Engine *e, Arena *a, WmSysFn fn, void *arg, Err *err)
{
    EngineWm *w = registry(e);
    int rc = 0;

    if (w == NULL)
        return 0;
    pthread_mutex_lock(&w->mu);
    for (size_t i = 0; rc == 0 && i < w->n; i++) {
        WmRel *r = w->rels[i];
        Value v[WM_SYS_NCOLS];
        Datum wv;
        bool ok;
        Oid type;
        int col;
        Buf text;

        if (!r->has || r->gone)
            continue;
        ok = current(e, w, r, &wv, 0);
        col = r->is_view ? r->wc.column : r->def.column;
        type = col >= 0 && col < r->ncols ? r->types[col] : TYPE_INVALID;
        memset(v, 0, sizeof v);
        v[0] = (Value){datum_from_int64((int64_t)r->id), false};
        v[1] = (Value){datum_from_cstr(a, r->name), false};
        v[2] = (Value){datum_from_cstr(a, r->kind), false};
        v[3] = (Value){0, true};
        {
            CatalogRelation *cr = NULL;
            Err ignored = {0};
            int found;

            /* dropped since the last epoch: not shown */
            pthread_mutex_lock(&e->cache_mu);
            found = catalog_store_lookup_by_id(e->cs, r->id, a, &cr, &ignored) == CATALOG_OK &&
                    cr != NULL;
            if (found && col >= 0 && (size_t)col < cr->n_columns)
                v[3] = (Value){datum_from_cstr(a, cr->columns[col].name), false};
            pthread_mutex_unlock(&e->cache_mu);
            if (!found)
                continue;
        }
        v[4] = (Value){0, true};
        v[5] = (Value){0, true};
        if (ok && type_by_oid(type) != NULL && type_by_oid(type)->out != NULL) {
            buf_init(&text, 256);
            type_by_oid(type)->out(wv, -1, &type_io_default, &text);
            buf_put_u8(&text, 0);
            v[4] = (Value){datum_from_cstr(a, (const char *)text.data), false};
            buf_free(&text);
            if (type == TYPE_TIMESTAMP || type == TYPE_TIMESTAMPTZ) {
                /* lag behind now(): both µs since 2000-01-01 (a timestamp read as UTC) */
                int64_t us = clock_now_us() - INT64_C(946684800000000) - (int64_t)wv;
                Interval iv = {us % INT64_C(86400000000), (int32_t)(us / INT64_C(86400000000)), 0};

                v[5] = (Value){interval_datum(a, &iv), false};
            }
        }
        v[6] = r->is_view ? (Value){0, true} : (Value){datum_from_int64(r->late), false};
        rc = fn(arg, v, err);
    }
    pthread_mutex_unlock(&w->mu);
    return rc;
}
