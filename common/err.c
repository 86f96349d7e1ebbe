/*
 * common/err.c — filling an Err. See err.h for the rules.
 *
 * Invariants:
 *   1. Nothing here allocates; vsnprintf into the fixed buffers truncates.
 *   2. The first error raised on an Err is kept (later raises are ignored).
 */
#include "common/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void
err_clear(Err *err)
{
    if (err == NULL)
        return;
    err->level = ERR_NONE;
    err->sqlstate[0] = '\0';
    err->message[0] = '\0';
    err->detail[0] = '\0';
    err->hint[0] = '\0';
    err->context[0] = '\0';
    err->position = 0;
}

bool
err_is_set(const Err *err)
{
    return err != NULL && err->level >= ERR_ERROR;
}

int
err_raise(Err *err, ErrLevel level, const char *sqlstate, const char *fmt, ...)
{
    va_list ap;

    if (err == NULL || err_is_set(err))
        return -1;
    err_clear(err);
    err->level = level;
    snprintf(err->sqlstate, sizeof err->sqlstate, "%s", sqlstate);
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return -1;
}

static void fill(char *dst, size_t cap, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

static void
fill(char *dst, size_t cap, const char *fmt, va_list ap)
{
    vsnprintf(dst, cap, fmt, ap);
}

void
err_detail(Err *err, const char *fmt, ...)
{
    va_list ap;

    if (err == NULL || err->level == ERR_NONE)
        return;
    va_start(ap, fmt);
    fill(err->detail, sizeof err->detail, fmt, ap);
    va_end(ap);
}

void
err_hint(Err *err, const char *fmt, ...)
{
    va_list ap;

    if (err == NULL || err->level == ERR_NONE)
        return;
    va_start(ap, fmt);
    fill(err->hint, sizeof err->hint, fmt, ap);
    va_end(ap);
}

void
err_context(Err *err, const char *fmt, ...)
{
    va_list ap;

    if (err == NULL || err->level == ERR_NONE)
        return;
    va_start(ap, fmt);
    fill(err->context, sizeof err->context, fmt, ap);
    va_end(ap);
}

void
err_position(Err *err, int position)
{
    if (err == NULL || err->level == ERR_NONE || err->position != 0)
        return;
    err->position = position;
}

void
err_copy(Err *dst, const Err *src)
{
    if (dst != NULL && src != NULL && dst != src)
        memcpy(dst, src, sizeof *dst);
}

const char *
err_level_name(ErrLevel level)
{
    switch (level) {
    case ERR_NOTICE:
        return "NOTICE";
    case ERR_WARNING:
        return "WARNING";
    case ERR_ERROR:
        return "ERROR";
    case ERR_FATAL:
        return "FATAL";
    case ERR_PANIC:
        return "PANIC";
    case ERR_NONE:
        break;
    }
    return "LOG";
}
