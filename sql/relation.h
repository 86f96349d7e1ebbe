/*
 * sql/relation.h — stored relations (tables, sources) as the SQL layer sees
 * them, and the provider interface through which it reaches them.
 *
 * sql/ cannot include storage/ (the layering points down: server → stream →
 * planner → sql → common), yet the binder must resolve `FROM t` and
 * `INSERT INTO t`, and executing DDL and INSERT must reach the catalog and
 * the durable log. So sql/ defines what it needs here, and the layer that
 * owns storage (stream/engine.c) implements it and installs it at start-up
 * with sql_set_catalog_provider(), as server/main.c installs the executor
 * hook. Without a provider (unit tests of sql/ alone) no relation exists:
 * lookups say "not found" and CREATE TABLE / INSERT fail with 0A000.
 *
 * Row format in the log (one log record per inserted row):
 *     u8 kind (SQL_REC_INSERT) | u8 version (1) | u16 zero | rowcodec row
 * so the row starts 4 bytes into the record. Tables with a PRIMARY KEY (a
 * column's pk_position > 0) also get SQL_REC_DELETE (the old row: its key
 * goes) and SQL_REC_UPSERT (replaces the row of its key) records; an INSERT
 * record into them fails with 23505 when its key is taken
 * (stream/engine_pk.c).
 *
 * Invariants:
 *   1. Only the schema "public" exists; names are compared exactly (the
 *      parser already folded unquoted identifiers to lower case).
 *   2. append() returns 0 only after every record it was given is durable
 *      (fsynced): the caller acknowledges the INSERT after that, never before.
 *   3. A relation's column types are supported types with their typmods; a
 *      column's default is the SQL text of its expression as written.
 *   4. The provider's functions may be called by many session threads at
 *      once; the provider serializes what needs it.
 */
#ifndef RIVULET_SQL_RELATION_H
#define RIVULET_SQL_RELATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/err.h"
#include "sql/datum.h"
#include "sql/sql.h"

struct PlanNode;
struct EvalCtx;

#define SQL_REC_INSERT 1
#define SQL_REC_DELETE 2 /* primary-key tables: the row is the deleted row (its key counts) */
#define SQL_REC_UPSERT 3 /* primary-key tables: the row replaces the one with its key, if any */
#define SQL_REC_VERSION 1
#define SQL_REC_HEADER 4

typedef enum SqlRelKind {
    SQL_REL_TABLE,
    SQL_REL_SOURCE,
    SQL_REL_MATVIEW, /* contents in the state store, maintained by stream/engine_mv.c */
    SQL_REL_SYSTEM,  /* a system view of schema rw_catalog, computed when read */
    SQL_REL_VIEW,    /* a plain view: its stored query is bound where it is read */
} SqlRelKind;

typedef struct SqlRelColumn {
    const char *name;
    Oid type;
    int32_t typmod;
    bool not_null;
    const char *default_expr; /* NULL: no default (NULL is inserted) */
    int pk_position;          /* 1-based position in the PRIMARY KEY, 0: not in it */
    /*
     * A generated column (`name type AS expr` in CREATE SOURCE / TABLE, PostgreSQL's GENERATED
     * ALWAYS AS (expr) STORED): the expression's text over the row's other columns, computed
     * when the row is made; NULL for an ordinary column.
     */
    const char *generated_expr;
} SqlRelColumn;

typedef struct SqlRelation {
    uint64_t id; /* stable: names the log directory */
    const char *name;
    SqlRelKind kind;
    bool append_only;
    int ncols;
    SqlRelColumn *cols;
    /* materialized views: the relations the query reads (on create; lookups leave 0) */
    int ndeps;
    uint64_t *deps;
    int64_t nrows; /* create(): the rows a materialized view starts with */
    const char *definition; /* lookups of views: the CREATE [MATERIALIZED] VIEW text */
} SqlRelation;

/*
 * ON CONFLICT (sql/bind_dml.c): called, under the table's lock, for input record i whose key is
 * taken; existing is the current row (rowcodec, len bytes), or NULL when a row earlier in the
 * same statement took the key. Returns 0 to skip the record, 1 with *row / *rowlen (a rowcodec
 * row in memory the callback owns, valid until the append returns) to write that row instead
 * of the existing one, -1 on error (nothing of the statement is written).
 */
typedef int (*SqlConflictFn)(void *arg, int i, const uint8_t *existing, size_t len,
                             const uint8_t **row, size_t *rowlen, Err *err);

typedef struct SqlCatalogProvider {
    void *arg;
    /* 0 with *out (allocated in a), 1 when there is no such relation, -1 on error. */
    int (*lookup)(void *arg, const char *name, Arena *a, SqlRelation **out, Err *err);
    /* 0 created (rel->id set), 1 a relation of that name exists already, -1 on error. */
    int (*create)(void *arg, SqlRelation *rel, const char *definition, Err *err);
    /* Drops all of ids in one transaction; 1 if one of them no longer exists. */
    int (*drop)(void *arg, const uint64_t *ids, int n, Err *err);
    /* The names of every relation of kind, sorted (allocated in a). */
    int (*list)(void *arg, SqlRelKind kind, Arena *a, const char ***names, int *n, Err *err);
    /*
     * Appends n records to relation id's log; returns 0 once they are durable, 1 (nothing
     * appended) when there is no relation id any more.
     */
    int (*append)(void *arg, uint64_t id, const uint8_t *const *recs, const uint32_t *lens, int n,
                  Err *err);
    /*
     * FLUSH: returns once every acknowledged write is applied to the state of primary-key
     * tables in a committed epoch (stream/engine_pk.c). NULL: nothing to flush.
     */
    int (*flush)(void *arg, Err *err);
    /*
     * INSERT ... ON CONFLICT into a primary-key table: as append(), but a record whose key is
     * taken goes to fn instead of failing with 23505. written[i] says what became of input
     * record i: 0 skipped, 1 inserted, 2 the existing row replaced.
     */
    int (*append_conflict)(void *arg, uint64_t id, const uint8_t *const *recs,
                           const uint32_t *lens, int n, SqlConflictFn fn, void *fn_arg,
                           uint8_t *written, Err *err);
    /*
     * The relations that depend on id, directly or through others (recursive), each with
     * the id of one relation it depends on directly (*via), in an order where dependents
     * come after what they depend on. NULL: nothing can depend on anything.
     */
    int (*dependents)(void *arg, uint64_t id, Arena *a, SqlRelation ***out, uint64_t **via,
                      int *n, Err *err);
    /*
     * A primary-key table's row by key (kv: one value per key column, in key order, of the
     * columns' types) as of every acknowledged write: 1 with *row / *len (a rowcodec row in a),
     * 0 when there is none, 2 when id is not a primary-key table any more. NULL: no lookups.
     */
    int (*get)(void *arg, uint64_t id, const Value *kv, Arena *a, uint8_t **row, size_t *len,
               Err *err);
    /*
     * The epoch driver's period in ms (ALTER SYSTEM SET checkpoint_interval, sql/describe.c):
     * ms > 0 sets it (already range-checked), 0 only reads. Returns the period in effect.
     * NULL: no engine (SHOW gives the default).
     */
    unsigned (*set_checkpoint_interval)(void *arg, unsigned ms);
} SqlCatalogProvider;

/*
 * A materialized view's plan from its stored definition (the CREATE MATERIALIZED VIEW text),
 * bound in session s (sql/bind_matview.c). The plan lives in *stmt; the caller destroys *stmt
 * and *script (sql_statement_destroy, sql_script_destroy) when done, also after an error.
 */
int sql_matview_plan(SqlSession *s, const char *definition, SqlScript **script,
                     SqlStatement **stmt, const struct PlanNode **plan, Err *err);

/* The evaluation context of a view's session (settings, I/O formats) for its operators. */
void sql_matview_ctx(SqlSession *s, struct EvalCtx *ctx);

/* Installs (NULL: removes) the provider; p must outlive its use. */
void sql_set_catalog_provider(const SqlCatalogProvider *p);
const SqlCatalogProvider *sql_catalog_provider(void);

/*
 * Looks name up (schema NULL or "public"): 0 found, 1 not found (also for
 * any other schema, or without a provider), -1 on error.
 */
int sql_relation_lookup(const char *schema, const char *name, Arena *a, SqlRelation **out,
                        Err *err);

/*
 * A statement bound against a relation that was since dropped and created again under the
 * same name (drivers keep prepared statements across a test's DROP/CREATE) may run against
 * the new one when its columns have the same types and typmods (and, with full, the same
 * names, NOT NULL and defaults). Looks name up again: 0 with *id of the new relation, or -1
 * with 42P01 (gone) / 0A000 "cached plan must not change result type" (changed).
 */
int sql_relation_rebind(const char *name, const Oid *types, const int32_t *typmods, int ncols,
                        const SqlRelation *full, uint64_t *id, Err *err);

#endif
