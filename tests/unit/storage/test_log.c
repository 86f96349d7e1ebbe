/*
 * tests/unit/storage/test_log.c — Check suite for storage/log.c, log_batch.c
 * and log_reader.c.
 *
 * Logs live in a fresh directory under /dev/shm when it exists (fsync is then
 * cheap, so the byte-by-byte torn-tail tests stay fast) or under $TMPDIR.
 * Record i of a test log is rec_len(i) bytes of a pattern derived from i, so
 * any read can be checked without keeping a copy.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/crc32c.h"
#include "common/logger.h"
#include "storage/log.h"
#include "storage/log_int.h"

/* ---------- helpers ---------- */

static char root[256];

static void
setup(void)
{
    const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : getenv("TMPDIR");

    snprintf(root, sizeof root, "%s/rv-test-log-XXXXXX", base ? base : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(root));
    logger_set_level(LOG_LEVEL_FATAL); /* the torn-tail WARNINGs would flood the output */
}

static void
rm_dir(const char *dir)
{
    char cmd[600];

    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

static void
teardown(void)
{
    rm_dir(root);
}

static void
path_of(char *out, size_t cap, const char *name)
{
    snprintf(out, cap, "%s/%s", root, name);
}

static uint32_t
rec_len(uint64_t i)
{
    return (uint32_t)((i * 7) % 61); /* includes zero-length records */
}

static void
rec_fill(uint64_t i, uint8_t *p)
{
    for (uint32_t j = 0; j < rec_len(i); j++)
        p[j] = (uint8_t)(i * 31 + j / 4);
}

/* Appends records [first, first + n) of the pattern as one append. */
static void
append_pattern(LogWriter *log, uint64_t first, size_t n)
{
    LogRecord *recs = calloc(n, sizeof *recs);
    uint8_t *data = malloc(n * 64);
    LogAppendResult res;
    Err err;

    err_clear(&err);
    for (size_t k = 0; k < n; k++) {
        rec_fill(first + k, data + k * 64);
        recs[k].data = data + k * 64;
        recs[k].len = rec_len(first + k);
        recs[k].event_time = (int64_t)(first + k) * 10;
    }
    ck_assert_msg(log_append(log, recs, n, &res, &err) == 0, "%s", err.message);
    ck_assert_uint_eq(res.first_offset, first);
    ck_assert_uint_eq(res.last_offset, first + n - 1);
    free(recs);
    free(data);
}

/* Reads [from, to) and checks every record against the pattern; returns the count. */
static uint64_t
check_range(LogWriter *log, uint64_t from, uint64_t to)
{
    LogReader *r;
    LogRecordView v;
    Err err;
    uint64_t expect = from;
    uint8_t want[64];
    int rc;

    err_clear(&err);
    ck_assert_msg(log_reader_open(log, from, to, &r, &err) == 0, "%s", err.message);
    while ((rc = log_reader_next(r, &v, &err)) == 1) {
        ck_assert_uint_eq(v.offset, expect);
        ck_assert_uint_eq(v.len, rec_len(expect));
        rec_fill(expect, want);
        ck_assert(v.len == 0 || memcmp(v.data, want, v.len) == 0);
        ck_assert_int_le(v.batch_min_event_time, (int64_t)expect * 10);
        ck_assert_int_ge(v.batch_max_event_time, (int64_t)expect * 10);
        expect++;
    }
    ck_assert_msg(rc == 0, "%s: %s", err.message, err.detail);
    log_reader_close(r);
    return expect - from;
}

static LogWriter *
open_ok(const char *dir, const LogOptions *o)
{
    LogWriter *log;
    Err err;

    err_clear(&err);
    ck_assert_msg(log_open(dir, o, &log, &err) == 0, "%s: %s", err.message, err.detail);
    return log;
}

static void
sync_ok(LogWriter *log)
{
    Err err;

    err_clear(&err);
    ck_assert_msg(log_sync(log, &err) == 0, "%s", err.message);
}

static uint64_t
file_size(const char *path)
{
    struct stat st;

    ck_assert_int_eq(stat(path, &st), 0);
    return (uint64_t)st.st_size;
}

/* Copies the first len bytes of src to dst. */
static void
copy_prefix(const char *src, const char *dst, uint64_t len)
{
    FILE *in = fopen(src, "rb"), *out = fopen(dst, "wb");
    char buf[8192];

    ck_assert_ptr_nonnull(in);
    ck_assert_ptr_nonnull(out);
    while (len > 0) {
        size_t n = fread(buf, 1, len < sizeof buf ? len : sizeof buf, in);

        ck_assert_uint_gt(n, 0);
        ck_assert_uint_eq(fwrite(buf, 1, n, out), n);
        len -= n;
    }
    fclose(in);
    fclose(out);
}

static void
seg_path(char *out, size_t cap, const char *dir, uint64_t base)
{
    ck_assert(log_segment_path(dir, base, out, cap));
}

/* ---------- round trips ---------- */

static void
round_trip(LogCodec codec)
{
    char dir[300];
    LogOptions o;
    LogWriter *log;
    uint64_t n = 0;
    Rng rng;

    path_of(dir, sizeof dir, "log");
    log_options_default(&o);
    o.codec = codec;
    o.segment_bytes = 4096;
    o.index_interval_bytes = 256;
    log = open_ok(dir, &o);
    rng_seed(&rng, 42);
    while (n < 3000) {
        size_t k = 1 + (size_t)rng_below(&rng, 40);

        append_pattern(log, n, k);
        n += k;
    }
    /* Nothing is visible before it is durable (a roll made the sealed segments so). */
    ck_assert_uint_lt(log_durable_offset(log), n);
    ck_assert_uint_eq(check_range(log, 0, LOG_OFFSET_END), log_durable_offset(log));
    sync_ok(log);
    ck_assert_uint_eq(log_durable_offset(log), n);
    ck_assert_uint_gt(log_segment_count(log), 5);
    ck_assert_uint_eq(check_range(log, 0, LOG_OFFSET_END), n);
    for (int i = 0; i < 50; i++) {
        uint64_t a = rng_below(&rng, n), b = a + rng_below(&rng, n - a + 1);

        ck_assert_uint_eq(check_range(log, a, b), b - a);
    }
    ck_assert_uint_eq(check_range(log, n, LOG_OFFSET_END), 0);
    log_close(log);

    /* Offsets are dense across restarts. */
    log = open_ok(dir, &o);
    ck_assert_uint_eq(log_next_offset(log), n);
    append_pattern(log, n, 10);
    sync_ok(log);
    ck_assert_uint_eq(check_range(log, 0, LOG_OFFSET_END), n + 10);
    ck_assert_uint_eq(check_range(log, n - 5, n + 7), 12);
    log_close(log);
}

START_TEST(test_round_trip_plain)
{
    round_trip(LOG_CODEC_NONE);
}
END_TEST

START_TEST(test_round_trip_zstd)
{
    round_trip(LOG_CODEC_ZSTD);
}
END_TEST

START_TEST(test_zstd_compresses_and_incompressible_is_stored)
{
    char dir[300];
    LogOptions o;
    LogWriter *log;
    static uint8_t big[200000];
    LogRecord rec = {.data = big, .len = sizeof big};
    LogAppendResult res;
    LogReader *r;
    LogRecordView v;
    Err err;
    Rng rng;

    path_of(dir, sizeof dir, "log");
    log_options_default(&o);
    log = open_ok(dir, &o);
    err_clear(&err);
    memset(big, 'x', sizeof big);
    ck_assert_int_eq(log_append(log, &rec, 1, &res, &err), 0);
    ck_assert_uint_lt(log_size_bytes(log), 10000); /* compressed */
    rng_seed(&rng, 1);
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (uint8_t)rng_next(&rng);
    ck_assert_int_eq(log_append(log, &rec, 1, &res, &err), 0);
    ck_assert_uint_lt(log_size_bytes(log), 10000 + sizeof big + 200); /* stored as is */
    sync_ok(log);
    ck_assert_int_eq(log_reader_open(log, 1, 2, &r, &err), 0);
    ck_assert_int_eq(log_reader_next(r, &v, &err), 1);
    ck_assert_uint_eq(v.len, sizeof big);
    ck_assert(memcmp(v.data, big, sizeof big) == 0);
    ck_assert_int_eq(log_reader_next(r, &v, &err), 0);
    log_reader_close(r);
    log_close(log);
}
END_TEST

START_TEST(test_api_errors)
{
    char dir[300];
    LogOptions o;
    LogWriter *log;
    LogReader *r;
    LogAppendResult res;
    LogRecord big = {.data = "x", .len = LOG_MAX_RECORD_BYTES + 1};
    Err err;

    path_of(dir, sizeof dir, "log");
    log_options_default(&o);
    o.zstd_level = 99;
    err_clear(&err);
    ck_assert_int_eq(log_open(dir, &o, &log, &err), -1);
    ck_assert_str_eq(err.sqlstate, ERRCODE_INVALID_PARAMETER_VALUE);

    log = open_ok(dir, NULL);
    err_clear(&err);
    ck_assert_int_eq(log_append(log, NULL, 0, &res, &err), -1);
    ck_assert_str_eq(err.sqlstate, ERRCODE_INVALID_PARAMETER_VALUE);
    err_clear(&err);
    ck_assert_int_eq(log_append(log, &big, 1, &res, &err), -1);
    ck_assert_str_eq(err.sqlstate, ERRCODE_PROGRAM_LIMIT_EXCEEDED);
    err_clear(&err);
    ck_assert_int_eq(log_sync_to(log, 0, &err), -1);
    ck_assert_str_eq(err.sqlstate, ERRCODE_INVALID_PARAMETER_VALUE);
    ck_assert_int_eq(log_sync(log, &err), 0); /* nothing to do */
    append_pattern(log, 0, 3);
    err_clear(&err);
    ck_assert_int_eq(log_sync_to(log, 2, &err), 0);
    ck_assert_int_eq(log_sync_to(log, 2, &err), 0);
    ck_assert_uint_eq(log_fsync_rounds(log), 1);
    ck_assert_int_eq(log_reader_open(log, 5, 1, &r, &err), 0); /* empty range */
    ck_assert_uint_eq(check_range(log, 5, 1), 0);
    log_reader_close(r);
    log_close(log);

    /* A file where the directory should be. */
    path_of(dir, sizeof dir, "log/00000000000000000000.seg");
    err_clear(&err);
    ck_assert_int_eq(log_open(dir, NULL, &log, &err), -1);
    ck_assert_str_eq(err.sqlstate, ERRCODE_IO_ERROR);
}
END_TEST

/* A write that fails half-way is cut back; the log goes on as if it never happened. */
START_TEST(test_failed_write_is_cut_back)
{
    char dir[300], seg[PATH_MAX];
    LogOptions o;
    LogWriter *log;
    struct rlimit old, lim;
    static uint8_t big[300000];
    LogRecord rec = {.data = big, .len = sizeof big};
    LogAppendResult res;
    uint64_t s0;
    Err err;

    path_of(dir, sizeof dir, "log");
    log_options_default(&o);
    o.codec = LOG_CODEC_NONE;
    log = open_ok(dir, &o);
    append_pattern(log, 0, 5);
    sync_ok(log);
    seg_path(seg, sizeof seg, dir, 0);
    s0 = file_size(seg);

    signal(SIGXFSZ, SIG_IGN); /* the write fails with EFBIG instead of killing us */
    ck_assert_int_eq(getrlimit(RLIMIT_FSIZE, &old), 0);
    lim = old;
    lim.rlim_cur = s0 + 1000;
    ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &lim), 0);
    err_clear(&err);
    ck_assert_int_eq(log_append(log, &rec, 1, &res, &err), -1);
    ck_assert_str_eq(err.sqlstate, ERRCODE_IO_ERROR);
    ck_assert(strstr(err.message, "could not write to file") != NULL);
    ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &old), 0);
    signal(SIGXFSZ, SIG_DFL);

    ck_assert_uint_eq(file_size(seg), s0);
    ck_assert_uint_eq(log_next_offset(log), 5);
    append_pattern(log, 5, 5);
    sync_ok(log);
    ck_assert_uint_eq(check_range(log, 0, LOG_OFFSET_END), 10);
    log_close(log);
    log = open_ok(dir, &o);
    ck_assert_uint_eq(check_range(log, 0, LOG_OFFSET_END), 10);
    log_close(log);
}
END_TEST

/* ---------- torn tails ---------- */

/*
 * Builds a log of `before` records in appends of 5, then one more append of
 * `last_n` records; copies the segment truncated at every length between the
 * two sizes and checks that exactly the complete appends survive.
 */
static void
torn_every_byte(LogCodec codec, uint32_t max_batch, size_t last_n)
{
    char dir[300], copy[300], src[PATH_MAX], dst[PATH_MAX];
    LogOptions o;
    LogWriter *log;
    uint64_t s0, s1, before = 20;

    path_of(dir, sizeof dir, "log");
    path_of(copy, sizeof copy, "copy");
    log_options_default(&o);
    o.codec = codec;
    o.max_batch_bytes = max_batch;
    o.index_interval_bytes = 0;
    log = open_ok(dir, &o);
    for (uint64_t i = 0; i < before; i += 5)
        append_pattern(log, i, 5);
    sync_ok(log);
    seg_path(src, sizeof src, dir, 0);
    s0 = file_size(src);
    append_pattern(log, before, last_n);
    sync_ok(log);
    s1 = file_size(src);
    log_close(log);
    ck_assert_uint_gt(s1, s0);

    ck_assert_int_eq(mkdir(copy, 0755), 0);
    seg_path(dst, sizeof dst, copy, 0);
    for (uint64_t len = s0; len <= s1; len++) {
        uint64_t want = len == s1 ? before + last_n : before;

        copy_prefix(src, dst, len);
        log = open_ok(copy, &o);
        ck_assert_uint_eq(log_next_offset(log), want);
        ck_assert_uint_eq(file_size(dst), len == s1 ? s1 : s0);
        ck_assert_uint_eq(check_range(log, 0, LOG_OFFSET_END), want);
        /* The log goes on from there. */
        append_pattern(log, want, 2);
        sync_ok(log);
        ck_assert_uint_eq(check_range(log, 0, LOG_OFFSET_END), want + 2);
        log_close(log);
    }
}

START_TEST(test_torn_tail_plain)
{
    torn_every_byte(LOG_CODEC_NONE, 1 << 20, 7);
}
END_TEST

START_TEST(test_torn_tail_zstd)
{
    torn_every_byte(LOG_CODEC_ZSTD, 1 << 20, 7);
}
END_TEST

START_TEST(test_torn_tail_multi_batch_append)
{
    /* 64-byte batches: the last append is many batches; none of it may survive alone. */
    torn_every_byte(LOG_CODEC_NONE, 64, 12);
}
END_TEST

/* Flips one byte of the last batch (header or body): the batch is dropped, never read. */
START_TEST(test_garbled_tail)
{
    char dir[300], seg[PATH_MAX];
    LogWriter *log;
    LogOptions o;
    uint64_t s0, s1;

    path_of(dir, sizeof dir, "log");
    log_options_default(&o);
    o.codec = LOG_CODEC_NONE;
    log = open_ok(dir, &o);
    append_pattern(log, 0, 5);
    sync_ok(log);
    seg_path(seg, sizeof seg, dir, 0);
    s0 = file_size(seg);
    append_pattern(log, 5, 5);
    sync_ok(log);
    s1 = file_size(seg);
    log_close(log);
    for (uint64_t pos = s0; pos < s1; pos += 7) {
        int fd = open(seg, O_RDWR);
        uint8_t b;

        ck_assert_int_eq(pread(fd, &b, 1, (off_t)pos), 1);
        b ^= 0x5a;
        ck_assert_int_eq(pwrite(fd, &b, 1, (off_t)pos), 1);
        close(fd);
        log = open_ok(dir, &o);
        ck_assert_uint_eq(log_next_offset(log), 5);
        ck_assert_uint_eq(check_range(log, 0, LOG_OFFSET_END), 5);
        append_pattern(log, 5, 5); /* rewrite the same batch for the next round */
        sync_ok(log);
        log_close(log);
        ck_assert_uint_eq(file_size(seg), s1);
    }
}
END_TEST

/* ---------- forged headers ---------- */

typedef void (*Forge)(uint8_t *h);

static void f_version(uint8_t *h) { h[5] = 2; }
static void f_codec(uint8_t *h) { h[7] = 9; }
static void f_flags(uint8_t *h) { h[11] |= 0x80; }
static void f_reserved(uint8_t *h) { h[53] = 1; }
static void f_count_zero(uint8_t *h) { memset(h + 12, 0, 4); }
static void f_count_huge(uint8_t *h) { memset(h + 12, 0xff, 4); }
static void f_raw_absurd(uint8_t *h) { memset(h + 24, 0x7f, 8); }
static void f_stored_ne_raw(uint8_t *h) { h[27] ^= 1; }
static void f_offset_gap(uint8_t *h) { h[23] ^= 0x10; }
static void f_offset_overflow(uint8_t *h) { memset(h + 16, 0xff, 8); }
static void f_event_times(uint8_t *h) { h[32] = 0x7f; }
static void f_nothing(uint8_t *h) { (void)h; }

static void
forge_header(const char *seg, uint64_t pos, Forge f)
{
    int fd = open(seg, O_RDWR);
    uint8_t h[LOG_BATCH_HEADER_SIZE];
    uint32_t crc;

    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(pread(fd, h, sizeof h, (off_t)pos), (ssize_t)sizeof h);
    f(h);
    crc = crc32c(h, 60); /* a valid checksum: not a torn write, a lie */
    h[60] = (uint8_t)(crc >> 24);
    h[61] = (uint8_t)(crc >> 16);
    h[62] = (uint8_t)(crc >> 8);
    h[63] = (uint8_t)crc;
    ck_assert_int_eq(pwrite(fd, h, sizeof h, (off_t)pos), (ssize_t)sizeof h);
    close(fd);
}

/*
 * A log of six uncompressed 5-record batches in 1 KiB segments: the first
 * segment holds four, the second (base *second) two. *batch_size is the size
 * of the first batch.
 */
static void
build_two_segments(const char *dir, LogOptions *o, uint64_t *batch_size, uint64_t *second)
{
    char seg[PATH_MAX];
    LogWriter *log;

    log_options_default(o);
    o->codec = LOG_CODEC_NONE;
    o->segment_bytes = 1024;
    log = open_ok(dir, o);
    for (uint64_t i = 0; i < 30; i += 5)
        append_pattern(log, i, 5);
    sync_ok(log);
    ck_assert_uint_eq(log->nsegs, 2);
    *second = log->segs[1].base;
    ck_assert_uint_ge(*second, 10);
    log_close(log);
    seg_path(seg, sizeof seg, dir, 0);
    *batch_size = LOG_BATCH_HEADER_SIZE + 5 * 4 + (0 + 7 + 14 + 21 + 28);
}

START_TEST(test_forged_headers)
{
    static const Forge forges[] = {f_version,     f_codec,         f_flags,
                                   f_reserved,    f_count_zero,    f_count_huge,
                                   f_raw_absurd,  f_stored_ne_raw, f_offset_gap,
                                   f_offset_overflow, f_event_times};
    char dir[300], seg[PATH_MAX];
    LogOptions o;
    LogWriter *log;
    Err err;
    uint64_t bs, second;

    for (size_t i = 0; i < sizeof forges / sizeof forges[0]; i++) {
        for (int sealed = 0; sealed < 2; sealed++) {
            char name[32];

            snprintf(name, sizeof name, "log%zu-%d", i, sealed);
            path_of(dir, sizeof dir, name);
            build_two_segments(dir, &o, &bs, &second);
            /* The second batch of the sealed first segment, or the last segment's first. */
            seg_path(seg, sizeof seg, dir, sealed ? 0 : second);
            forge_header(seg, sealed ? bs : 0, forges[i]);
            err_clear(&err);
            ck_assert_msg(log_open(dir, &o, &log, &err) == -1, "forge %zu sealed %d", i, sealed);
            ck_assert_str_eq(err.sqlstate, ERRCODE_DATA_CORRUPTED);
            ck_assert(strstr(err.message, "invalid batch in log segment") != NULL);
            ck_assert(err.detail[0] != '\0');
            rm_dir(dir);
        }
    }
}
END_TEST

/* Bad magic / bad CRC in a sealed segment: corruption, not a tail to cut. */
START_TEST(test_sealed_segment_damage)
{
    char dir[300], seg[PATH_MAX];
    LogOptions o;
    LogWriter *log;
    Err err;
    uint64_t bs, second;
    int fd;

    path_of(dir, sizeof dir, "log");
    build_two_segments(dir, &o, &bs, &second);
    seg_path(seg, sizeof seg, dir, 0);

    /* Body damage in a sealed segment opens (bodies are checked when read)... */
    fd = open(seg, O_RDWR);
    ck_assert_int_eq(pwrite(fd, "\xff", 1, (off_t)(bs + 70)), 1);
    close(fd);
    log = open_ok(dir, &o);
    ck_assert_uint_eq(check_range(log, 0, 5), 5);
    ck_assert_uint_eq(check_range(log, 10, 30), 20);
    {
        LogReader *r;
        LogRecordView v;
        int rc;

        err_clear(&err);
        ck_assert_int_eq(log_reader_open(log, 0, 30, &r, &err), 0);
        while ((rc = log_reader_next(r, &v, &err)) == 1)
            ck_assert_uint_lt(v.offset, 5); /* ...but is an error when read */
        ck_assert_int_eq(rc, -1);
        ck_assert_str_eq(err.sqlstate, ERRCODE_DATA_CORRUPTED);
        log_reader_close(r);
    }
    log_close(log);

    /* Header damage in a sealed segment refuses to open. */
    fd = open(seg, O_RDWR);
    ck_assert_int_eq(pwrite(fd, "\xff", 1, (off_t)(bs + 10)), 1);
    close(fd);
    err_clear(&err);
    ck_assert_int_eq(log_open(dir, &o, &log, &err), -1);
    ck_assert_str_eq(err.sqlstate, ERRCODE_DATA_CORRUPTED);

    /* So does a sealed segment cut short. */
    rm_dir(dir);
    build_two_segments(dir, &o, &bs, &second);
    ck_assert_int_eq(truncate(seg, (off_t)(bs * 2 + 3)), 0);
    err_clear(&err);
    ck_assert_int_eq(log_open(dir, &o, &log, &err), -1);
    ck_assert_str_eq(err.sqlstate, ERRCODE_DATA_CORRUPTED);

    /* And a segment whose name does not continue the previous one. */
    rm_dir(dir);
    build_two_segments(dir, &o, &bs, &second);
    {
        char other[PATH_MAX];

        seg_path(seg, sizeof seg, dir, second);
        seg_path(other, sizeof other, dir, second + 1);
        ck_assert_int_eq(rename(seg, other), 0);
    }
    err_clear(&err);
    ck_assert_int_eq(log_open(dir, &o, &log, &err), -1);
    ck_assert_str_eq(err.sqlstate, ERRCODE_DATA_CORRUPTED);
}
END_TEST

/* Header and body checksums both right, body a lie: a read error, never a crash. */
START_TEST(test_forged_bodies)
{
    char dir[300], seg[PATH_MAX];
    LogOptions o;
    LogWriter *log;
    Err err;
    uint64_t bs, second;

    for (int k = 0; k < 3; k++) {
        uint8_t body[4096];
        uint32_t blen;
        int fd;
        LogReader *r;
        LogRecordView v;
        int rc;

        path_of(dir, sizeof dir, "log");
        build_two_segments(dir, &o, &bs, &second);
        seg_path(seg, sizeof seg, dir, 0);
        blen = (uint32_t)(bs - LOG_BATCH_HEADER_SIZE);
        fd = open(seg, O_RDWR);
        ck_assert_int_eq(pread(fd, body, blen, LOG_BATCH_HEADER_SIZE), blen);
        if (k == 0)
            body[0] = 0x7f; /* first record's length runs past the end */
        else if (k == 1)
            body[3] ^= 1; /* framing no longer ends at the body's end */
        close(fd);
        if (k == 2) { /* claims zstd: the body is not a zstd frame */
            forge_header(seg, 0, f_codec);
            fd = open(seg, O_RDWR);
            ck_assert_int_eq(pwrite(fd, "\x00\x01", 2, 6), 2);
            close(fd);
            forge_header(seg, 0, f_nothing);
        } else {
            uint32_t crc = crc32c(body, blen);
            uint8_t c[4] = {(uint8_t)(crc >> 24), (uint8_t)(crc >> 16), (uint8_t)(crc >> 8),
                            (uint8_t)crc};

            fd = open(seg, O_RDWR);
            ck_assert_int_eq(pwrite(fd, body, blen, LOG_BATCH_HEADER_SIZE), blen);
            ck_assert_int_eq(pwrite(fd, c, 4, 48), 4);
            close(fd);
            forge_header(seg, 0, f_nothing);
        }
        log = open_ok(dir, &o);
        err_clear(&err);
        ck_assert_int_eq(log_reader_open(log, 0, 30, &r, &err), 0);
        rc = log_reader_next(r, &v, &err);
        ck_assert_msg(rc == -1, "forge %d gave %d", k, rc);
        ck_assert_str_eq(err.sqlstate, ERRCODE_DATA_CORRUPTED);
        log_reader_close(r);
        ck_assert_uint_eq(check_range(log, 5, 30), 25); /* the rest still reads */
        log_close(log);
        rm_dir(dir);
    }
}
END_TEST

/*
 * Random damage anywhere (flipped bytes, cut files, zeroed ranges): opening
 * either fails with XX001 or succeeds; reading then returns a prefix of the
 * original records, each intact, and ends cleanly or with XX001. Never a crash
 * (ASan and Valgrind watch this one).
 */
START_TEST(test_random_damage)
{
    char dir[300], seg[PATH_MAX];
    LogOptions o;
    Rng rng;
    int opened = 0, refused = 0;

    path_of(dir, sizeof dir, "log");
    rng_seed(&rng, 2026);
    for (int round = 0; round < 120; round++) {
        LogWriter *log;
        LogReader *r;
        LogRecordView v;
        uint64_t expect = 0, victim, size;
        uint8_t want[64];
        Err err;
        int rc, fd;

        log_options_default(&o);
        o.codec = round % 2 ? LOG_CODEC_ZSTD : LOG_CODEC_NONE;
        o.segment_bytes = 1024;
        o.max_batch_bytes = 64 + 64 * (uint32_t)rng_below(&rng, 4); /* some multi-batch appends */
        log = open_ok(dir, &o);
        for (uint64_t i = 0; i < 60; i += 5)
            append_pattern(log, i, 5);
        sync_ok(log);
        ck_assert_uint_ge(log->nsegs, 2);
        victim = log->segs[rng_below(&rng, log->nsegs)].base;
        log_close(log);
        seg_path(seg, sizeof seg, dir, victim);
        size = file_size(seg);
        fd = open(seg, O_RDWR);
        switch (rng_below(&rng, 3)) {
        case 0: /* flip a few bytes */
            for (int k = 0; k < 1 + (int)rng_below(&rng, 3); k++) {
                uint8_t b;
                off_t at = (off_t)rng_below(&rng, size);

                ck_assert_int_eq(pread(fd, &b, 1, at), 1);
                b ^= (uint8_t)(1 + rng_below(&rng, 255));
                ck_assert_int_eq(pwrite(fd, &b, 1, at), 1);
            }
            break;
        case 1: /* cut the file */
            ck_assert_int_eq(ftruncate(fd, (off_t)rng_below(&rng, size)), 0);
            break;
        default: { /* zero a range, as a lost write-back would */
            static const uint8_t zeros[512];
            uint64_t at = rng_below(&rng, size), n = 1 + rng_below(&rng, sizeof zeros);

            if (n > size - at)
                n = size - at;
            ck_assert_int_eq(pwrite(fd, zeros, n, (off_t)at), (ssize_t)n);
        }
        }
        close(fd);
        err_clear(&err);
        if (log_open(dir, &o, &log, &err) != 0) {
            ck_assert_str_eq(err.sqlstate, ERRCODE_DATA_CORRUPTED);
            refused++;
            rm_dir(dir);
            continue;
        }
        opened++;
        ck_assert_int_eq(log_reader_open(log, 0, LOG_OFFSET_END, &r, &err), 0);
        while ((rc = log_reader_next(r, &v, &err)) == 1) {
            ck_assert_uint_eq(v.offset, expect);
            ck_assert_uint_eq(v.len, rec_len(expect));
            rec_fill(expect, want);
            ck_assert(v.len == 0 || memcmp(v.data, want, v.len) == 0);
            expect++;
        }
        if (rc == -1)
            ck_assert_str_eq(err.sqlstate, ERRCODE_DATA_CORRUPTED);
        else
            ck_assert_uint_eq(expect, log_next_offset(log));
        log_reader_close(r);
        /* Whatever survived, the log takes appends and they read back. */
        append_pattern(log, log_next_offset(log), 3);
        sync_ok(log);
        log_close(log);
        rm_dir(dir);
    }
    ck_assert_int_gt(opened, 10);
    ck_assert_int_gt(refused, 10);
}
END_TEST

/* ---------- group commit ---------- */

#define GC_THREADS 8
#define GC_APPENDS 150

typedef struct GcArg {
    LogWriter *log;
    int id;
    uint64_t offsets[GC_APPENDS];
    int failures;
} GcArg;

static void
gc_payload(int id, int seq, char *out, size_t cap)
{
    snprintf(out, cap, "thread %d append %d", id, seq);
}

static void *
gc_thread(void *p)
{
    GcArg *a = p;

    for (int s = 0; s < GC_APPENDS; s++) {
        char payload[64];
        LogRecord rec = {.data = payload};
        LogAppendResult res;
        Err err;

        gc_payload(a->id, s, payload, sizeof payload);
        rec.len = (uint32_t)strlen(payload);
        err_clear(&err);
        if (log_append(a->log, &rec, 1, &res, &err) != 0 ||
            log_sync_to(a->log, res.last_offset, &err) != 0) {
            a->failures++;
            continue;
        }
        a->offsets[s] = res.first_offset; /* acknowledged */
    }
    return NULL;
}

START_TEST(test_group_commit_threads)
{
    char dir[300];
    LogOptions o;
    LogWriter *log;
    pthread_t th[GC_THREADS];
    static GcArg args[GC_THREADS];
    LogReader *r;
    LogRecordView v;
    char **seen;
    uint64_t total = GC_THREADS * GC_APPENDS;
    Err err;
    int rc;

    path_of(dir, sizeof dir, "log");
    log_options_default(&o);
    o.segment_bytes = 8192; /* rolls race with the group commit */
    log = open_ok(dir, &o);
    for (int i = 0; i < GC_THREADS; i++) {
        args[i] = (GcArg){.log = log, .id = i};
        ck_assert_int_eq(pthread_create(&th[i], NULL, gc_thread, &args[i]), 0);
    }
    for (int i = 0; i < GC_THREADS; i++)
        pthread_join(th[i], NULL);
    ck_assert_uint_le(log_fsync_rounds(log), total);
    log_close(log);

    log = open_ok(dir, &o);
    ck_assert_uint_eq(log_next_offset(log), total);
    seen = calloc(total, sizeof *seen);
    err_clear(&err);
    ck_assert_int_eq(log_reader_open(log, 0, LOG_OFFSET_END, &r, &err), 0);
    while ((rc = log_reader_next(r, &v, &err)) == 1)
        seen[v.offset] = strndup((const char *)v.data, v.len);
    ck_assert_int_eq(rc, 0);
    log_reader_close(r);
    for (int i = 0; i < GC_THREADS; i++) {
        ck_assert_int_eq(args[i].failures, 0);
        for (int s = 0; s < GC_APPENDS; s++) {
            char payload[64];

            gc_payload(i, s, payload, sizeof payload);
            ck_assert_ptr_nonnull(seen[args[i].offsets[s]]);
            ck_assert_str_eq(seen[args[i].offsets[s]], payload);
        }
    }
    for (uint64_t k = 0; k < total; k++)
        free(seen[k]);
    free(seen);
    log_close(log);
}
END_TEST

/* ---------- retention ---------- */

START_TEST(test_retention)
{
    char dir[300];
    LogOptions o;
    LogWriter *log;
    LogReader *r;
    Err err;
    uint64_t start, segs;

    path_of(dir, sizeof dir, "log");
    log_options_default(&o);
    o.segment_bytes = 2048;
    log = open_ok(dir, &o);
    for (uint64_t i = 0; i < 1000; i += 10)
        append_pattern(log, i, 10);
    sync_ok(log);
    segs = log_segment_count(log);
    ck_assert_uint_gt(segs, 4);
    err_clear(&err);
    ck_assert_int_eq(log_retain_from(log, 0, &err), 0); /* keep all */
    ck_assert_uint_eq(log_segment_count(log), segs);

    /* A reader opened before retention keeps reading its (unlinked) segment. */
    ck_assert_int_eq(log_reader_open(log, 0, 30, &r, &err), 0);
    {
        LogRecordView v;

        ck_assert_int_eq(log_reader_next(r, &v, &err), 1);
        ck_assert_int_eq(log_retain_from(log, 500, &err), 0);
        for (int k = 1; k < 30; k++)
            ck_assert_int_eq(log_reader_next(r, &v, &err), 1);
        ck_assert_int_eq(log_reader_next(r, &v, &err), 0);
    }
    log_reader_close(r);
    start = log_start_offset(log);
    ck_assert_uint_gt(start, 0);
    ck_assert_uint_le(start, 500);
    ck_assert_uint_lt(log_segment_count(log), segs);
    ck_assert_uint_eq(check_range(log, start, LOG_OFFSET_END), 1000 - start);
    err_clear(&err);
    ck_assert_int_eq(log_reader_open(log, start - 1, LOG_OFFSET_END, &r, &err), -1);
    ck_assert_str_eq(err.sqlstate, ERRCODE_INVALID_PARAMETER_VALUE);
    /* Never the active segment. */
    ck_assert_int_eq(log_retain_from(log, 5000, &err), 0);
    ck_assert_uint_eq(log_segment_count(log), 1);
    log_close(log);

    log = open_ok(dir, &o);
    start = log_start_offset(log);
    ck_assert_uint_eq(log_next_offset(log), 1000);
    ck_assert_uint_eq(check_range(log, start, LOG_OFFSET_END), 1000 - start);
    append_pattern(log, 1000, 10);
    sync_ok(log);
    ck_assert_uint_eq(check_range(log, start, LOG_OFFSET_END), 1010 - start);
    log_close(log);
}
END_TEST

/* The retention policy's cut: by size, by age, never past the consumed limit or the last segment. */
START_TEST(test_retention_policy)
{
    char dir[300];
    LogOptions o;
    LogWriter *log;
    Err err;
    uint64_t cut, size;
    int64_t now = clock_now_us();

    path_of(dir, sizeof dir, "log");
    log_options_default(&o);
    o.segment_bytes = 2048;
    log = open_ok(dir, &o);
    for (uint64_t i = 0; i < 1000; i += 10)
        append_pattern(log, i, 10);
    sync_ok(log);
    size = log_size_bytes(log);
    ck_assert_uint_gt(log_segment_count(log), 4);
    /* no limits: nothing to cut */
    ck_assert_uint_eq(log_retention_cut(log, 0, 0, now, UINT64_MAX), 0);
    /* everything is younger than an hour and smaller than the log */
    ck_assert_uint_eq(log_retention_cut(log, 0, INT64_C(3600000000), now, UINT64_MAX), 0);
    ck_assert_uint_eq(log_retention_cut(log, size * 2, 0, now, UINT64_MAX), 0);
    /* keep ~4 kB: the older segments go, never beyond the limit */
    cut = log_retention_cut(log, 4096, 0, now, UINT64_MAX);
    ck_assert_uint_gt(cut, 0);
    ck_assert_uint_lt(cut, 1000);
    ck_assert_uint_eq(log_retention_cut(log, 4096, 0, now, 7), 7);
    /* an hour from now every segment is old: all but the last one */
    cut = log_retention_cut(log, 0, 1, now + INT64_C(3600000000), UINT64_MAX);
    err_clear(&err);
    ck_assert_int_eq(log_retain_from(log, cut, &err), 0);
    ck_assert_uint_eq(log_segment_count(log), 1);
    ck_assert_uint_eq(log_start_offset(log), cut);
    ck_assert_uint_eq(check_range(log, cut, LOG_OFFSET_END), 1000 - cut);
    log_close(log);
}
END_TEST

static Suite *
log_suite(void)
{
    Suite *s = suite_create("log");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_round_trip_plain);
    tcase_add_test(tc, test_retention_policy);
    tcase_add_test(tc, test_round_trip_zstd);
    tcase_add_test(tc, test_zstd_compresses_and_incompressible_is_stored);
    tcase_add_test(tc, test_api_errors);
    tcase_add_test(tc, test_failed_write_is_cut_back);
    tcase_add_test(tc, test_torn_tail_plain);
    tcase_add_test(tc, test_torn_tail_zstd);
    tcase_add_test(tc, test_torn_tail_multi_batch_append);
    tcase_add_test(tc, test_garbled_tail);
    tcase_add_test(tc, test_forged_headers);
    tcase_add_test(tc, test_sealed_segment_damage);
    tcase_add_test(tc, test_forged_bodies);
    tcase_add_test(tc, test_random_damage);
    tcase_add_test(tc, test_group_commit_threads);
    tcase_add_test(tc, test_retention);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(log_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
