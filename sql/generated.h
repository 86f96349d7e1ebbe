/*
 * sql/generated.h — stored generated columns: PostgreSQL's `GENERATED ALWAYS AS (expr) STORED`
 * and RisingWave's `name type AS expr` in CREATE TABLE and CREATE SOURCE.
 *
 * Model: the column's value is expr over the other columns of the same row, computed when the
 * row is made (INSERT, UPDATE, INSERT ... ON CONFLICT DO UPDATE, COPY FROM, a generator
 * source's producer thread), assignment-cast to the column's type and typmod, and stored in
 * the row like any other value. Readers (scans, views, watermarks) never evaluate it.
 *
 * Catalog form: SqlRelColumn.generated_expr (sql/relation.h), the expression's text as
 * written (persisted as columns.generated_expr). Everything is bound again from that text
 * where rows are made, and by the engine after a restart.
 *
 * Invariants:
 *   1. A generation expression reads only non-generated columns of its row (a processing-time
 *      column, sql/proctime.h, counts as generated), is immutable (no volatile or stable
 *      function, no time function, no cast through a stable I/O function), contains no
 *      aggregate, window function, set-returning function or subquery; its value is
 *      assignment-coercible to the column's type. PostgreSQL's errors for each, at CREATE.
 *   2. Hence the generated columns of a row can be computed in any order, in place, once its
 *      other columns are final.
 *   3. No statement supplies a generated column's value: INSERT (428C9), UPDATE SET (428C9)
 *      and COPY with a column list (42P10) refuse it; DEFAULT is accepted and means "compute".
 */
#ifndef RIVULET_SQL_GENERATED_H
#define RIVULET_SQL_GENERATED_H

#include <stdbool.h>

#include "sql/bind_int.h"
#include "sql/plan.h"
#include "sql/relation.h"

/* A relation's generated columns, bound over its row (column i of the row = column i). */
typedef struct GeneratedRow {
    int n;
    int *cols;    /* the generated columns */
    Expr **exprs; /* exprs[i] computes cols[i], of its type and typmod */
    int ncols;    /* the row's width */
} GeneratedRow;

bool generated_is_column(const SqlRelColumn *col);
int generated_count(const SqlRelation *rel);

/* ---- CREATE TABLE / SOURCE (sql/bind_ddl.c) ---- */

/* A GENERATED ALWAYS AS (expr) STORED constraint of column definition cd: records its text. */
int generated_bind_constraint(BindCtx *b, const SqlRelation *rel, const PgQuery__ColumnDef *cd,
                              SqlRelColumn *col, const PgQuery__Constraint *con);
/* `name type AS expr` (the dialect pre-pass blanked it; read from b->text): records its text. */
int generated_bind_column(BindCtx *b, const SqlRelation *rel, const PgQuery__ColumnDef *cd,
                          SqlRelColumn *col);
/* After every column: binds and checks each generation expression (invariant 1). */
int generated_check_create(BindCtx *b, const SqlRelation *rel, const PgQuery__CreateStmt *cs);

/* ---- statements that make rows ---- */

/* The generated columns of rel bound from their text: 0 with *out (NULL when none), or -1. */
int generated_bind_row(BindCtx *b, const SqlRelation *rel, const GeneratedRow **out);
/* Computes g's columns of row (rel's width) in place; ctx->row / ncols are left pointing at it. */
int generated_compute(const GeneratedRow *g, EvalCtx *ctx, Value *row, Err *err);
/* A plan yielding whole rows of rel: wrapped in a Project that computes the generated columns. */
int generated_wrap_plan(BindCtx *b, const SqlRelation *rel, PlanNode **plan);

/*
 * INSERT naming col with a value (428C9), UPDATE SET col = value (428C9; b NULL: -1 without
 * raising anything), COPY (42P10). 0 when col is an ordinary column.
 */
int generated_check_insert_target(BindCtx *b, const SqlRelColumn *col);
int generated_check_update_target(BindCtx *b, const SqlRelColumn *col);
int generated_check_copy_column(BindCtx *b, const SqlRelColumn *col);

/* ---- the engine's side: a generator source (stream/engine_gen.c) ---- */

typedef struct SqlGenerated SqlGenerated;

/*
 * Binds the generation expressions (exprs[c], NULL for ordinary columns) over a row of ncols
 * columns in a session of its own: 0 with *out (NULL when no column is generated), -1 on error.
 */
int sql_generated_create(int ncols, const char *const *names, const Oid *types,
                         const int32_t *typmods, const char *const *exprs, SqlGenerated **out,
                         Err *err);
void sql_generated_free(SqlGenerated *g);
/* True for column c of g. */
bool sql_generated_has(const SqlGenerated *g, int c);
/*
 * Computes the generated columns of nrows rows (rows[r]: ncols Values, the others filled),
 * column at a time (expr_eval_batch); by-reference results in scratch. One thread at a time.
 */
int sql_generated_fill(SqlGenerated *g, Value *const *rows, int nrows, Arena *scratch, Err *err);

#endif
