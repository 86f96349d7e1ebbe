/*
 * server/query.c — the query protocol: what a session does with each
 * regular message once it is authenticated.
 *
 * Simple query ('Q'): the string is parsed as a script; each statement is
 * prepared, bound without parameters (all-text results) and run:
 * RowDescription (if it returns rows), DataRow*, CommandComplete. The first
 * error ends the script. Then the implicit transaction ends and
 * ReadyForQuery goes out; zero statements answer EmptyQueryResponse.
 *
 * Extended query: Parse → Bind → Describe/Execute → Sync, mapped one to one
 * onto sql_prepare / sql_bind / sql_portal_execute+fetch. After an error in
 * one of these messages the session skips to the next Sync (session.c), which
 * is PostgreSQL's error recovery. Execute with a row limit stops with
 * PortalSuspended when it has sent that many rows; the next Execute goes on.
 *
 * Where PostgreSQL 15 was checked byte for byte, this file follows it:
 *   - ParameterStatus for settings a statement changed goes out just before
 *     ReadyForQuery (PostgreSQL 14+ defers them there), not after CommandComplete;
 *   - a notice goes out where it arises: before its statement's
 *     CommandComplete, or before the ErrorResponse that ends it;
 *   - portals end with their transaction: at Sync (or the end of a Query)
 *     when no transaction block is open, when COMMIT/ROLLBACK closes the
 *     block, or when an error aborts an implicit transaction;
 *   - a portal outlives the Close or replacement of its statement;
 *   - a portal that ran to completion answers a new Execute with
 *     CommandComplete for 0 rows if it returns rows, else 55000;
 *   - PortalSuspended is sent as soon as max_rows rows went out, without
 *     looking ahead (so the next Execute may answer "SELECT 0").
 *
 * DEALLOCATE: prepared statements live in the session's table here, out of
 * sql/'s reach, so a Query or Parse whose whole text is DEALLOCATE is
 * answered by the server itself (command.c).
 *
 * Memory: decoded messages and RowDescription arrays live in the session's
 * msg arena, reset after each message; statements and portals are owned by
 * the session's name tables (prepared.c).
 *
 * Invariants:
 *   1. Every handler either succeeds or fills err once; the caller
 *      (message_failed) turns err into exactly one ErrorResponse.
 *   2. A DataRow is written whole or not at all: a value that fails, or a
 *      row that does not fit the output ceiling, rolls the buffer back to the
 *      row's start before the error is reported.
 *   3. Rows are produced at most SESSION_OUT_HIGH_WATER ahead of the socket:
 *      the row loop flushes (blocking) when the buffer passes it.
 *   4. When the peer is gone (state CLOSING) no handler writes further.
 */
#include <stdlib.h>
#include <string.h>

#include "server/server_int.h"
#include "sql/copy.h"

/* ---- Messages written from sql/ objects ------------------------------------------ */

static void
put_row_description(Session *s, const SqlStatement *st, const SqlPortal *sp)
{
    int n = sql_statement_ncolumns(st);
    WireField *f = arena_calloc(s->msg_arena, n > 0 ? (size_t)n : 1, sizeof *f);

    for (int i = 0; i < n; i++) {
        const SqlColumn *c = sql_statement_column(st, i);

        f[i].name = c->name;
        f[i].table_oid = c->table_oid;
        f[i].column_attnum = c->attnum;
        f[i].type_oid = c->type_oid;
        f[i].type_len = c->typlen;
        /* a STRUCT (record, oid 2249) is sent as PostgreSQL sends a record: typmod -1 */
        f[i].type_mod = c->type_oid == 2249 ? -1 : c->typmod;
        f[i].format = sp != NULL ? sql_portal_format(sp, i) : WIRE_FORMAT_TEXT;
    }
    wire_put_row_description(&s->out, n, f);
}

static int
put_data_row(Session *s, SqlPortal *sp, int ncols, Err *err)
{
    Buf *b = &s->out;
    size_t start = b->len, row = wire_datarow_begin(b, ncols);

    for (int i = 0; i < ncols; i++) {
        size_t before = b->len, field = wire_datarow_field_begin(b);
        bool is_null = false;

        if (sql_portal_value(s->sql, sp, i, b, &is_null, err) < 0) {
            b->len = start;
            b->failed = false;
            return -1;
        }
        if (is_null) {
            b->len = before; /* drop the length word field_begin reserved */
            wire_datarow_null(b);
        } else {
            wire_datarow_field_end(b, field);
        }
    }
    wire_datarow_end(b, row);
    if (b->failed) {
        b->len = start;
        b->failed = false;
        ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
        err_detail(err, "A result row does not fit in the output buffer of %zu bytes.", b->max);
        return -1;
    }
    return 0;
}

/* ---- Portals and their transaction --------------------------------------------------- */

static void
free_portal(void *value, void *arg)
{
    (void)arg;
    portal_free(value);
}

static void
free_prepared(void *value, void *arg)
{
    (void)arg;
    prepared_unref(value);
}

void
query_drop_portals(Session *s)
{
    namemap_clear(&s->portals, free_portal, NULL);
}

void
query_drop_all(Session *s)
{
    namemap_clear(&s->portals, free_portal, NULL);
    namemap_clear(&s->statements, free_prepared, NULL);
}

/* COMMIT or ROLLBACK closed a transaction block: its portals end with it. */
static void
after_statement(Session *s, char status_before)
{
    if (status_before != 'I' && sql_session_txn_status(s->sql) == 'I')
        query_drop_portals(s);
}

/*
 * Runs (first call) or continues a portal: rows up to max_rows (0 = all),
 * then CommandComplete, or PortalSuspended when the limit stopped it.
 */
static int
run_portal(Session *s, Portal *pt, int32_t max_rows, bool describe, Err *err)
{
    SqlPortal *sp = pt->portal;
    const SqlStatement *st = sql_portal_statement(sp);
    uint64_t rows = 0;
    bool has_row = false;
    char tag[64];

    if (!pt->is_started) {
        pt->is_started = true;
        pt->is_done = true; /* until it succeeds: a failed portal cannot be re-run */
        if (sql_portal_execute(s->sql, sp, err) < 0)
            return -1;
        pt->is_done = false;
        session_send_notices(s);
        if (sql_statement_copy(st) != SQL_COPY_NONE)
            return copy_start(s, pt, err); /* copy.c; 1: now in COPY FROM STDIN */
    }
    if (sql_statement_returns_rows(st)) {
        int ncols = sql_statement_ncolumns(st);

        if (describe)
            put_row_description(s, st, sp);
        while (max_rows <= 0 || rows < (uint64_t)max_rows) {
            if (sql_portal_fetch(s->sql, sp, &has_row, err) < 0 ||
                (has_row && put_data_row(s, sp, ncols, err) < 0)) {
                pt->is_done = true;
                return -1;
            }
            if (!has_row)
                break;
            rows++;
            if (s->out.len >= SESSION_OUT_HIGH_WATER && session_flush(s) < 0)
                return -1;
        }
        session_send_notices(s);
        if (has_row) {
            wire_put_portal_suspended(&s->out);
            return 0;
        }
    }
    pt->is_done = true;
    sql_portal_command_tag(sp, rows, tag, sizeof tag);
    wire_put_command_complete(&s->out, tag);
    return 0;
}

/* ---- Simple query -------------------------------------------------------------------- */

static int
run_simple_statement(Session *s, const SqlScript *script, int index, Err *err)
{
    SqlStatement *st = NULL;
    Portal pt = {0};
    char before = sql_session_txn_status(s->sql);
    int rc = -1;

    if (sql_prepare_simple(s->sql, script, index, &st, err) == 0 &&
        sql_bind(s->sql, st, 0, NULL, NULL, &pt.portal, err) == 0) {
        session_send_notices(s);
        rc = run_portal(s, &pt, 0, true, err);
    }
    if (pt.portal != NULL)
        sql_portal_destroy(pt.portal);
    if (st != NULL)
        sql_statement_destroy(st);
    if (rc == 0)
        after_statement(s, before);
    return rc;
}

/* DEALLOCATE and friends, answered by the server itself (command.c). */
static void
exec_simple_command(Session *s, const SessionCommand *cmd)
{
    Err err;

    err_clear(&err);
    prepared_unref(namemap_take(&s->statements, ""));
    if (command_run(s, cmd, &err) < 0)
        session_report_error(s, &err);
    if (s->state == SESSION_CLOSING)
        return;
    sql_session_end_of_message(s->sql);
    if (sql_session_txn_status(s->sql) == 'I')
        query_drop_portals(s);
    session_ready_for_query(s);
}

void
query_resume_script(Session *s, int from)
{
    SqlScript *script = s->copy_script;
    int n = sql_script_count(script);
    Err err;

    err_clear(&err);
    for (int i = from; i >= 0 && i < n; i++) {
        int rc = run_simple_statement(s, script, i, &err);

        if (rc > 0) { /* COPY FROM STDIN: copy.c calls back when it ends */
            s->copy_next = i + 1;
            return;
        }
        if (rc < 0) {
            if (s->state != SESSION_CLOSING)
                session_report_error(s, &err);
            break;
        }
    }
    sql_script_destroy(script);
    s->copy_script = NULL;
    if (s->state == SESSION_CLOSING)
        return;
    sql_session_end_of_message(s->sql);
    if (sql_session_txn_status(s->sql) == 'I')
        query_drop_portals(s);
    session_send_notices(s);
    session_ready_for_query(s);
}

static void
exec_simple_query(Session *s, const char *text)
{
    SqlScript *script = NULL;
    SessionCommand cmd;
    Err err;

    err_clear(&err);
    if (command_parse(text, &cmd)) {
        exec_simple_command(s, &cmd);
        return;
    }
    /* A Query drops the unnamed statement (PostgreSQL's drop_unnamed_stmt). */
    prepared_unref(namemap_take(&s->statements, ""));
    if (sql_script_parse(s->sql, text, &script, &err) < 0) {
        session_report_error(s, &err);
    } else {
        int n = sql_script_count(script);

        if (n == 0) {
            session_send_notices(s);
            wire_put_empty_query_response(&s->out);
        } else {
            portal_free(namemap_take(&s->portals, "")); /* replaced, as PostgreSQL */
        }
        s->copy_script = script;
        query_resume_script(s, 0);
        return;
    }
    if (s->state == SESSION_CLOSING)
        return;
    sql_session_end_of_message(s->sql);
    if (sql_session_txn_status(s->sql) == 'I')
        query_drop_portals(s);
    session_send_notices(s);
    session_ready_for_query(s);
}

/* ---- Extended query ------------------------------------------------------------------- */

static int
statement_missing(const char *name, Err *err)
{
    if (name[0] == '\0')
        return ERR_RAISE(err, ERRCODE_INVALID_SQL_STATEMENT_NAME,
                         "unnamed prepared statement does not exist");
    return ERR_RAISE(err, ERRCODE_INVALID_SQL_STATEMENT_NAME,
                     "prepared statement \"%s\" does not exist", name);
}

static int
portal_missing(const char *name, Err *err)
{
    return ERR_RAISE(err, ERRCODE_INVALID_CURSOR_NAME, "portal \"%s\" does not exist", name);
}

static int
out_of_memory(Err *err)
{
    return ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
}

/* Enters a parsed statement (st, or a server command, or neither: the empty query). */
static int
store_prepared(Session *s, const char *name, SqlStatement *st, const SessionCommand *cmd, Err *err)
{
    Prepared *prep;

    if (name[0] != '\0' && namemap_get(&s->statements, name) != NULL) {
        if (st != NULL)
            sql_statement_destroy(st);
        return ERR_RAISE(err, ERRCODE_DUPLICATE_PREPARED_STATEMENT,
                         "prepared statement \"%s\" already exists", name);
    }
    prep = prepared_new(name, st);
    if (prep != NULL && cmd != NULL) {
        prep->command = malloc(sizeof *prep->command);
        if (prep->command != NULL)
            *prep->command = *cmd;
    }
    if (prep == NULL || (cmd != NULL && prep->command == NULL) ||
        !namemap_put(&s->statements, name, prep)) {
        if (prep != NULL)
            prepared_unref(prep);
        else if (st != NULL)
            sql_statement_destroy(st);
        return out_of_memory(err);
    }
    wire_put_parse_complete(&s->out);
    return 0;
}

static int
exec_parse(Session *s, const WireParse *m, Err *err)
{
    SqlScript *script = NULL;
    SqlStatement *st = NULL;
    SessionCommand cmd;
    int n;

    if (m->stmt_name[0] == '\0')
        prepared_unref(namemap_take(&s->statements, ""));
    if (command_parse(m->query, &cmd))
        return store_prepared(s, m->stmt_name, NULL, &cmd, err);
    if (sql_script_parse(s->sql, m->query, &script, err) < 0)
        return -1;
    n = sql_script_count(script);
    if (n > 1) {
        sql_script_destroy(script);
        return ERR_RAISE(err, ERRCODE_SYNTAX_ERROR,
                         "cannot insert multiple commands into a prepared statement");
    }
    if (n == 1 && sql_prepare(s->sql, script, 0, m->param_types, m->nparam_types, &st, err) < 0) {
        sql_script_destroy(script);
        return -1;
    }
    sql_script_destroy(script);
    session_send_notices(s);
    return store_prepared(s, m->stmt_name, st, NULL, err);
}

/* The protocol's 0/1/n rule for format codes, expanded to one code per item. */
static int16_t *
expand_formats(Session *s, int ncodes, const int16_t *codes, int n)
{
    int16_t *out;

    if (ncodes == 0 || n == 0)
        return NULL;
    out = arena_calloc(s->msg_arena, (size_t)n, sizeof *out);
    for (int i = 0; i < n; i++)
        out[i] = ncodes == 1 ? codes[0] : codes[i];
    return out;
}

/* Bind's checks, in PostgreSQL's order, before anything is created. */
static int
check_bind(Session *s, const WireBind *m, const Prepared *prep, int ncols, Err *err)
{
    int want = prep->stmt != NULL ? sql_statement_nparams(prep->stmt) : 0;

    if (m->nparams != want)
        return ERR_RAISE(err, ERRCODE_PROTOCOL_VIOLATION,
                         "bind message supplies %d parameters, but prepared statement \"%s\" "
                         "requires %d",
                         m->nparams, m->stmt_name, want);
    if (m->portal_name[0] != '\0' && namemap_get(&s->portals, m->portal_name) != NULL)
        return ERR_RAISE(err, ERRCODE_DUPLICATE_CURSOR, "cursor \"%s\" already exists",
                         m->portal_name);
    if (m->nresult_formats > 1 && m->nresult_formats != ncols)
        return ERR_RAISE(err, ERRCODE_PROTOCOL_VIOLATION,
                         "bind message has %d result formats but query has %d columns",
                         m->nresult_formats, ncols);
    return 0;
}

static int
exec_bind(Session *s, const WireBind *m, Err *err)
{
    Prepared *prep = namemap_get(&s->statements, m->stmt_name);
    SqlStatement *st;
    SqlPortal *sp = NULL;
    SqlParam *params;
    int16_t *pformats;
    Portal *pt;
    int ncols;

    if (prep == NULL)
        return statement_missing(m->stmt_name, err);
    st = prep->stmt;
    ncols = st != NULL && sql_statement_returns_rows(st) ? sql_statement_ncolumns(st) : 0;
    if (check_bind(s, m, prep, ncols, err) < 0)
        return -1;
    if (m->portal_name[0] == '\0')
        portal_free(namemap_take(&s->portals, ""));
    pformats = expand_formats(s, m->nparam_formats, m->param_formats, m->nparams);
    params = arena_calloc(s->msg_arena, m->nparams > 0 ? (size_t)m->nparams : 1, sizeof *params);
    for (int i = 0; i < m->nparams; i++) {
        params[i].data = m->params[i].len < 0 ? NULL : m->params[i].data;
        params[i].len = m->params[i].len < 0 ? -1 : m->params[i].len;
        params[i].format = pformats != NULL ? pformats[i] : WIRE_FORMAT_TEXT;
    }
    if (st != NULL &&
        sql_bind(s->sql, st, m->nparams, params,
                 expand_formats(s, m->nresult_formats, m->result_formats, ncols), &sp, err) < 0)
        return -1;
    session_send_notices(s);
    pt = portal_new(m->portal_name, prep, sp);
    if (pt == NULL || !namemap_put(&s->portals, m->portal_name, pt)) {
        if (pt != NULL)
            portal_free(pt);
        else if (sp != NULL)
            sql_portal_destroy(sp);
        return out_of_memory(err);
    }
    wire_put_bind_complete(&s->out);
    return 0;
}

static int
aborted_block(Err *err)
{
    return ERR_RAISE(err, ERRCODE_IN_FAILED_SQL_TRANSACTION,
                     "current transaction is aborted, commands ignored until end of "
                     "transaction block");
}

static int
describe_statement(Session *s, const char *name, Err *err)
{
    Prepared *prep = namemap_get(&s->statements, name);
    const SqlStatement *st;
    uint32_t *types;
    int n;

    if (prep == NULL)
        return statement_missing(name, err);
    st = prep->stmt;
    if (st != NULL && sql_statement_returns_rows(st) && sql_session_txn_status(s->sql) == 'E')
        return aborted_block(err);
    n = st != NULL ? sql_statement_nparams(st) : 0;
    types = arena_calloc(s->msg_arena, n > 0 ? (size_t)n : 1, sizeof *types);
    for (int i = 0; i < n; i++)
        types[i] = sql_statement_param_type(st, i);
    wire_put_parameter_description(&s->out, n, types);
    if (st != NULL && sql_statement_returns_rows(st) && sql_statement_copy(st) == SQL_COPY_NONE)
        put_row_description(s, st, NULL);
    else
        wire_put_no_data(&s->out);
    return 0;
}

static int
describe_portal(Session *s, const char *name, Err *err)
{
    Portal *pt = namemap_get(&s->portals, name);
    const SqlStatement *st;

    if (pt == NULL)
        return portal_missing(name, err);
    st = pt->portal != NULL ? sql_portal_statement(pt->portal) : NULL;
    if (st == NULL || !sql_statement_returns_rows(st) || sql_statement_copy(st) != SQL_COPY_NONE) {
        wire_put_no_data(&s->out);
        return 0;
    }
    if (sql_session_txn_status(s->sql) == 'E')
        return aborted_block(err);
    put_row_description(s, st, pt->portal);
    return 0;
}

static int
exec_describe(Session *s, const WireDescribe *m, Err *err)
{
    if (m->what == 'S')
        return describe_statement(s, m->name, err);
    if (m->what == 'P')
        return describe_portal(s, m->name, err);
    return ERR_RAISE(err, ERRCODE_PROTOCOL_VIOLATION, "invalid DESCRIBE message subtype %d",
                     (int)m->what);
}

static int
exec_execute(Session *s, const WireExecute *m, Err *err)
{
    Portal *pt = namemap_get(&s->portals, m->portal_name);
    char before, tag[64];

    if (pt == NULL)
        return portal_missing(m->portal_name, err);
    if (pt->portal == NULL && pt->prep->command != NULL) {
        if (pt->is_done)
            return ERR_RAISE(err, ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
                             "portal \"%s\" cannot be run", m->portal_name);
        pt->is_done = true;
        return command_run(s, pt->prep->command, err);
    }
    if (pt->portal == NULL) {
        wire_put_empty_query_response(&s->out);
        return 0;
    }
    if (pt->is_done) {
        if (!sql_statement_returns_rows(sql_portal_statement(pt->portal)))
            return ERR_RAISE(err, ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
                             "portal \"%s\" cannot be run", m->portal_name);
        sql_portal_command_tag(pt->portal, 0, tag, sizeof tag);
        wire_put_command_complete(&s->out, tag);
        return 0;
    }
    before = sql_session_txn_status(s->sql);
    switch (run_portal(s, pt, m->max_rows, false, err)) {
    case -1:
        return -1;
    case 1:
        s->copy_script = NULL; /* COPY FROM STDIN (copy.c): no script to resume */
        return 0;
    default:
        after_statement(s, before); /* may free pt */
        return 0;
    }
}

static int
exec_close(Session *s, const WireClose *m, Err *err)
{
    if (m->what == 'S')
        prepared_unref(namemap_take(&s->statements, m->name));
    else if (m->what == 'P')
        portal_free(namemap_take(&s->portals, m->name));
    else
        return ERR_RAISE(err, ERRCODE_PROTOCOL_VIOLATION, "invalid CLOSE message subtype %d",
                         (int)m->what);
    wire_put_close_complete(&s->out);
    return 0;
}

static void
exec_sync(Session *s)
{
    sql_session_end_of_message(s->sql);
    if (sql_session_txn_status(s->sql) == 'I')
        query_drop_portals(s);
    session_send_notices(s);
    session_ready_for_query(s);
}

/* ---- Dispatch ------------------------------------------------------------------------ */

/*
 * PostgreSQL's error recovery: after a failed extended-query message, skip to
 * Sync; after any other, end the message with ReadyForQuery.
 */
static void
message_failed(Session *s, char type, Err *err)
{
    if (s->state == SESSION_CLOSING)
        return;
    session_report_error(s, err);
    if (s->state == SESSION_CLOSING)
        return;
    if (strchr("PBDECH", type) != NULL) {
        s->state = SESSION_SKIP_TO_SYNC;
        return;
    }
    sql_session_end_of_message(s->sql);
    if (sql_session_txn_status(s->sql) == 'I')
        query_drop_portals(s);
    session_ready_for_query(s);
}

void
query_dispatch(Session *s, char type, const uint8_t *body, size_t len)
{
    WireMsg m;
    Err err;
    int rc = 0;

    err_clear(&err);
    if (wire_decode_message(type, body, len, s->msg_arena, &m, &err) < 0) {
        message_failed(s, type, &err);
        return;
    }
    switch (type) {
    case WIRE_MSG_QUERY:
        exec_simple_query(s, m.u.query.sql);
        break;
    case WIRE_MSG_PARSE:
        rc = exec_parse(s, &m.u.parse, &err);
        break;
    case WIRE_MSG_BIND:
        rc = exec_bind(s, &m.u.bind, &err);
        break;
    case WIRE_MSG_DESCRIBE:
        rc = exec_describe(s, &m.u.describe, &err);
        break;
    case WIRE_MSG_EXECUTE:
        rc = exec_execute(s, &m.u.execute, &err);
        break;
    case WIRE_MSG_CLOSE:
        rc = exec_close(s, &m.u.close, &err);
        break;
    case WIRE_MSG_FLUSH:
        session_flush(s);
        break;
    case WIRE_MSG_SYNC:
        exec_sync(s);
        break;
    case WIRE_MSG_TERMINATE:
        s->state = SESSION_CLOSING;
        break;
    case WIRE_MSG_COPY_DATA:
    case WIRE_MSG_COPY_DONE:
    case WIRE_MSG_COPY_FAIL:
        break; /* outside COPY these are ignored, as PostgreSQL does */
    case WIRE_MSG_FUNCTION_CALL:
        rc = ERR_RAISE(&err, ERRCODE_FEATURE_NOT_SUPPORTED,
                       "fastpath function calls are not supported");
        break;
    default:
        rc = err_raise(&err, ERR_FATAL, ERRCODE_PROTOCOL_VIOLATION,
                       "invalid frontend message type %d", (int)(unsigned char)type);
        break;
    }
    if (rc < 0)
        message_failed(s, type, &err);
}
