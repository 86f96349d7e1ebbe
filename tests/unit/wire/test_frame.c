/*
 * tests/unit/wire/test_frame.c — Check suite for wire/frame.c: startup and
 * regular framing, the generic message writer, and the bounds-checked reader.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/wire/wire_test.h"
#include "wire/wire_int.h"

static void
put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static int
frame_startup_len(uint32_t len, size_t avail, size_t *flen, Err *err)
{
    uint8_t *p = calloc(1, avail < 8 ? 8 : avail);
    int rc;

    put_be32(p, len);
    put_be32(p + 4, WIRE_PROTOCOL_3_0);
    rc = wire_frame_startup(p, avail, flen, err);
    free(p);
    return rc;
}

/* ---- startup framing ---- */

START_TEST(test_startup_lengths)
{
    Err err;
    size_t flen = 0;

    err_clear(&err);
    ck_assert_int_eq(frame_startup_len(7, 8, &flen, &err), -1);
    ck_assert_int_eq(err.level, ERR_FATAL);
    ck_assert_str_eq(err.sqlstate, "08P01");
    ck_assert_str_eq(err.message, "invalid length of startup packet");

    err_clear(&err);
    ck_assert_int_eq(frame_startup_len(8, 8, &flen, &err), 1);
    ck_assert_uint_eq(flen, 8);

    err_clear(&err);
    ck_assert_int_eq(frame_startup_len(10000, 10000, &flen, &err), 1);
    ck_assert_uint_eq(flen, 10000);

    err_clear(&err);
    ck_assert_int_eq(frame_startup_len(10001, 10001, &flen, &err), -1);
    ck_assert_str_eq(err.message, "invalid length of startup packet");

    /* Rejected as soon as the length word is in, before the rest arrives. */
    err_clear(&err);
    ck_assert_int_eq(frame_startup_len(0x7fffffff, 4, &flen, &err), -1);
    err_clear(&err);
    ck_assert_int_eq(frame_startup_len(0xffffffff, 4, &flen, &err), -1);
    err_clear(&err);
    ck_assert_int_eq(frame_startup_len(0, 4, &flen, &err), -1);
}
END_TEST

START_TEST(test_startup_need_more)
{
    Err err;
    size_t flen = 0;

    err_clear(&err);
    for (size_t avail = 0; avail < 4; avail++)
        ck_assert_int_eq(frame_startup_len(7, avail, &flen, &err), 0); /* length not yet in */
    for (size_t avail = 4; avail < 100; avail++)
        ck_assert_int_eq(frame_startup_len(100, avail, &flen, &err), 0);
    ck_assert_int_eq(frame_startup_len(100, 100, &flen, &err), 1);
    ck_assert_int_eq(frame_startup_len(100, 150, &flen, &err), 1); /* more buffered */
    ck_assert_uint_eq(flen, 100);
    ck_assert_int_eq(err.level, ERR_NONE);
}
END_TEST

/* ---- regular framing ---- */

static int
frame_msg(uint32_t len, size_t avail, size_t max, char *type, size_t *flen, Err *err)
{
    uint8_t *p = calloc(1, avail < 5 ? 5 : avail);
    int rc;

    p[0] = 'Q';
    put_be32(p + 1, len);
    rc = wire_frame_message(p, avail, max, type, flen, err);
    free(p);
    return rc;
}

START_TEST(test_message_lengths)
{
    Err err;
    char type = 0;
    size_t flen = 0;

    for (uint32_t len = 0; len < 4; len++) {
        err_clear(&err);
        ck_assert_int_eq(frame_msg(len, 5, 1000, &type, &flen, &err), -1);
        ck_assert_int_eq(err.level, ERR_FATAL);
        ck_assert_str_eq(err.sqlstate, "08P01");
        ck_assert_ptr_nonnull(strstr(err.message, "invalid message length"));
    }
    err_clear(&err);
    ck_assert_int_eq(frame_msg(4, 5, 1000, &type, &flen, &err), 1);
    ck_assert_int_eq(type, 'Q');
    ck_assert_uint_eq(flen, 5);

    /* Negative as an int32. */
    err_clear(&err);
    ck_assert_int_eq(frame_msg(0x80000000u, 5, SIZE_MAX, &type, &flen, &err), -1);
    ck_assert_ptr_nonnull(strstr(err.message, "invalid message length"));
    err_clear(&err);
    ck_assert_int_eq(frame_msg(0xffffffffu, 5, SIZE_MAX, &type, &flen, &err), -1);

    /* Ceiling: the whole frame (type byte included) may be exactly max_len. */
    err_clear(&err);
    ck_assert_int_eq(frame_msg(99, 100, 100, &type, &flen, &err), 1);
    ck_assert_uint_eq(flen, 100);
    err_clear(&err);
    ck_assert_int_eq(frame_msg(100, 5, 100, &type, &flen, &err), -1);
    ck_assert_str_eq(err.message, "message of 101 bytes exceeds the maximum of 100");
    ck_assert_int_eq(err.level, ERR_FATAL);
    err_clear(&err);
    ck_assert_int_eq(frame_msg(0x7fffffff, 5, WIRE_DEFAULT_MAX_MESSAGE_LEN, &type, &flen, &err),
                     -1);
    ck_assert_str_eq(err.sqlstate, "08P01");
}
END_TEST

START_TEST(test_message_need_more)
{
    Err err;
    char type = 0;
    size_t flen = 0;

    err_clear(&err);
    for (size_t avail = 0; avail < 5; avail++)
        ck_assert_int_eq(frame_msg(2, avail, 1000, &type, &flen, &err), 0);
    for (size_t avail = 5; avail < 51; avail++)
        ck_assert_int_eq(frame_msg(50, avail, 1000, &type, &flen, &err), 0);
    ck_assert_int_eq(frame_msg(50, 51, 1000, &type, &flen, &err), 1);
    ck_assert_uint_eq(flen, 51);
    ck_assert_int_eq(err.level, ERR_NONE);
}
END_TEST

START_TEST(test_stream_of_frames)
{
    Buf b;
    size_t off = 0, len;
    uint8_t *body;

    buf_init(&b, 0);
    wire_put_query(&b, "select 1");
    wire_put_sync(&b);
    wire_put_terminate(&b);
    body = take_frame(&b, &off, 'Q', &len);
    ck_assert_uint_eq(len, 9);
    ck_assert_str_eq((const char *)body, "select 1");
    free(body);
    free(take_frame(&b, &off, 'S', &len));
    ck_assert_uint_eq(len, 0);
    free(take_frame(&b, &off, 'X', &len));
    ck_assert_uint_eq(off, b.len);
    buf_free(&b);
}
END_TEST

/* ---- generic writer ---- */

START_TEST(test_msg_begin_end)
{
    Buf b;
    size_t m;

    buf_init(&b, 0);
    buf_put_str(&b, "xx");
    m = wire_msg_begin(&b, 'T');
    ck_assert_uint_eq(m, 2);
    buf_put_u16(&b, 0);
    wire_msg_end(&b, m);
    ck_assert(!b.failed);
    ck_assert_uint_eq(b.len, 2 + 7);
    ck_assert_int_eq(b.data[2], 'T');
    ck_assert_uint_eq(buf_get_u32(b.data + 3), 6);

    /* A mark that does not point at a message header fails the Buf. */
    wire_msg_end(&b, b.len);
    ck_assert(b.failed);
    buf_free(&b);
}
END_TEST

START_TEST(test_ceiling_is_sticky)
{
    Buf b;
    size_t before;

    buf_init(&b, 20);
    wire_put_query(&b, "select 1"); /* 14 bytes */
    ck_assert(!b.failed);
    before = b.len;
    wire_put_query(&b, "select 2");
    ck_assert(b.failed);
    ck_assert_uint_eq(b.len, before);
    wire_put_sync(&b); /* would fit, but failure is sticky */
    ck_assert_uint_eq(b.len, before);
    buf_free(&b);
}
END_TEST

START_TEST(test_bad_counts_fail_the_buf)
{
    Buf b;
    uint32_t oid = 23;
    WireParamValue bad = {-2, NULL};
    WireBind bind = {"", "", 0, NULL, 1, &bad, 0, NULL};

    buf_init(&b, 0);
    wire_put_parse(&b, "", "select $1", -1, &oid);
    ck_assert(b.failed);
    buf_reset(&b);
    wire_put_parse(&b, "", "select $1", WIRE_MAX_FIELDS + 1, &oid);
    ck_assert(b.failed);
    buf_reset(&b);
    wire_put_bind(&b, &bind);
    ck_assert(b.failed);
    buf_reset(&b);
    wire_put_row_description(&b, -1, NULL);
    ck_assert(b.failed);
    buf_reset(&b);
    wire_datarow_end(&b, wire_datarow_begin(&b, 70000));
    ck_assert(b.failed);
    buf_reset(&b);
    wire_put_startup(&b, WIRE_PROTOCOL_3_0, -1, NULL, NULL);
    ck_assert(b.failed);
    buf_free(&b);
}
END_TEST

/* ---- reader ---- */

START_TEST(test_reader_strings)
{
    static const uint8_t body[] = {'a', 'b', 0, 'c'};
    WireReader r;
    Err err;
    const char *s;

    err_clear(&err);
    wire_reader_init(&r, body, sizeof body, "Test", ERR_ERROR, &err);
    ck_assert_int_eq(wire_read_cstr(&r, &s), 0);
    ck_assert_str_eq(s, "ab");
    ck_assert_uint_eq(wire_reader_left(&r), 1);
    ck_assert_int_eq(wire_read_cstr(&r, &s), -1);
    ck_assert_str_eq(err.sqlstate, "08P01");
    ck_assert_int_eq(err.level, ERR_ERROR);
    ck_assert_str_eq(err.message, "invalid Test message: string at byte 3 is not terminated");

    err_clear(&err);
    wire_reader_init(&r, body, 0, "Test", ERR_FATAL, &err);
    ck_assert_int_eq(wire_read_cstr(&r, &s), -1);
    ck_assert_int_eq(err.level, ERR_FATAL);
}
END_TEST

START_TEST(test_reader_numbers)
{
    static const uint8_t body[] = {0x80, 0x00, 0xff, 0xff, 0xff, 0xfe, 7};
    WireReader r;
    Err err;
    int16_t i16;
    int32_t i32;
    uint8_t u8;

    err_clear(&err);
    wire_reader_init(&r, body, sizeof body, "Test", ERR_ERROR, &err);
    ck_assert_int_eq(wire_read_i16(&r, &i16), 0);
    ck_assert_int_eq(i16, -32768);
    ck_assert_int_eq(wire_read_i32(&r, &i32), 0);
    ck_assert_int_eq(i32, -2);
    ck_assert_int_eq(wire_read_i32(&r, &i32), -1);
    ck_assert_str_eq(err.message,
                     "invalid Test message: truncated at byte 6 (3 more bytes needed)");
    ck_assert_int_eq(wire_read_u8(&r, &u8), 0); /* a failed read consumed nothing */
    ck_assert_int_eq(u8, 7);
    ck_assert_int_eq(wire_read_end(&r), 0);
}
END_TEST

START_TEST(test_reader_counts_and_values)
{
    /* count 3 of 4-byte values with only 8 bytes left. */
    static const uint8_t three[] = {0, 3, 0, 0, 0, 0, 0, 0, 0, 0};
    /* count 0xffff: unsigned, not -1, and too big for the body. */
    static const uint8_t big[] = {0xff, 0xff, 0, 0};
    /* one value of length -2. */
    static const uint8_t minus2[] = {0, 1, 0xff, 0xff, 0xff, 0xfe};
    /* one value of length 5 with 4 bytes. */
    static const uint8_t over[] = {0, 1, 0, 0, 0, 5, 'a', 'b', 'c', 'd'};
    /* one NULL, then trailing byte. */
    static const uint8_t null_trail[] = {0, 1, 0xff, 0xff, 0xff, 0xff, 9};
    Arena *a = arena_create("test", 0);
    WireReader r;
    WireParamValue *vals;
    Err err;
    int n;

    err_clear(&err);
    wire_reader_init(&r, three, sizeof three, "Test", ERR_ERROR, &err);
    ck_assert_int_eq(wire_read_count(&r, 4, "parameter", &n), -1);
    ck_assert_str_eq(err.message,
                     "invalid Test message: parameter count 3 exceeds what the remaining 8 bytes "
                     "hold");
    err_clear(&err);
    wire_reader_init(&r, big, sizeof big, "Test", ERR_ERROR, &err);
    ck_assert_int_eq(wire_read_count(&r, 1, "x", &n), -1);
    err_clear(&err);
    wire_reader_init(&r, minus2, sizeof minus2, "Test", ERR_ERROR, &err);
    ck_assert_int_eq(wire_read_values(&r, a, "parameter", &n, &vals), -1);
    ck_assert_str_eq(err.message, "invalid Test message: parameter 1 has invalid length -2");
    err_clear(&err);
    wire_reader_init(&r, over, sizeof over, "Test", ERR_ERROR, &err);
    ck_assert_int_eq(wire_read_values(&r, a, "parameter", &n, &vals), -1);
    err_clear(&err);
    wire_reader_init(&r, null_trail, sizeof null_trail, "Test", ERR_ERROR, &err);
    ck_assert_int_eq(wire_read_values(&r, a, "parameter", &n, &vals), 0);
    ck_assert_int_eq(n, 1);
    ck_assert_int_eq(vals[0].len, -1);
    ck_assert_ptr_null(vals[0].data);
    ck_assert_int_eq(wire_read_end(&r), -1);
    ck_assert_str_eq(err.message, "invalid Test message: 1 bytes of trailing data");
    arena_destroy(a);
}
END_TEST

START_TEST(test_format_codes)
{
    Err err;

    err_clear(&err);
    ck_assert_int_eq(wire_check_format(0, &err), 0);
    ck_assert_int_eq(wire_check_format(1, &err), 0);
    ck_assert_int_eq(wire_check_format(2, &err), -1);
    ck_assert_str_eq(err.sqlstate, "22023");
    ck_assert_str_eq(err.message, "unsupported format code: 2");
    err_clear(&err);
    ck_assert_int_eq(wire_check_format(-1, &err), -1);
    ck_assert_str_eq(err.message, "unsupported format code: -1");
}
END_TEST

START_TEST(test_names)
{
    ck_assert_str_eq(wire_frontend_message_name('B'), "Bind");
    ck_assert_str_eq(wire_frontend_message_name('p'), "PasswordMessage");
    ck_assert_ptr_null(wire_frontend_message_name('T'));
    ck_assert_ptr_null(wire_frontend_message_name('\0'));
    ck_assert_str_eq(wire_backend_message_name('T'), "RowDescription");
    ck_assert_str_eq(wire_backend_message_name('v'), "NegotiateProtocolVersion");
    ck_assert_ptr_null(wire_backend_message_name('Q'));
}
END_TEST

static Suite *
frame_suite(void)
{
    Suite *s = suite_create("wire_frame");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_startup_lengths);
    tcase_add_test(tc, test_startup_need_more);
    tcase_add_test(tc, test_message_lengths);
    tcase_add_test(tc, test_message_need_more);
    tcase_add_test(tc, test_stream_of_frames);
    tcase_add_test(tc, test_msg_begin_end);
    tcase_add_test(tc, test_ceiling_is_sticky);
    tcase_add_test(tc, test_bad_counts_fail_the_buf);
    tcase_add_test(tc, test_reader_strings);
    tcase_add_test(tc, test_reader_numbers);
    tcase_add_test(tc, test_reader_counts_and_values);
    tcase_add_test(tc, test_format_codes);
    tcase_add_test(tc, test_names);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(frame_suite());
    int failed;

    srunner_set_fork_status(sr, CK_FORK);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
