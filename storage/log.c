/*
 * storage/log.c — the durable input log: open and recovery, append, group
 * commit, segment roll and retention. Reads are in log_reader.c, the batch
 * format in log_batch.c; the design note is docs/storage-log.md.
 *
 * Batches are appended to segment files; each batch is
 * [64-byte header: first offset, count, codec, lengths, event times, CRCs][body].
 * A batch is acknowledged only after log_sync_to() covered it.
 *
 * Group commit (all under mu except the fsync itself):
 *
 *     log_sync_to(o):  durable > o ──────────────────────────────► return
 *                        │ no
 *                        ▼
 *                   is_syncing? ── yes ──► wait cv ──► (re-check)
 *                        │ no
 *                        ▼
 *                   leader: is_syncing = true, target = next_offset,
 *                   unlock, fsync(active fd), lock,
 *                   durable = target, is_syncing = false, broadcast cv
 *
 * A roll fsyncs the finished segment, creates the next one and fsyncs the
 * directory, all under mu; if a leader is fsyncing the old descriptor outside
 * mu, the leader closes it afterwards (it must not be closed under its feet).
 *
 * Invariants:
 *   1. Offsets are dense and increasing, across segments and restarts.
 *   2. Nothing is visible to readers before it is durable (readers clamp to
 *      durable, and durable only moves after an fsync covered it).
 *   3. On start-up the first torn batch of the last segment ends the log; it
 *      and everything after it (and any incomplete append before it) are
 *      truncated. Damage elsewhere is XX001, never a silent truncation.
 *   4. An append is written with one write(2) into one segment; if the write
 *      fails it is cut back, and if that fails the writer stays failed.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include "common/crc32c.h"
#include "common/fsio.h"
#include "common/logger.h"
#include "storage/log_int.h"

#define SCAN_WINDOW ((size_t)1 << 20)
#define SPARE_BUFFER_MAX ((size_t)16 << 20) /* larger append buffers are freed after use */

void
log_options_default(LogOptions *o)
{
    o->segment_bytes = (uint64_t)64 << 20;
    o->max_batch_bytes = (uint32_t)1 << 20;
    o->index_interval_bytes = 16 << 10;
    o->codec = LOG_CODEC_ZSTD;
    o->zstd_level = 1;
}

static int
check_options(const LogOptions *o, Err *err)
{
    if (o->segment_bytes < 1024)
        return ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE,
                         "log segment size must be at least 1024 bytes");
    if (o->max_batch_bytes < 64 || o->max_batch_bytes > ((uint32_t)64 << 20))
        return ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE,
                         "log batch size must be between 64 bytes and 64 MiB");
    if (o->codec != LOG_CODEC_NONE && o->codec != LOG_CODEC_ZSTD)
        return ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE, "unknown log codec %d",
                         (int)o->codec);
    if (o->codec == LOG_CODEC_ZSTD &&
        (o->zstd_level < LOG_ZSTD_FASTEST || o->zstd_level == 0 ||
         o->zstd_level > ZSTD_maxCLevel()))
        return ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE,
                         "zstd level must be between %d and %d, and not 0", LOG_ZSTD_FASTEST,
                         ZSTD_maxCLevel());
    return 0;
}

static int
raise_corrupt(Err *err, const char *path, uint64_t pos, const char *why)
{
    ERR_RAISE(err, ERRCODE_DATA_CORRUPTED, "invalid batch in log segment \"%s\" at byte %" PRIu64,
              path, pos);
    err_detail(err, "%s", why);
    return -1;
}

/* ---------- the segment table ---------- */

static LogSegment *
push_segment(LogWriter *log, uint64_t base, Err *err)
{
    LogSegment *s;

    if (log->nsegs == log->segs_cap) {
        size_t cap = log->segs_cap ? log->segs_cap * 2 : 16;
        LogSegment *n = realloc(log->segs, cap * sizeof *n);

        if (n == NULL) {
            ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
            return NULL;
        }
        log->segs = n;
        log->segs_cap = cap;
    }
    s = &log->segs[log->nsegs++];
    memset(s, 0, sizeof *s);
    s->base = base;
    s->end = base;
    return s;
}

static int
cmp_segment(const void *a, const void *b)
{
    uint64_t x = ((const LogSegment *)a)->base, y = ((const LogSegment *)b)->base;

    return x < y ? -1 : x > y;
}

static int
list_segments(LogWriter *log, Err *err)
{
    DIR *d = opendir(log->dir);
    struct dirent *e;

    if (d == NULL)
        return fsio_raise(err, errno, "open directory", log->dir);
    while ((errno = 0, e = readdir(d)) != NULL) {
        uint64_t base;

        if (log_segment_parse_name(e->d_name, &base) && push_segment(log, base, err) == NULL) {
            closedir(d);
            return -1;
        }
    }
    if (errno != 0) {
        int saved = errno;

        closedir(d);
        return fsio_raise(err, saved, "read directory", log->dir);
    }
    closedir(d);
    if (log->nsegs > 1)
        qsort(log->segs, log->nsegs, sizeof *log->segs, cmp_segment);
    return 0;
}

/* Creates the segment file for base, makes its name durable and opens it for append. */
static int
create_segment(LogWriter *log, uint64_t base, int *fd_out, Err *err)
{
    char path[PATH_MAX];
    int fd;

    log_segment_path(log->dir, base, path, sizeof path);
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0)
        return fsio_raise(err, errno, "create file", path);
    if (fsio_fsync_dir(log->dir, err) != 0 || push_segment(log, base, err) == NULL) {
        close(fd);
        unlink(path);
        return -1;
    }
    *fd_out = fd;
    return 0;
}

/* ---------- recovery ---------- */

typedef struct Scan {
    int fd;
    const char *path;
    uint64_t size;
    uint8_t *win;
    size_t win_cap;
    uint64_t win_off;
    size_t win_len;
} Scan;

/* n bytes at off (the caller checked off + n <= size), through a read window. */
static const uint8_t *
scan_get(Scan *s, uint64_t off, size_t n, Err *err)
{
    size_t want;
    ssize_t got;

    if (off >= s->win_off && off + n <= s->win_off + s->win_len)
        return s->win + (off - s->win_off);
    want = n > SCAN_WINDOW ? n : SCAN_WINDOW;
    if (want > s->size - off)
        want = (size_t)(s->size - off);
    if (want > s->win_cap) {
        uint8_t *w = realloc(s->win, want);

        if (w == NULL) {
            ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
            return NULL;
        }
        s->win = w;
        s->win_cap = want;
    }
    s->win_len = 0;
    got = fsio_pread_all(s->fd, s->win, want, off, s->path, err);
    if (got < 0)
        return NULL;
    if ((size_t)got < n) {
        ERR_RAISE(err, ERRCODE_IO_ERROR, "could not read file \"%s\": unexpected end of file",
                  s->path);
        return NULL;
    }
    s->win_off = off;
    s->win_len = (size_t)got;
    return s->win;
}

static void
trim_index(LogSegment *seg, uint64_t cut)
{
    while (seg->nidx > 0 && seg->idx[seg->nidx - 1].pos >= cut)
        seg->nidx--;
}

/* Where a scan of a segment stands: the next batch and the append it belongs to. */
typedef struct ScanPos {
    uint64_t pos;       /* the next batch's file position */
    uint64_t expect;    /* the next batch's first offset */
    uint64_t group_pos; /* where the append of the last good batch starts */
    uint64_t group_off;
    bool in_group; /* the last good batch was flagged MORE */
} ScanPos;

/*
 * Walks the batches of a segment from sp, rebuilding its index. Stops at the
 * end of the file or at the first crash artefact (*torn says what); returns -1
 * on an I/O error or corruption a crash cannot explain.
 */
static int
scan_batches(LogWriter *log, LogSegment *seg, Scan *s, bool check_bodies, ScanPos *sp,
             const char **torn, Err *err)
{
    *torn = NULL;
    while (sp->pos < s->size) {
        LogBatchHeader h;
        const char *why;
        const uint8_t *p;
        LogHeaderCheck c;

        if (s->size - sp->pos < LOG_BATCH_HEADER_SIZE) {
            *torn = "The file ends inside a batch header.";
            return 0;
        }
        if ((p = scan_get(s, sp->pos, LOG_BATCH_HEADER_SIZE, err)) == NULL)
            return -1;
        c = log_batch_header_decode(p, &h, &why);
        if (c == LOG_HEADER_TORN) {
            *torn = why;
            return 0;
        }
        if (c == LOG_HEADER_INVALID)
            return raise_corrupt(err, s->path, sp->pos, why);
        if (h.first_offset != sp->expect) {
            char msg[160];

            snprintf(msg, sizeof msg, "The batch starts at offset %" PRIu64 ", but %" PRIu64
                     " was expected.", h.first_offset, sp->expect);
            return raise_corrupt(err, s->path, sp->pos, msg);
        }
        if (h.stored_len > s->size - sp->pos - LOG_BATCH_HEADER_SIZE) {
            *torn = "The batch body runs past the end of the file.";
            return 0;
        }
        if (check_bodies) {
            p = scan_get(s, sp->pos + LOG_BATCH_HEADER_SIZE, h.stored_len, err);
            if (p == NULL)
                return -1;
            if (crc32c(p, h.stored_len) != h.body_crc) {
                *torn = "The batch body checksum does not match.";
                return 0;
            }
        }
        if (!sp->in_group) {
            sp->group_pos = sp->pos;
            sp->group_off = sp->expect;
        }
        log_segment_index_add(seg, sp->expect, sp->pos, log->opts.index_interval_bytes);
        sp->in_group = (h.flags & LOG_BATCH_FLAG_MORE) != 0;
        sp->pos += LOG_BATCH_HEADER_SIZE + h.stored_len;
        sp->expect += h.count;
    }
    if (sp->in_group)
        *torn = "The file ends inside an append (its last batch is flagged MORE).";
    return 0;
}

/*
 * Scans seg, finding its end. The tail segment is checked body by body and a
 * torn end (with any incomplete append before it) is cut off; for a sealed
 * segment every defect is corruption.
 */
static int
scan_segment(LogWriter *log, LogSegment *seg, bool is_tail, Err *err)
{
    char path[PATH_MAX];
    struct stat st;
    Scan s = {.path = path};
    ScanPos sp = {.expect = seg->base, .group_off = seg->base};
    const char *torn;
    int rc = -1;

    log_segment_path(log->dir, seg->base, path, sizeof path);
    s.fd = open(path, (is_tail ? O_RDWR : O_RDONLY) | O_CLOEXEC);
    if (s.fd < 0)
        return fsio_raise(err, errno, "open file", path);
    if (fstat(s.fd, &st) != 0) {
        fsio_raise(err, errno, "stat file", path);
        goto out;
    }
    s.size = (uint64_t)st.st_size;
    if (scan_batches(log, seg, &s, is_tail, &sp, &torn, err) != 0)
        goto out;
    if (torn != NULL && !is_tail) {
        raise_corrupt(err, path, sp.pos, torn);
        goto out;
    }
    if (torn != NULL) {
        uint64_t cut = sp.in_group ? sp.group_pos : sp.pos;

        LOG_WARNING("log segment \"%s\": truncated a torn tail at byte %" PRIu64
                    ", %" PRIu64 " bytes dropped: %s",
                    path, cut, s.size - cut, torn);
        if (fsio_truncate(s.fd, cut, path, err) != 0)
            goto out;
        fsio_fdatasync_file(s.fd, path);
        trim_index(seg, cut);
        sp.pos = cut;
        if (sp.in_group)
            sp.expect = sp.group_off;
    }
    seg->size = sp.pos;
    seg->end = sp.expect;
    rc = 0;
out:
    free(s.win);
    close(s.fd);
    return rc;
}

static int
make_dir(const char *dir, Err *err)
{
    struct stat st;
    char parent[PATH_MAX];
    char *slash;

    if (mkdir(dir, 0755) != 0) {
        if (errno != EEXIST)
            return fsio_raise(err, errno, "create directory", dir);
        if (stat(dir, &st) != 0)
            return fsio_raise(err, errno, "stat directory", dir);
        if (!S_ISDIR(st.st_mode))
            return ERR_RAISE(err, ERRCODE_IO_ERROR, "\"%s\" is not a directory", dir);
        return 0;
    }
    /* A new directory's own entry must be durable too. */
    snprintf(parent, sizeof parent, "%s", dir);
    slash = strrchr(parent, '/');
    if (slash == parent)
        slash[1] = '\0';
    else if (slash != NULL)
        *slash = '\0';
    else
        snprintf(parent, sizeof parent, ".");
    return fsio_fsync_dir(parent, err);
}

static int
recover(LogWriter *log, Err *err)
{
    LogSegment *last;

    if (make_dir(log->dir, err) != 0 || list_segments(log, err) != 0)
        return -1;
    if (log->nsegs == 0) {
        int fd;

        if (create_segment(log, 0, &fd, err) != 0)
            return -1;
        close(fd);
    }
    for (size_t i = 0; i < log->nsegs; i++) {
        if (i > 0 && log->segs[i].base != log->segs[i - 1].end) {
            char path[PATH_MAX], msg[160];

            log_segment_path(log->dir, log->segs[i].base, path, sizeof path);
            snprintf(msg, sizeof msg, "The segment should start at offset %" PRIu64 ".",
                     log->segs[i - 1].end);
            return raise_corrupt(err, path, 0, msg);
        }
        if (scan_segment(log, &log->segs[i], i + 1 == log->nsegs, err) != 0)
            return -1;
    }
    last = &log->segs[log->nsegs - 1];
    log_segment_path(log->dir, last->base, log->active_path, sizeof log->active_path);
    log->fd = open(log->active_path, O_WRONLY | O_APPEND | O_CLOEXEC);
    if (log->fd < 0)
        return fsio_raise(err, errno, "open file", log->active_path);
    /* What survived a crash of the process (not the OS) may still be only in the
     * page cache: make it durable before it counts as such. */
    fsio_fdatasync_file(log->fd, log->active_path);
    log->next_offset = last->end;
    log->durable = last->end;
    return 0;
}

int
log_open(const char *dir, const LogOptions *opts, LogWriter **out, Err *err)
{
    LogWriter *log;

    *out = NULL;
    if (strlen(dir) + 1 + LOG_SEGMENT_NAME_LEN + 1 > PATH_MAX)
        return ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE, "log directory path is too long");
    log = calloc(1, sizeof *log);
    if (log == NULL)
        return ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
    if (opts)
        log->opts = *opts;
    else
        log_options_default(&log->opts);
    if (check_options(&log->opts, err) != 0) {
        free(log);
        return -1;
    }
    snprintf(log->dir, sizeof log->dir, "%s", dir);
    log->fd = -1;
    log->sync_fd = -1;
    pthread_mutex_init(&log->mu, NULL);
    pthread_cond_init(&log->cv, NULL);
    buf_init(&log->raw, LOG_MAX_BATCH_BYTES);
    buf_init(&log->out, BUF_DEFAULT_MAX);
    if (recover(log, err) != 0) {
        log_close(log);
        return -1;
    }
    *out = log;
    return 0;
}

void
log_close(LogWriter *log)
{
    if (log == NULL)
        return;
    if (log->fd >= 0)
        close(log->fd);
    for (size_t i = 0; i < log->nsegs; i++)
        free(log->segs[i].idx);
    free(log->segs);
    buf_free(&log->raw);
    buf_free(&log->out);
    ZSTD_freeCCtx(log->cctx);
    pthread_cond_destroy(&log->cv);
    pthread_mutex_destroy(&log->mu);
    free(log);
}

/* ---------- append ---------- */

static void
put_records(Buf *b, const LogRecord *recs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        buf_put_u32(b, recs[i].len);
        if (recs[i].len > 0)
            buf_append(b, recs[i].data, recs[i].len);
    }
}

/* Encodes recs[0..n) (raw_len bytes of records) as one batch at the end of log->out. */
static int
emit_batch(LogWriter *log, const LogRecord *recs, size_t n, uint64_t raw_len, uint64_t first,
           bool more, Err *err)
{
    Buf *out = &log->out;
    size_t hpos = out->len;
    LogBatchHeader h = {.version = LOG_BATCH_VERSION, .codec = LOG_CODEC_NONE,
                        .flags = more ? LOG_BATCH_FLAG_MORE : 0, .count = (uint32_t)n,
                        .first_offset = first, .raw_len = (uint32_t)raw_len,
                        .stored_len = (uint32_t)raw_len, .min_event_time = recs[0].event_time,
                        .max_event_time = recs[0].event_time};

    for (size_t i = 1; i < n; i++) {
        if (recs[i].event_time < h.min_event_time)
            h.min_event_time = recs[i].event_time;
        if (recs[i].event_time > h.max_event_time)
            h.max_event_time = recs[i].event_time;
    }
    if (!buf_reserve(out, LOG_BATCH_HEADER_SIZE + raw_len))
        goto too_large;
    out->len += LOG_BATCH_HEADER_SIZE;
    if (log->opts.codec == LOG_CODEC_ZSTD) {
        size_t bound = ZSTD_compressBound(raw_len), c;

        buf_reset(&log->raw);
        put_records(&log->raw, recs, n);
        if (log->raw.failed || !buf_reserve(out, bound))
            goto too_large;
        if (log->cctx == NULL && (log->cctx = ZSTD_createCCtx()) == NULL)
            return ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
        c = ZSTD_compressCCtx(log->cctx, out->data + out->len, bound, log->raw.data,
                              log->raw.len, log->opts.zstd_level);
        if (ZSTD_isError(c))
            return ERR_RAISE(err, ERRCODE_INTERNAL_ERROR, "could not compress log batch: %s",
                             ZSTD_getErrorName(c));
        if (c < raw_len) {
            h.codec = LOG_CODEC_ZSTD;
            h.stored_len = (uint32_t)c;
            out->len += c;
        } else /* incompressible: store it as it is */
            buf_append(out, log->raw.data, log->raw.len);
    } else
        put_records(out, recs, n);
    if (out->failed)
        goto too_large;
    h.body_crc = crc32c(out->data + hpos + LOG_BATCH_HEADER_SIZE, h.stored_len);
    log_batch_header_encode(&h, out->data + hpos);
    return 0;
too_large:
    return ERR_RAISE(err, ERRCODE_PROGRAM_LIMIT_EXCEEDED, "log append is too large");
}

static int
encode_batches(LogWriter *log, const LogRecord *recs, size_t n, uint32_t *nbatches, Err *err)
{
    uint64_t off = log->next_offset;
    size_t i = 0;

    buf_reset(&log->out);
    *nbatches = 0;
    while (i < n) {
        size_t j = i;
        uint64_t raw = 0;

        do {
            raw += 4 + (uint64_t)recs[j].len;
            j++;
        } while (j < n && raw + 4 + recs[j].len <= log->opts.max_batch_bytes);
        if (emit_batch(log, recs + i, j - i, raw, off, j < n, err) != 0)
            return -1;
        off += j - i;
        i = j;
        (*nbatches)++;
    }
    return 0;
}

/*
 * Seals the active segment and starts the next one. Under mu, and without
 * releasing it: the append calling us has its batches encoded in log->out with
 * offsets that must still be the next ones. A leader may be fsyncing the old
 * descriptor outside mu; then it closes the descriptor when it is done.
 */
static int
roll(LogWriter *log, Err *err)
{
    int fd;

    fsio_fdatasync_file(log->fd, log->active_path);
    if (log->next_offset > log->durable)
        log->durable = log->next_offset;
    if (create_segment(log, log->next_offset, &fd, err) != 0)
        return -1;
    if (log->is_syncing && log->sync_fd == log->fd)
        log->is_sync_fd_retired = true;
    else
        close(log->fd);
    log->fd = fd;
    log_segment_path(log->dir, log->next_offset, log->active_path, sizeof log->active_path);
    return 0;
}

static int
check_records(const LogRecord *recs, size_t n, Err *err)
{
    if (n == 0 || recs == NULL)
        return ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE,
                         "log append needs at least one record");
    for (size_t i = 0; i < n; i++) {
        if (recs[i].len > LOG_MAX_RECORD_BYTES)
            return ERR_RAISE(err, ERRCODE_PROGRAM_LIMIT_EXCEEDED,
                             "log record of %u bytes is larger than the limit of %u bytes",
                             (unsigned)recs[i].len, (unsigned)LOG_MAX_RECORD_BYTES);
        if (recs[i].data == NULL && recs[i].len > 0)
            return ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE, "log record without data");
    }
    return 0;
}

static int
append_locked(LogWriter *log, const LogRecord *recs, size_t n, LogAppendResult *res, Err *err)
{
    LogSegment *seg;
    uint32_t nb;
    Err werr;

    if (log->is_failed)
        return ERR_RAISE(err, ERRCODE_IO_ERROR,
                         "log \"%s\" is unusable after an earlier write error", log->dir);
    if (log->next_offset > UINT64_MAX - n)
        return ERR_RAISE(err, ERRCODE_PROGRAM_LIMIT_EXCEEDED, "log offsets are exhausted");
    if (encode_batches(log, recs, n, &nb, err) != 0)
        return -1;
    seg = &log->segs[log->nsegs - 1];
    if (seg->size > 0 && seg->size + log->out.len > log->opts.segment_bytes) {
        if (roll(log, err) != 0)
            return -1;
        seg = &log->segs[log->nsegs - 1];
    }
    err_clear(&werr);
    if (fsio_write_all(log->fd, log->out.data, log->out.len, log->active_path, &werr) != 0) {
        Err terr;

        err_clear(&terr);
        if (fsio_truncate(log->fd, seg->size, log->active_path, &terr) != 0) {
            log->is_failed = true;
            LOG_ERROR("log \"%s\": could not cut back a failed append: %s", log->dir,
                      terr.message);
        }
        err_copy(err, &werr);
        return -1;
    }
    for (size_t p = 0; p < log->out.len;) {
        const uint8_t *h = log->out.data + p;

        log_segment_index_add(seg, buf_get_u64(h + 16), seg->size + p,
                              log->opts.index_interval_bytes);
        p += LOG_BATCH_HEADER_SIZE + buf_get_u32(h + 24);
    }
    seg->size += log->out.len;
    seg->end += n;
    res->first_offset = log->next_offset;
    res->last_offset = log->next_offset + n - 1;
    res->batches = nb;
    log->next_offset += n;
    return 0;
}

int
log_append(LogWriter *log, const LogRecord *recs, size_t n, LogAppendResult *res, Err *err)
{
    int rc;

    if (check_records(recs, n, err) != 0)
        return -1;
    pthread_mutex_lock(&log->mu);
    rc = append_locked(log, recs, n, res, err);
    /* One huge append (a big COPY chunk) must not pin its buffers for the log's lifetime. */
    if (log->out.cap > SPARE_BUFFER_MAX) {
        buf_free(&log->out);
        buf_init(&log->out, BUF_DEFAULT_MAX);
    }
    if (log->raw.cap > SPARE_BUFFER_MAX) {
        buf_free(&log->raw);
        buf_init(&log->raw, LOG_MAX_BATCH_BYTES);
    }
    pthread_mutex_unlock(&log->mu);
    return rc;
}

/* ---------- group commit ---------- */

int
log_set_compression(LogWriter *log, LogCodec codec, int zstd_level, Err *err)
{
    LogOptions o;
    int rc;

    pthread_mutex_lock(&log->mu);
    o = log->opts;
    o.codec = codec;
    o.zstd_level = codec == LOG_CODEC_ZSTD ? zstd_level : o.zstd_level;
    if ((rc = check_options(&o, err)) == 0)
        log->opts = o;
    pthread_mutex_unlock(&log->mu);
    return rc;
}

int
log_sync_to(LogWriter *log, uint64_t offset, Err *err)
{
    pthread_mutex_lock(&log->mu);
    if (offset >= log->next_offset) {
        uint64_t next = log->next_offset;

        pthread_mutex_unlock(&log->mu);
        return ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE,
                         "log offset %" PRIu64 " has not been appended (next offset %" PRIu64 ")",
                         offset, next);
    }
    while (log->durable <= offset) {
        if (log->is_syncing) {
            pthread_cond_wait(&log->cv, &log->mu);
            continue;
        }
        /* Leader: one fsync covers everything written so far, for every waiter. */
        uint64_t target = log->next_offset;
        int fd = log->fd;
        char path[PATH_MAX];

        memcpy(path, log->active_path, sizeof path);
        log->is_syncing = true;
        log->sync_fd = fd;
        pthread_mutex_unlock(&log->mu);
        fsio_fdatasync_file(fd, path);
        pthread_mutex_lock(&log->mu);
        if (log->is_sync_fd_retired) {
            close(fd);
            log->is_sync_fd_retired = false;
        }
        log->sync_fd = -1;
        if (target > log->durable)
            log->durable = target;
        log->fsync_rounds++;
        log->is_syncing = false;
        pthread_cond_broadcast(&log->cv);
    }
    pthread_mutex_unlock(&log->mu);
    return 0;
}

int
log_sync(LogWriter *log, Err *err)
{
    uint64_t next;

    pthread_mutex_lock(&log->mu);
    next = log->next_offset;
    pthread_mutex_unlock(&log->mu);
    if (next == 0)
        return 0;
    return log_sync_to(log, next - 1, err);
}

/* ---------- retention ---------- */

int
log_retain_from(LogWriter *log, uint64_t offset, Err *err)
{
    size_t k = 0;
    int rc = 0;

    pthread_mutex_lock(&log->mu);
    while (k + 1 < log->nsegs && log->segs[k].end <= offset) {
        char path[PATH_MAX];

        log_segment_path(log->dir, log->segs[k].base, path, sizeof path);
        if (unlink(path) != 0 && errno != ENOENT) {
            rc = fsio_raise(err, errno, "remove file", path);
            break;
        }
        free(log->segs[k].idx);
        k++;
    }
    if (k > 0) {
        memmove(log->segs, log->segs + k, (log->nsegs - k) * sizeof *log->segs);
        log->nsegs -= k;
    }
    pthread_mutex_unlock(&log->mu);
    if (k > 0 && fsio_fsync_dir(log->dir, rc == 0 ? err : NULL) != 0)
        rc = -1;
    return rc;
}

uint64_t
log_retention_cut(LogWriter *log, uint64_t max_bytes, int64_t max_age_us, int64_t now_us,
                  uint64_t limit)
{
    uint64_t cut, newer = 0;

    if (max_bytes == 0 && max_age_us == 0)
        return 0;
    pthread_mutex_lock(&log->mu);
    cut = log->segs[0].base;
    /* newest first: the last segment always stays; an older one goes when a limit says so */
    for (size_t k = log->nsegs; k-- > 0;) {
        const LogSegment *seg = &log->segs[k];
        bool old = false;

        if (k + 1 < log->nsegs) {
            if (max_bytes > 0 && newer + seg->size > max_bytes)
                old = true;
            if (!old && max_age_us > 0) {
                char path[PATH_MAX];
                struct stat st;

                if (log_segment_path(log->dir, seg->base, path, sizeof path) &&
                    stat(path, &st) == 0 &&
                    (int64_t)st.st_mtim.tv_sec * 1000000 + st.st_mtim.tv_nsec / 1000 <
                        now_us - max_age_us)
                    old = true;
            }
        }
        if (old) {
            /* this one and every older one */
            cut = seg->end;
            break;
        }
        newer += seg->size;
    }
    pthread_mutex_unlock(&log->mu);
    return cut < limit ? cut : limit;
}

/* ---------- lookups ---------- */

int
log_locate(LogWriter *log, uint64_t offset, LogLocation *loc, Err *err)
{
    size_t lo = 0, hi;
    const LogSegment *seg;
    LogIndexEntry e;

    pthread_mutex_lock(&log->mu);
    if (offset < log->segs[0].base) {
        uint64_t start = log->segs[0].base;

        pthread_mutex_unlock(&log->mu);
        return ERR_RAISE(err, ERRCODE_INVALID_PARAMETER_VALUE,
                         "log offset %" PRIu64 " is no longer retained (the log starts at %" PRIu64
                         ")",
                         offset, start);
    }
    hi = log->nsegs;
    while (lo < hi) { /* the last segment whose base <= offset */
        size_t mid = lo + (hi - lo) / 2;

        if (log->segs[mid].base <= offset)
            lo = mid + 1;
        else
            hi = mid;
    }
    seg = &log->segs[lo - 1];
    e = log_segment_index_find(seg, offset);
    loc->seg_base = seg->base;
    loc->seg_end = seg->end;
    loc->pos = e.pos;
    loc->batch_offset = e.offset;
    log_segment_path(log->dir, seg->base, loc->path, sizeof loc->path);
    pthread_mutex_unlock(&log->mu);
    return 0;
}

#define LOCKED_GET(expr)                                                                           \
    do {                                                                                           \
        uint64_t v_;                                                                               \
        pthread_mutex_lock(&log->mu);                                                              \
        v_ = (expr);                                                                               \
        pthread_mutex_unlock(&log->mu);                                                            \
        return v_;                                                                                 \
    } while (0)

uint64_t
log_start_offset(LogWriter *log)
{
    LOCKED_GET(log->segs[0].base);
}

uint64_t
log_next_offset(LogWriter *log)
{
    LOCKED_GET(log->next_offset);
}

uint64_t
log_durable_offset(LogWriter *log)
{
    LOCKED_GET(log->durable);
}

size_t
log_segment_count(LogWriter *log)
{
    LOCKED_GET(log->nsegs);
}

uint64_t
log_size_bytes(LogWriter *log)
{
    uint64_t total = 0;

    pthread_mutex_lock(&log->mu);
    for (size_t i = 0; i < log->nsegs; i++)
        total += log->segs[i].size;
    pthread_mutex_unlock(&log->mu);
    return total;
}

uint64_t
log_fsync_rounds(LogWriter *log)
{
    LOCKED_GET(log->fsync_rounds);
}
