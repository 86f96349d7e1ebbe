/*
 * wire/frame.c — framing, and the bounds-checked reader and writer the
 * decoders and encoders of wire/ are built from.
 *
 * Where this sits: server/ buffers bytes from a socket and asks
 * wire_frame_startup() (first packet) or wire_frame_message() (every packet
 * after) whether a whole frame is there; only then does it hand the frame to
 * a decoder (wire/frontend.c, wire/backend.c).
 *
 *     startup:  [int32 len incl. itself][int32 code][payload]         8..10000
 *     regular:  [byte type][int32 len incl. itself][payload]   1 + (4..max-1)
 *
 * Invariants:
 *   1. The length word is validated as soon as the header is buffered, before
 *      the rest of the frame arrives and before anyone allocates for it, so a
 *      client cannot make the server buffer more than the ceiling.
 *   2. Framing never reads past p + avail; with fewer bytes than a header it
 *      answers "need more" (0).
 *   3. Framing errors are FATAL 08P01: once a length is wrong the byte stream
 *      cannot be resynchronised, so the connection must end.
 *   4. WireReader reads never pass the end of the body (see wire_int.h).
 *   5. A message that did not fit is cut off again by wire_msg_end(): a failed
 *      Buf holds only whole messages (and stays failed until buf_reset()).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "wire/wire_int.h"

/* ---- Framing ----------------------------------------------------------- */

int
wire_frame_startup(const uint8_t *p, size_t avail, size_t *frame_len, Err *err)
{
    uint32_t len;

    if (avail < 4)
        return 0;
    len = buf_get_u32(p);
    if (len < 8 || len > WIRE_MAX_STARTUP_LEN)
        return ERR_RAISE_FATAL(err, ERRCODE_PROTOCOL_VIOLATION, "invalid length of startup packet");
    if (avail < len)
        return 0;
    *frame_len = len;
    return 1;
}

int
wire_frame_message(const uint8_t *p, size_t avail, size_t max_len, char *type, size_t *frame_len,
                   Err *err)
{
    uint32_t len;
    size_t total;

    if (avail < 5)
        return 0;
    len = buf_get_u32(p + 1);
    /* As PostgreSQL: the word is an int32, so anything >= 2^31 is negative. */
    if (len < 4 || len > (uint32_t)INT32_MAX)
        return ERR_RAISE_FATAL(err, ERRCODE_PROTOCOL_VIOLATION,
                               "invalid message length %d for message type %d", (int)(int32_t)len,
                               (int)p[0]);
    total = (size_t)len + 1;
    if (total > max_len)
        return ERR_RAISE_FATAL(err, ERRCODE_PROTOCOL_VIOLATION,
                               "message of %zu bytes exceeds the maximum of %zu", total, max_len);
    if (avail < total)
        return 0;
    *type = (char)p[0];
    *frame_len = total;
    return 1;
}

/* ---- Generic message writing -------------------------------------------- */

size_t
wire_msg_begin(Buf *b, char type)
{
    size_t mark = b->len;

    buf_put_u8(b, (uint8_t)type);
    buf_put_u32(b, 0); /* patched by wire_msg_end() */
    return mark;
}

void
wire_msg_end(Buf *b, size_t mark)
{
    size_t len;

    if (b->failed || mark > b->len || b->len - mark < 5) {
        b->failed = true;
        /* Drop the partial message, so the Buf holds only whole ones. */
        if (mark <= b->len)
            b->len = mark;
        return;
    }
    len = b->len - mark - 1;
    if (len > (size_t)INT32_MAX) {
        b->failed = true;
        b->len = mark;
        return;
    }
    buf_patch_u32(b, mark + 1, (uint32_t)len);
}

void
wire_write_fail(Buf *b)
{
    b->failed = true;
}

bool
wire_write_count(Buf *b, int n)
{
    if (n < 0 || n > WIRE_MAX_FIELDS) {
        b->failed = true;
        return false;
    }
    buf_put_u16(b, (uint16_t)n);
    return true;
}

void
wire_write_value(Buf *b, const WireParamValue *v)
{
    if (v->len == -1) {
        buf_put_u32(b, UINT32_MAX);
        return;
    }
    if (v->len < 0 || (v->len > 0 && v->data == NULL)) {
        b->failed = true;
        return;
    }
    buf_put_u32(b, (uint32_t)v->len);
    buf_append(b, v->data, (size_t)v->len);
}

int
wire_check_format(int16_t code, Err *err)
{
    if (code != WIRE_FORMAT_TEXT && code != WIRE_FORMAT_BINARY)
        return ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE, "unsupported format code: %d",
                         (int)code);
    return 0;
}

/* ---- Reading ------------------------------------------------------------- */

void
wire_reader_init(WireReader *r, const uint8_t *p, size_t len, const char *what, ErrLevel level,
                 Err *err)
{
    r->p = p;
    r->len = p == NULL ? 0 : len;
    r->off = 0;
    r->what = what;
    r->unit = "message";
    r->level = level;
    r->err = err;
}

int
wire_reader_fail(WireReader *r, const char *fmt, ...)
{
    char problem[256];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(problem, sizeof problem, fmt, ap);
    va_end(ap);
    return err_raise(r->err, r->level, ERRCODE_PROTOCOL_VIOLATION, "invalid %s %s: %s", r->what,
                     r->unit, problem);
}

size_t
wire_reader_left(const WireReader *r)
{
    return r->len - r->off;
}

static int
need(WireReader *r, size_t n)
{
    if (wire_reader_left(r) < n)
        return wire_reader_fail(r, "truncated at byte %zu (%zu more bytes needed)", r->off,
                                n - wire_reader_left(r));
    return 0;
}

int
wire_read_u8(WireReader *r, uint8_t *v)
{
    if (need(r, 1) < 0)
        return -1;
    *v = r->p[r->off];
    r->off += 1;
    return 0;
}

int
wire_read_i16(WireReader *r, int16_t *v)
{
    if (need(r, 2) < 0)
        return -1;
    *v = (int16_t)buf_get_u16(r->p + r->off);
    r->off += 2;
    return 0;
}

int
wire_read_u32(WireReader *r, uint32_t *v)
{
    if (need(r, 4) < 0)
        return -1;
    *v = buf_get_u32(r->p + r->off);
    r->off += 4;
    return 0;
}

int
wire_read_i32(WireReader *r, int32_t *v)
{
    uint32_t u;

    if (wire_read_u32(r, &u) < 0)
        return -1;
    *v = (int32_t)u;
    return 0;
}

int
wire_read_count(WireReader *r, size_t min_each, const char *noun, int *n)
{
    uint16_t c;

    if (need(r, 2) < 0)
        return -1;
    c = buf_get_u16(r->p + r->off);
    r->off += 2;
    if ((size_t)c * min_each > wire_reader_left(r))
        return wire_reader_fail(r, "%s count %u exceeds what the remaining %zu bytes hold", noun,
                                (unsigned)c, wire_reader_left(r));
    *n = c;
    return 0;
}

int
wire_read_cstr(WireReader *r, const char **s)
{
    const uint8_t *start = r->p + r->off;
    const uint8_t *nul;

    if (wire_reader_left(r) == 0)
        return wire_reader_fail(r, "string expected at byte %zu, message ends", r->off);
    nul = memchr(start, '\0', wire_reader_left(r));
    if (nul == NULL)
        return wire_reader_fail(r, "string at byte %zu is not terminated", r->off);
    *s = (const char *)start;
    r->off += (size_t)(nul - start) + 1;
    return 0;
}

int
wire_read_bytes(WireReader *r, size_t n, const uint8_t **p)
{
    if (need(r, n) < 0)
        return -1;
    *p = r->p + r->off;
    r->off += n;
    return 0;
}

int
wire_read_value(WireReader *r, const char *noun, int i, WireParamValue *v)
{
    int32_t len;

    if (wire_read_i32(r, &len) < 0)
        return -1;
    if (len == -1) {
        v->len = -1;
        v->data = NULL;
        return 0;
    }
    if (len < 0)
        return wire_reader_fail(r, "%s %d has invalid length %d", noun, i + 1, (int)len);
    if ((size_t)len > wire_reader_left(r))
        return wire_reader_fail(r, "%s %d of %d bytes exceeds the remaining %zu bytes", noun, i + 1,
                                (int)len, wire_reader_left(r));
    v->len = len;
    v->data = r->p + r->off;
    r->off += (size_t)len;
    return 0;
}

int
wire_read_end(WireReader *r)
{
    if (r->off != r->len)
        return wire_reader_fail(r, "%zu bytes of trailing data", wire_reader_left(r));
    return 0;
}

int
wire_read_formats(WireReader *r, Arena *a, const char *noun, int *n, int16_t **formats)
{
    if (wire_read_count(r, 2, noun, n) < 0)
        return -1;
    *formats = NULL;
    if (*n > 0)
        *formats = arena_alloc(a, (size_t)*n * sizeof **formats);
    for (int i = 0; i < *n; i++) {
        if (wire_read_i16(r, &(*formats)[i]) < 0)
            return -1;
    }
    return 0;
}

int
wire_read_values(WireReader *r, Arena *a, const char *noun, int *n, WireParamValue **values)
{
    if (wire_read_count(r, 4, noun, n) < 0)
        return -1;
    *values = NULL;
    if (*n > 0)
        *values = arena_alloc(a, (size_t)*n * sizeof **values);
    for (int i = 0; i < *n; i++) {
        if (wire_read_value(r, noun, i, &(*values)[i]) < 0)
            return -1;
    }
    return 0;
}

/* ---- Names --------------------------------------------------------------- */

const char *
wire_frontend_message_name(char type)
{
    switch (type) {
    case WIRE_MSG_QUERY:
        return "Query";
    case WIRE_MSG_PARSE:
        return "Parse";
    case WIRE_MSG_BIND:
        return "Bind";
    case WIRE_MSG_DESCRIBE:
        return "Describe";
    case WIRE_MSG_EXECUTE:
        return "Execute";
    case WIRE_MSG_SYNC:
        return "Sync";
    case WIRE_MSG_FLUSH:
        return "Flush";
    case WIRE_MSG_CLOSE:
        return "Close";
    case WIRE_MSG_TERMINATE:
        return "Terminate";
    case WIRE_MSG_COPY_DATA:
        return "CopyData";
    case WIRE_MSG_COPY_DONE:
        return "CopyDone";
    case WIRE_MSG_COPY_FAIL:
        return "CopyFail";
    case WIRE_MSG_PASSWORD:
        return "PasswordMessage";
    case WIRE_MSG_FUNCTION_CALL:
        return "FunctionCall";
    default:
        return NULL;
    }
}

const char *
wire_backend_message_name(char type)
{
    switch (type) {
    case 'R':
        return "Authentication";
    case 'S':
        return "ParameterStatus";
    case 'K':
        return "BackendKeyData";
    case 'Z':
        return "ReadyForQuery";
    case 'T':
        return "RowDescription";
    case 'D':
        return "DataRow";
    case 'C':
        return "CommandComplete";
    case 'I':
        return "EmptyQueryResponse";
    case '1':
        return "ParseComplete";
    case '2':
        return "BindComplete";
    case '3':
        return "CloseComplete";
    case 'n':
        return "NoData";
    case 's':
        return "PortalSuspended";
    case 't':
        return "ParameterDescription";
    case 'E':
        return "ErrorResponse";
    case 'N':
        return "NoticeResponse";
    case 'G':
        return "CopyInResponse";
    case 'H':
        return "CopyOutResponse";
    case 'd':
        return "CopyData";
    case 'c':
        return "CopyDone";
    case 'A':
        return "NotificationResponse";
    case 'v':
        return "NegotiateProtocolVersion";
    default:
        return NULL;
    }
}
