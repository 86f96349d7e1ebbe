/*
 * bench/state/bench_state.c — figures for storage/state: durable epoch commit latency with 1,
 * 100 and 10,000 puts per epoch, and point-get throughput (one long snapshot; one snapshot
 * per get; several reader threads). Prints a table; not a test.
 *
 *   bench_state [--dir DIR] [--keys N] [--threads T]
 *
 * DIR must be on the disk to measure (default /tmp; /dev/shm measures no disk). Keys are
 * 8-byte big-endian integers in random order (what the memcomparable encoding of a bigint
 * key looks like), values 100 bytes.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/logger.h"
#include "storage/state.h"

#define VAL_LEN 100

static char base_dir[512] = "/tmp";
static uint64_t n_keys = 1000000;
static int n_threads = 2;
static char dir[700];

static void
die(const char *what, const Err *err)
{
    fprintf(stderr, "bench_state: %s: %s\n", what, err->message);
    exit(1);
}

static void
key_of(uint64_t i, unsigned char *k)
{
    for (int b = 7; b >= 0; b--) {
        k[b] = (unsigned char)(i & 0xff);
        i >>= 8;
    }
}

static int
cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

    return x < y ? -1 : x > y;
}

/* Commits `epochs` epochs of `puts` random-key puts each; prints latency percentiles. */
static void
bench_commit(StateStore *st, uint64_t *epoch, Rng *rng, int puts, int epochs)
{
    int64_t *lat = calloc((size_t)epochs, sizeof *lat);
    unsigned char val[VAL_LEN], k[8];
    int64_t total = 0;
    Err err;

    memset(val, 'v', sizeof val);
    err_clear(&err);
    for (int e = 0; e < epochs; e++) {
        StateEpoch *ep;
        int64_t t0;
        int t;

        if (state_epoch_begin(st, ++*epoch, &ep, &err) < 0 ||
            state_epoch_table(ep, "t16384.s0", &t, &err) < 0)
            die("begin", &err);
        for (int i = 0; i < puts; i++) {
            key_of(rng_below(rng, n_keys * 4), k);
            if (state_epoch_put(ep, t, k, sizeof k, val, sizeof val, &err) < 0)
                die("put", &err);
        }
        if (state_epoch_set_offset(ep, 16385, *epoch * (uint64_t)puts, &err) < 0)
            die("offset", &err);
        t0 = clock_monotonic_ns();
        if (state_epoch_commit(ep, &err) < 0)
            die("commit", &err);
        lat[e] = clock_monotonic_ns() - t0;
        total += lat[e];
    }
    qsort(lat, (size_t)epochs, sizeof *lat, cmp_i64);
    printf("commit %6d puts/epoch  %5d epochs  p50 %8.3f ms  p99 %8.3f ms  mean %8.3f ms"
           "  %10.0f puts/s\n",
           puts, epochs, lat[epochs / 2] / 1e6, lat[epochs * 99 / 100] / 1e6, total / 1e6 / epochs,
           (double)puts * epochs / (total / 1e9));
    free(lat);
}

static void
populate(StateStore *st, uint64_t *epoch)
{
    unsigned char val[VAL_LEN], k[8];
    const uint64_t per_epoch = 100000;
    int64_t t0 = clock_monotonic_ns();
    Err err;

    memset(val, 'p', sizeof val);
    err_clear(&err);
    for (uint64_t base = 0; base < n_keys; base += per_epoch) {
        StateEpoch *ep;
        int t;

        if (state_epoch_begin(st, ++*epoch, &ep, &err) < 0 ||
            state_epoch_table(ep, "t16386.s0", &t, &err) < 0)
            die("begin", &err);
        for (uint64_t i = base; i < base + per_epoch && i < n_keys; i++) {
            key_of(i, k);
            if (state_epoch_put(ep, t, k, sizeof k, val, sizeof val, &err) < 0)
                die("put", &err);
        }
        if (state_epoch_commit(ep, &err) < 0)
            die("commit", &err);
    }
    printf("populate %" PRIu64
           " keys in epochs of 100,000 (sequential keys): %.2f s, %.0f puts/s\n",
           n_keys, (clock_monotonic_ns() - t0) / 1e9, n_keys / ((clock_monotonic_ns() - t0) / 1e9));
}

typedef struct GetArg {
    StateStore *st;
    uint64_t seed;
    uint64_t gets;
    bool snapshot_per_get;
    uint64_t found;
} GetArg;

static void *
get_main(void *p)
{
    GetArg *g = p;
    StateSnapshot *snap = NULL;
    StateTable t;
    StateBytes v;
    unsigned char k[8];
    Rng rng;
    Err err;

    err_clear(&err);
    rng_seed(&rng, g->seed);
    for (uint64_t i = 0; i < g->gets; i++) {
        if (snap == NULL) {
            if (state_snapshot_begin(g->st, &snap, &err) < 0)
                die("snapshot", &err);
            if (state_snapshot_table(snap, "t16386.s0", &t, &err) != 1)
                die("table", &err);
        }
        key_of(rng_below(&rng, n_keys), k);
        if (state_get(&t, k, sizeof k, &v, &err) == 1)
            g->found += ((const unsigned char *)v.data)[0] == 'p';
        if (g->snapshot_per_get) {
            state_snapshot_end(snap);
            snap = NULL;
        }
    }
    state_snapshot_end(snap);
    return NULL;
}

static void
bench_gets(StateStore *st, int threads, bool per_get, uint64_t gets_each)
{
    pthread_t th[64];
    GetArg args[64];
    uint64_t found = 0;
    int64_t t0 = clock_monotonic_ns();
    double secs;

    for (int i = 0; i < threads; i++) {
        args[i] = (GetArg){
            .st = st, .seed = 1000 + (uint64_t)i, .gets = gets_each, .snapshot_per_get = per_get};
        pthread_create(&th[i], NULL, get_main, &args[i]);
    }
    for (int i = 0; i < threads; i++) {
        pthread_join(th[i], NULL);
        found += args[i].found;
    }
    secs = (clock_monotonic_ns() - t0) / 1e9;
    if (found != gets_each * (uint64_t)threads)
        fprintf(stderr, "bench_state: %" PRIu64 " of %" PRIu64 " gets found\n", found,
                gets_each * (uint64_t)threads);
    printf("point get  %d thread(s)  %-22s %10.0f gets/s  (%.3f us/get/thread)\n", threads,
           per_get ? "snapshot per get" : "one snapshot/thread", gets_each * threads / secs,
           secs * 1e6 / gets_each);
}

int
main(int argc, char **argv)
{
    StateStore *st;
    StateStats stats;
    uint64_t epoch = 0;
    char cmd[800];
    Rng rng;
    Err err;

    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--dir") == 0)
            snprintf(base_dir, sizeof base_dir, "%s", argv[i + 1]);
        else if (strcmp(argv[i], "--keys") == 0)
            n_keys = strtoull(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--threads") == 0)
            n_threads = (int)strtol(argv[i + 1], NULL, 10);
    }
    if (n_threads < 1 || n_threads > 64 || n_keys < 1000) {
        fprintf(stderr, "usage: bench_state [--dir DIR] [--keys N>=1000] [--threads 1..64]\n");
        return 2;
    }
    logger_set_level(LOG_LEVEL_WARNING);
    snprintf(dir, sizeof dir, "%s/bench-state-%d", base_dir, (int)getpid());
    err_clear(&err);
    if (state_open(dir, NULL, &st, &err) < 0)
        die("open", &err);
    rng_seed(&rng, 42);
    printf("state store in %s (LMDB, sync on commit), values %d bytes, keys 8 bytes\n", dir,
           VAL_LEN);
    bench_commit(st, &epoch, &rng, 1, 200);
    bench_commit(st, &epoch, &rng, 100, 200);
    bench_commit(st, &epoch, &rng, 10000, 30);
    populate(st, &epoch);
    bench_gets(st, 1, false, 2000000);
    bench_gets(st, 1, true, 500000);
    bench_gets(st, n_threads, false, 2000000);
    bench_gets(st, n_threads, true, 500000);
    state_stats(st, &stats);
    printf("map %zu MB, used %zu MB, %u growth(s)\n", stats.map_size >> 20, stats.used_bytes >> 20,
           stats.map_growths);
    state_close(st);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : 1;
}
