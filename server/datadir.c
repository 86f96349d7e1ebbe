/*
 * server/datadir.c — the data directory and its lock file.
 *
 * The data directory (./rivulet-data by default) is created with its parents
 * if it does not exist. It holds the lock file `rivulet.pid`, and what
 * stream/engine.c opens after the lock is taken: catalog.db and log/<id>/
 * (stream/engine.h). The lock file says which process owns
 * the directory, like PostgreSQL's postmaster.pid:
 *
 *     line 1  the server's PID
 *     line 2  the data directory as given
 *     line 3  the port it listens on (once known)
 *
 * Invariants:
 *   1. Ownership is an exclusive flock() on the lock file, held for the life
 *      of the process: a second server fails at start-up with a message
 *      naming the PID of the first. A lock file left by a crashed server
 *      carries no flock, so it is taken over without manual clean-up (a
 *      reused PID cannot fool this, unlike a kill(pid, 0) test).
 *   2. The lock is on the file that is at the path: after locking, the
 *      descriptor and the path must name the same inode, otherwise a server
 *      that was just removing its file is racing us and we retry.
 *   3. datadir_release() is async-signal-safe (unlink and close only), so the
 *      immediate-exit path of a second signal can call it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "server/server_int.h"

#define LOCK_FILE_NAME "rivulet.pid"

/* mkdir -p: creates each missing component of path with mode 0700. */
static int
make_dirs(const char *path)
{
    char tmp[CONFIG_STR_MAX];
    size_t n = strlen(path);
    struct stat st;

    if (n == 0 || n >= sizeof tmp) {
        LOG_FATAL("invalid data directory path \"%s\"", path);
        return -1;
    }
    memcpy(tmp, path, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (tmp[i] != '/' && tmp[i] != '\0')
            continue;
        tmp[i] = '\0';
        if (mkdir(tmp, 0700) < 0 && errno != EEXIST) {
            LOG_FATAL("could not create directory \"%s\": %s", tmp, strerror(errno));
            return -1;
        }
        tmp[i] = path[i];
    }
    if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode)) {
        LOG_FATAL("data directory \"%s\" is not a directory", path);
        return -1;
    }
    return 0;
}

static void
write_lock_contents(DataDirLock *lock, const char *dir, int port)
{
    char text[CONFIG_STR_MAX + 64];
    int n = snprintf(text, sizeof text, "%ld\n%s\n%d\n", (long)getpid(), dir, port);

    if (n < 0 || (size_t)n >= sizeof text)
        return;
    if (ftruncate(lock->fd, 0) < 0 || pwrite(lock->fd, text, (size_t)n, 0) != n)
        LOG_WARNING("could not write lock file \"%s\": %s", lock->path, strerror(errno));
}

/* The PID recorded in a lock file someone else holds, or 0 if unreadable. */
static long
holder_pid(int fd)
{
    char text[32];
    ssize_t n = pread(fd, text, sizeof text - 1, 0);
    long pid = 0;

    if (n <= 0)
        return 0;
    text[n] = '\0';
    for (ssize_t i = 0; i < n && text[i] >= '0' && text[i] <= '9' && pid < 100000000; i++)
        pid = pid * 10 + (text[i] - '0');
    return pid;
}

/* 1 when fd is the file at path now, 0 when the path moved on, -1 on error. */
static int
same_file(int fd, const char *path)
{
    struct stat a, b;

    if (fstat(fd, &a) < 0)
        return -1;
    if (stat(path, &b) < 0)
        return errno == ENOENT ? 0 : -1;
    return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/* One attempt: 1 locked, 0 retry, -1 failed (reported). */
static int
try_lock(DataDirLock *lock, const char *dir)
{
    int fd = open(lock->path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    int same;

    if (fd < 0) {
        LOG_FATAL("could not open lock file \"%s\": %s", lock->path, strerror(errno));
        return -1;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
        int e = errno;
        long pid = holder_pid(fd);

        close(fd);
        if (e == EWOULDBLOCK)
            LOG_FATAL("data directory \"%s\" is in use by another server (PID %ld): lock file "
                      "\"%s\" is held",
                      dir, pid, lock->path);
        else
            LOG_FATAL("could not lock \"%s\": %s", lock->path, strerror(e));
        return -1;
    }
    same = same_file(fd, lock->path);
    if (same <= 0) {
        close(fd);
        if (same < 0)
            LOG_FATAL("could not check lock file \"%s\": %s", lock->path, strerror(errno));
        return same;
    }
    lock->fd = fd;
    return 1;
}

int
datadir_open(const char *dir, DataDirLock *lock)
{
    int n;

    lock->fd = -1;
    if (make_dirs(dir) < 0)
        return -1;
    n = snprintf(lock->path, sizeof lock->path, "%s/%s", dir, LOCK_FILE_NAME);
    if (n < 0 || (size_t)n >= sizeof lock->path) {
        LOG_FATAL("data directory path \"%s\" is too long", dir);
        return -1;
    }
    for (int attempt = 0; attempt < 5; attempt++) {
        int r = try_lock(lock, dir);

        if (r < 0)
            return -1;
        if (r > 0) {
            write_lock_contents(lock, dir, 0);
            return 0;
        }
    }
    LOG_FATAL("could not lock \"%s\": it keeps being replaced", lock->path);
    return -1;
}

void
datadir_note_port(DataDirLock *lock, int port)
{
    char dir[CONFIG_STR_MAX];
    size_t n = strlen(lock->path) - strlen("/" LOCK_FILE_NAME);

    if (lock->fd < 0 || n >= sizeof dir)
        return;
    memcpy(dir, lock->path, n);
    dir[n] = '\0';
    write_lock_contents(lock, dir, port);
}

void
datadir_release(DataDirLock *lock)
{
    if (lock->fd < 0)
        return;
    /* Unlink while still holding the flock, so nobody locks a file we then delete. */
    unlink(lock->path);
    close(lock->fd);
    lock->fd = -1;
}
