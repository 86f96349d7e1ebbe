/*
 * tests/unit/sql/test_copy.c — Check suite for the COPY parsers and escaping
 * (sql/copy.h): record boundaries in text and CSV (escaped and quoted line
 * ends, CRLF, a CR at the end of a piece, the final record at EOF), field
 * splitting with de-escaping and NULL matching, unterminated quotes, and the
 * round trip escape → split for generated values in both formats.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "common/errcodes.h"
#include "sql/copy.h"

static Arena *A;
static const CopyFormat TEXT = {false, '\t', '"', '"', "\\N", 2};
static const CopyFormat CSV = {true, ',', '"', '"', "", 0};

static void
setup(void)
{
    A = arena_create("test", 0);
}

static void
teardown(void)
{
    arena_destroy(A);
}

static size_t
rec_end(const CopyFormat *f, const char *s, bool eof, size_t *eol)
{
    return copy_record_end(f, s, strlen(s), eof, eol);
}

START_TEST(text_record_end)
{
    size_t eol;

    ck_assert_uint_eq(rec_end(&TEXT, "a\tb\nc", false, &eol), 4);
    ck_assert_uint_eq(eol, 1);
    ck_assert_uint_eq(rec_end(&TEXT, "a\\\nb\n", false, &eol), 5); /* escaped newline */
    ck_assert_uint_eq(rec_end(&TEXT, "ab\r\ncd", false, &eol), 4);
    ck_assert_uint_eq(eol, 2);
    ck_assert_uint_eq(rec_end(&TEXT, "ab\r", false, &eol), 0); /* CRLF may be split */
    ck_assert_uint_eq(rec_end(&TEXT, "ab\r", true, &eol), 3);
    ck_assert_uint_eq(rec_end(&TEXT, "abc", false, &eol), 0);
    ck_assert_uint_eq(rec_end(&TEXT, "abc", true, &eol), 3);
    ck_assert_uint_eq(eol, 0);
}
END_TEST

START_TEST(csv_record_end)
{
    size_t eol;

    ck_assert_uint_eq(rec_end(&CSV, "1,\"a\nb\"\n2", false, &eol), 8);
    ck_assert_uint_eq(rec_end(&CSV, "1,\"a\"\"\nb\"\n", false, &eol), 10);
    ck_assert_uint_eq(rec_end(&CSV, "1,\"open\n", false, &eol), 0);
    ck_assert_uint_eq(rec_end(&CSV, "1,\"open\n", true, &eol), 8);
    ck_assert_uint_eq(rec_end(&CSV, "a\\,b\n", false, &eol), 5); /* no backslash escapes */
}
END_TEST

static int
split(const CopyFormat *f, const char *s, CopyField *fl, int max, Err *err)
{
    int n = -1;

    if (copy_split_record(f, s, strlen(s), A, fl, max, &n, err) < 0)
        return -1;
    return n;
}

START_TEST(text_split)
{
    CopyField fl[8];
    Err err;

    err_clear(&err);
    ck_assert_int_eq(split(&TEXT, "1\t\\N\ta\\tb\\\\c\\n\t\\101\\x41\\q\t", fl, 8, &err), 5);
    ck_assert_str_eq(fl[0].s, "1");
    ck_assert(!fl[0].isnull);
    ck_assert(fl[1].isnull);
    ck_assert_str_eq(fl[2].s, "a\tb\\c\n");
    ck_assert_str_eq(fl[3].s, "AAq");
    ck_assert_uint_eq(fl[4].len, 0);
    ck_assert(!fl[4].isnull);
    /* the NULL string matches the raw field: an escaped \\N is the text \N */
    ck_assert_int_eq(split(&TEXT, "\\\\N", fl, 8, &err), 1);
    ck_assert(!fl[0].isnull);
    ck_assert_str_eq(fl[0].s, "\\N");
    /* an escaped delimiter does not split */
    ck_assert_int_eq(split(&TEXT, "a\\\tb", fl, 8, &err), 1);
    ck_assert_str_eq(fl[0].s, "a\tb");
    /* too many fields: max + 1 */
    ck_assert_int_eq(split(&TEXT, "a\tb\tc", fl, 2, &err), 3);
    ck_assert_int_eq(split(&TEXT, "", fl, 8, &err), 1);
}
END_TEST

START_TEST(csv_split)
{
    CopyField fl[8];
    Err err;

    err_clear(&err);
    ck_assert_int_eq(split(&CSV, "1,,\"\",\"a,\"\"b\"\"\",x\"y\"z", fl, 8, &err), 5);
    ck_assert_str_eq(fl[0].s, "1");
    ck_assert(fl[1].isnull);
    ck_assert(!fl[2].isnull);
    ck_assert(fl[2].quoted);
    ck_assert_str_eq(fl[3].s, "a,\"b\"");
    ck_assert_str_eq(fl[4].s, "xyz");
    ck_assert_int_eq(split(&CSV, "\"a\nb\"", fl, 8, &err), 1);
    ck_assert_str_eq(fl[0].s, "a\nb");
    ck_assert_int_eq(split(&CSV, "1,\"open", fl, 8, &err), -1);
    ck_assert_str_eq(err.sqlstate, ERRCODE_BAD_COPY_FILE_FORMAT);
    ck_assert_str_eq(err.message, "unterminated CSV quoted field");
}
END_TEST

START_TEST(csv_escape_char)
{
    CopyFormat f = CSV;
    CopyField fl[4];
    Err err;

    f.escape = '\\';
    err_clear(&err);
    ck_assert_int_eq(split(&f, "\"a\\\"b\\\\c\\d\"", fl, 4, &err), 1);
    ck_assert_str_eq(fl[0].s, "a\"b\\c\\d");
}
END_TEST

START_TEST(escape_output)
{
    Buf b;

    buf_init(&b, BUF_DEFAULT_MAX);
    copy_escape_value(&TEXT, "a\tb\\c\nd\x01", 8, false, &b);
    ck_assert_uint_eq(b.len, 11);
    ck_assert(memcmp(b.data, "a\\tb\\\\c\\nd\x01", 11) == 0);
    buf_reset(&b);
    copy_escape_value(&CSV, "", 0, false, &b); /* the empty string is not NULL */
    ck_assert_uint_eq(b.len, 2);
    ck_assert(memcmp(b.data, "\"\"", 2) == 0);
    buf_reset(&b);
    copy_escape_value(&CSV, "\\.", 2, false, &b);
    ck_assert(b.len == 4 && memcmp(b.data, "\"\\.\"", 4) == 0);
    buf_reset(&b);
    copy_escape_value(&CSV, "plain", 5, true, &b);
    ck_assert(b.len == 7 && memcmp(b.data, "\"plain\"", 7) == 0);
    buf_free(&b);
}
END_TEST

/* Generated values survive escape → record end → split, in both formats. */
START_TEST(round_trip)
{
    static const char alphabet[] = "ab,\t\n\r\"\\N.x \x01";
    const CopyFormat *fmts[2] = {&TEXT, &CSV};
    unsigned seed = 12345;

    for (int iter = 0; iter < 2000; iter++) {
        const CopyFormat *f = fmts[iter % 2];
        char vals[3][16];
        size_t lens[3];
        CopyField fl[4];
        Buf b;
        size_t eol, end;
        Err err;

        buf_init(&b, BUF_DEFAULT_MAX);
        for (int c = 0; c < 3; c++) {
            lens[c] = (size_t)(rand_r(&seed) % 8);
            for (size_t i = 0; i < lens[c]; i++)
                vals[c][i] = alphabet[rand_r(&seed) % (sizeof alphabet - 1)];
            vals[c][lens[c]] = '\0';
            if (c > 0)
                buf_append(&b, &f->delim, 1);
            copy_escape_value(f, vals[c], lens[c], false, &b);
        }
        buf_append(&b, "\n", 1);
        end = copy_record_end(f, (const char *)b.data, b.len, false, &eol);
        ck_assert_uint_eq(end, b.len);
        err_clear(&err);
        int n = -1;

        ck_assert_int_eq(copy_split_record(f, (const char *)b.data, end - eol, A, fl, 3, &n, &err),
                         0);
        ck_assert_int_eq(n, 3);
        for (int c = 0; c < 3; c++) {
            ck_assert(!fl[c].isnull);
            ck_assert_uint_eq(fl[c].len, lens[c]);
            ck_assert(memcmp(fl[c].s, vals[c], lens[c]) == 0);
        }
        buf_free(&b);
    }
}
END_TEST

static Suite *
copy_suite(void)
{
    Suite *su = suite_create("copy");
    TCase *tc = tcase_create("parsers");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, text_record_end);
    tcase_add_test(tc, csv_record_end);
    tcase_add_test(tc, text_split);
    tcase_add_test(tc, csv_split);
    tcase_add_test(tc, csv_escape_char);
    tcase_add_test(tc, escape_output);
    tcase_add_test(tc, round_trip);
    suite_add_tcase(su, tc);
    return su;
}

int
main(void)
{
    SRunner *sr = srunner_create(copy_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
