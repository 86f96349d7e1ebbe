/*
 * storage/log_batch.c — the on-disk batch format of the log, segment file
 * names and the sparse index of a segment. No I/O here.
 *
 * Header (64 bytes, big-endian; see docs/storage-log.md):
 *   magic u32 | version u16 | codec u16 | flags u32 | count u32 | first offset u64 |
 *   stored len u32 | raw len u32 | min event time i64 | max event time i64 |
 *   body crc u32 | reserved u32 | reserved u32 | header crc u32 (of bytes 0..59)
 *
 * Invariants:
 *   1. A header that decodes as LOG_HEADER_OK has count >= 1, lengths within
 *      LOG_MAX_BATCH_BYTES, first_offset + count without overflow, a known
 *      codec, no unknown flags, and stored == raw when uncompressed; so callers
 *      can size buffers from it without further checks.
 *   2. Magic and header CRC failures are reported as TORN (a crash can leave
 *      them); every other failure as INVALID.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/crc32c.h"
#include "storage/log_int.h"

static void
put_u16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void
put_u32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static void
put_u64(uint8_t *p, uint64_t v)
{
    put_u32(p, (uint32_t)(v >> 32));
    put_u32(p + 4, (uint32_t)v);
}

void
log_batch_header_encode(const LogBatchHeader *h, uint8_t out[LOG_BATCH_HEADER_SIZE])
{
    put_u32(out, LOG_BATCH_MAGIC);
    put_u16(out + 4, h->version);
    put_u16(out + 6, h->codec);
    put_u32(out + 8, h->flags);
    put_u32(out + 12, h->count);
    put_u64(out + 16, h->first_offset);
    put_u32(out + 24, h->stored_len);
    put_u32(out + 28, h->raw_len);
    put_u64(out + 32, (uint64_t)h->min_event_time);
    put_u64(out + 40, (uint64_t)h->max_event_time);
    put_u32(out + 48, h->body_crc);
    put_u32(out + 52, 0);
    put_u32(out + 56, 0);
    put_u32(out + 60, crc32c(out, 60));
}

LogHeaderCheck
log_batch_header_decode(const uint8_t in[LOG_BATCH_HEADER_SIZE], LogBatchHeader *h,
                        const char **why)
{
    if (buf_get_u32(in) != LOG_BATCH_MAGIC) {
        *why = "The batch magic number is wrong.";
        return LOG_HEADER_TORN;
    }
    if (buf_get_u32(in + 60) != crc32c(in, 60)) {
        *why = "The batch header checksum does not match.";
        return LOG_HEADER_TORN;
    }
    h->version = buf_get_u16(in + 4);
    h->codec = buf_get_u16(in + 6);
    h->flags = buf_get_u32(in + 8);
    h->count = buf_get_u32(in + 12);
    h->first_offset = buf_get_u64(in + 16);
    h->stored_len = buf_get_u32(in + 24);
    h->raw_len = buf_get_u32(in + 28);
    h->min_event_time = (int64_t)buf_get_u64(in + 32);
    h->max_event_time = (int64_t)buf_get_u64(in + 40);
    h->body_crc = buf_get_u32(in + 48);

    *why = NULL;
    if (h->version != LOG_BATCH_VERSION)
        *why = "The batch format version is unknown.";
    else if (h->codec != LOG_CODEC_NONE && h->codec != LOG_CODEC_ZSTD)
        *why = "The batch codec is unknown.";
    else if ((h->flags & ~LOG_BATCH_FLAG_MORE) != 0)
        *why = "The batch has unknown flags.";
    else if (buf_get_u32(in + 52) != 0 || buf_get_u32(in + 56) != 0)
        *why = "The reserved batch header fields are not zero.";
    else if (h->count == 0)
        *why = "The batch holds no records.";
    else if (h->raw_len > LOG_MAX_BATCH_BYTES || h->stored_len > LOG_MAX_BATCH_BYTES)
        *why = "The batch length is larger than the limit.";
    else if (h->codec == LOG_CODEC_NONE && h->stored_len != h->raw_len)
        *why = "The stored and raw lengths of an uncompressed batch differ.";
    else if ((uint64_t)h->count * 4 > h->raw_len)
        *why = "The record count does not fit the batch length.";
    else if (h->first_offset > UINT64_MAX - h->count)
        *why = "The batch's offsets overflow.";
    else if (h->min_event_time > h->max_event_time)
        *why = "The batch's minimum event time is after its maximum.";
    return *why ? LOG_HEADER_INVALID : LOG_HEADER_OK;
}

const char *
log_batch_check_records(const uint8_t *raw, uint32_t raw_len, uint32_t count)
{
    uint64_t pos = 0;

    for (uint32_t i = 0; i < count; i++) {
        uint32_t len;

        if (raw_len - pos < 4)
            return "A record length prefix runs past the end of the batch.";
        len = buf_get_u32(raw + pos);
        pos += 4;
        if (len > raw_len - pos)
            return "A record runs past the end of the batch.";
        pos += len;
    }
    if (pos != raw_len)
        return "The batch has bytes after its last record.";
    return NULL;
}

bool
log_segment_path(const char *dir, uint64_t base, char *out, size_t cap)
{
    int n = snprintf(out, cap, "%s/%020" PRIu64 ".seg", dir, base);

    return n > 0 && (size_t)n < cap;
}

bool
log_segment_parse_name(const char *name, uint64_t *base)
{
    uint64_t v = 0;

    if (strlen(name) != LOG_SEGMENT_NAME_LEN || strcmp(name + 20, ".seg") != 0)
        return false;
    for (int i = 0; i < 20; i++) {
        unsigned d;

        if (name[i] < '0' || name[i] > '9')
            return false;
        d = (unsigned)(name[i] - '0');
        if (v > (UINT64_MAX - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *base = v;
    return true;
}

void
log_segment_index_add(LogSegment *seg, uint64_t offset, uint64_t pos, uint32_t interval)
{
    if (seg->nidx > 0 && pos - seg->idx[seg->nidx - 1].pos < interval)
        return;
    if (seg->nidx == seg->idx_cap) {
        size_t cap = seg->idx_cap ? seg->idx_cap * 2 : 64;
        LogIndexEntry *n = realloc(seg->idx, cap * sizeof *n);

        if (n == NULL)
            return; /* the index is only a hint: a missing entry means a longer walk */
        seg->idx = n;
        seg->idx_cap = cap;
    }
    seg->idx[seg->nidx].offset = offset;
    seg->idx[seg->nidx].pos = pos;
    seg->nidx++;
}

LogIndexEntry
log_segment_index_find(const LogSegment *seg, uint64_t offset)
{
    LogIndexEntry e = {seg->base, 0};
    size_t lo = 0, hi = seg->nidx;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (seg->idx[mid].offset <= offset)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo > 0)
        e = seg->idx[lo - 1];
    return e;
}
