/*
 * stream/engine_gen.c — the producer threads of generator sources (CREATE SOURCE ... WITH
 * (connector = 'datagen' | 'nexmark')): a registry of running generators, started when the
 * source is created and at start-up, stopped at DROP and at shutdown, and the Generator
 * wrapper over stream/gen_datagen.c and stream/gen_nexmark.c (stream/generator.h).
 *
 *   engine_gen_start (CREATE, start-up) ──▶ thread: pos = the log's next offset
 *     loop: stop asked? ──▶ exit
 *           pos == total ──▶ INFO "finished", exit
 *           paced and row pos not due ──▶ timed wait (woken early by stop)
 *           encode rows [pos, pos + n) straight into log records (no SQL; `AS expr`
 *           columns computed per batch by sql/generated.h)
 *           ──▶ Engine.lock shared: log_append + log_sync_to ──▶ pos += n
 *   (the log is written at zstd level GEN_ZSTD_LEVEL unless --log-compression-level is set)
 *   engine_gen_stop (DROP, shutdown): stop flag, signal, join
 *
 * Position: row i of the sequence is the source's log record i (the generator is its only
 * writer), so after a crash the log's recovered end is where the sequence resumes: no gap,
 * no repeat. INSERT and COPY into a generator source are refused (engine_gen_check_append).
 *
 * Invariants:
 *   1. At most one thread per source; it holds Engine.lock shared only around an append
 *      (never across a wait), so DROP and shutdown stop it promptly.
 *   2. A runner is removed from the registry only after its thread was joined.
 *   3. A batch is at most GEN_BATCH rows (and, when paced, only rows already due; a paced
 *      generator waits at least GEN_PACE_NS once it has caught up, so batches are not single
 *      rows at high rates).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/clock.h"
#include "common/logger.h"
#include "sql/connector.h"
#include "sql/dialect.h"
#include "sql/generated.h"
#include "sql/proctime.h"
#include "sql/relation.h"
#include "sql/rowcodec.h"
#include "stream/engine_gen.h"
#include "stream/engine_int.h"
#include "stream/generator.h"

#define GEN_BATCH 8192
#define GEN_PACE_NS 10000000 /* a paced generator appends at most every 10 ms */
/*
 * The zstd level of a generator's log unless the server was given --log-compression-level:
 * a generator writes at memory speed, and at level 1 compressing its rows took about as much
 * CPU as generating them and a pass-through view together (Nexmark q0); a "fast" level
 * compresses about 1.6 times faster and 2.2 instead of 3 times.
 */
#ifndef GEN_ZSTD_LEVEL
#define GEN_ZSTD_LEVEL (-3)
#endif

struct Generator {
    bool is_nexmark;
    DatagenConfig *dg;
    NexmarkConfig nx;
    NexmarkCombined *nxc; /* nexmark without a table type: the combined form's columns */
    int ncols;
    Oid *types;
    int *fields; /* nexmark: schema field of each column */
    bool *is_proctime; /* AS PROCTIME() columns: not generated, the wall clock at encoding */
    int nproctime;
    SqlGenerated *sg; /* `AS expr` columns (sql/generated.h): computed per batch; NULL: none */
    uint64_t total;
};

/* ---- the Generator --------------------------------------------------------------------- */

/* The generated columns' expressions, bound over the row (sql/generated.h). */
static int
bind_generated(Generator *g, const GenColumn *cols, int ncols, Err *err)
{
    const char *names[ROWCODEC_MAX_COLS], *exprs[ROWCODEC_MAX_COLS];
    Oid types[ROWCODEC_MAX_COLS];
    int32_t typmods[ROWCODEC_MAX_COLS];

    if (ncols > ROWCODEC_MAX_COLS)
        return ERR_RAISE(err, ERRCODE_TOO_MANY_COLUMNS, "tables can have at most %d columns",
                         ROWCODEC_MAX_COLS);
    for (int i = 0; i < ncols; i++) {
        names[i] = cols[i].name;
        exprs[i] = cols[i].generated_expr;
        types[i] = cols[i].type;
        typmods[i] = cols[i].typmod;
    }
    return sql_generated_create(ncols, names, types, typmods, exprs, &g->sg, err);
}

int
gen_create(const GenOption *opts, int nopts, const GenColumn *cols, int ncols,
           int64_t created_us, Generator **out, Err *err)
{
    const char *connector = NULL;
    Generator *g;
    GenColumn *inner = NULL; /* the generated columns (all but the AS PROCTIME() ones) */
    int ninner = 0;

    *out = NULL;
    for (int i = 0; i < nopts; i++) {
        if (strcmp(opts[i].key, "connector") == 0)
            connector = opts[i].value;
    }
    if (connector == NULL || (strcmp(connector, "datagen") != 0 &&
                              strcmp(connector, "nexmark") != 0))
        return 0;
    if ((g = calloc(1, sizeof *g)) == NULL ||
        (g->types = calloc((size_t)ncols + 1, sizeof *g->types)) == NULL ||
        (g->fields = calloc((size_t)ncols + 1, sizeof *g->fields)) == NULL ||
        (g->is_proctime = calloc((size_t)ncols + 1, sizeof *g->is_proctime)) == NULL ||
        (inner = calloc((size_t)ncols + 1, sizeof *inner)) == NULL) {
        free(inner);
        gen_free(g);
        return ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
    }
    g->ncols = ncols;
    for (int i = 0; i < ncols; i++) {
        g->types[i] = cols[i].type;
        g->is_proctime[i] = cols[i].is_proctime;
        g->nproctime += cols[i].is_proctime;
        if (!cols[i].is_proctime && cols[i].generated_expr == NULL)
            inner[ninner++] = cols[i];
    }
    if (bind_generated(g, cols, ncols, err) < 0) {
        free(inner);
        gen_free(g);
        return -1;
    }
    g->is_nexmark = strcmp(connector, "nexmark") == 0;
    if (g->is_nexmark) {
        if (nexmark_parse(opts, nopts, &g->nx, err) < 0) {
            free(inner);
            gen_free(g);
            return -1;
        }
        if (g->nx.type == NEXMARK_COMBINED &&
            nexmark_combined_create(cols, ncols, &g->nxc, err) < 0) {
            free(inner);
            gen_free(g);
            return -1;
        }
        for (int i = 0; i < ncols && g->nxc == NULL; i++) {
            int t = (int)g->nx.type;

            bool other = cols[i].is_proctime || cols[i].generated_expr != NULL;

            g->fields[i] = other ? -1 : connector_nexmark_field(t, cols[i].name);
            if (g->fields[i] < 0 && !other) {
                free(inner);
                gen_free(g);
                return ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE,
                                 "column \"%s\" is not a column of nexmark table type %s",
                                 cols[i].name, connector_nexmark_type_name(t));
            }
        }
        g->total = g->nx.event_num == GEN_UNBOUNDED
                       ? GEN_UNBOUNDED
                       : nexmark_rows_below(g->nx.type, g->nx.event_num);
    } else {
        if (datagen_create(opts, nopts, inner, ninner, created_us, &g->dg, err) < 0) {
            free(inner);
            gen_free(g);
            return -1;
        }
        g->total = datagen_total_rows(g->dg);
    }
    free(inner);
    *out = g;
    return 0;
}

int
gen_create_from_sql(const char *definition, const GenColumn *cols, int ncols,
                    int64_t created_us, Generator **out, Err *err)
{
    DialectScript *ds = NULL;
    GenOption *opts;
    const DialectStmt *st = NULL;
    int rc;

    *out = NULL;
    if (definition == NULL)
        return 0;
    if (dialect_prepass(definition, strlen(definition), &ds, err) < 0)
        return -1;
    for (int i = 0; ds != NULL && i < ds->nstmts && st == NULL; i++) {
        if (ds->stmts[i].kind == DIALECT_CREATE_SOURCE)
            st = &ds->stmts[i];
    }
    if (st == NULL || st->noptions == 0) {
        dialect_free(ds);
        return 0;
    }
    if ((opts = calloc((size_t)st->noptions, sizeof *opts)) == NULL) {
        dialect_free(ds);
        return ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
    }
    for (int i = 0; i < st->noptions; i++)
        opts[i] = (GenOption){st->options[i].key, st->options[i].value};
    rc = gen_create(opts, st->noptions, cols, ncols, created_us, out, err);
    free(opts);
    dialect_free(ds);
    return rc;
}

void
gen_free(Generator *g)
{
    if (g == NULL)
        return;
    datagen_free(g->dg);
    nexmark_combined_free(g->nxc);
    sql_generated_free(g->sg);
    free(g->types);
    free(g->fields);
    free(g->is_proctime);
    free(g);
}

uint64_t
gen_total_rows(const Generator *g)
{
    return g->total;
}

bool
gen_is_paced(const Generator *g)
{
    return g->is_nexmark ? g->nx.gap_ns > 0 : datagen_rows_per_second(g->dg) > 0;
}

uint64_t
gen_due_ns(const Generator *g, uint64_t from, uint64_t i)
{
    if (i <= from || !gen_is_paced(g))
        return 0;
    if (g->is_nexmark)
        return (nexmark_event_of_row(g->nx.type, i) - nexmark_event_of_row(g->nx.type, from)) *
               g->nx.gap_ns;
    return (uint64_t)((unsigned __int128)(i - from) * 1000000000u /
                      datagen_rows_per_second(g->dg));
}

/* Row i's values into vals: every column, generated ones (`AS expr`) NULL until computed. */
static int
row_values(const Generator *g, uint64_t i, Value now, Arena *scratch, Value *vals, Err *err)
{
    Value gen[ROWCODEC_MAX_COLS];
    NexmarkEvent ev;
    bool spread = g->nproctime > 0 || g->sg != NULL;

    if (g->is_nexmark) {
        nexmark_event(&g->nx, nexmark_event_of_row(g->nx.type, i), &ev);
        if (g->nxc != NULL) {
            if (nexmark_combined_values(g->nxc, &ev, now, scratch, vals, err) < 0)
                return -1;
        } else {
            for (int c = 0; c < g->ncols; c++)
                vals[c] = g->is_proctime[c] ? now : nexmark_value(&ev, g->fields[c], scratch);
        }
    } else if (datagen_row(g->dg, i, scratch, spread ? gen : vals, err) < 0) {
        return -1;
    } else if (spread) { /* spread the generated values around the clock's and computed ones */
        for (int c = 0, j = 0; c < g->ncols; c++)
            vals[c] = g->is_proctime[c]              ? now
                      : sql_generated_has(g->sg, c) ? (Value){0, true}
                                                    : gen[j++];
    }
    return 0;
}

int
gen_encode_rows(const Generator *g, uint64_t first, int n, Buf *out, uint32_t *ends,
                Arena *scratch, Err *err)
{
    Value vals[ROWCODEC_MAX_COLS];
    Value now = {datum_from_int64(g->nproctime > 0 ? proctime_now() : 0), false};
    Value **rows = NULL;

    if (g->sg != NULL && n > 0) { /* the batch's rows first, then the computed columns */
        rows = arena_alloc(scratch, sizeof(Value *) * (size_t)n);
        for (int k = 0; k < n; k++) {
            rows[k] = arena_alloc(scratch, sizeof(Value) * (size_t)(g->ncols ? g->ncols : 1));
            if (row_values(g, first + (uint64_t)k, now, scratch, rows[k], err) < 0)
                return -1;
        }
        if (sql_generated_fill(g->sg, rows, n, scratch, err) < 0)
            return -1;
    }
    for (int k = 0; k < n; k++) {
        if (rows == NULL && row_values(g, first + (uint64_t)k, now, scratch, vals, err) < 0)
            return -1;
        buf_put_u8(out, SQL_REC_INSERT);
        buf_put_u8(out, SQL_REC_VERSION);
        buf_put_u16(out, 0);
        if (rowcodec_encode(g->types, g->ncols, rows != NULL ? rows[k] : vals, out, err) < 0)
            return -1;
        ends[k] = (uint32_t)out->len;
    }
    if (out->failed)
        return ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
    return 0;
}

/* ---- producer threads ---------------------------------------------------------------- */

typedef struct GenRunner {
    struct GenRunner *next;
    Engine *e;
    uint64_t relid;
    char name[128];
    Generator *g;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stop;
    _Atomic uint64_t produced; /* rows in the log (the position) */
} GenRunner;

static pthread_mutex_t registry_mu = PTHREAD_MUTEX_INITIALIZER;
static GenRunner *registry;

static bool
should_stop(GenRunner *r)
{
    bool stop;

    pthread_mutex_lock(&r->mu);
    stop = r->stop;
    pthread_mutex_unlock(&r->mu);
    return stop;
}

/* Waits up to ns or until stop is asked; returns the stop flag. */
static bool
wait_or_stop(GenRunner *r, uint64_t ns)
{
    struct timespec ts;
    bool stop;

    clock_deadline_timespec((int64_t)(ns / 1000) + 1, &ts);
    pthread_mutex_lock(&r->mu);
    if (!r->stop)
        pthread_cond_timedwait(&r->cv, &r->mu, &ts);
    stop = r->stop;
    pthread_mutex_unlock(&r->mu);
    return stop;
}

/* Appends the encoded records durably: 0, 1 when the source is gone, -1 on error. */
static int
append_batch(GenRunner *r, const Buf *b, const uint32_t *ends, int n, LogRecord *lr, Err *err)
{
    EngineRel *rel;
    LogAppendResult res;
    uint32_t start = 0;
    int rc = 0;

    for (int k = 0; k < n; k++) {
        lr[k] = (LogRecord){b->data + start, ends[k] - start, 0};
        start = ends[k];
    }
    pthread_rwlock_rdlock(&r->e->lock);
    if ((rel = engine_find_rel(r->e, r->relid)) == NULL || rel->log == NULL)
        rc = 1;
    else if (log_append(rel->log, lr, (size_t)n, &res, err) < 0 ||
             log_sync_to(rel->log, res.last_offset, err) < 0)
        rc = -1;
    pthread_rwlock_unlock(&r->e->lock);
    return rc;
}

/* The log's next offset (where the sequence resumes); sets the log's compression. */
static uint64_t
start_position(GenRunner *r)
{
    EngineRel *rel;
    uint64_t pos = 0;
    LogOptions o;
    Err err = {0};

    pthread_rwlock_rdlock(&r->e->lock);
    if ((rel = engine_find_rel(r->e, r->relid)) != NULL && rel->log != NULL) {
        pos = log_next_offset(rel->log);
        if (engine_log_options(&o) == NULL && /* no --log-compression-level */
            log_set_compression(rel->log, GEN_ZSTD_LEVEL == 0 ? LOG_CODEC_NONE : LOG_CODEC_ZSTD,
                                GEN_ZSTD_LEVEL, &err) < 0)
            LOG_WARNING("generator of source \"%s\": %s", r->name, err.message);
    }
    pthread_rwlock_unlock(&r->e->lock);
    return pos;
}

static void *
run_generator(void *arg)
{
    GenRunner *r = arg;
    const Generator *g = r->g;
    Arena *scratch = arena_create("generator", 0);
    uint32_t *ends = calloc(GEN_BATCH, sizeof *ends);
    LogRecord *lr = calloc(GEN_BATCH, sizeof *lr);
    uint64_t pos = start_position(r), from = pos, total = gen_total_rows(g);
    int64_t t0 = clock_monotonic_ns();
    Buf b;
    Err err = {0};

    buf_init(&b, BUF_DEFAULT_MAX);
    atomic_store(&r->produced, pos);
    while (ends != NULL && lr != NULL && !should_stop(r)) {
        uint64_t n = total - pos < GEN_BATCH ? total - pos : GEN_BATCH;
        int rc;

        if (pos >= total) {
            double secs = (double)(clock_monotonic_ns() - t0) / 1e9;

            LOG_INFO("generator of source \"%s\" finished: %" PRIu64 " rows (%" PRIu64
                     " in %.1f s, %.0f rows/s)",
                     r->name, pos, pos - from, secs, secs > 0 ? (double)(pos - from) / secs : 0);
            break;
        }
        if (gen_is_paced(g)) {
            uint64_t now = (uint64_t)(clock_monotonic_ns() - t0), due = gen_due_ns(g, from, pos);
            uint64_t k = 0;

            if (due > now) {
                /* at least GEN_PACE_NS per batch: no fsync per row at 10 k rows/s */
                uint64_t ns = due - now < GEN_PACE_NS ? GEN_PACE_NS : due - now;

                wait_or_stop(r, ns > 100000000 ? 100000000 : ns);
                continue;
            }
            while (k < n && gen_due_ns(g, from, pos + k) <= now)
                k++;
            n = k;
        }
        arena_reset(scratch);
        buf_reset(&b);
        if (gen_encode_rows(g, pos, (int)n, &b, ends, scratch, &err) < 0 ||
            (rc = append_batch(r, &b, ends, (int)n, lr, &err)) < 0) {
            LOG_ERROR("generator of source \"%s\" stopped at row %" PRIu64 ": %s", r->name, pos,
                      err.message);
            break;
        }
        if (rc == 1)
            break; /* dropped */
        pos += n;
        atomic_store(&r->produced, pos);
    }
    buf_free(&b);
    free(ends);
    free(lr);
    arena_destroy(scratch);
    return NULL;
}

static int64_t
created_us(const CatalogRelation *cr)
{
    for (size_t i = 0; i < cr->n_options; i++) {
        if (strcmp(cr->options[i].key, ENGINE_GEN_CREATED_OPTION) == 0)
            return strtoll(cr->options[i].value, NULL, 10);
    }
    return 0;
}

void
engine_gen_start(Engine *e, const CatalogRelation *cr)
{
    GenColumn *cols;
    Generator *g = NULL;
    GenRunner *r;
    Err err = {0};
    int rc;

    if (cr->kind != CATALOG_SOURCE || cr->definition == NULL)
        return;
    if ((cols = calloc(cr->n_columns + 1, sizeof *cols)) == NULL)
        return;
    for (size_t i = 0; i < cr->n_columns; i++)
        cols[i] = (GenColumn){cr->columns[i].name, cr->columns[i].type_oid,
                              cr->columns[i].typmod,
                              proctime_is_default(cr->columns[i].default_expr),
                              cr->columns[i].type_def, cr->columns[i].generated_expr};
    rc = gen_create_from_sql(cr->definition, cols, (int)cr->n_columns, created_us(cr), &g, &err);
    free(cols);
    if (rc < 0) {
        LOG_WARNING("the generator of source \"%s\" cannot start: %s", cr->name, err.message);
        return;
    }
    if (g == NULL)
        return;
    if ((r = calloc(1, sizeof *r)) == NULL) {
        gen_free(g);
        return;
    }
    r->e = e;
    r->relid = cr->id;
    r->g = g;
    snprintf(r->name, sizeof r->name, "%s", cr->name);
    pthread_mutex_init(&r->mu, NULL);
    pthread_cond_init(&r->cv, NULL);
    if (pthread_create(&r->thread, NULL, run_generator, r) != 0) {
        LOG_WARNING("the generator of source \"%s\" cannot start: no thread", cr->name);
        gen_free(g);
        free(r);
        return;
    }
    pthread_mutex_lock(&registry_mu);
    r->next = registry;
    registry = r;
    pthread_mutex_unlock(&registry_mu);
}

static void
stop_runner(GenRunner *r)
{
    pthread_mutex_lock(&r->mu);
    r->stop = true;
    pthread_cond_broadcast(&r->cv);
    pthread_mutex_unlock(&r->mu);
    pthread_join(r->thread, NULL);
    pthread_mutex_destroy(&r->mu);
    pthread_cond_destroy(&r->cv);
    gen_free(r->g);
    free(r);
}

/* Takes the runners of e matching ids (all when ids is NULL) out of the registry. */
static GenRunner *
take_runners(Engine *e, const uint64_t *ids, int n)
{
    GenRunner *taken = NULL, **pp;

    pthread_mutex_lock(&registry_mu);
    pp = &registry;
    while (*pp != NULL) {
        GenRunner *r = *pp;
        bool match = r->e == e && ids == NULL;

        for (int i = 0; ids != NULL && i < n && !match; i++)
            match = r->e == e && r->relid == ids[i];
        if (match) {
            *pp = r->next;
            r->next = taken;
            taken = r;
        } else {
            pp = &r->next;
        }
    }
    pthread_mutex_unlock(&registry_mu);
    return taken;
}

void
engine_gen_stop(Engine *e, const uint64_t *ids, int n)
{
    GenRunner *r = take_runners(e, ids, n);

    while (r != NULL) {
        GenRunner *next = r->next;

        stop_runner(r);
        r = next;
    }
}

void
engine_gen_start_ids(Engine *e, const uint64_t *ids, int n)
{
    for (int i = 0; i < n; i++) {
        Arena *a = arena_create("gen-restart", 0);
        CatalogRelation *cr;
        Err err = {0};

        int rc;

        pthread_rwlock_rdlock(&e->lock); /* the catalog store is used under Engine.lock */
        rc = catalog_store_lookup_by_id(e->cs, ids[i], a, &cr, &err);
        pthread_rwlock_unlock(&e->lock);
        if (rc == CATALOG_OK)
            engine_gen_start(e, cr);
        arena_destroy(a);
    }
}

void
engine_gen_start_all(Engine *e)
{
    Arena *a = arena_create("gen-start", 0);
    CatalogRelation *rels;
    size_t n;
    Err err = {0};

    int rc;

    pthread_rwlock_rdlock(&e->lock);
    rc = catalog_store_list(e->cs, CATALOG_SOURCE, a, &rels, &n, &err);
    pthread_rwlock_unlock(&e->lock);
    if (rc == 0) {
        for (size_t i = 0; i < n; i++)
            engine_gen_start(e, &rels[i]);
    } else {
        LOG_WARNING("generators not started: %s", err.message);
    }
    arena_destroy(a);
}

uint64_t
engine_gen_position(Engine *e, uint64_t relid, bool *running)
{
    uint64_t pos = 0;

    *running = false;
    pthread_mutex_lock(&registry_mu);
    for (GenRunner *r = registry; r != NULL; r = r->next) {
        if (r->e == e && r->relid == relid) {
            pos = atomic_load(&r->produced);
            *running = true;
        }
    }
    pthread_mutex_unlock(&registry_mu);
    return pos;
}

int
engine_gen_check_append(Engine *e, uint64_t relid, Err *err)
{
    char name[128] = "";

    pthread_mutex_lock(&registry_mu);
    for (GenRunner *r = registry; r != NULL; r = r->next) {
        if (r->e == e && r->relid == relid)
            snprintf(name, sizeof name, "%s", r->name);
    }
    pthread_mutex_unlock(&registry_mu);
    if (name[0] == '\0')
        return 0;
    ERR_RAISE(err, ERRCODE_WRONG_OBJECT_TYPE, "cannot insert into source \"%s\"", name);
    err_detail(err, "Its rows come from its generator connector.");
    return -1;
}
