/*
 * sql/cat_agg.c — the agg part of the built-in catalog (see sql/catalog.h):
 * the aggregate functions, as pg_proc rows (name, argument types, result
 * type) beside the state machine implementing each (sql/agg.c).
 *
 * An aggregate entry's `fn` only raises an error: aggregates are never
 * called as plain functions. The binder (sql/bind_query.c) recognises an
 * aggregate with agg_impl() and binds it into the query's Agg plan node.
 *
 * Invariants:
 *   1. Tables are const and never modified.
 *   2. FUNCS and IMPLS are parallel arrays: IMPLS[i] implements FUNCS[i].
 *   3. Argument and result types are PostgreSQL 15's (sum(int4) → bigint,
 *      avg(int4) → numeric, ...), for the types Rivulet implements.
 */
#include <string.h>

#include "common/errcodes.h"
#include "sql/agg_int.h"
#include "sql/builtins.h"
#include "sql/catalog.h"

static int
agg_not_callable(const FnCall *call, Datum *result, bool *isnull, Err *err)
{
    (void)call, (void)result, (void)isnull;
    return ERR_RAISE(err, ERRCODE_INTERNAL_ERROR, "aggregate function called as a function");
}

#define I2 TYPE_INT2
#define I4 TYPE_INT4
#define I8 TYPE_INT8
#define F8 TYPE_FLOAT8
#define NU TYPE_NUMERIC
#define TX TYPE_TEXT
#define BO TYPE_BOOL
#define AGG1(name, arg, ret)                                                                       \
    {                                                                                              \
        name, 1, {arg}, ret, 0, agg_not_callable                                                   \
    }
#define F4 TYPE_FLOAT4
/* variance/stddev families: (int2, int4, int8, numeric) → numeric; float8, float4 → float8 */
#define STATS(name)                                                                                \
    AGG1(name, I2, NU), AGG1(name, I4, NU), AGG1(name, I8, NU), AGG1(name, NU, NU),                \
        AGG1(name, F8, F8), AGG1(name, F4, F8)
#define STATS_IMPLS(kind)                                                                          \
    &agg_##kind##_int, &agg_##kind##_int, &agg_##kind##_int, &agg_##kind##_num,                    \
        &agg_##kind##_float8, &agg_##kind##_float4

static const FuncDef FUNCS[] = {
    {"count", 0, {0}, I8, 0, agg_not_callable},
    AGG1("count", TYPE_ANY, I8),
    AGG1("sum", I2, I8),
    AGG1("sum", I4, I8),
    AGG1("sum", I8, NU),
    AGG1("sum", NU, NU),
    AGG1("sum", F8, F8),
    AGG1("sum", F4, F4),
    AGG1("avg", I2, NU),
    AGG1("avg", I4, NU),
    AGG1("avg", I8, NU),
    AGG1("avg", NU, NU),
    AGG1("avg", F8, F8),
    AGG1("avg", F4, F8),
    STATS("variance"),
    STATS("var_samp"),
    STATS("var_pop"),
    STATS("stddev"),
    STATS("stddev_samp"),
    STATS("stddev_pop"),
    AGG1("min", I2, I2),
    AGG1("min", I4, I4),
    AGG1("min", I8, I8),
    AGG1("min", F8, F8),
    AGG1("min", NU, NU),
    AGG1("min", TX, TX),
    AGG1("min", TYPE_FLOAT4, TYPE_FLOAT4),
    AGG1("min", TYPE_DATE, TYPE_DATE),
    AGG1("min", TYPE_TIME, TYPE_TIME),
    AGG1("min", TYPE_TIMESTAMP, TYPE_TIMESTAMP),
    AGG1("min", TYPE_TIMESTAMPTZ, TYPE_TIMESTAMPTZ),
    AGG1("min", TYPE_INTERVAL, TYPE_INTERVAL),
    AGG1("max", I2, I2),
    AGG1("max", I4, I4),
    AGG1("max", I8, I8),
    AGG1("max", F8, F8),
    AGG1("max", NU, NU),
    AGG1("max", TX, TX),
    AGG1("max", TYPE_FLOAT4, TYPE_FLOAT4),
    AGG1("max", TYPE_DATE, TYPE_DATE),
    AGG1("max", TYPE_TIME, TYPE_TIME),
    AGG1("max", TYPE_TIMESTAMP, TYPE_TIMESTAMP),
    AGG1("max", TYPE_TIMESTAMPTZ, TYPE_TIMESTAMPTZ),
    AGG1("max", TYPE_INTERVAL, TYPE_INTERVAL),
    AGG1("bool_and", BO, BO),
    AGG1("bool_or", BO, BO),
    AGG1("every", BO, BO),
    {"string_agg", 2, {TX, TX}, TX, 0, agg_not_callable},
};

static const AggImpl *const IMPLS[] = {
    &agg_count_star,
    &agg_count,
    &agg_sum_int,
    &agg_sum_int,
    &agg_sum_int8,
    &agg_sum_num,
    &agg_sum_float8,
    &agg_sum_float4,
    &agg_avg_int,
    &agg_avg_int,
    &agg_avg_int,
    &agg_avg_num,
    &agg_avg_float8,
    &agg_avg_float4,
    STATS_IMPLS(var_samp),
    STATS_IMPLS(var_samp),
    STATS_IMPLS(var_pop),
    STATS_IMPLS(stddev_samp),
    STATS_IMPLS(stddev_samp),
    STATS_IMPLS(stddev_pop),
    &agg_min,
    &agg_min,
    &agg_min,
    &agg_min,
    &agg_min,
    &agg_min,
    &agg_min,
    &agg_min,
    &agg_min,
    &agg_min,
    &agg_min,
    &agg_min,
    &agg_max,
    &agg_max,
    &agg_max,
    &agg_max,
    &agg_max,
    &agg_max,
    &agg_max,
    &agg_max,
    &agg_max,
    &agg_max,
    &agg_max,
    &agg_max,
    &agg_bool_and,
    &agg_bool_or,
    &agg_bool_and,
    &agg_string_agg,
};

_Static_assert(sizeof FUNCS / sizeof FUNCS[0] == sizeof IMPLS / sizeof IMPLS[0],
               "FUNCS and IMPLS must be parallel");

const CatalogPart catalog_part_agg = {FUNCS, CATALOG_COUNT(FUNCS), NULL, 0, NULL, 0, NULL, 0};

const AggImpl *
agg_impl(const FuncDef *f)
{
    if (f < FUNCS || f >= FUNCS + CATALOG_COUNT(FUNCS))
        return NULL;
    return IMPLS[f - FUNCS];
}

bool
agg_name_exists(const char *name)
{
    for (int i = 0; i < CATALOG_COUNT(FUNCS); i++) {
        if (strcmp(FUNCS[i].name, name) == 0)
            return true;
    }
    return false;
}
