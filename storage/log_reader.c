/*
 * storage/log_reader.c — reading a log by offset range.
 *
 * A reader finds its segment and the nearest indexed batch with log_locate(),
 * then walks batch headers to the first batch holding a wanted record. Only
 * such batches have their bodies read, checked (CRC32C, record framing) and,
 * if compressed, decompressed. Uncompressed records are handed out as pointers
 * into the body buffer: no per-record copy.
 *
 * Invariants:
 *   1. A reader never goes past the durable end it saw when it was opened, so
 *      every batch it touches was completely written and fsynced.
 *   2. Every defect found while reading is XX001 (recovery already cut torn
 *      tails, so within the durable range nothing may be wrong); the reader
 *      never crashes and never returns a record from a batch it did not check.
 *   3. The reader has its own descriptor: retention may unlink the segment it
 *      reads without disturbing it.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zstd.h>

#include "common/crc32c.h"
#include "common/fsio.h"
#include "storage/log_int.h"

struct LogReader {
    LogWriter *log;
    uint64_t cur; /* the next offset to return */
    uint64_t end; /* one past the last offset to return */
    int fd;
    char path[PATH_MAX];
    uint64_t seg_end; /* as of the last lookup */
    uint64_t pos;     /* file position of the next batch */
    uint64_t expect;  /* first offset of the next batch */
    bool in_batch;
    LogBatchHeader h;
    const uint8_t *body; /* raw records of the current batch */
    uint64_t rec_pos;
    uint64_t batch_next; /* offset of the record at rec_pos */
    uint8_t *stored;
    size_t stored_cap;
    uint8_t *raw;
    size_t raw_cap;
    ZSTD_DCtx *dctx;
};

int
log_reader_open(LogWriter *log, uint64_t from, uint64_t to, LogReader **out, Err *err)
{
    LogReader *r;
    uint64_t start, durable;

    *out = NULL;
    pthread_mutex_lock(&log->mu);
    start = log->segs[0].base;
    durable = log->durable;
    pthread_mutex_unlock(&log->mu);
    if (from < start)
        return ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE,
                         "log offset %" PRIu64 " is no longer retained (the log starts at %" PRIu64
                         ")",
                         from, start);
    r = calloc(1, sizeof *r);
    if (r == NULL)
        return ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
    r->log = log;
    r->cur = from;
    r->end = to < durable ? to : durable;
    r->fd = -1;
    *out = r;
    return 0;
}

void
log_reader_close(LogReader *r)
{
    if (r == NULL)
        return;
    if (r->fd >= 0)
        close(r->fd);
    free(r->stored);
    free(r->raw);
    ZSTD_freeDCtx(r->dctx);
    free(r);
}

static int
corrupt(LogReader *r, const char *why, Err *err)
{
    ERR_RAISE(err, ERRCODE_DATA_CORRUPTED, "invalid batch in log segment \"%s\" at byte %" PRIu64,
              r->path, r->pos);
    err_detail(err, "%s", why);
    return -1;
}

static int
seek(LogReader *r, Err *err)
{
    LogLocation loc;

    if (r->fd >= 0) {
        close(r->fd);
        r->fd = -1;
    }
    if (log_locate(r->log, r->cur, &loc, err) != 0)
        return -1;
    if (loc.seg_end <= r->cur)
        return ERR_RAISE(err, ERRCODE_INTERNAL_ERROR, "log offset %" PRIu64 " not found",
                         r->cur);
    memcpy(r->path, loc.path, sizeof r->path);
    r->fd = open(r->path, O_RDONLY | O_CLOEXEC);
    if (r->fd < 0) {
        if (errno == ENOENT) /* retention removed it since the lookup */
            return ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE,
                             "log offset %" PRIu64 " is no longer retained", r->cur);
        return fsio_raise(err, errno, "open file", r->path);
    }
    r->seg_end = loc.seg_end;
    r->pos = loc.pos;
    r->expect = loc.batch_offset;
    return 0;
}

static bool
grow(uint8_t **p, size_t *cap, size_t need)
{
    uint8_t *n;

    if (need <= *cap)
        return true;
    n = realloc(*p, need);
    if (n == NULL)
        return false;
    *p = n;
    *cap = need;
    return true;
}

static int
read_body(LogReader *r, Err *err)
{
    LogBatchHeader *h = &r->h;
    ssize_t got;
    const char *why;

    if (!grow(&r->stored, &r->stored_cap, h->stored_len ? h->stored_len : 1))
        return ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
    got = fsio_pread_all(r->fd, r->stored, h->stored_len, r->pos + LOG_BATCH_HEADER_SIZE, r->path,
                         err);
    if (got < 0)
        return -1;
    if ((size_t)got < h->stored_len)
        return corrupt(r, "The batch body runs past the end of the file.", err);
    if (crc32c(r->stored, h->stored_len) != h->body_crc)
        return corrupt(r, "The batch body checksum does not match.", err);
    r->body = r->stored;
    if (h->codec == LOG_CODEC_ZSTD) {
        size_t d;

        if (!grow(&r->raw, &r->raw_cap, h->raw_len ? h->raw_len : 1))
            return ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
        if (r->dctx == NULL && (r->dctx = ZSTD_createDCtx()) == NULL)
            return ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
        d = ZSTD_decompressDCtx(r->dctx, r->raw, h->raw_len, r->stored, h->stored_len);
        if (ZSTD_isError(d) || d != h->raw_len)
            return corrupt(r, "The batch body does not decompress to its recorded length.", err);
        r->body = r->raw;
    }
    if ((why = log_batch_check_records(r->body, h->raw_len, h->count)) != NULL)
        return corrupt(r, why, err);
    return 0;
}

/* Reads the batch at r->pos: skips it if it holds nothing wanted, else loads it. */
static int
load_batch(LogReader *r, Err *err)
{
    uint8_t hb[LOG_BATCH_HEADER_SIZE];
    ssize_t got;
    const char *why;
    LogBatchHeader *h = &r->h;

    got = fsio_pread_all(r->fd, hb, sizeof hb, r->pos, r->path, err);
    if (got < 0)
        return -1;
    if ((size_t)got < sizeof hb)
        return corrupt(r, "The file ends inside a batch header.", err);
    if (log_batch_header_decode(hb, h, &why) != LOG_HEADER_OK)
        return corrupt(r, why, err);
    if (h->first_offset != r->expect) {
        char msg[160];

        snprintf(msg, sizeof msg, "The batch starts at offset %" PRIu64 ", but %" PRIu64
                 " was expected.", h->first_offset, r->expect);
        return corrupt(r, msg, err);
    }
    if (h->first_offset + h->count > r->cur) {
        if (read_body(r, err) != 0)
            return -1;
        r->in_batch = true;
        r->rec_pos = 0;
        r->batch_next = h->first_offset;
    }
    r->pos += LOG_BATCH_HEADER_SIZE + h->stored_len;
    r->expect += h->count;
    return 0;
}

int
log_reader_next(LogReader *r, LogRecordView *v, Err *err)
{
    for (;;) {
        if (r->cur >= r->end)
            return 0;
        while (r->in_batch && r->batch_next < r->h.first_offset + r->h.count) {
            uint32_t len = buf_get_u32(r->body + r->rec_pos);
            uint64_t off = r->batch_next++;
            const uint8_t *data = r->body + r->rec_pos + 4;

            r->rec_pos += 4 + (uint64_t)len;
            if (off < r->cur)
                continue;
            v->offset = off;
            v->data = data;
            v->len = len;
            v->batch_min_event_time = r->h.min_event_time;
            v->batch_max_event_time = r->h.max_event_time;
            r->cur = off + 1;
            return 1;
        }
        r->in_batch = false;
        if ((r->fd < 0 || r->cur >= r->seg_end) && seek(r, err) != 0)
            return -1;
        if (load_batch(r, err) != 0)
            return -1;
    }
}
