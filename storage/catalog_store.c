/*
 * storage/catalog_store.c — the durable catalog over SQLite (see catalog_store.h).
 *
 * The database is versioned by a list of migrations compiled in below; catalog_store_open()
 * applies those the file has not seen, each recorded in schema_migrations, all in one
 * transaction. A file from a newer binary (a version above ours) is refused, never guessed at.
 *
 *      open ──▶ WAL, synchronous=FULL, foreign_keys ──▶ check application_id
 *           ──▶ BEGIN IMMEDIATE ──▶ apply migrations > version ──▶ COMMIT ──▶ ready
 *
 * Invariants:
 *   1. Every public call that writes runs inside one BEGIN IMMEDIATE … COMMIT and rolls back
 *      on any failure, so a create or drop is whole or absent.
 *   2. Ids come from id_counter, which only ever increases (never from rowid reuse).
 *   3. The mutex is held for the whole of a public call; statements never outlive it.
 *   4. A failed fsync (SQLITE_IOERR_FSYNC) is raised at PANIC level.
 */
#include "storage/catalog_store.h"

#include <inttypes.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/clock.h"
#include "common/logger.h"
#include "storage/state.h"

#define CATALOG_APPLICATION_ID 0x52564354 /* "RVCT" */
#define CATALOG_BUSY_MS 5000

struct CatalogStore {
    sqlite3 *db;
    pthread_mutex_t lock;
    int version;
};

typedef struct Migration {
    int version;
    const char *description;
    const char *sql;
} Migration;

/* Append only: never edit a migration that has shipped; add the next one. */
static const Migration migrations[] = {
    {1, "schemas, relations, columns, options, dependencies, id counter",
     "CREATE TABLE id_counter (next_id INTEGER NOT NULL);"
     "INSERT INTO id_counter VALUES (16384);"
     "CREATE TABLE schemas ("
     "  id INTEGER PRIMARY KEY,"
     "  name TEXT NOT NULL UNIQUE);"
     "INSERT INTO schemas VALUES (2200, 'public');"
     "CREATE TABLE relations ("
     "  id INTEGER PRIMARY KEY,"
     "  schema_id INTEGER NOT NULL REFERENCES schemas(id),"
     "  name TEXT NOT NULL,"
     "  kind TEXT NOT NULL CHECK (kind IN ('table', 'source', 'view', 'materialized view')),"
     "  definition TEXT,"
     "  created_epoch INTEGER NOT NULL,"
     "  UNIQUE (schema_id, name));"
     "CREATE TABLE columns ("
     "  relation_id INTEGER NOT NULL REFERENCES relations(id) ON DELETE CASCADE,"
     "  position INTEGER NOT NULL,"
     "  name TEXT NOT NULL,"
     "  type_oid INTEGER NOT NULL,"
     "  typmod INTEGER NOT NULL DEFAULT -1,"
     "  not_null INTEGER NOT NULL DEFAULT 0,"
     "  default_expr TEXT,"
     "  pk_position INTEGER NOT NULL DEFAULT 0,"
     "  PRIMARY KEY (relation_id, position),"
     "  UNIQUE (relation_id, name)) WITHOUT ROWID;"
     "CREATE TABLE options ("
     "  relation_id INTEGER NOT NULL REFERENCES relations(id) ON DELETE CASCADE,"
     "  key TEXT NOT NULL,"
     "  value TEXT NOT NULL,"
     "  PRIMARY KEY (relation_id, key)) WITHOUT ROWID;"
     "CREATE TABLE dependencies ("
     "  from_id INTEGER NOT NULL REFERENCES relations(id) ON DELETE CASCADE,"
     "  to_id INTEGER NOT NULL REFERENCES relations(id),"
     "  PRIMARY KEY (from_id, to_id)) WITHOUT ROWID;"
     "CREATE INDEX dependencies_to ON dependencies(to_id);"},
    {2, "columns: STRUCT type definitions, generation expressions",
     "ALTER TABLE columns ADD COLUMN type_def TEXT;"
     "ALTER TABLE columns ADD COLUMN generated_expr TEXT;"},
};
#define N_MIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))

static const char *const kind_names[CATALOG_KIND_COUNT] = {
    [CATALOG_TABLE] = "table",
    [CATALOG_SOURCE] = "source",
    [CATALOG_VIEW] = "view",
    [CATALOG_MATVIEW] = "materialized view",
};

const char *
catalog_kind_name(CatalogKind kind)
{
    return kind < CATALOG_KIND_COUNT ? kind_names[kind] : "?";
}

static int
kind_from_name(const char *s, CatalogKind *out)
{
    for (int k = 0; k < CATALOG_KIND_COUNT; k++) {
        if (strcmp(s, kind_names[k]) == 0) {
            *out = (CatalogKind)k;
            return 0;
        }
    }
    return -1;
}

/* ---- SQLite plumbing ---- */

static int
raise_sqlite(CatalogStore *cs, int rc, const char *what, Err *err)
{
    const char *msg = cs && cs->db ? sqlite3_errmsg(cs->db) : sqlite3_errstr(rc);

    switch (rc & 0xff) {
    case SQLITE_FULL:
        ERR_RAISE(err, ERRCODE_DISK_FULL, "could not %s: catalog is full: %s", what, msg);
        err_hint(err, "Free disk space in the data directory.");
        return -1;
    case SQLITE_IOERR:
        if (rc == SQLITE_IOERR_FSYNC)
            return err_raise(err, ERR_PANIC, ERRCODE_IO_ERROR, "could not %s: %s", what, msg);
        return ERR_RAISE(err, ERRCODE_IO_ERROR, "could not %s: %s", what, msg);
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_READONLY:
        return ERR_RAISE(err, ERRCODE_IO_ERROR, "could not %s: %s", what, msg);
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return ERR_RAISE(err, ERRCODE_DATA_CORRUPTED, "could not %s: %s", what, msg);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return ERR_RAISE(err, ERRCODE_OBJECT_IN_USE, "could not %s: %s", what, msg);
    case SQLITE_NOMEM:
        return ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "could not %s: %s", what, msg);
    default:
        return ERR_RAISE(err, ERRCODE_INTERNAL_ERROR, "could not %s: %s", what, msg);
    }
}

static int
exec_sql(CatalogStore *cs, const char *sql, const char *what, Err *err)
{
    int rc = sqlite3_exec(cs->db, sql, NULL, NULL, NULL);

    return rc == SQLITE_OK ? 0 : raise_sqlite(cs, rc, what, err);
}

static int
prepare(CatalogStore *cs, const char *sql, sqlite3_stmt **st, Err *err)
{
    int rc = sqlite3_prepare_v2(cs->db, sql, -1, st, NULL);

    return rc == SQLITE_OK ? 0 : raise_sqlite(cs, rc, "prepare a catalog statement", err);
}

/* Runs a statement that returns no rows (or whose rows are ignored), then finalizes it. */
static int
run(CatalogStore *cs, sqlite3_stmt *st, const char *what, Err *err)
{
    int rc;

    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        ;
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : raise_sqlite(cs, rc, what, err);
}

static void
bind_text_or_null(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

static const char *
col_text(sqlite3_stmt *st, int i, Arena *a)
{
    const unsigned char *t = sqlite3_column_text(st, i);

    return t ? arena_strdup(a, (const char *)t) : NULL;
}

/* A single integer from a one-row query with one int parameter (or none if p1 < 0). */
static int
query_int(CatalogStore *cs, const char *sql, int64_t p1, bool *found, int64_t *val, Err *err)
{
    sqlite3_stmt *st;
    int rc;

    if (prepare(cs, sql, &st, err) < 0)
        return -1;
    if (p1 >= 0)
        sqlite3_bind_int64(st, 1, p1);
    rc = sqlite3_step(st);
    *found = rc == SQLITE_ROW;
    if (*found)
        *val = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return raise_sqlite(cs, rc, "read the catalog", err);
    return 0;
}

static int
begin(CatalogStore *cs, Err *err)
{
    pthread_mutex_lock(&cs->lock);
    if (exec_sql(cs, "BEGIN IMMEDIATE", "begin a catalog transaction", err) < 0) {
        pthread_mutex_unlock(&cs->lock);
        return -1;
    }
    return 0;
}

/* Ends the transaction: COMMIT if rc == 0, else ROLLBACK. Returns rc (or -1 if COMMIT fails). */
static int
finish(CatalogStore *cs, int rc, Err *err)
{
    if (rc == 0) {
        if (exec_sql(cs, "COMMIT", "commit a catalog transaction", err) < 0) {
            sqlite3_exec(cs->db, "ROLLBACK", NULL, NULL, NULL);
            rc = -1;
        }
    } else {
        sqlite3_exec(cs->db, "ROLLBACK", NULL, NULL, NULL);
    }
    pthread_mutex_unlock(&cs->lock);
    return rc;
}

/* ---- open and migrate ---- */

static int
migrate(CatalogStore *cs, Err *err)
{
    bool found;
    int64_t v = 0;
    int rc = 0;

    if (exec_sql(cs,
                 "CREATE TABLE IF NOT EXISTS schema_migrations ("
                 " version INTEGER PRIMARY KEY, description TEXT NOT NULL,"
                 " applied_at_us INTEGER NOT NULL)",
                 "create the migration table", err) < 0 ||
        query_int(cs, "SELECT coalesce(max(version), 0) FROM schema_migrations", -1, &found, &v,
                  err) < 0)
        return -1;
    if (v > N_MIGRATIONS) {
        ERR_RAISE(err, ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
                  "catalog schema version %" PRId64 " is newer than this server's %d", v,
                  N_MIGRATIONS);
        err_hint(err, "The data directory was written by a newer Rivulet; run that version.");
        return -1;
    }
    for (int i = (int)v; i < N_MIGRATIONS && rc == 0; i++) {
        sqlite3_stmt *st;

        rc = exec_sql(cs, migrations[i].sql, "migrate the catalog", err);
        if (rc == 0)
            rc = prepare(cs, "INSERT INTO schema_migrations VALUES (?1, ?2, ?3)", &st, err);
        if (rc == 0) {
            sqlite3_bind_int(st, 1, migrations[i].version);
            sqlite3_bind_text(st, 2, migrations[i].description, -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, 3, clock_now_us());
            rc = run(cs, st, "record a catalog migration", err);
        }
    }
    cs->version = N_MIGRATIONS;
    return rc;
}

/* WAL mode; a file system that cannot do it (no shared memory) keeps rollback mode. */
static int
set_wal(CatalogStore *cs, Err *err)
{
    sqlite3_stmt *st;
    const unsigned char *mode;
    int rc;

    if (prepare(cs, "PRAGMA journal_mode=WAL", &st, err) < 0)
        return -1;
    rc = sqlite3_step(st);
    mode = rc == SQLITE_ROW ? sqlite3_column_text(st, 0) : NULL;
    if (mode && strcmp((const char *)mode, "wal") != 0)
        LOG_WARNING("catalog: journal mode is \"%s\", not WAL (file system without shared memory?)",
                    mode);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return raise_sqlite(cs, rc, "set the catalog journal mode", err);
    return 0;
}

static int
configure(CatalogStore *cs, Err *err)
{
    bool found;
    int64_t app = 0, n_tables = 0;
    char sql[64];

    sqlite3_extended_result_codes(cs->db, 1);
    sqlite3_busy_timeout(cs->db, CATALOG_BUSY_MS);
    if (set_wal(cs, err) < 0 ||
        exec_sql(cs, "PRAGMA synchronous=FULL", "set catalog synchronous", err) < 0 ||
        exec_sql(cs, "PRAGMA foreign_keys=ON", "enable catalog foreign keys", err) < 0 ||
        query_int(cs, "PRAGMA application_id", -1, &found, &app, err) < 0 ||
        query_int(cs, "SELECT count(*) FROM sqlite_schema", -1, &found, &n_tables, err) < 0)
        return -1;
    if (app == 0 && n_tables == 0) {
        snprintf(sql, sizeof sql, "PRAGMA application_id=%d", CATALOG_APPLICATION_ID);
        return exec_sql(cs, sql, "mark the catalog", err);
    }
    if (app != CATALOG_APPLICATION_ID)
        return ERR_RAISE(err, ERRCODE_DATA_CORRUPTED, "file \"%s\" is not a Rivulet catalog",
                         sqlite3_db_filename(cs->db, NULL));
    return 0;
}

int
catalog_store_open(const char *path, CatalogStore **out, Err *err)
{
    CatalogStore *cs = calloc(1, sizeof *cs);
    int rc;

    *out = NULL;
    if (cs == NULL)
        return ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
    pthread_mutex_init(&cs->lock, NULL);
    rc = sqlite3_open_v2(path, &cs->db,
                         SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        raise_sqlite(cs, rc, "open the catalog", err);
        err_detail(err, "File: \"%s\".", path);
        catalog_store_close(cs);
        return -1;
    }
    if (configure(cs, err) < 0 || begin(cs, err) < 0) {
        catalog_store_close(cs);
        return -1;
    }
    if (finish(cs, migrate(cs, err), err) < 0) {
        catalog_store_close(cs);
        return -1;
    }
    *out = cs;
    return 0;
}

void
catalog_store_close(CatalogStore *cs)
{
    if (cs == NULL)
        return;
    sqlite3_close(cs->db);
    pthread_mutex_destroy(&cs->lock);
    free(cs);
}

int
catalog_store_version(CatalogStore *cs)
{
    return cs->version;
}

/* ---- ids and schemas ---- */

static int
next_id(CatalogStore *cs, uint64_t *id, Err *err)
{
    bool found;
    int64_t v = 0;

    if (query_int(cs, "UPDATE id_counter SET next_id = next_id + 1 RETURNING next_id - 1", -1,
                  &found, &v, err) < 0)
        return -1;
    if (!found)
        return ERR_RAISE(err, ERRCODE_DATA_CORRUPTED, "catalog id counter is missing");
    *id = (uint64_t)v;
    return 0;
}

static int
schema_id_of(CatalogStore *cs, const char *name, bool *found, int64_t *id, Err *err)
{
    sqlite3_stmt *st;
    int rc;

    if (prepare(cs, "SELECT id FROM schemas WHERE name = ?1", &st, err) < 0)
        return -1;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    *found = rc == SQLITE_ROW;
    if (*found)
        *id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return raise_sqlite(cs, rc, "read the catalog", err);
    return 0;
}

int
catalog_store_create_schema(CatalogStore *cs, const char *name, uint64_t *id, Err *err)
{
    sqlite3_stmt *st;
    bool found;
    int64_t old;
    int rc;

    if (begin(cs, err) < 0)
        return -1;
    rc = schema_id_of(cs, name, &found, &old, err);
    if (rc == 0 && found)
        rc = CATALOG_DUPLICATE;
    if (rc == 0)
        rc = next_id(cs, id, err);
    if (rc == 0)
        rc = prepare(cs, "INSERT INTO schemas (id, name) VALUES (?1, ?2)", &st, err);
    if (rc == 0) {
        sqlite3_bind_int64(st, 1, (int64_t)*id);
        sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
        rc = run(cs, st, "create a schema", err);
    }
    return finish(cs, rc, err);
}

int
catalog_store_drop_schema(CatalogStore *cs, const char *name, Err *err)
{
    sqlite3_stmt *st;
    bool found, used = false;
    int64_t id = 0, n = 0;
    int rc;

    if (begin(cs, err) < 0)
        return -1;
    rc = schema_id_of(cs, name, &found, &id, err);
    if (rc == 0 && !found)
        rc = CATALOG_NOT_FOUND;
    if (rc == 0)
        rc = query_int(cs, "SELECT count(*) FROM relations WHERE schema_id = ?1", id, &used, &n,
                       err);
    if (rc == 0 && n > 0)
        rc = CATALOG_HAS_DEPENDENTS;
    if (rc == 0)
        rc = prepare(cs, "DELETE FROM schemas WHERE id = ?1", &st, err);
    if (rc == 0) {
        sqlite3_bind_int64(st, 1, id);
        rc = run(cs, st, "drop a schema", err);
    }
    return finish(cs, rc, err);
}

int
catalog_store_lookup_schema(CatalogStore *cs, const char *name, uint64_t *id, Err *err)
{
    bool found;
    int64_t v = 0;
    int rc;

    pthread_mutex_lock(&cs->lock);
    rc = schema_id_of(cs, name, &found, &v, err);
    pthread_mutex_unlock(&cs->lock);
    if (rc < 0)
        return -1;
    if (!found)
        return CATALOG_NOT_FOUND;
    *id = (uint64_t)v;
    return 0;
}

int
catalog_store_list_schemas(CatalogStore *cs, Arena *a, CatalogSchema **out, size_t *n, Err *err)
{
    sqlite3_stmt *st;
    size_t cap = 8;
    int rc;

    *n = 0;
    *out = arena_alloc(a, cap * sizeof **out);
    pthread_mutex_lock(&cs->lock);
    if (prepare(cs, "SELECT id, name FROM schemas ORDER BY name", &st, err) < 0) {
        pthread_mutex_unlock(&cs->lock);
        return -1;
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            CatalogSchema *bigger = arena_alloc(a, cap * 2 * sizeof *bigger);

            memcpy(bigger, *out, cap * sizeof *bigger);
            *out = bigger;
            cap *= 2;
        }
        (*out)[*n].id = (uint64_t)sqlite3_column_int64(st, 0);
        (*out)[*n].name = col_text(st, 1, a);
        (*n)++;
    }
    sqlite3_finalize(st);
    rc = rc == SQLITE_DONE ? 0 : raise_sqlite(cs, rc, "list schemas", err);
    pthread_mutex_unlock(&cs->lock);
    return rc;
}

/* ---- relations ---- */

static int
validate_relation(const CatalogRelation *rel, Err *err)
{
    size_t n_pk = 0;

    if (rel->name == NULL || rel->name[0] == '\0')
        return ERR_RAISE(err, ERRCODE_INVALID_NAME, "relation name must not be empty");
    if (rel->kind >= CATALOG_KIND_COUNT)
        return ERR_RAISE(err, ERRCODE_INTERNAL_ERROR, "invalid relation kind %d", (int)rel->kind);
    for (size_t i = 0; i < rel->n_columns; i++) {
        const CatalogColumn *c = &rel->columns[i];

        if (c->name == NULL || c->name[0] == '\0')
            return ERR_RAISE(err, ERRCODE_INVALID_NAME, "column name must not be empty");
        for (size_t j = 0; j < i; j++) {
            if (strcmp(rel->columns[j].name, c->name) == 0)
                return ERR_RAISE(err, ERRCODE_DUPLICATE_COLUMN,
                                 "column \"%s\" specified more than once", c->name);
        }
        if (c->pk_position < 0 || (size_t)c->pk_position > rel->n_columns)
            return ERR_RAISE(err, ERRCODE_INVALID_TABLE_DEFINITION,
                             "invalid primary key position %d for column \"%s\"", c->pk_position,
                             c->name);
        if (c->pk_position > 0)
            n_pk++;
    }
    /* Positions must be exactly 1..n_pk: each present once. */
    for (size_t p = 1; p <= n_pk; p++) {
        size_t seen = 0;

        for (size_t i = 0; i < rel->n_columns; i++)
            seen += (size_t)rel->columns[i].pk_position == p;
        if (seen != 1)
            return ERR_RAISE(err, ERRCODE_INVALID_TABLE_DEFINITION,
                             "primary key positions must be 1 to %zu, each once", n_pk);
    }
    for (size_t i = 0; i < rel->n_options; i++) {
        if (rel->options[i].key == NULL || rel->options[i].key[0] == '\0')
            return ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE, "option name must not be empty");
        for (size_t j = 0; j < i; j++) {
            if (strcmp(rel->options[j].key, rel->options[i].key) == 0)
                return ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE,
                                 "parameter \"%s\" specified more than once", rel->options[i].key);
        }
    }
    return 0;
}

static int
relation_exists(CatalogStore *cs, uint64_t id, bool *found, Err *err)
{
    int64_t v;

    return query_int(cs, "SELECT 1 FROM relations WHERE id = ?1", (int64_t)id, found, &v, err);
}

static int
check_references(CatalogStore *cs, const CatalogRelation *rel, Err *err)
{
    bool found;
    int64_t v;
    int rc;
    sqlite3_stmt *st;

    rc = query_int(cs, "SELECT 1 FROM schemas WHERE id = ?1", (int64_t)rel->schema_id, &found, &v,
                   err);
    if (rc == 0 && !found)
        return CATALOG_NOT_FOUND;
    if (rc < 0 ||
        prepare(cs, "SELECT 1 FROM relations WHERE schema_id = ?1 AND name = ?2", &st, err) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, (int64_t)rel->schema_id);
    sqlite3_bind_text(st, 2, rel->name, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW)
        return CATALOG_DUPLICATE;
    if (rc != SQLITE_DONE)
        return raise_sqlite(cs, rc, "read the catalog", err);
    for (size_t i = 0; i < rel->n_depends_on; i++) {
        if (relation_exists(cs, rel->depends_on[i], &found, err) < 0)
            return -1;
        if (!found)
            return CATALOG_NOT_FOUND;
    }
    return 0;
}

static int
insert_relation_row(CatalogStore *cs, const CatalogRelation *rel, Err *err)
{
    sqlite3_stmt *st;

    if (prepare(cs,
                "INSERT INTO relations (id, schema_id, name, kind, definition, created_epoch)"
                " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                &st, err) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, (int64_t)rel->id);
    sqlite3_bind_int64(st, 2, (int64_t)rel->schema_id);
    sqlite3_bind_text(st, 3, rel->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, catalog_kind_name(rel->kind), -1, SQLITE_STATIC);
    bind_text_or_null(st, 5, rel->definition);
    sqlite3_bind_int64(st, 6, (int64_t)rel->created_epoch);
    return run(cs, st, "create a relation", err);
}

static int
insert_parts(CatalogStore *cs, const CatalogRelation *rel, Err *err)
{
    sqlite3_stmt *st;
    int rc = 0;

    for (size_t i = 0; i < rel->n_columns && rc == 0; i++) {
        const CatalogColumn *c = &rel->columns[i];

        if (prepare(cs,
                    "INSERT INTO columns (relation_id, position, name, type_oid, typmod, not_null,"
                    " default_expr, pk_position, type_def, generated_expr)"
                    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                    &st, err) < 0)
            return -1;
        sqlite3_bind_int64(st, 1, (int64_t)rel->id);
        sqlite3_bind_int64(st, 2, (int64_t)i + 1);
        sqlite3_bind_text(st, 3, c->name, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, c->type_oid);
        sqlite3_bind_int(st, 5, c->typmod);
        sqlite3_bind_int(st, 6, c->not_null);
        bind_text_or_null(st, 7, c->default_expr);
        sqlite3_bind_int(st, 8, c->pk_position);
        bind_text_or_null(st, 9, c->type_def);
        bind_text_or_null(st, 10, c->generated_expr);
        rc = run(cs, st, "create a column", err);
    }
    for (size_t i = 0; i < rel->n_options && rc == 0; i++) {
        if (prepare(cs, "INSERT INTO options VALUES (?1, ?2, ?3)", &st, err) < 0)
            return -1;
        sqlite3_bind_int64(st, 1, (int64_t)rel->id);
        sqlite3_bind_text(st, 2, rel->options[i].key, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, rel->options[i].value ? rel->options[i].value : "", -1,
                          SQLITE_STATIC);
        rc = run(cs, st, "create an option", err);
    }
    for (size_t i = 0; i < rel->n_depends_on && rc == 0; i++) {
        if (prepare(cs, "INSERT OR IGNORE INTO dependencies VALUES (?1, ?2)", &st, err) < 0)
            return -1;
        sqlite3_bind_int64(st, 1, (int64_t)rel->id);
        sqlite3_bind_int64(st, 2, (int64_t)rel->depends_on[i]);
        rc = run(cs, st, "record a dependency", err);
    }
    return rc;
}

int
catalog_store_create_relation(CatalogStore *cs, CatalogRelation *rel, Err *err)
{
    uint64_t id = 0;
    int rc;

    if (validate_relation(rel, err) < 0)
        return -1;
    if (begin(cs, err) < 0)
        return -1;
    rc = check_references(cs, rel, err);
    if (rc == 0)
        rc = next_id(cs, &id, err);
    if (rc == 0) {
        rel->id = id;
        rc = insert_relation_row(cs, rel, err);
    }
    if (rc == 0)
        rc = insert_parts(cs, rel, err);
    rc = finish(cs, rc, err);
    if (rc != 0)
        rel->id = 0;
    return rc;
}

static bool
in_set(const uint64_t *ids, size_t n, uint64_t id)
{
    for (size_t i = 0; i < n; i++) {
        if (ids[i] == id)
            return true;
    }
    return false;
}

/* CATALOG_HAS_DEPENDENTS if a relation outside ids depends on ids[k]. */
static int
check_outside_dependents(CatalogStore *cs, const uint64_t *ids, size_t n, size_t k, Err *err)
{
    sqlite3_stmt *st;
    int rc, status = 0;

    if (prepare(cs, "SELECT from_id FROM dependencies WHERE to_id = ?1", &st, err) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, (int64_t)ids[k]);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (!in_set(ids, n, (uint64_t)sqlite3_column_int64(st, 0)))
            status = CATALOG_HAS_DEPENDENTS;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return raise_sqlite(cs, rc, "read dependencies", err);
    return status;
}

static int
delete_by_id(CatalogStore *cs, const char *sql, uint64_t id, Err *err)
{
    sqlite3_stmt *st;

    if (prepare(cs, sql, &st, err) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, (int64_t)id);
    return run(cs, st, "drop a relation", err);
}

int
catalog_store_drop_relations(CatalogStore *cs, const uint64_t *ids, size_t n, Err *err)
{
    bool found;
    int rc;

    if (begin(cs, err) < 0)
        return -1;
    rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        rc = relation_exists(cs, ids[i], &found, err);
        if (rc == 0 && !found)
            rc = CATALOG_NOT_FOUND;
        if (rc == 0)
            rc = check_outside_dependents(cs, ids, n, i, err);
    }
    /* Edges first, so no relation of the set is deleted while another still points at it. */
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = delete_by_id(cs, "DELETE FROM dependencies WHERE from_id = ?1", ids[i], err);
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = delete_by_id(cs, "DELETE FROM relations WHERE id = ?1", ids[i], err);
    return finish(cs, rc, err);
}

/* ---- lookups ---- */

#define RELATION_COLUMNS                                                                           \
    "SELECT r.id, r.schema_id, s.name, r.name, r.kind, r.definition, r.created_epoch"              \
    " FROM relations r JOIN schemas s ON s.id = r.schema_id"

static int
read_relation_row(CatalogStore *cs, sqlite3_stmt *st, Arena *a, CatalogRelation *rel, Err *err)
{
    memset(rel, 0, sizeof *rel);
    rel->id = (uint64_t)sqlite3_column_int64(st, 0);
    rel->schema_id = (uint64_t)sqlite3_column_int64(st, 1);
    rel->schema_name = col_text(st, 2, a);
    rel->name = col_text(st, 3, a);
    if (kind_from_name((const char *)sqlite3_column_text(st, 4), &rel->kind) < 0)
        return ERR_RAISE(err, ERRCODE_DATA_CORRUPTED, "relation %" PRIu64 " has unknown kind",
                         rel->id);
    rel->definition = col_text(st, 5, a);
    rel->created_epoch = (uint64_t)sqlite3_column_int64(st, 6);
    (void)cs;
    return 0;
}

/* Runs a "... WHERE x = ?1" query for rel->id and counts its rows first. */
static int
count_rows(CatalogStore *cs, const char *table, const char *col, uint64_t id, size_t *n, Err *err)
{
    char sql[128];
    bool found;
    int64_t v = 0;

    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s WHERE %s = ?1", table, col);
    if (query_int(cs, sql, (int64_t)id, &found, &v, err) < 0)
        return -1;
    *n = (size_t)v;
    return 0;
}

static int
read_columns(CatalogStore *cs, CatalogRelation *rel, Arena *a, Err *err)
{
    sqlite3_stmt *st;
    size_t i = 0;
    int rc;

    if (count_rows(cs, "columns", "relation_id", rel->id, &rel->n_columns, err) < 0)
        return -1;
    rel->columns = arena_calloc(a, rel->n_columns + 1, sizeof *rel->columns);
    if (prepare(cs,
                "SELECT name, type_oid, typmod, not_null, default_expr, pk_position, type_def,"
                " generated_expr FROM columns WHERE relation_id = ?1 ORDER BY position",
                &st, err) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, (int64_t)rel->id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && i < rel->n_columns) {
        CatalogColumn *c = &rel->columns[i++];

        c->name = col_text(st, 0, a);
        c->type_oid = (uint32_t)sqlite3_column_int64(st, 1);
        c->typmod = sqlite3_column_int(st, 2);
        c->not_null = sqlite3_column_int(st, 3) != 0;
        c->default_expr = col_text(st, 4, a);
        c->pk_position = sqlite3_column_int(st, 5);
        c->type_def = col_text(st, 6, a);
        c->generated_expr = col_text(st, 7, a);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return raise_sqlite(cs, rc, "read columns", err);
    return 0;
}

static int
read_options_and_deps(CatalogStore *cs, CatalogRelation *rel, Arena *a, Err *err)
{
    sqlite3_stmt *st;
    size_t i = 0;
    int rc;

    if (count_rows(cs, "options", "relation_id", rel->id, &rel->n_options, err) < 0 ||
        count_rows(cs, "dependencies", "from_id", rel->id, &rel->n_depends_on, err) < 0)
        return -1;
    rel->options = arena_calloc(a, rel->n_options + 1, sizeof *rel->options);
    rel->depends_on = arena_calloc(a, rel->n_depends_on + 1, sizeof *rel->depends_on);
    if (prepare(cs, "SELECT key, value FROM options WHERE relation_id = ?1 ORDER BY key", &st,
                err) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, (int64_t)rel->id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && i < rel->n_options) {
        rel->options[i].key = col_text(st, 0, a);
        rel->options[i].value = col_text(st, 1, a);
        i++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return raise_sqlite(cs, rc, "read options", err);
    i = 0;
    if (prepare(cs, "SELECT to_id FROM dependencies WHERE from_id = ?1 ORDER BY to_id", &st, err) <
        0)
        return -1;
    sqlite3_bind_int64(st, 1, (int64_t)rel->id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && i < rel->n_depends_on)
        rel->depends_on[i++] = (uint64_t)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return raise_sqlite(cs, rc, "read dependencies", err);
    return 0;
}

/* Reads the relations a prepared RELATION_COLUMNS query yields, completing each. */
static int
read_relations(CatalogStore *cs, sqlite3_stmt *st, Arena *a, CatalogRelation **out, size_t *n,
               Err *err)
{
    size_t cap = 8;
    int rc;

    *n = 0;
    *out = arena_alloc(a, cap * sizeof **out);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            CatalogRelation *bigger = arena_alloc(a, cap * 2 * sizeof *bigger);

            memcpy(bigger, *out, cap * sizeof *bigger);
            *out = bigger;
            cap *= 2;
        }
        if (read_relation_row(cs, st, a, &(*out)[*n], err) < 0) {
            sqlite3_finalize(st);
            return -1;
        }
        (*n)++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return raise_sqlite(cs, rc, "read relations", err);
    for (size_t i = 0; i < *n; i++) {
        if (read_columns(cs, &(*out)[i], a, err) < 0 ||
            read_options_and_deps(cs, &(*out)[i], a, err) < 0)
            return -1;
    }
    return 0;
}

static int
lookup(CatalogStore *cs, sqlite3_stmt *st, Arena *a, CatalogRelation **out, Err *err)
{
    CatalogRelation *rels;
    size_t n;

    if (read_relations(cs, st, a, &rels, &n, err) < 0)
        return -1;
    if (n == 0)
        return CATALOG_NOT_FOUND;
    *out = &rels[0];
    return 0;
}

int
catalog_store_lookup_by_name(CatalogStore *cs, uint64_t schema_id, const char *name, Arena *a,
                             CatalogRelation **out, Err *err)
{
    sqlite3_stmt *st;
    int rc = -1;

    pthread_mutex_lock(&cs->lock);
    if (prepare(cs, RELATION_COLUMNS " WHERE r.schema_id = ?1 AND r.name = ?2", &st, err) == 0) {
        sqlite3_bind_int64(st, 1, (int64_t)schema_id);
        sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
        rc = lookup(cs, st, a, out, err);
    }
    pthread_mutex_unlock(&cs->lock);
    return rc;
}

int
catalog_store_lookup_by_id(CatalogStore *cs, uint64_t id, Arena *a, CatalogRelation **out, Err *err)
{
    sqlite3_stmt *st;
    int rc = -1;

    pthread_mutex_lock(&cs->lock);
    if (prepare(cs, RELATION_COLUMNS " WHERE r.id = ?1", &st, err) == 0) {
        sqlite3_bind_int64(st, 1, (int64_t)id);
        rc = lookup(cs, st, a, out, err);
    }
    pthread_mutex_unlock(&cs->lock);
    return rc;
}

int
catalog_store_list(CatalogStore *cs, CatalogKind kind, Arena *a, CatalogRelation **out, size_t *n,
                   Err *err)
{
    sqlite3_stmt *st;
    int rc = -1;

    pthread_mutex_lock(&cs->lock);
    if (prepare(cs, RELATION_COLUMNS " WHERE ?1 IS NULL OR r.kind = ?1 ORDER BY s.name, r.name",
                &st, err) == 0) {
        if (kind < CATALOG_KIND_COUNT)
            sqlite3_bind_text(st, 1, catalog_kind_name(kind), -1, SQLITE_STATIC);
        rc = read_relations(cs, st, a, out, n, err);
    }
    pthread_mutex_unlock(&cs->lock);
    return rc;
}

int
catalog_store_dependents(CatalogStore *cs, uint64_t id, bool recursive, Arena *a, uint64_t **out,
                         size_t *n, Err *err)
{
    static const char direct[] =
        "SELECT from_id FROM dependencies WHERE to_id = ?1 ORDER BY from_id";
    static const char closure[] =
        "WITH RECURSIVE dep(id) AS ("
        " SELECT from_id FROM dependencies WHERE to_id = ?1"
        " UNION SELECT d.from_id FROM dependencies d JOIN dep ON d.to_id = dep.id)"
        " SELECT id FROM dep ORDER BY id";
    sqlite3_stmt *st;
    size_t cap = 8;
    bool found;
    int rc;

    *n = 0;
    *out = arena_alloc(a, cap * sizeof **out);
    pthread_mutex_lock(&cs->lock);
    rc = relation_exists(cs, id, &found, err);
    if (rc == 0 && !found)
        rc = CATALOG_NOT_FOUND;
    if (rc == 0 && prepare(cs, recursive ? closure : direct, &st, err) < 0)
        rc = -1;
    if (rc == 0) {
        sqlite3_bind_int64(st, 1, (int64_t)id);
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            if (*n == cap) {
                uint64_t *bigger = arena_alloc(a, cap * 2 * sizeof *bigger);

                memcpy(bigger, *out, cap * sizeof *bigger);
                *out = bigger;
                cap *= 2;
            }
            (*out)[(*n)++] = (uint64_t)sqlite3_column_int64(st, 0);
        }
        sqlite3_finalize(st);
        rc = rc == SQLITE_DONE ? 0 : raise_sqlite(cs, rc, "read dependents", err);
    }
    pthread_mutex_unlock(&cs->lock);
    return rc;
}

/* ---- reconciliation ---- */

static int
cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

    return x < y ? -1 : x > y;
}

static bool
has_id(const uint64_t *sorted, size_t n, uint64_t id)
{
    return n > 0 && bsearch(&id, sorted, n, sizeof *sorted, cmp_u64) != NULL;
}

int
catalog_store_reconcile(CatalogStore *cs, unsigned stateful_kinds, char *const *state_tables,
                        size_t n_tables, const uint64_t *log_ids, size_t n_logs, Arena *a,
                        CatalogReconcile *out, Err *err)
{
    uint64_t *live = NULL, *stateful = NULL, *table_ids;
    size_t n_live = 0, n_stateful = 0, n_table_ids = 0, cap = 0;
    sqlite3_stmt *st;
    int rc;

    memset(out, 0, sizeof *out);
    pthread_mutex_lock(&cs->lock);
    if (prepare(cs, "SELECT id, kind FROM relations ORDER BY id", &st, err) < 0) {
        pthread_mutex_unlock(&cs->lock);
        return -1;
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        CatalogKind kind;
        uint64_t id = (uint64_t)sqlite3_column_int64(st, 0);

        if (n_live == cap) {
            cap = cap ? cap * 2 : 64;
            live = realloc(live, cap * sizeof *live);
            stateful = realloc(stateful, cap * sizeof *stateful);
            if (live == NULL || stateful == NULL)
                abort();
        }
        live[n_live++] = id;
        if (kind_from_name((const char *)sqlite3_column_text(st, 1), &kind) == 0 &&
            (stateful_kinds & (1u << kind)))
            stateful[n_stateful++] = id;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        raise_sqlite(cs, rc, "read relations", err);
        pthread_mutex_unlock(&cs->lock);
        free(live);
        free(stateful);
        return -1;
    }
    pthread_mutex_unlock(&cs->lock);

    /* live and stateful are ascending (ORDER BY id). */
    out->orphan_tables = arena_calloc(a, n_tables + 1, sizeof *out->orphan_tables);
    table_ids = arena_calloc(a, n_tables + 1, sizeof *table_ids);
    for (size_t i = 0; i < n_tables; i++) {
        uint64_t id;

        if (state_table_object_id(state_tables[i], &id) && has_id(stateful, n_stateful, id))
            table_ids[n_table_ids++] = id;
        else
            out->orphan_tables[out->n_orphan_tables++] = arena_strdup(a, state_tables[i]);
    }
    qsort(table_ids, n_table_ids, sizeof *table_ids, cmp_u64);
    out->missing_state = arena_calloc(a, n_stateful + 1, sizeof *out->missing_state);
    for (size_t i = 0; i < n_stateful; i++) {
        if (!has_id(table_ids, n_table_ids, stateful[i]))
            out->missing_state[out->n_missing_state++] = stateful[i];
    }
    out->orphan_offsets = arena_calloc(a, n_logs + 1, sizeof *out->orphan_offsets);
    for (size_t i = 0; i < n_logs; i++) {
        if (!has_id(live, n_live, log_ids[i]))
            out->orphan_offsets[out->n_orphan_offsets++] = log_ids[i];
    }
    free(live);
    free(stateful);
    return 0;
}
