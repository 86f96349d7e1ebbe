/*
 * common/logger.c — timestamped log lines on stderr. See logger.h.
 *
 * Invariants:
 *   1. A line is formatted into a stack buffer and written with one write(2),
 *      so lines from different threads never interleave.
 */
#include "common/logger.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static volatile LogLevel current_level = LOG_LEVEL_INFO;

static const char *const level_names[] = {"DEBUG", "INFO", "WARNING", "ERROR", "FATAL"};

void
logger_set_level(LogLevel level)
{
    current_level = level;
}

LogLevel
logger_level(void)
{
    return current_level;
}

int
logger_parse_level(const char *name, LogLevel *out)
{
    static const char *const lower[] = {"debug", "info", "warning", "error", "fatal"};

    for (int i = 0; i < 5; i++) {
        if (strcmp(name, lower[i]) == 0) {
            *out = (LogLevel)i;
            return 0;
        }
    }
    return -1;
}

void
logger_write(LogLevel level, const char *fmt, ...)
{
    char line[2048];
    struct timeval tv;
    struct tm tm;
    size_t n;
    va_list ap;
    int m;

    if (level < current_level)
        return;
    gettimeofday(&tv, NULL);
    gmtime_r(&tv.tv_sec, &tm);
    n = strftime(line, sizeof line, "%Y-%m-%d %H:%M:%S", &tm);
    m = snprintf(line + n, sizeof line - n, ".%03d UTC [%d] %s:  ", (int)(tv.tv_usec / 1000),
                 (int)getpid(), level_names[level]);
    if (m > 0)
        n += (size_t)m;
    va_start(ap, fmt);
    m = vsnprintf(line + n, sizeof line - n, fmt, ap);
    va_end(ap);
    if (m > 0)
        n = n + (size_t)m < sizeof line - 1 ? n + (size_t)m : sizeof line - 2;
    line[n++] = '\n';
    /* A failed log write has nowhere to be reported. */
    if (write(STDERR_FILENO, line, n) < 0)
        return;
}
