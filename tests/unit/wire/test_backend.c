/*
 * tests/unit/wire/test_backend.c — Check suite for wire/backend.c: every
 * backend message encoded with wire_put_*, framed, decoded with
 * wire_decode_backend and compared; the exact bytes of ErrorResponse and
 * NoticeResponse; truncation at every length; malformed messages.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/wire/wire_test.h"

static Arena *arena;
static Err err;
static uint8_t *kept[64];
static int nkept;

static void
setup(void)
{
    arena = arena_create("test", 0);
    err_clear(&err);
}

static void
teardown(void)
{
    while (nkept > 0)
        free(kept[--nkept]);
    arena_destroy(arena);
}

static void
keep(uint8_t *p)
{
    ck_assert_int_lt(nkept, 64);
    kept[nkept++] = p;
}

/* Frames the one message in b (type want) and decodes it into *out. */
static void
decode_buf(const Buf *b, char want, WireBackendMsg *out)
{
    size_t off = 0, len;
    uint8_t *body = take_frame(b, &off, want, &len);

    ck_assert_uint_eq(off, b->len);
    err_clear(&err);
    ck_assert_msg(wire_decode_backend(want, body, len, arena, out, &err) == 0, "'%c': %s", want,
                  err.message);
    ck_assert_int_eq(out->type, want);
    keep(body);
}

#define ROUND_TRIP(ty, out, ...)                                                                   \
    do {                                                                                           \
        Buf rt_b;                                                                                  \
        buf_init(&rt_b, 0);                                                                        \
        __VA_ARGS__;                                                                               \
        decode_buf(&rt_b, (ty), (out));                                                            \
        buf_free(&rt_b);                                                                           \
    } while (0)

static int
decode_bytes(char type, const void *p, size_t n, WireBackendMsg *out)
{
    uint8_t *copy = exact_copy(p, n);

    keep(copy);
    err_clear(&err);
    return wire_decode_backend(type, copy, n, arena, out, &err);
}

#define BODY(s) s, sizeof(s) - 1

/* ---- round trips ---- */

START_TEST(test_auth)
{
    static const uint8_t salt[4] = {1, 2, 3, 4};
    const char *mechs[] = {"SCRAM-SHA-256-PLUS", "SCRAM-SHA-256"};
    WireBackendMsg m;

    ROUND_TRIP('R', &m, wire_put_auth_ok(&rt_b));
    ck_assert_int_eq(m.u.auth.code, 0);
    ck_assert_uint_eq(m.u.auth.data.len, 0);
    ROUND_TRIP('R', &m, wire_put_auth_cleartext(&rt_b));
    ck_assert_int_eq(m.u.auth.code, 3);
    ROUND_TRIP('R', &m, wire_put_auth_md5(&rt_b, salt));
    ck_assert_int_eq(m.u.auth.code, 5);
    ck_assert_uint_eq(m.u.auth.data.len, 4);
    ck_assert_int_eq(memcmp(m.u.auth.data.data, salt, 4), 0);
    ROUND_TRIP('R', &m, wire_put_auth_sasl(&rt_b, mechs, 2));
    ck_assert_int_eq(m.u.auth.code, 10);
    ck_assert_uint_eq(m.u.auth.data.len, sizeof "SCRAM-SHA-256-PLUS" + sizeof "SCRAM-SHA-256" + 1);
    ck_assert_str_eq((const char *)m.u.auth.data.data, "SCRAM-SHA-256-PLUS");
    ck_assert_str_eq((const char *)m.u.auth.data.data + 19, "SCRAM-SHA-256");
    ROUND_TRIP('R', &m, wire_put_auth_sasl_continue(&rt_b, (const uint8_t *)"r=abc,s=xyz", 11));
    ck_assert_int_eq(m.u.auth.code, 11);
    ck_assert_uint_eq(m.u.auth.data.len, 11);
    ck_assert_int_eq(memcmp(m.u.auth.data.data, "r=abc,s=xyz", 11), 0);
    ROUND_TRIP('R', &m, wire_put_auth_sasl_final(&rt_b, (const uint8_t *)"v=sig", 5));
    ck_assert_int_eq(m.u.auth.code, 12);
    ck_assert_uint_eq(m.u.auth.data.len, 5);
}
END_TEST

START_TEST(test_session_start)
{
    const char *opts[] = {"_pq_.compression", "_pq_.x"};
    WireBackendMsg m;

    ROUND_TRIP('S', &m, wire_put_parameter_status(&rt_b, "server_version", "16.0"));
    ck_assert_str_eq(m.u.parameter_status.name, "server_version");
    ck_assert_str_eq(m.u.parameter_status.value, "16.0");
    ROUND_TRIP('K', &m, wire_put_backend_key_data(&rt_b, 12345, -7));
    ck_assert_int_eq(m.u.backend_key.pid, 12345);
    ck_assert_int_eq(m.u.backend_key.key, -7);
    ROUND_TRIP('Z', &m, wire_put_ready_for_query(&rt_b, 'I'));
    ck_assert_int_eq(m.u.ready_status, 'I');
    ROUND_TRIP('Z', &m, wire_put_ready_for_query(&rt_b, 'T'));
    ck_assert_int_eq(m.u.ready_status, 'T');
    ROUND_TRIP('Z', &m, wire_put_ready_for_query(&rt_b, 'E'));
    ck_assert_int_eq(m.u.ready_status, 'E');
    ROUND_TRIP('v', &m, wire_put_negotiate_protocol_version(&rt_b, WIRE_PROTOCOL_3_0, 2, opts));
    ck_assert_uint_eq(m.u.negotiate.newest_protocol, WIRE_PROTOCOL_3_0);
    ck_assert_int_eq(m.u.negotiate.noptions, 2);
    ck_assert_str_eq(m.u.negotiate.options[1], "_pq_.x");
    ROUND_TRIP('v', &m, wire_put_negotiate_protocol_version(&rt_b, WIRE_PROTOCOL_3_0, 0, NULL));
    ck_assert_int_eq(m.u.negotiate.noptions, 0);
}
END_TEST

START_TEST(test_descriptions)
{
    const WireField fields[] = {
        {"id", 16384, 1, 20, 8, -1, WIRE_FORMAT_BINARY},
        {"", 0, 0, 25, -1, -1, WIRE_FORMAT_TEXT},
        {"n", 4294967295u, -32768, 1700, -2, 0x7fffffff, WIRE_FORMAT_TEXT},
    };
    const uint32_t oids[] = {23, 25, 0};
    WireBackendMsg m;

    ROUND_TRIP('T', &m, wire_put_row_description(&rt_b, 3, fields));
    ck_assert_int_eq(m.u.row_description.nfields, 3);
    for (int i = 0; i < 3; i++) {
        const WireField *f = &m.u.row_description.fields[i];

        ck_assert_str_eq(f->name, fields[i].name);
        ck_assert_uint_eq(f->table_oid, fields[i].table_oid);
        ck_assert_int_eq(f->column_attnum, fields[i].column_attnum);
        ck_assert_uint_eq(f->type_oid, fields[i].type_oid);
        ck_assert_int_eq(f->type_len, fields[i].type_len);
        ck_assert_int_eq(f->type_mod, fields[i].type_mod);
        ck_assert_int_eq(f->format, fields[i].format);
    }
    ROUND_TRIP('T', &m, wire_put_row_description(&rt_b, 0, NULL));
    ck_assert_int_eq(m.u.row_description.nfields, 0);
    ROUND_TRIP('t', &m, wire_put_parameter_description(&rt_b, 3, oids));
    ck_assert_int_eq(m.u.parameter_description.nparams, 3);
    ck_assert_uint_eq(m.u.parameter_description.type_oids[1], 25);
    ROUND_TRIP('t', &m, wire_put_parameter_description(&rt_b, 0, NULL));
    ck_assert_int_eq(m.u.parameter_description.nparams, 0);
}
END_TEST

START_TEST(test_data_row)
{
    WireBackendMsg m;
    Buf b;
    size_t row, f;

    buf_init(&b, 0);
    row = wire_datarow_begin(&b, 4);
    f = wire_datarow_field_begin(&b);
    buf_put_str(&b, "hello");
    wire_datarow_field_end(&b, f);
    wire_datarow_null(&b);
    f = wire_datarow_field_begin(&b);
    wire_datarow_field_end(&b, f);
    f = wire_datarow_field_begin(&b);
    buf_put_u32(&b, 0);
    wire_datarow_field_end(&b, f);
    wire_datarow_end(&b, row);
    decode_buf(&b, 'D', &m);
    ck_assert_int_eq(m.u.data_row.ncols, 4);
    ck_assert_int_eq(m.u.data_row.cols[0].len, 5);
    ck_assert_int_eq(memcmp(m.u.data_row.cols[0].data, "hello", 5), 0);
    ck_assert_int_eq(m.u.data_row.cols[1].len, -1);
    ck_assert_ptr_null(m.u.data_row.cols[1].data);
    ck_assert_int_eq(m.u.data_row.cols[2].len, 0);
    ck_assert_int_eq(m.u.data_row.cols[3].len, 4);
    /* Empty row. */
    buf_reset(&b);
    wire_datarow_end(&b, wire_datarow_begin(&b, 0));
    decode_buf(&b, 'D', &m);
    ck_assert_int_eq(m.u.data_row.ncols, 0);
    /* A row that passes the ceiling leaves only the rows before it. */
    buf_free(&b);
    buf_init(&b, 32);
    wire_datarow_end(&b, wire_datarow_begin(&b, 0));
    row = wire_datarow_begin(&b, 1);
    f = wire_datarow_field_begin(&b);
    buf_put_str(&b, "a value that does not fit");
    wire_datarow_field_end(&b, f);
    wire_datarow_end(&b, row);
    ck_assert(b.failed);
    ck_assert_uint_eq(b.len, 7);
    buf_free(&b);
}
END_TEST

START_TEST(test_simple_messages)
{
    static const int16_t cf[] = {0, 1, 1};
    WireBackendMsg m;

    ROUND_TRIP('C', &m, wire_put_command_complete(&rt_b, "INSERT 0 5"));
    ck_assert_str_eq(m.u.command_tag, "INSERT 0 5");
    ROUND_TRIP('I', &m, wire_put_empty_query_response(&rt_b));
    ROUND_TRIP('1', &m, wire_put_parse_complete(&rt_b));
    ROUND_TRIP('2', &m, wire_put_bind_complete(&rt_b));
    ROUND_TRIP('3', &m, wire_put_close_complete(&rt_b));
    ROUND_TRIP('n', &m, wire_put_no_data(&rt_b));
    ROUND_TRIP('s', &m, wire_put_portal_suspended(&rt_b));
    ROUND_TRIP('c', &m, wire_put_copy_done(&rt_b));
    ROUND_TRIP('d', &m, wire_put_copy_data(&rt_b, (const uint8_t *)"a\tb\n", 4));
    ck_assert_uint_eq(m.u.copy_data.len, 4);
    ck_assert_int_eq(memcmp(m.u.copy_data.data, "a\tb\n", 4), 0);
    ROUND_TRIP('G', &m, wire_put_copy_in_response(&rt_b, 1, 3, cf));
    ck_assert_int_eq(m.u.copy_response.format, 1);
    ck_assert_int_eq(m.u.copy_response.ncols, 3);
    ck_assert_int_eq(m.u.copy_response.col_formats[2], 1);
    ROUND_TRIP('H', &m, wire_put_copy_out_response(&rt_b, 0, 0, NULL));
    ck_assert_int_eq(m.u.copy_response.format, 0);
    ck_assert_int_eq(m.u.copy_response.ncols, 0);
    ROUND_TRIP('A', &m, wire_put_notification(&rt_b, 77, "chan", "payload"));
    ck_assert_int_eq(m.u.notification.pid, 77);
    ck_assert_str_eq(m.u.notification.channel, "chan");
    ck_assert_str_eq(m.u.notification.payload, "payload");
}
END_TEST

/* ---- ErrorResponse / NoticeResponse ---- */

static const char full_error[] = "SERROR\0VERROR\0C42601\0Msyntax error at or near \"x\"\0"
                                 "DSome detail.\0HSome hint.\0P17\0WSQL function \"f\"\0";

START_TEST(test_error_bytes)
{
    Err e;
    Buf b;

    err_clear(&e);
    err_raise(&e, ERR_ERROR, ERRCODE_SYNTAX_ERROR, "syntax error at or near \"%s\"", "x");
    err_detail(&e, "Some detail.");
    err_hint(&e, "Some hint.");
    err_position(&e, 17);
    err_context(&e, "SQL function \"f\"");
    buf_init(&b, 0);
    wire_put_error(&b, &e);
    ck_assert(!b.failed);
    ck_assert_uint_eq(b.len, 5 + sizeof full_error); /* sizeof counts the final NUL */
    ck_assert_int_eq(b.data[0], 'E');
    ck_assert_uint_eq(buf_get_u32(b.data + 1), 4 + sizeof full_error);
    ck_assert_int_eq(memcmp(b.data + 5, full_error, sizeof full_error), 0);

    /* FATAL; no optional fields. */
    buf_reset(&b);
    err_clear(&e);
    err_raise(&e, ERR_FATAL, ERRCODE_PROTOCOL_VIOLATION, "bad");
    wire_put_error(&b, &e);
    ck_assert_uint_eq(b.len, 5 + sizeof "SFATAL\0VFATAL\0C08P01\0Mbad\0");
    ck_assert_int_eq(memcmp(b.data + 5, "SFATAL\0VFATAL\0C08P01\0Mbad\0", 27), 0);
    buf_free(&b);
}
END_TEST

START_TEST(test_notice_bytes)
{
    Err e;
    Buf b;

    buf_init(&b, 0);
    err_clear(&e);
    e.level = ERR_NOTICE;
    snprintf(e.message, sizeof e.message, "relation exists, skipping");
    snprintf(e.sqlstate, sizeof e.sqlstate, "42P07");
    wire_put_notice(&b, &e);
    ck_assert_int_eq(b.data[0], 'N');
    ck_assert_int_eq(memcmp(b.data + 5, "SNOTICE\0VNOTICE\0C42P07\0M", 24), 0);
    buf_reset(&b);
    e.level = ERR_WARNING;
    e.sqlstate[0] = '\0'; /* defaults to 01000 for a warning */
    wire_put_notice(&b, &e);
    ck_assert_int_eq(memcmp(b.data + 5, "SWARNING\0VWARNING\0C01000\0M", 26), 0);
    buf_free(&b);
}
END_TEST

START_TEST(test_error_round_trip)
{
    Err e;
    WireBackendMsg m;

    err_clear(&e);
    err_raise(&e, ERR_PANIC, ERRCODE_IO_ERROR, "could not fsync");
    err_detail(&e, "d");
    err_hint(&e, "h");
    err_context(&e, "w");
    err_position(&e, 2147483647);
    ROUND_TRIP('E', &m, wire_put_error(&rt_b, &e));
    ck_assert_int_eq(m.u.error.level, ERR_PANIC);
    ck_assert_str_eq(m.u.error.sqlstate, "58030");
    ck_assert_str_eq(m.u.error.message, "could not fsync");
    ck_assert_str_eq(m.u.error.detail, "d");
    ck_assert_str_eq(m.u.error.hint, "h");
    ck_assert_str_eq(m.u.error.context, "w");
    ck_assert_int_eq(m.u.error.position, 2147483647);
    e.level = ERR_WARNING;
    ROUND_TRIP('N', &m, wire_put_notice(&rt_b, &e));
    ck_assert_int_eq(m.u.error.level, ERR_WARNING);
    ck_assert_str_eq(m.u.error.message, "could not fsync");
    e.level = ERR_NOTICE;
    ROUND_TRIP('N', &m, wire_put_notice(&rt_b, &e));
    ck_assert_int_eq(m.u.error.level, ERR_NOTICE);
}
END_TEST

START_TEST(test_error_unterminated_err_fields)
{
    /* An Err filled by hand without NULs: the encoder stays inside each buffer. */
    Err *e = malloc(sizeof *e);
    WireBackendMsg m;

    memset(e, 'x', sizeof *e);
    e->level = ERR_ERROR;
    e->position = 0;
    ROUND_TRIP('E', &m, wire_put_error(&rt_b, e));
    ck_assert_uint_eq(strlen(m.u.error.message), ERR_MESSAGE_MAX - 1);
    ck_assert_str_eq(m.u.error.sqlstate, "XX000"); /* "xxxxxx" is no SQLSTATE */
    free(e);
}
END_TEST

START_TEST(test_error_decode_rules)
{
    WireBackendMsg m;

    /* Localized S with V: V decides. Unknown fields are skipped. */
    ck_assert_int_eq(decode_bytes('E', BODY("SFEHLER\0VFATAL\0C28000\0Mno\0Rauth.c\0L42\0\0"), &m),
                     0);
    ck_assert_int_eq(m.u.error.level, ERR_FATAL);
    ck_assert_str_eq(m.u.error.sqlstate, "28000");
    /* Only a localized S (pre-9.6 server): defaults by message type. */
    ck_assert_int_eq(decode_bytes('E', BODY("SFEHLER\0C22012\0Mx\0\0"), &m), 0);
    ck_assert_int_eq(m.u.error.level, ERR_ERROR);
    ck_assert_int_eq(decode_bytes('N', BODY("SHINWEIS\0C00000\0Mx\0\0"), &m), 0);
    ck_assert_int_eq(m.u.error.level, ERR_NOTICE);
    /* Text longer than the Err buffer is truncated. */
    {
        size_t n = 3 + 7 + 2 + ERR_MESSAGE_MAX * 2 + 1;
        uint8_t *p = calloc(1, n);

        memcpy(p, "SE\0C00000\0M", 11);
        memset(p + 11, 'y', ERR_MESSAGE_MAX * 2);
        ck_assert_int_eq(decode_bytes('E', p, n, &m), 0);
        ck_assert_uint_eq(strlen(m.u.error.message), ERR_MESSAGE_MAX - 1);
        free(p);
    }
}
END_TEST

/* ---- malformed ---- */

static void
expect_error(char type, const void *p, size_t n, const char *message)
{
    WireBackendMsg m;

    ck_assert_int_eq(decode_bytes(type, p, n, &m), -1);
    ck_assert_str_eq(err.sqlstate, "08P01");
    ck_assert_int_eq(err.level, ERR_ERROR);
    ck_assert_msg(strstr(err.message, message) != NULL, "\"%s\" lacks \"%s\"", err.message,
                  message);
}

START_TEST(test_error_malformed)
{
    expect_error('E', BODY("SERROR\0C42601\0\0"), "invalid ErrorResponse message: missing message");
    expect_error('E', BODY("SERROR\0Mm\0\0"), "missing SQLSTATE");
    expect_error('N', BODY("C42601\0Mm\0\0"), "invalid NoticeResponse message: missing severity");
    expect_error('E', BODY("SERROR\0C4260\0Mm\0\0"), "invalid SQLSTATE");
    expect_error('E', BODY("SERROR\0C426011\0Mm\0\0"), "invalid SQLSTATE");
    expect_error('E', BODY("SERROR\0Cabcde\0Mm\0\0"), "invalid SQLSTATE");
    expect_error('E', BODY("SERROR\0C42601\0Mm\0Pabc\0\0"), "invalid position");
    expect_error('E', BODY("SERROR\0C42601\0Mm\0P0\0\0"), "invalid position");
    expect_error('E', BODY("SERROR\0C42601\0Mm\0P-1\0\0"), "invalid position");
    expect_error('E', BODY("SERROR\0C42601\0Mm\0P2147483648\0\0"), "invalid position");
    expect_error('E', BODY("SERROR\0C42601\0Mm\0P\0\0"), "invalid position");
    expect_error('E', BODY("SERROR\0C42601\0Mm\0"), "truncated");
    expect_error('E', BODY("SERROR\0C42601\0Mm"), "not terminated");
    expect_error('E', BODY("SERROR\0C42601\0Mm\0\0\0"), "1 bytes of trailing data");
    expect_error('E', BODY(""), "truncated");
}
END_TEST

START_TEST(test_other_malformed)
{
    expect_error('Z', BODY("X"), "invalid ReadyForQuery message: invalid transaction status 88");
    expect_error('Z', BODY("II"), "trailing");
    expect_error('K', BODY("\0\0\0\1\0\0\0"), "truncated");
    expect_error('R', BODY("\0\0\0\0x"), "invalid Authentication message: 1 bytes of trailing");
    expect_error('R', BODY("\0\0\0\5abc"), "truncated");
    expect_error('R', BODY("\0\0\0\5abcde"), "trailing");
    expect_error('R', BODY("\0\0\0\x0aSCRAM\0"), "message ends");
    expect_error('R', BODY("\0\0\0\x0aSCRAM"), "not terminated");
    expect_error('R', BODY("\0\0\0\x0a\0x"), "trailing");
    expect_error('R', BODY("\0\0\0"), "truncated");
    /* RowDescription: count beyond the body; a field of 18 bytes; bad format. */
    expect_error('T', BODY("\0\2a\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"),
                 "field count 2 exceeds");
    expect_error('T', BODY("\0\1\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"), "field count 1 exceeds");
    expect_error('T', BODY("\0\1a\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\2"),
                 "field 1 has invalid format code 2");
    expect_error('T', BODY("\0\1aaaaaaaaaaaaaaaaaaaa"), "not terminated");
    /* DataRow: negative length, length beyond the body, trailing. */
    expect_error('D', BODY("\0\1\xff\xff\xff\xfe"), "column 1 has invalid length -2");
    expect_error('D', BODY("\0\1\0\0\0\5abcd"), "column 1 of 5 bytes exceeds the remaining 4");
    expect_error('D', BODY("\0\2\0\0\0\0"), "column count 2 exceeds");
    expect_error('D', BODY("\0\0\0"), "trailing");
    expect_error('t', BODY("\0\1\0\0\0"), "parameter count 1 exceeds");
    expect_error('G', BODY("\2\0\0"), "invalid overall format 2");
    expect_error('H', BODY("\0\0\1\0\5"), "column 1 has invalid format code 5");
    expect_error('H', BODY("\0\0\1"), "column format count 1 exceeds");
    expect_error('C', BODY("SELECT 1"), "not terminated");
    expect_error('S', BODY("a\0"), "message ends");
    expect_error('A', BODY("\0\0\0\1c\0"), "message ends");
    expect_error('v', BODY("\0\3\0\0\xff\xff\xff\xff"), "invalid option count -1");
    expect_error('v', BODY("\0\3\0\0\0\0\0\5a\0b\0"), "invalid option count 5");
    expect_error('v', BODY("\0\3\0\0\0\0\0\1a\0b\0"), "trailing");
    expect_error('I', BODY("x"), "invalid EmptyQueryResponse message");
    expect_error('1', BODY("x"), "invalid ParseComplete message");
    expect_error('Q', BODY(""), "invalid backend message type 81");
    expect_error('\x80', BODY(""), "invalid backend message type 128");
}
END_TEST

/* ---- truncation at every length ---- */

typedef void (*PutFn)(Buf *b);

static void
put_error(Buf *b)
{
    Err e;

    err_clear(&e);
    err_raise(&e, ERR_ERROR, ERRCODE_SYNTAX_ERROR, "oops");
    err_detail(&e, "d");
    err_position(&e, 3);
    wire_put_error(b, &e);
}

static void
put_row_description(Buf *b)
{
    const WireField f[] = {{"a", 1, 2, 23, 4, -1, 0}, {"b", 0, 0, 25, -1, -1, 1}};

    wire_put_row_description(b, 2, f);
}

static void
put_data_row(Buf *b)
{
    size_t row = wire_datarow_begin(b, 2), f;

    f = wire_datarow_field_begin(b);
    buf_put_str(b, "12");
    wire_datarow_field_end(b, f);
    wire_datarow_null(b);
    wire_datarow_end(b, row);
}

static void
put_sasl(Buf *b)
{
    const char *m[] = {"SCRAM-SHA-256"};

    wire_put_auth_sasl(b, m, 1);
}

static void
put_md5(Buf *b)
{
    wire_put_auth_md5(b, (const uint8_t *)"salt");
}

static void
put_ok(Buf *b)
{
    wire_put_auth_ok(b);
}

static void
put_status(Buf *b)
{
    wire_put_parameter_status(b, "TimeZone", "UTC");
}

static void
put_key(Buf *b)
{
    wire_put_backend_key_data(b, 1, 2);
}

static void
put_ready(Buf *b)
{
    wire_put_ready_for_query(b, 'I');
}

static void
put_param_desc(Buf *b)
{
    const uint32_t oids[] = {23, 25};

    wire_put_parameter_description(b, 2, oids);
}

static void
put_complete(Buf *b)
{
    wire_put_command_complete(b, "SELECT 1");
}

static void
put_copy_in(Buf *b)
{
    const int16_t f[] = {0, 0};

    wire_put_copy_in_response(b, 0, 2, f);
}

static void
put_notification(Buf *b)
{
    wire_put_notification(b, 5, "c", "p");
}

static void
put_negotiate(Buf *b)
{
    const char *o[] = {"_pq_.a"};

    wire_put_negotiate_protocol_version(b, WIRE_PROTOCOL_3_0, 1, o);
}

static void
put_notice(Buf *b)
{
    Err e;

    err_clear(&e);
    e.level = ERR_NOTICE;
    wire_put_notice(b, &e);
}

static void
put_empty_query(Buf *b)
{
    wire_put_empty_query_response(b);
}

static void
put_continue(Buf *b)
{
    wire_put_auth_sasl_continue(b, (const uint8_t *)"r=1", 3);
}

static void
put_copy_data(Buf *b)
{
    wire_put_copy_data(b, (const uint8_t *)"x", 1);
}

static const struct {
    char type;
    PutFn put;
    size_t valid_from; /* truncated bodies at least this long still decode (raw tails) */
} all_messages[] = {
    {'R', put_ok, SIZE_MAX},        {'R', put_md5, SIZE_MAX},
    {'R', put_sasl, SIZE_MAX},      {'R', put_continue, 4},
    {'S', put_status, SIZE_MAX},    {'K', put_key, SIZE_MAX},
    {'Z', put_ready, SIZE_MAX},     {'T', put_row_description, SIZE_MAX},
    {'D', put_data_row, SIZE_MAX},  {'t', put_param_desc, SIZE_MAX},
    {'C', put_complete, SIZE_MAX},  {'I', put_empty_query, SIZE_MAX},
    {'E', put_error, SIZE_MAX},     {'N', put_notice, SIZE_MAX},
    {'G', put_copy_in, SIZE_MAX},   {'A', put_notification, SIZE_MAX},
    {'v', put_negotiate, SIZE_MAX}, {'d', put_copy_data, 0},
};

START_TEST(test_truncations)
{
    for (size_t t = 0; t < sizeof all_messages / sizeof all_messages[0]; t++) {
        char type = all_messages[t].type;
        Buf b;
        size_t off = 0, len;
        uint8_t *body;
        WireBackendMsg m;

        buf_init(&b, 0);
        all_messages[t].put(&b);
        check_prefixes_need_more(&b);
        body = take_frame(&b, &off, type, &len);
        for (size_t k = 0; k < len; k++) {
            uint8_t *p = exact_copy(body, k);
            int rc;

            err_clear(&err);
            rc = wire_decode_backend(type, p, k, arena, &m, &err);
            free(p);
            if (k >= all_messages[t].valid_from) {
                ck_assert_int_eq(rc, 0);
                continue;
            }
            ck_assert_msg(rc == -1, "'%c' #%zu truncated to %zu bytes decoded", type, t, k);
            ck_assert_str_eq(err.sqlstate, "08P01");
        }
        free(body);
        buf_free(&b);
    }
}
END_TEST

static Suite *
backend_suite(void)
{
    Suite *s = suite_create("wire_backend");
    TCase *enc = tcase_create("round_trip");
    TCase *errs = tcase_create("errors");
    TCase *bad = tcase_create("malformed");

    tcase_add_checked_fixture(enc, setup, teardown);
    tcase_add_test(enc, test_auth);
    tcase_add_test(enc, test_session_start);
    tcase_add_test(enc, test_descriptions);
    tcase_add_test(enc, test_data_row);
    tcase_add_test(enc, test_simple_messages);
    suite_add_tcase(s, enc);

    tcase_add_checked_fixture(errs, setup, teardown);
    tcase_add_test(errs, test_error_bytes);
    tcase_add_test(errs, test_notice_bytes);
    tcase_add_test(errs, test_error_round_trip);
    tcase_add_test(errs, test_error_unterminated_err_fields);
    tcase_add_test(errs, test_error_decode_rules);
    suite_add_tcase(s, errs);

    tcase_add_checked_fixture(bad, setup, teardown);
    tcase_add_test(bad, test_error_malformed);
    tcase_add_test(bad, test_other_malformed);
    tcase_add_test(bad, test_truncations);
    suite_add_tcase(s, bad);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(backend_suite());
    int failed;

    srunner_set_fork_status(sr, CK_FORK);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
