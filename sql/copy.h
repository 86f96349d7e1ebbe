/*
 * sql/copy.h — COPY ... FROM STDIN and COPY ... TO STDOUT in the text and CSV
 * formats, as PostgreSQL 15 reads and writes them.
 *
 * The statement is bound like any other (sql_prepare); the server
 * (server/copy.c) sees sql_statement_copy() != 0 and drives the COPY
 * sub-protocol itself:
 *
 *   FROM STDIN:  CopyInResponse ──▶ CopyData* ──▶ CopyDone ──▶ "COPY n"
 *                  sql_copy_in_begin   _data          _end (validate all,
 *                                                      then ONE append)
 *                                  ──▶ CopyFail ──▶ 57014, nothing appended
 *   TO STDOUT:   the statement is a SELECT underneath (COPY t TO is bound as
 *                SELECT cols FROM t); each row fetched from the portal goes
 *                out as one CopyData (sql_copy_out_row), tag "COPY n".
 *
 * All or nothing: every record is parsed, converted by its column type's
 * input function with the column's typmod (as PostgreSQL does for COPY),
 * given its column defaults, checked for NOT NULL and encoded before
 * anything reaches the log; sql_copy_in_end then appends all records with
 * one provider append, which the log makes atomic across crashes and
 * acknowledges with one log_sync_to (storage/log.h invariant 3). So the
 * encoded rows of one COPY are held in memory (about the size of the binary
 * rows, not of the text): at most SQL_COPY_MAX_BYTES, beyond which the COPY
 * fails with 54000 and nothing is appended.
 *
 * Invariants:
 *   1. A COPY FROM that fails (bad record, CopyFail, lost client) appends
 *      nothing; one that succeeds appended every record before "COPY n".
 *   2. Record numbers in CONTEXT count records (a CSV record with quoted
 *      newlines is one), the header included, from 1, as PostgreSQL.
 *   3. The input is consumed in whatever pieces CopyData brings; a record
 *      split across messages is carried (bounded by the record size).
 */
#ifndef RIVULET_SQL_COPY_H
#define RIVULET_SQL_COPY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/buf.h"
#include "common/err.h"
#include "sql/sql.h"

#define SQL_COPY_MAX_BYTES ((size_t)4 << 30)

typedef enum SqlCopyDir {
    SQL_COPY_NONE = 0,
    SQL_COPY_FROM_STDIN = 1,
    SQL_COPY_TO_STDOUT = 2,
} SqlCopyDir;

/* Whether stmt is a COPY, and which way. */
SqlCopyDir sql_statement_copy(const SqlStatement *stmt);

/* ---- COPY FROM STDIN ---- */

typedef struct SqlCopyIn SqlCopyIn;

/* Starts a COPY FROM of a bound statement (which may be destroyed afterwards). */
int sql_copy_in_begin(SqlSession *s, const SqlStatement *stmt, SqlCopyIn **out, Err *err);
/* Columns the input has (CopyInResponse). */
int sql_copy_in_nfields(const SqlCopyIn *ci);
/* One CopyData's bytes. */
int sql_copy_in_data(SqlCopyIn *ci, const uint8_t *data, size_t len, Err *err);
/* CopyDone: the last record, then the one durable append; *nrows for "COPY n". */
int sql_copy_in_end(SqlCopyIn *ci, uint64_t *nrows, Err *err);
void sql_copy_in_destroy(SqlCopyIn *ci);
/* "COPY t, line N" (the line being read) for errors outside a record: CopyFail and the like. */
void sql_copy_in_context(const SqlCopyIn *ci, Err *err);

/* ---- COPY TO STDOUT ---- */

/* The header line (CSV/text HEADER) into out, if the statement asked for one; else nothing. */
void sql_copy_out_header(const SqlStatement *stmt, Buf *out);
/* The portal's current row as one line (with its newline) appended to out. */
int sql_copy_out_row(SqlSession *s, SqlPortal *portal, Buf *out, Err *err);

/* ---- the parsers, for tests ---- */

typedef struct CopyFormat {
    bool csv;
    char delim;
    char quote;
    char escape;
    const char *null_str;
    size_t null_len;
} CopyFormat;

typedef struct CopyField {
    const char *s; /* de-escaped value, NUL-terminated (in the arena) */
    size_t len;
    bool isnull;     /* matched the NULL string (unquoted, in CSV) */
    const char *raw; /* the field as written (for messages) */
    size_t raw_len;
    bool quoted; /* CSV: some part of it was quoted */
} CopyField;

/*
 * The length of the first complete record in p[0 .. len), its line end included (*eol_len
 * bytes of it); 0 when the record is not complete yet (more input needed). With at_eof, a
 * final record without a line end counts as complete. In text, a backslash protects the next
 * byte; in CSV, line ends inside quotes belong to the record.
 */
size_t copy_record_end(const CopyFormat *f, const char *p, size_t len, bool at_eof,
                       size_t *eol_len);

/*
 * Splits one record (without its line end) into fields, de-escaping into a; 0 with *nfields
 * (up to max; more is reported as max + 1), or -1 (CSV: 22P04 unterminated quoted field).
 */
int copy_split_record(const CopyFormat *f, const char *rec, size_t len, Arena *a, CopyField *fields,
                      int max, int *nfields, Err *err);

/* One value, escaped for the format, appended to out (text: backslashes; CSV: quoting). */
void copy_escape_value(const CopyFormat *f, const char *s, size_t len, bool force_quote, Buf *out);

#endif
