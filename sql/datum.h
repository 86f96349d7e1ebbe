/*
 * sql/datum.h — how one SQL value is held in memory while it is computed.
 *
 * A Datum is one 64-bit word. Fixed-width types of at most 8 bytes (bool,
 * int2, int4, int8, float8, and later date, time, timestamp) live inside the
 * word itself ("by value"), so a batch of such values is a plain array of
 * Datums and computing one allocates nothing. Wider or variable-length types
 * (text, name, and later numeric, interval, bytea) are held "by reference":
 * the word is a pointer to a VarData (length + bytes) that lives in an arena
 * whose lifetime covers the value (the batch, the portal or the statement).
 * NULL is never encoded in the Datum: every Datum travels with a bool isnull
 * (a Value, or parallel arrays in a batch).
 *
 * Which representation a Datum uses is a property of its type, recorded in
 * the type registry (sql/types.h: TypeInfo.byval); code that does not know a
 * value's type must not interpret the word.
 *
 * Invariants:
 *   1. Signed integers are stored sign-extended to 64 bits, so equal values
 *      of one type have equal words.
 *   2. A VarData's bytes are followed by a NUL that len does not count, so
 *      text can be handed to C string functions; the bytes themselves may not
 *      contain NUL for text-like types (the input functions reject it).
 *   3. Nothing here allocates except vardata_make()/datum_copy(), which use
 *      the arena they are given.
 */
#ifndef RIVULET_SQL_DATUM_H
#define RIVULET_SQL_DATUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "common/arena.h"

typedef uint64_t Datum;

/* A value together with its null flag. */
typedef struct Value {
    Datum d;
    bool isnull;
} Value;

/* The body of a by-reference value: len bytes, then a NUL not counted in len. */
typedef struct VarData {
    uint32_t len;
    char data[];
} VarData;

static inline Datum
datum_from_bool(bool v)
{
    return v ? 1 : 0;
}

static inline bool
datum_get_bool(Datum d)
{
    return d != 0;
}

static inline Datum
datum_from_int16(int16_t v)
{
    return (Datum)(int64_t)v;
}

static inline int16_t
datum_get_int16(Datum d)
{
    return (int16_t)(int64_t)d;
}

static inline Datum
datum_from_int32(int32_t v)
{
    return (Datum)(int64_t)v;
}

static inline int32_t
datum_get_int32(Datum d)
{
    return (int32_t)(int64_t)d;
}

static inline Datum
datum_from_int64(int64_t v)
{
    return (Datum)v;
}

static inline int64_t
datum_get_int64(Datum d)
{
    return (int64_t)d;
}

static inline Datum
datum_from_float8(double v)
{
    Datum d;

    memcpy(&d, &v, sizeof d);
    return d;
}

static inline double
datum_get_float8(Datum d)
{
    double v;

    memcpy(&v, &d, sizeof v);
    return v;
}

static inline Datum
datum_from_var(const VarData *v)
{
    return (Datum)(uintptr_t)v;
}

static inline const VarData *
datum_get_var(Datum d)
{
    return (const VarData *)(uintptr_t)d;
}

/* Copies len bytes into a new VarData in a (adding the uncounted NUL). */
VarData *vardata_make(Arena *a, const char *p, size_t len);
/* vardata_make() as a Datum. */
Datum datum_from_text(Arena *a, const char *p, size_t len);
Datum datum_from_cstr(Arena *a, const char *s);

/* Copies a value of a by-reference type into a; by-value Datums come back as they are. */
Datum datum_copy(Arena *a, Datum d, bool byval);

#endif
