/*
 * tests/fuzz/gen_corpus_wire.c — writes the seed corpus of fuzz_wire into a
 * directory: valid startup packets and requests, client streams covering every
 * frontend message, server streams covering every backend message, bare
 * message bodies (for the harness's "whole input as one message" drive), and
 * a few malformed inputs. Seeds are made with the encoders themselves, so they
 * follow the protocol exactly; the malformed ones are spelled out in bytes.
 *
 *     ninja -C build tests/fuzz/gen_corpus_wire
 *     build/tests/fuzz/gen_corpus_wire tests/fuzz/corpus/wire
 *
 * Invariants:
 *   1. Output is deterministic: the same files with the same bytes every run.
 *   2. Every seed file is small (well under 1 KiB).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wire/wire.h"

static const char *dir;
static int nfiles;

static void
write_file(const char *name, const void *p, size_t n)
{
    char path[4096];
    FILE *f;

    snprintf(path, sizeof path, "%s/seed_%s", dir, name);
    f = fopen(path, "wb");
    if (f == NULL || (n > 0 && fwrite(p, 1, n, f) != n) || fclose(f) != 0) {
        fprintf(stderr, "gen_corpus_wire: cannot write %s\n", path);
        exit(1);
    }
    nfiles++;
}

static void
write_buf(const char *name, Buf *b)
{
    if (b->failed) {
        fprintf(stderr, "gen_corpus_wire: %s: buffer failed\n", name);
        exit(1);
    }
    write_file(name, b->data, b->len);
    buf_reset(b);
}

/* The body of the single message in b (for the bare-body seeds). */
static void
write_body(const char *name, Buf *b)
{
    write_file(name, b->data + 5, b->len - 5);
    buf_reset(b);
}

#define WRITE_BYTES(name, lit) write_file((name), (lit), sizeof(lit) - 1)

static void
put_login(Buf *b)
{
    const char *names[] = {"user", "database", "application_name"};
    const char *values[] = {"alice", "dev", "psql"};

    wire_put_startup(b, WIRE_PROTOCOL_3_0, 3, names, values);
}

static void
gen_startup(Buf *b)
{
    const char *names[] = {"user", "database", "options", "client_encoding", "_pq_.x"};
    const char *values[] = {"bob", "db", "-c statement_timeout=0", "UTF8", "1"};

    put_login(b);
    write_buf("startup_v3", b);
    wire_put_startup(b, WIRE_PROTOCOL_3_0, 4, names, values);
    write_buf("startup_v3_options", b);
    wire_put_startup(b, WIRE_PROTOCOL_3_0, 0, NULL, NULL);
    write_buf("startup_v3_no_params", b);
    wire_put_startup(b, WIRE_PROTOCOL_3_0 + 2, 5, names, values);
    write_buf("startup_v32_pq_option", b);
    wire_put_startup(b, 2u << 16, 1, names, values);
    write_buf("startup_v2", b);
    wire_put_ssl_request(b);
    write_buf("ssl_request", b);
    wire_put_gssenc_request(b);
    write_buf("gssenc_request", b);
    wire_put_cancel_request(b, 4242, 987654321);
    write_buf("cancel_request", b);
    wire_put_ssl_request(b);
    put_login(b);
    wire_put_query(b, "select 1");
    wire_put_terminate(b);
    write_buf("ssl_then_startup_then_query", b);
}

static void
gen_client_streams(Buf *b)
{
    const uint32_t oids[] = {23, 25, 0};
    int16_t pf[] = {1};
    int16_t rf[] = {0, 1};
    WireParamValue params[] = {{4, (const uint8_t *)"\0\0\0\52"}, {-1, NULL}, {0, NULL}};
    WireBind bind = {"", "s1", 1, pf, 3, params, 2, rf};
    WireFunctionCall call = {1598, 1, pf, 1, params, 1};

    put_login(b);
    wire_put_query(b, "select 1; select 'x'");
    wire_put_terminate(b);
    write_buf("client_simple_query", b);

    put_login(b);
    wire_put_parse(b, "s1", "select $1::int4, $2, $3", 3, oids);
    wire_put_describe(b, 'S', "s1");
    wire_put_bind(b, &bind);
    wire_put_describe(b, 'P', "");
    wire_put_execute(b, "", 10);
    wire_put_execute(b, "", 0);
    wire_put_close(b, 'P', "");
    wire_put_close(b, 'S', "s1");
    wire_put_flush(b);
    wire_put_sync(b);
    write_buf("client_extended", b);

    put_login(b);
    wire_put_query(b, "copy t from stdin");
    wire_put_copy_data(b, (const uint8_t *)"1\tone\n", 6);
    wire_put_copy_data(b, (const uint8_t *)"2\t\\N\n", 5);
    wire_put_copy_done(b);
    wire_put_query(b, "copy t from stdin");
    wire_put_copy_fail(b, "aborted by user");
    write_buf("client_copy", b);

    put_login(b);
    wire_put_password(b, (const uint8_t *)"md5a3556571e93b0d20722ba62be61e8c2d", 36);
    write_buf("client_md5_password", b);

    put_login(b);
    wire_put_sasl_initial_response(b, "SCRAM-SHA-256", (const uint8_t *)"n,,n=,r=abcdefgh", 16);
    wire_put_password(b, (const uint8_t *)"c=biws,r=abcdefghijkl,p=c2lnbmF0dXJl", 36);
    write_buf("client_scram", b);

    put_login(b);
    wire_put_function_call(b, &call);
    wire_put_sync(b);
    write_buf("client_function_call", b);

    /* Bare bodies, one per message type. */
    wire_put_query(b, "select now()");
    write_body("body_query", b);
    wire_put_parse(b, "", "insert into t values ($1)", 1, oids);
    write_body("body_parse", b);
    wire_put_bind(b, &bind);
    write_body("body_bind", b);
    wire_put_execute(b, "p", -1);
    write_body("body_execute", b);
    wire_put_describe(b, 'P', "p");
    write_body("body_describe", b);
    wire_put_copy_fail(b, "x");
    write_body("body_copy_fail", b);
    wire_put_function_call(b, &call);
    write_body("body_function_call", b);
    wire_put_sasl_initial_response(b, "SCRAM-SHA-256", NULL, 0);
    write_body("body_sasl_initial_no_data", b);
}

static void
gen_server_streams(Buf *b)
{
    const char *mechs[] = {"SCRAM-SHA-256-PLUS", "SCRAM-SHA-256"};
    const char *opts[] = {"_pq_.x"};
    const WireField fields[] = {{"id", 16384, 1, 23, 4, -1, 0}, {"name", 16384, 2, 25, -1, -1, 1}};
    const uint32_t oids[] = {23, 25};
    const int16_t cf[] = {0, 0};
    Err e;
    size_t row, f;

    wire_put_auth_ok(b);
    wire_put_parameter_status(b, "server_version", "16.0");
    wire_put_parameter_status(b, "client_encoding", "UTF8");
    wire_put_backend_key_data(b, 1234, 5678);
    wire_put_ready_for_query(b, 'I');
    write_buf("server_login", b);

    wire_put_auth_md5(b, (const uint8_t *)"\1\2\3\4");
    write_buf("server_auth_md5", b);
    wire_put_auth_cleartext(b);
    write_buf("server_auth_cleartext", b);
    wire_put_auth_sasl(b, mechs, 2);
    wire_put_auth_sasl_continue(b, (const uint8_t *)"r=abc,s=c2FsdA==,i=4096", 23);
    wire_put_auth_sasl_final(b, (const uint8_t *)"v=c2lnbmF0dXJl", 14);
    write_buf("server_auth_scram", b);
    wire_put_negotiate_protocol_version(b, WIRE_PROTOCOL_3_0, 1, opts);
    write_buf("server_negotiate", b);

    wire_put_row_description(b, 2, fields);
    row = wire_datarow_begin(b, 2);
    f = wire_datarow_field_begin(b);
    buf_put_str(b, "1");
    wire_datarow_field_end(b, f);
    wire_datarow_null(b);
    wire_datarow_end(b, row);
    wire_put_command_complete(b, "SELECT 1");
    wire_put_ready_for_query(b, 'T');
    write_buf("server_select", b);

    wire_put_parse_complete(b);
    wire_put_parameter_description(b, 2, oids);
    wire_put_no_data(b);
    wire_put_bind_complete(b);
    wire_put_portal_suspended(b);
    wire_put_close_complete(b);
    wire_put_empty_query_response(b);
    wire_put_ready_for_query(b, 'E');
    write_buf("server_extended", b);

    wire_put_copy_in_response(b, 0, 2, cf);
    wire_put_copy_out_response(b, 1, 2, (const int16_t[]){1, 1});
    wire_put_copy_data(b, (const uint8_t *)"1\t2\n", 4);
    wire_put_copy_done(b);
    wire_put_notification(b, 99, "events", "{\"id\": 1}");
    write_buf("server_copy_notify", b);

    err_clear(&e);
    err_raise(&e, ERR_ERROR, ERRCODE_SYNTAX_ERROR, "syntax error at or near \"selec\"");
    err_detail(&e, "Detail.");
    err_hint(&e, "Hint.");
    err_position(&e, 1);
    err_context(&e, "line 1");
    wire_put_error(b, &e);
    e.level = ERR_WARNING;
    wire_put_notice(b, &e);
    write_buf("server_error_notice", b);
    e.level = ERR_FATAL;
    wire_put_error(b, &e);
    write_body("body_error_fatal", b);
}

static void
gen_malformed(void)
{
    WRITE_BYTES("bad_startup_len7", "\0\0\0\7\0\3\0\0");
    WRITE_BYTES("bad_startup_len10001", "\0\0\x27\x11\0\3\0\0user\0");
    WRITE_BYTES("bad_startup_no_terminator", "\0\0\0\x11\0\3\0\0user\0bob\0");
    WRITE_BYTES("bad_cancel_len15", "\0\0\0\x0f\x04\xd2\x16\x2e\0\0\0\1\0\0\0");
    WRITE_BYTES("bad_message_len3", "\0\0\0\x09\0\3\0\0\0Q\0\0\0\3");
    WRITE_BYTES("bad_bind_format", "\0\0\0\x09\0\3\0\0\0B\0\0\0\x0e\0\0\0\1\0\2\0\0\0\0");
    WRITE_BYTES("bad_bind_param_len",
                "\0\0\0\x09\0\3\0\0\0B\0\0\0\x10\0\0\0\0\0\1\xff\xff\xff\xfe\0\0");
    WRITE_BYTES("bad_parse_count", "\0\0\0\x09\0\3\0\0\0P\0\0\0\x0d\0q\0\xff\xff\0\0\0\0");
    WRITE_BYTES("bad_sync_trailing", "\0\0\0\x09\0\3\0\0\0S\0\0\0\5x");
    WRITE_BYTES("bad_unknown_type", "\0\0\0\x09\0\3\0\0\0z\0\0\0\4");
    WRITE_BYTES("bad_error_fields", "E\0\0\0\x0fSERROR\0Mm\0\0");
    WRITE_BYTES("bad_datarow_len", "D\0\0\0\x0a\0\1\xff\xff\xff\xfe");
}

int
main(int argc, char **argv)
{
    Buf b;

    if (argc != 2) {
        fprintf(stderr, "usage: gen_corpus_wire DIR\n");
        return 2;
    }
    dir = argv[1];
    buf_init(&b, 0);
    gen_startup(&b);
    gen_client_streams(&b);
    gen_server_streams(&b);
    gen_malformed();
    buf_free(&b);
    printf("gen_corpus_wire: wrote %d files to %s\n", nfiles, dir);
    return 0;
}
