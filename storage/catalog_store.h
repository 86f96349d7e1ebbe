/*
 * storage/catalog_store.h — the durable catalog: <data-dir>/catalog.db (SQLite).
 *
 * Where it sits: storage/, below sql/. It stores what the SQL layer decided — schemas,
 * relations (tables, sources, views, materialized views), their columns, options and
 * dependencies — as plain C structs; it knows type OIDs as numbers, not types. Name
 * resolution rules, PostgreSQL's error wording and CASCADE planning are the SQL layer's job.
 *
 * Ids: every schema and relation gets a stable 64-bit id from one counter stored in the
 * database, starting at 16384 (PostgreSQL's first normal OID); the schema "public" is 2200 as
 * in PostgreSQL. An id is never reused, not even after a drop and a restart: it names the
 * object's LMDB state tables ("t<id>.<suffix>") and its log directory.
 *
 * Durability: WAL journal, synchronous=FULL, foreign keys on. Each call that changes anything
 * is one SQLite transaction: a relation is created or dropped with all of its columns,
 * options and dependencies, or not at all.
 *
 * Results: a function returns 0 (CATALOG_OK) on success, -1 with `err` set for failures of
 * the store itself (58030 I/O, 53100 disk full, XX001 corrupt, 55000 written by a newer
 * version), or a positive CatalogStatus for outcomes the SQL layer turns into its own errors
 * (e.g. CATALOG_DUPLICATE → 42P07 "relation \"x\" already exists", CATALOG_NOT_FOUND →
 * 42P01, CATALOG_HAS_DEPENDENTS → 2BP01); `err` is untouched then.
 *
 * Threads: a CatalogStore may be shared; calls are serialized by an internal mutex.
 * Memory: everything a lookup returns is allocated in the caller's Arena.
 *
 * Invariants:
 *   1. Ids strictly increase across the life of the data directory.
 *   2. (schema, relation name) is unique across every kind of relation, as in pg_class.
 *   3. No relation depends on a relation that does not exist; a relation others depend on
 *      cannot be dropped unless they are dropped in the same call.
 *   4. The schema version of catalog.db equals the newest migration this binary knows.
 */
#ifndef RIVULET_STORAGE_CATALOG_STORE_H
#define RIVULET_STORAGE_CATALOG_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/err.h"

#define CATALOG_PUBLIC_SCHEMA_ID 2200
#define CATALOG_FIRST_ID 16384

typedef struct CatalogStore CatalogStore;

typedef enum CatalogStatus {
    CATALOG_OK = 0,
    CATALOG_NOT_FOUND = 1,      /* the named/numbered object (or a referenced one) is missing */
    CATALOG_DUPLICATE = 2,      /* an object of that name exists already */
    CATALOG_HAS_DEPENDENTS = 3, /* other objects depend on it (or the schema is not empty) */
} CatalogStatus;

typedef enum CatalogKind {
    CATALOG_TABLE = 0,
    CATALOG_SOURCE,
    CATALOG_VIEW,
    CATALOG_MATVIEW,
    CATALOG_KIND_COUNT,
} CatalogKind;

/* "table", "source", "view", "materialized view". */
const char *catalog_kind_name(CatalogKind kind);

typedef struct CatalogColumn {
    const char *name;
    uint32_t type_oid;
    int32_t typmod; /* -1 = none */
    bool not_null;
    const char *default_expr; /* NULL = no default */
    int pk_position;          /* 1-based position in the primary key, 0 = not in it */
    const char *type_def;       /* a STRUCT column: its type's canonical text; NULL otherwise */
    const char *generated_expr; /* a generated column (`AS expr`): the expression; NULL = none */
} CatalogColumn;

typedef struct CatalogOption {
    const char *key;
    const char *value;
} CatalogOption;

typedef struct CatalogRelation {
    uint64_t id; /* filled by catalog_store_create_relation */
    uint64_t schema_id;
    const char *schema_name; /* filled by lookups; ignored on create */
    const char *name;
    CatalogKind kind;
    const char *definition; /* view SQL or the CREATE statement; NULL = none */
    uint64_t created_epoch;
    CatalogColumn *columns; /* in position order */
    size_t n_columns;
    CatalogOption *options; /* in key order on lookups */
    size_t n_options;
    uint64_t *depends_on; /* ids this relation depends on, ascending on lookups */
    size_t n_depends_on;
} CatalogRelation;

typedef struct CatalogSchema {
    uint64_t id;
    const char *name;
} CatalogSchema;

/* Opens (creating and migrating as needed) the catalog database at `path`. */
int catalog_store_open(const char *path, CatalogStore **out, Err *err);
/* NULL is a no-op. */
void catalog_store_close(CatalogStore *cs);
/* Schema version of the open database (the number of the last migration applied). */
int catalog_store_version(CatalogStore *cs);

/* ---- schemas ---- */

/* CATALOG_DUPLICATE if it exists. */
int catalog_store_create_schema(CatalogStore *cs, const char *name, uint64_t *id, Err *err);
/* CATALOG_NOT_FOUND; CATALOG_HAS_DEPENDENTS if it still holds relations. */
int catalog_store_drop_schema(CatalogStore *cs, const char *name, Err *err);
/* CATALOG_NOT_FOUND if missing. */
int catalog_store_lookup_schema(CatalogStore *cs, const char *name, uint64_t *id, Err *err);
/* All schemas by name. */
int catalog_store_list_schemas(CatalogStore *cs, Arena *a, CatalogSchema **out, size_t *n,
                               Err *err);

/* ---- relations ---- */

/*
 * Creates rel with its columns, options and dependencies in one transaction and sets rel->id.
 * CATALOG_NOT_FOUND if the schema or a relation in depends_on does not exist;
 * CATALOG_DUPLICATE if the schema already holds a relation of that name (any kind).
 * Column names must be unique and pk positions 1..k without gaps (else -1, 42P16 / 42701).
 */
int catalog_store_create_relation(CatalogStore *cs, CatalogRelation *rel, Err *err);

/*
 * Drops every relation in ids[0..n) in one transaction. CATALOG_NOT_FOUND if one is missing;
 * CATALOG_HAS_DEPENDENTS if a relation outside the set depends on one inside (the SQL layer
 * computes the CASCADE set with catalog_store_dependents and passes it whole).
 */
int catalog_store_drop_relations(CatalogStore *cs, const uint64_t *ids, size_t n, Err *err);

/* CATALOG_NOT_FOUND if missing. *out allocated in a. */
int catalog_store_lookup_by_name(CatalogStore *cs, uint64_t schema_id, const char *name, Arena *a,
                                 CatalogRelation **out, Err *err);
int catalog_store_lookup_by_id(CatalogStore *cs, uint64_t id, Arena *a, CatalogRelation **out,
                               Err *err);

/*
 * Every relation of `kind` (or of every kind when kind is CATALOG_KIND_COUNT), complete with
 * columns, options and dependencies, in (schema name, relation name) order.
 */
int catalog_store_list(CatalogStore *cs, CatalogKind kind, Arena *a, CatalogRelation **out,
                       size_t *n, Err *err);

/*
 * Ids of the relations that depend on `id`: directly, or (recursive) through any chain,
 * ascending, each once. CATALOG_NOT_FOUND if id does not exist.
 */
int catalog_store_dependents(CatalogStore *cs, uint64_t id, bool recursive, Arena *a,
                             uint64_t **out, size_t *n, Err *err);

/* ---- reconciliation with the state store ---- */

typedef struct CatalogReconcile {
    char **orphan_tables; /* state tables whose object is not a stateful relation: drop */
    size_t n_orphan_tables;
    uint64_t *missing_state; /* stateful relations without any state table: rebuild */
    size_t n_missing_state;
    uint64_t *orphan_offsets; /* log ids with a consumed offset but no relation: clear */
    size_t n_orphan_offsets;
} CatalogReconcile;

/*
 * Compares the catalog with the state store's contents. stateful_kinds is a bit set of
 * (1u << CatalogKind) naming the kinds that must own state tables (tables and materialized
 * views, typically); state_tables are the names from state_list_tables(); log_ids are the ids
 * with a recorded consumed offset (from state_snapshot_offsets()). Results go in a.
 * Pure: it changes neither store.
 */
int catalog_store_reconcile(CatalogStore *cs, unsigned stateful_kinds, char *const *state_tables,
                            size_t n_tables, const uint64_t *log_ids, size_t n_logs, Arena *a,
                            CatalogReconcile *out, Err *err);

#endif
