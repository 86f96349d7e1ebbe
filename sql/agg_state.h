/*
 * sql/agg_state.h — aggregate states as bytes: a compact, versioned encoding
 * of every state machine of sql/agg.h, so an operator can keep its groups'
 * states in a state table (stream/statecache.h, storage/state.h) and pick
 * them up again after a restart without rebuilding them from the input.
 *
 * Format (docs/storage-state.md):
 *
 *     u8 version (AGG_STATE_VERSION) | u8 kind | kind's fields
 *
 * kind names the state struct (count, int sum, numeric accumulator, float
 * sum, float4 sum, float accumulator, min/max, bool, string_agg), not the
 * aggregate, so sum(int8), avg(int4) and var_pop(numeric) share one layout.
 * Integers are varints (LEB128; signed ones zigzag first, 128-bit sums
 * included), doubles and floats their IEEE bits big-endian (NaN, -0 and the
 * infinities come back bit for bit), by-reference values a varint length
 * and the VarData's bytes. Numerics keep their in-memory packed form.
 *
 * Ownership: encode appends to the caller's Buf; decode writes the state
 * struct (call->impl->state_size bytes) and allocates what it points at
 * (min/max values, string_agg text, NumericAcc sums) in the arena given,
 * never pointing into the input bytes (they may live in an LMDB map).
 *
 * Invariants:
 *   1. decode(encode(s)) behaves exactly as s under every later add(),
 *      retract() and result() (same results, same errors).
 *   2. An empty (just initialised) state encodes in a few bytes; a count
 *      or small integer sum in under 8.
 *   3. decode validates everything it reads: a short, long or inconsistent
 *      encoding, an unknown version or a kind that is not call's fails with
 *      XX001 "malformed aggregate state" and writes no state.
 */
#ifndef RIVULET_SQL_AGG_STATE_H
#define RIVULET_SQL_AGG_STATE_H

#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/buf.h"
#include "common/err.h"
#include "sql/agg.h"

#define AGG_STATE_VERSION 1

/*
 * Appends the encoding of state (a state of call->impl) to out. 0A000 when
 * the aggregate has no encoding (a new AggImpl this file does not know);
 * 54000 when out's ceiling is reached.
 */
int agg_state_encode(const AggCall *call, const void *state, Buf *out, Err *err);

/*
 * Decodes p[0 .. len) into state (call->impl->state_size bytes), allocating
 * by-reference parts in a. XX001 on a malformed encoding.
 */
int agg_state_decode(const AggCall *call, const uint8_t *p, size_t len, Arena *a, void *state,
                     Err *err);

/*
 * Framed forms, to put several states (and other fields) in one value: a
 * varint length, then the encoding. decode_framed reads one state at *p
 * (not past end) and advances *p past it; XX001 when the frame is malformed.
 */
int agg_state_encode_framed(const AggCall *call, const void *state, Buf *out, Err *err);
int agg_state_decode_framed(const AggCall *call, const uint8_t **p, const uint8_t *end, Arena *a,
                            void *state, Err *err);

/* True when agg_state_encode() knows call's aggregate. */
bool agg_state_supported(const AggCall *call);

#endif
