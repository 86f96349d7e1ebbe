/*
 * tests/unit/wire/test_frontend.c — Check suite for wire/frontend.c: the
 * startup packet and every frontend message, encoded with wire_put_*, framed
 * with wire_frame_*, decoded and compared; then truncated at every length and
 * malformed in every way the decoder must refuse.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/wire/wire_test.h"

static Arena *arena;
static Err err;

static void
setup(void)
{
    arena = arena_create("test", 0);
    err_clear(&err);
}

static void
teardown(void)
{
    arena_destroy(arena);
}

/* Encodes a frontend message with fn, frames it, decodes it into *out. */
#define ROUND_TRIP(ty, out, ...)                                                                   \
    do {                                                                                           \
        Buf rt_b;                                                                                  \
        size_t rt_off = 0, rt_len;                                                                 \
        uint8_t *rt_body;                                                                          \
        buf_init(&rt_b, 0);                                                                        \
        __VA_ARGS__;                                                                               \
        rt_body = take_frame(&rt_b, &rt_off, (ty), &rt_len);                                       \
        ck_assert_uint_eq(rt_off, rt_b.len);                                                       \
        ck_assert_msg(wire_decode_message((ty), rt_body, rt_len, arena, (out), &err) == 0,         \
                      "decode failed: %s", err.message);                                           \
        ck_assert_int_eq((out)->type, (ty));                                                       \
        keep(rt_body);                                                                             \
        buf_free(&rt_b);                                                                           \
    } while (0)

/* Decoded messages point into the body: free bodies at teardown of the test. */
static uint8_t *kept[64];
static int nkept;

static void
keep(uint8_t *p)
{
    ck_assert_int_lt(nkept, 64);
    kept[nkept++] = p;
}

static int
decode_bytes(char type, const void *p, size_t n, WireMsg *out)
{
    uint8_t *copy = exact_copy(p, n);
    int rc;

    err_clear(&err);
    rc = wire_decode_message(type, copy, n, arena, out, &err);
    keep(copy);
    return rc;
}

/* ---- startup ---- */

static int
decode_startup_bytes(const uint8_t *p, size_t n, WireStartup *out)
{
    uint8_t *copy = exact_copy(p, n);
    int rc;

    err_clear(&err);
    rc = wire_decode_startup(copy, n, arena, out, &err);
    keep(copy);
    return rc;
}

/* Frames and decodes the startup packet at the start of b. */
static int
frame_and_decode_startup(const Buf *b, WireStartup *out)
{
    size_t flen = 0;

    ck_assert(!b->failed);
    err_clear(&err);
    ck_assert_int_eq(wire_frame_startup(b->data, b->len, &flen, &err), 1);
    ck_assert_uint_eq(flen, b->len);
    return decode_startup_bytes(b->data, flen, out);
}

START_TEST(test_startup_round_trip)
{
    const char *names[] = {"user", "database", "options", "application_name"};
    const char *values[] = {"alice", "dev", "-c search_path=x", ""};
    WireStartup st;
    Buf b;

    buf_init(&b, 0);
    wire_put_startup(&b, WIRE_PROTOCOL_3_0, 4, names, values);
    ck_assert_int_eq(frame_and_decode_startup(&b, &st), 0);
    ck_assert_int_eq(st.kind, WIRE_STARTUP_NORMAL);
    ck_assert_uint_eq(st.protocol, WIRE_PROTOCOL_3_0);
    ck_assert_int_eq(st.nparams, 4);
    for (int i = 0; i < 4; i++) {
        ck_assert_str_eq(st.names[i], names[i]);
        ck_assert_str_eq(st.values[i], values[i]);
    }
    /* No parameters at all: just the terminator. */
    buf_reset(&b);
    wire_put_startup(&b, WIRE_PROTOCOL_3_0, 0, NULL, NULL);
    ck_assert_uint_eq(b.len, 9);
    ck_assert_int_eq(frame_and_decode_startup(&b, &st), 0);
    ck_assert_int_eq(st.nparams, 0);
    ck_assert_ptr_null(st.names);
    /* 3.1 (newer minor) is parsed like 3.0; the caller negotiates. */
    buf_reset(&b);
    wire_put_startup(&b, WIRE_PROTOCOL_3_0 + 1, 1, names, values);
    ck_assert_int_eq(frame_and_decode_startup(&b, &st), 0);
    ck_assert_uint_eq(st.protocol, 196609);
    ck_assert_int_eq(st.nparams, 1);
    ck_assert_str_eq(st.values[0], "alice");
    buf_free(&b);
}
END_TEST

START_TEST(test_startup_requests)
{
    WireStartup st;
    Buf b;

    buf_init(&b, 0);
    wire_put_ssl_request(&b);
    ck_assert_int_eq(frame_and_decode_startup(&b, &st), 0);
    ck_assert_int_eq(st.kind, WIRE_STARTUP_SSL);
    buf_reset(&b);
    wire_put_gssenc_request(&b);
    ck_assert_int_eq(frame_and_decode_startup(&b, &st), 0);
    ck_assert_int_eq(st.kind, WIRE_STARTUP_GSSENC);
    buf_reset(&b);
    wire_put_cancel_request(&b, 4242, -123456789);
    ck_assert_uint_eq(b.len, 16);
    ck_assert_int_eq(frame_and_decode_startup(&b, &st), 0);
    ck_assert_int_eq(st.kind, WIRE_STARTUP_CANCEL);
    ck_assert_int_eq(st.cancel_pid, 4242);
    ck_assert_int_eq(st.cancel_key, -123456789);
    buf_free(&b);
}
END_TEST

/* A packet of n bytes: length word n, then code, then the payload bytes. */
static size_t
make_packet(uint8_t *p, size_t n, uint32_t code, const void *payload, size_t plen)
{
    memset(p, 0, n);
    p[0] = (uint8_t)(n >> 24);
    p[1] = (uint8_t)(n >> 16);
    p[2] = (uint8_t)(n >> 8);
    p[3] = (uint8_t)n;
    p[4] = (uint8_t)(code >> 24);
    p[5] = (uint8_t)(code >> 16);
    p[6] = (uint8_t)(code >> 8);
    p[7] = (uint8_t)code;
    memcpy(p + 8, payload, plen);
    return n;
}

static void
expect_startup_error(const uint8_t *p, size_t n, const char *message)
{
    WireStartup st;

    ck_assert_int_eq(decode_startup_bytes(p, n, &st), -1);
    ck_assert_int_eq(err.level, ERR_FATAL);
    ck_assert_str_eq(err.sqlstate, "08P01");
    ck_assert_msg(strstr(err.message, message) != NULL, "\"%s\" lacks \"%s\"", err.message,
                  message);
}

START_TEST(test_startup_layout_errors)
{
    uint8_t p[64];

    make_packet(p, 8, WIRE_PROTOCOL_3_0, "", 0);
    expect_startup_error(p, 8, "invalid startup packet: expected terminator as last byte");
    make_packet(p, 12, WIRE_PROTOCOL_3_0, "user", 4);
    expect_startup_error(p, 12, "string at byte 0 is not terminated");
    make_packet(p, 13, WIRE_PROTOCOL_3_0, "user", 5);
    expect_startup_error(p, 13, "missing value for parameter 1");
    make_packet(p, 16, WIRE_PROTOCOL_3_0, "user\0bob", 8);
    expect_startup_error(p, 16, "string at byte 5 is not terminated");
    make_packet(p, 17, WIRE_PROTOCOL_3_0, "user\0bob", 9);
    expect_startup_error(p, 17, "expected terminator as last byte");
    make_packet(p, 19, WIRE_PROTOCOL_3_0, "user\0bob\0\0x", 11);
    expect_startup_error(p, 19, "invalid startup packet: 1 bytes of trailing data");
    make_packet(p, 19, WIRE_PROTOCOL_3_0, "user\0bob\0\0\0", 11);
    expect_startup_error(p, 19, "1 bytes of trailing data");
}
END_TEST

START_TEST(test_startup_length_errors)
{
    uint8_t p[WIRE_MAX_STARTUP_LEN + 1];
    WireStartup st;

    /* The length word must agree with the frame. */
    make_packet(p, 9, WIRE_PROTOCOL_3_0, "", 1);
    expect_startup_error(p, 8, "invalid length of startup packet");
    expect_startup_error(p, 7, "invalid length of startup packet");
    make_packet(p, 10001, WIRE_PROTOCOL_3_0, "", 0);
    expect_startup_error(p, 10001, "invalid length of startup packet");
    /* The largest legal packet: 3.0, one long option value. */
    make_packet(p, 10000, WIRE_PROTOCOL_3_0, "options", 8);
    memset(p + 16, 'x', 10000 - 16 - 2);
    ck_assert_int_eq(decode_startup_bytes(p, 10000, &st), 0);
    ck_assert_int_eq(st.nparams, 1);
    ck_assert_uint_eq(strlen(st.values[0]), 10000 - 18);
    /* Fixed-size requests with the wrong size. */
    make_packet(p, 15, WIRE_CANCEL_REQUEST_CODE, "", 0);
    expect_startup_error(p, 15, "invalid length of CancelRequest packet: 15 bytes, expected 16");
    make_packet(p, 17, WIRE_CANCEL_REQUEST_CODE, "", 0);
    expect_startup_error(p, 17, "CancelRequest");
    make_packet(p, 8, WIRE_CANCEL_REQUEST_CODE, "", 0);
    expect_startup_error(p, 8, "CancelRequest");
    make_packet(p, 12, WIRE_SSL_REQUEST_CODE, "", 0);
    expect_startup_error(p, 12, "invalid length of SSLRequest packet");
    make_packet(p, 9, WIRE_GSSENC_REQUEST_CODE, "", 0);
    expect_startup_error(p, 9, "invalid length of GSSENCRequest packet");
}
END_TEST

START_TEST(test_startup_other_protocols)
{
    uint8_t p[64];
    WireStartup st;

    /* 2.0 and 4.0: not an error here; the caller answers 0A000. */
    make_packet(p, 40, 2u << 16, "garbage without terminators", 27);
    ck_assert_int_eq(decode_startup_bytes(p, 40, &st), 0);
    ck_assert_int_eq(st.kind, WIRE_STARTUP_NORMAL);
    ck_assert_uint_eq(st.protocol, 131072);
    ck_assert_int_eq(st.nparams, 0);
    make_packet(p, 8, 4u << 16, "", 0);
    ck_assert_int_eq(decode_startup_bytes(p, 8, &st), 0);
    ck_assert_int_eq(st.kind, WIRE_STARTUP_NORMAL);
    ck_assert_uint_eq(st.protocol, 262144);
    /* A neighbour of the request codes is just an unknown protocol. */
    make_packet(p, 8, WIRE_GSSENC_REQUEST_CODE + 1, "", 0);
    ck_assert_int_eq(decode_startup_bytes(p, 8, &st), 0);
    ck_assert_int_eq(st.kind, WIRE_STARTUP_NORMAL);
    ck_assert_uint_eq(st.protocol, WIRE_GSSENC_REQUEST_CODE + 1);
}
END_TEST

START_TEST(test_startup_truncations)
{
    const char *names[] = {"user", "database"};
    const char *values[] = {"bob", "db"};
    WireStartup st;
    Buf b;
    size_t flen;

    buf_init(&b, 0);
    wire_put_startup(&b, WIRE_PROTOCOL_3_0, 2, names, values);
    for (size_t k = 0; k < b.len; k++) {
        uint8_t *p = exact_copy(b.data, k);

        err_clear(&err);
        ck_assert_int_eq(wire_frame_startup(p, k, &flen, &err), 0);
        free(p);
        /* Decoding a prefix as if it were whole: the length word disagrees. */
        if (k >= 8)
            ck_assert_int_eq(decode_startup_bytes(b.data, k, &st), -1);
    }
    buf_free(&b);
}
END_TEST

START_TEST(test_startup_arena_bound)
{
    /* As many pairs as fit: name "a", empty value, 3 bytes each. */
    enum { NPAIRS = (WIRE_MAX_STARTUP_LEN - 9) / 3, LEN = 8 + NPAIRS * 3 + 1 };
    uint8_t p[LEN];
    WireStartup st;

    make_packet(p, LEN, WIRE_PROTOCOL_3_0, "", 0);
    for (int i = 0; i < NPAIRS; i++)
        memcpy(p + 8 + 3 * i, "a\0\0", 3);
    arena_reset(arena);
    ck_assert_int_eq(decode_startup_bytes(p, LEN, &st), 0);
    ck_assert_int_eq(st.nparams, NPAIRS);
    ck_assert_str_eq(st.names[NPAIRS - 1], "a");
    ck_assert_uint_le(arena_used(arena), 8 * LEN);
}
END_TEST

/* ---- regular messages: round trips ---- */

START_TEST(test_query)
{
    WireMsg m;

    ROUND_TRIP('Q', &m, wire_put_query(&rt_b, "select 1; select 2"));
    ck_assert_str_eq(m.u.query.sql, "select 1; select 2");
    ROUND_TRIP('Q', &m, wire_put_query(&rt_b, ""));
    ck_assert_str_eq(m.u.query.sql, "");
}
END_TEST

START_TEST(test_parse)
{
    const uint32_t oids[] = {23, 0, 4294967295u};
    WireMsg m;

    ROUND_TRIP('P', &m, wire_put_parse(&rt_b, "s1", "select $1, $2, $3", 3, oids));
    ck_assert_str_eq(m.u.parse.stmt_name, "s1");
    ck_assert_str_eq(m.u.parse.query, "select $1, $2, $3");
    ck_assert_int_eq(m.u.parse.nparam_types, 3);
    for (int i = 0; i < 3; i++)
        ck_assert_uint_eq(m.u.parse.param_types[i], oids[i]);
    ROUND_TRIP('P', &m, wire_put_parse(&rt_b, "", "select 1", 0, NULL));
    ck_assert_str_eq(m.u.parse.stmt_name, "");
    ck_assert_int_eq(m.u.parse.nparam_types, 0);
    ck_assert_ptr_null(m.u.parse.param_types);
}
END_TEST

static void
check_values(int n, const WireParamValue *got, const WireParamValue *want)
{
    for (int i = 0; i < n; i++) {
        ck_assert_int_eq(got[i].len, want[i].len);
        if (want[i].len < 0)
            ck_assert_ptr_null(got[i].data);
        else if (want[i].len > 0)
            ck_assert_int_eq(memcmp(got[i].data, want[i].data, (size_t)want[i].len), 0);
    }
}

START_TEST(test_bind)
{
    int16_t pf[] = {1};
    int16_t rf[] = {0, 1};
    WireParamValue params[] = {{3, (const uint8_t *)"abc"},
                               {-1, NULL},
                               {0, (const uint8_t *)""},
                               {4, (const uint8_t *)"\0\0\0\1"}};
    WireBind in = {"portal", "stmt", 1, pf, 4, params, 2, rf};
    WireBind empty = {"", "", 0, NULL, 0, NULL, 0, NULL};
    WireMsg m;

    ROUND_TRIP('B', &m, wire_put_bind(&rt_b, &in));
    ck_assert_str_eq(m.u.bind.portal_name, "portal");
    ck_assert_str_eq(m.u.bind.stmt_name, "stmt");
    ck_assert_int_eq(m.u.bind.nparam_formats, 1);
    ck_assert_int_eq(m.u.bind.param_formats[0], 1);
    ck_assert_int_eq(m.u.bind.nparams, 4);
    check_values(4, m.u.bind.params, params);
    ck_assert_int_eq(m.u.bind.nresult_formats, 2);
    ck_assert_int_eq(m.u.bind.result_formats[0], 0);
    ck_assert_int_eq(m.u.bind.result_formats[1], 1);

    ROUND_TRIP('B', &m, wire_put_bind(&rt_b, &empty));
    ck_assert_int_eq(m.u.bind.nparam_formats, 0);
    ck_assert_int_eq(m.u.bind.nparams, 0);
    ck_assert_int_eq(m.u.bind.nresult_formats, 0);
    ck_assert_ptr_null(m.u.bind.params);

    /* n formats for n parameters. */
    int16_t pf4[] = {0, 1, 1, 0};
    in.nparam_formats = 4;
    in.param_formats = pf4;
    ROUND_TRIP('B', &m, wire_put_bind(&rt_b, &in));
    ck_assert_int_eq(m.u.bind.nparam_formats, 4);
    ck_assert_int_eq(m.u.bind.param_formats[2], 1);
}
END_TEST

START_TEST(test_bind_max_params)
{
    WireParamValue *params = calloc(WIRE_MAX_FIELDS, sizeof *params);
    WireBind in = {"", "", 0, NULL, WIRE_MAX_FIELDS, params, 0, NULL};
    WireMsg m;

    for (int i = 0; i < WIRE_MAX_FIELDS; i++)
        params[i].len = -1;
    ROUND_TRIP('B', &m, wire_put_bind(&rt_b, &in));
    ck_assert_int_eq(m.u.bind.nparams, 65535);
    ck_assert_int_eq(m.u.bind.params[65534].len, -1);
    free(params);
}
END_TEST

START_TEST(test_describe_close_execute)
{
    WireMsg m;

    ROUND_TRIP('D', &m, wire_put_describe(&rt_b, 'S', "stmt"));
    ck_assert_int_eq(m.u.describe.what, 'S');
    ck_assert_str_eq(m.u.describe.name, "stmt");
    ROUND_TRIP('D', &m, wire_put_describe(&rt_b, 'P', ""));
    ck_assert_int_eq(m.u.describe.what, 'P');
    ck_assert_str_eq(m.u.describe.name, "");
    ROUND_TRIP('C', &m, wire_put_close(&rt_b, 'P', "c1"));
    ck_assert_int_eq(m.u.close.what, 'P');
    ck_assert_str_eq(m.u.close.name, "c1");
    ROUND_TRIP('E', &m, wire_put_execute(&rt_b, "c1", 100));
    ck_assert_str_eq(m.u.execute.portal_name, "c1");
    ck_assert_int_eq(m.u.execute.max_rows, 100);
    /* PostgreSQL treats max_rows <= 0 as "all rows". */
    ROUND_TRIP('E', &m, wire_put_execute(&rt_b, "", -5));
    ck_assert_int_eq(m.u.execute.max_rows, 0);
}
END_TEST

START_TEST(test_empty_messages)
{
    WireMsg m;

    ROUND_TRIP('S', &m, wire_put_sync(&rt_b));
    ROUND_TRIP('H', &m, wire_put_flush(&rt_b));
    ROUND_TRIP('X', &m, wire_put_terminate(&rt_b));
    ROUND_TRIP('c', &m, wire_put_copy_done(&rt_b));
}
END_TEST

START_TEST(test_copy_and_password)
{
    static const uint8_t bin[] = {0, 1, 2, 0xff, 0};
    WireMsg m;

    ROUND_TRIP('d', &m, wire_put_copy_data(&rt_b, bin, sizeof bin));
    ck_assert_uint_eq(m.u.copy_data.len, sizeof bin);
    ck_assert_int_eq(memcmp(m.u.copy_data.data, bin, sizeof bin), 0);
    ROUND_TRIP('d', &m, wire_put_copy_data(&rt_b, NULL, 0));
    ck_assert_uint_eq(m.u.copy_data.len, 0);
    ROUND_TRIP('f', &m, wire_put_copy_fail(&rt_b, "disk on fire"));
    ck_assert_str_eq(m.u.copy_fail.message, "disk on fire");
    ROUND_TRIP('p', &m, wire_put_password(&rt_b, bin, sizeof bin));
    ck_assert_uint_eq(m.u.password.len, sizeof bin);
    ck_assert_int_eq(memcmp(m.u.password.data, bin, sizeof bin), 0);
}
END_TEST

START_TEST(test_password_bodies)
{
    const char *pw, *mech;
    WireBytes data;
    WireMsg m;

    ROUND_TRIP('p', &m, wire_put_password(&rt_b, (const uint8_t *)"md5abc", 7));
    ck_assert_int_eq(wire_decode_password(m.u.password.data, m.u.password.len, &pw, &err), 0);
    ck_assert_str_eq(pw, "md5abc");
    ck_assert_int_eq(wire_decode_password((const uint8_t *)"abc", 3, &pw, &err), -1);
    ck_assert_int_eq(err.level, ERR_FATAL);
    ck_assert_str_eq(err.sqlstate, "08P01");
    err_clear(&err);
    ck_assert_int_eq(wire_decode_password((const uint8_t *)"a\0b", 3, &pw, &err), -1);
    err_clear(&err);
    ck_assert_int_eq(wire_decode_password(NULL, 0, &pw, &err), -1);

    ROUND_TRIP('p', &m,
               wire_put_sasl_initial_response(&rt_b, "SCRAM-SHA-256", (const uint8_t *)"n,,n=", 5));
    ck_assert_int_eq(
        wire_decode_sasl_initial(m.u.password.data, m.u.password.len, &mech, &data, &err), 0);
    ck_assert_str_eq(mech, "SCRAM-SHA-256");
    ck_assert_uint_eq(data.len, 5);
    ck_assert_int_eq(memcmp(data.data, "n,,n=", 5), 0);
    ROUND_TRIP('p', &m, wire_put_sasl_initial_response(&rt_b, "SCRAM-SHA-256", NULL, 0));
    ck_assert_int_eq(
        wire_decode_sasl_initial(m.u.password.data, m.u.password.len, &mech, &data, &err), 0);
    ck_assert_ptr_null(data.data);
    ck_assert_uint_eq(data.len, 0);
    ROUND_TRIP('p', &m, wire_put_sasl_initial_response(&rt_b, "X", (const uint8_t *)"", 0));
    ck_assert_int_eq(
        wire_decode_sasl_initial(m.u.password.data, m.u.password.len, &mech, &data, &err), 0);
    ck_assert_ptr_nonnull(data.data);
    ck_assert_uint_eq(data.len, 0);
    /* length 4 with 3 bytes; trailing byte; negative length. */
    ck_assert_int_eq(
        wire_decode_sasl_initial((const uint8_t *)"M\0\0\0\0\4abc", 9, &mech, &data, &err), -1);
    ck_assert_int_eq(err.level, ERR_FATAL);
    err_clear(&err);
    ck_assert_int_eq(
        wire_decode_sasl_initial((const uint8_t *)"M\0\0\0\0\1ab", 9, &mech, &data, &err), -1);
    err_clear(&err);
    ck_assert_int_eq(
        wire_decode_sasl_initial((const uint8_t *)"M\0\xff\xff\xff\xfe", 6, &mech, &data, &err),
        -1);
}
END_TEST

START_TEST(test_function_call)
{
    int16_t af[] = {1};
    WireParamValue args[] = {{2, (const uint8_t *)"hi"}, {-1, NULL}};
    WireFunctionCall in = {1234, 1, af, 2, args, 1};
    WireMsg m;

    ROUND_TRIP('F', &m, wire_put_function_call(&rt_b, &in));
    ck_assert_uint_eq(m.u.function_call.function_oid, 1234);
    ck_assert_int_eq(m.u.function_call.narg_formats, 1);
    ck_assert_int_eq(m.u.function_call.arg_formats[0], 1);
    ck_assert_int_eq(m.u.function_call.nargs, 2);
    check_values(2, m.u.function_call.args, args);
    ck_assert_int_eq(m.u.function_call.result_format, 1);
}
END_TEST

/* ---- truncation at every length, for every message type ---- */

typedef void (*PutFn)(Buf *b);

static void
put_q(Buf *b)
{
    wire_put_query(b, "select 1");
}
static void
put_p(Buf *b)
{
    static const uint32_t oids[] = {23, 25};
    wire_put_parse(b, "s", "select $1, $2", 2, oids);
}
static void
put_b(Buf *b)
{
    static int16_t pf[] = {0, 1};
    static int16_t rf[] = {1};
    static WireParamValue v[] = {{2, (const uint8_t *)"42"}, {-1, NULL}};
    WireBind bind = {"p", "s", 2, pf, 2, v, 1, rf};
    wire_put_bind(b, &bind);
}
static void
put_d(Buf *b)
{
    wire_put_describe(b, 'S', "s");
}
static void
put_e(Buf *b)
{
    wire_put_execute(b, "p", 10);
}
static void
put_c(Buf *b)
{
    wire_put_close(b, 'S', "s");
}
static void
put_f(Buf *b)
{
    wire_put_copy_fail(b, "no");
}
static void
put_fc(Buf *b)
{
    static int16_t af[] = {0};
    static WireParamValue v[] = {{1, (const uint8_t *)"x"}};
    WireFunctionCall call = {99, 1, af, 1, v, 0};
    wire_put_function_call(b, &call);
}
static void
put_sync(Buf *b)
{
    wire_put_sync(b);
}
static void
put_flush(Buf *b)
{
    wire_put_flush(b);
}
static void
put_term(Buf *b)
{
    wire_put_terminate(b);
}
static void
put_copy_done(Buf *b)
{
    wire_put_copy_done(b);
}
static void
put_copy_data(Buf *b)
{
    wire_put_copy_data(b, (const uint8_t *)"1\t2\n", 4);
}
static void
put_pw(Buf *b)
{
    wire_put_password(b, (const uint8_t *)"pw", 3);
}

static const struct {
    char type;
    PutFn put;
    bool is_raw; /* any body is a valid message */
} all_messages[] = {
    {'Q', put_q, false},        {'P', put_p, false},    {'B', put_b, false},
    {'D', put_d, false},        {'E', put_e, false},    {'C', put_c, false},
    {'f', put_f, false},        {'F', put_fc, false},   {'S', put_sync, false},
    {'H', put_flush, false},    {'X', put_term, false}, {'c', put_copy_done, false},
    {'d', put_copy_data, true}, {'p', put_pw, true},
};

START_TEST(test_truncations)
{
    for (size_t t = 0; t < sizeof all_messages / sizeof all_messages[0]; t++) {
        char type = all_messages[t].type;
        Buf b;
        size_t off = 0, len;
        uint8_t *body, *longer;
        WireMsg m;

        buf_init(&b, 0);
        all_messages[t].put(&b);
        check_prefixes_need_more(&b);
        body = take_frame(&b, &off, type, &len);
        ck_assert_int_eq(decode_bytes(type, body, len, &m), 0);
        for (size_t k = 0; k < len; k++) {
            int rc = decode_bytes(type, body, k, &m);

            nkept--; /* decode_bytes kept the copy; nothing points into it after this */
            free(kept[nkept]);
            if (all_messages[t].is_raw) {
                ck_assert_int_eq(rc, 0);
                continue;
            }
            ck_assert_msg(rc == -1, "'%c' truncated to %zu bytes decoded", type, k);
            ck_assert_str_eq(err.sqlstate, "08P01");
            ck_assert_int_eq(err.level, ERR_ERROR);
        }
        /* One trailing byte. */
        longer = calloc(1, len + 1);
        memcpy(longer, body, len);
        ck_assert_int_eq(decode_bytes(type, longer, len + 1, &m), all_messages[t].is_raw ? 0 : -1);
        if (!all_messages[t].is_raw)
            ck_assert_ptr_nonnull(strstr(err.message, "1 bytes of trailing data"));
        nkept--;
        free(kept[nkept]);
        free(longer);
        free(body);
        buf_free(&b);
    }
}
END_TEST

/* ---- malformed messages ---- */

static void
expect_error(char type, const void *p, size_t n, const char *state, ErrLevel level,
             const char *message)
{
    WireMsg m;

    ck_assert_int_eq(decode_bytes(type, p, n, &m), -1);
    ck_assert_str_eq(err.sqlstate, state);
    ck_assert_int_eq(err.level, level);
    ck_assert_msg(strstr(err.message, message) != NULL, "\"%s\" lacks \"%s\"", err.message,
                  message);
}

#define BODY(s) s, sizeof(s) - 1

START_TEST(test_bind_malformed)
{
    /* portal "", stmt "", 1 format = 2, 0 params, 0 result formats */
    expect_error('B', BODY("\0\0\0\1\0\2\0\0\0\0"), "22023", ERR_ERROR,
                 "unsupported format code: 2");
    /* result format -1 */
    expect_error('B', BODY("\0\0\0\0\0\0\0\1\xff\xff"), "22023", ERR_ERROR,
                 "unsupported format code: -1");
    /* 2 formats, 3 params (all NULL) */
    expect_error('B',
                 BODY("\0\0\0\2\0\0\0\0\0\3\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\0\0"),
                 "08P01", ERR_ERROR, "bind message has 2 parameter formats but 3 parameters");
    /* parameter length -2 */
    expect_error('B', BODY("\0\0\0\0\0\1\xff\xff\xff\xfe\0\0"), "08P01", ERR_ERROR,
                 "invalid Bind message: parameter 1 has invalid length -2");
    /* parameter length larger than the body */
    expect_error('B', BODY("\0\0\0\0\0\1\0\0\0\7ab\0\0"), "08P01", ERR_ERROR,
                 "parameter 1 of 7 bytes exceeds the remaining 4 bytes");
    /* parameter count 0xffff ("-1" as int16) with a short body */
    expect_error('B', BODY("\0\0\0\0\xff\xff\0\0"), "08P01", ERR_ERROR,
                 "parameter count 65535 exceeds");
    /* format count 0x8000 */
    expect_error('B', BODY("\0\0\x80\0\0\0\0\0"), "08P01", ERR_ERROR,
                 "parameter format count 32768 exceeds");
    /* missing NUL after the portal name */
    expect_error('B', BODY("portal"), "08P01", ERR_ERROR, "is not terminated");
    /* structure errors win over format codes */
    expect_error('B', BODY("\0\0\0\1\0\7\0\0\0\0x"), "08P01", ERR_ERROR, "trailing data");
}
END_TEST

START_TEST(test_other_malformed)
{
    expect_error('Q', BODY("select 1"), "08P01", ERR_ERROR, "invalid Query message");
    expect_error('Q', BODY(""), "08P01", ERR_ERROR, "message ends");
    expect_error('Q', BODY("a\0b\0"), "08P01", ERR_ERROR, "2 bytes of trailing data");
    expect_error('P', BODY("\0select\0\0\2\0\0\0\x17"), "08P01", ERR_ERROR,
                 "parameter type count 2 exceeds");
    expect_error('P', BODY("\0select\0"), "08P01", ERR_ERROR, "invalid Parse message: truncated");
    expect_error('D', BODY("Xname\0"), "08P01", ERR_ERROR, "invalid DESCRIBE message subtype 88");
    expect_error('C', BODY("\0name\0"), "08P01", ERR_ERROR, "invalid CLOSE message subtype 0");
    expect_error('D', BODY("S"), "08P01", ERR_ERROR, "invalid Describe message");
    expect_error('E', BODY("p\0\0\0\0"), "08P01", ERR_ERROR, "truncated");
    expect_error('S', BODY("x"), "08P01", ERR_ERROR, "invalid Sync message: 1 bytes of trailing");
    expect_error('H', BODY("x"), "08P01", ERR_ERROR, "invalid Flush message");
    expect_error('X', BODY("\0"), "08P01", ERR_ERROR, "invalid Terminate message");
    expect_error('c', BODY("\0"), "08P01", ERR_ERROR, "invalid CopyDone message");
    expect_error('f', BODY("x"), "08P01", ERR_ERROR, "invalid CopyFail message");
    /* FunctionCall: bad argument format, mismatched counts, bad result format */
    expect_error('F', BODY("\0\0\0\1\0\1\0\3\0\0\0\0"), "22023", ERR_ERROR,
                 "unsupported format code: 3");
    expect_error('F', BODY("\0\0\0\1\0\2\0\0\0\0\0\0\0\0"), "08P01", ERR_ERROR,
                 "function call message contains 2 argument formats but 0 arguments");
    expect_error('F', BODY("\0\0\0\1\0\0\0\0\0\2"), "22023", ERR_ERROR,
                 "unsupported format code: 2");
}
END_TEST

START_TEST(test_unknown_types)
{
    expect_error('Z', BODY(""), "08P01", ERR_FATAL, "invalid frontend message type 90");
    expect_error('\xff', BODY(""), "08P01", ERR_FATAL, "invalid frontend message type 255");
    expect_error('\0', BODY(""), "08P01", ERR_FATAL, "invalid frontend message type 0");
}
END_TEST

START_TEST(test_arena_bound)
{
    /* A 64 KiB Bind of zero-length parameters: arrays stay proportional. */
    size_t n = 16000, len = 2 + 2 + 2 + n * 4 + 2;
    uint8_t *p = calloc(1, len);
    WireMsg m;

    p[4] = (uint8_t)(n >> 8);
    p[5] = (uint8_t)n;
    arena_reset(arena);
    ck_assert_int_eq(decode_bytes('B', p, len, &m), 0);
    ck_assert_int_eq(m.u.bind.nparams, (int)n);
    ck_assert_uint_le(arena_used(arena), 8 * len);
    free(p);
}
END_TEST

static void
free_kept(void)
{
    while (nkept > 0)
        free(kept[--nkept]);
}

static Suite *
frontend_suite(void)
{
    Suite *s = suite_create("wire_frontend");
    TCase *start = tcase_create("startup");
    TCase *msgs = tcase_create("messages");
    TCase *bad = tcase_create("malformed");

    tcase_add_checked_fixture(start, setup, teardown);
    tcase_add_checked_fixture(start, NULL, free_kept);
    tcase_add_test(start, test_startup_round_trip);
    tcase_add_test(start, test_startup_requests);
    tcase_add_test(start, test_startup_layout_errors);
    tcase_add_test(start, test_startup_length_errors);
    tcase_add_test(start, test_startup_other_protocols);
    tcase_add_test(start, test_startup_truncations);
    tcase_add_test(start, test_startup_arena_bound);
    suite_add_tcase(s, start);

    tcase_add_checked_fixture(msgs, setup, teardown);
    tcase_add_checked_fixture(msgs, NULL, free_kept);
    tcase_add_test(msgs, test_query);
    tcase_add_test(msgs, test_parse);
    tcase_add_test(msgs, test_bind);
    tcase_add_test(msgs, test_bind_max_params);
    tcase_add_test(msgs, test_describe_close_execute);
    tcase_add_test(msgs, test_empty_messages);
    tcase_add_test(msgs, test_copy_and_password);
    tcase_add_test(msgs, test_password_bodies);
    tcase_add_test(msgs, test_function_call);
    suite_add_tcase(s, msgs);

    tcase_add_checked_fixture(bad, setup, teardown);
    tcase_add_checked_fixture(bad, NULL, free_kept);
    tcase_add_test(bad, test_truncations);
    tcase_add_test(bad, test_bind_malformed);
    tcase_add_test(bad, test_other_malformed);
    tcase_add_test(bad, test_unknown_types);
    tcase_add_test(bad, test_arena_bound);
    suite_add_tcase(s, bad);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(frontend_suite());
    int failed;

    srunner_set_fork_status(sr, CK_FORK);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
