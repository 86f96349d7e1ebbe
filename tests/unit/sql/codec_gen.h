/*
 * tests/unit/sql/codec_gen.h — random and edge SQL values of every key type,
 * and SQL comparison through the catalog's operators, for the codec
 * property tests (test_keycodec.c, test_rowcodec.c).
 */
#ifndef RIVULET_TESTS_CODEC_GEN_H
#define RIVULET_TESTS_CODEC_GEN_H

#include "common/arena.h"
#include "common/clock.h"
#include "sql/datum.h"
#include "sql/types.h"

/* Every type the codecs handle. */
extern const Oid codec_types[];
extern const int codec_ntypes;

/* A random non-NULL value of type t in a; one in four is an edge value (NaN, ±Infinity, -0,
 * empty strings, extremes, huge numerics, equal spans spelled differently ...). */
Datum codec_gen(Rng *r, Oid t, Arena *a);

/* The arena comparison functions may allocate in (the test's). */
void codec_gen_set_arena(Arena *a);

/* <0, 0, >0 as SQL compares two non-NULL values of type t (the catalog's < and = operators). */
int codec_sql_cmp(Oid t, Datum x, Datum y);

/* True when the two values are identical (same bytes, same float bits; all NaNs alike). */
bool codec_identical(Oid t, Datum x, Datum y);

/* The text form of a value (for failure messages). */
const char *codec_show(Oid t, Datum d, Arena *a);

#endif
