/*
 * sql/sql_int.h — the structures behind sql/sql.h's opaque handles, and the
 * functions the files of sql/ call on each other (private to sql/).
 *
 *   parse.c    SqlScript: the query text and libpg_query's parse tree
 *   binder.c   SqlStatement: a bound statement (plan, columns, parameters)
 *   session.c  SqlSession: settings, identity, transaction state, notices
 *   portal.c   SqlPortal: parameter values, execution, result rows
 *   utility.c  executing SET / SHOW / RESET / transaction control
 *
 * Memory: each SqlStatement and SqlPortal owns one arena holding everything
 * it points to; the SqlScript owns the unpacked parse tree (freed with
 * libpg_query's protobuf-c free, in parse.c).
 */
#ifndef RIVULET_SQL_SQL_INT_H
#define RIVULET_SQL_SQL_INT_H

#include "common/arena.h"
#include "sql/expr.h"
#include "sql/guc.h"
#include "sql/sql.h"
#include "sql/types.h"

struct PgQuery__Node;

/* ---- parse.c ---------------------------------------------------------------- */

struct SqlScript {
    char *text; /* the whole query string, as sent (malloc'd) */
    size_t len;
    void *tree; /* PgQuery__ParseResult * */
    int nstmts;
    struct DialectScript *dialect; /* the pre-pass's findings, NULL for plain SQL */
    /* with dialect: statement i is tree stmt order[i] (>= 0) or dialect stmt -1 - order[i] */
    int *order;
};

/* Statement i of the script: its node and its byte range in script->text. */
const struct PgQuery__Node *parse_statement(const SqlScript *script, int i, int *start, int *len);
/* A readable statement name for a node case PostgreSQL's tag table lacks, e.g. "CREATE SEQUENCE".
 */
void parse_node_name(int node_case, char *buf, size_t cap);
/* The dialect pre-pass's description of statement i (sql/dialect.h), or NULL for plain SQL. */
const struct DialectStmt *parse_dialect(const SqlScript *script, int i);

/* One token of libpg_query's scanner (comments are left out), for sql/dialect.c. */
typedef enum ParseTokenKind {
    PTOK_WORD,   /* an unquoted identifier or a keyword */
    PTOK_QIDENT, /* "quoted identifier" (and U&"...") */
    PTOK_STRING, /* any string constant: '...', E'...', $$...$$, B'...', X'...' */
    PTOK_NUMBER, /* integer or decimal constant */
    PTOK_CHAR,   /* a one-character token: ( ) , ; . = + - ... */
    PTOK_OTHER,  /* operators, parameters, :: and the rest */
} ParseTokenKind;

typedef struct ParseToken {
    int start; /* byte offsets: the token is text[start, end) */
    int end;
    ParseTokenKind kind;
} ParseToken;

/* Scans text into *out (malloc'd, free() it): the count, or -1 if the scanner fails. */
int parse_scan(const char *text, ParseToken **out);
/* Token t of text is the unquoted word w (any case) / the one-character token c. */
bool parse_token_is_word(const char *text, const ParseToken *t, const char *w);
bool parse_token_is_char(const char *text, const ParseToken *t, char c);
/* Parses text only for its syntax: 0, or -1 with libpg_query's error and cursor in err. */
int parse_check_syntax(const char *text, Err *err);

/* ---- binder.c --------------------------------------------------------------- */

typedef enum StmtKind {
    STMT_SELECT, /* SELECT / VALUES without FROM */
    STMT_SET,    /* SET name = value / TO DEFAULT; RESET name */
    STMT_RESET_ALL,
    STMT_SHOW,
    STMT_SHOW_ALL,
    STMT_BEGIN,
    STMT_COMMIT,
    STMT_ROLLBACK,
    STMT_SET_TRANSACTION,     /* SET TRANSACTION ... */
    STMT_SET_CHARACTERISTICS, /* SET SESSION CHARACTERISTICS AS TRANSACTION ... */
    STMT_CREATE_TABLE,        /* sql/table.h */
    STMT_DROP_TABLE,
    STMT_INSERT,
    STMT_SHOW_RELATIONS, /* SHOW TABLES / SHOW SOURCES (dialect) */
    STMT_FLUSH,          /* FLUSH (dialect): sql/table_exec.c */
    STMT_COPY,           /* COPY ... FROM STDIN (sql/copy.h; the server drives it) */
    STMT_SYSTEM,         /* DESCRIBE, ALTER SYSTEM, SHOW PARAMETERS ...: sql/describe.h */
} StmtKind;

typedef struct TxnOption {
    const char *name; /* transaction_isolation, transaction_read_only, transaction_deferrable */
    const char *value;
} TxnOption;

struct SqlStatement {
    Arena *arena;
    StmtKind kind;
    const char *text; /* this statement's text, trimmed */
    const char *tag;  /* command tag for CommandComplete (COMMIT may become ROLLBACK) */
    int nparams;
    Oid *param_types;
    int ncols;
    SqlColumn *cols;
    /* STMT_SELECT: nrows rows of ncols expressions, filtered by where, cut by limit/offset */
    int nrows;
    Expr ***rows;
    Expr *where;
    Expr *limit;
    Expr *offset;
    /* STMT_SELECT with a plan (FROM, GROUP BY, ORDER BY ...: sql/plan.h); NULL otherwise */
    struct PlanNode *plan;
    /* STMT_SET / STMT_SHOW */
    const char *name;
    bool is_local;
    bool is_default; /* SET ... TO DEFAULT, RESET */
    int nargs;
    const char **args;
    const char *kinds; /* per arg: 'i', 'f' or 's' (guc_flatten_args) */
    /* STMT_BEGIN / STMT_SET_TRANSACTION / STMT_SET_CHARACTERISTICS */
    int nopts;
    TxnOption *opts;
    /* STMT_CREATE_TABLE / STMT_DROP_TABLE / STMT_INSERT / STMT_SHOW_RELATIONS (sql/table.h) */
    struct TableStmt *table;
    /* COPY (sql/copy.h): STMT_COPY for FROM; a STMT_SELECT for TO */
    struct CopySpec *copy;
    /* STMT_SYSTEM (sql/describe.h) */
    struct SystemStmt *system;
};

/* Binds statement `index` of script into a new statement (sql_prepare's work). */
int binder_prepare(SqlSession *s, const SqlScript *script, int index, const Oid *param_types,
                   int nparam_types, bool fixed_params, SqlStatement **out, Err *err);

/* ---- session.c -------------------------------------------------------------- */

typedef enum TxnState {
    TXN_IDLE,   /* no transaction block (statements run in implicit transactions) */
    TXN_BLOCK,  /* BEGIN ... */
    TXN_FAILED, /* a statement failed inside the block */
} TxnState;

GucState *session_guc(SqlSession *s);
const TypeIoCtx *session_io(SqlSession *s);
/* Marks the start of a statement (and of its transaction, if new): TypeIoCtx stmt/txn_start_us. */
void session_mark_statement(SqlSession *s);
int32_t session_backend_pid(const SqlSession *s);
atomic_int *session_interrupt(SqlSession *s);
/* The session's random() generator (setseed() reseeds it). */
struct Rng *session_rng(SqlSession *s);
TxnState session_txn_state(const SqlSession *s);
/* True inside BEGIN ... or a multi-statement simple query (PostgreSQL's implicit block). */
bool session_in_block(const SqlSession *s);
void session_set_multi_statement(SqlSession *s, bool multi);
void session_begin(SqlSession *s);
/* Ends the block: commit (false when it had failed: then it rolls back). Returns the tag. */
const char *session_commit(SqlSession *s);
void session_rollback(SqlSession *s);
/* Queues a NOTICE or WARNING for sql_session_take_notice(). */
void session_notice(SqlSession *s, ErrLevel level, const char *sqlstate, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void session_push_notice(SqlSession *s, const Err *notice);

/* ---- utility.c -------------------------------------------------------------- */

/* Runs a statement that is not a SELECT; SHOW fills rows and nrows (ncols text values per row). */
int utility_execute(SqlSession *s, const SqlStatement *stmt, Arena *a, Value **rows, int *nrows,
                    const char **tag, Err *err);

#endif
