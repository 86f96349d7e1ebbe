/*
 * sql/proctime.h — processing-time columns: `col TIMESTAMPTZ AS PROCTIME()` in CREATE SOURCE
 * and CREATE TABLE ... APPEND ONLY (RisingWave's generated column for the ingestion time).
 *
 * Model: the column's value is the wall-clock time at which its row was appended, computed
 * by the writer (INSERT, COPY FROM, a generator source's producer thread) and stored in the
 * row's log record like any other value. Replaying the log after a restart therefore yields
 * the same values, and views over the column are deterministic functions of the log.
 *
 * Catalog form: no new catalog field. The column is stored as a column whose default text is
 * PROCTIME_DEFAULT ("proctime()"). No function proctime() exists, so a user-written
 * `DEFAULT proctime()` fails at CREATE (42883) and can never produce that text: the text
 * identifies a processing-time column unambiguously (proctime_is_column()).
 *
 * Invariants:
 *   1. Only a column declared with AS PROCTIME() has default_expr == PROCTIME_DEFAULT.
 *   2. Such a column is of type timestamptz, belongs to a source or an APPEND ONLY table
 *      and has no DEFAULT of its own.
 *   3. No statement supplies its value: INSERT naming it with a value other than DEFAULT
 *      fails with 428C9, COPY with a column list naming it with 42P10, and COPY without a
 *      column list leaves it out (PostgreSQL's rules for generated columns).
 */
#ifndef RIVULET_SQL_PROCTIME_H
#define RIVULET_SQL_PROCTIME_H

#include <stdbool.h>
#include <stdint.h>

#include "sql/bind_int.h"
#include "sql/relation.h"

#define PROCTIME_DEFAULT "proctime()"

/* Is default text d (NULL allowed) that of a processing-time column? */
bool proctime_is_default(const char *d);
bool proctime_is_column(const SqlRelColumn *col);

/* The current wall-clock time as a timestamptz value (µs since 2000-01-01 UTC). */
int64_t proctime_now(void);

/*
 * CREATE TABLE / SOURCE: if column definition cd is written `... AS PROCTIME()` (the dialect
 * pre-pass blanked those words; they are read again from the original text b->text), checks
 * invariant 2 and marks col. 0 (marked or not), -1 with the error.
 */
int proctime_bind_column(BindCtx *b, const SqlRelation *rel, const PgQuery__ColumnDef *cd,
                         SqlRelColumn *col);

/*
 * INSERT: the column that a default must be bound for: col itself, or for a processing-time
 * column a copy whose default is clock_timestamp() (evaluated per row, when it is written).
 */
const SqlRelColumn *proctime_default_column(BindCtx *b, const SqlRelColumn *col);

/* INSERT: an explicit (non-DEFAULT) value for col: -1 with 428C9 when col is generated. */
int proctime_check_insert_target(BindCtx *b, const SqlRelColumn *col);

/* COPY with a column list naming col: -1 with 42P10 when col is generated. */
int proctime_check_copy_column(BindCtx *b, const SqlRelColumn *col);

/* The number of processing-time columns of rel. */
int proctime_count(const SqlRelation *rel);

#endif
