/*
 * sql/dialect.h — the streaming-dialect pre-pass: RisingWave-style syntax
 * that PostgreSQL 15's grammar does not parse, recognised on libpg_query's
 * own token stream and rewritten, position for position, into text the
 * grammar does parse, plus a structured description of what was taken out.
 *
 * Pipeline position: sql_script_parse() (parse.c) calls dialect_prepass()
 * on the whole query string before libpg_query parses it; the binder asks
 * parse_dialect() for the description of the statement it binds.
 *
 * Accepted forms (docs/dialect.md has the grammar):
 *   CREATE SOURCE [IF NOT EXISTS] name (cols [, WATERMARK FOR c AS expr])
 *       [WITH (k = v, ...)] [FORMAT f ENCODE e [(k = v, ...)]]
 *   CREATE TABLE ... (cols [, WATERMARK FOR c AS expr]) [APPEND ONLY]
 *       [WITH (k = v, ...)] [FORMAT f ENCODE e [(k = v, ...)]]
 *   a column of either written `name type AS PROCTIME()` (sql/proctime.h)
 *   CREATE MATERIALIZED VIEW ... AS query EMIT ON WINDOW CLOSE
 *   DROP SOURCE [IF EXISTS] a, b [CASCADE | RESTRICT]
 *   SHOW TABLES | SOURCES | MATERIALIZED VIEWS [FROM schema] [LIKE 'pat']
 *   DESCRIBE name
 *   SHOW COLUMNS FROM name
 *   FLUSH
 *   STRUCT<name type, ...> wherever a type name goes: rewritten into a same-length
 *       placeholder type name before anything else (sql/bind_struct.h)
 *
 * Ownership: a DialectScript owns everything it points to (one arena);
 * dialect_free() releases it. Positions are 0-based BYTE offsets into the
 * original query string, like libpg_query's locations.
 *
 * Invariants:
 *   1. Ordinary PostgreSQL SQL is left alone: dialect_prepass() sets *out to
 *      NULL and allocates nothing beyond (at most) one scan.
 *   2. The rewritten text has exactly the original's length, and every byte
 *      outside the removed clauses is unchanged; removed bytes become spaces
 *      (newlines are kept), so byte offsets of everything else are exact.
 *      Character positions differ only where a removed clause held
 *      multi-byte characters; dialect_char_position() maps them back.
 *   3. CREATE SOURCE and DROP SOURCE become CREATE TABLE / DROP TABLE (the
 *      word SOURCE is overwritten with "TABLE "); the statement is marked by
 *      its DialectStmt, which the binder must consult first.
 *   4. Statements without a PostgreSQL equivalent (SHOW TABLES/SOURCES/
 *      MATERIALIZED VIEWS, DESCRIBE, FLUSH) are blanked entirely and are
 *      "dialect only" (is_dialect_only): parse.c inserts them between the
 *      parsed statements in text order.
 *   5. A malformed extension clause fails with 42601 "syntax error at or
 *      near ..." (or "at end of input") at the offending token, as
 *      PostgreSQL's parser words it; nothing else is reported here.
 *   6. Any input, valid UTF-8 or not, terminates without crashing (fuzzed by
 *      tests/fuzz/fuzz_dialect.c). Error positions are character positions
 *      only for valid UTF-8, which sql_script_parse() checks first.
 */
#ifndef RIVULET_SQL_DIALECT_H
#define RIVULET_SQL_DIALECT_H

#include <stdbool.h>
#include <stddef.h>

#include "common/arena.h"
#include "common/err.h"

typedef enum DialectKind {
    DIALECT_CREATE_SOURCE,
    DIALECT_CREATE_TABLE, /* with APPEND ONLY, WATERMARK, connector options or FORMAT */
    DIALECT_CREATE_MV,    /* with EMIT ON WINDOW CLOSE */
    DIALECT_DROP_SOURCE,
    DIALECT_SHOW_TABLES,
    DIALECT_SHOW_SOURCES,
    DIALECT_SHOW_MVIEWS,
    DIALECT_DESCRIBE,
    DIALECT_FLUSH,
    DIALECT_SHOW_COLUMNS, /* SHOW COLUMNS FROM name: as DESCRIBE (name, name_pos) */
} DialectKind;

typedef enum DialectValueKind {
    DIALECT_VALUE_STRING, /* 'text' (quotes removed, '' undoubled) */
    DIALECT_VALUE_NUMBER, /* 10, -1.5, 1e3: the literal's text */
    DIALECT_VALUE_WORD,   /* true, off, bid: lower-cased unless double-quoted */
} DialectValueKind;

/* One `key = value` of a WITH (...) or ENCODE ... (...) list. */
typedef struct DialectOption {
    const char *key; /* dotted parts joined with '.', unquoted parts lower-cased */
    const char *value;
    DialectValueKind value_kind;
    int key_pos; /* byte offsets into the original text */
    int value_pos;
} DialectOption;

typedef struct DialectStmt {
    DialectKind kind;
    int start; /* the statement's first token; end = one past its last token */
    int end;
    bool is_dialect_only; /* blanked in the rewritten text (invariant 4) */
    /* CREATE SOURCE / TABLE / MATERIALIZED VIEW, DROP SOURCE, DESCRIBE */
    bool if_not_exists; /* CREATE SOURCE IF NOT EXISTS */
    bool if_exists;     /* DROP SOURCE IF EXISTS */
    bool cascade;       /* DROP SOURCE ... CASCADE */
    const char *name;   /* CREATE SOURCE / DESCRIBE: the name as written (may be qualified) */
    int name_pos;
    bool append_only;
    int append_only_pos;
    int proctime_pos; /* the first `col type AS PROCTIME()`'s AS (blanked), -1: none */
    int generated_pos; /* the first `col type AS expr`'s AS (blanked; sql/generated.c), -1 */
    /* WATERMARK FOR column AS expr */
    const char *wm_column; /* NULL when there is no watermark */
    int wm_column_pos;
    const char *wm_expr; /* the expression's text as written */
    int wm_expr_pos;
    int wm_expr_len;
    int noptions; /* WITH (...) */
    DialectOption *options;
    int with_pos; /* -1 without WITH */
    /* FORMAT f ENCODE e [(...)]: upper-cased words, NULL without FORMAT */
    const char *format;
    const char *encode;
    int format_pos;
    int nencode_options;
    DialectOption *encode_options;
    bool emit_on_window_close;
    int emit_pos;
    /* SHOW ... [FROM schema] [LIKE 'pattern'] */
    const char *schema;  /* NULL if absent */
    const char *pattern; /* NULL if absent */
} DialectStmt;

typedef struct DialectScript {
    Arena *arena;
    const char *text; /* the rewritten query string (same length as the original) */
    size_t len;
    int nstmts; /* in text order */
    DialectStmt *stmts;
} DialectScript;

/*
 * Runs the pre-pass over a whole query string of len bytes (NUL-terminated).
 * *out = NULL when the text uses none of the extensions (invariant 1);
 * otherwise a script to free with dialect_free(). -1 with err on a malformed
 * extension (err's position is already a 1-based character position in text).
 */
int dialect_prepass(const char *text, size_t len, DialectScript **out, Err *err);
void dialect_free(DialectScript *d);

/* The statement whose first token lies in [start, start + len), or NULL. */
const DialectStmt *dialect_find(const DialectScript *d, int start, int len);

/* "CREATE SOURCE", "SHOW TABLES" ...: the statement's name for messages and command tags. */
const char *dialect_stmt_name(const DialectStmt *st);

/*
 * A 1-based character position in the rewritten text (as libpg_query reports
 * it) → the same place as a 1-based character position in the original text.
 */
int dialect_char_position(const DialectScript *d, const char *original, int pos);

#endif
