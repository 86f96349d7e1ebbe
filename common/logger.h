/*
 * common/logger.h — the server log: one line per event on stderr,
 *   2026-11-23 19:20:01.123 UTC [pid] LEVEL:  message
 *
 * Thread-safe (one locked write per line). The level is process-wide and set
 * once at start-up from --log-level.
 */
#ifndef RIVULET_COMMON_LOGGER_H
#define RIVULET_COMMON_LOGGER_H

typedef enum LogLevel {
    LOG_LEVEL_DEBUG = 0,
    LOG_LEVEL_INFO,
    LOG_LEVEL_WARNING,
    LOG_LEVEL_ERROR,
    LOG_LEVEL_FATAL,
} LogLevel;

void logger_set_level(LogLevel level);
LogLevel logger_level(void);
/* Parses "debug", "info", "warning", "error", "fatal"; -1 if unknown. */
int logger_parse_level(const char *name, LogLevel *out);
void logger_write(LogLevel level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define LOG_DEBUG(...) logger_write(LOG_LEVEL_DEBUG, __VA_ARGS__)
#define LOG_INFO(...) logger_write(LOG_LEVEL_INFO, __VA_ARGS__)
#define LOG_WARNING(...) logger_write(LOG_LEVEL_WARNING, __VA_ARGS__)
#define LOG_ERROR(...) logger_write(LOG_LEVEL_ERROR, __VA_ARGS__)
#define LOG_FATAL(...) logger_write(LOG_LEVEL_FATAL, __VA_ARGS__)

#endif
