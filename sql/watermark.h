/*
 * sql/watermark.h — event-time watermarks as the SQL layer knows them:
 * the `WATERMARK FOR col AS expr` clause of CREATE SOURCE / CREATE TABLE
 * ... APPEND ONLY (checked at CREATE, bound again from the stored text by
 * the engine), the watermark options of a source's WITH (...), which output
 * column of a view's plan carries a watermark and how it is derived, and
 * CREATE MATERIALIZED VIEW ... EMIT ON WINDOW CLOSE.
 *
 * Meaning: a watermark W on column c of a relation says that every FUTURE
 * change of the relation (insert or delete) has c >= W (or c NULL). A
 * source's watermark is max over the rows it has taken of expr(col),
 * advanced once per epoch after the epoch's rows are taken
 * (stream/engine_wm.c); rows below the watermark in force when they arrive
 * are late and dropped (counted, optionally diverted).
 *
 * Derivation (sql_watermark_derive): the property survives
 *   Scan       of a relation whose column carries one (sources, tables with
 *              WATERMARK FOR, views that derive one),
 *   Filter     unchanged,
 *   Project    an output expression that is a non-decreasing function of
 *              one watermarked input column (the column itself; ± a constant
 *              interval; date_bin / date_trunc with constant other arguments;
 *              TUMBLE's window_start / window_end),
 *   Agg        a GROUP BY key that is such an expression (a group whose key
 *              is below W never changes again),
 *   Hop        window_start / window_end of HOP windows,
 *   Session    window_end of SESSION windows (a new row only changes sessions ending
 *              after W),
 *   Window     a PARTITION BY column (rows of a partition below W never
 *              change again),
 *   Join       both columns of a top-level `L.a = R.b` conjunct of the ON
 *              condition (same type, each carrying a watermark on its side),
 *              any join type: an output row changes only because a row of L
 *              (a >= W_a) or of R (b >= W_b) changed, and a = b in it (or
 *              the other side is NULL-padded), so both columns carry
 *              min(W_a, W_b) — the window join on window_start,
 * and nothing else (top-N, set operations may change old rows; a join's
 * other columns may come from old rows).
 * The derived watermark of an output column is the source's watermark put
 * through the same chain of expressions (sql_watermark_apply; with two
 * sources, the smaller of the two: sql_watermark_value).
 *
 * Invariants:
 *   1. A watermark column has a fixed-width by-value type with an ordering
 *      (timestamp, timestamptz, date, time, integers); its watermark is one
 *      Datum.
 *   2. The watermark expression reads only its column, is of the column's
 *      type and calls nothing volatile or time-dependent.
 *   3. Derivation steps are immutable Expr trees (the plan's own) and may be
 *      evaluated by any thread with its own EvalCtx.
 */
#ifndef RIVULET_SQL_WATERMARK_H
#define RIVULET_SQL_WATERMARK_H

#include <stdbool.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/err.h"
#include "sql/expr.h"
#include "sql/plan.h"
#include "sql/sql.h"

/* Source options read by the engine (WITH (...) of CREATE SOURCE / TABLE). */
#define SQL_WM_OPT_IDLE_TIMEOUT "watermark.idle_timeout" /* interval text, e.g. '10s' */
#define SQL_WM_OPT_LATE_TABLE "late_rows.table"          /* table that receives late rows */

/* A relation's watermark clause, bound over its row. */
typedef struct SqlWatermarkDef {
    int column; /* the watermark column */
    Oid type;
    const char *column_name;
    Expr *expr;              /* over the relation's row; of type `type` */
    int64_t idle_timeout_us; /* 0: none */
    const char *late_table;  /* NULL: late rows are only counted */
} SqlWatermarkDef;

/*
 * Binds the watermark clause of a stored CREATE SOURCE / TABLE text against the relation's
 * columns, in session s (settings as there). 0 with *out (in a), 1 when the text has none.
 */
int sql_watermark_def(SqlSession *s, const char *definition, int ncols, const char *const *names,
                      const Oid *types, const int32_t *typmods, Arena *a, SqlWatermarkDef *out,
                      Err *err);

/* True for keys of WITH (...) that are watermark options (not connector options). */
bool sql_watermark_is_option(const char *key);

/* True when a stored CREATE MATERIALIZED VIEW text ends in EMIT ON WINDOW CLOSE. */
bool sql_definition_is_eowc(const char *definition);

/* One step of a derivation: the value of expr over a row whose column `column` is W. */
typedef struct SqlWmStep {
    const Expr *expr; /* NULL: a HOP window bound (hop_* below) */
    int column;
    int ncols; /* the row expr reads */
    bool hop_end;
    int64_t hop_slide, hop_size, hop_offset;
} SqlWmStep;

/* Which output column of a plan carries a watermark, and how it follows its relation's. */
typedef struct SqlWmColumn {
    int column;     /* output column */
    uint64_t relid; /* the scanned relation whose watermark it derives from */
    int relcol;     /* that relation's watermarked column */
    int nsteps;     /* applied in order, from the relation up */
    SqlWmStep *steps;
    /*
     * NULL, or a second derivation (from another relation, through its own steps): the
     * column's watermark is the smaller of the two (a join's equated columns), known only
     * when both are. A chain: `also` may have its own `also`.
     */
    const struct SqlWmColumn *also;
} SqlWmColumn;

/* Whether column `col` of relation relid carries a watermark: true with *col set. */
typedef bool (*SqlWmLookupFn)(void *arg, uint64_t relid, const char *relname, int *col);

/*
 * The first output column of plan carrying a watermark: 0 with *out (steps in a), 1 when none
 * does. Only walks; never fails otherwise.
 */
int sql_watermark_derive(const PlanNode *plan, SqlWmLookupFn lookup, void *arg, Arena *a,
                         SqlWmColumn *out);

/*
 * Every output column's derivation: an array of plan->ncols entries (in a), NULL where the
 * column carries no watermark.
 */
SqlWmColumn **sql_watermark_columns(const PlanNode *plan, SqlWmLookupFn lookup, void *arg,
                                    Arena *a);

/*
 * True when e reads only column col of its row and is non-decreasing in it (the column
 * itself, ± a constant interval, date_bin / date_trunc, TUMBLE's bounds): if col's watermark
 * is W, e's is sql_watermark_eval(e, col, W).
 */
bool sql_watermark_monotone(const Expr *e, int col);
/* e over a row of ncols whose column col is w (the others NULL). */
int sql_watermark_eval(const Expr *e, int col, int ncols, EvalCtx *ctx, Datum w, Datum *out,
                       bool *isnull, Err *err);

/* The watermark of the output column given the relation's watermark w (c->also ignored). */
int sql_watermark_apply(const SqlWmColumn *c, EvalCtx *ctx, Datum w, Datum *out, bool *isnull,
                        Err *err);

/* A relation's current watermark: true with *w set, false when it has none yet. */
typedef bool (*SqlWmRelValueFn)(void *arg, uint64_t relid, Datum *w);

/*
 * The watermark of the output column from its relations' current ones (fn): 1 with *out, 0
 * when one of them has none yet (or the derivation gives NULL), -1 on error.
 */
int sql_watermark_value(const SqlWmColumn *c, EvalCtx *ctx, SqlWmRelValueFn fn, void *arg,
                        Datum *out, Err *err);

/* ---- for the binder (sql/bind_connector.c, sql/binder.c) ---- */

struct BindCtx;
struct DialectStmt;
struct SqlRelation;
struct PgQuery__CreateTableAsStmt;

/* How many of d's WITH options are not watermark options. */
int bind_watermark_other_options(const struct DialectStmt *d);
/*
 * The WATERMARK FOR clause and watermark options of d, checked on the bound relation rel (0
 * when there is neither).
 */
int bind_watermark_clause(struct BindCtx *b, const struct DialectStmt *d,
                          const struct SqlRelation *rel);
/* CREATE MATERIALIZED VIEW ... EMIT ON WINDOW CLOSE: 0A000 when no output column has one. */
int bind_create_matview_eowc(struct BindCtx *b, SqlStatement *st,
                             const struct PgQuery__CreateTableAsStmt *c);

#endif
