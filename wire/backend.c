/*
 * wire/backend.c — the messages a server sends: encoding them (the server's
 * side) and decoding them (tests, benchmarks, the fuzz harness).
 *
 *     Authentication 'R'     int32 code [salt | mechanisms\0...\0 | SASL data]
 *     ParameterStatus 'S'    name\0 value\0
 *     BackendKeyData 'K'     int32 pid, int32 key
 *     ReadyForQuery 'Z'      byte 'I'|'T'|'E'
 *     RowDescription 'T'     int16 n, (name\0 int32 table, int16 attnum, int32 type,
 *                            int16 typlen, int32 typmod, int16 format) * n
 *     DataRow 'D'            int16 n, (int32 len (-1 NULL), bytes) * n
 *     ParameterDescription 't'  int16 n, int32 oid * n
 *     ErrorResponse 'E', NoticeResponse 'N'   (byte code, text\0)*, \0
 *     CopyInResponse 'G', CopyOutResponse 'H' int8 format, int16 n, int16 format * n
 *     NotificationResponse 'A'  int32 pid, channel\0 payload\0
 *     NegotiateProtocolVersion 'v'  int32 newest, int32 n, option\0 * n
 *     CommandComplete 'C' tag\0; CopyData 'd' bytes; and the empty ones:
 *     EmptyQueryResponse 'I', ParseComplete '1', BindComplete '2',
 *     CloseComplete '3', NoData 'n', PortalSuspended 's', CopyDone 'c'.
 *
 * Invariants:
 *   1. Encoders only append; the length word is patched when the message is
 *      complete, so a failed Buf never carries a message with a wrong length.
 *   2. Err text is read with strnlen() bounded by its buffer, so an Err whose
 *      fields were filled by hand without a NUL cannot make an encoder overread.
 *   3. Decoders follow wire/frontend.c's rules: bounds-checked reads, arrays
 *      sized by counts already checked against the remaining bytes, no
 *      trailing bytes. Every failure is ERROR 08P01.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "wire/wire_int.h"

/* ---- Encoding: authentication and session start ----------------------------- */

static void
put_auth(Buf *b, uint32_t code, const uint8_t *data, size_t len)
{
    size_t m = wire_msg_begin(b, 'R');

    buf_put_u32(b, code);
    buf_append(b, data, len);
    wire_msg_end(b, m);
}

void
wire_put_auth_ok(Buf *b)
{
    put_auth(b, 0, NULL, 0);
}

void
wire_put_auth_cleartext(Buf *b)
{
    put_auth(b, 3, NULL, 0);
}

void
wire_put_auth_md5(Buf *b, const uint8_t salt[4])
{
    put_auth(b, 5, salt, 4);
}

void
wire_put_auth_sasl(Buf *b, const char *const *mechanisms, int n)
{
    size_t m = wire_msg_begin(b, 'R');

    if (n < 0)
        wire_write_fail(b);
    buf_put_u32(b, 10);
    for (int i = 0; i < n; i++) {
        if (mechanisms[i][0] == '\0')
            wire_write_fail(b); /* an empty name would end the list early */
        buf_put_cstr(b, mechanisms[i]);
    }
    buf_put_u8(b, 0);
    wire_msg_end(b, m);
}

void
wire_put_auth_sasl_continue(Buf *b, const uint8_t *data, size_t len)
{
    put_auth(b, 11, data, len);
}

void
wire_put_auth_sasl_final(Buf *b, const uint8_t *data, size_t len)
{
    put_auth(b, 12, data, len);
}

void
wire_put_parameter_status(Buf *b, const char *name, const char *value)
{
    size_t m = wire_msg_begin(b, 'S');

    buf_put_cstr(b, name);
    buf_put_cstr(b, value);
    wire_msg_end(b, m);
}

void
wire_put_backend_key_data(Buf *b, int32_t pid, int32_t key)
{
    size_t m = wire_msg_begin(b, 'K');

    buf_put_u32(b, (uint32_t)pid);
    buf_put_u32(b, (uint32_t)key);
    wire_msg_end(b, m);
}

void
wire_put_ready_for_query(Buf *b, char status)
{
    size_t m = wire_msg_begin(b, 'Z');

    buf_put_u8(b, (uint8_t)status);
    wire_msg_end(b, m);
}

void
wire_put_negotiate_protocol_version(Buf *b, uint32_t newest_protocol, int noptions,
                                    const char *const *options)
{
    size_t m = wire_msg_begin(b, 'v');

    if (noptions < 0)
        wire_write_fail(b);
    buf_put_u32(b, newest_protocol);
    buf_put_u32(b, (uint32_t)noptions);
    for (int i = 0; i < noptions; i++)
        buf_put_cstr(b, options[i]);
    wire_msg_end(b, m);
}

/* ---- Encoding: query results --------------------------------------------------- */

void
wire_put_row_description(Buf *b, int nfields, const WireField *fields)
{
    size_t m = wire_msg_begin(b, 'T');

    if (wire_write_count(b, nfields)) {
        for (int i = 0; i < nfields; i++) {
            const WireField *f = &fields[i];

            buf_put_cstr(b, f->name);
            buf_put_u32(b, f->table_oid);
            buf_put_u16(b, (uint16_t)f->column_attnum);
            buf_put_u32(b, f->type_oid);
            buf_put_u16(b, (uint16_t)f->type_len);
            buf_put_u32(b, (uint32_t)f->type_mod);
            buf_put_u16(b, (uint16_t)f->format);
        }
    }
    wire_msg_end(b, m);
}

void
wire_put_parameter_description(Buf *b, int nparams, const uint32_t *type_oids)
{
    size_t m = wire_msg_begin(b, 't');

    if (wire_write_count(b, nparams)) {
        for (int i = 0; i < nparams; i++)
            buf_put_u32(b, type_oids[i]);
    }
    wire_msg_end(b, m);
}

static void
put_string_msg(Buf *b, char type, const char *s)
{
    size_t m = wire_msg_begin(b, type);

    buf_put_cstr(b, s);
    wire_msg_end(b, m);
}

void
wire_put_command_complete(Buf *b, const char *tag)
{
    put_string_msg(b, 'C', tag);
}

static void
put_empty(Buf *b, char type)
{
    wire_msg_end(b, wire_msg_begin(b, type));
}

void
wire_put_empty_query_response(Buf *b)
{
    put_empty(b, 'I');
}

void
wire_put_parse_complete(Buf *b)
{
    put_empty(b, '1');
}

void
wire_put_bind_complete(Buf *b)
{
    put_empty(b, '2');
}

void
wire_put_close_complete(Buf *b)
{
    put_empty(b, '3');
}

void
wire_put_no_data(Buf *b)
{
    put_empty(b, 'n');
}

void
wire_put_portal_suspended(Buf *b)
{
    put_empty(b, 's');
}

size_t
wire_datarow_begin(Buf *b, int ncols)
{
    size_t m = wire_msg_begin(b, 'D');

    wire_write_count(b, ncols);
    return m;
}

void
wire_datarow_null(Buf *b)
{
    buf_put_u32(b, UINT32_MAX); /* -1 */
}

size_t
wire_datarow_field_begin(Buf *b)
{
    size_t f = b->len;

    buf_put_u32(b, 0); /* patched by wire_datarow_field_end() */
    return f;
}

void
wire_datarow_field_end(Buf *b, size_t field_mark)
{
    size_t len;

    if (b->failed || field_mark > b->len || b->len - field_mark < 4) {
        b->failed = true;
        return;
    }
    len = b->len - field_mark - 4;
    if (len > (size_t)INT32_MAX) {
        b->failed = true;
        return;
    }
    buf_patch_u32(b, field_mark, (uint32_t)len);
}

void
wire_datarow_end(Buf *b, size_t row_mark)
{
    wire_msg_end(b, row_mark);
}

/* ---- Encoding: errors and notices ------------------------------------------------ */

/* Five of 0-9A-Z, then NUL (stops at the first bad byte, so a short string is safe). */
static bool
is_sqlstate(const char *s)
{
    for (int i = 0; i < 5; i++) {
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'A' && s[i] <= 'Z')))
            return false;
    }
    return s[5] == '\0';
}

static void
put_field(Buf *b, char code, const char *text, size_t cap)
{
    buf_put_u8(b, (uint8_t)code);
    buf_append(b, text, strnlen(text, cap));
    buf_put_u8(b, 0);
}

static void
put_err_fields(Buf *b, char type, const char *severity, const char *default_state, const Err *err)
{
    size_t m = wire_msg_begin(b, type);
    const char *state = is_sqlstate(err->sqlstate) ? err->sqlstate : default_state;
    char pos[16];

    put_field(b, 'S', severity, 16); /* localized: we speak English only */
    put_field(b, 'V', severity, 16);
    put_field(b, 'C', state, sizeof err->sqlstate);
    put_field(b, 'M', err->message, sizeof err->message);
    if (err->detail[0] != '\0')
        put_field(b, 'D', err->detail, sizeof err->detail);
    if (err->hint[0] != '\0')
        put_field(b, 'H', err->hint, sizeof err->hint);
    if (err->position > 0) {
        snprintf(pos, sizeof pos, "%d", err->position);
        put_field(b, 'P', pos, sizeof pos);
    }
    if (err->context[0] != '\0')
        put_field(b, 'W', err->context, sizeof err->context);
    buf_put_u8(b, 0);
    wire_msg_end(b, m);
}

void
wire_put_error(Buf *b, const Err *err)
{
    const char *severity = "ERROR";

    if (err->level == ERR_FATAL || err->level == ERR_PANIC)
        severity = err_level_name(err->level);
    put_err_fields(b, 'E', severity, ERRCODE_INTERNAL_ERROR, err);
}

void
wire_put_notice(Buf *b, const Err *err)
{
    if (err->level == ERR_WARNING)
        put_err_fields(b, 'N', "WARNING", ERRCODE_WARNING, err);
    else
        put_err_fields(b, 'N', "NOTICE", ERRCODE_SUCCESSFUL_COMPLETION, err);
}

/* ---- Encoding: COPY and notifications -------------------------------------------- */

static void
put_copy_response(Buf *b, char type, int8_t format, int ncols, const int16_t *col_formats)
{
    size_t m = wire_msg_begin(b, type);

    buf_put_u8(b, (uint8_t)format);
    if (wire_write_count(b, ncols)) {
        for (int i = 0; i < ncols; i++)
            buf_put_u16(b, (uint16_t)col_formats[i]);
    }
    wire_msg_end(b, m);
}

void
wire_put_copy_in_response(Buf *b, int8_t format, int ncols, const int16_t *col_formats)
{
    put_copy_response(b, 'G', format, ncols, col_formats);
}

void
wire_put_copy_out_response(Buf *b, int8_t format, int ncols, const int16_t *col_formats)
{
    put_copy_response(b, 'H', format, ncols, col_formats);
}

void
wire_put_copy_data(Buf *b, const uint8_t *data, size_t len)
{
    size_t m = wire_msg_begin(b, WIRE_MSG_COPY_DATA);

    buf_append(b, data, len);
    wire_msg_end(b, m);
}

void
wire_put_copy_done(Buf *b)
{
    put_empty(b, WIRE_MSG_COPY_DONE);
}

void
wire_put_notification(Buf *b, int32_t pid, const char *channel, const char *payload)
{
    size_t m = wire_msg_begin(b, 'A');

    buf_put_u32(b, (uint32_t)pid);
    buf_put_cstr(b, channel);
    buf_put_cstr(b, payload);
    wire_msg_end(b, m);
}

/* ---- Decoding ------------------------------------------------------------------ */

static int
decode_auth(WireReader *r, WireBackendMsg *out)
{
    const uint8_t *salt;
    const char *mech;

    if (wire_read_i32(r, &out->u.auth.code) < 0)
        return -1;
    out->u.auth.data.data = r->p + r->off;
    out->u.auth.data.len = wire_reader_left(r);
    switch (out->u.auth.code) {
    case 0: /* AuthenticationOk */
    case 3: /* AuthenticationCleartextPassword */
        return wire_read_end(r);
    case 5: /* AuthenticationMD5Password */
        if (wire_read_bytes(r, 4, &salt) < 0)
            return -1;
        return wire_read_end(r);
    case 10: /* AuthenticationSASL: names, then an empty one */
        do {
            if (wire_read_cstr(r, &mech) < 0)
                return -1;
        } while (mech[0] != '\0');
        return wire_read_end(r);
    default: /* SASLContinue (11), SASLFinal (12), GSS, SSPI: opaque data */
        return 0;
    }
}

static int
decode_row_description(WireReader *r, Arena *a, WireBackendMsg *out)
{
    int n;
    WireField *fields = NULL;

    /* A field is at least an empty name (1 byte) and 18 bytes of numbers. */
    if (wire_read_count(r, 19, "field", &n) < 0)
        return -1;
    if (n > 0)
        fields = arena_alloc(a, (size_t)n * sizeof *fields);
    for (int i = 0; i < n; i++) {
        WireField *f = &fields[i];

        if (wire_read_cstr(r, &f->name) < 0 || wire_read_u32(r, &f->table_oid) < 0 ||
            wire_read_i16(r, &f->column_attnum) < 0 || wire_read_u32(r, &f->type_oid) < 0 ||
            wire_read_i16(r, &f->type_len) < 0 || wire_read_i32(r, &f->type_mod) < 0 ||
            wire_read_i16(r, &f->format) < 0)
            return -1;
        if (f->format != WIRE_FORMAT_TEXT && f->format != WIRE_FORMAT_BINARY)
            return wire_reader_fail(r, "field %d has invalid format code %d", i + 1,
                                    (int)f->format);
    }
    out->u.row_description.nfields = n;
    out->u.row_description.fields = fields;
    return wire_read_end(r);
}

static int
decode_parameter_description(WireReader *r, Arena *a, WireBackendMsg *out)
{
    int n;
    uint32_t *oids = NULL;

    if (wire_read_count(r, 4, "parameter", &n) < 0)
        return -1;
    if (n > 0)
        oids = arena_alloc(a, (size_t)n * sizeof *oids);
    for (int i = 0; i < n; i++) {
        if (wire_read_u32(r, &oids[i]) < 0)
            return -1;
    }
    out->u.parameter_description.nparams = n;
    out->u.parameter_description.type_oids = oids;
    return wire_read_end(r);
}

static int
decode_copy_response(WireReader *r, Arena *a, WireBackendMsg *out)
{
    uint8_t format;

    if (wire_read_u8(r, &format) < 0)
        return -1;
    if (format > 1)
        return wire_reader_fail(r, "invalid overall format %d", (int)format);
    out->u.copy_response.format = (int8_t)format;
    if (wire_read_formats(r, a, "column format", &out->u.copy_response.ncols,
                          &out->u.copy_response.col_formats) < 0)
        return -1;
    for (int i = 0; i < out->u.copy_response.ncols; i++) {
        int16_t f = out->u.copy_response.col_formats[i];

        if (f != WIRE_FORMAT_TEXT && f != WIRE_FORMAT_BINARY)
            return wire_reader_fail(r, "column %d has invalid format code %d", i + 1, (int)f);
    }
    return wire_read_end(r);
}

static int
decode_negotiate(WireReader *r, Arena *a, WireBackendMsg *out)
{
    int32_t n;
    const char **options = NULL;

    if (wire_read_u32(r, &out->u.negotiate.newest_protocol) < 0 || wire_read_i32(r, &n) < 0)
        return -1;
    /* Each option is at least its NUL. */
    if (n < 0 || (size_t)n > wire_reader_left(r))
        return wire_reader_fail(r, "invalid option count %d", (int)n);
    if (n > 0)
        options = arena_alloc(a, (size_t)n * sizeof *options);
    for (int32_t i = 0; i < n; i++) {
        if (wire_read_cstr(r, &options[i]) < 0)
            return -1;
    }
    out->u.negotiate.noptions = (int)n;
    out->u.negotiate.options = options;
    return wire_read_end(r);
}

/* ---- Decoding ErrorResponse / NoticeResponse ----------------------------------- */

typedef struct ErrFields {
    const char *severity;   /* S, localized */
    const char *severity_v; /* V, never localized */
    bool has_code, has_message;
} ErrFields;

static void
copy_text(char *dst, size_t cap, const char *src)
{
    size_t n = strnlen(src, cap - 1);

    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* A decimal 1..INT_MAX, as PostgreSQL writes the P field. */
static bool
parse_position(const char *s, int *out)
{
    long v = 0;

    if (*s == '\0')
        return false;
    for (; *s != '\0'; s++) {
        if (*s < '0' || *s > '9')
            return false;
        v = v * 10 + (*s - '0');
        if (v > INT_MAX)
            return false;
    }
    if (v == 0)
        return false;
    *out = (int)v;
    return true;
}

static int
take_err_field(WireReader *r, uint8_t code, const char *text, Err *e, ErrFields *f)
{
    switch (code) {
    case 'S':
        f->severity = text;
        break;
    case 'V':
        f->severity_v = text;
        break;
    case 'C':
        if (!is_sqlstate(text))
            return wire_reader_fail(r, "invalid SQLSTATE field");
        copy_text(e->sqlstate, sizeof e->sqlstate, text);
        f->has_code = true;
        break;
    case 'M':
        copy_text(e->message, sizeof e->message, text);
        f->has_message = true;
        break;
    case 'D':
        copy_text(e->detail, sizeof e->detail, text);
        break;
    case 'H':
        copy_text(e->hint, sizeof e->hint, text);
        break;
    case 'W':
        copy_text(e->context, sizeof e->context, text);
        break;
    case 'P':
        if (!parse_position(text, &e->position))
            return wire_reader_fail(r, "invalid position field");
        break;
    default:
        break; /* the protocol says: ignore fields you do not know */
    }
    return 0;
}

static ErrLevel
level_from(char type, const char *severity)
{
    if (type == 'E') {
        if (severity != NULL && strcmp(severity, "FATAL") == 0)
            return ERR_FATAL;
        if (severity != NULL && strcmp(severity, "PANIC") == 0)
            return ERR_PANIC;
        return ERR_ERROR;
    }
    if (severity != NULL && strcmp(severity, "WARNING") == 0)
        return ERR_WARNING;
    return ERR_NOTICE;
}

static int
decode_err_fields(WireReader *r, char type, Err *e)
{
    ErrFields f = {NULL, NULL, false, false};
    uint8_t code;
    const char *text;

    err_clear(e);
    for (;;) {
        if (wire_read_u8(r, &code) < 0)
            return -1;
        if (code == 0)
            break;
        if (wire_read_cstr(r, &text) < 0 || take_err_field(r, code, text, e, &f) < 0)
            return -1;
    }
    if (wire_read_end(r) < 0)
        return -1;
    if (f.severity == NULL || !f.has_code || !f.has_message)
        return wire_reader_fail(r, "missing %s field",
                                f.severity == NULL ? "severity"
                                : !f.has_code      ? "SQLSTATE"
                                                   : "message");
    e->level = level_from(type, f.severity_v != NULL ? f.severity_v : f.severity);
    return 0;
}

/* ---- wire_decode_backend ---------------------------------------------------------- */

static int
decode_simple(WireReader *r, char type, WireBackendMsg *out)
{
    uint8_t status;

    switch (type) {
    case 'S':
        if (wire_read_cstr(r, &out->u.parameter_status.name) < 0 ||
            wire_read_cstr(r, &out->u.parameter_status.value) < 0)
            return -1;
        break;
    case 'K':
        if (wire_read_i32(r, &out->u.backend_key.pid) < 0 ||
            wire_read_i32(r, &out->u.backend_key.key) < 0)
            return -1;
        break;
    case 'Z':
        if (wire_read_u8(r, &status) < 0)
            return -1;
        if (status != 'I' && status != 'T' && status != 'E')
            return wire_reader_fail(r, "invalid transaction status %d", (int)status);
        out->u.ready_status = (char)status;
        break;
    case 'C':
        if (wire_read_cstr(r, &out->u.command_tag) < 0)
            return -1;
        break;
    case 'A':
        if (wire_read_i32(r, &out->u.notification.pid) < 0 ||
            wire_read_cstr(r, &out->u.notification.channel) < 0 ||
            wire_read_cstr(r, &out->u.notification.payload) < 0)
            return -1;
        break;
    default: /* 'I', '1', '2', '3', 'n', 's', 'c': empty */
        break;
    }
    return wire_read_end(r);
}

int
wire_decode_backend(char type, const uint8_t *body, size_t len, Arena *a, WireBackendMsg *out,
                    Err *err)
{
    const char *name = wire_backend_message_name(type);
    WireReader r;

    memset(out, 0, sizeof *out);
    out->type = type;
    if (name == NULL)
        return ERR_RAISE(err, ERRCODE_PROTOCOL_VIOLATION, "invalid backend message type %d",
                         (int)(unsigned char)type);
    wire_reader_init(&r, body, len, name, ERR_ERROR, err);
    switch (type) {
    case 'R':
        return decode_auth(&r, out);
    case 'T':
        return decode_row_description(&r, a, out);
    case 'D':
        return wire_read_values(&r, a, "column", &out->u.data_row.ncols, &out->u.data_row.cols) < 0
                   ? -1
                   : wire_read_end(&r);
    case 't':
        return decode_parameter_description(&r, a, out);
    case 'E':
    case 'N':
        return decode_err_fields(&r, type, &out->u.error);
    case 'G':
    case 'H':
        return decode_copy_response(&r, a, out);
    case 'v':
        return decode_negotiate(&r, a, out);
    case 'd':
        out->u.copy_data.data = body;
        out->u.copy_data.len = r.len;
        return 0;
    default:
        return decode_simple(&r, type, out);
    }
}
