/*
 * wire/wire_int.h — private helpers shared by the wire/ sources.
 *
 * WireReader is the one way a decoder looks at message bytes: a cursor over
 * [p, p + len) whose every read first checks what remains. A failed read
 * raises the error itself ("invalid <Message> message: <problem>", SQLSTATE
 * 08P01, at the reader's level) and returns -1, so a decoder is a straight
 * sequence of `if (wire_read_x(...) < 0) return -1;`.
 *
 * Invariants:
 *   1. r->off <= r->len always; nothing reads at or past p + len.
 *   2. A count read with wire_read_count() is at most what the remaining bytes
 *      can hold at min_each bytes per element, so an array sized by it is
 *      bounded by the message length.
 *   3. Writers never leave a half-written length: they patch it at the end,
 *      and a Buf that failed stays failed (buf_patch_u32 is a no-op then).
 */
#ifndef RIVULET_WIRE_WIRE_INT_H
#define RIVULET_WIRE_WIRE_INT_H

#include "wire/wire.h"

typedef struct WireReader {
    const uint8_t *p;
    size_t len;
    size_t off;
    const char *what; /* message name used in errors, e.g. "Bind" */
    const char *unit; /* "message", or "packet" in the startup phase */
    ErrLevel level;   /* ERR_ERROR for regular messages, ERR_FATAL for startup */
    Err *err;
} WireReader;

void wire_reader_init(WireReader *r, const uint8_t *p, size_t len, const char *what, ErrLevel level,
                      Err *err);
/* Raises 08P01 "invalid <what> <unit>: <fmt...>" at the reader's level; returns -1. */
int wire_reader_fail(WireReader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
size_t wire_reader_left(const WireReader *r);

int wire_read_u8(WireReader *r, uint8_t *v);
int wire_read_i16(WireReader *r, int16_t *v);
int wire_read_i32(WireReader *r, int32_t *v);
int wire_read_u32(WireReader *r, uint32_t *v);
/* An unsigned 16-bit count (as PostgreSQL reads it) of elements of >= min_each bytes. */
int wire_read_count(WireReader *r, size_t min_each, const char *noun, int *n);
/* A NUL-terminated string lying wholly inside the body. */
int wire_read_cstr(WireReader *r, const char **s);
int wire_read_bytes(WireReader *r, size_t n, const uint8_t **p);
/* int32 length (-1 = NULL, else 0..remaining) followed by that many bytes. */
int wire_read_value(WireReader *r, const char *noun, int i, WireParamValue *v);
/* int16 count, then that many int16 format codes (the caller validates them). */
int wire_read_formats(WireReader *r, Arena *a, const char *noun, int *n, int16_t **formats);
/* int16 count, then that many wire_read_value()s. */
int wire_read_values(WireReader *r, Arena *a, const char *noun, int *n, WireParamValue **values);
/* Fails when bytes remain after a complete message. */
int wire_read_end(WireReader *r);

/* Format codes other than 0/1: ERROR 22023 "unsupported format code: %d", as PostgreSQL. */
int wire_check_format(int16_t code, Err *err);

/* Appends an int16 count; n outside [0, WIRE_MAX_FIELDS] marks b failed instead. */
bool wire_write_count(Buf *b, int n);
/* Appends an int32 length and the bytes (len -1 = NULL, nothing follows). */
void wire_write_value(Buf *b, const WireParamValue *v);
/* Marks b failed: the caller asked for a message that cannot be encoded. */
void wire_write_fail(Buf *b);

#endif
