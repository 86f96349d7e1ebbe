/*
 * server/copy.c — the COPY sub-protocol (sql/copy.h does the data).
 *
 * COPY ... TO STDOUT runs inside run_portal: CopyOutResponse, one CopyData
 * per row (the header line first if asked), CopyDone, "COPY n".
 *
 * COPY ... FROM STDIN leaves the message loop in SESSION_COPY_IN:
 *
 *   READY ──Query/Execute of COPY FROM──▶ CopyInResponse ──▶ COPY_IN
 *   COPY_IN ──CopyData──▶ parsed as it comes (sql_copy_in_data)
 *           ──Flush/Sync──▶ ignored (libpq sends Sync right after Execute
 *                           and another after CopyDone, as the protocol says)
 *           ──CopyDone──▶ one durable append, "COPY n" ──▶ READY
 *           ──CopyFail──▶ 57014 "COPY from stdin failed: ..." ──▶ READY
 *           ──other──▶ 08P01 unexpected message type ──▶ READY
 *   any error ──▶ ErrorResponse, nothing appended; a simple Query then ends
 *                 with ReadyForQuery (CopyData still in flight is ignored by
 *                 query_dispatch), an extended one skips to Sync.
 *
 * A simple Query whose script goes on after the COPY resumes at the next
 * statement once the COPY ended well (server/query.c keeps the script in
 * s->copy_script).
 *
 * Invariants:
 *   1. s->copy_in is non-NULL exactly while s->state is SESSION_COPY_IN.
 *   2. Leaving COPY_IN always destroys s->copy_in (sql/copy.h invariant 1:
 *      a COPY not ended by CopyDone appended nothing).
 */
#include <stdio.h>
#include <string.h>

#include "common/errcodes.h"
#include "server/server_int.h"
#include "sql/copy.h"

static void
put_copy_data(Session *s, Buf *line)
{
    wire_put_copy_data(&s->out, line->data, line->len);
    buf_reset(line);
}

static int
copy_out(Session *s, Portal *pt, Err *err)
{
    SqlPortal *sp = pt->portal;
    const SqlStatement *st = sql_portal_statement(sp);
    int ncols = sql_statement_ncolumns(st);
    int16_t *formats = arena_calloc(s->msg_arena, (size_t)(ncols ? ncols : 1), sizeof(int16_t));
    uint64_t rows = 0;
    bool has_row;
    char tag[64];
    Buf line;

    buf_init(&line, BUF_DEFAULT_MAX);
    wire_put_copy_out_response(&s->out, 0, ncols, formats);
    sql_copy_out_header(st, &line);
    if (line.len > 0)
        put_copy_data(s, &line);
    for (;;) {
        if (sql_portal_fetch(s->sql, sp, &has_row, err) < 0)
            goto fail;
        if (!has_row)
            break;
        if (sql_copy_out_row(s->sql, sp, &line, err) < 0)
            goto fail;
        put_copy_data(s, &line);
        rows++;
        if (s->out.len >= SESSION_OUT_HIGH_WATER && session_flush(s) < 0)
            goto fail;
    }
    buf_free(&line);
    pt->is_done = true;
    wire_put_copy_done(&s->out);
    snprintf(tag, sizeof tag, "COPY %llu", (unsigned long long)rows);
    wire_put_command_complete(&s->out, tag);
    return 0;
fail:
    /* PostgreSQL ends the COPY OUT with the ErrorResponse itself */
    buf_free(&line);
    pt->is_done = true;
    return -1;
}

static void
copy_abandon_in(Session *s)
{
    sql_copy_in_destroy(s->copy_in);
    s->copy_in = NULL;
}

int
copy_start(Session *s, Portal *pt, Err *err)
{
    const SqlStatement *st = sql_portal_statement(pt->portal);
    SqlCopyIn *ci;
    int16_t *formats;
    int n;

    if (sql_statement_copy(st) == SQL_COPY_TO_STDOUT)
        return copy_out(s, pt, err);
    pt->is_done = true;
    if (sql_copy_in_begin(s->sql, st, &ci, err) < 0)
        return -1;
    n = sql_copy_in_nfields(ci);
    formats = arena_calloc(s->msg_arena, (size_t)(n ? n : 1), sizeof(int16_t));
    wire_put_copy_in_response(&s->out, 0, n, formats);
    s->copy_in = ci;
    s->state = SESSION_COPY_IN;
    if (session_flush(s) < 0) {
        /* the peer is gone (state CLOSING): nothing more runs or is sent */
        copy_abandon_in(s);
        return ERR_RAISE(err, ERRCODE_CONNECTION_FAILURE, "connection lost during COPY");
    }
    return 1;
}

/* Leaves COPY_IN: after "COPY n" (err NULL) or with the error. */
static void
copy_end(Session *s, Err *err)
{
    sql_copy_in_destroy(s->copy_in);
    s->copy_in = NULL;
    s->state = SESSION_READY;
    if (err != NULL) {
        session_report_error(s, err);
        if (s->state == SESSION_CLOSING)
            return;
        if (s->copy_script == NULL) {
            s->state = SESSION_SKIP_TO_SYNC; /* extended protocol */
            return;
        }
        query_resume_script(s, -1); /* the rest of the script is not run */
        return;
    }
    if (s->copy_script != NULL)
        query_resume_script(s, s->copy_next);
}

void
copy_in_message(Session *s, char type, const uint8_t *body, size_t len)
{
    WireMsg m;
    Err err;
    uint64_t n;
    char tag[64];

    err_clear(&err);
    switch (type) {
    case WIRE_MSG_COPY_DATA:
        if (sql_copy_in_data(s->copy_in, body, len, &err) < 0)
            copy_end(s, &err);
        return;
    case WIRE_MSG_COPY_DONE:
        if (sql_copy_in_end(s->copy_in, &n, &err) < 0) {
            copy_end(s, &err);
            return;
        }
        snprintf(tag, sizeof tag, "COPY %llu", (unsigned long long)n);
        wire_put_command_complete(&s->out, tag);
        copy_end(s, NULL);
        return;
    case WIRE_MSG_COPY_FAIL:
        if (wire_decode_message(type, body, len, s->msg_arena, &m, &err) == 0)
            ERR_RAISE(&err, ERRCODE_QUERY_CANCELED, "COPY from stdin failed: %s",
                      m.u.copy_fail.message);
        sql_copy_in_context(s->copy_in, &err);
        copy_end(s, &err);
        return;
    case WIRE_MSG_FLUSH:
    case WIRE_MSG_SYNC:
        return;
    case WIRE_MSG_TERMINATE:
        sql_copy_in_destroy(s->copy_in);
        s->copy_in = NULL;
        s->state = SESSION_CLOSING;
        return;
    default:
        ERR_RAISE(&err, ERRCODE_PROTOCOL_VIOLATION,
                  "unexpected message type 0x%02X during COPY from stdin",
                  (unsigned)(unsigned char)type);
        sql_copy_in_context(s->copy_in, &err);
        copy_end(s, &err);
        return;
    }
}

void
copy_abandon(Session *s)
{
    sql_copy_in_destroy(s->copy_in);
    s->copy_in = NULL;
    if (s->copy_script != NULL)
        sql_script_destroy(s->copy_script);
    s->copy_script = NULL;
}
