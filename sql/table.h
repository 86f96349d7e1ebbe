/*
 * sql/table.h — binding and running the statements on stored relations:
 * CREATE TABLE / SOURCE, DROP TABLE / SOURCE, INSERT [RETURNING], SHOW
 * TABLES / SOURCES, and the scan of a table in FROM.
 * Private to sql/ (binder.c, bind_query.c and portal.c call in here).
 *
 *   sql/bind_ddl.c     CREATE TABLE / DROP TABLE → TableStmt
 *   sql/bind_insert.c  INSERT → TableStmt with a plan producing full table
 *                      rows; FROM t → a Scan plan node
 *   sql/table_exec.c   running them through the provider (sql/relation.h)
 *
 * Invariants:
 *   1. An INSERT's plan yields rows of exactly the table's columns, in
 *      column order, already of the column types and typmods (assignment
 *      casts and defaults are in the plan); only NOT NULL is checked after.
 *   2. A TableStmt lives in its statement's arena.
 */
#ifndef RIVULET_SQL_TABLE_H
#define RIVULET_SQL_TABLE_H

#include "sql/bind_int.h"
#include "sql/plan.h"
#include "sql/relation.h"

typedef struct TableStmt {
    /* CREATE TABLE */
    SqlRelation *rel;
    bool if_not_exists;
    const char *definition;
    /* DROP TABLE */
    int nnames;
    const char **names;
    const char **schemas; /* NULL entries: unqualified */
    bool if_exists;
    bool cascade;
    SqlRelKind drop_kind;
    /* SHOW TABLES / SOURCES */
    SqlRelKind show_kind;
    const char *show_schema;  /* NULL: the current one (public) */
    const char *show_pattern; /* LIKE pattern, NULL: all */
    /* INSERT */
    uint64_t relid;
    const SqlRelation *target;
    PlanNode *plan;
    int nreturning; /* RETURNING: st->ncols expressions over the inserted row */
    Expr **returning;
    /* DELETE / UPDATE (sql/bind_dml.c): kind STMT_INSERT with dml set, plan scans target */
    int dml;     /* 0: INSERT; TABLE_DML_DELETE; TABLE_DML_UPDATE */
    int on_conflict; /* INSERT: 0, TABLE_CONFLICT_NOTHING, TABLE_CONFLICT_UPDATE (set, where) */
    Expr *where; /* over the table's row (ON CONFLICT: existing row ++ EXCLUDED); NULL: all */
    /* DELETE / UPDATE whose WHERE pins every key column to a constant or parameter: the
       key values' expressions in key order (sql/bind_dml.c key_lookup); nkey 0: scan */
    int nkey;
    Expr **key_exprs;
    int nset;
    int *set_cols;    /* UPDATE: the column each SET expression assigns */
    Expr **set_exprs; /* over the old row, of the column's type and typmod */
    /* UPDATE, ON CONFLICT DO UPDATE: the generated columns, recomputed on each new row
       (sql/generated.h); NULL: none */
    const struct GeneratedRow *generated;
} TableStmt;

#define TABLE_DML_DELETE 1
#define TABLE_DML_UPDATE 2
#define TABLE_CONFLICT_NOTHING 1
#define TABLE_CONFLICT_UPDATE 2

typedef enum BindCreateKind {
    BIND_CREATE_TABLE,
    BIND_CREATE_APPEND_ONLY, /* CREATE TABLE ... APPEND ONLY (dialect) */
    BIND_CREATE_SOURCE,      /* CREATE SOURCE (dialect, rewritten to CREATE TABLE) */
} BindCreateKind;

struct DialectStmt;
/*
 * CREATE SOURCE / TABLE with WITH (connector ...), FORMAT, WATERMARK FOR (sql/bind_connector.c):
 * validated as RisingWave does; a CREATE SOURCE with a datagen / nexmark connector binds into st
 * as bind_create_table does, anything else gets 0A000 for what is not built yet.
 */
int bind_streaming_clauses(BindCtx *b, SqlStatement *st, const struct DialectStmt *d,
                           const PgQuery__CreateStmt *cs);

/* CREATE TABLE / CREATE SOURCE and DROP TABLE / DROP SOURCE (is_source). */
/*
 * An expression for column col (a DEFAULT, a generation expression): assignment-cast to its
 * type (42804 "... but default expression is of type ...", as PostgreSQL's cookDefault says
 * for both) and typmod. 0 or -1.
 */
int bind_coerce_to_column(BindCtx *b, Expr **e, const SqlRelColumn *col);
int bind_create_table(BindCtx *b, SqlStatement *st, const PgQuery__CreateStmt *cs,
                      BindCreateKind kind);
int bind_drop(BindCtx *b, SqlStatement *st, const PgQuery__DropStmt *ds, SqlRelKind kind);

/*
 * CREATE MATERIALIZED VIEW [IF NOT EXISTS] name [(cols)] AS query (sql/bind_matview.c): the
 * query is bound here (errors and positions as for a SELECT), its output columns become the
 * view's, its scans the view's dependencies; ts->plan is the view's plan.
 */
int bind_create_matview(BindCtx *b, SqlStatement *st, const PgQuery__CreateTableAsStmt *c);
/* REFRESH MATERIALIZED VIEW [CONCURRENTLY] v: a FLUSH (views are always maintained). */
int bind_refresh_matview(BindCtx *b, SqlStatement *st, const PgQuery__RefreshMatViewStmt *r);
/* rel->deps = the relations plan scans and the views the statement expanded (BindCtx). */
int bind_view_deps(BindCtx *b, const PlanNode *plan, SqlRelation *rel);

/* CREATE VIEW name [(cols)] AS query (sql/bind_view.c): stored, expanded where it is read. */
int bind_create_view(BindCtx *b, SqlStatement *st, const PgQuery__ViewStmt *vs);
/*
 * FROM v where v is a plain view: its stored query bound in place (with no outer scope), its
 * column names and the name it has in the FROM clause.
 */
int bind_view_expand(BindCtx *b, const PgQuery__RangeVar *rv, const SqlRelation *rel,
                     PlanNode **out, const char ***names, const char **relname);

/* INSERT INTO t [(cols)] VALUES ... | SELECT ... */
int bind_insert(BindCtx *b, SqlStatement *st, const PgQuery__InsertStmt *is);

/*
 * A relation named in FROM: a Scan node over its columns; names are its
 * column names, *relname the name to use in the scope (the alias, if any).
 * 42P01 with the position when it does not exist.
 */
int bind_table_scan(BindCtx *b, const PgQuery__RangeVar *rv, PlanNode **out, const char ***names,
                    const char **relname);

/* The column's DEFAULT bound from its stored text (NULL constant without one); NULL: error. */
Expr *bind_column_default(BindCtx *b, const SqlRelColumn *col);

/* DELETE / UPDATE on a table with a PRIMARY KEY (sql/bind_dml.c). */
int bind_delete(BindCtx *b, SqlStatement *st, const PgQuery__DeleteStmt *ds);
int bind_update(BindCtx *b, SqlStatement *st, const PgQuery__UpdateStmt *us);
/* INSERT ... ON CONFLICT (pk) DO NOTHING | DO UPDATE SET ... [WHERE ...] */
int bind_on_conflict(BindCtx *b, TableStmt *ts, const PgQuery__InsertStmt *is,
                     const SqlRelation *rel);
/*
 * The durable append of an INSERT ... ON CONFLICT: 0, or 1 if the relation is gone; *rows and
 * *count become the rows inserted or updated (for RETURNING and the tag).
 */
int dml_append_conflict(const TableStmt *t, EvalCtx *ctx, uint64_t id, const uint8_t **recs,
                        const uint32_t *lens, Value **rows, int64_t *count, Err *err);
/* Runs a bound DELETE / UPDATE: *count rows changed, *changed their rows (RETURNING). */
int dml_execute(const TableStmt *t, EvalCtx *ctx, Value **changed, int64_t *count, Err *err);
/* 23502 with PostgreSQL's DETAIL when row breaks a NOT NULL of rel (sql/table_exec.c). */
int table_check_not_null(const SqlRelation *rel, const Value *row, const TypeIoCtx *io, Err *err);

/* SHOW TABLES / SHOW SOURCES [FROM schema] [LIKE 'pattern'] (dialect): one column "Name". */
int bind_show_relations(BindCtx *b, SqlStatement *st, const struct DialectStmt *d);

/*
 * Runs STMT_CREATE_TABLE / STMT_DROP_TABLE / STMT_INSERT / STMT_SHOW_RELATIONS; rows (SHOW
 * only: nrows × st->ncols) and *tag in ctx->arena.
 */
int table_execute(SqlSession *s, const SqlStatement *st, EvalCtx *ctx, Value **rows, int *nrows,
                  const char **tag, Err *err);

#endif
