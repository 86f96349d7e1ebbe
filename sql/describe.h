/*
 * sql/describe.h — statements that describe or configure the server rather
 * than query data (private to sql/): RisingWave's DESCRIBE and SHOW COLUMNS,
 * the server-wide checkpoint interval (ALTER SYSTEM SET / SHOW
 * checkpoint_interval), and the origin of a result column for
 * RowDescription (table OID and attnum).
 *
 *   DESCRIBE name        one row per column (Name, Type, Is Hidden,
 *                        Description), then "primary key" (when the
 *                        relation has one) and "table description" rows
 *   SHOW COLUMNS FROM n  the column rows only
 *   ALTER SYSTEM SET checkpoint_interval TO '100ms' | DEFAULT
 *   ALTER SYSTEM RESET checkpoint_interval
 *   SHOW checkpoint_interval
 *   SHOW PARAMETERS      RisingWave's Name | Value | Mutable list of the
 *                        server-wide settings (checkpoint_interval)
 *   barrier_interval_ms (RisingWave's name) is accepted for checkpoint_interval
 *
 * All of them bind to kind STMT_SYSTEM with st->system set; sql/utility.c
 * runs them through describe_execute().
 *
 * Invariants:
 *   1. DESCRIBE looks the relation up at bind time (42P01 with the name's
 *      position) and again when it runs, so a prepared DESCRIBE shows the
 *      relation as it is then (42P01 if it is gone).
 *   2. The checkpoint interval lives in the storage engine, reached through
 *      the provider's set_checkpoint_interval (sql/relation.h); it is not a
 *      session setting: SET / RESET of it fail with 55P02 and a hint naming
 *      ALTER SYSTEM. Values are milliseconds, 10 .. 3600000, parsed as
 *      PostgreSQL parses time settings (bare numbers are ms; us, ms, s, min,
 *      h, d) with its 22023 messages.
 *   3. describe_column_origin() reports a table column only for an output
 *      column that is that column unchanged (PostgreSQL's resorigtbl /
 *      resorigcol of a plain Var), through filters, joins, grouping keys,
 *      sorts, limits and subqueries; anything computed gets 0, 0. Drivers
 *      that see a non-zero table OID ask pg_catalog about it (pgjdbc's
 *      ResultSetMetaData.getColumnTypeName / isNullable do): sql/pg_catalog.c
 *      has the five catalogs they join.
 */
#ifndef RIVULET_SQL_DESCRIBE_H
#define RIVULET_SQL_DESCRIBE_H

#include "sql/bind_int.h"
#include "sql/plan.h"
#include "sql/relation.h"

struct DialectStmt;

typedef enum SystemKind {
    SYSTEM_DESCRIBE,        /* DESCRIBE name */
    SYSTEM_SHOW_COLUMNS,    /* SHOW COLUMNS FROM name */
    SYSTEM_ALTER,           /* ALTER SYSTEM SET / RESET checkpoint_interval */
    SYSTEM_SHOW,            /* SHOW checkpoint_interval */
    SYSTEM_SHOW_PARAMETERS, /* SHOW PARAMETERS (RisingWave's list of system parameters) */
} SystemKind;

typedef struct SystemStmt {
    SystemKind kind;
    const char *relname;  /* DESCRIBE / SHOW COLUMNS: unquoted, case-folded */
    unsigned interval_ms; /* ALTER SYSTEM: the new value; 0: back to the start-up value */
    bool bare_ms;         /* SHOW barrier_interval_ms: a plain number of ms, as RisingWave */
} SystemStmt;

/* DESCRIBE name / SHOW COLUMNS FROM name (dialect statements). */
int describe_bind(BindCtx *b, SqlStatement *st, const struct DialectStmt *d);

/* ALTER SYSTEM SET / RESET ... */
int describe_bind_alter_system(BindCtx *b, SqlStatement *st, const PgQuery__AlterSystemStmt *as);

/*
 * SHOW name / SET name / RESET name for a server-wide setting: 1 when name is one (st bound,
 * or -1 after raising the SET error), 0 when it is an ordinary session setting.
 */
int describe_bind_show(BindCtx *b, SqlStatement *st, const char *name);
int describe_check_set(BindCtx *b, const char *name);

/* Runs a STMT_SYSTEM statement: rows (nrows × st->ncols text values) in a. */
int describe_execute(SqlSession *s, const SqlStatement *st, Arena *a, Value **rows, int *nrows,
                     Err *err);

/*
 * FROM pg_catalog.pg_class / pg_namespace / pg_attribute / pg_type / pg_attrdef (also
 * unqualified): 1 with a Values node of the catalog's rows (sql/pg_catalog.c), 0 when rv
 * names no catalog table, -1 on error.
 */
int describe_catalog_scan(BindCtx *b, const PgQuery__RangeVar *rv, PlanNode **out,
                          const char ***names, const char **relname);

/* Output column col of plan: *table (the relation's id) and *attnum, or 0, 0. */
void describe_column_origin(const PlanNode *plan, int col, Oid *table, int16_t *attnum);
/* The same for a RETURNING expression e over a row of rel. */
void describe_row_origin(const Expr *e, const SqlRelation *rel, Oid *table, int16_t *attnum);

#endif
