/*
 * sql/sql.h — the SQL front end as the server sees it.
 *
 * Pipeline: text → sql_script_parse() (libpg_query; syntax errors with
 * positions) → sql_prepare() (bind: names, types, parameters; a typed plan)
 * → sql_bind() (parameter values → a portal) → sql_portal_execute() and
 * sql_portal_fetch()/sql_portal_value() (run, read rows in text or binary).
 *
 * The server maps this onto the protocol: a simple Query parses a script and
 * runs each statement through prepare/bind/execute with no parameters; the
 * extended protocol's Parse/Bind/Describe/Execute map one to one.
 *
 * The session (SqlSession) holds what a PostgreSQL backend keeps per
 * connection at the SQL level: settings (GUCs: SET/SHOW/RESET, the values
 * reported by ParameterStatus), identity (user, database, backend pid), the
 * transaction block state, pending notices, and the interrupt flag through
 * which the server cancels a running statement.
 *
 * Ownership: SqlScript, SqlStatement and SqlPortal each own their memory and
 * are released with their *_destroy(). A statement does not depend on the
 * script it came from; a portal holds a reference to its statement, so the
 * statement must outlive its portals (the server closes portals first, as
 * PostgreSQL does when a prepared statement is closed).
 *
 * Invariants:
 *   1. Every failure fills Err with PostgreSQL's SQLSTATE, and where
 *      PostgreSQL gives one, the 1-based character position in the text the
 *      client sent (positions are relative to the whole Query string).
 *   2. Nothing here touches sockets or the wire format: values are written
 *      to a Buf in the text or binary format of their type.
 *   3. A statement runs at its first sql_portal_execute(); later calls only
 *      return further rows (PortalSuspended semantics).
 */
#ifndef RIVULET_SQL_SQL_H
#define RIVULET_SQL_SQL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/err.h"

typedef uint32_t Oid;

typedef struct SqlSession SqlSession;
typedef struct SqlScript SqlScript;
typedef struct SqlStatement SqlStatement;
typedef struct SqlPortal SqlPortal;

/* ---- Session ------------------------------------------------------------ */

SqlSession *sql_session_create(void);
void sql_session_destroy(SqlSession *s);

/*
 * Applies one name/value pair from the StartupMessage: "user", "database",
 * "application_name", "options" (its "-c name=value" / "--name=value" parts),
 * and any settable GUC (client_encoding, DateStyle, TimeZone, ...). Unknown
 * names fail with FATAL 42704 as PostgreSQL does.
 */
int sql_session_startup_param(SqlSession *s, const char *name, const char *value, Err *err);
/* After all startup params: fills defaults (database defaults to user). */
int sql_session_startup_done(SqlSession *s, Err *err);
const char *sql_session_user(const SqlSession *s);
const char *sql_session_database(const SqlSession *s);
void sql_session_set_backend_pid(SqlSession *s, int32_t pid);

/*
 * While *flag is non-zero, a running statement stops with ERROR 57014
 * "canceling statement due to user request". The server owns the flag.
 */
void sql_session_set_interrupt(SqlSession *s, atomic_int *flag);

typedef void (*SqlReportFn)(void *arg, const char *name, const char *value);
/* Calls fn for every setting PostgreSQL reports in ParameterStatus. */
void sql_session_report_all(SqlSession *s, SqlReportFn fn, void *arg);
/* Calls fn for every reported setting whose value changed since the last call. */
void sql_session_report_changes(SqlSession *s, SqlReportFn fn, void *arg);

/* Transaction status for ReadyForQuery: 'I' idle, 'T' in block, 'E' failed block. */
char sql_session_txn_status(const SqlSession *s);
/*
 * The server calls this when a statement failed: inside a transaction block
 * the block becomes failed ('E') and later statements get 25P02 until
 * ROLLBACK/COMMIT.
 */
void sql_session_statement_failed(SqlSession *s);
/*
 * The server calls this at the end of every simple Query message and at Sync:
 * an implicit transaction (no BEGIN) ends here.
 */
void sql_session_end_of_message(SqlSession *s);

/* Pops the oldest pending notice/warning into *out; false when none is left. */
bool sql_session_take_notice(SqlSession *s, Err *out);

/* ---- Parsing ------------------------------------------------------------ */

/*
 * Parses a query string into its statements. A syntax error anywhere fails
 * the whole string (as PostgreSQL), with 42601 and the position. An empty
 * string (or only comments/semicolons) yields zero statements.
 */
int sql_script_parse(SqlSession *s, const char *text, SqlScript **out, Err *err);
int sql_script_count(const SqlScript *script);
void sql_script_destroy(SqlScript *script);

/* ---- Preparing (binding) ------------------------------------------------ */

/*
 * Analyses statement `index` of the script. param_types gives the OIDs the
 * client specified for $1..$n (0 = infer); parameters referenced beyond
 * nparam_types are inferred too. Undeterminable types fail with 42P18.
 */
int sql_prepare(SqlSession *s, const SqlScript *script, int index, const Oid *param_types,
                int nparam_types, SqlStatement **out, Err *err);
/*
 * The same for the simple Query protocol, where no parameters exist: $n
 * fails with 42P02 "there is no parameter $1", as PostgreSQL's simple query.
 */
int sql_prepare_simple(SqlSession *s, const SqlScript *script, int index, SqlStatement **out,
                       Err *err);
void sql_statement_destroy(SqlStatement *stmt);

int sql_statement_nparams(const SqlStatement *stmt);
Oid sql_statement_param_type(const SqlStatement *stmt, int i);

typedef struct SqlColumn {
    const char *name;
    Oid type_oid;
    int32_t typmod;  /* -1 when none */
    int16_t typlen;  /* -1 varlena, -2 cstring, else fixed width */
    Oid table_oid;   /* 0 when not a plain table column */
    int16_t attnum;  /* 0 when not a plain table column */
} SqlColumn;

/* False for statements that return no rows (SET, BEGIN, ...): Describe says NoData. */
bool sql_statement_returns_rows(const SqlStatement *stmt);
int sql_statement_ncolumns(const SqlStatement *stmt);
const SqlColumn *sql_statement_column(const SqlStatement *stmt, int i);
/* The statement's text as the client sent it (for logs and error context). */
const char *sql_statement_text(const SqlStatement *stmt);

/* ---- Binding parameters and running ------------------------------------- */

typedef struct SqlParam {
    const uint8_t *data; /* NULL when is_null */
    int32_t len;         /* -1 = NULL */
    int16_t format;      /* 0 text, 1 binary */
} SqlParam;

/*
 * Converts the parameter values (22P02/22P03 on bad input, 08P01 on a count
 * mismatch) and creates a portal. result_formats has one entry per result
 * column (the server expands the protocol's 0/1/n rule before calling), or is
 * NULL for all-text. In a failed transaction block, anything but
 * COMMIT/ROLLBACK fails with 25P02.
 */
int sql_bind(SqlSession *s, SqlStatement *stmt, int nparams, const SqlParam *params,
             const int16_t *result_formats, SqlPortal **out, Err *err);
void sql_portal_destroy(SqlPortal *portal);
SqlStatement *sql_portal_statement(const SqlPortal *portal);
int16_t sql_portal_format(const SqlPortal *portal, int col);

/*
 * Runs the portal's statement if it has not run yet (SET takes effect, BEGIN
 * opens a block, a SELECT computes its rows). Checks the interrupt flag.
 */
int sql_portal_execute(SqlSession *s, SqlPortal *portal, Err *err);

/*
 * Advances to the next result row: *has_row false when there are no more.
 * Only for statements that return rows, after sql_portal_execute().
 */
int sql_portal_fetch(SqlSession *s, SqlPortal *portal, bool *has_row, Err *err);

/*
 * Appends the current row's column `col` to out, in the portal's format for
 * that column (text: PostgreSQL's output function; binary: its send
 * function). *is_null is set for SQL NULL, and nothing is appended.
 */
int sql_portal_value(SqlSession *s, SqlPortal *portal, int col, Buf *out, bool *is_null,
                     Err *err);

/*
 * The CommandComplete tag, e.g. "SELECT 3", "SET", "BEGIN", "SHOW". For
 * statements that return rows, `rows` is the count the server fetched in the
 * Execute that completed the portal (PostgreSQL counts per Execute).
 */
void sql_portal_command_tag(const SqlPortal *portal, uint64_t rows, char *buf, size_t cap);

#endif
