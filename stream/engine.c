/*
 * stream/engine.c — the storage engine: catalog + per-relation logs, the SQL
 * layer's catalog provider, and start-up reconciliation (see stream/engine.h
 * for the model, the DDL order and the locking).
 *
 * Invariants:
 *   1. rels[] holds exactly the open logs, one per table/source in the
 *      catalog; it changes only under the exclusive lock.
 *   2. Nothing here acknowledges a record that log_sync_to() has not covered.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/errcodes.h"
#include "common/fsio.h"
#include "common/logger.h"
#include "storage/catalog_store.h"
#include "storage/log.h"
#include "sql/types_struct.h"
#include "stream/engine_gen.h"
#include "stream/engine_int.h"
#include "stream/engine_wm.h"


static _Atomic(Engine *) current;

Engine *
engine_current(void)
{
    return atomic_load(&current);
}

const SqlCatalogProvider *
engine_provider(Engine *e)
{
    return &e->provider;
}

/* ---- files ------------------------------------------------------------------------------ */

static int
rel_dir(const Engine *e, uint64_t id, char *buf, size_t cap, Err *err)
{
    if ((size_t)snprintf(buf, cap, "%s/%" PRIu64, e->log_dir, id) >= cap)
        return ERR_RAISE(err, ERRCODE_IO_ERROR, "log path too long");
    return 0;
}

static int
make_dir(const char *path, Err *err)
{
    if (mkdir(path, 0700) < 0 && errno != EEXIST)
        return fsio_raise(err, errno, "create directory", path);
    return 0;
}

/* rm -r path (files and directories below it). */
static int
remove_tree(const char *path, Err *err)
{
    DIR *d = opendir(path);
    struct dirent *de;
    char child[PATH_MAX];
    int rc = 0;

    if (d == NULL)
        return errno == ENOENT ? 0 : fsio_raise(err, errno, "open directory", path);
    while (rc == 0 && (de = readdir(d)) != NULL) {
        struct stat st;

        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if ((size_t)snprintf(child, sizeof child, "%s/%s", path, de->d_name) >= sizeof child) {
            rc = ERR_RAISE(err, ERRCODE_IO_ERROR, "path too long under \"%s\"", path);
            break;
        }
        if (lstat(child, &st) == 0 && S_ISDIR(st.st_mode))
            rc = remove_tree(child, err);
        else if (unlink(child) < 0 && errno != ENOENT)
            rc = fsio_raise(err, errno, "remove file", child);
    }
    closedir(d);
    if (rc == 0 && rmdir(path) < 0 && errno != ENOENT)
        rc = fsio_raise(err, errno, "remove directory", path);
    return rc;
}

EngineRel *
engine_find_rel(Engine *e, uint64_t id)
{
    for (size_t i = 0; i < e->nrels; i++) {
        if (e->rels[i].id == id)
            return &e->rels[i];
    }
    return NULL;
}

static int
grow_rels(Engine *e, Err *err)
{
    if (e->nrels == e->cap) {
        size_t cap = e->cap ? e->cap * 2 : 16;
        EngineRel *rels = realloc(e->rels, cap * sizeof *rels);

        if (rels == NULL)
            return ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
        e->rels = rels;
        e->cap = cap;
    }
    return 0;
}

/* A materialized view's entry: no log; its job comes from mv_open / mv_create. */
int
add_view_rel(Engine *e, uint64_t id, Err *err)
{
    if (grow_rels(e, err) < 0)
        return -1;
    e->rels[e->nrels++] = (EngineRel){.id = id, .is_mv = true};
    return 0;
}

/*
 * Opens (creating the directory if missing) relation cr's log and adds it to rels[], with its
 * primary-key description when it has one.
 */
static int
open_rel(Engine *e, const CatalogRelation *cr, bool warn_missing, Err *err)
{
    char dir[PATH_MAX];
    struct stat st;
    LogWriter *log;
    LogOptions lo;
    EnginePk *pk;
    uint64_t id = cr->id;

    if (cr->kind == CATALOG_MATVIEW)
        return add_view_rel(e, id, err);
    if (rel_dir(e, id, dir, sizeof dir, err) < 0)
        return -1;
    if (stat(dir, &st) < 0) {
        if (warn_missing)
            LOG_WARNING("relation %" PRIu64 " had no log directory: created an empty log", id);
        if (make_dir(dir, err) < 0 || fsio_fsync_dir(e->log_dir, err) < 0)
            return -1;
    }
    if (pk_new(cr, &pk, err) < 0)
        return -1;
    if (log_open(dir, engine_log_options(&lo), &log, err) < 0) {
        pk_free(pk);
        return -1;
    }
    if (pk != NULL)
        pk->applied = log_start_offset(log);
    if (e->nrels == e->cap) {
        size_t cap = e->cap ? e->cap * 2 : 16;
        EngineRel *rels = realloc(e->rels, cap * sizeof *rels);

        if (rels == NULL) {
            log_close(log);
            pk_free(pk);
            return ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
        }
        e->rels = rels;
        e->cap = cap;
    }
    e->rels[e->nrels++] =
        (EngineRel){.id = id, .log = log, .pk = pk, .is_source = cr->kind == CATALOG_SOURCE};
    return 0;
}

/* Closes relation id's log, removes its directory and its entry. */
static int
remove_rel(Engine *e, uint64_t id, Err *err)
{
    EngineRel *r = engine_find_rel(e, id);
    char dir[PATH_MAX];

    if (r != NULL && r->is_mv) {
        mv_free(r->mv);
        *r = e->rels[--e->nrels];
        if (mv_drop_state(e, id, err) < 0) {
            LOG_WARNING("could not drop the state of relation %" PRIu64 ": %s (start-up will)",
                        id, err->message);
            err_clear(err);
        }
        return 0;
    }
    if (r != NULL) {
        if (r->pk != NULL && pk_drop_state(e, r, err) < 0)
            LOG_WARNING("could not drop the state of relation %" PRIu64 ": %s (start-up will)",
                        id, err->message);
        log_close(r->log);
        pk_free(r->pk);
        *r = e->rels[--e->nrels];
    }
    if (rel_dir(e, id, dir, sizeof dir, err) < 0 || remove_tree(dir, err) < 0)
        return -1;
    return fsio_fsync_dir(e->log_dir, err);
}

/* ---- the provider ----------------------------------------------------------------------- */

static bool
has_log(CatalogKind k)
{
    return k == CATALOG_TABLE || k == CATALOG_SOURCE;
}

static bool
readable(CatalogKind k)
{
    return has_log(k) || k == CATALOG_MATVIEW || k == CATALOG_VIEW;
}

/* Empties the lookup cache; called after every catalog change. */
static void cache_clear(Engine *e);

void
engine_cache_clear(Engine *e)
{
    cache_clear(e);
}

static void
cache_clear(Engine *e)
{
    pthread_mutex_lock(&e->cache_mu);
    e->ncache = 0;
    if (e->cache_arena != NULL)
        arena_reset(e->cache_arena);
    pthread_mutex_unlock(&e->cache_mu);
}

/* The catalog row of name, from the cache or SQLite (then cached); under cache_mu. */
static int
cache_lookup(Engine *e, const char *name, CatalogRelation **out, Err *err)
{
    int rc;

    for (size_t i = 0; i < e->ncache; i++) {
        if (strcmp(e->cache[i]->name, name) == 0) {
            *out = e->cache[i];
            return CATALOG_OK;
        }
    }
    if (e->cache_arena == NULL && (e->cache_arena = arena_create("catalog cache", 0)) == NULL)
        return ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
    rc = catalog_store_lookup_by_name(e->cs, CATALOG_PUBLIC_SCHEMA_ID, name, e->cache_arena, out,
                                      err);
    if (rc != CATALOG_OK) {
        /* a failed lookup may leave allocations behind: bound them */
        if (arena_used(e->cache_arena) > ((size_t)1 << 20)) {
            e->ncache = 0;
            arena_reset(e->cache_arena);
        }
        return rc;
    }
    if (e->ncache == e->capcache) {
        size_t cap = e->capcache ? e->capcache * 2 : 16;
        CatalogRelation **grown = realloc(e->cache, cap * sizeof *grown);

        if (grown == NULL)
            return CATALOG_OK; /* not cached; the answer is still right */
        e->cache = grown;
        e->capcache = cap;
    }
    e->cache[e->ncache++] = *out;
    return CATALOG_OK;
}

/* Copies what the binder needs into a: the cache may be emptied while a statement lives. */
static SqlRelation *
relation_from_catalog(const CatalogRelation *cr, Arena *a)
{
    SqlRelation *rel = arena_calloc(a, 1, sizeof *rel);

    rel->id = cr->id;
    rel->name = arena_strdup(a, cr->name);
    rel->kind = cr->kind == CATALOG_SOURCE    ? SQL_REL_SOURCE
                : cr->kind == CATALOG_MATVIEW ? SQL_REL_MATVIEW
                : cr->kind == CATALOG_VIEW    ? SQL_REL_VIEW
                                              : SQL_REL_TABLE;
    if (cr->definition != NULL) /* views; sources' watermarks (sql/watermark.c) */
        rel->definition = arena_strdup(a, cr->definition);
    rel->ncols = (int)cr->n_columns;
    rel->cols = arena_calloc(a, cr->n_columns + 1, sizeof(SqlRelColumn));
    for (size_t i = 0; i < cr->n_columns; i++) {
        rel->cols[i].name = arena_strdup(a, cr->columns[i].name);
        rel->cols[i].type = cr->columns[i].type_oid;
        rel->cols[i].typmod = cr->columns[i].typmod;
        rel->cols[i].not_null = cr->columns[i].not_null;
        rel->cols[i].default_expr =
            cr->columns[i].default_expr != NULL ? arena_strdup(a, cr->columns[i].default_expr)
                                                : NULL;
        rel->cols[i].pk_position = cr->columns[i].pk_position;
        rel->cols[i].generated_expr = cr->columns[i].generated_expr != NULL
                                          ? arena_strdup(a, cr->columns[i].generated_expr)
                                          : NULL;
    }
    for (size_t i = 0; i < cr->n_options; i++) {
        if (strcmp(cr->options[i].key, "append_only") == 0)
            rel->append_only = strcmp(cr->options[i].value, "true") == 0;
    }
    return rel;
}

static int
prov_lookup(void *arg, const char *name, Arena *a, SqlRelation **out, Err *err)
{
    Engine *e = arg;
    CatalogRelation *cr;
    int rc;

    if (strncmp(name, "rw_catalog.", 11) == 0)
        return sys_lookup(name + 11, a, out);
    pthread_mutex_lock(&e->cache_mu);
    rc = cache_lookup(e, name, &cr, err);
    if (rc == CATALOG_OK && readable(cr->kind))
        *out = relation_from_catalog(cr, a);
    pthread_mutex_unlock(&e->cache_mu);
    if (rc != CATALOG_OK)
        return rc < 0 ? -1 : 1;
    return readable(cr->kind) ? 0 : 1;
}

/* A plain view is a catalog row: its query is expanded where it is read (sql/bind_view.c). */
static int
create_view(Engine *e, SqlRelation *rel, CatalogColumn *cols, const char *definition, Err *err)
{
    CatalogRelation cr = {0};
    int rc;

    if (cols == NULL)
        return ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
    for (int i = 0; i < rel->ncols; i++)
        cols[i] = (CatalogColumn){rel->cols[i].name, rel->cols[i].type, rel->cols[i].typmod,
                                  false, NULL, 0,
                                  struct_type_def(rel->cols[i].type, rel->cols[i].typmod), NULL};
    cr.schema_id = CATALOG_PUBLIC_SCHEMA_ID;
    cr.name = rel->name;
    cr.kind = CATALOG_VIEW;
    cr.definition = definition;
    cr.columns = cols;
    cr.n_columns = (size_t)rel->ncols;
    cr.depends_on = rel->deps;
    cr.n_depends_on = (size_t)rel->ndeps;
    pthread_rwlock_wrlock(&e->lock);
    cache_clear(e);
    rc = catalog_store_create_relation(e->cs, &cr, err);
    pthread_rwlock_unlock(&e->lock);
    free(cols);
    if (rc == CATALOG_DUPLICATE)
        return 1;
    if (rc == CATALOG_NOT_FOUND)
        return ERR_RAISE(err, ERRCODE_UNDEFINED_TABLE,
                         "a relation view \"%s\" reads was dropped meanwhile", rel->name);
    if (rc != CATALOG_OK)
        return -1;
    rel->id = cr.id;
    return 0;
}

static int
prov_create(void *arg, SqlRelation *rel, const char *definition, Err *err)
{
    Engine *e = arg;
    CatalogColumn *cols = calloc((size_t)rel->ncols + 1, sizeof *cols);
    CatalogOption opt[2] = {{"append_only", "true"}, {ENGINE_GEN_CREATED_OPTION, NULL}};
    char created[32];
    CatalogRelation cr = {0};
    int rc;

    if (rel->kind == SQL_REL_MATVIEW) {
        free(cols);
        return mv_create(e, rel, definition, err);
    }
    if (rel->kind == SQL_REL_VIEW)
        return create_view(e, rel, cols, definition, err);
    if (cols == NULL)
        return ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
    for (int i = 0; i < rel->ncols; i++)
        cols[i] = (CatalogColumn){.name = rel->cols[i].name,
                                  .type_oid = rel->cols[i].type,
                                  .typmod = rel->cols[i].typmod,
                                  .not_null = rel->cols[i].not_null,
                                  .default_expr = rel->cols[i].default_expr,
                                  .pk_position = rel->cols[i].pk_position,
                                  .type_def = struct_type_def(rel->cols[i].type,
                                                              rel->cols[i].typmod),
                                  .generated_expr = rel->cols[i].generated_expr};
    cr.schema_id = CATALOG_PUBLIC_SCHEMA_ID;
    cr.name = rel->name;
    cr.kind = rel->kind == SQL_REL_SOURCE ? CATALOG_SOURCE : CATALOG_TABLE;
    cr.definition = definition;
    cr.columns = cols;
    cr.n_columns = (size_t)rel->ncols;
    cr.options = rel->append_only ? opt : NULL;
    cr.n_options = rel->append_only ? 1 : 0;
    if (rel->kind == SQL_REL_SOURCE) { /* generators' timestamps (stream/engine_gen.c) */
        snprintf(created, sizeof created, "%" PRId64, clock_now_us());
        opt[1].value = created;
        cr.options = rel->append_only ? opt : &opt[1];
        cr.n_options++;
    }
    pthread_rwlock_wrlock(&e->lock);
    cache_clear(e);
    rc = catalog_store_create_relation(e->cs, &cr, err);
    if (rc == CATALOG_OK) {
        rel->id = cr.id;
        if (open_rel(e, &cr, false, err) < 0) {
            Err ignored;

            /* undo the catalog row; if even that fails, start-up creates the log */
            catalog_store_drop_relations(e->cs, &cr.id, 1, &ignored);
            rc = -1;
        } else {
            engine_gen_start(e, &cr); /* datagen / nexmark sources */
        }
    }
    pthread_rwlock_unlock(&e->lock);
    free(cols);
    if (rc == CATALOG_DUPLICATE)
        return 1;
    return rc == CATALOG_OK ? 0 : -1;
}

static int
prov_drop(void *arg, const uint64_t *ids, int n, Err *err)
{
    Engine *e = arg;
    int rc;

    engine_gen_stop(e, ids, n); /* producers append under the lock taken below */
    /* no epoch may be using a view's operators or a log while they go */
    pthread_mutex_lock(&e->epoch_mu);
    pthread_rwlock_wrlock(&e->lock);
    cache_clear(e);
    rc = catalog_store_drop_relations(e->cs, ids, (size_t)n, err);
    for (int i = 0; rc == CATALOG_OK && i < n; i++) {
        if (remove_rel(e, ids[i], err) < 0) {
            /* the catalog no longer has it: start-up removes what is left */
            LOG_WARNING("could not remove the log of relation %" PRIu64 ": %s", ids[i],
                        err->message);
            err_clear(err);
        }
    }
    pthread_rwlock_unlock(&e->lock);
    pthread_mutex_unlock(&e->epoch_mu);
    if (rc != CATALOG_OK)
        engine_gen_start_ids(e, ids, n); /* not dropped: resume where they stopped */
    if (rc == CATALOG_HAS_DEPENDENTS)
        return ERR_RAISE(err, ERRCODE_DEPENDENT_OBJECTS_STILL_EXIST,
                         "cannot drop: other objects depend on it");
    if (rc < 0)
        return -1;
    return rc == CATALOG_OK ? 0 : 1;
}

static int
prov_get(void *arg, uint64_t id, const Value *kv, Arena *a, uint8_t **row, size_t *len, Err *err)
{
    Engine *e = arg;
    EngineRel *r;
    int rc = 2;

    pthread_rwlock_rdlock(&e->lock);
    if ((r = engine_find_rel(e, id)) != NULL && r->pk != NULL)
        rc = pk_get(e, r, kv, a, row, len, err);
    pthread_rwlock_unlock(&e->lock);
    return rc;
}

static int
prov_dependents(void *arg, uint64_t id, Arena *a, SqlRelation ***out, uint64_t **via, int *n,
                Err *err)
{
    Engine *e = arg;
    uint64_t *ids;
    size_t count;
    int rc;

    *n = 0;
    pthread_mutex_lock(&e->cache_mu);
    rc = catalog_store_dependents(e->cs, id, true, a, &ids, &count, err);
    if (rc == CATALOG_NOT_FOUND) {
        pthread_mutex_unlock(&e->cache_mu);
        return 0;
    }
    *out = arena_alloc(a, sizeof(SqlRelation *) * (count + 1));
    *via = arena_alloc(a, sizeof(uint64_t) * (count + 1));
    for (size_t i = 0; rc == CATALOG_OK && i < count; i++) {
        CatalogRelation *cr;

        if ((rc = catalog_store_lookup_by_id(e->cs, ids[i], a, &cr, err)) != CATALOG_OK)
            break;
        (*out)[*n] = relation_from_catalog(cr, a);
        (*via)[*n] = cr->n_depends_on > 0 ? cr->depends_on[0] : 0;
        /* name the dependency inside the set being dropped: the root or an earlier one */
        for (size_t d = 0; d < cr->n_depends_on; d++) {
            bool in = cr->depends_on[d] == id;

            for (int k = 0; k < *n && !in; k++)
                in = (*out)[k]->id == cr->depends_on[d];
            if (in) {
                (*via)[*n] = cr->depends_on[d];
                break;
            }
        }
        (*n)++;
    }
    pthread_mutex_unlock(&e->cache_mu);
    if (rc < 0)
        return -1;
    return 0;
}

static int
prov_list(void *arg, SqlRelKind kind, Arena *a, const char ***names, int *n, Err *err)
{
    Engine *e = arg;
    CatalogRelation *rels;
    size_t count;

    *n = 0;
    if (catalog_store_list(e->cs,
                           kind == SQL_REL_SOURCE    ? CATALOG_SOURCE
                           : kind == SQL_REL_MATVIEW ? CATALOG_MATVIEW
                           : kind == SQL_REL_VIEW    ? CATALOG_VIEW
                                                     : CATALOG_TABLE,
                           a, &rels, &count, err) < 0)
        return -1;
    *names = arena_alloc(a, sizeof(char *) * (count ? count : 1));
    for (size_t i = 0; i < count; i++) {
        if (rels[i].schema_id == CATALOG_PUBLIC_SCHEMA_ID)
            (*names)[(*n)++] = rels[i].name;
    }
    return 0;
}

static int
prov_append(void *arg, uint64_t id, const uint8_t *const *recs, const uint32_t *lens, int n,
            Err *err)
{
    Engine *e = arg;
    LogRecord *lr;
    LogAppendResult res;
    EngineRel *r;
    int rc = 0;

    if (n <= 0)
        return 0;
    if (engine_gen_check_append(e, id, err) < 0) /* a generator source's log is its own */
        return -1;
    if ((lr = calloc((size_t)n, sizeof *lr)) == NULL)
        return ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
    for (int i = 0; i < n; i++)
        lr[i] = (LogRecord){recs[i], lens[i], 0};
    pthread_rwlock_rdlock(&e->lock);
    if ((r = engine_find_rel(e, id)) == NULL)
        rc = 1; /* dropped: the caller may rebind by name (sql_relation_rebind) */
    else if (r->pk != NULL)
        rc = pk_append(e, r, recs, lens, n, NULL, NULL, NULL, err);
    else if (log_append(r->log, lr, (size_t)n, &res, err) < 0 ||
             log_sync_to(r->log, res.last_offset, err) < 0)
        rc = -1;
    pthread_rwlock_unlock(&e->lock);
    free(lr);
    return rc;
}

static int
prov_append_conflict(void *arg, uint64_t id, const uint8_t *const *recs, const uint32_t *lens,
                     int n, SqlConflictFn fn, void *fn_arg, uint8_t *written, Err *err)
{
    Engine *e = arg;
    EngineRel *r;
    int rc;

    if (n <= 0)
        return 0;
    pthread_rwlock_rdlock(&e->lock);
    if ((r = engine_find_rel(e, id)) == NULL)
        rc = 1;
    else if (r->pk == NULL)
        rc = ERR_RAISE(err, ERRCODE_INVALID_COLUMN_REFERENCE,
                       "there is no unique or exclusion constraint matching the ON CONFLICT "
                       "specification");
    else
        rc = pk_append(e, r, recs, lens, n, fn, fn_arg, written, err);
    pthread_rwlock_unlock(&e->lock);
    return rc;
}

static int
prov_flush(void *arg, Err *err)
{
    return pk_epoch_run(arg, err);
}

/* ALTER SYSTEM SET / SHOW checkpoint_interval (sql/describe.c): ms 0 only reads. */
static unsigned
prov_set_interval(void *arg, unsigned ms)
{
    Engine *e = arg;

    if (ms > 0)
        engine_set_checkpoint_interval(e, ms);
    return atomic_load(&e->interval_ms);
}

/* ---- scans ------------------------------------------------------------------------------- */

int
engine_scan(Engine *e, uint64_t relid, EngineRecordFn fn, void *arg, Err *err)
{
    LogReader *reader = NULL;
    LogRecordView v;
    EngineRel *r;
    DeltaMap *late;
    bool pk, view;
    int rc;

    if (sys_is_system(relid))
        return sys_scan(e, relid, fn, arg, err);
    pthread_rwlock_rdlock(&e->lock);
    r = engine_find_rel(e, relid);
    pk = r != NULL && (r->pk != NULL || r->is_mv);
    view = r != NULL && r->is_mv;
    pthread_rwlock_unlock(&e->lock);
    /* read-your-writes: every acknowledged write is durable, so this epoch applies it */
    if (pk && pk_epoch_run(e, err) < 0)
        return -1;
    /* a view's job and failure state change only under epoch_mu (stream/engine_mv.c) */
    if (view)
        pthread_mutex_lock(&e->epoch_mu);
    pthread_rwlock_rdlock(&e->lock);
    if ((r = engine_find_rel(e, relid)) == NULL) {
        pthread_rwlock_unlock(&e->lock);
        if (view)
            pthread_mutex_unlock(&e->epoch_mu);
        return 1; /* dropped: the caller may rebind by name (sql_relation_rebind) */
    }
    if (r->pk != NULL || r->is_mv) {
        Buf rows;

        buf_init(&rows, SIZE_MAX);
        rc = r->is_mv ? mv_scan(e, r, &rows, err) : pk_scan(e, r, &rows, err);
        pthread_rwlock_unlock(&e->lock);
        if (view)
            pthread_mutex_unlock(&e->epoch_mu);
        for (size_t at = 0; rc == 0 && at < rows.len;) {
            uint32_t len;

            memcpy(&len, rows.data + at, sizeof len);
            rc = fn(arg, rows.data + at + sizeof len, len, err);
            at += sizeof len + len;
        }
        buf_free(&rows);
        return rc < 0 ? -1 : 0;
    }
    late = wm_scan_late(e, r->id); /* rows found late are not shown (stream/engine_wm.c) */
    rc = log_reader_open(r->log, log_start_offset(r->log), LOG_OFFSET_END, &reader, err);
    while (rc == 0 && (rc = log_reader_next(reader, &v, err)) == 1)
        rc = wm_scan_skip(late, v.data, v.len) ? 0 : fn(arg, v.data, v.len, err);
    wm_scan_late_free(late);
    if (reader != NULL)
        log_reader_close(reader);
    pthread_rwlock_unlock(&e->lock);
    return rc < 0 ? -1 : 0;
}

/*
 * A source's log is trimmed below what every view consumed, unless a view reading it keeps its
 * operator state in memory (rebuilt from its inputs at start-up); primary-key tables below
 * what is applied to LMDB; plain tables never (their log is their contents).
 */
static uint64_t
retention_target(Engine *e, EngineRel *r, uint64_t max_bytes, int64_t max_age_us, int64_t now)
{
    uint64_t limit;

    if (r->log == NULL || (r->pk == NULL && (!r->is_source || mv_needs_log(e, r->id))))
        return 0;
    limit = r->pk != NULL ? r->pk->applied : r->consumed;
    return log_retention_cut(r->log, max_bytes, max_age_us, now, limit);
}

void
engine_apply_retention(Engine *e)
{
    uint64_t max_bytes;
    int64_t max_age_us, now = clock_now_us();
    bool any = false;

    engine_log_retention(&max_bytes, &max_age_us);
    if (max_bytes == 0 && max_age_us == 0)
        return;
    /* views' jobs (mv_needs_log) change only under epoch_mu */
    pthread_mutex_lock(&e->epoch_mu);
    pthread_rwlock_rdlock(&e->lock);
    for (size_t i = 0; i < e->nrels && !any; i++)
        any = retention_target(e, &e->rels[i], max_bytes, max_age_us, now) >
              (e->rels[i].log != NULL ? log_start_offset(e->rels[i].log) : 0);
    pthread_rwlock_unlock(&e->lock);
    if (!any) {
        pthread_mutex_unlock(&e->epoch_mu);
        return;
    }
    /* exclusive: no scan may be reading a segment that goes */
    pthread_rwlock_wrlock(&e->lock);
    for (size_t i = 0; i < e->nrels; i++) {
        EngineRel *r = &e->rels[i];
        uint64_t cut = retention_target(e, r, max_bytes, max_age_us, now), start;
        Err err;

        if (r->log == NULL || cut <= (start = log_start_offset(r->log)))
            continue;
        err_clear(&err);
        if (log_retain_from(r->log, cut, &err) < 0)
            LOG_WARNING("log retention of relation %" PRIu64 " failed: %s", r->id, err.message);
        else if (log_start_offset(r->log) > start)
            LOG_INFO("log retention: relation %" PRIu64 " dropped records %" PRIu64
                     " to %" PRIu64,
                     r->id, start, log_start_offset(r->log) - 1);
    }
    pthread_rwlock_unlock(&e->lock);
    pthread_mutex_unlock(&e->epoch_mu);
}

uint64_t
engine_record_count(Engine *e, uint64_t relid)
{
    EngineRel *r;
    uint64_t n = 0;

    pthread_rwlock_rdlock(&e->lock);
    if ((r = engine_find_rel(e, relid)) != NULL && r->log != NULL)
        n = log_durable_offset(r->log) - log_start_offset(r->log);
    pthread_rwlock_unlock(&e->lock);
    return n;
}

/* ---- start-up ---------------------------------------------------------------------------- */

static bool
parse_id(const char *s, uint64_t *id)
{
    char *end;

    if (*s < '0' || *s > '9')
        return false;
    errno = 0;
    *id = strtoull(s, &end, 10);
    return errno == 0 && *end == '\0';
}

/* Removes log/<id> directories whose relation is not in the catalog (a DROP cut short). */
static int
remove_orphans(Engine *e, const CatalogRelation *rels, size_t n, Err *err)
{
    DIR *d = opendir(e->log_dir);
    struct dirent *de;
    int rc = 0;

    if (d == NULL)
        return fsio_raise(err, errno, "open directory", e->log_dir);
    while (rc == 0 && (de = readdir(d)) != NULL) {
        uint64_t id;
        bool known = false;
        char dir[PATH_MAX];

        if (!parse_id(de->d_name, &id))
            continue;
        for (size_t i = 0; i < n && !known; i++)
            known = rels[i].id == id && has_log(rels[i].kind);
        if (known)
            continue;
        LOG_WARNING("removing log directory \"%s\": its relation was dropped", de->d_name);
        if (rel_dir(e, id, dir, sizeof dir, err) < 0 || remove_tree(dir, err) < 0)
            rc = -1;
    }
    closedir(d);
    return rc == 0 ? fsio_fsync_dir(e->log_dir, err) : -1;
}

static int
recover(Engine *e, Err *err)
{
    Arena *a = arena_create("engine-start", 0);
    int64_t t0 = clock_monotonic_ns();
    CatalogRelation *rels;
    uint64_t records = 0, bytes = 0;
    size_t n, nlogs = 0;
    int rc;

    rc = catalog_store_list(e->cs, CATALOG_KIND_COUNT, a, &rels, &n, err);
    /* STRUCT column types are registered before anything binds (sql/types_struct.h) */
    for (size_t i = 0; rc == 0 && i < n; i++) {
        for (size_t c = 0; rc == 0 && c < rels[i].n_columns; c++) {
            if (rels[i].columns[c].type_def != NULL)
                rc = struct_type_restore(rels[i].columns[c].type_def, rels[i].columns[c].typmod,
                                         err);
        }
    }
    if (rc == 0)
        rc = remove_orphans(e, rels, n, err);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if (rels[i].kind == CATALOG_MATVIEW) {
            rc = add_view_rel(e, rels[i].id, err);
            continue;
        }
        if (!has_log(rels[i].kind))
            continue;
        if ((rc = open_rel(e, &rels[i], true, err)) == 0) {
            LogWriter *log = e->rels[e->nrels - 1].log;

            records += log_durable_offset(log) - log_start_offset(log);
            bytes += log_size_bytes(log);
            nlogs++;
        }
    }
    arena_destroy(a);
    if (rc != 0)
        return -1;
    LOG_INFO("storage recovered: %zu relation logs, %" PRIu64 " records, %" PRIu64
             " bytes in %.1f ms",
             nlogs, records, bytes, (double)(clock_monotonic_ns() - t0) / 1e6);
    return 0;
}

int
engine_open(const char *data_dir, Engine **out, Err *err)
{
    Engine *e = calloc(1, sizeof *e);
    char path[PATH_MAX];

    *out = NULL;
    if (e == NULL)
        return ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
    pthread_rwlock_init(&e->lock, NULL);
    pthread_mutex_init(&e->cache_mu, NULL);
    pthread_mutex_init(&e->progress_mu, NULL);
    if ((size_t)snprintf(e->data_dir, sizeof e->data_dir, "%s", data_dir) >= sizeof e->data_dir ||
        (size_t)snprintf(e->log_dir, sizeof e->log_dir, "%s/log", data_dir) >=
            sizeof e->log_dir ||
        (size_t)snprintf(path, sizeof path, "%s/catalog.db", data_dir) >= sizeof path) {
        engine_close(e);
        return ERR_RAISE(err, ERRCODE_IO_ERROR, "data directory path too long");
    }
    LOG_INFO("opening storage in \"%s\"", data_dir);
    if (make_dir(e->log_dir, err) < 0 || catalog_store_open(path, &e->cs, err) < 0 ||
        recover(e, err) < 0 || pk_open(e, err) < 0) {
        engine_close(e);
        return -1;
    }
    e->provider =
        (SqlCatalogProvider){e,         prov_lookup, prov_create, prov_drop,
                             prov_list, prov_append, prov_flush, prov_append_conflict};
    e->provider.set_checkpoint_interval = prov_set_interval;
    e->provider.dependents = prov_dependents;
    e->provider.get = prov_get;
    sql_set_catalog_provider(&e->provider);
    atomic_store(&current, e);
    /* views bind their queries through the provider, then the first epoch replays the logs */
    if (mv_open(e, err) < 0 || pk_start(e, err) < 0) {
        engine_close(e);
        return -1;
    }
    engine_gen_start_all(e);
    *out = e;
    return 0;
}

void
engine_close(Engine *e)
{
    if (e == NULL)
        return;
    if (atomic_load(&current) == e) {
        sql_set_catalog_provider(NULL);
        atomic_store(&current, NULL);
    }
    engine_gen_stop(e, NULL, 0);
    pk_close(e);
    wm_free(e); /* stream/engine_wm.c */
    for (size_t i = 0; i < e->nrels; i++) {
        log_close(e->rels[i].log);
        pk_free(e->rels[i].pk);
        mv_free(e->rels[i].mv);
    }
    free(e->rels);
    catalog_store_close(e->cs);
    free(e->cache);
    if (e->cache_arena != NULL)
        arena_destroy(e->cache_arena);
    pthread_mutex_destroy(&e->cache_mu);
    pthread_mutex_destroy(&e->progress_mu);
    pthread_rwlock_destroy(&e->lock);
    free(e);
}
