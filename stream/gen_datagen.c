/*
 * stream/gen_datagen.c — the datagen generator (connector = 'datagen', RisingWave's
 * options): each column is a `sequence` (start, end: start + i for row i) or `random`
 * (min / max, length, seed, max_past / max_past_mode / basetime for timestamps) field.
 *
 * Row i: a sequence column is start + i; a random column draws from a xoshiro256** generator
 * seeded with (the field's seed, i) — or (column number, i) when no seed is given, so two
 * unseeded columns differ — so row i never depends on earlier rows (invariant 1 of
 * stream/generator.h). The source ends after the shortest sequence (default end 32767, as
 * RisingWave) or after datagen.rows.total rows (a Rivulet option), whichever comes first;
 * without either it is unbounded. datagen.rows.per.second (default 10, as RisingWave) paces
 * it on the wall clock; 0 (a Rivulet extension) generates as fast as the log takes rows.
 *
 * Timestamps: base − U[0, max_past] with max_past default 1 day; the base is basetime if
 * given, else in the default absolute mode the source's creation time (kept in the catalog,
 * so a restart regenerates the same rows), in relative mode the wall clock at generation
 * (not reproducible, as in RisingWave). A date column is such a timestamp's day.
 *
 * Invariants:
 *   1. datagen_row(c, i) depends on c and i only (except relative-mode timestamps).
 *   2. Values respect the column's typmod (varchar(n) length, numeric(p, s) scale).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/clock.h"
#include "sql/connector.h"
#include "sql/datetime.h"
#include "sql/datum.h"
#include "sql/func_float.h"
#include "sql/numeric.h"
#include "stream/generator.h"

typedef struct DatagenField {
    Oid type;
    int32_t typmod;
    bool sequence;
    bool has_seed;
    uint64_t seed;
    /* integers: lo/hi; floats and numeric (random): dlo/dhi */
    int64_t lo, hi;
    double dlo, dhi;
    Datum nstart; /* numeric sequence start */
    uint64_t length;
    int64_t max_past_us;
    bool relative;
    bool has_base;
    int64_t base_us; /* since 2000-01-01 */
} DatagenField;

struct DatagenConfig {
    Arena *arena;
    int ncols;
    DatagenField *f;
    uint64_t total;
    uint64_t rate;
};

static const char alnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

static int
parse_typed(const char *v, Oid type, int32_t typmod, Arena *a, Datum *out, Err *err)
{
    const TypeInfo *ti = type_by_oid(type);

    if (v == NULL)
        v = "";
    if (ti == NULL || ti->in == NULL)
        return ERR_RAISE(err, ERRCODE_FEATURE_NOT_SUPPORTED, "datagen cannot parse type %s",
                         type_sql_name(type));
    return ti->in(v, strlen(v), typmod, &type_io_default, a, out, err);
}

static bool
is_int(Oid t)
{
    return t == TYPE_INT2 || t == TYPE_INT4 || t == TYPE_INT8;
}

static bool
is_float(Oid t)
{
    return t == TYPE_FLOAT4 || t == TYPE_FLOAT8;
}

/* A bound (start / end / min / max) as an integer, a double, or a numeric Datum. */
static int
parse_bound(DatagenConfig *c, DatagenField *f, const char *v, int64_t *iv, double *dv,
            Datum *nv, Err *err)
{
    Datum d;

    if (parse_typed(v, f->type, f->typmod, c->arena, &d, err) < 0)
        return -1;
    if (is_int(f->type)) {
        *iv = f->type == TYPE_INT2   ? datum_get_int16(d)
              : f->type == TYPE_INT4 ? datum_get_int32(d)
                                     : datum_get_int64(d);
        *dv = (double)*iv;
    } else if (is_float(f->type)) {
        *dv = f->type == TYPE_FLOAT4 ? (double)datum_get_float4(d) : datum_get_float8(d);
        *iv = (int64_t)*dv;
    } else if (f->type == TYPE_NUMERIC) {
        *dv = numeric_to_double_noerr(d);
        *iv = (int64_t)*dv;
        if (nv != NULL)
            *nv = d;
    }
    return 0;
}

static int
field_option(DatagenConfig *c, DatagenField *f, const char *opt, const char *v, Err *err)
{
    Datum d;
    Datum *nv = NULL;

    if (strcmp(opt, "kind") == 0) {
        f->sequence = v != NULL && strcmp(v, "sequence") == 0;
        return 0;
    }
    if (strcmp(opt, "seed") == 0) {
        f->has_seed = true;
        f->seed = strtoull(v != NULL ? v : "0", NULL, 10);
        return 0;
    }
    if (strcmp(opt, "length") == 0) {
        f->length = strtoull(v != NULL ? v : "10", NULL, 10);
        return 0;
    }
    if (strcmp(opt, "max_past_mode") == 0) {
        f->relative = v != NULL && strcmp(v, "relative") == 0;
        return 0;
    }
    if (strcmp(opt, "max_past") == 0) {
        Interval iv;

        if (parse_typed(v, TYPE_INTERVAL, -1, c->arena, &d, err) < 0)
            return -1;
        iv = interval_get(d);
        f->max_past_us = iv.time + (int64_t)iv.day * USECS_PER_DAY +
                         (int64_t)iv.month * 30 * USECS_PER_DAY;
        if (f->max_past_us < 0)
            f->max_past_us = -f->max_past_us;
        return 0;
    }
    if (strcmp(opt, "basetime") == 0) {
        if (parse_typed(v, TYPE_TIMESTAMPTZ, -1, c->arena, &d, err) < 0)
            return -1;
        f->has_base = true;
        f->base_us = datum_get_int64(d);
        return 0;
    }
    if (strcmp(opt, "start") == 0 || strcmp(opt, "min") == 0)
        nv = &f->nstart;
    if (strcmp(opt, "start") == 0 || strcmp(opt, "min") == 0)
        return parse_bound(c, f, v, &f->lo, &f->dlo, nv, err);
    if (strcmp(opt, "end") == 0 || strcmp(opt, "max") == 0)
        return parse_bound(c, f, v, &f->hi, &f->dhi, NULL, err);
    return 0;
}

static void
init_field(DatagenConfig *c, DatagenField *f, const GenColumn *col, int64_t created_us)
{
    *f = (DatagenField){.type = col->type,
                        .typmod = col->typmod,
                        .lo = 0,
                        .hi = 32767,
                        .dlo = 0,
                        .dhi = 32767,
                        .length = 10,
                        .max_past_us = USECS_PER_DAY,
                        .base_us = created_us - DT_UNIX_EPOCH_OFFSET_US};
    f->nstart = numeric_from_int64(c->arena, 0);
}

/* Rows a sequence field yields: end - start + 1 (0 when end < start). */
static uint64_t
sequence_rows(const DatagenField *f)
{
    if (is_int(f->type))
        return f->hi < f->lo ? 0 : (uint64_t)(f->hi - f->lo) + 1;
    if (f->dhi < f->dlo)
        return 0;
    return (uint64_t)floor(f->dhi - f->dlo) + 1;
}

int
datagen_create(const GenOption *opts, int nopts, const GenColumn *cols, int ncols,
               int64_t created_us, DatagenConfig **out, Err *err)
{
    DatagenConfig *c = calloc(1, sizeof *c);

    *out = NULL;
    if (c == NULL)
        return ERR_RAISE(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
    c->arena = arena_create("datagen", 0);
    c->ncols = ncols;
    c->f = arena_calloc(c->arena, (size_t)ncols + 1, sizeof *c->f);
    c->total = GEN_UNBOUNDED;
    c->rate = 10;
    for (int i = 0; i < ncols; i++) {
        init_field(c, &c->f[i], &cols[i], created_us);
        if (!connector_datagen_type_ok(cols[i].type, false)) {
            datagen_free(c);
            return ERR_RAISE(err, ERRCODE_FEATURE_NOT_SUPPORTED,
                             "datagen cannot generate values of type %s",
                             type_sql_name(cols[i].type));
        }
    }
    for (int i = 0; i < nopts; i++) {
        const char *k = opts[i].key, *v = opts[i].value;

        if (strcmp(k, "datagen.rows.per.second") == 0) {
            c->rate = strtoull(v != NULL ? v : "10", NULL, 10);
        } else if (strcmp(k, "datagen.rows.total") == 0) {
            c->total = strtoull(v != NULL ? v : "0", NULL, 10);
        } else if (strncmp(k, "fields.", 7) == 0) {
            const char *col = k + 7, *dot = strrchr(col, '.');
            int j = 0;

            while (dot != NULL && j < ncols &&
                   (strlen(cols[j].name) != (size_t)(dot - col) ||
                    strncmp(cols[j].name, col, (size_t)(dot - col)) != 0))
                j++;
            if (dot == NULL || j == ncols)
                continue;
            if (field_option(c, &c->f[j], dot + 1, v, err) < 0) {
                datagen_free(c);
                return -1;
            }
        }
    }
    for (int i = 0; i < ncols; i++) {
        if (c->f[i].sequence) {
            uint64_t n = sequence_rows(&c->f[i]);

            if (n < c->total)
                c->total = n;
        }
    }
    *out = c;
    return 0;
}

void
datagen_free(DatagenConfig *c)
{
    if (c == NULL)
        return;
    arena_destroy(c->arena);
    free(c);
}

uint64_t
datagen_total_rows(const DatagenConfig *c)
{
    return c->total;
}

uint64_t
datagen_rows_per_second(const DatagenConfig *c)
{
    return c->rate;
}

static Datum
int_datum(Oid t, int64_t v)
{
    return t == TYPE_INT2 ? datum_from_int16((int16_t)v)
           : t == TYPE_INT4 ? datum_from_int32((int32_t)v)
                            : datum_from_int64(v);
}

static Datum
float_datum(Oid t, double v)
{
    return t == TYPE_FLOAT4 ? datum_from_float4((float)v) : datum_from_float8(v);
}

static int
sequence_value(const DatagenField *f, uint64_t i, Arena *a, Datum *out, Err *err)
{
    if (is_int(f->type)) {
        *out = int_datum(f->type, f->lo + (int64_t)i);
        return 0;
    }
    if (is_float(f->type)) {
        *out = float_datum(f->type, f->dlo + (double)i);
        return 0;
    }
    return numeric_add(a, f->nstart, numeric_from_int64(a, (int64_t)i), out, err);
}

static int
random_value(const DatagenField *f, int col, uint64_t i, Arena *a, Datum *out, Err *err)
{
    Rng r;
    uint64_t seed = f->has_seed ? f->seed : UINT64_C(0xC0FFEE) + (uint64_t)col;

    rng_seed(&r, (seed + 1) * UINT64_C(0x9E3779B97F4A7C15) ^ i);
    switch (f->type) {
    case TYPE_INT2:
    case TYPE_INT4:
    case TYPE_INT8: {
        uint64_t span = (uint64_t)(f->hi - f->lo) + 1;

        *out = int_datum(f->type, f->hi < f->lo ? f->lo
                                  : span == 0   ? (int64_t)rng_next(&r)
                                                : f->lo + (int64_t)rng_below(&r, span));
        return 0;
    }
    case TYPE_FLOAT4:
    case TYPE_FLOAT8:
        *out = float_datum(f->type, f->dlo + rng_double(&r) * (f->dhi - f->dlo));
        return 0;
    case TYPE_NUMERIC: {
        Datum d = numeric_from_double(a, f->dlo + rng_double(&r) * (f->dhi - f->dlo));

        return f->typmod >= 0 ? numeric_apply_typmod(a, d, f->typmod, out, err)
                              : numeric_round(a, d, 6, out, err);
    }
    case TYPE_BOOL:
        *out = datum_from_bool(rng_below(&r, 2) == 1);
        return 0;
    case TYPE_VARCHAR:
    case TYPE_TEXT: {
        uint64_t len = f->length;
        char *s;

        if (f->type == TYPE_VARCHAR && f->typmod >= 4 && len > (uint64_t)(f->typmod - 4))
            len = (uint64_t)(f->typmod - 4);
        s = arena_alloc(a, len + 1);
        for (uint64_t k = 0; k < len; k++)
            s[k] = alnum[((rng_next(&r) >> 32) * (sizeof alnum - 1)) >> 32];
        *out = datum_from_text(a, s, len);
        return 0;
    }
    default: { /* timestamp, timestamptz, date */
        int64_t base = f->has_base   ? f->base_us
                       : f->relative ? clock_now_us() - DT_UNIX_EPOCH_OFFSET_US
                                     : f->base_us;
        int64_t ts = base - (int64_t)rng_below(&r, (uint64_t)f->max_past_us + 1);

        if (f->type == TYPE_DATE)
            *out = datum_from_int32(
                (int32_t)((ts >= 0 ? ts : ts - USECS_PER_DAY + 1) / USECS_PER_DAY));
        else
            *out = datum_from_int64(ts);
        return 0;
    }
    }
}

int
datagen_row(const DatagenConfig *c, uint64_t i, Arena *a, Value *vals, Err *err)
{
    for (int k = 0; k < c->ncols; k++) {
        const DatagenField *f = &c->f[k];
        int rc = f->sequence ? sequence_value(f, i, a, &vals[k].d, err)
                             : random_value(f, k, i, a, &vals[k].d, err);

        if (rc < 0)
            return -1;
        vals[k].isnull = false;
    }
    return 0;
}
