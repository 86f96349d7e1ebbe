/*
 * common/err.h — the one error type of Rivulet, carrying a PostgreSQL SQLSTATE.
 *
 * A function that can fail returns int (0 ok, -1 failed) and takes `Err *err`
 * as its last argument. On failure it fills `err` once and returns -1; callers
 * pass the failure up unchanged. The Err is what the wire layer turns into an
 * ErrorResponse, so its fields follow PostgreSQL's error message style guide:
 * message short, lower case, no final period; detail and hint full sentences.
 *
 * Invariants:
 *   1. Raising an error never allocates: all text lives in fixed buffers and is
 *      truncated (never overflowed) when too long.
 *   2. The first raise wins. A second raise on an Err that already holds an
 *      error is ignored, so a cleanup path cannot overwrite the cause.
 *   3. position is a 1-based character (not byte) offset into the statement
 *      text as the client sent it, or 0 when there is none, exactly as
 *      PostgreSQL's 'P' field.
 */
#ifndef RIVULET_COMMON_ERR_H
#define RIVULET_COMMON_ERR_H

#include <stdbool.h>

#include "common/errcodes.h"

typedef enum ErrLevel {
    ERR_NONE = 0,
    ERR_NOTICE,  /* not an error: collected and sent as NoticeResponse */
    ERR_WARNING, /* not an error: sent as NoticeResponse with WARNING */
    ERR_ERROR,   /* ends the statement; the session goes on */
    ERR_FATAL,   /* ends the session */
    ERR_PANIC,   /* ends the process (e.g. a failed fsync) */
} ErrLevel;

#define ERR_MESSAGE_MAX 512
#define ERR_DETAIL_MAX 512
#define ERR_HINT_MAX 512
#define ERR_CONTEXT_MAX 256

typedef struct Err {
    ErrLevel level;
    char sqlstate[6];
    char message[ERR_MESSAGE_MAX];
    char detail[ERR_DETAIL_MAX];
    char hint[ERR_HINT_MAX];
    char context[ERR_CONTEXT_MAX];
    int position; /* 1-based character offset into the statement, 0 = none */
} Err;

/* Resets err to "no error". */
void err_clear(Err *err);

/* True when err holds an error (level ERROR or worse). */
bool err_is_set(const Err *err);

/*
 * Fills err (if it holds no error yet) and returns -1, so a caller can write
 * `return err_raise(...)`. err may be NULL: then nothing is recorded.
 */
int err_raise(Err *err, ErrLevel level, const char *sqlstate, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Adds detail/hint/context to the error err holds; no-op if it holds none. */
void err_detail(Err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void err_hint(Err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void err_context(Err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Sets the cursor position (1-based character offset) if none is set yet. */
void err_position(Err *err, int position);

/* Copies src into dst (whole struct). */
void err_copy(Err *dst, const Err *src);

/* The name PostgreSQL uses for a level: "ERROR", "FATAL", "NOTICE", ... */
const char *err_level_name(ErrLevel level);

#define ERR_RAISE(err, code, ...) err_raise((err), ERR_ERROR, (code), __VA_ARGS__)
#define ERR_RAISE_FATAL(err, code, ...) err_raise((err), ERR_FATAL, (code), __VA_ARGS__)

#endif
