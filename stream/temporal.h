/*
 * stream/temporal.h — the time temporal filters see (stream/op_temporal.c).
 *
 * One time per epoch, the same for every view: the epoch driver
 * (stream/engine_pk.c) sets it at the start of each epoch, as a timestamptz
 * (µs since 2000-01-01 UTC); a barrier reads it once.
 *
 * Invariants:
 *   1. Once set, it never goes backwards (a clock stepping back is ignored),
 *      so a temporal filter's rows change visibility at most once.
 */
#ifndef RIVULET_STREAM_TEMPORAL_H
#define RIVULET_STREAM_TEMPORAL_H

#include <stdint.h>

/* Sets the time of the epoch now starting (ignored when earlier than the last one set). */
void stream_temporal_set_now(int64_t now_us);
/* Sets it from the wall clock (the epoch driver). */
void stream_temporal_tick(void);
/* The last time set, or the wall clock when none was. */
int64_t stream_temporal_now(void);

#endif
