/*
 * tests/fuzz/fuzz_wire.c — libFuzzer harness for the wire/ codec, and (built
 * with -DFUZZ_REPLAYER) a replayer that runs a corpus through the same code so
 * plain CI exercises it without libFuzzer.
 *
 * Each input is driven three ways:
 *   1. as a server reads a connection: startup packets (SSLRequest and
 *      GSSENCRequest may come first, as a client retrying in plain text does),
 *      then a stream of regular frames through wire_frame_message() and
 *      wire_decode_message(), stopping where the server would hang up;
 *   2. as a client reads a server: a stream of frames through
 *      wire_decode_backend();
 *   3. the whole input as the body of one message of every type byte, in
 *      both directions.
 * Every message that decodes is encoded again with wire_put_* and must give
 * back exactly the bytes it came from (ErrorResponse/NoticeResponse, whose
 * encoding is canonical rather than byte-preserving, must give back the same
 * Err). A mismatch aborts, so the fuzzer reports it like a crash.
 *
 * Invariants:
 *   1. One arena, reset before each input and between the three drives, so
 *      memory use per input is bounded by what the decoders allocate for it.
 *   2. Nothing here reads the input outside [data, data + size); the
 *      replayer hands over exact-size heap copies so ASan sees any overread.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wire/wire.h"

#define FUZZ_MAX_MESSAGE_LEN ((size_t)1 << 20)

#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz_wire: check failed at line %d: %s\n", __LINE__, #cond);          \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static Arena *arena;
static Buf out;

static const char frontend_types[] = "QPBDESHCXdcfpF";
static const char backend_types[] = "RSKZTDCI123nstENGHdcAv";

/* An error a decoder raised must be a proper one. */
static void
check_failure(const Err *err)
{
    FUZZ_CHECK(err->level >= ERR_ERROR);
    FUZZ_CHECK(strcmp(err->sqlstate, "08P01") == 0 || strcmp(err->sqlstate, "22023") == 0);
    FUZZ_CHECK(err->message[0] != '\0');
}

/* out must hold exactly one frame: type, length, then the body we decoded. */
static void
check_same_frame(char type, const uint8_t *body, size_t len)
{
    FUZZ_CHECK(!out.failed);
    FUZZ_CHECK(out.len == len + 5);
    FUZZ_CHECK(out.data[0] == (uint8_t)type);
    FUZZ_CHECK(buf_get_u32(out.data + 1) == len + 4);
    FUZZ_CHECK(len == 0 || memcmp(out.data + 5, body, len) == 0);
}

/* ---- frontend ---- */

static void
encode_frontend(const WireMsg *m)
{
    switch (m->type) {
    case 'Q':
        wire_put_query(&out, m->u.query.sql);
        break;
    case 'P':
        wire_put_parse(&out, m->u.parse.stmt_name, m->u.parse.query, m->u.parse.nparam_types,
                       m->u.parse.param_types);
        break;
    case 'B':
        wire_put_bind(&out, &m->u.bind);
        break;
    case 'D':
        wire_put_describe(&out, m->u.describe.what, m->u.describe.name);
        break;
    case 'C':
        wire_put_close(&out, m->u.close.what, m->u.close.name);
        break;
    case 'E':
        wire_put_execute(&out, m->u.execute.portal_name, m->u.execute.max_rows);
        break;
    case 'S':
        wire_put_sync(&out);
        break;
    case 'H':
        wire_put_flush(&out);
        break;
    case 'X':
        wire_put_terminate(&out);
        break;
    case 'd':
        wire_put_copy_data(&out, m->u.copy_data.data, m->u.copy_data.len);
        break;
    case 'c':
        wire_put_copy_done(&out);
        break;
    case 'f':
        wire_put_copy_fail(&out, m->u.copy_fail.message);
        break;
    case 'p':
        wire_put_password(&out, m->u.password.data, m->u.password.len);
        break;
    case 'F':
        wire_put_function_call(&out, &m->u.function_call);
        break;
    default:
        FUZZ_CHECK(!"decoded an unknown frontend type");
    }
}

/* The password body read the ways the server's auth states read it. */
static void
check_password_body(const uint8_t *body, size_t len)
{
    const char *s;
    WireBytes data;
    Err err;

    err_clear(&err);
    if (wire_decode_password(body, len, &s, &err) == 0) {
        buf_reset(&out);
        wire_put_password(&out, body, len);
        FUZZ_CHECK(strlen(s) + 1 == len);
    } else {
        check_failure(&err);
    }
    err_clear(&err);
    if (wire_decode_sasl_initial(body, len, &s, &data, &err) == 0) {
        buf_reset(&out);
        wire_put_sasl_initial_response(&out, s, data.data, data.len);
        check_same_frame('p', body, len);
    } else {
        check_failure(&err);
    }
}

static void
frontend_one(char type, const uint8_t *body, size_t len)
{
    WireMsg m;
    Err err;

    err_clear(&err);
    if (wire_decode_message(type, body, len, arena, &m, &err) < 0) {
        check_failure(&err);
        return;
    }
    FUZZ_CHECK(m.type == type);
    buf_reset(&out);
    encode_frontend(&m);
    /* Execute normalises a negative max_rows to 0; everything else is exact. */
    if (type == 'E' && len >= 4 && (body[len - 4] & 0x80) != 0)
        FUZZ_CHECK(m.u.execute.max_rows == 0);
    else
        check_same_frame(type, body, len);
    if (type == 'p')
        check_password_body(body, len);
}

/* ---- backend ---- */

static void
encode_auth(const WireBackendMsg *m)
{
    size_t mark;

    switch (m->u.auth.code) {
    case 0:
        wire_put_auth_ok(&out);
        return;
    case 3:
        wire_put_auth_cleartext(&out);
        return;
    case 5:
        wire_put_auth_md5(&out, m->u.auth.data.data);
        return;
    case 11:
        wire_put_auth_sasl_continue(&out, m->u.auth.data.data, m->u.auth.data.len);
        return;
    case 12:
        wire_put_auth_sasl_final(&out, m->u.auth.data.data, m->u.auth.data.len);
        return;
    default: /* SASL mechanism list and codes we have no encoder for: raw */
        mark = wire_msg_begin(&out, 'R');
        buf_put_u32(&out, (uint32_t)m->u.auth.code);
        buf_append(&out, m->u.auth.data.data, m->u.auth.data.len);
        wire_msg_end(&out, mark);
    }
}

static void
encode_data_row(const WireBackendMsg *m)
{
    size_t row = wire_datarow_begin(&out, m->u.data_row.ncols);

    for (int i = 0; i < m->u.data_row.ncols; i++) {
        const WireParamValue *v = &m->u.data_row.cols[i];
        size_t f;

        if (v->len < 0) {
            wire_datarow_null(&out);
            continue;
        }
        f = wire_datarow_field_begin(&out);
        buf_append(&out, v->data, (size_t)v->len);
        wire_datarow_field_end(&out, f);
    }
    wire_datarow_end(&out, row);
}

static void
encode_backend(const WireBackendMsg *m)
{
    switch (m->type) {
    case 'R':
        encode_auth(m);
        break;
    case 'S':
        wire_put_parameter_status(&out, m->u.parameter_status.name, m->u.parameter_status.value);
        break;
    case 'K':
        wire_put_backend_key_data(&out, m->u.backend_key.pid, m->u.backend_key.key);
        break;
    case 'Z':
        wire_put_ready_for_query(&out, m->u.ready_status);
        break;
    case 'T':
        wire_put_row_description(&out, m->u.row_description.nfields, m->u.row_description.fields);
        break;
    case 'D':
        encode_data_row(m);
        break;
    case 'C':
        wire_put_command_complete(&out, m->u.command_tag);
        break;
    case 'I':
        wire_put_empty_query_response(&out);
        break;
    case '1':
        wire_put_parse_complete(&out);
        break;
    case '2':
        wire_put_bind_complete(&out);
        break;
    case '3':
        wire_put_close_complete(&out);
        break;
    case 'n':
        wire_put_no_data(&out);
        break;
    case 's':
        wire_put_portal_suspended(&out);
        break;
    case 't':
        wire_put_parameter_description(&out, m->u.parameter_description.nparams,
                                       m->u.parameter_description.type_oids);
        break;
    case 'G':
    case 'H':
        (m->type == 'G' ? wire_put_copy_in_response : wire_put_copy_out_response)(
            &out, m->u.copy_response.format, m->u.copy_response.ncols,
            m->u.copy_response.col_formats);
        break;
    case 'd':
        wire_put_copy_data(&out, m->u.copy_data.data, m->u.copy_data.len);
        break;
    case 'c':
        wire_put_copy_done(&out);
        break;
    case 'A':
        wire_put_notification(&out, m->u.notification.pid, m->u.notification.channel,
                              m->u.notification.payload);
        break;
    case 'v':
        wire_put_negotiate_protocol_version(&out, m->u.negotiate.newest_protocol,
                                            m->u.negotiate.noptions, m->u.negotiate.options);
        break;
    default:
        FUZZ_CHECK(!"decoded an unknown backend type");
    }
}

/* ErrorResponse/NoticeResponse: encoding the decoded Err and decoding it again is stable. */
static void
check_err_stable(char type, const Err *e)
{
    WireBackendMsg again;
    Err err;

    buf_reset(&out);
    if (type == 'E')
        wire_put_error(&out, e);
    else
        wire_put_notice(&out, e);
    FUZZ_CHECK(!out.failed && out.len >= 5);
    err_clear(&err);
    FUZZ_CHECK(wire_decode_backend(type, out.data + 5, out.len - 5, arena, &again, &err) == 0);
    FUZZ_CHECK(again.u.error.level == e->level);
    FUZZ_CHECK(again.u.error.position == e->position);
    FUZZ_CHECK(strcmp(again.u.error.sqlstate, e->sqlstate) == 0);
    FUZZ_CHECK(strcmp(again.u.error.message, e->message) == 0);
    FUZZ_CHECK(strcmp(again.u.error.detail, e->detail) == 0);
    FUZZ_CHECK(strcmp(again.u.error.hint, e->hint) == 0);
    FUZZ_CHECK(strcmp(again.u.error.context, e->context) == 0);
}

static void
backend_one(char type, const uint8_t *body, size_t len)
{
    WireBackendMsg m;
    Err err;

    err_clear(&err);
    if (wire_decode_backend(type, body, len, arena, &m, &err) < 0) {
        check_failure(&err);
        return;
    }
    FUZZ_CHECK(m.type == type);
    if (type == 'E' || type == 'N') {
        check_err_stable(type, &m.u.error);
        return;
    }
    buf_reset(&out);
    encode_backend(&m);
    check_same_frame(type, body, len);
}

/* ---- the three drives ---- */

static void
check_startup(const uint8_t *frame, size_t flen, const WireStartup *st)
{
    buf_reset(&out);
    switch (st->kind) {
    case WIRE_STARTUP_SSL:
        wire_put_ssl_request(&out);
        break;
    case WIRE_STARTUP_GSSENC:
        wire_put_gssenc_request(&out);
        break;
    case WIRE_STARTUP_CANCEL:
        wire_put_cancel_request(&out, st->cancel_pid, st->cancel_key);
        break;
    case WIRE_STARTUP_NORMAL:
        if (st->protocol >> 16 != 3)
            return; /* layout unknown: nothing decoded to compare */
        wire_put_startup(&out, st->protocol, st->nparams, st->names, st->values);
        break;
    }
    FUZZ_CHECK(!out.failed && out.len == flen && memcmp(out.data, frame, flen) == 0);
}

/* Returns the offset of the first regular message, or size when the server would hang up. */
static size_t
drive_startup(const uint8_t *data, size_t size)
{
    size_t off = 0, flen = 0;
    WireStartup st;
    Err err;

    for (;;) {
        err_clear(&err);
        if (wire_frame_startup(data + off, size - off, &flen, &err) != 1)
            return size;
        FUZZ_CHECK(flen >= 8 && flen <= WIRE_MAX_STARTUP_LEN && flen <= size - off);
        if (wire_decode_startup(data + off, flen, arena, &st, &err) < 0) {
            check_failure(&err);
            return size;
        }
        check_startup(data + off, flen, &st);
        off += flen;
        if (st.kind == WIRE_STARTUP_CANCEL)
            return size;
        if (st.kind == WIRE_STARTUP_NORMAL)
            return off;
        /* SSL/GSSENC refused with 'N': the client sends a startup packet next. */
    }
}

/* Frames regular messages from data[off..size) and hands each to fn. */
static void
drive_stream(const uint8_t *data, size_t size, size_t off,
             void (*fn)(char, const uint8_t *, size_t))
{
    while (off < size) {
        char type = 0;
        size_t flen = 0;
        Err err;
        int rc;

        err_clear(&err);
        rc = wire_frame_message(data + off, size - off, FUZZ_MAX_MESSAGE_LEN, &type, &flen, &err);
        if (rc < 0)
            check_failure(&err);
        if (rc != 1)
            return;
        FUZZ_CHECK(flen >= 5 && flen <= size - off && data[off] == (uint8_t)type);
        fn(type, data + off + 5, flen - 5);
        off += flen;
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (arena == NULL) {
        arena = arena_create("fuzz", 0);
        buf_init(&out, 4 * FUZZ_MAX_MESSAGE_LEN);
    }
    arena_reset(arena);
    drive_stream(data, size, drive_startup(data, size), frontend_one);
    arena_reset(arena);
    drive_stream(data, size, 0, backend_one);
    arena_reset(arena);
    for (const char *t = frontend_types; *t != '\0'; t++)
        frontend_one(*t, data, size);
    for (const char *t = backend_types; *t != '\0'; t++)
        backend_one(*t, data, size);
    arena_reset(arena);
    return 0;
}

#ifdef FUZZ_REPLAYER
/* ---- corpus replayer (no libFuzzer) ---- */

#include <dirent.h>
#include <sys/stat.h>

#define REPLAY_MAX_FILE ((size_t)16 << 20)

static int
replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    struct stat sb;
    uint8_t *p;
    size_t n;

    if (f == NULL || fstat(fileno(f), &sb) != 0 || (size_t)sb.st_size > REPLAY_MAX_FILE) {
        fprintf(stderr, "fuzz_wire_replay: cannot read %s\n", path);
        if (f != NULL)
            fclose(f);
        return -1;
    }
    n = (size_t)sb.st_size;
    p = malloc(n == 0 ? 1 : n); /* exact size: ASan catches any overread */
    if (p == NULL || fread(p, 1, n, f) != n) {
        fprintf(stderr, "fuzz_wire_replay: cannot read %s\n", path);
        free(p);
        fclose(f);
        return -1;
    }
    fclose(f);
    LLVMFuzzerTestOneInput(p, n);
    free(p);
    return 1;
}

/* Replays a file, or every regular file of a directory; returns the count or -1. */
static int
replay_path(const char *path)
{
    struct stat sb;
    struct dirent *e;
    DIR *d;
    int n = 0;

    if (stat(path, &sb) != 0) {
        fprintf(stderr, "fuzz_wire_replay: no such file or directory: %s\n", path);
        return -1;
    }
    if (!S_ISDIR(sb.st_mode))
        return replay_file(path);
    d = opendir(path);
    if (d == NULL)
        return -1;
    while ((e = readdir(d)) != NULL) {
        char full[4096];
        int rc;

        if (e->d_name[0] == '.')
            continue;
        snprintf(full, sizeof full, "%s/%s", path, e->d_name);
        if (stat(full, &sb) != 0 || !S_ISREG(sb.st_mode))
            continue;
        rc = replay_file(full);
        if (rc < 0) {
            closedir(d);
            return -1;
        }
        n += rc;
    }
    closedir(d);
    return n;
}

int
main(int argc, char **argv)
{
    int total = 0;

    for (int i = 1; i < argc; i++) {
        int n = replay_path(argv[i]);

        if (n < 0)
            return 1;
        total += n;
    }
    printf("fuzz_wire_replay: replayed %d inputs\n", total);
    if (arena != NULL) {
        arena_destroy(arena);
        buf_free(&out);
    }
    return total == 0 ? 1 : 0;
}
#endif
