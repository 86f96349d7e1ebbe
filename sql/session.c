/*
 * sql/session.c — SqlSession: what a PostgreSQL backend keeps per connection
 * at the SQL level (see sql/sql.h): settings, identity, transaction block
 * state, pending notices, the interrupt flag.
 *
 * Transaction block states (ReadyForQuery's status byte):
 *
 *             BEGIN                    a statement fails
 *    'I' idle ──────▶ 'T' in block ───────────────────────▶ 'E' failed
 *       ▲                  │ COMMIT / ROLLBACK                 │ COMMIT (reported as
 *       └──────────────────┴───────────────────────────────────┘ ROLLBACK) / ROLLBACK
 *
 * Outside a block every statement runs in an implicit transaction that ends
 * at the end of the protocol message (simple Query) or at Sync: a failure
 * inside it undoes the settings it changed, as in PostgreSQL.
 * Rivulet has no multi-statement atomicity for data yet: a block groups
 * statements for settings (SET is undone by ROLLBACK) and for the failed-
 * block rule, see sql/README.md.
 *
 * Invariants:
 *   1. A session is used by one thread at a time; sessions share nothing
 *      mutable (the interrupt flag is an atomic the server owns).
 *   2. Notices queue in order and are bounded (SESSION_MAX_NOTICES; later
 *      ones are dropped), so a loop of warnings cannot exhaust memory.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/clock.h"
#include "sql/datetime.h"
#include "common/errcodes.h"
#include "sql/sql_int.h"

#define SESSION_MAX_NOTICES 256
#define SESSION_NAME_MAX 63

struct SqlSession {
    GucState *guc;
    char user[SESSION_NAME_MAX + 1];
    char database[SESSION_NAME_MAX + 1];
    int32_t backend_pid;
    atomic_int *interrupt;
    TxnState txn;
    bool multi_statement; /* the current simple Query holds several statements */
    TypeIoCtx io;
    Err *notices; /* ring of SESSION_MAX_NOTICES */
    int notice_head;
    int notice_count;
    Rng rng; /* random() / setseed(): seeded from the OS on first use */
    bool rng_seeded;
    bool txn_started; /* io.txn_start_us is set for the current transaction */
    bool stmt_marked; /* io.stmt_start_us is set for the current client message */
};

static void
guc_notice_sink(void *arg, const Err *notice)
{
    session_push_notice(arg, notice);
}

SqlSession *
sql_session_create(void)
{
    SqlSession *s = calloc(1, sizeof *s);

    if (s == NULL || (s->notices = calloc(SESSION_MAX_NOTICES, sizeof(Err))) == NULL) {
        fprintf(stderr, "PANIC: out of memory creating a session\n");
        abort();
    }
    s->guc = guc_create();
    guc_set_notice_fn(s->guc, guc_notice_sink, s);
    s->io = type_io_default;
    s->txn = TXN_IDLE;
    return s;
}

void
sql_session_destroy(SqlSession *s)
{
    if (s == NULL)
        return;
    guc_destroy(s->guc);
    free(s->notices);
    free(s);
}

/* "-c name=value" and "--name=value" items of the startup "options", backslash escapes spaces. */
static int
startup_options(SqlSession *s, const char *options, Err *err)
{
    char word[1024];
    const char *p = options;

    while (*p != '\0') {
        size_t n = 0;
        char *eq, *name;

        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '\0')
            break;
        while (*p != '\0' && *p != ' ' && *p != '\t' && n < sizeof word - 1) {
            if (*p == '\\' && p[1] != '\0')
                p++;
            word[n++] = *p++;
        }
        word[n] = '\0';
        if (strcmp(word, "-c") == 0)
            continue; /* the next word is the name=value */
        name = strncmp(word, "--", 2) == 0   ? word + 2
               : strncmp(word, "-c", 2) == 0 ? word + 2
                                             : word;
        eq = strchr(name, '=');
        if (eq == NULL)
            return ERR_RAISE_FATAL(err, ERRCODE_SYNTAX_ERROR,
                                   "invalid command-line argument for server process: %s", word);
        *eq = '\0';
        for (char *q = name; *q; q++) {
            if (*q == '-')
                *q = '_';
        }
        if (sql_session_startup_param(s, name, eq + 1, err) < 0)
            return -1;
    }
    return 0;
}

static void
copy_name(char *dst, const char *src)
{
    size_t n = text_clip_utf8(src, strlen(src), SESSION_NAME_MAX);

    memcpy(dst, src, n);
    dst[n] = '\0';
}

int
sql_session_startup_param(SqlSession *s, const char *name, const char *value, Err *err)
{
    Err local;

    if (strcmp(name, "user") == 0) {
        copy_name(s->user, value);
        guc_set_user(s->guc, s->user);
        return 0;
    }
    if (strcmp(name, "database") == 0) {
        copy_name(s->database, value);
        return 0;
    }
    if (strcmp(name, "options") == 0)
        return startup_options(s, value, err);
    if (strcmp(name, "replication") == 0 || strncmp(name, "_pq_.", 5) == 0)
        return 0; /* protocol-level: the server decides */
    err_clear(&local);
    if (guc_set(s->guc, name, value, GUC_SCOPE_STARTUP, &local) < 0) {
        local.level = ERR_FATAL; /* a bad startup option ends the connection attempt */
        err_copy(err, &local);
        return -1;
    }
    return 0;
}

int
sql_session_startup_done(SqlSession *s, Err *err)
{
    if (s->user[0] == '\0')
        return ERR_RAISE_FATAL(err, ERRCODE_INVALID_AUTHORIZATION_SPECIFICATION,
                               "no PostgreSQL user name specified in startup packet");
    if (s->database[0] == '\0')
        copy_name(s->database, s->user);
    return 0;
}

const char *
sql_session_user(const SqlSession *s)
{
    return s->user;
}

const char *
sql_session_database(const SqlSession *s)
{
    return s->database;
}

void
sql_session_set_backend_pid(SqlSession *s, int32_t pid)
{
    s->backend_pid = pid;
}

void
sql_session_set_interrupt(SqlSession *s, atomic_int *flag)
{
    s->interrupt = flag;
}

typedef struct ReportArg {
    SqlReportFn fn;
    void *arg;
} ReportArg;

static void
report_one(void *arg, const char *name, const char *value, const char *desc)
{
    ReportArg *r = arg;

    (void)desc;
    r->fn(r->arg, name, value);
}

void
sql_session_report_all(SqlSession *s, SqlReportFn fn, void *arg)
{
    ReportArg r = {fn, arg};

    guc_report(s->guc, false, report_one, &r);
}

void
sql_session_report_changes(SqlSession *s, SqlReportFn fn, void *arg)
{
    ReportArg r = {fn, arg};

    guc_report(s->guc, true, report_one, &r);
}

char
sql_session_txn_status(const SqlSession *s)
{
    return s->txn == TXN_IDLE ? 'I' : s->txn == TXN_BLOCK ? 'T' : 'E';
}

void
sql_session_statement_failed(SqlSession *s)
{
    if (s->txn == TXN_BLOCK)
        s->txn = TXN_FAILED;
    else if (s->txn == TXN_IDLE)
        guc_rollback(s->guc); /* the implicit transaction aborts */
}

void
sql_session_end_of_message(SqlSession *s)
{
    if (s->txn == TXN_IDLE) {
        guc_commit(s->guc); /* the implicit transaction commits */
        s->txn_started = false;
    }
    s->multi_statement = false;
    s->stmt_marked = false;
}

void
session_push_notice(SqlSession *s, const Err *notice)
{
    if (s->notice_count == SESSION_MAX_NOTICES)
        return;
    err_copy(&s->notices[(s->notice_head + s->notice_count) % SESSION_MAX_NOTICES], notice);
    s->notice_count++;
}

void
session_notice(SqlSession *s, ErrLevel level, const char *sqlstate, const char *fmt, ...)
{
    Err e;
    va_list ap;
    char msg[ERR_MESSAGE_MAX];

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    err_clear(&e);
    err_raise(&e, level, sqlstate, "%s", msg);
    session_push_notice(s, &e);
}

bool
sql_session_take_notice(SqlSession *s, Err *out)
{
    if (s->notice_count == 0)
        return false;
    err_copy(out, &s->notices[s->notice_head]);
    s->notice_head = (s->notice_head + 1) % SESSION_MAX_NOTICES;
    s->notice_count--;
    return true;
}

/* DateStyle's canonical "ISO, MDY" → DATESTYLE_* and DATEORDER_* (sql/datetime.h). */
static void
datestyle_from_guc(const char *v, int *style, int *order)
{
    *style = strncmp(v, "SQL", 3) == 0        ? DATESTYLE_SQL
             : strncmp(v, "Postgres", 8) == 0 ? DATESTYLE_POSTGRES
             : strncmp(v, "German", 6) == 0   ? DATESTYLE_GERMAN
                                              : DATESTYLE_ISO;
    *order = strstr(v, "DMY") != NULL   ? DATEORDER_DMY
             : strstr(v, "YMD") != NULL ? DATEORDER_YMD
                                        : DATEORDER_MDY;
}

static int
intervalstyle_from_guc(const char *v)
{
    return strcmp(v, "postgres_verbose") == 0 ? INTSTYLE_POSTGRES_VERBOSE
           : strcmp(v, "sql_standard") == 0   ? INTSTYLE_SQL_STANDARD
           : strcmp(v, "iso_8601") == 0       ? INTSTYLE_ISO_8601
                                              : INTSTYLE_POSTGRES;
}

/* ---- for the rest of sql/ (sql_int.h) ----------------------------------------------- */

GucState *
session_guc(SqlSession *s)
{
    return s->guc;
}

const TypeIoCtx *
session_io(SqlSession *s)
{
    s->io.extra_float_digits = (int)guc_get_int(s->guc, "extra_float_digits");
    s->io.timezone = guc_get_string(s->guc, "TimeZone");
    datestyle_from_guc(guc_get_string(s->guc, "DateStyle"), &s->io.datestyle, &s->io.dateorder);
    s->io.intervalstyle = intervalstyle_from_guc(guc_get_string(s->guc, "IntervalStyle"));
    s->io.bytea_escape = strcmp(guc_get_string(s->guc, "bytea_output"), "escape") == 0;
    return &s->io;
}

/*
 * A statement starts: statement_timestamp() is now, and so is now() when
 * this is the first statement of a transaction (it stays constant until
 * the transaction ends, as PostgreSQL's transaction start time).
 */
void
session_mark_statement(SqlSession *s)
{
    int64_t now = clock_now_us() - DT_UNIX_EPOCH_OFFSET_US;

    if (!s->stmt_marked) {
        /* one client message (a simple Query of several statements) is one statement time */
        s->io.stmt_start_us = now;
        s->stmt_marked = true;
    }
    now = s->io.stmt_start_us;
    if (!s->txn_started) {
        s->io.txn_start_us = now;
        s->txn_started = true;
    }
}

int32_t
session_backend_pid(const SqlSession *s)
{
    return s->backend_pid;
}

atomic_int *
session_interrupt(SqlSession *s)
{
    return s->interrupt;
}

Rng *
session_rng(SqlSession *s)
{
    if (!s->rng_seeded) {
        rng_seed(&s->rng, rng_os_seed());
        s->rng_seeded = true;
    }
    return &s->rng;
}

TxnState
session_txn_state(const SqlSession *s)
{
    return s->txn;
}

bool
session_in_block(const SqlSession *s)
{
    return s->txn != TXN_IDLE || s->multi_statement;
}

void
session_set_multi_statement(SqlSession *s, bool multi)
{
    s->multi_statement = multi;
}

void
session_begin(SqlSession *s)
{
    if (s->txn != TXN_IDLE) {
        session_notice(s, ERR_WARNING, ERRCODE_ACTIVE_SQL_TRANSACTION,
                       "there is already a transaction in progress");
        return;
    }
    /* settings changed earlier in this message's implicit transaction now belong to the block */
    s->txn = TXN_BLOCK;
}

const char *
session_commit(SqlSession *s)
{
    switch (s->txn) {
    case TXN_IDLE:
        session_notice(s, ERR_WARNING, ERRCODE_NO_ACTIVE_SQL_TRANSACTION,
                       "there is no transaction in progress");
        return "COMMIT";
    case TXN_BLOCK:
        guc_commit(s->guc);
        s->txn = TXN_IDLE;
        s->txn_started = false;
        return "COMMIT";
    case TXN_FAILED:
        guc_rollback(s->guc);
        s->txn = TXN_IDLE;
        s->txn_started = false;
        return "ROLLBACK";
    }
    return "COMMIT";
}

void
session_rollback(SqlSession *s)
{
    if (s->txn == TXN_IDLE) {
        session_notice(s, ERR_WARNING, ERRCODE_NO_ACTIVE_SQL_TRANSACTION,
                       "there is no transaction in progress");
        return;
    }
    guc_rollback(s->guc);
    s->txn = TXN_IDLE;
    s->txn_started = false;
}
