/*
 * tests/unit/sql/sql_test_util.c — see sql_test_util.h.
 */
#include "sql_test_util.h"

#include <stdio.h>
#include <string.h>

/* per thread, so parallel sessions in the tests do not share results */
static _Thread_local char out[16384];
static _Thread_local char columns[2048];
static _Thread_local char tag[64];
static _Thread_local Err last_err;

SqlSession *
test_session(void)
{
    SqlSession *s = sql_session_create();
    Err err;

    err_clear(&err);
    if (sql_session_startup_param(s, "user", "postgres", &err) < 0 ||
        sql_session_startup_param(s, "database", "postgres", &err) < 0 ||
        sql_session_startup_done(s, &err) < 0)
        return NULL;
    sql_session_set_backend_pid(s, 4242);
    return s;
}

static void
describe(const SqlStatement *st)
{
    size_t used = 0;

    columns[0] = '\0';
    for (int c = 0; c < sql_statement_ncolumns(st) && used < sizeof columns; c++) {
        const SqlColumn *col = sql_statement_column(st, c);

        used += (size_t)snprintf(columns + used, sizeof columns - used, "%s%s:%u:%d", c ? "," : "",
                                 col->name, col->type_oid, col->typlen);
    }
}

/* Appends len bytes of text to out while it has room; beyond it rows are still counted. */
static void
append(size_t *used, int len, const char *text)
{
    if (*used < sizeof out)
        *used += (size_t)snprintf(out + *used, sizeof out - *used, "%.*s", len, text);
}

static int
collect(SqlSession *s, SqlPortal *p, const SqlStatement *st, Err *err)
{
    size_t used = 0;
    uint64_t n = 0;
    bool has;

    out[0] = '\0';
    while (sql_portal_fetch(s, p, &has, err) == 0 && has) {
        for (int c = 0; c < sql_statement_ncolumns(st); c++) {
            Buf b;
            bool isnull;

            buf_init(&b, 1 << 20);
            if (sql_portal_value(s, p, c, &b, &isnull, err) < 0) {
                buf_free(&b);
                return -1;
            }
            if (c > 0)
                append(&used, 1, "|");
            append(&used, isnull ? 6 : (int)b.len, isnull ? "<NULL>" : (char *)b.data);
            buf_free(&b);
        }
        append(&used, 1, "\n");
        n++;
    }
    if (used > sizeof out - 1)
        used = sizeof out - 1;
    if (used > 0 && out[used - 1] == '\n')
        out[used - 1] = '\0';
    sql_portal_command_tag(p, n, tag, sizeof tag);
    return err_is_set(err) ? -1 : 0;
}

static int
run_one(SqlSession *s, const SqlScript *sc, int i, Err *err)
{
    SqlStatement *st;
    SqlPortal *p;
    int rc;

    if (sql_prepare_simple(s, sc, i, &st, err) < 0)
        return -1;
    if (sql_bind(s, st, 0, NULL, NULL, &p, err) < 0) {
        sql_statement_destroy(st);
        return -1;
    }
    rc = sql_portal_execute(s, p, err);
    if (rc == 0) {
        describe(st);
        if (sql_statement_returns_rows(st))
            rc = collect(s, p, st, err);
        else {
            sql_portal_command_tag(p, 0, tag, sizeof tag);
            snprintf(out, sizeof out, "%s", tag);
        }
    }
    sql_portal_destroy(p);
    sql_statement_destroy(st);
    return rc;
}

const char *
run(SqlSession *s, const char *sql)
{
    SqlScript *sc = NULL;
    int rc = 0;

    err_clear(&last_err);
    snprintf(out, sizeof out, "(no statements)");
    if (sql_script_parse(s, sql, &sc, &last_err) == 0) {
        for (int i = 0; i < sql_script_count(sc) && rc == 0; i++)
            rc = run_one(s, sc, i, &last_err);
        sql_script_destroy(sc);
    } else {
        rc = -1;
    }
    if (rc < 0) {
        snprintf(out, sizeof out, "ERROR %s: %s @%d", last_err.sqlstate, last_err.message,
                 last_err.position);
        sql_session_statement_failed(s);
    }
    sql_session_end_of_message(s);
    return out;
}

const char *
run_columns(void)
{
    return columns;
}

const char *
run_tag(void)
{
    return tag;
}

const Err *
run_error(void)
{
    return &last_err;
}

const char *
take_notices(SqlSession *s)
{
    static _Thread_local char notes[4096];
    size_t used = 0;
    Err n;

    notes[0] = '\0';
    while (sql_session_take_notice(s, &n) && used < sizeof notes)
        used += (size_t)snprintf(notes + used, sizeof notes - used, "%s %s: %s;",
                                 err_level_name(n.level), n.sqlstate, n.message);
    return notes;
}
