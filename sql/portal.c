/*
 * sql/portal.c — prepared statements and portals: the sql.h API from
 * sql_prepare() to sql_portal_command_tag().
 *
 * Pipeline position: the server's entry into sql/ once a script is parsed.
 *   sql_prepare   → binder (sql/binder.c): a typed, bound statement
 *   sql_bind      → parameter values converted from text/binary: a portal
 *   sql_portal_execute → runs once: SELECT rows are computed into the
 *                   portal's arena (expression evaluator), utility statements
 *                   act on the session (sql/utility.c)
 *   sql_portal_fetch / sql_portal_value → the rows, formatted per column
 *
 * Invariants:
 *   1. A portal's memory (parameters, rows, formatted values' sources) lives
 *      in its own arena and dies with sql_portal_destroy().
 *   2. A statement runs at its first sql_portal_execute() only (sql.h,
 *      invariant 3); a failure leaves the portal executed with no rows.
 *   3. In a failed transaction block only COMMIT/ROLLBACK pass prepare,
 *      bind and execute (25P02 otherwise).
 */
#include <stdio.h>
#include <string.h>

#include "common/clock.h"
#include "common/errcodes.h"
#include "sql/plan.h"
#include "sql/sql_int.h"
#include "sql/table.h"

struct SqlPortal {
    Arena *arena;
    SqlStatement *stmt;
    int16_t *formats; /* one per column */
    Value *params;
    int nparams;
    bool executed;
    const char *tag;
    Value *rows; /* nrows × stride */
    int nrows;
    int stride; /* Values per row: ncols, or the plan's width (ORDER BY columns follow) */
    int cur; /* index of the current row, -1 before the first fetch */
    const TypeIoCtx *io; /* the output settings, read again at each row's first column */
};

/* ---- statements -------------------------------------------------------------------- */

int
sql_prepare(SqlSession *s, const SqlScript *script, int index, const Oid *param_types,
            int nparam_types, SqlStatement **out, Err *err)
{
    session_mark_statement(s);
    return binder_prepare(s, script, index, param_types, nparam_types, false, out, err);
}

int
sql_prepare_simple(SqlSession *s, const SqlScript *script, int index, SqlStatement **out, Err *err)
{
    session_mark_statement(s);
    return binder_prepare(s, script, index, NULL, 0, true, out, err);
}

void
sql_statement_destroy(SqlStatement *stmt)
{
    if (stmt != NULL)
        arena_destroy(stmt->arena);
}

int
sql_statement_nparams(const SqlStatement *stmt)
{
    return stmt->nparams;
}

Oid
sql_statement_param_type(const SqlStatement *stmt, int i)
{
    return i >= 0 && i < stmt->nparams ? stmt->param_types[i] : TYPE_INVALID;
}

bool
sql_statement_returns_rows(const SqlStatement *stmt)
{
    return stmt->kind == STMT_SELECT || stmt->kind == STMT_SHOW || stmt->kind == STMT_SHOW_ALL ||
           stmt->kind == STMT_SHOW_RELATIONS || (stmt->kind == STMT_INSERT && stmt->ncols > 0) ||
           (stmt->kind == STMT_SYSTEM && stmt->ncols > 0);
}

int
sql_statement_ncolumns(const SqlStatement *stmt)
{
    return sql_statement_returns_rows(stmt) ? stmt->ncols : 0;
}

const SqlColumn *
sql_statement_column(const SqlStatement *stmt, int i)
{
    return i >= 0 && i < sql_statement_ncolumns(stmt) ? &stmt->cols[i] : NULL;
}

const char *
sql_statement_text(const SqlStatement *stmt)
{
    return stmt->text;
}

static bool
exits_transaction(const SqlStatement *stmt)
{
    return stmt->kind == STMT_COMMIT || stmt->kind == STMT_ROLLBACK;
}

static int
check_not_failed(SqlSession *s, const SqlStatement *stmt, Err *err)
{
    if (session_txn_state(s) == TXN_FAILED && !exits_transaction(stmt))
        return ERR_RAISE(err, ERRCODE_IN_FAILED_SQL_TRANSACTION,
                         "current transaction is aborted, commands ignored until end of "
                         "transaction block");
    return 0;
}

/* ---- binding parameters ------------------------------------------------------------- */

static int
convert_param(SqlSession *s, SqlPortal *p, int i, const SqlParam *param, Err *err)
{
    const TypeInfo *t = type_by_oid(p->stmt->param_types[i]);
    Value *v = &p->params[i];
    Err local;
    int rc;

    if (param->len < 0 || param->data == NULL) {
        *v = (Value){0, true};
        return 0;
    }
    v->isnull = false;
    err_clear(&local);
    if (param->format == 0) {
        char *copy = arena_strndup(p->arena, (const char *)param->data, (size_t)param->len);

        rc = text_verify_utf8((const char *)param->data, (size_t)param->len, &local);
        if (rc == 0 &&
            t->in(copy, (size_t)param->len, -1, session_io(s), p->arena, &v->d, &local) < 0) {
            /* PostgreSQL names the value only as '...' unless log_parameter_max_length_on_error */
            err_context(&local, "unnamed portal parameter $%d = '...'", i + 1);
            rc = -1;
        }
    } else if (param->format == 1) {
        rc = t->recv(param->data, (size_t)param->len, -1, p->arena, &v->d, &local);
        if (rc < 0 && strcmp(local.sqlstate, ERRCODE_INVALID_BINARY_REPRESENTATION) == 0)
            snprintf(local.message, sizeof local.message,
                     "incorrect binary data format in bind parameter %d", i + 1);
    } else {
        return ERR_RAISE(err, ERRCODE_PROTOCOL_VIOLATION, "unsupported format code: %d",
                         param->format);
    }
    if (rc < 0) {
        if (local.context[0] == '\0')
            err_context(&local, "unnamed portal parameter $%d", i + 1);
        err_copy(err, &local);
        return -1;
    }
    return 0;
}

int
sql_bind(SqlSession *s, SqlStatement *stmt, int nparams, const SqlParam *params,
         const int16_t *result_formats, SqlPortal **out, Err *err)
{
    SqlPortal *p;
    Arena *arena;
    int ncols = sql_statement_ncolumns(stmt);

    *out = NULL;
    if (check_not_failed(s, stmt, err) < 0)
        return -1;
    session_mark_statement(s);
    if (nparams != stmt->nparams)
        return ERR_RAISE(err, ERRCODE_PROTOCOL_VIOLATION,
                         "bind message supplies %d parameters, but prepared statement \"\" "
                         "requires %d",
                         nparams, stmt->nparams);
    for (int c = 0; result_formats != NULL && c < ncols; c++) {
        if (result_formats[c] != 0 && result_formats[c] != 1)
            return ERR_RAISE(err, ERRCODE_PROTOCOL_VIOLATION, "unsupported format code: %d",
                             result_formats[c]);
    }
    arena = arena_create("portal", 0);
    p = arena_calloc(arena, 1, sizeof *p);
    p->arena = arena;
    p->stmt = stmt;
    p->cur = -1;
    p->nparams = nparams;
    p->params = arena_calloc(arena, (size_t)(nparams ? nparams : 1), sizeof(Value));
    p->formats = arena_calloc(arena, (size_t)(ncols ? ncols : 1), sizeof(int16_t));
    for (int c = 0; result_formats != NULL && c < ncols; c++)
        p->formats[c] = result_formats[c];
    for (int i = 0; i < nparams; i++) {
        if (convert_param(s, p, i, &params[i], err) < 0) {
            arena_destroy(arena);
            return -1;
        }
    }
    *out = p;
    return 0;
}

void
sql_portal_destroy(SqlPortal *portal)
{
    if (portal != NULL)
        arena_destroy(portal->arena);
}

SqlStatement *
sql_portal_statement(const SqlPortal *portal)
{
    return portal->stmt;
}

int16_t
sql_portal_format(const SqlPortal *portal, int col)
{
    return col >= 0 && col < sql_statement_ncolumns(portal->stmt) ? portal->formats[col] : 0;
}

/* ---- running a SELECT ------------------------------------------------------------------ */

/* LIMIT / OFFSET value: -1 for "none" (NULL or absent). */
static int
eval_count(const Expr *e, EvalCtx *ctx, const char *what, const char *code, int64_t *out, Err *err)
{
    Datum d;
    bool isnull;

    *out = -1;
    if (e == NULL)
        return 0;
    if (expr_eval(e, ctx, &d, &isnull, err) < 0)
        return -1;
    if (isnull)
        return 0;
    if (datum_get_int64(d) < 0)
        return ERR_RAISE(err, code, "%s must not be negative", what);
    *out = datum_get_int64(d);
    return 0;
}

static int
eval_row(const SqlStatement *st, int r, EvalCtx *ctx, Value *out, bool *keep, Err *err)
{
    *keep = true;
    if (st->where != NULL) {
        Datum d;
        bool isnull;

        if (expr_eval(st->where, ctx, &d, &isnull, err) < 0)
            return -1;
        *keep = !isnull && datum_get_bool(d);
        if (!*keep)
            return 0;
    }
    for (int c = 0; c < st->ncols; c++) {
        if (expr_eval(st->rows[r][c], ctx, &out[c].d, &out[c].isnull, err) < 0)
            return -1;
    }
    return 0;
}

static void
init_eval(SqlSession *s, SqlPortal *p, EvalCtx *ctx)
{
    int64_t timeout_ms = guc_get_int(session_guc(s), "statement_timeout");

    ctx->session = s;
    ctx->arena = p->arena;
    ctx->io = session_io(s);
    ctx->params = p->params;
    ctx->nparams = p->nparams;
    ctx->interrupt = session_interrupt(s);
    ctx->deadline_ns = timeout_ms > 0 ? clock_monotonic_ns() + timeout_ms * 1000000 : 0;
}

/* A statement with a plan runs through the executor hook (stream/'s one-shot runner). */
static int
run_plan(SqlSession *s, SqlPortal *p, Err *err)
{
    SqlExecutorFn run = sql_executor();
    EvalCtx ctx = {0};
    int64_t nrows = 0;

    if (run == NULL)
        return ERR_RAISE(err, ERRCODE_FEATURE_NOT_SUPPORTED, "no query executor is installed");
    init_eval(s, p, &ctx);
    p->stride = p->stmt->plan->ncols;
    if (expr_check_interrupts(&ctx, err) < 0 ||
        run(p->stmt->plan, &ctx, p->arena, &p->rows, &nrows, err) < 0)
        return -1;
    if (nrows > INT32_MAX)
        return ERR_RAISE(err, ERRCODE_PROGRAM_LIMIT_EXCEEDED, "too many result rows");
    p->nrows = (int)nrows;
    return 0;
}

static int
run_select(SqlSession *s, SqlPortal *p, Err *err)
{
    const SqlStatement *st = p->stmt;
    EvalCtx ctx = {0};
    int64_t limit, offset, seen = 0;
    int ncols = st->ncols;

    if (st->plan != NULL)
        return run_plan(s, p, err);
    init_eval(s, p, &ctx);
    p->stride = ncols;
    if (expr_check_interrupts(&ctx, err) < 0 ||
        eval_count(st->limit, &ctx, "LIMIT", ERRCODE_INVALID_ROW_COUNT_IN_LIMIT_CLAUSE, &limit,
                   err) < 0 ||
        eval_count(st->offset, &ctx, "OFFSET", ERRCODE_INVALID_ROW_COUNT_IN_RESULT_OFFSET_CLAUSE,
                   &offset, err) < 0)
        return -1;
    if (offset < 0)
        offset = 0;
    p->rows =
        arena_alloc(p->arena, sizeof(Value) * (size_t)(ncols ? ncols : 1) * (size_t)st->nrows);
    for (int r = 0; r < st->nrows && (limit < 0 || p->nrows < limit); r++) {
        Value *row = &p->rows[(size_t)p->nrows * (size_t)ncols];
        bool keep;

        if ((r % 1024 == 1023 && expr_check_interrupts(&ctx, err) < 0) ||
            eval_row(st, r, &ctx, row, &keep, err) < 0)
            return -1;
        if (keep && seen++ >= offset)
            p->nrows++;
    }
    return 0;
}

int
sql_portal_execute(SqlSession *s, SqlPortal *portal, Err *err)
{
    if (portal->executed)
        return 0;
    portal->executed = true;
    portal->tag = portal->stmt->tag;
    if (check_not_failed(s, portal->stmt, err) < 0)
        return -1;
    if (portal->stmt->kind == STMT_SELECT)
        return run_select(s, portal, err);
    if (portal->stmt->kind == STMT_COPY)
        return 0; /* COPY FROM STDIN: the server drives it (sql/copy.h) */
    if (portal->stmt->table != NULL) {
        /* CREATE TABLE / DROP TABLE / INSERT / SHOW TABLES: sql/table_exec.c */
        EvalCtx ctx = {0};

        init_eval(s, portal, &ctx);
        portal->stride = portal->stmt->ncols;
        return table_execute(s, portal->stmt, &ctx, &portal->rows, &portal->nrows, &portal->tag,
                             err);
    }
    portal->stride = portal->stmt->ncols;
    return utility_execute(s, portal->stmt, portal->arena, &portal->rows, &portal->nrows,
                           &portal->tag, err);
}

int
sql_portal_fetch(SqlSession *s, SqlPortal *portal, bool *has_row, Err *err)
{
    (void)s;
    if (!portal->executed || !sql_statement_returns_rows(portal->stmt))
        return ERR_RAISE(err, ERRCODE_INTERNAL_ERROR, "portal has no rows to fetch");
    if (portal->cur < portal->nrows)
        portal->cur++;
    *has_row = portal->cur < portal->nrows;
    return 0;
}

int
sql_portal_value(SqlSession *s, SqlPortal *portal, int col, Buf *out, bool *is_null, Err *err)
{
    const SqlStatement *st = portal->stmt;
    const TypeInfo *t;
    const Value *v;

    if (portal->cur < 0 || portal->cur >= portal->nrows || col < 0 || col >= st->ncols)
        return ERR_RAISE(err, ERRCODE_INTERNAL_ERROR, "no current row or column %d", col);
    v = &portal->rows[(size_t)portal->cur * (size_t)portal->stride + (size_t)col];
    *is_null = v->isnull;
    if (v->isnull)
        return 0;
    t = type_by_oid(st->cols[col].type_oid);
    if (portal->formats[col] == 1)
        t->send(v->d, st->cols[col].typmod, out);
    else {
        /* the settings are read once per row (session_io looks up five GUCs by name) */
        if (col == 0 || portal->io == NULL)
            portal->io = session_io(s);
        t->out(v->d, st->cols[col].typmod, portal->io, out);
    }
    return 0;
}

void
sql_portal_command_tag(const SqlPortal *portal, uint64_t rows, char *buf, size_t cap)
{
    const char *tag = portal->tag != NULL ? portal->tag : portal->stmt->tag;

    if (portal->stmt->kind == STMT_SELECT)
        snprintf(buf, cap, "SELECT %llu", (unsigned long long)rows);
    else
        snprintf(buf, cap, "%s", tag);
}
