/*
 * stream/engine_sys.c — system views in schema rw_catalog (RisingWave's
 * names): relations the engine computes when they are read, found by the
 * binder like any table (sql_relation_lookup resolves "rw_catalog.<name>",
 * and an unqualified name not found in public) and scanned through
 * engine_scan like one.
 *
 *   rw_ddl_progress        one row per CREATE MATERIALIZED VIEW backfilling
 *                          now: ddl_id, ddl_statement, progress ('42.50%'),
 *                          initialized_at
 *   rw_materialized_views  id, name, definition of every materialized view
 *   rw_watermarks          per source / table / view with a watermark: its column, value
 *                          (text), lag behind now(), late rows dropped (stream/engine_wm.c)
 *   rw_state_tables        one row per LMDB state table (and "_meta"): table_name,
 *                          relation_id (the id in "t<id>.<suffix>", NULL for "_meta"),
 *                          entries, bytes (its B-tree pages × page size; state_table_stats),
 *                          relation_name (NULL when no relation has that id: an orphan)
 *
 * Invariants:
 *   1. System relations have fixed ids below CATALOG_FIRST_ID, so they never
 *      collide with stored relations.
 *   2. Reading one takes no epoch and never waits for a backfill (progress
 *      has its own mutex).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/clock.h"
#include "common/errcodes.h"
#include "sql/rowcodec.h"
#include "sql/types.h"
#include "stream/engine_int.h"
#include "stream/engine_wm.h"

#define SYS_DDL_PROGRESS 101
#define SYS_MATVIEWS 102
#define SYS_WATERMARKS 103 /* stream/engine_wm.c */
#define SYS_STATE_TABLES 104
#define PG_EPOCH_OFFSET_US INT64_C(946684800000000)

typedef struct SysCol {
    const char *name;
    Oid type;
} SysCol;

typedef struct SysRel {
    uint64_t id;
    const char *name;
    int ncols;
    SysCol cols[WM_SYS_NCOLS];
} SysRel;

static const SysRel sys_rels[] = {
    {SYS_DDL_PROGRESS,
     "rw_ddl_progress",
     4,
     {{"ddl_id", TYPE_INT8},
      {"ddl_statement", TYPE_TEXT},
      {"progress", TYPE_TEXT},
      {"initialized_at", TYPE_TIMESTAMPTZ}}},
    {SYS_MATVIEWS,
     "rw_materialized_views",
     3,
     {{"id", TYPE_INT8}, {"name", TYPE_TEXT}, {"definition", TYPE_TEXT}}},
    {SYS_WATERMARKS,
     "rw_watermarks",
     WM_SYS_NCOLS,
     {{"relation_id", TYPE_INT8},
      {"relation_name", TYPE_TEXT},
      {"relation_kind", TYPE_TEXT},
      {"watermark_column", TYPE_TEXT},
      {"watermark", TYPE_TEXT},
      {"lag", TYPE_INTERVAL},
      {"late_rows", TYPE_INT8}}},
    {SYS_STATE_TABLES,
     "rw_state_tables",
     5,
     {{"table_name", TYPE_TEXT},
      {"relation_id", TYPE_INT8},
      {"entries", TYPE_INT8},
      {"bytes", TYPE_INT8},
      {"relation_name", TYPE_TEXT}}},
};

static const SysRel *
sys_by_id(uint64_t id)
{
    for (size_t i = 0; i < sizeof sys_rels / sizeof sys_rels[0]; i++) {
        if (sys_rels[i].id == id)
            return &sys_rels[i];
    }
    return NULL;
}

bool
sys_is_system(uint64_t id)
{
    return sys_by_id(id) != NULL;
}

int
sys_lookup(const char *name, Arena *a, SqlRelation **out)
{
    for (size_t i = 0; i < sizeof sys_rels / sizeof sys_rels[0]; i++) {
        const SysRel *sr = &sys_rels[i];
        SqlRelation *rel;

        if (strcmp(sr->name, name) != 0)
            continue;
        rel = arena_calloc(a, 1, sizeof *rel);
        rel->id = sr->id;
        rel->name = sr->name;
        rel->kind = SQL_REL_SYSTEM;
        rel->ncols = sr->ncols;
        rel->cols = arena_calloc(a, (size_t)sr->ncols, sizeof(SqlRelColumn));
        for (int c = 0; c < sr->ncols; c++) {
            rel->cols[c].name = sr->cols[c].name;
            rel->cols[c].type = sr->cols[c].type;
            rel->cols[c].typmod = -1;
        }
        *out = rel;
        return 0;
    }
    return 1;
}

/* ---- progress of running DDL ---------------------------------------------------------------- */

DdlProgress *
sys_progress_begin(Engine *e, uint64_t id, const char *statement, uint64_t total)
{
    DdlProgress *p = calloc(1, sizeof *p);

    if (p == NULL)
        return NULL;
    p->id = id;
    snprintf(p->statement, sizeof p->statement, "%s", statement);
    p->total = total;
    p->started_us = clock_now_us();
    atomic_store(&p->done, 0);
    pthread_mutex_lock(&e->progress_mu);
    p->next = e->progress;
    e->progress = p;
    pthread_mutex_unlock(&e->progress_mu);
    return p;
}

void
sys_progress_end(Engine *e, DdlProgress *p)
{
    if (p == NULL)
        return;
    pthread_mutex_lock(&e->progress_mu);
    for (DdlProgress **at = &e->progress; *at != NULL; at = &(*at)->next) {
        if (*at == p) {
            *at = p->next;
            break;
        }
    }
    pthread_mutex_unlock(&e->progress_mu);
    free(p);
}

/* ---- scans ------------------------------------------------------------------------------------ */

static int
emit(const SysRel *sr, const Value *vals, Buf *row, EngineRecordFn fn, void *arg, Err *err)
{
    static const uint8_t header[SQL_REC_HEADER] = {SQL_REC_INSERT, SQL_REC_VERSION, 0, 0};
    Oid types[WM_SYS_NCOLS];

    for (int c = 0; c < sr->ncols; c++)
        types[c] = sr->cols[c].type;
    buf_reset(row);
    buf_append(row, header, sizeof header);
    if (rowcodec_encode(types, sr->ncols, vals, row, err) < 0)
        return -1;
    return fn(arg, row->data, (uint32_t)row->len, err);
}

typedef struct SysEmit {
    const SysRel *sr;
    Buf *row;
    EngineRecordFn fn;
    void *arg;
} SysEmit;

static int
sys_emit(void *arg, const Value *vals, Err *err)
{
    SysEmit *se = arg;

    return emit(se->sr, vals, se->row, se->fn, se->arg, err);
}

/* rw_state_tables: sizes read in one snapshot, rows emitted after it ended. */
static int
state_rows(Engine *e, const SysRel *sr, Arena *a, Buf *row, EngineRecordFn fn, void *arg, Err *err)
{
    StateTableStat *ts;
    size_t n;
    int rc = state_table_stats(e->state, a, &ts, &n, err);

    for (size_t i = 0; rc == 0 && i < n; i++) {
        CatalogRelation *cr = NULL;
        Err ignored = {0};
        uint64_t id = 0;
        bool has_id = state_table_object_id(ts[i].name, &id);
        Value v[5];

        if (has_id) {
            pthread_mutex_lock(&e->cache_mu);
            if (catalog_store_lookup_by_id(e->cs, id, a, &cr, &ignored) != CATALOG_OK)
                cr = NULL;
            pthread_mutex_unlock(&e->cache_mu);
        }
        v[0] = (Value){datum_from_cstr(a, ts[i].name), false};
        v[1] = (Value){has_id ? datum_from_int64((int64_t)id) : 0, !has_id};
        v[2] = (Value){datum_from_int64((int64_t)ts[i].entries), false};
        v[3] = (Value){datum_from_int64((int64_t)ts[i].bytes), false};
        v[4] = (Value){cr != NULL ? datum_from_cstr(a, cr->name) : 0, cr == NULL};
        rc = emit(sr, v, row, fn, arg, err);
    }
    return rc;
}

int
sys_scan(Engine *e, uint64_t id, EngineRecordFn fn, void *arg, Err *err)
{
    const SysRel *sr = sys_by_id(id);
    Arena *a = arena_create("sys-scan", 0);
    Buf row;
    int rc = 0;

    buf_init(&row, BUF_DEFAULT_MAX);
    if (sr->id == SYS_DDL_PROGRESS) {
        pthread_mutex_lock(&e->progress_mu);
        for (DdlProgress *p = e->progress; rc == 0 && p != NULL; p = p->next) {
            uint64_t done = atomic_load(&p->done);
            double pct = p->total > 0 ? 100.0 * (double)done / (double)p->total : 0.0;
            char text[32];
            Value v[4];

            snprintf(text, sizeof text, "%.2f%%", pct > 100.0 ? 100.0 : pct);
            v[0] = (Value){datum_from_int64((int64_t)p->id), false};
            v[1] = (Value){datum_from_cstr(a, p->statement), false};
            v[2] = (Value){datum_from_cstr(a, text), false};
            v[3] = (Value){datum_from_int64(p->started_us - PG_EPOCH_OFFSET_US), false};
            rc = emit(sr, v, &row, fn, arg, err);
        }
        pthread_mutex_unlock(&e->progress_mu);
    } else if (sr->id == SYS_WATERMARKS) {
        SysEmit se = {sr, &row, fn, arg};

        rc = wm_sys_rows(e, a, sys_emit, &se, err);
    } else if (sr->id == SYS_STATE_TABLES) {
        rc = state_rows(e, sr, a, &row, fn, arg, err);
    } else {
        CatalogRelation *rels;
        size_t n;

        pthread_mutex_lock(&e->cache_mu);
        rc = catalog_store_list(e->cs, CATALOG_MATVIEW, a, &rels, &n, err) < 0 ? -1 : 0;
        pthread_mutex_unlock(&e->cache_mu);
        for (size_t i = 0; rc == 0 && i < n; i++) {
            Value v[3];

            v[0] = (Value){datum_from_int64((int64_t)rels[i].id), false};
            v[1] = (Value){datum_from_cstr(a, rels[i].name), false};
            v[2] = (Value){rels[i].definition != NULL ? datum_from_cstr(a, rels[i].definition)
                                                      : 0,
                           rels[i].definition == NULL};
            rc = emit(sr, v, &row, fn, arg, err);
        }
    }
    buf_free(&row);
    arena_destroy(a);
    return rc;
}
