/*
 * common/fsio.h — file I/O that must not lose data: the only place in Rivulet
 * that calls fsync(2).
 *
 * Writes loop over short writes and EINTR. Errors map errno to a SQLSTATE:
 * ENOSPC and EDQUOT are 53100 disk_full, everything else 58030 io_error; the
 * message names the operation and the file as PostgreSQL words it
 * ('could not write to file "x": No space left on device').
 *
 * A failed fsync is PANIC: fsio logs the failure and aborts the process. It is
 * never retried, because after a failed write-back the kernel may already have
 * dropped (or marked clean) the dirty pages and reports the error only once, so
 * a second fsync could "succeed" with the data lost. Recovery replays from what
 * is known durable after the restart. See docs/storage-log.md.
 *
 * Invariants:
 *   1. fsio_fsync_file / fsio_fdatasync_file / fsio_fsync_dir return only on
 *      success.
 *   2. fsio_write_all either wrote all n bytes or raised an error (some bytes
 *      may have reached the file; the caller cuts them back if it must).
 */
#ifndef RIVULET_COMMON_FSIO_H
#define RIVULET_COMMON_FSIO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "common/err.h"

/* Raises the error for a failed system call: op is e.g. "write to file". */
int fsio_raise(Err *err, int errnum, const char *op, const char *path);

/* Writes all n bytes at the file position; what is the file's name for errors. */
int fsio_write_all(int fd, const void *data, size_t n, const char *what, Err *err);

/* Reads up to n bytes at off; returns the count (< n only at end of file) or -1. */
ssize_t fsio_pread_all(int fd, void *data, size_t n, uint64_t off, const char *what, Err *err);

/* Cuts the file to len bytes (not durable until fsio_fsync_file). */
int fsio_truncate(int fd, uint64_t len, const char *what, Err *err);

/* fsync(2) the file; on failure logs PANIC and aborts (see above). */
void fsio_fsync_file(int fd, const char *what);

/* fdatasync(2) the file: its data and the metadata needed to read it back (the
 * size), not timestamps. What an append-only log needs, and on ext4 about half
 * the latency of fsync. On failure logs PANIC and aborts, as above. */
void fsio_fdatasync_file(int fd, const char *what);

/* fsync(2) a directory so entries created or removed in it are durable. Opening
 * the directory may fail (an error); a failed fsync is PANIC. */
int fsio_fsync_dir(const char *path, Err *err);

/* Counters (process-wide, relaxed): fsyncs and fdatasyncs issued, for benchmarks and tests. */
uint64_t fsio_fsync_count(void);

#endif
