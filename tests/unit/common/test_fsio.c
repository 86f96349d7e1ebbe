/*
 * tests/unit/common/test_fsio.c — Check suite for common/fsio.c: errno to
 * SQLSTATE, short reads at end of file, and PANIC on a failed fsync.
 */
#include <check.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/fsio.h"
#include "common/logger.h"

START_TEST(test_fsio_disk_full)
{
    int fd = open("/dev/full", O_WRONLY);
    Err err;

    if (fd < 0)
        return;
    err_clear(&err);
    ck_assert_int_eq(fsio_write_all(fd, "abc", 3, "/dev/full", &err), -1);
    ck_assert_str_eq(err.sqlstate, ERRCODE_DISK_FULL);
    ck_assert_str_eq(err.message, "could not write to file \"/dev/full\": No space left on device");
    close(fd);
}
END_TEST

START_TEST(test_fsio_fsync_failure_panics)
{
    int p[2];

    ck_assert_int_eq(pipe(p), 0);
    fsio_fsync_file(p[1], "a pipe"); /* EINVAL: must abort, never return */
    ck_abort_msg("fsync failure returned");
}
END_TEST

START_TEST(test_fsio_fdatasync_failure_panics)
{
    int p[2];

    ck_assert_int_eq(pipe(p), 0);
    fsio_fdatasync_file(p[1], "a pipe");
    ck_abort_msg("fdatasync failure returned");
}
END_TEST

START_TEST(test_fsio_write_read)
{
    char path[] = "/tmp/rv-test-fsio-XXXXXX";
    int fd = mkstemp(path);
    char buf[16];
    Err err;

    ck_assert_int_ge(fd, 0);
    err_clear(&err);
    ck_assert_int_eq(fsio_write_all(fd, "hello world", 11, path, &err), 0);
    fsio_fsync_file(fd, path);
    fsio_fdatasync_file(fd, path);
    ck_assert_int_eq(fsio_pread_all(fd, buf, sizeof buf, 6, path, &err), 5);
    ck_assert(memcmp(buf, "world", 5) == 0);
    ck_assert_int_eq(fsio_truncate(fd, 5, path, &err), 0);
    ck_assert_int_eq(fsio_pread_all(fd, buf, sizeof buf, 0, path, &err), 5);
    ck_assert_int_eq(fsio_fsync_dir("/tmp", &err), 0);
    ck_assert_uint_ge(fsio_fsync_count(), 2);
    close(fd);
    unlink(path);
    ck_assert_int_eq(fsio_pread_all(fd, buf, 1, 0, path, &err), -1);
    ck_assert_str_eq(err.sqlstate, ERRCODE_IO_ERROR);
    err_clear(&err);
    ck_assert_int_eq(fsio_fsync_dir("/nonexistent-rivulet-dir", &err), -1);
    ck_assert_str_eq(err.sqlstate, ERRCODE_IO_ERROR);
}
END_TEST

static Suite *
fsio_suite(void)
{
    Suite *s = suite_create("fsio");
    TCase *tc = tcase_create("core");
    const char *fork = getenv("CK_FORK");

    logger_set_level(LOG_LEVEL_FATAL);
    tcase_add_test(tc, test_fsio_disk_full);
    tcase_add_test(tc, test_fsio_write_read);
    /* The PANIC test needs fork mode: without it the abort would end the runner. */
    if (fork == NULL || strcmp(fork, "no") != 0)
    {
        tcase_add_test_raise_signal(tc, test_fsio_fsync_failure_panics, SIGABRT);
        tcase_add_test_raise_signal(tc, test_fsio_fdatasync_failure_panics, SIGABRT);
    }
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(fsio_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
