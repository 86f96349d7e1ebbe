/*
 * sql/rowcodec.h — the row (value) format: one tuple of SQL values as bytes,
 * compact and readable in place, for operator state and view contents kept
 * by the storage layer (storage/state) and for rows in the input log.
 *
 * Layout (host byte order; docs/codecs.md has the details):
 *
 *     u16 ncols | u8 version (1) | u8 flags | null bitmap (ncols bits)
 *     | padding to 4 | offset[ncols] | values
 *
 * offset[i] is where column i's value starts, from the start of the row (0
 * for NULL): u16 when the row is under 64 kB, else u32 (flags bit 0). A by-value type stores its 1, 2, 4 or 8 bytes unaligned; a
 * by-reference type stores a VarData exactly as in memory ({u32 len; bytes;
 * NUL}) at an offset that is a multiple of 4, so when the row itself starts
 * at a 4-byte-aligned address rowcodec_get() returns a Datum pointing into
 * the row (no copy). Otherwise (LMDB only promises 2-byte alignment of
 * values) the VarData is copied into the arena given.
 *
 * Types are not stored: the reader passes the same column types the writer
 * did (the operator's schema).
 *
 * Invariants:
 *   1. rowcodec_check() accepts exactly the rows rowcodec_encode() can
 *      produce for those types; rowcodec_get() and rowcodec_isnull() assume
 *      a checked row (or one this process encoded) and never validate.
 *   2. A Datum returned pointing into the row lives as long as the row's
 *      bytes (an LMDB read transaction, a log batch buffer).
 *   3. Encoding allocates only in the Buf.
 */
#ifndef RIVULET_SQL_ROWCODEC_H
#define RIVULET_SQL_ROWCODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/buf.h"
#include "common/err.h"
#include "sql/datum.h"
#include "sql/types.h"

#define ROWCODEC_VERSION 1
#define ROWCODEC_MAX_COLS 1600 /* PostgreSQL's MaxTupleAttributeNumber */

/*
 * Appends the row vals[0 .. ncols) of the given types to out. 54000 when the
 * row would not fit out's ceiling or has too many columns.
 */
int rowcodec_encode(const Oid *types, int ncols, const Value *vals, Buf *out, Err *err);

/* Validates a row read from storage against the types (XX001 "malformed row"). */
int rowcodec_check(const uint8_t *row, size_t len, const Oid *types, int ncols, Err *err);

/* The column count in a row's header. */
int rowcodec_ncols(const uint8_t *row);

bool rowcodec_isnull(const uint8_t *row, int col);

/*
 * Column col of a checked row: by-value types come back in the Datum; a
 * by-reference value points into the row when it is aligned there, else is
 * copied into a.
 */
Value rowcodec_get(const uint8_t *row, const Oid *types, int col, Arena *a);

/* rowcodec_check() then rowcodec_get() of every column into out[0 .. ncols). */
int rowcodec_decode(const uint8_t *row, size_t len, const Oid *types, int ncols, Arena *a,
                    Value *out, Err *err);

#endif
