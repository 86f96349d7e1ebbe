/*
 * wire/frontend.c — the messages a client sends: decoding them (the server's
 * side) and encoding them (tests, benchmarks, the fuzz harness).
 *
 * Input here is hostile: it comes straight from the network, already cut to
 * one frame by wire/frame.c. Every decoder is a sequence of bounds-checked
 * WireReader reads ending with wire_read_end(), so a message is accepted only
 * if it has exactly the layout PostgreSQL's backend would accept:
 *
 *     StartupMessage  int32 len, int32 3.x, (name\0 value\0)*, \0
 *     Query           sql\0
 *     Parse           name\0 query\0 int16 n, int32 oid * n
 *     Bind            portal\0 stmt\0 int16 nf, int16 fmt * nf,
 *                     int16 np, (int32 len (-1 NULL), bytes) * np,
 *                     int16 nr, int16 fmt * nr
 *     Describe/Close  byte 'S'|'P', name\0
 *     Execute         portal\0 int32 max_rows
 *     FunctionCall    int32 oid, int16 nf, fmt * nf, int16 na, values * na, int16 fmt
 *     CopyFail        message\0
 *     CopyData, PasswordMessage   raw bytes
 *     Sync, Flush, Terminate, CopyDone   empty
 *
 * Invariants:
 *   1. Strings and parameter values point into the caller's frame; only arrays
 *      come from the arena, and only after wire_read_count() proved that the
 *      remaining bytes can hold them (so arena use <= a small multiple of len).
 *   2. Startup-phase failures are FATAL, regular-message failures ERROR,
 *      an unknown type byte FATAL (PostgreSQL's "invalid frontend message type").
 *   3. Every encoder writes exactly what the matching decoder accepts, so
 *      decode(encode(m)) == m for every m an encoder can express.
 */
#include <string.h>

#include "wire/wire_int.h"

/* ---- Startup packet ----------------------------------------------------- */

/*
 * Protocol 3.x parameters: pairs until an empty name, which must be the last
 * byte. First pass counts (so the arrays are sized exactly), second fills.
 */
static int
decode_startup_params(WireReader *r, Arena *a, WireStartup *out)
{
    size_t start = r->off;
    const char *name, *value;
    int n = 0;

    for (;;) {
        if (wire_reader_left(r) == 0)
            return wire_reader_fail(r, "expected terminator as last byte");
        if (r->p[r->off] == '\0') {
            r->off++;
            break;
        }
        if (wire_read_cstr(r, &name) < 0)
            return -1;
        if (wire_reader_left(r) == 0)
            return wire_reader_fail(r, "missing value for parameter %d", n + 1);
        if (wire_read_cstr(r, &value) < 0)
            return -1;
        n++;
    }
    if (wire_read_end(r) < 0)
        return -1;
    out->nparams = n;
    if (n == 0)
        return 0;
    /* Each pair took at least 3 bytes of a <= 10000-byte packet. */
    out->names = arena_alloc(a, (size_t)n * sizeof *out->names);
    out->values = arena_alloc(a, (size_t)n * sizeof *out->values);
    r->off = start;
    for (int i = 0; i < n; i++) {
        if (wire_read_cstr(r, &out->names[i]) < 0 || wire_read_cstr(r, &out->values[i]) < 0)
            return -1; /* cannot happen: the first pass read the same bytes */
    }
    return 0;
}

static int
check_fixed_length(const char *what, size_t frame_len, size_t want, Err *err)
{
    if (frame_len != want)
        return ERR_RAISE_FATAL(err, ERRCODE_PROTOCOL_VIOLATION,
                               "invalid length of %s packet: %zu bytes, expected %zu", what,
                               frame_len, want);
    return 0;
}

int
wire_decode_startup(const uint8_t *frame, size_t frame_len, Arena *a, WireStartup *out, Err *err)
{
    WireReader r;
    uint32_t len, code;

    memset(out, 0, sizeof *out);
    if (frame == NULL || frame_len < 8 || frame_len > WIRE_MAX_STARTUP_LEN)
        return ERR_RAISE_FATAL(err, ERRCODE_PROTOCOL_VIOLATION, "invalid length of startup packet");
    len = buf_get_u32(frame);
    if (len != frame_len)
        return ERR_RAISE_FATAL(err, ERRCODE_PROTOCOL_VIOLATION, "invalid length of startup packet");
    code = buf_get_u32(frame + 4);
    switch (code) {
    case WIRE_SSL_REQUEST_CODE:
        out->kind = WIRE_STARTUP_SSL;
        return check_fixed_length("SSLRequest", frame_len, 8, err);
    case WIRE_GSSENC_REQUEST_CODE:
        out->kind = WIRE_STARTUP_GSSENC;
        return check_fixed_length("GSSENCRequest", frame_len, 8, err);
    case WIRE_CANCEL_REQUEST_CODE:
        out->kind = WIRE_STARTUP_CANCEL;
        if (check_fixed_length("CancelRequest", frame_len, 16, err) < 0)
            return -1;
        out->cancel_pid = (int32_t)buf_get_u32(frame + 8);
        out->cancel_key = (int32_t)buf_get_u32(frame + 12);
        return 0;
    default:
        break;
    }
    out->kind = WIRE_STARTUP_NORMAL;
    out->protocol = code;
    /* Another major version: its layout is unknown, the caller answers 0A000. */
    if (code >> 16 != 3)
        return 0;
    wire_reader_init(&r, frame + 8, frame_len - 8, "startup", ERR_FATAL, err);
    r.unit = "packet";
    return decode_startup_params(&r, a, out);
}

/* ---- Regular messages ---------------------------------------------------- */

static int
decode_parse(WireReader *r, Arena *a, WireParse *m)
{
    if (wire_read_cstr(r, &m->stmt_name) < 0 || wire_read_cstr(r, &m->query) < 0 ||
        wire_read_count(r, 4, "parameter type", &m->nparam_types) < 0)
        return -1;
    m->param_types = NULL;
    if (m->nparam_types > 0)
        m->param_types = arena_alloc(a, (size_t)m->nparam_types * sizeof *m->param_types);
    for (int i = 0; i < m->nparam_types; i++) {
        if (wire_read_u32(r, &m->param_types[i]) < 0)
            return -1;
    }
    return wire_read_end(r);
}

static int
check_formats(int n, const int16_t *formats, Err *err)
{
    for (int i = 0; i < n; i++) {
        if (wire_check_format(formats[i], err) < 0)
            return -1;
    }
    return 0;
}

static int
decode_bind(WireReader *r, Arena *a, WireBind *m)
{
    if (wire_read_cstr(r, &m->portal_name) < 0 || wire_read_cstr(r, &m->stmt_name) < 0 ||
        wire_read_formats(r, a, "parameter format", &m->nparam_formats, &m->param_formats) < 0 ||
        wire_read_values(r, a, "parameter", &m->nparams, &m->params) < 0 ||
        wire_read_formats(r, a, "result format", &m->nresult_formats, &m->result_formats) < 0 ||
        wire_read_end(r) < 0)
        return -1;
    /* The layout is sound; now what PostgreSQL checks about its content. */
    if (m->nparam_formats > 1 && m->nparam_formats != m->nparams)
        return ERR_RAISE(r->err, ERRCODE_PROTOCOL_VIOLATION,
                         "bind message has %d parameter formats but %d parameters",
                         m->nparam_formats, m->nparams);
    if (check_formats(m->nparam_formats, m->param_formats, r->err) < 0 ||
        check_formats(m->nresult_formats, m->result_formats, r->err) < 0)
        return -1;
    return 0;
}

static int
decode_function_call(WireReader *r, Arena *a, WireFunctionCall *m)
{
    if (wire_read_u32(r, &m->function_oid) < 0 ||
        wire_read_formats(r, a, "argument format", &m->narg_formats, &m->arg_formats) < 0 ||
        wire_read_values(r, a, "argument", &m->nargs, &m->args) < 0 ||
        wire_read_i16(r, &m->result_format) < 0 || wire_read_end(r) < 0)
        return -1;
    if (m->narg_formats > 1 && m->narg_formats != m->nargs)
        return ERR_RAISE(r->err, ERRCODE_PROTOCOL_VIOLATION,
                         "function call message contains %d argument formats but %d arguments",
                         m->narg_formats, m->nargs);
    if (check_formats(m->narg_formats, m->arg_formats, r->err) < 0 ||
        wire_check_format(m->result_format, r->err) < 0)
        return -1;
    return 0;
}

/* Describe and Close share a layout: 'S' or 'P', then a name. */
static int
decode_target(WireReader *r, const char *pg_name, char *what, const char **name)
{
    uint8_t c;

    if (wire_read_u8(r, &c) < 0)
        return -1;
    if (c != 'S' && c != 'P')
        return ERR_RAISE(r->err, ERRCODE_PROTOCOL_VIOLATION, "invalid %s message subtype %d",
                         pg_name, (int)c);
    *what = (char)c;
    if (wire_read_cstr(r, name) < 0)
        return -1;
    return wire_read_end(r);
}

static int
decode_execute(WireReader *r, WireExecute *m)
{
    if (wire_read_cstr(r, &m->portal_name) < 0 || wire_read_i32(r, &m->max_rows) < 0)
        return -1;
    if (m->max_rows < 0)
        m->max_rows = 0; /* PostgreSQL: max_rows <= 0 fetches all */
    return wire_read_end(r);
}

/* A body that is exactly one string: Query, CopyFail. */
static int
decode_string(WireReader *r, const char **s)
{
    if (wire_read_cstr(r, s) < 0)
        return -1;
    return wire_read_end(r);
}

static void
take_raw(const uint8_t *body, size_t len, WireBytes *out)
{
    out->data = body;
    out->len = body == NULL ? 0 : len;
}

int
wire_decode_message(char type, const uint8_t *body, size_t len, Arena *a, WireMsg *out, Err *err)
{
    const char *name = wire_frontend_message_name(type);
    WireReader r;

    memset(out, 0, sizeof *out);
    out->type = type;
    if (name == NULL)
        return ERR_RAISE_FATAL(err, ERRCODE_PROTOCOL_VIOLATION, "invalid frontend message type %d",
                               (int)(unsigned char)type);
    wire_reader_init(&r, body, len, name, ERR_ERROR, err);
    switch (type) {
    case WIRE_MSG_QUERY:
        return decode_string(&r, &out->u.query.sql);
    case WIRE_MSG_PARSE:
        return decode_parse(&r, a, &out->u.parse);
    case WIRE_MSG_BIND:
        return decode_bind(&r, a, &out->u.bind);
    case WIRE_MSG_DESCRIBE:
        return decode_target(&r, "DESCRIBE", &out->u.describe.what, &out->u.describe.name);
    case WIRE_MSG_CLOSE:
        return decode_target(&r, "CLOSE", &out->u.close.what, &out->u.close.name);
    case WIRE_MSG_EXECUTE:
        return decode_execute(&r, &out->u.execute);
    case WIRE_MSG_COPY_FAIL:
        return decode_string(&r, &out->u.copy_fail.message);
    case WIRE_MSG_FUNCTION_CALL:
        return decode_function_call(&r, a, &out->u.function_call);
    case WIRE_MSG_COPY_DATA:
        take_raw(body, len, &out->u.copy_data);
        return 0;
    case WIRE_MSG_PASSWORD:
        take_raw(body, len, &out->u.password);
        return 0;
    default: /* Sync, Flush, Terminate, CopyDone */
        return wire_read_end(&r);
    }
}

/* ---- Password message bodies ---------------------------------------------- */

int
wire_decode_password(const uint8_t *body, size_t len, const char **password, Err *err)
{
    WireReader r;

    wire_reader_init(&r, body, len, "PasswordMessage", ERR_FATAL, err);
    return decode_string(&r, password);
}

int
wire_decode_sasl_initial(const uint8_t *body, size_t len, const char **mechanism, WireBytes *data,
                         Err *err)
{
    WireReader r;
    WireParamValue v;

    wire_reader_init(&r, body, len, "SASLInitialResponse", ERR_FATAL, err);
    if (wire_read_cstr(&r, mechanism) < 0 || wire_read_value(&r, "response", 0, &v) < 0 ||
        wire_read_end(&r) < 0)
        return -1;
    data->data = v.data;
    data->len = v.len < 0 ? 0 : (size_t)v.len;
    return 0;
}

/* ---- Encoding: startup phase ---------------------------------------------- */

void
wire_put_startup(Buf *b, uint32_t protocol, int nparams, const char *const *names,
                 const char *const *values)
{
    size_t mark = b->len;

    if (nparams < 0) {
        wire_write_fail(b);
        return;
    }
    buf_put_u32(b, 0); /* patched below */
    buf_put_u32(b, protocol);
    for (int i = 0; i < nparams; i++) {
        buf_put_cstr(b, names[i]);
        buf_put_cstr(b, values[i]);
    }
    buf_put_u8(b, 0);
    if (b->failed || b->len - mark > (size_t)INT32_MAX) {
        wire_write_fail(b);
        b->len = mark; /* as wire_msg_end(): no partial packet */
        return;
    }
    buf_patch_u32(b, mark, (uint32_t)(b->len - mark));
}

static void
put_request(Buf *b, uint32_t code)
{
    buf_put_u32(b, 8);
    buf_put_u32(b, code);
}

void
wire_put_ssl_request(Buf *b)
{
    put_request(b, WIRE_SSL_REQUEST_CODE);
}

void
wire_put_gssenc_request(Buf *b)
{
    put_request(b, WIRE_GSSENC_REQUEST_CODE);
}

void
wire_put_cancel_request(Buf *b, int32_t pid, int32_t key)
{
    buf_put_u32(b, 16);
    buf_put_u32(b, WIRE_CANCEL_REQUEST_CODE);
    buf_put_u32(b, (uint32_t)pid);
    buf_put_u32(b, (uint32_t)key);
}

/* ---- Encoding: regular frontend messages ----------------------------------- */

void
wire_put_query(Buf *b, const char *sql)
{
    size_t m = wire_msg_begin(b, WIRE_MSG_QUERY);

    buf_put_cstr(b, sql);
    wire_msg_end(b, m);
}

void
wire_put_parse(Buf *b, const char *stmt_name, const char *query, int nparam_types,
               const uint32_t *param_types)
{
    size_t m = wire_msg_begin(b, WIRE_MSG_PARSE);

    buf_put_cstr(b, stmt_name);
    buf_put_cstr(b, query);
    if (wire_write_count(b, nparam_types)) {
        for (int i = 0; i < nparam_types; i++)
            buf_put_u32(b, param_types[i]);
    }
    wire_msg_end(b, m);
}

static void
put_formats(Buf *b, int n, const int16_t *formats)
{
    if (!wire_write_count(b, n))
        return;
    for (int i = 0; i < n; i++)
        buf_put_u16(b, (uint16_t)formats[i]);
}

static void
put_values(Buf *b, int n, const WireParamValue *values)
{
    if (!wire_write_count(b, n))
        return;
    for (int i = 0; i < n; i++)
        wire_write_value(b, &values[i]);
}

void
wire_put_bind(Buf *b, const WireBind *bind)
{
    size_t m = wire_msg_begin(b, WIRE_MSG_BIND);

    buf_put_cstr(b, bind->portal_name);
    buf_put_cstr(b, bind->stmt_name);
    put_formats(b, bind->nparam_formats, bind->param_formats);
    put_values(b, bind->nparams, bind->params);
    put_formats(b, bind->nresult_formats, bind->result_formats);
    wire_msg_end(b, m);
}

void
wire_put_function_call(Buf *b, const WireFunctionCall *call)
{
    size_t m = wire_msg_begin(b, WIRE_MSG_FUNCTION_CALL);

    buf_put_u32(b, call->function_oid);
    put_formats(b, call->narg_formats, call->arg_formats);
    put_values(b, call->nargs, call->args);
    buf_put_u16(b, (uint16_t)call->result_format);
    wire_msg_end(b, m);
}

static void
put_target(Buf *b, char type, char what, const char *name)
{
    size_t m = wire_msg_begin(b, type);

    buf_put_u8(b, (uint8_t)what);
    buf_put_cstr(b, name);
    wire_msg_end(b, m);
}

void
wire_put_describe(Buf *b, char what, const char *name)
{
    put_target(b, WIRE_MSG_DESCRIBE, what, name);
}

void
wire_put_close(Buf *b, char what, const char *name)
{
    put_target(b, WIRE_MSG_CLOSE, what, name);
}

void
wire_put_execute(Buf *b, const char *portal_name, int32_t max_rows)
{
    size_t m = wire_msg_begin(b, WIRE_MSG_EXECUTE);

    buf_put_cstr(b, portal_name);
    buf_put_u32(b, (uint32_t)max_rows);
    wire_msg_end(b, m);
}

static void
put_empty(Buf *b, char type)
{
    wire_msg_end(b, wire_msg_begin(b, type));
}

void
wire_put_sync(Buf *b)
{
    put_empty(b, WIRE_MSG_SYNC);
}

void
wire_put_flush(Buf *b)
{
    put_empty(b, WIRE_MSG_FLUSH);
}

void
wire_put_terminate(Buf *b)
{
    put_empty(b, WIRE_MSG_TERMINATE);
}

void
wire_put_copy_fail(Buf *b, const char *message)
{
    size_t m = wire_msg_begin(b, WIRE_MSG_COPY_FAIL);

    buf_put_cstr(b, message);
    wire_msg_end(b, m);
}

void
wire_put_password(Buf *b, const uint8_t *data, size_t len)
{
    size_t m = wire_msg_begin(b, WIRE_MSG_PASSWORD);

    buf_append(b, data, len);
    wire_msg_end(b, m);
}

void
wire_put_sasl_initial_response(Buf *b, const char *mechanism, const uint8_t *data, size_t len)
{
    size_t m = wire_msg_begin(b, WIRE_MSG_PASSWORD);

    buf_put_cstr(b, mechanism);
    if (data == NULL) {
        buf_put_u32(b, UINT32_MAX);
    } else if (len > (size_t)INT32_MAX) {
        wire_write_fail(b);
    } else {
        buf_put_u32(b, (uint32_t)len);
        buf_append(b, data, len);
    }
    wire_msg_end(b, m);
}
