/*
 * sql/agg_int.h — the aggregate implementations of sql/agg.c, for the
 * catalog part that names them (sql/cat_agg.c) and the state encoding
 * (sql/agg_state.c). Private to sql/.
 *
 * Invariants:
 *   1. Each AggImpl is constant; one implementation may serve several
 *      catalog entries (sum(int2) and sum(int4) share agg_sum_int).
 */
#ifndef RIVULET_SQL_AGG_INT_H
#define RIVULET_SQL_AGG_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sql/agg.h"

/*
 * The state structs behind each AggImpl (state_size bytes), here so the
 * state encoding (sql/agg_state.c) sees the same layout as the transitions.
 * NumericAcc (sql/numeric.h) is the state of the numeric accumulators.
 */
typedef struct CountState {
    int64_t n;
} CountState;

typedef struct IntSumState {
    __int128 sum;
    int64_t n;
} IntSumState;

typedef struct FloatSumState {
    double sum;
    bool any;
} FloatSumState;

typedef struct Float4SumState {
    float sum;
    bool any;
} Float4SumState;

typedef struct FloatAccState {
    double n, sx, sxx;
} FloatAccState;

typedef struct MinMaxState {
    Value v;
    bool any;
} MinMaxState;

typedef struct BoolState {
    int64_t ntrue, nfalse;
} BoolState;

typedef struct StringAggState {
    char *data;
    size_t len, cap;
    bool any;
} StringAggState;

extern const AggImpl agg_count_star, agg_count, agg_sum_int, agg_sum_int8, agg_sum_num,
    agg_sum_float8, agg_avg_int, agg_avg_num, agg_avg_float8, agg_var_samp_int, agg_var_pop_int,
    agg_stddev_samp_int, agg_stddev_pop_int, agg_var_samp_num, agg_var_pop_num, agg_stddev_samp_num,
    agg_stddev_pop_num, agg_var_samp_float8, agg_var_pop_float8, agg_stddev_samp_float8,
    agg_stddev_pop_float8, agg_min, agg_max, agg_bool_and, agg_bool_or, agg_string_agg,
    agg_sum_float4, agg_avg_float4, agg_var_samp_float4, agg_var_pop_float4, agg_stddev_samp_float4,
    agg_stddev_pop_float4;

#endif
