/*
 * common/fsio.c — write-all, read-all, truncate and the only fsync calls.
 *
 * Invariants:
 *   1. fsync failure → PANIC (log, abort), never a retry and never an Err:
 *      no caller can do anything safe with it.
 *   2. EINTR is retried for read/write; short writes continue where they stopped.
 */
#include "common/fsio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/logger.h"

static atomic_uint_fast64_t fsyncs;

int
fsio_raise(Err *err, int errnum, const char *op, const char *path)
{
    const char *code = ERRCODE_IO_ERROR;

    if (errnum == ENOSPC || errnum == EDQUOT)
        code = ERRCODE_DISK_FULL;
    return ERR_RAISE(err, code, "could not %s \"%s\": %s", op, path, strerror(errnum));
}

int
fsio_write_all(int fd, const void *data, size_t n, const char *what, Err *err)
{
    const uint8_t *p = data;

    while (n > 0) {
        ssize_t w = write(fd, p, n);

        if (w < 0) {
            if (errno == EINTR)
                continue;
            return fsio_raise(err, errno, "write to file", what);
        }
        if (w == 0) /* write(2) returning 0 for n > 0 means no room */
            return fsio_raise(err, ENOSPC, "write to file", what);
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

ssize_t
fsio_pread_all(int fd, void *data, size_t n, uint64_t off, const char *what, Err *err)
{
    uint8_t *p = data;
    size_t done = 0;

    while (done < n) {
        ssize_t r = pread(fd, p + done, n - done, (off_t)(off + done));

        if (r < 0) {
            if (errno == EINTR)
                continue;
            return fsio_raise(err, errno, "read file", what);
        }
        if (r == 0)
            break;
        done += (size_t)r;
    }
    return (ssize_t)done;
}

int
fsio_truncate(int fd, uint64_t len, const char *what, Err *err)
{
    while (ftruncate(fd, (off_t)len) != 0) {
        if (errno != EINTR)
            return fsio_raise(err, errno, "truncate file", what);
    }
    return 0;
}

static void
panic_fsync(const char *op, const char *what, int errnum)
{
    LOG_FATAL("PANIC: could not %s file \"%s\": %s", op, what, strerror(errnum));
    abort();
}

void
fsio_fsync_file(int fd, const char *what)
{
    atomic_fetch_add_explicit(&fsyncs, 1, memory_order_relaxed);
    /* EINTR is not retried either: Linux's fsync does not return it, and if some
     * kernel did, a retry would be the same hazard as any other. */
    if (fsync(fd) != 0)
        panic_fsync("fsync", what, errno);
}

void
fsio_fdatasync_file(int fd, const char *what)
{
    atomic_fetch_add_explicit(&fsyncs, 1, memory_order_relaxed);
    if (fdatasync(fd) != 0)
        panic_fsync("fdatasync", what, errno);
}

int
fsio_fsync_dir(const char *path, Err *err)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

    if (fd < 0)
        return fsio_raise(err, errno, "open directory", path);
    fsio_fsync_file(fd, path);
    close(fd);
    return 0;
}

uint64_t
fsio_fsync_count(void)
{
    return atomic_load_explicit(&fsyncs, memory_order_relaxed);
}
