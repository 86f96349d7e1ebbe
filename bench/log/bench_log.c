/*
 * bench/log/bench_log.c — figures for storage/log: append throughput with and
 * without zstd, and group commit (fsyncs per second, log_sync_to latency) with
 * 1 and 8 concurrent writers. Prints a table; not a test.
 *
 *   bench_log [--dir DIR] [--mb N] [--seconds S]
 *
 * DIR must be on the disk to measure (default /tmp; /dev/shm measures no disk).
 * The records are 100-byte rows of moderately compressible text and numbers,
 * like the encoded rows the layer above will append.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/fsio.h"
#include "common/logger.h"
#include "storage/log.h"

#define REC_LEN 100
#define APPEND_RECS 10000 /* one append: 1 MB of records */

static char base_dir[512] = "/tmp";
static int64_t total_mb = 256;
static double seconds = 3.0;

static void
die(const char *what, const Err *err)
{
    fprintf(stderr, "bench_log: %s: %s\n", what, err->message);
    exit(1);
}

static void
fresh_dir(char *out, size_t cap, const char *name)
{
    char cmd[1200];

    snprintf(out, cap, "%s/bench-log-%d-%s", base_dir, (int)getpid(), name);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", out);
    if (system(cmd) != 0)
        exit(1);
}

static void
remove_dir(const char *dir)
{
    char cmd[1200];

    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        exit(1);
}

static void
make_rows(uint8_t *rows, size_t n, Rng *rng)
{
    static const char *words[] = {"auction", "bidder", "seller", "price", "item",
                                  "category", "reserve", "expires", "channel", "url"};

    for (size_t i = 0; i < n; i++) {
        uint8_t *p = rows + i * REC_LEN;
        uint64_t id = i, price = rng_below(rng, 100000);
        size_t off = 0;

        memcpy(p, &id, 8);
        memcpy(p + 8, &price, 8);
        off = 16;
        while (off < REC_LEN) {
            const char *w = words[rng_below(rng, 10)];
            size_t l = strlen(w);

            if (l > REC_LEN - off)
                l = REC_LEN - off;
            memcpy(p + off, w, l);
            off += l;
        }
    }
}

/* Appends total_mb of 100-byte records in 1 MB appends, syncing every append. */
static void
bench_append(LogCodec codec, int level, const uint8_t *rows)
{
    char dir[1100];
    LogOptions o;
    LogWriter *log;
    LogRecord *recs = calloc(APPEND_RECS, sizeof *recs);
    LogAppendResult res;
    Err err;
    int64_t appends = total_mb * 1000000 / (APPEND_RECS * REC_LEN), t0, t1;
    double s;

    fresh_dir(dir, sizeof dir, "append");
    log_options_default(&o);
    o.codec = codec;
    o.zstd_level = level;
    err_clear(&err);
    if (log_open(dir, &o, &log, &err) != 0)
        die("open", &err);
    for (int i = 0; i < APPEND_RECS; i++)
        recs[i] = (LogRecord){.data = rows + (size_t)i * REC_LEN, .len = REC_LEN, .event_time = i};
    t0 = clock_monotonic_ns();
    for (int64_t a = 0; a < appends; a++) {
        if (log_append(log, recs, APPEND_RECS, &res, &err) != 0 ||
            log_sync_to(log, res.last_offset, &err) != 0)
            die("append", &err);
    }
    t1 = clock_monotonic_ns();
    s = (double)(t1 - t0) / 1e9;
    printf("append %-10s  %8.1f MB/s of records  %10.0f records/s  on disk %6.1f MB (%.2fx)\n",
           codec == LOG_CODEC_ZSTD ? (level == 1 ? "zstd-1" : "zstd-3") : "none",
           (double)appends * APPEND_RECS * REC_LEN / 1e6 / s, (double)appends * APPEND_RECS / s,
           (double)log_size_bytes(log) / 1e6,
           (double)appends * APPEND_RECS * REC_LEN / (double)log_size_bytes(log));
    /* Read it all back. */
    {
        LogReader *r;
        LogRecordView v;
        int64_t n = 0;

        t0 = clock_monotonic_ns();
        if (log_reader_open(log, 0, LOG_OFFSET_END, &r, &err) != 0)
            die("reader", &err);
        while (log_reader_next(r, &v, &err) == 1)
            n++;
        t1 = clock_monotonic_ns();
        log_reader_close(r);
        printf("read   %-10s  %8.1f MB/s of records  (%" PRId64 " records)\n",
               codec == LOG_CODEC_ZSTD ? (level == 1 ? "zstd-1" : "zstd-3") : "none",
               (double)n * REC_LEN / 1e6 / ((double)(t1 - t0) / 1e9), n);
    }
    log_close(log);
    remove_dir(dir);
    free(recs);
}

typedef struct Writer {
    LogWriter *log;
    const uint8_t *row;
    int64_t deadline;
    int64_t *lat; /* ns per commit */
    size_t nlat, cap;
} Writer;

static void *
writer_main(void *p)
{
    Writer *w = p;
    LogRecord rec = {.data = w->row, .len = REC_LEN};
    LogAppendResult res;
    Err err;

    err_clear(&err);
    while (clock_monotonic_ns() < w->deadline) {
        int64_t t0 = clock_monotonic_ns();

        if (log_append(w->log, &rec, 1, &res, &err) != 0 ||
            log_sync_to(w->log, res.last_offset, &err) != 0)
            die("commit", &err);
        if (w->nlat == w->cap) {
            w->cap = w->cap ? w->cap * 2 : 1024;
            w->lat = realloc(w->lat, w->cap * sizeof *w->lat);
        }
        w->lat[w->nlat++] = clock_monotonic_ns() - t0;
    }
    return NULL;
}

static int
cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

    return x < y ? -1 : x > y;
}

/* nthreads writers each appending one record and waiting for it to be durable. */
static void
bench_group_commit(int nthreads, const uint8_t *rows)
{
    char dir[1100];
    LogWriter *log;
    Writer w[64];
    pthread_t th[64];
    Err err;
    int64_t *all, t0, t1;
    size_t n = 0, k = 0;
    uint64_t rounds0;
    double s;

    fresh_dir(dir, sizeof dir, "commit");
    err_clear(&err);
    if (log_open(dir, NULL, &log, &err) != 0)
        die("open", &err);
    rounds0 = log_fsync_rounds(log);
    t0 = clock_monotonic_ns();
    for (int i = 0; i < nthreads; i++) {
        w[i] = (Writer){.log = log, .row = rows + (size_t)i * REC_LEN,
                        .deadline = t0 + (int64_t)(seconds * 1e9)};
        pthread_create(&th[i], NULL, writer_main, &w[i]);
    }
    for (int i = 0; i < nthreads; i++) {
        pthread_join(th[i], NULL);
        n += w[i].nlat;
    }
    t1 = clock_monotonic_ns();
    s = (double)(t1 - t0) / 1e9;
    all = malloc((n ? n : 1) * sizeof *all);
    for (int i = 0; i < nthreads; i++) {
        memcpy(all + k, w[i].lat, w[i].nlat * sizeof *all);
        k += w[i].nlat;
        free(w[i].lat);
    }
    qsort(all, n, sizeof *all, cmp_i64);
    printf("commit %2d writer%s  %9.0f commits/s  %8.0f fsyncs/s  %5.1f commits/fsync  "
           "latency p50 %7.3f ms  p99 %7.3f ms\n",
           nthreads, nthreads == 1 ? " " : "s", (double)n / s,
           (double)(log_fsync_rounds(log) - rounds0) / s,
           (double)n / (double)(log_fsync_rounds(log) - rounds0 ? log_fsync_rounds(log) - rounds0 : 1),
           n ? (double)all[n / 2] / 1e6 : 0.0, n ? (double)all[n * 99 / 100] / 1e6 : 0.0);
    free(all);
    log_close(log);
    remove_dir(dir);
}

int
main(int argc, char **argv)
{
    uint8_t *rows = malloc((size_t)APPEND_RECS * REC_LEN);
    Rng rng;

    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--dir") == 0)
            snprintf(base_dir, sizeof base_dir, "%s", argv[i + 1]);
        else if (strcmp(argv[i], "--mb") == 0)
            total_mb = strtoll(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--seconds") == 0)
            seconds = strtod(argv[i + 1], NULL);
        else {
            fprintf(stderr, "usage: bench_log [--dir DIR] [--mb N] [--seconds S]\n");
            return 2;
        }
    }
    rng_seed(&rng, 1);
    make_rows(rows, APPEND_RECS, &rng);
    printf("storage/log benchmark in %s: %" PRId64 " MB of %d-byte records, 1 MB appends, "
           "each synced\n", base_dir, total_mb, REC_LEN);
    bench_append(LOG_CODEC_NONE, 1, rows);
    bench_append(LOG_CODEC_ZSTD, 1, rows);
    bench_append(LOG_CODEC_ZSTD, 3, rows);
    bench_group_commit(1, rows);
    bench_group_commit(8, rows);
    bench_group_commit(32, rows);
    free(rows);
    return 0;
}
