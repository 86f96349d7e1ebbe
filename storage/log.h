/*
 * storage/log.h — the durable internal log: one per table or source.
 *
 * A log is a directory of append-only segment files holding CRC32C-checked,
 * optionally zstd-compressed batches of opaque records (the layer above encodes
 * rows). Every record gets a dense 64-bit offset (0, 1, 2, ...). The format,
 * recovery rules and the reasoning behind them are in docs/storage-log.md.
 *
 * Usage:
 *     LogWriter *log;
 *     if (log_open("data/log/42", NULL, &log, err) != 0) ...
 *     LogRecord rec = {.data = bytes, .len = n, .event_time = ts};
 *     LogAppendResult res;
 *     if (log_append(log, &rec, 1, &res, err) != 0) ...
 *     if (log_sync_to(log, res.last_offset, err) != 0) ...   // now durable: acknowledge
 *     ...
 *     LogReader *r;
 *     log_reader_open(log, 0, LOG_OFFSET_END, &r, err);
 *     LogRecordView v;
 *     while ((rc = log_reader_next(r, &v, err)) == 1) use(v.offset, v.data, v.len);
 *     log_reader_close(r);
 *     log_close(log);
 *
 * Ownership: log_open returns a LogWriter the caller closes with log_close,
 * after closing every reader opened on it. A LogRecordView points into the
 * reader's buffers and stays valid until the next log_reader_next/close.
 *
 * Threads: any number of threads may call log_append and log_sync_to on one
 * LogWriter (they serialize on its mutex; fsync runs outside it, and concurrent
 * log_sync_to callers share one fsync: group commit). Readers may run in other
 * threads concurrently with the writer, each reader used by one thread at a
 * time. Only one process may open a log (the data directory lock sees to that).
 *
 * Caveats for operators:
 *   - Readers see only durable records: a reader's end is clamped to the
 *     durable end when it is opened.
 *   - At open, a torn or corrupt tail of the last segment is cut off with a
 *     WARNING naming how many bytes were dropped. Damage anywhere else is an
 *     error (XX001): the log refuses to open rather than lose acknowledged data.
 *   - A failed fsync aborts the process (PANIC); restart recovers.
 *
 * Invariants:
 *   1. Offsets are dense and increasing, across segments and restarts.
 *   2. Nothing is visible to readers before it is durable.
 *   3. An append is all-or-nothing across a crash: recovery never keeps part
 *      of one (its batches carry a MORE flag until the last).
 *   4. Once a write fails and cannot be cut back, the writer stays failed.
 */
#ifndef RIVULET_STORAGE_LOG_H
#define RIVULET_STORAGE_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

#define LOG_OFFSET_END UINT64_MAX

/* Hard limits, whatever the options: one batch body and one record. */
#define LOG_MAX_BATCH_BYTES ((uint32_t)256 << 20)
#define LOG_MAX_RECORD_BYTES (LOG_MAX_BATCH_BYTES - 4)

typedef enum LogCodec {
    LOG_CODEC_NONE = 0,
    LOG_CODEC_ZSTD = 1,
} LogCodec;

typedef struct LogOptions {
    uint64_t segment_bytes;       /* roll after this many bytes; default 64 MiB */
    uint32_t max_batch_bytes;     /* raw bytes per batch; default 1 MiB */
    uint32_t index_interval_bytes; /* one sparse index entry per this much file; 16 KiB */
    LogCodec codec;               /* default LOG_CODEC_ZSTD */
    int zstd_level;               /* default 1; 1..19, or LOG_ZSTD_FASTEST..-1 (zstd's "fast"
                                     levels: faster, compressing less) */
} LogOptions;

/* The fastest zstd level a log accepts (zstd's own minimum is far lower, and pointless). */
#define LOG_ZSTD_FASTEST (-7)

/* Fills o with the defaults above. A NULL LogOptions means the defaults. */
void log_options_default(LogOptions *o);

typedef struct LogRecord {
    const void *data;
    uint32_t len;
    int64_t event_time; /* folded into the batch's min/max event time */
} LogRecord;

typedef struct LogAppendResult {
    uint64_t first_offset; /* offset of the first record appended */
    uint64_t last_offset;  /* offset of the last record appended */
    uint32_t batches;      /* how many batches the append became */
} LogAppendResult;

typedef struct LogRecordView {
    uint64_t offset;
    const uint8_t *data;
    uint32_t len;
    int64_t batch_min_event_time; /* of the batch holding the record */
    int64_t batch_max_event_time;
} LogRecordView;

typedef struct LogWriter LogWriter;
typedef struct LogReader LogReader;

/*
 * Opens (creating if missing; the parent must exist) the log in dir and runs
 * recovery. opts may be NULL. Errors: 58030 / 53100 / XX001 / 22023.
 */
int log_open(const char *dir, const LogOptions *opts, LogWriter **out, Err *err);

/* Closes the log (without an fsync: durability is log_sync_to's job). */
void log_close(LogWriter *log);

/*
 * Changes the codec (and zstd level) of the batches appended from now on; batches record
 * their codec, so the log reads the same. 22023 for a level outside LogOptions' range.
 */
int log_set_compression(LogWriter *log, LogCodec codec, int zstd_level, Err *err);

/*
 * Appends n >= 1 records (becoming one or more batches) and reports their
 * offsets. The records are written to the file but not durable: call
 * log_sync_to before acknowledging them. On error nothing was appended.
 */
int log_append(LogWriter *log, const LogRecord *records, size_t n, LogAppendResult *res,
               Err *err);

/*
 * Blocks until every record with offset <= offset is on disk. offset must have
 * been appended (< log_next_offset). Concurrent callers share fsyncs.
 */
int log_sync_to(LogWriter *log, uint64_t offset, Err *err);

/* Makes everything appended so far durable. */
int log_sync(LogWriter *log, Err *err);

/* Deletes whole segments all of whose records are < offset (never the last one). */
int log_retain_from(LogWriter *log, uint64_t offset, Err *err);

/*
 * A retention policy's cut: the offset below which whole segments may go because they are
 * beyond the newest max_bytes of the log (0: no size limit) or were last written more than
 * max_age_us before now_us (0: no age limit), never above limit (what every reader of the log
 * has consumed) and never into the last segment. log_retain_from(log, cut) applies it.
 */
uint64_t log_retention_cut(LogWriter *log, uint64_t max_bytes, int64_t max_age_us, int64_t now_us,
                           uint64_t limit);

uint64_t log_start_offset(LogWriter *log);   /* first retained offset */
uint64_t log_next_offset(LogWriter *log);    /* the offset the next record gets */
uint64_t log_durable_offset(LogWriter *log); /* records < this are durable */
size_t log_segment_count(LogWriter *log);
uint64_t log_size_bytes(LogWriter *log);     /* bytes in all segment files */
uint64_t log_fsync_rounds(LogWriter *log);   /* fsyncs issued by log_sync_to */

/*
 * Opens a reader over offsets [from, to), to clamped to the durable end
 * (LOG_OFFSET_END: up to it). from below the start offset is an error (22023).
 */
int log_reader_open(LogWriter *log, uint64_t from, uint64_t to, LogReader **out, Err *err);

/* Returns 1 with the next record in *view, 0 at the end of the range, -1 on error. */
int log_reader_next(LogReader *r, LogRecordView *view, Err *err);

void log_reader_close(LogReader *r);

#endif
