/*
 * sql/keycodec.h — memcomparable keys: a tuple of typed SQL values encoded
 * so that memcmp() of two encodings orders them as ORDER BY would.
 *
 * The storage layer (storage/state, LMDB) knows bytes, not SQL: operator
 * state (group keys, join keys, index-like orderings of materialised views)
 * is keyed by these encodings, and range scans use their prefixes. See
 * docs/codecs.md for the byte formats.
 *
 * A key has two parts:
 *
 *     [order part: one encoding per column][trailer (only when spec->exact)]
 *
 * The order part is canonical: SQL-equal values (1.0 and 1.00, 'a' and
 * 'a  ' in char(n), '1 day' and '24 hours', -0 and 0) encode to the same
 * bytes, so a group key or join key may use it directly. The trailer holds
 * what the order part drops (numeric display scale, bpchar trailing blanks,
 * the raw interval fields, the sign of a float zero), so a decoded key
 * round-trips exactly; keys that differ only in the trailer sort in an
 * unspecified but fixed order after their equal order parts.
 *
 * Invariants:
 *   1. For two tuples a, b of one KeySpec, sign(memcmp(order(a), order(b)))
 *      == sign of the ORDER BY comparison (per-column ASC/DESC and NULLS
 *      FIRST/LAST, C collation for text, NaN greatest and -0 = 0 for floats,
 *      -Infinity < numbers < Infinity < NaN for numeric, interval by its
 *      30-day-month span); the same holds for whole keys when the order
 *      parts differ.
 *   2. Each column's encoding is prefix-free, so encoding the first n
 *      columns gives a byte prefix of every key whose first n values are
 *      those (range scans: [prefix, successor(prefix))).
 *   3. Encoding allocates only in the Buf; decoding allocates by-reference
 *      values in the arena given, nothing for by-value types.
 */
#ifndef RIVULET_SQL_KEYCODEC_H
#define RIVULET_SQL_KEYCODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/buf.h"
#include "common/err.h"
#include "sql/datum.h"
#include "sql/types.h"

typedef struct KeyColumn {
    Oid type;
    bool desc;        /* DESC: the column's order-part bytes are inverted */
    bool nulls_first; /* PostgreSQL's default: nulls_first == desc */
} KeyColumn;

typedef struct KeySpec {
    const KeyColumn *cols;
    int ncols;
    bool exact; /* append the trailer, so decoding gives back the exact values */
} KeySpec;

/* True when keys can hold values of this type. */
bool keycodec_type_supported(Oid type);

/*
 * Appends the key of vals[0 .. spec->ncols) to out. *order_len (may be NULL)
 * receives the length of the order part. 0A000 for a type keys cannot hold;
 * 54000 when out's ceiling is reached.
 */
int keycodec_encode(const KeySpec *spec, const Value *vals, Buf *out, size_t *order_len, Err *err);

/*
 * Appends the order part of the first n columns only (no trailer): the
 * prefix shared by every key starting with these values.
 */
int keycodec_encode_prefix(const KeySpec *spec, int n, const Value *vals, Buf *out, Err *err);

/*
 * Turns a prefix into the smallest byte string greater than every string
 * that starts with it (the exclusive upper bound of a prefix scan). Returns
 * false when there is none (the prefix is empty or all 0xFF): scan to the end.
 */
bool keycodec_prefix_successor(Buf *prefix);

/*
 * Decodes a whole key (order part, and the trailer when spec->exact) into
 * vals; by-reference values are allocated in a. Without the trailer, values
 * come back canonical: numeric with the smallest display scale that shows
 * it, bpchar without trailing blanks, interval as months, days and time
 * split from its span, float zero as +0. XX001 on malformed bytes.
 */
int keycodec_decode(const KeySpec *spec, const uint8_t *p, size_t len, Arena *a, Value *vals,
                    Err *err);

#endif
