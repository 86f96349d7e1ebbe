/*
 * storage/log_int.h — private to storage/log*.c: the batch format, the segment
 * table with its sparse index, and the LogWriter itself.
 *
 * Invariants:
 *   1. segs[] is sorted by base; segs[i + 1].base == segs[i].end; the last
 *      element is the active segment (the one fd writes to).
 *   2. Every index entry names the first offset of a batch and its file
 *      position; entries are increasing in both.
 *   3. durable <= next_offset; every record < durable is on disk.
 *   4. segs[], idx[] and the counters are read and changed only under mu.
 */
#ifndef RIVULET_STORAGE_LOG_INT_H
#define RIVULET_STORAGE_LOG_INT_H

#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/err.h"
#include "storage/log.h"

#define LOG_BATCH_MAGIC 0x52564C42u /* "RVLB" */
#define LOG_BATCH_VERSION 1
#define LOG_BATCH_HEADER_SIZE 64
#define LOG_BATCH_FLAG_MORE 1u /* another batch of the same append follows */

#define LOG_SEGMENT_NAME_LEN 24 /* 20 digits + ".seg" */

typedef struct LogBatchHeader {
    uint16_t version;
    uint16_t codec;
    uint32_t flags;
    uint32_t count;
    uint64_t first_offset;
    uint32_t stored_len;
    uint32_t raw_len;
    int64_t min_event_time;
    int64_t max_event_time;
    uint32_t body_crc;
} LogBatchHeader;

typedef enum LogHeaderCheck {
    LOG_HEADER_OK = 0,
    LOG_HEADER_TORN,    /* bad magic or header CRC: what a torn write leaves */
    LOG_HEADER_INVALID, /* CRC right, content impossible: corruption or forgery */
} LogHeaderCheck;

/* log_batch.c */
void log_batch_header_encode(const LogBatchHeader *h, uint8_t out[LOG_BATCH_HEADER_SIZE]);
/* Decodes and checks a header; on a problem *why says what (a full sentence). */
LogHeaderCheck log_batch_header_decode(const uint8_t in[LOG_BATCH_HEADER_SIZE],
                                       LogBatchHeader *h, const char **why);
/* Checks that raw holds exactly count length-prefixed records; NULL or why. */
const char *log_batch_check_records(const uint8_t *raw, uint32_t raw_len, uint32_t count);
/* "dir/00000000000000000042.seg" into out; false if it does not fit. */
bool log_segment_path(const char *dir, uint64_t base, char *out, size_t cap);
/* Parses a segment file name; false if name is not one. */
bool log_segment_parse_name(const char *name, uint64_t *base);

typedef struct LogIndexEntry {
    uint64_t offset;
    uint64_t pos;
} LogIndexEntry;

typedef struct LogSegment {
    uint64_t base; /* first offset: the file's name */
    uint64_t end;  /* one past the last offset in it */
    uint64_t size; /* bytes of whole batches */
    LogIndexEntry *idx;
    size_t nidx;
    size_t idx_cap;
} LogSegment;

/* Adds an index entry for the batch at pos if the interval has passed. */
void log_segment_index_add(LogSegment *seg, uint64_t offset, uint64_t pos, uint32_t interval);
/* The last index entry at or before offset (the segment's start if none). */
LogIndexEntry log_segment_index_find(const LogSegment *seg, uint64_t offset);

/* Where a reader finds an offset: its segment and the indexed batch at or before it. */
typedef struct LogLocation {
    uint64_t seg_base;
    uint64_t seg_end; /* as of the lookup (the active segment grows) */
    uint64_t pos;     /* file position of a batch starting at batch_offset */
    uint64_t batch_offset;
    char path[PATH_MAX];
} LogLocation;

/* log.c: locates offset (takes mu); 22023 if it is below the start offset. */
int log_locate(LogWriter *log, uint64_t offset, LogLocation *loc, Err *err);

struct LogWriter {
    char dir[PATH_MAX];
    LogOptions opts;
    pthread_mutex_t mu;
    pthread_cond_t cv; /* signalled when an fsync round ends */
    LogSegment *segs;
    size_t nsegs;
    size_t segs_cap;
    int fd; /* the active segment, O_APPEND */
    char active_path[PATH_MAX];
    uint64_t next_offset;
    uint64_t durable;
    bool is_syncing; /* a leader is in fsync (outside mu) */
    int sync_fd;     /* the descriptor the leader fsyncs, -1 when none */
    bool is_sync_fd_retired; /* a roll replaced it: the leader closes it when done */
    bool is_failed;  /* sticky: a write could not be cut back */
    uint64_t fsync_rounds;
    Buf raw; /* one batch's records before compression */
    Buf out; /* the encoded batches of one append */
    void *cctx; /* ZSTD_CCtx, created on first use */
};

#endif
