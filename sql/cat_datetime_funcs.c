/*
 * sql/cat_datetime_funcs.c — the date/time functions' part of the built-in
 * catalog (see sql/catalog.h): extract/date_part, date_trunc, date_bin,
 * now() and friends, make_*, age, justify_*, isfinite, timezone() (AT TIME
 * ZONE), OVERLAPS, to_char, to_number, to_timestamp, to_date. The types,
 * operators and casts are sql/cat_datetime.c's.
 *
 * Every row mirrors a pg_proc row of PostgreSQL 15 (argument and result
 * types, strictness, volatility), so overload resolution picks the same
 * function: e.g. date_trunc('month', date '2020-03-05') resolves to the
 * timestamptz overload (the preferred type of the datetime category), as
 * in PostgreSQL.
 *
 * Invariants:
 *   1. Tables are const and never modified.
 *   2. make_interval is listed once per arity 0..7: PostgreSQL's single
 *      function with seven defaulted arguments, called positionally.
 */
#include "sql/catalog.h"
#include "sql/func_datetime.h"

#define I4 TYPE_INT4
#define I8 TYPE_INT8
#define F8 TYPE_FLOAT8
#define BO TYPE_BOOL
#define TX TYPE_TEXT
#define NU TYPE_NUMERIC
#define DA TYPE_DATE
#define TI TYPE_TIME
#define TS TYPE_TIMESTAMP
#define TZ TYPE_TIMESTAMPTZ
#define IV TYPE_INTERVAL
#define S FN_STRICT
#define ST (FN_STRICT | FN_STABLE)
#define SV (FN_STRICT | FN_VOLATILE)

static const FuncDef FUNCS[] = {
    /* the clock */
    {"now", 0, {0}, TZ, ST, fn_now},
    {"transaction_timestamp", 0, {0}, TZ, ST, fn_now},
    {"statement_timestamp", 0, {0}, TZ, ST, fn_statement_timestamp},
    {"clock_timestamp", 0, {0}, TZ, SV, fn_clock_timestamp},
    {"timeofday", 0, {0}, TX, SV, fn_timeofday},
    /* extract(field FROM x) */
    {"extract", 2, {TX, DA}, NU, S, fn_extract_date},
    {"extract", 2, {TX, TI}, NU, S, fn_extract_time},
    {"extract", 2, {TX, TS}, NU, S, fn_extract_timestamp},
    {"extract", 2, {TX, TZ}, NU, ST, fn_extract_timestamptz},
    {"extract", 2, {TX, IV}, NU, S, fn_extract_interval},
    {"date_part", 2, {TX, DA}, F8, S, fn_date_part_date},
    {"date_part", 2, {TX, TI}, F8, S, fn_date_part_time},
    {"date_part", 2, {TX, TS}, F8, S, fn_date_part_timestamp},
    {"date_part", 2, {TX, TZ}, F8, ST, fn_date_part_timestamptz},
    {"date_part", 2, {TX, IV}, F8, S, fn_date_part_interval},
    {"date_trunc", 2, {TX, TS}, TS, S, fn_date_trunc_timestamp},
    {"date_trunc", 2, {TX, TZ}, TZ, ST, fn_date_trunc_timestamptz},
    {"date_trunc", 3, {TX, TZ, TX}, TZ, ST, fn_date_trunc_timestamptz_zone},
    {"date_trunc", 2, {TX, IV}, IV, S, fn_date_trunc_interval},
    {"date_bin", 3, {IV, TS, TS}, TS, S, fn_date_bin_timestamp},
    {"date_bin", 3, {IV, TZ, TZ}, TZ, S, fn_date_bin_timestamptz},
    /* constructors */
    {"make_date", 3, {I4, I4, I4}, DA, S, fn_make_date},
    {"make_time", 3, {I4, I4, F8}, TI, S, fn_make_time},
    {"make_timestamp", 6, {I4, I4, I4, I4, I4, F8}, TS, S, fn_make_timestamp},
    {"make_timestamptz", 6, {I4, I4, I4, I4, I4, F8}, TZ, ST, fn_make_timestamptz},
    {"make_timestamptz", 7, {I4, I4, I4, I4, I4, F8, TX}, TZ, ST, fn_make_timestamptz},
    {"make_interval", 0, {0}, IV, S, fn_make_interval},
    {"make_interval", 1, {I4}, IV, S, fn_make_interval},
    {"make_interval", 2, {I4, I4}, IV, S, fn_make_interval},
    {"make_interval", 3, {I4, I4, I4}, IV, S, fn_make_interval},
    {"make_interval", 4, {I4, I4, I4, I4}, IV, S, fn_make_interval},
    {"make_interval", 5, {I4, I4, I4, I4, I4}, IV, S, fn_make_interval},
    {"make_interval", 6, {I4, I4, I4, I4, I4, I4}, IV, S, fn_make_interval},
    {"make_interval", 7, {I4, I4, I4, I4, I4, I4, F8}, IV, S, fn_make_interval},
    {"to_timestamp", 1, {F8}, TZ, S, fn_to_timestamp_float8},
    /* intervals */
    {"age", 1, {TS}, IV, ST, fn_age_timestamp1},
    {"age", 1, {TZ}, IV, ST, fn_age_timestamptz1},
    {"age", 2, {TS, TS}, IV, S, fn_age_timestamp},
    {"age", 2, {TZ, TZ}, IV, S, fn_age_timestamptz},
    {"justify_days", 1, {IV}, IV, S, fn_justify_days},
    {"justify_hours", 1, {IV}, IV, S, fn_justify_hours},
    {"justify_interval", 1, {IV}, IV, S, fn_justify_interval},
    {"isfinite", 1, {DA}, BO, S, fn_isfinite_date},
    {"isfinite", 1, {TS}, BO, S, fn_isfinite_timestamp},
    {"isfinite", 1, {TZ}, BO, S, fn_isfinite_timestamp},
    {"isfinite", 1, {IV}, BO, S, fn_isfinite_interval},
    /* AT TIME ZONE */
    {"timezone", 2, {TX, TS}, TZ, S, fn_timezone_timestamp},
    {"timezone", 2, {TX, TZ}, TS, S, fn_timezone_timestamptz},
    {"timezone", 2, {IV, TS}, TZ, S, fn_timezone_itimestamp},
    {"timezone", 2, {IV, TZ}, TS, S, fn_timezone_itimestamptz},
    /* (s1, e1) OVERLAPS (s2, e2): not strict */
    {"overlaps", 4, {TS, TS, TS, TS}, BO, 0, fn_overlaps},
    {"overlaps", 4, {TS, IV, TS, IV}, BO, 0, fn_overlaps},
    {"overlaps", 4, {TS, IV, TS, TS}, BO, 0, fn_overlaps},
    {"overlaps", 4, {TS, TS, TS, IV}, BO, 0, fn_overlaps},
    {"overlaps", 4, {TZ, TZ, TZ, TZ}, BO, 0, fn_overlaps},
    {"overlaps", 4, {TZ, IV, TZ, IV}, BO, FN_STABLE, fn_overlaps},
    {"overlaps", 4, {TZ, IV, TZ, TZ}, BO, FN_STABLE, fn_overlaps},
    {"overlaps", 4, {TZ, TZ, TZ, IV}, BO, FN_STABLE, fn_overlaps},
    {"overlaps", 4, {TI, TI, TI, TI}, BO, 0, fn_overlaps},
    {"overlaps", 4, {TI, IV, TI, IV}, BO, 0, fn_overlaps},
    {"overlaps", 4, {TI, IV, TI, TI}, BO, 0, fn_overlaps},
    {"overlaps", 4, {TI, TI, TI, IV}, BO, 0, fn_overlaps},
    /* formatting */
    {"to_char", 2, {TS, TX}, TX, ST, fn_to_char_timestamp},
    {"to_char", 2, {TZ, TX}, TX, ST, fn_to_char_timestamptz},
    {"to_char", 2, {IV, TX}, TX, ST, fn_to_char_interval},
    {"to_char", 2, {I4, TX}, TX, ST, fn_to_char_int4},
    {"to_char", 2, {I8, TX}, TX, ST, fn_to_char_int8},
    {"to_char", 2, {TYPE_FLOAT4, TX}, TX, ST, fn_to_char_float4},
    {"to_char", 2, {F8, TX}, TX, ST, fn_to_char_float8},
    {"to_char", 2, {NU, TX}, TX, ST, fn_to_char_numeric},
    {"to_number", 2, {TX, TX}, NU, ST, fn_to_number},
    {"to_timestamp", 2, {TX, TX}, TZ, ST, fn_to_timestamp_text},
    {"to_date", 2, {TX, TX}, DA, ST, fn_to_date_text},
};

const CatalogPart catalog_part_datetime_funcs = {
    FUNCS, CATALOG_COUNT(FUNCS), NULL, 0, NULL, 0, NULL, 0,
};
